//! The browser editor: Decap CMS, configured from the content model.
//!
//! When `site.toml` has an `[editor]` table, the build (and `serve`) writes the editor into the
//! output under `admin/`:
//!
//! - `index.html`: the editor's page, with a Content-Security-Policy of its own ([`csp`]; every
//!   other page keeps the site's strict one);
//! - `config.json`: Decap's configuration ([`config`]), made from the field descriptions in
//!   [`crate::fields`], the site's languages, taxonomies, providers and charter, never written by
//!   hand; plus what Skaidra's script needs (under `skaidra`);
//! - `skaidra-editor.js`: Skaidra's script for the editor: the file formats that write TOML the
//!   way Skaidra reads it and change only what was edited, the id field, the preview with the
//!   site's own pages;
//! - `pages.json`: the address of every item's pages, for the preview;
//! - Decap CMS and toml-patch themselves, when they come from the site's npm packages
//!   (`scripts = "node_modules"`); otherwise the page loads them from pinned CDN addresses with
//!   Subresource Integrity.
//!
//! Decap edits one file layout per collection, so every kind has up to three collections over the
//! same folders: the facts (`service.toml`), the text (`index.<lang>.md`) and the easy-read text
//! (`easy.<lang>.md`).

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceText};
use crate::fields::{self, Choices, Field, Part, Type};
use crate::load::Kind;
use crate::resolve::Site;
use serde::Deserialize;
use serde_json::{Value, json};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The version of Decap CMS (npm `decap-cms`, the browser bundle of `decap-cms-app`) the
/// editor is made for.
pub const DECAP_VERSION: &str = "3.16.3";
/// The Subresource Integrity of `dist/decap-cms.js` of [`DECAP_VERSION`].
pub const DECAP_SRI: &str = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p";
/// The version of toml-patch (npm `@decimalturn/toml-patch`), which writes the TOML.
pub const TOML_PATCH_VERSION: &str = "3.3.0";
/// The Subresource Integrity of `dist/toml-patch.js` of [`TOML_PATCH_VERSION`].
pub const TOML_PATCH_SRI: &str = "sha384-MLstJRQOSshxG1NwPNsMMbF1+cqUQCsi1hHVd7Oyw8BswI0ATM7tXpYaheJO9x9i";
/// Where the pinned scripts are loaded from when the site does not copy them.
const CDN: &str = "https://unpkg.com/";

/// The interface languages of [`DECAP_VERSION`] (`decap-cms-locales`), by the site's language
/// codes that differ from Decap's own.
const DECAP_LOCALES: &[&str] = &[
    "bg", "ca", "cs", "da", "de", "en", "es", "fa", "fr", "gr", "he", "hr", "hu", "it", "ja", "ko", "lt", "mk",
    "nb_no", "nl", "nn_no", "pl", "pt", "ro", "ru", "sk", "sl", "sr_Cyrl", "sv", "th", "tr", "uk", "vi", "zh_Hans",
    "zh_Hant",
];
const DECAP_LOCALE_ALIASES: &[(&str, &str)] =
    &[("el", "gr"), ("nb", "nb_no"), ("no", "nb_no"), ("nn", "nn_no"), ("sr", "sr_Cyrl"), ("zh", "zh_Hans")];

/// Skaidra's script for the editor.
const SCRIPT: &str = include_str!("skaidra-editor.js");

/// The `[editor]` table of `site.toml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEditor {
    backend: Spanned<String>,
    #[serde(default)]
    repo: Option<Spanned<String>>,
    #[serde(default)]
    branch: Option<String>,
    #[serde(default)]
    base_url: Option<Spanned<String>>,
    #[serde(default)]
    api_root: Option<Spanned<String>>,
    #[serde(default)]
    auth_endpoint: Option<String>,
    #[serde(default)]
    app_id: Option<String>,
    #[serde(default)]
    local_port: Option<u16>,
    #[serde(default)]
    scripts: Option<Spanned<String>>,
    #[serde(default)]
    site_folder: Option<Spanned<String>>,
}

/// Where the editor saves: a git host, or only the local back end (`decap-server`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    GitHub,
    GitLab,
    Gitea,
    Local,
}

/// Where the editor's own scripts come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scripts {
    /// Pinned CDN addresses with Subresource Integrity.
    Cdn,
    /// A `node_modules` folder (absolute) with `decap-cms` and `@decimalturn/toml-patch`, copied
    /// into `admin/`.
    Copy(PathBuf),
}

/// The editor's settings (`[editor]` in site.toml), checked.
#[derive(Debug, Clone)]
pub struct Settings {
    pub backend: Backend,
    /// `owner/name` on the git host.
    pub repo: String,
    pub branch: String,
    /// The git host's or the sign-in service's address (Decap's `base_url`).
    pub base_url: Option<String>,
    /// The git host's API address, for a host of one's own (Decap's `api_root`).
    pub api_root: Option<String>,
    pub auth_endpoint: Option<String>,
    /// The OAuth application's id (GitLab and Gitea sign-in).
    pub app_id: Option<String>,
    /// The port of the local back end (`decap-server`), used when the editor is opened on this
    /// computer.
    pub local_port: u16,
    pub scripts: Scripts,
    /// The site's folder inside the git repository, `""` or ending in `/`.
    pub site_folder: String,
}

