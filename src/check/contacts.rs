//! Contacts: phone numbers written in the text that are not valid or are not the institution's
//! own number (so the same institution never gives two different numbers), web addresses without
//! https, and the list of external links for `--online`.

use crate::diagnostics::{Code, Diagnostic, Location, SourceCache};
use crate::model::{ContactFacts, Doc};
use crate::resolve::Site;
use crate::values::phone;
use std::collections::BTreeMap;
use std::path::Path;

/// Finds `needle` in a file for a precise location; the file start when it is not there.
fn locate(file: &Path, needle: &str, cache: &mut SourceCache) -> Location {
    cache.locate(file, needle).unwrap_or_else(|| Location::file(file))
}

/// What looks like a phone number in all the text a reader sees on a page, from the model: the
/// title, the summary, the body (found when it was validated, [`crate::model::Body::phones`])
/// and the text fields, in that order.
fn doc_phones<F: serde::Serialize>(d: &Doc<F>) -> Vec<String> {
    let mut runs = phone_runs(&d.title);
    runs.extend(phone_runs(&d.summary));
    runs.extend(d.body.phones.iter().flatten().map(|r| r.to_string()));
    if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(&d.fields) {
        for v in m.values() {
            match v {
                serde_json::Value::String(s) => runs.extend(phone_runs(s)),
                serde_json::Value::Array(a) => {
                    a.iter().filter_map(|x| x.as_str()).for_each(|s| runs.extend(phone_runs(s)))
                }
                _ => {}
            }
        }
    }
    runs
}

fn phone_runs(text: &str) -> Vec<String> {
    phone::find_in_text(text).into_iter().map(|(_, run)| run).collect()
}

struct Owner<'a> {
    what: String,
    facts: &'a ContactFacts,
    provider: Option<&'a ContactFacts>,
}

/// Checks the phone numbers written in a page's text (`runs`, [`phone::find_in_text`]).
fn check_phones(
    site: &Site,
    file: &Path,
    runs: &[String],
    owner: &Owner<'_>,
    cache: &mut SourceCache,
    out: &mut Vec<Diagnostic>,
) {
    let mut known: Vec<&phone::Phone> = vec![&site.config.contact.phone, &site.config.feedback.phone];
    known.extend(owner.facts.phone.iter());
    if let Some(p) = owner.provider {
        known.extend(p.phone.iter());
    }
    let own = owner
        .facts
        .phone
        .as_ref()
        .or(owner.provider.and_then(|p| p.phone.as_ref()))
        .unwrap_or(&site.config.contact.phone);
    for run in runs {
        // The file is read again only to place a finding.
        match phone::parse(run) {
            Err(e) => out.push(
                Diagnostic::warning(
                    Code::PhoneInText,
                    locate(file, run, cache),
                    format!("`{run}` in the text is not a valid phone number: {}", e.message),
                )
                .with_hint(e.hint),
            ),
            Ok(p) if !known.iter().any(|k| k.e164 == p.e164) => out.push(
                Diagnostic::warning(
                    Code::PhoneMismatch,
                    locate(file, run, cache),
                    format!("the text gives {} for {}, whose number is {}", p.display, owner.what, own.display),
                )
                .with_hint("use the number from the .toml facts file, or correct the facts if the number has changed"),
            ),
            Ok(_) => {}
        }
    }
}

fn check_website(file: &Path, facts: &ContactFacts, cache: &mut SourceCache, out: &mut Vec<Diagnostic>) {
    if let Some(w) = &facts.website
        && w.starts_with("http://")
    {
        out.push(
            Diagnostic::warning(
                Code::UrlHttp,
                locate(file, w, cache),
                format!("`{w}` is not a secure (https) address"),
            )
            .with_hint("use the https:// address if the site has one"),
        );
    }
}

/// Checks contacts across the site.
pub fn check(root: &Path, site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut cache = SourceCache::new(root);
    let c = &site.content;
    for p in &c.providers {
        let owner = Owner { what: format!("the institution `{}`", p.id), facts: &p.contact, provider: None };
        check_website(&p.dir.join("provider.toml"), &p.contact, &mut cache, &mut out);
        for d in p.docs.values() {
            check_phones(site, &d.file, &doc_phones(d), &owner, &mut cache, &mut out);
        }
        for d in p.easy.values() {
            check_phones(site, &d.file, &phone_runs(&d.body.plain), &owner, &mut cache, &mut out);
        }
    }
    for s in &c.services {
        let provider = site.provider(&s.provider).map(|p| &p.contact);
        let owner = Owner { what: format!("the service `{}`", s.id), facts: &s.contact, provider };
        check_website(&s.dir.join("service.toml"), &s.contact, &mut cache, &mut out);
        for d in s.docs.values() {
            check_phones(site, &d.file, &doc_phones(d), &owner, &mut cache, &mut out);
        }
        for d in s.easy.values() {
            check_phones(site, &d.file, &phone_runs(&d.body.plain), &owner, &mut cache, &mut out);
        }
    }
    let none = ContactFacts::default();
    let site_owner = Owner { what: "the site".into(), facts: &none, provider: None };
    for pg in &c.pages {
        for d in pg.docs.values() {
            check_phones(site, &d.file, &doc_phones(d), &site_owner, &mut cache, &mut out);
        }
    }
    if let Some(ch) = &c.charter {
        for d in ch.docs.values() {
            let mut runs = phone_runs(&d.summary);
            runs.extend(d.body.phones.iter().flatten().map(|r| r.to_string()));
            runs.extend(phone_runs(d.fields.feedback.as_deref().unwrap_or_default()));
            runs.extend(d.fields.commitments.values().flat_map(|c| phone_runs(&c.html)));
            check_phones(site, &d.file, &runs, &site_owner, &mut cache, &mut out);
        }
    }
    out
}

/// Every external web address in the content, with where it is written (for `--online`).
pub fn external_urls(root: &Path, site: &Site) -> Vec<(String, Vec<Location>)> {
    let mut urls: BTreeMap<String, Vec<Location>> = BTreeMap::new();
    let mut cache = SourceCache::new(root);
    let mut add = |u: &str, at: Location| {
        if u.starts_with("http://") || u.starts_with("https://") {
            urls.entry(u.to_string()).or_default().push(at);
        }
    };
    let c = &site.content;
    let mut bodies: Vec<&[crate::markdown::Link]> = Vec::new();
    for s in &c.services {
        let f = s.dir.join("service.toml");
        if let Some(w) = &s.contact.website {
            add(w, locate(&f, w, &mut cache));
        }
        for l in &s.legal_basis {
            add(&l.url, locate(&f, &l.url, &mut cache));
        }
        bodies.extend(s.docs.values().map(|d| d.body.links.as_slice()));
        bodies.extend(s.easy.values().map(|d| d.body.links.as_slice()));
    }
    for p in &c.providers {
        if let Some(w) = &p.contact.website {
            add(w, locate(&p.dir.join("provider.toml"), w, &mut cache));
        }
        bodies.extend(p.docs.values().map(|d| d.body.links.as_slice()));
    }
    for p in &c.pages {
        bodies.extend(p.docs.values().map(|d| d.body.links.as_slice()));
    }
    bodies.extend(c.charter.iter().flat_map(|x| x.docs.values().map(|d| d.body.links.as_slice())));
    bodies.extend(c.quality.iter().flat_map(|x| x.docs.values().map(|d| d.body.links.as_slice())));
    for links in bodies {
        for l in links {
            add(&l.target, l.at.clone());
        }
    }
    if let Some(u) = &site.config.feedback.url {
        add(u, Location::file("site.toml"));
    }
    urls.into_iter().collect()
}
