//! What `check` knows of every page's HTML, without rendering every page.
//!
//! Owns the choice of the pages `check` renders in full and the facts of the others. Rendered in
//! full (Tera and the rewrite, as in a build): every page of a kind that has few pages in a
//! language, and the first and the last of each kind that has many (services, providers,
//! easy-read pages, the parts of long lists). That covers every template in every language: the
//! theme's own links, ids and accessibility are checked there.
//!
//! Every other page is known from the model: its Markdown body goes through the rewrite's lint on
//! its own, in the heading context the theme gives it (read off a rendered page of its kind),
//! read from the headings and links Markdown rendering noted ([`rewrite::body_facts`]) or, for a
//! text with raw HTML, by parsing its HTML; its theme links are the links of the view its template
//! gets ([`crate::view::links`]); its ids are its known sections and headings ([`Site::anchors`]),
//! the ids in its body, and the ids every rendered page of its kind has.
//!
//! Any theme: a template gets only its view, so the links it writes from the view's `url`s are
//! the view's links; a link a template makes by itself (the same on every page of a kind) is
//! found on the pages of that kind that are rendered.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{Heading, Mark};
use crate::model::Body;
use crate::pipeline;
use crate::render::{self, Templates};
use crate::resolve::{Anchors, EasyOf, OutPage, PageKind, Site, easy_docs};
use crate::rewrite::{self, Before, PageFacts};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// How many pages of one kind in one language are rendered in full before only the first and the
/// last are.
const RENDER_ALL_UP_TO: usize = 4;

/// The facts of every page (page index -> facts), as [`pipeline::render_all`] gives them.
/// `render_all` forces rendering every page.
pub fn collect(site: &Site, templates: &Templates, render_all: bool, diags: &mut Diagnostics) -> pipeline::Facts {
    if render_all {
        return pipeline::render_all(site, templates, &|_, _| Ok(()), diags);
    }
    // Pages by kind and language, in site order.
    let mut classes: BTreeMap<Class<'_>, Vec<usize>> = BTreeMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        classes.entry(class_of(p)).or_default().push(i);
    }
    let mut rendered: Vec<usize> = Vec::new();
    for pages in classes.values() {
        if pages.len() <= RENDER_ALL_UP_TO {
            rendered.extend(pages);
        } else {
            rendered.extend([pages[0], pages[pages.len() - 1]]);
        }
    }

    // The rendered pages, with the heading context before their body and their body's own ids.
    type Sample = (PageFacts, Option<Before>, HashSet<String>);
    let sample = |i: usize| -> Result<Sample, Diagnostic> {
        let page = &site.pages[i];
        let html = render::render_page(site, templates, page)?;
        let body = body_of(site, page).map(|b| b.html(site)).transpose()?;
        let (before, body_ids) = match body.as_deref().filter(|b| !b.is_empty()) {
            Some(body) => match html.find(body) {
                Some(at) => {
                    let before = rewrite::context_after(site, &page.lang, &html[..at]);
                    let ids = rewrite::fragment_facts(site, &page.lang, body, before)
                        .map(|f| f.ids.iter().map(String::from).collect())
                        .unwrap_or_default();
                    (Some(before), ids)
                }
                None => (None, HashSet::new()),
            },
            None => (None, HashSet::new()),
        };
        let (_, facts) = rewrite::rewrite(site, &page.lang, &html).map_err(|e| pipeline::rewrite_failed(page, e))?;
        Ok((facts, before, body_ids))
    };
    let results: Vec<(usize, Result<Sample, Diagnostic>)> = rendered.par_iter().map(|&i| (i, sample(i))).collect();
    // What each kind's rendered pages say about the others: heading context and theme ids.
    let mut before_of: HashMap<Class<'_>, Before> = HashMap::new();
    let mut theme_ids: HashMap<Class<'_>, HashSet<String>> = HashMap::new();
    // The rendered pages' own facts (or failure), copied to their place below (a few pages).
    let mut sampled: HashMap<usize, Result<PageFacts, Diagnostic>> = HashMap::with_capacity(results.len());
    for (i, r) in results {
        let r = r.map(|(facts, before, body_ids)| {
            let class = class_of(&site.pages[i]);
            if let Some(b) = before {
                before_of.entry(class).or_insert(b);
            }
            let ids: HashSet<String> =
                facts.ids.iter().filter(|id| !body_ids.contains(*id)).map(String::from).collect();
            match theme_ids.get_mut(&class) {
                Some(common) => common.retain(|id| ids.contains(id)),
                None => {
                    theme_ids.insert(class, ids);
                }
            }
            facts
        });
        sampled.insert(i, r);
    }

    // The others, from the model; every page's facts go straight to their place.
    let empty = HashSet::new();
    let all = site.pages.par_iter().enumerate().map(|(i, page)| -> Result<PageFacts, Diagnostic> {
        if let Some(r) = sampled.get(&i) {
            return r.clone();
        }
        let class = class_of(page);
        let before = before_of.get(&class).copied().unwrap_or(Before { heading: 1, h1s: 1 });
        let mut facts = match body_of(site, page) {
            // A text with no raw HTML is read from its marks; one with raw HTML is parsed.
            Some(body) => match rewrite::body_facts(site, &page.lang, body.headings, body.marks, before) {
                Some(f) => f,
                None => rewrite::fragment_facts(site, &page.lang, &body.html(site)?, before)
                    .map_err(|e| pipeline::rewrite_failed(page, e))?,
            },
            None => PageFacts::default(),
        };
        crate::view::links(site, page, &mut |l| facts.links.push(l));
        let known = site.anchors.get(&page.address).and_then(|m| m.get(&page.lang));
        facts.ids.extend(known.into_iter().flat_map(Anchors::iter));
        facts.ids.extend(theme_ids.get(&class).unwrap_or(&empty).iter().cloned());
        Ok(facts)
    });
    pipeline::gather_facts(site, all, diags)
}

