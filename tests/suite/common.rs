//! Helpers shared by the integration tests: running the real binary and reading its result, and
//! following a running `skaidra serve` (its output lines and the address it prints).
//!
//! Not every module uses every helper.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// What a run of `skaidra` printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Fails with the whole output when `cond` is false.
    #[track_caller]
    pub fn check(&self, cond: bool, what: &str) {
        assert!(
            cond,
            "{what}\n--- exit code: {}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.code, self.stdout, self.stderr
        );
    }

    /// Fails unless skaidra exited with `code` without panicking.
    #[track_caller]
    pub fn expect_code(&self, code: i32) {
        self.check(!self.stderr.contains("panicked"), "skaidra panicked");
        self.check(self.code == code, &format!("expected exit code {code}"));
    }
}

/// Runs the built `skaidra` with `args` in `cwd` and waits for it.
pub fn skaidra_in(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_skaidra")).args(args).current_dir(cwd).output().expect("run skaidra");
    Run {
        code: out.status.code().expect("skaidra was killed by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The output of a running child, read on threads of their own so it never blocks on a full pipe:
/// stderr gathered into one string, stdout line by line.
pub struct Followed {
    pub stderr: Arc<Mutex<String>>,
    pub stdout: mpsc::Receiver<String>,
}

/// Takes the child's stdout and stderr (both must be piped) and follows them.
pub fn follow(child: &mut Child) -> Followed {
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let log = Arc::new(Mutex::new(String::new()));
    let into = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let mut l = into.lock().unwrap();
            l.push_str(&line);
            l.push('\n');
        }
    });
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Followed { stderr: log, stdout: rx }
}

/// The address in `serve`'s `serving on <url>` line, or `None` when it is not printed within `wait`.
pub fn serving_url(stdout: &mpsc::Receiver<String>, wait: Duration) -> Option<String> {
    let deadline = Instant::now() + wait;
    loop {
        match stdout.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(l) if l.starts_with("serving on ") => return Some(l["serving on ".len()..].trim().to_string()),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
}

/// The phone number and the domain the tests write in place of the placeholder contacts of a
/// `skaidra init` site (`+370 5 000 0000`, addresses at `example.lt`), which `build` warns about
/// and `check` reports as errors. `.test` is the domain name reserved for tests.
pub const PHONE: &str = "+370 5 212 3456";
pub const DOMAIN: &str = "savivaldybe.test";

/// Writes [`PHONE`] and [`DOMAIN`] over the placeholder contacts in `site.toml` and `content/` of
/// the site at `root` (a `skaidra init` site), so that it builds without warnings and checks clean.
pub fn fill_in(root: &Path) {
    let files = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .map(|e| e.expect("walk the content").into_path())
        .chain([root.join("site.toml")])
        .filter(|p| p.is_file());
    let mut replaced = 0;
    for p in files {
        let text = std::fs::read_to_string(&p).expect("a text file");
        let new = text.replace("+370 5 000 0000", PHONE).replace("example.lt", DOMAIN);
        if new != text {
            std::fs::write(&p, new).expect("write");
            replaced += 1;
        }
    }
    assert!(replaced >= 3, "the starter site's placeholders were not found in {}", root.display());
}

/// Copies `from` (a file, or a folder with everything in it) to `to`, making folders as needed.
pub fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().map(Result::unwrap) {
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = if rel.as_os_str().is_empty() { to.to_path_buf() } else { to.join(rel) };
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).unwrap();
            }
            std::fs::copy(e.path(), &dest).unwrap_or_else(|err| panic!("copy {}: {err}", e.path().display()));
        }
    }
}

/// Copies what a build reads of the example site (`site.toml`, `content/`, `i18n/`, `themes/`)
/// into the folder `to`.
pub fn copy_example(to: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["site.toml", "content", "i18n", "themes"] {
        copy_tree(&root.join(part), &to.join(part));
    }
}

/// A site for one test, in a temporary folder of its own (the site is `<tmp>/site`, so a test can
/// also write beside it): the builder integration tests start from. Break or change exactly what
/// the test is about with [`TestSite::replace`] (which insists the text is there, so a change to the
/// starter site fails the test loudly instead of letting it pass for the wrong reason), then run a
/// command on the site with [`TestSite::run`].
pub struct TestSite {
    pub tmp: tempfile::TempDir,
    pub root: std::path::PathBuf,
}

impl TestSite {
    /// A `skaidra init` site with its placeholder contacts filled in ([`fill_in`]): it builds
    /// without warnings and checks clean.
    pub fn new() -> TestSite {
        let site = TestSite::starter();
        fill_in(&site.root);
        site
    }

    /// The starter site exactly as `skaidra init` writes it, placeholders and all.
    pub fn starter() -> TestSite {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        skaidra_in(tmp.path(), &["init", "site"]).expect_code(0);
        TestSite { tmp, root }
    }

    /// A copy of the repository's example site.
    pub fn example() -> TestSite {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        copy_example(&root);
        TestSite { tmp, root }
    }

    /// A file or folder of the site.
    pub fn path(&self, rel: &str) -> std::path::PathBuf {
        self.root.join(rel)
    }

    /// The text of a file of the site.
    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Writes a file of the site (over a starter file, or a new one), making folders as needed.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("a file in a folder")).expect("make the folder");
        std::fs::write(p, contents).expect("write");
    }

    /// Replaces the one occurrence of `from` in a file with `to`.
    #[track_caller]
    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(text.matches(from).count(), 1, "`{from}` must occur exactly once in {rel}:\n{text}");
        self.write(rel, text.replacen(from, to, 1));
    }

    /// Removes the one line of a file that is exactly `line`.
    #[track_caller]
    pub fn remove_line(&self, rel: &str, line: &str) {
        let text = self.read(rel);
        assert_eq!(
            text.lines().filter(|l| *l == line).count(),
            1,
            "the line `{line}` must occur exactly once in {rel}"
        );
        let kept: Vec<&str> = text.lines().filter(|l| *l != line).collect();
        self.write(rel, kept.join("\n") + "\n");
    }

    /// Copies a folder of the site (an item, say) to a new folder of the site.
    pub fn copy_dir(&self, from: &str, to: &str) {
        copy_tree(&self.path(from), &self.path(to));
    }

    /// `skaidra <command> --root <site> <rest>` for `args` = `[command, rest...]`, run from the
    /// system's temporary folder (so nothing is found from the current folder by accident).
    pub fn run(&self, args: &[&str]) -> Run {
        let (command, rest) = args.split_first().expect("a command");
        let mut all = vec![*command, "--root", self.root.to_str().expect("temporary paths are UTF-8")];
        all.extend_from_slice(rest);
        skaidra_in(&std::env::temp_dir(), &all)
    }

    /// `skaidra build --root <site> <args>`.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// The site's default output folder.
    pub fn public(&self) -> std::path::PathBuf {
        self.path("public")
    }
}
