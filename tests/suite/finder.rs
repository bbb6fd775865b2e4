//! Integration tests of the service finder and the structured data of the example site.
//!
//! Every test builds the example site in the repository root with the real `skaidra` binary into a
//! fresh temporary folder and checks the output against what the content says:
//!
//! - the no-JavaScript finder: audience and category pages, provider pages, the counts on the
//!   catalogue page and its A-Z list, compared with `content/services/*/service.toml`;
//! - schema.org JSON-LD on service and provider pages;
//! - `sitemap.xml` (every page once, with `hreflang` alternates), `robots.txt` and the Atom feeds.
//!
//! Expected values are derived from the content files (parsed with the `toml` crate) and from
//! `i18n/<lang>.toml` (URL segments), never from the output itself, and every test asserts how many
//! things it checked, so an empty output cannot pass.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

// ------------------------------------------------------------------------------------------------
// Building the example site
// ------------------------------------------------------------------------------------------------

/// The example site built into a temporary folder (removed when dropped).
struct Built {
    _tmp: TempDir,
    out: PathBuf,
}

impl Built {
    fn read(&self, rel: &str) -> String {
        let p = self.out.join(rel);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }
    /// The HTML file of a site-relative page path like `paslaugos/x/` (`""` is the home page).
    fn page_file(&self, path: &str) -> PathBuf {
        if path.is_empty() || path.ends_with('/') {
            self.out.join(path).join("index.html")
        } else {
            self.out.join(path)
        }
    }
    fn page(&self, path: &str) -> Option<String> {
        fs::read_to_string(self.page_file(path)).ok()
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn build() -> Built {
    let tmp = tempfile::Builder::new().prefix("skaidra-finder-").tempdir().expect("tempdir");
    let out = tmp.path().join("site");
    let output = Command::new(env!("CARGO_BIN_EXE_skaidra"))
        .arg("build")
        .arg("--root")
        .arg(root())
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run skaidra build");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && !stderr.contains("panicked"),
        "skaidra build of the example site failed ({:?})\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}",
        output.status.code()
    );
    assert!(out.join("index.html").is_file(), "the build wrote no index.html into {}", out.display());
    Built { _tmp: tmp, out }
}

// ------------------------------------------------------------------------------------------------
// What the content says
// ------------------------------------------------------------------------------------------------

struct Doc {
    title: String,
    slug: String,
}

struct Service {
    id: String,
    provider: String,
    audiences: Vec<String>,
    categories: Vec<String>,
    reviewed: String,
    docs: BTreeMap<String, Doc>,
}

struct Provider {
    id: String,
    /// The provider's own phone (`phone` in provider.toml), if it has one.
    phone: Option<String>,
    docs: BTreeMap<String, Doc>,
}

struct Term {
    key: String,
    labels: BTreeMap<String, String>,
}

/// URL segments of one language (`[url]` in `i18n/<lang>.toml`).
struct Segs {
    services: String,
    providers: String,
    audiences: String,
    categories: String,
}

struct Content {
    /// `https://www.alytus.lt/socialines-paslaugos/`
    base_url: String,
    /// `/socialines-paslaugos/`
    base_path: String,
    langs: Vec<String>,
    segs: BTreeMap<String, Segs>,
    audiences: Vec<Term>,
    categories: Vec<Term>,
    services: Vec<Service>,
    providers: Vec<Provider>,
}

fn read_toml(path: &Path) -> toml::Table {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.parse::<toml::Table>().unwrap_or_else(|e| panic!("{} is not TOML: {e}", path.display()))
}

fn str_of(t: &toml::Table, key: &str, file: &Path) -> String {
    t.get(key).and_then(|v| v.as_str()).unwrap_or_else(|| panic!("{}: no string `{key}`", file.display())).to_string()
}

fn strings_of(t: &toml::Table, key: &str) -> Vec<String> {
    t.get(key)
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The TOML front matter (between `+++` lines) of a Markdown file.
fn front_matter(path: &Path) -> toml::Table {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    assert_eq!(lines.next().map(str::trim), Some("+++"), "{}: no +++ front matter", path.display());
    let fm: Vec<&str> = lines.take_while(|l| l.trim() != "+++").collect();
    fm.join("\n").parse::<toml::Table>().unwrap_or_else(|e| panic!("{}: bad front matter: {e}", path.display()))
}

/// The documents of a service or provider folder: `index.<lang>.md` for each site language.
fn docs_of(dir: &Path, langs: &[String]) -> BTreeMap<String, Doc> {
    let mut docs = BTreeMap::new();
    for lang in langs {
        let file = dir.join(format!("index.{lang}.md"));
        if !file.is_file() {
            continue;
        }
        let fm = front_matter(&file);
        let title = str_of(&fm, "title", &file);
        let slug = fm.get("slug").and_then(|v| v.as_str()).map(str::to_string).unwrap_or_else(|| slugify(&title));
        docs.insert(lang.clone(), Doc { title, slug });
    }
    docs
}

fn terms_of(t: &toml::Table, table: &str, langs: &[String]) -> Vec<Term> {
    let tab = t.get(table).and_then(|v| v.as_table()).unwrap_or_else(|| panic!("taxonomies.toml: no [{table}]"));
    tab.iter()
        .map(|(key, v)| {
            let labels = langs
                .iter()
                .map(|l| {
                    let label = v
                        .get(l.as_str())
                        .and_then(|x| x.as_str())
                        .unwrap_or_else(|| panic!("taxonomies.toml: {table}.{key} has no `{l}` label"));
                    (l.clone(), label.to_string())
                })
                .collect();
            Term { key: key.clone(), labels }
        })
        .collect()
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

fn content() -> Content {
    let root = root();
    let site_file = root.join("site.toml");
    let site = read_toml(&site_file);
    let mut base_url = str_of(&site, "base_url", &site_file);
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let base_path = url_path(&base_url).to_string();
    let langs = strings_of(&site, "languages");
    assert!(!langs.is_empty(), "site.toml: no languages");

    let mut segs = BTreeMap::new();
    for lang in &langs {
        let file = root.join(format!("i18n/{lang}.toml"));
        let t = read_toml(&file);
        let url = t.get("url").and_then(|v| v.as_table()).unwrap_or_else(|| panic!("{}: no [url]", file.display()));
        let get = |k: &str| {
            url.get(k).and_then(|v| v.as_str()).unwrap_or_else(|| panic!("{}: no url.{k}", file.display())).to_string()
        };
        segs.insert(
            lang.clone(),
            Segs {
                services: get("services"),
                providers: get("providers"),
                audiences: get("audiences"),
                categories: get("categories"),
            },
        );
    }

    let tax = read_toml(&root.join("content/taxonomies.toml"));
    let audiences = terms_of(&tax, "audiences", &langs);
    let categories = terms_of(&tax, "categories", &langs);

    let mut services = Vec::new();
    for dir in subdirs(&root.join("content/services")) {
        let file = dir.join("service.toml");
        if !file.is_file() {
            continue;
        }
        let t = read_toml(&file);
        let reviewed = t.get("reviewed").map(|v| match v {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        services.push(Service {
            id: dir.file_name().unwrap().to_string_lossy().into_owned(),
            provider: str_of(&t, "provider", &file),
            audiences: strings_of(&t, "audiences"),
            categories: strings_of(&t, "categories"),
            reviewed: reviewed.unwrap_or_else(|| panic!("{}: no `reviewed`", file.display())),
            docs: docs_of(&dir, &langs),
        });
    }
    let mut providers = Vec::new();
    for dir in subdirs(&root.join("content/providers")) {
        let file = dir.join("provider.toml");
        if !file.is_file() {
            continue;
        }
        let t = read_toml(&file);
        providers.push(Provider {
            id: dir.file_name().unwrap().to_string_lossy().into_owned(),
            phone: t.get("phone").and_then(|v| v.as_str()).map(String::from),
            docs: docs_of(&dir, &langs),
        });
    }
    // Sanity: the example site is the one these tests were written for.
    assert!(services.len() >= 10, "expected the example site's services, found {}", services.len());
    assert!(providers.len() >= 3, "expected the example site's providers, found {}", providers.len());
    assert!(audiences.len() >= 3 && categories.len() >= 3, "taxonomies.toml looks empty");
    Content { base_url, base_path, langs, segs, audiences, categories, services, providers }
}

impl Content {
    fn default_lang(&self) -> &str {
        &self.langs[0]
    }
    /// `""` for the default language, `en/` for the others.
    fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.default_lang() { String::new() } else { format!("{lang}/") }
    }
    fn seg(&self, lang: &str) -> &Segs {
        &self.segs[lang]
    }
    /// Site-relative path of a service page.
    fn service_path(&self, s: &Service, lang: &str) -> Option<String> {
        s.docs.get(lang).map(|d| format!("{}{}/{}/", self.lang_prefix(lang), self.seg(lang).services, d.slug))
    }
    fn provider_path(&self, p: &Provider, lang: &str) -> Option<String> {
        p.docs.get(lang).map(|d| format!("{}{}/{}/", self.lang_prefix(lang), self.seg(lang).providers, d.slug))
    }
    fn catalogue_path(&self, lang: &str) -> String {
        format!("{}{}/", self.lang_prefix(lang), self.seg(lang).services)
    }
    fn term_path(&self, kind: Kind, t: &Term, lang: &str) -> String {
        let seg = match kind {
            Kind::Audience => &self.seg(lang).audiences,
            Kind::Category => &self.seg(lang).categories,
        };
        format!("{}{}/{}/", self.lang_prefix(lang), seg, slugify(&t.labels[lang]))
    }
    /// The link (`href`) of a site-relative path, as written in the pages.
    fn href(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }
    fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
    fn services_in(&self, lang: &str) -> Vec<&Service> {
        self.services.iter().filter(|s| s.docs.contains_key(lang)).collect()
    }
    /// Service id of a link, if the link points at a service page of `lang`.
    fn service_of_href(&self, href: &str, lang: &str) -> Option<&str> {
        let href = href.split('#').next().unwrap_or(href);
        self.services
            .iter()
            .find(|s| self.service_path(s, lang).is_some_and(|p| self.href(&p) == href))
            .map(|s| s.id.as_str())
    }
    fn provider(&self, id: &str) -> &Provider {
        self.providers.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("no provider `{id}` in content/providers"))
    }
    fn terms(&self, kind: Kind) -> &[Term] {
        match kind {
            Kind::Audience => &self.audiences,
            Kind::Category => &self.categories,
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Audience,
    Category,
}

impl Service {
    fn has(&self, kind: Kind, key: &str) -> bool {
        match kind {
            Kind::Audience => self.audiences.iter().any(|a| a == key),
            Kind::Category => self.categories.iter().any(|c| c == key),
        }
    }
}

/// Slug of a label, the way the generator makes term URLs (the library's own function; its unit
/// tests and the expected slug below pin its behaviour).
fn slugify(label: &str) -> String {
    skaidra::values::slug::slugify(label)
}

/// First letter of a text without diacritics, uppercased.
fn folded_initial(s: &str) -> String {
    slugify(s.trim()).chars().next().map(|c| c.to_ascii_uppercase().to_string()).unwrap_or_default()
}

/// The path part of an absolute URL: `https://host/a/b/` -> `/a/b/`.
fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.find('/').map(|i| &rest[i..]).unwrap_or("/")
}

// ------------------------------------------------------------------------------------------------
// A small HTML reader (the output is minified: attributes may be unquoted)
// ------------------------------------------------------------------------------------------------

/// A start tag: its attributes, and the byte range of the tag itself in the document.
struct Tag {
    attrs: BTreeMap<String, String>,
    end: usize,
}

impl Tag {
    fn get(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                n if n.starts_with("#x") || n.starts_with("#X") => {
                    u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32)
                }
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every start tag `<name ...>` in `html`, in order.
fn tags(html: &str, name: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let lower = html.to_ascii_lowercase();
    let needle = format!("<{name}");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&needle) {
        let start = from + i;
        let after = start + needle.len();
        from = after;
        match bytes.get(after) {
            Some(b) if b.is_ascii_whitespace() || *b == b'>' || *b == b'/' => {}
            _ => continue,
        }
        // Parse attributes until '>' (outside quotes).
        let mut attrs = BTreeMap::new();
        let mut i = after;
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let ns = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' && bytes[i] != b'>' {
                i += 1;
            }
            let aname = lower[ns..i].to_string();
            let mut value = String::new();
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                    let q = bytes[i];
                    let vs = i + 1;
                    i = vs;
                    while i < bytes.len() && bytes[i] != q {
                        i += 1;
                    }
                    value = html[vs..i].to_string();
                    i += 1;
                } else {
                    let vs = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = html[vs..i].to_string();
                }
            }
            attrs.entry(aname).or_insert_with(|| decode_entities(&value));
        }
        out.push(Tag { attrs, end: (i + 1).min(bytes.len()) });
        from = i;
    }
    out
}

