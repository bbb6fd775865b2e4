//! `skaidra leaflets`: makes a site's leaflets, screen or print-shop versions, and writes them
//! under `leaflets/` of its output folder, all or nothing (the build's atomic writer,
//! [`crate::write`]), with the print manifest for print shops.

use super::{Format, LeafletOptions};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::{pipeline, write};
use std::path::{Path, PathBuf};

/// What to make and where.
#[derive(Debug, Clone, Default)]
pub struct PublishOptions {
    /// The site's folder.
    pub root: PathBuf,
    /// Where to write (default: the output folder of site.toml); files go under `leaflets/`.
    pub out: Option<PathBuf>,
    /// `None`: the format of site.toml.
    pub format: Option<Format>,
    /// Print-shop versions: bleed, TrimBox and BleedBox, and a manifest.
    pub print_shop: bool,
    /// With `print_shop`: crop marks outside the bleed.
    pub crop_marks: bool,
}

/// What was made.
#[derive(Debug)]
pub struct Published {
    /// How many leaflets, and how many pages they have together.
    pub leaflets: usize,
    pub pages: usize,
    /// The folder they are in (`leaflets/` of the output).
    pub dir: PathBuf,
    /// Warnings of the site and of the theme's leaflet words not yet translated (printed in the
    /// default language).
    pub warnings: Diagnostics,
}

/// Makes every leaflet of the site at `opts.root` and writes them. On failure nothing is
/// written, and the diagnostics (the warnings so far among them) say why.
pub fn publish(opts: &PublishOptions) -> Result<Published, Diagnostics> {
    let root = &opts.root;
    let (site, mut warnings, _) = pipeline::load_site(root, None)?;
    let out = opts.out.clone().unwrap_or_else(|| root.join(&site.config.output_dir));
    let fail = |mut warnings: Diagnostics, d: Diagnostics| {
        warnings.extend(d);
        warnings
    };
    if let Err(d) = pipeline::check_output_dir(root, &out) {
        return Err(fail(warnings, d.into()));
    }
    warnings.items.extend(super::string_gaps(root, &site).into_iter().filter(|d| !d.is_error()));
    let leaflet_opts = LeafletOptions {
        print_shop: opts.print_shop,
        crop_marks: opts.crop_marks,
        format: Some(opts.format.unwrap_or(site.config.leaflets.format)),
    };
    let made = match super::make_all(&site, root, &leaflet_opts) {
        Ok(l) => l,
        Err(d) => return Err(fail(warnings, d)),
    };
    let mut files: Vec<(&str, &[u8])> = made.iter().map(|l| (l.path.as_str(), l.bytes.as_slice())).collect();
    let manifest = opts.print_shop.then(|| super::manifest(&made, &leaflet_opts));
    if let Some((json, csv)) = &manifest {
        files.push(("leaflets/print-manifest.json", json.as_bytes()));
        files.push(("leaflets/print-manifest.csv", csv.as_bytes()));
    }
    if let Err(d) = write_files(&out, &files) {
        return Err(fail(warnings, d.into()));
    }
    Ok(Published {
        leaflets: made.len(),
        pages: made.iter().map(|l| l.pages).sum(),
        dir: out.join("leaflets"),
        warnings,
    })
}

/// Writes `files` (path under `out`, bytes) into `out` in one commit, leaving its other files as
/// they are. Refused while a build writes `out` (the output's lock).
fn write_files(out: &Path, files: &[(&str, &[u8])]) -> Result<(), Diagnostic> {
    let failed = |e: String| {
        Diagnostic::error(
            Code::Io,
            Location::file(out.display().to_string()),
            format!("cannot write the leaflets: {e}"),
        )
        .with_hint("check free disk space and permissions of the output folder")
    };
    let _lock = write::Lock::acquire(out)
        .map_err(|e| e.into_diagnostic(Code::Locked, Location::file(out.display().to_string())))?;
    write::recover(out).map_err(|e| failed(e.to_string()))?;
    let staging = write::Staging::new(out).map_err(|e| failed(e.to_string()))?;
    for (rel, bytes) in files {
        if let Err(e) = staging.write(rel, bytes) {
            staging.abort();
            return Err(failed(format!("{rel}: {e}")));
        }
    }
    staging.commit(Vec::new(), Vec::new()).map_err(|e| failed(e.to_string()))
}
