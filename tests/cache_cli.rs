//! The re-run cache, through the real CLI: never stale, byte-identical to
//! a run without it, robust to damaged entries, and diagnostics kept.
//! Each test has a cache folder of its own.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

/// Runs `tthc ARGS` with the cache in `cache`.
fn cached(cache: &Path, args: &[&str]) -> Output {
    command()
        .env("TTHC_CACHE_DIR", cache)
        .args(args)
        .output()
        .expect("run tthc")
}

/// Runs `tthc --no-cache ARGS`.
fn uncached(args: &[&str]) -> Output {
    command()
        .arg("--no-cache")
        .args(args)
        .output()
        .expect("run tthc")
}

/// What a run printed, and how it ended.
fn printed(o: &Output) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    (o.status.code(), o.stdout.clone(), o.stderr.clone())
}

/// Every shard file under `cache`.
fn shards(cache: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(cache).into_iter().flatten().flatten() {
        for f in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if f.path().extension().is_some_and(|e| e == "tthc-cache") {
                out.push(f.path());
            }
        }
    }
    out.sort();
    out
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A way to damage a shard's bytes.
type Damage = dyn Fn(&mut Vec<u8>);

const BIRTH: &str = "code: \"1.000001\"
name: Thủ tục đăng ký khai sinh (thử)
agency: bo-tu-phap
components:
  - {text: Tờ khai đăng ký khai sinh, role: form}
  - text: Giấy khai sinh của cha hoặc mẹ
    accepts: [giay-khai-sinh]
";

