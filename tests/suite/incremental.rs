//! Builds that make only what changed give the site a build from nothing gives.
//!
//! A seeded generator edits a generated catalogue step by step (texts, facts, titles, slugs,
//! translations, easy-read versions, providers, taxonomies, the charter, a free page, a template,
//! the strings, new, renamed and deleted services, files touched or changed behind the build's
//! back, and the output edited by hand). After each step the site is built into the same output
//! folder as before and, from nothing, into another one: the two folders must hold the same files
//! with the same bytes, and a build that fails must fail both ways and leave the output as it was.
//! `SKAIDRA_PROPERTY_STEPS` and `SKAIDRA_PROPERTY_SEED` set the run's length and seed.

use crate::common::copy_tree;
use skaidra::pipeline::{BuildOptions, build};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// A small, seeded random number generator (xorshift64*), so a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Every file under `dir`, relative, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).into_iter().map(Result::unwrap) {
        assert!(!e.path_is_symlink(), "a symbolic link in the output: {}", e.path().display());
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            out.insert(rel, fs::read(e.path()).unwrap());
        }
    }
    out
}

fn compare(incremental: &Path, clean: &Path, step: usize, what: &str) {
    let (a, b) = (tree(incremental), tree(clean));
    let only_a: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "step {step} ({what}): files only in the incremental output {only_a:?}, only in the clean one {only_b:?}"
    );
    for (k, v) in &a {
        if v != &b[k] {
            let (x, y) = (String::from_utf8_lossy(v), String::from_utf8_lossy(&b[k]));
            let at = x.bytes().zip(y.bytes()).position(|(p, q)| p != q).unwrap_or(x.len().min(y.len()));
            let show = |s: &str| s.get(at.saturating_sub(150)..(at + 150).min(s.len())).unwrap_or("").to_string();
            panic!("step {step} ({what}): {k} differs:\n incremental: {}\n clean:       {}", show(&x), show(&y));
        }
    }
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn service_toml(provider: &str, audiences: &[&str], categories: &[&str], home_visit: bool, phone: &str) -> String {
    let list = |v: &[&str]| v.iter().map(|x| format!("\"{x}\"")).collect::<Vec<_>>().join(", ");
    format!(
        "provider = \"{provider}\"\naudiences = [{}]\ncategories = [{}]\nhome_visit = {home_visit}\nphone = \"{phone}\"\nemail = \"info@example.lt\"\nreviewed = 2026-11-01\nreview_every = \"12 months\"\nowner = {{ lt = \"Skyrius\", en = \"Division\" }}\n",
        list(audiences),
        list(categories)
    )
}

fn service_text(lang: &str, title: &str, slug: &str, n: u64) -> String {
    let (what, call) = if lang == "lt" { ("Kas tai", "Skambinkite mums") } else { ("What it is", "Call us") };
    format!(
        "+++\ntitle = \"{title}\"\nslug = \"{slug}\"\nsummary = \"{title}: {n}.\"\neligibility = [\"{n}\"]\ncost = \"{n} EUR\"\n+++\n## {what}\n\nText {n}. See [the charter](@/charter) and [home help](@/services/pagalba-i-namus).\n\n## {call}\n\n{call}.\n"
    )
}

fn easy_text(lang: &str, title: &str, n: u64) -> String {
    let body = if lang == "lt" {
        "## Kas tai yra\n\nTai pagalba.\nMes jums padėsime.\n"
    } else {
        "## What it is\n\nThis is help.\nWe will help you.\n"
    };
    // Every other text has a sentence the easy-read lint finds too long.
    let long = match (n % 2, lang) {
        (1, _) => "",
        (_, "lt") => {
            "Jei norite gauti pagalbą namuose, pirmiausia paskambinkite į savivaldybės socialinių paslaugų skyrių ir paprašykite, kad pas jus atvyktų darbuotojas.\n"
        }
        _ => {
            "If you want to get help at home, first call the social services department of the municipality and ask them to send a member of staff to visit you soon.\n"
        }
    };
    format!("+++\ntitle = \"{title} {n}\"\nlevel = 2\nchecked_by = []\n+++\n{body}{long}")
}

