//! The fields of every content file, described once.
//!
//! For each kind of item ([`Kind`]) and each of its files ([`Part`]: the facts file such as
//! `service.toml`, the text `index.<lang>.md`, the easy-read text `easy.<lang>.md`), [`fields`]
//! lists every field the file may contain: its name, its type ([`Type`]), whether it is required,
//! and a help text for the person who writes it.
//!
//! The raw shapes in [`crate::validate`] decide what a file may contain; this description follows
//! them, and unit tests keep the two in step (a file with every described field validates; a file
//! without a required field does not; a field validation accepts that is not described here fails
//! a test). What needs to know the fields is made from this description, never written by hand:
//! the configuration of the browser editor ([`crate::editor`]), and a reference of every content
//! field. Help texts that say how a value is written are the hints of the messages that report a
//! wrong value, shared as constants with the code that reports them.

use crate::load::Kind;
use crate::validate::{DATE_HINT, EASY_LEVEL_HINT, NEXT_REVIEW_HINT, NUMBERING_HINT, SOURCE_HINT, TITLE_HINT};
use crate::values;

/// Which file of an item a field is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The facts, the same in every language, once per item (`service.toml`, ...).
    Facts,
    /// The page in one language (`index.<lang>.md`): TOML front matter between `+++` lines, then
    /// the Markdown text.
    Text,
    /// The easy-read version in one language (`easy.<lang>.md`), laid out like the text.
    Easy,
}

impl Part {
    /// The file's name in the item's folder (`lang` for the texts).
    pub fn file_name(self, kind: Kind, lang: &str) -> String {
        match self {
            Part::Facts => kind.facts_file().to_string(),
            Part::Text => format!("index.{lang}.md"),
            Part::Easy => format!("easy.{lang}.md"),
        }
    }
}

/// Where the values of a choice come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    /// The ids of the institutions (`content/providers/<id>/`).
    Providers,
    /// The keys of `[audiences]` in `content/taxonomies.toml`.
    Audiences,
    /// The keys of `[categories]` in `content/taxonomies.toml`.
    Categories,
    /// The ids of the charter's expectations (in `charter.toml`).
    Expectations,
    /// The ids of the charter's commitments (in `charter.toml`).
    Commitments,
    /// The nine EQUASS principles ([`crate::model::EQUASS_PRINCIPLES`]).
    EquassPrinciples,
}

