//! The amendment plan for legal drafters: every paper data can cut,
//! grouped by the legal document that mandates it, then by provision
//! (Điều/khoản/điểm, in the document's own order).

use crate::analysis::{Analysis, ComponentVerdict, Verdict};
use crate::model::{Catalog, LegalKind};
use crate::text::fold;
use regex::Regex;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A cut: component `component` of procedure `procedure` (indices).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cut {
    pub procedure: usize,
    pub component: usize,
}

#[derive(Clone, Debug)]
pub struct PlanProvision {
    /// As written, e.g. `Điểm a khoản 1 Điều 16`, or the form (`Mẫu số 01`).
    pub provision: String,
    pub cuts: Vec<Cut>,
}

#[derive(Clone, Debug)]
pub struct PlanDocument {
    pub number: String,
    pub title: String,
    pub provisions: Vec<PlanProvision>,
}

impl PlanDocument {
    /// `Nghị định số 123/2015/NĐ-CP — title`, as a drafter cites it.
    pub fn heading(&self) -> String {
        let mut h = format!(
            "{} số {}",
            crate::legal::kind_label(&self.number),
            self.number
        );
        if !self.title.is_empty() {
            h.push_str(" — ");
            h.push_str(&self.title);
        }
        h
    }
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub documents: Vec<PlanDocument>,
    /// Cuts whose component names no provision: a drafter must find it.
    pub unattributed: Vec<Cut>,
}

/// Whether a verdict means the paper can go from the dossier.
pub fn is_cut(v: Verdict) -> bool {
    matches!(
        v,
        Verdict::Replaceable | Verdict::Conditional | Verdict::AlreadyDigital
    )
}

/// Whether a component is in the plan: a reviewer confirmed the cut, or
/// the machine suggests it and no reviewer rejected it.
pub fn in_plan(v: &ComponentVerdict) -> bool {
    crate::solve::review::is_confirmed(v)
        || (is_cut(v.verdict) && v.review != Some(crate::analysis::ReviewState::Rejected))
}

const WITHOUT_PROVISION: &str = "Không nêu điều, khoản";

static ARTICLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"dieu (\d+)").expect("valid regex"));
static CLAUSE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"khoan (\d+)").expect("valid regex"));
static POINT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"diem ([a-z])\b").expect("valid regex"));

/// Sort key following the document's order: article, clause, point.
fn provision_key(p: &str) -> (u32, u32, String, String) {
    let f = fold(p);
    let num = |re: &Regex| {
        re.captures(&f)
            .and_then(|c| c[1].parse().ok())
            .unwrap_or(u32::MAX)
    };
    let point = POINT
        .captures(&f)
        .map(|c| c[1].to_owned())
        .unwrap_or_default();
    (num(&ARTICLE), num(&CLAUSE), point, f)
}

/// Laws first, then resolutions, decrees, decisions, circulars.
fn kind_rank(cat: &Catalog, number: &str) -> u8 {
    if let Some(d) = cat.legal_documents.iter().find(|d| d.number == number) {
        return match d.kind {
            LegalKind::HienPhap => 0,
            LegalKind::BoLuat | LegalKind::Luat => 1,
            LegalKind::PhapLenh => 2,
            LegalKind::NghiQuyet => 3,
            LegalKind::NghiDinh => 4,
            LegalKind::QuyetDinh => 5,
            LegalKind::ThongTu | LegalKind::ThongTuLienTich => 6,
            LegalKind::Other => 7,
        };
    }
    match crate::legal::kind_label(number) {
        "Luật" => 1,
        "Pháp lệnh" => 2,
        "Nghị quyết" => 3,
        "Nghị định" => 4,
        "Quyết định" => 5,
        "Thông tư" | "Thông tư liên tịch" => 6,
        _ => 7,
    }
}

