//! Verdicts: for every component, whether data replaces it, where, from
//! when, through which source and legal basis — and if not, the nearest
//! missing link. Then the catalogue-level answers: the lists by ministry
//! split by route (VNeID papers versus database look-ups) and the ranking
//! of what would unlock the most components if it were ready.

use crate::date::Date;
use crate::model::*;
use crate::readiness::{self, Context, Readiness};
pub use crate::solve::review::{ReviewFigures, ReviewState};
use crate::solver::{Availability, EvidenceGraph, Via};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// What the user asked for.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Analysis date; default: the catalogue's `analysis_date`.
    pub as_of: Option<Date>,
    /// One province; default: all, for the national verdict.
    pub province: Option<ProvinceIdx>,
    /// Count pilot sources as ready.
    pub include_pilot: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Replaceable,
    Conditional,
    Partial,
    AlreadyDigital,
    Form,
    Keep,
}

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Verdict::Replaceable,
        Verdict::Conditional,
        Verdict::Partial,
        Verdict::AlreadyDigital,
        Verdict::Form,
        Verdict::Keep,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Replaceable => "replaceable",
            Verdict::Conditional => "conditional",
            Verdict::Partial => "partial",
            Verdict::AlreadyDigital => "already-digital",
            Verdict::Form => "form",
            Verdict::Keep => "keep",
        }
    }
    /// Vietnamese label for reports.
    pub fn vi(self) -> &'static str {
        match self {
            Verdict::Replaceable => "thay thế được",
            Verdict::Conditional => "thay thế có điều kiện",
            Verdict::Partial => "thay thế một phần",
            Verdict::AlreadyDigital => "đã khai thác dữ liệu",
            Verdict::Form => "tờ khai, đơn",
            Verdict::Keep => "giữ nguyên",
        }
    }
}

/// How data replaces a component in one state.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// Ready sources serve accepted documents whole: every such
    /// alternative, in the component's order, with its sources.
    Whole { docs: Vec<(DocIdx, Vec<SourceIdx>)> },
    /// Every element relied on is available.
    Elements {
        doc: DocIdx,
        elements: Vec<(ElementIdx, Via)>,
    },
}

impl Route {
    /// The first alternative that data replaces.
    pub fn doc(&self) -> DocIdx {
        match self {
            Route::Whole { docs } => docs[0].0,
            Route::Elements { doc, .. } => *doc,
        }
    }
}

/// Why a replacement holds only under conditions.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// Only in these provinces (the others listed with the reason).
    Provinces {
        ready: Vec<ProvinceIdx>,
        not_ready: Vec<ProvinceIdx>,
        /// The sources of its accepted documents that are not ready in the
        /// first province of `not_ready`, with why.
        blocked: Vec<(SourceIdx, Readiness)>,
    },
    /// Only when pilot sources count.
    Pilot { sources: Vec<SourceIdx> },
    /// Only from a later date.
    From { date: Date, sources: Vec<SourceIdx> },
}

/// A missing link: an element (or a whole document) no ready source supplies,
/// with the sources that would supply it and why they are not ready.
#[derive(Clone, Debug, PartialEq)]
pub struct Missing {
    pub element: Option<ElementIdx>,
    pub document: Option<DocIdx>,
    pub candidates: Vec<(SourceIdx, Readiness)>,
}

/// Why a component got its verdict: a stable code (the JSON's
/// `reason_code`). The facts the sentence needs are the verdict's own
/// fields (route, condition, partial document, missing links);
/// [`crate::write::phrase`] turns them into Vietnamese.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonCode {
    /// The application form or declaration itself.
    Form,
    /// The procedure already takes the information from a database.
    AlreadyDigital,
    /// The text names no document type of the catalogue: to review.
    Unrecognised,
    /// Ready sources serve an accepted document whole, everywhere, now.
    ReplacedByDocument,
    /// Every element the component relies on is served, everywhere, now.
    ReplacedByElements,
    /// Replaced only in some provinces.
    SomeProvinces,
    /// Replaced only if pilot sources count.
    PilotOnly,
    /// Replaced only from a later date.
    FromDate,
    /// Some of the information is available; the rest is named.
    PartialElements,
    /// Sources exist for what is missing, but none is ready.
    SourceNotReady,
    /// No source supplies what is missing.
    NoSource,
    /// Every required part of the component is replaced.
    AllParts,
    /// Some required parts are replaced; the others are still to be given.
    SomeParts,
    /// The component asks for several papers together; data replaces none.
    NoPart,
    /// (A part) a paper no document type names: data cannot replace it.
    NotNamed,
}

