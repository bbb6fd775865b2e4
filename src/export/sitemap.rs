//! `sitemap.xml` (every page, with its `hreflang` alternates) and `robots.txt`.

use super::xml;
use crate::resolve::{PageKind, Site};
use std::fmt::Write;

/// URLs per sitemap file. The protocol allows 50,000 URLs and 50 MB per file; an entry with ten
/// languages' alternates is about 1.3 KB, so 30,000 stay under both.
pub const PER_FILE: usize = 30_000;

/// How many sitemap files the site needs: one `sitemap.xml`, or (over [`PER_FILE`] pages)
/// `sitemap-1.xml`... listed by a sitemap index in `sitemap.xml`.
pub fn parts(site: &Site) -> usize {
    parts_of(listed(site).count(), PER_FILE)
}

fn parts_of(urls: usize, per: usize) -> usize {
    urls.div_ceil(per).max(1)
}

/// The file of sitemap part `part` (0-based) of `parts`.
pub fn file_name(part: usize, parts: usize) -> String {
    if parts == 1 { "sitemap.xml".into() } else { format!("sitemap-{}.xml", part + 1) }
}

/// The pages a sitemap lists: every page except the 404 pages.
fn listed(site: &Site) -> impl Iterator<Item = &crate::resolve::OutPage> {
    site.pages.iter().filter(|p| p.kind != PageKind::NotFound)
}

/// Writes sitemap part `part` (0-based; a site of one part has at most [`PER_FILE`] pages).
pub fn write(site: &Site, part: usize, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_part(site, part, PER_FILE, w)
}

fn write_part(site: &Site, part: usize, per: usize, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n")?;
    let mut s = String::new();
    for page in listed(site).skip(part.saturating_mul(per)).take(per) {
        s.clear();
        let _ = writeln!(s, "  <url>\n    <loc>{}</loc>", xml(&site.absolute(&page.path)));
        if let Some(alts) = site.urls.get(&page.address) {
            for (lang, path) in alts {
                let _ = writeln!(
                    s,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>",
                    xml(&site.absolute(path))
                );
            }
            if let Some(def) = alts.get(site.default_lang()) {
                let _ = writeln!(
                    s,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                    xml(&site.absolute(def))
                );
            }
        }
        if let Some(d) = last_modified(site, page.kind) {
            let _ = writeln!(s, "    <lastmod>{d}</lastmod>");
        }
        s.push_str("  </url>\n");
        w.write_all(s.as_bytes())?;
    }
    w.write_all(b"</urlset>\n")
}

/// The sitemap index of a site with several sitemap files.
pub fn index(site: &Site, parts: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for part in 0..parts {
        let _ =
            writeln!(s, "  <sitemap>\n    <loc>{}</loc>\n  </sitemap>", xml(&site.absolute(&file_name(part, parts))));
    }
    s.push_str("</sitemapindex>\n");
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

/// The sitemap (in parts, with their index, on a big site) and `robots.txt`, as an output.
pub struct Sitemap;

impl super::Output for Sitemap {
    fn name(&self) -> &'static str {
        "sitemap"
    }
    fn files<'a>(&self, input: &super::Input<'a>) -> Vec<super::Export<'a>> {
        use super::Export;
        let site = input.site;
        let parts = parts(site);
        let mut files: Vec<Export<'a>> =
            (0..parts).map(|part| Export::stream(file_name(part, parts), move |w| write(site, part, w))).collect();
        if parts > 1 {
            files.push(Export::text("sitemap.xml".into(), move || index(site, parts)));
        }
        files.push(Export::text("robots.txt".into(), move || robots(site)));
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::pipeline::load_site(root, None).expect("the example site loads").0
    }

    fn locs(xml: &str) -> Vec<String> {
        xml.split("<loc>").skip(1).map(|r| r.split("</loc>").next().unwrap_or("").to_string()).collect()
    }

    #[test]
    fn a_big_sitemap_is_split_into_parts_that_together_list_every_page_once() {
        let site = example();
        let mut whole = Vec::new();
        write_part(&site, 0, usize::MAX, &mut whole).unwrap();
        let whole = locs(&String::from_utf8(whole).unwrap());
        assert!(whole.len() > 100, "the example site has over 100 pages to list, got {}", whole.len());
        assert_eq!(parts(&site), 1, "the example needs one sitemap");
        let per = 40;
        let n = parts_of(whole.len(), per);
        assert_eq!(n, whole.len().div_ceil(40));
        let mut joined = Vec::new();
        for part in 0..n {
            let mut bytes = Vec::new();
            write_part(&site, part, per, &mut bytes).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.starts_with("<?xml") && text.ends_with("</urlset>\n"), "part {part} is a whole urlset");
            let urls = locs(&text);
            assert!(urls.len() <= per, "part {part} has {} URLs", urls.len());
            joined.extend(urls);
        }
        assert_eq!(joined, whole, "the parts list the same URLs, in the same order, as one sitemap");
        let index = index(&site, n);
        assert_eq!(locs(&index), (0..n).map(|p| site.absolute(&file_name(p, n))).collect::<Vec<_>>());
        assert!(index.contains("<sitemapindex"));
        assert_eq!(file_name(0, 1), "sitemap.xml");
        assert_eq!(file_name(2, 3), "sitemap-3.xml");
    }
}
