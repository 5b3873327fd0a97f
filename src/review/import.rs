//! Reading a filled review workbook back: every row validated against the
//! catalogue (its key, the text it was exported with, the decision, the
//! date, the source named), every problem located at `FILE:Sheet!C12`;
//! then the decisions merged into each ministry's `reviews/` file, a later
//! decision on a component replacing the earlier one.

use crate::analysis::Analysis;
use crate::catalogue::identity;
use crate::cells::unneutralise;
use crate::diag::{Code, Diagnostic, Location};
use crate::format::{Located, RawDecision, ReviewFile};
use crate::load::REVIEWS_DIR;
use crate::model::{Catalog, Decision, SourceIdx};
use crate::read::workbook::{self, Sheet, Value};
use crate::review::{parse_decision, parse_key, Column, DECISIONS, SOURCES_SHEET};
use crate::solve::review::is_suggestion;
use crate::text::fold;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// One valid decision read from a workbook.
#[derive(Clone, Debug)]
pub struct Decided {
    pub procedure: usize,
    pub component: usize,
    pub decision: RawDecision,
}

/// The columns of one sheet, by header.
struct Columns(HashMap<&'static str, u32>);

impl Columns {
    fn of(sheet: &Sheet) -> Columns {
        let mut m = HashMap::new();
        let header = sheet.header();
        for (i, v) in header.iter().enumerate() {
            let Some(h) = v.text() else { continue };
            for c in Column::KEPT {
                if fold(c.header()) == fold(&h) {
                    m.entry(c.header()).or_insert(i as u32 + 1);
                }
            }
        }
        Columns(m)
    }
    fn get(&self, c: Column) -> Option<u32> {
        self.0.get(c.header()).copied()
    }
}

fn text_of(v: &Value) -> Option<String> {
    v.text().map(|s| unneutralise(&s).to_owned())
}

/// A date as a reviewer writes it: a date cell, `dd/mm/yyyy` or `YYYY-MM-DD`.
fn date_of(v: &Value) -> Result<Option<crate::date::Date>, String> {
    match v {
        Value::Empty => Ok(None),
        Value::Date(Some(d)) => Ok(Some(*d)),
        Value::Date(None) => Err("the date is out of range".into()),
        Value::Number(n) => Err(format!("`{n}` is a number, not a date")),
        Value::Text(s) | Value::Other(s) => {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            if let Ok(d) = s.parse() {
                return Ok(Some(d));
            }
            let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
            if let [d, m, y] = parts.as_slice() {
                if let (Ok(d), Ok(m), Ok(y)) = (d.parse::<u8>(), m.parse::<u8>(), y.parse::<u16>())
                {
                    if y >= 1900 {
                        if let Some(date) = crate::date::Date::new(y, m, d) {
                            return Ok(Some(date));
                        }
                    }
                }
            }
            Err(format!("`{s}` is not a date"))
        }
    }
}

fn find_source(cat: &Catalog, wanted: &str) -> Option<SourceIdx> {
    let w = fold(wanted);
    cat.sources.iter().position(|s| {
        fold(&s.id) == w || fold(&s.name) == w || s.aliases.iter().any(|a| fold(a) == w)
    })
}

/// Reads and validates every row of the workbook at `path` against the
/// analysis of the catalogue it was exported from. Rows with no reviewer
/// entry are skipped; every problem is reported, and none is written.
pub fn read(a: &Analysis, path: &Path) -> Result<Vec<Decided>, Vec<Diagnostic>> {
    let cat = a.catalog;
    let display = path.display().to_string();
    let sheets = workbook::read(path, &display).map_err(|d| vec![d])?;
    let mut diags = Vec::new();
    let mut decided = Vec::new();
    let mut seen: HashMap<(usize, usize), Location> = HashMap::new();
    let mut review_sheets = 0;
    for sheet in &sheets {
        if sheet.name == SOURCES_SHEET {
            continue;
        }
        let at = |row: u32, col: u32| Location::cell(display.as_str(), &sheet.name, row, col);
        if sheet.is_empty() {
            diags.push(
                Diagnostic::new(Code::WorkbookShape, at(1, 1), "the sheet is empty")
                    .hint("a review sheet keeps the header and rows `tthc review export` wrote; delete the sheet or export the workbook again"),
            );
            continue;
        }
        let cols = Columns::of(sheet);
        let required = [Column::Key, Column::Fingerprint, Column::Decision];
        let missing: Vec<&str> = required
            .iter()
            .filter(|c| cols.get(**c).is_none())
            .map(|c| c.header())
            .collect();
        if !missing.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::WorkbookShape,
                    at(1, 1),
                    format!("the sheet has no column «{}»", missing.join("», «")),
                )
                .hint("review sheets keep the columns `tthc review export` wrote (some are hidden); export the workbook again"),
            );
            continue;
        }
        review_sheets += 1;
        let cell = |row: u32, c: Column| -> (&Value, u32) {
            match cols.get(c) {
                Some(col) => (sheet.cell(row, col), col),
                None => (&Value::Empty, 1),
            }
        };
        for row in 2..=sheet.last_row {
            let (key_v, key_col) = cell(row, Column::Key);
            let (dec_v, dec_col) = cell(row, Column::Decision);
            let (note_v, _) = cell(row, Column::Note);
            let (who_v, _) = cell(row, Column::Reviewer);
            let (date_v, date_col) = cell(row, Column::Date);
            let (src_v, src_col) = cell(row, Column::ProposedSource);
            let entered = [dec_v, note_v, who_v, date_v, src_v]
                .iter()
                .any(|v| **v != Value::Empty && v.text().is_some());
            if !entered {
                continue;
            }
            let mut errs: Vec<Diagnostic> = Vec::new();
            let err = |code: Code, col: u32, msg: String, hint: &str| {
                Diagnostic::new(code, at(row, col), msg).hint(hint)
            };
            // The row's component, as it reads now.
            let key = text_of(key_v).unwrap_or_default();
            let found = parse_key(&key).and_then(|(code, ck)| {
                let pi = cat.procedure_by_code(code)?;
                Some((
                    pi,
                    cat.procedures[pi]
                        .components
                        .iter()
                        .position(|c| c.key == ck),
                ))
            });
            let (pi, ci) = match found {
                Some((pi, Some(ci))) => (pi, ci),
                Some((pi, None)) => {
                    // A key that is gone: the text was edited since the
                    // export (stale), unless the row's own text is still
                    // there under another key (the key was edited).
                    let exported = text_of(cell(row, Column::Text).0).unwrap_or_default();
                    let fp = text_of(cell(row, Column::Fingerprint).0).unwrap_or_default();
                    let comps = &cat.procedures[pi].components;
                    let edited_key = comps.iter().any(|c| c.fingerprint == fp);
                    let texts = comps.iter().map(|c| c.text.as_str()).enumerate();
                    if !edited_key && identity::most_alike(&exported, texts).is_some() {
                        errs.push(err(
                            Code::Stale,
                            key_col,
                            format!(
                                "the text of component `{key}` changed since the export (stale)"
                            ),
                            "export the workbook again and decide on the component as it reads now",
                        ));
                    } else {
                        errs.push(err(Code::UnknownKey, key_col, format!("no component of procedure {} has the key `{key}`", cat.procedures[pi].code),
                            "the hidden column «Khóa» must stay as exported; export the workbook again"));
                    }
                    diags.extend(errs);
                    continue;
                }
                None => {
                    errs.push(err(
                        Code::UnknownKey,
                        key_col,
                        if key.is_empty() {
                            "the row has a decision but no key".into()
                        } else {
                            format!("the key `{key}` names no component of the catalogue")
                        },
                        "the hidden column «Khóa» must stay as exported; export the workbook again",
                    ));
                    diags.extend(errs);
                    continue;
                }
            };
            let c = &cat.procedures[pi].components[ci];
            let v = &a.verdicts[pi][ci];
            let fp = text_of(cell(row, Column::Fingerprint).0).unwrap_or_default();
            if fp != c.fingerprint {
                errs.push(err(
                    Code::Stale,
                    cell(row, Column::Fingerprint).1,
                    format!("the text of component `{key}` changed since the export (stale)"),
                    "export the workbook again and decide on the component as it reads now",
                ));
            }
            let decision = match text_of(dec_v) {
                None => {
                    errs.push(err(
                        Code::BadDecision,
                        dec_col,
                        "the row has reviewer entries but no decision".into(),
                        "choose a decision in the list, or clear the row",
                    ));
                    None
                }
                Some(t) => match parse_decision(&t) {
                    Some(d) => Some(d),
                    None => {
                        let list: Vec<&str> = DECISIONS.iter().map(|(_, l)| *l).collect();
                        errs.push(err(
                            Code::BadDecision,
                            dec_col,
                            format!("`{t}` is not a decision of the list"),
                            &format!("choose one of: {}", list.join("; ")),
                        ));
                        None
                    }
                },
            };
            let date = match date_of(date_v) {
                Ok(d) => d,
                Err(msg) => {
                    errs.push(err(
                        Code::MalformedDate,
                        date_col,
                        msg,
                        "write the date as dd/mm/yyyy, e.g. 15/02/2026, or leave it empty",
                    ));
                    None
                }
            };
            let proposed = match text_of(src_v) {
                None => None,
                Some(s) => match find_source(cat, &s) {
                    Some(i) => Some(i),
                    None => {
                        let hint = crate::text::did_you_mean(
                            &s,
                            cat.sources.iter().map(|x| x.name.as_str()),
                        )
                        .map(|x| format!("did you mean `{x}`?"))
                        .unwrap_or_else(|| {
                            format!("choose a source of the sheet «{SOURCES_SHEET}»")
                        });
                        errs.push(err(
                            Code::UnknownReference,
                            src_col,
                            format!("unknown data source `{s}`"),
                            &hint,
                        ));
                        None
                    }
                },
            };
            let sources: Vec<SourceIdx> = match proposed {
                Some(s) => vec![s],
                None if is_suggestion(v.verdict) => v.sources.clone(),
                None => vec![],
            };
            if decision == Some(Decision::Accepted) && sources.is_empty() && errs.is_empty() {
                errs.push(err(
                    Code::MissingSource,
                    if cols.get(Column::ProposedSource).is_some() {
                        src_col
                    } else {
                        dec_col
                    },
                    "the machine keeps this paper; a decision to cut it names the data source"
                        .into(),
                    "choose the source that replaces it in «Nguồn dữ liệu đề xuất»",
                ));
            }
            if let Some(first) = seen.get(&(pi, ci)) {
                errs.push(err(
                    Code::DuplicateId,
                    key_col,
                    format!("component `{key}` is decided twice in the workbook"),
                    &format!("first decided at {first}; keep one row per component"),
                ));
            }
            seen.entry((pi, ci)).or_insert_with(|| at(row, key_col));
            if !errs.is_empty() {
                diags.extend(errs);
                continue;
            }
            let Some(decision) = decision else { continue };
            decided.push(Decided {
                procedure: pi,
                component: ci,
                decision: RawDecision {
                    procedure: Located::new(cat.procedures[pi].code.clone()),
                    component: Located::new(c.key.clone()),
                    fingerprint: Located::new(c.fingerprint.clone()),
                    text: c.text.clone(),
                    decision: Located::new(decision),
                    sources: sources
                        .iter()
                        .map(|&s| Located::new(cat.sources[s].id.clone()))
                        .collect(),
                    note: text_of(note_v),
                    reviewer: text_of(who_v),
                    date: date.map(|d| Located::new(d.to_string())),
                    origin: Some(at(row, dec_col).to_string()),
                },
            });
        }
    }
    if review_sheets == 0 && diags.is_empty() {
        diags.push(
            Diagnostic::new(
                Code::WorkbookShape,
                Location::new(display.as_str(), 0, 0),
                "the workbook has no review sheet",
            )
            .hint("give a workbook written by `tthc review export`"),
        );
    }
    if diags.is_empty() {
        Ok(decided)
    } else {
        Err(diags)
    }
}

