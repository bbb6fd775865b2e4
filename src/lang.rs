//! Language codes and values kept per language.
//!
//! [`Lang`] is a language code checked once, where it is read (`languages` in `site.toml`); the
//! rest of the pipeline takes the site's own codes from the configuration. [`PerLang`] is the
//! one container of values by language (an item's texts, a page's URLs, a list's entries), in
//! code order, so everything written per language comes out in the same order.

use crate::values::ValueError;
use std::borrow::Borrow;
use std::sync::Mutex;

/// A language code of the site (`lt`, `en`, `uk`): two or three lowercase ASCII letters, the form
/// `site.toml` accepts.
///
/// A `Lang` is a code interned once as a `&'static str`: it is `Copy` (pages, texts and URLs
/// each carry one, and copying a pointer costs less than a `String` per page), it is text
/// without a lookup (`&str` wherever one is expected, through `Deref`), and it compares, orders
/// and hashes as its code, so maps keyed by `Lang` are found with a `&str` and keep code order.
/// Interning leaks each distinct code once; only well-formed codes are interned, and there are
/// at most 26³ + 26² of those, so the table stays small whatever the input.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang(&'static str);

/// The codes interned so far (a site has a handful).
static CODES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

impl Lang {
    /// The code `code` as a `Lang`, or why it is not a language code.
    pub fn parse(code: &str) -> Result<Lang, ValueError> {
        if !(2..=3).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(ValueError::new(
                format!("`{code}` is not a language code"),
                "use two-letter ISO 639-1 codes such as \"lt\" or \"en\"",
            ));
        }
        let mut codes = CODES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&c) = codes.iter().find(|&&c| c == code) {
            return Ok(Lang(c));
        }
        let c: &'static str = Box::leak(code.to_string().into_boxed_str());
        codes.push(c);
        Ok(Lang(c))
    }

    /// The code as text.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl std::ops::Deref for Lang {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl AsRef<str> for Lang {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl Borrow<str> for Lang {
    fn borrow(&self) -> &str {
        self.0
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::fmt::Debug for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.0, f)
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl PartialEq<str> for Lang {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Lang {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Lang {
    fn eq(&self, other: &String) -> bool {
        self.0 == other
    }
}

impl PartialEq<Lang> for str {
    fn eq(&self, other: &Lang) -> bool {
        self == other.0
    }
}

impl PartialEq<Lang> for &str {
    fn eq(&self, other: &Lang) -> bool {
        *self == other.0
    }
}

impl PartialEq<Lang> for String {
    fn eq(&self, other: &Lang) -> bool {
        self == other.0
    }
}

/// A value per language, in code order. A page or a text exists in a few languages, so the
/// values are a sorted vector found by binary search: a B-tree node keeps room for eleven
/// (half a kilobyte per map; at 10,000 services, with two maps per address and two per item,
/// tens of megabytes).
#[derive(Clone, PartialEq)]
pub struct PerLang<T>(Vec<(Lang, T)>);

impl<T> Default for PerLang<T> {
    fn default() -> Self {
        PerLang(Vec::new())
    }
}

impl<T> PerLang<T> {
    fn find(&self, lang: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(l, _)| l.0.cmp(lang))
    }
    pub fn get(&self, lang: &str) -> Option<&T> {
        self.find(lang).ok().map(|i| &self.0[i].1)
    }
    /// The value of `lang` with the language as the map keeps it.
    pub fn get_key_value(&self, lang: &str) -> Option<(Lang, &T)> {
        self.find(lang).ok().map(|i| (self.0[i].0, &self.0[i].1))
    }
    pub fn get_mut(&mut self, lang: &str) -> Option<&mut T> {
        self.find(lang).ok().map(|i| &mut self.0[i].1)
    }
    /// Sets the value of `lang`, giving back the one it replaces.
    pub fn insert(&mut self, lang: Lang, value: T) -> Option<T> {
        match self.find(&lang) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (lang, value));
                None
            }
        }
    }
    /// Takes out the value of `lang`.
    pub fn remove(&mut self, lang: &str) -> Option<T> {
        self.find(lang).ok().map(|i| self.0.remove(i).1)
    }
    pub fn contains_key(&self, lang: &str) -> bool {
        self.find(lang).is_ok()
    }
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Lang, &T)> {
        self.into_iter()
    }
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Lang, &mut T)> {
        self.0.iter_mut().map(|(l, v)| (&*l, v))
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Lang> {
        self.0.iter().map(|(l, _)| l)
    }
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.0.iter().map(|(_, v)| v)
    }
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.0.iter_mut().map(|(_, v)| v)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a, T> IntoIterator for &'a PerLang<T> {
    type Item = (&'a Lang, &'a T);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (Lang, T)>, fn(&'a (Lang, T)) -> (&'a Lang, &'a T)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(l, v)| (l, v))
    }
}

