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
}

/// Loads and validates the catalogue at `root`. Reference data comes from
/// `root/catalog/` when present, else from the built-in reference catalogue.
pub fn load_catalogue(root: &Path) -> Loaded {
    load_catalogue_showing(root, &load::Silent)
}

/// [`load_catalogue`], telling `progress` how reading goes.
pub fn load_catalogue_showing(root: &Path, progress: &dyn load::Progress) -> Loaded {
    load_from_disk(root, &std::collections::BTreeMap::new(), progress)
}

/// [`load_catalogue`] as it would read with `replaced` (paths relative to
/// `root` → content) written: to check files before writing them.
pub fn load_catalogue_with(
    root: &Path,
    replaced: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
) -> Loaded {
    load_from_disk(root, replaced, &load::Silent)
}

fn load_from_disk(
    root: &Path,
    replaced: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    progress: &dyn load::Progress,
) -> Loaded {
    let (mut raw, mut failures, unreadable) = match load::read_and_parse(root, replaced, progress) {
        Ok(r) => r,
        Err(d) => {
            return Loaded {
                catalog: None,
                diagnostics: vec![d],
                builtin_reference: false,
            }
        }
    };
    let builtin_reference = !load::has_reference_dir(root);
    if builtin_reference {
        let (builtin, builtin_failures) = load::parse_all(&reference::files());
        raw.extend(builtin);
        failures.extend(builtin_failures);
    }
    let mut loaded = load_parsed(raw, failures, unreadable);
    loaded.builtin_reference = builtin_reference;
    loaded
}

/// Parses and validates files already in memory (`FileKind::Reference` files
/// are the reference data). `unreadable` are files that could not be read.
pub fn load_files(files: &[load::InputFile], unreadable: Vec<load::Unreadable>) -> Loaded {
    let (raw, failures) = load::parse_all(files);
    load_parsed(raw, failures, unreadable)
}

/// Validates parsed files; `failures` did not parse, `unreadable` could not be read.
fn load_parsed(
    raw: load::RawCatalog,
    failures: load::ParseFailures,
    unreadable: Vec<load::Unreadable>,
) -> Loaded {
    let reference_broken = failures.reference_failed
        || unreadable
            .iter()
            .any(|u| u.is_reference && u.diagnostic.is_error());
    let mut diagnostics: Vec<Diagnostic> = unreadable.into_iter().map(|u| u.diagnostic).collect();
    diagnostics.extend(failures.diagnostics);
    // Unreadable reference data would make every reference to it look
    // unknown: report the files first, validate once they read.
    let catalog = if reference_broken {
        None
    } else {
        let (catalog, validate_diags) = validate::validate(raw);
        diagnostics.extend(validate_diags);
        catalog
    };
    diagnostics.sort_by(|a, b| (&a.location, a.code).cmp(&(&b.location, b.code)));
    let catalog = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        catalog
    };
    Loaded {
        catalog,
        diagnostics,
        builtin_reference: false,
    }
}
