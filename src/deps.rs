//! What each output is made from: a fingerprint per page (and the hashes of items and of the
//! site-wide inputs it is built on), so a build remakes only the pages whose fingerprint changed
//! since the manifest recorded it (see [`crate::manifest`] and `pipeline::build`).
//!
//! A fingerprint is a hash of everything the page's template context and its rewrite read (see
//! `view::page` and `rewrite::note_link`):
//! - the site-wide inputs ([`global`]): the binary, the build's options, `site.toml`, `i18n/`,
//!   the theme (templates, static files, leaflet layouts, fonts), `content/taxonomies.toml`, the
//!   charter (its commitments are on every service page and the home page) and its signatories,
//!   and what every page's navigation and footer show (which of the home, catalogue, charter,
//!   quality policy, providers and easy-read lists exist in each language, the free pages' titles
//!   and addresses);
//! - the page itself: its kind, language, address, path and part, the paths of its address in
//!   every language (language switcher, `hreflang`), its easy-read version's path, its leaflets;
//! - for an item's pages (and their easy-read versions): the hash of every file of the item;
//! - what it shows of other items: a service's provider ([`provider_face`]: names, short name,
//!   contacts, addresses) and its related services' cards ([`service_card`]); a provider's
//!   services' cards; the charter's and the quality policy's providers;
//! - a list page: how long the list is and the cards of the entries on it; the catalogue and the
//!   home page also the counts per audience and category, the providers they list and the home
//!   visit services;
//! - where each `@/` link of its texts leads now.
//!
//! Exports (sitemap, feeds, search index, data) depend on the whole site: any change makes them
//! again. Theme files and assets are compared by their bytes, leaflets by theirs.

use crate::address::{Address, Target};
use crate::manifest::{Hash, Hasher};
use crate::model::Service;
use crate::render::Templates;
use crate::resolve::{self, EasyOf, OutPage, PageKind, Site};
use rayon::prelude::*;
use std::collections::HashMap;

/// The hash of each content item (by address: `services/<id>`, `charter`...), made from the hashes
/// of its files; the hash of the other inputs comes back as the second value.
pub fn item_hashes(inputs: &[(String, crate::manifest::FileState)]) -> (HashMap<String, Hash>, Hash) {
    let mut items: HashMap<String, Hasher> = HashMap::new();
    let mut rest = Hasher::new();
    for (rel, f) in inputs {
        let parts: Vec<&str> = rel.split('/').collect();
        let address = match parts.as_slice() {
            ["content", section @ ("services" | "providers" | "pages"), id, _, ..] => Some(format!("{section}/{id}")),
            ["content", section @ ("charter" | "quality-policy"), _, ..] => Some(section.to_string()),
            _ => None,
        };
        let h = match address {
            Some(a) => items.entry(a).or_default(),
            None => &mut rest,
        };
        h.str(rel).hash(f.hash);
    }
    (items.into_iter().map(|(a, h)| (a, h.finish())).collect(), rest.finish())
}

/// The hashes the fingerprints are made of.
pub struct Inputs<'a> {
    /// Item address -> hash of its files.
    pub items: &'a HashMap<String, Hash>,
    /// The hash of the binary, the options and every input file outside the items' folders.
    pub files: Hash,
}

/// What pages show of a provider: its names, short name, contacts and addresses in every
/// language (service pages fall back to its contacts and its name in the default language).
pub fn provider_face(site: &Site, id: &str) -> Hash {
    let mut h = Hasher::new();
    h.str(id);
    match site.provider(id) {
        Some(p) => {
            h.u64(1).opt(p.short_name.as_deref()).debug(&p.contact);
            for (lang, d) in &p.docs {
                h.str(lang).str(&d.title).str(&d.summary).str(&d.slug);
            }
            urls(&mut h, site, &Address::new(Target::Provider(id)));
        }
        None => {
            h.u64(0);
        }
    }
    h.finish()
}

/// What lists and related services show of a service in `lang`: title, summary, address, home
/// visit and its provider (see `view::ServiceCard`).
pub fn service_card(site: &Site, faces: &HashMap<&str, Hash>, s: &Service, lang: &str) -> Hash {
    let mut h = Hasher::new();
    h.str(&s.id);
    // A service not yet translated into `lang` is listed by its default-language text.
    if let Some(d) = site.doc_in(&s.docs, lang) {
        h.str(&d.lang).str(&d.title).str(&d.summary);
    }
    urls(&mut h, site, &Address::new(Target::Service(&s.id)));
    h.u64(u64::from(s.home_visit)).str(&s.provider).hash(faces.get(s.provider.as_str()).copied().unwrap_or(0));
    h.finish()
}

