//! Validate stage: turns the files read by `load` into the typed [`Content`] model.
//!
//! Owns the raw serde shape of every content file (unknown fields are errors), the conversion of
//! values (dates, periods, phones, hours, slugs, per-language texts), Markdown rendering of bodies,
//! and cross-references between items (providers, audiences, categories, signatories). Every
//! problem becomes a diagnostic with file, line and column; all of them are collected.

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location, SourceText, suggestion_hint};
use crate::load::{ItemDir, Kind};
use crate::markdown::{self, Rendered};
use crate::model::*;
use crate::source::{split_front_matter, toml_error};
use crate::values;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

mod sources;

type Val = Spanned<toml::Value>;

/// Hints of validation messages that say how a field is written, shared with the field
/// descriptions ([`crate::fields`]).
pub(crate) const DATE_HINT: &str = "year-month-day, no quotes";
pub(crate) const TITLE_HINT: &str = "write the page's title";
pub(crate) const NEXT_REVIEW_HINT: &str =
    "add `review_every = \"12 months\"` (or `review_by = 2027-06-01`) below `reviewed`";
pub(crate) const EASY_LEVEL_HINT: &str = "use 1, 2 or 3 (1 is the easiest)";
pub(crate) const NUMBERING_HINT: &str = "write the number of the section the list is numbered under, such as \"6\" or \"II.6\"; leave it out to number the list 1, 2, 3";
pub(crate) use sources::SOURCE_HINT;

/// A section number ("6", "II.6", "3a"): parts of letters or digits joined by dots, without
/// the surrounding spaces and final dots; `None` when `s` is not one.
pub(crate) fn section_number(s: &str) -> Option<String> {
    let n = s.trim().trim_end_matches('.');
    let ok = !n.is_empty() && n.split('.').all(|part| !part.is_empty() && part.chars().all(char::is_alphanumeric));
    ok.then(|| n.to_string())
}