/// The type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// One line of text.
    Text,
    /// Text of a sentence or more.
    LongText,
    /// Text given once for every language (`"..."`) or per language (`{ lt = "...", en = "..." }`,
    /// then for each of the site's languages).
    LangText,
    /// A date, year-month-day (`2026-10-01`).
    Date,
    /// A period of time such as "12 months" ([`values::duration`]).
    Period,
    /// A phone number ([`values::phone`]).
    Phone,
    /// An e-mail address.
    Email,
    /// A web address.
    Url,
    /// The number of a section of a document: parts of letters or digits joined by dots ("6",
    /// "II.6").
    Section,
    /// Opening hours such as "Mo-Th 08:00-17:00; Fr 08:00-15:45" ([`values::hours`]).
    Hours,
    /// Yes or no (`true` or `false`).
    Bool,
    /// An id or the address of a page in one language: lowercase letters, digits and hyphens.
    Id,
    /// A whole number from `min` to `max`.
    Number { min: i64, max: i64 },
    /// One value from a list.
    Choice(Choices),
    /// Several values from a list.
    Choices(Choices),
    /// A list of texts, one item each.
    TextList,
    /// A list of ids.
    IdList,
    /// A table with these fields (`[numbering]`).
    Table(&'static [Field]),
    /// A list of tables, each with these fields (`[[legal_basis]]`).
    Tables(&'static [Field]),
    /// A text for some of the file's own fields ([`own_fields`]): where its facts come from
    /// (`sources = { phone = "..." }`).
    Sources,
    /// A table for each key from a list, each with these fields (`[commitments.<id>]`).
    Keyed(Choices, &'static [Field]),
    /// A text for each key from a list (`[principles]`); each key is optional.
    KeyedText(Choices),
    /// The Markdown text after the front matter.
    Markdown,
    /// Written by a Skaidra command, not by hand (`translated_from`, by `skaidra stamp`).
    Stamp,
}

/// One field of a content file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The field's name in the file ([`BODY`] for the Markdown text).
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
    /// What the field is for, in plain words.
    pub help: &'static str,
    /// How the value is written, when the type has rules: the hint of the message that reports
    /// a wrong value.
    pub rule: Option<&'static str>,
}

impl Field {
    /// The help text with the rule, as one text.
    pub fn help_text(&self) -> String {
        match self.rule {
            Some(r) if self.help.is_empty() => upper_first(r),
            Some(r) => format!("{} {}.", self.help, upper_first(r)),
            None => self.help.to_string(),
        }
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The name given to the Markdown text after the front matter (it is not a TOML field).
pub const BODY: &str = "body";

const fn field(name: &'static str, ty: Type, required: bool, help: &'static str) -> Field {
    let rule = match ty {
        Type::Date => Some(DATE_HINT),
        Type::Period => Some(values::duration::HINT),
        Type::Phone => Some(values::phone::HINT),
        Type::Email => Some(values::EMAIL_HINT),
        Type::Url => Some(values::URL_HINT),
        Type::Hours => Some(values::hours::HINT),
        Type::Section => Some(NUMBERING_HINT),
        Type::Id | Type::IdList => Some(values::slug::HINT),
        _ => None,
    };
    Field { name, ty, required, help, rule }
}

const fn req(name: &'static str, ty: Type, help: &'static str) -> Field {
    field(name, ty, true, help)
}

const fn opt(name: &'static str, ty: Type, help: &'static str) -> Field {
    field(name, ty, false, help)
}

/// Who keeps an item current and when it is reviewed: in every facts file.
const REVIEW: [Field; 4] = [
    req("reviewed", Type::Date, "When the information was last checked."),
    Field {
        rule: Some(NEXT_REVIEW_HINT),
        ..opt("review_every", Type::Period, "How often it must be checked again (or give `review_by`).")
    },
    Field {
        rule: Some(NEXT_REVIEW_HINT),
        ..opt("review_by", Type::Date, "The date by which it must be checked again (or give `review_every`).")
    },
    req("owner", Type::LangText, "Who keeps this information current (a department or a person's role)."),
];

/// The fields every page's text has.
const COMMON: [Field; 3] = [
    Field { rule: Some(TITLE_HINT), ..req("title", Type::Text, "The page's title, its only main heading.") },
    req("slug", Type::Id, "The address of the page in this language."),
    req("summary", Type::LongText, "One or two plain sentences: what the page is about."),
];

const STAMP: Field = opt(
    "translated_from",
    Type::Stamp,
    "Which version of the default-language text a translation matches; `skaidra stamp` writes it.",
);

const BODY_FIELD: Field = opt(BODY, Type::Markdown, "The text of the page, in Markdown. Use `##` for sections.");

const CONTACT: [Field; 5] = [
    opt("phone", Type::Phone, "The phone number people call."),
    opt("email", Type::Email, "The e-mail address people write to."),
    opt("website", Type::Url, "The web site with more information."),
    opt("address", Type::LangText, "Where people come."),
    opt("hours", Type::Hours, "When people can call or come."),
];

const LEGAL: [Field; 2] = [
    req("title", Type::LangText, "The name of the legal act."),
    req("url", Type::Url, "Where the legal act is published."),
];

const GLOSSARY: [Field; 3] = [
    req("term", Type::Text, "A hard word used in the text."),
    req("explanation", Type::Text, "What it means, in easy words."),
    opt(
        "forms",
        Type::TextList,
        "The other forms of the word the text uses (cases, plural), so the lint finds them too.",
    ),
];

const EXPECTATION: [Field; 2] = [
    req("id", Type::Id, "The expectation's id: other pages link to it as `@/charter#<id>`."),
    req("commitments", Type::IdList, "The ids of the commitments that answer it, in order."),
];

const EXPECTATION_TEXT: [Field; 1] = [req("title", Type::Text, "What residents may expect, in one sentence.")];

const COMMITMENT_TEXT: [Field; 2] = [
    req("title", Type::Text, "The commitment's short name."),
    req("text", Type::Markdown, "What staff commit to, in Markdown."),
];

const NUMBERING: [Field; 2] = [
    opt("goals", Type::Section, "The section number the goals are numbered under."),
    opt("staff_commitments", Type::Section, "The section number staff commitments are numbered under."),
];

/// Where the facts of a file come from: in every facts file and every text.
const SOURCES: [Field; 2] = [
    Field { rule: Some(SOURCE_HINT), ..opt("source", Type::Text, "Where the facts of this file come from.") },
    Field {
        rule: Some(SOURCE_HINT),
        ..opt("sources", Type::Sources, "Where a field's facts come from, when it is not the file's `source`.")
    },
];

/// The fields of one file of an item of `kind`, in the order a new file lists them.
pub fn fields(kind: Kind, part: Part) -> Vec<Field> {
    let own = own_fields(kind, part);
    let mut out = Vec::new();
    match part {
        Part::Facts => {
            out.extend(own);
            out.extend(REVIEW);
            out.extend(SOURCES);
        }
        Part::Text => {
            out.extend(COMMON);
            out.extend(own);
            out.extend(SOURCES);
            out.push(STAMP);
            out.push(BODY_FIELD);
        }
        Part::Easy => {
            out.extend(own);
            out.push(STAMP);
            out.push(Field {
                help: "The easy-read text, in Markdown: one sentence per line (the line breaks are kept).",
                ..BODY_FIELD
            });
        }
    }
    out
}

/// The fields of a file that are its kind's own: not those every facts file or text has (the
/// review, title, address, summary, sources, translation stamp and text). They are what
/// `sources` may name.
pub fn own_fields(kind: Kind, part: Part) -> Vec<Field> {
    let mut out = Vec::new();
    match part {
        Part::Facts => match kind {
            Kind::Service => {
                out.extend([
                    req("provider", Type::Choice(Choices::Providers), "The institution that provides the service."),
                    opt("audiences", Type::Choices(Choices::Audiences), "Who the service is for."),
                    opt("categories", Type::Choices(Choices::Categories), "The kinds of help it is."),
                    opt("home_visit", Type::Bool, "A worker comes to the resident's home."),
                ]);
                out.extend(CONTACT);
                out.push(opt("legal_basis", Type::Tables(&LEGAL), "The legal acts the service is based on."));
            }
            Kind::Provider => {
                out.push(opt("short_name", Type::Text, "A short name or abbreviation (ASPC)."));
                out.extend(CONTACT);
            }
            Kind::Charter => out.extend([
                opt("signatories", Type::Choices(Choices::Providers), "The institutions that signed the charter."),
                opt("signed", Type::Date, "When the charter was signed."),
                req(
                    "expectations",
                    Type::Tables(&EXPECTATION),
                    "What residents may expect, each with the commitments that answer it.",
                ),
            ]),
            Kind::Quality => out.extend([
                req("provider", Type::Choice(Choices::Providers), "The institution whose quality policy this is."),
                opt(
                    "numbering",
                    Type::Table(&NUMBERING),
                    "The section numbers the policy's lists are numbered under, as in the original document.",
                ),
            ]),
            Kind::Page => {}
        },
        Part::Text => match kind {
            Kind::Service => out.extend([
                opt("eligibility", Type::TextList, "Who can get the service, one condition each."),
                opt("how_to_apply", Type::TextList, "How to apply, one step each."),
                opt("documents", Type::TextList, "What documents to bring, one each."),
                opt("cost", Type::LongText, "What the service costs."),
                opt("waiting_time", Type::LongText, "How long people wait."),
                opt("home_visit_note", Type::LongText, "What happens at the first home visit."),
            ]),
            Kind::Provider => out.push(opt(
                "premises_accessibility",
                Type::LongText,
                "Whether people can enter the premises without steps, and how to ask.",
            )),
            Kind::Charter => out.extend([
                opt("feedback", Type::LongText, "How residents give feedback or complain."),
                req(
                    "expectations",
                    Type::Keyed(Choices::Expectations, &EXPECTATION_TEXT),
                    "The text of each expectation in charter.toml.",
                ),
                req(
                    "commitments",
                    Type::Keyed(Choices::Commitments, &COMMITMENT_TEXT),
                    "The text of each commitment in charter.toml.",
                ),
            ]),
            Kind::Quality => out.extend([
                req("vision", Type::LongText, "The organisation's vision."),
                req("mission", Type::LongText, "The organisation's mission."),
                opt("goals", Type::TextList, "The quality policy's goals, one each."),
                opt("staff_commitments", Type::TextList, "What staff commit to, one each."),
                opt("evaluation", Type::TextList, "How quality is evaluated, one each."),
                opt("review_cycle", Type::LongText, "When and how the policy is reviewed."),
                opt(
                    "principles",
                    Type::KeyedText(Choices::EquassPrinciples),
                    "How the organisation applies each EQUASS principle.",
                ),
            ]),
            Kind::Page => {}
        },
        Part::Easy => out.extend([
            Field { rule: Some(TITLE_HINT), ..req("title", Type::Text, "The easy-read title: short and plain.") },
            Field {
                rule: Some(EASY_LEVEL_HINT),
                ..req("level", Type::Number { min: 1, max: 3 }, "How easy the text is.")
            },
            opt("checked_by", Type::TextList, "Who checked the text with readers."),
            opt("checked_on", Type::Date, "When readers checked the text."),
            opt("glossary", Type::Tables(&GLOSSARY), "Hard words and what they mean."),
        ]),
    }
    out
}

/// Every kind of item, in the order the content folder lists them.
pub const KINDS: [Kind; 5] = [Kind::Service, Kind::Provider, Kind::Charter, Kind::Quality, Kind::Page];

/// Every part of an item.
pub const PARTS: [Part; 3] = [Part::Facts, Part::Text, Part::Easy];

/// The field names that exclude each other in a file: of each pair, a file gives exactly one
/// (the next review is given as a period or as a date).
pub fn exactly_one(part: Part) -> &'static [[&'static str; 2]] {
    match part {
        Part::Facts => &[["review_every", "review_by"]],
        Part::Text | Part::Easy => &[],
    }
}

/// The reference of every content field, in Markdown: for each kind of item and each of its
/// files, a table of the fields with their type, whether they are required and the help text.
/// `docs/content-fields.md` is this text; a test keeps the two the same.
pub fn reference() -> String {
    let mut out = String::from(
        "# Content fields\n\n\
         Every field of every content file, made from the description the build validates with \
         (`src/fields.rs`); a test fails when this page and the description differ. How to write \
         the files is in the [editors' guide](editors-guide.md).\n\n\
         Each item is a folder: its facts once (the `.toml` file), its text per language \
         (`index.<lang>.md`: TOML front matter between `+++` lines, then Markdown) and its \
         easy-read text per language (`easy.<lang>.md`, laid out the same way). A field given as \
         *text in each language* is written once (`\"...\"`) or per language \
         (`{ lt = \"...\", en = \"...\" }`).\n",
    );
    for kind in KINDS {
        let folder = match kind {
            Kind::Service | Kind::Provider | Kind::Page => format!("content/{}/<id>/", kind.section()),
            Kind::Charter | Kind::Quality => format!("content/{}/", kind.section()),
        };
        out.push_str(&format!("\n## {} (`{folder}`)\n", kind_name(kind)));
        for part in PARTS {
            out.push_str(&format!("\n### `{}`\n\n", part.file_name(kind, "<lang>")));
            out.push_str("| field | value | required | what it is for |\n|---|---|---|---|\n");
            for f in fields(kind, part) {
                table_row(&mut out, "", &f);
            }
            for pair in exactly_one(part) {
                out.push_str(&format!("\nGive exactly one of `{}` and `{}`.\n", pair[0], pair[1]));
            }
        }
    }
    out
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Service => "Services",
        Kind::Provider => "Institutions",
        Kind::Charter => "The charter",
        Kind::Quality => "The quality policy",
        Kind::Page => "Other pages",
    }
}

