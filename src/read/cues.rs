//! Cues: the words of a dossier line that qualify the papers it names —
//! issued abroad, whose paper, how recent, which land, handed in to be
//! surrendered — and the papers named only to describe a head paper data
//! never replaces (a photo "kiểu chứng minh nhân dân" is a photo, not the
//! identity card). Driven by the cue phrases of the reference data
//! (`recognition.cues`), matched on whole words with diacritics as written,
//! longest first, within a clause (a line, a sentence, a `;` item).
//!
//! A cue qualifies the papers named before it in its clause (or, when none
//! is, those after it); `foreign_after` words qualify only the paper they
//! follow; a surrender phrase, the paper it overlaps or touches. A paper
//! named several times is qualified only when every mention is.

use crate::format::{CueKind, DurationUnit, Holder, LandUse, Located, RawCue, RawDuration};
use crate::model::{Catalog, DocIdx, Phrase, SourceIdx, Span};
use crate::text::{self, fold, word_key};
use std::collections::BTreeSet;

/// What the cue phrases say about one dossier line.
#[derive(Debug, Default)]
pub struct Reading {
    pub cues: Vec<RawCue>,
    /// Accepted types named only to describe a head paper of a kind data
    /// never replaces: they are not accepted.
    pub qualifiers: Vec<DocIdx>,
}

/// A word of the text: character offsets, byte offsets, key, clause
/// number.
#[derive(Debug)]
struct Word {
    start: usize,
    end: usize,
    bytes: (usize, usize),
    key: String,
    clause: usize,
}

/// Marks that end a clause: a qualifier never reaches across one.
fn breaks_clause(gap: &str) -> bool {
    gap.contains([';', '\n', '•', '+'])
        || gap.contains(". ")
        || gap.ends_with('.')
        || gap.contains(" - ")
}

fn words(t: &str) -> Vec<Word> {
    let mut clause = 0;
    let mut prev_end: Option<usize> = None;
    text::tokens(t)
        .into_iter()
        .filter_map(|tok| match tok {
            text::Token::Word(w) => Some(w),
            text::Token::Punct { .. } => None,
        })
        .map(|w| {
            if prev_end.is_some_and(|e| breaks_clause(&t[e..w.start])) {
                clause += 1;
            }
            prev_end = Some(w.end);
            Word {
                start: w.char_start,
                end: w.char_end,
                bytes: (w.start, w.end),
                key: w.key,
                clause,
            }
        })
        .collect()
}

/// What a phrase occurrence says.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Says {
    Abroad,
    ForeignAfter,
    /// Index into the holder lists.
    Holder(usize),
    Fresh,
    Land(LandUse),
    Surrender,
    Physical,
}

/// An occurrence: words `[a, b)`.
#[derive(Clone, Copy, Debug)]
struct Hit<T> {
    a: usize,
    b: usize,
    what: T,
}

/// Non-overlapping occurrences of `phrases`, longest first, within a clause.
fn find<T: Copy>(ws: &[Word], phrases: &[(T, &Phrase)]) -> Vec<Hit<T>> {
    let mut order: Vec<&(T, &Phrase)> = phrases.iter().collect();
    order.sort_by_key(|(_, p)| std::cmp::Reverse(p.keys.len()));
    let mut taken = vec![false; ws.len()];
    let mut out = Vec::new();
    for (what, p) in order {
        let n = p.keys.len();
        if n == 0 || n > ws.len() {
            continue;
        }
        for a in 0..=ws.len() - n {
            let fits = (0..n).all(|j| !taken[a + j] && ws[a + j].key == p.keys[j])
                && ws[a].clause == ws[a + n - 1].clause;
            if fits {
                taken[a..a + n].iter_mut().for_each(|t| *t = true);
                out.push(Hit {
                    a,
                    b: a + n,
                    what: *what,
                });
            }
        }
    }
    out.sort_by_key(|h| h.a);
    out
}

/// A mention of an accepted type: words `[a, b)`.
#[derive(Clone, Copy, Debug)]
struct Mention {
    doc: DocIdx,
    a: usize,
    b: usize,
}

fn mentions(ws: &[Word], matched: &[(DocIdx, Span)]) -> Vec<Mention> {
    matched
        .iter()
        .filter_map(|&(doc, span)| {
            // Words are in text order: those inside the span are a run.
            let a = ws.partition_point(|w| w.start < span.start);
            let b = a + ws[a..].iter().take_while(|w| w.end <= span.end).count();
            (b > a).then_some(Mention { doc, a, b })
        })
        .collect()
}

/// The words `[a, b)` as written.
fn written(t: &str, ws: &[Word], a: usize, b: usize) -> String {
    t[ws[a].bytes.0..ws[b - 1].bytes.1].to_owned()
}