/// Raw fact files: each has the review fields plus its own.
macro_rules! facts_struct {
    ($name:ident { $($(#[$m:meta])* $field:ident : $ty:ty),* $(,)? } $(facts [$($fact:ident),*])?) => {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct $name {
            reviewed: Val,
            #[serde(default)]
            review_every: Option<Spanned<String>>,
            #[serde(default)]
            review_by: Option<Val>,
            owner: Val,
            #[serde(default)]
            source: Option<Spanned<String>>,
            #[serde(default)]
            sources: BTreeMap<Spanned<String>, Spanned<String>>,
            $($(#[$m])* $field: $ty,)*
        }
        impl HasReview for $name {
            fn review(&self) -> RawReview<'_> {
                RawReview { reviewed: &self.reviewed, every: self.review_every.as_ref(), by: self.review_by.as_ref(), owner: &self.owner }
            }
        }
        has_sources!($name { $($field),* } $(facts [$($fact),*])?);
    };
}

/// Implements [`sources::HasSources`] for a raw file: its own fields, and the facts a resident
/// acts on among them (each an `Option<Spanned<_>>`).
macro_rules! has_sources {
    ($name:ident { $($field:ident),* } $(facts [$($fact:ident),*])?) => {
        impl sources::HasSources for $name {
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
            fn raw_sources(&self) -> sources::RawSources<'_> {
                sources::RawSources { source: self.source.as_ref(), sources: &self.sources }
            }
            fn fact_spans(&self) -> Vec<(&'static str, std::ops::Range<usize>)> {
                #[allow(unused_mut)]
                let mut spans = Vec::new();
                $($(if let Some(v) = &self.$fact {
                    spans.push((stringify!($fact), v.span()));
                })*)?
                spans
            }
        }
    };
}

/// Raw language files: each has title, slug, summary and translation stamp plus its own fields.
macro_rules! doc_struct {
    ($name:ident { $($(#[$m:meta])* $field:ident : $ty:ty),* $(,)? } $(facts [$($fact:ident),*])?) => {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct $name {
            title: Spanned<String>,
            slug: Spanned<String>,
            summary: String,
            #[serde(default)]
            translated_from: Option<String>,
            #[serde(default)]
            source: Option<Spanned<String>>,
            #[serde(default)]
            sources: BTreeMap<Spanned<String>, Spanned<String>>,
            $($(#[$m])* $field: $ty,)*
        }
        impl HasCommon for $name {
            fn common(&self) -> RawCommon<'_> {
                RawCommon { title: &self.title, slug: &self.slug, summary: &self.summary, translated_from: self.translated_from.as_ref() }
            }
        }
        has_sources!($name { $($field),* } $(facts [$($fact),*])?);
    };
}

struct RawReview<'a> {
    reviewed: &'a Val,
    every: Option<&'a Spanned<String>>,
    by: Option<&'a Val>,
    owner: &'a Val,
}
trait HasReview {
    fn review(&self) -> RawReview<'_>;
}
struct RawCommon<'a> {
    title: &'a Spanned<String>,
    slug: &'a Spanned<String>,
    summary: &'a String,
    translated_from: Option<&'a String>,
}
trait HasCommon {
    fn common(&self) -> RawCommon<'_>;
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLegal {
    title: Val,
    url: Spanned<String>,
}

facts_struct!(RawService {
    provider: Spanned<String>,
    #[serde(default)] audiences: Vec<Spanned<String>>,
    #[serde(default)] categories: Vec<Spanned<String>>,
    #[serde(default)] home_visit: bool,
    #[serde(default)] phone: Option<Spanned<String>>,
    #[serde(default)] email: Option<Spanned<String>>,
    #[serde(default)] website: Option<Spanned<String>>,
    #[serde(default)] address: Option<Val>,
    #[serde(default)] hours: Option<Spanned<String>>,
    #[serde(default)] legal_basis: Vec<RawLegal>,
} facts [phone, email, website, address, hours]);

facts_struct!(RawProvider {
    #[serde(default)] short_name: Option<String>,
    #[serde(default)] phone: Option<Spanned<String>>,
    #[serde(default)] email: Option<Spanned<String>>,
    #[serde(default)] website: Option<Spanned<String>>,
    #[serde(default)] address: Option<Val>,
    #[serde(default)] hours: Option<Spanned<String>>,
} facts [phone, email, website, address, hours]);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpectation {
    id: Spanned<String>,
    commitments: Vec<Spanned<String>>,
}

facts_struct!(RawCharter {
    #[serde(default)] signatories: Vec<Spanned<String>>,
    #[serde(default)] signed: Option<Val>,
    expectations: Vec<RawExpectation>,
});

facts_struct!(RawQuality {
    provider: Spanned<String>,
    #[serde(default)] numbering: RawNumbering,
});

/// `[numbering]` of `quality.toml`: the section number each list is numbered under.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawNumbering {
    #[serde(default)]
    goals: Option<Spanned<String>>,
    #[serde(default)]
    staff_commitments: Option<Spanned<String>>,
}

facts_struct!(RawPage {});

doc_struct!(RawServiceDoc {
    #[serde(default)] eligibility: Vec<String>,
    #[serde(default)] how_to_apply: Vec<String>,
    #[serde(default)] documents: Vec<String>,
    #[serde(default)] cost: Option<Spanned<String>>,
    #[serde(default)] waiting_time: Option<Spanned<String>>,
    #[serde(default)] home_visit_note: Option<String>,
} facts [cost, waiting_time]);

doc_struct!(RawProviderDoc {
    #[serde(default)] premises_accessibility: Option<String>,
});

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpectationText {
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommitmentText {
    title: String,
    text: Spanned<String>,
}

doc_struct!(RawCharterDoc {
    #[serde(default)] feedback: Option<String>,
    #[serde(default)] expectations: BTreeMap<Spanned<String>, RawExpectationText>,
    #[serde(default)] commitments: BTreeMap<Spanned<String>, RawCommitmentText>,
});

doc_struct!(RawQualityDoc {
    vision: String,
    mission: String,
    #[serde(default)] goals: Vec<String>,
    #[serde(default)] staff_commitments: Vec<String>,
    #[serde(default)] evaluation: Vec<String>,
    #[serde(default)] review_cycle: Option<String>,
    #[serde(default)] principles: BTreeMap<Spanned<String>, String>,
});

doc_struct!(RawPageDoc {});

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    term: String,
    explanation: String,
    #[serde(default)]
    forms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEasyDoc {
    title: Spanned<String>,
    level: Spanned<i64>,
    #[serde(default)]
    checked_by: Vec<String>,
    #[serde(default)]
    checked_on: Option<Val>,
    #[serde(default)]
    glossary: Vec<RawGlossary>,
    #[serde(default)]
    translated_from: Option<String>,
}

/// Why a date field's value is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateProblem {
    /// A TOML date-time or time, where only a date is wanted.
    HasTime,
    /// Not a date or text (the TOML type's name).
    WrongType(&'static str),
    /// A date that does not exist, or text that is not year-month-day.
    Invalid,
}

/// A date field's value: a TOML date (`2026-10-01`) or the same as text (`"2026-10-01"`).
pub(crate) fn date_value(v: &toml::Value) -> Result<NaiveDate, DateProblem> {
    let parsed = match v {
        toml::Value::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()),
            _ => return Err(DateProblem::HasTime),
        },
        toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
        other => return Err(DateProblem::WrongType(other.type_str())),
    };
    parsed.ok_or(DateProblem::Invalid)
}

/// Per-file context for converting values with locations.
struct Ctx<'a> {
    src: &'a SourceText,
    offset: usize,
    config: &'a Config,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn loc(&self, span: std::ops::Range<usize>) -> Location {
        self.src.location(self.offset + span.start)
    }
    fn err(&mut self, code: Code, span: std::ops::Range<usize>, msg: impl Into<String>, hint: impl Into<String>) {
        let d = Diagnostic::error(code, self.loc(span), msg).with_hint(hint);
        self.diags.push(d);
    }

    fn date(&mut self, v: &Val, field: &str) -> Option<NaiveDate> {
        let hint = format!("write `{field} = 2026-10-01` ({DATE_HINT})");
        match date_value(v.get_ref()) {
            Ok(d) => Some(d),
            Err(DateProblem::HasTime) => {
                self.err(Code::Date, v.span(), format!("`{field}` must be a date without a time"), hint);
                None
            }
            Err(DateProblem::WrongType(t)) => {
                self.err(Code::WrongType, v.span(), format!("`{field}` must be a date, not {t}"), hint);
                None
            }
            Err(DateProblem::Invalid) => {
                // A date written another way (`"2026.11.05"`, `"05.11.2026"`): say which to write.
                match v.get_ref().as_str().and_then(|s| values::date::advice(field, s.trim())) {
                    Some((message, hint)) => self.err(Code::Date, v.span(), message, hint),
                    None => self.err(Code::Date, v.span(), format!("`{field}` is not a valid date"), hint),
                }
                None
            }
        }
    }

    /// A text given once for all languages ("...") or per language ({ lt = "...", en = "..." }).
    fn text(&mut self, v: &Val, field: &str) -> Text {
        let langs: Vec<&str> = self.config.lang_codes().collect();
        match v.get_ref() {
            toml::Value::String(s) => Text(self.config.langs().map(|l| (l, s.clone())).collect()),
            toml::Value::Table(t) => {
                let mut out = PerLang::default();
                for (k, val) in t {
                    let Some(code) = self.config.lang(k) else {
                        let hint = format!(
                            "the site's languages are {}; add `{k}` to site.toml or remove it here",
                            langs.join(", ")
                        );
                        self.err(
                            Code::Language,
                            v.span(),
                            format!("`{field}` has a text for `{k}`, a language not in site.toml"),
                            hint,
                        );
                        continue;
                    };
                    match val.as_str() {
                        Some(s) => {
                            out.insert(code, s.to_string());
                        }
                        None => self.err(
                            Code::WrongType,
                            v.span(),
                            format!("`{field}.{k}` must be text"),
                            "put the text in \"quotes\"",
                        ),
                    }
                }
                // The default language's text is what the others fall back to; a text not yet
                // translated is shown in it, marked with its language.
                let default = self.config.default_lang();
                for &l in &langs {
                    if out.contains_key(l) || t.contains_key(l) {
                        continue;
                    }
                    if l == default {
                        self.err(
                            Code::MissingField,
                            v.span(),
                            format!("`{field}` has no text for `{l}`"),
                            format!("add {l} = \"...\" to `{field}`: the other languages fall back to it"),
                        );
                    } else {
                        let at = self.loc(v.span());
                        self.diags.push(
                            Diagnostic::warning(
                                Code::TranslationMissing,
                                at,
                                format!("`{field}` has no text in `{l}` yet; pages in `{l}` show the `{default}` text"),
                            )
                            .with_hint(format!("add {l} = \"...\" to `{field}`"))
                            .in_lang(l.to_string()),
                        );
                    }
                }
                Text(out)
            }
            other => {
                let hint =
                    format!("write `{field} = \"...\"` or `{field} = {{ {} = \"...\" }}`", langs.join(" = \"...\", "));
                self.err(Code::WrongType, v.span(), format!("`{field}` must be text, not {}", other.type_str()), hint);
                Text::default()
            }
        }
    }

    fn review(&mut self, r: RawReview<'_>) -> Option<Review> {
        let reviewed = self.date(r.reviewed, "reviewed");
        let every = r.every.and_then(|e| match values::duration::parse(e.get_ref()) {
            Ok(p) => Some(p),
            Err(err) => {
                self.err(Code::Period, e.span(), err.message, err.hint);
                None
            }
        });
        let by = r.by.and_then(|b| self.date(b, "review_by"));
        if r.every.is_none() && r.by.is_none() {
            self.err(
                Code::MissingField,
                r.reviewed.span(),
                "there is no next review: add `review_every` or `review_by`",
                NEXT_REVIEW_HINT,
            );
        }
        if let (Some(e), Some(_)) = (r.every, r.by) {
            self.err(
                Code::Review,
                e.span(),
                "give either `review_every` or `review_by`, not both",
                "remove one of them",
            );
        }
        let owner = self.text(r.owner, "owner");
        Some(Review { reviewed: reviewed?, reviewed_at: self.loc(r.reviewed.span()), every, review_by: by, owner })
    }

    fn phone(&mut self, v: &Option<Spanned<String>>) -> (Option<values::phone::Phone>, Option<Location>) {
        let Some(v) = v else { return (None, None) };
        match values::phone::parse(v.get_ref()) {
            Ok(p) => (Some(p), Some(self.loc(v.span()))),
            Err(e) => {
                self.err(Code::Phone, v.span(), e.message, e.hint);
                (None, None)
            }
        }
    }

    fn email(&mut self, v: &Option<Spanned<String>>) -> Option<String> {
        let v = v.as_ref()?;
        match values::check_email(v.get_ref()) {
            Ok(()) => Some(v.get_ref().clone()),
            Err(e) => {
                self.err(Code::Email, v.span(), e.message, e.hint);
                None
            }
        }
    }

    fn url(&mut self, v: &Spanned<String>) -> Option<String> {
        match values::check_url(v.get_ref()) {
            Ok(_) => Some(v.get_ref().clone()),
            Err(e) => {
                self.err(Code::Url, v.span(), e.message, e.hint);
                None
            }
        }
    }

    /// A section number a list is numbered under: parts of letters or digits joined by dots
    /// ("6", "II.6", "3a").
    fn section_number(&mut self, v: &Option<Spanned<String>>) -> Option<String> {
        let v = v.as_ref()?;
        if let Some(n) = section_number(v.get_ref()) {
            return Some(n);
        }
        self.err(Code::Numbering, v.span(), format!("`{}` is not a section number", v.get_ref()), NUMBERING_HINT);
        None
    }

    fn hours(&mut self, v: &Option<Spanned<String>>) -> Option<Vec<values::hours::Rule>> {
        let v = v.as_ref()?;
        match values::hours::parse(v.get_ref()) {
            Ok(h) => Some(h),
            Err(e) => {
                self.err(Code::Hours, v.span(), e.message, e.hint);
                None
            }
        }
    }

    fn contact(
        &mut self,
        phone: &Option<Spanned<String>>,
        email: &Option<Spanned<String>>,
        website: &Option<Spanned<String>>,
        address: &Option<Val>,
        hours: &Option<Spanned<String>>,
    ) -> ContactFacts {
        let (phone, phone_at) = self.phone(phone);
        ContactFacts {
            phone,
            phone_at,
            email: self.email(email),
            website: website.as_ref().and_then(|w| self.url(w)),
            address: address.as_ref().map(|a| self.text(a, "address")),
            hours: self.hours(hours),
        }
    }
}

