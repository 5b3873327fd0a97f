//! `tthc check` on fixture catalogues: one broken catalogue per diagnostic
//! code, each asserting the exact PATH:LINE:COL and code, through the real
//! binary.

mod common;
use common::*;

/// (fixture directory, file:line:col the diagnostic must point at, code)
const CASES: &[(&str, &str, &str)] = &[
    ("not-utf8", "bad.yaml:2:9", "E0002"),
    ("empty-file", "empty.yaml:1:1", "E0004"),
    ("yaml-syntax", "p.yaml:4:3", "E0101"),
    ("yaml-budget", "bomb.yaml:5:45", "E0102"),
    ("shape", "p.yaml:4:1", "E0103"),
    ("malformed-code", "p.yaml:1:7", "E0201"),
    ("malformed-date", "catalog/reference.yaml:2:26", "E0202"),
    ("malformed-id", "p.yaml:5:10", "E0203"),
    ("malformed-document-number", "p.yaml:7:29", "E0204"),
    ("out-of-range", "p.yaml:4:24", "E0205"),
    ("unknown-reference", "p.yaml:6:15", "E0301"),
    ("duplicate-id", "p.yaml:6:10", "E0302"),
    ("duplicate-code", "b.yaml:1:7", "E0303"),
    ("accepts-nothing", "p.yaml:5:11", "E0401"),
    (
        "source-serves-nothing",
        "catalog/reference.yaml:14:9",
        "E0402",
    ),
    ("cycle", "catalog/reference.yaml:22:14", "E0403"),
    ("settings", "catalog/reference.yaml", "E0404"),
    ("inconsistent", "catalog/reference.yaml:18:13", "E0405"),
    ("span-mismatch", "p.yaml:8:63", "E0406"),
];

#[test]
fn each_broken_fixture_gives_its_located_code_and_exit_1() {
    for (dir, at, code) in CASES {
        let path = format!("tests/fixtures/check/{dir}");
        let out = tthc(["check", &path]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{dir}: exit code\n{err}");
        let expected = format!("{path}/{at}: error[{code}/");
        assert!(
            err.lines().next().is_some_and(|l| l.starts_with(&expected)),
            "{dir}: expected first line to start with `{expected}`, got:\n{err}"
        );
        assert!(
            err.contains("\n  hint: "),
            "{dir}: every diagnostic has a hint\n{err}"
        );
        assert_eq!(
            err.matches(": error[").count(),
            1,
            "{dir}: exactly one error expected, no cascade\n{err}"
        );
    }
}

#[test]
fn every_code_has_a_fixture() {
    for code in tthc::diag::Code::ALL {
        let s = code.as_str();
        use tthc::diag::Code;
        if matches!(
            code,
            Code::Io
                | Code::FileTooLarge
                | Code::Normalised
                | Code::InputSyntax
                | Code::OrphanedDecision
                | Code::WorkbookShape
                | Code::UnknownKey
                | Code::Stale
                | Code::BadDecision
                | Code::MissingSource
                | Code::LinkSkipped
                | Code::Merged
        ) {
            // Io and FileTooLarge: the tests below build their input;
            // Normalised, InputSyntax and Merged concern imports
            // (tests/import_cli.rs, tests/validation.rs); LinkSkipped needs
            // links made at run time (tests/hostile_input.rs);
            // OrphanedDecision is a warning (below); the workbook codes
            // concern `review import` (tests/review_cli.rs).
            continue;
        }
        assert!(
            CASES.iter().any(|(_, _, c)| *c == s),
            "no fixture for {s} ({})",
            code.name()
        );
    }
}

#[test]
fn a_decision_that_matches_no_component_is_a_located_warning() {
    let path = "tests/fixtures/check/orphaned-decision";
    let out = tthc(["check", path]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.starts_with(&format!(
            "{path}/reviews/bo-tu-phap.yaml:10:16: warning[W0602/orphaned-decision]"
        )),
        "{err}"
    );
    assert!(err.contains("1 warnings"), "{err}");
}

#[test]
fn missing_catalogue_is_an_io_error() {
    let out = tthc(["check", "tests/fixtures/check/does-not-exist"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("tests/fixtures/check/does-not-exist: error[E0001/io]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_50_mb_file_is_refused_where_the_limit_ends() {
    let dir = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    let out = tthc(["check".as_ref(), dir.path().as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("huge.yaml:1:8388609: error[E0003/file-too-large]"),
        "{err}"
    );
}

#[test]
fn valid_catalogues_pass_including_bom_and_crlf() {
    for dir in ["check/valid-builtin", "check/valid-own-catalog"] {
        let out = tthc(["check".as_ref(), fixture(dir).as_os_str()]);
        assert_eq!(out.status.code(), Some(0), "{dir}: {}", stderr(&out));
    }
    let out = tthc(["check", "tests/fixtures/check/valid-builtin"]);
    assert!(stderr(&out).contains("2 procedures"), "{}", stderr(&out));
}

#[test]
fn shipped_catalogue_passes() {
    let out = tthc(["check", "procedures"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn json_diagnostics_carry_code_and_location() {
    let out = tthc([
        "check",
        "tests/fixtures/check/unknown-reference",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["schema"], "tthc.diagnostics/1");
    assert_eq!(v["errors"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "E0301");
    assert_eq!(d["location"]["line"], 6);
    assert_eq!(d["location"]["column"], 15);
    assert_eq!(d["hint"], "did you mean `giay-khai-sinh`?");
}

#[test]
fn usage_errors_exit_2() {
    let out = tthc(["check", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = tthc(["no-such-command"]);
    assert_eq!(out.status.code(), Some(2));
}
