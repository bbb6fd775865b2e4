//! Lithuanian phone numbers: parsing `+370 ...`, `8 ...` and `00370 ...` forms, normalising to E.164
//! for `tel:` links, and the Lithuanian way of grouping digits for display.

use super::ValueError;

/// How a phone number is written (the hint of its messages, and its help in the editor).
pub const HINT: &str = "write it like +370 315 56 660";

/// A phone number that has been checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
pub struct Phone {
    /// E.164 form for `tel:` links, e.g. `+37031556660`.
    pub e164: String,
    /// Grouped for reading, e.g. `+370 315 56 660`.
    pub display: String,
}

/// Parses a phone number. Lithuanian numbers must have 8 digits after the country code (or after the
/// national prefix 8). Numbers of other countries are accepted in international `+` form.
pub fn parse(input: &str) -> Result<Phone, ValueError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ValueError::new("the phone number is empty", HINT));
    }
    if let Some(c) = s.chars().find(|c| !(c.is_ascii_digit() || " +-()./\u{a0}".contains(*c))) {
        return Err(ValueError::new(
            format!("the phone number `{s}` contains `{c}`"),
            "use only digits, spaces and a leading +, like +370 315 56 660",
        ));
    }
    if s[1.min(s.len())..].contains('+') || (s.contains('+') && !s.starts_with('+')) {
        return Err(ValueError::new(format!("`{s}` has a `+` that is not at the start"), HINT));
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let national = if s.starts_with('+') {
        if let Some(rest) = digits.strip_prefix("370") {
            rest.to_string()
        } else {
            if !(8..=15).contains(&digits.len()) {
                return Err(ValueError::new(
                    format!("`{s}` is not a valid international phone number"),
                    "an international number has 8 to 15 digits after the +",
                ));
            }
            return Ok(Phone { e164: format!("+{digits}"), display: s.to_string() });
        }
    } else if let Some(rest) = digits.strip_prefix("00370") {
        rest.to_string()
    } else if let Some(rest) = digits.strip_prefix('8') {
        rest.to_string()
    } else {
        return Err(ValueError::new(
            format!("`{s}` is not a Lithuanian phone number"),
            "start with +370 (or the national prefix 8), like +370 315 56 660 or 8 315 56 660",
        ));
    };
    if national.len() != 8 {
        return Err(ValueError::new(
            format!("`{s}` has {} digits after the country code; Lithuanian numbers have 8", national.len()),
            "check for a missing or extra digit; write it like +370 315 56 660",
        ));
    }
    if national.starts_with('0') {
        return Err(ValueError::new(format!("`{s}` has an area code starting with 0"), HINT));
    }
    Ok(Phone { e164: format!("+370{national}"), display: format!("+370 {}", group_national(&national)) })
}

/// Groups the 8 national digits the Lithuanian way: area code, then the subscriber number in
/// groups (`315 56 660`, `5 212 3456`, `37 123 456`, `612 34567`).
fn group_national(n: &str) -> String {
    let (area, rest) = match n.as_bytes()[0] {
        b'5' => n.split_at(1),
        b'6' | b'7' | b'8' | b'9' => return format!("{} {}", &n[..3], &n[3..]),
        _ if matches!(&n[..2], "37" | "41" | "45" | "46") => n.split_at(2),
        _ => n.split_at(3),
    };
    let grouped = match rest.len() {
        7 => format!("{} {}", &rest[..3], &rest[3..]),
        6 => format!("{} {}", &rest[..3], &rest[3..]),
        5 => format!("{} {}", &rest[..2], &rest[2..]),
        _ => rest.to_string(),
    };
    format!("{area} {grouped}")
}

/// Whether the number is written with the Lithuanian grouping (international or national form).
pub fn is_grouped_lithuanian_way(input: &str) -> bool {
    match parse(input) {
        Ok(p) if p.e164.starts_with("+370") => {
            let national_display = format!("8 {}", &p.display[5..]);
            let written = input.trim().replace('\u{a0}', " ");
            written == p.display || written == national_display
        }
        Ok(_) => true,
        Err(_) => false,
    }
}

