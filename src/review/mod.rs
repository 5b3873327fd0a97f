//! Review rounds: the machine proposes, the ministry decides. [`export`]
//! writes a workbook per round — a sheet of suggested cuts and a sheet of
//! kept papers of data-backed document types per ministry, with reviewer
//! columns; [`import`] validates a filled workbook and merges its decisions
//! into `CATALOGUE/reviews/<ministry>.yaml`. This module holds the layout
//! both share: columns, the decision list, the row key.

pub mod export;
pub mod import;

use crate::model::Decision;

/// The hidden sheet listing the data sources a reviewer may name.
pub const SOURCES_SHEET: &str = "Danh mục nguồn";

/// The columns of a review sheet, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Code,
    Name,
    Case,
    Text,
    Words,
    Suggestion,
    Sources,
    SourceBasis,
    Provisions,
    Reason,
    Decision,
    Note,
    Reviewer,
    Date,
    /// Kept sheet only: the source a reviewer names for a paper to cut.
    ProposedSource,
    Key,
    Fingerprint,
}

impl Column {
    /// The columns of the kept-papers sheet.
    pub const KEPT: &'static [Column] = &[
        Column::Code,
        Column::Name,
        Column::Case,
        Column::Text,
        Column::Words,
        Column::Suggestion,
        Column::Sources,
        Column::SourceBasis,
        Column::Provisions,
        Column::Reason,
        Column::Decision,
        Column::ProposedSource,
        Column::Note,
        Column::Reviewer,
        Column::Date,
        Column::Key,
        Column::Fingerprint,
    ];

    /// The columns of the suggestions sheet: those of the kept-papers
    /// sheet but the reviewer's source.
    pub fn suggested() -> Vec<Column> {
        Column::KEPT
            .iter()
            .copied()
            .filter(|&c| c != Column::ProposedSource)
            .collect()
    }

    /// The header, in Vietnamese.
    pub fn header(self) -> &'static str {
        match self {
            Column::Code => "Mã TTHC",
            Column::Name => "Tên thủ tục",
            Column::Case => "Trường hợp",
            Column::Text => "Thành phần hồ sơ",
            Column::Words => "Từ ngữ nhận diện",
            Column::Suggestion => "Đề xuất",
            Column::Sources => "Nguồn dữ liệu",
            Column::SourceBasis => "Căn cứ sử dụng nguồn",
            Column::Provisions => "Quy định đang yêu cầu giấy tờ",
            Column::Reason => "Lý do",
            Column::Decision => "Quyết định",
            Column::Note => "Ghi chú",
            Column::Reviewer => "Người rà soát",
            Column::Date => "Ngày",
            Column::ProposedSource => "Nguồn dữ liệu đề xuất",
            Column::Key => "Khóa",
            Column::Fingerprint => "Dấu vân tay",
        }
    }

    /// Whether the reviewer fills it (unlocked).
    pub fn is_reviewer(self) -> bool {
        matches!(
            self,
            Column::Decision
                | Column::Note
                | Column::Reviewer
                | Column::Date
                | Column::ProposedSource
        )
    }

    /// Whether it is hidden (the row's identity).
    pub fn is_hidden(self) -> bool {
        matches!(self, Column::Key | Column::Fingerprint)
    }
}

/// The decisions of the drop-down, as the reviewer reads them.
pub const DECISIONS: [(Decision, &str); 3] = [
    (Decision::Accepted, "Đồng ý cắt giảm"),
    (Decision::Rejected, "Không đồng ý"),
    (Decision::Pending, "Cần xem xét thêm"),
];

/// The drop-down label of a decision.
pub fn label(d: Decision) -> &'static str {
    DECISIONS
        .iter()
        .find(|(x, _)| *x == d)
        .map(|(_, l)| *l)
        .unwrap_or_default()
}

/// The decision a cell says, matched as users type (case, diacritics and
/// spacing ignored).
pub fn parse_decision(s: &str) -> Option<Decision> {
    let f = crate::text::fold(s);
    DECISIONS
        .iter()
        .find(|(_, l)| crate::text::fold(l) == f)
        .map(|(d, _)| *d)
}

/// The hidden key of a row: procedure code, `/`, component key.
pub fn row_key(code: &str, component: &str) -> String {
    format!("{code}/{component}")
}

/// The procedure code and component key of a row key.
pub fn parse_key(key: &str) -> Option<(&str, &str)> {
    key.split_once('/')
        .filter(|(c, k)| !c.is_empty() && !k.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_parse_as_typed() {
        assert_eq!(parse_decision("Đồng ý cắt giảm"), Some(Decision::Accepted));
        assert_eq!(
            parse_decision(" dong y  CAT giam "),
            Some(Decision::Accepted)
        );
        assert_eq!(parse_decision("Không đồng ý"), Some(Decision::Rejected));
        assert_eq!(parse_decision("Đồng ý"), None);
        for (d, l) in DECISIONS {
            assert_eq!(parse_decision(label(d)), Some(d), "{l}");
        }
    }

    #[test]
    fn keys_round_trip() {
        let k = row_key("1.000894", "t-0123456789ab");
        assert_eq!(parse_key(&k), Some(("1.000894", "t-0123456789ab")));
        assert_eq!(parse_key("1.000894"), None);
    }
}
