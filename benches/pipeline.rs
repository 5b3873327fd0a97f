//! Speed and memory of the pipeline on the shipped catalogue. Run with
//! `cargo bench --bench pipeline`; it prints the median of several runs of
//! each step and the peak resident memory. Figures go to BENCHMARKS.md.
#![allow(clippy::print_stdout)]

use std::path::Path;
use std::time::{Duration, Instant};

fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    times.sort();
    (times[times.len() / 2], last.expect("at least one run"))
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let procedures = root.join("procedures");
    let (t, loaded) = median(5, || tthc::load_catalogue(&procedures));
    let cat = loaded.catalog.expect("shipped catalogue is valid");
    let components: usize = cat.procedures.iter().map(|p| p.components.len()).sum();
    println!(
        "load + validate procedures/ ({} procedures, {} components): {:.1} ms",
        cat.procedures.len(),
        components,
        t.as_secs_f64() * 1e3
    );
    let (t, a) = median(5, || tthc::analysis::analyse(&cat, &Default::default()));
    println!(
        "analyse, 34 provinces, with unlock ranking ({} verdicts): {:.1} ms",
        a.verdicts.iter().map(Vec::len).sum::<usize>(),
        t.as_secs_f64() * 1e3
    );
    let (t, json) = median(5, || {
        let mut out = Vec::new();
        tthc::output::write_analysis_json(&a, &mut out).expect("write to memory");
        out
    });
    println!(
        "render tthc.analysis/1 JSON ({:.1} MB): {:.1} ms",
        json.len() as f64 / 1e6,
        t.as_secs_f64() * 1e3
    );
    let plan = tthc::plan::plan(&a);
    let (t, files) = median(5, || {
        tthc::report::render(&a, &plan).expect("report renders")
    });
    println!(
        "render the HTML report ({} files, {:.1} MB): {:.1} ms",
        files.len(),
        files.values().map(Vec::len).sum::<usize>() as f64 / 1e6,
        t.as_secs_f64() * 1e3
    );
    let reference = tthc::load_files(&tthc::reference::files(), vec![])
        .catalog
        .expect("reference");
    let annex = root.join("tests/data/nq-66-7-2025-annex1-part.csv");
    let (t, imp) = median(5, || tthc::import::table::import(&reference, &annex));
    println!(
        "import table, Annex I part ({} rows): {:.1} ms",
        imp.report.inputs,
        t.as_secs_f64() * 1e3
    );
    let portal = root.join("../shared/data/portal");
    if portal.is_dir() {
        let (t, imp) = median(3, || {
            tthc::import::portal::import(&reference, std::slice::from_ref(&portal))
        });
        println!(
            "import portal, ../shared/data/portal ({} records): {:.1} ms",
            imp.report.inputs,
            t.as_secs_f64() * 1e3
        );
    } else {
        println!("import portal: skipped (../shared/data/portal not present)");
    }
    if let Some(m) = peak_rss_mib() {
        println!("peak resident memory: {m:.0} MiB");
    }
}
