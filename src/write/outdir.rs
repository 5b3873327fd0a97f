//! Writing a directory of generated files (imports, reports): whole or not
//! at all, and never over anything the user owns.
//!
//! Ownership is proved, not assumed: every directory `tthc` writes holds a
//! manifest ([`MANIFEST`]) listing each file it wrote with its size and
//! SHA-256. An existing directory is replaced only when everything in it is
//! `tthc`'s own, unchanged output by that manifest; anything else (a file
//! the manifest does not list, an edited file, a symbolic link, a special
//! file, a folder the output does not explain) is foreign, and the
//! directory is refused unless `--force` is given on that very run. Even
//! then only `tthc`'s own previous files are removed or replaced; foreign
//! entries are kept, said, and never written through. The manifest written
//! after `--force` lists only `tthc`'s files, so the foreign ones keep a
//! later run without `--force` away.
//!
//! Replacement is a swap of whole directories: the new tree is staged in a
//! sibling `.tthc-staging-*` directory, then exchanged with the old one in
//! one atomic `renameat2(RENAME_EXCHANGE)` (two renames where the system has
//! no exchange), and the old tree deleted. Staging directories left by a
//! killed run are removed by the next run writing the same output, once
//! their own manifest proves `tthc` made them.

use crate::diag::{Code, Diagnostic, Location};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The manifest of a directory written by `tthc`.
pub const MANIFEST: &str = ".tthc-manifest";
/// The marker earlier versions wrote; recognised (by its exact content) as
/// `tthc`'s own file, never as proof that the rest is.
const LEGACY_MARKER: &str = ".tthc-output";
const LEGACY_TEXT: &[u8] =
    b"This directory was written by tthc; writing the same output again replaces it.\n";
const STAGING: &str = ".tthc-staging-";
/// The journal of a staging directory being written (see [`DirWriter`]).
const JOURNAL: &str = ".tthc-journal";
const SCHEMA: &str = "tthc.manifest/1";
/// A manifest larger than this is not one `tthc` wrote.
const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;
/// How many foreign entries a message names.
const NAMED: usize = 10;

/// One version of a file `tthc` wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    bytes: u64,
    sha256: String,
}

/// Relative path (`/`-separated) → the versions `tthc` wrote there (more
/// than one only while a `--force` update is under way).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    schema: String,
    files: BTreeMap<String, Vec<Entry>>,
}

impl Manifest {
    fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}

/// What a finished write did, for the user to be told.
#[derive(Debug, Default)]
pub struct Written {
    /// Entries of the directory `tthc` did not write, kept as they were
    /// (`--force` only).
    pub kept: Vec<String>,
    /// Staging directories of earlier, interrupted runs that were removed.
    pub stale_removed: Vec<String>,
}

/// Why a directory was not written.
#[derive(Debug)]
pub enum OutDirError {
    /// It holds what `tthc` did not write, or would be written through a
    /// link or over a foreign file: input rejected.
    Refused(Diagnostic),
    /// The path cannot be written (permissions, a missing device, a full
    /// disk): a usage problem.
    Unwritable(Diagnostic),
}

/// Writes `files` (relative path → content) as the directory `dir`: a
/// [`DirWriter`] given every file, then committed.
///
/// A missing or empty directory, or one holding only `tthc`'s own unchanged
/// output, is replaced whole. Anything foreign makes it refuse, unless
/// `force`: then foreign entries are kept and only `tthc`'s files replaced.
pub fn write_dir(
    dir: &Path,
    files: &BTreeMap<PathBuf, Vec<u8>>,
    force: bool,
) -> Result<Written, OutDirError> {
    let mut w = DirWriter::begin(dir, force)?;
    for (rel, bytes) in files {
        w.add(rel, bytes)?;
    }
    w.commit()
}

