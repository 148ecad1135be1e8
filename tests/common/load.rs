//! `handout serve` under load, on loopback, for a bounded time: many open
//! live-reload streams, a steady rate of page requests on fresh
//! connections, and an editor saving a page on a fixed beat. Shared by
//! `tests/serve_load.rs` (short) and `examples/serve_load.rs` (a minute).
//! Measures: every failed request, how many of the server's finished
//! rebuilds each stream was told of, and the server's resident memory and
//! open file descriptors at the start and the end.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::http::{request, Events};

/// What to run.
#[derive(Debug, Clone)]
pub struct Load {
    /// Open `/__handout/events` streams (browsers with a page open).
    pub clients: usize,
    /// Requests per second, each on its own connection.
    pub per_second: u32,
    pub duration: Duration,
    /// How often the editor saves.
    pub save_every: Duration,
    /// Threads making the requests.
    pub workers: usize,
}

/// The server under load.
pub struct Target<'a> {
    pub pid: u32,
    pub addr: SocketAddr,
    /// The content file the editor saves (a page), and the URL path of
    /// its page.
    pub edited: PathBuf,
    pub edited_url: &'a str,
    /// URL paths requested in turn: each must answer 200 with a whole body.
    pub urls: &'a [&'a str],
    /// How many rebuilds the server has reported finishing so far (lines
    /// of its output).
    pub rebuilds: &'a dyn Fn() -> usize,
}

/// What happened.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub requests: usize,
    pub failed: usize,
    /// The first few failures, with why.
    pub failures: Vec<String>,
    pub saves: usize,
    /// Rebuilds the server finished during the run.
    pub rebuilds: usize,
    /// Events each stream received during the run.
    pub told: Vec<usize>,
    pub rss_kib: (u64, u64),
    /// VmRSS (KiB) each second of the run, to see whether it is flat.
    pub rss_samples: Vec<u64>,
    /// The server's threads each second, beside its memory: the runtime
    /// starts threads for file reads under load, and each holds memory.
    pub thread_samples: Vec<u64>,
    pub fds: (usize, usize),
    pub elapsed: Duration,
    /// Request latency, p50 and max.
    pub latency: (Duration, Duration),
}

impl Outcome {
    /// Streams that were told of fewer (or more) rebuilds than finished.
    pub fn untold(&self) -> Vec<(usize, usize)> {
        self.told
            .iter()
            .copied()
            .enumerate()
            .filter(|&(_, n)| n != self.rebuilds)
            .collect()
    }

    pub fn summary(&self) -> String {
        format!(
            "{} requests in {:.1} s ({:.0}/s), {} failed; {} saves, {} rebuilds, every one of {} streams told of {}; \
             latency p50 {:?}, max {:?}; VmRSS {} -> {} KiB; open fds {} -> {}; threads at most {}",
            self.requests,
            self.elapsed.as_secs_f64(),
            self.requests as f64 / self.elapsed.as_secs_f64(),
            self.failed,
            self.saves,
            self.rebuilds,
            self.told.len(),
            if self.untold().is_empty() {
                "all".to_string()
            } else {
                format!("not all: {:?}", self.untold())
            },
            self.latency.0,
            self.latency.1,
            self.rss_kib.0,
            self.rss_kib.1,
            self.fds.0,
            self.fds.1,
            self.thread_samples.iter().max().copied().unwrap_or(0)
        )
    }
}

/// The resident memory of process `pid`, in KiB.
pub fn rss_kib(pid: u32) -> u64 {
    status_field(pid, "VmRSS:")
}

/// How many threads process `pid` runs.
pub fn threads(pid: u32) -> u64 {
    status_field(pid, "Threads:")
}

