//! Diagnostics: every problem found in a catalogue, located at
//! `PATH:LINE:COL`, with a stable code and a hint saying what to do.

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// Stable diagnostic codes. The string form (`E0101`…) never changes meaning;
/// new codes are only ever added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Code {
    // Files
    /// The file could not be read.
    Io,
    /// The file is not valid UTF-8.
    NotUtf8,
    /// The file is larger than the loader accepts.
    FileTooLarge,
    /// The file is empty or holds only comments.
    EmptyFile,
    // YAML and shape
    /// The YAML does not parse.
    YamlSyntax,
    /// The YAML exceeds a resource budget (for instance an alias bomb).
    YamlBudget,
    /// The YAML parses but does not have the catalogue's shape.
    Shape,
    /// An imported JSON record or CSV table does not parse.
    InputSyntax,
    // Values
    /// A procedure code is not `N.NNNNNN`.
    MalformedCode,
    /// A date is not `YYYY-MM-DD` or does not exist.
    MalformedDate,
    /// An identifier is not lower-case kebab-case.
    MalformedId,
    /// A legal document number is not `số/năm/loại-cơ quan`.
    MalformedDocumentNumber,
    /// A number is out of its range (coverage, threshold…).
    OutOfRange,
    // References
    /// A reference names nothing in the catalogue.
    UnknownReference,
    /// Two entries share an identifier.
    DuplicateId,
    /// Two procedures share a national code.
    DuplicateCode,
    // Semantics
    /// An evidence component accepts no document type and is not flagged for review.
    AcceptsNothing,
    /// A data source serves no document type and no information element.
    SourceServesNothing,
    /// A cycle where a cycle has no meaning (amendments, agency hierarchy).
    Cycle,
    /// Settings are missing or given twice.
    Settings,
    /// A planned source has no due date, or a date is inconsistent.
    Inconsistent,
    /// Words a component cites (`matched`, `parts`) are not in its text there.
    SpanMismatch,
    /// A value was normalised on import (warning): e.g. `1,010826` → `1.010826`.
    Normalised,
    /// A reviewer's decision matches no component of the catalogue (warning).
    OrphanedDecision,
    // Review workbooks
    /// A workbook sheet lacks the review columns, or is empty.
    WorkbookShape,
    /// A row's key names no component of the catalogue.
    UnknownKey,
    /// The component's text changed since the workbook was exported.
    Stale,
    /// A decision outside the workbook's list.
    BadDecision,
    /// A decision to cut a kept paper names no source.
    MissingSource,
    /// A symbolic link was not followed (warning): it leads outside the
    /// folder being read, nowhere, or back to a folder already read.
    LinkSkipped,
    /// Table rows sharing a code but not their name or agency were merged
    /// into one procedure (warning).
    Merged,
}

