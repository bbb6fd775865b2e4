//! Open Referral HSDS 3.0 export and the services CSV.
//!
//! Owns the mapping of the typed model to the Human Services Data Specification (HSDS 3.0,
//! <https://docs.openreferral.org>): one compiled-form `service` document per service, with its
//! `organization`, `phones`, `schedules`, `languages`, eligibility, costs, required documents,
//! service area and audience/category `attributes` nested, and one `organization` document per
//! provider. Text is in the site's default language; optional HSDS fields we have no data for
//! are left out (never `null`, never an empty string). Every id is a deterministic UUID derived
//! from the Skaidra id (see [`stable_uuid`]), so ids stay the same from build to build.
//!
//! Also owns the spreadsheet export: [`services_csv`], one language per file, RFC 4180 quoting,
//! UTF-8 with a byte order mark so Excel shows Lithuanian letters.
//!
//! `tests/suite/hsds.rs` validates the output against the HSDS JSON schemas kept in
//! `tests/fixtures/hsds-schema/`.

use crate::address::{Address, Target};
use crate::error::Result;
use crate::model::{ContactFacts, Provider, Service, Term};
use crate::resolve::{Reach, Site, Whose};
use crate::values::hours::{DAYS, Rule};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// The HSDS 3.0 documents of the catalogue: every service (compiled form, with its organization,
/// phones, schedules, languages, eligibility and cost options nested) and every organization.
pub struct Hsds {
    pub services: Value,      /* JSON array */
    pub organizations: Value, /* JSON array */
}

/// Taxonomy names of the attributes (term codes are the keys of `content/taxonomies.toml`).
const AUDIENCES: &str = "skaidra-audiences";
const CATEGORIES: &str = "skaidra-categories";