impl ReasonCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::Form => "form",
            ReasonCode::AlreadyDigital => "already-digital",
            ReasonCode::Unrecognised => "unrecognised",
            ReasonCode::ReplacedByDocument => "replaced-by-document",
            ReasonCode::ReplacedByElements => "replaced-by-elements",
            ReasonCode::SomeProvinces => "some-provinces",
            ReasonCode::PilotOnly => "pilot-only",
            ReasonCode::FromDate => "from-date",
            ReasonCode::PartialElements => "partial-elements",
            ReasonCode::SourceNotReady => "source-not-ready",
            ReasonCode::NoSource => "no-source",
            ReasonCode::AllParts => "all-parts",
            ReasonCode::SomeParts => "some-parts",
            ReasonCode::NoPart => "no-part",
            ReasonCode::NotNamed => "not-named",
        }
    }
}

/// One step of a verdict's reasoning chain, as data; phrased by
/// [`crate::write::phrase::steps`].
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// The alternatives the component accepts.
    Accepts,
    /// One of several papers the component asks for together, with its
    /// own verdict (in [`ComponentVerdict::parts`]).
    Part(usize),
    /// A source (serving `doc`, if given): its status, dates, legal basis.
    Source {
        doc: Option<DocIdx>,
        source: SourceIdx,
    },
    /// Every element `doc` needs is available from data (the elements follow).
    ElementsOf(DocIdx),
    /// How an element is available, `depth` levels down a derivation.
    Element {
        element: ElementIdx,
        depth: usize,
        via: ElementStep,
    },
    /// The verdict's reason.
    Reason,
}

/// How one element of a reasoning chain is (not) available.
#[derive(Clone, Debug, PartialEq)]
pub enum ElementStep {
    Source(SourceIdx),
    /// Derived from these elements (their own steps follow).
    Derived(Vec<ElementIdx>),
    Assumed,
    Missing,
}

#[derive(Clone, Debug)]
pub struct ComponentVerdict {
    pub verdict: Verdict,
    /// Sources that replace it (or that it already uses).
    pub sources: Vec<SourceIdx>,
    pub route: Option<Route>,
    pub condition: Option<Condition>,
    /// Elements available, for partial verdicts.
    pub available: Vec<ElementIdx>,
    pub missing: Vec<Missing>,
    /// The accepted document whose elements are partly available.
    pub partial_of: Option<DocIdx>,
    pub reason: ReasonCode,
    /// The reasoning chain.
    pub steps: Vec<Step>,
    /// The reviewers' word on it, beside the machine's.
    pub review: Option<ReviewState>,
    /// For a component asking for several papers together: each part's
    /// verdict, in the component's order (empty otherwise).
    pub parts: Vec<ComponentVerdict>,
}

impl ComponentVerdict {
    fn new(verdict: Verdict, reason: ReasonCode) -> Self {
        ComponentVerdict {
            verdict,
            sources: vec![],
            route: None,
            condition: None,
            available: vec![],
            missing: vec![],
            partial_of: None,
            reason,
            steps: vec![],
            review: None,
            parts: vec![],
        }
    }
}

/// What a reader is told about a component: the verdict, with `keep`
/// split into papers nobody recognised (a reviewer must look) and papers
/// recognised but with no ready data source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Replaceable,
    Conditional,
    Partial,
    AlreadyDigital,
    Form,
    /// `keep` because the paper matches no document type: to review.
    Unrecognised,
    /// `keep` although recognised: no ready source supplies it.
    NoSource,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::Replaceable,
        Outcome::Conditional,
        Outcome::Partial,
        Outcome::AlreadyDigital,
        Outcome::Form,
        Outcome::Unrecognised,
        Outcome::NoSource,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Replaceable => "replaceable",
            Outcome::Conditional => "conditional",
            Outcome::Partial => "partial",
            Outcome::AlreadyDigital => "already-digital",
            Outcome::Form => "form",
            Outcome::Unrecognised => "unrecognised",
            Outcome::NoSource => "no-source",
        }
    }
}

impl ComponentVerdict {
    pub fn outcome(&self) -> Outcome {
        match self.verdict {
            Verdict::Replaceable => Outcome::Replaceable,
            Verdict::Conditional => Outcome::Conditional,
            Verdict::Partial => Outcome::Partial,
            Verdict::AlreadyDigital => Outcome::AlreadyDigital,
            Verdict::Form => Outcome::Form,
            Verdict::Keep if self.reason == ReasonCode::Unrecognised => Outcome::Unrecognised,
            Verdict::Keep => Outcome::NoSource,
        }
    }
}

