//! `tthc report`: the static site through the real binary, its links, its
//! figures against `analyse --summary`, its size budgets on the shipped
//! catalogue, and the pages driven in a real headless Chromium (installed
//! by .ci/run) over the DevTools protocol: search typed without diacritics,
//! a table sorted and filtered, A4 PDFs printed, no console error.
//! Screenshots and PDFs are kept as artefacts in `CARGO_TARGET_TMPDIR`
//! (inside Cargo's target directory), folder `report`.

mod common;
use common::*;
use regex::Regex;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const SOLVER: &str = "tests/fixtures/solver";

fn report(catalogue: &str, out: &Path) -> std::process::Output {
    tthc([
        "report".as_ref(),
        catalogue.as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every link of every page resolves on disk, fragments included; only
/// the portal record is linked outside, and no resource is remote.
fn assert_links_resolve(site: &Path) {
    let href = Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let ids = Regex::new(r#"\sid="([^"]+)""#).unwrap();
    let mut anchors: std::collections::HashMap<PathBuf, Vec<String>> = Default::default();
    for page in files(site, "html") {
        let html = read(&page);
        assert!(html.starts_with("<!DOCTYPE html>"), "{}", page.display());
        assert!(!html.contains("<script src"), "scripts are inline");
        for cap in href.captures_iter(&html) {
            let target = &cap[1];
            if target.starts_with("https://") || target.starts_with("http://") {
                assert!(html.contains(&format!("<a href=\"{target}\"")), "{target}");
                continue;
            }
            let (file, frag) = target.split_once('#').unwrap_or((target, ""));
            let resolved = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            assert!(
                resolved.is_file(),
                "{}: broken link {target}",
                page.display()
            );
            if !frag.is_empty() {
                let have = anchors.entry(resolved.clone()).or_insert_with(|| {
                    ids.captures_iter(&read(&resolved))
                        .map(|c| c[1].to_owned())
                        .collect()
                });
                assert!(
                    have.iter().any(|i| i == frag),
                    "{}: no anchor #{frag} in {}",
                    page.display(),
                    resolved.display()
                );
            }
        }
    }
}

#[test]
fn site_pages_exist_and_every_link_resolves_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = report(SOLVER, &site);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for f in [
        "index.html",
        "plan.html",
        "style.css",
        "tim-kiem.js",
        "bo/bo-a.html",
        "tthc/1.000001.html",
        "nguon/csdl-dan-cu.html",
        "nguon/csdl-van-bang.html",
        "tai-ve/phan-tich.csv",
        "tai-ve/phuong-an.xlsx",
        "tai-ve/phuong-an.csv",
    ] {
        assert!(site.join(f).is_file(), "{f} missing");
    }
    assert_links_resolve(&site);
    let proc_page = read(&site.join("tthc/1.000001.html"));
    for text in [
        "thay thế được",
        "Giấy lạ hoặc thẻ căn cước",
        "CSDL dân cư",
        "Chuỗi lập luận",
        "Nhận diện:",
        // `keep` split: a paper nobody recognised, once explained.
        "chưa nhận diện — cần rà soát",
        "chưa có nguồn dữ liệu",
    ] {
        assert!(proc_page.contains(text), "{text}");
    }
    let index = read(&site.join("index.html"));
    assert!(index.contains("CSDL văn bằng"), "unlock ranking shown");
    assert!(index.contains("<svg class=\"chart\""), "inline charts");
    assert!(index.contains("tai-ve/phan-tich.csv"), "downloads linked");
    let source = read(&site.join("nguon/csdl-van-bang.html"));
    assert!(source.contains("Sẵn sàng theo tỉnh, thành phố"), "{source}");
    // The search index holds every procedure, with its name as written.
    let idx = read(&site.join("tim-kiem.js"));
    assert!(idx.starts_with("window.TTHC_INDEX=[[\"1.000001\",\"Thủ tục thử\""));
}

#[test]
fn procedure_pages_group_cases_in_their_numbered_order_and_explain_empty_dossiers() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    std::fs::create_dir_all(&cat).unwrap();
    std::fs::write(
        cat.join("1.000010.yaml"),
        r#"code: "1.000010"
name: Thủ tục có trường hợp
agency: bo-tu-phap
components:
  - {text: Tờ khai theo mẫu, role: form}
cases:
  - name: (2) Trường hợp thứ hai
    components:
      - {text: Giấy khai sinh, accepts: [giay-khai-sinh]}
  - name: (1) Trường hợp thứ nhất
    components:
      - {text: Giấy tờ lạ một, unrecognised: không rõ}
      - {text: Giấy tờ lạ hai, unrecognised: không rõ}
"#,
    )
    .unwrap();
    std::fs::write(
        cat.join("1.000011.yaml"),
        "code: \"1.000011\"\nname: Thủ tục không có hồ sơ\nagency: bo-tu-phap\nnotes: [\"Hồ sơ nêu ở văn bản khác\"]\n",
    )
    .unwrap();
    let site = tmp.path().join("site");
    let out = report(cat.to_str().unwrap(), &site);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = read(&site.join("tthc/1.000010.html"));
    let first = page.find("(1) Trường hợp thứ nhất").unwrap();
    let second = page.find("(2) Trường hợp thứ hai").unwrap();
    let common = page.find("Trong mọi trường hợp").unwrap();
    assert!(
        common < first && first < second,
        "cases in their numbered order"
    );
    assert_eq!(
        page.matches("(1) Trường hợp thứ nhất").count(),
        1,
        "one label a case"
    );
    // The review reason is said once, not on every paper.
    assert_eq!(page.matches("cần cán bộ rà soát").count(), 1, "{page}");
    assert!(
        !Regex::new(r"\d+/\d+ thành phần").unwrap().is_match(&page),
        "no 0/N fractions"
    );
    let empty = read(&site.join("tthc/1.000011.html"));
    assert!(
        empty.contains("không liệt kê thành phần hồ sơ nào"),
        "{empty}"
    );
    assert!(empty.contains("Hồ sơ nêu ở văn bản khác"));
}

#[test]
fn report_refuses_a_foreign_directory_and_replaces_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = report(SOLVER, tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("refusing to replace"),
        "{}",
        stderr(&out)
    );
    let site = tmp.path().join("site");
    assert_eq!(report(SOLVER, &site).status.code(), Some(0));
    assert_eq!(
        report(SOLVER, &site).status.code(),
        Some(0),
        "its own output is replaced"
    );
    // A page edited by hand is no longer tthc's: kept, and the run refused.
    std::fs::write(site.join("index.html"), "edited").unwrap();
    assert_eq!(report(SOLVER, &site).status.code(), Some(1));
    assert_eq!(read(&site.join("index.html")), "edited");
    std::fs::remove_file(site.join("index.html")).unwrap();
    assert_eq!(report(SOLVER, &site).status.code(), Some(0));
    let index = read(&site.join("index.html"));
    assert!(index.starts_with("<!DOCTYPE html>"));
}

/// Where artefacts of the shipped-catalogue tests go (kept, not committed).
fn artefacts() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The site of the shipped catalogue, written once per test run (its
/// speed is measured by `cargo bench --bench pipeline`, not here).
fn shipped() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = artefacts().join("site");
        // A site an older build left there may lack the manifest that
        // proves it is tthc's own; start afresh.
        let _ = std::fs::remove_dir_all(&site);
        let out = report("procedures", &site);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        site
    })
}

