//! The gen-corpus sites both benchmarks build, made once under
//! `target/bench/`.

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
