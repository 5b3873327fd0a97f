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

/// A count in Vietnamese style, with a dot between thousands: `2.169`.
pub fn vi_number(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A share in Vietnamese style with one decimal: `8,1%`.
pub fn vi_percent(part: usize, whole: usize) -> String {
    format!("{:.1}%", 100.0 * part as f64 / whole.max(1) as f64).replace('.', ",")
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
    fn numbers_in_vietnamese_style() {
        assert_eq!(vi_number(0), "0");
        assert_eq!(vi_number(999), "999");
        assert_eq!(vi_number(2169), "2.169");
        assert_eq!(vi_number(1234567), "1.234.567");
        assert_eq!(vi_percent(81, 1000), "8,1%");
    }

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\nđc x";
        assert_eq!(line_col(t, t.find('x').unwrap()), (2, 4));
    }
}
