//! Vietnamese legal document numbers: `số/năm/loại-cơ quan`, e.g.
//! `68/2020/QH14`, `123/2015/NĐ-CP`, `66.7/2025/NQ-CP`, `516/QĐ-BTP`.
//! In running text they are read against the known kinds and issuers of
//! the recognition data ([`Codes`]), so a number glued to the next word
//! (`…/NĐ-CPThông tư`, `…/QĐ-TTgngày`) is neither cut short nor glued, and
//! a form's number (`Mẫu số 03/2025/LLTP`) is not a legal document.

use crate::text::fold;
use regex::Regex;
use std::sync::LazyLock;

/// A whole, normalised number.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\d{1,4}(?:\.\d{1,2})?(?:/\d{4})?/[A-ZĐ]{1,8}\d{0,2}(?:-[\p{Lu}0-9][\p{L}0-9]{0,11})*$",
    )
    .expect("valid regex")
});

/// Where a number may be in running text: `số/năm/` or `số/`, then letters
/// (maybe glued to what follows).
static IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{1,4}(?:\.\d{1,2})?/(?:(?:19|20)\d{2}/)?\p{L}[\p{L}0-9]*(?:-[\p{L}0-9]+)*")
        .expect("valid regex")
});

/// Cyrillic capitals that look like Latin ones, as pasted text has them
/// (`TT-BTС` with a Cyrillic `С`), read as the Latin letter.
fn latin(c: char) -> char {
    match c {
        'А' => 'A',
        'В' => 'B',
        'С' => 'C',
        'Е' => 'E',
        'Н' => 'H',
        'К' => 'K',
        'М' => 'M',
        'О' => 'O',
        'Р' => 'P',
        'Т' => 'T',
        'Х' => 'X',
        c => c,
    }
}

/// The kinds of document (`NĐ`, `TT`, `QĐ`…) and issuers (`CP`, `TTg`,
/// `BTC`…) numbers are written with, as the recognition data lists them.
/// A kind written with its issuer (`NĐ-CP`) always has that issuer, which
/// completes a number the source cut short (`…/NĐ-C` glued to a word). A
/// National Assembly code (`QH14`, `UBTVQH13`) is an issuer that also
/// stands alone for a law.
#[derive(Clone, Copy, Debug)]
pub struct Codes<'a> {
    pub kinds: &'a [String],
    pub issuers: &'a [String],
}

/// The assembly code at the start of `seg` (`QH14`, `UBTVQH13`), with its
/// length in bytes.
fn assembly(seg: &str) -> Option<(String, usize)> {
    let upper = seg.to_uppercase();
    for head in ["UBTVQH", "QH"] {
        if let Some(rest) = upper.strip_prefix(head) {
            let digits: String = rest
                .chars()
                .take_while(char::is_ascii_digit)
                .take(2)
                .collect();
            if digits.len() == 2 {
                return Some((format!("{head}{digits}"), head.len() + 2));
            }
        }
    }
    None
}

