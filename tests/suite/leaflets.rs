//! Leaflets of the example site, checked as a print shop and a screen-reader user would: with
//! poppler-utils (`pdffonts`, `pdfinfo`, `pdftotext`, `pdftoppm`) and zbar-tools (`zbarimg`).
//! One leaflet per format is rendered to PNG in `tests/artifacts/leaflets/` for a person to look at.

use crate::common;
use skaidra::leaflet::{self, Format, Leaflet, LeafletOptions};
use skaidra::resolve::Site;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

const PHONE: &str = "+370 315 56 660";
/// A5 in PostScript points, and 3 mm.
const A5: (f64, f64) = (419.53, 595.28);
const A4: (f64, f64) = (595.28, 841.89);
const BLEED: f64 = 8.504;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| match skaidra::pipeline::load_site(root(), None) {
        Ok((site, _, _)) => site,
        Err(d) => panic!("the example site does not load: {:?}", d.items),
    })
}

fn make(opts: &LeafletOptions) -> Vec<Leaflet> {
    match leaflet::make_all(site(), root(), opts) {
        Ok(l) => l,
        Err(d) => panic!("leaflets failed:\n{}", d.items.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
    }
}

/// The screen versions (A5), made once for all tests, with the time it took.
fn screen() -> &'static (Vec<Leaflet>, std::time::Duration) {
    static L: OnceLock<(Vec<Leaflet>, std::time::Duration)> = OnceLock::new();
    L.get_or_init(|| {
        let t = Instant::now();
        let l = make(&LeafletOptions::default());
        (l, t.elapsed())
    })
}

/// Where the tests write PDFs and renderings (under the target folder, emptied once per run).
fn dir() -> &'static Path {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("leaflets");
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    })
}

/// Writes a leaflet to the temporary folder and returns its file.
fn write(l: &Leaflet, tag: &str) -> PathBuf {
    let p = dir().join(tag).join(&l.path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, &l.bytes).unwrap();
    p
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name} ({e}); install it: apt-get install -y poppler-utils zbar-tools"));
    assert!(
        out.status.success() || name == "zbarimg",
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn find<'a>(ls: &'a [Leaflet], path: &str) -> &'a Leaflet {
    ls.iter()
        .find(|l| l.path == path)
        .unwrap_or_else(|| panic!("no leaflet {path}; have: {:?}", ls.iter().map(|l| &l.path).collect::<Vec<_>>()))
}

/// `pdfinfo` fields as (key, value).
fn info(pdf: &Path, extra: &[&str]) -> Vec<(String, String)> {
    let mut args: Vec<&str> = extra.to_vec();
    let p = pdf.to_str().unwrap();
    args.push(p);
    tool("pdfinfo", &args)
        .lines()
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())))
        .collect()
}

fn field<'a>(info: &'a [(String, String)], key: &str) -> &'a str {
    info.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("pdfinfo has no `{key}`: {info:?}"))
}

/// `Page size: 419.53 x 595.28 pts (A5)` -> (w, h).
fn size(s: &str) -> (f64, f64) {
    let mut it = s.split_whitespace();
    let w = it.next().unwrap().parse().unwrap();
    it.next();
    let h = it.next().unwrap().parse().unwrap();
    (w, h)
}

/// `MediaBox: 0.00 0.00 436.54 612.28` -> [x0, y0, x1, y1].
fn rect(s: &str) -> [f64; 4] {
    let v: Vec<f64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();
    [v[0], v[1], v[2], v[3]]
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.1
}