/// The paths of an address in every language.
fn urls(h: &mut Hasher, site: &Site, address: &str) {
    if let Some(m) = site.urls.get(address) {
        for (l, p) in m {
            h.str(l).str(p);
        }
    }
    h.u64(0xfe);
}

/// Where each `@/` link of `links` leads in `lang` now.
fn link_targets(h: &mut Hasher, site: &Site, lang: &str, links: &[crate::markdown::Link]) {
    for l in links.iter().filter(|l| l.target.starts_with("@/")) {
        let to = site.resolve_link(lang, &l.target);
        h.str(&l.target).opt(to.as_ref().map(|(href, _)| href.as_str())).opt(to.as_ref().map(|(_, in_lang)| *in_lang));
    }
}

/// The site-wide part of every fingerprint (see the module's documentation).
pub fn global(site: &Site, inputs: &Inputs<'_>, faces: &HashMap<&str, Hash>) -> Hash {
    let mut h = Hasher::new();
    h.hash(inputs.files);
    let c = &site.content;
    h.hash(c.charter.as_ref().map_or(0, |_| inputs.items.get("charter").copied().unwrap_or(1)));
    if let Some(ch) = &c.charter {
        for s in &ch.signatories {
            h.hash(faces.get(s.as_str()).copied().unwrap_or_else(|| provider_face(site, s)));
        }
        for (lang, d) in &ch.docs {
            link_targets(&mut h, site, lang, &d.fields.links);
        }
    }
    for lang in site.config.lang_codes() {
        h.str(lang);
        for a in ["", "services", "charter", "quality-policy", "providers", "easy-read"] {
            h.opt(site.path_of(a, lang));
        }
        for pg in &c.pages {
            h.str(&pg.id).opt(pg.docs.get(lang).map(|d| d.title.as_str()));
            h.opt(site.path_of(&Address::new(Target::Page(&pg.id)), lang));
        }
    }
    h.finish()
}

/// The fingerprint of every page of the site, in page order.
pub fn pages(site: &Site, templates: &Templates, inputs: &Inputs<'_>) -> Vec<Hash> {
    let faces: HashMap<&str, Hash> =
        site.content.providers.par_iter().map(|p| (p.id.as_str(), provider_face(site, &p.id))).collect();
    let global = global(site, inputs, &faces);
    site.pages.par_iter().map(|p| page(site, templates, inputs, &faces, global, p)).collect()
}

/// The item an address belongs to (`services/x/easy` -> `services/x`).
fn item_of(address: &str) -> &str {
    address.strip_suffix("/easy").unwrap_or(address)
}

