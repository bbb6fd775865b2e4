//! Render stage: turns each resolved page into HTML with the theme's Tera templates.
//!
//! Owns the template engine (templates compiled once per build), the context every template gets
//! (`site`, `t`, `page`, `nav`, `lang_switch` and the page's own data), and the formatting of
//! dates and contact links for people. Contexts are built from the typed model only.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::model::*;
use crate::resolve::{EasyOf, OutPage, PageKind, Site, easy_docs};
use chrono::{Datelike, NaiveDate};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};
use std::path::Path;

/// The compiled templates of a theme.
pub struct Templates {
    tera: tera::Tera,
    /// Leaflets by the absolute URL of the page they belong to.
    leaflets: std::collections::HashMap<String, Vec<Value>>,
}

impl Templates {
    /// Makes the pages link their leaflets before they are made (serve makes them on request):
    /// (path, page URL, variant), shown without a size.
    pub fn set_leaflet_links(&mut self, site: &Site, links: &[(String, String, &'static str)]) {
        self.leaflets.clear();
        for (path, url, variant) in links {
            self.leaflets
                .entry(url.clone())
                .or_default()
                .push(json!({ "href": site.href(path), "variant": variant, "size": "" }));
        }
    }

    /// The leaflet links of the page at `url` (its absolute URL), as its context has them.
    pub fn leaflet_links(&self, url: &str) -> Option<&[Value]> {
        self.leaflets.get(url).map(Vec::as_slice)
    }

    /// Makes the pages link their leaflets ("Leaflet, PDF, 140 KB").
    pub fn set_leaflets(&mut self, site: &Site, leaflets: &[crate::leaflet::Leaflet]) {
        self.leaflets.clear();
        for l in leaflets {
            let kb = l.bytes.len().div_ceil(1024);
            self.leaflets.entry(l.url.clone()).or_default().push(json!({
                "href": site.href(&l.path),
                "variant": l.variant,
                "size": format!("{kb} KB"),
                "pages": l.pages,
            }));
        }
    }
}

/// Compiles the theme's templates (`themes/<theme>/templates/**/*.html`), minified: see
/// [`minify_template`].
pub fn load_templates(root: &Path, theme: &str) -> Result<Templates, Diagnostics> {
    load_templates_as(root, theme, true)
}

/// Minifies a template's HTML, leaving its Tera tags (`{{ }}`, `{% %}`, `{# #}`) as they are.
///
/// Pages are minified once per template here instead of once per page after rendering (which
/// took a fifth of a big build). What is put into the template at render time is text that Tera
/// escapes, or Markdown bodies, which pulldown-cmark writes without indentation.
pub fn minify_template(source: &str) -> String {
    let cfg = minify_html::Cfg { preserve_brace_template_syntax: true, ..minify_cfg() };
    let min = String::from_utf8(minify_html::minify(source.as_bytes(), &cfg)).unwrap_or_default();
    // Tera's tags must come through whole: `{% %}` and `{# #}` in their order, and between two of
    // them the same `{{ }}` (the minifier may reorder the attributes of an element). A tag
    // written inside an element's start tag (`<a href="x"{% if c %} class="y"{% endif %}>`) is
    // taken apart as attributes: such a template is used as written.
    if tag_structure(&min) == tag_structure(source) { min } else { source.to_string() }
}

/// How pages are minified: closing tags and the `<html>` and `<head>` tags kept; no CSS or JS
/// (the theme's pages carry none inline: the Content-Security-Policy forbids it). Quoted
/// attribute values stay quoted only where the HTML standard needs it.
fn minify_cfg() -> minify_html::Cfg {
    minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        allow_noncompliant_unquoted_attribute_values: false,
        minify_css: false,
        minify_js: false,
        ..minify_html::Cfg::default()
    }
}

/// The control tags of a template in order, each after the sorted expressions that come
/// before it.
fn tag_structure(s: &str) -> Vec<Vec<&str>> {
    let mut out = vec![Vec::new()];
    for tag in template_tags(s) {
        if tag.starts_with("{{") {
            out.last_mut().expect("one").push(tag);
        } else {
            out.last_mut().expect("one").sort_unstable();
            out.push(vec![tag]);
            out.push(Vec::new());
        }
    }
    out.last_mut().expect("one").sort_unstable();
    out
}

/// Escapes text for HTML text and quoted attribute values: `&`, `<`, `>`, `"` and `'`. (Tera's
/// own escaping also writes every `/` as `&#x2F;`, which no HTML context needs and which made
/// every URL on a page six bytes per slash longer.)
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let with = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(with);
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out
}

/// The Tera tags of a template, in order.
fn template_tags(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let close = match rest.as_bytes().get(i + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            _ => {
                rest = &rest[i + 1..];
                continue;
            }
        };
        match rest[i + 2..].find(close) {
            Some(j) => {
                out.push(&rest[i..i + 2 + j + 2]);
                rest = &rest[i + 2 + j + 2..];
            }
            None => {
                out.push(&rest[i..]);
                break;
            }
        }
    }
    out
}

fn load_templates_as(root: &Path, theme: &str, minified: bool) -> Result<Templates, Diagnostics> {
    let dir = root.join("themes").join(theme).join("templates");
    let mut diags = Diagnostics::default();
    if !dir.is_dir() {
        diags.push(
            Diagnostic::error(
                Code::Theme,
                Location::file(format!("themes/{theme}/templates")),
                format!("the theme `{theme}` has no templates folder"),
            )
            .with_hint("check `theme` in site.toml, or copy themes/default from a new `skaidra init` site"),
        );
        return Err(diags);
    }
    let mut tera = tera::Tera::default();
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(&dir).into_iter().filter_map(Result::ok) {
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html" || x == "xml") {
            let name = e.path().strip_prefix(&dir).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
            files.push((e.path().to_path_buf(), Some(name)));
        }
    }
    // The templates as written first, so a syntax error is reported at its place in the file.
    if let Err(e) = tera.add_template_files(files.clone()) {
        diags.push(
            Diagnostic::error(Code::Template, parse_error_location(root, theme, &e), parse_error_message(&e))
                .with_hint("fix the template syntax at the place named"),
        );
        return Err(diags);
    }
    if minified {
        let sources: Vec<(String, String)> = files
            .iter()
            .filter_map(|(path, name)| Some((name.clone()?, std::fs::read_to_string(path).ok()?)))
            .map(|(name, src)| {
                let min = if name.ends_with(".html") { minify_template(&src) } else { src };
                (name, min)
            })
            .collect();
        let mut small = tera::Tera::default();
        // Should the minifier ever produce what Tera cannot read, the templates stay as written.
        if sources.len() == files.len() && small.add_raw_templates(sources).is_ok() {
            tera = small;
        }
    }
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    Ok(Templates { tera, leaflets: Default::default() })
}

