//! How a dossier line is built: which papers it asks for together (AND),
//! which it offers as alternatives (OR), which it only mentions, and which
//! are exceptions or substitutes. Read from the words the [`lexicon`]
//! found, before anything is accepted:
//!
//! - a paper is the head of its phrase: the first paper name after the copy
//!   words (`Bản sao có chứng thực Giấy khai sinh`), or one right after a
//!   requirement word (`… thì phải có văn bản ủy quyền`); any other paper
//!   name in the phrase is a mention (`Quyết định thu hồi Giấy phép lái xe`,
//!   `Danh sách … số hộ chiếu`);
//! - `;`, a full stop, list markers and `và`/`kèm theo` join required
//!   parts; `hoặc` and `/` join alternatives; commas take the meaning of
//!   the connector closest to them in the clause (`A, B hoặc C`), else AND;
//!   a separator not followed by a paper only continues the phrase
//!   (`… do cơ quan Việt Nam hoặc nước ngoài cấp`);
//! - after `một trong các`, every separator offers an alternative;
//! - a general head (`Giấy tờ chứng minh …`, a [`generic`] document type)
//!   followed by specific papers (in parentheses, after `:` or `gồm`)
//!   accepts the specific papers;
//! - from an exception word (`trừ`, `thay cho`, `không có`) to the end of
//!   its phrase, papers are set aside; a paper the clause then asks for
//!   instead (`… thì nộp …`) is a substitute, an alternative never accepted.
//!
//! The result is in conjunctive form: every part is required, any
//! alternative of a part satisfies it.
//!
//! [`lexicon`]: crate::read::lexicon
//! [`generic`]: crate::model::DocumentType::generic

use crate::model::{Catalog, DocIdx, Span};
use crate::read::lexicon::{Cue, Hit};
use crate::text::Token;

/// How a list marker is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerStyle {
    /// `a)`, `1)`, `ii)`.
    Close(Ordinal),
    /// `(a)`, `(1)`, `(ii)`.
    Paren(Ordinal),
    /// `1.`.
    Dot(Ordinal),
    /// `-`, `+`, `++`, `*`, `•`.
    Bullet(char, usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ordinal {
    Letter(u8),
    Roman(u8),
    Digit(u8),
}

impl Ordinal {
    fn follows(self, prev: Ordinal) -> bool {
        match (prev, self) {
            (Ordinal::Letter(a), Ordinal::Letter(b))
            | (Ordinal::Roman(a), Ordinal::Roman(b))
            | (Ordinal::Digit(a), Ordinal::Digit(b)) => b == a + 1,
            _ => false,
        }
    }
    fn same_class(self, other: Ordinal) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }
}

impl MarkerStyle {
    /// Whether two markers belong to the same list level.
    pub fn same_level(self, other: MarkerStyle) -> bool {
        match (self, other) {
            (MarkerStyle::Close(a), MarkerStyle::Close(b))
            | (MarkerStyle::Paren(a), MarkerStyle::Paren(b))
            | (MarkerStyle::Dot(a), MarkerStyle::Dot(b)) => a.same_class(b),
            (MarkerStyle::Bullet(a, n), MarkerStyle::Bullet(b, m)) => a == b && n == m,
            _ => false,
        }
    }
    fn ordinal(self) -> Option<Ordinal> {
        match self {
            MarkerStyle::Close(o) | MarkerStyle::Paren(o) | MarkerStyle::Dot(o) => Some(o),
            MarkerStyle::Bullet(..) => None,
        }
    }
}

/// A list marker: the tokens it covers and how it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Marker {
    pub first: usize,
    pub last: usize,
    pub style: MarkerStyle,
}

/// Letters of Vietnamese lettered lists, in order (`a) b) c) d) đ) e)`).
const LETTERS: [char; 23] = [
    'a', 'b', 'c', 'd', 'đ', 'e', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't',
    'u', 'v', 'x', 'y',
];
const ROMAN: [&str; 20] = [
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv",
    "xvi", "xvii", "xviii", "xix", "xx",
];

/// The ordinals a marker word can stand for (`i` is a letter or a roman one).
fn ordinals(word: &str) -> Vec<Ordinal> {
    let mut out = Vec::new();
    if (1..=2).contains(&word.len()) && word.chars().all(|c| c.is_ascii_digit()) {
        if let Ok(n) = word.parse::<u8>() {
            out.push(Ordinal::Digit(n));
        }
        return out;
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if let Some(i) = LETTERS.iter().position(|&l| l == c) {
            out.push(Ordinal::Letter(i as u8 + 1));
        }
    }
    if let Some(i) = ROMAN.iter().position(|&r| r == word) {
        out.push(Ordinal::Roman(i as u8 + 1));
    }
    out
}

fn starts_upper_or_digit(t: Option<&Token>) -> bool {
    t.and_then(Token::word).is_some_and(|w| {
        w.key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c.is_alphabetic())
    })
}