fn page(
    site: &Site,
    templates: &Templates,
    inputs: &Inputs<'_>,
    faces: &HashMap<&str, Hash>,
    global: Hash,
    page: &OutPage,
) -> Hash {
    let c = &site.content;
    let lang = page.lang.as_str();
    let mut h = Hasher::new();
    h.hash(global).debug(&std::mem::discriminant(&page.kind)).str(lang).str(&page.address).str(&page.path);
    h.u64(page.part as u64);
    urls(&mut h, site, &page.address);
    let url = site.absolute(&page.path);
    if let Some(ls) = templates.leaflet_links(&url) {
        h.str(&serde_json::to_string(ls).unwrap_or_default());
    }
    if crate::view::easy_of(page.kind).is_some() {
        h.opt(page.address.easy().and_then(|easy| site.path_of(&easy, lang)));
    }
    let card = |h: &mut Hasher, i: usize| {
        h.hash(service_card(site, faces, &c.services[i], lang));
    };
    let per = site.config.lists.per_page;
    // A list page: the list's length and the cards of its entries on this page.
    let list = |h: &mut Hasher, name: &str| -> Vec<usize> {
        let (all, _) = resolve::list_slice(&site.lists, name, lang, 1, per);
        let total = resolve::parts(all.len(), per);
        let (_, slice) = resolve::list_slice(&site.lists, name, lang, page.part.clamp(1, total), per);
        h.str(name).u64(all.len() as u64).u64(slice.len() as u64);
        slice.to_vec()
    };
    let term_counts = |h: &mut Hasher| {
        for (section, terms) in [("audiences", &c.taxonomies.audiences), ("categories", &c.taxonomies.categories)] {
            for t in terms {
                let n = site.lists.get(&format!("{section}/{}", t.key)).and_then(|m| m.get(lang)).map_or(0, Vec::len);
                h.u64(n as u64);
            }
        }
    };
    let own = |h: &mut Hasher| {
        h.hash(inputs.items.get(item_of(&page.address)).copied().unwrap_or(1));
    };
    match page.kind {
        PageKind::Home => {
            term_counts(&mut h);
            h.u64(c.services.iter().filter(|s| s.docs.contains_key(lang)).count() as u64);
            let visits = site.home_visit_services(lang);
            h.u64(visits.len() as u64);
            for &i in visits.iter().take(site.config.lists.home_visit_on_home) {
                card(&mut h, i);
            }
        }
        PageKind::Catalogue => {
            for i in list(&mut h, "services") {
                card(&mut h, i);
            }
            term_counts(&mut h);
            let listed = site.lists.get("providers").and_then(|m| m.get(lang)).map(Vec::as_slice).unwrap_or(&[]);
            h.u64(listed.len() as u64);
            if page.part == 1 && listed.len() <= per {
                for &i in listed {
                    let p = &c.providers[i];
                    h.hash(faces.get(p.id.as_str()).copied().unwrap_or(0));
                    h.u64(crate::view::provider_services(site, &p.id, lang).count() as u64);
                }
            }
        }
        PageKind::Service(i) => {
            own(&mut h);
            let s = &c.services[i];
            h.hash(faces.get(s.provider.as_str()).copied().unwrap_or_else(|| provider_face(site, &s.provider)));
            for o in crate::view::related_of(site, s, lang) {
                h.hash(service_card(site, faces, o, lang));
            }
            if let Some(d) = s.docs.get(lang) {
                link_targets(&mut h, site, lang, &d.body.links);
            }
        }
        PageKind::ProviderIndex => {
            for i in list(&mut h, "providers") {
                let p = &c.providers[i];
                h.hash(faces.get(p.id.as_str()).copied().unwrap_or(0));
                h.u64(crate::view::provider_services(site, &p.id, lang).count() as u64);
            }
        }
        PageKind::Provider(i) => {
            own(&mut h);
            let p = &c.providers[i];
            h.hash(faces.get(p.id.as_str()).copied().unwrap_or(0));
            for s in site.services_at(site.index.by_provider.get(&p.id)) {
                h.hash(service_card(site, faces, s, lang));
            }
            if let Some(d) = p.docs.get(lang) {
                link_targets(&mut h, site, lang, &d.body.links);
            }
        }
        PageKind::Audience(t) | PageKind::Category(t) => {
            let (section, terms) = if matches!(page.kind, PageKind::Audience(_)) {
                ("audiences", &c.taxonomies.audiences)
            } else {
                ("categories", &c.taxonomies.categories)
            };
            for i in list(&mut h, &format!("{section}/{}", terms[t].key)) {
                card(&mut h, i);
            }
        }
        PageKind::Charter => {
            own(&mut h);
            if let Some(d) = c.charter.as_ref().and_then(|x| x.docs.get(lang)) {
                link_targets(&mut h, site, lang, &d.body.links);
            }
        }
        PageKind::Quality => {
            own(&mut h);
            if let Some(q) = &c.quality {
                h.hash(faces.get(q.provider.as_str()).copied().unwrap_or_else(|| provider_face(site, &q.provider)));
                if let Some(d) = q.docs.get(lang) {
                    link_targets(&mut h, site, lang, &d.body.links);
                }
            }
        }
        PageKind::Page(i) => {
            own(&mut h);
            if let Some(d) = c.pages[i].docs.get(lang) {
                link_targets(&mut h, site, lang, &d.body.links);
            }
        }
        PageKind::Easy(of) => {
            own(&mut h);
            urls(&mut h, site, item_of(&page.address));
            if let Some(d) = resolve::easy_docs(c, of).and_then(|m| m.get(lang)) {
                link_targets(&mut h, site, lang, &d.body.links);
            }
            if let EasyOf::Service(i) = of {
                h.hash(faces.get(c.services[i].provider.as_str()).copied().unwrap_or(0));
            }
        }
        PageKind::EasyIndex => {
            for i in list(&mut h, "easy-read") {
                let p = &site.pages[i];
                h.str(&p.address).str(&p.path);
                h.hash(inputs.items.get(item_of(&p.address)).copied().unwrap_or(1));
            }
        }
        PageKind::NotFound => {}
    }
    h.finish()
}

/// The fingerprint of the exports: every item, every page's place, the site-wide inputs.
pub fn exports(site: &Site, inputs: &Inputs<'_>) -> Hash {
    let mut h = Hasher::new();
    h.hash(inputs.files);
    let mut items: Vec<(&String, &Hash)> = inputs.items.iter().collect();
    items.sort_unstable();
    for (a, x) in items {
        h.str(a).hash(*x);
    }
    for p in &site.pages {
        h.str(&p.lang).str(&p.address).str(&p.path);
    }
    h.finish()
}
