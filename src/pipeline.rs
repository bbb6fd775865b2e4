//! The build pipeline, end to end: load -> validate -> resolve -> render -> rewrite -> write.
//!
//! Owns the order of the stages, the timing of each, the checks that span the whole rendered site
//! (internal links and anchors in the generated HTML), and the safety rules for the output folder.
//! `check`, `serve` and `leaflets` call [`load_site`] to get the same resolved model. The outputs
//! besides the pages are written from the list [`crate::export::OUTPUTS`].

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::resolve::{OutPage, Site};
use crate::{config, i18n, load, manifest, render, resolve, rewrite, validate, write};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Options of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub strict: bool,
}

/// What a finished build reports.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub out: PathBuf,
    pub diagnostics: Diagnostics,
    pub timings: Timings,
    /// Why everything was made again, when it was for want of a usable build manifest.
    pub note: Option<String>,
    /// How many files were written (new or changed).
    pub written: usize,
    /// The site, templates and page facts the build was made from.
    pub leftovers: Leftovers,
}

/// The big values a build or a check was made from (the site, its templates, every page's facts),
/// handed back with its report. Dropped, they are freed; the command line, whose process ends
/// after reporting, forgets them ([`Leftovers::forget`]): freeing a big site one allocation at a
/// time takes longer than a build's swap.
pub struct Leftovers(Option<Box<dyn std::any::Any + Send>>);

impl Leftovers {
    pub fn new<T: Send + 'static>(values: T) -> Self {
        Leftovers(Some(Box::new(values)))
    }
    /// Nothing (a build that found nothing changed).
    pub fn none() -> Self {
        Leftovers(None)
    }
    /// Lets the values go without freeing them, for a process about to end.
    pub fn forget(self) {
        std::mem::forget(self)
    }
}

impl std::fmt::Debug for Leftovers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Leftovers(..)" } else { "Leftovers(none)" })
    }
}