/// Text of an HTML fragment: tags removed, entities decoded, whitespace collapsed.
fn text_of(fragment: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in fragment.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Links of a fragment: (href, inner HTML).
fn anchors(html: &str) -> Vec<(String, String)> {
    tags(html, "a")
        .into_iter()
        .filter_map(|t| {
            let href = t.get("href")?.to_string();
            let close = html[t.end..].to_ascii_lowercase().find("</a>").map(|i| t.end + i).unwrap_or(html.len());
            Some((href, html[t.end..close].to_string()))
        })
        .collect()
}

/// The `<main>` element's content.
fn main_of<'a>(html: &'a str, what: &str) -> &'a str {
    let lower = html.to_ascii_lowercase();
    let t = tags(html, "main");
    assert_eq!(t.len(), 1, "{what}: expected exactly one <main>");
    let end = lower.rfind("</main>").unwrap_or_else(|| panic!("{what}: no </main>"));
    &html[t[0].end..end]
}

/// Contents of the `<section>` elements of a fragment (sections are not nested in these pages).
fn sections(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    tags(html, "section")
        .into_iter()
        .map(|t| {
            let end = lower[t.end..].find("</section>").map(|i| t.end + i).unwrap_or(html.len());
            &html[t.end..end]
        })
        .collect()
}

