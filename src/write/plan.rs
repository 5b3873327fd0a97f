//! The amendment plan for legal drafters: every paper data can cut,
//! grouped by the legal document that mandates it, then by provision
//! (Điều/khoản/điểm, in the document's own order).

use crate::analysis::{Analysis, ComponentVerdict, Condition, Verdict};
use crate::date::Date;
use crate::model::{AgencyIdx, AgencyKind, Catalog, LegalKind};
use crate::text::fold;
use crate::write::stream::Node;
use regex::Regex;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
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

/// Sort key of a document: laws, then resolutions, decrees, decisions,
/// circulars; within a kind by year, then by number read as a number
/// (`11/2016` before `104/2016` before `116/2016`).
fn document_key(cat: &Catalog, number: &str) -> (u8, u16, u64, String) {
    let mut parts = number.split('/');
    let head = parts.next().unwrap_or("");
    let year = parts
        .next()
        .and_then(|y| y.parse::<u16>().ok())
        .unwrap_or(0);
    // `66.7` sorts between 66 and 67: the integer part, then the decimals.
    let (int, frac) = head.split_once('.').unwrap_or((head, ""));
    let num = int
        .parse::<u64>()
        .unwrap_or(u64::from(u32::MAX))
        .min(u64::from(u32::MAX))
        * 1000
        + frac.parse::<u64>().unwrap_or(0).min(999);
    (kind_rank(cat, number), year, num, number.to_owned())
}

