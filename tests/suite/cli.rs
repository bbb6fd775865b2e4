//! Integration tests of the `skaidra` command line as a whole: the starter site, the files a build
//! leaves (and does not leave) behind, escaping, the output folder, `init`, help and exit codes,
//! and the example site.
//!
//! Each test starts from a [`TestSite`] (a fresh `skaidra init` site, or the example), changes what
//! it is about and runs the real binary. One mistake and its message (code, file:line:col, hint,
//! exit code) is a case of the bad-input corpus (`bad_input.rs`), not a test here.
//!
//! Tests marked `Regression test (fixed bug)` guard bugs these tests found.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

/// Files of the starter site that tests mutate.
const SERVICE_TOML: &str = "content/services/pagalba-i-namus/service.toml";
const SERVICE_LT: &str = "content/services/pagalba-i-namus/index.lt.md";
const SERVICE_EN: &str = "content/services/pagalba-i-namus/index.en.md";
const PROVIDER_EN: &str = "content/providers/centras/index.en.md";

use crate::common;
use common::{Run, TestSite, skaidra_in};

/// cli's own assertions on a run.
impl Run {
    /// Asserts there is an error line `error[<code>]: <location>...` whose message contains
    /// `phrase`. `location` is `file:line:` or `file:line:col:`.
    #[track_caller]
    fn expect_error(&self, code: &str, location: &str, phrase: &str) {
        let head = format!("error[{code}]: {location}");
        let found = self.stderr.lines().any(|l| l.contains(&head) && l.contains(phrase));
        self.check(found, &format!("expected a line with `{head}` and `{phrase}`"));
    }

    /// Asserts that the hint printed right after the error at `location` contains `phrase`.
    #[track_caller]
    fn expect_hint(&self, location: &str, phrase: &str) {
        let lines: Vec<&str> = self.stderr.lines().collect();
        let found = lines.windows(2).any(|w| {
            w[0].contains(&format!(": {location}")) && w[1].trim_start().starts_with("hint:") && w[1].contains(phrase)
        });
        self.check(found, &format!("expected the error at `{location}` to have a hint containing `{phrase}`"));
    }

    /// The number of `error[...]` lines.
    fn error_lines(&self) -> usize {
        self.stderr.lines().filter(|l| l.trim_start().starts_with("error[")).count()
    }
}

fn skaidra(args: &[&str]) -> Run {
    skaidra_in(&std::env::temp_dir(), args)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// Every file under `dir` (relative path -> content and modification time).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, (fs::read(e.path()).unwrap(), e.metadata().unwrap().modified().unwrap()))
        })
        .collect()
}

/// Relative paths of every file and folder under `dir`.
fn tree(dir: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap().path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

/// Names of the entries of `dir` that start with `prefix`.
fn entries_starting_with(dir: &Path, prefix: &str) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect()
}

/// Staging folders and journals beside `public/`.
fn left_behind(root: &Path) -> Vec<String> {
    entries_starting_with(root, ".public.")
}

/// What the HTML parser saw in a page.
#[derive(Debug, Default)]
struct PageInfo {
    html_lang: Option<String>,
    /// `<link rel="alternate" hreflang>`: (hreflang, href).
    alternates: Vec<(String, String)>,
    /// `href` of every `<a>` and `<link>`.
    hrefs: Vec<String>,
    /// `<link rel="canonical">`.
    canonical: Option<String>,
    /// `<meta name="description">`.
    description: Option<String>,
    /// Number of `<script>` elements that could run code the site did not ship: anything except the
    /// theme's own `static/search.js` and JSON-LD data blocks.
    scripts: usize,
}

