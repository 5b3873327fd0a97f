//! Verdicts: for every component, whether data replaces it, where, from
//! when, through which source and legal basis — and if not, the nearest
//! missing link. Then the catalogue-level answers: the lists by ministry
//! split by route (VNeID papers versus database look-ups) and the ranking
//! of what would unlock the most components if it were ready.

use crate::date::Date;
use crate::model::*;
use crate::readiness::{self, Context, Readiness};
pub use crate::solve::review::{ReviewFigures, ReviewState};
pub use crate::solve::summary::{Candidate, Contribution, Summary};
use crate::solver::{Availability, EvidenceGraph, Via};
use serde::Serialize;
use std::cell::RefCell;
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

    /// Every alternative that data replaces.
    pub fn docs(&self) -> Vec<DocIdx> {
        match self {
            Route::Whole { docs } => docs.iter().map(|(d, _)| *d).collect(),
            Route::Elements { doc, .. } => vec![*doc],
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
    /// Only from a later date; `assumed` when that date is the
    /// catalogue's assumption rather than a decision.
    From {
        date: Date,
        sources: Vec<SourceIdx>,
        assumed: bool,
    },
    /// Only for residential land (đất ở): these sources serve other land
    /// later or never, and the text does not say the land is residential.
    ResidentialLand { sources: Vec<SourceIdx> },
    /// These sources leave a province they do not name below the coverage
    /// threshold (`lowest` digitised): no province can be counted as sure.
    UnnamedProvince {
        sources: Vec<SourceIdx>,
        lowest: f64,
    },
}

/// A missing link: an element (or a whole document) no ready source supplies,
/// with the sources that would supply it and why they are not ready.
#[derive(Clone, Debug, PartialEq)]
pub struct Missing {
    pub element: Option<ElementIdx>,
    pub document: Option<DocIdx>,
    pub candidates: Vec<(SourceIdx, Readiness)>,
}

/// Why an accepted document cannot stand for the component at all,
/// whatever the sources.
#[derive(Clone, Debug, PartialEq)]
pub enum Bar {
    /// A kind of paper data never replaces.
    Kind(PaperKind),
    /// Issued abroad (the cue's words).
    IssuedAbroad { words: String },
    /// Handed in to be surrendered or endorsed.
    Surrender { words: String },
    /// Checked as a thing: its original is shown.
    Physical { words: String },
    /// Asked only when the data cannot be read: the way round a database.
    Fallback { words: String },
    /// A paper of these holders, to whom Vietnamese authorities do not
    /// issue this document type.
    Holder { holders: Vec<Holder>, words: String },
    /// A type replaced only when shown to be of its holders, asked where
    /// nothing shows whose it is: the procedure's `applicants` (persons
    /// among them: `others`, those the type is not issued to) may hold
    /// another paper of the same name.
    HolderUnstated {
        others: Vec<Holder>,
        applicants: Vec<String>,
    },
}

/// Why a source cannot replace an accepted document for this component.
#[derive(Clone, Debug, PartialEq)]
pub enum Exclusion {
    /// The source holds no papers of these holders; `words` is empty when
    /// the document type itself says whose paper it is.
    Holder { holders: Vec<Holder>, words: String },
    /// The text wants a recent paper; the source declares no freshness.
    Freshness { within: Duration, words: String },
    /// Land other than residential land, which the source serves only from
    /// `from` (or not at all).
    OtherLand {
        words: String,
        from: Option<(Date, DueBasis)>,
    },
}

/// Why a component got its verdict: a stable code (the JSON's
/// `reason_code`). The facts the sentence needs are the verdict's own
/// fields (route, condition, partial document, missing links, bars and
/// blocked sources); [`crate::write::phrase`] turns them into Vietnamese.
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
    /// Kept: data would replace it only from a later date that the
    /// catalogue assumes, which no decision fixed.
    FromAssumedDate,
    /// Replaced only for residential land.
    ResidentialLandOnly,
    /// A province the source does not name is below the threshold.
    UnnamedProvinceCoverage,
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
    /// A kind of paper data never replaces (photo, plan, contract…).
    KindNotReplaced,
    /// The paper was issued abroad.
    IssuedAbroad,
    /// The paper itself is handed in, to be surrendered or endorsed.
    SurrenderOriginal,
    /// The paper is checked as a thing (intact, its visa, its stamps).
    PhysicalOriginal,
    /// The paper is asked only when the data cannot be read.
    DataFallback,
    /// The paper belongs to a holder the sources do not hold papers of.
    HolderNotHeld,
    /// Nothing shows the paper is of the holders its type is issued to.
    HolderUnstated,
    /// The text wants a recent paper; no source declares freshness.
    NotFresh,
    /// Land other than residential land, not served (yet).
    NonResidentialLand,
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
            ReasonCode::FromAssumedDate => "from-assumed-date",
            ReasonCode::ResidentialLandOnly => "residential-land-only",
            ReasonCode::UnnamedProvinceCoverage => "unnamed-province-coverage",
            ReasonCode::PartialElements => "partial-elements",
            ReasonCode::SourceNotReady => "source-not-ready",
            ReasonCode::NoSource => "no-source",
            ReasonCode::AllParts => "all-parts",
            ReasonCode::SomeParts => "some-parts",
            ReasonCode::NoPart => "no-part",
            ReasonCode::NotNamed => "not-named",
            ReasonCode::KindNotReplaced => "kind-not-replaced",
            ReasonCode::IssuedAbroad => "issued-abroad",
            ReasonCode::SurrenderOriginal => "surrender-original",
            ReasonCode::PhysicalOriginal => "physical-original",
            ReasonCode::DataFallback => "data-fallback",
            ReasonCode::HolderNotHeld => "holder-not-held",
            ReasonCode::HolderUnstated => "holder-unstated",
            ReasonCode::NotFresh => "not-fresh",
            ReasonCode::NonResidentialLand => "non-residential-land",
        }
    }
}

impl Bar {
    pub fn code(&self) -> ReasonCode {
        match self {
            Bar::Kind(_) => ReasonCode::KindNotReplaced,
            Bar::IssuedAbroad { .. } => ReasonCode::IssuedAbroad,
            Bar::Surrender { .. } => ReasonCode::SurrenderOriginal,
            Bar::Physical { .. } => ReasonCode::PhysicalOriginal,
            Bar::Fallback { .. } => ReasonCode::DataFallback,
            Bar::Holder { .. } => ReasonCode::HolderNotHeld,
            Bar::HolderUnstated { .. } => ReasonCode::HolderUnstated,
        }
    }
}

