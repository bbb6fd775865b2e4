//! Rewrite stage: streams each rendered page through lol_html.
//!
//! Owns: replacing `@/` content links with real URLs in the page's language, pictogram images,
//! marking links to other sites (`rel="external"` and a hidden note for screen readers),
//! collecting the ids and internal links of every page (so links and anchors can be checked across
//! the whole site), and the HTML accessibility lint (images without alt text, empty links, link
//! texts that say nothing, skipped heading levels, tables without header cells).

use crate::resolve::Site;
use lol_html::html_content::ContentType;
use lol_html::{element, end_tag, rewrite_str, text, RewriteStrSettings};
use std::cell::RefCell;
use std::rc::Rc;

/// An accessibility lint finding on a rendered page. `snippet` is text that can be looked up in
/// the page's source file to find the line.
#[derive(Debug, Clone)]
pub struct Finding {
    pub code: &'static str,
    pub message: String,
    pub hint: &'static str,
    pub snippet: Option<String>,
}

/// What the rewrite learnt about a page.
#[derive(Debug, Default, Clone)]
pub struct PageFacts {
    /// Every `id` attribute on the page.
    pub ids: Vec<String>,
    /// Every site-internal link (path with optional `#anchor`) after rewriting, except resolved
    /// `@/` links (those were checked, with their place in the text, by `resolve`).
    pub links: Vec<String>,
    /// Resolved `@/` content links.
    pub content_links: Vec<String>,
    /// Every external link (for `check --online`).
    pub external: Vec<String>,
    /// `@/` links that could not be resolved (already reported with their source location).
    pub unresolved: Vec<String>,
    pub findings: Vec<Finding>,
}

/// Where a fragment sits on its page, for the heading lint: the level of the last heading before
/// it and how many main headings (h1) came before it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Before {
    pub heading: u8,
    pub h1s: usize,
}

#[derive(Default)]
struct LintState {
    /// Open links: (text so far, has an accessible name from attributes, href).
    links: Vec<(String, bool, String)>,
    last_heading: u8,
    h1s: usize,
    tables: Vec<bool>,
}

/// Decodes the character references Tera's escaping produces (and a few common others).
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&#x2F;", "/").replace("&#47;", "/").replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Rewrites one page's HTML.
pub fn rewrite(site: &Site, lang: &str, html: &str) -> Result<(String, PageFacts), String> {
    run(site, lang, html, Before::default()).map(|(out, facts, _)| (out, facts))
}

/// What the rewrite learns about a fragment of a page (a Markdown body as the theme places it),
/// as if it were read on its page after what `before` describes. `check` uses it to learn a
/// page's text without rendering the page.
pub fn fragment_facts(site: &Site, lang: &str, html: &str, before: Before) -> Result<PageFacts, String> {
    run(site, lang, html, before).map(|(_, facts, _)| facts)
}

/// The heading context at the end of `html` (the part of a rendered page before its body).
pub fn context_after(site: &Site, lang: &str, html: &str) -> Before {
    run(site, lang, html, Before::default()).map(|(_, _, b)| b).unwrap_or_default()
}