/// The site the steps start from: `skaidra init` with more services, a second provider, more
/// terms, easy-read versions and short lists (so lists have several pages).
fn generate(root: &Path, rng: &mut Rng) {
    skaidra::init::init(root).unwrap();
    let toml = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(root.join("site.toml"), toml + "\n[lists]\nper_page = 3\n").unwrap();
    write(
        &root.join("content/taxonomies.toml"),
        "[audiences]\nseniors = { lt = \"Senjorai\", en = \"Older people\" }\nfamilies = { lt = \"Šeimos\", en = \"Families\" }\n\n[categories]\nhome-care = { lt = \"Pagalba namuose\", en = \"Help at home\" }\nadvice = { lt = \"Konsultacijos\", en = \"Advice\" }\n",
    );
    let p = root.join("content/providers/antras");
    write(
        &p.join("provider.toml"),
        "phone = \"+370 5 111 1111\"\nemail = \"b@example.lt\"\nreviewed = 2026-11-01\nreview_every = \"12 months\"\nowner = { lt = \"Skyrius\", en = \"Division\" }\n",
    );
    write(
        &p.join("index.lt.md"),
        "+++\ntitle = \"Antras centras\"\nslug = \"antras-centras\"\nsummary = \"Antras.\"\n+++\nTekstas.\n",
    );
    write(
        &p.join("index.en.md"),
        "+++\ntitle = \"Second centre\"\nslug = \"second-centre\"\nsummary = \"Second.\"\n+++\nText.\n",
    );
    for i in 0..7 {
        add_service(root, rng, &format!("s{i}"));
    }
}

fn add_service(root: &Path, rng: &mut Rng, id: &str) {
    let d = root.join("content/services").join(id);
    let provider = *rng.pick(&["centras", "antras"]);
    let audiences: &[&str] = rng.pick::<&[&str]>(&[&["seniors"], &["families"], &["seniors", "families"]]);
    let categories: &[&str] = rng.pick::<&[&str]>(&[&["home-care"], &["advice"], &["advice", "home-care"]]);
    let n = rng.next() % 1000;
    write(&d.join("service.toml"), &service_toml(provider, audiences, categories, rng.chance(50), "+370 5 000 0000"));
    write(&d.join("index.lt.md"), &service_text("lt", &format!("Paslauga {id} {n}"), &format!("paslauga-{id}"), n));
    if rng.chance(80) {
        write(&d.join("index.en.md"), &service_text("en", &format!("Service {id} {n}"), &format!("service-{id}"), n));
    }
    if rng.chance(60) {
        write(&d.join("easy.lt.md"), &easy_text("lt", "Lengvai", n));
    }
}