/// Components counted by [`Outcome`]; the counts add up to every component.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub replaceable: usize,
    pub conditional: usize,
    pub partial: usize,
    pub already_digital: usize,
    pub form: usize,
    pub unrecognised: usize,
    pub no_source: usize,
}

impl Tally {
    pub fn of(vs: &[ComponentVerdict]) -> Tally {
        let mut t = Tally::default();
        for v in vs {
            *t.slot(v.outcome()) += 1;
        }
        t
    }
    fn slot(&mut self, o: Outcome) -> &mut usize {
        match o {
            Outcome::Replaceable => &mut self.replaceable,
            Outcome::Conditional => &mut self.conditional,
            Outcome::Partial => &mut self.partial,
            Outcome::AlreadyDigital => &mut self.already_digital,
            Outcome::Form => &mut self.form,
            Outcome::Unrecognised => &mut self.unrecognised,
            Outcome::NoSource => &mut self.no_source,
        }
    }
    pub fn get(&self, o: Outcome) -> usize {
        match o {
            Outcome::Replaceable => self.replaceable,
            Outcome::Conditional => self.conditional,
            Outcome::Partial => self.partial,
            Outcome::AlreadyDigital => self.already_digital,
            Outcome::Form => self.form,
            Outcome::Unrecognised => self.unrecognised,
            Outcome::NoSource => self.no_source,
        }
    }
    pub fn add(&mut self, other: &Tally) {
        for o in Outcome::ALL {
            *self.slot(o) += other.get(o);
        }
    }
    /// Every component.
    pub fn total(&self) -> usize {
        Outcome::ALL.iter().map(|&o| self.get(o)).sum()
    }
    /// The papers: every component but the forms.
    pub fn evidence(&self) -> usize {
        self.total() - self.form
    }
}

/// The figures of a set of procedures (one ministry, or all of them).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Figures {
    pub procedures: usize,
    pub components: usize,
    pub replaceable_components: usize,
    pub conditional_components: usize,
    /// Procedures with at least one replaceable component.
    pub procedures_replaceable: usize,
    /// … of which through a paper integrated in VNeID.
    pub via_vneid: usize,
    /// … of which through a database look-up (no VNeID paper involved).
    pub via_database: usize,
    /// Procedures whose every evidence component is replaceable or already digital.
    pub data_only: usize,
    /// Procedures whose record names no dossier component at all.
    pub empty_dossiers: usize,
    /// Components by outcome (`keep` split into unrecognised / no source).
    pub by_outcome: Tally,
    /// Machine-suggested cuts beside reviewer-confirmed ones.
    pub review: ReviewFigures,
}

impl Figures {
    /// Adds one procedure's verdicts.
    fn add_procedure(&mut self, cat: &Catalog, vs: &[ComponentVerdict]) {
        self.procedures += 1;
        self.components += vs.len();
        let tally = Tally::of(vs);
        self.replaceable_components += tally.replaceable;
        self.conditional_components += tally.conditional;
        self.by_outcome.add(&tally);
        let repl: Vec<&ComponentVerdict> = vs
            .iter()
            .filter(|v| v.verdict == Verdict::Replaceable)
            .collect();
        if !repl.is_empty() {
            self.procedures_replaceable += 1;
            if repl.iter().any(|v| via_wallet(cat, v)) {
                self.via_vneid += 1;
            }
            if repl.iter().any(|v| !via_wallet(cat, v)) {
                self.via_database += 1;
            }
        }
        if is_data_only(vs) {
            self.data_only += 1;
        }
        if vs.is_empty() {
            self.empty_dossiers += 1;
        }
        self.review.add_procedure(vs);
    }

    /// Adds another set's figures (a total row).
    pub fn add(&mut self, o: &Figures) {
        self.procedures += o.procedures;
        self.components += o.components;
        self.replaceable_components += o.replaceable_components;
        self.conditional_components += o.conditional_components;
        self.procedures_replaceable += o.procedures_replaceable;
        self.via_vneid += o.via_vneid;
        self.via_database += o.via_database;
        self.data_only += o.data_only;
        self.empty_dossiers += o.empty_dossiers;
        self.by_outcome.add(&o.by_outcome);
        self.review.add(&o.review);
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct MinistrySummary {
    pub agency: String,
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Clone, Debug, Serialize)]
pub struct Unlock {
    /// `source` or `element`.
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    /// Components that would become replaceable.
    pub components: usize,
    /// Procedures that would gain a replaceable component.
    pub procedures: usize,
}

/// The analysis of a whole catalogue in one context.
#[derive(Debug)]
pub struct Analysis<'a> {
    pub catalog: &'a Catalog,
    pub as_of: Date,
    pub include_pilot: bool,
    pub province: Option<ProvinceIdx>,
    /// Per procedure, per component.
    pub verdicts: Vec<Vec<ComponentVerdict>>,
    pub by_ministry: Vec<MinistrySummary>,
    /// The whole catalogue: the sum of `by_ministry`.
    pub totals: Figures,
    pub unlock: Vec<Unlock>,
}

