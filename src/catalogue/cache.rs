//! The re-run cache: each procedure file's validation (its record and the
//! diagnostics it produced on its own, or the diagnostic that it did not
//! parse), kept by the hash of the file's bytes so that a run after one
//! file changed parses and validates that file alone. The checks across
//! files (codes unique, reviewers' decisions, settings) are made again on
//! every run from the records, so diagnostics are those of a run without
//! the cache.
//!
//! Layout: one folder a catalogue (named by the hash of its canonical
//! path) under the cache's root, holding [`SHARDS`] files; a procedure
//! file's record lies in the shard its displayed path hashes to, so a
//! change rewrites one shard. A shard is the bytes [`MAGIC`], then
//! postcard of [`Shelved`], then the XXH3-128 of everything before. Its
//! header names the cache format, the tool's build and the hash of the
//! reference data: a shard of another build or other reference data, or
//! one whose checksum or encoding does not hold, is ignored and rewritten,
//! never trusted. Records are matched by displayed path and content hash.
//! Shards are written whole to a fresh file beside them, then renamed over
//! the old one; the cache deletes nothing but its own unfinished files.

use crate::catalogue::intern::Interner;
use crate::catalogue::load::{self, Content, Failed, FileKind, Job, Progress};
use crate::catalogue::validate::{Checked, Reference};
use crate::diag::Diagnostic;
use crate::format::ProcedureFile;
use crate::model::Procedure;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64, Xxh3};

/// The version of the layout below and of the records' encoding; bumped
/// whenever either changes.
pub const FORMAT: u32 = 1;

/// How many files a catalogue's records are spread over.
pub const SHARDS: usize = 64;

/// The first bytes of every shard.
pub const MAGIC: &[u8; 8] = b"tthc\0cch";

/// The extension of shard files.
const EXTENSION: &str = "tthc-cache";

/// Shards larger than this are not read (a foreign file).
const MAX_SHARD_BYTES: u64 = 1 << 30;

/// Where the cache lives, and the build of the tool whose records it
/// keeps: records of another build are never used.
#[derive(Clone, Debug)]
pub struct Cache {
    root: PathBuf,
    build: String,
}

impl Cache {
    /// A cache in the folder `root` (created when first written) for the
    /// tool's build `build` (any string that changes whenever the code
    /// that validates does: the binary passes its version and the hash of
    /// its own executable).
    pub fn new(root: impl Into<PathBuf>, build: impl Into<String>) -> Self {
        Cache {
            root: root.into(),
            build: build.into(),
        }
    }

    /// The folder of the catalogue at `catalogue`, or `None` when its
    /// canonical path cannot be found.
    pub fn shelf(&self, catalogue: &Path) -> Option<Shelf> {
        let canonical = catalogue.canonicalize().ok()?;
        let name = format!(
            "{:032x}",
            xxh3_128(canonical.as_os_str().as_encoded_bytes())
        );
        Some(Shelf {
            dir: self.root.join(name),
            build: self.build.clone(),
        })
    }
}

/// One catalogue's folder of the cache.
#[derive(Clone, Debug)]
pub struct Shelf {
    dir: PathBuf,
    build: String,
}

/// What one procedure file gave.
#[derive(Serialize, Deserialize)]
enum Entry {
    /// Validated on its own.
    Checked(Box<Checked>),
    /// It did not parse.
    Rejected(Diagnostic),
}

/// A shard as stored.
#[derive(Serialize, Deserialize)]
struct Shelved<'a> {
    format: u32,
    #[serde(borrow)]
    build: Cow<'a, str>,
    reference: u128,
    #[serde(borrow)]
    records: Vec<Record<'a>>,
}

/// One file's record: where it is, the hash of its bytes, its [`Entry`]
/// encoded.
#[derive(Serialize, Deserialize)]
struct Record<'a> {
    #[serde(borrow)]
    file: Cow<'a, str>,
    content: u128,
    #[serde(borrow)]
    entry: Bytes<'a>,
}

/// Bytes written as one run (not a sequence of numbers).
struct Bytes<'a>(Cow<'a, [u8]>);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Bytes<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de [u8]>::deserialize(d).map(|b| Bytes(Cow::Borrowed(b)))
    }
}

