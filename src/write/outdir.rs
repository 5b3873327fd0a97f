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
