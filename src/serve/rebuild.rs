//! Incremental rebuilds for `serve`: keeps the last good site in memory and, when files change,
//! re-reads only the changed items, re-resolves, and re-renders only the pages that show them.
//!
//! What a change re-renders:
//! - text of a service, provider, page, charter or quality policy that does not change its title,
//!   summary, slug or list facts: only that item's pages (and easy-read pages);
//! - a change to what lists show (title, summary, provider, audiences, categories, home visit):
//!   also the home page, the catalogue, the easy-read index, the term pages and provider pages it
//!   was or is on, and the services whose "similar services" list shows it;
//! - a new, removed or re-slugged item, taxonomies, templates, i18n or site.toml: everything.

use crate::address::Address;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, Kind};
use crate::model::*;
use crate::pipeline;
use crate::render::{self, Templates};
use crate::resolve::{self, PageKind, Site};
use crate::validate::{self, Item};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Served files: URL path (with the base path) -> bytes.
pub type Files = HashMap<String, Vec<u8>>;

/// The live site of a `serve` session.
pub struct Live {
    pub root: PathBuf,
    pub base_url: String,
    pub site: Site,
    templates: Templates,
    /// Script tag injected before `</body>` of every page.
    inject: String,
    /// Address -> indexes of its pages (one per language), so an edit finds the pages that
    /// show it without a pass over every page. Made again whenever `site.pages` is.
    pages_at: HashMap<Address, Vec<usize>>,
}

fn pages_at(site: &Site) -> HashMap<Address, Vec<usize>> {
    let mut m: HashMap<Address, Vec<usize>> = HashMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        m.entry(p.address.clone()).or_default().push(i);
    }
    m
}

/// What one rebuild did, for the terminal.
pub struct Outcome {
    pub pages: usize,
    pub what: String,
    pub millis: f64,
}

/// How the served files change after a rebuild. Applied by the server in one step, so pages are
/// served (the old ones) for the whole rebuild.
pub enum Update {
    /// Everything was rebuilt.
    Replace(Files),
    /// Some pages were re-rendered; when `keep` is given, pages not in it no longer exist.
    /// `stale` pages show what changed too, but are rendered only when asked for
    /// ([`Live::render_url`]): an edit can move a service in many list pages, and the editor
    /// looks at one of them.
    Patch { insert: Files, keep: Option<HashSet<String>>, stale: HashSet<String> },
}

impl Update {
    /// Applies the update to the served files and the set of pages to render when asked for.
    pub fn apply_to(self, files: &mut Files, stale: &mut HashSet<String>) {
        match self {
            Update::Replace(f) => {
                *files = f;
                stale.clear();
            }
            Update::Patch { insert, keep, stale: more } => {
                if let Some(keep) = keep {
                    files.retain(|k, _| !k.ends_with(".html") || keep.contains(k));
                    stale.retain(|k| keep.contains(k));
                }
                stale.extend(more);
                for k in insert.keys() {
                    stale.remove(k);
                }
                files.extend(insert);
            }
        }
    }
}

fn inject(html: &str, tag: &str) -> Vec<u8> {
    match html.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &html[..i], &html[i..]).into_bytes(),
        None => format!("{html}{tag}").into_bytes(),
    }
}

/// What the changed items showed before the update, to compare with after it.
struct Before {
    /// The addresses of the changed items' pages.
    addresses: BTreeSet<String>,
    /// Their cards on list pages, by address.
    cards: HashMap<String, String>,
    /// The output paths of each address.
    paths: HashMap<String, BTreeSet<String>>,
    /// The term pages they were listed on.
    terms: BTreeSet<String>,
    /// The lists they were in.
    lists: resolve::Lists,
}

impl Live {
    /// Builds the whole site in memory.
    pub fn full(root: &Path, base_url: &str, inject_tag: &str) -> Result<(Live, Files), Diagnostics> {
        let (site, _, _) = pipeline::load_site(root, Some(base_url))?;
        let mut templates = render::load_templates(root, &site.config.theme)?;
        if site.config.leaflets.enabled {
            // Linked now, made when first asked for (see `leaflet`).
            templates.set_leaflet_links(&site, &crate::leaflet::paths(&site, &Default::default()));
        }
        let pages_at = pages_at(&site);
        let live = Live {
            root: root.to_path_buf(),
            base_url: base_url.to_string(),
            site,
            templates,
            inject: inject_tag.to_string(),
            pages_at,
        };
        let files = live.render_all()?;
        Ok((live, files))
    }

