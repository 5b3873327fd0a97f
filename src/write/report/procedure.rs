//! One page per procedure: its facts, what its dossier comes to, and every
//! paper grouped by case in the portal's order (the cases by their own
//! numbering when they carry one), each with its verdict, the words
//! recognised, the sources and the reasoning chain. An empty dossier says
//! why it is empty.

use super::{Badge, Frame, RenderError, Sink, Site};
use crate::analysis::{ComponentVerdict, Outcome, Tally};
use crate::model::{Catalog, Component, Level};
use askama::Template;
use std::path::Path;

/// A link, or plain text when `href` is empty.
struct Link {
    text: String,
    href: String,
}

struct ComponentView {
    badge: Badge,
    text: String,
    recognised: Vec<String>,
    sources: Vec<Link>,
    /// `None` for papers to review: the group's note says why, once.
    reason: Option<String>,
    explanation: Vec<String>,
    provisions: Vec<Link>,
    /// The reviewers' decision, beside the machine's verdict.
    review: Option<ReviewView>,
}

/// A reviewer's decision as shown on a page.
struct ReviewView {
    key: &'static str,
    label: &'static str,
    /// Who decided, when, and their note, as one line.
    by: String,
}

fn review_view(cat: &Catalog, c: &Component, v: &ComponentVerdict) -> Option<ReviewView> {
    let state = v.review?;
    let r = cat.review_of(c)?;
    let mut by: Vec<String> = Vec::new();
    if let Some(who) = &r.reviewer {
        by.push(who.clone());
    }
    if let Some(d) = r.date {
        by.push(d.vi());
    }
    if let Some(n) = &r.note {
        by.push(n.clone());
    }
    Some(ReviewView {
        key: state.as_str(),
        label: crate::phrase::review_label(state),
        by: by.join(" · "),
    })
}

struct CaseGroup {
    /// Empty for the papers every case needs.
    name: String,
    components: Vec<ComponentView>,
}

#[derive(Template)]
#[template(path = "procedure.html")]
struct ProcedurePage {
    frame: Frame,
    code: String,
    name: String,
    agency: String,
    agency_id: String,
    sector: String,
    levels: String,
    handled_by: String,
    summary: String,
    empty: String,
    review_note: String,
    source: String,
    groups: Vec<CaseGroup>,
    notes: Vec<String>,
    legal_basis: Vec<Link>,
}

/// The words of a component that recognition matched, each with the
/// document type they name (`«Trích lục khai sinh» → Giấy khai sinh`);
/// for a component written by hand without them, the names of the types
/// it accepts.
fn recognised_words(cat: &Catalog, c: &Component) -> Vec<String> {
    if c.matched.is_empty() {
        return c
            .accepts
            .iter()
            .map(|&d| cat.document_types[d].name.clone())
            .collect();
    }
    crate::write::phrase::matched_words(cat, c)
}

/// The number a case carries at its start: `(2) Đối với…` → 2.
fn case_number(name: &str) -> Option<u32> {
    let rest = name.trim_start().strip_prefix('(')?;
    let (n, _) = rest.split_once(')')?;
    n.trim().parse().ok()
}

/// Components grouped by case: the common ones first, then the cases in
/// order of first appearance, or by their numbers when every case has one.
fn groups_of(components: &[Component]) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, c) in components.iter().enumerate() {
        let name = c.case.as_deref().unwrap_or_default().to_owned();
        match groups.iter_mut().find(|(g, _)| *g == name) {
            Some((_, v)) => v.push(i),
            None => groups.push((name, vec![i])),
        }
    }
    let cases: Vec<&(String, Vec<usize>)> = groups.iter().filter(|g| !g.0.is_empty()).collect();
    if cases.len() > 1 && cases.iter().all(|g| case_number(&g.0).is_some()) {
        // Stable: equal numbers keep the portal's order.
        groups.sort_by_key(|(g, _)| (!g.is_empty(), case_number(g)));
    } else {
        groups.sort_by_key(|(g, _)| !g.is_empty());
    }
    groups
}