/// Parses a page with lol_html (an HTML5 tokenizer: `<title>` content is text, as in browsers).
fn parse_page(html: &str) -> PageInfo {
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let info = std::cell::RefCell::new(PageInfo::default());
    rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("html", |el| {
                info.borrow_mut().html_lang = el.get_attribute("lang");
                Ok(())
            }))
            .append_element_content_handler(element!("link[rel=alternate][hreflang]", |el| {
                let pair = (el.get_attribute("hreflang").unwrap(), el.get_attribute("href").unwrap_or_default());
                info.borrow_mut().alternates.push(pair);
                Ok(())
            }))
            .append_element_content_handler(element!("a[href], link[href]", |el| {
                info.borrow_mut().hrefs.push(el.get_attribute("href").unwrap());
                Ok(())
            }))
            .append_element_content_handler(element!("link[rel=canonical]", |el| {
                info.borrow_mut().canonical = el.get_attribute("href");
                Ok(())
            }))
            .append_element_content_handler(element!("meta[name=description]", |el| {
                info.borrow_mut().description = el.get_attribute("content");
                Ok(())
            }))
            .append_element_content_handler(element!("script", |el| {
                let theme_script = el.get_attribute("src").is_some_and(|s| s.ends_with("/static/search.js"))
                    && el.get_attribute("type").is_none();
                let data_block = el.get_attribute("type").as_deref() == Some("application/ld+json")
                    && el.get_attribute("src").is_none();
                if !(theme_script || data_block) {
                    info.borrow_mut().scripts += 1;
                }
                Ok(())
            })),
    )
    .expect("the page parses");
    info.into_inner()
}

/// Decodes the character references an attribute value may hold.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every `*.html` file under `dir`, relative.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

// ------------------------------------------------------------------------------------------------
// The starter site itself builds (every test and bad-input case relies on this).
// ------------------------------------------------------------------------------------------------

/// The starter site builds at once; its only warnings are the placeholder contacts it asks the
/// editor to replace (which `check` reports as errors), and with them replaced it builds without
/// a warning.
#[test]
fn starter_site_builds_cleanly() {
    let site = TestSite::starter();
    let run = site.build(&[]);
    run.expect_code(0);
    run.check(run.error_lines() == 0, "the starter site has no errors");
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.trim_start().starts_with("warning[")).collect();
    run.check(
        warnings.iter().all(|l| l.contains("warning[placeholder]")),
        "the starter site's only warnings are its placeholders",
    );
    for file in ["site.toml", SERVICE_TOML, "content/providers/centras/provider.toml"] {
        run.check(
            warnings.iter().any(|l| l.contains(&format!("warning[placeholder]: {file}:"))),
            &format!("a placeholder warning in {file}"),
        );
    }
    let check = skaidra(&["check", "--root", s(&site.root), "--today", "2026-11-23"]);
    check.expect_code(2);
    check.check(check.stderr.contains("error[placeholder]: site.toml:"), "check reports the placeholders as errors");
    common::fill_in(&site.root);
    let run = site.build(&[]);
    run.expect_code(0);
    run.check(run.error_lines() == 0 && !run.stderr.contains("warning["), "the filled-in site has no warnings");
    let summary = run.stderr.lines().find(|l| l.starts_with("built ")).unwrap_or_default();
    let pages: usize = summary.split(' ').nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
    run.check(pages >= 20 && summary.contains(" pages into "), "summary line `built N pages into ...` with N >= 20");
}

// ------------------------------------------------------------------------------------------------
// Unsafe slugs
// ------------------------------------------------------------------------------------------------

/// A slug that climbs out of the output folder is refused (the message is bad-input case 31) and
/// nothing at all is written, inside or outside the output.
#[test]
fn slug_with_path_traversal() {
    let site = TestSite::new();
    // Build once so there is an output folder to protect, then break the Lithuanian slug: the
    // default language has no /<lang>/ prefix, so `paslaugos/../../etc` would leave the output.
    site.build(&[]).expect_code(0);
    site.replace(SERVICE_LT, "slug = \"pagalba-i-namus\"", "slug = \"../../etc\"");
    let before = snapshot(site.tmp.path());
    let run = site.build(&[]);
    run.expect_code(1);
    run.check(snapshot(site.tmp.path()) == before, "the failed build changed files");
    run.check(
        !site.tmp.path().join("etc").exists() && !site.path("etc").exists(),
        "an `etc` folder was written outside the output",
    );
}

// ------------------------------------------------------------------------------------------------
// Escaping
// ------------------------------------------------------------------------------------------------

