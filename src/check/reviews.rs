//! Review dates: an item whose next review (`reviewed` + `review_every`, or `review_by`) has
//! passed is an error; one due within the window (site.toml `[check] due_window_days`) a warning.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::Review;
use crate::resolve::Site;
use chrono::{Days, NaiveDate};

fn one(what: &str, r: &Review, today: NaiveDate, window: u64, lang: &str) -> Option<Diagnostic> {
    let due = r.due();
    let owner = r.owner.0.get(lang).or_else(|| r.owner.0.values().next()).cloned().unwrap_or_default();
    if due < today {
        let days = (today - due).num_days();
        Some(
            Diagnostic::error(
                Code::ReviewOverdue,
                r.reviewed_at.clone(),
                format!("{what} was due for review on {due} ({days} days ago); responsible: {owner}"),
            )
            .with_hint(
                "check that everything on the page is still true, correct it, then set `reviewed` to today's date",
            ),
        )
    } else if due <= today.checked_add_days(Days::new(window)).unwrap_or(NaiveDate::MAX) {
        let days = (due - today).num_days();
        Some(
            Diagnostic::warning(
                Code::ReviewDue,
                r.reviewed_at.clone(),
                format!("{what} is due for review on {due} (in {days} days); responsible: {owner}"),
            )
            .with_hint("plan the review: check the page, then set `reviewed` to the date you did it"),
        )
    } else {
        None
    }
}

/// Checks every item's review dates against `today`.
pub fn check(site: &Site, today: NaiveDate, window_days: u64) -> Vec<Diagnostic> {
    let c = &site.content;
    let mut out = Vec::new();
    for s in &c.services {
        out.extend(one(&format!("the service `{}`", s.id), &s.review, today, window_days, site.default_lang()));
    }
    for p in &c.providers {
        out.extend(one(&format!("the institution `{}`", p.id), &p.review, today, window_days, site.default_lang()));
    }
    for p in &c.pages {
        out.extend(one(&format!("the page `{}`", p.id), &p.review, today, window_days, site.default_lang()));
    }
    if let Some(ch) = &c.charter {
        out.extend(one("the charter", &ch.review, today, window_days, site.default_lang()));
    }
    if let Some(q) = &c.quality {
        out.extend(one("the quality policy", &q.review, today, window_days, site.default_lang()));
    }
    out
}
