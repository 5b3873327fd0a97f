//! Cues, kinds of paper, freshness, land phases, assumed dates and
//! unnamed provinces, through the real binary on the fixture catalogue
//! `tests/fixtures/cues`, where each component exercises one rule.

mod common;
use common::*;
use serde_json::Value;

const CUES: &str = "tests/fixtures/cues";

fn analyse_json(extra: &[&str]) -> Value {
    let mut args = vec!["analyse", CUES, "--format", "json"];
    args.extend_from_slice(extra);
    let out = tthc(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("json")
}

fn component<'a>(v: &'a Value, code: &str, id: &str) -> &'a Value {
    v["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .unwrap_or_else(|| panic!("no procedure {code}"))["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no component {id}"))
}

/// (verdict, reason_code, reason) of a component of 1.000001.
fn said(v: &Value, id: &str) -> (String, String, String) {
    let c = component(v, "1.000001", id);
    (
        c["verdict"].as_str().unwrap().to_owned(),
        c["reason_code"].as_str().unwrap().to_owned(),
        c["reason"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn a_paper_issued_abroad_is_never_replaced() {
    let v = analyse_json(&[]);
    let (verdict, code, reason) = said(&v, "van-bang-nuoc-ngoai");
    assert_eq!((verdict.as_str(), code.as_str()), ("keep", "issued-abroad"));
    assert!(reason.contains("do nước ngoài cấp"), "{reason}");
    assert!(reason.contains("cơ sở giáo dục nước ngoài"), "{reason}");
    // Without the cue the same paper is replaced once its source is
    // ready; before, only an assumed date is known, so it is kept.
    assert_eq!(said(&v, "van-bang").0, "keep");
    // Even with every source ready, the bar holds.
    let later = analyse_json(&["--as-of", "2030-01-01", "--include-pilot"]);
    assert_eq!(said(&later, "van-bang-nuoc-ngoai").0, "keep");
    assert_eq!(said(&later, "van-bang").0, "replaceable");
}

#[test]
fn a_foreigners_passport_is_not_the_vietnamese_one() {
    let v = analyse_json(&[]);
    let (verdict, code, reason) = said(&v, "ho-chieu-nguoi-nuoc-ngoai");
    assert_eq!(
        (verdict.as_str(), code.as_str()),
        ("keep", "holder-not-held")
    );
    assert!(reason.contains("người nước ngoài"), "{reason}");
    assert!(reason.contains("chỉ cấp cho công dân Việt Nam"), "{reason}");
    let c = component(&v, "1.000001", "ho-chieu-nguoi-nuoc-ngoai");
    assert_eq!(c["barred"][0]["document"], "ho-chieu");
    assert_eq!(c["barred"][0]["why"], "holder-not-held");
    assert_eq!(c["cues"][0]["cue"], "holder");
    assert_eq!(c["cues"][0]["holders"][0], "foreigner");
}

#[test]
fn a_passport_is_replaced_only_when_shown_to_be_a_citizens() {
    let v = analyse_json(&[]);
    let at = |code, id| component(&v, code, id);
    // Applicants who may be foreigners: whose passport it is, is not shown.
    let c = at("1.000003", "ho-chieu");
    assert_eq!(c["verdict"], "keep");
    assert_eq!(c["reason_code"], "holder-unstated");
    assert_eq!(c["barred"][0]["why"], "holder-unstated");
    let reason = c["reason"].as_str().unwrap();
    assert!(
        reason.contains("có thể là của người nước ngoài"),
        "{reason}"
    );
    assert!(
        reason.contains("Công dân Việt Nam, Người nước ngoài"),
        "{reason}"
    );
    // The line's own words show it.
    assert_eq!(
        at("1.000003", "ho-chieu-cong-dan")["verdict"],
        "replaceable"
    );
    // Every person applying is a citizen.
    assert_eq!(at("1.000004", "ho-chieu")["verdict"], "replaceable");
    // Only organisations apply: the passport is someone else's, unstated.
    let c = at("1.000005", "ho-chieu");
    assert_eq!(c["reason_code"], "holder-unstated");
    assert!(c["reason"]
        .as_str()
        .unwrap()
        .contains("không nói rõ của ai"));
}

#[test]
fn a_vietnamese_passport_is_justified_under_point_10() {
    let v = analyse_json(&[]);
    let (verdict, code, reason) = said(&v, "ho-chieu-viet-nam");
    assert_eq!(
        (verdict.as_str(), code.as_str()),
        ("replaceable", "replaced-by-document")
    );
    assert!(reason.contains("Khoản 10 Điều 4"), "{reason}");
    assert!(reason.contains("của công dân Việt Nam"), "{reason}");
}

#[test]
fn a_residence_card_issued_in_vietnam_is_held_by_the_immigration_database() {
    let v = analyse_json(&[]);
    let c = component(&v, "1.000001", "the-tam-tru");
    assert_eq!(c["verdict"], "replaceable");
    assert_eq!(source_ids(c), ["csdl-xnc"]);
    assert!(c["reason"]
        .as_str()
        .unwrap()
        .contains("của người nước ngoài"));
}

#[test]
fn a_source_holds_only_its_holders_papers() {
    let v = analyse_json(&[]);
    let (verdict, code, reason) = said(&v, "khai-sinh-nguoi-nuoc-ngoai");
    assert_eq!(
        (verdict.as_str(), code.as_str()),
        ("keep", "holder-not-held")
    );
    assert!(
        reason.contains("CSDL hộ tịch chỉ lưu giấy tờ của công dân Việt Nam"),
        "{reason}"
    );
    let c = component(&v, "1.000001", "khai-sinh-nguoi-nuoc-ngoai");
    assert_eq!(c["blocked"][0]["source"]["id"], "csdl-ho-tich");
    assert_eq!(c["blocked"][0]["why"], "holder-not-held");
    // An organisation's paper: a foreign organisation's registration.
    let (verdict, code, _) = said(&v, "dkdn-nuoc-ngoai");
    assert_eq!(
        (verdict.as_str(), code.as_str()),
        ("keep", "holder-not-held")
    );
}

#[test]
fn a_procedure_for_foreigners_speaks_only_through_typed_holders() {
    let v = analyse_json(&[]);
    let at = |id| component(&v, "1.000002", id);
    // The foreigner's passport is not the Vietnamese passport.
    assert_eq!(at("ho-chieu")["verdict"], "keep");
    assert_eq!(at("ho-chieu")["reason_code"], "holder-not-held");
    // Papers of other people, or of organisations, are untouched.
    assert_eq!(at("khai-sinh")["verdict"], "conditional");
    assert_eq!(at("dkdn")["verdict"], "replaceable");
    // A component's own cue comes first.
    assert_eq!(at("can-cuoc-bao-lanh")["verdict"], "replaceable");
}

#[test]
fn photos_and_drawings_are_kinds_data_never_replaces() {
    for extra in [&[][..], &["--as-of", "2030-01-01", "--include-pilot"][..]] {
        let v = analyse_json(extra);
        let (verdict, code, reason) = said(&v, "anh");
        assert_eq!(
            (verdict.as_str(), code.as_str()),
            ("keep", "kind-not-replaced")
        );
        // The reason names the paper as written, not a document type.
        assert!(reason.starts_with("“02 ảnh màu"), "{reason}");
        assert!(reason.contains("ảnh chụp nộp kèm hồ sơ"), "{reason}");
    }
    // An alternative data replaces still replaces the component.
    let v = analyse_json(&[]);
    assert_eq!(said(&v, "ban-ve-hoac-can-cuoc").0, "replaceable");
}

#[test]
fn an_original_to_surrender_is_kept() {
    let v = analyse_json(&["--as-of", "2030-01-01"]);
    let (verdict, code, reason) = said(&v, "ban-goc");
    assert_eq!(
        (verdict.as_str(), code.as_str()),
        ("keep", "surrender-original")
    );
    assert!(reason.contains("phải nộp lại"), "{reason}");
}

#[test]
fn freshness_needs_a_source_that_declares_it() {
    let v = analyse_json(&[]);
    // The criminal-record database declares its freshness.
    assert_eq!(said(&v, "lltp-moi").0, "replaceable");
    // The other does not: the recent paper is kept, the plain one is not.
    let (verdict, code, reason) = said(&v, "xac-nhan-moi");
    assert_eq!((verdict.as_str(), code.as_str()), ("keep", "not-fresh"));
    assert!(reason.contains("không quá 6 tháng"), "{reason}");
    assert!(reason.contains("CSDL xác nhận"), "{reason}");
    assert_eq!(said(&v, "xac-nhan").0, "replaceable");
}

#[test]
fn land_beyond_the_first_phase() {
    let v = analyse_json(&[]);
    // Residential land: replaced.
    assert_eq!(said(&v, "dat-o").0, "replaceable");
    // Unstated: only for residential land, and said so.
    let (verdict, code, reason) = said(&v, "dat");
    assert_eq!(
        (verdict.as_str(), code.as_str()),
        ("conditional", "residential-land-only")
    );
    assert!(reason.contains("chỉ đối với đất ở"), "{reason}");
    let c = component(&v, "1.000001", "dat");
    assert_eq!(c["condition"]["kind"], "residential-land");
    // Agricultural land: served only from a date the catalogue assumes,
    // so kept until then, with the outlook and its cue said.
    let (verdict, code, reason) = said(&v, "dat-nong-nghiep");
    assert_eq!(
        (verdict.as_str(), code.as_str()),
        ("keep", "non-residential-land")
    );
    assert!(reason.contains("đất nông nghiệp"), "{reason}");
    assert!(reason.contains("giả định"), "{reason}");
    let before = analyse_json(&["--as-of", "2027-05-31"]);
    assert_eq!(said(&before, "dat-nong-nghiep").0, "keep");
    let after = analyse_json(&["--as-of", "2027-06-01"]);
    assert_eq!(said(&after, "dat-nong-nghiep").0, "replaceable");
}

#[test]
fn land_not_served_at_all_is_kept() {
    // The shipped land database has no date for other land.
    let dir = tempfile::tempdir().unwrap();
    let procs = dir.path().join("bo-nong-nghiep-va-moi-truong");
    std::fs::create_dir_all(&procs).unwrap();
    std::fs::write(
        procs.join("1.000001.yaml"),
        "code: \"1.000001\"\nname: Thử\nagency: bo-nong-nghiep-va-moi-truong\ncomponents:\n  - id: dat\n    text: Giấy chứng nhận quyền sử dụng đất trồng lúa\n    accepts: [giay-chung-nhan-quyen-su-dung-dat]\n    cues: [{cue: land, land: other, words: đất trồng lúa}]\n",
    )
    .unwrap();
    let out = tthc([
        "analyse".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let c = &v["procedures"][0]["components"][0];
    assert_eq!(c["verdict"], "keep");
    assert_eq!(c["reason_code"], "non-residential-land");
    let reason = c["reason"].as_str().unwrap();
    assert!(
        reason.contains("chưa có kế hoạch cho loại đất khác"),
        "{reason}"
    );
}

#[test]
fn an_assumed_due_date_is_not_stated_as_fact() {
    let v = analyse_json(&[]);
    // A date no decision fixed is no ground for a cut: kept, the outlook
    // said as an assumption.
    let (verdict, code, reason) = said(&v, "van-bang");
    assert_eq!(
        (verdict.as_str(), code.as_str()),
        ("keep", "from-assumed-date")
    );
    assert!(reason.contains("Chưa đề xuất cắt giảm"), "{reason}");
    assert!(reason.contains("dự kiến (giả định)"), "{reason}");
    let c = component(&v, "1.000001", "van-bang");
    assert_eq!(c["condition"]["assumed"], true);
}

#[test]
fn a_known_minimum_coverage_makes_the_national_verdict_conditional() {
    let v = analyse_json(&[]);
    let (verdict, code, reason) = said(&v, "khai-sinh");
    assert_eq!(
        (verdict.as_str(), code.as_str()),
        ("conditional", "unnamed-province-coverage")
    );
    assert!(reason.contains("46,73%"), "{reason}");
    assert!(reason.contains("không nêu tên"), "{reason}");
    let c = component(&v, "1.000001", "khai-sinh");
    assert_eq!(c["condition"]["kind"], "unnamed-province");
    assert_eq!(c["condition"]["lowest"], 0.4673);
}

#[test]
fn data_only_needs_every_evidence_component_replaced() {
    let v = analyse_json(&[]);
    for p in v["procedures"].as_array().unwrap() {
        assert_eq!(p["data_only"], false, "{}", p["code"]);
    }
    let out = tthc(["explain", "1.000001", CUES]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(!s.contains("hoàn toàn dữ liệu"), "{s}");
    // The chain names the bar and the blocked source.
    assert!(
        s.contains("Hộ chiếu: Hộ chiếu ở đây là của người nước ngoài"),
        "{s}"
    );
    assert!(
        s.contains("Giấy khai sinh ← CSDL hộ tịch: không dùng được"),
        "{s}"
    );
}

#[test]
fn malformed_cues_are_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("catalog")).unwrap();
    std::fs::copy(
        root().join(CUES).join("catalog/reference.yaml"),
        dir.path().join("catalog/reference.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p.yaml"),
        "code: \"1.000001\"\nname: Thử\nagency: bo-a\ncomponents:\n  - text: Hộ chiếu\n    accepts: [ho-chieu]\n    cues:\n      - {cue: holder, words: người nước ngoài}\n      - {cue: freshness, words: không quá, documents: [van-bang], within: {count: 6, unit: month}}\n",
    )
    .unwrap();
    let out = tthc(["check".as_ref(), dir.path().as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("p.yaml:8:") && err.contains("E0405/inconsistent"),
        "{err}"
    );
    assert!(err.contains("takes `holders`"), "{err}");
    assert!(err.contains("p.yaml:9:"), "{err}");
    assert!(err.contains("does not accept"), "{err}");
}
