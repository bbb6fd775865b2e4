//! Skaidra: a static-site generator for accessible, multilingual charter and service-catalogue
//! publishing.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! 1. [`load`]: walk `content/`, read files as UTF-8 ([`source`] splits front matter).
//! 2. [`validate`]: raw serde structs into the typed [`model`], every error with file:line:col.
//! 3. [`resolve`]: languages, translations, URLs, `@/` links and anchors -> [`resolve::Site`].
//! 4. [`render`]: Tera templates of the theme, in parallel, each given its page's [`view`].
//! 5. [`rewrite`]: lol_html over each page (links, external marks, ids).
//! 6. [`write`]: minify and swap the new output into place atomically.
//!
//! The outputs besides the pages (sitemap, feeds, search index, data, editor, leaflets) each
//! implement [`export::Output`] and are listed in [`export::OUTPUTS`].
//!
//! A build makes only what changed since the last one: [`manifest`] records what each build read
//! and wrote, [`deps`] what each page is made from, [`memo`] keeps the results of costly steps
//! (the easy-read lint) by what they were made from.
//!
//! [`pipeline`] runs the stages; [`config`], [`i18n`], [`markdown`] and [`values`] are used by them;
//! [`lang`] (language codes, values per language) and [`address`] (what a page is) are the model's
//! identifiers;
//! [`diagnostics`] is how every stage reports problems, [`error`] the one type of internal failures
//! (turned into diagnostics where a stage hands its result on); [`init`] writes a new site.

pub mod address;
pub mod check;
pub mod config;
pub mod deps;
pub mod diagnostics;
pub mod editor;
pub mod error;
pub mod export;
pub mod fields;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod init;
pub mod lang;
pub mod leaflet;
pub mod lint;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod memo;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod resolve;
pub mod rewrite;
pub mod serve;
pub mod source;
pub mod validate;
pub mod values;
pub mod view;
pub mod write;

/// For the unit tests of generated references: the file `rel` of the repository (under `docs/`)
/// is `made`; with `SKAIDRA_WRITE_DOCS` set it is written first. `filter` is the test filter that
/// writes it again.
#[cfg(test)]
pub(crate) fn assert_generated_doc(rel: &str, made: &str, filter: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    if std::env::var_os("SKAIDRA_WRITE_DOCS").is_some() {
        std::fs::write(&path, made).expect("write the reference");
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == made,
        "{rel} differs from what the code describes: run SKAIDRA_WRITE_DOCS=1 cargo test --release --lib {filter}, \
         and read the diff"
    );
}
