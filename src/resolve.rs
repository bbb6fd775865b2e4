//! Resolve stage: decides every page the site has, in every language, and its URL.
//!
//! Owns URLs (default language at the root, others under `/<lang>/`; segments from i18n and slugs),
//! translations (which languages each page exists in, for `hreflang` and the language switcher),
//! duplicate-URL detection, and the resolution of `@/` content links with their anchors. The
//! result, [`Site`], is what rendering, checks, leaflets and the server consume.

use crate::address::{Address, Target};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location, did_you_mean};
use crate::i18n::I18n;
use crate::model::*;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

/// A hash map with a fast, non-random hasher (FxHash), for the site's own keys (addresses, page
/// paths, page indexes): they come from the site's files, not from strangers, so the hash needs
/// no protection against collisions made on purpose, and `check` looks them up a few hundred
/// thousand times at 10,000 services.
pub type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// The pages by their site-absolute URL path (`href`: base path and page path), made from the
/// page paths without building every page's href ([`Site::pages_by_href`]).
pub struct PagesByHref<'a> {
    base_path: &'a str,
    paths: FastMap<&'a str, usize>,
}

impl PagesByHref<'_> {
    /// The index of the page at `href`, if the site has one.
    pub fn get(&self, href: &str) -> Option<usize> {
        href.strip_prefix(self.base_path).and_then(|p| self.paths.get(p)).copied()
    }
}

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    Catalogue,
    Service(usize),
    ProviderIndex,
    Provider(usize),
    Audience(usize),
    Category(usize),
    Charter,
    Quality,
    Page(usize),
    NotFound,
    /// The easy-read version of a page.
    Easy(EasyOf),
    /// The list of everything that has an easy-read version.
    EasyIndex,
}

/// Which page an easy-read version belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EasyOf {
    Service(usize),
    Provider(usize),
    Charter,
    Quality,
    Page(usize),
}

impl EasyOf {
    /// The standard page this easy-read version belongs to.
    pub fn standard(self) -> PageKind {
        match self {
            EasyOf::Service(i) => PageKind::Service(i),
            EasyOf::Provider(i) => PageKind::Provider(i),
            EasyOf::Charter => PageKind::Charter,
            EasyOf::Quality => PageKind::Quality,
            EasyOf::Page(i) => PageKind::Page(i),
        }
    }
}

/// The easy-read versions of an item, if any.
pub fn easy_docs(content: &Content, of: EasyOf) -> Option<&Docs<EasyDoc>> {
    match of {
        EasyOf::Service(i) => content.services.get(i).map(|s| &s.easy),
        EasyOf::Provider(i) => content.providers.get(i).map(|s| &s.easy),
        EasyOf::Charter => content.charter.as_ref().map(|s| &s.easy),
        EasyOf::Quality => content.quality.as_ref().map(|s| &s.easy),
        EasyOf::Page(i) => content.pages.get(i).map(|s| &s.easy),
    }
}

/// One output page in one language.
#[derive(Debug, Clone)]
pub struct OutPage {
    pub kind: PageKind,
    pub lang: Lang,
    /// The content address (`services/home-help`), the key of `@/` links.
    pub address: Address,
    /// Path under the base URL, `""` for the home page, else ending in `/` (or `.html`).
    pub path: String,
    /// The source file shown in messages about this page.
    pub source: Option<PathBuf>,
    /// Which page of a paginated list this is (1 for the first, and for every other page).
    pub part: usize,
}

/// The resolved site: configuration, strings, content and every page with its URL.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub i18n: I18n,
    pub content: Content,
    pub pages: Vec<OutPage>,
    /// Address -> language -> path.
    pub urls: FastMap<Address, PerLang<String>>,
    /// Address -> language -> anchors known before rendering (sections, headings, charter ids).
    pub anchors: FastMap<Address, PerLang<Anchors>>,
    /// Indexes into `content.services`, so lists never scan the whole catalogue per page.
    pub index: ServiceIndex,
    /// What each list shows, in order, per language: list address (`services`,
    /// `audiences/<key>`, `categories/<key>`, `providers`, `easy-read`) -> language -> indexes
    /// (into `content.services`, `content.providers`, or `pages` for `easy-read`). A list page
    /// shows its slice of this ([`OutPage::part`], `[lists] per_page`).
    pub lists: Lists,
}

/// Which services belong to each provider, audience and category (indexes into
/// `content.services`, in catalogue order).
#[derive(Debug, Default)]
pub struct ServiceIndex {
    pub by_provider: HashMap<String, Vec<usize>>,
    pub by_audience: HashMap<String, Vec<usize>>,
    pub by_category: HashMap<String, Vec<usize>>,
    pub provider_pos: HashMap<String, usize>,
}

impl ServiceIndex {
    fn new(content: &Content) -> Self {
        let mut ix = ServiceIndex::default();
        for (i, s) in content.services.iter().enumerate() {
            ix.by_provider.entry(s.provider.clone()).or_default().push(i);
            for a in &s.audiences {
                ix.by_audience.entry(a.clone()).or_default().push(i);
            }
            for c in &s.categories {
                ix.by_category.entry(c.clone()).or_default().push(i);
            }
        }
        ix.provider_pos = content.providers.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
        ix
    }

    /// Whether the index lists the service at `i` under exactly its provider, audiences and
    /// categories.
    fn holds(&self, i: usize, s: &Service) -> bool {
        let keys = |m: &HashMap<String, Vec<usize>>| -> BTreeSet<String> {
            m.iter().filter(|(_, v)| v.binary_search(&i).is_ok()).map(|(k, _)| k.clone()).collect()
        };
        keys(&self.by_provider) == BTreeSet::from([s.provider.clone()])
            && keys(&self.by_audience) == s.audiences.iter().cloned().collect::<BTreeSet<String>>()
            && keys(&self.by_category) == s.categories.iter().cloned().collect::<BTreeSet<String>>()
    }
}

