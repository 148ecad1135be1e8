//! What to render: one job per output file (pages, paginated lists,
//! taxonomies, feeds), its path and template, and its context. List pages
//! share each article's summary, serialized once per build.

use std::sync::OnceLock;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tera::{Context, Map, Value};

use super::context_with;
use crate::content::Meta;
use crate::site::Site;
use crate::view::{PageValue, PageView, SharedValues, Version, Views};

/// One output file to render. The context is built by the worker that
/// renders it, so the contexts of all pages are never in memory at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Home,
    Page(usize),
    /// A list, and which of its pages (1-based).
    Section(Section, usize),
    Taxonomy(usize),
    /// Taxonomy, term, and which page of the term's list (1-based).
    Term(usize, usize, usize),
    NotFound,
    /// `search/index.html`, when search is on.
    Search,
    Sitemap,
    Feed,
    Robots,
    /// A redirect page at an old address: the page, and which of its aliases.
    Alias(usize, usize),
    /// The `_redirects` file (when any page has aliases).
    Redirects,
}

impl Job {
    /// An HTML page of the site's own (not a redirect, feed or list of URLs).
    pub fn is_page(self) -> bool {
        !matches!(
            self,
            Job::Sitemap | Job::Feed | Job::Robots | Job::Alias(..) | Job::Redirects
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Articles,
    Locations,
    Authors,
}

impl Section {
    fn path(self) -> &'static str {
        match self {
            Section::Articles => "articles/",
            Section::Locations => "locations/",
            Section::Authors => "authors/",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Section::Articles => "Articles",
            Section::Locations => "Locations",
            Section::Authors => "Authors",
        }
    }

    fn template(self) -> &'static str {
        match self {
            Section::Articles => "article_list.html",
            Section::Locations => "location_list.html",
            Section::Authors => "author_list.html",
        }
    }

    fn items(self, site: &Site) -> &[usize] {
        match self {
            Section::Articles => &site.articles,
            Section::Locations => &site.locations,
            Section::Authors => &site.authors,
        }
    }

    /// Clinics and clinicians are few, and the clinic finder sorts them all
    /// on one page: only articles are paginated.
    fn per_page(self, site: &Site) -> usize {
        match self {
            Section::Articles => site.config.paginate,
            _ => 0,
        }
    }
}

/// How many pages a list of `len` items takes (`per_page` 0: one).
pub fn page_count(len: usize, per_page: usize) -> usize {
    if per_page == 0 {
        1
    } else {
        len.div_ceil(per_page).max(1)
    }
}

/// The items on page `number` (1-based).
fn page_of(items: &[usize], per_page: usize, number: usize) -> &[usize] {
    if per_page == 0 {
        return items;
    }
    let start = (number - 1).saturating_mul(per_page).min(items.len());
    let end = start.saturating_add(per_page).min(items.len());
    items.get(start..end).unwrap_or_default()
}

/// `tags/knee/` page 1 is `tags/knee/`; page 3 is `tags/knee/page/3/`.
fn page_path(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// Every output file of the site, in a stable order.
pub fn jobs(site: &Site) -> Vec<Job> {
    // One sitemap and robots.txt for every language: the default's.
    let default = site.config.prefix.is_empty();
    let mut jobs = vec![Job::Home];
    // Early: its context holds every page's entry (30 MB at 50k), and at
    // the end it was made beside the largest record of files written.
    if default {
        jobs.push(Job::Sitemap);
    }
    jobs.extend(
        site.pages
            .iter()
            .enumerate()
            .filter(|(_, page)| !matches!(*page.source.meta, Meta::Home(_)))
            .filter(|(_, page)| !site.is_borrowed(page))
            .map(|(i, _)| Job::Page(i)),
    );
    for section in [Section::Articles, Section::Locations, Section::Authors] {
        let pages = page_count(section.items(site).len(), section.per_page(site));
        jobs.extend((1..=pages).map(|n| Job::Section(section, n)));
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::Taxonomy(t));
        for (n, term) in taxonomy.terms.iter().enumerate() {
            let pages = page_count(term.pages.len(), site.config.paginate);
            jobs.extend((1..=pages).map(|p| Job::Term(t, n, p)));
        }
    }
    jobs.push(Job::NotFound);
    if site.config.search {
        jobs.push(Job::Search);
    }
    jobs.push(Job::Feed);
    if default {
        jobs.push(Job::Robots);
    }
    let aliases = crate::aliases::list(site);
    jobs.extend(aliases.iter().map(|a| Job::Alias(a.page, a.index)));
    // One `_redirects` for every language: the default's.
    if default && !(aliases.is_empty() && site.translations.redirects.is_empty()) {
        jobs.push(Job::Redirects);
    }
    jobs
}

