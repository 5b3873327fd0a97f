//! `tthc analyse` and `tthc explain` through the real binary, on the
//! fixture catalogue `tests/fixtures/solver`, where each component
//! exercises one rule of the solver.

mod common;
use common::*;
use serde_json::Value;

const SOLVER: &str = "tests/fixtures/solver";

fn analyse_json(extra: &[&str]) -> Value {
    let mut args = vec!["analyse", SOLVER, "--format", "json"];
    args.extend_from_slice(extra);
    let out = tthc(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("json")
}

fn component<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["procedures"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no component {id}"))
}

fn verdict(v: &Value, id: &str) -> String {
    component(v, id)["verdict"].as_str().unwrap().to_owned()
}

#[test]
fn json_follows_the_contract() {
    let v = analyse_json(&[]);
    assert_eq!(v["schema"], "tthc.analysis/1");
    let p = &v["procedures"][0];
    assert_eq!(p["code"], "1.000001");
    assert_eq!(p["agency"]["id"], "bo-a");
    assert_eq!(p["agency"]["name"], "Bộ A");
    for c in p["components"].as_array().unwrap() {
        for field in ["id", "name", "verdict", "documents", "sources", "reason"] {
            assert!(!c[field].is_null(), "component lacks {field}: {c}");
        }
        assert!(!c["reason"].as_str().unwrap().is_empty());
    }
    // Each rule of the fixture yields its own stable reason code.
    let codes: Vec<(&str, &str)> = p["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap(),
                c["reason_code"].as_str().unwrap(),
            )
        })
        .collect();
    for (id, code) in [
        ("coverage", "some-provinces"),
        ("pilot", "pilot-only"),
        ("planned", "from-date"),
        ("partial", "partial-elements"),
        ("no-source", "no-source"),
        ("unrecognised", "unrecognised"),
        ("digital", "already-digital"),
    ] {
        assert!(
            codes.contains(&(id, code)),
            "{id}: expected {code} in {codes:?}"
        );
    }
    let s = &v["summary"];
    assert_eq!(s["procedures"], 1);
    assert_eq!(s["components"], 14);
    let by = &s["by_verdict"];
    let total: u64 = [
        "replaceable",
        "conditional",
        "partial",
        "already-digital",
        "form",
        "keep",
    ]
    .iter()
    .map(|k| by[*k].as_u64().unwrap())
    .sum();
    assert_eq!(total, 14);
}

#[test]
fn forms_are_never_replaced() {
    assert_eq!(verdict(&analyse_json(&["--include-pilot"]), "form"), "form");
}

#[test]
fn any_one_alternative_suffices_and_all_available_ones_are_named() {
    let v = analyse_json(&[]);
    let c = component(&v, "alternatives");
    assert_eq!(c["verdict"], "replaceable");
    assert_eq!(
        c["documents"],
        serde_json::json!(["giay-la", "giay-can-cuoc"])
    );
    assert_eq!(source_ids(c), ["csdl-dan-cu", "vneid"]);
}

#[test]
fn element_level_replacement_with_a_derivation() {
    let v = analyse_json(&[]);
    // Giấy cư trú carries ho-ten and noi-o; noi-o derives from noi-thuong-tru.
    let c = component(&v, "elements");
    assert_eq!(c["verdict"], "replaceable");
    assert_eq!(source_ids(c), ["csdl-dan-cu"]);
    let expl = c["explanation"].to_string();
    assert!(expl.contains("Nơi ở ← suy ra từ Nơi thường trú"), "{expl}");
    // relies_on narrows what is needed: only ho-ten.
    assert_eq!(verdict(&v, "relies-on"), "replaceable");
}

#[test]
fn a_derivation_cycle_alone_makes_nothing_available() {
    let v = analyse_json(&[]);
    let c = component(&v, "cycle");
    assert_eq!(c["verdict"], "keep");
    assert_eq!(c["missing"][0]["element"], "vong-a");
}

#[test]
fn a_province_below_the_coverage_threshold() {
    let v = analyse_json(&[]);
    let c = component(&v, "coverage");
    assert_eq!(c["verdict"], "conditional");
    assert_eq!(c["condition"]["kind"], "provinces");
    assert_eq!(c["condition"]["provinces"].as_array().unwrap().len(), 2);
    assert_eq!(c["condition"]["not_in"][0]["id"], "tinh-c");
    assert!(
        c["reason"].as_str().unwrap().contains("46,73%"),
        "{}",
        c["reason"]
    );
    // Province by province: by id, and by name typed without diacritics.
    assert_eq!(
        verdict(&analyse_json(&["--province", "tinh-a"]), "coverage"),
        "replaceable"
    );
    assert_eq!(
        verdict(&analyse_json(&["--province", "tinh c"]), "coverage"),
        "keep"
    );
}

