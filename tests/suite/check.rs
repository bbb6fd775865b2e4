//! Integration tests of `skaidra check` (without `--online`, which `tests/suite/check_online.rs` covers).
//!
//! Most tests run the real binary on `tests/fixtures/check-site/` (with the repository's theme and
//! i18n copied in), a `skaidra init` site with every
//! kind of problem `check` finds seeded exactly once, each in its own item (the table in the
//! fixture's README.md lists them), checked as of `--today 2027-01-15`. Each seeded problem has its
//! own test (code, file and line), and one test compares the full list of findings with the
//! expected list, so nothing else may be reported. The remaining tests use fresh `skaidra init`
//! sites in temporary folders (strict mode, a broken site.toml, orphans on a one-language site, the
//! stamp round trip) and the example site in the repository root.
//!
//! Tests marked `Regression test (fixed bug)` guard bugs these tests found.

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

/// The day the fixture is checked as of.
const TODAY: &str = "2027-01-15";

/// The seeded files of the fixture.
const OVERDUE: &str = "content/services/perziura-pavelavo/service.toml";
const DUE_SOON: &str = "content/services/perziura-greitai/service.toml";
const BROKEN_AT_LINK: &str = "content/pages/neveikianti-nuoroda/index.lt.md";
const BROKEN_ANCHOR: &str = "content/pages/neveikiantis-inkaras/index.lt.md";
const BROKEN_PLAIN_LINK: &str = "content/pages/nera-puslapio/index.lt.md";
const OTHER_PHONE: &str = "content/pages/kitas-telefonas/index.lt.md";
const INVALID_PHONE: &str = "content/pages/blogas-telefonas/index.lt.md";
const HTTP_WEBSITE: &str = "content/providers/globos-namai/provider.toml";
const NOT_TRANSLATED: &str = "content/pages/tik-lietuviskai/index.lt.md";
const STALE_TRANSLATION: &str = "content/pages/pasenes-vertimas/index.en.md";
const NO_EASY_EN: &str = "content/services/be-lengvo-anglu/index.en.md";
const EASY_LONG_SENTENCE: &str = "content/services/ilgas-sakinys/easy.lt.md";
const EASY_NEGATIVE_QUESTION: &str = "content/services/neigiamas-klausimas/easy.lt.md";
const EASY_GLOSSARY_FORM: &str = "content/services/zodyno-forma/easy.lt.md";
const EASY_HARD_TEXT: &str = "content/services/sunkus-tekstas/easy.lt.md";
const VAGUE_LINK: &str = "content/pages/neaiski-nuoroda/index.lt.md";
const TAXONOMIES: &str = "content/taxonomies.toml";
const UNKNOWN_PROVIDER: &str = "content/services/uzdarytas-teikejas/service.toml";
const PLACEHOLDER: &str = "content/pages/pavyzdinis-adresas/index.lt.md";

/// Starter-site files the fresh-site tests edit (see `src/init_site/`).
const INIT_SERVICE_LT: &str = "content/services/pagalba-i-namus/index.lt.md";
const INIT_SERVICE_EN: &str = "content/services/pagalba-i-namus/index.en.md";
const INIT_PROVIDER_TOML: &str = "content/providers/centras/provider.toml";

use crate::common;
use crate::common::copy_tree;
use common::{Run, TestSite};

fn skaidra(args: &[&str]) -> Run {
    common::skaidra_in(&std::env::temp_dir(), args)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture's content and settings live in `tests/fixtures/check-site/`; the theme and the i18n
/// files are the repository's own, copied in, so the fixture never goes stale against them.
fn fixture() -> PathBuf {
    static PREPARED: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PREPARED
        .get_or_init(|| {
            let dest = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("check-site");
            let _ = fs::remove_dir_all(&dest);
            copy_tree(&repo().join("tests/fixtures/check-site"), &dest);
            copy_tree(&repo().join("themes"), &dest.join("themes"));
            copy_tree(&repo().join("i18n"), &dest.join("i18n"));
            dest
        })
        .clone()
}

/// One finding of `--format json`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Finding {
    severity: String,
    code: String,
    file: String,
    line: u64,
    col: u64,
    message: String,
    hint: Option<String>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}] {}:{}:{}: {}", self.severity, self.code, self.file, self.line, self.col, self.message)
    }
}

/// The result of `check --format json`.
struct Report {
    run: Run,
    summary: Value,
    findings: Vec<Finding>,
}

impl Report {
    fn errors(&self) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.severity == "error").collect()
    }
    fn warnings(&self) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.severity == "warning").collect()
    }
    fn listing(&self) -> String {
        self.findings.iter().map(|f| format!("  {f}\n")).collect()
    }
    fn with(&self, code: &str, file: &str) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.code == code && f.file == file).collect()
    }

    /// Asserts there is exactly one finding with `code` in `file`, that it has `severity` (and is
    /// at `line` when given), and that its message contains every phrase. Returns it. (Findings
    /// with the same code in other files are left to the test of the full list.)
    #[track_caller]
    fn expect_one(&self, code: &str, severity: &str, file: &str, line: Option<u64>, phrases: &[&str]) -> &Finding {
        let all = self.with(code, file);
        assert!(
            all.len() == 1,
            "expected exactly one `{code}` finding in {file}, got {}:\n{}",
            all.len(),
            self.listing()
        );
        let f = all[0];
        assert_eq!(f.severity, severity, "`{code}` has the wrong severity: {f}");
        if let Some(line) = line {
            assert_eq!(f.line, line, "`{code}` is reported at the wrong line: {f}");
        }
        for p in phrases {
            assert!(f.message.contains(p), "the message of `{code}` does not mention `{p}`: {f}");
        }
        assert!(f.hint.as_deref().is_some_and(|h| !h.trim().is_empty()), "`{code}` has no hint: {f}");
        f
    }
}

fn parse_findings(run: &Run) -> (Value, Vec<Finding>) {
    let v: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!("`--format json` did not print JSON ({e})\n--- stdout:\n{}\n--- stderr:\n{}", run.stdout, run.stderr)
    });
    let findings = v["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| Finding {
            severity: f["severity"].as_str().expect("severity").to_string(),
            code: f["code"].as_str().expect("code").to_string(),
            file: f["location"]["file"].as_str().expect("file").to_string(),
            line: f["location"]["line"].as_u64().expect("line"),
            col: f["location"]["col"].as_u64().expect("col"),
            message: f["message"].as_str().expect("message").to_string(),
            hint: f["hint"].as_str().map(str::to_string),
        })
        .collect();
    (v["summary"].clone(), findings)
}

/// Runs `check --format json` on `root` as of `today`, with extra arguments.
fn check_json(root: &Path, today: &str, extra: &[&str]) -> Report {
    let mut args = vec!["check", "--root", s(root), "--today", today, "--format", "json"];
    args.extend_from_slice(extra);
    let run = skaidra(&args);
    run.check(!run.stderr.contains("panicked"), "skaidra panicked");
    let (summary, findings) = parse_findings(&run);
    Report { run, summary, findings }
}

fn check_fixture() -> Report {
    check_json(&fixture(), TODAY, &[])
}

