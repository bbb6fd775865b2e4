//! Render stage: turns each resolved page into HTML with the theme's Tera templates.
//!
//! Owns the template engine (templates compiled once per build, minified) and the Tera context
//! of each page: the page's view ([`crate::view`]: what every page of a language shares, the
//! page's own fields and those of its kind), field by field, rendered by its kind's template.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::resolve::{OutPage, Site};
use crate::view::{self, LeafletLink};
use serde_json::{Map, Value};
use std::path::Path;

/// The compiled templates of a theme.
pub struct Templates {
    tera: tera::Tera,
    /// Leaflets by the absolute URL of the page they belong to.
    leaflets: std::collections::HashMap<String, Vec<LeafletLink>>,
}

impl Templates {
    /// Makes the pages link their leaflets before they are made (serve makes them on request):
    /// (path, page URL, variant), shown without a size.
    pub fn set_leaflet_links(&mut self, site: &Site, links: &[(String, String, &'static str)]) {
        self.leaflets.clear();
        for (path, url, variant) in links {
            self.leaflets.entry(url.clone()).or_default().push(LeafletLink {
                href: site.href(path),
                pages: None,
                size: String::new(),
                variant,
            });
        }
    }

    /// The leaflet links of the page at `url` (its absolute URL), as its context has them.
    pub fn leaflet_links(&self, url: &str) -> Option<&[LeafletLink]> {
        self.leaflets.get(url).map(Vec::as_slice)
    }

    /// Makes the pages link their leaflets ("Leaflet, PDF, 140 KB").
    pub fn set_leaflets(&mut self, site: &Site, leaflets: &[crate::leaflet::Leaflet]) {
        self.leaflets.clear();
        for l in leaflets {
            let kb = l.bytes.len().div_ceil(1024);
            self.leaflets.entry(l.url.clone()).or_default().push(LeafletLink {
                href: site.href(&l.path),
                pages: Some(l.pages),
                size: format!("{kb} KB"),
                variant: l.variant,
            });
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

pub use crate::view::human_date;

/// Renders one page. Returns the HTML (before rewriting) or a diagnostic.
pub fn render_page(site: &Site, templates: &Templates, page: &OutPage) -> Result<String, Diagnostic> {
    render_page_in(site, templates, page, &mut Shared::default()).map(str::to_string)
}

/// What a rendering thread keeps from page to page: the part of the template context every page
/// of a language shares ([`view::SharedView`]: the strings `t`, `site`, `nav_easy` and
/// `footer_links`), built once per language, and the buffer the page is rendered into. Copying
/// the strings into every page's context was a tenth of a build's CPU, and a new buffer for
/// every page (tens of kilobytes each) kept the allocator busy splitting and joining free blocks.
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
            let shared = tera::Context::from_serialize(view::shared(site, lang)).expect("a struct");
            by_lang.push((lang.to_string(), shared));
            by_lang.len() - 1
        }
    };
    &mut by_lang[at].1
}

/// The fields of a view, as the context gets them.
fn fields_of(v: &impl serde::Serialize) -> Map<String, Value> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
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
    let leaflets = templates.leaflets.get(&site.absolute(&page.path)).map(Vec::as_slice);
    let view = view::page(site, page, leaflets).map_err(crate::model::again_failed)?;
    let template = view.kind.template();
    let mut ctx = fields_of(&view.common);
    ctx.extend(fields_of(&view.kind));
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
