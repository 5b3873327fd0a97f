//! Renderers of an analysis: the `tthc.analysis/1` JSON of the contract,
//! readable text, CSV for Excel, and the reasoning chain of one procedure.
//! They return strings; the binary decides where they go.

use crate::analysis::{Analysis, ComponentVerdict, Condition, ReviewState, Summary, Verdict};
use crate::model::*;
use crate::phrase;
use serde_json::{json, Map, Value};
use std::fmt::Write;

/// Sources as `[{id, name}]`.
pub fn source_refs(cat: &Catalog, ss: &[SourceIdx]) -> Value {
    Value::Array(
        ss.iter()
            .map(|&s| json!({"id": cat.sources[s].id, "name": cat.sources[s].name}))
            .collect(),
    )
}

fn condition_json(cat: &Catalog, c: &Condition) -> Value {
    let prov = |ps: &[ProvinceIdx]| -> Vec<Value> {
        ps.iter()
            .filter_map(|&p| cat.provinces.get(p))
            .map(|p| json!({"id": p.id, "name": p.name}))
            .collect()
    };
    match c {
        Condition::Provinces {
            ready, not_ready, ..
        } => json!({
            "kind": "provinces",
            "provinces": prov(ready),
            "not_in": prov(not_ready),
        }),
        Condition::Pilot { sources } => json!({
            "kind": "pilot",
            "pilot_sources": source_refs(cat, sources),
        }),
        Condition::From {
            date,
            sources,
            assumed,
        } => json!({
            "kind": "from-date",
            "from": date.to_string(),
            "assumed": assumed,
            "sources": source_refs(cat, sources),
        }),
        Condition::ResidentialLand { sources } => json!({
            "kind": "residential-land",
            "sources": source_refs(cat, sources),
        }),
        Condition::UnnamedProvince { sources, lowest } => json!({
            "kind": "unnamed-province",
            "lowest": lowest,
            "sources": source_refs(cat, sources),
        }),
    }
}

fn holder_ids(hs: &[Holder]) -> Value {
    json!(hs
        .iter()
        .map(|h| serde_json::to_value(h).expect("holder serialises"))
        .collect::<Vec<_>>())
}

/// A cue as JSON: what it says, its words, the types it qualifies.
fn cue_json(cat: &Catalog, q: &Cue) -> Value {
    let mut m = Map::new();
    let kind = match &q.qualifier {
        Qualifier::IssuedAbroad => "issued_abroad",
        Qualifier::Holder(hs) => {
            m.insert("holders".into(), holder_ids(hs));
            "holder"
        }
        Qualifier::Freshness(d) => {
            m.insert(
                "within".into(),
                json!({"count": d.count, "unit": serde_json::to_value(d.unit).expect("unit serialises")}),
            );
            "freshness"
        }
        Qualifier::Land(l) => {
            m.insert(
                "land".into(),
                serde_json::to_value(l).expect("land serialises"),
            );
            "land"
        }
        Qualifier::Surrender => "surrender",
        Qualifier::Physical => "physical",
        Qualifier::Fallback => "fallback",
    };
    m.insert("cue".into(), json!(kind));
    m.insert("words".into(), json!(q.words));
    m.insert(
        "documents".into(),
        json!(q
            .documents
            .iter()
            .map(|&d| cat.document_types[d].id.as_str())
            .collect::<Vec<_>>()),
    );
    Value::Object(m)
}

