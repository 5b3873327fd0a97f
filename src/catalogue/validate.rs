//! The one step from the raw, deserialised catalogue to the validated model:
//! the reference data ([`reference`]), each procedure on its own
//! ([`Reference::procedure`]), then the checks across them ([`finish`]).
//! It collects every problem it finds instead of stopping at the first, so a
//! user fixes a catalogue in one pass.

use crate::catalogue::intern::Interner;
use crate::date::Date;
use crate::diag::{Code, Diagnostic, Location};
use crate::format::{self as raw, Located, Ref};
use crate::legal;
use crate::model::*;
use crate::text;
use regex::Regex;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::LazyLock;

static ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]+(?:-[a-z0-9]+)*$").expect("valid regex"));
static PROCEDURE_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9]\.[0-9]{6}$").expect("valid regex"));

/// Whether `code` is a national procedure code (`N.NNNNNN`).
pub fn is_procedure_code(code: &str) -> bool {
    PROCEDURE_CODE.is_match(code)
}

/// The diagnostics collected while validating.
pub(crate) struct Cx {
    pub(crate) diags: Vec<Diagnostic>,
    /// The path last located, shared by the locations of its file.
    path: RefCell<Option<Arc<str>>>,
}

impl Cx {
    pub(crate) fn new(diags: Vec<Diagnostic>) -> Self {
        Cx {
            diags,
            path: RefCell::new(None),
        }
    }
    /// `file`, shared with the locations made in it before.
    pub(crate) fn path(&self, file: &str) -> Arc<str> {
        let mut last = self.path.borrow_mut();
        match &*last {
            Some(p) if **p == *file => p.clone(),
            _ => last.insert(file.into()).clone(),
        }
    }
    pub(crate) fn at<T>(&self, file: &str, l: &Located<T>) -> Location {
        Location::new(self.path(file), l.line, l.column)
    }
    pub(crate) fn err(&mut self, code: Code, loc: Location, msg: String, hint: impl Into<String>) {
        self.diags.push(Diagnostic::new(code, loc, msg).hint(hint));
    }
    pub(crate) fn date(&mut self, file: &str, l: &Located<String>) -> Option<Date> {
        match l.value.parse::<Date>() {
            Ok(d) => Some(d),
            Err(e) => {
                let loc = self.at(file, l);
                self.err(
                    Code::MalformedDate,
                    loc,
                    e.to_string(),
                    "write dates as YYYY-MM-DD, e.g. 2025-11-15",
                );
                None
            }
        }
    }
    fn share(&mut self, file: &str, l: &Located<f64>, what: &str) -> f64 {
        if l.value.is_nan() {
            let loc = self.at(file, l);
            self.err(
                Code::OutOfRange,
                loc,
                format!("{what} is not a number"),
                "write shares as fractions: 0.98 for 98%",
            );
            return 0.0;
        }
        if !(0.0..=1.0).contains(&l.value) {
            let loc = self.at(file, l);
            self.err(
                Code::OutOfRange,
                loc,
                format!("{what} {} is not between 0 and 1", l.value),
                "write shares as fractions: 0.98 for 98%",
            );
        }
        l.value.clamp(0.0, 1.0)
    }
    /// A figure (cost, time, volume): a finite number, zero or more.
    fn figure(&mut self, file: &str, l: &Located<f64>, what: &str) {
        let problem = if l.value.is_nan() {
            Some(format!("{what} is not a number"))
        } else if l.value.is_infinite() {
            Some(format!("{what} is infinite"))
        } else if l.value < 0.0 {
            Some(format!("{what} {} is negative", l.value))
        } else {
            None
        };
        if let Some(msg) = problem {
            let loc = self.at(file, l);
            self.err(
                Code::OutOfRange,
                loc,
                msg,
                "figures are finite numbers, zero or more",
            );
        }
    }
    /// Text a reader needs (a name, a component): not empty, not blank.
    fn text(&mut self, file: &str, l: &Located<String>, what: &str) {
        if l.value.trim().is_empty() {
            let loc = self.at(file, l);
            self.err(
                Code::Shape,
                loc,
                format!("the {what} is empty"),
                format!("write the {what}: it is what reviewers read"),
            );
        }
    }
}

/// Identifiers of one kind of entry, for resolving references to them.
pub(crate) struct Index {
    kind: &'static str,
    map: HashMap<String, (usize, Location)>,
}

impl Index {
    fn new(kind: &'static str) -> Self {
        Index {
            kind,
            map: HashMap::new(),
        }
    }

    /// Registers an id; reports malformed and duplicate ids.
    fn define(&mut self, cx: &mut Cx, file: &str, id: &Ref, idx: usize, check_shape: bool) {
        let loc = cx.at(file, id);
        if check_shape && !ID.is_match(&id.value) {
            cx.err(
                Code::MalformedId,
                loc.clone(),
                format!(
                    "{} id `{}` is not lower-case kebab-case",
                    self.kind, id.value
                ),
                "use ASCII letters, digits and dashes, e.g. `csdl-ho-tich`",
            );
        }
        if let Some((_, first)) = self.map.get(&id.value) {
            cx.err(
                Code::DuplicateId,
                loc,
                format!("{} `{}` is defined twice", self.kind, id.value),
                format!("first defined at {first}; rename or remove one of them"),
            );
        } else {
            self.map.insert(id.value.clone(), (idx, loc));
        }
    }

