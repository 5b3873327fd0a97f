//! Shared by the import targets: the built-in reference catalogue, a file
//! to hand the importer, and the importers' law (an import that succeeds
//! writes a catalogue that checks clean).

use std::path::PathBuf;
use std::sync::LazyLock;

pub static REFERENCE: LazyLock<tthc::model::Catalog> = LazyLock::new(|| {
    tthc::load_files(&tthc::reference::files(), vec![])
        .catalog
        .expect("reference catalogue")
});

/// `NAME` in a folder of this process's own, holding `bytes`.
pub fn file(rel: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tthc-fuzz-{}", std::process::id()));
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Panics (a crash for the fuzzer) when a successful import does not check clean.
pub fn assert_law(imported: &tthc::import::Imported) {
    if imported.diagnostics.iter().any(|d| d.is_error()) {
        return;
    }
    let files = tthc::import::render(imported, "fuzz").expect("imports serialise");
    let mut inputs: Vec<tthc::load::InputFile> = files
        .iter()
        .map(|(rel, bytes)| tthc::load::InputFile {
            display: rel.display().to_string(),
            kind: tthc::load::FileKind::Procedure,
            text: String::from_utf8(bytes.clone()).expect("imports write UTF-8"),
        })
        .collect();
    inputs.extend(tthc::reference::files());
    let loaded = tthc::load_files(&inputs, vec![]);
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "import does not check clean: {errors:#?}");
}