/// Every path under the output folder that rendering writes, but redirect
/// pages (`aliases::check` looks at those).
pub fn generated_paths(site: &Site) -> Vec<String> {
    // On all cores: 23,500 paths at 10k, in each save of `serve` that
    // assembles the site again.
    let mut paths: Vec<String> = jobs(site)
        .into_par_iter()
        .filter(|job| !matches!(job, Job::Alias(..)))
        .filter_map(|job| target(site, job))
        .map(|(path, _)| path)
        .collect();
    paths.par_extend(
        site.pages
            .par_iter()
            .filter(|page| crate::cards::needs_card(site, page))
            .map(crate::cards::card_path),
    );
    paths
}

/// The site path (`articles/page/2/`) of a list page.
fn list_path(site: &Site, job: Job) -> Option<String> {
    match job {
        Job::Section(section, n) => Some(page_path(&site.lang_path(section.path()), n)),
        Job::Term(t, n, p) => {
            let taxonomy = site.taxonomies.get(t)?;
            Some(page_path(
                &site.lang_path(&taxonomy.terms.get(n)?.path(taxonomy.kind)),
                p,
            ))
        }
        _ => None,
    }
}

/// The output path and template of a job.
pub fn target(site: &Site, job: Job) -> Option<(String, &'static str)> {
    Some(match job {
        Job::Home => (site.lang_path("index.html"), "index.html"),
        Job::Page(i) => {
            let page = site.pages.get(i)?;
            let template = match *page.source.meta {
                Meta::Home(_) => "index.html",
                Meta::Article(_) => "article.html",
                Meta::Location(_) => "location.html",
                Meta::Author(_) => "author.html",
                Meta::Plain(_) => "page.html",
            };
            ([page.path.as_str(), "index.html"].concat(), template)
        }
        Job::Section(section, _) => (list_path(site, job)? + "index.html", section.template()),
        Job::Taxonomy(t) => (
            site.lang_path(&format!(
                "{}/index.html",
                site.taxonomies.get(t)?.kind.name()
            )),
            "taxonomy.html",
        ),
        Job::Term(..) => (list_path(site, job)? + "index.html", "term.html"),
        Job::NotFound => (site.lang_path("404.html"), "404.html"),
        Job::Search => (
            site.lang_path(&format!("{}index.html", crate::search::FOLDER)),
            "search.html",
        ),
        Job::Sitemap => ("sitemap.xml".into(), "sitemap.xml"),
        Job::Feed => (site.lang_path("feed.xml"), "feed.xml"),
        Job::Robots => ("robots.txt".into(), "robots.txt"),
        Job::Alias(i, n) => {
            let written = site.pages.get(i)?.source.meta.aliases().get(n)?;
            let path = crate::aliases::site_path(written).ok()?;
            (crate::aliases::output_file(&path), super::REDIRECT_TEMPLATE)
        }
        Job::Redirects => (
            crate::aliases::REDIRECTS_FILE.into(),
            super::REDIRECTS_TEMPLATE,
        ),
    })
}