/// An output directory written file by file: its files go into a staging
/// directory beside it as they are made, and [`DirWriter::commit`] puts the
/// whole tree in place (see the module). Dropped without a commit, the
/// staging is removed and `dir` is left as it was.
///
/// Until the commit the staging directory's journal ([`JOURNAL`]) lists
/// each file before it is created, so the staging of a killed run can be
/// proved `tthc`'s and removed by the next run.
pub struct DirWriter {
    dir: PathBuf,
    existing: Option<std::fs::Metadata>,
    survey: Survey,
    staging: Staging,
    journal: std::fs::File,
    manifest: Manifest,
    written: Written,
}

impl DirWriter {
    /// Checks that `dir` may be written (refusing what `force` does not
    /// allow before anything is made), removes the staging of interrupted
    /// runs, and creates this run's staging directory.
    pub fn begin(dir: &Path, force: bool) -> Result<DirWriter, OutDirError> {
        let refuse = |msg: String, hint: &str| {
            OutDirError::Refused(Diagnostic::new(Code::Io, located(dir), msg).hint(hint))
        };
        let io = |e| unwritable(dir, e);
        let existing = match std::fs::symlink_metadata(dir) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(e)),
        };
        if let Some(m) = &existing {
            if m.file_type().is_symlink() {
                return Err(refuse(
                    "the output path is a symbolic link".into(),
                    "give the directory itself, not a link to it",
                ));
            }
            if !m.is_dir() {
                return Err(refuse(
                    "the output path exists and is not a directory".into(),
                    "give a directory path",
                ));
            }
        }
        let survey = match &existing {
            Some(_) => survey(dir).map_err(io)?,
            None => Survey::default(),
        };
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                refuse(
                    "the output path names no directory".into(),
                    "give a directory path, e.g. `--out report`",
                )
            })?;
        if !survey.foreign.is_empty() && !force {
            return Err(refuse(
                format!(
                    "refusing to replace a directory that holds what tthc did not write: {}",
                    listing(&survey.foreign)
                ),
                "choose a new directory; or pass --force to keep those and replace only tthc's own files",
            ));
        }
        std::fs::create_dir_all(&parent).map_err(io)?;
        let written = Written {
            stale_removed: remove_stale(&parent, &name),
            ..Written::default()
        };
        let staging = Staging::create(&parent, &name).map_err(io)?;
        let journal = std::fs::OpenOptions::new()
            .append(true)
            .create_new(true)
            .open(staging.path().join(JOURNAL))
            .map_err(io)?;
        Ok(DirWriter {
            dir: dir.to_path_buf(),
            existing,
            survey,
            staging,
            journal,
            manifest: Manifest {
                schema: SCHEMA.into(),
                files: BTreeMap::new(),
            },
            written,
        })
    }

    /// Writes `bytes` as the file `rel` (a relative path inside the
    /// output; written again, the later content stands).
    pub fn add(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), OutDirError> {
        let entry = entry_of(bytes);
        let (k, path) = self.open(rel, Some(&entry))?;
        std::fs::write(&path, bytes).map_err(|e| unwritable(&self.dir, e))?;
        self.manifest.files.insert(k, vec![entry]);
        Ok(())
    }

    /// Writes the file `rel` as `write` makes it, through a buffer, so it
    /// is never held whole. An error of `write` is returned as it is, and
    /// the file is then not part of the output.
    pub fn add_with<E: From<OutDirError>>(
        &mut self,
        rel: &Path,
        write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), E>,
    ) -> Result<(), E> {
        let (k, path) = self.open(rel, None)?;
        let file = std::fs::File::create(&path).map_err(|e| unwritable(&self.dir, e))?;
        let mut out = Hashing {
            inner: std::io::BufWriter::with_capacity(1 << 16, file),
            hash: Sha256::new(),
            bytes: 0,
        };
        let done = write(&mut out);
        if let Err(e) = done {
            let _ = std::fs::remove_file(&path);
            self.manifest.files.remove(&k);
            return Err(e);
        }
        use std::io::Write;
        out.inner.flush().map_err(|e| unwritable(&self.dir, e))?;
        let entry = Entry {
            bytes: out.bytes,
            sha256: hex(&out.hash.finalize()),
        };
        self.manifest.files.insert(k, vec![entry]);
        Ok(())
    }

    /// How many files have been added.
    pub fn len(&self) -> usize {
        self.manifest.files.len()
    }

    /// Whether no file has been added.
    pub fn is_empty(&self) -> bool {
        self.manifest.files.is_empty()
    }

    /// Checks `rel`, journals it (with its entry when known) before it is
    /// created, and makes the folders on its way.
    fn open(
        &mut self,
        rel: &Path,
        entry: Option<&Entry>,
    ) -> Result<(String, PathBuf), OutDirError> {
        let Some(k) = key(rel) else {
            return Err(OutDirError::Refused(
                Diagnostic::new(
                    Code::Io,
                    located(&self.dir),
                    format!("refusing to write `{}` outside the output", rel.display()),
                )
                .hint("output paths are relative and stay inside the directory"),
            ));
        };
        let io = |e| unwritable(&self.dir, e);
        let mut line = serde_json::to_vec(&Journaled {
            path: k.clone(),
            entry: entry.cloned(),
        })
        .map_err(|e| io(e.into()))?;
        line.push(b'\n');
        use std::io::Write;
        self.journal.write_all(&line).map_err(io)?;
        let path = self.staging.path().join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(io)?;
        }
        Ok((k, path))
    }

    /// Puts the written tree in place: the staging, its manifest complete,
    /// is exchanged with `dir` whole; with `--force` over foreign entries,
    /// `tthc`'s files are moved in one by one, never over or through a
    /// foreign entry (refused before anything is moved).
    pub fn commit(self) -> Result<Written, OutDirError> {
        let DirWriter {
            dir,
            existing,
            survey,
            staging,
            journal,
            manifest,
            mut written,
        } = self;
        let io = |e| unwritable(&dir, e);
        drop(journal);
        std::fs::write(staging.path().join(MANIFEST), manifest.to_bytes()).map_err(io)?;
        std::fs::remove_file(staging.path().join(JOURNAL)).map_err(io)?;
        if survey.foreign.is_empty() {
            if let Some(m) = &existing {
                let _ = std::fs::set_permissions(staging.path(), m.permissions());
            }
            swap(staging, &dir, existing.is_some()).map_err(io)?;
            return Ok(written);
        }
        // --force over foreign entries: never through them.
        let collisions = collisions(&dir, &survey, manifest.files.keys());
        if !collisions.is_empty() {
            return Err(OutDirError::Refused(
                Diagnostic::new(
                    Code::Io,
                    located(&dir),
                    format!(
                        "refusing to overwrite what tthc did not write: {}",
                        listing(&collisions)
                    ),
                )
                .hint(
                    "move or rename those entries, or choose a new directory; nothing was written",
                ),
            ));
        }
        update_in_place(&dir, &staging, &survey, manifest).map_err(io)?;
        written.kept = survey.foreign;
        Ok(written)
    }
}

