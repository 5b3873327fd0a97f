//! Laws of the solver, checked over generated catalogues (proptest):
//! - making a source ready, or extending its coverage, never turns a
//!   `replaceable` verdict into anything else;
//! - verdicts do not depend on the order of entries or files;
//! - every `replaceable` verdict's reasoning names a ready source;
//! - a cue (issued abroad, whose paper, how recent, which land, handed in)
//!   only ever restricts: it never turns a keep into a cut, nor any
//!   verdict into a better one.

use proptest::prelude::*;
use std::collections::BTreeMap;
use tthc::analysis::{analyse, Analysis, Options, Verdict};
use tthc::load::{FileKind, InputFile};
use tthc::model::{Catalog, SourceStatus};
use tthc::readiness::{readiness, Context};

#[derive(Clone, Debug)]
struct SourceSpec {
    status: u8,
    since: u8,
    docs: Vec<usize>,
    elements: Vec<usize>,
    coverage: Option<(u8, Vec<(usize, u8)>)>,
    /// Whose papers it holds (index into HOLDS), if it says.
    holds: Option<u8>,
    fresh: bool,
    land_phase: bool,
}

/// A cue on a component: kind, parameter, documents it qualifies.
type CueSpec = (u8, u8, Vec<usize>);

#[derive(Clone, Debug)]
struct Spec {
    provinces: usize,
    /// Per element: alternatives of inputs.
    elements: Vec<Vec<Vec<usize>>>,
    /// Per document: elements carried, holders (index into HOLDS), kind.
    docs: Vec<Vec<usize>>,
    doc_holders: Vec<Option<u8>>,
    doc_kind: Vec<bool>,
    sources: Vec<SourceSpec>,
    /// Per component: (accepts, relies_on).
    components: Vec<(Vec<usize>, Vec<usize>)>,
    /// Per component: its cues.
    cues: Vec<Vec<CueSpec>>,
}

const HOLDS: [&str; 4] = [
    "[vietnamese_citizen]",
    "[foreigner]",
    "[vietnamese_citizen, foreigner]",
    "[vietnamese_organisation]",
];

const SHARES: [f64; 4] = [0.3, 0.85, 0.95, 1.0];
const DATES: [&str; 3] = ["2025-06-01", "2026-01-01", "2026-09-01"];

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..4, 1usize..6, 1usize..5, 1usize..4).prop_flat_map(|(np, ne, nd, ns)| {
        let elements = prop::collection::vec(
            prop::collection::vec(prop::collection::vec(0..ne, 1..3), 0..2),
            ne,
        );
        let docs = prop::collection::vec(prop::collection::vec(0..ne, 0..4), nd);
        let source = (
            0u8..3,
            0u8..3,
            // A source serves at least one document (the validator
            // rejects sources that serve nothing).
            prop::collection::vec(0..nd, 1..3),
            prop::collection::vec(0..ne, 0..4),
            prop::option::of((0u8..4, prop::collection::vec((0..np, 0u8..4), 0..3))),
            (prop::option::of(0u8..4), any::<bool>(), any::<bool>()),
        )
            .prop_map(
                |(status, since, docs, elements, coverage, (holds, fresh, land_phase))| {
                    SourceSpec {
                        status,
                        since,
                        docs,
                        elements,
                        coverage,
                        holds,
                        fresh,
                        land_phase,
                    }
                },
            );
        let sources = prop::collection::vec(source, ns);
        let components = prop::collection::vec(
            (
                prop::collection::vec(0..nd, 1..3),
                prop::collection::vec(0..ne, 0..2),
            ),
            1..8,
        );
        let doc_extras = (
            prop::collection::vec(prop::option::of(0u8..4), nd),
            prop::collection::vec(prop::bool::weighted(0.2), nd),
        );
        let cues = prop::collection::vec(
            prop::collection::vec((0u8..5, 0u8..4, prop::collection::vec(0..nd, 0..2)), 0..3),
            8,
        );
        (
            Just(np),
            elements,
            docs,
            sources,
            components,
            doc_extras,
            cues,
        )
            .prop_map(
                |(
                    provinces,
                    elements,
                    docs,
                    sources,
                    components,
                    (doc_holders, doc_kind),
                    cues,
                )| {
                    Spec {
                        provinces,
                        elements,
                        docs,
                        doc_holders,
                        doc_kind,
                        sources,
                        components,
                        cues,
                    }
                },
            )
    })
}

fn list(ids: &[usize], prefix: &str) -> String {
    let mut v: Vec<usize> = ids.to_vec();
    v.sort();
    v.dedup();
    let items: Vec<String> = v.iter().map(|i| format!("{prefix}{i}")).collect();
    format!("[{}]", items.join(", "))
}