    pub(crate) fn resolve(&self, cx: &mut Cx, file: &str, r: &Ref) -> Option<usize> {
        if let Some((i, _)) = self.map.get(&r.value) {
            return Some(*i);
        }
        let hint = match text::did_you_mean(&r.value, self.map.keys().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("define the {} in the catalogue's reference data", self.kind),
        };
        let loc = cx.at(file, r);
        cx.err(
            Code::UnknownReference,
            loc,
            format!("unknown {} `{}`", self.kind, r.value),
            hint,
        );
        None
    }

    pub(crate) fn resolve_all(&self, cx: &mut Cx, file: &str, refs: &[Ref]) -> Vec<usize> {
        let mut out = Vec::new();
        for r in refs {
            if let Some(i) = self.resolve(cx, file, r) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out
    }
}

/// The validated reference data, with the indexes procedures are resolved
/// against: built before any procedure is read, so that each procedure is
/// validated (and its raw tree dropped) as soon as it is parsed.
pub struct Reference {
    diags: Vec<Diagnostic>,
    strings: Interner,
    agencies: Index,
    provinces: Index,
    elements: Index,
    docs: Index,
    sources: Index,
    legal_docs: Index,
    /// Where settings were given, and their value if they were valid.
    settings: Option<(Option<Settings>, Location)>,
    /// Where missing settings are reported.
    settings_path: String,
    model_agencies: Vec<Agency>,
    model_provinces: Vec<Province>,
    model_elements: Vec<Element>,
    model_docs: Vec<DocumentType>,
    model_sources: Vec<Source>,
    model_legal: Vec<LegalDocument>,
    recognition: Recognition,
    lists: Vec<PublishedList>,
}

/// What [`finish`] needs of one procedure file besides its model: where it
/// is, its code, the diagnostics it gave on its own and, when it
/// validated, how many components it has. Kept apart by the re-run cache,
/// so that a run which does not need the model never rebuilds it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Head {
    file: String,
    code: String,
    code_at: Location,
    diags: Vec<Diagnostic>,
    /// The procedure's components, when it validated.
    components: Option<usize>,
}

impl Head {
    /// The file it was read from, as displayed.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    /// The procedure code it declares, as written.
    pub(crate) fn code(&self) -> &str {
        &self.code
    }

    /// Whether the file validated into a procedure.
    pub(crate) fn is_valid(&self) -> bool {
        self.components.is_some()
    }
}

/// One procedure file validated on its own: everything but the checks
/// across procedures (its code unique), which [`finish`] makes. Kept
/// between runs by [`crate::catalogue::cache`]. Its `procedure` is `None`
/// when the file did not validate, or when the re-run cache gave its
/// [`Head`] alone (the record left on the shelf).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Checked {
    head: Head,
    procedure: Option<Procedure>,
    /// The XXH3-128 of the bytes it was made from, when the re-run cache
    /// read them.
    #[serde(skip)]
    content: Option<u128>,
}

/// One procedure of a valid catalogue, as [`finish`] lists them in code
/// order: in the model, or left on the re-run cache's shelf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub code: String,
    /// The file it was read from, as displayed.
    pub file: String,
    /// The XXH3-128 of the file's bytes, when the re-run cache read them.
    pub content: Option<u128>,
    pub components: usize,
    /// Whether it is in [`Catalog::procedures`] (else only its head was read).
    pub in_model: bool,
}

