//! The Government's own answer as a yardstick: Annex I of Nghị quyết
//! 66.7/2025/NQ-CP says which paper of which procedure is replaced through
//! which database. Its `database` columns are used here only to score what
//! the analysis decided, never to decide.
//!
//! - Table route: importing the annex with `tthc import table` and
//!   analysing finds each row's component replaced (`replaceable`,
//!   `conditional` or `already-digital`) through the row's database in at
//!   least 95% of rows.
//! - Portal route: for annex rows whose procedure is in the shipped
//!   catalogue and whose paper the portal dossier names, the analysis of
//!   the shipped catalogue finds that paper replaced through the row's
//!   database in at least 90% of them.
//!
//! The population, identity, residence and civil-status databases count as
//! one family, since the annex names them interchangeably.

mod common;
use common::*;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use tthc::model::Catalog;
use tthc::text::fold;

const ANNEX: &str = "tests/data/nq-66-7-2025-annex1-part.csv";
const FAMILY: [&str; 4] = [
    "csdl-dan-cu",
    "csdl-can-cuoc",
    "csdl-cu-tru",
    "csdl-ho-tich",
];
const REPLACED: [&str; 3] = ["replaceable", "conditional", "already-digital"];

struct Row {
    line: usize,
    code: String,
    component: String,
    database: String,
}

fn rows() -> Vec<Row> {
    let mut r = csv::Reader::from_path(root().join(ANNEX)).unwrap();
    r.records()
        .enumerate()
        .map(|(i, rec)| {
            let rec = rec.unwrap();
            let code = tthc::import::table::normalise_code(&rec[0]).unwrap().0;
            Row {
                line: i + 2,
                code,
                component: rec[3].to_owned(),
                database: rec[6].to_owned(),
            }
        })
        .collect()
}

fn reference() -> Catalog {
    tthc::load_files(&tthc::reference::files(), vec![])
        .catalog
        .expect("reference catalogue")
}

/// Source ids the annex's database cell names, widened to the family.
fn row_sources(cat: &Catalog, db: &str) -> BTreeSet<String> {
    let f = format!(" {} ", fold(db));
    let mut out: BTreeSet<String> = cat
        .sources
        .iter()
        .filter(|s| {
            std::iter::once(&s.name)
                .chain(&s.aliases)
                .any(|a| f.contains(&format!(" {} ", fold(a))))
        })
        .map(|s| s.id.clone())
        .collect();
    if FAMILY.iter().any(|id| out.contains(*id)) {
        out.extend(FAMILY.iter().map(|s| s.to_string()));
    }
    out
}

fn sources_of(c: &Value) -> BTreeSet<String> {
    source_ids(c).into_iter().collect()
}

/// One line for a row the analysis did not find replaced as the annex says.
fn miss(r: &Row, c: &Value) -> String {
    format!(
        "{ANNEX}:{} {} «{}» [{}] → {} {:?}: {}",
        r.line,
        r.code,
        r.component,
        r.database,
        c["verdict"],
        sources_of(c),
        c["reason"]
    )
}

fn hit(c: &Value, want: &BTreeSet<String>) -> bool {
    REPLACED.contains(&c["verdict"].as_str().unwrap()) && !sources_of(c).is_disjoint(want)
}

fn analyse(dir: &str) -> Value {
    let out = tthc(["analyse", dir, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn by_code(v: &Value) -> HashMap<String, &Value> {
    v["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["code"].as_str().unwrap().to_owned(), p))
        .collect()
}

#[test]
fn table_route_replaces_at_least_95_percent_of_annex_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("annex");
    let out = tthc([
        "import".as_ref(),
        "table".as_ref(),
        ANNEX.as_ref(),
        "--out".as_ref(),
        out_dir.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = analyse(out_dir.to_str().unwrap());
    let procs = by_code(&v);
    let cat = reference();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let (mut ok, mut total, mut misses) = (0, 0, Vec::new());
    for r in rows() {
        let k = seen.entry(r.code.clone()).or_default();
        let c = &procs[&r.code]["components"][*k];
        *k += 1;
        assert_eq!(c["name"].as_str().unwrap(), r.component.trim(), "row order");
        total += 1;
        if hit(c, &row_sources(&cat, &r.database)) {
            ok += 1;
        } else {
            misses.push(miss(&r, c));
        }
    }
    let rate = ok as f64 / total as f64;
    eprintln!("table route: {ok}/{total} = {:.1}%", rate * 100.0);
    for m in &misses {
        eprintln!("  miss: {m}");
    }
    assert!(rate >= 0.95, "table route {:.1}% < 95%", rate * 100.0);
}

#[test]
fn portal_route_replaces_at_least_90_percent_of_named_annex_papers() {
    let v = analyse("procedures");
    let procs = by_code(&v);
    let cat = reference();
    let rec = tthc::recognise::Recogniser::new(&cat);
    let (mut ok, mut total, mut absent, mut unnamed, mut misses) = (0, 0, 0, 0, Vec::new());
    for r in rows() {
        let Some(p) = procs.get(&r.code) else {
            absent += 1;
            continue;
        };
        // The papers of the row that some source can serve (not the
        // generic categories a longer sentence may also match).
        let wanted: BTreeSet<String> = rec
            .recognise(&r.component)
            .accepts()
            .iter()
            .filter(|&&d| cat.sources.iter().any(|s| s.documents.contains(&d)))
            .map(|&d| cat.document_types[d].id.clone())
            .collect();
        let naming: Vec<&Value> = p["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| {
                c["documents"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|d| wanted.contains(d.as_str().unwrap()))
            })
            .collect();
        if naming.is_empty() {
            unnamed += 1;
            continue;
        }
        total += 1;
        let want = row_sources(&cat, &r.database);
        if naming.iter().any(|c| hit(c, &want)) {
            ok += 1;
        } else {
            let c = naming[0];
            misses.push(miss(&r, c));
        }
    }
    let rate = ok as f64 / total.max(1) as f64;
    eprintln!(
        "portal route: {ok}/{total} = {:.1}% ({absent} rows' procedures not in the catalogue, {unnamed} rows' papers not named by the portal dossier)",
        rate * 100.0
    );
    for m in &misses {
        eprintln!("  miss: {m}");
    }
    assert!(total > 50, "too few annex rows to score: {total}");
    assert!(rate >= 0.90, "portal route {:.1}% < 90%", rate * 100.0);
}