/// A journal line: a file about to be written, with its size and hash when
/// they are known beforehand.
#[derive(Serialize, Deserialize)]
struct Journaled {
    path: String,
    entry: Option<Entry>,
}

/// A writer that hashes and counts what it passes on.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: std::io::Write> std::io::Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn located(dir: &Path) -> Location {
    Location::new(dir.display().to_string(), 0, 0)
}

fn unwritable(dir: &Path, e: std::io::Error) -> OutDirError {
    OutDirError::Unwritable(
        Diagnostic::new(
            Code::Io,
            located(dir),
            format!("cannot write the output: {e}"),
        )
        .hint("check the path and its permissions; the directory was left as it was"),
    )
}

/// Writes one file whole or not at all: a temporary file beside it, then a
/// rename over it. The file gets the mode of the file it replaces, or the
/// umask's (`0666` less the umask), like any other tool's output.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_file_with(path, |w| w.write_all(bytes))
}

/// [`write_file`] of what `write` writes as it makes it (through a buffer,
/// so a large output is never held whole in memory). Should `write` fail,
/// nothing is left on disk and the target is untouched.
pub fn write_file_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| {
        Diagnostic::new(
            Code::Io,
            Location::new(path.display().to_string(), 0, 0),
            format!("cannot write the output file: {e}"),
        )
        .hint("check the path and its permissions; nothing was written")
    };
    let tmp = stage_file(path, write).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

