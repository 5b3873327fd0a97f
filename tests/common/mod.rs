//! Helpers shared by the CLI tests: run the real `tthc` binary.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The re-run cache the tests use: under `target/`, never the user's.
pub fn test_cache() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tthc-cache")
}

/// The `tthc` binary, to run from the repository root with the tests'
/// cache.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tthc"));
    c.current_dir(root())
        .env("TTHC_CACHE_DIR", test_cache())
        .env_remove("TTHC_CACHE");
    c
}

/// Runs `tthc` with `args` from the repository root.
pub fn tthc<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    command().args(args).output().expect("run tthc")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

/// The ids of a `tthc.analysis/1` component's `sources`.
pub fn source_ids(c: &serde_json::Value) -> Vec<String> {
    c["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}
