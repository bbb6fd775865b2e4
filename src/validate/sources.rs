//! Sources of facts: `source = "..."` (where every fact of a file comes from) and
//! `sources = { field = "..." }` (per field) in fact files and front matter, checked into
//! [`Sources`]: no empty source, no field the file does not have.

use super::Ctx;
use crate::diagnostics::{Code, did_you_mean};
use crate::model::{FactAt, Sources};
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// How a source is written (the hint of its message, and the help of `source` and `sources`).
pub(crate) const SOURCE_HINT: &str =
    "name where the facts come from (a document's title, a decision's number or a web address), or remove the line";

/// The `source` and `sources` of a raw file.
pub(super) struct RawSources<'a> {
    pub source: Option<&'a Spanned<String>>,
    pub sources: &'a BTreeMap<Spanned<String>, Spanned<String>>,
}

/// A raw file that can name sources (implemented by `facts_struct!` and `doc_struct!`).
pub(super) trait HasSources {
    /// The file's own fields: the names `sources` may use.
    const FIELDS: &'static [&'static str];
    fn raw_sources(&self) -> RawSources<'_>;
    /// The facts a resident acts on that the file gives (contacts, costs, waiting times), with
    /// where their values are.
    fn fact_spans(&self) -> Vec<(&'static str, Range<usize>)>;
}

impl Ctx<'_> {
    /// The sources of a file, checked, with where its facts are written.
    pub(super) fn sources<R: HasSources>(&mut self, raw: &R) -> Sources {
        let r = raw.raw_sources();
        let mut out = Sources { all: r.source.and_then(|s| self.source_text(s, "source")), ..Default::default() };
        for (k, v) in r.sources {
            let name = k.get_ref().as_str();
            if !R::FIELDS.contains(&name) {
                let hint = allowed_hint(name, R::FIELDS);
                self.err(
                    Code::UnknownField,
                    k.span(),
                    format!("`sources` names `{name}`, which is not a field of this file"),
                    hint,
                );
                continue;
            }
            if let Some(text) = self.source_text(v, &format!("sources.{name}")) {
                out.fields.insert(name.to_string(), text);
            }
        }
        let mut spans = raw.fact_spans();
        spans.sort_by_key(|(_, s)| s.start);
        out.facts = spans
            .into_iter()
            .map(|(field, span)| {
                let at = self.loc(span);
                FactAt { field, line: at.line as u32, col: at.col as u32 }
            })
            .collect();
        out
    }

    /// A source's text, trimmed; an error when it is empty.
    fn source_text(&mut self, v: &Spanned<String>, field: &str) -> Option<String> {
        let text = v.get_ref().trim();
        if text.is_empty() {
            self.err(Code::Empty, v.span(), format!("`{field}` is empty"), SOURCE_HINT);
            return None;
        }
        Some(text.to_string())
    }
}

