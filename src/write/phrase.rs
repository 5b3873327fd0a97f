//! Phrasing: verdict reasons and reasoning chains, decided as typed values
//! in [`crate::analysis`], turned into Vietnamese sentences here and only
//! here, so scripts count `reason_code`s and the wording can change without
//! touching the solver.

use crate::analysis::{
    Bar, ComponentVerdict, Condition, ElementLine, ElementStep, Exclusion, Missing, Outcome,
    ReasonCode, Route, Step, Tally, Verdict,
};
use crate::date::Date;
use crate::model::*;
use crate::number;
use crate::readiness::Readiness;

fn names<T>(items: &[usize], f: impl Fn(usize) -> T) -> Vec<T> {
    items.iter().map(|&i| f(i)).collect()
}

fn doc_name(cat: &Catalog, d: DocIdx) -> &str {
    &cat.document_types[d].name
}

/// A document type's name, with whose paper it is when the type says: a
/// replacement through it rests on that.
fn doc_label(cat: &Catalog, d: DocIdx) -> String {
    let dt = &cat.document_types[d];
    if dt.holders.is_empty() {
        dt.name.clone()
    } else {
        format!("{} (của {})", dt.name, holders_text(&dt.holders))
    }
}

fn source_names(cat: &Catalog, ss: &[SourceIdx]) -> String {
    names(ss, |s| cat.sources[s].name.as_str()).join(", ")
}

/// Vietnamese name of a holder.
pub fn holder_text(h: Holder) -> &'static str {
    match h {
        Holder::VietnameseCitizen => "công dân Việt Nam",
        Holder::Foreigner => "người nước ngoài",
        Holder::VietnameseOrganisation => "tổ chức, doanh nghiệp Việt Nam",
        Holder::ForeignOrganisation => "tổ chức, doanh nghiệp nước ngoài",
    }
}

fn holders_text(hs: &[Holder]) -> String {
    hs.iter()
        .map(|&h| holder_text(h))
        .collect::<Vec<_>>()
        .join(" hoặc ")
}

/// Vietnamese description of a kind of paper data never replaces.
pub fn kind_text(k: PaperKind) -> &'static str {
    match k {
        PaperKind::Photo => "ảnh chụp nộp kèm hồ sơ",
        PaperKind::Specimen => "mẫu vật, mẫu chữ ký, mẫu nhãn",
        PaperKind::Drawing => "bản vẽ, bản đồ, sơ đồ",
        PaperKind::Contract => "hợp đồng giữa các bên",
        PaperKind::Report => "báo cáo, thuyết minh, đề án do người nộp lập",
        PaperKind::Minutes => "biên bản",
    }
}

/// A span of time as written (`6 tháng`).
pub fn duration_text(d: Duration) -> String {
    let unit = match d.unit {
        DurationUnit::Day => "ngày",
        DurationUnit::Month => "tháng",
        DurationUnit::Year => "năm",
    };
    format!("{} {unit}", d.count)
}

/// A date as the catalogue holds it: decided, or its own assumption.
fn planned_date(date: Date, basis: DueBasis) -> String {
    match basis {
        DueBasis::Decided => format!("ngày {}", date.vi()),
        DueBasis::Assumed => format!("ngày {} (dự kiến, giả định của danh mục)", date.vi()),
    }
}

/// Words of the text, quoted, when there are any.
fn quoted(words: &str) -> String {
    if words.is_empty() {
        String::new()
    } else {
        format!(" (“{}”)", crate::text::shorten(words, 80))
    }
}

