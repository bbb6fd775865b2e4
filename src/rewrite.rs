//! Rewrite stage: streams each rendered page through lol_html.
//!
//! Owns: replacing `@/` content links with real URLs in the page's language, pictogram images,
//! marking links to other sites (`rel="external"` and a hidden note for screen readers),
//! collecting the ids and internal links of every page (so links and anchors can be checked across
//! the whole site), and the HTML accessibility lint (images without alt text, empty links, link
//! texts that say nothing, skipped heading levels, tables without header cells).

use crate::diagnostics::Code;
use crate::error::{Error, Result};
use crate::resolve::Site;
use lol_html::html_content::{ContentType, Element, TextChunk};
use lol_html::{ElementContentHandlers, HandlerResult, HtmlRewriter, RewriteStrSettings, Selector, end_tag};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::LazyLock;

/// The selectors the rewrite listens to, parsed once: `element!("...")` parses its selector each
/// time it is made, once per page (47,000 pages at 10,000 services).
struct Selectors {
    id: Selector,
    img: Selector,
    headings: Selector,
    table: Selector,
    th: Selector,
    link: Selector,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| {
    let parse = |s: &str| s.parse::<Selector>().unwrap_or_else(|e| panic!("the selector `{s}` is valid CSS: {e}"));
    Selectors {
        id: parse("[id]"),
        img: parse("img"),
        headings: parse("h1, h2, h3, h4, h5, h6"),
        table: parse("table"),
        th: parse("th"),
        link: parse("a[href]"),
    }
});

/// An element handler on a selector parsed beforehand.
fn on_element<'h>(
    selector: &'static Selector,
    handler: impl FnMut(&mut Element<'_, '_>) -> HandlerResult + 'h,
) -> (Cow<'static, Selector>, ElementContentHandlers<'h>) {
    (Cow::Borrowed(selector), ElementContentHandlers::default().element(handler))
}

/// A text handler on a selector parsed beforehand.
fn on_text<'h>(
    selector: &'static Selector,
    handler: impl FnMut(&mut TextChunk<'_>) -> HandlerResult + 'h,
) -> (Cow<'static, Selector>, ElementContentHandlers<'h>) {
    (Cow::Borrowed(selector), ElementContentHandlers::default().text(handler))
}

/// An accessibility lint finding on a rendered page. `snippet` is text that can be looked up in
/// the page's source file to find the line.
#[derive(Debug, Clone)]
pub struct Finding {
    pub code: Code,
    pub message: String,
    pub hint: Cow<'static, str>,
    pub snippet: Option<String>,
}

/// What the rewrite learnt about a page.
#[derive(Debug, Default, Clone)]
pub struct PageFacts {
    /// Every `id` attribute on the page.
    pub ids: StrList,
    /// Every site-internal link (path with optional `#anchor`) after rewriting, except resolved
    /// `@/` links (those were checked, with their place in the text, by `resolve`).
    pub links: StrList,
    /// Resolved `@/` content links.
    pub content_links: StrList,
    /// Every external link (for `check --online`).
    pub external: Vec<String>,
    /// `@/` links that could not be resolved (already reported with their source location).
    pub unresolved: Vec<String>,
    pub findings: Vec<Finding>,
}

/// A list of strings kept in one buffer. A page has dozens of links and ids, and the build keeps
/// them for every page until the site-wide link check: one allocation per string was 80 MB at
/// 10,000 services, against 23 MB of text.
#[derive(Default, Clone, PartialEq, Eq)]
pub struct StrList {
    text: String,
    ends: Vec<u32>,
}

