//! Phrasing: verdict reasons and reasoning chains, decided as typed values
//! in [`crate::analysis`], turned into Vietnamese sentences here and only
//! here, so scripts count `reason_code`s and the wording can change without
//! touching the solver.

use crate::analysis::{
    ComponentVerdict, Condition, ElementStep, Missing, ReasonCode, Route, Step, Verdict,
};
use crate::model::*;
use crate::readiness::Readiness;

fn names<T>(items: &[usize], f: impl Fn(usize) -> T) -> Vec<T> {
    items.iter().map(|&i| f(i)).collect()
}

fn doc_name(cat: &Catalog, d: DocIdx) -> &str {
    &cat.document_types[d].name
}

fn source_names(cat: &Catalog, ss: &[SourceIdx]) -> String {
    names(ss, |s| cat.sources[s].name.as_str()).join(", ")
}

/// The one sentence a reviewer reads for a verdict.
pub fn reason(cat: &Catalog, c: &Component, v: &ComponentVerdict) -> String {
    let via = || source_names(cat, &v.sources);
    let route_doc = || {
        v.route
            .as_ref()
            .map(|r| doc_name(cat, r.doc()))
            .unwrap_or("")
    };
    // Every alternative data replaces, for verdicts that name them all.
    let route_docs = || match &v.route {
        Some(Route::Whole { docs }) => docs
            .iter()
            .map(|(d, _)| doc_name(cat, *d))
            .collect::<Vec<_>>()
            .join(" / "),
        Some(Route::Elements { doc, .. }) => doc_name(cat, *doc).to_owned(),
        None => String::new(),
    };
    let missing = || {
        v.missing
            .iter()
            .map(|m| missing_text(cat, m))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match v.reason {
        ReasonCode::Form => {
            "Tờ khai, đơn đề nghị của chính thủ tục: không thay thế bằng dữ liệu.".into()
        }
        ReasonCode::AlreadyDigital => format!(
            "Thủ tục đã khai thác thông tin này từ {}.",
            source_names(cat, &c.already_digital)
        ),
        ReasonCode::Unrecognised => format!(
            "Chưa nhận diện được giấy tờ ({}); cần rà soát và bổ sung bí danh vào danh mục.",
            c.unrecognised.as_deref().unwrap_or("không rõ loại giấy tờ")
        ),
        ReasonCode::ReplacedByDocument => {
            format!("{}: thay thế bằng dữ liệu từ {}.", route_docs(), via())
        }
        ReasonCode::ReplacedByElements => {
            let elements = match &v.route {
                Some(Route::Elements { elements, .. }) => elements
                    .iter()
                    .map(|(e, _)| cat.elements[*e].name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => String::new(),
            };
            format!(
                "Mọi thông tin cần dùng của {} ({elements}) có trong {}.",
                route_docs(),
                via()
            )
        }
        ReasonCode::SomeProvinces => {
            let Some(Condition::Provinces {
                ready,
                not_ready,
                blocked,
            }) = &v.condition
            else {
                return String::new();
            };
            let why = if blocked.is_empty() {
                String::new()
            } else {
                let t = cat.settings.coverage_threshold.value;
                format!(
                    " ({})",
                    blocked
                        .iter()
                        .map(|(s, r)| format!("{} {}", cat.sources[*s].name, readiness_text(*r, t)))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            };
            format!(
                "{} chỉ thay thế được bằng dữ liệu từ {} tại {}/{} tỉnh, thành phố; chưa được tại {}{why}.",
                route_docs(),
                via(),
                ready.len(),
                ready.len() + not_ready.len(),
                province_list(cat, not_ready),
            )
        }
        ReasonCode::PilotOnly => {
            let pilots = match &v.condition {
                Some(Condition::Pilot { sources }) => source_names(cat, sources),
                _ => String::new(),
            };
            format!(
                "{} chỉ thay thế được nếu dùng nguồn đang thí điểm: {pilots}.",
                route_doc()
            )
        }
        ReasonCode::FromDate => {
            let date = match &v.condition {
                Some(Condition::From { date, .. }) => date.vi(),
                _ => String::new(),
            };
            format!(
                "{} thay thế được bằng dữ liệu từ {} kể từ ngày {date}.",
                route_doc(),
                via()
            )
        }
        ReasonCode::PartialElements => format!(
            "Dữ liệu đã có một phần thông tin của {} ({}); còn thiếu: {}.",
            v.partial_of.map(|d| doc_name(cat, d)).unwrap_or(""),
            names(&v.available, |e| cat.elements[e].name.as_str()).join(", "),
            missing()
        ),
        ReasonCode::SourceNotReady | ReasonCode::NoSource => {
            format!("Chưa thể thay thế bằng dữ liệu: {}.", missing())
        }
        ReasonCode::AllParts => format!(
            "Mọi giấy tờ thành phần yêu cầu ({}) đều thay thế được bằng dữ liệu từ {}.",
            (0..c.parts.len())
                .map(|i| format!("«{}»", part_words(cat, c, i)))
                .collect::<Vec<_>>()
                .join(", "),
            via()
        ),
        ReasonCode::SomeParts => {
            let (done, kept): (Vec<usize>, Vec<usize>) = (0..v.parts.len()).partition(|&i| {
                matches!(
                    v.parts[i].verdict,
                    Verdict::Replaceable | Verdict::Conditional
                )
            });
            let list = |is: &[usize]| {
                is.iter()
                    .map(|&i| format!("«{}»", part_words(cat, c, i)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if done.is_empty() {
                format!(
                    "Thành phần yêu cầu {} giấy tờ cùng nhau; dữ liệu mới có một phần thông tin, vẫn phải nộp: {}.",
                    v.parts.len(),
                    list(&kept)
                )
            } else {
                format!(
                    "Dữ liệu từ {} thay thế được {}; vẫn phải nộp: {}.",
                    via(),
                    list(&done),
                    list(&kept)
                )
            }
        }
        ReasonCode::NoPart => format!(
            "Thành phần yêu cầu {} giấy tờ cùng nhau; dữ liệu chưa thay thế được giấy tờ nào.",
            v.parts.len()
        ),
        ReasonCode::NotNamed => {
            "Giấy tờ này không thuộc loại nào mà dữ liệu thay thế được; vẫn phải nộp.".into()
        }
    }
}

/// The words that named each accepted document type, with the type
/// (`«Trích lục khai sinh» → Giấy khai sinh`).
pub fn matched(cat: &Catalog, c: &Component) -> Option<String> {
    (!c.matched.is_empty()).then(|| {
        c.matched
            .iter()
            .map(|m| {
                let words: String = c
                    .text
                    .chars()
                    .skip(m.span.start)
                    .take(m.span.end - m.span.start)
                    .collect();
                format!("«{words}» → {}", doc_name(cat, m.doc))
            })
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// The words of part `i` of `c` as written, shortened; the names of its
/// document types when its place is not known.
pub fn part_words(cat: &Catalog, c: &Component, i: usize) -> String {
    let p = &c.parts[i];
    match p.span {
        Some(s) => crate::text::shorten(
            &c.text
                .chars()
                .skip(s.start)
                .take(s.end - s.start)
                .collect::<String>(),
            70,
        ),
        None => names(&p.accepts, |d| doc_name(cat, d)).join(" / "),
    }
}

/// The reasoning chain, one line a step.
pub fn steps(cat: &Catalog, c: &Component, v: &ComponentVerdict) -> Vec<String> {
    v.steps
        .iter()
        .map(|step| match step {
            Step::Accepts => format!(
                "Thành phần chấp nhận một trong: {}.",
                names(&c.accepts, |d| doc_name(cat, d)).join(" | ")
            ),
            Step::Part(i) => format!(
                "Giấy tờ {}/{} «{}»: {}",
                i + 1,
                c.parts.len(),
                part_words(cat, c, *i),
                v.parts
                    .get(*i)
                    .map(|pv| {
                        let pc = c.part(*i);
                        let mut line =
                            format!("{} [{}]", reason(cat, &pc, pv), pv.verdict.as_str());
                        if pc.accepts.len() > 1 {
                            line = format!(
                                "một trong {} — {line}",
                                names(&pc.accepts, |d| doc_name(cat, d)).join(" | ")
                            );
                        }
                        line
                    })
                    .unwrap_or_default()
            ),
            Step::Source { doc, source } => source_line(cat, *source, *doc),
            Step::ElementsOf(d) => format!(
                "{}: mọi thông tin cần dùng có sẵn từ dữ liệu:",
                doc_name(cat, *d)
            ),
            Step::Element {
                element,
                depth,
                via,
            } => {
                let pad = "  ".repeat(*depth);
                let name = &cat.elements[*element].name;
                match via {
                    ElementStep::Source(s) => {
                        format!("{pad}{name} ← {}", source_line(cat, *s, None))
                    }
                    ElementStep::Derived(inputs) => format!(
                        "{pad}{name} ← suy ra từ {}",
                        names(inputs, |i| cat.elements[i].name.as_str()).join(" + ")
                    ),
                    ElementStep::Assumed => format!("{pad}{name} ← giả định sẵn có"),
                    ElementStep::Missing => format!("{pad}{name}: chưa có"),
                }
            }
            Step::Reason => reason(cat, c, v),
        })
        .collect()
}

/// Vietnamese description of a readiness.
pub fn readiness_text(r: Readiness, threshold: f64) -> String {
    match r {
        Readiness::Ready => "sẵn sàng".into(),
        Readiness::NotYet(d) => format!("chỉ được dùng từ ngày {}", d.vi()),
        Readiness::Pilot => "đang thí điểm".into(),
        Readiness::Planned(d) => format!("đang xây dựng, dự kiến sẵn sàng ngày {}", d.vi()),
        Readiness::LowCoverage(v) => format!(
            "mới số hóa {}% dữ liệu (ngưỡng {}%)",
            percent(v),
            percent(threshold)
        ),
    }
}

/// A share as a Vietnamese percentage without trailing zeros (`46,73`).
fn percent(v: f64) -> String {
    let s = format!("{:.2}", v * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

fn missing_text(cat: &Catalog, m: &Missing) -> String {
    let what = match (m.element, m.document) {
        (Some(e), _) => {
            let el = &cat.elements[e];
            let derivable: Vec<String> = el
                .derived_from
                .iter()
                .map(|alt| names(alt, |i| cat.elements[i].name.as_str()).join(" + "))
                .collect();
            if derivable.is_empty() {
                el.name.clone()
            } else {
                format!(
                    "{} (suy ra được từ {}, nhưng cũng chưa có)",
                    el.name,
                    derivable.join(" hoặc ")
                )
            }
        }
        (None, Some(d)) => doc_name(cat, d).to_owned(),
        (None, None) => String::new(),
    };
    if m.candidates.is_empty() {
        format!("{what} — chưa có nguồn dữ liệu nào cung cấp")
    } else {
        let t = cat.settings.coverage_threshold.value;
        format!(
            "{what} — {}",
            m.candidates
                .iter()
                .map(|(s, r)| format!("{} {}", cat.sources[*s].name, readiness_text(*r, t)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn province_list(cat: &Catalog, ps: &[ProvinceIdx]) -> String {
    let ns: Vec<&str> = ps
        .iter()
        .filter_map(|&p| cat.provinces.get(p).map(|x| x.name.as_str()))
        .collect();
    if ns.len() > 6 {
        format!(
            "{} và {} tỉnh, thành phố khác",
            ns[..6].join(", "),
            ns.len() - 6
        )
    } else {
        ns.join(", ")
    }
}

/// One line describing a source: status, dates, legal basis.
pub fn source_line(cat: &Catalog, s: SourceIdx, doc: Option<DocIdx>) -> String {
    let src = &cat.sources[s];
    let status = match src.status {
        SourceStatus::Operational => "đang vận hành",
        SourceStatus::Pilot => "thí điểm",
        SourceStatus::Planned => "kế hoạch",
    };
    let mut line = match doc {
        Some(d) => format!("{} ← {}", doc_name(cat, d), src.name),
        None => src.name.clone(),
    };
    line.push_str(&format!(" [{status}"));
    if let Some(d) = src.since {
        line.push_str(&format!(", từ {}", d.vi()));
    }
    line.push(']');
    if !src.legal_basis.is_empty() {
        let basis: Vec<String> = src.legal_basis.iter().map(provision_text).collect();
        line.push_str(&format!("; căn cứ: {}", basis.join("; ")));
    }
    line
}

/// `Khoản 2 Điều 4 Nghị quyết số 66.7/2025/NQ-CP`-style citation.
pub fn provision_text(p: &Provision) -> String {
    let mut parts = Vec::new();
    if let Some(x) = &p.provision {
        parts.push(x.clone());
    }
    if let Some(f) = &p.form {
        parts.push(f.clone());
    }
    parts.push(format!(
        "{} số {}",
        crate::legal::kind_label(&p.document),
        p.document
    ));
    parts.join(" ")
}
