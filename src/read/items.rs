//! A dossier line that lists several papers (`a) … b) …`, `(i) … (ii) …`,
//! `- … - …`) becomes one component per paper. What precedes the first
//! item is a paper of its own (`Tờ trình … kèm theo: a) …`), the case the
//! items apply to (`Đối với tổ chức nước ngoài: (i) …`), or a heading kept
//! as a note on each item (`Bản sao các giấy tờ sau: a) …`). A list stays
//! whole when its items are not papers (the contents of a paper: `Danh
//! sách có các nội dung: a) Họ và tên …`) or when the line says they are
//! alternatives (`một trong các giấy tờ sau`).

use crate::read::lexicon::Cue;
use crate::read::recognise::{Recognised, Recogniser};
use crate::read::structure;
use crate::text;

/// What the words before a line's first item are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Preamble {
    /// A paper of its own, kept as a component.
    Paper(String),
    /// The case the items apply to.
    Case(String),
    /// A heading, kept as a note on each item.
    Heading(String),
}

/// One item of a line, with its reading.
#[derive(Clone, Debug)]
pub struct Item {
    pub text: String,
    pub recognised: Recognised,
}

/// A line split into its items.
#[derive(Clone, Debug)]
pub struct Items {
    pub preamble: Option<Preamble>,
    pub items: Vec<Item>,
}

/// Deepest list nesting split (`a) … - … + …`).
const MAX_DEPTH: usize = 3;

fn trim_item(s: &str) -> &str {
    s.trim()
        .trim_end_matches([';', ',', ' ', '\t', '\n'])
        .trim_end()
}

/// Splits `line` into its items, recursively; a line that is one paper
/// comes back as one item.
pub fn split(rec: &Recogniser, line: &str) -> Items {
    split_at(rec, line, 0)
}

fn whole(rec: &Recogniser, line: &str) -> Items {
    let text = trim_item(line).to_owned();
    Items {
        preamble: None,
        items: vec![Item {
            recognised: rec.recognise(&text),
            text,
        }],
    }
}

fn split_at(rec: &Recogniser, line: &str, depth: usize) -> Items {
    let tokens = text::tokens(line);
    let markers = structure::markers(line, &tokens);
    let own = markers.first().filter(|m| m.first == 0).copied();
    let Some(level) = markers.iter().find(|m| m.first > 0).map(|m| m.style) else {
        return whole(rec, line);
    };
    if depth >= MAX_DEPTH {
        return whole(rec, line);
    }
    let byte_of = |t: usize| match &tokens[t] {
        text::Token::Word(w) => w.start,
        text::Token::Punct { start, .. } => *start,
    };
    let mut cuts: Vec<usize> = markers
        .iter()
        .filter(|m| m.first > 0 && m.style.same_level(level))
        .map(|m| byte_of(m.first))
        .collect();
    let starts_item = own.is_some_and(|m| m.style.same_level(level));
    let head = if starts_item {
        cuts.insert(0, 0);
        None
    } else {
        Some(trim_item(&line[..cuts[0]]).to_owned()).filter(|h| !h.is_empty())
    };
    cuts.push(line.len());
    let pieces: Vec<&str> = cuts
        .windows(2)
        .map(|w| trim_item(&line[w[0]..w[1]]))
        .filter(|p| !p.is_empty())
        .collect();
    let head_reading = head.as_deref().map(|h| rec.recognise(h));
    if head_reading.as_ref().is_some_and(|r| r.one_of) {
        return whole(rec, line);
    }
    let mut items: Vec<(String, Items)> = pieces
        .iter()
        .map(|p| ((*p).to_owned(), split_at(rec, p, depth + 1)))
        .collect();
    let is_paper = |i: &Items| {
        i.items
            .iter()
            .any(|it| !it.recognised.parts.is_empty() || it.recognised.role.is_some())
    };
    let papers = items.iter().filter(|(_, i)| is_paper(i)).count();
    if papers < 2 || papers * 2 <= items.len() {
        return whole(rec, line);
    }
    let preamble = head.zip(head_reading).map(|(h, r)| preamble_of(rec, h, &r));
    // Nested lists: their own preambles become notes of their items, their
    // own cases stay in the items' text.
    let mut out = Vec::new();
    for (text, sub) in items.drain(..) {
        match sub.preamble {
            None => out.extend(sub.items),
            Some(Preamble::Paper(p)) => {
                out.push(Item {
                    recognised: rec.recognise(&p),
                    text: p,
                });
                out.extend(sub.items);
            }
            Some(Preamble::Case(_) | Preamble::Heading(_)) => {
                // Keep the nested list whole under its heading: the
                // heading says what its items are for.
                out.push(Item {
                    recognised: rec.recognise(&text),
                    text,
                });
            }
        }
    }
    Items {
        preamble,
        items: out,
    }
}

