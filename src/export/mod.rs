//! Exports: everything the build writes besides pages, all made from the typed model.
//!
//! - [`jsonld`]: schema.org JSON-LD for service and provider pages.
//! - [`sitemap`]: `sitemap.xml` with `hreflang` alternates, and `robots.txt`.
//! - [`feed`]: an Atom feed per language of what changed.
//! - [`search`]: the search index per language, loaded by the search box only when it is used.
//! - [`hsds`]: the Open Referral HSDS 3.0 export and the CSV of services.

pub mod feed;
pub mod hsds;
pub mod jsonld;
pub mod search;
pub mod sitemap;

use crate::resolve::Site;

/// The Content-Security-Policy of every page: no inline script or style, nothing from other
/// sites. Written as a `<meta>` tag by the theme and as headers for static hosts.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

/// Headers for hosts that read a `_headers` file (Netlify, Cloudflare Pages and others).
fn headers_file() -> String {
    format!("/*\n  Content-Security-Policy: {CSP}; frame-ancestors 'self'\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n")
}

/// The same headers as an nginx snippet (`include` it in the site's `server` block).
fn nginx_snippet() -> String {
    format!(
        "# Security headers for a Skaidra site. In nginx: include this file in the server block.\nadd_header Content-Security-Policy \"{CSP}; frame-ancestors 'self'\" always;\nadd_header X-Content-Type-Options \"nosniff\" always;\nadd_header Referrer-Policy \"strict-origin-when-cross-origin\" always;\n"
    )
}

/// Every exported file: (path under the output, content).
/// The paths [`files`] writes, without making the files (for `serve`, which makes them when
/// first asked for after an edit).
pub fn names(site: &Site) -> Vec<String> {
    let mut out: Vec<String> = ["sitemap.xml", "robots.txt", "_headers", "nginx-security-headers.conf"].map(String::from).to_vec();
    for lang in site.config.lang_codes() {
        let prefix = if lang == site.default_lang() { String::new() } else { format!("{lang}/") };
        out.extend([format!("{prefix}feed.xml"), format!("search/{lang}.json"), format!("data/services-{lang}.csv")]);
    }
    out.extend(["data/hsds/services.json", "data/hsds/organizations.json"].map(String::from));
    out
}

pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    use rayon::prelude::*;
    type Make<'a> = Box<dyn Fn() -> Vec<(String, Vec<u8>)> + Send + Sync + 'a>;
    // Each export is a pass over the catalogue of its own; they are made side by side.
    let mut jobs: Vec<Make> = vec![Box::new(|| {
        vec![
            ("sitemap.xml".to_string(), sitemap::sitemap(site).into_bytes()),
            ("robots.txt".to_string(), sitemap::robots(site).into_bytes()),
            ("_headers".to_string(), headers_file().into_bytes()),
            ("nginx-security-headers.conf".to_string(), nginx_snippet().into_bytes()),
        ]
    })];
    for lang in site.config.lang_codes() {
        let prefix = if lang == site.default_lang() { String::new() } else { format!("{lang}/") };
        jobs.push(Box::new(move || vec![(format!("{prefix}feed.xml"), feed::atom(site, lang).into_bytes())]));
        jobs.push(Box::new(move || vec![(format!("search/{lang}.json"), search::index(site, lang).into_bytes())]));
        jobs.push(Box::new(move || vec![(format!("data/services-{lang}.csv"), hsds::services_csv(site, lang).into_bytes())]));
    }
    jobs.push(Box::new(|| {
        let h = hsds::export(site);
        let (services, organizations) = rayon::join(|| serde_json::to_vec_pretty(&h.services).unwrap_or_default(), || serde_json::to_vec_pretty(&h.organizations).unwrap_or_default());
        vec![("data/hsds/services.json".to_string(), services), ("data/hsds/organizations.json".to_string(), organizations)]
    }));
    jobs.par_iter().flat_map_iter(|make| make()).collect()
}

/// Escapes text for XML.
pub fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
