//! Reading real dossiers: the [`lexicon`] finds the names and phrases of
//! the catalogue in a line, [`structure`] reads how the line is built,
//! [`recognise`] tells what the line is, [`items`] splits a line listing
//! several papers, [`cues`] reads the words that qualify the papers it
//! names; [`import`] turns portal records and ministry tables into
//! procedure YAML.

pub mod cues;
pub mod import;
pub mod items;
pub mod lexicon;
pub mod recognise;
pub mod structure;
pub mod workbook;
pub mod xlsx;
