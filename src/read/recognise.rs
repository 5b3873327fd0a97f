//! Recognising what a dossier line is, shared by both importers: the
//! application form itself, a note, a paper of known document types
//! (alternatives included), or information the procedure already takes
//! from a database; and the provisions it cites. Matching is driven by the
//! catalogue's names and aliases (data, not code), on folded text:
//! diacritic-, case-, spacing- and punctuation-insensitive, whole words,
//! longest match first.

use crate::format::{CopyKind, Role};
use crate::legal;
use crate::model::{Catalog, DocIdx, Provision, SourceIdx, Span};
use crate::text::fold;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Doc(DocIdx),
    Source(SourceIdx),
}

/// What one dossier line was recognised as.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recognised {
    pub role: Option<Role>,
    /// Accepted document types, in order of appearance.
    pub accepts: Vec<DocIdx>,
    /// Where each accepted type is named in the text, in text order.
    pub matched: Vec<(DocIdx, Span)>,
    /// Sources the text says the information is taken from.
    pub already_digital: Vec<SourceIdx>,
    pub provisions: Vec<Provision>,
    /// The copy kind the text asks for, if it says.
    pub copy_kind: Option<CopyKind>,
}

impl Recognised {
    /// An evidence line that names no known paper and no source.
    pub fn is_unrecognised(&self) -> bool {
        self.role != Some(Role::Form) && self.accepts.is_empty() && self.already_digital.is_empty()
    }
}

pub struct Recogniser<'a> {
    cat: &'a Catalog,
    /// Folded names and aliases, longest first.
    patterns: Vec<(String, Target)>,
}

static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)((?:điểm\s+[a-zđ](?:\s*,\s*[a-zđ])*\s*,?\s*)?(?:khoản\s+\d+\s*,?\s*)?(?:điều\s+\d+[a-zđ]?)|(?:phụ\s+lục\s+[0-9IVXLC]+[a-z]?))")
        .expect("valid regex")
});
static FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(mẫu\s+(?:số\s+)?[0-9A-ZĐ][0-9A-Za-zĐđ./_-]*)").expect("valid regex")
});

/// Finds whole-word occurrences of `needle` in `hay` (both folded).
fn word_matches(hay: &str, needle: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let start = from + i;
        let end = start + needle.len();
        let before_ok = start == 0 || hay.as_bytes()[start - 1] == b' ';
        let after_ok = end == hay.len() || hay.as_bytes()[end] == b' ';
        if before_ok && after_ok {
            out.push(start);
        }
        from = start + 1;
        while !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    out
}

/// Whether folded `text` starts with folded `phrase` as whole words.
fn starts_with_words(text: &str, phrase: &str) -> bool {
    !phrase.is_empty()
        && text.starts_with(phrase)
        && (text.len() == phrase.len() || text.as_bytes()[phrase.len()] == b' ')
}

/// Drops list markers a line may start with: `-`, `+`, `*`, `(1)`, `a)`, `1.`.
pub fn strip_marker(folded: &str) -> &str {
    let mut t = folded;
    loop {
        let Some(first) = t.split(' ').next() else {
            return t;
        };
        let roman = matches!(
            first,
            "i" | "ii" | "iii" | "iv" | "v" | "vi" | "vii" | "viii" | "ix" | "x"
        );
        let is_marker = roman
            || (first.len() <= 2
                && (first.chars().all(|c| c.is_ascii_digit())
                    || (first.len() == 1 && first.chars().all(|c| c.is_ascii_lowercase()))));
        if is_marker && t.len() > first.len() {
            t = &t[first.len() + 1..];
        } else {
            return t;
        }
    }
}

impl<'a> Recogniser<'a> {
    pub fn new(cat: &'a Catalog) -> Self {
        let mut patterns = Vec::new();
        for (i, d) in cat.document_types.iter().enumerate() {
            for a in std::iter::once(&d.name).chain(&d.aliases) {
                patterns.push((fold(a), Target::Doc(i)));
            }
        }
        for (i, s) in cat.sources.iter().enumerate() {
            for a in std::iter::once(&s.name).chain(&s.aliases) {
                patterns.push((fold(a), Target::Source(i)));
            }
        }
        patterns.retain(|(p, _)| !p.is_empty());
        // Longest first; ties in catalogue order, so results are stable.
        patterns.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        patterns.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        Recogniser { cat, patterns }
    }

