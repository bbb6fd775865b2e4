//! Text for leaflets, kept as plain strings: the layouts receive data, never markup, so nothing an
//! editor writes can change a layout.
//!
//! Owns the simple Markdown stripping of easy-read texts (one sentence per line, as written), HTML
//! to plain text for commitment texts, and short extracts (the first sentences of a text).

use serde::Serialize;

/// One block of an easy-read text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EasyBlock {
    /// `heading`, `line` (a sentence as written), `item` (a list item) or `gap` (a paragraph break).
    pub kind: &'static str,
    pub text: String,
    /// The pictogram written at the start of the line (`pictogram:phone` -> `phone`).
    pub pictogram: Option<String>,
}

/// Splits an easy-read Markdown body into blocks: headings, one line per sentence as the author
/// wrote it, list items, paragraph breaks. Markdown marks are stripped simply: links keep their
/// text, images are dropped (pictograms are kept by name), emphasis and code marks are removed.
pub fn easy_blocks(source: &str) -> Vec<EasyBlock> {
    let mut out: Vec<EasyBlock> = Vec::new();
    for raw in source.lines() {
        let line = raw.trim();
        if line.is_empty() {
            if out.last().is_some_and(|b| b.kind != "gap" && b.kind != "heading") {
                out.push(EasyBlock { kind: "gap", text: String::new(), pictogram: None });
            }
            continue;
        }
        let (kind, rest) = if let Some(h) = heading_text(line) {
            ("heading", h)
        } else if let Some(item) =
            line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")).or_else(|| line.strip_prefix("+ "))
        {
            ("item", item)
        } else if let Some(item) = ordered_item(line) {
            ("item", item)
        } else {
            ("line", line)
        };
        let (text, pictogram) = inline(rest);
        if text.is_empty() && pictogram.is_none() {
            continue;
        }
        if kind == "heading" && out.last().is_some_and(|b| b.kind == "gap") {
            out.pop();
        }
        out.push(EasyBlock { kind, text, pictogram });
    }
    while out.last().is_some_and(|b| b.kind == "gap") {
        out.pop();
    }
    out
}

fn heading_text(line: &str) -> Option<&str> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        Some(line[hashes..].trim().trim_end_matches('#').trim_end())
    } else {
        None
    }
}

fn ordered_item(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    line[digits..].strip_prefix(". ").or_else(|| line[digits..].strip_prefix(") "))
}

/// Strips inline Markdown from one line; returns the text and the first pictogram named in it.
fn inline(s: &str) -> (String, Option<String>) {
    let mut text = String::new();
    let mut pictogram = None;
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("![") {
            // An image: `![alt](target)`.
            if let Some((alt, target, tail)) = bracket_link(after) {
                if let Some(name) = target.strip_prefix("pictogram:") {
                    if pictogram.is_none() {
                        pictogram = Some(name.trim().to_string());
                    }
                } else if !alt.is_empty() {
                    text.push_str(alt);
                }
                rest = tail;
                continue;
            }
        } else if let Some(after) = rest.strip_prefix('[') {
            if let Some((label, _target, tail)) = bracket_link(after) {
                text.push_str(&strip_marks(label));
                rest = tail;
                continue;
            }
        } else if rest.starts_with('\\') && rest.len() > 1 {
            // A backslash escape: keep the escaped character.
            let c = rest[1..].chars().next().unwrap_or('\\');
            text.push(c);
            rest = &rest[1 + c.len_utf8()..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    (strip_marks(&text).split_whitespace().collect::<Vec<_>>().join(" "), pictogram)
}

/// `label](target)rest` -> (label, target, rest).
fn bracket_link(s: &str) -> Option<(&str, &str, &str)> {
    let close = s.find("](")?;
    let label = &s[..close];
    let after = &s[close + 2..];
    let end = after.find(')')?;
    Some((label, after[..end].trim(), &after[end + 1..]))
}

/// Removes emphasis and code marks (`**`, `__`, `` ` ``, `~~`). Single `*` and `_` are left alone:
/// they appear in e-mail addresses (`soc_parama@...`).
fn strip_marks(s: &str) -> String {
    s.replace("**", "").replace("__", "").replace("~~", "").replace('`', "")
}

/// HTML (as rendered from Markdown) to plain text, one paragraph a line.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if tag.starts_with('/')
            && matches!(name.as_str(), "p" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "div" | "tr")
        {
            out.push('\n');
        } else if name == "br" {
            out.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    let decoded = crate::markdown::decode_entities(&out);
    decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first sentences of `text` (whole sentences), at most about `max` characters; at least one
/// sentence, even a long one.
pub fn first_sentences(text: &str, max: usize) -> String {
    let text = text.trim();
    let mut end = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?') {
            let next = chars.peek().map(|(_, n)| *n);
            if next.is_none() || next.is_some_and(char::is_whitespace) {
                let cut = i + c.len_utf8();
                if end > 0 && text[..cut].chars().count() > max {
                    break;
                }
                end = cut;
                if text[..end].chars().count() >= max {
                    break;
                }
            }
        }
    }
    if end == 0 { text.to_string() } else { text[..end].to_string() }
}

/// The opening paragraphs of a rendered body (its plain text, one paragraph a line) before the
/// first heading, at most about `max` characters in whole paragraphs (the first one always, cut
/// to whole sentences when it is long).
pub fn intro(plain: &str, headings: &[crate::markdown::Heading], max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut used = 0;
    for line in plain.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if headings.iter().any(|h| h.text.trim() == line) {
            break;
        }
        let len = line.chars().count();
        if out.is_empty() {
            let first = first_sentences(line, max);
            used += first.chars().count();
            out.push(first);
        } else if used + len <= max {
            used += len;
            out.push(line.to_string());
        } else {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easy_blocks_keep_lines_and_pictograms() {
        let src = "## What it is\n\n![](pictogram:home-visit) A worker **comes** to you.\nSee [the page](@/services/x).\n\n- One thing.\n1. Two things.\n\n\nWrite to soc_parama@alytus.lt.\n";
        let b = easy_blocks(src);
        let kinds: Vec<&str> = b.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, ["heading", "line", "line", "gap", "item", "item", "gap", "line"]);
        assert_eq!(b[0].text, "What it is");
        assert_eq!(b[1].pictogram.as_deref(), Some("home-visit"));
        assert_eq!(b[1].text, "A worker comes to you.");
        assert_eq!(b[2].text, "See the page.");
        assert_eq!(b[7].text, "Write to soc_parama@alytus.lt.");
    }

    #[test]
    fn html_becomes_text() {
        assert_eq!(html_to_text("<p>We &amp; you <a href=\"x\">here</a>.</p>\n<p>Two</p>"), "We & you here.\nTwo");
    }

    #[test]
    fn sentences_are_whole() {
        assert_eq!(first_sentences("One two. Three four. Five.", 12), "One two.");
        assert_eq!(first_sentences("One two. Three four. Five.", 20), "One two. Three four.");
        assert_eq!(first_sentences("A very long first sentence. B.", 5), "A very long first sentence.");
        assert_eq!(first_sentences("No full stop", 5), "No full stop");
        assert_eq!(first_sentences("Version 1.5 is here. Next.", 100), "Version 1.5 is here. Next.");
    }
}
