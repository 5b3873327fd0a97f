//! Vietnamese text handling: NFC normalisation on load, and a folded key for
//! matching names the way users type them (diacritic-, case- and
//! punctuation-insensitive). Output always keeps the original text.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

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