/// What merging did for one ministry's file.
#[derive(Clone, Debug, Default)]
pub struct Merge {
    /// The file, relative to the catalogue.
    pub path: PathBuf,
    pub ministry: String,
    /// Decisions on components not decided before.
    pub new: usize,
    /// Decisions that replace a different earlier one.
    pub replaced: usize,
    /// Decisions the same as before.
    pub unchanged: usize,
    /// Decisions in the file after merging.
    pub total: usize,
}

fn raw_of(cat: &Catalog, r: &crate::model::Review) -> RawDecision {
    RawDecision {
        procedure: Located::new(r.procedure.clone()),
        component: Located::new(r.component.clone()),
        fingerprint: Located::new(r.fingerprint.clone()),
        text: r.text.clone(),
        decision: Located::new(r.decision),
        sources: r
            .sources
            .iter()
            .map(|&s| Located::new(cat.sources[s].id.clone()))
            .collect(),
        note: r.note.clone(),
        reviewer: r.reviewer.clone(),
        date: r.date.map(|d| Located::new(d.to_string())),
        origin: r.origin.clone(),
    }
}

fn same(a: &RawDecision, b: &RawDecision) -> bool {
    let ids = |d: &RawDecision| {
        d.sources
            .iter()
            .map(|s| s.value.clone())
            .collect::<Vec<_>>()
    };
    a.fingerprint.value == b.fingerprint.value
        && a.decision.value == b.decision.value
        && ids(a) == ids(b)
        && a.note == b.note
        && a.reviewer == b.reviewer
        && a.date.as_ref().map(|d| &d.value) == b.date.as_ref().map(|d| &d.value)
}

