//! The default theme's real checkers, run against three built sites:
//!
//! - `comparison`: the fixture `tests/sites/comparison` (a 3-column table);
//! - `example`: the repository's own example site (the IMPACT clinics, in
//!   English and Spanish: `languages.test.mjs` follows its language switcher);
//! - `corpus`: a 200-article site from the corpus generator (`tools/corpus`:
//!   8 clinics, 12 clinicians, seed 1), a third of its nouns made up
//!   (`--vocabulary 20000`): thousands of words, so its search index
//!   finds its word lists through groups.
//! - `search`: the fixture `tests/sites/search`, built for the sub-folder
//!   `/clinic/` of its server (search must work from there).
//!
//! Two tests:
//!
//! - `nu_html_checker`: the W3C Nu HTML Checker (`node_modules/vnu-jar`, run
//!   with `java`) over every HTML file of the three sites, with `--errors-only`:
//!   any error fails.
//! - `browser_suite`: serves the three sites on 127.0.0.1 (a static file server
//!   in this test, on the crate's own tower-http) and runs `node --test`
//!   on `tests/browser/*.test.mjs`, which drive Debian's Chromium through
//!   playwright-core: axe-core (WCAG 2.x A/AA) on every page kind, no page
//!   scrolls sideways at 320 px, the comparison table, the print stylesheet,
//!   the head metadata and the theme's own accessibility rules.
//!
//! They need `/usr/bin/chromium` (`apt-get install chromium`), `java`
//! (`apt-get install default-jre-headless`), `node_modules/` (`npm ci
//! --ignore-scripts`).
//! Without them each test says SKIPPED on stderr and passes, unless
//! `HANDOUT_REQUIRE_BROWSER=1` (as in CI), where it fails.

mod common;

use std::fs::File;
use std::io::Write as _;
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::TestSite;

const CHROMIUM: &str = "/usr/bin/chromium";
const VNU_JAR: &str = "node_modules/vnu-jar/build/dist/vnu.jar";
/// The whole node run; about a minute on an idle 2-core machine.
const NODE_TIMEOUT: Duration = Duration::from_secs(480);
/// The Nu checker over some 350 files; about 20 s.
const VNU_TIMEOUT: Duration = Duration::from_secs(300);
/// Articles in the generated site: enough pages of every kind to catch
/// what one example of each misses (long names, many terms, empty fields).
const CORPUS_ARTICLES: usize = 200;
/// Made-up words for the corpus: about 5,700 different words in all, 100
/// word lists and more.
const CORPUS_VOCABULARY: usize = 20_000;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// SKIPPED on stderr (and a pass), or a failure under `HANDOUT_REQUIRE_BROWSER=1`.
/// Returns true when the test should stop here.
fn skip_unless_present(what: &str, needs: &[PathBuf], commands: &[&str]) -> bool {
    let mut missing: Vec<String> = needs
        .iter()
        .filter(|p| !p.exists())
        .map(|p| p.display().to_string())
        .collect();
    for command in commands {
        let found = Command::new(command)
            .arg(if *command == "java" {
                "-version"
            } else {
                "--version"
            })
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !found {
            missing.push(format!("`{command}` on PATH"));
        }
    }
    if missing.is_empty() {
        return false;
    }
    let message = format!(
        "{what} needs {}; missing: {}",
        "Debian's chromium (/usr/bin/chromium), java (default-jre-headless), node and `npm ci --ignore-scripts` (node_modules/)",
        missing.join(", ")
    );
    if std::env::var("HANDOUT_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("HANDOUT_REQUIRE_BROWSER=1 but {message}");
    }
    // Straight to stderr: the test harness captures eprintln! of a passing test.
    let _ = writeln!(
        std::io::stderr(),
        "\n*** SKIPPED: {message} ***\n*** set HANDOUT_REQUIRE_BROWSER=1 to make this a failure ***\n"
    );
    true
}

/// One built site: its output folder and the port it was built for.
struct Built {
    public: PathBuf,
    port: u16,
}

impl Built {
    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }
}

struct Sites {
    comparison: Built,
    example: Built,
    corpus: Built,
    /// Built into `<public>/clinic/`, served from `public`.
    search: Built,
}

impl Sites {
    fn all(&self) -> [(&'static str, &Built); 3] {
        [
            ("comparison", &self.comparison),
            ("example", &self.example),
            ("corpus", &self.corpus),
        ]
    }
}

/// The three sites, built once per test binary (both tests use them) under
/// cargo's per-target temp folder, which the next run clears.
fn sites() -> &'static Sites {
    static SITES: OnceLock<Sites> = OnceLock::new();
    SITES.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-sites");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("mkdir browser-sites");

