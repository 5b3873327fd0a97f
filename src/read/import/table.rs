//! `tthc import table`: one row per dossier component (CSV or the first
//! sheet of an XLSX workbook) → procedure YAML. Columns per the contract;
//! rows sharing a code form one procedure, in row order.

use super::{component, find_agency, rel_path, Imported};
use crate::diag::{Code, Diagnostic, Location};
use crate::format::{Located, ProcedureFile, RawLegalRef, RawProvision};
use crate::model::Catalog;
use crate::recognise::Recogniser;
use crate::text;
use std::path::Path;

/// The contract's columns and their Vietnamese aliases.
const COLUMNS: [(&str, &str, bool); 6] = [
    ("code", "ma_tthc", true),
    ("name", "ten_tthc", true),
    ("agency", "co_quan", true),
    ("component", "thanh_phan_ho_so", true),
    ("legal_text", "van_ban", false),
    ("provision", "dieu_khoan", false),
];

/// One row of the table with where each cell is: (header index, value,
/// 1-based column), sorted by header index; empty cells may be absent.
struct Row {
    line: u32,
    cells: Vec<(usize, String, u32)>,
}

impl Row {
    fn get(&self, i: usize) -> Option<(&str, u32)> {
        self.cells
            .binary_search_by_key(&i, |c| c.0)
            .ok()
            .map(|k| (self.cells[k].1.as_str(), self.cells[k].2))
    }
}

/// Normalises a procedure code as typed: `1,010826` → `1.010826`, and
/// `1.01385` (a spreadsheet dropped the trailing zero) → `1.013850`.
/// Returns the code and whether it changed, or `None` if it cannot be one.
pub fn normalise_code(raw: &str) -> Option<(String, bool)> {
    let t: String = raw
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let (head, tail) = t.split_once('.')?;
    if head.len() != 1
        || !head.chars().all(|c| c.is_ascii_digit())
        || tail.is_empty()
        || tail.len() > 6
        || !tail.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let code = format!("{head}.{tail:0<6}");
    let changed = code != raw;
    Some((code, changed))
}

/// Where each field of one CSV record starts, as (line, column), found in
/// one pass over the record's raw bytes (quotes and escaped quotes
/// followed, line breaks inside quoted fields counted), and where a quote
/// left open at its end was opened.
/// A place in the table: (line, column), both 1-based.
type At = (u32, u32);

fn field_starts(raw: &[u8], first_line: u32) -> (Vec<At>, Option<At>) {
    let mut out = Vec::new();
    let (mut line, mut col) = (first_line, 1u32);
    let mut at_start = true;
    let mut open: Option<At> = None;
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if at_start {
            // A quoted value starts after its quote.
            out.push((line, col + u32::from(b == b'"')));
            at_start = false;
        }
        match b {
            b'"' if open.is_some() && raw.get(i + 1) == Some(&b'"') => {
                i += 1;
                col += 1;
            }
            b'"' => {
                open = if open.is_some() {
                    None
                } else {
                    Some((line, col))
                }
            }
            b',' if open.is_none() => at_start = true,
            b'\n' => {
                line += 1;
                col = 0;
            }
            _ => {}
        }
        // Columns count characters: continuation bytes add nothing.
        if b & 0xC0 != 0x80 {
            col += 1;
        }
        i += 1;
    }
    if at_start {
        out.push((line, col));
    }
    (out, open)
}

/// A table as read: header names with their columns, then the rows.
struct Table {
    header_line: u32,
    header: Vec<(String, u32)>,
    rows: Vec<Row>,
    /// Where each row ends (line, column), for rows too short to hold a
    /// required cell.
    ends: Vec<(u32, u32)>,
}