/// Where a template failed to parse: Tera names the file, and its cause the place (` --> 5:21`).
fn parse_error_location(root: &Path, theme: &str, e: &tera::Error) -> Location {
    let chain = error_chain(e);
    let file = chain
        .split_once("Failed to parse \"")
        .and_then(|(_, r)| r.split_once('"'))
        .map(|(p, _)| crate::diagnostics::display_path(root, Path::new(p)));
    let place = chain.split_once("--> ").and_then(|(_, r)| {
        let (line, col) = r.split_whitespace().next()?.split_once(':')?;
        Some((line.parse().ok()?, col.parse().ok()?))
    });
    match (file, place) {
        (Some(file), Some((line, col))) => Location { file, line, col },
        (Some(file), None) => Location::file(file),
        _ => Location::file(format!("themes/{theme}/templates")),
    }
}

/// What is wrong, on one line: the parser's `= expected ...` line (the place is in the location,
/// the source line is the editor's own), or the whole chain when it has none.
fn parse_error_message(e: &tera::Error) -> String {
    let chain = error_chain(e);
    match chain.lines().rev().find_map(|l| l.trim().strip_prefix("= ")) {
        Some(what) => format!("the template cannot be read: {what}"),
        None => chain,
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Formats a date for people in a language, using `date.format` and `date.months` from i18n.
pub fn human_date(site: &Site, lang: &str, d: NaiveDate) -> String {
    let t = site.i18n.lang(lang);
    let months: Vec<&str> = t.get("date.months").split('|').collect();
    let month = months.get(d.month0() as usize).copied().unwrap_or("");
    t.get("date.format")
        .replace("{year}", &d.year().to_string())
        .replace("{month}", month)
        .replace("{day}", &d.day().to_string())
}

fn enc(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

/// How a template marks a text, or the page a link leads to, that is in another language than
/// the page (not yet translated): `null` when it is in `page_lang`, else the language's code and
/// direction, for `lang`, `hreflang` and `dir`.
fn lang_mark(site: &Site, lang: &str, page_lang: &str) -> Value {
    if lang == page_lang {
        return Value::Null;
    }
    json!({ "code": lang, "dir": site.config.language(lang).dir.as_str() })
}

/// The href of `address` for a page in `lang` (see [`Site::link_of`]) and how the link marks the
/// language of the page it leads to.
fn link_view(site: &Site, address: &str, lang: &str) -> (Value, Value) {
    match site.link_of(address, lang) {
        Some((p, to)) => (json!(site.href(p)), lang_mark(site, to, lang)),
        None => (Value::Null, Value::Null),
    }
}

fn term_list(site: &Site, terms: &[Term], keys: &[String], lang: &str, section: &str) -> Value {
    Value::Array(
        keys.iter()
            .filter_map(|k| terms.iter().find(|t| &t.key == k))
            .map(|t| {
                let addr = format!("{section}/{}", t.key);
                let label = site.shown(&t.label, lang);
                json!({ "key": t.key, "label": label.text, "label_lang": lang_mark(site, label.lang, lang), "url": site.path_of(&addr, lang).map(|p| site.href(p)) })
            })
            .collect(),
    )
}

fn contact_view(site: &Site, c: &ContactFacts, lang: &str) -> Value {
    let address = c.address.as_ref().map(|a| site.shown(a, lang));
    json!({
        "phone": c.phone,
        "email": c.email,
        "website": c.website,
        "address": address.map(|a| a.text),
        "address_lang": address.map_or(Value::Null, |a| lang_mark(site, a.lang, lang)),
        "hours": c.hours.as_ref().map(|rules| rules.iter().map(|r| {
            let t = site.i18n.lang(lang);
            let days = if r.from == r.to { t.get(&format!("days.{}", r.from)).to_string() } else { format!("{}–{}", t.get(&format!("days.{}", r.from)), t.get(&format!("days.{}", r.to))) };
            json!({ "days": days, "times": r.times.iter().map(|(a, b)| format!("{a}–{b}")).collect::<Vec<_>>() })
        }).collect::<Vec<_>>()),
    })
}

/// The phone and e-mail given (`phone`, `email`), whose they are (`phone_of`, `email_of`: `own`,
/// `provider` or `site`) and whether the phone is the site's feedback line (`line`).
fn reach_view(contact: &mut Value, reach: &crate::resolve::Reach<'_>) {
    contact["phone"] = json!(reach.phone);
    contact["email"] = json!(reach.email);
    contact["phone_of"] = json!(reach.phone_whose.key());
    contact["email_of"] = json!(reach.email_whose.key());
    contact["line"] = json!(reach.line);
}

/// An institution's name (in the default language while it is not translated: `name_lang`) and
/// the link to its page (`to`: the language of that page, when it is not the page's).
fn provider_name(site: &Site, id: &str, lang: &str) -> Value {
    match site.provider(id) {
        Some(p) => {
            let doc = site.doc_in(&p.docs, lang);
            let (url, to) = link_view(site, &format!("providers/{id}"), lang);
            json!({
                "id": id,
                "name": doc.map(|d| d.title.as_str()).unwrap_or(id),
                "name_lang": doc.map_or(Value::Null, |d| lang_mark(site, &d.lang, lang)),
                "short_name": p.short_name,
                "url": url,
                "to": to,
            })
        }
        None => json!({ "id": id, "name": id, "name_lang": null, "url": null, "to": null }),
    }
}

/// A service as it appears in lists: one not yet translated into `lang` by its title and summary
/// in the default language, linked to its page in that language (`to`).
fn service_card(site: &Site, s: &Service, lang: &str) -> Option<Value> {
    let d = site.doc_in(&s.docs, lang)?;
    let (url, to) = link_view(site, &format!("services/{}", s.id), lang);
    Some(json!({
        "id": s.id,
        "title": d.title,
        "summary": d.summary,
        "url": url,
        "to": to,
        "home_visit": s.home_visit,
        "provider": provider_name(site, &s.provider, lang),
    }))
}

fn cards<'a>(site: &Site, services: impl Iterator<Item = &'a Service>, lang: &str) -> Vec<Value> {
    let mut v: Vec<Value> = services.filter_map(|s| service_card(site, s, lang)).collect();
    v.sort_by(|a, b| {
        a["title"].as_str().unwrap_or("").to_lowercase().cmp(&b["title"].as_str().unwrap_or("").to_lowercase())
    });
    v
}

fn review_view(site: &Site, r: &Review, lang: &str) -> Value {
    let owner = site.shown(&r.owner, lang);
    json!({
        "reviewed": human_date(site, lang, r.reviewed),
        "reviewed_iso": r.reviewed.to_string(),
        "owner": owner.text,
        "owner_lang": lang_mark(site, owner.lang, lang),
    })
}

fn terms_with_counts(site: &Site, terms: &[Term], lang: &str, section: &str) -> Value {
    let index = if section == "audiences" { &site.index.by_audience } else { &site.index.by_category };
    let mut terms: Vec<&Term> = terms.iter().collect();
    terms.sort_by_key(|t| site.shown(&t.label, lang).text.to_lowercase());
    Value::Array(
        terms
            .into_iter()
            .map(|t| {
                let addr = format!("{section}/{}", t.key);
                // The term's list holds its services in this language (made once by `resolve`);
                // counting them here again cost a pass over the catalogue per catalogue page.
                let count = match site.lists.get(&addr) {
                    Some(by_lang) => by_lang.get(lang).map_or(0, Vec::len),
                    None => site.services_at(index.get(&t.key)).filter(|s| site.doc_in(&s.docs, lang).is_some()).count(),
                };
                let label = site.shown(&t.label, lang);
                json!({ "key": t.key, "label": label.text, "label_lang": lang_mark(site, label.lang, lang), "count": count, "url": site.path_of(&addr, lang).map(|p| site.href(p)) })
            })
            .collect(),
    )
}

/// The charter's commitments and signatories as pages in `lang` show them: on a page in a language
/// the charter is not yet translated into, in the default language (`to`, and the link to the
/// charter in that language).
fn commitments_view(site: &Site, c: &Charter, lang: &str) -> Value {
    let Some(d) = site.doc_in(&c.docs, lang) else { return Value::Null };
    let (url, to) = link_view(site, "charter", lang);
    let mut n = 0;
    let expectations: Vec<Value> = c
        .expectations
        .iter()
        .map(|e| {
            let commitments: Vec<Value> = e
                .commitments
                .iter()
                .map(|id| {
                    n += 1;
                    let t = d.fields.commitments.get(id);
                    json!({ "id": id, "number": n, "title": t.map(|t| t.title.as_str()), "html": t.map(|t| t.html.as_str()) })
                })
                .collect();
            json!({ "id": e.id, "title": d.fields.expectations.get(&e.id), "commitments": commitments })
        })
        .collect();
    json!({
        "expectations": expectations,
        "feedback": d.fields.feedback,
        "signed": c.signed.map(|s| human_date(site, lang, s)),
        "signatories": c.signatories.iter().map(|s| provider_name(site, s, lang)).collect::<Vec<_>>(),
        "url": url,
        "to": to,
        "title": d.title,
        "summary": d.summary,
    })
}

/// The slice of a list a page shows, and the context of its page navigation (`null` when the
/// list fits on one page). Links: first, previous, up to two pages either side, next, last.
fn list_part<'a>(site: &'a Site, page: &OutPage, list: &str, lang: &str) -> (&'a [usize], usize, Value) {
    let per = site.config.lists.per_page.max(1);
    let (all, _) = crate::resolve::list_slice(&site.lists, list, lang, 1, per);
    let total = crate::resolve::parts(all.len(), per);
    let current = page.part.clamp(1, total);
    let (_, slice) = crate::resolve::list_slice(&site.lists, list, lang, current, per);
    if total == 1 {
        return (slice, all.len(), Value::Null);
    }
    let url = |n: usize| site.path_of(&crate::resolve::part_address(list, n), lang).map(|p| site.href(p));
    let mut numbers: Vec<usize> = vec![1];
    numbers.extend(current.saturating_sub(2).max(2)..=(current + 2).min(total));
    numbers.push(total);
    numbers.dedup();
    let mut window = Vec::new();
    let mut last = 0;
    for n in numbers {
        if n > last + 1 {
            window.push(json!({ "gap": true }));
        }
        window.push(json!({ "number": n, "url": url(n), "current": n == current }));
        last = n;
    }
    let (first, last) = ((current - 1) * per + 1, (current - 1) * per + slice.len());
    let showing = site
        .i18n
        .lang(lang)
        .get("pagination.showing")
        .replace("{first}", &first.to_string())
        .replace("{last}", &last.to_string())
        .replace("{total}", &all.len().to_string());
    let nav = json!({
        "showing": showing,
        "current": current,
        "total": total,
        "first_entry": (current - 1) * per + 1,
        "last_entry": (current - 1) * per + slice.len(),
        "entries": all.len(),
        "previous": (current > 1).then(|| url(current - 1)),
        "next": (current < total).then(|| url(current + 1)),
        "pages": window,
    });
    (slice, all.len(), nav)
}

/// The easy-read version a standard page can have.
pub(crate) fn easy_of(kind: PageKind) -> Option<EasyOf> {
    Some(match kind {
        PageKind::Service(i) => EasyOf::Service(i),
        PageKind::Provider(i) => EasyOf::Provider(i),
        PageKind::Charter => EasyOf::Charter,
        PageKind::Quality => EasyOf::Quality,
        PageKind::Page(i) => EasyOf::Page(i),
        _ => return None,
    })
}

fn standard_title(site: &Site, of: EasyOf, lang: &str) -> String {
    let c = &site.content;
    let t = match of {
        EasyOf::Service(i) => c.services[i].docs.get(lang).map(|d| d.title.clone()),
        EasyOf::Provider(i) => c.providers[i].docs.get(lang).map(|d| d.title.clone()),
        EasyOf::Charter => c.charter.as_ref().and_then(|x| x.docs.get(lang)).map(|d| d.title.clone()),
        EasyOf::Quality => c.quality.as_ref().and_then(|x| x.docs.get(lang)).map(|d| d.title.clone()),
        EasyOf::Page(i) => c.pages[i].docs.get(lang).map(|d| d.title.clone()),
    };
    t.unwrap_or_default()
}

/// The services a service page shows as related: those sharing a category, at most eight,
/// without scanning the catalogue.
pub(crate) fn related_of<'a>(site: &'a Site, s: &Service, lang: &str) -> Vec<&'a Service> {
    let mut seen = std::collections::HashSet::new();
    s.categories
        .iter()
        .flat_map(|c| site.services_at(site.index.by_category.get(c)))
        .filter(|o| o.id != s.id && site.doc_in(&o.docs, lang).is_some() && seen.insert(o.id.as_str()))
        .take(8)
        .collect()
}

