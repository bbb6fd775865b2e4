//! The bad-input corpus: every kind of mistake an editor, a translator or a theme designer can make,
//! one folder each, run through the real `skaidra` binary.
//!
//! Each case is a folder `tests/fixtures/bad-input/<NN-name>/` with
//!
//! - `case.toml`: what the case is about, the command to run (in the site's folder), the expected
//!   exit code and the expected findings (`[[expect]]`: code, exact `file:line:col`, a phrase of the
//!   message and optionally of the hint), or raw `stderr` phrases for usage errors, `[[output]]`
//!   checks of pages a successful build wrote, and for `serve` the page to watch;
//! - `site/`: files written over a fresh base site (a `skaidra init` site with its placeholder
//!   contacts replaced by `common::fill_in`, built once, so that a previous good `public/` exists). A file named `<name>.hex` is written as the bytes its hex
//!   digits spell (whitespace and `#` comments are ignored), for text that is not UTF-8.
//!   `case.toml` can also `delete` base files, `[[edit]]` them (replace text that must occur exactly
//!   once, for long files such as `i18n/en.toml` that a full copy would let go stale) and make
//!   `[[symlink]]`s (a file `outside.txt` always exists beside the site, outside it).
//!
//! For every case the harness checks the exit code, every expected finding, that nothing panicked,
//! and, when the command failed, that the previous `public/` is exactly as it was and no staging
//! folder was left behind. `serve` cases start `skaidra serve` on the good base site, write the
//! broken files, wait for the error overlay in the page, check that it names each finding's file,
//! line and column and message, then restore the files and wait for the overlay to go away.
//!
//! Each case is its own test (`case_<NN>_<name>`, listed in `cases!` below) and reports all its
//! failures at once; `every_case_folder_is_listed` makes sure no folder is forgotten.
//! To add a case: make the folder (copy a similar case), add its name to `cases!`, run
//! `cargo test --release --test suite -- bad_input::`.

use crate::common;
use crate::common::copy_tree;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

// ------------------------------------------------------------------------------------------------
// The cases
// ------------------------------------------------------------------------------------------------

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run_case(stringify!($name));
            }
        )*
        /// Every case, as its test name.
        const ALL: &[&str] = &[$(stringify!($name)),*];
    };
}

