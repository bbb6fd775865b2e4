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

/// Every exported file: (path under the output, content).
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![
        ("sitemap.xml".to_string(), sitemap::sitemap(site).into_bytes()),
        ("robots.txt".to_string(), sitemap::robots(site).into_bytes()),
    ];
    for lang in site.config.lang_codes() {
        let prefix = if lang == site.default_lang() { String::new() } else { format!("{lang}/") };
        out.push((format!("{prefix}feed.xml"), feed::atom(site, lang).into_bytes()));
        out.push((format!("search/{lang}.json"), search::index(site, lang).into_bytes()));
        out.push((format!("data/services-{lang}.csv"), hsds::services_csv(site, lang).into_bytes()));
    }
    let h = hsds::export(site);
    out.push(("data/hsds/services.json".to_string(), serde_json::to_vec_pretty(&h.services).unwrap_or_default()));
    out.push(("data/hsds/organizations.json".to_string(), serde_json::to_vec_pretty(&h.organizations).unwrap_or_default()));
    out
}

/// Escapes text for XML.
pub fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