/// `check`'s own commands on a test site.
impl TestSite {
    /// `check --format json` on the site on a day when the starter site's reviews are quiet (they
    /// are due in 2027-11).
    fn check(&self, extra: &[&str]) -> Report {
        check_json(&self.root, "2026-11-23", extra)
    }
    fn stamp(&self, rel: &str) -> Run {
        skaidra(&["stamp", "--root", s(&self.root), s(&self.path(rel))])
    }
}

fn plural(n: u64, w: &str) -> String {
    if n == 1 { format!("1 {w}") } else { format!("{n} {w}s") }
}

/// An XML element: its name, attributes and the text directly inside.
type Element = (String, Vec<(String, String)>, String);

/// Checks that `xml` is well-formed: one root element, every tag closed in order, attribute values
/// quoted, and `&` only in the five predefined entities or character references. Returns the
/// elements in document order as (name, attributes, text directly inside).
fn parse_xml(xml: &str) -> Result<Vec<Element>, String> {
    fn check_text(t: &str) -> Result<(), String> {
        if t.contains('<') {
            return Err(format!("raw `<` in {t:?}"));
        }
        let mut rest = t;
        while let Some(p) = rest.find('&') {
            let after = &rest[p + 1..];
            let end = after.find(';').ok_or_else(|| format!("unterminated entity in {t:?}"))?;
            let name = &after[..end];
            let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
                || name.strip_prefix("#x").is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
                || name.strip_prefix('#').is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
            if !ok {
                return Err(format!("unknown entity `&{name};` in {t:?}"));
            }
            rest = &after[end + 1..];
        }
        Ok(())
    }
    let mut body = xml.trim_start();
    if let Some(rest) = body.strip_prefix("<?xml") {
        let end = rest.find("?>").ok_or("unterminated XML declaration")?;
        body = &rest[end + 2..];
    }
    let mut elements: Vec<Element> = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut roots = 0;
    let mut rest = body;
    loop {
        let Some(open) = rest.find('<') else {
            if !rest.trim().is_empty() && stack.is_empty() {
                return Err(format!("text after the root element: {rest:?}"));
            }
            check_text(rest)?;
            break;
        };
        let text = &rest[..open];
        check_text(text)?;
        if stack.is_empty() && !text.trim().is_empty() {
            return Err(format!("text outside the root element: {text:?}"));
        }
        if let Some((_, i)) = stack.last() {
            elements[*i].2.push_str(text);
        }
        let close = rest[open..].find('>').ok_or("unterminated tag")? + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let (top, _) = stack.pop().ok_or_else(|| format!("`</{name}>` closes nothing"))?;
            if top != name.trim() {
                return Err(format!("`</{name}>` closes `<{top}>`"));
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
        let name = &tag[..name_end];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':') {
            return Err(format!("bad element name in `<{tag}>`"));
        }
        let mut attrs = Vec::new();
        let mut a = tag[name_end..].trim_start();
        while !a.is_empty() {
            let eq = a.find('=').ok_or_else(|| format!("attribute without a value in `<{tag}>`"))?;
            let key = a[..eq].trim();
            if key.is_empty() || key.contains(char::is_whitespace) {
                return Err(format!("bad attribute name in `<{tag}>`"));
            }
            let v = a[eq + 1..].trim_start();
            let v = v.strip_prefix('"').ok_or_else(|| format!("unquoted attribute `{key}` in `<{tag}>`"))?;
            let end = v.find('"').ok_or_else(|| format!("unterminated attribute `{key}` in `<{tag}>`"))?;
            check_text(&v[..end])?;
            if attrs.iter().any(|(k, _): &(String, String)| k == key) {
                return Err(format!("attribute `{key}` given twice in `<{tag}>`"));
            }
            attrs.push((key.to_string(), v[..end].to_string()));
            a = v[end + 1..].trim_start();
        }
        if stack.is_empty() {
            roots += 1;
            if roots > 1 {
                return Err("more than one root element".into());
            }
        }
        elements.push((name.to_string(), attrs, String::new()));
        if !self_closing {
            stack.push((name.to_string(), elements.len() - 1));
        }
    }
    if let Some((open, _)) = stack.pop() {
        return Err(format!("`<{open}>` is never closed"));
    }
    if roots != 1 {
        return Err("no root element".into());
    }
    Ok(elements)
}

fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

// ------------------------------------------------------------------------------------------------
// The fixture: every seeded problem is found, and nothing else
// ------------------------------------------------------------------------------------------------

/// Every finding the fixture should produce, as (code, file). The orphan audience `students`
/// has a page in each language, and each page is an orphan.
const EXPECTED: &[(&str, &str)] = &[
    ("review-overdue", OVERDUE),
    ("review-due", DUE_SOON),
    ("broken-link", BROKEN_AT_LINK),
    ("broken-anchor", BROKEN_ANCHOR),
    ("broken-link", BROKEN_PLAIN_LINK),
    ("phone-mismatch", OTHER_PHONE),
    ("phone-in-text", INVALID_PHONE),
    ("url-http", HTTP_WEBSITE),
    ("translation-missing", NOT_TRANSLATED),
    ("translation-stale", STALE_TRANSLATION),
    ("easy-missing", NO_EASY_EN),
    ("easy-sentence", EASY_LONG_SENTENCE),
    ("easy-negative-question", EASY_NEGATIVE_QUESTION),
    ("easy-glossary-form", EASY_GLOSSARY_FORM),
    ("easy-readability", EASY_HARD_TEXT),
    ("a11y-link-text", VAGUE_LINK),
    ("orphan", TAXONOMIES),
    ("orphan", TAXONOMIES),
    ("unknown-reference", UNKNOWN_PROVIDER),
    ("placeholder", PLACEHOLDER),
];

// Regression test (fixed bug: duplicate broken-anchor): the broken `@/charter#pazadai` link is reported twice in
// content/pages/neveikiantis-inkaras/index.lt.md: once by `resolve` at its place (8:23, "`charter`
// has no place `#pazadai`") and again by `pipeline::check_internal_links` at 1:1 ("the page
// /musu-pazadai/ links to /chartija/#pazadai, but that page has no `#pazadai`"), because
// `render_all` drops only *unresolved* `@/` links already reported by `resolve`, not resolved ones
// whose anchor `resolve` already reported.
// Regression test (fixed bug: orphans never found on a multilingual site): the two pages of the unused audience
// `students` (/kam/studentai/ and /en/for/students/) are linked from no page but each other's
// language switcher, and `check::orphans` counts those links, so no page that exists in two
// languages can ever be an orphan. See `orphan_pages_of_a_multilingual_site_are_found`.
#[test]
fn fixture_reports_every_seeded_problem_and_nothing_else() {
    let r = check_fixture();
    let mut got: Vec<(String, String)> = r.findings.iter().map(|f| (f.code.clone(), f.file.clone())).collect();
    let mut want: Vec<(String, String)> = EXPECTED.iter().map(|(c, f)| (c.to_string(), f.to_string())).collect();
    got.sort();
    want.sort();
    if got != want {
        let mut unexpected = got.clone();
        for w in &want {
            if let Some(p) = unexpected.iter().position(|g| g == w) {
                unexpected.remove(p);
            }
        }
        let mut missing = want.clone();
        for g in &got {
            if let Some(p) = missing.iter().position(|m| m == g) {
                missing.remove(p);
            }
        }
        panic!(
            "the findings differ from the seeded problems\nunexpected: {unexpected:#?}\nmissing: {missing:#?}\nall findings:\n{}",
            r.listing()
        );
    }
}

