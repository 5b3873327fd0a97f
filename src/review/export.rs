//! The review workbook: per ministry, a sheet of the machine's suggested
//! cuts and a sheet of the papers it kept although their document type is
//! held by a data source (so a reviewer can propose what the machine
//! missed). Machine columns are locked, reviewer columns unlocked with a
//! drop-down for the decision and for the source, the header frozen with
//! filters, and a hidden key and fingerprint identify each row.

use crate::analysis::{Analysis, ComponentVerdict, Verdict};
use crate::cells::write_text;
use crate::model::{AgencyIdx, Catalog, Component, DocIdx, Role, SourceIdx};
use crate::phrase;
use crate::review::{label, row_key, Column, DECISIONS, SOURCES_SHEET};
use crate::solve::review::{is_suggestion, ReviewState};
use crate::text::fold;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format,
    FormatAlign, Formula, ProtectionOptions, Worksheet, XlsxError,
};

/// Which sheet a row goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetKind {
    /// The machine suggests cutting the paper.
    Suggested,
    /// The machine keeps a paper of a data-backed document type.
    Kept,
}

impl SheetKind {
    pub fn columns(self) -> Vec<Column> {
        match self {
            SheetKind::Suggested => Column::suggested(),
            SheetKind::Kept => Column::KEPT.to_vec(),
        }
    }
}

/// The words of data-backed document families: names and aliases of the
/// document types a source holds (whole or an element of), of the sources,
/// and of the elements a source serves, folded for matching.
pub struct Families {
    /// Per document type: whether a source holds it.
    backed: Vec<bool>,
    /// (folded phrase between spaces, phrase as written, the name it stands for).
    phrases: Vec<(String, String, String)>,
}

impl Families {
    pub fn new(cat: &Catalog) -> Families {
        let backed: Vec<bool> = (0..cat.document_types.len())
            .map(|d| holders(cat, d).next().is_some())
            .collect();
        let mut phrases = Vec::new();
        let mut add = |name: &str, aliases: &[String]| {
            for p in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
                let f = fold(p);
                if !f.is_empty() {
                    phrases.push((format!(" {f} "), p.to_owned(), name.to_owned()));
                }
            }
        };
        for (d, doc) in cat.document_types.iter().enumerate() {
            if backed[d] {
                add(&doc.name, &doc.aliases);
            }
        }
        for s in &cat.sources {
            add(&s.name, &s.aliases);
        }
        for (e, el) in cat.elements.iter().enumerate() {
            if cat.sources.iter().any(|s| s.elements.contains(&e)) {
                add(&el.name, &el.aliases);
            }
        }
        // Longest first: the most specific words are shown.
        phrases.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        Families { backed, phrases }
    }

    /// The family words a text contains (whole words), as written in the
    /// catalogue, each with the name it stands for.
    pub fn named_in(&self, text: &str) -> Vec<(&str, &str)> {
        let hay = format!(" {} ", fold(text));
        let mut out: Vec<(&str, &str)> = Vec::new();
        for (f, p, name) in &self.phrases {
            if hay.contains(f.as_str()) && !out.iter().any(|(_, n)| *n == name.as_str()) {
                out.push((p, name));
            }
        }
        out
    }

    /// The sheet a component's row goes on, if any: the machine's
    /// suggestions; and the papers it keeps that accept a data-backed
    /// document type or name the words of a family.
    pub fn sheet_of(&self, c: &Component, v: &ComponentVerdict) -> Option<SheetKind> {
        if is_suggestion(v.verdict) {
            Some(SheetKind::Suggested)
        } else if v.verdict == Verdict::Keep
            && c.role == Role::Evidence
            && (c.accepts.iter().any(|&d| self.backed[d]) || !self.named_in(&c.text).is_empty())
        {
            Some(SheetKind::Kept)
        } else {
            None
        }
    }
}

/// The sources that hold a document type, whole or in part.
fn holders(cat: &Catalog, d: DocIdx) -> impl Iterator<Item = SourceIdx> + '_ {
    let doc = &cat.document_types[d];
    cat.sources
        .iter()
        .enumerate()
        .filter(move |(_, s)| {
            s.documents.contains(&d) || doc.elements.iter().any(|e| s.elements.contains(e))
        })
        .map(|(i, _)| i)
}

