//! National scale: the shipped catalogue copied K times under fresh codes
//! (real procedures, real shapes), each command of the real binary run on
//! it with its wall time and peak resident memory, beside the yardstick of
//! the YAML parser: serde_yaml parsing the same files into generic values on
//! one core (a dev-dependency of this benchmark only).
//!
//! Run with `cargo bench --bench scale`; `TTHC_SCALE=5,46` chooses the
//! copies (default `5,46`: about 10,000 and 100,000 procedures). Replicas
//! are written once under `target/scale/xK/` and reused. The figures go to
//! BENCHMARKS.md with this command.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Copies the procedures of `src` K times under fresh codes into `out`
/// (`catalog/` once), the way `../shared/bench/replicate.py` does.
fn replicate(src: &Path, k: usize, out: &Path) -> usize {
    let done = out.join(".complete");
    let mut files = Vec::new();
    collect(src, src, &mut files);
    files.sort();
    if done.is_file() {
        return files.len() * k;
    }
    let _ = std::fs::remove_dir_all(out);
    copy_dir(&src.join("catalog"), &out.join("catalog"));
    let mut n = 0usize;
    for copy in 0..k {
        for f in &files {
            let text = std::fs::read_to_string(f).expect("read procedure");
            let code = format!("{}.{:06}", 1 + n / 1_000_000, n % 1_000_000);
            let text = replace_code(&text, &code);
            let agency = f.parent().and_then(Path::file_name).expect("agency folder");
            let dir = out.join(format!("{}-{copy}", agency.to_string_lossy()));
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(dir.join(format!("{code}.yaml")), text).expect("write");
            n += 1;
        }
    }
    std::fs::write(done, "").expect("mark");
    n
}

fn replace_code(text: &str, code: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut replaced = false;
    for line in text.split_inclusive('\n') {
        if !replaced && line.starts_with("code:") {
            out.push_str(&format!("code: \"{code}\"\n"));
            replaced = true;
        } else {
            out.push_str(line);
        }
    }
    out
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            if p != root.join("catalog") {
                collect(root, &p, out);
            }
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

/// Seconds serde_yaml takes to parse every YAML file under `dir` on one core.
fn yardstick(dir: &Path) -> f64 {
    let mut files = Vec::new();
    yaml_files(dir, &mut files);
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read"))
        .collect();
    let t = Instant::now();
    for text in &texts {
        let v: serde_yaml::Value = serde_yaml::from_str(text).expect("yaml");
        std::hint::black_box(v);
    }
    t.elapsed().as_secs_f64()
}

/// Runs the binary; returns (wall seconds, peak resident MiB, exit code).
/// The child is reaped by `wait4` (for its peak memory), not `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run(args: &[&str], cwd: &Path) -> (f64, f64, i32) {
    let t = Instant::now();
    // Every file read and validated: the re-run cache is measured on its
    // own (BENCHMARKS.md), and never written into the user's.
    let child = Command::new(env!("CARGO_BIN_EXE_tthc"))
        .args(args)
        .current_dir(cwd)
        .env("TTHC_CACHE", "0")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn tthc");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child, with valid out-pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4");
    let wall = t.elapsed().as_secs_f64();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (wall, usage.ru_maxrss as f64 / 1024.0, code)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ks: Vec<usize> = std::env::var("TTHC_SCALE")
        .unwrap_or_else(|_| "5,46".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let base = root.join("target/scale");
    let mut rows: Vec<(usize, &str, f64, f64)> = Vec::new();
    let mut sticks: Vec<(usize, f64)> = Vec::new();
    for &k in &ks {
        let dir = base.join(format!("x{k}"));
        let n = replicate(&root.join("procedures"), k, &dir);
        let d = dir.to_string_lossy().into_owned();
        let out = base.join(format!("out-x{k}"));
        let _ = std::fs::create_dir_all(&out);
        let o = |name: &str| out.join(name).to_string_lossy().into_owned();
        let stick = yardstick(&dir);
        println!("x{k}: {n} procedures; serde_yaml on one core: {stick:.2} s");
        sticks.push((n, stick));
        let json = o("analysis.json");
        let plan = o("plan.json");
        let site = o("report");
        let lists = o("lists.json");
        let commands: Vec<(&str, Vec<&str>)> = vec![
            ("check", vec!["check", &d]),
            (
                "analyse --format json --out",
                vec!["analyse", &d, "--format", "json", "--out", &json],
            ),
            (
                "plan --format json --out",
                vec!["plan", &d, "--format", "json", "--out", &plan],
            ),
            ("report --out", vec!["report", &d, "--out", &site]),
            (
                "lists --format json --out",
                vec!["lists", &d, "--format", "json", "--out", &lists],
            ),
        ];
        for (name, args) in commands {
            let (wall, rss, code) = run(&args, root);
            println!(
                "  {name:<28} {wall:>7.2} s {rss:>8.0} MiB  ×{:.2} yardstick{}",
                wall / stick,
                if code == 0 {
                    String::new()
                } else {
                    format!("  (exit {code})")
                }
            );
            rows.push((n, name, wall, rss));
        }
    }
    if let [(n1, s1), .., (n2, s2)] = sticks.as_slice() {
        println!(
            "scaling {n1} → {n2} procedures (×{:.1}): yardstick ×{:.2}",
            *n2 as f64 / *n1 as f64,
            s2 / s1
        );
        for name in rows.iter().filter(|r| r.0 == *n1).map(|r| r.1) {
            let a = rows.iter().find(|r| r.0 == *n1 && r.1 == name);
            let b = rows.iter().find(|r| r.0 == *n2 && r.1 == name);
            if let (Some(a), Some(b)) = (a, b) {
                println!(
                    "  {name:<28} time ×{:.2}, memory ×{:.2}",
                    b.2 / a.2,
                    b.3 / a.3
                );
            }
        }
    }
}
