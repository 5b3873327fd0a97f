//! Vietnamese text handling: NFC normalisation on load, and a folded key for
//! matching names the way users type them (diacritic-, case- and
//! punctuation-insensitive). Output always keeps the original text.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Whether `s` is surely NFC already (ASCII always is), without copying it.
pub fn is_nfc(s: &str) -> bool {
    s.is_ascii() || matches!(is_nfc_quick(s.chars()), IsNormalized::Yes)
}

/// Returns `s` in Unicode Normalization Form C.
pub fn nfc(s: &str) -> String {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => s.to_owned(),
        _ => s.nfc().collect(),
    }
}

/// Folds text for matching: lower case, Vietnamese diacritics removed
/// (`đ` → `d`), every run of non-alphanumeric characters collapsed to one
/// space, trimmed. `"Giấy  Khai-sinh"` and `"giay khai sinh"` fold alike.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// The key a word is matched by when diacritics count: lower case, NFC,
/// the tone mark placed last so that `hoá` and `hóa` give one key.
pub fn word_key(w: &str) -> String {
    word_keys(w).0
}

/// The words of `s`, each with its character offsets (start, end) and
/// [`word_key`].
pub fn words(s: &str) -> Vec<(usize, usize, String)> {
    tokens(s)
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some((w.char_start, w.char_end, w.key)),
            Token::Punct { .. } => None,
        })
        .collect()
}

/// A word of running text: where it is, and the two keys it is matched by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    /// Character offsets of its first character and one past its last.
    pub char_start: usize,
    pub char_end: usize,
    /// Lower case with every diacritic kept, the tone mark written last, so
    /// that the two ways of placing it (`hoá`, `hóa`) give one key.
    pub key: String,
    /// Lower case without diacritics (`đ` → `d`), as [`fold`] writes it.
    pub folded: String,
}

impl Word {
    /// Whether the word carries a diacritic (or `đ`) as written.
    pub fn is_marked(&self) -> bool {
        self.key != self.folded
    }
}

/// A piece of running text: a word, or a punctuation mark that can shape
/// a sentence (`;`, `:`, `(`, `)`, `/`, `,`, `+`, `-`, a full stop ending a
/// sentence…). Spaces and other marks are dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    Word(Word),
    Punct {
        mark: char,
        start: usize,
        char_start: usize,
    },
}

impl Token {
    pub fn word(&self) -> Option<&Word> {
        match self {
            Token::Word(w) => Some(w),
            Token::Punct { .. } => None,
        }
    }
    pub fn mark(&self) -> Option<char> {
        match self {
            Token::Punct { mark, .. } => Some(*mark),
            Token::Word(_) => None,
        }
    }
    /// Character offsets of the token.
    pub fn chars(&self) -> (usize, usize) {
        match self {
            Token::Word(w) => (w.char_start, w.char_end),
            Token::Punct { char_start, .. } => (*char_start, char_start + 1),
        }
    }
}

const TONE_MARKS: [char; 7] = [
    '\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}', '\u{340}', '\u{341}',
];

fn word_keys(w: &str) -> (String, String) {
    let lower: String = w.chars().flat_map(char::to_lowercase).collect();
    let mut base = String::with_capacity(lower.len());
    let mut folded = String::with_capacity(lower.len());
    let mut tone = None;
    for c in lower.nfd() {
        if TONE_MARKS.contains(&c) {
            tone = Some(c);
        } else if unicode_normalization::char::is_combining_mark(c) {
            base.push(c);
        } else {
            base.push(c);
            folded.push(if c == 'đ' { 'd' } else { c });
        }
    }
    let mut key: String = base.nfc().collect();
    key.extend(tone);
    (key, folded)
}

/// The words and shaping marks of `s`, in order.
pub fn tokens(s: &str) -> Vec<Token> {
    let is_word =
        |c: char| c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
    let mut out = Vec::new();
    let mut chars = s.char_indices().enumerate().peekable();
    while let Some((ci, (bi, c))) = chars.next() {
        if is_word(c) {
            let (mut end, mut char_end) = (bi + c.len_utf8(), ci + 1);
            while let Some(&(cj, (bj, d))) = chars.peek() {
                if !is_word(d) {
                    break;
                }
                end = bj + d.len_utf8();
                char_end = cj + 1;
                chars.next();
            }
            let (key, folded) = word_keys(&s[bi..end]);
            out.push(Token::Word(Word {
                start: bi,
                end,
                char_start: ci,
                char_end,
                key,
                folded,
            }));
            continue;
        }
        let mark = match c {
            ';' | ':' | '(' | ')' | '/' | ',' | '+' | '*' | '•' => c,
            '[' => '(',
            ']' => ')',
            '-' | '–' | '—' => '-',
            // A full stop ends a sentence only before a space or the end
            // (`15.NT`, `1.2` are not sentences).
            '.' if chars.peek().is_none_or(|&(_, (_, d))| d.is_whitespace()) => '.',
            _ => continue,
        };
        out.push(Token::Punct {
            mark,
            start: bi,
            char_start: ci,
        });
    }
    out
}