impl Exclusion {
    pub fn code(&self) -> ReasonCode {
        match self {
            Exclusion::Holder { .. } => ReasonCode::HolderNotHeld,
            Exclusion::Freshness { .. } => ReasonCode::NotFresh,
            Exclusion::OtherLand { .. } => ReasonCode::NonResidentialLand,
        }
    }
}

impl Condition {
    /// The reason code of a verdict that holds only under this condition.
    pub fn code(&self) -> ReasonCode {
        match self {
            Condition::Provinces { .. } => ReasonCode::SomeProvinces,
            Condition::Pilot { .. } => ReasonCode::PilotOnly,
            Condition::From { assumed: false, .. } => ReasonCode::FromDate,
            Condition::From { assumed: true, .. } => ReasonCode::FromAssumedDate,
            Condition::ResidentialLand { .. } => ReasonCode::ResidentialLandOnly,
            Condition::UnnamedProvince { .. } => ReasonCode::UnnamedProvinceCoverage,
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
    /// An accepted document that cannot stand for the component: the
    /// verdict's `barred[i]`.
    Barred(usize),
    /// A source that would replace a document but may not, for this
    /// component: the verdict's `blocked[i]`.
    Blocked(usize),
    /// A source (serving a document, if given): its status, dates, legal
    /// basis. Boxed, as the next: a step is kept for every verdict, and
    /// most steps are the small ones.
    Source(Box<SourceStep>),
    /// Every element `doc` needs is available from data (the elements follow).
    ElementsOf(DocIdx),
    /// How an element is available, some levels down a derivation.
    Element(Box<ElementLine>),
    /// The verdict's reason.
    Reason,
}

/// A source named in a reasoning chain, serving `doc` when given.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceStep {
    pub doc: Option<DocIdx>,
    pub source: SourceIdx,
}

/// How an element is available, `depth` levels down a derivation.
#[derive(Clone, Debug, PartialEq)]
pub struct ElementLine {
    pub element: ElementIdx,
    pub depth: usize,
    pub via: ElementStep,
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
    /// Boxed: most verdicts have none, and every verdict is kept.
    pub condition: Option<Box<Condition>>,
    /// Further conditions the replacement holds under, after `condition`.
    pub caveats: Vec<Condition>,
    /// Elements available, for partial verdicts.
    pub available: Vec<ElementIdx>,
    pub missing: Vec<Missing>,
    /// The accepted document whose elements are partly available.
    pub partial_of: Option<DocIdx>,
    /// Accepted documents that cannot stand for the component, with why.
    pub barred: Vec<(DocIdx, Bar)>,
    /// Sources that would replace an accepted document but may not for
    /// this component (whose paper, how recent, which land).
    pub blocked: Vec<(DocIdx, SourceIdx, Exclusion)>,
    pub reason: ReasonCode,
    /// The reasoning chain.
    pub steps: Vec<Step>,
    /// The reviewers' word on it, beside the machine's.
    pub review: Option<ReviewState>,
    /// For a component asking for several papers together: each part's
    /// verdict, in the component's order (empty otherwise).
    pub parts: Vec<ComponentVerdict>,
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
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
    pub(crate) fn add_procedure(&mut self, cat: &Catalog, vs: &[ComponentVerdict]) {
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

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MinistrySummary {
    pub agency: String,
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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

impl Unlock {
    /// Most components first, then most procedures, then by kind and id.
    pub fn rank(rows: &mut [Unlock]) {
        rows.sort_by(|a, b| {
            (b.components, b.procedures, a.kind, &a.id).cmp(&(
                a.components,
                a.procedures,
                b.kind,
                &b.id,
            ))
        });
    }
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

/// One context (a date, with or without pilots, possibly a what-if) over
/// every province of the analysis: the ready sources of each, and what
/// they make available.
struct Scope {
    cx: Context,
    sets: Vec<Vec<bool>>,
    assume: Vec<ElementIdx>,
    states: Vec<Rc<Availability>>,
    /// What is available in a province without some sources, as asked.
    masked: Masked,
}

/// Availabilities of a scope by (province, ready sources left out).
type Masked = RefCell<HashMap<(usize, Vec<SourceIdx>), Rc<Availability>>>;

/// Every context a verdict looks at: now, with pilots, at each later date.
struct Scopes {
    base: Scope,
    pilot: Option<Scope>,
    future: Vec<Scope>,
}

/// How a component's cues are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Cues ignored: what data would replace were it not for them.
    Lenient,
    /// Cues applied; sources under a caveat count.
    Normal,
    /// Cues applied; sources under a caveat do not count.
    Strict,
}

/// A source that counts for a document only under a condition.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Caveat {
    /// It serves residential land only (the text does not say which land).
    ResidentialLand,
    /// A province it does not name is below the threshold (lowest share).
    UnnamedProvince(f64),
}

/// What a component's cues and its documents' kinds allow.
#[derive(Debug, Default)]
struct Lens {
    /// Accepted documents that may stand for it, in its order.
    live: Vec<DocIdx>,
    barred: Vec<(DocIdx, Bar)>,
    excluded: Vec<(DocIdx, SourceIdx, Exclusion)>,
    caveats: Vec<(DocIdx, SourceIdx, Caveat)>,
}

impl Exclusion {
    /// Whether it still holds at `date` (other land may be served later).
    fn holds_at(&self, date: Date) -> bool {
        match self {
            Exclusion::OtherLand {
                from: Some((from, _)),
                ..
            } => *from > date,
            _ => true,
        }
    }
}

impl Lens {
    /// What it allows of the documents `docs` only (one required part).
    fn restricted(&self, docs: &[DocIdx]) -> Lens {
        Lens {
            live: self
                .live
                .iter()
                .copied()
                .filter(|d| docs.contains(d))
                .collect(),
            barred: self
                .barred
                .iter()
                .filter(|(d, _)| docs.contains(d))
                .cloned()
                .collect(),
            excluded: self
                .excluded
                .iter()
                .filter(|(d, _, _)| docs.contains(d))
                .cloned()
                .collect(),
            caveats: self
                .caveats
                .iter()
                .filter(|(d, _, _)| docs.contains(d))
                .cloned()
                .collect(),
        }
    }

    /// The sources that may not serve `d` at `date` in `mode`.
    fn masked(&self, d: DocIdx, date: Date, mode: Mode) -> Vec<SourceIdx> {
        let mut out = Vec::new();
        if mode != Mode::Lenient {
            out.extend(
                self.excluded
                    .iter()
                    .filter(|(doc, _, why)| *doc == d && why.holds_at(date))
                    .map(|&(_, s, _)| s),
            );
        }
        if mode == Mode::Strict {
            out.extend(
                self.caveats
                    .iter()
                    .filter(|(doc, _, _)| *doc == d)
                    .map(|&(_, s, _)| s),
            );
        }
        out
    }
}

/// Availabilities computed so far, by (ready sources, assumed elements).
type Cache = RefCell<HashMap<(Vec<bool>, Vec<ElementIdx>), Rc<Availability>>>;

struct Engine<'a> {
    cat: &'a Catalog,
    graph: EvidenceGraph,
    cache: Cache,
    provinces: Vec<ProvinceIdx>,
    /// Sources whose coverage leaves a province of the scope that they do
    /// not name below the threshold, with that province's share.
    unnamed_low: Vec<(SourceIdx, f64)>,
}

impl<'a> Engine<'a> {
    fn availability(&self, set: Vec<bool>, assume: &[ElementIdx]) -> Rc<Availability> {
        let key = (set, assume.to_vec());
        if let Some(a) = self.cache.borrow().get(&key) {
            return a.clone();
        }
        let a = Rc::new(self.graph.availability_assuming(&key.0, assume));
        self.cache.borrow_mut().insert(key, a.clone());
        a
    }