        // The fixture: copied, given a default share image (so list pages
        // carry og:image), then built with its own output folder.
        let fixture = TestSite::fixture("comparison");
        let site_yaml = fixture.read("site.yaml");
        fixture.write("site.yaml", &format!("{site_yaml}share_image: share.png\n"));
        let icon = std::fs::read(manifest().join("themes/default/static/apple-touch-icon.png"))
            .expect("read the theme's apple-touch-icon.png");
        fixture.write_bytes("content/share.png", &icon);
        let comparison = Built {
            public: root.join("comparison"),
            port: free_port(),
        };
        build(fixture.root(), &comparison);

        // The example site is the repository itself; --output keeps its public/ alone.
        let example = Built {
            public: root.join("example"),
            port: free_port(),
        };
        build(manifest(), &example);

        let corpus_src = common::corpus::generated_with_vocabulary(
            &root.join("corpus-src"),
            CORPUS_ARTICLES,
            CORPUS_VOCABULARY,
        );
        let corpus = Built {
            public: root.join("corpus"),
            port: free_port(),
        };
        build(&corpus_src, &corpus);

        let search = Built {
            public: root.join("search"),
            port: free_port(),
        };
        let search_url = format!("{}clinic/", search.base_url());
        build_at(
            &manifest().join("tests/sites/search"),
            &search.public.join("clinic"),
            &search_url,
        );
        Sites {
            comparison,
            example,
            corpus,
            search,
        }
    })
}

fn build(site_root: &Path, built: &Built) {
    build_at(site_root, &built.public, &built.base_url());
}

