//! Stage 4 of the build: the whole site as one model. Gives every page its
//! URL, resolves references between pages (authors, reviewers, clinics),
//! renders bodies with links checked, builds taxonomies and orders lists.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::comparison::Table;
use crate::config::Config;
use crate::content::{Asset, Meta, SourcePage};
use crate::error::{Diagnostic, Errors, Place};
use crate::frontmatter::{ArticleMeta, Date};
use crate::links::LinkTargets;
use crate::markdown::{Heading, Rendered};
use crate::words::{BodyWords, Lexicon};
use crate::yaml::lines::key_line;
use std::sync::Arc;

mod arrange;
use arrange::{arrange, Arrangement};
mod assemble;
pub mod languages;
mod spill;
mod taxonomy;

pub use assemble::{assemble, assemble_with, check_body};
pub use languages::{LanguageInfo, Translations};
pub use spill::{Spill, Spilled};

pub use taxonomy::{Taxonomy, TaxonomyKind, Term};

/// How to assemble: which pages to leave out, and where bodies go.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    pub drafts: bool,
    /// Articles dated after this are left out unless `drafts`.
    pub today: Date,
    /// Where rendered bodies are written as they are rendered, and their
    /// Markdown dropped (`handout build`); none keeps both in memory.
    pub spill: Option<Arc<Spill>>,
    /// Count each body's words for the search index (when search is on).
    pub count_words: bool,
    /// Keep what the next assembly needs to reuse the bodies an edit did
    /// not change (`serve`): the files each body's links looked up.
    pub edits: bool,
}

/// A page with its URL and rendered body.
#[derive(Debug)]
pub struct Page {
    pub source: SourcePage,
    /// Site path without the base: `articles/a/`, `` for the home page.
    pub path: String,
    /// Shared with the next build of `serve` when the body renders the
    /// same (10,000 bodies were copied on every new or deleted page).
    pub body: Arc<Rendered>,
    pub refs: Refs,
    /// An article's comparison tables, rendered.
    /// Shared with the next site of `serve` while they render the same.
    pub tables: Arc<[Table]>,
    /// The files from `content/` its tables' links looked up, itself among
    /// them (`serve` only): a later site keeps the tables while these are
    /// found alike (`links::Differences::check_alike`).
    pub table_links: Option<Arc<[String]>>,
    /// The page's own picture: a clinic's or author's `photo`, an
    /// article's `image`; a file from `content/` or a full URL.
    pub photo: Option<String>,
    /// The body with its shortcodes rendered (when it has any).
    pub expanded: Option<String>,
    /// The body's final HTML when it is written out (see `Spill`) instead
    /// of kept in `body.html` and `expanded`.
    pub spilled: Option<Spilled>,
    /// The body's words for the search index (none when search is off).
    pub words: Option<Arc<BodyWords>>,
}

/// Other pages this one names, as indexes into `Site::pages`.
#[derive(Debug, Default, Clone)]
pub struct Refs {
    pub author: Option<usize>,
    pub reviewer: Option<usize>,
    pub locations: Vec<usize>,
}

impl Page {
    /// The body's final HTML.
    pub fn html(&self) -> std::borrow::Cow<'_, str> {
        match &self.spilled {
            Some(spilled) => spilled.read().into(),
            None => self.expanded.as_deref().unwrap_or(&self.body.html).into(),
        }
    }

    /// The body's HTML before its shortcodes are rendered: markers stand
    /// where they go. A body written out is read back once, to render its
    /// shortcodes (`set_expanded`).
    pub fn unexpanded_html(&self) -> String {
        match &self.spilled {
            Some(spilled) => spilled.read(),
            None => self.body.html.clone(),
        }
    }

    /// Keeps the body with its shortcodes rendered: written out in place
    /// of the first if the body was.
    pub fn set_expanded(&mut self, html: String) {
        self.expanded = match self.spilled.take() {
            Some(spilled) => match spilled.spill().put(html) {
                Ok(again) => {
                    self.spilled = Some(again);
                    None
                }
                Err(html) => Some(html),
            },
            None => Some(html),
        };
    }

    pub fn article(&self) -> Option<&ArticleMeta> {
        self.source.meta.article()
    }

    pub fn title(&self) -> &str {
        title_of(&self.source.meta)
    }
}

/// The title of a page whose front matter is `meta`.
fn title_of(meta: &Meta) -> &str {
    match meta {
        Meta::Home(meta) => meta.title.as_deref().unwrap_or(""),
        Meta::Article(meta) => &meta.title,
        Meta::Location(meta) => &meta.name,
        Meta::Author(meta) => &meta.name,
        Meta::Plain(meta) => &meta.title,
    }
}

/// How many pages were left out, for the build summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LeftOut {
    pub drafts: usize,
    pub future: usize,
}

