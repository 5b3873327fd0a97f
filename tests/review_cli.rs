//! A whole review round through the real binary: export the workbook, fill
//! decisions in as a reviewer would (read with calamine, written back with
//! rust_xlsxwriter), import, analyse, lists, edit a component's text, see
//! the decision go stale, and diff name it. Broken workbooks get located
//! errors and write nothing. The workbook reads back with an independent
//! reader (calamine; LibreOffice where installed) with its drop-down and
//! locked columns.

mod common;
use calamine::{open_workbook_auto, Data, Reader};
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A copy of the fixture catalogue to work on (import writes into it).
fn catalogue(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    for rel in tthc::load::walk(&fixture("review"), tthc::load::is_yaml)
        .unwrap()
        .files
    {
        let target = to.join(&rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(fixture("review").join(&rel), target).unwrap();
    }
    to
}

fn run(args: &[&Path]) -> std::process::Output {
    tthc(args.iter().map(|p| p.as_os_str()))
}

fn p(s: &str) -> &Path {
    Path::new(s)
}

/// Every file under `dir` with its content, to show nothing was written.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

type Sheets = Vec<(String, Vec<Vec<Data>>)>;

fn read(path: &Path) -> Sheets {
    let mut wb = open_workbook_auto(path).unwrap();
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|n| {
            let r = wb.worksheet_range(&n).unwrap();
            let rows = r.rows().map(|row| row.to_vec()).collect();
            (n, rows)
        })
        .collect()
}

fn col(sheet: &[Vec<Data>], header: &str) -> usize {
    sheet[0]
        .iter()
        .position(|h| *h == Data::String(header.to_owned()))
        .unwrap_or_else(|| panic!("no column {header}"))
}

/// An edit a reviewer makes: sheet, 0-based row, column header, new value.
enum Put {
    Text(&'static str),
    Date(u16, u8, u8),
}

/// Writes `sheets` back as a workbook, with `edits`, as a reviewer's
/// spreadsheet program would save it.
fn write(sheets: &Sheets, edits: &[(&str, usize, &str, Put)], path: &Path, extra_empty: bool) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                match v {
                    Data::Empty => {}
                    Data::Float(f) => {
                        ws.write_number(r as u32, c as u16, *f).unwrap();
                    }
                    Data::DateTime(d) => {
                        ws.write_number_with_format(r as u32, c as u16, d.as_f64(), &date)
                            .unwrap();
                    }
                    other => {
                        ws.write_string(r as u32, c as u16, other.to_string())
                            .unwrap();
                    }
                }
            }
        }
        for (s, r, h, put) in edits {
            if s != name {
                continue;
            }
            let c = col(rows, h) as u16;
            match put {
                Put::Text(t) => {
                    ws.write_string(*r as u32, c, *t).unwrap();
                }
                Put::Date(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(*r as u32, c, &dt, &date)
                        .unwrap();
                }
            }
        }
    }
    if extra_empty {
        wb.add_worksheet().set_name("Trống").unwrap();
    }
    wb.save(path).unwrap();
}

/// The row of a sheet whose text column reads `text`.
fn row_of(sheets: &Sheets, sheet: &str, text: &str) -> usize {
    let rows = &sheets.iter().find(|s| s.0 == sheet).unwrap().1;
    let c = col(rows, "Thành phần hồ sơ");
    rows.iter()
        .position(|r| r[c] == Data::String(text.to_owned()))
        .unwrap_or_else(|| panic!("no row {text} in {sheet}"))
}