    fn render_all(&self) -> Result<Files, Diagnostics> {
        let all: Vec<usize> = (0..self.site.pages.len()).collect();
        let mut files = self.render(&all)?;
        for (rel, src) in pipeline::static_files(&self.root, &self.site) {
            if let Ok(bytes) = std::fs::read(&src) {
                files.insert(self.site.href(&rel), bytes);
            }
        }
        for (rel, bytes) in crate::export::files(&self.site) {
            files.insert(self.site.href(&rel), bytes);
        }
        Ok(files)
    }

    fn render(&self, which: &[usize]) -> Result<Files, Diagnostics> {
        use rayon::prelude::*;
        let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = which
            .par_iter()
            .map(|&i| {
                let page = &self.site.pages[i];
                let html = render::render_page(&self.site, &self.templates, page)?;
                let (html, _) = crate::rewrite::rewrite(&self.site, &page.lang, &html)
                    .map_err(|e| crate::pipeline::rewrite_failed(page, e))?;
                Ok((self.url_of(page), inject(&html, &self.inject)))
            })
            .collect();
        let mut files = Files::new();
        let mut diags = Diagnostics::default();
        for r in results {
            match r {
                Ok((k, v)) => {
                    files.insert(k, v);
                }
                Err(d) => diags.push(d),
            }
        }
        if diags.has_errors() { Err(diags) } else { Ok(files) }
    }