/// A duration right after a freshness phrase: `06 tháng`.
fn duration_at(ws: &[Word], i: usize) -> Option<RawDuration> {
    let count: u32 = ws.get(i)?.key.parse().ok()?;
    let unit = ws.get(i + 1)?;
    if unit.clause != ws[i].clause {
        return None;
    }
    let unit = [
        ("ngày", DurationUnit::Day),
        ("tháng", DurationUnit::Month),
        ("năm", DurationUnit::Year),
    ]
    .into_iter()
    .find(|(w, _)| word_key(w) == unit.key)?
    .1;
    Some(RawDuration { count, unit })
}

/// Whether the folded text before a paper's name is only list markers,
/// counts and copy words (`03`, `Bản sao`): the paper heads the line.
fn heads(cat: &Catalog, before: &str) -> bool {
    let folded = fold(before);
    let mut f = crate::recognise::strip_marker(&folded);
    let lead = &cat.recognition.lead_words;
    loop {
        let first = f.split(' ').next().unwrap_or("");
        if !first.is_empty() && first.chars().all(|c| c.is_ascii_digit()) {
            f = f[first.len()..].trim_start();
        } else if let Some(p) = lead.iter().find(|p| {
            f.starts_with(p.as_str()) && (f.len() == p.len() || f.as_bytes()[p.len()] == b' ')
        }) {
            f = f[p.len()..].trim_start();
        } else {
            return f.is_empty();
        }
    }
}

