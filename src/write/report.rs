//! The static HTML report site: an overview (verdict counts, the table by
//! ministry with the VNeID / database split, the data-readiness backlog),
//! one page per ministry and per procedure (every component's verdict with
//! its reasoning), and the amendment plan. Pages are askama templates
//! compiled into the binary; the site opens from disk with no network.

use crate::analysis::{Analysis, Verdict};
use crate::model::Level;
use crate::plan::Plan;
use askama::Template;
use std::collections::BTreeMap;
use std::path::PathBuf;

const STYLE: &str = include_str!("../../templates/style.css");

/// Fields every page shares with `base.html`.
struct Frame {
    title: String,
    root: &'static str,
    as_of: String,
    scope: String,
    /// The site has a "Thay đổi" page (`report --since OLD`).
    changes: bool,
}

/// What `report --since OLD` adds: the earlier round and what changed.
pub struct Since<'a> {
    /// The earlier catalogue, as the user named it.
    pub name: String,
    pub old: &'a Analysis<'a>,
    pub changes: &'a [crate::solve::diff::Change],
}

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage {
    title: String,
    root: &'static str,
    as_of: String,
    scope: String,
    changes: bool,
    since: String,
    since_as_of: String,
    rows: Vec<crate::write::diff::ChangeRow>,
}

struct VerdictCount {
    key: &'static str,
    label: &'static str,
    count: usize,
    share: String,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage<'a> {
    title: String,
    root: &'static str,
    as_of: String,
    scope: String,
    changes: bool,
    procedures: usize,
    components: usize,
    data_only: usize,
    counts: Vec<VerdictCount>,
    ministries: &'a [crate::analysis::MinistrySummary],
    unlock: Vec<UnlockRow>,
}

struct UnlockRow {
    kind: &'static str,
    id: String,
    name: String,
    components: usize,
    procedures: usize,
}

struct ProcRow {
    code: String,
    name: String,
    components: usize,
    replaceable: usize,
    conditional: usize,
    digital: usize,
    keep: usize,
    data_only: bool,
}

#[derive(Template)]
#[template(path = "ministry.html")]
struct MinistryPage {
    title: String,
    root: &'static str,
    as_of: String,
    scope: String,
    changes: bool,
    name: String,
    rows: Vec<ProcRow>,
}

struct ComponentView {
    key: &'static str,
    label: &'static str,
    case: String,
    text: String,
    documents: String,
    sources: String,
    reason: String,
    explanation: Vec<String>,
    provisions: String,
}

#[derive(Template)]
#[template(path = "procedure.html")]
struct ProcedurePage {
    title: String,
    root: &'static str,
    as_of: String,
    scope: String,
    changes: bool,
    code: String,
    name: String,
    agency: String,
    agency_id: String,
    sector: String,
    levels: String,
    handled_by: String,
    summary: String,
    source: String,
    components: Vec<ComponentView>,
    legal_basis: Vec<String>,
}

struct CutView {
    code: String,
    name: String,
    component: String,
    key: &'static str,
    label: &'static str,
}

struct ProvisionView {
    provision: String,
    cuts: Vec<CutView>,
}

struct DocumentView {
    heading: String,
    provisions: Vec<ProvisionView>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    title: String,
    root: &'static str,
    as_of: String,
    scope: String,
    changes: bool,
    documents: Vec<DocumentView>,
    cuts: usize,
    unattributed: usize,
}

fn count(vs: &[crate::analysis::ComponentVerdict], v: Verdict) -> usize {
    vs.iter().filter(|c| c.verdict == v).count()
}

fn frame(a: &Analysis, title: String, root: &'static str, changes: bool) -> Frame {
    let scope = match a.province.and_then(|p| a.catalog.provinces.get(p)) {
        Some(p) => p.name.clone(),
        None => format!("{} tỉnh, thành phố", a.catalog.provinces.len()),
    };
    let scope = if a.include_pilot {
        format!("{scope}, tính cả nguồn thí điểm")
    } else {
        scope
    };
    Frame {
        title,
        root,
        as_of: a.as_of.vi(),
        scope,
        changes,
    }
}

