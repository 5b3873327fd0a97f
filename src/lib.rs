//! `tthc`: finds which papers of Vietnamese administrative procedures data
//! can replace, explains why, and measures what it saves.
//!
//! The pipeline runs one way, one folder a room: [`catalogue`] (YAML files →
//! [`load`] (raw [`format`]) → [`validate`] → [`model`]) → [`solve`]
//! ([`solver`] → [`analysis`]) → [`write`] (renderers); [`read`] turns real
//! dossiers into catalogue YAML. The library never prints.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod catalogue;
pub mod date;
pub mod diag;
pub mod legal;
pub mod read;
pub mod review;
pub mod solve;
pub mod text;
pub mod write;

// Each module stays reachable at the crate root (`tthc::analysis`,
// `crate::model`), whichever room of the pipeline it lives in.
pub use catalogue::{format, load, model, reference, validate, values};
pub use read::{import, recognise};
pub use solve::{analysis, readiness, scenario, solver};
pub use write::{cells, number, outdir, output, phrase, plan, report};

use diag::Diagnostic;
use std::path::Path;

/// The outcome of loading a catalogue: the model when valid, and every
/// diagnostic (errors and warnings) in a stable order.
#[derive(Debug)]
pub struct Loaded {
    pub catalog: Option<model::Catalog>,
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the built-in reference catalogue was used.
    pub builtin_reference: bool,
    /// Every procedure of a valid catalogue, in code order: in the model,
    /// or (loaded with [`load_catalogue_heads`]) left on the re-run
    /// cache's shelf. Empty when there is an error.
    pub listed: Vec<validate::Listed>,
}

impl Loaded {
    /// The procedures of the catalogue, and their components.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.listed.len(),
            self.listed.iter().map(|l| l.components).sum(),
        )
    }
}

/// Loads and validates the catalogue at `root`. Reference data comes from
/// `root/catalog/` when present, else from the built-in reference catalogue.
pub fn load_catalogue(root: &Path) -> Loaded {
    load_catalogue_showing(root, &load::Silent)
}

/// [`load_catalogue`], telling `progress` how reading goes.
pub fn load_catalogue_showing(root: &Path, progress: &dyn load::Progress) -> Loaded {
    load_catalogue_using(root, progress, None)
}

/// [`load_catalogue_showing`], taking the procedure files that did not
/// change from `cache` (when given) and storing those that did.
pub fn load_catalogue_using(
    root: &Path,
    progress: &dyn load::Progress,
    cache: Option<&catalogue::cache::Cache>,
) -> Loaded {
    let shelf = cache.and_then(|c| c.shelf(root));
    load_from_disk(
        root,
        &std::collections::BTreeMap::new(),
        progress,
        shelf.as_ref().map(|s| (s, catalogue::cache::Need::Model)),
    )
    .0
}

/// [`load_catalogue_using`] for a command that needs the model of changed
/// files only (and of the procedures reviewers' decisions name): with a
/// cache, the model of every other file is left on its shelf and only
/// [`Loaded::listed`] tells of it; diagnostics are those of a full load.
/// Without a cache, the same as [`load_catalogue_using`]. With one, also
/// the catalogue's shelf and the hash of its reference data and reviewers'
/// decisions ([`catalogue::cache::inputs_hash`]), when they could be read.
pub fn load_catalogue_heads(
    root: &Path,
    progress: &dyn load::Progress,
    cache: Option<&catalogue::cache::Cache>,
) -> (Loaded, Option<(catalogue::cache::Shelf, u128)>) {
    load_catalogue_needing(root, progress, cache, catalogue::cache::Need::Heads)
}

/// [`load_catalogue_heads`] or, with [`catalogue::cache::Need::Model`],
/// [`load_catalogue_using`] with the shelf and hash.
pub fn load_catalogue_needing(
    root: &Path,
    progress: &dyn load::Progress,
    cache: Option<&catalogue::cache::Cache>,
    need: catalogue::cache::Need,
) -> (Loaded, Option<(catalogue::cache::Shelf, u128)>) {
    let shelf = cache.and_then(|c| c.shelf(root));
    let (loaded, inputs) = load_from_disk(
        root,
        &std::collections::BTreeMap::new(),
        progress,
        shelf.as_ref().map(|s| (s, need)),
    );
    (loaded, shelf.zip(inputs))
}

/// [`load_catalogue`] as it would read with `replaced` (paths relative to
/// `root` → content) written: to check files before writing them.
pub fn load_catalogue_with(
    root: &Path,
    replaced: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
) -> Loaded {
    load_from_disk(root, replaced, &load::Silent, None).0
}

fn load_from_disk(
    root: &Path,
    replaced: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    progress: &dyn load::Progress,
    shelf: Option<(&catalogue::cache::Shelf, catalogue::cache::Need)>,
) -> (Loaded, Option<u128>) {
    let (jobs, unreadable) = match load::find(root, replaced) {
        Ok(found) => found,
        Err(d) => {
            let loaded = Loaded {
                catalog: None,
                diagnostics: vec![d],
                builtin_reference: false,
                listed: Vec::new(),
            };
            return (loaded, None);
        }
    };
    let builtin_reference = !load::has_reference_dir(root);
    let builtin = if builtin_reference {
        reference::files()
    } else {
        Vec::new()
    };
    let builtin = load::jobs_of(&builtin);
    let inputs = shelf.and_then(|_| catalogue::cache::inputs_hash(jobs.iter().chain(&builtin)));
    let (catalog, listed, diagnostics) =
        catalogue::stages::load(&jobs, unreadable, &builtin, progress, shelf);
    let loaded = Loaded {
        catalog,
        diagnostics,
        builtin_reference,
        listed,
    };
    (loaded, inputs)
}

/// Parses and validates files already in memory (`FileKind::Reference` files
/// are the reference data). `unreadable` are files that could not be read.
pub fn load_files(files: &[load::InputFile], unreadable: Vec<load::Unreadable>) -> Loaded {
    let (catalog, listed, diagnostics) =
        catalogue::stages::load(&load::jobs_of(files), unreadable, &[], &load::Silent, None);
    Loaded {
        catalog,
        diagnostics,
        builtin_reference: false,
        listed,
    }
}
