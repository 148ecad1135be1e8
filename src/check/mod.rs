//! `handout check`: the content quality gate. Loads the site as `build`
//! does, renders every template once (writing nothing), then runs the rules
//! in `rules` over every page and reports findings by file and line, as
//! text or JSON.

mod inspect;
mod readability;
mod report;
mod rules;

use std::collections::BTreeMap;

use serde::Serialize;

pub use report::{json, text};

use crate::config::Severity;
use crate::error::Errors;
use crate::render::Sink;
use crate::BuildOptions;

/// Every rule, by its id in `site.yaml` (`check: {rules: {<id>: off}}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    Readability,
    ReviewDue,
    ReviewPair,
    DatesOrder,
    ImageAlt,
    LinkText,
    HeadingOrder,
    TableHeader,
    TitleLength,
    DescriptionLength,
    DuplicateTitle,
    DuplicateDescription,
    TelLink,
    MailtoLink,
    InsecureLink,
}

impl Rule {
    pub const ALL: [Rule; 15] = [
        Rule::Readability,
        Rule::ReviewDue,
        Rule::ReviewPair,
        Rule::DatesOrder,
        Rule::ImageAlt,
        Rule::LinkText,
        Rule::HeadingOrder,
        Rule::TableHeader,
        Rule::TitleLength,
        Rule::DescriptionLength,
        Rule::DuplicateTitle,
        Rule::DuplicateDescription,
        Rule::TelLink,
        Rule::MailtoLink,
        Rule::InsecureLink,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::Readability => "readability",
            Rule::ReviewDue => "review-due",
            Rule::ReviewPair => "review-pair",
            Rule::DatesOrder => "dates-order",
            Rule::ImageAlt => "image-alt",
            Rule::LinkText => "link-text",
            Rule::HeadingOrder => "heading-order",
            Rule::TableHeader => "table-header",
            Rule::TitleLength => "title-length",
            Rule::DescriptionLength => "description-length",
            Rule::DuplicateTitle => "duplicate-title",
            Rule::DuplicateDescription => "duplicate-description",
            Rule::TelLink => "tel-link",
            Rule::MailtoLink => "mailto-link",
            Rule::InsecureLink => "insecure-link",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Errors are facts that are wrong; warnings are judgement calls.
    pub fn default_level(self) -> Level {
        match self {
            Rule::ReviewPair
            | Rule::DatesOrder
            | Rule::ImageAlt
            | Rule::TelLink
            | Rule::MailtoLink => Level::Error,
            _ => Level::Warning,
        }
    }
}

/// How much a finding matters. Notes (figures, texts too short to judge)
/// never fail a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

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
    fn put(&self, _: &str, _: &[u8]) -> Result<(), crate::Diagnostic> {
        Ok(())
    }
}

/// Checks the site. Build errors come back as `Err`, like `build`.
pub fn check(options: &BuildOptions, external: bool) -> Result<Report, Errors> {
    let prepared = crate::prepare(options)?;
    // Every template renders once, so a template error fails the check as it
    // fails the build; rendering every page would double what check costs.
    let site = &prepared.site;
    let mut seen = std::collections::HashSet::new();
    let samples: Vec<crate::render::Job> = crate::render::jobs(site)
        .into_iter()
        .filter(|&job| {
            crate::render::target(site, job).is_some_and(|(_, template)| seen.insert(template))
        })
        .collect();
    crate::render::render_jobs(&prepared.templates, site, &samples, &Discard)?;
    let mut findings = with_levels(site, rules::run(site));
    findings.sort_by(|a, b| (&a.file, a.line, a.rule).cmp(&(&b.file, b.line, b.rule)));
    Ok(Report {
        findings,
        pages: site.pages.len(),
        external: external.then(|| rules::external_links(site)),
    })
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
