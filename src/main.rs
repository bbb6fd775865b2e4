//! The `skaidra` command line: parses arguments and calls the library. Exit codes, the same in
//! every command: 0 success, 1 problems in the content, 2 wrong usage or problems in the site's
//! setup (`Diagnostics::exit_code`).

/// mimalloc instead of the system allocator: a build makes and drops millions of small values
/// (template contexts, rendered pages) on two threads, and glibc's malloc and free were a third of
/// its CPU. At 10,000 services the build's CPU time went from 18.6 s to 12.7 s. Built without
/// transparent huge pages (`no_thp`): the kernel zeroes every 2 MiB page mimalloc touches, and
/// a build after one edit at 10,000 services spent a fifth of its CPU there; without them its
/// system time fell from 3.6 s to 2.5 s.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use skaidra::diagnostics::{Diagnostics, plural, render_human};
use skaidra::pipeline::{self, BuildOptions};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "skaidra",
    version,
    about = "Builds accessible, multilingual charter and service-catalogue websites from TOML and Markdown.",
    after_help = "Examples:\n  skaidra build                          build the site in this folder into public/\n  skaidra build --root my-site --out /tmp/site\n  skaidra build --base-url https://www.alytus.lt/socialines-paslaugos/\n  skaidra init my-site                   start a new site\n\nExit codes: 0 success, 1 problems in the content, 2 wrong usage or problems in the site's setup\n(site.toml, i18n/, themes/, the output folder).\n\nWithout --root, a command finds its site as git finds its repository: in this folder or the\nnearest one above it that has a site.toml (for stamp: above the file)."
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
        /// The site's folder (the one with site.toml; default: this folder or the nearest one above
        /// it that has a site.toml).
        #[arg(long)]
        root: Option<PathBuf>,
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
        after_help = "Examples:\n  skaidra check\n  skaidra check --today 2027-01-15 --strict\n  skaidra check --online --format junit > check.xml\n  skaidra check --sources\n\nExit codes: 0 clean (warnings allowed unless --strict), 1 errors in the content, 2 wrong usage or errors in the site's setup (site.toml, i18n/, themes/)."
    )]
    Check {
        /// The site's folder (the one with site.toml; default: this folder or the nearest one above
        /// it that has a site.toml).
        #[arg(long)]
        root: Option<PathBuf>,
        /// Check review dates as of this day (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_date)]
        today: Option<chrono::NaiveDate>,
        /// Also check external links over the network (results cached in .skaidra-cache/).
        #[arg(long)]
        online: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Render every page to check its HTML, instead of one page of each kind and the text and
        /// the view of the others (slower; finds a link a theme's template makes by itself on every
        /// page, not only on the pages of its kind that are rendered).
        #[arg(long)]
        render_all: bool,
        /// Also list every contact, cost and waiting time that names no source (information: it
        /// fails the check only together with --strict).
        #[arg(long)]
        sources: bool,
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
        /// The site's folder (to read the default language from site.toml; default: the site each
        /// file is in, found from its folder upwards).
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Preview the site while you edit: builds, serves on 127.0.0.1 and reloads the browser when
    /// files change.
    #[command(after_help = "Examples:\n  skaidra serve\n  skaidra serve --root my-site --port 8080 --open")]
    Serve {
        /// The site's folder (the one with site.toml; default: this folder or the nearest one above
        /// it that has a site.toml).
        #[arg(long)]
        root: Option<PathBuf>,
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
        /// The site's folder (the one with site.toml; default: this folder or the nearest one above
        /// it that has a site.toml).
        #[arg(long)]
        root: Option<PathBuf>,
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

/// The site's folder: `--root` when it is given, else the site `inside` (a folder or a file) is
/// in ([`skaidra::config::find_root`]). `None`, with the message printed, when there is none.
fn site_root(root: Option<PathBuf>, inside: &Path) -> Option<PathBuf> {
    if root.is_some() {
        return root;
    }
    let found = skaidra::config::find_root(inside);
    if found.is_none() {
        let shown = if inside == Path::new(".") {
            std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_else(|_| ".".into())
        } else {
            inside.display().to_string()
        };
        eprintln!(
            "error: no site found: neither {shown} nor any folder above it has a site.toml\n  hint: run the command inside the site's folder, or give the folder with --root <folder>"
        );
    }
    found
}

fn print_diags(d: &Diagnostics) {
    if !d.items.is_empty() {
        eprint!("{}", render_human(d, std::io::stderr().is_terminal()));
    }
}

fn leaflets(
    root: Option<PathBuf>,
    out: Option<PathBuf>,
    format: Option<String>,
    print_shop: bool,
    crop_marks: bool,
) -> ExitCode {
    use skaidra::leaflet::{self, Format, PublishOptions};
    let started = std::time::Instant::now();
    let format = match format.as_deref().map(Format::parse) {
        Some(None) => {
            eprintln!("error: --format must be a5, a4 or a4-trifold");
            return ExitCode::from(2);
        }
        Some(Some(f)) => Some(f),
        None => None,
    };
    let Some(root) = site_root(root, Path::new(".")) else { return ExitCode::from(2) };
    match leaflet::publish(&PublishOptions { root, out, format, print_shop, crop_marks }) {
        Ok(made) => {
            print_diags(&made.warnings);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            eprintln!(
                "made {} leaflets ({} pages) in {}{} in {ms:.0} ms ({:.1} ms per leaflet)",
                made.leaflets,
                made.pages,
                made.dir.display(),
                if print_shop { " for print shops" } else { "" },
                ms / made.leaflets.max(1) as f64
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diags(&d);
            ExitCode::from(d.exit_code())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, out, base_url, strict, quiet } => {
            let Some(root) = site_root(root, Path::new(".")) else { return ExitCode::from(2) };
            let opts = BuildOptions { root, out, base_url, strict };
            match pipeline::build(&opts) {
                Ok(report) => {
                    print_diags(&report.diagnostics);
                    if let Some(note) = report.note.as_ref().filter(|_| !quiet) {
                        eprintln!("note: {note}");
                    }
                    if !quiet {
                        let total: f64 = report.timings.iter().map(|(_, d)| d.as_secs_f64()).sum();
                        let phases: Vec<String> = report
                            .timings
                            .iter()
                            .map(|(n, d)| format!("{n} {:.0} ms", d.as_secs_f64() * 1000.0))
                            .collect();
                        eprintln!(
                            "built {} pages into {} ({} files written) in {:.0} ms ({}){}",
                            report.pages,
                            report.out.display(),
                            report.written,
                            total * 1000.0,
                            phases.join(", "),
                            if report.diagnostics.items.is_empty() {
                                String::new()
                            } else {
                                format!("; {}", plural(report.diagnostics.warning_count(), "warning"))
                            }
                        );
                    }
                    // The process ends now: freeing the site one allocation at a time would
                    // take longer than the build's swap.
                    report.leftovers.forget();
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    print_diags(&d);
                    let code = d.exit_code();
                    eprintln!(
                        "build failed: {}, {}; the previous output was left as it was",
                        plural(d.error_count(), "error"),
                        plural(d.warning_count(), "warning")
                    );
                    ExitCode::from(code)
                }
            }
        }
        Command::Check { root, today, online, strict, render_all, sources, format, quiet } => {
            let Some(root) = site_root(root, Path::new(".")) else { return ExitCode::from(2) };
            let opts = skaidra::check::CheckOptions {
                root,
                today: today.unwrap_or_else(|| chrono::Local::now().date_naive()),
                online,
                strict,
                render_all,
                sources,
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
                    let code = if report.diagnostics.has_errors() {
                        ExitCode::from(report.diagnostics.exit_code())
                    } else {
                        ExitCode::SUCCESS
                    };
                    // As after a build: the process ends now.
                    report.leftovers.forget();
                    code
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
            // Each file's site (usually one), and its default language.
            let mut langs: std::collections::BTreeMap<PathBuf, String> = Default::default();
            let mut failed = false;
            for f in files {
                let Some(site) = site_root(root.clone(), &f) else { return ExitCode::from(2) };
                if !langs.contains_key(&site) {
                    match skaidra::config::load(&site) {
                        Ok(c) => langs.insert(site.clone(), c.default_lang().to_string()),
                        Err(d) => {
                            print_diags(&d);
                            return ExitCode::from(2);
                        }
                    };
                }
                match skaidra::check::translations::stamp(&f, &langs[&site]) {
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
            let Some(root) = site_root(root, Path::new(".")) else { return ExitCode::from(2) };
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
