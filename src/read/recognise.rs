//! Recognising what a dossier line is, shared by both importers: the
//! application form itself, a note, the papers it asks for — each required
//! part with its alternatives, every accepted document type with the words
//! that named it — or information the procedure already takes from a
//! database; and the provisions it cites. Driven by the catalogue's names,
//! aliases and recognition phrases (data, not code), found by the
//! [`lexicon`](crate::read::lexicon) and put together by the
//! [`structure`](crate::read::structure) reader.

use crate::format::{CopyKind, Role};
use crate::legal;
use crate::model::{Catalog, DocIdx, Provision, SourceIdx, Span};
use crate::read::lexicon::{self, Cue, Hit, Lexicon, Meaning};
use crate::read::structure::{self, Alt, Aside, ReadPart};
use crate::text::{self, Token};
use regex::Regex;
use std::sync::LazyLock;

/// What one dossier line was recognised as.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recognised {
    pub role: Option<Role>,
    /// The papers asked for: every part is required, any alternative of a
    /// part satisfies it.
    pub parts: Vec<ReadPart>,
    /// Papers named but not asked for (mentions, exceptions, substitutes).
    pub asides: Vec<Aside>,
    /// Sources the text says the information is taken from.
    pub already_digital: Vec<SourceIdx>,
    pub provisions: Vec<Provision>,
    /// The copy kind the text asks for, if it says.
    pub copy_kind: Option<CopyKind>,
    /// Whether the line starts with a paper (after markers and copy words).
    pub starts_with_paper: bool,
    /// Whether the line says its papers are alternatives (`một trong`).
    pub one_of: bool,
}

impl Recognised {
    /// Every accepted document type, in order of first appearance.
    pub fn accepts(&self) -> Vec<DocIdx> {
        let mut out = Vec::new();
        for d in self.parts.iter().flat_map(ReadPart::docs) {
            if !out.contains(&d) {
                out.push(d);
            }
        }
        out
    }

    /// No longer offers the document types `docs` (named only to describe
    /// another paper); a part left with no alternative goes.
    pub fn drop_docs(&mut self, docs: &[DocIdx]) {
        if docs.is_empty() {
            return;
        }
        for p in &mut self.parts {
            p.alts
                .retain(|n| !matches!(n.alt, Alt::Doc(d) if docs.contains(&d)));
        }
        self.parts.retain(|p| !p.alts.is_empty());
    }

    /// The words that named each accepted document type, in text order.
    pub fn matched(&self) -> Vec<(DocIdx, Span)> {
        let mut out: Vec<(DocIdx, Span)> = self
            .parts
            .iter()
            .flat_map(|p| &p.alts)
            .filter_map(|n| match n.alt {
                Alt::Doc(d) => Some((d, n.span)),
                _ => None,
            })
            .collect();
        out.sort_by_key(|&(d, s)| (s, d));
        out.dedup();
        out
    }

    /// An evidence line that names no known paper and no source.
    pub fn is_unrecognised(&self) -> bool {
        self.role != Some(Role::Form)
            && self.accepts().is_empty()
            && self.already_digital.is_empty()
    }
}

pub struct Recogniser<'a> {
    cat: &'a Catalog,
    lexicon: Lexicon,
}

static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)((?:điểm\s+[a-zđ](?:\s*,\s*[a-zđ])*\s*,?\s*)?(?:khoản\s+\d+\s*,?\s*)?(?:điều\s+\d+[a-zđ]?)|(?:phụ\s+lục\s+[0-9IVXLC]+[a-z]?))")
        .expect("valid regex")
});
static FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(mẫu\s+(?:số\s+)?[0-9A-ZĐ][0-9A-Za-zĐđ./_-]*)").expect("valid regex")
});

/// Drops list markers a folded line may start with: `-`, `+`, `*`, `(1)`,
/// `a)`, `1.`, `iii`.
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

/// A line read once: its tokens, every place a pattern holds, and the
/// hits chosen (longest first, not overlapping).
pub struct Scan {
    pub tokens: Vec<Token>,
    pub all: Vec<Hit>,
    pub hits: Vec<Hit>,
}

