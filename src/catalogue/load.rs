//! Reading a catalogue directory: finding its YAML files, reading them
//! safely (size limit, UTF-8, byte-order mark, NFC) and parsing each into
//! the raw format. `stages` orders the work; semantic checks live in
//! `validate`.

use crate::diag::{Code, Diagnostic, Location};
use crate::format::{CatalogFile, ProcedureFile, ReviewFile};
use crate::text;
use std::collections::BTreeMap;
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

/// Where a file's content comes from.
#[derive(Debug)]
pub enum Content<'a> {
    /// A file on disk, read when it is parsed.
    Disk(PathBuf),
    /// Bytes given instead of the file on disk.
    Given(&'a [u8]),
    /// Text already in memory.
    Text(&'a str),
}

/// One file to parse.
#[derive(Debug)]
pub struct Job<'a> {
    /// The path printed in diagnostics.
    pub display: String,
    pub kind: FileKind,
    pub content: Content<'a>,
}

impl Job<'_> {
    /// The file's text, read and checked when it is not in memory.
    fn text(&self) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        match &self.content {
            Content::Disk(path) => read_file(path, &self.display).map(Into::into),
            Content::Given(bytes) => decode(bytes.to_vec(), &self.display).map(Into::into),
            Content::Text(text) => Ok((*text).into()),
        }
    }
}

/// Files in memory, as jobs.
pub fn jobs_of(files: &[InputFile]) -> Vec<Job<'_>> {
    files
        .iter()
        .map(|f| Job {
            display: f.display.clone(),
            kind: f.kind,
            content: Content::Text(&f.text),
        })
        .collect()
}

/// What a walk of a directory found.
#[derive(Debug, Default)]
pub struct Walk {
    /// The wanted files, relative to the root, sorted.
    pub files: Vec<PathBuf>,
    /// Folders that could not be read (errors, located at the folder) and
    /// links that were not followed (warnings), in walk order.
    pub problems: Vec<Diagnostic>,
}

/// Walks the directory `root` for the files `wanted` accepts, skipping
/// hidden entries. Symbolic links are followed only when they resolve
/// inside `root` (others are skipped, with a warning); every folder is
/// read once, so links back up the tree cannot make it loop; a folder that
/// cannot be read is reported at its own path and the walk goes on.
/// `Err` only when `root` itself cannot be read.
pub fn walk(root: &Path, wanted: impl Fn(&Path) -> bool) -> Result<Walk, std::io::Error> {
    let canonical_root = root.canonicalize()?;
    std::fs::read_dir(root)?;
    let mut out = Walk::default();
    let mut seen_dirs = std::collections::HashSet::from([canonical_root.clone()]);
    let mut seen_files = std::collections::HashSet::new();
    let mut stack = vec![(PathBuf::new(), canonical_root.clone())];
    let shown = |rel: &Path| root.join(rel).display().to_string();
    let skipped = |rel: &Path, why: String| {
        Diagnostic::new(Code::LinkSkipped, Location::new(shown(rel), 0, 0), why)
            .hint("links are followed only inside the folder being read; copy the file in instead")
    };
    while let Some((rel, canonical)) = stack.pop() {
        let entries = match std::fs::read_dir(root.join(&rel)) {
            Ok(rd) => rd.collect::<Result<Vec<_>, _>>(),
            Err(e) => Err(e),
        };
        let entries = match entries {
            Ok(v) => v,
            Err(e) => {
                out.problems.push(
                    Diagnostic::new(
                        Code::Io,
                        Location::new(shown(&rel), 0, 0),
                        format!("cannot read folder: {e}"),
                    )
                    .hint("check the folder's permissions; the rest was read"),
                );
                continue;
            }
        };
        for entry in entries {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let rel_child = rel.join(&name);
            let Ok(ft) = entry.file_type() else { continue };
            let (is_dir, target) = if ft.is_symlink() {
                let Ok(target) = root.join(&rel_child).canonicalize() else {
                    out.problems
                        .push(skipped(&rel_child, "broken symbolic link skipped".into()));
                    continue;
                };
                if !target.starts_with(&canonical_root) {
                    out.problems.push(skipped(
                        &rel_child,
                        format!(
                            "symbolic link to `{}`, outside the folder, skipped",
                            target.display()
                        ),
                    ));
                    continue;
                }
                (target.is_dir(), target)
            } else {
                (ft.is_dir(), canonical.join(&name))
            };
            if is_dir {
                if seen_dirs.insert(target.clone()) {
                    stack.push((rel_child, target));
                } else if ft.is_symlink() {
                    out.problems.push(skipped(
                        &rel_child,
                        "symbolic link to a folder already read, skipped".into(),
                    ));
                }
            } else if wanted(Path::new(&name)) && seen_files.insert(target) {
                // Special files are listed too: reading refuses them, located.
                out.files.push(rel_child);
            }
        }
    }
    out.files.sort();
    Ok(out)
}

