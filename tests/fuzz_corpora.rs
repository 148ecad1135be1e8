//! The fuzz targets' corpora, replayed on stable: every input in
//! `fuzz/corpus/<target>/` (minimized with `cargo fuzz cmin`) and
//! `fuzz/regressions/<target>/` (each input that once crashed, hung or
//! ran out of memory) goes through the same function the target calls
//! (`handout::fuzzing`). So CI guards what the fuzzers found without
//! nightly. Run the fuzzers themselves with `fuzz/run.sh`.

use std::path::Path;
use std::time::{Duration, Instant};

/// Every input of `dir`, by name.
fn inputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut inputs: Vec<(String, Vec<u8>)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| {
            let bytes = std::fs::read(e.path())
                .unwrap_or_else(|err| panic!("read {}: {err}", e.path().display()));
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    inputs.sort();
    inputs
}

/// How long one input may take in a debug build before it counts as a
/// hang. A picture of a few bytes may name a canvas of millions of
/// pixels, within the fuzz target's bounds (2,000 px a side), which the
/// engine then fills, resizes and encodes; the resizer's code is generic,
/// so it is compiled into handout's own unoptimised code here whatever the
/// picture crates' opt-level: a second or two a picture.
fn slowest(target: &str) -> Duration {
    match target {
        "image" => Duration::from_secs(10),
        _ => Duration::from_secs(2),
    }
}

#[test]
fn every_corpus_and_regression_input_passes_through_its_target() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut slow = Vec::new();
    for (name, target) in handout::fuzzing::TARGETS {
        let corpus = inputs(&fuzz.join("corpus").join(name));
        assert!(
            !corpus.is_empty(),
            "fuzz/corpus/{name}/ is empty or missing"
        );
        let regressions = inputs(&fuzz.join("regressions").join(name));
        let started = Instant::now();
        for (file, bytes) in corpus.iter().chain(&regressions) {
            let one = Instant::now();
            // A panic here names the target and the file.
            let result = std::panic::catch_unwind(|| target(bytes));
            assert!(result.is_ok(), "{name}: fuzz input {file} panicked");
            if one.elapsed() > slowest(name) {
                slow.push(format!("{name}/{file}: {:?}", one.elapsed()));
            }
        }
        eprintln!(
            "{name}: {} corpus inputs, {} regressions in {:?}",
            corpus.len(),
            regressions.len(),
            started.elapsed()
        );
    }
    // Not a timing test: an input taking seconds in a debug build is a
    // hang the fuzzer would call a timeout.
    assert!(slow.is_empty(), "inputs that take seconds: {slow:?}");
}

/// The fuzz crate names the same targets as the facade, one file each.
#[test]
fn the_fuzz_crate_has_a_target_for_each_entry_point() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).expect("fuzz/Cargo.toml");
    for (name, _) in handout::fuzzing::TARGETS {
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "fuzz/Cargo.toml has no [[bin]] {name}"
        );
        let source = std::fs::read_to_string(fuzz.join(format!("fuzz_targets/{name}.rs")))
            .unwrap_or_else(|e| panic!("fuzz/fuzz_targets/{name}.rs: {e}"));
        assert!(
            source.contains(&format!("handout::fuzzing::{name}(")),
            "fuzz_targets/{name}.rs does not call handout::fuzzing::{name}"
        );
    }
}