impl Analysis<'_> {
    /// The total row of the table by ministry.
    pub fn total(&self) -> MinistrySummary {
        MinistrySummary {
            agency: String::new(),
            name: String::new(),
            figures: self.totals.clone(),
        }
    }

    /// Whether any reviewer decision exists in the catalogue.
    pub fn has_reviews(&self) -> bool {
        !self.catalog.reviews.is_empty()
    }

    pub fn count(&self, v: Verdict) -> usize {
        self.verdicts
            .iter()
            .flatten()
            .filter(|c| c.verdict == v)
            .count()
    }
}

/// What data replaces of a component in one state.
enum Eval {
    Replaced(Route),
    Partial {
        doc: DocIdx,
        have: Vec<ElementIdx>,
        missing: Vec<ElementIdx>,
    },
    Nothing,
}

struct Engine<'a> {
    cat: &'a Catalog,
    graph: EvidenceGraph,
    cache: HashMap<(Vec<bool>, Vec<ElementIdx>), Rc<Availability>>,
    provinces: Vec<ProvinceIdx>,
}

impl<'a> Engine<'a> {
    /// Availability in every province of the scope under `cx`, with
    /// `assume` elements taken as available (for what-if questions).
    fn states(
        &mut self,
        cx: &Context,
        force_source: Option<SourceIdx>,
        assume: &[ElementIdx],
    ) -> Vec<Rc<Availability>> {
        let sets = readiness::ready_sets(self.cat, &self.provinces, cx);
        sets.into_iter()
            .map(|mut set| {
                if let Some(s) = force_source {
                    set[s] = true;
                }
                let key = (set, assume.to_vec());
                if let Some(a) = self.cache.get(&key) {
                    return a.clone();
                }
                let a = Rc::new(self.graph.availability_assuming(&key.0, assume));
                self.cache.insert(key, a.clone());
                a
            })
            .collect()
    }

    /// The elements `c` needs from `doc`.
    fn needed(&self, c: &Component, doc: DocIdx) -> Vec<ElementIdx> {
        if c.relies_on.is_empty() {
            self.cat.document_types[doc].elements.clone()
        } else {
            c.relies_on.clone()
        }
    }

    fn eval(&self, c: &Component, av: &Availability) -> Eval {
        let docs: Vec<(DocIdx, Vec<SourceIdx>)> = c
            .accepts
            .iter()
            .filter(|&&d| !av.documents[d].is_empty())
            .map(|&d| (d, av.documents[d].clone()))
            .collect();
        if !docs.is_empty() {
            return Eval::Replaced(Route::Whole { docs });
        }
        let mut best: Option<(DocIdx, Vec<ElementIdx>, Vec<ElementIdx>)> = None;
        for &d in &c.accepts {
            let needed = self.needed(c, d);
            if needed.is_empty() {
                continue;
            }
            let (have, missing): (Vec<ElementIdx>, Vec<ElementIdx>) =
                needed.iter().partition(|&&e| av.elements[e].is_some());
            if missing.is_empty() {
                return Eval::Replaced(Route::Elements {
                    doc: d,
                    elements: have
                        .iter()
                        .map(|&e| (e, av.elements[e].clone().expect("available")))
                        .collect(),
                });
            }
            if !have.is_empty() && best.as_ref().is_none_or(|b| have.len() > b.1.len()) {
                best = Some((d, have, missing));
            }
        }
        match best {
            Some((doc, have, missing)) => Eval::Partial { doc, have, missing },
            None => Eval::Nothing,
        }
    }

    /// The ready sources at the roots of an element's availability.
    fn element_sources(&self, e: ElementIdx, av: &Availability, out: &mut BTreeSet<SourceIdx>) {
        match &av.elements[e] {
            Some(Via::Sources(ss)) => {
                out.extend(ss.iter().copied());
            }
            Some(Via::Derivation(d)) => {
                for &i in &self.graph.derivations[*d].1 {
                    self.element_sources(i, av, out);
                }
            }
            Some(Via::Assumed) | None => {}
        }
    }

    fn route_sources(&self, r: &Route, av: &Availability) -> Vec<SourceIdx> {
        match r {
            Route::Whole { docs } => {
                let all: BTreeSet<SourceIdx> =
                    docs.iter().flat_map(|(_, ss)| ss.iter().copied()).collect();
                all.into_iter().collect()
            }
            Route::Elements { elements, .. } => {
                let mut out = BTreeSet::new();
                for (e, _) in elements {
                    self.element_sources(*e, av, &mut out);
                }
                out.into_iter().collect()
            }
        }
    }

