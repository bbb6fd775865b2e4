//! Snapshots of what the example site's build writes: one page of each kind in each language,
//! the JSON-LD of a service page, and the Open Referral (HSDS) export. The snapshots are in
//! `snapshots/` beside this file. After an intended change, run the tests with
//! `INSTA_UPDATE=always` (or `cargo insta review`) and read the diff before committing it.
//!
//! A new kind of page gets its line in `PAGES`.

use crate::common::skaidra_in;
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

/// Each kind of page with its path in Lithuanian and in English, under the output folder.
const PAGES: [(&str, &str, &str); 14] = [
    ("home", "index.html", "en/index.html"),
    ("services", "paslaugos/index.html", "en/services/index.html"),
    ("service", "paslaugos/pagalba-i-namus/index.html", "en/services/home-help/index.html"),
    ("service_easy", "paslaugos/pagalba-i-namus/lengvai/index.html", "en/services/home-help/easy-read/index.html"),
    ("providers", "istaigos/index.html", "en/providers/index.html"),
    ("provider", "istaigos/seimos-centras/index.html", "en/providers/family-centre/index.html"),
    ("charter", "chartija/index.html", "en/charter/index.html"),
    ("charter_easy", "chartija/lengvai/index.html", "en/charter/easy-read/index.html"),
    ("quality_policy", "kokybes-politika/index.html", "en/quality-policy/index.html"),
    ("page", "apie-svetaine/index.html", "en/about/index.html"),
    ("audience", "kam/senyvo-amziaus-zmones/index.html", "en/for/older-people/index.html"),
    ("category", "sritys/transportas/index.html", "en/topics/transport/index.html"),
    ("easy_read_index", "lengvai/index.html", "en/easy-read/index.html"),
    ("not_found", "404.html", "en/404.html"),
];

/// The example site built once, with `--strict` (it builds without a warning), into a folder
/// of its own; the site is copied first so the build's cache stays out of the repository.
fn built() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        crate::common::copy_example(&dir.path().join("site"));
        let run = skaidra_in(dir.path(), &["build", "--root", "site", "--out", "out", "--strict", "--quiet"]);
        run.expect_code(0);
        dir
    })
    .path()
    .join("out")
    .leak()
}

fn read(rel: &str) -> String {
    let p = built().join(rel);
    fs::read_to_string(&p).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn one_page_of_each_kind_in_each_language() {
    for (kind, lt, en) in PAGES {
        insta::assert_snapshot!(format!("page_lt_{kind}"), read(lt));
        insta::assert_snapshot!(format!("page_en_{kind}"), read(en));
    }
}

/// The JSON-LD of a page, pretty-printed.
fn json_ld(html: &str) -> String {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let at = html.find(OPEN).expect("a JSON-LD script") + OPEN.len();
    let end = at + html[at..].find("</script>").expect("the script's end");
    let value: Value = serde_json::from_str(&html[at..end]).expect("JSON-LD is JSON");
    serde_json::to_string_pretty(&value).unwrap()
}

#[test]
fn the_json_ld_of_a_service_in_each_language() {
    insta::assert_snapshot!("jsonld_lt_service", json_ld(&read("paslaugos/pagalba-i-namus/index.html")));
    insta::assert_snapshot!("jsonld_en_service", json_ld(&read("en/services/home-help/index.html")));
}

#[test]
fn the_hsds_export() {
    let pretty = |rel: &str| {
        let value: Value = serde_json::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        value
    };
    insta::assert_snapshot!(
        "hsds_organizations",
        serde_json::to_string_pretty(&pretty("data/hsds/organizations.json")).unwrap()
    );
    let services = pretty("data/hsds/services.json");
    let all = services.as_array().expect("services.json is a list");
    // The whole list's shape: each service's id and name; one service whole.
    let names: Vec<String> = all
        .iter()
        .map(|s| format!("{} {}", s["id"].as_str().unwrap_or("?"), s["name"].as_str().unwrap_or("?")))
        .collect();
    insta::assert_snapshot!("hsds_service_names", names.join("\n"));
    let home_help = all
        .iter()
        .find(|s| s["url"].as_str().is_some_and(|u| u.ends_with("/paslaugos/pagalba-i-namus/")))
        .expect("the home-help service in services.json");
    insta::assert_snapshot!("hsds_service_home_help", serde_json::to_string_pretty(home_help).unwrap());
}