/// Reads the cues of a dossier line whose accepted types are named at
/// `matched` (character spans of `text`).
pub fn read(cat: &Catalog, text: &str, matched: &[(DocIdx, Span)]) -> Reading {
    let mut out = Reading::default();
    if matched.is_empty() {
        return out;
    }
    let ws = words(text);
    let ms = mentions(&ws, matched);
    if ms.is_empty() {
        return out;
    }
    // Papers that describe a head paper data never replaces, in its clause.
    let head = ms.iter().min_by_key(|m| m.a).expect("not empty");
    let head_text: String = text.chars().take(ws[head.a].start).collect();
    if cat.document_types[head.doc].kind.is_some() && heads(cat, &head_text) {
        let clause = ws[head.a].clause;
        let docs: BTreeSet<DocIdx> = ms.iter().map(|m| m.doc).collect();
        out.qualifiers = docs
            .into_iter()
            .filter(|&d| {
                d != head.doc
                    && cat.document_types[d].kind.is_none()
                    && ms
                        .iter()
                        .filter(|m| m.doc == d)
                        .all(|m| ws[m.a].clause == clause && m.a >= head.b)
            })
            .collect();
    }
    let ms: Vec<Mention> = ms
        .into_iter()
        .filter(|m| !out.qualifiers.contains(&m.doc))
        .collect();

    let cp = &cat.recognition.cues;
    let mut phrases: Vec<(Says, &Phrase)> = Vec::new();
    phrases.extend(cp.issued_abroad.iter().map(|p| (Says::Abroad, p)));
    phrases.extend(cp.foreign_after.iter().map(|p| (Says::ForeignAfter, p)));
    for (i, h) in cp.holders.iter().enumerate() {
        phrases.extend(h.phrases.iter().map(|p| (Says::Holder(i), p)));
    }
    phrases.extend(cp.freshness.iter().map(|p| (Says::Fresh, p)));
    for (u, ps) in &cp.land {
        phrases.extend(ps.iter().map(|p| (Says::Land(*u), p)));
    }
    phrases.extend(cp.surrender.iter().map(|p| (Says::Surrender, p)));
    phrases.extend(cp.physical.iter().map(|p| (Says::Physical, p)));
    let hits = find(&ws, &phrases);
    let side = |list: &[Phrase]| find(&ws, &list.iter().map(|p| ((), p)).collect::<Vec<_>>());
    let verbs = side(&cp.freshness_verbs);
    let exceptions = side(&cp.exceptions);
    // The first word of each way of naming a paper (`giấy`, `bản`).
    let heads: BTreeSet<String> = cat
        .recognition
        .paper_heads
        .iter()
        .filter_map(|p| text::words(p).into_iter().next().map(|(_, _, k)| k))
        .collect();
    let stops = side(&cp.reach_stops);
    let counterparties: Vec<Hit<bool>> = find(
        &ws,
        &cp.counterparty
            .iter()
            .map(|p| (true, p))
            .chain(cp.not_counterparty.iter().map(|p| (false, p)))
            .collect::<Vec<_>>(),
    )
    .into_iter()
    .filter(|h| h.what)
    .collect();
    let before_in_clause = |hs: &[Hit<()>], h: &Hit<Says>| {
        hs.iter()
            .any(|x| x.b <= h.a && ws[x.a].clause == ws[h.a].clause)
    };
    let family = |w: Says| match w {
        Says::Abroad | Says::ForeignAfter => 0,
        Says::Holder(_) => 1,
        Says::Fresh => 2,
        Says::Land(_) => 3,
        Says::Surrender => 4,
        Says::Physical => 5,
    };

    // Each cue (its documents still to fill) with the mentions it qualifies.
    let mut qualified: Vec<(RawCue, Vec<usize>)> = Vec::new();
    let mut land: Option<(LandUse, String)> = None;
    for (hi, h) in hits.iter().enumerate() {
        let clause = ws[h.a].clause;
        let mut words = written(text, &ws, h.a, h.b);
        if let Says::Land(u) = h.what {
            if land
                .as_ref()
                .is_none_or(|(l, _)| *l == LandUse::Residential && u == LandUse::Other)
            {
                land = Some((u, words));
            }
            continue;
        }
        // After an exception word a cue states the exception, not a
        // qualifier; a phrase naming a whole class of holders
        // (`… (trừ tổ chức Việt Nam)`) leaves the paper to the other class,
        // whichever papers the clause names before the exception.
        let excepted = exceptions
            .iter()
            .rfind(|x| x.b <= h.a && ws[x.a].clause == clause);
        if let Some(x) = excepted {
            // `trừ bản chụp giấy khai sinh … đối với người Việt Nam`
            // excepts papers, and its holder is theirs.
            let excepts_papers = ws[x.b..h.a].iter().any(|w| heads.contains(&w.key));
            if let (Says::Holder(i), false) = (h.what, excepts_papers) {
                let leaves = &cp.holders[i].when_excepted;
                let targets: Vec<usize> = (0..ms.len())
                    .filter(|&m| ws[ms[m].a].clause == clause && ms[m].b <= x.a)
                    .collect();
                if !leaves.is_empty() && !targets.is_empty() {
                    add_cue(
                        &mut qualified,
                        RawCue {
                            cue: CueKind::Holder,
                            words: Located::new(written(text, &ws, x.a, h.b)),
                            documents: vec![],
                            holders: leaves.clone(),
                            within: None,
                            land: None,
                        },
                        targets,
                    );
                }
            }
            continue;
        }
        let (kind, holders, within) = match h.what {
            Says::Abroad | Says::ForeignAfter => (CueKind::IssuedAbroad, vec![], None),
            Says::Holder(i) => {
                // `với người nước ngoài`, `với các tổ chức nước ngoài`: the
                // other party, not the holder (`với nhau thì người nước
                // ngoài` is the holder again).
                let another_party = counterparties
                    .iter()
                    .any(|x| x.b <= h.a && h.a - x.b <= 1 && ws[x.a].clause == ws[h.a].clause);
                if another_party {
                    continue;
                }
                (CueKind::Holder, cp.holders[i].holders.clone(), None)
            }
            Says::Surrender => (CueKind::Surrender, vec![], None),
            Says::Physical => (CueKind::Physical, vec![], None),
            Says::Fresh => {
                let Some(d) = duration_at(&ws, h.b) else {
                    continue;
                };
                if !before_in_clause(&verbs, h) {
                    continue;
                }
                words = written(text, &ws, h.a, h.b + 2);
                (CueKind::Freshness, vec![], Some(d))
            }
            Says::Land(_) => unreachable!("handled above"),
        };
        // Where the previous cue of the same family ends in this clause: a
        // cue reaches back no further.
        let since = hits[..hi]
            .iter()
            .rev()
            .find(|x| family(x.what) == family(h.what) && ws[x.a].clause == clause)
            .map_or(0, |x| x.b);
        let targets: Vec<usize> = match h.what {
            Says::ForeignAfter => (0..ms.len()).filter(|&i| ms[i].b == h.a).collect(),
            Says::Surrender => (0..ms.len())
                .filter(|&i| ms[i].a <= h.b && ms[i].b >= h.a)
                .collect(),
            _ => {
                let before = reach_back(text, &ws, &ms, &stops, clause, since, (h.a, h.b));
                if before.is_empty() {
                    // Forward, a cue reaches no further than the next cue
                    // of its family in the clause: the nearest one before
                    // a paper is the one that qualifies it.
                    let until = hits[hi + 1..]
                        .iter()
                        .find(|x| family(x.what) == family(h.what) && ws[x.a].clause == clause)
                        .map_or(usize::MAX, |x| x.a);
                    (0..ms.len())
                        .filter(|&i| {
                            ws[ms[i].a].clause == clause && ms[i].a >= h.b && ms[i].a < until
                        })
                        .collect()
                } else {
                    before
                }
            }
        };
        if targets.is_empty() {
            continue;
        }
        add_cue(
            &mut qualified,
            RawCue {
                cue: kind,
                words: Located::new(words),
                documents: vec![],
                holders,
                within,
                land: None,
            },
            targets,
        );
    }
    let accepted: Vec<DocIdx> = {
        let mut v: Vec<DocIdx> = Vec::new();
        for m in &ms {
            if !v.contains(&m.doc) {
                v.push(m.doc);
            }
        }
        v
    };
    for (mut cue, targets) in qualified {
        // A paper is qualified when every mention of it is.
        let documents: Vec<DocIdx> = accepted
            .iter()
            .copied()
            .filter(|&d| {
                (0..ms.len())
                    .filter(|&i| ms[i].doc == d)
                    .all(|i| targets.contains(&i))
            })
            .collect();
        if documents.is_empty() {
            continue;
        }
        cue.documents = documents
            .iter()
            .map(|&d| Located::new(cat.document_types[d].id.clone()))
            .collect();
        out.cues.push(cue);
    }
    if let Some((u, words)) = land {
        let about_land = accepted.iter().any(|&d| served_by_land_phase(cat, d));
        if about_land {
            out.cues.push(RawCue {
                cue: CueKind::Land,
                words: Located::new(words),
                documents: vec![],
                holders: vec![],
                within: None,
                land: Some(u),
            });
        }
    }
    out
}

