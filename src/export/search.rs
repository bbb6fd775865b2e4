//! The search index of one language, split into small files so that a query loads only what it
//! needs (`themes/default/static/search.js` reads them; the idea is Pagefind's chunked index).
//!
//! Words are stored lowercased and without diacritics ("pagalba", "namus"); the browser script
//! stems and matches them, tolerating one typo. The files, all under `search/`:
//!
//! - `<lang>.json`, the entry the search box loads first (a fixed name): the number of documents,
//!   the kind labels, the first word of every word chunk with its file, and the file of every
//!   block of [`Limits::docs_per_file`] documents.
//! - `<lang>/w-<hash>.json`, a word chunk: consecutive words of the sorted vocabulary, in groups,
//!   each group (its words joined by spaces) with the file that holds their postings:
//!   `{"p":[hash..],"g":["word word..",..]}`.
//! - `<lang>/p-<hash>.json`, postings: for each word the documents it is in (`d`) and those
//!   whose title has it (`t`): `{"word":{"d":"..","t":".."}}`, numbers coded by [`encode_ids`].
//! - `<lang>/d-<hash>.json`, documents: `[[title, path, kind]..]`.
//!
//! Documents are numbered in the order the search shows equal matches: by title, letters without
//! their diacritics first. Every file is a pure function of the model and is named by the hash of
//! its bytes, so an unchanged site writes the same files, a changed one renames only what changed,
//! and a browser never mixes files of two builds.

use crate::resolve::{PageKind, Site};
use crate::values::slug::slugify;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// How the index is cut into files.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Documents per document file: the ten results shown come from one to ten such files.
    pub docs_per_file: usize,
    /// A word chunk is closed once its words take about this many bytes.
    pub word_chunk_bytes: usize,
    /// A postings file is closed before it would pass this many bytes (a bigger list has a file
    /// of its own).
    pub postings_bytes: usize,
    /// Up to this many bytes of words in all, the browser loads every word chunk and finds typos
    /// in any letter; above it, a typo must leave the first letter right (only the words with the
    /// query's first letter are loaded).
    pub whole_vocabulary_bytes: usize,
}

/// The limits of a build.
pub const LIMITS: Limits = Limits {
    docs_per_file: 64,
    word_chunk_bytes: 8 * 1024,
    postings_bytes: 4 * 1024,
    whole_vocabulary_bytes: 48 * 1024,
};

/// Lowercased words of any script without diacritics, each once, in order of appearance; words
/// of one letter are left out.
pub fn words<S: AsRef<str>>(texts: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in texts {
        let folded = fold(t.as_ref());
        for w in folded.split(|c: char| !(c.is_alphabetic() || c.is_numeric())).filter(|w| w.chars().nth(1).is_some()) {
            // A record has a few dozen words: a scan is quicker than a set.
            if !out.iter().any(|x| x == w) {
                out.push(w.to_string());
            }
        }
    }
    out
}

/// The folding the search box does in the browser (`fold` in `themes/default/static/search.js`),
/// which the index's words must match: lowercase, canonical decomposition (NFD), combining marks
/// removed, and the few letters whose stroke is not a mark (ł, ø, đ) written without it. "Šeima"
/// is found by "seima", "Діти" keeps its letters, Arabic loses its short-vowel marks.
fn fold(text: &str) -> String {
    text.to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'ł' => 'l',
            'ø' => 'o',
            'đ' => 'd',
            c => c,
        })
        .collect()
}

/// One searchable page.
struct Record {
    title: String,
    path: String,
    kind: &'static str,
    /// The words it is found by: title, summary and the extra texts.
    words: Vec<String>,
    /// The words of the title (they rank higher).
    title_words: Vec<String>,
}

