//! The `skaidra` command line: parses arguments and calls the library. Exit codes: 0 success,
//! 1 content errors, 2 usage or configuration errors.

/// mimalloc instead of the system allocator: a build makes and drops millions of small values
/// (template contexts, rendered pages) on two threads, and glibc's malloc and free were a third of
/// its CPU. At 10,000 services the build's CPU time went from 18.6 s to 12.7 s.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use skaidra::diagnostics::{Diagnostics, plural, render_human};
use skaidra::pipeline::{self, BuildOptions};
use std::io::{IsTerminal, Write};
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
    #[command(
        after_help = "Examples:\n  skaidra build\n  skaidra build --root content-repo --out /var/www/site --base-url https://example.lt/"
    )]
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
    /// Find outdated or broken information: overdue reviews, broken links, wrong phone numbers,
    /// stale translations, easy-read and accessibility problems.
    #[command(
        after_help = "Examples:\n  skaidra check\n  skaidra check --today 2027-01-15 --strict\n  skaidra check --online --format junit > check.xml\n\nExit codes: 0 clean (warnings allowed unless --strict), 1 errors found, 2 usage or configuration error."
    )]
    Check {
        /// The site's folder (the one with site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check review dates as of this day (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_date)]
        today: Option<chrono::NaiveDate>,
        /// Also check external links over the network (results cached in .skaidra-cache/).
        #[arg(long)]
        online: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Render every page to check its HTML, instead of one page of each kind and the text of
        /// the others (slower; a theme with templates of its own always has every page rendered).
        #[arg(long)]
        render_all: bool,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Print only errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Record that a translation is up to date with its default-language source (run it after
    /// translating or updating a translation).
    #[command(after_help = "Example:\n  skaidra stamp content/services/pagalba-i-namus/index.en.md")]
    Stamp {
        /// Translation files (index.<lang>.md or easy.<lang>.md, not in the default language).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The site's folder (to read the default language from site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Preview the site while you edit: builds, serves on 127.0.0.1 and reloads the browser when
    /// files change.
    #[command(after_help = "Examples:\n  skaidra serve\n  skaidra serve --root my-site --port 8080 --open")]
    Serve {
        /// The site's folder (the one with site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Only change it if others must see your preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the preview in the web browser.
        #[arg(long)]
        open: bool,
    },
    /// Make the home-visit leaflets (PDF): screen versions, or print-shop versions with bleed.
    #[command(
        after_help = "Examples:\n  skaidra leaflets\n  skaidra leaflets --format a4-trifold\n  skaidra leaflets --print-shop --crop-marks --out /tmp/for-the-printer"
    )]
    Leaflets {
        /// The site's folder (the one with site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write (default: the output folder of site.toml); files go under leaflets/.
        #[arg(long)]
        out: Option<PathBuf>,
        /// a5, a4 or a4-trifold (default: site.toml, else a5).
        #[arg(long)]
        format: Option<String>,
        /// Print-shop versions: 3 mm bleed, TrimBox and BleedBox, and a manifest.
        #[arg(long)]
        print_shop: bool,
        /// With --print-shop: crop marks outside the bleed.
        #[arg(long, requires = "print_shop")]
        crop_marks: bool,
    },
    /// Removes a previous output folder after a build (run by `build` in the background).
    #[command(hide = true)]
    InternalRemoveOld { dir: PathBuf },
    /// Create a new, small site that builds at once.
    #[command(after_help = "Example:\n  skaidra init my-site && skaidra build --root my-site")]
    Init {
        /// The folder to create (must not exist or be empty).
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Junit,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("`{s}` is not a date like 2026-11-23"))
}

/// The exit code of a run that failed with `d`: 2 when the configuration (site.toml, the output
/// folder, `--base-url`) is unusable, as for `check`; 1 for problems in the content.
fn failure_code(d: &Diagnostics) -> u8 {
    let config = |x: &skaidra::diagnostics::Diagnostic| {
        x.code == "config" || x.code == "output-dir" || x.location.file == std::path::Path::new("site.toml")
    };
    if d.items.iter().any(|x| x.is_error() && config(x)) { 2 } else { 1 }
}

fn print_diags(d: &Diagnostics) {
    if !d.items.is_empty() {
        eprint!("{}", render_human(d, std::io::stderr().is_terminal()));
    }
}

