//! The online link check against a real HTTP server on 127.0.0.1 (a tiny hand-rolled HTTP/1.1
//! responder started by each test): statuses, redirects, retries, Retry-After, timeouts, the HEAD to
//! GET fallback, the per-host limit and the cache.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use skaidra::check::online::{OnlineOptions, OnlineSummary, check_urls};
use skaidra::diagnostics::{Diagnostic, Location, Severity};

/// Requests seen, per (method, path without query), plus in-flight tracking.
#[derive(Default)]
struct Seen {
    counts: Mutex<HashMap<(String, String), usize>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl Seen {
    fn count(&self, method: &str, path: &str) -> usize {
        self.counts.lock().unwrap().get(&(method.to_string(), path.to_string())).copied().unwrap_or(0)
    }
    fn all(&self, path: &str) -> usize {
        self.count("HEAD", path) + self.count("GET", path)
    }
}

struct Server {
    base: String,
    seen: Arc<Seen>,
}

/// Starts the fixture server on a free port. Connection threads end by themselves (read timeouts,
/// bounded sleeps); the accept thread ends with the test process.
fn start_server() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Seen::default());
    let s = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let s = s.clone();
            std::thread::spawn(move || handle(stream, &s));
        }
    });
    Server { base, seen }
}

fn handle(mut stream: TcpStream, seen: &Seen) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    // Read the request head (the checker never sends a body).
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 64 * 1024 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf);
    let mut parts = head.lines().next().unwrap_or("").split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let path = target.split('?').next().unwrap_or("").to_string();
    let n = {
        let mut c = seen.counts.lock().unwrap();
        let e = c.entry((method.clone(), path.clone())).or_insert(0);
        *e += 1;
        // How many times this path was asked for, with any method.
        c.iter().filter(|((_, p), _)| *p == path).map(|(_, v)| *v).sum::<usize>()
    };
    let is_head = method == "HEAD";
    let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    seen.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let (status, headers): (u16, Vec<(&str, &str)>) = match path.as_str() {
        "/ok" => (200, vec![]),
        "/moved" => (301, vec![("Location", "/ok")]),
        "/temp" => (302, vec![("Location", "/ok")]),
        "/missing" => (404, vec![]),
        "/busy" if n == 1 => (429, vec![("Retry-After", "1")]),
        "/busy" => (200, vec![]),
        "/busy-long" => (429, vec![("Retry-After", "3600")]),
        "/always-busy" => (429, vec![("Retry-After", "0")]),
        "/error" => (500, vec![]),
        "/loop" => (302, vec![("Location", "/loop")]),
        "/slow" => {
            seen.in_flight.fetch_sub(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(3));
            seen.in_flight.fetch_add(1, Ordering::SeqCst);
            (200, vec![])
        }
        "/delay" => {
            std::thread::sleep(Duration::from_millis(300));
            (200, vec![])
        }
        "/head-not-allowed" if is_head => (405, vec![("Allow", "GET")]),
        "/head-not-allowed" => (200, vec![]),
        _ => (404, vec![]),
    };
    seen.in_flight.fetch_sub(1, Ordering::SeqCst);
    let body = "<!doctype html><title>fixture</title><p>Sveiki!</p>\n".repeat(if status == 200 { 400 } else { 1 });
    let mut out = format!(
        "HTTP/1.1 {status} Fixture\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    if !is_head {
        out.push_str(&body);
    }
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.flush();
}

fn loc(line: usize) -> Location {
    Location { file: "content/services/x/index.lt.md".into(), line, col: 5 }
}

fn opts(cache: Option<&std::path::Path>) -> OnlineOptions {
    OnlineOptions {
        timeout: Duration::from_secs(1),
        cache_dir: cache.map(|p| p.to_path_buf()),
        ..OnlineOptions::default()
    }
}

/// (code, severity, line) of every diagnostic, sorted.
fn findings(diags: &[Diagnostic]) -> Vec<(&'static str, Severity, usize)> {
    let mut v: Vec<_> = diags.iter().map(|d| (d.code.name(), d.severity, d.location.line)).collect();
    v.sort();
    v
}

