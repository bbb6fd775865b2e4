//! Typst as a library: the fonts, the standard library and the theme's layout files, loaded once
//! and shared by every leaflet of a run ([`Engine`]), and a small [`typst::World`] per leaflet that
//! adds that leaflet's own files (its `data.json` and `qr.svg`).
//!
//! Nothing is read from the machine's fonts or from the network: fonts come from
//! `themes/<theme>/fonts/`, layouts from `themes/<theme>/leaflet/`, pictograms from
//! `themes/<theme>/static/pictograms/`. Compile errors become [`Diagnostic`]s that name the layout
//! file and line.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

/// What every leaflet of a run shares: fonts, the standard library and the theme's files.
pub struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// Layout sources (`.typ`) by their path in the virtual project (`/service.typ`).
    sources: HashMap<FileId, Source>,
    /// Other theme files (pictograms, images the designer adds) by virtual path.
    files: HashMap<FileId, Bytes>,
    /// Where each virtual file comes from, relative to the site root (for messages).
    real: HashMap<FileId, PathBuf>,
    /// The folder of the layouts, relative to the site root (for messages).
    pub layout_dir: PathBuf,
    /// A hash of every file loaded (fonts, layouts, pictograms), for the leaflet cache.
    pub hash: crate::manifest::Hash,
}

/// A file id in the leaflet's virtual project.
pub fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("valid virtual path")).intern()
}

impl Engine {
    /// Loads the theme's fonts, layouts and pictograms. Errors name the missing or unreadable file.
    pub fn load(root: &Path, theme: &str) -> Result<Engine, Diagnostics> {
        let theme_rel = PathBuf::from("themes").join(theme);
        let theme_dir = root.join(&theme_rel);
        let mut diags = Vec::new();

        // Fonts: every .ttf/.otf/.ttc in the theme's fonts folder.
        let font_rel = theme_rel.join("fonts");
        let mut fonts = Vec::new();
        let mut hash = crate::manifest::Hasher::new();
        for path in sorted_files(&theme_dir.join("fonts")) {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            if !matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") {
                continue;
            }
            match std::fs::read(&path) {
                Ok(data) => {
                    hash.str(&rel(root, &path).to_string_lossy()).bytes(&data);
                    let before = fonts.len();
                    fonts.extend(Font::iter(Bytes::new(data)));
                    if fonts.len() == before {
                        diags.push(
                            Diagnostic::error(
                                Code::LeafletFont,
                                Location::file(rel(root, &path)),
                                "this file is not a font Typst can read",
                            )
                            .with_hint("use TrueType or OpenType font files (.ttf, .otf)"),
                        );
                    }
                }
                Err(e) => diags.push(Diagnostic::error(
                    Code::LeafletFont,
                    Location::file(rel(root, &path)),
                    format!("cannot read the font: {e}"),
                )),
            }
        }
        if fonts.is_empty() && diags.is_empty() {
            diags.push(
                Diagnostic::error(Code::LeafletFont, Location::file(&font_rel), "the theme has no fonts for leaflets")
                    .with_hint("put the font files (.ttf) with full Lithuanian coverage and their licence into this folder, e.g. Noto Sans Regular and Bold"),
            );
        }

