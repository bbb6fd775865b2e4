//! `site.toml`: the site's configuration, read and validated into [`Config`].
//!
//! Owns the raw serde shape of `site.toml` and its validation (languages, base URL, contacts,
//! options of later stages). Everything else reads the validated [`Config`].

use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceText};
use crate::lang::Lang;
use crate::source::{self, toml_error};
use crate::values::{self, phone::Phone};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    base_url: Spanned<String>,
    languages: Spanned<Vec<Spanned<String>>>,
    #[serde(default = "default_theme")]
    theme: Spanned<String>,
    #[serde(default = "default_output")]
    output_dir: Spanned<String>,
    lang: BTreeMap<Spanned<String>, RawLang>,
    contact: RawContact,
    feedback: RawContact,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    lint: LintConfig,
    #[serde(default)]
    easy_read: EasyReadConfig,
    #[serde(default)]
    check: CheckConfig,
    #[serde(default)]
    leaflets: RawLeaflets,
    #[serde(default)]
    lists: ListsConfig,
    #[serde(default)]
    editor: Option<crate::editor::RawEditor>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLeaflets {
    #[serde(default)]
    enabled: bool,
    #[serde(default)]
    format: Option<Spanned<String>>,
}

/// Leaflet settings (`[leaflets]` in site.toml).
#[derive(Debug, Clone, Default)]
pub struct LeafletConfig {
    /// `skaidra build` also makes the leaflets and links them from the pages.
    pub enabled: bool,
    pub format: LeafletFormat,
}

/// The size and fold of a leaflet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LeafletFormat {
    /// A5 portrait, 148 x 210 mm (the default).
    #[default]
    A5,
    /// A4 portrait, 210 x 297 mm.
    A4,
    /// A4 landscape folded into three panels: two pages, six panels, 297 x 210 mm flat.
    A4Trifold,
}

impl LeafletFormat {
    /// The name used in site.toml, on the command line and in the layouts' data.
    pub fn key(self) -> &'static str {
        match self {
            LeafletFormat::A5 => "a5",
            LeafletFormat::A4 => "a4",
            LeafletFormat::A4Trifold => "a4-trifold",
        }
    }
    /// Parses `a5`, `a4` or `a4-trifold` (as written in site.toml).
    pub fn parse(s: &str) -> Option<LeafletFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a5" => Some(LeafletFormat::A5),
            "a4" => Some(LeafletFormat::A4),
            "a4-trifold" | "trifold" | "a4-tri-fold" => Some(LeafletFormat::A4Trifold),
            _ => None,
        }
    }
    /// Trimmed (flat) size in millimetres, width x height.
    pub fn trim_mm(self) -> (u32, u32) {
        match self {
            LeafletFormat::A5 => (148, 210),
            LeafletFormat::A4 => (210, 297),
            LeafletFormat::A4Trifold => (297, 210),
        }
    }
}

fn default_theme() -> Spanned<String> {
    Spanned::new(0..0, "default".to_string())
}
fn default_output() -> Spanned<String> {
    Spanned::new(0..0, "public".to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLang {
    title: String,
    description: String,
    organisation: String,
    #[serde(default)]
    area: Option<String>,
    /// `ltr` or `rtl`; by default, from the language code ([`Dir::of`]).
    #[serde(default)]
    dir: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    phone: Spanned<String>,
    email: Spanned<String>,
    #[serde(default)]
    url: Option<Spanned<String>>,
    /// Where the contact's facts come from.
    #[serde(default)]
    source: Option<Spanned<String>>,
}

/// How raw HTML written inside Markdown is treated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Shown as text (the default: nothing an editor pastes can run on the site).
    #[default]
    Escape,
    /// Cleaned by an allow-list (ammonia): formatting, links, images and tables stay; scripts,
    /// event handlers, `javascript:` addresses and iframes from hosts not in `iframe_hosts` go.
    Sanitize,
    /// Passed through unchanged (for sites that accept the risk).
    Allow,
}

/// Options for Markdown rendering.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    #[serde(default)]
    pub raw_html: RawHtml,
    /// Hosts whose iframes (e.g. a map or a video) are kept by `raw_html = "sanitize"`.
    #[serde(default)]
    pub iframe_hosts: Vec<String>,
    /// Not from site.toml: set by `check`, which reads every page text's marks (what its lint
    /// reads, `markdown::Rendered::marks`) and the phone numbers of its plain text (for the
    /// contact check). A build keeps neither: it makes a page's text again when it renders the
    /// page (`model::Body`).
    #[serde(skip)]
    pub for_check: bool,
}