/// The assembled site: every published page, ordered lists of indexes into
/// `pages`, and the taxonomies.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    pub home: Option<usize>,
    /// Newest first, then by title.
    pub articles: Vec<usize>,
    /// By name.
    pub locations: Vec<usize>,
    /// By name.
    pub authors: Vec<usize>,
    /// By title.
    pub plain: Vec<usize>,
    pub taxonomies: Vec<Taxonomy>,
    pub assets: Vec<Asset>,
    pub left_out: LeftOut,
    /// The build's day, for what is upcoming (holiday hours).
    pub today: Date,
    /// What links can point at; a rebuild whose targets are unchanged can
    /// keep the bodies it rendered before.
    pub targets: LinkTargets,
    /// Page index by source file from `content/`.
    pub by_rel: FxHashMap<String, usize>,
    /// Each page's position in `articles` (usize::MAX for other pages).
    pub article_rank: Vec<usize>,
    /// Numbers of the words of page bodies, for search; kept from one
    /// rebuild to the next, with the bodies that did not change.
    pub lexicon: Arc<Lexicon>,
    /// Which page exists in which of the site's languages (empty for a
    /// site in one language).
    pub translations: Arc<Translations>,
    /// The theme's words in this site's language (`i18n/<code>.yaml`),
    /// for what views write themselves: dates, hours, list titles.
    pub strings: Arc<Strings>,
    /// The theme draws share cards (it has `share/card.svg`).
    pub share_cards: bool,
}

/// Words by key, from a strings file.
pub type Strings = std::collections::BTreeMap<String, String>;

impl Site {
    /// A page of the default language that another language's site
    /// lists and names but does not write (a clinic with no translation).
    pub fn is_borrowed(&self, page: &Page) -> bool {
        !self.config.prefix.is_empty() && page.source.lang.is_none()
    }

    /// A site path of this language: `articles/` is `es/articles/` in
    /// Spanish.
    pub fn lang_path(&self, path: &str) -> String {
        [self.config.prefix.as_str(), path].concat()
    }

    /// The page made from `rel` (`articles/a.md`), if it is in this build.
    pub fn page_by_rel(&self, rel: &str) -> Option<&Page> {
        self.by_rel.get(rel).and_then(|&i| self.pages.get(i))
    }

    /// The articles an author wrote, newest first.
    pub fn articles_by(&self, author: usize) -> Vec<usize> {
        self.articles
            .iter()
            .copied()
            .filter(|&i| {
                self.pages
                    .get(i)
                    .is_some_and(|p| p.refs.author == Some(author))
            })
            .collect()
    }
}

fn leave_out(
    pages: Vec<SourcePage>,
    options: &SiteOptions,
) -> (Vec<SourcePage>, LeftOut, FxHashSet<String>) {
    let mut left_out = LeftOut::default();
    let mut rels = FxHashSet::default();
    let mut kept = Vec::with_capacity(pages.len());
    for page in pages {
        let (draft, future) = match &*page.meta {
            Meta::Article(meta) => (meta.draft, meta.date > options.today),
            Meta::Plain(meta) => (meta.draft, false),
            _ => (false, false),
        };
        if options.drafts || !(draft || future) {
            kept.push(page);
            continue;
        }
        if draft {
            left_out.drafts += 1;
        } else {
            left_out.future += 1;
        }
        rels.insert(page.rel);
    }
    (kept, left_out, rels)
}

/// The site path of a page, from its kind and slug; a translation's is
/// under its language's folder (`prefix`).
fn page_path(page: &SourcePage, prefix: &str) -> Result<String, Diagnostic> {
    let custom = match &*page.meta {
        Meta::Article(meta) => meta.slug.as_deref(),
        Meta::Plain(meta) => meta.slug.as_deref(),
        _ => None,
    };
    if let Some(slug) = custom {
        if !crate::config::is_simple_name(slug) {
            return Err(Diagnostic::new(Place::at(&page.path, key_line(&page.front_matter(), "slug") + 1, Some(1)), format!(
                    "slug `{slug}` may only use letters, digits, `-` and `_`, so the page stays in its own folder"
                )));
        }
    }
    let own = custom.unwrap_or(&page.file_slug);
    let prefix = if page.lang.is_some() { prefix } else { "" };
    let section = match &*page.meta {
        Meta::Home(_) => return Ok(prefix.to_string()),
        Meta::Article(_) => "articles/",
        Meta::Location(_) => "locations/",
        Meta::Author(_) => "authors/",
        Meta::Plain(_) => "",
    };
    // Joined into one string: `format!` and a second string were 1.1
    // of the 3.6 ms `serve` took to find the paths again at 10k.
    Ok([prefix, section, own, "/"].concat())
}

/// URLs that handout makes itself; a plain page may not take them.
pub const RESERVED: [&str; 8] = [
    "articles/",
    "locations/",
    "authors/",
    "tags/",
    "conditions/",
    "treatments/",
    "404/",
    "page/",
];

/// The URL of the search page, when search is on.
const SEARCH: &str = "search/";