/// Why an accepted document cannot stand for a component. `named`:
/// whether to name the document type (a component accepting several);
/// else the sentence quotes the component's own words.
fn bar_text(cat: &Catalog, d: DocIdx, b: &Bar, named: bool) -> String {
    let name = if named {
        doc_name(cat, d)
    } else {
        "giấy tờ"
    };
    match b {
        Bar::Kind(k) => format!(
            "{} — dữ liệu không thay thế loại giấy tờ này",
            kind_text(*k)
        ),
        Bar::IssuedAbroad { words } => format!(
            "{name} do nước ngoài cấp{} — cơ sở dữ liệu của Việt Nam không lưu",
            quoted(words)
        ),
        Bar::Surrender { words } => format!(
            "bản gốc {name} đã cấp phải nộp lại để thu hồi, chỉnh lý hoặc xác nhận{} — dữ liệu không thay thế việc nộp lại",
            quoted(words)
        ),
        Bar::Physical { words } => format!(
            "bản gốc {name} phải xuất trình vì cơ quan kiểm tra chính tờ giấy{} — dữ liệu không thay thế việc xem bản gốc",
            quoted(words)
        ),
        Bar::Fallback { words } => format!(
            "{name} chỉ phải nộp khi không khai thác được dữ liệu{} — giấy tờ là phương án dự phòng khi thiếu dữ liệu, dữ liệu không thay thế nó",
            quoted(words)
        ),
        Bar::HolderUnstated { others, applicants } => {
            let name = doc_name(cat, d);
            let whose = if others.is_empty() {
                "không nói rõ của ai".to_owned()
            } else {
                format!("có thể là của {}", holders_text(others))
            };
            let who = if applicants.is_empty() {
                "thủ tục không ghi đối tượng thực hiện".to_owned()
            } else {
                format!("đối tượng thực hiện: {}", applicants.join(", "))
            };
            let issued_to = holders_text(&cat.document_types[d].holders);
            format!(
                "{name} ở đây {whose} ({who}); {name} trong danh mục chỉ cấp cho {issued_to}, nên chỉ thay bằng dữ liệu khi thành phần hồ sơ nói rõ là của {issued_to}"
            )
        }
        Bar::Holder { holders, words } => {
            let name = doc_name(cat, d);
            format!(
                "{name} ở đây là của {}{}, còn {name} trong danh mục chỉ cấp cho {} — không phải cùng một giấy tờ",
                holders_text(holders),
                quoted(words),
                holders_text(&cat.document_types[d].holders)
            )
        }
    }
}

/// Why a source may not replace a document for a component.
fn exclusion_text(cat: &Catalog, d: DocIdx, s: SourceIdx, why: &Exclusion) -> String {
    let src = &cat.sources[s];
    let name = doc_name(cat, d);
    match why {
        Exclusion::Holder { holders, words } => format!(
            "{} chỉ lưu giấy tờ của {}; {name} ở đây là của {}{}",
            src.name,
            holders_text(&src.holds),
            holders_text(holders),
            quoted(words)
        ),
        Exclusion::Freshness { within, words } => format!(
            "thành phần yêu cầu {name} cấp không quá {}{}; {} không công bố dữ liệu đáp ứng được yêu cầu về thời hạn",
            duration_text(*within),
            quoted(words),
            src.name
        ),
        Exclusion::OtherLand { words, from } => format!(
            "{} giai đoạn đầu chỉ thay thế {name} đối với đất ở, thành phần nêu loại đất khác{}; {}",
            src.name,
            quoted(words),
            match from {
                Some((date, basis)) => format!(
                    "loại đất khác được thay thế từ {}",
                    planned_date(*date, *basis)
                ),
                None => "chưa có kế hoạch cho loại đất khác".into(),
            }
        ),
    }
}

/// A condition a replacement holds under, as a clause.
fn condition_text(cat: &Catalog, cond: &Condition) -> String {
    let t = cat.settings.coverage_threshold.value;
    match cond {
        Condition::Provinces {
            ready, not_ready, ..
        } => format!(
            "chỉ tại {}/{} tỉnh, thành phố; chưa được tại {}",
            number::int(ready.len()),
            number::int(ready.len() + not_ready.len()),
            province_list(cat, not_ready)
        ),
        Condition::Pilot { sources } => format!(
            "chỉ khi dùng nguồn đang thí điểm: {}",
            source_names(cat, sources)
        ),
        Condition::From {
            date,
            assumed,
            sources,
        } => format!(
            "chỉ từ {} ({})",
            planned_date(*date, basis_of(*assumed)),
            source_names(cat, sources)
        ),
        Condition::ResidentialLand { sources } => format!(
            "chỉ đối với đất ở: {} giai đoạn đầu chỉ áp dụng cho đất ở, còn thành phần không nêu rõ là đất ở",
            source_names(cat, sources),
        ),
        Condition::UnnamedProvince { sources, lowest } => format!(
            "chưa chắc tại mọi tỉnh, thành phố: theo số liệu của {}, có một tỉnh (không nêu tên) mới số hóa {}% dữ liệu (ngưỡng {}%)",
            source_names(cat, sources),
            number::share(*lowest),
            number::share(t)
        ),
    }
}

