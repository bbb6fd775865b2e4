//! Hardening: a build killed mid-write leaves the previous output intact, and the next build
//! cleans up after it; two builds cannot write the same output at once.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_skaidra")
}

/// A `skaidra init` site with `n` copies of its service, so a build takes long enough to be
/// interrupted.
fn big_site(dir: &Path, n: usize) -> PathBuf {
    let root = dir.join("site");
    let ok = Command::new(bin()).args(["init"]).arg(&root).status().unwrap().success();
    assert!(ok, "init failed");
    let src = root.join("content/services/pagalba-i-namus");
    for i in 0..n {
        let dest = root.join(format!("content/services/kopija-{i}"));
        fs::create_dir_all(&dest).unwrap();
        for f in ["service.toml", "index.lt.md", "index.en.md"] {
            let text = fs::read_to_string(src.join(f)).unwrap();
            let text = text
                .replace("slug = \"pagalba-i-namus\"", &format!("slug = \"kopija-{i}\""))
                .replace("slug = \"home-help\"", &format!("slug = \"copy-{i}\""));
            fs::write(dest.join(f), text).unwrap();
        }
    }
    root
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_build_killed_mid_write_leaves_the_previous_output_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let root = big_site(tmp.path(), 1500);
    let out = root.join("public");
    assert!(Command::new(bin()).args(["build", "--quiet", "--root"]).arg(&root).status().unwrap().success());
    let before = snapshot(&out);
    assert!(before.len() > 3000, "the first build wrote {} files", before.len());
    // Change the content so a finished second build would differ, then kill it while it writes.
    let svc = root.join("content/services/pagalba-i-namus/index.lt.md");
    let text = fs::read_to_string(&svc).unwrap().replace("title = \"Pagalba į namus\"", "title = \"Pakeista\"");
    fs::write(&svc, text).unwrap();
    let mut child =
        Command::new(bin()).args(["build", "--quiet", "--root"]).arg(&root).stderr(Stdio::null()).spawn().unwrap();
    let staging = root.join(format!(".public.staging-{}", child.id()));
    let started = Instant::now();
    let mut killed_while_writing = false;
    while started.elapsed() < Duration::from_secs(60) {
        if staging.join("paslaugos").is_dir() {
            child.kill().unwrap(); // SIGKILL: no chance to clean up
            killed_while_writing = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.wait();
    assert!(killed_while_writing, "the build finished before it could be interrupted; make the site bigger");
    assert_eq!(snapshot(&out), before, "the previous output changed");
    // The next build succeeds, removes what the killed one left, and publishes the change.
    assert!(Command::new(bin()).args(["build", "--quiet", "--root"]).arg(&root).status().unwrap().success());
    assert!(!staging.exists(), "the killed build's staging folder was not cleaned up");
    assert!(!root.join(".public.lock").exists() || fs::read_to_string(root.join(".public.lock")).is_ok());
    let page = fs::read_to_string(out.join("paslaugos/pagalba-i-namus/index.html")).unwrap();
    assert!(page.contains("Pakeista"), "the new build was published");
}

#[test]
fn a_second_build_of_the_same_output_is_refused_while_the_first_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = big_site(tmp.path(), 1500);
    let mut first =
        Command::new(bin()).args(["build", "--quiet", "--root"]).arg(&root).stderr(Stdio::null()).spawn().unwrap();
    let lock = root.join(".public.lock");
    let started = Instant::now();
    while !lock.exists() && started.elapsed() < Duration::from_secs(30) && first.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(lock.exists(), "the first build took no lock");
    let second = Command::new(bin()).args(["build", "--root"]).arg(&root).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("another build"), "{stderr}");
    assert!(first.wait().unwrap().success(), "the first build was disturbed");
    assert!(!lock.exists(), "the lock was not released");
}
