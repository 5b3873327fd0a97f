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
    fold_mapped(s).0
}

/// [`fold`], with the character offset in `s` of every byte of the folded
/// text (a space takes the offset of the character it stands before), so
/// that a match in folded text can be found in the original.
pub fn fold_mapped(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut at = Vec::with_capacity(s.len());
    let mut pending_space = false;
    for (ci, ch) in s.chars().enumerate() {
        for c in std::iter::once(ch).nfd() {
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
                    at.push(ci);
                }
                pending_space = false;
                for l in c.to_lowercase() {
                    out.push(l);
                    at.extend(std::iter::repeat_n(ci, l.len_utf8()));
                }
            } else {
                pending_space = true;
            }
        }
    }
    (out, at)
}

/// The key a word is matched by when diacritics count: lower case, NFC,
/// the tone mark placed last so that `hoá` and `hóa` give one key.
pub fn word_key(w: &str) -> String {
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let lower: String = w.chars().flat_map(char::to_lowercase).collect();
    let mut base = String::with_capacity(lower.len());
    let mut tone = None;
    for c in lower.nfd() {
        if TONES.contains(&c) {
            tone = Some(c);
        } else {
            base.push(c);
        }
    }
    let mut key: String = base.nfc().collect();
    key.extend(tone);
    key
}

/// The words of `s`, each with its character offsets (start, end) and
/// [`word_key`].
pub fn words(s: &str) -> Vec<(usize, usize, String)> {
    let is_word =
        |c: char| c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    let mut chars = s.char_indices().enumerate().peekable();
    while let Some((ci, (bi, c))) = chars.next() {
        if is_word(c) && start.is_none() {
            start = Some((ci, bi));
        }
        let ends = is_word(c) && chars.peek().is_none_or(|&(_, (_, d))| !is_word(d));
        if ends {
            let (sc, sb) = start.take().expect("a word started");
            out.push((sc, ci + 1, word_key(&s[sb..bi + c.len_utf8()])));
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
    fn fold_mapped_points_back_into_the_text() {
        let t = "Bản gốc  Giấy chứng nhận";
        let (f, at) = fold_mapped(t);
        assert_eq!(f, "ban goc giay chung nhan");
        let i = f.find("giay").unwrap();
        assert_eq!(at[i], t.chars().position(|c| c == 'G').unwrap());
        assert_eq!(at.len(), f.len());
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
    fn line_col_counts_characters() {
        let t = "ab\nđc x";
        assert_eq!(line_col(t, t.find('x').unwrap()), (2, 4));
    }
}