/// How the site's Markdown is rendered; `keep_lines` for easy-read texts. `check` keeps the
/// marks.
fn mode(config: &Config, keep_lines: bool) -> markdown::Mode<'_> {
    markdown::Mode { marks: config.markdown.for_check, ..markdown::Mode::site(&config.markdown, keep_lines) }
}

fn parse_toml<T: DeserializeOwned>(
    src: &SourceText,
    text: &str,
    offset: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    match toml::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(toml_error(src, offset, &e));
            None
        }
    }
}

/// Short content hash of a file, recorded by translations as `translated_from`.
pub fn short_hash(text: &str) -> String {
    short_of(&Sha256::digest(text.as_bytes()).into())
}

/// The short hash of a file whose SHA-256 is `digest`.
fn short_of(digest: &[u8; 32]) -> String {
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// Parses one language file: common fields, the kind's fields (via `fields`), and the body.
fn doc<R: DeserializeOwned + HasCommon + sources::HasSources, F>(
    config: &Config,
    lang: Lang,
    src: &SourceText,
    diags: &mut Vec<Diagnostic>,
    fields: impl FnOnce(&R, &mut Ctx<'_>) -> F,
) -> Option<Doc<F>> {
    let split = match split_front_matter(src) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let raw: R = parse_toml(src, split.front_matter, split.fm_offset, diags)?;
    let mut ctx = Ctx { src, offset: split.fm_offset, config, diags: Vec::new() };
    let c = raw.common();
    if c.title.get_ref().trim().is_empty() {
        ctx.err(Code::Empty, c.title.span(), "the title is empty", TITLE_HINT);
    }
    if let Err(e) = values::slug::check_in(c.slug.get_ref(), "slug", &lang) {
        ctx.err(Code::Slug, c.slug.span(), e.message, e.hint);
    }
    let f = fields(&raw, &mut ctx);
    let sources = ctx.sources(&raw);
    // The page's HTML is made when the page is rendered (`model::Body`); `check` keeps the phone
    // numbers of the plain text.
    let for_check = config.markdown.for_check;
    let body = markdown::render(
        src,
        split.body,
        split.body_offset,
        markdown::Mode { html: false, plain: for_check, ..mode(config, false) },
        &mut ctx.diags,
    );
    let digest: [u8; 32] = Sha256::digest(src.text.as_bytes()).into();
    let ok = !ctx.diags.iter().any(Diagnostic::is_error);
    let c = raw.common();
    let out = Doc {
        lang,
        file: src.path.clone(),
        title: c.title.get_ref().trim().to_string(),
        slug: c.slug.get_ref().clone(),
        slug_at: ctx.loc(c.slug.span()),
        summary: c.summary.trim().to_string(),
        body: Body::keep(body, split.body_offset, &digest, for_check),
        translated_from: c.translated_from.cloned(),
        hash: short_of(&digest),
        fields: f,
        sources,
    };
    diags.append(&mut ctx.diags);
    ok.then_some(out)
}

fn easy_doc(config: &Config, lang: Lang, src: &SourceText, diags: &mut Vec<Diagnostic>) -> Option<EasyDoc> {
    let split = match split_front_matter(src) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let raw: RawEasyDoc = parse_toml(src, split.front_matter, split.fm_offset, diags)?;
    let mut ctx = Ctx { src, offset: split.fm_offset, config, diags: Vec::new() };
    if !(1..=3).contains(raw.level.get_ref()) {
        ctx.err(
            Code::EasyLevel,
            raw.level.span(),
            format!("level {} is not an easy-read level", raw.level.get_ref()),
            EASY_LEVEL_HINT,
        );
    }
    let checked_on = raw.checked_on.as_ref().and_then(|d| ctx.date(d, "checked_on"));
    let body = markdown::render(src, split.body, split.body_offset, mode(config, true), &mut ctx.diags);
    let ok = !ctx.diags.iter().any(Diagnostic::is_error);
    diags.append(&mut ctx.diags);
    let title_line = src.location(split.fm_offset + raw.title.span().start).line;
    ok.then(|| EasyDoc {
        lang,
        file: src.path.clone(),
        title: raw.title.get_ref().trim().to_string(),
        title_line,
        level: *raw.level.get_ref() as u8,
        checked_by: raw.checked_by,
        checked_on,
        glossary: raw
            .glossary
            .into_iter()
            .map(|g| crate::model::GlossaryEntry { term: g.term, explanation: g.explanation, forms: g.forms })
            .collect(),
        body,
        body_source: split.body.to_string(),
        body_line: src.location(split.body_offset).line,
        translated_from: raw.translated_from,
        hash: short_hash(&src.text),
    })
}

fn facts<'a, R: DeserializeOwned>(item: &'a ItemDir, diags: &mut Vec<Diagnostic>) -> Option<(R, &'a SourceText)> {
    let src = item.facts.as_ref()?;
    parse_toml::<R>(src, &src.text, 0, diags).map(|r| (r, src))
}

fn docs<R: DeserializeOwned + HasCommon + sources::HasSources, F>(
    item: &ItemDir,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
    fields: impl Fn(&R, &mut Ctx<'_>) -> F,
) -> Docs<Doc<F>> {
    let mut out = PerLang::default();
    for (&lang, src) in &item.docs {
        if let Some(d) = doc(config, lang, src, diags, &fields) {
            out.insert(lang, Box::new(d));
        }
    }
    out
}

fn easies(item: &ItemDir, config: &Config, diags: &mut Vec<Diagnostic>) -> Docs<EasyDoc> {
    let mut out = PerLang::default();
    for (&lang, src) in &item.easy {
        if !item.docs.contains_key(&lang) {
            diags.push(
                Diagnostic::error(
                    Code::MissingFile,
                    Location::file(&src.path),
                    format!("there is an easy-read version in `{lang}` but no index.{lang}.md"),
                )
                .with_hint(format!("add index.{lang}.md beside it; the easy-read version belongs to that page")),
            );
        }
        if let Some(d) = easy_doc(config, lang, src, diags) {
            out.insert(lang, Box::new(d));
        }
    }
    out
}

fn non_empty_list(list: &[String]) -> Vec<String> {
    list.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// One validated item.
pub enum Item {
    Service(Service),
    Provider(Provider),
    Charter(Charter),
    Quality(Quality),
    Page(FreePage),
}

/// Raw reference to another item, checked after all items are read.
struct Ref {
    what: &'static str,
    id: String,
    at: Location,
}

fn validate_item(item: &ItemDir, config: &Config) -> (Option<Item>, Vec<Ref>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut refs = Vec::new();
    let out = match item.kind {
        Kind::Service => facts::<RawService>(item, &mut diags).and_then(|(raw, src)| {
            let mut ctx = Ctx { src, offset: 0, config, diags: Vec::new() };
            let review = ctx.review(raw.review());
            let sources = ctx.sources(&raw);
            let contact = ctx.contact(&raw.phone, &raw.email, &raw.website, &raw.address, &raw.hours);
            refs.push(Ref { what: "provider", id: raw.provider.get_ref().clone(), at: ctx.loc(raw.provider.span()) });
            for a in &raw.audiences {
                refs.push(Ref { what: "audience", id: a.get_ref().clone(), at: ctx.loc(a.span()) });
            }
            for c in &raw.categories {
                refs.push(Ref { what: "category", id: c.get_ref().clone(), at: ctx.loc(c.span()) });
            }
            let legal_basis = raw
                .legal_basis
                .iter()
                .filter_map(|l| {
                    let title = ctx.text(&l.title, "legal_basis.title");
                    ctx.url(&l.url).map(|url| LegalLink { title, url })
                })
                .collect();
            diags.append(&mut ctx.diags);
            let docs = docs(item, config, &mut diags, |d: &RawServiceDoc, _ctx| ServiceFields {
                eligibility: non_empty_list(&d.eligibility),
                how_to_apply: non_empty_list(&d.how_to_apply),
                documents: non_empty_list(&d.documents),
                cost: d.cost.as_ref().map(|c| c.get_ref().clone()),
                waiting_time: d.waiting_time.as_ref().map(|w| w.get_ref().clone()),
                home_visit_note: d.home_visit_note.clone(),
            });
            Some(Item::Service(Service {
                id: item.id.clone(),
                dir: item.dir.clone(),
                provider: raw.provider.into_inner(),
                audiences: raw.audiences.into_iter().map(Spanned::into_inner).collect(),
                categories: raw.categories.into_iter().map(Spanned::into_inner).collect(),
                home_visit: raw.home_visit,
                contact,
                legal_basis,
                review: review?,
                sources,
                docs,
                easy: easies(item, config, &mut diags),
            }))
        }),
        Kind::Provider => facts::<RawProvider>(item, &mut diags).and_then(|(raw, src)| {
            let mut ctx = Ctx { src, offset: 0, config, diags: Vec::new() };
            let review = ctx.review(raw.review());
            let sources = ctx.sources(&raw);
            let contact = ctx.contact(&raw.phone, &raw.email, &raw.website, &raw.address, &raw.hours);
            diags.append(&mut ctx.diags);
            let docs = docs(item, config, &mut diags, |d: &RawProviderDoc, _ctx| ProviderFields {
                premises_accessibility: d.premises_accessibility.clone(),
            });
            Some(Item::Provider(Provider {
                id: item.id.clone(),
                dir: item.dir.clone(),
                short_name: raw.short_name.clone(),
                contact,
                review: review?,
                sources,
                docs,
                easy: easies(item, config, &mut diags),
            }))
        }),
        Kind::Charter => facts::<RawCharter>(item, &mut diags).and_then(|(raw, src)| {
            let mut ctx = Ctx { src, offset: 0, config, diags: Vec::new() };
            let review = ctx.review(raw.review());
            let sources = ctx.sources(&raw);
            let signed = raw.signed.as_ref().and_then(|d| ctx.date(d, "signed"));
            for s in &raw.signatories {
                refs.push(Ref { what: "provider", id: s.get_ref().clone(), at: ctx.loc(s.span()) });
            }
            let mut seen = BTreeSet::new();
            let mut expectations = Vec::new();
            for e in &raw.expectations {
                for id in std::iter::once(&e.id).chain(e.commitments.iter()) {
                    if let Err(err) = values::slug::check(id.get_ref(), "id") {
                        ctx.err(Code::Id, id.span(), err.message, err.hint);
                    } else if !seen.insert(id.get_ref().clone()) {
                        ctx.err(
                            Code::DuplicateId,
                            id.span(),
                            format!("the id `{}` is used twice in the charter", id.get_ref()),
                            "give every expectation and commitment its own id: it is the anchor other pages link to",
                        );
                    }
                }
                expectations.push(Expectation {
                    id: e.id.get_ref().clone(),
                    commitments: e.commitments.iter().map(|c| c.get_ref().clone()).collect(),
                });
            }
            diags.append(&mut ctx.diags);
            let structure = &expectations;
            let docs = docs(item, config, &mut diags, |d: &RawCharterDoc, ctx| {
                let mut f = CharterFields { feedback: d.feedback.clone(), ..Default::default() };
                for (k, v) in &d.expectations {
                    if !structure.iter().any(|e| &e.id == k.get_ref()) {
                        let ids: Vec<&str> = structure.iter().map(|e| e.id.as_str()).collect();
                        ctx.err(
                            Code::UnknownId,
                            k.span(),
                            format!("`{}` is not an expectation in charter.toml", k.get_ref()),
                            suggestion_hint(k.get_ref(), &ids, "expectation id"),
                        );
                    }
                    f.expectations.insert(k.get_ref().clone(), v.title.clone());
                }
                let all: Vec<&str> = structure.iter().flat_map(|e| e.commitments.iter().map(String::as_str)).collect();
                for (k, v) in &d.commitments {
                    if !all.contains(&k.get_ref().as_str()) {
                        ctx.err(
                            Code::UnknownId,
                            k.span(),
                            format!("`{}` is not a commitment in charter.toml", k.get_ref()),
                            suggestion_hint(k.get_ref(), &all, "commitment id"),
                        );
                    }
                    // The text starts after the opening quote(s) of the TOML string.
                    let start = ctx.offset + v.text.span().start;
                    let raw = &ctx.src.text[start.min(ctx.src.text.len())..];
                    let triple = raw.starts_with("\"\"\"") || raw.starts_with("'''");
                    let skip = if triple && raw[3..].starts_with('\n') {
                        4
                    } else if triple {
                        3
                    } else {
                        1
                    };
                    let rendered: Rendered =
                        markdown::render(ctx.src, v.text.get_ref(), start + skip, mode(config, false), &mut ctx.diags);
                    f.links.extend(rendered.links.iter().cloned());
                    f.commitments
                        .insert(k.get_ref().clone(), CommitmentText { title: v.title.clone(), html: rendered.html });
                }
                for e in structure {
                    if !d.expectations.keys().any(|k| k.get_ref() == &e.id) {
                        let at = ctx.src.location(0);
                        ctx.diags.push(
                            Diagnostic::error(
                                Code::MissingField,
                                at,
                                format!("the expectation `{}` has no text here", e.id),
                            )
                            .with_hint(format!("add [expectations.{}] with a title", e.id)),
                        );
                    }
                    for c in &e.commitments {
                        if !d.commitments.keys().any(|k| k.get_ref() == c) {
                            let at = ctx.src.location(0);
                            ctx.diags.push(
                                Diagnostic::error(
                                    Code::MissingField,
                                    at,
                                    format!("the commitment `{c}` has no text here"),
                                )
                                .with_hint(format!("add [commitments.{c}] with title and text")),
                            );
                        }
                    }
                }
                f
            });
            Some(Item::Charter(Charter {
                dir: item.dir.clone(),
                signatories: raw.signatories.iter().map(|s| s.get_ref().clone()).collect(),
                signed,
                expectations,
                review: review?,
                sources,
                docs,
                easy: easies(item, config, &mut diags),
            }))
        }),
        Kind::Quality => facts::<RawQuality>(item, &mut diags).and_then(|(raw, src)| {
            let mut ctx = Ctx { src, offset: 0, config, diags: Vec::new() };
            let review = ctx.review(raw.review());
            let sources = ctx.sources(&raw);
            refs.push(Ref { what: "provider", id: raw.provider.get_ref().clone(), at: ctx.loc(raw.provider.span()) });
            let n = &raw.numbering;
            let numbering = ListNumbering {
                goals: ctx.section_number(&n.goals),
                staff_commitments: ctx.section_number(&n.staff_commitments),
            };
            diags.append(&mut ctx.diags);
            let docs = docs(item, config, &mut diags, |d: &RawQualityDoc, ctx| {
                let mut principles = Vec::new();
                for k in d.principles.keys() {
                    if !EQUASS_PRINCIPLES.contains(&k.get_ref().as_str()) {
                        ctx.err(
                            Code::UnknownId,
                            k.span(),
                            format!("`{}` is not one of the nine EQUASS principles", k.get_ref()),
                            suggestion_hint(k.get_ref(), &EQUASS_PRINCIPLES, "principle"),
                        );
                    }
                }
                for p in EQUASS_PRINCIPLES {
                    if let Some((_, v)) = d.principles.iter().find(|(k, _)| k.get_ref() == p) {
                        principles.push((p.to_string(), v.clone()));
                    }
                }
                QualityFields {
                    vision: d.vision.clone(),
                    mission: d.mission.clone(),
                    goals: non_empty_list(&d.goals),
                    staff_commitments: non_empty_list(&d.staff_commitments),
                    evaluation: non_empty_list(&d.evaluation),
                    review_cycle: d.review_cycle.clone(),
                    principles,
                }
            });
            Some(Item::Quality(Quality {
                dir: item.dir.clone(),
                provider: raw.provider.into_inner(),
                numbering,
                review: review?,
                sources,
                docs,
                easy: easies(item, config, &mut diags),
            }))
        }),
        Kind::Page => facts::<RawPage>(item, &mut diags).and_then(|(raw, src)| {
            let mut ctx = Ctx { src, offset: 0, config, diags: Vec::new() };
            let review = ctx.review(raw.review());
            let sources = ctx.sources(&raw);
            diags.append(&mut ctx.diags);
            let docs = docs(item, config, &mut diags, |_: &RawPageDoc, _ctx| ());
            Some(Item::Page(FreePage {
                id: item.id.clone(),
                dir: item.dir.clone(),
                review: review?,
                sources,
                docs,
                easy: easies(item, config, &mut diags),
            }))
        }),
    };
    (out, refs, diags)
}

/// A term as written in `content/taxonomies.toml`: a label (one text, or one per language), or a
/// table with `label` and `slug`. Read by hand so the values inside a table keep their places.
enum RawTerm {
    /// A value that is not a table (a text, or something that should have been one).
    Plain(toml::Value),
    /// A table's keys and values, in order.
    Table(Vec<(Spanned<String>, Val)>),
}

impl<'de> Deserialize<'de> for RawTerm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawTerm;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a label, or a table with `label` and `slug`")
            }
            fn visit_str<E>(self, s: &str) -> Result<RawTerm, E> {
                Ok(RawTerm::Plain(toml::Value::String(s.to_string())))
            }
            fn visit_i64<E>(self, n: i64) -> Result<RawTerm, E> {
                Ok(RawTerm::Plain(toml::Value::Integer(n)))
            }
            fn visit_f64<E>(self, n: f64) -> Result<RawTerm, E> {
                Ok(RawTerm::Plain(toml::Value::Float(n)))
            }
            fn visit_bool<E>(self, b: bool) -> Result<RawTerm, E> {
                Ok(RawTerm::Plain(toml::Value::Boolean(b)))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawTerm, A::Error> {
                while seq.next_element::<toml::Value>()?.is_some() {}
                Ok(RawTerm::Plain(toml::Value::Array(Vec::new())))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawTerm, A::Error> {
                let mut entries = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    if k.get_ref().starts_with("$__toml_private") {
                        // A date or time written where a label belongs.
                        let _: toml::Value = map.next_value()?;
                        return Ok(RawTerm::Plain(toml::Value::Datetime(
                            "1970-01-01".parse().map_err(serde::de::Error::custom)?,
                        )));
                    }
                    entries.push((k, map.next_value::<Val>()?));
                }
                Ok(RawTerm::Table(entries))
            }
        }
        d.deserialize_any(Visitor)
    }
}