#[test]
fn shipped_report_keeps_its_budgets_and_its_links() {
    let site = shipped();
    let size = |f: &str| std::fs::metadata(site.join(f)).unwrap().len();
    assert!(
        size("index.html") < 100_000,
        "overview {} B",
        size("index.html")
    );
    assert!(
        size("plan.html") < 1_000_000,
        "plan {} B",
        size("plan.html")
    );
    assert_links_resolve(site);
}

fn summary_json() -> Value {
    let out = tthc(["analyse", "--summary", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// Every figure the overview shows equals `analyse --summary`, and the
/// ministry table adds up: row by row and in its total row.
#[test]
fn overview_figures_equal_the_summary_and_the_table_adds_up() {
    let site = shipped();
    let index = read(&site.join("index.html"));
    let summary = summary_json();
    let totals = &summary["totals"];
    let tile = Regex::new(
        r#"data-figure="([a-z_]+)" data-v="(\d+)"><span class="big">([\d.]+)</span> <span class="share">([\d,]+%)</span>"#,
    )
    .unwrap();
    let mut seen = Vec::new();
    for c in tile.captures_iter(&index) {
        let (figure, v, shown) = (&c[1], c[2].parse::<u64>().unwrap(), &c[3]);
        let expected = totals
            .get(figure)
            .or_else(|| totals["by_outcome"].get(figure))
            .or_else(|| totals["review"].get(figure))
            .and_then(Value::as_u64)
            .unwrap_or_else(|| panic!("tile {figure} is not a summary figure"));
        assert_eq!(v, expected, "tile {figure}");
        assert_eq!(
            shown.replace('.', ""),
            v.to_string(),
            "{figure} shown as {shown}"
        );
        seen.push(figure.to_owned());
    }
    for f in [
        "procedures_replaceable",
        "replaceable_components",
        "data_only",
    ] {
        assert!(seen.iter().any(|s| s == f), "no tile for {f}: {seen:?}");
    }
    // The tiles' shares, recomputed from the summary.
    let share = |part: &str, whole: u64| {
        let p = totals[part].as_u64().unwrap() as f64;
        format!("{:.1}%", 100.0 * p / whole as f64).replace('.', ",")
    };
    let procedures = totals["procedures"].as_u64().unwrap();
    assert!(index.contains(&share("procedures_replaceable", procedures)));
    assert_eq!(
        procedures,
        summary["procedures"].as_u64().unwrap(),
        "totals agree with the contract's summary"
    );

    // The table by ministry: components = the outcome columns; the total
    // row is the sum of the rows and the summary's totals.
    let table = &index[index.find("id=\"bang-bo\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let cell = Regex::new(r#"data-v="(\d+)""#).unwrap();
    let row_values = |row: &str| -> Vec<u64> {
        cell.captures_iter(row)
            .map(|c| c[1].parse().unwrap())
            .collect()
    };
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    let rows: Vec<Vec<u64>> = body
        .split("</tr>")
        .filter(|r| r.contains("data-v"))
        .map(row_values)
        .collect();
    assert_eq!(rows.len(), summary["by_ministry"].as_array().unwrap().len());
    let foot = row_values(&table[table.find("<tfoot>").unwrap()..]);
    for r in rows.iter().chain([&foot]) {
        assert_eq!(r.len(), 15, "{r:?}");
        assert_eq!(r[6], r[7..14].iter().sum::<u64>(), "row adds up: {r:?}");
    }
    for col in [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] {
        let sum: u64 = rows.iter().map(|r| r[col]).sum();
        assert_eq!(foot[col], sum, "total of column {col}");
    }
    assert_eq!(foot[0], procedures);
    assert_eq!(foot[1], totals["procedures_replaceable"].as_u64().unwrap());
    assert_eq!(foot[6], totals["components"].as_u64().unwrap());
    // Vietnamese numbers in the terminal summary too.
    let text = stdout(&tthc(["analyse", "--summary"]));
    let grouped = format!("{}.{:03} thủ tục", procedures / 1000, procedures % 1000);
    assert!(procedures < 1000 || text.contains(&grouped), "{text}");
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

const HEADLESS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
];

/// Runs Chromium once on `url` with `args` (a screenshot, a PDF).
fn headless(args: &[&str], url: &str) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new(chromium())
        .args(HEADLESS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .expect("run chromium")
}

/// A PDF's page sizes in points, from its `/MediaBox` entries.
fn media_boxes(pdf: &[u8]) -> Vec<(f64, f64)> {
    let text = String::from_utf8_lossy(pdf);
    let re = Regex::new(r"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]").unwrap();
    re.captures_iter(&text)
        .map(|c| (c[1].parse().unwrap(), c[2].parse().unwrap()))
        .collect()
}

/// A headless Chromium driven over the DevTools protocol, on loopback.
struct Browser {
    child: Child,
    ws: tungstenite::WebSocket<TcpStream>,
    next: u64,
    session: String,
    /// Console errors and uncaught exceptions seen so far.
    errors: Vec<String>,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn launch() -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(chromium())
            .args(HEADLESS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--remote-debugging-port=0", "about:blank"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run chromium");
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = tx.send(url.trim().to_owned());
                }
            }
        });
        let url = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("Chromium did not open its DevTools endpoint");
        let addr = url
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        let stream = TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let (ws, _) = tungstenite::client::client(url.as_str(), stream).expect("websocket");
        let mut b = Browser {
            child,
            ws,
            next: 0,
            session: String::new(),
            errors: Vec::new(),
            _profile: profile,
        };
        let target = b.call_browser("Target.createTarget", json!({"url": "about:blank"}));
        let attached = b.call_browser(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        b.session = attached["sessionId"].as_str().unwrap().to_owned();
        for m in ["Runtime.enable", "Log.enable", "Page.enable"] {
            b.call(m, json!({}));
        }
        b
    }

    fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> u64 {
        self.next += 1;
        let mut msg = json!({"id": self.next, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws
            .send(tungstenite::Message::text(msg.to_string()))
            .expect("send to Chromium");
        self.next
    }

    /// Reads one message, noting console errors.
    fn receive(&mut self) -> Value {
        let msg = self.ws.read().expect("message from Chromium");
        let v: Value = match msg {
            tungstenite::Message::Text(t) => serde_json::from_str(t.as_str()).unwrap(),
            _ => return Value::Null,
        };
        match v["method"].as_str() {
            Some("Runtime.exceptionThrown") => self
                .errors
                .push(v["params"]["exceptionDetails"].to_string()),
            Some("Runtime.consoleAPICalled")
                if matches!(v["params"]["type"].as_str(), Some("error" | "assert")) =>
            {
                self.errors.push(v["params"]["args"].to_string())
            }
            Some("Log.entryAdded") if v["params"]["entry"]["level"] == "error" => {
                self.errors.push(v["params"]["entry"].to_string())
            }
            _ => {}
        }
        v
    }

    fn wait_reply(&mut self, id: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            let v = self.receive();
            if v["id"] == id {
                assert!(v.get("error").is_none(), "DevTools error: {v}");
                return v["result"].clone();
            }
        }
        panic!("no reply from Chromium");
    }

    fn call_browser(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(None, method, params);
        self.wait_reply(id)
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        let id = self.send(Some(&session), method, params);
        self.wait_reply(id)
    }

    fn open(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if self.receive()["method"] == "Page.loadEventFired" {
                return;
            }
        }
        panic!("{url} did not load");
    }

    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expr}: {r}");
        r["result"]["value"].clone()
    }

    /// Evaluates `expr` until it is truthy, for up to ten seconds.
    fn until(&mut self, expr: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.eval(expr);
            if !(v.is_null() || v == json!(false) || v == json!([]) || v == json!("")) {
                return v;
            }
            assert!(Instant::now() < deadline, "never true: {expr}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

#[test]
fn the_site_in_a_real_browser_searches_sorts_filters_and_prints_a4() {
    let site = shipped();
    let art = artefacts();
    let mut b = Browser::launch();

    // Search without diacritics from the overview.
    b.open(&file_url(&site.join("index.html")));
    assert_eq!(
        b.eval("document.getElementById('tim').hidden"),
        json!(false)
    );
    b.eval("document.getElementById('q').focus()");
    b.call("Input.insertText", json!({"text": "dang ky ket hon"}));
    let hits = b.until("Array.from(document.querySelectorAll('#kq a')).map(a => a.textContent)");
    let first = hits[0].as_str().unwrap();
    assert!(
        first.starts_with("1.000894 ") && first.contains("đăng ký kết hôn"),
        "{hits}"
    );
    // Every word typed starts a word of every hit.
    for h in hits.as_array().unwrap() {
        let h = h.as_str().unwrap().to_lowercase();
        for w in ["đăng", "ký", "kết", "hôn"] {
            assert!(h.split(' ').any(|x| x.starts_with(w)), "{h}");
        }
    }
    // …and by code, from a page one folder down.
    b.open(&file_url(&site.join("bo/bo-tu-phap.html")));
    b.eval("document.getElementById('q').focus()");
    b.call("Input.insertText", json!({"text": "1.000894"}));
    let href = b.until("(document.querySelector('#kq a') || {}).href");
    assert!(
        href.as_str().unwrap().ends_with("/tthc/1.000894.html"),
        "{href}"
    );

    // Filter the ministry's procedures to those with a cut.
    let all = b.eval("document.querySelectorAll('#bang-thu-tuc tbody tr').length");
    let cut = b.eval("document.querySelectorAll('#bang-thu-tuc tbody tr[data-cut=\"1\"]').length");
    b.eval("(() => { const c = document.querySelector('.filters input[type=checkbox]'); c.checked = true; c.dispatchEvent(new Event('change')); })()");
    let shown = b.eval(
        "Array.from(document.querySelectorAll('#bang-thu-tuc tbody tr')).filter(r => !r.hidden).length",
    );
    assert_eq!(shown, cut);
    assert!(shown.as_u64().unwrap() < all.as_u64().unwrap());

    // Sort the table by ministry on its procedure count, both ways.
    b.open(&file_url(&site.join("index.html")));
    let column = "Array.from(document.querySelectorAll('#bang-bo tbody tr')).map(r => +r.cells[1].dataset.v)";
    let before: Vec<u64> = serde_json::from_value(b.eval(column)).unwrap();
    b.eval("document.querySelectorAll('#bang-bo thead tr:last-child th button')[1].click()");
    let up: Vec<u64> = serde_json::from_value(b.eval(column)).unwrap();
    let mut sorted = before.clone();
    sorted.sort();
    assert_eq!(up, sorted);
    b.eval("document.querySelectorAll('#bang-bo thead tr:last-child th button')[1].click()");
    let down: Vec<u64> = serde_json::from_value(b.eval(column)).unwrap();
    sorted.reverse();
    assert_eq!(down, sorted);
    assert_eq!(
        b.eval("document.querySelector('#bang-bo tfoot td').textContent"),
        json!("Tổng cộng"),
        "the total row stays last"
    );

    // On a phone, pages do not scroll sideways: wide tables scroll in their box.
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
    );
    for page in [
        "index.html",
        "tthc/1.000894.html",
        "plan.html",
        "bo/bo-tu-phap.html",
    ] {
        b.open(&file_url(&site.join(page)));
        let w = b.eval("document.documentElement.scrollWidth");
        assert!(
            w.as_u64().unwrap() <= 392,
            "{page} is {w} px wide at 390 px"
        );
    }
    assert!(b.errors.is_empty(), "console errors: {:?}", b.errors);
    drop(b);

    // Screenshots (desktop and phone) and A4 PDFs, kept as artefacts.
    for (name, page, size) in [
        ("overview", "index.html", "1280,2400"),
        ("overview-phone", "index.html", "390,2400"),
        ("procedure-phone", "tthc/1.000894.html", "390,2400"),
        ("plan", "plan.html", "1280,2400"),
    ] {
        let shot = art.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&shot);
        let out = headless(
            &[
                &format!("--screenshot={}", shot.display()),
                &format!("--window-size={size}"),
            ],
            &file_url(&site.join(page)),
        );
        assert!(shot.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
        // A blank page compresses to almost nothing; a rendered one does not.
        assert!(std::fs::metadata(&shot).unwrap().len() > 20_000, "{name}");
    }
    for (name, page) in [("overview", "index.html"), ("plan", "plan.html")] {
        let pdf = art.join(format!("{name}.pdf"));
        let _ = std::fs::remove_file(&pdf);
        let out = headless(
            &[
                &format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer",
            ],
            &file_url(&site.join(page)),
        );
        let bytes = std::fs::read(&pdf)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
        let pages = media_boxes(&bytes);
        assert!(!pages.is_empty(), "{name}: no page");
        for (w, h) in &pages {
            // A4 is 595.28 × 841.89 pt; Chromium rounds to whole CSS pixels.
            assert!(
                (w - 595.28).abs() < 2.0 && (h - 841.89).abs() < 2.0,
                "{name}: page {w} × {h} pt is not A4"
            );
        }
        if name == "plan" {
            assert!(pages.len() > 5, "the plan prints as a long annex");
        }
    }
}
