//! The re-run cache: each procedure file's validation (its record and the
//! diagnostics it produced on its own, or the diagnostic that it did not
//! parse), kept by the hash of the file's bytes so that a run after one
//! file changed parses and validates that file alone. The checks across
//! files (codes unique, reviewers' decisions, settings) are made again on
//! every run, so diagnostics are those of a run without the cache.
//!
//! Layout: one folder a catalogue (named by the hash of its canonical
//! path) under the cache's root, holding [`SHARDS`] files of records
//! (`NN`), as many of heads (`hNN`: each file's [`Head`], what the checks
//! across files need, so that a run which needs no model never decodes a
//! record) and, for each [`Drawer`], as many of what a command derives from
//! each file under a key (`sNN`: the summary's contributions). A procedure
//! file lies in the shard its displayed path hashes to, so a change
//! rewrites one shard of each kind. A shard is the bytes [`MAGIC`], then
//! postcard of [`Shelved`], then the XXH3-128 of everything before. Its
//! header names the cache format, the tool's build and the hash of the
//! reference data (a drawer's: its key): a shard of another build or other
//! reference data, or one whose checksum or encoding does not hold, is
//! ignored and rewritten, never trusted. Entries are matched by displayed
//! path and content hash. Shards are written whole to a fresh file beside
//! them, then renamed over the old one; the cache deletes nothing but its
//! own unfinished files.

use crate::catalogue::intern::Interner;
use crate::catalogue::load::{self, Content, Failed, FileKind, Job, Progress};
use crate::catalogue::validate::{Checked, Head, Reference};
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
pub const FORMAT: u32 = 2;

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
    files_hash(jobs, &[FileKind::Reference])
}

/// The hash of the reference data and the reviewers' decisions: what,
/// beside a procedure's own file and the options, its verdicts depend on.
pub fn inputs_hash<'a>(jobs: impl IntoIterator<Item = &'a Job<'a>>) -> Option<u128> {
    files_hash(jobs, &[FileKind::Reference, FileKind::Review])
}

/// The hash of every job of `kinds`: displayed path and bytes, in path
/// order; `None` when one cannot be read.
fn files_hash<'a>(jobs: impl IntoIterator<Item = &'a Job<'a>>, kinds: &[FileKind]) -> Option<u128> {
    let mut files: Vec<&Job> = jobs
        .into_iter()
        .filter(|j| kinds.contains(&j.kind))
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

/// What a run needs of each procedure file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Its model: every record decoded (or the file validated).
    Model,
    /// Its [`Head`] alone where the heads' shard has it: the model of an
    /// unchanged file is left on the shelf, that of a changed one made.
    Heads,
}

/// The shards a catalogue's folder holds.
#[derive(Clone, Copy)]
enum Kind {
    /// Each file's whole record.
    Records,
    /// Each file's [`Head`].
    Heads,
}

/// What one procedure file gave, short: its head, or that it did not parse.
#[derive(Serialize, Deserialize)]
enum Brief {
    Checked(Head),
    Rejected(Diagnostic),
}

impl Brief {
    fn of(result: &Result<Checked, Failed>) -> Option<Brief> {
        match result {
            Ok(c) => Some(Brief::Checked(c.head().clone())),
            Err(Failed::Parse(d)) => Some(Brief::Rejected(d.clone())),
            Err(Failed::Unreadable(_)) => None,
        }
    }

    /// A stored brief, if it decodes and is this file's.
    fn decode(entry: &[u8], display: &str, content: u128) -> Option<Result<Checked, Failed>> {
        match postcard::from_bytes::<Brief>(entry).ok()? {
            Brief::Checked(head) if head.file() == display => {
                Some(Ok(Checked::shelved(head, content)))
            }
            Brief::Rejected(d) if &*d.location.path == display => Some(Err(Failed::Parse(d))),
            _ => None,
        }
    }
}

/// A job read: its bytes and their hash, or why it could not be.
type Read<'j> = Result<(Cow<'j, [u8]>, u128), Diagnostic>;