/// Whether a title says more than the document's kind: portal cells cut
/// mid-word leave titles like `N` or `Nghị định số`, which a heading
/// should not repeat.
fn says_something(title: &str, number: &str) -> bool {
    let t = fold(title).replace(&fold(number), " ");
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let kind = fold(&format!("{} số", crate::legal::kind_label(number)));
    t.chars().count() > 2 && !kind.contains(&t)
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
                    .as_deref()
                    .or(pr.form.as_deref())
                    .unwrap_or(WITHOUT_PROVISION)
                    .to_owned();
                let cuts = docs
                    .entry(pr.document.to_string())
                    .or_default()
                    .entry(key)
                    .or_default();
                if !cuts.contains(&cut) {
                    cuts.push(cut);
                }
                if !titles.contains_key(&*pr.document) {
                    let title = cat
                        .legal_documents
                        .iter()
                        .find(|d| *d.number == *pr.document)
                        .map(|d| d.title.clone())
                        .or_else(|| {
                            p.legal_basis
                                .iter()
                                .find(|l| l.number == pr.document)
                                .and_then(|l| l.title.as_deref().map(str::to_owned))
                        });
                    if let Some(t) = title.filter(|t| says_something(t, &pr.document)) {
                        titles.insert(pr.document.to_string(), t);
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
    documents.sort_by_cached_key(|d| document_key(cat, &d.number));
    Plan {
        documents,
        unattributed,
    }
}

/// The ministry that drafts amendments to a document: the agency whose
/// code the number carries (`…/TT-BTP` → the agency with alias `BTP`, the
/// first of a joint circular's), else the ministry owning most of the
/// procedures the document's cuts belong to (ties by name).
pub fn drafter(cat: &Catalog, d: &PlanDocument) -> Option<AgencyIdx> {
    let tail = d.number.rsplit('/').next().unwrap_or("");
    for code in tail.split('-').skip(1) {
        let code = fold(code);
        let by_code = cat.agencies.iter().position(|a| {
            a.kind != AgencyKind::LocalGovernment && a.aliases.iter().any(|x| fold(x) == code)
        });
        if by_code.is_some() {
            return by_code;
        }
    }
    let mut owners: BTreeMap<AgencyIdx, BTreeSet<usize>> = BTreeMap::new();
    for p in &d.provisions {
        for c in &p.cuts {
            owners
                .entry(cat.procedures[c.procedure].agency)
                .or_default()
                .insert(c.procedure);
        }
    }
    owners
        .into_iter()
        .max_by(|(a, x), (b, y)| {
            x.len()
                .cmp(&y.len())
                .then_with(|| cat.agencies[*b].name.cmp(&cat.agencies[*a].name))
        })
        .map(|(a, _)| a)
}

/// The plan's documents grouped by drafting ministry (by name; documents
/// with no drafter last), each group in the plan's document order.
pub fn by_drafter<'p>(
    cat: &Catalog,
    plan: &'p Plan,
) -> Vec<(Option<AgencyIdx>, Vec<&'p PlanDocument>)> {
    let mut groups: Vec<(Option<AgencyIdx>, Vec<&PlanDocument>)> = Vec::new();
    for d in &plan.documents {
        let who = drafter(cat, d);
        match groups.iter_mut().find(|(g, _)| *g == who) {
            Some((_, docs)) => docs.push(d),
            None => groups.push((who, vec![d])),
        }
    }
    groups.sort_by(|(x, _), (y, _)| match (x, y) {
        (Some(x), Some(y)) => cat.agencies[*x].name.cmp(&cat.agencies[*y].name),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    groups
}

/// The date from which a cut can apply: a conditional cut's date, else
/// the latest date from which its sources may be used, else the analysis
/// date.
pub fn effective_from(a: &Analysis, c: Cut) -> Date {
    let v = &a.verdicts[c.procedure][c.component];
    if let Some(Condition::From { date, .. }) = v.condition.as_deref() {
        return *date;
    }
    v.sources
        .iter()
        .filter_map(|&s| a.catalog.sources[s].since)
        .max()
        .unwrap_or(a.as_of)
}

/// The legal basis for using a cut's sources (Căn cứ): each document
/// once, with its provisions (`Khoản 1 Điều 4, khoản 5 Điều 4 Nghị quyết
/// số 66.7/2025/NQ-CP`).
pub fn basis(a: &Analysis, c: Cut) -> Vec<String> {
    let v = &a.verdicts[c.procedure][c.component];
    let comp = &a.catalog.procedures[c.procedure].components[c.component];
    let sources = if comp.already_digital.is_empty() {
        &v.sources
    } else {
        &comp.already_digital
    };
    let mut by_doc: Vec<(&str, Vec<String>)> = Vec::new();
    for &s in sources {
        for p in &a.catalog.sources[s].legal_basis {
            let i = match by_doc.iter().position(|(d, _)| *d == &*p.document) {
                Some(i) => i,
                None => {
                    by_doc.push((&p.document, Vec::new()));
                    by_doc.len() - 1
                }
            };
            let part = [&p.provision, &p.form]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            if !part.is_empty() && !by_doc[i].1.contains(&part) {
                by_doc[i].1.push(part);
            }
        }
    }
    by_doc
        .into_iter()
        .map(|(doc, parts)| {
            let cited = format!("{} số {doc}", crate::legal::kind_label(doc));
            let parts: Vec<String> = parts
                .iter()
                .enumerate()
                .map(|(i, p)| if i == 0 { p.clone() } else { lower_first(p) })
                .collect();
            if parts.is_empty() {
                cited
            } else {
                format!("{} {cited}", parts.join(", "))
            }
        })
        .collect()
}

/// `Khoản 5 Điều 4` → `khoản 5 Điều 4`, for a provision inside a list.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
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
        j["legal_basis"] = json!(p.legal_basis.iter().map(|l| &*l.number).collect::<Vec<_>>());
    }
    j
}

/// Cuts as a JSON array, each made as it is written.
fn cuts_json<'a>(a: &'a Analysis, cuts: &'a [Cut]) -> Node<'a> {
    Node::items(move || cuts.iter().map(move |&c| cut_json(a, c).into()))
}

/// The `tthc.plan/1` document, written to `w` as it is made (one cut at a
/// time), pretty-printed with a final newline.
pub fn write_plan_json(
    a: &Analysis,
    plan: &Plan,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let doc = Node::Object(vec![
        ("schema", json!("tthc.plan/1").into()),
        ("as_of", json!(a.as_of.to_string()).into()),
        (
            "documents",
            Node::items(|| {
                plan.documents.iter().map(move |d| {
                    Node::Object(vec![
                        ("number", json!(d.number).into()),
                        ("title", json!(d.title).into()),
                        (
                            "drafter",
                            json!(drafter(a.catalog, d).map(|g| json!({
                                "id": a.catalog.agencies[g].id,
                                "name": a.catalog.agencies[g].name,
                            })))
                            .into(),
                        ),
                        (
                            "provisions",
                            Node::items(move || {
                                d.provisions.iter().map(move |p| {
                                    Node::Object(vec![
                                        ("provision", json!(p.provision).into()),
                                        ("cuts", cuts_json(a, &p.cuts)),
                                    ])
                                })
                            }),
                        ),
                    ])
                })
            }),
        ),
        ("unattributed", cuts_json(a, &plan.unattributed)),
    ]);
    crate::output::write_json(&doc, w)
}

/// The plan as rows, made one at a time: document, title, provision, then
/// the cut.
pub fn plan_rows<'p>(
    a: &'p Analysis,
    plan: &'p Plan,
) -> (Vec<&'static str>, impl Iterator<Item = Vec<String>> + 'p) {
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
        "action",
        "basis",
        "from",
    ];
    let row = move |number: &str, title: &str, provision: &str, c: Cut| -> Vec<String> {
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
            crate::phrase::plan_action(cat, &p.components[c.component], v),
            basis(a, c).join("; "),
            effective_from(a, c).vi(),
        ]
    };
    let attributed = plan.documents.iter().flat_map(move |d| {
        d.provisions.iter().flat_map(move |p| {
            p.cuts
                .iter()
                .map(move |&c| row(&d.number, &d.title, &p.provision, c))
        })
    });
    let unattributed = plan
        .unattributed
        .iter()
        .map(move |&c| row("", "", WITHOUT_PROVISION, c));
    (header, attributed.chain(unattributed))
}

