//! `tthc import portal`: National Public Service Portal records (JSON, one
//! procedure per file, HTML tables flattened to text) → procedure YAML.

use super::{component, find_agency, one_line, rel_path, Imported};
use crate::diag::{Code, Diagnostic, Location};
use crate::format::{
    ChannelKind, CopyKind, Level, Located, ProcedureFile, RawCase, RawChannel, RawComponent,
    RawLegalRef, RawQuantity, RawResult,
};
use crate::legal;
use crate::model::Catalog;
use crate::read::items::{self, Preamble};
use crate::recognise::Recogniser;
use crate::text::{self, fold};
use regex::Regex;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The fields of a portal record the importer reads; others are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Record {
    ma_thu_tuc: String,
    detail_url: String,
    ten_thu_tuc: String,
    so_quyet_dinh: String,
    cap_thuc_hien: String,
    linh_vuc: String,
    doi_tuong_thuc_hien: String,
    co_quan_thuc_hien: String,
    cach_thuc_thuc_hien: String,
    thanh_phan_ho_so: String,
    can_cu_phap_ly: String,
    ket_qua_xu_ly: String,
    yeu_cau_dieu_kien: String,
}

const DOSSIER_HEADER: &str = "Tên giấy tờMẫu đơn, tờ khaiSố lượng";
const CHANNEL_HEADER: &str = "Hình thức nộpThời gianPhí, lệ phíMô tả";
const LEGAL_HEADER: &str = "Tên văn bản pháp lýMã văn bản";

static QUANTITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d+) bản chính(?:\s*,\s*(\d+) bản sao)?").expect("valid regex"));
static ATTACHMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\S+(?: \(\d+\))?\.(?:docx|doc|pdf|xlsx|xls|rtf|odt|zip|rar)$")
        .expect("valid regex")
});
static CHANNEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"Trực tuyến|Trực tiếp|Dịch vụ bưu chính").expect("valid regex"));
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm)?")
        .expect("valid regex")
});
static RESULT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(.+?)Mã:\s*(KQ\.[A-Z0-9]+\.\d+)").expect("valid regex"));

/// A dossier line as flattened on the portal.
#[derive(Debug, PartialEq)]
pub struct Line {
    pub text: String,
    pub originals: u32,
    pub copies: u32,
    /// The attached form's file name, if the portal glued one to the text.
    pub attachment: Option<String>,
    /// The quantity phrase that closed the line, as written.
    pub quantity_text: String,
}

/// A group of lines: common ones (no label) or those of one case.
#[derive(Debug, PartialEq)]
pub struct Group {
    pub label: Option<String>,
    pub lines: Vec<Line>,
}

fn clean_label(s: &str) -> Option<String> {
    let t = s
        .trim()
        .trim_matches(|c: char| c == '*' || c == '-' || c == ':' || c.is_whitespace());
    (!fold(t).is_empty()).then(|| t.to_owned())
}