/// Checks the `[editor]` table of site.toml; problems go to `diags`.
pub(crate) fn settings(raw: RawEditor, src: &SourceText, root: &Path, diags: &mut Diagnostics) -> Option<Settings> {
    let err = |span: std::ops::Range<usize>, msg: String, hint: &str| {
        Diagnostic::error(Code::Config, src.location(span.start), msg).with_hint(hint.to_string())
    };
    let backend = match raw.backend.get_ref().as_str() {
        "github" => Backend::GitHub,
        "gitlab" => Backend::GitLab,
        "gitea" => Backend::Gitea,
        "local" => Backend::Local,
        other => {
            diags.push(err(
                raw.backend.span(),
                format!("`{other}` is not an editor back end"),
                "use \"github\", \"gitlab\", \"gitea\" or \"local\" (only on this computer, with decap-server)",
            ));
            return None;
        }
    };
    let repo = raw.repo.as_ref().map(|r| r.get_ref().trim().to_string()).unwrap_or_default();
    if backend != Backend::Local && repo.split('/').filter(|p| !p.is_empty()).nth(1).is_none() {
        let span = raw.repo.as_ref().map(|r| r.span()).unwrap_or(raw.backend.span());
        diags.push(err(span, "the editor needs the repository".into(), "write repo = \"owner/name\" in [editor]"));
        return None;
    }
    for u in [&raw.base_url, &raw.api_root].into_iter().flatten() {
        if let Err(e) = crate::values::check_url(u.get_ref()) {
            diags.push(err(u.span(), e.message, &e.hint));
            return None;
        }
    }
    let scripts = match &raw.scripts {
        None => Scripts::Cdn,
        Some(s) if s.get_ref() == "cdn" => Scripts::Cdn,
        Some(s) => {
            let dir = root.join(s.get_ref());
            let missing: Vec<&str> =
                copied_scripts().iter().map(|(_, from)| *from).filter(|f| !dir.join(f).is_file()).collect();
            if let Some(first) = missing.first() {
                diags.push(err(
                    s.span(),
                    format!("`{}` has no {first}", s.get_ref()),
                    &format!(
                        "install the editor's scripts in the site's folder: npm install --save-exact decap-cms@{DECAP_VERSION} @decimalturn/toml-patch@{TOML_PATCH_VERSION} (or write scripts = \"cdn\")"
                    ),
                ));
                return None;
            }
            Scripts::Copy(dir)
        }
    };
    let site_folder = match &raw.site_folder {
        None => String::new(),
        Some(f) => {
            let t = f.get_ref().trim_matches('/');
            if t.split('/').any(|p| p.is_empty() || p == "." || p == "..") && !t.is_empty() {
                diags.push(err(
                    f.span(),
                    format!("`{}` is not a folder inside the repository", f.get_ref()),
                    "write the folder that holds site.toml, relative to the repository's top, like \"site\"",
                ));
                return None;
            }
            if t.is_empty() { String::new() } else { format!("{t}/") }
        }
    };
    Some(Settings {
        backend,
        repo,
        branch: raw.branch.unwrap_or_else(|| "main".to_string()),
        base_url: raw.base_url.map(Spanned::into_inner),
        api_root: raw.api_root.map(Spanned::into_inner),
        auth_endpoint: raw.auth_endpoint,
        app_id: raw.app_id,
        local_port: raw.local_port.unwrap_or(8081),
        scripts,
        site_folder,
    })
}

/// The scripts copied into `admin/` with `scripts = "<node_modules>"`: (name under `admin/`, path
/// in the npm folder). Decap's chunks and WebAssembly files are found in its folder.
fn copied_scripts() -> [(&'static str, &'static str); 2] {
    [
        ("decap/decap-cms.js", "decap-cms/dist/decap-cms.js"),
        ("toml-patch.js", "@decimalturn/toml-patch/dist/toml-patch.js"),
    ]
}

/// One file of the editor: its path under the output, and how it is written.
pub type EditorFile<'a> = (String, Box<dyn Fn(&mut dyn Write) -> io::Result<()> + Send + Sync + 'a>);

/// The editor's files, when the site has an editor (see the module documentation).
pub fn files(site: &Site) -> Vec<EditorFile<'_>> {
    let Some(settings) = &site.config.editor else { return Vec::new() };
    fn text<'a>(path: &str, make: impl Fn() -> String + Send + Sync + 'a) -> EditorFile<'a> {
        (format!("admin/{path}"), Box::new(move |w: &mut dyn Write| w.write_all(make().as_bytes())))
    }
    let mut out = vec![
        text("index.html", move || page(site, settings)),
        text("config.json", move || serde_json::to_string_pretty(&config(site, settings)).expect("JSON") + "\n"),
        text("skaidra-editor.js", || SCRIPT.to_string()),
        text("pages.json", move || serde_json::to_string(&pages(site)).expect("JSON")),
    ];
    if let Scripts::Copy(dir) = &settings.scripts {
        let mut copies: Vec<(String, PathBuf)> =
            copied_scripts().iter().map(|(to, from)| (to.to_string(), dir.join(from))).collect();
        // Decap's chunks, loaded when needed from beside its main file, and its licences.
        let dist = dir.join("decap-cms/dist");
        if let Ok(entries) = std::fs::read_dir(&dist) {
            let mut names: Vec<String> =
                entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
            names.sort();
            for n in names {
                let chunk = n.ends_with(".decap-cms.js") || n.ends_with(".wasm") || n == "decap-cms.js.LICENSE.txt";
                if chunk {
                    copies.push((format!("decap/{n}"), dist.join(&n)));
                }
            }
        }
        copies.push(("toml-patch.LICENSE".into(), dir.join("@decimalturn/toml-patch/LICENSE")));
        for (to, from) in copies {
            out.push((format!("admin/{to}"), Box::new(move |w: &mut dyn Write| w.write_all(&std::fs::read(&from)?))));
        }
    }
    out
}