/// Renders every page, keyed by relative path.
pub fn render(a: &Analysis, plan: &Plan) -> Result<BTreeMap<PathBuf, Vec<u8>>, askama::Error> {
    render_since(a, plan, None)
}

/// [`render`], with the "Thay đổi" page when an earlier round is given.
pub fn render_since(
    a: &Analysis,
    plan: &Plan,
    since: Option<&Since>,
) -> Result<BTreeMap<PathBuf, Vec<u8>>, askama::Error> {
    let cat = a.catalog;
    let changes = since.is_some();
    let frame = |a: &Analysis, title: String, root: &'static str| frame(a, title, root, changes);
    let mut files: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    files.insert("style.css".into(), STYLE.as_bytes().to_vec());

    let total: usize = a.verdicts.iter().map(Vec::len).sum();
    let f = frame(a, "Tổng quan".into(), "");
    let index = IndexPage {
        title: f.title,
        root: f.root,
        as_of: f.as_of,
        scope: f.scope,
        changes: f.changes,
        procedures: cat.procedures.len(),
        components: total,
        data_only: a
            .verdicts
            .iter()
            .filter(|vs| crate::analysis::is_data_only(vs))
            .count(),
        counts: Verdict::ALL
            .iter()
            .map(|&v| {
                let n = a.count(v);
                VerdictCount {
                    key: v.as_str(),
                    label: v.vi(),
                    count: n,
                    share: format!("{:.1}%", 100.0 * n as f64 / total.max(1) as f64)
                        .replace('.', ","),
                }
            })
            .collect(),
        ministries: &a.by_ministry,
        unlock: a
            .unlock
            .iter()
            .take(30)
            .map(|u| UnlockRow {
                kind: if u.kind == "source" {
                    "nguồn dữ liệu"
                } else {
                    "trường thông tin"
                },
                id: u.id.clone(),
                name: u.name.clone(),
                components: u.components,
                procedures: u.procedures,
            })
            .collect(),
    };
    files.insert("index.html".into(), index.render()?.into_bytes());

    // One page per ministry.
    let mut by_agency: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, p) in cat.procedures.iter().enumerate() {
        by_agency.entry(p.agency).or_default().push(i);
    }
    for (agency, procs) in &by_agency {
        let ag = &cat.agencies[*agency];
        let f = frame(a, ag.name.clone(), "../");
        let page = MinistryPage {
            title: f.title,
            root: f.root,
            as_of: f.as_of,
            scope: f.scope,
            changes: f.changes,
            name: ag.name.clone(),
            rows: procs
                .iter()
                .map(|&i| {
                    let vs = &a.verdicts[i];
                    ProcRow {
                        code: cat.procedures[i].code.clone(),
                        name: cat.procedures[i].name.clone(),
                        components: vs.len(),
                        replaceable: count(vs, Verdict::Replaceable),
                        conditional: count(vs, Verdict::Conditional),
                        digital: count(vs, Verdict::AlreadyDigital),
                        keep: count(vs, Verdict::Keep),
                        data_only: crate::analysis::is_data_only(vs),
                    }
                })
                .collect(),
        };
        files.insert(
            PathBuf::from("bo").join(format!("{}.html", ag.id)),
            page.render()?.into_bytes(),
        );
    }

    // One page per procedure.
    for (p, vs) in cat.procedures.iter().zip(&a.verdicts) {
        let f = frame(a, format!("{} {}", p.code, p.name), "../");
        let names = |ids: Vec<String>| ids.join(" | ");
        let page = ProcedurePage {
            title: f.title,
            root: f.root,
            as_of: f.as_of,
            scope: f.scope,
            changes: f.changes,
            code: p.code.clone(),
            name: p.name.clone(),
            agency: cat.agencies[p.agency].name.clone(),
            agency_id: cat.agencies[p.agency].id.clone(),
            sector: p.sector.clone().unwrap_or_default(),
            levels: p
                .levels
                .iter()
                .map(|l| match l {
                    Level::Bo => "Cấp bộ",
                    Level::Tinh => "Cấp tỉnh",
                    Level::Xa => "Cấp xã",
                })
                .collect::<Vec<_>>()
                .join(", "),
            handled_by: p.handled_by.clone().unwrap_or_default(),
            summary: format!(
                "{}/{} thành phần thay thế được bằng dữ liệu{}",
                count(vs, Verdict::Replaceable),
                vs.len(),
                if crate::analysis::is_data_only(vs) {
                    "; hồ sơ trở thành hoàn toàn dữ liệu"
                } else {
                    ""
                }
            ),
            source: p
                .source
                .clone()
                .filter(|s| s.starts_with("https://") || s.starts_with("http://"))
                .unwrap_or_default(),
            components: p
                .components
                .iter()
                .zip(vs)
                .map(|(c, v)| ComponentView {
                    key: v.verdict.as_str(),
                    label: v.verdict.vi(),
                    case: c.case.clone().unwrap_or_default(),
                    text: c.text.clone(),
                    documents: names(
                        c.accepts
                            .iter()
                            .map(|&d| cat.document_types[d].name.clone())
                            .collect(),
                    ),
                    sources: names(
                        v.sources
                            .iter()
                            .map(|&s| cat.sources[s].name.clone())
                            .collect(),
                    ),
                    reason: crate::phrase::reason(cat, c, v),
                    explanation: crate::phrase::steps(cat, c, v),
                    provisions: c
                        .provisions
                        .iter()
                        .map(crate::phrase::provision_text)
                        .collect::<Vec<_>>()
                        .join("; "),
                })
                .collect(),
            legal_basis: p
                .legal_basis
                .iter()
                .map(|l| match &l.title {
                    Some(t) => format!("{} — {t}", l.number),
                    None => l.number.clone(),
                })
                .collect(),
        };
        files.insert(
            PathBuf::from("tthc").join(format!("{}.html", p.code)),
            page.render()?.into_bytes(),
        );
    }

    // The amendment plan.
    let f = frame(a, "Phương án sửa đổi văn bản".into(), "");
    let cut_view = |c: crate::plan::Cut| {
        let p = &cat.procedures[c.procedure];
        let v = &a.verdicts[c.procedure][c.component];
        CutView {
            code: p.code.clone(),
            name: p.name.clone(),
            component: p.components[c.component].text.clone(),
            key: v.verdict.as_str(),
            label: v.verdict.vi(),
        }
    };
    let page = PlanPage {
        title: f.title,
        root: f.root,
        as_of: f.as_of,
        scope: f.scope,
        changes: f.changes,
        cuts: plan
            .documents
            .iter()
            .flat_map(|d| &d.provisions)
            .map(|p| p.cuts.len())
            .sum(),
        unattributed: plan.unattributed.len(),
        documents: plan
            .documents
            .iter()
            .map(|d| DocumentView {
                heading: d.heading(),
                provisions: d
                    .provisions
                    .iter()
                    .map(|p| ProvisionView {
                        provision: p.provision.clone(),
                        cuts: p.cuts.iter().map(|&c| cut_view(c)).collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    files.insert("plan.html".into(), page.render()?.into_bytes());
    if let Some(since) = since {
        let f = frame(a, "Thay đổi".into(), "");
        let page = ChangesPage {
            title: f.title,
            root: f.root,
            as_of: f.as_of,
            scope: f.scope,
            changes: f.changes,
            since: since.name.clone(),
            since_as_of: since.old.as_of.vi(),
            rows: crate::write::diff::rows(since.old, a, since.changes),
        };
        files.insert("thay-doi.html".into(), page.render()?.into_bytes());
    }
    Ok(files)
}