    /// Whether `c` is replaced in every province of `states`: each of its
    /// required parts.
    fn replaced_everywhere(&self, c: &Component, states: &[Rc<Availability>]) -> bool {
        let replaced = |c: &Component| {
            !c.accepts.is_empty()
                && states
                    .iter()
                    .all(|av| matches!(self.eval(c, av), Eval::Replaced(_)))
        };
        c.role == Role::Evidence
            && c.already_digital.is_empty()
            && c.unrecognised.is_none()
            && if c.parts.len() > 1 {
                (0..c.parts.len()).all(|i| replaced(&c.part(i)))
            } else {
                replaced(c)
            }
    }
}

/// Runs the analysis.
pub fn analyse<'a>(cat: &'a Catalog, opts: &Options) -> Analysis<'a> {
    let as_of = opts.as_of.unwrap_or(cat.settings.analysis_date.value);
    let cx = Context {
        as_of,
        include_pilot: opts.include_pilot,
        threshold: cat.settings.coverage_threshold.value,
    };
    let provinces: Vec<ProvinceIdx> = match opts.province {
        Some(p) => vec![p],
        None if cat.provinces.is_empty() => vec![usize::MAX],
        None => (0..cat.provinces.len()).collect(),
    };
    let mut engine = Engine {
        cat,
        graph: EvidenceGraph::build(cat),
        cache: HashMap::new(),
        provinces,
    };
    let base = engine.states(&cx, None, &[]);
    let pilot_cx = Context {
        include_pilot: true,
        ..cx
    };
    let pilot = (!cx.include_pilot).then(|| engine.states(&pilot_cx, None, &[]));
    let future: Vec<(Date, Vec<Rc<Availability>>)> = readiness::change_dates(cat, as_of)
        .into_iter()
        .map(|d| {
            let fcx = Context { as_of: d, ..cx };
            (d, engine.states(&fcx, None, &[]))
        })
        .collect();

    let verdicts: Vec<Vec<ComponentVerdict>> = cat
        .procedures
        .iter()
        .map(|p| {
            p.components
                .iter()
                .map(|c| ComponentVerdict {
                    review: crate::solve::review::state(cat, c),
                    ..verdict(&engine, &cx, c, &base, pilot.as_deref(), &future)
                })
                .collect()
        })
        .collect();
    let by_ministry = by_ministry(cat, &verdicts);
    let mut totals = Figures::default();
    for m in &by_ministry {
        totals.add(&m.figures);
    }
    let unlock = unlock_ranking(&mut engine, &cx, &base, &verdicts);
    Analysis {
        catalog: cat,
        as_of,
        include_pilot: opts.include_pilot,
        province: opts.province,
        verdicts,
        by_ministry,
        totals,
        unlock,
    }
}

fn verdict(
    en: &Engine,
    cx: &Context,
    c: &Component,
    base: &[Rc<Availability>],
    pilot: Option<&[Rc<Availability>]>,
    future: &[(Date, Vec<Rc<Availability>>)],
) -> ComponentVerdict {
    if c.parts.len() > 1
        && c.role == Role::Evidence
        && c.already_digital.is_empty()
        && !c.accepts.is_empty()
    {
        let parts = (0..c.parts.len())
            .map(|i| {
                if c.parts[i].accepts.is_empty() {
                    let mut v = ComponentVerdict::new(Verdict::Keep, ReasonCode::NotNamed);
                    v.steps.push(Step::Reason);
                    v
                } else {
                    single_verdict(en, cx, &c.part(i), base, pilot, future)
                }
            })
            .collect();
        return parts_verdict(parts);
    }
    single_verdict(en, cx, c, base, pilot, future)
}