impl Scan {
    /// Whether a phrase with `cue` occurs anywhere, even inside a longer
    /// name.
    pub fn says(&self, cue: Cue) -> bool {
        self.all.iter().any(|h| h.is(cue))
    }

    /// The first chosen hit after list markers and, if `lead`, copy words
    /// and connectors.
    fn first_hit(&self, text: &str, lead: bool) -> Option<&Hit> {
        let markers = structure::markers(text, &self.tokens);
        let mut t = 0;
        for m in &markers {
            if m.first == t {
                t = m.last + 1;
            }
        }
        let start = t;
        for h in self.hits.iter().filter(|h| h.first >= start) {
            // Counts (`01`) between copy words are skipped too.
            let gap_is_count = self.tokens[t..h.first].iter().all(|tok| {
                tok.word()
                    .is_none_or(|w| w.key.chars().all(|c| c.is_ascii_digit()))
            });
            if !gap_is_count {
                return None;
            }
            let skip =
                lead && h.doc().is_none() && (h.is(Cue::Lead) || h.is(Cue::Or) || h.is(Cue::And));
            if !skip {
                return Some(h);
            }
            t = h.last + 1;
        }
        None
    }
}

impl<'a> Recogniser<'a> {
    pub fn new(cat: &'a Catalog) -> Self {
        Recogniser {
            cat,
            lexicon: Lexicon::new(cat),
        }
    }

    pub fn catalog(&self) -> &'a Catalog {
        self.cat
    }

    pub fn scan(&self, text: &str) -> Scan {
        let tokens = text::tokens(text);
        let all = self.lexicon.scan(&tokens);
        let hits = lexicon::select(all.clone());
        Scan { tokens, all, hits }
    }

    /// Whether a line (recognised as `r`) is a note rather than a paper: it
    /// says nothing, starts like a note, or states a condition without
    /// naming a known paper.
    pub fn is_note(&self, text: &str, r: &Recognised) -> bool {
        let scan = self.scan(text);
        if !scan.tokens.iter().any(|t| t.word().is_some()) {
            return true;
        }
        let first = scan.first_hit(text, false);
        if first.is_some_and(|h| h.is(Cue::NoteStart)) {
            return true;
        }
        // A case stated with no paper of its own is a note, even when it
        // says the data is used (`+ Khi các loại giấy tờ … đã được tích hợp
        // trong Cơ sở dữ liệu … thì Bộ … khai thác`): no paper to judge.
        first.is_some_and(|h| h.is(Cue::ConditionStart))
            && r.role != Some(Role::Form)
            && r.accepts().is_empty()
    }

    pub fn recognise(&self, text: &str) -> Recognised {
        let scan = self.scan(text);
        let reading = structure::read(self.cat, text, &scan.tokens, &scan.hits);
        let mut r = Recognised {
            parts: reading.parts,
            asides: reading.asides,
            starts_with_paper: reading.starts_with_paper,
            one_of: reading.one_of,
            ..Recognised::default()
        };
        // The form itself, unless a paper's name starts the line
        // (`Tờ khai hải quan` is a paper, `Tờ khai đăng ký` the form).
        if scan
            .first_hit(text, true)
            .is_some_and(|h| h.is(Cue::FormStart) && h.doc().is_none())
        {
            r.role = Some(Role::Form);
            r.parts.clear();
            r.asides.clear();
        }
        // Sources named only count when the text says their data is used,
        // and, on a line naming papers, only sources holding one of them
        // (a land certificate line may say identity data is looked up).
        if r.role.is_none() && scan.says(Cue::Digital) {
            for h in &scan.all {
                for m in &h.meanings {
                    if let Meaning::Source(s) = m {
                        if !r.already_digital.contains(s) {
                            r.already_digital.push(*s);
                        }
                    }
                }
            }
            let served: Vec<DocIdx> = r
                .accepts()
                .into_iter()
                .filter(|&d| self.cat.sources.iter().any(|s| s.documents.contains(&d)))
                .collect();
            if !served.is_empty() {
                let cat = self.cat;
                r.already_digital
                    .retain(|&s| served.iter().any(|d| cat.sources[s].documents.contains(d)));
            }
        }
        if scan.says(Cue::CertifiedCopy) {
            r.copy_kind = Some(CopyKind::CertifiedCopy);
        } else if scan.says(Cue::Present) {
            r.copy_kind = Some(CopyKind::Present);
        }
        r.provisions = provisions_in(self.cat.recognition.number_codes(), text);
        r
    }
}

