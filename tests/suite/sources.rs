//! Sources of facts: `skaidra check --sources` lists every contact, cost and waiting time that
//! names no source, and nothing else; without `--sources` neither `check` nor `build` says anything
//! about sources, and the findings fail a check only with `--strict`.
//!
//! The site: a `skaidra init` site (placeholders filled in, its own facts given a source by the
//! test) with the three services of `tests/fixtures/sources/` written over it: one whose files
//! name a `source`, one with `sources` per field, one with none (see the fixture's README.md).

use crate::common::{self, Run, copy_tree, skaidra_in};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const TODAY: &str = "2026-11-23";
const NO_SOURCE: &str = "content/services/be-saltinio";

/// What the site lists: (code, file, line, column), in file order.
fn expected() -> Vec<(String, String, u64, u64)> {
    let toml = format!("{NO_SOURCE}/service.toml");
    let mut want = vec![
        ("no-source-contact", toml.clone(), 4, 9),
        ("no-source-contact", toml.clone(), 5, 9),
        ("no-source-contact", toml.clone(), 6, 11),
        ("no-source-contact", toml.clone(), 7, 11),
        ("no-source-contact", toml, 8, 9),
    ];
    for lang in ["en", "lt"] {
        let page = format!("{NO_SOURCE}/index.{lang}.md");
        want.push(("no-source-cost", page.clone(), 5, 8));
        want.push(("no-source-waiting-time", page, 6, 16));
    }
    want.into_iter().map(|(c, f, l, col)| (c.to_string(), f, l, col)).collect()
}

/// The site, made once.
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sources-site");
        let _ = fs::remove_dir_all(&root);
        skaidra_in(Path::new(env!("CARGO_TARGET_TMPDIR")), &["init", root.to_str().expect("UTF-8")]).expect_code(0);
        common::fill_in(&root);
        // The starter site's own facts name a source: in site.toml, in its fact files, and in
        // the default-language page (the translation takes it).
        let edit = |rel: &str, from: &str, to: &str| {
            let p = root.join(rel);
            let text = fs::read_to_string(&p).expect(rel);
            assert_eq!(text.matches(from).count(), 1, "`{from}` once in {rel}");
            fs::write(&p, text.replacen(from, to, 1)).expect("write");
        };
        edit("site.toml", "[contact]\n", "[contact]\nsource = \"Savivaldybės nuostatai\"\n");
        edit("site.toml", "[feedback]\n", "[feedback]\nsource = \"https://savivaldybe.test/atsiliepimai\"\n");
        for rel in ["content/services/pagalba-i-namus/service.toml", "content/providers/centras/provider.toml"] {
            edit(rel, "reviewed =", "source = \"Įstaigos nuostatai\"\nreviewed =");
        }
        edit(
            "content/services/pagalba-i-namus/index.lt.md",
            "+++\ntitle",
            "+++\nsource = \"Kainoraštis, 2026\"\ntitle",
        );
        copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sources/content"), &root.join("content"));
        root
    })
}

fn check(args: &[&str]) -> Run {
    let mut all = vec!["check", "--today", TODAY];
    all.extend_from_slice(args);
    let run = skaidra_in(site(), &all);
    run.check(!run.stderr.contains("panicked"), "skaidra panicked");
    run
}

fn json(args: &[&str]) -> (Run, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let run = check(&all);
    let v: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout));
    (run, v)
}

/// A finding: code, file, line, column.
type Finding = (String, String, u64, u64);

