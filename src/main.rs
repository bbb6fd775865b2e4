//! The `skaidra` command line: parses arguments and calls the library. Exit codes: 0 success,
//! 1 content errors, 2 usage or configuration errors.

use clap::{Parser, Subcommand};
use skaidra::diagnostics::{render_human, Diagnostics};
use skaidra::pipeline::{self, BuildOptions};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "skaidra",
    version,
    about = "Builds accessible, multilingual charter and service-catalogue websites from TOML and Markdown.",
    after_help = "Examples:\n  skaidra build                          build the site in this folder into public/\n  skaidra build --root my-site --out /tmp/site\n  skaidra build --base-url https://www.alytus.lt/socialines-paslaugos/\n  skaidra init my-site                   start a new site\n\nExit codes: 0 success, 1 problems in the content, 2 wrong usage."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ by default).
    #[command(after_help = "Examples:\n  skaidra build\n  skaidra build --root content-repo --out /var/www/site --base-url https://example.lt/")]
    Build {
        /// The site's folder (the one with site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: `output_dir` from site.toml, inside the root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Publish under this address instead of `base_url` from site.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Print only problems.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Create a new, small site that builds at once.
    #[command(after_help = "Example:\n  skaidra init my-site && skaidra build --root my-site")]
    Init {
        /// The folder to create (must not exist or be empty).
        dir: PathBuf,
    },
}

fn print_diags(d: &Diagnostics) {
    if !d.items.is_empty() {
        eprint!("{}", render_human(d, std::io::stderr().is_terminal()));
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, out, base_url, strict, quiet } => {
            let opts = BuildOptions { root, out, base_url, strict };
            match pipeline::build(&opts) {
                Ok(report) => {
                    print_diags(&report.diagnostics);
                    if !quiet {
                        let total: f64 = report.timings.iter().map(|(_, d)| d.as_secs_f64()).sum();
                        let phases: Vec<String> = report.timings.iter().map(|(n, d)| format!("{n} {:.0} ms", d.as_secs_f64() * 1000.0)).collect();
                        eprintln!(
                            "built {} pages into {} in {:.0} ms ({}){}",
                            report.pages,
                            report.out.display(),
                            total * 1000.0,
                            phases.join(", "),
                            if report.diagnostics.items.is_empty() { String::new() } else { format!("; {} warnings", report.diagnostics.warning_count()) }
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    print_diags(&d);
                    let code = if d.items.iter().any(|x| x.code == "config" || x.code == "output-dir") { 2 } else { 1 };
                    eprintln!("build failed: {} errors, {} warnings; the previous output was left as it was", d.error_count(), d.warning_count());
                    ExitCode::from(code)
                }
            }
        }
        Command::Init { dir } => match skaidra::init::init(&dir) {
            Ok(()) => {
                eprintln!("created a new site in {}; build it with: skaidra build --root {}", dir.display(), dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}