/// Whether a file name ends in `.yaml` or `.yml`.
pub fn is_yaml(name: &Path) -> bool {
    matches!(
        name.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Whether `root` has its own reference data.
pub fn has_reference_dir(root: &Path) -> bool {
    root.join(CATALOG_DIR).is_dir()
}

/// Reads one file: regular files only, size limit, UTF-8 check (located
/// at the first bad byte), byte-order mark removed. Text is not
/// normalised here: values are, as they are parsed.
pub fn read_file(path: &Path, display: &str) -> Result<String, Diagnostic> {
    decode(read_bytes(path, display, MAX_FILE_BYTES)?, display)
}

/// Reads at most `max` bytes of a regular file. A FIFO, a device, a
/// socket or a folder is refused before anything is read (a FIFO is opened
/// without blocking), and the limit holds while reading, so a file that
/// grows, or lies about its size, stops at `max`.
pub fn read_bytes(path: &Path, display: &str, max: u64) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let here = |l, c| Location::new(display, l, c);
    let io = |e: std::io::Error| {
        Diagnostic::new(Code::Io, here(0, 0), format!("cannot read file: {e}"))
            .hint("check that the path exists and is readable")
    };
    let not_regular = || {
        Diagnostic::new(
            Code::Io,
            here(0, 0),
            "not a regular file (a pipe, a device, a socket or a folder): refused",
        )
        .hint("give a file saved on disk")
    };
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io)?;
    // The path may have been swapped between the two looks.
    if !file.metadata().map_err(io)?.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        let at = max as usize;
        let before = String::from_utf8_lossy(&bytes[..at]);
        let (line, col) = text::line_col(&before, before.len());
        return Err(Diagnostic::new(
            Code::FileTooLarge,
            here(line, col),
            format!("file is larger than the limit of {max} bytes, which ends here"),
        )
        .hint("split the file: one procedure per file, reference data by section"));
    }
    Ok(bytes)
}

/// UTF-8 decoding with a located error, BOM removal and NFC.
pub fn decode(bytes: Vec<u8>, display: &str) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(match s.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => s,
        }),
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

/// Told how reading a catalogue goes, for a progress display: the number
/// of files once they are found, then each file as it is parsed (from
/// any thread). The library shows nothing itself.
pub trait Progress: Sync {
    fn files_found(&self, _total: usize) {}
    fn file_parsed(&self) {}
}

/// No progress display.
pub struct Silent;

impl Progress for Silent {}

/// The YAML files below `root`, as jobs: the files found there, then
/// `replaced` (paths relative to `root` → content), read instead of what
/// is on disk. Folders that cannot be read and links not followed come
/// back as unreadable, in walk order.
pub fn find<'a>(
    root: &Path,
    replaced: &'a BTreeMap<PathBuf, Vec<u8>>,
) -> Result<(Vec<Job<'a>>, Vec<Unreadable>), Diagnostic> {
    let display_root = root.display().to_string();
    let walked = walk(root, is_yaml).map_err(|e| {
        Diagnostic::new(
            Code::Io,
            Location::new(display_root.clone(), 0, 0),
            format!("cannot read catalogue directory: {e}"),
        )
        .hint("give the path of a directory of procedure YAML files")
    })?;
    let shown = |rel: &Path| Path::new(&display_root).join(rel).display().to_string();
    let replaced_shown: std::collections::HashSet<String> =
        replaced.keys().map(|rel| shown(rel)).collect();
    let job = |rel: &Path, content| Job {
        display: shown(rel),
        kind: FileKind::of(rel),
        content,
    };
    let jobs = walked
        .files
        .iter()
        .filter(|rel| !replaced_shown.contains(&shown(rel)))
        .map(|rel| job(rel, Content::Disk(root.join(rel))))
        .chain(
            replaced
                .iter()
                .map(|(rel, bytes)| job(rel, Content::Given(bytes))),
        )
        .collect();
    let problems = walked
        .problems
        .into_iter()
        .map(|diagnostic| Unreadable {
            is_reference: FileKind::of(
                Path::new(&*diagnostic.location.path)
                    .strip_prefix(root)
                    .unwrap_or(Path::new("")),
            ) == FileKind::Reference,
            diagnostic,
        })
        .collect();
    Ok((jobs, problems))
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
        reject_unsupported_tags: true,
        ignore_binary_tag_for_string: true,
        strict_booleans: true,
        no_schema: true,
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
    serde_saphyr::with_deserializer_from_str_with_options(text, options(), |d| {
        T::deserialize(crate::values::Normalising(
            d,
            crate::values::Controls::Refuse,
        ))
    })
    .map_err(|e| {
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
    if matches!(e.without_snippet(), serde_saphyr::Error::Budget { .. })
        || m.contains("budget")
        || m.contains("recursion limit")
    {
        (Code::YamlBudget, BUDGET_HINT)
    } else if m.contains("unsupported tag") {
        (
            Code::YamlSyntax,
            "remove the tag: catalogue files are plain YAML, without `!tags`",
        )
    } else if m.contains("must be quoted") {
        (
            Code::Shape,
            "this is text that reads as a number or a yes/no: put it in quotes",
        )
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

/// One file parsed, by its kind.
pub enum Parsed {
    Cat(String, Box<CatalogFile>),
    Proc(String, Box<ProcedureFile>),
    Review(String, Box<ReviewFile>),
}

/// Why a file gave nothing.
pub enum Failed {
    /// It did not parse.
    Parse(Diagnostic),
    /// It could not be read.
    Unreadable(Diagnostic),
}

impl Failed {
    pub fn diagnostic(self) -> Diagnostic {
        match self {
            Failed::Parse(d) | Failed::Unreadable(d) => d,
        }
    }
}

/// Reads and parses one file as `T`, its text dropped once parsed.
pub fn parse_as<T: serde::de::DeserializeOwned>(job: &Job) -> Result<T, Failed> {
    let text = job.text().map_err(Failed::Unreadable)?;
    parse_yaml::<T>(&text, &job.display).map_err(Failed::Parse)
}

/// Reads and parses one file: reference files as [`CatalogFile`], review
/// files as [`ReviewFile`], the others as [`ProcedureFile`].
pub fn parse(job: &Job) -> Result<Parsed, Failed> {
    let d = job.display.clone();
    Ok(match job.kind {
        FileKind::Reference => Parsed::Cat(d, parse_as(job)?),
        FileKind::Review => Parsed::Review(d, parse_as(job)?),
        FileKind::Procedure => Parsed::Proc(d, parse_as(job)?),
    })
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
