//! Tables for spreadsheets: one shape written as CSV (UTF-8 with a
//! byte-order mark, for Excel) or as XLSX sheets (bold frozen header,
//! filters, widths). Every text cell passes through
//! [`crate::cells::neutralise`], so a text that begins like a formula is
//! never run as one.

use crate::cells::{neutralise, write_text};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// One cell of a table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Self {
        Cell::Number(n as f64)
    }
}

impl Cell {
    fn csv_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => neutralise(s),
            Cell::Number(n) => Cow::Owned(n.to_string()),
        }
    }
}

/// A sheet: a name, a header row, rows and column widths (characters).
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub widths: Vec<f64>,
}

/// The table as CSV for Excel.
pub fn csv(t: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let header: Vec<Cow<str>> = t.header.iter().map(|h| neutralise(h)).collect();
        w.write_record(header.iter().map(|h| h.as_bytes()))?;
        for r in &t.rows {
            let cells: Vec<Cow<str>> = r.iter().map(Cell::csv_text).collect();
            w.write_record(cells.iter().map(|c| c.as_bytes()))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// A cell as a sheet is written from it: borrowed text or a number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CellRef<'a> {
    Text(&'a str),
    Number(f64),
}

impl<'a> From<&'a Cell> for CellRef<'a> {
    fn from(c: &'a Cell) -> Self {
        match c {
            Cell::Text(s) => CellRef::Text(s),
            Cell::Number(n) => CellRef::Number(*n),
        }
    }
}

impl<'a> From<&'a str> for CellRef<'a> {
    fn from(s: &'a str) -> Self {
        CellRef::Text(s)
    }
}

/// A stored cell of a [`Packed`] table: an index into its texts, or a number.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Text(u32),
    Number(f64),
}

/// A table kept small until it is written: every distinct text once, each
/// row a run of cells pointing at them. Owning its text, it outlives the
/// analysis it was made from, so a workbook can be assembled after the
/// analysis is dropped.
#[derive(Debug, Default)]
pub struct Packed {
    pub name: String,
    pub header: Vec<String>,
    pub widths: Vec<f64>,
    texts: Vec<Arc<str>>,
    index: HashMap<Arc<str>, u32>,
    cells: Vec<Slot>,
    /// Where each row ends in `cells`.
    ends: Vec<usize>,
}

impl Packed {
    /// An empty table with its name, header and column widths.
    pub fn new(name: impl Into<String>, header: Vec<String>, widths: Vec<f64>) -> Packed {
        Packed {
            name: name.into(),
            header,
            widths,
            ..Packed::default()
        }
    }

    /// Adds a row.
    pub fn push_row<'c, C: Into<CellRef<'c>>>(&mut self, row: impl IntoIterator<Item = C>) {
        for c in row {
            let slot = match c.into() {
                CellRef::Text(s) => Slot::Text(self.text_id(s)),
                CellRef::Number(n) => Slot::Number(n),
            };
            self.cells.push(slot);
        }
        self.ends.push(self.cells.len());
    }

    /// The index of `s` among the texts, added if new.
    fn text_id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = u32::try_from(self.texts.len()).expect("fewer than 2^32 distinct texts");
        let s: Arc<str> = Arc::from(s);
        self.texts.push(Arc::clone(&s));
        self.index.insert(s, i);
        i
    }

    /// How many rows it has (the header not counted).
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether it has no rows.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The rows, in order, as cells.
    fn rows(&self) -> impl Iterator<Item = impl Iterator<Item = CellRef<'_>>> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(move |(start, &end)| {
            self.cells[start..end].iter().map(move |slot| match *slot {
                Slot::Text(i) => CellRef::Text(&self.texts[i as usize]),
                Slot::Number(n) => CellRef::Number(n),
            })
        })
    }

    /// Gives back the spare room and the lookup only building needs.
    fn shrink(&mut self) {
        self.index = HashMap::new();
        self.texts.shrink_to_fit();
        self.cells.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl From<&Table> for Packed {
    fn from(t: &Table) -> Packed {
        let mut p = Packed::new(t.name.clone(), t.header.clone(), t.widths.clone());
        for r in &t.rows {
            p.push_row(r);
        }
        p
    }
}

/// Writes `t` into `ws`: bold frozen header, filters on every column, widths.
pub fn fill_sheet(ws: &mut Worksheet, t: &Table) -> Result<(), XlsxError> {
    let rows = t.rows.iter().map(|r| r.iter().map(CellRef::from));
    fill(ws, &t.name, &t.header, t.rows.len(), rows, &t.widths)
}

/// Writes the packed `t` into `ws` as [`fill_sheet`] writes a [`Table`].
pub fn fill_packed(ws: &mut Worksheet, t: &Packed) -> Result<(), XlsxError> {
    fill(ws, &t.name, &t.header, t.len(), t.rows(), &t.widths)
}

/// A sheet named `name` with a bold frozen header, `len` rows, filters on
/// every column and the column widths.
fn fill<'c, R: Iterator<Item = CellRef<'c>>>(
    ws: &mut Worksheet,
    name: &str,
    header: &[String],
    len: usize,
    rows: impl Iterator<Item = R>,
    widths: &[f64],
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    let bold = Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        write_text(ws, 0, c as u16, h, Some(&bold))?;
    }
    for (r, row) in rows.enumerate() {
        for (c, cell) in row.enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                CellRef::Text(s) => write_text(ws, r, c, s, None)?,
                CellRef::Number(n) => {
                    ws.write_number(r, c, n)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !header.is_empty() {
        ws.autofilter(0, 0, len as u32, header.len() as u16 - 1)?;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// A workbook of packed sheets, kept until it is written; see [`Packed`].
#[derive(Debug)]
pub struct Book {
    pub as_of: crate::date::Date,
    pub sheets: Vec<Packed>,
}

impl Book {
    /// A workbook with no sheet yet, dated `as_of`.
    pub fn new(as_of: crate::date::Date) -> Book {
        Book {
            as_of,
            sheets: Vec::new(),
        }
    }

    /// Adds a sheet, giving back the room only building needed.
    pub fn push(&mut self, mut sheet: Packed) {
        sheet.shrink();
        self.sheets.push(sheet);
    }

    /// The XLSX file, a sheet each, in order.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut wb = crate::write::cells::workbook(self.as_of)?;
        for t in &self.sheets {
            fill_packed(wb.add_worksheet(), t)?;
        }
        wb.save_to_buffer()
    }
}

/// The tables as one workbook, a sheet each.
pub fn xlsx(tables: &[Table], as_of: crate::date::Date) -> Result<Vec<u8>, XlsxError> {
    let mut wb = crate::write::cells::workbook(as_of)?;
    for t in tables {
        fill_sheet(wb.add_worksheet(), t)?;
    }
    wb.save_to_buffer()
}
