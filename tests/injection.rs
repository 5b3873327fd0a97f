//! What input text can do to the programs that read tthc's output: CSV and
//! XLSX cells that would run as formulas are neutralised (JSON stays
//! exact), terminal escapes in names are shown, not obeyed, control
//! characters in YAML text are refused where written, and Markdown reports
//! carry input as text. Through the real binary.

mod common;
use common::*;
use std::path::Path;

const NAME: &str = "=HYPERLINK(\"http://x\") giấy";
const COMPONENT: &str = "=cmd|' /C calc'!A0 giấy khai sinh";

/// The plan fixture with hostile names: a catalogue in `dir`.
fn hostile_catalogue(dir: &Path) {
    let src = std::fs::read_to_string(fixture("plan/bo-tu-phap/1.000001.yaml")).unwrap();
    let y = src
        .replace(
            "name: Thủ tục thử A",
            &format!("name: '{}'", NAME.replace('\'', "''")),
        )
        .replace(
            "text: Bản sao giấy khai sinh",
            &format!("text: '{}'", COMPONENT.replace('\'', "''")),
        )
        .replace(
            "text: Giấy chứng nhận kết hôn",
            "text: \"- Bản sao giấy chứng nhận kết hôn \\u202E\"",
        );
    std::fs::create_dir_all(dir.join("bo-tu-phap")).unwrap();
    std::fs::write(dir.join("bo-tu-phap/1.000001.yaml"), y).unwrap();
}

#[test]
fn csv_and_xlsx_cells_are_neutralised_and_json_stays_exact() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    hostile_catalogue(&c);
    let check = tthc(["check".as_ref(), c.as_os_str()]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    for cmd in ["analyse", "plan"] {
        let o = tthc([
            cmd.as_ref(),
            c.as_os_str(),
            "--format".as_ref(),
            "csv".as_ref(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = stdout(&o);
        let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let cells: Vec<String> = rdr
            .records()
            .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        assert!(cells.contains(&format!("'{NAME}")), "{cmd}: {cells:?}");
        assert!(cells.contains(&format!("'{COMPONENT}")), "{cmd}: {cells:?}");
        assert!(
            cells
                .iter()
                .any(|c| c.starts_with("'- Bản sao giấy chứng nhận kết hôn")),
            "{cmd}: {cells:?}"
        );
        for cell in &cells {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cmd}: unneutralised cell {cell:?}"
            );
        }
    }
    // XLSX text cells too.
    let xlsx = tmp.path().join("plan.xlsx");
    let o = tthc([
        "plan".as_ref(),
        c.as_os_str(),
        "--format".as_ref(),
        "xlsx".as_ref(),
        "--out".as_ref(),
        xlsx.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let cells = tthc::read::xlsx::first_sheet(&xlsx, "plan.xlsx", Default::default()).unwrap();
    let values: Vec<&str> = cells.iter().map(|c| c.value.as_str()).collect();
    assert!(values.contains(&format!("'{NAME}").as_str()), "{values:?}");
    assert!(
        values.iter().all(|v| !v.starts_with(['=', '+', '-', '@'])),
        "{values:?}"
    );
    // JSON keeps the text exactly.
    let o = tthc([
        "analyse".as_ref(),
        c.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["procedures"][0]["name"], NAME);
    assert_eq!(v["procedures"][0]["components"][1]["name"], COMPONENT);
}

#[test]
fn terminal_controls_in_names_are_shown_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    hostile_catalogue(&c);
    for args in [
        vec!["explain", "1.000001"],
        vec!["analyse"],
        vec!["plan"],
        vec!["analyse", "--summary"],
    ] {
        let mut a: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        a.insert(if args[0] == "explain" { 2 } else { 1 }, c.clone().into());
        let o = tthc(a);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(!out.contains('\u{202E}'), "{args:?}: raw override printed");
        if args != ["analyse", "--summary"] {
            assert!(out.contains("\\u{202e}"), "{args:?}: {out}");
        }
    }
    // Escapes written in YAML text: refused where written.
    for (escape, shown) in [
        ("\\e]0;owned\\a", "\\u{1b}"),
        ("\\e[2J", "\\u{1b}"),
        ("a\\rb", "\\u{d}"),
    ] {
        let d = tmp.path().join("bad");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("p.yaml"),
            format!("code: \"1.000001\"\nname: \"Thủ tục {escape}\"\nagency: bo-tu-phap\ncomponents:\n  - text: Tờ khai\n    role: form\n"),
        )
        .unwrap();
        let o = tthc(["check".as_ref(), d.as_os_str()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!(
                "p.yaml:2:7: error[E0103/shape]: invalid text: control character {shown} is not allowed"
            )),
            "{err}"
        );
        assert!(!err.contains('\u{1b}'), "raw escape printed: {err:?}");
    }
}

#[test]
fn import_reports_carry_input_as_markdown_text() {
    let tmp = tempfile::tempdir().unwrap();
    let table = tmp.path().join("t.csv");
    std::fs::write(
        &table,
        "code,name,agency,component\n2.002093,X,Bộ Công Thương,<script>alert(1)</script>\n2.002093,X,Bộ Công Thương,[x](javascript:alert(1))\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = tthc([
        "import".as_ref(),
        "table".as_ref(),
        table.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(out.join("import-report.md")).unwrap();
    assert!(!md.contains("<script>"), "{md}");
    assert!(!md.contains("[x](javascript"), "{md}");
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"), "{md}");
    assert!(md.contains("\\[x\\](javascript:alert(1))"), "{md}");
}
