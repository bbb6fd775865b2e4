//! Long lists are split into pages (`[lists] per_page`): the example site, copied and built with
//! four entries per page, must list every service exactly once across the catalogue's pages, in
//! title order, with page navigation that links each page to the next and marks the current one;
//! `check` must find no page without links to it.

use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

fn hrefs(html: &str, marker: &str) -> Vec<String> {
    html.match_indices(marker)
        .map(|(i, _)| {
            let rest = &html[i + marker.len()..];
            let rest = rest.trim_start_matches('"');
            rest[..rest.find(['"', ' ', '>']).unwrap()].to_string()
        })
        .collect()
}

#[test]
fn the_catalogue_is_split_into_pages_that_list_every_service_once() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    crate::common::copy_example(site);
    let mut toml = fs::read_to_string(site.join("site.toml")).unwrap();
    toml.push_str("\n[lists]\nper_page = 4\nhome_visit_on_home = 2\n");
    fs::write(site.join("site.toml"), toml).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_skaidra"))
        .args(["build", "--base-url", "https://example.lt/", "--root"])
        .arg(site)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let public = site.join("public");

    // Services in the content, by their Lithuanian slug.
    let mut expected = BTreeSet::new();
    for e in fs::read_dir(site.join("content/services")).unwrap() {
        let text = fs::read_to_string(e.unwrap().path().join("index.lt.md")).unwrap();
        let slug = text.lines().find_map(|l| l.strip_prefix("slug = \"")).unwrap().trim_end_matches('"').to_string();
        expected.insert(format!("/paslaugos/{slug}/"));
    }
    assert!(expected.len() > 8, "the example has enough services to need several pages");
    let pages = expected.len().div_ceil(4);

    let mut seen = Vec::new();
    let mut titles = Vec::new();
    for n in 1..=pages {
        let file =
            if n == 1 { public.join("paslaugos/index.html") } else { public.join(format!("paslaugos/{n}/index.html")) };
        let html = fs::read_to_string(&file).unwrap_or_else(|e| panic!("page {n} of the catalogue: {e}"));
        let cards: Vec<&str> = html.split("<li class=card>").skip(1).collect();
        assert!(!cards.is_empty() && cards.len() <= 4, "page {n} shows {} services", cards.len());
        for c in cards {
            let href = hrefs(c, "href=").into_iter().next().unwrap();
            seen.push(href);
            let link = &c[c.find("<a href=").unwrap()..];
            let title = link[link.find('>').unwrap() + 1..].split('<').next().unwrap().to_lowercase();
            titles.push(title);
        }
        // Navigation: the current page is marked, the next one linked.
        assert!(html.contains("aria-current=page") && html.contains(&format!(">{n}</a>")), "page {n} marks itself");
        if n < pages {
            assert!(
                html.contains(&format!("href=\"/paslaugos/{}/\" rel=next", n + 1)),
                "page {n} links to the next: {html}"
            );
        } else {
            assert!(!html.contains("rel=next"), "the last page has no next");
        }
        if n > 1 {
            assert!(html.contains("rel=prev"), "page {n} links back");
        }
    }
    assert!(!public.join(format!("paslaugos/{}/index.html", pages + 1)).exists(), "no empty page after the last");
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no service is listed twice: {seen:?}");
    assert_eq!(unique, expected, "every service is listed");
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted, "services are in title order across pages");

    // The home page shows two home-visit services and links to the catalogue for more.
    let home = fs::read_to_string(public.join("index.html")).unwrap();
    let at_home = home.split("id=at-home").nth(1).unwrap();
    assert_eq!(at_home.split("</section>").next().unwrap().matches("<li class=card>").count(), 2);
    assert!(at_home.contains("Daugiau paslaugų rasite kataloge"));

    // English pages exist too, and every list page is reachable.
    assert!(public.join("en/services/2/index.html").exists());
    let check = Command::new(env!("CARGO_BIN_EXE_skaidra"))
        .args(["check", "--today", "2026-11-23", "--format", "json", "--root"])
        .arg(site)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(!report.contains("\"orphan\""), "no list page is an orphan: {report}");
    assert!(!report.contains("broken-link"), "{report}");
}

#[test]
fn per_page_zero_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    crate::common::copy_example(tmp.path());
    let mut toml = fs::read_to_string(tmp.path().join("site.toml")).unwrap();
    toml.push_str("\n[lists]\nper_page = 0\n");
    fs::write(tmp.path().join("site.toml"), toml).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_skaidra")).args(["build", "--root"]).arg(tmp.path()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`per_page` in [lists] is 0"), "{err}");
    assert!(!tmp.path().join("public").exists());
}
