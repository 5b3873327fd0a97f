//! The search index: a small script file defining every procedure's code,
//! name and ministry, loaded by a script tag when the search box is first
//! used (no fetch(), so the site works from disk). The page's inline
//! script folds names and queries alike (no diacritics, `đ` → `d`).

use crate::model::Catalog;

/// Where the index lives in the site.
pub const INDEX_FILE: &str = "tim-kiem.js";

/// `window.TTHC_INDEX = [[code, name, ministry], …];`, written to `out`
/// as it is made.
pub fn write_index(cat: &Catalog, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let rows: Vec<[&str; 3]> = cat
        .procedures
        .iter()
        .map(|p| {
            [
                p.code.as_str(),
                p.name.as_str(),
                cat.agencies[p.agency].name.as_str(),
            ]
        })
        .collect();
    out.write_all(b"window.TTHC_INDEX=")?;
    serde_json::to_writer(&mut *out, &rows)?;
    out.write_all(b";\n")
}
