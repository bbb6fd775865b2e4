//! Entry points shared by the cargo-fuzz targets in tests/fuzz and the regression test
//! tests/suite/fuzz_regressions.rs.
//!
//! Each function takes arbitrary bytes, runs one part of Skaidra on them the way a build does and
//! checks invariants with `assert!`. A panic, in Skaidra or in an assertion here, is a finding.
//! Not part of Skaidra's API.

use crate::config::RawHtml;
use crate::diagnostics::{Code, Location, SourceText};
use crate::lint::easy;
use crate::load::{ItemDir, Kind};
use crate::markdown::{self, Mode};
use crate::resolve::Site;
use crate::source::{split_front_matter, text_from_bytes};
use crate::values::{duration, hours, phone};
use chrono::NaiveDate;
use std::cell::RefCell;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The starter site of `skaidra init`, loaded once per process through the real pipeline (written
/// to a temporary folder, loaded, and the folder removed). Its configuration, interface strings
/// and content give validation and the rewrite stage a real site: `@/` links resolve.
pub fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("skaidra-fuzz-site-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        crate::init::init(&dir).expect("cannot write the starter site");
        let loaded = crate::pipeline::load_site(&dir, None);
        let _ = std::fs::remove_dir_all(&dir);
        match loaded {
            Ok((site, _, _)) => site,
            Err(d) => panic!("the starter site does not load: {d:?}"),
        }
    })
}

/// Shortens an input for assertion messages.
fn show(s: &str) -> String {
    let mut out: String = s.chars().take(300).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    format!("{out:?}")
}

/// Asserts that `loc` is a place in `src`: an existing line, and a column from 1 to one past the
/// line's last character.
fn assert_inside(loc: &Location, src: &SourceText, what: &str) {
    let lines: Vec<&str> = src.text.split('\n').collect();
    assert!(
        loc.line >= 1 && loc.line <= lines.len(),
        "{what}: line {} is outside the {} lines of {}",
        loc.line,
        lines.len(),
        show(&src.text)
    );
    let chars = lines[loc.line - 1].chars().count();
    assert!(
        loc.col >= 1 && loc.col <= chars + 1,
        "{what}: column {} is outside line {} ({chars} characters) of {}",
        loc.col,
        loc.line,
        show(&src.text)
    );
}

/// Checks front matter splitting on one Markdown file.
fn check_split(src: &SourceText) {
    let text = src.text.as_str();
    match split_front_matter(src) {
        Ok(s) => {
            assert!(
                s.fm_offset <= s.body_offset && s.body_offset <= text.len(),
                "split offsets out of order in {}",
                show(text)
            );
            assert!(
                text.is_char_boundary(s.fm_offset) && text.is_char_boundary(s.body_offset),
                "split offsets inside a character in {}",
                show(text)
            );
            assert_eq!(
                &text[s.fm_offset..s.fm_offset + s.front_matter.len()],
                s.front_matter,
                "front matter is not at its offset"
            );
            assert_eq!(&text[s.body_offset..], s.body, "body is not at its offset");
        }
        Err(d) => assert_inside(&d.location, src, "front-matter diagnostic"),
    }
}

