//! Fuzzing regressions: every input kept from the cargo-fuzz runs (the minimised corpus in
//! `tests/fuzz/corpus-regress/<target>/` and the inputs that once crashed, in
//! `tests/fuzz/crashes/<target>/`) is fed through the same entry points as the fuzz targets
//! (`skaidra::fuzzing`), which assert the targets' invariants. Runs in the normal `cargo test`;
//! the fuzzer itself is not needed (see docs/developers.md, "Fuzzing").

use std::path::{Path, PathBuf};

/// A fuzz target: its name and entry point.
type Target = (&'static str, fn(&[u8]));

const TARGETS: [Target; 4] = [
    ("front_matter", skaidra::fuzzing::front_matter),
    ("markdown_rewrite", skaidra::fuzzing::markdown_rewrite),
    ("values", skaidra::fuzzing::values),
    ("easy_sentences", skaidra::fuzzing::easy_sentences),
];

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

/// Runs the kept inputs of one target (at most `limit`); returns how many ran and the failures
/// (file and panic message).
fn run_target(name: &str, entry: fn(&[u8]), limit: usize) -> (usize, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut files = inputs(&root.join("corpus-regress").join(name));
    files.extend(inputs(&root.join("crashes").join(name)));
    files.truncate(limit);
    let mut failures = Vec::new();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        if let Err(e) = std::panic::catch_unwind(|| entry(&data)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {msg}", f.strip_prefix(&root).unwrap_or(f).display()));
        }
    }
    (files.len(), failures)
}

fn check(name: &str) {
    let entry = TARGETS.iter().find(|(n, _)| *n == name).unwrap().1;
    let (n, failures) = run_target(name, entry, usize::MAX);
    assert!(n > 0, "no kept inputs for {name} in tests/fuzz/corpus-regress/{name}/");
    assert!(failures.is_empty(), "{} of {n} kept inputs of `{name}` fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn front_matter_inputs() {
    check("front_matter");
}

#[test]
fn markdown_rewrite_inputs() {
    check("markdown_rewrite");
}

#[test]
fn values_inputs() {
    check("values");
}

#[test]
fn easy_sentences_inputs() {
    check("easy_sentences");
}

/// The harness catches a failing input (so an empty pass above means something).
#[test]
fn a_panicking_entry_point_is_reported() {
    fn boom(data: &[u8]) {
        assert!(data.is_empty(), "boom");
    }
    let (n, failures) = run_target("values", boom, 3);
    assert!(n > 0 && failures.len() == n, "{} of {n} failures", failures.len());
}
