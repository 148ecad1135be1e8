//! What both benchmarks share: the generated sites they build (made once
//! by `tools/corpus` under `<target>/bench/`), where the release binary is,
//! and how their command line and settings are read.

use std::path::{Path, PathBuf};

use handout_corpus::Corpus;

/// Cargo's target folder this benchmark was built into (`target/`, or
/// `CARGO_TARGET_DIR`): the benchmark runs as
/// `<target>/release/examples/<name>`.
pub fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// The release `handout` beside this benchmark (`HANDOUT_BIN` names
/// another); exits with a hint when it is not built.
pub fn handout_binary() -> PathBuf {
    let binary = std::env::var_os("HANDOUT_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("release/handout"));
    if !binary.is_file() {
        eprintln!(
            "no {}: build the release binary first: cargo build --release --bins --examples",
            binary.display()
        );
        std::process::exit(2);
    }
    binary
}

/// The corpus of `corpus` (8 clinics, 12 clinicians, seed 1 from
/// `Corpus::new`), generated on first use into `<target>/bench/<name>`.
pub fn generated(name: &str, corpus: &Corpus) -> PathBuf {
    let dir = target_dir().join("bench").join(name);
    if dir.join("site.yaml").is_file() {
        return dir;
    }
    match handout_corpus::generate(corpus, &dir, true) {
        Ok(summary) => eprintln!("generated {}: {summary}", dir.display()),
        Err(e) => {
            eprintln!("could not generate {}: {e}", dir.display());
            std::process::exit(2);
        }
    }
    give_back_memory();
    dir
}

/// Hands the memory this process freed back to the system. A child's
/// peak as `wait4` reports it is at least this process's resident size
/// when it was spawned, and after generating the 10k sites in process
/// that was 157 MiB: every row measured after it "peaked" there (`cp -r`
/// too), whatever the build used.
pub fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes a plain number and only releases free
    // memory of the C allocator, which Rust's allocations here come from.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The corpus for `articles` (pagination on, as handout's default); with
/// env `HANDOUT_TRANSLATED` (a percent), that share of the articles also
/// in Spanish (`--translated` of `tools/corpus`).
pub fn corpus(articles: usize) -> PathBuf {
    let translated = env_count("HANDOUT_TRANSLATED", 0);
    if translated == 0 {
        return generated(&format!("corpus-{articles}"), &Corpus::new(articles));
    }
    let corpus = Corpus {
        translated,
        ..Corpus::new(articles)
    };
    generated(&format!("corpus-{articles}-es{translated}"), &corpus)
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