impl<T> IntoIterator for PerLang<T> {
    type Item = (Lang, T);
    type IntoIter = std::vec::IntoIter<(Lang, T)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<T> FromIterator<(Lang, T)> for PerLang<T> {
    /// In code order; a language given twice keeps its last value (as a map collects).
    fn from_iter<I: IntoIterator<Item = (Lang, T)>>(iter: I) -> Self {
        let mut m = PerLang::default();
        for (l, v) in iter {
            m.insert(l, v);
        }
        m
    }
}

impl<T> std::ops::Index<&str> for PerLang<T> {
    type Output = T;
    fn index(&self, lang: &str) -> &T {
        self.get(lang).unwrap_or_else(|| panic!("no value for the language `{lang}`"))
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for PerLang<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: serde::Serialize> serde::Serialize for PerLang<T> {
    /// As a map from code to value, in code order.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Lang {
        Lang::parse(code).expect("a language code")
    }

    #[test]
    fn a_code_is_parsed_once_and_prints_as_written() {
        let lt = lang("lt");
        assert_eq!((lt.as_str(), lt.to_string(), &*lt), ("lt", "lt".to_string(), "lt"));
        assert_eq!(lang("lt"), lt);
        assert!(std::ptr::eq(lang("lt").as_str(), lt.as_str()), "one code is interned once");
        assert_eq!(lang("ckb").as_str(), "ckb");
        assert_eq!(lt, "lt");
        assert_eq!("lt", lt);
        assert_ne!(lt, "en");
        assert_eq!(lt, String::from("lt"));
        assert_eq!(serde_json::to_string(&lt).expect("json"), "\"lt\"");
        assert_eq!(format!("{lt:?}"), "\"lt\"");
        assert!(lang("en") < lt && lt < lang("pl"), "ordered as the codes are");
    }

    #[test]
    fn a_bad_language_code_is_refused_with_a_message() {
        for bad in ["", "l", "LT", "lt-LT", "litu", "l1", "ąž", " lt"] {
            let e = Lang::parse(bad).expect_err(bad);
            assert_eq!(e.message, format!("`{bad}` is not a language code"));
            assert!(e.hint.contains("\"lt\""), "{}", e.hint);
        }
    }

    /// `PerLang` keeps one value per language, in code order, whatever the order of insertion,
    /// and is found with a `&str`.
    #[test]
    fn per_lang_is_a_map_in_code_order() {
        let mut m = PerLang::default();
        assert!(m.is_empty() && m.get("lt").is_none());
        assert_eq!(m.insert(lang("lt"), 1), None);
        assert_eq!(m.insert(lang("en"), 2), None);
        assert_eq!(m.insert(lang("pl"), 3), None);
        assert_eq!(m.insert(lang("lt"), 4), Some(1));
        *m.get_mut("pl").expect("pl") += 10;
        assert_eq!(m.iter().map(|(l, v)| format!("{l}={v}")).collect::<Vec<_>>(), ["en=2", "lt=4", "pl=13"]);
        assert_eq!((m.len(), m["en"], m.contains_key("de"), m.get("de")), (3, 2, false, None));
        assert_eq!(m.keys().map(Lang::as_str).collect::<Vec<_>>(), ["en", "lt", "pl"]);
        assert_eq!(m.get_key_value("lt"), Some((lang("lt"), &4)));
        assert_eq!(serde_json::to_string(&m).expect("json"), r#"{"en":2,"lt":4,"pl":13}"#);
        assert_eq!(m.remove("en"), Some(2));
        let again: PerLang<i32> = [(lang("pl"), 1), (lang("lt"), 2), (lang("pl"), 3)].into_iter().collect();
        assert_eq!(again.into_iter().collect::<Vec<_>>(), [(lang("lt"), 2), (lang("pl"), 3)]);
    }
}
