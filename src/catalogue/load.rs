//! Reading a catalogue directory: finding its YAML files, reading them
//! safely (size limit, UTF-8, byte-order mark, NFC) and parsing them in
//! parallel into the raw format. Semantic checks live in `validate`.

use crate::diag::{Code, Diagnostic, Location};
use crate::format::{CatalogFile, ProcedureFile, ReviewFile};
use crate::text;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Files larger than this are refused without being read whole.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The name of the reference-data folder inside a catalogue.
pub const CATALOG_DIR: &str = "catalog";

/// The name of the folder of reviewers' decisions inside a catalogue.
pub const REVIEWS_DIR: &str = "reviews";

/// What a catalogue file holds, by the folder it lies in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// Reference data: the `catalog/` folder.
    Reference,
    /// Reviewers' decisions: the `reviews/` folder.
    Review,
    /// One procedure: anywhere else.
    Procedure,
}

impl FileKind {
    /// The kind of the file at `rel`, relative to the catalogue root.
    pub fn of(rel: &Path) -> FileKind {
        match rel.components().next().map(|c| c.as_os_str()) {
            Some(d) if d == CATALOG_DIR => FileKind::Reference,
            Some(d) if d == REVIEWS_DIR && rel.components().count() > 1 => FileKind::Review,
            _ => FileKind::Procedure,
        }
    }
}

/// One YAML file of a catalogue, as text.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// The path printed in diagnostics.
    pub display: String,
    pub kind: FileKind,
    pub text: String,
}

/// The parsed, unvalidated catalogue.
#[derive(Debug, Default)]
pub struct RawCatalog {
    pub catalog_files: Vec<(String, CatalogFile)>,
    pub procedure_files: Vec<(String, ProcedureFile)>,
    pub review_files: Vec<(String, ReviewFile)>,
}

/// Lists the `.yaml`/`.yml` files below `root`, sorted, skipping hidden
/// entries. Paths are returned relative to `root`.
pub fn list_yaml(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(root.join(&rel))? {
            let entry = entry?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let rel_child = rel.join(&name);
            let ft = entry.file_type()?;
            if ft.is_dir() {
                stack.push(rel_child);
            } else if matches!(
                Path::new(&name).extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                out.push(rel_child);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Whether `root` has its own reference data.
pub fn has_reference_dir(root: &Path) -> bool {
    root.join(CATALOG_DIR).is_dir()
}

/// Reads one file: size limit, UTF-8 check (located at the first bad byte),
/// byte-order mark removed, NFC.
pub fn read_file(path: &Path, display: &str) -> Result<String, Diagnostic> {
    let here = |l, c| Location::new(display, l, c);
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostic::new(Code::Io, here(0, 0), format!("cannot read file: {e}"))
            .hint("check that the path exists and is readable")
    })?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            Code::FileTooLarge,
            here(0, 0),
            format!(
                "file is {} bytes; the limit is {} bytes",
                meta.len(),
                MAX_FILE_BYTES
            ),
        )
        .hint("split the file: one procedure per file, reference data by section"));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::new(Code::Io, here(0, 0), format!("cannot read file: {e}"))
            .hint("check that the path exists and is readable")
    })?;
    decode(bytes, display)
}

/// UTF-8 decoding with a located error, BOM removal and NFC.
pub fn decode(bytes: Vec<u8>, display: &str) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(s) => {
            let s = s.strip_prefix('\u{feff}').unwrap_or(&s);
            Ok(text::nfc(s))
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let valid = String::from_utf8_lossy(&bytes[..at]);
            let (line, col) = text::line_col(&valid, valid.len());
            Err(Diagnostic::new(
                Code::NotUtf8,
                Location::new(display, line, col),
                format!("file is not valid UTF-8 (byte 0x{:02X})", bytes[at]),
            )
            .hint("save the file as UTF-8; Vietnamese text in TCVN3 or VNI encodings must be converted"))
        }
    }
}

/// A file that could not be read, and whether it was reference data.
#[derive(Debug)]
pub struct Unreadable {
    pub is_reference: bool,
    pub diagnostic: Diagnostic,
}

/// Reads every YAML file below `root`, in parallel.
pub fn read_dir(root: &Path) -> Result<(Vec<InputFile>, Vec<Unreadable>), Diagnostic> {
    let display_root = root.display().to_string();
    let rels = list_yaml(root).map_err(|e| {
        Diagnostic::new(
            Code::Io,
            Location::new(display_root.clone(), 0, 0),
            format!("cannot read catalogue directory: {e}"),
        )
        .hint("give the path of a directory of procedure YAML files")
    })?;
    let results: Vec<Result<InputFile, Unreadable>> = rels
        .par_iter()
        .map(|rel| {
            let display = Path::new(&display_root).join(rel).display().to_string();
            let kind = FileKind::of(rel);
            match read_file(&root.join(rel), &display) {
                Ok(text) => Ok(InputFile {
                    display,
                    kind,
                    text,
                }),
                Err(diagnostic) => Err(Unreadable {
                    is_reference: kind == FileKind::Reference,
                    diagnostic,
                }),
            }
        })
        .collect();
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    Ok((files, diags))
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_aliases: 10_000,
            max_anchors: 10_000,
            max_nodes: 2_000_000,
            max_events: 4_000_000,
            max_depth: 128,
            max_documents: 1,
            max_recorded_anchor_events: 100_000,
        },
    }
}