/// Nothing spills into the parts of the fixture that are clean: every finding is in a seeded file,
/// and the starter site's items and the translations of seeded texts have none.
#[test]
fn fixture_clean_files_have_no_findings() {
    let r = check_fixture();
    let seeded: BTreeSet<&str> = EXPECTED.iter().map(|(_, f)| *f).collect();
    let stray: Vec<&Finding> = r.findings.iter().filter(|f| !seeded.contains(f.file.as_str())).collect();
    assert!(stray.is_empty(), "findings outside the seeded files: {stray:#?}\nall:\n{}", r.listing());
    // The seeded texts are all Lithuanian (except where the problem is the translation itself);
    // their English versions are clean.
    for clean in [
        "content/pages/neveikianti-nuoroda/index.en.md",
        "content/pages/neveikiantis-inkaras/index.en.md",
        "content/pages/nera-puslapio/index.en.md",
        "content/pages/kitas-telefonas/index.en.md",
        "content/pages/blogas-telefonas/index.en.md",
        "content/pages/neaiski-nuoroda/index.en.md",
        "content/services/ilgas-sakinys/easy.en.md",
        "content/services/pagalba-i-namus/index.lt.md",
        "content/services/pagalba-i-namus/service.toml",
        "content/providers/centras/provider.toml",
        "content/charter/charter.toml",
        "site.toml",
    ] {
        assert!(fixture().join(clean).is_file(), "{clean} is missing from the fixture");
        assert!(r.findings.iter().all(|f| f.file != clean), "{clean} should be clean:\n{}", r.listing());
    }
}

#[test]
fn fixture_with_errors_exits_1_and_counts_add_up() {
    let r = check_fixture();
    r.run.expect_code(1);
    assert!(!r.errors().is_empty() && !r.warnings().is_empty());
    assert_eq!(r.summary["errors"].as_u64(), Some(r.errors().len() as u64), "{}", r.run.stdout);
    assert_eq!(r.summary["warnings"].as_u64(), Some(r.warnings().len() as u64), "{}", r.run.stdout);
    let files: BTreeSet<&str> = r.findings.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(r.summary["files"].as_u64(), Some(files.len() as u64), "{}", r.run.stdout);
    assert!(r.summary["pages"].as_u64().is_some_and(|p| p > 40), "{}", r.run.stdout);
    // JSON goes to stdout alone; nothing is printed beside it.
    assert!(r.run.stderr.trim().is_empty(), "stderr: {}", r.run.stderr);
    // Sorted by file, then line and column.
    let mut sorted = r.findings.clone();
    sorted.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    assert_eq!(r.findings, sorted, "findings are not sorted by place");
}

#[test]
fn review_overdue_is_an_error_at_the_reviewed_date() {
    let r = check_fixture();
    let f = r.expect_one(
        "review-overdue",
        "error",
        OVERDUE,
        Some(7),
        &["perziura-pavelavo", "2026-11-01", "75 days ago", "Socialinės paramos skyrius"],
    );
    assert!(
        fs::read_to_string(fixture().join(OVERDUE))
            .unwrap()
            .lines()
            .nth(6)
            .unwrap()
            .starts_with("reviewed = 2025-11-01")
    );
    assert_eq!(f.col, 12, "{f}");
}

#[test]
fn review_due_within_the_window_is_a_warning() {
    let r = check_fixture();
    r.expect_one("review-due", "warning", DUE_SOON, Some(7), &["perziura-greitai", "2027-02-01", "in 17 days"]);
}

#[test]
fn broken_content_link_is_an_error_at_its_place() {
    let r = check_fixture();
    let f = r.expect_one("broken-link", "error", BROKEN_AT_LINK, Some(8), &["@/services/dienos-centras"]);
    assert_eq!(f.col, 14, "{f}");
}

/// The broken anchor is found at the place of the link.
#[test]
fn broken_content_anchor_is_found_at_its_place() {
    let r = check_fixture();
    let here: Vec<&Finding> =
        r.with("broken-anchor", BROKEN_ANCHOR).into_iter().filter(|f| f.line == 8 && f.col == 23).collect();
    assert_eq!(here.len(), 1, "no broken-anchor at {BROKEN_ANCHOR}:8:23:\n{}", r.listing());
    assert!(here[0].message.contains("#pazadai") && here[0].severity == "error", "{}", here[0]);
}

// Regression test (fixed bug): the broken `@/charter#pazadai` link is reported a second time at 1:1 by
// `pipeline::check_internal_links` (see the note on
// `fixture_reports_every_seeded_problem_and_nothing_else`). One mistake should be one finding.
#[test]
fn broken_content_anchor_is_reported_once() {
    let r = check_fixture();
    r.expect_one("broken-anchor", "error", BROKEN_ANCHOR, Some(8), &["#pazadai"]);
}

#[test]
fn broken_plain_internal_link_is_found() {
    let r = check_fixture();
    let links = r.with("broken-link", BROKEN_PLAIN_LINK);
    assert_eq!(links.len(), 1, "{}", r.listing());
    assert!(links[0].message.contains("/nowhere/") && links[0].severity == "error", "{}", links[0]);
}

// Regression test (fixed bug): a plain internal link written in the text (`[archyve](/nowhere/)`, line 8, column 21
// of content/pages/nera-puslapio/index.lt.md) is reported at 1:1: `pipeline::check_internal_links`
// only knows the links of the rendered HTML and reports them at the page's source file without a
// position, although `Rendered::links` has the link's place (README: messages give file, line and
// column).
#[test]
fn broken_plain_internal_link_is_reported_at_its_line() {
    let r = check_fixture();
    let links = r.with("broken-link", BROKEN_PLAIN_LINK);
    assert_eq!(links.len(), 1, "{}", r.listing());
    assert_eq!((links[0].line, links[0].col), (8, 21), "{}", links[0]);
}

#[test]
fn phone_number_that_is_not_the_sites_is_found() {
    let r = check_fixture();
    let f = r.expect_one("phone-mismatch", "warning", OTHER_PHONE, Some(8), &["+370 5 111 1111", common::PHONE]);
    assert_eq!(f.col, 28, "{f}");
}

#[test]
fn invalid_phone_number_is_found() {
    let r = check_fixture();
    let f = r.expect_one("phone-in-text", "warning", INVALID_PHONE, Some(8), &["+370 5 000 00000", "9 digits"]);
    assert_eq!(f.col, 31, "{f}");
}

#[test]
fn http_website_is_found() {
    let r = check_fixture();
    let f = r.expect_one("url-http", "warning", HTTP_WEBSITE, Some(4), &["http://globos-namai.savivaldybe.test/"]);
    assert_eq!(f.col, 12, "{f}");
}

/// A contact `skaidra init` writes as a placeholder (an address at `example.lt`) is an error in
/// `check`, which an editor runs before publishing (a build only warns).
#[test]
fn placeholder_contact_is_an_error() {
    let r = check_fixture();
    let f = r.expect_one(
        "placeholder",
        "error",
        PLACEHOLDER,
        Some(8),
        &["`info@example.lt`", "placeholder e-mail address"],
    );
    assert_eq!(f.col, 27, "{f}");
    assert!(f.hint.as_deref().is_some_and(|h| h.contains("write the real e-mail address")), "{f:?}");
}