/// One row for `f`, named under `parent` (`legal_basis.title`), then rows for its own fields.
fn table_row(out: &mut String, parent: &str, f: &Field) {
    let name =
        if f.name == BODY { "(the text after the front matter)".to_string() } else { format!("`{parent}{}`", f.name) };
    let help = f.help_text().replace('|', "\\|").replace('\n', " ");
    let required = if f.required { "yes" } else { "no" };
    out.push_str(&format!("| {name} | {} | {required} | {help} |\n", type_words(f.ty)));
    let (sub, prefix): (&[Field], String) = match f.ty {
        Type::Table(sub) | Type::Tables(sub) => (sub, format!("{parent}{}.", f.name)),
        Type::Keyed(_, sub) => (sub, format!("{parent}{}.<id>.", f.name)),
        _ => (&[], String::new()),
    };
    for s in sub {
        table_row(out, &prefix, s);
    }
}

fn choices_words(c: Choices) -> &'static str {
    match c {
        Choices::Providers => "an institution's id (`content/providers/<id>/`)",
        Choices::Audiences => "a key of `[audiences]` in `content/taxonomies.toml`",
        Choices::Categories => "a key of `[categories]` in `content/taxonomies.toml`",
        Choices::Expectations => "an expectation's id from `charter.toml`",
        Choices::Commitments => "a commitment's id from `charter.toml`",
        Choices::EquassPrinciples => "an EQUASS principle",
    }
}

