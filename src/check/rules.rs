//! The rules of `handout check`, each a small function from a page (or
//! the whole site) to findings.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::inspect::{inspect, Facts};
use super::{ExternalLink, Finding, Rule};
use crate::content::Meta;
use crate::error::display_path;
use crate::site::{Page, Site};

/// Runs every rule over every page.
pub fn run(site: &Site) -> Vec<Finding> {
    let mut findings: Vec<Finding> = site
        .pages
        .par_iter()
        .filter(|page| !site.is_borrowed(page))
        .flat_map_iter(|page| page_findings(site, page))
        .collect();
    findings.extend(duplicates(site, Rule::DuplicateTitle, |p| {
        Some(p.title().to_string())
    }));
    findings.extend(duplicates(site, Rule::DuplicateDescription, description));
    findings
}

/// A finding on `page`, at a body line or front matter line.
pub(super) struct At<'a> {
    pub(super) page: &'a Page,
}

impl At<'_> {
    pub(super) fn file(&self) -> String {
        display_path(&self.page.source.path)
    }

    /// The file line of a body line.
    pub(super) fn body(&self, line: usize) -> usize {
        self.page.source.body_line + line - 1
    }

    /// The file line of a front matter key.
    fn key(&self, key: &str) -> usize {
        crate::yaml::lines::key_line(&self.page.source.front_matter(), key) + 1
    }

    fn finding(&self, rule: Rule, line: usize, message: String, hint: &str) -> Finding {
        Finding {
            file: self.file(),
            line: Some(line),
            rule: rule.id(),
            severity: rule.default_level(),
            message,
            hint: hint.to_string(),
            figures: None,
        }
    }
}

pub fn page_findings(site: &Site, page: &Page) -> Vec<Finding> {
    let at = At { page };
    let facts = inspect(&page.source.body);
    let mut out = Vec::new();
    if matches!(*page.source.meta, Meta::Article(_) | Meta::Plain(_)) {
        out.push(super::readability::readability(site, &at, &facts));
    }
    if let Meta::Article(meta) = &*page.source.meta {
        review(site, &at, meta, &mut out);
    }
    if matches!(
        *page.source.meta,
        Meta::Article(_) | Meta::Plain(_) | Meta::Home(_)
    ) {
        findability(&at, &mut out);
    }
    accessibility(&at, &facts, &mut out);
    links(&at, &facts, &mut out);
    out
}

fn review(site: &Site, at: &At, meta: &crate::frontmatter::ArticleMeta, out: &mut Vec<Finding>) {
    match (&meta.reviewed_by, meta.last_reviewed) {
        (Some(_), None) => out.push(at.finding(
            Rule::ReviewPair,
            at.key("reviewed_by"),
            "`reviewed_by` is set but `last_reviewed` is not".into(),
            "add `last_reviewed:` with the date of the clinical review",
        )),
        (None, Some(_)) => out.push(at.finding(
            Rule::ReviewPair,
            at.key("last_reviewed"),
            "`last_reviewed` is set but `reviewed_by` is not".into(),
            "add `reviewed_by:` with the reviewing clinician's author file name",
        )),
        _ => {}
    }
    match meta.last_reviewed {
        None if at.page.source.lang.is_some() => out.push(at.finding(
            Rule::ReviewDue,
            at.key("title"),
            format!(
                "this translation has not been clinically reviewed: the `{}` text needs its own review",
                site.config.language
            ),
            "have a clinician who reads the language check it, then add its own `reviewed_by:` and `last_reviewed:`",
        )),
        None => out.push(at.finding(
            Rule::ReviewDue,
            at.key("title"),
            "this article has not been clinically reviewed".into(),
            "have a clinician check it, then add `reviewed_by:` and `last_reviewed:`",
        )),
        Some(reviewed) => {
            let days = i64::from(site.config.review.interval_days);
            let due = reviewed.0.checked_add(jiff::Span::new().days(days)).ok();
            if let Some(due) = due.filter(|due| *due < site.today.0) {
                out.push(at.finding(
                    Rule::ReviewDue,
                    at.key("last_reviewed"),
                    format!(
                        "the clinical review was due on {due} ({days} days after {})",
                        reviewed.iso()
                    ),
                    "have a clinician check the article again, then update `last_reviewed:`",
                ));
            }
        }
    }
    if let Some(updated) = meta.updated.filter(|u| *u < meta.date) {
        out.push(at.finding(
            Rule::DatesOrder,
            at.key("updated"),
            format!("`updated` ({}) is before `date` ({})", updated.iso(), meta.date.iso()),
            "`updated` is when you last changed the article: it cannot come before it was published",
        ));
    }
}