/// Builds the plan from an analysis.
pub fn plan(a: &Analysis) -> Plan {
    let cat = a.catalog;
    let mut docs: BTreeMap<String, BTreeMap<String, Vec<Cut>>> = BTreeMap::new();
    let mut titles: BTreeMap<String, String> = BTreeMap::new();
    let mut unattributed = Vec::new();
    for (pi, (p, vs)) in cat.procedures.iter().zip(&a.verdicts).enumerate() {
        for (ci, (c, v)) in p.components.iter().zip(vs).enumerate() {
            if !in_plan(v) {
                continue;
            }
            let cut = Cut {
                procedure: pi,
                component: ci,
            };
            if c.provisions.is_empty() {
                unattributed.push(cut);
            }
            for pr in &c.provisions {
                let key = pr
                    .provision
                    .clone()
                    .or_else(|| pr.form.clone())
                    .unwrap_or_else(|| WITHOUT_PROVISION.to_owned());
                let cuts = docs
                    .entry(pr.document.clone())
                    .or_default()
                    .entry(key)
                    .or_default();
                if !cuts.contains(&cut) {
                    cuts.push(cut);
                }
                if !titles.contains_key(&pr.document) {
                    let title = cat
                        .legal_documents
                        .iter()
                        .find(|d| d.number == pr.document)
                        .map(|d| d.title.clone())
                        .or_else(|| {
                            p.legal_basis
                                .iter()
                                .find(|l| l.number == pr.document)
                                .and_then(|l| l.title.clone())
                        });
                    if let Some(t) = title.filter(|t| !t.is_empty()) {
                        titles.insert(pr.document.clone(), t);
                    }
                }
            }
        }
    }
    let mut documents: Vec<PlanDocument> = docs
        .into_iter()
        .map(|(number, provs)| {
            let mut provisions: Vec<PlanProvision> = provs
                .into_iter()
                .map(|(provision, cuts)| PlanProvision { provision, cuts })
                .collect();
            provisions.sort_by_key(|p| provision_key(&p.provision));
            PlanDocument {
                title: titles.get(&number).cloned().unwrap_or_default(),
                number,
                provisions,
            }
        })
        .collect();
    documents.sort_by(|x, y| {
        (kind_rank(cat, &x.number), &x.number).cmp(&(kind_rank(cat, &y.number), &y.number))
    });
    Plan {
        documents,
        unattributed,
    }
}

fn cut_json(a: &Analysis, c: Cut) -> Value {
    let cat = a.catalog;
    let p = &cat.procedures[c.procedure];
    let comp = &p.components[c.component];
    let v = &a.verdicts[c.procedure][c.component];
    let mut j = json!({
        "procedure": p.code,
        "procedure_name": p.name,
        "component": comp.text,
        "component_id": comp.id,
        "verdict": v.verdict.as_str(),
        "sources": crate::solve::review::cut_sources(cat, comp, v).iter().map(|&s| json!({"id": cat.sources[s].id, "name": cat.sources[s].name})).collect::<Vec<_>>(),
        "reason": crate::phrase::reason(cat, comp, v),
        "reason_code": v.reason.as_str(),
    });
    if let Some(r) = v.review {
        j["review"] = json!(r.as_str());
    }
    if comp.provisions.is_empty() {
        // Where a drafter should look: the procedure's legal basis.
        j["legal_basis"] = json!(p
            .legal_basis
            .iter()
            .map(|l| l.number.as_str())
            .collect::<Vec<_>>());
    }
    j
}

