//! The easy-read lint: checks easy-read texts line by line, as written, so every finding points at
//! the author's own line and column.
//!
//! Word lists (number words, jargon and abbreviations, capitals that are allowed) come from the
//! language's i18n file (`easy_lint.*`); limits come from `[easy_read.lint]` in site.toml.

use crate::config::EasyLintConfig;
use crate::diagnostics::{Diagnostic, Location};
use crate::values::phone;
use std::path::Path;

/// The word lists of one language.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub number_words: Vec<String>,
    pub jargon: Vec<String>,
    pub allowed_caps: Vec<String>,
}

impl Words {
    /// Reads the lists from a language's strings (`easy_lint.number_words` etc., `|`-joined arrays).
    pub fn from_strings(s: &crate::i18n::Strings) -> Self {
        let list = |k: &str| -> Vec<String> {
            s.flat
                .get(k)
                .map(|v| v.split('|').filter(|x| !x.is_empty()).map(str::to_string).collect())
                .unwrap_or_default()
        };
        Words {
            number_words: list("easy_lint.number_words"),
            jargon: list("easy_lint.jargon"),
            allowed_caps: list("easy_lint.allowed_caps"),
        }
    }
}

/// One easy-read text to lint.
pub struct Text<'a> {
    pub file: &'a Path,
    pub lang: &'a str,
    pub level: u8,
    pub title: &'a str,
    /// The line of `title` in the file.
    pub title_line: usize,
    /// The Markdown body as written, and the file line it starts on.
    pub body: &'a str,
    pub first_line: usize,
}

fn warn(code: &'static str, file: &Path, line: usize, col: usize, msg: String, hint: &str) -> Diagnostic {
    Diagnostic::warning(code, Location { file: file.to_path_buf(), line, col }, msg).with_hint(hint)
}

/// Strips Markdown syntax from one line, keeping what a reader reads. Returns the text and, for
/// every char of it, its char column in the original line.
fn readable(line: &str) -> (String, Vec<usize>) {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut cols = Vec::new();
    let mut i = 0;
    // Block markers.
    while i < chars.len() && (chars[i] == ' ' || chars[i] == '#' || chars[i] == '>') {
        i += 1;
    }
    if i + 1 < chars.len() && (chars[i] == '-' || chars[i] == '*' || chars[i] == '+') && chars[i + 1] == ' ' {
        i += 2;
    } else {
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j > i && j + 1 < chars.len() && (chars[j] == '.' || chars[j] == ')') && chars[j + 1] == ' ' {
            i = j + 2;
        }
    }
    while i < chars.len() {
        let c = chars[i];
        // Images: dropped entirely.
        if c == '!' && chars.get(i + 1) == Some(&'[') {
            if let Some(end) = find_link_end(&chars, i + 1) {
                i = end;
                continue;
            }
        }
        // Links: keep the text.
        if c == '[' {
            if let Some(end) = find_link_end(&chars, i) {
                let close = chars[i..].iter().position(|&x| x == ']').map(|p| p + i).unwrap_or(i);
                for (k, &ch) in chars.iter().enumerate().take(close).skip(i + 1) {
                    out.push(ch);
                    cols.push(k + 1);
                }
                i = end;
                continue;
            }
        }
        if c == '*' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            continue;
        }
        out.push(c);
        cols.push(i + 1);
        i += 1;
    }
    (out, cols)
}

/// For `[text](target)` starting at `open` (the `[`), the index after the closing `)`.
fn find_link_end(chars: &[char], open: usize) -> Option<usize> {
    let close = chars[open..].iter().position(|&x| x == ']')? + open;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = chars[close..].iter().position(|&x| x == ')')? + close;
    Some(end + 1)
}

/// Splits text into sentences: (start char index, sentence). A sentence ends at `.`, `!` or `?`
/// followed by a space or the end, unless the dot follows a digit or a single letter (initials).
pub fn sentences(text: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at_end = i + 1 == chars.len() || chars[i + 1].is_whitespace();
        let is_stop = matches!(c, '.' | '!' | '?' | '…');
        let after_digit =
            c == '.' && i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if is_stop && at_end && !after_digit {
            let s: String = chars[start..=i].iter().collect();
            if !s.trim().is_empty() {
                let lead = s.chars().take_while(|c| c.is_whitespace()).count();
                out.push((start + lead, s.trim().to_string()));
            }
            start = i + 1;
        }
        i += 1;
    }
    let rest: String = chars[start.min(chars.len())..].iter().collect();
    if !rest.trim().is_empty() {
        let lead = rest.chars().take_while(|c| c.is_whitespace()).count();
        out.push((start + lead, rest.trim().to_string()));
    }
    out
}

fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    s.split(' ').filter_map(move |w| {
        let start = pos;
        pos += w.chars().count() + 1;
        let trimmed = w.trim_matches(|c: char| !c.is_alphanumeric());
        (!trimmed.is_empty()).then_some((start + w.chars().take_while(|c| !c.is_alphanumeric()).count(), trimmed))
    })
}

fn looks_like_numeric_date(w: &str) -> bool {
    let parts: Vec<&str> = w.split(['-', '.', '/']).collect();
    parts.len() == 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && parts.iter().any(|p| p.len() == 4 || p.len() == 2)
}

/// Lints one easy-read text.
pub fn lint(text: &Text<'_>, cfg: &EasyLintConfig, words_list: &Words) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let max_words = cfg.max_sentence_words[(text.level.clamp(1, 3) - 1) as usize];
    let max_len = cfg.max_word_length.get(text.lang).copied().unwrap_or(15);
    let file = text.file;
    let mut para_sentences = 0;
    let mut para_start = 0;
    let mut in_code = false;
    let lines: Vec<&str> = text.body.lines().collect();
    // The jargon is searched for on every line: each term's searcher is made once per text.
    let jargon: Vec<(&str, memchr::memmem::Finder<'_>)> =
        words_list.jargon.iter().map(|t| (t.as_str(), memchr::memmem::Finder::new(t))).collect();
    // A word with no letter that lowercasing changes is compared with the number words as it is
    // (no lowercased copy).
    let unchanged = |c: char| {
        let mut l = c.to_lowercase();
        l.next() == Some(c) && l.next().is_none()
    };
    // Examples in the text's own language (Lithuanian words make no sense in an English text).
    let symbol_hint = if text.lang == "lt" {
        "write it in words (\"procentai\", \"eurai\", \"ir\"), or make two sentences"
    } else {
        "write it in words (\"percent\", \"euros\", \"and\"), or make two sentences"
    };
    for (idx, raw) in lines.iter().enumerate() {
        let line_no = text.first_line + idx;
        if raw.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let is_block_start = raw.trim_start().starts_with('#')
            || raw.trim_start().starts_with("- ")
            || raw.trim_start().starts_with("* ");
        if raw.trim().is_empty() || is_block_start {
            if para_sentences > cfg.max_paragraph_sentences {
                out.push(warn(
                    "easy-paragraph",
                    file,
                    para_start,
                    1,
                    format!(
                        "this paragraph has {para_sentences} sentences; easy-read paragraphs have at most {}",
                        cfg.max_paragraph_sentences
                    ),
                    "split it into shorter paragraphs with a blank line",
                ));
            }
            para_sentences = 0;
            if raw.trim().is_empty() {
                continue;
            }
        }
        if para_sentences == 0 {
            para_start = line_no;
        }
        let (plain, cols) = readable(raw);
        let col_of = |char_idx: usize| cols.get(char_idx).copied().unwrap_or(1);
        // Italics and underline: only bold is used for emphasis.
        // (Most lines have no `*` or `_`: they need no copy without the bold markers.)
        let stripped_bold =
            if raw.contains(['*', '_']) { raw.replace("**", "").replace("__", "") } else { String::new() };
        if let Some(p) = stripped_bold.find(|c| c == '*' || c == '_').filter(|&p| {
            let rest = &stripped_bold[p + 1..];
            let ch = stripped_bold.as_bytes()[p] as char;
            !raw.trim_start().starts_with("* ")
                && rest.contains(ch)
                && !stripped_bold.contains("pictogram:")
                && !stripped_bold[p..].starts_with("_ ")
        }) {
            out.push(warn(
                "easy-italics",
                file,
                line_no,
                stripped_bold[..p].chars().count() + 1,
                "italic emphasis is hard to read".into(),
                "use **bold** for the few words that matter, or no emphasis",
            ));
        }
        for tag in ["<em>", "<i>", "<u>"].into_iter().filter(|_| raw.contains('<')) {
            if let Some(p) = raw.find(tag) {
                out.push(warn(
                    "easy-italics",
                    file,
                    line_no,
                    raw[..p].chars().count() + 1,
                    format!("`{tag}` emphasis is hard to read"),
                    "use **bold** instead",
                ));
            }
        }
        for (start, sentence) in sentences(&plain) {
            para_sentences += 1;
            let n = words(&sentence).filter(|(_, w)| w.chars().any(char::is_alphanumeric)).count();
            if n > max_words {
                out.push(warn(
                    "easy-sentence",
                    file,
                    line_no,
                    col_of(start),
                    format!(
                        "this sentence has {n} words; level {} easy-read sentences have at most {max_words}",
                        text.level
                    ),
                    "split it into two sentences, one idea each",
                ));
            }
        }
        for (start, w) in words(&plain) {
            let col = col_of(start);
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            if letters > max_len && !w.contains('@') && !w.contains("://") {
                out.push(warn(
                    "easy-long-word",
                    file,
                    line_no,
                    col,
                    format!("`{w}` has {letters} letters (the limit for `{}` is {max_len})", text.lang),
                    "use a shorter, everyday word, or explain it in the glossary",
                ));
            }
            let lower = if words_list.number_words.is_empty() || w.chars().all(unchanged) {
                std::borrow::Cow::Borrowed(w)
            } else {
                std::borrow::Cow::Owned(w.to_lowercase())
            };
            if words_list.number_words.iter().any(|n| *n == lower) {
                out.push(warn(
                    "easy-number-word",
                    file,
                    line_no,
                    col,
                    format!("`{w}` is a number written as a word"),
                    "write numbers as digits (2, not two)",
                ));
            }
            if looks_like_numeric_date(w) {
                out.push(warn(
                    "easy-date",
                    file,
                    line_no,
                    col,
                    format!("`{w}` is a date in a form that is hard to read"),
                    "write dates in words, like 2026 m. spalio 1 d. or 1 October 2026",
                ));
            }
            if letters >= 4
                && w.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
                && !words_list.allowed_caps.iter().any(|a| a == w)
            {
                out.push(warn(
                    "easy-capitals",
                    file,
                    line_no,
                    col,
                    format!("`{w}` is written in capitals"),
                    "write words in normal letters; explain abbreviations in words",
                ));
            }
        }
        for (term, finder) in &jargon {
            let mut from = 0;
            while let Some(p) = finder.find(&plain.as_bytes()[from..]).map(|p| p + from) {
                let before_ok = plain[..p].chars().last().is_none_or(|c| !c.is_alphanumeric());
                let after_ok =
                    plain[p + term.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric() || term.ends_with('.'));
                if before_ok && after_ok {
                    out.push(warn(
                        "easy-jargon",
                        file,
                        line_no,
                        col_of(plain[..p].chars().count()),
                        format!("`{term}` is an abbreviation or jargon"),
                        "write the words in full, in everyday language",
                    ));
                }
                from = p + term.len();
            }
        }
        for (i, c) in plain.chars().enumerate() {
            let sign = match c {
                ';' => Some("a semicolon"),
                '(' | ')' | '[' | ']' => Some("a bracket"),
                '%' => Some("the % sign"),
                '€' | '$' => Some("a currency sign"),
                '&' => Some("the & sign"),
                _ => None,
            };
            if let Some(what) = sign {
                out.push(warn("easy-symbol", file, line_no, col_of(i), format!("{what} is hard to read"), symbol_hint));
            }
        }
        for (i, run) in phone::find_in_text(&plain) {
            if !phone::is_grouped_lithuanian_way(&run) {
                out.push(warn(
                    "easy-phone",
                    file,
                    line_no,
                    col_of(i),
                    format!("the phone number `{run}` is not grouped the Lithuanian way"),
                    "write it like +370 315 56 660",
                ));
            }
        }
    }
    if para_sentences > cfg.max_paragraph_sentences {
        out.push(warn(
            "easy-paragraph",
            file,
            para_start,
            1,
            format!(
                "this paragraph has {para_sentences} sentences; easy-read paragraphs have at most {}",
                cfg.max_paragraph_sentences
            ),
            "split it into shorter paragraphs with a blank line",
        ));
    }
    let title_words = text.title.split_whitespace().count();
    if title_words > max_words {
        out.push(warn(
            "easy-sentence",
            file,
            text.title_line,
            1,
            format!("the title has {title_words} words"),
            "use a short title",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str, lang: &str) -> Vec<Diagnostic> {
        let words = Words {
            number_words: vec!["du".into(), "trys".into(), "two".into()],
            jargon: vec!["VšĮ".into(), "soc.".into(), "BĮ".into()],
            allowed_caps: vec!["EQUASS".into()],
        };
        lint(
            &Text { file: Path::new("easy.lt.md"), lang, level: 2, title: "T", title_line: 2, body, first_line: 5 },
            &EasyLintConfig::default(),
            &words,
        )
    }

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code).collect()
    }

    #[test]
    fn clean_text_passes() {
        let d = run("## Kas tai yra\n\n![](pictogram:phone) Skambinkite +370 315 56 660.\nMes jums padėsime.\n", "lt");
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn finds_each_rule_with_its_line() {
        let body = "Tai labai ilgas sakinys kuriame yra daug žodžių ir jis niekaip nesibaigia greitai.\nNepriklausomybės žodis.\nAteikite du kartus.\nSusitikimas 2026-10-01.\nKreipkitės į VšĮ centrą.\nKaina; nemokama.\nMokestis 10 % pajamų.\nTai SVARBU.\nSkambinkite +37031556660.\nTai *svarbu*.\n";
        let d = run(body, "lt");
        let c = codes(&d);
        for code in [
            "easy-sentence",
            "easy-long-word",
            "easy-number-word",
            "easy-date",
            "easy-jargon",
            "easy-symbol",
            "easy-capitals",
            "easy-phone",
            "easy-italics",
        ] {
            assert!(c.contains(&code), "missing {code}: {d:#?}");
        }
        let line_of = |code: &str| d.iter().find(|x| x.code == code).unwrap().location.line;
        assert_eq!(line_of("easy-sentence"), 5);
        assert_eq!(line_of("easy-long-word"), 6);
        assert_eq!(line_of("easy-phone"), 13);
        let jargon = d.iter().find(|x| x.code == "easy-jargon").unwrap();
        assert_eq!(jargon.location.col, 14);
    }

    /// Number words are found whatever their case (a word with capitals is lowercased, one
    /// without is compared as it is), and italics only where a line has `*` or `_`.
    #[test]
    fn number_words_in_any_case_and_italics() {
        let d = run("Trys kartai.\nAteikite TRYS kartus.\nTai _labai_ gerai.\nTai **labai** gerai.\n", "lt");
        let lines = |code: &str| d.iter().filter(|x| x.code == code).map(|x| x.location.line).collect::<Vec<_>>();
        assert_eq!(lines("easy-number-word"), [5, 6], "{d:#?}");
        assert_eq!(lines("easy-italics"), [7], "{d:#?}");
    }

    #[test]
    fn long_paragraphs_are_found() {
        let d = run("Labas.\nAčiū.\nGerai.\nPuiku.\nTaip.\nNe.\n", "lt");
        assert_eq!(codes(&d), ["easy-paragraph"]);
    }

    #[test]
    fn sentence_splitting() {
        let s = sentences("Sveiki. Kaip sekasi? Gerai 2.5 karto!");
        assert_eq!(s.len(), 3);
        assert_eq!(s[1].1, "Kaip sekasi?");
    }

    #[test]
    fn sentence_starts_count_characters_not_bytes() {
        // Found by fuzzing (tests/fuzz/crashes/easy_sentences/multibyte-space-before-sentence):
        // the start skipped the leading space's bytes, so sentences after a no-break space
        // pointed past their first letter.
        let s = sentences("Taip.\u{a0}Labas. Kaip?\u{2000}.");
        let starts: Vec<usize> = s.iter().map(|(i, _)| *i).collect();
        assert_eq!(starts, [0, 6, 13, 19], "{s:?}");
        let chars: Vec<char> = "Taip.\u{a0}Labas. Kaip?\u{2000}.".chars().collect();
        for (i, text) in &s {
            assert_eq!(chars[*i..*i + text.chars().count()].iter().collect::<String>(), *text);
        }
    }
}