    /// Every province of the analysis under `cx`, with `force_source`
    /// taken as ready and `assume` elements as available (what-if).
    fn scope(&self, cx: Context, force_source: Option<SourceIdx>, assume: &[ElementIdx]) -> Scope {
        let mut sets = readiness::ready_sets(self.cat, &self.provinces, &cx);
        if let Some(s) = force_source {
            for set in &mut sets {
                set[s] = true;
            }
        }
        let states = sets
            .iter()
            .map(|set| self.availability(set.clone(), assume))
            .collect();
        Scope {
            cx,
            sets,
            assume: assume.to_vec(),
            states,
            masked: RefCell::new(HashMap::new()),
        }
    }

    /// What is available in province `i` of `scope` without `masked`.
    fn state(&self, scope: &Scope, i: usize, masked: &[SourceIdx]) -> Rc<Availability> {
        let ready: Vec<SourceIdx> = masked
            .iter()
            .copied()
            .filter(|&s| scope.sets[i][s])
            .collect();
        if ready.is_empty() {
            return scope.states[i].clone();
        }
        let key = (i, ready);
        if let Some(a) = scope.masked.borrow().get(&key) {
            return a.clone();
        }
        let mut set = scope.sets[i].clone();
        for &s in &key.1 {
            set[s] = false;
        }
        let a = self.availability(set, &scope.assume);
        scope.masked.borrow_mut().insert(key, a.clone());
        a
    }

    /// What each document sees in province `i` of `scope`, `lens` applied
    /// as `mode` says.
    fn view<'s>(
        &'s self,
        scope: &'s Scope,
        i: usize,
        lens: &'s Lens,
        mode: Mode,
    ) -> impl Fn(DocIdx) -> Rc<Availability> + 's {
        move |d| self.state(scope, i, &lens.masked(d, scope.cx.as_of, mode))
    }

    /// The elements `c` needs from `doc`.
    fn needed(&self, c: &Component, doc: DocIdx) -> Vec<ElementIdx> {
        if c.relies_on.is_empty() {
            self.cat.document_types[doc].elements.clone()
        } else {
            c.relies_on.clone()
        }
    }

    /// Whether source `s` can bear on `doc` for `c`: it serves the paper
    /// whole, or an element it needs or could be derived from.
    fn bears_on(&self, s: SourceIdx, c: &Component, doc: DocIdx) -> bool {
        let src = &self.cat.sources[s];
        if src.documents.contains(&doc) {
            return true;
        }
        let mut seen = BTreeSet::new();
        let mut todo = self.needed(c, doc);
        while let Some(e) = todo.pop() {
            if !seen.insert(e) {
                continue;
            }
            if src.elements.contains(&e) {
                return true;
            }
            for alt in &self.cat.elements[e].derived_from {
                todo.extend(alt.iter().copied());
            }
        }
        false
    }

