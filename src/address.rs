//! Content addresses: what a page is, independent of its language and URL, and what an `@/` link
//! names (`@/services/home-help`).
//!
//! An [`Address`] is one of the site's pages ([`Target`]), possibly its easy-read version
//! (`services/home-help/easy`) or a later page of a list (`services@2`). It is made from its
//! parts by `resolve` and parsed from `@/` links; code asks it what it is ([`Address::target`])
//! instead of looking at its text. The text is the map key (URLs, anchors and lists are found
//! by an address or by its text) and is what messages, manifests and templates show.

use crate::values::ValueError;
use std::borrow::Borrow;

/// A page of the site, in no particular language (see the module's documentation).
///
/// Kept as its canonical text, from which [`Address::target`] reads the parts: one string per
/// page is what the maps of URLs need anyway, the address hashes and compares as that text (so
/// a map keyed by `Address` is found with a `&str`), and printing it costs nothing. Only
/// well-formed texts are made: by the constructors from typed parts, or by [`Address::parse`].
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address(String);

/// What an address names, without its easy-read mark and list part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// The home page (the empty address).
    Home,
    /// The page for addresses that do not exist (`404`).
    NotFound,
    /// The catalogue: the list of every service (`services`).
    Catalogue,
    /// The list of institutions (`providers`).
    Providers,
    /// The list of everything that has an easy-read version (`easy-read`).
    EasyIndex,
    /// The charter (`charter`).
    Charter,
    /// The quality policy (`quality-policy`).
    Quality,
    /// A service (`services/<id>`).
    Service(&'a str),
    /// An institution (`providers/<id>`).
    Provider(&'a str),
    /// A free page (`pages/<id>`).
    Page(&'a str),
    /// The list of an audience's services (`audiences/<key>`).
    Audience(&'a str),
    /// The list of a category's services (`categories/<key>`).
    Category(&'a str),
}

impl Target<'_> {
    /// A content item: it has a text of its own and may have an easy-read version.
    pub fn is_item(self) -> bool {
        matches!(self, Target::Charter | Target::Quality | Target::Service(_) | Target::Provider(_) | Target::Page(_))
    }
    /// A list: it may run over several pages (`@2`, `@3`...).
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Target::Catalogue | Target::Providers | Target::EasyIndex | Target::Audience(_) | Target::Category(_)
        )
    }
    /// A list of services (the catalogue and the terms' lists), ordered by title.
    pub fn is_service_list(self) -> bool {
        matches!(self, Target::Catalogue | Target::Audience(_) | Target::Category(_))
    }
    fn write(self, out: &mut String) {
        let (section, id) = match self {
            Target::Home => ("", None),
            Target::NotFound => ("404", None),
            Target::Catalogue => ("services", None),
            Target::Providers => ("providers", None),
            Target::EasyIndex => ("easy-read", None),
            Target::Charter => ("charter", None),
            Target::Quality => ("quality-policy", None),
            Target::Service(id) => ("services", Some(id)),
            Target::Provider(id) => ("providers", Some(id)),
            Target::Page(id) => ("pages", Some(id)),
            Target::Audience(key) => ("audiences", Some(key)),
            Target::Category(key) => ("categories", Some(key)),
        };
        out.push_str(section);
        if let Some(id) = id {
            out.push('/');
            out.push_str(id);
        }
    }
}

/// The mark of an easy-read version.
const EASY: &str = "/easy";

/// The parts of a well-formed address text, or `None`.
fn parts(text: &str) -> Option<(Target<'_>, bool, usize)> {
    // A later page of a list: `<list>@<n>`, n from 2 (written without a sign or leading zero).
    let (rest, part) = match text.rsplit_once('@') {
        Some((list, n)) if !n.starts_with('0') => match crate::values::whole_number(n) {
            Some(n) if n >= 2 => (list, n as usize),
            _ => (text, 1),
        },
        _ => (text, 1),
    };
    // An easy-read version (`<item>/easy`), unless that reads as no page: `providers/easy` is
    // the institution whose id is `easy`.
    if part == 1
        && let Some(item) = rest.strip_suffix(EASY)
        && let Some(target) = target(item).filter(|t| t.is_item())
    {
        return Some((target, true, 1));
    }
    let target = target(rest)?;
    (part == 1 || target.is_list()).then_some((target, false, part))
}

/// What `text` names without an easy-read mark or list part, or `None`.
fn target(text: &str) -> Option<Target<'_>> {
    let id = |id: &str| !id.is_empty() && !id.contains(['/', '#']);
    Some(match text.split_once('/') {
        None => match text {
            "" => Target::Home,
            "404" => Target::NotFound,
            "services" => Target::Catalogue,
            "providers" => Target::Providers,
            "easy-read" => Target::EasyIndex,
            "charter" => Target::Charter,
            "quality-policy" => Target::Quality,
            _ => return None,
        },
        Some(("services", i)) if id(i) => Target::Service(i),
        Some(("providers", i)) if id(i) => Target::Provider(i),
        Some(("pages", i)) if id(i) => Target::Page(i),
        Some(("audiences", k)) if id(k) => Target::Audience(k),
        Some(("categories", k)) if id(k) => Target::Category(k),
        _ => return None,
    })
}

