//! Importers: National Public Service Portal records and one-row-per-
//! component tables become procedure YAML. Both recognise each component
//! with [`crate::recognise`], collect every problem as a located
//! diagnostic, and produce files in memory; writing is all or nothing.

pub mod portal;
pub mod table;

use crate::diag::{Code, Diagnostic, Location};
use crate::format::{
    CopyKind, CueKind, Located, ProcedureFile, RawCase, RawComponent, RawCue, RawMatch, RawPart,
    RawProvision, RawQuantity, Ref, Role,
};
use crate::model::{AgencyIdx, Catalog, DocIdx, Span};
use crate::recognise::Recognised;
use crate::text::fold;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// The import report written beside the procedures.
pub const REPORT: &str = "import-report.md";

/// What an import produced, before anything is written.
#[derive(Debug, Default)]
pub struct Imported {
    /// Relative path → procedure.
    pub files: BTreeMap<PathBuf, ProcedureFile>,
    /// Problems (errors stop the import) and notices (normalised codes).
    pub diagnostics: Vec<Diagnostic>,
    pub report: Report,
}

/// Figures for a reviewer.
#[derive(Debug, Default)]
pub struct Report {
    pub inputs: usize,
    pub procedures: usize,
    pub components: usize,
    pub forms: usize,
    pub notes: usize,
    pub already_digital: usize,
    /// Document type name → components accepting it.
    pub by_document: BTreeMap<String, usize>,
    /// (text, file) of components no document type matched.
    pub unrecognised: Vec<(String, String)>,
    /// (as written, normalised, where) for procedure codes fixed on import.
    pub code_fixes: Vec<(String, String, String)>,
}

impl Report {
    /// Adds another report's figures to this one (lists keep their order).
    pub fn merge(&mut self, other: Report) {
        self.inputs += other.inputs;
        self.procedures += other.procedures;
        self.components += other.components;
        self.forms += other.forms;
        self.notes += other.notes;
        self.already_digital += other.already_digital;
        for (d, n) in other.by_document {
            *self.by_document.entry(d).or_default() += n;
        }
        self.unrecognised.extend(other.unrecognised);
        self.code_fixes.extend(other.code_fixes);
    }

    /// Share of evidence components left unrecognised.
    pub fn unrecognised_share(&self) -> f64 {
        let evidence = self.components - self.forms;
        if evidence == 0 {
            0.0
        } else {
            self.unrecognised.len() as f64 / evidence as f64
        }
    }

    /// The most frequent unrecognised texts with their counts; texts that
    /// differ only in case, accents, punctuation or list markers count as one.
    pub fn top_unrecognised(&self, n: usize) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, (&str, usize)> = BTreeMap::new();
        for (t, _) in &self.unrecognised {
            let key = crate::recognise::strip_marker(&fold(t)).to_owned();
            counts.entry(key).or_insert((t.as_str(), 0)).1 += 1;
        }
        let mut v: Vec<(String, usize)> = counts
            .into_values()
            .map(|(t, c)| (t.to_owned(), c))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(n);
        v
    }

    /// The report as Markdown.
    pub fn markdown(&self, title: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# {title}\n");
        let _ = writeln!(s, "| | |\n|---|---:|");
        let _ = writeln!(s, "| input records | {} |", self.inputs);
        let _ = writeln!(s, "| procedures | {} |", self.procedures);
        let _ = writeln!(s, "| dossier components | {} |", self.components);
        let _ = writeln!(s, "| forms and declarations | {} |", self.forms);
        let _ = writeln!(
            s,
            "| already taken from a database | {} |",
            self.already_digital
        );
        let _ = writeln!(s, "| notes kept aside (not papers) | {} |", self.notes);
        let _ = writeln!(
            s,
            "| unrecognised evidence components | {} ({:.1}%) |",
            self.unrecognised.len(),
            self.unrecognised_share() * 100.0
        );
        if !self.code_fixes.is_empty() {
            let _ = writeln!(s, "\n## Procedure codes normalised\n");
            for (from, to, at) in &self.code_fixes {
                // Codes read as codes hold only digits, dots and commas.
                let _ = writeln!(s, "- `{from}` → `{to}` ({})", md(at));
            }
        }
        let _ = writeln!(s, "\n## Components recognised, by document type\n");
        let mut by: Vec<(&String, &usize)> = self.by_document.iter().collect();
        by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (d, n) in by {
            let _ = writeln!(s, "- {}: {n}", md(d));
        }
        let _ = writeln!(s, "\n## Most frequent unrecognised texts\n");
        for (t, n) in self.top_unrecognised(10) {
            let _ = writeln!(s, "- ({n}×) {}", md(&t));
        }
        let _ = writeln!(
            s,
            "\n## Every unrecognised component\n\nAdd aliases to `catalog/document_types.yaml` for the papers among these.\n"
        );
        for (t, f) in &self.unrecognised {
            let _ = writeln!(s, "- {}: {}", md(f), md(t));
        }
        s
    }
}