fn description(page: &Page) -> Option<String> {
    match &*page.source.meta {
        Meta::Article(m) => Some(m.description.clone()),
        Meta::Plain(m) => m.description.clone(),
        Meta::Home(m) => m.description.clone(),
        _ => None,
    }
}

/// Search engines cut titles at about 60 characters and descriptions
/// outside about 50 to 160.
const TITLE_MAX: usize = 60;
const DESCRIPTION: std::ops::RangeInclusive<usize> = 50..=160;

fn findability(at: &At, out: &mut Vec<Finding>) {
    let title = at.page.title().chars().count();
    if title > TITLE_MAX {
        out.push(at.finding(
            Rule::TitleLength,
            at.key("title"),
            format!("the title has {title} characters; search results show about {TITLE_MAX}"),
            "shorten the title and put the key words first",
        ));
    }
    match description(at.page) {
        None => out.push(at.finding(
            Rule::DescriptionLength,
            1,
            "this page has no `description`".into(),
            "add `description:` with one sentence of 50 to 160 characters; search results show it",
        )),
        Some(text) => {
            let n = text.chars().count();
            if !DESCRIPTION.contains(&n) {
                out.push(at.finding(
                    Rule::DescriptionLength,
                    at.key("description"),
                    format!(
                        "the description has {n} characters; aim for {} to {}",
                        DESCRIPTION.start(),
                        DESCRIPTION.end()
                    ),
                    "write one sentence that says what the reader will learn",
                ));
            }
        }
    }
}

/// Pages sharing a title or description, each told the other's file.
fn duplicates(site: &Site, rule: Rule, key: impl Fn(&Page) -> Option<String>) -> Vec<Finding> {
    let mut groups: BTreeMap<String, Vec<&Page>> = BTreeMap::new();
    for page in &site.pages {
        if matches!(*page.source.meta, Meta::Location(_) | Meta::Author(_)) {
            continue;
        }
        if let Some(value) = key(page)
            .map(|v| v.trim().to_lowercase())
            .filter(|v| !v.is_empty())
        {
            groups.entry(value).or_default().push(page);
        }
    }
    let what = if rule == Rule::DuplicateTitle {
        "title"
    } else {
        "description"
    };
    groups
        .into_values()
        .filter(|pages| pages.len() > 1)
        .flat_map(|pages| {
            let files: Vec<String> = pages.iter().map(|p| display_path(&p.source.path)).collect();
            pages.into_iter().map(move |page| {
                let at = At { page };
                let others: Vec<&str> = files
                    .iter()
                    .filter(|f| **f != at.file())
                    .map(String::as_str)
                    .collect();
                at.finding(
                    rule,
                    at.key(what),
                    format!("the same {what} as {}", others.join(", ")),
                    "give each page its own, so readers and search engines can tell them apart",
                )
            })
        })
        .collect()
}

/// Alt text that says nothing about the picture.
fn empty_alt(alt: &str, dest: &str) -> Option<&'static str> {
    let alt = alt.trim().to_lowercase();
    let file = dest.rsplit('/').next().unwrap_or(dest).to_lowercase();
    let image_ext = [".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".avif"];
    if alt.is_empty() {
        Some("has no alt text")
    } else if alt == file || image_ext.iter().any(|e| alt.ends_with(e)) {
        Some("has a file name as its alt text")
    } else if [
        "image",
        "photo",
        "picture",
        "img",
        "graphic",
        "an image",
        "a photo",
        "a picture",
    ]
    .contains(&alt.as_str())
    {
        Some("has alt text that does not describe it")
    } else {
        None
    }
}

/// Link text that means nothing out of context.
const VAGUE_LINKS: [&str; 9] = [
    "click here",
    "here",
    "read more",
    "more",
    "learn more",
    "this",
    "this link",
    "link",
    "click",
];