    /// Applies changed paths. On success returns the new and removed files; on failure the live
    /// site is unchanged and the diagnostics are returned for the overlay.
    /// The third value lists problems of items that were left at their last good version.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<(Outcome, Update, Diagnostics), Diagnostics> {
        let started = Instant::now();
        let content_dir = self.root.join("content");
        let mut items: BTreeSet<(Kind, String, PathBuf)> = BTreeSet::new();
        let mut full = false;
        for p in changed {
            let Ok(rel) = p.strip_prefix(&content_dir) else {
                full = true;
                continue;
            };
            let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            match parts.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                ["services", id, ..] if parts.len() >= 2 => {
                    items.insert((Kind::Service, id.to_string(), content_dir.join("services").join(id)))
                }
                ["providers", id, ..] if parts.len() >= 2 => {
                    items.insert((Kind::Provider, id.to_string(), content_dir.join("providers").join(id)))
                }
                ["pages", id, ..] if parts.len() >= 2 => {
                    items.insert((Kind::Page, id.to_string(), content_dir.join("pages").join(id)))
                }
                ["charter", ..] => items.insert((Kind::Charter, String::new(), content_dir.join("charter"))),
                ["quality-policy", ..] => {
                    items.insert((Kind::Quality, String::new(), content_dir.join("quality-policy")))
                }
                _ => {
                    full = true;
                    false
                }
            };
        }
        if full || items.is_empty() {
            let (live, new_files) = Live::full(&self.root, &self.base_url, &self.inject)?;
            *self = live;
            let n = self.site.pages.len();
            let o = Outcome {
                pages: n,
                what: "everything (theme, strings, settings or taxonomies changed)".into(),
                millis: started.elapsed().as_secs_f64() * 1000.0,
            };
            return Ok((o, Update::Replace(new_files), Diagnostics::default()));
        }
        // Re-read and validate only the changed items. Items with problems keep their last good
        // version (their problems are returned for the overlay); the others are applied.
        let mut diags = Diagnostics::default();
        let mut new_items = Vec::new();
        for (kind, id, dir) in &items {
            if dir.is_dir() {
                let mut d = Diagnostics::default();
                let it = load::item(&self.root, dir, *kind, id.clone(), &self.site.config, &mut d);
                let (item, more) = validate::validate_one(&it, &self.site.config, &self.site.content);
                d.items.extend(more);
                if d.has_errors() {
                    diags.extend(d);
                } else {
                    new_items.push((*kind, id.clone(), item));
                }
            } else {
                new_items.push((*kind, id.clone(), None));
            }
        }
        diags.sort();
        if new_items.is_empty() && diags.has_errors() {
            return Err(diags);
        }
        let items: BTreeSet<(Kind, String, PathBuf)> =
            items.into_iter().filter(|(k, id, _)| new_items.iter().any(|(k2, id2, _)| k2 == k && id2 == id)).collect();
        // Swap the items in, keeping the old ones to put back if resolving fails.
        let old_addresses = self.addresses_of(&items);
        let old_cards: HashMap<String, String> = self.cards(&old_addresses);
        let old_paths: HashMap<String, BTreeSet<String>> = old_addresses
            .iter()
            .map(|a| (a.clone(), self.site.urls.get(a).map(|m| m.values().cloned().collect()).unwrap_or_default()))
            .collect();
        let old_terms = self.terms_of(&items);
        // The lists the changed items are on now, to tell which of their pages change (a list
        // not kept here counts as changed on every page). Copying every list cost more than the
        // rest of an edit on a big site.
        let old_lists: resolve::Lists = self
            .site
            .lists
            .iter()
            .filter(|(k, _)| {
                matches!(k.as_str(), "services" | "providers" | "easy-read") || old_terms.contains(k.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut undo: Vec<(Kind, String, Option<Item>)> = Vec::new();
        let mut same_pages = true;
        for (kind, id, item) in new_items {
            let new_shape = item.as_ref().map(shape);
            let old = match item {
                Some(i) => put(&mut self.site.content, i),
                None => take(&mut self.site.content, kind, &id),
            };
            same_pages &= new_shape.is_some() && old.as_ref().map(shape) == new_shape;
            undo.push((kind, id, old));
        }
        // Fast path: the items keep their pages (same languages, slugs and easy-read versions):
        // bring places, indexes, lists and links up to date without resolving the whole site.
        if same_pages {
            let lengths = |site: &Site| -> Vec<(Address, Lang, usize)> {
                let mut v: Vec<(Address, Lang, usize)> =
                    site.lists.iter().flat_map(|(k, m)| m.iter().map(move |(l, x)| (k.clone(), *l, x.len()))).collect();
                v.sort();
                v
            };
            let before = lengths(&self.site);
            let changed: HashSet<String> = old_addresses.iter().cloned().collect();
            let reorder = self.cards(&old_addresses) != old_cards;
            let links = resolve::refresh(&mut self.site, &changed, reorder);
            if lengths(&self.site) == before {
                let errors: Vec<Diagnostic> =
                    links.into_iter().filter(|d| d.severity == crate::diagnostics::Severity::Error).collect();
                if !errors.is_empty() {
                    for (kind, id, old) in undo.into_iter().rev() {
                        match old {
                            Some(o) => put(&mut self.site.content, o),
                            None => take(&mut self.site.content, kind, &id),
                        };
                    }
                    resolve::refresh(&mut self.site, &changed, true);
                    let mut d = Diagnostics { items: errors };
                    d.sort();
                    return Err(d);
                }
                return self.patch(
                    started,
                    &items,
                    Before {
                        addresses: old_addresses,
                        cards: old_cards,
                        paths: old_paths,
                        terms: old_terms,
                        lists: old_lists,
                    },
                    diags,
                );
            }
            // A list got longer or shorter (its pages may change): resolve everything below.
        }
        let placeholder = Site::empty_like(&self.site);
        let Site { config, i18n, content, .. } = std::mem::replace(&mut self.site, placeholder);
        let (site, d) = resolve::resolve(config, i18n, content);
        if d.has_errors() {
            let Site { config, i18n, mut content, .. } = site;
            for (kind, id, old) in undo.into_iter().rev() {
                match old {
                    Some(i) => {
                        put(&mut content, i);
                    }
                    None => {
                        take(&mut content, kind, &id);
                    }
                }
            }
            let (site, _) = resolve::resolve(config, i18n, content);
            self.set_site(site);
            let mut d = d;
            d.sort();
            return Err(d);
        }
        self.set_site(site);
        self.patch(
            started,
            &items,
            Before { addresses: old_addresses, cards: old_cards, paths: old_paths, terms: old_terms, lists: old_lists },
            diags,
        )
    }

    /// Puts a newly resolved site in place, with its address-to-pages index.
    fn set_site(&mut self, site: Site) {
        self.pages_at = pages_at(&site);
        self.site = site;
    }

    /// After the site was updated: works out which pages show what changed, and renders them.
    fn patch(
        &self,
        started: Instant,
        items: &BTreeSet<(Kind, String, PathBuf)>,
        before: Before,
        diags: Diagnostics,
    ) -> Result<(Outcome, Update, Diagnostics), Diagnostics> {
        let Before { addresses: old_addresses, cards: old_cards, paths: old_paths, terms: old_terms, lists: old_lists } =
            before;
        // Which pages to render.
        let new_addresses = self.addresses_of(items);
        let new_cards = self.cards(&old_addresses.union(&new_addresses).cloned().collect());
        let moved = old_addresses != new_addresses
            || new_addresses.iter().any(|a| {
                let now: BTreeSet<String> =
                    self.site.urls.get(a).map(|m| m.values().cloned().collect()).unwrap_or_default();
                old_paths.get(a) != Some(&now)
            })
            || items.iter().any(|(k, _, _)| *k == Kind::Page && old_cards != new_cards);
        let which: Vec<usize> = if moved {
            (0..self.site.pages.len()).collect()
        } else {
            let mut addrs: HashSet<String> = new_addresses.iter().cloned().collect();
            let card_changed: Vec<&String> =
                new_cards.iter().filter(|(k, v)| old_cards.get(*k) != Some(*v)).map(|(k, _)| k).collect();
            if !card_changed.is_empty() {
                addrs.extend(["", "services", "providers", "easy-read"].map(String::from));
                addrs.extend(old_terms.iter().cloned());
                addrs.extend(self.terms_of(items));
                for a in &card_changed {
                    addrs.extend(self.related_to(a));
                }
                if items.iter().any(|(k, _, _)| *k == Kind::Charter) {
                    addrs.extend(self.site.content.services.iter().map(|s| format!("services/{}", s.id)));
                }
                if items.iter().any(|(k, _, _)| *k == Kind::Provider) {
                    for (_, id, _) in items.iter().filter(|(k, _, _)| *k == Kind::Provider) {
                        addrs.extend(
                            self.site
                                .services_at(self.site.index.by_provider.get(id))
                                .map(|s| format!("services/{}", s.id)),
                        );
                    }
                }
            }
            let with_easy: HashSet<String> = addrs.iter().map(|a| format!("{a}/easy")).collect();
            // A list page (`services@3`) is re-rendered when what it shows changed: other
            // entries or another order, or an entry whose card changed.
            let c = &self.site.content;
            let changed_services: HashSet<usize> = card_changed
                .iter()
                .filter_map(|a| a.strip_prefix("services/"))
                .filter_map(|id| c.service_pos(id))
                .collect();
            let changed_providers: HashSet<usize> = card_changed
                .iter()
                .filter_map(|a| a.strip_prefix("providers/"))
                .filter_map(|id| self.site.index.provider_pos.get(id).copied())
                .collect();
            let easy_of_changed: HashSet<String> = card_changed.iter().map(|a| format!("{a}/easy")).collect();
            let changed_easy: HashSet<usize> =
                easy_of_changed.iter().flat_map(|a| self.pages_at.get(a).into_iter().flatten().copied()).collect();
            let per = self.site.config.lists.per_page;
            let slice = |lists: &resolve::Lists, list: &str, lang: &str, part: usize| -> Vec<usize> {
                resolve::list_slice(lists, list, lang, part, per).1.to_vec()
            };
            // The pages of the addresses that show the change, and every part of their lists
            // (`services`, `services@2`...), found by address.
            let pages_of = |a: &str| self.pages_at.get(a).into_iter().flatten().copied();
            let mut candidates: Vec<usize> = Vec::new();
            for a in addrs.iter().chain(&with_easy) {
                match self.site.lists.get(a.as_str()) {
                    None => candidates.extend(pages_of(a)),
                    Some(by_lang) => {
                        let most = by_lang.values().map(|v| resolve::parts(v.len(), per.max(1))).max().unwrap_or(1);
                        for n in 1..=most {
                            candidates.extend(pages_of(&resolve::part_address(a, n)));
                        }
                    }
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            candidates
                .into_iter()
                .map(|i| (i, &self.site.pages[i]))
                .filter(|(_, p)| {
                    let list = resolve::list_address(&p.address);
                    if !self.site.lists.contains_key(list) {
                        return addrs.contains(p.address.as_str()) || with_easy.contains(p.address.as_str());
                    }
                    if !addrs.contains(list) {
                        return false;
                    }
                    // A list page (`services@3`) is re-rendered when what it shows changed: other
                    // entries, another order, or an entry whose card changed. The first page of
                    // the catalogue also shows the counts per audience and topic.
                    let now = slice(&self.site.lists, list, &p.lang, p.part);
                    let changed = match list {
                        "providers" => &changed_providers,
                        "easy-read" => &changed_easy,
                        _ => &changed_services,
                    };
                    (p.kind == PageKind::Catalogue && p.part == 1)
                        || now != slice(&old_lists, list, &p.lang, p.part)
                        || now.iter().any(|i| changed.contains(i))
                })
                .map(|(i, _)| i)
                .collect()
        };
        // The changed items' own pages are rendered now; the others that show them (lists,
        // similar services, the home page) when they are asked for.
        let own: HashSet<&str> = new_addresses.iter().map(String::as_str).collect();
        let (now, later): (Vec<usize>, Vec<usize>) = which.into_iter().partition(|&i| {
            let a = &self.site.pages[i].address;
            own.contains(a.strip_suffix("/easy").unwrap_or(a))
        });
        let rendered = self.render(&now)?;
        let stale: HashSet<String> = later.iter().map(|&i| self.url_of(&self.site.pages[i])).collect();
        // Paths may have changed: pages not in the site any more are dropped.
        let keep = moved.then(|| self.site.pages.iter().map(|p| self.url_of(p)).collect());
        let what = items
            .iter()
            .map(|(k, id, _)| if id.is_empty() { k.section().to_string() } else { format!("{}/{id}", k.section()) })
            .collect::<Vec<_>>()
            .join(", ");
        let what = if later.is_empty() { what } else { format!("{what}; {} more when asked for", later.len()) };
        let o = Outcome { pages: now.len(), what, millis: started.elapsed().as_secs_f64() * 1000.0 };
        Ok((o, Update::Patch { insert: rendered, keep, stale }, diags))
    }

    /// Renders the page served at `url` (a page left to render when asked for).
    pub fn render_url(&self, url: &str) -> Option<Vec<u8>> {
        let i = self.site.pages.iter().position(|p| self.url_of(p) == url)?;
        self.render(&[i]).ok()?.into_values().next()
    }

    /// The URL path a page is served at (the key of [`Files`]).
    fn url_of(&self, page: &resolve::OutPage) -> String {
        self.site.href(&pipeline::output_file(&page.path))
    }

    /// Makes one leaflet on request (leaflets are not made on every edit, so editing stays fast).
    pub fn leaflet(&self, path: &str) -> Option<Result<Vec<u8>, Diagnostics>> {
        if !self.site.config.leaflets.enabled {
            return None;
        }
        crate::leaflet::make_one(&self.site, &self.root, &Default::default(), path).map(|r| r.map(|l| l.bytes))
    }

    /// The exported files (search index, sitemap, feeds, data), refreshed after the pages so an
    /// edit shows at once.
    pub fn exports(&self) -> Files {
        crate::export::files(&self.site).into_iter().map(|(rel, bytes)| (self.site.href(&rel), bytes)).collect()
    }

    /// What lists show of every item ("cards"), to tell a text edit from a list change.
    fn cards(&self, only: &BTreeSet<String>) -> HashMap<String, String> {
        let c = &self.site.content;
        let mut m = HashMap::new();
        let wanted = |section: &str, id: &str| {
            only.iter().any(|a| a.strip_prefix(section).and_then(|r| r.strip_prefix('/')) == Some(id))
        };
        for s in c.services.iter().filter(|s| wanted("services", &s.id)) {
            let docs: Vec<String> = s.docs.values().map(|d| format!("{}|{}|{}", d.title, d.summary, d.slug)).collect();
            m.insert(
                format!("services/{}", s.id),
                format!("{docs:?}{}{:?}{:?}{}", s.provider, s.audiences, s.categories, s.home_visit),
            );
        }
        for p in c.providers.iter().filter(|p| wanted("providers", &p.id)) {
            let docs: Vec<String> = p.docs.values().map(|d| format!("{}|{}|{}", d.title, d.summary, d.slug)).collect();
            m.insert(format!("providers/{}", p.id), format!("{docs:?}{:?}{:?}", p.short_name, p.contact.phone));
        }
        for p in c.pages.iter().filter(|p| wanted("pages", &p.id)) {
            let docs: Vec<String> = p.docs.values().map(|d| format!("{}|{}", d.title, d.slug)).collect();
            m.insert(format!("pages/{}", p.id), format!("{docs:?}"));
        }
        if let Some(ch) = c.charter.as_ref().filter(|_| only.contains("charter")) {
            let docs: Vec<String> = ch
                .docs
                .values()
                .map(|d| {
                    format!("{}|{:?}", d.slug, d.fields.commitments.values().map(|x| &x.title).collect::<Vec<_>>())
                })
                .collect();
            m.insert(
                "charter".into(),
                format!("{docs:?}{:?}", ch.expectations.iter().map(|e| &e.commitments).collect::<Vec<_>>()),
            );
        }
        if let Some(q) = c.quality.as_ref().filter(|_| only.contains("quality-policy")) {
            m.insert("quality-policy".into(), format!("{:?}", q.docs.values().map(|d| &d.slug).collect::<Vec<_>>()));
        }
        m
    }

    fn addresses_of(&self, items: &BTreeSet<(Kind, String, PathBuf)>) -> BTreeSet<String> {
        items
            .iter()
            .map(|(k, id, _)| match k {
                Kind::Charter => "charter".to_string(),
                Kind::Quality => "quality-policy".to_string(),
                _ => format!("{}/{id}", k.section()),
            })
            .filter(|a| self.site.urls.contains_key(a))
            .collect()
    }

    /// Term and provider pages the changed services are listed on.
    fn terms_of(&self, items: &BTreeSet<(Kind, String, PathBuf)>) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (k, id, _) in items {
            if *k != Kind::Service {
                continue;
            }
            if let Some(s) = self.site.content.service_pos(id).map(|i| &self.site.content.services[i]) {
                out.extend(s.audiences.iter().map(|a| format!("audiences/{a}")));
                out.extend(s.categories.iter().map(|a| format!("categories/{a}")));
                out.insert(format!("providers/{}", s.provider));
            }
        }
        out
    }

    /// Services whose "similar services" list may show the service at `address`.
    fn related_to(&self, address: &str) -> Vec<String> {
        let Some(id) = address.strip_prefix("services/") else { return vec![] };
        let Some(s) = self.site.content.service_pos(id).map(|i| &self.site.content.services[i]) else { return vec![] };
        s.categories
            .iter()
            .flat_map(|c| self.site.services_at(self.site.index.by_category.get(c)).take(9))
            .map(|o| format!("services/{}", o.id))
            .collect()
    }
}

fn put(content: &mut Content, item: Item) -> Option<Item> {
    match item {
        Item::Service(s) => put_sorted(&mut content.services, s, |x| &x.id).map(Item::Service),
        Item::Provider(p) => put_sorted(&mut content.providers, p, |x| &x.id).map(Item::Provider),
        Item::Page(p) => put_sorted(&mut content.pages, p, |x| &x.id).map(Item::Page),
        Item::Charter(c) => content.charter.replace(c).map(Item::Charter),
        Item::Quality(q) => content.quality.replace(q).map(Item::Quality),
    }
}

fn take(content: &mut Content, kind: Kind, id: &str) -> Option<Item> {
    match kind {
        Kind::Service => content.service_pos(id).map(|i| Item::Service(content.services.remove(i))),
        Kind::Provider => {
            content.providers.iter().position(|s| s.id == id).map(|i| Item::Provider(content.providers.remove(i)))
        }
        Kind::Page => content.page_pos(id).map(|i| Item::Page(content.pages.remove(i))),
        Kind::Charter => content.charter.take().map(Item::Charter),
        Kind::Quality => content.quality.take().map(Item::Quality),
    }
}

/// Which pages an item has: its languages with their slugs, and its easy-read languages.
fn shape(item: &Item) -> Vec<String> {
    macro_rules! of {
        ($x:expr) => {
            $x.docs
                .iter()
                .map(|(l, d)| format!("{l}:{}", d.slug))
                .chain($x.easy.keys().map(|l| format!("easy:{l}")))
                .collect()
        };
    }
    match item {
        Item::Service(x) => of!(x),
        Item::Provider(x) => of!(x),
        Item::Page(x) => of!(x),
        Item::Charter(x) => of!(x),
        Item::Quality(x) => of!(x),
    }
}

/// Pages of the live site that exist, for tests.
pub fn page_count(site: &Site) -> usize {
    site.pages.iter().filter(|p| p.kind != PageKind::NotFound).count()
}