/// Options for the built-in lints.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    /// Treat lint warnings as errors in `build` too.
    #[serde(default)]
    pub strict: bool,
}

/// Settings of `skaidra check` (`[check]` in site.toml).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckConfig {
    /// A review due within this many days is a warning.
    pub due_window_days: u64,
    /// How long a good answer from an external link is trusted (`--online`).
    pub link_cache_hours: u64,
    /// How long to wait for an external site.
    pub link_timeout_seconds: u64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig { due_window_days: 30, link_cache_hours: 24, link_timeout_seconds: 10 }
    }
}

/// How long lists are split into pages (`[lists]` in site.toml).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListsConfig {
    /// Entries per page of the catalogue, the topic and audience pages, the providers and the
    /// easy-read index. Long lists are hard to use, and a national catalogue would otherwise make
    /// pages of several megabytes.
    pub per_page: usize,
    /// How many home-visit services the home page shows before linking to the catalogue.
    pub home_visit_on_home: usize,
}

impl Default for ListsConfig {
    fn default() -> Self {
        ListsConfig { per_page: 50, home_visit_on_home: 24 }
    }
}

/// Easy-read settings (`[easy_read]` in site.toml).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[derive(Default)]
pub struct EasyReadConfig {
    /// Every service must have an easy-read version (a missing one is a warning, an error with --strict).
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub lint: EasyLintConfig,
}

/// Limits of the easy-read lint.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct EasyLintConfig {
    /// Longest sentence, in words, for levels 1, 2 and 3. Level 1 and 2 texts average about 5 and 7
    /// words a sentence, so their limits are stricter than the general 15.
    pub max_sentence_words: [usize; 3],
    /// Most sentences in one paragraph.
    pub max_paragraph_sentences: usize,
    /// Longest word, in letters, per language. Lithuanian is inflected: everyday words with their
    /// endings reach 12-14 letters ("savivaldybėje", "darbuotojams"), so 15 lets them through and
    /// catches bureaucratic compounds ("nepriklausomybės"); plain English words rarely pass 12.
    pub max_word_length: BTreeMap<String, usize>,
    /// Highest readability score (LIX: words per sentence plus the percentage of words longer
    /// than six letters) for levels 1, 2 and 3; a text above it gets a warning.
    pub max_lix: LixLimits,
}

/// The readability limits (`max_lix`): three numbers for levels 1, 2 and 3, either for every
/// language (`max_lix = [40, 47, 52]`) or per language (`max_lix = { lt = [40, 47, 52] }`).
///
/// LIX depends on the language as much as on the text: in English about 20-30 reads easily and
/// 40-50 is a newspaper; Lithuanian, with its long inflected words, scores some 25 points higher
/// for the same plainness (the example site's easy-read texts at level 2 score 39-49 in
/// Lithuanian and 13-21 in English; its standard pages 50-70 and 25-45). The built-in limits are
/// set from those measurements, a little above the easy-read texts and below the standard pages:
/// Lithuanian 40, 47, 52 and English 20, 25, 30. A language without limits of its own gets the
/// Lithuanian ones, the most lenient (set its own from its texts).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum LixLimits {
    All([u32; 3]),
    PerLanguage(BTreeMap<String, [u32; 3]>),
}

impl Default for LixLimits {
    fn default() -> Self {
        LixLimits::PerLanguage(["lt", "en"].iter().map(|l| (l.to_string(), Self::built_in(l))).collect())
    }
}

