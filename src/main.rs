//! The `tthc` command line. All printing happens here; the library returns
//! values and the binary decides how to show them.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
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
}

/// Exit codes of the contract.
const EXIT_REJECTED: u8 = 1;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { catalogue, format } => check(&catalogue, format),
    }
}

fn print_diagnostics(diags: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let mut e = stderr.lock();
    for d in diags {
        let _ = writeln!(e, "{d}");
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
            let mut o = std::io::stdout().lock();
            let _ = writeln!(
                o,
                "{}",
                serde_json::to_string_pretty(&out).unwrap_or_default()
            );
        }
    }
    if errors > 0 {
        ExitCode::from(EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    }
}
