//! The reviewers' word beside the machine's: each component's review state,
//! the sources a confirmed cut goes through, and the figures machine-
//! suggested beside confirmed. A rejected suggestion never counts as a cut.

use crate::analysis::{ComponentVerdict, Verdict};
use crate::model::{Catalog, Component, Decision, SourceIdx};
use serde::Serialize;

/// A component's review, beside its machine verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    /// A reviewer agreed to cut the paper.
    Accepted,
    /// A reviewer decided the paper stays.
    Rejected,
    /// A reviewer asked for more review.
    Pending,
    /// A reviewer decided on another text of the component: to review again.
    Stale,
}

impl ReviewState {
    pub const ALL: [ReviewState; 4] = [
        ReviewState::Accepted,
        ReviewState::Rejected,
        ReviewState::Pending,
        ReviewState::Stale,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Accepted => "accepted",
            ReviewState::Rejected => "rejected",
            ReviewState::Pending => "pending",
            ReviewState::Stale => "stale",
        }
    }
}

/// The review state of `c`, if a reviewer decided on it.
pub fn state(cat: &Catalog, c: &Component) -> Option<ReviewState> {
    let r = cat.review_of(c)?;
    Some(if r.fingerprint != c.fingerprint {
        ReviewState::Stale
    } else {
        match r.decision {
            Decision::Accepted => ReviewState::Accepted,
            Decision::Rejected => ReviewState::Rejected,
            Decision::Pending => ReviewState::Pending,
        }
    })
}

/// Whether the machine suggests cutting the paper: the rows of the review
/// workbook's first sheet.
pub fn is_suggestion(v: Verdict) -> bool {
    matches!(
        v,
        Verdict::Replaceable | Verdict::Conditional | Verdict::Partial | Verdict::AlreadyDigital
    )
}

/// Whether a reviewer confirmed the cut.
pub fn is_confirmed(v: &ComponentVerdict) -> bool {
    v.review == Some(ReviewState::Accepted)
}

/// The sources a cut goes through: those the reviewer accepted, else the
/// machine's.
pub fn cut_sources<'a>(
    cat: &'a Catalog,
    c: &Component,
    v: &'a ComponentVerdict,
) -> &'a [SourceIdx] {
    match (v.review, cat.review_of(c)) {
        (Some(ReviewState::Accepted), Some(r)) => &r.sources,
        _ => &v.sources,
    }
}

/// Machine-suggested figures beside confirmed ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ReviewFigures {
    /// Components the machine suggests cutting (replaceable, conditional,
    /// partial, already-digital).
    pub suggested: usize,
    /// Components whose cut a reviewer accepted, the machine's or not.
    pub confirmed: usize,
    /// Suggestions a reviewer rejected: never counted as cuts.
    pub rejected: usize,
    /// Components a reviewer wants to look at again.
    pub pending: usize,
    /// Decisions taken on another text of the component.
    pub stale: usize,
    /// Confirmed cuts of papers the machine kept.
    pub added: usize,
    /// Suggestions no reviewer decided on yet.
    pub undecided: usize,
    /// Procedures with at least one suggested cut.
    pub procedures_suggested: usize,
    /// Procedures with at least one confirmed cut.
    pub procedures_confirmed: usize,
}

impl ReviewFigures {
    /// Adds one procedure's components.
    pub fn add_procedure(&mut self, vs: &[ComponentVerdict]) {
        let mut any_suggested = false;
        let mut any_confirmed = false;
        for v in vs {
            let suggested = is_suggestion(v.verdict);
            any_suggested |= suggested;
            any_confirmed |= is_confirmed(v);
            self.suggested += usize::from(suggested);
            match v.review {
                Some(ReviewState::Accepted) => {
                    self.confirmed += 1;
                    self.added += usize::from(!suggested);
                }
                Some(ReviewState::Rejected) => self.rejected += usize::from(suggested),
                Some(ReviewState::Pending) => self.pending += 1,
                Some(ReviewState::Stale) => self.stale += 1,
                None => self.undecided += usize::from(suggested),
            }
        }
        self.procedures_suggested += usize::from(any_suggested);
        self.procedures_confirmed += usize::from(any_confirmed);
    }

    /// Adds another set of figures.
    pub fn add(&mut self, o: &ReviewFigures) {
        self.suggested += o.suggested;
        self.confirmed += o.confirmed;
        self.rejected += o.rejected;
        self.pending += o.pending;
        self.stale += o.stale;
        self.added += o.added;
        self.undecided += o.undecided;
        self.procedures_suggested += o.procedures_suggested;
        self.procedures_confirmed += o.procedures_confirmed;
    }
}
