//! The summary of an analysis for steering committees: counts by verdict
//! and by review, the table by ministry with its total row — machine-
//! suggested cuts beside reviewer-confirmed ones — and the unlock ranking;
//! as text, CSV (the table by ministry) and XLSX (one sheet each).

use crate::analysis::{Figures, Outcome, ReviewState, Summary, Verdict};
use crate::number::{int as vi_number, percent as vi_percent};
use crate::phrase;
use crate::text::shorten;
use crate::write::table::{self, Cell, Table};
use std::fmt::Write;

/// The label of the total row.
pub const TOTAL: &str = "Tổng cộng";

/// The table by ministry, its total row last.
pub fn ministry_table(a: &Summary) -> Table {
    let header = [
        "Mã bộ, ngành",
        "Bộ, ngành",
        "Thủ tục",
        "Thành phần hồ sơ",
        "Thay thế được",
        "Có điều kiện",
        "Thủ tục có thành phần thay thế",
        "trong đó qua VNeID",
        "trong đó qua CSDL",
        "Thủ tục chỉ cần dữ liệu",
        "Thay thế một phần",
        "Đã khai thác dữ liệu",
        "Tờ khai, đơn",
        "Chưa nhận diện — cần rà soát",
        "Chưa có nguồn dữ liệu",
        "Đề xuất cắt giảm (máy)",
        "Đã xác nhận cắt giảm",
        "Không đồng ý",
        "Cần xem xét thêm",
        "Cần rà soát lại",
        "Chưa quyết định",
        "Bổ sung ngoài đề xuất",
        "Thủ tục có đề xuất",
        "Thủ tục đã xác nhận",
    ];
    let row = |id: &str, name: &str, r: &Figures| -> Vec<Cell> {
        let f = &r.review;
        let o = &r.by_outcome;
        vec![
            id.into(),
            name.into(),
            r.procedures.into(),
            r.components.into(),
            r.replaceable_components.into(),
            r.conditional_components.into(),
            r.procedures_replaceable.into(),
            r.via_vneid.into(),
            r.via_database.into(),
            r.data_only.into(),
            o.partial.into(),
            o.already_digital.into(),
            o.form.into(),
            o.unrecognised.into(),
            o.no_source.into(),
            f.suggested.into(),
            f.confirmed.into(),
            f.rejected.into(),
            f.pending.into(),
            f.stale.into(),
            f.undecided.into(),
            f.added.into(),
            f.procedures_suggested.into(),
            f.procedures_confirmed.into(),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = a
        .by_ministry
        .iter()
        .map(|r| row(&r.agency, &r.name, &r.figures))
        .collect();
    rows.push(row("", TOTAL, &a.totals));
    let mut widths = vec![26.0, 36.0];
    widths.extend(std::iter::repeat_n(12.0, header.len() - 2));
    Table {
        name: "Theo bộ, ngành".into(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
        widths,
    }
}

fn counts_table(a: &Summary) -> Table {
    let total = a.components;
    let mut rows: Vec<Vec<Cell>> = Verdict::ALL
        .iter()
        .map(|&v| {
            let n = a.count(v);
            vec![
                "kết luận của máy".into(),
                v.as_str().into(),
                v.vi().into(),
                n.into(),
                vi_percent(n, total).into(),
            ]
        })
        .collect();
    for r in ReviewState::ALL {
        let n = a.count_review(r);
        rows.push(vec![
            "quyết định rà soát".into(),
            r.as_str().into(),
            phrase::review_label(r).into(),
            n.into(),
            vi_percent(n, total).into(),
        ]);
    }
    Table {
        name: "Kết luận".into(),
        header: ["Loại", "Mã", "Kết luận", "Thành phần hồ sơ", "Tỷ lệ"]
            .iter()
            .map(|h| h.to_string())
            .collect(),
        rows,
        widths: vec![20.0, 18.0, 36.0, 16.0, 10.0],
    }
}

fn unlock_table(a: &Summary) -> Table {
    Table {
        name: "Ưu tiên dữ liệu".into(),
        header: [
            "Loại",
            "Mã",
            "Nguồn / trường thông tin",
            "Thành phần",
            "Thủ tục",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: a
            .unlock
            .iter()
            .map(|u| {
                vec![
                    if u.kind == "source" {
                        "nguồn dữ liệu"
                    } else {
                        "trường thông tin"
                    }
                    .into(),
                    u.id.as_str().into(),
                    u.name.as_str().into(),
                    u.components.into(),
                    u.procedures.into(),
                ]
            })
            .collect(),
        widths: vec![18.0, 26.0, 60.0, 12.0, 12.0],
    }
}

/// The table by ministry as CSV.
pub fn csv(a: &Summary) -> Result<Vec<u8>, csv::Error> {
    table::csv(&ministry_table(a))
}

/// The summary as a workbook: the table by ministry, the counts, the ranking.
pub fn xlsx(a: &Summary) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    table::xlsx(
        &[ministry_table(a), counts_table(a), unlock_table(a)],
        a.as_of,
    )
}

/// The summary as text.
pub fn text(a: &Summary) -> String {
    let cat = a.catalog;
    let mut s = String::new();
    let t = &a.totals;
    let _ = writeln!(
        s,
        "Ngày phân tích {}{}{}: {} thủ tục, {} thành phần hồ sơ",
        a.as_of.vi(),
        a.province
            .and_then(|p| cat.provinces.get(p))
            .map(|p| format!(", {}", p.name))
            .unwrap_or_default(),
        if a.include_pilot {
            ", tính cả nguồn thí điểm"
        } else {
            ""
        },
        vi_number(t.procedures),
        vi_number(t.components)
    );
    let _ = writeln!(
        s,
        "  Thủ tục có giấy tờ thay thế được bằng dữ liệu: {} ({} số thủ tục)",
        vi_number(t.procedures_replaceable),
        vi_percent(t.procedures_replaceable, t.procedures)
    );
    let _ = writeln!(
        s,
        "  Giấy tờ thay thế được: {} trên {} giấy tờ ({}); thêm {} có điều kiện",
        vi_number(t.replaceable_components),
        vi_number(t.by_outcome.evidence()),
        vi_percent(t.replaceable_components, t.by_outcome.evidence()),
        vi_number(t.conditional_components)
    );
    let _ = writeln!(
        s,
        "  Thủ tục có hồ sơ chỉ còn dữ liệu: {}",
        vi_number(t.data_only)
    );
    let _ = writeln!(s);
    for v in Verdict::ALL {
        let _ = writeln!(
            s,
            "  {:<16} {:>6}  {}",
            v.as_str(),
            vi_number(a.count(v)),
            v.vi()
        );
    }
    for o in [Outcome::Unrecognised, Outcome::NoSource] {
        let _ = writeln!(
            s,
            "    {:<14} {:>6}  {}",
            o.as_str(),
            vi_number(t.by_outcome.get(o)),
            phrase::outcome_label(o)
        );
    }
    let reviewed = a.has_reviews();
    if reviewed {
        let t = &a.totals.review;
        let _ = writeln!(
            s,
            "Rà soát: máy đề xuất cắt giảm {} thành phần; đã xác nhận {} (trong đó {} bổ sung ngoài đề xuất), không đồng ý {}, cần xem xét thêm {}, cần rà soát lại {}, chưa quyết định {}",
            vi_number(t.suggested),
            vi_number(t.confirmed),
            vi_number(t.added),
            vi_number(t.rejected),
            vi_number(t.pending),
            vi_number(t.stale),
            vi_number(t.undecided)
        );
    }
    let _ = writeln!(s);
    let head = |s: &mut String, cols: [&str; 8], review: [&str; 2]| {
        let _ = write!(
            s,
            "{:<36} {:>8} {:>10} {:>9} {:>7} {:>7} {:>7} {:>11}",
            cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7]
        );
        if reviewed {
            let _ = write!(s, " {:>9} {:>9}", review[0], review[1]);
        }
        let _ = writeln!(s);
    };
    head(
        &mut s,
        [
            "Bộ, ngành",
            "thủ tục",
            "thành phần",
            "thay thế",
            "có TP",
            "VNeID",
            "CSDL",
            "chỉ dữ liệu",
        ],
        ["đề xuất", "xác nhận"],
    );
    let line = |s: &mut String, name: &str, r: &Figures| {
        head(
            s,
            [
                &shorten(name, 36),
                &vi_number(r.procedures),
                &vi_number(r.components),
                &vi_number(r.replaceable_components),
                &vi_number(r.procedures_replaceable),
                &vi_number(r.via_vneid),
                &vi_number(r.via_database),
                &vi_number(r.data_only),
            ],
            [
                &vi_number(r.review.suggested),
                &vi_number(r.review.confirmed),
            ],
        );
    };
    for r in &a.by_ministry {
        line(&mut s, &r.name, &r.figures);
    }
    line(&mut s, TOTAL, &a.totals);
    let _ = writeln!(
        s,
        "(có TP: thủ tục có ít nhất một thành phần thay thế được; VNeID / CSDL: trong đó qua giấy tờ tích hợp trên VNeID / qua tra cứu cơ sở dữ liệu{})",
        if reviewed {
            "; đề xuất: thành phần máy đề xuất cắt giảm; xác nhận: thành phần người rà soát đồng ý cắt giảm"
        } else {
            ""
        }
    );
    if !a.unlock.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "Ưu tiên sẵn sàng dữ liệu (số thành phần / thủ tục sẽ thay thế được):"
        );
        for u in a.unlock.iter().take(20) {
            let kind = if u.kind == "source" {
                "nguồn"
            } else {
                "trường"
            };
            let _ = writeln!(
                s,
                "  {:>5} {:>5}  {:<6} {} ({})",
                vi_number(u.components),
                vi_number(u.procedures),
                kind,
                u.name,
                u.id
            );
        }
    }
    s
}