fn taxonomies(src: Option<&SourceText>, config: &Config, diags: &mut Diagnostics) -> Taxonomies {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawTax {
        #[serde(default)]
        audiences: BTreeMap<Spanned<String>, Spanned<RawTerm>>,
        #[serde(default)]
        categories: BTreeMap<Spanned<String>, Spanned<RawTerm>>,
    }
    let Some(src) = src else { return Taxonomies::default() };
    let mut list = Vec::new();
    let Some(raw) = parse_toml::<RawTax>(src, &src.text, 0, &mut list) else {
        diags.items.extend(list);
        return Taxonomies::default();
    };
    let mut ctx = Ctx { src, offset: 0, config, diags: list };
    let mut terms = |map: &BTreeMap<Spanned<String>, Spanned<RawTerm>>, what: &str| -> Vec<Term> {
        let mut out = Vec::new();
        for (k, v) in map {
            if let Err(e) = values::slug::check(k.get_ref(), "key") {
                ctx.err(Code::Id, k.span(), e.message, e.hint);
                continue;
            }
            let name = format!("{what}.{}", k.get_ref());
            if let Some(term) = term(&mut ctx, k, v, &name) {
                out.push(term);
            }
        }
        out
    };
    let t =
        Taxonomies { audiences: terms(&raw.audiences, "audiences"), categories: terms(&raw.categories, "categories") };
    diags.items.extend(ctx.diags);
    t
}