impl Code {
    pub const ALL: &'static [Code] = &[
        Code::Io,
        Code::NotUtf8,
        Code::FileTooLarge,
        Code::EmptyFile,
        Code::YamlSyntax,
        Code::YamlBudget,
        Code::Shape,
        Code::InputSyntax,
        Code::MalformedCode,
        Code::MalformedDate,
        Code::MalformedId,
        Code::MalformedDocumentNumber,
        Code::OutOfRange,
        Code::UnknownReference,
        Code::DuplicateId,
        Code::DuplicateCode,
        Code::AcceptsNothing,
        Code::SourceServesNothing,
        Code::Cycle,
        Code::Settings,
        Code::Inconsistent,
        Code::SpanMismatch,
        Code::Normalised,
        Code::OrphanedDecision,
        Code::WorkbookShape,
        Code::UnknownKey,
        Code::Stale,
        Code::BadDecision,
        Code::MissingSource,
        Code::LinkSkipped,
        Code::Merged,
    ];

    /// The stable code printed in diagnostics.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Io => "E0001",
            Code::NotUtf8 => "E0002",
            Code::FileTooLarge => "E0003",
            Code::EmptyFile => "E0004",
            Code::YamlSyntax => "E0101",
            Code::YamlBudget => "E0102",
            Code::Shape => "E0103",
            Code::InputSyntax => "E0104",
            Code::MalformedCode => "E0201",
            Code::MalformedDate => "E0202",
            Code::MalformedId => "E0203",
            Code::MalformedDocumentNumber => "E0204",
            Code::OutOfRange => "E0205",
            Code::UnknownReference => "E0301",
            Code::DuplicateId => "E0302",
            Code::DuplicateCode => "E0303",
            Code::AcceptsNothing => "E0401",
            Code::SourceServesNothing => "E0402",
            Code::Cycle => "E0403",
            Code::Settings => "E0404",
            Code::Inconsistent => "E0405",
            Code::SpanMismatch => "E0406",
            Code::Normalised => "W0601",
            Code::OrphanedDecision => "W0602",
            Code::WorkbookShape => "E0501",
            Code::UnknownKey => "E0502",
            Code::Stale => "E0503",
            Code::BadDecision => "E0504",
            Code::MissingSource => "E0505",
            Code::LinkSkipped => "W0603",
            Code::Merged => "W0604",
        }
    }

    /// A short name, for humans and for JSON consumers.
    pub fn name(self) -> &'static str {
        match self {
            Code::Io => "io",
            Code::NotUtf8 => "not-utf8",
            Code::FileTooLarge => "file-too-large",
            Code::EmptyFile => "empty-file",
            Code::YamlSyntax => "yaml-syntax",
            Code::YamlBudget => "yaml-budget",
            Code::Shape => "shape",
            Code::InputSyntax => "input-syntax",
            Code::MalformedCode => "malformed-code",
            Code::MalformedDate => "malformed-date",
            Code::MalformedId => "malformed-id",
            Code::MalformedDocumentNumber => "malformed-document-number",
            Code::OutOfRange => "out-of-range",
            Code::UnknownReference => "unknown-reference",
            Code::DuplicateId => "duplicate-id",
            Code::DuplicateCode => "duplicate-code",
            Code::AcceptsNothing => "accepts-nothing",
            Code::SourceServesNothing => "source-serves-nothing",
            Code::Cycle => "cycle",
            Code::Settings => "settings",
            Code::Inconsistent => "inconsistent",
            Code::SpanMismatch => "span-mismatch",
            Code::Normalised => "normalised",
            Code::OrphanedDecision => "orphaned-decision",
            Code::WorkbookShape => "workbook-shape",
            Code::UnknownKey => "unknown-key",
            Code::Stale => "stale",
            Code::BadDecision => "bad-decision",
            Code::MissingSource => "missing-source",
            Code::LinkSkipped => "link-skipped",
            Code::Merged => "rows-merged",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Code::Normalised | Code::OrphanedDecision | Code::LinkSkipped | Code::Merged => {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a file. `line` and `column` are 1-based; 0 means unknown.
/// In a workbook, `sheet` names the sheet and `line`/`column` are the
/// cell's row and column, printed `FILE.xlsx:Sheet!C12`.
/// Serialised whole in binary formats (the re-run cache); text formats
/// (the diagnostics JSON) leave out an absent sheet.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub struct Location {
    /// Shared by every location in the same file.
    pub path: std::sync::Arc<str>,
    pub line: u32,
    pub column: u32,
    #[serde(default)]
    pub sheet: Option<String>,
}

impl Serialize for Location {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sheet = self.sheet.is_some() || !s.is_human_readable();
        let mut st = s.serialize_struct("Location", 3 + usize::from(sheet))?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("line", &self.line)?;
        st.serialize_field("column", &self.column)?;
        optional_field(&mut st, "sheet", &self.sheet, sheet)?;
        st.end()
    }
}

