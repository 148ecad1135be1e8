//! A real `handout serve` for tests: the process (its own TMPDIR, output
//! collected, Ctrl-C on drop) and the server it runs, with waits for its
//! live-reload events. Every wait is bounded.
//!
//! "Nothing more happened" is never a quiet spell (a slow machine is quiet
//! too): [`Server::sentinel`] saves a file no page uses and waits for the
//! event that names it, so every event that was due has arrived first.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::http::{request, Events, Response, SseEvent};
use super::TestSite;

/// Start-up: process start and the first build (debug binary, busy machine).
pub const START: Duration = Duration::from_secs(10);
/// One rebuild and its event, or one state to be reached by polling.
pub const REBUILD: Duration = Duration::from_secs(10);
/// From Ctrl-C to exit.
pub const STOP: Duration = Duration::from_secs(5);
/// What serve puts into every HTML response and build never writes.
pub const LIVE_TAG: &str = r#"<script src="/__handout/live.js"></script>"#;
/// The file [`Server::sentinel`] saves: under `content/`, so it is
/// watched, and linked from nowhere, so no page changes.
pub const SENTINEL: &str = "content/sentinel.txt";

impl Response {
    /// The body as `handout build` would have written it: HTML without the
    /// one injected live script.
    pub fn without_live_script(&self) -> Vec<u8> {
        if !self.content_type().starts_with("text/html") {
            return self.body.clone();
        }
        self.text().replacen(LIVE_TAG, "", 1).into_bytes()
    }
}

/// A running `handout`, with its own TMPDIR and cache folder (where the
/// preview goes); on drop it gets Ctrl-C
/// (SIGINT), then SIGKILL if it has not stopped, so none outlives a test.
pub struct Handout {
    pub child: Child,
    pub lines: Receiver<String>,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<thread::JoinHandle<()>>,
    pub tmp: tempfile::TempDir,
}

impl Handout {
    /// `handout <args> --root <site>`, in the site folder.
    pub fn spawn(site: &TestSite, args: &[&str]) -> Handout {
        let root = site.root().to_string_lossy().into_owned();
        let mut all = args.to_vec();
        all.extend(["--root", &root]);
        Handout::spawn_in(site.root(), &all)
    }

    /// `handout <args>` exactly as given, with `cwd` as working directory
    /// (the user's path: `cd site && handout serve`).
    pub fn spawn_in(cwd: &Path, args: &[&str]) -> Handout {
        let mut command = Command::new(env!("CARGO_BIN_EXE_handout"));
        command.args(args);
        Handout::spawn_command_in(command, cwd)
    }

    /// A command line exactly as handout or the docs print it (`cd site &&
    /// handout serve`), run by `sh` in `cwd` with `handout` on the PATH.
    /// It runs in its own process group, as in a terminal, so Ctrl-C
    /// reaches handout and not only the shell.
    pub fn spawn_shell(cwd: &Path, line: &str) -> Handout {
        use std::os::unix::process::CommandExt;
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(line)
            .env("PATH", super::path_with_handout())
            .process_group(0);
        Handout::spawn_command_in(command, cwd)
    }

    /// `command` (a `handout` or a shell) in `cwd`, with its own TMPDIR and
    /// cache folder unless the command sets them.
    pub fn spawn_command_in(mut command: Command, cwd: &Path) -> Handout {
        let tmp = tempfile::tempdir().expect("temp dir");
        for name in ["TMPDIR", "XDG_CACHE_HOME"] {
            if !command.get_envs().any(|(set, _)| set == name) {
                command.env(name, tmp.path());
            }
        }
        let mut child = command
            .current_dir(cwd)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start handout");
        let (tx, lines) = mpsc::channel();
        let (stdout, out_reader) = collect(child.stdout.take().expect("stdout"), Some(tx));
        let (stderr, err_reader) = collect(child.stderr.take().expect("stderr"), None);
        Handout {
            child,
            lines,
            stdout,
            stderr,
            readers: vec![out_reader, err_reader],
            tmp,
        }
    }

