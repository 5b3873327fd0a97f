//! The `tthc` command line. All printing happens here; the library returns
//! values and the binary decides how to show them.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tthc::analysis::Options;
use tthc::diag::Diagnostic;

#[derive(Parser)]
#[command(
    name = "tthc",
    version,
    about = "Finds which papers of Vietnamese administrative procedures data can replace, and explains why"
)]
struct Cli {
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
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { catalogue, format } => return check(&catalogue, format),
        Command::Analyse {
            args,
            format,
            summary,
            out,
        } => analyse(args, format, summary, out.as_deref()),
        Command::Plan { args, format, out } => plan(args, format, out.as_deref()),
        Command::Report { args, out, force } => report(args, &out, force),
        Command::Import { what } => import(what),
        Command::Explain { code, args } => explain(args, &code),
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
fn prepare(args: &AnalysisArgs) -> Result<(tthc::model::Catalog, Options), Failure> {
    let as_of = match &args.as_of {
        Some(s) => Some(
            s.parse::<tthc::date::Date>()
                .map_err(|e| Failure::Usage(format!("--as-of: {e}")))?,
        ),
        None => None,
    };
    let loaded = tthc::load_catalogue(&args.catalogue);
    print_diagnostics(&loaded.diagnostics);
    let Some(mut cat) = loaded.catalog else {
        let n = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
        let _ = writeln!(
            std::io::stderr(),
            "{}: {n} errors; run `tthc check` for details",
            args.catalogue.display()
        );
        return Err(Failure::Rejected);
    };
    if let Some(path) = &args.scenario {
        if let Err(diags) = tthc::scenario::apply_file(&mut cat, path) {
            print_diagnostics(&diags);
            return Err(Failure::Rejected);
        }
    }
    let province = match &args.province {
        Some(wanted) => Some(resolve_province(&cat, wanted)?),
        None => None,
    };
    Ok((
        cat,
        Options {
            as_of,
            province,
            include_pilot: args.include_pilot,
        },
    ))
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

/// Writes `bytes` to `path` whole or not at all: a temporary file beside
/// it (created with the umask's mode, or the replaced file's mode), then
/// renamed over it. A path that cannot be written is a usage error.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    tthc::outdir::write_file(path, bytes).map_err(|d| {
        print_diagnostics(&[d]);
        Failure::UsageShown
    })
}

/// Writes to standard output; a failed write (a full disk, a closed pipe)
/// is reported and rejects the run.
fn to_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut o = std::io::stdout().lock();
    match o.write_all(bytes).and_then(|()| o.flush()) {
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
    match out {
        Some(p) => write_atomic(p, bytes),
        None => to_stdout(bytes),
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
    let (cat, opts) = prepare(&args)?;
    let a = tthc::analysis::analyse(&cat, &opts);
    let bytes = match (format, summary) {
        (AnalyseFormat::Text, true) => return emit_text(out, &tthc::output::summary_text(&a)),
        (AnalyseFormat::Text, false) => return emit_text(out, &tthc::output::analysis_text(&a)),
        (AnalyseFormat::Json, _) => {
            let v = tthc::output::analysis_json(&a);
            let v = if summary { v["summary"].clone() } else { v };
            let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
            s.push('\n');
            s.into_bytes()
        }
        (AnalyseFormat::Csv, _) => tthc::output::analysis_csv(&a).map_err(|e| {
            let _ = writeln!(std::io::stderr(), "error: cannot write CSV: {e}");
            Failure::Rejected
        })?,
    };
    emit(out, &bytes)
}

fn plan(args: AnalysisArgs, format: PlanFormat, out: Option<&Path>) -> Result<(), Failure> {
    if format == PlanFormat::Xlsx && out.is_none() {
        return Err(Failure::Usage("--format xlsx needs --out FILE".into()));
    }
    let (cat, opts) = prepare(&args)?;
    let a = tthc::analysis::analyse(&cat, &opts);
    let p = tthc::plan::plan(&a);
    let failed = |e: String| {
        let _ = writeln!(std::io::stderr(), "error: cannot write the plan: {e}");
        Failure::Rejected
    };
    let bytes = match format {
        PlanFormat::Text => return emit_text(out, &tthc::plan::plan_text(&a, &p)),
        PlanFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(&tthc::plan::plan_json(&a, &p)).unwrap_or_default();
            s.push('\n');
            s.into_bytes()
        }
        PlanFormat::Csv => tthc::plan::plan_csv(&a, &p).map_err(|e| failed(e.to_string()))?,
        PlanFormat::Xlsx => tthc::plan::plan_xlsx(&a, &p).map_err(|e| failed(e.to_string()))?,
    };
    emit(out, &bytes)
}

fn report(args: AnalysisArgs, out: &Path, force: bool) -> Result<(), Failure> {
    let (cat, opts) = prepare(&args)?;
    let a = tthc::analysis::analyse(&cat, &opts);
    let p = tthc::plan::plan(&a);
    let files = tthc::report::render(&a, &p).map_err(|e| {
        let _ = writeln!(std::io::stderr(), "error: cannot render the report: {e}");
        Failure::Rejected
    })?;
    write_out_dir(out, &files, force)?;
    to_stdout(
        format!(
            "{} pages → {}\n",
            files.len(),
            out.join("index.html").display()
        )
        .as_bytes(),
    )
}

/// Writes an output directory (see `tthc::outdir`) and says on stderr what
/// it kept and what stale staging it removed.
fn write_out_dir(
    dir: &Path,
    files: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
    force: bool,
) -> Result<(), Failure> {
    use tthc::outdir::OutDirError;
    let written = tthc::outdir::write_dir(dir, files, force).map_err(|e| match e {
        OutDirError::Refused(d) => {
            print_diagnostics(&[d]);
            Failure::Rejected
        }
        OutDirError::Unwritable(d) => {
            print_diagnostics(&[d]);
            Failure::UsageShown
        }
    })?;
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
    Ok(())
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
    let (cat, opts) = prepare(&args)?;
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

fn print_diagnostics(diags: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let mut e = stderr.lock();
    for d in diags {
        let _ = writeln!(e, "{}", tthc::text::for_terminal(&d.to_string()));
    }
}

fn check(root: &std::path::Path, format: DiagFormat) -> ExitCode {
    let loaded = tthc::load_catalogue(root);
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    match format {
        DiagFormat::Text => {
            print_diagnostics(&loaded.diagnostics);
            let mut e = std::io::stderr().lock();
            match &loaded.catalog {
                Some(c) => {
                    let components: usize = c.procedures.iter().map(|p| p.components.len()).sum();
                    let _ = writeln!(
                        e,
                        "{}: ok — {} procedures, {} components, {} document types, {} sources{}{}",
                        root.display(),
                        c.procedures.len(),
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
            if to_stdout(s.as_bytes()).is_err() {
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
