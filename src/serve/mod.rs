//! `handout serve`: build into a private folder, serve it over HTTP, watch
//! the site's files and rebuild what each save affects, then tell open
//! pages to reload. A failed rebuild keeps the last good pages and shows
//! the error in the page.

mod http;
mod watch;

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::check::Finding;
use crate::error::{Diagnostic, Errors, Place};
use crate::incremental::{Deferred, Held, Live, Outcome};
use crate::BuildOptions;

fn failed(message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Place::file("serve"), message.into())
}

/// How long a stop waits for requests in flight before it ends them.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_millis(100);

/// What `handout serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
    /// Show `check`'s findings for the page in view.
    pub check: bool,
}

/// What open pages are told. Reload and Css name the saved files that
/// caused them (site paths such as `content/articles/a.md`), so a client
/// (and a test) can tell one save's event from another's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// New pages are on disk: reload.
    Reload(Vec<String>),
    /// Only stylesheets changed: swap them.
    Css(Vec<String>),
    /// The last rebuild failed; the text is what the terminal showed.
    Error(String),
    /// The server is stopping: event streams end, so it can.
    Shutdown,
}

/// Whether a raw request path (`/a/b/`, percent-encoded) stays inside
/// the folder `root` (for the fuzz targets; see `http::is_safe`).
#[doc(hidden)]
pub fn request_path_is_safe(root: &std::path::Path, raw: &str) -> bool {
    http::is_safe(root, raw)
}

/// State the HTTP side reads.
pub struct Shared {
    pub out: PathBuf,
    pub signals: broadcast::Sender<Signal>,
    /// The error on screen, for pages opened while the site is broken.
    pub error: Mutex<Option<String>>,
    /// `check`'s findings by page URL path, for the panel; `None` when the
    /// panel is off (`--no-check`).
    pub findings: Option<Mutex<HashMap<String, Vec<Finding>>>>,
    /// The output files of the pages open in a browser (those whose event
    /// stream is connected), with how many streams each.
    pub open: Mutex<HashMap<String, usize>>,
    /// Output files a save left to render after its reload: requests for
    /// them wait until they are written (`fresh`).
    pub stale: Mutex<Held>,
    pub fresh: tokio::sync::Notify,
}