/// The `tthc.plan/1` document.
pub fn plan_json(a: &Analysis, plan: &Plan) -> Value {
    json!({
        "schema": "tthc.plan/1",
        "as_of": a.as_of.to_string(),
        "documents": plan.documents.iter().map(|d| json!({
            "number": d.number,
            "title": d.title,
            "provisions": d.provisions.iter().map(|p| json!({
                "provision": p.provision,
                "cuts": p.cuts.iter().map(|&c| cut_json(a, c)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "unattributed": plan.unattributed.iter().map(|&c| cut_json(a, c)).collect::<Vec<_>>(),
    })
}

/// The plan as rows: document, title, provision, then the cut.
pub fn plan_rows(a: &Analysis, plan: &Plan) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let cat = a.catalog;
    let header = vec![
        "document",
        "title",
        "provision",
        "procedure",
        "procedure_name",
        "component",
        "verdict",
        "verdict_vi",
        "sources",
        "reason",
    ];
    let row = |number: &str, title: &str, provision: &str, c: Cut| -> Vec<String> {
        let p = &cat.procedures[c.procedure];
        let v = &a.verdicts[c.procedure][c.component];
        vec![
            number.to_owned(),
            title.to_owned(),
            provision.to_owned(),
            p.code.clone(),
            p.name.clone(),
            p.components[c.component].text.clone(),
            v.verdict.as_str().to_owned(),
            v.verdict.vi().to_owned(),
            v.sources
                .iter()
                .map(|&s| cat.sources[s].name.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
            crate::phrase::reason(cat, &p.components[c.component], v),
        ]
    };
    let mut rows = Vec::new();
    for d in &plan.documents {
        for p in &d.provisions {
            for &c in &p.cuts {
                rows.push(row(&d.number, &d.title, &p.provision, c));
            }
        }
    }
    for &c in &plan.unattributed {
        rows.push(row("", "", WITHOUT_PROVISION, c));
    }
    (header, rows)
}

/// CSV for Excel, UTF-8 with a byte-order mark.
pub fn plan_csv(a: &Analysis, plan: &Plan) -> Result<Vec<u8>, csv::Error> {
    let (header, rows) = plan_rows(a, plan);
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(&header)?;
        for r in rows {
            w.write_record(&r)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// An XLSX workbook with one sheet, the plan's rows.
pub fn plan_xlsx(a: &Analysis, plan: &Plan) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let (header, rows) = plan_rows(a, plan);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Phương án sửa đổi")?;
    let bold = Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.len() as u32, header.len() as u16 - 1)?;
    for (c, w) in [14.0, 40.0, 24.0, 10.0, 40.0, 60.0, 14.0, 18.0, 30.0, 60.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    wb.save_to_buffer()
}

/// The plan as text for reading.
pub fn plan_text(a: &Analysis, plan: &Plan) -> String {
    use std::fmt::Write;
    let cat = a.catalog;
    let mut s = String::new();
    let total: usize = plan
        .documents
        .iter()
        .flat_map(|d| &d.provisions)
        .map(|p| p.cuts.len())
        .sum();
    let _ = writeln!(
        s,
        "Phương án sửa đổi văn bản (ngày phân tích {}): {} văn bản, {} lượt cắt giảm giấy tờ\n",
        a.as_of.vi(),
        plan.documents.len(),
        total
    );
    if a.has_reviews() {
        let f = a.total().review;
        let _ = writeln!(
            s,
            "Rà soát: máy đề xuất {} thành phần, đã xác nhận {}, không đồng ý {} (không đưa vào phương án)\n",
            crate::text::vi_number(f.suggested),
            crate::text::vi_number(f.confirmed),
            crate::text::vi_number(f.rejected)
        );
    }
    let line = |s: &mut String, c: Cut| {
        let p = &cat.procedures[c.procedure];
        let v = &a.verdicts[c.procedure][c.component];
        let text = crate::text::shorten(&p.components[c.component].text, 90);
        let _ = writeln!(
            s,
            "    - {} {}: «{}» → {}",
            p.code,
            p.name,
            text,
            v.verdict.vi()
        );
    };
    for d in &plan.documents {
        let _ = writeln!(s, "{}", d.heading());
        for p in &d.provisions {
            let _ = writeln!(s, "  {}", p.provision);
            for &c in &p.cuts {
                line(&mut s, c);
            }
        }
        let _ = writeln!(s);
    }
    if !plan.unattributed.is_empty() {
        let _ = writeln!(
            s,
            "Chưa xác định được quy định (cần tra cứu văn bản): {} thành phần",
            plan.unattributed.len()
        );
        for &c in &plan.unattributed {
            line(&mut s, c);
            let basis: Vec<&str> = cat.procedures[c.procedure]
                .legal_basis
                .iter()
                .map(|l| l.number.as_str())
                .collect();
            if !basis.is_empty() {
                let _ = writeln!(s, "      căn cứ pháp lý của thủ tục: {}", basis.join(", "));
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::provision_key;

    #[test]
    fn provisions_sort_in_document_order() {
        let mut v = vec![
            "Điều 10",
            "Điểm b khoản 1 Điều 2",
            "Khoản 2 Điều 2",
            "Điểm a khoản 1 Điều 2",
            "Mẫu số 01",
        ];
        v.sort_by_key(|p| provision_key(p));
        assert_eq!(
            v,
            [
                "Điểm a khoản 1 Điều 2",
                "Điểm b khoản 1 Điều 2",
                "Khoản 2 Điều 2",
                "Điều 10",
                "Mẫu số 01"
            ]
        );
    }
}
