//! Online link check: asks the web whether the external links of a site still work.
//!
//! Owns everything that goes over the network for `http://` and `https://` links: the requests
//! (HEAD first, GET when a server refuses HEAD), following redirects by hand so a permanent move can
//! be reported, retries with backoff for timeouts, connection errors, 5xx and 429 (`Retry-After` is
//! honoured up to a limit), the per-host and overall concurrency limits, and the on-disk cache of
//! successful answers (`<cache_dir>/links.json`). It turns every answer into user-facing
//! [`Diagnostic`]s (codes `link-broken`, `link-redirect`, `link-unreachable`, `link-rate-limited`,
//! `link-invalid`), reported at every place where the URL is written.
//!
//! It does not find links in pages (the caller passes URLs with their locations) and does not
//! check links inside the site.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use url::Url;

use crate::diagnostics::{Code, Diagnostic, Location};

/// Options of the online link check.
#[derive(Debug, Clone)]
pub struct OnlineOptions {
    /// Longest time one request may take (connecting, sending, answer and the bit of body read).
    pub timeout: Duration,
    /// Extra attempts after a timeout, connection error, 5xx or 429.
    pub retries: u32,
    /// Concurrent requests per host.
    pub per_host: usize,
    /// Longest `Retry-After` we wait for; a server asking for longer is reported as a warning.
    pub max_retry_after: Duration,
    /// Folder of the cache of successful answers (e.g. `<site>/.skaidra-cache`); `None`: no cache.
    pub cache_dir: Option<PathBuf>,
    /// How long a cached successful answer is trusted.
    pub cache_ttl: Duration,
}

