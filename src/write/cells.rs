//! Cells of the spreadsheets `tthc` writes (CSV, XLSX), neutralised as
//! OWASP recommends against formula injection: a text cell that begins
//! with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
//! so Excel and LibreOffice show it as text instead of running it
//! (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`). Vietnamese dossier lines that
//! start with `- ` get it too: that is the contract. JSON stays exact.

use std::borrow::Cow;

/// Whether a spreadsheet would read a cell beginning with `c` as a formula.
fn starts_formula(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// The cell as written to a spreadsheet.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some(c) if starts_formula(c) => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// The text a reviewer meant, from a cell [`neutralise`] wrote (reading
/// back a workbook `tthc` exported).
pub fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(starts_formula) => rest,
        _ => s,
    }
}

/// An empty workbook whose document properties carry `as_of` as the
/// creation date instead of the clock, so the same analysis always writes
/// the same bytes.
pub fn workbook(
    as_of: crate::date::Date,
) -> Result<rust_xlsxwriter::Workbook, rust_xlsxwriter::XlsxError> {
    let when = rust_xlsxwriter::ExcelDateTime::from_ymd(as_of.year, as_of.month, as_of.day)?;
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&when));
    Ok(wb)
}

/// Writes a text cell of an XLSX sheet, neutralised.
pub fn write_text(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    s: &str,
    format: Option<&rust_xlsxwriter::Format>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let s = neutralise(s);
    match format {
        Some(f) => ws.write_string_with_format(row, col, s.as_ref(), f)?,
        None => ws.write_string(row, col, s.as_ref())?,
    };
    Ok(())
}

/// A CSV writer whose every cell is neutralised.
pub struct Writer<W: std::io::Write>(csv::Writer<W>);

impl<W: std::io::Write> Writer<W> {
    pub fn from_writer(w: W) -> Self {
        Writer(csv::Writer::from_writer(w))
    }

    /// Writes one record, every cell neutralised.
    pub fn write_record<I, S>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let record: Vec<String> = cells
            .into_iter()
            .map(|c| neutralise(c.as_ref()).into_owned())
            .collect();
        self.0.write_record(&record)
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::{neutralise, unneutralise};

    #[test]
    fn neutralised_cells_read_back_as_written() {
        for s in ["=1+1", "+84", "-x", "@a", "\tt", "\rr"] {
            assert_eq!(unneutralise(&neutralise(s)), s);
        }
        assert_eq!(unneutralise("'quoted"), "'quoted");
    }

    #[test]
    fn formula_starts_get_a_quote_and_text_stays() {
        for s in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-  Bản sao",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(s), format!("'{s}"));
        }
        for s in ["Giấy khai sinh", "", "'=already", " =x", "1.000894"] {
            assert_eq!(neutralise(s), s);
        }
    }
}