/// Writes `bytes` in full to a new temporary file beside `path`, with the
/// mode of the file it will replace or the umask's; returns its path.
fn stage_file(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the path names no file"))?
        .to_string_lossy()
        .into_owned();
    let existing = std::fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        return Err(std::io::Error::other(
            "it exists and is not a regular file (leave out --out to write to standard output)",
        ));
    }
    let mut n = 0u32;
    let (tmp, mut f) = loop {
        let tmp = dir.join(format!(".{name}.tthc-tmp-{}-{n}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        use std::io::Write;
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut f);
        write(&mut buffered)?;
        buffered.flush()?;
        drop(buffered);
        f.sync_all()?;
        drop(f);
        if let Some(m) = &existing {
            std::fs::set_permissions(&tmp, m.permissions())?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Writes `files` (paths relative to `root`) as one change: each file is
/// first written in full beside its target, then each replaces its target;
/// should a replacement fail, the targets already replaced get their old
/// content back. Nothing but the targets is touched.
pub fn replace_files(root: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<(), Diagnostic> {
    let io = |path: &Path, e: std::io::Error| {
        Diagnostic::new(
            Code::Io,
            Location::new(path.display().to_string(), 0, 0),
            format!("cannot write: {e}"),
        )
        .hint("check the path and its permissions; nothing was changed")
    };
    let mut staged: Vec<(PathBuf, PathBuf, Option<Vec<u8>>)> = Vec::new();
    let unstage = |staged: &[(PathBuf, PathBuf, Option<Vec<u8>>)]| {
        for (_, tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (rel, bytes) in files {
        let target = root.join(rel);
        let prepared = (|| {
            let dir = target.parent().unwrap_or(root);
            std::fs::create_dir_all(dir)?;
            let old = match std::fs::read(&target) {
                Ok(b) => Some(b),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(e),
            };
            Ok((stage_file(&target, |w| w.write_all(bytes))?, old))
        })();
        match prepared {
            Ok((tmp, old)) => staged.push((target, tmp, old)),
            Err(e) => {
                unstage(&staged);
                return Err(io(&target, e));
            }
        }
    }
    for i in 0..staged.len() {
        let (target, tmp, _) = &staged[i];
        if let Err(e) = std::fs::rename(tmp, target) {
            for (t, _, old) in staged[..i].iter().rev() {
                let _ = match old {
                    Some(b) => std::fs::write(t, b),
                    None => std::fs::remove_file(t),
                };
            }
            unstage(&staged[i..]);
            return Err(io(target, e));
        }
    }
    Ok(())
}

/// `a, b, c (and N more)`.
fn listing(entries: &[String]) -> String {
    let mut s = entries
        .iter()
        .take(NAMED)
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if entries.len() > NAMED {
        s.push_str(&format!(" (and {} more)", entries.len() - NAMED));
    }
    s
}

/// The manifest key of a relative path: normal components joined by `/`.
fn key(rel: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str()?),
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn entry_of(bytes: &[u8]) -> Entry {
    Entry {
        bytes: bytes.len() as u64,
        sha256: hex(&Sha256::digest(bytes)),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hash and size of a file, read without following anything.
fn entry_of_file(path: &Path) -> std::io::Result<Entry> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        h.update(&buf[..n]);
    }
    Ok(Entry {
        bytes,
        sha256: hex(&h.finalize()),
    })
}

/// The manifest of `dir`, if it has a valid one (a regular file, not a link).
fn read_manifest(dir: &Path) -> Option<Manifest> {
    let path = dir.join(MANIFEST);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_MANIFEST_BYTES {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    let m: Manifest = serde_json::from_slice(&bytes).ok()?;
    let keys_ok = m
        .files
        .keys()
        .all(|k| key(Path::new(k)).as_deref() == Some(k.as_str()));
    (m.schema == SCHEMA && keys_ok).then_some(m)
}

/// What an existing directory holds, by whose it is.
#[derive(Debug, Default)]
struct Survey {
    /// `tthc`'s own unchanged files (manifest keys).
    ours: Vec<String>,
    /// Everything else, as relative paths (`/` for a folder's contents).
    foreign: Vec<String>,
    /// Whether the directory has a valid manifest.
    has_manifest: bool,
}

/// Classifies every entry of `dir` without following any link.
fn survey(dir: &Path) -> std::io::Result<Survey> {
    let manifest = read_manifest(dir);
    let listed = manifest.as_ref().map(|m| &m.files);
    // Folders the manifest's paths pass through.
    let implied: BTreeSet<String> = listed
        .into_iter()
        .flat_map(|f| f.keys())
        .flat_map(|k| {
            let parts: Vec<&str> = k.split('/').collect();
            (1..parts.len())
                .map(|i| parts[..i].join("/"))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut s = Survey {
        has_manifest: manifest.is_some(),
        ..Survey::default()
    };
    let mut stack = vec![String::new()];
    while let Some(rel) = stack.pop() {
        let here = if rel.is_empty() {
            dir.to_path_buf()
        } else {
            dir.join(&rel)
        };
        let mut children = 0;
        let mut entries: Vec<_> = std::fs::read_dir(&here)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            children += 1;
            let name = e.file_name();
            let Some(name) = name.to_str() else {
                s.foreign.push(format!("{rel}{}", name.to_string_lossy()));
                continue;
            };
            let k = if rel.is_empty() {
                name.to_owned()
            } else {
                format!("{rel}/{name}")
            };
            if k == MANIFEST && s.has_manifest {
                continue;
            }
            let ft = e.file_type()?;
            if ft.is_dir() {
                stack.push(k);
            } else if ft.is_file() {
                let path = e.path();
                let mine = match listed.and_then(|l| l.get(&k)) {
                    Some(versions) => versions.contains(&entry_of_file(&path)?),
                    None => k == LEGACY_MARKER && std::fs::read(&path)? == LEGACY_TEXT,
                };
                if mine {
                    s.ours.push(k);
                } else {
                    s.foreign.push(k);
                }
            } else {
                // Links, pipes, sockets, devices: never ours.
                s.foreign.push(k);
            }
        }
        if children == 0 && !rel.is_empty() && !implied.contains(&rel) {
            s.foreign.push(format!("{rel}/"));
        }
    }
    s.foreign.sort();
    s.ours.sort();
    Ok(s)
}

/// A staging directory, removed when dropped unless it was moved away.
struct Staging {
    path: PathBuf,
    armed: bool,
}

impl Staging {
    /// Creates `parent/.tthc-staging-NAME-PID-N` (mode from the umask).
    fn create(parent: &Path, name: &str) -> std::io::Result<Staging> {
        let pid = std::process::id();
        let mut n = 0u32;
        loop {
            let path = parent.join(format!("{STAGING}{name}-{pid}-{n}"));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Staging { path, armed: true }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => return Err(e),
            }
        }
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.armed {
            let _ = remove_tree(&self.path);
        }
    }
}

/// Removes a staging tree with its proof last: everything else, then the
/// journal and the manifest, so a removal cut short by `kill -9` still
/// leaves a tree the next run can prove its own.
fn remove_tree(path: &Path) -> std::io::Result<()> {
    for e in std::fs::read_dir(path)? {
        let e = e?;
        if e.file_name() == MANIFEST || e.file_name() == JOURNAL {
            continue;
        }
        if e.file_type()?.is_dir() {
            std::fs::remove_dir_all(e.path())?;
        } else {
            std::fs::remove_file(e.path())?;
        }
    }
    for proof in [JOURNAL, MANIFEST] {
        match std::fs::remove_file(path.join(proof)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    std::fs::remove_dir(path)
}

/// Puts the staged tree at `dir`: a plain rename when nothing is there,
/// otherwise an exchange of the two directories; the old tree, left at the
/// staging path, is deleted with it.
fn swap(mut staging: Staging, dir: &Path, exists: bool) -> std::io::Result<()> {
    if !exists {
        std::fs::rename(&staging.path, dir)?;
        staging.armed = false;
        return Ok(());
    }
    if exchange(&staging.path, dir).is_ok() {
        return Ok(());
    }
    // No atomic exchange here: rename the old tree aside, the new one in.
    let aside = staging.path.with_file_name(format!(
        "{}-old",
        staging
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    std::fs::rename(dir, &aside)?;
    if let Err(e) = std::fs::rename(&staging.path, dir) {
        let _ = std::fs::rename(&aside, dir);
        return Err(e);
    }
    staging.path = aside;
    Ok(())
}

/// Atomically exchanges two paths (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; the call only reads them.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// New paths that would write over or through a foreign entry.
fn collisions<'k>(
    dir: &Path,
    survey: &Survey,
    keys: impl Iterator<Item = &'k String>,
) -> Vec<String> {
    let foreign: BTreeSet<&str> = survey.foreign.iter().map(String::as_str).collect();
    let mut out = BTreeSet::new();
    if !survey.has_manifest && std::fs::symlink_metadata(dir.join(MANIFEST)).is_ok() {
        out.insert(MANIFEST.to_owned());
    }
    for k in keys {
        let parts: Vec<&str> = k.split('/').collect();
        for i in 1..=parts.len() {
            let prefix = parts[..i].join("/");
            let whole = i == parts.len();
            let meta = std::fs::symlink_metadata(dir.join(&prefix));
            let blocked = match &meta {
                Err(_) => false,
                Ok(m) if whole => foreign.contains(prefix.as_str()) || !m.is_file(),
                // A folder on the way must be a real folder.
                Ok(m) => !m.is_dir(),
            };
            if blocked {
                out.insert(prefix);
                break;
            }
        }
    }
    out.into_iter().collect()
}

/// `--force` over a directory with foreign entries: tthc's files are
/// renamed in one by one, its old files no longer written are removed, and
/// the manifest, which lists every version present while this runs, ends up
/// listing only the new files.
fn update_in_place(
    dir: &Path,
    staging: &Staging,
    survey: &Survey,
    manifest: Manifest,
) -> std::io::Result<()> {
    let old = read_manifest(dir).unwrap_or_default();
    let mut during = Manifest {
        schema: SCHEMA.into(),
        files: manifest.files.clone(),
    };
    for k in &survey.ours {
        if let Some(versions) = old.files.get(k) {
            let v = during.files.entry(k.clone()).or_default();
            for e in versions {
                if !v.contains(e) {
                    v.push(e.clone());
                }
            }
        }
    }
    write_manifest(dir, &during)?;
    for k in manifest.files.keys() {
        let target = dir.join(k);
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::rename(staging.path().join(k), &target)?;
    }
    for k in &survey.ours {
        if !manifest.files.contains_key(k) {
            std::fs::remove_file(dir.join(k))?;
            // Folders left empty by it go too.
            let mut p = Path::new(k).parent();
            while let Some(d) = p.filter(|d| !d.as_os_str().is_empty()) {
                if std::fs::remove_dir(dir.join(d)).is_err() {
                    break;
                }
                p = d.parent();
            }
        }
    }
    write_manifest(dir, &manifest)
}

fn write_manifest(dir: &Path, m: &Manifest) -> std::io::Result<()> {
    let tmp = dir.join(format!("{MANIFEST}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, m.to_bytes())?;
    std::fs::rename(&tmp, dir.join(MANIFEST))
}

/// Removes `parent/.tthc-staging-NAME-PID-N[-old]` directories of runs that
/// are no longer alive, when their manifest proves every entry is ours.
fn remove_stale(parent: &Path, name: &str) -> Vec<String> {
    let prefix = format!("{STAGING}{name}-");
    let Ok(rd) = std::fs::read_dir(parent) else {
        return vec![];
    };
    let mut removed = Vec::new();
    for e in rd.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        let Some(rest) = n.strip_prefix(&prefix) else {
            continue;
        };
        let rest = rest.strip_suffix("-old").unwrap_or(rest);
        let mut parts = rest.splitn(2, '-');
        let (Some(pid), Some(seq)) = (parts.next(), parts.next()) else {
            continue;
        };
        if pid.parse::<u32>().is_err() || seq.parse::<u32>().is_err() {
            continue;
        }
        if running(pid) {
            continue;
        }
        let path = e.path();
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir && staged_by_us(&path) && remove_tree(&path).is_ok() {
            removed.push(path.display().to_string());
        }
    }
    removed.sort();
    removed
}

/// Whether a process with this id runs (where `/proc` tells; elsewhere
/// assumed, so nothing is removed).
fn running(pid: &str) -> bool {
    if pid == std::process::id().to_string() {
        return true;
    }
    let proc_ = Path::new("/proc");
    !proc_.join("self").exists() || proc_.join(pid).exists()
}

/// Whether every entry of a staging directory is a file its manifest lists
/// (complete with its hash, or cut short by an interruption), or a folder
/// on the way to one.
fn staged_by_us(path: &Path) -> bool {
    let files = match read_manifest(path) {
        Some(m) => m
            .files
            .into_iter()
            .map(|(k, v)| (k, v.into_iter().map(Some).collect()))
            .collect(),
        None => match read_journal(path) {
            Some(files) => files,
            None => return false,
        },
    };
    survey_with(path, |k, p| {
        let Some(versions) = files.get(k) else {
            return Ok(false);
        };
        // Journaled before its content was known: being written.
        if versions.iter().any(Option::is_none) {
            return Ok(true);
        }
        let len = std::fs::symlink_metadata(p)?.len();
        let versions = versions.iter().flatten();
        if versions.clone().any(|e| e.bytes == len) {
            let e = entry_of_file(p)?;
            Ok(versions.clone().any(|v| *v == e))
        } else {
            Ok(versions.clone().any(|e| len < e.bytes))
        }
    })
    .unwrap_or(false)
}

/// What the journal of an uncommitted staging directory lists: each path
/// with its entries (`None`: written as it was made). A last line cut short
/// by an interruption names a file not yet created, and is left out.
fn read_journal(dir: &Path) -> Option<BTreeMap<String, Vec<Option<Entry>>>> {
    let path = dir.join(JOURNAL);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_MANIFEST_BYTES {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    let mut files: BTreeMap<String, Vec<Option<Entry>>> = BTreeMap::new();
    let mut lines = bytes.split(|&b| b == b'\n').peekable();
    while let Some(line) = lines.next() {
        let last = lines.peek().is_none();
        match serde_json::from_slice::<Journaled>(line) {
            Ok(j) if key(Path::new(&j.path)).as_deref() == Some(j.path.as_str()) => {
                files.entry(j.path).or_default().push(j.entry);
            }
            Ok(_) => return None,
            Err(_) if last => {}
            Err(_) => return None,
        }
    }
    Some(files)
}

/// Walks `dir` without following links; `file_ok` judges each regular
/// file. True when every entry passes.
fn survey_with(
    dir: &Path,
    file_ok: impl Fn(&str, &Path) -> std::io::Result<bool>,
) -> std::io::Result<bool> {
    let mut stack = vec![String::new()];
    while let Some(rel) = stack.pop() {
        for e in std::fs::read_dir(dir.join(&rel))? {
            let e = e?;
            let Some(name) = e.file_name().to_str().map(str::to_owned) else {
                return Ok(false);
            };
            let k = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let ft = e.file_type()?;
            if ft.is_dir() {
                stack.push(k);
            } else if ft.is_file() {
                if k != MANIFEST && k != JOURNAL && !file_ok(&k, &e.path())? {
                    return Ok(false);
                }
            } else {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staging_dirs(parent: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(STAGING))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn streamed_and_whole_writes_make_the_same_tree() {
        let tmp = tempfile::tempdir().unwrap();
        let files: BTreeMap<PathBuf, Vec<u8>> = [
            ("a.html", b"<p>a</p>".to_vec()),
            ("tthc/1.html", b"one".to_vec()),
            ("tai-ve/x.csv", b"x,y\n".to_vec()),
        ]
        .into_iter()
        .map(|(k, v)| (PathBuf::from(k), v))
        .collect();
        write_dir(&tmp.path().join("whole"), &files, false).unwrap();
        let mut w = DirWriter::begin(&tmp.path().join("streamed"), false).unwrap();
        for (rel, bytes) in &files {
            if rel.extension().is_some_and(|e| e == "csv") {
                w.add_with(rel, |out| -> Result<(), OutDirError> {
                    out.write_all(&bytes[..2]).unwrap();
                    out.write_all(&bytes[2..]).unwrap();
                    Ok(())
                })
                .unwrap();
            } else {
                w.add(rel, bytes).unwrap();
            }
        }
        assert_eq!(w.len(), 3);
        w.commit().unwrap();
        for rel in files
            .keys()
            .map(PathBuf::from)
            .chain([PathBuf::from(MANIFEST)])
        {
            assert_eq!(
                std::fs::read(tmp.path().join("whole").join(&rel)).unwrap(),
                std::fs::read(tmp.path().join("streamed").join(&rel)).unwrap(),
                "{}",
                rel.display()
            );
        }
        assert!(!tmp.path().join("streamed").join(JOURNAL).exists());
        assert_eq!(staging_dirs(tmp.path()), Vec::<String>::new());
    }

    #[test]
    fn an_uncommitted_or_failed_write_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        write_dir(
            &dir,
            &[(PathBuf::from("old"), b"old".to_vec())].into(),
            false,
        )
        .unwrap();
        let before = std::fs::read(dir.join(MANIFEST)).unwrap();
        {
            let mut w = DirWriter::begin(&dir, false).unwrap();
            w.add(Path::new("new"), b"new").unwrap();
            assert_eq!(staging_dirs(tmp.path()).len(), 1);
        }
        let mut w = DirWriter::begin(&dir, false).unwrap();
        let failed = w.add_with(Path::new("half.csv"), |out| {
            out.write_all(b"half").unwrap();
            Err(OutDirError::Unwritable(Diagnostic::new(
                Code::Io,
                located(&dir),
                "stop",
            )))
        });
        assert!(failed.is_err());
        assert!(w.is_empty());
        assert!(w.add(Path::new("../outside"), b"x").is_err());
        drop(w);
        assert_eq!(staging_dirs(tmp.path()), Vec::<String>::new());
        assert_eq!(std::fs::read(dir.join(MANIFEST)).unwrap(), before);
        assert_eq!(std::fs::read(dir.join("old")).unwrap(), b"old");
        assert!(!dir.join("new").exists());
    }

    /// A staging cut short at any point of its journal is proved ours only
    /// by what the journal lists.
    #[test]
    fn a_journal_proves_only_what_it_lists() {
        let tmp = tempfile::tempdir().unwrap();
        let s = tmp.path().join("s");
        std::fs::create_dir_all(s.join("tthc")).unwrap();
        let line = |path: &str, entry: Option<Entry>| {
            let mut l = serde_json::to_vec(&Journaled {
                path: path.into(),
                entry,
            })
            .unwrap();
            l.push(b'\n');
            l
        };
        let mut journal = line("tthc/1.html", Some(entry_of(b"one")));
        journal.extend(line("big.csv", None));
        journal.extend(b"{\"path\":\"tthc/2.h");
        std::fs::write(s.join(JOURNAL), &journal).unwrap();
        std::fs::write(s.join("tthc/1.html"), b"on").unwrap(); // cut short
        std::fs::write(s.join("big.csv"), b"anything").unwrap(); // being written
        assert!(staged_by_us(&s));
        std::fs::write(s.join("tthc/1.html"), b"edited").unwrap();
        assert!(!staged_by_us(&s), "a listed file with other content");
        std::fs::write(s.join("tthc/1.html"), b"one").unwrap();
        assert!(staged_by_us(&s));
        std::fs::write(s.join("tthc/2.html"), b"").unwrap();
        assert!(!staged_by_us(&s), "the cut line names no file");
        std::fs::remove_file(s.join("tthc/2.html")).unwrap();
        let mut bad = line("../x", None);
        bad.extend(&journal);
        std::fs::write(s.join(JOURNAL), &bad).unwrap();
        assert!(!staged_by_us(&s), "a path outside");
    }
}