/// Input text in the Markdown report: escaped, on one line.
fn md(s: &str) -> String {
    crate::text::markdown_text(&one_line(s))
}

/// Finds an agency by id, name or alias, diacritic- and case-insensitively.
pub fn find_agency(cat: &Catalog, name: &str) -> Option<AgencyIdx> {
    let w = fold(name);
    if w.is_empty() {
        return None;
    }
    cat.agencies.iter().position(|a| {
        fold(&a.id) == w || fold(&a.name) == w || a.aliases.iter().any(|x| fold(x) == w)
    })
}

/// Turns one recognised dossier line into a component, recording it in
/// the report. `text` is the line exactly as recognised (spans are
/// character offsets into it).
pub fn component(
    cat: &Catalog,
    text: &str,
    mut r: Recognised,
    quantity: Vec<RawQuantity>,
    extra_provisions: Vec<RawProvision>,
    file: &str,
    report: &mut Report,
) -> RawComponent {
    report.components += 1;
    let mut quantity = quantity;
    if let Some(kind) = r.copy_kind {
        if kind == CopyKind::CertifiedCopy {
            for q in &mut quantity {
                if q.kind == CopyKind::Copy {
                    q.kind = CopyKind::CertifiedCopy;
                }
            }
        }
        if quantity.is_empty() {
            quantity.push(RawQuantity { count: 1, kind });
        }
    }
    let mut provisions: Vec<RawProvision> = r
        .provisions
        .iter()
        .map(|p| RawProvision {
            document: Located::new(p.document.to_string()),
            provision: p.provision.as_deref().map(str::to_owned),
            form: p.form.as_deref().map(str::to_owned),
        })
        .collect();
    for p in extra_provisions {
        if !provisions
            .iter()
            .any(|q| q.document.value == p.document.value)
        {
            provisions.push(p);
        }
    }
    let reading = crate::read::cues::read(cat, text, &r.matched());
    r.drop_docs(&reading.qualifiers);
    let role = r.role;
    if role == Some(Role::Form) {
        report.forms += 1;
    } else if !r.already_digital.is_empty() {
        report.already_digital += 1;
    }
    let (accepts, parts, matched) = raw_parts(cat, text, &r);
    for d in r.accepts() {
        *report
            .by_document
            .entry(cat.document_types[d].name.clone())
            .or_default() += 1;
    }
    let unrecognised = r.is_unrecognised().then(|| {
        report.unrecognised.push((one_line(text), file.to_owned()));
        "nhập tự động: không khớp tên hay cách viết nào đã biết".to_owned()
    });
    RawComponent {
        id: None,
        text: Located::new(text.to_owned()),
        role,
        quantity,
        accepts,
        parts,
        matched,
        relies_on: vec![],
        already_digital: (!r.already_digital.is_empty()).then(|| {
            crate::format::RawAlreadyDigital {
                sources: r
                    .already_digital
                    .iter()
                    .map(|&s| Located::new(cat.sources[s].id.clone()))
                    .collect(),
                note: None,
            }
        }),
        provisions,
        unrecognised,
        cues: reading.cues,
        notes: vec![],
    }
}

/// A case whose name says its papers are asked only when the data cannot
/// be read (`Trường hợp … kết nối bị gián đoạn thì hồ sơ phải kèm theo`):
/// a fallback cue on every paper its components accept, unless a
/// component's own text already gives one.
pub fn case_cues(cat: &Catalog, case: &mut RawCase) {
    let Some((words, sources)) = crate::read::cues::case_fallback(cat, &case.name) else {
        return;
    };
    let served = |id: &str| {
        cat.document_types
            .iter()
            .position(|d| d.id == id)
            .is_some_and(|d| {
                sources
                    .iter()
                    .any(|&s| crate::read::cues::serves(cat, s, d))
            })
    };
    for c in &mut case.components {
        if c.role.is_some() || c.cues.iter().any(|q| q.cue == CueKind::Fallback) {
            continue;
        }
        let mut documents: Vec<Ref> = Vec::new();
        for d in c
            .accepts
            .iter()
            .chain(c.parts.iter().flat_map(|p| &p.accepts))
        {
            if served(&d.value) && !documents.iter().any(|x| x.value == d.value) {
                documents.push(Located::new(d.value.clone()));
            }
        }
        if documents.is_empty() {
            continue;
        }
        c.cues.push(RawCue {
            cue: CueKind::Fallback,
            words: Located::new(words.clone()),
            documents,
            holders: vec![],
            within: None,
            land: None,
        });
    }
}

