//! Rewrite stage: streams each rendered page through lol_html.
//!
//! Owns: replacing `@/` content links with real URLs in the page's language, marking links to
//! other sites (`rel="external"` and a hidden note for screen readers), and collecting the ids and
//! internal links of every page so links and anchors can be checked across the whole site.

use crate::resolve::Site;
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};
use std::cell::RefCell;

/// What the rewrite learnt about a page.
#[derive(Debug, Default, Clone)]
pub struct PageFacts {
    /// Every `id` attribute on the page.
    pub ids: Vec<String>,
    /// Every site-internal link (path with optional `#anchor`) after rewriting.
    pub links: Vec<String>,
    /// `@/` links that could not be resolved (already reported with their source location).
    pub unresolved: Vec<String>,
}

/// Rewrites one page's HTML.
pub fn rewrite(site: &Site, lang: &str, html: &str) -> Result<(String, PageFacts), String> {
    let facts = RefCell::new(PageFacts::default());
    let external_note = site.i18n.lang(lang).get("a11y.external").to_string();
    let base = site.config.base_url.clone();
    let base_path = site.config.base_path.clone();
    let strings = site.i18n.lang(lang);
    let out = rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("[id]", |el| {
                    if let Some(id) = el.get_attribute("id") {
                        facts.borrow_mut().ids.push(id);
                    }
                    Ok(())
                }))
            .append_element_content_handler(element!("img[src^='pictogram:']", |el| {
                let src = el.get_attribute("src").unwrap_or_default();
                let name = src.trim_start_matches("pictogram:").to_string();
                el.set_attribute("src", &format!("{base_path}static/pictograms/{name}.svg"))?;
                if el.get_attribute("alt").is_none_or(|a| a.trim().is_empty()) {
                    el.set_attribute("alt", strings.get(&format!("pictogram.{name}")))?;
                }
                el.set_attribute("class", "pictogram")?;
                el.set_attribute("width", "56")?;
                el.set_attribute("height", "56")?;
                Ok(())
            }))
            .append_element_content_handler(element!("a[href]", |el| {
                    let href = el.get_attribute("href").unwrap_or_default();
                    if href.starts_with("@/") {
                        match site.resolve_link(lang, &href) {
                            Some(url) => {
                                facts.borrow_mut().links.push(url.clone());
                                el.set_attribute("href", &url)?;
                            }
                            None => facts.borrow_mut().unresolved.push(href),
                        }
                    } else if href.starts_with("http://") || href.starts_with("https://") {
                        if let Some(rest) = href.strip_prefix(base.as_str()) {
                            facts.borrow_mut().links.push(format!("{base_path}{rest}"));
                        } else if el.get_attribute("rel").is_none() {
                            el.set_attribute("rel", "external")?;
                            el.append(&format!("<span class=\"visually-hidden\"> ({external_note})</span>"), ContentType::Html);
                        }
                    } else if href.starts_with('/') || href.starts_with('#') {
                        facts.borrow_mut().links.push(href);
                    }
                    Ok(())
                })),
    )
    .map_err(|e| e.to_string())?;
    Ok((out, facts.into_inner()))
}
