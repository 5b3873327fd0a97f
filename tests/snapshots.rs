//! Speed costs no correctness: every command's output on the shipped
//! catalogue is pinned byte for byte by a committed manifest of SHA-256
//! digests (`tests/snapshots/shipped.sha256`), and the outputs on a small
//! fixture catalogue are committed whole (`tests/snapshots/solver/`) so a
//! change can be read.
//!
//! A deliberate change of output (new catalogue data, a new field) is
//! re-blessed with `TTHC_BLESS=1 cargo test --release --test snapshots`;
//! commit the rewritten files with the change that explains them.

mod common;

use common::{root, tthc};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn blessing() -> bool {
    std::env::var_os("TTHC_BLESS").is_some()
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Commands' outputs by name: what each printed (stdout, and stderr when
/// not empty; the temporary output folder shown as `OUT`) and each file it
/// wrote.
struct Outputs {
    all: BTreeMap<String, Vec<u8>>,
    tmp: String,
}

impl Outputs {
    fn new(tmp: &Path) -> Self {
        Outputs {
            all: BTreeMap::new(),
            tmp: tmp.to_str().unwrap().to_owned(),
        }
    }

    fn printed(&self, bytes: Vec<u8>) -> Vec<u8> {
        match String::from_utf8(bytes) {
            Ok(text) => text.replace(&self.tmp, "OUT").into_bytes(),
            Err(e) => e.into_bytes(),
        }
    }

    /// Runs `tthc args`; it must succeed. `out` is the `--out` target the
    /// arguments name, if any: a file, or a directory whose every file is kept.
    fn run(&mut self, name: &str, args: &[&str], out: Option<&Path>) {
        let o = tthc(args);
        assert!(
            o.status.success(),
            "tthc {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&o.stderr)
        );
        if out.is_none() || !o.stdout.is_empty() {
            let printed = self.printed(o.stdout);
            self.all.insert(format!("{name} (stdout)"), printed);
        }
        if !o.stderr.is_empty() {
            let printed = self.printed(o.stderr);
            self.all.insert(format!("{name} (stderr)"), printed);
        }
        if let Some(out) = out {
            if out.is_dir() {
                let mut files = Vec::new();
                walk(out, &mut files);
                for f in files {
                    let rel = f.strip_prefix(out).unwrap().to_string_lossy().into_owned();
                    self.all
                        .insert(format!("{name}/{rel}"), std::fs::read(&f).unwrap());
                }
            } else {
                self.all
                    .insert(name.to_owned(), std::fs::read(out).unwrap());
            }
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Every command with every format, on `catalogue`; `codes` are explained.
fn outputs(catalogue: &Path, codes: &[String]) -> Outputs {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue.to_str().unwrap();
    let file = |name: &str| tmp.path().join(name);
    let mut all = Outputs::new(tmp.path());
    all.run("check", &["check", cat], None);
    all.run(
        "check --format json",
        &["check", cat, "--format", "json"],
        None,
    );
    for format in ["text", "json", "csv"] {
        all.run(
            &format!("analyse --format {format}"),
            &["analyse", cat, "--format", format],
            None,
        );
    }
    for format in ["text", "json", "csv", "xlsx"] {
        let f = file(&format!("summary.{format}"));
        all.run(
            &format!("analyse --summary --format {format}"),
            &[
                "analyse",
                cat,
                "--summary",
                "--format",
                format,
                "--out",
                f.to_str().unwrap(),
            ],
            Some(&f),
        );
    }
    let json = file("analysis-out.json");
    all.run(
        "analyse --format json --out",
        &[
            "analyse",
            cat,
            "--format",
            "json",
            "--out",
            json.to_str().unwrap(),
        ],
        Some(&json),
    );
    let csv = file("analysis-out.csv");
    all.run(
        "analyse --format csv --out",
        &[
            "analyse",
            cat,
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
        ],
        Some(&csv),
    );
    for command in ["plan", "lists"] {
        for format in ["text", "json", "csv"] {
            all.run(
                &format!("{command} --format {format}"),
                &[command, cat, "--format", format],
                None,
            );
        }
        let f = file(&format!("{command}.xlsx"));
        all.run(
            &format!("{command} --format xlsx"),
            &[
                command,
                cat,
                "--format",
                "xlsx",
                "--out",
                f.to_str().unwrap(),
            ],
            Some(&f),
        );
    }
    let site = file("report");
    all.run(
        "report",
        &["report", cat, "--out", site.to_str().unwrap()],
        Some(&site),
    );
    let workbook = file("review.xlsx");
    all.run(
        "review export",
        &["review", "export", cat, "--out", workbook.to_str().unwrap()],
        Some(&workbook),
    );
    for format in ["text", "json", "csv"] {
        all.run(
            &format!("diff --as-of 2027-01-01 --format {format}"),
            &[
                "diff",
                cat,
                cat,
                "--as-of",
                "2027-01-01",
                "--format",
                format,
            ],
            None,
        );
    }
    for code in codes {
        all.run(&format!("explain {code}"), &["explain", code, cat], None);
    }
    all
}

/// The first procedure code (by file name) of each agency folder: a few
/// procedures of every ministry, chosen by the catalogue's own layout.
fn sample_codes(catalogue: &Path) -> Vec<String> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(catalogue)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.ends_with("catalog") && !p.ends_with("reviews"))
        .collect();
    folders.sort();
    folders
        .iter()
        .filter_map(|dir| {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
                .collect();
            files.sort();
            files
                .first()
                .and_then(|f| f.file_stem())
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect()
}

fn manifest(all: &Outputs) -> String {
    all.all
        .iter()
        .map(|(name, bytes)| format!("{}  {name}\n", hex(bytes)))
        .collect()
}

#[test]
fn shipped_catalogue_outputs_are_unchanged() {
    let catalogue = root().join("procedures");
    let codes = sample_codes(&catalogue);
    assert!(codes.len() >= 3, "the shipped catalogue has agency folders");
    let now = manifest(&outputs(Path::new("procedures"), &codes));
    let path = root().join("tests/snapshots/shipped.sha256");
    if blessing() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &now).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != now {
        let old: Vec<&str> = committed.lines().collect();
        let new: Vec<&str> = now.lines().collect();
        let changed: Vec<String> = new
            .iter()
            .filter(|l| !old.contains(l))
            .map(|l| format!("  now  {l}"))
            .chain(
                old.iter()
                    .filter(|l| !new.contains(l))
                    .map(|l| format!("  was  {l}")),
            )
            .collect();
        panic!(
            "the outputs on the shipped catalogue changed:\n{}\nIf the change is meant, \
             run `TTHC_BLESS=1 cargo test --release --test snapshots` and commit \
             tests/snapshots/ with it.",
            changed.join("\n")
        );
    }
}

/// The file a fixture output is committed as: the output's name made a
/// file name (`analyse --format json (stdout)` → `analyse--format-json.stdout`).
fn snapshot_name(name: &str) -> String {
    name.replace(" (stdout)", ".stdout")
        .replace(" (stderr)", ".stderr")
        .replace(['/', ' '], "_")
        .replace(['(', ')'], "")
}

#[test]
fn fixture_outputs_match_readable_snapshots() {
    let catalogue = Path::new("tests/fixtures/solver");
    let codes = sample_codes(&root().join(catalogue));
    let all = outputs(catalogue, &codes);
    let dir = root().join("tests/snapshots/solver");
    let mut stale = Vec::new();
    let mut expected = std::collections::BTreeSet::new();
    for (name, bytes) in &all.all {
        // Workbooks and the report's binary parts are pinned by digest;
        // every text output is committed whole.
        let (file, content) = match std::str::from_utf8(bytes) {
            Ok(_) if !name.ends_with(".xlsx") && !name.ends_with(".zip") => {
                (snapshot_name(name), bytes.clone())
            }
            _ => (
                snapshot_name(name) + ".sha256",
                (hex(bytes) + "\n").into_bytes(),
            ),
        };
        let path = dir.join(&file);
        expected.insert(file);
        if blessing() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &content).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&content[..]) {
            stale.push(path.display().to_string());
        }
    }
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !expected.contains(&name) {
            if blessing() {
                std::fs::remove_file(e.path()).unwrap();
            } else {
                stale.push(format!("{} (no longer written)", e.path().display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "fixture outputs differ from tests/snapshots/solver/:\n  {}\nIf the change is meant, \
         run `TTHC_BLESS=1 cargo test --release --test snapshots` and commit tests/snapshots/ with it.",
        stale.join("\n  ")
    );
}