/// Validates the reference data (`catalog/` files, any order).
pub fn reference(mut cat_files: Vec<(String, raw::CatalogFile)>) -> Reference {
    let mut cx = Cx::new(Vec::new());
    cat_files.sort_by(|a, b| a.0.cmp(&b.0));

    // Pass 1: every identifier of the reference data.
    let mut agencies = Index::new("agency");
    let mut provinces = Index::new("province");
    let mut elements = Index::new("information element");
    let mut docs = Index::new("document type");
    let mut sources = Index::new("data source");
    let mut legal_docs = Index::new("legal document");
    let mut list_ids = Index::new("published list");
    let (mut na, mut np, mut ne, mut nd, mut ns, mut nl) = (0, 0, 0, 0, 0, 0);
    let mut legal_numbers: Vec<Ref> = Vec::new();
    for (file, f) in &cat_files {
        for a in &f.agencies {
            agencies.define(&mut cx, file, &a.id, na, true);
            na += 1;
        }
        for p in &f.provinces {
            provinces.define(&mut cx, file, &p.id, np, true);
            np += 1;
        }
        for e in &f.elements {
            elements.define(&mut cx, file, &e.id, ne, true);
            ne += 1;
        }
        for d in &f.document_types {
            docs.define(&mut cx, file, &d.id, nd, true);
            nd += 1;
        }
        for s in &f.sources {
            sources.define(&mut cx, file, &s.id, ns, true);
            ns += 1;
        }
        for l in &f.legal_documents {
            let number = normalised_number(&mut cx, file, &l.number);
            legal_docs.define(&mut cx, file, &number, nl, false);
            legal_numbers.push(number);
            nl += 1;
        }
    }
    for (i, (file, l)) in cat_files
        .iter()
        .flat_map(|(file, f)| f.lists.iter().map(move |l| (file, l)))
        .enumerate()
    {
        list_ids.define(&mut cx, file, &l.id, i, true);
    }

    // Pass 2: the reference data, with references resolved.
    let strings = Interner::default();
    let refs = Refs {
        strings: &strings,
        agencies: &agencies,
        provinces: &provinces,
        docs: &docs,
        elements: &elements,
        sources: &sources,
        legal_docs: &legal_docs,
    };
    let mut settings: Option<(Option<Settings>, Location)> = None;
    let mut model_agencies = Vec::new();
    let mut model_provinces = Vec::new();
    let mut model_elements = Vec::new();
    let mut model_docs = Vec::new();
    let mut model_sources = Vec::new();
    let mut model_legal = Vec::new();
    let mut legal_i = 0;
    let mut recognition = Recognition::default();
    let mut lists = Vec::new();
    for (file, f) in &cat_files {
        if let Some(r) = &f.recognition {
            recognition.add(&r.value);
            for g in r.value.cues.iter().flat_map(|c| &c.fallback) {
                let sources = refs.sources.resolve_all(&mut cx, file, &g.sources);
                let phrases = g
                    .phrases
                    .iter()
                    .map(|p| crate::model::Phrase::new(p))
                    .filter(|p| !p.keys.is_empty())
                    .collect();
                recognition.cues.fallback.push((sources, phrases));
            }
        }
        if let Some(s) = &f.settings {
            let loc = cx.at(file, s);
            if let Some((_, first)) = &settings {
                cx.err(
                    Code::Settings,
                    loc,
                    "settings are given twice".into(),
                    format!("first given at {first}; keep one `settings:` section"),
                );
            } else {
                settings = Some((settings_of(&mut cx, file, &s.value), loc));
            }
        }
        for a in &f.agencies {
            cx.text(file, &a.name, "agency name");
            model_agencies.push(Agency {
                id: a.id.value.clone(),
                name: a.name.value.clone(),
                kind: a.kind,
                aliases: a.aliases.clone(),
                parent: a
                    .parent
                    .as_ref()
                    .and_then(|p| agencies.resolve(&mut cx, file, p)),
            });
        }
        for p in &f.provinces {
            cx.text(file, &p.name, "province name");
            model_provinces.push(Province {
                id: p.id.value.clone(),
                name: p.name.value.clone(),
                kind: p.kind,
                merged_from: p.merged_from.clone(),
            });
        }
        for e in &f.elements {
            cx.text(file, &e.name, "element name");
            let derived_from = e
                .derived_from
                .iter()
                .map(|alt| elements.resolve_all(&mut cx, file, alt))
                .filter(|alt| !alt.is_empty())
                .collect();
            model_elements.push(Element {
                id: e.id.value.clone(),
                name: e.name.value.clone(),
                aliases: e.aliases.clone(),
                derived_from,
            });
        }
        for d in &f.document_types {
            cx.text(file, &d.name, "document type name");
            model_docs.push(DocumentType {
                id: d.id.value.clone(),
                name: d.name.value.clone(),
                aliases: d.aliases.clone(),
                issuer: d.issuer.clone(),
                generic: d.generic,
                kind: d.kind,
                holders: d.holders.clone(),
                holder_stated: d.holder_stated,
                elements: elements.resolve_all(&mut cx, file, &d.elements),
            });
        }
        for s in &f.sources {
            cx.text(file, &s.name, "source name");
            model_sources.push(source_of(&mut cx, file, s, &refs));
        }
        for l in &f.lists {
            lists.push(PublishedList {
                id: l.id.value.clone(),
                name: l.name.value.clone(),
                sources: sources.resolve_all(&mut cx, file, &l.sources),
                source: l.source.clone(),
            });
        }
        for l in &f.legal_documents {
            let number = legal_numbers[legal_i].value.clone();
            legal_i += 1;
            let amended_by = l
                .amended_by
                .iter()
                .map(|a| normalised_number(&mut cx, file, a).value)
                .collect();
            model_legal.push(LegalDocument {
                number,
                kind: l.kind,
                title: l.title.clone(),
                issuer: l.issuer.clone(),
                date: l.date.as_ref().and_then(|d| cx.date(file, d)),
                amended_by,
            });
        }
    }
    check_agency_cycles(&mut cx, &model_agencies, &agencies);
    check_amendment_cycles(&mut cx, &model_legal, &legal_docs);

    let settings_path = cat_files
        .first()
        .map(|(f, _)| f.clone())
        .unwrap_or_else(|| "catalog".into());
    Reference {
        diags: cx.diags,
        strings,
        agencies,
        provinces,
        elements,
        docs,
        sources,
        legal_docs,
        settings,
        settings_path,
        model_agencies,
        model_provinces,
        model_elements,
        model_docs,
        model_sources,
        model_legal,
        recognition,
        lists,
    }
}

impl Checked {
    /// A file's head alone, its record left on the shelf.
    pub(crate) fn shelved(head: Head, content: u128) -> Checked {
        Checked {
            head,
            procedure: None,
            content: Some(content),
        }
    }

    /// The file it was read from, as displayed.
    pub(crate) fn file(&self) -> &str {
        &self.head.file
    }

    pub(crate) fn head(&self) -> &Head {
        &self.head
    }

    /// Whether its file validated but its model was left on the shelf.
    pub(crate) fn is_shelved(&self) -> bool {
        self.procedure.is_none() && self.head.is_valid()
    }

    pub(crate) fn procedure_mut(&mut self) -> Option<&mut Procedure> {
        self.procedure.as_mut()
    }

