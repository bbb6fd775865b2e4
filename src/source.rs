//! Source files: reading them as UTF-8 text, splitting TOML front matter from Markdown, and turning
//! TOML errors into diagnostics with file, line and column.
//!
//! Reading the site's files is the load stage's work, so a file that cannot be read or is not
//! UTF-8 is reported like any other mistake found there: a [`Diagnostic`] at that file (at the
//! first bad byte), among the others. Reading a file again later, after it was checked, is not:
//! see [`crate::model::Body::again`].

use crate::diagnostics::{Code, Diagnostic, SourceText, did_you_mean, display_path};
use std::path::{Path, PathBuf};

/// Reads a file as UTF-8. Invalid UTF-8 is reported at the first bad byte.
pub fn read_text(root: &Path, path: &Path) -> Result<SourceText, Diagnostic> {
    let shown = display_path(root, path);
    let bytes = read_bytes(path).map_err(|e| {
        Diagnostic::error(Code::Io, crate::diagnostics::Location::file(&shown), format!("cannot read the file: {e}"))
            .with_hint("check that the file exists and can be read")
    })?;
    text_from_bytes(shown, bytes)
}

/// Reads a whole file: `open`, `read` until the end, `close`. Unlike `std::fs::read` it does not
/// ask the file's size first (a `statx` per file: 57,000 of them when checking a catalogue of
/// 10,000 services, where system calls were a quarter of the time); content files are small,
/// so the first read usually takes all of it.
pub fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(16 * 1024);
    std::fs::File::open(path)?.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Turns a file's bytes into its text, shown as `shown` in messages. Invalid UTF-8 is reported at
/// the first bad byte; a byte-order mark is blanked (so offsets stay those of the file).
pub fn text_from_bytes(shown: PathBuf, bytes: Vec<u8>) -> Result<SourceText, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.replace_range(..3, "   ");
            }
            Ok(SourceText::new(shown, text))
        }
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..good]).into_owned();
            let loc = SourceText::new(&shown, prefix).location(good);
            Err(Diagnostic::error(Code::Encoding, loc, "the file is not valid UTF-8 text")
                .with_hint("save the file as UTF-8 (in most editors: File > Save with encoding > UTF-8)"))
        }
    }
}

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// Byte offset of the front matter in the file.
    pub fm_offset: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Splits `+++`-delimited TOML front matter from the Markdown body.
pub fn split_front_matter(src: &SourceText) -> Result<Split<'_>, Diagnostic> {
    let text = src.text.as_str();
    let lead = text.len() - text.trim_start_matches([' ', '\u{feff}']).len();
    let first_line_end = text[lead..].find('\n').map(|i| lead + i).unwrap_or(text.len());
    if text[lead..first_line_end].trim_end() != "+++" {
        let hint = "start the file with a line containing only +++, then the fields (title = \"...\"), then another +++ line, then the text";
        return Err(
            Diagnostic::error(Code::FrontMatter, src.location(0), "the file has no front matter").with_hint(hint)
        );
    }
    let fm_offset = (first_line_end + 1).min(text.len());
    let mut pos = fm_offset;
    while pos < text.len() {
        let end = text[pos..].find('\n').map(|i| pos + i).unwrap_or(text.len());
        if text[pos..end].trim_end() == "+++" {
            let body_offset = (end + 1).min(text.len());
            return Ok(Split {
                front_matter: &text[fm_offset..pos],
                fm_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        pos = end + 1;
    }
    Err(Diagnostic::error(Code::FrontMatter, src.location(0), "the front matter is not closed")
        .with_hint("add a line containing only +++ after the last field"))
}

/// Converts a TOML parse or type error into a diagnostic. `offset` is where the TOML text starts in
/// the file. Unknown fields get a did-you-mean hint.
pub fn toml_error(src: &SourceText, offset: usize, e: &toml::de::Error) -> Diagnostic {
    let at = offset + e.span().map(|s| s.start).unwrap_or(0);
    if let Some(d) = loose_date(src, at) {
        return d;
    }
    let loc = src.location(at);
    let mut message = plain_types(e.message().trim());
    let (code, hint) = if let Some(rest) = message.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> =
            rest.split('`').skip(1).filter(|s| !s.contains(' ') && !s.contains(',') && !s.is_empty()).collect();
        let hint = match did_you_mean(name, expected.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? Remove or rename the field."),
            None if !expected.is_empty() => format!(
                "remove the field; allowed fields here are: {}",
                expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
            ),
            None => "remove the field".to_string(),
        };
        (Code::UnknownField, hint)
    } else if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or("");
        (Code::MissingField, format!("add `{name} = ...` to this table"))
    } else if message.starts_with("unknown variant `") {
        (Code::UnknownValue, "write one of the values the message lists, in \"quotes\"".to_string())
    } else if message == "duplicate key" {
        // Name the key: the error points at it.
        let line = src.text[src.text.len().min(offset + e.span().map(|s| s.start).unwrap_or(0))..]
            .lines()
            .next()
            .unwrap_or("");
        let key = line.split('=').next().unwrap_or("").trim().trim_matches('"');
        if !key.is_empty() && !key.starts_with('[') {
            message = format!("duplicate key `{key}`");
        }
        (Code::Toml, "each field may be given once: remove one of the two, or rename it".to_string())
    } else if message.contains("date") || message.contains("day between") || message.contains("month between") {
        (Code::Date, "write a real date as year-month-day without quotes, like 2026-10-01".to_string())
    } else if message.starts_with("invalid type") {
        (Code::WrongType, "check the value's type: text goes in \"quotes\", lists in [brackets], dates like 2026-10-01 without quotes, true/false without quotes".to_string())
    } else if message.starts_with("invalid value") || message.starts_with("invalid length") {
        (Code::WrongValue, "change the value to what the message says is expected".to_string())
    } else {
        (Code::Toml, "fix the TOML syntax at this place (text values need \"quotes\"; each field is `name = value` on its own line)".to_string())
    };
    Diagnostic::error(code, loc, message.to_string()).with_hint(hint)
}