/// One term of `content/taxonomies.toml` (`name`: `audiences.<key>`): its label, and its slug in
/// every language of the site.
fn term(ctx: &mut Ctx<'_>, key: &Spanned<String>, v: &Spanned<RawTerm>, name: &str) -> Option<Term> {
    let full = match v.get_ref() {
        RawTerm::Table(entries) => entries.iter().any(|(k, _)| k.get_ref() == "label" || k.get_ref() == "slug"),
        RawTerm::Plain(_) => false,
    };
    let (label, slug) = match v.get_ref() {
        RawTerm::Plain(p) => (Spanned::new(v.span(), p.clone()), None),
        RawTerm::Table(entries) if !full => {
            let table = entries.iter().map(|(k, x)| (k.get_ref().clone(), x.get_ref().clone())).collect();
            (Spanned::new(v.span(), toml::Value::Table(table)), None)
        }
        RawTerm::Table(entries) => {
            let mut label = None;
            let mut slug = None;
            for (k, x) in entries {
                match k.get_ref().as_str() {
                    "label" => label = Some(x.clone()),
                    "slug" => slug = Some(x.clone()),
                    other => ctx.err(
                        Code::UnknownField,
                        k.span(),
                        format!("`{name}` has `{other}`, which a term does not have"),
                        "a term has `label` (its name, one text or one per language) and `slug` (its own addresses)",
                    ),
                }
            }
            let Some(label) = label else {
                ctx.err(
                    Code::MissingField,
                    v.span(),
                    format!("`{name}` has no `label`"),
                    format!("add its name: label = {{ {} = \"...\" }}", ctx.config.default_lang()),
                );
                return None;
            };
            (label, slug)
        }
    };
    let label_text = ctx.text(&label, name);
    let default = ctx.config.default_lang().to_string();
    // The term's own slugs, by language.
    let mut own: PerLang<String> = PerLang::default();
    if let Some(slug) = &slug {
        let langs: Vec<String> = ctx.config.lang_codes().map(str::to_string).collect();
        let written: Vec<(String, Option<&str>)> = match slug.get_ref() {
            toml::Value::String(s) => langs.iter().map(|l| (l.clone(), Some(s.as_str()))).collect(),
            toml::Value::Table(t) => t.iter().map(|(l, x)| (l.clone(), x.as_str())).collect(),
            other => {
                ctx.err(
                    Code::WrongType,
                    slug.span(),
                    format!("`{name}.slug` must be text, not {}", other.type_str()),
                    format!("write the address per language: slug = {{ {default} = \"...\" }}"),
                );
                Vec::new()
            }
        };
        for (l, s) in written {
            let Some(code) = ctx.config.lang(&l) else {
                ctx.err(
                    Code::Language,
                    slug.span(),
                    format!("`{name}.slug` has an address for `{l}`, a language not in site.toml"),
                    format!("the site's languages are {}; add `{l}` to site.toml or remove it here", langs.join(", ")),
                );
                continue;
            };
            let Some(s) = s else {
                ctx.err(
                    Code::WrongType,
                    slug.span(),
                    format!("`{name}.slug.{l}` must be text"),
                    "put the slug in \"quotes\"",
                );
                continue;
            };
            match values::slug::check_in(s, &format!("slug of `{name}` in `{l}`"), &l) {
                Ok(()) => {
                    own.insert(code, s.to_string());
                }
                Err(e) => ctx.err(Code::Slug, slug.span(), e.message, e.hint),
            }
        }
    }
    let mut slugs = PerLang::default();
    let mut slug_at = PerLang::default();
    for code in ctx.config.langs() {
        let l = code.as_str();
        if let (Some(s), Some(at)) = (own.get(l), &slug) {
            slugs.insert(code, s.clone());
            slug_at.insert(code, SlugSource { at: ctx.loc(at.span()), set: true });
            continue;
        }
        let shown = label_text.shown(l, &default);
        if shown.text.is_empty() {
            continue; // no label at all: reported above
        }
        let made = values::slug::slugify_in(shown.text, shown.lang);
        if made.is_empty() {
            let key = key.get_ref();
            ctx.err(
                Code::EmptySlug,
                label.span(),
                format!("the label of `{name}` in `{l}`, `{}`, has no letters or digits to make an address of", shown.text),
                format!(
                    "give the term its own address: {key} = {{ label = ..., slug = {{ {l} = \"{key}\" }} }} (the label as it is now goes in `label`)"
                ),
            );
            continue;
        }
        slugs.insert(code, made);
        slug_at.insert(code, SlugSource { at: ctx.loc(label.span()), set: false });
    }
    Some(Term { key: key.get_ref().clone(), label: label_text, slug: slugs, at: ctx.loc(key.span()), slug_at })
}

