//! The Open Referral HSDS export of the example site, validated against the HSDS 3.0 JSON schemas
//! in `tests/fixtures/hsds-schema/` (see the README there for their source), and the services CSV.
//!
//! The schemas refer to each other by file name (`"$ref": "phone.json"`); a retriever serves
//! those references from the fixtures folder, so validation never touches the network. The
//! schemas declare no `$schema`, so the validator's default draft (2020-12) applies; formats
//! (`uri`, `email`) are validated too.

use jsonschema::{Retrieve, Uri, Validator};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema_dir() -> PathBuf {
    root().join("tests/fixtures/hsds-schema")
}

/// Serves `$ref`s by file name from the fixtures folder.
struct Fixtures(PathBuf);

impl Retrieve for Fixtures {
    fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.as_str().rsplit('/').next().unwrap_or_default();
        let text = fs::read_to_string(self.0.join(name)).map_err(|e| format!("{uri}: {e}"))?;
        Ok(serde_json::from_str(&text)?)
    }
}

fn validator(name: &str) -> Validator {
    let text = fs::read_to_string(schema_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let schema: Value = serde_json::from_str(&text).unwrap();
    assert!(schema.get("$schema").is_none(), "{name} now declares a draft: set it with with_draft");
    jsonschema::options()
        .with_base_uri(format!("https://hsds.invalid/schema/{name}"))
        .with_retriever(Fixtures(schema_dir()))
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name} does not compile: {e}"))
}

/// Every validation error of every item, as `<label> <instance path>: <message>`.
fn errors(v: &Validator, items: &[Value], label: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let what = item.get("name").and_then(Value::as_str).unwrap_or("?");
        for e in v.iter_errors(item) {
            out.push(format!("{label}[{i}] ({what}) at `{}`: {e}", e.instance_path()));
        }
    }
    out
}

fn load(root: &Path) -> skaidra::resolve::Site {
    match skaidra::pipeline::load_site(root, None) {
        Ok((site, _, _)) => site,
        Err(d) => panic!("the site does not load:\n{}", skaidra::diagnostics::render_human(&d, false)),
    }
}