/// Splits the flattened dossier cell into groups and lines. Quantities
/// close each line; a quantity glued to a preceding number (`Mẫu số
/// 181 bản chính`, `01/01/20261 bản chính`) keeps only its last digit, the
/// rest going back to the text; two digits with a leading zero (`01`) are
/// a count.
pub fn parse_dossier(codes: legal::Codes, cell: &str) -> Vec<Group> {
    let segments: Vec<&str> = cell.split(DOSSIER_HEADER).collect();
    let mut groups = Vec::new();
    let mut label = segments.first().and_then(|s| clean_label(s));
    for seg in segments.iter().skip(1) {
        let mut lines = Vec::new();
        let mut cursor = 0;
        for m in QUANTITY.captures_iter(seg) {
            let whole = m.get(0).expect("match");
            let digits = m.get(1).expect("count").as_str();
            let (glued, count) =
                if digits.len() == 1 || (digits.len() == 2 && digits.starts_with('0')) {
                    ("", digits)
                } else {
                    digits.split_at(digits.len() - 1)
                };
            let mut text = format!("{}{}", &seg[cursor..whole.start()], glued);
            let mut attachment = None;
            if let Some(a) = ATTACHMENT.find(text.trim_end()) {
                let found = a.as_str().to_owned();
                // Keep what precedes the file name inside the token: up to a
                // closing parenthesis (`…/TT-BCA).1.Mau.doc`), a document
                // number (`…/NĐ-CP;Mauso25.docx`) or a semicolon.
                let keep = [
                    found.find(')').map(|i| i + 1),
                    codes.spans(&found).last().map(|n| n.1),
                    found.rfind(';').map(|i| i + 1),
                ]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(0);
                let start = a.start();
                attachment = Some(found[keep..].trim_start_matches(['.', ';']).to_owned());
                text = format!("{}{}", &text[..start], &found[..keep]);
            }
            let mut text = text.trim().to_owned();
            // A line starting with a list marker is a new line, even glued
            // (`…1 bản chính b) …`, `…1 bản chính .+ …`).
            let unglued = text.trim_start_matches(['.', ',', ';', ' ']);
            let tokens = text::tokens(unglued);
            let is_item = crate::read::structure::markers(unglued, &tokens)
                .first()
                .is_some_and(|m| m.first == 0);
            if is_item {
                text = unglued.to_owned();
            }
            // A line starting in lower case or with closing punctuation goes
            // on the sentence a quantity phrase inside it cut
            // (`…(01 bản chính` + `hoặc 01 bản sao…)`).
            let continues = !is_item
                && text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_lowercase() || matches!(c, ')' | ',' | ';' | '.'));
            match lines.last_mut() {
                Some(prev) if continues => {
                    let prev: &mut Line = prev;
                    // Appended in place: rejoining many fragments stays linear.
                    for part in [" ", &prev.quantity_text, " ", &text] {
                        prev.text.push_str(part);
                    }
                    if attachment.is_some() {
                        prev.attachment = attachment;
                    }
                    prev.originals = count.parse().unwrap_or(0);
                    prev.copies = m.get(2).and_then(|c| c.as_str().parse().ok()).unwrap_or(0);
                    prev.quantity_text = whole.as_str().to_owned();
                }
                _ => lines.push(Line {
                    text,
                    originals: count.parse().unwrap_or(0),
                    copies: m.get(2).and_then(|c| c.as_str().parse().ok()).unwrap_or(0),
                    attachment,
                    quantity_text: whole.as_str().to_owned(),
                }),
            }
            cursor = whole.end();
        }
        groups.push(Group {
            label: label.take(),
            lines,
        });
        label = clean_label(&seg[cursor..]);
    }
    groups
}

/// Legal documents of the legal-basis cell: (number, title). Entries are
/// glued as `TITLE NUMBER`, the title sometimes containing the number too.
pub fn parse_legal_basis(codes: legal::Codes, cell: &str) -> Vec<(String, String)> {
    let cell = cell.strip_prefix(LEGAL_HEADER).unwrap_or(cell);
    let spans = codes.spans(cell);
    let mut out: Vec<(String, String)> = Vec::new();
    let mut cursor = 0;
    let mut i = 0;
    while i < spans.len() {
        let (start, end, ref number) = spans[i];
        if start < cursor {
            i += 1;
            continue;
        }
        let title = &cell[cursor..start];
        if fold(title).is_empty() {
            // The code column of an entry whose title is missing.
            if !out.iter().any(|(n, _)| n == number) {
                out.push((number.clone(), String::new()));
            }
            cursor = end;
            i += 1;
            continue;
        }
        // `Thông tư 01/2010/TT-BTP01/2010/TT-BTP`: the number inside the
        // title, immediately followed by the code column.
        let (title_end, next_cursor, skip) = match spans.get(i + 1) {
            Some((s2, e2, n2)) if n2 == number && cell[end..*s2].trim().is_empty() => (end, *e2, 2),
            _ => (start, end, 1),
        };
        let title = trim_title(&one_line(&cell[cursor..title_end]));
        if !out.iter().any(|(n, _)| n == number) {
            out.push((number.clone(), title));
        }
        cursor = next_cursor;
        i += skip;
    }
    out
}