cases! {
    case_01_site_unknown_key,
    case_02_site_language_code,
    case_03_site_language_without_table,
    case_04_site_base_url_relative,
    case_05_site_raw_html_value,
    case_06_site_contact_phone,
    case_07_site_theme_path,
    case_08_site_lint_limits_length,
    case_09_site_check_negative_days,
    case_10_site_not_utf8,
    case_11_i18n_missing_key,
    case_12_i18n_syntax,
    case_13_i18n_file_missing,
    case_14_theme_template_syntax,
    case_15_theme_contrast,
    case_16_theme_contrast_unknown_colour,
    case_17_facts_toml_syntax,
    case_18_front_matter_unknown_field,
    case_19_front_matter_not_closed,
    case_20_front_matter_duplicate_key,
    case_21_facts_date_literal,
    case_22_facts_wrong_type,
    case_23_facts_hours,
    case_24_facts_email,
    case_25_facts_unknown_audience,
    case_26_link_javascript,
    case_27_link_data,
    case_28_link_vbscript_mixed_case,
    case_29_link_broken_at,
    case_30_slug_dot_dot,
    case_31_slug_path_traversal,
    case_32_slug_capitals_and_space,
    case_33_slug_duplicate,
    case_34_language_not_in_site,
    case_35_text_not_utf8,
    case_36_symlink_outside_site,
    case_37_default_language_missing,
    case_38_folder_name_invalid,
    case_39_scripts_in_front_matter_escaped,
    case_40_raw_html_escaped_by_default,
    case_41_raw_html_sanitized,
    case_42_a11y_empty_link,
    case_43_a11y_vague_link_text,
    case_44_check_review_overdue,
    case_45_check_review_due_strict,
    case_46_check_review_period_typo,
    case_47_check_broken_link,
    case_48_check_broken_anchor,
    case_49_check_phone_invalid,
    case_50_check_phone_mismatch,
    case_51_check_http_website,
    case_52_check_translation_missing,
    case_53_check_translation_stale,
    case_54_check_easy_read_required,
    case_55_check_orphan_audience,
    case_56_check_unknown_provider,
    case_57_check_site_unreadable,
    case_58_easy_long_sentence,
    case_59_easy_long_paragraph,
    case_60_easy_long_word,
    case_61_easy_jargon,
    case_62_easy_number_word,
    case_63_easy_numeric_date,
    case_64_easy_capitals,
    case_65_easy_symbols,
    case_66_easy_italics,
    case_67_easy_phone_grouping,
    case_68_easy_long_title,
    case_69_easy_unknown_field,
    case_70_easy_level_out_of_range,
    case_71_easy_level_wrong_type,
    case_72_easy_glossary_incomplete,
    case_73_easy_unknown_pictogram,
    case_74_easy_without_page,
    case_75_leaflets_format_in_site,
    case_76_leaflets_unknown_option,
    case_77_leaflets_enabled_wrong_type,
    case_78_leaflets_format_flag,
    case_79_leaflets_strings_missing_key,
    case_80_leaflets_strings_syntax,
    case_81_leaflets_layout_unknown_key,
    case_82_leaflets_layout_syntax_in_build,
    case_83_leaflets_trifold_overflow,
    case_84_serve_broken_toml,
    case_85_serve_unknown_field,
    case_86_serve_dangling_reference,
    case_87_serve_broken_link,
    case_88_link_own_site_absolute,
    case_89_symlink_item_folder_outside,
    case_90_symlink_leads_nowhere,
    case_91_symlink_theme_outside,
    case_92_placeholder_email_check,
    case_93_placeholder_build_warning,
    case_94_placeholder_base_url_check,
    case_95_facts_date_dots,
    case_96_facts_date_day_first_quoted,
    case_97_front_matter_date_slashes,
    case_98_sources_unknown_field,
    case_99_sources_empty,
    case_100_sources_empty_in_site,
    case_101_site_not_found,
    case_102_check_i18n_missing_key,
    case_103_term_label_without_letters,
    case_104_term_slug_clash,
    case_105_term_slug_invalid,
    case_106_term_unknown_field,
    case_107_text_not_translated_strict,
    case_108_site_language_direction,
    case_109_front_matter_missing_field,
    case_110_facts_date_quoted_invalid,
    case_111_facts_unknown_provider,
    case_112_facts_unknown_category,
    case_113_link_broken_anchor,
    case_114_link_broken_in_commitment,
    case_115_slug_language_code,
    case_116_front_matter_missing,
    case_117_slug_with_slash,
}

// ------------------------------------------------------------------------------------------------
// case.toml
// ------------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// One line: what is wrong.
    about: String,
    /// Arguments after `skaidra`, run in the site's folder.
    command: Vec<String>,
    /// The expected exit code (not for `serve`).
    exit: Option<i32>,
    /// Base files to delete.
    #[serde(default)]
    delete: Vec<String>,
    #[serde(default)]
    edit: Vec<Edit>,
    #[serde(default)]
    symlink: Vec<Symlink>,
    #[serde(default)]
    expect: Vec<Expect>,
    /// Phrases stderr must contain (usage errors have no file location).
    #[serde(default)]
    stderr: Vec<String>,
    /// When given, the exact number of `error[...]` lines.
    errors: Option<usize>,
    #[serde(default)]
    output: Vec<Output>,
    /// For `serve`: the page (relative to the base path) to watch.
    page: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    from: String,
    to: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Symlink {
    path: String,
    target: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// `error` (the default) or `warning`.
    #[serde(default = "error")]
    severity: String,
    /// The diagnostic code (required, except for serve: the overlay does not show codes).
    code: Option<String>,
    /// Exactly `file:line:col`.
    location: String,
    /// A phrase of the message.
    message: String,
    /// A phrase of the hint.
    hint: Option<String>,
}

fn error() -> String {
    "error".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Output {
    /// A file under the site's folder, e.g. `public/index.html`.
    file: String,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    /// The page runs no script: no `<script>` element but the theme's own, no `on...` attribute,
    /// no `javascript:` address.
    #[serde(default)]
    safe: bool,
}

// ------------------------------------------------------------------------------------------------
// The base site and a case's site
// ------------------------------------------------------------------------------------------------

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-input")
}

/// The folder name of a test: `case_07_site_theme_path` -> `07-site-theme-path`.
fn folder_of(test: &str) -> String {
    test.trim_start_matches("case_").replace('_', "-")
}