/// A deterministic, UUIDv5-style id for a Skaidra item: the first 16 bytes of
/// SHA-256(`skaidra:<kind>:<key>`), with the version nibble set to 5 and the RFC 4122 variant
/// bits set, written in the usual 8-4-4-4-12 lowercase hex form.
fn stable_uuid(kind: &str, key: &str) -> String {
    let digest = Sha256::digest(format!("skaidra:{kind}:{key}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// The fields of a JSON object (empty for anything else).
fn json_object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Inserts a string field only when it has text.
fn put(obj: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
        obj.insert(key.to_string(), json!(v));
    }
}

/// Inserts an array field only when it has items.
fn put_list(obj: &mut Map<String, Value>, key: &str, items: Vec<Value>) {
    if !items.is_empty() {
        obj.insert(key.to_string(), Value::Array(items));
    }
}

/// Summary and body as one plain text: the summary, then the body's paragraphs.
fn long_text(summary: &str, plain: &str) -> String {
    let body = plain.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
    match (summary.trim(), body.as_str()) {
        ("", b) => b.to_string(),
        (s, "") => s.to_string(),
        (s, b) => format!("{s}\n\n{b}"),
    }
}

/// A list as plain text, one item a line.
fn lines(items: &[String]) -> String {
    items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n")
}

/// Steps as plain text, numbered.
fn steps(items: &[String]) -> String {
    items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .enumerate()
        .map(|(i, s)| format!("{}. {s}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The HSDS `language` objects for language codes; `owner` makes the ids distinct per owner.
fn languages(site: &Site, codes: &[&str], owner: &str, link: (&str, &str)) -> Vec<Value> {
    codes
        .iter()
        .map(|code| {
            let mut o = Map::new();
            o.insert("id".into(), json!(stable_uuid("language", &format!("{owner}:{code}"))));
            o.insert(link.0.into(), json!(link.1));
            put(&mut o, "name", Some(site.i18n.lang(code).get("language_name")));
            o.insert("code".into(), json!(code));
            Value::Object(o)
        })
        .collect()
}

/// A phone object. The number is answered in the site's default language (the only language we
/// know it is answered in).
/// A number that is not the service's or the institution's own says whose it is in its
/// `description`, in the words the pages use.
fn phone(site: &Site, reach: &Reach<'_>, provider: Option<&Provider>, owner: &str, link: (&str, &str)) -> Value {
    let id = stable_uuid("phone", owner);
    let mut o = Map::new();
    o.insert("id".into(), json!(id));
    o.insert(link.0.into(), json!(link.1));
    o.insert("number".into(), json!(reach.phone.e164));
    o.insert("type".into(), json!("voice"));
    let lang = site.default_lang();
    let t = site.i18n.lang(lang);
    let description = match reach.phone_whose {
        Whose::Own => None,
        Whose::Provider => provider.and_then(|p| site.doc_in(&p.docs, lang)).map(|d| d.title.clone()),
        Whose::Site => Some(format!(
            "{}: {}",
            site.config.language(lang).organisation,
            if reach.line { t.get("service.line_note") } else { t.get("service.phone") }
        )),
    };
    put(&mut o, "description", description.as_deref());
    put_list(
        &mut o,
        "languages",
        languages(site, &[site.default_lang()], &format!("{owner}:phone"), ("phone_id", &id)),
    );
    Value::Object(o)
}

/// `8:00` as `08:00` (HSDS asks for HH:MM).
fn hh_mm(t: &str) -> String {
    match t.split_once(':') {
        Some((h, m)) => format!("{h:0>2}:{m}"),
        None => t.to_string(),
    }
}

/// The iCal `BYDAY` value of a rule's day span, e.g. `MO,TU,WE,TH`.
fn byday(rule: &Rule) -> String {
    let from = DAYS.iter().position(|d| *d == rule.from).unwrap_or(0);
    let to = DAYS.iter().position(|d| *d == rule.to).unwrap_or(from);
    DAYS[from..=to.max(from)].iter().map(|d| d.to_ascii_uppercase()).collect::<Vec<_>>().join(",")
}

/// HSDS weekly schedules from opening hours: one per rule and time range. Times are local time
/// of the catalogue's area.
fn schedules(site: &Site, rules: &[Rule], owner: &str, link: (&str, &str)) -> Vec<Value> {
    let t = site.i18n.lang(site.default_lang());
    let mut out = Vec::new();
    for (r, rule) in rules.iter().enumerate() {
        let days = if rule.from == rule.to {
            t.get(&format!("days.{}", rule.from)).to_string()
        } else {
            format!("{}–{}", t.get(&format!("days.{}", rule.from)), t.get(&format!("days.{}", rule.to)))
        };
        for (i, (opens, closes)) in rule.times.iter().enumerate() {
            let mut o = Map::new();
            o.insert("id".into(), json!(stable_uuid("schedule", &format!("{owner}:{r}:{i}"))));
            o.insert(link.0.into(), json!(link.1));
            o.extend(json_object(json!({
                "freq": "WEEKLY",
                "byday": byday(rule),
                "opens_at": hh_mm(opens),
                "closes_at": hh_mm(closes),
                "description": format!("{days} {opens}–{closes}"),
            })));
            out.push(Value::Object(o));
        }
    }
    out
}

/// The HSDS organization of a provider.
fn organization(site: &Site, p: &Provider) -> Result<Value> {
    let lang = site.default_lang();
    let id = stable_uuid("organization", &p.id);
    let doc = p.docs.get(lang).or_else(|| p.docs.values().next());
    let name = doc.map(|d| d.title.trim()).filter(|t| !t.is_empty()).unwrap_or(&p.id);
    let mut o = Map::new();
    o.insert("id".into(), json!(id));
    o.insert("name".into(), json!(name));
    if p.short_name.as_deref() != Some(name) {
        put(&mut o, "alternate_name", p.short_name.as_deref());
    }
    let description = match doc {
        Some(d) => long_text(&d.summary, &site.body_plain(d)?),
        None => String::new(),
    };
    let description = if description.is_empty() { name.to_string() } else { description };
    o.insert("description".into(), json!(description));
    put(&mut o, "email", p.contact.email.as_deref());
    put(&mut o, "website", p.contact.website.as_deref());
    let page = site.path_of(&Address::new(Target::Provider(&p.id)), lang).map(|x| site.absolute(x));
    put(&mut o, "uri", page.as_deref());
    let reach = site.provider_reach(p);
    o.insert(
        "phones".into(),
        json!([phone(site, &reach, Some(p), &format!("organization:{}", p.id), ("organization_id", &id))]),
    );
    Ok(Value::Object(o))
}

/// An attribute linking a service to a term of one of the Skaidra taxonomies.
fn attribute(
    site: &Site,
    s: &Service,
    service_id: &str,
    taxonomy: &str,
    link_type: &str,
    section: &str,
    term: &Term,
) -> Value {
    let lang = site.default_lang();
    let t = site.i18n.lang(lang);
    let heading = if taxonomy == AUDIENCES { t.get("service.for_whom") } else { t.get("service.categories") };
    let title = &site.config.language(lang).title;
    let taxonomy_id = stable_uuid("taxonomy", taxonomy);
    let term_id = stable_uuid("taxonomy_term", &format!("{taxonomy}:{}", term.key));
    let label = match term.label.get(lang).trim() {
        "" => term.key.as_str(),
        l => l,
    };
    let mut tt = Map::new();
    tt.insert("id".into(), json!(term_id));
    tt.insert("code".into(), json!(term.key));
    tt.insert("name".into(), json!(label));
    tt.insert("description".into(), json!(label));
    tt.insert(
        "taxonomy".into(),
        json!({ "id": taxonomy_id, "name": taxonomy, "description": format!("{title}: {heading}") }),
    );
    tt.insert("taxonomy_id".into(), json!(taxonomy_id));
    tt.insert("language".into(), json!(lang));
    let page = site.path_of(&format!("{section}/{}", term.key), lang).map(|x| site.absolute(x));
    put(&mut tt, "term_uri", page.as_deref());
    json!({
        "id": stable_uuid("attribute", &format!("{}:{taxonomy}:{}", s.id, term.key)),
        "link_id": service_id,
        "taxonomy_term_id": term_id,
        "link_type": link_type,
        "link_entity": "service",
        "taxonomy_term": Value::Object(tt),
    })
}

/// The HSDS service document (compiled form).
fn service(site: &Site, s: &Service, orgs: &Orgs) -> Result<Value> {
    let lang = site.default_lang();
    let id = stable_uuid("service", &s.id);
    let doc = s.docs.get(lang).or_else(|| s.docs.values().next());
    let link = ("service_id", id.as_str());
    let mut o = Map::new();
    o.insert("id".into(), json!(id));
    let provider = site.provider(&s.provider);
    if let Some(p) = provider {
        o.insert("organization_id".into(), json!(stable_uuid("organization", &p.id)));
    }
    let name = doc.map(|d| d.title.trim()).filter(|t| !t.is_empty()).unwrap_or(&s.id);
    o.insert("name".into(), json!(name));
    let description = match doc {
        Some(d) => Some(long_text(&d.summary, &site.body_plain(d)?)),
        None => None,
    };
    put(&mut o, "description", description.as_deref());
    let page = site.path_of(&Address::new(Target::Service(&s.id)), lang).map(|x| site.absolute(x));
    put(&mut o, "url", page.as_deref().or(s.contact.website.as_deref()));
    // The service's e-mail only when it is the service's or its institution's.
    let reach = site.service_reach(s);
    put(&mut o, "email", Some(reach.email).filter(|_| reach.email_whose != Whose::Site));
    o.insert("status".into(), json!("active"));
    if let Some(d) = doc {
        put(&mut o, "application_process", Some(&steps(&d.fields.how_to_apply)));
        put(&mut o, "fees_description", d.fields.cost.as_deref());
        put(&mut o, "eligibility_description", Some(&lines(&d.fields.eligibility)));
    }
    let reviewed = s.review.reviewed;
    o.insert("assured_date".into(), json!(reviewed.format("%Y-%m-%d").to_string()));
    // `last_modified` is an HSDS 3.1 service field (a date-time); 3.0 allows it as an extra.
    o.insert("last_modified".into(), json!(format!("{}T00:00:00Z", reviewed.format("%Y-%m-%d"))));

    if let Some(rules) = &s.contact.hours {
        put_list(&mut o, "schedules", schedules(site, rules, &format!("service:{}", s.id), link));
    }
    let published: Vec<&str> = site.config.lang_codes().filter(|l| s.docs.contains_key(l)).collect();
    put_list(&mut o, "languages", languages(site, &published, &format!("service:{}", s.id), link));
    if let Some(d) = doc {
        let docs = d
            .fields
            .documents
            .iter()
            .map(|x| x.trim())
            .filter(|x| !x.is_empty())
            .enumerate()
            .map(|(i, x)| json!({ "id": stable_uuid("required_document", &format!("{}:{i}", s.id)), "service_id": id, "document": x }))
            .collect();
        put_list(&mut o, "required_documents", docs);
    }
    o.insert("phones".into(), json!([phone(site, &reach, provider, &format!("service:{}", s.id), link)]));
    if let Some(p) = provider
        && let Some(org) = orgs.get(p.id.as_str())
    {
        o.insert("organization".into(), org.clone());
    }
    if let Some(cost) = doc.and_then(|d| d.fields.cost.as_deref()).map(str::trim).filter(|c| !c.is_empty()) {
        o.insert(
            "cost_options".into(),
            json!([{ "id": stable_uuid("cost_option", &s.id), "service_id": id, "option": cost }]),
        );
    }
    if let Some(area) = site.config.language(lang).area.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        o.insert(
            "service_areas".into(),
            json!([{ "id": stable_uuid("service_area", &s.id), "service_id": id, "name": area }]),
        );
    }
    let tax = &site.content.taxonomies;
    let mut attributes = Vec::new();
    for key in &s.audiences {
        if let Some(term) = tax.audiences.iter().find(|t| &t.key == key) {
            attributes.push(attribute(site, s, &id, AUDIENCES, "audience", "audiences", term));
        }
    }
    for key in &s.categories {
        if let Some(term) = tax.categories.iter().find(|t| &t.key == key) {
            attributes.push(attribute(site, s, &id, CATEGORIES, "category", "categories", term));
        }
    }
    put_list(&mut o, "attributes", attributes);
    Ok(Value::Object(o))
}

/// Every provider's HSDS organization by its id: made once (its text is made again from its
/// file), embedded in each of its services.
type Orgs<'a> = std::collections::HashMap<&'a str, Value>;

fn organizations(site: &Site) -> Result<Orgs<'_>> {
    use rayon::prelude::*;
    site.content.providers.par_iter().map(|p| Ok((p.id.as_str(), organization(site, p)?))).collect()
}

/// The HSDS 3.0 documents of the catalogue, in catalogue order.
pub fn export(site: &crate::resolve::Site) -> Result<Hsds> {
    use rayon::prelude::*;
    let orgs = organizations(site)?;
    Ok(Hsds {
        services: Value::Array(
            site.content.services.par_iter().map(|s| service(site, s, &orgs)).collect::<Result<_, _>>()?,
        ),
        organizations: Value::Array(site.content.providers.iter().map(|p| orgs[p.id.as_str()].clone()).collect()),
    })
}

/// Writes `services.json`: the same bytes as `serde_json::to_vec_pretty(&export(site).services)`,
/// made a few hundred services at a time so the whole document is never in memory.
pub fn write_services(site: &Site, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let orgs = organizations(site).map_err(std::io::Error::other)?;
    write_array(&site.content.services, |s| service(site, s, &orgs), w)
}

/// Writes `organizations.json`, like [`write_services`].
pub fn write_organizations(site: &Site, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_array(&site.content.providers, |p| organization(site, p), w)
}

/// Writes a pretty-printed JSON array of `items` made into values by `value`, in chunks made in
/// parallel. Each element is printed on its own and indented one level: JSON strings hold no raw
/// line breaks, so indenting after every `\n` is exact.
fn write_array<T: Sync>(
    items: &[T],
    value: impl Fn(&T) -> Result<Value> + Sync,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    if items.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    for (c, chunk) in items.chunks(256).enumerate() {
        let printed: Vec<Vec<u8>> = chunk
            .par_iter()
            .map(|it| {
                // A text that cannot be made again (its file changed) fails the export.
                let one = serde_json::to_vec_pretty(&value(it).map_err(std::io::Error::other)?).unwrap_or_default();
                let mut out = Vec::with_capacity(one.len() + one.len() / 8 + 4);
                out.extend_from_slice(b"\n  ");
                for &b in &one {
                    out.push(b);
                    if b == b'\n' {
                        out.extend_from_slice(b"  ");
                    }
                }
                Ok(out)
            })
            .collect::<std::io::Result<_>>()?;
        for (i, p) in printed.iter().enumerate() {
            if c > 0 || i > 0 {
                w.write_all(b",")?;
            }
            w.write_all(p)?;
        }
    }
    w.write_all(b"\n]")
}

/// One CSV field, quoted by RFC 4180 when it holds a comma, a double quote or a line break
/// (double quotes inside are doubled).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// The CSV header row's fields.
const CSV_HEADER: [&str; 16] = [
    "id",
    "name",
    "summary",
    "provider",
    "audiences",
    "categories",
    "home_visit",
    "phone",
    "email",
    "website",
    "url",
    "reviewed",
    "review_due",
    "owner",
    "phone_of",
    "email_of",
];

fn labels(terms: &[Term], keys: &[String], lang: &str, default: &str) -> String {
    keys.iter()
        .filter_map(|k| terms.iter().find(|t| &t.key == k))
        .map(|t| match t.label.get(lang) {
            "" => t.label.get(default),
            l => l,
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn website(site: &Site, s: &Service) -> Option<String> {
    let own: &ContactFacts = &s.contact;
    own.website.clone().or_else(|| site.provider(&s.provider).and_then(|p| p.contact.website.clone()))
}

/// Services as CSV for spreadsheets, in one language: id, name, summary, provider, audiences, categories, home_visit, phone, email, website, url, reviewed, review_due, owner, phone_of, email_of (whose the phone and e-mail are: `own`, `provider`, or `site` for the site's contact). RFC 4180 quoting; UTF-8 with BOM so Excel shows Lithuanian letters.
pub fn services_csv(site: &crate::resolve::Site, lang: &str) -> String {
    let default = site.default_lang();
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_HEADER.join(","));
    out.push_str("\r\n");
    for s in &site.content.services {
        // Every service, like the catalogue pages: one not yet translated in the default
        // language, with the address of its page in that language.
        let Some(d) = site.doc_in(&s.docs, lang) else { continue };
        let provider = site.provider(&s.provider).map(|p| {
            p.docs.get(lang).or_else(|| p.docs.get(default)).map(|d| d.title.clone()).unwrap_or_else(|| p.id.clone())
        });
        let url = site.link_of(&Address::new(Target::Service(&s.id)), lang).map(|(p, _)| site.absolute(p));
        let due = s.review.due();
        let owner = match s.review.owner.get(lang) {
            "" => s.review.owner.get(default),
            o => o,
        };
        let tax = &site.content.taxonomies;
        let reach = site.service_reach(s);
        let row = [
            s.id.clone(),
            d.title.clone(),
            d.summary.clone(),
            provider.unwrap_or_else(|| s.provider.clone()),
            labels(&tax.audiences, &s.audiences, lang, default),
            labels(&tax.categories, &s.categories, lang, default),
            s.home_visit.to_string(),
            reach.phone.display.clone(),
            reach.email.to_string(),
            website(site, s).unwrap_or_default(),
            url.unwrap_or_default(),
            s.review.reviewed.format("%Y-%m-%d").to_string(),
            if due == chrono::NaiveDate::MAX { String::new() } else { due.format("%Y-%m-%d").to_string() },
            owner.to_string(),
            reach.phone_whose.key().to_string(),
            reach.email_whose.key().to_string(),
        ];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// The data exports, as an output: the CSV of services of every language and the HSDS documents
/// (written as they are made, never held whole in memory).
pub struct Data;

impl super::Output for Data {
    fn name(&self) -> &'static str {
        "HSDS and CSV data"
    }
    fn files<'a>(&self, input: &super::Input<'a>) -> Vec<super::Export<'a>> {
        use super::Export;
        let site = input.site;
        let mut files: Vec<Export<'a>> = site
            .config
            .lang_codes()
            .map(|lang| Export::text(format!("data/services-{lang}.csv"), move || services_csv(site, lang)))
            .collect();
        files.push(Export::stream("data/hsds/services.json".into(), move |w| write_services(site, w)));
        files.push(Export::stream("data/hsds/organizations.json".into(), move |w| write_organizations(site, w)));
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed documents are byte for byte what printing the whole array gives.
    #[test]
    fn streamed_documents_equal_the_whole_array_printed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::pipeline::load_site(root, None).expect("the example site loads").0;
        let h = export(&site).expect("the texts are there");
        let mut services = Vec::new();
        write_services(&site, &mut services).unwrap();
        assert_eq!(String::from_utf8(services).unwrap(), serde_json::to_string_pretty(&h.services).unwrap());
        let mut orgs = Vec::new();
        write_organizations(&site, &mut orgs).unwrap();
        assert_eq!(String::from_utf8(orgs).unwrap(), serde_json::to_string_pretty(&h.organizations).unwrap());
        // More than one chunk, and none.
        let many: Vec<u32> = (0..700).collect();
        let mut bytes = Vec::new();
        write_array(&many, |n| Ok(json!({ "n": n, "list": [n, {"deep": "a\nb"}] })), &mut bytes).unwrap();
        let whole: Vec<Value> = many.iter().map(|n| json!({ "n": n, "list": [n, {"deep": "a\nb"}] })).collect();
        assert_eq!(String::from_utf8(bytes).unwrap(), serde_json::to_string_pretty(&whole).unwrap());
        let mut empty = Vec::new();
        write_array(&[] as &[u32], |n| Ok(json!(n)), &mut empty).unwrap();
        assert_eq!(empty, b"[]");
    }

    fn is_uuid(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
            && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()))
    }

    #[test]
    fn uuid_is_stable() {
        let a = stable_uuid("service", "pagalba-i-namus");
        assert_eq!(a, stable_uuid("service", "pagalba-i-namus"));
        // Pinned: a change here changes every published id.
        let digest = Sha256::digest(b"skaidra:service:pagalba-i-namus");
        let hex: String = digest[..16].iter().map(|x| format!("{x:02x}")).collect();
        assert_eq!(&a[..8], &hex[..8], "the first bytes are the hash's");
    }

    #[test]
    fn uuid_is_distinct() {
        let ids = [
            stable_uuid("service", "a"),
            stable_uuid("service", "b"),
            stable_uuid("organization", "a"),
            stable_uuid("phone", "service:a"),
            stable_uuid("service", "a:"),
        ];
        for (i, x) in ids.iter().enumerate() {
            for y in &ids[i + 1..] {
                assert_ne!(x, y);
            }
        }
    }

    #[test]
    fn uuid_has_version_5_and_rfc4122_variant() {
        for key in ["a", "pagalba-i-namus", "ą", "", "x".repeat(300).as_str()] {
            let u = stable_uuid("service", key);
            assert!(is_uuid(&u), "{u}");
            assert_eq!(&u[14..15], "5", "version nibble of {u}");
            assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "variant bits of {u}");
        }
    }

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("Šeštadienis"), "Šeštadienis");
    }

    #[test]
    fn hours_to_ical() {
        let rules = crate::values::hours::parse("Mo-Th 8:00-17:00; Fr 08:00-12:00, 13:00-15:45").unwrap();
        assert_eq!(byday(&rules[0]), "MO,TU,WE,TH");
        assert_eq!(byday(&rules[1]), "FR");
        assert_eq!(hh_mm("8:00"), "08:00");
        assert_eq!(hh_mm("15:45"), "15:45");
    }

    #[test]
    fn text_helpers() {
        assert_eq!(long_text("Sum.", "P1\n\nP2\n"), "Sum.\n\nP1\nP2");
        assert_eq!(long_text("", "P1"), "P1");
        assert_eq!(steps(&["a".into(), " ".into(), "b".into()]), "1. a\n2. b");
        assert_eq!(lines(&["a".into(), "b".into()]), "a\nb");
    }
}