/// A cue as YAML, qualifying those of `docs` the component accepts.
fn cue_yaml(c: &CueSpec, accepts: &[usize]) -> String {
    let (kind, param, docs) = c;
    let docs: Vec<usize> = docs
        .iter()
        .copied()
        .filter(|d| accepts.contains(d))
        .collect();
    let what = match kind {
        0 => "cue: issued_abroad".to_owned(),
        1 => format!("cue: holder, holders: {}", HOLDS[*param as usize]),
        2 => format!(
            "cue: freshness, within: {{count: {}, unit: month}}",
            param + 1
        ),
        3 => format!(
            "cue: land, land: {}",
            if param % 2 == 0 {
                "residential"
            } else {
                "other"
            }
        ),
        _ => "cue: surrender".to_owned(),
    };
    format!("{{{what}, words: w, documents: {}}}", list(&docs, "d"))
}

/// Renders the spec as YAML files; `reverse` lists every section's entries
/// and the procedures' files in the opposite order; `cues` writes the
/// components' cues.
fn render(s: &Spec, reverse: bool, cues: bool) -> Vec<InputFile> {
    let order = |n: usize| -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        if reverse {
            v.reverse();
        }
        v
    };
    let mut y = String::from(
        "settings:\n  analysis_date: {value: \"2026-01-01\", source: t}\n  coverage_threshold: {value: 0.9, source: t}\nagencies:\n  - {id: bo, name: Bộ, kind: ministry}\nprovinces:\n",
    );
    for p in order(s.provinces) {
        y += &format!("  - {{id: p{p}, name: Tỉnh {p}, kind: province}}\n");
    }
    y += "elements:\n";
    for e in order(s.elements.len()) {
        let alts: Vec<String> = s.elements[e].iter().map(|a| list(a, "e")).collect();
        y += &format!(
            "  - {{id: e{e}, name: E{e}, derived_from: [{}]}}\n",
            alts.join(", ")
        );
    }
    y += "document_types:\n";
    for d in order(s.docs.len()) {
        let holders = s.doc_holders[d]
            .map(|h| format!(", holders: {}", HOLDS[h as usize]))
            .unwrap_or_default();
        let kind = if s.doc_kind[d] { ", kind: photo" } else { "" };
        y += &format!(
            "  - {{id: d{d}, name: D{d}, elements: {}{holders}{kind}}}\n",
            list(&s.docs[d], "e")
        );
    }
    y += "sources:\n";
    for i in order(s.sources.len()) {
        let src = &s.sources[i];
        let status = ["operational", "pilot", "planned"][src.status as usize];
        y += &format!(
            "  - id: s{i}\n    name: S{i}\n    kind: national_database\n    operator: bo\n    status: {status}\n"
        );
        if src.status == 2 {
            y += &format!("    due: \"{}\"\n", DATES[src.since as usize]);
        } else {
            y += &format!("    since: \"{}\"\n", DATES[src.since as usize]);
        }
        y += &format!(
            "    serves: {{documents: {}, elements: {}}}\n",
            list(&src.docs, "d"),
            list(&src.elements, "e")
        );
        if let Some(h) = src.holds {
            y += &format!("    holds: {{holders: {}, source: t}}\n", HOLDS[h as usize]);
        }
        if src.fresh {
            y += "    freshness: {kind: live, source: t}\n";
        }
        if src.land_phase {
            y += "    land_phase: {other_land_from: \"2026-09-01\", source: t}\n";
        }
        if let Some((def, by)) = &src.coverage {
            let mut seen = std::collections::BTreeMap::new();
            for (p, v) in by {
                seen.insert(*p, *v);
            }
            let by: Vec<String> = seen
                .iter()
                .map(|(p, v)| format!("{{province: p{p}, value: {}}}", SHARES[*v as usize]))
                .collect();
            y += &format!(
                "    coverage: {{default: {}, by_province: [{}], source: t}}\n",
                SHARES[*def as usize],
                by.join(", ")
            );
        }
    }
    let mut files = vec![InputFile {
        display: "catalog/reference.yaml".into(),
        kind: FileKind::Reference,
        text: y,
    }];
    for c in order(s.components.len()) {
        let (accepts, relies) = &s.components[c];
        let code = format!("1.{:06}", c + 1);
        let cue_list: Vec<String> = if cues {
            s.cues[c].iter().map(|q| cue_yaml(q, accepts)).collect()
        } else {
            vec![]
        };
        let text = format!(
            "code: \"{code}\"\nname: T{c}\nagency: bo\ncomponents:\n  - {{id: k, text: K, accepts: {}, relies_on: {}, cues: [{}]}}\n",
            list(accepts, "d"),
            list(relies, "e"),
            cue_list.join(", ")
        );
        // File names chosen so that reversing also reverses path order.
        let name = if reverse {
            format!("z{:03}.yaml", s.components.len() - c)
        } else {
            format!("a{c:03}.yaml")
        };
        files.push(InputFile {
            display: name,
            kind: FileKind::Procedure,
            text,
        });
    }
    files
}

fn load(s: &Spec, reverse: bool) -> Catalog {
    load_with(s, reverse, true)
}

fn load_with(s: &Spec, reverse: bool, cues: bool) -> Catalog {
    let loaded = tthc::load_files(&render(s, reverse, cues), vec![]);
    let errs: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
    loaded.catalog.unwrap_or_else(|| panic!("{errs:#?}"))
}

