//! The published lists, in the shape the 2025 review published them: for
//! each list of the catalogue (list 1, papers integrated in VNeID; list 2,
//! civil-status or land data; then the other databases of NQ 66.7/2025
//! Art. 4), the procedures with a paper cut through one of its sources, by
//! ministry with counts and a total row, each with the papers and sources.
//! Once any reviewer decided, only confirmed cuts count unless suggestions
//! are asked for too; they are marked.

use crate::analysis::{Analysis, ComponentVerdict, ReviewState};
use crate::model::{AgencyIdx, Catalog, SourceIdx};
use crate::number::int as vi_number;
use crate::plan::is_cut;
use crate::solve::review::{cut_sources, is_confirmed};
use crate::write::stream::Node;
use crate::write::summary::TOTAL;
use crate::write::table::{self, Cell, Table};
use serde_json::json;
use std::fmt::Write;

/// One paper cut, on one list.
#[derive(Clone, Debug)]
pub struct ListCut {
    pub component: usize,
    /// The list's sources the cut goes through.
    pub sources: Vec<SourceIdx>,
    /// A reviewer confirmed it; else the machine suggests it.
    pub confirmed: bool,
}

#[derive(Clone, Debug)]
pub struct ListEntry {
    pub procedure: usize,
    pub cuts: Vec<ListCut>,
}

#[derive(Clone, Debug)]
pub struct List {
    /// Index into the catalogue's lists.
    pub list: usize,
    /// By ministry name, then code.
    pub entries: Vec<ListEntry>,
}

#[derive(Clone, Debug)]
pub struct Lists {
    /// Only confirmed cuts count (some reviewer decided, and suggestions
    /// were not asked for).
    pub confirmed_only: bool,
    pub lists: Vec<List>,
}

/// Whether a component counts as cut, and as confirmed.
fn counted(v: &ComponentVerdict, confirmed_only: bool) -> Option<bool> {
    if is_confirmed(v) {
        Some(true)
    } else if !confirmed_only && is_cut(v.verdict) && v.review != Some(ReviewState::Rejected) {
        Some(false)
    } else {
        None
    }
}

/// Builds the lists. `include_suggested` adds machine suggestions once
/// reviewers have decided.
pub fn lists(a: &Analysis, include_suggested: bool) -> Lists {
    let cat = a.catalog;
    let confirmed_only = a.has_reviews() && !include_suggested;
    let mut order: Vec<usize> = (0..cat.procedures.len()).collect();
    order.sort_by(|&x, &y| {
        let (px, py) = (&cat.procedures[x], &cat.procedures[y]);
        (&cat.agencies[px.agency].name, &px.code).cmp(&(&cat.agencies[py.agency].name, &py.code))
    });
    let lists = cat
        .lists
        .iter()
        .enumerate()
        .map(|(li, l)| List {
            list: li,
            entries: order
                .iter()
                .filter_map(|&pi| {
                    let p = &cat.procedures[pi];
                    let cuts: Vec<ListCut> = p
                        .components
                        .iter()
                        .zip(&a.verdicts[pi])
                        .enumerate()
                        .filter_map(|(ci, (c, v))| {
                            let confirmed = counted(v, confirmed_only)?;
                            let sources: Vec<SourceIdx> = cut_sources(cat, c, v)
                                .iter()
                                .copied()
                                .filter(|s| l.sources.contains(s))
                                .collect();
                            (!sources.is_empty()).then_some(ListCut {
                                component: ci,
                                sources,
                                confirmed,
                            })
                        })
                        .collect();
                    (!cuts.is_empty()).then_some(ListEntry {
                        procedure: pi,
                        cuts,
                    })
                })
                .collect(),
        })
        .collect();
    Lists {
        confirmed_only,
        lists,
    }
}

/// Procedures and papers of a list, by ministry (in name order).
pub fn by_ministry(cat: &Catalog, l: &List) -> Vec<(AgencyIdx, usize, usize)> {
    let mut rows: Vec<(AgencyIdx, usize, usize)> = Vec::new();
    for e in &l.entries {
        let m = cat.procedures[e.procedure].agency;
        match rows.last_mut() {
            Some(r) if r.0 == m => {
                r.1 += 1;
                r.2 += e.cuts.len();
            }
            _ => rows.push((m, 1, e.cuts.len())),
        }
    }
    rows
}

fn status(c: &ListCut) -> &'static str {
    if c.confirmed {
        "đã xác nhận"
    } else {
        "máy đề xuất"
    }
}

