//! The formulas, from the counts of a text or of one sentence. Every
//! division is guarded: no words or no sentences gives 0.0.
//!
//! English: Flesch (1948) reading ease, Kincaid et al. (1975) grade,
//! McLaughlin (1969) SMOG. Spanish: Fernández Huerta (1959) reading ease,
//! in the corrected form (words per sentence, not sentences per 100 words),
//! and Szigriszt Pazos (1993) perspicuity, read on the INFLESZ scale of
//! Barrio-Cantalejo et al. (2008). Sources and bands: docs/readability.md.

use super::{Counts, Formulas, Language, SentenceScore};

pub(super) fn formulas(language: Language, c: Counts) -> Formulas {
    match language {
        Language::English => Formulas::English {
            flesch_kincaid_grade: flesch_kincaid_grade(c),
            flesch_reading_ease: flesch_reading_ease(c),
            smog: smog(c),
        },
        Language::Spanish => Formulas::Spanish {
            inflesz: szigriszt_pazos(c),
            fernandez_huerta: fernandez_huerta(c),
        },
    }
}

/// One sentence's score on its language's judged scale.
pub(super) fn sentence_score(language: Language, c: Counts) -> SentenceScore {
    match language {
        Language::English => SentenceScore::Grade {
            grade: flesch_kincaid_grade(c),
        },
        Language::Spanish => SentenceScore::Inflesz {
            inflesz: szigriszt_pazos(c),
        },
    }
}

/// Words per sentence and syllables per word, or `None` for an empty text.
fn rates(c: Counts) -> Option<(f64, f64)> {
    if c.words == 0 || c.sentences == 0 {
        return None;
    }
    Some((
        c.words as f64 / c.sentences as f64,
        c.syllables as f64 / c.words as f64,
    ))
}

pub(super) fn flesch_kincaid_grade(c: Counts) -> f64 {
    rates(c).map_or(0.0, |(wps, spw)| 0.39 * wps + 11.8 * spw - 15.59)
}

pub(super) fn flesch_reading_ease(c: Counts) -> f64 {
    rates(c).map_or(0.0, |(wps, spw)| 206.835 - 1.015 * wps - 84.6 * spw)
}

/// SMOG scales the long words to a 30-sentence sample, so it is extrapolated
/// (and noisy) for shorter texts.
pub(super) fn smog(c: Counts) -> f64 {
    if c.sentences == 0 {
        return 0.0;
    }
    1.0430 * (c.polysyllables as f64 * 30.0 / c.sentences as f64).sqrt() + 3.1291
}

/// Fernández Huerta: 206.84 − 0.60 × (syllables per 100 words) − 1.02 ×
/// (words per sentence).
pub(super) fn fernandez_huerta(c: Counts) -> f64 {
    rates(c).map_or(0.0, |(wps, spw)| 206.84 - 60.0 * spw - 1.02 * wps)
}

/// Szigriszt Pazos perspicuity (the INFLESZ score): 206.835 − 62.3 ×
/// (syllables per word) − (words per sentence).
pub(super) fn szigriszt_pazos(c: Counts) -> f64 {
    rates(c).map_or(0.0, |(wps, spw)| 206.835 - 62.3 * spw - wps)
}

/// The bands of the INFLESZ scale (Barrio-Cantalejo et al. 2008), in
/// English with the scale's own Spanish words.
pub fn inflesz_band(score: f64) -> &'static str {
    match score {
        s if s < 40.0 => "very hard, muy difícil",
        s if s < 55.0 => "somewhat hard, algo difícil",
        s if s < 65.0 => "normal",
        s if s < 80.0 => "fairly easy, bastante fácil",
        _ => "very easy, muy fácil",
    }
}
