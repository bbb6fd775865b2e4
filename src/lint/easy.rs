//! The easy-read lint: checks easy-read texts line by line, as written, so every finding points at
//! the author's own line and column.
//!
//! Word lists (number words, jargon and abbreviations, capitals that are allowed) come from the
//! language's i18n file (`easy_lint.*`); limits come from `[easy_read.lint]` in site.toml.

use crate::config::EasyLintConfig;
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::model::GlossaryEntry;
use crate::values::phone;
use std::collections::HashSet;
use std::path::Path;

/// The word lists of one language.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub number_words: Vec<String>,
    pub jargon: Vec<String>,
    pub allowed_caps: Vec<String>,
    /// How negative questions start (`easy_lint.negative_questions`).
    pub negative_questions: Vec<QuestionPattern>,
    /// Endings the language's words take (`easy_lint.endings`), longest first: a word without
    /// its ending is its stem, for finding the glossary's words in other forms.
    pub endings: Vec<String>,
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
            negative_questions: list("easy_lint.negative_questions")
                .iter()
                .filter_map(|p| QuestionPattern::parse(p))
                .collect(),
            endings: endings(list("easy_lint.endings")),
        }
    }
}

/// Endings in lower case, longest first.
fn endings(mut list: Vec<String>) -> Vec<String> {
    for e in &mut list {
        *e = e.trim().to_lowercase();
    }
    list.retain(|e| !e.is_empty());
    list.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    list.dedup();
    list
}

/// How a negative question starts, as written in `easy_lint.negative_questions`: words in lower
/// case, a word ending in `*` for any word that begins so (`ar ne*` is "Ar nesate", "Ar nežinote");
/// a leading `!` makes it an exception (`!ar neįgal*`: "Ar neįgalieji..." asks about disabled
/// people, not in the negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionPattern {
    /// Each word, and whether it is a beginning (`ne*`) rather than the whole word.
    words: Vec<(String, bool)>,
    exception: bool,
}

impl QuestionPattern {
    pub fn parse(pattern: &str) -> Option<QuestionPattern> {
        let p = pattern.trim();
        let (exception, p) = match p.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, p),
        };
        let words: Vec<(String, bool)> = p
            .split_whitespace()
            .map(|w| {
                let w = normalise_word(w);
                match w.strip_suffix('*') {
                    Some(begin) => (begin.to_string(), true),
                    None => (w, false),
                }
            })
            .collect();
        (!words.is_empty()).then_some(QuestionPattern { words, exception })
    }

    /// Whether the question whose first words (normalised) are `words` starts so.
    fn starts(&self, words: &[String]) -> bool {
        self.words.len() <= words.len()
            && self
                .words
                .iter()
                .zip(words)
                .all(|((p, begins), w)| if *begins { w.starts_with(p.as_str()) } else { w == p })
    }
}

/// A word as the patterns and the glossary compare it: lower case, typographic apostrophes as `'`.
fn normalise_word(w: &str) -> String {
    w.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'")
}

/// Whether a question (its words, normalised) is asked in the negative: an opening matches and no
/// exception does.
fn negative_question(patterns: &[QuestionPattern], words: &[String]) -> bool {
    patterns.iter().any(|p| !p.exception && p.starts(words)) && !patterns.iter().any(|p| p.exception && p.starts(words))
}

/// The stem of a word in lower case: the word without the longest of `endings` it ends with,
/// keeping at least three letters. A rule of thumb, not a dictionary: it finds forms that differ
/// only in their ending ("darbuotojas", "darbuotojo", "darbuotojams"), not forms whose stem
/// changes ("asmuo", "asmens"; "child", "children").
pub fn stem<'w>(word: &'w str, endings: &[String]) -> &'w str {
    for e in endings {
        if let Some(s) = word.strip_suffix(e.as_str())
            && s.chars().count() >= 3
        {
            return s;
        }
    }
    word
}

/// How hard a text is to read: LIX (Björnsson's readability index), the average number of words
/// per sentence plus the share of long words (more than six letters) in percent. It counts no
/// syllables, so it works for any language written with spaces between words. Headings are left
/// out; a line without a full stop counts as a sentence (easy-read texts have one a line).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Readability {
    pub words: usize,
    pub sentences: usize,
    pub long_words: usize,
    /// Rounded to one decimal.
    pub lix: f64,
}