/// Adds a cue qualifying the mentions `targets`: to the cue of the same
/// kind, holders and duration already found, if any.
fn add_cue(qualified: &mut Vec<(RawCue, Vec<usize>)>, cue: RawCue, targets: Vec<usize>) {
    match qualified
        .iter_mut()
        .find(|(q, _)| q.cue == cue.cue && q.holders == cue.holders && q.within == cue.within)
    {
        Some((_, t)) => t.extend(targets),
        None => qualified.push((cue, targets)),
    }
}

/// The mentions a cue at words `[start, end)` qualifies backwards, in its
/// clause and after word `since`: the nearest one, and those before it,
/// up to a stop (a comma or a `reach_stops` word) between two of them or
/// between the nearest and the cue (`A hoặc B của người nước ngoài`; not
/// `A, B đối với nhà đầu tư nước ngoài`, nor `A và có thị thực do nước
/// ngoài cấp`).
fn reach_back(
    text: &str,
    ws: &[Word],
    ms: &[Mention],
    stops: &[Hit<()>],
    clause: usize,
    since: usize,
    (start, end): (usize, usize),
) -> Vec<usize> {
    let mut cands: Vec<usize> = (0..ms.len())
        .filter(|&i| ws[ms[i].a].clause == clause && ms[i].a >= since && ms[i].a < end)
        .collect();
    cands.sort_by_key(|&i| std::cmp::Reverse(ms[i].a));
    // Whether words [a, b) hold a stop, or the text between them a comma.
    let stopped = |a: usize, b: usize| {
        if a == 0 || a > b || b >= ws.len() {
            return false;
        }
        let gap = text.get(ws[a - 1].bytes.1..ws[b].bytes.0).unwrap_or("");
        gap.contains(',') || stops.iter().any(|s| s.a >= a && s.b <= b)
    };
    let mut out: Vec<usize> = Vec::new();
    let mut edge = start;
    for i in cands {
        if ms[i].b <= edge && stopped(ms[i].b, edge) {
            break;
        }
        out.push(i);
        edge = edge.min(ms[i].a);
    }
    out
}

/// Whether a source that serves residential land first bears on `d`.
fn served_by_land_phase(cat: &Catalog, d: DocIdx) -> bool {
    (0..cat.sources.len()).any(|s| cat.sources[s].land_phase.is_some() && serves(cat, s, d))
}

