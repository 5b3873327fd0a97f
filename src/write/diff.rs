//! What changed between rounds, phrased: text for reading, the
//! `tthc.diff/1` JSON with a stable code per reason, CSV for Excel.

use crate::analysis::{Analysis, ReviewState, Verdict};
use crate::phrase::readiness_text;
use crate::phrase::review_label;
use crate::readiness::Readiness;
use crate::review::label;
use crate::solve::diff::{Change, Why};
use crate::write::table::{self, Cell, Table};
use serde_json::{json, Map, Value};
use std::fmt::Write;

/// One reason, in Vietnamese.
pub fn why_vi(a: &Analysis, w: &Why) -> String {
    let t = a.catalog.settings.coverage_threshold.value;
    match w {
        Why::TextChanged => "nội dung thành phần hồ sơ đã được sửa".into(),
        Why::Recognition {
            added,
            removed,
            aliases,
        } => {
            let mut parts = Vec::new();
            if !aliases.is_empty() {
                parts.push(format!(
                    "danh mục bổ sung tên gọi {}",
                    aliases
                        .iter()
                        .map(|(d, a)| format!("«{a}» ({d})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !added.is_empty() {
                parts.push(format!("nhận diện thêm loại giấy tờ {}", added.join(", ")));
            }
            if !removed.is_empty() {
                parts.push(format!("không còn nhận diện {}", removed.join(", ")));
            }
            parts.join("; ")
        }
        Why::Readiness {
            name,
            old_ready,
            new_ready,
            province,
            old,
            new,
            ..
        } => {
            let r = |x: &Option<Readiness>| {
                x.map(|r| readiness_text(r, t))
                    .unwrap_or_else(|| "không trong phạm vi".into())
            };
            format!(
                "{name}: sẵn sàng tại {old_ready} → {new_ready} tỉnh, thành phố{}",
                province
                    .as_ref()
                    .map(|p| format!(" ({p}: {} → {})", r(old), r(new)))
                    .unwrap_or_default()
            )
        }
        Why::Serves { name, now, .. } => {
            if *now {
                format!("{name} nay cung cấp giấy tờ, thông tin của thành phần này")
            } else {
                format!("{name} không còn cung cấp giấy tờ, thông tin của thành phần này")
            }
        }
        Why::Decided {
            decision,
            reviewer,
            date,
        } => format!(
            "người rà soát quyết định «{}»{}{}",
            label(*decision),
            reviewer
                .as_ref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default(),
            date.map(|d| format!(" ngày {}", d.vi()))
                .unwrap_or_default()
        ),
        Why::DecisionRemoved => "quyết định rà soát đã bị rút".into(),
        Why::Definition => {
            "vai trò, nguồn đã khai thác hoặc thông tin cần dùng của thành phần đã sửa".into()
        }
        Why::Other => "dữ liệu tham chiếu khác thay đổi (trường thông tin, tham số)".into(),
    }
}

fn review_text(r: Option<ReviewState>) -> &'static str {
    r.map(review_label).unwrap_or("chưa rà soát")
}

/// What changed of a component: its verdict, its review (or, decided
/// again to the same state, the review it has).
fn what_changed(
    verdict: (Verdict, Verdict),
    review: (Option<ReviewState>, Option<ReviewState>),
) -> String {
    let mut what = Vec::new();
    if verdict.0 != verdict.1 {
        what.push(format!("kết luận: {} → {}", verdict.0.vi(), verdict.1.vi()));
    }
    if review.0 != review.1 {
        what.push(format!(
            "rà soát: {} → {}",
            review_text(review.0),
            review_text(review.1)
        ));
    }
    if what.is_empty() {
        what.push(format!("rà soát: {}", review_text(review.1)));
    }
    what.join("; ")
}

/// The changes as text.
pub fn text(
    old: &Analysis,
    new: &Analysis,
    changes: &[Change],
    old_name: &str,
    new_name: &str,
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Thay đổi từ {old_name} (ngày phân tích {}) đến {new_name} (ngày phân tích {}): {} thay đổi\n",
        old.as_of.vi(),
        new.as_of.vi(),
        crate::number::int(changes.len())
    );
    let short = |t: &str| crate::text::shorten(t, 90);
    let mut current = "";
    for c in changes {
        match c {
            Change::ProcedureAdded { code, name } => {
                let _ = writeln!(s, "+ {code} {name}: thủ tục mới");
            }
            Change::ProcedureRemoved { code, name } => {
                let _ = writeln!(s, "- {code} {name}: thủ tục không còn trong danh mục");
            }
            Change::ComponentAdded {
                code,
                text,
                verdict,
                ..
            } => {
                let _ = writeln!(
                    s,
                    "  {code} + «{}»: thành phần mới ({})",
                    short(text),
                    verdict.vi()
                );
            }
            Change::ComponentRemoved {
                code,
                text,
                verdict,
                ..
            } => {
                let _ = writeln!(
                    s,
                    "  {code} - «{}»: thành phần đã bỏ (trước: {})",
                    short(text),
                    verdict.vi()
                );
            }
            Change::Component {
                code,
                name,
                text,
                old_text,
                verdict,
                review,
                why,
                ..
            } => {
                if current != code.as_str() {
                    let _ = writeln!(s, "{code} {name}");
                    current = code;
                }
                let shown = if old_text != text {
                    format!("«{}» → «{}»", short(old_text), short(text))
                } else {
                    format!("«{}»", short(text))
                };
                let _ = writeln!(s, "  {shown}: {}", what_changed(*verdict, *review));
                for w in why {
                    let _ = writeln!(s, "    vì {}", why_vi(new, w));
                }
            }
        }
    }
    s
}

fn verdict_pair(v: (Verdict, Verdict)) -> Value {
    json!({"old": v.0.as_str(), "new": v.1.as_str()})
}

fn why_json(a: &Analysis, w: &Why) -> Value {
    let t = a.catalog.settings.coverage_threshold.value;
    let mut m = Map::new();
    m.insert("code".into(), json!(w.code()));
    match w {
        Why::Recognition {
            added,
            removed,
            aliases,
        } => {
            m.insert("added".into(), json!(added));
            m.insert("removed".into(), json!(removed));
            m.insert(
                "aliases".into(),
                json!(aliases
                    .iter()
                    .map(|(d, a)| json!({"document": d, "alias": a}))
                    .collect::<Vec<_>>()),
            );
        }
        Why::Readiness {
            source,
            old_ready,
            new_ready,
            province,
            old,
            new,
            ..
        } => {
            m.insert("source".into(), json!(source));
            m.insert("old_ready_provinces".into(), json!(old_ready));
            m.insert("new_ready_provinces".into(), json!(new_ready));
            m.insert("province".into(), json!(province));
            m.insert("old".into(), json!(old.map(|r| readiness_text(r, t))));
            m.insert("new".into(), json!(new.map(|r| readiness_text(r, t))));
        }
        Why::Serves { source, now, .. } => {
            m.insert("source".into(), json!(source));
            m.insert("serves".into(), json!(now));
        }
        Why::Decided {
            decision,
            reviewer,
            date,
        } => {
            m.insert("decision".into(), json!(decision));
            m.insert("reviewer".into(), json!(reviewer));
            m.insert("date".into(), json!(date.map(|d| d.to_string())));
        }
        Why::TextChanged | Why::DecisionRemoved | Why::Definition | Why::Other => {}
    }
    m.insert("text".into(), json!(why_vi(a, w)));
    Value::Object(m)
}

/// The `tthc.diff/1` document.
pub fn json(
    old: &Analysis,
    new: &Analysis,
    changes: &[Change],
    old_name: &str,
    new_name: &str,
) -> Value {
    let review = |r: Option<ReviewState>| json!(r.map(|r| r.as_str()));
    json!({
        "schema": "tthc.diff/1",
        "old": {"catalogue": old_name, "as_of": old.as_of.to_string()},
        "new": {"catalogue": new_name, "as_of": new.as_of.to_string()},
        "changes": changes.iter().map(|c| {
            let mut m = Map::new();
            m.insert("kind".into(), json!(c.kind()));
            m.insert("procedure".into(), json!(c.code()));
            match c {
                Change::ProcedureAdded { name, .. } | Change::ProcedureRemoved { name, .. } => {
                    m.insert("name".into(), json!(name));
                }
                Change::ComponentAdded { key, text, verdict, .. }
                | Change::ComponentRemoved { key, text, verdict, .. } => {
                    m.insert("component_key".into(), json!(key));
                    m.insert("component".into(), json!(text));
                    m.insert("verdict".into(), json!(verdict.as_str()));
                }
                Change::Component { key, old_key, text, old_text, verdict, review: r, why, .. } => {
                    m.insert("component_key".into(), json!(key));
                    m.insert("old_component_key".into(), json!(old_key));
                    m.insert("component".into(), json!(text));
                    m.insert("old_component".into(), json!(old_text));
                    m.insert("verdict".into(), verdict_pair(*verdict));
                    m.insert("review".into(), json!({"old": review(r.0), "new": review(r.1)}));
                    m.insert("reasons".into(), json!(why.iter().map(|w| why_json(new, w)).collect::<Vec<_>>()));
                }
            }
            Value::Object(m)
        }).collect::<Vec<_>>(),
    })
}

/// The changes as CSV, one row each.
pub fn csv(new: &Analysis, changes: &[Change]) -> Result<Vec<u8>, csv::Error> {
    let header = [
        "Mã TTHC",
        "Thay đổi",
        "Khóa thành phần",
        "Thành phần hồ sơ",
        "Kết luận trước",
        "Kết luận sau",
        "Rà soát trước",
        "Rà soát sau",
        "Mã lý do",
        "Lý do",
    ];
    let rows = changes
        .iter()
        .map(|c| {
            let (key, text, v, r, why): (&str, &str, Option<(Verdict, Verdict)>, _, &[Why]) =
                match c {
                    Change::ProcedureAdded { name, .. } | Change::ProcedureRemoved { name, .. } => {
                        ("", name.as_str(), None, None, &[])
                    }
                    Change::ComponentAdded {
                        key, text, verdict, ..
                    } => (key, text, Some((*verdict, *verdict)), None, &[]),
                    Change::ComponentRemoved {
                        key, text, verdict, ..
                    } => (key, text, Some((*verdict, *verdict)), None, &[]),
                    Change::Component {
                        key,
                        text,
                        verdict,
                        review,
                        why,
                        ..
                    } => (key, text, Some(*verdict), Some(*review), why.as_slice()),
                };
            let cells: Vec<Cell> = vec![
                c.code().into(),
                c.kind().into(),
                key.into(),
                text.into(),
                v.map(|v| v.0.as_str()).unwrap_or("").into(),
                v.map(|v| v.1.as_str()).unwrap_or("").into(),
                r.and_then(|r: (Option<ReviewState>, Option<ReviewState>)| r.0)
                    .map(|x| x.as_str())
                    .unwrap_or("")
                    .into(),
                r.and_then(|r| r.1).map(|x| x.as_str()).unwrap_or("").into(),
                why.iter()
                    .map(|w| w.code())
                    .collect::<Vec<_>>()
                    .join(" | ")
                    .into(),
                why.iter()
                    .map(|w| why_vi(new, w))
                    .collect::<Vec<_>>()
                    .join(" | ")
                    .into(),
            ];
            cells
        })
        .collect();
    table::csv(&Table {
        name: String::new(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
        widths: vec![],
    })
}

/// One row of the report's "Thay đổi" page.
pub struct ChangeRow {
    pub code: String,
    /// The procedure has a page in the new report.
    pub linked: bool,
    pub name: String,
    pub component: String,
    pub what: String,
    pub why: Vec<String>,
}

/// The changes as rows for the report.
pub fn rows(old: &Analysis, new: &Analysis, changes: &[Change]) -> Vec<ChangeRow> {
    let name_of = |code: &str| {
        new.catalog
            .procedure_by_code(code)
            .map(|i| new.catalog.procedures[i].name.clone())
            .or_else(|| {
                old.catalog
                    .procedure_by_code(code)
                    .map(|i| old.catalog.procedures[i].name.clone())
            })
            .unwrap_or_default()
    };
    changes
        .iter()
        .map(|c| {
            let (component, what, why) = match c {
                Change::ProcedureAdded { .. } => (String::new(), "thủ tục mới".to_owned(), vec![]),
                Change::ProcedureRemoved { .. } => (
                    String::new(),
                    "thủ tục không còn trong danh mục".to_owned(),
                    vec![],
                ),
                Change::ComponentAdded { text, verdict, .. } => (
                    text.clone(),
                    format!("thành phần mới ({})", verdict.vi()),
                    vec![],
                ),
                Change::ComponentRemoved { text, verdict, .. } => (
                    text.clone(),
                    format!("thành phần đã bỏ (trước: {})", verdict.vi()),
                    vec![],
                ),
                Change::Component {
                    text,
                    verdict,
                    review,
                    why,
                    ..
                } => (
                    text.clone(),
                    what_changed(*verdict, *review),
                    why.iter().map(|w| why_vi(new, w)).collect(),
                ),
            };
            ChangeRow {
                code: c.code().to_owned(),
                linked: new.catalog.procedure_by_code(c.code()).is_some(),
                name: name_of(c.code()),
                component,
                what,
                why,
            }
        })
        .collect()
}