fn text(pdf: &Path) -> String {
    tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

/// Decodes every QR code on every page (rendered at 200 dpi).
fn qr_codes(pdf: &Path, pages: usize) -> Vec<String> {
    let out = pdf.with_extension("");
    let o = out.to_str().unwrap();
    tool("pdftoppm", &["-r", "200", "-png", pdf.to_str().unwrap(), o]);
    let mut found = Vec::new();
    for n in 1..=pages {
        // pdftoppm numbers pages with as many digits as the last page needs.
        let png = [format!("{o}-{n}.png"), format!("{o}-{n:02}.png")]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("rendered page");
        let s = tool("zbarimg", &["--raw", "-q", &png]);
        found.extend(s.lines().map(str::to_string).filter(|l| !l.is_empty()));
    }
    found
}

#[test]
fn every_leaflet_is_made_in_both_languages_and_variants() {
    let (ls, took) = screen();
    // 15 services + charter + quality policy = 17, x 2 languages x (standard + easy-read).
    assert_eq!(ls.len(), 68, "{:?}", ls.iter().map(|l| &l.path).collect::<Vec<_>>());
    let mut paths: Vec<&str> = ls.iter().map(|l| l.path.as_str()).collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 68, "paths are unique");
    assert_eq!(ls.iter().filter(|l| l.variant == "easy-read").count(), 34);
    assert_eq!(ls.iter().filter(|l| l.lang == "lt").count(), 34);
    let l = find(ls, "leaflets/lt/paslaugos-pagalba-i-namus.pdf");
    assert_eq!(l.url, "https://www.alytus.lt/socialines-paslaugos/paslaugos/pagalba-i-namus/");
    assert_eq!(l.title, "Pagalba į namus");
    find(ls, "leaflets/lt/paslaugos-pagalba-i-namus-lengvai.pdf");
    find(ls, "leaflets/en/services-home-help.pdf");
    find(ls, "leaflets/lt/chartija.pdf");
    for l in ls {
        assert!(l.bytes.starts_with(b"%PDF-"), "{}", l.path);
        assert!(l.pages >= 1);
    }
    let pages: usize = ls.iter().map(|l| l.pages).sum();
    eprintln!(
        "timing: {} screen leaflets ({} pages) in {:.0} ms, {:.1} ms per leaflet on {} threads",
        ls.len(),
        pages,
        took.as_secs_f64() * 1000.0,
        took.as_secs_f64() * 1000.0 / ls.len() as f64,
        rayon::current_num_threads()
    );
}

#[test]
fn fonts_are_the_themes_embedded_and_subset() {
    let (ls, _) = screen();
    for l in ls {
        let p = write(l, "screen");
        let out = tool("pdffonts", &[p.to_str().unwrap()]);
        let rows: Vec<&str> = out.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{}: no fonts", l.path);
        for row in rows {
            // name type encoding emb sub uni object ID
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert!(cols[0].contains("NotoSans"), "{}: font not from the theme: {row}", l.path);
            assert_eq!(cols[n - 5], "yes", "{}: font not embedded: {row}", l.path);
            assert_eq!(cols[n - 4], "yes", "{}: font not subset: {row}", l.path);
        }
    }
}

#[test]
fn page_size_title_language_and_tags() {
    let (ls, _) = screen();
    for l in ls {
        let p = write(l, "screen");
        let i = info(&p, &[]);
        let (w, h) = size(field(&i, "Page size"));
        assert!(close(w, A5.0) && close(h, A5.1), "{}: page size {w} x {h}", l.path);
        assert_eq!(field(&i, "Title"), l.title, "{}", l.path);
        assert_eq!(field(&i, "Tagged"), "yes", "{}", l.path);
        assert_eq!(field(&i, "Pages").parse::<usize>().unwrap(), l.pages);
    }
    // Language and PDF/UA-1 are in the catalogue and the XMP metadata.
    let l = find(ls, "leaflets/lt/paslaugos-pagalba-i-namus.pdf");
    let raw = String::from_utf8_lossy(&l.bytes);
    assert!(raw.contains("/Lang(lt)"), "document language set");
    assert!(
        raw.contains("pdfuaid:part") && raw.contains("pdfaid:part"),
        "PDF/UA-1 and PDF/A identification in the XMP metadata"
    );
    let l = find(ls, "leaflets/en/services-home-help.pdf");
    assert!(String::from_utf8_lossy(&l.bytes).contains("/Lang(en)"));
}

#[test]
fn text_is_real_with_title_phone_and_lithuanian_letters() {
    let (ls, _) = screen();
    let mut lt_text = String::new();
    for l in ls {
        let p = write(l, "screen");
        let t = text(&p);
        let flat = t.split_whitespace().collect::<Vec<_>>().join(" ");
        let title = l.title.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(&title), "{}: title `{}` not in the text", l.path, l.title);
        assert!(flat.contains(PHONE), "{}: phone number not in the text", l.path);
        if l.lang == "lt" {
            lt_text.push_str(&t);
        }
    }
    for c in ['ą', 'č', 'ę', 'ė', 'į', 'š', 'ų', 'ū', 'ž', 'Š', 'Ž'] {
        assert!(lt_text.contains(c), "`{c}` missing from the Lithuanian leaflets' text");
    }
    // The text of one leaflet in reading order: title before its sections.
    let p = write(find(ls, "leaflets/lt/paslaugos-pagalba-i-namus.pdf"), "screen");
    let t = text(&p);
    let title = t.find("Pagalba į namus").unwrap();
    let who = t.find("Kas gali gauti").expect("eligibility heading");
    let rights = t.find("Ką žada chartija").expect("rights heading");
    assert!(title < who && who < rights, "reading order");
    assert!(t.contains("2026 m. rugsėjo 15 d."), "review date in words");
}