/// The list markers of a line: at its start and after `;`, `:` or a full
/// stop; a lettered, roman or numbered marker also anywhere it continues
/// the previous one of its kind (`… b) …` after `a)`), and `+`, `*`, `•`
/// before any word (the portal's flattened tables glue items).
pub fn markers(text: &str, tokens: &[Token]) -> Vec<Marker> {
    let upper_at = |i: usize| {
        tokens.get(i).and_then(Token::word).is_some_and(|w| {
            text[w.start..]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
    };
    let mut out: Vec<Marker> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let boundary = i == 0
            || matches!(tokens[i - 1].mark(), Some(';' | ':' | '.'))
            || out.last().is_some_and(|m| m.last + 1 == i);
        let continues = |o: &[Ordinal], style: fn(Ordinal) -> MarkerStyle| -> Option<MarkerStyle> {
            let prev = out
                .iter()
                .rev()
                .find_map(|m| m.style.ordinal().map(|p| (m.style, p)));
            o.iter().copied().find_map(|o| match prev {
                Some((ps, p)) if o.follows(p) && ps.same_level(style(o)) => Some(style(o)),
                _ => None,
            })
        };
        let found = match &tokens[i] {
            Token::Punct { mark, .. } if matches!(mark, '+' | '-' | '*' | '•') => {
                let mut j = i;
                while tokens.get(j + 1).and_then(Token::mark) == Some(*mark) {
                    j += 1;
                }
                let ok = starts_upper_or_digit(tokens.get(j + 1))
                    && (boundary || (*mark != '-' && upper_at(j + 1)));
                ok.then(|| (j, MarkerStyle::Bullet(*mark, j - i + 1)))
            }
            Token::Punct { mark: '(', .. } => {
                match (
                    tokens.get(i + 1).and_then(Token::word),
                    tokens.get(i + 2).and_then(Token::mark),
                ) {
                    (Some(w), Some(')')) => {
                        let o = ordinals(&w.key);
                        // Roman first inside parentheses: `(i)`, `(v)`.
                        let mut o2 = o.clone();
                        o2.sort_by_key(|o| !matches!(o, Ordinal::Roman(_)));
                        let style = continues(&o2, MarkerStyle::Paren).or_else(|| {
                            (boundary && upper_at(i + 3))
                                .then(|| o2.first().copied().map(MarkerStyle::Paren))
                                .flatten()
                        });
                        style.map(|s| (i + 2, s))
                    }
                    _ => None,
                }
            }
            Token::Word(w) => {
                let next = tokens.get(i + 1).and_then(Token::mark);
                let after_open = i > 0 && tokens[i - 1].mark() == Some('(');
                let o = ordinals(&w.key);
                match next {
                    Some(')') if !o.is_empty() && !after_open && tokens.get(i + 2).is_some() => {
                        continues(&o, MarkerStyle::Close)
                            .or_else(|| boundary.then(|| MarkerStyle::Close(o[0])))
                            .map(|s| (i + 1, s))
                    }
                    Some('.')
                        if o.iter().any(|o| matches!(o, Ordinal::Digit(_))) && upper_at(i + 2) =>
                    {
                        let digits: Vec<Ordinal> = o
                            .iter()
                            .copied()
                            .filter(|o| matches!(o, Ordinal::Digit(_)))
                            .collect();
                        continues(&digits, MarkerStyle::Dot)
                            .or_else(|| boundary.then(|| MarkerStyle::Dot(digits[0])))
                            .map(|s| (i + 1, s))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        match found {
            Some((last, style)) => {
                out.push(Marker {
                    first: i,
                    last,
                    style,
                });
                i = last + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// What an alternative of a part is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alt {
    /// A paper of a known document type.
    Doc(DocIdx),
    /// A paper no document type names.
    Unknown,
    /// The application form or a declaration.
    Form,
}

/// One alternative with the words that named it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Named {
    pub alt: Alt,
    /// The paper's name.
    pub span: Span,
    /// The whole phrase about it: the name and what qualifies it, up to
    /// the next paper (`Giấy khai sinh do cơ quan nước ngoài cấp`).
    pub phrase: Span,
}

/// A required part: any alternative satisfies it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadPart {
    pub span: Span,
    pub alts: Vec<Named>,
}

impl ReadPart {
    /// The known document types offered, in order, without repeats.
    pub fn docs(&self) -> Vec<DocIdx> {
        let mut out = Vec::new();
        for n in &self.alts {
            if let Alt::Doc(d) = n.alt {
                if !out.contains(&d) {
                    out.push(d);
                }
            }
        }
        out
    }
}

/// Why a named paper is not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsideKind {
    /// Named inside the phrase of another paper.
    Mention,
    /// Excepted, or replaced by another paper.
    Exception,
    /// Asked for only instead of another paper.
    Substitute,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Aside {
    pub doc: DocIdx,
    pub span: Span,
    pub kind: AsideKind,
}

/// How a line is built.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    /// Required parts, each with its alternatives.
    pub parts: Vec<ReadPart>,
    /// Papers named but not asked for.
    pub asides: Vec<Aside>,
    /// Whether the line starts with a paper (after copy words and markers).
    pub starts_with_paper: bool,
    /// Whether the line says its papers are alternatives (`một trong`).
    pub one_of: bool,
}

// ---------------------------------------------------------------------------
// Atoms: hits, words and marks, with parentheses nested
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Atom {
    Hit(usize),
    Word(usize),
    Mark(char, usize),
    Marker(usize, usize),
    Group {
        open: usize,
        close: usize,
        inner: Vec<Atom>,
    },
}

struct Cx<'a> {
    cat: &'a Catalog,
    tokens: &'a [Token],
    hits: &'a [Hit],
    asides: Vec<Aside>,
}

impl Cx<'_> {
    fn hit(&self, a: &Atom) -> Option<&Hit> {
        match a {
            Atom::Hit(h) => Some(&self.hits[*h]),
            _ => None,
        }
    }
    fn is(&self, a: &Atom, cue: Cue) -> bool {
        self.hit(a).is_some_and(|h| h.is(cue))
    }
    fn first_tok(&self, a: &Atom) -> usize {
        match a {
            Atom::Hit(h) => self.hits[*h].first,
            Atom::Word(t) | Atom::Mark(_, t) | Atom::Marker(t, _) => *t,
            Atom::Group { open, .. } => *open,
        }
    }
    fn last_tok(&self, a: &Atom) -> usize {
        match a {
            Atom::Hit(h) => self.hits[*h].last,
            Atom::Word(t) | Atom::Mark(_, t) => *t,
            Atom::Marker(_, l) => *l,
            Atom::Group { close, .. } => *close,
        }
    }
    fn span(&self, atoms: &[Atom]) -> Span {
        let (Some(f), Some(l)) = (atoms.first(), atoms.last()) else {
            return Span { start: 0, end: 0 };
        };
        Span {
            start: self.tokens[self.first_tok(f)].chars().0,
            end: self.tokens[self.last_tok(l)].chars().1,
        }
    }
    fn hit_span(&self, h: &Hit) -> Span {
        Span {
            start: self.tokens[h.first].chars().0,
            end: self.tokens[h.last].chars().1,
        }
    }
    /// Every document named in `atoms`, nested groups included, set aside.
    fn set_aside(&mut self, atoms: &[Atom], kind: AsideKind) {
        for a in atoms {
            match a {
                Atom::Hit(h) => {
                    if let Some(doc) = self.hits[*h].doc() {
                        let span = self.hit_span(&self.hits[*h]);
                        self.asides.push(Aside { doc, span, kind });
                    }
                }
                Atom::Group { inner, .. } => self.set_aside(inner, kind),
                _ => {}
            }
        }
    }
}

fn atoms(tokens: &[Token], hits: &[Hit], markers: &[Marker]) -> Vec<Atom> {
    let mut stack: Vec<(usize, Vec<Atom>)> = vec![(usize::MAX, Vec::new())];
    let mut hi = 0;
    let mut mi = 0;
    let mut i = 0;
    while i < tokens.len() {
        while hi < hits.len() && hits[hi].first < i {
            hi += 1;
        }
        while mi < markers.len() && markers[mi].first < i {
            mi += 1;
        }
        let depth = stack.len();
        let top = &mut stack.last_mut().expect("root").1;
        if mi < markers.len() && markers[mi].first == i {
            top.push(Atom::Marker(i, markers[mi].last));
            i = markers[mi].last + 1;
            continue;
        }
        if hi < hits.len() && hits[hi].first == i {
            top.push(Atom::Hit(hi));
            i = hits[hi].last + 1;
            continue;
        }
        match &tokens[i] {
            Token::Word(_) => top.push(Atom::Word(i)),
            Token::Punct { mark: '(', .. } => stack.push((i, Vec::new())),
            Token::Punct { mark: ')', .. } if depth > 1 => {
                let (open, inner) = stack.pop().expect("group");
                stack.last_mut().expect("root").1.push(Atom::Group {
                    open,
                    close: i,
                    inner,
                });
            }
            Token::Punct { mark, .. } => top.push(Atom::Mark(*mark, i)),
        }
        i += 1;
    }
    // Unclosed parentheses close at the end.
    while stack.len() > 1 {
        let (open, inner) = stack.pop().expect("group");
        let close = tokens.len() - 1;
        stack
            .last_mut()
            .expect("root")
            .1
            .push(Atom::Group { open, close, inner });
    }
    stack.pop().expect("root").1
}

// ---------------------------------------------------------------------------
// Expressions in AND/OR, and their conjunctive form
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Expr {
    Paper(Named),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// The conjunctive form: every inner list is a part (OR of alternatives).
fn cnf(e: &Expr) -> Vec<Vec<Named>> {
    match e {
        Expr::Paper(n) => vec![vec![*n]],
        Expr::And(es) => es.iter().flat_map(cnf).collect(),
        Expr::Or(es) => {
            let mut acc: Vec<Vec<Named>> = vec![vec![]];
            for e in es {
                let c = cnf(e);
                if c.is_empty() {
                    continue;
                }
                if let [one] = c.as_slice() {
                    // One more alternative of every clause: no copies, so
                    // a long list of alternatives stays linear.
                    for a in &mut acc {
                        a.extend(one.iter().copied());
                    }
                    continue;
                }
                let mut next = Vec::new();
                for a in &acc {
                    for b in &c {
                        let mut p = a.clone();
                        p.extend(b.iter().copied());
                        next.push(p);
                    }
                }
                acc = next;
                // Distribution grows fast on odd texts; past this, keep
                // one clause holding every alternative (never more lenient
                // than a reading that forgets requirements).
                if acc.len() > 32 {
                    let all: Vec<Named> = es.iter().flat_map(cnf).flatten().collect();
                    return vec![all];
                }
            }
            acc.retain(|p| !p.is_empty());
            acc
        }
    }
}

// ---------------------------------------------------------------------------
// Chunks: the stretches between separators
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    Start,
    /// `;`, a full stop, a list marker.
    Strong,
    And,
    Or,
    /// `/`: an alternative inside one item of a list.
    Slash,
    Comma,
    /// `:`, `gồm`, `như`.
    Colon,
}

/// A chunk's paper: where its head is and what it is.
#[derive(Clone, Copy, Debug)]
struct Head {
    /// Index of the head atom in the chunk.
    at: usize,
    alt: Alt,
    generic: bool,
}

struct Chunk<'a> {
    sep: Sep,
    atoms: &'a [Atom],
    /// Index in the level's atoms of the chunk's first atom.
    offset: usize,
}

/// Words after a paper's name up to which it is still a bare list item.
const BARE_WORDS: usize = 4;

/// A chunk with its reading.
struct Piece {
    sep: Sep,
    /// Where the chunk is.
    span: Span,
    expr: Option<Expr>,
    /// Whether the chunk names a general paper that what follows may specify.
    open_head: bool,
    one_of: bool,
    /// Asked for only instead of another paper: never accepted.
    substitute: bool,
    /// Named with few words (see [`Item::bare`]).
    bare: bool,
    /// Starts with words about the copy (`bản sao`, `01 bản chính`).
    led: bool,
    /// Says it comes in addition to the alternatives listed (`ngoài một
    /// trong các giấy tờ nêu trên`).
    addition: bool,
}

/// Where an atom stands with respect to exceptions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Normal,
    /// Between an exception word and the end of its phrase.
    Exception,
    /// After the exception, in the same clause: what is asked instead.
    Substitute,
}

impl Cx<'_> {
    /// Skips copy words, counts, requirement and one-of words; copy words
    /// offered as alternatives (`Bản sao hoặc bản sao điện tử được cấp từ
    /// sổ gốc`) and a `của` after them (`… sổ gốc của giấy phép lái xe`).
    fn skip_lead(&self, atoms: &[Atom], mut i: usize) -> usize {
        let is_lead = |a: Option<&Atom>| {
            a.is_some_and(|a| self.is(a, Cue::Lead) && self.hit(a).and_then(Hit::doc).is_none())
        };
        let names_paper =
            |a: Option<&Atom>| a.is_some_and(|a| self.hit(a).and_then(Hit::doc).is_some());
        let of: Vec<String> = self
            .cat
            .recognition
            .copy_of_words
            .iter()
            .map(|w| crate::text::word_key(w))
            .collect();
        while let Some(a) = atoms.get(i) {
            let after_lead = i > 0 && is_lead(atoms.get(i - 1));
            let skip = match a {
                Atom::Hit(_) if after_lead && self.is(a, Cue::Or) => is_lead(atoms.get(i + 1)),
                Atom::Hit(_) => {
                    (self.is(a, Cue::Lead) || self.is(a, Cue::Require) || self.is(a, Cue::OneOf))
                        && self.hit(a).and_then(Hit::doc).is_none()
                }
                Atom::Word(t) if after_lead && names_paper(atoms.get(i + 1)) => {
                    self.tokens[*t].word().is_some_and(|w| {
                        of.contains(&w.key) || w.key.chars().all(|c| c.is_ascii_digit())
                    })
                }
                Atom::Word(t) => self.tokens[*t]
                    .word()
                    .is_some_and(|w| w.key.chars().all(|c| c.is_ascii_digit())),
                Atom::Mark(m, _) => matches!(m, '-' | '+' | '*' | '•'),
                Atom::Marker(..) => true,
                // `Bản gốc (hoặc bản sao đã được chứng thực) Giấy …`.
                Atom::Group { inner, .. } => i > 0 && self.group_starts_paper(inner).is_none(),
            };
            if !skip {
                break;
            }
            i += 1;
        }
        i
    }

    fn head_at(&self, atoms: &[Atom], i: usize) -> Option<Head> {
        let h = self.hit(atoms.get(i)?)?;
        if let Some(d) = h.doc() {
            return Some(Head {
                at: i,
                alt: Alt::Doc(d),
                generic: self.cat.document_types[d].generic,
            });
        }
        if h.is(Cue::FormStart) {
            return Some(Head {
                at: i,
                alt: Alt::Form,
                generic: false,
            });
        }
        h.is(Cue::PaperHead).then_some(Head {
            at: i,
            alt: Alt::Unknown,
            generic: true,
        })
    }

    /// The paper a chunk asks for: at its start, or right after a
    /// requirement word.
    fn head(&self, atoms: &[Atom]) -> Option<Head> {
        let required = || {
            (0..atoms.len())
                .filter(|&j| self.is(&atoms[j], Cue::Require))
                .find_map(|j| self.head_at(atoms, self.skip_lead(atoms, j + 1)))
        };
        match self.head_at(atoms, self.skip_lead(atoms, 0)) {
            // `hồ sơ phải có văn bản chấp thuận`: the paper asked for.
            Some(h) if h.alt == Alt::Unknown => required().filter(|r| r.at > h.at).or(Some(h)),
            Some(h) => Some(h),
            None => required(),
        }
    }

    /// Whether a chunk says more than copy words and counts.
    fn has_content(&self, atoms: &[Atom]) -> bool {
        self.skip_lead(atoms, 0) < atoms.len()
    }

    /// Whether the last paper the words name is a paper's number (`số Giấy
    /// phép thành lập`): an alternative right after is another paper whose
    /// number is asked (`… hoặc Giấy chứng nhận đăng ký doanh nghiệp`), not a
    /// paper.
    fn ends_with_number_of(&self, atoms: &[Atom]) -> bool {
        let number: Vec<String> = self
            .cat
            .recognition
            .number_words
            .iter()
            .map(|w| crate::text::word_key(w))
            .collect();
        let last_paper = atoms
            .iter()
            .rposition(|a| self.hit(a).and_then(Hit::doc).is_some());
        last_paper.is_some_and(|k| {
            k > 0
                && matches!(&atoms[k - 1], Atom::Word(t)
                    if self.tokens[*t].word().is_some_and(|x| number.contains(&x.key)))
        })
    }

    fn sep_of(&self, a: &Atom) -> Option<Sep> {
        match a {
            Atom::Mark(';' | '.', _) | Atom::Marker(..) => Some(Sep::Strong),
            Atom::Mark('/', _) => Some(Sep::Slash),
            Atom::Mark(',', _) => Some(Sep::Comma),
            Atom::Mark(':', _) => Some(Sep::Colon),
            Atom::Hit(h) if self.hits[*h].doc().is_none() => {
                if self.is(a, Cue::Or) {
                    Some(Sep::Or)
                } else if self.is(a, Cue::And) {
                    Some(Sep::And)
                } else if self.is(a, Cue::Specify) {
                    Some(Sep::Colon)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    fn split<'a>(&self, atoms: &'a [Atom]) -> Vec<Chunk<'a>> {
        let mut out = Vec::new();
        let mut sep = Sep::Start;
        let mut start = 0;
        let mut i = 0;
        while i < atoms.len() {
            // `Giấy tờ về tư cách pháp nhân - Giấy chứng nhận đăng ký doanh
            // nghiệp`: a dash before a paper's name introduces it.
            let dash_spec = matches!(atoms[i], Atom::Mark('-', _))
                && i > 0
                && self
                    .head_at(atoms, self.skip_lead(atoms, i + 1))
                    .is_some_and(|h| matches!(h.alt, Alt::Doc(_)));
            let Some(mut s) = self.sep_of(&atoms[i]).or(dash_spec.then_some(Sep::Colon)) else {
                i += 1;
                continue;
            };
            // Adjacent separators make one (`, hoặc`, `gồm:`, `: a)`).
            let mut j = i + 1;
            while let Some(n) = atoms.get(j).and_then(|a| self.sep_of(a)) {
                s = strongest(s, n);
                j += 1;
            }
            out.push(Chunk {
                sep,
                atoms: &atoms[start..i],
                offset: start,
            });
            sep = s;
            start = j;
            i = j;
        }
        out.push(Chunk {
            sep,
            atoms: &atoms[start..],
            offset: start,
        });
        out.retain(|c| !c.atoms.is_empty());
        out
    }

    /// The expression of one level (a line, or inside parentheses).
    fn level(&mut self, atoms: &[Atom], one_of: bool) -> Option<Expr> {
        let chunks = self.split(atoms);
        let scopes = self.scopes(atoms);
        // Each chunk's paper, if it has one.
        let mut heads: Vec<Option<Head>> = Vec::new();
        // Whether the chunk before is words that are not a paper, and
        // whether they end with a paper's number.
        let mut prev_says_more = false;
        let mut prev_number = false;
        for c in &chunks {
            // An alternative after words that continue a paper's phrase
            // belongs to those words, not to the paper: when in doubt, no
            // alternative is added (`số thẻ căn cước/hộ chiếu`, `Nghị quyết … trường hợp
            // khai thác được Giấy chứng nhận … hoặc Giấy phép …`) — unless
            // no paper came before (`Thông tin … để tra cứu hoặc bản sao …`).
            let after_paper = heads.iter().any(Option::is_some);
            let continues = prev_says_more
                && (c.sep == Sep::Slash || (c.sep == Sep::Or && (after_paper || prev_number)));
            let head = self
                .head(c.atoms)
                .filter(|h| !continues && scopes[c.offset + h.at] != Scope::Exception);
            prev_says_more = head.is_none() && self.has_content(c.atoms);
            prev_number =
                head.is_none() && (self.ends_with_number_of(c.atoms) || continues && prev_number);
            heads.push(head);
        }
        // Whether, from each chunk up to the next paper, words say that
        // paper comes in addition to the ones listed.
        let mut adds_ahead = vec![false; chunks.len() + 1];
        for m in (0..chunks.len()).rev() {
            adds_ahead[m] = heads[m].is_none()
                && (adds_ahead[m + 1] || chunks[m].atoms.iter().any(|a| self.is(a, Cue::Addition)));
        }
        let mut pieces: Vec<Piece> = Vec::new();
        // Whether the last paper's phrase ran into a new sentence.
        let mut new_sentence = false;
        let mut i = 0;
        while i < chunks.len() {
            let c = &chunks[i];
            let Some(head) = heads[i] else {
                // Words before the first paper: a condition, a heading.
                let kind = |k: usize| match scopes[c.offset + k] {
                    Scope::Exception => AsideKind::Exception,
                    _ => AsideKind::Mention,
                };
                for (k, a) in c.atoms.iter().enumerate() {
                    self.set_aside(std::slice::from_ref(a), kind(k));
                }
                pieces.push(Piece {
                    sep: c.sep,
                    span: self.span(c.atoms),
                    expr: None,
                    open_head: false,
                    one_of: c.atoms.iter().any(|a| self.is(a, Cue::OneOf)),
                    substitute: false,
                    bare: false,
                    led: false,
                    addition: c.atoms.iter().any(|a| self.is(a, Cue::Addition)),
                });
                i += 1;
                continue;
            };
            // The paper's phrase runs over the chunks after it that name no
            // paper (`Giấy tờ chứng minh …, chủ sở hữu … (Căn cước)`), up to
            // an item or sentence saying that the paper after it comes in
            // addition (`+ Trường hợp …, thì ngoài một trong các giấy tờ nêu
            // trên, … bổ sung hợp đồng`).
            let mut j = i + 1;
            while j < chunks.len()
                && heads[j].is_none()
                && !(chunks[j].sep == Sep::Strong && adds_ahead[j])
            {
                j += 1;
            }
            let last = &chunks[j - 1];
            let phrase = &atoms[c.offset..last.offset + last.atoms.len()];
            // A paper after a sentence stating a case, which its
            // predecessor's phrase ran into, starts a part of its own,
            // whatever joins it to the words just before (`Giấy chứng nhận
            // đăng ký xe. Trường hợp … phải xuất trình thêm bản sao hoặc bản
            // sao … một trong các giấy tờ sau: Hợp đồng …`: `hoặc` joins copy
            // words, not the two papers).
            let sep = if new_sentence {
                starts_item(c.sep)
            } else {
                c.sep
            };
            let mut piece = self.paper(phrase, c.offset, head, &scopes, sep);
            // A general head is specified in its own sentence: its phrase
            // may run on into a sentence stating a case, but a `:` there
            // introduces the papers of that sentence.
            new_sentence = chunks[i + 1..j].iter().any(|c| {
                c.sep == Sep::Strong
                    && c.atoms
                        .first()
                        .is_some_and(|a| self.is(a, Cue::ConditionStart))
            });
            if new_sentence {
                piece.open_head = false;
            }
            pieces.push(piece);
            i = j;
        }
        combine(pieces, one_of)
    }

    /// The piece of a paper's phrase (`atoms`, starting at `offset` in its
    /// level): its head, what specifies it, what it mentions.
    fn paper(
        &mut self,
        atoms: &[Atom],
        offset: usize,
        head: Head,
        scopes: &[Scope],
        sep: Sep,
    ) -> Piece {
        let scope = |k: usize| scopes[offset + k];
        let span = self.span(atoms);
        // Papers named before the head (in a condition) or after it (in its
        // phrase) are mentions; what follows may specify a general head or
        // offer alternatives to a specific one.
        self.set_aside(&atoms[..head.at], AsideKind::Mention);
        let head_span = self.span(std::slice::from_ref(&atoms[head.at]));
        let mut expr = Expr::Paper(Named {
            alt: head.alt,
            span: head_span,
            phrase: span,
        });
        let mut specified = false;
        for (k, a) in atoms.iter().enumerate().skip(head.at + 1) {
            let kind = match scope(k) {
                Scope::Exception => AsideKind::Exception,
                _ => AsideKind::Mention,
            };
            match a {
                Atom::Group { inner, .. } if kind == AsideKind::Exception => {
                    self.set_aside(inner, kind);
                }
                Atom::Group { inner, .. } if !specified => {
                    let Some(and) = self.group_starts_paper(inner) else {
                        self.level_aside(inner);
                        continue;
                    };
                    let inner_one_of = inner.iter().any(|a| self.is(a, Cue::OneOf));
                    match self.level(inner, inner_one_of || (head.generic && !and)) {
                        Some(e) if head.generic && !and => {
                            expr = e;
                            specified = true;
                        }
                        Some(e) if and => expr = Expr::And(vec![expr, e]),
                        Some(e) => expr = Expr::Or(vec![expr, e]),
                        None => {}
                    }
                }
                Atom::Group { inner, .. } => self.level_aside(inner),
                // A general head right before a paper's name is that paper
                // (`Giấy chứng nhận Giấy chứng nhận đăng ký doanh nghiệp`).
                Atom::Hit(h)
                    if head.generic
                        && !specified
                        && k == head.at + 1
                        && kind == AsideKind::Mention
                        && self.hits[*h].doc().is_some() =>
                {
                    let d = self.hits[*h].doc().expect("checked");
                    expr = Expr::Paper(Named {
                        alt: Alt::Doc(d),
                        span: self.hit_span(&self.hits[*h]),
                        phrase: span,
                    });
                    specified = true;
                }
                _ => self.set_aside(std::slice::from_ref(a), kind),
            }
        }
        let substitute = scope(head.at) == Scope::Substitute;
        if substitute {
            self.set_aside_expr(&expr, AsideKind::Substitute);
        }
        // At most a few words qualify the name (groups aside).
        let bare = atoms[head.at + 1..]
            .iter()
            .filter(|a| matches!(a, Atom::Word(_)))
            .count()
            <= BARE_WORDS;
        Piece {
            sep,
            span,
            expr: Some(expr),
            open_head: head.generic && !specified,
            one_of: atoms.iter().any(|a| self.is(a, Cue::OneOf)),
            substitute,
            bare,
            led: atoms[..head.at].iter().any(|a| self.is(a, Cue::Lead)),
            addition: atoms.iter().any(|a| self.is(a, Cue::Addition)),
        }
    }

    fn set_aside_expr(&mut self, e: &Expr, kind: AsideKind) {
        match e {
            Expr::Paper(Named {
                alt: Alt::Doc(doc),
                span,
                ..
            }) => self.asides.push(Aside {
                doc: *doc,
                span: *span,
                kind,
            }),
            Expr::Paper(_) => {}
            Expr::And(es) | Expr::Or(es) => {
                for e in es {
                    self.set_aside_expr(e, kind);
                }
            }
        }
    }

    /// What the papers of a qualifying group are: mentions, or exceptions
    /// where the group says so.
    fn level_aside(&mut self, inner: &[Atom]) {
        let scopes = self.scopes(inner);
        for (k, a) in inner.iter().enumerate() {
            let kind = match scopes[k] {
                Scope::Exception => AsideKind::Exception,
                _ => AsideKind::Mention,
            };
            self.set_aside(std::slice::from_ref(a), kind);
        }
    }

    /// Whether a group starts with a paper: `Some(true)` after an AND word
    /// (`kèm theo …`), `Some(false)` after an OR word or directly, `None`
    /// when it does not start with a paper.
    fn group_starts_paper(&self, inner: &[Atom]) -> Option<bool> {
        let mut i = 0;
        let mut and = false;
        while let Some(a) = inner.get(i) {
            if self.is(a, Cue::And) {
                and = true;
            } else if !(self.is(a, Cue::Or)
                || self.is(a, Cue::Specify)
                || self.is(a, Cue::OneOf)
                || matches!(a, Atom::Mark(':' | ',', _)))
            {
                break;
            }
            i += 1;
        }
        let j = self.skip_lead(inner, i);
        self.head_at(inner, j).map(|_| and)
    }

    /// Where each atom of a level stands: an exception runs from its word
    /// to the end of its phrase — `;`, a full stop, a list marker, or a
    /// comma not continuing a list of excepted papers; a requirement or
    /// clause-ending word (`… thì nộp`) turns it into what is asked
    /// instead, up to the end of the clause.
    fn scopes(&self, atoms: &[Atom]) -> Vec<Scope> {
        let mut out = vec![Scope::Normal; atoms.len()];
        let mut state = Scope::Normal;
        // Whether the exception has named its object yet (`trừ căn cước…`
        // has; `không yêu cầu tổ chức, cá nhân nộp …` has not).
        let mut holds_paper = false;
        let strong = |a: &Atom| matches!(a, Atom::Mark(';' | '.', _) | Atom::Marker(..));
        let require_ahead = |k: usize| {
            atoms[k..]
                .iter()
                .take_while(|a| !strong(a))
                .any(|a| self.is(a, Cue::Require))
        };
        for (k, a) in atoms.iter().enumerate() {
            match a {
                _ if strong(a) => state = Scope::Normal,
                Atom::Mark(',', _) if state == Scope::Exception => {
                    let j = self.skip_lead(atoms, k + 1);
                    let next_requires = atoms.get(j).is_some_and(|n| self.is(n, Cue::Require));
                    state = if holds_paper && next_requires {
                        Scope::Substitute
                    } else if holds_paper && self.head_at(atoms, j).is_some()
                        || !holds_paper && require_ahead(k)
                    {
                        Scope::Exception
                    } else {
                        Scope::Normal
                    };
                }
                Atom::Hit(h) if self.hits[*h].doc().is_none() && self.is(a, Cue::Except) => {
                    state = Scope::Exception;
                    holds_paper = false;
                }
                // `… thì nộp …`: what is asked instead of the excepted paper.
                Atom::Hit(_)
                    if state == Scope::Exception
                        && holds_paper
                        && (self.is(a, Cue::ClauseEnd) || self.is(a, Cue::Require)) =>
                {
                    state = Scope::Substitute;
                }
                Atom::Hit(_) if state == Scope::Exception && self.is(a, Cue::ClauseEnd) => {
                    state = Scope::Normal;
                }
                _ if state == Scope::Exception && self.head_at(atoms, k).is_some() => {
                    holds_paper = true;
                }
                _ => {}
            }
            out[k] = state;
        }
        out
    }
}

/// Joins the pieces of a level: plain pieces continue the one before; a
/// general head followed by `:` takes the papers after it as its
/// specification; the rest by precedence (strong separators, then AND,
/// then OR; commas as the nearest connector says).
fn combine(pieces: Vec<Piece>, one_of: bool) -> Option<Expr> {
    let mut papers: Vec<Item> = Vec::new();
    let mut level_one_of = one_of;
    let mut spec_from: Option<usize> = None;
    // What words that name no paper pass on to the next paper: a strong
    // separator before them (`+ Trường hợp …, nộp …` starts an item of its
    // own), and that the paper comes in addition to the alternatives
    // (`ngoài một trong các giấy tờ nêu trên, … bổ sung hợp đồng`).
    let mut strong_before = false;
    let mut addition_before = false;
    for mut p in pieces {
        let Some(expr) = p.expr else {
            // Words before the first paper may say the papers are
            // alternatives.
            if papers.is_empty() && p.one_of {
                level_one_of = true;
            }
            strong_before |= !papers.is_empty() && p.sep == Sep::Strong;
            addition_before |= p.addition;
            continue;
        };
        if std::mem::take(&mut strong_before) {
            p.sep = starts_item(p.sep);
        }
        p.addition |= std::mem::take(&mut addition_before);
        if p.substitute {
            // An alternative never accepted: it leaves the part before it
            // as it is, and alone stands as a paper data cannot replace.
            if papers.is_empty() {
                let unknown = Expr::Paper(Named {
                    alt: Alt::Unknown,
                    span: expr_span(&expr),
                    phrase: p.span,
                });
                papers.push(Item {
                    sep: p.sep,
                    expr: unknown,
                    open_head: false,
                    one_of: false,
                    bare: false,
                    led: p.led,
                    addition: p.addition,
                    span: p.span,
                });
            }
            continue;
        }
        if spec_from.is_none()
            && p.sep == Sep::Colon
            && papers.last().is_some_and(|last| last.open_head)
        {
            spec_from = Some(papers.len());
        }
        papers.push(Item {
            sep: p.sep,
            expr,
            open_head: p.open_head,
            one_of: p.one_of,
            bare: p.bare,
            led: p.led,
            addition: p.addition,
            span: p.span,
        });
    }
    if papers.is_empty() {
        return None;
    }
    if let Some(k) = spec_from {
        // `Giấy tờ … gồm: A; B` / `một trong các giấy tờ sau: A; B`.
        let spec_one_of = level_one_of || papers[k - 1].one_of;
        let mut tail: Vec<Item> = papers.drain(k..).collect();
        tail[0].sep = Sep::Start;
        let head = papers.last_mut().expect("head before its specification");
        // The head's words belong to the part its specification makes.
        let from = head.span.start;
        let spec = join_widened(tail, spec_one_of, from);
        head.expr = spec;
        head.open_head = false;
        head.bare = false;
    }
    Some(join(papers, level_one_of))
}

/// A paper of a level, with what joins it to the one before.
struct Item {
    sep: Sep,
    expr: Expr,
    open_head: bool,
    one_of: bool,
    /// Named with few words: a list item, not a sentence of its own.
    bare: bool,
    /// Starts with words about the copy (`bản sao`).
    led: bool,
    /// Comes in addition to the alternatives listed.
    addition: bool,
    /// Where its phrase is.
    span: Span,
}

fn expr_span(e: &Expr) -> Span {
    match e {
        Expr::Paper(n) => n.span,
        Expr::And(es) | Expr::Or(es) => {
            let spans: Vec<Span> = es.iter().map(expr_span).collect();
            Span {
                start: spans.iter().map(|s| s.start).min().unwrap_or(0),
                end: spans.iter().map(|s| s.end).max().unwrap_or(0),
            }
        }
    }
}

/// The separator of a paper that starts a new item or sentence: a weak one
/// (a comma, `và`, `hoặc`, `/`) joined it only to the words just before.
fn starts_item(sep: Sep) -> Sep {
    match sep {
        Sep::Comma | Sep::And | Sep::Or | Sep::Slash => Sep::Strong,
        s => s,
    }
}

fn strongest(a: Sep, b: Sep) -> Sep {
    let rank = |s: Sep| match s {
        Sep::Start => 0,
        Sep::Comma => 1,
        Sep::Slash => 2,
        Sep::Or => 2,
        Sep::And => 3,
        Sep::Strong => 4,
        Sep::Colon => 5,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// Joins a sequence of papers by their separators.
fn join(seq: Vec<Item>, one_of: bool) -> Expr {
    join_widened(seq, one_of, usize::MAX)
}

/// Joins a sequence of papers; the phrases of the alternatives of a list of
/// them start no later than `from` (the words of a general head they
/// specify: `Một trong các giấy tờ sau: A; B` is one part). Inside a
/// list of alternatives, a clause that says it comes in addition to them
/// is a required part of its own (`A; B; ngoài một trong các giấy tờ nêu
/// trên, bổ sung C` needs C with A or B).
fn join_widened(seq: Vec<Item>, one_of: bool, from: usize) -> Expr {
    // Clauses between strong separators (and `:` after a specific paper).
    let mut clauses: Vec<Vec<Item>> = Vec::new();
    for mut it in seq {
        match clauses.last_mut() {
            Some(c) if !matches!(it.sep, Sep::Strong | Sep::Colon) => c.push(it),
            _ => {
                it.sep = Sep::Start;
                clauses.push(vec![it]);
            }
        }
    }
    if !one_of {
        // Several required parts share the head: its words stay its own.
        let exprs: Vec<Expr> = clauses.into_iter().map(|c| clause(c, false)).collect();
        return flatten(Expr::And(exprs));
    }
    let (added, alts): (Vec<_>, Vec<_>) = clauses
        .into_iter()
        .partition(|c| c.iter().any(|it| it.addition));
    if alts.is_empty() {
        let mut exprs: Vec<Expr> = added.into_iter().map(|c| clause(c, true)).collect();
        widen(&mut exprs, from);
        return flatten(Expr::Or(exprs));
    }
    let mut alts: Vec<Expr> = alts.into_iter().map(|c| clause(c, true)).collect();
    widen(&mut alts, from);
    let mut parts = vec![Expr::Or(alts)];
    parts.extend(added.into_iter().map(|c| clause(c, false)));
    flatten(Expr::And(parts))
}

/// Starts every paper's phrase in `exprs` no later than `from`.
fn widen(exprs: &mut [Expr], from: usize) {
    for e in exprs {
        match e {
            Expr::Paper(n) => n.phrase.start = n.phrase.start.min(from),
            Expr::And(es) | Expr::Or(es) => widen(es, from),
        }
    }
}

/// One clause. A comma takes the meaning of the next connector of the
/// clause when the item before it is a bare name (`CMND, CCCD hoặc hộ
/// chiếu`), else of the previous one when the item after it is bare, else
/// AND (`Lý lịch tự khai theo mẫu …, bản sao hộ chiếu hoặc …` needs both);
/// AND too when the item after it brings copy words of its own that the
/// one before has not (`Văn bản ủy quyền, bản sao thẻ căn cước hoặc hộ
/// chiếu`: a second paper); OR after `một trong`. AND binds looser than OR
/// (`A hoặc B và C` needs C).
fn clause(items: Vec<Item>, one_of: bool) -> Expr {
    let seps: Vec<Sep> = items.iter().map(|it| it.sep).collect();
    let bare: Vec<bool> = items.iter().map(|it| it.bare).collect();
    let led: Vec<bool> = items.iter().map(|it| it.led).collect();
    let connector = |s: &&Sep| matches!(s, Sep::And | Sep::Or);
    let comma_as = |i: usize| -> Sep {
        if one_of {
            return Sep::Or;
        }
        if led[i] && !led[i - 1] {
            return Sep::And;
        }
        let after = seps[i + 1..].iter().find(connector).filter(|_| bare[i - 1]);
        let before = seps[..i].iter().rev().find(connector).filter(|_| bare[i]);
        *after.or(before).unwrap_or(&Sep::And)
    };
    let typed: Vec<Sep> = (0..seps.len())
        .map(|i| match seps[i] {
            Sep::Comma => comma_as(i),
            s => s,
        })
        .collect();
    let mut ands: Vec<Vec<Expr>> = Vec::new();
    for (it, s) in items.into_iter().zip(typed) {
        match s {
            Sep::Or | Sep::Slash if !ands.is_empty() => {
                ands.last_mut().expect("group").push(it.expr)
            }
            _ => ands.push(vec![it.expr]),
        }
    }
    flatten(Expr::And(
        ands.into_iter()
            .map(|alts| {
                if alts.len() == 1 {
                    alts.into_iter().next().expect("one")
                } else {
                    Expr::Or(alts)
                }
            })
            .collect(),
    ))
}

fn flatten(e: Expr) -> Expr {
    match e {
        Expr::And(es) if es.len() == 1 => flatten(es.into_iter().next().expect("one")),
        Expr::Or(es) if es.len() == 1 => flatten(es.into_iter().next().expect("one")),
        Expr::And(es) => Expr::And(es.into_iter().map(flatten).collect()),
        Expr::Or(es) => Expr::Or(es.into_iter().map(flatten).collect()),
        p => p,
    }
}

/// Reads how `tokens` (with their selected `hits`) are built.
pub fn read(cat: &Catalog, text: &str, tokens: &[Token], hits: &[Hit]) -> Reading {
    let markers = markers(text, tokens);
    let atoms = atoms(tokens, hits, &markers);
    let mut cx = Cx {
        cat,
        tokens,
        hits,
        asides: Vec::new(),
    };
    let starts_with_paper = cx.head_at(&atoms, cx.skip_lead(&atoms, 0)).is_some();
    let one_of = atoms.iter().any(|a| cx.is(a, Cue::OneOf));
    let expr = cx.level(&atoms, false);
    let mut parts: Vec<ReadPart> = expr
        .map(|e| {
            cnf(&e)
                .into_iter()
                .map(|alts| {
                    let span = Span {
                        start: alts.iter().map(|n| n.phrase.start).min().unwrap_or(0),
                        end: alts.iter().map(|n| n.phrase.end).max().unwrap_or(0),
                    };
                    ReadPart { span, alts }
                })
                .collect()
        })
        .unwrap_or_default();
    // A part whose alternatives include all of another's adds nothing
    // (absorption); of equal ones the first stays. (Papers no type names
    // are told apart by where they are.) A part no data can replace never
    // absorbs one that data can: a type no source serves names different
    // papers (`Quyết định giao đất, … hoặc Hợp đồng cho thuê đất` is not
    // `Quyết định cho phép chuyển mục đích sử dụng đất`).
    let served: Vec<bool> = (0..cat.document_types.len())
        .map(|d| cat.sources.iter().any(|s| s.documents.contains(&d)))
        .collect();
    let has_served = |p: &ReadPart| {
        p.alts
            .iter()
            .any(|n| matches!(n.alt, Alt::Doc(d) if served[d]))
    };
    let alts_of = |p: &ReadPart| -> Vec<(Alt, Option<Span>)> {
        let mut v = Vec::new();
        for n in &p.alts {
            let key = match n.alt {
                Alt::Doc(_) => (n.alt, None),
                _ => (n.alt, Some(n.span)),
            };
            if !v.contains(&key) {
                v.push(key);
            }
        }
        v
    };
    let sets: Vec<Vec<(Alt, Option<Span>)>> = parts.iter().map(alts_of).collect();
    let keep: Vec<bool> = (0..parts.len())
        .map(|i| {
            !(0..parts.len()).any(|j| {
                j != i
                    && (has_served(&parts[j]) || !has_served(&parts[i]))
                    && sets[j].iter().all(|a| sets[i].contains(a))
                    && (sets[j].len() < sets[i].len() || (sets[j].len() == sets[i].len() && j < i))
            })
        })
        .collect();
    let mut k = keep.iter();
    parts.retain(|_| *k.next().expect("one flag a part"));
    // Parts offering the same papers data can replace, named at the same
    // places, stand or fall together: one part (`A hoặc (B và C)` gives
    // `A hoặc B` and `A hoặc C`, two ways of saying A will do).
    let mut merged: Vec<ReadPart> = Vec::new();
    let mut keys: Vec<Vec<(DocIdx, Span)>> = Vec::new();
    for p in parts {
        let mut key: Vec<(DocIdx, Span)> = p
            .alts
            .iter()
            .filter_map(|n| match n.alt {
                Alt::Doc(d) if served[d] => Some((d, n.span)),
                _ => None,
            })
            .collect();
        key.sort_unstable_by_key(|&(d, s)| (s, d));
        key.dedup();
        match keys.iter().position(|k| !key.is_empty() && *k == key) {
            Some(i) => {
                let into = &mut merged[i];
                into.span.start = into.span.start.min(p.span.start);
                into.span.end = into.span.end.max(p.span.end);
                for n in p.alts {
                    if !into.alts.contains(&n) {
                        into.alts.push(n);
                    }
                }
            }
            None => {
                keys.push(key);
                merged.push(p);
            }
        }
    }
    let parts = merged;
    let mut asides = cx.asides;
    asides.sort_by_key(|a| (a.span, a.doc));
    asides.dedup();
    Reading {
        parts,
        asides,
        starts_with_paper,
        one_of,
    }
}