#[test]
fn missing_translation_is_found() {
    let r = check_fixture();
    r.expect_one("translation-missing", "warning", NOT_TRANSLATED, None, &["tik-lietuviskai", "`en`"]);
    assert!(!fixture().join("content/pages/tik-lietuviskai/index.en.md").exists());
}

#[test]
fn stale_translation_is_found() {
    let r = check_fixture();
    let stamped = fs::read_to_string(fixture().join(STALE_TRANSLATION)).unwrap();
    assert!(stamped.contains("translated_from = \"987c9f8a\""), "the fixture's stamp changed:\n{stamped}");
    r.expect_one(
        "translation-stale",
        "warning",
        STALE_TRANSLATION,
        None,
        &["version 987c9f8a", "content/pages/pasenes-vertimas/index.lt.md"],
    );
}

#[test]
fn service_without_required_easy_read_is_found() {
    let r = check_fixture();
    r.expect_one("easy-missing", "warning", NO_EASY_EN, None, &["`en`"]);
    let dir = fixture().join("content/services/be-lengvo-anglu");
    assert!(dir.join("easy.lt.md").is_file() && !dir.join("easy.en.md").exists());
}

#[test]
fn easy_read_lint_finding_is_found() {
    let r = check_fixture();
    let f = r.expect_one("easy-sentence", "warning", EASY_LONG_SENTENCE, Some(10), &["13 words", "at most 10"]);
    assert_eq!(f.col, 1, "{f}");
    // No other easy-read lint finding anywhere but the seeded ones.
    let easy: Vec<&Finding> =
        r.findings.iter().filter(|f| f.code.starts_with("easy-") && f.code != "easy-missing").collect();
    assert_eq!(easy.len(), 4, "{}", r.listing());
}

#[test]
fn easy_read_negative_question_is_found() {
    let r = check_fixture();
    let f = r.expect_one(
        "easy-negative-question",
        "warning",
        EASY_NEGATIVE_QUESTION,
        Some(13),
        &["`Ar nežinote, kur kreiptis?`", "negative question"],
    );
    assert_eq!(f.col, 1, "{f}");
    assert!(f.hint.as_deref().is_some_and(|h| h.contains("positive")), "{f}");
}

#[test]
fn easy_read_glossary_word_in_another_form_is_found() {
    let r = check_fixture();
    let f = r.expect_one(
        "easy-glossary-form",
        "warning",
        EASY_GLOSSARY_FORM,
        Some(16),
        &["`Socialinis darbuotojas`", "`socialiniam darbuotojui`"],
    );
    assert_eq!(f.col, 34, "{f}");
    assert!(f.hint.as_deref().is_some_and(|h| h.contains("forms = [\"socialiniam darbuotojui\"]")), "{f}");
}

/// Every easy-read text's readability (LIX) is in the JSON, the human and the JUnit output; the
/// hard text is over its level's limit (a warning at its title); site.toml sets the limits.
#[test]
fn easy_read_readability_is_shown_per_text_and_checked_against_its_limit() {
    let r = check_fixture();
    let f = r.expect_one("easy-readability", "warning", EASY_HARD_TEXT, Some(2), &["LIX", "82", "at or below 47"]);
    assert_eq!(f.col, 1, "{f}");
    let v: Value = serde_json::from_str(&r.run.stdout).expect("JSON");
    let texts = v["readability"].as_array().expect("a readability list");
    // One entry per easy-read text of the fixture.
    let easy_files: Vec<String> = walk(&fixture().join("content"))
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("easy.")))
        .map(|p| p.strip_prefix(fixture()).unwrap().display().to_string())
        .collect();
    assert!(easy_files.len() >= 10, "{easy_files:?}");
    let mut listed: Vec<String> = texts.iter().map(|t| t["file"].as_str().unwrap().to_string()).collect();
    let mut want = easy_files.clone();
    listed.sort();
    want.sort();
    assert_eq!(listed, want);
    for t in texts {
        let (words, sentences, long) =
            (t["words"].as_f64().unwrap(), t["sentences"].as_f64().unwrap(), t["long_words"].as_f64().unwrap());
        let lix = words / sentences + 100.0 * long / words;
        assert!((t["lix"].as_f64().unwrap() - lix).abs() < 0.06, "{t}");
        let file = t["file"].as_str().unwrap();
        assert_eq!(t["level"], 2, "{t}");
        assert_eq!(t["max_lix"], if file.ends_with(".lt.md") { 47 } else { 25 }, "{t}");
        assert_eq!(t["over"], file == EASY_HARD_TEXT, "{t}");
    }
    let hard = texts.iter().find(|t| t["file"] == EASY_HARD_TEXT).unwrap();
    assert_eq!(hard["lix"], 82.4, "{hard}");

    // Human output: a line per text.
    let human = skaidra(&["check", "--root", s(&fixture()), "--today", TODAY]);
    let line = human.stderr.lines().find(|l| l.trim_start().starts_with(EASY_HARD_TEXT) && l.contains("limit"));
    let line = line.unwrap_or_else(|| panic!("no readability line for the hard text:\n{}", human.stderr));
    assert!(
        line.contains("level 2") && line.contains("82.4") && line.contains("limit 47") && line.contains("over"),
        "{line}"
    );
    for f in &easy_files {
        assert!(
            human.stderr.lines().any(|l| l.trim_start().starts_with(f.as_str()) && l.contains("limit")),
            "{f}:\n{}",
            human.stderr
        );
    }

    // JUnit: a second suite, a case per text, the hard one skipped as a warning.
    let junit = skaidra(&["check", "--root", s(&fixture()), "--today", TODAY, "--format", "junit"]);
    let elements = parse_xml(&junit.stdout).unwrap_or_else(|e| panic!("not well-formed: {e}\n{}", junit.stdout));
    let attr = |e: &(String, Vec<(String, String)>, String), k: &str| {
        e.1.iter().find(|(x, _)| x == k).map(|(_, v)| unescape_xml(v))
    };
    let at = elements
        .iter()
        .position(|e| e.0 == "testsuite" && attr(e, "name").as_deref() == Some("easy-read readability"))
        .expect("a readability suite");
    assert_eq!(attr(&elements[at], "tests"), Some(easy_files.len().to_string()));
    assert_eq!(attr(&elements[at], "skipped").as_deref(), Some("1"));
    let cases: Vec<_> = elements[at + 1..].iter().filter(|e| e.0 == "testcase").collect();
    assert_eq!(cases.len(), easy_files.len());
    let hard_case = elements[at + 1..]
        .iter()
        .position(|e| e.0 == "testcase" && attr(e, "classname").as_deref() == Some(EASY_HARD_TEXT))
        .expect("a case for the hard text");
    assert_eq!(attr(&elements[at + 1 + hard_case], "name").as_deref(), Some("LIX 82.4 (level 2, limit 47)"));
    assert_eq!(elements[at + 2 + hard_case].0, "skipped");

    // The limits come from site.toml: per level, for every language or per language.
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture(), tmp.path());
    let toml = tmp.path().join("site.toml");
    let base = fs::read_to_string(&toml).unwrap();
    fs::write(&toml, format!("{base}\n[easy_read.lint]\nmax_lix = {{ lt = [40, 90, 95] }}\n")).unwrap();
    let relaxed = check_json(tmp.path(), TODAY, &[]);
    assert!(relaxed.with("easy-readability", EASY_HARD_TEXT).is_empty(), "{}", relaxed.listing());
    fs::write(&toml, format!("{base}\n[easy_read.lint]\nmax_lix = [10, 12, 14]\n")).unwrap();
    let strict = check_json(tmp.path(), TODAY, &[]);
    let over: Vec<&Finding> = strict.findings.iter().filter(|f| f.code == "easy-readability").collect();
    // Only the hard text has enough words to be judged.
    assert_eq!(over.len(), 1, "{}", strict.listing());
    fs::write(&toml, format!("{base}\n[easy_read.lint]\nmax_lix = [40, 47]\n")).unwrap();
    let bad = skaidra(&["check", "--root", s(tmp.path()), "--today", TODAY]);
    bad.expect_code(2);
    bad.check(
        bad.stderr.contains("site.toml:") && bad.stderr.contains("three numbers for levels 1, 2 and 3"),
        "a message at site.toml's line that says what to write",
    );
}