impl Address {
    /// The address of `target` itself.
    pub fn new(target: Target<'_>) -> Address {
        let mut text = String::new();
        target.write(&mut text);
        Address(text)
    }

    /// The address written `text` (an `@/` link's address, without `@/`, trailing `/` and
    /// `#place`), or why it names no page a site can have.
    pub fn parse(text: &str) -> Result<Address, ValueError> {
        match parts(text) {
            Some(_) => Ok(Address(text.to_string())),
            None => Err(ValueError::new(
                format!("`@/{text}` is not the address of a page"),
                "link to content like @/services/<id>, @/providers/<id>, @/pages/<id>, @/charter or @/quality-policy",
            )),
        }
    }

    /// What the address names.
    pub fn target(&self) -> Target<'_> {
        self.parts().0
    }

    /// Whether this is the easy-read version of an item's page.
    pub fn is_easy(&self) -> bool {
        self.parts().1
    }

    /// Which page of a list this is (1 for the first, and for every other address).
    pub fn part(&self) -> usize {
        self.parts().2
    }

    fn parts(&self) -> (Target<'_>, bool, usize) {
        parts(&self.0).expect("an address is well-formed")
    }

    /// The easy-read version of this item's page; `None` for what is not an item's own page.
    pub fn easy(&self) -> Option<Address> {
        let (target, easy, _) = self.parts();
        (target.is_item() && !easy).then(|| Address(format!("{}{EASY}", self.0)))
    }

    /// Page `n` of this list (the list's own address for 1); `None` for what is not a list's
    /// first page.
    pub fn with_part(&self, n: usize) -> Option<Address> {
        let (target, _, part) = self.parts();
        (target.is_list() && part == 1).then(|| if n <= 1 { self.clone() } else { Address(format!("{}@{n}", self.0)) })
    }

    /// The address of the page it belongs to: the standard page for an easy-read version, the
    /// first page for a list's later page, else itself (as text, a key of the site's maps).
    pub fn base(&self) -> &str {
        let (_, easy, part) = self.parts();
        if easy {
            &self.0[..self.0.len() - EASY.len()]
        } else if part > 1 {
            self.0.rsplit_once('@').map_or(&self.0, |(list, _)| list)
        } else {
            &self.0
        }
    }

    /// The address as text (`services/home-help`; the home page's is empty).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Address {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Address {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Address {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// Maps keyed by `Address` are also found with a `&String` (an address made with `format!`).
impl Borrow<String> for Address {
    fn borrow(&self) -> &String {
        &self.0
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "@/{}", self.0)
    }
}

