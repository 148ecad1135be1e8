//! The preview's HTTP side: the built site from its private folder
//! (tower-http's `ServeDir`: content types, ETags, ranges, no listings),
//! a guard that answers 404 to any path that could leave that folder, the
//! live-reload script injected into HTML responses, and the reload events
//! as Server-Sent Events.

use std::convert::Infallible;
use std::path::{Component, Path};
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream};
use tower_http::services::{ServeDir, ServeFile};

use super::{Shared, Signal};

/// Where the live script and the events are; no site path starts so.
const LIVE_JS: &str = "/__handout/live.js";
const EVENTS: &str = "/__handout/events";
const FINDINGS: &str = "/__handout/findings";

/// HTML larger than this is served as it is, without the reload script.
const MAX_INJECT: usize = 32 * 1024 * 1024;

pub fn router(shared: Arc<Shared>) -> Router {
    let files = ServeDir::new(&shared.out)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(shared.out.join("404.html")));
    Router::new()
        .route(LIVE_JS, get(live_js))
        .route(EVENTS, get(events))
        .route(FINDINGS, get(findings))
        .fallback_service(files)
        .layer(middleware::from_fn(inject_live_script))
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// 404 for any request path that is not a plain path inside the output:
/// `..` (however encoded), encoded slashes or backslashes, backslashes,
/// NUL, and symlinks that lead outside.
/// A file a save left to render after its reload is answered once it is
/// written.
async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let raw = request.uri().path();
    if raw.starts_with("/__handout/") {
        return next.run(request).await;
    }
    if !is_safe(&shared.out, raw) {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Some(rel) = output_path(raw) {
        shared.wait_fresh(&rel).await;
    }
    next.run(request).await
}

/// The output file a request path names (`/articles/a/` is
/// `articles/a/index.html`), as the render names it.
fn output_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    let mut rel = decoded.trim_start_matches('/').to_string();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    Some(rel)
}

/// Whether a raw request path stays inside `root`.
pub fn is_safe(root: &Path, raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.contains('\\')
    {
        return false;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return false;
    };
    if decoded.contains('\\') || decoded.contains('\0') {
        return false;
    }
    let relative = Path::new(decoded.trim_start_matches('/'));
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return false;
    }
    // A symlink inside the folder may point out of it.
    let target = root.join(relative);
    match (target.canonicalize(), root.canonicalize()) {
        (Ok(target), Ok(root)) => target.starts_with(root),
        // Missing files are the file service's 404 to give.
        (Err(_), _) => true,
        (Ok(_), Err(_)) => false,
    }
}

/// Puts `<script src="/__handout/live.js">` into every HTML page served.
async fn inject_live_script(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let whole = matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND);
    if !is_html || !whole {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_INJECT).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let html = String::from_utf8_lossy(&bytes);
    let tag = format!("<script src=\"{LIVE_JS}\"></script>");
    let injected = match html.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &html[..i], &html[i..]),
        None => format!("{html}{tag}"),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::ETAG);
    parts.headers.remove(header::LAST_MODIFIED);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(injected))
}

async fn live_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        include_str!("live.js"),
    )
}

#[derive(serde::Deserialize)]
struct FindingsQuery {
    page: String,
}

/// `check`'s findings for one page (`?page=/articles/a/`), warnings and
/// errors only; 404 when the panel is off.
async fn findings(
    State(shared): State<Arc<Shared>>,
    axum::extract::Query(query): axum::extract::Query<FindingsQuery>,
) -> Response {
    let Some(map) = &shared.findings else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let found: Vec<crate::check::Finding> = map
        .lock()
        .ok()
        .and_then(|m| m.get(&query.page).cloned())
        .unwrap_or_default()
        .into_iter()
        .filter(|f| f.severity != crate::check::Level::Note)
        .collect();
    let body = serde_json::to_string(&found).unwrap_or_else(|_| "[]".into());
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct EventsQuery {
    /// The URL path of the page listening (`/articles/a/`).
    page: Option<String>,
}

/// A page open in a browser, counted in [`Shared::open`] while its event
/// stream lives.
struct OpenPage {
    shared: Arc<Shared>,
    rel: String,
}

impl OpenPage {
    fn new(shared: Arc<Shared>, rel: String) -> OpenPage {
        if let Ok(mut open) = shared.open.lock() {
            *open.entry(rel.clone()).or_insert(0) += 1;
        }
        OpenPage { shared, rel }
    }
}

impl Drop for OpenPage {
    fn drop(&mut self) {
        if let Ok(mut open) = self.shared.open.lock() {
            if let Some(count) = open.get_mut(&self.rel) {
                *count -= 1;
                if *count == 0 {
                    open.remove(&self.rel);
                }
            }
        }
    }
}

/// The reload events. A page opened while the site is broken gets the
/// error at once. A page that says which it is (`?page=/articles/a/`) is
/// rendered first after a save that renders many.
async fn events(
    State(shared): State<Arc<Shared>>,
    axum::extract::Query(query): axum::extract::Query<EventsQuery>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Listening first: a rebuild that clears the error between the two
    // steps still sends its reload, so an error read just before it
    // does not stay on screen.
    let receiver = shared.signals.subscribe();
    let current = shared.error.lock().ok().and_then(|e| e.clone());
    let first = current.map(Signal::Error);
    let open = query
        .page
        .as_deref()
        .and_then(output_path)
        .map(|rel| OpenPage::new(shared.clone(), rel));
    let state = (first, receiver, open);
    let stream = stream::unfold(state, |(mut first, mut receiver, open)| async move {
        let signal = match first.take() {
            Some(signal) => signal,
            None => match receiver.recv().await {
                Ok(signal) => signal,
                // Missed some: a reload shows the newest pages anyway.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    Signal::Reload(Vec::new())
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            },
        };
        if signal == Signal::Shutdown {
            return None;
        }
        Some((Ok(event(&signal)), (None, receiver, open)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The saved files as a JSON list on one line: `["content/a.md"]`
/// (empty when events were missed).
fn saved_json(saved: &[String]) -> String {
    serde_json::to_string(saved).unwrap_or_else(|_| "[]".into())
}

fn event(signal: &Signal) -> Event {
    match signal {
        Signal::Reload(saved) => Event::default().event("reload").data(saved_json(saved)),
        Signal::Css(saved) => Event::default().event("css").data(saved_json(saved)),
        Signal::Error(text) => Event::default().event("build-error").data(text),
        Signal::Shutdown => Event::default().comment("stopping"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.html"), "a").unwrap();
        assert!(is_safe(dir.path(), "/a.html"));
        assert!(is_safe(dir.path(), "/"));
        assert!(is_safe(dir.path(), "/missing/"));
        for raw in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/..%5cetc",
            "/a\\..\\b",
            "/%00",
            "/%ff",
        ] {
            assert!(!is_safe(dir.path(), raw), "{raw}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("link")).unwrap();
        assert!(!is_safe(dir.path(), "/link"));
    }
}