/// The address of the pinned Decap bundle and toml-patch, or their copies under `admin/`.
fn script_sources(settings: &Settings) -> (String, String) {
    match settings.scripts {
        Scripts::Cdn => (
            format!("{CDN}decap-cms@{DECAP_VERSION}/dist/decap-cms.js"),
            format!("{CDN}@decimalturn/toml-patch@{TOML_PATCH_VERSION}/dist/toml-patch.js"),
        ),
        Scripts::Copy(_) => ("decap/decap-cms.js".into(), "./toml-patch.js".into()),
    }
}

/// The addresses the editor talks to: the git host's API and sign-in, and the local back end.
fn backend_origins(settings: &Settings) -> Vec<String> {
    let origin = |u: &str| url::Url::parse(u).ok().map(|u| u.origin().ascii_serialization());
    let mut out: Vec<String> = match settings.backend {
        Backend::GitHub => vec!["https://api.github.com".into()],
        Backend::GitLab => vec!["https://gitlab.com".into()],
        Backend::Gitea | Backend::Local => Vec::new(),
    };
    out.extend([&settings.base_url, &settings.api_root].into_iter().flatten().filter_map(|u| origin(u)));
    for host in ["localhost", "127.0.0.1"] {
        out.push(format!("http://{host}:{}", settings.local_port));
    }
    out.dedup();
    out
}

/// The editor page's Content-Security-Policy. Decap needs inline styles (its components style
/// themselves at run time) and `eval` (its configuration check compiles JSON schemas); it talks
/// to the git host and the local back end; images may come from the git host (avatars). Only
/// this page has it.
pub fn csp(settings: &Settings) -> String {
    let scripts = match settings.scripts {
        Scripts::Cdn => format!(" {CDN}decap-cms@{DECAP_VERSION}/ {CDN}@decimalturn/toml-patch@{TOML_PATCH_VERSION}/"),
        Scripts::Copy(_) => String::new(),
    };
    let connect = backend_origins(settings).join(" ");
    format!(
        "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'{scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self' {connect}; frame-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'"
    )
}

/// The editor's page.
fn page(site: &Site, settings: &Settings) -> String {
    let lang = site.default_lang();
    let t = site.i18n.lang(lang);
    let esc = crate::export::xml;
    let (decap, toml_patch) = script_sources(settings);
    let (decap_attrs, preload) = match settings.scripts {
        Scripts::Cdn => (
            format!(" integrity=\"{DECAP_SRI}\" crossorigin=\"anonymous\""),
            format!(
                "<link rel=\"modulepreload\" href=\"{toml_patch}\" integrity=\"{TOML_PATCH_SRI}\" crossorigin=\"anonymous\">\n"
            ),
        ),
        Scripts::Copy(_) => (String::new(), String::new()),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n<title>{title} – {site_title}</title>\n<script type=\"module\" src=\"skaidra-editor.js\"></script>\n<script defer src=\"{decap}\"{decap_attrs}></script>\n{preload}</head>\n<body>\n<noscript>{not_loaded}</noscript>\n</body>\n</html>\n",
        csp = esc(&csp(settings)),
        title = esc(&label(t, "editor.title", "Content editor")),
        site_title = esc(&site.config.language(lang).title),
        not_loaded = esc(&label(t, "editor.not_loaded", "The editor could not be loaded.")),
    )
}

/// A string of the site's interface, or `fallback` when the site's strings do not have it.
fn label(t: &crate::i18n::Strings, key: &str, fallback: &str) -> String {
    t.flat.get(key).cloned().unwrap_or_else(|| fallback.to_string())
}

/// Decap's interface language for the site's default language (English when Decap has none).
pub fn decap_locale(lang: &str) -> &'static str {
    DECAP_LOCALES
        .iter()
        .copied()
        .find(|l| *l == lang)
        .or_else(|| DECAP_LOCALE_ALIASES.iter().find(|(code, _)| *code == lang).map(|(_, l)| *l))
        .unwrap_or("en")
}

/// The addresses of every item's pages by language, for the preview: `{ "services/x": { "lt":
/// "/base/paslaugos/x/" }, "services/x/easy": ... }`.
fn pages(site: &Site) -> Value {
    let mut out = serde_json::Map::new();
    let items = site
        .content
        .services
        .iter()
        .map(|s| format!("services/{}", s.id))
        .chain(site.content.providers.iter().map(|p| format!("providers/{}", p.id)))
        .chain(site.content.pages.iter().map(|p| format!("pages/{}", p.id)))
        .chain(site.content.charter.iter().map(|_| "charter".to_string()))
        .chain(site.content.quality.iter().map(|_| "quality-policy".to_string()));
    for item in items {
        for address in [item.clone(), format!("{item}/easy")] {
            if let Some(langs) = site.urls.get(&address) {
                let by_lang: serde_json::Map<String, Value> =
                    langs.iter().map(|(l, p)| (l.to_string(), Value::String(site.href(p)))).collect();
                out.insert(address, Value::Object(by_lang));
            }
        }
    }
    Value::Object(out)
}