impl Default for OnlineOptions {
    fn default() -> Self {
        OnlineOptions {
            timeout: Duration::from_secs(10),
            retries: 2,
            per_host: 2,
            max_retry_after: Duration::from_secs(30),
            cache_dir: None,
            cache_ttl: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// What the online check did, counted per distinct URL.
///
/// `checked` counts every distinct `http(s)` URL looked at (over the network or from the cache,
/// invalid ones included); `ok`, `redirected` (moved permanently, reported as a warning) and
/// `broken` (errors) are disjoint; URLs that could not be reached or were rate-limited (warnings)
/// are in `checked` only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnlineSummary {
    pub checked: usize,
    pub from_cache: usize,
    pub ok: usize,
    pub redirected: usize,
    pub broken: usize,
}

/// The name of the cache file inside `cache_dir`.
const CACHE_FILE: &str = "links.json";
/// Most redirects followed for one link.
const MAX_HOPS: usize = 5;
/// Most hosts checked at the same time.
const MAX_HOSTS: usize = 8;
/// Most bytes read of a GET answer's body before it is dropped.
const BODY_PEEK: u64 = 4096;
const USER_AGENT: &str = concat!("Mozilla/5.0 (compatible; skaidra/", env!("CARGO_PKG_VERSION"), " link check)");

/// Checks every URL once (however many places use it); each finding is reported at every
/// location where the URL is written. Returns diagnostics and a small summary.
///
/// Only `http://` and `https://` URLs are checked; other schemes (`mailto:`, `tel:`, …) and
/// relative references are skipped. Text that starts like a web address but cannot be parsed
/// becomes an error (`link-invalid`). URLs differing only in their `#fragment` are fetched once.
pub fn check_urls(urls: &[(String, Vec<Location>)], opts: &OnlineOptions) -> (Vec<Diagnostic>, OnlineSummary) {
    let mut summary = OnlineSummary::default();

    // Sort the input into distinct jobs (one per URL to fetch) and invalid addresses.
    let mut jobs: Vec<Url> = Vec::new();
    let mut job_of_key: HashMap<String, usize> = HashMap::new();
    let mut plan: Vec<Planned> = Vec::with_capacity(urls.len());
    let mut invalid_seen: HashSet<&str> = HashSet::new();
    for (raw, _) in urls {
        match classify_input(raw) {
            Input::Skip => plan.push(Planned::Skip),
            Input::Invalid(reason) => {
                if invalid_seen.insert(raw.as_str()) {
                    summary.checked += 1;
                    summary.broken += 1;
                }
                plan.push(Planned::Invalid(reason));
            }
            Input::Check(url) => {
                let key = url.as_str().to_string();
                let idx = *job_of_key.entry(key).or_insert_with(|| {
                    jobs.push(url);
                    jobs.len() - 1
                });
                plan.push(Planned::Job(idx));
            }
        }
    }

    // Answers still fresh in the cache need no request.
    let now = unix_now();
    let cache_file = opts.cache_dir.as_ref().map(|d| d.join(CACHE_FILE));
    let cache = cache_file.as_deref().map(load_cache).unwrap_or_default();
    let mut outcomes: Vec<Option<Outcome>> = vec![None; jobs.len()];
    let mut cached_jobs = 0;
    for (i, url) in jobs.iter().enumerate() {
        if let Some(e) = cache.get(url.as_str())
            && e.is_usable(now, opts.cache_ttl)
        {
            outcomes[i] =
                Some(Outcome::Ok { status: e.status, moved_to: e.moved_to.clone(), final_url: e.final_url.clone() });
            cached_jobs += 1;
        }
    }
    let from_cache: Vec<bool> = outcomes.iter().map(Option::is_some).collect();

    // The rest goes over the network.
    let todo: Vec<usize> = (0..jobs.len()).filter(|&i| outcomes[i].is_none()).collect();
    if !todo.is_empty() {
        let agent = make_agent(opts);
        for (i, outcome) in run_jobs(&agent, &jobs, &todo, opts) {
            outcomes[i] = Some(outcome);
        }
    }

    // Count per distinct URL.
    summary.checked += jobs.len();
    summary.from_cache = cached_jobs;
    for o in outcomes.iter().flatten() {
        match o {
            Outcome::Ok { moved_to: None, .. } => summary.ok += 1,
            Outcome::Ok { moved_to: Some(_), .. } => summary.redirected += 1,
            o if o.is_error() => summary.broken += 1,
            _ => {}
        }
    }

    // Remember what worked.
    if let Some(file) = &cache_file {
        let mut fresh: BTreeMap<String, CacheEntry> =
            cache.into_iter().filter(|(_, e)| e.is_usable(now, opts.cache_ttl)).collect();
        for (i, url) in jobs.iter().enumerate() {
            if from_cache[i] {
                continue;
            }
            match &outcomes[i] {
                Some(Outcome::Ok { status, moved_to, final_url }) => {
                    fresh.insert(
                        url.as_str().to_string(),
                        CacheEntry {
                            status: *status,
                            final_url: final_url.clone(),
                            checked_at: now,
                            moved_to: moved_to.clone(),
                        },
                    );
                }
                _ => {
                    fresh.remove(url.as_str());
                }
            }
        }
        // A cache that cannot be written only makes the next check slower.
        let _ = save_cache(file, &fresh);
    }

    // Report every finding at every place the URL is written, in input order.
    let mut diags = Vec::new();
    for ((raw, locations), planned) in urls.iter().zip(&plan) {
        let finding = match planned {
            Planned::Skip => None,
            Planned::Invalid(reason) => Some(Finding::error(
                Code::LinkInvalid,
                format!("`{raw}` is not a valid web address ({reason})"),
                "fix the address; a web address looks like https://example.org/page",
            )),
            Planned::Job(i) => match &outcomes[*i] {
                Some(o) => o.finding(raw, opts),
                None => Some(Finding::warning(
                    Code::LinkUnreachable,
                    format!("`{raw}` could not be checked (the check stopped unexpectedly)"),
                    "run the check again; if this keeps happening, report it to the Skaidra developers",
                )),
            },
        };
        if let Some(f) = finding {
            for loc in locations {
                diags.push(f.at(loc.clone()));
            }
        }
    }
    (diags, summary)
}

// ---------------------------------------------------------------------------------------------
// Input

enum Input {
    Skip,
    Invalid(String),
    Check(Url),
}

#[derive(Debug, Clone)]
enum Planned {
    Skip,
    Invalid(String),
    Job(usize),
}

/// Decides what to do with one URL as written.
fn classify_input(raw: &str) -> Input {
    let trimmed = raw.trim();
    let lower = trimmed.to_ascii_lowercase();
    let looks_web = lower.starts_with("http:") || lower.starts_with("https:");
    // A protocol-relative link (`//host/path`) opens over https on an https site.
    let parsed = match trimmed.strip_prefix("//") {
        Some(rest) if !rest.starts_with('/') => Url::parse(&format!("https://{rest}")),
        _ => Url::parse(trimmed),
    };
    match parsed {
        Ok(mut url) => {
            if !matches!(url.scheme(), "http" | "https") {
                return Input::Skip;
            }
            match url.host_str() {
                None | Some("") => return Input::Invalid("it has no host name".into()),
                Some(_) => {}
            }
            url.set_fragment(None);
            Input::Check(url)
        }
        Err(url::ParseError::RelativeUrlWithoutBase) if !looks_web && !trimmed.contains("://") => Input::Skip,
        Err(e) => Input::Invalid(e.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Outcomes and how they are reported

/// The end result of checking one distinct URL.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// 2xx (also 1xx and unfollowed 3xx such as 300 or 304). `moved_to`: the address after the
    /// permanent redirects at the start of the chain, when there were any.
    Ok { status: u16, moved_to: Option<String>, final_url: String },
    /// 4xx other than 429.
    ClientError { status: u16, final_url: Option<String> },
    /// 5xx after all attempts.
    ServerError { status: u16, attempts: u32 },
    /// 429 after all attempts, or a `Retry-After` longer than we wait.
    RateLimited { asked: Option<Duration> },
    /// No answer: timeout, connection failure, unknown host, unreadable answer.
    Unreachable { reason: String, attempts: u32 },
    /// Too many redirects, or a loop.
    TooManyRedirects { looped: bool },
    /// A redirect without a usable `Location`.
    BadRedirect { status: u16 },
    /// A redirect to something that is not a web address.
    RedirectElsewhere { target: String },
    /// The address cannot be requested at all.
    Invalid { reason: String },
}

impl Outcome {
    fn is_error(&self) -> bool {
        matches!(
            self,
            Outcome::ClientError { .. }
                | Outcome::ServerError { .. }
                | Outcome::TooManyRedirects { .. }
                | Outcome::BadRedirect { .. }
                | Outcome::Invalid { .. }
        )
    }

    fn finding(&self, raw: &str, opts: &OnlineOptions) -> Option<Finding> {
        Some(match self {
            Outcome::Ok { moved_to: None, .. } => return None,
            Outcome::Ok { moved_to: Some(to), .. } => Finding::warning(
                Code::LinkRedirect,
                format!("`{raw}` moved to `{to}`"),
                "update the link to the new address",
            ),
            Outcome::ClientError { status, final_url } => {
                let after = match final_url {
                    Some(f) => format!(" after a redirect to `{f}`"),
                    None => String::new(),
                };
                match status {
                    404 | 410 => Finding::error(
                        Code::LinkBroken,
                        format!("`{raw}` does not exist (HTTP {status}{after})"),
                        "fix or remove the link",
                    ),
                    401 | 403 => Finding::error(
                        Code::LinkBroken,
                        format!("`{raw}` refuses visitors (HTTP {}{after})", status_text(*status)),
                        "open the link in a browser: if it asks for a login or is refused, link to a public page instead; otherwise fix or remove the link",
                    ),
                    _ => Finding::error(
                        Code::LinkBroken,
                        format!("`{raw}` cannot be opened (HTTP {}{after})", status_text(*status)),
                        "fix or remove the link",
                    ),
                }
            }
            Outcome::ServerError { status, attempts } => Finding::error(
                Code::LinkBroken,
                format!("`{raw}` is not working: the server answered HTTP {status}{}", tried(*attempts)),
                "if the site is only down for a moment, run the check again later; otherwise fix or remove the link",
            ),
            Outcome::RateLimited { asked } => {
                let wait = match asked {
                    Some(d) if *d > Duration::from_secs(24 * 60 * 60) => format!(
                        " and to wait more than a day before trying again (longer than the {} Skaidra waits)",
                        human_duration(opts.max_retry_after)
                    ),
                    Some(d) => format!(
                        " and to wait {} before trying again (longer than the {} Skaidra waits)",
                        human_duration(*d),
                        human_duration(opts.max_retry_after)
                    ),
                    None => String::new(),
                };
                Finding::warning(
                    Code::LinkRateLimited,
                    format!("`{raw}` could not be checked: the server asked to slow down (HTTP 429){wait}"),
                    "open the link in a browser to check it, or run the check again later",
                )
            }
            Outcome::Unreachable { reason, attempts } => Finding::warning(
                Code::LinkUnreachable,
                format!("could not reach `{raw}` ({reason}{})", tried_inner(*attempts)),
                "open the link in a browser; if the site is only down for a moment, this goes away on the next check, otherwise fix or remove the link",
            ),
            Outcome::TooManyRedirects { looped } => Finding::error(
                Code::LinkBroken,
                if *looped {
                    format!("`{raw}` redirects in a loop and never shows a page")
                } else {
                    format!("`{raw}` redirects more than {MAX_HOPS} times")
                },
                "open the link in a browser and link to the page it finally shows, or remove the link",
            ),
            Outcome::BadRedirect { status } => Finding::error(
                Code::LinkBroken,
                format!("`{raw}` answers with a redirect (HTTP {status}) that does not say where to go"),
                "fix or remove the link",
            ),
            Outcome::RedirectElsewhere { target } => Finding::warning(
                Code::LinkUnreachable,
                format!("`{raw}` redirects to `{target}`, which is not a web page that can be checked"),
                "open the link in a browser and check where it leads",
            ),
            Outcome::Invalid { reason } => Finding::error(
                Code::LinkInvalid,
                format!("`{raw}` is not a valid web address ({reason})"),
                "fix the address; a web address looks like https://example.org/page",
            ),
        })
    }
}

/// A finding not yet placed at a location.
struct Finding {
    error: bool,
    code: Code,
    message: String,
    hint: &'static str,
}

impl Finding {
    fn error(code: Code, message: String, hint: &'static str) -> Self {
        Finding { error: true, code, message, hint }
    }
    fn warning(code: Code, message: String, hint: &'static str) -> Self {
        Finding { error: false, code, message, hint }
    }
    fn at(&self, loc: Location) -> Diagnostic {
        let d = if self.error {
            Diagnostic::error(self.code, loc, self.message.clone())
        } else {
            Diagnostic::warning(self.code, loc, self.message.clone())
        };
        d.with_hint(self.hint)
    }
}

fn status_text(status: u16) -> String {
    match ureq::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()) {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

fn tried(attempts: u32) -> String {
    if attempts > 1 { format!(" (tried {attempts} times)") } else { String::new() }
}

fn tried_inner(attempts: u32) -> String {
    if attempts > 1 { format!(", tried {attempts} times") } else { String::new() }
}

/// "10 s", "1.5 s", "250 ms", "2 min".
fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms >= 3_600_000 && ms.is_multiple_of(3_600_000) {
        format!("{} h", ms / 3_600_000)
    } else if ms >= 120_000 && ms.is_multiple_of(60_000) {
        format!("{} min", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

// ---------------------------------------------------------------------------------------------
// Scheduling

/// Runs the jobs `todo`, at most `per_host` at a time per host and at most [`MAX_HOSTS`] hosts at
/// a time. Returns (job index, outcome) pairs.
fn run_jobs(agent: &ureq::Agent, jobs: &[Url], todo: &[usize], opts: &OnlineOptions) -> Vec<(usize, Outcome)> {
    // Group by host (and port); the biggest hosts start first.
    let mut by_host: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for &i in todo {
        let url = &jobs[i];
        let key = format!("{}:{}", url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(0));
        by_host.entry(key).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = by_host.into_values().collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));

    let per_host = opts.per_host.max(1);
    let next_group = AtomicUsize::new(0);
    let host_worker = || -> Vec<(usize, Outcome)> {
        let mut out = Vec::new();
        loop {
            let g = next_group.fetch_add(1, Ordering::Relaxed);
            let Some(group) = groups.get(g) else { break };
            let next_job = AtomicUsize::new(0);
            let url_worker = || -> Vec<(usize, Outcome)> {
                let mut out = Vec::new();
                loop {
                    let j = next_job.fetch_add(1, Ordering::Relaxed);
                    let Some(&i) = group.get(j) else { break };
                    out.push((i, check_one_guarded(agent, &jobs[i], opts)));
                }
                out
            };
            out.extend(run_parallel(per_host.min(group.len()), &url_worker));
        }
        out
    };
    run_parallel(MAX_HOSTS.min(groups.len()), &host_worker)
}

/// Runs `n` copies of `work` on scoped threads (the calling thread runs one) and collects their
/// results. A thread that cannot be started is simply not started; the others take its share.
fn run_parallel<T: Send>(n: usize, work: &(dyn Fn() -> Vec<T> + Sync)) -> Vec<T> {
    if n == 0 {
        return Vec::new();
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = (1..n).filter_map(|_| std::thread::Builder::new().spawn_scoped(s, work).ok()).collect();
        let mut out = work();
        for h in handles {
            if let Ok(v) = h.join() {
                out.extend(v);
            }
        }
        out
    })
}

/// [`check_one`], turning an unexpected panic into an outcome instead of taking the build down.
fn check_one_guarded(agent: &ureq::Agent, url: &Url, opts: &OnlineOptions) -> Outcome {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_one(agent, url, opts)))
        .unwrap_or_else(|_| Outcome::Unreachable { reason: "the check stopped unexpectedly".into(), attempts: 1 })
}

// ---------------------------------------------------------------------------------------------
// One URL

fn make_agent(opts: &OnlineOptions) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .save_redirect_history(false)
        .timeout_global(Some(opts.timeout.max(Duration::from_millis(1))))
        .user_agent(USER_AGENT)
        .accept("text/html,application/xhtml+xml,*/*;q=0.8")
        .build();
    config.into()
}

/// Checks one URL: redirects followed by hand, retries for timeouts, connection errors, 5xx and 429.
fn check_one(agent: &ureq::Agent, url: &Url, opts: &OnlineOptions) -> Outcome {
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let can_retry = attempt <= opts.retries;
        match follow(agent, url) {
            Ok(end) => match end.status {
                100..=399 => {
                    return Outcome::Ok {
                        status: end.status,
                        moved_to: end.moved_to,
                        final_url: end.final_url.to_string(),
                    };
                }
                429 => {
                    let asked = end.retry_after.as_deref().and_then(|v| parse_retry_after(v, SystemTime::now()));
                    if let Some(d) = asked
                        && d > opts.max_retry_after
                    {
                        return Outcome::RateLimited { asked: Some(d) };
                    }
                    if !can_retry {
                        return Outcome::RateLimited { asked: None };
                    }
                    let wait = asked.unwrap_or_else(|| backoff(attempt) * 5).min(opts.max_retry_after);
                    std::thread::sleep(wait);
                }
                400..=499 => {
                    let final_url = (end.final_url != *url).then(|| end.final_url.to_string());
                    return Outcome::ClientError { status: end.status, final_url };
                }
                _ => {
                    if !can_retry {
                        return Outcome::ServerError { status: end.status, attempts: attempt };
                    }
                    std::thread::sleep(backoff(attempt));
                }
            },
            Err(Failure::Transient(reason)) => {
                if !can_retry {
                    return Outcome::Unreachable { reason: reason.describe(opts.timeout), attempts: attempt };
                }
                std::thread::sleep(backoff(attempt));
            }
            Err(Failure::Final(outcome)) => return outcome,
        }
    }
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(200 * u64::from(attempt.min(50)))
}

/// The last answer of a redirect chain.
struct ChainEnd {
    status: u16,
    final_url: Url,
    moved_to: Option<String>,
    retry_after: Option<String>,
}

enum Failure {
    /// Worth another attempt.
    Transient(Unreach),
    /// Decided.
    Final(Outcome),
}

/// Why a server could not be reached.
#[derive(Debug, Clone)]
enum Unreach {
    Timeout,
    HostNotFound(String),
    Refused,
    Connection(String),
    Tls(String),
    Protocol(String),
}

impl Unreach {
    /// A final outcome for reasons that are not retried (no timeout involved).
    fn into_outcome(self) -> Outcome {
        Outcome::Unreachable { reason: self.describe(Duration::ZERO), attempts: 1 }
    }