    /// Notes the hash of the bytes it was made from.
    pub(crate) fn with_content(mut self, content: u128) -> Checked {
        self.content = Some(content);
        self
    }
}

impl Reference {
    /// The strings kept once, shared by every procedure.
    pub(crate) fn strings(&self) -> &Interner {
        &self.strings
    }

    fn refs(&self) -> Refs<'_> {
        Refs {
            strings: &self.strings,
            agencies: &self.agencies,
            provinces: &self.provinces,
            docs: &self.docs,
            elements: &self.elements,
            sources: &self.sources,
            legal_docs: &self.legal_docs,
        }
    }

    /// Validates one procedure file against the reference data.
    pub fn procedure(&self, file: String, p: &raw::ProcedureFile) -> Checked {
        let mut cx = Cx::new(Vec::new());
        cx.text(&file, &p.name, "procedure name");
        let procedure = procedure_of(&mut cx, &file, p, &self.refs());
        Checked {
            head: Head {
                code_at: cx.at(&file, &p.code),
                code: p.code.value.clone(),
                file,
                diags: cx.diags,
                components: procedure.as_ref().map(|p| p.components.len()),
            },
            procedure,
            content: None,
        }
    }
}

/// The checks across procedures (codes well-formed and unique, in file
/// order: a procedure whose code was used before is left out with its
/// diagnostics), then reviewers' decisions; the model when there is no
/// error, every procedure listed in code order (empty when there is an
/// error), and every diagnostic, sorted, in any case. A procedure that a
/// decision names must come with its model (`checked` may hold heads
/// alone for the others).
pub fn finish(
    mut reference: Reference,
    mut checked: Vec<Checked>,
    review_files: Vec<(String, raw::ReviewFile)>,
) -> (Option<Catalog>, Vec<Listed>, Vec<Diagnostic>) {
    let mut cx = Cx::new(std::mem::take(&mut reference.diags));
    checked.sort_by(|a, b| a.head.file.cmp(&b.head.file));
    let mut codes: HashMap<String, Location> = HashMap::new();
    let mut procedures = Vec::new();
    let mut listed = Vec::new();
    for c in checked {
        let Checked {
            head,
            procedure,
            content,
        } = c;
        let loc = head.code_at;
        if !is_procedure_code(&head.code) {
            cx.err(
                Code::MalformedCode,
                loc,
                format!("procedure code `{}` is not of the form N.NNNNNN", head.code),
                "national codes are one digit, a dot and six digits, e.g. `1.000894`",
            );
        } else if let Some(first) = codes.get(&head.code) {
            cx.err(
                Code::DuplicateCode,
                loc,
                format!("procedure code `{}` is used twice", head.code),
                format!("first used at {first}; each procedure is defined once"),
            );
            continue;
        } else {
            codes.insert(head.code.clone(), loc);
        }
        cx.diags.extend(head.diags);
        if let Some(components) = head.components {
            listed.push(Listed {
                code: head.code,
                file: head.file,
                content,
                components,
                in_model: procedure.is_some(),
            });
        }
        procedures.extend(procedure);
    }
    procedures.sort_by(|a: &Procedure, b: &Procedure| a.code.cmp(&b.code));
    listed.sort_by(|a, b| a.code.cmp(&b.code));

    // Pass 4: reviewers' decisions, attached to the components they decide.
    let reviews = crate::catalogue::reviews::validate(
        &mut cx,
        review_files,
        &reference.refs(),
        &mut procedures,
    );

    if reference.settings.is_none() {
        cx.err(
            Code::Settings,
            Location::new(reference.settings_path.clone(), 0, 0),
            "the catalogue has no settings".into(),
            "add a `settings:` section (analysis_date, coverage_threshold) to a file in catalog/",
        );
    }

    let mut diags = cx.diags;
    diags.sort_by(|a, b| (&a.location, a.code).cmp(&(&b.location, b.code)));
    diags.dedup();
    if diags.iter().any(Diagnostic::is_error) {
        return (None, Vec::new(), diags);
    }
    let Some((Some(settings), _)) = reference.settings else {
        return (None, Vec::new(), diags);
    };
    let catalog = Catalog {
        settings,
        agencies: reference.model_agencies,
        provinces: reference.model_provinces,
        elements: reference.model_elements,
        document_types: reference.model_docs,
        sources: reference.model_sources,
        legal_documents: reference.model_legal,
        recognition: reference.recognition,
        lists: reference.lists,
        procedures,
        reviews,
    };
    (Some(catalog), listed, diags)
}

fn normalised_number(cx: &mut Cx, file: &str, r: &Ref) -> Ref {
    let n = legal::normalise_number(&r.value);
    if !legal::is_valid_number(&n) {
        let loc = cx.at(file, r);
        cx.err(
            Code::MalformedDocumentNumber,
            loc,
            format!("`{}` is not a legal document number", r.value),
            "write the official number, e.g. `123/2015/NĐ-CP` or `68/2020/QH14`",
        );
    }
    Located {
        value: n,
        line: r.line,
        column: r.column,
    }
}

fn param<T: Clone>(p: &raw::Param<T>) -> Param<T> {
    Param {
        value: p.value.value.clone(),
        source: p.source.clone(),
    }
}