/// The links to other pages of the site that the default theme writes on `page` beyond the ones
/// every page of its language has (navigation, footer, site name): language switcher,
/// breadcrumbs, easy-read link, and the page's own lists, pagination, provider, terms, related
/// services and charter commitments. Hrefs as written in the HTML, without the Markdown body's
/// links.
///
/// `check` uses it to know the links of pages it does not render (see `check::facts`); it
/// follows the default theme's templates, and a unit test compares it with the rendered pages
/// of the example site, link for link.
pub fn theme_links(site: &Site, page: &OutPage) -> Vec<String> {
    let mut out = crate::rewrite::StrList::default();
    theme_links_into(site, page, &mut out);
    out.iter().map(String::from).collect()
}

/// [`theme_links`], added to `out`. Each href is written straight into the list: `check` learns
/// the links of 40,000 pages this way at 10,000 services, and making every address and href a
/// string of its own first was most of the work.
pub fn theme_links_into(site: &Site, page: &OutPage, out: &mut crate::rewrite::StrList) {
    use crate::rewrite::StrList;
    let lang = page.lang.as_str();
    let base = site.config.base_path.as_str();
    // The href of an address: its page in `lang`, or in the default language while it is not
    // translated (`Site::link_of`).
    let href = |out: &mut StrList, address: &str| {
        if let Some((p, _)) = site.link_of(address, lang) {
            out.push_parts(&[base, p]);
        }
    };
    // The href of `<section>/<id>`, the address made in a kept buffer.
    let mut address = String::new();
    let mut item = |out: &mut StrList, section: &str, id: &str| {
        address.clear();
        address.push_str(section);
        address.push('/');
        address.push_str(id);
        href(out, &address);
    };
    let url = |out: &mut StrList, v: &Value| {
        if let Some(u) = v.as_str() {
            out.push(u);
        }
    };
    for l in site.config.languages.iter().filter(|l| l.code != lang) {
        if let Some(p) = site.path_of(&page.address, &l.code).or_else(|| site.path_of("", &l.code)) {
            out.push_parts(&[base, p]);
        }
    }
    // Breadcrumbs (the home crumb is the site name's link, on every page).
    match page.kind {
        PageKind::Service(_) | PageKind::Audience(_) | PageKind::Category(_) => href(out, "services"),
        PageKind::Provider(_) => href(out, "providers"),
        PageKind::Easy(_) => href(out, "easy-read"),
        _ => {}
    }
    // The easy-read version in this language only.
    if easy_of(page.kind).is_some()
        && let Some(p) = site.path_of(&format!("{}/easy", page.address), lang)
    {
        out.push_parts(&[base, p]);
    }
    // A list page: its page navigation; the entries it shows are linked below.
    let list = |list: &str, out: &mut StrList| -> &[usize] {
        let (slice, _, nav) = list_part(site, page, list, lang);
        url(out, &nav["previous"]);
        url(out, &nav["next"]);
        for n in nav["pages"].as_array().into_iter().flatten() {
            url(out, &n["url"]);
        }
        slice
    };
    let counted = |terms: &[Term], section: &str, out: &mut StrList| {
        let v = terms_with_counts(site, terms, lang, section);
        for x in v.as_array().into_iter().flatten().filter(|x| x["count"].as_u64().unwrap_or(0) > 0) {
            url(out, &x["url"]);
        }
    };
    let services = &site.content.services;
    let taxonomies = &site.content.taxonomies;
    match page.kind {
        PageKind::Service(i) => {
            let s = &services[i];
            // The `url`s of `provider_name` and `term_list`: an address exists only for a
            // provider or term that does.
            item(out, "providers", &s.provider);
            for (keys, section) in [(&s.audiences, "audiences"), (&s.categories, "categories")] {
                for k in keys {
                    item(out, section, k);
                }
            }
            // The charter's commitments, as `commitments_view` gives them.
            if let (Some(c), Some((charter, _))) = (
                site.content.charter.as_ref().filter(|c| site.doc_in(&c.docs, lang).is_some()),
                site.link_of("charter", lang),
            ) {
                for id in c.commitment_ids() {
                    out.push_parts(&[base, charter, "#", id]);
                }
            }
            for o in related_of(site, s, lang) {
                item(out, "services", &o.id);
            }
        }
        PageKind::Provider(i) => {
            for s in provider_services(site, &site.content.providers[i].id, lang) {
                item(out, "services", &s.id);
            }
        }
        PageKind::Easy(of) => {
            if easy_docs(&site.content, of).is_some() {
                href(out, page.address.trim_end_matches("/easy"));
            }
        }
        PageKind::Catalogue => {
            for &i in list("services", out) {
                item(out, "services", &services[i].id);
            }
            counted(&taxonomies.audiences, "audiences", out);
            counted(&taxonomies.categories, "categories", out);
            href(out, "providers");
            let listed = site.lists.get("providers").and_then(|m| m.get(lang)).map(Vec::as_slice).unwrap_or(&[]);
            if page.part == 1 && listed.len() <= site.config.lists.per_page {
                for &i in listed {
                    let p = &site.content.providers[i];
                    if provider_services(site, &p.id, lang).next().is_some() {
                        item(out, "providers", &p.id);
                    }
                }
            }
        }
        PageKind::ProviderIndex => {
            for &i in list("providers", out) {
                item(out, "providers", &site.content.providers[i].id);
            }
        }
        PageKind::Audience(i) | PageKind::Category(i) => {
            let (terms, section) = if matches!(page.kind, PageKind::Audience(_)) {
                (&taxonomies.audiences, "audiences")
            } else {
                (&taxonomies.categories, "categories")
            };
            for &i in list(&format!("{section}/{}", terms[i].key), out) {
                item(out, "services", &services[i].id);
            }
        }
        PageKind::EasyIndex => {
            for &i in list("easy-read", out) {
                if let Some(p) = site.pages.get(i).filter(|p| matches!(p.kind, PageKind::Easy(_))) {
                    out.push_parts(&[base, &p.path]);
                }
            }
        }
        PageKind::Page(_) => {}
        // One of each per language, so `check` always renders them; their own links are not
        // listed here.
        PageKind::Home | PageKind::Charter | PageKind::Quality | PageKind::NotFound => {}
    }
}