/// How long each stage took, in order.
pub type Timings = Vec<(&'static str, Duration)>;

/// Loads, validates and resolves a site. Returns the site with its warnings, or all errors.
pub fn load_site(root: &Path, base_url: Option<&str>) -> Result<(Site, Diagnostics, Timings), Diagnostics> {
    let (site, diags, timings) = load_site_lenient(root, base_url, false)?;
    Ok((site, warnings_only(diags)?, timings))
}

/// The diagnostics of a load, as long as they are only warnings; all of them, sorted, otherwise.
fn warnings_only(mut diags: Diagnostics) -> Result<Diagnostics, Diagnostics> {
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    Ok(diags)
}

/// Like [`load_site`], but returns the site (without the items that failed) even when content
/// has errors, for `check`, which reports everything. Fails only when site.toml or i18n are
/// unusable. `for_check`: keep what `check` reads of each page's text (its marks and plain
/// text, see `model::Body`).
pub fn load_site_lenient(
    root: &Path,
    base_url: Option<&str>,
    for_check: bool,
) -> Result<(Site, Diagnostics, Timings), Diagnostics> {
    load_site_beside(root, base_url, for_check, |_| ()).map(|(site, diags, timings, ())| (site, diags, timings))
}

/// [`load_site_lenient`], with `beside` run on the thread pool while `resolve` works (resolve
/// keeps one core busy most of its time): given the site's configuration, it prepares what the
/// next stage needs (the templates), and its result is returned with the site.
#[allow(clippy::type_complexity)]
pub fn load_site_beside<R: Send>(
    root: &Path,
    base_url: Option<&str>,
    for_check: bool,
    beside: impl FnOnce(&config::Config) -> R + Send,
) -> Result<(Site, Diagnostics, Timings, R), Diagnostics> {
    let mut timings = Vec::new();
    let t = Instant::now();
    let mut config = config::load(root)?;
    config.markdown.for_check = for_check;
    if let Some(u) = base_url {
        config
            .set_base_url(u)
            .map_err(|e| Diagnostics::from(e.into_diagnostic(Code::Config, Location::file("--base-url"))))?;
    }
    let strings = i18n::load(root, &config);
    let (found, mut diags) = load::find(root);
    diags.items.extend(check_symlinks(root, &config.theme));
    // Placeholders in site.toml (its `base_url` is not published when `--base-url` replaces it).
    if let Ok(src) = crate::source::read_text(root, &root.join("site.toml")) {
        let skip: &[&str] = if base_url.is_some() { &["base_url"] } else { &[] };
        diags.items.extend(crate::lint::placeholders::scan(&src, skip));
    }
    let strings = match strings {
        Ok(s) => s,
        Err(d) => {
            diags.extend(d);
            return Err(diags);
        }
    };
    // Load and validate, item by item: each item's files are read, validated and dropped.
    let items = found.items.into_par_iter().map(|f| load::read(root, f, &config));
    let (mut content, d) = validate::validate(found.taxonomies.as_ref(), items, &config);
    content.root = root.to_path_buf();
    diags.extend(d);
    timings.push(("load and validate", t.elapsed()));
    let t = Instant::now();
    let config_beside = config.clone();
    let ((site, d), r) = rayon::join(|| resolve::resolve(config, strings, content), || beside(&config_beside));
    diags.extend(d);
    timings.push(("resolve", t.elapsed()));
    Ok((site, diags, timings, r))
}

/// What the rewrite learnt of each page, by page index (nothing for a page that failed).
#[derive(Default)]
pub struct Facts(Vec<Option<rewrite::PageFacts>>);

impl Facts {
    /// The facts of the page at `page` (an index into `Site::pages`).
    pub fn get(&self, page: usize) -> Option<&rewrite::PageFacts> {
        self.0.get(page)?.as_ref()
    }
    /// How many pages the facts are for (every page of the site).
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The facts of a page that has them; panics for a page that failed, as a list does for an index
/// out of range (for tests, which know their pages rendered).
impl std::ops::Index<usize> for Facts {
    type Output = rewrite::PageFacts;
    fn index(&self, page: usize) -> &rewrite::PageFacts {
        self.get(page).expect("the page has facts")
    }
}

/// Renders and rewrites every page (in parallel), handing each finished page to `sink` (which
/// writes it, or nothing for `check`). Returns what the rewrite learnt about each page.
pub fn render_all(
    site: &Site,
    templates: &render::Templates,
    sink: &(dyn Fn(&OutPage, &str) -> Result<(), Diagnostic> + Sync),
    diags: &mut Diagnostics,
) -> Facts {
    let results = site
        .pages
        .par_iter()
        // Each thread keeps its template context and its two page buffers (see `render::Shared`).
        .map_init(
            || (render::Shared::default(), Vec::new()),
            |(shared, out), page| {
                let html = render::render_page_in(site, templates, page, shared)?;
                let facts = rewrite::rewrite_into(site, &page.lang, html, out).map_err(|e| rewrite_failed(page, e))?;
                let rewritten = std::str::from_utf8(out)
                    .map_err(|e| rewrite_failed(page, crate::error::Error::library(rewrite::FAILED, e)))?;
                sink(page, rewritten)?;
                Ok(facts)
            },
        );
    gather_facts(site, results, diags)
}

/// The error of a page that lol_html could not process.
pub fn rewrite_failed(page: &OutPage, e: crate::error::Error) -> Diagnostic {
    e.into_diagnostic(Code::Rewrite, page_loc(page))
}

/// Collects what the rewrite learnt of each page, reporting failed pages and `@/` links that
/// point at nothing. `results` has one entry per page of the site, in order.
///
/// The facts are written straight into their place on the thread pool: collecting them
/// elsewhere first and moving them into a map (47,000 pages at 10,000 services) was a tenth of
/// a second on one core, most of it the kernel handing out fresh memory.
pub fn gather_facts(
    site: &Site,
    results: impl IndexedParallelIterator<Item = Result<rewrite::PageFacts, Diagnostic>>,
    diags: &mut Diagnostics,
) -> Facts {
    let failed = std::sync::Mutex::new(Vec::new());
    let facts: Vec<Option<rewrite::PageFacts>> = results
        .enumerate()
        .map(|(i, r)| match r {
            // Kept for every page until the site-wide checks.
            Ok(mut f) => {
                f.shrink_to_fit();
                Some(f)
            }
            Err(d) => {
                failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((i, d));
                None
            }
        })
        .collect();
    let mut failed = failed.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    failed.sort_by_key(|(i, _)| *i);
    let mut failed = failed.into_iter().peekable();
    for (i, f) in facts.iter().enumerate() {
        while let Some((_, d)) = failed.next_if(|(j, _)| *j == i) {
            diags.push(d);
        }
        for u in f.iter().flat_map(|f| &f.unresolved) {
            // Links written in content were reported with their place by `resolve`.
            let quoted = format!("`{u}`");
            if diags.items.iter().any(|d| d.code == Code::BrokenLink && d.message.contains(&quoted)) {
                continue;
            }
            diags.push(
                Diagnostic::error(
                    Code::BrokenLink,
                    page_loc(&site.pages[i]),
                    format!("the link `{u}` points at nothing"),
                )
                .with_hint("link to content like @/services/<id>"),
            );
        }
    }
    Facts(facts)
}

/// Theme static files and content assets: (output path, source file).
pub fn static_files(root: &Path, site: &Site) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let static_dir = root.join("themes").join(&site.config.theme).join("static");
    for e in walkdir::WalkDir::new(&static_dir).into_iter().filter_map(Result::ok) {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&static_dir).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
            out.push((format!("static/{rel}"), e.path().to_path_buf()));
        }
    }
    // Content assets, next to every language version of their item.
    for page in &site.pages {
        let Some(dir) = page.source.as_ref().and_then(|s| s.parent()) else { continue };
        if let Some(assets) = site.content.assets.get(dir) {
            for a in assets {
                out.push((format!("{}{}", page.path, a.name), a.source.clone()));
            }
        }
    }
    out
}

/// Checks that need the whole rendered site: links and anchors, the accessibility lint, theme
/// contrast and the easy-read lint. Gives back the readability of every easy-read text.
pub fn site_checks(
    root: &Path,
    site: &Site,
    facts: &Facts,
    files: &[(String, PathBuf)],
    easy_memo: &EasyMemo,
    diags: &mut Diagnostics,
) -> Vec<crate::lint::easy::TextReadability> {
    let file_hrefs: HashSet<String> = files.iter().map(|(rel, _)| site.href(rel)).collect();
    check_internal_links(root, site, facts, &file_hrefs, diags);
    lint_pages(root, site, facts, diags);
    diags.items.extend(crate::lint::contrast::check_theme(root, &root.join("themes").join(&site.config.theme)));
    let (easy, readability) = lint_easy_read(site, easy_memo);
    diags.items.extend(easy);
    readability
}

/// Symlinks in the theme and `i18n/` may only point inside the site; loops are refused. (Those in
/// `content/` are checked as the load lists them, see [`load::link_problem`].)
pub fn check_symlinks(root: &Path, theme: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for dir in [root.join("themes").join(theme), root.join("i18n")] {
        for e in walkdir::WalkDir::new(&dir).follow_links(false).into_iter().filter_map(Result::ok) {
            if e.path_is_symlink() {
                out.extend(load::link_problem(root, e.path()));
            }
        }
    }
    out
}

/// The output file of a page path.
pub fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() }
}