/// A component asking for several papers together: replaced only when
/// every part is; some parts replaced make it `partial`, never more.
fn parts_verdict(parts: Vec<ComponentVerdict>) -> ComponentVerdict {
    let cut =
        |v: &ComponentVerdict| matches!(v.verdict, Verdict::Replaceable | Verdict::Conditional);
    let mut v = if parts.iter().all(|p| p.verdict == Verdict::Replaceable) {
        let mut v = ComponentVerdict::new(Verdict::Replaceable, ReasonCode::AllParts);
        v.route = parts[0].route.clone();
        v
    } else if parts.iter().all(cut) {
        // Conditional as its first conditional part is.
        let first = parts
            .iter()
            .find(|p| p.verdict == Verdict::Conditional)
            .expect("a conditional part");
        let mut v = ComponentVerdict::new(Verdict::Conditional, first.reason);
        v.route = first.route.clone();
        v.condition = first.condition.clone();
        v
    } else if parts
        .iter()
        .any(|p| cut(p) || p.verdict == Verdict::Partial)
    {
        ComponentVerdict::new(Verdict::Partial, ReasonCode::SomeParts)
    } else {
        ComponentVerdict::new(Verdict::Keep, ReasonCode::NoPart)
    };
    let mut sources = BTreeSet::new();
    for p in &parts {
        if cut(p) || v.verdict == Verdict::Partial && p.verdict == Verdict::Partial {
            sources.extend(p.sources.iter().copied());
        }
        if !cut(p) {
            v.missing.extend(p.missing.iter().cloned());
        }
    }
    v.sources = sources.into_iter().collect();
    v.steps = (0..parts.len()).map(Step::Part).collect();
    v.steps.push(Step::Reason);
    v.parts = parts;
    v
}

fn single_verdict(
    en: &Engine,
    cx: &Context,
    c: &Component,
    base: &[Rc<Availability>],
    pilot: Option<&[Rc<Availability>]>,
    future: &[(Date, Vec<Rc<Availability>>)],
) -> ComponentVerdict {
    let cat = en.cat;
    let mut v = ComponentVerdict::new(Verdict::Keep, ReasonCode::NoSource);
    if !c.accepts.is_empty() {
        v.steps.push(Step::Accepts);
    }
    if c.role == Role::Form {
        v.verdict = Verdict::Form;
        v.reason = ReasonCode::Form;
        v.steps.push(Step::Reason);
        return v;
    }
    if !c.already_digital.is_empty() {
        v.verdict = Verdict::AlreadyDigital;
        v.sources = c.already_digital.clone();
        v.reason = ReasonCode::AlreadyDigital;
        v.steps.push(Step::Reason);
        for &s in &c.already_digital {
            v.steps.push(Step::Source {
                doc: None,
                source: s,
            });
        }
        return v;
    }
    if c.accepts.is_empty() {
        v.reason = ReasonCode::Unrecognised;
        v.steps.push(Step::Reason);
        return v;
    }

    let evals: Vec<Eval> = base.iter().map(|av| en.eval(c, av)).collect();
    let ok: Vec<usize> = (0..evals.len())
        .filter(|&i| matches!(evals[i], Eval::Replaced(_)))
        .collect();
    if let Some(&first) = ok.first() {
        let Eval::Replaced(route) = &evals[first] else {
            unreachable!("filtered on Replaced")
        };
        let mut sources = BTreeSet::new();
        for &i in &ok {
            if let Eval::Replaced(r) = &evals[i] {
                sources.extend(en.route_sources(r, &base[i]));
            }
        }
        v.sources = sources.into_iter().collect();
        v.route = Some(route.clone());
        explain_route(en, route, &base[first], &mut v.steps);
        if ok.len() == evals.len() {
            v.verdict = Verdict::Replaceable;
            v.reason = match route {
                Route::Whole { .. } => ReasonCode::ReplacedByDocument,
                Route::Elements { .. } => ReasonCode::ReplacedByElements,
            };
        } else {
            v.verdict = Verdict::Conditional;
            v.reason = ReasonCode::SomeProvinces;
            let ready: Vec<ProvinceIdx> = ok.iter().map(|&i| en.provinces[i]).collect();
            let not_ready: Vec<ProvinceIdx> = (0..evals.len())
                .filter(|i| !ok.contains(i))
                .map(|i| en.provinces[i])
                .collect();
            let blocked = blocked_sources(en, cx, c, not_ready[0]);
            v.steps.push(Step::Reason);
            v.condition = Some(Condition::Provinces {
                ready,
                not_ready,
                blocked,
            });
        }
        return v;
    }

    // Not replaced anywhere now: would pilots or a later date do it?
    // The route in the first province where data replaces it, and the
    // sources named across every such province.
    let found = |states: &[Rc<Availability>]| -> Option<(Route, Vec<SourceIdx>)> {
        let mut first: Option<Route> = None;
        let mut sources = BTreeSet::new();
        for av in states {
            if let Eval::Replaced(r) = en.eval(c, av) {
                sources.extend(en.route_sources(&r, av));
                first.get_or_insert(r);
            }
        }
        first.map(|r| (r, sources.into_iter().collect()))
    };
    if let Some((route, sources)) = pilot.and_then(found) {
        let pilots: Vec<SourceIdx> = sources
            .iter()
            .copied()
            .filter(|&s| cat.sources[s].status == SourceStatus::Pilot)
            .collect();
        v.verdict = Verdict::Conditional;
        v.reason = ReasonCode::PilotOnly;
        explain_route(en, &route, &pilot.expect("checked")[0], &mut v.steps);
        v.steps.push(Step::Reason);
        v.sources = sources;
        v.route = Some(route);
        v.condition = Some(Condition::Pilot { sources: pilots });
        return v;
    }
    for (date, states) in future {
        if let Some((route, sources)) = found(states) {
            v.verdict = Verdict::Conditional;
            v.reason = ReasonCode::FromDate;
            v.steps.push(Step::Reason);
            v.sources = sources.clone();
            v.route = Some(route);
            v.condition = Some(Condition::From {
                date: *date,
                sources,
            });
            return v;
        }
    }

    // Partial, or keep: name the nearest missing link.
    let partial = evals.iter().enumerate().find_map(|(i, e)| match e {
        Eval::Partial { doc, have, missing } => Some((i, *doc, have.clone(), missing.clone())),
        _ => None,
    });
    if let Some((i, doc, have, missing)) = partial {
        let mut srcs = BTreeSet::new();
        for &e in &have {
            en.element_sources(e, &base[i], &mut srcs);
        }
        v.verdict = Verdict::Partial;
        v.reason = ReasonCode::PartialElements;
        v.sources = srcs.into_iter().collect();
        v.available = have.clone();
        v.partial_of = Some(doc);
        v.missing = missing
            .iter()
            .map(|&e| Missing {
                element: Some(e),
                document: None,
                candidates: element_candidates(en, cx, e),
            })
            .collect();
        for &e in &have {
            explain_element(en, e, &base[i], 1, &mut v.steps);
        }
        v.steps.push(Step::Reason);
        return v;
    }
    // The nearest missing links: the sources that would serve an accepted
    // document whole, or else the elements it needs that nothing supplies.
    v.missing = c
        .accepts
        .iter()
        .flat_map(|&d| {
            let whole: Vec<(SourceIdx, Readiness)> = cat
                .sources
                .iter()
                .enumerate()
                .filter(|(_, s)| s.documents.contains(&d))
                .map(|(si, s)| (si, readiness::readiness(s, en.provinces[0], cx)))
                .collect();
            let needed = en.needed(c, d);
            if !whole.is_empty() || needed.is_empty() {
                return vec![Missing {
                    element: None,
                    document: Some(d),
                    candidates: whole,
                }];
            }
            needed
                .into_iter()
                .filter(|&e| base[0].elements[e].is_none())
                .map(|e| Missing {
                    element: Some(e),
                    document: Some(d),
                    candidates: element_candidates(en, cx, e),
                })
                .collect()
        })
        .collect();
    v.reason = if v.missing.iter().any(|m| !m.candidates.is_empty()) {
        ReasonCode::SourceNotReady
    } else {
        ReasonCode::NoSource
    };
    v.steps.push(Step::Reason);
    v
}