fn basis_of(assumed: bool) -> DueBasis {
    if assumed {
        DueBasis::Assumed
    } else {
        DueBasis::Decided
    }
}

/// The legal basis of the sources a replacement goes through: each
/// source's first provision.
fn basis(cat: &Catalog, ss: &[SourceIdx]) -> String {
    let mut out: Vec<String> = Vec::new();
    for &s in ss {
        if let Some(p) = cat.sources[s].legal_basis.first() {
            let t = provision_text(p);
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    if out.is_empty() {
        String::new()
    } else {
        format!(" (căn cứ {})", out.join("; "))
    }
}

/// The one sentence an official reads for a verdict: one function per
/// [`ReasonCode`], written for the people who decide, not for the tool's
/// maintainers; then the further conditions, and the sources a cue blocked.
pub fn reason(cat: &Catalog, c: &Component, v: &ComponentVerdict) -> String {
    let mut s = match v.reason {
        ReasonCode::Form => form(),
        ReasonCode::AlreadyDigital => already_digital(cat, c),
        ReasonCode::Unrecognised => unrecognised(),
        ReasonCode::ReplacedByDocument => replaced_by_document(cat, v),
        ReasonCode::ReplacedByElements => replaced_by_elements(cat, v),
        ReasonCode::SomeProvinces => some_provinces(cat, v),
        ReasonCode::PilotOnly => pilot_only(cat, v),
        ReasonCode::FromDate | ReasonCode::FromAssumedDate => from_date(cat, v),
        ReasonCode::ResidentialLandOnly | ReasonCode::UnnamedProvinceCoverage => {
            conditioned(cat, v)
        }
        ReasonCode::PartialElements => partial_elements(cat, v),
        ReasonCode::SourceNotReady => source_not_ready(cat, v),
        ReasonCode::NoSource => no_source(cat, v),
        ReasonCode::AllParts => all_parts(cat, c, v),
        ReasonCode::SomeParts => some_parts(cat, c, v),
        ReasonCode::NoPart => no_part(v),
        ReasonCode::NotNamed => not_named(),
        ReasonCode::HolderNotHeld | ReasonCode::NotFresh | ReasonCode::NonResidentialLand
            if !v.blocked.is_empty() =>
        {
            blocked(cat, v)
        }
        ReasonCode::KindNotReplaced
        | ReasonCode::IssuedAbroad
        | ReasonCode::SurrenderOriginal
        | ReasonCode::PhysicalOriginal
        | ReasonCode::DataFallback
        | ReasonCode::HolderNotHeld
        | ReasonCode::HolderUnstated
        | ReasonCode::NotFresh
        | ReasonCode::NonResidentialLand => barred(cat, c, v),
    };
    for cond in &v.caveats {
        s.push_str(&format!(" Lưu ý: {}.", condition_text(cat, cond)));
    }
    if !v.blocked.is_empty()
        && (v.verdict != Verdict::Keep || v.reason == ReasonCode::FromAssumedDate)
    {
        let lead = if v.verdict != Verdict::Replaceable {
            "Lý do"
        } else {
            "Ngoài ra"
        };
        s.push_str(&format!(" {lead}: {}.", blocked_text(cat, v)));
    }
    s
}

fn form() -> String {
    "Tờ khai, đơn của chính thủ tục: người nộp vẫn kê khai; dữ liệu không thay thế tờ khai.".into()
}

fn already_digital(cat: &Catalog, c: &Component) -> String {
    format!(
        "Cơ quan giải quyết đã khai thác thông tin này từ {}; người nộp không phải nộp giấy tờ này.",
        source_names(cat, &c.already_digital)
    )
}

fn unrecognised() -> String {
    "Chưa nhận diện được giấy tờ này trong danh sách loại giấy tờ đối chiếu với dữ liệu; cần cán bộ rà soát xác định là giấy tờ gì và có cơ sở dữ liệu nào cung cấp.".into()
}

/// Every alternative data replaces, for verdicts that name them all.
fn route_docs(cat: &Catalog, v: &ComponentVerdict) -> String {
    match &v.route {
        Some(r) => r
            .docs()
            .into_iter()
            .map(|d| doc_label(cat, d))
            .collect::<Vec<_>>()
            .join(" / "),
        None => String::new(),
    }
}

/// The first alternative data replaces.
fn route_doc(cat: &Catalog, v: &ComponentVerdict) -> String {
    v.route
        .as_ref()
        .map(|r| doc_label(cat, r.doc()))
        .unwrap_or_default()
}

fn replaced_by_document(cat: &Catalog, v: &ComponentVerdict) -> String {
    format!(
        "{} đã có trong {}{}: cơ quan giải quyết tra cứu, người nộp không phải nộp giấy tờ.",
        route_docs(cat, v),
        source_names(cat, &v.sources),
        basis(cat, &v.sources)
    )
}

fn replaced_by_elements(cat: &Catalog, v: &ComponentVerdict) -> String {
    let elements = match &v.route {
        Some(Route::Elements { elements, .. }) => elements
            .iter()
            .map(|(e, _)| cat.elements[*e].name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    };
    format!(
        "Mọi thông tin cần dùng của {} ({elements}) đã có trong {}{}: cơ quan giải quyết tra cứu, người nộp không phải nộp giấy tờ.",
        route_docs(cat, v),
        source_names(cat, &v.sources),
        basis(cat, &v.sources)
    )
}

fn some_provinces(cat: &Catalog, v: &ComponentVerdict) -> String {
    let Some(Condition::Provinces {
        ready,
        not_ready,
        blocked,
    }) = v.condition.as_deref()
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
        "{} tra cứu được từ {} tại {}/{} tỉnh, thành phố; chưa được tại {}{why}.",
        route_docs(cat, v),
        source_names(cat, &v.sources),
        number::int(ready.len()),
        number::int(ready.len() + not_ready.len()),
        province_list(cat, not_ready),
    )
}

fn pilot_only(cat: &Catalog, v: &ComponentVerdict) -> String {
    let pilots = match v.condition.as_deref() {
        Some(Condition::Pilot { sources }) => source_names(cat, sources),
        _ => String::new(),
    };
    format!(
        "{} chỉ thay thế được khi dùng nguồn dữ liệu đang thí điểm: {pilots}.",
        route_doc(cat, v)
    )
}

fn from_date(cat: &Catalog, v: &ComponentVerdict) -> String {
    let when = match v.condition.as_deref() {
        Some(Condition::From {
            date,
            assumed: false,
            ..
        }) => format!("kể từ ngày {}", date.vi()),
        Some(Condition::From {
            date,
            assumed: true,
            ..
        }) => {
            return format!(
                "Chưa đề xuất cắt giảm, vẫn phải nộp giấy tờ: {} chỉ thay thế được bằng dữ liệu từ {}, dự kiến (giả định) từ ngày {}; ngày này là giả định của danh mục, chưa có quyết định.",
                route_doc(cat, v),
                source_names(cat, &v.sources),
                date.vi()
            )
        }
        _ => String::new(),
    };
    format!(
        "{} thay thế được bằng dữ liệu từ {} {when}; đến ngày đó vẫn phải nộp giấy tờ.",
        route_doc(cat, v),
        source_names(cat, &v.sources)
    )
}

/// A replacement that holds only under a caveat of its sources (land
/// phase, a province below the threshold that the report does not name).
fn conditioned(cat: &Catalog, v: &ComponentVerdict) -> String {
    match v.condition.as_deref() {
        Some(cond) => format!(
            "{} đã có trong {}{}, nhưng {}.",
            route_docs(cat, v),
            source_names(cat, &v.sources),
            basis(cat, &v.sources),
            condition_text(cat, cond)
        ),
        None => String::new(),
    }
}

/// A keep because a cue blocked the sources that would replace it.
fn blocked(cat: &Catalog, v: &ComponentVerdict) -> String {
    format!("Vẫn yêu cầu nộp giấy tờ: {}.", blocked_text(cat, v))
}

fn blocked_text(cat: &Catalog, v: &ComponentVerdict) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (d, src, why) in &v.blocked {
        let t = exclusion_text(cat, *d, *src, why);
        if !parts.contains(&t) {
            parts.push(t);
        }
    }
    parts.join("; ")
}

/// A keep because the paper heading the component cannot stand for it:
/// named as written.
fn barred(cat: &Catalog, c: &Component, v: &ComponentVerdict) -> String {
    let named = c.accepts.len() > 1;
    let bars: Vec<String> = v
        .barred
        .iter()
        .map(|(d, b)| bar_text(cat, *d, b, named))
        .collect();
    let mut s = format!(
        "“{}”: {}.",
        crate::text::shorten(&c.text, 80),
        bars.join("; ")
    );
    if !v.missing.is_empty() {
        s.push_str(&format!(" Các giấy tờ khác: {}.", missing_list(cat, v)));
    }
    s
}

fn partial_elements(cat: &Catalog, v: &ComponentVerdict) -> String {
    format!(
        "Dữ liệu mới có một phần thông tin của {} ({}); còn thiếu: {}.",
        v.partial_of.map(|d| doc_name(cat, d)).unwrap_or(""),
        names(&v.available, |e| cat.elements[e].name.as_str()).join(", "),
        missing_list(cat, v)
    )
}

fn source_not_ready(cat: &Catalog, v: &ComponentVerdict) -> String {
    format!(
        "Chưa thay thế được: nguồn dữ liệu chưa sẵn sàng — {}.",
        missing_list(cat, v)
    )
}

fn no_source(cat: &Catalog, v: &ComponentVerdict) -> String {
    let what: Vec<String> = v.missing.iter().map(|m| missing_what(cat, m)).collect();
    format!(
        "Vẫn yêu cầu nộp giấy tờ: chưa có nguồn dữ liệu nào cung cấp {}.",
        what.join(", ")
    )
}

fn missing_list(cat: &Catalog, v: &ComponentVerdict) -> String {
    v.missing
        .iter()
        .map(|m| missing_text(cat, m))
        .collect::<Vec<_>>()
        .join("; ")
}

fn all_parts(cat: &Catalog, c: &Component, v: &ComponentVerdict) -> String {
    format!(
        "Mọi giấy tờ thành phần yêu cầu ({}) đều thay thế được bằng dữ liệu từ {}.",
        (0..c.parts.len())
            .map(|i| format!("«{}»", part_words(cat, c, i)))
            .collect::<Vec<_>>()
            .join(", "),
        source_names(cat, &v.sources)
    )
}

fn some_parts(cat: &Catalog, c: &Component, v: &ComponentVerdict) -> String {
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
            number::int(v.parts.len()),
            list(&kept)
        )
    } else {
        format!(
            "Dữ liệu từ {} thay thế được {}; vẫn phải nộp: {}.",
            source_names(cat, &v.sources),
            list(&done),
            list(&kept)
        )
    }
}