/// Refuses output folders that would overwrite or delete the site's sources.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
        // Normalise `.` and `..` without touching the file system (the folder may not exist yet).
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                other => out.push(other),
            }
        }
        out.canonicalize().unwrap_or(out)
    };
    let root = abs(root);
    let out = abs(out);
    let protected = [root.clone(), root.join("content"), root.join("themes"), root.join("i18n")];
    for p in &protected {
        if out == *p || p.starts_with(&out) || (out.starts_with(p) && *p != root) {
            return Err(Diagnostic::error(Code::OutputDir, Location::file(out.display().to_string()), "this output folder would overwrite the site's own files")
                .with_hint("choose an output folder outside content/, themes/ and i18n/ that does not contain the site, e.g. public/"));
        }
    }
    Ok(())
}

/// Builds the site into the output folder: only what changed since the last build (see
/// [`crate::manifest`] and [`crate::deps`]), with the same result as a build from nothing.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let root = &opts.root;
    let started = Instant::now();
    // The output folder and the theme, to see before anything else whether anything changed.
    let config = config::load(root)?;
    let out = opts.out.clone().unwrap_or_else(|| root.join(&config.output_dir));
    if check_output_dir(root, &out).is_err() {
        // Reported after the content, as any build does.
        return build_changed(opts, &out, None, None, Vec::new(), None);
    }
    let lock = write::Lock::acquire(&out)
        .map_err(|e| Diagnostics::from(e.into_diagnostic(Code::Locked, Location::file(out.display().to_string()))))?;
    write::recover(&out).map_err(|e| io_diag(&out, e))?;
    write::clean_stale(&out);
    let (root_abs, out_abs) = (manifest::absolute(root), manifest::absolute(&out));
    let options = manifest::Hasher::new().opt(opts.base_url.as_deref()).u64(u64::from(opts.strict)).finish();
    let mpath = manifest::path_for(&root_abs, &out_abs);
    let t = Instant::now();
    let (prev, note) = match manifest::Manifest::load(&mpath, &root_abs, &out_abs) {
        Ok(m) => (Some(m), None),
        Err(None) => (None, Some("a full build: there is no build manifest yet".to_string())),
        Err(Some(why)) => (None, Some(format!("a full build: {why}"))),
    };
    let mut timings = vec![("last manifest", t.elapsed())];
    let t = Instant::now();
    let inputs = manifest::inputs(root, &config.theme, prev.as_ref());
    timings.push(("inputs", t.elapsed()));
    if let (Some(m), Some(now)) = (&prev, &inputs) {
        let same = |a: &[(String, manifest::FileState)], b: &[(String, manifest::FileState)]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.0 == y.0 && x.1.hash == y.1.hash)
        };
        if m.options == options && m.theme == config.theme && m.inputs.as_deref().is_some_and(|i| same(i, &now.files)) {
            let t = Instant::now();
            if let Some((refreshed, out_dirs)) = outputs_intact(&out, m) {
                timings.push(("outputs checked", t.elapsed()));
                let mut m = prev.expect("checked");
                let mut diags =
                    Diagnostics { items: m.diagnostics.iter().map(manifest::SavedDiagnostic::restore).collect() };
                if opts.strict || config.lint.strict {
                    diags.make_strict();
                }
                if diags.has_errors() {
                    return Err(diags);
                }
                let stats_moved = !refreshed.is_empty()
                    || m.inputs.as_ref() != Some(&now.files)
                    || m.input_dirs != now.dirs
                    || m.output_dirs != out_dirs;
                if stats_moved {
                    for (rel, f) in refreshed {
                        if let Some(e) = m.outputs.get_mut(&rel) {
                            e.file = f;
                        }
                    }
                    let now = inputs.expect("checked");
                    (m.inputs, m.input_dirs, m.output_dirs) = (Some(now.files), now.dirs, out_dirs);
                    let _ = m.save(&mpath);
                }
                timings.push(("nothing changed", started.elapsed().saturating_sub(timings.iter().map(|x| x.1).sum())));
                return Ok(BuildReport {
                    pages: m.pages,
                    out,
                    diagnostics: diags,
                    timings,
                    note: None,
                    written: 0,
                    leftovers: Leftovers::none(),
                });
            }
        }
    }
    build_changed(opts, &out, prev, inputs, timings, note).map(|mut r| {
        drop(lock);
        r.timings.retain(|(_, d)| !d.is_zero());
        r
    })
}

/// The output files a manifest lists, as the folder has them: `Some` (with the new states of
/// files that were read to be sure, and the states of its folders) when every file is there with
/// the recorded bytes and nothing else is; `None` otherwise.
fn outputs_intact(out: &Path, m: &manifest::Manifest) -> Option<OutputsNow> {
    let seen = manifest::now_ns();
    let known = manifest::Known::new(&m.output_dirs, m.outputs.keys().map(String::as_str));
    let s = manifest::survey(out, out, Some(&known)).ok()?;
    if !s.others.is_empty() || s.files.len() != m.outputs.len() {
        return None;
    }
    let checked: Vec<Option<Option<(String, manifest::FileState)>>> = s
        .files
        .par_iter()
        .map(|(rel, st)| {
            let e = m.outputs.get(rel)?;
            if e.file.unchanged(st) {
                return Some(None);
            }
            let hash = manifest::hash_file(&out.join(rel))?;
            (hash == e.file.hash).then(|| Some((rel.clone(), manifest::FileState { stat: *st, hash, seen })))
        })
        .collect();
    let refreshed = checked.into_iter().collect::<Option<Vec<_>>>()?.into_iter().flatten().collect();
    Some((refreshed, s.dirs))
}

/// The output files read again to be sure they hold the recorded bytes, and the output's folders.
type OutputsNow = (Vec<(String, manifest::FileState)>, Vec<(String, manifest::DirState)>);

/// `Some(true)` for a folder, `Some(false)` for anything else, `None` when nothing is there.
fn fs_kind(p: &Path) -> Option<bool> {
    std::fs::symlink_metadata(p).ok().map(|m| m.is_dir())
}