/// The findings of a JSON report as (code, file, line, column), sorted, and their severities.
fn findings(v: &Value) -> (Vec<Finding>, Vec<String>) {
    let all = v["findings"].as_array().expect("findings");
    let mut found: Vec<Finding> = all
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["location"]["file"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["col"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    let severities = all.iter().map(|f| f["severity"].as_str().unwrap().to_string()).collect();
    (found, severities)
}

#[test]
fn only_the_facts_without_a_source_are_listed() {
    let (run, v) = json(&["--sources"]);
    run.expect_code(0);
    let (found, severities) = findings(&v);
    let mut want = expected();
    want.sort();
    assert_eq!(found, want, "{}", run.stdout);
    assert!(severities.iter().all(|s| s == "info"), "information, not warnings: {severities:?}");
    assert_eq!(v["summary"]["without_source"].as_u64(), Some(want.len() as u64));
    assert_eq!((v["summary"]["errors"].as_u64(), v["summary"]["warnings"].as_u64()), (Some(0), Some(0)));
    let first = &v["findings"].as_array().unwrap()[0];
    assert!(first["hint"].as_str().is_some_and(|h| h.contains("source")), "{first}");
}

#[test]
fn the_listing_is_grouped_by_kind_with_counts() {
    let run = check(&["--sources"]);
    run.expect_code(0);
    let out = &run.stderr;
    run.check(out.contains("Facts without a source: 9 (contacts: 5, costs: 2, waiting times: 2)\n"), "the count");
    let groups: Vec<usize> =
        ["contacts (5)", "costs (2)", "waiting times (2)"].iter().map(|g| out.find(g).unwrap_or(usize::MAX)).collect();
    run.check(groups.windows(2).all(|w| w[0] < w[1] && w[1] != usize::MAX), "contacts, then costs, then waiting times");
    for (code, file, line, col) in expected() {
        let head = format!("  info[{code}]: {file}:{line}:{col}: ");
        run.check(out.lines().any(|l| l.starts_with(&head)), &format!("a line `{head}...`"));
    }
    run.check(
        out.contains(&format!("info[no-source-contact]: {NO_SOURCE}/service.toml:4:9: no source is named for the phone number of the service `be-saltinio`")),
        "the message says which fact of which service",
    );
    run.check(out.contains("  hint: name where a fact comes from"), "one hint under the list");
    run.check(
        out.lines().last().is_some_and(|l| l.starts_with("checked ") && l.contains("; 9 facts without a source")),
        "the summary counts them",
    );
}

#[test]
fn without_sources_check_and_build_say_nothing_about_sources() {
    let run = check(&[]);
    run.expect_code(0);
    run.check(run.stderr.starts_with("checked ") && run.stderr.lines().count() == 1, "only the summary line");
    run.check(!run.stderr.contains("source"), "nothing about sources");
    let (_, v) = json(&[]);
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0), "{v}");
    assert!(v["summary"]["without_source"].is_null(), "{v}");
    let out = tempfile::tempdir().unwrap();
    let build = skaidra_in(site(), &["build", "--out", out.path().to_str().unwrap()]);
    build.expect_code(0);
    build.check(!build.stderr.contains("source") && !build.stderr.contains("warning"), "build says nothing");
}

/// The findings never fail a check by default; `--strict` with `--sources` makes them errors.
#[test]
fn only_strict_with_sources_fails() {
    check(&["--strict"]).expect_code(0);
    let (run, v) = json(&["--sources", "--strict"]);
    run.expect_code(1);
    let (found, severities) = findings(&v);
    assert_eq!(found.len(), 9, "{}", run.stdout);
    assert!(severities.iter().all(|s| s == "error"), "{severities:?}");
    let human = check(&["--sources", "--strict"]);
    human.expect_code(1);
    human.check(human.stderr.contains(&format!("  error[no-source-cost]: {NO_SOURCE}/index.lt.md:5:8: ")), "errors");
}

#[test]
fn junit_includes_them() {
    let run = check(&["--sources", "--format", "junit"]);
    run.expect_code(0);
    let skipped = run.stdout.matches("<skipped message=\"info: ").count();
    run.check(skipped == 9, &format!("one skipped case per fact without a source, got {skipped}"));
    run.check(
        run.stdout.contains("name=\"no-source-waiting-time content/services/be-saltinio/index.en.md:6:16\""),
        "a case",
    );
    run.check(run.stdout.contains("failures=\"0\" skipped=\"9\""), "none fails");
    let strict = check(&["--sources", "--strict", "--format", "junit"]);
    strict.expect_code(1);
    strict.check(strict.stdout.matches("<failure ").count() == 9, "with --strict, each is a failure");
}