fn no_part(v: &ComponentVerdict) -> String {
    format!(
        "Thành phần yêu cầu {} giấy tờ cùng nhau; dữ liệu chưa thay thế được giấy tờ nào.",
        number::int(v.parts.len())
    )
}

fn not_named() -> String {
    "Giấy tờ này không thuộc loại nào mà dữ liệu thay thế được; vẫn phải nộp.".into()
}

/// The Vietnamese label of an outcome, as figures and badges show it.
pub fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::Replaceable => "thay thế được",
        Outcome::Conditional => "thay thế có điều kiện",
        Outcome::Partial => "thay thế một phần",
        Outcome::AlreadyDigital => "đã khai thác dữ liệu",
        Outcome::Form => "tờ khai, đơn",
        Outcome::Unrecognised => "chưa nhận diện — cần rà soát",
        Outcome::NoSource => "chưa có nguồn dữ liệu",
    }
}

/// What a procedure's dossier comes to, in one sentence: the papers by
/// outcome, and whether only forms and data remain.
pub fn dossier_summary(t: &Tally, data_only: bool) -> String {
    if t.total() == 0 {
        return "Hồ sơ không có thành phần nào được công bố.".into();
    }
    let papers = t.evidence();
    let mut parts: Vec<String> = Vec::new();
    for o in Outcome::ALL {
        let n = t.get(o);
        if n > 0 && o != Outcome::Form {
            parts.push(format!("{} {}", number::int(n), outcome_label(o)));
        }
    }
    let mut s = if papers == 0 {
        format!(
            "Hồ sơ chỉ gồm {} tờ khai, đơn; không có giấy tờ nào để thay bằng dữ liệu",
            number::int(t.form)
        )
    } else {
        format!(
            "{} giấy tờ (ngoài {} tờ khai, đơn): {}",
            number::int(papers),
            number::int(t.form),
            parts.join(", ")
        )
    };
    if data_only {
        s.push_str(
            "; mọi giấy tờ đều thay được hoặc đã khai thác từ dữ liệu: hồ sơ chỉ còn tờ khai, đơn",
        );
    }
    s.push('.');
    s
}