fn source_names(cat: &Catalog, ss: &[SourceIdx]) -> String {
    ss.iter()
        .map(|&s| cat.sources[s].name.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The lists as text.
pub fn text(a: &Analysis, ls: &Lists) -> String {
    let cat = a.catalog;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Danh sách thủ tục hành chính cắt giảm giấy tờ bằng dữ liệu (ngày phân tích {}; {})\n",
        a.as_of.vi(),
        if ls.confirmed_only {
            "chỉ các cắt giảm đã được xác nhận"
        } else if a.has_reviews() {
            "cắt giảm đã xác nhận và máy đề xuất"
        } else {
            "máy đề xuất, chưa có quyết định rà soát"
        }
    );
    for l in &ls.lists {
        let meta = &cat.lists[l.list];
        let papers: usize = l.entries.iter().map(|e| e.cuts.len()).sum();
        let _ = writeln!(
            s,
            "{} — {} thủ tục, {} giấy tờ",
            meta.name,
            vi_number(l.entries.len()),
            vi_number(papers)
        );
        let mut current = None;
        for e in &l.entries {
            let p = &cat.procedures[e.procedure];
            if current != Some(p.agency) {
                current = Some(p.agency);
                let _ = writeln!(s, "  {}", cat.agencies[p.agency].name);
            }
            let _ = writeln!(s, "    {} {}", p.code, crate::text::shorten(&p.name, 100));
            for c in &e.cuts {
                let _ = writeln!(
                    s,
                    "      - {} ← {} [{}]",
                    crate::text::shorten(&p.components[c.component].text, 90),
                    source_names(cat, &c.sources),
                    status(c)
                );
            }
        }
        for (m, procs, papers) in by_ministry(cat, l) {
            let _ = writeln!(
                s,
                "  {:<40} {:>6} thủ tục {:>6} giấy tờ",
                crate::text::shorten(&cat.agencies[m].name, 40),
                vi_number(procs),
                vi_number(papers)
            );
        }
        let _ = writeln!(
            s,
            "  {:<40} {:>6} thủ tục {:>6} giấy tờ\n",
            TOTAL,
            vi_number(l.entries.len()),
            vi_number(papers)
        );
    }
    s
}

const ROW_HEADER: [&str; 8] = [
    "Danh sách",
    "Bộ, ngành",
    "Mã TTHC",
    "Tên thủ tục",
    "Mã thành phần",
    "Giấy tờ cắt giảm",
    "Nguồn dữ liệu",
    "Trạng thái",
];

fn rows(a: &Analysis, l: &List) -> Vec<Vec<Cell>> {
    let cat = a.catalog;
    let name = &cat.lists[l.list].name;
    l.entries
        .iter()
        .flat_map(|e| {
            let p = &cat.procedures[e.procedure];
            e.cuts.iter().map(move |c| {
                vec![
                    name.as_str().into(),
                    cat.agencies[p.agency].name.as_str().into(),
                    p.code.as_str().into(),
                    p.name.as_str().into(),
                    p.components[c.component].key.as_str().into(),
                    p.components[c.component].text.as_str().into(),
                    source_names(cat, &c.sources).into(),
                    status(c).into(),
                ]
            })
        })
        .collect()
}

/// Every paper of every list as CSV, one row each.
pub fn csv(a: &Analysis, ls: &Lists) -> Result<Vec<u8>, csv::Error> {
    table::csv(&Table {
        name: String::new(),
        header: ROW_HEADER.iter().map(|h| h.to_string()).collect(),
        rows: ls.lists.iter().flat_map(|l| rows(a, l)).collect(),
        widths: vec![],
    })
}

/// The counts: a row per ministry, a column pair per list, a total row.
fn counts_table(a: &Analysis, ls: &Lists) -> Table {
    let cat = a.catalog;
    let mut header = vec!["Bộ, ngành".to_owned()];
    for l in &ls.lists {
        let id = &cat.lists[l.list].id;
        header.push(format!("{id}: thủ tục"));
        header.push(format!("{id}: giấy tờ"));
    }
    let mut ministries: Vec<AgencyIdx> = ls
        .lists
        .iter()
        .flat_map(|l| l.entries.iter().map(|e| cat.procedures[e.procedure].agency))
        .collect();
    ministries.sort_by(|x, y| cat.agencies[*x].name.cmp(&cat.agencies[*y].name));
    ministries.dedup();
    let counts: Vec<Vec<(AgencyIdx, usize, usize)>> =
        ls.lists.iter().map(|l| by_ministry(cat, l)).collect();
    let mut rows: Vec<Vec<Cell>> = ministries
        .iter()
        .map(|&m| {
            let mut r: Vec<Cell> = vec![cat.agencies[m].name.as_str().into()];
            for c in &counts {
                let (p, g) = c
                    .iter()
                    .find(|x| x.0 == m)
                    .map(|x| (x.1, x.2))
                    .unwrap_or_default();
                r.push(p.into());
                r.push(g.into());
            }
            r
        })
        .collect();
    let mut total: Vec<Cell> = vec![TOTAL.into()];
    for l in &ls.lists {
        total.push(l.entries.len().into());
        total.push(l.entries.iter().map(|e| e.cuts.len()).sum::<usize>().into());
    }
    rows.push(total);
    let mut widths = vec![40.0];
    widths.extend(std::iter::repeat_n(14.0, header.len() - 1));
    Table {
        name: "Tổng hợp".into(),
        header,
        rows,
        widths,
    }
}

/// A workbook: the counts, then a sheet per list.
pub fn xlsx(a: &Analysis, ls: &Lists) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    book(a, ls).to_xlsx()
}

