//! Home-visit leaflets: print-ready, accessible PDFs of every service, the charter and the quality
//! policy, per language, standard and easy-read.
//!
//! Owns which leaflets a site has ([`data::jobs`]), the data each layout receives ([`data::Data`],
//! served to Typst as `data.json`), the Typst engine shared by all leaflets of a run
//! ([`world::Engine`]), the PDF settings of the two versions (the screen version is tagged PDF/UA-1,
//! the print-shop version has 3 mm bleed, optional crop marks and a manifest), and the QR code.
//! [`publish`] is the `leaflets` command. The look lives in the theme (`themes/<theme>/leaflet/*.typ`), the fonts in
//! `themes/<theme>/fonts/`; nothing here decides how a leaflet looks.

mod data;
mod pdfbox;
mod publish;
mod qr;
mod text;
mod world;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::resolve::Site;
use std::collections::BTreeMap;
use std::path::Path;
use world::Engine;

pub use publish::{PublishOptions, Published, publish};

/// How leaflets are made.
#[derive(Debug, Clone, Default)]
pub struct LeafletOptions {
    /// Print-shop version: 3 mm bleed on every page (TrimBox and BleedBox set), no PDF/UA.
    pub print_shop: bool,
    /// With `print_shop`: crop marks outside the bleed, on a sheet larger than the trim size.
    pub crop_marks: bool,
    /// `None`: the format of site.toml, else A5.
    pub format: Option<Format>,
}

/// The size and fold of a leaflet (a setting of site.toml, so it lives in [`crate::config`]).
pub use crate::config::LeafletFormat as Format;

/// Bleed of the print-shop version, in millimetres.
pub const BLEED_MM: f64 = 3.0;
/// How far crop marks reach beyond the bleed (1 mm gap and a 5 mm mark), in millimetres; the
/// layouts use the same figure.
pub const SLUG_MM: f64 = 6.0;

/// Stack size of the threads that lay leaflets out (address space; only what is used is touched).
const LAYOUT_STACK: usize = 16 << 20;

/// How a print-shop file is bound or folded, which its page count decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// One sheet, printed on one or both sides.
    SingleSheet,
    /// One sheet folded once: four pages (A5 pages on an A4 sheet, A4 pages on A3).
    FoldedSheet,
    /// Sheets folded and stapled on the fold: eight pages or more, a multiple of four.
    SaddleStitched,
    /// One A4 sheet, both sides, folded in three: six panels.
    Trifold,
}

impl Binding {
    /// What the print shop is told (the manifest's `binding`).
    pub fn describe(self) -> &'static str {
        match self {
            Binding::SingleSheet => "single sheet",
            Binding::FoldedSheet => "folded sheet",
            Binding::SaddleStitched => "saddle-stitched booklet",
            Binding::Trifold => "trifold",
        }
    }

    /// The binding of a file of `pages` pages in `format`, if the count suits one: a tri-fold is
    /// its own; otherwise one or two pages are a single sheet, four a folded sheet, and eight or
    /// more, in fours, a saddle-stitched booklet.
    pub fn of(format: Format, pages: usize) -> Option<Binding> {
        match (format, pages) {
            (Format::A4Trifold, 2) => Some(Binding::Trifold),
            (Format::A4Trifold, _) => None,
            (_, 1 | 2) => Some(Binding::SingleSheet),
            (_, 4) => Some(Binding::FoldedSheet),
            (_, n) if n > 4 && n % 4 == 0 => Some(Binding::SaddleStitched),
            _ => None,
        }
    }

    /// The fewest pages at or above `pages` that a binding takes.
    fn pages_at_least(format: Format, pages: usize) -> usize {
        (pages..).find(|&n| Binding::of(format, n).is_some()).unwrap_or(pages)
    }

    /// The most pages below `pages` that a binding takes, if any.
    fn pages_below(format: Format, pages: usize) -> Option<usize> {
        (1..pages).rev().find(|&n| Binding::of(format, n).is_some())
    }
}

/// How a print-shop file was laid out to suit its binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintLayout {
    pub binding: Binding,
    /// The text was set a little closer to fit fewer pages.
    pub tight: bool,
    /// Pages for the reader's notes and phone numbers.
    pub notes_pages: usize,
    /// Empty pages added at the end.
    pub blank_pages: usize,
}