fn element_candidates(en: &Engine, cx: &Context, e: ElementIdx) -> Vec<(SourceIdx, Readiness)> {
    en.cat
        .sources
        .iter()
        .enumerate()
        .filter(|(_, s)| s.elements.contains(&e))
        .map(|(si, s)| (si, readiness::readiness(s, en.provinces[0], cx)))
        .collect()
}

/// Why `c` is not replaced in province `p`: the sources of its accepted
/// documents that are not ready there, with their readiness.
fn blocked_sources(
    en: &Engine,
    cx: &Context,
    c: &Component,
    p: ProvinceIdx,
) -> Vec<(SourceIdx, Readiness)> {
    let mut out: Vec<(SourceIdx, Readiness)> = Vec::new();
    for &d in &c.accepts {
        for (si, s) in en.cat.sources.iter().enumerate() {
            if s.documents.contains(&d) {
                let r = readiness::readiness(s, p, cx);
                if !r.is_ready() && out.last() != Some(&(si, r)) {
                    out.push((si, r));
                }
            }
        }
    }
    out
}

fn explain_route(en: &Engine, r: &Route, av: &Availability, out: &mut Vec<Step>) {
    match r {
        Route::Whole { docs } => {
            for (doc, sources) in docs {
                for &s in sources {
                    out.push(Step::Source {
                        doc: Some(*doc),
                        source: s,
                    });
                }
            }
        }
        Route::Elements { doc, elements } => {
            out.push(Step::ElementsOf(*doc));
            for (e, _) in elements {
                explain_element(en, *e, av, 1, out);
            }
        }
    }
}

