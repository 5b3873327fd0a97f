//! `tthc report`: the static site through the real binary, its links, and
//! the pages opened in a real headless Chromium (installed by .ci/run).

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const SOLVER: &str = "tests/fixtures/solver";

fn report(out: &Path) -> std::process::Output {
    tthc([
        "report".as_ref(),
        SOLVER.as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn site_pages_exist_and_every_link_resolves_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = report(&site);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for f in [
        "index.html",
        "plan.html",
        "style.css",
        "bo/bo-a.html",
        "tthc/1.000001.html",
    ] {
        assert!(site.join(f).is_file(), "{f} missing");
    }
    let href = regex::Regex::new(r#"(?:href|src)="([^"]+)""#).unwrap();
    let pages = html_files(&site);
    assert_eq!(pages.len(), 4);
    for page in pages {
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(!html.contains("<script"), "no scripts needed");
        for cap in href.captures_iter(&html) {
            let target = &cap[1];
            if target.starts_with("https://") || target.starts_with("http://") {
                // Only plain links to the portal record, never a resource.
                assert!(html.contains(&format!("<a href=\"{target}\"")), "{target}");
                continue;
            }
            let resolved = page.parent().unwrap().join(target);
            assert!(
                resolved.is_file(),
                "{}: broken link {target}",
                page.display()
            );
        }
    }
    let proc_page = std::fs::read_to_string(site.join("tthc/1.000001.html")).unwrap();
    for text in [
        "thay thế được",
        "Giấy lạ hoặc thẻ căn cước",
        "CSDL dân cư",
        "Chuỗi lập luận",
    ] {
        assert!(proc_page.contains(text), "{text}");
    }
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("CSDL văn bằng"), "unlock ranking shown");
}

#[test]
fn report_refuses_a_foreign_directory_and_replaces_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = report(tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("refusing to write"),
        "{}",
        stderr(&out)
    );
    let site = tmp.path().join("site");
    assert_eq!(report(&site).status.code(), Some(0));
    std::fs::write(site.join("index.html"), "stale").unwrap();
    assert_eq!(report(&site).status.code(), Some(0));
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.starts_with("<!DOCTYPE html>"));
}

fn chromium() -> String {
    for c in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return c.to_owned();
        }
    }
    panic!("this test opens the report in a real browser: install Chromium (`apt-get install -y chromium`; .ci/run does it)");
}

fn headless(args: &[&str], url: &str) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .expect("run chromium")
}

#[test]
fn pages_render_in_a_real_browser() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert_eq!(report(&site).status.code(), Some(0));
    let url = format!("file://{}", site.join("tthc/1.000001.html").display());
    let dom = headless(&["--dump-dom"], &url);
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("Thủ tục thử"), "{dom}");
    assert!(dom.contains("giữ nguyên"), "{dom}");
    let shot = tmp.path().join("index.png");
    let out = headless(
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,900",
        ],
        &format!("file://{}", site.join("index.html").display()),
    );
    assert!(shot.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    // A blank page compresses to almost nothing; a rendered one does not.
    assert!(std::fs::metadata(&shot).unwrap().len() > 20_000);
}
