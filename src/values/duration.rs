//! Review periods such as "6 months", "1 year", "2 weeks" (English or Lithuanian units), and adding
//! them to dates.

use super::ValueError;
use chrono::{Days, Months, NaiveDate};

/// A calendar period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Period {
    Days(u32),
    Months(u32),
}

impl Period {
    /// The date `self` after `date` (month arithmetic clamps to the month's last day).
    pub fn after(self, date: NaiveDate) -> NaiveDate {
        match self {
            Period::Days(d) => date.checked_add_days(Days::new(d.into())),
            Period::Months(m) => date.checked_add_months(Months::new(m)),
        }
        .unwrap_or(NaiveDate::MAX)
    }
}

/// How a period is written (the hint of its messages, and its help in the editor).
pub const HINT: &str = "write a number and a unit, like \"6 months\", \"1 year\", \"2 weeks\" or \"30 days\"";

/// A unit's names and the period `n` of them make.
pub type Unit = (&'static [&'static str], fn(u32) -> Period);

/// The units of a period (English and Lithuanian, lowercase, each may end in dots) and the period
/// `n` of them make. The longest period is [`MAX`] units.
pub const UNITS: [Unit; 4] = [
    (&["day", "days", "d", "diena", "dienos", "dienų"], Period::Days),
    (&["week", "weeks", "w", "savaitė", "savaitės", "savaičių", "sav"], |n| Period::Days(n * 7)),
    (&["month", "months", "mo", "mėnuo", "mėnesiai", "mėnesių", "mėn"], Period::Months),
    (&["year", "years", "y", "metai", "metų", "m"], |n| Period::Months(n * 12)),
];

/// The most units a period may have.
pub const MAX: u32 = 1200;

/// Parses "6 months", "12 mėnesių", "1 year", "2 weeks", "30 days".
pub fn parse(input: &str) -> Result<Period, ValueError> {
    let s = input.trim().to_lowercase();
    let hint = HINT;
    let mut parts = s.split_whitespace();
    let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(ValueError::new(format!("`{input}` is not a period"), hint));
    };
    let n = super::whole_number(n)
        .ok_or_else(|| ValueError::new(format!("`{input}` does not start with a whole number"), hint))?;
    if n == 0 || n > MAX {
        return Err(ValueError::new(format!("`{input}` is not a sensible review period"), hint));
    }
    let unit = unit.trim_end_matches('.');
    match UNITS.iter().find(|(names, _)| names.contains(&unit)) {
        Some((_, period)) => Ok(period(n)),
        None => Err(ValueError::new(format!("`{unit}` is not a unit of time I know"), hint)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_periods() {
        assert_eq!(parse("6 months"), Ok(Period::Months(6)));
        assert_eq!(parse("1 year"), Ok(Period::Months(12)));
        assert_eq!(parse("2 weeks"), Ok(Period::Days(14)));
        assert_eq!(parse("12 mėnesių"), Ok(Period::Months(12)));
        for bad in ["", "six months", "6", "6 fortnights", "0 days", "6 months ago", "+6 months", "-6 months"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn adds_to_dates() {
        let d = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
        assert_eq!(Period::Months(6).after(d), NaiveDate::from_ymd_opt(2027, 2, 28).unwrap());
        assert_eq!(Period::Days(1).after(d), NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());
    }
}
