//! Loading a catalogue in stages, so that raw parsed trees never pile up:
//! the reference data and reviewers' decisions are parsed and the
//! reference data validated first; then each procedure is read, parsed and
//! validated in one step on a worker thread, its text and raw tree dropped
//! before the next is read. The checks across procedures (unique codes)
//! and reviews come last. Diagnostics are those of reading everything,
//! then validating everything, in the same order.

use crate::catalogue::cache::{self, Need, Shelf};
use crate::diag::Diagnostic;
use crate::format::{CatalogFile, ProcedureFile, ReviewFile};
use crate::load::{self, Failed, FileKind, Job, Parsed, Progress, Unreadable};
use crate::model::Catalog;
use crate::validate::{self, Checked, Listed};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// A file that gave nothing, by its place among the jobs.
struct Failure {
    at: usize,
    unreadable: bool,
    diagnostic: Diagnostic,
}

/// Loads `jobs`, then `builtin` (reference data used when the catalogue has
/// none; not counted in `progress`). `unreadable` are problems met before
/// (folders, links). Procedure files unchanged since they were stored on
/// `shelf` are taken from it; with [`Need::Heads`], the model of such a
/// file is left there (but for the procedures reviewers' decisions name),
/// its head alone read. Returns the model when there is no error, every
/// procedure listed in code order (none when there is an error), and
/// every diagnostic, sorted.
pub fn load(
    jobs: &[Job],
    unreadable: Vec<Unreadable>,
    builtin: &[Job],
    progress: &dyn Progress,
    shelf: Option<(&Shelf, Need)>,
) -> (Option<Catalog>, Vec<Listed>, Vec<Diagnostic>) {
    progress.files_found(jobs.len());
    let (procedure_jobs, other_jobs): (Vec<_>, Vec<_>) = jobs
        .iter()
        .enumerate()
        .partition(|(_, j)| j.kind == FileKind::Procedure);

    // Stage 1: reference data and reviews.
    let counted = other_jobs.par_iter().map(|&(at, job)| {
        let parsed = load::parse(job);
        progress.file_parsed();
        (at, job.kind, parsed)
    });
    let others: Vec<_> = counted
        .chain(
            builtin
                .par_iter()
                .enumerate()
                .map(|(i, job)| (jobs.len() + i, job.kind, load::parse(job))),
        )
        .collect();
    let mut failures = Vec::new();
    let mut reference_broken = unreadable
        .iter()
        .any(|u| u.is_reference && u.diagnostic.is_error());
    let mut cat_files: Vec<(String, CatalogFile)> = Vec::new();
    let mut review_files = Vec::new();
    for (at, kind, parsed) in others {
        match parsed {
            Ok(Parsed::Cat(d, c)) => cat_files.push((d, *c)),
            Ok(Parsed::Review(d, r)) => review_files.push((d, *r)),
            Ok(Parsed::Proc(..)) => unreachable!("procedures are parsed in stage 2"),
            Err(failed) => {
                // Unreadable reference data would make every reference to
                // it look unknown: report the files, validate once they read.
                reference_broken |= kind == FileKind::Reference;
                failures.push(failure(at, failed));
            }
        }
    }
    let reference = (!reference_broken).then(|| validate::reference(cat_files));

    // Stage 2: each procedure parsed and validated at once, or taken from
    // the cache when its bytes did not change.
    let cached = shelf
        .zip(reference.as_ref())
        .and_then(|((shelf, need), r)| {
            let hash = cache::reference_hash(jobs.iter().chain(builtin))?;
            let mut results = shelf.procedures(&procedure_jobs, r, hash, need, progress);
            with_reviewed_models(&mut results, &review_files, jobs, |wanted| {
                shelf.models(wanted, r, hash)
            });
            Some(results)
        });
    let procedures: Vec<(usize, Result<Option<Checked>, Failed>)> = match cached {
        Some(results) => results
            .into_iter()
            .map(|(at, result)| (at, result.map(Some)))
            .collect(),
        None => procedure_jobs
            .par_iter()
            .map(|&(at, job)| {
                let checked = load::parse_as::<ProcedureFile>(job).map(|p| {
                    reference
                        .as_ref()
                        .map(|r| r.procedure(job.display.clone(), &p))
                });
                progress.file_parsed();
                (at, checked)
            })
            .collect(),
    };
    let mut checked = Vec::with_capacity(procedures.len());
    for (at, result) in procedures {
        match result {
            Ok(c) => checked.extend(c),
            Err(failed) => failures.push(failure(at, failed)),
        }
    }

    // Files that could not be read, then files that did not parse, each in
    // the order they were found; then validation's own.
    failures.sort_by_key(|f| (!f.unreadable, f.at));
    let mut diagnostics: Vec<Diagnostic> = unreadable.into_iter().map(|u| u.diagnostic).collect();
    diagnostics.extend(failures.into_iter().map(|f| f.diagnostic));
    let (catalog, listed) = match reference {
        Some(reference) => {
            let (catalog, listed, validated) = validate::finish(reference, checked, review_files);
            diagnostics.extend(validated);
            (catalog, listed)
        }
        None => (None, Vec::new()),
    };
    diagnostics.sort_by(|a, b| (&a.location, a.code).cmp(&(&b.location, b.code)));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return (None, Vec::new(), diagnostics);
    }
    (catalog, listed, diagnostics)
}

/// Replaces the heads of the procedures that reviewers' decisions name by
/// their models, which `models` gives for the jobs asked: decisions are
/// attached to components.
fn with_reviewed_models(
    results: &mut [(usize, Result<Checked, Failed>)],
    review_files: &[(String, ReviewFile)],
    jobs: &[Job],
    models: impl FnOnce(&[(usize, &Job)]) -> Vec<(usize, Result<Checked, Failed>)>,
) {
    let named: HashSet<&str> = review_files
        .iter()
        .flat_map(|(_, f)| f.decisions.iter().map(|d| d.procedure.value.as_str()))
        .collect();
    let wanted: Vec<(usize, &Job)> = results
        .iter()
        .filter(|(_, r)| {
            r.as_ref()
                .is_ok_and(|c| c.is_shelved() && named.contains(c.head().code()))
        })
        .map(|&(at, _)| (at, &jobs[at]))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let mut fetched: HashMap<usize, Result<Checked, Failed>> =
        models(&wanted).into_iter().collect();
    for (at, result) in results.iter_mut() {
        if let Some(model) = fetched.remove(at) {
            *result = model;
        }
    }
}

fn failure(at: usize, failed: Failed) -> Failure {
    Failure {
        at,
        unreadable: matches!(failed, Failed::Unreadable(_)),
        diagnostic: failed.diagnostic(),
    }
}
