//! Hostile and careless input through the real binary, each run under a
//! time limit and a memory limit: FIFOs, `/dev/zero`, links out of the
//! catalogue and in loops, unreadable folders, XLSX workbooks with far
//! cells and zip bombs, and inputs that took quadratic time.

mod common;
use common::*;
use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Seconds a guarded run may take, and its address space in KiB.
const SECONDS: u32 = 60;
const MEMORY_KIB: u32 = 4 * 1024 * 1024;

/// Runs `tthc ARGS` under `timeout` and `ulimit -v`; how long it took.
fn guarded<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (Output, Duration) {
    let script = format!("ulimit -v {MEMORY_KIB}; exec timeout -s KILL {SECONDS} \"$0\" \"$@\"");
    let t = Instant::now();
    let o = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_tthc"))
        .args(args)
        .current_dir(root())
        .env("TTHC_CACHE_DIR", common::test_cache())
        .output()
        .unwrap();
    let took = t.elapsed();
    assert!(
        o.status.code().is_some() && o.status.code() != Some(137),
        "killed (time or memory limit): {:?}\n{}",
        o.status,
        stderr(&o)
    );
    (o, took)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

fn mkfifo(p: &Path) {
    let s = Command::new("mkfifo").arg(p).status().unwrap();
    assert!(s.success());
}

fn os(p: &Path) -> OsString {
    p.as_os_str().to_owned()
}

#[test]
fn a_fifo_in_the_catalogue_is_refused_not_waited_for() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    copy_dir(&fixture("solver"), &c);
    mkfifo(&c.join("bo-a/x.yaml"));
    let (o, _) = guarded(&[os("check".as_ref()), os(&c)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("bo-a/x.yaml: error[E0001/io]: not a regular file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn dev_zero_is_never_read_whatever_the_input() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    copy_dir(&fixture("solver"), &c);
    std::os::unix::fs::symlink("/dev/zero", c.join("bo-a/zero.yaml")).unwrap();
    let (o, _) = guarded(&[os("check".as_ref()), os(&c)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("zero.yaml: warning[W0603/link-skipped]: symbolic link to `/dev/zero`, outside the folder, skipped"),
        "{}",
        stderr(&o)
    );
    let zero = tmp.path().join("zero.csv");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let fifo = tmp.path().join("fifo.yaml");
    mkfifo(&fifo);
    let out = tmp.path().join("out");
    for args in [
        vec![
            os("analyse".as_ref()),
            os(&fixture("solver")),
            os("--scenario".as_ref()),
            "/dev/zero".into(),
        ],
        vec![
            os("analyse".as_ref()),
            os(&fixture("solver")),
            os("--scenario".as_ref()),
            os(&fifo),
        ],
        vec![
            os("import".as_ref()),
            "table".into(),
            os(&zero),
            "--out".into(),
            os(&out),
        ],
        vec![
            os("import".as_ref()),
            "table".into(),
            "/dev/zero".into(),
            "--out".into(),
            os(&out),
        ],
        vec![
            os("import".as_ref()),
            "portal".into(),
            "/dev/zero".into(),
            "--out".into(),
            os(&out),
        ],
        vec![
            os("import".as_ref()),
            "portal".into(),
            os(&fifo),
            "--out".into(),
            os(&out),
        ],
    ] {
        let (o, _) = guarded(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}\n{}", stderr(&o));
        assert!(
            stderr(&o).contains("error[E0001/io]: not a regular file"),
            "{args:?}\n{}",
            stderr(&o)
        );
        assert!(!out.exists());
    }
}

#[test]
fn links_are_followed_only_inside_the_catalogue_and_never_loop() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    copy_dir(&fixture("solver"), &c);
    // A procedure outside the catalogue, linked in: skipped, said.
    let outside = tmp.path().join("outside.yaml");
    std::fs::copy(c.join("bo-a/1.000001.yaml"), &outside).unwrap();
    let text = std::fs::read_to_string(&outside)
        .unwrap()
        .replace("1.000001", "1.000009");
    std::fs::write(&outside, text).unwrap();
    std::os::unix::fs::symlink(&outside, c.join("bo-a/linked.yaml")).unwrap();
    // Links inside: a file link is read once, folder loops end.
    std::os::unix::fs::symlink(".", c.join("l1")).unwrap();
    std::os::unix::fs::symlink("..", c.join("bo-a/up")).unwrap();
    let (o, _) = guarded(&[os("check".as_ref()), os(&c)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("linked.yaml: warning[W0603/link-skipped]"),
        "{err}"
    );
    assert!(
        err.contains("l1: warning[W0603/link-skipped]: symbolic link to a folder already read"),
        "{err}"
    );
    assert!(err.contains("ok — 1 procedures"), "{err}");
    // The same walk for portal records.
    let p = tmp.path().join("portal");
    copy_dir(&fixture("portal/ok"), &p);
    std::os::unix::fs::symlink(".", p.join("l1")).unwrap();
    std::os::unix::fs::symlink("../..", p.join("bo-tu-phap/l2")).unwrap();
    let out = tmp.path().join("imp");
    let (o, _) = guarded(&[
        os("import".as_ref()),
        "portal".into(),
        os(&p),
        "--out".into(),
        os(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("6 procedures"), "{}", stdout(&o));
    assert!(stderr(&o).contains("W0603"), "{}", stderr(&o));
}

#[test]
fn an_unreadable_subfolder_is_reported_at_its_own_path() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    copy_dir(&fixture("solver"), &c);
    std::fs::create_dir(c.join("locked")).unwrap();
    for p in [
        tmp.path().to_path_buf(),
        c.clone(),
        c.join("bo-a"),
        c.join("catalog"),
    ] {
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for f in [
        c.join("bo-a/1.000001.yaml"),
        c.join("catalog/reference.yaml"),
    ] {
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::fs::set_permissions(c.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    // As an unprivileged user, so the permission holds even under root.
    let o = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_tthc"))
        .arg("check")
        .arg(&c)
        .env("TTHC_CACHE_DIR", common::test_cache())
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let first = err.lines().next().unwrap_or("");
    assert!(
        first.starts_with(&format!(
            "{}: error[E0001/io]: cannot read folder",
            c.join("locked").display()
        )),
        "{err}"
    );
    assert_eq!(err.matches(": error[").count(), 1, "{err}");
}

fn xlsx_with(path: &Path, cells: &[(u32, u16, &str)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, c, v) in cells {
        ws.write_string(*r, *c, *v).unwrap();
    }
    wb.save(path).unwrap();
}

const TABLE: [(u32, u16, &str); 8] = [
    (0, 0, "code"),
    (0, 1, "name"),
    (0, 2, "agency"),
    (0, 3, "component"),
    (1, 0, "2.002093"),
    (1, 1, "Cấp Giấy phép"),
    (1, 2, "Bộ Công Thương"),
    (1, 3, "Giấy chứng nhận đăng ký doanh nghiệp"),
];

#[test]
fn an_xlsx_with_far_cells_is_read_sparsely() {
    let tmp = tempfile::tempdir().unwrap();
    for far in [(1_048_575u32, 16_383u16), (1999, 16_383)] {
        let path = tmp.path().join(format!("far-{}.xlsx", far.0));
        let mut cells = TABLE.to_vec();
        cells.push((far.0, far.1, "x"));
        xlsx_with(&path, &cells);
        let out = tmp.path().join(format!("out-{}", far.0));
        let (o, took) = guarded(&[
            os("import".as_ref()),
            "table".into(),
            os(&path),
            "--out".into(),
            os(&out),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(out.join("bo-cong-thuong/2.002093.yaml").is_file());
        assert!(took < Duration::from_secs(30), "{took:?}");
    }
    // Only two far cells: a header that names nothing required.
    let path = tmp.path().join("two.xlsx");
    xlsx_with(&path, &[(0, 0, "code"), (1_048_575, 16_383, "x")]);
    let (o, _) = guarded(&[
        os("import".as_ref()),
        "table".into(),
        os(&path),
        "--out".into(),
        os(&tmp.path().join("o2")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("E0103/shape]: missing required column(s)"),
        "{}",
        stderr(&o)
    );
}

/// Writes one part of a workbook.
type Part<'a> = &'a mut dyn FnMut(&mut dyn Write);

/// A workbook whose sheet (and shared strings) are streamed by the closures.
fn raw_xlsx(path: &Path, sheet: Part, strings: Option<Part>) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let wb = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    z.start_file("xl/workbook.xml", opts).unwrap();
    z.write_all(wb.as_bytes()).unwrap();
    z.start_file("xl/_rels/workbook.xml.rels", opts).unwrap();
    z.write_all(rels.as_bytes()).unwrap();
    if let Some(s) = strings {
        z.start_file("xl/sharedStrings.xml", opts).unwrap();
        s(&mut z);
    }
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    sheet(&mut z);
    z.finish().unwrap();
}

#[test]
fn xlsx_bombs_are_refused_within_the_limits() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |path: &Path| {
        guarded(&[
            os("import".as_ref()),
            "table".into(),
            os(path),
            "--out".into(),
            os(&tmp.path().join("out")),
        ])
    };
    // 300 MB of sheet XML in a small file.
    let bomb = tmp.path().join("bomb.xlsx");
    raw_xlsx(
        &bomb,
        &mut |w| {
            w.write_all(b"<worksheet><sheetData>").unwrap();
            let pad = vec![b' '; 1 << 20];
            for _ in 0..300 {
                w.write_all(&pad).unwrap();
            }
            w.write_all(b"</sheetData></worksheet>").unwrap();
        },
        None,
    );
    assert!(std::fs::metadata(&bomb).unwrap().len() < 4 * 1024 * 1024);
    let (o, took) = run(&bomb);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("bomb.xlsx: error[E0003/file-too-large]: the workbook decompresses beyond"),
        "{}",
        stderr(&o)
    );
    assert!(took < Duration::from_secs(30), "{took:?}");
    // More shared strings than any table holds.
    let strings = tmp.path().join("strings.xlsx");
    raw_xlsx(
        &strings,
        &mut |w| w.write_all(b"<worksheet><sheetData/></worksheet>").unwrap(),
        Some(&mut |w: &mut dyn Write| {
            w.write_all(b"<sst>").unwrap();
            for _ in 0..1_000_001 {
                w.write_all(b"<si><t>a</t></si>").unwrap();
            }
            w.write_all(b"</sst>").unwrap();
        }),
    );
    let (o, _) = run(&strings);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "error[E0003/file-too-large]: the workbook holds more than 1000000 shared strings"
        ),
        "{}",
        stderr(&o)
    );
    // More cells than any table holds.
    let cells = tmp.path().join("cells.xlsx");
    raw_xlsx(
        &cells,
        &mut |w| {
            w.write_all(b"<worksheet><sheetData>").unwrap();
            for r in 1..=2001u32 {
                write!(w, "<row r=\"{r}\">").unwrap();
                for _ in 0..1000 {
                    w.write_all(b"<c t=\"inlineStr\"><is><t>x</t></is></c>")
                        .unwrap();
                }
                w.write_all(b"</row>").unwrap();
            }
            w.write_all(b"</sheetData></worksheet>").unwrap();
        },
        None,
    );
    let (o, _) = run(&cells);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("error[E0003/file-too-large]: the workbook holds more than 2000000 cells"),
        "{}",
        stderr(&o)
    );
    // Not a workbook at all.
    let fake = tmp.path().join("fake.xlsx");
    std::fs::write(&fake, "code,name\n").unwrap();
    let (o, _) = run(&fake);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("fake.xlsx: error[E0104/input-syntax]: not an XLSX workbook"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn long_lines_and_wide_rows_take_linear_time() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // One row of 80,000 quoted cells.
    let wide = tmp.path().join("wide.csv");
    let mut s = String::from("code,name,agency,component");
    for i in 0..80_000 {
        s.push_str(&format!(",x{i}"));
    }
    s.push_str("\n2.002093,Cấp Giấy phép,Bộ Công Thương,Giấy chứng nhận đăng ký doanh nghiệp");
    for _ in 0..80_000 {
        s.push_str(",\"a,b\"");
    }
    s.push('\n');
    std::fs::write(&wide, s).unwrap();
    let (o, took) = guarded(&[
        os("import".as_ref()),
        "table".into(),
        os(&wide),
        "--out".into(),
        os(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(took < Duration::from_secs(30), "wide row: {took:?}");
    // One dossier line of 7 MB.
    let long = tmp.path().join("long.csv");
    let line = "Giấy khai sinh hoặc ".repeat(7_000_000 / 22);
    std::fs::write(
        &long,
        format!("code,name,agency,component\n1.000001,Thủ tục,Bộ Tư pháp,{line}\n"),
    )
    .unwrap();
    let (o, took) = guarded(&[
        os("import".as_ref()),
        "table".into(),
        os(&long),
        "--out".into(),
        os(&tmp.path().join("o2")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(took < Duration::from_secs(30), "long line: {took:?}");
    // A portal dossier of 100,000 fragments that rejoin one line.
    let portal = tmp.path().join("portal/bo-tu-phap");
    std::fs::create_dir_all(&portal).unwrap();
    let cell = format!(
        "Tên giấy tờMẫu đơn, tờ khaiSố lượngGiấy khai sinh {}",
        "hoặc giấy 1 bản chính".repeat(100_000)
    );
    let record =
        serde_json::json!({"ma_thu_tuc": "1.000001", "ten_thu_tuc": "X", "thanh_phan_ho_so": cell});
    std::fs::write(portal.join("1.000001.json"), record.to_string()).unwrap();
    let (o, took) = guarded(&[
        os("import".as_ref()),
        "portal".into(),
        os(&tmp.path().join("portal")),
        "--out".into(),
        os(&tmp.path().join("o3")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(took < Duration::from_secs(30), "portal fragments: {took:?}");
}