/// Byte offset of character offset `ci` in `s` (the end for offsets past it).
/// Where each character of a text starts, for slicing it by character
/// offsets many times without rescanning it from the start.
pub struct CharIndex<'a> {
    text: &'a str,
    /// Byte offset of each character, then the text's length.
    starts: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        starts.push(text.len());
        CharIndex { text, starts }
    }

    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// The characters `start..end`, or `None` past the end.
    pub fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        let (&b, &e) = (self.starts.get(start)?, self.starts.get(end)?);
        (start <= end).then(|| &self.text[b..e])
    }

    /// The characters from `start`, at most `len` of them.
    pub fn take(&self, start: usize, len: usize) -> &'a str {
        let last = self.starts.len() - 1;
        let (s, e) = (start.min(last), start.saturating_add(len).min(last));
        &self.text[self.starts[s]..self.starts[e]]
    }
}

pub fn byte_of_char(s: &str, ci: usize) -> usize {
    s.char_indices().nth(ci).map_or(s.len(), |(b, _)| b)
}

/// The candidate closest to `wanted` by edit distance on folded text, if it
/// is close enough to be a plausible typo.
pub fn did_you_mean<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let w = fold(wanted);
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        let score = strsim::normalized_levenshtein(&w, &fold(c));
        if score >= 0.6 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Collapses every run of whitespace (newlines included) to one space.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`one_line`], cut to at most `max` characters with an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    let flat = one_line(s);
    if flat.chars().count() > max {
        let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        flat
    }
}

/// Whether `c` would act on a terminal rather than show: C0 controls other
/// than tab and newline, DEL, C1 controls, and the bidirectional overrides
/// and isolates that reorder what follows (`U+202E`).
pub fn is_terminal_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Text safe to print on a terminal: each [`is_terminal_control`]
/// character is shown as its escape (`\u{1b}`), everything else unchanged.
pub fn for_terminal(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_terminal_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_terminal_control(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Text placed in Markdown as text: the characters that would start HTML,
/// a link, an image, emphasis, code or a table cell are backslash-escaped,
/// so `<script>` and `[x](javascript:…)` from an input stay words.
pub fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '!' | '&' | '~' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Byte offset → (line, column), both 1-based, column counted in characters.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() as u32 + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_diacritics_case_and_punctuation() {
        assert_eq!(fold("Giấy  Khai-sinh"), "giay khai sinh");
        assert_eq!(fold("ĐĂNG KÝ"), "dang ky");
        assert_eq!(fold(" (Căn cước công dân) "), "can cuoc cong dan");
    }

    #[test]
    fn tokens_keep_diacritics_and_place_tone_marks_alike() {
        let t = tokens("Hoá đơn; hóa ĐƠN (sơ đồ) 15.NT.");
        let words: Vec<&Word> = t.iter().filter_map(Token::word).collect();
        assert_eq!(words[0].key, words[2].key);
        assert_eq!(words[1].key, words[3].key);
        assert_eq!(words[1].folded, "don");
        assert!(words[1].is_marked());
        assert_ne!(words[4].key, tokens("sổ")[0].word().unwrap().key);
        assert_eq!(words[4].folded, "so");
        let marks: Vec<char> = t.iter().filter_map(Token::mark).collect();
        assert_eq!(marks, [';', '(', ')', '.']);
        assert_eq!(words[2].char_start, 9);
        assert_eq!(words[2].char_end, 12);
    }

    #[test]
    fn word_keys_keep_diacritics_and_place_tone_marks_alike() {
        assert_eq!(word_key("Hoá"), word_key("hóa"));
        assert_ne!(word_key("sơ"), word_key("sổ"));
        let w = words("Đất ở; (hộ chiếu)");
        let keys: Vec<&str> = w.iter().map(|x| x.2.as_str()).collect();
        assert_eq!(
            keys,
            [
                word_key("đất"),
                word_key("ở"),
                word_key("hộ"),
                word_key("chiếu")
            ]
        );
        assert_eq!((w[2].0, w[2].1), (8, 10));
    }

    #[test]
    fn nfc_composes_decomposed_text() {
        let decomposed = "Hộ tịch".nfd().collect::<String>();
        assert_ne!(decomposed, "Hộ tịch");
        assert_eq!(nfc(&decomposed), "Hộ tịch");
    }

    #[test]
    fn did_you_mean_finds_close_ids() {
        let ids = ["csdl-dan-cu", "csdl-ho-tich", "vneid"];
        assert_eq!(did_you_mean("csdl-dancu", ids), Some("csdl-dan-cu"));
        assert_eq!(did_you_mean("zzzzzz", ids), None);
    }

    #[test]
    fn one_line_and_shorten() {
        assert_eq!(one_line(" a\n  b\tc "), "a b c");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("ab  c", 4), "ab c");
    }

    #[test]
    fn terminal_controls_are_escaped_and_text_kept() {
        assert_eq!(for_terminal("Giấy\tkhai\nsinh"), "Giấy\tkhai\nsinh");
        assert_eq!(
            for_terminal("a\x1b]0;x\x07b\u{202E}c\r"),
            "a\\u{1b}]0;x\\u{7}b\\u{202e}c\\u{d}"
        );
    }

    #[test]
    fn markdown_text_escapes_html_and_links() {
        assert_eq!(
            markdown_text("<script>[x](javascript:a)"),
            "\\<script\\>\\[x\\](javascript:a)"
        );
        assert_eq!(markdown_text("Giấy tờ (nếu có)"), "Giấy tờ (nếu có)");
    }

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\nđc x";
        assert_eq!(line_col(t, t.find('x').unwrap()), (2, 4));
    }
}
