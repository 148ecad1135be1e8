//! Articles (`content/articles/<slug>.md`): front matter with terms,
//! clinicians, clinics and often a comparison table, and a 500-1200 word
//! body with headings, lists, quotes, tables and links to other articles.

use std::collections::HashSet;

use jiff::civil::{date, Date};
use jiff::ToSpan;

use crate::people::{unique, Author, Location};
use crate::rng::{Rng, Stream};
use crate::text::{cap, count_words, flow, quoted, slugify, title_case, Writer};
use crate::vocabulary::Vocabulary;
use crate::words::{
    ADJS, AUDIENCES, CONDITIONS, CONTEXTS, EXERCISE_COLUMNS, EXTERNAL_TOPICS, HEADINGS, NOUNS,
    ROW_LABELS, TAGS, TITLES, TREATMENTS,
};

/// The first and last article dates; updates and reviews stop at `LAST`.
const FIRST: Date = date(2020, 1, 1);
const LAST_PUBLISHED: Date = date(2025, 10, 31);
const LAST: Date = date(2025, 12, 31);

/// Body length in words, as `count_words` counts them.
pub const WORDS: std::ops::RangeInclusive<usize> = 500..=1200;

/// What an article is about, drawn before any of it is written.
pub struct Article {
    pub slug: String,
    pub title: String,
    pub conditions: Vec<&'static str>,
    pub treatments: Vec<&'static str>,
    pub tags: Vec<&'static str>,
    pub locations: Vec<String>,
    pub date: Date,
    pub updated: Option<Date>,
    pub author: String,
    /// `last_reviewed` and `reviewed_by`.
    pub review: Option<(Date, String)>,
    pub draft: bool,
    comparison: bool,
    table: bool,
    quote: bool,
    /// Where the drawing stopped; the text goes on from it.
    rng: Rng,
}

/// `template` with each `{key}` replaced by its value.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (key, value)| {
            text.replace(key, value)
        })
}

/// `day` plus `days`, no later than `LAST`.
fn later(day: Date, days: usize) -> Date {
    day.checked_add((days as i64).days())
        .map_or(LAST, |d| d.min(LAST))
}

fn title(rng: &mut Rng, conditions: &[&str], treatments: &[&str]) -> String {
    let first = treatments[0];
    let others: Vec<&str> = TREATMENTS.iter().copied().filter(|t| *t != first).collect();
    let other = rng.pick(&others);
    let template = rng.pick(TITLES);
    let audience = title_case(rng.pick(AUDIENCES));
    let context = rng.pick(CONTEXTS);
    let n = rng.range(3, 9).to_string();
    let title = fill(
        template,
        &[
            ("{C}", &title_case(conditions[0])),
            ("{T2}", &title_case(other)),
            ("{T}", &title_case(first)),
            ("{A}", &audience),
            ("{X}", context),
            ("{N}", &n),
        ],
    );
    title_case(&title)
}

/// Article `index`: its subject, people and places, with a slug not in `seen`.
pub fn article(
    seed: u64,
    index: usize,
    authors: &[Author],
    locations: &[Location],
    seen: &mut HashSet<String>,
) -> Article {
    let mut rng = Rng::new(seed, Stream::Article, index as u64);
    let n = rng.range(1, 3);
    let conditions = rng.sample(CONDITIONS, n);
    let n = rng.range(1, 2);
    let treatments = rng.sample(TREATMENTS, n);
    // A few tries for a title whose slug is new, then a numbered slug.
    let mut title_text = title(&mut rng, &conditions, &treatments);
    for _ in 0..30 {
        if !seen.contains(&slugify(&title_text)) {
            break;
        }
        title_text = title(&mut rng, &conditions, &treatments);
    }
    let slug = unique(slugify(&title_text), seen);
    let span = FIRST.until(LAST_PUBLISHED).map_or(0, |s| s.get_days());
    let day = later(FIRST, rng.below(span as usize + 1));
    let updated = rng.chance(0.5).then(|| later(day, rng.range(7, 420)));
    let author = authors[rng.below(authors.len())].slug.clone();
    let review = rng.chance(0.5).then(|| {
        let reviewed = later(day, rng.range(0, 500));
        let others: Vec<&str> = authors
            .iter()
            .map(|a| a.slug.as_str())
            .filter(|s| *s != author)
            .collect();
        let reviewer = if others.is_empty() {
            author.clone()
        } else {
            rng.pick(&others).to_string()
        };
        (reviewed, reviewer)
    });
    let n = rng.range(2, 4);
    let tags = rng.sample(TAGS, n);
    let n = rng.range(1, 4).min(locations.len());
    let places: Vec<&Location> = locations.iter().collect();
    let locations = rng
        .sample(&places, n)
        .into_iter()
        .map(|l| l.slug.clone())
        .collect();
    Article {
        slug,
        title: title_text,
        conditions,
        treatments,
        tags,
        locations,
        date: day,
        updated,
        author,
        review,
        draft: rng.chance(0.02),
        comparison: rng.chance(0.60),
        table: rng.chance(0.20),
        quote: rng.chance(0.35),
        rng,
    }
}