/// The header of a review file.
const HEADER: &str = "# Decisions of the review rounds, written by `tthc review import`.\n# A later decision on a component replaces the earlier one.\n";

/// Files to write: path relative to the catalogue → content.
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

/// Merges `decided` into the earlier decisions of each ministry: the files
/// to write and what changed in each.
pub fn merge(cat: &Catalog, decided: &[Decided]) -> Result<(Files, Vec<Merge>), String> {
    let mut by_ministry: BTreeMap<usize, Vec<&Decided>> = BTreeMap::new();
    for d in decided {
        by_ministry
            .entry(cat.procedures[d.procedure].agency)
            .or_default()
            .push(d);
    }
    let mut files = BTreeMap::new();
    let mut merges = Vec::new();
    for (m, ds) in by_ministry {
        let id = &cat.agencies[m].id;
        let mut m_stats = Merge {
            path: Path::new(REVIEWS_DIR).join(format!("{id}.yaml")),
            ministry: id.clone(),
            ..Merge::default()
        };
        // Earlier decisions, and the component each one is attached to.
        let mut attached: HashMap<usize, (usize, usize)> = HashMap::new();
        for (pi, p) in cat.procedures.iter().enumerate() {
            for (ci, c) in p.components.iter().enumerate() {
                if let Some(r) = c.review {
                    attached.insert(r, (pi, ci));
                }
            }
        }
        let mut kept: Vec<(Option<(usize, usize)>, RawDecision)> = cat
            .reviews
            .iter()
            .enumerate()
            .filter(|(_, r)| r.ministry == m)
            .map(|(i, r)| (attached.get(&i).copied(), raw_of(cat, r)))
            .collect();
        for d in ds {
            let target = (d.procedure, d.component);
            let key = (&d.decision.procedure.value, &d.decision.component.value);
            let before = kept.len();
            let mut was_same = false;
            kept.retain(|(at, r)| {
                let hit = *at == Some(target) || (&r.procedure.value, &r.component.value) == key;
                if hit {
                    was_same |= same(r, &d.decision);
                }
                !hit
            });
            match (before - kept.len(), was_same) {
                (0, _) => m_stats.new += 1,
                (_, true) => m_stats.unchanged += 1,
                (_, false) => m_stats.replaced += 1,
            }
            kept.push((Some(target), d.decision.clone()));
        }
        let mut decisions: Vec<RawDecision> = kept.into_iter().map(|(_, r)| r).collect();
        decisions.sort_by(|x, y| {
            (&x.procedure.value, &x.component.value).cmp(&(&y.procedure.value, &y.component.value))
        });
        m_stats.total = decisions.len();
        let file = ReviewFile {
            ministry: Located::new(id.clone()),
            decisions,
        };
        let body = serde_saphyr::to_string(&file).map_err(|e| e.to_string())?;
        files.insert(m_stats.path.clone(), format!("{HEADER}{body}").into_bytes());
        merges.push(m_stats);
    }
    Ok((files, merges))
}