static TITLE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:luật|nghị định|nghị quyết|thông tư|quyết định|pháp lệnh)?\s*(?:số)?\s*$")
        .expect("valid regex")
});

/// Drops a dangling `Luật số` / `số` that belongs to the code column.
fn trim_title(t: &str) -> String {
    let trimmed = TITLE_TAIL.replace(t, "");
    if trimmed.is_empty() {
        t.to_owned()
    } else {
        trimmed.into_owned()
    }
}

fn channels(cell: &str) -> Vec<RawChannel> {
    let cell = cell.strip_prefix(CHANNEL_HEADER).unwrap_or(cell);
    let kinds: Vec<_> = CHANNEL.find_iter(cell).collect();
    let mut out = Vec::new();
    for (i, k) in kinds.iter().enumerate() {
        let end = kinds.get(i + 1).map(|n| n.start()).unwrap_or(cell.len());
        let body = &cell[k.end()..end];
        let kind = match k.as_str() {
            "Trực tuyến" => ChannelKind::Online,
            "Trực tiếp" => ChannelKind::InPerson,
            _ => ChannelKind::Post,
        };
        let (time, days, rest) = match TIME.captures(body) {
            Some(c) => {
                let n: f64 = c[1].replace(',', ".").parse().unwrap_or(0.0);
                let unit = c.get(2).map(|u| u.as_str()).unwrap_or("");
                let days = unit.starts_with("Ngày").then_some(n);
                let t = one_line(c.get(0).expect("match").as_str());
                (Some(t), days, &body[c.get(0).expect("match").end()..])
            }
            None => (None, None, body),
        };
        let fee = one_line(rest);
        out.push(RawChannel {
            kind,
            time,
            days: days.map(Located::new),
            fee: (!fee.is_empty() && fee != "Không có thông tin").then_some(fee),
        });
    }
    out
}

fn results(cell: &str) -> Vec<RawResult> {
    let cell = cell.split("Từ khóa").next().unwrap_or(cell);
    let mut out: Vec<RawResult> = RESULT
        .captures_iter(cell)
        .map(|c| RawResult {
            name: one_line(&c[1]),
            code: Some(Located::new(c[2].to_owned())),
            document_type: None,
        })
        .collect();
    let rest = one_line(RESULT.replace_all(cell, "").as_ref());
    if out.is_empty() && !rest.is_empty() && rest != "Không có thông tin" {
        out.push(RawResult {
            name: rest,
            code: None,
            document_type: None,
        });
    }
    out
}

fn levels(cell: &str) -> Vec<Level> {
    let f = fold(cell);
    let mut v = Vec::new();
    for (word, level) in [
        ("cap bo", Level::Bo),
        ("cap tinh", Level::Tinh),
        ("cap xa", Level::Xa),
    ] {
        if f.contains(word) {
            v.push(level);
        }
    }
    v
}

/// Splits a list of categories on commas outside parentheses; a piece in
/// lower case continues the previous category (`Cán bộ, công chức, viên chức`).
fn split_list(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in split_commas(cell) {
        match out.last_mut() {
            Some(prev) if piece.chars().next().is_some_and(char::is_lowercase) => {
                prev.push_str(", ");
                prev.push_str(&piece);
            }
            _ => out.push(piece),
        }
    }
    out
}

fn split_commas(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in cell.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth <= 0 => {
                if !cur.trim().is_empty() {
                    out.push(cur.trim().to_owned());
                }
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_owned());
    }
    out
}