impl StrList {
    pub fn push(&mut self, s: &str) {
        self.push_parts(&[s]);
    }
    /// Pushes the string the parts make together (no string of its own made first).
    pub fn push_parts(&mut self, parts: &[&str]) {
        for p in parts {
            self.text.push_str(p);
        }
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }
    pub fn iter(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends.iter().copied()).map(|(a, b)| self.text.get(a as usize..b as usize).unwrap_or(""))
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn contains(&self, s: &str) -> bool {
        self.iter().any(|x| x == s)
    }
    /// Gives back what growing left unused (for lists kept until the end of a build).
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl<S: AsRef<str>> Extend<S> for StrList {
    fn extend<I: IntoIterator<Item = S>>(&mut self, items: I) {
        for s in items {
            self.push(s.as_ref());
        }
    }
}

impl<S: AsRef<str>> FromIterator<S> for StrList {
    fn from_iter<I: IntoIterator<Item = S>>(items: I) -> Self {
        let mut l = StrList::default();
        l.extend(items);
        l
    }
}

impl std::fmt::Debug for StrList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PageFacts {
    /// Gives back what growing left unused.
    pub fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.links.shrink_to_fit();
        self.content_links.shrink_to_fit();
        self.external.shrink_to_fit();
        self.findings.shrink_to_fit();
    }
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
    /// The headings so far.
    at: Before,
    tables: Vec<bool>,
}

/// What failed when lol_html could not process a page (the start of the error's message).
pub const FAILED: &str = "the rendered page could not be processed";

/// Rewrites one page's HTML.
pub fn rewrite(site: &Site, lang: &str, html: &str) -> Result<(String, PageFacts)> {
    let mut out = Vec::with_capacity(html.len() + html.len() / 16);
    let (facts, _) = run(site, lang, html, Before::default(), |c: &[u8]| out.extend_from_slice(c))?;
    String::from_utf8(out).map(|out| (out, facts)).map_err(|e| Error::library(FAILED, e))
}

/// [`rewrite`] into `out` (emptied first), a buffer a rendering thread keeps from page to page.
pub fn rewrite_into(site: &Site, lang: &str, html: &str, out: &mut Vec<u8>) -> Result<PageFacts> {
    out.clear();
    let (facts, _) = run(site, lang, html, Before::default(), |c: &[u8]| out.extend_from_slice(c))?;
    Ok(facts)
}

/// What the rewrite learns about a fragment of a page (a Markdown body as the theme places it),
/// as if it were read on its page after what `before` describes. `check` uses it to learn a
/// page's text without rendering the page.
pub fn fragment_facts(site: &Site, lang: &str, html: &str, before: Before) -> Result<PageFacts> {
    run(site, lang, html, before, |_: &[u8]| {}).map(|(facts, _)| facts)
}

/// The heading context at the end of `html` (the part of a rendered page before its body).
pub fn context_after(site: &Site, lang: &str, html: &str) -> Before {
    run(site, lang, html, Before::default(), |_: &[u8]| {}).map(|(_, b)| b).unwrap_or_default()
}

