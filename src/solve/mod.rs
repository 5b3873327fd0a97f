//! Deciding: source [`readiness`] by province and date, the evidence graph
//! and its least fixpoint ([`solver`]), verdicts and catalogue answers
//! ([`analysis`]), the [`summary`] added up from each procedure's share,
//! and what-if [`scenario`]s.

pub mod analysis;
pub mod diff;
pub mod readiness;
pub mod review;
pub mod scenario;
pub mod solver;
pub mod summary;
