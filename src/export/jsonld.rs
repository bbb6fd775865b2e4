//! schema.org JSON-LD: `GovernmentService` on service pages, `GovernmentOrganization` on
//! provider pages. Made from the model; safe to embed in a `<script>` data block.

use crate::address::{Address, Target};
use crate::model::{Provider, Service};
use crate::resolve::{Site, Whose};
use serde_json::{Value, json};

fn org(site: &Site, p: &Provider, lang: &str) -> Value {
    let d = p.docs.get(lang).or_else(|| p.docs.get(site.default_lang()));
    let mut v = json!({
        "@type": "GovernmentOrganization",
        "name": d.map(|d| d.title.as_str()).unwrap_or(&p.id),
    });
    if let Some(url) = site.path_of(&Address::new(Target::Provider(&p.id)), lang) {
        v["url"] = json!(site.absolute(url));
    }
    if let Some(w) = &p.contact.website {
        v["sameAs"] = json!(w);
    }
    if let Some(ph) = &p.contact.phone {
        v["telephone"] = json!(ph.e164);
    }
    if let Some(e) = &p.contact.email {
        v["email"] = json!(e);
    }
    if let Some(a) = &p.contact.address {
        v["address"] = json!(site.shown(a, lang).text);
    }
    v
}

/// Serialises for a `<script type="application/ld+json">` block (no `</script>` can appear).
fn embed(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// JSON-LD of a service page.
pub fn service(site: &Site, s: &Service, lang: &str) -> String {
    let d = &s.docs[lang];
    let url = site.path_of(&Address::new(Target::Service(&s.id)), lang).map(|p| site.absolute(p));
    let provider = site.provider(&s.provider);
    let reach = site.service_reach(s);
    let audiences: Vec<Value> = s
        .audiences
        .iter()
        .filter_map(|a| site.content.taxonomies.audiences.iter().find(|t| &t.key == a))
        .map(|t| json!({ "@type": "Audience", "audienceType": site.shown(&t.label, lang).text }))
        .collect();
    let categories: Vec<&str> = s
        .categories
        .iter()
        .filter_map(|a| site.content.taxonomies.categories.iter().find(|t| &t.key == a))
        .map(|t| site.shown(&t.label, lang).text)
        .collect();
    // The phone is said to be the service's (or its institution's) only when it is; the site's
    // contact is given as what it is, with the words the page uses for it.
    let contact_point = match reach.phone_whose {
        Whose::Own => {
            json!({ "@type": "ContactPoint", "telephone": reach.phone.e164, "contactType": "customer service" })
        }
        Whose::Provider => json!({
            "@type": "ContactPoint",
            "telephone": reach.phone.e164,
            "name": provider.and_then(|p| site.doc_in(&p.docs, lang)).map(|d| d.title.as_str()),
        }),
        Whose::Site => {
            let t = site.i18n.lang(lang);
            let mut c = json!({
                "@type": "ContactPoint",
                "telephone": reach.phone.e164,
                "name": site.config.language(lang).organisation,
                "description": if reach.line { t.get("service.line_note") } else { t.get("service.phone") },
            });
            if reach.email_whose == Whose::Site {
                c["email"] = json!(reach.email);
            }
            c
        }
    };
    let mut channel = json!({
        "@type": "ServiceChannel",
        "servicePhone": contact_point,
        "availableLanguage": s.docs.keys().collect::<Vec<_>>(),
    });
    channel["serviceUrl"] = json!(url.clone().or(s.contact.website.clone()));
    // Where the service is given: only an address the service or its institution states.
    if let Some(a) = s.contact.address.as_ref().or(provider.and_then(|p| p.contact.address.as_ref())) {
        channel["serviceLocation"] = json!({ "@type": "Place", "address": site.shown(a, lang).text });
    }
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": d.title,
        "description": d.summary,
        "url": url,
        "serviceType": categories.join(", "),
        "audience": audiences,
        "areaServed": { "@type": "AdministrativeArea", "name": site.config.language(lang).area.as_deref().unwrap_or(site.config.language(lang).organisation.as_str()) },
        "availableChannel": channel,
        "inLanguage": lang,
        "dateModified": s.review.reviewed.to_string(),
    });
    if reach.email_whose != Whose::Site {
        v["email"] = json!(reach.email);
    }
    if let Some(p) = provider {
        v["provider"] = org(site, p, lang);
    }
    if let Some(cost) = &d.fields.cost {
        v["offers"] = json!({ "@type": "Offer", "description": cost });
    }
    embed(&v)
}

/// JSON-LD of a provider page.
pub fn provider(site: &Site, p: &Provider, lang: &str) -> String {
    let mut v = org(site, p, lang);
    v["@context"] = json!("https://schema.org");
    if let Some(d) = p.docs.get(lang) {
        v["description"] = json!(d.summary);
    }
    embed(&v)
}