/// Front matter and TOML validation. The first byte picks the kind of item; the rest is split at
/// NUL bytes into the fact file (`service.toml`, ...), `index.lt.md` and `easy.lt.md`. Each goes
/// through the UTF-8 check of `load`, then the item is validated as `serve` validates one item.
/// Every problem must come back as a diagnostic located inside the file it names.
pub fn front_matter(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else { return };
    let kind = [Kind::Service, Kind::Provider, Kind::Charter, Kind::Quality, Kind::Page][sel as usize % 5];
    let id = if matches!(kind, Kind::Charter | Kind::Quality) { String::new() } else { "fuzz".to_string() };
    let dir = Path::new("content").join(kind.section()).join(&id);
    let names = [kind.facts_file(), "index.lt.md", "easy.lt.md"];
    let mut files: Vec<Option<SourceText>> = Vec::new();
    let mut parts = rest.splitn(3, |&b| b == 0);
    for name in names {
        let Some(bytes) = parts.next() else {
            files.push(None);
            continue;
        };
        let path = dir.join(name);
        match text_from_bytes(path.clone(), bytes.to_vec()) {
            Ok(s) => files.push(Some(s)),
            Err(d) => {
                assert_eq!(d.code, Code::Encoding);
                assert_eq!(d.location.file, path);
                let lossy = SourceText::new(&path, String::from_utf8_lossy(bytes).into_owned());
                assert_inside(&d.location, &lossy, "encoding diagnostic");
                files.push(None);
            }
        }
    }
    let easy_src = files.pop().flatten();
    let index_src = files.pop().flatten();
    let facts = files.pop().flatten();
    for md in index_src.iter().chain(easy_src.iter()) {
        check_split(md);
    }
    let sources: Vec<SourceText> = facts.iter().chain(index_src.iter()).chain(easy_src.iter()).cloned().collect();
    let lt = crate::lang::Lang::parse("lt").expect("a language code");
    let item = ItemDir {
        kind,
        id,
        dir: dir.clone(),
        facts,
        docs: index_src.into_iter().map(|s| (lt, s)).collect(),
        easy: easy_src.into_iter().map(|s| (lt, s)).collect(),
        assets: Vec::new(),
    };
    let site = site();
    let (out, diags) = crate::validate::validate_one(&item, &site.config, &site.content);
    for d in &diags {
        match sources.iter().find(|s| s.path == d.location.file) {
            Some(src) => assert_inside(&d.location, src, &format!("diagnostic {d}")),
            None => panic!("diagnostic {d} names a file that was not read"),
        }
    }
    if !diags.iter().any(|d| d.is_error()) && item.facts.is_some() {
        assert!(out.is_some(), "no errors, but the item was not validated: {}", show(&String::from_utf8_lossy(data)));
    }
}

/// The raw HTML modes, picked by the low bits of a selector byte.
fn raw_html_mode(sel: u8) -> RawHtml {
    [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Allow][sel as usize % 3]
}

/// Hosts whose iframes survive sanitising in the fuzz targets.
const IFRAME_HOSTS: [&str; 1] = ["maps.example"];

/// Markdown rendering and the rewrite stage. The first byte picks the raw HTML mode (escape,
/// sanitize, allow), easy-read line keeping and the page language; the rest is the Markdown text.
/// Escaped and sanitised output must hold nothing that runs code, before and after the rewrite.
pub fn markdown_rewrite(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else { return };
    let raw_html = raw_html_mode(sel);
    let keep_lines = sel & 4 != 0;
    let lang = if sel & 8 != 0 { "en" } else { "lt" };
    let text = String::from_utf8_lossy(rest).into_owned();
    let src = SourceText::new("content/pages/fuzz/index.lt.md", text.clone());
    let hosts: Vec<String> = IFRAME_HOSTS.iter().map(|s| s.to_string()).collect();
    let mut diags = Vec::new();
    let out = markdown::render(
        &src,
        &text,
        0,
        Mode { raw_html, keep_lines, iframe_hosts: &hosts, marks: true, html: true, plain: true },
        &mut diags,
    );
    for d in &diags {
        assert_inside(&d.location, &src, &format!("diagnostic {d}"));
    }
    for l in &out.links {
        assert_inside(&l.at, &src, &format!("link {}", l.target));
    }
    let mut ids = HashSet::new();
    for h in &out.headings {
        assert!(!h.id.is_empty(), "empty heading id in {}", show(&text));
        assert!(ids.insert(h.id.as_str()), "heading id `{}` used twice in {}", h.id, show(&text));
        assert!((2..=6).contains(&h.level), "heading level {} in {}", h.level, show(&text));
    }
    if raw_html != RawHtml::Allow {
        assert_safe_html(&out.html, raw_html, &text);
    }
    // `check` reads a text with no raw HTML from its marks: they must say what the HTML says.
    if out.marks.is_some() {
        let before = crate::rewrite::Before { heading: sel >> 5, h1s: usize::from(sel & 16 != 0) };
        let marked = crate::rewrite::body_facts(site(), lang, &out.headings, out.marks.as_deref(), before);
        let parsed = crate::rewrite::fragment_facts(site(), lang, &out.html, before);
        assert_eq!(
            format!("{marked:?}"),
            format!("{:?}", parsed.ok()),
            "facts from the marks (left) and from the HTML (right) differ for {}",
            show(&text)
        );
    }
    match crate::rewrite::rewrite(site(), lang, &out.html) {
        Ok((html, _facts)) => {
            if raw_html != RawHtml::Allow {
                assert_safe_html(&html, raw_html, &text);
            }
        }
        Err(e) => assert!(
            raw_html == RawHtml::Allow,
            "the rewrite stage failed on {raw_html:?} output ({e}) of {}",
            show(&text)
        ),
    }
}