/// Every service and content page of one language, with the texts it is found by.
fn records(site: &Site, lang: &str) -> Vec<Record> {
    let c = &site.content;
    let mut out = Vec::new();
    for page in site.pages.iter().filter(|p| p.lang == lang) {
        let (title, summary, kind, extra): (&str, &str, &'static str, Vec<String>) = match page.kind {
            PageKind::Service(i) => {
                let s = &c.services[i];
                let d = &s.docs[lang];
                let mut extra: Vec<String> = d.fields.eligibility.clone();
                extra.extend(s.audiences.iter().chain(&s.categories).filter_map(|k| {
                    c.taxonomies
                        .audiences
                        .iter()
                        .chain(&c.taxonomies.categories)
                        .find(|x| &x.key == k)
                        .map(|x| site.shown(&x.label, lang).text.to_string())
                }));
                if let Some(p) = site.provider(&s.provider).and_then(|p| p.docs.get(lang)) {
                    extra.push(p.title.clone());
                }
                (&d.title, &d.summary, "nav.services", extra)
            }
            PageKind::Provider(i) => {
                let d = &c.providers[i].docs[lang];
                (&d.title, &d.summary, "nav.providers", c.providers[i].short_name.iter().cloned().collect())
            }
            PageKind::Page(i) => {
                let d = &c.pages[i].docs[lang];
                (&d.title, &d.summary, "search.page", vec![])
            }
            PageKind::Charter => {
                let d = &c.charter.as_ref().expect("resolved").docs[lang];
                let commitments = d.fields.commitments.values().map(|x| x.title.clone()).collect();
                (&d.title, &d.summary, "nav.charter", commitments)
            }
            PageKind::Quality => {
                let d = &c.quality.as_ref().expect("resolved").docs[lang];
                (&d.title, &d.summary, "nav.quality", vec![])
            }
            _ => continue,
        };
        let mut texts: Vec<&str> = vec![title, summary];
        texts.extend(extra.iter().map(String::as_str));
        // The summary's words are indexed; the text itself is not shown, so it is not shipped.
        out.push(Record {
            title: title.to_string(),
            path: page.path.clone(),
            kind,
            words: words(&texts),
            title_words: words(&[title]),
        });
    }
    out
}

/// The 64 digits of the coded numbers (URL-safe base64's alphabet).
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Document numbers (ascending, no repeats) as text, whichever of two forms is shorter:
/// - `v` and the gaps (each number minus the one before minus one; the first as it is), each gap
///   in digits of 5 bits, lowest first, the 6th bit set on all but a gap's last digit;
/// - `b` and a bitmap: digit `k`'s bit `j` (value `1 << j`) is document `6k + j`.
pub fn encode_ids(ids: &[u32]) -> String {
    let Some(&last) = ids.last() else { return "v".into() };
    let mut gaps = String::with_capacity(ids.len() + 1);
    gaps.push('v');
    let mut next = 0u32;
    for &id in ids {
        debug_assert!(id >= next, "ids must ascend without repeats");
        let mut gap = id - next;
        next = id + 1;
        loop {
            let d = gap & 31;
            gap >>= 5;
            if gap == 0 {
                gaps.push(DIGITS[d as usize] as char);
                break;
            }
            gaps.push(DIGITS[(d | 32) as usize] as char);
        }
    }
    let bitmap_len = last as usize / 6 + 2;
    if bitmap_len >= gaps.len() {
        return gaps;
    }
    let mut bits = vec![0u8; bitmap_len - 1];
    for &id in ids {
        bits[id as usize / 6] |= 1 << (id % 6);
    }
    let mut out = String::with_capacity(bitmap_len);
    out.push('b');
    out.extend(bits.into_iter().map(|b| DIGITS[b as usize] as char));
    out
}

/// Reads what [`encode_ids`] wrote (for tests and tools; the browser has its own reader).
pub fn decode_ids(text: &str) -> Option<Vec<u32>> {
    let digit = |c: u8| DIGITS.iter().position(|&d| d == c).map(|v| v as u32);
    let (form, rest) = text.as_bytes().split_first()?;
    let mut ids = Vec::new();
    match form {
        b'b' => {
            for (k, &c) in rest.iter().enumerate() {
                let v = digit(c)?;
                ids.extend((0..6).filter(|j| v & (1 << j) != 0).map(|j| k as u32 * 6 + j));
            }
        }
        b'v' => {
            let (mut next, mut gap, mut shift) = (0u32, 0u32, 0u32);
            for &c in rest {
                let v = digit(c)?;
                gap = gap.checked_add((v & 31).checked_shl(shift)?)?;
                if v & 32 != 0 {
                    shift += 5;
                } else {
                    let id = next.checked_add(gap)?;
                    ids.push(id);
                    next = id + 1;
                    gap = 0;
                    shift = 0;
                }
            }
            if shift != 0 {
                return None;
            }
        }
        _ => return None,
    }
    Some(ids)
}

/// The postings of one word.
#[derive(Serialize)]
struct Postings {
    d: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    t: String,
}