/// The catalogue's words for each accepted document type that the text
/// contains (diacritic- and case-insensitively, whole words), with the
/// type; on the kept sheet, the family words too.
fn words(cat: &Catalog, fam: &Families, kind: SheetKind, c: &Component) -> String {
    let family: Vec<String> = match kind {
        SheetKind::Suggested => vec![],
        SheetKind::Kept => fam
            .named_in(&c.text)
            .into_iter()
            .map(|(w, name)| phrase::words_naming(w, name))
            .collect(),
    };
    // The words recognition matched; for a component written by hand
    // without them, the longest name or alias of each accepted type found
    // in the text.
    let machine = if c.matched.is_empty() {
        let text = format!(" {} ", fold(&c.text));
        c.accepts
            .iter()
            .map(|&d| {
                let doc = &cat.document_types[d];
                std::iter::once(&doc.name)
                    .chain(&doc.aliases)
                    .filter(|a| {
                        let f = fold(a);
                        !f.is_empty() && text.contains(&format!(" {f} "))
                    })
                    .max_by_key(|a| fold(a).len())
                    .map_or_else(|| doc.name.clone(), |w| phrase::words_naming(w, &doc.name))
            })
            .collect()
    } else {
        phrase::matched_words(cat, c)
    };
    machine
        .into_iter()
        .chain(family)
        .collect::<Vec<_>>()
        .join("; ")
}

