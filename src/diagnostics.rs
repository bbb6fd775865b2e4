//! Diagnostics: every problem Skaidra reports to a person.
//!
//! Owns the [`Diagnostic`] type (severity, file, line, column, message, hint), the conversion of byte
//! offsets into line and column ([`SourceText`]), did-you-mean suggestions, and the human rendering of
//! a list of diagnostics. Every stage collects diagnostics into a [`Diagnostics`] list instead of
//! stopping at the first one.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information asked for (`check --sources`); never fails a run, except with `--strict`.
    Info,
    /// Worth fixing; fails the run only with `--strict`.
    Warning,
    /// Stops the build.
    Error,
}

impl Severity {
    /// The word printed before a finding (`error[code]: ...`).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Which exit code an error of a kind stops a command with (see [`is_setup`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Always the site's setup (exit code 2), wherever it is found.
    Setup,
    /// The content (exit code 1), unless it is found in `site.toml`, `i18n/` or `themes/`.
    Content,
}

/// Lists every kind of finding once: its variant, its stable name, its class and what it means.
macro_rules! codes {
    ($($variant:ident $name:literal $class:ident $about:literal,)*) => {
        /// The kind of a finding. Its [`name`](Code::name) is stable: it is what the human output,
        /// `--format json` and `--format junit` show and what `docs/codes.md` lists.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $(#[doc = $about] $variant,)*
        }

        impl Code {
            /// Every code, in the order of `docs/codes.md`.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable name (`unknown-field`).
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// Whether an error of this kind is always about the site's setup.
            pub fn class(self) -> Class {
                match self { $(Code::$variant => Class::$class,)* }
            }

            /// What a finding of this kind means, in a sentence for `docs/codes.md`.
            pub fn about(self) -> &'static str {
                match self { $(Code::$variant => $about,)* }
            }

            /// The code of a stable name (as a build manifest keeps it).
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $($name => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    Config "config" Setup "A value in `site.toml` (or given on the command line) is missing or wrong.",
    OutputDir "output-dir" Setup "The output folder would overwrite the site's own files (`content/`, `themes/`, `i18n/` or the site itself).",
    I18n "i18n" Content "The interface strings of a language (`i18n/<lang>.toml`) are missing or cannot be read.",
    I18nMissingKey "i18n-missing-key" Content "A key of the default language's interface strings is missing in another language.",
    I18nExtraKey "i18n-extra-key" Content "A language's interface strings have a key the default language does not have.",
    Theme "theme" Content "The theme named in `site.toml` has no templates.",
    Template "template" Content "A template of the theme cannot be read or used.",
    Contrast "contrast" Content "Two colours of the theme used together have too little contrast, or a colour is not defined.",
    Layout "layout" Content "A file or folder under `content/` is not where the site's layout expects it.",
    MissingFile "missing-file" Content "A folder lacks a file it needs (such as `service.toml` or the default language's `index.<lang>.md`).",
    Symlink "symlink" Content "A symbolic link under `content/` leads nowhere, round in a loop, or outside the site.",
    Io "io" Content "A file cannot be read or written.",
    Encoding "encoding" Content "A file is not UTF-8 text.",
    Changed "changed" Content "A file changed while Skaidra was working from it; run the command again.",
    Locked "locked" Content "Another build is writing to the same output folder.",
    Cache "cache" Content "The build manifest could not be written; the next build makes everything again.",
    FrontMatter "front-matter" Content "A Markdown file's front matter (between `+++` lines) is missing or not closed.",
    Toml "toml" Content "The TOML is not valid at this place, or a field is given twice.",
    UnknownField "unknown-field" Content "A field the file does not have (often a typing mistake).",
    MissingField "missing-field" Content "A required field is missing.",
    WrongType "wrong-type" Content "A value has the wrong type (text, number, list, date, true/false).",
    WrongValue "wrong-value" Content "A value is not one the field accepts.",
    UnknownValue "unknown-value" Content "A value is not one of the choices the field has.",
    Empty "empty" Content "A field that needs text is empty.",
    Id "id" Content "An id (a folder's name or a key) is not written the way ids are.",
    DuplicateId "duplicate-id" Content "The same id is used twice.",
    UnknownId "unknown-id" Content "An id names something that does not exist.",
    UnknownReference "unknown-reference" Content "A reference names an item (an institution, a category, a service...) that does not exist.",
    Language "language" Content "A text or file is in a language that `site.toml` does not list.",
    Slug "slug" Content "A page's address (`slug`) is not a single, plain address segment.",
    EmptySlug "empty-slug" Content "A label has no letters or digits to make an address of.",
    DuplicateSlug "duplicate-slug" Content "Two pages would have the same address.",
    Date "date" Content "A date is not a real date written as year-month-day.",
    Period "period" Content "A review period is not written the way periods are (such as `12 months`).",
    Review "review" Content "The review fields contradict each other.",
    Phone "phone" Content "A phone number is not valid.",
    Email "email" Content "An e-mail address is not valid.",
    Url "url" Content "A web address is not valid.",
    Hours "hours" Content "Opening hours are not written the way hours are.",
    Numbering "numbering" Content "A section number is not written the way section numbers are.",
    HeadingH1 "heading-h1" Content "A `#` heading in the text would be a second main heading.",
    UnsafeLink "unsafe-link" Content "A link could run code in the reader's browser.",
    Pictogram "pictogram" Content "A pictogram is named that does not exist.",
    BrokenLink "broken-link" Content "A link to a page of the site leads nowhere.",
    BrokenAnchor "broken-anchor" Content "A link leads to a place (`#...`) the page does not have.",
    Rewrite "rewrite" Content "A made page could not be processed after its template.",
    TranslationMissing "translation-missing" Content "A page, text or string is not translated into a language yet (it falls back to another).",
    TranslationStale "translation-stale" Content "A translation was made from an older version of the default language's text.",
    EasyMissing "easy-missing" Content "A required easy-read version is missing.",
    EasyLevel "easy-level" Content "An easy-read level that does not exist.",
    EasySentence "easy-sentence" Content "An easy-read sentence or title is too long.",
    EasyParagraph "easy-paragraph" Content "An easy-read paragraph has too many sentences.",
    EasyLongWord "easy-long-word" Content "An easy-read word is too long.",
    EasyJargon "easy-jargon" Content "An easy-read text uses an abbreviation or jargon.",
    EasyNumberWord "easy-number-word" Content "An easy-read text writes a number as a word.",
    EasyDate "easy-date" Content "An easy-read text writes a date in a form that is hard to read.",
    EasyPhone "easy-phone" Content "An easy-read text writes a phone number not grouped the usual way.",
    EasySymbol "easy-symbol" Content "An easy-read text uses a symbol that is hard to read.",
    EasyCapitals "easy-capitals" Content "An easy-read text writes a word in capitals.",
    EasyItalics "easy-italics" Content "An easy-read text uses italic emphasis.",
    EasyNegativeQuestion "easy-negative-question" Content "An easy-read text asks a question in the negative.",
    EasyGlossaryForm "easy-glossary-form" Content "An easy-read text uses a word of the glossary in a form the glossary does not link.",
    EasyReadability "easy-readability" Content "An easy-read text is harder to read (LIX) than its level allows.",
    A11yImgAlt "a11y-img-alt" Content "An image has no alt text.",
    A11yTable "a11y-table" Content "A table has no header cells.",
    A11yHeading "a11y-heading" Content "A page has more than one main heading, or its heading levels skip one.",
    A11yEmptyLink "a11y-empty-link" Content "A link has no text.",
    A11yLinkText "a11y-link-text" Content "A link's text does not say where it leads (\"click here\").",
    Placeholder "placeholder" Content "A placeholder of a new site is left: a phone number ending in seven zeros, an `example.*` address or `TODO`.",
    PhoneInText "phone-in-text" Content "A phone number in a page's text is not valid.",
    PhoneMismatch "phone-mismatch" Content "A page's text gives a different phone number than its facts file.",
    UrlHttp "url-http" Content "A web address is not secure (`http://` instead of `https://`).",
    ReviewDue "review-due" Content "A page is due for review soon.",
    ReviewOverdue "review-overdue" Content "A page's review date has passed.",
    Orphan "orphan" Content "No other page links to a page.",
    NoSourceContact "no-source-contact" Content "A contact (phone, e-mail, web address, address, opening hours) names no source (`check --sources`).",
    NoSourceCost "no-source-cost" Content "A cost names no source (`check --sources`).",
    NoSourceWaitingTime "no-source-waiting-time" Content "A waiting time names no source (`check --sources`).",
    LinkInvalid "link-invalid" Content "An external link is not a valid web address (`check --online`).",
    LinkBroken "link-broken" Content "An external link does not exist or refuses visitors (`check --online`).",
    LinkRedirect "link-redirect" Content "An external link has moved to another address (`check --online`).",
    LinkUnreachable "link-unreachable" Content "An external link's server could not be reached (`check --online`).",
    LinkRateLimited "link-rate-limited" Content "An external link's server asked to slow down, so it was not checked (`check --online`).",
    Leaflet "leaflet" Content "A leaflet could not be made.",
    LeafletLayout "leaflet-layout" Content "The theme's leaflet layout is missing or wrong.",
    LeafletFont "leaflet-font" Content "A font of the theme's leaflets cannot be read.",
    LeafletStrings "leaflet-strings" Content "The theme's leaflet strings are missing or cannot be read.",
    LeafletOverflow "leaflet-overflow" Content "A leaflet's text does not fit on its pages.",
    LeafletPdf "leaflet-pdf" Content "A leaflet's PDF could not be written.",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Code::from_name(&name).ok_or_else(|| serde::de::Error::custom(format!("unknown code `{name}`")))
    }
}

