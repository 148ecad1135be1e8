//! Scores kept by a hash of what was scored, so prose that did not change
//! is not scored again: within a process (serve's panel after each save)
//! and, saved to a file, between runs of `check` (scoring was about 30% of
//! its instructions on the 1k corpus).

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use rustc_hash::{FxHashMap, FxHashSet};
use xxhash_rust::xxh3::Xxh3;

use super::{Block, Language, Scores};

/// Above this many entries the cache starts over (a long preview session
/// adds one per saved page).
const LIMIT: usize = 200_000;

/// The build that wrote a file: a file from another build (whose formulas
/// may differ) is ignored.
const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), " ", env!("HANDOUT_BUILD"));

#[derive(Debug, Default)]
pub struct ScoreCache {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    scores: FxHashMap<u64, Scores>,
    /// Keys asked for since the last [`ScoreCache::load`]: what a save keeps.
    used: FxHashSet<u64>,
    /// How many scores the file loaded held, and whether any score was
    /// made since: with none made and every one used, the file would be
    /// written again as it is.
    loaded: usize,
    made: bool,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct File {
    build: String,
    scores: Vec<(u64, Scores)>,
}

/// What a page's scores depend on: its language, and each block's text and
/// line (the hardest sentences name lines).
pub fn key(blocks: &[Block], language: Language) -> u64 {
    let mut hash = Xxh3::new();
    hash.update(language.code().as_bytes());
    for block in blocks {
        hash.update(&(block.line as u64).to_le_bytes());
        hash.update(&(block.text.len() as u64).to_le_bytes());
        hash.update(block.text.as_bytes());
    }
    hash.digest()
}

impl ScoreCache {
    /// The scores of `blocks`, from the cache or made by `score`.
    pub fn get_or_score(
        &self,
        blocks: &[Block],
        language: Language,
        score: impl FnOnce() -> Scores,
    ) -> Scores {
        let key = key(blocks, language);
        if let Some(found) = self.with(|inner| {
            inner.used.insert(key);
            inner.scores.get(&key).cloned()
        }) {
            return found;
        }
        let scores = score();
        self.with(|inner| {
            inner.made = true;
            if inner.scores.len() >= LIMIT {
                inner.scores.clear();
            }
            inner.scores.insert(key, scores.clone());
        });
        scores
    }

    /// Replaces the cache with the scores saved in `path` by this same
    /// build; a missing or unreadable file is an empty cache (it is only
    /// a cache).
    pub fn load(&self, path: &Path) {
        let saved: Option<File> = std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .filter(|file: &File| file.build == BUILD);
        self.with(|inner| {
            inner.scores.clear();
            inner.used.clear();
            inner.made = false;
            inner.loaded = saved.as_ref().map_or(0, |file| file.scores.len());
            if let Some(file) = saved {
                inner.scores.extend(file.scores);
            }
        });
    }