/// [`choices_words`] without its article ("institution's id"), after "each".
fn choice_noun(c: Choices) -> &'static str {
    let w = choices_words(c);
    w.strip_prefix("an ").or_else(|| w.strip_prefix("a ")).unwrap_or(w)
}

/// The type of a value in the reference's words.
fn type_words(ty: Type) -> String {
    match ty {
        Type::Text => "text, one line".into(),
        Type::LongText => "text".into(),
        Type::LangText => "text in each language".into(),
        Type::Date => "date".into(),
        Type::Period => "period".into(),
        Type::Phone => "phone number".into(),
        Type::Email => "e-mail address".into(),
        Type::Url => "web address".into(),
        Type::Section => "section number".into(),
        Type::Hours => "opening hours".into(),
        Type::Bool => "`true` or `false`".into(),
        Type::Id => "id (lowercase letters, digits, hyphens)".into(),
        Type::Number { min, max } => format!("a number from {min} to {max}"),
        Type::Choice(c) => choices_words(c).into(),
        Type::Choices(c) => {
            format!("a list: each {}", choice_noun(c))
        }
        Type::TextList => "a list of texts".into(),
        Type::IdList => "a list of ids".into(),
        Type::Table(_) => "a table (the rows below)".into(),
        Type::Tables(_) => "a list of tables (`[[...]]`, the rows below)".into(),
        Type::Sources => "a table: field name = where it comes from".into(),
        Type::Keyed(c, _) => format!("a table for each {} (the rows below)", choice_noun(c)),
        Type::KeyedText(c) => {
            format!("a text for each {}", choice_noun(c))
        }
        Type::Markdown => "Markdown".into(),
        Type::Stamp => "written by `skaidra stamp`".into(),
    }
}

