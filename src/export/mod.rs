//! Exports: everything the build writes besides pages, all made from the typed model.
//!
//! - [`jsonld`]: schema.org JSON-LD for service and provider pages.
//! - [`sitemap`]: `sitemap.xml` with `hreflang` alternates, and `robots.txt`.
//! - [`feed`]: an Atom feed per language of what changed.
//! - [`search`]: the search index per language, in small files: the search box loads the few a
//!   query needs, and only when it is used.
//! - [`hsds`]: the Open Referral HSDS 3.0 export and the CSV of services.

pub mod feed;
pub mod hsds;
pub mod jsonld;
pub mod search;
pub mod sitemap;

use crate::resolve::Site;
use std::io::{self, Write};

/// What writing exports gave: the files of the sets written, and the paths that could not be
/// written, with why.
pub type Written = (Vec<String>, Vec<(String, io::Error)>);

/// The Content-Security-Policy of every page: no inline script or style, nothing from other
/// sites. Written as a `<meta>` tag by the theme and as headers for static hosts.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

/// Headers for hosts that read a `_headers` file (Netlify, Cloudflare Pages and others); the
/// browser editor's page has its own policy ([`crate::editor::headers`]).
fn headers_file(site: &Site) -> String {
    format!(
        "/*\n  Content-Security-Policy: {CSP}; frame-ancestors 'self'\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n{}",
        crate::editor::headers(&site.config).unwrap_or_default()
    )
}

/// The same headers as an nginx snippet (`include` it in the site's `server` block).
fn nginx_snippet(site: &Site) -> String {
    format!(
        "# Security headers for a Skaidra site. In nginx: include this file in the server block.\nadd_header Content-Security-Policy \"{CSP}; frame-ancestors 'self'\" always;\nadd_header X-Content-Type-Options \"nosniff\" always;\nadd_header Referrer-Policy \"strict-origin-when-cross-origin\" always;\n{}",
        crate::editor::nginx(&site.config).unwrap_or_default()
    )
}

/// Writes an export's content.
type Writer<'a> = Box<dyn Fn(&mut dyn Write) -> io::Result<()> + Send + Sync + 'a>;

/// Makes a set of files: (path under the output, bytes).
type Maker<'a> = Box<dyn Fn() -> Vec<(String, Vec<u8>)> + Send + Sync + 'a>;

/// One exported file, or a set of them: its path under the output (for a set, the file that
/// leads to the others, whose names depend on their content), and how the content is made.
struct Export<'a> {
    path: String,
    make: Make<'a>,
}

enum Make<'a> {
    One(Writer<'a>),
    Set(Maker<'a>),
}

impl<'a> Export<'a> {
    fn text(path: String, make: impl Fn() -> String + Send + Sync + 'a) -> Self {
        Export { path, make: Make::One(Box::new(move |w| w.write_all(make().as_bytes()))) }
    }
    fn stream(path: String, write: impl Fn(&mut dyn Write) -> io::Result<()> + Send + Sync + 'a) -> Self {
        Export { path, make: Make::One(Box::new(write)) }
    }
}

/// Every export of the site. Each is a pass over the catalogue of its own, made side by side
/// with the others; the big ones (sitemaps of many pages, the HSDS documents) are written as they
/// are made, never held whole in memory.
fn exports(site: &Site) -> Vec<Export<'_>> {
    let mut jobs = Vec::new();
    let sitemaps = sitemap::parts(site);
    for part in 0..sitemaps {
        jobs.push(Export::stream(sitemap::file_name(part, sitemaps), move |w| sitemap::write(site, part, w)));
    }
    if sitemaps > 1 {
        jobs.push(Export::text("sitemap.xml".into(), move || sitemap::index(site, sitemaps)));
    }
    jobs.push(Export::text("robots.txt".into(), || sitemap::robots(site)));
    jobs.push(Export::text("_headers".into(), move || headers_file(site)));
    jobs.push(Export::text("nginx-security-headers.conf".into(), move || nginx_snippet(site)));
    for lang in site.config.lang_codes() {
        let prefix = if lang == site.default_lang() { String::new() } else { format!("{lang}/") };
        jobs.push(Export::text(format!("{prefix}feed.xml"), move || feed::atom(site, lang)));
        jobs.push(Export {
            path: search::entry_path(lang),
            make: Make::Set(Box::new(move || search::files(site, lang))),
        });
        jobs.push(Export::text(format!("data/services-{lang}.csv"), move || hsds::services_csv(site, lang)));
    }
    jobs.extend(crate::editor::files(site).into_iter().map(|(path, write)| Export { path, make: Make::One(write) }));
    jobs.push(Export::stream("data/hsds/services.json".into(), |w| hsds::write_services(site, w)));
    jobs.push(Export::stream("data/hsds/organizations.json".into(), |w| hsds::write_organizations(site, w)));
    jobs
}