/// Why a procedure shows no paper: its published record lists none.
pub fn empty_dossier(notes: usize) -> String {
    let mut s = "Bản công bố của thủ tục không liệt kê thành phần hồ sơ nào, nên không có giấy tờ để đánh giá".to_owned();
    if notes > 0 {
        s.push_str("; các ghi chú kèm theo bản công bố được nêu dưới đây, cần cán bộ đối chiếu");
    }
    s.push('.');
    s
}

/// The plan's proposed action for a cut (Phương án), as a resolution's
/// annex writes it.
pub fn plan_action(cat: &Catalog, c: &Component, v: &ComponentVerdict) -> String {
    if !c.already_digital.is_empty() {
        return format!(
            "Bỏ yêu cầu nộp; tiếp tục khai thác từ {}",
            source_names(cat, &c.already_digital)
        );
    }
    match v.condition.as_deref() {
        Some(Condition::Provinces { ready, .. }) => format!(
            "Bỏ yêu cầu nộp tại {} tỉnh, thành phố đã sẵn sàng; khai thác từ {}",
            number::int(ready.len()),
            source_names(cat, &v.sources)
        ),
        Some(Condition::Pilot { sources }) => format!(
            "Bỏ yêu cầu nộp khi nguồn thí điểm được đưa vào vận hành; khai thác từ {}",
            source_names(cat, sources)
        ),
        Some(Condition::From { date, assumed, .. }) => format!(
            "Bỏ yêu cầu nộp từ {}; khai thác từ {}",
            planned_date(*date, basis_of(*assumed)),
            source_names(cat, &v.sources)
        ),
        Some(Condition::ResidentialLand { .. }) => format!(
            "Bỏ yêu cầu nộp đối với đất ở; khai thác từ {}",
            source_names(cat, &v.sources)
        ),
        Some(Condition::UnnamedProvince { lowest, .. }) => format!(
            "Bỏ yêu cầu nộp tại các tỉnh, thành phố đã số hóa đủ dữ liệu (có tỉnh mới đạt {}%); khai thác từ {}",
            number::share(*lowest),
            source_names(cat, &v.sources)
        ),
        None => format!(
            "Bỏ yêu cầu nộp; khai thác từ {}",
            source_names(cat, &v.sources)
        ),
    }
}