#[test]
fn qr_codes_lead_to_the_page_in_the_leaflets_language() {
    let (ls, _) = screen();
    for path in [
        "leaflets/lt/paslaugos-pagalba-i-namus.pdf",
        "leaflets/en/services-home-help.pdf",
        "leaflets/lt/paslaugos-pagalba-i-namus-lengvai.pdf",
        "leaflets/en/charter.pdf",
        "leaflets/lt/kokybes-politika.pdf",
    ] {
        let Some(l) = ls.iter().find(|l| l.path == path) else { panic!("no {path}") };
        let p = write(l, "qr");
        let codes = qr_codes(&p, l.pages);
        assert_eq!(codes, vec![l.url.clone()], "{path}");
        assert!(l.url.starts_with("https://www.alytus.lt/socialines-paslaugos/"));
    }
    let en = find(ls, "leaflets/en/services-home-help.pdf");
    assert_eq!(en.url, "https://www.alytus.lt/socialines-paslaugos/en/services/home-help/");
}

#[test]
fn print_shop_version_has_bleed_trim_and_bleed_boxes_and_a_manifest() {
    let opts = LeafletOptions { print_shop: true, crop_marks: false, format: Some(Format::A5) };
    let t = Instant::now();
    let ls = make(&opts);
    eprintln!("timing: {} print-shop leaflets in {:.0} ms", ls.len(), t.elapsed().as_secs_f64() * 1000.0);
    assert_eq!(ls.len(), 68);
    assert!(
        ls.iter().all(|l| l.path.starts_with("leaflets/print/")),
        "print versions never replace the screen versions"
    );
    for l in ls.iter().filter(|l| l.path.contains("pagalba-i-namus") || l.path.contains("chartija")) {
        let p = write(l, "print");
        let i = info(&p, &["-box", "-f", "1", "-l", &l.pages.to_string()]);
        let (w, h) = size(field(&i, "Page    1 size"));
        assert!(close(w, A5.0 + 2.0 * BLEED) && close(h, A5.1 + 2.0 * BLEED), "{}: {w} x {h}", l.path);
        for n in 1..=l.pages {
            let media = rect(field(&i, &format!("Page    {n} MediaBox")));
            let bleed = rect(field(&i, &format!("Page    {n} BleedBox")));
            let trim = rect(field(&i, &format!("Page    {n} TrimBox")));
            for k in 0..4 {
                assert!(close(bleed[k], media[k]), "{}: BleedBox {bleed:?} = MediaBox {media:?}", l.path);
                let inset = if k < 2 { BLEED } else { -BLEED };
                assert!(close(trim[k], media[k] + inset), "{}: TrimBox {trim:?} inset 3 mm from {media:?}", l.path);
            }
            assert!(close(trim[2] - trim[0], A5.0) && close(trim[3] - trim[1], A5.1));
        }
        let out = tool("pdffonts", &[p.to_str().unwrap()]);
        assert!(out.lines().skip(2).all(|r| r.split_whitespace().rev().nth(4) == Some("yes")), "fonts embedded: {out}");
    }
    let (json, csv) = leaflet::manifest(&ls, &opts);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 68);
    let first = &files[0];
    assert_eq!(first["bleed_mm"], 3.0);
    assert_eq!(first["trim_size"], "148x210 mm");
    let l = ls.iter().find(|l| l.path == format!("leaflets/{}", first["file"].as_str().unwrap())).unwrap();
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(&l.bytes).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(first["sha256"], sha.as_str());
    assert_eq!(first["pages"], l.pages);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("file,language,variant,trim_size,bleed_mm,pages,sha256,binding,tight_layout,notes_pages,blank_pages")
    );
    assert_eq!(lines.count(), 68);
    assert!(csv.contains(&sha));
    // Making the same leaflet again gives the same bytes (a print order can be checked later).
    let again = leaflet::make_one(site(), root(), &opts, &l.path).unwrap().unwrap();
    assert_eq!(again.bytes, l.bytes, "leaflets are reproducible");
}