/// The hash of the reference data: every reference job's displayed path
/// and bytes, in path order. `None` when one cannot be read (reading it
/// for validation failed too, or the file is changing).
pub fn reference_hash<'a>(jobs: impl IntoIterator<Item = &'a Job<'a>>) -> Option<u128> {
    let mut files: Vec<&Job> = jobs
        .into_iter()
        .filter(|j| j.kind == FileKind::Reference)
        .collect();
    files.sort_by(|a, b| a.display.cmp(&b.display));
    let mut h = Xxh3::new();
    for job in files {
        let bytes = bytes_of(job).ok()?;
        for part in [job.display.as_bytes(), &bytes] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
    }
    Some(h.digest128())
}

/// A job's bytes as they will be parsed.
fn bytes_of<'j>(job: &'j Job) -> Result<Cow<'j, [u8]>, Diagnostic> {
    Ok(match &job.content {
        Content::Disk(path) => load::read_bytes(path, &job.display, load::MAX_FILE_BYTES)?.into(),
        Content::Given(bytes) => Cow::Borrowed(*bytes),
        Content::Text(text) => Cow::Borrowed(text.as_bytes()),
    })
}

/// A job's text from the bytes read for it, as [`load`] reads it.
fn text_of<'j>(job: &'j Job, bytes: Cow<'j, [u8]>) -> Result<Cow<'j, str>, Diagnostic> {
    match &job.content {
        Content::Text(text) => Ok(Cow::Borrowed(*text)),
        _ => load::decode(bytes.into_owned(), &job.display).map(Cow::Owned),
    }
}

/// The shard `display` lies in.
fn shard_of(display: &str) -> usize {
    (xxh3_64(display.as_bytes()) % SHARDS as u64) as usize
}

impl Shelf {
    fn path(&self, shard: usize) -> PathBuf {
        self.dir.join(format!("{shard:02}.{EXTENSION}"))
    }

    /// Reads, parses and validates the procedure `jobs` (each with its
    /// place among all jobs) against `reference`, taking each file whose
    /// bytes are unchanged from the cache, and stores what changed.
    /// Results come back in shard order, each with its place.
    pub fn procedures(
        &self,
        jobs: &[(usize, &Job)],
        reference: &Reference,
        reference_hash: u128,
        progress: &dyn Progress,
    ) -> Vec<(usize, Result<Checked, Failed>)> {
        use rayon::prelude::*;
        let mut shards: Vec<Vec<(usize, &Job)>> = vec![Vec::new(); SHARDS];
        for &(at, job) in jobs {
            shards[shard_of(&job.display)].push((at, job));
        }
        shards
            .into_par_iter()
            .enumerate()
            .filter(|(_, jobs)| !jobs.is_empty())
            .flat_map_iter(|(shard, jobs)| {
                self.shard(shard, &jobs, reference, reference_hash, progress)
            })
            .collect()
    }

    /// One shard's jobs: stored records of unchanged files decoded, the
    /// others validated; the shard rewritten when anything differs.
    fn shard(
        &self,
        shard: usize,
        jobs: &[(usize, &Job)],
        reference: &Reference,
        reference_hash: u128,
        progress: &dyn Progress,
    ) -> Vec<(usize, Result<Checked, Failed>)> {
        let path = self.path(shard);
        let stored_bytes = load::read_bytes(&path, "", MAX_SHARD_BYTES).ok();
        let stored = stored_bytes
            .as_deref()
            .and_then(|b| self.open(b, reference_hash))
            .unwrap_or_default();
        let mut kept = Vec::with_capacity(jobs.len());
        let mut results = Vec::with_capacity(jobs.len());
        let mut changed = stored.len() != jobs.len();
        for &(at, job) in jobs {
            let (record, result) = match bytes_of(job) {
                Err(d) => (None, Err(Failed::Unreadable(d))),
                Ok(bytes) => {
                    let content = xxh3_128(&bytes);
                    let hit = stored
                        .get(job.display.as_str())
                        .filter(|(c, _)| *c == content)
                        .and_then(|&(_, entry)| {
                            let result = decode(entry, &job.display, reference.strings())?;
                            Some((Some((content, Cow::Borrowed(entry))), result))
                        });
                    hit.unwrap_or_else(|| {
                        changed = true;
                        validate(job, bytes, content, reference)
                    })
                }
            };
            if record.is_none() {
                changed = true;
            }
            kept.extend(record.map(|(content, entry)| Record {
                file: Cow::Borrowed(job.display.as_str()),
                content,
                entry: Bytes(entry),
            }));
            progress.file_parsed();
            results.push((at, result));
        }
        if changed {
            // The cache is an aid: a shard that cannot be written is
            // rebuilt on a later run.
            let _ = self.write(shard, reference_hash, kept);
        }
        results
    }