/// The entry file.
#[derive(Serialize)]
struct Entry<'a> {
    /// Format version.
    v: u32,
    lang: &'a str,
    /// The base path of page paths.
    base: &'a str,
    /// Number of documents.
    n: usize,
    /// Documents per document file.
    per: usize,
    /// Kind labels, by the number documents give.
    kinds: Vec<&'a str>,
    /// Whether the browser loads every word chunk (see [`Limits::whole_vocabulary_bytes`]).
    all: bool,
    /// Each word chunk's first word and its file's hash, in word order.
    words: Vec<(String, String)>,
    /// Each document file's hash, in document order.
    docs: Vec<String>,
}

/// The name of a file made from `bytes`: the first 10 hex digits of their SHA-256.
fn hash(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// The files of one language's index: (path under the output, bytes). The first is the entry
/// ([`entry_path`]).
pub fn files(site: &Site, lang: &str) -> Vec<(String, Vec<u8>)> {
    files_with(site, lang, LIMITS)
}

/// [`files`] cut by other limits.
pub fn files_with(site: &Site, lang: &str, limits: Limits) -> Vec<(String, Vec<u8>)> {
    let t = site.i18n.lang(lang);
    let mut recs = records(site, lang);
    // Equal matches show in this order: by title without diacritics, then as written.
    let mut keyed: Vec<(String, String, usize)> =
        recs.iter().enumerate().map(|(i, r)| (slugify(&r.title), r.title.to_lowercase(), i)).collect();
    keyed.sort_unstable();
    let mut order: Vec<Option<Record>> = recs.drain(..).map(Some).collect();
    let recs: Vec<Record> = keyed.into_iter().filter_map(|(_, _, i)| order[i].take()).collect();

    let mut kinds: Vec<&'static str> = Vec::new();
    let mut postings: HashMap<&str, (Vec<u32>, Vec<u32>)> = HashMap::new();
    for (id, r) in recs.iter().enumerate() {
        for w in &r.words {
            postings.entry(w).or_default().0.push(id as u32);
        }
        for w in &r.title_words {
            postings.entry(w).or_default().1.push(id as u32);
        }
        if !kinds.contains(&r.kind) {
            kinds.push(r.kind);
        }
    }
    kinds.sort_unstable();
    let mut vocabulary: Vec<(&str, Postings)> = postings
        .into_iter()
        .map(|(w, (d, t))| {
            (w, Postings { d: encode_ids(&d), t: if t.is_empty() { String::new() } else { encode_ids(&t) } })
        })
        .collect();
    vocabulary.sort_unstable_by(|a, b| a.0.cmp(b.0));

    let dir = format!("search/{lang}");
    let mut out: Vec<(String, Vec<u8>)> = vec![(entry_path(lang), Vec::new())];
    let mut put = |prefix: &str, bytes: Vec<u8>| -> String {
        let h = hash(&bytes);
        out.push((format!("{dir}/{prefix}-{h}.json"), bytes));
        h
    };

    // Word chunks, each with its postings files.
    let vocabulary_bytes: usize = vocabulary.iter().map(|(w, _)| w.len() + 3).sum();
    let mut chunks: Vec<(String, String)> = Vec::new();
    for chunk in cut(&vocabulary, limits.word_chunk_bytes, 20, |(w, _)| w.len() + 3, |(w, _)| w) {
        let mut files: Vec<String> = Vec::new();
        let mut groups: Vec<String> = Vec::new();
        let postings_size = |(w, p): &(&str, Postings)| w.len() + p.d.len() + p.t.len() + 16;
        for group in cut(chunk, limits.postings_bytes, 80, postings_size, |(w, _)| w) {
            let map: BTreeMap<&str, &Postings> = group.iter().map(|(w, p)| (*w, p)).collect();
            files.push(put("p", serde_json::to_vec(&map).unwrap_or_default()));
            groups.push(group.iter().map(|(w, _)| *w).collect::<Vec<_>>().join(" "));
        }
        let bytes = serde_json::to_vec(&serde_json::json!({ "p": files, "g": groups })).unwrap_or_default();
        chunks.push((chunk[0].0.to_string(), put("w", bytes)));
    }

    // Document files.
    let kind_no = |k: &str| kinds.iter().position(|x| *x == k).unwrap_or(0);
    let docs: Vec<String> = recs
        .chunks(limits.docs_per_file)
        .map(|block| {
            let rows: Vec<(&str, &str, usize)> =
                block.iter().map(|r| (r.title.as_str(), r.path.as_str(), kind_no(r.kind))).collect();
            put("d", serde_json::to_vec(&rows).unwrap_or_default())
        })
        .collect();

    let entry = Entry {
        v: 1,
        lang,
        base: &site.config.base_path,
        n: recs.len(),
        per: limits.docs_per_file,
        kinds: kinds.iter().map(|k| t.get(k)).collect(),
        all: vocabulary_bytes <= limits.whole_vocabulary_bytes,
        words: chunks,
        docs,
    };
    out[0].1 = serde_json::to_vec(&entry).unwrap_or_default();
    out
}

/// Cuts `items` into runs of about `target` bytes (`size` of each item) at places that depend on
/// the items themselves, as rsync and backup tools cut files: a run ends after an item once it
/// holds `target / 2` bytes and the item's `key` hashes to 0 modulo `target / (2 * typical)`
/// (`typical`: an item's usual size, so such a cut comes about `target / 2` bytes later), or once
/// it holds `2 * target` bytes; an item of `target` bytes or more is a run of its own. A word added
/// or removed moves the cuts only near it, so the other files keep their bytes and their names.
fn cut<T>(
    items: &[T],
    target: usize,
    typical: usize,
    size: impl Fn(&T) -> usize,
    key: impl Fn(&T) -> &str,
) -> Vec<&[T]> {
    // FNV-1a: a hash that stays the same across versions and machines.
    let fnv =
        |s: &str| s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let every = (target / (2 * typical)).max(1) as u64;
    let mut runs = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        let n = size(item);
        if n >= target && i > start {
            runs.push(&items[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += n;
        if n >= target || bytes >= 2 * target || (bytes >= target / 2 && fnv(key(item)) % every == 0) {
            runs.push(&items[start..=i]);
            start = i + 1;
            bytes = 0;
        }
    }
    if start < items.len() {
        runs.push(&items[start..]);
    }
    runs
}

/// The path of a language's entry file, the one the search box loads first.
pub fn entry_path(lang: &str) -> String {
    format!("search/{lang}.json")
}

/// The search index of every language, as an output: one set of files per language, led by its
/// entry ([`entry_path`]); the other files are named by their content.
pub struct Search;

impl super::Output for Search {
    fn name(&self) -> &'static str {
        "search index"
    }
    fn files<'a>(&self, input: &super::Input<'a>) -> Vec<super::Export<'a>> {
        let site = input.site;
        site.config
            .lang_codes()
            .map(|lang| super::Export {
                path: entry_path(lang),
                make: super::Make::Set(Box::new(move || files(site, lang))),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::{BTreeSet, HashMap};

    fn example() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::pipeline::load_site(root, None).expect("the example site loads").0
    }

    /// Small limits, so the example site's index is cut into many files.
    const TINY: Limits =
        Limits { docs_per_file: 4, word_chunk_bytes: 200, postings_bytes: 300, whole_vocabulary_bytes: 0 };

    /// What a reader of the files finds: documents (title, path, kind) in order, and for each
    /// word the paths of the documents that have it and of those whose title has it.
    struct Read {
        docs: Vec<(String, String, String)>,
        words: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>,
        entry: Value,
    }

    /// Reads an index the way the browser does: the entry, then every word chunk by its place in
    /// the entry, each word's postings from the file its group names, and the document files.
    fn read(files: &[(String, Vec<u8>)], lang: &str) -> Read {
        let by_path: HashMap<&str, &[u8]> = files.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
        let json = |path: String| -> Value {
            let bytes = by_path.get(path.as_str()).unwrap_or_else(|| panic!("no file {path}"));
            serde_json::from_slice(bytes).expect("JSON")
        };
        let entry = json(format!("search/{lang}.json"));
        let kinds: Vec<String> = serde_json::from_value(entry["kinds"].clone()).unwrap();
        let mut docs = Vec::new();
        for h in entry["docs"].as_array().unwrap() {
            let rows: Vec<(String, String, usize)> =
                serde_json::from_value(json(format!("search/{lang}/d-{}.json", h.as_str().unwrap()))).unwrap();
            assert!(rows.len() <= entry["per"].as_u64().unwrap() as usize);
            docs.extend(rows.into_iter().map(|(t, p, k)| (t, p, kinds[k].clone())));
        }
        assert_eq!(docs.len() as u64, entry["n"].as_u64().unwrap());
        let chunks = entry["words"].as_array().unwrap();
        let mut words = BTreeMap::new();
        for (i, c) in chunks.iter().enumerate() {
            let first = c[0].as_str().unwrap();
            let next = chunks.get(i + 1).map(|n| n[0].as_str().unwrap());
            let chunk = json(format!("search/{lang}/w-{}.json", c[1].as_str().unwrap()));
            let groups = chunk["g"].as_array().unwrap();
            assert_eq!(groups.len(), chunk["p"].as_array().unwrap().len());
            for (g, group) in groups.iter().enumerate() {
                let postings = json(format!("search/{lang}/p-{}.json", chunk["p"][g].as_str().unwrap()));
                let group: Vec<&str> = group.as_str().unwrap().split(' ').collect();
                assert_eq!(postings.as_object().unwrap().len(), group.len());
                for w in group {
                    // The word is where the browser looks for it.
                    assert!(first <= w && next.is_none_or(|n| w < n), "{w} in the chunk from {first} to {next:?}");
                    let paths = |key: &str| -> BTreeSet<String> {
                        let text = postings[w][key].as_str().unwrap_or("v");
                        decode_ids(text).unwrap().into_iter().map(|id| docs[id as usize].1.clone()).collect()
                    };
                    assert!(words.insert(w.to_string(), (paths("d"), paths("t"))).is_none(), "{w} twice");
                }
            }
        }
        Read { docs, words, entry }
    }

    /// Every word of every searchable page leads to exactly the pages that have it, through
    /// files cut small; and the title postings are exactly the pages whose title has the word.
    #[test]
    fn every_word_leads_to_exactly_its_pages() {
        let site = example();
        for lang in site.config.lang_codes() {
            let files = files_with(&site, lang, TINY);
            let r = read(&files, lang);
            assert!(r.entry["words"].as_array().unwrap().len() > 10, "cut into many word chunks");
            assert!(r.entry["docs"].as_array().unwrap().len() > 3, "cut into many document files");
            assert_eq!(r.entry["all"], Value::Bool(false));
            let recs = records(&site, lang);
            assert_eq!(r.docs.len(), recs.len());
            let mut want: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
            for rec in &recs {
                for w in &rec.words {
                    want.entry(w.clone()).or_default().0.insert(rec.path.clone());
                }
                for w in &rec.title_words {
                    want.entry(w.clone()).or_default().1.insert(rec.path.clone());
                }
            }
            let differs = want.keys().chain(r.words.keys()).find(|w| r.words.get(*w) != want.get(*w));
            assert!(
                differs.is_none(),
                "{lang}: `{differs:?}` leads to {:?}, not {:?}",
                r.words.get(differs.unwrap()),
                want.get(differs.unwrap())
            );
            // Documents carry their title, the page's path and kind.
            let home_help = r.docs.iter().find(|d| d.0 == "Pagalba į namus" || d.0 == "Help at home").unwrap();
            assert!(site.pages.iter().any(|p| p.path == home_help.1 && p.lang == *lang));
            assert_eq!(home_help.2, site.i18n.lang(lang).get("nav.services"));
        }
    }

    /// A word added to one summary changes the files that hold it and the entry, not the rest.
    #[test]
    fn an_edit_changes_few_files() {
        let limits = TINY;
        let mut site = example();
        let before: BTreeSet<String> = files_with(&site, "lt", limits).into_iter().map(|(p, _)| p).collect();
        let i = site.content.services.iter().position(|s| s.id == "pagalba-i-namus").unwrap();
        let doc = site.content.services[i].docs.get_mut("lt").unwrap();
        doc.summary.push_str(" Abėcėlė.");
        let after: BTreeSet<String> = files_with(&site, "lt", limits).into_iter().map(|(p, _)| p).collect();
        let count = |set: &BTreeSet<String>, kind: &str| set.iter().filter(|p| p.contains(kind)).count();
        let (gone, new): (BTreeSet<_>, BTreeSet<_>) =
            (before.difference(&after).cloned().collect(), after.difference(&before).cloned().collect());
        assert!(count(&before, "/w-") > 8, "many word chunks: {before:?}");
        // The word chunk where the word goes changes, and the next one if the new word moved a
        // cut, with their postings; the documents and their numbers do not.
        assert!((1..=2).contains(&count(&new, "/w-")), "{gone:?} -> {new:?}");
        assert!((1..=2).contains(&count(&gone, "/w-")), "{gone:?} -> {new:?}");
        assert!(count(&new, "/p-") <= 6 && count(&new, "/p-") * 4 <= count(&after, "/p-"), "{gone:?} -> {new:?}");
        assert!(count(&gone, "/p-") <= 6, "{gone:?} -> {new:?}");
        assert_eq!(count(&new, "/d-"), 0);
    }

    /// The same model gives the same files, each named by the hash of its bytes; equal matches
    /// are in the order of their titles without diacritics.
    #[test]
    fn files_are_a_function_of_the_model() {
        let site = example();
        let a = files(&site, "lt");
        assert_eq!(a, files(&example(), "lt"), "a second load gives the same bytes");
        assert_eq!(a[0].0, entry_path("lt"));
        for (path, bytes) in &a[1..] {
            let name = path.rsplit('/').next().unwrap();
            assert_eq!(&name[2..name.len() - 5], hash(bytes), "{path}");
        }
        let r = read(&a, "lt");
        assert_eq!(r.entry["all"], Value::Bool(true), "the example's vocabulary is small");
        let keys: Vec<String> = r.docs.iter().map(|d| slugify(&d.0)).collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
        // "Čiurlionio" would sort after "Zarasai" by code point; here "č" counts as "c".
        assert!(slugify("Čiurlionio") < slugify("Dienos"));
    }

    #[test]
    fn words_are_plain_and_unique() {
        assert_eq!(words(&["Pagalba į namus", "pagalba namuose"]), ["pagalba", "namus", "namuose"]);
    }

    #[test]
    fn words_of_every_script_are_kept() {
        // "й" folds to "и" as the browser folds it, and a word of one letter is left out.
        assert_eq!(words(&["Діти й сім'я, Київ"]), ["діти", "сім", "киів"]);
        assert_eq!(words(&["Дети, семьи"]), ["дети", "семьи"]);
        assert_eq!(words(&["Łódź, Øresund"]), ["lodz", "oresund"]);
        // Arabic short-vowel marks are combining marks: the word is found written with or without them.
        assert_eq!(words(&["مُسَاعَدَة"]), words(&["مساعدة"]));
        assert_eq!(words(&["مساعدة"]), ["مساعدة"]);
    }

    #[test]
    fn ids_round_trip_in_the_shorter_form() {
        let sparse = [3u32, 40, 41, 1000, 99_999];
        let s = encode_ids(&sparse);
        assert!(s.starts_with('v'), "{s}");
        assert_eq!(decode_ids(&s).as_deref(), Some(&sparse[..]));
        // Gaps: 3, 36 (two digits), 0, 958 (two digits), 98,998 (four digits).
        assert_eq!(s.len(), 1 + 1 + 2 + 1 + 2 + 4);

        let dense: Vec<u32> = (0..600).filter(|i| i % 3 != 1).collect();
        let b = encode_ids(&dense);
        assert!(b.starts_with('b'), "{b}");
        assert_eq!(b.len(), 1 + 600 / 6);
        assert_eq!(decode_ids(&b), Some(dense));

        assert_eq!(decode_ids(&encode_ids(&[])), Some(vec![]));
        assert_eq!(decode_ids(&encode_ids(&[0])), Some(vec![0]));
        assert_eq!(encode_ids(&[0, 1, 2]), "bH", "bits 0, 1 and 2 of one digit");
        assert_eq!(encode_ids(&[100]), "vkD", "100 = 4 + 3 * 32: digit 4 with the next bit, then 3");
        // The bitmap's bit j of digit k is document 6k + j.
        assert_eq!(decode_ids("bBg"), Some(vec![0, 11]));
        assert_eq!(decode_ids("vg"), None, "a gap that does not end");
        assert_eq!(decode_ids("x"), None);
    }

    #[test]
    fn ids_round_trip_on_many_lists() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..500 {
            let n = (next() % 3000) as u32 + 1;
            let keep = next() % 100 + 1;
            let ids: Vec<u32> = (0..n).filter(|_| next() % 100 < keep).collect();
            let s = encode_ids(&ids);
            assert_eq!(decode_ids(&s).as_ref(), Some(&ids), "{s}");
            // The shorter form was chosen.
            let last = ids.last().map_or(0, |&l| l as usize);
            if !ids.is_empty() {
                assert!(s.len() <= last / 6 + 2, "{} > bitmap {}", s.len(), last / 6 + 2);
            }
        }
    }
}