#[test]
fn a_pilot_source_with_and_without_include_pilot() {
    let c = analyse_json(&[]);
    let c = component(&c, "pilot");
    assert_eq!(c["verdict"], "conditional");
    assert_eq!(c["condition"]["kind"], "pilot");
    assert_eq!(c["condition"]["pilot_sources"][0]["id"], "csdl-suc-khoe");
    assert_eq!(
        verdict(&analyse_json(&["--include-pilot"]), "pilot"),
        "replaceable"
    );
}

#[test]
fn a_planned_source_before_and_after_its_due_date() {
    let v = analyse_json(&[]);
    let c = component(&v, "planned");
    assert_eq!(c["verdict"], "conditional");
    assert_eq!(c["condition"]["kind"], "from-date");
    assert_eq!(c["condition"]["from"], "2026-06-30");
    assert_eq!(
        verdict(&analyse_json(&["--as-of", "2026-06-29"]), "planned"),
        "conditional"
    );
    assert_eq!(
        verdict(&analyse_json(&["--as-of", "2026-06-30"]), "planned"),
        "replaceable"
    );
}

#[test]
fn partial_names_the_missing_element() {
    let v = analyse_json(&[]);
    let c = component(&v, "partial");
    assert_eq!(c["verdict"], "partial");
    assert_eq!(c["available_elements"], serde_json::json!(["ho-ten"]));
    assert_eq!(c["missing"][0]["element"], "chu-ky");
    assert_eq!(source_ids(c), ["csdl-dan-cu"]);
}

#[test]
fn several_papers_asked_together_are_replaced_only_when_every_part_is() {
    let v = analyse_json(&[]);
    let all = component(&v, "all-parts");
    assert_eq!(all["verdict"], "replaceable");
    assert_eq!(all["reason_code"], "all-parts");
    assert_eq!(all["parts"].as_array().unwrap().len(), 2);
    assert_eq!(all["parts"][1]["text"], "giấy cư trú");
    assert_eq!(all["parts"][1]["start"], 16);
    assert_eq!(all["parts"][1]["verdict"], "replaceable");
    // The words that named a type, with character offsets into the text.
    assert_eq!(all["matched"][0]["document"], "giay-can-cuoc");
    assert_eq!(all["matched"][0]["text"], "Thẻ căn cước");
    assert_eq!(all["matched"][0]["start"], 0);
    assert_eq!(all["matched"][0]["end"], 12);
    // A paper no type names keeps the component from being cut.
    let some = component(&v, "some-parts");
    assert_eq!(some["verdict"], "partial");
    assert_eq!(some["reason_code"], "some-parts");
    assert_eq!(some["parts"][1]["verdict"], "keep");
    assert_eq!(some["parts"][1]["reason_code"], "not-named");
    assert!(
        some["reason"]
            .as_str()
            .unwrap()
            .contains("vẫn phải nộp: «bản tường trình sự việc»"),
        "{}",
        some["reason"]
    );
    let out = tthc(["explain", "1.000001", SOLVER]);
    let text = stdout(&out);
    assert!(
        text.contains("Nhận diện: «Thẻ căn cước»")
            && !text.contains("«Thẻ căn cước» → Thẻ căn cước"),
        "{text}"
    );
    assert!(
        text.contains("Giấy tờ 2/2 «bản tường trình sự việc»"),
        "{text}"
    );
}

#[test]
fn keep_says_why() {
    let v = analyse_json(&[]);
    let none = component(&v, "no-source");
    assert_eq!(none["verdict"], "keep");
    assert!(none["reason"]
        .as_str()
        .unwrap()
        .contains("chưa có nguồn dữ liệu"));
    let unrec = component(&v, "unrecognised");
    assert_eq!(unrec["verdict"], "keep");
    // For a reviewer: the paper is not in the catalogue's list, to review
    // (never "bí danh", a pseudonym in administrative Vietnamese).
    let r = unrec["reason"].as_str().unwrap();
    assert!(
        r.contains("Chưa nhận diện được giấy tờ này trong danh sách loại giấy tờ"),
        "{r}"
    );
    assert!(r.contains("cần cán bộ rà soát"), "{r}");
    assert!(!r.contains("bí danh"), "{r}");
    let dig = component(&v, "digital");
    assert_eq!(dig["verdict"], "already-digital");
    assert_eq!(source_ids(dig), ["csdl-ho-tich"]);
}