/// One finished leaflet.
#[derive(Debug, Clone)]
pub struct Leaflet {
    /// Path under the output folder, e.g. `leaflets/lt/paslaugos-pagalba-i-namus.pdf`
    /// (print-shop versions: `leaflets/print/lt/...`).
    pub path: String,
    pub lang: String,
    /// `standard` or `easy-read`.
    pub variant: &'static str,
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub title: String,
    /// The page online the leaflet belongs to (its QR code).
    pub url: String,
    /// Print-shop files: how the file is bound and what its layout did to suit it.
    pub print: Option<PrintLayout>,
}

/// Every leaflet of the site: one per service, the charter and the quality policy, per language,
/// standard and easy-read (where an easy-read version exists). Made in parallel (rayon).
pub fn make_all(site: &Site, root: &Path, opts: &LeafletOptions) -> Result<Vec<Leaflet>, Diagnostics> {
    let kit = Kit::load(site, root)?;
    let made = make_jobs(site, opts, &kit);
    if made.is_ok() {
        kit.clean_cache();
    }
    made
}

/// Every leaflet of the site, made with `kit`.
fn make_jobs(site: &Site, opts: &LeafletOptions, kit: &Kit) -> Result<Vec<Leaflet>, Diagnostics> {
    let jobs = data::jobs(site, opts);
    // Leaflets are made by plain threads with big stacks, one per core, taking jobs in turn. Not
    // rayon: typst uses rayon inside, and a rayon worker waiting for that inner work steals other
    // leaflets and lays them out on top of its own stack; on long texts the 2 MiB stacks
    // overflowed. A thread outside rayon's pool waits without stealing.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len().max(1));
    let mut results: Vec<(usize, Result<Leaflet, Diagnostics>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                std::thread::Builder::new().stack_size(LAYOUT_STACK).spawn_scoped(s, || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break done };
                        done.push((i, kit.make(site, opts, job)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| match w {
                Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                Err(e) => vec![(
                    usize::MAX,
                    Err(crate::error::Error::system("cannot start a thread", e)
                        .into_diagnostic(Code::Leaflet, Location::file("(leaflets)"))
                        .into()),
                )],
            })
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    let results = results.into_iter().map(|(_, r)| r);
    // Typst memoises across compilations; keep `serve` from growing without bound.
    typst::comemo::evict(10);
    let mut leaflets = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::default();
    for r in results {
        match r {
            Ok(l) => leaflets.push(l),
            Err(d) => diags.extend(d),
        }
    }
    // The same layout error would otherwise be reported once per leaflet.
    let mut seen = std::collections::HashSet::new();
    diags.items.retain(|d: &Diagnostic| seen.insert((d.location.clone(), d.message.clone())));
    if diags.items.is_empty() { Ok(leaflets) } else { Err(diags) }
}

/// One leaflet (for serve's lazy rebuild): the leaflet whose `path` is given.
pub fn make_one(site: &Site, root: &Path, opts: &LeafletOptions, path: &str) -> Option<Result<Leaflet, Diagnostics>> {
    let path = path.trim_start_matches('/');
    let job = data::jobs(site, opts).into_iter().find(|j| j.path == path)?;
    let make = || Kit::load(site, root).and_then(|kit| kit.make(site, opts, &job));
    let result =
        std::thread::scope(|s| match std::thread::Builder::new().stack_size(LAYOUT_STACK).spawn_scoped(s, make) {
            Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => make(),
        });
    typst::comemo::evict(10);
    Some(result)
}

/// The paths of every leaflet the site has with these options, without making them (for links
/// from pages and for serve).
pub fn paths(site: &Site, opts: &LeafletOptions) -> Vec<(String, String, &'static str)> {
    data::jobs(site, opts).into_iter().map(|j| (j.path.clone(), j.url.clone(), j.variant())).collect()
}

/// print-manifest.json and .csv contents for print-shop mode: file, language, variant, trim size,
/// bleed, pages, how the file is bound or folded (and what its layout did for that), SHA-256.
/// Files are named relative to the `leaflets/` folder the manifest is in.
pub fn manifest(leaflets: &[Leaflet], opts: &LeafletOptions) -> (String, String) {
    use sha2::{Digest, Sha256};
    let format = opts.format.unwrap_or_default();
    let mut rows = Vec::new();
    let mut csv = String::from(
        "file,language,variant,trim_size,bleed_mm,pages,sha256,binding,tight_layout,notes_pages,blank_pages\n",
    );
    for l in leaflets {
        let file = l.path.strip_prefix("leaflets/").unwrap_or(&l.path).to_string();
        let sha: String = Sha256::digest(&l.bytes).iter().map(|b| format!("{b:02x}")).collect();
        // What the file really is (its first page's boxes), not what was asked for.
        let (w, h, bleed) = match pdfbox::first_page_boxes(&l.bytes) {
            Some(b) => {
                let mm = |pt: f64| pt / 72.0 * 25.4;
                let bleed = (mm(b.trim[0] - b.bleed[0]) * 10.0).round() / 10.0;
                (mm(b.trim[2] - b.trim[0]).round() as u32, mm(b.trim[3] - b.trim[1]).round() as u32, bleed)
            }
            None => {
                let (w, h) = format.trim_mm();
                (w, h, if opts.print_shop { BLEED_MM } else { 0.0 })
            }
        };
        let trim = if format == Format::A4Trifold && (w, h) == Format::A4Trifold.trim_mm() {
            format!("{w}x{h} mm (folds to 99x{h} mm)")
        } else {
            format!("{w}x{h} mm")
        };
        // What the page count makes of the file, when the layout did not say (screen versions).
        let print = l.print.or_else(|| {
            Binding::of(format_of(w, h, format), l.pages).map(|binding| PrintLayout {
                binding,
                tight: false,
                notes_pages: 0,
                blank_pages: 0,
            })
        });
        let binding = print.map_or("", |p| p.binding.describe());
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            csv_field(&file),
            csv_field(&l.lang),
            l.variant,
            csv_field(&trim),
            bleed,
            l.pages,
            sha,
            binding,
            print.is_some_and(|p| p.tight),
            print.map_or(0, |p| p.notes_pages),
            print.map_or(0, |p| p.blank_pages),
        ));
        rows.push(serde_json::json!({
            "file": file,
            "language": l.lang,
            "variant": l.variant,
            "title": l.title,
            "trim_size": trim,
            "trim_mm": [w, h],
            "bleed_mm": bleed,
            "crop_marks": opts.print_shop && opts.crop_marks,
            "pages": l.pages,
            "binding": binding,
            "sheets": print.map(|p| sheets(p.binding, l.pages)),
            "tight_layout": print.is_some_and(|p| p.tight),
            "notes_pages": print.map_or(0, |p| p.notes_pages),
            "blank_pages": print.map_or(0, |p| p.blank_pages),
            "bytes": l.bytes.len(),
            "sha256": sha,
        }));
    }
    let json = serde_json::json!({ "format": format.key(), "files": rows });
    (serde_json::to_string_pretty(&json).unwrap_or_default() + "\n", csv)
}

