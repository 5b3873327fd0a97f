//! Validating the `reviews/` folder: every decision resolved against the
//! reference data and attached to the component it decides — by procedure
//! code and component key, else (for a key that is gone because the text
//! was edited) to the component of the procedure that reads most alike, so
//! the decision shows as stale instead of vanishing.

use crate::catalogue::identity;
use crate::catalogue::validate::{is_procedure_code, Cx, Refs};
use crate::diag::{Code, Diagnostic, Location};
use crate::format::{Decision, ReviewFile};
use crate::model::{Procedure, Review};
use std::collections::HashMap;
use std::path::Path;

pub(crate) fn validate(
    cx: &mut Cx,
    mut files: Vec<(String, ReviewFile)>,
    refs: &Refs,
    procedures: &mut [Procedure],
) -> Vec<Review> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut reviews = Vec::new();
    let mut seen: HashMap<(String, String), Location> = HashMap::new();
    for (file, f) in &files {
        let ministry = refs.agencies.resolve(cx, file, &f.ministry);
        let stem = Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if stem != f.ministry.value {
            let loc = cx.at(file, &f.ministry);
            cx.err(
                Code::Inconsistent,
                loc,
                format!(
                    "the decisions of `{}` belong in reviews/{}.yaml",
                    f.ministry.value, f.ministry.value
                ),
                "`tthc review import` merges into the file named after the ministry; rename the file",
            );
        }
        for d in &f.decisions {
            let location = cx.at(file, &d.component);
            if !is_procedure_code(&d.procedure.value) {
                let loc = cx.at(file, &d.procedure);
                cx.err(
                    Code::MalformedCode,
                    loc,
                    format!(
                        "procedure code `{}` is not of the form N.NNNNNN",
                        d.procedure.value
                    ),
                    "national codes are one digit, a dot and six digits, e.g. `1.000894`",
                );
            }
            if identity::fingerprint(&d.text) != d.fingerprint.value {
                let loc = cx.at(file, &d.fingerprint);
                cx.err(
                    Code::Inconsistent,
                    loc,
                    format!(
                        "fingerprint `{}` does not match the decision's text",
                        d.fingerprint.value
                    ),
                    "the fingerprint and text are written by `tthc review import`; restore them or import the workbook again",
                );
            }
            let sources = refs.sources.resolve_all(cx, file, &d.sources);
            if d.decision.value == Decision::Accepted && d.sources.is_empty() {
                let loc = cx.at(file, &d.decision);
                cx.err(
                    Code::Inconsistent,
                    loc,
                    "an accepted decision names no source".into(),
                    "list under `sources:` the data sources that replace the paper",
                );
            }
            let date = d.date.as_ref().and_then(|x| cx.date(file, x));
            let key = (d.procedure.value.clone(), d.component.value.clone());
            if let Some(first) = seen.get(&key) {
                cx.err(
                    Code::DuplicateId,
                    location.clone(),
                    format!(
                        "component `{}` of procedure {} is decided twice",
                        key.1, key.0
                    ),
                    format!("first decided at {first}; keep one decision per component"),
                );
                continue;
            }
            seen.insert(key, location.clone());
            reviews.push(Review {
                ministry: ministry.unwrap_or(0),
                procedure: d.procedure.value.clone(),
                component: d.component.value.clone(),
                fingerprint: d.fingerprint.value.clone(),
                text: d.text.clone(),
                decision: d.decision.value,
                sources,
                note: d.note.clone(),
                reviewer: d.reviewer.clone(),
                date,
                origin: d.origin.clone(),
                location,
            });
        }
    }
    attach(cx, &reviews, procedures);
    reviews
}

/// Sets each component's `review`. `procedures` are sorted by code.
fn attach(cx: &mut Cx, reviews: &[Review], procedures: &mut [Procedure]) {
    let mut by_procedure: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in reviews.iter().enumerate() {
        by_procedure
            .entry(r.procedure.as_str())
            .or_default()
            .push(i);
    }
    let mut codes: Vec<&str> = by_procedure.keys().copied().collect();
    codes.sort();
    for code in codes {
        let rs = &by_procedure[code];
        let Ok(pi) = procedures.binary_search_by(|p| p.code.as_str().cmp(code)) else {
            for &r in rs {
                cx.diags.push(
                    Diagnostic::new(
                        Code::OrphanedDecision,
                        reviews[r].location.clone(),
                        format!("procedure {code} is not in the catalogue; the decision applies to nothing"),
                    )
                    .hint("remove the decision if the procedure was abolished"),
                );
            }
            continue;
        };
        let comps = &mut procedures[pi].components;
        let mut left = Vec::new();
        for &r in rs {
            match comps.iter_mut().find(|c| c.key == reviews[r].component) {
                Some(c) => c.review = Some(r),
                None => left.push(r),
            }
        }
        for r in left {
            let free = comps
                .iter()
                .enumerate()
                .filter(|(_, c)| c.review.is_none())
                .map(|(i, c)| (i, c.text.as_str()));
            match identity::most_alike(&reviews[r].text, free) {
                Some((i, _)) => comps[i].review = Some(r),
                None => cx.diags.push(
                    Diagnostic::new(
                        Code::OrphanedDecision,
                        reviews[r].location.clone(),
                        format!(
                            "no component of procedure {code} matches this decision (key `{}`)",
                            reviews[r].component
                        ),
                    )
                    .hint("the paper was removed or its text rewritten; review the procedure again and remove this decision"),
                ),
            }
        }
    }
}