impl Site {
    /// The home-visit services of the catalogue in `lang`, in the catalogue's order (what the
    /// home page lists).
    pub fn home_visit_services(&self, lang: &str) -> Vec<usize> {
        self.lists
            .get("services")
            .and_then(|m| m.get(lang))
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| self.content.services[i].home_visit)
            .collect()
    }

    /// The HTML of a page's text, made again from its file (see [`crate::model::Body`]; a failure
    /// is reported with [`crate::model::again_failed`]).
    pub fn body_html<F>(&self, d: &crate::model::Doc<F>) -> crate::error::Result<String> {
        self.text_html(&d.body, &d.file)
    }

    /// The HTML of the page text `body` of `file`, made again from the file.
    pub fn text_html(&self, body: &crate::model::Body, file: &std::path::Path) -> crate::error::Result<String> {
        let mode = crate::markdown::Mode { plain: false, ..crate::markdown::Mode::site(&self.config.markdown, false) };
        Ok(body.again(&self.content.root, file, mode)?.html)
    }

    /// The plain text of a page's text, made again from its file.
    pub fn body_plain<F>(&self, d: &crate::model::Doc<F>) -> crate::error::Result<String> {
        let mode = crate::markdown::Mode { html: false, ..crate::markdown::Mode::site(&self.config.markdown, false) };
        Ok(d.body.again(&self.content.root, &d.file, mode)?.plain)
    }

    /// The site-absolute URL path (with the base path) of a page path.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.config.base_path, path)
    }
    /// Every page by its href (see [`PagesByHref`]).
    pub fn pages_by_href(&self) -> PagesByHref<'_> {
        let mut paths = FastMap::with_capacity_and_hasher(self.pages.len(), Default::default());
        paths.extend(self.pages.iter().enumerate().map(|(i, p)| (p.path.as_str(), i)));
        PagesByHref { base_path: &self.config.base_path, paths }
    }
    /// The full URL of a page path.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }
    /// The path of an address in a language, if that page exists there. The address is an
    /// [`Address`] or its text.
    pub fn path_of(&self, address: &(impl AsRef<str> + ?Sized), lang: &str) -> Option<&str> {
        self.urls.get(address.as_ref()).and_then(|m| m.get(lang)).map(String::as_str)
    }
    /// Where a link from a page in `lang` to `address` (an [`Address`] or its text) goes: the
    /// page in `lang`, or, while it is not translated into `lang`, the page in the default
    /// language. With the language of the page it goes to (the link then says so: `hreflang` and
    /// a note).
    pub fn link_of(&self, address: &(impl AsRef<str> + ?Sized), lang: &str) -> Option<(&str, &'static str)> {
        let m = self.urls.get(address.as_ref())?;
        m.get_key_value(lang).or_else(|| m.get_key_value(self.default_lang())).map(|(l, p)| (p.as_str(), l.as_str()))
    }
    /// Resolves an `@/address#anchor` link for a page in `lang` to a site-absolute URL, and the
    /// language of the page it goes to (see [`Site::link_of`]).
    pub fn resolve_link(&self, lang: &str, target: &str) -> Option<(String, &str)> {
        let (address, anchor) = crate::address::split_link(target)?;
        let (path, to) = self.link_of(address, lang)?;
        Some((
            match anchor {
                Some(a) => format!("{}#{a}", self.href(path)),
                None => self.href(path),
            },
            to,
        ))
    }
    /// A text as a page in `lang` shows it (see [`crate::model::Text::shown`]).
    pub fn shown<'a>(&'a self, text: &'a Text, lang: &'a str) -> Shown<'a> {
        text.shown(lang, self.default_lang())
    }
    /// The text of an item a page in `lang` shows: its own language's, or the default language's
    /// while it is not translated (the text's `lang` says which).
    pub fn doc_in<'a, F>(&self, docs: &'a Docs<Doc<F>>, lang: &str) -> Option<&'a Doc<F>> {
        docs.get(lang).or_else(|| docs.get(self.default_lang())).map(Box::as_ref)
    }
    /// An empty site with the same configuration (a placeholder while a site is rebuilt).
    pub fn empty_like(other: &Site) -> Site {
        Site {
            config: other.config.clone(),
            i18n: other.i18n.clone(),
            content: Content::default(),
            pages: Vec::new(),
            urls: FastMap::default(),
            anchors: FastMap::default(),
            index: ServiceIndex::default(),
            lists: HashMap::new(),
        }
    }
    /// A provider by id.
    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.index.provider_pos.get(id).map(|&i| &self.content.providers[i])
    }
    /// Services by indexes from [`ServiceIndex`].
    pub fn services_at<'a>(&'a self, ix: Option<&'a Vec<usize>>) -> impl Iterator<Item = &'a Service> + 'a {
        ix.into_iter().flatten().map(|&i| &self.content.services[i])
    }
    /// The default language.
    pub fn default_lang(&self) -> &str {
        self.config.default_lang()
    }
    /// The phone and e-mail a resident is given for a service, and whose they are: the service's
    /// own, else its institution's, else the site's contact (`[contact]` in `site.toml`). Pages,
    /// leaflets, exports and `check` all ask this, so none calls a number the service's own
    /// when it is not.
    pub fn service_reach<'a>(&'a self, s: &'a Service) -> Reach<'a> {
        let provider = self.provider(&s.provider).map(|p| &p.contact);
        let site = &self.config.contact;
        let (phone, phone_whose) = match (&s.contact.phone, provider.and_then(|c| c.phone.as_ref())) {
            (Some(p), _) => (p, Whose::Own),
            (None, Some(p)) => (p, Whose::Provider),
            (None, None) => (&site.phone, Whose::Site),
        };
        let (email, email_whose) = match (&s.contact.email, provider.and_then(|c| c.email.as_ref())) {
            (Some(e), _) => (e.as_str(), Whose::Own),
            (None, Some(e)) => (e.as_str(), Whose::Provider),
            (None, None) => (site.email.as_str(), Whose::Site),
        };
        Reach { phone, phone_whose, email, email_whose, line: phone.e164 == self.config.feedback.phone.e164 }
    }
    /// As [`Site::service_reach`], for an institution: its own, else the site's contact.
    pub fn provider_reach<'a>(&'a self, p: &'a Provider) -> Reach<'a> {
        let site = &self.config.contact;
        let (phone, phone_whose) = match &p.contact.phone {
            Some(ph) => (ph, Whose::Own),
            None => (&site.phone, Whose::Site),
        };
        let (email, email_whose) = match &p.contact.email {
            Some(e) => (e.as_str(), Whose::Own),
            None => (site.email.as_str(), Whose::Site),
        };
        Reach { phone, phone_whose, email, email_whose, line: phone.e164 == self.config.feedback.phone.e164 }
    }
}

