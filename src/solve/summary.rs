//! The summary of an analysis: counts by verdict and by review, the table
//! by ministry with its total row and the unlock ranking, added up from
//! each procedure's [`Contribution`]. A contribution depends on its own
//! procedure, the reference data, the reviewers' decisions and the options
//! alone, so the re-run cache may keep it between runs; the summary of an
//! [`Analysis`] and the one added up from contributions are the same.

use crate::analysis::{
    Analysis, Figures, MinistrySummary, Options, ReviewState, Summariser, Unlock, Verdict,
};
use crate::catalogue::cache::Drawer;
use crate::catalogue::validate::Listed;
use crate::date::Date;
use crate::model::{AgencyIdx, Catalog, ElementIdx, ProvinceIdx, SourceIdx};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// What the unlock ranking weighs: a source taken as ready everywhere, or
/// an element taken as available.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Candidate {
    Source(SourceIdx),
    Element(ElementIdx),
}

/// What one procedure adds to the summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    pub agency: AgencyIdx,
    /// Its figures, as one procedure of its ministry's row.
    pub figures: Figures,
    /// Its components by verdict, in [`Verdict::ALL`] order.
    pub verdicts: [usize; 6],
    /// Its components by review state, in [`ReviewState::ALL`] order.
    pub reviews: [usize; 4],
    /// Per candidate of the ranking (by its place), the components that
    /// it would make replaceable everywhere; only those above zero.
    pub unlocks: Vec<(usize, usize)>,
    /// The elements missing somewhere that its open components need.
    pub wants: Vec<ElementIdx>,
}

/// The summary of an analysis.
#[derive(Clone, Debug)]
pub struct Summary<'a> {
    pub catalog: &'a Catalog,
    pub as_of: Date,
    pub include_pilot: bool,
    pub province: Option<ProvinceIdx>,
    pub procedures: usize,
    pub components: usize,
    /// Components by verdict, in [`Verdict::ALL`] order.
    pub by_verdict: [usize; 6],
    /// Components by review state, in [`ReviewState::ALL`] order.
    pub by_review: [usize; 4],
    pub by_ministry: Vec<MinistrySummary>,
    /// The whole catalogue: the sum of `by_ministry`.
    pub totals: Figures,
    pub unlock: Vec<Unlock>,
}

impl<'a> Summary<'a> {
    /// The summary of a whole analysis.
    pub fn of(a: &Analysis<'a>) -> Summary<'a> {
        let all = || a.verdicts.iter().flatten();
        Summary {
            catalog: a.catalog,
            as_of: a.as_of,
            include_pilot: a.include_pilot,
            province: a.province,
            procedures: a.catalog.procedures.len(),
            components: all().count(),
            by_verdict: Verdict::ALL.map(|v| a.count(v)),
            by_review: ReviewState::ALL.map(|r| all().filter(|v| v.review == Some(r)).count()),
            by_ministry: a.by_ministry.clone(),
            totals: a.totals.clone(),
            unlock: a.unlock.clone(),
        }
    }

    /// Components with verdict `v`.
    pub fn count(&self, v: Verdict) -> usize {
        let at = Verdict::ALL.iter().position(|&x| x == v);
        at.map_or(0, |i| self.by_verdict[i])
    }

    /// Components in review state `r`.
    pub fn count_review(&self, r: ReviewState) -> usize {
        let at = ReviewState::ALL.iter().position(|&x| x == r);
        at.map_or(0, |i| self.by_review[i])
    }

    /// Whether any reviewer decision exists in the catalogue.
    pub fn has_reviews(&self) -> bool {
        !self.catalog.reviews.is_empty()
    }

    /// The total row of the table by ministry.
    pub fn total(&self) -> MinistrySummary {
        MinistrySummary {
            agency: String::new(),
            name: String::new(),
            figures: self.totals.clone(),
        }
    }
}

/// Adds up `contributions`, given in procedure code order, whose unlock
/// counts refer to `candidates`: the rows by ministry in the order an
/// analysis makes them, the ranking as it ranks.
pub(crate) fn add_up<'a>(
    cat: &'a Catalog,
    as_of: Date,
    include_pilot: bool,
    province: Option<ProvinceIdx>,
    candidates: &[Candidate],
    contributions: impl IntoIterator<Item = Contribution>,
) -> Summary<'a> {
    let mut rows: Vec<MinistrySummary> = Vec::new();
    let mut index: HashMap<AgencyIdx, usize> = HashMap::new();
    let (mut procedures, mut components) = (0, 0);
    let (mut by_verdict, mut by_review) = ([0; 6], [0; 4]);
    let mut unlocked = vec![(0usize, 0usize); candidates.len()];
    let mut wanted = BTreeSet::new();
    for c in contributions {
        let i = *index.entry(c.agency).or_insert_with(|| {
            rows.push(MinistrySummary {
                agency: cat.agencies[c.agency].id.clone(),
                name: cat.agencies[c.agency].name.clone(),
                ..Default::default()
            });
            rows.len() - 1
        });
        rows[i].figures.add(&c.figures);
        procedures += 1;
        components += c.figures.components;
        for (sum, n) in by_verdict.iter_mut().zip(c.verdicts) {
            *sum += n;
        }
        for (sum, n) in by_review.iter_mut().zip(c.reviews) {
            *sum += n;
        }
        for (k, n) in c.unlocks {
            if let Some(u) = unlocked.get_mut(k) {
                u.0 += n;
                u.1 += 1;
            }
        }
        wanted.extend(c.wants);
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    let mut totals = Figures::default();
    for m in &rows {
        totals.add(&m.figures);
    }
    let mut unlock = Vec::new();
    for (&candidate, &(components, procedures)) in candidates.iter().zip(&unlocked) {
        let (kind, id, name) = match candidate {
            Candidate::Source(s) => ("source", &cat.sources[s].id, &cat.sources[s].name),
            Candidate::Element(e) if wanted.contains(&e) => {
                ("element", &cat.elements[e].id, &cat.elements[e].name)
            }
            Candidate::Element(_) => continue,
        };
        if components > 0 {
            unlock.push(Unlock {
                kind,
                id: id.clone(),
                name: name.clone(),
                components,
                procedures,
            });
        }
    }
    Unlock::rank(&mut unlock);
    Summary {
        catalog: cat,
        as_of,
        include_pilot,
        province,
        procedures,
        components,
        by_verdict,
        by_review,
        by_ministry: rows,
        totals,
        unlock,
    }
}

