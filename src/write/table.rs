//! Tables for spreadsheets: one shape written as CSV (UTF-8 with a
//! byte-order mark, for Excel) or as XLSX sheets (bold frozen header,
//! filters, widths). Every text cell passes through
//! [`crate::cells::neutralise`], so a text that begins like a formula is
//! never run as one.

use crate::cells::{neutralise, write_text};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};
use std::borrow::Cow;

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

/// Writes `t` into `ws`: bold frozen header, filters on every column, widths.
pub fn fill_sheet(ws: &mut Worksheet, t: &Table) -> Result<(), XlsxError> {
    ws.set_name(&t.name)?;
    let bold = Format::new().set_bold();
    for (c, h) in t.header.iter().enumerate() {
        write_text(ws, 0, c as u16, h, Some(&bold))?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                Cell::Text(s) => write_text(ws, r, c, s, None)?,
                Cell::Number(n) => {
                    ws.write_number(r, c, *n)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !t.header.is_empty() {
        ws.autofilter(0, 0, t.rows.len() as u32, t.header.len() as u16 - 1)?;
    }
    for (c, w) in t.widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// The tables as one workbook, a sheet each.
pub fn xlsx(tables: &[Table], as_of: crate::date::Date) -> Result<Vec<u8>, XlsxError> {
    let mut wb = crate::write::cells::workbook(as_of)?;
    for t in tables {
        fill_sheet(wb.add_worksheet(), t)?;
    }
    wb.save_to_buffer()
}