/// Validates the items `load` reads (each with what reading it found wrong) into the typed model.
/// Items are validated in parallel as they come; an item's files are dropped as soon as it is
/// validated.
pub fn validate(
    taxonomies: Option<&SourceText>,
    items: impl IndexedParallelIterator<Item = (ItemDir, Diagnostics)>,
    config: &Config,
) -> (Content, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut content = Content { taxonomies: self::taxonomies(taxonomies, config, &mut diags), ..Default::default() };
    diags.items.extend(taxonomies.into_iter().flat_map(|t| crate::lint::placeholders::scan(t, &[])));
    // When `items` reads each item as it is asked for (the pipeline's way), a catalogue's files are
    // never all in memory at once: at 10,000 services they were 182 MiB of a build's peak.
    let results: Vec<_> = items
        .map(|(it, read)| {
            let (item, refs, mut d) = validate_item(&it, config);
            d.extend(crate::lint::placeholders::scan_item(&it));
            let assets: Vec<Asset> = it
                .assets
                .into_iter()
                .map(|p| Asset { name: p.file_name().unwrap_or_default().to_string_lossy().into_owned(), source: p })
                .collect();
            let provider = (it.kind == Kind::Provider).then(|| it.id.clone());
            (item, refs, read.items.into_iter().chain(d).collect::<Vec<_>>(), (it.dir, assets), provider)
        })
        .collect();
    // Sized once: growing them moved every service several times over, on one core.
    let count = |k: fn(&Item) -> bool| results.iter().filter(|r| r.0.as_ref().is_some_and(k)).count();
    content.services.reserve_exact(count(|i| matches!(i, Item::Service(_))));
    content.providers.reserve_exact(count(|i| matches!(i, Item::Provider(_))));
    content.pages.reserve_exact(count(|i| matches!(i, Item::Page(_))));
    let mut all_refs = Vec::with_capacity(results.iter().map(|r| r.1.len()).sum());
    let mut provider_ids = Vec::with_capacity(results.len());
    for (item, refs, d, (dir, assets), provider) in results {
        diags.items.extend(d);
        all_refs.extend(refs);
        provider_ids.extend(provider);
        if !assets.is_empty() {
            content.assets.insert(dir, assets);
        }
        match item {
            Some(Item::Service(s)) => content.services.push(s),
            Some(Item::Provider(p)) => content.providers.push(p),
            Some(Item::Charter(c)) => content.charter = Some(c),
            Some(Item::Quality(q)) => content.quality = Some(q),
            Some(Item::Page(p)) => content.pages.push(p),
            None => {}
        }
    }
    // Cross-references: only ids that were read (an item that failed to validate still counts as
    // existing, so one broken provider file does not cascade into errors on every service).
    let provider_ids: Vec<&str> = provider_ids.iter().map(String::as_str).collect();
    diags.items.extend(check_refs(all_refs, &provider_ids, &content.taxonomies));
    content.services.sort_by(|a, b| a.id.cmp(&b.id));
    content.providers.sort_by(|a, b| a.id.cmp(&b.id));
    content.pages.sort_by(|a, b| a.id.cmp(&b.id));
    (content, diags)
}

