//! Readability scores for `handout check`: Flesch-Kincaid grade, Flesch
//! reading ease and SMOG for a page's body prose, with its hardest sentences
//! named by line. Pure and total: the caller extracts the prose from Markdown
//! as [`Block`]s and compares the figures with `readability.max_grade`.
//! What the scores mean and how words are counted: docs/readability.md.

use rustc_hash::FxHashMap;
use std::borrow::Cow;

use serde::Serialize;

/// Below this many words a text is scored but not judged: a few sentences
/// swing the formulas too far to hold a writer to them.
pub const MIN_WORDS: usize = 100;

/// How many of the hardest sentences a [`Scores`] names.
pub const HARDEST: usize = 3;

/// Sentences shorter than this ("Plantar fasciitis.") are named among the
/// hardest only after every longer one: a two-word label scores a high grade
/// from one long word, but there is nothing in it to rewrite.
const FRAGMENT_WORDS: usize = 4;

/// Hardest sentences are cut to about this many characters for display.
const EXCERPT_CHARS: usize = 200;

/// A run of body prose (a paragraph, a list item's text) and the file line
/// it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block<'a> {
    pub text: &'a str,
    pub line: usize,
}

/// One sentence of a block and the file line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'a> {
    pub text: &'a str,
    pub line: usize,
}

/// The scores of a page's prose. With no words every formula is 0.0; such a
/// text is never judged (see [`Scores::is_judged`]), so no zero is compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    /// Words of three syllables or more (SMOG counts them).
    pub polysyllables: usize,
    /// The US school grade a reader needs; patient text aims for 8 or below.
    pub flesch_kincaid_grade: f64,
    /// 0 (very hard) to about 100 (very easy); 60 to 70 is plain English.
    pub flesch_reading_ease: f64,
    /// Another grade estimate, built on long words only.
    pub smog: f64,
    /// At most [`HARDEST`], hardest first.
    pub hardest: Vec<HardSentence>,
}

impl Scores {
    /// Whether the text is long enough ([`MIN_WORDS`]) for its scores to be
    /// held against it.
    pub fn is_judged(&self) -> bool {
        self.words >= MIN_WORDS
    }
}

/// A sentence named as one of the hardest, for the writer to rework.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HardSentence {
    /// The sentence on one line, cut to about 200 characters.
    pub text: String,
    pub line: usize,
    /// Its own Flesch-Kincaid grade.
    pub grade: f64,
    pub words: usize,
}

/// Scores the prose of one page. To score many, keep a [`Scorer`].
pub fn score<'a>(blocks: &[Block<'a>]) -> Scores {
    // A page repeats its words; remember them for this page only.
    let mut memo: FxHashMap<&'a str, u32> =
        FxHashMap::with_capacity_and_hasher(512, Default::default());
    score_with(blocks, |word| {
        *memo.entry(word).or_insert_with(|| syllables(word))
    })
}

/// Scores pages one after another, remembering each word's syllable count
/// across them: a site repeats its words, and counting syllables is most of
/// the work. Keep one per thread for a whole `handout check` run.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    memo: FxHashMap<Box<str>, u32>,
}

/// Past this many distinct words the memo starts over, so a scorer's memory
/// stays bounded on any input.
const MEMO_LIMIT: usize = 100_000;

impl Scorer {
    pub fn new() -> Self {
        Scorer::default()
    }

    /// Scores the prose of one page; the same as [`score`].
    pub fn score(&mut self, blocks: &[Block]) -> Scores {
        score_with(blocks, |word| self.syllables(word))
    }

    fn syllables(&mut self, word: &str) -> u32 {
        if let Some(&n) = self.memo.get(word) {
            return n;
        }
        let n = syllables(word);
        if self.memo.len() >= MEMO_LIMIT {
            self.memo.clear();
        }
        self.memo.insert(word.into(), n);
        n
    }
}

