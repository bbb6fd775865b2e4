//! `skaidra check`: finds outdated or broken information before residents do.
//!
//! Consumes the same resolved site as `build` (nothing is parsed again), renders every page in
//! memory without writing, and adds the checks that only matter to the people keeping the site
//! current: review dates ([`reviews`]), contacts ([`contacts`]), translations ([`translations`]),
//! orphan pages, and, with `--online`, external links ([`online`]). [`report`] formats the findings
//! for people, JSON or JUnit.

pub mod contacts;
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
}

/// What a check run found.
#[derive(Debug)]
pub struct CheckReport {
    pub diagnostics: Diagnostics,
    pub pages: usize,
    pub files: usize,
    pub online: Option<online::OnlineSummary>,
    pub elapsed: Duration,
}

/// Runs every check. `Err` means the site could not be checked at all (site.toml or i18n broken).
pub fn run(opts: &CheckOptions) -> Result<CheckReport, Diagnostics> {
    let started = std::time::Instant::now();
    let root = &opts.root;
    let (site, mut diags, _) = pipeline::load_site_lenient(root, None)?;
    let settings = &site.config.check;
    match crate::render::load_templates(root, &site.config.theme) {
        Ok(templates) => {
            let facts = pipeline::render_all(&site, &templates, &|_, _| Ok(()), &mut diags);
            let files = pipeline::static_files(root, &site);
            pipeline::site_checks(root, &site, &facts, &files, &mut diags);
            diags.items.extend(orphans(root, &site, &facts));
        }
        Err(d) => diags.extend(d),
    }
    diags.items.extend(reviews::check(&site, opts.today, settings.due_window_days));
    diags.items.extend(contacts::check(root, &site));
    diags.items.extend(translations::check(root, &site));
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
    Ok(CheckReport { pages: site.pages.len(), files, diagnostics: diags, online: online_summary, elapsed: started.elapsed() })
}

/// Pages no other page links to (the home page and 404 pages excepted). Links between the
/// language versions of one page (the language switcher) do not count.
fn orphans(root: &Path, site: &Site, facts: &std::collections::HashMap<usize, crate::rewrite::PageFacts>) -> Vec<Diagnostic> {
    let mut sources = crate::diagnostics::SourceCache::new(root);
    let address_of: std::collections::HashMap<String, &str> = site.pages.iter().map(|p| (site.href(&p.path), p.address.as_str())).collect();
    let mut linked: HashSet<String> = HashSet::new();
    for (i, page) in site.pages.iter().enumerate() {
        if let Some(f) = facts.get(&i) {
            for l in f.links.iter().chain(&f.content_links) {
                let target = l.split('#').next().unwrap_or("");
                if !target.is_empty() && address_of.get(target).is_some_and(|a| *a != page.address) {
                    linked.insert(target.to_string());
                }
            }
        }
    }
    site.pages
        .iter()
        .filter(|p| !matches!(p.kind, PageKind::Home | PageKind::NotFound))
        .filter(|p| !linked.contains(&site.href(&p.path)))
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