fn build_at(site_root: &Path, public: &Path, base_url: &str) {
    let output = public.to_string_lossy().into_owned();
    let site_root_arg = site_root.to_string_lossy().into_owned();
    common::run(
        &[
            "build",
            "--quiet",
            "--root",
            &site_root_arg,
            "--output",
            &output,
            "--base-url",
            base_url,
        ],
        site_root,
    )
    .assert_ok();
    assert!(
        public.join("sitemap.xml").is_file(),
        "no sitemap.xml in {}",
        public.display()
    );
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// The search script as the default theme serves it, and its source.
const SEARCH_SERVED: &str = "themes/default/static/search.js";
const SEARCH_SOURCE: &str = "themes/default/scripts/search.js";

/// The default theme serves its search script minified by terser (at the
/// version `package-lock.json` pins), from its source with the comments
/// (24 KB to 11: every search loads it, in a budget of 100 KB). The
/// served file is what terser makes of the source now; after an edit to
/// the source, `HANDOUT_BLESS=1 cargo test --test browser -- search_script`
/// writes it.
#[test]
fn the_served_search_script_is_its_source_minified() {
    let terser = manifest().join("node_modules/.bin/terser");
    if skip_unless_present(
        "minifying the search script",
        std::slice::from_ref(&terser),
        &["node"],
    ) {
        return;
    }
    let made = Command::new(&terser)
        .arg(manifest().join(SEARCH_SOURCE))
        .args(["--compress", "--mangle", "--comments", "false", "--format"])
        .arg(format!(
            "preamble=\"/* handout's site search, minified: its source is {SEARCH_SOURCE} in handout. */\""
        ))
        .output()
        .expect("run terser");
    assert!(
        made.status.success(),
        "terser: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    let served = manifest().join(SEARCH_SERVED);
    if std::env::var("HANDOUT_BLESS").as_deref() == Ok("1") {
        std::fs::write(&served, &made.stdout).expect("write the served script");
        return;
    }
    let now = std::fs::read(&served).expect("read the served script");
    assert!(
        now == made.stdout,
        "{SEARCH_SERVED} is not {SEARCH_SOURCE} minified: after editing the source, run \
         `HANDOUT_BLESS=1 cargo test --test browser -- search_script` and commit both"
    );
}

/// The W3C Nu HTML Checker over every page of the three sites: zero errors.
#[test]
fn nu_html_checker() {
    let jar = manifest().join(VNU_JAR);
    if skip_unless_present("the Nu HTML Checker", std::slice::from_ref(&jar), &["java"]) {
        return;
    }
    let sites = sites();
    let mut files = Vec::new();
    for (name, site) in sites.all() {
        let pages = html_files(&site.public);
        assert!(pages.len() >= 10, "{name}: only {} HTML files", pages.len());
        files.extend(pages);
    }
    let log_dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let (status, output) = run_with_timeout(
        Command::new("java")
            .arg("-jar")
            .arg(&jar)
            .arg("--errors-only")
            .args(&files),
        VNU_TIMEOUT,
        log_dir.path(),
    );
    match status {
        // vnu exits 1 on any error and prints one line per error.
        Some(status) if status.success() && !output.contains("error:") => {
            let _ = writeln!(
                std::io::stderr(),
                "Nu HTML Checker: 0 errors in {} files ({:.1} s)",
                files.len(),
                started.elapsed().as_secs_f64()
            );
        }
        Some(status) => {
            let errors = output.lines().filter(|l| l.contains("error:")).count();
            panic!(
                "the Nu HTML Checker found {errors} errors in {} files ({status}):\n{output}",
                files.len()
            );
        }
        None => panic!(
            "the Nu HTML Checker did not finish in {} s:\n{output}",
            VNU_TIMEOUT.as_secs()
        ),
    }
}

/// axe-core, the 320 px check, the comparison table, print and head metadata,
/// in headless Chromium.
#[test]
fn browser_suite() {
    let needs = [
        PathBuf::from(CHROMIUM),
        manifest().join("node_modules/playwright-core/package.json"),
        manifest().join("node_modules/axe-core/axe.min.js"),
    ];
    if skip_unless_present("the browser tests", &needs, &["node"]) {
        return;
    }
    let sites = sites();
    let mut _servers: Vec<Server> = sites
        .all()
        .iter()
        .map(|(_, site)| Server::start(&site.public, site.port))
        .collect();
    _servers.push(Server::start(&sites.search.public, sites.search.port));

    let tests = test_files(&manifest().join("tests/browser"));
    assert!(!tests.is_empty(), "no *.test.mjs files in tests/browser/");
    let log_dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let (status, output) = run_with_timeout(
        Command::new("node")
            .arg("--test")
            // One file at a time: two Chromiums at once only fight over 2 cores.
            .arg("--test-concurrency=1")
            .args(&tests)
            .current_dir(manifest())
            .env("HANDOUT_BASE_URL", sites.comparison.base_url())
            .env("HANDOUT_EXAMPLE_URL", sites.example.base_url())
            .env("HANDOUT_CORPUS_URL", sites.corpus.base_url())
            .env(
                "HANDOUT_SEARCH_URL",
                format!("{}clinic/", sites.search.base_url()),
            )
            .env("HANDOUT_CHROMIUM", CHROMIUM)
            // For the live-reload test, which starts `handout serve` itself.
            .env("HANDOUT_BIN", env!("CARGO_BIN_EXE_handout"))
            .env("HANDOUT_FIXTURE", manifest().join("tests/sites/basic"))
            .env("NO_COLOR", "1")
            // Previews that the live-reload test starts stay out of ~/.cache.
            .env("XDG_CACHE_HOME", log_dir.path()),
        NODE_TIMEOUT,
        log_dir.path(),
    );
    let elapsed = started.elapsed();
    match status {
        Some(status) if status.success() => {
            // The node runner's summary and the checkers' counts.
            let summary: Vec<&str> = output
                .lines()
                .filter(|l| l.starts_with("# ") || l.contains("axe:") || l.contains("320 px:"))
                .collect();
            let _ = writeln!(
                std::io::stderr(),
                "browser tests passed in {:.1} s\n{}",
                elapsed.as_secs_f64(),
                summary.join("\n")
            );
        }
        Some(status) => panic!("`node --test tests/browser/` failed ({status}):\n{output}"),
        None => panic!(
            "`node --test tests/browser/` did not finish in {} s and was killed:\n{output}",
            NODE_TIMEOUT.as_secs()
        ),
    }
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a free port");
    listener.local_addr().expect("local addr").port()
}

fn test_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("dir entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    files
}

/// A static file server for a built site, as a plain host serves it
/// (tower-http's `ServeDir`: `index.html` for folders, content types), on
/// a thread of its own; it stops when dropped (also on panic).
struct Server {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Server {
    fn start(public: &Path, port: u16) -> Server {
        // Bound here, so the port is listening when this returns.
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .unwrap_or_else(|e| panic!("bind 127.0.0.1:{port}: {e}"));
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let public = public.to_path_buf();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            runtime.block_on(async move {
                let listener =
                    tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                let files = tower_http::services::ServeDir::new(public);
                let app = axum::Router::new().fallback_service(files);
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        Server { stop: Some(stop) }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Runs `command` with stdout and stderr in one log file; `None` if it was
/// killed at the timeout. Returns the log either way.
fn run_with_timeout(
    command: &mut Command,
    timeout: Duration,
    log_dir: &Path,
) -> (Option<ExitStatus>, String) {
    let log_path = log_dir.join("run.log");
    let log = File::create(&log_path).expect("create log");
    // Its own process group, so a timeout ends the test files' node
    // processes and their Chromiums too, not only the runner.
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("clone log"))
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("start {program}: {e}"));
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait().expect("wait for child") {
            Some(status) => break Some(status),
            None if Instant::now() >= deadline => {
                if let Ok(pgid) = libc::pid_t::try_from(child.id()) {
                    // SAFETY: kill(2) with a negative pid signals that process group.
                    unsafe { libc::kill(-pgid, libc::SIGKILL) };
                }
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    let output = std::fs::read_to_string(&log_path).unwrap_or_default();
    (status, output)
}