#[test]
fn accessibility_lint_finding_is_found() {
    let r = check_fixture();
    let f = r.expect_one("a11y-link-text", "warning", VAGUE_LINK, Some(8), &["`čia`"]);
    assert_eq!(f.col, 30, "{f}");
    let a11y: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.code.starts_with("a11y-") || f.code == "contrast" || f.code == "heading-h1")
        .collect();
    assert_eq!(a11y.len(), 1, "{}", r.listing());
}

#[test]
fn service_with_a_provider_that_no_longer_exists_is_found() {
    let r = check_fixture();
    let f = r.expect_one("unknown-reference", "error", UNKNOWN_PROVIDER, Some(1), &["provider `uzdarytas`"]);
    assert_eq!(f.col, 12, "{f}");
}

// Regression test (fixed bug): orphan pages are never found on a site with more than one language. The audience
// `students` in content/taxonomies.toml has no services, so no list links to its pages
// (/kam/studentai/ and /en/for/students/); only the language switcher of each links to the other.
// `check::orphans` counts every link from another page, translations included, so both pages
// count as linked. It should ignore links between language versions of the same address.
#[test]
fn orphan_pages_of_a_multilingual_site_are_found() {
    let r = check_fixture();
    let orphans = r.with("orphan", TAXONOMIES);
    assert_eq!(orphans.len(), 2, "expected both language versions of the `students` page:\n{}", r.listing());
    assert!(orphans.iter().any(|f| f.message.contains("studentai")), "{}", r.listing());
    assert!(orphans.iter().any(|f| f.message.contains("students")), "{}", r.listing());
    assert!(orphans.iter().all(|f| f.severity == "warning"));
}