#[test]
fn crop_marks_sit_outside_the_bleed_on_a_larger_sheet() {
    let opts = LeafletOptions { print_shop: true, crop_marks: true, format: Some(Format::A5) };
    let t = Instant::now();
    let l = leaflet::make_one(site(), root(), &opts, "leaflets/print/lt/paslaugos-pagalba-i-namus.pdf")
        .expect("exists")
        .expect("made");
    eprintln!(
        "timing: one leaflet alone (make_one, fonts and layouts loaded for it) in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let p = write(&l, "crop");
    let i = info(&p, &["-box"]);
    let media = rect(field(&i, "MediaBox"));
    let bleed = rect(field(&i, "BleedBox"));
    let trim = rect(field(&i, "TrimBox"));
    let slug = leaflet::SLUG_MM / 25.4 * 72.0;
    for k in 0..4 {
        let sign = if k < 2 { 1.0 } else { -1.0 };
        assert!(close(trim[k], bleed[k] + sign * BLEED), "TrimBox {trim:?} 3 mm inside BleedBox {bleed:?}");
        assert!(close(bleed[k], media[k] + sign * slug), "BleedBox {bleed:?} inside MediaBox {media:?}");
    }
    artifact(&p, "a5-print-crop-marks", Some(1));
}

#[test]
fn a4_and_trifold_formats() {
    let a4 = LeafletOptions { format: Some(Format::A4), ..Default::default() };
    let l = leaflet::make_one(site(), root(), &a4, "leaflets/lt/paslaugos-pagalba-i-namus.pdf").unwrap().unwrap();
    let p = write(&l, "a4");
    let (w, h) = size(field(&info(&p, &[]), "Page size"));
    assert!(close(w, A4.0) && close(h, A4.1), "A4: {w} x {h}");
    assert_eq!(qr_codes(&p, l.pages), vec![l.url.clone()]);
    artifact(&p, "a4-service-lt", None);

    let tri = LeafletOptions { format: Some(Format::A4Trifold), ..Default::default() };
    let t = Instant::now();
    let ls = make(&tri);
    eprintln!("timing: {} tri-fold leaflets in {:.0} ms", ls.len(), t.elapsed().as_secs_f64() * 1000.0);
    for l in ls.iter().filter(|l| l.variant == "standard") {
        assert_eq!(l.pages, 2, "{}: a tri-fold is one sheet, two pages", l.path);
    }
    let l = find(&ls, "leaflets/lt/paslaugos-pagalba-i-namus.pdf");
    let p = write(l, "trifold");
    let (w, h) = size(field(&info(&p, &[]), "Page size"));
    assert!(close(w, A4.1) && close(h, A4.0), "tri-fold is landscape A4: {w} x {h}");
    assert_eq!(qr_codes(&p, l.pages), vec![l.url.clone()]);
    let text = text(&p);
    assert!(text.contains(PHONE) && text.contains("Pagalba į namus"));
    artifact(&p, "a4-trifold-service-lt", None);
    // Easy-read texts are not folded: with the tri-fold setting they are A4 portrait pages.
    let e = find(&ls, "leaflets/en/services-home-help-easy-read.pdf");
    let p = write(e, "trifold");
    let (w, h) = size(field(&info(&p, &[]), "Page size"));
    assert!(close(w, A4.0) && close(h, A4.1), "easy-read with the tri-fold setting is A4 portrait: {w} x {h}");
    artifact(&p, "a4-easy-en", None);
    let (json, _) = leaflet::manifest(&ls, &tri);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let row = |file: &str| v["files"].as_array().unwrap().iter().find(|r| r["file"] == file).unwrap().clone();
    assert_eq!(row("lt/paslaugos-pagalba-i-namus.pdf")["trim_size"], "297x210 mm (folds to 99x210 mm)");
    assert_eq!(
        row("en/services-home-help-easy-read.pdf")["trim_size"],
        "210x297 mm",
        "the manifest tells the real size"
    );

    // Print-shop tri-fold with crop and fold marks.
    let opts = LeafletOptions { print_shop: true, crop_marks: true, format: Some(Format::A4Trifold) };
    let l = leaflet::make_one(site(), root(), &opts, "leaflets/print/en/charter.pdf").unwrap().unwrap();
    assert_eq!(l.pages, 2);
    let p = write(&l, "trifold-print");
    let i = info(&p, &["-box"]);
    let (trim, bleed) = (rect(field(&i, "TrimBox")), rect(field(&i, "BleedBox")));
    assert!(close(trim[2] - trim[0], A4.1) && close(trim[3] - trim[1], A4.0), "trim {trim:?}");
    assert!(close(trim[0] - bleed[0], BLEED), "bleed {bleed:?}");
    artifact(&p, "a4-trifold-print-charter-en", None);
    let (json, _) = leaflet::manifest(std::slice::from_ref(&l), &opts);
    assert!(json.contains("\"bleed_mm\": 3.0"), "{json}");
}

#[test]
fn a5_artifacts_for_people_to_look_at() {
    let (ls, _) = screen();
    for (path, name) in [
        ("leaflets/lt/paslaugos-pagalba-i-namus.pdf", "a5-service-lt"),
        ("leaflets/lt/paslaugos-pagalba-i-namus-lengvai.pdf", "a5-easy-lt"),
        ("leaflets/en/charter.pdf", "a5-charter-en"),
        ("leaflets/lt/kokybes-politika.pdf", "a5-quality-lt"),
    ] {
        let p = write(find(ls, path), "artifacts");
        artifact(&p, name, None);
    }
}

/// Renders pages of a leaflet to `tests/artifacts/leaflets/<name>-<page>.png`.
fn artifact(pdf: &Path, name: &str, last: Option<usize>) {
    static CLEARED: OnceLock<()> = OnceLock::new();
    let out = root().join("tests/artifacts/leaflets");
    CLEARED.get_or_init(|| {
        let _ = std::fs::remove_dir_all(&out);
    });
    std::fs::create_dir_all(&out).unwrap();
    let prefix = out.join(name);
    let mut args = vec!["-r", "80", "-png"];
    let l;
    if let Some(n) = last {
        l = n.to_string();
        args.extend(["-l", l.as_str()]);
    }
    let (p, o) = (pdf.to_str().unwrap(), prefix.to_str().unwrap());
    args.extend([p, o]);
    tool("pdftoppm", &args);
}

/// A fresh copy of the example site to change.
fn site_copy() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(root()).into_iter().filter_entry(|e| {
        let rel = e.path().strip_prefix(root()).unwrap();
        rel.as_os_str().is_empty() || ["site.toml", "content", "i18n", "themes"].iter().any(|top| rel.starts_with(top))
    }) {
        let e = entry.unwrap();
        let rel = e.path().strip_prefix(root()).unwrap();
        let to = d.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    d
}

#[test]
fn content_is_data_never_markup() {
    let d = site_copy();
    let f = d.path().join("content/services/pagalba-i-namus/index.lt.md");
    let src = std::fs::read_to_string(&f).unwrap();
    let evil = r##"Pagalba į namus #panic("boom") *ne* $x^2$ <žymė> @ref [a](b) \ #{1+1}"##;
    std::fs::write(&f, src.replacen("title = \"Pagalba į namus\"", &format!("title = {evil:?}"), 1)).unwrap();
    let (site, _, _) = skaidra::pipeline::load_site(d.path(), None).map_err(|e| format!("{:?}", e.items)).unwrap();
    let l = leaflet::make_one(&site, d.path(), &LeafletOptions::default(), "leaflets/lt/paslaugos-pagalba-i-namus.pdf")
        .unwrap()
        .unwrap();
    let p = write(&l, "evil");
    let t = text(&p).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(t.contains(r#"#panic("boom") *ne* $x^2$ <žymė> @ref [a](b)"#), "the title is printed as written: {t}");
    assert!(t.contains("#{1+1}"));
}

#[test]
fn layout_errors_name_the_layout_file_and_line() {
    let d = site_copy();
    let f = d.path().join("themes/default/leaflet/service.typ");
    let src = std::fs::read_to_string(&f).unwrap();
    let line = src.lines().position(|l| l.starts_with("#let inside")).unwrap() + 1;
    std::fs::write(&f, src.replacen("#let inside = {", "#let inside = { no-such-function()", 1)).unwrap();
    let (site, _, _) = skaidra::pipeline::load_site(d.path(), None).map_err(|e| format!("{:?}", e.items)).unwrap();
    let errs = leaflet::make_all(&site, d.path(), &LeafletOptions::default()).unwrap_err();
    let e = errs
        .items
        .iter()
        .find(|e| e.location.file == Path::new("themes/default/leaflet/service.typ"))
        .unwrap_or_else(|| panic!("{errs:?}"));
    assert_eq!(e.location.line, line, "{e}");
    assert!(e.message.contains("no-such-function"), "{e}");
    // Reported once, not once per leaflet.
    assert_eq!(errs.items.iter().filter(|x| x.message == e.message).count(), 1, "{errs:?}");

    // A leaflet string not yet translated is printed in the default language, and said so.
    std::fs::write(&f, src).unwrap();
    let strings = d.path().join("themes/default/leaflet/strings.toml");
    let s = std::fs::read_to_string(&strings).unwrap();
    let en = s.find("[en]").unwrap();
    let (head, tail) = s.split_at(en);
    std::fs::write(&strings, format!("{head}{}", tail.replacen("online = \"Online\"\n", "", 1))).unwrap();
    let made = leaflet::make_all(&site, d.path(), &LeafletOptions::default()).expect("made with the Lithuanian word");
    assert!(made.iter().any(|l| l.lang == "en"));
    let gaps = leaflet::string_gaps(d.path(), &site);
    assert!(
        gaps.iter().any(|e| e.message.starts_with("[en] has no `online` yet")
            && !e.is_error()
            && e.location.file == Path::new("themes/default/leaflet/strings.toml")),
        "{gaps:?}"
    );

    // A theme without fonts is told what to do.
    std::fs::remove_dir_all(d.path().join("themes/default/fonts")).unwrap();
    let errs = leaflet::make_all(&site, d.path(), &LeafletOptions::default()).unwrap_err();
    assert!(errs.items[0].message.contains("no fonts"), "{errs:?}");
}

/// Typst uses rayon inside. When leaflets were made on rayon's workers, a worker waiting for that
/// inner work stole other leaflets and laid them out on top of its own stack, and 200 services
/// with long texts overflowed the stack (a crash, found by the benchmark). Many long services at
/// once must simply work.
#[test]
fn many_long_services_do_not_overflow_the_stack() {
    let d = site_copy();
    let services = d.path().join("content/services");
    let model = services.join("pagalba-i-namus");
    let paragraph = "Socialinis darbuotojas atvyksta į namus ir padeda tvarkytis kasdienius reikalus. ".repeat(12);
    let mut body = String::new();
    for h in 0..8 {
        body.push_str(&format!("\n## Skyrius {h}\n\n{paragraph}\n\n"));
        for k in 1..=6 {
            body.push_str(&format!("{k}. **Punktas** {k}: {}\n", &paragraph[..120]));
        }
        body.push_str("\n| Dalis | Trukmė | Kaina |\n|---|---:|---:|\n| Pagalba | 4 val. | nemokamai |\n| Slauga | 2 val. | 12 Eur |\n\n");
    }
    for i in 0..120 {
        let to = services.join(format!("ilga-{i}"));
        std::fs::create_dir_all(&to).unwrap();
        for f in ["service.toml", "index.lt.md", "index.en.md"] {
            let mut text = std::fs::read_to_string(model.join(f)).unwrap();
            if f.ends_with(".md") {
                text = text.replacen("slug = \"", &format!("slug = \"ilga-{i}-"), 1) + &body;
                text = text.lines().filter(|l| !l.starts_with("translated_from")).collect::<Vec<_>>().join("\n") + "\n";
            }
            std::fs::write(to.join(f), text).unwrap();
        }
    }
    let (site, _, _) = skaidra::pipeline::load_site(d.path(), None).map_err(|e| format!("{:?}", e.items)).unwrap();
    let ls = leaflet::make_all(&site, d.path(), &LeafletOptions::default()).unwrap_or_else(|e| panic!("{e:?}"));
    let long = ls.iter().filter(|l| l.path.contains("ilga-")).collect::<Vec<_>>();
    assert_eq!(long.len(), 240, "every long service has a leaflet in both languages");
    assert!(long.iter().all(|l| l.pages > 2), "the long texts take several pages");
}

/// The print-shop files as `skaidra leaflets --print-shop` writes them: every file's page count
/// (read back with `pdfinfo`) suits the binding the manifest gives it, booklets come in fours,
/// the example needs no blank pages, and the easy-read home-help booklet ends on a full back page.
#[test]
fn print_shop_booklets_come_in_fours_and_the_manifest_says_how_to_bind_them() {
    let out = tempfile::tempdir().unwrap();
    let run = common::skaidra_in(
        root(),
        &["leaflets", "--root", root().to_str().unwrap(), "--print-shop", "--out", out.path().to_str().unwrap()],
    );
    run.expect_code(0);
    let leaflets = out.path().join("leaflets");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(leaflets.join("print-manifest.json")).unwrap()).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 68);
    let csv = std::fs::read_to_string(leaflets.join("print-manifest.csv")).unwrap();
    let mut booklets = 0;
    for f in files {
        let file = f["file"].as_str().unwrap();
        let pdf = leaflets.join(file);
        let pages: usize = field(&info(&pdf, &[]), "Pages").parse().unwrap();
        assert_eq!(f["pages"], pages, "{file}: the manifest's page count is the file's");
        let binding = f["binding"].as_str().unwrap();
        let (want, sheets) = match pages {
            1 | 2 => ("single sheet", 1),
            4 => ("folded sheet", 1),
            n if n % 4 == 0 => ("saddle-stitched booklet", n / 4),
            n => panic!("{file}: {n} pages, which no binding takes (manifest: {binding:?})"),
        };
        assert_eq!(binding, want, "{file}: {pages} pages");
        assert_eq!(f["sheets"], sheets, "{file}");
        assert_eq!(f["blank_pages"], 0, "{file}: the layout reaches the count without blank pages");
        let row =
            csv.lines().find(|r| r.starts_with(&format!("{file},"))).unwrap_or_else(|| panic!("{file} in the CSV"));
        assert!(row.contains(&format!(",{binding},")), "{file}: the CSV gives the binding: {row}");
        if pages >= 8 {
            booklets += 1;
        }
    }
    assert!(booklets > 0, "the example has easy-read leaflets long enough to be booklets");

    // Made again, the leaflets come from the cache, their print layouts too: the same manifest.
    let again = tempfile::tempdir().unwrap();
    common::skaidra_in(
        root(),
        &["leaflets", "--root", root().to_str().unwrap(), "--print-shop", "--out", again.path().to_str().unwrap()],
    )
    .expect_code(0);
    let manifest = |dir: &std::path::Path| std::fs::read_to_string(dir.join("leaflets/print-manifest.json")).unwrap();
    assert_eq!(manifest(out.path()), manifest(again.path()), "a cached leaflet keeps its print layout");

    // The easy-read home-help leaflet (more than four pages as the text runs) is a folded sheet or a
    // booklet whose last page is at least half full, not a few lines at the top.
    let file = "print/lt/paslaugos-pagalba-i-namus-lengvai.pdf";
    let pdf = leaflets.join(file);
    let pages: usize = field(&info(&pdf, &[]), "Pages").parse().unwrap();
    assert!(pages == 4 || pages == 8, "{file}: {pages} pages");
    let last = pages.to_string();
    let words = tool("pdftotext", &["-bbox", "-f", &last, "-l", &last, pdf.to_str().unwrap(), "-"]);
    let height: f64 = words.split("<page width=").nth(1).and_then(|p| p.split("height=\"").nth(1)).unwrap()[..10]
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // The lowest word above the page number at the foot of the page.
    let lowest = words
        .lines()
        .filter(|l| l.contains("<word "))
        .filter(|l| !l.contains(&format!(">{last}<")) && !l.contains(">/<") && !l.contains(">Puslapis<"))
        .filter_map(|l| l.split("yMax=\"").nth(1)?.split('"').next()?.parse::<f64>().ok())
        .fold(0.0, f64::max);
    assert!(
        lowest > height * 0.5,
        "{file}: the last page's text ends at {lowest:.0} of {height:.0} pt, the rest of the page empty"
    );
    // The pages for the reader's notes come before the back cover; every other page has text.
    let entry = files.iter().find(|f| f["file"] == file).unwrap();
    let notes = entry["notes_pages"].as_u64().unwrap() as usize;
    for n in (1..pages).filter(|n| *n < pages - notes) {
        let n = n.to_string();
        let t = tool("pdftotext", &["-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"]);
        assert!(t.split_whitespace().count() > 8, "{file}: page {n} has next to nothing on it: {t:?}");
    }
    artifact(&pdf, "a5-easy-lt-print-shop", None);
}