/// Elements that must never come out of escaped or sanitised Markdown.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "style", "object", "embed", "applet", "base", "meta", "link", "frame", "frameset", "form", "input",
    "button", "textarea", "select", "template", "svg", "math", "noscript",
];

/// Attributes holding a URL that a browser may load or navigate to.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "cite",
    "data",
    "codebase",
    "srcset",
];

/// Decodes character references the way a browser does in an attribute value (one pass; numeric
/// references and the named ones that can spell a scheme).
fn decode_attribute(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end =
            rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|i| i + 1).unwrap_or(rest.len());
        let name = &rest[1..end];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            n.map(|n| char::from_u32(n).unwrap_or('\u{fffd}'))
        } else {
            match name.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                _ => None,
            }
        };
        match decoded {
            Some(c) if !name.is_empty() => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a URL attribute value would run code (or load an unchecked `data:` document). Reads the
/// scheme as a browser's URL parser does: leading and trailing C0 controls and spaces are dropped,
/// tabs and line breaks anywhere are removed; any other control character ends the scheme (the
/// address is then relative).
fn dangerous_url(value: &str) -> bool {
    let decoded = decode_attribute(value);
    let v: String = decoded
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"].iter().any(|s| v.starts_with(s))
}

/// Asserts that escaped or sanitised HTML holds no script, no event handler, no code-running URL
/// and (unless sanitised to an allowed host) no iframe.
fn assert_safe_html(html: &str, mode: RawHtml, input: &str) {
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "{mode:?} output has a script: {} from {}",
        show(html),
        show(input)
    );
    let problems = RefCell::new(Vec::new());
    let checked = lol_html::rewrite_str(
        html,
        lol_html::RewriteStrSettings::new().append_element_content_handler(lol_html::element!("*", |el| {
            let tag = el.tag_name();
            if FORBIDDEN_TAGS.contains(&tag.as_str()) {
                problems.borrow_mut().push(format!("<{tag}>"));
            }
            // Values as written: lol_html's `value()` decodes them with BOM sniffing, which drops
            // a leading U+FEFF (and a browser does not: `\u{feff}javascript:` is a relative URL).
            let raw = |a: &lol_html::html_content::Attribute<'_>| {
                a.value_source_location().and_then(|l| html.get(l.bytes())).map_or_else(|| a.value(), str::to_string)
            };
            if tag == "iframe" {
                // Sanitising keeps iframes of the allowed hosts; one without an address is empty.
                let src = el.attributes().iter().find(|a| a.name() == "src").map(raw).unwrap_or_default();
                let allowed = |src: &str| {
                    src.trim().is_empty()
                        || url::Url::parse(src).ok().is_some_and(|u| {
                            u.scheme() == "https" && u.host_str().is_some_and(|h| IFRAME_HOSTS.contains(&h))
                        })
                };
                if !(mode == RawHtml::Sanitize && allowed(&decode_attribute(&src))) {
                    problems.borrow_mut().push(format!("<iframe src={src:?}>"));
                }
            }
            for a in el.attributes() {
                let name = a.name();
                if name.starts_with("on") || name == "srcdoc" {
                    problems.borrow_mut().push(format!("attribute {name}"));
                }
                if URL_ATTRIBUTES.contains(&name.as_str()) && dangerous_url(&raw(a)) {
                    problems.borrow_mut().push(format!("{name}={:?}", raw(a)));
                }
            }
            Ok(())
        })),
    );
    if let Err(e) = checked {
        panic!("{mode:?} output is not parseable HTML ({e}): {} from {}", show(html), show(input));
    }
    let problems = problems.into_inner();
    assert!(
        problems.is_empty(),
        "{mode:?} output is unsafe ({}): {} from {}",
        problems.join(", "),
        show(html),
        show(input)
    );
}

