//! Load stage: walks `content/` and reads every file the site is made of.
//!
//! [`find`] walks the folders; [`read`] reads one item's files, so that the pipeline can hand
//! each item to validation as soon as it is read.
//!
//! Owns the content layout: which folder holds which kind of item, the names of the fact file
//! (`service.toml`, ...) and the language files (`index.<lang>.md`, `easy.<lang>.md`), and which
//! files are assets. It reads files as UTF-8 text; parsing their fields is the validate stage's job.
//! A symbolic link it lists must lead to a file or folder inside the site ([`link_problem`]).

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location, SourceText, display_path};
use crate::lang::PerLang;
use crate::source::read_text;
use std::path::{Path, PathBuf};

/// The kinds of content item, with their folder and fact file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Service,
    Provider,
    Charter,
    Quality,
    Page,
}

impl Kind {
    /// The fact file's name in the item's folder.
    pub fn facts_file(self) -> &'static str {
        match self {
            Kind::Service => "service.toml",
            Kind::Provider => "provider.toml",
            Kind::Charter => "charter.toml",
            Kind::Quality => "quality.toml",
            Kind::Page => "page.toml",
        }
    }
    /// The `@/` prefix and folder of the kind.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Service => "services",
            Kind::Provider => "providers",
            Kind::Charter => "charter",
            Kind::Quality => "quality-policy",
            Kind::Page => "pages",
        }
    }
}

/// One item's folder with its files read.
#[derive(Debug)]
pub struct ItemDir {
    pub kind: Kind,
    /// The item id (folder name); empty for the charter and the quality policy.
    pub id: String,
    /// Folder relative to the site root.
    pub dir: PathBuf,
    pub facts: Option<SourceText>,
    /// `index.<lang>.md` by language.
    pub docs: PerLang<SourceText>,
    /// `easy.<lang>.md` by language.
    pub easy: PerLang<SourceText>,
    /// Other files, copied next to the item's pages.
    pub assets: Vec<PathBuf>,
}

/// The item folders found in `content/`, not read yet, with the taxonomies (read).
#[derive(Debug, Default)]
pub struct Found {
    /// (folder, kind, id), in folder order.
    pub items: Vec<(PathBuf, Kind, String)>,
    pub taxonomies: Option<SourceText>,
}

/// Reads one found item's folder, with what reading it found wrong. A build reads and validates
/// the items one by one (see `pipeline`), so a catalogue's files are never all in memory at once.
pub fn read(root: &Path, (path, kind, id): (PathBuf, Kind, String), config: &Config) -> (ItemDir, Diagnostics) {
    let mut d = Diagnostics::default();
    let it = item(root, &path, kind, id, config, &mut d);
    (it, d)
}

/// Walks `content/` under `root`: finds the item folders (to be read with [`read`]) and reads the
/// taxonomies.
pub fn find(root: &Path) -> (Found, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut found = Found::default();
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(Code::Layout, Location::file("content"), "there is no `content` folder")
                .with_hint("run Skaidra in the site's folder (the one with site.toml), or pass --root"),
        );
        return (found, diags);
    }
    let tax = content.join("taxonomies.toml");
    if tax.exists() {
        match read_text(root, &tax) {
            Ok(s) => found.taxonomies = Some(s),
            Err(d) => diags.push(d),
        }
    }
    let top = match listing(&content) {
        Ok(entries) => entries,
        Err(e) => {
            diags.push(Diagnostic::error(Code::Io, Location::file("content"), format!("cannot read the folder: {e}")));
            return (found, diags);
        }
    };
    for entry in top {
        let name = entry.name().to_string();
        // (Hidden entries are not part of the site, whatever they point at.)
        if !name.starts_with('.') && entry.bad_link(root, &mut diags) {
            continue;
        }
        let Entry { path, is_dir, .. } = entry;
        let shown = display_path(root, &path);
        match (name.as_str(), is_dir) {
            ("services", true) => collection(root, &path, Kind::Service, &mut found, &mut diags),
            ("providers", true) => collection(root, &path, Kind::Provider, &mut found, &mut diags),
            ("pages", true) => collection(root, &path, Kind::Page, &mut found, &mut diags),
            ("charter", true) => found.items.push((path, Kind::Charter, String::new())),
            ("quality-policy", true) => found.items.push((path, Kind::Quality, String::new())),
            ("taxonomies.toml", false) => {}
            (n, _) if n.starts_with('.') => {}
            _ => diags.push(
                Diagnostic::warning(Code::Layout, Location::file(shown), "this is not part of the site and is ignored")
                    .with_hint(
                        "content/ holds services/, providers/, pages/, charter/, quality-policy/ and taxonomies.toml",
                    ),
            ),
        }
    }
    (found, diags)
}

