//! Opening hours in a small, OpenStreetMap-like syntax: `Mo-Th 08:00-17:00; Fr 08:00-15:45`.
//! Several time ranges per rule are separated by commas (`Mo-Fr 08:00-12:00,13:00-17:00`).

use super::ValueError;

/// Weekday keys, Monday first; i18n has a name for each (`days.mo` ...).
pub const DAYS: [&str; 7] = ["mo", "tu", "we", "th", "fr", "sa", "su"];

/// One rule: a set of days and the times on those days.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    /// First and last day key of the span (equal for a single day).
    pub from: &'static str,
    pub to: &'static str,
    /// Time ranges such as `08:00–17:00`, in order.
    pub times: Vec<(String, String)>,
}

/// How opening hours are written (the hint of their messages, and their help in the editor).
pub const HINT: &str = "write days and times like \"Mo-Th 08:00-17:00; Fr 08:00-15:45\" (days: Mo Tu We Th Fr Sa Su)";

/// Parses opening hours. Days may not overlap between rules; times must be valid and increasing.
pub fn parse(input: &str) -> Result<Vec<Rule>, ValueError> {
    let hint = HINT;
    let mut rules = Vec::new();
    let mut seen = [false; 7];
    for part in input.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (days, times) =
            part.split_once(' ').ok_or_else(|| ValueError::new(format!("`{part}` needs days and times"), hint))?;
        let (from, to) = match days.split_once('-') {
            Some((a, b)) => (day_index(a, hint)?, day_index(b, hint)?),
            None => {
                let d = day_index(days, hint)?;
                (d, d)
            }
        };
        if to < from {
            return Err(ValueError::new(format!("`{days}` goes backwards"), "write the earlier day first, like Mo-Fr"));
        }
        for (i, s) in seen.iter_mut().enumerate().take(to + 1).skip(from) {
            if *s {
                return Err(ValueError::new(format!("{} appears in two rules", DAYS[i]), "give each day only once"));
            }
            *s = true;
        }
        let mut ranges = Vec::new();
        let mut last_end = 0;
        for range in times.split(',').map(str::trim) {
            let (a, b) =
                range.split_once('-').ok_or_else(|| ValueError::new(format!("`{range}` is not a time range"), hint))?;
            let (sa, ma) = time(a.trim(), hint)?;
            let (sb, mb) = time(b.trim(), hint)?;
            if mb <= ma || ma < last_end {
                return Err(ValueError::new(format!("the times in `{range}` are not in order"), hint));
            }
            last_end = mb;
            ranges.push((sa, sb));
        }
        rules.push(Rule { from: DAYS[from], to: DAYS[to], times: ranges });
    }
    if rules.is_empty() {
        return Err(ValueError::new("the opening hours are empty", hint));
    }
    Ok(rules)
}

fn day_index(s: &str, hint: &str) -> Result<usize, ValueError> {
    DAYS.iter()
        .position(|d| d.eq_ignore_ascii_case(s.trim()))
        .ok_or_else(|| ValueError::new(format!("`{s}` is not a day"), hint))
}

/// Parses `8:00` or `08:00` into a display string `8:00` and minutes since midnight.
fn time(s: &str, hint: &str) -> Result<(String, u32), ValueError> {
    let bad = || ValueError::new(format!("`{s}` is not a time of day"), hint);
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let (Some(h), Some(m)) = (super::whole_number(h), super::whole_number(m)) else { return Err(bad()) };
    if h > 24 || m > 59 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok((format!("{h}:{m:02}"), h * 60 + m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_digits_only() {
        for t in ["+8:00", "8:+5", "-1:00", " 8:00", "8:0 "] {
            assert!(time(t, "").is_err(), "{t} was taken as a time");
        }
        assert_eq!(time("08:05", "").ok(), Some(("8:05".to_string(), 485)));
    }

    #[test]
    fn parses_hours() {
        let r = parse("Mo-Th 08:00-17:00; Fr 8:00-15:45").unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].from, r[0].to), ("mo", "th"));
        assert_eq!(r[1].times, vec![("8:00".into(), "15:45".into())]);
        let split = parse("Mo-Fr 08:00-12:00, 13:00-17:00").unwrap();
        assert_eq!(split[0].times.len(), 2);
    }

    #[test]
    fn rejects_bad_hours() {
        for bad in [
            "",
            "Mo",
            "Xx 08:00-17:00",
            "Fr-Mo 08:00-17:00",
            "Mo 17:00-08:00",
            "Mo 25:00-26:00",
            "Mo-Fr 08:00-17:00; We 09:00-10:00",
            "Mo 8-17",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
