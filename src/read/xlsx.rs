//! Reading XLSX workbooks, bounded: the workbook file, each part's
//! decompressed size, the number of shared strings and of cells are capped
//! while reading, before anything is materialised, and cells are read
//! sparsely (a far cell such as `XFD1048576` costs one cell, never a dense
//! range). Every refusal is a located diagnostic. The one place a workbook
//! is opened: tables ([`first_sheet`]) and review workbooks ([`sheets`]).
//!
//! An XLSX workbook is a zip of XML parts: `xl/workbook.xml` lists the
//! sheets, `xl/_rels/workbook.xml.rels` says which part holds each,
//! `xl/sharedStrings.xml` holds the text cells refer to by index, and
//! `xl/styles.xml` the number formats that make a number a date.

use crate::diag::{Code, Diagnostic, Location};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::Read;
use std::path::Path;

/// The limits of one read.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The workbook file itself (compressed).
    pub file_bytes: u64,
    /// All parts read, decompressed, together.
    pub decompressed_bytes: u64,
    pub shared_strings: usize,
    /// Cells holding a value.
    pub cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 32 * 1024 * 1024,
            decompressed_bytes: 256 * 1024 * 1024,
            shared_strings: 1_000_000,
            cells: 2_000_000,
        }
    }
}

/// One cell with a value: 1-based row and column, text as stored (numbers
/// as written in the file, booleans `TRUE`/`FALSE`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub row: u32,
    pub column: u32,
    pub value: String,
    pub kind: Kind,
}

/// What a cell holds, as the file says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    /// A number shown with a date format: Excel's serial day number.
    Date,
    Bool,
    /// An error value (`#N/A`…).
    Error,
}

/// One sheet of a workbook.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    /// Cells with a value, in row then column order.
    pub cells: Vec<Cell>,
}

/// Excel's own bounds: 1,048,576 rows, 16,384 columns (`XFD`).
const MAX_ROW: u32 = 1_048_576;
const MAX_COLUMN: u32 = 16_384;

struct Ctx<'a> {
    display: &'a str,
    limits: Limits,
    read_so_far: u64,
}

impl Ctx<'_> {
    fn error(&self, code: Code, msg: String, hint: &str) -> Diagnostic {
        Diagnostic::new(code, Location::new(self.display, 0, 0), msg).hint(hint)
    }
    fn malformed(&self, msg: String) -> Diagnostic {
        self.error(
            Code::InputSyntax,
            msg,
            "save the table again as an .xlsx workbook (or as UTF-8 CSV)",
        )
    }
}

/// The cells of the first sheet, in row then column order.
pub fn first_sheet(path: &Path, display: &str, limits: Limits) -> Result<Vec<Cell>, Diagnostic> {
    Ok(read(path, display, limits, true)?
        .into_iter()
        .next()
        .map(|s| s.cells)
        .unwrap_or_default())
}

/// Every sheet, in workbook order, the caps holding for all together.
pub fn sheets(path: &Path, display: &str, limits: Limits) -> Result<Vec<Sheet>, Diagnostic> {
    read(path, display, limits, false)
}

type Zip = zip::ZipArchive<std::io::Cursor<Vec<u8>>>;

fn read(
    path: &Path,
    display: &str,
    limits: Limits,
    first_only: bool,
) -> Result<Vec<Sheet>, Diagnostic> {
    let bytes = crate::load::read_bytes(path, display, limits.file_bytes)?;
    let mut cx = Ctx {
        display,
        limits,
        read_so_far: 0,
    };
    let mut zip = Zip::new(std::io::Cursor::new(bytes))
        .map_err(|e| cx.malformed(format!("not an XLSX workbook (a zip of XML parts): {e}")))?;
    let mut listed = sheet_parts(&mut cx, &mut zip)?;
    if first_only {
        listed.truncate(1);
    }
    let strings = match part(&mut cx, &mut zip, "xl/sharedStrings.xml")? {
        Some(xml) => shared_strings(&cx, &xml, "xl/sharedStrings.xml")?,
        None => Vec::new(),
    };
    let dates = match part(&mut cx, &mut zip, "xl/styles.xml")? {
        Some(xml) => date_styles(&cx, &xml, "xl/styles.xml")?,
        None => Vec::new(),
    };
    let mut out = Vec::with_capacity(listed.len());
    let mut budget = cx.limits.cells;
    for (name, hidden, sheet) in listed {
        let xml = part(&mut cx, &mut zip, &sheet)?
            .ok_or_else(|| cx.malformed(format!("the workbook has no part `{sheet}`")))?;
        let mut cells = cells(&cx, &xml, &sheet, &strings, &dates, budget)?;
        budget -= cells.len();
        cells.sort_by_key(|c| (c.row, c.column));
        out.push(Sheet {
            name: crate::text::nfc(&name),
            hidden,
            cells,
        });
    }
    Ok(out)
}

