//! One page per data source: what it is and who runs it, where and from
//! when it is ready (province by province), what it replaces today, and
//! what it would unlock if it were ready everywhere.

use super::{put, Badge, Frame, Num, RenderError, Sink, Site};
use crate::analysis::Verdict;
use crate::model::{SourceKind, SourceStatus};
use crate::readiness::{readiness, Context};
use askama::Template;

struct ProvinceRow {
    name: String,
    /// Digitised share in basis points, for sorting.
    coverage_v: usize,
    coverage: String,
    ready: bool,
    readiness: String,
}

struct UseRow {
    code: String,
    name: String,
    paper: String,
    badge: Badge,
}

#[derive(Template)]
#[template(path = "source.html")]
struct SourcePage {
    frame: Frame,
    name: String,
    kind: &'static str,
    operator: String,
    status: String,
    legal_basis: Vec<String>,
    documents: Vec<String>,
    elements: Vec<String>,
    coverage_source: String,
    ready_in: String,
    provinces: Vec<ProvinceRow>,
    uses: Vec<UseRow>,
    procedures: Num,
    unlock: String,
}

pub fn pages(site: &Site, out: &mut impl Sink) -> Result<(), RenderError> {
    let cat = site.cat();
    let a = site.a;
    let cx = Context {
        as_of: a.as_of,
        include_pilot: a.include_pilot,
        threshold: cat.settings.coverage_threshold.value,
    };
    let t = cx.threshold;
    for (si, s) in cat.sources.iter().enumerate() {
        let status = match s.status {
            SourceStatus::Operational => "đang vận hành".to_owned(),
            SourceStatus::Pilot => "đang thí điểm".to_owned(),
            SourceStatus::Planned => match s.due {
                Some(d) => format!("đang xây dựng, dự kiến sẵn sàng ngày {}", d.vi()),
                None => "đang xây dựng".to_owned(),
            },
        };
        let status = match s.since {
            Some(d) => format!("{status}; được dùng từ ngày {}", d.vi()),
            None => status,
        };
        let provinces: Vec<ProvinceRow> = cat
            .provinces
            .iter()
            .enumerate()
            .map(|(pi, p)| {
                let r = readiness(s, pi, &cx);
                let share = s.coverage.as_ref().map_or(1.0, |c| c.in_province(pi));
                ProvinceRow {
                    name: p.name.clone(),
                    coverage_v: (share * 10_000.0).round() as usize,
                    coverage: s
                        .coverage
                        .as_ref()
                        .map(|c| format!("{}%", crate::number::share(c.in_province(pi))))
                        .unwrap_or_else(|| "đầy đủ".into()),
                    ready: r.is_ready(),
                    readiness: crate::phrase::readiness_text(r, t),
                }
            })
            .collect();
        let ready = provinces.iter().filter(|p| p.ready).count();
        let mut uses = Vec::new();
        let mut procedures = 0;
        for (p, vs) in cat.procedures.iter().zip(&a.verdicts) {
            let before = uses.len();
            for (c, v) in p.components.iter().zip(vs) {
                if v.sources.contains(&si)
                    && matches!(
                        v.verdict,
                        Verdict::Replaceable | Verdict::Conditional | Verdict::AlreadyDigital
                    )
                {
                    uses.push(UseRow {
                        code: p.code.clone(),
                        name: p.name.clone(),
                        paper: crate::text::shorten(&c.text, 140),
                        badge: Badge::of(v.outcome()),
                    });
                }
            }
            procedures += usize::from(uses.len() > before);
        }
        let unlock = a
            .unlock
            .iter()
            .find(|u| u.kind == "source" && u.id == s.id)
            .map(|u| {
                format!(
                    "Nếu nguồn này sẵn sàng tại mọi tỉnh, thành phố: thêm {} giấy tờ của {} thủ tục thay thế được.",
                    crate::number::int(u.components),
                    crate::number::int(u.procedures)
                )
            })
            .unwrap_or_default();
        let page = SourcePage {
            frame: site.frame(s.name.clone(), "../"),
            name: s.name.clone(),
            kind: match s.kind {
                SourceKind::NationalDatabase => "Cơ sở dữ liệu quốc gia",
                SourceKind::SectorDatabase => "Cơ sở dữ liệu chuyên ngành",
                SourceKind::Wallet => "Giấy tờ tích hợp trên ứng dụng VNeID",
            },
            operator: cat.agencies[s.operator].name.clone(),
            status,
            legal_basis: s
                .legal_basis
                .iter()
                .map(crate::phrase::provision_text)
                .collect(),
            documents: s
                .documents
                .iter()
                .map(|&d| cat.document_types[d].name.clone())
                .collect(),
            elements: s
                .elements
                .iter()
                .map(|&e| cat.elements[e].name.clone())
                .collect(),
            coverage_source: s
                .coverage
                .as_ref()
                .map(|c| c.source.clone())
                .unwrap_or_default(),
            ready_in: if cat.provinces.is_empty() {
                String::new()
            } else {
                format!(
                    "Sẵn sàng tại {}/{} tỉnh, thành phố vào ngày {} (ngưỡng số hóa {}%).",
                    crate::number::int(ready),
                    crate::number::int(cat.provinces.len()),
                    a.as_of.vi(),
                    crate::number::share(t)
                )
            },
            provinces,
            procedures: Num::new(procedures),
            uses,
            unlock,
        };
        put(out, format!("nguon/{}.html", s.id), &page)?;
    }
    Ok(())
}
