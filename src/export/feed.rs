//! An Atom feed per language of what changed: services, newest review first. An entry's id
//! includes the hash of the service's text, so a content change shows as a new entry even when
//! the review date stays the same.

use super::xml;
use crate::resolve::Site;
use std::fmt::Write;

/// The Atom feed of one language.
pub fn atom(site: &Site, lang: &str) -> String {
    let language = site.config.language(lang);
    let home = site.absolute(site.path_of("", lang).unwrap_or(""));
    let self_url = format!("{home}feed.xml");
    let mut services: Vec<_> = site.content.services.iter().filter(|s| s.docs.contains_key(lang)).collect();
    services.sort_by(|a, b| b.review.reviewed.cmp(&a.review.reviewed).then(a.id.cmp(&b.id)));
    let updated = services.first().map(|s| s.review.reviewed).unwrap_or_default();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(s, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">");
    let _ =
        writeln!(s, "  <title>{}</title>\n  <subtitle>{}</subtitle>", xml(&language.title), xml(&language.description));
    let _ = writeln!(
        s,
        "  <id>{}</id>\n  <link rel=\"self\" href=\"{}\"/>\n  <link rel=\"alternate\" href=\"{}\"/>",
        xml(&self_url),
        xml(&self_url),
        xml(&home)
    );
    let _ = writeln!(
        s,
        "  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{}</name></author>",
        xml(&language.organisation)
    );
    for svc in services {
        let d = &svc.docs[lang];
        let url = site.path_of(&format!("services/{}", svc.id), lang).map(|p| site.absolute(p)).unwrap_or_default();
        let _ = writeln!(
            s,
            "  <entry>\n    <title>{}</title>\n    <id>{}#{}</id>\n    <link href=\"{}\"/>\n    <updated>{}T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>",
            xml(&d.title),
            xml(&url),
            d.hash,
            xml(&url),
            svc.review.reviewed,
            xml(&d.summary)
        );
    }
    s.push_str("</feed>\n");
    s
}