/// The verdict and documents of the second component of `code`.
fn second_component(o: &Output, code: &str) -> (String, Vec<String>) {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = v["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .unwrap();
    let c = &p["components"][1];
    let docs = c["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_owned())
        .collect();
    (c["verdict"].as_str().unwrap().to_owned(), docs)
}

#[test]
fn an_edited_file_is_read_again() {
    let (cat, cache) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let dir = cat.path().to_str().unwrap();
    write(cat.path(), "bo-tu-phap/1.000001.yaml", BIRTH);
    write(
        cat.path(),
        "bo-tu-phap/1.000002.yaml",
        &BIRTH.replace("1.000001", "1.000002"),
    );
    let args = ["analyse", dir, "--format", "json"];
    let first = cached(cache.path(), &args);
    assert_eq!(
        second_component(&first, "1.000001"),
        ("conditional".into(), vec!["giay-khai-sinh".into()])
    );
    assert!(!shards(cache.path()).is_empty(), "the first run stores");
    assert_eq!(
        printed(&cached(cache.path(), &args)),
        printed(&first),
        "warm"
    );

    // The paper's name changes, and with it the verdict; same size, same
    // second, so only the content tells.
    let edited = BIRTH
        .replace(
            "Giấy khai sinh của cha hoặc mẹ",
            "Hợp đồng thuê nhà của cha mẹ",
        )
        .replace("giay-khai-sinh", "hop-dong");
    write(cat.path(), "bo-tu-phap/1.000001.yaml", &edited);
    let second = cached(cache.path(), &args);
    let (verdict, docs) = second_component(&second, "1.000001");
    assert_ne!(verdict, "conditional", "the edit shows");
    assert_eq!(docs, vec!["hop-dong".to_string()]);
    assert_eq!(printed(&second), printed(&uncached(&args)));
    // The file that did not change still reads as before.
    assert_eq!(
        second_component(&second, "1.000002"),
        second_component(&first, "1.000002")
    );

    // Back as it was: the first output again.
    write(cat.path(), "bo-tu-phap/1.000001.yaml", BIRTH);
    assert_eq!(printed(&cached(cache.path(), &args)), printed(&first));
}

#[test]
fn shipped_catalogue_cached_equals_uncached() {
    let cache = TempDir::new().unwrap();
    for args in [
        &["analyse", "procedures", "--format", "json"][..],
        &["analyse", "procedures", "--summary"],
        &["check", "procedures", "--format", "json"],
        &["check", "procedures"],
    ] {
        let plain = printed(&uncached(args));
        assert_eq!(plain.0, Some(0), "{args:?}");
        let cold = printed(&cached(cache.path(), args));
        let warm = printed(&cached(cache.path(), args));
        assert!(cold == plain, "{args:?}: the storing run differs");
        assert!(warm == plain, "{args:?}: the run from the cache differs");
    }
    assert!(!shards(cache.path()).is_empty());
}

#[test]
fn damaged_shards_are_ignored_and_rebuilt() {
    let (cat, cache) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let dir = cat.path().to_str().unwrap();
    for i in 1..=40 {
        let code = format!("1.{i:06}");
        write(
            cat.path(),
            &format!("bo-tu-phap/{code}.yaml"),
            &BIRTH.replace("1.000001", &code),
        );
    }
    let args = ["analyse", dir, "--format", "json"];
    let plain = printed(&uncached(&args));
    assert_eq!(printed(&cached(cache.path(), &args)), plain);
    let stored = shards(cache.path());
    assert!(stored.len() >= 8, "{stored:?}");
    let damage: [&Damage; 8] = [
        &|b| b.truncate(b.len() / 2),
        &|b| b.truncate(3),
        &|b| b.clear(),
        &|b| *b.last_mut().unwrap() ^= 1,
        &|b| {
            let mid = b.len() / 2;
            b[mid] ^= 0x40
        },
        &|b| b[0] = b'X',
        &|b| *b = vec![0xFF; 4096],
        &|b| b.extend_from_slice(b"trailing"),
    ];
    for (shard, damage) in stored.iter().zip(damage) {
        let mut bytes = std::fs::read(shard).unwrap();
        damage(&mut bytes);
        std::fs::write(shard, bytes).unwrap();
    }
    // A file of the user's own in the cache's folders stays.
    let mine = stored[0].parent().unwrap().join("notes.txt");
    std::fs::write(&mine, "mine").unwrap();
    assert_eq!(printed(&cached(cache.path(), &args)), plain, "damaged");
    assert_eq!(printed(&cached(cache.path(), &args)), plain, "rebuilt");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "mine");
    assert_eq!(
        shards(cache.path()),
        stored,
        "the same shards, nothing else"
    );
    let leftovers: Vec<_> = std::fs::read_dir(stored[0].parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file left: {leftovers:?}"
    );
}

#[test]
fn invalid_files_keep_their_diagnostics() {
    let (cat, cache) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let dir = cat.path().to_str().unwrap();
    write(cat.path(), "bo-tu-phap/1.000001.yaml", BIRTH);
    // Does not parse; names a document type that does not exist; uses a
    // code another file uses (a check across files).
    write(
        cat.path(),
        "bo-tu-phap/shape.yaml",
        "code: \"1.000003\"\nname: Thủ tục\nagency: bo-tu-phap\ncomponets: []\n",
    );
    write(
        cat.path(),
        "bo-tu-phap/unknown.yaml",
        &BIRTH
            .replace("1.000001", "1.000004")
            .replace("giay-khai-sinh", "giay-khong-co"),
    );
    write(cat.path(), "bo-tu-phap/twice.yaml", BIRTH);
    for format in ["text", "json"] {
        let args = ["check", dir, "--format", format];
        let plain = printed(&uncached(&args));
        assert_eq!(plain.0, Some(1));
        let shown = String::from_utf8_lossy(if format == "text" { &plain.2 } else { &plain.1 })
            .into_owned();
        for code in [
            "shape.yaml",
            "unknown.yaml",
            "twice.yaml",
            "E0103",
            "E0301",
            "E0303",
        ] {
            assert!(shown.contains(code), "{code} in {shown}");
        }
        assert_eq!(printed(&cached(cache.path(), &args)), plain, "cold");
        assert_eq!(printed(&cached(cache.path(), &args)), plain, "warm");
    }
}

#[test]
fn changed_reference_data_is_never_read_stale() {
    let (cat, cache) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let src = fixture("check/valid-own-catalog");
    let reference = std::fs::read_to_string(src.join("catalog/reference.yaml")).unwrap();
    write(cat.path(), "catalog/reference.yaml", &reference);
    write(
        cat.path(),
        "procs/1.000001.yaml",
        &std::fs::read_to_string(src.join("procs/1.000001.yaml")).unwrap(),
    );
    let dir = cat.path().to_str().unwrap();
    let args = ["analyse", dir, "--format", "json"];
    let before = cached(cache.path(), &args);
    assert_eq!(printed(&before), printed(&uncached(&args)));
    // A document type before `giay-a` moves every index after it.
    write(
        cat.path(),
        "catalog/reference.yaml",
        &reference.replace(
            "document_types:\n",
            "document_types:\n  - {id: giay-0, name: Giấy không, elements: [ho-ten]}\n",
        ),
    );
    let after = cached(cache.path(), &args);
    assert_eq!(printed(&after), printed(&uncached(&args)));
    assert_eq!(
        second_component(&after, "1.000001").1,
        vec!["giay-a".to_string()]
    );
}

#[test]
fn no_cache_and_cache_0_write_nothing() {
    let (cat, cache) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    write(cat.path(), "bo-tu-phap/1.000001.yaml", BIRTH);
    let dir = cat.path().to_str().unwrap();
    let o = command()
        .env("TTHC_CACHE_DIR", cache.path())
        .args(["--no-cache", "check", dir])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = command()
        .env("TTHC_CACHE_DIR", cache.path())
        .env("TTHC_CACHE", "0")
        .args(["check", dir])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);
}
