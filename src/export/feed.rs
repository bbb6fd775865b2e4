//! An Atom feed per language of what changed: services, newest review first. An entry's id
//! includes the hash of the service's text, so a content change shows as a new entry even when
//! the review date stays the same. A service not yet translated is in the feed in the default
//! language, its entry marked with that language (`xml:lang`).

use super::xml;
use crate::address::{Address, Target};
use crate::resolve::Site;
use std::fmt::Write;

/// The Atom feed of one language.
pub fn atom(site: &Site, lang: &str) -> String {
    let language = site.config.language(lang);
    let home = site.absolute(site.path_of("", lang).unwrap_or(""));
    let self_url = format!("{home}feed.xml");
    let mut services: Vec<_> = site.content.services.iter().filter(|s| site.doc_in(&s.docs, lang).is_some()).collect();
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
        let Some(d) = site.doc_in(&svc.docs, lang) else { continue };
        let url = site
            .link_of(&Address::new(Target::Service(&svc.id)), lang)
            .map(|(p, _)| site.absolute(p))
            .unwrap_or_default();
        let entry_lang = if d.lang == lang { String::new() } else { format!(" xml:lang=\"{}\"", d.lang) };
        let _ = writeln!(
            s,
            "  <entry{entry_lang}>\n    <title>{}</title>\n    <id>{}#{}</id>\n    <link href=\"{}\"/>\n    <updated>{}T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>",
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

/// The Atom feed of every language, as an output: `feed.xml` beside each language's home page.
pub struct Feeds;

impl super::Output for Feeds {
    fn name(&self) -> &'static str {
        "feeds"
    }
    fn files<'a>(&self, input: &super::Input<'a>) -> Vec<super::Export<'a>> {
        let site = input.site;
        site.config
            .lang_codes()
            .filter_map(|lang| {
                // Beside the language's home page (every language has one).
                let home = site.path_of(&Address::new(Target::Home), lang)?;
                Some(super::Export::text(format!("{home}feed.xml"), move || atom(site, lang)))
            })
            .collect()
    }
}