impl serde::Serialize for Address {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl PartialEq<str> for Address {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Address {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<Address> for str {
    fn eq(&self, other: &Address) -> bool {
        self == other.0
    }
}

impl PartialEq<Address> for &str {
    fn eq(&self, other: &Address) -> bool {
        *self == other.0
    }
}

/// The address and the place (`#anchor`) of an `@/` link's target (`@/services/x/#cost` ->
/// `services/x`, `cost`), as written; `None` for a link that is not an `@/` link. The address is
/// found in the site's maps by its text: a text no [`Address`] has finds nothing.
pub fn split_link(target: &str) -> Option<(&str, Option<&str>)> {
    let rest = target.strip_prefix("@/")?;
    Some(match rest.split_once('#') {
        Some((a, x)) => (a.trim_end_matches('/'), Some(x)),
        None => (rest.trim_end_matches('/'), None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of page: made from its parts, printed, parsed back to the same parts.
    #[test]
    fn addresses_print_and_parse_back() {
        let cases: [(Target, &str); 12] = [
            (Target::Home, ""),
            (Target::NotFound, "404"),
            (Target::Catalogue, "services"),
            (Target::Providers, "providers"),
            (Target::EasyIndex, "easy-read"),
            (Target::Charter, "charter"),
            (Target::Quality, "quality-policy"),
            (Target::Service("pagalba-namuose"), "services/pagalba-namuose"),
            (Target::Provider("easy"), "providers/easy"),
            (Target::Page("apie"), "pages/apie"),
            (Target::Audience("senjorai"), "audiences/senjorai"),
            (Target::Category("būstas"), "categories/būstas"),
        ];
        for (target, text) in cases {
            let a = Address::new(target);
            assert_eq!(
                (a.as_str(), a.to_string(), a.target(), a.is_easy(), a.part()),
                (text, text.into(), target, false, 1)
            );
            assert_eq!(Address::parse(text).expect(text), a);
            assert_eq!(a.base(), text);
            match a.easy() {
                Some(e) => {
                    assert!(target.is_item(), "{text}");
                    assert_eq!(e.as_str(), format!("{text}/easy"));
                    assert_eq!((e.target(), e.is_easy(), e.base()), (target, true, text));
                    assert_eq!(Address::parse(&e).expect("easy"), e);
                    assert!(e.easy().is_none() && e.with_part(2).is_none());
                }
                None => assert!(!target.is_item(), "{text}"),
            }
            match a.with_part(3) {
                Some(p) => {
                    assert_eq!(p.as_str(), format!("{text}@3"));
                    assert_eq!((p.target(), p.part(), p.base()), (target, 3, text));
                    assert_eq!(Address::parse(&p).expect("part"), p);
                    assert_eq!(a.with_part(1), Some(a.clone()));
                }
                None => assert!(!target.is_list(), "{text}"),
            }
        }
        assert_eq!(format!("{:?}", Address::new(Target::Charter)), "@/charter");
        assert_eq!(serde_json::to_string(&Address::new(Target::Page("x"))).expect("json"), "\"pages/x\"");
    }

    #[test]
    fn a_text_that_names_no_page_is_refused_with_a_message() {
        for bad in [
            "service/x",
            "services/",
            "services/x/y",
            "services@2/easy",
            "services/x@2",
            "charter@2",
            "easy-read/easy",
            "services@1",
            "services@02",
            "404/easy",
            "/services",
            "pages/a#b",
        ] {
            let e = Address::parse(bad).expect_err(bad);
            assert_eq!(e.message, format!("`@/{bad}` is not the address of a page"));
            assert!(e.hint.contains("@/services/<id>"), "{}", e.hint);
        }
    }

    #[test]
    fn links_split_into_address_and_place() {
        assert_eq!(split_link("@/services/x/#cost"), Some(("services/x", Some("cost"))));
        assert_eq!(split_link("@/charter"), Some(("charter", None)));
        assert_eq!(split_link("@/"), Some(("", None)));
        assert_eq!(split_link("/services/x"), None);
    }

    /// A map keyed by addresses is found with the address's text, as a `&str` or a `String`.
    #[test]
    fn addresses_are_found_by_their_text() {
        let m = std::collections::HashMap::from([(Address::new(Target::Service("a")), 1)]);
        assert_eq!(m.get("services/a"), Some(&1));
        let text = String::from("services/a");
        assert_eq!(m.get(&text), Some(&1));
        assert_eq!(m.get(&Address::parse("services/a").expect("parses")), Some(&1));
        assert!(Address::new(Target::Catalogue) == "services" && "services" == Address::new(Target::Catalogue));
    }
}
