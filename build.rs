//! Build script: embeds the files `skaidra init` writes (the starter site in `src/init_site/`,
//! the default theme and the i18n files) into the binary, so a new site always matches this
//! version of Skaidra.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let root = Path::new(&manifest);
    let mut out = String::from(
        "/// Files written by `skaidra init`: (path in the new site, content).\npub static INIT_FILES: &[(&str, &[u8])] = &[\n",
    );
    let mut add = |dir: &Path, prefix: &str| {
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> =
            walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()).collect();
        files.sort_by(|a, b| a.path().cmp(b.path()));
        for e in files {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            println!("cargo:rerun-if-changed={}", e.path().display());
            writeln!(
                out,
                "    ({:?}, include_bytes!({:?})),",
                format!("{prefix}{rel}"),
                e.path().display().to_string()
            )
            .unwrap();
        }
    };
    add(&root.join("src/init_site"), "");
    add(&root.join("themes/default"), "themes/default/");
    add(&root.join("i18n"), "i18n/");
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("init_files.rs");
    std::fs::write(dest, out).unwrap();
}
