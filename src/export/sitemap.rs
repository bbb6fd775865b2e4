//! `sitemap.xml` (every page, with its `hreflang` alternates) and `robots.txt`.

use super::xml;
use crate::resolve::{PageKind, Site};
use std::fmt::Write;

/// The sitemap of every page except the 404 pages.
pub fn sitemap(site: &Site) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for page in site.pages.iter().filter(|p| p.kind != PageKind::NotFound) {
        let _ = writeln!(s, "  <url>\n    <loc>{}</loc>", xml(&site.absolute(&page.path)));
        if let Some(alts) = site.urls.get(&page.address) {
            for (lang, path) in alts {
                let _ = writeln!(s, "    <xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>", xml(&site.absolute(path)));
            }
            if let Some(def) = alts.get(site.default_lang()) {
                let _ = writeln!(s, "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>", xml(&site.absolute(def)));
            }
        }
        if let Some(d) = last_modified(site, page.kind) {
            let _ = writeln!(s, "    <lastmod>{d}</lastmod>");
        }
        s.push_str("  </url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

fn last_modified(site: &Site, kind: PageKind) -> Option<chrono::NaiveDate> {
    let c = &site.content;
    Some(match kind {
        PageKind::Service(i) => c.services[i].review.reviewed,
        PageKind::Provider(i) => c.providers[i].review.reviewed,
        PageKind::Page(i) => c.pages[i].review.reviewed,
        PageKind::Charter => c.charter.as_ref()?.review.reviewed,
        PageKind::Quality => c.quality.as_ref()?.review.reviewed,
        _ => return None,
    })
}

/// `robots.txt`: everything may be indexed; points at the sitemap.
pub fn robots(site: &Site) -> String {
    format!("User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n", site.config.base_url)
}