/// The cue of a whole procedure: some of its applicants are foreign and
/// its name says it is for foreign holders only (`cấp thị thực cho người
/// nước ngoài`), or every one of its applicants is foreign. Such a cue speaks only through document types
/// issued to given holders (a foreigner's "hộ chiếu" is not the Vietnamese
/// passport); components' own cues come first.
pub fn procedure(cat: &Catalog, name: &str, applicants: &[String]) -> Vec<RawCue> {
    let cp = &cat.recognition.cues;
    let phrases = holder_phrases(cat);
    let beneficiary: Vec<((), &Phrase)> = cp.beneficiary.iter().map(|p| ((), p)).collect();
    let foreign = |h: &Holder| matches!(h, Holder::Foreigner | Holder::ForeignOrganisation);
    // The holders a text names (in a name: after a word saying whom it is
    // for), and the first phrase as written.
    let named = |t: &str, for_whom: bool| -> (BTreeSet<Holder>, Option<String>) {
        let ws = words(t);
        let from = if for_whom {
            match find(&ws, &beneficiary).first() {
                Some(b) => b.b,
                None => return (BTreeSet::new(), None),
            }
        } else {
            0
        };
        let hits: Vec<Hit<usize>> = find(&ws, &phrases)
            .into_iter()
            .filter(|h| h.a >= from)
            .collect();
        let first = hits.first().map(|h| written(t, &ws, h.a, h.b));
        let hs = hits
            .iter()
            .flat_map(|h| cp.holders[h.what].holders.iter().copied())
            .collect();
        (hs, first)
    };
    let cue = |hs: BTreeSet<Holder>, words: String| RawCue {
        cue: CueKind::Holder,
        words: Located::new(words),
        documents: vec![],
        holders: hs.into_iter().collect(),
        within: None,
        land: None,
    };
    // What each applicant names: the name counts only when some applicant
    // is foreign (`cho thương nhân nước ngoài` may be a Vietnamese
    // enterprise's customer).
    let by_applicant: Vec<BTreeSet<Holder>> =
        applicants.iter().map(|a| named(a, false).0).collect();
    if !by_applicant.iter().flatten().any(foreign) {
        return vec![];
    }
    let (hs, first) = named(name, true);
    if !hs.is_empty() {
        return match first {
            Some(w) if hs.iter().all(foreign) => vec![cue(hs, w)],
            _ => vec![],
        };
    }
    if by_applicant
        .iter()
        .any(|hs| hs.is_empty() || !hs.iter().all(foreign))
    {
        return vec![];
    }
    let all: BTreeSet<Holder> = by_applicant.into_iter().flatten().collect();
    vec![cue(
        all,
        format!("Đối tượng thực hiện: {}", applicants.join(", ")),
    )]
}

/// The fallback phrase of a case's name (`Trường hợp việc kết nối … với Cơ
/// sở dữ liệu quốc gia về dân cư bị gián đoạn thì hồ sơ phải kèm theo`), as
/// written, with the sources whose data it says cannot be read: the case's
/// papers those sources serve are asked only then.
pub fn case_fallback<'c>(cat: &'c Catalog, name: &str) -> Option<(String, &'c [SourceIdx])> {
    let ws = words(name);
    let phrases: Vec<(usize, &Phrase)> = cat
        .recognition
        .cues
        .fallback
        .iter()
        .enumerate()
        .flat_map(|(i, (_, ps))| ps.iter().map(move |p| (i, p)))
        .collect();
    find(&ws, &phrases).first().map(|h| {
        (
            written(name, &ws, h.a, h.b),
            cat.recognition.cues.fallback[h.what].0.as_slice(),
        )
    })
}

/// The paper a procedure takes in by its very name (`Cấp đổi thẻ thường
/// trú`, `Thu hồi giấy phép lái xe`): a `surrender_procedures` phrase opens
/// the name and a document type is named right after it. Gives the words,
/// verb and paper as written, and the type.
pub fn procedure_surrender(
    rec: &crate::recognise::Recogniser,
    name: &str,
) -> Option<(String, DocIdx)> {
    let cat = rec.catalog();
    // The names the lexicon finds, before any reading as a dossier line
    // (`Thu hồi giấy phép lái xe` would read as a document about the
    // licence).
    let scan = rec.scan(name);
    let char_at = |t: usize, end: bool| {
        scan.tokens[t]
            .word()
            .map(|w| if end { w.char_end } else { w.char_start })
    };
    let matched: Vec<(DocIdx, Span)> = scan
        .hits
        .iter()
        .filter_map(|h| {
            let span = Span {
                start: char_at(h.first, false)?,
                end: char_at(h.last, true)?,
            };
            Some((h.doc()?, span))
        })
        .collect();
    let ws = words(name);
    let verbs: Vec<((), &Phrase)> = cat
        .recognition
        .cues
        .surrender_procedures
        .iter()
        .map(|p| ((), p))
        .collect();
    let verb = find(&ws, &verbs).into_iter().find(|h| h.a == 0)?;
    let paper = mentions(&ws, &matched)
        .into_iter()
        .filter(|m| m.a == verb.b)
        .max_by_key(|m| m.b)?;
    Some((written(name, &ws, 0, paper.b), paper.doc))
}

/// Whether source `s` serves document type `d`, whole or by its elements.
pub fn serves(cat: &Catalog, s: SourceIdx, d: DocIdx) -> bool {
    let src = &cat.sources[s];
    src.documents.contains(&d)
        || src
            .elements
            .iter()
            .any(|e| cat.document_types[d].elements.contains(e))
}

/// Each holder phrase with the index of its holder list.
fn holder_phrases(cat: &Catalog) -> Vec<(usize, &Phrase)> {
    cat.recognition
        .cues
        .holders
        .iter()
        .enumerate()
        .flat_map(|(i, h)| h.phrases.iter().map(move |p| (i, p)))
        .collect()
}

