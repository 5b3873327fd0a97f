//! What changed between two analyses — two catalogues, or one catalogue at
//! two dates or under a scenario: procedures added and removed, components
//! whose verdict or review changed, and why, as typed reasons (a source's
//! readiness changed, the text changed, a reviewer decided, recognition
//! changed — an alias was added —, a source serves other papers…).
//! Components are matched by key, else by the text that reads most alike.

use crate::analysis::{Analysis, ComponentVerdict, ReviewState, Verdict};
use crate::catalogue::identity;
use crate::model::{Catalog, Component, Decision, Procedure, Source};
use crate::readiness::{readiness, Context, Readiness};
use crate::text::fold;
use std::collections::{BTreeSet, HashMap};

/// Why a component's verdict or review changed.
#[derive(Clone, Debug, PartialEq)]
pub enum Why {
    /// The component's text was edited.
    TextChanged,
    /// The document types recognised in it changed; `aliases` are names
    /// added to the catalogue that the text contains.
    Recognition {
        added: Vec<String>,
        removed: Vec<String>,
        aliases: Vec<(String, String)>,
    },
    /// A source's readiness changed: the provinces where it is ready, and
    /// its readiness in the first province that differs.
    Readiness {
        source: String,
        name: String,
        old_ready: usize,
        new_ready: usize,
        province: Option<String>,
        old: Option<Readiness>,
        new: Option<Readiness>,
    },
    /// What a source serves for this component changed (or the source
    /// was added or removed).
    Serves {
        source: String,
        name: String,
        now: bool,
    },
    /// A reviewer decided (again).
    Decided {
        decision: Decision,
        reviewer: Option<String>,
        date: Option<crate::date::Date>,
    },
    /// The decision on it was withdrawn.
    DecisionRemoved,
    /// Role, already-digital sources or elements relied on changed.
    Definition,
    /// Nothing of the above: other reference data (derivations, settings).
    Other,
}

impl Why {
    pub fn code(&self) -> &'static str {
        match self {
            Why::TextChanged => "text-changed",
            Why::Recognition { aliases, .. } if !aliases.is_empty() => "alias-added",
            Why::Recognition { .. } => "recognition-changed",
            Why::Readiness { .. } => "source-readiness",
            Why::Serves { .. } => "source-serves",
            Why::Decided { .. } => "reviewer-decided",
            Why::DecisionRemoved => "decision-removed",
            Why::Definition => "definition-changed",
            Why::Other => "other",
        }
    }
}

/// One change.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    ProcedureAdded {
        code: String,
        name: String,
    },
    ProcedureRemoved {
        code: String,
        name: String,
    },
    ComponentAdded {
        code: String,
        key: String,
        text: String,
        verdict: Verdict,
    },
    ComponentRemoved {
        code: String,
        key: String,
        text: String,
        verdict: Verdict,
    },
    Component {
        code: String,
        name: String,
        key: String,
        old_key: String,
        text: String,
        old_text: String,
        verdict: (Verdict, Verdict),
        review: (Option<ReviewState>, Option<ReviewState>),
        why: Vec<Why>,
    },
}

impl Change {
    pub fn code(&self) -> &str {
        match self {
            Change::ProcedureAdded { code, .. }
            | Change::ProcedureRemoved { code, .. }
            | Change::ComponentAdded { code, .. }
            | Change::ComponentRemoved { code, .. }
            | Change::Component { code, .. } => code,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Change::ProcedureAdded { .. } => "procedure-added",
            Change::ProcedureRemoved { .. } => "procedure-removed",
            Change::ComponentAdded { .. } => "component-added",
            Change::ComponentRemoved { .. } => "component-removed",
            Change::Component { .. } => "component-changed",
        }
    }
}

fn context(a: &Analysis) -> Context {
    Context {
        as_of: a.as_of,
        include_pilot: a.include_pilot,
        threshold: a.catalog.settings.coverage_threshold.value,
    }
}

/// The province ids of the analysis's scope, with their index.
fn scope(a: &Analysis) -> Vec<(String, usize)> {
    let cat = a.catalog;
    match a.province {
        Some(p) => vec![(cat.provinces[p].id.clone(), p)],
        None if cat.provinces.is_empty() => vec![(String::new(), usize::MAX)],
        None => cat
            .provinces
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect(),
    }
}

/// Whether a source serves a paper this component accepts (whole or an
/// element of it).
fn serves(cat: &Catalog, s: &Source, c: &Component) -> bool {
    c.accepts.iter().any(|&d| {
        s.documents.contains(&d)
            || cat.document_types[d]
                .elements
                .iter()
                .chain(&c.relies_on)
                .any(|e| s.elements.contains(e))
    })
}

struct Sides<'x, 'a> {
    old: &'x Analysis<'a>,
    new: &'x Analysis<'a>,
    old_scope: Vec<(String, usize)>,
    new_scope: Vec<(String, usize)>,
}

