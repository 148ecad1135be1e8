//! `handout serve` under load on loopback, for a minute: 50 browsers with
//! the live-reload stream open, 500 requests a second (each on a fresh
//! connection) spread over the site's pages, and an editor saving one
//! article every 200 ms. Prints the requests made and failed, the saves,
//! the rebuilds the server finished and how many each stream was told of,
//! request latency, and the server's memory (VmRSS, every 5 s) and open
//! file descriptors at the start and the end.
//!
//! ```sh
//! cargo build --release --bins --examples
//! cargo run --release --example serve_load -- 300
//! ```
//!
//! The argument is the size of the generated site in articles (default
//! 300; the corpus of `examples/bench.rs`, copied into a temporary folder
//! because this edits it). The binary is `target/release/handout`, or the
//! one `HANDOUT_BIN` names. `HANDOUT_LOAD_SECONDS`, `HANDOUT_LOAD_CLIENTS`
//! and `HANDOUT_LOAD_RATE` change the minute, the 50 and the 500.
//! `tests/serve_load.rs` runs the same for 10 seconds in `cargo test`.

#[path = "common/corpus.rs"]
#[allow(dead_code)]
mod corpus;
#[path = "../tests/common/http.rs"]
#[allow(dead_code)]
mod http;
#[path = "../tests/common/load.rs"]
mod load;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = entry.path().strip_prefix(from).expect("under the corpus");
        if rel.starts_with("public") {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn main() {
    let articles: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300);
    let seconds = corpus::env_count("HANDOUT_LOAD_SECONDS", 60);
    let clients = corpus::env_count("HANDOUT_LOAD_CLIENTS", 50);
    let rate = corpus::env_count("HANDOUT_LOAD_RATE", 500);
    let handout = corpus::handout_binary();
    let source = corpus::corpus(articles);
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    copy_dir(&source, &site);
    let edited_rel = std::fs::read_dir(site.join("content/articles"))
        .expect("articles")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| !t.contains("draft: true")))
        .expect("an article");
    let slug = edited_rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .expect("a name");
    let mut child = Command::new(&handout)
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .env("XDG_CACHE_HOME", dir.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start handout serve");
    let stdout = Arc::new(Mutex::new(String::new()));
    let stderr = Arc::new(Mutex::new(String::new()));
    {
        let (pipe, stderr) = (child.stderr.take().expect("stderr"), stderr.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if let Ok(mut s) = stderr.lock() {
                    s.push_str(&line);
                    s.push('\n');
                }
            }
        });
    }
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let (pipe, stdout) = (child.stdout.take().expect("stdout"), stdout.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Serving at ") {
                    let _ = tx.send(url.split_whitespace().next().unwrap_or("").to_string());
                }
                if let Ok(mut s) = stdout.lock() {
                    s.push_str(&line);
                    s.push('\n');
                }
            }
        });
    }
    let url = rx
        .recv_timeout(Duration::from_secs(300))
        .expect("serve printed its URL");
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .expect("a local address");
    let page = format!("/articles/{slug}/");
    let urls = [
        page.as_str(),
        "/",
        "/articles/",
        "/articles/page/2/",
        "/locations/",
        "/tags/",
        "/sitemap.xml",
        "/feed.xml",
        "/style.css",
        "/search/",
    ];
    // A rebuild that failed (a save read half-written) is told to every
    // open page too.
    let failed =
        || load::failed_rebuild_lines(&stderr.lock().map(|s| s.clone()).unwrap_or_default());
    let rebuilds =
        || load::rebuild_lines(&stdout.lock().map(|s| s.clone()).unwrap_or_default()) + failed();
    let load = load::Load {
        clients,
        per_second: u32::try_from(rate).unwrap_or(500),
        duration: Duration::from_secs(seconds as u64),
        save_every: Duration::from_millis(200),
        workers: 32,
    };
    println!(
        "serve_load: {articles} articles, {clients} streams, {rate} requests/s for {seconds} s, a save every 200 ms ({})",
        handout.display()
    );
    let started = Instant::now();
    let outcome = load::run(
        &load,
        &load::Target {
            pid: child.id(),
            addr,
            edited: edited_rel.clone(),
            edited_url: &page,
            urls: &urls,
            rebuilds: &rebuilds,
        },
    );
    println!("{}", outcome.summary());
    println!(
        "of the rebuilds, {} failed (a save read half-written) and were told to every page as errors",
        failed()
    );
    let every_5s: Vec<String> = outcome
        .rss_samples
        .iter()
        .step_by(5)
        .map(|k| format!("{} MiB", k / 1024))
        .collect();
    println!("VmRSS every 5 s: {}", every_5s.join(", "));
    let threads: Vec<String> = outcome
        .thread_samples
        .iter()
        .step_by(5)
        .map(u64::to_string)
        .collect();
    println!("threads every 5 s: {}", threads.join(", "));
    for failure in &outcome.failures {
        println!("failed: {failure}");
    }
    println!("in {:.1} s", started.elapsed().as_secs_f64());
    let _ = child.kill();
    let _ = child.wait();
    let ok = outcome.failed == 0 && outcome.untold().is_empty();
    std::process::exit(if ok { 0 } else { 1 });
}
