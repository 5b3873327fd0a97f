//! The words recognition looks for — names and aliases of document types
//! and sources, and every phrase of the recognition data — in one
//! Aho-Corasick automaton run over the folded words of a text: one pass,
//! linear in the text's length.
//!
//! Diacritics first: a pattern holds at a place only when every word of the
//! text written with diacritics carries exactly the pattern's (`sơ đồ` is
//! never `sổ đỏ`, `trụ sở` never holds `trừ`). A word written without any
//! diacritic matches by its folded form, and only in a pattern long enough
//! that folding cannot make it collide ([`FOLD_MIN_WORDS`] words).

use crate::model::{Catalog, DocIdx, Recognition, SourceIdx};
use crate::text::{Token, Word};
use aho_corasick::AhoCorasick;
use std::collections::HashMap;

/// Patterns of at least this many words also match text written without
/// diacritics; shorter ones fold into everyday words (`so do`: `sơ đồ`,
/// `sổ đỏ`, `số đo`; `tru`: `trừ`, `trụ`).
pub const FOLD_MIN_WORDS: usize = 3;

/// What a phrase of the recognition data says about the words it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cue {
    /// The application form itself starts here (`tờ khai`, `đơn đề nghị`).
    FormStart,
    /// The information is taken from a database (`khai thác`, `tra cứu`).
    Digital,
    /// The line is a note (`lưu ý`).
    NoteStart,
    /// The line states a condition (`trường hợp`, `đối với`).
    ConditionStart,
    /// Words about the copy, or counts, before a paper's name (`bản sao`).
    Lead,
    /// A certified copy is asked for.
    CertifiedCopy,
    /// The paper is shown, not handed in.
    Present,
    /// Another required paper follows (`và`, `kèm theo`).
    And,
    /// An alternative follows (`hoặc`).
    Or,
    /// The papers that follow are alternatives (`một trong các`).
    OneOf,
    /// The paper of this phrase comes in addition to the alternatives
    /// listed (`ngoài một trong các giấy tờ nêu trên`).
    Addition,
    /// The papers that follow specify the one before (`gồm`, `như`).
    Specify,
    /// What follows is not asked for (`trừ`, `thay cho`, `không có`).
    Except,
    /// What follows is asked for (`phải có`, `nộp`).
    Require,
    /// The start of a paper no document type names (`giấy`, `văn bản`).
    PaperHead,
    /// Words that only look like a cue (`thay đổi`, `khấu trừ`).
    Neutral,
    /// Ends the clause an exception covers (`thì`).
    ClauseEnd,
}

/// What one pattern means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Meaning {
    Doc(DocIdx),
    Source(SourceIdx),
    Cue(Cue),
}

/// One written form of a pattern: its words' diacritic keys.
#[derive(Debug)]
struct Entry {
    keys: Vec<String>,
    meaning: Meaning,
}

/// Words of a text that a pattern covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// First and last token covered (inclusive).
    pub first: usize,
    pub last: usize,
    /// Length of the folded pattern, for longest-first choices.
    pub len: usize,
    /// Every meaning of the words, in catalogue order.
    pub meanings: Vec<Meaning>,
    /// Whether every word matched with its diacritics.
    pub exact: bool,
}

impl Hit {
    /// The first document type the words name.
    pub fn doc(&self) -> Option<DocIdx> {
        self.meanings.iter().find_map(|m| match m {
            Meaning::Doc(d) => Some(*d),
            _ => None,
        })
    }
    pub fn source(&self) -> Option<SourceIdx> {
        self.meanings.iter().find_map(|m| match m {
            Meaning::Source(s) => Some(*s),
            _ => None,
        })
    }
    pub fn is(&self, cue: Cue) -> bool {
        self.meanings.contains(&Meaning::Cue(cue))
    }
}

/// The compiled patterns of one catalogue.
pub struct Lexicon {
    automaton: AhoCorasick,
    /// Per pattern of the automaton, the written forms folding to it.
    entries: Vec<Vec<Entry>>,
}