impl Codes<'_> {
    /// The longest known code `seg` starts with (case and `Đ`/`D`
    /// insensitive), written as the data writes it, with the length it
    /// takes in `seg`.
    fn longest<'c>(list: &'c [String], seg: &str) -> Option<(&'c str, usize)> {
        let mut best: Option<(&str, usize)> = None;
        for code in list {
            let n = code.chars().count();
            let head: String = seg.chars().take(n).collect();
            if head.chars().count() == n
                && fold(&head) == fold(code)
                && best.is_none_or(|(_, b)| head.len() > b)
            {
                best = Some((code.as_str(), head.len()));
            }
        }
        best
    }

    /// Reads the letters after `số/năm/` (Latin look-alikes already read
    /// as Latin): the kind and issuers, as far as they are known codes.
    /// Returns the normalised tail and the characters of `tail` it covers,
    /// or `None` when the kind is not a legal document's or its issuer is
    /// missing (`…/TT` alone), or when a number without a year has an
    /// issuer the data does not know (`Mẫu số 01/PL-DK`).
    fn read_tail(&self, tail: &str, dated: bool) -> Option<(String, usize)> {
        let chars = |s: &str| s.chars().count();
        let mut segs = tail.split('-');
        let first = segs.next()?;
        let mut out: Vec<String> = Vec::new();
        let mut used;
        let mut open;
        // The issuer a kind always has (`NĐ-CP`).
        let mut fixed: Option<&str> = None;
        if let Some((code, n)) = assembly(first) {
            // A law (`QH14`), or a resolution of the Standing Committee.
            out.push(code);
            used = chars(&first[..n]);
            open = n == first.len();
        } else {
            // `NĐ-CP` in the list is the kind `NĐ` with its issuer.
            let kinds: Vec<String> = self
                .kinds
                .iter()
                .map(|k| k.split_once('-').map_or(k.as_str(), |(k, _)| k).to_owned())
                .collect();
            let (kind, n) = Self::longest(&kinds, first)?;
            fixed = self.kinds.iter().find_map(|k| {
                k.split_once('-')
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, i)| i)
            });
            out.push(kind.to_owned());
            used = chars(&first[..n]);
            // `TTBXD`: the dash forgotten before a known issuer.
            let rest = &first[n..];
            if !rest.is_empty() {
                match Self::longest(self.issuers, rest) {
                    Some((issuer, m)) if m == rest.len() => {
                        out.push(issuer.to_owned());
                        used = chars(first);
                        open = true;
                    }
                    _ => return None,
                }
            } else {
                open = true;
            }
        }
        let mut known = true;
        for seg in segs {
            if !open || seg.is_empty() {
                break;
            }
            if let Some(issuer) = fixed.take() {
                // The kind's own issuer, whole or cut short by the source.
                let common = issuer
                    .chars()
                    .zip(seg.chars())
                    .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
                    .count();
                if common == 0 {
                    return None;
                }
                out.push(issuer.to_owned());
                used += 1 + common;
                open = common == chars(seg) && common == chars(issuer);
                continue;
            }
            let (code, n) = match assembly(seg) {
                Some((code, n)) => (code, n),
                None => match Self::longest(self.issuers, seg) {
                    Some((code, n)) => (code.to_owned(), n),
                    None => {
                        // An issuer the data does not know: its capitals,
                        // less one starting a glued word (`ABCNghị`).
                        let caps: usize = seg
                            .char_indices()
                            .take_while(|(_, c)| c.is_uppercase() || c.is_ascii_digit())
                            .map(|(i, c)| i + c.len_utf8())
                            .last()
                            .unwrap_or(0);
                        let glued = seg[caps..].chars().next().is_some_and(char::is_lowercase);
                        let end = if glued {
                            seg[..caps].char_indices().last().map_or(0, |(i, _)| i)
                        } else {
                            caps
                        };
                        if end == 0 {
                            break;
                        }
                        known = false;
                        (seg[..end].to_owned(), end)
                    }
                },
            };
            out.push(code);
            used += 1 + chars(&seg[..n]);
            // Anything glued after a code ends the number.
            open = n == seg.len();
        }
        if let Some(issuer) = fixed {
            out.push(issuer.to_owned());
        }
        // A kind of document needs its issuer (`…/NĐ` alone is cut short).
        if out.len() == 1 && assembly(&out[0]).is_none() || !dated && !known {
            return None;
        }
        Some((out.join("-"), used))
    }

    /// Every document number in `text` with its byte span, normalised, in
    /// order.
    pub fn spans(&self, text: &str) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some(m) = IN_TEXT.find_at(text, pos) {
            let found = m.as_str();
            // `số/năm/` and the letters after them.
            let slashes: Vec<usize> = found.match_indices('/').map(|(i, _)| i).collect();
            let tail_at = slashes.last().map_or(0, |i| i + 1);
            let tail = &found[tail_at..];
            let read: String = tail.chars().map(latin).collect();
            match self.read_tail(&read, slashes.len() > 1) {
                Some((normal, used))
                    if is_valid_number(&format!("{}{normal}", &found[..tail_at])) =>
                {
                    let used_bytes: usize = tail.chars().take(used).map(char::len_utf8).sum();
                    let end = m.start() + tail_at + used_bytes;
                    out.push((m.start(), end, format!("{}{normal}", &found[..tail_at])));
                    pos = end;
                }
                _ => pos = m.start() + found.find('/').map_or(1, |i| i + 1),
            }
        }
        out
    }

    /// Every document number found in `text`, normalised, in order of
    /// first appearance, without repeats.
    pub fn numbers_in(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, _, n) in self.spans(text) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }
}

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
    // Segments written all in lower case are upper-cased; mixed case is
    // kept (`TTg`).
    s.split('/')
        .map(|part| {
            part.split('-')
                .map(|seg| {
                    let seg = if seg.chars().any(char::is_uppercase) {
                        seg.to_owned()
                    } else {
                        seg.to_uppercase()
                    };
                    match seg.as_str() {
                        "ND" => "NĐ".to_owned(),
                        "QD" => "QĐ".to_owned(),
                        "NĐCP" | "NDCP" => "NĐ-CP".to_owned(),
                        _ => seg,
                    }
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
            "52/2025/QĐ-TTg",
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

    fn codes() -> (Vec<String>, Vec<String>) {
        let cat = crate::reference::catalog();
        (
            cat.recognition.number_kinds.clone(),
            cat.recognition.number_issuers.clone(),
        )
    }

    #[test]
    fn a_typo_after_a_number_does_not_cut_its_issuer() {
        let (kinds, issuers) = codes();
        let c = Codes {
            kinds: &kinds,
            issuers: &issuers,
        };
        assert_eq!(
            c.numbers_in("Nghị định 123/2015/NĐ-CPa)"),
            ["123/2015/NĐ-CP"]
        );
        for n in c.numbers_in("104/2022/Ab 1/2020/A-Bc 12/2021/NĐ-CPx 9/2019/QĐb") {
            assert!(is_valid_number(&n), "{n}");
        }
    }

    #[test]
    fn finds_numbers_glued_to_titles() {
        let (kinds, issuers) = codes();
        let c = Codes {
            kinds: &kinds,
            issuers: &issuers,
        };
        let t = "Luật Hộ tịch 60/2014/QH13Thông tư hướng dẫn Luật hộ tịch04/2020/TT-BTPNghị định 123/2015/NĐ-CP";
        assert_eq!(
            c.numbers_in(t),
            ["60/2014/QH13", "04/2020/TT-BTP", "123/2015/NĐ-CP"]
        );
        assert_eq!(
            c.numbers_in("Thông tư 01/2010/TT-BTP01/2010/TT-BTPLuật 60/2014/QH1360/2014/QH13"),
            ["01/2010/TT-BTP", "60/2014/QH13"]
        );
    }

    #[test]
    fn numbers_are_never_cut_short_nor_glued() {
        let (kinds, issuers) = codes();
        let c = Codes {
            kinds: &kinds,
            issuers: &issuers,
        };
        for (text, want) in [
            ("Nghị định 38/2023/NĐ-CPCách Thức", "38/2023/NĐ-CP"),
            ("Nghị định số 15/2018/NĐ-CPngày 02/02/2018", "15/2018/NĐ-CP"),
            ("Quyết định số 52/2025/QĐ-TTg ngày 30/1", "52/2025/QĐ-TTg"),
            ("52/2025/QĐ-TTgThông tư", "52/2025/QĐ-TTg"),
            ("Thông tư 12/2020/TT-BLĐTBXHBAN HÀNH", "12/2020/TT-BLĐTBXH"),
            ("Nghị định 1/2024/NĐ-CPLUẬT", "1/2024/NĐ-CP"),
            (
                "Thông tư liên tịch 05/2015/TTLT-BTP-BCA-BYT về",
                "05/2015/TTLT-BTP-BCA-BYT",
            ),
            ("Quyết định 516/QĐ-BTP ngày", "516/QĐ-BTP"),
            ("Pháp lệnh 02/2011/PL-UBTVQH12 về", "02/2011/PL-UBTVQH12"),
            ("Nghị quyết 66.7/2025/NQ-CP", "66.7/2025/NQ-CP"),
            ("Thông tư 2/2024/tt-bca", "2/2024/TT-BCA"),
            // The source cut `NĐ-CP` short and glued it to the next word.
            ("quốc gia118/2025/NĐ-CQuy định về", "118/2025/NĐ-CP"),
            // A Cyrillic `С` pasted into the issuer.
            ("Thông tư số 85/2024/TT-BTС ngày 29/11", "85/2024/TT-BTC"),
            (
                "Nghị quyết liên tịch số 01/2014/NQLT-CP-UBTƯMTTQVN trong",
                "01/2014/NQLT-CP-UBTƯMTTQVN",
            ),
        ] {
            assert_eq!(c.numbers_in(text), [want], "{text}");
        }
        // A form's number is no legal document; a kind alone is cut short.
        assert!(c.numbers_in("theo Mẫu số 03/2025/LLTP;").is_empty());
        assert!(c.numbers_in("Mẫu số 01/PL-DK ban hành").is_empty());
        assert!(c.numbers_in("số 04/2020/TT ngày").is_empty());
    }
}