/// Whose a phone or e-mail given for a service or an institution is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whose {
    /// Its own (written in its `service.toml` or `provider.toml`).
    Own,
    /// The institution that provides the service.
    Provider,
    /// The site's contact (`[contact]` in `site.toml`): the organisation publishing the site.
    Site,
}

impl Whose {
    /// The name exports and templates use: `own`, `provider`, `site`.
    pub fn key(self) -> &'static str {
        match self {
            Whose::Own => "own",
            Whose::Provider => "provider",
            Whose::Site => "site",
        }
    }
}

/// The phone and e-mail given for a service or an institution (see [`Site::service_reach`]).
#[derive(Clone, Copy, Debug)]
pub struct Reach<'a> {
    pub phone: &'a crate::values::phone::Phone,
    pub phone_whose: Whose,
    pub email: &'a str,
    pub email_whose: Whose,
    /// The phone is the site's feedback line (`[feedback]`): pages say what that line is for.
    pub line: bool,
}

fn prefix(config: &Config, lang: &str) -> String {
    if lang == config.default_lang() { String::new() } else { format!("{lang}/") }
}

struct Builder<'a> {
    i18n: &'a I18n,
    pages: Vec<OutPage>,
    urls: FastMap<Address, PerLang<String>>,
    anchors: FastMap<Address, PerLang<Anchors>>,
    /// Output path -> the page using it (paths are unique across languages: the default
    /// language's `en/` would be the English home page).
    taken: FastMap<String, usize>,
    lists: Lists,
    diags: Diagnostics,
}

impl Builder<'_> {
    fn seg(&self, lang: &str, key: &str) -> String {
        self.i18n.lang(lang).get(key).to_string()
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        kind: PageKind,
        lang: Lang,
        address: Address,
        path: String,
        source: Option<PathBuf>,
        at: Option<Location>,
        anchors: Anchors,
    ) -> bool {
        if let Some(&other) = self.taken.get(path.as_str()) {
            let other = &self.pages[other].address;
            let loc = at
                .clone()
                .or_else(|| source.as_ref().map(Location::file))
                .unwrap_or_else(|| Location::file("site.toml"));
            let hint = format!("the address /{path} is already used by `@/{other}`; choose another slug");
            self.diags.push(
                Diagnostic::error(
                    Code::DuplicateSlug,
                    loc,
                    format!("two pages in `{lang}` would have the same address /{path}"),
                )
                .with_hint(hint),
            );
            return false;
        }
        self.taken.insert(path.clone(), self.pages.len());
        put(&mut self.urls, &address, lang, path.clone());
        put(&mut self.anchors, &address, lang, anchors);
        self.pages.push(OutPage { kind, lang, address, path, source, part: 1 });
        true
    }

    /// Adds the pages of a list of `len` entries: the first at `path`, the others at
    /// `path<n>/` with the address of their part ([`Address::with_part`]). `at` locates a
    /// clash of the first page only. Returns whether the first page was added.
    #[allow(clippy::too_many_arguments)]
    fn add_list(
        &mut self,
        kind: PageKind,
        lang: Lang,
        address: &Address,
        path: String,
        source: Option<PathBuf>,
        at: Option<Location>,
        len: usize,
        per_page: usize,
    ) -> bool {
        if !self.add(kind, lang, address.clone(), path.clone(), source.clone(), at, Anchors::default()) {
            return false;
        }
        for part in 2..=parts(len, per_page) {
            if self.add(
                kind,
                lang,
                address.with_part(part).expect("a list's first page"),
                format!("{path}{part}/"),
                source.clone(),
                None,
                Anchors::default(),
            ) {
                self.pages.last_mut().expect("just added").part = part;
            }
        }
        true
    }
}

/// Sets `map[address][lang]`; an address's second language finds its entry without a copy of
/// the address.
fn put<T>(map: &mut FastMap<Address, PerLang<T>>, address: &Address, lang: Lang, value: T) {
    match map.get_mut(address) {
        Some(m) => {
            m.insert(lang, value);
        }
        None => {
            map.entry(address.clone()).or_default().insert(lang, value);
        }
    }
}

/// How many pages a list of `len` entries takes (at least one).
pub fn parts(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page.max(1)).max(1)
}

/// The lists of a site: list address -> language -> entries in order.
pub type Lists = HashMap<Address, PerLang<Vec<usize>>>;

/// One page of a list: all its entries in `lang`, and those on page `part` (from 1; none past
/// the end).
pub fn list_slice<'a>(
    lists: &'a Lists,
    list: &str,
    lang: &str,
    part: usize,
    per_page: usize,
) -> (&'a [usize], &'a [usize]) {
    let all: &[usize] = lists.get(list).and_then(|m| m.get(lang)).map(Vec::as_slice).unwrap_or(&[]);
    let per = per_page.max(1);
    let part = part.max(1);
    (all, &all[((part - 1) * per).min(all.len())..(part * per).min(all.len())])
}

/// The address of the first page of a list (`services@3` -> `services`), as text (see
/// [`Address::base`]).
pub fn list_address(address: &str) -> &str {
    address.split_once('@').map_or(address, |(a, _)| a)
}

/// The address of page `part` of a list (`services`, 3 -> `services@3`; the first page is the
/// list's own address), as text, for callers that have the list's address as text (see
/// [`Address::with_part`]).
pub fn part_address(list: &str, part: usize) -> String {
    if part <= 1 { list.to_string() } else { format!("{list}@{part}") }
}

/// Services (indexes into `content.services`) with a page in `lang` or the default language, in
/// list order: by title, ignoring case.
fn sorted_services(content: &Content, lang: &str, default: &str, ix: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut v: Vec<(String, usize)> = ix.filter_map(|i| list_order(content, lang, default, i)).collect();
    v.sort();
    v.into_iter().map(|(_, i)| i).collect()
}

/// [`sorted_services`] with every service's sort key made once (`keys[i]`: [`list_order`]'s key
/// of service `i`, `None` when it has no page in the language): a service is in the catalogue
/// and in the list of each of its terms, and lowercasing its title for every list it is in was
/// a tenth of `resolve`.
fn sorted_by_keys(keys: &[Option<String>], ix: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut v: Vec<(&str, usize)> = ix.filter_map(|i| keys[i].as_deref().map(|k| (k, i))).collect();
    v.sort_unstable();
    v.into_iter().map(|(_, i)| i).collect()
}

