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

/// Copies the fixture catalogue with reference data of its own into
/// `root`, and returns that reference data's text.
fn own_catalogue(root: &Path) -> String {
    let src = fixture("check/valid-own-catalog");
    let reference = std::fs::read_to_string(src.join("catalog/reference.yaml")).unwrap();
    write(root, "catalog/reference.yaml", &reference);
    write(
        root,
        "procs/1.000001.yaml",
        &std::fs::read_to_string(src.join("procs/1.000001.yaml")).unwrap(),
    );
    reference
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
    let reference = own_catalogue(cat.path());
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

/// Each run of `args` (the cache in `cache`) prints what a run without the
/// cache prints; what the last one printed.
fn same_as_uncached(cache: &Path, args: &[&str], why: &str) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    let plain = printed(&uncached(args));
    for run in ["first", "second"] {
        let got = printed(&cached(cache, args));
        assert!(
            got == plain,
            "{why}, {run} run of {args:?}:\n{}\n---\n{}",
            String::from_utf8_lossy(&got.1),
            String::from_utf8_lossy(&plain.1)
        );
    }
    plain
}

#[test]
fn check_and_summary_see_an_edited_file() {
    let (cat, cache) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let dir = cat.path().to_str().unwrap();
    for code in ["1.000001", "1.000002", "1.000003"] {
        write(
            cat.path(),
            &format!("bo-tu-phap/{code}.yaml"),
            &BIRTH.replace("1.000001", code),
        );
    }
    let summary = ["analyse", dir, "--summary", "--format", "json"];
    let check = ["check", dir, "--format", "json"];
    let before = same_as_uncached(cache.path(), &summary, "before");
    same_as_uncached(cache.path(), &check, "before");
    // Same size, same second: only the content tells.
    let edited = BIRTH
        .replace(
            "Giấy khai sinh của cha hoặc mẹ",
            "Hợp đồng thuê nhà của cha mẹ",
        )
        .replace("giay-khai-sinh", "hop-dong");
    write(cat.path(), "bo-tu-phap/1.000001.yaml", &edited);
    let after = same_as_uncached(cache.path(), &summary, "edited");
    assert_ne!(after.1, before.1, "the edit shows in the summary");
    same_as_uncached(cache.path(), &check, "edited");
    // An error in one file: check and the summary refuse, as uncached.
    write(
        cat.path(),
        "bo-tu-phap/1.000002.yaml",
        &BIRTH
            .replace("1.000001", "1.000002")
            .replace("giay-khai-sinh", "giay-khong-co"),
    );
    let refused = same_as_uncached(cache.path(), &check, "an error");
    assert_eq!(refused.0, Some(1));
    assert!(String::from_utf8_lossy(&refused.1).contains("giay-khong-co"));
    assert_eq!(
        same_as_uncached(cache.path(), &summary, "an error").0,
        Some(1)
    );
    // A file removed, and a code used twice.
    std::fs::remove_file(cat.path().join("bo-tu-phap/1.000002.yaml")).unwrap();
    write(cat.path(), "bo-tu-phap/twice.yaml", BIRTH);
    assert_eq!(same_as_uncached(cache.path(), &check, "twice").0, Some(1));
    std::fs::remove_file(cat.path().join("bo-tu-phap/twice.yaml")).unwrap();
    let fewer = same_as_uncached(cache.path(), &summary, "removed");
    assert_ne!(fewer.1, after.1);
    // Back as it was: the first summary again.
    write(
        cat.path(),
        "bo-tu-phap/1.000002.yaml",
        &BIRTH.replace("1.000001", "1.000002"),
    );
    write(cat.path(), "bo-tu-phap/1.000001.yaml", BIRTH);
    assert_eq!(same_as_uncached(cache.path(), &summary, "back"), before);
}

#[test]
fn summary_figures_follow_options_and_scenarios() {
    let (tmp, cache) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let scenario = tmp.path().join("what-if.yaml");
    let ready =
        "sources:\n  - id: csdl-van-bang\n    status: operational\n    since: \"2026-01-01\"\n";
    std::fs::write(&scenario, ready).unwrap();
    let scenario = scenario.to_str().unwrap();
    let runs: [&[&str]; 7] = [
        &[],
        &["--as-of", "2030-01-01"],
        &["--include-pilot"],
        &["--province", "lai-chau"],
        &["--province", "ha-noi", "--include-pilot"],
        &["--scenario", scenario],
        &[],
    ];
    let mut seen = Vec::new();
    for extra in runs {
        let mut args = vec!["analyse", "procedures", "--summary"];
        args.extend(extra);
        let got = same_as_uncached(cache.path(), &args, "options");
        assert_eq!(got.0, Some(0), "{}", String::from_utf8_lossy(&got.2));
        seen.push(got.1);
    }
    assert!(seen[0] == seen[6]);
    // (The shipped catalogue has no source in pilot: the flag changes
    // nothing there, but is part of the key all the same.)
    for i in [1, 3, 5] {
        assert!(seen[0] != seen[i], "run {i} differs from the plain one");
    }
    // The scenario's text changes, its file's name does not.
    std::fs::write(scenario, ready.replace("csdl-van-bang", "csdl-ho-tich")).unwrap();
    let args = ["analyse", "procedures", "--summary", "--scenario", scenario];
    let changed = same_as_uncached(cache.path(), &args, "the scenario changed");
    assert!(changed.1 != seen[5]);
}