impl LixLimits {
    /// The limits for levels 1, 2 and 3 in `lang`.
    pub fn for_lang(&self, lang: &str) -> [u32; 3] {
        match self {
            LixLimits::All(l) => *l,
            LixLimits::PerLanguage(m) => m.get(lang).copied().unwrap_or_else(|| Self::built_in(lang)),
        }
    }

    fn built_in(lang: &str) -> [u32; 3] {
        match lang {
            "en" => [20, 25, 30],
            _ => [40, 47, 52],
        }
    }
}

impl<'de> Deserialize<'de> for LixLimits {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
        struct Limits;
        impl<'de> serde::de::Visitor<'de> for Limits {
            type Value = LixLimits;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "three numbers for levels 1, 2 and 3, like [40, 47, 52], or such numbers per language, like { lt = [40, 47, 52], en = [20, 25, 30] }",
                )
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<LixLimits, A::Error> {
                let v = Vec::<u32>::deserialize(SeqAccessDeserializer::new(seq))?;
                <[u32; 3]>::try_from(v.as_slice())
                    .map(LixLimits::All)
                    .map_err(|_| serde::de::Error::invalid_length(v.len(), &self))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<LixLimits, A::Error> {
                BTreeMap::<String, [u32; 3]>::deserialize(MapAccessDeserializer::new(map)).map(LixLimits::PerLanguage)
            }
        }
        d.deserialize_any(Limits)
    }
}

impl Default for EasyLintConfig {
    fn default() -> Self {
        EasyLintConfig {
            max_sentence_words: [8, 10, 15],
            max_paragraph_sentences: 5,
            max_word_length: [("lt".to_string(), 15), ("en".to_string(), 12)].into_iter().collect(),
            max_lix: LixLimits::default(),
        }
    }
}

/// One language of the site.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Language {
    pub code: Lang,
    pub title: String,
    pub description: String,
    pub organisation: String,
    /// The area the services cover, in this language (for structured data), e.g. "Alytaus miestas".
    pub area: Option<String>,
    /// Which way the language's script runs.
    pub dir: Dir,
}

/// Which way a script runs: pages get `dir`, leaflets are set that way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    #[default]
    Ltr,
    Rtl,
}

/// Languages written right to left (ISO 639 codes): Arabic, Aramaic, Central Kurdish (Sorani),
/// Dhivehi, Persian, Hebrew (and its old code), Kashmiri, N'Ko, Pashto, Sindhi, Syriac, Uyghur,
/// Urdu and Yiddish (and its old code).
const RTL_LANGUAGES: &[&str] =
    &["ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "nqo", "ps", "sd", "syr", "ug", "ur", "yi", "ji"];

impl Dir {
    /// The direction of a language's usual script, from its code; `dir` in `[lang.xx]` of
    /// site.toml overrides it (a language written in more than one script).
    pub fn of(code: &str) -> Dir {
        if RTL_LANGUAGES.contains(&code) { Dir::Rtl } else { Dir::Ltr }
    }
    /// `ltr` or `rtl`, as HTML and Typst write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }
}

/// A contact channel (phone and e-mail, optionally a web address).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Contact {
    pub phone: Phone,
    pub email: String,
    pub url: Option<String>,
    /// Where the contact's facts come from (`source` in its table), and where each is written.
    pub sources: crate::model::Sources,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// The path part of the base URL (`/` or `/sub/path/`), prefixed to every internal link.
    pub base_path: String,
    /// Languages in order; the first is the default and lives at the site root.
    pub languages: Vec<Language>,
    pub theme: String,
    pub output_dir: String,
    pub contact: Contact,
    pub feedback: Contact,
    pub markdown: MarkdownConfig,
    pub lint: LintConfig,
    pub easy_read: EasyReadConfig,
    pub check: CheckConfig,
    pub leaflets: LeafletConfig,
    pub lists: ListsConfig,
    /// The browser editor (`[editor]`), when the site has one.
    pub editor: Option<crate::editor::Settings>,
}