/// A `skaidra init` site, built once (so it has a good `public/`), shared by every case.
fn base() -> &'static Path {
    static BASE: OnceLock<PathBuf> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bad-input-base");
        let _ = fs::remove_dir_all(&dir);
        let run = skaidra(Path::new(env!("CARGO_TARGET_TMPDIR")), &["init".into(), dir.to_string_lossy().into_owned()]);
        assert_eq!(run.code, 0, "skaidra init failed:\n{}", run.stderr);
        common::fill_in(&dir);
        let run = skaidra(&dir, &["build".into(), "-q".into()]);
        assert!(
            run.code == 0 && !run.stderr.contains("warning["),
            "the base site does not build cleanly:\n{}",
            run.stderr
        );
        dir
    })
}

/// Decodes the hex digits of a `.hex` overlay file (whitespace and `#` comments ignored).
fn unhex(text: &str) -> Vec<u8> {
    let digits: String =
        text.lines().map(|l| l.split('#').next().unwrap_or("")).collect::<String>().split_whitespace().collect();
    assert!(digits.len().is_multiple_of(2), "odd number of hex digits");
    (0..digits.len()).step_by(2).map(|i| u8::from_str_radix(&digits[i..i + 2], 16).expect("hex digits")).collect()
}

/// The files a case writes or deletes (relative path -> new bytes, or `None` to delete).
fn overlay(case_dir: &Path, case: &Case) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let site = case_dir.join("site");
    if site.is_dir() {
        for e in walkdir::WalkDir::new(&site).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
            let rel = e.path().strip_prefix(&site).unwrap().to_string_lossy().replace('\\', "/");
            match rel.strip_suffix(".hex") {
                Some(name) => out.insert(name.to_string(), Some(unhex(&fs::read_to_string(e.path()).unwrap()))),
                None => out.insert(rel, Some(fs::read(e.path()).unwrap())),
            };
        }
    }
    for d in &case.delete {
        assert!(base().join(d).exists(), "`delete`: the base site has no {d}");
        out.insert(d.clone(), None);
    }
    for ed in &case.edit {
        let text = match out.get(&ed.file) {
            Some(Some(b)) => String::from_utf8(b.clone()).unwrap(),
            _ => fs::read_to_string(base().join(&ed.file))
                .unwrap_or_else(|e| panic!("`edit`: cannot read {} of the base site: {e}", ed.file)),
        };
        assert_eq!(text.matches(&ed.from).count(), 1, "`edit`: `{}` must occur exactly once in {}", ed.from, ed.file);
        out.insert(ed.file.clone(), Some(text.replacen(&ed.from, &ed.to, 1).into_bytes()));
    }
    out
}

/// Writes (or deletes) the overlay's files in `root`.
fn apply(root: &Path, files: &BTreeMap<String, Option<Vec<u8>>>) {
    for (rel, bytes) in files {
        let p = root.join(rel);
        match bytes {
            Some(b) => {
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(&p, b).unwrap();
            }
            None => {
                if p.is_dir() {
                    fs::remove_dir_all(&p).unwrap();
                } else if p.exists() {
                    fs::remove_file(&p).unwrap();
                }
            }
        }
    }
}

#[cfg(unix)]
fn make_symlinks(root: &Path, links: &[Symlink]) {
    for l in links {
        let p = root.join(&l.path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&l.target, &p).unwrap();
    }
}

#[cfg(not(unix))]
fn make_symlinks(_: &Path, links: &[Symlink]) {
    assert!(links.is_empty(), "symlink cases need a Unix system");
}

/// Every file under `dir` (relative path -> content and modification time).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                (fs::read(e.path()).unwrap(), e.metadata().unwrap().modified().unwrap()),
            )
        })
        .collect()
}

// ------------------------------------------------------------------------------------------------
// Running skaidra and reading its findings
// ------------------------------------------------------------------------------------------------

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn skaidra(cwd: &Path, args: &[String]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_skaidra"))
        .args(args)
        .current_dir(cwd)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run skaidra");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// One finding as printed: `  error[code]: file:line:col: message` and `    hint: ...`.
#[derive(Debug)]
struct Finding {
    severity: String,
    code: String,
    location: String,
    message: String,
    hint: String,
}

fn findings(stderr: &str) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    for line in stderr.lines() {
        let t = line.trim_start();
        if let Some(h) = t.strip_prefix("hint: ") {
            if let Some(last) = out.last_mut() {
                last.hint = h.to_string();
            }
            continue;
        }
        let Some((severity, rest)) = t.split_once('[') else { continue };
        if severity != "error" && severity != "warning" {
            continue;
        }
        let Some((code, rest)) = rest.split_once("]: ") else { continue };
        let Some((location, message)) = rest.split_once(": ") else { continue };
        out.push(Finding {
            severity: severity.into(),
            code: code.into(),
            location: location.into(),
            message: message.into(),
            hint: String::new(),
        });
    }
    out
}