/// The services `ix` (indexes into `content.services`) in list order, given each service's
/// `place` in the catalogue's list (`u32::MAX`: not in it, no page in the language). The same
/// order as [`sorted_by_keys`] with the keys that made the catalogue's list.
fn in_place_order(place: &[u32], ix: Option<&Vec<usize>>) -> Vec<usize> {
    let mut v: Vec<(u32, usize)> =
        ix.into_iter().flatten().filter(|&&i| place[i] != u32::MAX).map(|&i| (place[i], i)).collect();
    v.sort_unstable();
    v.into_iter().map(|(_, i)| i).collect()
}

/// Where the service at `i` sorts in the lists of `lang` (by title, ignoring case). A list shows
/// every service: one not yet translated into `lang` by its title in `default`, linked to its
/// page in that language.
fn list_order(content: &Content, lang: &str, default: &str, i: usize) -> Option<(String, usize)> {
    let docs = &content.services[i].docs;
    docs.get(lang).or_else(|| docs.get(default)).map(|d| (d.title.to_lowercase(), i))
}

/// Every `@/` link written in content must point at a page in the link's language, and at a
/// place (`#anchor`) that page has.
fn check_content_links(
    content: &Content,
    default: &str,
    urls: &FastMap<Address, PerLang<String>>,
    anchors: &FastMap<Address, PerLang<Anchors>>,
) -> Vec<Diagnostic> {
    check_links_of(content, default, None, urls, anchors)
}

/// [`check_content_links`] for the links written in some items only (`only`: their addresses),
/// or in all.
fn check_links_of(
    content: &Content,
    default: &str,
    only: Option<&[Address]>,
    urls: &FastMap<Address, PerLang<String>>,
    anchors: &FastMap<Address, PerLang<Anchors>>,
) -> Vec<Diagnostic> {
    let wanted = |item: Target<'_>| only.is_none_or(|o| o.iter().any(|a| a.target() == item && !a.is_easy()));
    // Links written in content.
    let mut docs_links: Vec<(&str, &Vec<crate::markdown::Link>)> = Vec::new();
    macro_rules! collect {
        ($item:expr) => {
            docs_links.extend($item.docs.values().map(|d| (d.lang.as_str(), &d.body.links)));
            docs_links.extend($item.easy.values().map(|d| (d.lang.as_str(), &d.body.links)));
        };
    }
    for s in content.services.iter().filter(|s| wanted(Target::Service(&s.id))) {
        collect!(s);
    }
    for p in content.providers.iter().filter(|p| wanted(Target::Provider(&p.id))) {
        collect!(p);
    }
    for p in content.pages.iter().filter(|p| wanted(Target::Page(&p.id))) {
        collect!(p);
    }
    if let Some(c) = content.charter.as_ref().filter(|_| wanted(Target::Charter)) {
        collect!(c);
        docs_links.extend(c.docs.values().map(|d| (d.lang.as_str(), &d.fields.links)));
    }
    if let Some(q) = content.quality.as_ref().filter(|_| wanted(Target::Quality)) {
        collect!(q);
    }
    let addresses = || urls.keys().map(Address::as_str);
    // Each text's links on the thread pool; the findings stay in text order.
    let per_text = |(lang, links): &(&str, &Vec<crate::markdown::Link>)| -> Vec<Diagnostic> {
        let lang = *lang;
        let mut link_diags = Vec::new();
        for l in links.iter() {
            let Some((address, anchor)) = crate::address::split_link(&l.target) else { continue };
            let at = l.at.clone();
            match urls.get(address) {
                None => {
                    let hint = match did_you_mean(address, addresses()) {
                        Some(c) => format!("did you mean `@/{c}`?"),
                        None => "link to content like @/services/<id>, @/providers/<id>, @/pages/<id>, @/charter or @/quality-policy".to_string(),
                    };
                    link_diags.push(
                        Diagnostic::error(Code::BrokenLink, at, format!("the link `{}` points at nothing", l.target))
                            .with_hint(hint),
                    );
                }
                // A page not yet translated into the link's language: the link goes to the page
                // in the default language (`Site::link_of`).
                Some(m) if !m.contains_key(lang) && !m.contains_key(default) => {
                    link_diags.push(
                        Diagnostic::error(
                            Code::BrokenLink,
                            at,
                            format!("the link `{}` points at a page that is not translated to `{lang}`", l.target),
                        )
                        .with_hint(format!(
                            "translate the target page to `{lang}`, or remove the link from this language"
                        )),
                    );
                }
                Some(m) => {
                    let to = if m.contains_key(lang) { lang } else { default };
                    if let Some(anchor) = anchor {
                        let known = &anchors[address][to];
                        if !known.contains(anchor) {
                            let hint = match did_you_mean(anchor, known.iter()) {
                                Some(c) => format!("did you mean `#{c}`?"),
                                None => "link to a heading or commitment id that exists on that page".to_string(),
                            };
                            link_diags.push(
                                Diagnostic::error(
                                    Code::BrokenAnchor,
                                    at,
                                    format!("`{}` has no place `#{anchor}`", address),
                                )
                                .with_hint(hint),
                            );
                        }
                    }
                }
            }
        }
        link_diags
    };
    docs_links.par_iter().flat_map_iter(per_text).collect()
}

