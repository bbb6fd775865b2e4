//! Colour contrast of the theme: reads the CSS custom properties (`--name: #rrggbb;`) of the
//! theme's `static/style.css` and checks the pairs the theme declares in `theme.toml`
//! (`[[contrast]] foreground, background, min`) with the WCAG 2 contrast formula.

use crate::diagnostics::{Code, Diagnostic, Location, SourceText};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeToml {
    #[serde(default)]
    contrast: Vec<Pair>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    foreground: String,
    background: String,
    min: f64,
    #[serde(default)]
    what: String,
}

/// Parses `#rgb` or `#rrggbb`.
pub fn parse_hex(s: &str) -> Option<(u8, u8, u8)> {
    let h = s.trim().strip_prefix('#')?;
    let v = |x: &str| u8::from_str_radix(x, 16).ok();
    match h.len() {
        3 => Some((v(&h[0..1].repeat(2))?, v(&h[1..2].repeat(2))?, v(&h[2..3].repeat(2))?)),
        6 => Some((v(&h[0..2])?, v(&h[2..4])?, v(&h[4..6])?)),
        _ => None,
    }
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let ch = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
}

/// The WCAG contrast ratio of two colours (1 to 21).
pub fn ratio(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Checks the theme in `theme_dir` (relative paths in messages are made from `root`).
pub fn check_theme(root: &Path, theme_dir: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let toml_path = theme_dir.join("theme.toml");
    let css_path = theme_dir.join("static/style.css");
    let (Ok(toml_text), Ok(css)) = (std::fs::read_to_string(&toml_path), std::fs::read_to_string(&css_path)) else {
        return out;
    };
    let shown_toml = crate::diagnostics::display_path(root, &toml_path);
    let shown_css = crate::diagnostics::display_path(root, &css_path);
    let toml_src = SourceText::new(shown_toml, toml_text.clone());
    let theme: ThemeToml = match toml::from_str(&toml_text) {
        Ok(t) => t,
        Err(e) => {
            out.push(crate::source::toml_error(&toml_src, 0, &e));
            return out;
        }
    };
    let css_src = SourceText::new(shown_css.clone(), css.clone());
    let mut vars: HashMap<String, ((u8, u8, u8), Location)> = HashMap::new();
    let mut offset = 0;
    for line in css.split_inclusive('\n') {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("--")
            && let Some((name, value)) = rest.split_once(':')
            && let Some(c) = parse_hex(value.trim().trim_end_matches(';').trim())
        {
            let col = line.len() - line.trim_start().len();
            vars.insert(name.trim().to_string(), (c, css_src.location(offset + col)));
        }
        offset += line.len();
    }
    for p in &theme.contrast {
        let (Some((fg, at)), Some((bg, _))) = (vars.get(&p.foreground), vars.get(&p.background)) else {
            // Name the colour that is missing, where theme.toml names it.
            let missing = if vars.contains_key(&p.foreground) { &p.background } else { &p.foreground };
            let at = toml_src
                .text
                .find(&format!("\"{missing}\""))
                .map(|o| toml_src.location(o))
                .unwrap_or_else(|| Location::file(&toml_src.path));
            let known: Vec<&str> = vars.keys().map(String::as_str).collect();
            let hint = match crate::diagnostics::did_you_mean(missing, known.iter().copied()) {
                Some(c) => format!("did you mean `{c}`? Or define `--{missing}` in :root of style.css as #rrggbb"),
                None => format!("define `--{missing}` in :root of style.css as #rrggbb"),
            };
            out.push(
                Diagnostic::warning(
                    Code::Contrast,
                    at,
                    format!("the colour `--{missing}` is not defined as a hex colour in {}", shown_css.display()),
                )
                .with_hint(hint),
            );
            continue;
        };
        let r = ratio(*fg, *bg);
        if r + 1e-9 < p.min {
            out.push(
                Diagnostic::warning(
                    Code::Contrast,
                    at.clone(),
                    format!(
                        "{} (`--{}` on `--{}`) has a contrast of {r:.2}:1; at least {}:1 is needed",
                        if p.what.is_empty() { "text" } else { &p.what },
                        p.foreground,
                        p.background,
                        p.min
                    ),
                )
                .with_hint("darken the text colour or lighten the background"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wcag_ratios() {
        assert!((ratio((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 0.01);
        assert!((ratio(parse_hex("#777").unwrap(), parse_hex("#fff").unwrap()) - 4.48).abs() < 0.01);
        assert_eq!(parse_hex("#0b4a8f"), Some((11, 74, 143)));
        assert_eq!(parse_hex("red"), None);
    }

    #[test]
    fn finds_low_contrast_pairs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(
            dir.path().join("static/style.css"),
            ":root {\n  --text: #999999;\n  --background: #ffffff;\n}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("theme.toml"),
            "[[contrast]]\nforeground = \"text\"\nbackground = \"background\"\nmin = 7.0\n",
        )
        .unwrap();
        let d = check_theme(dir.path(), dir.path());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location.line, 2);
        assert!(d[0].message.contains("2.85:1"), "{}", d[0].message);
    }
}