fn names(cat: &Catalog, ss: &[SourceIdx]) -> String {
    ss.iter()
        .map(|&s| cat.sources[s].name.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn basis(cat: &Catalog, ss: &[SourceIdx]) -> String {
    ss.iter()
        .filter(|&&s| !cat.sources[s].legal_basis.is_empty())
        .map(|&s| {
            let src = &cat.sources[s];
            let b: Vec<String> = src.legal_basis.iter().map(phrase::provision_text).collect();
            format!("{}: {}", src.name, b.join("; "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A sheet name Excel accepts (at most 31 characters, none of `[]:*?/\`),
/// unique in the workbook.
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    let fit = |s: &str, max: usize| -> String {
        if s.chars().count() > max {
            let mut t: String = s.chars().take(max - 1).collect();
            t.push('…');
            t
        } else {
            s.to_owned()
        }
    };
    let mut name = fit(&clean, 31);
    let mut n = 2;
    while taken.iter().any(|t| fold(t) == fold(&name)) {
        let suffix = format!(" ({n})");
        name = format!("{}{suffix}", fit(&clean, 31 - suffix.chars().count()));
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// What was exported.
#[derive(Debug)]
pub struct Exported {
    pub bytes: Vec<u8>,
    /// Sheet name and its number of rows.
    pub sheets: Vec<(String, usize)>,
}

struct Formats {
    header: Format,
    machine: Format,
    reviewer: Format,
    date: Format,
}

/// The review workbook of the analysis, for one ministry or all.
pub fn export(a: &Analysis, ministry: Option<AgencyIdx>) -> Result<Exported, XlsxError> {
    let cat = a.catalog;
    let fam = Families::new(cat);
    let mut agencies: Vec<AgencyIdx> = cat.procedures.iter().map(|p| p.agency).collect();
    agencies.sort_by(|x, y| cat.agencies[*x].name.cmp(&cat.agencies[*y].name));
    agencies.dedup();
    agencies.retain(|&m| ministry.is_none_or(|w| w == m));

    let formats = Formats {
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color("#D9E2F3"),
        machine: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        reviewer: Format::new()
            .set_unlocked()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color("#FFF2CC"),
        date: Format::new()
            .set_unlocked()
            .set_align(FormatAlign::Top)
            .set_num_format("dd/mm/yyyy")
            .set_background_color("#FFF2CC"),
    };
    let mut wb = crate::write::cells::workbook(a.as_of)?;
    let mut taken = vec![SOURCES_SHEET.to_owned()];
    let mut sheets = Vec::new();
    let kinds: Vec<Vec<Option<SheetKind>>> = cat
        .procedures
        .iter()
        .zip(&a.verdicts)
        .map(|(p, vs)| {
            p.components
                .iter()
                .zip(vs)
                .map(|(c, v)| fam.sheet_of(c, v))
                .collect()
        })
        .collect();
    for m in agencies {
        let name = &cat.agencies[m].name;
        for kind in [SheetKind::Suggested, SheetKind::Kept] {
            let rows: Vec<(usize, usize)> = cat
                .procedures
                .iter()
                .enumerate()
                .filter(|(_, p)| p.agency == m)
                .flat_map(|(pi, _)| {
                    let kinds = &kinds[pi];
                    (0..kinds.len())
                        .filter(move |&ci| kinds[ci] == Some(kind))
                        .map(move |ci| (pi, ci))
                })
                .collect();
            let title = match kind {
                SheetKind::Suggested => name.clone(),
                SheetKind::Kept => format!("Bổ sung - {name}"),
            };
            let sheet = sheet_name(&title, &mut taken);
            let ws = wb.add_worksheet();
            ws.set_name(&sheet)?;
            fill(ws, a, &fam, kind, &rows, &formats)?;
            sheets.push((sheet, rows.len()));
        }
    }
    let list = wb.add_worksheet();
    list.set_name(SOURCES_SHEET)?;
    list.write_string_with_format(0, 0, "Nguồn dữ liệu", &formats.header)?;
    list.write_string_with_format(0, 1, "Mã", &formats.header)?;
    for (i, s) in cat.sources.iter().enumerate() {
        write_text(list, i as u32 + 1, 0, &s.name, None)?;
        write_text(list, i as u32 + 1, 1, &s.id, None)?;
    }
    list.set_column_width(0, 60)?;
    list.set_column_width(1, 30)?;
    list.set_hidden(true);
    list.protect();
    Ok(Exported {
        bytes: wb.save_to_buffer()?,
        sheets,
    })
}

fn width(c: Column) -> f64 {
    match c {
        Column::Code => 10.0,
        Column::Name | Column::Text | Column::Reason => 45.0,
        Column::Case | Column::Reviewer | Column::Suggestion => 18.0,
        Column::Words | Column::Sources | Column::SourceBasis | Column::Provisions => 32.0,
        Column::Decision | Column::ProposedSource | Column::Note => 24.0,
        Column::Date => 12.0,
        Column::Key | Column::Fingerprint => 20.0,
    }
}

fn fill(
    ws: &mut Worksheet,
    a: &Analysis,
    fam: &Families,
    kind: SheetKind,
    rows: &[(usize, usize)],
    f: &Formats,
) -> Result<(), XlsxError> {
    let cat = a.catalog;
    let cols = kind.columns();
    let col = |c: Column| cols.iter().position(|&x| x == c).unwrap_or(0) as u16;
    for (i, &c) in cols.iter().enumerate() {
        let i = i as u16;
        write_text(ws, 0, i, c.header(), Some(&f.header))?;
        ws.set_column_width(i, width(c))?;
        if c == Column::Date {
            ws.set_column_format(i, &f.date)?;
        } else if c.is_reviewer() {
            ws.set_column_format(i, &f.reviewer)?;
        }
        if c.is_hidden() {
            ws.set_column_hidden(i)?;
        }
    }
    for (r, &(pi, ci)) in rows.iter().enumerate() {
        let row = r as u32 + 1;
        let p = &cat.procedures[pi];
        let c = &p.components[ci];
        let v = &a.verdicts[pi][ci];
        let shown_sources: Vec<SourceIdx> = match kind {
            SheetKind::Suggested => v.sources.clone(),
            SheetKind::Kept => {
                let named: Vec<&str> = fam.named_in(&c.text).into_iter().map(|x| x.1).collect();
                let mut ss: Vec<SourceIdx> = c
                    .accepts
                    .iter()
                    .flat_map(|&d| holders(cat, d))
                    .chain(
                        cat.sources
                            .iter()
                            .enumerate()
                            .filter(|(_, s)| named.contains(&s.name.as_str()))
                            .map(|(i, _)| i),
                    )
                    .collect();
                ss.sort();
                ss.dedup();
                ss
            }
        };
        // An earlier decision on the same text is shown for the next round.
        let earlier = cat
            .review_of(c)
            .filter(|_| v.review.is_some_and(|s| s != ReviewState::Stale));
        for &column in &cols {
            let i = col(column);
            let text = match column {
                Column::Code => p.code.clone(),
                Column::Name => p.name.clone(),
                Column::Case => c.case.as_deref().unwrap_or_default().to_owned(),
                Column::Text => c.text.clone(),
                Column::Words => words(cat, fam, kind, c),
                Column::Suggestion => v.verdict.vi().to_owned(),
                Column::Sources => names(cat, &shown_sources),
                Column::SourceBasis => basis(cat, &shown_sources),
                Column::Provisions => c
                    .provisions
                    .iter()
                    .map(phrase::provision_text)
                    .collect::<Vec<_>>()
                    .join("; "),
                Column::Reason => phrase::reason(cat, c, v),
                Column::Decision => earlier
                    .map(|r| label(r.decision).to_owned())
                    .unwrap_or_default(),
                Column::Note => earlier.and_then(|r| r.note.clone()).unwrap_or_default(),
                Column::Reviewer => earlier.and_then(|r| r.reviewer.clone()).unwrap_or_default(),
                Column::ProposedSource => earlier
                    .and_then(|r| r.sources.first())
                    .map(|&s| cat.sources[s].name.clone())
                    .unwrap_or_default(),
                Column::Date => {
                    match earlier.and_then(|r| r.date) {
                        Some(d) => {
                            let dt = ExcelDateTime::from_ymd(d.year, d.month, d.day)?;
                            ws.write_datetime_with_format(row, i, &dt, &f.date)?
                        }
                        None => ws.write_blank(row, i, &f.date)?,
                    };
                    continue;
                }
                Column::Key => row_key(&p.code, &c.key),
                Column::Fingerprint => c.fingerprint.clone(),
            };
            if column.is_reviewer() {
                if text.is_empty() {
                    ws.write_blank(row, i, &f.reviewer)?;
                } else {
                    write_text(ws, row, i, &text, Some(&f.reviewer))?;
                }
            } else {
                write_text(ws, row, i, &text, Some(&f.machine))?;
            }
        }
    }
    let last = rows.len() as u32;
    if last > 0 {
        let decisions: Vec<&str> = DECISIONS.iter().map(|(_, l)| *l).collect();
        let dv = DataValidation::new()
            .allow_list_strings(&decisions)?
            .set_input_title("Quyết định")?
            .set_input_message("Chọn một quyết định trong danh sách.")?
            .set_error_title("Quyết định không hợp lệ")?
            .set_error_message(format!("Chọn một trong: {}.", decisions.join("; ")))?
            .set_error_style(DataValidationErrorStyle::Stop);
        ws.add_data_validation(1, col(Column::Decision), last, col(Column::Decision), &dv)?;
        let date_from = ExcelDateTime::from_ymd(2000, 1, 1)?;
        let dv = DataValidation::new()
            .allow_date(DataValidationRule::GreaterThanOrEqualTo(date_from))
            .set_error_title("Ngày không hợp lệ")?
            .set_error_message("Nhập ngày dạng ngày/tháng/năm, ví dụ 15/02/2026.")?;
        ws.add_data_validation(1, col(Column::Date), last, col(Column::Date), &dv)?;
        if kind == SheetKind::Kept {
            let n = a.catalog.sources.len().max(1) + 1;
            let dv = DataValidation::new()
                .allow_list_formula(Formula::new(format!("='{SOURCES_SHEET}'!$A$2:$A${n}")))
                .set_input_title("Nguồn dữ liệu")?
                .set_input_message(
                    "Khi đồng ý cắt giảm giấy tờ máy chưa đề xuất, chọn nguồn dữ liệu thay thế.",
                )?
                .set_error_title("Nguồn dữ liệu không hợp lệ")?
                .set_error_message("Chọn một nguồn dữ liệu trong danh sách.")?;
            ws.add_data_validation(
                1,
                col(Column::ProposedSource),
                last,
                col(Column::ProposedSource),
                &dv,
            )?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last, cols.len() as u16 - 1)?;
    let options = ProtectionOptions {
        use_autofilter: true,
        sort: true,
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&options);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::sheet_name;

    #[test]
    fn sheet_names_fit_excel_and_stay_unique() {
        let mut taken = vec![];
        let a = sheet_name("Bổ sung - Bộ Nông nghiệp và Môi trường", &mut taken);
        assert_eq!(a.chars().count(), 31);
        let b = sheet_name("Bổ sung - Bộ Nông nghiệp và Môi trường", &mut taken);
        assert!(b.ends_with(" (2)") && b.chars().count() <= 31, "{b}");
        assert_eq!(sheet_name("a/b", &mut taken), "a b");
    }
}
