//! Reading real dossiers: [`recognise`] tells what a dossier line is;
//! [`cues`] reads the words that qualify the papers it names; [`import`]
//! turns portal records and ministry tables into procedure YAML.

pub mod cues;
pub mod import;
pub mod recognise;
pub mod workbook;
