//! The importers' law: whatever text a portal record or a table holds, an
//! import that succeeds writes a catalogue that `check` accepts, and no
//! import panics. Arbitrary text is built from the fragments that broke it
//! before (escapes before combining accents, document numbers glued to
//! typos, control characters, YAML's special words) and any characters.

use proptest::prelude::*;
use std::path::Path;
use std::sync::LazyLock;
use tthc::load::InputFile;

static REFERENCE: LazyLock<tthc::model::Catalog> = LazyLock::new(|| {
    tthc::load_files(&tthc::reference::files(), vec![])
        .catalog
        .expect("reference catalogue")
});

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Giấy khai sinh".to_owned()),
        Just(" hoặc ".to_owned()),
        Just("Bản sao ".to_owned()),
        Just("Tờ khai ".to_owned()),
        Just("1 bản chính".to_owned()),
        Just(", 1 bản sao".to_owned()),
        Just("0 bản chính".to_owned()),
        Just("Tên giấy tờMẫu đơn, tờ khaiSố lượng".to_owned()),
        Just("* Trường hợp ".to_owned()),
        Just("123/2015/NĐ-CP".to_owned()),
        Just("NĐ-CPa)".to_owned()),
        Just("104/2022/".to_owned()),
        Just("Ab".to_owned()),
        Just("60/2014/QH13".to_owned()),
        Just("khoản 1 Điều 2 ".to_owned()),
        Just("Mẫu số 18".to_owned()),
        Just("\\n".to_owned()),
        Just("\n".to_owned()),
        Just("\u{301}".to_owned()),
        Just("\u{1b}[2J".to_owned()),
        Just("\r".to_owned()),
        Just("\u{0}".to_owned()),
        Just("\u{202e}".to_owned()),
        Just("null".to_owned()),
        Just("~".to_owned()),
        Just("Y".to_owned()),
        Just("- ".to_owned()),
        Just(": ".to_owned()),
        Just(" #".to_owned()),
        Just("'\"".to_owned()),
        Just("1.000001".to_owned()),
        Just("=cmd|".to_owned()),
        any::<char>().prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..24).prop_map(|v| v.concat())
}

/// Checks what an import wrote, against the built-in reference data.
fn assert_checks_clean(imported: &tthc::import::Imported) -> Result<(), TestCaseError> {
    let files =
        tthc::import::render(imported, "test").map_err(|d| TestCaseError::fail(d.to_string()))?;
    let mut inputs: Vec<InputFile> = files
        .iter()
        .map(|(rel, bytes)| InputFile {
            display: rel.display().to_string(),
            kind: tthc::load::FileKind::Procedure,
            text: String::from_utf8(bytes.clone()).expect("imports write UTF-8"),
        })
        .collect();
    inputs.extend(tthc::reference::files());
    let loaded = tthc::load_files(&inputs, vec![]);
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    let yaml: Vec<String> = files
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    prop_assert!(errors.is_empty(), "{errors:#?}\n{}", yaml.join("\n---\n"));
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn portal_imports_check_clean(
        name in text(),
        dossier in text(),
        legal in text(),
        results in text(),
        channels in text(),
        applicants in text(),
        sector in text(),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let record = serde_json::json!({
            "ma_thu_tuc": "1.000001",
            "ten_thu_tuc": name,
            "thanh_phan_ho_so": format!("Tên giấy tờMẫu đơn, tờ khaiSố lượng{dossier}"),
            "can_cu_phap_ly": legal,
            "ket_qua_xu_ly": results,
            "cach_thuc_thuc_hien": format!("Trực tuyến{channels}"),
            "doi_tuong_thuc_hien": applicants,
            "linh_vuc": sector,
            "yeu_cau_dieu_kien": dossier,
        });
        let path = tmp.path().join("bo-tu-phap/1.000001.json");
        write(&path, record.to_string().as_bytes());
        let imported = tthc::import::portal::import(&REFERENCE, &[tmp.path().to_path_buf()]);
        if !imported.diagnostics.iter().any(|d| d.is_error()) {
            assert_checks_clean(&imported)?;
        }
    }

    #[test]
    fn table_imports_check_clean(
        rows in prop::collection::vec((text(), text(), text(), text(), text()), 1..4),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["code", "name", "agency", "component", "legal_text", "provision", "ghi_chu"]).unwrap();
        for (name, component, legal, provision, note) in &rows {
            w.write_record(["1.000001", name, "Bộ Tư pháp", component, legal, provision, note]).unwrap();
        }
        let path = tmp.path().join("t.csv");
        write(&path, &w.into_inner().unwrap());
        let imported = tthc::import::table::import(&REFERENCE, &path);
        if !imported.diagnostics.iter().any(|d| d.is_error()) {
            assert_checks_clean(&imported)?;
        }
    }
}
