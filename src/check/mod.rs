//! `skaidra check`: finds outdated or broken information before residents do.
//!
//! Consumes the same resolved site as `build` (nothing is parsed again), learns the HTML of every
//! page without writing it ([`facts`]: one of each kind rendered, the rest from the model), and
//! adds the checks that only matter to the people keeping the site
//! current: review dates ([`reviews`]), contacts ([`contacts`]), translations ([`translations`]),
//! orphan pages, and, with `--online`, external links ([`online`]); with `--sources`, the facts
//! that name no source ([`sources`]). [`report`] formats the findings for people, JSON or JUnit.

pub mod contacts;
pub mod facts;
pub mod online;
pub mod report;
pub mod reviews;
pub mod sources;
pub mod translations;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
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
    /// List the contacts, costs and waiting times that name no source ([`sources`]).
    pub sources: bool,
}

/// What a check run found.
#[derive(Debug)]
pub struct CheckReport {
    pub diagnostics: Diagnostics,
    pub pages: usize,
    pub files: usize,
    pub online: Option<online::OnlineSummary>,
    /// Whether the facts without a source were listed (`--sources`).
    pub sources: bool,
    pub elapsed: Duration,
    /// How long each stage took.
    pub timings: Vec<(&'static str, Duration)>,
    /// The site's default language (what untranslated texts are shown in).
    pub default_lang: String,
    /// The readability of every easy-read text, in file order.
    pub readability: Vec<crate::lint::easy::TextReadability>,
    /// The site and page facts the check was made from.
    pub leftovers: pipeline::Leftovers,
}

/// Runs every check. `Err` means the site could not be checked at all (site.toml or i18n broken).
pub fn run(opts: &CheckOptions) -> Result<CheckReport, Diagnostics> {
    let started = std::time::Instant::now();
    let root = &opts.root;
    // The templates are loaded while the site is resolved.
    let (site, mut diags, mut timings, templates) =
        pipeline::load_site_beside(root, None, true, |c| crate::render::load_templates(root, &c.theme))?;
    let settings = &site.config.check;
    // The pages (parallel, the most work) and the checks of the model (mostly one thread) run
    // side by side.
    // The pages add to the diagnostics so far: `@/` links that `resolve` reported are not
    // reported again.
    let mut readability = Vec::new();
    let pages = |d: &mut Diagnostics| -> (Vec<(&'static str, Duration)>, Option<pipeline::Facts>) {
        let mut times = Vec::new();
        let mut kept = None;
        let t = std::time::Instant::now();
        match templates {
            Ok(templates) => {
                let facts = facts::collect(&site, &templates, opts.render_all, d);
                times.push(("pages", t.elapsed()));
                let t = std::time::Instant::now();
                let files = pipeline::static_files(root, &site);
                let memo = pipeline::easy_memo(root);
                readability = pipeline::site_checks(root, &site, &facts, &files, &memo, d);
                memo.save();
                d.items.extend(orphans(&site, &facts));
                times.push(("links and lints", t.elapsed()));
                kept = Some(facts);
            }
            Err(e) => d.extend(e),
        }
        (times, kept)
    };
    let model = || -> (Vec<Diagnostic>, Duration) {
        let t = std::time::Instant::now();
        let mut d = reviews::check(&site, opts.today, settings.due_window_days);
        d.extend(contacts::check(root, &site));
        d.extend(translations::check(root, &site));
        if opts.sources {
            d.extend(sources::check(&site));
        }
        if site.config.leaflets.enabled {
            d.extend(crate::leaflet::string_gaps(root, &site));
        }
        (d, t.elapsed())
    };
    let ((page_times, facts), (model_diags, model_time)) = rayon::join(|| pages(&mut diags), model);
    diags.items.extend(model_diags);
    timings.extend(page_times);
    timings.push(("reviews, contacts, translations (beside the pages)", model_time));
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
    // Placeholders a build warns about (see `lint::placeholders`) must not be published: `check`
    // is what an editor runs before publishing.
    for d in diags.items.iter_mut().filter(|d| d.code == crate::lint::placeholders::CODE) {
        d.severity = crate::diagnostics::Severity::Error;
    }
    if opts.strict {
        diags.make_strict();
    }
    diags.sort();
    let files: HashSet<&Path> = diags.items.iter().map(|d| d.location.file.as_path()).collect();
    let files = files.len();
    let pages = site.pages.len();
    let default_lang = site.default_lang().to_string();
    // Handed back, for the caller to free or forget (see `pipeline::Leftovers`).
    let leftovers = pipeline::Leftovers::new((site, facts));
    readability.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(CheckReport {
        pages,
        files,
        diagnostics: diags,
        online: online_summary,
        sources: opts.sources,
        elapsed: started.elapsed(),
        timings,
        default_lang,
        readability,
        leftovers,
    })
}

/// Pages no other page links to (the home page and 404 pages excepted). Links between the
/// language versions of one page (the language switcher) do not count.
fn orphans(site: &Site, facts: &pipeline::Facts) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    let page_of = site.pages_by_href();
    let linked: Vec<AtomicBool> = site.pages.iter().map(|_| AtomicBool::new(false)).collect();
    site.pages.par_iter().enumerate().for_each(|(i, page)| {
        for l in facts.get(i).into_iter().flat_map(|f| f.links.iter().chain(f.content_links.iter())) {
            let target = l.split('#').next().unwrap_or("");
            if let Some(j) = page_of.get(target)
                && site.pages[j].address != page.address
            {
                linked[j].store(true, Ordering::Relaxed);
            }
        }
    });
    site.pages
        .iter()
        .zip(&linked)
        .filter(|(_, linked)| !linked.load(Ordering::Relaxed))
        .map(|(p, _)| p)
        .filter(|p| !matches!(p.kind, PageKind::Home | PageKind::NotFound))
        .map(|p| {
            let loc =
                p.source.as_ref().map(Location::file).unwrap_or_else(|| Location::file(format!("(page /{})", p.path)));
            // A term's page: at the term's key in taxonomies.toml.
            let term = match p.kind {
                PageKind::Audience(i) => site.content.taxonomies.audiences.get(i),
                PageKind::Category(i) => site.content.taxonomies.categories.get(i),
                _ => None,
            };
            let loc = match term {
                Some(t) => t.at.clone(),
                None => loc,
            };
            let hint = match term {
                // Skaidra makes a term's pages; they are linked from the lists once a service has
                // the term.
                Some(t) => format!(
                    "no service has the {} `{}`: add it to a service's `{}`, or remove the term",
                    if matches!(p.kind, PageKind::Audience(_)) { "audience" } else { "category" },
                    t.key,
                    if matches!(p.kind, PageKind::Audience(_)) { "audiences" } else { "categories" },
                ),
                None => "link to it from a related page, or remove it if it is no longer needed".to_string(),
            };
            Diagnostic::warning(Code::Orphan, loc, format!("no other page links to /{}", p.path)).with_hint(hint)
        })
        .collect()
}