/// The holders a procedure's applicants name (`Công dân Việt Nam`,
/// `Người nước ngoài`), read with the holder phrases of the reference data.
pub fn applicant_holders<S: AsRef<str>>(cat: &Catalog, applicants: &[S]) -> BTreeSet<Holder> {
    let phrases = holder_phrases(cat);
    applicants
        .iter()
        .flat_map(|a| {
            let ws = words(a.as_ref());
            find(&ws, &phrases)
                .into_iter()
                .flat_map(|h| cat.recognition.cues.holders[h.what].holders.iter().copied())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognise::Recogniser;

    use crate::reference::catalog as reference;

    /// A cue as (kind, holders, document ids).
    type Seen = (CueKind, Vec<Holder>, Vec<String>);

    /// Each cue of a line, and the qualifiers.
    fn cues(cat: &Catalog, t: &str) -> (Vec<Seen>, Vec<String>) {
        let r = Recogniser::new(cat).recognise(t);
        let got = read(cat, t, &r.matched());
        let ids = |ds: &[DocIdx]| {
            ds.iter()
                .map(|&d| cat.document_types[d].id.clone())
                .collect()
        };
        (
            got.cues
                .iter()
                .map(|c| {
                    (
                        c.cue,
                        c.holders.clone(),
                        c.documents.iter().map(|d| d.value.clone()).collect(),
                    )
                })
                .collect(),
            ids(&got.qualifiers),
        )
    }

    fn has(cat: &Catalog, t: &str, kind: CueKind, doc: &str) -> bool {
        cues(cat, t)
            .0
            .iter()
            .any(|(k, _, ds)| *k == kind && ds.iter().any(|d| d == doc))
    }

    #[test]
    fn whose_paper() {
        let cat = reference();
        let (cs, _) = cues(
            &cat,
            "Hộ chiếu hoặc giấy tờ có giá trị đi lại quốc tế của người nước ngoài.",
        );
        assert_eq!(
            cs,
            [(
                CueKind::Holder,
                vec![Holder::Foreigner],
                vec!["ho-chieu".to_owned()]
            )]
        );
        // Each holder qualifies the papers named since the previous one.
        let (cs, _) = cues(
            &cat,
            "Căn cước công dân (đối với người Việt Nam) hoặc hộ chiếu (đối với người nước ngoài)",
        );
        assert_eq!(cs[0].1, [Holder::VietnameseCitizen]);
        assert_eq!(cs[0].2, ["can-cuoc-cong-dan"]);
        assert_eq!(cs[1].1, [Holder::Foreigner]);
        assert_eq!(cs[1].2, ["ho-chieu"]);
        // A longer phrase wins: an enterprise with foreign capital is Vietnamese.
        let (cs, _) = cues(
            &cat,
            "Giấy chứng nhận đăng ký doanh nghiệp của doanh nghiệp có vốn đầu tư nước ngoài",
        );
        assert_eq!(cs[0].1, [Holder::VietnameseOrganisation]);
        // Ahead of a paper, the nearest holder qualifies it, not one an
        // earlier clause of the sentence names.
        let (cs, _) = cues(
            &cat,
            "Trường hợp nhận cha, mẹ, con giữa công dân Việt Nam với người nước ngoài hoặc giữa người nước ngoài với nhau thì người nước ngoài phải nộp bản sao hộ chiếu",
        );
        let on_passport: Vec<&Vec<Holder>> = cs
            .iter()
            .filter(|(k, _, ds)| *k == CueKind::Holder && ds.iter().any(|d| d == "ho-chieu"))
            .map(|(_, hs, _)| hs)
            .collect();
        assert_eq!(on_passport, [&vec![Holder::Foreigner]]);
    }

    #[test]
    fn exceptions_counterparties_and_stops() {
        let cat = reference();
        let holder = |t| has(&cat, t, CueKind::Holder, "ho-chieu");
        assert!(!holder(
            "Bản sao hộ chiếu có chứng thực, trừ trường hợp người không quốc tịch"
        ));
        assert!(!holder(
            "Bản sao hộ chiếu hoặc giấy tờ thể hiện nhu cầu hợp tác kinh doanh với đối tác nước ngoài"
        ));
        assert!(holder("Bản sao hộ chiếu đối với người nước ngoài"));
        // Excepting a whole class leaves the paper to the other one, even
        // across commas; excepting papers says nothing of the head's holder.
        let (cs, _) = cues(
            &cat,
            "Bản sao Giấy chứng nhận đăng ký doanh nghiệp của bên mua, nhận chuyển nhượng (trừ trường hợp bên mua, nhận chuyển nhượng là tổ chức Việt Nam)",
        );
        assert_eq!(
            cs,
            [(
                CueKind::Holder,
                vec![Holder::ForeignOrganisation],
                vec!["giay-chung-nhan-dang-ky-doanh-nghiep".to_owned()]
            )]
        );
        let (cs, _) = cues(
            &cat,
            "Bản sao hộ chiếu của người phụ thuộc (trừ bản chụp giấy khai sinh đối với người phụ thuộc là người Việt Nam)",
        );
        assert!(cs.is_empty(), "{cs:?}");
        // A comma, or `và`, stops a cue reaching back.
        let (cs, _) = cues(
            &cat,
            "Bản sao giấy chứng nhận đăng ký doanh nghiệp, giấy chứng nhận đăng ký đầu tư đối với nhà đầu tư nước ngoài",
        );
        assert_eq!(cs[0].2, ["giay-chung-nhan-dang-ky-dau-tu"]);
        assert!(!has(
            &cat,
            "Hộ chiếu phổ thông còn nguyên vẹn và có thị thực do nước ngoài cấp còn thời hạn",
            CueKind::IssuedAbroad,
            "ho-chieu"
        ));
    }

    #[test]
    fn issued_abroad() {
        let cat = reference();
        assert!(has(
            &cat,
            "Các văn bằng, chứng chỉ do cơ sở giáo dục nước ngoài cấp",
            CueKind::IssuedAbroad,
            "van-bang"
        ));
        assert!(has(
            &cat,
            "Bản sao hộ chiếu nước ngoài",
            CueKind::IssuedAbroad,
            "ho-chieu"
        ));
        // A paper named twice is qualified only when every mention is.
        assert!(!has(
            &cat,
            "Bản sao thẻ căn cước hoặc hộ chiếu hoặc hộ chiếu nước ngoài",
            CueKind::IssuedAbroad,
            "ho-chieu"
        ));
        // A cue reaches no paper across a clause.
        assert!(!has(
            &cat,
            "Bản sao hộ chiếu; tài liệu bằng tiếng nước ngoài phải được dịch",
            CueKind::IssuedAbroad,
            "ho-chieu"
        ));
    }

    #[test]
    fn a_photo_is_not_the_paper_it_describes() {
        let cat = reference();
        let t = "03 ảnh màu cỡ 3x4cm kiểu chứng minh nhân dân chụp không quá 06 tháng";
        // Whatever the reading of the line names, the identity card is
        // only what the photo looks like: given both, it is a qualifier.
        let doc = |id: &str| {
            cat.document_types
                .iter()
                .position(|d| d.id == id)
                .expect("a reference type")
        };
        let at = |words: &str| {
            let start = t[..t.find(words).expect("in the text")].chars().count();
            Span {
                start,
                end: start + words.chars().count(),
            }
        };
        let matched = [
            (doc("anh-chup"), at("ảnh màu")),
            (doc("chung-minh-nhan-dan"), at("chứng minh nhân dân")),
        ];
        let q: Vec<&str> = read(&cat, t, &matched)
            .qualifiers
            .iter()
            .map(|&d| cat.document_types[d].id.as_str())
            .collect();
        assert_eq!(q, ["chung-minh-nhan-dan"]);
        let mut r = Recogniser::new(&cat).recognise(t);
        r.drop_docs(&read(&cat, t, &r.matched()).qualifiers);
        assert!(!r.accepts().contains(&doc("chung-minh-nhan-dan")));
        // A paper that heads the line is not a qualifier of anything.
        let (_, q) = cues(&cat, "Bản sao thẻ căn cước kèm 02 ảnh màu");
        assert!(q.is_empty());
    }

    #[test]
    fn freshness_needs_a_verb_and_a_duration() {
        let cat = reference();
        let r = Recogniser::new(&cat);
        let t = "Phiếu lý lịch tư pháp được cấp không quá 06 tháng tính đến ngày nộp hồ sơ";
        let got = read(&cat, t, &r.recognise(t).matched());
        let c = got
            .cues
            .iter()
            .find(|c| c.cue == CueKind::Freshness)
            .expect("freshness");
        assert_eq!(
            c.within,
            Some(RawDuration {
                count: 6,
                unit: DurationUnit::Month
            })
        );
        assert_eq!(c.words.value, "không quá 06 tháng");
        // A deadline to file is not an age.
        assert!(!has(
            &cat,
            "Phiếu lý lịch tư pháp nộp trong thời hạn 30 ngày",
            CueKind::Freshness,
            "phieu-ly-lich-tu-phap"
        ));
    }

    #[test]
    fn which_land_and_what_is_handed_in() {
        let cat = reference();
        let land = |t: &str| -> Option<LandUse> {
            let r = Recogniser::new(&cat).recognise(t);
            read(&cat, t, &r.matched())
                .cues
                .iter()
                .find(|c| c.cue == CueKind::Land)
                .and_then(|c| c.land)
        };
        assert_eq!(
            land("Giấy chứng nhận quyền sử dụng đất ở"),
            Some(LandUse::Residential)
        );
        assert_eq!(
            land("Giấy chứng nhận quyền sử dụng đất nông nghiệp"),
            Some(LandUse::Other)
        );
        assert_eq!(
            land("Giấy chứng nhận quyền sử dụng đất nông nghiệp và đất ở"),
            Some(LandUse::Other)
        );
        assert_eq!(land("Giấy chứng nhận quyền sử dụng đất"), None);
        // No land paper: no land cue.
        assert_eq!(land("Bản sao thẻ căn cước của người sử dụng đất ở"), None);
        assert!(has(
            &cat,
            "Bản gốc Giấy chứng nhận đã cấp.",
            CueKind::Surrender,
            "giay-chung-nhan-quyen-su-dung-dat"
        ));
    }

    #[test]
    fn a_paper_checked_as_a_thing() {
        let cat = reference();
        let t = "Hộ chiếu phổ thông còn nguyên vẹn và có thị thực do nước ngoài cấp còn thời hạn.";
        assert!(has(&cat, t, CueKind::Physical, "ho-chieu"));
        // Papers named in another clause are not qualified.
        let t = "Bản sao thẻ căn cước; hộ chiếu còn nguyên vẹn.";
        assert!(has(&cat, t, CueKind::Physical, "ho-chieu"));
        assert!(!has(&cat, t, CueKind::Physical, "the-can-cuoc"));
        // An entry stamp is data the immigration records hold.
        assert!(!cues(&cat, "Hộ chiếu (có đóng dấu kiểm chứng nhập cảnh)")
            .0
            .iter()
            .any(|(k, _, _)| *k == CueKind::Physical));
    }

    #[test]
    fn a_procedure_that_takes_its_paper_in() {
        let cat = reference();
        let rec = Recogniser::new(&cat);
        let of = |name: &str| {
            procedure_surrender(&rec, name).map(|(w, d)| (w, cat.document_types[d].id.clone()))
        };
        assert_eq!(
            of("Cấp đổi thẻ thường trú cho người nước ngoài tại Việt Nam"),
            Some((
                "Cấp đổi thẻ thường trú".to_owned(),
                "the-cu-tru-nguoi-nuoc-ngoai".to_owned()
            ))
        );
        assert_eq!(
            of("Thu hồi giấy phép lái xe").map(|(_, d)| d),
            Some("giay-phep-lai-xe".to_owned())
        );
        // A re-issue, often of a lost paper; a paper not right after the
        // verb; a verb not opening the name.
        assert_eq!(of("Cấp lại giấy phép lái xe"), None);
        assert_eq!(of("Đổi số thuê bao viễn thông cho doanh nghiệp"), None);
        assert_eq!(of("Đăng ký đổi giấy phép lái xe"), None);
    }

    #[test]
    fn a_procedure_for_foreigners() {
        let cat = reference();
        let holders = |name: &str, applicants: &[&str]| -> Vec<Holder> {
            let a: Vec<String> = applicants.iter().map(|s| s.to_string()).collect();
            procedure(&cat, name, &a)
                .first()
                .map(|c| c.holders.clone())
                .unwrap_or_default()
        };
        let mixed = ["Công dân Việt Nam", "Người nước ngoài"];
        assert_eq!(
            holders("Cấp thị thực cho người nước ngoài tại Việt Nam", &mixed),
            [Holder::Foreigner]
        );
        assert!(holders(
            "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam; người nước ngoài",
            &mixed
        )
        .is_empty());
        // No foreign applicant: the name's beneficiary may be someone else.
        assert!(holders(
            "Cho phép gia công hàng hóa cho thương nhân nước ngoài",
            &["Doanh nghiệp"]
        )
        .is_empty());
        assert!(holders("Cấp thị thực cho người nước ngoài", &[]).is_empty());
        // Named, but not as whom the procedure is for.
        assert!(holders(
            "Mở tài khoản thanh toán của chi nhánh ngân hàng nước ngoài",
            &["Tổ chức (không bao gồm doanh nghiệp, HTX)"]
        )
        .is_empty());
        assert_eq!(
            holders(
                "Chuyển đổi chứng chỉ",
                &["Người nước ngoài", "Tổ chức nước ngoài"]
            ),
            [Holder::Foreigner, Holder::ForeignOrganisation]
        );
        assert!(holders(
            "Chuyển đổi chứng chỉ",
            &["Người nước ngoài", "Doanh nghiệp có vốn đầu tư nước ngoài"]
        )
        .is_empty());
    }
}