fn message_at(diags: &[Diagnostic], line: usize) -> &str {
    diags.iter().find(|d| d.location.line == line).map(|d| d.message.as_str()).unwrap_or("")
}

#[test]
fn routes_give_exactly_the_expected_findings_and_successes_are_cached() {
    let started = Instant::now();
    let server = start_server();
    let b = &server.base;
    let cache = tempfile::tempdir().unwrap();
    // A corrupt cache is ignored and replaced.
    std::fs::write(cache.path().join("links.json"), "{ this is not json").unwrap();

    let urls: Vec<(String, Vec<Location>)> = vec![
        (format!("{b}/ok"), vec![loc(1), loc(2)]),
        (format!("{b}/moved"), vec![loc(3)]),
        (format!("{b}/temp"), vec![loc(4)]),
        (format!("{b}/missing"), vec![loc(5), loc(6)]),
        (format!("{b}/busy"), vec![loc(7)]),
        (format!("{b}/error"), vec![loc(8)]),
        (format!("{b}/slow"), vec![loc(9)]),
        (format!("{b}/head-not-allowed"), vec![loc(10)]),
        (format!("{b}/busy-long"), vec![loc(11)]),
        (format!("{b}/always-busy"), vec![loc(12)]),
        (format!("{b}/loop"), vec![loc(13)]),
        ("https://exa mple.lt/".to_string(), vec![loc(14)]),
        ("mailto:info@example.lt".to_string(), vec![loc(15)]),
        // The same page with a fragment: fetched once with /ok, nothing to report.
        (format!("{b}/ok#kontaktai"), vec![loc(16)]),
    ];

    // First run: everything over the network.
    let t = Instant::now();
    let (diags, summary) = check_urls(&urls, &opts(Some(cache.path())));
    let first_run = t.elapsed();
    for d in &diags {
        eprintln!("{d}");
    }
    use Severity::{Error, Warning};
    assert_eq!(
        findings(&diags),
        vec![
            ("link-broken", Error, 5),
            ("link-broken", Error, 6),
            ("link-broken", Error, 8),
            ("link-broken", Error, 13),
            ("link-invalid", Error, 14),
            ("link-rate-limited", Warning, 11),
            ("link-rate-limited", Warning, 12),
            ("link-redirect", Warning, 3),
            ("link-unreachable", Warning, 9),
        ],
        "{diags:#?}"
    );
    // The location is carried into each diagnostic, and every diagnostic says what to do.
    for d in &diags {
        assert_eq!(d.location.file, std::path::Path::new("content/services/x/index.lt.md"));
        assert_eq!(d.location.col, 5);
        assert!(d.hint.as_deref().is_some_and(|h| !h.is_empty()), "{d}");
    }
    assert_eq!(message_at(&diags, 3), format!("`{b}/moved` moved to `{b}/ok`"));
    assert_eq!(
        diags.iter().find(|d| d.location.line == 3).unwrap().hint.as_deref(),
        Some("update the link to the new address")
    );
    assert_eq!(message_at(&diags, 5), format!("`{b}/missing` does not exist (HTTP 404)"));
    assert_eq!(diags.iter().find(|d| d.location.line == 5).unwrap().hint.as_deref(), Some("fix or remove the link"));
    assert!(message_at(&diags, 8).contains("the server answered HTTP 500"), "{}", message_at(&diags, 8));
    assert!(
        message_at(&diags, 9).starts_with(&format!("could not reach `{b}/slow` (timed out after 1 s")),
        "{}",
        message_at(&diags, 9)
    );
    assert!(
        message_at(&diags, 11).contains("wait 1 h") || message_at(&diags, 11).contains("3600 s"),
        "{}",
        message_at(&diags, 11)
    );

    assert_eq!(summary, OnlineSummary { checked: 12, from_cache: 0, ok: 4, redirected: 1, broken: 4 });

    let seen = &server.seen;
    // 429 then retried after Retry-After: 1, and the retry answered 200.
    assert_eq!(seen.all("/busy"), 2);
    // 500: one attempt plus two retries.
    assert_eq!(seen.count("HEAD", "/error"), 3);
    assert_eq!(seen.count("GET", "/error"), 0);
    // Timeouts are retried too.
    assert_eq!(seen.all("/slow"), 3);
    // HEAD answered 405, so GET was asked.
    assert_eq!((seen.count("HEAD", "/head-not-allowed"), seen.count("GET", "/head-not-allowed")), (1, 1));
    // A Retry-After longer than we wait is not waited for nor retried.
    assert_eq!(seen.all("/busy-long"), 1);
    assert_eq!(seen.all("/always-busy"), 3);
    // 404 is not retried.
    assert_eq!(seen.all("/missing"), 1);
    // /ok itself once (the fragment is not a second page) plus the two redirects that end there.
    let ok_requests = seen.all("/ok");
    assert_eq!(ok_requests, 3);

    // The cache file is valid again and holds successes only.
    let cached: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cache.path().join("links.json")).unwrap()).unwrap();
    let keys: Vec<&String> = cached.as_object().unwrap().keys().collect();
    for path in ["/ok", "/moved", "/temp", "/busy", "/head-not-allowed"] {
        assert!(keys.contains(&&format!("{b}{path}")), "{path} not cached: {keys:?}");
    }
    assert_eq!(keys.len(), 5, "{keys:?}");
    let entry = &cached[format!("{b}/moved")];
    assert_eq!(entry["status"], 200);
    assert_eq!(entry["final_url"], format!("{b}/ok"));
    assert!(entry["checked_at"].as_u64().unwrap() > 1_700_000_000);

    // Second run: successes come from the cache, failures are asked again.
    let missing_before = seen.all("/missing");
    let error_before = seen.all("/error");
    let (diags2, summary2) = check_urls(&urls, &opts(Some(cache.path())));
    assert_eq!(findings(&diags2), findings(&diags), "{diags2:#?}");
    assert_eq!(message_at(&diags2, 3), format!("`{b}/moved` moved to `{b}/ok`"), "a cached move is still reported");
    assert_eq!(summary2.from_cache, 5);
    assert_eq!(summary2, OnlineSummary { from_cache: 5, ..summary });
    assert_eq!(seen.all("/ok"), ok_requests, "the server saw no new request for /ok");
    assert_eq!(seen.all("/moved"), 1);
    assert_eq!(seen.all("/busy"), 2);
    assert_eq!(seen.all("/missing"), missing_before + 1, "failures are checked again");
    assert_eq!(seen.all("/error"), error_before + 3);

    // Without a cache everything is asked again.
    let (_, summary3) = check_urls(&urls[..1], &opts(None));
    assert_eq!(summary3, OnlineSummary { checked: 1, from_cache: 0, ok: 1, redirected: 0, broken: 0 });
    assert_eq!(seen.all("/ok"), ok_requests + 1);

    assert!(first_run < Duration::from_secs(10), "first run took {first_run:?}");
    assert!(started.elapsed() < Duration::from_secs(25), "test took {:?}", started.elapsed());
}

