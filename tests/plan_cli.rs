//! `tthc plan`: the amendment plan through the real binary.

mod common;
use common::*;
use serde_json::Value;

const PLAN: &str = "tests/fixtures/plan";

#[test]
fn plan_json_groups_cuts_by_document_then_provision() {
    let out = tthc(["plan", PLAN, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["schema"], "tthc.plan/1");
    let docs = v["documents"].as_array().unwrap();
    // Only the decree mandates papers that data cuts; the law mandates the form.
    assert_eq!(docs.len(), 1, "{docs:?}");
    let d = &docs[0];
    assert_eq!(d["number"], "123/2015/NĐ-CP");
    // The reference catalogue's title wins over one a procedure gives.
    assert_eq!(
        d["title"],
        "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch"
    );
    let provisions: Vec<&str> = d["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["provision"].as_str().unwrap())
        .collect();
    // Document order; the unrecognised paper (Điều 3) is not a cut.
    assert_eq!(
        provisions,
        ["Điểm a khoản 1 Điều 2", "Khoản 2 Điều 2", "Điều 10"]
    );
    let cut = &d["provisions"][0]["cuts"][0];
    assert_eq!(cut["procedure"], "1.000002");
    assert_eq!(cut["component"], "Thẻ căn cước công dân");
    assert_eq!(cut["verdict"], "replaceable");
    assert!(cut["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == "csdl-dan-cu"));
    // A cut with no provision is listed with where to look.
    let un = &v["unattributed"][0];
    assert_eq!(un["component"], "Giấy khai tử");
    assert_eq!(
        un["legal_basis"],
        serde_json::json!(["123/2015/NĐ-CP", "60/2014/QH13"])
    );
}

#[test]
fn plan_text_csv_and_xlsx() {
    let out = tthc(["plan", PLAN]);
    assert_eq!(out.status.code(), Some(0));
    let s = stdout(&out);
    assert!(s.contains("Nghị định số 123/2015/NĐ-CP"), "{s}");
    let out = tthc(["plan", PLAN, "--format", "csv"]);
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBF"));
    let mut r = csv::Reader::from_reader(&out.stdout[3..]);
    assert_eq!(r.records().count(), 4);
    // xlsx needs a file.
    assert_eq!(
        tthc(["plan", PLAN, "--format", "xlsx"]).status.code(),
        Some(2)
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.xlsx");
    let out = tthc([
        "plan".as_ref(),
        PLAN.as_ref(),
        "--format".as_ref(),
        "xlsx".as_ref(),
        "--out".as_ref(),
        path.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    use calamine::{open_workbook_auto, Reader};
    let mut wb = open_workbook_auto(&path).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.height(), 5);
    assert_eq!(range.get((1, 0)).unwrap().to_string(), "123/2015/NĐ-CP");
}

#[test]
fn plan_on_the_shipped_catalogue_is_stable() {
    let a = tthc(["plan", "procedures", "--format", "json"]);
    let b = tthc(["plan", "procedures", "--format", "json"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    let v: Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert!(v["documents"].as_array().unwrap().len() > 10);
}

#[test]
fn plan_documents_by_kind_then_year_and_number_with_their_drafter() {
    let out = tthc(["plan", "procedures", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let docs = v["documents"].as_array().unwrap();
    let numbers: Vec<&str> = docs.iter().map(|d| d["number"].as_str().unwrap()).collect();
    // Decrees (and circulars) by year, then by number read as a number.
    for kind in ["/NĐ-CP", "/TT-"] {
        let keys: Vec<(u32, f64)> = numbers
            .iter()
            .filter(|n| n.contains(kind))
            .map(|n| {
                let mut p = n.split('/');
                let num: f64 = p.next().unwrap().parse().unwrap();
                (p.next().unwrap().parse().unwrap(), num)
            })
            .collect();
        assert!(keys.len() > 2, "{kind}: {numbers:?}");
        assert!(
            keys.windows(2).all(|w| w[0] <= w[1]),
            "{kind} out of order: {numbers:?}"
        );
    }
    // Laws come before decrees, decrees before circulars.
    let first = |pat: &str| numbers.iter().position(|n| n.contains(pat)).unwrap();
    let last = |pat: &str| numbers.iter().rposition(|n| n.contains(pat)).unwrap();
    assert!(last("/NĐ-CP") < first("/TT-"), "{numbers:?}");
    // A circular is drafted by the ministry its number names.
    for d in docs {
        let n = d["number"].as_str().unwrap();
        if n.ends_with("/TT-BTC") {
            assert_eq!(d["drafter"]["id"], "bo-tai-chinh", "{n}");
        }
        assert!(d["drafter"]["name"].is_string(), "{n} has a drafter");
    }
}

#[test]
fn plan_rows_carry_the_action_its_basis_and_the_date() {
    let out = tthc(["plan", PLAN, "--format", "csv"]);
    let mut r = csv::Reader::from_reader(&out.stdout[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[header.len() - 3..], ["action", "basis", "from"]);
    let row = r.records().next().unwrap().unwrap();
    let n = header.len();
    assert!(row[n - 3].starts_with("Bỏ yêu cầu nộp"), "{row:?}");
    assert!(row[n - 2].contains("66.7/2025/NQ-CP"), "{row:?}");
    assert!(
        regex::Regex::new(r"^\d{2}/\d{2}/\d{4}$")
            .unwrap()
            .is_match(&row[n - 1]),
        "{row:?}"
    );
}