    /// What `c` allows of its accepted documents: the kinds data never
    /// replaces and the cues of the component (and of its procedure).
    fn lens(&self, p: &Procedure, c: &Component) -> Lens {
        let cat = self.cat;
        let mut l = Lens::default();
        for &d in &c.accepts {
            let dt = &cat.document_types[d];
            let own: Vec<&Cue> = c.cues.iter().filter(|q| q.qualifies(d)).collect();
            let words_of = |q: &Cue| q.words.clone();
            let mut bar = dt.kind.map(Bar::Kind).or_else(|| {
                own.iter().find_map(|q| match q.qualifier {
                    Qualifier::IssuedAbroad => Some(Bar::IssuedAbroad { words: words_of(q) }),
                    Qualifier::Surrender => Some(Bar::Surrender { words: words_of(q) }),
                    Qualifier::Physical => Some(Bar::Physical { words: words_of(q) }),
                    Qualifier::Fallback => Some(Bar::Fallback { words: words_of(q) }),
                    _ => None,
                })
            });
            // Whose paper: the component's own cue, else the procedure's.
            // A cue about persons says nothing of an organisation's paper.
            let holder_cue = |q: &&Cue| match &q.qualifier {
                Qualifier::Holder(hs) => Some((hs.clone(), words_of(q))),
                _ => None,
            };
            let same_subject = |hs: &[Holder]| {
                dt.holders.is_empty()
                    || dt.holders.iter().any(|h| {
                        hs.iter()
                            .any(|x| x.is_organisation() == h.is_organisation())
                    })
            };
            let own_holder = own
                .iter()
                .find_map(holder_cue)
                .filter(|(hs, _)| same_subject(hs));
            let procedure_holder = p
                .cues
                .iter()
                .find_map(|q| holder_cue(&q))
                .filter(|(hs, _)| same_subject(hs));
            if bar.is_none() && !dt.holders.is_empty() {
                match own_holder.clone().or(procedure_holder) {
                    Some((hs, words)) if !hs.iter().any(|h| dt.holders.contains(h)) => {
                        bar = Some(Bar::Holder { holders: hs, words });
                    }
                    Some(_) => {}
                    // Whose paper it is must be shown: the applicants show
                    // it only when every person among them is a holder the
                    // type is issued to.
                    None if dt.holder_stated => {
                        let persons: Vec<Holder> =
                            crate::read::cues::applicant_holders(cat, &p.applicants)
                                .into_iter()
                                .filter(|h| !h.is_organisation())
                                .collect();
                        let others: Vec<Holder> = persons
                            .iter()
                            .copied()
                            .filter(|h| !dt.holders.contains(h))
                            .collect();
                        if persons.is_empty() || !others.is_empty() {
                            bar = Some(Bar::HolderUnstated {
                                others,
                                applicants: p.applicants.iter().map(|a| a.to_string()).collect(),
                            });
                        }
                    }
                    None => {}
                }
            }
            if let Some(b) = bar {
                l.barred.push((d, b));
                continue;
            }
            l.live.push(d);
            // The holders the paper belongs to, as the text or the document
            // type says, and the cues of freshness and land.
            let holders = match own_holder {
                // A type issued to given holders is theirs whatever else
                // the text allows.
                Some((hs, words)) if !dt.holders.is_empty() => Some((
                    hs.into_iter().filter(|h| dt.holders.contains(h)).collect(),
                    words,
                )),
                Some(cue) => Some(cue),
                None => (!dt.holders.is_empty()).then(|| (dt.holders.clone(), String::new())),
            };
            let fresh = own.iter().find_map(|q| match q.qualifier {
                Qualifier::Freshness(within) => Some((within, words_of(q))),
                _ => None,
            });
            let land = own.iter().find_map(|q| match q.qualifier {
                Qualifier::Land(u) => Some((u, words_of(q))),
                _ => None,
            });
            for (si, s) in cat.sources.iter().enumerate() {
                if !self.bears_on(si, c, d) {
                    continue;
                }
                let mut exclude = |why| l.excluded.push((d, si, why));
                if let Some((hs, words)) = &holders {
                    if !s.may_hold(hs) {
                        exclude(Exclusion::Holder {
                            holders: hs.clone(),
                            words: words.clone(),
                        });
                    }
                }
                if let Some((within, words)) = &fresh {
                    if s.freshness.is_none() {
                        exclude(Exclusion::Freshness {
                            within: *within,
                            words: words.clone(),
                        });
                    }
                }
                if let Some(phase) = &s.land_phase {
                    match &land {
                        Some((LandUse::Residential, _)) => {}
                        Some((LandUse::Other, words)) => exclude(Exclusion::OtherLand {
                            words: words.clone(),
                            from: phase.other_land_from.map(|f| (f, phase.other_land_basis)),
                        }),
                        None => l.caveats.push((d, si, Caveat::ResidentialLand)),
                    }
                }
            }
            for &(si, low) in &self.unnamed_low {
                if self.bears_on(si, c, d) {
                    l.caveats.push((d, si, Caveat::UnnamedProvince(low)));
                }
            }
        }
        l
    }

