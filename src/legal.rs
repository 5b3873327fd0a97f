//! Vietnamese legal document numbers: `số/năm/loại-cơ quan`, e.g.
//! `68/2020/QH14`, `123/2015/NĐ-CP`, `66.7/2025/NQ-CP`, `516/QĐ-BTP`.

use regex::Regex;
use std::sync::LazyLock;

/// A whole, normalised number.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[0-9]{1,4}(?:\.[0-9]{1,2})?(?:/[0-9]{4})?/[A-ZĐ]{1,8}[0-9]{0,2}(?:-[A-ZĐ0-9]{1,10})*$",
    )
    .expect("valid regex")
});

/// Numbers inside running text (portal legal-basis cells glue them to titles).
static IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9]{1,4}(?:\.[0-9]{1,2})?/(?:19|20)[0-9]{2}/(?:[A-ZĐ]{1,8}[0-9]{0,2})(?:-[A-ZĐ0-9]{1,10})*")
        .expect("valid regex")
});

/// Normalises a document number as written: drops a leading `số`, spaces and
/// a trailing `;`/`.`, upper-cases, and writes `NĐ`/`QĐ`/`TTLT` with the
/// Vietnamese `Đ` (`nd-cp` → `NĐ-CP`).
pub fn normalise_number(raw: &str) -> String {
    let mut s = crate::text::nfc(raw.trim());
    for prefix in ["số", "Số", "SỐ", "so ", "So "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start().to_owned();
        }
    }
    let s: String = s
        .trim_end_matches([';', '.', ',', ' ', '-'])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let upper = s.to_uppercase();
    upper
        .split('/')
        .map(|part| {
            part.split('-')
                .map(|seg| match seg {
                    "ND" => "NĐ".to_owned(),
                    "QD" => "QĐ".to_owned(),
                    "NĐCP" | "NDCP" => "NĐ-CP".to_owned(),
                    other => other.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether `number` (already normalised) has the shape of a document number.
pub fn is_valid_number(number: &str) -> bool {
    NUMBER.is_match(number)
}

/// The kind of document its number implies, in Vietnamese (`Nghị định`
/// for `…/NĐ-CP`). Numbers ending in a National Assembly code (`QH14`) are
/// laws unless the type says otherwise; unknown shapes read `Văn bản`.
pub fn kind_label(number: &str) -> &'static str {
    let tail = number.rsplit('/').next().unwrap_or("");
    let head = tail.split('-').next().unwrap_or("");
    match head {
        "NĐ" => "Nghị định",
        "NQ" => "Nghị quyết",
        "TT" => "Thông tư",
        "TTLT" => "Thông tư liên tịch",
        "QĐ" => "Quyết định",
        "PL" => "Pháp lệnh",
        h if h.starts_with("QH") => "Luật",
        _ => "Văn bản",
    }
}

/// Every document number found in `text`, normalised, in order of first
/// appearance, without repeats.
pub fn numbers_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, _, n) in number_spans(text) {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// Every document number in `text` with its byte span, normalised, in order.
pub fn number_spans(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(m) = IN_TEXT.find_at(text, pos) {
        let mut found = m.as_str();
        // `…/TT-BTPNghị định`: an upper-case letter followed by a lower-case
        // one starts the next word, not the issuer's code.
        // Not when that would leave an issuer of one letter (`NĐ-CPa)` is
        // `NĐ-CP` followed by a typo, not `NĐ-C`) or no number at all.
        if text[m.end()..]
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
        {
            if let Some((i, c)) = found.char_indices().last() {
                let kept = &found[..i];
                let issuer = kept.rsplit(['-', '/']).next().unwrap_or("");
                if c.is_alphabetic()
                    && issuer.chars().count() >= 2
                    && is_valid_number(&normalise_number(kept))
                {
                    found = kept;
                }
            }
        }
        // `…/TT-BTP01/2010/TT-BTP`: digits directly followed by `/` start
        // the next number.
        if text[m.start() + found.len()..].starts_with('/') {
            found = found.trim_end_matches(|c: char| c.is_ascii_digit());
        }
        // Resume right after what was kept, so a trimmed tail can start
        // the next number.
        pos = m.start() + found.len().max(1);
        let number = normalise_number(found);
        if is_valid_number(&number) {
            out.push((m.start(), m.start() + found.len(), number));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_common_spellings() {
        assert_eq!(normalise_number("số 68/2020/QH14"), "68/2020/QH14");
        assert_eq!(normalise_number("123/2015/ND-CP"), "123/2015/NĐ-CP");
        assert_eq!(normalise_number(" 12/2025/tt-bca; "), "12/2025/TT-BCA");
        assert_eq!(normalise_number("66.7/2025/NQ-CP"), "66.7/2025/NQ-CP");
        assert_eq!(normalise_number("516/QD-BTP"), "516/QĐ-BTP");
    }

    #[test]
    fn validates_shapes() {
        for ok in [
            "68/2020/QH14",
            "123/2015/NĐ-CP",
            "66.7/2025/NQ-CP",
            "516/QĐ-BTP",
            "02/2005/TTLT-BCA-BTP",
        ] {
            assert!(is_valid_number(ok), "{ok}");
        }
        for bad in ["68-2020-QH14", "Luật Hộ tịch", "123/2015", ""] {
            assert!(!is_valid_number(bad), "{bad}");
        }
    }

    #[test]
    fn labels_kinds_from_numbers() {
        assert_eq!(kind_label("123/2015/NĐ-CP"), "Nghị định");
        assert_eq!(kind_label("60/2014/QH13"), "Luật");
        assert_eq!(kind_label("05/2015/TTLT-BTP-BCA-BYT"), "Thông tư liên tịch");
        assert_eq!(kind_label("516/QĐ-BTP"), "Quyết định");
    }

    #[test]
    fn a_typo_after_a_number_does_not_cut_its_issuer() {
        assert_eq!(numbers_in("Nghị định 123/2015/NĐ-CPa)"), ["123/2015/NĐ-CP"]);
        assert_eq!(numbers_in("104/2022/Ab"), ["104/2022/A"]);
        for n in numbers_in("1/2020/A-Bc 12/2021/NĐ-CPx 9/2019/QĐb") {
            assert!(is_valid_number(&n), "{n}");
        }
    }

    #[test]
    fn finds_numbers_glued_to_titles() {
        let t = "Luật Hộ tịch 60/2014/QH13Thông tư hướng dẫn Luật hộ tịch04/2020/TT-BTPNghị định 123/2015/NĐ-CP";
        assert_eq!(
            numbers_in(t),
            ["60/2014/QH13", "04/2020/TT-BTP", "123/2015/NĐ-CP"]
        );
        assert_eq!(
            numbers_in("Thông tư 01/2010/TT-BTP01/2010/TT-BTPLuật 60/2014/QH1360/2014/QH13"),
            ["01/2010/TT-BTP", "60/2014/QH13"]
        );
    }
}
