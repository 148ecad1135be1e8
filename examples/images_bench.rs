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

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use image::{ImageEncoder, Rgb, RgbImage};

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

/// A photo-like picture: gradients, shapes and grain.
fn photo_jpeg(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let image = RgbImage::from_fn(width, height, |x, y| {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let grain = (state >> 27) as i32 - 16;
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let wave = ((fx * 23.0 + seed as f32).sin() * (fy * 17.0).cos() * 40.0) as i32;
        let base = [
            90 + (fx * 120.0) as i32 + wave,
            110 + (fy * 90.0) as i32,
            150 - (fx * fy * 100.0) as i32 - wave,
        ];
        Rgb(base.map(|c| (c + grain).clamp(0, 255) as u8))
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode");
    out
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn photo() {
    let runs = corpus::env_count("HANDOUT_BENCH_RUNS", 5);
    let jpeg = photo_jpeg(4032, 3024, 1);
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

/// Copies `from` to `to` (files only), for a site with photos beside the
/// generated one.
fn copy_site(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .args(["-r", &from.to_string_lossy(), &to.to_string_lossy()])
        .status()
        .expect("cp");
    assert!(status.success(), "cp -r failed");
}

/// The generated site with a photo in every tenth article (made once).
fn with_photos(articles: usize) -> PathBuf {
    let plain = corpus::corpus(articles);
    let dir = corpus::target_dir()
        .join("bench")
        .join(format!("corpus-{articles}-photos"));
    if dir.join("site.yaml").is_file() {
        return dir;
    }
    let temp = dir.with_extension("partial");
    let _ = std::fs::remove_dir_all(&temp);
    copy_site(&plain, &temp);
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(temp.join("content/articles"))
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let base = photo_jpeg(3000, 2000, 7);
    std::fs::create_dir_all(temp.join("content/photos")).expect("mkdir");
    for (n, page) in pages.iter().step_by(10).enumerate() {
        // The same pixels, other bytes: a comment segment after the start.
        let mut bytes = base[..2].to_vec();
        let note = format!("photo {n}");
        bytes.extend_from_slice(&[0xff, 0xfe]);
        bytes.extend_from_slice(&((note.len() + 2) as u16).to_be_bytes());
        bytes.extend_from_slice(note.as_bytes());
        bytes.extend_from_slice(&base[2..]);
        std::fs::write(temp.join(format!("content/photos/{n}.jpg")), &bytes).expect("photo");
        let mut text = std::fs::read_to_string(page).expect("page");
        text.push_str(&format!(
            "\n![A therapist helps a patient stretch](/photos/{n}.jpg)\n"
        ));
        std::fs::write(page, text).expect("page");
    }
    std::fs::rename(&temp, &dir).expect("rename");
    eprintln!(
        "made {} with {} photos",
        dir.display(),
        pages.len().div_ceil(10)
    );
    dir
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
    let photos = with_photos(articles);
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