/// Verdicts by procedure code, with the ids of the sources named.
fn verdicts(a: &Analysis) -> BTreeMap<String, (Verdict, Vec<String>)> {
    a.catalog
        .procedures
        .iter()
        .zip(&a.verdicts)
        .map(|(p, vs)| {
            let mut ids: Vec<String> = vs[0]
                .sources
                .iter()
                .map(|&s| a.catalog.sources[s].id.clone())
                .collect();
            ids.sort();
            (p.code.clone(), (vs[0].verdict, ids))
        })
        .collect()
}

fn replaceable_codes(a: &Analysis) -> Vec<String> {
    verdicts(a)
        .into_iter()
        .filter(|(_, (v, _))| *v == Verdict::Replaceable)
        .map(|(c, _)| c)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn making_a_source_ready_keeps_replaceable(s in spec(), which in 0usize..4, pilot in any::<bool>()) {
        let cat = load(&s, false);
        let opts = Options { include_pilot: pilot, ..Default::default() };
        let before = replaceable_codes(&analyse(&cat, &opts));
        let mut ready = cat.clone();
        let si = which % ready.sources.len();
        ready.sources[si].status = SourceStatus::Operational;
        ready.sources[si].since = None;
        ready.sources[si].coverage = None;
        let after = verdicts(&analyse(&ready, &opts));
        for code in before {
            prop_assert_eq!(after[&code].0, Verdict::Replaceable, "{}", code);
        }
    }

    #[test]
    fn extending_coverage_keeps_replaceable(s in spec(), which in 0usize..4) {
        let cat = load(&s, false);
        let opts = Options::default();
        let before = replaceable_codes(&analyse(&cat, &opts));
        let mut wider = cat.clone();
        let si = which % wider.sources.len();
        if let Some(c) = &mut wider.sources[si].coverage {
            c.default = (c.default + 0.5).min(1.0);
            for v in c.by_province.values_mut() {
                *v = (*v + 0.5).min(1.0);
            }
        }
        let after = verdicts(&analyse(&wider, &opts));
        for code in before {
            prop_assert_eq!(after[&code].0, Verdict::Replaceable, "{}", code);
        }
    }

    #[test]
    fn verdicts_do_not_depend_on_order(s in spec(), pilot in any::<bool>()) {
        let opts = Options { include_pilot: pilot, ..Default::default() };
        let a = load(&s, false);
        let b = load(&s, true);
        prop_assert_eq!(verdicts(&analyse(&a, &opts)), verdicts(&analyse(&b, &opts)));
    }

    #[test]
    fn replaceable_reasoning_names_a_ready_source(s in spec(), pilot in any::<bool>()) {
        let cat = load(&s, false);
        let opts = Options { include_pilot: pilot, ..Default::default() };
        let a = analyse(&cat, &opts);
        let cx = Context {
            as_of: a.as_of,
            include_pilot: pilot,
            threshold: cat.settings.coverage_threshold.value,
        };
        for (p, vs) in cat.procedures.iter().zip(&a.verdicts) {
            let v = &vs[0];
            if v.verdict != Verdict::Replaceable {
                continue;
            }
            prop_assert!(!v.sources.is_empty());
            // The chain names a ready source, as data and in the sentence.
            let named = |st: &tthc::analysis::Step| match st {
                tthc::analysis::Step::Source(s) => v.sources.contains(&s.source),
                tthc::analysis::Step::Element(line) => matches!(line.via, tthc::analysis::ElementStep::Source(s) if v.sources.contains(&s)),
                _ => false,
            };
            prop_assert!(v.steps.iter().any(named));
            let text = tthc::phrase::steps(&cat, &p.components[0], v).join("\n");
            prop_assert!(v.sources.iter().any(|&si| text.contains(&cat.sources[si].name)));
            for &si in &v.sources {
                let ready_somewhere = (0..cat.provinces.len())
                    .any(|p| readiness(&cat.sources[si], p, &cx).is_ready());
                prop_assert!(ready_somewhere, "{} named but not ready", cat.sources[si].id);
            }
        }
    }

    #[test]
    fn a_cue_only_ever_restricts(s in spec(), pilot in any::<bool>()) {
        let opts = Options { include_pilot: pilot, ..Default::default() };
        let rank = |v: Verdict| match v {
            Verdict::Replaceable => 3,
            Verdict::Conditional => 2,
            Verdict::Partial => 1,
            _ => 0,
        };
        let without = verdicts(&analyse(&load_with(&s, false, false), &opts));
        let with = verdicts(&analyse(&load_with(&s, false, true), &opts));
        // A residential-land cue lifts the caveat of a land phase; every
        // other cue restricts.
        let widens = |c: usize| s.cues[c].iter().any(|q| q.0 == 3 && q.1 % 2 == 0);
        for (c, (code, (v, _))) in with.iter().enumerate() {
            let before = without[code].0;
            if before == Verdict::Keep {
                prop_assert_eq!(*v, Verdict::Keep, "{}", code);
            }
            if !widens(c) {
                prop_assert!(rank(*v) <= rank(before), "{}: {:?} with cues, {:?} without", code, v, before);
            }
        }
    }
}