fn run(site: &Site, lang: &str, html: &str, before: Before) -> Result<(String, PageFacts, Before), String> {
    let facts = Rc::new(RefCell::new(PageFacts::default()));
    let state = Rc::new(RefCell::new(LintState { last_heading: before.heading, h1s: before.h1s, ..LintState::default() }));
    let strings = site.i18n.lang(lang);
    let external_note = strings.get("a11y.external").to_string();
    let vague: Vec<String> = strings.get("a11y_lint.vague_links").split('|').map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect();
    let base = site.config.base_url.clone();
    let base_path = site.config.base_path.clone();
    let out = rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    facts.borrow_mut().ids.push(id);
                }
                Ok(())
            }))
            .append_element_content_handler(element!("img", |el| {
                let src = el.get_attribute("src").unwrap_or_default();
                if let Some(name) = src.strip_prefix("pictogram:") {
                    let name = name.to_string();
                    el.set_attribute("src", &format!("{base_path}static/pictograms/{name}.svg"))?;
                    if el.get_attribute("alt").is_none_or(|a| a.trim().is_empty()) {
                        el.set_attribute("alt", strings.get(&format!("pictogram.{name}")))?;
                    }
                    el.set_attribute("class", "pictogram")?;
                    el.set_attribute("width", "56")?;
                    el.set_attribute("height", "56")?;
                }
                let alt = el.get_attribute("alt");
                let decorative = el.get_attribute("role").is_some_and(|r| r == "presentation" || r == "none");
                match alt {
                    None if !decorative => facts.borrow_mut().findings.push(Finding {
                        code: "a11y-img-alt",
                        message: format!("the image `{src}` has no text alternative"),
                        hint: "describe the image in the alt text: ![what it shows](image.png)",
                        snippet: Some(src.clone()),
                    }),
                    Some(a) => {
                        if let Some(top) = state.borrow_mut().links.last_mut() {
                            top.0.push_str(&a);
                        }
                    }
                    None => {}
                }
                Ok(())
            }))
            .append_element_content_handler(element!("h1, h2, h3, h4, h5, h6", |el| {
                let level = el.tag_name().as_bytes().get(1).map(|b| b - b'0').unwrap_or(2);
                let mut st = state.borrow_mut();
                if level == 1 {
                    st.h1s += 1;
                    if st.h1s == 2 {
                        facts.borrow_mut().findings.push(Finding { code: "a11y-heading", message: "the page has more than one main heading (h1)".into(), hint: "use ## for sections in the text; the title is the only main heading", snippet: None });
                    }
                } else if st.last_heading > 0 && level > st.last_heading + 1 {
                    let id = el.get_attribute("id");
                    facts.borrow_mut().findings.push(Finding {
                        code: "a11y-heading",
                        message: format!("the heading levels skip from h{} to h{level}", st.last_heading),
                        hint: "do not skip levels: a ### heading belongs under a ## heading",
                        snippet: id,
                    });
                }
                st.last_heading = level;
                Ok(())
            }))
            .append_element_content_handler(element!("table", |el| {
                state.borrow_mut().tables.push(false);
                let st = state.clone();
                let f = facts.clone();
                el.on_end_tag(end_tag!(move |_| {
                    if st.borrow_mut().tables.pop() == Some(false) {
                        f.borrow_mut().findings.push(Finding {
                            code: "a11y-table",
                            message: "a table has no header cells".into(),
                            hint: "give the table a header row (the first row of a Markdown table, above |---|)",
                            snippet: Some("|".into()),
                        });
                    }
                    Ok(())
                }))?;
                Ok(())
            }))
            .append_element_content_handler(element!("th", |_el| {
                if let Some(t) = state.borrow_mut().tables.last_mut() {
                    *t = true;
                }
                Ok(())
            }))
            .append_element_content_handler(element!("a[href]", |el| {
                // Attribute values come as written; Tera escapes `/` as `&#x2F;`.
                let href = decode_entities(&el.get_attribute("href").unwrap_or_default());
                let labelled = el.get_attribute("aria-label").is_some_and(|l| !l.trim().is_empty()) || el.get_attribute("aria-labelledby").is_some();
                state.borrow_mut().links.push((String::new(), labelled, href.clone()));
                let st = state.clone();
                let f = facts.clone();
                let vague = vague.clone();
                el.on_end_tag(end_tag!(move |_| {
                    let Some((text, labelled, href)) = st.borrow_mut().links.pop() else { return Ok(()) };
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if text.is_empty() && !labelled {
                        f.borrow_mut().findings.push(Finding { code: "a11y-empty-link", message: format!("the link to `{href}` has no text"), hint: "write what the link leads to as its text", snippet: Some(href.clone()) });
                    } else if vague.contains(&text.to_lowercase().trim_end_matches(['.', '!', ':']).to_string()) {
                        f.borrow_mut().findings.push(Finding {
                            code: "a11y-link-text",
                            message: format!("the link text `{text}` does not say where it leads"),
                            hint: "use words that name the target, e.g. \"how to apply for home help\"",
                            snippet: Some(format!("[{text}]")),
                        });
                    }
                    Ok(())
                }))?;
                if href.starts_with("@/") {
                    match site.resolve_link(lang, &href) {
                        Some(url) => {
                            facts.borrow_mut().content_links.push(url.clone());
                            el.set_attribute("href", &url)?;
                        }
                        None => facts.borrow_mut().unresolved.push(href),
                    }
                } else if href.starts_with("http://") || href.starts_with("https://") {
                    if let Some(rest) = href.strip_prefix(base.as_str()) {
                        facts.borrow_mut().links.push(format!("{base_path}{rest}"));
                    } else {
                        facts.borrow_mut().external.push(href.clone());
                        if el.get_attribute("rel").is_none() {
                            el.set_attribute("rel", "external")?;
                            el.append(&format!("<span class=\"visually-hidden\"> ({external_note})</span>"), ContentType::Html);
                        }
                    }
                } else if href.starts_with('/') || href.starts_with('#') {
                    facts.borrow_mut().links.push(href);
                }
                Ok(())
            }))
            // Only the text inside links is needed (for empty and vague link texts); asking for
            // the whole document's text made lol_html emit every text chunk of every page.
            .append_element_content_handler(text!("a[href]", |t| {
                let mut st = state.borrow_mut();
                if let Some(l) = st.links.last_mut() {
                    l.0.push_str(t.as_str());
                }
                Ok(())
            })),
    )
    .map_err(|e| e.to_string())?;
    let facts = Rc::try_unwrap(facts).map(RefCell::into_inner).unwrap_or_default();
    let st = state.borrow();
    Ok((out, facts, Before { heading: st.last_heading, h1s: st.h1s }))
}
