//! The typed content model: the single source of truth for templates, checks, leaflets and data
//! exports. Built by `validate` from the raw files. Downstream, nothing reads content files its
//! own way: the one exception is a page's Markdown text, which the model does not keep but makes
//! again, in the mode it was validated in, from the unchanged file ([`Body::again`]).
//!
//! Facts that are the same in every language (phones, dates, ids, references) live once on the
//! item; prose lives in one [`Doc`] per language.

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::error::Error;
use crate::markdown::Rendered;
use crate::values::{duration::Period, hours::Rule, phone::Phone};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use crate::lang::{Lang, PerLang};

/// An item's texts by language. Boxed: a text's fields take half a kilobyte, and a vector keeps
/// room for more values than it holds (four at first), so texts kept inline would take 2 KB per
/// item; boxed, the vector holds four pointers.
pub type Docs<T> = PerLang<Box<T>>;

/// A text given per language (or once for all languages).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Text(pub PerLang<String>);

impl Text {
    /// The text written for `lang` itself (empty when there is none).
    pub fn get(&self, lang: &str) -> &str {
        self.0.get(lang).map(String::as_str).unwrap_or("")
    }

    /// The text a page in `lang` shows: its own, or, while it is not translated, the text of
    /// `default` (the site's default language), with the language it is written in.
    pub fn shown<'a>(&'a self, lang: &'a str, default: &'a str) -> Shown<'a> {
        match (self.0.get(lang), self.0.get(default)) {
            (Some(t), _) => Shown { text: t, lang },
            (None, Some(t)) => Shown { text: t, lang: default },
            (None, None) => Shown { text: "", lang },
        }
    }
}

/// A text as a page shows it, and the language it is written in: the page's own, or the
/// default language's while the text is not translated (the page then marks it with that
/// language: `lang` in HTML, the structure element's language in a tagged PDF).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown<'a> {
    pub text: &'a str,
    pub lang: &'a str,
}

impl<'a> Shown<'a> {
    /// The language to mark the text with on a page in `page_lang`: `None` when it is the page's.
    pub fn other_lang(&self, page_lang: &str) -> Option<&'a str> {
        (self.lang != page_lang).then_some(self.lang)
    }
}

/// Who keeps an item current, and when it was and must next be reviewed.
#[derive(Debug, Clone)]
pub struct Review {
    pub reviewed: NaiveDate,
    /// Where `reviewed` is written (for checks).
    pub reviewed_at: Location,
    pub every: Option<Period>,
    pub review_by: Option<NaiveDate>,
    pub owner: Text,
}

impl Review {
    /// The date by which the item must be reviewed again.
    pub fn due(&self) -> NaiveDate {
        match (self.review_by, self.every) {
            (Some(d), _) => d,
            (None, Some(p)) => p.after(self.reviewed),
            (None, None) => NaiveDate::MAX,
        }
    }
}

/// Where the facts of one file come from: `source = "..."` names where every fact in the file
/// comes from, `sources = { phone = "...", cost = "..." }` names it per field (the file's own field
/// names; a per-field source overrides `source`). A source is free text: a document's title, a
/// decision's number or a web address. Validated in `validate` (no empty source, no unknown field);
/// `check --sources` lists the facts a resident acts on that have none.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Sources {
    /// `source = "..."`: for every fact of the file.
    pub all: Option<String>,
    /// `sources = { field = "..." }`: per field.
    pub fields: BTreeMap<String, String>,
    /// The facts of the file a resident acts on (contacts, costs, waiting times): the field's name
    /// and where its value is written (line, column), in file order.
    #[serde(skip)]
    pub facts: Vec<FactAt>,
}

/// Where a fact a resident acts on is written in its file (see [`Sources::facts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactAt {
    /// The field's name in the file (`phone`, `cost`...).
    pub field: &'static str,
    pub line: u32,
    pub col: u32,
}

impl Sources {
    /// The source of `field`: its own, else the file's.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.fields.get(field).or(self.all.as_ref()).map(String::as_str)
    }
}

/// Contact facts shared by services and providers.
#[derive(Debug, Clone, Default)]
pub struct ContactFacts {
    pub phone: Option<Phone>,
    pub phone_at: Option<Location>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub address: Option<Text>,
    pub hours: Option<Vec<Rule>>,
}