/// Scores blocks with `syllables_of` counting each word (through a memo).
fn score_with<'a>(blocks: &[Block<'a>], mut syllables_of: impl FnMut(&'a str) -> u32) -> Scores {
    let mut total = Counts::default();
    let mut sentences = 0;
    let mut ranked = Vec::new();
    for block in blocks {
        for sentence in split_sentences(*block) {
            let counts = count(sentence.text, &mut syllables_of);
            if counts.words == 0 {
                continue;
            }
            sentences += 1;
            total.add(counts);
            ranked.push(Ranked {
                grade: flesch_kincaid_grade(counts.words, 1, counts.syllables),
                words: counts.words,
                line: sentence.line,
                text: sentence.text,
            });
        }
    }
    ranked.sort_by(harder_first);
    Scores {
        words: total.words,
        sentences,
        syllables: total.syllables,
        polysyllables: total.polysyllables,
        flesch_kincaid_grade: flesch_kincaid_grade(total.words, sentences, total.syllables),
        flesch_reading_ease: flesch_reading_ease(total.words, sentences, total.syllables),
        smog: smog(total.polysyllables, sentences),
        hardest: ranked
            .into_iter()
            .take(HARDEST)
            .map(|r| HardSentence {
                text: excerpt(r.text),
                line: r.line,
                grade: r.grade,
                words: r.words,
            })
            .collect(),
    }
}

fn count<'a>(text: &'a str, syllables_of: &mut impl FnMut(&'a str) -> u32) -> Counts {
    let mut counts = Counts::default();
    for word in words(text) {
        let n = syllables_of(word) as usize;
        counts.words += 1;
        counts.syllables += n;
        if n >= 3 {
            counts.polysyllables += 1;
        }
    }
    counts
}

// ---------------------------------------------------------------------------
// Formulas. Every division is guarded: no words or no sentences gives 0.0.

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    words: usize,
    syllables: usize,
    polysyllables: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.words += other.words;
        self.syllables += other.syllables;
        self.polysyllables += other.polysyllables;
    }
}

/// Words per sentence and syllables per word, or `None` for an empty text.
fn rates(words: usize, sentences: usize, syllables: usize) -> Option<(f64, f64)> {
    if words == 0 || sentences == 0 {
        return None;
    }
    Some((
        words as f64 / sentences as f64,
        syllables as f64 / words as f64,
    ))
}

fn flesch_kincaid_grade(words: usize, sentences: usize, syllables: usize) -> f64 {
    rates(words, sentences, syllables).map_or(0.0, |(wps, spw)| 0.39 * wps + 11.8 * spw - 15.59)
}

fn flesch_reading_ease(words: usize, sentences: usize, syllables: usize) -> f64 {
    rates(words, sentences, syllables).map_or(0.0, |(wps, spw)| 206.835 - 1.015 * wps - 84.6 * spw)
}

/// SMOG scales the long words to a 30-sentence sample, so it is extrapolated
/// (and noisy) for shorter texts.
fn smog(polysyllables: usize, sentences: usize) -> f64 {
    if sentences == 0 {
        return 0.0;
    }
    1.0430 * (polysyllables as f64 * 30.0 / sentences as f64).sqrt() + 3.1291
}

// ---------------------------------------------------------------------------
// The hardest sentences.

struct Ranked<'a> {
    grade: f64,
    words: usize,
    line: usize,
    text: &'a str,
}

/// Full sentences before fragments ([`FRAGMENT_WORDS`]), then higher grade
/// first; on a tie the longer sentence (more to cut), then the earlier one,
/// so the order never depends on the sort.
fn harder_first(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    let fragment = |r: &Ranked| r.words < FRAGMENT_WORDS;
    fragment(a)
        .cmp(&fragment(b))
        .then(b.grade.total_cmp(&a.grade))
        .then(b.words.cmp(&a.words))
        .then(a.line.cmp(&b.line))
}

/// The sentence on one line, cut at a word near [`EXCERPT_CHARS`].
fn excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(EXCERPT_CHARS).collect();
    let kept = match cut.rfind(' ') {
        Some(space) if space > EXCERPT_CHARS / 2 => cut.get(..space).unwrap_or(&cut),
        _ => &cut,
    };
    format!("{}…", kept.trim_end())
}

mod sentences;
mod syllables;
mod words;

#[cfg(test)]
mod tests;

pub use sentences::split_sentences;
pub use syllables::syllables;
pub use words::{words, Words};

#[allow(unused_imports)]
use self::{sentences::*, syllables::*, words::*};
