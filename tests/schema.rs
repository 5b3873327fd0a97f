//! The committed JSON Schemas in `schema/` must match the Rust types the
//! loader deserialises. Refresh them with `TTHC_BLESS=1 cargo test --test schema`.

use std::path::Path;

fn check(name: &str, schema: schemars::Schema) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(name);
    let generated = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    if std::env::var_os("TTHC_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date; run `TTHC_BLESS=1 cargo test --test schema` and commit it",
        path.display()
    );
}

#[test]
fn catalog_schema_is_current() {
    check("catalog.schema.json", tthc::format::catalog_schema());
}

#[test]
fn procedure_schema_is_current() {
    check("procedure.schema.json", tthc::format::procedure_schema());
}

#[test]
fn review_schema_is_current() {
    check("review.schema.json", tthc::format::review_schema());
}

/// The schema accepts what the loader accepts: every shipped YAML file
/// validates against its schema.
#[test]
fn shipped_files_validate_against_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("procedures");
    let load = |n: &str| -> serde_json::Value {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema").join(n);
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let catalog = jsonschema::validator_for(&load("catalog.schema.json")).unwrap();
    let procedure = jsonschema::validator_for(&load("procedure.schema.json")).unwrap();
    let review = jsonschema::validator_for(&load("review.schema.json")).unwrap();
    let mut checked = 0;
    for rel in tthc::load::walk(&root, tthc::load::is_yaml).unwrap().files {
        let text = std::fs::read_to_string(root.join(&rel)).unwrap();
        let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        let validator = match tthc::load::FileKind::of(&rel) {
            tthc::load::FileKind::Reference => &catalog,
            tthc::load::FileKind::Review => &review,
            tthc::load::FileKind::Procedure => &procedure,
        };
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {:?}", rel.display(), errors);
        checked += 1;
    }
    assert!(
        checked > 7,
        "expected the reference catalogue and procedures"
    );
}
