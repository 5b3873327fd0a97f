//! The static HTML report site, one module a page kind behind one render
//! context ([`Site`]): the overview ([`overview`]: tiles, charts, the table
//! by ministry, rankings, downloads), one page per ministry ([`ministry`]),
//! per procedure ([`procedure`]), per data source ([`source`]) and per legal
//! document ([`document`]), and the amendment plan as an appendix table
//! ([`appendix`]). Pages are askama templates compiled into the binary; the
//! site opens from disk with no network: the search index is a script file
//! ([`search`]), the charts are inline SVG ([`chart`]).

mod appendix;
mod changes;
mod chart;
mod document;
mod ministry;
mod overview;
mod procedure;
mod search;
mod source;

use crate::analysis::{Analysis, Outcome};
use crate::model::Catalog;
use crate::number;
use crate::outdir::{DirWriter, OutDirError};
use crate::plan::{Cut, Plan};
use askama::Template;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

const STYLE: &str = include_str!("../../../templates/style.css");
const SCRIPT: &str = include_str!("../../../templates/site.js");

/// Every file of the site, keyed by relative path.
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

/// Where the site's files go as they are rendered: a map in memory
/// ([`Files`]) or an output directory being written ([`DirWriter`]).
pub trait Sink {
    /// Takes the file `path` whole.
    fn file(&mut self, path: &Path, bytes: Vec<u8>) -> Result<(), RenderError>;
    /// Takes the file `path` as `write` makes it.
    fn file_with(
        &mut self,
        path: &Path,
        write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), RenderError>,
    ) -> Result<(), RenderError>;
}

impl Sink for Files {
    fn file(&mut self, path: &Path, bytes: Vec<u8>) -> Result<(), RenderError> {
        self.insert(path.to_path_buf(), bytes);
        Ok(())
    }

    fn file_with(
        &mut self,
        path: &Path,
        write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), RenderError>,
    ) -> Result<(), RenderError> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.file(path, bytes)
    }
}

impl Sink for DirWriter {
    fn file(&mut self, path: &Path, bytes: Vec<u8>) -> Result<(), RenderError> {
        Ok(self.add(path, &bytes)?)
    }

    fn file_with(
        &mut self,
        path: &Path,
        write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), RenderError>,
    ) -> Result<(), RenderError> {
        self.add_with(path, write)
    }
}

/// What every page shares with `base.html`.
pub struct Frame {
    pub title: String,
    /// The way back to the site's root from the page (`""` or `"../"`).
    pub root: &'static str,
    pub as_of: String,
    pub scope: String,
    /// The title block printed on every page (`@page` margin boxes).
    pub print_css: String,
    pub script: &'static str,
    /// The site has a "Thay đổi" page (`report --since OLD`).
    pub changes: bool,
}

/// What `report --since OLD` adds: the earlier round and what changed.
pub struct Since<'a> {
    /// The earlier catalogue, as the user named it.
    pub name: String,
    pub old: &'a Analysis<'a>,
    pub changes: &'a [crate::solve::diff::Change],
}

/// A number shown in a table: the value for sorting, the text to read.
pub struct Num {
    pub v: usize,
    pub text: String,
}

impl Num {
    pub fn new(v: usize) -> Num {
        Num {
            v,
            text: number::int(v),
        }
    }
}

/// An outcome as a badge: its CSS key and Vietnamese label.
#[derive(Clone, Copy)]
pub struct Badge {
    pub key: &'static str,
    pub label: &'static str,
}

impl Badge {
    pub fn of(o: Outcome) -> Badge {
        Badge {
            key: o.as_str(),
            label: crate::phrase::outcome_label(o),
        }
    }
}

/// The render context: the analysis, the plan, and what pages link to.
pub struct Site<'a> {
    pub a: &'a Analysis<'a>,
    pub plan: &'a Plan,
    pub scope: String,
    /// Page of each legal document that has one, by normalised number.
    doc_pages: HashMap<String, String>,
    pub since: Option<&'a Since<'a>>,
}

impl<'a> Site<'a> {
    fn new(a: &'a Analysis<'a>, plan: &'a Plan, since: Option<&'a Since<'a>>) -> Site<'a> {
        let cat = a.catalog;
        let scope = match a.province.and_then(|p| cat.provinces.get(p)) {
            Some(p) => p.name.clone(),
            None => format!("{} tỉnh, thành phố", number::int(cat.provinces.len())),
        };
        let scope = if a.include_pilot {
            format!("{scope}, tính cả nguồn thí điểm")
        } else {
            scope
        };
        let mut doc_pages = HashMap::new();
        let mut taken: Vec<String> = Vec::new();
        for d in &plan.documents {
            let base = crate::text::fold(&d.number).replace(' ', "-");
            let mut slug = base.clone();
            let mut n = 2;
            while taken.contains(&slug) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            taken.push(slug.clone());
            doc_pages.insert(d.number.clone(), format!("van-ban/{slug}.html"));
        }
        Site {
            a,
            plan,
            scope,
            doc_pages,
            since,
        }
    }

    pub fn cat(&self) -> &'a Catalog {
        self.a.catalog
    }

