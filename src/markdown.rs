//! Markdown to HTML (pulldown-cmark), with what later stages need to know about the text.
//!
//! Owns: heading ids (made once here so `@/page#anchor` links can be checked before anything is
//! rendered), the list of links with their positions (so a broken `@/` link is reported at its line
//! and column), refusing `javascript:`, `data:` and `vbscript:` links, and escaping raw HTML unless
//! the site allows it. `@/` links are left in the HTML; the rewrite stage replaces them.

use crate::config::RawHtml;
use crate::diagnostics::{Code, Diagnostic, SourceText};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

/// A heading in a rendered document.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
}

/// A link written in the document, with where it starts.
#[derive(Debug, Clone)]
pub struct Link {
    pub target: String,
    pub at: crate::diagnostics::Location,
}

/// A rendered Markdown text.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    /// The text without markup, one paragraph a line (for search and lints).
    pub plain: String,
    /// What the HTML accessibility lint reads in this text, in order, when the text has no raw
    /// HTML (the site escapes it): `check` then lints the text without parsing its HTML
    /// ([`crate::rewrite::body_facts`]). `None` when raw HTML reaches the page.
    pub marks: Option<Vec<Mark>>,
}

/// Something in a rendered text the accessibility lint and the link check read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// The heading `headings[n]`.
    Heading(usize),
    /// A link: its `href` as the HTML has it (entities decoded), and its text.
    Link { href: String, text: Vec<LinkText> },
}

/// A piece of a link's text, as the HTML has it (escaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkText {
    Text(String),
    /// A pictogram with no alt text of its own (the rewrite gives it the pictogram's name).
    Pictogram(String),
}

/// The pictograms the default theme ships (`themes/<theme>/static/pictograms/<name>.svg`), which
/// content names as `![](pictogram:phone)`; their alt texts come from i18n (`pictogram.<name>`).
pub const PICTOGRAMS: [&str; 10] =
    ["phone", "email", "home-visit", "money", "documents", "calendar", "help", "person", "place", "clock"];

/// How a text is rendered.
#[derive(Debug, Clone, Copy)]
pub struct Mode<'a> {
    pub raw_html: RawHtml,
    /// Easy-read: every line break the author wrote is kept (one sentence per line).
    pub keep_lines: bool,
    /// Hosts whose iframes survive sanitising.
    pub iframe_hosts: &'a [String],
    /// Note the [`Rendered::marks`] (`check` reads them; a build does not keep them).
    pub marks: bool,
    /// Make the HTML. Validation needs only the headings, links and problems of a page's text;
    /// the page's HTML is made when the page is rendered.
    pub html: bool,
    /// Make the plain text.
    pub plain: bool,
}

impl<'a> Mode<'a> {
    /// How the site renders its Markdown (`keep_lines` for easy-read texts): HTML and plain text
    /// made, no marks.
    pub fn site(config: &'a crate::config::MarkdownConfig, keep_lines: bool) -> Self {
        Mode {
            raw_html: config.raw_html,
            keep_lines,
            iframe_hosts: &config.iframe_hosts,
            marks: false,
            html: true,
            plain: true,
        }
    }
}

/// Cleans HTML with an allow-list suited to content (see [`RawHtml::Sanitize`]).
pub fn sanitize(html: &str, iframe_hosts: &[String]) -> String {
    let cleaned = cleaner(iframe_hosts, true).clean(html).to_string();
    if !cleaned.contains("<iframe") {
        return cleaned;
    }
    // An iframe's content is never shown, and the cleaner passes it through as raw text, markup
    // and all (`<iframe><script>...`): inert in a browser, live for anything that parses the
    // fragment another way (XHTML, feeds). Drop it; should that fail, drop the iframes too.
    use lol_html::{RewriteStrSettings, element, html_content::ContentType, rewrite_str};
    let emptied = rewrite_str(
        &cleaned,
        RewriteStrSettings::new().append_element_content_handler(element!("iframe", |el| {
            el.set_inner_content("", ContentType::Text);
            Ok(())
        })),
    );
    emptied.unwrap_or_else(|_| cleaner(iframe_hosts, false).clean(html).to_string())
}