fn preamble_of(rec: &Recogniser, head: String, r: &Recognised) -> Preamble {
    let scan = rec.scan(&head);
    let condition = scan
        .hits
        .first()
        .is_some_and(|h| h.first <= 1 && h.is(Cue::ConditionStart) && !h.is(Cue::PaperHead));
    if condition {
        return Preamble::Case(trim_heading(&head));
    }
    let specific = r.role.is_some()
        || r.parts.iter().any(|p| {
            p.alts.iter().any(|n| match n.alt {
                structure::Alt::Doc(d) => !rec.catalog().document_types[d].generic,
                structure::Alt::Form => true,
                structure::Alt::Unknown => false,
            })
        });
    if specific && r.starts_with_paper {
        Preamble::Paper(head)
    } else {
        Preamble::Heading(trim_heading(&head))
    }
}

fn trim_heading(h: &str) -> String {
    text::one_line(h.trim_end_matches([':', ' ', ';', ',']))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::reference::catalog as reference;

    fn texts(i: &Items) -> Vec<&str> {
        i.items.iter().map(|i| i.text.as_str()).collect()
    }

    #[test]
    fn lettered_papers_become_items() {
        let cat = reference();
        let rec = Recogniser::new(&cat);
        let i = split(
            &rec,
            "Hồ sơ gồm: a) Bản sao Giấy chứng nhận đăng ký doanh nghiệp; b) Điều lệ công ty; c) Danh sách thành viên",
        );
        assert_eq!(
            texts(&i),
            [
                "a) Bản sao Giấy chứng nhận đăng ký doanh nghiệp",
                "b) Điều lệ công ty",
                "c) Danh sách thành viên"
            ]
        );
        assert_eq!(i.preamble, Some(Preamble::Heading("Hồ sơ gồm".into())));
        // Glued without separators, the letters in sequence still split.
        let i = split(&rec, "b) Điều lệ công ty c) Danh sách thành viên");
        assert_eq!(texts(&i), ["b) Điều lệ công ty", "c) Danh sách thành viên"]);
    }

    #[test]
    fn conditions_alternatives_and_contents_stay_as_they_should() {
        let cat = reference();
        let rec = Recogniser::new(&cat);
        let i = split(
            &rec,
            "Đối với tổ chức nước ngoài: (i) Quyết định thành lập; (ii) Điều lệ tổ chức",
        );
        assert_eq!(
            texts(&i),
            ["(i) Quyết định thành lập", "(ii) Điều lệ tổ chức"]
        );
        assert_eq!(
            i.preamble,
            Some(Preamble::Case("Đối với tổ chức nước ngoài".into()))
        );
        let one_of = "Một trong các giấy tờ sau: + Giấy chứng nhận đăng ký doanh nghiệp; + Quyết định thành lập";
        assert_eq!(texts(&split(&rec, one_of)), [one_of]);
        let contents = "Danh sách thành viên, có các nội dung sau: a) Họ và tên; b) Ngày tháng năm sinh; c) Quốc tịch";
        assert_eq!(texts(&split(&rec, contents)), [contents]);
    }
}
