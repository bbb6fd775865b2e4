//! Dates written other ways than year-month-day (`2026.11.05`, `2026/11/05`, `05.11.2026`,
//! `2026-11-5`): read to say which date to write instead. Skaidra itself reads only
//! `2026-11-05`; this module only makes the message.

use chrono::{Datelike, NaiveDate};

/// A date written another way, as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loose {
    /// The date it means (`2026.11.05`, `05.11.2026`). `day_first_guess`: the order of day and
    /// month could not be told (`05/11/2026`) and was taken as day first.
    Date { date: NaiveDate, day_first_guess: bool },
    /// Year, month and day that make no date (`2026.02.30`).
    NoSuchDay { year: i32, month: u32, day: u32 },
}

/// Reads `text` as a date written with dots, slashes or hyphens, year first (`2026.11.05`) or
/// day first (`05.11.2026`; with slashes, month first when the day comes second and is over 12:
/// `11/25/2026`). `None` when it does not look like a date.
pub fn read_loose(text: &str) -> Option<Loose> {
    let t = text.trim().trim_end_matches('.');
    let sep = t.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, '.' | '/' | '-') {
        return None;
    }
    let parts: Vec<&str> = t.split(sep).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let num = |p: &str| p.parse::<u32>().ok();
    let (year, month, day, guess) = match (parts[0].len(), parts[1].len(), parts[2].len()) {
        (4, 1..=2, 1..=2) => (num(parts[0])?, num(parts[1])?, num(parts[2])?, false),
        (1..=2, 1..=2, 4) => {
            let (a, b, y) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
            if sep == '/' && a <= 12 && b > 12 { (y, a, b, false) } else { (y, b, a, sep == '/' && a <= 12 && a != b) }
        }
        _ => return None,
    };
    let year = i32::try_from(year).ok()?;
    Some(match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => Loose::Date { date, day_first_guess: guess },
        None => Loose::NoSuchDay { year, month, day },
    })
}

/// The message and hint for a date field `field` whose value is written `written`, when it is
/// a date written another way. `None` when it does not look like a date, or is written as
/// year-month-day already (`2026-02-30`: what is wrong with it is said where it is read).
pub fn advice(field: &str, written: &str) -> Option<(String, String)> {
    let b = written.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        return None;
    }
    match read_loose(written)? {
        Loose::Date { date, day_first_guess } => {
            let iso = date.format("%Y-%m-%d");
            let message = format!("`{written}` is not written as year-month-day");
            let mut hint = format!("write `{field} = {iso}` (year-month-day with hyphens, no quotes)");
            if day_first_guess {
                let other = NaiveDate::from_ymd_opt(date.year(), date.day(), date.month())
                    .map(|d| format!("; if {:02} is the month, write `{field} = {}`", date.day(), d.format("%Y-%m-%d")))
                    .unwrap_or_default();
                hint = format!("{hint}, reading {:02} as the day{other}", date.day());
            }
            Some((message, hint))
        }
        Loose::NoSuchDay { year, month, day } => Some((
            if (1..=12).contains(&month) {
                format!("`{written}` is not a date: month {month} of {year} has no day {day}")
            } else {
                format!("`{written}` is not a date: there is no month {month}")
            },
            format!("check the day and the month, and write the date as year-month-day, like `{field} = 2026-10-01`"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<Loose> {
        Some(Loose::Date { date: NaiveDate::from_ymd_opt(y, m, d).unwrap(), day_first_guess: false })
    }

    #[test]
    fn reads_dates_written_other_ways() {
        assert_eq!(read_loose("2026.11.05"), date(2026, 11, 5));
        assert_eq!(read_loose("2026/11/05"), date(2026, 11, 5));
        assert_eq!(read_loose("2026-11-5"), date(2026, 11, 5));
        assert_eq!(read_loose("2026.11.05."), date(2026, 11, 5));
        // Day first, as written in Lithuania and most of Europe.
        assert_eq!(read_loose("05.11.2026"), date(2026, 11, 5));
        assert_eq!(read_loose("5.11.2026"), date(2026, 11, 5));
        assert_eq!(read_loose("25/11/2026"), date(2026, 11, 25));
        // Month first when the second number cannot be a month.
        assert_eq!(read_loose("11/25/2026"), date(2026, 11, 25));
        // Both could be the month: day first, said to be a guess.
        assert_eq!(
            read_loose("05/11/2026"),
            Some(Loose::Date { date: NaiveDate::from_ymd_opt(2026, 11, 5).unwrap(), day_first_guess: true })
        );
        assert_eq!(read_loose("2026.02.30"), Some(Loose::NoSuchDay { year: 2026, month: 2, day: 30 }));
        for not in ["", "2026", "12 months", "2026.11", "1.5", "26.11.05", "2026.11.05.1", "a.b.c", "2026 11 05"] {
            assert_eq!(read_loose(not), None, "{not}");
        }
    }

    #[test]
    fn advice_names_the_field_and_the_date() {
        let (m, h) = advice("reviewed", "2026.11.05").unwrap();
        assert_eq!(m, "`2026.11.05` is not written as year-month-day");
        assert!(h.starts_with("write `reviewed = 2026-11-05`"), "{h}");
        let (_, h) = advice("checked_on", "05.11.2026").unwrap();
        assert!(h.starts_with("write `checked_on = 2026-11-05`"), "{h}");
        assert!(!h.contains("if "), "dots are day first, no doubt: {h}");
        let (_, h) = advice("signed", "05/11/2026").unwrap();
        assert!(h.contains("`signed = 2026-11-05`") && h.contains("`signed = 2026-05-11`"), "{h}");
        let (m, _) = advice("reviewed", "2026.02.30").unwrap();
        assert!(m.contains("month 2 of 2026 has no day 30"), "{m}");
        let (m, _) = advice("reviewed", "01.13.2026").unwrap();
        assert!(m.contains("there is no month 13"), "{m}");
        assert_eq!(advice("reviewed", "soon"), None);
        assert_eq!(advice("reviewed", "2026-02-30"), None, "year-month-day already");
    }
}
