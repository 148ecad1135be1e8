//! Rules across a site's languages: a translation whose original was
//! revised after it (so the Spanish may still give the old advice), an
//! article with no translation in a language of the site, and a link on a
//! translation that goes to the original for want of a translation; and
//! the translation status of every page, for `--format json`.

use serde::Serialize;

use super::{Finding, Rule};
use crate::content::Meta;
use crate::error::display_path;
use crate::frontmatter::Date;
use crate::site::{Page, Site};

/// A page and its translations, for `--format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranslationStatus {
    pub file: String,
    pub language: String,
    /// A translation's original file; none for an original.
    pub original: Option<String>,
    /// `original`, `current` or `stale` (its original was revised after it).
    pub status: &'static str,
    /// An original's languages with no translation of it.
    pub missing: Vec<String>,
}

/// The day a page last changed in substance: an article's `updated` or
/// `last_reviewed` (whichever is later), a plain page's `updated`.
fn revised(page: &Page) -> Option<(Date, &'static str)> {
    match &*page.source.meta {
        Meta::Article(meta) => {
            let updated = meta.updated.map(|d| (d, "updated"));
            let reviewed = meta.last_reviewed.map(|d| (d, "last_reviewed"));
            updated.into_iter().chain(reviewed).max_by_key(|(d, _)| *d)
        }
        Meta::Plain(meta) => meta.updated.map(|d| (d, "updated")),
        _ => None,
    }
}

/// The day a translation says it was brought up to date: its `updated`,
/// else an article's `date`.
fn translated_on(page: &Page) -> Option<Date> {
    match &*page.source.meta {
        Meta::Article(meta) => Some(meta.updated.unwrap_or(meta.date)),
        Meta::Plain(meta) => meta.updated,
        _ => None,
    }
}

fn key_line(page: &Page, key: &str) -> usize {
    crate::yaml::lines::key_line(&page.source.front_matter(), key) + 1
}

/// Findings and statuses over the default language's site and the others.
pub fn check(default: &Site, others: &[&Site]) -> (Vec<Finding>, Vec<TranslationStatus>) {
    let mut findings = Vec::new();
    let mut statuses = Vec::new();
    for site in others {
        for page in site.pages.iter().filter(|p| p.source.lang.is_some()) {
            let original = default.page_by_rel(page.source.key());
            let stale = original.and_then(|o| stale(o, page));
            if let Some(finding) = &stale {
                findings.push(finding.clone());
            }
            statuses.push(TranslationStatus {
                file: display_path(&page.source.path),
                language: site.config.language.clone(),
                original: original.map(|o| display_path(&o.source.path)),
                status: if stale.is_some() { "stale" } else { "current" },
                missing: Vec::new(),
            });
            findings.extend(fallback_links(site, page));
        }
    }
    for page in &default.pages {
        let missing: Vec<&Site> = others
            .iter()
            .copied()
            .filter(|site| {
                !site
                    .pages
                    .iter()
                    .any(|p| p.source.lang.is_some() && p.source.key() == page.source.rel)
            })
            .collect();
        if matches!(*page.source.meta, Meta::Article(_)) {
            for site in &missing {
                let code = &site.config.language;
                findings.push(Finding {
                    file: display_path(&page.source.path),
                    line: Some(key_line(page, "title")),
                    rule: Rule::TranslationMissing.id(),
                    severity: Rule::TranslationMissing.default_level(),
                    message: format!("this article has no `{code}` translation yet"),
                    hint: format!(
                        "start one with: handout new article --lang {code} --translation-of {}",
                        page.source.file_slug
                    ),
                    figures: None,
                });
            }
        }
        if !others.is_empty() {
            statuses.push(TranslationStatus {
                file: display_path(&page.source.path),
                language: default.config.language.clone(),
                original: None,
                status: "original",
                missing: missing.iter().map(|s| s.config.language.clone()).collect(),
            });
        }
    }
    statuses.sort_by(|a, b| a.file.cmp(&b.file));
    (findings, statuses)
}

/// A warning when `original` was revised after `translation` was last
/// brought up to date.
fn stale(original: &Page, translation: &Page) -> Option<Finding> {
    let (revised, what) = revised(original)?;
    let on = translated_on(translation);
    if on.is_some_and(|on| on >= revised) {
        return None;
    }
    let original_file = display_path(&original.source.path);
    let since = match on {
        Some(on) => format!("was last updated on {}", on.iso()),
        None => "has no `updated` date".to_string(),
    };
    let line = match *translation.source.meta {
        Meta::Article(ref meta) if meta.updated.is_none() => key_line(translation, "date"),
        _ => key_line(translation, "updated"),
    };
    Some(Finding {
        file: display_path(&translation.source.path),
        line: Some(line),
        rule: Rule::TranslationStale.id(),
        severity: Rule::TranslationStale.default_level(),
        message: format!(
            "this translation {since}, but its original {original_file} was revised on {} (`{what}`): it may still say what the original no longer does",
            revised.iso()
        ),
        hint: "compare it with the original, bring it up to date (and have it reviewed), then set `updated:` to that day".into(),
        figures: None,
    })
}

/// Notes for links on a translation that go to a page of the default
/// language, for want of a translation of it.
fn fallback_links(site: &Site, page: &Page) -> Vec<Finding> {
    let facts = super::inspect::inspect(&page.source.body);
    facts
        .links
        .iter()
        .filter_map(|link| {
            let path = link.dest.split(['#', '?']).next().unwrap_or_default();
            if !path.ends_with(".md") || path.contains("://") {
                return None;
            }
            let rel = crate::links::normalize(page.source.rel_dir(), path)?;
            site.targets.fallback.contains(&rel).then(|| Finding {
                file: display_path(&page.source.path),
                line: Some(page.source.body_line + link.line - 1),
                rule: Rule::TranslationLink.id(),
                severity: Rule::TranslationLink.default_level(),
                message: format!(
                    "the link to {} goes to the original: it has no `{}` translation yet",
                    link.dest, site.config.language
                ),
                hint: "when it has one, the link goes there by itself".into(),
                figures: None,
            })
        })
        .collect()
}