/// HTML in a title or summary is shown as text. The minifier writes the shortest safe form: `&lt;`
/// is kept but `>` is not re-encoded (`&lt;script>`); inside `<title>` (which browsers read as
/// text, not markup) and inside a quoted attribute value the characters are written as they are.
/// So the raw file does contain the string `<script>alert`, and the check is done with an HTML5
/// parser: the page has no `<script>` element, and the texts come out exactly as written.
#[test]
fn html_in_title_is_escaped() {
    let site = TestSite::new();
    site.replace(SERVICE_LT, "title = \"Pagalba į namus\"", "title = \"<script>alert(1)</script> Pagalba\"");
    site.replace(
        SERVICE_LT,
        "summary = \"Socialinis darbuotojas padeda jums namuose: apsipirkti, susitvarkyti, sutvarkyti reikalus.\"",
        "summary = '\"><script>alert(2)</script>'",
    );
    let run = site.build(&[]);
    run.expect_code(0);
    let pages = [
        "paslaugos/pagalba-i-namus/index.html",
        "paslaugos/index.html",
        "index.html",
        "kam/senyvo-amziaus-zmones/index.html",
        "istaigos/socialiniu-paslaugu-centras/index.html",
    ];
    for page in pages {
        let html = fs::read_to_string(site.public().join(page)).unwrap();
        let info = parse_page(&html);
        run.check(info.scripts == 0, &format!("{page} has a <script> element"));
        run.check(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Pagalba"),
            &format!("{page} shows the title as escaped text"),
        );
    }
    let html = fs::read_to_string(site.public().join("paslaugos/pagalba-i-namus/index.html")).unwrap();
    run.check(
        html.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; Pagalba</h1>"),
        "the heading shows the title as text",
    );
    let info = parse_page(&html);
    run.check(
        info.description.as_deref().map(unescape).as_deref() == Some("\"><script>alert(2)</script>"),
        &format!("the summary stays inside its attribute: {:?}", info.description),
    );
}

#[test]
fn closing_title_tag_in_title_is_escaped() {
    let site = TestSite::new();
    site.replace(SERVICE_LT, "title = \"Pagalba į namus\"", "title = \"</title><script>alert(1)</script>\"");
    let run = site.build(&[]);
    run.expect_code(0);
    let html = fs::read_to_string(site.public().join("paslaugos/pagalba-i-namus/index.html")).unwrap();
    run.check(parse_page(&html).scripts == 0, "the page has a <script> element");
    run.check(html.matches("</title>").count() == 1, "the title was closed early");
}

// ------------------------------------------------------------------------------------------------
// Several errors, atomic output, protected folders
// ------------------------------------------------------------------------------------------------

#[test]
fn several_errors_are_all_reported() {
    let site = TestSite::new();
    site.replace(SERVICE_TOML, "provider = \"centras\"", "provider = \"centras");
    site.replace(PROVIDER_EN, "title = \"Social Services Centre\"", "titel = \"Social Services Centre\"");
    let run = site.build(&[]);
    run.expect_code(1);
    run.expect_error("toml", &format!("{SERVICE_TOML}:1:20:"), "invalid basic string");
    run.expect_error("unknown-field", &format!("{PROVIDER_EN}:2:1:"), "unknown field `titel`");
    run.check(run.error_lines() == 2, "exactly two errors");
    run.check(
        run.stderr.contains("build failed: 2 errors, 0 warnings; the previous output was left as it was"),
        "the summary line counts both errors",
    );
    // Each file's name is printed once above its errors.
    run.check(
        run.stderr.lines().any(|l| l == SERVICE_TOML) && run.stderr.lines().any(|l| l == PROVIDER_EN),
        "file headings",
    );
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = TestSite::new();
    site.build(&[]).expect_code(0);
    let before = snapshot(&site.public());
    assert!(before.contains_key(Path::new("en/services/home-help/index.html")));
    let original = site.read(SERVICE_EN);

    // (a) An error found while reading the content, before any output is staged.
    site.replace(SERVICE_EN, "title = \"Home help\"", "titel = \"Home help\"");
    let run = site.build(&[]);
    run.expect_code(1);
    run.check(run.stderr.contains("the previous output was left as it was"), "the summary says the output was kept");
    run.check(snapshot(&site.public()) == before, "the output changed after a failed build (a)");
    run.check(left_behind(&site.root).is_empty(), "a staging folder was left behind (a)");

    // (b) An error found only after the pages were rendered into the staging folder: a plain link
    // to a page the site does not have.
    site.write(SERVICE_EN, original.replace("(@/charter#openness)", "(/no-such-page/)"));
    let run = site.build(&[]);
    run.expect_code(1);
    run.expect_error("broken-link", SERVICE_EN, "/no-such-page/");
    run.check(snapshot(&site.public()) == before, "the output changed after a failed build (b)");
    run.check(left_behind(&site.root).is_empty(), "a staging folder was left behind (b)");
}