impl Config {
    pub fn default_lang(&self) -> &'static str {
        self.languages[0].code.as_str()
    }
    /// The default language as a [`Lang`].
    pub fn default_code(&self) -> Lang {
        self.languages[0].code
    }
    pub fn lang_codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.languages.iter().map(|l| l.code.as_str())
    }
    /// The site's languages, default first.
    pub fn langs(&self) -> impl Iterator<Item = Lang> + '_ {
        self.languages.iter().map(|l| l.code)
    }
    /// The site's language `code`, if it has it.
    pub fn lang(&self, code: &str) -> Option<Lang> {
        self.languages.iter().find(|l| l.code == code).map(|l| l.code)
    }
    pub fn has_lang(&self, code: &str) -> bool {
        self.languages.iter().any(|l| l.code == code)
    }
    pub fn language(&self, code: &str) -> &Language {
        self.languages.iter().find(|l| l.code == code).expect("language validated")
    }
    /// Replaces the base URL (the `--base-url` flag).
    pub fn set_base_url(&mut self, url: &str) -> crate::error::Result<()> {
        let (base_url, base_path) =
            parse_base_url(url).map_err(|e| crate::error::Error::Invalid(format!("{}; {}", e.message, e.hint)))?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }
}

fn parse_base_url(s: &str) -> Result<(String, String), values::ValueError> {
    values::check_url(s)?;
    let mut u = url::Url::parse(s).expect("checked");
    if u.query().is_some() || u.fragment().is_some() {
        return Err(values::ValueError::new(
            format!("`{s}` has a query or fragment"),
            "give only the address of the site's root",
        ));
    }
    if !u.path().ends_with('/') {
        let p = format!("{}/", u.path());
        u.set_path(&p);
    }
    Ok((u.to_string(), u.path().to_string()))
}

/// The folder of the site `path` is in, found as git finds its repository: the nearest folder,
/// from `path` (a folder, or a file's folder) upwards, that holds a `site.toml`. The search ends
/// at the top of a git repository. The folder is given relative to the current folder when it
/// is this folder, below it or above it, else in full.
pub fn find_root(path: &Path) -> Option<std::path::PathBuf> {
    let here = std::env::current_dir().ok()?;
    // `..` and `.` resolved by the path's words, so the search really goes upwards.
    let mut abs = std::path::PathBuf::new();
    for c in std::path::absolute(path).ok()?.components() {
        match c {
            std::path::Component::ParentDir => {
                abs.pop();
            }
            std::path::Component::CurDir => {}
            other => abs.push(other),
        }
    }
    let mut dir = if abs.is_dir() { abs.as_path() } else { abs.parent()? };
    loop {
        if dir.join("site.toml").is_file() {
            break;
        }
        if dir.join(".git").exists() {
            return None;
        }
        dir = dir.parent()?;
    }
    if let Ok(below) = dir.strip_prefix(&here) {
        return Some(if below.as_os_str().is_empty() { ".".into() } else { below.to_path_buf() });
    }
    if let Ok(up) = here.strip_prefix(dir) {
        return Some(up.components().map(|_| "..").collect());
    }
    Some(dir.to_path_buf())
}