/// On a one-language site (no language switcher), an audience without services is an orphan.
#[test]
fn orphan_page_is_found_on_a_single_language_site() {
    let site = TestSite::new();
    // Make the starter site Lithuanian only.
    site.replace("site.toml", "languages = [\"lt\", \"en\"]", "languages = [\"lt\"]");
    let config = site.read("site.toml");
    let start = config.find("[lang.en]").expect("[lang.en] in site.toml");
    let end = config[start..].find("\n\n").map(|p| start + p + 2).expect("end of [lang.en]");
    site.write("site.toml", format!("{}{}", &config[..start], &config[end..]));
    fs::remove_file(site.path("i18n/en.toml")).unwrap();
    for e in walk(&site.path("content")) {
        let name = e.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".en.md") {
            fs::remove_file(&e).unwrap();
        } else if name.ends_with(".toml") {
            // Drop the English labels: `, en = "..."`.
            let mut text = fs::read_to_string(&e).unwrap();
            while let Some(p) = text.find(", en = \"") {
                let close = text[p + 8..].find('"').unwrap() + p + 8;
                text.replace_range(p..=close, "");
            }
            fs::write(&e, text).unwrap();
        }
    }
    let clean = site.check(&[]);
    assert!(clean.findings.is_empty(), "the one-language starter site should be clean:\n{}", clean.listing());
    site.replace(TAXONOMIES, "[categories]", "students = { lt = \"Studentai\" }\n\n[categories]");
    let r = site.check(&[]);
    r.run.expect_code(0);
    let f = r.expect_one("orphan", "warning", TAXONOMIES, None, &["studentai"]);
    assert_eq!(r.findings.len(), 1, "{}", r.listing());
    // Skaidra made the term's pages: the hint says what the editor can do about them.
    assert!(f.hint.as_deref().unwrap().contains("add it to a service's `audiences`, or remove the term"), "{f}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

// ------------------------------------------------------------------------------------------------
// Output formats
// ------------------------------------------------------------------------------------------------

#[test]
fn human_output_groups_by_file_and_ends_with_a_summary() {
    let json = check_fixture();
    let r = skaidra(&["check", "--root", s(&fixture()), "--today", TODAY]);
    r.expect_code(1);
    r.check(r.stdout.is_empty(), "human output goes to stderr");
    r.check(!r.stderr.contains('\x1b'), "no colours when stderr is not a terminal");
    let lines: Vec<&str> = r.stderr.lines().collect();
    // Ends with the summary line.
    let last = *lines.last().expect("output");
    let s = &json.summary;
    let (pages, errors, warnings, files) = (
        s["pages"].as_u64().unwrap(),
        s["errors"].as_u64().unwrap(),
        s["warnings"].as_u64().unwrap(),
        s["files"].as_u64().unwrap(),
    );
    let head = format!(
        "checked {pages} pages: {}, {} in {files} files (",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    r.check(
        last.starts_with(&head) && last.ends_with(" s)"),
        &format!("the last line should be the summary `{head}… s)`"),
    );
    // Grouped: a file name on its own line, then its findings (indented), each file once; then
    // what is left to translate, per language (a heading, then the same grouping indented); then
    // the readability of each easy-read text, one indented line each, before the summary.
    let readability = lines.iter().position(|l| l.starts_with("easy-read readability")).expect("a readability section");
    for l in &lines[readability + 1..lines.len() - 1] {
        r.check(
            l.starts_with("  content/") && l.contains(" LIX ") && l.contains(" limit "),
            &format!("unexpected line `{l}`"),
        );
    }
    let mut current: Option<&str> = None;
    let mut seen_files: Vec<&str> = Vec::new();
    let mut finding_lines = 0;
    let mut group_files: Vec<&str> = Vec::new();
    let mut in_groups = false;
    for l in &lines[..readability] {
        if l.starts_with("not yet translated into `") {
            in_groups = true;
            group_files.clear();
            continue;
        }
        let l = if in_groups {
            l.strip_prefix("  ").unwrap_or_else(|| panic!("`{l}` is not indented under its language"))
        } else {
            l
        };
        if !l.starts_with(' ') {
            let listed = if in_groups { &mut group_files } else { &mut seen_files };
            r.check(!listed.contains(&l), &format!("the file {l} is listed twice"));
            listed.push(l);
            if in_groups && !seen_files.contains(&l) {
                seen_files.push(l);
            }
            current = Some(l);
        } else if let Some(rest) = l.strip_prefix("  error[").or_else(|| l.strip_prefix("  warning[")) {
            let file = current.expect("a finding before any file name");
            let loc = rest.split_once("]: ").map(|(_, x)| x).unwrap_or("");
            r.check(loc.starts_with(&format!("{file}:")), &format!("`{l}` is not under its file `{file}`"));
            finding_lines += 1;
        } else {
            r.check(l.starts_with("    hint: "), &format!("unexpected line `{l}`"));
        }
    }
    assert_eq!(finding_lines, json.findings.len(), "{}", r.stderr);
    let json_files: BTreeSet<&str> = json.findings.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(seen_files.iter().copied().collect::<BTreeSet<_>>(), json_files);
    for f in &json.findings {
        let line = format!("  {}[{}]: {}:{}:{}: {}", f.severity, f.code, f.file, f.line, f.col, f.message);
        // In a language's group, one level further in.
        let grouped = format!("  {line}");
        r.check(lines.contains(&line.as_str()) || lines.contains(&grouped.as_str()), &format!("missing `{line}`"));
    }
}

// Regression test (fixed bug): `--quiet` is documented as "Print only errors", but when there are errors
// `check::report::human` prints every finding, warnings included (it renders the whole list
// whenever `has_errors()`), with the file names of files that only have warnings.
#[test]
fn quiet_prints_only_errors() {
    let json = check_fixture();
    let r = skaidra(&["check", "--root", s(&fixture()), "--today", TODAY, "--quiet"]);
    r.expect_code(1);
    for f in json.errors() {
        let line = format!("  error[{}]: {}:{}:{}: {}", f.code, f.file, f.line, f.col, f.message);
        r.check(r.stderr.lines().any(|l| l == line), &format!("missing `{line}`"));
    }
    r.check(!r.stderr.contains("warning["), "--quiet printed warnings");
    r.check(!r.stderr.contains("checked "), "--quiet printed the summary line");
    let error_files: BTreeSet<&str> = json.errors().iter().map(|f| f.file.as_str()).collect();
    for l in r.stderr.lines().filter(|l| !l.starts_with(' ')) {
        r.check(error_files.contains(l), &format!("--quiet printed the file `{l}`, which has no errors"));
    }
}

#[test]
fn quiet_prints_nothing_when_there_are_only_warnings() {
    let site = TestSite::new();
    site.replace(
        INIT_PROVIDER_TOML,
        "website = \"https://savivaldybe.test/\"",
        "website = \"http://savivaldybe.test/\"",
    );
    let r = skaidra(&["check", "--root", s(&site.root), "--today", "2026-11-23", "--quiet"]);
    r.expect_code(0);
    r.check(r.stdout.is_empty() && r.stderr.is_empty(), "--quiet with only warnings should print nothing");
}

#[test]
fn junit_is_well_formed_with_a_failure_per_error() {
    let json = check_fixture();
    let r = skaidra(&["check", "--root", s(&fixture()), "--today", TODAY, "--format", "junit"]);
    r.expect_code(1);
    r.check(r.stdout.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), "XML declaration");
    let elements =
        parse_xml(&r.stdout).unwrap_or_else(|e| panic!("the JUnit output is not well-formed XML: {e}\n{}", r.stdout));
    let attr = |e: &(String, Vec<(String, String)>, String), k: &str| {
        e.1.iter().find(|(x, _)| x == k).map(|(_, v)| unescape_xml(v))
    };
    assert_eq!(elements[0].0, "testsuites");
    let suites: Vec<_> = elements.iter().filter(|e| e.0 == "testsuite").collect();
    // The findings, and the readability of the easy-read texts (see the readability test).
    assert_eq!(suites.len(), 2);
    assert_eq!(attr(suites[1], "name").as_deref(), Some("easy-read readability"));
    let texts: usize = attr(suites[1], "tests").unwrap().parse().unwrap();
    let n = json.findings.len().to_string();
    let errors = json.errors().len().to_string();
    assert_eq!(attr(&elements[0], "tests"), Some((json.findings.len() + texts).to_string()), "{}", r.stdout);
    for e in [&elements[0], suites[0]] {
        assert_eq!(attr(e, "failures").as_deref(), Some(errors.as_str()), "{}", r.stdout);
    }
    assert_eq!(attr(suites[0], "tests").as_deref(), Some(n.as_str()), "{}", r.stdout);
    // One test case per finding; errors fail, warnings are skipped.
    let findings_end =
        elements.iter().position(|e| e.0 == "testsuite" && attr(e, "name").as_deref() == Some("easy-read readability"));
    let mut cases: Vec<(String, String, Vec<&str>)> = Vec::new();
    for e in &elements[..findings_end.unwrap_or(elements.len())] {
        match e.0.as_str() {
            "testcase" => {
                cases.push((attr(e, "classname").unwrap_or_default(), attr(e, "name").unwrap_or_default(), Vec::new()))
            }
            "failure" | "skipped" => cases.last_mut().expect("failure inside a testcase").2.push(if e.0 == "failure" {
                "failure"
            } else {
                "skipped"
            }),
            _ => {}
        }
    }
    assert_eq!(cases.len(), json.findings.len(), "{}", r.stdout);
    assert_eq!(elements.iter().filter(|e| e.0 == "failure").count(), json.errors().len(), "{}", r.stdout);
    for f in &json.findings {
        let name = format!("{} {}:{}:{}", f.code, f.file, f.line, f.col);
        let want = if f.severity == "error" { "failure" } else { "skipped" };
        let case = cases.iter().find(|c| c.1 == name && c.0 == f.file);
        let case = case.unwrap_or_else(|| panic!("no test case `{name}` in\n{}", r.stdout));
        assert_eq!(case.2, [want], "{name}");
    }
    for e in elements.iter().filter(|e| e.0 == "failure") {
        let msg = attr(e, "message").unwrap_or_default();
        let f = json.errors().into_iter().find(|f| f.message == msg);
        let f = f.unwrap_or_else(|| panic!("a failure with an unknown message `{msg}`"));
        assert_eq!(attr(e, "type").as_deref(), Some(f.code.as_str()));
        let body = unescape_xml(&e.2);
        assert!(body.starts_with(&f.message) && body.contains("hint: "), "{body}");
    }
}

/// The small XML checker above really rejects what is not well-formed.
#[test]
fn xml_checker_rejects_broken_xml() {
    assert!(parse_xml("<?xml version=\"1.0\"?>\n<a x=\"1 &amp; 2\"><b/>t &lt; u &#233;</a>\n").is_ok());
    for bad in [
        "<a><b></a></b>",
        "<a x=1/>",
        "<a x=\"1\" x=\"2\"/>",
        "<a>&foo;</a>",
        "<a>& b</a>",
        "<a></a><b/>",
        "<a>",
        "</a>",
        "text<a/>",
        "<a x=\"<\"/>",
    ] {
        assert!(parse_xml(bad).is_err(), "{bad} should be rejected");
    }
}

#[test]
fn junit_of_a_clean_site_has_one_passing_case() {
    let site = TestSite::new();
    let r = skaidra(&["check", "--root", s(&site.root), "--today", "2026-11-23", "--format", "junit"]);
    r.expect_code(0);
    let elements = parse_xml(&r.stdout).unwrap_or_else(|e| panic!("not well-formed: {e}\n{}", r.stdout));
    assert_eq!(elements.iter().filter(|e| e.0 == "testcase").count(), 1, "{}", r.stdout);
    assert!(!elements.iter().any(|e| e.0 == "failure" || e.0 == "skipped"), "{}", r.stdout);
}

// ------------------------------------------------------------------------------------------------
// Exit codes, strict mode, the example site
// ------------------------------------------------------------------------------------------------

#[test]
fn strict_turns_warnings_into_errors() {
    let site = TestSite::new();
    let clean = site.check(&[]);
    clean.run.expect_code(0);
    assert!(clean.findings.is_empty(), "the starter site should check clean:\n{}", clean.listing());
    // One warning: an institution's web address without https.
    site.replace(
        INIT_PROVIDER_TOML,
        "website = \"https://savivaldybe.test/\"",
        "website = \"http://savivaldybe.test/\"",
    );
    let r = site.check(&[]);
    r.run.expect_code(0);
    let f = r.expect_one("url-http", "warning", INIT_PROVIDER_TOML, Some(4), &["http://savivaldybe.test/"]);
    assert_eq!(r.findings.len(), 1, "{}", r.listing());
    let f = f.clone();
    let strict = site.check(&["--strict"]);
    strict.run.expect_code(1);
    assert_eq!(strict.findings.len(), 1, "{}", strict.listing());
    assert_eq!(strict.findings[0], Finding { severity: "error".into(), ..f });
    assert_eq!(strict.summary["errors"].as_u64(), Some(1));
    assert_eq!(strict.summary["warnings"].as_u64(), Some(0));
    // The human form says the same.
    let human = skaidra(&["check", "--root", s(&site.root), "--today", "2026-11-23", "--strict"]);
    human.expect_code(1);
    human.check(
        human.stderr.contains("error[url-http]: content/providers/centras/provider.toml:4:"),
        "strict error line",
    );
    human.check(
        human
            .stderr
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("checked ") && l.contains(": 1 error, 0 warnings in 1 files")),
        "summary",
    );
}

