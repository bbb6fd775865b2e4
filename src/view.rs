//! Page views: what each template of a theme is given, one typed struct per kind of page.
//!
//! Owns the values a template may use and the pages a view links to. [`shared`] is what every
//! page of a language has ([`SharedView`]: `lang`, `t`, `site`, `nav_easy`, `footer_links`);
//! [`page`] is a page's own view ([`PageView`]: the fields every page has, [`Common`], and those
//! of its kind, [`Kind`], which also names the template). Views are built from the resolved model
//! only; `render` serialises them into the Tera context, field by field.
//!
//! Every link to a page of the site a view holds is an [`Href`], and only the builder here makes
//! one, telling each to whoever asked for the page's links: so `check` learns the links of a page
//! from the view its template gets ([`links`]) without rendering it. A view holds an `Href` only
//! where the default theme writes that link (a link it does not show, such as a service card's
//! provider, is not in the view); a unit test in `check::facts` compares the links of the views
//! with those of the rendered pages of the example site.
//!
//! The theme guide, `docs/themes.md`, is [`reference`], made from the structs' doc comments.

use crate::address::{Address, Target};
use crate::error::Result;
use crate::model::*;
use crate::resolve::{EasyOf, OutPage, PageKind, Site, easy_docs};
use crate::values::phone::Phone;
use chrono::{Datelike, NaiveDate};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use schemars::JsonSchema;
use serde::Serialize;

/// The address of a page of this site as a link writes it (`href`), from the site's root
/// (`/services/home-help/`, with the site's base path in front). A view has one only where the
/// default theme links that page.
#[derive(Serialize, JsonSchema, Clone, Debug, PartialEq, Eq)]
#[serde(transparent)]
pub struct Href(String);

impl Href {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The language of a text, or of the page a link leads to, when it is not the page's own (the
/// text or page is not yet translated): for the `lang`, `hreflang` and `dir` attributes. A field
/// of this type is empty (`null`) when the text is in the page's language.
#[derive(Serialize, JsonSchema)]
pub struct LangMark<'a> {
    /// The language's code, such as `lt`.
    pub code: &'a str,
    /// Its writing direction: `ltr` or `rtl`.
    pub dir: &'static str,
}

/// What every page of one language has in its context (built once per language).
#[derive(Serialize, JsonSchema)]
pub struct SharedView<'a> {
    /// The page's language code, such as `lt` (for `<html lang>`).
    pub lang: &'a str,
    /// The interface strings of the page's language, from `i18n/<lang>.toml`, by their keys
    /// (`t.nav.home`, `t.service.phone`...).
    pub t: &'a serde_json::Value,
    /// The site, as the page's language shows it.
    pub site: SiteView<'a>,
    /// The list of easy-read pages in this language (the main navigation's last entry), when
    /// there is one.
    pub nav_easy: Option<Href>,
    /// The free pages (`content/pages/`), linked in the footer.
    pub footer_links: Vec<FooterLink<'a>>,
}

/// The site as a page in one language shows it.
#[derive(Serialize, JsonSchema)]
pub struct SiteView<'a> {
    /// The site's name in this language (`title` in site.toml).
    pub title: &'a str,
    /// What the site is for, one sentence (the home page's lead).
    pub description: &'a str,
    /// The organisation that publishes the site.
    pub organisation: &'a str,
    /// The address the site is published at, ending in `/`.
    pub base_url: &'a str,
    /// The path part of `base_url` (`/` for a site at the root of its domain).
    pub base_path: &'a str,
    /// The home page in this language (the site name's link).
    pub home: Href,
    /// The site's general contact.
    pub contact: SiteContact<'a>,
    /// Where residents report a mistake or complain.
    pub feedback: Feedback<'a>,
    /// The site's default language code.
    pub default_lang: &'a str,
    /// The writing direction of this language: `ltr` or `rtl`.
    pub dir: &'static str,
    /// The Content-Security-Policy the pages carry (no inline script or style).
    pub csp: &'static str,
}

/// The site's general contact.
#[derive(Serialize, JsonSchema)]
pub struct SiteContact<'a> {
    /// The phone number.
    pub phone: &'a Phone,
    /// The e-mail address.
    pub email: &'a str,
}

/// Where residents report a mistake on a page or give feedback.
#[derive(Serialize, JsonSchema)]
pub struct Feedback<'a> {
    /// The feedback line.
    pub phone: &'a Phone,
    /// The feedback e-mail address (the pages' "report a mistake" link writes to it).
    pub email: &'a str,
    /// A web form for feedback, when the site has one.
    pub url: Option<&'a str>,
}

/// A free page linked in the footer.
#[derive(Serialize, JsonSchema)]
pub struct FooterLink<'a> {
    /// The page's title (in the default language while it is not translated: see `to`).
    pub title: &'a str,
    /// The page.
    pub url: Href,
    /// The language of the page when it is not the page's own (not yet translated).
    pub to: Option<LangMark<'a>>,
}

/// A page's view: the fields every page has and those of its kind, side by side in the context.
pub struct PageView<'a> {
    pub common: Common<'a>,
    pub kind: Kind<'a>,
}

/// What every page has besides the shared part: navigation, language switcher, the page itself,
/// its easy-read link and its leaflets.
#[derive(Serialize, JsonSchema)]
pub struct Common<'a> {
    /// The main navigation: home, catalogue, charter, quality policy, institutions (those the
    /// site has).
    pub nav: Vec<NavLink<'a>>,
    /// Every language of the site, for the language switcher.
    pub lang_switch: Vec<LangLink<'a>>,
    /// The page itself.
    pub page: PageInfo<'a>,
    /// On a page that can have an easy-read version (services, institutions, the charter, the
    /// quality policy, free pages): that version in this language; empty on other pages.
    pub easy_link: Option<EasyLink>,
    /// The page's printable leaflets (home-visit services), when it has any.
    pub leaflets: Option<&'a [LeafletLink]>,
}

/// An entry of the main navigation.
#[derive(Serialize, JsonSchema)]
pub struct NavLink<'a> {
    /// The entry's text in the page's language.
    pub title: &'a str,
    /// The page it leads to.
    pub url: Href,
    /// Whether it is the page shown (for `aria-current`).
    pub current: bool,
    /// The language of the page it leads to when that is not the page's (not yet translated).
    pub to: Option<LangMark<'a>>,
}

/// A language in the language switcher.
#[derive(Serialize, JsonSchema)]
pub struct LangLink<'a> {
    /// The language's code.
    pub lang: &'a str,
    /// The language's name, in that language.
    pub name: &'a str,
    /// This page in that language, when it is translated (empty for the page's own language).
    pub url: Option<Href>,
    /// Whether it is the page's language.
    pub current: bool,
    /// "Not translated", in that language.
    pub not_translated: &'a str,
    /// The home page in that language, when this page is not translated into it (the switcher
    /// links it instead).
    pub home: Option<Href>,
}

/// The page being rendered.
#[derive(Serialize, JsonSchema)]
pub struct PageInfo<'a> {
    /// The page's title (with ", page 2" on the later pages of a list).
    pub title: String,
    /// One sentence on what the page is about (for the lead and `<meta name="description">`);
    /// may be empty.
    pub summary: String,
    /// The page's path inside the site (`services/home-help/`).
    pub path: &'a str,
    /// The page's full address (for `<link rel="canonical">`).
    pub url: String,
    /// The page's own address from the site's root.
    pub href: String,
    /// The page's address in the content, the same in every language (`services/home-help`;
    /// the home page's is empty).
    pub address: &'a str,
    /// The page in every language it exists in (for `<link rel="alternate" hreflang>`).
    pub alternates: Vec<Alternate<'a>>,
    /// The pages above this one, from the home page (empty on the home page and the 404 page).
    pub breadcrumbs: Vec<Crumb<'a>>,
    /// When the page's facts were last checked and who keeps them (content pages only).
    pub review: Option<ReviewView<'a>>,
    /// A `mailto:` link reporting a mistake on this page to the feedback address.
    pub report_mailto: String,
    /// Where the theme's static files are (`/static/`), for style sheets, scripts and images.
    #[serde(rename = "static")]
    pub static_files: String,
    /// The Atom feed of this language, full address.
    pub feed: String,
    /// The search index of this language, for the search box.
    pub search_index: String,
}