/// The services of a provider that have a page in `lang` or (not yet translated) in the default
/// language, in catalogue order.
pub(crate) fn provider_services<'a>(site: &'a Site, id: &str, lang: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
    site.services_at(site.index.by_provider.get(id)).filter(move |s| site.doc_in(&s.docs, lang).is_some())
}

/// Renders one page. Returns the HTML (before rewriting) or a diagnostic.
pub fn render_page(site: &Site, templates: &Templates, page: &OutPage) -> Result<String, Diagnostic> {
    render_page_in(site, templates, page, &mut Shared::default()).map(str::to_string)
}

/// What a rendering thread keeps from page to page: the part of the template context every page
/// of a language shares (the strings `t`, `site`, `nav_easy` and `footer_links`), built once per
/// language, and the buffer the page is rendered into. Copying the strings into every page's
/// context was a tenth of a build's CPU, and a new buffer for every page (tens of kilobytes
/// each) kept the allocator busy splitting and joining free blocks.
#[derive(Default)]
pub struct Shared {
    by_lang: Vec<(String, tera::Context)>,
    out: Vec<u8>,
}

/// The shared context of `lang` in `by_lang` (see [`Shared`]), built on first use.
fn context_of<'a>(by_lang: &'a mut Vec<(String, tera::Context)>, site: &Site, lang: &str) -> &'a mut tera::Context {
    let at = match by_lang.iter().position(|(l, _)| l == lang) {
        Some(at) => at,
        None => {
            by_lang.push((lang.to_string(), shared_context(site, lang)));
            by_lang.len() - 1
        }
    };
    &mut by_lang[at].1
}