/// Validates one item against the rest of the content (for `serve`, which re-reads only what
/// changed).
pub fn validate_one(item: &ItemDir, config: &Config, content: &Content) -> (Option<Item>, Vec<Diagnostic>) {
    let (out, refs, mut diags) = validate_item(item, config);
    let mut provider_ids: Vec<&str> = content.providers.iter().map(|p| p.id.as_str()).collect();
    if item.kind == Kind::Provider {
        provider_ids.push(&item.id);
    }
    diags.extend(check_refs(refs, &provider_ids, &content.taxonomies));
    (out, diags)
}

fn check_refs(all_refs: Vec<Ref>, provider_ids: &[&str], taxonomies: &Taxonomies) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let provider_ids = provider_ids.to_vec();
    let audience_keys: Vec<&str> = taxonomies.audiences.iter().map(|t| t.key.as_str()).collect();
    let category_keys: Vec<&str> = taxonomies.categories.iter().map(|t| t.key.as_str()).collect();
    // Thousands of providers: looked up in a set, not a list.
    let sets: [std::collections::HashSet<&str>; 3] =
        [&provider_ids, &audience_keys, &category_keys].map(|v| v.iter().copied().collect());
    for r in all_refs {
        let (ids, set, file_hint) = match r.what {
            "provider" => (&provider_ids, &sets[0], "content/providers/<id>/"),
            "audience" => (&audience_keys, &sets[1], "content/taxonomies.toml [audiences]"),
            _ => (&category_keys, &sets[2], "content/taxonomies.toml [categories]"),
        };
        if !set.contains(r.id.as_str()) {
            let hint = format!("{} (they are defined in {file_hint})", suggestion_hint(&r.id, ids, r.what));
            diags.push(
                Diagnostic::error(Code::UnknownReference, r.at, format!("there is no {} `{}`", r.what, r.id))
                    .with_hint(hint),
            );
        }
    }
    diags
}