/// The places (`#ids`) a page is known to have before rendering: its headings and the sections
/// the default theme always writes.
fn page_anchors(content: &Content, kind: PageKind, lang: &str) -> Anchors {
    fn headings(d: Option<&[crate::markdown::Heading]>) -> impl Iterator<Item = String> + '_ {
        d.into_iter().flatten().map(|h| h.id.clone())
    }
    match kind {
        PageKind::Service(i) => Anchors::new(
            SERVICE_SECTIONS,
            headings(content.services[i].docs.get(lang).map(|d| d.body.headings.as_slice())),
        ),
        PageKind::Provider(i) => Anchors::new(
            PROVIDER_SECTIONS,
            headings(content.providers[i].docs.get(lang).map(|d| d.body.headings.as_slice())),
        ),
        PageKind::Charter => {
            let Some(c) = &content.charter else { return Anchors::new(CHARTER_SECTIONS, std::iter::empty()) };
            let ids =
                c.expectations.iter().flat_map(|e| std::iter::once(e.id.clone()).chain(e.commitments.iter().cloned()));
            Anchors::new(CHARTER_SECTIONS, headings(c.docs.get(lang).map(|d| d.body.headings.as_slice())).chain(ids))
        }
        PageKind::Quality => {
            let principles = EQUASS_PRINCIPLES.iter().map(|p| format!("principle-{}", p.replace('_', "-")));
            let own =
                headings(content.quality.as_ref().and_then(|q| q.docs.get(lang)).map(|d| d.body.headings.as_slice()));
            Anchors::new(QUALITY_SECTIONS, own.chain(principles))
        }
        PageKind::Page(i) => {
            Anchors::new(&[], headings(content.pages[i].docs.get(lang).map(|d| d.body.headings.as_slice())))
        }
        PageKind::Easy(of) => Anchors::new(
            &[],
            headings(easy_docs(content, of).and_then(|m| m.get(lang)).map(|d| d.body.headings.as_slice())),
        ),
        _ => Anchors::default(),
    }
}

/// The places (`#ids`) a page is known to have before rendering: the sections the default theme
/// always writes on pages of its kind (one list shared by all of them) and the page's own ids
/// (headings; the charter's expectations and commitments). A set per page had been a tenth of
/// `resolve`'s work at 10,000 services, most of it copying the eleven section names of every
/// service page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchors {
    fixed: &'static [&'static str],
    /// Sorted, without repeats and without the fixed ones.
    own: Vec<String>,
}

impl Anchors {
    pub fn new(fixed: &'static [&'static str], own: impl IntoIterator<Item = String>) -> Anchors {
        let mut own: Vec<String> = own.into_iter().filter(|id| !fixed.contains(&id.as_str())).collect();
        own.sort_unstable();
        own.dedup();
        own.shrink_to_fit();
        Anchors { fixed, own }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.fixed.contains(&id) || self.own.binary_search_by(|x| x.as_str().cmp(id)).is_ok()
    }

    /// Every id, each once.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.fixed.iter().copied().chain(self.own.iter().map(String::as_str))
    }
}

/// Brings the site up to date after items in `site.content` were replaced by new versions that
/// keep the same pages (same items, languages, slugs and easy-read versions), without resolving
/// everything again (`serve` after an edit): the places on the changed pages, the indexes, the
/// lists' order, and every content link. Returns the link problems.
///
/// `changed`: the changed items' addresses (`services/x`; a text that is not an item's address
/// changes nothing). `reorder`: what lists show of the items (titles, provider, audiences,
/// categories) changed, so the indexes and the lists' order are made again.
pub fn refresh(site: &mut Site, changed: &HashSet<String>, reorder: bool) -> Vec<Diagnostic> {
    let changed: Vec<Address> = changed
        .iter()
        .filter_map(|a| Address::parse(a).ok())
        .filter(|a| a.target().is_item() && !a.is_easy())
        .collect();
    let mut places_changed = false;
    // The changed items' pages, found by their addresses (not by a pass over every page).
    for item in &changed {
        for address in [Some(item.clone()), item.easy()].into_iter().flatten() {
            let (Some(kind), Some(langs)) = (kind_of(site, &address), site.urls.get(&address)) else { continue };
            let langs: Vec<Lang> = langs.keys().copied().collect();
            for lang in langs {
                let a = page_anchors(&site.content, kind, &lang);
                if let Some(m) = site.anchors.get_mut(&address) {
                    places_changed |= m.get(&lang) != Some(&a);
                    m.insert(lang, a);
                }
            }
        }
    }
    // Other pages' links can only break if a place on the changed pages went away (their
    // addresses and paths are the same: the caller checked).
    let links = |site: &Site| {
        let default = site.config.default_lang();
        check_links_of(&site.content, default, (!places_changed).then_some(&changed), &site.urls, &site.anchors)
    };
    if !reorder {
        return links(site);
    }
    let moved: Vec<usize> = changed
        .iter()
        .filter_map(|a| match a.target() {
            Target::Service(id) => site.content.service_pos(id),
            _ => None,
        })
        .collect();
    // The same services (the caller checked): the index changes only if a changed service moved
    // to another provider, audience or category.
    if moved.iter().all(|&m| site.index.holds(m, &site.content.services[m])) {
        // Only titles changed: each changed service moves to its new place in the lists it is
        // on, found by binary search (the others keep their order).
        let content = &site.content;
        let default = site.config.default_lang();
        for (list, by_lang) in site.lists.iter_mut() {
            if !list.target().is_service_list() {
                continue;
            }
            for (lang, order) in by_lang.iter_mut() {
                let key = |i: usize| list_order(content, lang, default, i);
                for &m in &moved {
                    let Some(pos) = order.iter().position(|&x| x == m) else { continue };
                    order.remove(pos);
                    let k = key(m);
                    let at = order.partition_point(|&x| key(x) < k);
                    order.insert(at, m);
                }
            }
        }
        return links(site);
    }
    site.index = ServiceIndex::new(&site.content);
    let content = &site.content;
    let default = site.config.default_lang();
    for (list, by_lang) in site.lists.iter_mut() {
        for (lang, order) in by_lang.iter_mut() {
            let members: Option<Vec<usize>> = match list.target() {
                Target::Catalogue => Some(sorted_services(content, lang, default, 0..content.services.len())),
                Target::Audience(key) => Some(sorted_services(
                    content,
                    lang,
                    default,
                    site.index.by_audience.get(key).into_iter().flatten().copied(),
                )),
                Target::Category(key) => Some(sorted_services(
                    content,
                    lang,
                    default,
                    site.index.by_category.get(key).into_iter().flatten().copied(),
                )),
                // Providers and easy-read lists keep their order (it does not depend on titles).
                _ => None,
            };
            if let Some(m) = members {
                *order = m;
            }
        }
    }
    links(site)
}