/// A date written another way than year-month-day without quotes (`reviewed = 2026.11.05`,
/// `checked_on = 05.11.2026`, `signed = 2026-11-5`), which TOML cannot read: an error at the value
/// saying which date to write. `at` is where TOML stopped, on the value's line.
fn loose_date(src: &SourceText, at: usize) -> Option<Diagnostic> {
    let text = src.text.as_str();
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = &text[start..text[start..].find('\n').map(|i| start + i).unwrap_or(text.len())];
    let (key, rest) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    let value = rest.trim_start().split([' ', '\t', '#', ',', '}', '\r']).next().unwrap_or("");
    if key.is_empty() || key.contains(' ') || value.is_empty() {
        return None;
    }
    let (message, hint) = crate::values::date::advice(key, value)?;
    let value_at = start + line.len() - rest.trim_start().len();
    Some(Diagnostic::error(Code::Date, src.location(value_at), message).with_hint(hint))
}

/// Rust type names at the end of serde's messages ("..., expected u64") said in words an editor
/// knows.
fn plain_types(message: &str) -> String {
    const PLAIN: [(&str, &str); 8] = [
        ("i64", "a whole number"),
        ("i32", "a whole number"),
        ("u64", "a whole number, 0 or more"),
        ("u32", "a whole number, 0 or more"),
        ("u16", "a whole number, 0 or more"),
        ("u8", "a whole number, 0 or more"),
        ("usize", "a whole number, 0 or more"),
        ("f64", "a number"),
    ];
    for (rust, plain) in PLAIN {
        if let Some(head) = message.strip_suffix(&format!("expected {rust}")) {
            return format!("{head}expected {plain}");
        }
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let src = SourceText::new("a.md", "+++\ntitle = \"x\"\n+++\nBody\n".to_string());
        let s = split_front_matter(&src).unwrap();
        assert_eq!(s.front_matter, "title = \"x\"\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(src.location(s.body_offset).line, 4);
    }

    #[test]
    fn reports_missing_or_unclosed_front_matter() {
        let none = SourceText::new("a.md", "# Title\n".to_string());
        assert_eq!(split_front_matter(&none).unwrap_err().code, Code::FrontMatter);
        let open = SourceText::new("a.md", "+++\ntitle = \"x\"\n".to_string());
        assert!(split_front_matter(&open).unwrap_err().message.contains("not closed"));
        let crlf = SourceText::new("a.md", "+++\r\ntitle = \"x\"\r\n+++\r\nB".to_string());
        assert_eq!(split_front_matter(&crlf).unwrap().body, "B");
    }

    /// Dates written with dots, slashes or day first are errors that say which date to write.
    #[test]
    fn dates_written_other_ways_say_what_to_write() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            reviewed: toml::Value,
        }
        for (written, col, date) in [
            ("2026.11.05", 12, "2026-11-05"),
            ("2026/11/05", 12, "2026-11-05"),
            ("05.11.2026", 12, "2026-11-05"),
            ("5.11.2026", 12, "2026-11-05"),
            ("2026-11-5", 12, "2026-11-05"),
        ] {
            let text = format!("title = 1\nreviewed = {written} # a comment\n");
            let src = SourceText::new("a.toml", text.clone());
            let e = toml::from_str::<T>(&text).unwrap_err();
            let d = toml_error(&src, 0, &e);
            assert_eq!((d.code, d.location.line, d.location.col), (Code::Date, 2, col), "{written}: {d}");
            assert!(d.message.contains(&format!("`{written}`")), "{d}");
            let hint = d.hint.unwrap_or_default();
            assert!(hint.starts_with(&format!("write `reviewed = {date}`")), "{written}: {hint}");
            assert!(!hint.contains("quotes,") && hint.contains("no quotes"), "never `add quotes`: {hint}");
        }
        // A date in the right shape that does not exist keeps TOML's message.
        let text = "reviewed = 2026-02-30\n";
        let d = toml_error(&SourceText::new("a.toml", text.into()), 0, &toml::from_str::<T>(text).unwrap_err());
        assert!(d.message.contains("invalid date"), "{d}");
    }

    #[test]
    fn unknown_fields_get_suggestions() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            title: String,
            slug: Option<String>,
        }
        let src = SourceText::new("a.md", "+++\ntitel = \"x\"\n+++\n".to_string());
        let e = toml::from_str::<T>("titel = \"x\"\n").unwrap_err();
        let d = toml_error(&src, 4, &e);
        assert_eq!(d.code, Code::UnknownField);
        assert_eq!(d.location.line, 2);
        assert!(d.hint.unwrap().contains("`title`"));
    }
}