    /// What data replaces of `c` through `docs`, each document seen in the
    /// state `av` gives for it.
    fn eval(
        &self,
        c: &Component,
        docs: &[DocIdx],
        av: &dyn Fn(DocIdx) -> Rc<Availability>,
    ) -> Eval {
        let whole: Vec<(DocIdx, Vec<SourceIdx>)> = docs
            .iter()
            .filter_map(|&d| {
                let a = av(d);
                (!a.documents[d].is_empty()).then(|| (d, a.documents[d].clone()))
            })
            .collect();
        if !whole.is_empty() {
            return Eval::Replaced(Route::Whole { docs: whole });
        }
        let mut best: Option<(DocIdx, Vec<ElementIdx>, Vec<ElementIdx>)> = None;
        for &d in docs {
            let needed = self.needed(c, d);
            if needed.is_empty() {
                continue;
            }
            let a = av(d);
            let (have, missing): (Vec<ElementIdx>, Vec<ElementIdx>) =
                needed.iter().partition(|&&e| a.elements[e].is_some());
            if missing.is_empty() {
                return Eval::Replaced(Route::Elements {
                    doc: d,
                    elements: have
                        .iter()
                        .map(|&e| (e, a.elements[e].clone().expect("available")))
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

    fn route_sources(&self, r: &Route, av: &dyn Fn(DocIdx) -> Rc<Availability>) -> Vec<SourceIdx> {
        match r {
            Route::Whole { docs } => {
                let all: BTreeSet<SourceIdx> =
                    docs.iter().flat_map(|(_, ss)| ss.iter().copied()).collect();
                all.into_iter().collect()
            }
            Route::Elements { doc, elements } => {
                let a = av(*doc);
                let mut out = BTreeSet::new();
                for (e, _) in elements {
                    self.element_sources(*e, &a, &mut out);
                }
                out.into_iter().collect()
            }
        }
    }

    /// Whether `c` is replaced in every province of `scope`, every cue and
    /// caveat applied.
    /// Each of its required parts.
    fn replaced_everywhere(&self, c: &Component, lens: &Lens, scope: &Scope) -> bool {
        let replaced = |c: &Component, lens: &Lens| {
            !lens.live.is_empty()
                && (0..scope.states.len()).all(|i| {
                    let av = self.view(scope, i, lens, Mode::Strict);
                    matches!(self.eval(c, &lens.live, &av), Eval::Replaced(_))
                })
        };
        c.role == Role::Evidence
            && c.already_digital.is_empty()
            && c.unrecognised.is_none()
            && if c.parts.len() > 1 {
                (0..c.parts.len()).all(|i| {
                    let part = c.part(i);
                    replaced(&part, &lens.restricted(&part.accepts))
                })
            } else {
                replaced(c, lens)
            }
    }
}

/// The engine of one analysis and every context its verdicts look at.
fn engine<'a>(cat: &'a Catalog, opts: &Options) -> (Context, Engine<'a>, Scopes) {
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
    let unnamed_low = cat
        .sources
        .iter()
        .enumerate()
        .filter_map(|(si, s)| {
            let c = s.coverage.as_ref()?;
            let low = c.unnamed_below(cx.threshold)?;
            provinces
                .iter()
                .any(|p| !c.by_province.contains_key(p))
                .then_some((si, low))
        })
        .collect();
    let engine = Engine {
        cat,
        graph: EvidenceGraph::build(cat),
        cache: RefCell::new(HashMap::new()),
        provinces,
        unnamed_low,
    };
    let scopes = Scopes {
        base: engine.scope(cx, None, &[]),
        pilot: (!cx.include_pilot).then(|| {
            engine.scope(
                Context {
                    include_pilot: true,
                    ..cx
                },
                None,
                &[],
            )
        }),
        future: readiness::change_dates(cat, as_of)
            .into_iter()
            .map(|d| engine.scope(Context { as_of: d, ..cx }, None, &[]))
            .collect(),
    };
    (cx, engine, scopes)
}

/// One component's verdict, its review state included.
fn component_verdict(en: &Engine, scopes: &Scopes, c: &Component, l: &Lens) -> ComponentVerdict {
    let mut v = ComponentVerdict {
        review: crate::solve::review::state(en.cat, c),
        ..verdict(en, scopes, c, l)
    };
    v.release_spare();
    v
}

/// Runs the analysis.
pub fn analyse<'a>(cat: &'a Catalog, opts: &Options) -> Analysis<'a> {
    let (cx, engine, scopes) = engine(cat, opts);
    let as_of = cx.as_of;
    // Each component's lens is made, judged and then dropped, except the
    // lenses the unlock ranking reads again: those of components not yet
    // replaceable that accept a live document ([`Open`]).
    let mut open: Vec<Open> = Vec::new();
    let verdicts: Vec<Vec<ComponentVerdict>> = cat
        .procedures
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            p.components
                .iter()
                .enumerate()
                .map(|(ci, c)| {
                    let lens = engine.lens(p, c);
                    let v = component_verdict(&engine, &scopes, c, &lens);
                    let unlockable = matches!(
                        v.verdict,
                        Verdict::Conditional | Verdict::Partial | Verdict::Keep
                    );
                    if unlockable && !lens.live.is_empty() {
                        open.push(Open {
                            procedure: pi,
                            component: ci,
                            lens,
                        });
                    }
                    v
                })
                .collect()
        })
        .collect();
    open.shrink_to_fit();
    let by_ministry = by_ministry(cat, &verdicts);
    let mut totals = Figures::default();
    for m in &by_ministry {
        totals.add(&m.figures);
    }
    let unlock = unlock_ranking(&engine, &cx, &scopes.base, &open);
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

/// The summary's figures one procedure at a time: each procedure's
/// [`Contribution`] depends on its own model, the reference data, the
/// reviewers' decisions and the options alone, so a contribution kept from
/// an earlier run under the same of these adds up to the same summary.
pub struct Summariser<'a> {
    engine: Engine<'a>,
    scopes: Scopes,
    as_of: Date,
    include_pilot: bool,
    province: Option<ProvinceIdx>,
    /// What the unlock ranking weighs: every source not ready everywhere
    /// and every element missing somewhere, each with its context.
    candidates: Vec<(Candidate, Scope)>,
}

impl<'a> Summariser<'a> {
    pub fn new(cat: &'a Catalog, opts: &Options) -> Self {
        let (cx, engine, scopes) = engine(cat, opts);
        let mut candidates = Vec::new();
        for (si, s) in cat.sources.iter().enumerate() {
            let everywhere = engine
                .provinces
                .iter()
                .all(|&p| readiness::readiness(s, p, &cx).is_ready());
            if !everywhere {
                candidates.push((Candidate::Source(si), engine.scope(cx, Some(si), &[])));
            }
        }
        for e in 0..cat.elements.len() {
            if missing_somewhere(&scopes.base, e) {
                candidates.push((Candidate::Element(e), engine.scope(cx, None, &[e])));
            }
        }
        Summariser {
            engine,
            scopes,
            as_of: cx.as_of,
            include_pilot: opts.include_pilot,
            province: opts.province,
            candidates,
        }
    }

    /// What `p` adds to the summary.
    pub fn contribution(&self, p: &Procedure) -> Contribution {
        let en = &self.engine;
        let lenses: Vec<Lens> = p.components.iter().map(|c| en.lens(p, c)).collect();
        let vs: Vec<ComponentVerdict> = p
            .components
            .iter()
            .zip(&lenses)
            .map(|(c, l)| component_verdict(en, &self.scopes, c, l))
            .collect();
        let mut figures = Figures::default();
        figures.add_procedure(en.cat, &vs);
        let verdicts = Verdict::ALL.map(|k| vs.iter().filter(|v| v.verdict == k).count());
        let reviews = ReviewState::ALL.map(|r| vs.iter().filter(|v| v.review == Some(r)).count());
        // Components not replaceable now but with something to unlock.
        let open: Vec<usize> = vs
            .iter()
            .enumerate()
            .filter(|&(c, v)| {
                matches!(
                    v.verdict,
                    Verdict::Conditional | Verdict::Partial | Verdict::Keep
                ) && !lenses[c].live.is_empty()
            })
            .map(|(c, _)| c)
            .collect();
        let mut unlocks = Vec::new();
        let mut wants = BTreeSet::new();
        if !open.is_empty() {
            for (k, (_, scope)) in self.candidates.iter().enumerate() {
                let n = open
                    .iter()
                    .filter(|&&c| en.replaced_everywhere(&p.components[c], &lenses[c], scope))
                    .count();
                if n > 0 {
                    unlocks.push((k, n));
                }
            }
            for &c in &open {
                for &d in &lenses[c].live {
                    for e in en.needed(&p.components[c], d) {
                        if missing_somewhere(&self.scopes.base, e) {
                            wants.insert(e);
                        }
                    }
                }
            }
        }
        Contribution {
            agency: p.agency,
            figures,
            verdicts,
            reviews,
            unlocks,
            wants: wants.into_iter().collect(),
        }
    }