fn settings_of(cx: &mut Cx, file: &str, s: &raw::RawSettings) -> Option<Settings> {
    let date = cx.date(file, &s.analysis_date.value)?;
    cx.share(file, &s.coverage_threshold.value, "coverage threshold");
    for p in [
        &s.hourly_income_vnd,
        &s.minutes_per_paper,
        &s.certified_copy_fee_vnd,
        &s.copy_cost_vnd,
    ]
    .into_iter()
    .flatten()
    {
        cx.figure(file, &p.value, "the setting");
    }
    Some(Settings {
        analysis_date: Param {
            value: date,
            source: s.analysis_date.source.clone(),
        },
        coverage_threshold: param(&s.coverage_threshold),
        hourly_income_vnd: s.hourly_income_vnd.as_ref().map(param),
        minutes_per_paper: s.minutes_per_paper.as_ref().map(param),
        certified_copy_fee_vnd: s.certified_copy_fee_vnd.as_ref().map(param),
        copy_cost_vnd: s.copy_cost_vnd.as_ref().map(param),
    })
}

fn provisions_of(
    cx: &mut Cx,
    file: &str,
    strings: &Interner,
    ps: &[raw::RawProvision],
    known: &dyn Fn(&str) -> bool,
    hint: &str,
) -> Vec<Provision> {
    ps.iter()
        .map(|p| {
            let n = normalised_number(cx, file, &p.document);
            if legal::is_valid_number(&n.value) && !known(&n.value) {
                let loc = cx.at(file, &p.document);
                cx.err(
                    Code::UnknownReference,
                    loc,
                    format!("unknown legal document `{}`", n.value),
                    hint,
                );
            }
            Provision {
                document: strings.get(&n.value),
                provision: strings.opt(&p.provision),
                form: strings.opt(&p.form),
            }
        })
        .collect()
}

fn source_of(cx: &mut Cx, file: &str, s: &raw::RawSource, refs: &Refs) -> Source {
    let Refs {
        agencies,
        provinces,
        docs,
        elements,
        legal_docs,
        ..
    } = refs;
    let since = s.since.as_ref().and_then(|d| cx.date(file, d));
    let due = s.due.as_ref().and_then(|d| cx.date(file, d));
    if s.status.value == SourceStatus::Planned && s.due.is_none() {
        let loc = cx.at(file, &s.status);
        cx.err(
            Code::Inconsistent,
            loc,
            format!("planned source `{}` has no due date", s.id.value),
            "add `due: YYYY-MM-DD`, the date it is expected to be ready",
        );
    }
    if s.serves.documents.is_empty() && s.serves.elements.is_empty() {
        let loc = cx.at(file, &s.id);
        cx.err(
            Code::SourceServesNothing,
            loc,
            format!(
                "source `{}` serves no document type and no element",
                s.id.value
            ),
            "list what it replaces under `serves: {documents: […], elements: […]}`",
        );
    }
    let coverage = s.coverage.as_ref().map(|c| {
        let default = cx.share(file, &c.default, "coverage");
        let mut by_province = HashMap::new();
        for pc in &c.by_province {
            let v = cx.share(file, &pc.value, "coverage");
            if let Some(p) = provinces.resolve(cx, file, &pc.province) {
                by_province.insert(p, v);
            }
        }
        let lowest = c.lowest.as_ref().map(|l| {
            let v = cx.share(file, l, "lowest coverage");
            let above = by_province.values().any(|&p| p < v) || default < v;
            if above {
                let loc = cx.at(file, l);
                cx.err(
                    Code::Inconsistent,
                    loc,
                    format!("lowest coverage {v} is above a figure it should be the lowest of"),
                    "`lowest` is the lowest province's share: no lower than `default` or any `by_province` value allows",
                );
            }
            v
        });
        Coverage {
            default,
            by_province,
            lowest,
            source: c.source.clone(),
        }
    });
    if let (Some(b), None) = (&s.due_basis, &s.due) {
        let loc = cx.at(file, b);
        cx.err(
            Code::Inconsistent,
            loc,
            format!(
                "source `{}` has a `due_basis` but no `due` date",
                s.id.value
            ),
            "give `due: YYYY-MM-DD`, or remove `due_basis`",
        );
    }
    let land_phase = s.land_phase.as_ref().map(|l| LandPhase {
        other_land_from: l.other_land_from.as_ref().and_then(|d| cx.date(file, d)),
        other_land_basis: l.other_land_basis.unwrap_or_default(),
        source: l.source.clone(),
    });
    let known = |n: &str| legal_docs.map.contains_key(n);
    Source {
        id: s.id.value.clone(),
        name: s.name.value.clone(),
        aliases: s.aliases.clone(),
        kind: s.kind,
        operator: agencies.resolve(cx, file, &s.operator).unwrap_or(0),
        status: s.status.value,
        since,
        due,
        due_basis: s.due_basis.as_ref().map(|b| b.value).unwrap_or_default(),
        documents: docs.resolve_all(cx, file, &s.serves.documents),
        elements: elements.resolve_all(cx, file, &s.serves.elements),
        coverage,
        legal_basis: provisions_of(
            cx,
            file,
            refs.strings,
            &s.legal_basis,
            &known,
            "add the document to catalog/legal_documents",
        ),
        quality: s.quality.as_ref().map(|q| Quality {
            correct: q.correct,
            complete: q.complete,
            clean: q.clean,
            live: q.live,
            note: q.note.clone(),
            source: q.source.clone(),
        }),
        holds: s
            .holds
            .as_ref()
            .map(|h| h.holders.clone())
            .unwrap_or_default(),
        freshness: s.freshness.as_ref().map(|f| Freshness {
            kind: f.kind,
            source: f.source.clone(),
        }),
        land_phase,
    }
}