/// Finds phone numbers written in running text: runs of digits, spaces and hyphens that start with
/// `+` or the national prefix `8` and hold at least 8 digits. Returns (char index, the run).
pub fn find_in_text(text: &str) -> Vec<(usize, String)> {
    // `+` and `8` are ASCII, so they are found byte by byte (no byte of a longer UTF-8 character
    // is below 0x80), and only their neighbours are decoded: this runs over every text `check`
    // reads. A run's bytes are its characters; characters are counted only up to each run found.
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut counted, mut index) = (0, 0);
    let mut from = 0;
    while let Some(p) = memchr::memchr2(b'+', b'8', &bytes[from..]) {
        let start = from + p;
        from = start + 1;
        if text[..start].chars().next_back().is_some_and(char::is_alphanumeric) {
            continue;
        }
        let rest = bytes[start + 1..].iter().take_while(|b| b.is_ascii_digit() || **b == b' ' || **b == b'-').count();
        let run = text[start..start + 1 + rest].trim_end_matches([' ', '-']);
        if run.bytes().filter(u8::is_ascii_digit).count() >= 8 {
            index += text[counted..start].chars().count();
            counted = start;
            out.push((index, run.to_string()));
            from = start + run.len();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_groups() {
        let p = parse("+370 315 56 660").unwrap();
        assert_eq!(p.e164, "+37031556660");
        assert_eq!(p.display, "+370 315 56 660");
        assert_eq!(parse("8 315 56660").unwrap().display, "+370 315 56 660");
        assert_eq!(parse("8 700 35545").unwrap().display, "+370 700 35545");
        assert_eq!(parse("(8 5) 212 3456").unwrap().display, "+370 5 212 3456");
        assert_eq!(parse("+37061234567").unwrap().display, "+370 612 34567");
        assert_eq!(parse("+370 37 123 456").unwrap().display, "+370 37 123 456");
        assert_eq!(parse("+44 20 7946 0958").unwrap().e164, "+442079460958");
    }

    #[test]
    fn rejects_wrong_numbers() {
        for bad in [
            "",
            "315 56 660",
            "+370 315 56 66",
            "+370 315 56 6600",
            "8 315 5666x",
            "tel:+37031556660",
            "+370+31556660",
            "+370 015 56 660",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn finds_numbers_in_text() {
        let found = find_in_text("Skambinkite +370 315 56 660 arba 8 700 35545. Kaina 8 eurai, 2026-10-01.");
        let runs: Vec<&str> = found.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(runs, ["+370 315 56 660", "8 700 35545"]);
        assert_eq!(found[0].0, 12);
        // Indexes count characters, not bytes; a run after a letter is not a number's start; a
        // trailing hyphen is not part of the run, and the search goes on after a run.
        let found = find_in_text("Ą8 700 35545 ž +370 315 56 660- ir š8 700 35545");
        assert_eq!(found, [(15, "+370 315 56 660".to_string())]);
        let found = find_in_text("ž ž +370 315 56 660, 8 700 35545");
        assert_eq!(found, [(4, "+370 315 56 660".to_string()), (21, "8 700 35545".to_string())]);
    }

    /// The search agrees with the plain definition (a scan over the text's characters) on 200,000
    /// texts of up to 14 characters from an alphabet of the characters that matter, and on long
    /// ones made from it.
    #[test]
    fn finds_what_a_scan_over_the_characters_finds() {
        fn by_chars(text: &str) -> Vec<(usize, String)> {
            let chars: Vec<char> = text.chars().collect();
            let mut out = Vec::new();
            let mut i = 0;
            while i < chars.len() {
                if (chars[i] == '+' || chars[i] == '8') && (i == 0 || !chars[i - 1].is_alphanumeric()) {
                    let mut j = i + 1;
                    while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == ' ' || chars[j] == '-') {
                        j += 1;
                    }
                    let run: String = chars[i..j].iter().collect::<String>().trim_end_matches([' ', '-']).to_string();
                    if run.chars().filter(char::is_ascii_digit).count() >= 8 {
                        i += run.chars().count();
                        out.push((i - run.chars().count(), run));
                        continue;
                    }
                }
                i += 1;
            }
            out
        }
        let alphabet = ['8', '+', '3', '0', ' ', '-', 'a', 'ž', '.', '\n'];
        let mut seed: u64 = 7;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let mut checked = 0;
        for _ in 0..200_000 {
            let len = next() % 15;
            let text: String = (0..len)
                .map(|_| if next() % 2 == 0 { alphabet[next() % alphabet.len()] } else { ['8', '3', '0'][next() % 3] })
                .collect();
            assert_eq!(find_in_text(&text), by_chars(&text), "{text:?}");
            checked += usize::from(!by_chars(&text).is_empty());
        }
        for _ in 0..2_000 {
            let text: String = (0..400)
                .map(|_| if next() % 3 == 0 { alphabet[next() % alphabet.len()] } else { ['8', '1', ' '][next() % 3] })
                .collect();
            assert_eq!(find_in_text(&text), by_chars(&text), "{text:?}");
        }
        assert!(checked > 2_000, "the short texts hold numbers ({checked})");
    }

    #[test]
    fn grouping_lint() {
        assert!(is_grouped_lithuanian_way("+370 315 56 660"));
        assert!(is_grouped_lithuanian_way("8 315 56 660"));
        assert!(!is_grouped_lithuanian_way("+37031556660"));
        assert!(!is_grouped_lithuanian_way("8-315-56-660"));
    }
}
