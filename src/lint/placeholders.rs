//! Placeholders that must never be published: the contacts `skaidra init` writes for a new site to
//! be replaced (the phone number `+370 5 000 0000`, addresses at `example.lt`), addresses at any
//! `example.<tld>` domain (reserved for examples: they belong to no one) and `TODO` left in a
//! file. Every file of the site is read for them as it is (`site.toml`, fact files, front matter
//! and text), except TOML comment lines: a build warns, `check` reports them as errors.

use crate::diagnostics::{Code, Diagnostic, SourceText};
use crate::load::ItemDir;
use memchr::memmem;

/// The code of every placeholder finding.
pub const CODE: Code = Code::Placeholder;

/// The placeholders in the files of one content item.
pub fn scan_item(item: &ItemDir) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for src in item.facts.iter().chain(item.docs.values()).chain(item.easy.values()) {
        out.extend(scan(src, &[]));
    }
    out
}

/// The placeholders in one file. Lines of TOML (a `.toml` file, or a Markdown file's front
/// matter) that set a key in `skip_keys` are not read (`base_url` when `--base-url` replaces it).
pub fn scan(src: &SourceText, skip_keys: &[&str]) -> Vec<Diagnostic> {
    let text = src.text.as_str();
    let toml = toml_part(src);
    // The line of TOML the byte at `at` is on, and the key it sets (if it sets one).
    let toml_line = |at: usize| -> Option<(&str, &str)> {
        if !toml.contains(&at) {
            return None;
        }
        let start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let line = text[start..].split('\n').next().unwrap_or("").trim_start();
        let key = if line.contains('=') { line.split('=').next().unwrap_or("").trim() } else { "" };
        Some((line, key))
    };
    // Whether the byte at `at` is on a line that is not published or not read.
    let skipped = |at: usize| -> bool {
        toml_line(at).is_some_and(|(line, key)| line.starts_with('#') || (!key.is_empty() && skip_keys.contains(&key)))
    };
    let mut found: Vec<(usize, Diagnostic)> = Vec::new();
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for at in memmem::find_iter(bytes, b"TODO") {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + 4).copied();
        if before.is_some_and(word) || after.is_some_and(word) || skipped(at) {
            continue;
        }
        found.push((
            at,
            Diagnostic::warning(CODE, src.location(at), "`TODO` is left in the file")
                .with_hint("write what is missing (or remove the TODO) before the site is published"),
        ));
    }
    for at in memmem::find_iter(bytes, b"example.") {
        let Some((start, address)) = example_address(text, at) else { continue };
        if skipped(at) {
            continue;
        }
        let (what, hint) = if address.contains('@') {
            ("e-mail address", "write the real e-mail address")
        } else {
            ("web address", "write the real web address")
        };
        let hint = if toml_line(at).is_some_and(|(_, key)| key == "base_url") {
            "write the address the site is published at (or build with `--base-url`): example.* addresses belong to no one".to_string()
        } else {
            format!(
                "{hint}: addresses at example.lt, example.com and other example.* domains are placeholders that reach no one"
            )
        };
        found.push((
            start,
            Diagnostic::warning(CODE, src.location(start), format!("`{address}` is a placeholder {what}"))
                .with_hint(hint),
        ));
    }
    if memmem::find(bytes, b"000").is_some() {
        for (index, run) in crate::values::phone::find_in_text(text) {
            let Ok(p) = crate::values::phone::parse(&run) else { continue };
            let at = text.char_indices().nth(index).map(|(i, _)| i).unwrap_or(0);
            if !is_placeholder_phone(&p.e164) || skipped(at) {
                continue;
            }
            found.push((
                at,
                Diagnostic::warning(CODE, src.location(at), format!("`{run}` is a placeholder phone number"))
                    .with_hint("write the real phone number: a number ending in seven zeros reaches no one"),
            ));
        }
    }
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, d)| d).collect()
}

/// The byte range of the TOML in a file: all of a `.toml` file, the front matter of a Markdown
/// file (nothing when it has none).
fn toml_part(src: &SourceText) -> std::ops::Range<usize> {
    if src.path.extension().is_some_and(|e| e == "toml") {
        return 0..src.text.len();
    }
    match crate::source::split_front_matter(src) {
        Ok(s) => s.fm_offset..s.fm_offset + s.front_matter.len(),
        Err(_) => 0..0,
    }
}

/// A number `skaidra init` and examples use: its last seven digits are zeros (`+370 5 000 0000`).
/// No subscriber number is all zeros.
pub fn is_placeholder_phone(e164: &str) -> bool {
    e164.len() > 8 && e164.ends_with("0000000")
}

