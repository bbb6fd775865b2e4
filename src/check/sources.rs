//! `check --sources`: every fact a resident acts on that names no source (see
//! [`crate::model::Sources`]): contacts (phone, e-mail, website, address, opening hours; in
//! `site.toml`, services and providers), costs and waiting times. Findings are information
//! ([`Severity::Info`](crate::diagnostics::Severity::Info)): they fail a check only with `--strict`.

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::model::{Doc, Sources};
use crate::resolve::Site;
use std::path::Path;

/// The codes of the findings, one per kind of fact, in the order they are listed.
pub const CODES: [(Code, &str); 3] =
    [(Code::NoSourceContact, "contacts"), (Code::NoSourceCost, "costs"), (Code::NoSourceWaitingTime, "waiting times")];

/// What to write, said once under the list.
pub const HINT: &str = "name where a fact comes from (a document's title, a decision's number or a web address): \
     `source = \"...\"` in the file covers every fact in it, `sources = { phone = \"...\" }` one field; \
     a translation takes the default language's sources unless it names its own";

/// The kind of a fact (its code) and what to call it.
fn kind(field: &str) -> (Code, &'static str) {
    match field {
        "cost" => (Code::NoSourceCost, "the cost"),
        "waiting_time" => (Code::NoSourceWaitingTime, "the waiting time"),
        "phone" => (Code::NoSourceContact, "the phone number"),
        "email" => (Code::NoSourceContact, "the e-mail address"),
        "website" | "url" => (Code::NoSourceContact, "the web address"),
        "address" => (Code::NoSourceContact, "the address"),
        "hours" => (Code::NoSourceContact, "the opening hours"),
        _ => (Code::NoSourceContact, "the contact"),
    }
}

/// The facts of one file without a source. `fallback`: the sources a translation takes when it
/// names none of its own (those of the default-language text).
fn unsourced(file: &Path, sources: &Sources, fallback: Option<&Sources>, of: &str, out: &mut Vec<Diagnostic>) {
    for f in &sources.facts {
        if sources.of(f.field).is_some() || fallback.and_then(|s| s.of(f.field)).is_some() {
            continue;
        }
        let (code, what) = kind(f.field);
        let at = Location { file: file.to_path_buf(), line: f.line as usize, col: f.col as usize };
        out.push(
            Diagnostic::info(code, at, format!("no source is named for {what} of {of} (`{}`)", f.field))
                .with_hint(format!("add `sources = {{ {} = \"...\" }}` or `source = \"...\"` to this file", f.field)),
        );
    }
}

/// The facts of the pages of an item without a source (costs and waiting times).
fn docs_unsourced<F>(docs: &crate::model::Docs<Doc<F>>, default_lang: &str, of: &str, out: &mut Vec<Diagnostic>) {
    let default = docs.get(default_lang).map(|d| &d.sources);
    for (lang, d) in docs {
        let fallback = if lang == default_lang { None } else { default };
        unsourced(&d.file, &d.sources, fallback, &format!("{of} ({lang})"), out);
    }
}

/// Every contact, cost and waiting time of the site that names no source.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let config = &site.config;
    let site_toml = Path::new("site.toml");
    unsourced(site_toml, &config.contact.sources, None, "the site's contact ([contact])", &mut out);
    unsourced(site_toml, &config.feedback.sources, None, "the feedback contact ([feedback])", &mut out);
    let default_lang = config.default_lang();
    for p in &site.content.providers {
        let of = format!("the institution `{}`", p.id);
        unsourced(&p.dir.join("provider.toml"), &p.sources, None, &of, &mut out);
        docs_unsourced(&p.docs, default_lang, &of, &mut out);
    }
    for s in &site.content.services {
        let of = format!("the service `{}`", s.id);
        unsourced(&s.dir.join("service.toml"), &s.sources, None, &of, &mut out);
        docs_unsourced(&s.docs, default_lang, &of, &mut out);
    }
    out
}
