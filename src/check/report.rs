//! Formats check findings: for people (grouped by file, colour on a terminal, a summary line),
//! as JSON, or as JUnit XML for CI dashboards.

use super::{CheckReport, sources};
use crate::diagnostics::{Code, Diagnostic, Severity, plural, render_human_of};
use crate::export::xml;
use std::collections::BTreeMap;

/// The summary line.
pub fn summary(r: &CheckReport) -> String {
    let mut s = format!(
        "checked {} pages: {}, {} in {} files ({:.2} s)",
        r.pages,
        plural(r.diagnostics.error_count(), "error"),
        plural(r.diagnostics.warning_count(), "warning"),
        r.files,
        r.elapsed.as_secs_f64()
    );
    if r.sources {
        s.push_str(&format!("; {} without a source", plural(unsourced(r).count(), "fact")));
    }
    if let Some(o) = &r.online {
        s.push_str(&format!(
            "; external links: {} checked ({} from cache), {} ok, {} redirected, {} broken",
            o.checked, o.from_cache, o.ok, o.redirected, o.broken
        ));
    }
    s
}

/// The findings of `--sources` (facts without a source), whatever their severity.
fn unsourced(r: &CheckReport) -> impl Iterator<Item = &Diagnostic> {
    r.diagnostics.items.iter().filter(|d| is_unsourced(d))
}

fn is_unsourced(d: &Diagnostic) -> bool {
    sources::CODES.iter().any(|(c, _)| *c == d.code)
}

/// What is not yet translated, per language: the `translation-missing` findings by the language
/// they are about, in language order.
pub fn untranslated(r: &CheckReport) -> BTreeMap<&str, Vec<&Diagnostic>> {
    let mut by_lang: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &r.diagnostics.items {
        if let (Some(l), true) = (d.lang.as_deref(), is_untranslated(d)) {
            by_lang.entry(l).or_default().push(d);
        }
    }
    by_lang
}

fn is_untranslated(d: &Diagnostic) -> bool {
    d.code == Code::TranslationMissing && d.lang.is_some()
}

/// Human output: the findings grouped by file, then (with `--sources`) the facts without a
/// source grouped by kind, with counts, then what is left to translate, grouped per language with
/// its count, so an editor sees how far each language is. `quiet` prints only errors, and no
/// summary.
pub fn human(r: &CheckReport, color: bool, quiet: bool) -> String {
    let mut out = String::new();
    let shown = |d: &&Diagnostic| !quiet || d.is_error();
    out.push_str(&render_human_of(
        r.diagnostics.items.iter().filter(|d| !is_unsourced(d) && !is_untranslated(d)).filter(shown),
        color,
    ));
    if r.sources {
        let listed: Vec<&Diagnostic> = unsourced(r).filter(shown).collect();
        if !quiet || !listed.is_empty() {
            out.push_str(&sources_section(&listed, color));
        }
    }
    let (bold, reset) = if color { ("\x1b[1m", "\x1b[0m") } else { ("", "") };
    for (lang, items) in untranslated(r) {
        let items: Vec<&Diagnostic> = items.into_iter().filter(|d| shown(d)).collect();
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "{bold}not yet translated into `{lang}`: {} (shown in `{}` until they are){reset}\n",
            items.len(),
            r.default_lang
        ));
        for line in render_human_of(items, color).lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    if !quiet {
        out.push_str(&readability_human(r));
        out.push_str(&summary(r));
        out.push('\n');
    }
    out
}

/// The facts without a source, grouped by kind (contacts, costs, waiting times) with counts.
fn sources_section(listed: &[&Diagnostic], color: bool) -> String {
    let (bold, reset) = if color { ("\x1b[1m", "\x1b[0m") } else { ("", "") };
    let counts: Vec<String> = sources::CODES
        .iter()
        .map(|(code, name)| format!("{name}: {}", listed.iter().filter(|d| d.code == *code).count()))
        .collect();
    let mut out = format!("{bold}Facts without a source: {} ({}){reset}\n", listed.len(), counts.join(", "));
    for (code, name) in sources::CODES {
        let group: Vec<&Diagnostic> = listed.iter().copied().filter(|d| d.code == code).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("{bold}{name} ({}){reset}\n", group.len()));
        for d in group {
            out.push_str(&format!("  {}[{}]: {}: {}\n", d.severity.label(), d.code, d.location, d.message));
        }
    }
    if !listed.is_empty() {
        out.push_str(&format!("  hint: {}\n", sources::HINT));
    }
    out
}

/// How many easy-read texts the human output lists one by one (the hardest first beyond that;
/// JSON and JUnit list them all).
const READABILITY_LINES: usize = 40;