/// The Markdown text of a page (the body of `index.<lang>.md`) as the model keeps it.
///
/// What later stages check is kept: the headings (anchors), the links, and when the site was
/// loaded for `check`, the marks its lint reads and the phone numbers its contact check reads.
/// Neither the HTML nor the plain text is kept: at 10,000 services the texts' HTML and plain text
/// took 340 MB of a 640 MB build. [`Body::again`] makes the text again from its file, in the same
/// mode, when a page, leaflet or export needs it, and refuses a file that changed since it was
/// validated.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub headings: Vec<crate::markdown::Heading>,
    pub links: Vec<crate::markdown::Link>,
    /// Kept only for `check` (see [`crate::markdown::Rendered::marks`]).
    pub marks: Option<Vec<crate::markdown::Mark>>,
    /// What looks like a phone number in the plain text ([`crate::values::phone::find_in_text`]),
    /// in order; kept only for `check`.
    pub phones: Option<Vec<Box<str>>>,
    /// Where the text starts in its file.
    pub offset: usize,
    /// The first bytes of the SHA-256 of the file as it was validated.
    pub fingerprint: [u8; 8],
}

impl Body {
    /// Keeps what the model keeps of `r`, the rendering of the text at `offset` of a file whose
    /// SHA-256 is `digest`; `phones` keeps the phone numbers of its plain text.
    pub fn keep(r: Rendered, offset: usize, digest: &[u8; 32], phones: bool) -> Body {
        let mut fingerprint = [0; 8];
        fingerprint.copy_from_slice(&digest[..8]);
        let phones = phones.then(|| {
            crate::values::phone::find_in_text(&r.plain).into_iter().map(|(_, run)| run.into_boxed_str()).collect()
        });
        Body { headings: r.headings, links: r.links, marks: r.marks, phones, offset, fingerprint }
    }

    /// The text made again from `file` (relative to `root`) as `mode` says (the mode it was
    /// validated in, with what is wanted: HTML, plain text). An error when the file cannot be read
    /// or is not the file that was validated (it changed during the build); [`again_failed`] is how
    /// a stage reports it.
    pub fn again(&self, root: &Path, file: &Path, mode: crate::markdown::Mode<'_>) -> crate::error::Result<Rendered> {
        let changed = || Error::Changed { file: file.to_path_buf() };
        let bytes = crate::source::read_bytes(&root.join(file)).map_err(|e| Error::io("cannot read", file, e))?;
        // A file that is no longer UTF-8 text is not the file validated either.
        let src = crate::source::text_from_bytes(file.to_path_buf(), bytes).map_err(|_| changed())?;
        let digest = <sha2::Sha256 as sha2::Digest>::digest(src.text.as_bytes());
        let text = src.text.get(self.offset..).filter(|_| digest[..8] == self.fingerprint).ok_or_else(changed)?;
        Ok(crate::markdown::render(&src, text, self.offset, mode, &mut Vec::new()))
    }
}

/// A failure of [`Body::again`] as the stage that made the text again reports it: at the text's
/// file, `changed` when the file changed after it was read, `io` when it cannot be read.
pub fn again_failed(e: Error) -> Diagnostic {
    let at = Location::file(e.path().unwrap_or(Path::new("")));
    match e {
        Error::Changed { .. } => e.into_diagnostic(Code::Changed, at),
        _ => e.into_diagnostic(Code::Io, at).with_hint("check that the file exists and can be read"),
    }
}

/// One language version of an item: the fields every page has, plus the kind's own fields `F`.
#[derive(Debug, Clone)]
pub struct Doc<F> {
    pub lang: Lang,
    /// The Markdown file, relative to the site root.
    pub file: PathBuf,
    pub title: String,
    pub slug: String,
    pub slug_at: Location,
    pub summary: String,
    pub body: Body,
    /// For translations: the short hash of the default-language file this was translated from.
    pub translated_from: Option<String>,
    /// Short hash of this file's content (what a translation records as its source).
    pub hash: String,
    pub fields: F,
    /// Where the facts of this file come from (`source`, `sources` in the front matter).
    pub sources: Sources,
}

/// A word an easy-read text explains in its glossary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GlossaryEntry {
    pub term: String,
    pub explanation: String,
    /// Other forms of the word that the text uses ("pajamų" for "Pajamos"), shown beside it so
    /// readers find the word they read; the easy-read lint takes them as the glossary's word.
    pub forms: Vec<String>,
}

/// An easy-read version of a page (`easy.<lang>.md`).
#[derive(Debug, Clone)]
pub struct EasyDoc {
    pub lang: Lang,
    pub file: PathBuf,
    pub title: String,
    /// The line of `title` in the file (for the easy-read lint).
    pub title_line: usize,
    pub level: u8,
    pub checked_by: Vec<String>,
    pub checked_on: Option<NaiveDate>,
    pub glossary: Vec<GlossaryEntry>,
    pub body: Rendered,
    /// The Markdown body as written and the line it starts on (for the easy-read lint).
    pub body_source: String,
    pub body_line: usize,
    pub translated_from: Option<String>,
    pub hash: String,
}

