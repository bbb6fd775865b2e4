//! Outputs: everything the build writes besides pages, all made from the resolved model, each an
//! implementation of [`Output`], all listed in [`OUTPUTS`].
//!
//! - [`jsonld`]: schema.org JSON-LD for service and provider pages.
//! - [`sitemap`]: `sitemap.xml` with `hreflang` alternates, and `robots.txt`.
//! - [`feed`]: an Atom feed per language of what changed.
//! - [`search`]: the search index per language, in small files: the search box loads the few a
//!   query needs, and only when it is used.
//! - [`hsds`]: the Open Referral HSDS 3.0 export and the CSV of services.
//! - here: the security headers for static hosts and nginx, and the adapters of the browser
//!   editor's files ([`crate::editor`]) and the leaflets ([`crate::leaflet`]).

pub mod feed;
pub mod hsds;
pub mod jsonld;
pub mod search;
pub mod sitemap;

use crate::resolve::Site;
use std::borrow::Cow;
use std::io::{self, Write};

/// What writing outputs gave: the files of the sets written, and the paths that could not be
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

/// One kind of output the build makes from the resolved site, besides the pages (which the
/// `render` and `rewrite` stages make, with the JSON-LD of [`jsonld`] in them): its name, the
/// files it makes and how they are fingerprinted. Every output is listed in [`OUTPUTS`]; the
/// build writes them, `serve` serves them, and neither names one.
pub trait Output: Sync {
    /// What it is, in a word or two.
    fn name(&self) -> &'static str;
    /// How the build tells that its files are the same as last time.
    fn fingerprint(&self) -> Fingerprint {
        Fingerprint::Site
    }
    /// Its files, not made yet: where each goes and how it is made.
    fn files<'a>(&self, input: &Input<'a>) -> Vec<Export<'a>>;
}

/// How an output's files are fingerprinted for incremental builds (see [`crate::deps`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fingerprint {
    /// By the whole site ([`crate::deps::exports`]): made again when any input changed; a set of
    /// files named by their content is made again by every build that makes anything.
    Site,
    /// By the bytes made: the output makes them every build (cheaply), and a file is written
    /// only when its bytes changed.
    Bytes,
}

/// What the outputs are made from: the resolved site, and what the build made before the pages
/// (the leaflets, whose size the pages show).
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub site: &'a Site,
    pub leaflets: &'a [crate::leaflet::Leaflet],
}

impl<'a> Input<'a> {
    /// The site alone, without leaflets (`serve` makes each leaflet when it is asked for).
    pub fn site(site: &'a Site) -> Self {
        Input { site, leaflets: &[] }
    }
}

/// Every output of the site. To add one: write its module (under `export/` when it is made from
/// the model alone), implement [`Output`] for it and list it here; give it a snapshot test in
/// `tests/suite/outputs.rs`.
pub static OUTPUTS: &[&dyn Output] =
    &[&sitemap::Sitemap, &Headers, &feed::Feeds, &search::Search, &hsds::Data, &Editor, &Leaflets];

/// The security headers for static hosts and nginx.
struct Headers;

impl Output for Headers {
    fn name(&self) -> &'static str {
        "security headers"
    }
    fn files<'a>(&self, input: &Input<'a>) -> Vec<Export<'a>> {
        let site = input.site;
        vec![
            Export::text("_headers".into(), move || headers_file(site)),
            Export::text("nginx-security-headers.conf".into(), move || nginx_snippet(site)),
        ]
    }
}

/// The browser editor's files ([`crate::editor::files`]), when site.toml has `[editor]`.
struct Editor;

impl Output for Editor {
    fn name(&self) -> &'static str {
        "browser editor"
    }
    fn files<'a>(&self, input: &Input<'a>) -> Vec<Export<'a>> {
        crate::editor::files(input.site)
            .into_iter()
            .map(|(path, write)| Export { path, make: Make::One(write) })
            .collect()
    }
}

/// The home-visit leaflets ([`crate::leaflet`]), made before the pages (the pages show their
/// size; see `pipeline::build`); the leaflet cache makes them cheaply, so they are compared by
/// their bytes.
struct Leaflets;

impl Output for Leaflets {
    fn name(&self) -> &'static str {
        "leaflets"
    }
    fn fingerprint(&self) -> Fingerprint {
        Fingerprint::Bytes
    }
    fn files<'a>(&self, input: &Input<'a>) -> Vec<Export<'a>> {
        input.leaflets.iter().map(|l| Export { path: l.path.clone(), make: Make::Made(&l.bytes) }).collect()
    }
}

/// Writes a file's content.
type Writer<'a> = Box<dyn Fn(&mut dyn Write) -> io::Result<()> + Send + Sync + 'a>;

/// Makes a set of files: (path under the output, bytes).
type Maker<'a> = Box<dyn Fn() -> Vec<(String, Vec<u8>)> + Send + Sync + 'a>;

/// One file of an output, or a set of them: its path under the output (for a set, the file that
/// leads to the others, whose names depend on their content), and how the content is made.
pub struct Export<'a> {
    pub path: String,
    pub make: Make<'a>,
}