/// The address (e-mail or web) around `example.` at byte `at`, with where it starts, when
/// `example.` there is a domain (`info@example.lt`, `https://www.example.org/x`), not a word
/// (`for example.`, `counterexample.com`).
fn example_address(text: &str, at: usize) -> Option<(usize, &str)> {
    let bytes = text.as_bytes();
    if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'-') {
        return None;
    }
    let tld_start = at + "example.".len();
    let tld = bytes[tld_start..].iter().take_while(|b| b.is_ascii_lowercase()).count();
    let next = bytes.get(tld_start + tld).copied();
    if tld < 2 || next.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    let part = |b: u8| b.is_ascii_alphanumeric() || b"._%+-@:/~?#=&".contains(&b);
    let start = bytes[..at].iter().rposition(|b| !part(*b)).map(|i| i + 1).unwrap_or(0);
    let end = tld_start
        + tld
        + bytes[tld_start + tld..].iter().position(|b| !part(*b)).unwrap_or(bytes.len() - tld_start - tld);
    let address = text[start..end].trim_end_matches(['.', ',', ':', '?', '#']);
    Some((start, address))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(path: &str, text: &str) -> Vec<(usize, usize, String)> {
        scan(&SourceText::new(path, text.to_string()), &[])
            .into_iter()
            .map(|d| (d.location.line, d.location.col, d.message))
            .collect()
    }

    #[test]
    fn finds_placeholder_contacts_and_todo() {
        let text = "phone = \"+370 5 000 0000\"\nemail = \"info@example.lt\"\nwebsite = \"https://www.example.com/a/\"\n# phone = \"+370 5 000 0000\" in a comment\nowner = \"TODO\"\n";
        assert_eq!(
            found("content/services/x/service.toml", text),
            [
                (1, 10, "`+370 5 000 0000` is a placeholder phone number".to_string()),
                (2, 10, "`info@example.lt` is a placeholder e-mail address".to_string()),
                (3, 12, "`https://www.example.com/a/` is a placeholder web address".to_string()),
                (5, 10, "`TODO` is left in the file".to_string()),
            ]
        );
    }

    #[test]
    fn reads_the_text_of_pages_and_the_comments_of_front_matter_not() {
        let text = "+++\ntitle = \"T\"\n# TODO: a comment, not published\n+++\n# Heading TODO\n\nWrite to info@example.org. Call 8 5 000 0000.\n";
        let f = found("content/pages/x/index.lt.md", text);
        assert_eq!(f.iter().map(|(l, c, _)| (*l, *c)).collect::<Vec<_>>(), [(5, 11), (7, 10), (7, 33)], "{f:#?}");
        assert!(f[1].2.contains("`info@example.org`"), "the sentence's full stop is not part of it: {f:#?}");
    }

    #[test]
    fn leaves_real_contacts_and_words_alone() {
        let text = "+++\ntitle = \"For example.\"\n+++\nFor example. A counterexample.com, example.c, TODOS, MYTODO.\nCall +370 315 56 660 or +370 5 200 0000. Price 1 000 000 EUR.\nsoc_parama@alytus.lt, https://www.aspc.lt/\n";
        assert_eq!(found("content/pages/x/index.lt.md", text), []);
    }

    #[test]
    fn keys_can_be_skipped() {
        let src = SourceText::new(
            "site.toml",
            "base_url = \"https://example.lt/\"\n[contact]\nemail = \"a@example.lt\"\n".to_string(),
        );
        let all: Vec<usize> = scan(&src, &[]).iter().map(|d| d.location.line).collect();
        assert_eq!(all, [1, 3]);
        let some: Vec<usize> = scan(&src, &["base_url"]).iter().map(|d| d.location.line).collect();
        assert_eq!(some, [3]);
        let base = &scan(&src, &[])[0];
        assert!(base.hint.as_deref().is_some_and(|h| h.contains("`--base-url`")), "{base:?}");
    }

    /// Every contact the starter site of `skaidra init` writes (a phone, an e-mail or a web
    /// address in `site.toml` and the content) is a placeholder this lint reports, so no site is
    /// published with one.
    #[test]
    fn every_contact_the_starter_site_writes_is_found() {
        let mut contacts = 0;
        for (rel, bytes) in crate::init::INIT_FILES {
            if !(*rel == "site.toml" || rel.starts_with("content/")) {
                continue;
            }
            let src = SourceText::new(*rel, String::from_utf8(bytes.to_vec()).expect("UTF-8"));
            let reported: Vec<(usize, usize)> =
                scan(&src, &[]).iter().map(|d| (d.location.line, d.location.col)).collect();
            let range = toml_part(&src);
            let table: toml::Table = toml::from_str(&src.text[range.clone()]).expect("the starter's TOML");
            let mut values = Vec::new();
            strings(&toml::Value::Table(table), &mut values);
            for v in values {
                let contact = crate::values::phone::parse(&v).is_ok()
                    || crate::values::check_email(&v).is_ok()
                    || v.starts_with("http");
                if !contact {
                    continue;
                }
                contacts += 1;
                let at = range.start + src.text[range.clone()].find(&format!("\"{v}\"")).expect("written") + 1;
                let loc = src.location(at);
                assert!(
                    reported.contains(&(loc.line, loc.col)),
                    "{rel}:{}:{}: `{v}` is not reported as a placeholder ({reported:?})",
                    loc.line,
                    loc.col
                );
            }
        }
        assert!(contacts >= 8, "the starter site gives its contacts ({contacts})");
    }

    fn strings(v: &toml::Value, out: &mut Vec<String>) {
        match v {
            toml::Value::String(s) => out.push(s.clone()),
            toml::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            toml::Value::Table(t) => t.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }

    #[test]
    fn placeholder_phones_end_in_seven_zeros() {
        assert!(is_placeholder_phone("+37050000000"));
        assert!(is_placeholder_phone("+37060000000"));
        assert!(!is_placeholder_phone("+37031556660"));
        assert!(!is_placeholder_phone("+37052000000"));
    }
}
