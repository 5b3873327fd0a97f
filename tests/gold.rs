//! The blind gold sample: 300 dossier passages of the validation part
//! (procedure codes the recognition was never tuned on, `tests/data/split/`),
//! drawn by `scripts/gold-sample` weighted towards what the tool cut when
//! the sample was drawn, and judged paper by paper by reviewers who never saw
//! the tool's output (`docs/gold-instructions.md`). Each row of
//! `tests/data/gold.csv` quotes the words naming one paper and says whether
//! a careful official would cut it (`cut`, `conditional`) or keep it.
//!
//! Here the shipped catalogue is analysed and each quoted paper is looked up
//! in the component of its procedure whose text holds the quote (in the
//! required part whose words hold it, when the component asks for several
//! papers together). A paper is cut by the tool when that verdict is
//! `replaceable`, `conditional` or `already-digital`.
//!
//! The bars guard the figures measured last (precision 82.9%, 82.2% without
//! an alias found across both parts; recall 82.9%), so no change may lower them; the target of issue 9
//! (precision 95%, recall 85%) is not reached yet, and the bars rise as the
//! reading improves on the tuning part. Only figures are printed; set
//! `TTHC_GOLD_DETAIL=1` to
//! list the disagreements of the tuning part's sample
//! (`tests/data/gold-tuning.csv`, labelled the same way); the validation
//! part's are never listed.

mod common;
use common::*;
use serde_json::Value;
use std::collections::HashMap;
use tthc::text::fold;

const GOLD: &str = "tests/data/gold.csv";
/// The same judgement on a sample of the tuning part, whose disagreements
/// may be read.
const GOLD_TUNING: &str = "tests/data/gold-tuning.csv";
const CUT: [&str; 3] = ["replaceable", "conditional", "already-digital"];
const PRECISION_BAR: f64 = 0.82;
const RECALL_BAR: f64 = 0.82;
/// Rows whose quote no longer lies in any component (the dossier was read
/// differently since labelling): above this share the sample must be
/// relabelled, blind, rather than trusted.
const UNMATCHED_BAR: f64 = 0.05;

struct Row {
    id: String,
    code: String,
    quote: String,
    gold_cut: bool,
}

fn gold(path: &str) -> Vec<Row> {
    let mut r = csv::Reader::from_path(root().join(path)).expect("a gold sample");
    r.records()
        .map(|rec| {
            let rec = rec.expect("gold row");
            Row {
                id: rec[0].to_owned(),
                code: rec[1].to_owned(),
                quote: rec[2].to_owned(),
                gold_cut: matches!(&rec[3], "cut" | "conditional"),
            }
        })
        .collect()
}

/// What the tool says of one component: its folded text and verdict, and
/// for a component asking for several papers together, each part's.
struct Said {
    text: String,
    verdict: String,
    parts: Vec<(String, String)>,
}

impl Said {
    /// The verdict on the paper quoted by `q` (folded): that of the
    /// narrowest part whose words hold it (a part can lie inside another's
    /// words: `Một trong các giấy tờ sau: A; ngoài các giấy tờ nêu trên, bổ
    /// sung C; B`), the component's when no part's do.
    fn on(&self, q: &str) -> &str {
        self.parts
            .iter()
            .filter(|(t, _)| t.contains(q))
            .min_by_key(|(t, _)| t.len())
            .map_or(self.verdict.as_str(), |(_, v)| v.as_str())
    }
}

/// What the tool says of each procedure's components.
fn tool() -> HashMap<String, Vec<Said>> {
    let out = tthc(["analyse", "procedures", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    v["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let comps = p["components"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| Said {
                    text: fold(c["name"].as_str().unwrap()),
                    verdict: c["verdict"].as_str().unwrap().to_owned(),
                    parts: c["parts"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|p| {
                            (
                                fold(p["text"].as_str().unwrap()),
                                p["verdict"].as_str().unwrap().to_owned(),
                            )
                        })
                        .collect(),
                })
                .collect();
            (p["code"].as_str().unwrap().to_owned(), comps)
        })
        .collect()
}