/// The format a file of `w` x `h` mm is (the easy-read leaflets of a tri-fold run are A4 pages).
fn format_of(w: u32, h: u32, asked: Format) -> Format {
    [Format::A5, Format::A4, Format::A4Trifold].into_iter().find(|f| f.trim_mm() == (w, h)).unwrap_or(asked)
}

/// Sheets of paper a copy takes: one for a single or folded sheet or a tri-fold, a sheet per four
/// pages for a booklet.
fn sheets(binding: Binding, pages: usize) -> usize {
    match binding {
        Binding::SaddleStitched => pages.div_ceil(4),
        _ => 1,
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// The theme's leaflet strings of one language: key -> (text, the language it is written in: the
/// default language's while the key is not translated).
pub type Strings = BTreeMap<String, (String, String)>;

/// The leaflet strings of each language.
type LangStrings = BTreeMap<String, Strings>;

/// What every leaflet of a run shares: the Typst engine, the theme's leaflet strings and the
/// cache of finished leaflets.
struct Kit {
    engine: Engine,
    /// Leaflet strings of the theme per language (`themes/<theme>/leaflet/strings.toml`).
    strings: BTreeMap<String, Strings>,
    /// `.skaidra-cache/leaflets/` of the site.
    cache: std::path::PathBuf,
    /// The cache entries this run used.
    used: std::sync::Mutex<std::collections::HashSet<String>>,
}

/// How long a cache entry no run has used is kept (a leaflet of other options, or one `serve`
/// made for a version of a text that changed again).
const CACHE_KEEP: std::time::Duration = std::time::Duration::from_secs(24 * 3600);
/// The cache entry's head: five little-endian u64 numbers before the PDF.
const CACHE_HEAD: usize = 40;
/// The bindings in a cache entry's head, by their number (one more than the place here).
const CACHED_BINDINGS: [Binding; 4] =
    [Binding::SingleSheet, Binding::FoldedSheet, Binding::SaddleStitched, Binding::Trifold];

impl Kit {
    fn load(site: &Site, root: &Path) -> Result<Kit, Diagnostics> {
        let engine = Engine::load(root, &site.config.theme)?;
        let strings = match engine.real_path("/strings.toml") {
            Some(rel) => load_strings(root, rel, site)?.0,
            None => BTreeMap::new(),
        };
        let cache = root.join(".skaidra-cache").join("leaflets");
        Ok(Kit { engine, strings, cache, used: Default::default() })
    }

    /// The cache's file name for a leaflet made from exactly these inputs: the binary, the theme's
    /// fonts, layouts and pictograms, the strings, the leaflet's data and QR code, its layout,
    /// format and options, and its path (named in the PDF).
    #[allow(clippy::too_many_arguments)]
    fn cache_key(
        &self,
        job: &data::Job,
        opts: &LeafletOptions,
        format: Format,
        strings: &Strings,
        json: &[u8],
        qr: &[u8],
    ) -> String {
        let mut h = crate::manifest::Hasher::new();
        h.str(crate::manifest::BUILD_ID).hash(self.engine.hash).debug(strings).bytes(json).bytes(qr);
        h.str(job.layout()).str(format.key()).u64(u64::from(opts.print_shop)).u64(u64::from(opts.crop_marks));
        h.str(&job.path);
        format!("{:032x}.pdf", h.finish())
    }

    /// A leaflet from the cache: its page count, print layout and bytes.
    fn cached(&self, key: &str) -> Option<(usize, Option<PrintLayout>, Vec<u8>)> {
        let path = self.cache.join(key);
        let bytes = std::fs::read(&path).ok()?;
        let (head, body) = (bytes.get(..CACHE_HEAD)?, &bytes[CACHE_HEAD..]);
        let word = |i: usize| head.get(i * 8..i * 8 + 8).and_then(|w| w.try_into().ok()).map(u64::from_le_bytes);
        let pages = word(0)? as usize;
        let binding = match word(1)? {
            0 => None,
            code => Some(*CACHED_BINDINGS.get(usize::try_from(code - 1).ok()?)?),
        };
        let print = binding.map(|binding| PrintLayout {
            binding,
            tight: word(2) == Some(1),
            notes_pages: word(3).unwrap_or(0) as usize,
            blank_pages: word(4).unwrap_or(0) as usize,
        });
        // Used now: kept by the cleaning.
        if let Ok(f) = std::fs::File::options().write(true).open(&path) {
            let _ = f.set_modified(std::time::SystemTime::now());
        }
        Some((pages, print, body.to_vec()))
    }

    /// Keeps a finished leaflet (a failure to write only costs time later): a head of five
    /// numbers (pages, binding, tight, notes pages, blank pages), then the PDF.
    fn keep(&self, key: &str, pages: usize, print: Option<PrintLayout>, bytes: &[u8]) {
        // 0 for none, else the binding's place in CACHED_BINDINGS plus one.
        let binding =
            print.and_then(|p| CACHED_BINDINGS.iter().position(|&b| b == p.binding)).map_or(0, |i| i as u64 + 1);
        let head = [
            pages as u64,
            binding,
            u64::from(print.is_some_and(|p| p.tight)),
            print.map_or(0, |p| p.notes_pages as u64),
            print.map_or(0, |p| p.blank_pages as u64),
        ];
        let mut all: Vec<u8> = head.iter().flat_map(|w| w.to_le_bytes()).collect();
        debug_assert_eq!(all.len(), CACHE_HEAD);
        all.extend_from_slice(bytes);
        let _ = crate::write::replace_file(&self.cache.join(key), &all, false);
    }

    /// Removes the cache entries this run did not use and none used for a day.
    fn clean_cache(&self) {
        let used = self.used.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Ok(entries) = std::fs::read_dir(&self.cache) else { return };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let old = e.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
            if !used.contains(&name) && old.is_none_or(|age| age > CACHE_KEEP) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }

    fn make(&self, site: &Site, opts: &LeafletOptions, job: &data::Job) -> Result<Leaflet, Diagnostics> {
        let mut format = opts.format.unwrap_or(site.config.leaflets.format);
        if job.easy && format == Format::A4Trifold {
            // At 16 pt an easy-read text does not fit six narrow panels, and easy-read guidance
            // asks for pages that are turned, not unfolded: the easy-read variant is A4 portrait
            // (the same paper). The manifest reads each file's real trim size.
            format = Format::A4;
        }
        let fallback = BTreeMap::new();
        let strings = self.strings.get(&job.lang).unwrap_or(&fallback);
        let has_pictogram = |name: &str| self.engine.real_path(&format!("/pictograms/{name}.svg")).is_some();
        let (mut data, qr) = data::build(site, job, opts, format, strings, &has_pictogram)
            .map_err(|e| Diagnostics::from(e.into_diagnostic(Code::Leaflet, Location::file(&job.source))))?;
        let layout = job.layout();
        if !self.engine.has_layout(layout) {
            return Err(Diagnostic::error(
                Code::LeafletLayout,
                Location::file(self.engine.layout_dir.join(layout.trim_start_matches('/'))),
                "the theme has no such leaflet layout",
            )
            .with_hint("copy it from Skaidra's default theme (themes/default/leaflet/)")
            .into());
        }
        let qr = qr.into_bytes();
        let json = serde_json::to_vec(&data).map_err(|e| {
            Diagnostics::from(Diagnostic::error(Code::Leaflet, Location::file(&job.source), e.to_string()))
        })?;
        let key = self.cache_key(job, opts, format, strings, &json, &qr);
        self.used.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(key.clone());
        let finished = |bytes: Vec<u8>, pages: usize, print: Option<PrintLayout>| Leaflet {
            path: job.path.clone(),
            lang: job.lang.clone(),
            variant: job.variant(),
            bytes,
            pages,
            title: job.title.clone(),
            url: job.url.clone(),
            print,
        };
        if let Some((pages, print, bytes)) = self.cached(&key) {
            return Ok(finished(bytes, pages, print));
        }
        let mut doc = self.engine.compile(layout, vec![("/data.json", json), ("/qr.svg", qr.clone())], &job.source)?;
        let mut compile = |booklet: Option<data::Booklet>| {
            data.print.booklet = booklet;
            let json = serde_json::to_vec(&data).map_err(|e| {
                Diagnostics::from(Diagnostic::error(Code::Leaflet, Location::file(&job.source), e.to_string()))
            })?;
            self.engine.compile(layout, vec![("/data.json", json), ("/qr.svg", qr.clone())], &job.source)
        };
        let mut print = None;
        if opts.print_shop && format != Format::A4Trifold {
            let (booklet_doc, layout) = fit_binding(format, doc, &mut compile)?;
            doc = booklet_doc;
            print = Some(layout);
        }
        let pages = doc.pages().len();
        if opts.print_shop && format == Format::A4Trifold && pages == 2 {
            print = Some(PrintLayout { binding: Binding::Trifold, tight: false, notes_pages: 0, blank_pages: 0 });
        }
        if format == Format::A4Trifold && pages > 2 {
            return Err(Diagnostic::error(
                Code::LeafletOverflow,
                Location::file(&job.source),
                format!("the text does not fit on a tri-fold leaflet ({pages} pages instead of 2)"),
            )
            .with_hint("shorten the text, or choose format = \"a5\" or \"a4\" under [leaflets] in site.toml")
            .into());
        }
        let standards = if opts.print_shop {
            typst_pdf::PdfStandards::default()
        } else {
            typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::Ua_1, typst_pdf::PdfStandard::A_2a])
                .expect("PDF/UA-1 and PDF/A-2a are compatible")
        };
        let options = typst_pdf::PdfOptions {
            ident: typst::foundations::Smart::Custom(job.path.clone()),
            creator: typst::foundations::Smart::Custom(Some("Skaidra".to_string())),
            timestamp: None,
            page_ranges: None,
            standards,
            tagged: true,
            pretty: false,
        };
        let mut bytes = typst_pdf::pdf(&doc, &options).map_err(|e| world::export_diagnostics(&e, &job.source))?;
        if opts.print_shop {
            // Typst writes the TrimBox; the BleedBox (trim + 3 mm) is added here, which matters
            // when crop marks make the sheet larger than the bleed.
            let bleed = BLEED_MM / 25.4 * 72.0;
            bytes = pdfbox::set_bleed_box(&bytes, bleed)
                .map_err(|e| Diagnostics::from(e.into_diagnostic(Code::LeafletPdf, Location::file(&job.source))))?;
        }
        self.keep(&key, pages, print, &bytes);
        Ok(finished(bytes, pages, print))
    }
}