impl Shelf {
    fn path(&self, kind: Kind, shard: usize) -> PathBuf {
        let prefix = match kind {
            Kind::Records => "",
            Kind::Heads => "h",
        };
        self.dir.join(format!("{prefix}{shard:02}.{EXTENSION}"))
    }

    /// Reads, parses and validates the procedure `jobs` (each with its
    /// place among all jobs) against `reference`, taking each file whose
    /// bytes are unchanged from the cache, and stores what changed. With
    /// [`Need::Heads`], an unchanged file gives its head alone. Results
    /// come back in shard order, each with its place.
    pub fn procedures(
        &self,
        jobs: &[(usize, &Job)],
        reference: &Reference,
        reference_hash: u128,
        need: Need,
        progress: &dyn Progress,
    ) -> Vec<(usize, Result<Checked, Failed>)> {
        use rayon::prelude::*;
        by_shard(jobs)
            .into_par_iter()
            .enumerate()
            .filter(|(_, jobs)| !jobs.is_empty())
            .flat_map_iter(|(shard, jobs)| {
                self.shard(shard, &jobs, reference, reference_hash, need, progress)
            })
            .collect()
    }

    /// The models of `jobs`, from the records of unchanged files, the
    /// others validated; nothing is stored (the run that gave their heads
    /// stored what changed).
    pub fn models(
        &self,
        jobs: &[(usize, &Job)],
        reference: &Reference,
        reference_hash: u128,
    ) -> Vec<(usize, Result<Checked, Failed>)> {
        use rayon::prelude::*;
        by_shard(jobs)
            .into_par_iter()
            .enumerate()
            .filter(|(_, jobs)| !jobs.is_empty())
            .flat_map_iter(|(shard, jobs)| {
                let bytes = self.read(Kind::Records, shard);
                let stored = bytes
                    .as_deref()
                    .and_then(|b| self.open(b, reference_hash))
                    .unwrap_or_default();
                jobs.into_iter()
                    .map(|(at, job)| {
                        let result = match read(job) {
                            Err(d) => Err(Failed::Unreadable(d)),
                            Ok((bytes, content)) => from_record(&stored, job, content, reference)
                                .map(|(_, r)| r)
                                .unwrap_or_else(|| validate(job, bytes, content, reference).1),
                        };
                        (at, result)
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn read(&self, kind: Kind, shard: usize) -> Option<Vec<u8>> {
        load::read_bytes(&self.path(kind, shard), "", MAX_SHARD_BYTES).ok()
    }

    /// One shard's jobs: heads or records of unchanged files decoded, the
    /// others validated; each of the two shards rewritten when what it
    /// should hold differs from what it holds.
    fn shard(
        &self,
        shard: usize,
        jobs: &[(usize, &Job)],
        reference: &Reference,
        reference_hash: u128,
        need: Need,
        progress: &dyn Progress,
    ) -> Vec<(usize, Result<Checked, Failed>)> {
        let head_bytes = self.read(Kind::Heads, shard);
        let stored_heads = head_bytes
            .as_deref()
            .and_then(|b| self.open(b, reference_hash))
            .unwrap_or_default();
        let mut results = Vec::with_capacity(jobs.len());
        let mut heads: Vec<Record> = Vec::with_capacity(jobs.len());
        let mut heads_changed = stored_heads.len() != jobs.len();
        // Files whose head was taken, and those that need their record.
        let mut shelved: Vec<(&Job, u128)> = Vec::new();
        let mut pending: Vec<(usize, &Job, Cow<[u8]>, u128)> = Vec::new();
        for &(at, job) in jobs {
            match read(job) {
                Err(d) => {
                    heads_changed = true;
                    results.push((at, Err(Failed::Unreadable(d))));
                    progress.file_parsed();
                }
                Ok((bytes, content)) => {
                    let head = (need == Need::Heads)
                        .then(|| stored_heads.get(job.display.as_str()))
                        .flatten()
                        .filter(|(c, _)| *c == content)
                        .and_then(|&(_, entry)| {
                            Some((entry, Brief::decode(entry, &job.display, content)?))
                        });
                    match head {
                        Some((entry, result)) => {
                            heads.push(record(job, content, Cow::Borrowed(entry)));
                            shelved.push((job, content));
                            results.push((at, result));
                            progress.file_parsed();
                        }
                        None => pending.push((at, job, bytes, content)),
                    }
                }
            }
        }
        if pending.is_empty() && need == Need::Heads {
            if heads_changed {
                // The cache is an aid: a shard that cannot be written is
                // rebuilt on a later run.
                let _ = self.write(Kind::Heads, shard, reference_hash, heads);
            }
            return results;
        }
        let record_bytes = self.read(Kind::Records, shard);
        let stored = record_bytes
            .as_deref()
            .and_then(|b| self.open(b, reference_hash))
            .unwrap_or_default();
        let mut records_changed =
            need == Need::Model && stored.len() != jobs.len() || results.len() > shelved.len();
        let mut kept: Vec<Record> = Vec::with_capacity(jobs.len());
        // The records of files whose head was taken stay as they were.
        for (job, content) in shelved {
            match stored.get(job.display.as_str()) {
                Some(&(c, entry)) if c == content => {
                    kept.push(record(job, content, Cow::Borrowed(entry)))
                }
                _ => records_changed = true,
            }
        }
        for (at, job, bytes, content) in pending {
            let (entry, result) = match from_record(&stored, job, content, reference) {
                Some((entry, result)) => (Some(Cow::Borrowed(entry)), result),
                None => {
                    records_changed = true;
                    validate(job, bytes, content, reference)
                }
            };
            kept.extend(entry.map(|e| record(job, content, e)));
            let brief = stored_heads
                .get(job.display.as_str())
                .filter(|(c, _)| *c == content)
                .map(|&(_, e)| Cow::Borrowed(e))
                .or_else(|| {
                    heads_changed = true;
                    Brief::of(&result)
                        .and_then(|b| postcard::to_stdvec(&b).ok())
                        .map(Cow::Owned)
                });
            heads.extend(brief.map(|b| record(job, content, b)));
            progress.file_parsed();
            results.push((at, result));
        }
        if records_changed {
            let _ = self.write(Kind::Records, shard, reference_hash, kept);
        }
        if heads_changed {
            let _ = self.write(Kind::Heads, shard, reference_hash, heads);
        }
        results
    }

    /// The records of a stored shard by file, if it is whole and was
    /// written by this build for this reference data (or key).
    fn open<'b>(&self, bytes: &'b [u8], key: u128) -> Option<HashMap<&'b str, (u128, &'b [u8])>> {
        let body = bytes.strip_prefix(MAGIC.as_slice())?;
        let (body, sum) = body.split_at_checked(body.len().checked_sub(16)?)?;
        if xxh3_128(&bytes[..MAGIC.len() + body.len()]).to_le_bytes() != sum {
            return None;
        }
        let shelved: Shelved<'b> = postcard::from_bytes(body).ok()?;
        if shelved.format != FORMAT || shelved.build != self.build || shelved.reference != key {
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
        kind: Kind,
        shard: usize,
        key: u128,
        records: Vec<Record>,
    ) -> std::io::Result<()> {
        self.write_at(&self.path(kind, shard), key, records)
    }

    fn write_at(&self, path: &Path, key: u128, records: Vec<Record>) -> std::io::Result<()> {
        let shelved = Shelved {
            format: FORMAT,
            build: Cow::Borrowed(&self.build),
            reference: key,
            records,
        };
        let mut bytes = MAGIC.to_vec();
        bytes = postcard::to_extend(&shelved, bytes).map_err(std::io::Error::other)?;
        let sum = xxh3_128(&bytes);
        bytes.extend_from_slice(&sum.to_le_bytes());
        std::fs::create_dir_all(&self.dir)?;
        crate::outdir::write_file(path, &bytes).map_err(|d| std::io::Error::other(d.message))
    }

    /// The drawer `name` of this catalogue: records that a command derives
    /// from each procedure file, valid under `key` (the hash of everything
    /// else they depend on). Its shards are read at once.
    pub fn drawer(&self, name: &str, key: u128) -> Drawer {
        let shards = (0..SHARDS)
            .map(|shard| {
                let path = self.dir.join(format!("{name}{shard:02}.{EXTENSION}"));
                let records = load::read_bytes(&path, "", MAX_SHARD_BYTES)
                    .ok()
                    .and_then(|bytes| {
                        let records = self.open(&bytes, key)?;
                        Some(
                            records
                                .into_iter()
                                .map(|(f, (c, e))| (f.to_owned(), (c, e.to_vec())))
                                .collect(),
                        )
                    })
                    .unwrap_or_default();
                DrawerShard {
                    path,
                    records,
                    used: HashMap::new(),
                    changed: false,
                }
            })
            .collect();
        Drawer {
            shelf: self.clone(),
            key,
            shards,
        }
    }
}

/// Jobs by the shard their displayed path lies in.
fn by_shard<'a>(jobs: &[(usize, &'a Job<'a>)]) -> Vec<Vec<(usize, &'a Job<'a>)>> {
    let mut shards: Vec<Vec<(usize, &Job)>> = vec![Vec::new(); SHARDS];
    for &(at, job) in jobs {
        shards[shard_of(&job.display)].push((at, job));
    }
    shards
}

/// A job's bytes and their hash.
fn read<'j>(job: &'j Job) -> Read<'j> {
    bytes_of(job).map(|bytes| {
        let content = xxh3_128(&bytes);
        (bytes, content)
    })
}

fn record<'a>(job: &'a Job, content: u128, entry: Cow<'a, [u8]>) -> Record<'a> {
    Record {
        file: Cow::Borrowed(job.display.as_str()),
        content,
        entry: Bytes(entry),
    }
}

/// The stored record of `job` if its bytes are unchanged and it decodes.
fn from_record<'b>(
    stored: &HashMap<&'b str, (u128, &'b [u8])>,
    job: &Job,
    content: u128,
    reference: &Reference,
) -> Option<(&'b [u8], Result<Checked, Failed>)> {
    let &(c, entry) = stored.get(job.display.as_str())?;
    if c != content {
        return None;
    }
    let result = decode(entry, &job.display, reference.strings())?;
    Some((entry, result.map(|c| c.with_content(content))))
}