/// A page's facts for the manifest.
fn save_facts(f: &rewrite::PageFacts, strings: &mut manifest::Strings) -> manifest::SavedFacts {
    manifest::SavedFacts {
        ids: f.ids.iter().map(|x| strings.id(x)).collect(),
        links: f.links.iter().map(|x| strings.id(x)).collect(),
        content_links: f.content_links.iter().map(|x| strings.id(x)).collect(),
        unresolved: f.unresolved.clone(),
        findings: f
            .findings
            .iter()
            .map(|x| manifest::SavedFinding {
                code: x.code,
                message: x.message.clone(),
                hint: x.hint.to_string(),
                snippet: x.snippet.clone(),
            })
            .collect(),
    }
}

/// A page's facts as a manifest kept them.
fn restore_facts(f: &manifest::SavedFacts, strings: &[String]) -> rewrite::PageFacts {
    let s = |i: &u32| strings.get(*i as usize).map(String::as_str).unwrap_or("");
    let mut out = rewrite::PageFacts::default();
    out.ids.extend(f.ids.iter().map(s));
    out.links.extend(f.links.iter().map(s));
    out.content_links.extend(f.content_links.iter().map(s));
    out.unresolved = f.unresolved.clone();
    out.findings = f
        .findings
        .iter()
        .map(|x| rewrite::Finding {
            code: x.code,
            message: x.message.clone(),
            hint: x.hint.clone().into(),
            snippet: x.snippet.clone(),
        })
        .collect();
    out
}

/// What became of one output file in a build.
enum Fate {
    /// Left as it is: the same fingerprint and the same bytes as recorded.
    Kept(manifest::OutEntry),
    /// Made again with the bytes the output already has (`Some`: the file as it is), or written
    /// to the staging folder (`None`).
    Made { hash: manifest::Hash, live: Option<manifest::FileState> },
}

impl Fate {
    fn written(&self) -> bool {
        matches!(self, Fate::Made { live: None, .. })
    }
}