    /// The records of a stored shard by file, if it is whole and was
    /// written by this build for this reference data.
    fn open<'b>(
        &self,
        bytes: &'b [u8],
        reference_hash: u128,
    ) -> Option<HashMap<&'b str, (u128, &'b [u8])>> {
        let body = bytes.strip_prefix(MAGIC.as_slice())?;
        let (body, sum) = body.split_at_checked(body.len().checked_sub(16)?)?;
        if xxh3_128(&bytes[..MAGIC.len() + body.len()]).to_le_bytes() != sum {
            return None;
        }
        let shelved: Shelved<'b> = postcard::from_bytes(body).ok()?;
        if shelved.format != FORMAT
            || shelved.build != self.build
            || shelved.reference != reference_hash
        {
            return None;
        }
        shelved
            .records
            .into_iter()
            .map(|r| match (r.file, r.entry.0) {
                (Cow::Borrowed(file), Cow::Borrowed(entry)) => Some((file, (r.content, entry))),
                _ => None,
            })
            .collect()
    }

    /// Writes a shard whole beside the old one, then puts it in its place.
    fn write(
        &self,
        shard: usize,
        reference_hash: u128,
        records: Vec<Record>,
    ) -> std::io::Result<()> {
        let shelved = Shelved {
            format: FORMAT,
            build: Cow::Borrowed(&self.build),
            reference: reference_hash,
            records,
        };
        let mut bytes = MAGIC.to_vec();
        bytes = postcard::to_extend(&shelved, bytes).map_err(std::io::Error::other)?;
        let sum = xxh3_128(&bytes);
        bytes.extend_from_slice(&sum.to_le_bytes());
        std::fs::create_dir_all(&self.dir)?;
        crate::outdir::write_file(&self.path(shard), &bytes)
            .map_err(|d| std::io::Error::other(d.message))
    }
}

/// A stored entry, if it decodes and is this file's: strings the
/// catalogue repeats are shared again through `strings`.
fn decode(entry: &[u8], display: &str, strings: &Interner) -> Option<Result<Checked, Failed>> {
    match postcard::from_bytes::<Entry>(entry).ok()? {
        Entry::Checked(mut checked) if checked.file() == display => {
            if let Some(p) = checked.procedure_mut() {
                share_strings(p, strings);
            }
            Some(Ok(*checked))
        }
        Entry::Rejected(d) if &*d.location.path == display => Some(Err(Failed::Parse(d))),
        _ => None,
    }
}

