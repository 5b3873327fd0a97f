//! A catalogue YAML file, as procedure and as reference data: decoding,
//! parsing with normalised values, and validation against the built-in
//! reference catalogue never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = tthc::load::decode(data.to_vec(), "fuzz.yaml") else {
        return;
    };
    let _ = tthc::load::parse_yaml::<tthc::format::CatalogFile>(&text, "catalog/fuzz.yaml");
    let mut files = vec![tthc::load::InputFile {
        display: "fuzz.yaml".into(),
        kind: tthc::load::FileKind::Procedure,
        text,
    }];
    files.extend(tthc::reference::files());
    let _ = tthc::load_files(&files, vec![]);
});