/// The values every page of `lang` has in its context (see [`Shared`]).
fn shared_context(site: &Site, lang: &str) -> tera::Context {
    let t = site.i18n.lang(lang);
    let language = site.config.language(lang);
    let mut ctx = Map::new();
    ctx.insert("lang".into(), json!(lang));
    ctx.insert("t".into(), t.tree.clone());
    ctx.insert(
        "site".into(),
        json!({
            "title": language.title,
            "description": language.description,
            "organisation": language.organisation,
            "base_url": site.config.base_url,
            "base_path": site.config.base_path,
            "home": site.href(site.path_of("", lang).unwrap_or("")),
            "contact": { "phone": site.config.contact.phone, "email": site.config.contact.email },
            "feedback": { "phone": site.config.feedback.phone, "email": site.config.feedback.email, "url": site.config.feedback.url },
            "default_lang": site.default_lang(),
            "dir": language.dir.as_str(),
            "csp": crate::export::CSP,
        }),
    );
    ctx.insert("nav_easy".into(), json!(site.path_of("easy-read", lang).map(|p| site.href(p))));
    let mut footer_links = Vec::new();
    // Every page, one not yet translated in the default language (`to`).
    for pg in &site.content.pages {
        if let (Some((p, to)), Some(d)) = (site.link_of(&format!("pages/{}", pg.id), lang), site.doc_in(&pg.docs, lang))
        {
            footer_links.push(json!({ "title": d.title, "url": site.href(p), "to": lang_mark(site, to, lang) }));
        }
    }
    ctx.insert("footer_links".into(), Value::Array(footer_links));
    tera::Context::from_value(Value::Object(ctx)).expect("an object")
}

/// The audiences and the categories with their counts in `lang` (the home page and the catalogue
/// list them).
fn insert_terms(ctx: &mut Map<String, Value>, site: &Site, lang: &str) {
    ctx.insert("audiences".into(), terms_with_counts(site, &site.content.taxonomies.audiences, lang, "audiences"));
    ctx.insert("categories".into(), terms_with_counts(site, &site.content.taxonomies.categories, lang, "categories"));
}

