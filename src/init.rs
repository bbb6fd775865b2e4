//! `skaidra init`: writes a new, small, valid site (configuration, i18n, the default theme and one
//! example of every kind of content) that builds at once.
//!
//! The theme and i18n files are the ones shipped in this repository, embedded at compile time, so a
//! new site always starts from the current default theme.

use std::fs;
use std::io;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/init_files.rs"));

/// Creates a new site in `dir`, which must not exist or must be empty.
pub fn init(dir: &Path) -> io::Result<()> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not empty; choose a new folder", dir.display()),
        ));
    }
    for (rel, bytes) in INIT_FILES {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(path, bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The starter site speaks of no municipality: no file `init` writes (interface strings, theme,
    /// leaflet strings, content) names the place of the example site in this repository (its
    /// `area` in site.toml, in every language). The name comes from the new site's site.toml.
    #[test]
    fn the_starter_site_names_no_municipality() {
        let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/site.toml")).expect("site.toml");
        let example: toml::Table = toml::from_str(&example).expect("the example's site.toml");
        let names: Vec<&str> = example["lang"]
            .as_table()
            .expect("[lang.*]")
            .values()
            .filter_map(|l| l.get("area")?.as_str())
            .flat_map(str::split_whitespace)
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .collect();
        assert!(!names.is_empty(), "the example site names its area");
        let mut read = 0;
        for (rel, bytes) in super::INIT_FILES {
            let Ok(text) = std::str::from_utf8(bytes) else { continue };
            read += 1;
            for n in &names {
                assert!(!text.contains(n), "{rel} names `{n}`: take the name from site.toml instead");
            }
        }
        assert!(read > 20, "the starter's text files ({read})");
    }
}