/// A place in a source file. Line and column are 1-based; column counts characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Location {
    /// Path relative to the site root where possible.
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

impl Location {
    /// The start of a file (used where no finer position is known).
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location { file: file.into(), line: 1, col: 1 }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// One finding: what is wrong, where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable code naming the kind of problem (e.g. `unknown-field`), for filters and JSON.
    pub code: Code,
    pub location: Location,
    pub message: String,
    /// What to do about it, in words an editor understands.
    pub hint: Option<String>,
    /// The language a finding about translation is about (`translation-missing`), so `check`
    /// can list what is left to translate per language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, location, message: message.into(), hint: None, lang: None }
    }
    pub fn warning(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, code, location, message: message.into(), hint: None, lang: None }
    }
    pub fn info(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Info, code, location, message: message.into(), hint: None, lang: None }
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// Names the language the finding is about.
    pub fn in_lang(mut self, lang: impl Into<String>) -> Self {
        self.lang = Some(lang.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = self.severity.label();
        write!(f, "{sev}[{}]: {}: {}", self.code, self.location, self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// A collected list of diagnostics.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }
    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }
    /// The exit code of a command that stopped with these diagnostics (or found errors in
    /// them): 2 when an error is in the site's setup, 1 otherwise. See [`is_setup`].
    pub fn exit_code(&self) -> u8 {
        if self.items.iter().any(|d| d.is_error() && is_setup(d)) { 2 } else { 1 }
    }
    /// Sorts by file, line and column and drops exact duplicates.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.location, b.severity, a.message.as_str()).cmp(&(&b.location, a.severity, b.message.as_str()))
        });
        self.items.dedup();
    }
    /// Turns every warning into an error (`--strict`).
    pub fn make_strict(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(items: Vec<Diagnostic>) -> Self {
        Diagnostics { items }
    }
}