#[test]
fn no_more_than_per_host_requests_at_once() {
    let server = start_server();
    let urls: Vec<(String, Vec<Location>)> =
        (0..6).map(|i| (format!("{}/delay?n={i}", server.base), vec![loc(i + 1)])).collect();
    let t = Instant::now();
    let (diags, summary) = check_urls(&urls, &opts(None));
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(summary, OnlineSummary { checked: 6, from_cache: 0, ok: 6, redirected: 0, broken: 0 });
    let max = server.seen.max_in_flight.load(Ordering::SeqCst);
    assert!((1..=2).contains(&max), "{max} requests at once");
    // Six 300 ms answers, two at a time.
    assert!(t.elapsed() >= Duration::from_millis(850), "{:?}", t.elapsed());
}

#[test]
fn unreachable_port_is_a_warning_not_an_error() {
    // A port nobody listens on: bind, read the port, close.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/page");
    let o = OnlineOptions { retries: 1, ..opts(None) };
    let (diags, summary) = check_urls(&[(url.clone(), vec![loc(3)])], &o);
    assert_eq!(findings(&diags), vec![("link-unreachable", Severity::Warning, 3)], "{diags:#?}");
    assert!(diags[0].message.starts_with(&format!("could not reach `{url}`")), "{}", diags[0].message);
    assert_eq!(summary, OnlineSummary { checked: 1, ..Default::default() });
}