impl Shared {
    /// The output files of the pages open in a browser.
    pub fn open_pages(&self) -> HashSet<String> {
        self.open
            .lock()
            .map(|open| open.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn set_stale(&self, held: Held) {
        if let Ok(mut stale) = self.stale.lock() {
            *stale = held;
        }
    }

    fn clear_stale(&self) {
        if let Ok(mut stale) = self.stale.lock() {
            *stale = Held::Nothing;
        }
        self.fresh.notify_waiters();
    }

    /// Returns once the output file `rel` is not waiting to be rendered.
    pub async fn wait_fresh(&self, rel: &str) {
        loop {
            // Listening before looking, so a `clear_stale` between the two
            // is not missed.
            let notified = self.fresh.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            let waits = self.stale.lock().is_ok_and(|stale| stale.holds(rel));
            if !waits {
                return;
            }
            notified.await;
        }
    }

    /// Records the findings of the pages a rebuild touched.
    pub fn set_findings(&self, live: &Live, outcome: &Outcome) {
        let Some(findings) = &self.findings else {
            return;
        };
        let fresh = live.findings(outcome);
        if let Ok(mut map) = findings.lock() {
            if outcome.full {
                map.clear();
            }
            map.extend(fresh);
        }
    }
}

/// The most threads reading files for requests at once.
const BLOCKING_THREADS: usize = 16;

/// Runs until Ctrl-C.
pub fn run(mut options: ServeOptions) -> Result<(), Errors> {
    // The watcher reports absolute paths with symlinks resolved; the site
    // root is made the same here, once, so `.`, `..`, a relative path or a
    // symlinked folder all match what the watcher says.
    options.root = site_root(&options.root)?;
    // File reads run on the runtime's blocking threads. Its default of up
    // to 512 let a burst of requests on a busy machine leave 122 threads
    // (and 65 MiB) behind for good; a preview for one person needs few.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
        .map_err(|e| failed(format!("cannot start the server: {e}")))?;
    runtime.block_on(serve(options))
}

async fn serve(options: ServeOptions) -> Result<(), Errors> {
    let address = SocketAddr::new(options.bind, options.port);
    let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            failed(format!(
                "port {} is already in use: stop the other server, or pick another port with --port {}",
                options.port,
                options.port.wrapping_add(1)
            ))
        } else {
            failed(format!("cannot listen on {address}: {e}"))
        }
    })?;
    let local = listener.local_addr().map_err(|e| failed(e.to_string()))?;
    let host = match local.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", local.port());
    let preview = preview_dir(&options.root)?;
    let dir = preview.path.clone();
    let build = BuildOptions {
        root: options.root.clone(),
        output: Some(dir.clone()),
        base_url: Some(url.clone()),
        drafts: options.drafts,
        today: None,
    };
    let (signals, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        out: dir.clone(),
        signals,
        error: Mutex::new(None),
        findings: options.check.then(|| Mutex::new(HashMap::new())),
        open: Mutex::new(HashMap::new()),
        stale: Mutex::new(Held::Nothing),
        fresh: tokio::sync::Notify::new(),
    });
    let mut live = Live::new(build, dir.clone());
    live.adopt_earlier_output();
    let first = live.full();
    if let Ok(outcome) = &first {
        shared.set_findings(&live, outcome);
    }
    report(&shared, "Built the site", &first.map(Some), &[]);
    live.prepare_edits();
    // The first build's peak goes back; then the memory one save frees is
    // kept for the next, unless the writer stops for a while. At 10k that
    // keeps about 75 MiB more while saving, and a new article's save takes
    // a tenth less, not faulting its memory in again.
    crate::memory::give_back_freed();
    crate::memory::set_purge_delay(SERVE_PURGE_DELAY_MS);
    let _watcher = watch::start(&options.root, live, shared.clone())?;
    // Listen for Ctrl-C (and SIGTERM) before saying we serve, so a stop
    // that comes at once is a clean stop too.
    let stop = stop_signal()?;
    println!("Serving at {url} (Ctrl-C to stop)");
    if options.open {
        open_browser(&url);
    }
    let app = http::router(shared.clone());
    let stopping = shared.clone();
    let stopped = Arc::new(tokio::sync::Notify::new());
    let graceful = stopped.clone();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        stop.await;
        // Open pages hold an event stream each; end them, or the
        // server would wait for the browser to go away.
        let _ = stopping.signals.send(Signal::Shutdown);
        graceful.notify_one();
    });
    // A browser keeps idle connections open (Chromium opens spare ones
    // that never send a request), and a graceful stop waits for them: give
    // requests in flight a moment, then stop anyway.
    tokio::select! {
        result = server => result.map_err(|e| failed(format!("the server stopped: {e}")))?,
        _ = async {
            stopped.notified().await;
            tokio::time::sleep(STOP_GRACE).await;
        } => {}
    }
    println!("Stopped.");
    drop(preview);
    Ok(())
}

/// The folder the preview is written to, in the user's cache folder, kept
/// between runs: deleting a big site's preview took seconds on stopping;
/// kept, a stop is instant and the next start rewrites only the files that
/// changed. One per site, or more when several `serve`s of one site run at
/// once: each holds a lock on its folder while it runs.
struct PreviewDir {
    pub path: PathBuf,
    /// Held until the server stops.
    _lock: std::fs::File,
}

/// How many previews of one site may run at once.
const PREVIEWS_PER_SITE: usize = 16;