fn component_json(cat: &Catalog, c: &Component, v: &ComponentVerdict) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(c.id));
    m.insert("name".into(), json!(c.text));
    m.insert("verdict".into(), json!(v.verdict.as_str()));
    m.insert(
        "documents".into(),
        json!(c
            .accepts
            .iter()
            .map(|&d| cat.document_types[d].id.as_str())
            .collect::<Vec<_>>()),
    );
    m.insert("sources".into(), source_refs(cat, &v.sources));
    m.insert("reason".into(), json!(phrase::reason(cat, c, v)));
    m.insert("reason_code".into(), json!(v.reason.as_str()));
    let words =
        |s: Span| -> String { c.text.chars().skip(s.start).take(s.end - s.start).collect() };
    if !c.matched.is_empty() {
        m.insert(
            "matched".into(),
            Value::Array(
                c.matched
                    .iter()
                    .map(|mt| {
                        json!({
                            "document": cat.document_types[mt.doc].id,
                            "text": words(mt.span),
                            "start": mt.span.start,
                            "end": mt.span.end,
                        })
                    })
                    .collect(),
            ),
        );
    }
    if !v.parts.is_empty() {
        m.insert(
            "parts".into(),
            Value::Array(
                c.parts
                    .iter()
                    .zip(&v.parts)
                    .map(|(p, pv)| {
                        let mut o = Map::new();
                        if let Some(s) = p.span {
                            o.insert("text".into(), json!(words(s)));
                            o.insert("start".into(), json!(s.start));
                            o.insert("end".into(), json!(s.end));
                        }
                        o.insert(
                            "documents".into(),
                            json!(p
                                .accepts
                                .iter()
                                .map(|&d| cat.document_types[d].id.as_str())
                                .collect::<Vec<_>>()),
                        );
                        o.insert("verdict".into(), json!(pv.verdict.as_str()));
                        o.insert("reason_code".into(), json!(pv.reason.as_str()));
                        o.insert("sources".into(), source_refs(cat, &pv.sources));
                        Value::Object(o)
                    })
                    .collect(),
            ),
        );
    }
    if let Some(case) = &c.case {
        m.insert("case".into(), json!(case));
    }
    if let Some(r) = &v.route {
        m.insert("replaced_by".into(), json!(cat.document_types[r.doc()].id));
    }
    if let Some(cond) = v.condition.as_deref() {
        m.insert("condition".into(), condition_json(cat, cond));
    }
    if !v.caveats.is_empty() {
        m.insert(
            "caveats".into(),
            Value::Array(v.caveats.iter().map(|c| condition_json(cat, c)).collect()),
        );
    }
    if !c.cues.is_empty() {
        m.insert(
            "cues".into(),
            Value::Array(c.cues.iter().map(|q| cue_json(cat, q)).collect()),
        );
    }
    if !v.barred.is_empty() {
        m.insert(
            "barred".into(),
            Value::Array(
                v.barred
                    .iter()
                    .map(|(d, b)| {
                        json!({"document": cat.document_types[*d].id, "why": b.code().as_str()})
                    })
                    .collect(),
            ),
        );
    }
    if !v.blocked.is_empty() {
        m.insert(
            "blocked".into(),
            Value::Array(
                v.blocked
                    .iter()
                    .map(|(d, s, why)| {
                        json!({
                            "document": cat.document_types[*d].id,
                            "source": {"id": cat.sources[*s].id, "name": cat.sources[*s].name},
                            "why": why.code().as_str(),
                        })
                    })
                    .collect(),
            ),
        );
    }
    if !v.available.is_empty() {
        m.insert(
            "available_elements".into(),
            json!(v
                .available
                .iter()
                .map(|&e| cat.elements[e].id.as_str())
                .collect::<Vec<_>>()),
        );
    }
    if !v.missing.is_empty() {
        let missing: Vec<Value> = v
            .missing
            .iter()
            .map(|mi| {
                let t = cat.settings.coverage_threshold.value;
                json!({
                    "element": mi.element.map(|e| cat.elements[e].id.clone()),
                    "document": mi.document.map(|d| cat.document_types[d].id.clone()),
                    "sources": mi.candidates.iter().map(|(s, r)| json!({
                        "id": cat.sources[*s].id,
                        "name": cat.sources[*s].name,
                        "readiness": phrase::readiness_text(*r, t),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        m.insert("missing".into(), Value::Array(missing));
    }
    if !c.provisions.is_empty() {
        m.insert(
            "provisions".into(),
            json!(c
                .provisions
                .iter()
                .map(|p| json!({"document": p.document, "provision": p.provision, "form": p.form}))
                .collect::<Vec<_>>()),
        );
    }
    m.insert("explanation".into(), json!(phrase::steps(cat, c, v)));
    if let (Some(state), Some(r)) = (v.review, cat.review_of(c)) {
        m.insert("review".into(), json!(state.as_str()));
        m.insert("decision".into(), decision_json(cat, r));
    }
    Value::Object(m)
}

/// A reviewer's decision as JSON: what was decided, by whom, when, where
/// it is written.
pub fn decision_json(cat: &Catalog, r: &Review) -> Value {
    let mut m = Map::new();
    m.insert("decision".into(), json!(r.decision));
    m.insert("sources".into(), source_refs(cat, &r.sources));
    m.insert("fingerprint".into(), json!(r.fingerprint));
    for (k, v) in [("note", &r.note), ("reviewer", &r.reviewer)] {
        if let Some(v) = v {
            m.insert(k.into(), json!(v));
        }
    }
    if let Some(d) = r.date {
        m.insert("date".into(), json!(d.to_string()));
    }
    m.insert("file".into(), json!(r.location.to_string()));
    Value::Object(m)
}

/// One procedure of the `tthc.analysis/1` document.
fn procedure_json(cat: &Catalog, p: &Procedure, vs: &[ComponentVerdict]) -> Value {
    json!({
        "code": p.code,
        "name": p.name,
        "agency": {"id": cat.agencies[p.agency].id, "name": cat.agencies[p.agency].name},
        "components": p.components.iter().zip(vs).map(|(c, v)| component_json(cat, c, v)).collect::<Vec<_>>(),
        "replaceable_components": vs.iter().filter(|v| v.verdict == Verdict::Replaceable).count(),
        "confirmed_components": vs.iter().filter(|v| crate::solve::review::is_confirmed(v)).count(),
        "data_only": crate::analysis::is_data_only(vs),
    })
}

/// The `tthc.analysis/1` document as it is written: the procedures one at
/// a time, each made only when it is written, so the whole document is
/// never held in memory. Keys come in the order of every other JSON
/// object we write (sorted), so the bytes are those of the same document
/// built whole.
struct AnalysisDoc<'a, 'c>(&'a Analysis<'c>);

/// The procedures of [`AnalysisDoc`], made one by one.
struct Procedures<'a, 'c>(&'a Analysis<'c>);

impl serde::Serialize for Procedures<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.0;
        s.collect_seq(
            a.catalog
                .procedures
                .iter()
                .zip(&a.verdicts)
                .map(|(p, vs)| procedure_json(a.catalog, p, vs)),
        )
    }
}

impl serde::Serialize for AnalysisDoc<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let a = self.0;
        let cat = a.catalog;
        let mut m = s.serialize_map(Some(6))?;
        m.serialize_entry("as_of", &a.as_of.to_string())?;
        m.serialize_entry("include_pilot", &a.include_pilot)?;
        m.serialize_entry("procedures", &Procedures(a))?;
        m.serialize_entry(
            "province",
            &a.province
                .and_then(|p| cat.provinces.get(p))
                .map(|p| p.id.as_str()),
        )?;
        m.serialize_entry("schema", "tthc.analysis/1")?;
        m.serialize_entry("summary", &summary_json(&Summary::of(a)))?;
        m.end()
    }
}

/// Writes the `tthc.analysis/1` document, pretty-printed with a final
/// newline, to `w` as it is made.
pub fn write_analysis_json(a: &Analysis, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_json(&AnalysisDoc(a), w)
}

/// Writes `v` pretty-printed with a final newline: the one layout of every
/// JSON document `tthc` writes.
pub fn write_json(v: &impl serde::Serialize, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, v)?;
    w.write_all(b"\n")
}

/// The summary: counts by verdict and by review, the table by ministry
/// with its total row, the unlock ranking.
pub fn summary_json(a: &Summary) -> Value {
    let mut by_verdict = Map::new();
    for v in Verdict::ALL {
        by_verdict.insert(v.as_str().into(), json!(a.count(v)));
    }
    let mut by_review = Map::new();
    for r in ReviewState::ALL {
        by_review.insert(r.as_str().into(), json!(a.count_review(r)));
    }
    json!({
        "procedures": a.procedures,
        "components": a.components,
        "by_verdict": by_verdict,
        "by_review": by_review,
        "by_ministry": a.by_ministry,
        "totals": a.totals,
        "unlock": a.unlock,
    })
}

/// CSV for Excel: one row per component, UTF-8 with a byte-order mark.
pub fn analysis_csv(a: &Analysis) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::new();
    write_analysis_csv(a, &mut out)?;
    Ok(out)
}