/// The page in one language.
#[derive(Serialize, JsonSchema)]
pub struct Alternate<'a> {
    /// The language's code.
    pub lang: &'a str,
    /// The page's full address in that language.
    pub url: String,
}

/// A page above this one.
#[derive(Serialize, JsonSchema)]
pub struct Crumb<'a> {
    /// Its title.
    pub title: &'a str,
    /// The page.
    pub url: Option<Href>,
}

/// The easy-read version of a standard page.
#[derive(Serialize, JsonSchema)]
pub struct EasyLink {
    /// That version in this language, when there is one (else the theme says whom to call).
    pub url: Option<Href>,
}

/// A printable leaflet of a page (PDF).
#[derive(Serialize, JsonSchema, Clone, Debug)]
pub struct LeafletLink {
    /// The PDF file.
    pub href: String,
    /// How many pages it has (empty while it is not made yet, as `serve` shows it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
    /// Its size, such as `140 KB` (empty while it is not made yet).
    pub size: String,
    /// `standard` or `easy-read`.
    pub variant: &'static str,
}

/// When a page's facts were last checked and who keeps them.
#[derive(Serialize, JsonSchema)]
pub struct ReviewView<'a> {
    /// The date, for people, in the page's language.
    pub reviewed: String,
    /// The date as `YYYY-MM-DD` (for `<time datetime>`).
    pub reviewed_iso: String,
    /// Who keeps the page current.
    pub owner: &'a str,
    /// The language of `owner` when it is not the page's.
    pub owner_lang: Option<LangMark<'a>>,
}

/// The view of a page's kind; each names its template.
// One per page being rendered, dropped after: the size of the largest kind costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Serialize)]
#[serde(untagged)]
pub enum Kind<'a> {
    Home(HomeView<'a>),
    Catalogue(CatalogueView<'a>),
    Service(ServiceView<'a>),
    Providers(ProvidersView<'a>),
    Provider(ProviderView<'a>),
    Term(TermView<'a>),
    Charter(CharterPageView<'a>),
    Quality(QualityView<'a>),
    Text(TextView),
    Easy(EasyView<'a>),
    EasyIndex(EasyIndexView<'a>),
    NotFound(NotFoundView),
}

impl Kind<'_> {
    /// The template that renders this kind of page.
    pub fn template(&self) -> &'static str {
        match self {
            Kind::Home(_) => "home.html",
            Kind::Catalogue(_) => "catalogue.html",
            Kind::Service(_) => "service.html",
            Kind::Providers(_) => "providers.html",
            Kind::Provider(_) => "provider.html",
            Kind::Term(_) => "term.html",
            Kind::Charter(_) => "charter.html",
            Kind::Quality(_) => "quality.html",
            Kind::Text(_) => "page.html",
            Kind::Easy(_) => "easy.html",
            Kind::EasyIndex(_) => "easy-index.html",
            Kind::NotFound(_) => "404.html",
        }
    }
}

/// The home page of a language.
#[derive(Serialize, JsonSchema)]
pub struct HomeView<'a> {
    /// The audiences, by label, with how many services each has.
    pub audiences: Vec<TermCount<'a>>,
    /// The categories, by label, with how many services each has.
    pub categories: Vec<TermCount<'a>>,
    /// The charter's commitments, when the site has a charter.
    pub charter: Option<Commitments<'a>>,
    /// How many services the catalogue has in this language.
    pub service_count: usize,
    /// How many services come to people's homes.
    pub home_visit_total: usize,
    /// The first of them (`home_visit_on_home` in site.toml), by title.
    pub home_visit_services: Vec<ServiceCard<'a>>,
}

/// A page of the catalogue (every service, A to Z).
#[derive(Serialize, JsonSchema)]
pub struct CatalogueView<'a> {
    /// The services of this page, grouped by their title's first letter.
    pub az: Vec<Letter<'a>>,
    /// How many services the catalogue has in this language.
    pub service_count: usize,
    /// The page navigation, when the list has more than one page.
    pub pagination: Option<Pagination>,
    /// The audiences with their counts.
    pub audiences: Vec<TermCount<'a>>,
    /// The categories with their counts.
    pub categories: Vec<TermCount<'a>>,
    /// How many institutions there are.
    pub providers_total: usize,
    /// The list of institutions.
    pub providers_url: Option<Href>,
    /// The institutions with their counts, on the first page when they fit on one (else empty:
    /// link `providers_url`).
    pub providers: Vec<ProviderCount<'a>>,
}

/// Services whose titles start with one letter.
#[derive(Serialize, JsonSchema)]
pub struct Letter<'a> {
    /// The letter, upper case.
    pub letter: String,
    /// The services.
    pub services: Vec<ServiceCard<'a>>,
}

/// A service's page.
#[derive(Serialize, JsonSchema)]
pub struct ServiceView<'a> {
    /// The service.
    pub service: ServiceInfo<'a>,
    /// The service's text as HTML (written with `| safe`).
    pub body: Option<String>,
    /// The service's schema.org description, for `<script type="application/ld+json">`.
    pub jsonld: Option<String>,
    /// The charter's commitments (a resident's rights), when the site has a charter.
    pub charter: Option<Commitments<'a>>,
    /// Services sharing a category, at most eight.
    pub related: Vec<ServiceCard<'a>>,
}

/// A service, as its page shows it.
#[derive(Serialize, JsonSchema)]
pub struct ServiceInfo<'a> {
    /// The service's id (its folder's name).
    pub id: &'a str,
    /// Its translated fields as written in its text's front matter: `eligibility`,
    /// `how_to_apply`, `documents` (lists of sentences), `cost`, `waiting_time`,
    /// `home_visit_note` (texts, may be empty). See content-fields.md.
    #[schemars(with = "serde_json::Value")]
    pub fields: &'a ServiceFields,
    /// Whether staff come to people's homes.
    pub home_visit: bool,
    /// The institution that provides it.
    pub provider: ProviderLink<'a>,
    /// Who it is for.
    pub audiences: Vec<TermLink<'a>>,
    /// What kind of help it is.
    pub categories: Vec<TermLink<'a>>,
    /// How to reach it: its own contacts, or its provider's, or the site's.
    pub contact: ContactView<'a>,
    /// The laws it is based on (links to other sites).
    pub legal_basis: Vec<LegalView<'a>>,
}

/// A law a service is based on.
#[derive(Serialize, JsonSchema)]
pub struct LegalView<'a> {
    /// Its title.
    pub title: &'a str,
    /// The language of `title` when it is not the page's.
    pub title_lang: Option<LangMark<'a>>,
    /// Where to read it (another site).
    pub url: &'a str,
}

/// How to reach a service or an institution.
#[derive(Serialize, JsonSchema)]
pub struct ContactView<'a> {
    /// The phone number to call.
    pub phone: &'a Phone,
    /// The e-mail address to write to.
    pub email: &'a str,
    /// Whose the phone is: `own`, `provider` (the institution's) or `site`.
    pub phone_of: &'static str,
    /// Whose the e-mail address is: `own`, `provider` or `site`.
    pub email_of: &'static str,
    /// Whether the phone is the site's feedback line (the theme then says so).
    pub line: bool,
    /// Its own website (another site), if any.
    pub website: Option<&'a str>,
    /// Its address, if given.
    pub address: Option<&'a str>,
    /// The language of `address` when it is not the page's.
    pub address_lang: Option<LangMark<'a>>,
    /// Opening hours, if given.
    pub hours: Option<Vec<Hours>>,
}

