//! Component identity across re-imports and review rounds. A decision is
//! keyed by the procedure's code and the component's key: the `id` the
//! procedure file gives, else a fingerprint of its case and text (imported
//! components carry no id, and their position shifts when recognition
//! splits lines differently). A separate fingerprint of the text alone tells
//! whether the paper a reviewer decided on still reads the same.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The text as fingerprinted: NFC (done on load) with every run of
/// whitespace folded to one space, so re-wrapping a line changes nothing.
pub fn normalised(text: &str) -> String {
    crate::text::one_line(&crate::text::nfc(text))
}

fn sha256_hex(parts: &[&str], digits: usize) -> String {
    let mut h = Sha256::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h.update([0x1f]);
        }
        h.update(normalised(p).as_bytes());
    }
    let mut out = String::with_capacity(digits);
    for b in h.finalize().iter().take(digits.div_ceil(2)) {
        let _ = write!(out, "{b:02x}");
    }
    out.truncate(digits);
    out
}

/// First 16 hex digits of the SHA-256 of the normalised text.
pub fn fingerprint(text: &str) -> String {
    sha256_hex(&[text], 16)
}

/// The key of a component that has no `id`: `t-` and 12 hex digits of the
/// SHA-256 of its case and normalised text.
pub fn text_key(case: Option<&str>, text: &str) -> String {
    format!("t-{}", sha256_hex(&[case.unwrap_or(""), text], 12))
}

/// Keys for the components of one procedure, given each one's explicit id
/// (if any), case and text. Components with the same case and text get
/// `-2`, `-3`… in order, so every key is unique in the procedure.
pub fn keys<'a>(
    components: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>, &'a str)>,
) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    components
        .into_iter()
        .map(|(id, case, text)| match id {
            Some(id) => id.to_owned(),
            None => {
                let k = text_key(case, text);
                let n = seen.entry(k.clone()).or_default();
                *n += 1;
                if *n == 1 {
                    k
                } else {
                    format!("{k}-{n}")
                }
            }
        })
        .collect()
}

/// How alike two component texts read (0..=1), on folded text.
pub fn similarity(a: &str, b: &str) -> f64 {
    strsim::normalized_levenshtein(&crate::text::fold(a), &crate::text::fold(b))
}

/// Below this similarity a decision whose component key is gone is not
/// attached to another component of the procedure.
pub const SAME_PAPER: f64 = 0.75;

/// Among `candidates` (index, text), the one that reads most like `text`,
/// if any reads alike enough to be the same paper edited.
pub fn most_alike<'a>(
    text: &str,
    candidates: impl IntoIterator<Item = (usize, &'a str)>,
) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for (i, t) in candidates {
        let s = similarity(text, t);
        if s >= SAME_PAPER && best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_does_not_change_the_fingerprint_but_words_do() {
        assert_eq!(
            fingerprint("Giấy  khai\nsinh "),
            fingerprint("Giấy khai sinh")
        );
        assert_ne!(fingerprint("Giấy khai sinh"), fingerprint("Giấy khai tử"));
        assert_eq!(fingerprint("x").len(), 16);
    }

    #[test]
    fn keys_are_unique_and_explicit_ids_win() {
        let k = keys([
            (Some("to-khai"), None, "Tờ khai"),
            (None, None, "Giấy khai sinh"),
            (None, None, "Giấy khai sinh"),
            (None, Some("Trường hợp B"), "Giấy khai sinh"),
        ]);
        assert_eq!(k[0], "to-khai");
        assert!(k[1].starts_with("t-") && k[1].len() == 14);
        assert_eq!(k[2], format!("{}-2", k[1]));
        assert_ne!(k[3], k[1]);
    }

    #[test]
    fn an_edited_text_is_found_again() {
        let cands = [
            (0, "Tờ khai đăng ký"),
            (1, "Bản sao giấy khai sinh của trẻ"),
        ];
        assert_eq!(
            most_alike("Bản sao Giấy khai sinh của trẻ em", cands).map(|b| b.0),
            Some(1)
        );
        assert_eq!(most_alike("Sổ hộ khẩu", cands), None);
    }
}
