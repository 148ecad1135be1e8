//! A language's word rules for the index: its Snowball stemmer (so `knees`
//! and `knee` are one word) and its stop words (`the`, `with`), which are
//! left out of the index. The browser never stems: the word lists it reads
//! say which stem each word has.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashSet;

use crate::words::fold;

/// One language of a site's pages.
pub struct Language {
    /// The primary subtag, lowercase: `en` for `en-US`. Names the index
    /// folder (`search/en/`).
    pub code: String,
    stemmer: Option<Stemmer>,
    stop: FxHashSet<String>,
}

impl std::fmt::Debug for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Language")
            .field("code", &self.code)
            .field("stems", &self.stemmer.is_some())
            .finish()
    }
}

/// The Snowball algorithm of a primary language subtag, if there is one.
fn algorithm(code: &str) -> Option<Algorithm> {
    Some(match code {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

impl Language {
    /// The rules for a `language` as `site.yaml` writes it (`en`, `en-US`,
    /// `es`). A language Snowball has no stemmer for is indexed word for
    /// word, with no stop words.
    pub fn new(language: &str) -> Language {
        let code: String = language
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let code = if code.is_empty() { "und".into() } else { code };
        let stop = stop_words::lookup(&code)
            .unwrap_or_default()
            .iter()
            .flat_map(|w| {
                let mut out = Vec::new();
                crate::words::words(w, |w| out.push(fold(&w).into_owned()));
                out
            })
            .collect();
        Language {
            stemmer: algorithm(&code).map(Stemmer::create),
            stop,
            code,
        }
    }

    /// Whether a folded word is left out of the index.
    pub fn is_stop(&self, folded: &str) -> bool {
        self.stop.contains(folded)
    }

    /// The stop words, folded.
    pub fn stop_words(&self) -> impl Iterator<Item = &str> {
        self.stop.iter().map(String::as_str)
    }

    /// The index term of a lowercase word: its stem, folded. Stemming comes
    /// first, as some stemmers (Spanish) read the accents.
    pub fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            Some(stemmer) => fold(&stemmer.stem(word)).into_owned(),
            None => fold(word).into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_stems_and_stop_words() {
        let en = Language::new("en-US");
        assert_eq!(en.code, "en");
        assert_eq!(en.stem("knees"), "knee");
        assert_eq!(en.stem("running"), "run");
        assert_eq!(en.stem("stretching"), en.stem("stretches"));
        assert!(en.is_stop("the"));
        assert!(en.is_stop("dont"), "apostrophes dropped as in words()");
        assert!(!en.is_stop("knee"));
    }

    #[test]
    fn spanish_is_ready() {
        let es = Language::new("es");
        assert_eq!(es.code, "es");
        assert_eq!(es.stem("rodillas"), es.stem("rodilla"));
        // Stemmed before folding: `ación` endings are read with their accent.
        assert_eq!(es.stem("rehabilitación"), es.stem("rehabilitaciones"));
        assert!(es.is_stop("el"));
    }

    #[test]
    fn unknown_language_is_word_for_word() {
        let xx = Language::new("x-klingon");
        assert_eq!(xx.code, "x");
        assert_eq!(xx.stem("qapla"), "qapla");
        assert!(!xx.is_stop("the"));
    }
}
