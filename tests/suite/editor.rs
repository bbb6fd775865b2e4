//! The browser editor (`[editor]` in site.toml): its configuration for the example site (a
//! snapshot, `snapshots/` beside this file; after an intended change, review it with
//! `cargo insta review`), what the build writes under `admin/`, and mistakes in the settings.
//! The editor itself is driven in Chromium by `tests/browser/editor.mjs`.

use crate::common::{TestSite, skaidra_in};
use std::fs;
use std::path::PathBuf;

/// A copy of the example site with `editor` (TOML) added to its site.toml.
fn example_with(editor: &str) -> TestSite {
    let site = TestSite::example();
    site.write("site.toml", site.read("site.toml") + editor);
    site
}

const GITHUB: &str = "\n[editor]\nbackend = \"github\"\nrepo = \"alytus/socialines-paslaugos\"\n";

#[test]
fn the_configuration_for_the_example_site() {
    let site = example_with(GITHUB);
    let (site, _, _) = skaidra::pipeline::load_site(site.root.as_path(), None).expect("the example site loads");
    let settings = site.config.editor.as_ref().expect("the editor's settings");
    let config = skaidra::editor::config(&site, settings);
    insta::assert_snapshot!("example_config", serde_json::to_string_pretty(&config).unwrap());
}

fn read(p: PathBuf) -> String {
    fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The Content-Security-Policy of a page, from its `<meta>` tag.
fn csp_of(html: &str) -> String {
    let at = html.find("http-equiv=\"Content-Security-Policy\" content=\"").expect("a CSP meta tag");
    let rest = &html[at + "http-equiv=\"Content-Security-Policy\" content=\"".len()..];
    rest[..rest.find('"').unwrap()].replace("&#39;", "'")
}

#[test]
fn the_build_writes_the_editor_with_a_policy_of_its_own() {
    let site = example_with(GITHUB);
    let out = site.path("out");
    let run = skaidra_in(site.root.as_path(), &["build", "--out", out.to_str().unwrap(), "--quiet"]);
    run.expect_code(0);
    let admin = out.join("admin");
    let page = read(admin.join("index.html"));
    let editor_csp = csp_of(&page);
    run.check(editor_csp.contains("'unsafe-eval'") && editor_csp.contains("https://api.github.com"), &editor_csp);
    // Pinned scripts with Subresource Integrity.
    run.check(
        page.contains(&format!("decap-cms@{}/dist/decap-cms.js", skaidra::editor::DECAP_VERSION))
            && page.contains(skaidra::editor::DECAP_SRI)
            && page.contains(skaidra::editor::TOML_PATCH_SRI),
        &page,
    );
    // Every other page keeps the site's strict policy.
    let home = read(out.join("index.html"));
    run.check(csp_of(&home) == skaidra::export::CSP, &csp_of(&home));
    let headers = read(out.join("_headers"));
    run.check(
        headers.starts_with(&format!("/*\n  Content-Security-Policy: {}", skaidra::export::CSP))
            && headers.contains("/socialines-paslaugos/admin/*\n  ! Content-Security-Policy\n  Content-Security-Policy: default-src 'self'; script-src 'self' 'unsafe-eval'"),
        &headers,
    );
    let config: serde_json::Value = serde_json::from_str(&read(admin.join("config.json"))).unwrap();
    run.check(config["locale"] == "lt" && config["i18n"]["locales"] == serde_json::json!(["lt", "en"]), "locale");
    let pages: serde_json::Value = serde_json::from_str(&read(admin.join("pages.json"))).unwrap();
    run.check(
        pages["services/pagalba-i-namus"]["lt"] == "/socialines-paslaugos/paslaugos/pagalba-i-namus/"
            && pages["services/pagalba-i-namus/easy"]["en"] == "/socialines-paslaugos/en/services/home-help/easy-read/",
        &pages.to_string(),
    );
    run.check(read(admin.join("skaidra-editor.js")).contains("registerCustomFormat"), "the editor's script");
}

#[test]
fn a_site_without_an_editor_has_no_admin_folder() {
    let site = example_with("");
    let out = site.path("out");
    skaidra_in(site.root.as_path(), &["build", "--out", out.to_str().unwrap(), "--quiet"]).expect_code(0);
    assert!(out.join("index.html").exists() && !out.join("admin").exists());
    assert!(!read(out.join("_headers")).contains("admin"));
}

#[test]
fn mistakes_in_the_editors_settings_are_named() {
    for (editor, says) in [
        ("\n[editor]\nbackend = \"svn\"\n", "`svn` is not an editor back end"),
        ("\n[editor]\nbackend = \"github\"\n", "the editor needs the repository"),
        ("\n[editor]\nbackend = \"local\"\nscripts = \"no-such-folder\"\n", "has no decap-cms/dist/decap-cms.js"),
        ("\n[editor]\nbackend = \"local\"\nsite_folder = \"../x\"\n", "is not a folder inside the repository"),
        ("\n[editor]\nbackend = \"local\"\nbrnach = \"main\"\n", "unknown field `brnach`"),
    ] {
        let site = example_with(editor);
        let run = skaidra_in(site.root.as_path(), &["build", "--out", site.path("out").to_str().unwrap()]);
        run.expect_code(2);
        run.check(run.stderr.contains(says) && run.stderr.contains("site.toml:"), says);
        run.check(!site.path("out").exists(), "nothing written");
    }
}
