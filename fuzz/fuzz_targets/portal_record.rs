//! A National Public Service Portal record: the import never panics, and
//! what it writes checks clean.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let path = common::file("bo-tu-phap/1.000001.json", data);
    let imported = tthc::import::portal::import(&common::REFERENCE, &[path]);
    common::assert_law(&imported);
});