/// A legal act a service is based on.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LegalLink {
    pub title: Text,
    pub url: String,
}

/// The translated fields of a service.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ServiceFields {
    pub eligibility: Vec<String>,
    pub how_to_apply: Vec<String>,
    pub documents: Vec<String>,
    pub cost: Option<String>,
    pub waiting_time: Option<String>,
    pub home_visit_note: Option<String>,
}

/// A service of the catalogue (`content/services/<id>/`).
#[derive(Debug, Clone)]
pub struct Service {
    pub id: String,
    pub dir: PathBuf,
    pub provider: String,
    pub audiences: Vec<String>,
    pub categories: Vec<String>,
    pub home_visit: bool,
    pub contact: ContactFacts,
    pub legal_basis: Vec<LegalLink>,
    pub review: Review,
    /// Where the facts of the fact file come from.
    pub sources: Sources,
    pub docs: Docs<Doc<ServiceFields>>,
    pub easy: Docs<EasyDoc>,
}

/// The translated fields of a provider.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ProviderFields {
    pub premises_accessibility: Option<String>,
}

/// An institution that provides services (`content/providers/<id>/`).
#[derive(Debug, Clone)]
pub struct Provider {
    pub id: String,
    pub dir: PathBuf,
    pub short_name: Option<String>,
    pub contact: ContactFacts,
    pub review: Review,
    /// Where the facts of the fact file come from.
    pub sources: Sources,
    pub docs: Docs<Doc<ProviderFields>>,
    pub easy: Docs<EasyDoc>,
}

/// A client expectation of the charter and the commitments that answer it.
#[derive(Debug, Clone)]
pub struct Expectation {
    pub id: String,
    pub commitments: Vec<String>,
}

/// One commitment's text in one language.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CommitmentText {
    pub title: String,
    pub html: String,
}

/// The translated fields of the charter.
#[derive(Debug, Clone, Default)]
pub struct CharterFields {
    pub feedback: Option<String>,
    pub expectations: BTreeMap<String, String>,
    pub commitments: BTreeMap<String, CommitmentText>,
    /// Links written in the commitment texts (checked like links in the body).
    pub links: Vec<crate::markdown::Link>,
}

/// The charter (`content/charter/`).
#[derive(Debug, Clone)]
pub struct Charter {
    pub dir: PathBuf,
    pub signatories: Vec<String>,
    pub signed: Option<NaiveDate>,
    pub expectations: Vec<Expectation>,
    pub review: Review,
    /// Where the facts of the fact file come from.
    pub sources: Sources,
    pub docs: Docs<Doc<CharterFields>>,
    pub easy: Docs<EasyDoc>,
}

impl Charter {
    /// Commitment ids in charter order; their number is the position plus one.
    pub fn commitment_ids(&self) -> impl Iterator<Item = &str> {
        self.expectations.iter().flat_map(|e| e.commitments.iter().map(String::as_str))
    }
    /// The number (1-based, in charter order) of a commitment.
    pub fn number_of(&self, id: &str) -> Option<usize> {
        self.commitment_ids().position(|c| c == id).map(|i| i + 1)
    }
}

/// The nine EQUASS principles, a fixed list.
pub const EQUASS_PRINCIPLES: [&str; 9] = [
    "rights",
    "ethics",
    "leadership",
    "partnership",
    "participation",
    "person_centred",
    "results",
    "continuous_improvement",
    "comprehensiveness",
];

/// The translated fields of the quality policy.
#[derive(Debug, Clone, Default)]
pub struct QualityFields {
    pub vision: String,
    pub mission: String,
    pub goals: Vec<String>,
    pub staff_commitments: Vec<String>,
    pub evaluation: Vec<String>,
    pub review_cycle: Option<String>,
    /// Principle key (from [`EQUASS_PRINCIPLES`]) to how the organisation applies it, in order.
    pub principles: Vec<(String, String)>,
}

/// The section numbers a quality policy's lists are numbered under (`[numbering]` in
/// `quality.toml`), so items keep the numbers of the source document and can be cited: under "6"
/// the goals read 6.1, 6.2, ...; a list without one reads 1, 2, 3.
#[derive(Debug, Clone, Default)]
pub struct ListNumbering {
    pub goals: Option<String>,
    pub staff_commitments: Option<String>,
}

