//! A component table as CSV: the import never panics, and what it writes
//! checks clean.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let path = common::file("table.csv", data);
    let imported = tthc::import::table::import(&common::REFERENCE, &path);
    common::assert_law(&imported);
});