/// What to write instead of an unknown name in `sources`: the closest field, and every field a
/// source can be named for.
fn allowed_hint(name: &str, fields: &[&str]) -> String {
    if fields.is_empty() {
        return "this file has no fields of its own: name the source of the whole file with `source = \"...\"`"
            .to_string();
    }
    let list = fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
    match did_you_mean(name, fields.iter().copied()) {
        Some(c) => format!("did you mean `{c}`? The fields of this file are: {list}"),
        None => format!("the fields of this file are: {list}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::{Code, Diagnostic, SourceText};
    use crate::load::{ItemDir, Kind};
    use crate::model::FactAt;
    use std::path::Path;

    fn config() -> Config {
        let dir = tempfile::tempdir().expect("tempdir");
        crate::init::init(dir.path()).expect("the starter site");
        crate::config::load(dir.path()).expect("its site.toml")
    }

    const REVIEW: &str = "reviewed = 2026-11-01\nreview_every = \"12 months\"\nowner = \"Skyrius\"\n";

    /// Validates a service with `facts` as its service.toml and `front` as the front matter of
    /// its index.lt.md; returns the service (if valid) and every diagnostic.
    fn service(facts: &str, front: &str) -> (Option<crate::model::Service>, Vec<Diagnostic>) {
        let config = config();
        let dir = Path::new("content/services/x");
        let doc = format!("+++\ntitle = \"X\"\nslug = \"x\"\nsummary = \"S\"\n{front}+++\nText.\n");
        let item = ItemDir {
            kind: Kind::Service,
            id: "x".into(),
            dir: dir.to_path_buf(),
            facts: Some(SourceText::new(dir.join("service.toml"), format!("provider = \"p\"\n{facts}{REVIEW}"))),
            docs: [(crate::lang::Lang::parse("lt").expect("a code"), SourceText::new(dir.join("index.lt.md"), doc))]
                .into_iter()
                .collect(),
            easy: Default::default(),
            assets: Vec::new(),
        };
        let (item, _, diags) = super::super::validate_item(&item, &config);
        match item {
            Some(super::super::Item::Service(s)) => (Some(s), diags),
            _ => (None, diags),
        }
    }

    #[test]
    fn a_file_source_and_field_sources_are_read_into_the_model() {
        let (s, diags) = service(
            "phone = \"+370 315 56 660\"\nemail = \"a@b.lt\"\nsource = \" Decision A-1 \"\nsources = { email = \"https://x.lt/d\" }\n",
            "cost = \"Free\"\nwaiting_time = \"A week\"\nsources = { cost = \"Price list 2026\" }\n",
        );
        assert!(diags.is_empty(), "{diags:#?}");
        let s = s.expect("valid");
        assert_eq!(s.sources.all.as_deref(), Some("Decision A-1"), "trimmed");
        assert_eq!(s.sources.of("phone"), Some("Decision A-1"), "the file's source");
        assert_eq!(s.sources.of("email"), Some("https://x.lt/d"), "a field's own source wins");
        // The facts a resident acts on, where their values are written.
        assert_eq!(
            s.sources.facts,
            [FactAt { field: "phone", line: 2, col: 9 }, FactAt { field: "email", line: 3, col: 9 }]
        );
        let d = &s.docs["lt"].sources;
        assert_eq!(d.of("cost"), Some("Price list 2026"));
        assert_eq!(d.of("waiting_time"), None);
        assert_eq!(
            d.facts,
            [FactAt { field: "cost", line: 5, col: 8 }, FactAt { field: "waiting_time", line: 6, col: 16 }]
        );
    }

    #[test]
    fn a_file_without_sources_has_none() {
        let (s, diags) = service("phone = \"+370 315 56 660\"\n", "");
        assert!(diags.is_empty(), "{diags:#?}");
        let s = s.expect("valid");
        assert_eq!(s.sources.of("phone"), None);
        assert_eq!(s.sources.facts.len(), 1);
        assert!(s.docs["lt"].sources.facts.is_empty(), "no cost, no waiting time");
    }

    #[test]
    fn an_unknown_field_in_sources_is_an_error_listing_the_fields() {
        let (_, diags) = service("phone = \"+370 315 56 660\"\nsources = { phnoe = \"A\" }\n", "");
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let d = &diags[0];
        assert_eq!((d.code, d.location.line, d.location.col), (Code::UnknownField, 3, 13), "{d}");
        assert!(d.message.contains("`phnoe`"), "{d}");
        let hint = d.hint.as_deref().unwrap_or("");
        assert!(hint.contains("did you mean `phone`?"), "{hint}");
        assert!(hint.contains("`provider`") && hint.contains("`legal_basis`"), "every field is listed: {hint}");
        // In the front matter, the fields are the page's own.
        let (_, diags) = service("", "sources = { phone = \"A\" }\n");
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let hint = diags[0].hint.as_deref().unwrap_or("");
        assert!(hint.contains("`cost`") && hint.contains("`waiting_time`") && !hint.contains("`phone`"), "{hint}");
    }

    #[test]
    fn an_empty_source_is_an_error() {
        let (_, diags) = service("source = \"  \"\n", "sources = { cost = \"\" }\n");
        let found: Vec<_> = diags.iter().map(|d| (d.code, d.location.file.clone(), d.location.line)).collect();
        assert_eq!(
            found,
            [
                (Code::Empty, Path::new("content/services/x/service.toml").to_path_buf(), 2),
                (Code::Empty, Path::new("content/services/x/index.lt.md").to_path_buf(), 5),
            ],
            "{diags:#?}"
        );
        assert!(diags[1].message.contains("`sources.cost` is empty"), "{}", diags[1]);
    }
}
