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
