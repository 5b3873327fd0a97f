//! Writing: renderers of an analysis ([`output`]: JSON, text, CSV,
//! explain), the amendment [`plan`], the HTML [`report`], and all-or-nothing
//! output directories ([`outdir`]); spreadsheet [`cells`] neutralised.

pub mod cells;
pub mod diff;
pub mod lists;
pub mod number;
pub mod outdir;
pub mod output;
pub mod phrase;
pub mod plan;
pub mod report;
pub mod stream;
pub mod summary;
pub mod table;