/// Each list of the recognition data with the cue it gives.
pub fn cues(r: &Recognition) -> [(Cue, &Vec<String>); 17] {
    [
        (Cue::FormStart, &r.form_starts),
        (Cue::Digital, &r.digital_phrases),
        (Cue::NoteStart, &r.note_starts),
        (Cue::ConditionStart, &r.condition_starts),
        (Cue::Lead, &r.lead_words),
        (Cue::CertifiedCopy, &r.certified_copy_phrases),
        (Cue::Present, &r.present_phrases),
        (Cue::And, &r.and_words),
        (Cue::Or, &r.or_words),
        (Cue::OneOf, &r.one_of_words),
        (Cue::Addition, &r.addition_words),
        (Cue::Specify, &r.specify_words),
        (Cue::Except, &r.exception_words),
        (Cue::Require, &r.requirement_words),
        (Cue::PaperHead, &r.paper_heads),
        (Cue::Neutral, &r.neutral_words),
        (Cue::ClauseEnd, &r.clause_ends),
    ]
}

/// Marks that no pattern spans: a pattern covers words of one clause.
fn is_hard(mark: char) -> bool {
    !matches!(mark, ',' | '-')
}

fn words_of(text: &str) -> Vec<Word> {
    crate::text::tokens(text)
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w),
            Token::Punct { .. } => None,
        })
        .collect()
}

