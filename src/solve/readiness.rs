//! Whether a data source is ready, in a province, at a date: the analysis
//! context. Status, dates and coverage come from the catalogue (possibly
//! overridden by a scenario); nothing here is a hidden constant.

use crate::date::Date;
use crate::model::{Catalog, DueBasis, ProvinceIdx, Source, SourceStatus};

/// Where and when the analysis looks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Context {
    pub as_of: Date,
    pub include_pilot: bool,
    pub threshold: f64,
}

/// Why a source is or is not ready in one place and time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Readiness {
    Ready,
    /// Operational or pilot, but only usable from this date.
    NotYet(Date),
    /// In pilot and pilots are not counted.
    Pilot,
    /// Planned; due at this date, decided or assumed.
    Planned(Date, DueBasis),
    /// Digitised below the threshold in this province.
    LowCoverage(f64),
}

impl Readiness {
    pub fn is_ready(self) -> bool {
        matches!(self, Readiness::Ready)
    }
}

/// The readiness of `s` in province `p` under `cx`.
pub fn readiness(s: &Source, p: ProvinceIdx, cx: &Context) -> Readiness {
    let usable_from = match s.status {
        SourceStatus::Operational => s.since,
        SourceStatus::Pilot => {
            if !cx.include_pilot {
                return Readiness::Pilot;
            }
            s.since
        }
        SourceStatus::Planned => match s.due {
            // A planned source counts from its due date.
            Some(due) if due <= cx.as_of => Some(due),
            Some(due) => return Readiness::Planned(due, s.due_basis),
            None => return Readiness::Planned(cx.as_of, s.due_basis),
        },
    };
    if let Some(d) = usable_from {
        if d > cx.as_of {
            return Readiness::NotYet(d);
        }
    }
    if let Some(c) = &s.coverage {
        let v = c.in_province(p);
        if v < cx.threshold {
            return Readiness::LowCoverage(v);
        }
    }
    Readiness::Ready
}

/// For each province, the ready flag of every source.
pub fn ready_sets(cat: &Catalog, provinces: &[ProvinceIdx], cx: &Context) -> Vec<Vec<bool>> {
    provinces
        .iter()
        .map(|&p| {
            cat.sources
                .iter()
                .map(|s| readiness(s, p, cx).is_ready())
                .collect()
        })
        .collect()
}

/// Dates after `after` at which some source's readiness, or the land it
/// serves, may change, sorted.
pub fn change_dates(cat: &Catalog, after: Date) -> Vec<Date> {
    let mut ds: Vec<Date> = cat
        .sources
        .iter()
        .flat_map(|s| {
            [
                s.since,
                s.due,
                s.land_phase.as_ref().and_then(|l| l.other_land_from),
            ]
        })
        .flatten()
        .filter(|d| *d > after)
        .collect();
    ds.sort();
    ds.dedup();
    ds
}