/// The text of the first `<h1>`.
fn h1_of(html: &str) -> Option<String> {
    let t = tags(html, "h1").into_iter().next()?;
    let end = html[t.end..].to_ascii_lowercase().find("</h1>")? + t.end;
    Some(text_of(&html[t.end..end]))
}

/// The href of `<link rel=canonical>`.
fn canonical_of(html: &str) -> Option<String> {
    tags(html, "link")
        .into_iter()
        .find(|t| t.get("rel").is_some_and(|r| r.split_whitespace().any(|x| x.eq_ignore_ascii_case("canonical"))))
        .and_then(|t| t.get("href").map(str::to_string))
}

/// `<link rel=alternate hreflang=..>` of a page's head: hreflang -> href.
fn head_alternates(html: &str) -> BTreeMap<String, String> {
    tags(html, "link")
        .into_iter()
        .filter(|t| t.get("rel").is_some_and(|r| r.split_whitespace().any(|x| x.eq_ignore_ascii_case("alternate"))))
        .filter_map(|t| Some((t.get("hreflang")?.to_string(), t.get("href")?.to_string())))
        .collect()
}

/// The contents of every `<script type="application/ld+json">` block.
fn json_ld_blocks(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    tags(html, "script")
        .into_iter()
        .filter(|t| t.get("type").is_some_and(|ty| ty.trim().eq_ignore_ascii_case("application/ld+json")))
        .map(|t| {
            let end = lower[t.end..].find("</script").map(|i| t.end + i).unwrap_or(html.len());
            html[t.end..end].to_string()
        })
        .collect()
}

/// The last `(N)` in a text.
fn count_in(text: &str) -> Option<usize> {
    let close = text.rfind(')')?;
    let open = text[..close].rfind('(')?;
    text[open + 1..close].trim().parse().ok()
}

/// Site-relative paths of every HTML file in the output (`a/b/index.html` -> `a/b/`).
fn html_pages(out: &Path) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, acc: &mut Vec<String>) {
        for e in fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, base, acc);
            } else if p.extension().is_some_and(|x| x == "html") {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
                acc.push(rel);
            }
        }
    }
    let mut acc = Vec::new();
    walk(out, out, &mut acc);
    acc.sort();
    acc.into_iter()
        .map(|rel| {
            if rel == "index.html" {
                String::new()
            } else if let Some(d) = rel.strip_suffix("/index.html") {
                format!("{d}/")
            } else {
                rel
            }
        })
        .collect()
}

fn is_404(path: &str) -> bool {
    path.rsplit('/').next() == Some("404.html")
}

// ------------------------------------------------------------------------------------------------
// A small XML reader (well-formedness: nesting, quoting, entities)
// ------------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn all<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a Element> + use<'a, 'n> {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn one(&self, name: &str) -> Result<&Element, String> {
        let v: Vec<_> = self.all(name).collect();
        if v.len() == 1 {
            Ok(v[0])
        } else {
            Err(format!("<{}> has {} <{name}> children, expected 1", self.name, v.len()))
        }
    }
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }
}

fn xml_unescape(s: &str, at: &str) -> Result<String, String> {
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        let after = &rest[i + 1..];
        let end = after.find(';').ok_or_else(|| format!("{at}: `&` without `;`"))?;
        let name = &after[..end];
        let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
            || (name.starts_with("#x") && name.len() > 2 && name[2..].chars().all(|c| c.is_ascii_hexdigit()))
            || (name.starts_with('#') && name.len() > 1 && name[1..].chars().all(|c| c.is_ascii_digit()));
        if !ok {
            return Err(format!("{at}: unknown entity `&{name};`"));
        }
        rest = &after[end + 1..];
    }
    Ok(decode_entities(s))
}

/// Parses an XML document into its root element, checking that it is well-formed.
fn parse_xml(doc: &str, what: &str) -> Result<Element, String> {
    let mut s = doc.trim_start_matches('\u{feff}');
    if !s.starts_with("<?xml") {
        return Err(format!("{what}: does not start with an XML declaration"));
    }
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    while !s.is_empty() {
        if let Some(r) = s.strip_prefix("<?") {
            let e = r.find("?>").ok_or(format!("{what}: unclosed <?"))?;
            s = &r[e + 2..];
        } else if let Some(r) = s.strip_prefix("<!--") {
            let e = r.find("-->").ok_or(format!("{what}: unclosed comment"))?;
            s = &r[e + 3..];
        } else if s.starts_with("<!") {
            return Err(format!("{what}: unexpected <! (DOCTYPE or CDATA)"));
        } else if let Some(r) = s.strip_prefix("</") {
            let e = r.find('>').ok_or(format!("{what}: unclosed end tag"))?;
            let name = r[..e].trim();
            let el = stack.pop().ok_or(format!("{what}: </{name}> without a start tag"))?;
            if el.name != name {
                return Err(format!("{what}: </{name}> closes <{}>", el.name));
            }
            match stack.last_mut() {
                Some(parent) => parent.children.push(el),
                None => {
                    if root.is_some() {
                        return Err(format!("{what}: more than one root element"));
                    }
                    root = Some(el)
                }
            }
            s = &r[e + 1..];
        } else if let Some(r) = s.strip_prefix('<') {
            // Start tag: name, attributes with quoted values, optional '/'.
            let b = r.as_bytes();
            let mut i = 0;
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
                i += 1;
            }
            let name = r[..i].to_string();
            if name.is_empty() {
                return Err(format!("{what}: `<` without a tag name"));
            }
            let mut attrs = BTreeMap::new();
            let self_closing;
            loop {
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i >= b.len() {
                    return Err(format!("{what}: unclosed <{name}"));
                }
                if b[i] == b'>' {
                    self_closing = false;
                    i += 1;
                    break;
                }
                if r[i..].starts_with("/>") {
                    self_closing = true;
                    i += 2;
                    break;
                }
                let ns = i;
                while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                let an = r[ns..i].to_string();
                if i >= b.len() || b[i] != b'=' || i + 1 >= b.len() || (b[i + 1] != b'"' && b[i + 1] != b'\'') {
                    return Err(format!("{what}: attribute `{an}` of <{name}> is not `name=\"value\"`"));
                }
                let q = b[i + 1];
                let vs = i + 2;
                let ve = r[vs..]
                    .find(q as char)
                    .map(|x| vs + x)
                    .ok_or(format!("{what}: unclosed attribute value in <{name}>"))?;
                let raw = &r[vs..ve];
                if raw.contains('<') {
                    return Err(format!("{what}: raw `<` in attribute `{an}` of <{name}>"));
                }
                let v = xml_unescape(raw, what)?;
                if attrs.insert(an.clone(), v).is_some() {
                    return Err(format!("{what}: duplicate attribute `{an}` in <{name}>"));
                }
                i = ve + 1;
            }
            let el = Element { name, attrs, children: vec![], text: String::new() };
            if self_closing {
                match stack.last_mut() {
                    Some(p) => p.children.push(el),
                    None if root.is_some() => return Err(format!("{what}: more than one root element")),
                    None => root = Some(el),
                }
            } else {
                stack.push(el);
            }
            s = &r[i..];
        } else {
            let e = s.find('<').unwrap_or(s.len());
            let text = &s[..e];
            if text.contains('>') && text.contains("]]>") {
                return Err(format!("{what}: `]]>` in text"));
            }
            match stack.last_mut() {
                Some(p) => p.text.push_str(&xml_unescape(text, what)?),
                None if text.trim().is_empty() => {}
                None => return Err(format!("{what}: text outside the root element")),
            }
            s = &s[e..];
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("{what}: <{}> is never closed", open.name));
    }
    root.ok_or(format!("{what}: no root element"))
}