    fn describe(&self, timeout: Duration) -> String {
        match self {
            Unreach::Timeout => format!("timed out after {}", human_duration(timeout)),
            Unreach::HostNotFound(host) => format!("the host name `{host}` was not found"),
            Unreach::Refused => "the server refused the connection".into(),
            Unreach::Connection(e) => format!("the connection failed: {e}"),
            Unreach::Tls(e) => format!("a secure connection could not be made: {e}"),
            Unreach::Protocol(e) => format!("the server's answer could not be understood: {e}"),
        }
    }
}

/// Requests `start` and follows up to [`MAX_HOPS`] redirects.
fn follow(agent: &ureq::Agent, start: &Url) -> Result<ChainEnd, Failure> {
    let mut current = start.clone();
    let mut moved_to: Option<Url> = None;
    let mut permanent_so_far = true;
    let mut seen: HashSet<String> = HashSet::new();
    seen.insert(current.as_str().to_string());
    for hop in 0..=MAX_HOPS {
        let answer = request(agent, &current)?;
        let status = answer.status;
        if !matches!(status, 301 | 302 | 303 | 307 | 308) {
            return Ok(ChainEnd {
                status,
                final_url: current,
                moved_to: moved_to.map(|u| u.to_string()),
                retry_after: answer.retry_after,
            });
        }
        if hop == MAX_HOPS {
            return Err(Failure::Final(Outcome::TooManyRedirects { looped: false }));
        }
        let Some(location) = answer.location else {
            return Err(Failure::Final(Outcome::BadRedirect { status }));
        };
        let Ok(mut next) = current.join(location.trim()) else {
            return Err(Failure::Final(Outcome::BadRedirect { status }));
        };
        if !matches!(next.scheme(), "http" | "https") || next.host_str().is_none_or(str::is_empty) {
            return Err(Failure::Final(Outcome::RedirectElsewhere { target: next.to_string() }));
        }
        next.set_fragment(None);
        if !seen.insert(next.as_str().to_string()) {
            return Err(Failure::Final(Outcome::TooManyRedirects { looped: true }));
        }
        if permanent_so_far && matches!(status, 301 | 308) {
            moved_to = Some(next.clone());
        } else {
            permanent_so_far = false;
        }
        current = next;
    }
    Err(Failure::Final(Outcome::TooManyRedirects { looped: false }))
}

/// One answer, without its body.
struct Answer {
    status: u16,
    location: Option<String>,
    retry_after: Option<String>,
}

/// HEAD, and GET when HEAD is refused (400, 403, 405, 501) or its answer cannot be read.
fn request(agent: &ureq::Agent, url: &Url) -> Result<Answer, Failure> {
    match agent.head(url.as_str()).call() {
        Ok(resp) => {
            let answer = answer_of(&resp);
            if !matches!(answer.status, 400 | 403 | 405 | 501) {
                return Ok(answer);
            }
        }
        Err(e) => match unreach_of(e, url) {
            Err(outcome) => return Err(Failure::Final(outcome)),
            Ok(u @ (Unreach::Timeout | Unreach::HostNotFound(_) | Unreach::Refused)) => {
                return Err(Failure::Transient(u));
            }
            // A certificate problem does not go away by asking again.
            Ok(u @ Unreach::Tls(_)) => return Err(Failure::Final(u.into_outcome())),
            Ok(Unreach::Connection(_) | Unreach::Protocol(_)) => {} // some servers mishandle HEAD
        },
    }
    match agent.get(url.as_str()).call() {
        Ok(mut resp) => {
            let answer = answer_of(&resp);
            let mut peek = Vec::new();
            let _ = resp.body_mut().as_reader().take(BODY_PEEK).read_to_end(&mut peek);
            Ok(answer)
        }
        Err(e) => match unreach_of(e, url) {
            Err(outcome) => Err(Failure::Final(outcome)),
            Ok(u @ (Unreach::Protocol(_) | Unreach::Tls(_))) => Err(Failure::Final(u.into_outcome())),
            Ok(u) => Err(Failure::Transient(u)),
        },
    }
}

fn answer_of(resp: &ureq::http::Response<ureq::Body>) -> Answer {
    let header = |name: &str| {
        resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string).or_else(|| {
            // Not visible ASCII: keep what can be read (Location may carry raw UTF-8).
            resp.headers().get(name).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        })
    };
    Answer { status: resp.status().as_u16(), location: header("location"), retry_after: header("retry-after") }
}

