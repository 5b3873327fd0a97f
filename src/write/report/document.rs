//! One page per legal document of the plan: what it is, who drafts its
//! amendment, and the provisions that mandate papers data can replace.

use super::appendix::{document_rows, Row};
use super::{put, Frame, RenderError, Sink, Site};
use askama::Template;

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    frame: Frame,
    heading: String,
    issuer: String,
    date: String,
    amended_by: Vec<String>,
    drafter: String,
    provisions: usize,
    plan_anchor: String,
    rows: Vec<Row>,
}

pub fn pages(site: &Site, out: &mut impl Sink) -> Result<(), RenderError> {
    let cat = site.cat();
    for d in &site.plan.documents {
        let Some(path) = site.doc_page(&d.number) else {
            continue;
        };
        let known = cat.legal_documents.iter().find(|l| l.number == d.number);
        let page = DocumentPage {
            frame: site.frame(d.heading(), "../"),
            heading: d.heading(),
            issuer: known.and_then(|l| l.issuer.clone()).unwrap_or_default(),
            date: known
                .and_then(|l| l.date)
                .map(|x| x.vi())
                .unwrap_or_default(),
            amended_by: known.map(|l| l.amended_by.clone()).unwrap_or_default(),
            drafter: crate::plan::drafter(cat, d)
                .map(|g| cat.agencies[g].name.clone())
                .unwrap_or_default(),
            provisions: d.provisions.len(),
            plan_anchor: path
                .trim_start_matches("van-ban/")
                .trim_end_matches(".html")
                .to_owned(),
            rows: document_rows(site, d, 1),
        };
        put(out, path, &page)?;
    }
    Ok(())
}