/// The words that named each accepted document type, each with the type
/// they name unless they are its very name (`«Trích lục khai sinh» → Giấy
/// khai sinh`, `«Thẻ căn cước»`), in text order.
pub fn matched_words(cat: &Catalog, c: &Component) -> Vec<String> {
    let text = crate::text::CharIndex::new(&c.text);
    c.matched
        .iter()
        .map(|m| {
            words_naming(
                text.slice(m.span.start, m.span.end).unwrap_or(""),
                doc_name(cat, m.doc),
            )
        })
        .collect()
}

/// Words of a dossier line quoted, with the name of what they name unless
/// they are that name.
pub fn words_naming(words: &str, name: &str) -> String {
    if crate::text::fold(words) == crate::text::fold(name) {
        format!("«{words}»")
    } else {
        format!("«{words}» → {name}")
    }
}

/// [`matched_words`] in one line, when recognition matched any.
pub fn matched(cat: &Catalog, c: &Component) -> Option<String> {
    (!c.matched.is_empty()).then(|| matched_words(cat, c).join("; "))
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
            Step::Barred(i) => {
                let (doc, bar) = &v.barred[*i];
                format!(
                    "{}: {}.",
                    doc_name(cat, *doc),
                    bar_text(cat, *doc, bar, true)
                )
            }
            Step::Blocked(i) => {
                let (doc, source, why) = &v.blocked[*i];
                format!(
                    "{} ← {}: không dùng được, vì {}.",
                    doc_name(cat, *doc),
                    cat.sources[*source].name,
                    exclusion_text(cat, *doc, *source, why)
                )
            }
            Step::Source(s) => source_line(cat, s.source, s.doc),
            Step::ElementsOf(d) => format!(
                "{}: mọi thông tin cần dùng có sẵn từ dữ liệu:",
                doc_name(cat, *d)
            ),
            Step::Element(line) => {
                let ElementLine {
                    element,
                    depth,
                    via,
                } = &**line;
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
            // The review reason is said once a page; the chain keeps the
            // importer's own note.
            Step::Reason => match (&v.reason, &c.unrecognised) {
                (ReasonCode::Unrecognised, Some(note)) => format!("Ghi chú khi nhập: {note}"),
                _ => reason(cat, c, v),
            },
        })
        .collect()
}