/// [`analysis_csv`] written to `out` row by row.
pub fn write_analysis_csv(a: &Analysis, out: &mut dyn std::io::Write) -> Result<(), csv::Error> {
    let cat = a.catalog;
    out.write_all(b"\xEF\xBB\xBF")?;
    {
        let mut w = crate::cells::Writer::from_writer(out);
        w.write_record([
            "code",
            "procedure",
            "agency",
            "case",
            "component_id",
            "component",
            "verdict",
            "verdict_vi",
            "documents",
            "sources",
            "condition",
            "provisions",
            "reason",
        ])?;
        for (p, vs) in cat.procedures.iter().zip(&a.verdicts) {
            for (c, v) in p.components.iter().zip(vs) {
                let docs: Vec<&str> = c
                    .accepts
                    .iter()
                    .map(|&d| cat.document_types[d].name.as_str())
                    .collect();
                let srcs: Vec<&str> = v
                    .sources
                    .iter()
                    .map(|&s| cat.sources[s].name.as_str())
                    .collect();
                let cond = match v.condition.as_deref() {
                    Some(Condition::Provinces { ready, .. }) => {
                        format!("{} tỉnh", ready.len())
                    }
                    Some(Condition::Pilot { .. }) => "thí điểm".into(),
                    Some(Condition::From { date, assumed, .. }) => {
                        format!(
                            "từ {}{}",
                            date.vi(),
                            if *assumed { " (giả định)" } else { "" }
                        )
                    }
                    Some(Condition::ResidentialLand { .. }) => "chỉ đất ở".into(),
                    Some(Condition::UnnamedProvince { .. }) => "chưa chắc mọi tỉnh".into(),
                    None => String::new(),
                };
                let provs: Vec<String> = c.provisions.iter().map(phrase::provision_text).collect();
                w.write_record([
                    p.code.as_str(),
                    p.name.as_str(),
                    cat.agencies[p.agency].name.as_str(),
                    c.case.as_deref().unwrap_or(""),
                    c.id.as_str(),
                    c.text.as_str(),
                    v.verdict.as_str(),
                    v.verdict.vi(),
                    &docs.join(" | "),
                    &srcs.join(" | "),
                    &cond,
                    &provs.join(" | "),
                    &phrase::reason(cat, c, v),
                ])?;
            }
        }
        w.flush()?;
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    crate::text::shorten(s, 110)
}

/// Verdicts as readable text, procedure by procedure.
pub fn analysis_text(a: &Analysis) -> String {
    let cat = a.catalog;
    let mut s = String::new();
    for (p, vs) in cat.procedures.iter().zip(&a.verdicts) {
        let _ = writeln!(s, "{} {} ({})", p.code, p.name, cat.agencies[p.agency].name);
        for (c, v) in p.components.iter().zip(vs) {
            let _ = writeln!(s, "  [{:<15}] {}", v.verdict.as_str(), one_line(&c.text));
            let _ = writeln!(s, "  {:17} {}", "", phrase::reason(cat, c, v));
        }
        let _ = writeln!(s);
    }
    s.push_str(&crate::write::summary::text(&Summary::of(a)));
    s
}

/// Every component of one procedure with its full reasoning chain.
pub fn explain_text(a: &Analysis, code: &str) -> Option<String> {
    let cat = a.catalog;
    let pi = cat.procedures.iter().position(|p| p.code == code)?;
    let p = &cat.procedures[pi];
    let mut s = String::new();
    let _ = writeln!(s, "{} {}", p.code, p.name);
    let _ = writeln!(
        s,
        "Cơ quan: {}{}",
        cat.agencies[p.agency].name,
        p.sector
            .as_ref()
            .map(|x| format!(" — lĩnh vực {x}"))
            .unwrap_or_default()
    );
    let _ = writeln!(s, "Ngày phân tích: {}", a.as_of.vi());
    let _ = writeln!(s);
    for (i, (c, v)) in p.components.iter().zip(&a.verdicts[pi]).enumerate() {
        let _ = writeln!(s, "{}. {}", i + 1, one_line(&c.text));
        if let Some(case) = &c.case {
            let _ = writeln!(s, "   Trường hợp: {}", one_line(case));
        }
        let _ = writeln!(
            s,
            "   Kết luận: {} ({})",
            v.verdict.vi(),
            v.verdict.as_str()
        );
        if let Some(m) = phrase::matched(cat, c) {
            let _ = writeln!(s, "   Nhận diện: {m}");
        }
        for line in phrase::steps(cat, c, v) {
            let _ = writeln!(s, "   • {line}");
        }
        for pr in &c.provisions {
            let _ = writeln!(s, "   Quy định tại: {}", phrase::provision_text(pr));
        }
        let _ = writeln!(s);
    }
    let n = a.verdicts[pi]
        .iter()
        .filter(|v| v.verdict == Verdict::Replaceable)
        .count();
    let _ = writeln!(
        s,
        "Tổng: {n}/{} thành phần thay thế được bằng dữ liệu{}.",
        p.components.len(),
        if crate::analysis::is_data_only(&a.verdicts[pi]) {
            "; hồ sơ trở thành hoàn toàn dữ liệu"
        } else {
            ""
        }
    );
    Some(s)
}
