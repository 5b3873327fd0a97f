//! Reading spreadsheet workbooks: every sheet, in workbook order, as rows
//! of typed cells with their 1-based positions. The one place a workbook is
//! opened, so that the caps on what a workbook may hold live in one spot.

use crate::date::Date;
use crate::diag::{Code, Diagnostic, Location};
use calamine::{open_workbook_auto, Data, Reader};
use std::path::Path;

/// A cell's value as the reader needs it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Empty,
    /// Text, NFC.
    Text(String),
    Number(f64),
    /// A cell formatted as a date (or an ISO date/time).
    Date(Option<Date>),
    Other(String),
}

impl Value {
    /// The text of a text or number cell, trimmed; `None` when empty.
    pub fn text(&self) -> Option<String> {
        let s = match self {
            Value::Empty => return None,
            Value::Text(s) | Value::Other(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            Value::Date(d) => d.map(|d| d.to_string()).unwrap_or_default(),
        };
        (!s.is_empty()).then_some(s)
    }
}

/// One sheet.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    /// Rows from row 1, each from column 1 (cells before the used range are empty).
    pub rows: Vec<Vec<Value>>,
}

impl Sheet {
    /// The cell at 1-based `row`, `col`.
    pub fn cell(&self, row: u32, col: u32) -> &Value {
        static EMPTY: Value = Value::Empty;
        self.rows
            .get(row as usize - 1)
            .and_then(|r| r.get(col as usize - 1))
            .unwrap_or(&EMPTY)
    }

    /// Whether the sheet holds no value at all.
    pub fn is_empty(&self) -> bool {
        self.rows.iter().flatten().all(|v| *v == Value::Empty)
    }
}

/// Excel's serial day number (the 1900 date system) → date.
fn serial_date(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Days since 1899-12-30 (Excel's day 0, past its 1900 leap-year bug)
    // to a civil date (Howard Hinnant's days_from_civil, inverted).
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Date::new(year, month, day)
}

fn value(d: &Data) -> Value {
    match d {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(crate::text::nfc(s)),
        Data::Float(f) => Value::Number(*f),
        Data::Int(i) => Value::Number(*i as f64),
        Data::DateTime(dt) => Value::Date(serial_date(dt.as_f64())),
        Data::DateTimeIso(s) => Value::Date(s.get(..10).and_then(|d| d.parse().ok())),
        other => Value::Other(other.to_string()),
    }
}

/// Reads every sheet of the workbook at `path`.
pub fn read(path: &Path, display: &str) -> Result<Vec<Sheet>, Diagnostic> {
    let here = || Location::new(display, 0, 0);
    if let Err(e) = std::fs::metadata(path) {
        return Err(
            Diagnostic::new(Code::Io, here(), format!("cannot read file: {e}"))
                .hint("check that the path exists and is readable"),
        );
    }
    let mut wb = open_workbook_auto(path).map_err(|e| {
        Diagnostic::new(
            Code::InputSyntax,
            here(),
            format!("not a readable workbook: {e}"),
        )
        .hint("give the .xlsx workbook as saved by Excel or LibreOffice; a CSV file renamed to .xlsx is not a workbook")
    })?;
    let meta: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible))
        .collect();
    let mut sheets = Vec::with_capacity(meta.len());
    for (name, hidden) in meta {
        let range = wb.worksheet_range(&name).map_err(|e| {
            Diagnostic::new(
                Code::InputSyntax,
                Location::cell(display, &name, 0, 0),
                format!("cannot read the sheet: {e}"),
            )
            .hint("save the workbook again from Excel or LibreOffice")
        })?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<Value>> = vec![Vec::new(); r0 as usize];
        for r in range.rows() {
            let mut row = vec![Value::Empty; c0 as usize];
            row.extend(r.iter().map(value));
            rows.push(row);
        }
        sheets.push(Sheet {
            name: crate::text::nfc(&name),
            hidden,
            rows,
        });
    }
    Ok(sheets)
}

#[cfg(test)]
mod tests {
    use super::serial_date;
    use crate::date::Date;

    #[test]
    fn excel_serial_days_are_dates() {
        assert_eq!(serial_date(45658.0), Date::new(2025, 1, 1));
        assert_eq!(serial_date(46022.5), Date::new(2025, 12, 31));
        assert_eq!(serial_date(61.0), Date::new(1900, 3, 1));
        assert_eq!(serial_date(0.0), None);
    }
}