/// Fails with every collected problem.
#[track_caller]
fn report(problems: Vec<String>) {
    assert!(problems.is_empty(), "{} problem(s):\n  - {}", problems.len(), problems.join("\n  - "));
}

// ------------------------------------------------------------------------------------------------
// The no-JavaScript finder
// ------------------------------------------------------------------------------------------------

/// Service ids linked from a fragment (each occurrence), for links to `lang` service pages.
fn service_links(c: &Content, fragment: &str, lang: &str) -> Vec<String> {
    anchors(fragment).iter().filter_map(|(href, _)| c.service_of_href(href, lang).map(str::to_string)).collect()
}

/// Compares the services a page lists with the expected ones; returns problems.
fn compare_listed(what: &str, listed: &[String], expected: &BTreeSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    let got: BTreeSet<String> = listed.iter().cloned().collect();
    if got.len() != listed.len() {
        let mut seen = BTreeSet::new();
        let dups: Vec<&String> = listed.iter().filter(|x| !seen.insert(*x)).collect();
        problems.push(format!("{what}: services listed more than once: {dups:?}"));
    }
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(expected).collect();
    if !missing.is_empty() || !extra.is_empty() {
        problems.push(format!(
            "{what}: lists {} services, expected {}; missing {missing:?}, not expected {extra:?}",
            got.len(),
            expected.len()
        ));
    }
    problems
}

/// The `(N)` shown next to the catalogue's link to `href`; problems if missing or not unique.
fn catalogue_count(catalogue_main: &str, href: &str, what: &str) -> Result<usize, String> {
    let links: Vec<_> = anchors(catalogue_main).into_iter().filter(|(h, _)| h == href).collect();
    if links.len() != 1 {
        return Err(format!("{what}: the catalogue has {} links to {href}, expected 1", links.len()));
    }
    let text = text_of(&links[0].1);
    count_in(&text)
        .ok_or_else(|| format!("{what}: the catalogue link to {href} shows no count in parentheses: `{text}`"))
}

#[test]
fn every_audience_and_category_page_lists_exactly_its_services_with_the_right_count() {
    let c = content();
    let site = build();
    let mut problems = Vec::new();
    let mut checked_pages = 0;
    let mut checked_links = 0;
    for lang in &c.langs {
        let cat_path = c.catalogue_path(lang);
        let Some(cat_html) = site.page(&cat_path) else {
            problems.push(format!("[{lang}] no catalogue page at /{cat_path}"));
            continue;
        };
        let cat_main = main_of(&cat_html, &cat_path).to_string();
        for kind in [Kind::Audience, Kind::Category] {
            for term in c.terms(kind) {
                let what = format!("[{lang}] {kind:?} `{}`", term.key);
                let expected: BTreeSet<String> =
                    c.services_in(lang).iter().filter(|s| s.has(kind, &term.key)).map(|s| s.id.clone()).collect();
                let path = c.term_path(kind, term, lang);
                let Some(html) = site.page(&path) else {
                    problems.push(format!("{what}: no page /{path} (expected {} services)", expected.len()));
                    continue;
                };
                checked_pages += 1;
                let main = main_of(&html, &path);
                if h1_of(main).as_deref() != Some(term.labels[lang].as_str()) {
                    problems.push(format!(
                        "{what}: /{path} has h1 {:?}, expected {:?}",
                        h1_of(main),
                        term.labels[lang]
                    ));
                }
                let listed = service_links(&c, main, lang);
                checked_links += listed.len();
                problems.extend(compare_listed(&format!("{what} /{path}"), &listed, &expected));
                match catalogue_count(&cat_main, &c.href(&path), &what) {
                    Ok(n) if n == expected.len() => {}
                    Ok(n) => problems.push(format!("{what}: the catalogue shows ({n}), expected ({})", expected.len())),
                    Err(e) => problems.push(e),
                }
            }
        }
    }
    report(problems);
    let terms = c.audiences.len() + c.categories.len();
    assert_eq!(checked_pages, terms * c.langs.len(), "not every term page was checked");
    // Every service has at least one audience and one category in the example site, so the term
    // pages together link at least twice per service and language.
    let min_links: usize = c
        .langs
        .iter()
        .map(|l| c.services_in(l).iter().map(|s| s.audiences.len() + s.categories.len()).sum::<usize>())
        .sum();
    assert_eq!(checked_links, min_links, "term pages link {checked_links} services in all, content says {min_links}");
}