fn view(site: &Site, c: &Component, v: &ComponentVerdict) -> ComponentView {
    let cat = site.cat();
    let outcome = v.outcome();
    let reason = crate::phrase::reason(cat, c, v);
    ComponentView {
        badge: Badge::of(outcome),
        text: c.text.clone(),
        recognised: recognised_words(cat, c),
        sources: v
            .sources
            .iter()
            .map(|&s| Link {
                text: cat.sources[s].name.clone(),
                href: format!("../nguon/{}.html", cat.sources[s].id),
            })
            .collect(),
        reason: (outcome != Outcome::Unrecognised).then(|| reason.clone()),
        // The chain without the sentence already shown.
        explanation: crate::phrase::steps(cat, c, v)
            .into_iter()
            .filter(|line| *line != reason)
            .collect(),
        provisions: c
            .provisions
            .iter()
            .map(|p| Link {
                text: crate::phrase::provision_text(p),
                href: site
                    .doc_page(&p.document)
                    .map(|h| format!("../{h}"))
                    .unwrap_or_default(),
            })
            .collect(),
        review: review_view(cat, c, v),
    }
}

/// How many procedure pages are rendered at once (in parallel) before they
/// are written: a few MiB of pages, never the whole site.
const CHUNK: usize = 256;

pub fn pages(site: &Site, out: &mut impl Sink) -> Result<(), RenderError> {
    use rayon::prelude::*;
    let procedures = site.cat().procedures.iter().zip(&site.a.verdicts);
    let all: Vec<_> = procedures.collect();
    for chunk in all.chunks(CHUNK) {
        let rendered = chunk
            .par_iter()
            .map(|&(p, vs)| Ok((format!("tthc/{}.html", p.code), page(site, p, vs).render()?)))
            .collect::<Result<Vec<_>, RenderError>>()?;
        for (path, html) in rendered {
            out.file(Path::new(&path), html.into_bytes())?;
        }
    }
    Ok(())
}

/// The page of one procedure.
fn page(site: &Site, p: &crate::model::Procedure, vs: &[ComponentVerdict]) -> ProcedurePage {
    let cat = site.cat();
    let tally = Tally::of(vs);
    let review_note = p
        .components
        .iter()
        .zip(vs)
        .find(|(_, v)| v.outcome() == Outcome::Unrecognised)
        .map(|(c, v)| crate::phrase::reason(cat, c, v))
        .unwrap_or_default();
    ProcedurePage {
        frame: site.frame(format!("{} {}", p.code, p.name), "../"),
        code: p.code.clone(),
        name: p.name.clone(),
        agency: cat.agencies[p.agency].name.clone(),
        agency_id: cat.agencies[p.agency].id.clone(),
        sector: p.sector.as_deref().unwrap_or_default().to_owned(),
        levels: p
            .levels
            .iter()
            .map(|l| match l {
                Level::Bo => "Cấp bộ",
                Level::Tinh => "Cấp tỉnh",
                Level::Xa => "Cấp xã",
            })
            .collect::<Vec<_>>()
            .join(", "),
        handled_by: p.handled_by.as_deref().unwrap_or_default().to_owned(),
        summary: crate::phrase::dossier_summary(&tally, crate::analysis::is_data_only(vs)),
        empty: if vs.is_empty() {
            crate::phrase::empty_dossier(p.notes.len())
        } else {
            String::new()
        },
        review_note,
        source: p
            .source
            .clone()
            .filter(|s| s.starts_with("https://") || s.starts_with("http://"))
            .unwrap_or_default(),
        groups: groups_of(&p.components)
            .into_iter()
            .map(|(name, idx)| CaseGroup {
                name,
                components: idx
                    .into_iter()
                    .map(|i| view(site, &p.components[i], &vs[i]))
                    .collect(),
            })
            .collect(),
        notes: p.notes.iter().map(|n| n.to_string()).collect(),
        legal_basis: p
            .legal_basis
            .iter()
            .map(|l| Link {
                text: match &l.title {
                    Some(t) => format!("{} — {t}", l.number),
                    None => l.number.to_string(),
                },
                href: site
                    .doc_page(&l.number)
                    .map(|h| format!("../{h}"))
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::case_number;

    #[test]
    fn case_numbers() {
        assert_eq!(case_number("(2) Đối với thuốc"), Some(2));
        assert_eq!(case_number(" (10) x"), Some(10));
        assert_eq!(case_number("Trường hợp 1"), None);
    }
}