/// A meta description of 120 to 160 characters.
fn description(article: &Article, w: &mut Writer) -> String {
    let (condition, treatment) = (article.conditions[0], article.treatments[0]);
    let leads = [
        format!("Learn how {treatment} can help with {condition}."),
        format!("What {condition} means for your recovery, and when to ask for help."),
        format!("A clinician's overview of {condition} and {treatment}."),
        format!("Practical advice on {condition} from our physical therapists."),
    ];
    let mut text = leads[w.rng().below(leads.len())].clone();
    let (low, high) = (120, 160);
    while text.len() < low {
        let extra = w.sentence(false);
        if text.len() + 1 + extra.len() <= high {
            text = format!("{text} {extra}");
            continue;
        }
        // Only part of the sentence fits: end it on a whole word.
        let room = high.saturating_sub(text.len() + 2);
        let mut part = String::new();
        for word in extra.trim_end_matches(['.', '?', '!']).split(' ') {
            if part.len() + word.len() + 1 > room {
                break;
            }
            part = if part.is_empty() {
                word.to_string()
            } else {
                format!("{part} {word}")
            };
        }
        if !part.is_empty() && text.len() + part.len() + 2 >= low {
            text = format!("{text} {part}.");
        } else {
            let closing = w.rng().pick(&["Read on.", "Here is why.", "Start here."]);
            text = format!("{text} {closing}");
        }
    }
    if text.len() > high {
        let cut = text[..high - 1].rfind(' ').unwrap_or(high - 1);
        text = format!("{}.", &text[..cut]);
    }
    text
}

/// The `comparison:` block: two or three treatments side by side.
fn comparison(article: &Article, w: &mut Writer) -> Vec<String> {
    let ncol = w.rng().pick(&[2, 2, 3]);
    let mut columns: Vec<&str> = article.treatments.clone();
    let mut pool: Vec<&str> = TREATMENTS
        .iter()
        .copied()
        .filter(|t| !columns.contains(t))
        .collect();
    while columns.len() < ncol {
        let i = w.rng().below(pool.len());
        columns.push(pool.remove(i));
    }
    let columns: Vec<String> = columns.iter().take(ncol).map(|c| cap(c)).collect();
    let condition = article.conditions[0];
    let captions = [
        format!(
            "{} vs. {} at a glance",
            columns[0],
            columns[1].to_lowercase()
        ),
        format!("Which option fits your {condition} recovery?"),
        format!("Comparing treatments for {condition}"),
        format!("How the options differ for {}", w.rng().pick(AUDIENCES)),
    ];
    let caption = &captions[w.rng().below(captions.len())];
    let column_refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut lines = vec![
        "comparison:".to_string(),
        format!("  caption: {}", quoted(caption)),
        format!("  columns: {}", flow(&column_refs)),
        "  rows:".to_string(),
    ];
    let n = w.rng().range(3, 6);
    for label in w.rng().sample(ROW_LABELS, n) {
        let values: Vec<String> = columns.iter().map(|_| quoted(&w.phrase(2, 5))).collect();
        lines.push(format!("    - label: {}", quoted(label)));
        lines.push(format!("      values: [{}]", values.join(", ")));
    }
    lines
}

fn front_matter(article: &Article, w: &mut Writer) -> Vec<String> {
    let mut lines = vec![
        format!("title: {}", quoted(&article.title)),
        format!("description: {}", quoted(&description(article, w))),
        format!("date: {}", article.date),
    ];
    if let Some(updated) = article.updated {
        lines.push(format!("updated: {updated}"));
    }
    lines.push(format!("author: {}", article.author));
    if let Some((reviewed, by)) = &article.review {
        lines.push(format!("last_reviewed: {reviewed}"));
        lines.push(format!("reviewed_by: {by}"));
    }
    let locations: Vec<&str> = article.locations.iter().map(String::as_str).collect();
    lines.push(format!("tags: {}", flow(&article.tags)));
    lines.push(format!("conditions: {}", flow(&article.conditions)));
    lines.push(format!("treatments: {}", flow(&article.treatments)));
    lines.push(format!("locations: {}", flow(&locations)));
    lines.push(format!("draft: {}", article.draft));
    if article.comparison {
        lines.extend(comparison(article, w));
    }
    lines
}

/// The blocks that are not plain paragraphs: two lists, and by the
/// article's draw a quote and an exercise table.
fn structure(article: &Article, w: &mut Writer) -> Vec<String> {
    let n = w.rng().range(3, 6);
    let bullets: Vec<String> = (0..n).map(|_| format!("- {}", w.phrase(3, 10))).collect();
    let n = w.rng().range(3, 6);
    let steps: Vec<String> = (1..=n)
        .map(|k| format!("{k}. {}", w.phrase(4, 12)))
        .collect();
    let mut blocks = vec![bullets.join("\n"), steps.join("\n")];
    if article.quote {
        blocks.push(format!("> {}", w.paragraph(1, 2)));
    }
    if article.table {
        let n = w.rng().range(2, 4);
        let head = w.rng().sample(EXERCISE_COLUMNS, n);
        let mut lines = vec![
            format!("| {} |", head.join(" | ")),
            format!("|{}|", vec!["---"; head.len()].join("|")),
        ];
        for _ in 0..w.rng().range(3, 5) {
            let cells: Vec<String> = head
                .iter()
                .map(|_| {
                    if w.rng().chance(0.3) {
                        w.rng().range(1, 15).to_string()
                    } else {
                        w.phrase(1, 4)
                    }
                })
                .collect();
            lines.push(format!("| {} |", cells.join(" | ")));
        }
        blocks.push(lines.join("\n"));
    }
    blocks
}

