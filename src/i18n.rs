//! Interface strings: `i18n/<lang>.toml`, one file per language.
//!
//! Owns loading the files, checking that every language has every key the default language has
//! (a missing key is a build error naming key and file), and giving templates a nested table `t`.
//! Content never holds interface strings and templates never hold words.

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::source::{read_text, toml_error};
use std::collections::BTreeMap;
use std::path::Path;

/// The strings of one language.
#[derive(Debug, Clone)]
pub struct Strings {
    /// Nested table for templates (`t.nav.services`).
    pub tree: serde_json::Value,
    /// Flat `a.b.c` keys to strings, for use from Rust.
    pub flat: BTreeMap<String, String>,
}

impl Strings {
    /// A string by dotted key. Keys are checked at load time against the default language, and the
    /// keys Rust asks for are in the default language's file (a test checks the shipped files).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.flat.get(key).map(String::as_str).unwrap_or(key)
    }
}

/// All languages' strings.
#[derive(Debug, Clone, Default)]
pub struct I18n {
    pub langs: BTreeMap<String, Strings>,
}

impl I18n {
    pub fn lang(&self, code: &str) -> &Strings {
        &self.langs[code]
    }
}

/// Keys Skaidra itself reads (URL segments and labels made outside templates). They must exist in
/// every language.
pub const REQUIRED_KEYS: &[&str] = &[
    "language_name",
    "url.services",
    "url.providers",
    "url.audiences",
    "url.categories",
    "url.easy_read",
    "date.months",
    "date.format",
    "a11y.external",
    "switcher.not_translated",
    "fallback.note",
    "days.mo",
    "days.tu",
    "days.we",
    "days.th",
    "days.fr",
    "days.sa",
    "days.su",
    "report.subject",
];

/// Loads `i18n/<lang>.toml` for every configured language.
pub fn load(root: &Path, config: &Config) -> Result<I18n, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut langs = BTreeMap::new();
    let mut key_lines: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    // Line of each `[table]` header per language, where a missing key is reported.
    let mut table_lines: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for code in config.lang_codes() {
        let path = root.join("i18n").join(format!("{code}.toml"));
        if !path.exists() {
            diags.push(
                Diagnostic::error(
                    Code::I18n,
                    Location::file(format!("i18n/{code}.toml")),
                    format!("the interface strings for `{code}` are missing"),
                )
                .with_hint(format!("copy i18n/{}.toml to i18n/{code}.toml and translate it", config.default_lang())),
            );
            continue;
        }
        let src = match read_text(root, &path) {
            Ok(s) => s,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let table: toml::Table = match toml::from_str(&src.text) {
            Ok(t) => t,
            Err(e) => {
                diags.push(toml_error(&src, 0, &e));
                continue;
            }
        };
        let mut flat = BTreeMap::new();
        flatten("", &toml::Value::Table(table.clone()), &mut flat);
        let mut lines = BTreeMap::new();
        for (k, v) in &flat {
            let leaf = k.rsplit('.').next().unwrap_or(k);
            let line = src
                .text
                .lines()
                .position(|l| l.trim_start().starts_with(leaf) && l.contains(v.as_str()))
                .map(|i| i + 1)
                .unwrap_or(1);
            lines.insert(k.clone(), line);
        }
        key_lines.insert(code.to_string(), lines);
        let tables = src.text.lines().enumerate().filter_map(|(i, l)| {
            let name = l.trim().strip_prefix('[')?.split(']').next()?.trim();
            (!name.starts_with('[')).then(|| (name.to_string(), i + 1))
        });
        table_lines.insert(code.to_string(), tables.collect());
        let tree = serde_json::to_value(&table).unwrap_or(serde_json::Value::Null);
        langs.insert(code.to_string(), Strings { tree, flat });
    }
    let default = config.default_lang().to_string();
    if let Some(def) = langs.get(&default) {
        for key in REQUIRED_KEYS {
            if !def.flat.contains_key(*key) {
                diags.push(
                    Diagnostic::error(
                        Code::I18nMissingKey,
                        Location::file(format!("i18n/{default}.toml")),
                        format!("the key `{key}` is missing"),
                    )
                    .with_hint("Skaidra needs this key; see the shipped i18n files for its meaning"),
                );
            }
        }
        for (code, strings) in &langs {
            if *code == default {
                continue;
            }
            for key in def.flat.keys() {
                if !strings.flat.contains_key(key) {
                    // At the header of the table the key belongs in, when the file has it.
                    let table = key.rsplit_once('.').map(|(t, _)| t).unwrap_or("");
                    let line = table_lines.get(code.as_str()).and_then(|t| t.get(table)).copied().unwrap_or(1);
                    diags.push(
                        Diagnostic::error(
                            Code::I18nMissingKey,
                            Location { file: format!("i18n/{code}.toml").into(), line, col: 1 },
                            format!("the key `{key}` is missing"),
                        )
                        .with_hint(format!("add `{key}` translated from i18n/{default}.toml")),
                    );
                }
            }
            for key in strings.flat.keys() {
                if !def.flat.contains_key(key) {
                    let line = key_lines[code.as_str()][key];
                    diags.push(
                        Diagnostic::warning(
                            Code::I18nExtraKey,
                            Location { file: format!("i18n/{code}.toml").into(), line, col: 1 },
                            format!("the key `{key}` is not in i18n/{default}.toml"),
                        )
                        .with_hint("remove it, or add it to the default language too"),
                    );
                }
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(I18n { langs })
}

fn flatten(prefix: &str, v: &toml::Value, out: &mut BTreeMap<String, String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        toml::Value::Array(a) => {
            out.insert(prefix.to_string(), a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join("|"));
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}
