//! A component table as an XLSX workbook: the bounded reader and the
//! import never panic, and what the import writes checks clean.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let path = common::file("table.xlsx", data);
    let imported = tthc::import::table::import(&common::REFERENCE, &path);
    common::assert_law(&imported);
});