/// Every `.json` file under the given paths, sorted, and what the walk
/// of their folders reported (see [`crate::load::walk`]).
fn json_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        if !p.is_dir() {
            out.push(p.clone());
            continue;
        }
        match crate::load::walk(p, |n| n.extension().is_some_and(|x| x == "json")) {
            Ok(w) => {
                out.extend(w.files.iter().map(|f| p.join(f)));
                problems.extend(w.problems);
            }
            Err(e) => problems.push(Diagnostic::new(
                Code::Io,
                Location::new(p.display().to_string(), 0, 0),
                format!("cannot read directory: {e}"),
            )),
        }
    }
    out.sort();
    (out, problems)
}

fn line_of(text: &str, needle: &str) -> (u32, u32) {
    text.find(needle)
        .map(|i| text::line_col(text, i))
        .unwrap_or((1, 1))
}

/// Imports portal records from files and directories, in parallel.
pub fn import(cat: &Catalog, paths: &[PathBuf]) -> Imported {
    use rayon::prelude::*;
    let mut out = Imported::default();
    let (files, problems) = json_files(paths);
    out.diagnostics.extend(problems);
    let rec = Recogniser::new(cat);
    let results: Vec<Result<Record1, Diagnostic>> = files
        .par_iter()
        .map(|path| import_one(cat, &rec, path, &path.display().to_string()))
        .collect();
    // Merged in input order, so the output does not depend on scheduling.
    let mut seen: std::collections::HashMap<String, String> = Default::default();
    for r in results {
        out.report.inputs += 1;
        match r {
            Err(d) => out.diagnostics.push(d),
            Ok(one) => {
                let code = one.procedure.code.value.clone();
                if let Some(first) = seen.get(&code) {
                    out.diagnostics.push(
                        Diagnostic::new(
                            Code::DuplicateCode,
                            one.code_at,
                            format!("procedure `{code}` was already imported"),
                        )
                        .hint(format!(
                            "first imported from {first}; give each record once"
                        )),
                    );
                    continue;
                }
                seen.insert(code, one.display);
                out.report.merge(one.report);
                out.files.insert(one.rel, one.procedure);
            }
        }
    }
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        out.diagnostics.push(
            Diagnostic::new(
                Code::EmptyFile,
                Location::new(shown.join(", "), 0, 0),
                "no portal records (`.json` files) found",
            )
            .hint("give portal record files, or folders holding them"),
        );
    }
    out.report.procedures = out.files.len();
    out
}

/// One record, imported.
struct Record1 {
    rel: PathBuf,
    procedure: ProcedureFile,
    report: super::Report,
    display: String,
    code_at: Location,
}