/// A build that loads, checks and resolves the whole site, and makes the outputs whose
/// fingerprint or file changed.
fn build_changed(
    opts: &BuildOptions,
    out: &Path,
    prev: Option<manifest::Manifest>,
    inputs: Option<manifest::Inputs>,
    mut timings: Timings,
    note: Option<String>,
) -> Result<BuildReport, Diagnostics> {
    let root = &opts.root;
    // The templates are loaded while the site is resolved.
    let (site, diags, more, templates) =
        load_site_beside(root, opts.base_url.as_deref(), false, |c| render::load_templates(root, &c.theme))?;
    timings.extend(more);
    let mut diags = warnings_only(diags)?;
    if let Err(d) = check_output_dir(root, out) {
        diags.push(d);
        return Err(diags);
    }
    let out = out.to_path_buf();
    let mut templates = templates?;
    // Leaflets first: pages link to them with their size.
    let leaflets = if site.config.leaflets.enabled {
        let t = Instant::now();
        let opts = crate::leaflet::LeafletOptions::default();
        let made = crate::leaflet::make_all(&site, root, &opts);
        diags.items.extend(crate::leaflet::string_gaps(root, &site).into_iter().filter(|d| !d.is_error()));
        timings.push(("leaflets", t.elapsed()));
        match made {
            Ok(l) => l,
            Err(d) => {
                diags.extend(d);
                diags.sort();
                return Err(diags);
            }
        }
    } else {
        Vec::new()
    };
    templates.set_leaflets(&site, &leaflets);
    let t = Instant::now();
    let (root_abs, out_abs) = (manifest::absolute(root), manifest::absolute(&out));
    let options = manifest::Hasher::new().opt(opts.base_url.as_deref()).u64(u64::from(opts.strict)).finish();
    let (items, files) = match &inputs {
        Some(i) => crate::deps::item_hashes(&i.files),
        // Inputs that cannot be followed: nothing is taken from the last build.
        None => (HashMap::new(), manifest::Hasher::new().bytes(&manifest::now_ns().to_le_bytes()).finish()),
    };
    let files = manifest::Hasher::new().str(manifest::BUILD_ID).hash(options).hash(files).finish();
    let dinputs = crate::deps::Inputs { items: &items, files };
    let fingerprints = crate::deps::pages(&site, &templates, &dinputs);
    let export_fp = crate::deps::exports(&site, &dinputs);
    // What the output folder has now: its files, and entries in the way (symbolic links).
    let surveyed = manifest::now_ns();
    let (present, clear, out_dirs): (HashMap<String, manifest::Stat>, Vec<String>, _) = match fs_kind(&out) {
        Some(true) => {
            let known =
                prev.as_ref().map(|m| manifest::Known::new(&m.output_dirs, m.outputs.keys().map(String::as_str)));
            let s = manifest::survey(&out, &out, known.as_ref()).map_err(|e| io_diag(&out, e))?;
            (s.files.into_iter().collect(), s.others, s.dirs)
        }
        _ => Default::default(),
    };
    let (prev_outputs, strings) = match prev {
        Some(m) => (m.outputs, m.strings),
        None => (Default::default(), Vec::new()),
    };
    // The output's file at `rel` as it is, when it is there: as recorded, or read now.
    let live = |rel: &str| -> Option<manifest::FileState> {
        let st = present.get(rel)?;
        match prev_outputs.get(rel) {
            Some(e) if e.file.unchanged(st) => Some(e.file),
            _ => Some(manifest::FileState { stat: *st, hash: manifest::hash_file(&out.join(rel))?, seen: surveyed }),
        }
    };
    // An output kept as it is: same fingerprint, and the file holds the recorded bytes.
    let keep = |rel: &str, fp: manifest::Hash| -> Option<manifest::OutEntry> {
        let e = prev_outputs.get(rel).filter(|e| e.fingerprint == fp)?;
        let file = live(rel).filter(|f| f.hash == e.file.hash)?;
        Some(manifest::OutEntry { file, ..e.clone() })
    };
    timings.push(("what changed", t.elapsed()));
    let staging = write::Staging::new(&out).map_err(|e| io_diag(&out, e))?;
    // Files written from now on are read again by the next build (see `manifest::FileState`).
    let writing = manifest::now_ns();
    // Writes `bytes` at `rel` unless the output already has them.
    let put = |rel: &str, bytes: &[u8]| -> Result<Fate, std::io::Error> {
        let hash = manifest::hash_bytes(bytes);
        let live = live(rel).filter(|f| f.hash == hash);
        if live.is_none() {
            staging.write(rel, bytes)?;
        }
        Ok(Fate::Made { hash, live })
    };
    let t = Instant::now();
    let fates: Vec<std::sync::Mutex<Option<Fate>>> = site.pages.iter().map(|_| Default::default()).collect();
    // The outputs besides the pages: those fingerprinted by the site are made again when it
    // changed (sets of files always), those fingerprinted by their bytes below.
    let (by_bytes, by_site): (Vec<_>, Vec<_>) =
        crate::export::all(&crate::export::Input { site: &site, leaflets: &leaflets })
            .into_iter()
            .partition(|(by, _)| *by == crate::export::Fingerprint::Bytes);
    let export_names: Vec<String> = by_site.iter().map(|(_, e)| e.path.clone()).collect();
    let sets: HashSet<String> = by_site.iter().filter(|(_, e)| e.is_set()).map(|(_, e)| e.path.clone()).collect();
    let exports: Vec<crate::export::Export> = by_site
        .into_iter()
        .map(|(_, e)| e)
        .filter(|e| sets.contains(&e.path) || keep(&e.path, export_fp).is_none())
        .collect();
    let exports_wanted: HashSet<String> = exports.iter().map(|e| e.path.clone()).collect();
    let render_pages = || {
        let diags = &mut diags;
        let results = site.pages.par_iter().enumerate().map_init(
            || (render::Shared::default(), Vec::new()),
            |(shared, buf), (i, page)| -> Result<rewrite::PageFacts, Diagnostic> {
                let rel = output_file(&page.path);
                if let Some(e) = keep(&rel, fingerprints[i]).filter(|e| e.facts.is_some()) {
                    let facts = restore_facts(e.facts.as_ref().expect("kept with facts"), &strings);
                    *fates[i].lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Fate::Kept(e));
                    return Ok(facts);
                }
                let html = render::render_page_in(&site, &templates, page, shared)?;
                let facts = rewrite::rewrite_into(&site, &page.lang, html, buf).map_err(|e| rewrite_failed(page, e))?;
                let fate = put(&rel, buf).map_err(|e| io_diag(&out, e).items.remove(0))?;
                *fates[i].lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(fate);
                Ok(facts)
            },
        );
        gather_facts(&site, results, diags)
    };
    // The outputs (search index, sitemap, feeds, data) need no page: made meanwhile.
    let create = |rel: &str| staging.create(rel);
    let (facts, (set_members, export_failures)) = rayon::join(render_pages, || crate::export::write(exports, &create));
    for (rel, e) in export_failures {
        diags.extend(io_diag(&out.join(rel), e));
    }
    timings.push(("render+rewrite+write (and exports)", t.elapsed()));
    // Every output file: path -> (fingerprint, fate).
    let mut outputs: Vec<(String, manifest::Hash, Fate, Option<&rewrite::PageFacts>)> = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        let fate = fates[i].lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(fate) = fate {
            outputs.push((output_file(&page.path), fingerprints[i], fate, facts.get(i)));
        }
    }
    // The files of the sets (all made again) besides their entries.
    let members: Vec<String> = set_members.into_iter().filter(|rel| !sets.contains(rel)).collect();
    let made_members: HashSet<&str> = members.iter().map(String::as_str).collect();
    for rel in export_names.into_iter().chain(members.iter().cloned()) {
        let fate = if exports_wanted.contains(&rel) || made_members.contains(rel.as_str()) {
            let hash = manifest::hash_file(&staging.dir.join(&rel)).unwrap_or_default();
            let live = live(&rel).filter(|f| f.hash == hash);
            if live.is_some() {
                staging.unwrite(&rel);
            }
            Fate::Made { hash, live }
        } else {
            Fate::Kept(prev_outputs.get(&rel).cloned().expect("kept"))
        };
        outputs.push((rel, export_fp, fate, None));
    }
    let mut files = static_files(root, &site);
    let input_hash: HashMap<&str, manifest::Hash> =
        inputs.iter().flat_map(|i| &i.files).map(|(p, f)| (p.as_str(), f.hash)).collect();
    for (rel, src) in &files {
        let from = src.strip_prefix(root).ok().map(|p| p.to_string_lossy().replace('\\', "/"));
        let Some(hash) = from.as_deref().and_then(|p| input_hash.get(p).copied()).or_else(|| manifest::hash_file(src))
        else {
            diags.extend(io_diag(&out, std::io::Error::other(format!("cannot read {}", src.display()))));
            continue;
        };
        let fate = match keep(rel, hash) {
            Some(e) => Fate::Kept(e),
            None => {
                let live = live(rel).filter(|f| f.hash == hash);
                if live.is_none()
                    && let Err(e) = staging.copy(rel, src)
                {
                    diags.extend(io_diag(&out, e));
                }
                Fate::Made { hash, live }
            }
        };
        outputs.push((rel.clone(), hash, fate, None));
    }
    let t = Instant::now();
    let compared = !by_bytes.is_empty();
    for (rel, bytes) in by_bytes.into_iter().flat_map(|(_, e)| e.into_files()) {
        let hash = manifest::hash_bytes(&bytes);
        let fate = match keep(&rel, hash) {
            Some(e) => Fate::Kept(e),
            None => match put(&rel, &bytes) {
                Ok(f) => f,
                Err(e) => {
                    diags.extend(io_diag(&out, e));
                    continue;
                }
            },
        };
        outputs.push((rel.clone(), hash, fate, None));
        // Pages may link to them (leaflets).
        files.push((rel, PathBuf::new()));
    }
    if compared {
        timings.push(("files compared by their bytes (leaflets)", t.elapsed()));
    }
    let t = Instant::now();
    let memo = easy_memo(root);
    site_checks(root, &site, &facts, &files, &memo, &mut diags);
    memo.save();
    timings.push(("site checks", t.elapsed()));
    if opts.strict || site.config.lint.strict {
        diags.make_strict();
    }
    diags.sort();
    if diags.has_errors() {
        staging.abort();
        return Err(diags);
    }
    let t = Instant::now();
    let wanted: HashSet<&str> = outputs.iter().map(|(rel, ..)| rel.as_str()).collect();
    let mut remove: Vec<String> = present.keys().filter(|rel| !wanted.contains(rel.as_str())).cloned().collect();
    remove.sort();
    let written = outputs.iter().filter(|(_, _, f, _)| f.written()).count();
    let mpath = manifest::path_for(&root_abs, &out_abs);
    if written == 0 && remove.is_empty() && clear.is_empty() && fs_kind(&out) == Some(true) {
        staging.abort();
    } else {
        // The manifest describes the output as it was until the commit is done.
        manifest::forget(&mpath);
        staging.commit(clear, remove).map_err(|e| io_diag(&out, e))?;
    }
    timings.push(("commit", t.elapsed()));
    let t = Instant::now();
    // The new manifest: every output file with its state as the folder has it now.
    let mut m = manifest::Manifest::new(&root_abs, &out_abs, options, &site.config.theme);
    // The strings of the kept pages' facts stay where they are, new ones are added; a table that
    // has grown far beyond what the site uses (after many renames) is made anew.
    let fresh = strings.len() > 100_000 + 8 * site.pages.len();
    let mut table = if fresh { manifest::Strings::default() } else { manifest::Strings::continuing(strings) };
    for (rel, fp, fate, facts) in outputs {
        let entry = match fate {
            Fate::Kept(mut e) => {
                if fresh {
                    e.facts = facts.map(|f| save_facts(f, &mut table));
                }
                e
            }
            Fate::Made { hash, live } => {
                let file = match live {
                    Some(f) => f,
                    None => {
                        let Some(stat) = manifest::Stat::read(&out.join(&rel)) else { continue };
                        manifest::FileState { stat, hash, seen: writing }
                    }
                };
                manifest::OutEntry { fingerprint: fp, file, facts: facts.map(|f| save_facts(f, &mut table)) }
            }
        };
        m.outputs.insert(rel, entry);
    }
    m.strings = table.list;
    // Folders the commit changed have new times: the next build reads them again.
    m.output_dirs = out_dirs;
    (m.inputs, m.input_dirs) = inputs.map_or((None, Vec::new()), |i| (Some(i.files), i.dirs));
    m.pages = site.pages.len();
    m.diagnostics = diags.items.iter().map(manifest::SavedDiagnostic::of).collect();
    if let Err(e) = m.save(&mpath) {
        // Only the next build's speed depends on it.
        manifest::forget(&mpath);
        diags.push(Diagnostic::warning(
            Code::Cache,
            Location::file(mpath.display().to_string()),
            format!("the build manifest could not be written ({e}); the next build will make everything again"),
        ));
    }
    timings.push(("manifest", t.elapsed()));
    let pages = site.pages.len();
    // Handed back, for the caller to free or forget (see `Leftovers`).
    let leftovers = Leftovers::new((site, templates, facts));
    Ok(BuildReport { pages, out, diagnostics: diags, timings, note, written, leftovers })
}