    /// The exit status, if it exits within `timeout`; then its output has
    /// been read to the end.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                while !self.readers.iter().all(|r| r.is_finished()) && Instant::now() < deadline {
                    thread::sleep(Duration::from_millis(5));
                }
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Ctrl-C, and the exit status if it stops within `STOP`.
    pub fn interrupt(&mut self) -> Option<ExitStatus> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Some(status);
        }
        let pid = libc::pid_t::try_from(self.child.id()).expect("pid");
        // SAFETY: kill has no memory effects; pid is our own unreaped child
        // (and, for `spawn_shell`, the leader of its own process group).
        unsafe {
            libc::kill(pid, libc::SIGINT);
            libc::kill(-pid, libc::SIGINT);
        }
        self.wait_exit(STOP)
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn logs(&self) -> String {
        format!("stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr())
    }
}

impl Drop for Handout {
    fn drop(&mut self) {
        if self.interrupt().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Reads `pipe` line by line on a thread into the returned text, and sends
/// each line to `lines` too.
pub fn collect(
    pipe: impl Read + Send + 'static,
    lines: Option<mpsc::Sender<String>>,
) -> (Arc<Mutex<String>>, thread::JoinHandle<()>) {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = text.clone();
    let reader = thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if let Ok(mut text) = sink.lock() {
                text.push_str(&line);
                text.push('\n');
            }
            if let Some(lines) = &lines {
                let _ = lines.send(line);
            }
        }
    });
    (text, reader)
}

/// `handout serve --port 0` on a site, with the URL it printed.
pub struct Server {
    pub process: Handout,
    pub addr: SocketAddr,
    pub url: String,
    /// The site folder, where the sentinel is saved.
    pub root: PathBuf,
}

impl Server {
    pub fn start(site: &TestSite) -> Server {
        Server::start_with(site, &[])
    }

    /// `handout serve --port 0 <extra>`.
    pub fn start_with(site: &TestSite, extra: &[&str]) -> Server {
        let args: Vec<&str> = ["serve", "--port", "0"]
            .iter()
            .chain(extra)
            .copied()
            .collect();
        Server::serving(Handout::spawn(site, &args), site.root())
    }