#[test]
fn broken_site_toml_exits_2() {
    let site = TestSite::new();
    site.replace("site.toml", "base_url = \"https://savivaldybe.test/\"", "base_url = \"https://savivaldybe.test/");
    for format in ["human", "json", "junit"] {
        let r = skaidra(&["check", "--root", s(&site.root), "--today", "2026-11-23", "--format", format]);
        r.expect_code(2);
        r.check(r.stderr.contains("site.toml"), "the message names site.toml");
        r.check(r.stderr.contains("error["), "an error line");
    }
    // A missing site.toml too.
    fs::remove_file(site.path("site.toml")).unwrap();
    skaidra(&["check", "--root", s(&site.root), "--today", "2026-11-23"]).expect_code(2);
}

#[test]
fn wrong_usage_exits_2() {
    let r = skaidra(&["check", "--root", s(&fixture()), "--today", "15.01.2027"]);
    r.expect_code(2);
    r.check(r.stderr.contains("15.01.2027"), "names the bad date");
    skaidra(&["check", "--root", s(&fixture()), "--format", "xml"]).expect_code(2);
}

/// Easy-read lint findings in the example's texts that are known and waiting for the texts to be
/// rewritten (negative questions, glossary words written only in other forms, a text over its
/// readability limit): (code, file), once per finding. Remove a line when its text is fixed.
const EXAMPLE_KNOWN_EASY_FINDINGS: &[(&str, &str)] = &[
    ("easy-glossary-form", "content/charter/easy.en.md"),
    ("easy-negative-question", "content/charter/easy.en.md"),
    ("easy-glossary-form", "content/charter/easy.lt.md"),
    ("easy-glossary-form", "content/charter/easy.lt.md"),
    ("easy-negative-question", "content/charter/easy.lt.md"),
    ("easy-glossary-form", "content/pages/feedback/easy.lt.md"),
    ("easy-readability", "content/pages/service-quality/easy.lt.md"),
    ("easy-readability", "content/quality-policy/easy.lt.md"),
    ("easy-glossary-form", "content/quality-policy/easy.lt.md"),
    ("easy-glossary-form", "content/quality-policy/easy.lt.md"),
    ("easy-glossary-form", "content/services/asmeninis-asistentas/easy.lt.md"),
    ("easy-glossary-form", "content/services/bendruomenes-uzimtumas/easy.lt.md"),
    ("easy-glossary-form", "content/services/dienos-centras-negalia/easy.lt.md"),
    ("easy-glossary-form", "content/services/dienos-centras-senjorams/easy.lt.md"),
    ("easy-glossary-form", "content/services/dienos-centras-senjorams/easy.lt.md"),
    ("easy-glossary-form", "content/services/dienos-socialine-globa-namuose/easy.lt.md"),
    ("easy-glossary-form", "content/services/globeju-pagalba/easy.lt.md"),
    ("easy-glossary-form", "content/services/globeju-pagalba/easy.lt.md"),
    ("easy-negative-question", "content/services/informavimas-konsultavimas/easy.en.md"),
    ("easy-negative-question", "content/services/informavimas-konsultavimas/easy.en.md"),
    ("easy-glossary-form", "content/services/informavimas-konsultavimas/easy.lt.md"),
    ("easy-negative-question", "content/services/informavimas-konsultavimas/easy.lt.md"),
    ("easy-negative-question", "content/services/informavimas-konsultavimas/easy.lt.md"),
    ("easy-glossary-form", "content/services/informavimas-konsultavimas/easy.lt.md"),
    ("easy-glossary-form", "content/services/krizine-pagalba-seimai/easy.lt.md"),
    ("easy-glossary-form", "content/services/laikinas-apgyvendinimas/easy.lt.md"),
    ("easy-negative-question", "content/services/medicinine-reabilitacija/easy.en.md"),
    ("easy-glossary-form", "content/services/medicinine-reabilitacija/easy.lt.md"),
    ("easy-glossary-form", "content/services/medicinine-reabilitacija/easy.lt.md"),
    ("easy-glossary-form", "content/services/nakvynes-namai/easy.lt.md"),
    ("easy-glossary-form", "content/services/nakvynes-namai/easy.lt.md"),
    ("easy-negative-question", "content/services/pagalba-i-namus/easy.en.md"),
    ("easy-glossary-form", "content/services/pagalba-i-namus/easy.lt.md"),
    ("easy-negative-question", "content/services/pagalba-i-namus/easy.lt.md"),
    ("easy-glossary-form", "content/services/pagalba-i-namus/easy.lt.md"),
    ("easy-glossary-form", "content/services/socialinis-transportas/easy.lt.md"),
    ("easy-glossary-form", "content/services/socialiniu-igudziu-ugdymas/easy.lt.md"),
    ("easy-glossary-form", "content/services/socialiniu-igudziu-ugdymas/easy.lt.md"),
    ("easy-glossary-form", "content/services/trumpalaike-socialine-globa/easy.lt.md"),
];

#[test]
fn example_site_checks_clean() {
    let r = check_json(&repo(), "2026-11-23", &[]);
    // Nothing but the known easy-read findings (each at most as often as listed).
    let mut known: Vec<(&str, &str)> = EXAMPLE_KNOWN_EASY_FINDINGS.to_vec();
    let unknown: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| match known.iter().position(|k| *k == (f.code.as_str(), f.file.as_str())) {
            Some(i) => {
                known.remove(i);
                false
            }
            None => true,
        })
        .collect();
    assert!(
        unknown.is_empty(),
        "the example site should check clean on 2026-11-23:\n{unknown:#?}\nall:\n{}",
        r.listing()
    );
    if !known.is_empty() {
        eprintln!("fixed since listed (remove from EXAMPLE_KNOWN_EASY_FINDINGS): {known:?}");
    }
    r.run.expect_code(0);
    assert_eq!(r.summary["errors"].as_u64(), Some(0));
    assert_eq!(r.summary["warnings"].as_u64(), Some(EXAMPLE_KNOWN_EASY_FINDINGS.len() as u64 - known.len() as u64));
    assert!(r.summary["pages"].as_u64().is_some_and(|p| p > 100), "{}", r.run.stdout);
}