/// The readability of the easy-read texts, one line each: file, language, level, LIX and the
/// level's limit.
fn readability_human(r: &CheckReport) -> String {
    let texts = &r.readability;
    if texts.is_empty() {
        return String::new();
    }
    let mut shown: Vec<&crate::lint::easy::TextReadability> = texts.iter().collect();
    if shown.len() > READABILITY_LINES {
        shown.sort_by(|a, b| b.readability.lix.total_cmp(&a.readability.lix).then(a.file.cmp(&b.file)));
        shown.truncate(READABILITY_LINES);
    }
    let width = shown.iter().map(|t| t.file.display().to_string().chars().count()).max().unwrap_or(0);
    let mut out = String::from("easy-read readability (LIX: words per sentence + % of words over 6 letters):\n");
    for t in &shown {
        let file = t.file.display().to_string();
        let pad = width - file.chars().count();
        out.push_str(&format!(
            "  {file}{:pad$}  level {}  LIX {:>5.1}  limit {}{}\n",
            "",
            t.level,
            t.readability.lix,
            t.max_lix,
            if t.over {
                "  over the limit"
            } else if t.readability.words < crate::lint::easy::MIN_LIX_WORDS {
                "  (too short to judge)"
            } else {
                ""
            },
        ));
    }
    if texts.len() > shown.len() {
        let mut lix: Vec<f64> = texts.iter().map(|t| t.readability.lix).collect();
        lix.sort_by(f64::total_cmp);
        out.push_str(&format!(
            "  ... the {} hardest of {} texts shown; all: LIX {:.1} to {:.1}, median {:.1} (--format json lists every text)\n",
            shown.len(),
            texts.len(),
            lix[0],
            lix[lix.len() - 1],
            lix[lix.len() / 2]
        ));
    }
    out
}

/// JSON output: `{ "summary": {...}, "findings": [...] }`.
pub fn json(r: &CheckReport) -> String {
    let v = serde_json::json!({
        "summary": {
            "pages": r.pages,
            "errors": r.diagnostics.error_count(),
            "warnings": r.diagnostics.warning_count(),
            "without_source": r.sources.then(|| unsourced(r).count()),
            "files": r.files,
            "seconds": r.elapsed.as_secs_f64(),
            "stages": r.timings.iter().map(|(name, d)| serde_json::json!({ "stage": name, "seconds": d.as_secs_f64() })).collect::<Vec<_>>(),
            "untranslated": untranslated(r).into_iter().map(|(l, items)| (l.to_string(), serde_json::json!(items.len()))).collect::<serde_json::Map<_, _>>(),
        },
        "findings": r.diagnostics.items,
        "readability": r.readability,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// JUnit XML: one test case per finding, failed for errors; a passing case when all is clean.
/// A second suite has a test case per easy-read text with its readability (skipped, as a
/// warning, when over its level's limit).
pub fn junit(r: &CheckReport) -> String {
    let d = &r.diagnostics;
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let tests = d.items.len().max(1);
    s.push_str(&format!(
        "<testsuites name=\"skaidra check\" tests=\"{}\" failures=\"{}\">\n",
        tests + r.readability.len(),
        d.error_count()
    ));
    s.push_str(&format!(
        "  <testsuite name=\"skaidra check\" tests=\"{tests}\" failures=\"{}\" skipped=\"{}\">\n",
        d.error_count(),
        d.items.len() - d.error_count()
    ));
    if d.items.is_empty() {
        s.push_str(&format!("    <testcase classname=\"site\" name=\"{}\"/>\n", xml(&summary(r))));
    }
    for f in &d.items {
        let name = xml(&format!("{} {}", f.code, f.location));
        let class = xml(&f.location.file.display().to_string());
        let body =
            xml(&format!("{}{}", f.message, f.hint.as_ref().map(|h| format!("\nhint: {h}")).unwrap_or_default()));
        match f.severity {
            Severity::Error => s.push_str(&format!("    <testcase classname=\"{class}\" name=\"{name}\">\n      <failure message=\"{}\" type=\"{}\">{body}</failure>\n    </testcase>\n", xml(&f.message), f.code)),
            Severity::Warning | Severity::Info => s.push_str(&format!("    <testcase classname=\"{class}\" name=\"{name}\">\n      <skipped message=\"{}: {}\"/>\n    </testcase>\n", f.severity.label(), xml(&f.message))),
        }
    }
    s.push_str("  </testsuite>\n");
    if !r.readability.is_empty() {
        let over = r.readability.iter().filter(|t| t.over).count();
        s.push_str(&format!(
            "  <testsuite name=\"easy-read readability\" tests=\"{}\" failures=\"0\" skipped=\"{over}\">\n",
            r.readability.len()
        ));
        for t in &r.readability {
            let class = xml(&t.file.display().to_string());
            let name = xml(&format!("LIX {:.1} (level {}, limit {})", t.readability.lix, t.level, t.max_lix));
            if t.over {
                s.push_str(&format!(
                    "    <testcase classname=\"{class}\" name=\"{name}\">\n      <skipped message=\"warning: the readability score is over the limit\"/>\n    </testcase>\n"
                ));
            } else {
                s.push_str(&format!("    <testcase classname=\"{class}\" name=\"{name}\"/>\n"));
            }
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}