    /// Whether a line (recognised as `r`) is a note rather than a paper: it
    /// says nothing, starts like a note, or states a condition without
    /// naming a known paper.
    pub fn is_note(&self, text: &str, r: &Recognised) -> bool {
        let f = fold(text);
        let f = strip_marker(&f);
        let rec = &self.cat.recognition;
        if f.is_empty() || rec.note_starts.iter().any(|p| starts_with_words(f, p)) {
            return true;
        }
        rec.condition_starts.iter().any(|p| starts_with_words(f, p)) && r.is_unrecognised()
    }

    /// Skips copy words (`bản sao`, `bản chính hoặc`) at the start.
    fn strip_lead<'t>(&self, mut f: &'t str) -> &'t str {
        let lead = &self.cat.recognition.lead_words;
        while let Some(p) = lead.iter().find(|p| starts_with_words(f, p)) {
            f = f[p.len()..].trim_start();
        }
        f
    }

    /// Non-overlapping matches of names and aliases, in text order.
    fn matches(&self, folded: &str) -> Vec<(usize, usize, Target)> {
        let mut taken: Vec<(usize, usize, Target)> = Vec::new();
        for (p, t) in &self.patterns {
            for start in word_matches(folded, p) {
                let end = start + p.len();
                if taken.iter().all(|&(s, e, _)| end <= s || start >= e) {
                    taken.push((start, end, *t));
                }
            }
        }
        taken.sort_by_key(|&(s, _, _)| s);
        taken
    }

    pub fn recognise(&self, text: &str) -> Recognised {
        let (folded_all, at) = crate::text::fold_mapped(text);
        let folded = strip_marker(&folded_all);
        let skipped = folded_all.len() - folded.len();
        let rec = &self.cat.recognition;
        let matches = self.matches(folded);
        let mut r = Recognised::default();
        for &(s, e, t) in &matches {
            match t {
                Target::Doc(d) => {
                    if !r.accepts.contains(&d) {
                        r.accepts.push(d);
                    }
                    r.matched.push((
                        d,
                        Span {
                            start: at[skipped + s],
                            end: at[skipped + e - 1] + 1,
                        },
                    ));
                }
                Target::Source(s) if !r.already_digital.contains(&s) => r.already_digital.push(s),
                _ => {}
            }
        }
        // A form unless a longer paper name starts the line
        // (`Tờ khai hải quan` is a paper, `Tờ khai đăng ký` a form).
        let head = self.strip_lead(folded);
        let offset = folded.len() - head.len();
        let form_len = rec
            .form_starts
            .iter()
            .filter(|p| starts_with_words(head, p))
            .map(|p| p.len())
            .max();
        // A paper name covering the start of the head, possibly beginning
        // in the copy words (`Bản sao giấy khai sinh`).
        let doc_at_start = matches
            .iter()
            .find(|&&(s, e, t)| s <= offset && e > offset && matches!(t, Target::Doc(_)))
            .map(|&(_, e, _)| e - offset);
        if let Some(fl) = form_len {
            if doc_at_start.is_none_or(|dl| dl <= fl) {
                r.role = Some(Role::Form);
                r.accepts.clear();
                r.matched.clear();
                r.already_digital.clear();
            }
        }
        // Sources named only count when the text says their data is used,
        // and, on a line naming papers, only sources holding one of them
        // (a land certificate line may say identity data is looked up).
        let says_digital = rec
            .digital_phrases
            .iter()
            .any(|p| !word_matches(folded, p).is_empty());
        if !says_digital {
            r.already_digital.clear();
        }
        let served: Vec<DocIdx> = r
            .accepts
            .iter()
            .copied()
            .filter(|&d| self.cat.sources.iter().any(|s| s.documents.contains(&d)))
            .collect();
        if !served.is_empty() {
            let cat = self.cat;
            r.already_digital
                .retain(|&s| served.iter().any(|d| cat.sources[s].documents.contains(d)));
        }
        let says = |phrases: &[String]| phrases.iter().any(|p| !word_matches(folded, p).is_empty());
        if says(&rec.certified_copy_phrases) {
            r.copy_kind = Some(CopyKind::CertifiedCopy);
        } else if says(&rec.present_phrases) {
            r.copy_kind = Some(CopyKind::Present);
        }
        r.provisions = provisions_in(text);
        r
    }
}

