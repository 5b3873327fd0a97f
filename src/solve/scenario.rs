//! Scenario files: "what if" overrides of sources' status, dates and
//! coverage, applied to a validated catalogue before analysis.
//!
//! ```yaml
//! name: Cơ sở dữ liệu văn bằng sẵn sàng
//! sources:
//!   - id: csdl-van-bang
//!     status: operational
//!     since: "2026-03-01"
//!     coverage: {default: 1.0, source: giả định}
//! ```

use crate::date::Date;
use crate::diag::{Code, Diagnostic, Location};
use crate::format::{DueBasis, Located, RawCoverage, Ref, SourceStatus};
use crate::model::{Catalog, Coverage};
use crate::text;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// What the scenario asks.
    pub name: Option<String>,
    #[serde(default)]
    pub sources: Vec<SourceOverride>,
}

/// New values for one source; absent fields keep the catalogue's.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceOverride {
    pub id: Ref,
    pub status: Option<Located<SourceStatus>>,
    pub since: Option<Located<String>>,
    pub due: Option<Located<String>>,
    /// Whether the due date is decided or assumed; default: the
    /// catalogue's.
    pub due_basis: Option<DueBasis>,
    pub coverage: Option<RawCoverage>,
}

/// Reads a scenario file and applies it to `cat`. Every problem is
/// reported, located in the scenario file.
pub fn apply_file(cat: &mut Catalog, path: &Path) -> Result<Option<String>, Vec<Diagnostic>> {
    let display = path.display().to_string();
    let text = crate::load::read_file(path, &display).map_err(|d| vec![d])?;
    apply_text(cat, &text, &display)
}

/// Applies the scenario `text`, read from the file shown as `display`, to
/// `cat`. Every problem is reported, located in the scenario file.
pub fn apply_text(
    cat: &mut Catalog,
    text: &str,
    display: &str,
) -> Result<Option<String>, Vec<Diagnostic>> {
    let display = display.to_owned();
    let sc: ScenarioFile = crate::load::parse_yaml(text, &display).map_err(|d| vec![d])?;
    let mut diags = Vec::new();
    let at = |l: u32, c: u32| Location::new(display.clone(), l, c);
    let ids: HashMap<String, usize> = cat
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    let provinces: HashMap<String, usize> = cat
        .provinces
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();
    let date = |l: &Located<String>, diags: &mut Vec<Diagnostic>| -> Option<Date> {
        match l.value.parse() {
            Ok(d) => Some(d),
            Err(e) => {
                diags.push(
                    Diagnostic::new(Code::MalformedDate, at(l.line, l.column), format!("{e}"))
                        .hint("write dates as YYYY-MM-DD"),
                );
                None
            }
        }
    };
    for o in &sc.sources {
        let Some(&si) = ids.get(&o.id.value) else {
            let hint = match text::did_you_mean(&o.id.value, ids.keys().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "use a source id of the catalogue".into(),
            };
            diags.push(
                Diagnostic::new(
                    Code::UnknownReference,
                    at(o.id.line, o.id.column),
                    format!("unknown data source `{}`", o.id.value),
                )
                .hint(hint),
            );
            continue;
        };
        let since = o.since.as_ref().and_then(|d| date(d, &mut diags));
        let due = o.due.as_ref().and_then(|d| date(d, &mut diags));
        let s = &mut cat.sources[si];
        if let Some(st) = &o.status {
            s.status = st.value;
        }
        if o.since.is_some() {
            s.since = since;
        }
        if o.due.is_some() {
            s.due = due;
        }
        if let Some(b) = o.due_basis {
            s.due_basis = b;
        }
        if let Some(c) = &o.coverage {
            let mut by_province = HashMap::new();
            for pc in &c.by_province {
                match provinces.get(&pc.province.value) {
                    Some(&p) => {
                        by_province.insert(p, pc.value.value);
                    }
                    None => diags.push(
                        Diagnostic::new(
                            Code::UnknownReference,
                            at(pc.province.line, pc.province.column),
                            format!("unknown province `{}`", pc.province.value),
                        )
                        .hint("use a province id of the catalogue"),
                    ),
                }
            }
            for v in std::iter::once(&c.default).chain(c.by_province.iter().map(|p| &p.value)) {
                if !(0.0..=1.0).contains(&v.value) {
                    diags.push(
                        Diagnostic::new(
                            Code::OutOfRange,
                            at(v.line, v.column),
                            format!("coverage {} is not between 0 and 1", v.value),
                        )
                        .hint("write shares as fractions: 0.98 for 98%"),
                    );
                }
            }
            s.coverage = Some(Coverage {
                default: c.default.value,
                by_province,
                lowest: c.lowest.as_ref().map(|l| l.value),
                source: c.source.clone(),
            });
        }
        if s.status == SourceStatus::Planned && s.due.is_none() {
            diags.push(
                Diagnostic::new(
                    Code::Inconsistent,
                    at(o.id.line, o.id.column),
                    format!("planned source `{}` has no due date", o.id.value),
                )
                .hint("add `due: YYYY-MM-DD`"),
            );
        }
    }
    if diags.is_empty() {
        Ok(sc.name)
    } else {
        Err(diags)
    }
}