/// Reads one part, decompressed within what is left of the budget.
fn part(cx: &mut Ctx, zip: &mut Zip, name: &str) -> Result<Option<String>, Diagnostic> {
    let mut file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(cx.malformed(format!("cannot read part `{name}`: {e}"))),
    };
    let left = cx.limits.decompressed_bytes.saturating_sub(cx.read_so_far);
    let mut bytes = Vec::new();
    (&mut file)
        .take(left + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cx.malformed(format!("cannot read part `{name}`: {e}")))?;
    cx.read_so_far += bytes.len() as u64;
    if bytes.len() as u64 > left {
        return Err(cx.error(
            Code::FileTooLarge,
            format!(
                "the workbook decompresses beyond the limit of {} bytes (in part `{name}`)",
                cx.limits.decompressed_bytes
            ),
            "the workbook is far larger inside than a table of components can be; save only the table",
        ));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| cx.malformed(format!("part `{name}` is not UTF-8 XML")))
}

/// The sheets listed in `xl/workbook.xml`, in order: name, whether hidden,
/// and the part holding it.
fn sheet_parts(cx: &mut Ctx, zip: &mut Zip) -> Result<Vec<(String, bool, String)>, Diagnostic> {
    let workbook = part(cx, zip, "xl/workbook.xml")?
        .ok_or_else(|| cx.malformed("the workbook has no `xl/workbook.xml`".into()))?;
    let mut listed: Vec<(String, bool, String)> = Vec::new();
    each_element(cx, &workbook, "xl/workbook.xml", |e, _| {
        if local(e.name().as_ref()) == "sheet" {
            let hidden = attr(e, "state").is_some_and(|s| s != "visible");
            listed.push((
                attr(e, "name").unwrap_or_default(),
                hidden,
                attr(e, "id").unwrap_or_default(),
            ));
        }
        Ok(())
    })?;
    if listed.is_empty() {
        return Err(cx.malformed("the workbook has no sheet".into()));
    }
    let rels = part(cx, zip, "xl/_rels/workbook.xml.rels")?.unwrap_or_default();
    let mut targets: Vec<(String, String)> = Vec::new();
    each_element(cx, &rels, "xl/_rels/workbook.xml.rels", |e, _| {
        if local(e.name().as_ref()) == "Relationship" {
            if let (Some(id), Some(t)) = (attr(e, "Id"), attr(e, "Target")) {
                targets.push((id, t));
            }
        }
        Ok(())
    })?;
    Ok(listed
        .into_iter()
        .enumerate()
        .map(|(i, (name, hidden, rid))| {
            let target = targets
                .iter()
                .find(|(id, _)| *id == rid)
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| format!("worksheets/sheet{}.xml", i + 1));
            let part = match target.strip_prefix('/') {
                Some(abs) => abs.to_owned(),
                None => format!("xl/{target}"),
            };
            (name, hidden, part)
        })
        .collect())
}

/// `xl/styles.xml`: for each cell style (`<cellXfs><xf>`, by index),
/// whether its number format shows a date: the built-in date formats, or a
/// custom format code with a day or year part outside quotes and brackets.
fn date_styles(cx: &Ctx, xml: &str, part: &str) -> Result<Vec<bool>, Diagnostic> {
    let mut custom: Vec<(u32, bool)> = Vec::new();
    let mut xfs: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    let mut r = Reader::from_reader(xml.as_bytes());
    loop {
        let ev = r
            .read_event()
            .map_err(|e| cx.malformed(format!("part `{part}` is not well-formed XML: {e}")))?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => match local(e.name().as_ref()) {
                "numFmt" => {
                    let id = attr(e, "numFmtId").and_then(|v| v.parse().ok());
                    if let Some(id) = id {
                        custom.push((id, is_date_code(&attr(e, "formatCode").unwrap_or_default())));
                    }
                }
                "cellXfs" if matches!(ev, Event::Start(_)) => in_cell_xfs = true,
                "xf" if in_cell_xfs => {
                    xfs.push(
                        attr(e, "numFmtId")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0),
                    );
                }
                _ => {}
            },
            Event::End(e) if local(e.name().as_ref()) == "cellXfs" => in_cell_xfs = false,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(xfs
        .into_iter()
        .map(|id| match custom.iter().find(|(c, _)| *c == id) {
            Some((_, date)) => *date,
            None => matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58),
        })
        .collect())
}