/// A catalogue whose procedure 1.000001 reviewers decided on, with a few
/// other procedures, in `dir`.
fn reviewed(dir: &Path) {
    let src = fixture("check/orphaned-decision");
    for rel in ["bo-tu-phap/1.000001.yaml", "reviews/bo-tu-phap.yaml"] {
        write(dir, rel, &std::fs::read_to_string(src.join(rel)).unwrap());
    }
    for i in 2..=9 {
        let code = format!("1.{i:06}");
        write(
            dir,
            &format!("bo-tu-phap/{code}.yaml"),
            &BIRTH.replace("1.000001", &code),
        );
    }
}

#[test]
fn decisions_are_never_read_stale() {
    let (cat, cache) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    reviewed(cat.path());
    let dir = cat.path().to_str().unwrap();
    let summary = ["analyse", dir, "--summary"];
    let check = ["check", dir];
    let before = same_as_uncached(cache.path(), &summary, "reviewed");
    assert!(String::from_utf8_lossy(&before.1).contains("Rà soát"));
    assert!(String::from_utf8_lossy(&before.2).contains("W0602"));
    same_as_uncached(cache.path(), &check, "reviewed");
    // The decision changes: the figures of an unchanged procedure follow.
    let reviews = cat.path().join("reviews/bo-tu-phap.yaml");
    let text = std::fs::read_to_string(&reviews).unwrap();
    std::fs::write(
        &reviews,
        text.replacen(
            "decision: accepted\n    sources: [csdl-dan-cu]",
            "decision: pending",
            1,
        ),
    )
    .unwrap();
    let pending = same_as_uncached(cache.path(), &summary, "decision changed");
    assert_ne!(pending.1, before.1);
    same_as_uncached(cache.path(), &check, "decision changed");
    // The reviewed procedure's paper is rewritten: its decision is stale,
    // and the other decision, orphaned before, finds it.
    write(
        cat.path(),
        "bo-tu-phap/1.000001.yaml",
        "code: \"1.000001\"\nname: Thủ tục thử\nagency: bo-tu-phap\ncomponents:\n  - {id: moi, text: Giấy tờ đã bỏ, accepts: [can-cuoc-cong-dan]}\n",
    );
    let rewritten = same_as_uncached(cache.path(), &summary, "procedure rewritten");
    assert_ne!(rewritten.1, pending.1);
    let checked = same_as_uncached(cache.path(), &check, "procedure rewritten");
    assert!(!String::from_utf8_lossy(&checked.2).contains("t-000000000000"));
    // No decisions at all.
    std::fs::remove_file(&reviews).unwrap();
    let none = same_as_uncached(cache.path(), &summary, "decisions removed");
    assert!(!String::from_utf8_lossy(&none.1).contains("Rà soát"));
}

#[test]
fn changed_reference_data_never_gives_stale_figures() {
    let (cat, cache) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let reference = own_catalogue(cat.path());
    let dir = cat.path().to_str().unwrap();
    for format in ["text", "json", "csv"] {
        let args = ["analyse", dir, "--summary", "--format", format];
        same_as_uncached(cache.path(), &args, "before");
    }
    let args = ["analyse", dir, "--summary", "--format", "json"];
    let before = same_as_uncached(cache.path(), &args, "before");
    // A document type before the others moves every index after it; the
    // date moves every readiness.
    write(
        cat.path(),
        "catalog/reference.yaml",
        &reference.replace(
            "document_types:\n",
            "document_types:\n  - {id: giay-0, name: Giấy không, elements: [ho-ten]}\n",
        ),
    );
    same_as_uncached(cache.path(), &args, "a document type added");
    same_as_uncached(cache.path(), &["check", dir], "a document type added");
    write(cat.path(), "catalog/reference.yaml", &reference);
    assert_eq!(same_as_uncached(cache.path(), &args, "back"), before);
}

#[test]
fn damaged_heads_and_drawers_are_ignored() {
    let (cat, cache) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    reviewed(cat.path());
    let dir = cat.path().to_str().unwrap();
    let runs: [&[&str]; 3] = [
        &["analyse", dir, "--summary", "--format", "json"],
        &["check", dir, "--format", "json"],
        &["analyse", dir, "--format", "json"],
    ];
    let plain: Vec<_> = runs
        .iter()
        .map(|a| same_as_uncached(cache.path(), a, "first"))
        .collect();
    let stored = shards(cache.path());
    let names: Vec<String> = stored
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n.starts_with('h')), "heads: {names:?}");
    assert!(
        names.iter().any(|n| n.starts_with('s')),
        "drawer: {names:?}"
    );
    let damage: [&Damage; 4] = [
        &|b| b.truncate(b.len() / 2),
        &|b| *b.last_mut().unwrap() ^= 1,
        &|b| b[0] = b'X',
        &|b| *b = vec![0xFF; 4096],
    ];
    for (round, damage) in damage.iter().enumerate() {
        for shard in &stored {
            let mut bytes = std::fs::read(shard).unwrap();
            damage(&mut bytes);
            std::fs::write(shard, bytes).unwrap();
        }
        for (args, plain) in runs.iter().zip(&plain) {
            assert_eq!(
                &printed(&cached(cache.path(), args)),
                plain,
                "damage {round}"
            );
        }
    }
    for (args, plain) in runs.iter().zip(&plain) {
        assert_eq!(&printed(&cached(cache.path(), args)), plain, "rebuilt");
    }
    assert_eq!(
        shards(cache.path()),
        stored,
        "the same shards, nothing else"
    );
}