impl Lexicon {
    pub fn new(cat: &Catalog) -> Self {
        let mut written: Vec<(String, Meaning)> = Vec::new();
        for (i, d) in cat.document_types.iter().enumerate() {
            for a in std::iter::once(&d.name).chain(&d.aliases) {
                written.push((a.clone(), Meaning::Doc(i)));
            }
        }
        for (i, s) in cat.sources.iter().enumerate() {
            for a in std::iter::once(&s.name).chain(&s.aliases) {
                written.push((a.clone(), Meaning::Source(i)));
            }
        }
        for (cue, phrases) in cues(&cat.recognition) {
            for p in phrases {
                written.push((p.clone(), Meaning::Cue(cue)));
            }
        }
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut entries: Vec<Vec<Entry>> = Vec::new();
        for (w, meaning) in written {
            let words = words_of(&w);
            if words.is_empty() {
                continue;
            }
            let folded = words
                .iter()
                .map(|w| w.folded.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let keys: Vec<String> = words.into_iter().map(|w| w.key).collect();
            let i = *index.entry(folded.clone()).or_insert_with(|| {
                patterns.push(folded);
                entries.push(Vec::new());
                entries.len() - 1
            });
            if !entries[i]
                .iter()
                .any(|e| e.keys == keys && e.meaning == meaning)
            {
                entries[i].push(Entry { keys, meaning });
            }
        }
        let automaton = AhoCorasick::new(&patterns).expect("patterns build an automaton");
        Lexicon { automaton, entries }
    }

    /// Every place a pattern holds in `tokens`, overlapping, in no
    /// particular order.
    pub fn scan(&self, tokens: &[Token]) -> Vec<Hit> {
        // The haystack: folded words separated by spaces, `|` for a mark
        // no pattern spans; with the token each haystack position starts.
        let mut hay = String::new();
        let mut starts: HashMap<usize, usize> = HashMap::new();
        let mut ends: HashMap<usize, usize> = HashMap::new();
        for (i, t) in tokens.iter().enumerate() {
            let piece = match t {
                Token::Word(w) => w.folded.as_str(),
                Token::Punct { mark, .. } if is_hard(*mark) => "|",
                Token::Punct { .. } => continue,
            };
            if !hay.is_empty() {
                hay.push(' ');
            }
            starts.insert(hay.len(), i);
            hay.push_str(piece);
            ends.insert(hay.len(), i);
        }
        let mut hits = Vec::new();
        for m in self.automaton.find_overlapping_iter(&hay) {
            let (Some(&first), Some(&last)) = (starts.get(&m.start()), ends.get(&m.end())) else {
                continue;
            };
            let words: Vec<&Word> = tokens[first..=last]
                .iter()
                .filter_map(Token::word)
                .collect();
            let mut meanings = Vec::new();
            let mut exact_any = false;
            for e in &self.entries[m.pattern().as_usize()] {
                if e.keys.len() != words.len() {
                    continue;
                }
                let mut exact = true;
                let fits = e.keys.iter().zip(&words).all(|(k, w)| {
                    if *k == w.key {
                        true
                    } else {
                        exact = false;
                        !w.is_marked()
                    }
                });
                if fits && (exact || e.keys.len() >= FOLD_MIN_WORDS) {
                    meanings.push(e.meaning);
                    exact_any |= exact;
                }
            }
            if !meanings.is_empty() {
                hits.push(Hit {
                    first,
                    last,
                    len: m.end() - m.start(),
                    meanings,
                    exact: exact_any,
                });
            }
        }
        hits
    }
}

/// Hits that do not overlap: longest first, then exact before folded,
/// then leftmost; returned in text order.
pub fn select(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by(|a, b| {
        b.len
            .cmp(&a.len)
            .then(b.exact.cmp(&a.exact))
            .then(a.first.cmp(&b.first))
    });
    // Taken hits never overlap, so ordered by their first token they are
    // ordered by their last too: the one starting last at or before a new
    // hit's end is the only one that can overlap it.
    let mut taken: std::collections::BTreeMap<usize, Hit> = Default::default();
    for h in hits {
        let free = taken
            .range(..=h.last)
            .next_back()
            .is_none_or(|(_, t)| t.last < h.first);
        if free {
            taken.insert(h.first, h);
        }
    }
    taken.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    use crate::reference::catalog as reference;

    fn docs(lex: &Lexicon, cat: &Catalog, text: &str) -> Vec<String> {
        select(lex.scan(&tokens(text)))
            .iter()
            .filter_map(Hit::doc)
            .map(|d| cat.document_types[d].id.clone())
            .collect()
    }

    #[test]
    fn diacritics_decide_before_folding() {
        let cat = reference();
        let lex = Lexicon::new(&cat);
        assert_eq!(
            docs(&lex, &cat, "Sổ đỏ"),
            ["giay-chung-nhan-quyen-su-dung-dat"]
        );
        assert_eq!(docs(&lex, &cat, "Sơ đồ vị trí"), ["ban-ve-thiet-ke"]);
        // `hồ sơ do`: `sơ` carries its own diacritics, `do` none.
        assert!(docs(&lex, &cat, "hồ sơ do cơ quan cấp")
            .iter()
            .all(|d| d != "giay-chung-nhan-quyen-su-dung-dat"));
        // Short patterns never match undiacritised text; long ones do.
        assert!(docs(&lex, &cat, "so do").is_empty());
        assert_eq!(
            docs(&lex, &cat, "GIAY  CHUNG NHAN dang ky doanh nghiep"),
            ["giay-chung-nhan-dang-ky-doanh-nghiep"]
        );
        // Tone marks placed the old way match too.
        assert_eq!(
            docs(&lex, &cat, "Giấy khám sức khoẻ"),
            ["giay-kham-suc-khoe"]
        );
    }

    #[test]
    fn patterns_do_not_span_clauses_and_longest_wins() {
        let cat = reference();
        let lex = Lexicon::new(&cat);
        assert_eq!(
            docs(
                &lex,
                &cat,
                "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"
            ),
            ["giay-chung-nhan-quyen-su-dung-dat"]
        );
        assert_eq!(
            docs(&lex, &cat, "Hộ chiếu/Thẻ căn cước"),
            ["ho-chieu", "the-can-cuoc"]
        );
    }
}