fn collection(root: &Path, dir: &Path, kind: Kind, found: &mut Found, diags: &mut Diagnostics) {
    let subdirs = match listing(dir) {
        Ok(entries) => entries,
        Err(e) => {
            diags.push(Diagnostic::error(
                Code::Io,
                Location::file(display_path(root, dir)),
                format!("cannot read the folder: {e}"),
            ));
            return;
        }
    };
    for entry in subdirs {
        let name = entry.name().to_string();
        if name.starts_with('.') || entry.bad_link(root, diags) {
            continue;
        }
        let Entry { path, is_dir, .. } = entry;
        let shown = display_path(root, &path);
        if !is_dir {
            diags.push(
                Diagnostic::warning(Code::Layout, Location::file(shown), "files directly in this folder are ignored")
                    .with_hint(format!(
                        "put each item in its own folder: content/{}/<id>/{}",
                        kind.section(),
                        kind.facts_file()
                    )),
            );
            continue;
        }
        if let Err(e) = crate::values::slug::check(&name, "folder name (the item id)") {
            diags.push(
                Diagnostic::error(Code::Id, Location::file(shown), e.message)
                    .with_hint(format!("rename the folder; {}", e.hint)),
            );
            continue;
        }
        found.items.push((path, kind, name));
    }
}

/// One entry of a folder listing.
struct Entry {
    path: PathBuf,
    /// A folder, or a symbolic link to one.
    is_dir: bool,
    is_link: bool,
}

impl Entry {
    fn name(&self) -> &str {
        self.path.file_name().and_then(|n| n.to_str()).unwrap_or("")
    }

    /// Reports the entry if it is a symbolic link that leads nowhere or out of the site (see
    /// [`link_problem`]); whether it did.
    fn bad_link(&self, root: &Path, diags: &mut Diagnostics) -> bool {
        match self.is_link.then(|| link_problem(root, &self.path)).flatten() {
            Some(d) => {
                diags.push(d);
                true
            }
            None => false,
        }
    }
}

/// The entries of `dir`, sorted. Whether each is a folder or a link comes with the listing (no
/// `stat` per entry: 10,000 of them in a big catalogue); a link to a folder counts as a folder.
fn listing(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut entries: Vec<Entry> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| {
            let path = e.path();
            let (is_dir, is_link) = match e.file_type() {
                Ok(t) => (t.is_dir() || (t.is_symlink() && path.is_dir()), t.is_symlink()),
                Err(_) => (path.is_dir(), false),
            };
            Entry { path, is_dir, is_link }
        })
        .collect();
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

/// What is wrong with the symbolic link at `path`, if anything: it may only point inside the site
/// (only the site's own files are published), and must lead to a file or folder. The folders and
/// files the load lists are checked as they are listed (no second walk of `content/`); folders
/// inside an item are ignored, so links there are not followed either.
pub fn link_problem(root: &Path, path: &Path) -> Option<Diagnostic> {
    let shown = display_path(root, path);
    match path.canonicalize() {
        Err(err) => Some(
            Diagnostic::error(
                Code::Symlink,
                Location::file(&shown),
                format!("this link leads nowhere or round in a loop ({err})"),
            )
            .with_hint("replace the link with the file itself"),
        ),
        Ok(target) if !root.canonicalize().is_ok_and(|r| target.starts_with(r)) => Some(
            Diagnostic::error(
                Code::Symlink,
                Location::file(&shown),
                format!("this link points outside the site, to {}", target.display()),
            )
            .with_hint(
                "copy the file into the site instead of linking to it: only files inside the site are published",
            ),
        ),
        Ok(_) => None,
    }
}

