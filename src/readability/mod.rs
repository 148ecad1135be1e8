//! Readability scores for `handout check`, in English (Flesch-Kincaid
//! grade, Flesch reading ease, SMOG) and Spanish (Fernández-Huerta and the
//! INFLESZ scale), for a page's body prose, with its hardest sentences
//! named by line. Pure and total: the caller extracts the prose from
//! Markdown as [`Block`]s, says its [`Language`], and compares the figures
//! with the site's limit for that language ([`Scores::headline`]).
//! What the scores mean and how words are counted: docs/readability.md.

use rustc_hash::FxHashMap;
use std::borrow::Cow;

use serde::{Deserialize, Serialize};

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

/// The languages handout can score, each with its own syllable counter and
/// formulas. Sentences and words are split the same way in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    /// Flesch-Kincaid grade (judged), Flesch reading ease, SMOG.
    #[serde(rename = "en")]
    English,
    /// INFLESZ (judged) and Fernández-Huerta.
    #[serde(rename = "es")]
    Spanish,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Spanish];

    /// The language of a BCP 47 tag by its first part (`es`, `es-MX`,
    /// `en-US`, any case), or `None` when handout has no formulas for it.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.split(['-', '_']).next().unwrap_or(tag);
        Language::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The two-letter code: `en`, `es`.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
        }
    }

    /// The syllables of one word from [`words`], at least 1.
    pub fn syllables(self, word: &str) -> u32 {
        match self {
            Language::English => syllables::syllables(word),
            Language::Spanish => spanish::syllables(word),
        }
    }

    fn index(self) -> usize {
        match self {
            Language::English => 0,
            Language::Spanish => 1,
        }
    }
}

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub language: Language,
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    /// Words of three syllables or more (SMOG counts them).
    pub polysyllables: usize,
    /// The language's formulas, written beside the counts.
    #[serde(flatten)]
    pub formulas: Formulas,
    /// At most [`HARDEST`], hardest first.
    pub hardest: Vec<HardSentence>,
}

/// The formulas of each language. In JSON their fields sit beside the
/// counts (`"flesch_kincaid_grade": 7.2` or `"inflesz": 61.3`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Formulas {
    English {
        /// The US school grade a reader needs; patient text aims for 8 or
        /// below.
        flesch_kincaid_grade: f64,
        /// 0 (very hard) to about 100 (very easy); 60 to 70 is plain
        /// English.
        flesch_reading_ease: f64,
        /// Another grade estimate, built on long words only.
        smog: f64,
    },
    Spanish {
        /// Szigriszt-Pazos perspicuity read on the INFLESZ scale: 0 (very
        /// hard) to about 100 (very easy); 55 or more is "normal", the aim
        /// for patients.
        inflesz: f64,
        /// Fernández-Huerta reading ease: 0 to about 100; 60 to 70 is
        /// "normal".
        fernandez_huerta: f64,
    },
}

impl Scores {
    /// Whether the text is long enough ([`MIN_WORDS`]) for its scores to be
    /// held against it.
    pub fn is_judged(&self) -> bool {
        self.words >= MIN_WORDS
    }

    /// The figure a site's limit applies to: the Flesch-Kincaid grade in
    /// English (higher is harder), INFLESZ in Spanish (lower is harder).
    pub fn headline(&self) -> SentenceScore {
        match self.formulas {
            Formulas::English {
                flesch_kincaid_grade,
                ..
            } => SentenceScore::Grade {
                grade: flesch_kincaid_grade,
            },
            Formulas::Spanish { inflesz, .. } => SentenceScore::Inflesz { inflesz },
        }
    }
}

/// A sentence named as one of the hardest, for the writer to rework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HardSentence {
    /// The sentence on one line, cut to about 200 characters.
    pub text: String,
    pub line: usize,
    /// Its own score on the language's judged scale.
    #[serde(flatten)]
    pub score: SentenceScore,
    pub words: usize,
}

/// A score on the judged scale of a language: in JSON `"grade": 9.1` or
/// `"inflesz": 48.0`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SentenceScore {
    /// Flesch-Kincaid grade (English): higher is harder.
    Grade { grade: f64 },
    /// INFLESZ (Spanish): lower is harder.
    Inflesz { inflesz: f64 },
}

impl SentenceScore {
    /// The figure itself.
    pub fn value(self) -> f64 {
        match self {
            SentenceScore::Grade { grade } => grade,
            SentenceScore::Inflesz { inflesz } => inflesz,
        }
    }

    /// Higher is harder, on either scale.
    fn hardness(self) -> f64 {
        match self {
            SentenceScore::Grade { grade } => grade,
            SentenceScore::Inflesz { inflesz } => -inflesz,
        }
    }
}