#[test]
fn output_folder_that_would_destroy_sources_is_refused() {
    let site = TestSite::new();
    let sources = snapshot(&site.root);
    let refused = |run: Run, what: &str| {
        run.expect_code(2);
        run.check(run.stderr.contains("error[output-dir]"), what);
        run.check(run.stderr.contains("this output folder would overwrite the site's own files"), what);
    };
    refused(site.build(&["--out", s(&site.root)]), "--out <site root>");
    refused(skaidra_in(&site.root, &["build", "--out", "content"]), "--out content (run in the site)");
    refused(skaidra_in(&site.root, &["build", "--out", "."]), "--out . (run in the site)");
    refused(site.build(&["--out", s(&site.path("content/services"))]), "--out inside content/");
    refused(site.build(&["--out", s(&site.path("themes"))]), "--out themes/");
    refused(site.build(&["--out", s(site.tmp.path())]), "--out a folder containing the site");
    assert_eq!(snapshot(&site.root), sources, "the site's files changed");
    assert!(site.path("content/services/pagalba-i-namus/service.toml").exists());
    assert!(
        entries_starting_with(&site.root, ".").is_empty() && entries_starting_with(site.tmp.path(), ".").is_empty()
    );
}

// ------------------------------------------------------------------------------------------------
// Base URL, init, help
// ------------------------------------------------------------------------------------------------

#[test]
fn base_url_with_a_path() {
    let site = TestSite::new();
    let out = site.tmp.path().join("out");
    let run = site.build(&["--out", s(&out), "--base-url", "https://example.lt/sub/path/"]);
    run.expect_code(0);
    let files = html_files(&out);
    assert!(files.len() >= 20, "pages: {files:?}");
    let mut internal = 0;
    for f in &files {
        let info = parse_page(&fs::read_to_string(out.join(f)).unwrap());
        for href in &info.hrefs {
            if href.starts_with('/') {
                internal += 1;
                assert!(
                    href.starts_with("/sub/path/"),
                    "{}: internal link {href} does not start with /sub/path/",
                    f.display()
                );
            }
        }
        let canonical = info.canonical.unwrap_or_default();
        assert!(canonical.starts_with("https://example.lt/sub/path/"), "{}: canonical {canonical}", f.display());
        for (_, href) in &info.alternates {
            assert!(href.starts_with("https://example.lt/sub/path/"), "{}: alternate {href}", f.display());
        }
    }
    assert!(internal > 100, "only {internal} internal links checked");
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("href=\"/sub/path/paslaugos/pagalba-i-namus/\""),
        "the home page links to the service under the base path"
    );
    assert!(home.contains("href=\"/sub/path/static/style.css\""));
}

#[test]
fn init_into_non_empty_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mine");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("site.toml"), "keep me\n").unwrap();
    fs::write(dir.join("notes.txt"), "mine\n").unwrap();
    let before = snapshot(&dir);
    let run = skaidra(&["init", s(&dir)]);
    run.expect_code(2);
    run.check(run.stderr.contains("is not empty"), "the message says why");
    assert_eq!(snapshot(&dir), before, "init changed a non-empty folder");
    assert_eq!(tree(&dir).len(), 2, "init added files");
}