/// Lays a print-shop leaflet out so its page count suits a binding (see [`Binding::of`]), from
/// its natural layout `doc`: as it is when it does; else set a little closer when that reaches
/// the count below (a leaflet a page or two over); else on more pages: each easy-read section
/// kept on one page, the back part (contacts, QR code) on the last page, and pages for the
/// reader's notes, phone numbers and appointments before it; else, the last resort, with empty
/// pages at the end. `compile` lays the leaflet out with a booklet plan.
fn fit_binding(
    format: Format,
    doc: typst_layout::PagedDocument,
    compile: &mut impl FnMut(Option<data::Booklet>) -> Result<typst_layout::PagedDocument, Diagnostics>,
) -> Result<(typst_layout::PagedDocument, PrintLayout), Diagnostics> {
    let n = doc.pages().len();
    let layout = |binding, plan: data::Booklet| PrintLayout {
        binding,
        tight: plan.tight,
        notes_pages: plan.notes,
        blank_pages: 0,
    };
    if let Some(binding) = Binding::of(format, n) {
        return Ok((doc, layout(binding, data::Booklet::default())));
    }
    let target = Binding::pages_at_least(format, n);
    // A page or two over a count that suits: closer type may save them.
    if Binding::pages_below(format, n).is_some_and(|below| n - below <= 2) {
        let plan = data::Booklet { tight: true, ..Default::default() };
        let tight = compile(Some(plan))?;
        if tight.pages().len() < n
            && let Some(binding) = Binding::of(format, tight.pages().len())
        {
            return Ok((tight, layout(binding, plan)));
        }
    }
    // More pages, then: sections kept whole, the back part on the last page, the reader's pages
    // before it; sections may break across pages when keeping them whole takes more pages.
    let mut plan = data::Booklet { whole_sections: true, back_alone: true, ..Default::default() };
    let mut alone = compile(Some(plan))?;
    if Binding::pages_at_least(format, alone.pages().len()) > target {
        let breaking = data::Booklet { whole_sections: false, ..plan };
        let other = compile(Some(breaking))?;
        if Binding::pages_at_least(format, other.pages().len()) < Binding::pages_at_least(format, alone.pages().len()) {
            (plan, alone) = (breaking, other);
        }
    }
    let m = alone.pages().len();
    let target_alone = Binding::pages_at_least(format, m.max(target));
    let plan = data::Booklet { notes: target_alone - m, ..plan };
    let filled = if plan.notes == 0 { alone } else { compile(Some(plan))? };
    if filled.pages().len() == target_alone
        && let Some(binding) = Binding::of(format, target_alone)
    {
        return Ok((filled, layout(binding, plan)));
    }
    // The last resort (a layout that does not follow the plan): empty pages at the end of the
    // natural layout.
    let blank = with_blank_pages(&doc, target - n);
    let binding = Binding::of(format, target).unwrap_or(Binding::SaddleStitched);
    Ok((blank, PrintLayout { blank_pages: target - n, ..layout(binding, data::Booklet::default()) }))
}