fn leaflets(
    root: PathBuf,
    out: Option<PathBuf>,
    format: Option<String>,
    print_shop: bool,
    crop_marks: bool,
) -> ExitCode {
    use skaidra::leaflet::{self, Format, LeafletOptions};
    let started = std::time::Instant::now();
    let format = match format.as_deref().map(Format::parse) {
        Some(None) => {
            eprintln!("error: --format must be a5, a4 or a4-trifold");
            return ExitCode::from(2);
        }
        Some(Some(f)) => Some(f),
        None => None,
    };
    let (site, warnings, _) = match pipeline::load_site(&root, None) {
        Ok(x) => x,
        Err(d) => {
            print_diags(&d);
            return ExitCode::from(failure_code(&d));
        }
    };
    print_diags(&warnings);
    let out = out.unwrap_or_else(|| root.join(&site.config.output_dir));
    if let Err(d) = pipeline::check_output_dir(&root, &out) {
        eprintln!("{d}");
        return ExitCode::from(2);
    }
    let opts = LeafletOptions { print_shop, crop_marks, format: Some(format.unwrap_or(site.config.leaflets.format)) };
    match leaflet::make_all(&site, &root, &opts) {
        Ok(ls) => {
            let write = |rel: &str, bytes: &[u8]| -> std::io::Result<()> {
                let p = out.join(rel);
                if let Some(d) = p.parent() {
                    std::fs::create_dir_all(d)?;
                }
                let tmp = p.with_extension("tmp");
                std::fs::write(&tmp, bytes)?;
                std::fs::rename(tmp, p)
            };
            for l in &ls {
                if let Err(e) = write(&l.path, &l.bytes) {
                    eprintln!("error: cannot write {}: {e}", out.join(&l.path).display());
                    return ExitCode::from(1);
                }
            }
            if print_shop {
                let (json, csv) = leaflet::manifest(&ls, &opts);
                if write("leaflets/print-manifest.json", json.as_bytes())
                    .and_then(|_| write("leaflets/print-manifest.csv", csv.as_bytes()))
                    .is_err()
                {
                    eprintln!("error: cannot write the print manifest");
                    return ExitCode::from(1);
                }
            }
            let pages: usize = ls.iter().map(|l| l.pages).sum();
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            eprintln!(
                "made {} leaflets ({pages} pages) in {}{} in {ms:.0} ms ({:.1} ms per leaflet)",
                ls.len(),
                out.join("leaflets").display(),
                if print_shop { " for print shops" } else { "" },
                ms / ls.len().max(1) as f64
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diags(&Diagnostics { items: d });
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, out, base_url, strict, quiet } => {
            let opts = BuildOptions { root, out, base_url, strict, background_removal: std::env::current_exe().ok() };
            match pipeline::build(&opts) {
                Ok(report) => {
                    print_diags(&report.diagnostics);
                    if !quiet {
                        let total: f64 = report.timings.iter().map(|(_, d)| d.as_secs_f64()).sum();
                        let phases: Vec<String> = report
                            .timings
                            .iter()
                            .map(|(n, d)| format!("{n} {:.0} ms", d.as_secs_f64() * 1000.0))
                            .collect();
                        eprintln!(
                            "built {} pages into {} in {:.0} ms ({}){}",
                            report.pages,
                            report.out.display(),
                            total * 1000.0,
                            phases.join(", "),
                            if report.diagnostics.items.is_empty() {
                                String::new()
                            } else {
                                format!("; {}", plural(report.diagnostics.warning_count(), "warning"))
                            }
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    print_diags(&d);
                    let code = failure_code(&d);
                    eprintln!(
                        "build failed: {}, {}; the previous output was left as it was",
                        plural(d.error_count(), "error"),
                        plural(d.warning_count(), "warning")
                    );
                    ExitCode::from(code)
                }
            }
        }
        Command::Check { root, today, online, strict, render_all, format, quiet } => {
            let opts = skaidra::check::CheckOptions {
                root,
                today: today.unwrap_or_else(|| chrono::Local::now().date_naive()),
                online,
                strict,
                render_all,
            };
            match skaidra::check::run(&opts) {
                Ok(report) => {
                    use skaidra::check::report as r;
                    match format {
                        Format::Human => eprint!("{}", r::human(&report, std::io::stderr().is_terminal(), quiet)),
                        // A closed pipe (`| head`) is not an error worth a panic.
                        Format::Json => {
                            let _ = writeln!(std::io::stdout(), "{}", r::json(&report));
                        }
                        Format::Junit => {
                            let _ = write!(std::io::stdout(), "{}", r::junit(&report));
                        }
                    }
                    if report.diagnostics.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS }
                }
                Err(d) => {
                    print_diags(&d);
                    eprintln!(
                        "check failed: the site's configuration could not be read ({})",
                        plural(d.error_count(), "error")
                    );
                    ExitCode::from(2)
                }
            }
        }
        Command::Stamp { files, root } => {
            let default_lang = match skaidra::config::load(&root) {
                Ok(c) => c.default_lang().to_string(),
                Err(d) => {
                    print_diags(&d);
                    return ExitCode::from(2);
                }
            };
            let mut failed = false;
            for f in files {
                match skaidra::check::translations::stamp(&f, &default_lang) {
                    Ok(msg) => eprintln!("{msg}"),
                    Err(e) => {
                        eprintln!("error: {e}");
                        failed = true;
                    }
                }
            }
            if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Command::Serve { root, port, bind, open } => {
            match skaidra::serve::serve(&skaidra::serve::ServeOptions { root, port, bind, open }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Leaflets { root, out, format, print_shop, crop_marks } => {
            leaflets(root, out, format, print_shop, crop_marks)
        }
        Command::InternalRemoveOld { dir } => {
            if skaidra::write::remove_old_output(&dir).is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Command::Init { dir } => match skaidra::init::init(&dir) {
            Ok(()) => {
                eprintln!(
                    "created a new site in {}; build it with: skaidra build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot create a site in {}: {e}", dir.display());
                ExitCode::from(2)
            }
        },
    }
}