/// Sorts a request error into a reason for being unreachable, or a final outcome.
fn unreach_of(e: ureq::Error, url: &Url) -> Result<Unreach, Outcome> {
    use std::io::ErrorKind;
    Ok(match e {
        ureq::Error::Timeout(_) => Unreach::Timeout,
        ureq::Error::HostNotFound => Unreach::HostNotFound(url.host_str().unwrap_or("").to_string()),
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::TimedOut | ErrorKind::WouldBlock => Unreach::Timeout,
            ErrorKind::ConnectionRefused => Unreach::Refused,
            _ => Unreach::Connection(io.to_string()),
        },
        ureq::Error::ConnectionFailed => Unreach::Connection("no connection could be opened".into()),
        ureq::Error::ConnectProxyFailed(m) => Unreach::Connection(format!("the proxy refused: {m}")),
        ureq::Error::Tls(m) => Unreach::Tls(m.to_string()),
        ureq::Error::Rustls(e) => Unreach::Tls(e.to_string()),
        ureq::Error::TlsRequired => Unreach::Tls("the server requires a secure connection".into()),
        ureq::Error::BadUri(m) => return Err(Outcome::Invalid { reason: m }),
        ureq::Error::Http(e) => return Err(Outcome::Invalid { reason: e.to_string() }),
        ureq::Error::InvalidProxyUrl => {
            return Err(Outcome::Unreachable {
                reason:
                    "the proxy set in the environment (HTTP_PROXY, HTTPS_PROXY or ALL_PROXY) is not a valid address"
                        .into(),
                attempts: 1,
            });
        }
        other => Unreach::Protocol(other.to_string()),
    })
}

