//! A language added step by step, and a language written right to left, on the fixture
//! `tests/fixtures/languages/` (its README.md says what it holds): Lithuanian (default), English
//! (complete) and Ukrainian (the charter and one service translated); with the `rtl/` overlay,
//! Arabic as a fourth language. The real binary builds and checks copies of it (with the
//! repository's theme and i18n), and the pages and leaflets are read as residents and their
//! assistive technology would: `lang`, `hreflang`, the visible notes, and the text and fonts of the
//! PDFs (poppler-utils).

use crate::common::{self, Run, copy_tree};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the fixture site in `name` (with the Arabic overlay when `rtl`), the repository's
/// theme and i18n copied in.
fn prepare(name: &str, rtl: bool) -> PathBuf {
    let dest = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dest);
    let fixture = repo().join("tests/fixtures/languages");
    copy_tree(&fixture.join("site"), &dest);
    if rtl {
        copy_tree(&fixture.join("rtl"), &dest);
    }
    copy_tree(&repo().join("themes"), &dest.join("themes"));
    copy_tree(&repo().join("i18n"), &dest.join("i18n"));
    dest
}

fn skaidra(root: &Path, args: &[&str]) -> Run {
    let mut all = vec![args[0], "--root", root.to_str().expect("utf-8 path")];
    all.extend(&args[1..]);
    common::skaidra_in(&std::env::temp_dir(), &all)
}

/// The three-language site, built once (with its warnings).
fn built() -> &'static (PathBuf, Run) {
    static B: OnceLock<(PathBuf, Run)> = OnceLock::new();
    B.get_or_init(|| {
        let root = prepare("languages", false);
        let run = skaidra(&root, &["build"]);
        run.expect_code(0);
        (root, run)
    })
}

/// The four-language site (Arabic added), built once.
fn built_rtl() -> &'static PathBuf {
    static B: OnceLock<PathBuf> = OnceLock::new();
    B.get_or_init(|| {
        let root = prepare("languages-rtl", true);
        skaidra(&root, &["build"]).expect_code(0);
        root
    })
}

