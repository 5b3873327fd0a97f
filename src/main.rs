//! The `tthc` command line. All printing happens here; the library returns
//! values and the binary decides how to show them.

mod progress;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tthc::analysis::Options;
use tthc::diag::Diagnostic;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "tthc",
    version,
    about = "Finds which papers of Vietnamese administrative procedures data can replace, and explains why"
)]
struct Cli {
    /// Read every procedure file afresh and leave the re-run cache untouched (as `TTHC_CACHE=0`).
    #[arg(long, global = true)]
    no_cache: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DiagFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum AnalyseFormat {
    Text,
    Json,
    Csv,
    /// With --summary only.
    Xlsx,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum PlanFormat {
    Text,
    Json,
    Csv,
    Xlsx,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a catalogue and print every problem, located at PATH:LINE:COL.
    Check {
        /// Directory of procedure YAML (with an optional catalog/ folder).
        #[arg(default_value = "procedures")]
        catalogue: PathBuf,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
        format: DiagFormat,
    },
    /// Decide, for every dossier component, whether data can replace it.
    #[command(alias = "analyze")]
    Analyse {
        #[command(flatten)]
        args: AnalysisArgs,
        #[arg(long, value_enum, default_value_t = AnalyseFormat::Text)]
        format: AnalyseFormat,
        /// Print only the summary: verdict counts, the table by ministry, the unlock ranking.
        #[arg(long)]
        summary: bool,
        /// Write to FILE instead of standard output (written whole or not at all).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Amendment plan for drafters: papers data can cut, grouped by legal document, then provision.
    Plan {
        #[command(flatten)]
        args: AnalysisArgs,
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
        /// Write to FILE instead of standard output (required for xlsx).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Static HTML report site (opens from disk, no network).
    Report {
        #[command(flatten)]
        args: AnalysisArgs,
        /// Directory to write the site into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Write into a non-empty directory that tthc did not create.
        #[arg(long)]
        force: bool,
        /// The catalogue of the last round: adds a "Thay đổi" page of what changed since.
        #[arg(long, value_name = "OLD")]
        since: Option<PathBuf>,
    },
    /// Import procedures from portal records or a table into YAML.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Explain one procedure: every component's verdict with its reasoning chain.
    Explain {
        /// National procedure code, e.g. 1.000894.
        code: String,
        #[command(flatten)]
        args: AnalysisArgs,
    },
    /// What changed between two catalogues (or dates, scenarios), and why.
    Diff(DiffArgs),
    /// Review rounds: a workbook for reviewers out, their decisions back in.
    Review {
        #[command(subcommand)]
        what: ReviewCommand,
    },
    /// The published lists: papers integrated in VNeID, civil-status or land data, then each other database.
    Lists {
        #[command(flatten)]
        args: AnalysisArgs,
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
        /// Once reviewers have decided, add the machine's suggestions too (marked).
        #[arg(long)]
        include_suggested: bool,
        /// Write to FILE instead of standard output (required for xlsx).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// What changed between two analyses.
#[derive(clap::Args)]
struct DiffArgs {
    /// The earlier catalogue (the last round).
    old: PathBuf,
    /// The later catalogue (may be the same directory, at another date or under a scenario).
    new: PathBuf,
    /// Analysis date of OLD, YYYY-MM-DD; default: its catalogue's analysis_date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    old_as_of: Option<String>,
    /// Analysis date of NEW, YYYY-MM-DD; default: its catalogue's analysis_date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// Scenario applied to OLD.
    #[arg(long, value_name = "FILE")]
    old_scenario: Option<PathBuf>,
    /// Scenario applied to NEW.
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// One province (id or name); default: all 34.
    #[arg(long)]
    province: Option<String>,
    /// Count sources in pilot as ready, on both sides.
    #[arg(long)]
    include_pilot: bool,
    #[arg(long, value_enum, default_value_t = AnalyseFormat::Text)]
    format: AnalyseFormat,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum ReviewCommand {
    /// Write the review workbook: per ministry, the suggested cuts and the kept papers of data-backed types.
    Export {
        /// Directory of procedure YAML (with an optional catalog/ folder).
        #[arg(default_value = "procedures")]
        catalogue: PathBuf,
        /// One ministry (agency id or name); default: every ministry.
        #[arg(long)]
        ministry: Option<String>,
        /// The workbook to write (.xlsx).
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
    /// Validate a filled workbook and merge its decisions into CATALOGUE/reviews/ (all rows or none).
    Import {
        /// The filled workbook.
        file: PathBuf,
        /// Directory of procedure YAML whose reviews/ folder receives the decisions.
        #[arg(default_value = "procedures")]
        catalogue: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// National Public Service Portal records (JSON files or directories of them).
    Portal {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        out: ImportOut,
    },
    /// A one-row-per-component table (CSV, UTF-8, or the first sheet of an XLSX).
    Table {
        file: PathBuf,
        #[command(flatten)]
        out: ImportOut,
    },
}

#[derive(clap::Args)]
struct ImportOut {
    /// Directory to write `<agency>/<code>.yaml` and import-report.md into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Write into a non-empty directory that `tthc import` did not create.
    #[arg(long)]
    force: bool,
    /// Catalogue whose reference data drives recognition (default: built-in).
    #[arg(long, value_name = "CATALOGUE")]
    reference: Option<PathBuf>,
}

/// Exit codes of the contract.
const EXIT_REJECTED: u8 = 1;
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    // No transparent huge pages: the kernel zeroes 2 MiB at every first
    // touch of the allocator's memory, which made half the system time of
    // a run from the re-run cache (x46 `check`: 5.2 → 2.1 s of system
    // time); the uncached run costs the same either way (BENCHMARKS.md).
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with an integer option and no pointers.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let cli = Cli::parse();
    NO_CACHE.store(cli.no_cache, std::sync::atomic::Ordering::Relaxed);
    let result = match cli.command {
        Command::Check { catalogue, format } => return check(&catalogue, format),
        Command::Analyse {
            args,
            format,
            summary,
            out,
        } => analyse(args, format, summary, out.as_deref()),
        Command::Plan { args, format, out } => plan(args, format, out.as_deref()),
        Command::Report {
            args,
            out,
            force,
            since,
        } => report(args, &out, force, since.as_deref()),
        Command::Import { what } => import(what),
        Command::Explain { code, args } => explain(args, &code),
        Command::Review { what } => review(what),
        Command::Diff(d) => diff(d),
        Command::Lists {
            args,
            format,
            include_suggested,
            out,
        } => lists(args, format, include_suggested, out.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Rejected) => ExitCode::from(EXIT_REJECTED),
        Err(Failure::UsageShown) => ExitCode::from(EXIT_USAGE),
        Err(Failure::Usage(msg)) => {
            let msg = tthc::text::for_terminal(&msg);
            let _ = writeln!(std::io::stderr(), "error: {msg}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// How a command failed, mapped to the contract's exit codes.
enum Failure {
    /// Input rejected; diagnostics already printed.
    Rejected,
    /// Command-line usage error, with the message to print.
    Usage(String),
    /// Command-line usage error (such as an `--out` that cannot be
    /// written), its diagnostic already printed.
    UsageShown,
}

/// What every analysing command takes.
#[derive(clap::Args)]
struct AnalysisArgs {
    /// Directory of procedure YAML (with an optional catalog/ folder).
    #[arg(default_value = "procedures")]
    catalogue: PathBuf,
    /// Analyse one province (id or name, e.g. `ha-noi` or "Hà Nội"); default: all 34.
    #[arg(long)]
    province: Option<String>,
    /// Analysis date, YYYY-MM-DD; default: the catalogue's analysis_date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// Count sources in pilot as ready.
    #[arg(long)]
    include_pilot: bool,
    /// YAML file overriding sources' status, dates or coverage ("what if").
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
}

/// Loads the catalogue, applies the scenario and resolves the options.
fn prepare(
    args: &AnalysisArgs,
    bar: &progress::Bar,
) -> Result<(tthc::model::Catalog, Options), Failure> {
    let as_of = as_of(args)?;
    let loaded = tthc::load_catalogue_using(&args.catalogue, bar, cache());
    let (cat, opts, _) = prepared(args, as_of, bar, loaded.catalog, &loaded.diagnostics)?;
    Ok((cat, opts))
}

/// The analysis date asked for.
fn as_of(args: &AnalysisArgs) -> Result<Option<tthc::date::Date>, Failure> {
    match &args.as_of {
        Some(s) => Ok(Some(
            s.parse::<tthc::date::Date>()
                .map_err(|e| Failure::Usage(format!("--as-of: {e}")))?,
        )),
        None => Ok(None),
    }
}

/// A scenario file as it was read: its displayed path and its text.
type Scenario = Option<(String, String)>;

/// The loaded catalogue (its diagnostics printed) with the scenario
/// applied and the options resolved; the scenario as read.
fn prepared(
    args: &AnalysisArgs,
    as_of: Option<tthc::date::Date>,
    bar: &progress::Bar,
    catalog: Option<tthc::model::Catalog>,
    diagnostics: &[Diagnostic],
) -> Result<(tthc::model::Catalog, Options, Scenario), Failure> {
    bar.suspend(|| print_diagnostics(diagnostics));
    let Some(mut cat) = catalog else {
        rejected_catalogue(args, diagnostics);
        return Err(Failure::Rejected);
    };
    let scenario = match &args.scenario {
        Some(path) => {
            let display = path.display().to_string();
            let text = tthc::load::read_file(path, &display).map_err(|d| {
                print_diagnostics(&[d]);
                Failure::Rejected
            })?;
            if let Err(diags) = tthc::scenario::apply_text(&mut cat, &text, &display) {
                print_diagnostics(&diags);
                return Err(Failure::Rejected);
            }
            Some((display, text))
        }
        None => None,
    };
    let province = match &args.province {
        Some(wanted) => Some(resolve_province(&cat, wanted)?),
        None => None,
    };
    let opts = Options {
        as_of,
        province,
        include_pilot: args.include_pilot,
    };
    Ok((cat, opts, scenario))
}

/// Tells that the catalogue has errors.
fn rejected_catalogue(args: &AnalysisArgs, diagnostics: &[Diagnostic]) {
    let n = diagnostics.iter().filter(|d| d.is_error()).count();
    let _ = writeln!(
        std::io::stderr(),
        "{}: {n} errors; run `tthc check` for details",
        args.catalogue.display()
    );
}

/// The province the user named (see `Catalog::find_provinces`).
fn resolve_province(cat: &tthc::model::Catalog, wanted: &str) -> Result<usize, Failure> {
    match cat.find_provinces(wanted).as_slice() {
        [one] => Ok(*one),
        [] => {
            let hint =
                tthc::text::did_you_mean(wanted, cat.provinces.iter().map(|p| p.name.as_str()))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
            Err(Failure::Usage(format!(
                "--province: unknown province `{wanted}`{hint}"
            )))
        }
        many => Err(Failure::Usage(format!(
            "--province: `{wanted}` could be {}; give the id",
            many.iter()
                .map(|&p| format!("`{}` ({})", cat.provinces[p].id, cat.provinces[p].name))
                .collect::<Vec<_>>()
                .join(" or ")
        ))),
    }
}

/// Writes to standard output; a failed write (a full disk, a closed pipe)
/// is reported and rejects the run.
fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Failure> {
    let mut o = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut o).and_then(|()| o.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::Rejected),
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error[E0001/io]: cannot write to standard output: {e}"
            );
            Err(Failure::Rejected)
        }
    }
}

fn emit(out: Option<&Path>, bytes: &[u8]) -> Result<(), Failure> {
    emit_with(out, |w| w.write_all(bytes))
}

/// [`emit`] of what `write` writes as it makes it: a large output is
/// never held whole in memory. To a file, whole or not at all.
fn emit_with(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    match out {
        Some(p) => tthc::outdir::write_file_with(p, write).map_err(|d| {
            print_diagnostics(&[d]);
            Failure::UsageShown
        }),
        None => to_stdout(write),
    }
}

/// Text for people: control characters and bidirectional overrides in
/// names are shown escaped, never sent to the terminal.
fn emit_text(out: Option<&Path>, text: &str) -> Result<(), Failure> {
    emit(out, tthc::text::for_terminal(text).as_bytes())
}

fn analyse(
    args: AnalysisArgs,
    format: AnalyseFormat,
    summary: bool,
    out: Option<&Path>,
) -> Result<(), Failure> {
    if format == AnalyseFormat::Xlsx && !summary {
        return Err(Failure::Usage(
            "--format xlsx is for --summary; use csv for every component".into(),
        ));
    }
    if format == AnalyseFormat::Xlsx && out.is_none() {
        return Err(Failure::Usage("--format xlsx needs --out FILE".into()));
    }
    let bar = progress::Bar::new();
    if summary {
        return analyse_summary(&args, format, out, &bar);
    }
    let (cat, opts) = prepare(&args, &bar)?;
    bar.step("Phân tích, ghi kết quả");
    let a = tthc::analysis::analyse(&cat, &opts);
    match format {
        AnalyseFormat::Text => emit_text(out, &tthc::output::analysis_text(&a)),
        AnalyseFormat::Json => emit_with(out, |w| tthc::output::write_analysis_json(&a, w)),
        AnalyseFormat::Csv => emit_with(out, |w| {
            tthc::output::write_analysis_csv(&a, w).map_err(std::io::Error::other)
        }),
        AnalyseFormat::Xlsx => Err(Failure::Usage(
            "--format xlsx is for --summary; use csv for every component".into(),
        )),
    }
}

/// `analyse --summary`: with the re-run cache, the model of unchanged
/// files stays on the shelf and their contributions to the summary are
/// taken from the cache's drawer (kept under the hash of the reference
/// data, the decisions, the options and the scenario); should one be
/// missing, the whole model is loaded and summarised.
fn analyse_summary(
    args: &AnalysisArgs,
    format: AnalyseFormat,
    out: Option<&Path>,
    bar: &progress::Bar,
) -> Result<(), Failure> {
    let as_of = as_of(args)?;
    let (loaded, shelf) = tthc::load_catalogue_heads(&args.catalogue, bar, cache());
    let (cat, opts, scenario) = prepared(args, as_of, bar, loaded.catalog, &loaded.diagnostics)?;
    let inputs = shelf.as_ref().map(|(_, inputs)| *inputs);
    bar.step("Phân tích, ghi kết quả");
    let mut drawer = shelf.map(|(shelf, inputs)| {
        let mut key = xxhash_rust::xxh3::Xxh3::new();
        key.update(&inputs.to_le_bytes());
        let options = format!(
            "{:?} {:?} {}",
            opts.as_of, opts.province, opts.include_pilot
        );
        for part in [options.as_bytes()].into_iter().chain(
            scenario
                .iter()
                .flat_map(|(d, t)| [d.as_bytes(), t.as_bytes()]),
        ) {
            key.update(&(part.len() as u64).to_le_bytes());
            key.update(part);
        }
        shelf.drawer("s", key.digest128())
    });
    let shown = match tthc::solve::summary::summarise(&cat, &loaded.listed, &opts, drawer.as_mut())
    {
        Some(s) => summary_bytes(&s, format),
        None => {
            // A contribution is missing: the whole model, as without cache,
            // with the scenario as it was read. Should the reference data or
            // the decisions have changed meanwhile, nothing is stored.
            let (whole, again) = tthc::load_catalogue_needing(
                &args.catalogue,
                &tthc::load::Silent,
                cache(),
                tthc::catalogue::cache::Need::Model,
            );
            let mut cat = whole.catalog.ok_or_else(|| {
                print_diagnostics(&whole.diagnostics);
                rejected_catalogue(args, &whole.diagnostics);
                Failure::Rejected
            })?;
            if let Some((display, text)) = &scenario {
                tthc::scenario::apply_text(&mut cat, text, display).map_err(|diags| {
                    print_diagnostics(&diags);
                    Failure::Rejected
                })?;
            }
            let opts = Options {
                province: match &args.province {
                    Some(wanted) => Some(resolve_province(&cat, wanted)?),
                    None => None,
                },
                ..opts
            };
            let same = inputs.is_some() && again.map(|(_, i)| i) == inputs;
            let drawer = drawer.as_mut().filter(|_| same);
            let s = tthc::solve::summary::summarise(&cat, &whole.listed, &opts, drawer)
                .ok_or(Failure::Rejected)?;
            summary_bytes(&s, format)
        }
    };
    if let Some(d) = drawer {
        d.save();
    }
    match shown? {
        Shown::Text(text) => emit_text(out, &text),
        Shown::Bytes(bytes) => emit(out, &bytes),
    }
}

/// A summary rendered: text for people (escaped when shown), or bytes.
enum Shown {
    Text(String),
    Bytes(Vec<u8>),
}

fn summary_bytes(s: &tthc::analysis::Summary, format: AnalyseFormat) -> Result<Shown, Failure> {
    use tthc::write::summary;
    let failed = |e: String| {
        let _ = writeln!(std::io::stderr(), "error: cannot write the output: {e}");
        Failure::Rejected
    };
    Ok(match format {
        AnalyseFormat::Text => Shown::Text(summary::text(s)),
        AnalyseFormat::Json => Shown::Bytes(json_bytes(&tthc::output::summary_json(s))),
        AnalyseFormat::Csv => Shown::Bytes(summary::csv(s).map_err(|e| failed(e.to_string()))?),
        AnalyseFormat::Xlsx => Shown::Bytes(summary::xlsx(s).map_err(|e| failed(e.to_string()))?),
    })
}

/// Pretty JSON with a final newline.
fn json_bytes(v: &serde_json::Value) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = tthc::output::write_json(v, &mut out);
    out
}

fn lists(
    args: AnalysisArgs,
    format: PlanFormat,
    include_suggested: bool,
    out: Option<&Path>,
) -> Result<(), Failure> {
    if format == PlanFormat::Xlsx && out.is_none() {
        return Err(Failure::Usage("--format xlsx needs --out FILE".into()));
    }
    let bar = progress::Bar::new();
    let (cat, opts) = prepare(&args, &bar)?;
    bar.step("Phân tích, ghi kết quả");
    let a = tthc::analysis::analyse(&cat, &opts);
    let ls = tthc::write::lists::lists(&a, include_suggested);
    let failed = |e: String| {
        let _ = writeln!(std::io::stderr(), "error: cannot write the lists: {e}");
        Failure::Rejected
    };
    use tthc::write::lists as l;
    let bytes = match format {
        PlanFormat::Text => return emit_text(out, &l::text(&a, &ls)),
        PlanFormat::Json => return emit_with(out, |w| l::write_json(&a, &ls, w)),
        PlanFormat::Csv => l::csv(&a, &ls).map_err(|e| failed(e.to_string()))?,
        PlanFormat::Xlsx => l::xlsx(&a, &ls).map_err(|e| failed(e.to_string()))?,
    };
    emit(out, &bytes)
}

fn diff(d: DiffArgs) -> Result<(), Failure> {
    if d.format == AnalyseFormat::Xlsx {
        return Err(Failure::Usage("diff writes text, json or csv".into()));
    }
    let side =
        |catalogue: &Path, as_of: &Option<String>, scenario: &Option<PathBuf>| AnalysisArgs {
            catalogue: catalogue.to_path_buf(),
            province: d.province.clone(),
            as_of: as_of.clone(),
            include_pilot: d.include_pilot,
            scenario: scenario.clone(),
        };
    let bar = progress::Bar::new();
    let (cat0, opts0) = prepare(&side(&d.old, &d.old_as_of, &d.old_scenario), &bar)?;
    let (cat1, opts1) = prepare(&side(&d.new, &d.as_of, &d.scenario), &bar)?;
    let a0 = tthc::analysis::analyse(&cat0, &opts0);
    let a1 = tthc::analysis::analyse(&cat1, &opts1);
    let changes = tthc::solve::diff::diff(&a0, &a1);
    let (n0, n1) = (d.old.display().to_string(), d.new.display().to_string());
    use tthc::write::diff as w;
    let bytes = match d.format {
        AnalyseFormat::Json => json_bytes(&w::json(&a0, &a1, &changes, &n0, &n1)),
        AnalyseFormat::Csv => w::csv(&a1, &changes).map_err(|e| {
            let _ = writeln!(std::io::stderr(), "error: cannot write CSV: {e}");
            Failure::Rejected
        })?,
        _ => return emit_text(d.out.as_deref(), &w::text(&a0, &a1, &changes, &n0, &n1)),
    };
    emit(d.out.as_deref(), &bytes)
}

/// Loads a catalogue and analyses it with the catalogue's defaults.
fn default_analysis(catalogue: &Path) -> Result<tthc::model::Catalog, Failure> {
    let args = AnalysisArgs {
        catalogue: catalogue.to_path_buf(),
        province: None,
        as_of: None,
        include_pilot: false,
        scenario: None,
    };
    let bar = progress::Bar::new();
    prepare(&args, &bar).map(|(cat, _)| cat)
}

fn review(what: ReviewCommand) -> Result<(), Failure> {
    match what {
        ReviewCommand::Export {
            catalogue,
            ministry,
            out,
        } => {
            let cat = default_analysis(&catalogue)?;
            let ministry = match &ministry {
                Some(m) => Some(resolve_ministry(&cat, m)?),
                None => None,
            };
            let a = tthc::analysis::analyse(&cat, &Options::default());
            let exported = tthc::review::export::export(&a, ministry).map_err(|e| {
                let _ = writeln!(std::io::stderr(), "error: cannot write the workbook: {e}");
                Failure::Rejected
            })?;
            emit(Some(&out), &exported.bytes)?;
            let rows: usize = exported.sheets.iter().map(|s| s.1).sum();
            let mut o = std::io::stdout().lock();
            let _ = writeln!(
                o,
                "{} dòng cần rà soát trên {} trang → {}",
                tthc::number::int(rows),
                exported.sheets.len(),
                out.display()
            );
            for (sheet, n) in &exported.sheets {
                let _ = writeln!(o, "  {sheet}: {}", tthc::number::int(*n));
            }
            Ok(())
        }
        ReviewCommand::Import { file, catalogue } => {
            let cat = default_analysis(&catalogue)?;
            let a = tthc::analysis::analyse(&cat, &Options::default());
            let decided = tthc::review::import::read(&a, &file).map_err(|diags| {
                print_diagnostics(&diags);
                let n = diags.iter().filter(|d| d.is_error()).count();
                let _ = writeln!(std::io::stderr(), "{n} errors; nothing was written");
                Failure::Rejected
            })?;
            let (files, merges) = tthc::review::import::merge(&cat, &decided).map_err(|e| {
                let _ = writeln!(std::io::stderr(), "error: cannot write the decisions: {e}");
                Failure::Rejected
            })?;
            // The catalogue must still load with the new files, or nothing is written.
            let check = tthc::load_catalogue_with(&catalogue, &files);
            if check.catalog.is_none() {
                print_diagnostics(&check.diagnostics);
                let _ = writeln!(
                    std::io::stderr(),
                    "the merged decisions do not validate; nothing was written"
                );
                return Err(Failure::Rejected);
            }
            tthc::outdir::replace_files(&catalogue, &files).map_err(|d| {
                print_diagnostics(&[d]);
                Failure::Rejected
            })?;
            let mut o = std::io::stdout().lock();
            let _ = writeln!(
                o,
                "{} quyết định từ {}",
                tthc::number::int(decided.len()),
                file.display()
            );
            for m in &merges {
                let _ = writeln!(
                    o,
                    "  {}: {} mới, {} thay thế quyết định trước, {} không đổi; {} quyết định → {}",
                    m.ministry,
                    m.new,
                    m.replaced,
                    m.unchanged,
                    m.total,
                    catalogue.join(&m.path).display()
                );
            }
            Ok(())
        }
    }
}

/// The ministry the user named: an agency that owns procedures, by id or name.
fn resolve_ministry(cat: &tthc::model::Catalog, wanted: &str) -> Result<usize, Failure> {
    let w = tthc::text::fold(wanted);
    let mut owners: Vec<usize> = cat.procedures.iter().map(|p| p.agency).collect();
    owners.sort();
    owners.dedup();
    let found = owners.iter().copied().find(|&m| {
        let ag = &cat.agencies[m];
        tthc::text::fold(&ag.id) == w
            || tthc::text::fold(&ag.name) == w
            || ag.aliases.iter().any(|x| tthc::text::fold(x) == w)
    });
    found.ok_or_else(|| {
        let hint =
            tthc::text::did_you_mean(wanted, owners.iter().map(|&m| cat.agencies[m].id.as_str()))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
        Failure::Usage(format!(
            "--ministry: no procedure belongs to `{wanted}`{hint}"
        ))
    })
}

fn plan(args: AnalysisArgs, format: PlanFormat, out: Option<&Path>) -> Result<(), Failure> {
    if format == PlanFormat::Xlsx && out.is_none() {
        return Err(Failure::Usage("--format xlsx needs --out FILE".into()));
    }
    let bar = progress::Bar::new();
    let (cat, opts) = prepare(&args, &bar)?;
    bar.step("Phân tích, ghi kết quả");
    let a = tthc::analysis::analyse(&cat, &opts);
    let p = tthc::plan::plan(&a);
    let failed = |e: String| {
        let _ = writeln!(std::io::stderr(), "error: cannot write the plan: {e}");
        Failure::Rejected
    };
    let bytes = match format {
        PlanFormat::Text => return emit_text(out, &tthc::plan::plan_text(&a, &p)),
        PlanFormat::Json => return emit_with(out, |w| tthc::plan::write_plan_json(&a, &p, w)),
        PlanFormat::Csv => tthc::plan::plan_csv(&a, &p).map_err(|e| failed(e.to_string()))?,
        PlanFormat::Xlsx => tthc::plan::plan_xlsx(&a, &p).map_err(|e| failed(e.to_string()))?,
    };
    emit(out, &bytes)
}

fn report(
    args: AnalysisArgs,
    out: &Path,
    force: bool,
    since: Option<&Path>,
) -> Result<(), Failure> {
    let bar = progress::Bar::new();
    let (cat, opts) = prepare(&args, &bar)?;
    bar.step("Phân tích, ghi kết quả");
    let a = tthc::analysis::analyse(&cat, &opts);
    let p = tthc::plan::plan(&a);
    let old = match since {
        Some(dir) => {
            let old_args = AnalysisArgs {
                catalogue: dir.to_path_buf(),
                ..args
            };
            Some(prepare(&old_args, &bar)?)
        }
        None => None,
    };
    let old_analysis = old.as_ref().map(|(c, o)| tthc::analysis::analyse(c, o));
    let changes = old_analysis
        .as_ref()
        .map(|o| tthc::solve::diff::diff(o, &a))
        .unwrap_or_default();
    let since = old_analysis.as_ref().map(|o| tthc::report::Since {
        name: since.map(|d| d.display().to_string()).unwrap_or_default(),
        old: o,
        changes: &changes,
    });
    let mut dir = tthc::outdir::DirWriter::begin(out, force).map_err(out_dir_failure)?;
    let render_failure = |e| match e {
        tthc::report::RenderError::Out(e) => out_dir_failure(e),
        e => {
            let _ = writeln!(std::io::stderr(), "error: cannot render the report: {e}");
            Failure::Rejected
        }
    };
    let workbooks =
        tthc::report::render_pages(&a, &p, since.as_ref(), &mut dir).map_err(render_failure)?;
    // The workbooks own their text: the analyses and the catalogues go
    // before they are assembled, so the two never share the peak.
    drop(since);
    drop(changes);
    drop(old_analysis);
    drop(p);
    drop(a);
    drop(old);
    drop(cat);
    workbooks.write_into(&mut dir).map_err(render_failure)?;
    let pages = dir.len();
    let written = dir.commit().map_err(out_dir_failure)?;
    tell_written(out, &written);
    emit(
        None,
        format!("{pages} pages → {}\n", out.join("index.html").display()).as_bytes(),
    )
}

/// Says why an output directory was not written; refused is rejected
/// input, unwritable a usage problem.
fn out_dir_failure(e: tthc::outdir::OutDirError) -> Failure {
    use tthc::outdir::OutDirError;
    match e {
        OutDirError::Refused(d) => {
            print_diagnostics(&[d]);
            Failure::Rejected
        }
        OutDirError::Unwritable(d) => {
            print_diagnostics(&[d]);
            Failure::UsageShown
        }
    }
}

/// Writes an output directory (see `tthc::outdir`) and says on stderr what
/// it kept and what stale staging it removed.
fn write_out_dir(
    dir: &Path,
    files: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
    force: bool,
) -> Result<(), Failure> {
    let written = tthc::outdir::write_dir(dir, files, force).map_err(out_dir_failure)?;
    tell_written(dir, &written);
    Ok(())
}

/// Says on stderr what a directory write kept and what stale staging it
/// removed.
fn tell_written(dir: &Path, written: &tthc::outdir::Written) {
    let mut e = std::io::stderr().lock();
    for s in &written.stale_removed {
        let _ = writeln!(
            e,
            "removed the staging directory of an interrupted run: {s}"
        );
    }
    if !written.kept.is_empty() {
        let _ = writeln!(
            e,
            "kept {} entries tthc did not write in {}:",
            written.kept.len(),
            dir.display()
        );
        for k in &written.kept {
            let _ = writeln!(e, "  {}", tthc::text::for_terminal(k));
        }
    }
}

fn import(what: ImportCommand) -> Result<(), Failure> {
    let (out, origin) = match &what {
        ImportCommand::Portal { out, .. } => (out, "the National Public Service Portal"),
        ImportCommand::Table { out, .. } => (out, "a one-row-per-component table"),
    };
    let loaded = match &out.reference {
        Some(dir) => tthc::load_catalogue(dir),
        None => tthc::load_files(&tthc::reference::files(), vec![]),
    };
    let Some(cat) = loaded.catalog else {
        print_diagnostics(&loaded.diagnostics);
        return Err(Failure::Rejected);
    };
    let imported = match &what {
        ImportCommand::Portal { paths, .. } => tthc::import::portal::import(&cat, paths),
        ImportCommand::Table { file, .. } => tthc::import::table::import(&cat, file),
    };
    print_diagnostics(&imported.diagnostics);
    if imported.diagnostics.iter().any(|d| d.is_error()) {
        let n = imported.diagnostics.iter().filter(|d| d.is_error()).count();
        let _ = writeln!(std::io::stderr(), "{n} errors; nothing was written");
        return Err(Failure::Rejected);
    }
    let mut files = tthc::import::render(&imported, origin).map_err(|d| {
        print_diagnostics(&[d]);
        Failure::Rejected
    })?;
    let title = format!("Import report: {origin}");
    files.insert(
        tthc::import::REPORT.into(),
        imported.report.markdown(&title).into_bytes(),
    );
    write_out_dir(&out.out, &files, out.force)?;
    let r = &imported.report;
    let summary = format!(
        "{} procedures, {} components ({} forms, {} already digital, {} unrecognised = {:.1}% of evidence) from {} records → {}\nreport: {}\n",
        r.procedures,
        r.components,
        r.forms,
        r.already_digital,
        r.unrecognised.len(),
        r.unrecognised_share() * 100.0,
        r.inputs,
        out.out.display(),
        out.out.join(tthc::import::REPORT).display()
    );
    emit_text(None, &summary)
}

fn explain(args: AnalysisArgs, code: &str) -> Result<(), Failure> {
    let bar = progress::Bar::new();
    let (cat, opts) = prepare(&args, &bar)?;
    bar.step("Phân tích, ghi kết quả");
    let a = tthc::analysis::analyse(&cat, &opts);
    match tthc::output::explain_text(&a, code) {
        Some(text) => emit_text(None, &text),
        None => {
            let hint =
                tthc::text::did_you_mean(code, cat.procedures.iter().map(|p| p.code.as_str()))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
            let _ = writeln!(
                std::io::stderr(),
                "{}: error[E0301/unknown-reference]: no procedure with code `{code}`{hint}",
                args.catalogue.display()
            );
            Err(Failure::Rejected)
        }
    }
}

/// Set by `--no-cache`.
static NO_CACHE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The re-run cache, unless `--no-cache` or `TTHC_CACHE=0` turn it off: in
/// `TTHC_CACHE_DIR`, else `$XDG_CACHE_HOME/tthc`, else `~/.cache/tthc`; for
/// this very executable (its version and the hash of its bytes), so a
/// rebuilt binary never reads an older one's records. `None` when no folder
/// is known or the executable cannot be read.
fn cache() -> Option<&'static tthc::catalogue::cache::Cache> {
    static CACHE: std::sync::OnceLock<Option<tthc::catalogue::cache::Cache>> =
        std::sync::OnceLock::new();
    CACHE
        .get_or_init(|| {
            let env = |name| std::env::var_os(name).filter(|v| !v.is_empty());
            if NO_CACHE.load(std::sync::atomic::Ordering::Relaxed)
                || env("TTHC_CACHE").is_some_and(|v| v == "0")
            {
                return None;
            }
            let absolute =
                |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
            let root = env("TTHC_CACHE_DIR")
                .map(PathBuf::from)
                .or_else(|| {
                    env("XDG_CACHE_HOME")
                        .and_then(absolute)
                        .map(|d| d.join("tthc"))
                })
                .or_else(|| {
                    env("HOME")
                        .and_then(absolute)
                        .map(|h| h.join(".cache/tthc"))
                })?;
            let exe = std::fs::read(std::env::current_exe().ok()?).ok()?;
            let build = format!(
                "{} {:032x}",
                env!("CARGO_PKG_VERSION"),
                xxhash_rust::xxh3::xxh3_128(&exe)
            );
            Some(tthc::catalogue::cache::Cache::new(root, build))
        })
        .as_ref()
}

fn print_diagnostics(diags: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let mut e = stderr.lock();
    for d in diags {
        let _ = writeln!(e, "{}", tthc::text::for_terminal(&d.to_string()));
    }
}

fn check(root: &std::path::Path, format: DiagFormat) -> ExitCode {
    let (loaded, _) = tthc::load_catalogue_heads(root, &progress::Bar::new(), cache());
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    match format {
        DiagFormat::Text => {
            print_diagnostics(&loaded.diagnostics);
            let mut e = std::io::stderr().lock();
            match &loaded.catalog {
                Some(c) => {
                    let (procedures, components) = loaded.counts();
                    let _ = writeln!(
                        e,
                        "{}: ok — {} procedures, {} components, {} document types, {} sources{}{}",
                        root.display(),
                        procedures,
                        components,
                        c.document_types.len(),
                        c.sources.len(),
                        if loaded.builtin_reference {
                            " (built-in reference catalogue)"
                        } else {
                            ""
                        },
                        if warnings > 0 {
                            format!(", {warnings} warnings")
                        } else {
                            String::new()
                        }
                    );
                }
                None => {
                    let _ = writeln!(
                        e,
                        "{}: {} errors, {} warnings",
                        root.display(),
                        errors,
                        warnings
                    );
                }
            }
        }
        DiagFormat::Json => {
            let out = serde_json::json!({
                "schema": "tthc.diagnostics/1",
                "catalogue": root.display().to_string(),
                "ok": loaded.catalog.is_some(),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": loaded.diagnostics,
            });
            let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
            s.push('\n');
            if emit(None, s.as_bytes()).is_err() {
                return ExitCode::from(EXIT_REJECTED);
            }
        }
    }
    if errors > 0 {
        ExitCode::from(EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    }
}
