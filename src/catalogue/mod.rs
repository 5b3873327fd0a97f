//! The catalogue: raw YAML types ([`format`]) → reading and parsing
//! ([`load`]) → one validation step ([`validate`]) → the validated
//! [`model`], run in [`stages`] so raw trees never pile up; [`reference`]
//! is the reference catalogue built into the binary; [`cache`] keeps each
//! procedure file's validation between runs.

pub mod cache;
pub mod format;
pub mod identity;
pub mod intern;
pub mod load;
pub mod model;
pub mod reference;
pub mod reviews;
pub mod stages;
pub mod validate;
pub mod values;