/// Provisions cited in `text`: each document number with the article or
/// form mentioned just before it (`theo Mẫu số 01 ban hành kèm theo Thông
/// tư số 12/2025/TT-BCA`, `khoản 8 Điều 8 Nghị định số 99/2022/NĐ-CP`).
pub fn provisions_in(text: &str) -> Vec<Provision> {
    let mut out: Vec<Provision> = Vec::new();
    let mut prev_end = 0;
    for (start, end, number) in legal::number_spans(text) {
        let window = &text[prev_end..start];
        let provision = ARTICLE
            .find_iter(window)
            .last()
            .map(|m| crate::text::one_line(m.as_str()));
        let form = FORM.find_iter(window).last().map(|m| {
            crate::text::one_line(m.as_str())
                .trim_end_matches(['.', '-', '_'])
                .to_owned()
        });
        let p = Provision {
            document: number,
            provision: provision.map(|s| capitalise(&s)),
            form: form.map(|s| capitalise(&s)),
        };
        // A bare mention adds nothing to a cited article or form of the
        // same document, and gives way to one.
        let bare = |q: &Provision| q.provision.is_none() && q.form.is_none();
        let same_doc = |q: &Provision| q.document == p.document;
        if out.contains(&p) || (bare(&p) && out.iter().any(same_doc)) {
            prev_end = end;
            continue;
        }
        out.retain(|q| !(same_doc(q) && bare(q)));
        out.push(p);
        prev_end = end;
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provisions_pick_the_article_and_form_before_each_number() {
        let p = provisions_in(
            "Tờ khai theo Mẫu số 01 ban hành kèm theo Thông tư số 12/2025/TT-BCA (khoản 8 điều 8 Nghị định số 99/2022/NĐ-CP)",
        );
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].document, "12/2025/TT-BCA");
        assert_eq!(p[0].form.as_deref(), Some("Mẫu số 01"));
        assert_eq!(p[1].document, "99/2022/NĐ-CP");
        assert_eq!(p[1].provision.as_deref(), Some("Khoản 8 điều 8"));
    }

    fn reference() -> Catalog {
        crate::load_files(&crate::reference::files(), vec![])
            .catalog
            .expect("reference catalogue")
    }

    #[test]
    fn forms_papers_and_alternatives() {
        let cat = reference();
        let r = Recogniser::new(&cat);
        let ids = |t: &str| -> Vec<String> {
            r.recognise(t)
                .accepts
                .iter()
                .map(|&d| cat.document_types[d].id.clone())
                .collect()
        };
        assert_eq!(
            r.recognise("Tờ khai đăng ký khai sinh theo mẫu").role,
            Some(Role::Form)
        );
        assert_eq!(
            r.recognise("- Đơn đề nghị cấp giấy phép lái xe").role,
            Some(Role::Form)
        );
        assert_eq!(
            r.recognise("Bản sao giấy khai sinh hoặc trích lục khai sinh")
                .role,
            None
        );
        assert_eq!(
            ids("Bản sao giấy khai sinh hoặc trích lục khai sinh"),
            ["giay-khai-sinh"]
        );
        assert_eq!(
            ids("Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước"),
            ["ho-chieu", "can-cuoc-cong-dan", "the-can-cuoc"]
        );
        assert_eq!(
            ids("Giấy tờ chứng minh có địa điểm hợp pháp (Giấy chứng nhận quyền sử dụng đất)"),
            ["tai-lieu-chung-minh", "giay-chung-nhan-quyen-su-dung-dat"]
        );
        assert_eq!(
            ids("GIAY  CHUNG NHAN dang ky doanh nghiep"),
            ["giay-chung-nhan-dang-ky-doanh-nghiep"]
        );
        let d = r.recognise(
            "Trường hợp đã khai thác được thông tin từ Cơ sở dữ liệu quốc gia về dân cư thì không phải nộp",
        );
        assert_eq!(
            d.already_digital,
            [cat.source_by_id("csdl-dan-cu").unwrap()]
        );
        assert!(r.recognise("Bản vẽ thiết kế kỹ thuật").accepts.len() == 1);
        assert!(r.recognise("Sổ tay vận hành lò hơi").is_unrecognised());
    }

    #[test]
    fn markers_are_stripped() {
        assert_eq!(strip_marker("1 a to khai"), "to khai");
        assert_eq!(strip_marker("iii truong hop"), "truong hop");
        assert_eq!(strip_marker("to khai"), "to khai");
    }
}