// ------------------------------------------------------------------------------------------------
// Stamp and stale translations
// ------------------------------------------------------------------------------------------------

/// Lines of `after` that are not at the same place in `before`, when both have the same number of
/// lines; `None` otherwise.
fn changed_lines(before: &str, after: &str) -> Option<Vec<(usize, String, String)>> {
    let (a, b): (Vec<&str>, Vec<&str>) =
        (before.split_inclusive('\n').collect(), after.split_inclusive('\n').collect());
    (a.len() == b.len()).then(|| {
        a.iter()
            .zip(&b)
            .enumerate()
            .filter(|(_, (x, y))| x != y)
            .map(|(i, (x, y))| (i + 1, x.to_string(), y.to_string()))
            .collect()
    })
}

#[test]
fn stale_translation_round_trip() {
    let site = TestSite::new();
    let original = site.read(INIT_SERVICE_EN);
    assert!(!original.contains("translated_from"), "the starter translation is not stamped");

    // Stamping adds exactly one line, and the site stays clean.
    let r = site.stamp(INIT_SERVICE_EN);
    r.expect_code(0);
    r.check(r.stderr.contains("translated from") && r.stderr.contains("index.lt.md"), "stamp says what it did");
    let first = site.read(INIT_SERVICE_EN);
    let added: Vec<&str> = first.lines().filter(|l| !original.lines().any(|o| o == *l)).collect();
    assert_eq!(added.len(), 1, "stamp should add one line:\n{first}");
    assert!(added[0].starts_with("translated_from = \"") && added[0].ends_with('"'), "{}", added[0]);
    let mut without: Vec<&str> = first.lines().collect();
    without.retain(|l| *l != added[0]);
    assert_eq!(without, original.lines().collect::<Vec<_>>(), "stamp changed more than its own line");
    let clean = site.check(&[]);
    clean.run.expect_code(0);
    assert!(clean.findings.is_empty(), "a fresh stamp is clean:\n{}", clean.listing());

    // Changing the Lithuanian source makes the translation stale (a warning, exit 0).
    site.replace(
        INIT_SERVICE_LT,
        "- Pagalba tvarkantis namuose.\n",
        "- Pagalba tvarkantis namuose.\n- Pagalba sutvarkant dokumentus.\n",
    );
    let stale = site.check(&[]);
    stale.run.expect_code(0);
    let old = added[0].trim_start_matches("translated_from = \"").trim_end_matches('"').to_string();
    stale.expect_one(
        "translation-stale",
        "warning",
        INIT_SERVICE_EN,
        None,
        &[&format!("version {old}"), INIT_SERVICE_LT],
    );
    assert_eq!(stale.findings.len(), 1, "{}", stale.listing());
    assert_eq!(site.read(INIT_SERVICE_EN), first, "check must not change files");

    // Stamping again changes only the stamp line, and the site is clean again.
    site.stamp(INIT_SERVICE_EN).expect_code(0);
    let second = site.read(INIT_SERVICE_EN);
    let diff = changed_lines(&first, &second)
        .unwrap_or_else(|| panic!("stamp changed the number of lines:\n{first}\n---\n{second}"));
    assert_eq!(diff.len(), 1, "{diff:#?}");
    assert!(
        diff[0].1.starts_with("translated_from")
            && diff[0].2.starts_with("translated_from")
            && !diff[0].2.contains(&old),
        "{diff:#?}"
    );
    let again = site.check(&[]);
    again.run.expect_code(0);
    assert!(again.findings.is_empty(), "clean after stamping again:\n{}", again.listing());

    // Stamping once more changes nothing.
    site.stamp(INIT_SERVICE_EN).expect_code(0);
    assert_eq!(site.read(INIT_SERVICE_EN), second);
}

#[test]
fn stamp_refuses_the_default_language_and_other_files() {
    let site = TestSite::new();
    let lt_before = site.read(INIT_SERVICE_LT);
    let r = site.stamp(INIT_SERVICE_LT);
    r.expect_code(1);
    r.check(r.stderr.contains("default language"), "explains why");
    assert_eq!(site.read(INIT_SERVICE_LT), lt_before);
    site.stamp(INIT_PROVIDER_TOML).expect_code(1);
}

/// `check` renders one page of each kind and learns the others from the model (their text and
/// the links the default theme gives them); `--render-all` renders every page. Both must find
/// the same on the fixture, whose seeded problems include broken links and anchors, a vague link
/// text and orphan pages.
#[test]
fn fixture_findings_are_the_same_when_every_page_is_rendered() {
    let fast = check_fixture();
    let full = check_json(&fixture(), TODAY, &["--render-all"]);
    assert!(!fast.findings.is_empty());
    assert_eq!(fast.findings, full.findings, "fast:\n{}\nrendering every page:\n{}", fast.listing(), full.listing());
    for key in ["pages", "errors", "warnings", "files"] {
        assert_eq!(fast.summary[key], full.summary[key], "{key}");
    }
}

/// A theme of its own is checked like the default one: a link its template writes by itself (not
/// from the view) is found on the pages of that kind `check` renders, in every language, and the
/// other pages are still known from their views (no page is reported twice for the theme's link;
/// `--render-all` finds it on every service page).
#[test]
fn a_theme_of_its_own_has_every_page_checked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    for top in ["content", "themes", "i18n"] {
        copy_tree(&repo().join(top), &root.join(top));
    }
    fs::copy(repo().join("site.toml"), root.join("site.toml")).expect("site.toml");
    let template = root.join("themes/default/templates/service.html");
    let text = fs::read_to_string(&template).expect("template");
    assert!(text.contains("<h1>{{ page.title }}</h1>"), "update the test: the service template changed");
    fs::write(
        &template,
        text.replacen("<h1>{{ page.title }}</h1>", "<h1>{{ page.title }}</h1><p><a href=\"#nowhere\">Where</a></p>", 1),
    )
    .expect("write");
    let service_pages = walk(&root.join("content/services"))
        .iter()
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("index.")))
        .count();
    assert!(
        service_pages > 8,
        "the example should have more service pages than a fast check renders ({service_pages})"
    );
    let nowhere = |r: &Report| -> Vec<String> {
        let mut files: Vec<String> = r
            .findings
            .iter()
            .filter(|f| f.code == "broken-anchor" && f.message.contains("#nowhere"))
            .map(|f| f.file.clone())
            .collect();
        files.sort();
        files
    };
    let fast = check_json(root, TODAY, &[]);
    let found = nowhere(&fast);
    for lang in ["lt", "en"] {
        assert!(
            found.iter().any(|f| f.ends_with(&format!("index.{lang}.md"))),
            "the theme's broken link is found on a {lang} service page: {}",
            fast.listing()
        );
    }
    assert!(found.len() < service_pages, "only the rendered pages report it: {found:?}");
    let full = check_json(root, TODAY, &["--render-all"]);
    assert_eq!(nowhere(&full).len(), service_pages, "{}", full.listing());
}
