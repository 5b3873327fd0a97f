//! The overview: the figures at a glance (tiles), the verdicts by ministry
//! and the VNeID / database split as inline SVG, the table by ministry that
//! adds up (with a total row), the data-readiness and demand rankings, and
//! the downloads.

use super::{chart, put, Badge, Frame, Num, RenderError, Sink, Site};
use crate::analysis::{Figures, Outcome, Verdict};
use crate::number;
use askama::Template;
use std::path::Path;

/// The downloads, written with the site and linked from the pages they
/// belong to.
pub const ANALYSIS_CSV: &str = "tai-ve/phan-tich.csv";
pub const PLAN_XLSX: &str = "tai-ve/phuong-an.xlsx";
pub const PLAN_CSV: &str = "tai-ve/phuong-an.csv";
pub const LISTS_XLSX: &str = "tai-ve/danh-sach.xlsx";

/// The downloads but the workbooks ([`workbooks`]), each streamed into
/// its file.
pub fn downloads(site: &Site, out: &mut impl Sink) -> Result<(), RenderError> {
    out.file_with(Path::new(ANALYSIS_CSV), |w| {
        Ok(crate::output::write_analysis_csv(site.a, w)?)
    })?;
    out.file_with(Path::new(PLAN_CSV), |w| {
        Ok(crate::plan::write_plan_csv(site.a, site.plan, w)?)
    })
}

/// The two workbooks, the lists and the plan, packed to be written later.
pub fn workbooks(site: &Site) -> super::Workbooks {
    let lists = crate::write::lists::lists(site.a, false);
    super::Workbooks {
        lists: crate::write::lists::book(site.a, &lists),
        plan: crate::plan::plan_book(site.a, site.plan),
    }
}

/// A big number. `figure` names the `analyse --summary` JSON field it
/// shows (in `totals`), so a test can hold them equal.
struct Tile {
    figure: &'static str,
    value: Num,
    label: &'static str,
    share: String,
    note: String,
}

struct OutcomeRow {
    badge: Badge,
    count: Num,
    share: String,
}

/// A share as text, with basis points for sorting.
struct Share {
    v: usize,
    text: String,
}

fn share(part: usize, whole: usize) -> Share {
    Share {
        v: (10_000 * part).checked_div(whole).unwrap_or(0),
        text: number::percent(part, whole),
    }
}

struct MinistryRow {
    href: String,
    name: String,
    procedures: Num,
    with_cut: Num,
    with_cut_share: Share,
    via_vneid: Num,
    via_database: Num,
    data_only: Num,
    components: Num,
    /// Components by outcome, in [`Outcome::ALL`] order.
    outcomes: Vec<Num>,
    papers_share: Share,
    /// Machine-suggested and reviewer-confirmed cuts.
    suggested: Num,
    confirmed: Num,
}

fn ministry_row(href: String, name: String, f: &Figures) -> MinistryRow {
    let t = &f.by_outcome;
    MinistryRow {
        href,
        name,
        procedures: Num::new(f.procedures),
        with_cut: Num::new(f.procedures_replaceable),
        with_cut_share: share(f.procedures_replaceable, f.procedures),
        via_vneid: Num::new(f.via_vneid),
        via_database: Num::new(f.via_database),
        data_only: Num::new(f.data_only),
        components: Num::new(f.components),
        outcomes: Outcome::ALL.iter().map(|&o| Num::new(t.get(o))).collect(),
        papers_share: share(t.replaceable, t.evidence()),
        suggested: Num::new(f.review.suggested),
        confirmed: Num::new(f.review.confirmed),
    }
}

struct UnlockRow {
    kind: &'static str,
    href: String,
    name: String,
    components: Num,
    procedures: Num,
}

struct DemandRow {
    href: String,
    name: String,
    replaceable: Num,
    conditional: Num,
    digital: Num,
    procedures: Num,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    frame: Frame,
    tiles: Vec<Tile>,
    outcomes: Vec<OutcomeRow>,
    outcome_heads: Vec<Badge>,
    components: String,
    empty_dossiers: usize,
    chart_ministries: String,
    chart_split: String,
    ministries: Vec<MinistryRow>,
    total: MinistryRow,
    unlock: Vec<UnlockRow>,
    demand: Vec<DemandRow>,
    analysis_csv: &'static str,
    plan_xlsx: &'static str,
    plan_csv: &'static str,
    lists_xlsx: &'static str,
    /// Reviewers have decided: confirmed figures stand beside suggested ones.
    reviewed: bool,
}