/// [`xlsx`]'s workbook, packed: it owns its text, so it can be written
/// after the analysis is dropped.
pub fn book(a: &Analysis, ls: &Lists) -> table::Book {
    let cat = a.catalog;
    let mut book = table::Book::new(a.as_of);
    book.push(table::Packed::from(&counts_table(a, ls)));
    // One list's rows at a time: each is packed, then its cells dropped.
    for (i, l) in ls.lists.iter().enumerate() {
        let mut sheet = table::Packed::new(
            format!(
                "{}. {}",
                i + 1,
                crate::text::shorten(&cat.lists[l.list].id, 27)
            ),
            ROW_HEADER.iter().map(|h| h.to_string()).collect(),
            vec![30.0, 30.0, 10.0, 50.0, 16.0, 60.0, 40.0, 14.0],
        );
        for row in rows(a, l) {
            sheet.push_row(&row);
        }
        book.push(sheet);
    }
    book
}

/// The `tthc.lists/1` document, written to `w` as it is made (one
/// procedure at a time), pretty-printed with a final newline.
pub fn write_json(a: &Analysis, ls: &Lists, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let doc = Node::Object(vec![
        ("schema", json!("tthc.lists/1").into()),
        ("as_of", json!(a.as_of.to_string()).into()),
        ("confirmed_only", json!(ls.confirmed_only).into()),
        (
            "lists",
            Node::items(|| ls.lists.iter().map(|l| list_json(a.catalog, l))),
        ),
    ]);
    crate::output::write_json(&doc, w)
}

/// One list: its figures whole, its procedures made as they are written.
fn list_json<'a>(cat: &'a Catalog, l: &'a List) -> Node<'a> {
    let src = |ss: &[SourceIdx]| crate::write::output::source_refs(cat, ss);
    let meta = &cat.lists[l.list];
    Node::Object(vec![
        ("id", json!(meta.id).into()),
        ("name", json!(meta.name).into()),
        ("source", json!(meta.source).into()),
        ("sources", src(&meta.sources).into()),
        (
            "by_ministry",
            json!(by_ministry(cat, l)
                .iter()
                .map(|&(m, p, g)| json!({
                    "agency": cat.agencies[m].id,
                    "name": cat.agencies[m].name,
                    "procedures": p,
                    "papers": g,
                }))
                .collect::<Vec<_>>())
            .into(),
        ),
        (
            "total",
            json!({
                "procedures": l.entries.len(),
                "papers": l.entries.iter().map(|e| e.cuts.len()).sum::<usize>(),
            })
            .into(),
        ),
        ("procedures", entries_json(cat, &l.entries)),
    ])
}

/// A list's procedures as a JSON array, each made as it is written.
fn entries_json<'a>(cat: &'a Catalog, entries: &'a [ListEntry]) -> Node<'a> {
    let src = |ss: &[SourceIdx]| crate::write::output::source_refs(cat, ss);
    Node::items(move || {
        entries.iter().map(move |e| {
            let p = &cat.procedures[e.procedure];
            json!({
                "code": p.code,
                "name": p.name,
                "agency": cat.agencies[p.agency].id,
                "cuts": e.cuts.iter().map(|c| {
                    let comp = &p.components[c.component];
                    json!({
                        "component_id": comp.id,
                        "component_key": comp.key,
                        "component": comp.text,
                        "sources": src(&c.sources),
                        "status": if c.confirmed { "confirmed" } else { "suggested" },
                    })
                }).collect::<Vec<_>>(),
            })
            .into()
        })
    })
}