/// Reads and validates `site.toml` in `root`. Returns the config, or diagnostics when it is unusable.
pub fn load(root: &Path) -> Result<Config, Diagnostics> {
    let path = root.join("site.toml");
    let mut diags = Diagnostics::default();
    let src = match source::read_text(root, &path) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let raw: RawConfig = match toml::from_str(&src.text) {
        Ok(r) => r,
        Err(e) => {
            diags.push(toml_error(&src, 0, &e));
            return Err(diags);
        }
    };
    let at = |span: std::ops::Range<usize>| src.location(span.start);
    let (base_url, base_path) = match parse_base_url(raw.base_url.get_ref()) {
        Ok(v) => v,
        Err(e) => {
            diags.push(Diagnostic::error(Code::Config, at(raw.base_url.span()), e.message).with_hint(e.hint));
            (String::new(), "/".into())
        }
    };
    let mut languages = Vec::new();
    if raw.languages.get_ref().is_empty() {
        diags.push(
            Diagnostic::error(Code::Config, at(raw.languages.span()), "`languages` is empty")
                .with_hint("list the site's languages, default first: languages = [\"lt\", \"en\"]"),
        );
    }
    for code in raw.languages.get_ref() {
        let c = code.get_ref();
        let lang = match Lang::parse(c) {
            Ok(l) => l,
            Err(e) => {
                diags.push(Diagnostic::error(Code::Config, at(code.span()), e.message).with_hint(e.hint));
                continue;
            }
        };
        if languages.iter().any(|l: &Language| l.code == lang) {
            diags.push(Diagnostic::error(Code::Config, at(code.span()), format!("language `{c}` is listed twice")));
            continue;
        }
        match raw.lang.iter().find(|(k, _)| k.get_ref() == c) {
            Some((_, l)) => languages.push(Language {
                code: lang,
                title: l.title.clone(),
                description: l.description.clone(),
                organisation: l.organisation.clone(),
                area: l.area.clone(),
                dir: match l.dir.as_ref().map(|d| (d, d.get_ref().trim().to_ascii_lowercase())) {
                    None => Dir::of(c),
                    Some((_, d)) if d == "ltr" => Dir::Ltr,
                    Some((_, d)) if d == "rtl" => Dir::Rtl,
                    Some((d, _)) => {
                        diags.push(
                            Diagnostic::error(
                                Code::Config,
                                at(d.span()),
                                format!("`{}` is not a writing direction", d.get_ref()),
                            )
                            .with_hint(format!(
                                "write dir = \"rtl\" (right to left) or dir = \"ltr\" (left to right), or leave it out: `{c}` is {} by default",
                                Dir::of(c).as_str()
                            )),
                        );
                        Dir::of(c)
                    }
                },
            }),
            None => diags.push(
                Diagnostic::error(Code::Config, at(code.span()), format!("language `{c}` has no [lang.{c}] table"))
                    .with_hint(format!("add [lang.{c}] with title, description and organisation")),
            ),
        }
    }
    for k in raw.lang.keys() {
        if !raw.languages.get_ref().iter().any(|c| c.get_ref() == k.get_ref()) {
            diags.push(
                Diagnostic::error(
                    Code::Config,
                    at(k.span()),
                    format!("[lang.{}] is for a language not in `languages`", k.get_ref()),
                )
                .with_hint("add the code to `languages` or remove the table"),
            );
        }
    }
    let contact = contact_checked(&src, &raw.contact, &mut diags);
    let feedback = contact_checked(&src, &raw.feedback, &mut diags);
    let theme = raw.theme.get_ref().clone();
    if values::slug::check(&theme, "theme name").is_err() {
        diags.push(
            Diagnostic::error(Code::Config, at(raw.theme.span()), format!("`{theme}` is not a theme folder name"))
                .with_hint("write the name of a folder in themes/, like theme = \"default\""),
        );
    }
    let output_dir = raw.output_dir.get_ref().clone();
    if output_dir.trim().is_empty() {
        diags.push(
            Diagnostic::error(Code::Config, at(raw.output_dir.span()), "`output_dir` is empty")
                .with_hint("write the folder to build into, like output_dir = \"public\""),
        );
    }
    let leaflet_format = match &raw.leaflets.format {
        None => LeafletFormat::default(),
        Some(f) => match LeafletFormat::parse(f.get_ref()) {
            Some(x) => x,
            None => {
                diags.push(
                    Diagnostic::error(Code::Config, at(f.span()), format!("`{}` is not a leaflet format", f.get_ref()))
                        .with_hint("use \"a5\", \"a4\" or \"a4-trifold\""),
                );
                LeafletFormat::default()
            }
        },
    };
    if raw.lists.per_page == 0 {
        diags.push(
            Diagnostic::error(
                Code::Config,
                crate::diagnostics::Location::file("site.toml"),
                "`per_page` in [lists] is 0",
            )
            .with_hint("write how many entries a list page shows, like per_page = 50"),
        );
    }
    let editor = raw.editor.and_then(|e| crate::editor::settings(e, &src, root, &mut diags));
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Config {
        base_url,
        base_path,
        languages,
        theme,
        output_dir,
        contact: contact.expect("no errors"),
        feedback: feedback.expect("no errors"),
        markdown: raw.markdown,
        lint: raw.lint,
        easy_read: raw.easy_read,
        check: raw.check,
        lists: raw.lists,
        leaflets: LeafletConfig { enabled: raw.leaflets.enabled, format: leaflet_format },
        editor,
    })
}

