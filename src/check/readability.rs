//! The `readability` rule: a page's prose scored in the page's language
//! and held to the site's limit for that language (`readability:` in
//! site.yaml).

use super::inspect::Facts;
use super::rules::At;
use super::{Finding, Level, Rule};
use crate::config::Readability;
use crate::readability::cache::ScoreCache;
use crate::readability::{
    inflesz_band, Block, Formulas, Language, Scorer, Scores, SentenceScore, MIN_WORDS,
};
use crate::site::{Page, Site};

/// The language a page is written in: today the site's `language`, for
/// every page.
fn page_language<'a>(site: &'a Site, _page: &Page) -> &'a str {
    &site.config.language
}

/// Scores already made in this process, and by `check` in earlier runs
/// (loaded and saved by [`super::check`]).
pub(super) static SCORES: std::sync::LazyLock<ScoreCache> =
    std::sync::LazyLock::new(ScoreCache::default);

pub(super) fn readability(site: &Site, at: &At, facts: &Facts) -> Finding {
    let tag = page_language(site, at.page);
    let Some(language) = Language::from_tag(tag) else {
        return finding(
            at,
            Level::Note,
            format!(
                "not scored: handout has readability formulas for English and Spanish, \
                 and this page is in `{tag}`"
            ),
            String::new(),
            None,
        );
    };
    let blocks: Vec<Block> = facts
        .prose
        .iter()
        .map(|p| Block {
            text: &p.text,
            line: at.body(p.line),
        })
        .collect();
    // A scorer remembers syllable counts across pages: one per thread.
    thread_local! {
        static SCORER: std::cell::RefCell<Scorer> = std::cell::RefCell::new(Scorer::new());
    }
    let scores = SCORES.get_or_score(&blocks, language, || {
        SCORER.with(|scorer| scorer.borrow_mut().score(&blocks, language))
    });
    let limit = Limit::of(&site.config.readability, language);
    let summary = summary(&scores);
    let reads = reads_at(scores.headline());
    let (severity, message, hint) = if !scores.is_judged() {
        (
            Level::Note,
            format!(
                "too short to judge ({} words; {MIN_WORDS} or more are scored): {summary}",
                scores.words
            ),
            String::new(),
        )
    } else if limit.fails(scores.headline()) {
        let hardest: Vec<String> = scores
            .hardest
            .iter()
            .map(|s| format!("line {} ({}): \"{}\"", s.line, label(s.score), s.text))
            .collect();
        (
            Rule::Readability.default_level(),
            format!(
                "{reads}, {} the site's limit of {}: {summary}",
                limit.side, limit.value
            ),
            format!(
                "use shorter sentences and everyday words; start with the hardest: {}",
                hardest.join("; ")
            ),
        )
    } else {
        (
            Level::Note,
            format!("{reads} (limit {}): {summary}", limit.value),
            String::new(),
        )
    };
    finding(at, severity, message, hint, Some(scores))
}

fn finding(
    at: &At,
    severity: Level,
    message: String,
    hint: String,
    figures: Option<Scores>,
) -> Finding {
    Finding {
        file: at.file(),
        line: Some(at.page.source.body_line),
        rule: Rule::Readability.id(),
        severity,
        message,
        hint,
        figures,
    }
}

/// A site's limit for one language, on that language's judged scale.
struct Limit {
    value: f64,
    /// Which side of the limit fails: "above" a grade, "below" a score.
    side: &'static str,
}

impl Limit {
    fn of(config: &Readability, language: Language) -> Limit {
        match language {
            Language::English => Limit {
                value: config.max_grade,
                side: "above",
            },
            Language::Spanish => Limit {
                value: config.es.min_inflesz,
                side: "below",
            },
        }
    }

    fn fails(&self, score: SentenceScore) -> bool {
        match score {
            SentenceScore::Grade { grade } => grade > self.value,
            SentenceScore::Inflesz { inflesz } => inflesz < self.value,
        }
    }
}

/// `reads at grade 9.4`, `reads at INFLESZ 48 (somewhat hard, algo
/// difícil)`.
fn reads_at(score: SentenceScore) -> String {
    match score {
        SentenceScore::Grade { .. } => format!("reads at {}", label(score)),
        SentenceScore::Inflesz { inflesz } => {
            format!("reads at {} ({})", label(score), inflesz_band(inflesz))
        }
    }
}

/// `grade 9.4`, `INFLESZ 48`.
fn label(score: SentenceScore) -> String {
    match score {
        SentenceScore::Grade { grade } => format!("grade {grade:.1}"),
        SentenceScore::Inflesz { inflesz } => format!("INFLESZ {inflesz:.0}"),
    }
}

/// Every figure, for the message.
fn summary(scores: &Scores) -> String {
    let counts = format!("{} words in {} sentences", scores.words, scores.sentences);
    match scores.formulas {
        Formulas::English {
            flesch_kincaid_grade,
            flesch_reading_ease,
            smog,
        } => format!(
            "grade {flesch_kincaid_grade:.1}, reading ease {flesch_reading_ease:.0}, \
             SMOG {smog:.1}, {counts}"
        ),
        Formulas::Spanish {
            inflesz,
            fernandez_huerta,
        } => format!("INFLESZ {inflesz:.0}, Fernández-Huerta {fernandez_huerta:.0}, {counts}"),
    }
}
