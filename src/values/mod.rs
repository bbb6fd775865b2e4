//! Value parsers for the small languages inside content fields: phone numbers, durations
//! ("6 months"), opening hours, slugs, e-mail addresses and web addresses; dates written other
//! ways than year-month-day, read for a better message.
//!
//! Each parser takes a string and returns a typed value or a message (and hint) for the editor.
//! They know nothing of files; callers attach locations.

pub mod date;
pub mod duration;
pub mod hours;
pub mod phone;
pub mod slug;

/// What was wrong with a value, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub message: String,
    pub hint: String,
}

impl ValueError {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        ValueError { message: message.into(), hint: hint.into() }
    }
}

/// A whole number written in digits only: `str::parse` would also take a sign (`+6`, `+8:00`).
pub fn whole_number(s: &str) -> Option<u32> {
    s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok()).flatten()
}

/// How an e-mail address is written (the hint of its messages, and its help in the editor).
pub const EMAIL_HINT: &str = "write it like name@example.lt, without spaces or `mailto:`";
/// How a web address is written (the hint of its messages, and its help in the editor).
pub const URL_HINT: &str = "write the full address, starting with https://";

/// Checks that an e-mail address is well formed (one `@`, a dotted domain, no spaces).
pub fn check_email(s: &str) -> Result<(), ValueError> {
    let bad = || ValueError::new(format!("`{s}` is not a valid e-mail address"), EMAIL_HINT);
    let (local, domain) = s.split_once('@').ok_or_else(bad)?;
    let ok_chars = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    if !ok_chars(local)
        || !ok_chars(domain)
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return Err(bad());
    }
    Ok(())
}

/// Checks that a web address is absolute and well formed. Returns whether it uses https.
pub fn check_url(s: &str) -> Result<bool, ValueError> {
    let parsed =
        url::Url::parse(s).map_err(|e| ValueError::new(format!("`{s}` is not a valid web address ({e})"), URL_HINT))?;
    match parsed.scheme() {
        "https" => Ok(true),
        "http" => Ok(false),
        other => Err(ValueError::new(
            format!("`{s}` uses the `{other}:` scheme, which is not a web page"),
            "use an https:// address",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(check_email("soc_parama@alytus.lt").is_ok());
        for bad in ["soc_parama", "a@b", "a b@c.lt", "@alytus.lt", "a@@alytus.lt", "a@.lt", "mailto:a@b.lt"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert_eq!(check_url("https://www.aspc.lt"), Ok(true));
        assert_eq!(check_url("http://www.aspc.lt"), Ok(false));
        assert!(check_url("www.aspc.lt").is_err());
        assert!(check_url("javascript:alert(1)").is_err());
    }
}