fn matches(f: &Finding, e: &Expect) -> bool {
    f.severity == e.severity
        && e.code.as_ref().is_some_and(|c| *c == f.code)
        && f.location == e.location
        && f.message.contains(&e.message)
        && e.hint.as_ref().is_none_or(|h| f.hint.contains(h))
}

/// Whether a page can run a script the site did not ship.
fn unsafe_parts(html: &str) -> Vec<String> {
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let found = std::cell::RefCell::new(Vec::new());
    rewrite_str(
        html,
        RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
            let tag = el.tag_name();
            if tag == "script" {
                let theme = el.get_attribute("src").is_some_and(|s| s.ends_with("/static/search.js"));
                let data = el.get_attribute("type").as_deref() == Some("application/ld+json")
                    && el.get_attribute("src").is_none();
                if !(theme || data) {
                    found.borrow_mut().push(format!(
                        "a <script> element {:?}",
                        el.attributes().iter().map(|a| (a.name(), a.value())).collect::<Vec<_>>()
                    ));
                }
            }
            for a in el.attributes() {
                let (name, value) = (a.name(), a.value());
                let v: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
                if name.starts_with("on")
                    || v.starts_with("javascript:")
                    || v.starts_with("vbscript:")
                    || (v.starts_with("data:") && tag != "img")
                {
                    found.borrow_mut().push(format!("<{tag} {name}=\"{value}\">"));
                }
            }
            Ok(())
        })),
    )
    .expect("the page parses");
    found.into_inner()
}

// ------------------------------------------------------------------------------------------------
// One case
// ------------------------------------------------------------------------------------------------

fn run_case(test: &str) {
    let name = folder_of(test);
    let dir = corpus().join(&name);
    let text =
        fs::read_to_string(dir.join("case.toml")).unwrap_or_else(|e| panic!("{name}: cannot read case.toml: {e}"));
    let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: case.toml: {e}"));
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::write(tmp.path().join("outside.txt"), "a file outside the site\n").unwrap();
    let root = tmp.path().join("site");
    copy_tree(base(), &root);
    let files = overlay(&dir, &case);
    let failures = if case.command.first().map(String::as_str) == Some("serve") {
        serve_case(&root, &case, &files)
    } else {
        cli_case(&root, &case, &files)
    };
    if !failures.is_empty() {
        panic!("case {name} ({}) failed:\n- {}", case.about, failures.join("\n- "));
    }
}

fn cli_case(root: &Path, case: &Case, files: &BTreeMap<String, Option<Vec<u8>>>) -> Vec<String> {
    let mut failures = Vec::new();
    apply(root, files);
    make_symlinks(root, &case.symlink);
    let public = root.join("public");
    let before = snapshot(&public);
    let run = skaidra(root, &case.command);
    let found = findings(&run.stderr);
    let exit = case.exit.expect("`exit` is required except for serve");
    if run.code != exit {
        failures.push(format!("exit code {}, expected {exit}", run.code));
    }
    if run.stderr.contains("panicked") || run.stderr.contains("RUST_BACKTRACE") {
        failures.push("skaidra panicked".into());
    }
    for e in &case.expect {
        if !found.iter().any(|f| matches(f, e)) {
            failures.push(format!(
                "no {}[{}] at {} with `{}`{}",
                e.severity,
                e.code.as_deref().unwrap_or("?"),
                e.location,
                e.message,
                e.hint.as_ref().map(|h| format!(" and hint `{h}`")).unwrap_or_default()
            ));
        }
    }
    for s in &case.stderr {
        if !run.stderr.contains(s.as_str()) {
            failures.push(format!("stderr does not contain `{s}`"));
        }
    }
    if let Some(n) = case.errors {
        let count = found.iter().filter(|f| f.severity == "error").count();
        if count != n {
            failures.push(format!("{count} errors, expected exactly {n}"));
        }
    }
    if run.code != 0 {
        if snapshot(&public) != before {
            failures.push("the failed run changed the previous public/".into());
        }
        let staging: Vec<String> = fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            // Staging folders and journals must be gone.
            .filter(|n| n.starts_with(".public"))
            .collect();
        if !staging.is_empty() {
            failures.push(format!("left behind: {staging:?}"));
        }
    }
    for o in &case.output {
        let Ok(html) = fs::read_to_string(root.join(&o.file)) else {
            failures.push(format!("{} was not written", o.file));
            continue;
        };
        for c in &o.contains {
            if !html.contains(c.as_str()) {
                failures.push(format!("{} does not contain `{c}`", o.file));
            }
        }
        for a in &o.absent {
            if html.contains(a.as_str()) {
                failures.push(format!("{} contains `{a}`", o.file));
            }
        }
        if o.safe {
            for u in unsafe_parts(&html) {
                failures.push(format!("{} can run a script: {u}", o.file));
            }
        }
    }
    if !failures.is_empty() {
        failures.push(format!(
            "the run: skaidra {}\n--- exit code {}\n--- stdout:\n{}\n--- stderr:\n{}",
            case.command.join(" "),
            run.code,
            run.stdout,
            run.stderr
        ));
    }
    failures
}

