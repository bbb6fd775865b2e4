//! `skaidra serve`: a live preview for content editors.
//!
//! Builds the site into memory, serves it on 127.0.0.1 (axum), watches `content/`, `themes/`,
//! `i18n/` and `site.toml` (notify, debounced), rebuilds only what a change affects
//! ([`rebuild`]), and tells open browser tabs to reload (server-sent events; the small script that
//! listens is injected in serve mode only). Invalid content never blanks the preview: the last good
//! site stays, with an overlay listing the problems, until the file is fixed. The overlay is in
//! English, all of it: its messages are Skaidra's own, the ones the command line prints (there is
//! one text of each, in English), so a heading in the page's language would put two languages in
//! one box; the box says `lang="en"` so a screen reader reads it right on a page in any language. Everything is served from memory, so no request can reach a file outside the site.

pub mod rebuild;

use crate::diagnostics::Diagnostics;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use notify_debouncer_full::notify::RecursiveMode;
use rebuild::{Files, Live};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Options of `serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: String,
    pub open: bool,
}

struct Shared {
    files: Files,
    /// Problems of the last rebuild, shown as an overlay until fixed.
    errors: Option<Diagnostics>,
    base_path: String,
    /// URL paths of the exports (search index, sitemap, feeds, data). After an edit they are
    /// made again only when one is asked for, so an edit is not held up by them.
    export_names: std::collections::HashSet<String>,
    exports_stale: bool,
    /// Pages that show an edit but are rendered only when asked for (see [`rebuild::Update`]).
    stale_pages: std::collections::HashSet<String>,
}

/// What the rebuild thread is asked to do: file changes, or a leaflet someone requested.
enum Msg {
    Files(notify_debouncer_full::DebounceEventResult),
    Leaflet(String, tokio::sync::oneshot::Sender<Option<Result<Vec<u8>, Diagnostics>>>),
    /// Make the exports again (they are stale after an edit); answered when done.
    Exports(tokio::sync::oneshot::Sender<()>),
    /// Render a page left stale by an edit; answered when it is in the served files.
    Page(String, tokio::sync::oneshot::Sender<()>),
}

#[derive(Clone)]
struct AppState {
    shared: Arc<RwLock<Shared>>,
    tx: tokio::sync::broadcast::Sender<u64>,
    work: std::sync::mpsc::Sender<Msg>,
}

/// The overlay's look, a stylesheet of its own so pages keep their strict Content-Security-Policy.
const OVERLAY_CSS: &str = "#skaidra-overlay{position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:99999;background:#fff;color:#1b1b1b;border-bottom:6px solid #b00020;padding:1rem 1.5rem;font:18px/1.5 sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.3)}#skaidra-overlay h2{margin:0 0 .5rem;color:#b00020}#skaidra-overlay li{margin-bottom:.75rem}";

const LIVE_JS: &str = r#"(function(){var s=new EventSource(document.currentScript.dataset.events);s.addEventListener('reload',function(){location.reload();});})();"#;

/// The overlay's own words (see the module's doc for why they are English).
const OVERLAY_TITLE: &str = "The site could not be updated";
const OVERLAY_TEXT: &str =
    "You are seeing the last good version. Fix these problems and save the file: the page will reload by itself.";

fn overlay(shared: &Shared) -> String {
    let Some(d) = &shared.errors else { return String::new() };
    let esc = crate::export::xml;
    let mut html = format!(
        "<div id=\"skaidra-overlay\" role=\"alert\" lang=\"en\" dir=\"ltr\"><link rel=\"stylesheet\" href=\"{}__skaidra/overlay.css\"><h2>{OVERLAY_TITLE}</h2><p>{OVERLAY_TEXT}</p><ul>",
        shared.base_path,
    );
    for x in &d.items {
        html.push_str(&format!(
            "<li><strong>{}</strong>, line {}:{}<br>{}{}</li>",
            esc(&x.location.file.display().to_string()),
            x.location.line,
            x.location.col,
            esc(&x.message),
            x.hint.as_ref().map(|h| format!("<br><em>{}</em>", esc(h))).unwrap_or_default()
        ));
    }
    html.push_str("</ul></div>");
    html
}

async fn page(State(app): State<AppState>, uri: Uri) -> Response {
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy().into_owned();
    // Leaflets are made when asked for, by the rebuild thread that holds the site.
    let base_path = app.shared.read().expect("lock").base_path.clone();
    if let Some(rel) =
        path.strip_prefix(&base_path).filter(|r| r.starts_with("leaflets/") && r.ends_with(".pdf") && !r.contains(".."))
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        if app.work.send(Msg::Leaflet(rel.to_string(), reply)).is_ok() {
            match answer.await {
                Ok(Some(Ok(bytes))) => {
                    return ([(header::CONTENT_TYPE, "application/pdf"), (header::CACHE_CONTROL, "no-store")], bytes)
                        .into_response();
                }
                Ok(Some(Err(d))) => {
                    let mut s = app.shared.write().expect("lock");
                    s.errors = Some(d);
                }
                _ => {}
            }
        }
    }
    // The file a path names (`/x/` is `/x/index.html`), and the page `/x` redirects to.
    let key = if path.ends_with('/') { format!("{path}index.html") } else { path.clone() };
    let folder_page = format!("{path}/index.html");
    let (stale_export, stale_page) = {
        let s = app.shared.read().expect("lock");
        let page = [&key, &folder_page].into_iter().find(|k| s.stale_pages.contains(*k)).cloned();
        (s.exports_stale && (s.export_names.contains(&path) || s.export_names.contains(&key)), page)
    };
    if let Some(key) = stale_page {
        let (reply, done) = tokio::sync::oneshot::channel();
        if app.work.send(Msg::Page(key, reply)).is_ok() {
            let _ = done.await;
        }
    }
    if stale_export {
        let (reply, done) = tokio::sync::oneshot::channel();
        if app.work.send(Msg::Exports(reply)).is_ok() {
            let _ = done.await;
        }
    }
    let shared = app.shared.read().expect("lock");
    let live = format!("{}__skaidra/live.js", shared.base_path);
    if path == live {
        return ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS).into_response();
    }
    if path == format!("{}__skaidra/overlay.css", shared.base_path) {
        return ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], OVERLAY_CSS).into_response();
    }
    if !path.ends_with('/') && !shared.files.contains_key(&key) && shared.files.contains_key(&folder_page) {
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, format!("{path}/"))]).into_response();
    }
    let (status, body, key) = match shared.files.get(&key).or_else(|| shared.files.get(&path)) {
        Some(b) => (StatusCode::OK, b.clone(), key),
        None => {
            let nf = format!("{}404.html", shared.base_path);
            (StatusCode::NOT_FOUND, shared.files.get(&nf).cloned().unwrap_or_else(|| b"not found".to_vec()), nf)
        }
    };
    let ctype = content_type(&key);
    // Not on the browser editor's page, whose own interface would be covered.
    let editor = key.starts_with(&format!("{}admin/", shared.base_path));
    if ctype.starts_with("text/html") && shared.errors.is_some() && !editor {
        let html = String::from_utf8_lossy(&body);
        let ov = overlay(&shared);
        let with = match html.find("<body") {
            Some(i) => match html[i..].find('>') {
                Some(j) => format!("{}{ov}{}", &html[..i + j + 1], &html[i + j + 1..]),
                None => format!("{ov}{html}"),
            },
            None => format!("{ov}{html}"),
        };
        return (status, [(header::CONTENT_TYPE, ctype), (header::CACHE_CONTROL, "no-store")], with).into_response();
    }
    (status, [(header::CONTENT_TYPE, ctype), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

async fn events(
    State(AppState { tx, .. }): State<AppState>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    use tokio_stream::StreamExt;
    let rx = tokio_stream::wrappers::BroadcastStream::new(tx.subscribe());
    let stream = rx.filter_map(|v| v.ok()).map(|v| Ok(Event::default().event("reload").data(v.to_string())));
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Runs the preview server until the process is stopped.
pub fn serve(opts: &ServeOptions) -> crate::error::Result<()> {
    use crate::error::Error;
    let root = opts.root.canonicalize().map_err(|e| Error::io("cannot open the site folder", opts.root.clone(), e))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
        .map_err(|e| Error::system("cannot start the server", e))?;
    let listener = rt
        .block_on(tokio::net::TcpListener::bind((opts.bind.as_str(), opts.port)))
        .map_err(|e| Error::system(format!("cannot listen on {}:{}", opts.bind, opts.port), e))?;
    let port = listener.local_addr().map_err(|e| Error::system("cannot tell the port listened on", e))?.port();
    // Read the base path first, so links work as they will when published.
    let config = crate::config::load(&root).map_err(Error::Setup)?;
    let base_path = config.base_path.clone();
    let base_url = format!("http://{}:{port}{base_path}", opts.bind);
    let tag =
        format!("<script src=\"{base_path}__skaidra/live.js\" data-events=\"{base_path}__skaidra/events\"></script>");
    // Watch before the first build, so no save made while it runs (or right after) is lost.
    let (work, erx) = std::sync::mpsc::channel::<Msg>();
    let fs_tx = work.clone();
    // An editor's save (a write, or a temporary file renamed over the old one) is over in well
    // under 10 ms; a save that is not is simply rebuilt again when its last event comes.
    let mut debouncer = notify_debouncer_full::new_debouncer(Duration::from_millis(10), None, move |r| {
        let _ = fs_tx.send(Msg::Files(r));
    })
    .map_err(|e| Error::library("cannot watch files", e))?;
    for d in ["content", "themes", "i18n"] {
        let _ = debouncer.watch(root.join(d), RecursiveMode::Recursive);
    }
    let _ = debouncer.watch(&root, RecursiveMode::NonRecursive);
    let started = std::time::Instant::now();
    let (live, files, errors) = match Live::full(&root, &base_url, &tag) {
        Ok((l, f)) => (Some(l), f, None),
        Err(d) => {
            eprint!("{}", crate::diagnostics::render_human(&d, false));
            (None, Files::new(), Some(d))
        }
    };
    eprintln!("built {} files in {:.0} ms", files.len(), started.elapsed().as_secs_f64() * 1000.0);
    let export_names = live
        .as_ref()
        .map(|l| crate::export::names(&l.site).into_iter().map(|n| l.site.href(&n)).collect())
        .unwrap_or_default();
    let shared = Arc::new(RwLock::new(Shared {
        files,
        errors,
        base_path: base_path.clone(),
        export_names,
        exports_stale: false,
        stale_pages: Default::default(),
    }));
    let (tx, _) = tokio::sync::broadcast::channel::<u64>(16);
    // Rebuild on a thread of its own.
    {
        let shared = shared.clone();
        let tx = tx.clone();
        let root = root.clone();
        std::thread::spawn(move || {
            let _keep_watching = debouncer;
            watch(&root, erx, live, &base_url, &tag, shared, tx)
        });
    }
    let app = Router::new()
        .route(&format!("{base_path}__skaidra/events"), get(events))
        .fallback(get(page))
        .with_state(AppState { shared, tx, work });
    println!("serving on http://{}:{port}{base_path}", opts.bind);
    use std::io::Write;
    let _ = std::io::stdout().flush();
    if opts.open {
        let _ = std::process::Command::new("xdg-open").arg(format!("http://{}:{port}{base_path}", opts.bind)).spawn();
    }
    rt.block_on(async move { axum::serve(listener, app).await }).map_err(|e| Error::system("the server stopped", e))
}

fn watched(root: &Path, p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // Editors' temporary and backup files.
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with("#")
        || name.contains(".stamp-tmp")
    {
        return false;
    }
    ["content", "themes", "i18n"].iter().any(|d| p.starts_with(root.join(d))) || p == root.join("site.toml")
}

type Events = std::sync::mpsc::Receiver<Msg>;

fn watch(
    root: &Path,
    events: Events,
    mut live: Option<Live>,
    base_url: &str,
    tag: &str,
    shared: Arc<RwLock<Shared>>,
    tx: tokio::sync::broadcast::Sender<u64>,
) {
    let mut version = 0u64;
    // Files with problems stay in every rebuild until they are fixed, so the overlay only goes
    // away when everything it listed is right again.
    let mut broken: Vec<PathBuf> = Vec::new();
    let mut leaflets: Files = Files::new();
    for msg in events {
        let result = match msg {
            Msg::Leaflet(path, reply) => {
                let answer = match leaflets.get(&path) {
                    Some(b) => Some(Ok(b.clone())),
                    None => live.as_ref().and_then(|l| l.leaflet(&path)),
                };
                if let Some(Ok(b)) = &answer {
                    leaflets.insert(path, b.clone());
                }
                let _ = reply.send(answer);
                continue;
            }
            Msg::Exports(reply) => {
                if shared.read().expect("lock").exports_stale
                    && let Some(l) = &live
                {
                    let exports = l.exports();
                    let mut s = shared.write().expect("lock");
                    s.files.extend(exports);
                    s.exports_stale = false;
                }
                let _ = reply.send(());
                continue;
            }
            Msg::Page(key, reply) => {
                if shared.read().expect("lock").stale_pages.contains(&key)
                    && let Some(bytes) = live.as_ref().and_then(|l| l.render_url(&key))
                {
                    let mut s = shared.write().expect("lock");
                    s.stale_pages.remove(&key);
                    s.files.insert(key, bytes);
                }
                let _ = reply.send(());
                continue;
            }
            Msg::Files(r) => r,
        };
        let Ok(events) = result else { continue };
        // Only changes count: reading files (which every rebuild does) must not trigger another.
        use notify_debouncer_full::notify::EventKind;
        use notify_debouncer_full::notify::event::ModifyKind;
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::Create(_)
                        | EventKind::Remove(_)
                        | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
                )
            })
            .flat_map(|e| e.paths.iter().cloned())
            .filter(|p| watched(root, p))
            .collect();
        if paths.is_empty() {
            continue;
        }
        paths.extend(broken.iter().cloned());
        paths.sort();
        paths.dedup();
        let result = match live.as_mut() {
            Some(l) => l.apply(&paths),
            None => Live::full(root, base_url, tag).map(|(l, f)| {
                let n = l.site.pages.len();
                live = Some(l);
                (
                    rebuild::Outcome { pages: n, what: "everything".into(), millis: 0.0 },
                    rebuild::Update::Replace(f),
                    Diagnostics::default(),
                )
            }),
        };
        {
            let mut s = shared.write().expect("lock");
            match result {
                Ok((o, update, left)) => {
                    // A full rebuild made the exports too; a patch leaves them to be made when asked for.
                    s.exports_stale = !matches!(update, rebuild::Update::Replace(_));
                    let Shared { files, stale_pages, .. } = &mut *s;
                    update.apply_to(files, stale_pages);
                    leaflets.clear();
                    eprintln!("rebuilt {} pages in {:.1} ms ({})", o.pages, o.millis, o.what);
                    if left.items.is_empty() {
                        s.errors = None;
                        broken.clear();
                    } else {
                        eprint!("{}", crate::diagnostics::render_human(&left, false));
                        broken = left.items.iter().map(|x| root.join(&x.location.file)).collect();
                        s.errors = Some(left);
                    }
                    if let Some(l) = &live {
                        s.export_names = crate::export::names(&l.site).into_iter().map(|n| l.site.href(&n)).collect();
                    }
                }
                Err(d) => {
                    eprint!("{}", crate::diagnostics::render_human(&d, false));
                    eprintln!("the preview keeps the last good version until this is fixed");
                    broken =
                        d.items.iter().map(|x| root.join(&x.location.file)).filter(|p| p.starts_with(root)).collect();
                    s.errors = Some(d);
                }
            }
        }
        version += 1;
        let _ = tx.send(version);
    }
}
