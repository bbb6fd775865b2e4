//! Build script: embeds the files `skaidra init` writes (the starter site in `src/init_site/`,
//! the default theme and the i18n files) into the binary, so a new site always matches this
//! version of Skaidra; and gives the binary a build id (`SKAIDRA_BUILD_ID`): a hash of its
//! sources, `Cargo.lock`, the compiler's version and the build profile, so a cache made by one
//! binary is never taken for another's (see `crate::manifest`).

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
    println!("cargo:rustc-env=SKAIDRA_BUILD_ID={}", build_id(root));
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("init_files.rs");
    std::fs::write(dest, out).unwrap();
}

/// A hash of what makes the binary: every file under `src/`, `Cargo.toml`, `Cargo.lock`, the
/// theme and strings it embeds, the compiler's version, the profile and the target.
fn build_id(root: &Path) -> String {
    use std::hash::Hasher;
    // SipHash with fixed keys: the same sources give the same id on every machine.
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new_with_keys(0x736b_6169_6472_6121, 0x6275_696c_642d_6964);
    let mut files: Vec<std::path::PathBuf> = ["src", "themes/default", "i18n"]
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(root.join(d)).into_iter().filter_map(Result::ok))
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    println!("cargo:rerun-if-changed={}", root.join("src").display());
    files.push(root.join("Cargo.toml"));
    files.push(root.join("Cargo.lock"));
    files.sort();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        h.write(f.strip_prefix(root).unwrap_or(f).to_string_lossy().as_bytes());
        h.write(&std::fs::read(f).unwrap_or_default());
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc).arg("-vV").output().map(|o| o.stdout).unwrap_or_default();
    h.write(&version);
    for var in ["PROFILE", "TARGET", "OPT_LEVEL", "DEBUG"] {
        h.write(std::env::var(var).unwrap_or_default().as_bytes());
    }
    format!("{}-{:016x}", std::env::var("CARGO_PKG_VERSION").unwrap_or_default(), h.finish())
}