/// One item of a numbered list, with the number it shows ("6.1" or "1").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NumberedItem {
    pub number: String,
    pub text: String,
}

/// The items of a list numbered under `under` (a section number such as "6" or "II.6"), or 1, 2, 3.
pub fn numbered(under: Option<&str>, items: &[String]) -> Vec<NumberedItem> {
    items
        .iter()
        .enumerate()
        .map(|(i, text)| NumberedItem {
            number: match under {
                Some(u) => format!("{u}.{}", i + 1),
                None => (i + 1).to_string(),
            },
            text: text.clone(),
        })
        .collect()
}

/// The quality policy (`content/quality-policy/`).
#[derive(Debug, Clone)]
pub struct Quality {
    pub dir: PathBuf,
    pub provider: String,
    pub numbering: ListNumbering,
    pub review: Review,
    /// Where the facts of the fact file come from.
    pub sources: Sources,
    pub docs: Docs<Doc<QualityFields>>,
    pub easy: Docs<EasyDoc>,
}

/// A free page (`content/pages/<id>/`).
#[derive(Debug, Clone)]
pub struct FreePage {
    pub id: String,
    pub dir: PathBuf,
    pub review: Review,
    /// Where the facts of `page.toml` come from.
    pub sources: Sources,
    pub docs: Docs<Doc<()>>,
    pub easy: Docs<EasyDoc>,
}

/// A taxonomy term (an audience or a category).
#[derive(Debug, Clone)]
pub struct Term {
    pub key: String,
    pub label: Text,
    /// URL segment per language of the site: the term's own `slug` where it sets one, else made
    /// from the label the language shows.
    pub slug: PerLang<String>,
    /// Where the term is written in `content/taxonomies.toml` (its key).
    pub at: Location,
    /// Where each language's slug comes from: the `slug` field, or the label.
    pub slug_at: PerLang<SlugSource>,
}

/// What sets a term's slug in one language, for messages about it.
#[derive(Debug, Clone)]
pub struct SlugSource {
    pub at: Location,
    /// The term sets its own slug (`slug = { uk = "..." }`); otherwise it is made from the label.
    pub set: bool,
}

/// Audiences and categories (`content/taxonomies.toml`).
#[derive(Debug, Clone, Default)]
pub struct Taxonomies {
    pub audiences: Vec<Term>,
    pub categories: Vec<Term>,
}

/// A file copied as it is next to an item's pages (an image, a PDF).
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    pub name: String,
}

/// All content of a site, validated.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// The site's folder: page texts are read again from it ([`Body::again`]).
    pub root: PathBuf,
    pub services: Vec<Service>,
    pub providers: Vec<Provider>,
    pub charter: Option<Charter>,
    pub quality: Option<Quality>,
    pub pages: Vec<FreePage>,
    pub taxonomies: Taxonomies,
    /// Assets by the content folder (relative to the site root) they belong to.
    pub assets: BTreeMap<PathBuf, Vec<Asset>>,
}

impl Content {
    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }
    /// Where the service `id` is in `services` (kept sorted by id).
    pub fn service_pos(&self, id: &str) -> Option<usize> {
        self.services.binary_search_by(|s| s.id.as_str().cmp(id)).ok()
    }
    /// Where the page `id` is in `pages` (kept sorted by id).
    pub fn page_pos(&self, id: &str) -> Option<usize> {
        self.pages.binary_search_by(|p| p.id.as_str().cmp(id)).ok()
    }
}

/// Puts `item` into `list` (sorted by id), replacing the one with the same id. Returns the old one.
pub fn put_sorted<T>(list: &mut Vec<T>, item: T, id: impl Fn(&T) -> &str) -> Option<T> {
    match list.binary_search_by(|x| id(x).cmp(id(&item))) {
        Ok(i) => Some(std::mem::replace(&mut list[i], item)),
        Err(i) => {
            list.insert(i, item);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_lists_read_under_their_section_or_from_one() {
        let items = vec!["a".to_string(), "b".to_string()];
        let under: Vec<String> = numbered(Some("6"), &items).into_iter().map(|i| i.number).collect();
        assert_eq!(under, ["6.1", "6.2"]);
        let roman: Vec<String> = numbered(Some("II.14"), &items).into_iter().map(|i| i.number).collect();
        assert_eq!(roman, ["II.14.1", "II.14.2"]);
        let plain = numbered(None, &items);
        assert_eq!(plain[0], NumberedItem { number: "1".into(), text: "a".into() });
        assert_eq!(plain[1].number, "2");
    }
}
