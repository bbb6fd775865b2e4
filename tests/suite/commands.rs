//! What every command shares.
//!
//! - One rule for exit codes, whatever the command (`build`, `check`, `leaflets`, `stamp` and the
//!   start of `serve`): 2 for wrong usage and for problems in the site's setup (`site.toml`,
//!   `i18n/`, `themes/`, the output folder), 1 for problems in the content.
//! - Finding the site as git finds its repository: without `--root`, in the current folder or the
//!   nearest one above it with a `site.toml` (for `stamp`, above the file), never above the top of
//!   a git repository; when there is none, the message says to run inside the site or pass
//!   `--root`.
//!
//! Every test starts from a fresh `skaidra init` site (placeholders filled in) in a temporary
//! folder.

use crate::common::{self, Run, TestSite, skaidra_in};
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SERVICE_EN: &str = "content/services/pagalba-i-namus/index.en.md";
const SERVICE_TOML: &str = "content/services/pagalba-i-namus/service.toml";
const TODAY: &str = "2026-11-23";

/// `skaidra serve --port 0` in `cwd`: `Ok(url)` once it serves (then stopped), or `Err(run)` when
/// it ended first.
fn serve(cwd: &Path, args: &[&str]) -> Result<String, Run> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_skaidra"))
        .args(["serve", "--port", "0"])
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start skaidra serve");
    let out = common::follow(&mut child);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(line) = out.stdout.recv_timeout(Duration::from_millis(100))
            && let Some(url) = line.strip_prefix("serving on ")
        {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(url.to_string());
        }
        if let Some(status) = child.try_wait().expect("wait") {
            std::thread::sleep(Duration::from_millis(200));
            let stderr = out.stderr.lock().unwrap().clone();
            return Err(Run { code: status.code().unwrap_or(-1), stdout: String::new(), stderr });
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("skaidra serve neither served nor stopped within a minute");
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Exit codes
// ------------------------------------------------------------------------------------------------

/// A broken site.toml stops every command with 2, serve included.
#[test]
fn a_broken_site_toml_is_exit_2_in_every_command() {
    let site = TestSite::new();
    let root = &site.root;
    site.replace("site.toml", "[contact]\n", "[contact]\ncolour = \"red\"\n");
    for args in [&["build"][..], &["check", "--today", TODAY], &["leaflets"], &["stamp", SERVICE_EN]] {
        let run = skaidra_in(root, args);
        run.expect_code(2);
        run.check(run.stderr.contains("site.toml"), &format!("`{}` names site.toml", args.join(" ")));
    }
    let run = serve(root, &[]).expect_err("serve does not start");
    run.expect_code(2);
    run.check(run.stderr.contains("colour"), "serve says what is wrong");
}

/// A missing interface string (i18n/) is a problem of the setup: 2 in build, check and leaflets
/// alike (it was 1 in build and 2 in check).
#[test]
fn a_missing_interface_string_is_exit_2_in_every_command() {
    let site = TestSite::new();
    let root = &site.root;
    site.replace("i18n/en.toml", "external = \"another website\"\n", "");
    for args in [&["build"][..], &["check", "--today", TODAY], &["leaflets"]] {
        let run = skaidra_in(root, args);
        run.expect_code(2);
        run.check(run.stderr.contains("i18n-missing-key"), &format!("`{}` names the key", args.join(" ")));
    }
}

/// A broken template (themes/) is a problem of the setup too, in build and check.
#[test]
fn a_broken_template_is_exit_2_in_build_and_check() {
    let site = TestSite::new();
    let root = &site.root;
    site.replace("themes/default/templates/page.html", "{% if page.summary %}", "{% if page.summary %");
    for args in [&["build"][..], &["check", "--today", TODAY]] {
        let run = skaidra_in(root, args);
        run.expect_code(2);
        run.check(run.stderr.contains("error[template]"), &format!("`{}` reports the template", args.join(" ")));
    }
}

/// A problem in the content is 1 in every command that reads the content.
#[test]
fn a_problem_in_the_content_is_exit_1_in_every_command() {
    let site = TestSite::new();
    let root = &site.root;
    site.replace(SERVICE_TOML, "reviewed = 2026-11-01", "reviewed = 2026.11.01");
    for args in [&["build"][..], &["check", "--today", TODAY], &["leaflets"]] {
        let run = skaidra_in(root, args);
        run.expect_code(1);
        run.check(
            run.stderr.contains(&format!("error[date]: {SERVICE_TOML}:7:12:")),
            &format!("`{}` reports the date", args.join(" ")),
        );
    }
    // `stamp`: a file that is not a translation.
    let run = skaidra_in(root, &["stamp", "content/services/pagalba-i-namus/index.lt.md"]);
    run.expect_code(1);
    run.check(run.stderr.contains("default language"), "stamp says why");
}

// ------------------------------------------------------------------------------------------------
// Finding the site
// ------------------------------------------------------------------------------------------------

/// build, check, leaflets and serve run in a folder inside the site find site.toml above it.
#[test]
fn commands_run_inside_the_site_find_it() {
    let site = TestSite::new();
    let root = &site.root;
    let inside = root.join("content/services/pagalba-i-namus");
    let run = skaidra_in(&inside, &["build", "-q"]);
    run.expect_code(0);
    assert!(root.join("public/index.html").is_file(), "the site was built into its own public/");
    assert!(!inside.join("public").exists(), "nothing was written where the command ran");
    skaidra_in(&inside, &["check", "--today", TODAY]).expect_code(0);
    let run = skaidra_in(&root.join("content"), &["leaflets"]);
    run.expect_code(0);
    assert!(root.join("public/leaflets").is_dir(), "{}", run.stderr);
    let url = serve(&inside, &[]).unwrap_or_else(|r| panic!("serve did not start: {}", r.stderr));
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
}

/// `stamp` finds the site from the file's path, wherever it is run.
#[test]
fn stamp_finds_the_site_from_the_file() {
    let site = TestSite::new();
    let (tmp, root) = (site.tmp.path(), &site.root);
    // From outside the site, as `skaidra stamp site/content/...`.
    let run = skaidra_in(tmp, &["stamp", &format!("site/{SERVICE_EN}")]);
    run.expect_code(0);
    run.check(run.stderr.contains("translated from"), "stamp says what it did");
    let stamped = fs::read_to_string(root.join(SERVICE_EN)).unwrap();
    assert!(stamped.starts_with("+++\ntranslated_from = \""), "{stamped}");
    // From a folder inside it, with a path relative to that folder.
    let run = skaidra_in(&root.join("content/services"), &["stamp", "pagalba-i-namus/index.en.md"]);
    run.expect_code(0);
    assert_eq!(fs::read_to_string(root.join(SERVICE_EN)).unwrap(), stamped, "the same stamp");
    // Through `..`: the search goes up from where the path leads.
    let elsewhere = tmp.join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    skaidra_in(&elsewhere, &["stamp", &format!("../site/{SERVICE_EN}")]).expect_code(0);
}

/// `--root` keeps working, from anywhere.
#[test]
fn root_still_names_the_site() {
    let site = TestSite::new();
    let (tmp, root) = (site.tmp.path(), &site.root);
    let r = root.to_str().unwrap();
    skaidra_in(tmp, &["check", "--root", r, "--today", TODAY]).expect_code(0);
    skaidra_in(tmp, &["stamp", "--root", r, &format!("site/{SERVICE_EN}")]).expect_code(0);
    // A --root without a site.toml is not searched upwards.
    let run = skaidra_in(root, &["check", "--root", "content", "--today", TODAY]);
    run.expect_code(2);
    run.check(run.stderr.contains("site.toml"), "names site.toml");
}

/// No site.toml here or above: every command says to run inside the site or pass --root.
#[test]
fn without_a_site_every_command_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("index.en.md"), "+++\ntitle = \"x\"\n+++\n").unwrap();
    let hint = "run the command inside the site's folder, or give the folder with --root <folder>";
    for args in [&["build"][..], &["check"], &["leaflets"], &["stamp", "index.en.md"]] {
        let run = skaidra_in(tmp.path(), args);
        run.expect_code(2);
        run.check(run.stderr.contains("error: no site found"), &format!("`{}` says no site", args.join(" ")));
        run.check(run.stderr.contains(hint), &format!("`{}` says what to do", args.join(" ")));
    }
    let run = serve(tmp.path(), &[]).expect_err("serve does not start");
    run.expect_code(2);
    run.check(run.stderr.contains(hint), "serve says what to do");
}

/// The search stops at the top of a git repository, as git's own does not look above it either.
#[test]
fn the_search_stops_at_a_git_repository() {
    let site = TestSite::new();
    let root = &site.root;
    let repo = root.join("content/pages/other-repository");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::create_dir_all(repo.join("sub")).unwrap();
    let run = skaidra_in(&repo.join("sub"), &["check", "--today", TODAY]);
    run.expect_code(2);
    run.check(run.stderr.contains("error: no site found"), "not the site above the repository");
}