/// What the page of an item's address shows (`services/x`, `providers/x`, `pages/x`, `charter`,
/// `quality-policy`, each with `/easy` for its easy-read version); `None` for other addresses.
fn kind_of(site: &Site, address: &Address) -> Option<PageKind> {
    let c = &site.content;
    let (standard, of) = match address.target() {
        Target::Service(id) => c.service_pos(id).map(|i| (PageKind::Service(i), EasyOf::Service(i)))?,
        Target::Provider(id) => {
            site.index.provider_pos.get(id).map(|&i| (PageKind::Provider(i), EasyOf::Provider(i)))?
        }
        Target::Page(id) => c.page_pos(id).map(|i| (PageKind::Page(i), EasyOf::Page(i)))?,
        Target::Charter => (PageKind::Charter, EasyOf::Charter),
        Target::Quality => (PageKind::Quality, EasyOf::Quality),
        _ => return None,
    };
    Some(if address.is_easy() { PageKind::Easy(of) } else { standard })
}

/// Two terms of one kind whose pages in `lang` would have the same address: the message names the
/// field that makes the address (the term's `slug`, or its label) and a slug that is free
/// (`taken` says whether a slug is used).
fn term_clash(
    t: &Term,
    section: &str,
    lang: &str,
    slug: &str,
    path: &str,
    other: &str,
    taken: impl Fn(&str) -> bool,
) -> Diagnostic {
    let source = t.slug_at.get(lang);
    let at = source.map(|s| s.at.clone()).unwrap_or_else(|| t.at.clone());
    let free = (2..).map(|n| format!("{slug}-{n}")).find(|x| !taken(x)).unwrap_or_default();
    let made_by = match source {
        Some(s) if s.set => format!("its `slug` for `{lang}`"),
        _ => format!("its label in `{lang}`"),
    };
    Diagnostic::error(
        Code::DuplicateSlug,
        at,
        format!("two pages in `{lang}` would have the same address /{path}: `{section}.{}` ({made_by}) and `@/{other}`", t.key),
    )
    .with_hint(format!(
        "give `{section}.{key}` its own address: {key} = {{ label = ..., slug = {{ {lang} = \"{free}\" }} }} in content/taxonomies.toml (the label as it is now goes in `label`)",
        key = t.key
    ))
}

/// Ids the default theme always puts on these pages (so `@/services/x#cost` can be checked early).
const SERVICE_SECTIONS: &[&str] = &[
    "eligibility",
    "how-to-apply",
    "documents",
    "cost",
    "waiting-time",
    "home-visit",
    "contacts",
    "about",
    "rights",
    "legal-basis",
    "related",
];
const PROVIDER_SECTIONS: &[&str] = &["services", "contacts", "premises"];
const CHARTER_SECTIONS: &[&str] = &["feedback-how", "signatories"];
const QUALITY_SECTIONS: &[&str] = &["vision", "mission", "principles", "goals", "staff", "evaluation", "review"];