/// A number from `/proc/<pid>/status` (units dropped); 0 when unreadable.
fn status_field(pid: u32, name: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// How many files process `pid` has open.
pub fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// Whether a 200 body is whole: HTML ends with `</html>` (then the live
/// script), anything else is not empty.
fn whole(url: &str, body: &[u8]) -> bool {
    if url.ends_with('/') || url.ends_with(".html") {
        let text = String::from_utf8_lossy(body);
        text.contains("</html>")
    } else {
        !body.is_empty()
    }
}

pub fn run(load: &Load, target: &Target) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    // The browsers: each stream counts the events it is told.
    let told: Vec<Arc<AtomicUsize>> = (0..load.clients)
        .map(|_| Arc::new(AtomicUsize::new(0)))
        .collect();
    let mut listeners = Vec::new();
    for count in &told {
        let mut events =
            Events::connect(target.addr).unwrap_or_else(|e| panic!("open an event stream: {e}"));
        let (count, stop) = (count.clone(), stop.clone());
        listeners.push(thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Some(event) = events.next(Duration::from_millis(100)) {
                    if ["reload", "css", "build-error"].contains(&event.name.as_str()) {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    // Warm up, then the baseline.
    for url in target.urls {
        let _ = request(target.addr, "GET", url);
    }
    let rss_start = rss_kib(target.pid);
    let fds_start = open_fds(target.pid);
    let rebuilds_start = (target.rebuilds)();
    let told_start: Vec<usize> = told.iter().map(|c| c.load(Ordering::Relaxed)).collect();

    let started = Instant::now();
    let original = std::fs::read_to_string(&target.edited).expect("read the edited page");
    let saves = Arc::new(AtomicUsize::new(0));
    let samples = Arc::new(Mutex::new(Vec::new()));
    let sampler = {
        let (samples, duration, pid) = (samples.clone(), load.duration, target.pid);
        thread::spawn(move || {
            let mut n = 0;
            while started.elapsed() < duration {
                if let Ok(mut s) = samples.lock() {
                    s.push((rss_kib(pid), threads(pid)));
                }
                n += 1;
                thread::sleep((Duration::from_secs(1) * n).saturating_sub(started.elapsed()));
            }
        })
    };
    let editor = {
        let (path, saves, duration, every) = (
            target.edited.clone(),
            saves.clone(),
            load.duration,
            load.save_every,
        );
        let original = original.clone();
        thread::spawn(move || {
            let mut n = 0;
            while started.elapsed() < duration {
                n += 1;
                std::fs::write(
                    &path,
                    format!("{original}\nSaved by the load test, save {n}.\n"),
                )
                .expect("save the page");
                saves.store(n, Ordering::Relaxed);
                let next = every * n as u32;
                thread::sleep(next.saturating_sub(started.elapsed()));
            }
        })
    };
    let next = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let latencies = Mutex::new(Vec::new());
    let total = (load.duration.as_secs_f64() * f64::from(load.per_second)) as usize;
    let (addr, urls) = (target.addr, target.urls);
    thread::scope(|scope| {
        for _ in 0..load.workers {
            scope.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let due = Duration::from_secs_f64(i as f64 / f64::from(load.per_second));
                    thread::sleep(due.saturating_sub(started.elapsed()));
                    let url = urls[i % urls.len()];
                    let asked = Instant::now();
                    let problem = match request(addr, "GET", url) {
                        Ok(r) if r.status == 200 && whole(url, &r.body) => None,
                        Ok(r) => Some(format!("{url}: {} ({} bytes)", r.status, r.body.len())),
                        Err(e) => Some(format!("{url}: {e}")),
                    };
                    mine.push(asked.elapsed());
                    if let Some(problem) = problem {
                        failed.fetch_add(1, Ordering::Relaxed);
                        if let Ok(mut f) = failures.lock() {
                            if f.len() < 10 {
                                f.push(problem);
                            }
                        }
                    }
                }
                if let Ok(mut all) = latencies.lock() {
                    all.extend(mine);
                }
            });
        }
    });
    let _ = editor.join();
    let _ = sampler.join();
    let elapsed = started.elapsed();
    let saves = saves.load(Ordering::Relaxed);
    // Settle: the last save is served, and every stream has heard every
    // rebuild the server finished (bounded).
    let last = format!("save {saves}.");
    let deadline = Instant::now() + Duration::from_secs(30);
    let counts = || -> Vec<usize> {
        told.iter()
            .zip(&told_start)
            .map(|(c, s)| c.load(Ordering::Relaxed) - s)
            .collect()
    };
    loop {
        let served = request(target.addr, "GET", target.edited_url)
            .map(|r| String::from_utf8_lossy(&r.body).contains(&last))
            .unwrap_or(false);
        let rebuilds = (target.rebuilds)() - rebuilds_start;
        if served && counts().iter().all(|&n| n == rebuilds) || Instant::now() > deadline {
            break;
        }
        thread::sleep(Duration::from_millis(100));
    }
    let rss_end = rss_kib(target.pid);
    let fds_end = open_fds(target.pid);
    let rebuilds = (target.rebuilds)() - rebuilds_start;
    let told = counts();
    stop.store(true, Ordering::Relaxed);
    for listener in listeners {
        let _ = listener.join();
    }
    std::fs::write(&target.edited, original).expect("restore the page");
    let samples: Vec<(u64, u64)> = samples.lock().map(|s| s.clone()).unwrap_or_default();
    let mut latencies = latencies.into_inner().unwrap_or_default();
    latencies.sort();
    let latency = (
        latencies
            .get(latencies.len() / 2)
            .copied()
            .unwrap_or_default(),
        latencies.last().copied().unwrap_or_default(),
    );
    Outcome {
        requests: total,
        failed: failed.into_inner(),
        failures: failures.into_inner().unwrap_or_default(),
        saves,
        rebuilds,
        told,
        rss_kib: (rss_start, rss_end),
        rss_samples: samples.iter().map(|&(rss, _)| rss).collect(),
        thread_samples: samples.iter().map(|&(_, n)| n).collect(),
        fds: (fds_start, fds_end),
        elapsed,
        latency,
    }
}

/// Counts the rebuild lines (`Changed ...: N files rendered ...`) in a
/// server's output.
pub fn rebuild_lines(stdout: &str) -> usize {
    stdout
        .lines()
        .filter(|l| l.starts_with("Changed ") && l.contains(" rendered, "))
        .count()
}

/// Counts the rebuilds that failed (`Changed ...: failed; still showing
/// the last good pages.`) in a server's error output. A save caught
/// half-written (the editor truncates the file, then writes it) fails, and
/// open pages are told of it as of any finished rebuild.
pub fn failed_rebuild_lines(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| {
            l.starts_with("Changed ") && l.ends_with(": failed; still showing the last good pages.")
        })
        .count()
}