/// Provisions cited in `text`: each document number with the article or
/// form mentioned just before it (`theo Mẫu số 01 ban hành kèm theo Thông
/// tư số 12/2025/TT-BCA`, `khoản 8 Điều 8 Nghị định số 99/2022/NĐ-CP`).
pub fn provisions_in(codes: legal::Codes, text: &str) -> Vec<Provision> {
    let mut out: Vec<Provision> = Vec::new();
    let mut prev_end = 0;
    for (start, end, number) in codes.spans(text) {
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
            document: number.into(),
            provision: provision.map(|s| capitalise(&s).into()),
            form: form.map(|s| capitalise(&s).into()),
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
        let cat = reference();
        let p = provisions_in(
            cat.recognition.number_codes(),
            "Tờ khai theo Mẫu số 01 ban hành kèm theo Thông tư số 12/2025/TT-BCA (khoản 8 điều 8 Nghị định số 99/2022/NĐ-CP)",
        );
        assert_eq!(p.len(), 2);
        assert_eq!(&*p[0].document, "12/2025/TT-BCA");
        assert_eq!(p[0].form.as_deref(), Some("Mẫu số 01"));
        assert_eq!(&*p[1].document, "99/2022/NĐ-CP");
        assert_eq!(p[1].provision.as_deref(), Some("Khoản 8 điều 8"));
    }

    use crate::reference::catalog as reference;

    /// The parts a line asks for, as document ids (`?` for a paper no type
    /// names, `form` for a form).
    fn parts(r: &Recogniser, cat: &Catalog, t: &str) -> Vec<Vec<String>> {
        r.recognise(t)
            .parts
            .iter()
            .map(|p| {
                p.alts
                    .iter()
                    .map(|n| match n.alt {
                        Alt::Doc(d) => cat.document_types[d].id.clone(),
                        Alt::Unknown => "?".into(),
                        Alt::Form => "form".into(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn forms_papers_and_alternatives() {
        let cat = reference();
        let r = Recogniser::new(&cat);
        let ids = |t: &str| -> Vec<String> {
            r.recognise(t)
                .accepts()
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
        // A general head followed by a specific paper accepts the paper.
        assert_eq!(
            ids("Giấy tờ chứng minh có địa điểm hợp pháp (Giấy chứng nhận quyền sử dụng đất)"),
            ["giay-chung-nhan-quyen-su-dung-dat"]
        );
        // Proof of a lawful home (ownership, a lease) is what residence is
        // registered on, not residence information.
        assert!(!ids("Giấy tờ chứng minh chỗ ở hợp pháp").contains(&"xac-nhan-cu-tru".to_owned()));
        // A high-technology enterprise's certificate is its own paper.
        assert_eq!(
            ids("Giấy chứng nhận doanh nghiệp công nghệ cao"),
            ["giay-chung-nhan-doanh-nghiep-cong-nghe-cao"]
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
        // A case stated with no paper of its own is a note, even when it
        // says the data is used.
        let t = "+ Khi các loại giấy tờ về lai lịch của công dân đã được tích hợp trong Cơ sở dữ liệu quốc gia về dân cư thì Bộ có trách nhiệm khai thác";
        let note = r.recognise(t);
        assert!(!note.already_digital.is_empty());
        assert!(r.is_note(t, &note));
        assert!(r.recognise("Bản vẽ thiết kế kỹ thuật").accepts().len() == 1);
        assert!(r.recognise("Sổ tay vận hành lò hơi").is_unrecognised());
    }

    #[test]
    fn required_parts_alternatives_and_mentions() {
        let cat = reference();
        let r = Recogniser::new(&cat);
        let p = |t: &str| parts(&r, &cat, t);
        // `;` and `và` join required parts; `hoặc` alternatives.
        assert_eq!(
            p("Bản sao thẻ căn cước hoặc hộ chiếu; Phiếu lý lịch tư pháp"),
            [
                vec!["the-can-cuoc", "ho-chieu"],
                vec!["phieu-ly-lich-tu-phap"]
            ]
        );
        assert_eq!(
            p("Giấy chứng nhận đăng ký doanh nghiệp và Hợp đồng đại lý với công ty cung ứng tàu biển"),
            [vec!["giay-chung-nhan-dang-ky-doanh-nghiep"], vec!["hop-dong"]]
        );
        // A paper no type names is still a required part.
        assert_eq!(
            p("Bản thông tin cá nhân, Phiếu lý lịch tư pháp được cấp không quá 06 tháng"),
            [vec!["?"], vec!["phieu-ly-lich-tu-phap"]]
        );
        // A separator not followed by a paper continues the phrase.
        assert_eq!(
            p("Bản sao giấy khai sinh do cơ quan Việt Nam hoặc nước ngoài cấp"),
            [vec!["giay-khai-sinh"]]
        );
        // Copy words on either side of `hoặc` are not papers.
        assert_eq!(
            p("Bản chính hoặc bản sao có chứng thực Giấy khai sinh"),
            [vec!["giay-khai-sinh"]]
        );
        // Mentions: a decision about a licence, a list recording numbers.
        assert_eq!(
            p("Quyết định thu hồi Giấy phép lái xe"),
            [vec!["quyet-dinh-co-tham-quyen"]]
        );
        assert_eq!(
            p("Danh sách người điều khiển phương tiện (gồm: Họ và tên; số căn cước công dân hoặc số hộ chiếu)"),
            [vec!["danh-sach"]]
        );
        // `số A hoặc B`: the number of either paper, not paper B.
        assert!(r
            .recognise("(i) Tên pháp nhân; số Giấy phép thành lập hoặc Giấy chứng nhận đăng ký doanh nghiệp")
            .accepts()
            .is_empty());
        // Commas take the meaning of the connector in their clause.
        assert_eq!(
            p("Hộ chiếu, thẻ căn cước công dân hoặc thẻ căn cước"),
            [vec!["ho-chieu", "can-cuoc-cong-dan", "the-can-cuoc"]]
        );
        // Unless the item after the comma brings copy words of its own:
        // a second paper.
        assert_eq!(
            p("Văn bản ủy quyền, bản sao thẻ căn cước công dân hoặc thẻ căn cước"),
            [
                vec!["van-ban-uy-quyen"],
                vec!["can-cuoc-cong-dan", "the-can-cuoc"]
            ]
        );
        assert_eq!(
            p("Bản sao hộ chiếu, bản sao thẻ căn cước công dân hoặc thẻ căn cước"),
            [vec!["ho-chieu", "can-cuoc-cong-dan", "the-can-cuoc"]]
        );
    }

    #[test]
    fn exceptions_substitutes_and_one_of() {
        let cat = reference();
        let r = Recogniser::new(&cat);
        let p = |t: &str| parts(&r, &cat, t);
        assert_eq!(
            p("Giấy tờ tùy thân trừ căn cước công dân, thẻ căn cước"),
            [vec!["giay-to-tuy-than"]]
        );
        // What is asked only instead of another paper is never accepted.
        assert_eq!(
            p("Bản sao giấy khai sinh; trường hợp không có giấy khai sinh thì nộp giấy tờ khác chứng minh"),
            [vec!["giay-khai-sinh"]]
        );
        assert_eq!(
            p("Một trong các giấy tờ sau: Giấy chứng nhận đăng ký doanh nghiệp; Quyết định thành lập; Giấy phép hoạt động"),
            [vec!["giay-chung-nhan-dang-ky-doanh-nghiep", "quyet-dinh-thanh-lap", "giay-phep-chuyen-nganh"]]
        );
    }

    #[test]
    fn additions_to_a_list_of_alternatives_are_required_with_it() {
        let cat = reference();
        let r = Recogniser::new(&cat);
        let p = |t: &str| parts(&r, &cat, t);
        // An item saying it comes on top of one of the listed papers is a
        // second required part, not one more alternative.
        let line = "Một trong các giấy tờ sau: + Giấy chứng nhận quyền sử dụng đất; \
                    + Quyết định giao đất. + Trường hợp chủ đầu tư thuê đất, thì ngoài một trong các \
                    giấy tờ nêu trên, người đề nghị bổ sung hợp đồng thuê đất. + Giấy tờ khác";
        assert_eq!(
            p(line),
            [
                vec![
                    "giay-chung-nhan-quyen-su-dung-dat",
                    "quyet-dinh-co-tham-quyen",
                    "?"
                ],
                vec!["hop-dong"]
            ]
        );
        // The part of the list starts with the words that head it.
        let read = r.recognise(line);
        assert_eq!(read.parts[0].span.start, 0);
        // Without the addition, the contract is one more alternative.
        assert_eq!(
            p("Một trong các giấy tờ sau: + Giấy chứng nhận quyền sử dụng đất; + Hợp đồng thuê đất"),
            [vec!["giay-chung-nhan-quyen-su-dung-dat", "hop-dong"]]
        );
    }

    #[test]
    fn a_case_in_a_new_sentence_asks_for_a_paper_of_its_own() {
        let cat = reference();
        let r = Recogniser::new(&cat);
        let p = |t: &str| parts(&r, &cat, t);
        // `hoặc` between copy words does not make the contract an
        // alternative of the registration, nor does a general head of the
        // first sentence take the second sentence's list.
        assert_eq!(
            p("Giấy chứng nhận đăng ký xe ô tô hoặc giấy hẹn nhận giấy chứng nhận đăng ký xe ô tô. \
               Trường hợp phương tiện không thuộc quyền sở hữu phải xuất trình thêm bản sao hoặc \
               bản sao điện tử từ sổ gốc một trong các giấy tờ sau: Hợp đồng thuê phương tiện"),
            [vec!["giay-chung-nhan-dang-ky-xe", "?"], vec!["hop-dong"]]
        );
        assert_eq!(
            p(
                "Giấy chứng nhận đăng ký xe ô tô. Trường hợp phương tiện không thuộc quyền sở hữu \
               phải xuất trình thêm hợp đồng thuê phương tiện"
            ),
            [vec!["giay-chung-nhan-dang-ky-xe"], vec!["hop-dong"]]
        );
    }

    #[test]
    fn a_part_no_data_replaces_never_absorbs_one_data_can() {
        let cat = reference();
        let r = Recogniser::new(&cat);
        let p = |t: &str| parts(&r, &cat, t);
        // Two decisions are two papers: the land certificate stays offered.
        assert_eq!(
            p("Giấy chứng nhận quyền sử dụng đất hoặc Quyết định giao đất; Quyết định cho phép chuyển mục đích sử dụng đất"),
            [
                vec!["giay-chung-nhan-quyen-su-dung-dat", "quyet-dinh-co-tham-quyen"],
                vec!["quyet-dinh-co-tham-quyen"]
            ]
        );
        // The same served paper is one paper: `A hoặc B; A` needs A.
        assert_eq!(
            p("Bản sao thẻ căn cước hoặc hộ chiếu; bản sao thẻ căn cước"),
            [vec!["the-can-cuoc"]]
        );
    }

    #[test]
    fn matched_words_keep_their_place() {
        let cat = reference();
        let r = Recogniser::new(&cat);
        let t = "Bản sao Giấy khai sinh hoặc Trích lục khai sinh";
        let m = r.recognise(t).matched();
        let words: Vec<String> = m
            .iter()
            .map(|(_, s)| t.chars().skip(s.start).take(s.end - s.start).collect())
            .collect();
        assert_eq!(words, ["Giấy khai sinh", "Trích lục khai sinh"]);
    }

    #[test]
    fn markers_are_stripped() {
        assert_eq!(strip_marker("1 a to khai"), "to khai");
        assert_eq!(strip_marker("iii truong hop"), "truong hop");
        assert_eq!(strip_marker("to khai"), "to khai");
    }
}