#[test]
fn every_provider_page_lists_exactly_its_services_with_the_right_count() {
    let c = content();
    let site = build();
    let mut problems = Vec::new();
    let mut checked = 0;
    for lang in &c.langs {
        let cat_path = c.catalogue_path(lang);
        let cat_html = site.page(&cat_path).unwrap_or_else(|| panic!("no catalogue page /{cat_path}"));
        let cat_main = main_of(&cat_html, &cat_path).to_string();
        for p in &c.providers {
            let Some(path) = c.provider_path(p, lang) else { continue };
            let what = format!("[{lang}] provider `{}`", p.id);
            let expected: BTreeSet<String> =
                c.services_in(lang).iter().filter(|s| s.provider == p.id).map(|s| s.id.clone()).collect();
            let Some(html) = site.page(&path) else {
                problems.push(format!("{what}: no page /{path}"));
                continue;
            };
            checked += 1;
            let main = main_of(&html, &path);
            // The list of services is a section of its own; the provider's description (prose, not
            // in a section) may link to other providers' services.
            let with_services: Vec<&str> =
                sections(main).into_iter().filter(|s| !service_links(&c, s, lang).is_empty()).collect();
            if with_services.len() != 1 && !expected.is_empty() {
                problems.push(format!(
                    "{what}: {} sections of /{path} link to services, expected one list of its services",
                    with_services.len()
                ));
                continue;
            }
            let list = with_services.first().copied().unwrap_or("");
            let listed = service_links(&c, list, lang);
            problems.extend(compare_listed(&format!("{what} /{path}"), &listed, &expected));
            let heading_count = tags(list, "h2").first().and_then(|t| {
                let end = list[t.end..].to_ascii_lowercase().find("</h2>")? + t.end;
                count_in(&text_of(&list[t.end..end]))
            });
            if !expected.is_empty() && heading_count.is_some_and(|n| n != expected.len()) {
                problems.push(format!(
                    "{what}: the services heading of /{path} shows ({}), expected ({})",
                    heading_count.unwrap(),
                    expected.len()
                ));
            }
            // Providers with services appear on the catalogue with their count.
            if !expected.is_empty() {
                match catalogue_count(&cat_main, &c.href(&path), &what) {
                    Ok(n) if n == expected.len() => {}
                    Ok(n) => problems.push(format!("{what}: the catalogue shows ({n}), expected ({})", expected.len())),
                    Err(e) => problems.push(e),
                }
            }
        }
    }
    report(problems);
    let expected_pages: usize =
        c.langs.iter().map(|l| c.providers.iter().filter(|p| p.docs.contains_key(l)).count()).sum();
    assert_eq!(checked, expected_pages);
    // Every service's provider exists.
    for s in &c.services {
        c.provider(&s.provider);
    }
}

#[test]
fn catalogue_a_to_z_lists_every_service_once() {
    let c = content();
    let site = build();
    let mut problems = Vec::new();
    for lang in &c.langs {
        let path = c.catalogue_path(lang);
        let html = site.page(&path).unwrap_or_else(|| panic!("no catalogue page /{path}"));
        let main = main_of(&html, &path);
        // The A-Z list is the one section of the catalogue that links to service pages (the other
        // sections link to audience, category and provider pages).
        let with_services: Vec<&str> =
            sections(main).into_iter().filter(|s| !service_links(&c, s, lang).is_empty()).collect();
        if with_services.len() != 1 {
            problems.push(format!(
                "[{lang}] /{path}: {} sections link to services, expected the A-Z section only",
                with_services.len()
            ));
            continue;
        }
        let az = with_services[0];
        let expected: BTreeSet<String> = c.services_in(lang).iter().map(|s| s.id.clone()).collect();
        let listed = service_links(&c, az, lang);
        assert!(expected.len() >= 10, "[{lang}] only {} services in content", expected.len());
        problems.extend(compare_listed(&format!("[{lang}] A-Z list of /{path}"), &listed, &expected));
        if listed.len() != expected.len() {
            problems.push(format!("[{lang}] A-Z list has {} service links, expected {}", listed.len(), expected.len()));
        }
        // Each service sits under the heading of its initial letter.
        let lower = az.to_ascii_lowercase();
        let mut letter: Option<String> = None;
        let mut events: Vec<(usize, String, String)> = Vec::new(); // (position, kind, text)
        for t in tags(az, "h3") {
            let end = lower[t.end..].find("</h3>").map(|i| t.end + i).unwrap_or(az.len());
            events.push((t.end, "h".into(), text_of(&az[t.end..end])));
        }
        for t in tags(az, "a") {
            if let Some(href) = t.get("href")
                && let Some(id) = c.service_of_href(href, lang)
            {
                events.push((t.end, "a".into(), id.to_string()));
            }
        }
        events.sort();
        let mut letters_seen = 0;
        for (_, kind, text) in events {
            if kind == "h" {
                if text.chars().count() == 1 {
                    letter = Some(folded_initial(&text));
                    letters_seen += 1;
                }
            } else {
                let s = c.services.iter().find(|s| s.id == text).unwrap();
                let title = &s.docs[lang].title;
                let initial = folded_initial(title);
                if letter.as_deref() != Some(initial.as_str()) {
                    problems.push(format!("[{lang}] A-Z: `{title}` is under letter {letter:?}, expected {initial}"));
                }
            }
        }
        let distinct: BTreeSet<String> =
            c.services_in(lang).iter().map(|s| folded_initial(&s.docs[lang].title)).collect();
        if letters_seen != distinct.len() {
            problems.push(format!(
                "[{lang}] A-Z: {letters_seen} letter headings, expected {} ({distinct:?})",
                distinct.len()
            ));
        }
        // The heading of the A-Z section shows the total.
        let total = tags(main, "h2")
            .into_iter()
            .map(|t| {
                let end = main[t.end..].to_ascii_lowercase().find("</h2>").map(|i| t.end + i).unwrap_or(main.len());
                text_of(&main[t.end..end])
            })
            .filter_map(|h| count_in(&h))
            .collect::<Vec<_>>();
        if !total.contains(&expected.len()) {
            problems.push(format!(
                "[{lang}] catalogue headings show counts {total:?}, none is the number of services {}",
                expected.len()
            ));
        }
    }
    report(problems);
}

// ------------------------------------------------------------------------------------------------
// JSON-LD
// ------------------------------------------------------------------------------------------------

fn jsonld_of(html: &str, what: &str, problems: &mut Vec<String>) -> Option<serde_json::Value> {
    let blocks = json_ld_blocks(html);
    if blocks.len() != 1 {
        problems.push(format!("{what}: {} JSON-LD blocks, expected 1", blocks.len()));
        return None;
    }
    if blocks[0].contains('<') {
        problems.push(format!("{what}: JSON-LD contains a raw `<`"));
    }
    match serde_json::from_str::<serde_json::Value>(&blocks[0]) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(format!("{what}: JSON-LD does not parse: {e}"));
            None
        }
    }
}

fn str_at<'a>(v: &'a serde_json::Value, ptr: &str) -> Option<&'a str> {
    v.pointer(ptr).and_then(|x| x.as_str())
}

