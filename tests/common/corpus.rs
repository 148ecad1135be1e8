//! Generated sites (`tools/corpus`) for the tests that need many pages.

use std::path::{Path, PathBuf};

use handout_corpus::Corpus;

/// A day after every date the generator writes: links to future-dated
/// pages are errors, so builds of a corpus pass this as `today`.
pub const TODAY: &str = "2026-01-15";

/// The benchmark's corpus shape (`articles` articles, 8 clinics, 12
/// clinicians, seed 1) written into `dir`, which is made if missing and
/// must not hold a site yet.
pub fn generated(dir: &Path, articles: usize) -> PathBuf {
    generated_from(dir, &Corpus::new(articles))
}

/// [`generated`], with about a third of the articles' nouns drawn from
/// `vocabulary` made-up words (`--vocabulary`): a site with the thousands
/// of different words of a real one.
pub fn generated_with_vocabulary(dir: &Path, articles: usize, vocabulary: usize) -> PathBuf {
    generated_from(
        dir,
        &Corpus {
            vocabulary,
            ..Corpus::new(articles)
        },
    )
}

fn generated_from(dir: &Path, corpus: &Corpus) -> PathBuf {
    handout_corpus::generate(corpus, dir, false)
        .unwrap_or_else(|e| panic!("generate a {}-article corpus: {e}", corpus.articles));
    dir.to_path_buf()
}

/// A fresh folder under cargo's per-target temp folder, named `name`, for
/// output worth looking at after a failure (the next run clears it).
pub fn kept_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("mkdir {}: {e}", dir.display()));
    dir
}