/// A procedure whose name says it takes in a paper (`Cấp đổi thẻ thường
/// trú`): each component asking for that paper alone (the whole component,
/// or one of its required parts) asks for the old paper, to be surrendered
/// or endorsed — a surrender cue, unless the component already has one.
/// A component offering it among other papers is left as it is.
pub fn procedure_surrender<'a>(
    rec: &crate::recognise::Recogniser,
    name: &str,
    components: impl Iterator<Item = &'a mut RawComponent>,
) {
    let Some((words, doc)) = crate::read::cues::procedure_surrender(rec, name) else {
        return;
    };
    let id = &rec.catalog().document_types[doc].id;
    let alone = |accepts: &[Ref]| accepts.len() == 1 && accepts[0].value == *id;
    let among_others =
        |accepts: &[Ref]| accepts.len() > 1 && accepts.iter().any(|r| r.value == *id);
    for c in components {
        if c.role.is_some() || c.cues.iter().any(|q| q.cue == CueKind::Surrender) {
            continue;
        }
        let asks = if c.parts.is_empty() {
            alone(&c.accepts)
        } else {
            c.parts.iter().any(|p| alone(&p.accepts))
                && !c.parts.iter().any(|p| among_others(&p.accepts))
        };
        if !asks {
            continue;
        }
        c.cues.push(RawCue {
            cue: CueKind::Surrender,
            words: Located::new(words.clone()),
            documents: vec![Located::new(id.clone())],
            holders: vec![],
            within: None,
            land: None,
        });
    }
}

/// The words of `text` in `span`, and where they start, for the YAML.
fn words_at(text: &CharIndex, span: Span) -> (Located<String>, Option<Located<u32>>) {
    let words = text.take(span.start, span.end.saturating_sub(span.start));
    (
        Located::new(words.to_owned()),
        Some(Located::new(u32::try_from(span.start).unwrap_or(u32::MAX))),
    )
}

/// A recognised line as the YAML writes it: `accepts` for one required
/// part, `parts` for several, and the words that named each type.
fn raw_parts(cat: &Catalog, text: &str, r: &Recognised) -> (Vec<Ref>, Vec<RawPart>, Vec<RawMatch>) {
    let id = |d: DocIdx| Located::new(cat.document_types[d].id.clone());
    let accepts = r.accepts();
    if accepts.is_empty() {
        return (vec![], vec![], vec![]);
    }
    let text = &CharIndex::new(text);
    let matched = r
        .matched()
        .into_iter()
        .map(|(d, span)| {
            let (words, at) = words_at(text, span);
            RawMatch {
                document: id(d),
                words,
                at,
            }
        })
        .collect();
    if r.parts.len() == 1 {
        return (accepts.into_iter().map(id).collect(), vec![], matched);
    }
    let parts = r
        .parts
        .iter()
        .map(|p| {
            let (words, at) = words_at(text, p.span);
            RawPart {
                words: Some(words),
                at,
                accepts: p.docs().into_iter().map(id).collect(),
            }
        })
        .collect();
    (vec![], parts, matched)
}

pub use crate::text::one_line;
use crate::text::CharIndex;

/// Serialises a procedure as YAML with a header comment.
pub fn to_yaml(p: &ProcedureFile, origin: &str) -> Result<String, String> {
    let body = serde_saphyr::to_string(p).map_err(|e| e.to_string())?;
    Ok(format!(
        "# Imported by `tthc import` from {origin}. Review before editing by hand.\n{body}"
    ))
}

/// Renders every imported procedure as YAML, keyed by relative path.
pub fn render(imported: &Imported, origin: &str) -> Result<BTreeMap<PathBuf, Vec<u8>>, Diagnostic> {
    imported
        .files
        .iter()
        .map(|(rel, p)| {
            to_yaml(p, origin)
                .map(|y| (rel.clone(), y.into_bytes()))
                .map_err(|e| {
                    Diagnostic::new(
                        Code::Io,
                        Location::new(rel.display().to_string(), 0, 0),
                        format!("cannot serialise: {e}"),
                    )
                })
        })
        .collect()
}

/// `<agency-id>/<code>.yaml`.
pub fn rel_path(cat: &Catalog, agency: AgencyIdx, code: &str) -> PathBuf {
    PathBuf::from(&cat.agencies[agency].id).join(format!("{code}.yaml"))
}