fn cleaner(iframe_hosts: &[String], iframes: bool) -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags(["figure", "figcaption"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_url_schemes(["pictogram", "tel"])
        // The easy-read layout's blocks (see `pictogram_blocks`).
        .add_allowed_classes("p", ["easy-lines"])
        .add_allowed_classes("li", ["easy-lines"])
        .add_allowed_classes("span", ["easy-pic", "easy-text"])
        .link_rel(None);
    if iframes {
        b.add_tags(["iframe"]).add_tag_attributes("iframe", ["src", "title", "width", "height", "allowfullscreen"]);
    }
    let hosts: Vec<String> = iframe_hosts.to_vec();
    b.attribute_filter(move |element, attribute, value| {
        if element == "iframe" && attribute == "src" {
            let ok = url::Url::parse(value)
                .ok()
                .is_some_and(|u| u.scheme() == "https" && u.host_str().is_some_and(|h| hosts.iter().any(|x| x == h)));
            return if ok { Some(value.into()) } else { None };
        }
        Some(value.into())
    });
    b
}

/// Renders `text`, which starts at byte `offset` of `src`. Problems are pushed to `diags`.
pub fn render(src: &SourceText, text: &str, offset: usize, mode: Mode<'_>, diags: &mut Vec<Diagnostic>) -> Rendered {
    let raw_html = mode.raw_html;
    let opts = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH;
    let mut events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(text, opts).into_offset_iter().collect();
    let mut out = Rendered::default();
    let mut used_ids: HashSet<String> = HashSet::new();

    // Headings: give every heading an id, unique in the document.
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let mut level = *level as u8;
            let explicit = id.as_ref().map(|s| s.to_string());
            let start = events[i].1.start;
            let mut j = i + 1;
            let mut heading_text = String::new();
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    heading_text.push_str(t);
                }
                j += 1;
            }
            if level == 1 {
                diags.push(
                    Diagnostic::warning(
                        Code::HeadingH1,
                        src.location(offset + start),
                        "a `#` heading in the text makes a second main heading",
                    )
                    .with_hint("the page title is the only main heading; use `##` for sections"),
                );
                level = 2;
            }
            let base = explicit.unwrap_or_else(|| {
                let s = crate::values::slug::slugify(&heading_text);
                if s.is_empty() { "section".to_string() } else { s }
            });
            let mut id = base.clone();
            let mut n = 2;
            while !used_ids.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            let hl = heading_level(level);
            events[i].0 = Event::Start(Tag::Heading {
                level: hl,
                id: Some(CowStr::from(id.clone())),
                classes: vec![],
                attrs: vec![],
            });
            if j < events.len() {
                events[j].0 = Event::End(TagEnd::Heading(hl));
            }
            out.headings.push(Heading { level, text: heading_text, id });
            i = j;
        }
        i += 1;
    }

    // Links, raw HTML and plain text.
    for (ev, range) in events.iter_mut() {
        match ev {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                let target = dest_url.to_string();
                let lower = target.trim().to_ascii_lowercase();
                if ["javascript:", "data:", "vbscript:"].iter().any(|s| lower.starts_with(s)) {
                    diags.push(
                        Diagnostic::error(
                            Code::UnsafeLink,
                            src.location(offset + range.start),
                            format!(
                                "the link target `{}` could run code in the reader's browser",
                                truncate(&target, 40)
                            ),
                        )
                        .with_hint("link to a web page (https://...) or to content (@/services/...) instead"),
                    );
                    *dest_url = CowStr::from("#");
                }
                if let Some(name) = target.strip_prefix("pictogram:") {
                    if !PICTOGRAMS.contains(&name) {
                        diags.push(
                            Diagnostic::error(
                                Code::Pictogram,
                                src.location(offset + range.start),
                                format!("there is no pictogram `{name}`"),
                            )
                            .with_hint(crate::diagnostics::suggestion_hint(
                                name,
                                &PICTOGRAMS,
                                "pictogram",
                            )),
                        );
                    }
                    continue;
                }
                out.links.push(Link { target, at: src.location(offset + range.start) });
            }
            Event::Html(h) | Event::InlineHtml(h) if raw_html == RawHtml::Escape => {
                *ev = Event::Text(h.clone());
            }
            Event::Text(t) | Event::Code(t) if mode.plain => out.plain.push_str(t),
            Event::SoftBreak if mode.keep_lines => {
                *ev = Event::HardBreak;
                if mode.plain {
                    out.plain.push('\n');
                }
            }
            Event::SoftBreak | Event::HardBreak if mode.plain => out.plain.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) if mode.plain => out.plain.push('\n'),
            _ => {}
        }
    }
    if raw_html == RawHtml::Escape && mode.marks {
        out.marks = Some(marks(&events));
    }
    if mode.html {
        let events = events.into_iter().map(|(e, _)| e);
        if mode.keep_lines {
            pulldown_cmark::html::push_html(&mut out.html, pictogram_blocks(events.collect()).into_iter());
        } else {
            pulldown_cmark::html::push_html(&mut out.html, events);
        }
        if raw_html == RawHtml::Sanitize {
            out.html = sanitize(&out.html, mode.iframe_hosts);
        }
    }
    // The model keeps easy-read texts, and every text's headings and links, for the whole build:
    // give back what growing left unused (a third of the text's size on a big catalogue).
    out.html.shrink_to_fit();
    out.plain.shrink_to_fit();
    out.headings.shrink_to_fit();
    out.links.shrink_to_fit();
    out
}