// ---------------------------------------------------------------------------------------------
// Retry-After

/// The wait a `Retry-After` value asks for: delay-seconds (`120`) or an HTTP date (all three
/// formats of RFC 9110). A date in the past means no wait. `None` when the value cannot be read.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly long numbers saturate: they are longer than any limit anyway.
        return Some(Duration::from_secs(v.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let when = parse_http_date(v)?;
    let when = UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(when).ok()?))?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Unix seconds of an HTTP date: IMF-fixdate, RFC 850 or asctime.
fn parse_http_date(v: &str) -> Option<i64> {
    use chrono::NaiveDateTime;
    // The weekday is left out: a server that gets it wrong still means the date it wrote.
    let without_weekday = match v.split_once(',') {
        Some((_, rest)) => rest,
        None => v.trim_start().split_once(char::is_whitespace).map_or("", |(_, rest)| rest),
    };
    let v = without_weekday.split_whitespace().collect::<Vec<_>>().join(" ");
    const FORMATS: [&str; 3] = ["%d %b %Y %H:%M:%S GMT", "%d-%b-%y %H:%M:%S GMT", "%b %d %H:%M:%S %Y"];
    FORMATS.iter().find_map(|f| NaiveDateTime::parse_from_str(&v, f).ok()).map(|dt| dt.and_utc().timestamp())
}