fn explain_element(
    en: &Engine,
    e: ElementIdx,
    av: &Availability,
    depth: usize,
    out: &mut Vec<Step>,
) {
    let step = |via| Step::Element {
        element: e,
        depth,
        via,
    };
    match &av.elements[e] {
        Some(Via::Sources(ss)) => {
            for &s in ss {
                out.push(step(ElementStep::Source(s)));
            }
        }
        Some(Via::Derivation(d)) => {
            let inputs = &en.graph.derivations[*d].1;
            out.push(step(ElementStep::Derived(inputs.clone())));
            for &i in inputs {
                explain_element(en, i, av, depth + 1, out);
            }
        }
        Some(Via::Assumed) => out.push(step(ElementStep::Assumed)),
        None => out.push(step(ElementStep::Missing)),
    }
}

/// Whether a replaceable component's route goes through the VNeID wallet.
fn via_wallet(cat: &Catalog, v: &ComponentVerdict) -> bool {
    v.sources
        .iter()
        .any(|&s| cat.sources[s].kind == SourceKind::Wallet)
}

fn by_ministry(cat: &Catalog, verdicts: &[Vec<ComponentVerdict>]) -> Vec<MinistrySummary> {
    let mut rows: Vec<MinistrySummary> = Vec::new();
    let mut index: HashMap<AgencyIdx, usize> = HashMap::new();
    for (p, vs) in cat.procedures.iter().zip(verdicts) {
        let i = *index.entry(p.agency).or_insert_with(|| {
            rows.push(MinistrySummary {
                agency: cat.agencies[p.agency].id.clone(),
                name: cat.agencies[p.agency].name.clone(),
                ..Default::default()
            });
            rows.len() - 1
        });
        rows[i].figures.add_procedure(cat, vs);
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    rows
}

/// Every evidence component replaceable or already digital (and at least one).
pub fn is_data_only(vs: &[ComponentVerdict]) -> bool {
    let evidence: Vec<_> = vs.iter().filter(|v| v.verdict != Verdict::Form).collect();
    !evidence.is_empty()
        && evidence
            .iter()
            .all(|v| matches!(v.verdict, Verdict::Replaceable | Verdict::AlreadyDigital))
}

fn unlock_ranking(
    en: &mut Engine,
    cx: &Context,
    base: &[Rc<Availability>],
    verdicts: &[Vec<ComponentVerdict>],
) -> Vec<Unlock> {
    let cat = en.cat;
    // Components not replaceable now but with something to unlock.
    let open: Vec<(usize, usize)> = verdicts
        .iter()
        .enumerate()
        .flat_map(|(p, vs)| {
            vs.iter().enumerate().filter_map(move |(c, v)| {
                matches!(
                    v.verdict,
                    Verdict::Conditional | Verdict::Partial | Verdict::Keep
                )
                .then_some((p, c))
            })
        })
        .filter(|&(p, c)| !cat.procedures[p].components[c].accepts.is_empty())
        .collect();
    let count = |en: &Engine, states: &[Rc<Availability>]| -> (usize, usize) {
        let mut comps = 0;
        let mut procs = BTreeSet::new();
        for &(p, c) in &open {
            if en.replaced_everywhere(&cat.procedures[p].components[c], states) {
                comps += 1;
                procs.insert(p);
            }
        }
        (comps, procs.len())
    };
    let mut rows = Vec::new();
    for (si, s) in cat.sources.iter().enumerate() {
        let everywhere = en
            .provinces
            .iter()
            .all(|&p| readiness::readiness(s, p, cx).is_ready());
        if everywhere {
            continue;
        }
        let states = en.states(cx, Some(si), &[]);
        let (components, procedures) = count(en, &states);
        if components > 0 {
            rows.push(Unlock {
                kind: "source",
                id: s.id.clone(),
                name: s.name.clone(),
                components,
                procedures,
            });
        }
    }
    // Elements missing somewhere that an open component needs.
    let mut wanted = BTreeSet::new();
    for &(p, c) in &open {
        let comp = &cat.procedures[p].components[c];
        for &d in &comp.accepts {
            for e in en.needed(comp, d) {
                if base.iter().any(|av| av.elements[e].is_none()) {
                    wanted.insert(e);
                }
            }
        }
    }
    for e in wanted {
        let states = en.states(cx, None, &[e]);
        let (components, procedures) = count(en, &states);
        if components > 0 {
            rows.push(Unlock {
                kind: "element",
                id: cat.elements[e].id.clone(),
                name: cat.elements[e].name.clone(),
                components,
                procedures,
            });
        }
    }
    rows.sort_by(|a, b| {
        (b.components, b.procedures, a.kind, &a.id).cmp(&(
            a.components,
            a.procedures,
            b.kind,
            &b.id,
        ))
    });
    rows
}
