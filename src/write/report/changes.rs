//! The "Thay đổi" page of `report --since OLD`: what changed since the
//! earlier round, each change with its reasons (from [`crate::solve::diff`]).

use super::{put, Frame, RenderError, Sink, Site};
use askama::Template;

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage {
    frame: Frame,
    since: String,
    since_as_of: String,
    rows: Vec<crate::write::diff::ChangeRow>,
}

/// Renders `thay-doi.html` when the site was asked for it.
pub fn page(site: &Site, out: &mut impl Sink) -> Result<(), RenderError> {
    let Some(since) = site.since else {
        return Ok(());
    };
    let page = ChangesPage {
        frame: site.frame("Thay đổi", ""),
        since: since.name.clone(),
        since_as_of: since.old.as_of.vi(),
        rows: crate::write::diff::rows(since.old, site.a, since.changes),
    };
    put(out, "thay-doi.html", &page)?;
    Ok(())
}