/// Writes `value` as field `name` when `written`, else skips the field.
fn optional_field<S: SerializeStruct, T: Serialize>(
    st: &mut S,
    name: &'static str,
    value: &Option<T>,
    written: bool,
) -> Result<(), S::Error> {
    if written {
        st.serialize_field(name, value)
    } else {
        st.skip_field(name)
    }
}

impl Location {
    pub fn new(path: impl Into<std::sync::Arc<str>>, line: u32, column: u32) -> Self {
        Location {
            path: path.into(),
            line,
            column,
            sheet: None,
        }
    }

    /// A cell of a workbook sheet; `row` and `column` are 1-based.
    pub fn cell(path: impl Into<std::sync::Arc<str>>, sheet: &str, row: u32, column: u32) -> Self {
        Location {
            path: path.into(),
            line: row,
            column,
            sheet: Some(sheet.to_owned()),
        }
    }
}

/// A column's letters, as spreadsheets name it: 1 → `A`, 27 → `AA`.
pub fn column_letters(mut column: u32) -> String {
    let mut out = Vec::new();
    while column > 0 {
        let r = (column - 1) % 26;
        out.push(b'A' + r as u8);
        column = (column - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(sheet) = &self.sheet {
            // Quoted as spreadsheets quote names with spaces or punctuation.
            let plain = sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
            write!(f, "{}:", self.path)?;
            if plain {
                write!(f, "{sheet}")?;
            } else {
                write!(f, "'{}'", sheet.replace('\'', "''"))?;
            }
            if self.line == 0 {
                return Ok(());
            }
            return write!(f, "!{}{}", column_letters(self.column.max(1)), self.line);
        }
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.path),
            (l, 0) => write!(f, "{}:{}", self.path, l),
            (l, c) => write!(f, "{}:{}:{}", self.path, l, c),
        }
    }
}

/// Serialised with its code's stable string; whole in binary formats (the
/// re-run cache), without an absent hint in text formats.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Diagnostic {
    #[serde(deserialize_with = "de_code")]
    pub code: Code,
    pub severity: Severity,
    pub location: Location,
    pub message: String,
    #[serde(default)]
    pub hint: Option<String>,
}

impl Serialize for Diagnostic {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let hint = self.hint.is_some() || !s.is_human_readable();
        let mut st = s.serialize_struct("Diagnostic", 4 + usize::from(hint))?;
        st.serialize_field("code", self.code.as_str())?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("location", &self.location)?;
        st.serialize_field("message", &self.message)?;
        optional_field(&mut st, "hint", &self.hint, hint)?;
        st.end()
    }
}

fn de_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    Code::ALL
        .iter()
        .copied()
        .find(|c| c.as_str() == s)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic code `{s}`")))
}

impl Diagnostic {
    pub fn new(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            location,
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}: {}[{}/{}]: {}",
            self.location,
            sev,
            self.code.as_str(),
            self.code.name(),
            self.message
        )?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_all_listed() {
        let strs: HashSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let names: HashSet<_> = Code::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(strs.len(), Code::ALL.len());
        assert_eq!(names.len(), Code::ALL.len());
    }

    #[test]
    fn workbook_cells_print_as_spreadsheets_name_them() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(28), "AB");
        assert_eq!(
            Location::cell("r.xlsx", "Sheet1", 12, 3).to_string(),
            "r.xlsx:Sheet1!C12"
        );
        assert_eq!(
            Location::cell("r.xlsx", "Bộ Tư pháp", 2, 11).to_string(),
            "r.xlsx:'Bộ Tư pháp'!K2"
        );
    }

    #[test]
    fn renders_path_line_col_code_and_hint() {
        let d = Diagnostic::new(
            Code::UnknownReference,
            Location::new("a/b.yaml", 3, 7),
            "unknown document type `x`",
        )
        .hint("did you mean `y`?");
        assert_eq!(
            d.to_string(),
            "a/b.yaml:3:7: error[E0301/unknown-reference]: unknown document type `x`\n  hint: did you mean `y`?"
        );
    }
}