/// The paths the exports are written to, without making them (for `serve`, which makes them
/// when first asked for after an edit). Of a set of files, only the one that leads to the others
/// (the search index's entry): the others are named by their content, so a new name is only ever
/// asked for after its entry was made.
pub fn names(site: &Site) -> Vec<String> {
    exports(site).into_iter().map(|e| e.path).collect()
}

/// The paths of the exports made as a set of files (the search index's entry of each language):
/// a build that makes anything makes these again, since which files a set holds is known only
/// once it is made.
pub fn set_names(site: &Site) -> Vec<String> {
    exports(site).into_iter().filter(|e| matches!(e.make, Make::Set(_))).map(|e| e.path).collect()
}

/// Every exported file in memory: (path under the output, content). For `serve`; the build
/// writes them with [`write_all`].
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    use rayon::prelude::*;
    exports(site)
        .into_par_iter()
        .flat_map_iter(|e| match e.make {
            Make::One(write) => {
                let mut bytes = Vec::new();
                // Writing into memory cannot fail.
                let _ = write(&mut bytes);
                vec![(e.path, bytes)]
            }
            Make::Set(make) => make(),
        })
        .collect()
}

/// Writes every export into files opened by `create` (given the path under the output).
/// Returns the paths that could not be written, with why.
pub fn write_all(site: &Site, create: &(dyn Fn(&str) -> io::Result<std::fs::File> + Sync)) -> Vec<(String, io::Error)> {
    write_only(site, &|_| true, create).1
}

/// [`write_all`] for the exports whose path `wanted` accepts. Returns the paths of the files the
/// sets among them were made of (see [`set_names`]) and the paths that could not be written.
pub fn write_only(
    site: &Site,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    create: &(dyn Fn(&str) -> io::Result<std::fs::File> + Sync),
) -> Written {
    use rayon::prelude::*;
    let results: Vec<Written> = exports(site)
        .into_iter()
        .filter(|e| wanted(&e.path))
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|e| match e.make {
            Make::One(write) => {
                let written = create(&e.path).and_then(|f| {
                    let mut w = io::BufWriter::with_capacity(1 << 16, f);
                    write(&mut w)?;
                    w.flush()
                });
                (Vec::new(), written.err().map(|err| (e.path, err)).into_iter().collect())
            }
            Make::Set(make) => {
                let files = make();
                let paths = files.iter().map(|(p, _)| p.clone()).collect();
                let failed = files
                    .into_par_iter()
                    .filter_map(|(path, bytes)| {
                        create(&path).and_then(|mut f| f.write_all(&bytes)).err().map(|err| (path, err))
                    })
                    .collect();
                (paths, failed)
            }
        })
        .collect();
    let mut members = Vec::new();
    let mut failed = Vec::new();
    for (m, f) in results {
        members.extend(m);
        failed.extend(f);
    }
    (members, failed)
}

/// Escapes text for XML.
pub fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