fn page_loc(page: &OutPage) -> Location {
    page.source.as_ref().map(Location::file).unwrap_or_else(|| Location::file(format!("(page /{})", page.path)))
}

fn io_diag(out: &Path, e: std::io::Error) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(
        Diagnostic::error(Code::Io, Location::file(out.display().to_string()), format!("cannot write the output: {e}"))
            .with_hint("check free disk space and permissions of the output folder"),
    );
    d
}

/// Turns the HTML accessibility findings of the rewrite stage into diagnostics, finding the line in
/// the page's source file where the finding's text appears.
fn lint_pages(root: &Path, site: &Site, facts: &Facts, diags: &mut Diagnostics) {
    let mut sources = crate::diagnostics::SourceCache::new(root);
    let mut seen = HashSet::new();
    for (i, page) in site.pages.iter().enumerate() {
        let Some(f) = facts.get(i) else { continue };
        for finding in &f.findings {
            let loc = match (&page.source, &finding.snippet) {
                (Some(src), Some(snippet)) => sources.locate(src, snippet).unwrap_or_else(|| page_loc(page)),
                _ => page_loc(page),
            };
            let message = if page.source.is_some() {
                finding.message.clone()
            } else {
                format!("{} (page /{}, made by the theme)", finding.message, page.path)
            };
            if seen.insert((loc.clone(), finding.code, message.clone())) {
                diags.push(Diagnostic::warning(finding.code, loc, message).with_hint(finding.hint.clone()));
            }
        }
    }
}

/// The easy-read lint's findings and readability of one text, kept between runs (see
/// [`crate::memo`]) under a hash of the text, its file, the lint's settings and the language's words.
pub type EasyMemo = crate::memo::Memo<(Vec<manifest::SavedDiagnostic>, Option<crate::lint::easy::Readability>)>;

