//! `handout check`: the content quality gate. Loads the site as `build`
//! does, renders every template once (writing nothing), then runs the rules
//! in `rules` over every page and reports findings by file and line, as
//! text or JSON.

mod inspect;
mod readability;
mod report;
mod rules;
mod translations;

pub use translations::TranslationStatus;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

pub use report::{json, text};

pub use crate::rule::{Level, Rule};

use crate::config::Severity;
use crate::error::Errors;
use crate::render::Sink;
use crate::BuildOptions;

/// One thing to look at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// From the site root, with `/`.
    pub file: String,
    pub line: Option<usize>,
    pub rule: &'static str,
    pub severity: Level,
    pub message: String,
    pub hint: String,
    /// Readability scores, for the rule that has them.
    pub figures: Option<crate::readability::Scores>,
}

/// An external link, listed with `--external` (never fetched).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalLink {
    pub file: String,
    pub line: usize,
    pub url: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub pages: usize,
    pub external: Option<Vec<ExternalLink>>,
    /// In a site of several languages, every page's translation status.
    pub translations: Vec<TranslationStatus>,
}

impl Report {
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.severity == level).count()
    }

    /// Exit status: errors fail; with `strict`, warnings too.
    pub fn passes(&self, strict: bool) -> bool {
        self.count(Level::Error) == 0 && (!strict || self.count(Level::Warning) == 0)
    }
}

/// Renders into nothing: `check` renders every page to catch template
/// errors but writes no file.
struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> Result<(), crate::error::Diagnostic> {
        Ok(())
    }

    fn put_cached(&self, _: &str, _: &std::path::Path) -> Result<(), crate::error::Diagnostic> {
        Ok(())
    }
}

/// Checks the site. Build errors come back as `Err`, like `build`.
pub fn check(options: &BuildOptions, external: bool) -> Result<Report, Errors> {
    let scores_file = scores_file(&options.root);
    // The saved scores are read beside the site's preparation, which
    // leaves a core idle at times; no score is asked for before the rules.
    let prepared = std::thread::scope(|scope| {
        let load = || readability::SCORES.load(&scores_file);
        if std::thread::Builder::new()
            .spawn_scoped(scope, load)
            .is_err()
        {
            load();
        }
        crate::prepare_for(options, crate::Purpose::Check)
    })?;
    // Every template renders once per language (each has its own words),
    // so a template error fails the check as it fails the build; rendering
    // every page would double what check costs.
    for language in std::iter::once(&prepared).chain(&prepared.languages) {
        let site = &language.site;
        let mut seen = std::collections::HashSet::new();
        let samples: Vec<crate::render::Job> = crate::render::jobs(site)
            .into_iter()
            .filter(|&job| {
                crate::render::target(site, job).is_some_and(|(_, template)| seen.insert(template))
            })
            .collect();
        crate::render::render_jobs(&language.templates, site, &samples, &Discard)?;
    }
    let site = &prepared.site;
    let mut findings = with_levels(site, rules::run(site));
    let mut pages = site.pages.len();
    let mut external_links = external.then(|| rules::external_links(site));
    let others: Vec<&crate::site::Site> = prepared.languages.iter().map(|p| &p.site).collect();
    for other in &others {
        findings.extend(with_levels(other, rules::run(other)));
        pages += other.pages.iter().filter(|p| !other.is_borrowed(p)).count();
        if let Some(list) = external_links.as_mut() {
            list.extend(rules::external_links(other));
        }
    }
    let (across, translations) = translations::check(site, &others);
    findings.extend(with_levels(site, across));
    // Only a cache: a check that cannot save it has still checked.
    let _ = readability::SCORES.save(&scores_file);
    findings.par_sort_by(|a, b| (&a.file, a.line, a.rule).cmp(&(&b.file, b.line, b.rule)));
    // Freeing a big site's model takes tens of milliseconds the caller
    // need not wait for, as in `build`.
    let _ = std::thread::Builder::new().spawn(move || drop(prepared));
    Ok(Report {
        findings,
        pages,
        external: external_links,
        translations,
    })
}

/// Where `check` keeps the readability scores of a site between runs:
/// `check-<hash of the site folder>.json` in handout's cache folder.
/// Deleting it costs only the next check's time.
fn scores_file(root: &std::path::Path) -> std::path::PathBuf {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let hash = xxhash_rust::xxh3::xxh3_64(root.as_os_str().as_encoded_bytes());
    crate::cache::folder().join(format!("check-{hash:016x}.json"))
}

/// The findings of one page, by the rules that look at a page alone (what
/// `serve` shows in its panel: checks across pages need a full check).
pub fn page(site: &crate::site::Site, i: usize) -> Vec<Finding> {
    let Some(page) = site.pages.get(i) else {
        return Vec::new();
    };
    with_levels(site, rules::page_findings(site, page))
}

/// Applies the severities `site.yaml` sets (`off` drops a rule).
fn with_levels(site: &crate::site::Site, mut findings: Vec<Finding>) -> Vec<Finding> {
    let levels: BTreeMap<&str, Severity> = site
        .config
        .check
        .rules
        .iter()
        .map(|(id, severity)| (id.as_str(), *severity))
        .collect();
    findings.retain_mut(|finding| match levels.get(finding.rule) {
        Some(Severity::Off) => false,
        Some(Severity::Warning) if finding.severity != Level::Note => {
            finding.severity = Level::Warning;
            true
        }
        Some(Severity::Error) if finding.severity != Level::Note => {
            finding.severity = Level::Error;
            true
        }
        _ => true,
    });
    findings
}
