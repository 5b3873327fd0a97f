//! Reading real dossiers: [`recognise`] tells what a dossier line is;
//! [`import`] turns portal records and ministry tables into procedure YAML.

pub mod import;
pub mod recognise;
pub mod workbook;
pub mod xlsx;
