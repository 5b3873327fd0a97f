//! The validated catalogue. Everything here has been checked: references are
//! indices into the catalogue's vectors, text is NFC, dates are dates.

pub use crate::catalogue::intern::Shared;
use crate::date::Date;
use crate::diag::Location;
pub use crate::format::{
    AgencyKind, ChannelKind, CopyKind, CueKind, Decision, DueBasis, DurationUnit, FreshnessKind,
    Holder, LandUse, LegalKind, Level, PaperKind, ProvinceKind, Role, SourceKind, SourceStatus,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub type AgencyIdx = usize;
pub type ProvinceIdx = usize;
pub type ElementIdx = usize;
pub type DocIdx = usize;
pub type SourceIdx = usize;
pub type LegalIdx = usize;
pub type ReviewIdx = usize;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Param<T> {
    pub value: T,
    pub source: String,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub analysis_date: Param<Date>,
    pub coverage_threshold: Param<f64>,
    pub hourly_income_vnd: Option<Param<f64>>,
    pub minutes_per_paper: Option<Param<f64>>,
    pub certified_copy_fee_vnd: Option<Param<f64>>,
    pub copy_cost_vnd: Option<Param<f64>>,
}

#[derive(Clone, Debug)]
pub struct Agency {
    pub id: String,
    pub name: String,
    pub kind: AgencyKind,
    pub aliases: Vec<String>,
    pub parent: Option<AgencyIdx>,
}

#[derive(Clone, Debug)]
pub struct Province {
    pub id: String,
    pub name: String,
    pub kind: ProvinceKind,
    pub merged_from: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Element {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// Each entry: a set of elements that together yield this one.
    pub derived_from: Vec<Vec<ElementIdx>>,
}

#[derive(Clone, Debug)]
pub struct DocumentType {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub issuer: Option<String>,
    /// A general kind that specific papers named after it replace.
    pub generic: bool,
    /// A kind of paper data never replaces.
    pub kind: Option<PaperKind>,
    /// To whom Vietnamese authorities issue it; empty: anyone.
    pub holders: Vec<Holder>,
    /// Replaced only when the paper is shown to be of `holders`.
    pub holder_stated: bool,
    pub elements: Vec<ElementIdx>,
}

#[derive(Clone, Debug)]
pub struct Coverage {
    pub default: f64,
    pub by_province: HashMap<ProvinceIdx, f64>,
    /// The lowest province's share, when the source does not name it.
    pub lowest: Option<f64>,
    pub source: String,
}

impl Coverage {
    pub fn in_province(&self, p: ProvinceIdx) -> f64 {
        self.by_province.get(&p).copied().unwrap_or(self.default)
    }

    /// The share of a province the source does not name, below
    /// `threshold`, that may be any province not listed (`lowest` when it
    /// is not a listed province's figure).
    pub fn unnamed_below(&self, threshold: f64) -> Option<f64> {
        let low = self.lowest?;
        let named = self.by_province.values().any(|&v| v <= low);
        (low < threshold && !named).then_some(low)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Quality {
    pub correct: Option<bool>,
    pub complete: Option<bool>,
    pub clean: Option<bool>,
    pub live: Option<bool>,
    pub note: Option<String>,
    pub source: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Source {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: SourceKind,
    pub operator: AgencyIdx,
    pub status: SourceStatus,
    pub since: Option<Date>,
    pub due: Option<Date>,
    pub due_basis: DueBasis,
    pub documents: Vec<DocIdx>,
    pub elements: Vec<ElementIdx>,
    /// `None`: complete everywhere.
    pub coverage: Option<Coverage>,
    pub legal_basis: Vec<Provision>,
    pub quality: Option<Quality>,
    /// Whose papers it holds; empty: no restriction is known.
    pub holds: Vec<Holder>,
    pub freshness: Option<Freshness>,
    pub land_phase: Option<LandPhase>,
}

impl Source {
    /// Whether it may hold a paper of one of `holders`: it declares no
    /// holders, holds one of them, or declares only holders of the other
    /// kind (persons, organisations) and so says nothing of these.
    pub fn may_hold(&self, holders: &[Holder]) -> bool {
        let same_kind = |x: &Holder| {
            holders
                .iter()
                .any(|h| h.is_organisation() == x.is_organisation())
        };
        self.holds.is_empty()
            || holders.iter().any(|h| self.holds.contains(h))
            || !self.holds.iter().any(same_kind)
    }
}

#[derive(Clone, Debug)]
pub struct Freshness {
    pub kind: FreshnessKind,
    pub source: String,
}

/// Residential land first; other land from `other_land_from`, or never.
#[derive(Clone, Debug)]
pub struct LandPhase {
    pub other_land_from: Option<Date>,
    pub other_land_basis: DueBasis,
    pub source: String,
}

impl LandPhase {
    /// Whether land other than residential land is served at `date`.
    pub fn serves_other_land(&self, date: Date) -> bool {
        self.other_land_from.is_some_and(|d| d <= date)
    }
}

/// A span of time as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duration {
    pub count: u32,
    pub unit: DurationUnit,
}

/// What a cue says about the papers it qualifies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Qualifier {
    IssuedAbroad,
    /// The paper belongs to one of these.
    Holder(Vec<Holder>),
    /// Issued no longer ago than this.
    Freshness(Duration),
    Land(LandUse),
    Surrender,
    /// Checked as a thing: its original is shown.
    Physical,
    /// Asked only when the data cannot be read.
    Fallback,
}

/// Words of a text that qualify papers it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cue {
    pub qualifier: Qualifier,
    /// As written.
    pub words: String,
    /// The document types it qualifies; empty: every one.
    pub documents: Vec<DocIdx>,
}

impl Cue {
    pub fn qualifies(&self, d: DocIdx) -> bool {
        self.documents.is_empty() || self.documents.contains(&d)
    }
}

#[derive(Clone, Debug)]
pub struct LegalDocument {
    pub number: String,
    pub kind: LegalKind,
    pub title: String,
    pub issuer: Option<String>,
    pub date: Option<Date>,
    pub amended_by: Vec<String>,
}

/// A provision of a legal document. `document` is the normalised number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provision {
    pub document: Shared,
    pub provision: Option<Shared>,
    pub form: Option<Shared>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Channel {
    pub kind: ChannelKind,
    pub time: Option<Shared>,
    pub days: Option<f64>,
    pub fee: Option<Shared>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LegalRef {
    pub number: Shared,
    pub title: Option<Shared>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResultDoc {
    pub name: Shared,
    pub code: Option<Shared>,
    pub document_type: Option<DocIdx>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    pub count: u32,
    pub kind: CopyKind,
}

/// A stretch of a component's text, in characters from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// Words of a component's text that name a document type it accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    pub doc: DocIdx,
    pub span: Span,
}

/// One required part of a component; data replaces the component only
/// when it replaces every part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// Alternatives: any one of them satisfies the part. Empty: a paper no
    /// document type names, which data cannot replace.
    pub accepts: Vec<DocIdx>,
    /// Where the part is in the text, when known.
    pub span: Option<Span>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Component {
    pub id: String,
    pub text: String,
    pub role: Role,
    /// The case (trường hợp) it belongs to; `None` for every case.
    pub case: Option<Shared>,
    pub quantity: Vec<Quantity>,
    /// Every document type any part accepts, in order of first appearance.
    pub accepts: Vec<DocIdx>,
    /// The required parts (one for a component written with `accepts`).
    pub parts: Vec<Part>,
    /// The words that named each accepted document type, in text order.
    pub matched: Vec<Match>,
    pub relies_on: Vec<ElementIdx>,
    /// Sources the procedure already takes this information from.
    pub already_digital: Vec<SourceIdx>,
    pub provisions: Vec<Provision>,
    pub unrecognised: Option<Shared>,
    /// Words qualifying the papers it names.
    pub cues: Vec<Cue>,
    pub location: Location,
    /// Identity inside the procedure that survives re-imports: the `id`
    /// the file gives, else `t-` and a fingerprint of case and text (see
    /// [`crate::catalogue::identity`]).
    pub key: String,
    /// Fingerprint of the normalised text: a decision on another text is stale.
    pub fingerprint: String,
    /// The reviewers' decision on it, if any.
    pub review: Option<ReviewIdx>,
}

impl Component {
    /// Part `i` alone, as a component of its own (its alternatives, its
    /// place in the text).
    pub fn part(&self, i: usize) -> Component {
        let part = self.parts[i].clone();
        Component {
            accepts: part.accepts.clone(),
            matched: self
                .matched
                .iter()
                .filter(|m| part.accepts.contains(&m.doc))
                .cloned()
                .collect(),
            parts: vec![part],
            ..self.clone()
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Procedure {
    pub code: String,
    pub name: String,
    pub agency: AgencyIdx,
    pub sector: Option<Shared>,
    pub levels: Vec<Level>,
    pub applicants: Vec<Shared>,
    pub handled_by: Option<Shared>,
    pub annual_volume: Option<Param<f64>>,
    pub channels: Vec<Channel>,
    pub legal_basis: Vec<LegalRef>,
    pub results: Vec<ResultDoc>,
    /// Every component in order: the common ones first, then each case's.
    pub components: Vec<Component>,
    /// Cues for every component (whose papers the dossier holds).
    pub cues: Vec<Cue>,
    /// The published record's notes; repeated across provinces' variants.
    pub notes: Vec<Shared>,
    pub source: Option<String>,
    pub location: Location,
}

/// Phrases the importers use, as written (NFC); matched diacritics first.
#[derive(Clone, Debug, Default)]
pub struct Recognition {
    pub form_starts: Vec<String>,
    pub digital_phrases: Vec<String>,
    pub note_starts: Vec<String>,
    pub condition_starts: Vec<String>,
    pub lead_words: Vec<String>,
    pub certified_copy_phrases: Vec<String>,
    pub present_phrases: Vec<String>,
    pub and_words: Vec<String>,
    pub or_words: Vec<String>,
    pub one_of_words: Vec<String>,
    pub addition_words: Vec<String>,
    pub specify_words: Vec<String>,
    pub exception_words: Vec<String>,
    pub requirement_words: Vec<String>,
    pub paper_heads: Vec<String>,
    pub neutral_words: Vec<String>,
    pub clause_ends: Vec<String>,
    pub copy_of_words: Vec<String>,
    pub number_words: Vec<String>,
    pub number_kinds: Vec<String>,
    pub number_issuers: Vec<String>,
    /// Phrases qualifying papers.
    pub cues: CuePhrases,
}

/// A phrase as written and the word keys it is matched by
/// ([`crate::text::word_key`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrase {
    pub words: String,
    pub keys: Vec<String>,
}

impl Phrase {
    pub fn new(words: &str) -> Self {
        let words = crate::text::nfc(words.trim());
        let keys = crate::text::words(&words)
            .into_iter()
            .map(|(_, _, k)| k)
            .collect();
        Phrase { words, keys }
    }
}

/// Phrases naming papers of given holders (`recognition.cues.holders`).
#[derive(Clone, Debug, Default)]
pub struct HolderPhrases {
    pub holders: Vec<Holder>,
    /// Whose paper it is when a phrase follows an exception word.
    pub when_excepted: Vec<Holder>,
    pub phrases: Vec<Phrase>,
}

/// Cue phrases of the reference data, merged across files.
#[derive(Clone, Debug, Default)]
pub struct CuePhrases {
    pub issued_abroad: Vec<Phrase>,
    pub foreign_after: Vec<Phrase>,
    pub holders: Vec<HolderPhrases>,
    pub freshness: Vec<Phrase>,
    pub freshness_verbs: Vec<Phrase>,
    pub land: Vec<(LandUse, Vec<Phrase>)>,
    pub surrender: Vec<Phrase>,
    pub surrender_procedures: Vec<Phrase>,
    pub physical: Vec<Phrase>,
    /// The sources whose data cannot be read, and the phrases saying so
    /// (resolved with the sources, in `validate`).
    pub fallback: Vec<(Vec<SourceIdx>, Vec<Phrase>)>,
    pub exceptions: Vec<Phrase>,
    pub counterparty: Vec<Phrase>,
    pub not_counterparty: Vec<Phrase>,
    pub reach_stops: Vec<Phrase>,
    pub beneficiary: Vec<Phrase>,
}

impl CuePhrases {
    fn add(&mut self, raw: &crate::format::RawCuePhrases) {
        let all = |v: &[String]| {
            v.iter()
                .map(|p| Phrase::new(p))
                .filter(|p| !p.keys.is_empty())
                .collect::<Vec<_>>()
        };
        self.issued_abroad.extend(all(&raw.issued_abroad));
        self.foreign_after.extend(all(&raw.foreign_after));
        self.freshness.extend(all(&raw.freshness));
        self.freshness_verbs.extend(all(&raw.freshness_verbs));
        self.surrender.extend(all(&raw.surrender));
        self.surrender_procedures
            .extend(all(&raw.surrender_procedures));
        self.physical.extend(all(&raw.physical));
        self.exceptions.extend(all(&raw.exceptions));
        self.counterparty.extend(all(&raw.counterparty));
        self.not_counterparty.extend(all(&raw.not_counterparty));
        self.reach_stops.extend(all(&raw.reach_stops));
        self.beneficiary.extend(all(&raw.beneficiary));
        for h in &raw.holders {
            self.holders.push(HolderPhrases {
                holders: h.holders.clone(),
                when_excepted: h.when_excepted.clone(),
                phrases: all(&h.phrases),
            });
        }
        for l in &raw.land {
            self.land.push((l.land, all(&l.phrases)));
        }
    }
}

impl Recognition {
    /// The codes legal document numbers are read with.
    pub fn number_codes(&self) -> crate::legal::Codes<'_> {
        crate::legal::Codes {
            kinds: &self.number_kinds,
            issuers: &self.number_issuers,
        }
    }

    /// Adds a file's phrases.
    pub fn add(&mut self, raw: &crate::format::RawRecognition) {
        let lists = [
            (&mut self.form_starts, &raw.form_starts),
            (&mut self.digital_phrases, &raw.digital_phrases),
            (&mut self.note_starts, &raw.note_starts),
            (&mut self.condition_starts, &raw.condition_starts),
            (&mut self.lead_words, &raw.lead_words),
            (
                &mut self.certified_copy_phrases,
                &raw.certified_copy_phrases,
            ),
            (&mut self.present_phrases, &raw.present_phrases),
            (&mut self.and_words, &raw.and_words),
            (&mut self.or_words, &raw.or_words),
            (&mut self.one_of_words, &raw.one_of_words),
            (&mut self.addition_words, &raw.addition_words),
            (&mut self.specify_words, &raw.specify_words),
            (&mut self.exception_words, &raw.exception_words),
            (&mut self.requirement_words, &raw.requirement_words),
            (&mut self.paper_heads, &raw.paper_heads),
            (&mut self.neutral_words, &raw.neutral_words),
            (&mut self.clause_ends, &raw.clause_ends),
            (&mut self.copy_of_words, &raw.copy_of_words),
            (&mut self.number_words, &raw.number_words),
            (&mut self.number_kinds, &raw.number_kinds),
            (&mut self.number_issuers, &raw.number_issuers),
        ];
        for (into, written) in lists {
            into.extend(written.iter().map(|p| crate::text::nfc(p)));
        }
        if let Some(c) = &raw.cues {
            self.cues.add(c);
        }
    }
}

/// One published list (`tthc lists`): procedures with a paper cut through
/// one of its sources.
#[derive(Clone, Debug)]
pub struct PublishedList {
    pub id: String,
    pub name: String,
    pub sources: Vec<SourceIdx>,
    pub source: String,
}

/// A reviewer's decision on one component (`reviews/<ministry>.yaml`).
#[derive(Clone, Debug)]
pub struct Review {
    /// The ministry whose file holds it.
    pub ministry: AgencyIdx,
    pub procedure: String,
    /// The component's key ([`Component::key`]) when it was decided.
    pub component: String,
    pub fingerprint: String,
    pub text: String,
    pub decision: Decision,
    /// Sources through which the paper is cut.
    pub sources: Vec<SourceIdx>,
    pub note: Option<String>,
    pub reviewer: Option<String>,
    pub date: Option<Date>,
    pub origin: Option<String>,
    pub location: Location,
}

/// A validated catalogue: reference data plus procedures, in a stable order
/// (reference entries in file order, procedures sorted by code).
#[derive(Clone, Debug)]
pub struct Catalog {
    pub settings: Settings,
    pub agencies: Vec<Agency>,
    pub provinces: Vec<Province>,
    pub elements: Vec<Element>,
    pub document_types: Vec<DocumentType>,
    pub sources: Vec<Source>,
    pub legal_documents: Vec<LegalDocument>,
    pub recognition: Recognition,
    pub lists: Vec<PublishedList>,
    pub procedures: Vec<Procedure>,
    /// Every reviewer's decision, by file then order in the file.
    pub reviews: Vec<Review>,
}

impl Catalog {
    pub fn source_by_id(&self, id: &str) -> Option<SourceIdx> {
        self.sources.iter().position(|s| s.id == id)
    }

    pub fn procedure_by_code(&self, code: &str) -> Option<usize> {
        self.procedures
            .binary_search_by(|p| p.code.as_str().cmp(code))
            .ok()
    }

    /// The decision on a component, if any.
    pub fn review_of(&self, c: &Component) -> Option<&Review> {
        c.review.map(|r| &self.reviews[r])
    }

    /// Provinces matching what a user typed, diacritic- and
    /// case-insensitively: the id or the name exactly (`ha-noi`, `Hà Nội`
    /// → id `ha-noi`), else every name ending with the typed words
    /// (`Hồ Chí Minh` → `Thành phố Hồ Chí Minh`). More than one match means
    /// the input is ambiguous.
    pub fn find_provinces(&self, wanted: &str) -> Vec<ProvinceIdx> {
        use crate::text::fold;
        let w = fold(wanted);
        if w.is_empty() {
            return vec![];
        }
        let exact: Vec<ProvinceIdx> = (0..self.provinces.len())
            .filter(|&i| fold(&self.provinces[i].id) == w || fold(&self.provinces[i].name) == w)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        let suffix = format!(" {w}");
        (0..self.provinces.len())
            .filter(|&i| fold(&self.provinces[i].name).ends_with(&suffix))
            .collect()
    }
}