/// The regular expressions (JavaScript syntax) the form checks values with, by type; they accept
/// what validation accepts (a unit test compares them on samples). Opening hours are checked
/// for their form only (validation also refuses days given twice and times out of order).
pub fn pattern(ty: Type) -> Option<String> {
    const SEP: &str = r"[ ()./\-\u00a0]*";
    Some(match ty {
        Type::Id | Type::IdList => r"^[a-z0-9]+(-[a-z0-9]+)*$".to_string(),
        Type::Email => r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9_%+\-]+(\.[A-Za-z0-9_%+\-]+)+$".to_string(),
        Type::Url => r"^https?://[^\s]+$".to_string(),
        Type::Phone => {
            // A `+` only at the start; Lithuanian numbers (+370, 00370 or 8, then 8 digits not
            // starting with 0) or 8 to 15 digits of another country.
            let national = format!(r"{SEP}[1-9](?:{SEP}[0-9]){{7}}");
            let plus = format!(r"\+{SEP}3{SEP}7{SEP}0{national}");
            let domestic = format!(r"{SEP}(?:0{SEP}0{SEP}3{SEP}7{SEP}0|8){national}");
            let international = format!(r"\+{SEP}(?!3{SEP}7{SEP}0)[0-9](?:{SEP}[0-9]){{7,14}}");
            format!(r"^\s*(?:{plus}|{domestic}|{international}){SEP}\s*$")
        }
        Type::Period => {
            // Units in any letter case (the period is read in lowercase).
            let any_case = |w: &str| -> String {
                w.chars()
                    .map(|c| {
                        let up: String = c.to_uppercase().collect();
                        if up == c.to_string() { regex_escape(c) } else { format!("[{c}{up}]") }
                    })
                    .collect()
            };
            let units: Vec<String> = crate::values::duration::UNITS
                .iter()
                .flat_map(|(names, _)| names.iter().map(|n| any_case(n)))
                .collect();
            // 1 to MAX, leading zeros allowed.
            let max = crate::values::duration::MAX;
            assert_eq!(max, 1200, "the pattern below is written for 1200");
            format!(r"^\s*0*([1-9][0-9]{{0,2}}|1[01][0-9]{{2}}|1200)\s+({})\.*\s*$", units.join("|"))
        }
        Type::Hours => {
            let day = day_pattern();
            let time = r"(?:[01]?[0-9]|2[0-4]):[0-5][0-9]";
            let times = format!(r"{time}\s*-\s*{time}(?:\s*,\s*{time}\s*-\s*{time})*");
            let rule = format!(r"\s*{day}(?:-{day})? +{times}\s*");
            format!(r"^{rule}(?:;{rule})*;?\s*$")
        }
        Type::Section => {
            // Letters and digits (any script: JavaScript's pattern has no Unicode classes here,
            // so what is not a letter is listed: spaces, ASCII and common punctuation).
            let part = r"[^\s.!-/:-@\[-`{-~\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f]+";
            format!(r"^\s*{part}(?:\.{part})*\.*\s*$")
        }
        _ => return None,
    })
}

/// The weekday keys as a pattern, any letter case (`Mo`, `mo`, `MO`).
fn day_pattern() -> String {
    let days: Vec<String> = crate::values::hours::DAYS
        .iter()
        .map(|d| d.chars().map(|c| format!("[{}{}]", c.to_ascii_uppercase(), c)).collect())
        .collect();
    format!("(?:{})", days.join("|"))
}

fn regex_escape(c: char) -> String {
    if r"\^$.|?*+()[]{}/-".contains(c) { format!("\\{c}") } else { c.to_string() }
}

/// A collection's name, label and folder layout.
struct Coll<'a> {
    kind: Kind,
    part: Part,
    settings: &'a Settings,
}

impl Coll<'_> {
    fn name(&self) -> String {
        let s = self.kind.section();
        match self.part {
            Part::Facts => s.to_string(),
            Part::Text => format!("{s}-text"),
            Part::Easy => format!("{s}-easy"),
        }
    }
    /// Whether the kind has one item (the charter, the quality policy) or a folder per item.
    fn single(&self) -> bool {
        matches!(self.kind, Kind::Charter | Kind::Quality)
    }
    /// The file name without language and extension (`service`, `index`, `easy`).
    fn stem(&self) -> String {
        match self.part {
            Part::Facts => self.kind.facts_file().trim_end_matches(".toml").to_string(),
            Part::Text => "index".into(),
            Part::Easy => "easy".into(),
        }
    }
    fn folder(&self) -> String {
        format!("{}content/{}", self.settings.site_folder, self.kind.section())
    }
    fn path(&self) -> String {
        if self.single() { self.stem() } else { format!("{{{{slug}}}}/{}", self.stem()) }
    }
}

/// What the configuration is made for: the site, its strings in the default language.
#[derive(Clone)]
struct Ctx<'a> {
    site: &'a Site,
    t: &'a crate::i18n::Strings,
    langs: Vec<String>,
    /// Whether the fields are in a per-language file (translated).
    translated: bool,
    /// Whether they are an easy-read text's.
    easy: bool,
    /// The file's own fields (what `sources` may name).
    own: Vec<Field>,
}

