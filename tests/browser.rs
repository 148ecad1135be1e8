//! The browser tests: builds the fixture site `tests/sites/comparison` with the
//! real binary, serves it on 127.0.0.1 and runs `node --test` on the files in
//! `tests/browser/`, which drive Debian's Chromium through playwright-core.
//!
//! They need `/usr/bin/chromium` (`apt-get install chromium`) and
//! `node_modules/playwright-core` (`npm ci`). Without them this test says
//! SKIPPED on stderr and passes, unless `HANDOUT_REQUIRE_BROWSER=1` (as in CI),
//! where it fails.

mod common;

use std::fs::File;
use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::TestSite;

const CHROMIUM: &str = "/usr/bin/chromium";
const SKIP: &str = "browser tests need Debian's chromium (/usr/bin/chromium) and `npm ci` (node_modules/playwright-core)";
/// The whole node run; it takes a few seconds, more on a busy machine.
const NODE_TIMEOUT: Duration = Duration::from_secs(300);
const SERVER_START: Duration = Duration::from_secs(20);

#[test]
fn browser_suite() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let missing: Vec<String> = [
        PathBuf::from(CHROMIUM),
        manifest.join("node_modules/playwright-core/package.json"),
    ]
    .into_iter()
    .filter(|p| !p.exists())
    .map(|p| p.display().to_string())
    .collect();
    if !missing.is_empty() {
        let message = format!("{SKIP}; missing: {}", missing.join(", "));
        if std::env::var("HANDOUT_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("HANDOUT_REQUIRE_BROWSER=1 but {message}");
        }
        // Straight to stderr: the test harness captures eprintln! of a passing test.
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED: {message} ***\n*** set HANDOUT_REQUIRE_BROWSER=1 to make this a failure ***\n"
        );
        return;
    }

    let site = TestSite::fixture("comparison");
    let port = free_port();
    let base_url = format!("http://127.0.0.1:{port}/");
    let public = site.path("out/public");
    let public_arg = public.to_string_lossy().into_owned();
    site.handout(&["build", "--output", &public_arg, "--base-url", &base_url])
        .assert_ok();
    assert!(public.join("sitemap.xml").is_file(), "no sitemap.xml built");

    let _server = Server::python(&public, port);

    let tests = test_files(&manifest.join("tests/browser"));
    assert!(!tests.is_empty(), "no *.test.mjs files in tests/browser/");
    let log_dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let (status, output) = run_with_timeout(
        Command::new("node")
            .arg("--test")
            .args(&tests)
            .current_dir(manifest)
            .env("HANDOUT_BASE_URL", &base_url)
            .env("HANDOUT_CHROMIUM", CHROMIUM)
            .env("NO_COLOR", "1"),
        NODE_TIMEOUT,
        log_dir.path(),
    );
    let elapsed = started.elapsed();
    match status {
        Some(status) if status.success() => {
            let _ = writeln!(
                std::io::stderr(),
                "browser tests passed in {:.1} s",
                elapsed.as_secs_f64()
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

/// A static file server for `public/`, killed when dropped (also on panic).
struct Server {
    child: Child,
}

impl Server {
    /// `python3 -m http.server`, until `handout serve` exists.
    fn python(public: &Path, port: u16) -> Server {
        let child = Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .arg("--directory")
            .arg(public)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start python3 -m http.server");
        let mut server = Server { child };
        server.wait_until_listening(port);
        server
    }

    fn wait_until_listening(&mut self, port: u16) {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + SERVER_START;
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the web server exited before it listened on {addr}: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "the web server did not listen on {addr} within {} s",
                SERVER_START.as_secs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `command` with stdout and stderr in one log file; `None` if it was
/// killed at the timeout. Returns the log either way.
fn run_with_timeout(
    command: &mut Command,
    timeout: Duration,
    log_dir: &Path,
) -> (Option<ExitStatus>, String) {
    let log_path = log_dir.join("node.log");
    let log = File::create(&log_path).expect("create log");
    // Its own process group, so a timeout ends the test files' node
    // processes and their Chromiums too, not only the runner.
    let mut child = command
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("clone log"))
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("start node (is Node.js installed?): {e}"));
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait().expect("wait for node") {
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
