//! The data behind `sitemap.xml` and the Atom `feed.xml`: which pages are
//! listed, their last-modified dates, and the newest articles.

use serde::Serialize;

use crate::content::Meta;
use crate::frontmatter::Date;
use crate::view::{Version, Views};

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct SitemapEntry {
    pub permalink: String,
    /// `2025-12-18`, when known.
    pub lastmod: Option<String>,
    /// The same page in the site's other languages (`xhtml:link`).
    pub alternates: Vec<crate::view::AlternateLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedView {
    pub title: String,
    pub permalink: String,
    pub home: String,
    pub updated: String,
    pub entries: Vec<FeedEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedEntry {
    pub title: String,
    pub permalink: String,
    pub published: String,
    pub updated: String,
    pub author: Option<String>,
    pub summary: String,
    pub content: String,
}

/// Midnight UTC of a date, as RFC 3339 (Atom wants a full time).
fn rfc3339(date: Date) -> String {
    format!("{}T00:00:00Z", date.iso())
}

/// Every HTML page except 404, sorted by URL. Articles carry their
/// `updated` or `date`; lists and taxonomy pages their newest article's.
pub fn sitemap_entries(views: &Views) -> Vec<SitemapEntry> {
    let site = views.site;
    // Each article's last change, by page number: the terms' lists below
    // read it about eight times an article, and a page is far bigger than
    // a date to fetch.
    let changed: Vec<Option<Date>> = site
        .pages
        .iter()
        .map(|page| {
            page.article()
                .map(|a| a.updated.unwrap_or(a.date).max(a.date))
        })
        .collect();
    let newest = |list: &[usize]| -> Option<Date> {
        list.iter()
            .filter_map(|&i| changed.get(i).copied().flatten())
            .max()
    };
    let entry = |path: &str, date: Option<Date>, version: Version| SitemapEntry {
        permalink: views.permalink(path),
        lastmod: date.map(|d| d.iso()),
        alternates: views.alternates(version),
    };
    let list =
        |path: &str, date: Option<Date>| entry(&site.lang_path(path), date, Version::List(path));
    let mut entries = Vec::new();
    let all_articles = newest(&site.articles);
    if site.home.is_none() {
        entries.push(list("", all_articles));
    }
    for (i, page) in site.pages.iter().enumerate() {
        if site.is_borrowed(page) {
            continue;
        }
        let date = match &*page.source.meta {
            Meta::Home(_) => all_articles,
            Meta::Article(_) => changed.get(i).copied().flatten(),
            Meta::Author(_) => newest(&site.articles_by(i)),
            Meta::Plain(p) => p.updated,
            Meta::Location(_) => None,
        };
        entries.push(entry(&page.path, date, Version::Page(page.source.key())));
    }
    entries.push(list("articles/", all_articles));
    entries.push(list("locations/", None));
    entries.push(list("authors/", None));
    for taxonomy in &site.taxonomies {
        entries.push(list(taxonomy.kind.list_path(), all_articles));
        for term in &taxonomy.terms {
            let path = site.lang_path(&term.path(taxonomy.kind));
            entries.push(entry(&path, newest(&term.pages), Version::Own));
        }
    }
    entries.sort();
    entries
}

/// The newest articles, up to `feed.limit` (0 means all).
pub fn feed(views: &Views) -> FeedView {
    let site = views.site;
    let limit = match site.config.feed.limit {
        0 => usize::MAX,
        n => n,
    };
    let mut latest = None;
    let entries: Vec<FeedEntry> = site
        .articles
        .iter()
        .take(limit)
        .filter_map(|&i| {
            let page = site.pages.get(i)?;
            let meta = page.article()?;
            let updated = meta.updated.unwrap_or(meta.date).max(meta.date);
            latest = latest.max(Some(updated));
            Some(FeedEntry {
                title: meta.title.clone(),
                permalink: views.permalink(&page.path),
                published: rfc3339(meta.date),
                updated: rfc3339(updated),
                author: page
                    .refs
                    .author
                    .and_then(|a| views.author_summary(a))
                    .map(|a| a.name),
                summary: meta.description.clone(),
                content: page.html().into_owned(),
            })
        })
        .collect();
    FeedView {
        title: site.config.title.clone(),
        permalink: views.permalink(&site.lang_path("feed.xml")),
        home: views.permalink(&site.config.prefix),
        updated: latest.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), rfc3339),
        entries,
    }
}