/// Reads one item's folder (also used by `serve` to re-read only what changed).
pub fn item(root: &Path, dir: &Path, kind: Kind, id: String, config: &Config, diags: &mut Diagnostics) -> ItemDir {
    let mut it = ItemDir {
        kind,
        id,
        dir: display_path(root, dir),
        facts: None,
        docs: PerLang::default(),
        easy: PerLang::default(),
        assets: Vec::new(),
    };
    // A folder that cannot be read has no files (reported below as the missing fact file).
    for entry in listing(dir).unwrap_or_default() {
        let name = entry.name().to_string();
        if name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".tmp")
            || entry.bad_link(root, diags)
        {
            continue;
        }
        let Entry { path, is_dir, .. } = entry;
        let shown = display_path(root, &path);
        if is_dir {
            diags.push(Diagnostic::warning(Code::Layout, Location::file(shown), "folders inside an item are ignored"));
            continue;
        }
        if name == kind.facts_file() {
            match read_text(root, &path) {
                Ok(s) => it.facts = Some(s),
                Err(d) => diags.push(d),
            }
            continue;
        }
        if let Some(stem) = name.strip_suffix(".md") {
            let (base, lang) = match stem.split_once('.') {
                Some((b, l)) => (b, Some(l)),
                None => (stem, None),
            };
            if base != "index" && base != "easy" {
                diags.push(
                    Diagnostic::warning(
                        Code::Layout,
                        Location::file(shown),
                        "this Markdown file is not part of the site and is ignored",
                    )
                    .with_hint("name the page's text index.<lang>.md (and its easy-read version easy.<lang>.md)"),
                );
                continue;
            }
            let Some(lang) = lang else {
                diags.push(
                    Diagnostic::error(
                        Code::Language,
                        Location::file(shown),
                        format!("`{name}` does not say its language"),
                    )
                    .with_hint(format!("rename it to {base}.{}.md", config.default_lang())),
                );
                continue;
            };
            let Some(code) = config.lang(lang) else {
                let langs: Vec<&str> = config.lang_codes().collect();
                diags.push(
                    Diagnostic::error(
                        Code::Language,
                        Location::file(shown),
                        format!("language `{lang}` is not in site.toml"),
                    )
                    .with_hint(format!(
                        "the site's languages are {}; add `{lang}` to `languages` in site.toml or rename the file",
                        langs.join(", ")
                    )),
                );
                continue;
            };
            match read_text(root, &path) {
                Ok(s) => {
                    if base == "index" {
                        it.docs.insert(code, s);
                    } else {
                        it.easy.insert(code, s);
                    }
                }
                Err(d) => diags.push(d),
            }
            continue;
        }
        if name.ends_with(".toml") {
            diags.push(Diagnostic::warning(
                Code::Layout,
                Location::file(shown),
                format!("this TOML file is ignored; the facts of this item go in {}", kind.facts_file()),
            ));
            continue;
        }
        it.assets.push(path);
    }
    if it.facts.is_none() {
        diags.push(
            Diagnostic::error(
                Code::MissingFile,
                Location::file(it.dir.join(kind.facts_file())),
                format!("the folder has no {}", kind.facts_file()),
            )
            .with_hint(format!(
                "add {} with the item's facts (see docs/editors-guide.md, 'Add a service')",
                kind.facts_file()
            )),
        );
    }
    if !it.docs.contains_key(config.default_lang()) {
        diags.push(
            Diagnostic::error(
                Code::MissingFile,
                Location::file(it.dir.join(format!("index.{}.md", config.default_lang()))),
                "the text in the site's default language is missing",
            )
            .with_hint(format!("add index.{}.md; other languages are translated from it", config.default_lang())),
        );
    }
    it
}