impl Sides<'_, '_> {
    fn why(
        &self,
        (c0, v0): (&Component, &ComponentVerdict),
        (c1, v1): (&Component, &ComponentVerdict),
    ) -> Vec<Why> {
        let (cat0, cat1) = (self.old.catalog, self.new.catalog);
        let mut why = Vec::new();
        if c0.fingerprint != c1.fingerprint {
            why.push(Why::TextChanged);
        }
        let docs = |cat: &Catalog, c: &Component| -> BTreeSet<String> {
            c.accepts
                .iter()
                .map(|&d| cat.document_types[d].id.clone())
                .collect()
        };
        let (d0, d1) = (docs(cat0, c0), docs(cat1, c1));
        if d0 != d1 {
            let added: Vec<String> = d1.difference(&d0).cloned().collect();
            let text = format!(" {} ", fold(&c1.text));
            let mut aliases = Vec::new();
            for id in &added {
                let Some(new_doc) = cat1.document_types.iter().find(|d| &d.id == id) else {
                    continue;
                };
                let before: Vec<String> = cat0
                    .document_types
                    .iter()
                    .find(|d| &d.id == id)
                    .map(|d| {
                        std::iter::once(&d.name)
                            .chain(&d.aliases)
                            .map(|a| fold(a))
                            .collect()
                    })
                    .unwrap_or_default();
                for a in std::iter::once(&new_doc.name).chain(&new_doc.aliases) {
                    let f = fold(a);
                    if !f.is_empty() && !before.contains(&f) && text.contains(&format!(" {f} ")) {
                        aliases.push((id.clone(), a.clone()));
                    }
                }
            }
            why.push(Why::Recognition {
                added,
                removed: d0.difference(&d1).cloned().collect(),
                aliases,
            });
        }
        let ids = |cat: &Catalog, ss: &[usize]| -> Vec<String> {
            ss.iter().map(|&s| cat.sources[s].id.clone()).collect()
        };
        if c0.role != c1.role
            || ids(cat0, &c0.already_digital) != ids(cat1, &c1.already_digital)
            || c0
                .relies_on
                .iter()
                .map(|&e| &cat0.elements[e].id)
                .collect::<Vec<_>>()
                != c1
                    .relies_on
                    .iter()
                    .map(|&e| &cat1.elements[e].id)
                    .collect::<Vec<_>>()
        {
            why.push(Why::Definition);
        }
        // The sources of the replacement on either side; else every source
        // that serves the component.
        let mut relevant: BTreeSet<String> = v0
            .sources
            .iter()
            .map(|&s| cat0.sources[s].id.clone())
            .chain(v1.sources.iter().map(|&s| cat1.sources[s].id.clone()))
            .collect();
        if relevant.is_empty() {
            for (cat, c) in [(cat0, c0), (cat1, c1)] {
                for s in cat.sources.iter().filter(|s| serves(cat, s, c)) {
                    relevant.insert(s.id.clone());
                }
            }
        }
        let (cx0, cx1) = (context(self.old), context(self.new));
        for id in &relevant {
            let s0 = cat0.sources.iter().find(|s| &s.id == id);
            let s1 = cat1.sources.iter().find(|s| &s.id == id);
            let on0 = s0.is_some_and(|s| serves(cat0, s, c0));
            let on1 = s1.is_some_and(|s| serves(cat1, s, c1));
            let name = s1.or(s0).map(|s| s.name.clone()).unwrap_or_default();
            if on0 != on1 {
                why.push(Why::Serves {
                    source: id.clone(),
                    name,
                    now: on1,
                });
                continue;
            }
            let (Some(s0), Some(s1)) = (s0, s1) else {
                continue;
            };
            let r0: HashMap<&str, Readiness> = self
                .old_scope
                .iter()
                .map(|(pid, p)| (pid.as_str(), readiness(s0, *p, &cx0)))
                .collect();
            let r1: HashMap<&str, Readiness> = self
                .new_scope
                .iter()
                .map(|(pid, p)| (pid.as_str(), readiness(s1, *p, &cx1)))
                .collect();
            let mut pids: Vec<&str> = r0.keys().chain(r1.keys()).copied().collect();
            pids.sort();
            pids.dedup();
            if let Some(first) = pids.iter().find(|p| r0.get(**p) != r1.get(**p)) {
                let ready =
                    |r: &HashMap<&str, Readiness>| r.values().filter(|x| x.is_ready()).count();
                why.push(Why::Readiness {
                    source: id.clone(),
                    name,
                    old_ready: ready(&r0),
                    new_ready: ready(&r1),
                    province: cat1
                        .provinces
                        .iter()
                        .chain(&cat0.provinces)
                        .find(|p| p.id == *first)
                        .map(|p| p.name.clone()),
                    old: r0.get(*first).copied(),
                    new: r1.get(*first).copied(),
                });
            }
        }
        let (r0, r1) = (cat0.review_of(c0), cat1.review_of(c1));
        match (r0, r1) {
            (_, Some(r))
                if r0.is_none_or(|o| {
                    (o.decision, &o.note, &o.reviewer, o.date)
                        != (r.decision, &r.note, &r.reviewer, r.date)
                }) =>
            {
                why.push(Why::Decided {
                    decision: r.decision,
                    reviewer: r.reviewer.clone(),
                    date: r.date,
                })
            }
            (Some(_), None) => why.push(Why::DecisionRemoved),
            _ => {}
        }
        if why.is_empty() && v0.verdict != v1.verdict {
            why.push(Why::Other);
        }
        why
    }
}