// ---------------------------------------------------------------------------------------------
// Cache

/// One remembered successful answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct CacheEntry {
    /// The final HTTP status (always 2xx or another success).
    status: u16,
    /// Where the redirects ended.
    final_url: String,
    /// When the answer was received, in Unix seconds.
    checked_at: u64,
    /// The new address after permanent redirects, so a cached move is still reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    moved_to: Option<String>,
}

impl CacheEntry {
    /// A success received less than `ttl` ago (and not in the future).
    fn is_usable(&self, now: u64, ttl: Duration) -> bool {
        (100..400).contains(&self.status) && self.checked_at <= now && now - self.checked_at < ttl.as_secs()
    }
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The cache file's entries; a missing, unreadable or corrupt file is an empty cache.
fn load_cache(file: &Path) -> BTreeMap<String, CacheEntry> {
    std::fs::read_to_string(file).ok().and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
}

/// Writes the cache whole ([`crate::write::replace_file`]).
fn save_cache(file: &Path, entries: &BTreeMap<String, CacheEntry>) -> std::io::Result<()> {
    let mut json = serde_json::to_vec_pretty(entries).map_err(std::io::Error::other)?;
    json.push(b'\n');
    crate::write::replace_file(file, &json, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn retry_after_in_seconds() {
        let now = at(1_000_000);
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(parse_retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("99999999999999999999999", now), Some(Duration::from_secs(u64::MAX)));
    }

    #[test]
    fn retry_after_as_http_date() {
        // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480
        let now = at(1_445_412_480 - 90);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Some(Duration::from_secs(90)));
        assert_eq!(parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", now), Some(Duration::from_secs(90)));
        assert_eq!(parse_retry_after("Wed Oct 21 07:28:00 2015", now), Some(Duration::from_secs(90)));
        assert_eq!(parse_retry_after("Thu Oct  1 07:28:00 2015", at(1_443_684_480 - 5)), Some(Duration::from_secs(5)));
        assert_eq!(
            parse_retry_after("Thu, 01 Oct 2015 07:28:00 GMT", at(1_443_684_480 - 5)),
            Some(Duration::from_secs(5))
        );
        // A wrong weekday does not change the date.
        assert_eq!(parse_retry_after("Mon, 21 Oct 2015 07:28:00 GMT", now), Some(Duration::from_secs(90)));
        // In the past: no wait.
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", at(1_445_412_480 + 10)), Some(Duration::ZERO));
    }

    #[test]
    fn unreadable_retry_after_is_none() {
        let now = at(1_000_000);
        for v in ["", "  ", "-1", "1.5", "soon", "Wed, 32 Oct 2015 07:28:00 GMT", "१२", "Wed, 21 Oct 2015"] {
            assert_eq!(parse_retry_after(v, now), None, "{v:?}");
        }
    }

    #[test]
    fn cache_entries_expire() {
        let ttl = Duration::from_secs(24 * 3600);
        let e =
            |checked_at, status| CacheEntry { status, final_url: "https://a.lt/".into(), checked_at, moved_to: None };
        let now = 2_000_000;
        assert!(e(now, 200).is_usable(now, ttl));
        assert!(e(now - 24 * 3600 + 1, 200).is_usable(now, ttl));
        assert!(!e(now - 24 * 3600, 200).is_usable(now, ttl));
        assert!(!e(now + 60, 200).is_usable(now, ttl), "from the future: clock changed, do not trust");
        assert!(!e(now, 404).is_usable(now, ttl), "failures are never trusted");
        assert!(!e(now, 200).is_usable(now, Duration::ZERO));
    }

    #[test]
    fn cache_round_trips_and_survives_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub").join(CACHE_FILE);
        assert!(load_cache(&file).is_empty());
        let mut m = BTreeMap::new();
        m.insert(
            "https://a.lt/".to_string(),
            CacheEntry { status: 200, final_url: "https://a.lt/".into(), checked_at: 5, moved_to: None },
        );
        save_cache(&file, &m).unwrap();
        assert_eq!(load_cache(&file), m);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains("\"checked_at\": 5") && text.contains("\"final_url\""), "{text}");
        // No temporary file left behind.
        assert_eq!(std::fs::read_dir(file.parent().unwrap()).unwrap().count(), 1);
        std::fs::write(&file, "{ not json").unwrap();
        assert!(load_cache(&file).is_empty());
        std::fs::write(&file, "[1, 2]").unwrap();
        assert!(load_cache(&file).is_empty());
    }