fn preview_dir(root: &std::path::Path) -> Result<PreviewDir, Diagnostic> {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut hasher);
    let base = crate::cache::folder();
    let cannot = |path: &std::path::Path, e: std::io::Error| {
        failed(format!(
            "cannot make the preview folder {}: {e}",
            crate::error::display_path(path)
        ))
    };
    std::fs::create_dir_all(&base).map_err(|e| cannot(&base, e))?;
    for n in 0..PREVIEWS_PER_SITE {
        let name = format!("preview-{:016x}-{n}", hasher.finish());
        let lock_path = base.join(format!("{name}.lock"));
        let lock = std::fs::File::create(&lock_path).map_err(|e| cannot(&lock_path, e))?;
        if lock.try_lock().is_ok() {
            let path = base.join(name);
            std::fs::create_dir_all(&path).map_err(|e| cannot(&path, e))?;
            return Ok(PreviewDir { path, _lock: lock });
        }
    }
    Err(failed(format!(
        "{PREVIEWS_PER_SITE} previews of this site are running already: stop one first"
    )))
}

/// `root` made absolute with symlinks resolved, or an error that says the
/// folder is not there.
fn site_root(root: &std::path::Path) -> Result<PathBuf, Diagnostic> {
    std::fs::canonicalize(root).map_err(|e| {
        failed(format!(
            "cannot open the site folder {}: {e}; run handout serve inside the site folder, or give it with --root",
            crate::error::display_path(root)
        ))
    })
}

/// A future that completes on Ctrl-C or, on Unix, SIGTERM; the handlers
/// are in place when this returns.
#[cfg(unix)]
fn stop_signal() -> Result<impl std::future::Future<Output = ()>, Diagnostic> {
    use tokio::signal::unix::{signal, SignalKind};
    let listen = |kind| signal(kind).map_err(|e| failed(format!("cannot listen for Ctrl-C: {e}")));
    let mut interrupt = listen(SignalKind::interrupt())?;
    let mut terminate = listen(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn stop_signal() -> Result<impl std::future::Future<Output = ()>, Diagnostic> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// How long `serve` keeps freed memory, in milliseconds: longer than a
/// writer's pause between saves.
const SERVE_PURGE_DELAY_MS: std::ffi::c_long = 30_000;

/// Prints a rebuild's result and tells open pages, naming the `saved`
/// files that caused it.
fn report(shared: &Shared, what: &str, result: &Result<Option<Outcome>, Errors>, saved: &[String]) {
    match result {
        Ok(None) => {}
        Ok(Some(outcome)) => {
            let later = match outcome.deferred {
                Deferred::Nothing => String::new(),
                Deferred::Files(n) => format!(" ({n} more after the reload)"),
                Deferred::Unknown => " (the rest after the reload)".to_string(),
            };
            println!(
                "{what}: {} file{} rendered, {} written{} in {} ms{later}",
                outcome.rendered,
                if outcome.rendered == 1 { "" } else { "s" },
                outcome.written,
                if outcome.full { " (every page)" } else { "" },
                outcome.elapsed.as_millis()
            );
            if let Ok(mut error) = shared.error.lock() {
                *error = None;
            }
            let saved = saved.to_vec();
            let signal = if outcome.css_only {
                Signal::Css(saved)
            } else {
                Signal::Reload(saved)
            };
            let _ = shared.signals.send(signal);
        }
        Err(errors) => {
            let text = errors.to_string();
            eprintln!("{text}");
            eprintln!("{what}: failed; still showing the last good pages.");
            if let Ok(mut error) = shared.error.lock() {
                *error = Some(text.clone());
            }
            let _ = shared.signals.send(Signal::Error(text));
        }
    }
}

/// Prints what a save left for after its reload, once it is written; a
/// failure is shown as any rebuild's is.
fn report_later(shared: &Shared, what: &str, result: &Result<Option<Outcome>, Errors>) {
    match result {
        Ok(None) => {}
        Ok(Some(outcome)) => println!(
            "{what}: then {} more rendered, {} written, after the reload in {} ms",
            outcome.rendered,
            outcome.written,
            outcome.elapsed.as_millis()
        ),
        Err(_) => report(shared, what, result, &[]),
    }
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(program)
        .arg(url)
        .spawn()
        .is_err()
    {
        eprintln!("Could not open a browser; open {url} yourself.");
    }
}