/// The value parsers: phone numbers, dates, review periods and opening hours, all on every input
/// (as text, and the date also as a TOML value), with round trips of what they accept.
pub fn values(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let chars: Vec<char> = text.chars().collect();
    let t = show(&text);

    // Phone numbers.
    match phone::parse(&text) {
        Ok(p) => {
            let digits = p.e164.strip_prefix('+').unwrap_or_else(|| panic!("e164 {} has no + for {t}", p.e164));
            assert!(
                digits.chars().all(|c| c.is_ascii_digit()) && (8..=15).contains(&digits.len()),
                "bad e164 {} for {t}",
                p.e164
            );
            let again = phone::parse(&p.e164)
                .unwrap_or_else(|e| panic!("e164 {} of {t} does not parse: {}", p.e164, e.message));
            assert_eq!(again.e164, p.e164, "e164 of {t} is not stable");
            let shown = phone::parse(&p.display)
                .unwrap_or_else(|e| panic!("display {} of {t} does not parse: {}", p.display, e.message));
            assert_eq!(shown.e164, p.e164, "display of {t} is another number");
            if p.e164.starts_with("+370") {
                assert_eq!(digits.len(), 11, "Lithuanian e164 {} of {t}", p.e164);
                assert!(phone::is_grouped_lithuanian_way(&p.display), "display {} of {t} is not grouped", p.display);
            }
        }
        Err(e) => assert!(!e.message.is_empty() && !e.hint.is_empty(), "empty phone error for {t}"),
    }
    let _ = phone::is_grouped_lithuanian_way(&text);
    for (i, run) in phone::find_in_text(&text) {
        let at: String = chars
            .get(i..)
            .unwrap_or_else(|| panic!("phone at {i} is past the end of {t}"))
            .iter()
            .take(run.chars().count())
            .collect();
        assert_eq!(at, run, "found phone is not at its index in {t}");
        assert!(run.chars().filter(char::is_ascii_digit).count() >= 8, "found phone {run:?} is short in {t}");
    }

    // Review periods.
    let dates = [NaiveDate::MIN, NaiveDate::from_ymd_opt(2026, 8, 31).expect("a date"), NaiveDate::MAX];
    if let Ok(p) = duration::parse(&text) {
        for d in dates {
            assert!(p.after(d) >= d, "{p:?} after {d} goes back, for {t}");
        }
    }

    // Opening hours: what is accepted, written back, parses to the same rules.
    if let Ok(rules) = hours::parse(&text) {
        assert!(!rules.is_empty(), "no rules for {t}");
        let written: Vec<String> = rules
            .iter()
            .map(|r| {
                let days = if r.from == r.to { r.from.to_string() } else { format!("{}-{}", r.from, r.to) };
                let times: Vec<String> = r.times.iter().map(|(a, b)| format!("{a}-{b}")).collect();
                format!("{days} {}", times.join(","))
            })
            .collect();
        let written = written.join("; ");
        assert_eq!(
            hours::parse(&written).as_ref(),
            Ok(&rules),
            "{written:?} (written back from {t}) parses differently"
        );
    }

    // Dates: as text (`"2026-10-01"`) and as a TOML value (`2026-10-01`).
    let site = site();
    let check_date = |v: &toml::Value| {
        if let Ok(d) = crate::validate::date_value(v) {
            let written = d.format("%Y-%m-%d").to_string();
            if (1000..=9999).contains(&chrono::Datelike::year(&d)) {
                assert_eq!(
                    crate::validate::date_value(&toml::Value::String(written.clone())),
                    Ok(d),
                    "{written} (from {t}) does not parse back"
                );
            }
            for lang in site.config.lang_codes() {
                assert!(!crate::render::human_date(site, lang, d).is_empty(), "empty {lang} date for {t}");
            }
        }
    };
    check_date(&toml::Value::String(text.clone()));
    if let Ok(table) = toml::from_str::<toml::Table>(&format!("d = {text}"))
        && let Some(v) = table.get("d")
    {
        check_date(v);
    }
}