fn import_one(
    cat: &Catalog,
    rec: &Recogniser,
    path: &Path,
    display: &str,
) -> Result<Record1, Diagnostic> {
    let mut report = super::Report::default();
    let at = |l: u32, c: u32| Location::new(display, l, c);
    let text = crate::load::read_file(path, display)?;
    if text.trim().is_empty() {
        return Err(Diagnostic::new(Code::EmptyFile, at(1, 1), "file is empty")
            .hint("give a portal record (JSON object)"));
    }
    let r: Record = crate::values::from_json(&text).map_err(|e| {
        let msg = e.to_string();
        let msg = msg
            .rsplit_once(" at line ")
            .map_or(msg.as_str(), |(m, _)| m);
        Diagnostic::new(
            Code::InputSyntax,
            at(e.line() as u32, e.column() as u32),
            format!("malformed JSON: {msg}"),
        )
        .hint("give the JSON record as downloaded from the portal")
    })?;
    let (cl, cc) = line_of(&text, "\"ma_thu_tuc\"");
    let code = r.ma_thu_tuc.trim().to_owned();
    if !crate::validate::is_procedure_code(&code) {
        return Err(Diagnostic::new(
            Code::MalformedCode,
            at(cl, cc),
            format!("`ma_thu_tuc` is `{code}`, not a procedure code"),
        )
        .hint("the record needs its national code, e.g. `1.000894`"));
    }
    if r.ten_thu_tuc.trim().is_empty() {
        let (l, c) = line_of(&text, "\"ten_thu_tuc\"");
        return Err(Diagnostic::new(
            Code::Shape,
            at(l, c),
            format!("record `{code}` has no procedure name (`ten_thu_tuc`)"),
        )
        .hint("the record needs the procedure's name as published"));
    }
    // The ministry: the folder the record sits in, else the issuer of the
    // decision that published it (`516/QĐ-BTP`).
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let issuer = r
        .so_quyet_dinh
        .rsplit(['-', '/'])
        .next()
        .unwrap_or("")
        .to_owned();
    let agency = find_agency(cat, &folder)
        .or_else(|| find_agency(cat, &issuer))
        .ok_or_else(|| {
            Diagnostic::new(
                Code::UnknownReference,
                at(cl, cc),
                format!(
                    "cannot tell which agency owns `{code}` (folder `{folder}`, decision `{}`)",
                    r.so_quyet_dinh
                ),
            )
            .hint("put the record in a folder named after the agency, or add an alias to catalog/agencies.yaml")
        })?;
    let rel = rel_path(cat, agency, &code);
    let file = rel.display().to_string();

    let codes = cat.recognition.number_codes();
    let basis = parse_legal_basis(codes, &r.can_cu_phap_ly);
    let mut notes = Vec::new();
    let mut common: Vec<RawComponent> = Vec::new();
    let mut cases: Vec<RawCase> = Vec::new();
    for g in parse_dossier(codes, &r.thanh_phan_ho_so) {
        let mut comps = Vec::new();
        let mut line_cases: Vec<RawCase> = Vec::new();
        for l in g.lines {
            if l.text.is_empty() {
                continue;
            }
            if l.originals == 0 && l.copies == 0 {
                report.notes += 1;
                notes.push(one_line(&l.text));
                continue;
            }
            let mut quantity = Vec::new();
            if l.originals > 0 {
                quantity.push(RawQuantity {
                    count: l.originals,
                    kind: CopyKind::Original,
                });
            }
            if l.copies > 0 {
                quantity.push(RawQuantity {
                    count: l.copies,
                    kind: CopyKind::Copy,
                });
            }
            let split = items::split(rec, &l.text);
            let mut line_comps = Vec::new();
            let mut heading = None;
            let mut case = None;
            match split.preamble {
                Some(Preamble::Paper(p)) => {
                    let r = rec.recognise(&p);
                    line_comps.push(component(
                        cat,
                        &p,
                        r,
                        quantity.clone(),
                        vec![],
                        &file,
                        &mut report,
                    ));
                }
                Some(Preamble::Case(c)) => case = Some(c),
                Some(Preamble::Heading(h)) => heading = Some(h),
                None => {}
            }
            for it in split.items {
                if rec.is_note(&it.text, &it.recognised) {
                    report.notes += 1;
                    notes.push(one_line(&it.text));
                    continue;
                }
                let mut c = component(
                    cat,
                    &it.text,
                    it.recognised,
                    quantity.clone(),
                    vec![],
                    &file,
                    &mut report,
                );
                if let Some(h) = &heading {
                    c.notes.push(format!("Thuộc mục: {h}"));
                }
                line_comps.push(c);
            }
            if let (Some(a), Some(first)) = (l.attachment, line_comps.first_mut()) {
                first.notes.push(format!("Mẫu đính kèm trên Cổng: {a}"));
            }
            match case {
                Some(c) if !line_comps.is_empty() => line_cases.push(RawCase {
                    name: match &g.label {
                        Some(label) => format!("{} — {c}", one_line(label)),
                        None => c,
                    },
                    components: line_comps,
                }),
                _ => comps.extend(line_comps),
            }
        }
        match g.label {
            Some(name) if !comps.is_empty() => cases.push(RawCase {
                name: one_line(&name),
                components: comps,
            }),
            Some(name) => notes.push(one_line(&name)),
            None => common.extend(comps),
        }
        cases.extend(line_cases);
    }
    for c in &mut cases {
        super::case_cues(cat, c);
    }
    // Provisions must name a document the procedure lists; add the ones
    // cited only inside component texts.
    let mut legal_basis: Vec<RawLegalRef> = basis
        .into_iter()
        .map(|(n, t)| RawLegalRef {
            number: Located::new(n),
            title: (!t.is_empty()).then_some(t),
        })
        .collect();
    for c in common
        .iter()
        .chain(cases.iter().flat_map(|c| &c.components))
    {
        for p in &c.provisions {
            if !legal_basis
                .iter()
                .any(|l| l.number.value == p.document.value)
            {
                legal_basis.push(RawLegalRef {
                    number: p.document.clone(),
                    title: None,
                });
            }
        }
    }
    if !r.so_quyet_dinh.trim().is_empty() {
        notes.insert(0, format!("Quyết định công bố: {}", r.so_quyet_dinh.trim()));
    }
    let conditions = one_line(&r.yeu_cau_dieu_kien);
    if !conditions.is_empty()
        && !matches!(fold(&conditions).as_str(), "khong" | "khong co thong tin")
    {
        notes.push(format!("Yêu cầu, điều kiện: {conditions}"));
    }
    let name = one_line(&r.ten_thu_tuc);
    super::procedure_surrender(
        rec,
        &name,
        common
            .iter_mut()
            .chain(cases.iter_mut().flat_map(|c| c.components.iter_mut())),
    );
    let applicants = split_list(&r.doi_tuong_thuc_hien);
    let p = ProcedureFile {
        code: Located::new(code),
        cues: crate::read::cues::procedure(cat, &name, &applicants),
        name: Located::new(name),
        agency: Located::new(cat.agencies[agency].id.clone()),
        sector: Some(one_line(&r.linh_vuc)).filter(|s| !s.is_empty()),
        levels: levels(&r.cap_thuc_hien),
        applicants,
        handled_by: Some(one_line(&r.co_quan_thuc_hien)).filter(|s| !s.is_empty()),
        annual_volume: None,
        channels: channels(&r.cach_thuc_thuc_hien),
        legal_basis,
        results: results(&r.ket_qua_xu_ly),
        components: common,
        cases,
        notes,
        source: Some(r.detail_url.trim().to_owned()).filter(|s| !s.is_empty()),
    };
    Ok(Record1 {
        rel,
        procedure: p,
        report,
        display: display.to_owned(),
        code_at: at(cl, cc),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::reference::catalog as reference;

    fn parse_dossier(cell: &str) -> Vec<Group> {
        super::parse_dossier(reference().recognition.number_codes(), cell)
    }

    fn parse_legal_basis(cell: &str) -> Vec<(String, String)> {
        super::parse_legal_basis(reference().recognition.number_codes(), cell)
    }

    #[test]
    fn dossier_groups_quantities_and_glued_digits() {
        let cell = "* Trường hợp A:Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn theo Mẫu số 181 bản chínhBản sao giấy khai sinh0 bản chính, 1 bản sao* Trường hợp B:Tên giấy tờMẫu đơn, tờ khaiSố lượngGiấy tờ ngày 01/01/20261 bản chínhẢnh02 bản chính";
        let g = parse_dossier(cell);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].label.as_deref(), Some("Trường hợp A"));
        assert_eq!(g[0].lines[0].text, "Đơn theo Mẫu số 18");
        assert_eq!(g[0].lines[0].originals, 1);
        assert_eq!(g[0].lines[1].copies, 1);
        assert_eq!(g[1].label.as_deref(), Some("Trường hợp B"));
        assert_eq!(g[1].lines[0].text, "Giấy tờ ngày 01/01/2026");
        assert_eq!(g[1].lines[1].originals, 2);
    }

    #[test]
    fn continuation_fragments_rejoin_their_line() {
        let cell = "--Tên giấy tờMẫu đơn, tờ khaiSố lượngVăn bản ủy quyền (01 bản chínhhoặc 01 bản sao có chứng thực)1 bản chính";
        let g = parse_dossier(cell);
        assert_eq!(g[0].lines.len(), 1);
        assert_eq!(
            g[0].lines[0].text,
            "Văn bản ủy quyền ( 01 bản chính hoặc 01 bản sao có chứng thực)"
        );
        assert_eq!(g[0].lines[0].originals, 1);
    }

    #[test]
    fn attachment_names_are_split_off() {
        let cell = "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA).1.MuCT01banhnhkmtheoThngts53 (1).doc1 bản chính";
        let g = parse_dossier(cell);
        let l = &g[0].lines[0];
        assert_eq!(
            l.text,
            "Tờ khai (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA)"
        );
        assert_eq!(
            l.attachment.as_deref(),
            Some("1.MuCT01banhnhkmtheoThngts53 (1).doc")
        );
        assert_eq!(l.originals, 1);
    }

    #[test]
    fn attachments_keep_the_number_before_them_and_items_never_glue() {
        let cell = "--Tên giấy tờMẫu đơn, tờ khaiSố lượnga) Đơn theo Mẫu số 25 ban hành kèm theo Nghị định số 41/2026/NĐ-CP;Mauso25.docx1 bản chínhb) Sơ đồ mặt bằng vị trí ao nuôi.,1 bản chính .+ Đề án chuyển đổi1 bản chính";
        let g = parse_dossier(cell);
        let texts: Vec<&str> = g[0].lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "a) Đơn theo Mẫu số 25 ban hành kèm theo Nghị định số 41/2026/NĐ-CP;",
                "b) Sơ đồ mặt bằng vị trí ao nuôi.,",
                "+ Đề án chuyển đổi"
            ]
        );
        assert_eq!(g[0].lines[0].attachment.as_deref(), Some("Mauso25.docx"));
    }

    #[test]
    fn legal_basis_entries_are_separated() {
        let cell = "Tên văn bản pháp lýMã văn bảnThông tư 01/2010/TT-BTP01/2010/TT-BTPThông tư sửa đổi một số thủ tục30/2025/TT-BTPLuật 60/2014/QH1360/2014/QH13";
        let v = parse_legal_basis(cell);
        assert_eq!(
            v,
            vec![
                ("01/2010/TT-BTP".into(), "Thông tư 01/2010/TT-BTP".into()),
                (
                    "30/2025/TT-BTP".into(),
                    "Thông tư sửa đổi một số thủ tục".into()
                ),
                ("60/2014/QH13".into(), "Luật 60/2014/QH13".into()),
            ]
        );
    }

    #[test]
    fn titles_lose_a_dangling_number_prefix() {
        assert_eq!(
            trim_title("Luật Các tổ chức tín dụngLuật số"),
            "Luật Các tổ chức tín dụng"
        );
        assert_eq!(trim_title("Luật Hộ tịch"), "Luật Hộ tịch");
        assert_eq!(
            trim_title("Thông tư 01/2010/TT-BTP"),
            "Thông tư 01/2010/TT-BTP"
        );
    }

    #[test]
    fn channels_and_results() {
        let c = channels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việcMiễn phíTrực tiếp5 Ngày làm việcLệ phí 135.000 đồng");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].kind, ChannelKind::Online);
        assert_eq!(c[0].days.as_ref().map(|d| d.value), Some(5.0));
        assert_eq!(c[1].fee.as_deref(), Some("Lệ phí 135.000 đồng"));
        let r = results("Giấy chứng nhận kết hônMã: KQ.G15.000032Từ khóaKhông có thông tin");
        assert_eq!(r[0].name, "Giấy chứng nhận kết hôn");
        assert_eq!(r[0].code.as_ref().unwrap().value, "KQ.G15.000032");
    }

    #[test]
    fn applicants_split_outside_parentheses() {
        assert_eq!(
            split_list(
                "Công dân Việt Nam, Cán bộ, công chức, viên chức, Tổ chức (không bao gồm doanh nghiệp, HTX)"
            ),
            [
                "Công dân Việt Nam",
                "Cán bộ, công chức, viên chức",
                "Tổ chức (không bao gồm doanh nghiệp, HTX)"
            ]
        );
    }
}
