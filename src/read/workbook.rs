//! Review workbooks as the importer reads them: every sheet, in workbook
//! order, with typed cells at 1-based positions. Read by the bounded
//! reader [`crate::read::xlsx`] (every size capped, cells kept sparse).

use crate::date::Date;
use crate::diag::Diagnostic;
use crate::read::xlsx::{self, Kind};
use std::collections::HashMap;
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

/// One sheet, its cells kept sparse.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    cells: HashMap<(u32, u32), Value>,
    /// The last row holding a value (0 for an empty sheet).
    pub last_row: u32,
}

impl Sheet {
    /// The cell at 1-based `row`, `col`.
    pub fn cell(&self, row: u32, col: u32) -> &Value {
        static EMPTY: Value = Value::Empty;
        self.cells.get(&(row, col)).unwrap_or(&EMPTY)
    }

    /// The values of row 1, by column, up to its last value.
    pub fn header(&self) -> Vec<&Value> {
        let last = self
            .cells
            .keys()
            .filter(|(r, _)| *r == 1)
            .map(|(_, c)| *c)
            .max()
            .unwrap_or(0);
        (1..=last).map(|c| self.cell(1, c)).collect()
    }

    /// Whether the sheet holds no value at all.
    pub fn is_empty(&self) -> bool {
        self.cells.values().all(|v| *v == Value::Empty)
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

fn value(c: &xlsx::Cell) -> Value {
    match c.kind {
        Kind::Text => Value::Text(crate::text::nfc(&c.value)),
        Kind::Number => match c.value.trim().parse() {
            Ok(n) => Value::Number(n),
            Err(_) => Value::Other(c.value.clone()),
        },
        Kind::Date => Value::Date(c.value.trim().parse().ok().and_then(serial_date)),
        Kind::Bool | Kind::Error => Value::Other(c.value.clone()),
    }
}

/// Reads every sheet of the workbook at `path`.
pub fn read(path: &Path, display: &str) -> Result<Vec<Sheet>, Diagnostic> {
    let sheets = xlsx::sheets(path, display, Default::default()).map_err(|d| {
        if d.code == crate::diag::Code::InputSyntax {
            d.hint("give the .xlsx workbook as `tthc review export` wrote it and Excel or LibreOffice saved it; a CSV file renamed to .xlsx is not a workbook")
        } else {
            d
        }
    })?;
    Ok(sheets
        .into_iter()
        .map(|s| Sheet {
            last_row: s.cells.iter().map(|c| c.row).max().unwrap_or(0),
            cells: s
                .cells
                .iter()
                .map(|c| ((c.row, c.column), value(c)))
                .collect(),
            name: s.name,
            hidden: s.hidden,
        })
        .collect())
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