fn accessibility(at: &At, facts: &Facts, out: &mut Vec<Finding>) {
    let own = match &*at.page.source.meta {
        Meta::Article(meta) => meta
            .image
            .as_deref()
            .map(|i| ("image", i, meta.image_alt.as_deref())),
        Meta::Location(meta) => meta
            .photo
            .as_deref()
            .map(|p| ("photo", p, meta.photo_alt.as_deref())),
        _ => None,
    };
    if let Some((key, dest, alt)) = own {
        if let Some(problem) = empty_alt(alt.unwrap_or(""), dest) {
            out.push(at.finding(
                Rule::ImageAlt,
                at.key(key),
                format!("the {key} `{dest}` {problem}"),
                &format!("describe what the picture shows in `{key}_alt:`, for readers who cannot see it"),
            ));
        }
    }
    for image in &facts.images {
        if let Some(problem) = empty_alt(&image.alt, &image.dest) {
            out.push(at.finding(
                Rule::ImageAlt,
                at.body(image.line),
                format!("the image `{}` {problem}", image.dest),
                "describe what the picture shows, for readers who cannot see it: ![A knee brace on a runner](knee.jpg)",
            ));
        }
    }
    for link in &facts.links {
        let text = link.text.trim().to_lowercase();
        let bare =
            text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www.");
        if VAGUE_LINKS.contains(&text.as_str()) || bare {
            out.push(at.finding(
                Rule::LinkText,
                at.body(link.line),
                format!("the link text \"{}\" does not say where it goes", link.text.trim()),
                "use words that name the page: [how to foam roll](foam-rolling.md), not [click here](foam-rolling.md)",
            ));
        }
    }
    let mut previous = 1;
    for heading in &facts.headings {
        if heading.level == 1 {
            out.push(at.finding(
                Rule::HeadingOrder,
                at.body(heading.line),
                "a level-1 heading (#) in the body: the page title is the only one".into(),
                "start body headings at ## and go down one level at a time",
            ));
        } else if heading.level > previous + 1 {
            out.push(at.finding(
                Rule::HeadingOrder,
                at.body(heading.line),
                format!("the heading jumps from level {previous} to level {}", heading.level),
                "go down one level at a time (## then ###), so screen reader users can follow the outline",
            ));
        }
        previous = heading.level;
    }
    for table in facts.tables.iter().filter(|t| !t.has_header) {
        out.push(at.finding(
            Rule::TableHeader,
            at.body(table.line),
            "this table has no header row".into(),
            "name each column in the first row, or write the table as a comparison in the front matter",
        ));
    }
}

fn links(at: &At, facts: &Facts, out: &mut Vec<Finding>) {
    for link in &facts.links {
        let line = at.body(link.line);
        if let Some(number) = link.dest.strip_prefix("tel:") {
            if let Err(message) = crate::phone::e164(number) {
                out.push(at.finding(
                    Rule::TelLink,
                    line,
                    message,
                    "write tel: links as tel:+16305550101",
                ));
            }
        } else if let Some(address) = link.dest.strip_prefix("mailto:") {
            let address = address.split('?').next().unwrap_or("");
            if !address.contains('@') {
                out.push(at.finding(
                    Rule::MailtoLink,
                    line,
                    format!("`{}` has no email address", link.dest),
                    "write mailto:name@example.com",
                ));
            }
        } else if link.dest.starts_with("http://") && !is_local(&link.dest) {
            out.push(at.finding(
                Rule::InsecureLink,
                line,
                format!("`{}` is not a secure link", link.dest),
                "use https:// if the site offers it",
            ));
        }
    }
}

fn is_local(url: &str) -> bool {
    let host = url
        .trim_start_matches("http://")
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    host == "localhost" || host.starts_with("127.")
}

/// Every link that leaves the site, for `--external`.
pub fn external_links(site: &Site) -> Vec<ExternalLink> {
    let mut links: Vec<ExternalLink> = site
        .pages
        .iter()
        .flat_map(|page| {
            let at = At { page };
            inspect(&page.source.body)
                .links
                .into_iter()
                .filter(|l| l.dest.starts_with("http://") || l.dest.starts_with("https://"))
                .map(|l| ExternalLink {
                    file: at.file(),
                    line: at.body(l.line),
                    url: l.dest,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    links.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alt_text() {
        assert_eq!(empty_alt("", "a.jpg"), Some("has no alt text"));
        assert_eq!(
            empty_alt("knee.jpg", "img/knee.jpg"),
            Some("has a file name as its alt text")
        );
        assert_eq!(
            empty_alt("IMG_2041.PNG", "x.png"),
            Some("has a file name as its alt text")
        );
        assert_eq!(
            empty_alt("Photo", "x.png"),
            Some("has alt text that does not describe it")
        );
        assert_eq!(empty_alt("A knee brace on a runner", "x.png"), None);
    }

    #[test]
    fn local_urls() {
        assert!(is_local("http://localhost:1111/"));
        assert!(is_local("http://127.0.0.1/x"));
        assert!(!is_local("http://example.org/"));
    }
}