/// The kind of a page for sampling: its language, what it shows, and whether it is a later part
/// of a list (those have pagination but no headings of their own).
type Class<'a> = (&'a str, u8, bool);

fn class_of(page: &OutPage) -> Class<'_> {
    let kind = match page.kind {
        PageKind::Home => 0,
        PageKind::Catalogue => 1,
        PageKind::Service(_) => 2,
        PageKind::ProviderIndex => 3,
        PageKind::Provider(_) => 4,
        PageKind::Audience(_) => 5,
        PageKind::Category(_) => 6,
        PageKind::Charter => 7,
        PageKind::Quality => 8,
        PageKind::Page(_) => 9,
        PageKind::NotFound => 10,
        PageKind::Easy(EasyOf::Service(_)) => 11,
        PageKind::Easy(EasyOf::Provider(_)) => 12,
        PageKind::Easy(EasyOf::Charter) => 13,
        PageKind::Easy(EasyOf::Quality) => 14,
        PageKind::Easy(EasyOf::Page(_)) => 15,
        PageKind::EasyIndex => 16,
    };
    (page.lang.as_str(), kind, page.part > 1)
}

/// The Markdown body a page shows: what its rendering noted, and where its HTML is.
struct Text<'a> {
    headings: &'a [Heading],
    marks: Option<&'a [Mark]>,
    /// The HTML the model keeps (easy-read texts), or a page's text (made again).
    html: Result<&'a str, (&'a Body, &'a Path)>,
}

impl<'a> Text<'a> {
    /// The text's HTML; a text that cannot be made again is reported at its file.
    fn html(&self, site: &Site) -> Result<Cow<'a, str>, Diagnostic> {
        match self.html {
            Ok(h) => Ok(Cow::Borrowed(h)),
            Err((body, file)) => site.text_html(body, file).map(Cow::Owned).map_err(crate::model::again_failed),
        }
    }
}