/// [`render_page`], keeping what pages share in `shared` between calls (one `Shared` per thread,
/// for one version of the site). The page stays in `shared` until the next call.
pub fn render_page_in<'a>(
    site: &Site,
    templates: &Templates,
    page: &OutPage,
    shared: &'a mut Shared,
) -> Result<&'a str, Diagnostic> {
    let lang = page.lang.as_str();
    let t = site.i18n.lang(lang);
    let mut ctx = Map::new();
    let language = site.config.language(lang);
    // Navigation: a page not yet translated is linked in the default language (`to`).
    let mut nav = Vec::new();
    for (addr, key) in [
        ("", "nav.home"),
        ("services", "nav.services"),
        ("charter", "nav.charter"),
        ("quality-policy", "nav.quality"),
        ("providers", "nav.providers"),
    ] {
        if let Some((p, to)) = site.link_of(addr, lang) {
            nav.push(json!({ "title": t.get(key), "url": site.href(p), "current": addr == page.address, "to": lang_mark(site, to, lang) }));
        }
    }
    ctx.insert("nav".into(), Value::Array(nav));
    // Language switcher: every language, linking to this page translated where it exists.
    let switch: Vec<Value> = site
        .config
        .languages
        .iter()
        .map(|l| {
            let target = site.path_of(&page.address, &l.code).map(|p| site.href(p));
            json!({
                "lang": l.code,
                "name": site.i18n.lang(&l.code).get("language_name"),
                "url": target,
                "current": l.code == lang,
                "not_translated": site.i18n.lang(&l.code).get("switcher.not_translated"),
                "home": site.href(site.path_of("", &l.code).unwrap_or("")),
            })
        })
        .collect();
    ctx.insert("lang_switch".into(), Value::Array(switch));
    let alternates: Vec<Value> = site
        .urls
        .get(&page.address)
        .map(|m| m.iter().map(|(l, p)| json!({ "lang": l, "url": site.absolute(p) })).collect())
        .unwrap_or_default();

    let title: String;
    let summary: String;
    let mut review = Value::Null;
    let mut breadcrumbs =
        vec![json!({ "title": t.get("nav.home"), "url": site.href(site.path_of("", lang).unwrap_or("")) })];
    let catalogue_crumb =
        || json!({ "title": t.get("nav.services"), "url": site.path_of("services", lang).map(|p| site.href(p)) });
    let template: &str;
    match page.kind {
        PageKind::Home => {
            template = "home.html";
            title = language.title.clone();
            summary = language.description.clone();
            breadcrumbs.clear();
            insert_terms(&mut ctx, site, lang);
            if let Some(c) = &site.content.charter {
                ctx.insert("charter".into(), commitments_view(site, c, lang));
            }
            // The catalogue's list (every service, see `resolve`), without a pass over the services.
            let count = site.lists.get("services").and_then(|m| m.get(lang)).map_or(0, Vec::len);
            ctx.insert("service_count".into(), json!(count));
            let home_visit = site.home_visit_services(lang);
            let shown = site.config.lists.home_visit_on_home;
            ctx.insert("home_visit_total".into(), json!(home_visit.len()));
            ctx.insert(
                "home_visit_services".into(),
                Value::Array(
                    home_visit
                        .iter()
                        .take(shown)
                        .filter_map(|&i| service_card(site, &site.content.services[i], lang))
                        .collect(),
                ),
            );
        }
        PageKind::Catalogue => {
            template = "catalogue.html";
            title = t.get("catalogue.title").to_string();
            summary = t.get("catalogue.summary").to_string();
            let (slice, total, nav) = list_part(site, page, "services", lang);
            let shown: Vec<Value> =
                slice.iter().filter_map(|&i| service_card(site, &site.content.services[i], lang)).collect();
            // A-Z groups by first letter.
            let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
            for c in shown {
                let letter = c["title"]
                    .as_str()
                    .and_then(|s| s.chars().next())
                    .map(|c| c.to_uppercase().to_string())
                    .unwrap_or_default();
                match groups.last_mut() {
                    Some((l, v)) if *l == letter => v.push(c),
                    _ => groups.push((letter, vec![c])),
                }
            }
            ctx.insert(
                "az".into(),
                Value::Array(groups.into_iter().map(|(l, v)| json!({ "letter": l, "services": v })).collect()),
            );
            ctx.insert("service_count".into(), json!(total));
            ctx.insert("pagination".into(), nav);
            insert_terms(&mut ctx, site, lang);
            // The institutions with their counts, when there are few enough to list here (the
            // providers' own list is paginated).
            let listed = site.lists.get("providers").and_then(|m| m.get(lang)).map(Vec::as_slice).unwrap_or(&[]);
            ctx.insert("providers_total".into(), json!(listed.len()));
            ctx.insert("providers_url".into(), json!(site.path_of("providers", lang).map(|p| site.href(p))));
            let providers: Vec<Value> = if page.part == 1 && listed.len() <= site.config.lists.per_page {
                listed
                    .iter()
                    .map(|&i| {
                        let p = &site.content.providers[i];
                        let mut v = provider_name(site, &p.id, lang);
                        v["count"] = json!(provider_services(site, &p.id, lang).count());
                        v
                    })
                    .collect()
            } else {
                Vec::new()
            };
            ctx.insert("providers".into(), Value::Array(providers));
        }
        PageKind::Service(i) => {
            template = "service.html";
            let s = &site.content.services[i];
            let d = &s.docs[lang];
            title = d.title.clone();
            summary = d.summary.clone();
            review = review_view(site, &s.review, lang);
            breadcrumbs.push(catalogue_crumb());
            // Contacts fall back to the provider's and then the site's, saying whose they are.
            let mut contact = contact_view(site, &s.contact, lang);
            reach_view(&mut contact, &site.service_reach(s));
            ctx.insert(
                "service".into(),
                json!({
                    "id": s.id,
                    "fields": d.fields,
                    "home_visit": s.home_visit,
                    "provider": provider_name(site, &s.provider, lang),
                    "audiences": term_list(site, &site.content.taxonomies.audiences, &s.audiences, lang, "audiences"),
                    "categories": term_list(site, &site.content.taxonomies.categories, &s.categories, lang, "categories"),
                    "contact": contact,
                    "legal_basis": s.legal_basis.iter().map(|l| {
                        let title = site.shown(&l.title, lang);
                        json!({ "title": title.text, "title_lang": lang_mark(site, title.lang, lang), "url": l.url })
                    }).collect::<Vec<_>>(),
                }),
            );
            ctx.insert("body".into(), Value::String(site.body_html(d)?));
            ctx.insert("jsonld".into(), json!(crate::export::jsonld::service(site, s, lang)));
            if let Some(c) = &site.content.charter {
                ctx.insert("charter".into(), commitments_view(site, c, lang));
            }
            // Related: services sharing a category, at most eight, without scanning the catalogue.
            let related = cards(site, related_of(site, s, lang).into_iter(), lang);
            ctx.insert("related".into(), Value::Array(related));
        }
        PageKind::ProviderIndex => {
            template = "providers.html";
            title = t.get("providers.title").to_string();
            summary = t.get("providers.summary").to_string();
            let (slice, total, nav) = list_part(site, page, "providers", lang);
            let list: Vec<Value> = slice
                .iter()
                .filter_map(|&i| {
                    let p = &site.content.providers[i];
                    let d = site.doc_in(&p.docs, lang)?;
                    let mut v = provider_name(site, &p.id, lang);
                    v["summary"] = json!(d.summary);
                    v["count"] = json!(provider_services(site, &p.id, lang).count());
                    Some(v)
                })
                .collect();
            ctx.insert("providers_total".into(), json!(total));
            ctx.insert("pagination".into(), nav);
            ctx.insert("providers".into(), Value::Array(list));
        }
        PageKind::Provider(i) => {
            template = "provider.html";
            let p = &site.content.providers[i];
            let d = &p.docs[lang];
            title = d.title.clone();
            summary = d.summary.clone();
            review = review_view(site, &p.review, lang);
            if let Some(x) = site.path_of("providers", lang) {
                breadcrumbs.push(json!({ "title": t.get("nav.providers"), "url": site.href(x) }));
            }
            let mut contact = contact_view(site, &p.contact, lang);
            reach_view(&mut contact, &site.provider_reach(p));
            ctx.insert(
                "provider".into(),
                json!({ "id": p.id, "short_name": p.short_name, "fields": d.fields, "contact": contact }),
            );
            ctx.insert(
                "services".into(),
                Value::Array(cards(site, site.services_at(site.index.by_provider.get(&p.id)), lang)),
            );
            ctx.insert("jsonld".into(), json!(crate::export::jsonld::provider(site, p, lang)));
            ctx.insert("body".into(), Value::String(site.body_html(d)?));
        }
        PageKind::Audience(i) | PageKind::Category(i) => {
            template = "term.html";
            let is_audience = matches!(page.kind, PageKind::Audience(_));
            let term = if is_audience {
                &site.content.taxonomies.audiences[i]
            } else {
                &site.content.taxonomies.categories[i]
            };
            let label = site.shown(&term.label, lang);
            let label_lang = lang_mark(site, label.lang, lang);
            title = label.text.to_string();
            breadcrumbs.push(catalogue_crumb());
            let list_addr = format!("{}/{}", if is_audience { "audiences" } else { "categories" }, term.key);
            let (slice, total, nav) = list_part(site, page, &list_addr, lang);
            let list: Vec<Value> =
                slice.iter().filter_map(|&i| service_card(site, &site.content.services[i], lang)).collect();
            summary = t
                .get(if is_audience { "term.audience_summary" } else { "term.category_summary" })
                .replace("{label}", &title)
                .replace("{count}", &total.to_string());
            ctx.insert("pagination".into(), nav);
            ctx.insert(
                "term".into(),
                json!({ "key": term.key, "label": title, "label_lang": label_lang, "kind": if is_audience { "audience" } else { "category" } }),
            );
            ctx.insert("services".into(), Value::Array(list));
        }
        PageKind::Charter => {
            template = "charter.html";
            let c = site.content.charter.as_ref().expect("resolved");
            let d = &c.docs[lang];
            title = d.title.clone();
            summary = d.summary.clone();
            review = review_view(site, &c.review, lang);
            ctx.insert("charter".into(), commitments_view(site, c, lang));
            ctx.insert("body".into(), Value::String(site.body_html(d)?));
        }
        PageKind::Quality => {
            template = "quality.html";
            let q = site.content.quality.as_ref().expect("resolved");
            let d = &q.docs[lang];
            title = d.title.clone();
            summary = d.summary.clone();
            review = review_view(site, &q.review, lang);
            let f = &d.fields;
            ctx.insert(
                "quality".into(),
                json!({
                    "vision": f.vision, "mission": f.mission,
                    "goals": crate::model::numbered(q.numbering.goals.as_deref(), &f.goals),
                    "staff_commitments": crate::model::numbered(q.numbering.staff_commitments.as_deref(), &f.staff_commitments),
                    "evaluation": f.evaluation,
                    "review_cycle": f.review_cycle,
                    "principles": f.principles.iter().map(|(k, v)| json!({ "key": k, "id": format!("principle-{}", k.replace('_', "-")), "name": t.get(&format!("equass.{k}")), "text": v })).collect::<Vec<_>>(),
                    "provider": provider_name(site, &q.provider, lang),
                }),
            );
            ctx.insert("body".into(), Value::String(site.body_html(d)?));
        }
        PageKind::Page(i) => {
            template = "page.html";
            let pg = &site.content.pages[i];
            let d = &pg.docs[lang];
            title = d.title.clone();
            summary = d.summary.clone();
            review = review_view(site, &pg.review, lang);
            ctx.insert("body".into(), Value::String(site.body_html(d)?));
        }
        PageKind::Easy(of) => {
            template = "easy.html";
            let doc = &easy_docs(&site.content, of).expect("resolved")[lang];
            title = doc.title.clone();
            summary = String::new();
            review = match of.standard() {
                PageKind::Service(i) => review_view(site, &site.content.services[i].review, lang),
                PageKind::Provider(i) => review_view(site, &site.content.providers[i].review, lang),
                PageKind::Charter => review_view(site, &site.content.charter.as_ref().expect("resolved").review, lang),
                PageKind::Quality => review_view(site, &site.content.quality.as_ref().expect("resolved").review, lang),
                PageKind::Page(i) => review_view(site, &site.content.pages[i].review, lang),
                _ => Value::Null,
            };
            let standard_address = page.address.trim_end_matches("/easy");
            let standard_title = standard_title(site, of, lang);
            if let Some(x) = site.path_of("easy-read", lang) {
                breadcrumbs.push(json!({ "title": t.get("easy.index_title"), "url": site.href(x) }));
            }
            ctx.insert(
                "easy".into(),
                json!({
                    "level": doc.level,
                    "checked": !doc.checked_by.is_empty() && doc.checked_on.is_some(),
                    "checked_by": doc.checked_by,
                    "checked_on": doc.checked_on.map(|d| human_date(site, lang, d)),
                    "glossary": doc.glossary,
                    "standard": { "title": standard_title, "url": site.path_of(standard_address, lang).map(|p| site.href(p)) },
                }),
            );
            ctx.insert("body".into(), json!(doc.body.html));
        }
        PageKind::EasyIndex => {
            template = "easy-index.html";
            title = t.get("easy.index_title").to_string();
            summary = t.get("easy.index_summary").to_string();
            let (slice, _, nav) = list_part(site, page, "easy-read", lang);
            let mut items = Vec::new();
            for p in slice.iter().map(|&i| &site.pages[i]) {
                if let PageKind::Easy(of) = p.kind {
                    let doc = &easy_docs(&site.content, of).expect("resolved")[lang];
                    items.push(json!({ "title": doc.title, "standard": standard_title(site, of, lang), "url": site.href(&p.path), "checked": !doc.checked_by.is_empty() }));
                }
            }
            ctx.insert("items".into(), Value::Array(items));
            ctx.insert("pagination".into(), nav);
        }
        PageKind::NotFound => {
            template = "404.html";
            title = t.get("notfound.title").to_string();
            summary = String::new();
            breadcrumbs.clear();
        }
    }
    // The link between a standard page and its easy-read version.
    if easy_of(page.kind).is_some() {
        let easy_address = format!("{}/easy", page.address);
        ctx.insert("easy_link".into(), json!({ "url": site.path_of(&easy_address, lang).map(|p| site.href(p)) }));
    }
    let url = site.absolute(&page.path);
    if let Some(ls) = templates.leaflets.get(&url) {
        ctx.insert("leaflets".into(), json!(ls));
    }
    // Pages 2, 3... of a list say which page they are in their title.
    let title = if page.part > 1 {
        format!("{title}, {} {}", t.get("pagination.page").to_lowercase(), page.part)
    } else {
        title
    };
    let report_subject = format!("{}: {}", t.get("report.subject"), title);
    ctx.insert(
        "page".into(),
        json!({
            "title": title,
            "summary": summary,
            "path": page.path,
            "url": url,
            "href": site.href(&page.path),
            "address": page.address,
            "alternates": alternates,
            "breadcrumbs": breadcrumbs,
            "review": review,
            "report_mailto": format!("mailto:{}?subject={}&body={}", site.config.feedback.email, enc(&report_subject), enc(&url)),
            "static": format!("{}static/", site.config.base_path),
            "feed": site.absolute(&format!("{}feed.xml", site.path_of("", lang).unwrap_or(""))),
            "search_index": format!("{}search/{lang}.json", site.config.base_path),
        }),
    );
    // The page's own values go into the shared context for this page only, and out again.
    let keys: Vec<String> = ctx.keys().cloned().collect();
    let context = context_of(&mut shared.by_lang, site, lang);
    context.extend(tera::Context::from_value(Value::Object(ctx)).expect("an object"));
    shared.out.clear();
    let rendered = templates.tera.render_to(template, context, &mut shared.out);
    for k in &keys {
        context.remove(k);
    }
    rendered.and_then(|()| std::str::from_utf8(&shared.out).map_err(|e| tera::Error::msg(e.to_string()))).map_err(|e| {
        let loc = page
            .source
            .as_ref()
            .map(Location::file)
            .unwrap_or_else(|| Location::file(format!("themes/{}/templates/{template}", site.config.theme)));
        Diagnostic::error(Code::Template, loc, format!("rendering {template} failed: {}", error_chain(&e)))
            .with_hint("a template uses a value or string that does not exist; check the template and the i18n files")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Minifying the templates once must give the pages that minifying every rendered page gave:
    /// every page of the example site, rendered both ways and then minified, is the same.
    #[test]
    fn minified_templates_render_the_pages_the_originals_render() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, _, _) = crate::pipeline::load_site(root, None).expect("the example site loads");
        let small = load_templates_as(root, &site.config.theme, true).expect("minified");
        let plain = load_templates_as(root, &site.config.theme, false).expect("as written");
        assert!(site.pages.len() > 50);
        let mut smaller = 0;
        for page in &site.pages {
            let a = render_page(&site, &plain, page).expect("renders");
            let b = render_page(&site, &small, page).expect("renders");
            smaller += usize::from(b.len() < a.len());
            let page_minified = |html: &str| minify_html::minify(html.as_bytes(), &minify_cfg());
            let (ma, mb) = (page_minified(&a), page_minified(&b));
            if ma != mb {
                let at = ma.iter().zip(&mb).position(|(x, y)| x != y).unwrap_or(ma.len().min(mb.len()));
                let show = |m: &[u8]| {
                    String::from_utf8_lossy(&m[at.saturating_sub(120)..(at + 120).min(m.len())]).into_owned()
                };
                panic!("/{} differs:\n as written: {}\n minified:   {}", page.path, show(&ma), show(&mb));
            }
        }
        assert_eq!(smaller, site.pages.len(), "every page is smaller with minified templates");
    }

    /// A thread renders page after page with one `Shared`: no page's own values may reach the
    /// next page. Every page of the example site, rendered in turn with one `Shared` (both
    /// languages mixed, forwards and backwards), is the page rendered on its own.
    #[test]
    fn pages_rendered_in_turn_are_the_pages_rendered_alone() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, _, _) = crate::pipeline::load_site(root, None).expect("the example site loads");
        let templates = load_templates(root, &site.config.theme).expect("templates");
        let alone: Vec<String> =
            site.pages.iter().map(|p| render_page(&site, &templates, p).expect("renders")).collect();
        let mut shared = Shared::default();
        let order: Vec<usize> = (0..site.pages.len()).chain((0..site.pages.len()).rev()).collect();
        for i in order {
            let page = &site.pages[i];
            let html = render_page_in(&site, &templates, page, &mut shared).expect("renders");
            assert!(html == alone[i], "/{} differs when rendered after other pages", page.path);
        }
        let langs: std::collections::BTreeSet<&str> = site.pages.iter().map(|p| p.lang.as_str()).collect();
        assert!(langs.len() >= 2 && shared.by_lang.len() == langs.len());
    }

    #[test]
    fn escaping_covers_what_html_needs() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & 'Ona'</a> / ą"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Ona&#39;&lt;/a&gt; / ą"
        );
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn a_template_with_tags_inside_a_start_tag_is_left_as_written() {
        let t = r#"<ul>
  <li><a href="{{ u }}"{% if c %} aria-current="page"{% endif %}>{{ x }}</a></li>
</ul>"#;
        assert_eq!(minify_template(t), t);
        let ok = "<ul>\n  <li>{% if c %}<b>{{ x }}</b>{% endif %}</li>\n</ul>\n";
        assert_eq!(minify_template(ok), "<ul><li>{% if c %}<b>{{ x }}</b>{% endif %}</li></ul>");
    }
}
