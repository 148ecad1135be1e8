//! Edit-to-reload latency of `handout serve` on generated sites: the time
//! from writing an article to receiving `event: reload` on the Server-Sent
//! Events stream, so the watcher's debounce and the rebuild are included.
//!
//! ```sh
//! cargo build --release --bins --examples
//! cargo run --release --example serve_latency -- 1000 10000
//! ```
//!
//! The binary is `target/release/handout` (beside this benchmark, so
//! `CARGO_TARGET_DIR` is followed), or the one env `HANDOUT_BIN`
//! names. Sizes are article counts (default 1000 and 10000). The corpora are the
//! ones `examples/bench.rs` makes under `target/bench/corpus-N` (made here
//! if missing, by the same `tools/corpus` generator); each is copied into a
//! temporary folder first, because this benchmark edits it. Per size:
//!
//! * body edits (env `HANDOUT_EDITS`, default 200): a sentence appended to
//!   the body of one article, a different article each time (drafts, which
//!   `serve` leaves out without `--drafts`, are not edited);
//! * title edits (env `HANDOUT_TITLE_EDITS`, default 5): the `title:` line
//!   changed, which changes every list the article is on;
//!
//! and at the largest size a soak of `HANDOUT_SOAK_EDITS` body edits
//! (default 1000) with the server's resident memory (VmRSS) before it and
//! after each quarter of it.

#[path = "common/corpus.rs"]
mod corpus;

use corpus::{corpus, env_count, handout_binary};
use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// Longest wait for one reload (a title edit re-rendered every page, and
/// took minutes at 10,000 articles when this was written).
const REBUILD_TIMEOUT: Duration = Duration::from_secs(600);
/// Longest wait for the server to build the site and print its URL.
const START_TIMEOUT: Duration = Duration::from_secs(300);
/// After a reload, this long without events means the change is done.
const SETTLE: Duration = Duration::from_millis(50);
/// From Ctrl-C to exit: the server deletes its private copy of the site.
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

fn main() {
    let sizes = corpus::sizes();
    let edits = env_count("HANDOUT_EDITS", 200);
    let title_edits = env_count("HANDOUT_TITLE_EDITS", 5);
    let soak_edits = env_count("HANDOUT_SOAK_EDITS", 1000);
    let handout = handout_binary();
    let largest = sizes.iter().copied().max().unwrap_or(0);

    println!("| articles | edit | edits | p50 | p95 | max | rebuild p50 (server) | stray events |");
    println!("|---:|---|---:|---:|---:|---:|---:|---:|");
    let mut memory_rows = Vec::new();
    for articles in sizes {
        let site = copy_site(&corpus(articles));
        let mut server = Server::start(&handout, site.path());
        let mut editor = Editor::new(site.path());
        let mut events = server.events();
        let (rss_start, _) = server.rss_kib();

        let body = measure(&mut server, &mut events, edits, || editor.append_sentence());
        print_row(articles, "body", &body);
        let title = measure(&mut server, &mut events, title_edits, || {
            editor.change_title()
        });
        print_row(articles, "title", &title);

        if articles == largest && soak_edits > 0 {
            let (before, _) = server.rss_kib();
            let (series, samples) = soak(&mut server, &mut events, &mut editor, soak_edits);
            print_row(articles, "body (soak)", &series);
            let (_, peak) = server.rss_kib();
            let samples: Vec<String> = samples.into_iter().map(mib).collect();
            memory_rows.push(format!(
                "| {articles} | {} | {} | {soak_edits} | {} | {} |",
                mib(rss_start),
                mib(before),
                samples.join(" | "),
                mib(peak)
            ));
        }
        drop(events);
        server.stop();
    }
    if !memory_rows.is_empty() {
        println!();
        println!(
            "| articles | RSS after start | RSS before soak | soak edits | RSS after 1/4 | 2/4 | 3/4 | all | peak RSS |"
        );
        println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for row in memory_rows {
            println!("{row}");
        }
    }
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

/// What one series of edits measured.
#[derive(Default)]
struct Series {
    latencies: Vec<Duration>,
    /// The rebuild times the server printed, in ms.
    rebuilds: Vec<u64>,
    /// Events beyond the one reload per edit (a second rebuild, an error).
    stray: usize,
}

/// Runs `count` edits one after another, each timed from the write to its
/// reload event.
fn measure(
    server: &mut Server,
    events: &mut Events,
    count: usize,
    mut edit: impl FnMut() -> PathBuf,
) -> Series {
    let mut series = Series::default();
    for i in 0..count {
        let written = Instant::now();
        let path = edit();
        let deadline = written + REBUILD_TIMEOUT;
        let reloaded = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match events.next(left) {
                Some((name, at)) if name == "reload" => break at,
                Some((name, _)) => {
                    eprintln!("unexpected `{name}` event:\n{}", server.output());
                    series.stray += 1;
                }
                None => panic!(
                    "edit {i} of {}: no reload within {REBUILD_TIMEOUT:?}\n{}",
                    path.display(),
                    server.output()
                ),
            }
        };
        series.latencies.push(reloaded.duration_since(written));
        // A second rebuild of the same write would answer the next edit.
        while events.next(SETTLE).is_some() {
            series.stray += 1;
        }
        series.rebuilds.extend(server.rebuild_times());
    }
    series
}