/// The store of [`EasyMemo`] of the site at `root`.
pub fn easy_memo(root: &Path) -> EasyMemo {
    crate::memo::Memo::open(root, "easy-read-lint")
}

/// The easy-read lint over every easy-read text, and easy-read versions that are required but
/// missing; with the readability of every easy-read text that has words. A text linted by an
/// earlier run, with the same settings and words, is taken from `memo`.
pub fn lint_easy_read(site: &Site, memo: &EasyMemo) -> (Vec<Diagnostic>, Vec<crate::lint::easy::TextReadability>) {
    use crate::lint::easy;
    let cfg = &site.config.easy_read;
    let words: HashMap<&str, (easy::Words, manifest::Hash)> = site
        .config
        .lang_codes()
        .map(|l| {
            let words = easy::Words::from_strings(site.i18n.lang(l));
            let hash = manifest::Hasher::new().str(l).debug(&cfg.lint).debug(&words).finish();
            (l, (words, hash))
        })
        .collect();
    let mut all: Vec<&crate::model::EasyDoc> = Vec::new();
    let c = &site.content;
    all.extend(c.services.iter().flat_map(|s| s.easy.values().map(Box::as_ref)));
    all.extend(c.providers.iter().flat_map(|s| s.easy.values().map(Box::as_ref)));
    all.extend(c.pages.iter().flat_map(|s| s.easy.values().map(Box::as_ref)));
    all.extend(c.charter.iter().flat_map(|s| s.easy.values().map(Box::as_ref)));
    all.extend(c.quality.iter().flat_map(|s| s.easy.values().map(Box::as_ref)));
    let linted: Vec<(Vec<Diagnostic>, Option<easy::TextReadability>)> = all
        .par_iter()
        .map(|d| {
            let text = easy::Text {
                file: &d.file,
                lang: &d.lang,
                level: d.level,
                title: &d.title,
                title_line: d.title_line,
                body: &d.body_source,
                first_line: d.body_line,
                glossary: &d.glossary,
            };
            let (words, context) = &words[d.lang.as_str()];
            let key = manifest::Hasher::new()
                .hash(*context)
                .bytes(d.file.as_os_str().as_encoded_bytes())
                .u64(u64::from(d.level))
                .str(&d.title)
                .u64(d.title_line as u64)
                .str(&d.body_source)
                .u64(d.body_line as u64)
                .debug(&d.glossary)
                .finish();
            let (found, readability) = memo.get_or(key, || {
                let linted = easy::lint(&text, &cfg.lint, words);
                (linted.diagnostics.iter().map(manifest::SavedDiagnostic::of).collect(), linted.readability)
            });
            let diagnostics: Vec<Diagnostic> = found.iter().map(manifest::SavedDiagnostic::restore).collect();
            let readability = readability.map(|r| easy::TextReadability {
                file: d.file.clone(),
                lang: d.lang.to_string(),
                title: d.title.clone(),
                level: d.level,
                readability: r,
                max_lix: cfg.lint.max_lix.for_lang(&d.lang)[(d.level.clamp(1, 3) - 1) as usize],
                over: diagnostics.iter().any(|x| x.code == Code::EasyReadability),
            });
            (diagnostics, readability)
        })
        .collect();
    let mut out = Vec::new();
    let mut readability = Vec::new();
    for (d, r) in linted {
        out.extend(d);
        readability.extend(r);
    }
    if cfg.required {
        for s in &c.services {
            for (lang, d) in &s.docs {
                if !s.easy.contains_key(lang) {
                    out.push(
                        Diagnostic::warning(
                            Code::EasyMissing,
                            Location::file(&d.file),
                            format!("the service has no easy-read version in `{lang}`"),
                        )
                        .with_hint(format!(
                            "add easy.{lang}.md beside index.{lang}.md (site.toml says easy-read is required)"
                        )),
                    );
                }
            }
        }
    }
    (out, readability)
}

