//! What both benchmarks share: the gen-corpus sites they build (made once
//! under `target/bench/`), and how their command line and settings are read.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The corpus for `articles`, generated on first use.
pub fn corpus(manifest: &Path, articles: usize) -> PathBuf {
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

/// Corpus sizes from the command line (article counts), 1,000 and 10,000
/// when none is given.
pub fn sizes() -> Vec<usize> {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        vec![1000, 10000]
    } else {
        sizes
    }
}

/// A count from the environment variable `name`, or `default`.
pub fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
