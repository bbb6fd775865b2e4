//! URL segments: checking editor-written slugs and ids, and making slugs from titles and labels
//! written in any script.
//!
//! Letters are transliterated to ASCII by libraries: Ukrainian text by the national system of
//! Ukraine (KMU 55:2010, crate `uklatn`: "Діти" -> `dity`, "Громада" -> `hromada`), every other
//! script by `any_ascii` ("Дети" -> `deti`, "Παιδιά" -> `paidia`, "Żłobek" -> `zlobek`,
//! "Straße" -> `strasse`). A general table cannot serve both Russian and Ukrainian: the same
//! letter и reads `i` in one and `y` in the other, and г is `g` and `h`.

use super::ValueError;

/// How a slug or id is written (the hint of its messages, and its help in the editor).
pub const HINT: &str = "use lowercase letters, digits and hyphens, like pagalba-i-namus";

/// Checks a slug or id: lowercase ASCII letters, digits and single hyphens, one URL segment.
pub fn check(s: &str, what: &str) -> Result<(), ValueError> {
    check_in(s, what, "")
}

/// [`check`] for a slug of a text in `lang`: the suggested fix is transliterated as that
/// language reads.
pub fn check_in(s: &str, what: &str, lang: &str) -> Result<(), ValueError> {
    if s.is_empty() {
        return Err(ValueError::new(format!("the {what} is empty"), HINT));
    }
    if s.contains('/') || s.contains('\\') || s.contains("..") {
        return Err(ValueError::new(
            format!("the {what} `{s}` contains `/`, `\\` or `..`; it must be a single URL segment"),
            match slugify_in(s, lang) {
                x if x.is_empty() => "use lowercase letters, digits and hyphens only, like pagalba-i-namus".to_string(),
                x => format!("use lowercase letters, digits and hyphens only, like `{x}`"),
            },
        ));
    }
    let ok = s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    if !ok {
        let suggestion = slugify_in(s, lang);
        return Err(ValueError::new(
            format!("the {what} `{s}` may only contain lowercase letters a-z, digits and single hyphens"),
            if suggestion.is_empty() {
                "use lowercase letters, digits and hyphens".to_string()
            } else {
                format!("write `{suggestion}`")
            },
        ));
    }
    Ok(())
}

/// Makes a slug from a label in any script: letters transliterated to lowercase ASCII (see the
/// module), everything else turned into single hyphens. For text whose language is known, use
/// [`slugify_in`].
pub fn slugify(label: &str) -> String {
    slugify_in(label, "")
}

/// Makes a slug from a label written in `lang` (an ISO 639 code): as [`slugify`], with the
/// language's own transliteration where a library has one (Ukrainian).
pub fn slugify_in(label: &str, lang: &str) -> String {
    if lang == "uk" && !label.is_ascii() { fold(&uklatn::encode(label, uklatn::Table::Kmu55)) } else { fold(label) }
}

/// Lowercase ASCII letters and digits, single hyphens between runs of them. Letters of other
/// scripts are transliterated by `any_ascii`; the apostrophes it writes for soft and hard signs
/// (Russian `ь`, `ъ`) are dropped, so a word stays one word.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let push = |c: char, out: &mut String| {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c, &mut out);
        } else {
            let ascii = any_ascii::any_ascii_char(c);
            if ascii.is_empty() {
                push(' ', &mut out);
            }
            for a in ascii.chars().filter(|a| !matches!(a, '\'' | '`')) {
                push(a, &mut out);
            }
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugifies_lithuanian() {
        assert_eq!(slugify("Pagalba į namus"), "pagalba-i-namus");
        assert_eq!(slugify("Senyvo amžiaus žmonės"), "senyvo-amziaus-zmones");
        assert_eq!(slugify("  Šeimos & vaikai!! "), "seimos-vaikai");
        assert_eq!(slugify_in("Ąžuolų gatvė 5", "lt"), "azuolu-gatve-5");
    }

    /// Real labels of social services, as a municipality would write them, in the languages
    /// residents of Lithuania read. Ukrainian follows Ukraine's national system (и -> y, г -> h,
    /// і -> i), Russian reads as Russian (и -> i, г -> g).
    #[test]
    fn slugifies_labels_in_every_script() {
        let cases = [
            ("uk", "Діти", "dity"),
            ("uk", "Люди похилого віку", "liudy-pokhyloho-viku"),
            ("uk", "Сім'ї з дітьми", "simi-z-ditmy"),
            ("uk", "Громадський транспорт", "hromadskyi-transport"),
            ("uk", "Їжа та житло", "yizha-ta-zhytlo"),
            ("uk", "Особи з інвалідністю", "osoby-z-invalidnistiu"),
            ("ru", "Дети", "deti"),
            ("ru", "Пожилые люди", "pozhilye-lyudi"),
            ("ru", "Помощь на дому", "pomoshch-na-domu"),
            ("ru", "Семьи с детьми", "semi-s-detmi"),
            ("ru", "Объявление", "obyavlenie"),
            ("be", "Дзеці", "dzetsi"),
            ("be", "Пажылыя людзі", "pazhylyya-lyudzi"),
            ("be", "Ўсход", "uskhod"),
            ("pl", "Żłobek", "zlobek"),
            ("pl", "Dzieci i młodzież", "dzieci-i-mlodziez"),
            ("pl", "Łódź", "lodz"),
            ("lv", "Palīdzība mājās", "palidziba-majas"),
            ("lv", "Ģimenes ar bērniem", "gimenes-ar-berniem"),
            ("lv", "Ķekava", "kekava"),
            ("de", "Hilfe für Senioren", "hilfe-fur-senioren"),
            ("de", "Straße", "strasse"),
            ("de", "Ältere Menschen", "altere-menschen"),
            ("el", "Παιδιά", "paidia"),
            ("el", "Ηλικιωμένοι", "ilikiomenoi"),
            ("el", "Βοήθεια στο σπίτι", "voitheia-sto-spiti"),
        ];
        for (lang, label, want) in cases {
            assert_eq!(slugify_in(label, lang), want, "{lang}: {label}");
        }
        // The same Cyrillic word reads differently in Ukrainian and Russian.
        assert_ne!(slugify_in("Діти", "uk"), slugify_in("Діти", "ru"));
        // A label of nothing but signs has no slug.
        assert_eq!(slugify_in("— ! —", "uk"), "");
    }

    #[test]
    fn checks_slugs() {
        assert!(check("pagalba-i-namus", "slug").is_ok());
        for bad in ["", "a/b", "..", "../etc", "Pagalba", "a--b", "-a", "ą", "a b"] {
            assert!(check(bad, "slug").is_err(), "{bad}");
        }
        assert!(check("../x", "slug").unwrap_err().message.contains("single URL segment"));
        assert_eq!(check_in("Діти", "slug", "uk").unwrap_err().hint, "write `dity`");
        assert_eq!(check_in("Дети", "slug", "ru").unwrap_err().hint, "write `deti`");
    }
}
