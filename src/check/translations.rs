//! Translations: pages missing in a language, translations made from an older version of the
//! default-language text, and `skaidra stamp`, which records in a translation which version of the
//! source it was made from (`translated_from = "<short hash>"`).

use crate::diagnostics::{Code, Diagnostic, Location, SourceCache};
use crate::resolve::Site;
use crate::validate::short_hash;
use std::path::Path;

struct Version<'a> {
    file: &'a Path,
    hash: &'a str,
    translated_from: Option<&'a str>,
}

fn compare(
    site: &Site,
    what: &str,
    kind: &str,
    versions: &[(crate::lang::Lang, Version<'_>)],
    sources: &mut SourceCache,
    out: &mut Vec<Diagnostic>,
) {
    let default = site.default_lang();
    let Some((_, source)) = versions.iter().find(|(l, _)| l == default) else { return };
    for lang in site.config.lang_codes().filter(|l| *l != default) {
        match versions.iter().find(|(l, _)| l == lang) {
            None if kind == "index" => out.push(
                Diagnostic::warning(
                    Code::TranslationMissing,
                    Location::file(source.file),
                    format!("{what} has no `{lang}` translation"),
                )
                .with_hint(format!(
                    "translate this file into {}.{lang}.md beside it, then run `skaidra stamp` on the new file",
                    kind
                ))
                .in_lang(lang),
            ),
            None => {}
            Some((_, t)) => {
                if let Some(from) = t.translated_from
                    && from != source.hash
                {
                    // At the stamp, the line `skaidra stamp` rewrites.
                    let at = sources.locate(t.file, "translated_from").unwrap_or_else(|| Location::file(t.file));
                    out.push(
                        Diagnostic::warning(
                            Code::TranslationStale,
                            at,
                            format!(
                                "this translation was made from an older version of {} (version {from}; it is now {})",
                                source.file.display(),
                                source.hash
                            ),
                        )
                        .with_hint(format!(
                            "update the translation to match the {default} text, then run `skaidra stamp {}`",
                            t.file.display()
                        )),
                    );
                }
            }
        }
    }
}

macro_rules! versions {
    ($map:expr) => {
        $map.iter()
            .map(|(l, d)| {
                (l.clone(), Version { file: &d.file, hash: &d.hash, translated_from: d.translated_from.as_deref() })
            })
            .collect::<Vec<_>>()
    };
}

/// Checks every item's translations (`root` is the site's folder, to point at the stamps).
pub fn check(root: &Path, site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut sources = SourceCache::new(root);
    let sources = &mut sources;
    let c = &site.content;
    for s in &c.services {
        compare(site, &format!("the service `{}`", s.id), "index", &versions!(s.docs), sources, &mut out);
        compare(site, &format!("the easy-read service `{}`", s.id), "easy", &versions!(s.easy), sources, &mut out);
    }
    for p in &c.providers {
        compare(site, &format!("the institution `{}`", p.id), "index", &versions!(p.docs), sources, &mut out);
        compare(site, &format!("the easy-read institution `{}`", p.id), "easy", &versions!(p.easy), sources, &mut out);
    }
    for p in &c.pages {
        compare(site, &format!("the page `{}`", p.id), "index", &versions!(p.docs), sources, &mut out);
        compare(site, &format!("the easy-read page `{}`", p.id), "easy", &versions!(p.easy), sources, &mut out);
    }
    if let Some(x) = &c.charter {
        compare(site, "the charter", "index", &versions!(x.docs), sources, &mut out);
        compare(site, "the easy-read charter", "easy", &versions!(x.easy), sources, &mut out);
    }
    if let Some(x) = &c.quality {
        compare(site, "the quality policy", "index", &versions!(x.docs), sources, &mut out);
        compare(site, "the easy-read quality policy", "easy", &versions!(x.easy), sources, &mut out);
    }
    out
}

/// Records in a translation file which version of its default-language source it was made from.
/// Changes only the `translated_from` line of the front matter (adding it if missing). Returns a
/// sentence for the editor.
pub fn stamp(file: &Path, default_lang: &str) -> crate::error::Result<String> {
    use crate::error::Error;
    let not_a_text =
        |name: &str| Error::Invalid(format!("{name} is not a page text (index.<lang>.md or easy.<lang>.md)"));
    let name = file.file_name().and_then(|n| n.to_str()).ok_or_else(|| Error::Invalid("not a file name".into()))?;
    let (base, rest) = name.split_once('.').ok_or_else(|| not_a_text(name))?;
    let lang = rest.strip_suffix(".md").ok_or_else(|| Error::Invalid(format!("{name} is not a Markdown file")))?;
    if base != "index" && base != "easy" {
        return Err(not_a_text(name));
    }
    if lang == default_lang {
        return Err(Error::Invalid(format!(
            "{name} is in the default language `{default_lang}`: stamp its translations instead"
        )));
    }
    let source = file.with_file_name(format!("{base}.{default_lang}.md"));
    let source_text =
        std::fs::read_to_string(&source).map_err(|e| Error::io("cannot read the source", source.clone(), e))?;
    let hash = short_hash(&source_text);
    let text = std::fs::read_to_string(file).map_err(|e| Error::io("cannot read", file, e))?;
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("+++") {
        return Err(Error::Invalid(format!("{} has no front matter", file.display())));
    }
    let close = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "+++")
        .map(|p| p + 1)
        .ok_or_else(|| Error::Invalid(format!("the front matter of {} is not closed", file.display())))?;
    let new_line = format!("translated_from = \"{hash}\"\n");
    match lines[1..close].iter().position(|l| l.trim_start().starts_with("translated_from")) {
        Some(p) => lines[p + 1] = &new_line,
        // Right after the opening `+++`: top-level keys must come before any [table].
        None => lines.insert(1, &new_line),
    }
    let out: String = lines.concat();
    crate::write::replace_file(file, out.as_bytes(), true).map_err(|e| Error::io("cannot write", file, e))?;
    Ok(format!("{}: translated from {} version {hash}", file.display(), source.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamp_changes_only_the_stamp_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("index.lt.md"),
            "+++\ntitle = \"A\"\nslug = \"a\"\nsummary = \"s\"\n+++\nTekstas\n",
        )
        .unwrap();
        let en = dir.path().join("index.en.md");
        std::fs::write(&en, "+++\ntitle = \"A\"\nslug = \"a\"\nsummary = \"s\"\n+++\nText\n").unwrap();
        stamp(&en, "lt").unwrap();
        let first = std::fs::read_to_string(&en).unwrap();
        assert!(first.contains("translated_from = \""), "{first}");
        assert!(first.starts_with("+++\ntranslated_from = \""), "{first}");
        assert!(first.ends_with("+++\nText\n"));
        stamp(&en, "lt").unwrap();
        assert_eq!(std::fs::read_to_string(&en).unwrap(), first, "stamping twice changes nothing");
        let refused = stamp(&dir.path().join("index.lt.md"), "lt").expect_err("the default language is refused");
        assert!(
            matches!(&refused, crate::error::Error::Invalid(m) if m.contains("default language `lt`")),
            "{refused:?}"
        );
    }
}
