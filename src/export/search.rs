//! The search index of one language: a small JSON file the search box loads when it is first
//! used. Words are stored lowercased and without diacritics ("pagalba i namus"); the browser
//! script (`themes/default/static/search.js`) stems and matches them, tolerating one typo.

use crate::resolve::{PageKind, Site};
use crate::values::slug::slugify;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Lowercased words without diacritics, each once.
pub fn words(texts: &[&str]) -> String {
    let mut set = BTreeSet::new();
    let mut out = Vec::new();
    for t in texts {
        for w in slugify(t).split('-').filter(|w| w.len() > 1) {
            if set.insert(w.to_string()) {
                out.push(w.to_string());
            }
        }
    }
    out.join(" ")
}

/// The index of one language: every service and content page, with its kind label.
pub fn index(site: &Site, lang: &str) -> String {
    let t = site.i18n.lang(lang);
    let c = &site.content;
    let mut docs: Vec<Value> = Vec::new();
    for page in site.pages.iter().filter(|p| p.lang == lang) {
        let (title, summary, kind, extra): (String, String, &str, Vec<String>) = match page.kind {
            PageKind::Service(i) => {
                let s = &c.services[i];
                let d = &s.docs[lang];
                let mut extra: Vec<String> = d.fields.eligibility.clone();
                extra.extend(s.audiences.iter().chain(&s.categories).filter_map(|k| {
                    c.taxonomies
                        .audiences
                        .iter()
                        .chain(&c.taxonomies.categories)
                        .find(|x| &x.key == k)
                        .map(|x| x.label.get(lang).to_string())
                }));
                if let Some(p) = site.provider(&s.provider).and_then(|p| p.docs.get(lang)) {
                    extra.push(p.title.clone());
                }
                (d.title.clone(), d.summary.clone(), "nav.services", extra)
            }
            PageKind::Provider(i) => {
                let d = &c.providers[i].docs[lang];
                (
                    d.title.clone(),
                    d.summary.clone(),
                    "nav.providers",
                    c.providers[i].short_name.iter().cloned().collect(),
                )
            }
            PageKind::Page(i) => {
                let d = &c.pages[i].docs[lang];
                (d.title.clone(), d.summary.clone(), "search.page", vec![])
            }
            PageKind::Charter => {
                let d = &c.charter.as_ref().expect("resolved").docs[lang];
                (
                    d.title.clone(),
                    d.summary.clone(),
                    "nav.charter",
                    d.fields.commitments.values().map(|x| x.title.clone()).collect(),
                )
            }
            PageKind::Quality => {
                let d = &c.quality.as_ref().expect("resolved").docs[lang];
                (d.title.clone(), d.summary.clone(), "nav.quality", vec![])
            }
            _ => continue,
        };
        let mut texts: Vec<&str> = vec![&title, &summary];
        texts.extend(extra.iter().map(String::as_str));
        // The summary's words are in `w`; the text itself is not shown, so it is not shipped.
        docs.push(json!({ "t": title, "u": site.href(&page.path), "k": t.get(kind), "w": words(&texts) }));
    }
    serde_json::to_string(&json!({ "lang": lang, "docs": docs })).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_plain_and_unique() {
        assert_eq!(words(&["Pagalba į namus", "pagalba namuose"]), "pagalba namus namuose");
    }
}