fn analyse(cat: &Path) -> Value {
    let out = run(&[p("analyse"), cat, p("--format"), p("json")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn component<'a>(v: &'a Value, code: &str, text: &str) -> &'a Value {
    v["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .unwrap()["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"].as_str().unwrap().starts_with(text))
        .unwrap_or_else(|| panic!("no component {text}"))
}

const TP: &str = "Bộ Tư pháp";
const TP_KEPT: &str = "Bổ sung - Bộ Tư pháp";
const CA: &str = "Bộ Công an";

/// The decisions of the round: (sheet, the row's text, column, value).
fn decisions(sheets: &Sheets) -> Vec<(&'static str, usize, &'static str, Put)> {
    let uq = "Văn bản ủy quyền có ghi số định danh cá nhân của người được ủy quyền";
    [
        (
            TP,
            "Thẻ căn cước công dân",
            "Quyết định",
            Put::Text("Đồng ý cắt giảm"),
        ),
        (
            TP,
            "Thẻ căn cước công dân",
            "Người rà soát",
            Put::Text("Nguyễn Văn A"),
        ),
        (TP, "Thẻ căn cước công dân", "Ngày", Put::Date(2026, 2, 15)),
        (
            TP,
            "Bản sao Giấy khai sinh của người yêu cầu",
            "Quyết định",
            Put::Text("Không đồng ý"),
        ),
        (
            TP,
            "Bản sao Giấy khai sinh của người yêu cầu",
            "Ghi chú",
            Put::Text("-Cần bản sao để đối chiếu"),
        ),
        (
            TP,
            "Giấy chứng nhận quyền sử dụng đất",
            "Quyết định",
            Put::Text("cần xem xét thêm"),
        ),
        (
            TP,
            "Giấy chứng nhận quyền sử dụng đất",
            "Ngày",
            Put::Text("16/02/2026"),
        ),
        (TP_KEPT, uq, "Quyết định", Put::Text("Đồng ý cắt giảm")),
        (
            TP_KEPT,
            uq,
            "Nguồn dữ liệu đề xuất",
            Put::Text("Cơ sở dữ liệu quốc gia về dân cư"),
        ),
        (
            CA,
            "Giấy phép lái xe",
            "Quyết định",
            Put::Text("Đồng ý cắt giảm"),
        ),
    ]
    .into_iter()
    .map(|(sheet, text, col, put)| (sheet, row_of(sheets, sheet, text), col, put))
    .collect()
}

#[test]
fn a_whole_review_round() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path(), "round");
    let book = tmp.path().join("review.xlsx");
    let out = run(&[p("review"), p("export"), &cat, p("--out"), &book]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sheets = read(&book);
    let names: Vec<&str> = sheets.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        names,
        [CA, "Bổ sung - Bộ Công an", TP, TP_KEPT, "Danh mục nguồn"]
    );
    // The suggestions of Bộ Tư pháp, in order, with the machine's columns.
    let tp = &sheets[2].1;
    assert_eq!(tp.len(), 4, "{tp:?}");
    assert_eq!(tp[0][0].to_string(), "Mã TTHC");
    assert_eq!(
        tp[1][col(tp, "Thành phần hồ sơ")].to_string(),
        "Thẻ căn cước công dân"
    );
    assert_eq!(tp[1][col(tp, "Đề xuất")].to_string(), "thay thế được");
    assert!(tp[1][col(tp, "Nguồn dữ liệu")]
        .to_string()
        .contains("Cơ sở dữ liệu quốc gia về dân cư"));
    assert!(tp[1][col(tp, "Căn cứ sử dụng nguồn")]
        .to_string()
        .contains("Khoản 1 Điều 4"));
    assert!(tp[1][col(tp, "Quy định đang yêu cầu giấy tờ")]
        .to_string()
        .contains("Khoản 1 Điều 2"));
    assert_eq!(tp[1][col(tp, "Khóa")].to_string(), "1.000001/cccd");
    // The kept paper that names a data-backed element, with the words.
    let kept = &sheets[3].1;
    assert_eq!(kept.len(), 2);
    assert!(kept[1][col(kept, "Từ ngữ nhận diện")]
        .to_string()
        .contains("Số định danh cá nhân"));

    // The reviewer decides; the workbook comes back.
    let filled = tmp.path().join("filled.xlsx");
    write(&sheets, &decisions(&sheets), &filled, false);
    let out = run(&[p("review"), p("import"), &filled, &cat]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("5 quyết định"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("bo-tu-phap: 4 mới"),
        "{}",
        stdout(&out)
    );
    for f in ["reviews/bo-tu-phap.yaml", "reviews/bo-cong-an.yaml"] {
        assert!(cat.join(f).is_file(), "{f}");
    }
    let check = run(&[p("check"), &cat]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));

    // The analysis carries the decisions.
    let v = analyse(&cat);
    let cccd = component(&v, "1.000001", "Thẻ căn cước");
    assert_eq!(cccd["verdict"], "replaceable");
    assert_eq!(cccd["review"], "accepted");
    assert_eq!(cccd["decision"]["reviewer"], "Nguyễn Văn A");
    assert_eq!(cccd["decision"]["date"], "2026-02-15");
    let gks = component(&v, "1.000001", "Bản sao Giấy khai sinh");
    assert_eq!(gks["review"], "rejected");
    assert_eq!(gks["decision"]["note"], "-Cần bản sao để đối chiếu");
    assert_eq!(
        component(&v, "1.000001", "Giấy chứng nhận")["review"],
        "pending"
    );
    assert_eq!(
        component(&v, "1.000001", "Giấy chứng nhận")["decision"]["date"],
        "2026-02-16"
    );
    let uq = component(&v, "1.000001", "Văn bản ủy quyền");
    assert_eq!(uq["verdict"], "keep");
    assert_eq!(uq["review"], "accepted");
    assert_eq!(uq["decision"]["sources"][0]["id"], "csdl-dan-cu");
    assert!(component(&v, "1.000002", "Phiếu lý lịch")["review"].is_null());
    let t = &v["summary"]["totals"]["review"];
    assert_eq!(t["suggested"], 5);
    assert_eq!(t["confirmed"], 3);
    assert_eq!(t["added"], 1);
    assert_eq!(t["rejected"], 1);
    assert_eq!(t["pending"], 1);
    assert_eq!(t["undecided"], 1);
    assert_eq!(v["summary"]["by_review"]["accepted"], 3);

    // Summary in every format, with suggested beside confirmed.
    let out = run(&[p("analyse"), &cat, p("--summary")]);
    assert!(stdout(&out).contains("đã xác nhận 3"), "{}", stdout(&out));
    assert!(stdout(&out).contains("Tổng cộng"));
    let out = run(&[p("analyse"), &cat, p("--summary"), p("--format"), p("csv")]);
    let mut r = csv::Reader::from_reader(&out.stdout[3..]);
    let confirmed = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "Đã xác nhận cắt giảm")
        .expect("a confirmed column");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 3, "two ministries and the total");
    assert_eq!(&rows[2][1], "Tổng cộng");
    assert_eq!(&rows[2][confirmed], "3", "confirmed");

    // Lists: confirmed only, now that reviewers decided.
    let out = run(&[p("lists"), &cat, p("--format"), p("json")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let l: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(l["confirmed_only"], true);
    let list = |l: &Value, id: &str| -> Vec<(String, String)> {
        l["lists"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap()["procedures"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| {
                p["cuts"].as_array().unwrap().iter().map(|c| {
                    (
                        c["component"].as_str().unwrap().to_owned(),
                        c["status"].as_str().unwrap().to_owned(),
                    )
                })
            })
            .collect()
    };
    let vneid = list(&l, "vneid");
    assert_eq!(vneid.len(), 2, "{vneid:?}");
    assert!(vneid.iter().all(|c| c.1 == "confirmed"));
    assert!(
        list(&l, "ho-tich-dat-dai").is_empty(),
        "rejected and pending do not count"
    );
    assert_eq!(
        list(&l, "dan-cu").len(),
        2,
        "the added cut names its source"
    );
    let out = run(&[
        p("lists"),
        &cat,
        p("--format"),
        p("json"),
        p("--include-suggested"),
    ]);
    let l: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let hd = list(&l, "ho-tich-dat-dai");
    assert_eq!(
        hd,
        [(
            "Giấy chứng nhận quyền sử dụng đất".to_owned(),
            "suggested".to_owned()
        )],
        "a rejected suggestion never counts"
    );
    let xlsx = tmp.path().join("lists.xlsx");
    let out = run(&[
        p("lists"),
        &cat,
        p("--format"),
        p("xlsx"),
        p("--out"),
        &xlsx,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ls = read(&xlsx);
    assert_eq!(ls[0].0, "Tổng hợp");
    assert_eq!(ls[0].1.last().unwrap()[0].to_string(), "Tổng cộng");

    // The plan leaves out the rejected suggestion.
    let out = run(&[p("plan"), &cat, p("--format"), p("json")]);
    let plan = stdout(&out);
    assert!(!plan.contains("Bản sao Giấy khai sinh"), "{plan}");

    // The report carries the decisions: the confirmed tile beside the
    // suggested figure, the decision on the procedure's page, the lists.
    let site = tmp.path().join("site");
    let out = run(&[p("report"), &cat, p("--out"), &site]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    let confirmed = v["summary"]["totals"]["review"]["confirmed"]
        .as_u64()
        .unwrap();
    assert!(
        index.contains(&format!(r#"data-figure="confirmed" data-v="{confirmed}""#)),
        "{index}"
    );
    assert!(index.contains("Đã xác nhận cắt giảm"));
    assert!(site.join("tai-ve/danh-sach.xlsx").is_file());
    let page = std::fs::read_to_string(site.join("tthc/1.000001.html")).unwrap();
    assert!(page.contains("rà soát: đồng ý cắt giảm"), "{page}");
    assert!(!index.contains("thay-doi.html"), "no changes page unasked");

    // Next round: a component's text is edited.
    let old = catalogue(tmp.path(), "old");
    std::fs::create_dir_all(old.join("reviews")).unwrap();
    for f in ["bo-tu-phap.yaml", "bo-cong-an.yaml"] {
        std::fs::copy(cat.join("reviews").join(f), old.join("reviews").join(f)).unwrap();
    }
    let file = cat.join("bo-tu-phap/1.000001.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    let yaml = yaml
        .replace(
            "text: Thẻ căn cước công dân",
            "text: Thẻ căn cước công dân còn giá trị",
        )
        .replace("Văn bản ủy quyền có ghi", "Văn bản ủy quyền hợp lệ có ghi");
    std::fs::write(&file, yaml).unwrap();
    let v = analyse(&cat);
    assert_eq!(component(&v, "1.000001", "Thẻ căn cước")["review"], "stale");
    assert_eq!(
        component(&v, "1.000001", "Văn bản ủy quyền")["review"],
        "stale",
        "found again by its text"
    );
    assert_eq!(v["summary"]["totals"]["review"]["confirmed"], 1);
    let out = run(&[p("diff"), &old, &cat, p("--format"), p("json")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(d["schema"], "tthc.diff/1");
    let changes = d["changes"].as_array().unwrap();
    let cccd = changes
        .iter()
        .find(|c| c["component_key"] == "cccd")
        .unwrap();
    assert_eq!(cccd["review"]["old"], "accepted");
    assert_eq!(cccd["review"]["new"], "stale");
    assert_eq!(cccd["reasons"][0]["code"], "text-changed");
    let out = run(&[p("diff"), &old, &cat]);
    assert!(
        stdout(&out).contains("nội dung thành phần hồ sơ đã được sửa"),
        "{}",
        stdout(&out)
    );
    // The next round's report says what changed since the last one.
    let site = tmp.path().join("site-2");
    let out = run(&[p("report"), &cat, p("--out"), &site, p("--since"), &old]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let changes = std::fs::read_to_string(site.join("thay-doi.html")).unwrap();
    assert!(
        changes.contains("Thẻ căn cước công dân còn giá trị"),
        "{changes}"
    );
    assert!(
        changes.contains("nội dung thành phần hồ sơ đã được sửa"),
        "{changes}"
    );
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("thay-doi.html"), "linked from every page");
}

/// Imports `book` into a fresh copy of the fixture and expects it to be
/// rejected with `expected` in the diagnostics, nothing written.
fn rejected(tmp: &Path, cat: &Path, book: &Path, expected: &[&str]) {
    let before = snapshot(cat);
    let out = run(&[p("review"), p("import"), book, cat]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for e in expected {
        assert!(err.contains(e), "expected `{e}` in:\n{err}");
    }
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(snapshot(cat), before, "nothing may be written");
    let _ = tmp;
}

#[test]
fn broken_workbooks_are_located_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path(), "cat");
    let book = tmp.path().join("review.xlsx");
    let out = run(&[p("review"), p("export"), &cat, p("--out"), &book]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sheets = read(&book);
    let b = tmp.path().display().to_string();

    // A CSV renamed to .xlsx.
    let csv = tmp.path().join("renamed.xlsx");
    std::fs::write(&csv, "Mã TTHC,Quyết định\n1.000001,Đồng ý cắt giảm\n").unwrap();
    rejected(
        tmp.path(),
        &cat,
        &csv,
        &[&format!("{b}/renamed.xlsx: error[E0104/input-syntax]")],
    );

    // An edited key, a decision typed outside the list, a date that is not
    // a date: each located at its cell, all reported at once.
    let row = row_of(&sheets, TP, "Thẻ căn cước công dân");
    let land = row_of(&sheets, TP, "Giấy chứng nhận quyền sử dụng đất");
    let mut edits = decisions(&sheets);
    edits.push((TP, row, "Khóa", Put::Text("1.000001/khong-co")));
    edits.push((TP, land, "Quyết định", Put::Text("Đồng ý")));
    edits.push((
        CA,
        row_of(&sheets, CA, "Giấy phép lái xe"),
        "Ngày",
        Put::Text("hôm qua"),
    ));
    let bad = tmp.path().join("bad.xlsx");
    write(&sheets, &edits, &bad, false);
    let r = row + 1;
    let l = land + 1;
    let lic = row_of(&sheets, CA, "Giấy phép lái xe") + 1;
    rejected(
        tmp.path(),
        &cat,
        &bad,
        &[
            &format!("bad.xlsx:'{TP}'!O{r}: error[E0502/unknown-key]"),
            &format!("bad.xlsx:'{TP}'!K{l}: error[E0504/bad-decision]: `Đồng ý` is not a decision of the list"),
            &format!("bad.xlsx:'{CA}'!N{lic}: error[E0202/malformed-date]"),
        ],
    );

    // A kept paper accepted without naming the source.
    let uq = row_of(
        &sheets,
        TP_KEPT,
        "Văn bản ủy quyền có ghi số định danh cá nhân của người được ủy quyền",
    );
    let nosrc = tmp.path().join("nosource.xlsx");
    write(
        &sheets,
        &[(TP_KEPT, uq, "Quyết định", Put::Text("Đồng ý cắt giảm"))],
        &nosrc,
        false,
    );
    rejected(
        tmp.path(),
        &cat,
        &nosrc,
        &[&format!(
            "'{TP_KEPT}'!L{}: error[E0505/missing-source]",
            uq + 1
        )],
    );

    // An empty sheet.
    let empty = tmp.path().join("empty.xlsx");
    write(&sheets, &decisions(&sheets), &empty, true);
    rejected(
        tmp.path(),
        &cat,
        &empty,
        &["empty.xlsx:Trống!A1: error[E0501/workbook-shape]: the sheet is empty"],
    );

    // The component's text changed since the export: stale.
    let file = cat.join("bo-cong-an/1.000002.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        yaml.replace("text: Giấy phép lái xe", "text: Giấy phép lái xe còn hạn"),
    )
    .unwrap();
    let filled = tmp.path().join("filled.xlsx");
    write(&sheets, &decisions(&sheets), &filled, false);
    rejected(
        tmp.path(),
        &cat,
        &filled,
        &[&format!("'{CA}'!P{lic}: error[E0503/stale]")],
    );
}

/// The XML of one part of a workbook.
fn part(book: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(book).unwrap()).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
    s
}

/// The drop-down, the protection and the hidden key, as the file says.
fn assert_review_features(book: &Path, sheet_xml: &str) {
    let x = part(book, sheet_xml);
    assert!(x.contains("<sheetProtection"), "protected");
    assert!(x.contains("type=\"list\""), "drop-down");
    assert!(x.contains("Đồng ý cắt giảm"), "drop-down values");
    assert!(
        x.contains("hidden=\"1\"") || x.contains("hidden=\"true\""),
        "hidden key columns"
    );
    assert!(x.contains("<autoFilter"), "filters");
}

/// Whether the style a column of the first sheet defaults to unlocks its
/// cells (spreadsheet programs may drop empty cells and keep the column's
/// style).
fn column_unlocked(book: &Path, col: usize) -> bool {
    let sheet = part(book, "xl/worksheets/sheet1.xml");
    let styles = part(book, "xl/styles.xml");
    let attr = |tag: &str, name: &str| -> Option<usize> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[at..].split('"').next()?.parse().ok()
    };
    let Some(style) = sheet
        .split("<col ")
        .skip(1)
        .map(|t| format!(" {}", t.split('>').next().unwrap()))
        .find(|t| attr(t, "min").unwrap() <= col + 1 && col < attr(t, "max").unwrap())
        .and_then(|t| attr(&t, "style"))
    else {
        return false;
    };
    let xfs = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("</cellXfs>")
        .next()
        .unwrap();
    let xf = xfs
        .split("<xf ")
        .nth(style + 1)
        .unwrap()
        .split("</xf>")
        .next()
        .unwrap();
    xf.contains("locked=\"0\"") || xf.contains("locked=\"false\"")
}

/// Machine columns locked, reviewer columns unlocked (calamine's styles,
/// else the column's style).
fn assert_locked_columns(book: &Path, rows: &[Vec<Data>]) {
    let mut wb = open_workbook_auto(book).unwrap();
    let styles = wb.worksheet_style(TP).unwrap();
    let locked = |c: usize| {
        if rows[1][c] == Data::Empty {
            return !column_unlocked(book, c);
        }
        styles
            .get((1, c as u32))
            .and_then(|s| s.protection.as_ref())
            .is_none_or(|p| p.locked)
    };
    assert!(locked(col(rows, "Thành phần hồ sơ")));
    assert!(locked(col(rows, "Khóa")));
    for h in ["Quyết định", "Ghi chú", "Người rà soát", "Ngày"] {
        assert!(!locked(col(rows, h)), "{h} must be unlocked");
    }
}

#[test]
fn the_workbook_reads_back_with_independent_readers() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path(), "cat");
    let book = tmp.path().join("review.xlsx");
    let out = run(&[
        p("review"),
        p("export"),
        &cat,
        p("--ministry"),
        p("Bộ Tư pháp"),
        p("--out"),
        &book,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sheets = read(&book);
    assert_eq!(
        sheets.len(),
        3,
        "one ministry's two sheets and the source list"
    );
    assert_locked_columns(&book, &sheets[0].1);
    assert_review_features(&book, "xl/worksheets/sheet1.xml");
    // (LibreOffice converting headless drops view settings such as this.)
    assert!(
        part(&book, "xl/worksheets/sheet1.xml").contains("<pane"),
        "frozen header"
    );

    // LibreOffice, where installed: the same rows after it saves the file.
    let soffice = ["soffice", "libreoffice"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok()
    });
    let Some(soffice) = soffice else {
        // `.ci/run` installs it and requires this part.
        assert!(
            std::env::var_os("TTHC_REQUIRE_LIBREOFFICE").is_none(),
            "LibreOffice is required (TTHC_REQUIRE_LIBREOFFICE) but not installed"
        );
        eprintln!("LibreOffice is not installed: the round trip through it was not run");
        return;
    };
    let outdir = tmp.path().join("lo");
    let profile = tmp.path().join("lo-profile");
    let status = std::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "xlsx", "--outdir"])
        .arg(&outdir)
        .arg(&book)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let saved = outdir.join("review.xlsx");
    let again = read(&saved);
    let text = |s: &Sheets| -> Vec<(String, Vec<Vec<String>>)> {
        s.iter()
            .map(|(n, rows)| {
                let rows = rows
                    .iter()
                    .map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
                    .filter(|r| r.iter().any(|c| !c.is_empty()))
                    .collect();
                (n.clone(), rows)
            })
            .collect()
    };
    assert_eq!(text(&again), text(&sheets));
    assert_locked_columns(&saved, &again[0].1);
    assert_review_features(&saved, "xl/worksheets/sheet1.xml");
    // And what LibreOffice saved imports like the original.
    let filled = tmp.path().join("filled.xlsx");
    let row = row_of(&again, TP, "Thẻ căn cước công dân");
    write(
        &again,
        &[(TP, row, "Quyết định", Put::Text("Đồng ý cắt giảm"))],
        &filled,
        false,
    );
    let out = run(&[p("review"), p("import"), &filled, &cat]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn export_on_the_shipped_catalogue_is_complete() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("review.xlsx");
    let out = run(&[p("review"), p("export"), p("--out"), &book]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value =
        serde_json::from_str(&stdout(&tthc(["analyse", "--summary", "--format", "json"]))).unwrap();
    let suggested = v["totals"]["review"]["suggested"].as_u64().unwrap() as usize;
    let sheets = read(&book);
    let rows: usize = sheets
        .iter()
        .filter(|s| !s.0.starts_with("Bổ sung") && s.0 != "Danh mục nguồn")
        .map(|s| s.1.len() - 1)
        .sum();
    assert_eq!(rows, suggested, "one row per suggested cut");
}