/// Whether a number format code shows a date (`dd/mm/yyyy`, `d-mmm-yy`).
fn is_date_code(code: &str) -> bool {
    let mut plain = String::new();
    let (mut quoted, mut bracket, mut escaped) = (false, false, false);
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            _ if quoted || bracket => {}
            c => plain.push(c.to_ascii_lowercase()),
        }
    }
    plain.contains('d') || plain.contains('y')
}

/// The local part of a possibly prefixed XML name (`x:c` → `c`).
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// An attribute by local name, unescaped.
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (local(a.key.as_ref()) == name).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default()
        })
    })
}

/// Calls `f` on every start (or empty) element of `xml`.
fn each_element(
    cx: &Ctx,
    xml: &str,
    part: &str,
    mut f: impl FnMut(&BytesStart, &mut Reader<&[u8]>) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    let mut r = Reader::from_reader(xml.as_bytes());
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => f(&e, &mut r)?,
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                return Err(cx.malformed(format!("part `{part}` is not well-formed XML: {e}")))
            }
        }
    }
}

/// Text events and entity references as one string.
fn push_text(cx: &Ctx, part: &str, out: &mut String, ev: &Event) -> Result<(), Diagnostic> {
    match ev {
        Event::Text(t) => out.push_str(&t.xml10_content()),
        Event::CData(t) => out.push_str(t.as_ref()),
        Event::GeneralRef(r) => {
            let name = r.xml10_content();
            let c = match r.resolve_char_ref() {
                Ok(Some(c)) => Some(c),
                Ok(None) => match name.as_ref() {
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "amp" => Some('&'),
                    "apos" => Some('\''),
                    "quot" => Some('"'),
                    _ => None,
                },
                Err(_) => None,
            };
            match c {
                Some(c) => out.push(c),
                None => {
                    return Err(cx.malformed(format!(
                        "part `{part}` refers to an unknown entity `&{name};`"
                    )))
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// `xl/sharedStrings.xml`: one string per `<si>`, its `<t>` runs joined,
/// phonetic runs (`<rPh>`) left out.
fn shared_strings(cx: &Ctx, xml: &str, part: &str) -> Result<Vec<String>, Diagnostic> {
    let mut r = Reader::from_reader(xml.as_bytes());
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    let (mut in_t, mut in_rph) = (false, false);
    loop {
        let ev = r
            .read_event()
            .map_err(|e| cx.malformed(format!("part `{part}` is not well-formed XML: {e}")))?;
        match &ev {
            Event::Start(e) => match local(e.name().as_ref()) {
                "si" => cur = Some(String::new()),
                "t" => in_t = true,
                "rPh" => in_rph = true,
                _ => {}
            },
            Event::Empty(e) if local(e.name().as_ref()) == "si" => {
                out.push(String::new());
            }
            Event::End(e) => match local(e.name().as_ref()) {
                "si" => {
                    if out.len() >= cx.limits.shared_strings {
                        return Err(cx.error(
                            Code::FileTooLarge,
                            format!(
                                "the workbook holds more than {} shared strings",
                                cx.limits.shared_strings
                            ),
                            "a table of components is far smaller; save only the table",
                        ));
                    }
                    out.push(cur.take().unwrap_or_default());
                }
                "t" => in_t = false,
                "rPh" => in_rph = false,
                _ => {}
            },
            Event::Eof => return Ok(out),
            other => {
                if in_t && !in_rph {
                    if let Some(s) = cur.as_mut() {
                        push_text(cx, part, s, other)?;
                    }
                }
            }
        }
    }
}

/// `A1` → (row 1, column 1); `XFD1048576` → (1048576, 16384).
fn cell_ref(s: &str) -> Option<(u32, u32)> {
    let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col = 0u32;
    for b in s[..letters].bytes() {
        col = col * 26 + (b.to_ascii_uppercase() - b'A' + 1) as u32;
    }
    let row: u32 = s[letters..].parse().ok()?;
    ((1..=MAX_ROW).contains(&row) && col <= MAX_COLUMN).then_some((row, col))
}

/// The cells of a sheet part, streamed: `<row r>` and `<c r t>` with a
/// `<v>` value or an inline `<is><t>` string.
fn cells(
    cx: &Ctx,
    xml: &str,
    part: &str,
    strings: &[String],
    dates: &[bool],
    budget: usize,
) -> Result<Vec<Cell>, Diagnostic> {
    let mut r = Reader::from_reader(xml.as_bytes());
    let mut out = Vec::new();
    let (mut row, mut col) = (0u32, 0u32);
    // The cell being read: its type, whether its style shows a date, its text.
    let mut cell: Option<(String, bool, String)> = None;
    let mut in_value = false;
    loop {
        let ev = r
            .read_event()
            .map_err(|e| cx.malformed(format!("part `{part}` is not well-formed XML: {e}")))?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match local(e.name().as_ref()) {
                    "row" => {
                        row = match attr(e, "r") {
                            Some(n) => n
                                .parse()
                                .ok()
                                .filter(|&n| (1..=MAX_ROW).contains(&n))
                                .ok_or_else(|| {
                                    cx.malformed(format!("row number `{n}` is out of range"))
                                })?,
                            None => row + 1,
                        };
                        col = 0;
                    }
                    "c" => {
                        (row, col) = match attr(e, "r") {
                            Some(at) => cell_ref(&at).ok_or_else(|| {
                                cx.malformed(format!("cell reference `{at}` is out of range"))
                            })?,
                            None => (row.max(1), col + 1),
                        };
                        if col > MAX_COLUMN {
                            return Err(cx.malformed(format!(
                                "row {row} has more than {MAX_COLUMN} columns"
                            )));
                        }
                        if !empty {
                            let date = attr(e, "s")
                                .and_then(|s| s.parse::<usize>().ok())
                                .and_then(|s| dates.get(s).copied())
                                .unwrap_or(false);
                            cell = Some((attr(e, "t").unwrap_or_default(), date, String::new()));
                        }
                    }
                    "v" | "t" if cell.is_some() && !empty => in_value = true,
                    _ => {}
                }
            }
            Event::End(e) => match local(e.name().as_ref()) {
                "v" | "t" => in_value = false,
                "c" => {
                    let Some((t, date, raw)) = cell.take() else {
                        continue;
                    };
                    let kind = match t.as_str() {
                        "s" | "str" | "inlineStr" => Kind::Text,
                        "b" => Kind::Bool,
                        "e" => Kind::Error,
                        _ if date => Kind::Date,
                        _ => Kind::Number,
                    };
                    let value = match t.as_str() {
                        "s" => {
                            let i: usize = raw.trim().parse().map_err(|_| {
                                cx.malformed(format!("cell {row}:{col} has a bad string index"))
                            })?;
                            strings.get(i).cloned().ok_or_else(|| {
                                cx.malformed(format!(
                                    "cell {row}:{col} refers to shared string {i}, which does not exist"
                                ))
                            })?
                        }
                        "b" => (if raw.trim() == "1" { "TRUE" } else { "FALSE" }).to_owned(),
                        _ => raw,
                    };
                    if value.is_empty() {
                        continue;
                    }
                    if out.len() >= budget {
                        return Err(cx.error(
                            Code::FileTooLarge,
                            format!("the workbook holds more than {} cells", cx.limits.cells),
                            "a table of components or a review workbook is far smaller; save only the table",
                        ));
                    }
                    out.push(Cell {
                        row,
                        column: col,
                        value,
                        kind,
                    });
                }
                _ => {}
            },
            Event::Eof => return Ok(out),
            other => {
                if in_value {
                    if let Some((_, _, s)) = cell.as_mut() {
                        push_text(cx, part, s, other)?;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{cell_ref, is_date_code};

    #[test]
    fn date_format_codes() {
        assert!(is_date_code("dd/mm/yyyy"));
        assert!(is_date_code("[$-42A]d mmmm yyyy"));
        assert!(!is_date_code("0.00"));
        assert!(!is_date_code("\"ngày\" 0"));
        assert!(!is_date_code("General"));
    }

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("A1"), Some((1, 1)));
        assert_eq!(cell_ref("AA10"), Some((10, 27)));
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell_ref("XFE1"), None);
        assert_eq!(cell_ref("A0"), None);
        assert_eq!(cell_ref("A1048577"), None);
        assert_eq!(cell_ref("1"), None);
    }
}