/// The rewrite itself: the rewritten page goes to `sink` as it is made.
fn run(site: &Site, lang: &str, html: &str, before: Before, sink: impl FnMut(&[u8])) -> Result<(PageFacts, Before)> {
    let facts = Rc::new(RefCell::new(PageFacts::default()));
    let state = Rc::new(RefCell::new(LintState { at: before, ..LintState::default() }));
    let strings = site.i18n.lang(lang);
    let external_note = strings.get("a11y.external").to_string();
    let fallback_note = strings.get("fallback.note").to_string();
    let vague = vague_texts(strings);
    let base_path = site.config.base_path.clone();
    let sel = &*SELECTORS;
    let mut rewriter = HtmlRewriter::new(
        RewriteStrSettings::new()
            .append_element_content_handler(on_element(&sel.id, |el| {
                if let Some(id) = el.get_attribute("id") {
                    facts.borrow_mut().ids.push(&id);
                }
                Ok(())
            }))
            .append_element_content_handler(on_element(&sel.img, |el| {
                let src = el.get_attribute("src").unwrap_or_default();
                if let Some(name) = src.strip_prefix("pictogram:") {
                    let name = name.to_string();
                    el.set_attribute("src", &format!("{base_path}static/pictograms/{name}.svg"))?;
                    if el.get_attribute("alt").is_none_or(|a| a.trim().is_empty()) {
                        el.set_attribute("alt", &pictogram_alt(strings, &name))?;
                    }
                    el.set_attribute("class", "pictogram")?;
                    el.set_attribute("width", "56")?;
                    el.set_attribute("height", "56")?;
                }
                let alt = el.get_attribute("alt");
                let decorative = el.get_attribute("role").is_some_and(|r| r == "presentation" || r == "none");
                match alt {
                    None if !decorative => facts.borrow_mut().findings.push(Finding {
                        code: Code::A11yImgAlt,
                        message: format!("the image `{src}` has no text alternative"),
                        hint: "describe the image in the alt text: ![what it shows](image.png)".into(),
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
            .append_element_content_handler(on_element(&sel.headings, |el| {
                let level = el.tag_name().as_bytes().get(1).map(|b| b - b'0').unwrap_or(2);
                if let Some(f) = heading(&mut state.borrow_mut().at, level, || el.get_attribute("id")) {
                    facts.borrow_mut().findings.push(f);
                }
                Ok(())
            }))
            .append_element_content_handler(on_element(&sel.table, |el| {
                state.borrow_mut().tables.push(false);
                let st = state.clone();
                let f = facts.clone();
                el.on_end_tag(end_tag!(move |_| {
                    if st.borrow_mut().tables.pop() == Some(false) {
                        f.borrow_mut().findings.push(Finding {
                            code: Code::A11yTable,
                            message: "a table has no header cells".into(),
                            hint: "give the table a header row (the first row of a Markdown table, above |---|)".into(),
                            snippet: Some("|".into()),
                        });
                    }
                    Ok(())
                }))?;
                Ok(())
            }))
            .append_element_content_handler(on_element(&sel.th, |_el| {
                if let Some(t) = state.borrow_mut().tables.last_mut() {
                    *t = true;
                }
                Ok(())
            }))
            .append_element_content_handler(on_element(&sel.link, |el| {
                // Attribute values come as written; Tera escapes `/` as `&#x2F;`.
                let href = crate::markdown::decode_entities(&el.get_attribute("href").unwrap_or_default());
                let labelled = el.get_attribute("aria-label").is_some_and(|l| !l.trim().is_empty())
                    || el.get_attribute("aria-labelledby").is_some();
                state.borrow_mut().links.push((String::new(), labelled, href.clone()));
                let st = state.clone();
                let f = facts.clone();
                let vague = vague.clone();
                el.on_end_tag(end_tag!(move |_| {
                    let Some((text, labelled, href)) = st.borrow_mut().links.pop() else { return Ok(()) };
                    if let Some(finding) = link_text(&text, labelled, &href, &vague) {
                        f.borrow_mut().findings.push(finding);
                    }
                    Ok(())
                }))?;
                if let Some(url) = note_link(site, lang, href, &mut facts.borrow_mut()) {
                    match url {
                        Noted::Content(url) => el.set_attribute("href", &url)?,
                        // The page is not translated yet: the link says in which language the
                        // page it leads to is, for browsers and in words.
                        Noted::Fallback(url, to) => {
                            el.set_attribute("href", &url)?;
                            if el.get_attribute("hreflang").is_none() {
                                el.set_attribute("hreflang", &to)?;
                            }
                            el.append(
                                &format!(
                                    "<span class=\"lang-note\"> ({})</span>",
                                    crate::render::escape_html(&fallback_note)
                                ),
                                ContentType::Html,
                            );
                        }
                        Noted::External => {
                            if el.get_attribute("rel").is_none() {
                                el.set_attribute("rel", "external")?;
                                el.append(
                                    &format!("<span class=\"visually-hidden\"> ({external_note})</span>"),
                                    ContentType::Html,
                                );
                            }
                        }
                    }
                }
                Ok(())
            }))
            // Only the text inside links is needed (for empty and vague link texts); asking for
            // the whole document's text made lol_html emit every text chunk of every page.
            .append_element_content_handler(on_text(&sel.link, |t| {
                let mut st = state.borrow_mut();
                if let Some(l) = st.links.last_mut() {
                    l.0.push_str(t.as_str());
                }
                Ok(())
            }))
            .into(),
        sink,
    );
    rewriter.write(html.as_bytes()).and_then(|()| rewriter.end()).map_err(|e| Error::library(FAILED, e))?;
    let facts = Rc::try_unwrap(facts).map(RefCell::into_inner).unwrap_or_default();
    let at = state.borrow().at;
    Ok((facts, at))
}

/// The link texts that say nothing (`a11y_lint.vague_links` in the language's strings).
fn vague_texts(strings: &crate::i18n::Strings) -> Vec<String> {
    strings.get("a11y_lint.vague_links").split('|').map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect()
}

/// The alt text of a pictogram written without one.
fn pictogram_alt(strings: &crate::i18n::Strings, name: &str) -> String {
    strings.get(&format!("pictogram.{name}")).to_string()
}

/// The heading rule: one main heading (h1), and no skipped levels. Moves `before` past the
/// heading; `id` gives the heading's id (the finding's snippet) when a level is skipped.
fn heading(before: &mut Before, level: u8, id: impl FnOnce() -> Option<String>) -> Option<Finding> {
    let mut finding = None;
    if level == 1 {
        before.h1s += 1;
        if before.h1s == 2 {
            finding = Some(Finding {
                code: Code::A11yHeading,
                message: "the page has more than one main heading (h1)".into(),
                hint: "use ## for sections in the text; the title is the only main heading".into(),
                snippet: None,
            });
        }
    } else if before.heading > 0 && level > before.heading + 1 {
        finding = Some(Finding {
            code: Code::A11yHeading,
            message: format!("the heading levels skip from h{} to h{level}", before.heading),
            hint: "do not skip levels: a ### heading belongs under a ## heading".into(),
            snippet: id(),
        });
    }
    before.heading = level;
    finding
}

/// The link text rule: a link needs text (or an accessible name), and text that names its target.
fn link_text(text: &str, labelled: bool, href: &str, vague: &[String]) -> Option<Finding> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() && !labelled {
        Some(Finding {
            code: Code::A11yEmptyLink,
            message: format!("the link to `{href}` has no text"),
            hint: "write what the link leads to as its text".into(),
            snippet: Some(href.to_string()),
        })
    } else if vague.contains(&text.to_lowercase().trim_end_matches(['.', '!', ':']).to_string()) {
        Some(Finding {
            code: Code::A11yLinkText,
            message: format!("the link text `{text}` does not say where it leads"),
            hint: "use words that name the target, e.g. \"how to apply for home help\"".into(),
            snippet: Some(format!("[{text}]")),
        })
    } else {
        None
    }
}

/// What the rewrite does to a link after noting it.
enum Noted {
    /// An `@/` link: its URL.
    Content(String),
    /// An `@/` link to a page not yet translated into the page's language: its URL in the default
    /// language, and that language.
    Fallback(String, String),
    /// A link to another site.
    External,
}

/// Notes a link in the page's facts by what it points at.
fn note_link(site: &Site, lang: &str, href: String, facts: &mut PageFacts) -> Option<Noted> {
    if href.starts_with("@/") {
        match site.resolve_link(lang, &href) {
            Some((url, to)) => {
                facts.content_links.push(&url);
                return Some(if to == lang { Noted::Content(url) } else { Noted::Fallback(url, to.to_string()) });
            }
            None => facts.unresolved.push(href),
        }
    } else if href.starts_with("http://") || href.starts_with("https://") {
        if let Some(rest) = href.strip_prefix(site.config.base_url.as_str()) {
            facts.links.push(&format!("{}{rest}", site.config.base_path));
        } else {
            facts.external.push(href);
            return Some(Noted::External);
        }
    } else if href.starts_with('/') || href.starts_with('#') {
        facts.links.push(&href);
    }
    None
}

/// What the rewrite would learn of a Markdown text with no raw HTML ([`Rendered::marks`]), read
/// on its page after what `before` describes, without parsing its HTML: the same facts as
/// [`fragment_facts`] on the text's HTML. `None` when the text has raw HTML.
///
/// [`Rendered::marks`]: crate::markdown::Rendered::marks
pub fn body_facts(
    site: &Site,
    lang: &str,
    headings: &[crate::markdown::Heading],
    marks: Option<&[crate::markdown::Mark]>,
    before: Before,
) -> Option<PageFacts> {
    use crate::markdown::{LinkText, Mark};
    let marks = marks?;
    let strings = site.i18n.lang(lang);
    let vague = vague_texts(strings);
    let mut facts = PageFacts::default();
    let mut before = before;
    for mark in marks {
        match mark {
            Mark::Heading(n) => {
                let h = headings.get(*n)?;
                let mut id = String::with_capacity(h.id.len());
                let _ = pulldown_cmark_escape::escape_html(&mut id, &h.id);
                facts.ids.push(&id);
                if let Some(f) = heading(&mut before, h.level, || Some(id)) {
                    facts.findings.push(f);
                }
            }
            Mark::Link { href, text } => {
                note_link(site, lang, href.clone(), &mut facts);
                let mut all = String::new();
                for piece in text {
                    match piece {
                        LinkText::Text(t) => all.push_str(t),
                        LinkText::Pictogram(name) => all.push_str(&pictogram_alt(strings, name)),
                    }
                }
                if let Some(f) = link_text(&all, false, href, &vague) {
                    facts.findings.push(f);
                }
            }
        }
    }
    Some(facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{self, Mode, Rendered};

    fn same(site: &Site, lang: &str, body: &Rendered, before: Before, what: &str) {
        let parsed = fragment_facts(site, lang, &body.html, before).expect("the HTML parses");
        let marked = body_facts(site, lang, &body.headings, body.marks.as_deref(), before)
            .unwrap_or_else(|| panic!("{what}: a text with raw HTML escaped has marks"));
        assert_eq!(
            format!("{marked:#?}"),
            format!("{parsed:#?}"),
            "{what}, after {before:?}: left from the marks, right from the HTML\n{}",
            body.html
        );
    }

    #[test]
    fn a_string_list_gives_back_what_was_pushed() {
        let mut l = StrList::default();
        assert!(l.is_empty() && l.iter().next().is_none());
        l.push("/a/");
        l.push("");
        l.extend(["#ą", "/b/#c"]);
        assert_eq!(l.len(), 4);
        assert_eq!(l.iter().collect::<Vec<_>>(), ["/a/", "", "#ą", "/b/#c"]);
        assert!(l.contains("#ą") && l.contains("") && !l.contains("/a"));
        assert_eq!(format!("{l:?}"), r##"["/a/", "", "#ą", "/b/#c"]"##);
        l.shrink_to_fit();
        assert_eq!(l, ["/a/", "", "#ą", "/b/#c"].into_iter().collect::<StrList>());
    }

    /// `body_facts` (from the marks Markdown rendering notes) must equal `fragment_facts` (parsing
    /// the HTML): on every text of the example site, and on a text with every kind of link,
    /// image, heading and escaping the lint reads, in every heading context.
    #[test]
    fn facts_from_marks_equal_facts_from_the_html() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::pipeline::load_site_lenient(root, None, true).expect("the example site loads").0;
        let befores = [
            Before::default(),
            Before { heading: 1, h1s: 1 },
            Before { heading: 2, h1s: 1 },
            Before { heading: 4, h1s: 0 },
        ];
        let c = &site.content;
        // A page's text as the model keeps it, with its HTML made again.
        fn text<'a, F>(site: &Site, d: &'a crate::model::Doc<F>) -> (&'a str, Rendered, String) {
            let html = site.text_html(&d.body, &d.file).expect("the text is made again");
            (
                d.lang.as_str(),
                Rendered { html, headings: d.body.headings.clone(), marks: d.body.marks.clone(), ..Default::default() },
                d.file.display().to_string(),
            )
        }
        let mut texts: Vec<(&str, Rendered, String)> = Vec::new();
        for s in &c.services {
            texts.extend(s.docs.values().map(|d| text(&site, d)));
            texts.extend(s.easy.values().map(|d| (d.lang.as_str(), d.body.clone(), d.file.display().to_string())));
        }
        for p in &c.providers {
            texts.extend(p.docs.values().map(|d| text(&site, d)));
        }
        for p in &c.pages {
            texts.extend(p.docs.values().map(|d| text(&site, d)));
        }
        for d in c.charter.iter().flat_map(|ch| ch.docs.values()) {
            texts.push(text(&site, d));
        }
        assert!(texts.len() > 50, "the example site has over 50 texts ({})", texts.len());
        let with_links = texts
            .iter()
            .filter(|(_, b, _)| {
                b.marks.as_ref().is_some_and(|m| m.iter().any(|m| matches!(m, markdown::Mark::Link { .. })))
            })
            .count();
        assert!(with_links > 5, "some example texts have links ({with_links})");
        for (lang, body, file) in &texts {
            for b in befores {
                same(&site, lang, body, b, file);
            }
        }

        let service = &c.services[0].id;
        let text = format!(
            "## Heading & <stuff> \"q\"\n\n#### Skipped {{#custom-id}}\n\n\
             [čia](/nera/) [x](#nera) [](#per-gilus) [ ](@/services/none) [Čia.](@/services/{service}#kaina)\n\n\
             [Ą & B \"q\" <i>](https://example.lt/ą?x=1&y='2') [home](https://www.alytus.lt/paslaugos/) [mine]({base}paslaugos/)\n\n\
             [![](pictogram:phone) skambinkite](tel:+37012345678) [![](pictogram:phone)](tel:1) [![  ](pictogram:email)](mailto:a@b.lt)\n\n\
             [![Nuotrauka **bold** `c`](img.png)](/x/) ![alone](pic.png) [![](plain.png)](/empty/)\n\n\
             <https://www.example.com/path?a=b&c=d> <info@alytus.lt>\n\n\
             [`code` here](/code/) [soft\nbreak](https://other.example/) [hard  \nbreak](/hard/)\n\n\
             [javascript](javascript:alert(1)) <a href=\"/raw/\">raw html</a> [<b>x</b>](/inline-html/)\n\n\
             # Title again\n\n### [In heading](/h/)\n\n###### Deep\n\n\
             | a | [head](/th/) |\n|---|---|\n| [in table](/t/) | 2 |\n\n\
             [tarpas](/su tarpu/ \"title\") [here](</angle brackets/>)\n",
            base = site.config.base_url
        );
        for keep_lines in [false, true] {
            let src = crate::diagnostics::SourceText::new("test.md", text.clone());
            let mut diags = Vec::new();
            let body = markdown::render(
                &src,
                &text,
                0,
                Mode {
                    raw_html: crate::config::RawHtml::Escape,
                    keep_lines,
                    iframe_hosts: &[],
                    marks: true,
                    html: true,
                    plain: true,
                },
                &mut diags,
            );
            let marks = body.marks.as_ref().expect("marks");
            assert!(marks.len() > 25, "the test text has many links and headings ({})", marks.len());
            for lang in ["lt", "en"] {
                for b in befores {
                    same(&site, lang, &body, b, "the test text");
                }
            }
            // The facts found what they should, so the comparison compared something.
            let f = body_facts(&site, "lt", &body.headings, body.marks.as_deref(), Before { heading: 1, h1s: 1 })
                .expect("facts");
            for code in [Code::A11yHeading, Code::A11yEmptyLink, Code::A11yLinkText] {
                assert!(f.findings.iter().any(|x| x.code == code), "{code} in {:#?}", f.findings);
            }
            assert!(
                !f.content_links.is_empty() && !f.unresolved.is_empty() && !f.external.is_empty() && f.links.len() > 5,
                "{f:#?}"
            );
            // With raw HTML allowed there are no marks: such texts are parsed.
            let allowed = markdown::render(
                &src,
                &text,
                0,
                Mode {
                    raw_html: crate::config::RawHtml::Allow,
                    keep_lines,
                    iframe_hosts: &[],
                    marks: true,
                    html: true,
                    plain: true,
                },
                &mut diags,
            );
            assert!(
                allowed.marks.is_none()
                    && body_facts(&site, "lt", &allowed.headings, allowed.marks.as_deref(), Before::default())
                        .is_none()
            );
        }
    }
}