/// Opening hours on some days.
#[derive(Serialize, JsonSchema)]
pub struct Hours {
    /// The day or span of days, in the page's language (`Mon–Fri`).
    pub days: String,
    /// The times, such as `08:00–12:00`.
    pub times: Vec<String>,
}

/// The list of institutions (one page of it).
#[derive(Serialize, JsonSchema)]
pub struct ProvidersView<'a> {
    /// How many institutions there are.
    pub providers_total: usize,
    /// The page navigation, when the list has more than one page.
    pub pagination: Option<Pagination>,
    /// The institutions on this page.
    pub providers: Vec<ProviderSummary<'a>>,
}

/// An institution's page.
#[derive(Serialize, JsonSchema)]
pub struct ProviderView<'a> {
    /// The institution.
    pub provider: ProviderInfo<'a>,
    /// Its services, by title.
    pub services: Vec<ServiceCard<'a>>,
    /// Its schema.org description, for `<script type="application/ld+json">`.
    pub jsonld: Option<String>,
    /// Its text as HTML (written with `| safe`).
    pub body: Option<String>,
}

/// An institution, as its page shows it.
#[derive(Serialize, JsonSchema)]
pub struct ProviderInfo<'a> {
    /// The institution's id (its folder's name).
    pub id: &'a str,
    /// Its short name, if it has one.
    pub short_name: Option<&'a str>,
    /// Its translated fields: `premises_accessibility` (text, may be empty).
    #[schemars(with = "serde_json::Value")]
    pub fields: &'a ProviderFields,
    /// How to reach it.
    pub contact: ContactView<'a>,
}

/// The list of services of an audience or a category (one page of it).
#[derive(Serialize, JsonSchema)]
pub struct TermView<'a> {
    /// The audience or category.
    pub term: TermInfo<'a>,
    /// Its services on this page.
    pub services: Vec<ServiceCard<'a>>,
    /// The page navigation, when the list has more than one page.
    pub pagination: Option<Pagination>,
}

/// An audience or a category.
#[derive(Serialize, JsonSchema)]
pub struct TermInfo<'a> {
    /// Its key in `content/taxonomies.toml`.
    pub key: &'a str,
    /// Its label.
    pub label: &'a str,
    /// The language of `label` when it is not the page's.
    pub label_lang: Option<LangMark<'a>>,
    /// `audience` or `category`.
    pub kind: &'static str,
}

/// The charter's page.
#[derive(Serialize, JsonSchema)]
pub struct CharterPageView<'a> {
    /// The charter.
    pub charter: Option<CharterInfo<'a>>,
    /// Its text as HTML (written with `| safe`).
    pub body: Option<String>,
}

/// The charter, as its page shows it.
#[derive(Serialize, JsonSchema)]
pub struct CharterInfo<'a> {
    /// Its expectations with their commitments.
    pub expectations: Vec<ExpectationView<'a>>,
    /// How to give feedback on it, if written.
    pub feedback: Option<&'a str>,
    /// When it was signed, for people.
    pub signed: Option<String>,
    /// The institutions that signed it.
    pub signatories: Vec<ProviderLink<'a>>,
}

/// The charter's commitments, as the home page and service pages list them: on a page in a
/// language the charter is not yet translated into, in the default language (`to`).
#[derive(Serialize, JsonSchema)]
pub struct Commitments<'a> {
    /// The charter's expectations with their commitments.
    pub expectations: Vec<ExpectationView<'a>>,
    /// The charter's page.
    pub url: Option<Href>,
    /// The language of the charter's page when it is not the page's.
    pub to: Option<LangMark<'a>>,
    /// The charter's title.
    pub title: &'a str,
    /// The charter's summary.
    pub summary: &'a str,
}

/// A client expectation of the charter.
#[derive(Serialize, JsonSchema)]
pub struct ExpectationView<'a> {
    /// Its id (an anchor on the charter's page).
    pub id: &'a str,
    /// Its title.
    pub title: Option<&'a str>,
    /// The commitments answering it.
    pub commitments: Vec<CommitmentView<'a>>,
}

/// A commitment of the charter.
#[derive(Serialize, JsonSchema)]
pub struct CommitmentView<'a> {
    /// Its id (an anchor on the charter's page).
    pub id: &'a str,
    /// Its number, counted through the whole charter from 1.
    pub number: usize,
    /// Its title.
    pub title: Option<&'a str>,
    /// Its text as HTML (written with `| safe`); the home page and service pages do not show it.
    pub html: Option<&'a str>,
    /// The commitment on the charter's page (the page's address with `#id`), on the home page
    /// and service pages; empty on the charter's own page.
    pub url: Option<Href>,
}

/// The quality policy's page.
#[derive(Serialize, JsonSchema)]
pub struct QualityView<'a> {
    /// The quality policy.
    pub quality: QualityInfo<'a>,
    /// Its text as HTML (written with `| safe`).
    pub body: Option<String>,
}

/// The quality policy.
#[derive(Serialize, JsonSchema)]
pub struct QualityInfo<'a> {
    /// The vision.
    pub vision: &'a str,
    /// The mission.
    pub mission: &'a str,
    /// Its goals, each with its `number` (as the source document numbers it) and `text`.
    #[schemars(with = "Vec<serde_json::Value>")]
    pub goals: Vec<NumberedItem>,
    /// What staff commit to, each with its `number` and `text`.
    #[schemars(with = "Vec<serde_json::Value>")]
    pub staff_commitments: Vec<NumberedItem>,
    /// How the policy is evaluated.
    pub evaluation: &'a [String],
    /// How often it is reviewed, if written.
    pub review_cycle: Option<&'a str>,
    /// The EQUASS principles and how the organisation applies each.
    pub principles: Vec<Principle<'a>>,
    /// The institution the policy belongs to.
    pub provider: ProviderLink<'a>,
}

/// An EQUASS principle.
#[derive(Serialize, JsonSchema)]
pub struct Principle<'a> {
    /// Its key (`rights`, `ethics`...).
    pub key: &'a str,
    /// An id for its place on the page (`principle-...`).
    pub id: String,
    /// Its name in the page's language.
    pub name: String,
    /// How the organisation applies it.
    pub text: &'a str,
}

/// A free page (`content/pages/`).
#[derive(Serialize, JsonSchema)]
pub struct TextView {
    /// The page's text as HTML (written with `| safe`).
    pub body: Option<String>,
}

/// The easy-read version of a page.
#[derive(Serialize, JsonSchema)]
pub struct EasyView<'a> {
    /// The easy-read text.
    pub easy: EasyInfo<'a>,
    /// Its text as HTML (written with `| safe`).
    pub body: &'a str,
}

/// An easy-read text.
#[derive(Serialize, JsonSchema)]
pub struct EasyInfo<'a> {
    /// Its easy-read level (1 is the easiest).
    pub level: u8,
    /// Whether people who read easy-read checked it (`checked_by` and `checked_on` given).
    pub checked: bool,
    /// Who checked it.
    pub checked_by: &'a [String],
    /// When, for people.
    pub checked_on: Option<String>,
    /// Words it explains: each with `term`, `explanation` and `forms` (other forms the text
    /// uses).
    #[schemars(with = "Vec<serde_json::Value>")]
    pub glossary: &'a [GlossaryEntry],
    /// The standard page it is the easy-read version of.
    pub standard: StandardLink,
}

/// The standard version of an easy-read page.
#[derive(Serialize, JsonSchema)]
pub struct StandardLink {
    /// Its title.
    pub title: String,
    /// The page in this language, when it exists.
    pub url: Option<Href>,
}

/// The list of easy-read pages of a language (one page of it).
#[derive(Serialize, JsonSchema)]
pub struct EasyIndexView<'a> {
    /// The easy-read pages on this page.
    pub items: Vec<EasyItem<'a>>,
    /// The page navigation, when the list has more than one page.
    pub pagination: Option<Pagination>,
}