/// The budget breach of `text` read as a whole with aliases expanded, if
/// any. Used only once parsing has failed, to tell an alias bomb from a
/// typo at no cost to valid files.
fn budget_breach(text: &str) -> Option<serde_saphyr::Error> {
    match serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(text, options()) {
        Err(e) if is_budget_error(&e) => Some(e),
        _ => None,
    }
}

fn is_budget_error(e: &serde_saphyr::Error) -> bool {
    // Budget breaches may come wrapped with alias locations; the message
    // is the stable part.
    e.without_snippet().to_string().contains("budget breached")
}

/// Parses one file's text into `T`, locating any error.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(
    text: &str,
    display: &str,
) -> Result<T, Diagnostic> {
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(Diagnostic::new(
            Code::EmptyFile,
            Location::new(display, 1, 1),
            "file is empty",
        )
        .hint("the file has no content: fill it in, or delete it"));
    }
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| {
        let e = budget_breach(text).unwrap_or(e);
        let (line, col) = e
            .location()
            .map(|l| (l.line() as u32, l.column() as u32))
            .unwrap_or((0, 0));
        let raw = e.without_snippet().to_string();
        let message = match raw.split_once("budget breached: ") {
            Some((_, rest)) => format!(
                "the YAML expands beyond the loader's budget ({})",
                rest.split([' ', '{']).next().unwrap_or(rest)
            ),
            None => strip_location_suffix(&raw),
        };
        let (code, hint) = classify(&e, &message);
        Diagnostic::new(code, Location::new(display, line, col), message).hint(hint)
    })
}

const BUDGET_HINT: &str =
    "the file expands beyond the loader's limits (aliases, nesting or size); write the data out plainly";

fn strip_location_suffix(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg);
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_owned(),
        None => first.to_owned(),
    }
}

fn classify(e: &serde_saphyr::Error, message: &str) -> (Code, &'static str) {
    let m = message.to_lowercase();
    if matches!(e.without_snippet(), serde_saphyr::Error::Budget { .. }) || m.contains("budget") {
        (Code::YamlBudget, BUDGET_HINT)
    } else if m.contains("unknown field")
        || m.contains("missing field")
        || m.contains("unknown variant")
        || m.contains("invalid type")
        || m.starts_with("expected")
        || m.starts_with("invalid")
    {
        (
            Code::Shape,
            "see docs/format.md and the JSON Schema in schema/ for the fields this file may have",
        )
    } else {
        (
            Code::YamlSyntax,
            "fix the YAML syntax here (indentation, quotes, colons)",
        )
    }
}

/// Diagnostics of files that did not parse, and whether any of them is
/// reference data.
#[derive(Debug, Default)]
pub struct ParseFailures {
    pub diagnostics: Vec<Diagnostic>,
    pub reference_failed: bool,
}

/// Parses every input file in parallel: reference files as [`CatalogFile`],
/// review files as [`ReviewFile`], the others as [`ProcedureFile`].
pub fn parse_all(files: &[InputFile]) -> (RawCatalog, ParseFailures) {
    enum Parsed {
        Cat(String, Box<CatalogFile>),
        Proc(String, Box<ProcedureFile>),
        Review(String, Box<ReviewFile>),
    }
    let results: Vec<Result<Parsed, (bool, Diagnostic)>> = files
        .par_iter()
        .map(|f| {
            let d = f.display.clone();
            match f.kind {
                FileKind::Reference => parse_yaml::<CatalogFile>(&f.text, &f.display)
                    .map(|c| Parsed::Cat(d, Box::new(c))),
                FileKind::Review => parse_yaml::<ReviewFile>(&f.text, &f.display)
                    .map(|r| Parsed::Review(d, Box::new(r))),
                FileKind::Procedure => parse_yaml::<ProcedureFile>(&f.text, &f.display)
                    .map(|p| Parsed::Proc(d, Box::new(p))),
            }
            .map_err(|d| (f.kind == FileKind::Reference, d))
        })
        .collect();
    let mut raw = RawCatalog::default();
    let mut failures = ParseFailures::default();
    for r in results {
        match r {
            Ok(Parsed::Cat(d, c)) => raw.catalog_files.push((d, *c)),
            Ok(Parsed::Proc(d, p)) => raw.procedure_files.push((d, *p)),
            Ok(Parsed::Review(d, r)) => raw.review_files.push((d, *r)),
            Err((is_reference, d)) => {
                failures.reference_failed |= is_reference;
                failures.diagnostics.push(d);
            }
        }
    }
    (raw, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_is_located() {
        let mut bytes = b"code: \"1.000001\"\nname: ab".to_vec();
        bytes.push(0xFF);
        let d = decode(bytes, "x.yaml").unwrap_err();
        assert_eq!(d.code, Code::NotUtf8);
        assert_eq!((d.location.line, d.location.column), (2, 9));
    }

    #[test]
    fn bom_is_removed() {
        let s = decode("\u{feff}a: 1".as_bytes().to_vec(), "x").unwrap();
        assert_eq!(s, "a: 1");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            y.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let r = parse_yaml::<serde::de::IgnoredAny>(&y, "bomb.yaml");
        let d = r.unwrap_err();
        assert_eq!(d.code, Code::YamlBudget, "{d}");
    }
}
