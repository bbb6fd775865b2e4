//! `skaidra check`: finds outdated or broken information before residents do.
//!
//! Consumes the same resolved site as `build` (nothing is parsed again), learns the HTML of every
//! page without writing it ([`facts`]: one of each kind rendered, the rest from the model), and
//! adds the checks that only matter to the people keeping the site
//! current: review dates ([`reviews`]), contacts ([`contacts`]), translations ([`translations`]),
//! orphan pages, and, with `--online`, external links ([`online`]). [`report`] formats the findings
//! for people, JSON or JUnit.

pub mod contacts;
pub mod facts;
pub mod online;
pub mod report;
pub mod reviews;
pub mod translations;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::pipeline;
use crate::resolve::{PageKind, Site};
use chrono::NaiveDate;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Options of a check run.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub today: NaiveDate,
    pub online: bool,
    pub strict: bool,
    /// Render every page instead of one of each kind (see [`facts`]).
    pub render_all: bool,
}

/// What a check run found.
#[derive(Debug)]
pub struct CheckReport {
    pub diagnostics: Diagnostics,
    pub pages: usize,
    pub files: usize,
    pub online: Option<online::OnlineSummary>,
    pub elapsed: Duration,
    /// How long each stage took.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs every check. `Err` means the site could not be checked at all (site.toml or i18n broken).
pub fn run(opts: &CheckOptions) -> Result<CheckReport, Diagnostics> {
    let started = std::time::Instant::now();
    let root = &opts.root;
    let (site, mut diags, mut timings) = pipeline::load_site_lenient(root, None)?;
    let settings = &site.config.check;
    let mut t = std::time::Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, t.elapsed()));
        t = std::time::Instant::now();
    };
    match crate::render::load_templates(root, &site.config.theme) {
        Ok(templates) => {
            let facts = facts::collect(root, &site, &templates, opts.render_all, &mut diags);
            lap("pages", &mut timings);
            let files = pipeline::static_files(root, &site);
            pipeline::site_checks(root, &site, &facts, &files, &mut diags);
            diags.items.extend(orphans(root, &site, &facts));
            lap("links and lints", &mut timings);
            std::mem::forget(facts);
        }
        Err(d) => diags.extend(d),
    }
    diags.items.extend(reviews::check(&site, opts.today, settings.due_window_days));
    diags.items.extend(contacts::check(root, &site));
    diags.items.extend(translations::check(root, &site));
    lap("reviews, contacts, translations", &mut timings);
    let mut online_summary = None;
    if opts.online {
        let urls = contacts::external_urls(root, &site);
        let o = online::OnlineOptions {
            timeout: Duration::from_secs(settings.link_timeout_seconds),
            cache_dir: Some(root.join(".skaidra-cache")),
            cache_ttl: Duration::from_secs(settings.link_cache_hours * 3600),
            ..online::OnlineOptions::default()
        };
        let (d, summary) = online::check_urls(&urls, &o);
        diags.items.extend(d);
        online_summary = Some(summary);
    }
    if opts.strict {
        diags.make_strict();
    }
    diags.sort();
    let files: HashSet<&Path> = diags.items.iter().map(|d| d.location.file.as_path()).collect();
    let files = files.len();
    let pages = site.pages.len();
    // The process ends after reporting; freeing a big site one allocation at a time is slow.
    std::mem::forget(site);
    Ok(CheckReport { pages, files, diagnostics: diags, online: online_summary, elapsed: started.elapsed(), timings })
}

/// Pages no other page links to (the home page and 404 pages excepted). Links between the
/// language versions of one page (the language switcher) do not count.
fn orphans(root: &Path, site: &Site, facts: &std::collections::HashMap<usize, crate::rewrite::PageFacts>) -> Vec<Diagnostic> {
    let mut sources = crate::diagnostics::SourceCache::new(root);
    use rayon::prelude::*;
    let address_of: std::collections::HashMap<String, &str> = site.pages.iter().map(|p| (site.href(&p.path), p.address.as_str())).collect();
    let linked: HashSet<&str> = site
        .pages
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, page)| {
            let f = facts.get(&i);
            f.into_iter()
                .flat_map(|f| f.links.iter().chain(&f.content_links))
                .map(|l| l.split('#').next().unwrap_or(""))
                .filter(|target| !target.is_empty() && address_of.get(*target).is_some_and(|a| *a != page.address))
                .collect::<Vec<_>>()
        })
        .collect();
    site.pages
        .iter()
        .filter(|p| !matches!(p.kind, PageKind::Home | PageKind::NotFound))
        .filter(|p| !linked.contains(site.href(&p.path).as_str()))
        .map(|p| {
            let loc = p.source.as_ref().map(Location::file).unwrap_or_else(|| Location::file(format!("(page /{})", p.path)));
            // A term's page: at the term's key in taxonomies.toml.
            let term = match p.kind {
                PageKind::Audience(i) => site.content.taxonomies.audiences.get(i),
                PageKind::Category(i) => site.content.taxonomies.categories.get(i),
                _ => None,
            };
            let loc = match (term, &p.source) {
                (Some(t), Some(src)) => sources.locate(src, &format!("\n{} =", t.key)).map(|l| Location { line: l.line + 1, col: 1, ..l }).unwrap_or(loc),
                _ => loc,
            };
            Diagnostic::warning("orphan", loc, format!("no other page links to /{}", p.path))
                .with_hint("link to it from a related page, or remove it if it is no longer needed")
        })
        .collect()
}