/// How an [`Export`]'s content is made.
pub enum Make<'a> {
    /// Written as it is made (the big ones, sitemaps of many pages and the HSDS documents, are
    /// never held whole in memory).
    One(Writer<'a>),
    /// A set of files made together.
    Set(Maker<'a>),
    /// Bytes made already.
    Made(&'a [u8]),
}

impl<'a> Export<'a> {
    /// A file made as a string.
    pub fn text(path: String, make: impl Fn() -> String + Send + Sync + 'a) -> Self {
        Export { path, make: Make::One(Box::new(move |w| w.write_all(make().as_bytes()))) }
    }
    /// A file written as it is made.
    pub fn stream(path: String, write: impl Fn(&mut dyn Write) -> io::Result<()> + Send + Sync + 'a) -> Self {
        Export { path, make: Make::One(Box::new(write)) }
    }
    /// Whether it is a set of files.
    pub fn is_set(&self) -> bool {
        matches!(self.make, Make::Set(_))
    }
    /// The files, in memory: (path under the output, content); bytes made already are not
    /// copied.
    pub fn into_files(self) -> Vec<(String, Cow<'a, [u8]>)> {
        match self.make {
            Make::One(write) => {
                let mut bytes = Vec::new();
                // Writing into memory cannot fail.
                let _ = write(&mut bytes);
                vec![(self.path, Cow::Owned(bytes))]
            }
            Make::Set(make) => make().into_iter().map(|(p, b)| (p, Cow::Owned(b))).collect(),
            Make::Made(bytes) => vec![(self.path, Cow::Borrowed(bytes))],
        }
    }
}

/// The files of every output, not made yet, each with how its output is fingerprinted. Each is a
/// pass over the catalogue of its own, made side by side with the others by [`write`] or
/// [`files`].
pub fn all<'a>(input: &Input<'a>) -> Vec<(Fingerprint, Export<'a>)> {
    OUTPUTS.iter().flat_map(|o| o.files(input).into_iter().map(|e| (o.fingerprint(), e))).collect()
}

/// The paths the outputs of the site write, without making them (for `serve`, which makes them
/// when first asked for after an edit). Of a set of files, only the one that leads to the others
/// (the search index's entry): the others are named by their content, so a new name is only ever
/// asked for after its entry was made.
pub fn names(site: &Site) -> Vec<String> {
    all(&Input::site(site)).into_iter().map(|(_, e)| e.path).collect()
}

/// Every file of the site's outputs in memory: (path under the output, content). For `serve`;
/// the build writes them with [`write`].
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    use rayon::prelude::*;
    all(&Input::site(site))
        .into_par_iter()
        .flat_map_iter(|(_, e)| e.into_files().into_iter().map(|(p, b)| (p, b.into_owned())))
        .collect()
}

/// Writes `exports` into files opened by `create` (given the path under the output), side by
/// side. Returns the paths of the files the sets among them were made of and the paths that
/// could not be written, with why.
pub fn write(exports: Vec<Export<'_>>, create: &(dyn Fn(&str) -> io::Result<std::fs::File> + Sync)) -> Written {
    use rayon::prelude::*;
    let results: Vec<Written> = exports
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
            Make::Made(bytes) => {
                let written = create(&e.path).and_then(|mut f| f.write_all(bytes));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every output of the example site writes files of its own (none overwrites another's),
    /// the leaflets only when the build hands them over, and compared by their bytes.
    #[test]
    fn outputs_write_files_of_their_own() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, _, _) = crate::pipeline::load_site(root, None).expect("the example site loads");
        let leaflet = crate::leaflet::Leaflet {
            path: "leaflets/lt/a.pdf".into(),
            lang: "lt".into(),
            variant: "standard",
            bytes: b"%PDF".to_vec(),
            pages: 1,
            title: "A".into(),
            url: site.config.base_url.clone(),
            print: None,
        };
        let leaflets = [leaflet];
        let all = all(&Input { site: &site, leaflets: &leaflets });
        let mut seen = std::collections::HashSet::new();
        for (_, e) in &all {
            assert!(seen.insert(e.path.as_str()), "two outputs write {}", e.path);
        }
        for o in OUTPUTS.iter().filter(|o| o.name() != "browser editor") {
            assert!(!o.files(&Input::site(&site)).is_empty() || o.name() == "leaflets", "{} makes nothing", o.name());
        }
        let by_bytes: Vec<&str> =
            all.iter().filter(|(by, _)| *by == Fingerprint::Bytes).map(|(_, e)| e.path.as_str()).collect();
        assert_eq!(by_bytes, ["leaflets/lt/a.pdf"]);
        assert!(!names(&site).iter().any(|n| n.starts_with("leaflets/")), "serve makes leaflets when asked for");
        // What serve is given holds every named file, the files of the search index's sets too.
        let made: std::collections::HashSet<String> = files(&site).into_iter().map(|(p, _)| p).collect();
        assert!(names(&site).iter().all(|n| made.contains(n)));
        assert!(made.len() > names(&site).len(), "the search index's sets have more than their entries");
    }
}