/// Resolves URLs and links. Returns the site even when there are errors, so all are reported.
pub fn resolve(config: Config, i18n: I18n, content: Content) -> (Site, Diagnostics) {
    // About one page per language version of a text (and its easy-read version), and one address
    // for its languages: the maps are made big enough once instead of growing (rehashing) a
    // dozen times.
    let texts = content.services.iter().map(|s| s.docs.len() + s.easy.len()).sum::<usize>()
        + content.providers.iter().map(|p| p.docs.len() + p.easy.len()).sum::<usize>();
    let mut b = Builder {
        i18n: &i18n,
        pages: Vec::with_capacity(texts),
        urls: FastMap::with_capacity_and_hasher(texts / config.languages.len().max(1), Default::default()),
        anchors: FastMap::with_capacity_and_hasher(texts / config.languages.len().max(1), Default::default()),
        taken: FastMap::with_capacity_and_hasher(texts, Default::default()),
        lists: HashMap::new(),
        diags: Diagnostics::default(),
    };
    let index = ServiceIndex::new(&content);
    let per_page = config.lists.per_page;
    let langs: Vec<Lang> = config.langs().collect();
    let default = config.default_lang();
    // Home pages first: a content slug equal to a language code must clash with `/<lang>/` at
    // the slug, not the other way round.
    for &code in &langs {
        b.add(PageKind::Home, code, Address::new(Target::Home), prefix(&config, &code), None, None, Anchors::default());
    }
    for &code in &langs {
        let lang = code.as_str();
        let p = prefix(&config, lang);
        let services = b.seg(lang, "url.services");
        let keys: Vec<Option<String>> = content
            .services
            .par_iter()
            .enumerate()
            .map(|(i, _)| list_order(&content, lang, default, i).map(|(k, _)| k))
            .collect();
        let all = sorted_by_keys(&keys, 0..content.services.len());
        // Each service's place in the catalogue's order: a term's list is its services in that
        // order, sorted by place (numbers) instead of by title again.
        let mut place = vec![u32::MAX; content.services.len()];
        for (n, &i) in all.iter().enumerate() {
            place[i] = n as u32;
        }
        let catalogue = Address::new(Target::Catalogue);
        b.add_list(PageKind::Catalogue, code, &catalogue, format!("{p}{services}/"), None, None, all.len(), per_page);
        b.lists.entry(catalogue).or_default().insert(code, all);
        // The pages' addresses, paths and known places are made in parallel first (the pages
        // are added in order).
        let pages: Vec<_> = content
            .services
            .par_iter()
            .enumerate()
            .map(|(i, s)| {
                let d = s.docs.get(lang)?;
                let anchors = page_anchors(&content, PageKind::Service(i), lang);
                Some((
                    Address::new(Target::Service(&s.id)),
                    format!("{p}{services}/{}/", d.slug),
                    d.file.clone(),
                    d.slug_at.clone(),
                    anchors,
                ))
            })
            .collect();
        for (i, page) in pages.into_iter().enumerate() {
            if let Some((address, path, file, at, anchors)) = page {
                b.add(PageKind::Service(i), code, address, path, Some(file), Some(at), anchors);
            }
        }
        let providers = b.seg(lang, "url.providers");
        if !content.providers.is_empty() {
            // Every institution: one not yet translated by its name in the default language.
            let listed: Vec<usize> = (0..content.providers.len())
                .filter(|&i| {
                    let docs = &content.providers[i].docs;
                    docs.contains_key(lang) || docs.contains_key(default)
                })
                .collect();
            let list = Address::new(Target::Providers);
            b.add_list(
                PageKind::ProviderIndex,
                code,
                &list,
                format!("{p}{providers}/"),
                None,
                None,
                listed.len(),
                per_page,
            );
            b.lists.entry(list).or_default().insert(code, listed);
        }
        for (i, pr) in content.providers.iter().enumerate() {
            if let Some(d) = pr.docs.get(lang) {
                let anchors = page_anchors(&content, PageKind::Provider(i), lang);
                b.add(
                    PageKind::Provider(i),
                    code,
                    Address::new(Target::Provider(&pr.id)),
                    format!("{p}{providers}/{}/", d.slug),
                    Some(d.file.clone()),
                    Some(d.slug_at.clone()),
                    anchors,
                );
            }
        }
        for (kind_of, key, terms) in
            [(0, "url.audiences", &content.taxonomies.audiences), (1, "url.categories", &content.taxonomies.categories)]
        {
            let seg = b.seg(lang, key);
            let by = if kind_of == 0 { &index.by_audience } else { &index.by_category };
            let members: Vec<Vec<usize>> = terms.par_iter().map(|t| in_place_order(&place, by.get(&t.key))).collect();
            for ((i, t), members) in terms.iter().enumerate().zip(members) {
                // A term without a slug here has an error of its own (an empty label).
                let Some(slug) = t.slug.get(lang) else { continue };
                let (kind, section, address) = if kind_of == 0 {
                    (PageKind::Audience(i), "audiences", Address::new(Target::Audience(&t.key)))
                } else {
                    (PageKind::Category(i), "categories", Address::new(Target::Category(&t.key)))
                };
                let path = format!("{p}{seg}/{slug}/");
                if let Some(&other) = b.taken.get(path.as_str()) {
                    let other = b.pages[other].address.clone();
                    b.diags.push(term_clash(t, section, lang, slug, &path, &other, |x| {
                        b.taken.contains_key(format!("{p}{seg}/{x}/").as_str())
                    }));
                    continue;
                }
                let at = t.slug_at.get(lang).map(|s| s.at.clone());
                b.add_list(
                    kind,
                    code,
                    &address,
                    path,
                    Some("content/taxonomies.toml".into()),
                    at,
                    members.len(),
                    per_page,
                );
                b.lists.entry(address).or_default().insert(code, members);
            }
        }
        if let Some(c) = &content.charter
            && let Some(d) = c.docs.get(lang)
        {
            let anchors = page_anchors(&content, PageKind::Charter, lang);
            b.add(
                PageKind::Charter,
                code,
                Address::new(Target::Charter),
                format!("{p}{}/", d.slug),
                Some(d.file.clone()),
                Some(d.slug_at.clone()),
                anchors,
            );
        }
        if let Some(q) = &content.quality
            && let Some(d) = q.docs.get(lang)
        {
            let anchors = page_anchors(&content, PageKind::Quality, lang);
            b.add(
                PageKind::Quality,
                code,
                Address::new(Target::Quality),
                format!("{p}{}/", d.slug),
                Some(d.file.clone()),
                Some(d.slug_at.clone()),
                anchors,
            );
        }
        for (i, pg) in content.pages.iter().enumerate() {
            if let Some(d) = pg.docs.get(lang) {
                b.add(
                    PageKind::Page(i),
                    code,
                    Address::new(Target::Page(&pg.id)),
                    format!("{p}{}/", d.slug),
                    Some(d.file.clone()),
                    Some(d.slug_at.clone()),
                    page_anchors(&content, PageKind::Page(i), lang),
                );
            }
        }
        b.add(
            PageKind::NotFound,
            code,
            Address::new(Target::NotFound),
            format!("{p}404.html"),
            None,
            None,
            Anchors::default(),
        );

        // Easy-read versions, under their standard page, and their index.
        let easy_seg = b.seg(lang, "url.easy_read");
        let mut targets: Vec<(EasyOf, Target)> = Vec::new();
        targets.extend(content.services.iter().enumerate().map(|(i, s)| (EasyOf::Service(i), Target::Service(&s.id))));
        targets
            .extend(content.providers.iter().enumerate().map(|(i, s)| (EasyOf::Provider(i), Target::Provider(&s.id))));
        targets.push((EasyOf::Charter, Target::Charter));
        targets.push((EasyOf::Quality, Target::Quality));
        targets.extend(content.pages.iter().enumerate().map(|(i, s)| (EasyOf::Page(i), Target::Page(&s.id))));
        let mut easy_pages = Vec::new();
        // Made in parallel first, as the services' pages above; their standard pages (all added
        // by now) give their paths.
        let urls = &b.urls;
        let pages: Vec<_> = targets
            .par_iter()
            .map(|&(of, target)| {
                let doc = easy_docs(&content, of).and_then(|m| m.get(lang))?;
                let address = Address::new(target);
                let base = urls.get(&address).and_then(|m| m.get(lang))?;
                let path = format!("{base}{easy_seg}/");
                let easy = address.easy().expect("an item's address");
                Some((of, easy, path, doc.file.clone(), page_anchors(&content, PageKind::Easy(of), lang)))
            })
            .collect();
        for (of, address, path, file, anchors) in pages.into_iter().flatten() {
            if b.add(PageKind::Easy(of), code, address, path, Some(file), None, anchors) {
                easy_pages.push(b.pages.len() - 1);
            }
        }
        if !easy_pages.is_empty() {
            let list = Address::new(Target::EasyIndex);
            b.add_list(
                PageKind::EasyIndex,
                code,
                &list,
                format!("{p}{easy_seg}/"),
                None,
                None,
                easy_pages.len(),
                per_page,
            );
            b.lists.entry(list).or_default().insert(code, easy_pages);
        }
    }

    let link_diags = check_content_links(&content, default, &b.urls, &b.anchors);
    let mut diags = b.diags;
    diags.items.extend(link_diags);
    let pages = b.pages;
    let urls = b.urls;
    let anchors = b.anchors;
    let lists = b.lists;
    (Site { config, i18n, content, pages, urls, anchors, index, lists }, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `refresh` finds the changed items' pages by address: `kind_of` must give every item page
    /// of the example site the kind `resolve` gave it, and a heading added to a service's text
    /// must become a place on its page.
    #[test]
    fn refresh_finds_the_pages_of_changed_items_by_address() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut site, _, _) = crate::pipeline::load_site(root, None).expect("the example site loads");
        let mut items = 0;
        for page in &site.pages {
            let item = page.address.strip_suffix("/easy").unwrap_or(&page.address);
            let is_item = ["services/", "providers/", "pages/"].iter().any(|p| item.starts_with(p))
                || item == "charter"
                || item == "quality-policy";
            if is_item {
                items += 1;
                assert_eq!(kind_of(&site, &page.address), Some(page.kind), "/{}", page.path);
            } else {
                assert_eq!(kind_of(&site, &page.address), None, "/{}", page.path);
            }
        }
        assert!(items > 40, "{items}");
        let address = format!("services/{}", site.content.services[0].id);
        let lang = site.default_lang().to_string();
        site.content.services[0]
            .docs
            .get_mut(&lang)
            .expect("a default-language text")
            .body
            .headings
            .push(crate::markdown::Heading { level: 2, text: "Nauja".into(), id: "nauja-vieta".into() });
        assert!(!site.anchors[&address][&lang].contains("nauja-vieta"));
        refresh(&mut site, &HashSet::from([address.clone()]), false);
        assert!(
            site.anchors[&address][&lang].contains("nauja-vieta"),
            "the new heading is a place on the page after refresh"
        );
    }

    /// Every page's address reads back as itself, and names what the page shows.
    #[test]
    fn every_page_address_parses_back_and_names_its_kind() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, _, _) = crate::pipeline::load_site(root, None).expect("the example site loads");
        let c = &site.content;
        for page in &site.pages {
            let a = &page.address;
            assert_eq!(&Address::parse(a).expect("parses"), a);
            let kind = match a.target() {
                Target::Home => PageKind::Home,
                Target::NotFound => PageKind::NotFound,
                Target::Catalogue => PageKind::Catalogue,
                Target::Providers => PageKind::ProviderIndex,
                Target::EasyIndex => PageKind::EasyIndex,
                Target::Charter => PageKind::Charter,
                Target::Quality => PageKind::Quality,
                Target::Service(id) => PageKind::Service(c.service_pos(id).expect("a service")),
                Target::Provider(id) => PageKind::Provider(site.index.provider_pos[id]),
                Target::Page(id) => PageKind::Page(c.page_pos(id).expect("a page")),
                Target::Audience(k) => {
                    PageKind::Audience(c.taxonomies.audiences.iter().position(|t| t.key == k).expect("a term"))
                }
                Target::Category(k) => {
                    PageKind::Category(c.taxonomies.categories.iter().position(|t| t.key == k).expect("a term"))
                }
            };
            let kind = match kind {
                PageKind::Service(i) if a.is_easy() => PageKind::Easy(EasyOf::Service(i)),
                PageKind::Provider(i) if a.is_easy() => PageKind::Easy(EasyOf::Provider(i)),
                PageKind::Page(i) if a.is_easy() => PageKind::Easy(EasyOf::Page(i)),
                PageKind::Charter if a.is_easy() => PageKind::Easy(EasyOf::Charter),
                PageKind::Quality if a.is_easy() => PageKind::Easy(EasyOf::Quality),
                k => k,
            };
            assert_eq!((kind, a.part()), (page.kind, page.part), "{a:?}");
        }
    }

    /// A page's places are its kind's sections and its own ids, each given once.
    #[test]
    fn anchors_hold_the_sections_and_the_pages_own_ids_once() {
        let a = Anchors::new(SERVICE_SECTIONS, ["zeta", "contacts", "alfa", "zeta"].map(String::from));
        assert!(a.contains("cost") && a.contains("zeta") && a.contains("alfa") && a.contains("contacts"));
        assert!(!a.contains("") && !a.contains("zet") && !a.contains("nera"));
        let all: Vec<&str> = a.iter().collect();
        assert_eq!(all.len(), SERVICE_SECTIONS.len() + 2, "{all:?}");
        assert_eq!(all.iter().collect::<HashSet<_>>().len(), all.len(), "each id once: {all:?}");
        assert!(!Anchors::default().contains("cost"));
    }

    #[test]
    fn a_terms_list_in_catalogue_places_is_the_list_sorted_by_title() {
        // Titles that repeat (ties broken by index), services with no page in the language, and
        // members given out of order.
        let titles = [
            "vaikai",
            "",
            "Apgyvendinimas",
            "vaikai",
            "",
            "Dienos centras",
            "apgyvendinimas",
            "žalia",
            "zebras",
            "Ąžuolas",
        ];
        let keys: Vec<Option<String>> = titles.iter().map(|t| (!t.is_empty()).then(|| t.to_lowercase())).collect();
        let all = sorted_by_keys(&keys, 0..keys.len());
        let mut place = vec![u32::MAX; keys.len()];
        for (n, &i) in all.iter().enumerate() {
            place[i] = n as u32;
        }
        for members in [vec![9, 3, 0, 1, 6, 2], vec![4, 1], vec![], (0..keys.len()).rev().collect(), vec![8, 7, 5]] {
            let want = sorted_by_keys(&keys, members.iter().copied());
            assert_eq!(in_place_order(&place, Some(&members)), want, "members {members:?}");
        }
        assert_eq!(in_place_order(&place, None), Vec::<usize>::new());
        assert_eq!(all.len(), 8);
    }

    #[test]
    fn a_list_page_holds_its_part_of_the_entries() {
        let lt = Lang::parse("lt").expect("a code");
        let lists: Lists = HashMap::from([(
            Address::new(Target::Catalogue),
            [(lt, (0..7).collect::<Vec<usize>>())].into_iter().collect(),
        )]);
        assert_eq!(parts(7, 3), 3);
        assert_eq!(parts(0, 3), 1, "an empty list still has its first page");
        assert_eq!(list_slice(&lists, "services", "lt", 1, 3).1, &[0, 1, 2]);
        assert_eq!(list_slice(&lists, "services", "lt", 3, 3).1, &[6]);
        assert!(list_slice(&lists, "services", "lt", 4, 3).1.is_empty(), "nothing past the end");
        assert!(list_slice(&lists, "services", "en", 1, 3).0.is_empty(), "another language's list is its own");
        assert_eq!(list_slice(&lists, "services", "lt", 0, 0).1, &[0], "per_page 0 is read as 1, part 0 as 1");
    }
}