pub fn page(site: &Site, out: &mut impl Sink) -> Result<(), RenderError> {
    let a = site.a;
    let cat = site.cat();
    let t = &a.totals;
    let papers = t.by_outcome.evidence();
    let mut tiles = vec![
        Tile {
            figure: "procedures_replaceable",
            value: Num::new(t.procedures_replaceable),
            label: "thủ tục có giấy tờ thay thế được bằng dữ liệu",
            share: number::percent(t.procedures_replaceable, t.procedures),
            note: format!("trên {} thủ tục", number::int(t.procedures)),
        },
        Tile {
            figure: "replaceable_components",
            value: Num::new(t.replaceable_components),
            label: "giấy tờ người dân không phải nộp",
            share: number::percent(t.replaceable_components, papers),
            note: format!(
                "trên {} giấy tờ (ngoài tờ khai, đơn); thêm {} thay thế có điều kiện",
                number::int(papers),
                number::int(t.conditional_components)
            ),
        },
        Tile {
            figure: "data_only",
            value: Num::new(t.data_only),
            label: "thủ tục có hồ sơ chỉ còn tờ khai, đơn",
            share: number::percent(t.data_only, t.procedures),
            note: "mọi giấy tờ khác thay được hoặc đã khai thác từ dữ liệu".into(),
        },
        Tile {
            figure: "unrecognised",
            value: Num::new(t.by_outcome.unrecognised),
            label: "giấy tờ chưa nhận diện — cần rà soát",
            share: number::percent(t.by_outcome.unrecognised, papers),
            note: "cán bộ cần xác định loại giấy tờ và nguồn dữ liệu".into(),
        },
    ];
    if a.has_reviews() {
        let r = &t.review;
        tiles.insert(
            2,
            Tile {
                figure: "confirmed",
                value: Num::new(r.confirmed),
                label: "giấy tờ người rà soát đã đồng ý cắt giảm",
                share: number::percent(r.confirmed, r.suggested),
                note: format!(
                    "so với {} giấy tờ máy đề xuất; không đồng ý {}, cần xem xét thêm {}, chưa quyết định {}",
                    number::int(r.suggested),
                    number::int(r.rejected),
                    number::int(r.pending + r.stale),
                    number::int(r.undecided)
                ),
            },
        );
    }
    let outcomes = Outcome::ALL
        .iter()
        .map(|&o| OutcomeRow {
            badge: Badge::of(o),
            count: Num::new(t.by_outcome.get(o)),
            share: number::percent(t.by_outcome.get(o), t.components),
        })
        .collect();
    let chart_rows: Vec<(String, &crate::analysis::Tally)> = a
        .by_ministry
        .iter()
        .map(|m| (m.name.clone(), &m.figures.by_outcome))
        .collect();
    let both = (t.via_vneid + t.via_database).saturating_sub(t.procedures_replaceable);
    let chart_split = chart::split(
        "Thủ tục có giấy tờ thay thế được: qua VNeID hay qua tra cứu cơ sở dữ liệu",
        "Thủ tục có giấy tờ thay thế được",
        &[
            ("chỉ qua VNeID".into(), t.via_vneid - both, "#2d8fd5"),
            ("cả VNeID và CSDL".into(), both, "#7b5fc7"),
            (
                "chỉ qua tra cứu CSDL".into(),
                t.via_database - both,
                "#2e9e4f",
            ),
        ],
    );
    let unlock = a
        .unlock
        .iter()
        .take(30)
        .map(|u| UnlockRow {
            kind: if u.kind == "source" {
                "nguồn dữ liệu"
            } else {
                "trường thông tin"
            },
            href: if u.kind == "source" {
                format!("nguon/{}.html", u.id)
            } else {
                String::new()
            },
            name: u.name.clone(),
            components: Num::new(u.components),
            procedures: Num::new(u.procedures),
        })
        .collect();
    let mut demand: Vec<DemandRow> = cat
        .sources
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let (mut repl, mut cond, mut dig) = (0, 0, 0);
            let mut procs = 0;
            for vs in &a.verdicts {
                let mut uses = false;
                for v in vs.iter().filter(|v| v.sources.contains(&si)) {
                    match v.verdict {
                        Verdict::Replaceable => repl += 1,
                        Verdict::Conditional => cond += 1,
                        Verdict::AlreadyDigital => dig += 1,
                        _ => continue,
                    }
                    uses = true;
                }
                procs += usize::from(uses);
            }
            DemandRow {
                href: format!("nguon/{}.html", s.id),
                name: s.name.clone(),
                replaceable: Num::new(repl),
                conditional: Num::new(cond),
                digital: Num::new(dig),
                procedures: Num::new(procs),
            }
        })
        .collect();
    demand.sort_by(|x, y| {
        (
            y.replaceable.v + y.conditional.v + y.digital.v,
            y.procedures.v,
        )
            .cmp(&(
                x.replaceable.v + x.conditional.v + x.digital.v,
                x.procedures.v,
            ))
    });
    let page = IndexPage {
        frame: site.frame("Tổng quan", ""),
        tiles,
        outcomes,
        outcome_heads: Outcome::ALL.iter().map(|&o| Badge::of(o)).collect(),
        components: number::int(t.components),
        empty_dossiers: t.empty_dossiers,
        chart_ministries: chart::outcomes_by_row(
            "Kết luận theo thành phần hồ sơ, từng bộ, ngành",
            &chart_rows,
        ),
        chart_split,
        ministries: a
            .by_ministry
            .iter()
            .map(|m| ministry_row(format!("bo/{}.html", m.agency), m.name.clone(), &m.figures))
            .collect(),
        total: ministry_row(String::new(), "Tổng cộng".into(), t),
        unlock,
        demand,
        analysis_csv: ANALYSIS_CSV,
        plan_xlsx: PLAN_XLSX,
        plan_csv: PLAN_CSV,
        lists_xlsx: LISTS_XLSX,
        reviewed: a.has_reviews(),
    };
    put(out, "index.html", &page)?;
    Ok(())
}
