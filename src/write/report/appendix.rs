//! The amendment plan as a resolution's annex: an A4 table (STT | Thủ tục |
//! Giấy tờ | Điều, khoản, điểm | Phương án | Căn cứ | Từ ngày) grouped by
//! the ministry that drafts each document, then by document (laws, then
//! decrees, then circulars, by year and number), with a table of contents,
//! and the cuts that cite no article listed with the documents to search.

use super::{overview, put, Frame, RenderError, Sink, Site};
use crate::number;
use crate::plan::{Cut, PlanDocument};
use askama::Template;
use std::collections::BTreeMap;

/// One row of the annex.
pub struct Row {
    pub stt: String,
    pub code: String,
    pub name: String,
    /// The paper, shortened; the full text is on the procedure page.
    pub paper: String,
    pub provision: String,
    pub action: String,
    pub basis: String,
    pub from: String,
}

pub fn row(site: &Site, stt: usize, provision: &str, c: Cut) -> Row {
    let (p, comp, v) = site.cut(c);
    Row {
        stt: number::int(stt),
        code: p.code.clone(),
        name: crate::text::shorten(&p.name, 120),
        paper: crate::text::shorten(&comp.text, 110),
        provision: provision.to_owned(),
        action: crate::phrase::plan_action(site.cat(), comp, v),
        basis: crate::plan::basis(site.a, c).join("; "),
        from: crate::plan::effective_from(site.a, c).vi(),
    }
}

/// A document's rows, numbered from `first`.
pub fn document_rows(site: &Site, d: &PlanDocument, first: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    for p in &d.provisions {
        for &c in &p.cuts {
            rows.push(row(site, first + rows.len(), &p.provision, c));
        }
    }
    rows
}

struct DocSection {
    anchor: String,
    heading: String,
    href: String,
    rows: Vec<Row>,
}

struct Group {
    anchor: String,
    label: String,
    documents: Vec<DocSection>,
}

struct LooseRow {
    stt: String,
    code: String,
    name: String,
    paper: String,
    action: String,
    search: String,
}

struct LooseGroup {
    anchor: String,
    label: String,
    rows: Vec<LooseRow>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    frame: Frame,
    documents: String,
    cuts: String,
    unattributed: String,
    groups: Vec<Group>,
    loose: Vec<LooseGroup>,
    plan_xlsx: &'static str,
    plan_csv: &'static str,
}

/// A group's Roman numeral (I, II, …), as annexes number their parts.
fn roman(mut n: usize) -> String {
    const R: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in R {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

pub fn page(site: &Site, out: &mut impl Sink) -> Result<(), RenderError> {
    let cat = site.cat();
    let plan = site.plan;
    let mut stt = 1;
    let mut groups = Vec::new();
    for (gi, (drafter, docs)) in crate::plan::by_drafter(cat, plan).into_iter().enumerate() {
        let label = match drafter {
            Some(g) => cat.agencies[g].name.clone(),
            None => "Chưa xác định cơ quan chủ trì soạn thảo".into(),
        };
        let documents = docs
            .into_iter()
            .map(|d| {
                let rows = document_rows(site, d, stt);
                stt += rows.len();
                let href = site.doc_page(&d.number).unwrap_or_default().to_owned();
                DocSection {
                    anchor: href
                        .trim_start_matches("van-ban/")
                        .trim_end_matches(".html")
                        .to_owned(),
                    heading: d.heading(),
                    href,
                    rows,
                }
            })
            .collect();
        groups.push(Group {
            anchor: format!("nhom-{}", gi + 1),
            label: format!("{}. {}", roman(gi + 1), label),
            documents,
        });
    }
    // The cuts that cite no article, by the procedure's ministry.
    let mut by_agency: BTreeMap<&str, Vec<Cut>> = BTreeMap::new();
    for &c in &plan.unattributed {
        let p = &cat.procedures[c.procedure];
        by_agency
            .entry(cat.agencies[p.agency].name.as_str())
            .or_default()
            .push(c);
    }
    let mut n = 1;
    let loose = by_agency
        .into_iter()
        .enumerate()
        .map(|(gi, (name, cuts))| LooseGroup {
            anchor: format!("chua-xac-dinh-{}", gi + 1),
            label: format!("{}. {name}", roman(gi + 1)),
            rows: cuts
                .into_iter()
                .map(|c| {
                    let (p, comp, v) = site.cut(c);
                    let r = LooseRow {
                        stt: number::int(n),
                        code: p.code.clone(),
                        name: crate::text::shorten(&p.name, 120),
                        paper: crate::text::shorten(&comp.text, 110),
                        action: crate::phrase::plan_action(cat, comp, v),
                        search: p
                            .legal_basis
                            .iter()
                            .map(|l| &*l.number)
                            .collect::<Vec<_>>()
                            .join("; "),
                    };
                    n += 1;
                    r
                })
                .collect(),
        })
        .collect();
    let page = PlanPage {
        frame: site.frame("Phương án sửa đổi văn bản", ""),
        documents: number::int(plan.documents.len()),
        cuts: number::int(stt - 1),
        unattributed: number::int(plan.unattributed.len()),
        groups,
        loose,
        plan_xlsx: overview::PLAN_XLSX,
        plan_csv: overview::PLAN_CSV,
    };
    put(out, "plan.html", &page)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn roman_numerals() {
        assert_eq!(super::roman(1), "I");
        assert_eq!(super::roman(4), "IV");
        assert_eq!(super::roman(14), "XIV");
    }
}