fn read_csv(path: &Path, display: &str) -> Result<Table, Diagnostic> {
    let text = crate::load::read_file(path, display)?;
    let bytes = text.as_bytes();
    let syntax = |line: u32, col: u32, msg: String| {
        Diagnostic::new(Code::InputSyntax, Location::new(display, line, col), msg)
            .hint("save the table as UTF-8 CSV with a header row and comma separators")
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut table = Table {
        header_line: 1,
        header: vec![],
        rows: vec![],
        ends: vec![],
    };
    let mut record = csv::ByteRecord::new();
    // Lines are counted here, on `\n` only, so CRLF files count alike.
    let (mut counted_to, mut line) = (0usize, 1u32);
    let mut first = true;
    loop {
        let start = (rdr.position().byte() as usize).min(bytes.len());
        let more = rdr.read_byte_record(&mut record).map_err(|e| {
            let at = e.position().map_or(start, |p| p.byte() as usize);
            let (l, c) = crate::text::line_col(&text, at.min(text.len()));
            syntax(l, c, format!("malformed CSV: {e}"))
        })?;
        if !more {
            break;
        }
        let end = (rdr.position().byte() as usize).min(bytes.len());
        // The line break ending the previous record (the `\n` of a CRLF
        // is left to this one) and blank lines are not part of it.
        let start = start
            + bytes[start..end]
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
        line += bytes[counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32;
        counted_to = start;
        let (starts, open) = field_starts(&bytes[start..end], line);
        if let Some((l, c)) = open {
            return Err(syntax(
                l,
                c,
                "malformed CSV: this quote is never closed".into(),
            ));
        }
        let fields = record
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned());
        let col = |i: usize| starts.get(i).map_or(1, |s| s.1);
        if first {
            table.header_line = line;
            table.header = fields
                .enumerate()
                .map(|(i, h)| (h.trim().to_owned(), col(i)))
                .collect();
            first = false;
            continue;
        }
        let cells: Vec<(usize, String, u32)> =
            fields.enumerate().map(|(i, v)| (i, v, col(i))).collect();
        let last = bytes[start..end]
            .iter()
            .rposition(|&b| b != b'\n' && b != b'\r')
            .map_or(start, |p| start + p + 1);
        table
            .ends
            .push(crate::text::line_col(&text[start..last], last - start));
        if let Some(e) = table.ends.last_mut() {
            e.0 += line - 1;
        }
        table.rows.push(Row { line, cells });
    }
    Ok(table)
}

fn read_xlsx(path: &Path, display: &str) -> Result<Table, Diagnostic> {
    let cells = crate::read::xlsx::first_sheet(path, display, Default::default())?;
    let Some(first_row) = cells.first().map(|c| c.row) else {
        return Ok(Table {
            header_line: 1,
            header: vec![],
            rows: vec![],
            ends: vec![],
        });
    };
    // The header's columns, in order; data cells outside them have no name.
    let header_cols: Vec<u32> = cells
        .iter()
        .take_while(|c| c.row == first_row)
        .map(|c| c.column)
        .collect();
    let header = cells
        .iter()
        .take_while(|c| c.row == first_row)
        .map(|c| (crate::values::clean(c.value.trim()), c.column))
        .collect();
    let mut rows: Vec<Row> = Vec::new();
    for c in cells.iter().skip(header_cols.len()) {
        let Ok(i) = header_cols.binary_search(&c.column) else {
            continue;
        };
        if rows.last().is_none_or(|r| r.line != c.row) {
            rows.push(Row {
                line: c.row,
                cells: vec![],
            });
        }
        if let Some(r) = rows.last_mut() {
            r.cells.push((i, crate::values::clean(&c.value), c.column));
        }
    }
    let ends = rows
        .iter()
        .map(|r| (r.line, r.cells.last().map_or(1, |c| c.2)))
        .collect();
    Ok(Table {
        header_line: first_row,
        header,
        rows,
        ends,
    })
}

/// Imports one table. Every problem is a located diagnostic.
pub fn import(cat: &Catalog, path: &Path) -> Imported {
    let display = path.display().to_string();
    let mut out = Imported::default();
    let is_xlsx = matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .as_deref(),
        Some("xlsx" | "xlsm")
    );
    let read = if is_xlsx {
        read_xlsx(path, &display)
    } else {
        read_csv(path, &display)
    };
    let Table {
        header_line,
        header: header_at,
        rows,
        ends,
    } = match read {
        Ok(r) => r,
        Err(d) => {
            out.diagnostics.push(d);
            return out;
        }
    };
    let header: Vec<String> = header_at.iter().map(|h| h.0.clone()).collect();
    if header.iter().all(|h| h.is_empty()) && rows.is_empty() {
        out.diagnostics.push(
            Diagnostic::new(
                Code::EmptyFile,
                Location::new(display.as_str(), 1, 1),
                "the table is empty",
            )
            .hint("give a header row and one row per dossier component"),
        );
        return out;
    }
    // Column index of each contract column.
    let find = |name: &str, alias: &str| {
        header.iter().position(|h| {
            let h = h.trim_start_matches('\u{feff}').to_lowercase();
            h == name || h == alias
        })
    };
    let idx: Vec<Option<usize>> = COLUMNS.iter().map(|(n, a, _)| find(n, a)).collect();
    let missing: Vec<&str> = COLUMNS
        .iter()
        .zip(&idx)
        .filter(|((_, _, req), i)| *req && i.is_none())
        .map(|((n, _, _), _)| *n)
        .collect();
    if !missing.is_empty() {
        out.diagnostics.push(
            Diagnostic::new(
                Code::Shape,
                Location::new(display.as_str(), 1, 1),
                format!("missing required column(s): {}", missing.join(", ")),
            )
            .hint("the header needs code, name, agency, component (or ma_tthc, ten_tthc, co_quan, thanh_phan_ho_so)"),
        );
        return out;
    }
    // A column given twice (or under its name and its alias) is ambiguous.
    let mut first_of: std::collections::HashMap<String, usize> = Default::default();
    for (i, h) in header.iter().enumerate() {
        let h = h.to_lowercase();
        let canonical = COLUMNS
            .iter()
            .find(|(n, a, _)| h == *n || h == *a)
            .map_or(h.clone(), |(n, _, _)| (*n).to_owned());
        if canonical.is_empty() {
            continue;
        }
        if let Some(&j) = first_of.get(&canonical) {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::Shape,
                    Location::new(display.as_str(), header_line, header_at[i].1),
                    format!("column `{}` is given twice", header[i]),
                )
                .hint(format!(
                    "the header names it first in column {}; keep one of them",
                    header_at[j].1
                )),
            );
        } else {
            first_of.insert(canonical, i);
        }
    }
    if rows
        .iter()
        .all(|r| r.cells.iter().all(|(_, v, _)| v.trim().is_empty()))
    {
        out.diagnostics.push(
            Diagnostic::new(
                Code::EmptyFile,
                Location::new(display.as_str(), header_line, 1),
                "the table has a header but no rows",
            )
            .hint("add one row per dossier component below the header"),
        );
    }
    if out.diagnostics.iter().any(Diagnostic::is_error) {
        return out;
    }
    let known: Vec<usize> = idx.iter().flatten().copied().collect();
    let rec = Recogniser::new(cat);
    out.report.inputs = rows.len();
    let cell = |r: &Row, i: Option<usize>| -> (String, u32) {
        i.and_then(|i| r.get(i))
            .map(|(v, c)| (crate::values::clean(v).trim().to_owned(), c))
            .unwrap_or_default()
    };
    let mut order: Vec<String> = Vec::new();
    // Code → (line, name and agency) of its first row.
    let mut first_row: std::collections::HashMap<String, (u32, String)> = Default::default();
    let mut procs: std::collections::HashMap<String, (usize, ProcedureFile)> =
        std::collections::HashMap::new();
    for (r, end) in rows.iter().zip(&ends) {
        if r.cells.iter().all(|(_, v, _)| v.trim().is_empty()) {
            continue;
        }
        let at = |c: u32| Location::new(display.as_str(), r.line, c);
        if let Some(extra) = r
            .cells
            .iter()
            .find(|c| c.0 >= header.len() && !c.1.trim().is_empty())
        {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::Shape,
                    at(extra.2),
                    format!(
                        "this row has a cell beyond the header's {} columns",
                        header.len()
                    ),
                )
                .hint("every row has the header's columns; check for a stray comma or a missing quote"),
            );
            continue;
        }
        let short: Vec<&str> = COLUMNS
            .iter()
            .zip(&idx)
            .filter(|((_, _, req), i)| *req && i.is_some_and(|i| r.get(i).is_none()))
            .map(|((n, _, _), _)| *n)
            .filter(|_| r.cells.len() < header.len())
            .collect();
        if !short.is_empty() {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::Shape,
                    Location::new(display.as_str(), end.0, end.1),
                    format!(
                        "this row ends after {} cells, before its {} cell(s)",
                        r.cells.len(),
                        short.join(", ")
                    ),
                )
                .hint(format!(
                    "every row has the header's {} columns",
                    header.len()
                )),
            );
            continue;
        }
        let (raw_code, code_col) = cell(r, idx[0]);
        let Some((code, changed)) = normalise_code(&raw_code) else {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::MalformedCode,
                    at(code_col),
                    format!("`{raw_code}` is not a procedure code"),
                )
                .hint("national codes are one digit, a dot and six digits, e.g. `1.000894`"),
            );
            continue;
        };
        if changed {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::Normalised,
                    at(code_col),
                    format!("procedure code `{raw_code}` read as `{code}`"),
                )
                .hint("correct the code in the source table"),
            );
            out.report.code_fixes.push((
                raw_code.clone(),
                code.clone(),
                format!("{display}:{}", r.line),
            ));
        }
        let (name, name_col) = cell(r, idx[1]);
        if name.is_empty() {
            out.diagnostics.push(
                Diagnostic::new(Code::Shape, at(name_col), "the procedure name is empty")
                    .hint("write the procedure's name as published"),
            );
            continue;
        }
        let (agency_name, agency_col) = cell(r, idx[2]);
        let (text_, text_col) = cell(r, idx[3]);
        let (legal_text, _) = cell(r, idx[4]);
        let (provision, _) = cell(r, idx[5]);
        let Some(agency) = find_agency(cat, &agency_name) else {
            let hint =
                text::did_you_mean(&agency_name, cat.agencies.iter().map(|a| a.name.as_str()))
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        "add the agency (or an alias) to catalog/agencies.yaml".into()
                    });
            out.diagnostics.push(
                Diagnostic::new(
                    Code::UnknownReference,
                    at(agency_col),
                    format!("unknown agency `{agency_name}`"),
                )
                .hint(hint),
            );
            continue;
        };
        if text_.is_empty() {
            out.diagnostics.push(
                Diagnostic::new(Code::Shape, at(text_col), "the component is empty")
                    .hint("write the dossier component as in the legal text"),
            );
            continue;
        }
        let numbers = cat.recognition.number_codes().numbers_in(&legal_text);
        let provisions: Vec<RawProvision> = numbers
            .iter()
            .map(|n| RawProvision {
                document: Located::new(n.clone()),
                provision: (!provision.is_empty()).then(|| provision.clone()),
                form: None,
            })
            .collect();
        let file = rel_path(cat, agency, &code).display().to_string();
        let mut comp = component(
            cat,
            &text_,
            rec.recognise(&text_),
            vec![],
            provisions,
            &file,
            &mut out.report,
        );
        if numbers.is_empty() && !(legal_text.is_empty() && provision.is_empty()) {
            comp.notes.push(
                format!("Quy định tại: {provision} {legal_text}")
                    .trim()
                    .to_owned(),
            );
        }
        // Unknown columns are kept as notes.
        for (i, v, _) in &r.cells {
            let Some(h) = header.get(*i) else { continue };
            if !known.contains(i) && !v.trim().is_empty() {
                comp.notes
                    .push(format!("{h}: {}", crate::values::clean(v.trim())));
            }
        }
        first_row
            .entry(code.clone())
            .or_insert_with(|| (r.line, format!("{name} ({agency_name})")));
        let entry = procs.entry(code.clone()).or_insert_with(|| {
            order.push(code.clone());
            (
                agency,
                ProcedureFile {
                    code: Located::new(code.clone()),
                    name: Located::new(name.clone()),
                    agency: Located::new(cat.agencies[agency].id.clone()),
                    sector: None,
                    levels: vec![],
                    applicants: vec![],
                    handled_by: None,
                    annual_volume: None,
                    channels: vec![],
                    legal_basis: vec![],
                    results: vec![],
                    components: vec![],
                    cases: vec![],
                    // A table names no applicants: no procedure cue
                    // (see `read::cues::procedure`).
                    cues: vec![],
                    notes: vec![],
                    source: Some(format!(
                        "Bảng {}",
                        path.file_name()
                            .map(|f| f.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    )),
                },
            )
        });
        if entry.1.name.value != name || entry.0 != agency {
            let (first_line, first_name) = &first_row[&code];
            out.diagnostics.push(
                Diagnostic::new(
                    Code::Merged,
                    at(name_col),
                    format!(
                        "this row shares code `{code}` with line {first_line} but names `{name}` ({agency_name}); merged into `{first_name}`",
                    ),
                )
                .hint("rows of one procedure repeat its name and agency; correct the code or the name"),
            );
        }
        for n in &numbers {
            if !entry.1.legal_basis.iter().any(|l| &l.number.value == n) {
                entry.1.legal_basis.push(RawLegalRef {
                    number: Located::new(n.clone()),
                    title: Some(legal_text.clone()),
                });
            }
        }
        // Documents cited only in the component's text: a provision must
        // name a document the procedure lists.
        for p in &comp.provisions {
            if !entry
                .1
                .legal_basis
                .iter()
                .any(|l| l.number.value == p.document.value)
            {
                entry.1.legal_basis.push(RawLegalRef {
                    number: p.document.clone(),
                    title: None,
                });
            }
        }
        entry.1.components.push(comp);
    }
    for code in order {
        let (agency, p) = procs.remove(&code).expect("recorded");
        out.files.insert(rel_path(cat, agency, &code), p);
    }
    out.report.procedures = out.files.len();
    out
}

#[cfg(test)]
mod tests {
    use super::normalise_code;

    #[test]
    fn codes_are_normalised() {
        assert_eq!(normalise_code("1.000894"), Some(("1.000894".into(), false)));
        assert_eq!(normalise_code("1,010826"), Some(("1.010826".into(), true)));
        assert_eq!(normalise_code("1.01385"), Some(("1.013850".into(), true)));
        assert_eq!(
            normalise_code(" 2.002093 "),
            Some(("2.002093".into(), true))
        );
        assert_eq!(normalise_code("12.000001"), None);
        assert_eq!(normalise_code("abc"), None);
        assert_eq!(normalise_code("1.0000001"), None);
    }
}