/// Agreement of the tool with one gold sample.
struct Score {
    rows: usize,
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
    unmatched: usize,
}

impl Score {
    fn share(a: usize, b: usize) -> f64 {
        if b == 0 {
            1.0
        } else {
            a as f64 / b as f64
        }
    }
    fn precision(&self) -> f64 {
        Self::share(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> f64 {
        Self::share(self.tp, self.tp + self.fn_)
    }
    fn line(&self, part: &str) -> String {
        format!(
            "gold sample ({part} part, {} papers): precision of cuts {:.1}% ({}/{}), recall {:.1}% ({}/{}); {} kept rightly; {} quotes in no component",
            self.rows,
            self.precision() * 100.0,
            self.tp,
            self.tp + self.fp,
            self.recall() * 100.0,
            self.tp,
            self.tp + self.fn_,
            self.tn,
            self.unmatched,
        )
    }
}

/// Scores the tool against the gold sample at `path`; lists the
/// disagreements when `detail`.
fn score(path: &str, tool: &HashMap<String, Vec<Said>>, detail: bool) -> Score {
    let rows = gold(path);
    let mut s = Score {
        rows: rows.len(),
        tp: 0,
        fp: 0,
        fn_: 0,
        tn: 0,
        unmatched: 0,
    };
    for r in &rows {
        let q = fold(&r.quote);
        let verdict = tool
            .get(&r.code)
            .and_then(|cs| cs.iter().find(|c| c.text.contains(&q)))
            .map(|c| c.on(&q));
        if verdict.is_none() {
            s.unmatched += 1;
        }
        let tool_cut = verdict.is_some_and(|v| CUT.contains(&v));
        match (tool_cut, r.gold_cut) {
            (true, true) => s.tp += 1,
            (true, false) => s.fp += 1,
            (false, true) => s.fn_ += 1,
            (false, false) => s.tn += 1,
        }
        if detail && tool_cut != r.gold_cut {
            eprintln!(
                "{} {} tool {} gold {}: {}",
                r.id,
                r.code,
                verdict.unwrap_or("(no component)"),
                if r.gold_cut { "cut" } else { "keep" },
                r.quote
            );
        }
    }
    s
}

/// The tuning part's sample: figures printed, disagreements listed with
/// `TTHC_GOLD_DETAIL=1` for whoever improves the reading. No bar: it is
/// what tuning reads.
#[test]
fn tuning_sample_is_scored() {
    let detail = std::env::var_os("TTHC_GOLD_DETAIL").is_some();
    let s = score(GOLD_TUNING, &tool(), detail);
    assert!(s.rows >= 300, "the tuning sample has {} rows", s.rows);
    eprintln!("{}", s.line("tuning"));
    assert!(
        Score::share(s.unmatched, s.rows) <= UNMATCHED_BAR,
        "{} of {} tuning quotes lie in no component: relabel the sample blind",
        s.unmatched,
        s.rows
    );
}

#[test]
fn cuts_agree_with_blind_reviewers() {
    // Never list the validation part's disagreements: they must not guide
    // tuning.
    let s = score(GOLD, &tool(), false);
    assert!(s.rows >= 300, "the gold sample has {} rows", s.rows);
    eprintln!("{}", s.line("validation"));
    assert!(
        Score::share(s.unmatched, s.rows) <= UNMATCHED_BAR,
        "{} of {} gold quotes lie in no component: relabel the sample blind",
        s.unmatched,
        s.rows
    );
    assert!(
        s.precision() >= PRECISION_BAR,
        "precision of cuts {:.1}% is below {:.0}%",
        s.precision() * 100.0,
        PRECISION_BAR * 100.0
    );
    assert!(
        s.recall() >= RECALL_BAR,
        "recall {:.1}% is below {:.0}%",
        s.recall() * 100.0,
        RECALL_BAR * 100.0
    );
}
