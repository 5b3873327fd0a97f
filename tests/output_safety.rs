//! Writing output never loses a user's file: `--out DIR` replaces only
//! tthc's own unchanged output (proved by its manifest), `--force` keeps
//! everything else and never arms a later deletion, links inside the output
//! are never followed, replacement is a swap of whole directories that a
//! `kill -9` cannot leave half done, staging left by killed runs is cleaned,
//! `--out FILE` follows the umask, and failed writes fail the run. All
//! through the real binary.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

/// Every file below `dir` (links and all, not followed) → its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_symlink() {
                out.insert(
                    rel,
                    std::fs::read_link(&p).unwrap().display().to_string().into(),
                );
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> std::process::Output {
    tthc(args.iter().map(|a| OsString::from(a.as_ref())))
}

fn yaml_count(dir: &Path) -> usize {
    tree(dir).keys().filter(|k| k.ends_with(".yaml")).count()
}

#[test]
fn force_never_arms_a_later_deletion_of_the_users_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let s1 = tmp.path().join("s1");
    copy_dir(&fixture("solver"), &s1);
    let before = yaml_count(&s1);
    assert!(before > 0);
    let o = run(&[
        "report".as_ref(),
        s1.as_os_str(),
        "--out".as_ref(),
        s1.as_os_str(),
        "--force".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("kept 2 entries tthc did not write"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("bo-a/1.000001.yaml"), "{}", stderr(&o));
    assert_eq!(yaml_count(&s1), before);
    // The same run without --force: the folder still holds the user's files.
    let o = run(&[
        "report".as_ref(),
        s1.as_os_str(),
        "--out".as_ref(),
        s1.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("refusing to replace"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("`bo-a/1.000001.yaml`"),
        "{}",
        stderr(&o)
    );
    assert_eq!(yaml_count(&s1), before, "the catalogue was deleted");
    assert!(s1.join("index.html").is_file());
}

#[test]
fn import_with_force_keeps_user_files_and_removes_only_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("imp");
    let o = run(&[
        "import".as_ref(),
        "portal".as_ref(),
        "tests/fixtures/portal/ok".as_ref(),
        "--out".as_ref(),
        d.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::write(d.join("notes.txt"), "mine").unwrap();
    let o = run(&[
        "import".as_ref(),
        "portal".as_ref(),
        "tests/fixtures/portal/ok/bo-tu-phap".as_ref(),
        "--out".as_ref(),
        d.as_os_str(),
        "--force".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("notes.txt"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(d.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(
        !d.join("bo-cong-an").exists(),
        "tthc's own old output is removed"
    );
    assert!(d.join("bo-tu-phap/1.000894.yaml").is_file());
    // And a later run without --force refuses: notes.txt is not tthc's.
    let o = run(&[
        "import".as_ref(),
        "portal".as_ref(),
        "tests/fixtures/portal/ok".as_ref(),
        "--out".as_ref(),
        d.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(d.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_hand_edited_output_or_a_stray_marker_is_not_proof_of_ownership() {
    let tmp = tempfile::tempdir().unwrap();
    let imp = tmp.path().join("imp");
    let o = run(&[
        "import".as_ref(),
        "portal".as_ref(),
        "tests/fixtures/portal/ok".as_ref(),
        "--out".as_ref(),
        imp.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let f = imp.join("bo-tu-phap/1.000894.yaml");
    let edited = std::fs::read_to_string(&f).unwrap() + "# reviewed by hand\n";
    std::fs::write(&f, &edited).unwrap();
    let before = tree(&imp);
    let o = run(&[
        "report".as_ref(),
        imp.as_os_str(),
        "--out".as_ref(),
        imp.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("`bo-tu-phap/1.000894.yaml`"),
        "{}",
        stderr(&o)
    );
    assert_eq!(tree(&imp), before, "nothing may change");
    // A user's folder with the old marker file only.
    let user = tmp.path().join("user");
    std::fs::create_dir(&user).unwrap();
    std::fs::write(user.join("data.yaml"), "x: 1\n").unwrap();
    std::fs::write(
        user.join(".tthc-output"),
        "This directory was written by tthc; writing the same output again replaces it.\n",
    )
    .unwrap();
    let o = run(&[
        "report".as_ref(),
        "tests/fixtures/solver".as_ref(),
        "--out".as_ref(),
        user.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(user.join("data.yaml").is_file());
    // A forged manifest naming the user's file with another hash.
    std::fs::write(
        user.join(".tthc-manifest"),
        r#"{"schema":"tthc.manifest/1","files":{"data.yaml":[{"bytes":5,"sha256":"00"}]}}"#,
    )
    .unwrap();
    let o = run(&[
        "report".as_ref(),
        "tests/fixtures/solver".as_ref(),
        "--out".as_ref(),
        user.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(user.join("data.yaml").is_file());
}

#[test]
fn links_inside_the_output_are_never_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path().join("r");
    let o = run(&[
        "report".as_ref(),
        "tests/fixtures/solver".as_ref(),
        "--out".as_ref(),
        r.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let victim = tmp.path().join("victim.html");
    std::fs::write(&victim, "the user's page").unwrap();
    std::fs::remove_file(r.join("index.html")).unwrap();
    std::os::unix::fs::symlink(&victim, r.join("index.html")).unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::remove_dir_all(r.join("bo")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, r.join("bo")).unwrap();
    for force in [false, true] {
        let mut args: Vec<OsString> = vec![
            "report".into(),
            "tests/fixtures/solver".into(),
            "--out".into(),
            r.clone().into(),
        ];
        if force {
            args.push("--force".into());
        }
        let o = tthc(args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("`index.html`"), "{}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "the user's page");
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    }
    // An output path that is itself a link is refused too.
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let o = run(&[
        "report".as_ref(),
        "tests/fixtures/solver".as_ref(),
        "--out".as_ref(),
        link.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(link.is_symlink());
}

/// `kill -9` at any moment of a replacement leaves the old tree or the new
/// one, whole; the staging left behind is removed by the next run.
#[test]
fn a_killed_replacement_leaves_old_or_new_and_its_staging_is_cleaned() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path().join("r");
    let args = |r: &Path| -> Vec<OsString> {
        vec![
            "report".into(),
            "procedures".into(),
            "--out".into(),
            r.into(),
        ]
    };
    // The big site of the shipped catalogue is replaced by the small one
    // of a fixture: most of that run goes on removing the old tree, which
    // must happen after the new one is in place.
    let small = |r: &Path| -> Vec<OsString> {
        vec![
            "report".into(),
            "tests/fixtures/solver".into(),
            "--out".into(),
            r.into(),
        ]
    };
    let o = tthc(small(&r));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let new = tree(&r);
    let o = tthc(args(&r));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let whole = tree(&r);
    assert!(whole.len() > 2000);
    // A directory named like staging that tthc cannot prove it made stays.
    let lookalike = tmp.path().join(".tthc-staging-r-999999999-0");
    std::fs::create_dir(&lookalike).unwrap();
    std::fs::write(lookalike.join("keep.txt"), "mine").unwrap();
    let mut interrupted = 0;
    for ms in [15, 30, 45, 60, 90, 130, 200, 300] {
        if tree(&r) != whole {
            let o = tthc(args(&r));
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        }
        let mut child = common::command()
            .args(small(&r))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(ms));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&r);
        assert!(
            now == whole || now == new,
            "after kill at {ms} ms the output is neither the old tree nor the new one ({} files)",
            now.len()
        );
    }
    assert!(interrupted > 0, "no run was interrupted");
    let o = tthc(args(&r));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tthc-staging-"))
        .collect();
    assert_eq!(
        left,
        [".tthc-staging-r-999999999-0"],
        "stale staging left behind"
    );
    assert_eq!(
        std::fs::read_to_string(lookalike.join("keep.txt")).unwrap(),
        "mine"
    );
    assert!(tree(&r) == whole);
}

/// `kill -9` while the big site is being written page by page into its
/// staging directory leaves the old tree whole; the next run proves that
/// staging its own by its journal and removes it.
#[test]
fn a_report_killed_while_its_pages_are_written_leaves_the_old_tree_and_no_staging() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path().join("r");
    let site = |catalogue: &str| -> Vec<OsString> {
        vec![
            "report".into(),
            catalogue.into(),
            "--out".into(),
            r.as_os_str().into(),
        ]
    };
    let o = tthc(site("tests/fixtures/solver"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let small = tree(&r);
    let staging = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(".tthc-staging-")
            })
            .collect()
    };
    // Kill the big run at later and later moments until one is caught with
    // pages staged and the journal still open.
    let mut caught = false;
    for ms in (0..40).map(|i| 100 + 50 * i) {
        let mut child = common::command()
            .args(site("procedures"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&r);
        if now != small {
            // The run finished before the kill: start again from the small site.
            let o = tthc(site("tests/fixtures/solver"));
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            continue;
        }
        let journaled = staging().iter().any(|s| {
            s.join(".tthc-journal").is_file()
                && std::fs::read_dir(s.join("tthc")).is_ok_and(|mut d| d.next().is_some())
        });
        if journaled {
            caught = true;
            break;
        }
    }
    assert!(
        caught,
        "no run was killed while its pages were being written"
    );
    assert_eq!(tree(&r), small, "the killed run touched the old tree");
    let o = tthc(site("tests/fixtures/solver"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("removed the staging directory of an interrupted run"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        staging(),
        Vec::<std::path::PathBuf>::new(),
        "stale staging left behind"
    );
    assert_eq!(tree(&r), small);
}

fn with_umask(umask: &str, args: &[&str]) -> std::process::Output {
    let mut script = format!("umask {umask}; exec \"$0\"");
    for i in 1..=args.len() {
        script.push_str(&format!(" \"${i}\""));
    }
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_tthc"))
        .args(args)
        .current_dir(root())
        .env("TTHC_CACHE_DIR", test_cache())
        .output()
        .unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn output_files_follow_the_umask_and_keep_a_replaced_files_mode() {
    let succeeds = |umask: &str, args: &[&str]| {
        let o = with_umask(umask, args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("a.csv");
    let s = csv.to_str().unwrap();
    succeeds(
        "022",
        &[
            "analyse",
            "tests/fixtures/solver",
            "--format",
            "csv",
            "--out",
            s,
        ],
    );
    assert_eq!(mode(&csv), 0o644);
    std::fs::set_permissions(&csv, std::fs::Permissions::from_mode(0o640)).unwrap();
    succeeds(
        "022",
        &["plan", "tests/fixtures/plan", "--format", "csv", "--out", s],
    );
    assert_eq!(mode(&csv), 0o640, "an existing file keeps its mode");
    let other = tmp.path().join("b.json");
    succeeds(
        "077",
        &[
            "analyse",
            "tests/fixtures/solver",
            "--format",
            "json",
            "--out",
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(mode(&other), 0o600);
    let site = tmp.path().join("site");
    succeeds(
        "022",
        &[
            "report",
            "tests/fixtures/solver",
            "--out",
            site.to_str().unwrap(),
        ],
    );
    assert_eq!(mode(&site), 0o755);
    assert_eq!(mode(&site.join("index.html")), 0o644);
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn an_unwritable_out_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no/such/dir/a.csv");
    let o = run(&[
        "analyse".as_ref(),
        "tests/fixtures/solver".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--out".as_ref(),
        missing.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error[E0001/io]: cannot write the output file"),
        "{}",
        stderr(&o)
    );
    // Never a device: `--out /dev/null` is not replaced by a file.
    let o = run(&["analyse", "tests/fixtures/solver", "--out", "/dev/null"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    let o = run(&[
        "report",
        "tests/fixtures/solver",
        "--out",
        "/proc/tthc-report",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_failed_write_to_standard_output_fails_the_run() {
    for args in [
        &["analyse", "tests/fixtures/solver", "--format", "json"][..],
        &["analyse", "tests/fixtures/solver"],
        &["plan", "tests/fixtures/plan", "--format", "json"],
        &["check", "tests/fixtures/solver", "--format", "json"],
        &["explain", "1.000001", "tests/fixtures/solver"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = common::command().args(args).stdout(full).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("cannot write to standard output"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}