/// `edits` body edits in four parts, with the server's RSS (KiB) after each.
fn soak(
    server: &mut Server,
    events: &mut Events,
    editor: &mut Editor,
    edits: usize,
) -> (Series, Vec<u64>) {
    let mut all = Series::default();
    let mut samples = Vec::new();
    for part in 0..4 {
        let count = edits * (part + 1) / 4 - edits * part / 4;
        let series = measure(server, events, count, || editor.append_sentence());
        all.latencies.extend(series.latencies);
        all.rebuilds.extend(series.rebuilds);
        all.stray += series.stray;
        samples.push(server.rss_kib().0);
    }
    (all, samples)
}

fn print_row(articles: usize, what: &str, series: &Series) {
    if series.latencies.is_empty() {
        return;
    }
    let mut sorted = series.latencies.clone();
    sorted.sort();
    let mut rebuilds = series.rebuilds.clone();
    rebuilds.sort();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "| {articles} | {what} | {} | {} | {} | {} | {} ms | {} |",
        sorted.len(),
        ms(percentile(&sorted, 50)),
        ms(percentile(&sorted, 95)),
        ms(sorted.last().copied().unwrap_or_default()),
        percentile(&rebuilds, 50),
        series.stray
    );
}

/// The nearest-rank percentile of sorted values.
fn percentile<T: Copy + Default>(sorted: &[T], p: usize) -> T {
    if sorted.is_empty() {
        return T::default();
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

// ---------------------------------------------------------------------------
// The site

/// A temporary copy of a corpus's sources (not its `public/`).
fn copy_site(corpus: &Path) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("handout-latency-")
        .tempdir()
        .expect("temp dir");
    for entry in walkdir::WalkDir::new(corpus)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || e.file_name() != "public")
    {
        let entry = entry.expect("walk the corpus");
        let rel = entry.path().strip_prefix(corpus).expect("prefix");
        let target = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    dir
}

/// Makes the edits, cycling through the published articles.
struct Editor {
    articles: Vec<PathBuf>,
    next: usize,
    count: usize,
}

impl Editor {
    fn new(site: &Path) -> Editor {
        let mut articles: Vec<PathBuf> = std::fs::read_dir(site.join("content/articles"))
            .expect("content/articles")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .filter(|p| !is_draft(p))
            .collect();
        articles.sort();
        assert!(!articles.is_empty(), "no articles in {}", site.display());
        Editor {
            articles,
            next: 0,
            count: 0,
        }
    }

    /// The next article; a stride through the list spreads edits over it.
    fn pick(&mut self) -> PathBuf {
        self.count += 1;
        self.next = (self.next + 7919) % self.articles.len();
        self.articles[self.next].clone()
    }

    /// One `write` that appends a paragraph to the body, as a save would.
    fn append_sentence(&mut self) -> PathBuf {
        let path = self.pick();
        let sentence = format!(
            "\nEdit {}: walk a little every day, then rest.\n",
            self.count
        );
        let mut file = OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open article");
        file.write_all(sentence.as_bytes()).expect("append");
        path
    }

    /// Rewrites the `title:` line of the front matter.
    fn change_title(&mut self) -> PathBuf {
        let path = self.pick();
        let text = std::fs::read_to_string(&path).expect("read article");
        let count = self.count;
        let edited: Vec<String> = text
            .lines()
            .map(|line| {
                if line.starts_with("title: ") {
                    format!("title: \"Edited title number {count}\"")
                } else {
                    line.to_string()
                }
            })
            .collect();
        std::fs::write(&path, edited.join("\n") + "\n").expect("write article");
        path
    }
}

fn is_draft(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.lines().any(|l| l == "draft: true"))
}