/// An easy-read page: each line that starts with a pictogram starts a block (the picture, then
/// its lines of text), lines before it stay text, reading order is kept; the glossary shows the
/// forms an entry lists.
#[test]
fn easy_read_page_has_pictogram_blocks_and_glossary_forms() {
    let site = TestSite::new();
    site.write(
        "content/services/pagalba-i-namus/easy.lt.md",
        "+++\ntitle = \"Pagalba į namus\"\nlevel = 2\nglossary = [\n  { term = \"Pajamos\", explanation = \"Pinigai, kuriuos gaunate.\", forms = [\"pajamų\"] },\n]\n+++\n\
         ## Kas tai yra\n\n\
         ![](pictogram:home-visit) Darbuotojas ateina pas jus.\nJis padeda jums namuose.\n\n\
         Ar abejojate?\n![](pictogram:phone) Paskambinkite mums.\n\n\
         Kaina priklauso nuo pajamų.\n",
    );
    site.build(&["--quiet"]).expect_code(0);
    let html = fs::read_to_string(site.public().join("paslaugos/pagalba-i-namus/lengvai/index.html")).unwrap();
    let body = &html[html.find("easy-body").expect("the easy-read body")..];
    let at = |needle: &str| body.find(needle).unwrap_or_else(|| panic!("no `{needle}` in\n{body}"));
    // The blocks, in reading order: picture, then its text; a text line before a picture.
    let order = [
        at("home-visit.svg"),
        at("Darbuotojas ateina"),
        at("Jis padeda"),
        at("Ar abejojate?"),
        at("phone.svg"),
        at("Paskambinkite mums"),
        at("Kaina priklauso"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "reading order {order:?} in\n{body}");
    assert_eq!(body.matches("easy-pic").count(), 2 + 1, "two blocks in the text and the phone line:\n{body}");
    let first_block = &body[body[..at("home-visit.svg")].rfind("easy-pic").unwrap()..at("Ar abejojate?")];
    assert!(first_block.contains("easy-text") && first_block.contains("Jis padeda"), "{first_block}");
    // The pictures keep their alt text.
    assert!(body.contains("alt=\"Apsilankymas namuose\"") || body.contains("alt=Apsilankymas"), "{body}");
    // The glossary shows the word's other forms.
    assert!(body.contains("glossary-forms") && body.contains("(pajamų)"), "{body}");
}

#[test]
fn init_then_build_makes_pages_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new-site");
    let run = skaidra(&["init", s(&dir)]);
    run.expect_code(0);
    run.check(run.stderr.contains("skaidra build --root"), "init says how to build");
    let run = skaidra(&["build", "--root", s(&dir)]);
    run.expect_code(0);
    for page in [
        "public/index.html",
        "public/en/index.html",
        "public/paslaugos/pagalba-i-namus/index.html",
        "public/en/services/home-help/index.html",
        "public/404.html",
        "public/en/404.html",
        "public/static/style.css",
    ] {
        assert!(dir.join(page).is_file(), "{page} is missing");
    }
    assert_eq!(
        parse_page(&fs::read_to_string(dir.join("public/index.html")).unwrap()).html_lang.as_deref(),
        Some("lt")
    );
    assert_eq!(
        parse_page(&fs::read_to_string(dir.join("public/en/index.html")).unwrap()).html_lang.as_deref(),
        Some("en")
    );
    // Building again writes only what changed (nothing, then the retitled service's pages and
    // what lists it), with nothing left beside the output, and gives the output a build into a
    // new folder gives.
    let first: BTreeMap<PathBuf, Vec<u8>> =
        snapshot(&dir.join("public")).into_iter().map(|(p, (b, _))| (p, b)).collect();
    let again = skaidra_in(&dir, &["build"]);
    again.expect_code(0);
    again.check(again.stderr.contains("(0 files written)"), "nothing changed, nothing written");
    assert_eq!(entries_starting_with(&dir, ".public"), Vec::<String>::new());
    let page = dir.join("content/services/pagalba-i-namus/index.en.md");
    let text = fs::read_to_string(&page).unwrap();
    let retitled = text.replacen("title = \"", "title = \"Retitled ", 1);
    assert_ne!(text, retitled);
    fs::write(&page, retitled).unwrap();
    skaidra_in(&dir, &["build", "-q"]).expect_code(0);
    assert_eq!(entries_starting_with(&dir, ".public"), Vec::<String>::new());
    let third: BTreeMap<PathBuf, Vec<u8>> =
        snapshot(&dir.join("public")).into_iter().map(|(p, (b, _))| (p, b)).collect();
    let fresh = tmp.path().join("fresh");
    skaidra(&["build", "--root", s(&dir), "--out", s(&fresh)]).expect_code(0);
    let fresh: BTreeMap<PathBuf, Vec<u8>> = snapshot(&fresh).into_iter().map(|(p, (b, _))| (p, b)).collect();
    assert!(third == fresh, "a build of what changed differs from a build into a new folder");
    assert!(third != first, "the retitled service changed the output");
}

