//! The output folder is replaced in one step: a reader that keeps reading
//! `public/` while the site is rebuilt 100 times, each build changing a
//! page, never finds the folder, a page or the marker missing or partial.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::TestSite;

/// The files the reader checks: each must always be there, whole.
const WATCHED: [&str; 4] = [
    "index.html",
    "articles/back-pain/index.html",
    "locations/elm-street/index.html",
    ".handout",
];

/// Whether `bytes`, read from `rel`, is a whole file of its kind.
fn whole(rel: &str, bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    if rel == ".handout" {
        // The marker's record ends with the last file's line.
        text.starts_with("This folder is written by `handout build`") && text.ends_with('\n')
    } else {
        text.trim_end().ends_with("</html>")
    }
}

/// Reads every watched file in `out` until `stop`; returns how many
/// rounds it made and the first problem it saw.
fn hammer(out: &Path, stop: &AtomicBool) -> (usize, Option<String>) {
    let mut rounds = 0;
    while !stop.load(Ordering::Relaxed) {
        if let Err(e) = std::fs::read_dir(out) {
            return (rounds, Some(format!("public/ unreadable: {e}")));
        }
        for rel in WATCHED {
            match std::fs::read(out.join(rel)) {
                Ok(bytes) if whole(rel, &bytes) => {}
                Ok(bytes) => {
                    return (
                        rounds,
                        Some(format!("{rel} partial ({} bytes)", bytes.len())),
                    )
                }
                Err(e) => return (rounds, Some(format!("{rel} missing: {e}"))),
            }
        }
        rounds += 1;
    }
    (rounds, None)
}

#[test]
fn a_reader_never_sees_a_missing_or_partial_output_during_100_rebuilds() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let out = site.path("public");
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (out, stop) = (out.clone(), stop.clone());
        std::thread::spawn(move || hammer(&out, &stop))
    };
    let started = Instant::now();
    let body = site.read("content/articles/back-pain.md");
    for n in 0..100 {
        // A new page each time, so every build writes and swaps.
        site.write(
            "content/articles/back-pain.md",
            &format!("{body}\nRebuild number {n}.\n"),
        );
        site.build().assert_ok();
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "100 builds took over 4 minutes"
        );
    }
    stop.store(true, Ordering::Relaxed);
    let (rounds, problem) = reader.join().expect("the reader ran");
    assert_eq!(problem, None, "after {rounds} whole reads");
    // The reader really read during the builds, many times.
    assert!(rounds >= 100, "the reader made only {rounds} rounds");
    // The last build is what is there, and nothing was left beside it.
    let page = site.read("public/articles/back-pain/index.html");
    assert!(page.contains("Rebuild number 99."));
    let beside: Vec<String> = std::fs::read_dir(site.root())
        .expect("list the site")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("handout-staging"))
        .collect();
    assert!(beside.is_empty(), "left beside public/: {beside:?}");
}
