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
    pub code: &'static str,
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
    pub fn error(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, location, message: message.into(), hint: None, lang: None }
    }
    pub fn warning(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, code, location, message: message.into(), hint: None, lang: None }
    }
    pub fn info(code: &'static str, location: Location, message: impl Into<String>) -> Self {
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

/// Whether a finding is about the site's setup rather than its content: it is in `site.toml`,
/// the interface strings (`i18n/`) or the theme (`themes/`), or it is about the output folder or a
/// value given on the command line. The one rule of every command's exit code: 2 for wrong usage
/// and problems in the setup, 1 for problems in the content (`content/`), whatever the command.
pub fn is_setup(d: &Diagnostic) -> bool {
    let file = d.location.file.as_path();
    matches!(d.code, "config" | "output-dir")
        || file == Path::new("site.toml")
        || file.starts_with("i18n")
        || file.starts_with("themes")
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
}
