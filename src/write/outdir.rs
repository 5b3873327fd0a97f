//! Writing a directory of generated files (imports, reports) whole or not
//! at all, never over a directory the user owns.

use crate::diag::{Code, Diagnostic, Location};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file that marks a directory as written by `tthc`.
pub const MARKER: &str = ".tthc-output";

/// Writes `files` (relative path → content) into `dir`.
///
/// A directory that exists, is not empty and was not written by `tthc` is
/// refused unless `force`; with `force` the files are added to it and
/// nothing else is touched. A directory `tthc` wrote is replaced whole.
/// Files are first written to a sibling staging directory, so a failure
/// leaves nothing half-written.
pub fn write_dir(
    dir: &Path,
    files: &BTreeMap<PathBuf, Vec<u8>>,
    force: bool,
) -> Result<(), Diagnostic> {
    let here = || Location::new(dir.display().to_string(), 0, 0);
    let io = |e: std::io::Error| {
        Diagnostic::new(Code::Io, here(), format!("cannot write the output: {e}"))
            .hint("check the path and its permissions; nothing was written")
    };
    let exists = dir.exists();
    if exists && !dir.is_dir() {
        return Err(Diagnostic::new(
            Code::Io,
            here(),
            "the output path exists and is not a directory",
        )
        .hint("give a directory path"));
    }
    let ours = dir.join(MARKER).is_file();
    let empty = exists && std::fs::read_dir(dir).map_err(io)?.next().is_none();
    if exists && !empty && !ours && !force {
        return Err(Diagnostic::new(
            Code::Io,
            here(),
            "refusing to write into a non-empty directory that tthc did not create",
        )
        .hint("choose a new directory, or pass --force to write into it"));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io)?;
    let staging = tempfile::Builder::new()
        .prefix(".tthc-staging-")
        .tempdir_in(&parent)
        .map_err(io)?;
    for (rel, bytes) in files {
        let path = staging.path().join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(io)?;
        }
        std::fs::write(&path, bytes).map_err(io)?;
    }
    std::fs::write(
        staging.path().join(MARKER),
        "This directory was written by tthc; writing the same output again replaces it.\n",
    )
    .map_err(io)?;
    if exists && !empty && !ours {
        // --force into someone else's directory: add our files, keep theirs.
        return copy_tree(staging.path(), dir).map_err(io);
    }
    if exists {
        std::fs::remove_dir_all(dir).map_err(io)?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, dir).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staged);
        io(e)
    })
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
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
    let mut staged = Vec::new();
    for (rel, bytes) in files {
        let target = root.join(rel);
        let dir = target.parent().unwrap_or(root).to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".tthc-")
            .tempfile_in(&dir)
            .map_err(|e| io(&target, e))?;
        std::io::Write::write_all(&mut tmp, bytes).map_err(|e| io(&target, e))?;
        let old = match std::fs::read(&target) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(&target, e)),
        };
        staged.push((target, tmp, old));
    }
    let mut done: Vec<(PathBuf, Option<Vec<u8>>)> = Vec::new();
    for (target, tmp, old) in staged {
        if let Err(e) = tmp.persist(&target) {
            for (t, old) in done.into_iter().rev() {
                let _ = match old {
                    Some(b) => std::fs::write(&t, b),
                    None => std::fs::remove_file(&t),
                };
            }
            return Err(io(&target, e.error));
        }
        done.push((target, old));
    }
    Ok(())
}