/// CSV for Excel, UTF-8 with a byte-order mark.
pub fn plan_csv(a: &Analysis, plan: &Plan) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::new();
    write_plan_csv(a, plan, &mut out)?;
    Ok(out)
}

/// [`plan_csv`] written to `out` row by row.
pub fn write_plan_csv(
    a: &Analysis,
    plan: &Plan,
    out: &mut dyn std::io::Write,
) -> Result<(), csv::Error> {
    let (header, rows) = plan_rows(a, plan);
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = crate::cells::Writer::from_writer(out);
    w.write_record(&header)?;
    for r in rows {
        w.write_record(&r)?;
    }
    w.flush()?;
    Ok(())
}

/// An XLSX workbook with one sheet, the plan's rows.
pub fn plan_xlsx(a: &Analysis, plan: &Plan) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    plan_book(a, plan).to_xlsx()
}

/// [`plan_xlsx`]'s workbook, packed: it owns its text, so it can be
/// written after the analysis is dropped.
pub fn plan_book(a: &Analysis, plan: &Plan) -> crate::write::table::Book {
    let (header, rows) = plan_rows(a, plan);
    let mut sheet = crate::write::table::Packed::new(
        "Phương án sửa đổi",
        header.iter().map(|h| h.to_string()).collect(),
        vec![
            14.0, 40.0, 24.0, 10.0, 40.0, 60.0, 14.0, 18.0, 30.0, 60.0, 50.0, 40.0, 12.0,
        ],
    );
    for row in rows {
        sheet.push_row(row.iter().map(String::as_str));
    }
    let mut book = crate::write::table::Book::new(a.as_of);
    book.push(sheet);
    book
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
        crate::number::int(plan.documents.len()),
        crate::number::int(total)
    );
    if a.has_reviews() {
        let f = &a.totals.review;
        let _ = writeln!(
            s,
            "Rà soát: máy đề xuất {} thành phần, đã xác nhận {}, không đồng ý {} (không đưa vào phương án)\n",
            crate::number::int(f.suggested),
            crate::number::int(f.confirmed),
            crate::number::int(f.rejected)
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
            crate::phrase::plan_action(cat, &p.components[c.component], v)
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
            crate::number::int(plan.unattributed.len())
        );
        for &c in &plan.unattributed {
            line(&mut s, c);
            let basis: Vec<&str> = cat.procedures[c.procedure]
                .legal_basis
                .iter()
                .map(|l| &*l.number)
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
    use super::{provision_key, says_something};

    #[test]
    fn titles_that_only_name_the_kind_are_dropped() {
        assert!(!says_something("N", "59/2025/TT-NHNN"));
        assert!(!says_something("Nghị định số", "98/2024/NĐ-CP"));
        assert!(!says_something("Nghị định", "98/2024/NĐ-CP"));
        assert!(!says_something("định", "98/2024/NĐ-CP"));
        assert!(!says_something(
            "Thông tư 38/2014/TT-NHNN",
            "38/2014/TT-NHNN"
        ));
        assert!(says_something("Luật Hộ tịch", "60/2014/QH13"));
        assert!(says_something(
            "Nghị định số 123 quy định chi tiết",
            "123/2015/NĐ-CP"
        ));
    }

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