/// Validates cues: each kind with its one field, and (on a component) only
/// document types it accepts. `accepts` is `None` for a procedure's cues,
/// which qualify every paper.
fn cues_of(
    cx: &mut Cx,
    file: &str,
    raw: &[raw::RawCue],
    refs: &Refs,
    accepts: Option<&[DocIdx]>,
) -> Vec<Cue> {
    let mut out = Vec::new();
    for c in raw {
        let loc = cx.at(file, &c.words);
        let needs = match c.cue {
            CueKind::Holder => "holders",
            CueKind::Freshness => "within",
            CueKind::Land => "land",
            CueKind::IssuedAbroad | CueKind::Surrender | CueKind::Physical | CueKind::Fallback => {
                ""
            }
        };
        let given: Vec<&str> = [
            ("holders", !c.holders.is_empty()),
            ("within", c.within.is_some()),
            ("land", c.land.is_some()),
        ]
        .into_iter()
        .filter_map(|(f, g)| g.then_some(f))
        .collect();
        if given.iter().any(|&f| f != needs) || (!needs.is_empty() && !given.contains(&needs)) {
            let hint = if needs.is_empty() {
                "this kind of cue takes no `holders`, `within` or `land`".to_owned()
            } else {
                format!(
                    "this kind of cue takes `{needs}` and no other of `holders`, `within`, `land`"
                )
            };
            cx.err(
                Code::Inconsistent,
                loc.clone(),
                format!("cue `{}` has the wrong fields", c.words.value),
                hint,
            );
            continue;
        }
        let documents = refs.docs.resolve_all(cx, file, &c.documents);
        match accepts {
            None if !documents.is_empty() => {
                cx.err(
                    Code::Inconsistent,
                    loc,
                    format!("procedure cue `{}` names document types", c.words.value),
                    "a procedure's cues qualify every paper; put a cue for some papers on their component",
                );
                continue;
            }
            Some(acc) if documents.iter().any(|d| !acc.contains(d)) => {
                cx.err(
                    Code::Inconsistent,
                    loc,
                    format!(
                        "cue `{}` qualifies a document type the component does not accept",
                        c.words.value
                    ),
                    "list under `documents` only types the component `accepts`",
                );
                continue;
            }
            _ => {}
        }
        let qualifier = match c.cue {
            CueKind::IssuedAbroad => Qualifier::IssuedAbroad,
            CueKind::Surrender => Qualifier::Surrender,
            CueKind::Physical => Qualifier::Physical,
            CueKind::Fallback => Qualifier::Fallback,
            CueKind::Holder => Qualifier::Holder(c.holders.clone()),
            CueKind::Freshness => {
                let w = c.within.expect("checked above");
                Qualifier::Freshness(Duration {
                    count: w.count,
                    unit: w.unit,
                })
            }
            CueKind::Land => Qualifier::Land(c.land.expect("checked above")),
        };
        out.push(Cue {
            qualifier,
            words: c.words.value.clone(),
            documents,
        });
    }
    out
}

/// Every index of the reference data, for resolving references.
pub(crate) struct Refs<'a> {
    pub(crate) strings: &'a Interner,
    pub(crate) agencies: &'a Index,
    pub(crate) provinces: &'a Index,
    pub(crate) docs: &'a Index,
    pub(crate) elements: &'a Index,
    pub(crate) sources: &'a Index,
    pub(crate) legal_docs: &'a Index,
}

