//! One page per ministry: its procedures in a table that sorts and filters
//! (procedures with a cut, by sector, by verdict) and reads whole without
//! script, with a total row.

use super::{put, Badge, Frame, Num, RenderError, Sink, Site};
use crate::analysis::{Outcome, Tally};
use crate::plan::is_cut;
use askama::Template;
use std::collections::{BTreeMap, BTreeSet};

struct ProcRow {
    code: String,
    name: String,
    sector: String,
    components: Num,
    outcomes: Vec<Num>,
    data_only: bool,
    /// `1` when data cuts at least one paper.
    cut: &'static str,
    /// The outcomes present, space-separated keys.
    tokens: String,
}

#[derive(Template)]
#[template(path = "ministry.html")]
struct MinistryPage {
    frame: Frame,
    name: String,
    procedures: String,
    with_cut: String,
    heads: Vec<Badge>,
    rows: Vec<ProcRow>,
    total_components: Num,
    total: Vec<Num>,
    sectors: Vec<String>,
    present: Vec<Badge>,
}

pub fn pages(site: &Site, out: &mut impl Sink) -> Result<(), RenderError> {
    let cat = site.cat();
    let a = site.a;
    let mut by_agency: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, p) in cat.procedures.iter().enumerate() {
        by_agency.entry(p.agency).or_default().push(i);
    }
    for (agency, procs) in &by_agency {
        let ag = &cat.agencies[*agency];
        let mut total = Tally::default();
        let mut sectors = BTreeSet::new();
        let rows: Vec<ProcRow> = procs
            .iter()
            .map(|&i| {
                let p = &cat.procedures[i];
                let vs = &a.verdicts[i];
                let t = Tally::of(vs);
                total.add(&t);
                let sector = p.sector.clone().unwrap_or_default();
                if !sector.is_empty() {
                    sectors.insert(sector.clone());
                }
                ProcRow {
                    code: p.code.clone(),
                    name: p.name.clone(),
                    sector: sector.to_string(),
                    components: Num::new(vs.len()),
                    outcomes: Outcome::ALL.iter().map(|&o| Num::new(t.get(o))).collect(),
                    data_only: crate::analysis::is_data_only(vs),
                    cut: if vs.iter().any(|v| is_cut(v.verdict)) {
                        "1"
                    } else {
                        ""
                    },
                    tokens: Outcome::ALL
                        .iter()
                        .filter(|&&o| t.get(o) > 0)
                        .map(|o| o.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                }
            })
            .collect();
        let with_cut = rows.iter().filter(|r| !r.cut.is_empty()).count();
        let page = MinistryPage {
            frame: site.frame(ag.name.clone(), "../"),
            name: ag.name.clone(),
            procedures: crate::number::int(rows.len()),
            with_cut: crate::number::int(with_cut),
            heads: Outcome::ALL.iter().map(|&o| Badge::of(o)).collect(),
            total_components: Num::new(total.total()),
            total: Outcome::ALL
                .iter()
                .map(|&o| Num::new(total.get(o)))
                .collect(),
            present: Outcome::ALL
                .iter()
                .filter(|&&o| total.get(o) > 0)
                .map(|&o| Badge::of(o))
                .collect(),
            rows,
            sectors: sectors.into_iter().map(|s| s.to_string()).collect(),
        };
        put(out, format!("bo/{}.html", ag.id), &page)?;
    }
    Ok(())
}
