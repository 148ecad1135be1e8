//! Random prose from a tiny grammar (varied enough that the corpus does not
//! compress to nothing), and the string helpers the files are written with.

use crate::rng::Rng;
use crate::vocabulary::Vocabulary;
use crate::words::{
    ADJS, ADVS, CONDITIONS, CONJS, DETS, MODALS, NOUNS, PREPS, TREATMENTS, VERBS, VERBS_BASE,
};

/// Lower case, runs of anything but letters and digits made one `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push('x');
    }
    slug
}

/// The first letter in upper case.
pub fn cap(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Title case: every word capitalised but the small ones after the first.
pub fn title_case(text: &str) -> String {
    const SMALL: &[&str] = &[
        "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
        "the", "to", "vs.", "with", "without", "after", "before", "during", "while", "over",
        "near",
    ];
    text.split(' ')
        .enumerate()
        .map(|(i, word)| {
            let small = i > 0 && SMALL.contains(&word.to_lowercase().as_str());
            if !small && word.starts_with(|c: char| c.is_lowercase()) {
                cap(word)
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A YAML double-quoted string (JSON's string syntax is valid YAML).
pub fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// A plain YAML scalar where that is safe, otherwise quoted.
pub fn scalar(text: &str) -> String {
    // YAML 1.1 words a plain scalar must not be (booleans and null).
    const SPECIAL: &[&str] = &[
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
    ];
    let bytes = text.as_bytes();
    let inner_ok = bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'.' | b'-'));
    let first_ok = bytes.first().is_some_and(u8::is_ascii_alphabetic);
    let last_ok = bytes
        .last()
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.');
    let plain = inner_ok && first_ok && last_ok && !SPECIAL.contains(&text.to_lowercase().as_str());
    if plain {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// A YAML flow list: `[a, b, "c: d"]`.
pub fn flow(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|i| scalar(i)).collect();
    format!("[{}]", items.join(", "))
}

/// Words as a reader counts them: tokens with a letter or digit.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|t| t.chars().any(|c| c.is_ascii_alphanumeric()))
        .count()
}

/// Sentences about the page's conditions and treatments (or any).
pub struct Writer<'a> {
    rng: &'a mut Rng,
    conditions: Vec<&'static str>,
    treatments: Vec<&'static str>,
    /// Made-up words some nouns are drawn from instead (see
    /// [`Writer::with_vocabulary`]).
    vocabulary: Option<&'a Vocabulary>,
}

/// The share of nouns drawn from a [`Vocabulary`], where there is one.
const FROM_VOCABULARY: f64 = 0.35;

impl<'a> Writer<'a> {
    pub fn new(rng: &'a mut Rng) -> Writer<'a> {
        Writer::about(rng, CONDITIONS, TREATMENTS)
    }

    pub fn about(
        rng: &'a mut Rng,
        conditions: &[&'static str],
        treatments: &[&'static str],
    ) -> Writer<'a> {
        let or = |own: &[&'static str], all: &[&'static str]| {
            if own.is_empty() {
                all.to_vec()
            } else {
                own.to_vec()
            }
        };
        Writer {
            rng,
            conditions: or(conditions, CONDITIONS),
            treatments: or(treatments, TREATMENTS),
            vocabulary: None,
        }
    }

    /// Draws about a third of the nouns from `vocabulary`, if given.
    /// Without one, no more random numbers are drawn than before, so the
    /// sites made without it stay byte for byte as they were.
    pub fn with_vocabulary(mut self, vocabulary: Option<&'a Vocabulary>) -> Writer<'a> {
        self.vocabulary = vocabulary;
        self
    }

    /// A noun: from the vocabulary (when there is one) about a third of
    /// the time, else from the built-in list.
    fn noun(&mut self) -> &'a str {
        match self.vocabulary {
            Some(v) if self.rng.chance(FROM_VOCABULARY) => v.draw(self.rng),
            _ => self.rng.pick(&NOUNS),
        }
    }

    /// The random numbers this writer draws from, for choices beside it.
    pub fn rng(&mut self) -> &mut Rng {
        self.rng
    }

    /// A noun phrase: `a gentle stretch`, `the knee`, `sciatica`.
    fn noun_phrase(&mut self) -> String {
        let x = self.rng.unit();
        if x < 0.10 {
            return self.rng.pick(&self.conditions).to_string();
        }
        if x < 0.18 {
            return self.rng.pick(&self.treatments).to_string();
        }
        let mut parts = Vec::with_capacity(4);
        if self.rng.chance(0.8) {
            parts.push(self.rng.pick(DETS));
        }
        if self.rng.chance(0.55) {
            parts.push(self.rng.pick(&ADJS));
        }
        parts.push(self.noun());
        if self.rng.chance(0.15) {
            parts.push(self.noun());
        }
        if parts[0] == "a" && parts.len() > 1 && parts[1].starts_with(['a', 'e', 'i', 'o', 'u']) {
            parts[0] = "an";
        }
        parts.join(" ")
    }

    /// A verb phrase: `eases the knee`, `may support a plan with rest`.
    fn verb_phrase(&mut self) -> String {
        let x = self.rng.unit();
        let mut phrase = if x < 0.45 {
            format!("{} {}", self.rng.pick(&VERBS), self.noun_phrase())
        } else if x < 0.75 {
            let modal = self.rng.pick(MODALS);
            let verb = self.rng.pick(&VERBS_BASE);
            format!("{modal} {verb} {}", self.noun_phrase())
        } else {
            let adverb = self.rng.pick(&ADVS);
            let verb = self.rng.pick(&VERBS);
            format!("{adverb} {verb} {}", self.noun_phrase())
        };
        if self.rng.chance(0.5) {
            let prep = self.rng.pick(PREPS);
            phrase = format!("{phrase} {prep} {}", self.noun_phrase());
        }
        phrase
    }

    fn clause(&mut self) -> String {
        let subject = self.noun_phrase();
        format!("{subject} {}", self.verb_phrase())
    }

    /// One sentence, sometimes with a few words in bold or italics
    /// (`markup`), ending in `.`, `?` or `!`.
    pub fn sentence(&mut self, markup: bool) -> String {
        let mut text = self.clause();
        if self.rng.chance(0.35) {
            let conj = self.rng.pick(CONJS);
            text = format!("{text}, {conj} {}", self.clause());
        }
        let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
        if markup && words.len() > 4 && self.rng.chance(0.22) {
            let i = self.rng.range(1, words.len() - 2);
            let j = words.len().min(i + self.rng.range(1, 3));
            if !words[i..j].iter().any(|w| w.contains(',')) {
                let mark = if self.rng.chance(0.55) { "**" } else { "_" };
                words[i].insert_str(0, mark);
                words[j - 1].push_str(mark);
            }
        }
        let end = self.rng.pick(&[".", ".", ".", ".", ".", "?", "!"]);
        format!("{}{end}", cap(&words.join(" ")))
    }

    /// `low` to `high` words of prose, capitalised, with no end mark.
    pub fn phrase(&mut self, low: usize, high: usize) -> String {
        let mut words: Vec<String> = Vec::new();
        while words.len() < low {
            words.extend(self.clause().split(' ').map(str::to_string));
        }
        let n = self.rng.range(low, high);
        words.truncate(n);
        cap(&words.join(" "))
    }

    /// `low` to `high` sentences.
    pub fn paragraph(&mut self, low: usize, high: usize) -> String {
        let n = self.rng.range(low, high);
        (0..n)
            .map(|_| self.sentence(true))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Is Dry Needling Safe?"), "is-dry-needling-safe");
        assert_eq!(slugify("  ACL tear -- at home  "), "acl-tear-at-home");
        assert_eq!(
            slugify("A Physical Therapist's Guide"),
            "a-physical-therapist-s-guide"
        );
        assert_eq!(slugify("?!"), "x");
    }

    #[test]
    fn titles() {
        assert_eq!(
            title_case("how dry needling helps with sciatica at work"),
            "How Dry Needling Helps with Sciatica at Work"
        );
        assert_eq!(title_case("the ACL tear"), "The ACL Tear");
    }

    #[test]
    fn yaml_scalars_are_plain_only_when_safe() {
        assert_eq!(scalar("dry needling"), "dry needling");
        assert_eq!(scalar("post-surgical"), "post-surgical");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("No"), "\"No\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("9 tips"), "\"9 tips\"");
        assert_eq!(scalar(""), "\"\"");
        assert_eq!(quoted("a \"b\""), r#""a \"b\"""#);
        assert_eq!(flow(&["PT", "on"]), "[PT, \"on\"]");
    }

    #[test]
    fn words_are_counted_as_a_reader_would() {
        assert_eq!(count_words("One **two** - 3 -- four."), 4);
    }

    #[test]
    fn phrases_have_the_asked_length() {
        let mut rng = Rng::new(3, Stream::Article, 9);
        let mut writer = Writer::new(&mut rng);
        for _ in 0..200 {
            let n = writer.phrase(2, 5).split(' ').count();
            assert!((2..=5).contains(&n), "{n}");
        }
    }
}