fn procedure_of(cx: &mut Cx, file: &str, p: &raw::ProcedureFile, refs: &Refs) -> Option<Procedure> {
    let agency = refs.agencies.resolve(cx, file, &p.agency);
    let legal_basis: Vec<LegalRef> = p
        .legal_basis
        .iter()
        .map(|l| LegalRef {
            number: refs
                .strings
                .get(&normalised_number(cx, file, &l.number).value),
            title: refs.strings.opt(&l.title),
        })
        .collect();
    let own: HashSet<&str> = legal_basis.iter().map(|l| &*l.number).collect();
    let known = |n: &str| own.contains(n) || refs.legal_docs.map.contains_key(n);

    let mut components = Vec::new();
    let mut explicit = Vec::new();
    let mut ids: HashMap<String, Location> = HashMap::new();
    let groups = std::iter::once((None, &p.components)).chain(
        p.cases
            .iter()
            .map(|c| (Some(refs.strings.get(&c.name)), &c.components)),
    );
    for (case, comps) in groups {
        for c in comps {
            let position = components.len() + 1;
            let loc = cx.at(file, &c.text);
            let id = match &c.id {
                Some(id) => {
                    let l = cx.at(file, id);
                    if !ID.is_match(&id.value) {
                        cx.err(
                            Code::MalformedId,
                            l.clone(),
                            format!("component id `{}` is not lower-case kebab-case", id.value),
                            "use ASCII letters, digits and dashes",
                        );
                    }
                    (id.value.clone(), l)
                }
                None => (format!("c{position}"), loc.clone()),
            };
            if let Some(first) = ids.get(&id.0) {
                cx.err(
                    Code::DuplicateId,
                    id.1.clone(),
                    format!("component `{}` is defined twice in this procedure", id.0),
                    format!("first defined at {first}"),
                );
            } else {
                ids.insert(id.0.clone(), id.1.clone());
            }
            cx.text(file, &c.text, "component text");
            if c.quantity.iter().any(|q| q.count == 0) {
                cx.err(
                    Code::OutOfRange,
                    loc.clone(),
                    "a quantity of this component has `count: 0`".into(),
                    "give how many copies are brought (1 or more), or leave the quantity out",
                );
            }
            let role = c.role.unwrap_or(Role::Evidence);
            let (accepts, parts, matched) = parts_of(cx, file, c, refs);
            let cues = cues_of(cx, file, &c.cues, refs, Some(&accepts));
            let already_digital = c
                .already_digital
                .as_ref()
                .map(|a| refs.sources.resolve_all(cx, file, &a.sources))
                .unwrap_or_default();
            if role == Role::Evidence
                && c.accepts.is_empty()
                && c.parts.is_empty()
                && c.already_digital.is_none()
                && c.unrecognised.is_none()
            {
                cx.err(
                    Code::AcceptsNothing,
                    loc.clone(),
                    "this evidence component accepts no document type".into(),
                    "list the accepted types under `accepts:`, mark it `role: form`, or say why it is unrecognised with `unrecognised: …`",
                );
            }
            components.push(Component {
                id: id.0,
                text: c.text.value.clone(),
                role,
                case: case.clone(),
                quantity: c
                    .quantity
                    .iter()
                    .map(|q| Quantity {
                        count: q.count,
                        kind: q.kind,
                    })
                    .collect(),
                accepts,
                parts,
                matched,
                relies_on: refs.elements.resolve_all(cx, file, &c.relies_on),
                already_digital,
                provisions: provisions_of(
                    cx,
                    file,
                    refs.strings,
                    &c.provisions,
                    &known,
                    "list the document under the procedure's `legal_basis`, or in catalog/legal_documents",
                ),
                unrecognised: refs.strings.opt(&c.unrecognised),
                cues,
                location: loc,
                key: String::new(),
                fingerprint: crate::catalogue::identity::fingerprint(&c.text.value),
                review: None,
            });
            explicit.push(c.id.is_some());
        }
    }
    let keys =
        crate::catalogue::identity::keys(components.iter().zip(&explicit).map(|(c, &explicit)| {
            (
                explicit.then_some(c.id.as_str()),
                c.case.as_deref(),
                c.text.as_str(),
            )
        }));
    for (c, k) in components.iter_mut().zip(keys) {
        c.key = k;
    }
    // Built by pushing: the spare room would be held for the whole run.
    components.shrink_to_fit();
    let results = p
        .results
        .iter()
        .map(|r| ResultDoc {
            name: refs.strings.get(&r.name),
            code: r.code.as_ref().map(|c| refs.strings.get(&c.value)),
            document_type: r
                .document_type
                .as_ref()
                .and_then(|d| refs.docs.resolve(cx, file, d)),
        })
        .collect();
    if let Some(v) = &p.annual_volume {
        cx.figure(file, &v.value, "the annual volume");
    }
    for c in &p.channels {
        if let Some(d) = &c.days {
            cx.figure(file, d, "the processing time in days");
        }
    }
    Some(Procedure {
        code: p.code.value.clone(),
        name: p.name.value.clone(),
        agency: agency?,
        sector: refs.strings.opt(&p.sector),
        levels: p.levels.clone(),
        applicants: p.applicants.iter().map(|a| refs.strings.get(a)).collect(),
        handled_by: refs.strings.opt(&p.handled_by),
        annual_volume: p.annual_volume.as_ref().map(param),
        channels: p
            .channels
            .iter()
            .map(|c| Channel {
                kind: c.kind,
                time: refs.strings.opt(&c.time),
                days: c.days.as_ref().map(|d| d.value),
                fee: refs.strings.opt(&c.fee),
            })
            .collect(),
        legal_basis,
        results,
        components,
        cues: cues_of(cx, file, &p.cues, refs, None),
        notes: p.notes.iter().map(|n| refs.strings.get(n)).collect(),
        source: p.source.clone(),
        location: Location::new(cx.path(file), 1, 1),
    })
}

/// Where `words` are in `text` (characters): at `at` when given, else
/// their first occurrence.
fn span_in(
    cx: &mut Cx,
    file: &str,
    text: &crate::text::CharIndex,
    words: &Located<String>,
    at: Option<&Located<u32>>,
) -> Option<Span> {
    let len = words.value.chars().count();
    let start = match at {
        Some(at) => {
            let start = at.value as usize;
            let there = text.take(start, len);
            if there != words.value || len == 0 {
                let loc = cx.at(file, at);
                let hint = match text.as_str().find(words.value.as_str()) {
                    Some(b) if len > 0 => format!(
                        "they are at {}; correct `at` or drop it",
                        text.as_str()[..b].chars().count()
                    ),
                    _ => "write the words exactly as in `text`".to_owned(),
                };
                cx.err(
                    Code::SpanMismatch,
                    loc,
                    format!(
                        "`{}` is not at character {start} of the component's text",
                        words.value
                    ),
                    hint,
                );
                return None;
            }
            start
        }
        None => match text.as_str().find(words.value.as_str()).filter(|_| len > 0) {
            Some(b) => text.as_str()[..b].chars().count(),
            None => {
                let loc = cx.at(file, words);
                cx.err(
                    Code::SpanMismatch,
                    loc,
                    format!("`{}` is not in the component's text", words.value),
                    "write the words exactly as in `text`",
                );
                return None;
            }
        },
    };
    Some(Span {
        start,
        end: start + len,
    })
}