/// An easy-read page in the list.
#[derive(Serialize, JsonSchema)]
pub struct EasyItem<'a> {
    /// Its title.
    pub title: &'a str,
    /// The title of the standard page it belongs to.
    pub standard: String,
    /// The page.
    pub url: Href,
    /// Whether people who read easy-read checked it.
    pub checked: bool,
}

/// The page shown for an address that does not exist (`404.html`); it has only what every page
/// has.
#[derive(Serialize, JsonSchema)]
pub struct NotFoundView {}

/// A service as lists show it: one not yet translated into the page's language by its title and
/// summary in the default language (`to`).
#[derive(Serialize, JsonSchema)]
pub struct ServiceCard<'a> {
    /// The service's id.
    pub id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its summary.
    pub summary: &'a str,
    /// Its page.
    pub url: Option<Href>,
    /// The language of its title, summary and page when that is not the page's.
    pub to: Option<LangMark<'a>>,
    /// Whether staff come to people's homes.
    pub home_visit: bool,
    /// The institution that provides it (not linked).
    pub provider: ProviderName<'a>,
}

/// An institution's name.
#[derive(Serialize, JsonSchema)]
pub struct ProviderName<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its name (in the default language while it is not translated: `name_lang`).
    pub name: &'a str,
    /// The language of `name` when it is not the page's.
    pub name_lang: Option<LangMark<'a>>,
    /// Its short name, if it has one.
    pub short_name: Option<&'a str>,
}

/// An institution's name and page.
#[derive(Serialize, JsonSchema)]
pub struct ProviderLink<'a> {
    /// Its name.
    #[serde(flatten)]
    pub name: ProviderName<'a>,
    /// Its page (empty for an institution the site does not have).
    pub url: Option<Href>,
    /// The language of its page when that is not the page's.
    pub to: Option<LangMark<'a>>,
}

/// An institution with how many services it has in the page's language.
#[derive(Serialize, JsonSchema)]
pub struct ProviderCount<'a> {
    /// Its name and page (the page only when it has services here).
    #[serde(flatten)]
    pub link: ProviderLink<'a>,
    /// How many services it has.
    pub count: usize,
}

/// An institution in the list of institutions.
#[derive(Serialize, JsonSchema)]
pub struct ProviderSummary<'a> {
    /// Its name and page.
    #[serde(flatten)]
    pub link: ProviderLink<'a>,
    /// Its summary.
    pub summary: &'a str,
    /// How many services it has.
    pub count: usize,
}

/// An audience or category a service belongs to.
#[derive(Serialize, JsonSchema)]
pub struct TermLink<'a> {
    /// Its key.
    pub key: &'a str,
    /// Its label.
    pub label: &'a str,
    /// The language of `label` when it is not the page's.
    pub label_lang: Option<LangMark<'a>>,
    /// Its list of services.
    pub url: Option<Href>,
}

/// An audience or category with how many services it has in the page's language.
#[derive(Serialize, JsonSchema)]
pub struct TermCount<'a> {
    /// Its key.
    pub key: &'a str,
    /// Its label.
    pub label: &'a str,
    /// The language of `label` when it is not the page's.
    pub label_lang: Option<LangMark<'a>>,
    /// How many services it has.
    pub count: usize,
    /// Its list of services (empty when it has none).
    pub url: Option<Href>,
}

/// The page navigation of a list longer than one page: first, previous, up to two pages either
/// side, next, last.
#[derive(Serialize, JsonSchema)]
pub struct Pagination {
    /// "Showing 51–100 of 240", in the page's language.
    pub showing: String,
    /// The number of this page.
    pub current: usize,
    /// How many pages the list has.
    pub total: usize,
    /// The position of the first entry on this page.
    pub first_entry: usize,
    /// The position of the last entry on this page.
    pub last_entry: usize,
    /// How many entries the list has.
    pub entries: usize,
    /// The page before, if any.
    pub previous: Option<Href>,
    /// The page after, if any.
    pub next: Option<Href>,
    /// The page numbers to link, with gaps.
    pub pages: Vec<PageNumber>,
}

/// A page number of a list, or a gap between two.
#[derive(Serialize, JsonSchema)]
pub struct PageNumber {
    /// Whether this is a gap (`…`) and not a number.
    pub gap: bool,
    /// The number.
    pub number: Option<usize>,
    /// That page of the list.
    pub url: Option<Href>,
    /// Whether it is this page.
    pub current: bool,
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

/// What every page of `lang` has (see [`SharedView`]).
pub fn shared<'a>(site: &'a Site, lang: &'a str) -> SharedView<'a> {
    let language = site.config.language(lang);
    let href = |p: &str| Href(site.href(p));
    // Every free page, one not yet translated in the default language (`to`).
    let footer_links = site
        .content
        .pages
        .iter()
        .filter_map(|pg| {
            let (p, to) = site.link_of(&Address::new(Target::Page(&pg.id)), lang)?;
            let d = site.doc_in(&pg.docs, lang)?;
            Some(FooterLink { title: &d.title, url: href(p), to: mark(site, to, lang) })
        })
        .collect();
    SharedView {
        lang,
        t: &site.i18n.lang(lang).tree,
        site: SiteView {
            title: &language.title,
            description: &language.description,
            organisation: &language.organisation,
            base_url: &site.config.base_url,
            base_path: &site.config.base_path,
            home: href(site.path_of("", lang).unwrap_or("")),
            contact: SiteContact { phone: &site.config.contact.phone, email: &site.config.contact.email },
            feedback: Feedback {
                phone: &site.config.feedback.phone,
                email: &site.config.feedback.email,
                url: site.config.feedback.url.as_deref(),
            },
            default_lang: site.default_lang(),
            dir: language.dir.as_str(),
            csp: crate::export::CSP,
        },
        nav_easy: site.path_of("easy-read", lang).map(href),
        footer_links,
    }
}

/// The view of `page`, its leaflets `leaflets` (see [`PageView`]).
pub fn page<'a>(site: &'a Site, page: &'a OutPage, leaflets: Option<&'a [LeafletLink]>) -> Result<PageView<'a>> {
    Build { site, page, lang: &page.lang, full: true, note: None }.view(leaflets)
}

/// Tells `out` every link to a page of the site that `page`'s view holds beyond the shared part
/// (as its template writes them in `href`). The view is built without what holds no links (the
/// page's text and its JSON-LD).
pub fn links(site: &Site, page: &OutPage, out: &mut dyn FnMut(&str)) {
    let b = Build { site, page, lang: &page.lang, full: false, note: Some(out) };
    // Without the text, building a view cannot fail.
    let _ = b.view(None);
}

/// The language mark of a text or page in `lang` on a page in `page_lang` (see [`LangMark`]).
fn mark<'a>(site: &'a Site, lang: &'a str, page_lang: &str) -> Option<LangMark<'a>> {
    (lang != page_lang).then(|| LangMark { code: lang, dir: site.config.language(lang).dir.as_str() })
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

/// The services of a provider that have a page in `lang` or (not yet translated) in the default
/// language, in catalogue order.
pub(crate) fn provider_services<'a>(site: &'a Site, id: &str, lang: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
    site.services_at(site.index.by_provider.get(id)).filter(move |s| site.doc_in(&s.docs, lang).is_some())
}