impl Readability {
    /// `None` for a text without words.
    pub fn new(words: usize, sentences: usize, long_words: usize) -> Option<Readability> {
        if words == 0 || sentences == 0 {
            return None;
        }
        let lix = words as f64 / sentences as f64 + 100.0 * long_words as f64 / words as f64;
        Some(Readability { words, sentences, long_words, lix: (lix * 10.0).round() / 10.0 })
    }
}

/// The fewest words a text needs for its readability score to be judged: on a few sentences one
/// long word moves the score by ten points.
pub const MIN_LIX_WORDS: usize = 50;

/// The readability of one easy-read text, as `check` reports it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TextReadability {
    pub file: std::path::PathBuf,
    pub lang: String,
    pub title: String,
    pub level: u8,
    #[serde(flatten)]
    pub readability: Readability,
    /// The level's limit (`max_lix`).
    pub max_lix: u32,
    /// Over the limit, with enough words to judge (the text has an `easy-readability` warning).
    pub over: bool,
}

/// What the lint found in one text.
#[derive(Debug, Clone)]
pub struct Linted {
    pub diagnostics: Vec<Diagnostic>,
    /// The text's readability (`None` when it has no words).
    pub readability: Option<Readability>,
}

/// A glossary word prepared for the lint.
struct Term<'a> {
    /// As the glossary writes it.
    written: &'a str,
    /// Its words, normalised, and their stems.
    words: Vec<String>,
    stems: Vec<String>,
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
    /// The front matter's glossary: its words and the other forms of them it lists.
    pub glossary: &'a [GlossaryEntry],
}