/// The easy-read sentence splitter and lint. The first byte picks the language, the level (0 to 3;
/// 0 checks the clamp) and the line the body starts on; the rest is `title\nbody`.
pub fn easy_sentences(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest).into_owned();
    let t = show(&text);
    let chars: Vec<char> = text.chars().collect();
    for (start, s) in easy::sentences(&text) {
        assert!(!s.is_empty() && s.trim() == s, "sentence {s:?} is empty or untrimmed in {t}");
        assert!(start <= chars.len(), "sentence start {start} is past the end of {t}");
        let at: String = chars[start..].iter().take(s.chars().count()).collect();
        assert_eq!(at, s, "sentence start {start} does not point at the sentence in {t}");
    }
    let site = site();
    let lang = if sel & 1 == 0 { "lt" } else { "en" };
    let level = (sel >> 1) % 4;
    let first_line = 1 + ((sel >> 3) as usize);
    let (title, body) = text.split_once('\n').unwrap_or((text.as_str(), ""));
    let file = PathBuf::from(format!("content/services/fuzz/easy.{lang}.md"));
    let words = easy::Words::from_strings(site.i18n.lang(lang));
    let entry = |term: &str, forms: &[&str]| crate::model::GlossaryEntry {
        term: term.to_string(),
        explanation: String::new(),
        forms: forms.iter().map(|f| f.to_string()).collect(),
    };
    let glossary = [entry("Socialinis darbuotojas", &["socialinio darbuotojo"]), entry("Help", &[])];
    let lint_text =
        easy::Text { file: &file, lang, level, title, title_line: 2, body, first_line, glossary: &glossary };
    let lines: Vec<&str> = body.lines().collect();
    let linted = easy::lint(&lint_text, &site.config.easy_read.lint, &words);
    if let Some(r) = linted.readability {
        assert!(r.lix.is_finite() && r.lix >= 0.0 && r.long_words <= r.words, "readability {r:?} of {t}");
    }
    for d in linted.diagnostics {
        if d.code == Code::EasyReadability {
            assert_eq!(d.location.line, 2, "{d}: the readability is reported at the title of {t}");
            continue;
        }
        assert_eq!(d.location.file, file);
        if d.code == Code::EasySentence && d.location.line == 2 && d.message.starts_with("the title") {
            continue;
        }
        let idx = d.location.line.checked_sub(first_line).unwrap_or_else(|| panic!("{d} is before the body of {t}"));
        let line = lines.get(idx).unwrap_or_else(|| panic!("{d} is after the body of {t}"));
        let n = line.chars().count();
        assert!(d.location.col >= 1 && d.location.col <= n + 1, "{d}: column outside the line ({n} characters) of {t}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_urls_are_read_as_a_browser_reads_them() {
        for bad in [
            "javascript:x",
            " \u{1}JavaScript:x",
            "java\tscript:x",
            "&#106;avascript:x",
            "&#x6A;avascript&colon;x",
            "vbscript:x",
            "data:text/html,x",
        ] {
            assert!(dangerous_url(bad), "{bad:?}");
        }
        for ok in [
            "https://example.lt/",
            "/a/b#c",
            "ja\u{16}vascript:x",
            "&amp;#106;avascript:x",
            "%6Aavascript:x",
            "tel:+37031556660",
        ] {
            assert!(!dangerous_url(ok), "{ok:?}");
        }
    }

    #[test]
    fn the_html_check_finds_what_it_must() {
        let bad = std::panic::catch_unwind(|| {
            assert_safe_html("<p><a href=\" javascript:x\">a</a></p>", RawHtml::Sanitize, "")
        });
        assert!(bad.is_err());
        let bad = std::panic::catch_unwind(|| assert_safe_html("<img src=x onerror=alert(1)>", RawHtml::Escape, ""));
        assert!(bad.is_err());
        assert_safe_html(
            "<p><a href=\"https://x.lt\" title=\"javascript: a language\">a</a></p><iframe src=\"https://maps.example/m\"></iframe>",
            RawHtml::Sanitize,
            "",
        );
        // A leading U+FEFF makes the address relative (found by fuzzing: lol_html drops it).
        assert_safe_html("<a href=\"\u{feff}javascript:x\">a</a>", RawHtml::Sanitize, "");
    }
}
