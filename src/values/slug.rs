//! URL segments: checking editor-written slugs and ids, and making slugs from labels (Lithuanian
//! letters transliterated).

use super::ValueError;

/// Checks a slug or id: lowercase ASCII letters, digits and single hyphens, one URL segment.
pub fn check(s: &str, what: &str) -> Result<(), ValueError> {
    if s.is_empty() {
        return Err(ValueError::new(
            format!("the {what} is empty"),
            "use lowercase letters, digits and hyphens, like pagalba-i-namus",
        ));
    }
    if s.contains('/') || s.contains('\\') || s.contains("..") {
        return Err(ValueError::new(
            format!("the {what} `{s}` contains `/`, `\\` or `..`; it must be a single URL segment"),
            match slugify(s) {
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
        let suggestion = slugify(s);
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

/// Makes a slug from a label: lowercase, Lithuanian (and other Latin) letters without diacritics,
/// everything else turned into single hyphens.
pub fn slugify(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'ą' | 'á' | 'à' | 'ä' | 'â' | 'ā' => 'a',
            'č' | 'ç' | 'ć' => 'c',
            'ę' | 'ė' | 'é' | 'è' | 'ë' | 'ê' | 'ē' => 'e',
            'į' | 'í' | 'ì' | 'ï' | 'î' | 'ī' => 'i',
            'š' | 'ś' => 's',
            'ų' | 'ū' | 'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ž' | 'ź' | 'ż' => 'z',
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' | 'ō' => 'o',
            'ł' => 'l',
            'ñ' | 'ń' => 'n',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if mapped == '-' {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(mapped);
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
    }

    #[test]
    fn checks_slugs() {
        assert!(check("pagalba-i-namus", "slug").is_ok());
        for bad in ["", "a/b", "..", "../etc", "Pagalba", "a--b", "-a", "ą", "a b"] {
            assert!(check(bad, "slug").is_err(), "{bad}");
        }
        assert!(check("../x", "slug").unwrap_err().message.contains("single URL segment"));
    }
}