    /// A `handout serve` already started on the site in `root`, once it
    /// has printed its URL.
    pub fn serving(process: Handout, root: &Path) -> Server {
        let deadline = Instant::now() + START;
        let url = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match process.lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix("Serving at ") {
                        break rest.split_whitespace().next().unwrap_or("").to_string();
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no URL within {START:?}\n{}", process.logs())
                }
                Err(RecvTimeoutError::Disconnected) => {
                    thread::sleep(Duration::from_millis(50));
                    panic!("serve stopped before serving\n{}", process.logs())
                }
            }
        };
        let addr = url
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|host| host.parse().ok())
            .unwrap_or_else(|| panic!("not a local URL: {url:?}"));
        Server {
            process,
            addr,
            url,
            root: root.to_path_buf(),
        }
    }

    pub fn tmp(&self) -> &Path {
        self.process.tmp.path()
    }

    pub fn stdout(&self) -> String {
        self.process.stdout()
    }

    pub fn stderr(&self) -> String {
        self.process.stderr()
    }

    pub fn logs(&self) -> String {
        self.process.logs()
    }

    pub fn request(&self, method: &str, target: &str) -> Response {
        request(self.addr, method, target)
            .unwrap_or_else(|e| panic!("{method} {target}: {e}\n{}", self.logs()))
    }

    pub fn get(&self, target: &str) -> Response {
        self.request("GET", target)
    }

    pub fn status(&self, target: &str) -> u16 {
        self.get(target).status
    }

    /// The body of a 200 answer, without the injected live script.
    pub fn text(&self, target: &str) -> String {
        let response = self.get(target);
        assert_eq!(response.status, 200, "GET {target}: {}", response.head());
        String::from_utf8_lossy(&response.without_live_script()).into_owned()
    }

    /// A connected events stream: once this returns, the server is
    /// subscribed, so it hears every rebuild after this point.
    pub fn events(&self) -> Events {
        Events::connect(self.addr).unwrap_or_else(|e| panic!("events: {e}\n{}", self.logs()))
    }

    /// Waits, within `REBUILD`, until the server has printed `needle`: its
    /// output is read on another thread, so a line printed before an event
    /// may be read after it.
    pub fn await_stdout(&self, needle: &str) {
        let deadline = Instant::now() + REBUILD;
        while !self.stdout().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} within {REBUILD:?}\n{}",
                self.logs()
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// [`Server::events`] as the page at URL path `page` listens, which
    /// tells the server the page is open.
    pub fn events_on(&self, page: &str) -> Events {
        let target = format!("/__handout/events?page={page}");
        Events::connect_to(self.addr, &target)
            .unwrap_or_else(|e| panic!("events: {e}\n{}", self.logs()))
    }

    /// The next event, whatever it is, within `REBUILD`.
    pub fn await_any(&self, events: &mut Events) -> SseEvent {
        events
            .next(REBUILD)
            .unwrap_or_else(|| panic!("no event within {REBUILD:?}\n{}", self.logs()))
    }

    /// The first event named `name` within `REBUILD`, skipping others.
    pub fn await_event(&self, events: &mut Events, name: &str) -> SseEvent {
        let deadline = Instant::now() + REBUILD;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match events.next(left) {
                Some(event) if event.name == name => return event,
                Some(event) => seen.push(event),
                None => panic!(
                    "no `{name}` event within {REBUILD:?}; saw {seen:?}\n{}",
                    self.logs()
                ),
            }
        }
    }

    /// Saves the sentinel file (new text each time) and returns every
    /// event up to the one that names it, which must be a reload for the
    /// sentinel alone. Whatever was due before the save has arrived by
    /// then: the watcher handles saves in order.
    pub fn sentinel(&self, events: &mut Events) -> Vec<SseEvent> {
        self.sentinel_with(events, &[])
    }

    /// [`Server::sentinel`], where the sentinel's event may also name the
    /// files in `late`: a burst of saves can leave a last event for a file
    /// whose final text is already served, which a busy machine delivers
    /// with the sentinel's.
    pub fn sentinel_with(&self, events: &mut Events, late: &[&str]) -> Vec<SseEvent> {
        static SAVES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = SAVES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = self.root.join(SENTINEL);
        std::fs::write(&path, format!("sentinel {n}\n"))
            .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        let deadline = Instant::now() + REBUILD;
        let mut before = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(event) = events.next(left) else {
                panic!(
                    "no event for {SENTINEL} within {REBUILD:?}; saw {before:?}\n{}",
                    self.logs()
                );
            };
            if event.saved().iter().any(|p| p == SENTINEL) {
                let mut saved = event.saved();
                saved.retain(|p| !late.contains(&p.as_str()));
                assert_eq!(
                    (event.name.as_str(), saved),
                    ("reload", vec![SENTINEL.to_string()]),
                    "the sentinel's event names something else too\n{}",
                    self.logs()
                );
                return before;
            }
            before.push(event);
        }
    }

    /// Nothing was due: the next event is the sentinel's.
    pub fn assert_no_event_due(&self, events: &mut Events) {
        let stray = self.sentinel(events);
        assert!(
            stray.is_empty(),
            "events before the sentinel: {stray:?}\n{}",
            self.logs()
        );
    }

    /// A reload, then the change's rebuilds are over (the sentinel's event
    /// came) with no error among them, and the site is good.
    pub fn await_reload_and_settled(&self, events: &mut Events) {
        self.await_event(events, "reload");
        for event in self.sentinel(events) {
            assert_ne!(event.name, "build-error", "{event:?}\n{}", self.logs());
        }
    }
}
