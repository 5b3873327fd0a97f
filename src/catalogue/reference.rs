//! The reference catalogue shipped inside the binary: the files of
//! `procedures/catalog/`, used for any catalogue without its own `catalog/`.

use crate::load::{FileKind, InputFile};

/// Display prefix for embedded files in diagnostics.
pub const BUILTIN_PREFIX: &str = "(built-in)";

/// Every file of `procedures/catalog/`, by name. A test fails if a file of
/// that folder is missing here.
pub const FILES: &[(&str, &str)] = &[
    (
        "settings.yaml",
        include_str!("../../procedures/catalog/settings.yaml"),
    ),
    (
        "agencies.yaml",
        include_str!("../../procedures/catalog/agencies.yaml"),
    ),
    (
        "provinces.yaml",
        include_str!("../../procedures/catalog/provinces.yaml"),
    ),
    (
        "elements.yaml",
        include_str!("../../procedures/catalog/elements.yaml"),
    ),
    (
        "document_types.yaml",
        include_str!("../../procedures/catalog/document_types.yaml"),
    ),
    (
        "sources.yaml",
        include_str!("../../procedures/catalog/sources.yaml"),
    ),
    (
        "recognition.yaml",
        include_str!("../../procedures/catalog/recognition.yaml"),
    ),
    (
        "legal_documents.yaml",
        include_str!("../../procedures/catalog/legal_documents.yaml"),
    ),
    (
        "lists.yaml",
        include_str!("../../procedures/catalog/lists.yaml"),
    ),
];

/// The reference catalogue alone, validated (for tests of the reading
/// and of the solver that need its names and phrases).
#[cfg(test)]
pub fn catalog() -> crate::model::Catalog {
    crate::load_files(&files(), vec![])
        .catalog
        .expect("the reference catalogue validates")
}

/// The embedded reference files, ready for parsing.
pub fn files() -> Vec<InputFile> {
    FILES
        .iter()
        .map(|(name, text)| InputFile {
            display: format!("{BUILTIN_PREFIX}/catalog/{name}"),
            kind: FileKind::Reference,
            text: crate::text::nfc(text.strip_prefix('\u{feff}').unwrap_or(text)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_catalog_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("procedures/catalog");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = super::FILES.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(
            on_disk, embedded,
            "register new catalog files in src/reference.rs"
        );
    }
}