/// Whether a finding is about the site's setup rather than its content: it is in `site.toml`,
/// the interface strings (`i18n/`) or the theme (`themes/`), or it is about the output folder or a
/// value given on the command line. The one rule of every command's exit code: 2 for wrong usage
/// and problems in the setup, 1 for problems in the content (`content/`), whatever the command.
pub fn is_setup(d: &Diagnostic) -> bool {
    let file = d.location.file.as_path();
    d.code.class() == Class::Setup
        || file == Path::new("site.toml")
        || file.starts_with("i18n")
        || file.starts_with("themes")
}

/// `docs/codes.md`: every code with what it means and the exit code rule; a test keeps the file
/// the same as this text.
pub fn reference() -> String {
    use std::fmt::Write;
    let setup: Vec<String> =
        Code::ALL.iter().filter(|c| c.class() == Class::Setup).map(|c| format!("`{}`", c.name())).collect();
    let mut out = String::from(
        "# Message codes\n\n\
         Every message Skaidra prints names its kind in brackets, as in `error[unknown-field]`; \
         `--format json` and `--format junit` give the same codes. This page lists every code, made \
         from the list the program uses (`src/diagnostics.rs`); a test fails when the two differ. \
         How to read a message is in the [editors' guide](editors-guide.md).\n\n",
    );
    let _ = write!(
        out,
        "A command that stops with errors exits with 2 when an error is in the site's setup (codes {}, \
         and any error in `site.toml`, `i18n/` or `themes/`) and with 1 otherwise (the content).\n\n\
         | Code | What it means |\n|---|---|\n",
        setup.join(" and ")
    );
    for c in Code::ALL {
        let _ = writeln!(out, "| `{}` | {} |", c.name(), c.about());
    }
    out
}