    /// Whether a contribution kept from an earlier run refers only to
    /// what this catalogue has (its agency, candidates and elements).
    pub fn fits(&self, c: &Contribution) -> bool {
        let cat = self.engine.cat;
        c.agency < cat.agencies.len()
            && c.unlocks.iter().all(|&(k, _)| k < self.candidates.len())
            && c.wants.iter().all(|&e| e < cat.elements.len())
    }

    /// The summary of the procedures whose contributions are given, in
    /// code order.
    pub fn summary(&self, contributions: impl IntoIterator<Item = Contribution>) -> Summary<'a> {
        let candidates: Vec<Candidate> = self.candidates.iter().map(|(c, _)| *c).collect();
        crate::solve::summary::add_up(
            self.engine.cat,
            self.as_of,
            self.include_pilot,
            self.province,
            &candidates,
            contributions,
        )
    }
}

/// Whether element `e` is missing in some province of `scope`.
fn missing_somewhere(scope: &Scope, e: ElementIdx) -> bool {
    scope.states.iter().any(|av| av.elements[e].is_none())
}

impl ComponentVerdict {
    fn new(verdict: Verdict, reason: ReasonCode) -> Self {
        ComponentVerdict {
            verdict,
            sources: vec![],
            route: None,
            condition: None,
            caveats: vec![],
            available: vec![],
            missing: vec![],
            partial_of: None,
            barred: vec![],
            blocked: vec![],
            reason,
            steps: vec![],
            review: None,
            parts: vec![],
        }
    }

    /// Gives back the room its lists grew into but do not use: every
    /// verdict of the catalogue is kept until the output is written.
    fn release_spare(&mut self) {
        self.sources.shrink_to_fit();
        self.caveats.shrink_to_fit();
        self.available.shrink_to_fit();
        self.missing.shrink_to_fit();
        self.barred.shrink_to_fit();
        self.blocked.shrink_to_fit();
        self.steps.shrink_to_fit();
        self.parts.shrink_to_fit();
        for p in &mut self.parts {
            p.release_spare();
        }
    }
}

fn keep() -> ComponentVerdict {
    ComponentVerdict::new(Verdict::Keep, ReasonCode::NoSource)
}

fn is_replacement(v: &ComponentVerdict) -> bool {
    matches!(v.verdict, Verdict::Replaceable | Verdict::Conditional)
}

/// The verdict on `c`: over each of its required parts when it asks for
/// several papers together.
fn verdict(en: &Engine, scopes: &Scopes, c: &Component, lens: &Lens) -> ComponentVerdict {
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
                    let part = c.part(i);
                    single_verdict(en, scopes, &part, &lens.restricted(&part.accepts))
                }
            })
            .collect();
        return parts_verdict(parts);
    }
    single_verdict(en, scopes, c, lens)
}

/// A component asking for several papers together: replaced only when
/// every part is; some parts replaced make it `partial`, never more.
fn parts_verdict(parts: Vec<ComponentVerdict>) -> ComponentVerdict {
    let mut v = if parts.iter().all(|p| p.verdict == Verdict::Replaceable) {
        let mut v = ComponentVerdict::new(Verdict::Replaceable, ReasonCode::AllParts);
        v.route = parts[0].route.clone();
        v
    } else if parts.iter().all(is_replacement) {
        // Conditional as its first conditional part is.
        let first = parts
            .iter()
            .find(|p| p.verdict == Verdict::Conditional)
            .expect("a conditional part");
        let mut v = ComponentVerdict::new(Verdict::Conditional, first.reason);
        v.route = first.route.clone();
        v.condition = first.condition.clone();
        v.caveats = first.caveats.clone();
        v
    } else if parts
        .iter()
        .any(|p| is_replacement(p) || p.verdict == Verdict::Partial)
    {
        ComponentVerdict::new(Verdict::Partial, ReasonCode::SomeParts)
    } else {
        ComponentVerdict::new(Verdict::Keep, ReasonCode::NoPart)
    };
    let mut sources = BTreeSet::new();
    for p in &parts {
        if is_replacement(p) || v.verdict == Verdict::Partial && p.verdict == Verdict::Partial {
            sources.extend(p.sources.iter().copied());
        }
        if !is_replacement(p) {
            v.missing.extend(p.missing.iter().cloned());
        }
        v.barred.extend(p.barred.iter().cloned());
        v.blocked.extend(p.blocked.iter().cloned());
    }
    v.sources = sources.into_iter().collect();
    v.steps = (0..parts.len()).map(Step::Part).collect();
    v.steps.push(Step::Reason);
    v.parts = parts;
    v
}