/// Which of `rels` (paths under the output folder) rendering writes, but
/// redirect pages: what [`generated_paths`] would hold of them, without
/// making every path: pages and their cards, 20,000 of the 33,000 paths
/// at 10k, are found by their folder. Only the few copied files are looked
/// up, on every new or deleted article in `serve`.
pub fn generated_among<'a>(site: &Site, rels: &[&'a str]) -> FxHashSet<&'a str> {
    if rels.is_empty() {
        return FxHashSet::default();
    }
    let whole: FxHashSet<&'a str> = rels.iter().copied().collect();
    let folders = |file: &str| -> FxHashMap<&'a str, &'a str> {
        rels.iter()
            .filter_map(|&rel| Some((rel.strip_suffix(file)?, rel)))
            .collect()
    };
    let (pages, cards) = (folders("index.html"), folders(crate::cards::FILE));
    let mut found: FxHashSet<&'a str> = jobs(site)
        .into_par_iter()
        .filter_map(|job| match job {
            Job::Alias(..) => None,
            Job::Page(i) => pages.get(site.pages.get(i)?.path.as_str()).copied(),
            _ => whole.get(target(site, job)?.0.as_str()).copied(),
        })
        .collect();
    if !cards.is_empty() {
        let carded: Vec<&'a str> = site
            .pages
            .par_iter()
            .filter_map(|page| {
                let rel = cards.get(page.path.as_str())?;
                crate::cards::needs_card(site, page).then_some(*rel)
            })
            .collect();
        found.extend(carded);
    }
    found
}

/// `paginator`, in list templates.
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    /// This page, from 1.
    pub number: usize,
    /// This page's own URLs (page 1 is the list's own).
    pub url: String,
    pub permalink: String,
    pub total_pages: usize,
    pub total_items: usize,
    /// 0 when the list is not paginated.
    pub per_page: usize,
    /// URLs of the neighbouring pages, or none.
    pub previous: Option<String>,
    pub next: Option<String>,
    pub first: String,
    pub last: String,
}

fn paginator(views: &Views, base: &str, items: usize, per_page: usize, number: usize) -> Paginator {
    let total_pages = page_count(items, per_page);
    let url = |n: usize| views.url(&page_path(base, n));
    Paginator {
        number,
        url: url(number),
        permalink: views.permalink(&page_path(base, number)),
        total_pages,
        total_items: items,
        per_page,
        previous: (number > 1).then(|| url(number - 1)),
        next: (number < total_pages).then(|| url(number + 1)),
        first: url(1),
        last: url(total_pages),
    }
}

/// What list pages share: every summary, serialized once per build by
/// `Templates::set_site`, and each taxonomy's term list on first use.
pub struct Cache<'a> {
    views: &'a Views<'a>,
    summaries: &'a [Value],
    /// What summaries share, for the pages' own fields too (none when only
    /// hashing: a page is hashed by its view).
    shared: Option<&'a SharedValues>,
    taxonomies: Vec<OnceLock<Value>>,
    /// For hashing contexts: each summary stands in as its hash, made
    /// once (by page index), not walked again in every list that shows it.
    tokens: Option<&'a [u64]>,
}

impl<'a> Cache<'a> {
    pub fn new(
        views: &'a Views<'a>,
        summaries: &'a [Value],
        shared: Option<&'a SharedValues>,
    ) -> Self {
        Cache {
            views,
            summaries,
            shared,
            taxonomies: (0..views.site.taxonomies.len())
                .map(|_| OnceLock::new())
                .collect(),
            tokens: None,
        }
    }

    /// A cache whose contexts are only hashed (`context_hashes`), not
    /// rendered: summaries in them are their hashes.
    pub fn for_hashes(views: &'a Views<'a>, summaries: &'a [Value], hashes: &'a [u64]) -> Self {
        Cache {
            tokens: Some(hashes),
            ..Cache::new(views, summaries, None)
        }
    }

    /// The summary of page `i` (article, clinic or author).
    fn summary(&self, i: usize) -> Value {
        match self.tokens {
            Some(_) => Value::from(self.token(i)),
            None => self.full_summary(i),
        }
    }

    /// The hash of the summary of page `i`.
    fn token(&self, i: usize) -> u64 {
        match self.tokens.and_then(|tokens| tokens.get(i)) {
            Some(&token) => token,
            None => super::serialized_hash(&self.full_summary(i)),
        }
    }

    fn full_summary(&self, i: usize) -> Value {
        match self.summaries.get(i) {
            Some(value) => value.clone(),
            None => self
                .views
                .summary_value(i, &crate::view::SharedValues::default()),
        }
    }

    pub fn page_view(&self, i: usize) -> Option<PageView> {
        self.views.page_view(i)
    }