/// Vietnamese description of a readiness.
pub fn readiness_text(r: Readiness, threshold: f64) -> String {
    match r {
        Readiness::Ready => "sẵn sàng".into(),
        Readiness::NotYet(d) => format!("chỉ được dùng từ ngày {}", d.vi()),
        Readiness::Pilot => "đang thí điểm".into(),
        Readiness::Planned(d, basis) => {
            format!("đang xây dựng, dự kiến sẵn sàng {}", planned_date(d, basis))
        }
        Readiness::LowCoverage(v) => format!(
            "mới số hóa {}% dữ liệu (ngưỡng {}%)",
            number::share(v),
            number::share(threshold)
        ),
    }
}

/// What is missing: an element (and what it could be derived from), or a
/// whole document.
fn missing_what(cat: &Catalog, m: &Missing) -> String {
    match (m.element, m.document) {
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
    }
}

fn missing_text(cat: &Catalog, m: &Missing) -> String {
    let what = missing_what(cat, m);
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
        parts.push(x.to_string());
    }
    if let Some(f) = &p.form {
        parts.push(f.to_string());
    }
    parts.push(format!(
        "{} số {}",
        crate::legal::kind_label(&p.document),
        p.document
    ));
    parts.join(" ")
}

/// Vietnamese label of a review state.
pub fn review_label(r: crate::analysis::ReviewState) -> &'static str {
    match r {
        crate::analysis::ReviewState::Accepted => "đồng ý cắt giảm",
        crate::analysis::ReviewState::Rejected => "không đồng ý",
        crate::analysis::ReviewState::Pending => "cần xem xét thêm",
        crate::analysis::ReviewState::Stale => "cần rà soát lại (thành phần đã sửa)",
    }
}