/// The headings and links of a text with no raw HTML, as `pulldown_cmark::html` writes them: an
/// href escaped by `escape_href` (its entities decoded, as the rewrite reads it), link text by
/// `escape_html_body_text`, an image's alt text by `escape_html` with breaks as spaces.
fn marks(events: &[(Event, std::ops::Range<usize>)]) -> Vec<Mark> {
    use pulldown_cmark::LinkType;
    use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};
    let mut out = Vec::new();
    // Links being read: (index in `out`), innermost last.
    let mut open: Vec<usize> = Vec::new();
    let mut headings = 0;
    let push_text = |out: &mut Vec<Mark>, open: &[usize], piece: LinkText| {
        if let Some(&at) = open.last()
            && let Mark::Link { text, .. } = &mut out[at]
        {
            text.push(piece);
        }
    };
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Heading { .. }) => {
                out.push(Mark::Heading(headings));
                headings += 1;
            }
            Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                let mut href = String::new();
                if *link_type == LinkType::Email {
                    href.push_str("mailto:");
                }
                let _ = escape_href(&mut href, dest_url);
                out.push(Mark::Link { href: decode_entities(&href), text: Vec::new() });
                open.push(out.len() - 1);
            }
            Event::End(TagEnd::Link) => {
                open.pop();
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                // Everything up to the image's end is its alt text (nothing in it is a tag).
                let mut alt = String::new();
                let mut nest = 0;
                i += 1;
                while i < events.len() {
                    match &events[i].0 {
                        Event::Start(_) => nest += 1,
                        Event::End(_) if nest == 0 => break,
                        Event::End(_) => nest -= 1,
                        Event::InlineHtml(t) | Event::Code(t) | Event::Text(t) => {
                            let _ = escape_html(&mut alt, t);
                        }
                        Event::SoftBreak | Event::HardBreak | Event::Rule => alt.push(' '),
                        _ => {}
                    }
                    i += 1;
                }
                let pictogram = dest_url.strip_prefix("pictogram:").filter(|_| alt.trim().is_empty());
                let piece = match pictogram {
                    Some(name) => LinkText::Pictogram(name.to_string()),
                    None => LinkText::Text(alt),
                };
                push_text(&mut out, &open, piece);
            }
            Event::Text(t) | Event::Code(t) if !open.is_empty() => {
                let mut escaped = String::new();
                let _ = escape_html_body_text(&mut escaped, t);
                push_text(&mut out, &open, LinkText::Text(escaped));
            }
            Event::SoftBreak | Event::HardBreak if !open.is_empty() => {
                push_text(&mut out, &open, LinkText::Text("\n".into()))
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Easy-read layout: in a paragraph or list item, every line that starts with a pictogram starts a
/// block, `<span class="easy-pic">`, holding the picture and, in `<span class="easy-text">`, that
/// line's text and the lines after it up to the next pictogram line or the end. Lines before the
/// first pictogram form an `easy-text` span of their own. The theme sets the picture in a column
/// of its own and every line of text in the column beside it. The paragraph (or item) gets the
/// class `easy-lines`; the line breaks between blocks stay in the HTML (for readers without the
/// style sheet) and the style sheet hides them. Reading order is unchanged; a pictogram inside a
/// link, inside emphasis or in the middle of a line stays where it is.
fn pictogram_blocks(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Image { dest_url, .. }) if dest_url.starts_with("pictogram:")))
    {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 16);
    let mut events = events.into_iter().peekable();
    while let Some(ev) = events.next() {
        let open = match &ev {
            Event::Start(Tag::Paragraph) => "<p class=\"easy-lines\">",
            Event::Start(Tag::Item) => "<li class=\"easy-lines\">",
            _ => {
                out.push(ev);
                continue;
            }
        };
        // The inline content that follows, up to the container's end or a nested block.
        let mut run = Vec::new();
        while let Some(e) = events.next_if(is_inline) {
            run.push(e);
        }
        let lines = split_lines(run);
        if !lines.iter().any(|l| l.pictogram) {
            out.push(ev);
            for (n, line) in lines.into_iter().enumerate() {
                if n > 0 {
                    out.push(Event::HardBreak);
                }
                out.extend(line.events);
            }
            continue;
        }
        out.push(Event::Html(CowStr::Borrowed(open)));
        let mut in_block = false;
        for (n, line) in lines.into_iter().enumerate() {
            if line.pictogram || n == 0 {
                if n > 0 {
                    out.push(Event::Html(CowStr::Borrowed(if in_block { "</span></span>" } else { "</span>" })));
                    out.push(Event::HardBreak);
                }
                let mut rest = line.events.into_iter();
                if line.pictogram {
                    out.push(Event::Html(CowStr::Borrowed("<span class=\"easy-pic\">")));
                    // The image: its start, its alt text and its end.
                    let mut depth = 0;
                    for e in rest.by_ref() {
                        match &e {
                            Event::Start(_) => depth += 1,
                            Event::End(_) => depth -= 1,
                            _ => {}
                        }
                        out.push(e);
                        if depth == 0 {
                            break;
                        }
                    }
                }
                out.push(Event::Html(CowStr::Borrowed("<span class=\"easy-text\">")));
                in_block = line.pictogram;
                let mut leading = true;
                for e in rest {
                    // The space between the picture and the text.
                    if leading && let Event::Text(t) = &e {
                        let t = t.trim_start();
                        if t.is_empty() {
                            continue;
                        }
                        out.push(Event::Text(CowStr::from(t.to_string())));
                        leading = false;
                        continue;
                    }
                    leading = false;
                    out.push(e);
                }
            } else {
                out.push(Event::HardBreak);
                out.extend(line.events);
            }
        }
        out.push(Event::Html(CowStr::Borrowed(if in_block { "</span></span>" } else { "</span>" })));
    }
    out
}

