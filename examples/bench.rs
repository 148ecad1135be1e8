//! Full-build benchmark on `gen-corpus` sites: pages per second and peak
//! memory of the whole `handout build` process.
//!
//! ```sh
//! cargo build --release && cargo run --release --example bench -- 1000 10000
//! ```
//!
//! Corpora are made once by `../shared/bench/gen-corpus` (8 locations, 12
//! authors, seed 1; override the script with HANDOUT_GEN_CORPUS) under
//! `target/bench/`. Each size is built cold into a fresh folder `RUNS` times
//! (default 5, env HANDOUT_BENCH_RUNS); the median wall time is reported.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1000, 10000]
    } else {
        sizes
    };
    let runs: usize = std::env::var("HANDOUT_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let handout = manifest.join("target/release/handout");
    if !handout.is_file() {
        eprintln!("build the release binary first: cargo build --release");
        std::process::exit(2);
    }
    println!("| articles | pages | median wall | pages/s | user CPU | system CPU | peak memory |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for articles in sizes {
        let site = corpus(manifest, articles);
        let mut walls = Vec::new();
        let mut peak_kib = 0;
        let mut cpu = Vec::new();
        let mut pages = 0;
        for _ in 0..runs {
            let out = site.join("public");
            let _ = std::fs::remove_dir_all(&out);
            let (wall, kib, stdout, user_sys) = run_measured(&handout, &site);
            walls.push(wall);
            cpu.push(user_sys);
            peak_kib = peak_kib.max(kib);
            pages = parse_pages(&stdout);
        }
        let mut order: Vec<usize> = (0..walls.len()).collect();
        order.sort_by_key(|&i| walls[i]);
        let mid = order.get(order.len() / 2).copied().unwrap_or(0);
        let median = walls.get(mid).copied().unwrap_or_default();
        let (user, sys) = cpu.get(mid).copied().unwrap_or_default();
        println!(
            "| {articles} | {pages} | {:.0} ms | {:.0} | {:.0} ms | {:.0} ms | {:.0} MiB |",
            median.as_secs_f64() * 1000.0,
            pages as f64 / median.as_secs_f64(),
            user.as_secs_f64() * 1000.0,
            sys.as_secs_f64() * 1000.0,
            peak_kib as f64 / 1024.0
        );
    }
}

/// The corpus for `articles`, generated on first use.
fn corpus(manifest: &Path, articles: usize) -> PathBuf {
    let dir = manifest.join(format!("target/bench/corpus-{articles}"));
    if dir.join("site.yaml").is_file() {
        return dir;
    }
    let script = std::env::var_os("HANDOUT_GEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../shared/bench/gen-corpus"));
    let status = Command::new(&script)
        .args(["--articles", &articles.to_string()])
        .args([
            "--locations",
            "8",
            "--authors",
            "12",
            "--seed",
            "1",
            "--force",
        ])
        .arg("--out")
        .arg(&dir)
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!(
            "could not run {} (set HANDOUT_GEN_CORPUS)",
            script.display()
        );
        std::process::exit(2);
    }
    dir
}

/// Runs `handout build` in `site`: wall time, peak RSS (KiB) of that
/// process alone (from wait4), its stdout, and its user and system CPU.
// The child is reaped by wait4 below, which std cannot see.
#[allow(clippy::zombie_processes)]
fn run_measured(handout: &Path, site: &Path) -> (Duration, i64, String, (Duration, Duration)) {
    use std::io::Read;
    let started = Instant::now();
    let mut child = Command::new(handout)
        .arg("build")
        .arg("--root")
        .arg(site)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {}: {e}", handout.display()));
    let mut stdout = String::new();
    if let Some(mut pipe) = child.stdout.take() {
        let _ = pipe.read_to_string(&mut stdout);
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in; pid is our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "build failed in {}",
        site.display()
    );
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    (
        wall,
        usage.ru_maxrss,
        stdout,
        (time(usage.ru_utime), time(usage.ru_stime)),
    )
}

/// "Built 1093 pages in 481 ms" -> 1093.
fn parse_pages(stdout: &str) -> usize {
    stdout
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