fn warn(code: Code, file: &Path, line: usize, col: usize, msg: String, hint: &str) -> Diagnostic {
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
        if c == '!'
            && chars.get(i + 1) == Some(&'[')
            && let Some(end) = find_link_end(&chars, i + 1)
        {
            i = end;
            continue;
        }
        // Links: keep the text.
        if c == '['
            && let Some(end) = find_link_end(&chars, i)
        {
            let close = chars[i..].iter().position(|&x| x == ']').map(|p| p + i).unwrap_or(i);
            for (k, &ch) in chars.iter().enumerate().take(close).skip(i + 1) {
                out.push(ch);
                cols.push(k + 1);
            }
            i = end;
            continue;
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

/// Lints one easy-read text and measures its readability.
pub fn lint(text: &Text<'_>, cfg: &EasyLintConfig, words_list: &Words) -> Linted {
    let mut out = Vec::new();
    let level = (text.level.clamp(1, 3) - 1) as usize;
    let max_words = cfg.max_sentence_words[level];
    // Readability (LIX): words, sentences and long words of the text outside headings.
    let (mut lix_words, mut lix_sentences, mut lix_long) = (0, 0, 0);
    // The glossary's words, and the other forms of them its entries list.
    let terms: Vec<Term<'_>> = text
        .glossary
        .iter()
        .map(|g| {
            let words: Vec<String> = words(&g.term).map(|(_, w)| normalise_word(w)).collect();
            let stems = words.iter().map(|w| stem(w, &words_list.endings).to_string()).collect();
            Term { written: &g.term, words, stems }
        })
        .filter(|t| !t.words.is_empty())
        .collect();
    let known_forms: HashSet<String> = text
        .glossary
        .iter()
        .flat_map(|g| &g.forms)
        .map(|f| words(f).map(|(_, w)| normalise_word(w)).collect::<Vec<_>>().join(" "))
        .collect();
    // Per glossary word: whether the reader meets it as the glossary writes it (the title counts),
    // and the other forms met, each once, with where it is first met.
    let mut forms = vec![TermUse::default(); terms.len()];
    let title_words: Vec<(usize, &str)> = words(text.title).collect();
    term_uses(&terms, &known_forms, &title_words, &words_list.endings, &mut forms, text.title_line, |_| 1);
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
    // A paragraph of more sentences than the limit, reported at its first line.
    let long_paragraph = |out: &mut Vec<Diagnostic>, sentences: usize, start: usize| {
        if sentences > cfg.max_paragraph_sentences {
            out.push(warn(
                Code::EasyParagraph,
                file,
                start,
                1,
                format!(
                    "this paragraph has {sentences} sentences; easy-read paragraphs have at most {}",
                    cfg.max_paragraph_sentences
                ),
                "split it into shorter paragraphs with a blank line",
            ));
        }
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
            long_paragraph(&mut out, para_sentences, para_start);
            para_sentences = 0;
            if raw.trim().is_empty() {
                continue;
            }
        }
        if para_sentences == 0 {
            para_start = line_no;
        }
        let heading = raw.trim_start().starts_with('#');
        let (plain, cols) = readable(raw);
        let col_of = |char_idx: usize| cols.get(char_idx).copied().unwrap_or(1);
        // Italics and underline: only bold is used for emphasis.
        // (Most lines have no `*` or `_`: they need no copy without the bold markers.)
        let stripped_bold =
            if raw.contains(['*', '_']) { raw.replace("**", "").replace("__", "") } else { String::new() };
        if let Some(p) = stripped_bold.find(['*', '_']).filter(|&p| {
            let rest = &stripped_bold[p + 1..];
            let ch = stripped_bold.as_bytes()[p] as char;
            !raw.trim_start().starts_with("* ")
                && rest.contains(ch)
                && !stripped_bold.contains("pictogram:")
                && !stripped_bold[p..].starts_with("_ ")
        }) {
            out.push(warn(
                Code::EasyItalics,
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
                    Code::EasyItalics,
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
            if !heading {
                lix_sentences += 1;
            }
            if sentence.ends_with('?') && !words_list.negative_questions.is_empty() {
                let opening: Vec<String> = words(&sentence).take(4).map(|(_, w)| normalise_word(w)).collect();
                if negative_question(&words_list.negative_questions, &opening) {
                    let all: Vec<&str> = sentence.split_whitespace().collect();
                    let shown = all[..all.len().min(5)].join(" ");
                    let more = if all.len() > 5 { "…" } else { "" };
                    out.push(warn(
                        Code::EasyNegativeQuestion,
                        file,
                        line_no,
                        col_of(start),
                        format!("`{shown}{more}` is a negative question, which many readers answer the wrong way"),
                        "ask it the positive way (\"Do you know…?\", not \"Don't you know…?\"), or say what to do (\"If you are not sure, call us.\")",
                    ));
                }
            }
            let n = words(&sentence).filter(|(_, w)| w.chars().any(char::is_alphanumeric)).count();
            if n > max_words {
                out.push(warn(
                    Code::EasySentence,
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
        let line_words: Vec<(usize, &str)> = words(&plain).collect();
        if !terms.is_empty() {
            term_uses(&terms, &known_forms, &line_words, &words_list.endings, &mut forms, line_no, |i| {
                col_of(line_words[i].0)
            });
        }
        for &(start, w) in &line_words {
            let col = col_of(start);
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            if !heading && letters > 0 {
                lix_words += 1;
                if letters > 6 && !w.contains('@') && !w.contains("://") {
                    lix_long += 1;
                }
            }
            if letters > max_len && !w.contains('@') && !w.contains("://") {
                out.push(warn(
                    Code::EasyLongWord,
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
                    Code::EasyNumberWord,
                    file,
                    line_no,
                    col,
                    format!("`{w}` is a number written as a word"),
                    "write numbers as digits (2, not two)",
                ));
            }
            if looks_like_numeric_date(w) {
                out.push(warn(
                    Code::EasyDate,
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
                    Code::EasyCapitals,
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
                        Code::EasyJargon,
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
                out.push(warn(
                    Code::EasySymbol,
                    file,
                    line_no,
                    col_of(i),
                    format!("{what} is hard to read"),
                    symbol_hint,
                ));
            }
        }
        for (i, run) in phone::find_in_text(&plain) {
            if !phone::is_grouped_lithuanian_way(&run) {
                out.push(warn(
                    Code::EasyPhone,
                    file,
                    line_no,
                    col_of(i),
                    format!("the phone number `{run}` is not grouped the Lithuanian way"),
                    "write it like +370 315 56 660",
                ));
            }
        }
    }
    long_paragraph(&mut out, para_sentences, para_start);
    let title_words = text.title.split_whitespace().count();
    if title_words > max_words {
        out.push(warn(
            Code::EasySentence,
            file,
            text.title_line,
            1,
            format!("the title has {title_words} words"),
            "use a short title",
        ));
    }
    for (t, u) in terms.iter().zip(&forms) {
        let Some((line, col, _)) = u.others.first().filter(|_| !u.own) else { continue };
        let listed: Vec<String> = u.others.iter().take(3).map(|(_, _, f)| format!("`{f}`")).collect();
        let all: Vec<String> = u.others.iter().map(|(_, _, f)| format!("\"{f}\"")).collect();
        out.push(warn(
            Code::EasyGlossaryForm,
            file,
            *line,
            *col,
            format!(
                "the glossary explains `{}`, but the text never writes it so: only as {}{}",
                t.written,
                listed.join(", "),
                if u.others.len() > 3 { ", ..." } else { "" }
            ),
            &format!(
                "readers look a word up as the glossary writes it: write \"{}\" where the word first appears, or add the forms the text uses to the glossary entry (forms = [{}]), which the glossary then shows",
                t.written,
                all.join(", ")
            ),
        ));
    }
    let readability = Readability::new(lix_words, lix_sentences, lix_long);
    if let Some(r) = readability.filter(|r| r.words >= MIN_LIX_WORDS) {
        let max = cfg.max_lix.for_lang(text.lang)[level];
        if r.lix > max as f64 {
            out.push(warn(
                Code::EasyReadability,
                file,
                text.title_line,
                1,
                format!(
                    "the text's readability score (LIX) is {:.0}; level {} easy-read texts stay at or below {max}",
                    r.lix, text.level
                ),
                "LIX grows with long sentences and long words: split sentences, and use short everyday words",
            ));
        }
    }
    Linted { diagnostics: out, readability }
}

/// How a text uses one glossary word.
#[derive(Debug, Clone, Default)]
struct TermUse {
    /// The text writes it as the glossary does (or in a form the entry lists).
    own: bool,
    /// Other forms (normalised), each once: (line, column, form) where first met.
    others: Vec<(usize, usize, String)>,
}

/// Notes how one line (its words) uses the glossary's words: a run of words with the stems of a
/// glossary word's words is the word itself when its forms are the glossary's (or a form the
/// entry lists), else another form of it. `col` gives the column of the line's `i`-th word.
fn term_uses(
    terms: &[Term<'_>],
    known: &HashSet<String>,
    line: &[(usize, &str)],
    endings: &[String],
    uses: &mut [TermUse],
    line_no: usize,
    col: impl Fn(usize) -> usize,
) {
    let normal: Vec<String> = line.iter().map(|(_, w)| normalise_word(w)).collect();
    let stems: Vec<&str> = normal.iter().map(|w| stem(w, endings)).collect();
    for (t, u) in terms.iter().zip(uses.iter_mut()) {
        let n = t.words.len();
        for i in (0..stems.len()).filter(|&i| i + n <= stems.len()) {
            if stems[i..i + n].iter().zip(&t.stems).any(|(a, b)| a != b) {
                continue;
            }
            let form = normal[i..i + n].join(" ");
            if normal[i..i + n] == t.words[..] || known.contains(&form) {
                u.own = true;
            } else if !u.others.iter().any(|(_, _, f)| *f == form) {
                u.others.push((line_no, col(i), form));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str, lang: &str) -> Vec<Diagnostic> {
        let words = Words {
            number_words: vec!["du".into(), "trys".into(), "two".into()],
            jargon: vec!["VšĮ".into(), "soc.".into(), "BĮ".into()],
            allowed_caps: vec!["EQUASS".into()],
            ..Words::default()
        };
        lint(&text(body, lang, 2, &[]), &EasyLintConfig::default(), &words).diagnostics
    }

    fn text<'a>(body: &'a str, lang: &'a str, level: u8, glossary: &'a [GlossaryEntry]) -> Text<'a> {
        Text { file: Path::new("easy.lt.md"), lang, level, title: "T", title_line: 2, body, first_line: 5, glossary }
    }

    /// The shipped word lists of a language (`i18n/<lang>.toml`).
    fn shipped(lang: &str) -> Words {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("i18n/{lang}.toml"));
        let table: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut flat = std::collections::BTreeMap::new();
        for (k, v) in table["easy_lint"].as_table().unwrap() {
            let list: Vec<&str> = v.as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
            flat.insert(format!("easy_lint.{k}"), list.join("|"));
        }
        Words::from_strings(&crate::i18n::Strings { tree: serde_json::Value::Null, flat })
    }

    fn lint_with(words: &Words, body: &str, lang: &str, glossary: &[&str], forms: &[&str]) -> Linted {
        // The listed forms go with the entry whose word they are a form of (the lint does not mind).
        let glossary: Vec<GlossaryEntry> = glossary
            .iter()
            .enumerate()
            .map(|(i, t)| GlossaryEntry {
                term: t.to_string(),
                explanation: String::new(),
                forms: if i == 0 { forms.iter().map(|f| f.to_string()).collect() } else { Vec::new() },
            })
            .collect();
        lint(&text(body, lang, 2, &glossary), &EasyLintConfig::default(), words)
    }

    fn found(l: &Linted, code: Code) -> Vec<(usize, usize)> {
        l.diagnostics.iter().filter(|d| d.code == code).map(|d| (d.location.line, d.location.col)).collect()
    }

    #[test]
    fn negative_questions_are_found_by_the_languages_patterns() {
        let lt = shipped("lt");
        let body = "Ar nesate tikri, kad tai darbuotojas?\nTada paskambinkite.\nAr nežinote, kur kreiptis?\n\
                    Kodėl nepaskambinate mums?\nAr jūs neturite dokumento?\n## Mes nesilaikėme pažado?\n\
                    Gal nežinote, kur kreiptis?\n\
                    Ar esate tikri?\nAr žinote, kur kreiptis?\nAr neįgalieji gali gauti pagalbą?\n\
                    Gal netekote namų?\nMes nežinome, ar jums reikia pagalbos.\n\
                    Jei nežinote, ar galite gauti, paskambinkite.\n";
        let l = lint_with(&lt, body, "lt", &[], &[]);
        let want = [
            at(body, "Ar nesate"),
            at(body, "Ar nežinote"),
            at(body, "Kodėl"),
            at(body, "Ar jūs"),
            at(body, "Mes nesilaikėme"),
            at(body, "Gal nežinote"),
        ];
        assert_eq!(found(&l, Code::EasyNegativeQuestion), want, "{:#?}", l.diagnostics);
        let en = shipped("en");
        let body = "Do you not know where to go?\nDon\u{2019}t you have a phone?\nWhy don't you call us?\n\
                    ## Did we not keep a promise?\n\
                    Do you know where to go?\nYou do not need a paper.\nIsn't it free?\nIs your life in danger?\n";
        let l = lint_with(&en, body, "en", &[], &[]);
        let want = [at(body, "Do you not"), at(body, "Don"), at(body, "Why"), at(body, "Did"), at(body, "Isn't")];
        assert_eq!(found(&l, Code::EasyNegativeQuestion), want, "{:#?}", l.diagnostics);
        // The patterns are data: without them, nothing is found.
        let l = lint_with(&Words::default(), "Ar nesate tikri?\n", "lt", &[], &[]);
        assert!(found(&l, Code::EasyNegativeQuestion).is_empty());
        // A question later in a line is found at its own column.
        let l = lint_with(&lt, "Gerai. Ar nežinote?\n", "lt", &[], &[]);
        assert_eq!(found(&l, Code::EasyNegativeQuestion), [(5, 8)]);
    }

    #[test]
    fn question_patterns_parse_words_beginnings_and_exceptions() {
        let p = QuestionPattern::parse("  !Ar  NEĮGAL* ").unwrap();
        assert_eq!(p, QuestionPattern { words: vec![("ar".into(), false), ("neįgal".into(), true)], exception: true });
        assert!(QuestionPattern::parse(" ").is_none() && QuestionPattern::parse("!").is_none());
        let words = |s: &str| s.split(' ').map(normalise_word).collect::<Vec<_>>();
        assert!(QuestionPattern::parse("don't you").unwrap().starts(&words("Don\u{2019}t you know")));
        assert!(!QuestionPattern::parse("don't you know it").unwrap().starts(&words("don't you")));
        // `*` alone is any word.
        assert!(QuestionPattern::parse("did * not").unwrap().starts(&words("Did we not keep")));
        assert!(!QuestionPattern::parse("did * not").unwrap().starts(&words("Did we keep")));
    }

    /// (line, column) of the first `needle` in `body` (the body starts on line 5).
    fn at(body: &str, needle: &str) -> (usize, usize) {
        let p = body.find(needle).unwrap_or_else(|| panic!("{needle:?} is not in the text"));
        let line_start = body[..p].rfind('\n').map_or(0, |n| n + 1);
        (5 + body[..p].matches('\n').count(), body[line_start..p].chars().count() + 1)
    }

    #[test]
    fn glossary_words_the_text_writes_only_in_other_forms_are_found() {
        let lt = shipped("lt");
        let glossary = ["Socialinis darbuotojas", "Savivaldybė", "Prašymas", "Pajamos"];
        let body = "Jūs kalbate su socialiniu darbuotoju.\n\
                    Socialinio darbuotojo telefonas yra čia.\n\
                    Socialinis darbuotojas ateina pas jus.\n\
                    Jūs rašote savivaldybei.\n\
                    Savivaldybės darbuotojas atsako.\n\
                    \n\
                    Darbuotojas padeda užpildyti prašymą.\n\
                    Jūs prašote pagalbos.\n\
                    Prašymo forma yra paprasta.\n\
                    Kaina priklauso nuo pajamų.\n";
        let l = lint_with(&lt, body, "lt", &glossary, &[]);
        // "Socialinis darbuotojas" is written as the glossary writes it once: the reader can find
        // it. "Savivaldybė", "Prašymas" and "Pajamos" never are: one warning each, at the first
        // other form, naming the forms. Its words alone ("Darbuotojas") and other words of the
        // same root ("prašote") are not forms of a glossary word.
        let want = [at(body, "savivaldybei"), at(body, "prašymą"), at(body, "pajamų")];
        assert_eq!(found(&l, Code::EasyGlossaryForm), want, "{:#?}", l.diagnostics);
        let d = l.diagnostics.iter().find(|d| d.code == Code::EasyGlossaryForm).unwrap();
        assert!(d.message.contains("`Savivaldybė`") && d.message.contains("`savivaldybei`, `savivaldybės`"), "{d}");
        assert!(d.hint.as_deref().unwrap().contains("forms = [\"savivaldybei\", \"savivaldybės\"]"), "{d}");
        // Forms an entry lists are the glossary's words; the title counts as text.
        let l = lint_with(&lt, body, "lt", &glossary, &["pajamų", "Savivaldybės"]);
        assert_eq!(found(&l, Code::EasyGlossaryForm), [at(body, "prašymą")], "{:#?}", l.diagnostics);
        let entries: Vec<GlossaryEntry> = glossary
            .iter()
            .map(|t| GlossaryEntry { term: t.to_string(), explanation: String::new(), forms: Vec::new() })
            .collect();
        let titled = Text { title: "Prašymas ir pajamos", ..text(body, "lt", 2, &entries) };
        let l = lint(&titled, &EasyLintConfig::default(), &lt);
        assert_eq!(found(&l, Code::EasyGlossaryForm), [at(body, "savivaldybei")], "{:#?}", l.diagnostics);
        // English: plurals.
        let en = shipped("en");
        let body = "Our social workers help.\nThe social worker comes.\nThe municipalities pay.\n";
        let l = lint_with(&en, body, "en", &["Social worker", "Municipality"], &[]);
        assert_eq!(found(&l, Code::EasyGlossaryForm), [at(body, "municipalities")], "{:#?}", l.diagnostics);
    }

    #[test]
    fn stems_drop_the_longest_ending_and_keep_three_letters() {
        let lt = shipped("lt").endings;
        for (word, want) in [
            ("darbuotojas", "darbuotoj"),
            ("darbuotojams", "darbuotoj"),
            ("socialiniu", "socialin"),
            ("socialinių", "socialin"),
            ("savivaldybėje", "savivaldyb"),
            ("pajamomis", "pajam"),
            ("namuose", "nam"),
            ("jis", "jis"),
        ] {
            assert_eq!(stem(word, &lt), want, "{word}");
        }
        let en = shipped("en").endings;
        assert_eq!(stem("municipalities", &en), stem("municipality", &en));
        assert_eq!(stem("workers", &en), "worker");
        assert_eq!(stem("bus", &en), "bus");
    }

    #[test]
    fn readability_is_lix_of_the_text_outside_headings() {
        // 9 words (numbers are not words) in 4 sentences (a list item is one), 2 of them longer
        // than six letters ("padeda" has six): 9 / 4 + 100 * 2 / 9 = 24.5.
        let body = "## Labai ilgas antraštės pavadinimas\n\nJis jums padeda.\nSkambinkite mums.\n\n- Ateikite pas mus +370 315 56 660\n- soc_parama@alytus.lt\n";
        let l = lint_with(&Words::default(), body, "lt", &[], &[]);
        assert_eq!(l.readability, Some(Readability { words: 9, sentences: 4, long_words: 2, lix: 24.5 }), "{l:#?}");
        assert_eq!(lint_with(&Words::default(), "## Tik antraštė\n", "lt", &[], &[]).readability, None);
        // A short text is measured but not judged: a few words say little.
        let hard_line =
            "Savivaldybės administracijos specialistai konsultuoja gyventojus socialinės paramos klausimais.\n";
        let l = lint_with(&Words::default(), hard_line, "lt", &[], &[]);
        assert!(l.readability.unwrap().lix > 60.0 && found(&l, Code::EasyReadability).is_empty(), "{l:#?}");
        // A long text over its level's limit: a warning at the title.
        let hard = hard_line.repeat(8);
        let l = lint_with(&Words::default(), &hard, "lt", &[], &[]);
        assert!(l.readability.unwrap().words >= MIN_LIX_WORDS);
        assert_eq!(found(&l, Code::EasyReadability), [(2, 1)], "{:#?}", l.diagnostics);
        assert!(l.diagnostics.iter().any(|d| d.code == Code::EasyReadability && d.message.contains("at or below 47")));
        // An easy text of the same length is not.
        let easy = "Mes jums padedame.\nSkambinkite mums bet kada.\n".repeat(8);
        let l = lint_with(&Words::default(), &easy, "lt", &[], &[]);
        assert!(l.readability.unwrap().words >= MIN_LIX_WORDS && found(&l, Code::EasyReadability).is_empty(), "{l:#?}");
        // The limit is per level, from site.toml.
        let cfg = EasyLintConfig { max_lix: crate::config::LixLimits::All([40, 45, 200]), ..EasyLintConfig::default() };
        let l = lint(&text(&hard, "lt", 3, &[]), &cfg, &Words::default());
        assert!(found(&l, Code::EasyReadability).is_empty());
        let l = lint(&text(&hard, "lt", 1, &[]), &cfg, &Words::default());
        assert!(l.diagnostics.iter().any(|d| d.code == Code::EasyReadability && d.message.contains("at or below 40")));
    }

    fn codes(d: &[Diagnostic]) -> Vec<Code> {
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
            Code::EasySentence,
            Code::EasyLongWord,
            Code::EasyNumberWord,
            Code::EasyDate,
            Code::EasyJargon,
            Code::EasySymbol,
            Code::EasyCapitals,
            Code::EasyPhone,
            Code::EasyItalics,
        ] {
            assert!(c.contains(&code), "missing {code}: {d:#?}");
        }
        let line_of = |code: Code| d.iter().find(|x| x.code == code).unwrap().location.line;
        assert_eq!(line_of(Code::EasySentence), 5);
        assert_eq!(line_of(Code::EasyLongWord), 6);
        assert_eq!(line_of(Code::EasyPhone), 13);
        let jargon = d.iter().find(|x| x.code == Code::EasyJargon).unwrap();
        assert_eq!(jargon.location.col, 14);
    }

    /// Number words are found whatever their case (a word with capitals is lowercased, one
    /// without is compared as it is), and italics only where a line has `*` or `_`.
    #[test]
    fn number_words_in_any_case_and_italics() {
        let d = run("Trys kartai.\nAteikite TRYS kartus.\nTai _labai_ gerai.\nTai **labai** gerai.\n", "lt");
        let lines = |code: Code| d.iter().filter(|x| x.code == code).map(|x| x.location.line).collect::<Vec<_>>();
        assert_eq!(lines(Code::EasyNumberWord), [5, 6], "{d:#?}");
        assert_eq!(lines(Code::EasyItalics), [7], "{d:#?}");
    }

    #[test]
    fn long_paragraphs_are_found() {
        let d = run("Labas.\nAčiū.\nGerai.\nPuiku.\nTaip.\nNe.\n", "lt");
        assert_eq!(codes(&d), [Code::EasyParagraph]);
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