#[cfg(test)]
mod tests {
    //! The description against the real validation, on the starter site of `skaidra init`.
    use super::*;
    use crate::diagnostics::{Code, Diagnostic, SourceText};
    use crate::load::ItemDir;
    use std::collections::BTreeSet;
    use std::fmt::Write;
    use std::path::Path;

    /// The values a choice may take in the test files: the starter site's providers and terms, the
    /// ids the sample charter.toml defines.
    fn choices(c: Choices) -> Vec<String> {
        let site = crate::fuzzing::site();
        match c {
            Choices::Providers => site.content.providers.iter().map(|p| p.id.clone()).collect(),
            Choices::Audiences => site.content.taxonomies.audiences.iter().map(|t| t.key.clone()).collect(),
            Choices::Categories => site.content.taxonomies.categories.iter().map(|t| t.key.clone()).collect(),
            Choices::Expectations => vec![sample_id("id")],
            Choices::Commitments => vec![sample_id("commitments")],
            Choices::EquassPrinciples => crate::model::EQUASS_PRINCIPLES.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn sample_id(field: &str) -> String {
        format!("sample-{}", field.replace('_', "-"))
    }

    fn quoted(s: &str) -> String {
        toml::Value::String(s.to_string()).to_string()
    }

    /// A valid value of `f` as TOML (for the fields written as `name = value`).
    fn value(f: &Field) -> String {
        let langs: Vec<String> = crate::fuzzing::site().config.lang_codes().map(str::to_string).collect();
        let list = |items: Vec<String>| format!("[{}]", items.iter().map(|s| quoted(s)).collect::<Vec<_>>().join(", "));
        match f.ty {
            Type::Text | Type::LongText => quoted("Sample text."),
            Type::LangText => {
                format!(
                    "{{ {} }}",
                    langs.iter().map(|l| format!("{l} = \"Text in {l}\"")).collect::<Vec<_>>().join(", ")
                )
            }
            Type::Date => "2026-10-01".into(),
            Type::Period => quoted("12 months"),
            Type::Phone => quoted("+370 315 56 660"),
            Type::Email => quoted("info@example.lt"),
            Type::Url => quoted("https://example.lt/"),
            Type::Hours => quoted("Mo-Fr 08:00-17:00"),
            Type::Section => quoted("II.6"),
            Type::Bool => "true".into(),
            Type::Id => quoted(&sample_id(f.name)),
            Type::Number { min, .. } => min.to_string(),
            Type::Choice(c) => quoted(&choices(c)[0]),
            Type::Choices(c) => list(choices(c)),
            Type::TextList => list(vec!["One item.".into()]),
            Type::IdList => list(vec![sample_id(f.name)]),
            Type::Stamp => quoted("0123abcd"),
            Type::Sources => "{}".into(),
            Type::Table(_) | Type::Tables(_) | Type::Keyed(..) | Type::KeyedText(_) | Type::Markdown => {
                unreachable!("written as tables")
            }
        }
    }

    /// A TOML document with the fields of `fields` but those in `skip`, and `extra` (a line)
    /// added to the top level or, with `extra_in`, to the first table of that field.
    fn toml_of(fields: &[Field], skip: &[&str], extra: Option<(&str, &str)>) -> String {
        let mut top = String::new();
        let mut tables = String::new();
        let extra_at = |name: &str| extra.filter(|(at, _)| *at == name).map(|(_, line)| line);
        if let Some(line) = extra_at("") {
            writeln!(top, "{line}").unwrap();
        }
        for f in fields.iter().filter(|f| !skip.contains(&f.name) && f.name != BODY) {
            match f.ty {
                Type::Table(sub) => {
                    writeln!(tables, "[{}]\n{}", f.name, toml_of(sub, &[], None)).unwrap();
                    if let Some(line) = extra_at(f.name) {
                        writeln!(tables, "{line}").unwrap();
                    }
                }
                Type::Tables(sub) => {
                    writeln!(tables, "[[{}]]\n{}", f.name, toml_of(sub, &[], None)).unwrap();
                    if let Some(line) = extra_at(f.name) {
                        writeln!(tables, "{line}").unwrap();
                    }
                }
                Type::Keyed(c, sub) => {
                    for (i, k) in choices(c).iter().enumerate() {
                        writeln!(tables, "[{}.{k}]\n{}", f.name, toml_of(sub, &[], None)).unwrap();
                        if let Some(line) = extra_at(f.name).filter(|_| i == 0) {
                            writeln!(tables, "{line}").unwrap();
                        }
                    }
                }
                Type::KeyedText(c) => {
                    writeln!(tables, "[{}]", f.name).unwrap();
                    for k in choices(c) {
                        writeln!(tables, "{k} = \"How we apply it.\"").unwrap();
                    }
                }
                Type::Markdown => writeln!(top, "{} = \"\"\"\nSome *Markdown*.\n\"\"\"", f.name).unwrap(),
                _ => writeln!(top, "{} = {}", f.name, value(f)).unwrap(),
            }
        }
        format!("{top}\n{tables}")
    }

    /// The fields of a file with one of each pair of [`exactly_one`] left out (the second, or
    /// the first when `first_out`).
    fn skipped(part: Part, first_out: bool) -> Vec<&'static str> {
        exactly_one(part).iter().map(|p| if first_out { p[0] } else { p[1] }).collect()
    }

    /// The three files of an item of `kind`; `change` replaces one part's text.
    fn item(kind: Kind, change: Option<(Part, String)>) -> ItemDir {
        let code = crate::fuzzing::site().config.default_code();
        let lang = code.to_string();
        let text_of = |part: Part| match &change {
            Some((p, t)) if *p == part => t.clone(),
            _ => file_text(kind, part, &skipped(part, false), None),
        };
        let id = if matches!(kind, Kind::Charter | Kind::Quality) { String::new() } else { "sample".into() };
        let dir = Path::new("content").join(kind.section()).join(&id);
        let src = |part: Part| SourceText::new(dir.join(part.file_name(kind, &lang)), text_of(part));
        ItemDir {
            kind,
            id,
            dir: dir.clone(),
            facts: Some(src(Part::Facts)),
            docs: [(code, src(Part::Text))].into_iter().collect(),
            easy: [(code, src(Part::Easy))].into_iter().collect(),
            assets: Vec::new(),
        }
    }

    /// A file of `part` with the described fields but `skip`, and an `extra` line.
    fn file_text(kind: Kind, part: Part, skip: &[&str], extra: Option<(&str, &str)>) -> String {
        let doc = toml_of(&fields(kind, part), skip, extra);
        match part {
            Part::Facts => doc,
            Part::Text | Part::Easy => format!("+++\n{doc}+++\nThe text.\n"),
        }
    }

    fn errors(item: &ItemDir) -> Vec<Diagnostic> {
        let site = crate::fuzzing::site();
        let (_, diags) = crate::validate::validate_one(item, &site.config, &site.content);
        diags.into_iter().filter(Diagnostic::is_error).collect()
    }

    #[test]
    fn a_file_with_every_described_field_validates() {
        for kind in KINDS {
            for part in PARTS {
                for first_out in [false, true] {
                    let text = file_text(kind, part, &skipped(part, first_out), None);
                    let errs = errors(&item(kind, Some((part, text.clone()))));
                    assert!(errs.is_empty(), "{kind:?} {part:?}:\n{text}\n{errs:#?}");
                }
            }
        }
    }

    #[test]
    fn a_file_without_a_required_field_is_refused() {
        for kind in KINDS {
            for part in PARTS {
                for f in fields(kind, part).iter().filter(|f| f.required) {
                    let mut skip = skipped(part, false);
                    skip.push(f.name);
                    let text = file_text(kind, part, &skip, None);
                    let errs = errors(&item(kind, Some((part, text.clone()))));
                    assert!(
                        errs.iter().any(
                            |d| d.message.contains(f.name) || d.hint.as_deref().is_some_and(|h| h.contains(f.name))
                        ),
                        "{kind:?} {part:?} without `{}` validated:\n{text}\n{errs:#?}",
                        f.name
                    );
                }
                // Of each pair, one is needed, and not both.
                for pair in exactly_one(part) {
                    let mut skip = skipped(part, false);
                    skip.extend(pair);
                    let none = file_text(kind, part, &skip, None);
                    let both = file_text(kind, part, &[], None);
                    for text in [none, both] {
                        assert!(!errors(&item(kind, Some((part, text.clone())))).is_empty(), "{kind:?}:\n{text}");
                    }
                }
            }
        }
    }

    /// The fields validation allows in a table of `part` (the top level, or the first table of
    /// the field `at`): what its message about an unknown field lists.
    fn allowed(kind: Kind, part: Part, at: &str) -> BTreeSet<String> {
        let unknown = "zzzzzzzzzzzz = 1";
        let text = file_text(kind, part, &skipped(part, false), Some((at, unknown)));
        let errs = errors(&item(kind, Some((part, text.clone()))));
        let hint = errs
            .iter()
            .filter(|d| d.code == Code::UnknownField)
            .find_map(|d| d.hint.as_deref())
            .unwrap_or_else(|| panic!("no unknown-field error for {kind:?} {part:?} {at}:\n{text}\n{errs:#?}"));
        let list = hint.split_once("allowed fields here are:").map(|(_, l)| l).unwrap_or_else(|| panic!("{hint}"));
        list.split('`').skip(1).step_by(2).map(str::to_string).collect()
    }

    #[test]
    fn validation_allows_no_field_the_description_lacks() {
        fn names(fields: &[Field]) -> BTreeSet<String> {
            fields.iter().filter(|f| f.name != BODY).map(|f| f.name.to_string()).collect()
        }
        for kind in KINDS {
            for part in PARTS {
                let described = fields(kind, part);
                assert_eq!(allowed(kind, part, ""), names(&described), "{kind:?} {part:?}");
                for f in &described {
                    if let Type::Table(sub) | Type::Tables(sub) | Type::Keyed(_, sub) = f.ty {
                        assert_eq!(allowed(kind, part, f.name), names(sub), "{kind:?} {part:?} {}", f.name);
                    }
                }
            }
        }
    }

    #[test]
    fn sources_name_the_files_own_fields() {
        for kind in KINDS {
            for part in PARTS {
                if !fields(kind, part).iter().any(|f| f.ty == Type::Sources) {
                    continue;
                }
                let text = file_text(kind, part, &skipped(part, false), None)
                    .replace("sources = {}", "sources = { zzzzzzzzzzzz = \"x\" }");
                let errs = errors(&item(kind, Some((part, text.clone()))));
                let hint = errs
                    .iter()
                    .find(|d| d.message.contains("`sources` names"))
                    .and_then(|d| d.hint.clone())
                    .unwrap_or_else(|| panic!("{kind:?} {part:?}: {errs:#?}"));
                let own: BTreeSet<String> = own_fields(kind, part).iter().map(|f| f.name.to_string()).collect();
                if own.is_empty() {
                    // The editor leaves `sources` out of such a file's form.
                    assert!(hint.contains("no fields of its own"), "{kind:?} {part:?}: {hint}");
                    continue;
                }
                let listed: BTreeSet<String> = hint.split('`').skip(1).step_by(2).map(str::to_string).collect();
                assert_eq!(listed, own, "{kind:?} {part:?}: {hint}");
            }
        }
    }

    #[test]
    fn help_texts_are_the_words_of_the_messages() {
        let phone = fields(Kind::Service, Part::Facts).into_iter().find(|f| f.name == "phone").unwrap();
        let err = values::phone::parse("").unwrap_err();
        assert!(phone.help_text().to_lowercase().contains(&err.hint.to_lowercase()), "{}", phone.help_text());
        let level = fields(Kind::Service, Part::Easy).into_iter().find(|f| f.name == "level").unwrap();
        let text = file_text(Kind::Service, Part::Easy, &[], None).replace("level = 1", "level = 7");
        let errs = errors(&item(Kind::Service, Some((Part::Easy, text))));
        let hint = errs.iter().find(|d| d.code == Code::EasyLevel).and_then(|d| d.hint.clone()).unwrap();
        assert!(level.help_text().to_lowercase().contains(&hint.to_lowercase()), "{hint}");
        for kind in KINDS {
            for part in PARTS {
                for f in fields(kind, part) {
                    assert!(!f.help.is_empty(), "{kind:?} {part:?} {} has no help", f.name);
                }
            }
        }
    }

    /// `docs/content-fields.md` is the reference made from this description. After changing
    /// the description, write it again with `SKAIDRA_WRITE_DOCS=1 cargo test --release --lib fields`.
    #[test]
    fn the_content_fields_reference_in_docs_is_the_description() {
        let made = reference();
        crate::assert_generated_doc("docs/content-fields.md", &made, "fields");
        for kind in KINDS {
            for part in PARTS {
                for f in fields(kind, part).iter().filter(|f| f.name != BODY) {
                    assert!(made.contains(&format!("`{}`", f.name)), "{kind:?} {part:?} {}", f.name);
                }
            }
        }
    }
}