    /// `page` for templates: the view of page `i` (none for a home page
    /// made up), with its lists of other pages made from the shared
    /// summaries, and an article's dates, people and terms from the values
    /// summaries share.
    pub fn page_value(&self, view: &PageView, i: Option<usize>) -> Value {
        let lists: Vec<(&'static str, Value)> = view
            .lists
            .iter()
            .map(|(name, items)| (*name, self.summaries(items)))
            .collect();
        let shared = self
            .shared
            .zip(i)
            .map(|(shared, i)| self.views.article_values(i, shared));
        Value::from_serializable(&PageValue {
            view,
            lists: &lists,
            shared: shared.as_ref(),
        })
    }

    /// Puts into `flat` what [`Cache::page_value`] gives templates of page
    /// `i`, without making that value: the view as it serializes, then
    /// each list hashed from its summaries' hashes, as `site`'s lists are.
    /// `None` if there is no page `i`.
    pub(super) fn hash_page(&self, i: usize, flat: &mut super::Flat) -> Option<()> {
        let view = self.views.page_view(i)?;
        flat.serialize(&view);
        let hashes = self.tokens.unwrap_or_default();
        for (name, items) in &view.lists {
            flat.put_text(name.as_bytes());
            flat.put(&super::list_hash(hashes, items).to_le_bytes());
        }
        Some(())
    }

    fn summaries(&self, items: &[usize]) -> Value {
        // A list's summaries are all over the heap and seldom still in the
        // cache. Read first, in a loop of plain reads, the processor waits
        // for all their lines at once; left to the clones (an atomic count
        // each) and the template, it waited for them one at a time: at
        // 10k, about 5% of the build's time (docs/performance.md).
        if self.tokens.is_none() {
            for summary in items.iter().filter_map(|&i| self.summaries.get(i)) {
                warm(summary);
            }
        }
        Value::from(
            items
                .iter()
                .map(|&i| self.summary(i))
                .collect::<Vec<Value>>(),
        )
    }

    fn taxonomy(&self, t: usize) -> Option<Value> {
        let slot = self.taxonomies.get(t)?;
        Some(
            slot.get_or_init(|| {
                let kind = self.views.site.taxonomies.get(t).map(|t| t.kind);
                Value::from_serializable(&kind.and_then(|k| self.views.taxonomy(k)))
            })
            .clone(),
        )
    }
}

/// Reads each cache line of a summary's strings (and so of its map).
fn warm(summary: &Value) {
    let Some(map) = summary.as_map() else {
        return;
    };
    for text in map.values().filter_map(Value::as_str) {
        let bytes = text.as_bytes();
        for byte in bytes.iter().step_by(64).chain(bytes.last()) {
            std::hint::black_box(*byte);
        }
    }
}

/// A list's map: `title`/`name`, `url`, `permalink` of its first page, and
/// `pages`, the summaries on this page.
fn list(views: &Views, fields: &[(&'static str, Value)], base: &str, pages: Value) -> Value {
    let mut map = Map::default();
    for (key, value) in fields {
        map.insert((*key).into(), value.clone());
    }
    map.insert("url".into(), Value::from(views.url(base)));
    map.insert("permalink".into(), Value::from(views.permalink(base)));
    map.insert("pages".into(), pages);
    Value::from(map)
}

/// Every key `context` may give a job's context.
pub const CONTEXT_KEYS: [&str; 11] = [
    "page",
    "section",
    "paginator",
    "taxonomy",
    "term",
    "entries",
    "feed",
    "redirect",
    "redirects",
    "alternates",
    "languages",
];

/// The template context of a job, with its languages (see `languages`).
pub fn context(cache: &Cache, job: Job) -> Option<Context> {
    let mut context = own_context(cache, job)?;
    if cache.views.site.translations.is_multilingual() && job.is_page() {
        let version = version(cache.views.site, job);
        context.insert("alternates", &cache.views.alternates(version));
        context.insert("languages", &cache.views.languages(version));
    }
    Some(context)
}

/// Which page of the other languages a job's page is.
fn version(site: &Site, job: Job) -> Version<'_> {
    match job {
        Job::Home => match site.home.and_then(|i| site.pages.get(i)) {
            Some(page) => Version::Page(page.source.key()),
            None => Version::List(""),
        },
        Job::Page(i) => site
            .pages
            .get(i)
            .map_or(Version::Own, |page| Version::Page(page.source.key())),
        Job::Section(section, 1) => Version::List(section.path()),
        Job::Taxonomy(t) => site
            .taxonomies
            .get(t)
            .map_or(Version::Own, |t| Version::List(t.kind.list_path())),
        Job::Search => Version::List(crate::search::FOLDER),
        _ => Version::Own,
    }
}

fn own_context(cache: &Cache, job: Job) -> Option<Context> {
    let views = cache.views;
    let site = views.site;
    Some(match job {
        Job::Home => {
            let home = site
                .home
                .and_then(|i| views.page_view(i))
                .unwrap_or_else(|| PageView {
                    kind: "home",
                    title: site.config.title.clone(),
                    description: site.config.description.clone(),
                    url: views.url(&site.config.prefix),
                    permalink: views.permalink(&site.config.prefix),
                    content: String::new(),
                    toc: Vec::new(),
                    shortcodes_used: Vec::new(),
                    lists: Vec::new(),
                    jsonld: Some(crate::view::jsonld::script(&crate::view::jsonld::home(
                        views,
                    ))),
                    share_image: site
                        .config
                        .share_image
                        .as_deref()
                        .map(|i| views.asset_permalink(i)),
                    share: None,
                    picture: None,
                    extra: None,
                });
            let mut context = Context::new();
            context.insert_value("page", cache.page_value(&home, None));
            context
        }
        Job::Page(i) => {
            let mut context = Context::new();
            context.insert_value("page", cache.page_value(&views.page_view(i)?, Some(i)));
            context
        }
        Job::Section(section, number) => {
            let per_page = section.per_page(site);
            let items = section.items(site);
            let pages = cache.summaries(page_of(items, per_page, number));
            let key = section.path().trim_end_matches('/');
            let fields = [("title", Value::from(views.word(key, section.title())))];
            let base = site.lang_path(section.path());
            let mut context = Context::new();
            context.insert_value("section", list(views, &fields, &base, pages));
            context.insert(
                "paginator",
                &paginator(views, &base, items.len(), per_page, number),
            );
            context
        }
        Job::Taxonomy(t) => {
            let mut context = Context::new();
            context.insert_value("taxonomy", cache.taxonomy(t)?);
            context
        }
        Job::Term(t, n, number) => {
            let taxonomy = site.taxonomies.get(t)?;
            let term = taxonomy.terms.get(n)?;
            let base = site.lang_path(&term.path(taxonomy.kind));
            let per_page = site.config.paginate;
            let pages = cache.summaries(page_of(&term.pages, per_page, number));
            let fields = [
                ("name", Value::from(term.name.as_str())),
                ("slug", Value::from(term.slug.as_str())),
            ];
            let mut context = Context::new();
            context.insert_value("taxonomy", cache.taxonomy(t)?);
            context.insert_value("term", list(views, &fields, &base, pages));
            context.insert(
                "paginator",
                &paginator(views, &base, term.pages.len(), per_page, number),
            );
            context
        }
        Job::NotFound | Job::Search | Job::Robots => Context::new(),
        Job::Sitemap => context_with("entries", &crate::feeds::sitemap_entries(views)),
        Job::Feed => context_with("feed", &crate::feeds::feed(views)),
        Job::Alias(i, _) => context_with("redirect", &crate::aliases::redirect(site, i)?),
        Job::Redirects => context_with("redirects", &crate::aliases::redirect_lines(site)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_arithmetic() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_count(21, 0), 1);
        let items: Vec<usize> = (0..45).collect();
        assert_eq!(page_of(&items, 20, 1), &items[..20]);
        assert_eq!(page_of(&items, 20, 3), &items[40..]);
        assert!(page_of(&items, 20, 4).is_empty());
        assert_eq!(page_of(&items, 0, 1).len(), 45);
        assert_eq!(page_path("tags/knee/", 1), "tags/knee/");
        assert_eq!(page_path("tags/knee/", 3), "tags/knee/page/3/");
    }
}