/// Every internal link in the generated HTML must point at a generated page or file, and at an id
/// that exists on it.
fn check_internal_links(root: &Path, site: &Site, facts: &Facts, files: &HashSet<String>, diags: &mut Diagnostics) {
    let mut sources = crate::diagnostics::SourceCache::new(root);
    // Where a link is written in the page's source (theme links are not in it: the page start).
    let mut locate = |page: &OutPage, link: &str| -> Location {
        let Some(t) = page.source.as_ref().and_then(|src| sources.get(src)) else { return page_loc(page) };
        let written = link.strip_prefix(site.config.base_path.as_str()).map(|r| format!("/{r}"));
        // Also a link written with the site's full address (https://example.lt/x).
        let absolute =
            link.strip_prefix(site.config.base_path.as_str()).map(|r| format!("]({}{r}", site.config.base_url));
        [Some(format!("]({link}")), written.map(|w| format!("]({w}")), absolute]
            .into_iter()
            .flatten()
            .find_map(|needle| t.text.find(&needle))
            // Point at the link's `[`, where the author wrote it.
            .map(|o| t.location(t.text[..o].rfind('[').filter(|b| !t.text[*b..o].contains('\n')).unwrap_or(o)))
            .unwrap_or_else(|| page_loc(page))
    };
    // Each page's href to its index; its ids are looked up in its facts (a page has few).
    let page_of = site.pages_by_href();
    // (page, link, anchor that is not there): found in parallel, located and reported in order.
    let broken: Vec<(usize, &str, Option<&str>)> = site
        .pages
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, page)| {
            let own = site.href(&page.path);
            let links = facts.get(i).map(|f| f.links.iter()).into_iter().flatten();
            links
                .filter_map(|link| {
                    let (path, anchor) = match link.split_once('#') {
                        Some((p, a)) => (if p.is_empty() { own.as_str() } else { p }, Some(a)),
                        None => (link, None),
                    };
                    if files.contains(path) {
                        return None;
                    }
                    match page_of.get(path) {
                        None => Some((i, link, None)),
                        Some(target) => {
                            let a = anchor.filter(|a| !a.is_empty())?;
                            let known = facts.get(target).is_some_and(|f| f.ids.contains(a));
                            (!known).then_some((i, link, Some(a)))
                        }
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (i, link, anchor) in broken {
        let page = &site.pages[i];
        match anchor {
            None => diags.push(
                Diagnostic::error(
                    Code::BrokenLink,
                    locate(page, link),
                    format!("the page /{} links to {link}, which the site does not have", page.path),
                )
                .with_hint("if the link is in the text, fix its target; if it comes from the theme, fix the template"),
            ),
            Some(a) => diags.push(
                Diagnostic::error(
                    Code::BrokenAnchor,
                    locate(page, link),
                    format!("the page /{} links to {link}, but that page has no `#{a}`", page.path),
                )
                .with_hint("link to a heading or section id that exists on that page"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Only `check` keeps what it reads of each page's text (marks, phone numbers); a build does
    /// not.
    #[test]
    fn only_check_keeps_the_marks_and_phones_of_the_texts() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let kept = |for_check: bool| {
            let site = super::load_site_lenient(root, None, for_check).expect("the example site loads").0;
            let docs = || site.content.services.iter().flat_map(|s| s.docs.values());
            (docs().filter(|d| d.body.marks.is_some()).count(), docs().filter(|d| d.body.phones.is_some()).count())
        };
        assert_eq!(kept(false), (0, 0));
        let (marks, phones) = kept(true);
        assert!(marks > 10 && phones > 10, "the example services have marks ({marks}) and phone lists ({phones})");
    }

    /// A page's text made again at render time is the text validation read: the same HTML, plain
    /// text and headings as rendering the file's body in full, and the phone numbers of that
    /// plain text, for every text of the example site.
    #[test]
    fn page_texts_made_again_are_the_texts_validated() {
        use crate::markdown::{Mode, render};
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = super::load_site_lenient(root, None, true).expect("the example site loads").0;
        let c = &site.content;
        let mut texts: Vec<(&Path, &crate::model::Body)> = Vec::new();
        texts.extend(c.services.iter().flat_map(|s| s.docs.values().map(|d| (d.file.as_path(), &d.body))));
        texts.extend(c.providers.iter().flat_map(|s| s.docs.values().map(|d| (d.file.as_path(), &d.body))));
        texts.extend(c.pages.iter().flat_map(|s| s.docs.values().map(|d| (d.file.as_path(), &d.body))));
        texts.extend(c.charter.iter().flat_map(|s| s.docs.values().map(|d| (d.file.as_path(), &d.body))));
        texts.extend(c.quality.iter().flat_map(|s| s.docs.values().map(|d| (d.file.as_path(), &d.body))));
        assert!(texts.len() > 30, "{} texts", texts.len());
        let mut with_phones = 0;
        for (file, body) in texts {
            let src = crate::source::read_text(root, &root.join(file)).expect("readable");
            let split = crate::source::split_front_matter(&src).expect("front matter");
            let whole =
                render(&src, split.body, split.body_offset, Mode::site(&site.config.markdown, false), &mut Vec::new());
            assert!(!whole.html.is_empty(), "{}", file.display());
            assert_eq!(site.text_html(body, file).expect("made again"), whole.html, "{}", file.display());
            let plain = body
                .again(&site.content.root, file, Mode { html: false, ..Mode::site(&site.config.markdown, false) })
                .expect("made again")
                .plain;
            assert_eq!(plain, whole.plain, "{}", file.display());
            let phones: Vec<Box<str>> =
                crate::values::phone::find_in_text(&whole.plain).into_iter().map(|(_, r)| r.into_boxed_str()).collect();
            assert_eq!(body.phones.as_deref(), Some(phones.as_slice()), "{}", file.display());
            with_phones += usize::from(!phones.is_empty());
            let headings: Vec<&str> = whole.headings.iter().map(|h| h.id.as_str()).collect();
            assert_eq!(body.headings.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), headings, "{}", file.display());
        }
        assert!(with_phones > 0, "some texts of the example site give a phone number");
    }

    /// A page's file changed after it was read is refused (its text would not be the one
    /// validated); the pages of the files left alone still render.
    #[test]
    fn a_text_changed_after_loading_is_refused() {
        let tmp = tempfile::tempdir().expect("temp dir");
        crate::init::init(tmp.path()).expect("the starter site");
        let (site, _, _) = super::load_site(tmp.path(), None).expect("the starter site loads");
        let templates = crate::render::load_templates(tmp.path(), &site.config.theme).expect("templates");
        let d = site.content.services[0].docs.values().next().expect("a text");
        let file = tmp.path().join(&d.file);
        let was = std::fs::read_to_string(&file).expect("readable");
        std::fs::write(&file, was.replace("\n## ", "\nA new line.\n\n## ")).expect("writable");
        let page = site
            .pages
            .iter()
            .find(|p| p.kind == crate::resolve::PageKind::Service(0) && p.lang == d.lang)
            .expect("its page");
        let e = crate::render::render_page(&site, &templates, page).expect_err("the changed text is refused");
        assert_eq!(e.code, crate::diagnostics::Code::Changed, "{e}");
        assert_eq!(e.location.file, d.file, "{e}");
        let other =
            site.pages.iter().find(|p| p.kind == crate::resolve::PageKind::Provider(0)).expect("a provider page");
        assert!(crate::render::render_page(&site, &templates, other).is_ok(), "another text renders");
        // Written back as it was, it is the text validated again.
        std::fs::write(&file, was).expect("writable");
        assert!(crate::render::render_page(&site, &templates, page).is_ok());
    }
}