#[test]
fn help_mentions_examples_and_version_prints_the_version() {
    let run = skaidra(&["--help"]);
    run.expect_code(0);
    run.check(run.stdout.contains("Examples:"), "--help has examples");
    run.check(run.stdout.contains("skaidra build --root my-site --out /tmp/site"), "--help shows a build example");
    run.check(run.stdout.contains("skaidra init my-site"), "--help shows an init example");
    run.check(run.stdout.contains("Exit codes"), "--help explains exit codes");
    let run = skaidra(&["build", "--help"]);
    run.expect_code(0);
    run.check(run.stdout.contains("Examples:") && run.stdout.contains("--base-url"), "build --help");
    let run = skaidra(&["--version"]);
    run.expect_code(0);
    run.check(
        run.stdout.trim() == format!("skaidra {}", env!("CARGO_PKG_VERSION")),
        "--version prints `skaidra <version>`",
    );
}

#[test]
fn unknown_command_is_a_usage_error() {
    let run = skaidra(&["bild"]);
    run.expect_code(2);
    run.check(run.stderr.contains("build"), "clap suggests `build`");
}

// ------------------------------------------------------------------------------------------------
// The real example site in the repository
// ------------------------------------------------------------------------------------------------

/// Builds the example site in the repository root into a temporary folder and checks the model end
/// to end: every page exists in both languages, has the right `lang`, and lists its translations.
/// A quality policy of the starter site, its goals and staff duties under `numbering`.
fn write_quality_policy(site: &TestSite, numbering: &str) {
    site.write(
        "content/quality-policy/quality.toml",
        format!(
            "provider = \"centras\"\nreviewed = 2026-11-01\nreview_every = \"12 months\"\nowner = \"SPC\"\n{numbering}"
        ),
    );
    for (lang, slug) in [("lt", "kokybe"), ("en", "quality")] {
        site.write(
            &format!("content/quality-policy/index.{lang}.md"),
            format!(
                "+++\ntitle = \"Q {lang}\"\nslug = \"{slug}\"\nsummary = \"S\"\nvision = \"V\"\nmission = \"M\"\n\
                 goals = [\"Goal one\", \"Goal two\"]\nstaff_commitments = [\"Duty one\", \"Duty two\", \"Duty three\"]\n+++\n"
            ),
        );
    }
}

#[test]
fn quality_lists_keep_the_numbers_of_their_source() {
    let site = TestSite::new();
    write_quality_policy(&site, "[numbering]\ngoals = \"6\"\nstaff_commitments = \"II.14.\"\n");
    site.build(&[]).expect_code(0);
    let html = fs::read_to_string(site.public().join("en/quality/index.html")).unwrap();
    for item in
        ["6.1.</span> Goal one", "6.2.</span> Goal two", "II.14.1.</span> Duty one", "II.14.3.</span> Duty three"]
    {
        assert!(html.contains(item), "`{item}` on the page:\n{html}");
    }

    // Without numbering the lists read 1, 2, 3.
    write_quality_policy(&site, "");
    site.build(&[]).expect_code(0);
    let html = fs::read_to_string(site.public().join("kokybe/index.html")).unwrap();
    for item in ["1.</span> Goal one", "2.</span> Goal two", "3.</span> Duty three"] {
        assert!(html.contains(item), "`{item}` on the page:\n{html}");
    }
    assert!(!html.contains("6.1."), "no section number without `numbering`");

    // A section number that is not one is an error at its place.
    write_quality_policy(&site, "[numbering]\ngoals = \"6 1\"\n");
    let run = site.build(&[]);
    run.expect_code(1);
    run.expect_error("numbering", "content/quality-policy/quality.toml:6:", "not a section number");
    run.expect_hint("content/quality-policy/quality.toml:6:", "\"II.6\"");
}