fn export() -> (Vec<Value>, Vec<Value>) {
    let site = load(root());
    let h = skaidra::export::hsds::export(&site).expect("the texts are there");
    let s = h.services.as_array().expect("services is an array").clone();
    let o = h.organizations.as_array().expect("organizations is an array").clone();
    (s, o)
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Every object with an `id` anywhere in `v`, as (id, the object).
fn objects_with_ids<'a>(v: &'a Value, out: &mut Vec<(&'a str, &'a Value)>) {
    match v {
        Value::Object(m) => {
            if let Some(id) = m.get("id").and_then(Value::as_str) {
                out.push((id, v));
            }
            m.values().for_each(|x| objects_with_ids(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| objects_with_ids(x, out)),
        _ => {}
    }
}

#[test]
fn export_validates_against_the_hsds_schemas() {
    let (services, organizations) = export();
    assert_eq!(services.len(), 15, "services");
    assert_eq!(organizations.len(), 6, "organizations");
    let mut errs = errors(&validator("service.json"), &services, "service");
    errs.extend(errors(&validator("organization.json"), &organizations, "organization"));
    assert!(errs.is_empty(), "{} validation errors:\n{}", errs.len(), errs.join("\n"));
}

#[test]
fn every_service_has_the_facts_a_directory_needs() {
    let (services, organizations) = export();
    let org_ids: BTreeSet<&str> = organizations.iter().map(|o| o["id"].as_str().unwrap()).collect();
    for s in &services {
        let name = s["name"].as_str().unwrap();
        let org = s.get("organization").unwrap_or_else(|| panic!("{name}: no organization"));
        assert_eq!(org["id"], s["organization_id"], "{name}");
        assert!(org_ids.contains(org["id"].as_str().unwrap()), "{name}: organization not in organizations");
        let phones = s["phones"].as_array().unwrap_or_else(|| panic!("{name}: no phones"));
        assert!(phones.iter().any(|p| p["number"].as_str().unwrap().starts_with("+370")), "{name}: no +370 phone");
        // The example gives no service its own phone or e-mail: the site's line is described as
        // what it is, and no e-mail is called the service's.
        for p in phones {
            let d = p["description"].as_str().unwrap_or_default();
            assert!(d.starts_with("Alytaus miesto savivaldybės administracija: "), "{name}: phone described as {d:?}");
        }
        assert!(s.get("email").is_none(), "{name}: the site's e-mail given as the service's: {:?}", s["email"]);
        let elig = s["eligibility_description"].as_str().unwrap_or_default();
        assert!(!elig.trim().is_empty(), "{name}: no eligibility");
        let langs: BTreeSet<&str> =
            s["languages"].as_array().unwrap().iter().map(|l| l["code"].as_str().unwrap()).collect();
        assert!(langs.contains("lt") && langs.contains("en"), "{name}: languages {langs:?}");
        assert_eq!(s["status"], "active");
        assert!(s["url"].as_str().unwrap().starts_with("https://"), "{name}: url");
        assert!(!s["attributes"].as_array().unwrap().is_empty(), "{name}: no audience/category attributes");
        assert!(s["service_areas"][0]["name"].as_str().is_some_and(|a| !a.is_empty()), "{name}: no service area");
        let date = s["assured_date"].as_str().unwrap();
        assert_eq!(s["last_modified"].as_str().unwrap(), format!("{date}T00:00:00Z"));
    }
}

#[test]
fn ids_are_uuids_unique_and_stable() {
    let (services, organizations) = export();
    let (again_s, again_o) = export();
    assert_eq!(services, again_s, "two exports differ");
    assert_eq!(organizations, again_o, "two exports differ");
    let ids: BTreeSet<&str> = services.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), services.len(), "service ids repeat");
    let ids: BTreeSet<&str> = organizations.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), organizations.len(), "organization ids repeat");
    // Across everything: an id names one object (an organization nested in a service is the same
    // object as in the list of organizations), and every id and reference is a UUID.
    let all = Value::Array(services.iter().chain(&organizations).cloned().collect());
    let mut found = Vec::new();
    objects_with_ids(&all, &mut found);
    let mut by_id: BTreeMap<&str, &Value> = BTreeMap::new();
    for (id, obj) in found {
        assert!(is_uuid(id), "`{id}` is not a UUID");
        if let Some(prev) = by_id.insert(id, obj) {
            assert_eq!(prev, obj, "id {id} names two different objects");
        }
        for (k, v) in obj.as_object().unwrap() {
            if k.ends_with("_id") {
                assert!(is_uuid(v.as_str().unwrap()), "{k} = {v} is not a UUID");
            }
        }
    }
}

#[test]
fn a_broken_service_is_reported() {
    let (services, _) = export();
    let v = validator("service.json");
    let mut no_name = services[0].clone();
    no_name.as_object_mut().unwrap().remove("name");
    assert!(!errors(&v, &[no_name], "service").is_empty(), "a service without a name passed");
    let mut bogus = services[0].clone();
    bogus["status"] = "bogus".into();
    let errs = errors(&v, &[bogus], "service");
    assert!(errs.iter().any(|e| e.contains("`/status`")), "status `bogus` passed: {errs:?}");
    let mut bad_phone = services[0].clone();
    bad_phone["phones"][0].as_object_mut().unwrap().remove("number");
    assert!(!errors(&v, &[bad_phone], "service").is_empty(), "a phone without a number passed");
    let mut bad_org = services[0].clone();
    bad_org["organization"]["website"] = "not a uri".into();
    let errs = errors(&v, &[bad_org], "service");
    assert!(errs.iter().any(|e| e.contains("/organization/website")), "a bad website passed: {errs:?}");
}

