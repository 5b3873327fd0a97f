//! Input that used to pass, or fail with the wrong code or no location,
//! through the real binary: each case names the exact `PATH:LINE:COL` and
//! code it must get.

mod common;
use common::*;
use std::path::Path;

fn check_dir(files: &[(&str, &str)]) -> (tempfile::TempDir, std::process::Output) {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = tmp.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let o = tthc(["check".as_ref(), tmp.path().as_os_str()]);
    (tmp, o)
}

const FORM: &str = "components:\n  - text: Tờ khai\n    role: form\n";

fn procedure(code: &str, name: &str, rest: &str) -> String {
    format!("code: {code}\nname: {name}\nagency: bo-tu-phap\n{rest}")
}

/// Runs `check` on one procedure file and asserts its first error.
fn first_error(text: &str, at: &str, code: &str) {
    let (_tmp, o) = check_dir(&[("p.yaml", text)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{text}\n{err}");
    let line = err.lines().next().unwrap_or("");
    assert!(
        line.contains(&format!("p.yaml:{at}: error[{code}/")),
        "expected {at} {code} for\n{text}\ngot:\n{err}"
    );
}

#[test]
fn codes_are_ascii_digits_only() {
    first_error(&procedure("\"１.０００８９４\"", "X", FORM), "1:7", "E0201");
    first_error(&procedure("\"١.٠٠٠٠٠١\"", "X", FORM), "1:7", "E0201");
    // And they no longer dodge the duplicate check: one ASCII, one not.
    let (_t, o) = check_dir(&[
        ("a.yaml", &procedure("\"1.000894\"", "X", FORM)),
        ("b.yaml", &procedure("\"1.000894\"", "Y", FORM)),
    ]);
    assert!(
        stderr(&o).contains("b.yaml:1:7: error[E0303/"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn names_and_texts_must_say_something() {
    first_error(&procedure("\"1.000001\"", "\"\"", FORM), "2:7", "E0103");
    first_error(&procedure("\"1.000001\"", "\"   \"", FORM), "2:7", "E0103");
    first_error(&procedure("\"1.000001\"", "123", FORM), "2:7", "E0103");
    first_error(&procedure("\"1.000001\"", "true", FORM), "2:7", "E0103");
    first_error(
        &procedure(
            "\"1.000001\"",
            "X",
            "components:\n  - text: \"\"\n    role: form\n",
        ),
        "5:11",
        "E0103",
    );
}

#[test]
fn figures_are_finite_and_not_negative_and_counts_positive() {
    for (rest, at) in [
        ("annual_volume: {value: .nan, source: x}\n", "4:24"),
        ("annual_volume: {value: .inf, source: x}\n", "4:24"),
        ("annual_volume: {value: -5, source: x}\n", "4:24"),
        ("channels: [{kind: online, days: -1}]\n", "4:33"),
        ("channels: [{kind: online, days: .inf}]\n", "4:33"),
    ] {
        first_error(
            &procedure("\"1.000001\"", "X", &format!("{rest}{FORM}")),
            at,
            "E0205",
        );
    }
    first_error(
        &procedure(
            "\"1.000001\"",
            "X",
            "components:\n  - text: Tờ khai\n    role: form\n    quantity: [{count: 0, kind: original}]\n",
        ),
        "5:11",
        "E0205",
    );
    // The message for NaN says what is wrong.
    let (_t, o) = check_dir(&[(
        "p.yaml",
        &procedure(
            "\"1.000001\"",
            "X",
            &format!("annual_volume: {{value: .nan, source: x}}\n{FORM}"),
        ),
    )]);
    assert!(
        stderr(&o).contains("the annual volume is not a number"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn tags_and_nesting_are_refused_with_their_codes() {
    first_error(
        &procedure("!custom \"1.000001\"", "X", FORM),
        "1:15",
        "E0101",
    );
    // `!!binary` is never decoded into a code.
    first_error(
        &procedure("!!binary MS4wMDAwMDE=", "X", FORM),
        "1:16",
        "E0201",
    );
    let deep = format!("notes: {}{}\n", "[".repeat(1500), "]".repeat(1500));
    let (_t, o) = check_dir(&[("p.yaml", &procedure("\"1.000001\"", "X", &deep))]);
    assert!(
        stderr(&o).contains("error[E0102/yaml-budget]"),
        "{}",
        stderr(&o)
    );
}

fn import_table(csv: &str) -> (tempfile::TempDir, std::process::Output) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("t.csv");
    std::fs::write(&path, csv).unwrap();
    let o = tthc([
        "import".as_ref(),
        "table".as_ref(),
        path.as_os_str(),
        "--out".as_ref(),
        tmp.path().join("out").as_os_str(),
    ]);
    (tmp, o)
}

const HEAD: &str = "code,name,agency,component\n";

#[test]
fn table_problems_are_located_with_their_codes() {
    for (csv, at, code) in [
        // An unterminated quote is a syntax error where it opens.
        (format!("{HEAD}1.000001,X,Bộ Tư pháp,\"Giấy khai sinh\n"), "2:23", "E0104"),
        // A short row: where it ends, naming what is missing.
        (format!("{HEAD}1.000001,X\n"), "2:11", "E0103"),
        // A cell beyond the header.
        (format!("{HEAD}1.000001,X,Bộ Tư pháp,Giấy khai sinh,extra\n"), "2:38", "E0103"),
        // A header column given twice (by its name and its alias).
        ("code,name,agency,component,ma_tthc\n1.000001,X,Bộ Tư pháp,Giấy khai sinh,1.000002\n".into(), "1:28", "E0103"),
        // An empty name.
        (format!("{HEAD}1.000001,,Bộ Tư pháp,Giấy khai sinh\n"), "2:10", "E0103"),
        // A header and no rows.
        (HEAD.to_owned(), "1:1", "E0004"),
        // CRLF line ends count lines alike.
        ("code,name,agency,component\r\n1.000001,X,Bộ Tư pháp,Giấy khai sinh\r\n1.000002,X,Bộ Không Có,Giấy khai sinh\r\n".into(), "3:12", "E0301"),
    ] {
        let (tmp, o) = import_table(&csv);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{csv:?}\n{err}");
        assert!(
            err.contains(&format!("t.csv:{at}: error[{code}/")),
            "{csv:?}: expected {at} {code}, got\n{err}"
        );
        assert!(!tmp.path().join("out").exists());
    }
}

#[test]
fn rows_merged_under_one_code_are_said() {
    let (tmp, o) = import_table(&format!(
        "{HEAD}1.000001,Đăng ký A,Bộ Tư pháp,Tờ khai\n1.000001,Đăng ký B,Bộ Tư pháp,Giấy khai sinh\n"
    ));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("t.csv:3:10: warning[W0604/rows-merged]: this row shares code `1.000001` with line 2 but names `Đăng ký B`"),
        "{}",
        stderr(&o)
    );
    assert!(tmp.path().join("out/bo-tu-phap/1.000001.yaml").is_file());
}

fn import_portal(dir: &Path) -> std::process::Output {
    tthc([
        "import".as_ref(),
        "portal".as_ref(),
        dir.as_os_str(),
        "--out".as_ref(),
        dir.join("out").as_os_str(),
    ])
}

#[test]
fn portal_records_need_a_name_and_an_import_needs_records() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("bo-tu-phap");
    std::fs::create_dir_all(&d).unwrap();
    let o = import_portal(tmp.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error[E0004/empty-file]: no portal records"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        d.join("r.json"),
        "{\n  \"ma_thu_tuc\": \"1.000001\",\n  \"ten_thu_tuc\": \"  \"\n}\n",
    )
    .unwrap();
    let o = import_portal(tmp.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("r.json:3:3: error[E0103/shape]: record `1.000001` has no procedure name"),
        "{}",
        stderr(&o)
    );
}

/// What the importers write checks clean, even from text that broke it:
/// an escape followed by a combining accent, a number glued to a typo, a
/// number whose issuer is cut, a control character.
#[test]
fn imports_of_awkward_text_check_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("bo-tu-phap");
    std::fs::create_dir_all(&d).unwrap();
    let dossier = "Tên giấy tờMẫu đơn, tờ khaiSố lượngGiấy khai sinh\n\u{301}theo Nghị định 123/2015/NĐ-CPa) 1 bản chínhBản sao 104/2022/Ab \u{7} giấy1 bản chính";
    let record = serde_json::json!({
        "ma_thu_tuc": "1.000001",
        "ten_thu_tuc": "Đăng ký\n\u{301} \u{1b}[2J",
        "thanh_phan_ho_so": dossier,
        "can_cu_phap_ly": "Luật 104/2022/Ab",
    });
    std::fs::write(d.join("r.json"), record.to_string()).unwrap();
    let o = import_portal(tmp.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let check = tthc(["check".as_ref(), tmp.path().join("out").as_os_str()]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let y = std::fs::read_to_string(tmp.path().join("out/bo-tu-phap/1.000001.yaml")).unwrap();
    assert!(y.contains("123/2015/NĐ-CP"), "{y}");
    assert!(!y.contains("NĐ-C\n") && !y.contains("NĐ-C\""), "{y}");
    let (tmp2, o) = import_table(&format!(
        "{HEAD}1.000001,X,Bộ Tư pháp,\"Giấy khai sinh theo Nghị định 123/2015/NĐ-CPa)\"\n"
    ));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let check = tthc(["check".as_ref(), tmp2.path().join("out").as_os_str()]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}