/// Parses and validates one file, and its record when it is worth keeping
/// (a file that cannot be decoded is not).
#[allow(clippy::type_complexity)]
fn validate<'j>(
    job: &'j Job,
    bytes: Cow<'j, [u8]>,
    content: u128,
    reference: &Reference,
) -> (Option<(u128, Cow<'static, [u8]>)>, Result<Checked, Failed>) {
    let text = match text_of(job, bytes) {
        Ok(t) => t,
        Err(d) => return (None, Err(Failed::Unreadable(d))),
    };
    let entry = match load::parse_yaml::<ProcedureFile>(&text, &job.display) {
        Ok(p) => Entry::Checked(Box::new(reference.procedure(job.display.clone(), &p))),
        Err(d) => Entry::Rejected(d),
    };
    let record = postcard::to_stdvec(&entry)
        .ok()
        .map(|b| (content, Cow::Owned(b)));
    let result = match entry {
        Entry::Checked(c) => Ok(*c),
        Entry::Rejected(d) => Err(Failed::Parse(d)),
    };
    (record, result)
}

/// Shares a decoded procedure's strings with equal ones kept before, as
/// validation does.
fn share_strings(p: &mut Procedure, strings: &Interner) {
    let share = |s: &mut crate::model::Shared| *s = strings.get(s);
    let share_opt = |s: &mut Option<crate::model::Shared>| {
        if let Some(s) = s {
            *s = strings.get(s);
        }
    };
    share_opt(&mut p.sector);
    share_opt(&mut p.handled_by);
    p.applicants.iter_mut().for_each(share);
    p.notes.iter_mut().for_each(share);
    // Each file's path, once for all its locations.
    share(&mut p.location.path);
    for r in &mut p.results {
        share(&mut r.name);
        share_opt(&mut r.code);
    }
    for c in &mut p.channels {
        share_opt(&mut c.time);
        share_opt(&mut c.fee);
    }
    for l in &mut p.legal_basis {
        share(&mut l.number);
        share_opt(&mut l.title);
    }
    for c in &mut p.components {
        share(&mut c.location.path);
        share_opt(&mut c.case);
        share_opt(&mut c.unrecognised);
        for pr in &mut c.provisions {
            share(&mut pr.document);
            share_opt(&mut pr.provision);
            share_opt(&mut pr.form);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{jobs_of, InputFile, Silent};

    const PROCEDURE: &str = "code: \"1.000001\"\nname: Thủ tục\nagency: bo-tu-phap\ncomponents:\n  - {text: Tờ khai, role: form}\n  - {text: Giấy khai sinh, accepts: [giay-khai-sinh]}\n";

    fn reference() -> Reference {
        let files = crate::reference::files()
            .into_iter()
            .map(|f| {
                let parsed = load::parse_yaml(&f.text, &f.display).expect("reference parses");
                (f.display, parsed)
            })
            .collect();
        crate::validate::reference(files)
    }

    fn procedure(display: &str) -> InputFile {
        InputFile {
            display: display.into(),
            kind: FileKind::Procedure,
            text: PROCEDURE.into(),
        }
    }

    /// Loads `files` through `shelf`; what each gave, as text.
    fn through(shelf: &Shelf, reference: &Reference, files: &[InputFile]) -> Vec<String> {
        let jobs = jobs_of(files);
        let indexed: Vec<(usize, &Job)> = jobs.iter().enumerate().collect();
        let mut out: Vec<(usize, String)> = shelf
            .procedures(&indexed, reference, 7, &Silent)
            .into_iter()
            .map(|(at, r)| {
                let shown = match r {
                    Ok(mut c) => {
                        let file = c.file().to_owned();
                        format!("{file} {:?}", c.procedure_mut())
                    }
                    Err(f) => f.diagnostic().to_string(),
                };
                (at, shown)
            })
            .collect();
        out.sort();
        out.into_iter().map(|(_, s)| s).collect()
    }

    #[test]
    fn shards_of_another_build_or_reference_are_not_trusted() {
        let dir = tempfile::TempDir::new().unwrap();
        let shelf = |build: &str| Cache::new(dir.path(), build).shelf(dir.path()).unwrap();
        let files = [procedure("a.yaml")];
        let reference = reference();
        let fresh = through(&shelf("one"), &reference, &files);
        let path = shelf("one").path(shard_of("a.yaml"));
        let bytes = std::fs::read(&path).unwrap();
        assert!(shelf("one").open(&bytes, 7).is_some());
        assert!(shelf("two").open(&bytes, 7).is_none(), "another build");
        assert!(
            shelf("one").open(&bytes, 8).is_none(),
            "other reference data"
        );
        // Read by another build: rewritten for it, the same result.
        assert_eq!(through(&shelf("two"), &reference, &files), fresh);
        let bytes = std::fs::read(&path).unwrap();
        assert!(shelf("two").open(&bytes, 7).is_some());
    }

    #[test]
    fn an_entry_that_does_not_decode_is_validated_again() {
        let dir = tempfile::TempDir::new().unwrap();
        let shelf = Cache::new(dir.path(), "b").shelf(dir.path()).unwrap();
        let files = [procedure("a.yaml")];
        let reference = reference();
        let fresh = through(&shelf, &reference, &files);
        // A well-formed shard whose record holds garbage, and one that
        // claims another file's record.
        for entry in [vec![0xFF; 32], {
            let other = Entry::Rejected(Diagnostic::new(
                crate::diag::Code::Shape,
                crate::diag::Location::new("elsewhere.yaml", 1, 1),
                "not this file",
            ));
            postcard::to_stdvec(&other).unwrap()
        }] {
            let record = Record {
                file: "a.yaml".into(),
                content: xxh3_128(PROCEDURE.as_bytes()),
                entry: Bytes(entry.into()),
            };
            shelf.write(shard_of("a.yaml"), 7, vec![record]).unwrap();
            assert_eq!(through(&shelf, &reference, &files), fresh);
        }
    }
}