    /// Writes the scores asked for since [`ScoreCache::load`] to `path`
    /// (whole or not at all: through a temporary file in its folder),
    /// unless the file loaded holds just those.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let file = self.with(|inner| {
            // None made, so each used one came from the file: the same
            // count is the same scores.
            if !inner.made && inner.used.len() == inner.loaded {
                return None;
            }
            let mut scores: Vec<(u64, Scores)> = inner
                .used
                .iter()
                .filter_map(|key| Some((*key, inner.scores.get(key)?.clone())))
                .collect();
            scores.sort_by_key(|(key, _)| *key);
            Some(File {
                build: BUILD.to_string(),
                scores,
            })
        });
        let Some(file) = file else {
            return Ok(());
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(std::io::BufWriter::new(&mut temp), &file)?;
        temp.flush()?;
        temp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        match self.inner.lock() {
            Ok(mut inner) => f(&mut inner),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<Block<'_>> {
        vec![Block { text, line: 7 }]
    }

    const ENGLISH: &str = "Rest the knee for two days. Then walk a little more each day, \
        as far as it feels fine. Ice helps with swelling after a walk. Physiotherapeutic \
        rehabilitation considerations notwithstanding, consult your clinician.";
    const SPANISH: &str = "Descanse la rodilla dos días. Luego camine un poco más cada día. \
        El hielo ayuda con la hinchazón después de caminar.";

    #[test]
    fn saved_scores_come_back_equal_in_both_languages() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scores.json");
        let cache = ScoreCache::default();
        let en = cache.get_or_score(&blocks(ENGLISH), Language::English, || {
            super::super::score(&blocks(ENGLISH), Language::English)
        });
        let es = cache.get_or_score(&blocks(SPANISH), Language::Spanish, || {
            super::super::score(&blocks(SPANISH), Language::Spanish)
        });
        assert!(!en.hardest.is_empty());
        cache.save(&path).unwrap();

        let again = ScoreCache::default();
        again.load(&path);
        let scored = |text: &str, language| {
            again.get_or_score(&blocks(text), language, || panic!("scored again: {text}"))
        };
        assert_eq!(scored(ENGLISH, Language::English), en);
        assert_eq!(scored(SPANISH, Language::Spanish), es);
    }

    #[test]
    fn a_changed_text_or_line_is_scored_again_and_a_save_keeps_only_what_was_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scores.json");
        let cache = ScoreCache::default();
        let score = |text: &str| super::super::score(&blocks(text), Language::English);
        cache.get_or_score(&blocks(ENGLISH), Language::English, || score(ENGLISH));
        cache.save(&path).unwrap();

        let again = ScoreCache::default();
        again.load(&path);
        let moved = [Block {
            text: ENGLISH,
            line: 8,
        }];
        let mut scored = false;
        again.get_or_score(&moved, Language::English, || {
            scored = true;
            score(ENGLISH)
        });
        assert!(scored, "a block on another line names other lines");
        again.save(&path).unwrap();
        let third = ScoreCache::default();
        third.load(&path);
        let mut scored = false;
        third.get_or_score(&blocks(ENGLISH), Language::English, || {
            scored = true;
            score(ENGLISH)
        });
        assert!(
            scored,
            "the entry not asked for in the last run was dropped"
        );
    }

    #[test]
    fn a_save_of_just_the_scores_loaded_leaves_the_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scores.json");
        let english = || super::super::score(&blocks(ENGLISH), Language::English);
        let cache = ScoreCache::default();
        cache.get_or_score(&blocks(ENGLISH), Language::English, english);
        cache.save(&path).unwrap();
        // The same scores laid out otherwise: a save that writes makes
        // the file compact again.
        let saved: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let pretty = serde_json::to_string_pretty(&saved).unwrap();
        let loaded = || {
            std::fs::write(&path, &pretty).unwrap();
            let cache = ScoreCache::default();
            cache.load(&path);
            cache
        };
        let rewritten = |cache: ScoreCache| {
            cache.save(&path).unwrap();
            std::fs::read_to_string(&path).unwrap() != pretty
        };
        let unscored = || panic!("scored again");

        let same = loaded();
        same.get_or_score(&blocks(ENGLISH), Language::English, unscored);
        assert!(!rewritten(same), "every score used, none made");

        let unused = loaded();
        assert!(rewritten(unused), "a score not asked for is dropped");

        let more = loaded();
        more.get_or_score(&blocks(ENGLISH), Language::English, unscored);
        more.get_or_score(&blocks(SPANISH), Language::Spanish, || {
            super::super::score(&blocks(SPANISH), Language::Spanish)
        });
        assert!(rewritten(more), "a score made is kept");
    }

    #[test]
    fn a_damaged_file_or_one_from_another_build_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scores.json");
        let score = || super::super::score(&blocks(ENGLISH), Language::English);
        let cache = ScoreCache::default();
        cache.get_or_score(&blocks(ENGLISH), Language::English, score);
        cache.save(&path).unwrap();
        let saved = std::fs::read_to_string(&path).unwrap();
        assert!(saved.contains(BUILD), "{saved}");
        let other_build = saved.replace(BUILD, "0.0.0 (another build)");
        for text in [other_build.as_str(), "{not json"] {
            std::fs::write(&path, text).unwrap();
            let cache = ScoreCache::default();
            cache.load(&path);
            let mut scored = false;
            cache.get_or_score(&blocks(ENGLISH), Language::English, || {
                scored = true;
                score()
            });
            assert!(scored, "{text}");
        }
    }
}