/// Pairs the components of two versions of a procedure: same key, else
/// the text that reads most alike. Returns (old, new) index pairs and the
/// unmatched of each side.
fn pair(p0: &Procedure, p1: &Procedure) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let mut pairs = Vec::new();
    let mut free1: Vec<bool> = vec![true; p1.components.len()];
    let mut left0 = Vec::new();
    for (i, c) in p0.components.iter().enumerate() {
        match p1.components.iter().position(|x| x.key == c.key) {
            Some(j) if free1[j] => {
                free1[j] = false;
                pairs.push((i, j));
            }
            _ => left0.push(i),
        }
    }
    let mut removed = Vec::new();
    for i in left0 {
        let cands = p1
            .components
            .iter()
            .enumerate()
            .filter(|(j, _)| free1[*j])
            .map(|(j, c)| (j, c.text.as_str()));
        match identity::most_alike(&p0.components[i].text, cands) {
            Some((j, _)) => {
                free1[j] = false;
                pairs.push((i, j));
            }
            None => removed.push(i),
        }
    }
    pairs.sort();
    let added = (0..p1.components.len()).filter(|&j| free1[j]).collect();
    (pairs, removed, added)
}

/// Every change from `old` to `new`, procedure by procedure in code order.
pub fn diff(old: &Analysis, new: &Analysis) -> Vec<Change> {
    let sides = Sides {
        old,
        new,
        old_scope: scope(old),
        new_scope: scope(new),
    };
    let (cat0, cat1) = (old.catalog, new.catalog);
    let mut out = Vec::new();
    let mut codes: Vec<&str> = cat0
        .procedures
        .iter()
        .chain(&cat1.procedures)
        .map(|p| p.code.as_str())
        .collect();
    codes.sort();
    codes.dedup();
    for code in codes {
        match (cat0.procedure_by_code(code), cat1.procedure_by_code(code)) {
            (None, Some(j)) => out.push(Change::ProcedureAdded {
                code: code.to_owned(),
                name: cat1.procedures[j].name.clone(),
            }),
            (Some(i), None) => out.push(Change::ProcedureRemoved {
                code: code.to_owned(),
                name: cat0.procedures[i].name.clone(),
            }),
            (Some(i), Some(j)) => {
                let (p0, p1) = (&cat0.procedures[i], &cat1.procedures[j]);
                let (vs0, vs1) = (&old.verdicts[i], &new.verdicts[j]);
                let (pairs, removed, added) = pair(p0, p1);
                for (a, b) in pairs {
                    let (c0, v0, c1, v1) = (&p0.components[a], &vs0[a], &p1.components[b], &vs1[b]);
                    if v0.verdict == v1.verdict && v0.review == v1.review {
                        let decided_again =
                            cat0.review_of(c0).map(|r| (r.decision, &r.note, r.date))
                                != cat1.review_of(c1).map(|r| (r.decision, &r.note, r.date));
                        if !decided_again {
                            continue;
                        }
                    }
                    out.push(Change::Component {
                        code: code.to_owned(),
                        name: p1.name.clone(),
                        key: c1.key.clone(),
                        old_key: c0.key.clone(),
                        text: c1.text.clone(),
                        old_text: c0.text.clone(),
                        verdict: (v0.verdict, v1.verdict),
                        review: (v0.review, v1.review),
                        why: sides.why((c0, v0), (c1, v1)),
                    });
                }
                for a in removed {
                    out.push(Change::ComponentRemoved {
                        code: code.to_owned(),
                        key: p0.components[a].key.clone(),
                        text: p0.components[a].text.clone(),
                        verdict: vs0[a].verdict,
                    });
                }
                for b in added {
                    out.push(Change::ComponentAdded {
                        code: code.to_owned(),
                        key: p1.components[b].key.clone(),
                        text: p1.components[b].text.clone(),
                        verdict: vs1[b].verdict,
                    });
                }
            }
            (None, None) => {}
        }
    }
    out
}