impl Ctx<'_> {
    fn field_label(&self, name: &str) -> String {
        label(self.t, &format!("editor.fields.{name}"), &name.replace('_', " "))
    }

    fn options(&self, c: Choices) -> Vec<Value> {
        let lang = self.site.default_lang();
        let content = &self.site.content;
        let opt = |value: &str, text: String| json!({ "label": text, "value": value });
        match c {
            Choices::Providers => content
                .providers
                .iter()
                .map(|p| {
                    let title = p.docs.get(lang).map(|d| d.title.clone()).unwrap_or_else(|| p.id.clone());
                    opt(&p.id, title)
                })
                .collect(),
            Choices::Audiences | Choices::Categories => {
                let terms = if c == Choices::Audiences {
                    &content.taxonomies.audiences
                } else {
                    &content.taxonomies.categories
                };
                terms.iter().map(|t| opt(&t.key, t.label.get(lang).to_string())).collect()
            }
            Choices::Expectations | Choices::Commitments | Choices::EquassPrinciples => {
                self.keys(c).into_iter().map(|(k, l)| opt(&k, l)).collect()
            }
        }
    }

    /// The keys of a keyed table with their labels.
    fn keys(&self, c: Choices) -> Vec<(String, String)> {
        let lang = self.site.default_lang();
        match c {
            Choices::Expectations | Choices::Commitments => {
                let Some(ch) = &self.site.content.charter else { return Vec::new() };
                let doc = ch.docs.get(lang);
                if c == Choices::Expectations {
                    ch.expectations
                        .iter()
                        .map(|e| {
                            let l = doc.and_then(|d| d.fields.expectations.get(&e.id)).cloned().unwrap_or(e.id.clone());
                            (e.id.clone(), l)
                        })
                        .collect()
                } else {
                    ch.commitment_ids()
                        .map(|id| {
                            let l = doc.and_then(|d| d.fields.commitments.get(id)).map(|c| c.title.clone());
                            (id.to_string(), l.unwrap_or(id.to_string()))
                        })
                        .collect()
                }
            }
            Choices::EquassPrinciples => crate::model::EQUASS_PRINCIPLES
                .iter()
                .map(|p| (p.to_string(), label(self.t, &format!("equass.{p}"), p)))
                .collect(),
            Choices::Providers | Choices::Audiences | Choices::Categories => self
                .options(c)
                .iter()
                .map(|o| (o["value"].as_str().unwrap_or("").into(), o["label"].as_str().unwrap_or("").into()))
                .collect(),
        }
    }

    /// Decap's description of a field.
    fn field(&self, f: &Field) -> Value {
        let mut v = json!({
            "name": f.name,
            "label": self.field_label(f.name),
            "required": f.required,
            "hint": f.help_text(),
        });
        let o = v.as_object_mut().expect("object");
        let set = |o: &mut serde_json::Map<String, Value>, k: &str, x: Value| {
            o.insert(k.to_string(), x);
        };
        match f.ty {
            Type::Text
            | Type::Phone
            | Type::Email
            | Type::Url
            | Type::Hours
            | Type::Period
            | Type::Id
            | Type::Section => set(o, "widget", json!("string")),
            Type::LongText => set(o, "widget", json!("text")),
            Type::LangText => {
                set(o, "widget", json!("object"));
                set(o, "collapsed", json!(false));
                let subs: Vec<Value> = self
                    .langs
                    .iter()
                    .map(|l| {
                        let name = label(self.site.i18n.lang(l), "language_name", l);
                        self.i18n(json!({ "name": l, "label": name, "widget": "string", "required": f.required }))
                    })
                    .collect();
                set(o, "fields", Value::Array(subs));
            }
            Type::Date => {
                set(o, "widget", json!("datetime"));
                set(o, "format", json!("YYYY-MM-DD"));
                set(o, "date_format", json!("YYYY-MM-DD"));
                set(o, "time_format", json!(false));
                set(o, "picker_utc", json!(true));
                if !f.required {
                    set(o, "default", json!(""));
                }
            }
            Type::Bool => {
                set(o, "widget", json!("boolean"));
                set(o, "default", json!(false));
            }
            Type::Number { min, max } => {
                set(o, "widget", json!("number"));
                set(o, "value_type", json!("int"));
                set(o, "min", json!(min));
                set(o, "max", json!(max));
                set(o, "default", json!(min));
            }
            Type::Choice(c) | Type::Choices(c) => {
                set(o, "widget", json!("select"));
                set(o, "options", Value::Array(self.options(c)));
                if matches!(f.ty, Type::Choices(_)) {
                    set(o, "multiple", json!(true));
                    set(o, "default", json!([]));
                }
            }
            Type::TextList | Type::IdList => {
                set(o, "widget", json!("list"));
                let item_widget = if f.ty == Type::IdList { "string" } else { "text" };
                let mut item = json!({ "name": "item", "label": self.field_label(f.name), "widget": item_widget });
                if let Some(p) = pattern(f.ty) {
                    item["pattern"] = json!([p, f.rule.unwrap_or("")]);
                }
                set(o, "field", self.i18n(item));
                set(o, "default", json!([]));
            }
            Type::Table(sub) => {
                set(o, "widget", json!("object"));
                set(o, "collapsed", json!(true));
                set(o, "fields", Value::Array(sub.iter().map(|s| self.field(s)).collect()));
            }
            Type::Sources => {
                set(o, "widget", json!("object"));
                set(o, "collapsed", json!(true));
                let subs: Vec<Value> = self
                    .own
                    .iter()
                    .map(|s| {
                        self.i18n(json!({ "name": s.name, "label": self.field_label(s.name), "widget": "string", "required": false }))
                    })
                    .collect();
                set(o, "fields", Value::Array(subs));
            }
            Type::Tables(sub) => {
                set(o, "widget", json!("list"));
                set(o, "fields", Value::Array(sub.iter().map(|s| self.field(s)).collect()));
                set(o, "default", json!([]));
            }
            Type::Keyed(c, sub) => {
                set(o, "widget", json!("object"));
                set(o, "collapsed", json!(false));
                let keys: Vec<Value> = self
                    .keys(c)
                    .into_iter()
                    .map(|(k, l)| {
                        self.i18n(json!({
                            "name": k, "label": l, "widget": "object", "required": f.required,
                            "fields": sub.iter().map(|s| self.field(s)).collect::<Vec<_>>(),
                        }))
                    })
                    .collect();
                set(o, "fields", Value::Array(keys));
            }
            Type::KeyedText(c) => {
                set(o, "widget", json!("object"));
                let keys: Vec<Value> = self
                    .keys(c)
                    .into_iter()
                    .map(|(k, l)| self.i18n(json!({ "name": k, "label": l, "widget": "text", "required": false })))
                    .collect();
                set(o, "fields", Value::Array(keys));
            }
            Type::Markdown => {
                set(o, "widget", json!("markdown"));
                // An easy-read text keeps its line breaks (one sentence a line), which the rich
                // text mode would turn into paragraphs: it is edited as written.
                let modes = if self.easy { json!(["raw"]) } else { json!(["rich_text", "raw"]) };
                set(o, "modes", modes);
                set(o, "sanitize_preview", json!(true));
            }
            Type::Stamp => unreachable!("stamps are not edited in the form"),
        }
        if let Some(p) = pattern(f.ty).filter(|_| !matches!(f.ty, Type::IdList)) {
            set(o, "pattern", json!([p, upper(f.rule.unwrap_or(""))]));
        }
        self.i18n(v)
    }

    /// Marks a field as translated in the per-language collections.
    fn i18n(&self, mut v: Value) -> Value {
        if self.translated {
            v["i18n"] = json!(true);
        }
        v
    }
}