fn single_verdict(en: &Engine, scopes: &Scopes, c: &Component, lens: &Lens) -> ComponentVerdict {
    let mut v = keep();
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
            v.steps.push(Step::Source(Box::new(SourceStep {
                doc: None,
                source: s,
            })));
        }
        return v;
    }
    if c.accepts.is_empty() {
        v.reason = ReasonCode::Unrecognised;
        v.steps.push(Step::Reason);
        return v;
    }
    let prefix: Vec<Step> = v
        .steps
        .drain(..)
        .chain((0..lens.barred.len()).map(Step::Barred))
        .collect();
    if lens.live.is_empty() {
        v.barred = lens.barred.clone();
        v.reason = lens.barred[0].1.code();
        v.steps = prefix;
        v.steps.push(Step::Reason);
        return v;
    }
    let mut v = decide(en, scopes, c, lens, Mode::Normal);
    v.barred = lens.barred.clone();
    // Sources under a caveat: the replacement holds only under it when it
    // does not hold without them.
    if is_replacement(&v) && !lens.caveats.is_empty() {
        let strict = decide(en, scopes, c, lens, Mode::Strict);
        let worse = match v.verdict {
            Verdict::Replaceable => strict.verdict != Verdict::Replaceable,
            _ => !is_replacement(&strict),
        };
        if worse {
            let conditions = caveat_conditions(lens, &v.sources);
            if v.verdict == Verdict::Replaceable && !conditions.is_empty() {
                v.verdict = Verdict::Conditional;
                v.reason = conditions[0].code();
                v.condition = Some(Box::new(conditions[0].clone()));
                v.caveats = conditions[1..].to_vec();
                v.steps.push(Step::Reason);
            } else {
                v.caveats = conditions;
            }
        }
    }
    // A replacement from a later date because a cue's bar lifts then
    // (other land served later): say which.
    if let Some(Condition::From { date, .. }) = v.condition.as_deref() {
        let now = scopes.base.cx.as_of;
        v.blocked = lens
            .excluded
            .iter()
            .filter(|(_, s, why)| {
                v.sources.contains(s) && why.holds_at(now) && !why.holds_at(*date)
            })
            .cloned()
            .collect();
    }
    // Cues that keep a paper data would otherwise replace: say which.
    if !is_replacement(&v) && !lens.excluded.is_empty() {
        let lenient = decide(en, scopes, c, lens, Mode::Lenient);
        if is_replacement(&lenient) {
            let docs = lenient.route.as_ref().map(Route::docs).unwrap_or_default();
            v.blocked = lens
                .excluded
                .iter()
                .filter(|(d, s, _)| docs.contains(d) && lenient.sources.contains(s))
                .cloned()
                .collect();
            if v.blocked.is_empty() {
                v.blocked = lens
                    .excluded
                    .iter()
                    .filter(|(_, s, _)| lenient.sources.contains(s))
                    .cloned()
                    .collect();
            }
            let at = v.steps.len() - usize::from(v.steps.last() == Some(&Step::Reason));
            v.steps
                .splice(at..at, (0..v.blocked.len()).map(Step::Blocked));
            if v.verdict == Verdict::Keep {
                if let Some((_, _, why)) = v.blocked.first() {
                    v.reason = why.code();
                }
            }
        }
    }
    // A barred paper explains a keep when it heads the component (the
    // first paper its text names), not when it is only mentioned.
    if v.verdict == Verdict::Keep && v.blocked.is_empty() {
        if let Some((_, b)) = lens
            .barred
            .iter()
            .find(|(d, _)| Some(d) == c.accepts.first())
        {
            v.reason = b.code();
        }
    }
    let mut steps = prefix;
    steps.append(&mut v.steps);
    v.steps = steps;
    v
}

/// The conditions of the caveat sources among `sources`.
fn caveat_conditions(lens: &Lens, sources: &[SourceIdx]) -> Vec<Condition> {
    let mut land = BTreeSet::new();
    let mut unnamed = BTreeSet::new();
    let mut lowest = f64::INFINITY;
    for &(_, s, cv) in &lens.caveats {
        if !sources.contains(&s) {
            continue;
        }
        match cv {
            Caveat::ResidentialLand => {
                land.insert(s);
            }
            Caveat::UnnamedProvince(low) => {
                unnamed.insert(s);
                lowest = lowest.min(low);
            }
        }
    }
    let mut out = Vec::new();
    if !land.is_empty() {
        out.push(Condition::ResidentialLand {
            sources: land.into_iter().collect(),
        });
    }
    if !unnamed.is_empty() {
        out.push(Condition::UnnamedProvince {
            sources: unnamed.into_iter().collect(),
            lowest,
        });
    }
    out
}

/// Whether a replacement from `date` rests on a date the catalogue
/// assumes: a planned source's due date, or the date other land is served,
/// on or before `date` (a later date still rests on the earlier one).
fn assumed_date(cat: &Catalog, lens: &Lens, sources: &[SourceIdx], date: Date) -> bool {
    sources.iter().any(|&s| {
        let src = &cat.sources[s];
        let due = src.status == SourceStatus::Planned
            && src.due.is_some_and(|d| d <= date)
            && src.due_basis == DueBasis::Assumed;
        let land = lens.excluded.iter().any(|(_, x, why)| {
            *x == s
                && matches!(why, Exclusion::OtherLand { from: Some((f, DueBasis::Assumed)), .. } if *f <= date)
        });
        due || land
    })
}