/// The summary of `cat` under `opts`, each procedure of `listed` (every
/// procedure of the catalogue, in code order) added from its model when
/// it is in `cat`, else from its contribution kept in `drawer`; what is
/// made is put there. `None` when a procedure left on the shelf has no
/// usable contribution: the caller summarises the whole model instead.
pub fn summarise<'a>(
    cat: &'a Catalog,
    listed: &[Listed],
    opts: &Options,
    mut drawer: Option<&mut Drawer>,
) -> Option<Summary<'a>> {
    let summariser = Summariser::new(cat, opts);
    let mut models = cat.procedures.iter();
    let mut contributions = Vec::with_capacity(listed.len());
    for l in listed {
        let c = if l.in_model {
            let p = models.next().filter(|p| p.code == l.code)?;
            let c = summariser.contribution(p);
            if let (Some(d), Some(content)) = (drawer.as_deref_mut(), l.content) {
                if let Ok(bytes) = postcard::to_stdvec(&c) {
                    d.put(&l.file, content, bytes);
                }
            }
            c
        } else {
            let bytes = drawer.as_deref_mut()?.take(&l.file, l.content?)?;
            let c: Contribution = postcard::from_bytes(&bytes).ok()?;
            summariser.fits(&c).then_some(c)?
        };
        contributions.push(c);
    }
    Some(summariser.summary(contributions))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::summary as shown;

    /// The summary added up from contributions reads as the analysis's own,
    /// under every kind of option.
    #[test]
    fn contributions_add_up_to_the_analysis_summary() {
        let loaded = crate::load_catalogue(std::path::Path::new("procedures"));
        let cat = loaded.catalog.expect("the shipped catalogue is valid");
        let date = |s: &str| s.parse::<Date>().ok();
        let options = [
            Options::default(),
            Options {
                as_of: date("2030-01-01"),
                ..Options::default()
            },
            Options {
                as_of: date("2025-07-01"),
                include_pilot: true,
                ..Options::default()
            },
            Options {
                province: Some(3),
                ..Options::default()
            },
            Options {
                province: Some(cat.provinces.len() - 1),
                include_pilot: true,
                ..Options::default()
            },
        ];
        for opts in options {
            let a = crate::analysis::analyse(&cat, &opts);
            let whole = Summary::of(&a);
            let added = summarise(&cat, &loaded.listed, &opts, None).expect("every model given");
            assert_eq!(shown::text(&added), shown::text(&whole), "{opts:?}");
            assert_eq!(
                crate::output::summary_json(&added),
                crate::output::summary_json(&whole),
                "{opts:?}"
            );
            assert_eq!(
                shown::csv(&added).unwrap(),
                shown::csv(&whole).unwrap(),
                "{opts:?}"
            );
        }
    }

    /// A procedure left on the shelf without a drawer cannot be added.
    #[test]
    fn a_shelved_procedure_needs_its_contribution() {
        let loaded = crate::load_catalogue(std::path::Path::new("procedures"));
        let cat = loaded.catalog.expect("the shipped catalogue is valid");
        let mut listed = loaded.listed.clone();
        listed[0].in_model = false;
        listed[0].content = Some(1);
        assert!(summarise(&cat, &listed, &Options::default(), None).is_none());
    }
}
