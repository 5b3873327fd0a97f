//! Diacritics first: every pair of a catalogue pattern (a name or alias of
//! a document type or source, a recognition phrase) and common dossier
//! words — n-grams of the shipped catalogue's texts, tuning part — or
//! another pattern that fold to the same string while their diacritics
//! differ (`sổ đỏ` / `sơ đồ` / `số đo`, `trừ` / `trụ`). The pairs are
//! listed. Where the words carry diacritics of their own, the lexicon must
//! not read them as the pattern; words written without diacritics (`don de
//! nghi`) may be read so, by a pattern of at least
//! [`lexicon::FOLD_MIN_WORDS`] words only.

mod common;
use common::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use tthc::read::lexicon::{self, Lexicon, Meaning};
use tthc::text::{tokens, Word};

fn words(s: &str) -> Vec<Word> {
    tokens(s)
        .into_iter()
        .filter_map(|t| t.word().cloned())
        .collect()
}

fn key(ws: &[Word]) -> String {
    ws.iter()
        .map(|w| w.key.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn folded(ws: &[Word]) -> String {
    ws.iter()
        .map(|w| w.folded.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn patterns_never_match_words_that_only_fold_alike() {
    let loaded = tthc::load_catalogue(&root().join("procedures"));
    let cat = loaded.catalog.expect("shipped catalogue");
    let lex = Lexicon::new(&cat);
    // Every pattern: (as written, what it means).
    let mut patterns: Vec<(String, Meaning)> = Vec::new();
    for (i, d) in cat.document_types.iter().enumerate() {
        for a in std::iter::once(&d.name).chain(&d.aliases) {
            patterns.push((a.clone(), Meaning::Doc(i)));
        }
    }
    for (i, s) in cat.sources.iter().enumerate() {
        for a in std::iter::once(&s.name).chain(&s.aliases) {
            patterns.push((a.clone(), Meaning::Source(i)));
        }
    }
    for (cue, list) in lexicon::cues(&cat.recognition) {
        for p in list {
            patterns.push((p.clone(), Meaning::Cue(cue)));
        }
    }
    let mut by_fold: HashMap<String, Vec<(String, String, Meaning)>> = HashMap::new();
    let mut longest = 0;
    for (p, m) in &patterns {
        let ws = words(p);
        longest = longest.max(ws.len());
        by_fold
            .entry(folded(&ws))
            .or_default()
            .push((p.clone(), key(&ws), *m));
    }
    // Common dossier words: n-grams of the tuning part's component texts
    // that fold like a pattern, with how often they occur.
    let tuning: HashSet<String> =
        std::fs::read_to_string(root().join("tests/data/split/tuning.txt"))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
    // (folded, key) → (as written, how often, whether a word that differs
    // from a pattern carries diacritics — known once compared).
    let mut seen: BTreeMap<(String, String), (String, Vec<Word>, usize)> = BTreeMap::new();
    for p in cat.procedures.iter().filter(|p| tuning.contains(&p.code)) {
        for c in &p.components {
            let ws = words(&c.text);
            for i in 0..ws.len() {
                for n in 1..=longest.min(ws.len() - i) {
                    let gram = &ws[i..i + n];
                    let f = folded(gram);
                    if by_fold.contains_key(&f) {
                        let written: String = c
                            .text
                            .get(gram[0].start..gram[n - 1].end)
                            .unwrap_or_default()
                            .to_lowercase();
                        let e = seen
                            .entry((f, key(gram)))
                            .or_insert((written, gram.to_vec(), 0));
                        e.2 += 1;
                    }
                }
            }
        }
    }
    let reads_as = |text: &str, m: Meaning| -> bool {
        let t = tokens(text);
        let last = t.len().saturating_sub(1);
        lex.scan(&t)
            .iter()
            .any(|h| h.first == 0 && h.last == last && h.meanings.contains(&m))
    };
    let mut pairs: Vec<String> = Vec::new();
    let mut wrong: Vec<String> = Vec::new();
    // Whether `text` may be read as pattern `p`: only when the words that
    // differ carry no diacritics and the pattern is long enough.
    let allowed = |text: &[Word], p: &str| -> bool {
        let pw = words(p);
        let marked_differs = pw
            .iter()
            .zip(text)
            .any(|(a, b)| a.key != b.key && b.is_marked());
        !marked_differs && pw.len() >= lexicon::FOLD_MIN_WORDS
    };
    // Pattern and dossier words.
    for ((f, k), (written, gram, count)) in &seen {
        for (p, pk, m) in &by_fold[f] {
            if pk != k {
                pairs.push(format!("«{p}» ~ «{written}» ({count}×)"));
                if reads_as(written, *m) && !allowed(gram, p) {
                    wrong.push(format!("«{written}» read as «{p}»"));
                }
            }
        }
    }
    // Pattern and pattern.
    for list in by_fold.values() {
        for (a, ak, _) in list {
            for (b, bk, bm) in list {
                if ak != bk && reads_as(a, *bm) && !allowed(&words(a), b) {
                    wrong.push(format!("«{a}» read as «{b}»"));
                }
                if ak < bk {
                    pairs.push(format!("«{a}» ~ «{b}» (both patterns)"));
                }
            }
        }
    }
    pairs.sort();
    pairs.dedup();
    eprintln!(
        "{} pairs fold alike with different diacritics:",
        pairs.len()
    );
    for p in &pairs {
        eprintln!("  {p}");
    }
    assert!(
        !pairs.is_empty(),
        "the dossier texts hold no such pair: the test reads nothing"
    );
    assert!(
        wrong.is_empty(),
        "read across diacritics:\n{}",
        wrong.join("\n")
    );
}