/// The verdict of `c` through its live documents, cues applied as `mode`
/// says, before caveats and blocked sources are told.
fn decide(
    en: &Engine,
    scopes: &Scopes,
    c: &Component,
    lens: &Lens,
    mode: Mode,
) -> ComponentVerdict {
    let cat = en.cat;
    let docs = &lens.live;
    let mut v = keep();
    let base = &scopes.base;
    let evals: Vec<Eval> = (0..base.states.len())
        .map(|i| en.eval(c, docs, &en.view(base, i, lens, mode)))
        .collect();
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
                sources.extend(en.route_sources(r, &en.view(base, i, lens, mode)));
            }
        }
        v.sources = sources.into_iter().collect();
        v.route = Some(route.clone());
        explain_route(en, route, &en.view(base, first, lens, mode), &mut v.steps);
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
            let blocked = blocked_sources(en, &base.cx, docs, not_ready[0]);
            v.steps.push(Step::Reason);
            v.condition = Some(Box::new(Condition::Provinces {
                ready,
                not_ready,
                blocked,
            }));
        }
        return v;
    }

    // Not replaced anywhere now: would pilots or a later date do it?
    // The route in the first province where data replaces it, and the
    // sources named across every such province.
    let found = |scope: &Scope| -> Option<(Route, Vec<SourceIdx>)> {
        let mut first: Option<Route> = None;
        let mut sources = BTreeSet::new();
        for i in 0..scope.states.len() {
            if let Eval::Replaced(r) = en.eval(c, docs, &en.view(scope, i, lens, mode)) {
                sources.extend(en.route_sources(&r, &en.view(scope, i, lens, mode)));
                first.get_or_insert(r);
            }
        }
        first.map(|r| (r, sources.into_iter().collect()))
    };
    if let Some(pilot) = &scopes.pilot {
        if let Some((route, sources)) = found(pilot) {
            let pilots: Vec<SourceIdx> = sources
                .iter()
                .copied()
                .filter(|&s| cat.sources[s].status == SourceStatus::Pilot)
                .collect();
            v.verdict = Verdict::Conditional;
            v.reason = ReasonCode::PilotOnly;
            explain_route(en, &route, &en.view(pilot, 0, lens, mode), &mut v.steps);
            v.steps.push(Step::Reason);
            v.sources = sources;
            v.route = Some(route);
            v.condition = Some(Box::new(Condition::Pilot { sources: pilots }));
            return v;
        }
    }
    // From a later date: a cut from a date a decision fixed; a date the
    // catalogue only assumes is no ground for proposing one, so the paper
    // is kept and the outlook said (unless a later date is decided).
    let mut outlook = None;
    for scope in &scopes.future {
        if let Some((route, sources)) = found(scope) {
            let date = scope.cx.as_of;
            let assumed = assumed_date(cat, lens, &sources, date);
            let condition = Condition::From {
                date,
                assumed,
                sources: sources.clone(),
            };
            if assumed {
                outlook.get_or_insert((route, sources, condition));
                continue;
            }
            v.verdict = Verdict::Conditional;
            v.reason = condition.code();
            v.steps.push(Step::Reason);
            v.sources = sources;
            v.route = Some(route);
            v.condition = Some(Box::new(condition));
            return v;
        }
    }
    if let Some((route, sources, condition)) = outlook {
        v.reason = condition.code();
        v.steps.push(Step::Reason);
        v.sources = sources;
        v.route = Some(route);
        v.condition = Some(Box::new(condition));
        return v;
    }

    // Partial, or keep: name the nearest missing link. The partial route
    // of the province where most is available (ties: the province's id, so
    // that the answer does not depend on the catalogue's order), with the
    // sources every province with that same route names.
    let province_id = |i: usize| cat.provinces.get(en.provinces[i]).map(|p| p.id.as_str());
    let partial = evals
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Eval::Partial { doc, have, missing } => Some((i, *doc, have, missing)),
            _ => None,
        })
        .min_by(|a, b| {
            (
                std::cmp::Reverse(a.2.len()),
                docs.iter().position(|&d| d == a.1),
                province_id(a.0),
            )
                .cmp(&(
                    std::cmp::Reverse(b.2.len()),
                    docs.iter().position(|&d| d == b.1),
                    province_id(b.0),
                ))
        })
        .map(|(i, doc, have, missing)| (i, doc, have.clone(), missing.clone()));
    let masked = |d: DocIdx| lens.masked(d, base.cx.as_of, mode);
    if let Some((i, doc, have, missing)) = partial {
        let av = en.state(base, i, &masked(doc));
        let mut srcs = BTreeSet::new();
        for (j, e) in evals.iter().enumerate() {
            if matches!(e, Eval::Partial { doc: d, have: h, .. } if *d == doc && *h == have) {
                let av = en.state(base, j, &masked(doc));
                for &el in &have {
                    en.element_sources(el, &av, &mut srcs);
                }
            }
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
                candidates: element_candidates(en, &base.cx, e, &masked(doc)),
            })
            .collect();
        for &e in &have {
            explain_element(en, e, &av, 1, &mut v.steps);
        }
        v.steps.push(Step::Reason);
        return v;
    }
    // The nearest missing links: the sources that would serve an accepted
    // document whole, or else the elements it needs that nothing supplies.
    v.missing = docs
        .iter()
        .flat_map(|&d| {
            let masked = masked(d);
            let whole: Vec<(SourceIdx, Readiness)> = cat
                .sources
                .iter()
                .enumerate()
                .filter(|(si, s)| s.documents.contains(&d) && !masked.contains(si))
                .map(|(si, s)| (si, readiness::readiness(s, en.provinces[0], &base.cx)))
                .collect();
            let needed = en.needed(c, d);
            if !whole.is_empty() || needed.is_empty() {
                return vec![Missing {
                    element: None,
                    document: Some(d),
                    candidates: whole,
                }];
            }
            let av = en.state(base, 0, &masked);
            needed
                .into_iter()
                .filter(|&e| av.elements[e].is_none())
                .map(|e| Missing {
                    element: Some(e),
                    document: Some(d),
                    candidates: element_candidates(en, &base.cx, e, &masked),
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

fn element_candidates(
    en: &Engine,
    cx: &Context,
    e: ElementIdx,
    masked: &[SourceIdx],
) -> Vec<(SourceIdx, Readiness)> {
    en.cat
        .sources
        .iter()
        .enumerate()
        .filter(|(si, s)| s.elements.contains(&e) && !masked.contains(si))
        .map(|(si, s)| (si, readiness::readiness(s, en.provinces[0], cx)))
        .collect()
}

/// Why `docs` are not replaced in province `p`: the sources serving them
/// that are not ready there, with their readiness.
fn blocked_sources(
    en: &Engine,
    cx: &Context,
    docs: &[DocIdx],
    p: ProvinceIdx,
) -> Vec<(SourceIdx, Readiness)> {
    let mut out: Vec<(SourceIdx, Readiness)> = Vec::new();
    for &d in docs {
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

fn explain_route(
    en: &Engine,
    r: &Route,
    av: &dyn Fn(DocIdx) -> Rc<Availability>,
    out: &mut Vec<Step>,
) {
    match r {
        Route::Whole { docs } => {
            for (doc, sources) in docs {
                for &s in sources {
                    out.push(Step::Source(Box::new(SourceStep {
                        doc: Some(*doc),
                        source: s,
                    })));
                }
            }
        }
        Route::Elements { doc, elements } => {
            out.push(Step::ElementsOf(*doc));
            let a = av(*doc);
            for (e, _) in elements {
                explain_element(en, *e, &a, 1, out);
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
    let step = |via| {
        Step::Element(Box::new(ElementLine {
            element: e,
            depth,
            via,
        }))
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

/// A component not replaceable now (conditional, partial or kept) that
/// accepts a live document: what the unlock ranking counts, with its lens.
struct Open {
    procedure: usize,
    component: usize,
    lens: Lens,
}

fn unlock_ranking(en: &Engine, cx: &Context, base: &Scope, open: &[Open]) -> Vec<Unlock> {
    let cat = en.cat;
    let count = |scope: &Scope| -> (usize, usize) {
        let mut comps = 0;
        let mut procs = BTreeSet::new();
        for o in open {
            let comp = &cat.procedures[o.procedure].components[o.component];
            if en.replaced_everywhere(comp, &o.lens, scope) {
                comps += 1;
                procs.insert(o.procedure);
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
        let (components, procedures) = count(&en.scope(*cx, Some(si), &[]));
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
    for o in open {
        let comp = &cat.procedures[o.procedure].components[o.component];
        for &d in &o.lens.live {
            for e in en.needed(comp, d) {
                if base.states.iter().any(|av| av.elements[e].is_none()) {
                    wanted.insert(e);
                }
            }
        }
    }
    for e in wanted {
        let (components, procedures) = count(&en.scope(*cx, None, &[e]));
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
    Unlock::rank(&mut rows);
    rows
}