/// The Markdown body a page shows.
fn body_of<'a>(site: &'a Site, page: &OutPage) -> Option<Text<'a>> {
    let c = &site.content;
    let lang = page.lang.as_str();
    fn page_text<F>(d: &crate::model::Doc<F>) -> Text<'_> {
        Text { headings: &d.body.headings, marks: d.body.marks.as_deref(), html: Err((&d.body, &d.file)) }
    }
    Some(match page.kind {
        PageKind::Service(i) => page_text(c.services.get(i)?.docs.get(lang)?),
        PageKind::Provider(i) => page_text(c.providers.get(i)?.docs.get(lang)?),
        PageKind::Page(i) => page_text(c.pages.get(i)?.docs.get(lang)?),
        PageKind::Charter => page_text(c.charter.as_ref()?.docs.get(lang)?),
        PageKind::Quality => page_text(c.quality.as_ref()?.docs.get(lang)?),
        PageKind::Easy(of) => {
            let body = &easy_docs(c, of)?.get(lang)?.body;
            Text { headings: &body.headings, marks: body.marks.as_deref(), html: Ok(&body.html) }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The example site, copied, with `per_page` entries per list page (so long lists paginate).
    fn example(per_page: usize) -> tempfile::TempDir {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let tmp = tempfile::tempdir().expect("temp dir");
        for top in ["site.toml", "content", "i18n", "themes"] {
            for e in walkdir::WalkDir::new(root.join(top)) {
                let e = e.expect("walk");
                let to = tmp.path().join(e.path().strip_prefix(root).expect("inside"));
                if e.file_type().is_dir() {
                    std::fs::create_dir_all(&to).expect("dir");
                } else {
                    std::fs::copy(e.path(), &to).expect("copy");
                }
            }
        }
        let toml = std::fs::read_to_string(tmp.path().join("site.toml")).expect("site.toml");
        let toml = if toml.contains("per_page") {
            toml.lines()
                .map(|l| {
                    if l.trim_start().starts_with("per_page") {
                        format!("per_page = {per_page}")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            format!("{toml}\n[lists]\nper_page = {per_page}\n")
        };
        std::fs::write(tmp.path().join("site.toml"), toml).expect("write");
        tmp
    }

    /// The fixture site of `tests/fixtures/languages/` with its Arabic overlay (four languages,
    /// two of them partly translated), with `per_page` entries per list page.
    fn languages(per_page: usize) -> tempfile::TempDir {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let tmp = tempfile::tempdir().expect("temp dir");
        let fixture = root.join("tests/fixtures/languages");
        for (from, to) in [
            (fixture.join("site"), tmp.path().to_path_buf()),
            (fixture.join("rtl"), tmp.path().to_path_buf()),
            (root.join("themes"), tmp.path().join("themes")),
            (root.join("i18n"), tmp.path().join("i18n")),
        ] {
            for e in walkdir::WalkDir::new(&from) {
                let e = e.expect("walk");
                let target = to.join(e.path().strip_prefix(&from).expect("inside"));
                if e.file_type().is_dir() {
                    std::fs::create_dir_all(&target).expect("dir");
                } else {
                    std::fs::copy(e.path(), &target).expect("copy");
                }
            }
        }
        let toml = std::fs::read_to_string(tmp.path().join("site.toml")).expect("site.toml");
        std::fs::write(tmp.path().join("site.toml"), format!("{toml}\n[lists]\nper_page = {per_page}\n"))
            .expect("write");
        tmp
    }

    /// The links of a page's view must be those its template writes: on every page of the
    /// example site (with short lists too, for pagination), and of a site whose languages are
    /// partly translated (links to pages in the default language), the links of the rendered
    /// page are its body's links, its view's links ([`crate::view::links`]), and the links every
    /// page of its language has (navigation, footer); and the ids `collect` gives a page without
    /// rendering it include every id the page has.
    #[test]
    fn pages_known_from_the_model_have_the_links_and_ids_of_the_rendered_pages() {
        let sites = [(example(50), 20), (example(3), 20), (languages(50), 0), (languages(1), 0)];
        for (dir, at_least) in sites {
            let per_page = dir.path().display().to_string();
            let (site, _, _) = crate::pipeline::load_site_lenient(dir.path(), None, true).expect("loads");
            let templates = render::load_templates(dir.path(), &site.config.theme).expect("templates");
            let mut d = Diagnostics::default();
            let rendered = pipeline::render_all(&site, &templates, &|_, _| Ok(()), &mut d);
            let mut d2 = Diagnostics::default();
            let known = collect(&site, &templates, false, &mut d2);
            assert!(d.items.is_empty() && d2.items.is_empty(), "{:?} {:?}", d.items, d2.items);
            assert_eq!(rendered.len(), site.pages.len());
            assert_eq!(known.len(), site.pages.len());
            let links = |f: &PageFacts| -> BTreeSet<String> {
                f.links.iter().chain(f.content_links.iter()).map(String::from).collect()
            };
            // The links every rendered page of a language has.
            let mut common: HashMap<&str, BTreeSet<String>> = HashMap::new();
            for (i, p) in site.pages.iter().enumerate() {
                let l = links(&rendered[i]);
                common.entry(p.lang.as_str()).and_modify(|c| c.retain(|x| l.contains(x))).or_insert(l);
            }
            let mut derived_pages = 0;
            for (i, page) in site.pages.iter().enumerate() {
                let full = links(&rendered[i]);
                let mut model = BTreeSet::new();
                crate::view::links(&site, page, &mut |l| {
                    model.insert(l.to_string());
                });
                if let Some(body) = body_of(&site, page) {
                    model.extend(links(
                        &rewrite::fragment_facts(
                            &site,
                            &page.lang,
                            &body.html(&site).expect("the text"),
                            Before::default(),
                        )
                        .expect("body"),
                    ));
                }
                let expected: BTreeSet<String> = model.union(&common[page.lang.as_str()]).cloned().collect();
                assert_eq!(
                    full, expected,
                    "per_page {per_page}: links of /{} (left: rendered, right: from the model)",
                    page.path
                );
                let ids: HashSet<&str> = known[i].ids.iter().collect();
                let missing: Vec<&str> = rendered[i].ids.iter().filter(|id| !ids.contains(id)).collect();
                assert!(
                    missing.is_empty(),
                    "per_page {per_page}: /{} has ids the model does not know: {missing:?}",
                    page.path
                );
                derived_pages += usize::from(links(&known[i]).len() < full.len());
            }
            assert!(
                derived_pages >= at_least,
                "most pages should be known from the model, not rendered ({derived_pages})"
            );
        }
    }

    /// `check` gives the same findings whether it renders every page or one of each kind, on a
    /// site with problems of every kind the page facts find: a broken plain link and anchor in a
    /// body, a vague link text, a skipped heading level, an empty link, and an orphan page.
    #[test]
    fn check_finds_the_same_with_and_without_rendering_every_page() {
        let dir = example(3);
        let root = dir.path();
        let svc = walkdir::WalkDir::new(root.join("content/services"))
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .find(|p| p.ends_with("index.lt.md"))
            .expect("a service");
        let text = std::fs::read_to_string(&svc).expect("read");
        let extra = "\n\n#### Per gilus\n\n[čia](/nera-tokio-puslapio/) ir [x](#nera) ir [](#per-gilus)\n";
        std::fs::write(&svc, format!("{text}{extra}")).expect("write");
        let tax = root.join("content/taxonomies.toml");
        let t = std::fs::read_to_string(&tax).expect("taxonomies");
        let first_audiences = t.find("[audiences]").expect("audiences");
        let mut t2 = t.clone();
        t2.insert_str(first_audiences + "[audiences]\n".len(), "niekam = { lt = \"Niekam\", en = \"Nobody\" }\n");
        std::fs::write(&tax, t2).expect("write");
        let run = |render_all: bool| {
            let opts = crate::check::CheckOptions {
                root: root.to_path_buf(),
                today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
                online: false,
                strict: false,
                render_all,
                sources: false,
            };
            let r = crate::check::run(&opts).expect("checks");
            r.diagnostics
                .items
                .iter()
                .map(|d| format!("{} {} {} {}", d.code, d.location, d.message, d.hint.clone().unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        let (fast, full) = (run(false), run(true));
        for code in
            ["broken-link ", "broken-anchor ", "a11y-link-text ", "a11y-heading ", "a11y-empty-link ", "orphan "]
        {
            assert!(
                full.iter().any(|f| f.starts_with(code)),
                "the seeded `{code}` problem is not found:\n{}",
                full.join("\n")
            );
        }
        assert_eq!(fast, full);
    }
}