fn contact_checked(src: &SourceText, raw: &RawContact, diags: &mut Diagnostics) -> Option<Contact> {
    let phone = match values::phone::parse(raw.phone.get_ref()) {
        Ok(p) => Some(p),
        Err(e) => {
            diags.push(
                Diagnostic::error(Code::Phone, src.location(raw.phone.span().start), e.message).with_hint(e.hint),
            );
            None
        }
    };
    if let Err(e) = values::check_email(raw.email.get_ref()) {
        diags.push(Diagnostic::error(Code::Email, src.location(raw.email.span().start), e.message).with_hint(e.hint));
    }
    if let Some(u) = &raw.url
        && let Err(e) = values::check_url(u.get_ref())
    {
        diags.push(Diagnostic::error(Code::Url, src.location(u.span().start), e.message).with_hint(e.hint));
    }
    let fact = |field: &'static str, span: std::ops::Range<usize>| {
        let at = src.location(span.start);
        crate::model::FactAt { field, line: at.line as u32, col: at.col as u32 }
    };
    let mut facts = vec![fact("phone", raw.phone.span()), fact("email", raw.email.span())];
    facts.extend(raw.url.as_ref().map(|u| fact("url", u.span())));
    facts.sort_by_key(|f| (f.line, f.col));
    let mut all = None;
    if let Some(s) = &raw.source {
        if s.get_ref().trim().is_empty() {
            diags.push(
                Diagnostic::error(Code::Empty, src.location(s.span().start), "`source` is empty").with_hint(
                    "name where the contact's facts come from (a document's title, a decision's number or a web address), or remove the line",
                ),
            );
        } else {
            all = Some(s.get_ref().trim().to_string());
        }
    }
    Some(Contact {
        phone: phone?,
        email: raw.email.get_ref().clone(),
        url: raw.url.as_ref().map(|u| u.get_ref().clone()),
        sources: crate::model::Sources { all, fields: Default::default(), facts },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_get_a_trailing_slash_and_a_path() {
        assert_eq!(parse_base_url("https://x.lt").unwrap(), ("https://x.lt/".into(), "/".into()));
        assert_eq!(
            parse_base_url("https://www.alytus.lt/socialines-paslaugos").unwrap(),
            ("https://www.alytus.lt/socialines-paslaugos/".into(), "/socialines-paslaugos/".into())
        );
        assert!(parse_base_url("www.alytus.lt").is_err());
    }

    #[test]
    fn right_to_left_languages_are_known_by_their_code() {
        for rtl in ["ar", "he", "fa", "ur"] {
            assert_eq!(Dir::of(rtl), Dir::Rtl, "{rtl}");
        }
        for ltr in ["lt", "en", "uk", "ru", "pl", "be", "lv", "de", "el"] {
            assert_eq!(Dir::of(ltr), Dir::Ltr, "{ltr}");
        }
    }

    #[test]
    fn readability_limits_for_every_language_or_per_language() {
        let read = |s: &str| toml::from_str::<EasyLintConfig>(s);
        let all = read("max_lix = [30, 35, 40]").unwrap().max_lix;
        assert_eq!((all.for_lang("lt"), all.for_lang("uk")), ([30, 35, 40], [30, 35, 40]));
        let per = read("max_lix = { en = [21, 26, 31] }").unwrap().max_lix;
        // Languages the table leaves out keep the built-in limits.
        assert_eq!(
            (per.for_lang("en"), per.for_lang("lt"), per.for_lang("pl")),
            ([21, 26, 31], [40, 47, 52], [40, 47, 52])
        );
        let default = EasyLintConfig::default().max_lix;
        assert_eq!((default.for_lang("en"), default.for_lang("lt")), ([20, 25, 30], [40, 47, 52]));
        for bad in ["max_lix = 40", "max_lix = [40, 47]", "max_lix = { lt = 40 }", "max_lix = \"easy\""] {
            let e = read(bad).expect_err(bad).to_string();
            assert!(e.contains("levels 1, 2 and 3") || e.contains("length 3"), "{bad}: {e}");
        }
    }
    /// The keys a table of site.toml accepts, from the message about an unknown key (serde lists
    /// the expected ones).
    fn accepted_keys(table: &str) -> Vec<String> {
        let base = "base_url = \"https://x.lt/\"\nlanguages = [\"lt\"]\n\
                    [lang.lt]\ntitle = \"t\"\ndescription = \"d\"\norganisation = \"o\"\n\
                    [contact]\nphone = \"+370 5 000 0000\"\nemail = \"a@b.lt\"\n\
                    [feedback]\nphone = \"+370 5 000 0000\"\nemail = \"a@b.lt\"\n\
                    [editor]\nbackend = \"local\"\n";
        let text = match table {
            "" => format!("zz_unknown = 1\n{base}"),
            "lang.lt" | "contact" | "feedback" | "editor" => {
                base.replace(&format!("[{table}]\n"), &format!("[{table}]\nzz_unknown = 1\n"))
            }
            _ => format!("{base}[{table}]\nzz_unknown = 1\n"),
        };
        let e = match toml::from_str::<RawConfig>(&text) {
            Ok(_) => panic!("[{table}] accepted an unknown key"),
            Err(e) => e.to_string(),
        };
        let expected = e.split("expected").nth(1).unwrap_or_else(|| panic!("[{table}]: {e}"));
        let keys: Vec<String> = expected.split('`').skip(1).step_by(2).map(str::to_string).collect();
        assert!(!keys.is_empty(), "[{table}]: {e}");
        keys
    }

    /// `docs/site-toml.md` describes every key each table of site.toml accepts, in that table's
    /// section; a table that is not described fails too.
    #[test]
    fn the_site_toml_reference_in_docs_names_every_key() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/site-toml.md")).unwrap();
        let tables = [
            ("", "## Top level"),
            ("lang.lt", "## `[lang.<code>]`"),
            ("contact", "## `[contact]` and `[feedback]`"),
            ("feedback", "## `[contact]` and `[feedback]`"),
            ("markdown", "## `[markdown]`"),
            ("lint", "## `[lint]`"),
            ("easy_read", "## `[easy_read]`"),
            ("easy_read.lint", "### `[easy_read.lint]`"),
            ("check", "## `[check]`"),
            ("leaflets", "## `[leaflets]`"),
            ("lists", "## `[lists]`"),
            ("editor", "## `[editor]`"),
        ];
        let section = |heading: &str| -> String {
            let at = doc.find(heading).unwrap_or_else(|| panic!("docs/site-toml.md has no section {heading}"));
            let rest = &doc[at + heading.len()..];
            let end = rest.find("\n## ").unwrap_or(rest.len());
            rest[..end].to_string()
        };
        let tables_named: Vec<&str> = tables.iter().map(|(t, _)| *t).collect();
        for (table, heading) in tables {
            let text = section(heading);
            for key in accepted_keys(table) {
                let nested = if table.is_empty() { key.clone() } else { format!("{table}.{key}") };
                if tables_named.contains(&nested.as_str()) || (table.is_empty() && key == "lang") {
                    continue;
                }
                assert!(
                    text.contains(&format!("| `{key}` |")),
                    "docs/site-toml.md, section {heading}: the key `{key}` is not described"
                );
            }
        }
    }
}
