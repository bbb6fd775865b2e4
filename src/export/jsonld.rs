//! schema.org JSON-LD: `GovernmentService` on service pages, `GovernmentOrganization` on
//! provider pages. Made from the model; safe to embed in a `<script>` data block.

use crate::model::{Provider, Service};
use crate::resolve::Site;
use serde_json::{Value, json};

fn org(site: &Site, p: &Provider, lang: &str) -> Value {
    let d = p.docs.get(lang).or_else(|| p.docs.get(site.default_lang()));
    let mut v = json!({
        "@type": "GovernmentOrganization",
        "name": d.map(|d| d.title.as_str()).unwrap_or(&p.id),
    });
    if let Some(url) = site.path_of(&format!("providers/{}", p.id), lang) {
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
    let url = site.path_of(&format!("services/{}", s.id), lang).map(|p| site.absolute(p));
    let provider = site.provider(&s.provider);
    let phone = s
        .contact
        .phone
        .as_ref()
        .or(provider.and_then(|p| p.contact.phone.as_ref()))
        .unwrap_or(&site.config.contact.phone);
    let email = s
        .contact
        .email
        .clone()
        .or(provider.and_then(|p| p.contact.email.clone()))
        .unwrap_or_else(|| site.config.contact.email.clone());
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
    let mut channel = json!({
        "@type": "ServiceChannel",
        "servicePhone": { "@type": "ContactPoint", "telephone": phone.e164, "contactType": "customer service" },
        "availableLanguage": s.docs.keys().collect::<Vec<_>>(),
    });
    channel["serviceUrl"] = json!(url.clone().or(s.contact.website.clone()));
    channel["serviceLocation"] = json!({ "@type": "Place", "name": site.config.language(lang).organisation });
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
        "email": email,
        "inLanguage": lang,
        "dateModified": s.review.reviewed.to_string(),
    });
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