#[test]
fn every_service_page_has_government_service_json_ld() {
    let c = content();
    let site = build();
    let mut problems = Vec::new();
    let mut checked = 0;
    for lang in &c.langs {
        for s in c.services_in(lang) {
            let path = c.service_path(s, lang).unwrap();
            let what = format!("[{lang}] service `{}` /{path}", s.id);
            let Some(html) = site.page(&path) else {
                problems.push(format!("{what}: no page"));
                continue;
            };
            let Some(v) = jsonld_of(&html, &what, &mut problems) else { continue };
            checked += 1;
            let mut bad = |m: String| problems.push(format!("{what}: {m}"));
            if str_at(&v, "/@context").is_none_or(|x| !x.trim_end_matches('/').ends_with("schema.org")) {
                bad(format!("@context is {:?}, expected https://schema.org", v.get("@context")));
            }
            if str_at(&v, "/@type") != Some("GovernmentService") {
                bad(format!("@type is {:?}", v.get("@type")));
            }
            let title = &s.docs[lang].title;
            if str_at(&v, "/name") != Some(title.as_str()) {
                bad(format!("name is {:?}, expected {title:?}", v.get("name")));
            }
            let canonical = canonical_of(&html);
            let expected_url = c.absolute(&path);
            if canonical.as_deref() != Some(expected_url.as_str()) {
                bad(format!("canonical URL is {canonical:?}, expected {expected_url}"));
            }
            if str_at(&v, "/url") != Some(expected_url.as_str()) || str_at(&v, "/url") != canonical.as_deref() {
                bad(format!("url is {:?}, expected the canonical URL {canonical:?}", v.get("url")));
            }
            let provider = c.provider(&s.provider);
            let pname =
                provider.docs.get(lang).or_else(|| provider.docs.get(c.default_lang())).map(|d| d.title.as_str());
            if str_at(&v, "/provider/name").is_none() || str_at(&v, "/provider/name") != pname {
                bad(format!("provider.name is {:?}, expected {pname:?}", v.pointer("/provider/name")));
            }
            let audience = v.get("audience").and_then(|a| a.as_array()).cloned().unwrap_or_default();
            if audience.len() != s.audiences.len() {
                bad(format!(
                    "{} audiences in JSON-LD, service.toml has {} ({:?})",
                    audience.len(),
                    s.audiences.len(),
                    s.audiences
                ));
            }
            for key in &s.audiences {
                let label = &c
                    .audiences
                    .iter()
                    .find(|t| &t.key == key)
                    .unwrap_or_else(|| panic!("{}: unknown audience {key}", s.id))
                    .labels[lang];
                if !audience.iter().any(|a| a.get("audienceType").and_then(|x| x.as_str()) == Some(label.as_str())) {
                    bad(format!("audience `{label}` missing from JSON-LD"));
                }
            }
            let area = v.get("areaServed");
            let area_ok = match area {
                Some(serde_json::Value::String(x)) => !x.trim().is_empty(),
                Some(a) => a.get("name").and_then(|n| n.as_str()).is_some_and(|n| !n.trim().is_empty()),
                None => false,
            };
            if !area_ok {
                bad(format!("areaServed is {area:?}"));
            }
            let phone = str_at(&v, "/availableChannel/servicePhone/telephone");
            if !phone
                .is_some_and(|p| p.starts_with("+370") && p[1..].chars().all(|c| c.is_ascii_digit()) && p.len() == 12)
            {
                bad(format!("availableChannel.servicePhone.telephone is {phone:?}, expected +370 and 8 digits"));
            }
            // The example gives no service its own phone or e-mail: the site's line is a contact
            // point named by the organisation it belongs to, and no e-mail is the service's.
            let point_name = str_at(&v, "/availableChannel/servicePhone/name");
            if point_name != Some("Alytaus miesto savivaldybės administracija")
                && point_name != Some("Alytus City Municipality Administration")
            {
                bad(format!("availableChannel.servicePhone.name is {point_name:?}, expected the organisation's"));
            }
            if v.get("email").is_some() || str_at(&v, "/availableChannel/servicePhone/contactType").is_some() {
                bad("the site's line or e-mail is given as the service's own".to_string());
            }
            let service_url = str_at(&v, "/availableChannel/serviceUrl");
            if !service_url.is_some_and(|u| u.starts_with("https://") || u.starts_with("http://")) {
                bad(format!("availableChannel.serviceUrl is {service_url:?}, expected an absolute URL"));
            }
        }
    }
    report(problems);
    let expected: usize = c.langs.iter().map(|l| c.services_in(l).len()).sum();
    assert_eq!(checked, expected, "JSON-LD checked on {checked} service pages, content has {expected}");
}

#[test]
fn every_provider_page_has_government_organization_json_ld() {
    let c = content();
    let site = build();
    let mut problems = Vec::new();
    let mut checked = 0;
    for lang in &c.langs {
        for p in &c.providers {
            let Some(path) = c.provider_path(p, lang) else { continue };
            let what = format!("[{lang}] provider `{}` /{path}", p.id);
            let Some(html) = site.page(&path) else {
                problems.push(format!("{what}: no page"));
                continue;
            };
            let Some(v) = jsonld_of(&html, &what, &mut problems) else { continue };
            checked += 1;
            if str_at(&v, "/@type") != Some("GovernmentOrganization") {
                problems.push(format!("{what}: @type is {:?}", v.get("@type")));
            }
            let title = &p.docs[lang].title;
            if str_at(&v, "/name") != Some(title.as_str()) {
                problems.push(format!("{what}: name is {:?}, expected {title:?}", v.get("name")));
            }
            // The organisation's own phone, in E.164, or none: never another line's number.
            let phone = str_at(&v, "/telephone");
            let own = p.phone.as_ref().map(|x| x.chars().filter(|c| !c.is_whitespace()).collect::<String>());
            if phone != own.as_deref() {
                problems.push(format!("{what}: telephone is {phone:?}, expected {own:?} (from provider.toml)"));
            }
            if let Some(u) = str_at(&v, "/url")
                && Some(u) != canonical_of(&html).as_deref()
            {
                problems.push(format!("{what}: url {u} is not the canonical URL {:?}", canonical_of(&html)));
            }
        }
    }
    report(problems);
    let expected: usize = c.langs.iter().map(|l| c.providers.iter().filter(|p| p.docs.contains_key(l)).count()).sum();
    assert_eq!(checked, expected);
}