#[test]
fn opening_hours_become_valid_schedules() {
    let example = crate::common::TestSite::example();
    example.replace(
        "content/services/pagalba-i-namus/service.toml",
        "home_visit = true\n",
        "home_visit = true\nhours = \"Mo-Th 8:00-17:00; Fr 08:00-12:00, 13:00-15:45\"\n",
    );
    let site = load(&example.root);
    let h = skaidra::export::hsds::export(&site).expect("the texts are there");
    let services = h.services.as_array().unwrap();
    let s = services.iter().find(|s| s["schedules"].is_array()).expect("a service with schedules");
    let sched = s["schedules"].as_array().unwrap();
    let got: Vec<(&str, &str, &str)> = sched
        .iter()
        .map(|x| (x["byday"].as_str().unwrap(), x["opens_at"].as_str().unwrap(), x["closes_at"].as_str().unwrap()))
        .collect();
    assert_eq!(got, [("MO,TU,WE,TH", "08:00", "17:00"), ("FR", "08:00", "12:00"), ("FR", "13:00", "15:45")]);
    assert!(sched.iter().all(|x| x["freq"] == "WEEKLY" && x["service_id"] == s["id"]));
    let errs = errors(&validator("service.json"), services, "service");
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

/// A small RFC 4180 reader: records of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quote");
    assert!(field.is_empty() && row.is_empty(), "the last record has no CRLF");
    rows
}

const HEADER: &str = "id,name,summary,provider,audiences,categories,home_visit,phone,email,website,url,reviewed,review_due,owner,phone_of,email_of";

#[test]
fn services_csv() {
    let site = load(root());
    let csv = skaidra::export::hsds::services_csv(&site, "lt");
    let body = csv.strip_prefix('\u{feff}').expect("UTF-8 byte order mark");
    assert!(body.starts_with(&format!("{HEADER}\r\n")), "header: {}", body.lines().next().unwrap_or_default());
    let rows = parse_csv(body);
    assert_eq!(rows.len(), 16, "header and 15 services");
    assert!(rows.iter().all(|r| r.len() == 16), "every row has 16 fields");
    let by_id: BTreeMap<&str, &Vec<String>> = rows[1..].iter().map(|r| (r[0].as_str(), r)).collect();
    let r = by_id["pagalba-i-namus"];
    assert_eq!(r[1], "Pagalba į namus");
    assert_eq!(r[6], "true");
    assert_eq!(r[7], "+370 315 56 660");
    // The example's services give the site's line, and the file says so.
    assert_eq!((r[14].as_str(), r[15].as_str()), ("site", "site"));
    assert_eq!(r[11], "2026-09-15");
    assert!(r[10].starts_with("https://") && r[10].ends_with("/pagalba-i-namus/"), "url {}", r[10]);
    // Summaries hold commas: each comes back whole, and is written quoted.
    let with_comma: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[2].contains(',')).collect();
    assert!(!with_comma.is_empty(), "no summary with a comma to check quoting with");
    for r in with_comma {
        let quoted = format!(",\"{}\",", r[2].replace('"', "\"\""));
        assert!(body.contains(&quoted), "summary not quoted: {}", r[2]);
    }
    let en = skaidra::export::hsds::services_csv(&site, "en");
    assert_eq!(parse_csv(en.strip_prefix('\u{feff}').unwrap()).len(), 16);
}

#[test]
fn csv_quoting_of_awkward_text() {
    use skaidra::export::hsds::csv_field;
    let awkward = "Vaikai, jaunimas ir „tėvai“ – \"šeima\"\r\nantra eilutė";
    let line = format!("{},{},{}\r\n", csv_field("a"), csv_field(awkward), csv_field("Šeštadienis"));
    assert_eq!(line, "a,\"Vaikai, jaunimas ir „tėvai“ – \"\"šeima\"\"\r\nantra eilutė\",Šeštadienis\r\n");
    assert_eq!(parse_csv(&line), [vec!["a".to_string(), awkward.to_string(), "Šeštadienis".to_string()]]);
}
