//! Made-up words for a corpus whose vocabulary grows as a real site's
//! does. The built-in word lists give about a thousand distinct words
//! however many articles there are; a real site's run to tens of
//! thousands, most of them rare. These are drawn by rank as word use
//! goes in real text (Zipf: the word of rank `r` about `1/r` as often as
//! the first), so a few are common and most turn up once or twice.

use std::collections::HashSet;

use crate::rng::{Rng, Stream};

/// The made-up words of one corpus and the odds of each.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// By rank, the most frequent first.
    words: Vec<String>,
    /// The sum of the weights up to and including each rank, for drawing
    /// with one binary search.
    cumulative: Vec<f64>,
}

/// Syllables the words are built from: an onset, a vowel, sometimes a
/// final consonant. Pronounceable, so a stemmer treats them as words.
const ONSETS: &[&str] = &[
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "cl", "dr", "gr",
    "pl", "pr", "sk", "st", "tr", "th", "ch", "sh",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"];
const CODAS: &[&str] = &["", "", "", "n", "r", "s", "l", "m", "x", "nd", "st"];

impl Vocabulary {
    /// `size` distinct words for seed `seed` (the same every time).
    pub fn new(seed: u64, size: usize) -> Vocabulary {
        let mut rng = Rng::new(seed, Stream::Vocabulary, 0);
        let mut seen = HashSet::with_capacity(size);
        let mut words = Vec::with_capacity(size);
        while words.len() < size {
            let syllables = rng.range(2, 4);
            let word: String = (0..syllables)
                .map(|_| {
                    let (onset, vowel, coda) =
                        (rng.pick(ONSETS), rng.pick(VOWELS), rng.pick(CODAS));
                    format!("{onset}{vowel}{coda}")
                })
                .collect();
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let mut sum = 0.0;
        let cumulative = (1..=size)
            .map(|rank| {
                sum += 1.0 / rank as f64;
                sum
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    /// One word, drawn by its odds. A vocabulary of no words gives "".
    pub fn draw(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        let rank = self.cumulative.partition_point(|&c| c <= x);
        self.words
            .get(rank.min(self.words.len().saturating_sub(1)))
            .map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_are_distinct_and_the_same_for_a_seed() {
        let one = Vocabulary::new(1, 5000);
        assert_eq!(one.words.len(), 5000);
        assert_eq!(one.words.iter().collect::<HashSet<_>>().len(), 5000);
        assert_eq!(one.words, Vocabulary::new(1, 5000).words);
        assert_ne!(one.words, Vocabulary::new(2, 5000).words);
        assert!(one.words.iter().all(|w| w.len() >= 2 && w.is_ascii()));
    }

    #[test]
    fn the_first_ranks_are_drawn_most_and_most_words_rarely() {
        let vocabulary = Vocabulary::new(1, 10_000);
        let mut rng = Rng::new(1, Stream::Article, 0);
        let mut counts = std::collections::HashMap::new();
        for _ in 0..100_000 {
            *counts.entry(vocabulary.draw(&mut rng)).or_insert(0) += 1;
        }
        let count = |rank: usize| counts.get(vocabulary.words[rank].as_str()).copied();
        let first = count(0).unwrap_or(0);
        // 1 / H(10,000) of the draws, about 10,200.
        assert!((9_000..11_500).contains(&first), "{first}");
        assert!(count(1).unwrap_or(0) < first);
        // Ranks past 1,000 are each about a hundredth of the first.
        let rare = (1000..10_000).filter_map(count).filter(|&c| c > 50).count();
        assert_eq!(rare, 0);
        assert!(counts.len() > 5000, "{} distinct", counts.len());
    }

    #[test]
    fn an_empty_vocabulary_draws_nothing() {
        let mut rng = Rng::new(1, Stream::Article, 0);
        assert_eq!(Vocabulary::new(1, 0).draw(&mut rng), "");
    }
}