#[test]
fn example_site_builds_with_every_page_in_both_languages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = skaidra(&["build", "--root", s(root), "--out", s(&out)]);
    run.expect_code(0);

    let config: toml::Table = toml::from_str(&fs::read_to_string(root.join("site.toml")).unwrap()).unwrap();
    let base_url = config["base_url"].as_str().unwrap().to_string();
    let base_url = if base_url.ends_with('/') { base_url } else { format!("{base_url}/") };
    let langs: Vec<String> =
        config["languages"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect();
    assert_eq!(langs, ["lt", "en"]);
    let services_seg = |lang: &str| -> String {
        let t: toml::Table =
            toml::from_str(&fs::read_to_string(root.join(format!("i18n/{lang}.toml"))).unwrap()).unwrap();
        t["url"]["services"].as_str().unwrap().to_string()
    };
    let providers_seg = |lang: &str| -> String {
        let t: toml::Table =
            toml::from_str(&fs::read_to_string(root.join(format!("i18n/{lang}.toml"))).unwrap()).unwrap();
        t["url"]["providers"].as_str().unwrap().to_string()
    };

    // Same number of pages in both languages.
    let pages = html_files(&out);
    let index_lt: Vec<&PathBuf> = pages.iter().filter(|p| p.ends_with("index.html") && !p.starts_with("en")).collect();
    let index_en: Vec<&PathBuf> = pages.iter().filter(|p| p.ends_with("index.html") && p.starts_with("en")).collect();
    assert!(!index_lt.is_empty());
    assert_eq!(index_lt.len(), index_en.len(), "lt pages {index_lt:?}\nen pages {index_en:?}");

    // Every service and provider folder has a page in each language.
    let count_dirs = |p: PathBuf| fs::read_dir(p).unwrap().filter(|e| e.as_ref().unwrap().path().is_dir()).count();
    let services = count_dirs(root.join("content/services"));
    let providers = count_dirs(root.join("content/providers"));
    assert!(services >= 12, "the example site has {services} services, expected at least 12");
    for lang in &langs {
        let prefix = if lang == "lt" { out.clone() } else { out.join(lang) };
        let s_pages = walkdir::WalkDir::new(prefix.join(services_seg(lang)))
            .min_depth(2)
            .max_depth(2)
            .into_iter()
            .filter(|e| e.as_ref().unwrap().file_name() == "index.html")
            .count();
        assert_eq!(s_pages, services, "service pages in `{lang}`");
        assert!(s_pages >= 12, "at least 12 service pages in `{lang}`");
        let p_pages = walkdir::WalkDir::new(prefix.join(providers_seg(lang)))
            .min_depth(2)
            .max_depth(2)
            .into_iter()
            .filter(|e| e.as_ref().unwrap().file_name() == "index.html")
            .count();
        assert_eq!(p_pages, providers, "provider pages in `{lang}`");
    }

    // Every page: the right lang, alternates for every language (+ x-default), each pointing at a
    // page that exists, its own alternate pointing at itself.
    for page in &pages {
        let html = fs::read_to_string(out.join(page)).unwrap();
        let info = parse_page(&html);
        let lang = if page.starts_with("en") { "en" } else { "lt" };
        assert_eq!(info.html_lang.as_deref(), Some(lang), "{}: <html lang>", page.display());
        assert_eq!(info.scripts, 0, "{}: unexpected <script>", page.display());
        let hreflangs: BTreeSet<&str> = info.alternates.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(hreflangs, BTreeSet::from(["en", "lt", "x-default"]), "{}: hreflang alternates", page.display());
        for (hl, href) in &info.alternates {
            let rel = href
                .strip_prefix(&base_url)
                .unwrap_or_else(|| panic!("{}: alternate {href} is not under {base_url}", page.display()));
            let file = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
            assert!(out.join(&file).is_file(), "{}: alternate {hl} -> {href} has no page", page.display());
            if hl == lang {
                assert_eq!(Path::new(&file), page.as_path(), "{}: its own alternate points elsewhere", page.display());
            }
        }
    }
    assert!(out.join("static/style.css").is_file());
}