        // Layouts and other files of the leaflet folder, and the pictograms.
        let layout_rel = theme_rel.join("leaflet");
        let layout_dir = theme_dir.join("leaflet");
        let mut sources = HashMap::new();
        let mut files = HashMap::new();
        let mut real = HashMap::new();
        if !layout_dir.is_dir() {
            diags.push(
                Diagnostic::error(Code::LeafletLayout, Location::file(&layout_rel), "the theme has no leaflet layouts")
                    .with_hint("copy themes/default/leaflet/ from Skaidra's default theme into your theme"),
            );
        }
        let mut add = |dir: &Path, prefix: &str, diags: &mut Vec<Diagnostic>| {
            for path in sorted_files(dir) {
                let inner = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                let id = file_id(&format!("{prefix}{inner}"));
                real.insert(id, rel(root, &path));
                let read = std::fs::read(&path);
                if let Ok(bytes) = &read {
                    hash.str(&format!("{prefix}{inner}")).bytes(bytes);
                }
                match read {
                    Ok(bytes) if inner.ends_with(".typ") => match String::from_utf8(bytes) {
                        Ok(text) => {
                            sources.insert(id, Source::new(id, text));
                        }
                        Err(_) => diags.push(Diagnostic::error(
                            Code::LeafletLayout,
                            Location::file(rel(root, &path)),
                            "the layout file is not UTF-8 text",
                        )),
                    },
                    Ok(bytes) => {
                        files.insert(id, Bytes::new(bytes));
                    }
                    Err(e) => diags.push(Diagnostic::error(
                        Code::LeafletLayout,
                        Location::file(rel(root, &path)),
                        format!("cannot read the file: {e}"),
                    )),
                }
            }
        };
        add(&layout_dir, "/", &mut diags);
        add(&theme_dir.join("static").join("pictograms"), "/pictograms/", &mut diags);
        if !diags.is_empty() {
            return Err(diags.into());
        }
        let book = FontBook::from_fonts(&fonts);
        Ok(Engine {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
            sources,
            files,
            real,
            layout_dir: layout_rel,
            hash: hash.finish(),
        })
    }

    /// Whether the theme has a layout file (e.g. `/service.typ`).
    pub fn has_layout(&self, path: &str) -> bool {
        self.sources.contains_key(&file_id(path))
    }

    /// Compiles `main` (a layout such as `/service.typ`) with the leaflet's own files (`data.json`,
    /// `qr.svg`) into a laid-out document. `source` names the content the leaflet is made from, for
    /// messages that concern the data rather than the layout.
    pub fn compile(&self, main: &str, own: Vec<(&str, Vec<u8>)>, source: &Path) -> Result<PagedDocument, Diagnostics> {
        let world = LeafletWorld {
            engine: self,
            main: file_id(main),
            own: own.into_iter().map(|(p, b)| (file_id(p), Bytes::new(b))).collect(),
        };
        let result = typst::compile::<PagedDocument>(&world);
        match result.output {
            Ok(doc) => Ok(doc),
            Err(errors) => Err(Diagnostics {
                items: errors
                    .iter()
                    .filter(|e| e.severity == Severity::Error)
                    .map(|e| self.diagnostic(&world, e, source))
                    .collect(),
            }),
        }
    }

    /// A Typst diagnostic as a Skaidra one: the layout file and line where it happened (or the
    /// innermost call from a layout file), with Typst's hints.
    pub fn diagnostic(&self, world: &dyn World, e: &SourceDiagnostic, source: &Path) -> Diagnostic {
        let place = |span: typst::syntax::DiagSpan| -> Option<Location> {
            let id = span.id()?;
            let range = world.range(span)?;
            let file = self.real.get(&id)?.clone();
            let src = self.sources.get(&id)?;
            let (line, col) = src.lines().byte_to_line_column(range.start)?;
            Some(Location { file, line: line + 1, col: col + 1 })
        };
        let location = place(e.span)
            .or_else(|| e.trace.iter().rev().find_map(|t| place(t.span.into())))
            .unwrap_or_else(|| Location::file(source));
        let mut d = Diagnostic::error(Code::LeafletLayout, location, format!("leaflet layout: {}", e.message));
        let hints: Vec<&str> = e.hints.iter().map(|h| h.v.as_str()).collect();
        if !hints.is_empty() {
            d = d.with_hint(hints.join("; "));
        }
        d
    }

    /// Where a virtual file comes from (for messages).
    pub fn real_path(&self, path: &str) -> Option<&Path> {
        self.real.get(&file_id(path)).map(PathBuf::as_path)
    }
}

/// One leaflet's view of the files: the shared theme plus its own data.
struct LeafletWorld<'a> {
    engine: &'a Engine,
    main: FileId,
    own: HashMap<FileId, Bytes>,
}

impl World for LeafletWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        self.engine.sources.get(&id).cloned().ok_or_else(|| not_found(id))
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(b) = self.own.get(&id).or_else(|| self.engine.files.get(&id)) {
            return Ok(b.clone());
        }
        match self.engine.sources.get(&id) {
            Some(s) => Ok(Bytes::from_string(s.clone())),
            None => Err(not_found(id)),
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // Leaflets must not depend on the day they are made (the manifest's checksums stay stable);
        // layouts show the review date from the data instead.
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.vpath().get_with_slash()))
}

fn sorted_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

fn rel(root: &Path, path: &Path) -> PathBuf {
    crate::diagnostics::display_path(root, path)
}

/// Converts diagnostics of the PDF export (e.g. PDF/UA-1 violations) into Skaidra diagnostics,
/// placed at the content file the leaflet is made from.
pub fn export_diagnostics(errors: &[SourceDiagnostic], source: &Path) -> Diagnostics {
    let items = errors
        .iter()
        .map(|e| {
            let mut d =
                Diagnostic::error(Code::LeafletPdf, Location::file(source), format!("leaflet PDF: {}", e.message));
            let hints: Vec<&str> = e.hints.iter().map(|h| h.v.as_str()).collect();
            if !hints.is_empty() {
                d = d.with_hint(hints.join("; "));
            }
            d
        })
        .collect();
    Diagnostics { items }
}