#[test]
fn a_scenario_file_overrides_sources() {
    let v = analyse_json(&["--scenario", "tests/fixtures/scenarios/van-bang-ready.yaml"]);
    assert_eq!(verdict(&v, "planned"), "replaceable");
    assert_eq!(verdict(&v, "coverage"), "replaceable");
    // Untouched sources keep their state.
    assert_eq!(verdict(&v, "pilot"), "conditional");
}

#[test]
fn a_bad_scenario_is_rejected_with_a_located_error() {
    let out = tthc([
        "analyse",
        SOLVER,
        "--scenario",
        "tests/fixtures/scenarios/bad.yaml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("tests/fixtures/scenarios/bad.yaml:2:9: error[E0301/unknown-reference]"),
        "{err}"
    );
    assert!(err.contains("did you mean `csdl-van-bang`?"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn unlock_ranking_lists_what_would_help() {
    let v = analyse_json(&[]);
    let ids: Vec<&str> = v["summary"]["unlock"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    for id in [
        "csdl-van-bang",
        "csdl-suc-khoe",
        "csdl-ho-tich",
        "chu-ky",
        "vong-a",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[test]
fn summary_by_ministry_splits_routes() {
    let v = analyse_json(&[]);
    let row = &v["summary"]["by_ministry"][0];
    assert_eq!(row["agency"], "bo-a");
    assert_eq!(row["procedures_replaceable"], 1);
    assert_eq!(row["via_vneid"], 1);
    assert_eq!(row["via_database"], 1);
    let out = tthc(["analyse", SOLVER, "--summary"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Bộ A"), "{}", stdout(&out));
}

#[test]
fn csv_has_a_bom_and_one_row_per_component() {
    let out = tthc(["analyse", SOLVER, "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBF"));
    let mut r = csv::Reader::from_reader(&out.stdout[3..]);
    assert_eq!(r.records().count(), 14);
}

#[test]
fn out_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    let out = tthc([
        "analyse".as_ref(),
        SOLVER.as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--out".as_ref(),
        path.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["schema"], "tthc.analysis/1");
    assert!(stdout(&out).is_empty());
    // Only the output file is left in the directory.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn explain_prints_the_chain() {
    let out = tthc(["explain", "1.000001", SOLVER]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(s.contains("Thẻ căn cước ← CSDL dân cư"), "{s}");
    assert!(
        s.contains("Khoản 1 Điều 4 Nghị quyết số 66.7/2025/NQ-CP"),
        "{s}"
    );
    let out = tthc(["explain", "1.000002", SOLVER]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("did you mean `1.000001`?"));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["analyse", SOLVER, "--province", "Atlantis"],
        // Ambiguous: Bắc Ninh, Quảng Ninh and Tây Ninh.
        vec!["analyse", "procedures", "--province", "ninh"],
        vec!["analyse", SOLVER, "--as-of", "2026-02-30"],
        vec!["analyse", SOLVER, "--format", "pdf"],
    ] {
        let out = tthc(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn shipped_catalogue_json_is_byte_identical_across_runs() {
    let a = tthc(["analyse", "procedures", "--format", "json"]);
    let b = tthc(["analyse", "procedures", "--format", "json"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert!(!a.stdout.is_empty());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn no_form_is_ever_replaceable_in_the_shipped_catalogue() {
    for extra in [&[][..], &["--include-pilot", "--as-of", "2030-01-01"][..]] {
        let mut args = vec!["analyse", "procedures", "--format", "json"];
        args.extend_from_slice(extra);
        let out = tthc(&args);
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let mut forms = 0;
        for p in v["procedures"].as_array().unwrap() {
            for c in p["components"].as_array().unwrap() {
                let text = c["name"].as_str().unwrap().to_lowercase();
                let looks_like_form = text.starts_with("tờ khai") || text.starts_with("đơn ");
                if c["verdict"] == "form" || looks_like_form {
                    forms += 1;
                    assert_ne!(c["verdict"], "replaceable", "{}: {}", p["code"], c["name"]);
                }
            }
        }
        assert!(forms > 0);
    }
}