/// One shard of a [`Drawer`]: what it held, what this run used or put.
struct DrawerShard {
    path: PathBuf,
    records: HashMap<String, (u128, Vec<u8>)>,
    used: HashMap<String, (u128, Vec<u8>)>,
    changed: bool,
}

/// Records derived from procedure files, by displayed path and content
/// hash, under one key. [`Drawer::save`] keeps what this run took or put,
/// nothing else.
pub struct Drawer {
    shelf: Shelf,
    key: u128,
    shards: Vec<DrawerShard>,
}

impl Drawer {
    /// The record of `file` whose bytes hash to `content`, if stored.
    pub fn take(&mut self, file: &str, content: u128) -> Option<Vec<u8>> {
        let shard = &mut self.shards[shard_of(file)];
        let (c, bytes) = shard.records.remove(file)?;
        if c != content {
            shard.changed = true;
            return None;
        }
        shard.used.insert(file.to_owned(), (c, bytes.clone()));
        Some(bytes)
    }

    /// Puts the record of `file` whose bytes hash to `content`.
    pub fn put(&mut self, file: &str, content: u128, bytes: Vec<u8>) {
        let shard = &mut self.shards[shard_of(file)];
        shard.records.remove(file);
        shard.used.insert(file.to_owned(), (content, bytes));
        shard.changed = true;
    }