/// A component's accepted document types, its required parts and the
/// words that named each type. A component gives `accepts` (one part) or
/// `parts`, not both.
fn parts_of(
    cx: &mut Cx,
    file: &str,
    c: &raw::RawComponent,
    refs: &Refs,
) -> (Vec<DocIdx>, Vec<Part>, Vec<Match>) {
    let text = &crate::text::CharIndex::new(&c.text.value);
    let mut parts = Vec::new();
    if !c.parts.is_empty() && !c.accepts.is_empty() {
        let loc = cx.at(file, &c.accepts[0]);
        cx.err(
            Code::Inconsistent,
            loc,
            "the component gives both `accepts` and `parts`".into(),
            "list the document types under each part, or give `accepts` alone for a single paper",
        );
    }
    if c.parts.is_empty() {
        let accepts = refs.docs.resolve_all(cx, file, &c.accepts);
        if !accepts.is_empty() {
            parts.push(Part {
                accepts,
                span: None,
            });
        }
    }
    for p in &c.parts {
        let accepts = refs.docs.resolve_all(cx, file, &p.accepts);
        let span = match &p.words {
            Some(w) => span_in(cx, file, text, w, p.at.as_ref()),
            None => {
                if p.accepts.is_empty() {
                    let loc = cx.at(file, &c.text);
                    cx.err(
                        Code::Inconsistent,
                        loc,
                        "a part gives neither its words nor a document type".into(),
                        "give the part's `words` as in `text`, or the types it `accepts`",
                    );
                }
                None
            }
        };
        parts.push(Part { accepts, span });
    }
    let mut accepts: Vec<DocIdx> = Vec::new();
    for d in parts.iter().flat_map(|p| &p.accepts) {
        if !accepts.contains(d) {
            accepts.push(*d);
        }
    }
    let mut matched = Vec::new();
    for m in &c.matched {
        let Some(doc) = refs.docs.resolve(cx, file, &m.document) else {
            continue;
        };
        if !accepts.contains(&doc) {
            let loc = cx.at(file, &m.document);
            cx.err(
                Code::Inconsistent,
                loc,
                format!(
                    "`{}` is matched but the component does not accept it",
                    m.document.value
                ),
                "add it to `accepts` (or a part's `accepts`), or drop the match",
            );
            continue;
        }
        if let Some(span) = span_in(cx, file, text, &m.words, m.at.as_ref()) {
            matched.push(Match { doc, span });
        }
    }
    matched.sort_by_key(|m| m.span);
    (accepts, parts, matched)
}

/// Reports each cycle of a "points to" relation once, at the entry where it
/// is first met. `next[i]` lists the entries `i` points to.
fn report_cycles(
    cx: &mut Cx,
    next: &[Vec<usize>],
    names: &[String],
    index: &Index,
    what: &str,
    hint: &str,
) {
    use petgraph::algo::tarjan_scc;
    use petgraph::graph::DiGraph;
    let mut g = DiGraph::<(), ()>::new();
    let nodes: Vec<_> = (0..next.len()).map(|_| g.add_node(())).collect();
    for (i, ns) in next.iter().enumerate() {
        for &j in ns {
            g.add_edge(nodes[i], nodes[j], ());
        }
    }
    for scc in tarjan_scc(&g) {
        let is_cycle = scc.len() > 1 || next[scc[0].index()].contains(&scc[0].index());
        if !is_cycle {
            continue;
        }
        let mut members: Vec<usize> = scc.iter().map(|n| n.index()).collect();
        members.sort();
        let first = members[0];
        let loc = index.map[&names[first]].1.clone();
        let chain: Vec<&str> = members.iter().map(|&i| names[i].as_str()).collect();
        cx.err(
            Code::Cycle,
            loc,
            format!("{what} form a cycle: {}", chain.join(" → ")),
            hint,
        );
    }
}

fn check_agency_cycles(cx: &mut Cx, agencies: &[Agency], index: &Index) {
    let next: Vec<Vec<usize>> = agencies
        .iter()
        .map(|a| a.parent.into_iter().collect())
        .collect();
    let names: Vec<String> = agencies.iter().map(|a| a.id.clone()).collect();
    report_cycles(
        cx,
        &next,
        &names,
        index,
        "agency parents",
        "an agency cannot be its own ancestor; fix the `parent:` fields",
    );
}

fn check_amendment_cycles(cx: &mut Cx, docs: &[LegalDocument], index: &Index) {
    let next: Vec<Vec<usize>> = docs
        .iter()
        .map(|d| {
            d.amended_by
                .iter()
                .filter_map(|n| index.map.get(n).map(|(i, _)| *i))
                .collect()
        })
        .collect();
    let names: Vec<String> = docs.iter().map(|d| d.number.clone()).collect();
    report_cycles(
        cx,
        &next,
        &names,
        index,
        "`amended_by` links",
        "a document cannot amend one that amends it; fix `amended_by:`",
    );
}