fn check_unique_paths(
    sources: &[SourcePage],
    paths: &[Option<String>],
    search: bool,
    prefix: &str,
    errors: &mut Errors,
) {
    let mut seen: FxHashMap<&str, &SourcePage> = FxHashMap::default();
    for (page, path) in sources.iter().zip(paths) {
        let Some(path) = path.as_deref() else {
            continue;
        };
        let own = path.strip_prefix(prefix).unwrap_or(path);
        if RESERVED.contains(&own) || (search && own == SEARCH) {
            errors.push(Diagnostic::new(Place::file(&page.path), format!("the URL /{path} is made by handout itself: rename this page or give it another `slug`")));
        }
        if let Some(first) = seen.insert(path, page) {
            let slug_line = page
                .front_matter()
                .lines()
                .position(|l| l.starts_with("slug:"));
            errors.push(Diagnostic::new(match slug_line {
                    Some(i) => Place::at(&page.path, i + 2, Some(1)),
                    None => Place::file(&page.path),
                }, format!(
                    "this page and {} both have the URL /{path}: give one of them another file name or `slug`",
                    crate::error::display_path(&first.path)
                )));
        }
    }
}

/// Author and location slugs, for checking references.
struct SlugIndex {
    authors: FxHashMap<String, usize>,
    locations: FxHashMap<String, usize>,
    /// Slugs of author and location files that failed to load: references
    /// to them are not reported again.
    broken: FxHashSet<String>,
}

impl SlugIndex {
    fn new(sources: &[SourcePage], broken: &[String]) -> Self {
        let mut authors = FxHashMap::default();
        let mut locations = FxHashMap::default();
        for (i, page) in sources.iter().enumerate() {
            match *page.meta {
                Meta::Author(_) => {
                    authors.insert(page.file_slug.clone(), i);
                }
                Meta::Location(_) => {
                    locations.insert(page.file_slug.clone(), i);
                }
                _ => {}
            }
        }
        let broken = broken
            .iter()
            .filter_map(|rel| rel.strip_suffix(".md"))
            .filter_map(|rel| rel.rsplit_once('/').map(|(_, stem)| slug::slugify(stem)))
            .collect();
        SlugIndex {
            authors,
            locations,
            broken,
        }
    }
}

fn resolve_refs(page: &SourcePage, slugs: &SlugIndex, errors: &mut Errors) -> Refs {
    let Meta::Article(meta) = &*page.meta else {
        return Refs::default();
    };
    let mut lookup =
        |key: &str, what: &str, slug: &str, index: &FxHashMap<String, usize>, folder: &str| {
            let found = index.get(slug).copied();
            if found.is_none() && !slugs.broken.contains(slug) {
                errors.push(Diagnostic::new(
                    Place::at(&page.path, key_line(&page.front_matter(), key) + 1, Some(1)),
                    format!(
                        "{what} `{slug}` does not match any file in content/{folder}/{}",
                        known_hint(slug, index)
                    ),
                ));
            }
            found
        };
    let author = meta
        .author
        .as_deref()
        .and_then(|s| lookup("author", "author", s, &slugs.authors, "authors"));
    let reviewer = meta
        .reviewed_by
        .as_deref()
        .and_then(|s| lookup("reviewed_by", "reviewed_by", s, &slugs.authors, "authors"));
    let locations = if meta.locations.iter().any(|l| l == "all") {
        let mut all: Vec<usize> = slugs.locations.values().copied().collect();
        all.sort_unstable();
        all
    } else {
        meta.locations
            .iter()
            .filter_map(|slug| lookup("locations", "location", slug, &slugs.locations, "locations"))
            .collect()
    };
    Refs {
        author,
        reviewer,
        locations,
    }
}

/// "did you mean" the nearest slug, or else the slugs there are.
fn known_hint(slug: &str, index: &FxHashMap<String, usize>) -> String {
    let hint = crate::suggest::did_you_mean(slug, index.keys().map(String::as_str));
    if !hint.is_empty() {
        return hint;
    }
    let mut known: Vec<&str> = index.keys().map(String::as_str).collect();
    known.sort_unstable();
    match known.len() {
        0 => " (there are none yet)".to_string(),
        n if n <= 8 => format!("; the ones there are: {}", known.join(", ")),
        n => format!(
            "; the ones there include: {} and {} more",
            known[..8].join(", "),
            n - 8
        ),
    }
}

/// The site of `pages`, in the lists `arranged` sorted them into.
fn order(
    config: Config,
    pages: Vec<Page>,
    arranged: Arrangement,
    assets: Vec<Asset>,
    left_out: LeftOut,
) -> Site {
    let by_rel = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.source.rel.clone(), i))
        .collect();
    Site {
        config,
        pages,
        home: arranged.home,
        articles: arranged.articles,
        locations: arranged.locations,
        authors: arranged.authors,
        plain: arranged.plain,
        taxonomies: arranged.taxonomies,
        assets,
        left_out,
        today: Date(jiff::civil::Date::constant(1970, 1, 1)),
        targets: LinkTargets::default(),
        by_rel,
        article_rank: arranged.article_rank,
        lexicon: Arc::default(),
        translations: Arc::default(),
        strings: Arc::default(),
        share_cards: false,
    }
}

/// A rendered body's words (prose and headings) for the search index;
/// takes its text, which nothing else needs.
pub fn body_words(lexicon: &Lexicon, body: &mut Rendered) -> BodyWords {
    crate::words::body_words(
        lexicon,
        std::mem::take(&mut body.text),
        body.headings.iter().map(Heading::title),
    )
}