// ---------------------------------------------------------------------------
// The server

/// `handout serve --port 0` on a site; Ctrl-C, then kill, when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    lines: Receiver<String>,
    stderr: Receiver<String>,
}

impl Server {
    fn start(handout: &Path, site: &Path) -> Server {
        let started = Instant::now();
        let mut child = Command::new(handout)
            .args(["serve", "--port", "0", "--root"])
            .arg(site)
            // The preview folder beside the site, not in ~/.cache.
            .env("XDG_CACHE_HOME", site.join(".cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("run {}: {e}", handout.display()));
        let lines = line_channel(child.stdout.take().expect("stdout"));
        let stderr = line_channel(child.stderr.take().expect("stderr"));
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            lines,
            stderr,
        };
        let url = loop {
            let left = START_TIMEOUT.saturating_sub(started.elapsed());
            match server.lines.recv_timeout(left) {
                Ok(line) => match line.strip_prefix("Serving at ") {
                    Some(rest) => break rest.split_whitespace().next().unwrap_or("").to_string(),
                    None => eprintln!("{line}"),
                },
                Err(_) => panic!("serve printed no URL\n{}", server.output()),
            }
        };
        server.addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|_| panic!("not a local URL: {url}"));
        eprintln!(
            "serving {} at {url} after {:?}",
            site.display(),
            started.elapsed()
        );
        server
    }

    fn events(&self) -> Events {
        Events::connect(self.addr)
    }

    /// The `ms` of every `... in N ms` line printed since the last call.
    fn rebuild_times(&mut self) -> Vec<u64> {
        self.lines
            .try_iter()
            .filter_map(|line| {
                let (_, tail) = line.rsplit_once(" in ")?;
                tail.strip_suffix(" ms")?.parse().ok()
            })
            .collect()
    }

    /// What the server printed and nobody read yet.
    fn output(&self) -> String {
        let out: Vec<String> = self.lines.try_iter().collect();
        let err: Vec<String> = self.stderr.try_iter().collect();
        format!("stdout:\n{}\nstderr:\n{}", out.join("\n"), err.join("\n"))
    }

    /// Resident and peak resident memory, in KiB.
    fn rss_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// Ctrl-C; a kill if it has not stopped within `STOP_TIMEOUT`.
    fn stop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        if let Ok(pid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: kill has no memory effects; pid is our unreaped child.
            unsafe { libc::kill(pid, libc::SIGINT) };
        }
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!("serve did not stop on Ctrl-C; killing it");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Each line of `pipe`, read on a thread.
fn line_channel(pipe: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// The `/__handout/events` stream: each event's name and when it arrived,
/// stamped on the reading thread. Only `event:` lines matter here, so the
/// chunked framing around them is simply skipped.
struct Events {
    events: Receiver<(String, Instant)>,
    stream: TcpStream,
}

impl Events {
    fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect to serve");
        write!(
            stream,
            "GET /__handout/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send request");
        let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
        let mut status = String::new();
        reader.read_line(&mut status).expect("status line");
        assert!(status.contains(" 200 "), "events answered {status:?}");
        // Subscribed once the headers are sent.
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) && !line.trim().is_empty() {
            line.clear();
        }
        let (tx, events) = mpsc::channel();
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event:") {
                    if tx.send((name.trim().to_string(), Instant::now())).is_err() {
                        return;
                    }
                }
            }
        });
        Events { events, stream }
    }

    fn next(&mut self, timeout: Duration) -> Option<(String, Instant)> {
        self.events.recv_timeout(timeout).ok()
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}