/// The text of a source file with its path, for turning byte offsets into lines and columns.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceText {
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        SourceText { path: path.into(), text, line_starts }
    }

    /// The location of a byte offset into the whole file.
    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_idx];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() + 1;
        Location { file: self.path.clone(), line: line_idx + 1, col }
    }
}

/// Source files read again only when a finding needs a line and column (the model does not keep
/// file texts); each file is read at most once.
pub struct SourceCache {
    root: PathBuf,
    files: std::collections::HashMap<PathBuf, Option<SourceText>>,
}

impl SourceCache {
    pub fn new(root: &Path) -> Self {
        SourceCache { root: root.to_path_buf(), files: Default::default() }
    }

    /// The text of `file` (relative to the site root), if it can be read.
    pub fn get(&mut self, file: &Path) -> Option<&SourceText> {
        let root = &self.root;
        self.files
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                std::fs::read_to_string(root.join(file)).ok().map(|t| SourceText::new(file.to_path_buf(), t))
            })
            .as_ref()
    }

    /// Where `needle` first appears in `file`.
    pub fn locate(&mut self, file: &Path, needle: &str) -> Option<Location> {
        let src = self.get(file)?;
        src.text.find(needle).map(|o| src.location(o))
    }
}

/// "1 error", "2 errors".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// Makes `path` relative to `root` for messages, when it is inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// A hint sentence naming the closest candidate, or listing the valid ones when nothing is close.
pub fn suggestion_hint(word: &str, candidates: &[&str], what: &str) -> String {
    match did_you_mean(word, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None if candidates.is_empty() => format!("no {what} is defined yet"),
        None if candidates.len() <= 12 => {
            format!("valid {what}s are: {}", candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "))
        }
        None => format!("check the spelling; there are {} {what}s defined", candidates.len()),
    }
}

/// Writes diagnostics for a person, grouped by file, with a summary line. `color` adds ANSI colours.
pub fn render_human(diags: &Diagnostics, color: bool) -> String {
    render_human_of(&diags.items, color)
}

/// [`render_human`] of some diagnostics (in the order given).
pub fn render_human_of<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>, color: bool) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let (red, yellow, bold, dim, reset) =
        if color { ("\x1b[31;1m", "\x1b[33;1m", "\x1b[1m", "\x1b[2m", "\x1b[0m") } else { ("", "", "", "", "") };
    let mut current: Option<&Path> = None;
    for d in diags {
        if current != Some(d.location.file.as_path()) {
            current = Some(d.location.file.as_path());
            let _ = writeln!(out, "{bold}{}{reset}", d.location.file.display());
        }
        let (c, label) = match d.severity {
            Severity::Error => (red, "error"),
            Severity::Warning => (yellow, "warning"),
            Severity::Info => (dim, "info"),
        };
        let _ = writeln!(out, "  {c}{label}{reset}[{}]: {}: {}", d.code, d.location, d.message);
        if let Some(h) = &d.hint {
            let _ = writeln!(out, "    {dim}hint:{reset} {h}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let s = SourceText::new("a.toml", "ab\nčęx = 1\n".to_string());
        assert_eq!(s.location(0).line, 1);
        let x = s.text.find('x').unwrap();
        let loc = s.location(x);
        assert_eq!((loc.line, loc.col), (2, 3));
        assert_eq!(s.location(10_000).line, 3);
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("titel", ["title", "slug"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "slug"]), None);
        assert!(suggestion_hint("zzz", &["a", "b"], "field").contains("`a`, `b`"));
    }

    /// Every code once, with the name reports and scripts rely on: a renamed, repeated or
    /// forgotten code fails here.
    #[test]
    fn every_code_has_one_stable_name_that_reads_back() {
        let listed = [
            (Code::Config, "config"),
            (Code::OutputDir, "output-dir"),
            (Code::I18n, "i18n"),
            (Code::I18nMissingKey, "i18n-missing-key"),
            (Code::I18nExtraKey, "i18n-extra-key"),
            (Code::Theme, "theme"),
            (Code::Template, "template"),
            (Code::Contrast, "contrast"),
            (Code::Layout, "layout"),
            (Code::MissingFile, "missing-file"),
            (Code::Symlink, "symlink"),
            (Code::Io, "io"),
            (Code::Encoding, "encoding"),
            (Code::Changed, "changed"),
            (Code::Locked, "locked"),
            (Code::Cache, "cache"),
            (Code::FrontMatter, "front-matter"),
            (Code::Toml, "toml"),
            (Code::UnknownField, "unknown-field"),
            (Code::MissingField, "missing-field"),
            (Code::WrongType, "wrong-type"),
            (Code::WrongValue, "wrong-value"),
            (Code::UnknownValue, "unknown-value"),
            (Code::Empty, "empty"),
            (Code::Id, "id"),
            (Code::DuplicateId, "duplicate-id"),
            (Code::UnknownId, "unknown-id"),
            (Code::UnknownReference, "unknown-reference"),
            (Code::Language, "language"),
            (Code::Slug, "slug"),
            (Code::EmptySlug, "empty-slug"),
            (Code::DuplicateSlug, "duplicate-slug"),
            (Code::Date, "date"),
            (Code::Period, "period"),
            (Code::Review, "review"),
            (Code::Phone, "phone"),
            (Code::Email, "email"),
            (Code::Url, "url"),
            (Code::Hours, "hours"),
            (Code::Numbering, "numbering"),
            (Code::HeadingH1, "heading-h1"),
            (Code::UnsafeLink, "unsafe-link"),
            (Code::Pictogram, "pictogram"),
            (Code::BrokenLink, "broken-link"),
            (Code::BrokenAnchor, "broken-anchor"),
            (Code::Rewrite, "rewrite"),
            (Code::TranslationMissing, "translation-missing"),
            (Code::TranslationStale, "translation-stale"),
            (Code::EasyMissing, "easy-missing"),
            (Code::EasyLevel, "easy-level"),
            (Code::EasySentence, "easy-sentence"),
            (Code::EasyParagraph, "easy-paragraph"),
            (Code::EasyLongWord, "easy-long-word"),
            (Code::EasyJargon, "easy-jargon"),
            (Code::EasyNumberWord, "easy-number-word"),
            (Code::EasyDate, "easy-date"),
            (Code::EasyPhone, "easy-phone"),
            (Code::EasySymbol, "easy-symbol"),
            (Code::EasyCapitals, "easy-capitals"),
            (Code::EasyItalics, "easy-italics"),
            (Code::EasyNegativeQuestion, "easy-negative-question"),
            (Code::EasyGlossaryForm, "easy-glossary-form"),
            (Code::EasyReadability, "easy-readability"),
            (Code::A11yImgAlt, "a11y-img-alt"),
            (Code::A11yTable, "a11y-table"),
            (Code::A11yHeading, "a11y-heading"),
            (Code::A11yEmptyLink, "a11y-empty-link"),
            (Code::A11yLinkText, "a11y-link-text"),
            (Code::Placeholder, "placeholder"),
            (Code::PhoneInText, "phone-in-text"),
            (Code::PhoneMismatch, "phone-mismatch"),
            (Code::UrlHttp, "url-http"),
            (Code::ReviewDue, "review-due"),
            (Code::ReviewOverdue, "review-overdue"),
            (Code::Orphan, "orphan"),
            (Code::NoSourceContact, "no-source-contact"),
            (Code::NoSourceCost, "no-source-cost"),
            (Code::NoSourceWaitingTime, "no-source-waiting-time"),
            (Code::LinkInvalid, "link-invalid"),
            (Code::LinkBroken, "link-broken"),
            (Code::LinkRedirect, "link-redirect"),
            (Code::LinkUnreachable, "link-unreachable"),
            (Code::LinkRateLimited, "link-rate-limited"),
            (Code::Leaflet, "leaflet"),
            (Code::LeafletLayout, "leaflet-layout"),
            (Code::LeafletFont, "leaflet-font"),
            (Code::LeafletStrings, "leaflet-strings"),
            (Code::LeafletOverflow, "leaflet-overflow"),
            (Code::LeafletPdf, "leaflet-pdf"),
        ];
        assert_eq!(listed.len(), Code::ALL.len(), "a code is missing from this list");
        let mut names = std::collections::HashSet::new();
        let mut codes = std::collections::HashSet::new();
        for (code, name) in listed {
            assert_eq!(code.name(), name);
            assert!(codes.insert(code), "{name} is listed twice");
            assert!(names.insert(name), "two codes are named {name}");
            assert_eq!(Code::from_name(name), Some(code));
            assert!(
                name.split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
            );
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{name}\""));
            assert_eq!(postcard::from_bytes::<Code>(&postcard::to_stdvec(&code).unwrap()).unwrap(), code);
            assert!(!code.about().is_empty());
        }
        assert!(Code::ALL.iter().all(|c| codes.contains(c)));
        assert_eq!(Code::from_name("Config"), None);
        assert!(postcard::from_bytes::<Code>(&postcard::to_stdvec("no-such-code").unwrap()).is_err());
    }

    /// The one rule of the exit code: 2 for setup codes anywhere and for any error in site.toml,
    /// i18n/ or themes/, 1 for the rest; warnings do not count.
    #[test]
    fn setup_errors_exit_with_two() {
        let exit = |code, file: &str, error: bool| {
            let loc = Location::file(file);
            let d = if error { Diagnostic::error(code, loc, "x") } else { Diagnostic::warning(code, loc, "x") };
            Diagnostics { items: vec![Diagnostic::error(Code::BrokenLink, Location::file("content/a.md"), "y"), d] }
                .exit_code()
        };
        assert_eq!(exit(Code::Config, "content/services/x/service.toml", true), 2);
        assert_eq!(exit(Code::OutputDir, "/tmp/out", true), 2);
        assert_eq!(exit(Code::Config, "site.toml", false), 1);
        assert_eq!(exit(Code::UnknownField, "content/services/x/service.toml", true), 1);
        assert_eq!(exit(Code::Toml, "site.toml", true), 2);
        assert_eq!(exit(Code::I18nMissingKey, "i18n/en.toml", true), 2);
        assert_eq!(exit(Code::Template, "themes/default/templates/page.html", true), 2);
        assert_eq!(exit(Code::Io, "content/i18n/x.md", true), 1);
        let setup: Vec<_> = Code::ALL.iter().filter(|c| c.class() == Class::Setup).collect();
        assert_eq!(setup, [&Code::Config, &Code::OutputDir]);
    }

    /// `docs/codes.md` is [`reference`]. After changing a code, write it again with
    /// `SKAIDRA_WRITE_DOCS=1 cargo test --release --lib diagnostics`.
    #[test]
    fn the_reference_of_codes_is_up_to_date() {
        let have = reference();
        crate::assert_generated_doc("docs/codes.md", &have, "diagnostics");
        for c in Code::ALL {
            assert!(have.contains(&format!("| `{}` |", c.name())), "{c} is not in docs/codes.md");
        }
    }
}