fn enc(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

/// Builds one page's view; every [`Href`] is made by [`Build::href`], which tells `note`.
struct Build<'a, 'n> {
    site: &'a Site,
    page: &'a OutPage,
    lang: &'a str,
    /// Whether to make the parts without links (the page's text, JSON-LD).
    full: bool,
    note: Option<&'n mut dyn FnMut(&str)>,
}

impl<'a> Build<'a, '_> {
    /// The link to the page at `path` (a path inside the site).
    fn href(&mut self, path: &str) -> Href {
        let h = self.site.href(path);
        if let Some(note) = self.note.as_mut() {
            note(&h);
        }
        Href(h)
    }

    /// The link to `address` in the page's language, if that page exists.
    fn href_of(&mut self, address: &str) -> Option<Href> {
        let p = self.site.path_of(address, self.lang)?;
        Some(self.href(p))
    }

    /// The link to `address` from a page in this language (see [`Site::link_of`]) and how it
    /// marks the language of the page it leads to.
    fn link(&mut self, address: &str) -> (Option<Href>, Option<LangMark<'a>>) {
        match self.site.link_of(address, self.lang) {
            Some((p, to)) => (Some(self.href(p)), mark(self.site, to, self.lang)),
            None => (None, None),
        }
    }

    fn mark(&self, lang: &'a str) -> Option<LangMark<'a>> {
        mark(self.site, lang, self.lang)
    }

    fn t(&self, key: &'a str) -> &'a str {
        self.site.i18n.lang(self.lang).get(key)
    }

    fn view(mut self, leaflets: Option<&'a [LeafletLink]>) -> Result<PageView<'a>> {
        let (site, page, lang) = (self.site, self.page, self.lang);
        // Navigation: a page not yet translated is linked in the default language (`to`).
        let mut nav = Vec::new();
        for (addr, key) in [
            ("", "nav.home"),
            ("services", "nav.services"),
            ("charter", "nav.charter"),
            ("quality-policy", "nav.quality"),
            ("providers", "nav.providers"),
        ] {
            if let (Some(url), to) = self.link(addr) {
                nav.push(NavLink { title: self.t(key), url, current: addr == page.address, to });
            }
        }
        // Language switcher: every language, linking to this page translated where it exists,
        // else to that language's home page.
        let mut lang_switch = Vec::new();
        for l in &site.config.languages {
            let current = l.code == lang;
            let there = site.path_of(&page.address, &l.code);
            let url = there.filter(|_| !current).map(|p| self.href(p));
            let home = match (current, there) {
                (false, None) => Some(self.href(site.path_of("", &l.code).unwrap_or(""))),
                _ => None,
            };
            let strings = site.i18n.lang(&l.code);
            lang_switch.push(LangLink {
                lang: &l.code,
                name: strings.get("language_name"),
                url,
                current,
                not_translated: strings.get("switcher.not_translated"),
                home,
            });
        }
        let alternates = site
            .urls
            .get(&page.address)
            .map(|m| m.iter().map(|(l, p)| Alternate { lang: l, url: site.absolute(p) }).collect())
            .unwrap_or_default();
        let home_crumb =
            Crumb { title: self.t("nav.home"), url: Some(self.href(site.path_of("", lang).unwrap_or(""))) };
        let mut breadcrumbs = vec![home_crumb];
        let (kind, title, summary, review) = self.kind(&mut breadcrumbs)?;
        // The link between a standard page and its easy-read version.
        let easy_link =
            easy_of(page.kind).map(|_| EasyLink { url: page.address.easy().and_then(|easy| self.href_of(&easy)) });
        let url = site.absolute(&page.path);
        // Pages 2, 3... of a list say which page they are in their title.
        let title = if page.part > 1 {
            format!("{title}, {} {}", self.t("pagination.page").to_lowercase(), page.part)
        } else {
            title
        };
        let report_subject = format!("{}: {}", self.t("report.subject"), title);
        let page_info = PageInfo {
            report_mailto: format!(
                "mailto:{}?subject={}&body={}",
                site.config.feedback.email,
                enc(&report_subject),
                enc(&url)
            ),
            title,
            summary,
            path: &page.path,
            href: site.href(&page.path),
            url,
            address: &page.address,
            alternates,
            breadcrumbs,
            review,
            static_files: format!("{}static/", site.config.base_path),
            feed: site.absolute(&format!("{}feed.xml", site.path_of("", lang).unwrap_or(""))),
            search_index: format!("{}search/{lang}.json", site.config.base_path),
        };
        Ok(PageView { common: Common { nav, lang_switch, page: page_info, easy_link, leaflets }, kind })
    }

    /// The kind's view, the page's title, summary and review, and its breadcrumbs after the
    /// home page's.
    #[allow(clippy::type_complexity)]
    fn kind(&mut self, breadcrumbs: &mut Vec<Crumb<'a>>) -> Result<(Kind<'a>, String, String, Option<ReviewView<'a>>)> {
        let (site, page, lang) = (self.site, self.page, self.lang);
        let c = &site.content;
        Ok(match page.kind {
            PageKind::Home => {
                let language = site.config.language(lang);
                breadcrumbs.clear();
                let charter = c.charter.as_ref().and_then(|ch| self.commitments(ch));
                // The catalogue's list (every service, see `resolve`), without a pass over the services.
                let service_count = site.lists.get("services").and_then(|m| m.get(lang)).map_or(0, Vec::len);
                let home_visit = site.home_visit_services(lang);
                let shown = site.config.lists.home_visit_on_home;
                let home_visit_services =
                    home_visit.iter().take(shown).filter_map(|&i| self.card(&c.services[i])).collect();
                let view = HomeView {
                    audiences: self.terms_with_counts(&c.taxonomies.audiences, "audiences"),
                    categories: self.terms_with_counts(&c.taxonomies.categories, "categories"),
                    charter,
                    service_count,
                    home_visit_total: home_visit.len(),
                    home_visit_services,
                };
                (Kind::Home(view), language.title.clone(), language.description.clone(), None)
            }
            PageKind::Catalogue => {
                let (slice, total, pagination) = self.list_part("services");
                let shown: Vec<ServiceCard<'a>> = slice.iter().filter_map(|&i| self.card(&c.services[i])).collect();
                // A-Z groups by first letter.
                let mut az: Vec<Letter<'a>> = Vec::new();
                for card in shown {
                    let letter = card.title.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
                    match az.last_mut() {
                        Some(g) if g.letter == letter => g.services.push(card),
                        _ => az.push(Letter { letter, services: vec![card] }),
                    }
                }
                let audiences = self.terms_with_counts(&c.taxonomies.audiences, "audiences");
                let categories = self.terms_with_counts(&c.taxonomies.categories, "categories");
                // The institutions with their counts, when there are few enough to list here (the
                // providers' own list is paginated); one without services here is not linked.
                let listed = site.lists.get("providers").and_then(|m| m.get(lang)).map(Vec::as_slice).unwrap_or(&[]);
                let providers_url = self.href_of("providers");
                let providers = if page.part == 1 && listed.len() <= site.config.lists.per_page {
                    listed
                        .iter()
                        .map(|&i| {
                            let p = &c.providers[i];
                            let count = provider_services(site, &p.id, lang).count();
                            let mut link = self.provider_link(&p.id, count > 0);
                            if count == 0 {
                                link.to = None;
                            }
                            ProviderCount { link, count }
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let view = CatalogueView {
                    az,
                    service_count: total,
                    pagination,
                    audiences,
                    categories,
                    providers_total: listed.len(),
                    providers_url,
                    providers,
                };
                (Kind::Catalogue(view), self.t("catalogue.title").into(), self.t("catalogue.summary").into(), None)
            }
            PageKind::Service(i) => {
                let s = &c.services[i];
                let d = &s.docs[lang];
                let crumb = self.catalogue_crumb();
                breadcrumbs.push(crumb);
                let provider = self.provider_link(&s.provider, true);
                let audiences = self.term_list(&c.taxonomies.audiences, &s.audiences, "audiences");
                let categories = self.term_list(&c.taxonomies.categories, &s.categories, "categories");
                // Contacts fall back to the provider's and then the site's, saying whose they are.
                let contact = self.contact(&s.contact, &site.service_reach(s));
                let legal_basis = s
                    .legal_basis
                    .iter()
                    .map(|l| {
                        let title = site.shown(&l.title, lang);
                        LegalView { title: title.text, title_lang: self.mark(title.lang), url: &l.url }
                    })
                    .collect();
                let service = ServiceInfo {
                    id: &s.id,
                    fields: &d.fields,
                    home_visit: s.home_visit,
                    provider,
                    audiences,
                    categories,
                    contact,
                    legal_basis,
                };
                let body = self.body(d)?;
                let jsonld = self.full.then(|| crate::export::jsonld::service(site, s, lang));
                let charter = c.charter.as_ref().and_then(|ch| self.commitments(ch));
                // Related: services sharing a category, at most eight, without scanning the catalogue.
                let related = self.cards(related_of(site, s, lang).into_iter());
                let view = ServiceView { service, body, jsonld, charter, related };
                (Kind::Service(view), d.title.clone(), d.summary.clone(), Some(self.review(&s.review)))
            }
            PageKind::ProviderIndex => {
                let (slice, total, pagination) = self.list_part("providers");
                let providers = slice
                    .iter()
                    .filter_map(|&i| {
                        let p = &c.providers[i];
                        let d = site.doc_in(&p.docs, lang)?;
                        let link = self.provider_link(&p.id, true);
                        Some(ProviderSummary {
                            link,
                            summary: &d.summary,
                            count: provider_services(site, &p.id, lang).count(),
                        })
                    })
                    .collect();
                let view = ProvidersView { providers_total: total, pagination, providers };
                (Kind::Providers(view), self.t("providers.title").into(), self.t("providers.summary").into(), None)
            }
            PageKind::Provider(i) => {
                let p = &c.providers[i];
                let d = &p.docs[lang];
                if let Some(url) = self.href_of("providers") {
                    breadcrumbs.push(Crumb { title: self.t("nav.providers"), url: Some(url) });
                }
                let contact = self.contact(&p.contact, &site.provider_reach(p));
                let provider =
                    ProviderInfo { id: &p.id, short_name: p.short_name.as_deref(), fields: &d.fields, contact };
                let services = self.cards(site.services_at(site.index.by_provider.get(&p.id)));
                let jsonld = self.full.then(|| crate::export::jsonld::provider(site, p, lang));
                let body = self.body(d)?;
                let view = ProviderView { provider, services, jsonld, body };
                (Kind::Provider(view), d.title.clone(), d.summary.clone(), Some(self.review(&p.review)))
            }
            PageKind::Audience(i) | PageKind::Category(i) => {
                let is_audience = matches!(page.kind, PageKind::Audience(_));
                let (term, section) = if is_audience {
                    (&c.taxonomies.audiences[i], "audiences")
                } else {
                    (&c.taxonomies.categories[i], "categories")
                };
                let label = site.shown(&term.label, lang);
                let crumb = self.catalogue_crumb();
                breadcrumbs.push(crumb);
                let (slice, total, pagination) = self.list_part(&format!("{section}/{}", term.key));
                let services = slice.iter().filter_map(|&i| self.card(&c.services[i])).collect();
                let summary = self
                    .t(if is_audience { "term.audience_summary" } else { "term.category_summary" })
                    .replace("{label}", label.text)
                    .replace("{count}", &total.to_string());
                let info = TermInfo {
                    key: &term.key,
                    label: label.text,
                    label_lang: self.mark(label.lang),
                    kind: if is_audience { "audience" } else { "category" },
                };
                let view = TermView { term: info, services, pagination };
                (Kind::Term(view), label.text.to_string(), summary, None)
            }
            PageKind::Charter => {
                let ch = c.charter.as_ref().expect("resolved");
                let d = &ch.docs[lang];
                let charter = site.doc_in(&ch.docs, lang).map(|d| CharterInfo {
                    expectations: self.expectations(ch, d, false),
                    feedback: d.fields.feedback.as_deref(),
                    signed: ch.signed.map(|s| human_date(site, lang, s)),
                    signatories: ch.signatories.iter().map(|s| self.provider_link(s, true)).collect(),
                });
                let body = self.body(d)?;
                let view = CharterPageView { charter, body };
                (Kind::Charter(view), d.title.clone(), d.summary.clone(), Some(self.review(&ch.review)))
            }
            PageKind::Quality => {
                let q = c.quality.as_ref().expect("resolved");
                let d = &q.docs[lang];
                let f = &d.fields;
                let principles = f
                    .principles
                    .iter()
                    .map(|(k, v)| Principle {
                        key: k,
                        id: format!("principle-{}", k.replace('_', "-")),
                        name: site.i18n.lang(lang).get(&format!("equass.{k}")).to_string(),
                        text: v,
                    })
                    .collect();
                let quality = QualityInfo {
                    vision: &f.vision,
                    mission: &f.mission,
                    goals: crate::model::numbered(q.numbering.goals.as_deref(), &f.goals),
                    staff_commitments: crate::model::numbered(
                        q.numbering.staff_commitments.as_deref(),
                        &f.staff_commitments,
                    ),
                    evaluation: &f.evaluation,
                    review_cycle: f.review_cycle.as_deref(),
                    principles,
                    provider: self.provider_link(&q.provider, true),
                };
                let body = self.body(d)?;
                let view = QualityView { quality, body };
                (Kind::Quality(view), d.title.clone(), d.summary.clone(), Some(self.review(&q.review)))
            }
            PageKind::Page(i) => {
                let pg = &c.pages[i];
                let d = &pg.docs[lang];
                let view = TextView { body: self.body(d)? };
                (Kind::Text(view), d.title.clone(), d.summary.clone(), Some(self.review(&pg.review)))
            }
            PageKind::Easy(of) => {
                let doc = &easy_docs(c, of).expect("resolved")[lang];
                let review = match of.standard() {
                    PageKind::Service(i) => Some(&c.services[i].review),
                    PageKind::Provider(i) => Some(&c.providers[i].review),
                    PageKind::Charter => Some(&c.charter.as_ref().expect("resolved").review),
                    PageKind::Quality => Some(&c.quality.as_ref().expect("resolved").review),
                    PageKind::Page(i) => Some(&c.pages[i].review),
                    _ => None,
                };
                let review = review.map(|r| self.review(r));
                if let Some(url) = self.href_of("easy-read") {
                    breadcrumbs.push(Crumb { title: self.t("easy.index_title"), url: Some(url) });
                }
                let standard =
                    StandardLink { title: standard_title(site, of, lang), url: self.href_of(page.address.base()) };
                let easy = EasyInfo {
                    level: doc.level,
                    checked: !doc.checked_by.is_empty() && doc.checked_on.is_some(),
                    checked_by: &doc.checked_by,
                    checked_on: doc.checked_on.map(|d| human_date(site, lang, d)),
                    glossary: &doc.glossary,
                    standard,
                };
                let view = EasyView { easy, body: &doc.body.html };
                (Kind::Easy(view), doc.title.clone(), String::new(), review)
            }
            PageKind::EasyIndex => {
                let (slice, _, pagination) = self.list_part("easy-read");
                let mut items = Vec::new();
                for p in slice.iter().map(|&i| &site.pages[i]) {
                    if let PageKind::Easy(of) = p.kind {
                        let doc = &easy_docs(c, of).expect("resolved")[lang];
                        items.push(EasyItem {
                            title: &doc.title,
                            standard: standard_title(site, of, lang),
                            url: self.href(&p.path),
                            checked: !doc.checked_by.is_empty(),
                        });
                    }
                }
                let view = EasyIndexView { items, pagination };
                (Kind::EasyIndex(view), self.t("easy.index_title").into(), self.t("easy.index_summary").into(), None)
            }
            PageKind::NotFound => {
                breadcrumbs.clear();
                (Kind::NotFound(NotFoundView {}), self.t("notfound.title").into(), String::new(), None)
            }
        })
    }

    /// The HTML of a page's text (not made for [`links`]).
    fn body<F>(&self, d: &Doc<F>) -> Result<Option<String>> {
        if self.full { self.site.body_html(d).map(Some) } else { Ok(None) }
    }

    fn catalogue_crumb(&mut self) -> Crumb<'a> {
        Crumb { title: self.t("nav.services"), url: self.href_of("services") }
    }

    fn review(&self, r: &'a Review) -> ReviewView<'a> {
        let owner = self.site.shown(&r.owner, self.lang);
        ReviewView {
            reviewed: human_date(self.site, self.lang, r.reviewed),
            reviewed_iso: r.reviewed.to_string(),
            owner: owner.text,
            owner_lang: self.mark(owner.lang),
        }
    }

    /// A service's or provider's contacts, with the phone and e-mail `reach` gives.
    fn contact(&self, c: &'a ContactFacts, reach: &crate::resolve::Reach<'a>) -> ContactView<'a> {
        let address = c.address.as_ref().map(|a| self.site.shown(a, self.lang));
        let t = self.site.i18n.lang(self.lang);
        let hours = c.hours.as_ref().map(|rules| {
            rules
                .iter()
                .map(|r| {
                    let days = if r.from == r.to {
                        t.get(&format!("days.{}", r.from)).to_string()
                    } else {
                        format!("{}–{}", t.get(&format!("days.{}", r.from)), t.get(&format!("days.{}", r.to)))
                    };
                    Hours { days, times: r.times.iter().map(|(a, b)| format!("{a}–{b}")).collect() }
                })
                .collect()
        });
        ContactView {
            phone: reach.phone,
            email: reach.email,
            phone_of: reach.phone_whose.key(),
            email_of: reach.email_whose.key(),
            line: reach.line,
            website: c.website.as_deref(),
            address: address.as_ref().map(|a| a.text),
            address_lang: address.and_then(|a| self.mark(a.lang)),
            hours,
        }
    }

    fn provider_name(&self, id: &'a str) -> ProviderName<'a> {
        match self.site.provider(id) {
            Some(p) => {
                let doc = self.site.doc_in(&p.docs, self.lang);
                ProviderName {
                    id,
                    name: doc.map(|d| d.title.as_str()).unwrap_or(id),
                    name_lang: doc.and_then(|d| self.mark(&d.lang)),
                    short_name: p.short_name.as_deref(),
                }
            }
            None => ProviderName { id, name: id, name_lang: None, short_name: None },
        }
    }

    /// An institution's name and, when `linked`, its page.
    fn provider_link(&mut self, id: &'a str, linked: bool) -> ProviderLink<'a> {
        let name = self.provider_name(id);
        let (url, to) = if linked { self.link(&Address::new(Target::Provider(id))) } else { (None, None) };
        ProviderLink { name, url, to }
    }

    /// A service as lists show it: one not yet translated into the page's language by its title
    /// and summary in the default language, linked to its page in that language (`to`).
    fn card(&mut self, s: &'a Service) -> Option<ServiceCard<'a>> {
        let d = self.site.doc_in(&s.docs, self.lang)?;
        let (url, to) = self.link(&Address::new(Target::Service(&s.id)));
        Some(ServiceCard {
            id: &s.id,
            title: &d.title,
            summary: &d.summary,
            url,
            to,
            home_visit: s.home_visit,
            provider: self.provider_name(&s.provider),
        })
    }

    /// Cards of services, by title.
    fn cards(&mut self, services: impl Iterator<Item = &'a Service>) -> Vec<ServiceCard<'a>> {
        let mut v: Vec<ServiceCard<'a>> = services.filter_map(|s| self.card(s)).collect();
        v.sort_by_cached_key(|c| c.title.to_lowercase());
        v
    }

    fn term_list(&mut self, terms: &'a [Term], keys: &[String], section: &str) -> Vec<TermLink<'a>> {
        keys.iter()
            .filter_map(|k| terms.iter().find(|t| &t.key == k))
            .map(|t| {
                let label = self.site.shown(&t.label, self.lang);
                TermLink {
                    key: &t.key,
                    label: label.text,
                    label_lang: self.mark(label.lang),
                    url: self.href_of(&format!("{section}/{}", t.key)),
                }
            })
            .collect()
    }

    fn terms_with_counts(&mut self, terms: &'a [Term], section: &str) -> Vec<TermCount<'a>> {
        let (site, lang) = (self.site, self.lang);
        let index = if section == "audiences" { &site.index.by_audience } else { &site.index.by_category };
        let mut terms: Vec<&Term> = terms.iter().collect();
        terms.sort_by_key(|t| site.shown(&t.label, lang).text.to_lowercase());
        terms
            .into_iter()
            .map(|t| {
                let addr = format!("{section}/{}", t.key);
                // The term's list holds its services in this language (made once by `resolve`);
                // counting them here again cost a pass over the catalogue per catalogue page.
                let count = match site.lists.get(&addr) {
                    Some(by_lang) => by_lang.get(lang).map_or(0, Vec::len),
                    None => {
                        site.services_at(index.get(&t.key)).filter(|s| site.doc_in(&s.docs, lang).is_some()).count()
                    }
                };
                let label = site.shown(&t.label, lang);
                let url = if count > 0 { self.href_of(&addr) } else { None };
                TermCount { key: &t.key, label: label.text, label_lang: self.mark(label.lang), count, url }
            })
            .collect()
    }

    /// The charter's commitments as the home page and service pages list them (see
    /// [`Commitments`]); none while the charter has no text in this or the default language.
    fn commitments(&mut self, c: &'a Charter) -> Option<Commitments<'a>> {
        let d = self.site.doc_in(&c.docs, self.lang)?;
        let expectations = self.expectations(c, d, true);
        let (url, to) = self.link("charter");
        Some(Commitments { expectations, url, to, title: &d.title, summary: &d.summary })
    }

    /// The charter's expectations and commitments in `d`; `linked`: each commitment with its
    /// link on the charter's page.
    fn expectations(&mut self, c: &'a Charter, d: &'a Doc<CharterFields>, linked: bool) -> Vec<ExpectationView<'a>> {
        let charter = if linked { self.site.link_of("charter", self.lang).map(|(p, _)| p) } else { None };
        let mut n = 0;
        let mut out = Vec::with_capacity(c.expectations.len());
        for e in &c.expectations {
            let mut commitments = Vec::with_capacity(e.commitments.len());
            for id in &e.commitments {
                n += 1;
                let t = d.fields.commitments.get(id);
                let url = charter.map(|p| self.href(&format!("{p}#{id}")));
                commitments.push(CommitmentView {
                    id,
                    number: n,
                    title: t.map(|t| t.title.as_str()),
                    html: t.map(|t| t.html.as_str()),
                    url,
                });
            }
            out.push(ExpectationView {
                id: &e.id,
                title: d.fields.expectations.get(&e.id).map(String::as_str),
                commitments,
            });
        }
        out
    }

    /// The slice of a list a page shows, the list's length, and its page navigation (none when
    /// the list fits on one page).
    fn list_part(&mut self, list: &str) -> (&'a [usize], usize, Option<Pagination>) {
        let (site, page, lang) = (self.site, self.page, self.lang);
        let per = site.config.lists.per_page.max(1);
        let (all, _) = crate::resolve::list_slice(&site.lists, list, lang, 1, per);
        let total = crate::resolve::parts(all.len(), per);
        let current = page.part.clamp(1, total);
        let (_, slice) = crate::resolve::list_slice(&site.lists, list, lang, current, per);
        if total == 1 {
            return (slice, all.len(), None);
        }
        let mut url = |n: usize| self.href_of(&crate::resolve::part_address(list, n));
        let previous = if current > 1 { url(current - 1) } else { None };
        let next = if current < total { url(current + 1) } else { None };
        let mut numbers: Vec<usize> = vec![1];
        numbers.extend(current.saturating_sub(2).max(2)..=(current + 2).min(total));
        numbers.push(total);
        numbers.dedup();
        let mut pages = Vec::new();
        let mut last = 0;
        for n in numbers {
            if n > last + 1 {
                pages.push(PageNumber { gap: true, number: None, url: None, current: false });
            }
            pages.push(PageNumber { gap: false, number: Some(n), url: url(n), current: n == current });
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
        let nav = Pagination {
            showing,
            current,
            total,
            first_entry: first,
            last_entry: last,
            entries: all.len(),
            previous,
            next,
            pages,
        };
        (slice, all.len(), Some(nav))
    }
}

/// The kinds of page: their template, which pages they are, and their view's schema.
fn kinds(g: &mut schemars::SchemaGenerator) -> Vec<(&'static str, &'static str, schemars::Schema)> {
    vec![
        ("home.html", "the home page of each language", g.subschema_for::<HomeView>()),
        ("catalogue.html", "the catalogue of services, A to Z (each page of it)", g.subschema_for::<CatalogueView>()),
        ("service.html", "a service", g.subschema_for::<ServiceView>()),
        ("providers.html", "the list of institutions (each page of it)", g.subschema_for::<ProvidersView>()),
        ("provider.html", "an institution", g.subschema_for::<ProviderView>()),
        ("term.html", "the services of an audience or a category (each page)", g.subschema_for::<TermView>()),
        ("charter.html", "the charter", g.subschema_for::<CharterPageView>()),
        ("quality.html", "the quality policy", g.subschema_for::<QualityView>()),
        ("page.html", "a free page (`content/pages/`)", g.subschema_for::<TextView>()),
        ("easy.html", "the easy-read version of a page", g.subschema_for::<EasyView>()),
        ("easy-index.html", "the list of easy-read pages (each page of it)", g.subschema_for::<EasyIndexView>()),
        ("404.html", "the page for an address that does not exist", g.subschema_for::<NotFoundView>()),
    ]
}

/// The theme guide (`docs/themes.md`): for each kind of page its template and view, and every
/// field of every view, from the structs' doc comments.
pub fn reference() -> String {
    use std::fmt::Write;
    let mut g = schemars::SchemaGenerator::default();
    let shared = g.subschema_for::<SharedView>();
    let common = g.subschema_for::<Common>();
    let kinds = kinds(&mut g);
    let defs = g.definitions().clone();
    let name = |s: &schemars::Schema| -> String {
        s.get("$ref").and_then(|r| r.as_str()).and_then(|r| r.rsplit('/').next()).unwrap_or("").to_string()
    };
    let mut out = String::new();
    out.push_str(
        "# Theme guide\n\n\
         <!-- Made by `view::reference()` from the doc comments of src/view.rs: after changing a view, run\n\
         `SKAIDRA_WRITE_DOCS=1 cargo test --release --lib view` to write this file again. -->\n\n\
         A theme (`themes/<theme>/` in a site) has its templates in `templates/` and its style sheets, \
         scripts and images in `static/`. Templates are written in [Tera](https://keats.github.io/tera/docs/). \
         Each page is made by the template of its kind, and its template gets:\n\n\
         - what every page of its language has ([SharedView](#sharedview)),\n\
         - what every page has ([Common](#common)),\n\
         - the fields of its kind of page (the table below).\n\n\
         These are all the values a template may use; this guide lists every field. Text is escaped \
         when written, except HTML given as such (`body`, a commitment's `html`), which a template \
         writes with `| safe`. An empty value (`null`) is false in `{% if %}`.\n\n\
         A field of type [Href](#href) is a link to a page of this site. `skaidra check` learns the \
         links of most pages from these views, without rendering them, and renders one page of each \
         kind in each language to check the rest of the theme. A link a template makes by itself from \
         pieces (not from a view's `url`) is seen only on the pages `check` renders: write links from \
         the views' `url`s, or run `skaidra check --render-all`.\n\n\
         ## Pages and their templates\n\n\
         | template | page | view |\n|---|---|---|\n",
    );
    for (template, what, schema) in &kinds {
        let n = name(schema);
        let _ = writeln!(out, "| `{template}` | {what} | [{n}](#{}) |", n.to_lowercase());
    }
    out.push('\n');
    let mut shown: Vec<String> = vec![name(&shared), name(&common)];
    shown.extend(kinds.iter().map(|(_, _, s)| name(s)));
    let section = |out: &mut String, heading: &str, n: &str| {
        let Some(def) = defs.get(n) else { return };
        let _ = writeln!(out, "{heading} {n}\n");
        if let Some(d) = def.get("description").and_then(|d| d.as_str()) {
            let _ = writeln!(out, "{}\n", one_line(d));
        }
        match def.get("properties").and_then(|p| p.as_object()) {
            Some(props) if !props.is_empty() => {
                out.push_str("| field | type | what it is |\n|---|---|---|\n");
                for (field, p) in props {
                    let what = p.get("description").and_then(|d| d.as_str()).map(one_line).unwrap_or_default();
                    let _ = writeln!(out, "| `{field}` | {} | {} |", type_of(p), what.replace('|', "\\|"));
                }
                out.push('\n');
            }
            Some(_) => out.push_str("No fields of its own.\n\n"),
            None => {
                let _ = writeln!(out, "A value of type {}.\n", type_of(def));
            }
        }
    };
    out.push_str("## Every page\n\n");
    section(&mut out, "###", &name(&shared));
    section(&mut out, "###", &name(&common));
    out.push_str("## Kinds of page\n\n");
    for (template, _, schema) in &kinds {
        let n = name(schema);
        let _ = writeln!(out, "<!-- {template} -->");
        section(&mut out, "###", &n);
    }
    out.push_str("## Parts of views\n\n");
    let rest: Vec<String> = defs.keys().filter(|k| !shown.contains(k)).cloned().collect();
    for n in rest {
        section(&mut out, "###", &n);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// A doc comment on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A field's type in words, linking the parts of views.
fn type_of(s: &serde_json::Value) -> String {
    if let Some(r) = s.get("$ref").and_then(|r| r.as_str()) {
        let n = r.rsplit('/').next().unwrap_or(r);
        return format!("[{n}](#{})", n.to_lowercase());
    }
    if let Some(any) = s.get("anyOf").and_then(|a| a.as_array()) {
        let some: Vec<String> =
            any.iter().filter(|x| x.get("type").and_then(|t| t.as_str()) != Some("null")).map(type_of).collect();
        return format!("{} or empty", some.join(" or "));
    }
    let one = |t: &str| -> String {
        match t {
            "string" => "text".into(),
            "integer" | "number" => "number".into(),
            "boolean" => "yes or no".into(),
            "array" => format!("list of {}", s.get("items").map_or("any value".into(), type_of)),
            "object" => "object".into(),
            other => other.into(),
        }
    };
    match s.get("type") {
        Some(serde_json::Value::String(t)) => one(t),
        Some(serde_json::Value::Array(ts)) => {
            let some: Vec<String> = ts.iter().filter_map(|t| t.as_str()).filter(|t| *t != "null").map(one).collect();
            let empty = if ts.iter().any(|t| t == "null") { " or empty" } else { "" };
            format!("{}{empty}", some.join(" or "))
        }
        _ => "any value".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// `docs/themes.md` is the guide made from the views. After changing a view, write it again
    /// with `SKAIDRA_WRITE_DOCS=1 cargo test --release --lib view`.
    #[test]
    fn the_theme_guide_in_docs_is_the_views() {
        let made = reference();
        crate::assert_generated_doc("docs/themes.md", &made, "view");
        // Every template of the default theme but the two it includes has its view in the guide.
        let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        for e in std::fs::read_dir(templates).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            if name != "base.html" && name != "macros.html" {
                assert!(made.contains(&format!("| `{name}` |")), "{name} has no view in the guide");
            }
        }
    }
}