// ------------------------------------------------------------------------------------------------
// serve cases
// ------------------------------------------------------------------------------------------------

/// The longest a serve case waits for anything.
const WAIT: Duration = Duration::from_secs(20);
const STEP: Duration = Duration::from_millis(100);
const OVERLAY: &str = "<div id=\"skaidra-overlay\"";

/// A running `skaidra serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    base: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &Path) -> Result<Server, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_skaidra"))
            .args(["serve", "--port", "0", "--bind", "127.0.0.1"])
            .current_dir(root)
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start skaidra serve: {e}"))?;
        let out = common::follow(&mut child);
        let mut srv = Server { child, port: 0, base: String::new(), stderr: out.stderr };
        let url = common::serving_url(&out.stdout, WAIT)
            .ok_or_else(|| format!("no `serving on` line in time; stderr:\n{}", srv.log()))?;
        let url = url.strip_prefix("http://").unwrap_or(&url).to_string();
        let (authority, path) = url.split_once('/').unwrap_or((&url, ""));
        srv.port =
            authority.rsplit_once(':').and_then(|(_, p)| p.parse().ok()).ok_or_else(|| format!("no port in {url}"))?;
        srv.base = format!("/{path}");
        Ok(srv)
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// `GET <base><rel>`: (status, body).
    fn get(&self, rel: &str) -> Option<(u16, String)> {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        s.set_read_timeout(Some(WAIT)).ok()?;
        write!(
            s,
            "GET {}{rel} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: en\r\nConnection: close\r\n\r\n",
            self.base
        )
        .ok()?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).ok()?;
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let status = head.split_whitespace().nth(1)?.parse().ok()?;
        let mut body = raw[split + 4..].to_vec();
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
            body = dechunk(&body);
        }
        Some((status, String::from_utf8_lossy(&body).into_owned()))
    }

    /// Polls until `f` gives `Some`, for at most `WAIT`.
    fn wait_for<T>(&self, mut f: impl FnMut() -> Option<T>) -> Option<T> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(v) = f() {
                return Some(v);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(STEP);
        }
    }

    fn rebuilds(&self) -> usize {
        self.log().lines().filter(|l| l.starts_with("rebuilt ")).count()
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let Ok(n) =
            usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).split(';').next().unwrap_or("").trim(), 16)
        else {
            break;
        };
        if n == 0 || b.len() < eol + 2 + n {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[(eol + 4 + n).min(b.len())..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The overlay's items: `<li><strong>file</strong>, line L:C<br>message<br><em>hint</em></li>`
/// as (file, "L:C", message, hint).
fn overlay_items(html: &str) -> Vec<(String, String, String, String)> {
    let Some(start) = html.find(OVERLAY) else { return Vec::new() };
    let end = html[start..].find("</ul></div>").map(|e| start + e).unwrap_or(html.len());
    html[start..end]
        .split("<li>")
        .skip(1)
        .filter_map(|li| {
            let li = li.trim_end_matches("</li>");
            let (file, rest) = li.strip_prefix("<strong>")?.split_once("</strong>")?;
            let (place, rest) = rest.split_once("<br>")?;
            let line_col = place.rsplit(' ').next()?.to_string();
            let (message, hint) = match rest.split_once("<br><em>") {
                Some((m, h)) => (m, h.trim_end_matches("</em>")),
                None => (rest, ""),
            };
            Some((unescape(file), line_col, unescape(message), unescape(hint)))
        })
        .collect()
}

fn serve_case(root: &Path, case: &Case, files: &BTreeMap<String, Option<Vec<u8>>>) -> Vec<String> {
    let mut failures = Vec::new();
    let page = case.page.as_deref().expect("serve cases name the `page` to watch");
    // What each overlay file was in the good site, to put back for the fix.
    let originals: BTreeMap<String, Option<Vec<u8>>> =
        files.keys().map(|rel| (rel.clone(), fs::read(root.join(rel)).ok())).collect();
    let mut srv = match Server::start(root) {
        Ok(s) => s,
        Err(e) => return vec![e],
    };
    let fail =
        |failures: &mut Vec<String>, what: String| failures.push(format!("{what}\n--- server stderr:\n{}", srv.log()));
    // The watcher is registered before `serving on`; wait until a save of an unrelated file is seen,
    // so the broken save below cannot be missed.
    let probe = "content/pages/prieinamumas/index.en.md";
    let probe_text = fs::read(root.join(probe)).unwrap();
    let seen = srv.wait_for(|| {
        fs::write(root.join(probe), &probe_text).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        (srv.rebuilds() > 0).then_some(())
    });
    if seen.is_none() {
        fail(&mut failures, "the watcher never reacted to a save".into());
        return failures;
    }
    match srv.get(page) {
        Some((200, body)) if !body.contains(OVERLAY) => {}
        other => {
            fail(
                &mut failures,
                format!("the good page {page} is not served without an overlay: {:?}", other.map(|(s, _)| s)),
            );
            return failures;
        }
    }
    apply(root, files);
    let Some(body) = srv.wait_for(|| srv.get(page).filter(|(s, b)| *s == 200 && b.contains(OVERLAY)).map(|(_, b)| b))
    else {
        fail(&mut failures, format!("no error overlay on {page} within {WAIT:?} of the broken save"));
        return failures;
    };
    let items = overlay_items(&body);
    for e in &case.expect {
        let mut parts = e.location.rsplitn(3, ':');
        let (col, line, file) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let line_col = format!("{line}:{col}");
        let ok = items.iter().any(|(f, lc, m, h)| {
            *f == file && *lc == line_col && m.contains(&e.message) && e.hint.as_ref().is_none_or(|x| h.contains(x))
        });
        if !ok {
            fail(
                &mut failures,
                format!("the overlay has no item at {} with `{}`; it lists {items:#?}", e.location, e.message),
            );
        }
    }
    // The fix: the good files again.
    apply(root, &originals);
    if srv.wait_for(|| srv.get(page).filter(|(s, b)| *s == 200 && !b.contains(OVERLAY)).map(|_| ())).is_none() {
        fail(&mut failures, format!("the overlay did not go away within {WAIT:?} of the fix"));
    }
    let log = srv.log();
    if log.contains("panicked") || log.contains("RUST_BACKTRACE") {
        fail(&mut failures, "skaidra serve panicked".into());
    }
    if let Ok(Some(status)) = srv.child.try_wait() {
        failures.push(format!("skaidra serve stopped ({status})"));
    }
    failures
}

// ------------------------------------------------------------------------------------------------
// The corpus itself
// ------------------------------------------------------------------------------------------------

/// Every case folder has a test and every test a folder; case.toml files parse.
#[test]
fn every_case_folder_is_listed() {
    let mut folders: Vec<String> = fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let listed: Vec<String> = ALL.iter().map(|t| folder_of(t)).collect();
    for f in &folders {
        assert!(listed.contains(f), "the folder {f} is not in `cases!` (add case_{})", f.replace('-', "_"));
        assert!(!f.contains('_'), "case folder names use hyphens: {f}");
        let text =
            fs::read_to_string(corpus().join(f).join("case.toml")).unwrap_or_else(|e| panic!("{f}: case.toml: {e}"));
        let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{f}: case.toml: {e}"));
        assert!(
            case.exit.is_some() != (case.command.first().map(String::as_str) == Some("serve")),
            "{f}: `exit` is required, except for serve"
        );
        assert!(!case.about.trim().is_empty(), "{f}: say what the case is `about`");
        assert!(
            !case.expect.is_empty() || !case.stderr.is_empty() || !case.output.is_empty(),
            "{f}: the case expects nothing"
        );
        let serve = case.command.first().map(String::as_str) == Some("serve");
        assert!(serve || case.expect.iter().all(|e| e.code.is_some()), "{f}: every [[expect]] needs a `code`");
    }
    for l in &listed {
        assert!(folders.contains(l), "`cases!` lists {l}, which has no folder");
    }
    assert!(ALL.len() >= 40, "the corpus has only {} cases", ALL.len());
}