fn upper(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A compact description of a file's fields for Skaidra's script (which values are dates,
/// per-language texts, lists of tables, in what order a new file lists them).
fn schema(fields: &[Field]) -> Value {
    Value::Array(
        fields
            .iter()
            .filter(|f| f.name != fields::BODY && f.ty != Type::Stamp)
            .map(|f| {
                let (ty, sub) = match f.ty {
                    Type::Date => ("date", None),
                    Type::LangText => ("lang_text", None),
                    Type::Table(sub) => ("table", Some(sub)),
                    Type::Sources => ("sources", None),
                    Type::Tables(sub) => ("tables", Some(sub)),
                    Type::Keyed(_, sub) => ("keyed", Some(sub)),
                    Type::KeyedText(_) => ("keyed_text", None),
                    Type::Bool => ("bool", None),
                    Type::Number { .. } => ("number", None),
                    Type::TextList | Type::IdList | Type::Choices(_) => ("list", None),
                    Type::Markdown => ("markdown", None),
                    _ => ("text", None),
                };
                let mut v = json!({ "name": f.name, "type": ty, "required": f.required });
                if let Some(sub) = sub {
                    v["fields"] = schema(sub);
                }
                v
            })
            .collect(),
    )
}

/// Decap's configuration for the site, with what Skaidra's script needs under `skaidra`.
pub fn config(site: &Site, settings: &Settings) -> Value {
    let lang = site.default_lang().to_string();
    let t = site.i18n.lang(&lang);
    let langs: Vec<String> = site.config.lang_codes().map(str::to_string).collect();
    let mut backend = json!({ "name": match settings.backend {
        Backend::GitHub => "github",
        Backend::GitLab => "gitlab",
        Backend::Gitea => "gitea",
        Backend::Local => "proxy",
    }, "branch": settings.branch });
    if settings.backend == Backend::Local {
        backend["proxy_url"] = json!(format!("http://localhost:{}/api/v1", settings.local_port));
    } else {
        backend["repo"] = json!(settings.repo);
    }
    for (k, v) in [
        ("base_url", &settings.base_url),
        ("api_root", &settings.api_root),
        ("auth_endpoint", &settings.auth_endpoint),
        ("app_id", &settings.app_id),
    ] {
        if let Some(v) = v {
            backend[k] = json!(v);
        }
    }
    if matches!(settings.backend, Backend::GitLab | Backend::Gitea) && settings.app_id.is_some() {
        backend["auth_type"] = json!("pkce");
    }
    let mut collections = Vec::new();
    let mut scripts = serde_json::Map::new();
    for kind in fields::KINDS {
        for part in fields::PARTS {
            let c = Coll { kind, part, settings };
            let translated = part != Part::Facts;
            let own = fields::own_fields(kind, part);
            let ctx = Ctx { site, t, langs: langs.clone(), translated, easy: part == Part::Easy, own };
            let described = fields::fields(kind, part);
            let kind_label = match kind {
                Kind::Service => label(t, "nav.services", "Services"),
                Kind::Provider => label(t, "nav.providers", "Providers"),
                Kind::Charter => label(t, "nav.charter", "Charter"),
                Kind::Quality => label(t, "nav.quality", "Quality policy"),
                Kind::Page => label(t, "editor.pages", "Pages"),
            };
            let mut form: Vec<Value> = Vec::new();
            if !c.single() {
                form.push(json!({
                    "name": "_id",
                    "label": label(t, "editor.id", "Id"),
                    "widget": "skaidra-id",
                    "required": true,
                    "hint": label(t, "editor.id_help", values_slug_hint()),
                    "pattern": [pattern(Type::Id).expect("id pattern"), upper(crate::values::slug::HINT)],
                    "facts": Coll { kind, part: Part::Facts, settings }.name(),
                    "facts_file": Coll { kind, part: Part::Facts, settings }.stem(),
                    "must_exist": part != Part::Facts,
                }));
            }
            // A new item's facts come with its text in the default language (its required fields),
            // saved together: an item without its text would not build.
            let first_text: Vec<Field> = if part == Part::Facts && !c.single() {
                fields::fields(kind, Part::Text).into_iter().filter(|f| f.required).collect()
            } else {
                Vec::new()
            };
            let text_label = format!("{kind_label}: {}", label(t, "editor.text", "text"));
            for (i, f) in first_text.iter().enumerate() {
                let mut v = Ctx { translated: false, ..ctx.clone() }.field(f);
                v["name"] = json!(format!("_text_{}", f.name));
                v["label"] = json!(format!("{} ({})", ctx.field_label(f.name), label(t, "language_name", &lang)));
                v["multiline"] = json!(f.ty == Type::LongText);
                v["widget"] = json!("skaidra-first-text");
                v["text_collection"] = json!(text_label);
                v["note"] = json!(i == 0);
                form.push(v);
            }
            form.extend(
                described
                    .iter()
                    .filter(|f| f.ty != Type::Stamp && !(f.ty == Type::Sources && ctx.own.is_empty()))
                    .map(|f| ctx.field(f)),
            );
            let part_label = match part {
                Part::Facts => label(t, "editor.facts", "facts"),
                Part::Text => label(t, "editor.text", "text"),
                Part::Easy => label(t, "editor.easy", "easy read"),
            };
            let exists = match kind {
                Kind::Charter => site.content.charter.is_some(),
                Kind::Quality => site.content.quality.is_some(),
                _ => true,
            };
            let format = format!("skaidra-{}", c.name());
            let mut coll = json!({
                "name": c.name(),
                "label": format!("{kind_label}: {part_label}"),
                "label_singular": format!("{kind_label}: {part_label}"),
                "folder": c.folder(),
                "path": c.path(),
                "extension": if part == Part::Facts { "toml" } else { "md" },
                "format": format,
                "create": !c.single() || !exists,
                "delete": false,
                "fields": form,
                "summary": if part == Part::Facts { "{{dirname}}" } else { "{{title}}" },
                "media_folder": "",
                "public_folder": "",
            });
            if !c.single() {
                coll["identifier_field"] = json!("_id");
            } else {
                coll["identifier_field"] = json!(described[0].name);
                coll["summary"] = json!(kind_label);
            }
            if translated {
                coll["i18n"] = json!(true);
                coll["filter"] = json!({ "field": "_file", "value": c.stem() });
            }
            scripts.insert(
                format,
                json!({
                    "collection": c.name(),
                    "part": match part { Part::Facts => "facts", Part::Text => "text", Part::Easy => "easy" },
                    "stem": c.stem(),
                    "section": kind.section(),
                    "single": c.single(),
                    "fields": schema(&described),
                    "exactly_one": fields::exactly_one(part),
                    "first_text": first_text.iter().map(|f| f.name).collect::<Vec<_>>(),
                }),
            );
            collections.push(coll);
        }
    }
    let local = format!("http://localhost:{}/api/v1", settings.local_port);
    let strings: serde_json::Map<String, Value> = [
        "id_taken",
        "id_unknown",
        "next_review",
        "incomplete",
        "text_elsewhere",
        "preview",
        "preview_unsaved",
        "not_loaded",
    ]
    .iter()
    .map(|k| (k.to_string(), json!(label(t, &format!("editor.{k}"), k))))
    .collect();
    let (_, toml_patch) = script_sources(settings);
    json!({
        "backend": backend,
        "local_backend": { "url": local, "allowed_hosts": ["localhost", "127.0.0.1"] },
        "locale": decap_locale(&lang),
        "site_url": site.config.base_url,
        "display_url": site.config.base_url,
        "logo_url": "",
        "media_folder": format!("{}content", settings.site_folder),
        "public_folder": "",
        "publish_mode": "simple",
        "i18n": { "structure": "multiple_files", "locales": langs, "default_locale": lang },
        "collections": collections,
        "skaidra": {
            "languages": langs,
            "default_language": lang,
            "toml_patch": toml_patch,
            "pages": "pages.json",
            "strings": strings,
            "formats": scripts,
        },
    })
}

fn values_slug_hint() -> &'static str {
    crate::values::slug::HINT
}

/// The `_headers` rules of the editor's page: its own policy instead of the site's (`!` drops a
/// header an earlier rule set, on hosts that read `_headers`).
pub fn headers(config: &Config) -> Option<String> {
    let s = config.editor.as_ref()?;
    Some(format!(
        "{}admin/*\n  ! Content-Security-Policy\n  Content-Security-Policy: {}; frame-ancestors 'self'\n",
        config.base_path,
        csp(s)
    ))
}

/// The nginx `location` block of the editor's page (a block's `add_header` replaces the
/// server's, so the other headers are repeated).
pub fn nginx(config: &Config) -> Option<String> {
    let s = config.editor.as_ref()?;
    Some(format!(
        "# The browser editor's page has a policy of its own (it needs inline styles and eval).\nlocation {}admin/ {{\n    add_header Content-Security-Policy \"{}; frame-ancestors 'self'\" always;\n    add_header X-Content-Type-Options \"nosniff\" always;\n    add_header Referrer-Policy \"strict-origin-when-cross-origin\" always;\n}}\n",
        config.base_path,
        csp(s)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values;

    /// The form's pattern for `ty` accepts exactly what `valid` accepts, on `samples`.
    fn agree(ty: Type, valid: impl Fn(&str) -> bool, samples: &[&str]) {
        let p = pattern(ty).expect("a pattern");
        let re = fancy_regex::Regex::new(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
        for s in samples {
            assert_eq!(re.is_match(s).unwrap(), valid(s), "{ty:?} `{s}`: the form and validation disagree ({p})");
        }
    }

    #[test]
    fn the_forms_patterns_accept_what_validation_accepts() {
        agree(
            Type::Id,
            |s| values::slug::check(s, "id").is_ok(),
            &["pagalba-i-namus", "a", "a1-b2", "", "A", "a--b", "-a", "a-", "ą", "a b", "a/b", "..", "x_y"],
        );
        agree(
            Type::Email,
            |s| values::check_email(s).is_ok(),
            &[
                "soc_parama@alytus.lt",
                "a.b+c@x.y.lt",
                "a@b",
                "a b@c.lt",
                "@alytus.lt",
                "a@@alytus.lt",
                "a@.lt",
                "a@x..lt",
                "a@x.lt.",
                "mailto:a@b.lt",
                "",
            ],
        );
        agree(
            Type::Url,
            |s| values::check_url(s).is_ok(),
            &[
                "https://www.aspc.lt",
                "http://x",
                "https://e-seimas.lrs.lt/portal/legalAct/lt/TAD/TAIS.267349/asr",
                "www.aspc.lt",
                "javascript:alert(1)",
                "https://",
                "ftp://x.lt",
                "https://a b.lt",
                "",
            ],
        );
        agree(
            Type::Phone,
            |s| values::phone::parse(s).is_ok(),
            &[
                "+370 315 56 660",
                "8 315 56 660",
                "00370 315 56 660",
                "+370 31556660",
                "(8 315) 56 660",
                "8-315-56-660",
                " +370 5 212 3456 ",
                "+44 20 7946 0958",
                "+1 234 567 89",
                "+370 015 56 660",
                "8 315 56 66",
                "+370 315 56 6600",
                "370 315 56 660",
                "12",
                "",
                "+",
                "+1234567",
                "+1234567890123456",
                "8 315 56 660 ext",
                "8 315 56 660 +",
                "+370 315 56 660\u{a0}",
                "(+370 315 56 660)",
                "+(370) 315 56 660",
            ],
        );
        agree(
            Type::Period,
            |s| values::duration::parse(s).is_ok(),
            &[
                "12 months",
                "1 year",
                "2 weeks",
                "30 days",
                "12 mėnesių",
                "6 MONTHS",
                "6 Months.",
                "3 mėn.",
                " 6  months ",
                "006 months",
                "1200 days",
                "1201 days",
                "0 days",
                "six months",
                "6",
                "6 fortnights",
                "+6 months",
                "6 months ago",
                "",
            ],
        );
        agree(
            Type::Section,
            |s| crate::validate::section_number(s).is_some(),
            &[
                "6", "II.6", "3a", " 6. ", "6..", "IV.2.1", "Ⅱ.6", "ą.б", "", ".", "6.", ".6", "6..1", "6 1", "6-1",
                "§6", "6–7", "6,1", "6/1", "II.6)", "6\u{a0}",
            ],
        );
        // Opening hours: their form (days given twice and times out of order are left to
        // validation, which names the day).
        agree(
            Type::Hours,
            |s| values::hours::parse(s).is_ok(),
            &[
                "Mo-Th 08:00-17:00; Fr 08:00-15:45",
                "Mo-Fr 08:00-12:00, 13:00-17:00",
                "mo 8:00-9:00",
                "Xx 08:00-17:00",
                "Mo",
                "Mo 8-17",
                "Mo 25:00-26:00",
                "",
            ],
        );
    }

    #[test]
    fn the_interface_language_is_the_sites_where_decap_has_it() {
        assert_eq!(decap_locale("lt"), "lt");
        assert_eq!(decap_locale("uk"), "uk");
        assert_eq!(decap_locale("el"), "gr");
        assert_eq!(decap_locale("be"), "en");
    }
}