/// Scores the prose of one page. To score many, keep a [`Scorer`].
pub fn score<'a>(blocks: &[Block<'a>], language: Language) -> Scores {
    // A page repeats its words; remember them for this page only.
    let mut memo: FxHashMap<&'a str, u32> =
        FxHashMap::with_capacity_and_hasher(512, Default::default());
    score_with(blocks, language, |word| {
        *memo.entry(word).or_insert_with(|| language.syllables(word))
    })
}

/// Scores pages one after another, remembering each word's syllable count
/// across them: a site repeats its words, and counting syllables is most of
/// the work. Keep one per thread for a whole `handout check` run.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    /// One memo for each language, by [`Language::index`].
    memos: [FxHashMap<Box<str>, u32>; 2],
}

/// Past this many distinct words a memo starts over, so a scorer's memory
/// stays bounded on any input.
const MEMO_LIMIT: usize = 100_000;

impl Scorer {
    pub fn new() -> Self {
        Scorer::default()
    }

    /// Scores the prose of one page; the same as [`score`].
    pub fn score(&mut self, blocks: &[Block], language: Language) -> Scores {
        score_with(blocks, language, |word| self.syllables(word, language))
    }

    fn syllables(&mut self, word: &str, language: Language) -> u32 {
        let Some(memo) = self.memos.get_mut(language.index()) else {
            return language.syllables(word);
        };
        if let Some(&n) = memo.get(word) {
            return n;
        }
        let n = language.syllables(word);
        if memo.len() >= MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(word.into(), n);
        n
    }
}

/// Scores blocks with `syllables_of` counting each word (through a memo).
fn score_with<'a>(
    blocks: &[Block<'a>],
    language: Language,
    mut syllables_of: impl FnMut(&'a str) -> u32,
) -> Scores {
    let mut total = Counts::default();
    let mut ranked = Vec::new();
    for block in blocks {
        for sentence in split_sentences(*block) {
            let counts = count(sentence.text, &mut syllables_of);
            if counts.words == 0 {
                continue;
            }
            total.add(counts);
            let score = formulas::sentence_score(language, counts);
            ranked.push(Ranked {
                hardness: score.hardness(),
                score,
                index: ranked.len(),
                words: counts.words,
                line: sentence.line,
                text: sentence.text,
            });
        }
    }
    // Only the hardest few are named: select them, then sort those.
    if ranked.len() > HARDEST {
        ranked.select_nth_unstable_by(HARDEST - 1, harder_first);
        ranked.truncate(HARDEST);
    }
    ranked.sort_by(harder_first);
    Scores {
        language,
        words: total.words,
        sentences: total.sentences,
        syllables: total.syllables,
        polysyllables: total.polysyllables,
        formulas: formulas::formulas(language, total),
        hardest: ranked
            .into_iter()
            .take(HARDEST)
            .map(|r| HardSentence {
                text: excerpt(r.text),
                line: r.line,
                score: r.score,
                words: r.words,
            })
            .collect(),
    }
}

fn count<'a>(text: &'a str, syllables_of: &mut impl FnMut(&'a str) -> u32) -> Counts {
    let mut counts = Counts {
        sentences: 1,
        ..Counts::default()
    };
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

/// What the formulas are computed from.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    sentences: usize,
    words: usize,
    syllables: usize,
    polysyllables: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.sentences += other.sentences;
        self.words += other.words;
        self.syllables += other.syllables;
        self.polysyllables += other.polysyllables;
    }
}

// ---------------------------------------------------------------------------
// The hardest sentences.

struct Ranked<'a> {
    /// Higher is harder, on either scale ([`SentenceScore::hardness`]).
    hardness: f64,
    score: SentenceScore,
    /// Where the sentence is among the page's, the last tie-break.
    index: usize,
    words: usize,
    line: usize,
    text: &'a str,
}

/// Full sentences before fragments ([`FRAGMENT_WORDS`]), then the harder
/// first; on a tie the longer sentence (more to cut), then the earlier one,
/// so the order never depends on the sort.
fn harder_first(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    let fragment = |r: &Ranked| r.words < FRAGMENT_WORDS;
    fragment(a)
        .cmp(&fragment(b))
        .then(b.hardness.total_cmp(&a.hardness))
        .then(b.words.cmp(&a.words))
        .then(a.index.cmp(&b.index))
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

pub mod cache;
mod exceptions;
mod formulas;
mod sentences;
mod spanish;
mod syllables;
mod words;

#[cfg(test)]
mod cmu_tests;
#[cfg(test)]
mod spanish_tests;
#[cfg(test)]
mod tests;

pub use formulas::inflesz_band;
pub use sentences::split_sentences;
pub use words::{words, Words};

#[allow(unused_imports)]
use self::{exceptions::*, sentences::*, syllables::*, words::*};