    #[test]
    fn input_is_sorted_into_checks_skips_and_invalid() {
        assert!(
            matches!(classify_input("https://example.org/a#x"), Input::Check(u) if u.as_str() == "https://example.org/a")
        );
        assert!(matches!(classify_input("HTTP://Example.ORG"), Input::Check(u) if u.as_str() == "http://example.org/"));
        assert!(matches!(classify_input("https://vilnius.lt/paslaugos/ąžuolas"), Input::Check(_)));
        assert!(
            matches!(classify_input("//cdn.example.org/x.js"), Input::Check(u) if u.as_str() == "https://cdn.example.org/x.js")
        );
        for skip in
            ["mailto:a@b.lt", "tel:+37060000000", "ftp://x.lt/", "/local/page", "///local", "page.html", "#top", ""]
        {
            assert!(matches!(classify_input(skip), Input::Skip), "{skip}");
        }
        for bad in ["http://", "https://exa mple.org/", "http://[::1", "https://:80/", "http://a b"] {
            assert!(matches!(classify_input(bad), Input::Invalid(_)), "{bad}");
        }
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(Duration::from_secs(10)), "10 s");
        assert_eq!(human_duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(human_duration(Duration::from_millis(250)), "250 ms");
        assert_eq!(human_duration(Duration::from_secs(300)), "5 min");
        assert_eq!(human_duration(Duration::from_secs(60)), "60 s");
        assert_eq!(human_duration(Duration::from_secs(7200)), "2 h");
    }

    #[test]
    fn skipped_and_invalid_urls_need_no_network() {
        let loc = Location { file: "content/a.lt.md".into(), line: 3, col: 5 };
        let urls = vec![
            ("mailto:a@b.lt".to_string(), vec![loc.clone()]),
            ("https://exa mple.org/".to_string(), vec![loc.clone(), loc.clone()]),
        ];
        let (diags, summary) = check_urls(&urls, &OnlineOptions::default());
        assert_eq!(diags.len(), 2);
        assert!(diags.iter().all(|d| d.code == Code::LinkInvalid && d.is_error() && d.location == loc));
        assert_eq!(summary, OnlineSummary { checked: 1, broken: 1, ..Default::default() });
    }
}