    /// The frame of a page `title` at depth `root`.
    pub fn frame(&self, title: impl Into<String>, root: &'static str) -> Frame {
        let title = title.into();
        let as_of = self.a.as_of.vi();
        let block = format!(
            "{title} · ngày phân tích {as_of} · {} · nguồn: danh mục {} thủ tục hành chính, phân tích bằng tthc",
            self.scope,
            number::int(self.cat().procedures.len())
        );
        Frame {
            print_css: format!(
                "@page{{@top-left{{content:\"{}\"}}}}",
                css_string(&crate::text::shorten(&block, 180))
            ),
            title,
            root,
            as_of,
            scope: self.scope.clone(),
            script: SCRIPT,
            changes: self.since.is_some(),
        }
    }

    /// The page of a legal document, relative to the site root, if it has one.
    pub fn doc_page(&self, number: &str) -> Option<&str> {
        self.doc_pages.get(number).map(String::as_str)
    }

    /// The component and verdict a cut points at.
    pub fn cut(
        &self,
        c: Cut,
    ) -> (
        &'a crate::model::Procedure,
        &'a crate::model::Component,
        &'a crate::analysis::ComponentVerdict,
    ) {
        let p = &self.cat().procedures[c.procedure];
        (
            p,
            &p.components[c.component],
            &self.a.verdicts[c.procedure][c.component],
        )
    }
}

/// Text inside a CSS string: quotes and backslashes escaped, and nothing
/// that could close the `<style>` element.
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Renders a page into `out` at `path`, straight into its file (the plan
/// page is 13 MB at x46: never held whole).
fn put(
    out: &mut impl Sink,
    path: impl AsRef<Path>,
    page: &impl Template,
) -> Result<(), RenderError> {
    out.file_with(path.as_ref(), |w| Ok(Template::write_into(page, w)?))
}

/// Renders every page and download, keyed by relative path.
pub fn render(a: &Analysis, plan: &Plan) -> Result<Files, RenderError> {
    let mut files = Files::new();
    render_into(a, plan, None, &mut files)?;
    Ok(files)
}

/// Renders every page and download into `out`, one file after another
/// (pages rendered in parallel a chunk at a time), with the "Thay đổi"
/// page when an earlier round is given.
pub fn render_into(
    a: &Analysis,
    plan: &Plan,
    since: Option<&Since>,
    out: &mut impl Sink,
) -> Result<(), RenderError> {
    render_pages(a, plan, since, out)?.write_into(out)
}

/// Renders every file of the site into `out` except the two workbooks,
/// which it gives back packed ([`Workbooks`]): they own their text, so the
/// caller can drop the analysis, the plan and the catalogue before the
/// workbooks are assembled, and the largest of the downloads is never
/// built while the analysis is alive.
pub fn render_pages(
    a: &Analysis,
    plan: &Plan,
    since: Option<&Since>,
    out: &mut impl Sink,
) -> Result<Workbooks, RenderError> {
    let site = Site::new(a, plan, since);
    out.file(Path::new("style.css"), STYLE.as_bytes().to_vec())?;
    out.file_with(Path::new(search::INDEX_FILE), |w| {
        Ok(search::write_index(site.cat(), w)?)
    })?;
    overview::downloads(&site, out)?;
    overview::page(&site, out)?;
    ministry::pages(&site, out)?;
    procedure::pages(&site, out)?;
    source::pages(&site, out)?;
    document::pages(&site, out)?;
    appendix::page(&site, out)?;
    changes::page(&site, out)?;
    Ok(overview::workbooks(&site))
}

/// The site's two XLSX downloads, packed (see [`render_pages`]).
pub struct Workbooks {
    lists: crate::write::table::Book,
    plan: crate::write::table::Book,
}

impl Workbooks {
    /// Assembles each workbook and writes it into `out`, one after the
    /// other, each dropped once written.
    pub fn write_into(self, out: &mut impl Sink) -> Result<(), RenderError> {
        let Workbooks { lists, plan } = self;
        out.file(Path::new(overview::LISTS_XLSX), lists.to_xlsx()?)?;
        drop(lists);
        out.file(Path::new(overview::PLAN_XLSX), plan.to_xlsx()?)
    }
}

/// Why the site could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("CSV download: {0}")]
    Csv(#[from] csv::Error),
    #[error("XLSX download: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("writing: {0}")]
    Io(#[from] std::io::Error),
    /// The output directory could not be written (its diagnostic says why).
    #[error("the output directory could not be written")]
    Out(OutDirError),
}

impl From<OutDirError> for RenderError {
    fn from(e: OutDirError) -> RenderError {
        RenderError::Out(e)
    }
}

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn css_strings_cannot_escape() {
        assert_eq!(css_string(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(css_string("</style>"), "\\3c /style\\3e ");
    }
}
