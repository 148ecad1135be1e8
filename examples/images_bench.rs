//! Picture benchmarks.
//!
//! ```sh
//! cargo build --release --bins --examples
//! taskset -c 0 target/release/examples/images_bench photo
//! target/release/examples/images_bench corpus 10000
//! ```
//!
//! - `photo`: one 4032 x 3024 JPEG (a phone photo's size, made here with
//!   grain so it compresses like one) to every default width (480, 800,
//!   1200, 1600) in WebP and JPEG, in this process, on one thread; the
//!   median of HANDOUT_BENCH_RUNS runs (default 5). Run it under
//!   `taskset -c 0` to hold it to one core.
//! - `corpus N`: the generated corpus of N articles (as `bench` makes it,
//!   under `<target>/bench/`), and a copy with one 3000 x 2000 JPEG in
//!   every tenth article (each file different, so none is shared in the
//!   cache). Whole `handout build` processes into fresh folders: the site
//!   without photos, the site with photos on an empty picture cache
//!   (cold), and again with the cache it left (warm), the warm runs
//!   interleaved with those without photos. Every run has its own
//!   `HANDOUT_CACHE_DIR`; the share cards of the build without photos are
//!   drawn by a first run whose time is not counted, so both warm rows
//!   read cards from the cache.

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/photos.rs"]
mod photos;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("photo") => photo(),
        Some("corpus") => {
            for n in corpus::sizes() {
                corpus_rows(n);
            }
        }
        _ => {
            eprintln!("usage: images_bench photo | images_bench corpus N");
            std::process::exit(2);
        }
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn photo() {
    let runs = corpus::env_count("HANDOUT_BENCH_RUNS", 5);
    let jpeg = photos::photo_jpeg(4032, 3024, 1);
    let settings = handout::config::Images::default();
    let mut times = Vec::new();
    let mut files = 0;
    let mut bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let encoded = handout::images::engine::encode(&jpeg, &settings).expect("encode");
        times.push(started.elapsed());
        files = encoded.files.len();
        bytes = encoded.files.iter().map(|f| f.bytes.len()).sum::<usize>();
    }
    println!(
        "| one {:.1} MB 4032x3024 JPEG to {files} files ({} KB) | {} ms | median of {runs}, one thread |",
        jpeg.len() as f64 / 1e6,
        bytes / 1000,
        median(times).as_millis()
    );
}

/// One `handout build` of `site` into a fresh folder with `cache`.
fn build(site: &Path, cache: &Path, scratch: &Path, n: &mut usize) -> Duration {
    *n += 1;
    let out = scratch.join(format!("out-{n}"));
    let _ = Command::new("sync").status();
    let started = Instant::now();
    let status = Command::new(corpus::handout_binary())
        .args(["build", "--quiet", "--root"])
        .arg(site)
        .arg("--output")
        .arg(&out)
        .env("HANDOUT_CACHE_DIR", cache)
        .status()
        .expect("run handout");
    let wall = started.elapsed();
    assert!(status.success(), "handout build failed");
    wall
}

fn corpus_rows(articles: usize) {
    let runs = corpus::env_count("HANDOUT_BENCH_RUNS", 3);
    let plain = corpus::corpus(articles);
    let photos = photos::with_photos(&plain, &format!("corpus-{articles}-photos"));
    let scratch = tempfile::tempdir_in(corpus::target_dir()).expect("scratch");
    let mut n = 0;
    let plain_cache = scratch.path().join("cache-plain");
    // Cards drawn once, not counted.
    build(&plain, &plain_cache, scratch.path(), &mut n);
    let photo_cache = scratch.path().join("cache-photos");
    let cold = build(&photos, &photo_cache, scratch.path(), &mut n);
    // Interleaved, so a change in the machine's load shows in both.
    let (without, warm): (Vec<Duration>, Vec<Duration>) = (0..runs)
        .map(|_| {
            (
                build(&plain, &plain_cache, scratch.path(), &mut n),
                build(&photos, &photo_cache, scratch.path(), &mut n),
            )
        })
        .unzip();
    let count = articles.div_ceil(10);
    println!(
        "| {articles} | build, no photos (cards cached) | {} ms |",
        median(without).as_millis()
    );
    println!(
        "| {articles} | build with {count} photos, empty cache (cold) | {} ms |",
        cold.as_millis()
    );
    println!(
        "| {articles} | build with {count} photos, warm cache | {} ms |",
        median(warm).as_millis()
    );
}