/// One line of a paragraph (between hard breaks outside any inline element).
struct Line<'a> {
    events: Vec<Event<'a>>,
    /// The line starts with a pictogram (outside any link or emphasis).
    pictogram: bool,
}

/// Splits inline events at the line breaks that sit outside every inline element (the breaks
/// themselves are dropped).
fn split_lines(run: Vec<Event<'_>>) -> Vec<Line<'_>> {
    let mut lines = vec![Line { events: Vec::new(), pictogram: false }];
    let mut depth = 0usize;
    for e in run {
        match &e {
            Event::HardBreak if depth == 0 => {
                lines.push(Line { events: Vec::new(), pictogram: false });
                continue;
            }
            Event::Start(tag) => {
                let line = lines.last_mut().expect("one line at least");
                let first = line.events.iter().all(|e| matches!(e, Event::Text(t) if t.trim().is_empty()));
                if depth == 0
                    && first
                    && matches!(tag, Tag::Image { dest_url, .. } if dest_url.starts_with("pictogram:"))
                {
                    line.events.clear();
                    line.pictogram = true;
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        lines.last_mut().expect("one line at least").events.push(e);
    }
    lines
}

/// Events that make up the text of a paragraph or list item (not the start of a nested block).
fn is_inline(e: &Event<'_>) -> bool {
    match e {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::InlineMath(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_) => true,
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Superscript
                | Tag::Subscript
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript
        ),
        _ => false,
    }
}

fn heading_level(l: u8) -> HeadingLevel {
    match l {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { format!("{}…", s.chars().take(n).collect::<String>()) }
}

/// Decodes the character references of HTML text or an attribute value as written (`&amp;`,
/// `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and numeric ones such as Tera's `&#x2F;`), in one
/// pass; anything else is left as it is. Used wherever HTML this stage or the templates wrote is
/// read back: the marks of links here, the links the rewrite reads, the text of leaflets.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &tail[1..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => ent
                    .strip_prefix("#x")
                    .or_else(|| ent.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Character references decode once, as a browser reads them; what is not one stays.
    #[test]
    fn character_references_decode_once() {
        assert_eq!(decode_entities("&#x2F;a&#47;b?x=1&amp;y=&#x27;2&#39;"), "/a/b?x=1&y='2'");
        assert_eq!(decode_entities("&lt;b&gt; &quot;q&quot;&nbsp;&#X263A;&apos;"), "<b> \"q\"\u{a0}\u{263a}'");
        assert_eq!(decode_entities("&amp;lt; &unknown; a & b &#xZZ;"), "&lt; &unknown; a & b &#xZZ;");
        assert_eq!(decode_entities("no references"), "no references");
    }

    fn r(text: &str) -> (Rendered, Vec<Diagnostic>) {
        let src = SourceText::new("a.md", text.to_string());
        let mut d = vec![];
        (
            render(
                &src,
                text,
                0,
                Mode {
                    raw_html: RawHtml::Escape,
                    keep_lines: false,
                    iframe_hosts: &[],
                    marks: true,
                    html: true,
                    plain: true,
                },
                &mut d,
            ),
            d,
        )
    }

    #[test]
    fn headings_get_unique_ids() {
        let (out, d) = r("## Kaip gauti?\n\n## Kaip gauti?\n\n### Kaina {#kaina}\n");
        assert!(d.is_empty());
        let ids: Vec<_> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["kaip-gauti", "kaip-gauti-2", "kaina"]);
        assert!(out.html.contains("<h2 id=\"kaip-gauti\">"));
    }

    #[test]
    fn h1_in_body_is_demoted_with_a_warning() {
        let (out, d) = r("# Title\n");
        assert!(out.html.contains("<h2"));
        assert_eq!(d[0].code, Code::HeadingH1);
    }

    #[test]
    fn links_are_collected_with_positions_and_unsafe_ones_refused() {
        let (out, d) = r("See [home help](@/services/home-help).\n\n[x](javascript:alert(1))\n");
        assert_eq!(out.links[0].target, "@/services/home-help");
        assert_eq!((out.links[0].at.line, out.links[0].at.col), (1, 5));
        assert_eq!(d[0].code, Code::UnsafeLink);
        assert_eq!(d[0].location.line, 3);
        assert!(!out.html.contains("javascript"));
    }

    #[test]
    fn easy_read_keeps_lines_and_checks_pictograms() {
        let text = "![](pictogram:phone) Call us.\nWe help.\n\n![](pictogram:rocket) x\n";
        let src = SourceText::new("a.md", text.to_string());
        let mut d = vec![];
        let out = render(
            &src,
            text,
            0,
            Mode {
                raw_html: RawHtml::Escape,
                keep_lines: true,
                iframe_hosts: &[],
                marks: true,
                html: true,
                plain: true,
            },
            &mut d,
        );
        assert!(out.html.contains("<br />"), "{}", out.html);
        assert!(out.html.contains("src=\"pictogram:phone\""));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::Pictogram);
        assert_eq!(d[0].location.line, 4);
    }

    fn easy(text: &str, raw_html: RawHtml) -> String {
        let src = SourceText::new("a.md", text.to_string());
        let mode = Mode { raw_html, keep_lines: true, iframe_hosts: &[], marks: true, html: true, plain: true };
        render(&src, text, 0, mode, &mut vec![]).html
    }

    #[test]
    fn easy_read_pictogram_lines_start_blocks() {
        let text = "![](pictogram:phone) Call us.\nWe help.\n\nNot sure?\n![](pictogram:phone) Then **call**.\n![](pictogram:email) Or write.\nAny day.\n\nNo picture here.\nNone.\n";
        let html = easy(text, RawHtml::Escape);
        let pic = |name: &str| {
            format!("<span class=\"easy-pic\"><img src=\"pictogram:{name}\" alt=\"\" /><span class=\"easy-text\">")
        };
        let expected = format!(
            "<p class=\"easy-lines\">{phone}Call us.<br />\nWe help.</span></span></p>\n\
             <p class=\"easy-lines\"><span class=\"easy-text\">Not sure?</span><br />\n\
             {phone}Then <strong>call</strong>.</span></span><br />\n\
             {email}Or write.<br />\nAny day.</span></span></p>\n\
             <p>No picture here.<br />\nNone.</p>\n",
            phone = pic("phone"),
            email = pic("email"),
        );
        assert_eq!(html, expected);
        // Texts that are not easy-read keep their pictograms inline.
        let (plain, _) = r(text);
        assert!(
            !plain.html.contains("easy-") && plain.html.contains("<p><img src=\"pictogram:phone\""),
            "{}",
            plain.html
        );
    }

    #[test]
    fn easy_read_pictograms_in_links_emphasis_and_mid_line_stay_inline() {
        for text in [
            "[![](pictogram:phone) Call](tel:+37031556660)\n",
            "Call ![](pictogram:phone) us.\n",
            "**Bold\n![](pictogram:phone) still bold**\n",
            "![A photo](photo.png) Text.\n",
        ] {
            let html = easy(text, RawHtml::Escape);
            assert!(!html.contains("easy-"), "{text:?}: {html}");
        }
    }

    #[test]
    fn easy_read_list_items_and_sanitised_html_keep_the_blocks() {
        let html = easy("- ![](pictogram:home-visit) We come.\n- Plain item.\n", RawHtml::Escape);
        assert!(
            html.contains("<li class=\"easy-lines\"><span class=\"easy-pic\"><img src=\"pictogram:home-visit\"")
                && html.contains("<li>Plain item.</li>"),
            "{html}"
        );
        let html = easy("![](pictogram:phone) Call <b>us</b>.\n", RawHtml::Sanitize);
        assert!(
            html.contains("<p class=\"easy-lines\"><span class=\"easy-pic\"><img src=\"pictogram:phone\"")
                && html.contains("<span class=\"easy-text\">Call <b>us</b>.</span>"),
            "{html}"
        );
        // Authors cannot smuggle other classes through the sanitiser.
        let html = easy("<span class=\"easy-pic evil\" onclick=\"x()\">x</span>\n", RawHtml::Sanitize);
        assert!(!html.contains("evil") && !html.contains("onclick"), "{html}");
    }

    #[test]
    fn sanitize_keeps_content_and_drops_scripts() {
        let text = "<p onclick=\"x()\">Hi <b>there</b><script>alert(1)</script> <a href=\"javascript:alert(1)\">a</a> <a href=\"@/charter\">c</a></p>\n\n<iframe src=\"https://evil.example/x\"></iframe>\n\n<iframe src=\"https://maps.example/x\" title=\"Map\"></iframe>\n";
        let src = SourceText::new("a.md", text.to_string());
        let mut d = vec![];
        let hosts = vec!["maps.example".to_string()];
        let out = render(
            &src,
            text,
            0,
            Mode {
                raw_html: RawHtml::Sanitize,
                keep_lines: false,
                iframe_hosts: &hosts,
                marks: true,
                html: true,
                plain: true,
            },
            &mut d,
        );
        assert!(out.html.contains("<b>there</b>"), "{}", out.html);
        assert!(
            !out.html.contains("script") && !out.html.contains("onclick") && !out.html.contains("javascript"),
            "{}",
            out.html
        );
        assert!(!out.html.contains("evil.example"), "{}", out.html);
        assert!(out.html.contains("https://maps.example/x"), "{}", out.html);
        assert!(out.html.contains("href=\"@/charter\""), "{}", out.html);
    }

    #[test]
    fn sanitize_drops_the_raw_content_of_iframes() {
        // Found by fuzzing (tests/fuzz/crashes/markdown_rewrite/iframe-content-kept-raw).
        let hosts = vec!["maps.example".to_string()];
        for html in [
            "<iframe>x <script>alert(1)</script> <p onclick=x>y",
            "<iframe src=\"https://maps.example/m\" title=\"Map\"><b onclick=x>z</b></iframe><p>after</p>",
        ] {
            let out = sanitize(html, &hosts);
            assert!(!out.contains("script") && !out.contains("onclick"), "{out}");
        }
        let out =
            sanitize("<iframe src=\"https://maps.example/m\" title=\"Map\">fallback</iframe><p>after</p>", &hosts);
        assert_eq!(out, "<iframe src=\"https://maps.example/m\" title=\"Map\"></iframe><p>after</p>");
    }

    #[test]
    fn raw_html_is_escaped() {
        let (out, _) = r("<script>alert(1)</script>\n\nHi <b>x</b>\n");
        assert!(!out.html.contains("<script>"));
        assert!(out.html.contains("&lt;script&gt;"));
        assert!(!out.html.contains("<b>"));
    }
}