/// `doc` with `k` empty pages at the end, of the size (and bleed) of its last page.
fn with_blank_pages(doc: &typst_layout::PagedDocument, k: usize) -> typst_layout::PagedDocument {
    use typst::model::Document;
    let blank = doc.pages().last().into_iter().flat_map(|last| {
        (1..=k).map(move |i| typst_layout::Page {
            frame: typst::layout::Frame::soft(last.frame.size()),
            number: last.number + i as u64,
            ..last.clone()
        })
    });
    typst_layout::PagedDocument::new(doc.pages().iter().cloned().chain(blank).collect(), doc.info().clone())
}

/// The leaflet strings the site's languages have not translated yet (each a `translation-missing`
/// warning, printed in the default language meanwhile), or what makes the file unusable. Nothing
/// when the theme has no strings.
pub fn string_gaps(root: &Path, site: &Site) -> Vec<Diagnostic> {
    let rel = Path::new("themes").join(&site.config.theme).join("leaflet").join("strings.toml");
    if !root.join(&rel).is_file() {
        return Vec::new();
    }
    match load_strings(root, &rel, site) {
        Ok((_, gaps)) => gaps,
        Err(d) => d.items,
    }
}

/// Reads `strings.toml` of the theme's leaflet folder (`rel`, from the site root): one table per
/// language of flat strings. The default language's table is needed; a language without a table,
/// or without some of its keys, gets the default language's words (returned as warnings).
fn load_strings(root: &Path, rel: &Path, site: &Site) -> Result<(LangStrings, Vec<Diagnostic>), Diagnostics> {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Diagnostics::from(Diagnostic::error(
            Code::LeafletStrings,
            Location::file(rel),
            format!("cannot read the file: {e}"),
        ))
    })?;
    let src = crate::diagnostics::SourceText::new(rel, text.clone());
    let strings = toml::from_str::<BTreeMap<String, BTreeMap<String, String>>>(&text).map_err(|e| {
        let loc = e.span().map(|s| src.location(s.start)).unwrap_or_else(|| Location::file(rel));
        Diagnostics::from(
            Diagnostic::error(
                Code::LeafletStrings,
                loc,
                format!("the leaflet strings cannot be read: {}", e.message()),
            )
            .with_hint("write one table per language, e.g. [lt] with key = \"text\" lines"),
        )
    })?;
    let default = site.config.default_lang();
    let Some(keys) = strings.get(default) else {
        return Err(Diagnostic::error(
            Code::LeafletStrings,
            Location::file(rel),
            format!("the leaflet strings have no [{default}] table"),
        )
        .with_hint(format!("add [{default}] with the words leaflets print in that language"))
        .into());
    };
    let mut gaps = Vec::new();
    let mut out = BTreeMap::new();
    for lang in site.config.lang_codes() {
        let own = strings.get(lang);
        let mut table = Strings::new();
        for (k, v) in keys {
            match own.and_then(|t| t.get(k)) {
                Some(x) => table.insert(k.clone(), (x.clone(), lang.to_string())),
                None => table.insert(k.clone(), (v.clone(), default.to_string())),
            };
        }
        out.insert(lang.to_string(), table);
        if lang == default {
            continue;
        }
        match own {
            None => gaps.push(
                Diagnostic::warning(
                    Code::TranslationMissing,
                    Location::file(rel),
                    format!("the leaflet strings have no [{lang}] table yet; leaflets in `{lang}` print the `{default}` words"),
                )
                .with_hint(format!("copy the [{default}] table as [{lang}] and translate it"))
                .in_lang(lang),
            ),
            Some(t) => {
                for k in keys.keys().filter(|k| !t.contains_key(*k)) {
                    let at =
                        text.find(&format!("[{lang}]")).map(|o| src.location(o)).unwrap_or_else(|| Location::file(rel));
                    gaps.push(
                        Diagnostic::warning(
                            Code::TranslationMissing,
                            at,
                            format!("[{lang}] has no `{k}` yet; leaflets in `{lang}` print the `{default}` words"),
                        )
                        .with_hint(format!("translate `{k}` from [{default}]"))
                        .in_lang(lang),
                    );
                }
            }
        }
    }
    Ok((out, gaps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_counts_and_their_bindings() {
        assert_eq!(Binding::of(Format::A5, 1), Some(Binding::SingleSheet));
        assert_eq!(Binding::of(Format::A5, 2), Some(Binding::SingleSheet));
        assert_eq!(Binding::of(Format::A5, 3), None);
        assert_eq!(Binding::of(Format::A5, 4), Some(Binding::FoldedSheet));
        assert_eq!(Binding::of(Format::A4, 6), None);
        assert_eq!(Binding::of(Format::A5, 8), Some(Binding::SaddleStitched));
        assert_eq!(Binding::of(Format::A5, 12), Some(Binding::SaddleStitched));
        assert_eq!(Binding::of(Format::A4Trifold, 2), Some(Binding::Trifold));
        assert_eq!(Binding::of(Format::A4Trifold, 4), None);
        assert_eq!(Binding::pages_at_least(Format::A5, 5), 8);
        assert_eq!(Binding::pages_at_least(Format::A5, 3), 4);
        assert_eq!(Binding::pages_below(Format::A5, 6), Some(4));
        assert_eq!(Binding::pages_below(Format::A5, 1), None);
        assert_eq!(sheets(Binding::SaddleStitched, 12), 3);
    }
}