    /// Writes each shard whose records changed, with the records this run
    /// took or put. The cache is an aid: a shard not written is rebuilt on
    /// a later run.
    pub fn save(self) {
        for shard in self.shards {
            if !shard.changed && shard.records.is_empty() {
                continue;
            }
            let mut records: Vec<Record> = shard
                .used
                .iter()
                .map(|(f, (c, e))| Record {
                    file: Cow::Borrowed(f),
                    content: *c,
                    entry: Bytes(Cow::Borrowed(e)),
                })
                .collect();
            records.sort_by(|a, b| a.file.cmp(&b.file));
            let _ = self.shelf.write_at(&shard.path, self.key, records);
        }
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
/// (a file that cannot be decoded is not); the model notes `content`.
#[allow(clippy::type_complexity)]
fn validate<'j>(
    job: &'j Job,
    bytes: Cow<'j, [u8]>,
    content: u128,
    reference: &Reference,
) -> (Option<Cow<'static, [u8]>>, Result<Checked, Failed>) {
    let text = match text_of(job, bytes) {
        Ok(t) => t,
        Err(d) => return (None, Err(Failed::Unreadable(d))),
    };
    let entry = match load::parse_yaml::<ProcedureFile>(&text, &job.display) {
        Ok(p) => Entry::Checked(Box::new(reference.procedure(job.display.clone(), &p))),
        Err(d) => Entry::Rejected(d),
    };
    let record = postcard::to_stdvec(&entry).ok().map(Cow::Owned);
    let result = match entry {
        Entry::Checked(c) => Ok((*c).with_content(content)),
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
            .procedures(&indexed, reference, 7, Need::Model, &Silent)
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
        let path = shelf("one").path(Kind::Records, shard_of("a.yaml"));
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
    fn heads_stand_for_unchanged_files_and_changed_ones_give_models() {
        let dir = tempfile::TempDir::new().unwrap();
        let shelf = Cache::new(dir.path(), "b").shelf(dir.path()).unwrap();
        let reference = reference();
        let run = |files: &[InputFile], need| {
            let jobs = jobs_of(files);
            let indexed: Vec<(usize, &Job)> = jobs.iter().enumerate().collect();
            let mut out: Vec<(usize, bool, Head)> = shelf
                .procedures(&indexed, &reference, 7, need, &Silent)
                .into_iter()
                .map(|(at, r)| {
                    let c = r.ok().expect("validates");
                    (at, c.is_shelved(), c.head().clone())
                })
                .collect();
            out.sort_by_key(|o| o.0);
            out
        };
        let files = [procedure("a.yaml"), procedure("b.yaml")];
        let whole = run(&files, Need::Model);
        assert!(whole.iter().all(|(_, shelved, _)| !shelved));
        let heads = run(&files, Need::Heads);
        assert!(heads.iter().all(|(_, shelved, _)| *shelved));
        assert_eq!(
            heads.iter().map(|h| &h.2).collect::<Vec<_>>(),
            whole.iter().map(|h| &h.2).collect::<Vec<_>>()
        );
        // One file changes: its model is made, the other stays shelved,
        // and the records of both are kept for a run that needs models.
        let mut changed = files.clone();
        changed[1].text = PROCEDURE.replace("Thủ tục", "Thủ tục khác");
        let after = run(&changed, Need::Heads);
        assert_eq!(
            after.iter().map(|h| h.1).collect::<Vec<_>>(),
            vec![true, false]
        );
        let records = std::fs::read(shelf.path(Kind::Records, shard_of("a.yaml"))).unwrap();
        let stored = shelf.open(&records, 7).unwrap();
        assert!(stored.contains_key("a.yaml"));
        assert!(run(&changed, Need::Heads).iter().all(|h| h.1));
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
            shelf
                .write(Kind::Records, shard_of("a.yaml"), 7, vec![record])
                .unwrap();
            assert_eq!(through(&shelf, &reference, &files), fresh);
        }
    }
}