/// A built page, with the two spellings the minified templates give an element written the same
/// way made one (attribute order, quotes the HTML standard does not need).
fn page(root: &Path, path: &str) -> String {
    let file = root.join("public").join(path).join("index.html");
    let html = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    html.replace(r#"<span dir="ltr" lang="lt">"#, r#"<span lang="lt" dir="ltr">"#)
        .replace("class=lang-note", r#"class="lang-note""#)
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name} ({e}); install it: apt-get install -y poppler-utils"));
    assert!(out.status.success(), "{name} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The translation-missing warnings the build must give for Ukrainian: (file:line:col, field).
const UK_TEXTS: &[(&str, &str)] = &[
    ("content/pages/prieinamumas/page.toml:3:9", "`owner`"),
    ("content/providers/aspc/provider.toml:7:9", "`owner`"),
    ("content/providers/savivaldybe/provider.toml:6:9", "`owner`"),
    ("content/services/dienos-centras-senjorams/service.toml:9:9", "`owner`"),
    ("content/services/pagalba-i-namus/service.toml:13:9", "`legal_basis.title`"),
    ("content/services/socialinis-transportas/service.toml:10:9", "`owner`"),
    ("content/taxonomies.toml:6:14", "`audiences.disability`"),
    ("content/taxonomies.toml:14:13", "`categories.transport`"),
];

#[test]
fn a_partly_translated_language_builds_with_warnings_and_strict_fails_listing_them() {
    let (root, run) = built();
    for (at, field) in UK_TEXTS {
        let line = format!("warning[translation-missing]: {at}: {field} has no text in `uk` yet");
        run.check(run.stderr.contains(&line), &format!("the build warns: {line}"));
    }
    let warnings = run.stderr.matches("warning[translation-missing]").count();
    run.check(warnings == UK_TEXTS.len(), &format!("{} translation warnings, got {warnings}", UK_TEXTS.len()));
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("languages-strict-out");
    let strict = skaidra(root, &["build", "--strict", "--out", out.to_str().expect("utf-8")]);
    strict.expect_code(1);
    for (at, field) in UK_TEXTS {
        let line = format!("error[translation-missing]: {at}: {field} has no text in `uk` yet");
        strict.check(strict.stderr.contains(&line), &format!("--strict fails on: {line}"));
    }
    strict.check(!out.join("index.html").exists(), "a failed build writes no site");
}

#[test]
fn check_lists_what_is_left_to_translate_per_language_and_nothing_else() {
    let root = prepare("languages-check", false);
    let run = skaidra(&root, &["check", "--today", "2026-12-01"]);
    run.expect_code(0);
    let head = "not yet translated into `uk`: 13 (shown in `lt` until they are)";
    let at = run.stderr.find(head);
    run.check(at.is_some(), "check groups what is left for `uk`, with its count");
    let group = &run.stderr[at.unwrap_or(0)..];
    for (place, _) in UK_TEXTS {
        run.check(group.contains(place), &format!("the `uk` group lists {place}"));
    }
    for item in ["prieinamumas", "aspc", "savivaldybe", "dienos-centras-senjorams", "socialinis-transportas"] {
        let line = "has no `uk` translation";
        run.check(
            group.lines().any(|l| l.contains(line) && l.contains(&format!("`{item}`"))),
            &format!("the `uk` group lists the page `{item}`"),
        );
    }
    run.check(!run.stderr.contains("into `en`"), "English is complete: no group for it");
    // With --strict every finding is one the editor can act on: a text to translate.
    let strict = skaidra(&root, &["check", "--today", "2026-12-01", "--strict", "--format", "json"]);
    strict.expect_code(1);
    let json: serde_json::Value = serde_json::from_str(&strict.stdout).expect("json");
    assert_eq!(json["summary"]["untranslated"]["uk"], 13, "{}", strict.stdout);
    let findings = json["findings"].as_array().expect("findings");
    let other: Vec<&serde_json::Value> =
        findings.iter().filter(|f| f["code"] != "translation-missing" || f["lang"] != "uk").collect();
    assert!(other.is_empty(), "only texts to translate are reported: {other:#?}");
}

#[test]
fn links_to_pages_not_yet_translated_go_to_the_default_language_page_and_say_so() {
    let (root, _) = built();
    let service = page(root, "uk/posluhy/dopomoha-vdoma");
    // A link written in the Ukrainian text to a service only in Lithuanian.
    assert!(
        service.contains(r#"<a href="/socialines-paslaugos/paslaugos/socialinis-transportas/" hreflang="lt">соціальний транспорт<span class="lang-note"> (литовською)</span></a>"#),
        "the @/ link goes to the Lithuanian page with hreflang and a note:\n{service}"
    );
    // The provider, the footer's page: their pages exist in Lithuanian only.
    assert!(
        service.contains(r#"<a href="/socialines-paslaugos/istaigos/alytaus-socialiniu-paslaugu-centras/" hreflang="lt"><span lang="lt" dir="ltr">Alytaus socialinių paslaugų centras</span> <span class="lang-note">(литовською)</span></a>"#),
        "provider link:\n{service}"
    );
    assert!(
        service.contains(r#"<a href="/socialines-paslaugos/prieinamumas/" hreflang="lt"><span lang="lt" dir="ltr">Prieinamumo pareiškimas</span> <span class="lang-note">(литовською)</span></a>"#),
        "footer link:\n{service}"
    );
    // The catalogue lists every service: the untranslated ones by their Lithuanian titles.
    let catalogue = page(root, "uk/posluhy");
    for (href, title) in [
        ("/socialines-paslaugos/paslaugos/socialinis-transportas/", "Socialinis transportas"),
        ("/socialines-paslaugos/paslaugos/dienos-centras/", "Dienos centras"),
    ] {
        let link = format!(
            r#"<a href="{href}" hreflang="lt"><span lang="lt" dir="ltr">{title}</span> <span class="lang-note">(литовською)</span></a>"#
        );
        assert!(catalogue.contains(&link), "the catalogue lists {title}:\n{catalogue}");
    }
    assert!(catalogue.contains(r#"<a href="/socialines-paslaugos/uk/posluhy/dopomoha-vdoma/">Допомога вдома</a>"#));
    // A term page of the partial language is not empty: it lists the fallback services.
    let term = page(root, "uk/temy/transportas");
    assert!(term.contains("Socialinis transportas") && term.contains(r#"hreflang="lt""#), "{term}");
    // The Lithuanian pages have none of this.
    let lt = page(root, "paslaugos/pagalba-i-namus");
    assert!(!lt.contains("lang-note") && !lt.contains(r#"hreflang="lt">"#), "{lt}");
}

#[test]
fn untranslated_texts_are_shown_in_the_default_language_marked_with_it() {
    let (root, _) = built();
    let service = page(root, "uk/posluhy/dopomoha-vdoma");
    for text in ["Žmonės su negalia", "Lietuvos Respublikos socialinių paslaugų įstatymas"] {
        assert!(service.contains(&format!(r#"<span lang="lt" dir="ltr">{text}</span>"#)), "{text}:\n{service}");
    }
    // The owner is translated for this service; not for the services only in Lithuanian, whose
    // names fall back on the catalogue.
    assert!(service.contains("Відповідальний: Відділ соціальної підтримки."), "{service}");
    let charter = page(root, "uk/khartiia");
    assert!(charter.contains("Відповідальний: Відділ соціальної підтримки."), "{charter}");
    // A term's own slug, and a slug made from a Ukrainian label by Ukraine's transliteration.
    assert!(root.join("public/uk/dlia/dity-i-molod/index.html").is_file());
    assert!(root.join("public/uk/dlia/liudy-pokhyloho-viku/index.html").is_file());
}

#[test]
fn no_signatory_or_contact_is_dropped() {
    let (root, _) = built();
    let charter = page(root, "uk/khartiia");
    for name in ["Alytaus miesto savivaldybės administracija", "Alytaus socialinių paslaugų centras"] {
        assert!(charter.contains(&format!(r#"<span lang="lt" dir="ltr">{name}</span>"#)), "{name}:\n{charter}");
    }
    let pdf = root.join("public/leaflets/uk/khartiia.pdf");
    let text = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().expect("utf-8"), "-"]);
    for name in ["Alytaus miesto savivaldybės administracija", "Alytaus socialinių paslaugų centras"] {
        assert!(text.contains(name), "the Ukrainian charter leaflet names {name}:\n{text}");
    }
    let raw = fs::read(&pdf).expect("pdf");
    let raw = String::from_utf8_lossy(&raw);
    assert!(raw.contains("/Lang(uk)") && raw.contains("/Lang(lt)"), "the names are tagged in Lithuanian");
    let service = root.join("public/leaflets/uk/posluhy-dopomoha-vdoma.pdf");
    let text = tool("pdftotext", &["-enc", "UTF-8", service.to_str().expect("utf-8"), "-"]);
    for fact in ["Alytaus socialinių paslaugų centras", "+370 315 56 660", "soc_parama@alytus.lt", "Допомога вдома"]
    {
        assert!(text.contains(fact), "the leaflet has {fact}:\n{text}");
    }
}

#[test]
fn leaflets_in_cyrillic_and_arabic_embed_fonts_that_cover_them() {
    let root = built_rtl();
    for (pdf, font, words) in [
        ("uk/posluhy-dopomoha-vdoma.pdf", "NotoSans-Regular", "Хто може отримати"),
        ("ar/khadamat-al-musaada-fi-al-manzil.pdf", "NotoNaskhArabic-Regular", "المساعدة في المنزل"),
    ] {
        let file = root.join("public/leaflets").join(pdf);
        let fonts = tool("pdffonts", &[file.to_str().expect("utf-8")]);
        let line = fonts.lines().find(|l| l.contains(font)).unwrap_or_else(|| panic!("{pdf} uses {font}:\n{fonts}"));
        assert!(line.contains(" yes yes "), "{font} is embedded and subset in {pdf}: {line}");
        let text = tool("pdftotext", &["-enc", "UTF-8", file.to_str().expect("utf-8"), "-"]);
        assert!(text.contains(words), "{pdf} has real text `{words}`:\n{text}");
    }
    // A Lithuanian-only leaflet uses no Arabic font.
    let lt = root.join("public/leaflets/lt/paslaugos-socialinis-transportas.pdf");
    assert!(!tool("pdffonts", &[lt.to_str().expect("utf-8")]).contains("Arabic"));
    // The Arabic leaflet prints the theme's words that are not translated in Lithuanian, tagged so.
    let ar = fs::read(root.join("public/leaflets/ar/khadamat-al-musaada-fi-al-manzil.pdf")).expect("pdf");
    let ar = String::from_utf8_lossy(&ar);
    assert!(ar.contains("/Lang(ar)") && ar.contains("/Lang(lt)"));
}

#[test]
fn a_right_to_left_language_gets_dir_rtl() {
    let root = built_rtl();
    let ar = page(root, "ar/khadamat/al-musaada-fi-al-manzil");
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#), "{}", &ar[..200.min(ar.len())]);
    // Lithuanian text on it is marked with its language and direction.
    assert!(ar.contains(r#"<span lang="lt" dir="ltr">Žmonės su negalia</span>"#), "{ar}");
    assert!(page(root, "uk/posluhy/dopomoha-vdoma").contains(r#"<html lang="uk" dir="ltr">"#));
    assert!(page(root, "").contains(r#"<html lang="lt" dir="ltr">"#));
}