#[test]
fn no_json_ld_anywhere_contains_a_raw_lt_and_all_of_it_parses() {
    let c = content();
    let site = build();
    let mut problems = Vec::new();
    let mut blocks_seen = 0;
    for path in html_pages(&site.out) {
        let html = fs::read_to_string(site.page_file(&path)).unwrap();
        for b in json_ld_blocks(&html) {
            blocks_seen += 1;
            if b.contains('<') {
                problems.push(format!("/{path}: JSON-LD contains a raw `<`"));
            }
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&b) {
                problems.push(format!("/{path}: JSON-LD does not parse: {e}"));
            }
        }
    }
    report(problems);
    // At least one block per service and provider page.
    let min: usize = c
        .langs
        .iter()
        .map(|l| c.services_in(l).len() + c.providers.iter().filter(|p| p.docs.contains_key(l)).count())
        .sum();
    assert!(blocks_seen >= min, "only {blocks_seen} JSON-LD blocks in the site, expected at least {min}");
}

// ------------------------------------------------------------------------------------------------
// sitemap.xml, robots.txt, feeds
// ------------------------------------------------------------------------------------------------

#[test]
fn sitemap_lists_every_page_once_with_hreflang_alternates() {
    let c = content();
    let site = build();
    let xml = site.read("sitemap.xml");
    let urlset = parse_xml(&xml, "sitemap.xml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(urlset.name, "urlset");
    assert_eq!(urlset.attr("xmlns"), Some("http://www.sitemaps.org/schemas/sitemap/0.9"));
    assert_eq!(urlset.attr("xmlns:xhtml"), Some("http://www.w3.org/1999/xhtml"));
    let mut problems = Vec::new();

    // loc -> alternates (hreflang -> href)
    let mut entries: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for url in urlset.all("url") {
        let loc = match url.one("loc") {
            Ok(l) => l.text.trim().to_string(),
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let mut alts = BTreeMap::new();
        for link in url.all("xhtml:link") {
            if link.attr("rel") != Some("alternate") {
                problems.push(format!("{loc}: xhtml:link with rel {:?}", link.attr("rel")));
            }
            let (Some(lang), Some(href)) = (link.attr("hreflang"), link.attr("href")) else {
                problems.push(format!("{loc}: xhtml:link without hreflang or href"));
                continue;
            };
            if alts.insert(lang.to_string(), href.to_string()).is_some() {
                problems.push(format!("{loc}: hreflang {lang} twice"));
            }
        }
        if entries.insert(loc.clone(), alts).is_some() {
            problems.push(format!("{loc} is listed more than once"));
        }
    }

    // Exactly the generated HTML pages, 404 pages excluded.
    let pages: Vec<String> = html_pages(&site.out).into_iter().filter(|p| !is_404(p)).collect();
    let expected: BTreeSet<String> = pages.iter().map(|p| c.absolute(p)).collect();
    let got: BTreeSet<String> = entries.keys().cloned().collect();
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(&expected).collect();
    if !missing.is_empty() || !extra.is_empty() {
        problems.push(format!(
            "sitemap has {} URLs, the output {} pages; missing {missing:?}; not pages {extra:?}",
            got.len(),
            expected.len()
        ));
    }
    assert!(expected.len() >= 2 * c.services.len(), "suspiciously few pages: {}", expected.len());

    // Alternates: the page's own language with its own URL, every other language it exists in,
    // x-default = the default language, the same set as the page's <head>, symmetric.
    let mut page_langs: BTreeMap<String, String> = BTreeMap::new();
    for p in &pages {
        let html = fs::read_to_string(site.page_file(p)).unwrap();
        let loc = c.absolute(p);
        let Some(alts) = entries.get(&loc) else { continue };
        let lang = tags(&html, "html").first().and_then(|t| t.get("lang").map(str::to_string)).unwrap_or_default();
        page_langs.insert(loc.clone(), lang.clone());
        if alts.get(&lang) != Some(&loc) {
            problems
                .push(format!("{loc}: hreflang {lang} (its own language) is {:?}, expected itself", alts.get(&lang)));
        }
        let def = c.default_lang();
        match (alts.get("x-default"), alts.get(def)) {
            (Some(x), Some(d)) if x == d => {}
            (x, d) => problems.push(format!("{loc}: x-default {x:?} is not the {def} page {d:?}")),
        }
        let head = head_alternates(&html);
        if &head != alts {
            problems
                .push(format!("{loc}: sitemap alternates {alts:?} differ from the page's <head> alternates {head:?}"));
        }
        for (l, href) in alts {
            if l != "x-default" && !c.langs.contains(l) {
                problems.push(format!("{loc}: hreflang {l} is not a site language"));
            }
            match entries.get(href) {
                None => problems.push(format!("{loc}: alternate {l} {href} is not in the sitemap")),
                Some(other) if other != alts => {
                    problems.push(format!("{loc}: alternate {href} has different alternates {other:?}"))
                }
                _ => {}
            }
        }
    }
    // Which languages a page exists in, from the content: services and providers.
    let mut content_checked = 0;
    for (kind, items) in [
        (
            "service",
            c.services
                .iter()
                .map(|s| {
                    c.langs
                        .iter()
                        .filter_map(|l| c.service_path(s, l).map(|p| (l.clone(), c.absolute(&p))))
                        .collect::<BTreeMap<_, _>>()
                })
                .collect::<Vec<_>>(),
        ),
        (
            "provider",
            c.providers
                .iter()
                .map(|p| {
                    c.langs
                        .iter()
                        .filter_map(|l| c.provider_path(p, l).map(|x| (l.clone(), c.absolute(&x))))
                        .collect::<BTreeMap<_, _>>()
                })
                .collect::<Vec<_>>(),
        ),
    ] {
        for urls in items {
            for url in urls.values() {
                content_checked += 1;
                let Some(alts) = entries.get(url) else {
                    problems.push(format!("{kind} page {url} is not in the sitemap"));
                    continue;
                };
                let mut want = urls.clone();
                if let Some(d) = urls.get(c.default_lang()) {
                    want.insert("x-default".into(), d.clone());
                }
                if alts != &want {
                    problems.push(format!("{kind} page {url}: alternates {alts:?}, expected {want:?}"));
                }
            }
        }
    }
    // Every language has pages, and the count of pages per language is what the files say.
    for lang in &c.langs {
        let n = page_langs.values().filter(|l| *l == lang).count();
        let files = pages
            .iter()
            .filter(|p| {
                if lang == c.default_lang() {
                    !c.langs.iter().any(|o| o != lang && p.starts_with(&format!("{o}/")))
                } else {
                    p.starts_with(&format!("{lang}/"))
                }
            })
            .count();
        if n != files {
            problems
                .push(format!("[{lang}] {n} sitemap pages declare lang={lang}, {files} files are under its prefix"));
        }
    }
    report(problems);
    let expected_content: usize = c.services.iter().map(|s| s.docs.len()).sum::<usize>()
        + c.providers.iter().map(|p| p.docs.len()).sum::<usize>();
    assert_eq!(content_checked, expected_content);
}

#[test]
fn robots_txt_points_at_the_sitemap() {
    let c = content();
    let site = build();
    let robots = site.read("robots.txt");
    let lines: Vec<&str> = robots.lines().map(str::trim).collect();
    assert!(
        lines.iter().any(|l| l.to_ascii_lowercase().starts_with("user-agent:")),
        "robots.txt has no User-agent line:\n{robots}"
    );
    assert!(
        !lines.iter().any(|l| l.replace(' ', "").eq_ignore_ascii_case("disallow:/")),
        "robots.txt disallows everything:\n{robots}"
    );
    let sitemaps: Vec<&str> = lines
        .iter()
        .filter_map(|l| {
            l.split_once(':').filter(|(k, _)| k.trim().eq_ignore_ascii_case("sitemap")).map(|(_, v)| v.trim())
        })
        .collect();
    let want = format!("{}sitemap.xml", c.base_url);
    assert_eq!(sitemaps, vec![want.as_str()], "robots.txt must point at the absolute sitemap URL:\n{robots}");
    assert!(site.out.join("sitemap.xml").is_file(), "robots.txt points at a sitemap that was not written");
}

#[test]
fn each_language_has_an_atom_feed_with_one_entry_per_service_newest_first() {
    let c = content();
    let site = build();
    let mut problems = Vec::new();
    let mut entries_seen = 0;
    for lang in &c.langs {
        let path = format!("{}feed.xml", c.lang_prefix(lang));
        let what = format!("/{path}");
        let text = site.read(&path);
        let feed = match parse_xml(&text, &what) {
            Ok(f) => f,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let mut bad = |m: String| problems.push(format!("{what}: {m}"));
        if feed.name != "feed" || feed.attr("xmlns") != Some("http://www.w3.org/2005/Atom") {
            bad(format!("root is <{}> xmlns={:?}, expected Atom <feed>", feed.name, feed.attr("xmlns")));
        }
        if feed.attr("xml:lang") != Some(lang.as_str()) {
            bad(format!("xml:lang is {:?}", feed.attr("xml:lang")));
        }
        for req in ["title", "id", "updated"] {
            match feed.one(req) {
                Ok(e) if !e.text.trim().is_empty() => {}
                Ok(_) => bad(format!("empty <{req}>")),
                Err(e) => bad(e),
            }
        }
        let self_url = c.absolute(&path);
        if !feed.all("link").any(|l| l.attr("rel") == Some("self") && l.attr("href") == Some(self_url.as_str())) {
            bad(format!("no <link rel=\"self\" href=\"{self_url}\"/>"));
        }
        let is_date = |s: &str| {
            s.len() >= 20
                && s.as_bytes()[4] == b'-'
                && s.as_bytes()[10] == b'T'
                && (s.ends_with('Z') || s[19..].contains(['+', '-']))
        };
        let services = c.services_in(lang);
        let mut links = Vec::new();
        let mut ids = BTreeSet::new();
        let mut dates = Vec::new();
        for entry in feed.all("entry") {
            entries_seen += 1;
            let get = |n: &str| entry.one(n).map(|e| e.text.trim().to_string());
            let (title, id, updated) = (get("title"), get("id"), get("updated"));
            let link = entry.one("link").ok().and_then(|l| l.attr("href")).map(str::to_string);
            let (Ok(title), Ok(id), Ok(updated), Some(link)) = (title, id, updated, link) else {
                bad(format!("an entry lacks title, id, updated or link href: {entry:?}"));
                continue;
            };
            if !is_date(&updated) {
                bad(format!("entry `{title}`: updated `{updated}` is not an RFC 3339 date-time"));
            }
            if !ids.insert(id.clone()) {
                bad(format!("entry id {id} twice"));
            }
            match services.iter().find(|s| c.service_path(s, lang).is_some_and(|p| c.absolute(&p) == link)) {
                Some(s) => {
                    if s.docs[lang].title != title {
                        bad(format!("entry {link} has title `{title}`, expected `{}`", s.docs[lang].title));
                    }
                    if !updated.starts_with(&s.reviewed) {
                        bad(format!("entry `{title}` updated {updated}, the service was reviewed {}", s.reviewed));
                    }
                }
                None => bad(format!("entry `{title}` links to {link}, which is not a {lang} service page")),
            }
            links.push(link);
            dates.push(updated);
        }
        let got: BTreeSet<&String> = links.iter().collect();
        if links.len() != services.len() || got.len() != services.len() {
            bad(format!(
                "{} entries ({} distinct), expected one per service: {}",
                links.len(),
                got.len(),
                services.len()
            ));
        }
        for w in dates.windows(2) {
            if w[0] < w[1] {
                bad(format!("entries not newest first: {} before {}", w[0], w[1]));
            }
        }
        let feed_updated = feed.one("updated").map(|e| e.text.trim().to_string()).unwrap_or_default();
        if let Some(max) = dates.iter().max()
            && &feed_updated != max
        {
            bad(format!("feed updated {feed_updated}, newest entry {max}"));
        }
    }
    report(problems);
    let expected: usize = c.langs.iter().map(|l| c.services_in(l).len()).sum();
    assert_eq!(
        entries_seen, expected,
        "feeds have {entries_seen} entries in all, content has {expected} service pages"
    );
}

// ------------------------------------------------------------------------------------------------
// The test helpers themselves
// ------------------------------------------------------------------------------------------------

#[test]
fn helpers_read_minified_html_and_reject_malformed_xml() {
    let html = r#"<main class=wrap><a href=/x/y/>A <span class=count>(4)</span></a><a class="k" href="/q?a=1&amp;b=2">B</a></main>"#;
    let a = anchors(html);
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].0, "/x/y/");
    assert_eq!(count_in(&text_of(&a[0].1)), Some(4));
    assert_eq!(a[1].0, "/q?a=1&b=2");
    assert_eq!(slugify("Globėjai, įtėviai ir norintys jais tapti"), "globejai-iteviai-ir-norintys-jais-tapti");
    assert!(parse_xml("<?xml version=\"1.0\"?><a><b></a>", "t").is_err());
    assert!(parse_xml("<?xml version=\"1.0\"?><a x=1/>", "t").is_err());
    assert!(parse_xml("<?xml version=\"1.0\"?><a>&nbsp;</a>", "t").is_err());
    assert!(parse_xml("<?xml version=\"1.0\"?><a>x &amp; y</a><b/>", "t").is_err());
    let ok = parse_xml("<?xml version=\"1.0\"?>\n<a k=\"v&amp;w\"><b>1 &lt; 2</b><c/></a>\n", "t").unwrap();
    assert_eq!(ok.attr("k"), Some("v&w"));
    assert_eq!(ok.one("b").unwrap().text, "1 < 2");
    assert_eq!(url_path("https://www.alytus.lt/socialines-paslaugos/"), "/socialines-paslaugos/");
}
