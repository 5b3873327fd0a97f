//! Charts as inline SVG: drawn once when the site is written, readable
//! without script, printed as they are shown. Colours are attributes, so
//! printing "without background graphics" keeps them.

use crate::analysis::{Outcome, Tally};
use crate::number;
use std::fmt::Write;

/// The fill of each outcome, darker than the badges so bars read in print.
fn colour(o: Outcome) -> &'static str {
    match o {
        Outcome::Replaceable => "#2e9e4f",
        Outcome::Conditional => "#e0a800",
        Outcome::Partial => "#6c7ae0",
        Outcome::AlreadyDigital => "#2d8fd5",
        Outcome::Form => "#b7bec7",
        Outcome::Unrecognised => "#e67e22",
        Outcome::NoSource => "#c9473d",
    }
}

/// Text for SVG: `&`, `<`, `>` and `"` escaped.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const WIDTH: f64 = 760.0;
const LABEL: f64 = 250.0;
const BAR: f64 = 470.0;
const ROW: f64 = 26.0;

/// One bar of `(label, value, colour)` segments from `x`, `y`; each
/// segment carries its count as a tooltip.
fn segments(out: &mut String, y: f64, label: &str, parts: &[(String, usize, &str)]) {
    let total: usize = parts.iter().map(|p| p.1).sum();
    let mut x = LABEL;
    for (name, n, fill) in parts {
        if *n == 0 || total == 0 {
            continue;
        }
        let w = BAR * *n as f64 / total as f64;
        let _ = write!(
            out,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="18" fill="{fill}"><title>{} — {}: {} ({})</title></rect>"##,
            esc(label),
            esc(name),
            number::int(*n),
            number::percent(*n, total)
        );
        x += w;
    }
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="{:.1}" font-size="12" fill="#1d2733">{}</text>"##,
        LABEL + BAR + 6.0,
        y + 13.0,
        number::int(total)
    );
}

fn legend(out: &mut String, y: f64, items: &[(String, &str)]) -> f64 {
    let (mut x, mut y) = (0.0, y);
    for (name, fill) in items {
        let w = 22.0 + 6.6 * name.chars().count() as f64;
        if x + w > WIDTH {
            x = 0.0;
            y += 18.0;
        }
        let _ = write!(
            out,
            r##"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="{fill}"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#1d2733">{}</text>"##,
            y,
            x + 16.0,
            y + 10.5,
            esc(name)
        );
        x += w + 10.0;
    }
    y + 18.0
}

/// A bar per row, split by outcome: how each ministry's papers fare.
pub fn outcomes_by_row(title: &str, rows: &[(String, &Tally)]) -> String {
    let mut body = String::new();
    for (i, (label, t)) in rows.iter().enumerate() {
        let y = i as f64 * ROW;
        let _ = write!(
            body,
            r##"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end" fill="#1d2733">{}</text>"##,
            LABEL - 8.0,
            y + 13.0,
            esc(&crate::text::shorten(label, 38))
        );
        let parts: Vec<(String, usize, &str)> = Outcome::ALL
            .iter()
            .map(|&o| {
                (
                    crate::phrase::outcome_label(o).to_owned(),
                    t.get(o),
                    colour(o),
                )
            })
            .collect();
        segments(&mut body, y, label, &parts);
    }
    let items: Vec<(String, &str)> = Outcome::ALL
        .iter()
        .map(|&o| (crate::phrase::outcome_label(o).to_owned(), colour(o)))
        .collect();
    let h = legend(&mut body, rows.len() as f64 * ROW + 6.0, &items);
    wrap(title, h, &body)
}

/// One bar split into named parts (e.g. VNeID only / both / databases only).
pub fn split(title: &str, label: &str, parts: &[(String, usize, &str)]) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        r##"<text x="{:.1}" y="13" font-size="12" text-anchor="end" fill="#1d2733">{}</text>"##,
        LABEL - 8.0,
        esc(label)
    );
    segments(&mut body, 0.0, label, parts);
    let items: Vec<(String, &str)> = parts
        .iter()
        .map(|(n, v, c)| (format!("{n}: {}", number::int(*v)), *c))
        .collect();
    let h = legend(&mut body, ROW + 6.0, &items);
    wrap(title, h, &body)
}

fn wrap(title: &str, height: f64, body: &str) -> String {
    format!(
        r##"<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height:.0}" width="100%" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif"><title>{}</title>{body}</svg>"##,
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_escaped() {
        let t = Tally {
            replaceable: 1,
            form: 3,
            ..Default::default()
        };
        let svg = outcomes_by_row("Kết luận", &[("A & <B>".into(), &t)]);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("A &amp; &lt;B&gt;"));
        assert!(svg.contains(r#"width="117.5""#), "{svg}");
        assert!(svg.contains(r#"width="352.5""#), "{svg}");
        assert!(svg.contains("(25,0%)"));
    }
}
