//! `tthc import table`: one row per dossier component (CSV or the first
//! sheet of an XLSX workbook) → procedure YAML. Columns per the contract;
//! rows sharing a code form one procedure, in row order.

use super::{component, find_agency, rel_path, Imported};
use crate::diag::{Code, Diagnostic, Location};
use crate::format::{Located, ProcedureFile, RawLegalRef, RawProvision};
use crate::legal;
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

/// One row of the table with where each cell is.
struct Row {
    line: u32,
    cells: Vec<(String, u32)>,
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

fn read_csv(path: &Path, display: &str) -> Result<(Vec<String>, Vec<Row>), Diagnostic> {
    let text = crate::load::read_file(path, display)?;
    let lines: Vec<&str> = text.lines().collect();
    let col_of = |line: u32, value: &str| -> u32 {
        lines
            .get(line.saturating_sub(1) as usize)
            .and_then(|l| l.find(value).map(|i| l[..i].chars().count() as u32 + 1))
            .unwrap_or(1)
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let bad = |e: csv::Error| {
        let line = e.position().map(|p| p.line() as u32).unwrap_or(0);
        Diagnostic::new(
            Code::InputSyntax,
            Location::new(display, line, 1),
            format!("malformed CSV: {e}"),
        )
        .hint("save the table as UTF-8 CSV with a header row and comma separators")
    };
    let header: Vec<String> = rdr
        .headers()
        .map_err(bad)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(bad)?;
        let line = rec.position().map(|p| p.line() as u32).unwrap_or(0);
        let cells = rec
            .iter()
            .map(|v| (v.to_owned(), col_of(line, v)))
            .collect();
        rows.push(Row { line, cells });
    }
    Ok((header, rows))
}

fn read_xlsx(path: &Path, display: &str) -> Result<(Vec<String>, Vec<Row>), Diagnostic> {
    use calamine::{open_workbook_auto, Reader};
    let fail = |msg: String| {
        Diagnostic::new(Code::Io, Location::new(display, 0, 0), msg)
            .hint("give an .xlsx workbook whose first sheet has the header row")
    };
    let mut wb =
        open_workbook_auto(path).map_err(|e| fail(format!("cannot read workbook: {e}")))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| fail("the workbook has no sheet".into()))?
        .map_err(|e| fail(format!("cannot read the first sheet: {e}")))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut it = range.rows();
    let header: Vec<String> = it
        .next()
        .map(|r| r.iter().map(|c| text::nfc(c.to_string().trim())).collect())
        .unwrap_or_default();
    let rows = it
        .enumerate()
        .map(|(i, r)| Row {
            line: r0 + i as u32 + 2,
            cells: r
                .iter()
                .enumerate()
                .map(|(j, c)| (text::nfc(&c.to_string()), c0 + j as u32 + 1))
                .collect(),
        })
        .collect();
    Ok((header, rows))
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
        Some("xlsx" | "xlsm" | "xls" | "ods")
    );
    let read = if is_xlsx {
        read_xlsx(path, &display)
    } else {
        read_csv(path, &display)
    };
    let (header, rows) = match read {
        Ok(r) => r,
        Err(d) => {
            out.diagnostics.push(d);
            return out;
        }
    };
    if header.iter().all(|h| h.is_empty()) && rows.is_empty() {
        out.diagnostics.push(
            Diagnostic::new(
                Code::EmptyFile,
                Location::new(&display, 1, 1),
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
                Location::new(&display, 1, 1),
                format!("missing required column(s): {}", missing.join(", ")),
            )
            .hint("the header needs code, name, agency, component (or ma_tthc, ten_tthc, co_quan, thanh_phan_ho_so)"),
        );
        return out;
    }
    let known: Vec<usize> = idx.iter().flatten().copied().collect();
    let rec = Recogniser::new(cat);
    out.report.inputs = rows.len();
    let cell = |r: &Row, i: Option<usize>| -> (String, u32) {
        i.and_then(|i| r.cells.get(i).cloned())
            .map(|(v, c)| (text::nfc(v.trim()), c))
            .unwrap_or_default()
    };
    let mut order: Vec<String> = Vec::new();
    let mut procs: std::collections::HashMap<String, (usize, ProcedureFile)> =
        std::collections::HashMap::new();
    for r in &rows {
        if r.cells.iter().all(|(v, _)| v.trim().is_empty()) {
            continue;
        }
        let at = |c: u32| Location::new(&display, r.line, c);
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
        let (name, _) = cell(r, idx[1]);
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
        let numbers = legal::numbers_in(&legal_text);
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
        for (i, (h, (v, _))) in header.iter().zip(&r.cells).enumerate() {
            if !known.contains(&i) && !v.trim().is_empty() {
                comp.notes.push(format!("{h}: {}", text::nfc(v.trim())));
            }
        }
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
        for n in &numbers {
            if !entry.1.legal_basis.iter().any(|l| &l.number.value == n) {
                entry.1.legal_basis.push(RawLegalRef {
                    number: Located::new(n.clone()),
                    title: Some(legal_text.clone()),
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