/// Two to four sentences linking other articles by their source file,
/// and one external link.
fn links(article: &Article, targets: &[&Article], w: &mut Writer) -> Vec<String> {
    let n = w.rng().range(2, 4).min(targets.len());
    let mut out = Vec::new();
    for target in w.rng().sample(targets, n) {
        let texts = [
            target.title.clone(),
            format!("our guide to {}", target.conditions[0]),
            format!("this article on {}", target.treatments[0]),
            format!("what we wrote about {}", target.conditions[0]),
        ];
        let text = &texts[w.rng().below(texts.len())];
        let file = format!("{}.md", target.slug);
        let sentences = [
            format!("See [{text}]({file}) for more."),
            format!("For background, read [{text}]({file})."),
            format!("Related: [{text}]({file})."),
            format!("Many patients also ask about [{text}]({file})."),
        ];
        out.push(sentences[w.rng().below(sentences.len())].clone());
    }
    let topic = w.rng().pick(EXTERNAL_TOPICS);
    let url = format!(
        "https://www.example.org/{topic}/{}",
        slugify(article.conditions[0])
    );
    let external = [
        format!("The [published clinical guidance]({url}) covers this in more depth."),
        format!("An [independent patient resource]({url}) explains the evidence."),
        format!("You can also review [this external summary]({url})."),
    ];
    out.push(external[w.rng().below(external.len())].clone());
    out
}

/// The Markdown body: an intro, then three to six sections.
fn body(article: &Article, targets: &[&Article], w: &mut Writer) -> String {
    let target = w.rng().range(540, 1040);
    let nsec = w.rng().range(3, 6);
    let condition = title_case(article.conditions[0]);
    let treatment = title_case(article.treatments[0]);
    let audience = title_case(w.rng().pick(AUDIENCES));
    let adjective = cap(w.rng().pick(&ADJS));
    let noun = title_case(w.rng().pick(&NOUNS));
    let values = [
        ("{C}", condition.as_str()),
        ("{T}", &treatment),
        ("{A}", &audience),
        ("{Adj}", &adjective),
        ("{Noun}", &noun),
    ];
    let headings: Vec<String> = w
        .rng()
        .sample(HEADINGS, nsec)
        .into_iter()
        .map(|h| fill(h, &values))
        .collect();
    let mut sections: Vec<Vec<String>> = (0..nsec).map(|_| vec![w.paragraph(2, 4)]).collect();
    let intro = w.paragraph(2, 4);
    for block in structure(article, w) {
        let at = w.rng().below(nsec);
        sections[at].push(block);
    }
    let mut words = count_words(&intro) + headings.iter().map(|h| count_words(h)).sum::<usize>();
    words += sections
        .iter()
        .flatten()
        .map(|b| count_words(b))
        .sum::<usize>();
    while words < target {
        let block = w.paragraph(2, 6);
        words += count_words(&block);
        let at = w.rng().below(nsec);
        sections[at].push(block);
    }
    // Links go at the end of prose paragraphs, not into lists or tables.
    let prose: Vec<(usize, usize)> = sections
        .iter()
        .enumerate()
        .flat_map(|(s, blocks)| (0..blocks.len()).map(move |b| (s, b)))
        .filter(|&(s, b)| sections[s][b].starts_with(|c: char| c.is_alphabetic()))
        .collect();
    for link in links(article, targets, w) {
        let (s, b) = w.rng().pick(&prose);
        sections[s][b] = format!("{} {link}", sections[s][b]);
    }
    let mut parts = vec![intro];
    for (heading, blocks) in headings.iter().zip(sections) {
        parts.push(format!("## {heading}"));
        parts.extend(blocks);
    }
    parts.join("\n\n") + "\n"
}

/// The whole file, or `None` if no body of 500-1200 words came out in
/// twenty tries (it always has: the body aims at 540-1040).
pub fn file(
    article: &Article,
    targets: &[&Article],
    vocabulary: Option<&Vocabulary>,
) -> Option<String> {
    let mut rng = article.rng.clone();
    let mut w = Writer::about(&mut rng, &article.conditions, &article.treatments)
        .with_vocabulary(vocabulary);
    let front = front_matter(article, &mut w);
    let body = (0..20)
        .map(|_| body(article, targets, &mut w))
        .find(|b| WORDS.contains(&count_words(b)))?;
    Some(format!("---\n{}\n---\n\n{body}", front.join("\n")))
}