/// The services of the site (folder names).
fn services(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(root.join("content/services"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// One random edit; returns what it did.
fn edit(root: &Path, out: &Path, rng: &mut Rng, step: usize) -> String {
    let all = services(root);
    let id = rng.pick(&all).clone();
    let dir = root.join("content/services").join(&id);
    let n = rng.next() % 100_000;
    let replace_in = |path: &Path, from: &str, to: &str| {
        if let Ok(t) = fs::read_to_string(path) {
            fs::write(path, t.replacen(from, to, 1)).unwrap();
        }
    };
    match rng.below(20) {
        0 | 1 => {
            // The text of a service.
            let f = dir.join(rng.pick(&["index.lt.md", "index.en.md"]));
            if let Ok(t) = fs::read_to_string(&f) {
                fs::write(&f, format!("{t}\nMore text {n}.\n")).unwrap();
            }
            format!("text of {id}")
        }
        2 => {
            let f = dir.join(rng.pick(&["index.lt.md", "index.en.md"]));
            if let Ok(t) = fs::read_to_string(&f) {
                let title = t.lines().find(|l| l.starts_with("title = ")).unwrap_or("").to_string();
                fs::write(
                    &f,
                    t.replacen(&title, &format!("title = \"{} {n}\"", if n.is_multiple_of(2) { "A" } else { "Z" }), 1),
                )
                .unwrap();
            }
            format!("title of {id}")
        }
        3 => {
            let f = dir.join(rng.pick(&["index.lt.md", "index.en.md"]));
            if let Ok(t) = fs::read_to_string(&f) {
                let slug = t.lines().find(|l| l.starts_with("slug = ")).unwrap_or("").to_string();
                fs::write(&f, t.replacen(&slug, &format!("slug = \"{id}-{n}\""), 1)).unwrap();
            }
            format!("slug of {id}")
        }
        4 => {
            let provider = *rng.pick(&["centras", "antras", "nera"]);
            let audiences: &[&str] = rng.pick::<&[&str]>(&[&["seniors"], &["families"], &["seniors", "families"], &[]]);
            let categories: &[&str] = rng.pick::<&[&str]>(&[&["home-care"], &["advice"], &["advice", "home-care"]]);
            let phone = *rng.pick(&["+370 5 000 0000", "+370 5 222 2222", "8 5 111 1111"]);
            write(&dir.join("service.toml"), &service_toml(provider, audiences, categories, rng.chance(50), phone));
            format!("facts of {id}")
        }
        5 => {
            let f = dir.join("index.en.md");
            if f.exists() && id != "pagalba-i-namus" {
                fs::remove_file(&f).unwrap();
                format!("English of {id} removed")
            } else {
                write(&f, &service_text("en", &format!("Service {id}"), &format!("service-{id}"), n));
                format!("English of {id} added")
            }
        }
        6 => {
            let lang = *rng.pick(&["lt", "en"]);
            let f = dir.join(format!("easy.{lang}.md"));
            if f.exists() && rng.chance(50) {
                fs::remove_file(&f).unwrap();
                format!("easy-read {lang} of {id} removed")
            } else if f.exists() && rng.chance(50) {
                // Only the text: a sentence the lint finds too long, or one that is short.
                let t = fs::read_to_string(&f).unwrap();
                let long = t.lines().find(|l| l.len() > 120).map(|l| format!("{l}\n"));
                let t = match long {
                    Some(l) => t.replace(&l, "Paskambinkite mums.\n"),
                    None => t.replace("Tai pagalba.\n", "Tai pagalba, kurią savivaldybė teikia žmonėms, kurie patys nebegali tvarkytis namuose ir kuriems reikia kitų žmonių pagalbos.\n").replace("This is help.\n", "This is help that the municipality gives to people who can no longer manage at home on their own and who need the help of other people.\n"),
                };
                write(&f, &t);
                format!("easy-read text {lang} of {id} changed")
            } else {
                write(&f, &easy_text(lang, if lang == "lt" { "Lengvai" } else { "Easy" }, n));
                format!("easy-read {lang} of {id} written")
            }
        }
        7 => {
            let new = format!("n{step}");
            add_service(root, rng, &new);
            format!("service {new} added")
        }
        8 if all.len() > 3 && id != "pagalba-i-namus" => {
            fs::remove_dir_all(&dir).unwrap();
            format!("service {id} deleted")
        }
        9 if id != "pagalba-i-namus" => {
            let to = root.join("content/services").join(format!("r{step}"));
            fs::rename(&dir, &to).unwrap();
            format!("service {id} renamed to r{step}")
        }
        10 => {
            let f = root.join("content/providers").join(rng.pick(&["centras", "antras"])).join("index.en.md");
            replace_in(&f, "title = \"", &format!("title = \"{n} "));
            "provider title".into()
        }
        11 => {
            let f = root.join("content/providers/antras/provider.toml");
            let phone = *rng.pick(&["+370 5 111 1111", "+370 5 333 3333"]);
            let t = fs::read_to_string(&f).unwrap();
            let line = t.lines().next().unwrap().to_string();
            fs::write(&f, t.replacen(&line, &format!("phone = \"{phone}\""), 1)).unwrap();
            "provider phone".into()
        }
        12 => {
            replace_in(&root.join("content/taxonomies.toml"), "en = \"Advice", &format!("en = \"{n} Advice"));
            "taxonomy label".into()
        }
        13 => {
            let f = root.join("content/charter/index.en.md");
            let t = fs::read_to_string(&f).unwrap();
            fs::write(&f, format!("{t}\nMore {n}.\n")).unwrap();
            "charter text".into()
        }
        14 => {
            replace_in(&root.join("content/pages/prieinamumas/index.en.md"), "title = \"", &format!("title = \"{n} "));
            "free page title".into()
        }
        15 => {
            let f = root.join("themes/default/templates/404.html");
            let t = fs::read_to_string(&f).unwrap();
            fs::write(&f, t.replacen("</ul>", &format!("</ul><p>{n}</p>"), 1)).unwrap();
            "template".into()
        }
        16 => {
            let f = root.join("i18n/en.toml");
            let t = fs::read_to_string(&f).unwrap();
            let line = t.lines().find(|l| l.starts_with("title = ")).map(str::to_string);
            if let Some(line) = line {
                fs::write(&f, t.replacen(&line, &format!("title = \"Found a mistake {n}?\""), 1)).unwrap();
            }
            "strings".into()
        }
        17 => {
            // The output changed by hand: a page edited, a file deleted, a file added.
            let files: Vec<String> = tree(out).into_keys().collect();
            if files.is_empty() {
                return "nothing in the output".into();
            }
            let f = out.join(rng.pick(&files));
            match rng.below(3) {
                0 => fs::write(&f, format!("edited by hand {n}")).unwrap(),
                1 => fs::remove_file(&f).unwrap(),
                _ => fs::write(out.join(format!("extra-{n}.html")), "x").unwrap(),
            }
            "the output by hand".into()
        }
        18 => {
            // The same size and modification time, other bytes (only the change time differs).
            let f = dir.join("index.lt.md");
            let t = fs::read(&f).unwrap();
            let before = fs::metadata(&f).unwrap().modified().unwrap();
            let mut changed = t.clone();
            if let Some(b) = changed.iter_mut().rev().find(|b| b.is_ascii_digit()) {
                *b = if *b == b'9' { b'0' } else { *b + 1 };
            }
            fs::write(&f, &changed).unwrap();
            fs::File::options().write(true).open(&f).unwrap().set_modified(before).unwrap();
            format!("same-size edit of {id}")
        }
        _ => {
            // Touched, not changed.
            let f = dir.join("service.toml");
            let t = fs::read(&f).unwrap();
            fs::write(&f, t).unwrap();
            format!("{id} touched")
        }
    }
}

/// A build of `root` into `out`: its warnings as a reader sees them, or its errors.
fn build_into(root: &Path, out: &Path) -> Result<String, String> {
    let opts = BuildOptions { root: root.to_path_buf(), out: Some(out.to_path_buf()), ..Default::default() };
    build(&opts)
        .map(|r| skaidra::diagnostics::render_human(&r.diagnostics, false))
        .map_err(|d| skaidra::diagnostics::render_human(&d, false))
}

/// The clean build: a new output folder, no manifest for it and no results kept from earlier
/// runs (`.skaidra-cache/*.memo`).
fn clean_build(root: &Path, out: &Path) -> Result<String, String> {
    let _ = fs::remove_dir_all(out);
    let abs = |p: &Path| skaidra::manifest::absolute(p);
    let _ = fs::remove_file(skaidra::manifest::path_for(&abs(root), &abs(out)));
    let cache = root.join(".skaidra-cache");
    for e in fs::read_dir(&cache).into_iter().flatten().flatten() {
        if e.path().extension().is_some_and(|x| x == "memo") {
            fs::remove_file(e.path()).unwrap();
        }
    }
    let made = build_into(root, out);
    assert!(
        made.is_err()
            || fs::read_dir(&cache)
                .into_iter()
                .flatten()
                .flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "memo")),
        "a build keeps the easy-read lint's results in .skaidra-cache"
    );
    made
}

fn run(seed: u64, steps: usize, leaflets: bool) {
    let tmp = tempfile::tempdir().unwrap();
    let root: PathBuf = tmp.path().join("site");
    let (out, fresh) = (tmp.path().join("out"), tmp.path().join("fresh"));
    let mut rng = Rng(seed.max(1));
    generate(&root, &mut rng);
    if leaflets {
        let toml = fs::read_to_string(root.join("site.toml")).unwrap();
        fs::write(root.join("site.toml"), toml + "\n[leaflets]\nenabled = true\n").unwrap();
    }
    build_into(&root, &out).expect("the generated site builds");
    let mut failed = 0;
    for step in 1..=steps {
        let snapshot = tmp.path().join("snapshot");
        let _ = fs::remove_dir_all(&snapshot);
        copy_tree(&root.join("content"), &snapshot);
        let before = tree(&out);
        let what = edit(&root, &out, &mut rng, step);
        let hand = what == "the output by hand";
        match (build_into(&root, &out), clean_build(&root, &fresh)) {
            (Ok(warned), Ok(clean)) => {
                compare(&out, &fresh, step, &what);
                assert!(warned == clean, "step {step} ({what}): the build warned\n{warned}\nthe clean build\n{clean}");
            }
            (Err(_), Err(_)) => {
                failed += 1;
                if !hand {
                    assert!(tree(&out) == before, "step {step} ({what}): a failed build changed the output");
                }
                // Back to the last site that built, and on.
                fs::remove_dir_all(root.join("content")).unwrap();
                copy_tree(&snapshot, &root.join("content"));
                build_into(&root, &out).expect("the restored site builds");
                clean_build(&root, &fresh).expect("the restored site builds");
                compare(&out, &fresh, step, &format!("{what}, undone"));
            }
            (a, b) => panic!("step {step} ({what}): the incremental build gave {a:?}, the clean one {b:?}"),
        }
    }
    assert!(failed < steps / 2, "{failed} of {steps} steps made a site that does not build");
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn incremental_builds_give_the_clean_build_after_random_edits() {
    run(env("SKAIDRA_PROPERTY_SEED", 26), env("SKAIDRA_PROPERTY_STEPS", 250) as usize, false);
}

#[test]
fn incremental_builds_with_leaflets_give_the_clean_build() {
    run(env("SKAIDRA_PROPERTY_SEED", 26) + 1, env("SKAIDRA_PROPERTY_STEPS", 250) as usize / 10, true);
}
