//! What templates see: typed, serializable views of the site model. This is
//! the contract written up in docs/templates.md; change both together.

use std::borrow::Cow;
use std::sync::Arc;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use crate::content::Meta;
mod article;
mod fields;
pub mod hours;
pub mod jsonld;
mod locale;
mod location;
mod picture;

pub use locale::Locale;

pub use article::{related_scan, ArticleValues, ArticleView, RELATED_SCAN};
pub use hours::{HolidayView, HoursRow, ShiftView};
pub use location::{LocationSummary, LocationView};
pub use picture::{ShareView, SHARE_WIDTH};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::frontmatter::{ArticleMeta, Date};

use crate::markdown::Heading;
use crate::site::{Page, Site, TaxonomyKind};

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub iso: String,
    pub display: String,
}

impl From<Date> for DateView {
    fn from(date: Date) -> Self {
        DateView {
            iso: date.iso(),
            display: date.display(),
        }
    }
}

/// A taxonomy term named on a page.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthorSummary {
    pub name: String,
    pub url: String,
    pub permalink: String,
    pub credentials: Vec<String>,
    pub credentials_text: String,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub permalink: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyView {
    pub name: &'static str,
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub terms: Vec<TermView>,
}

impl TaxonomyView {
    /// Its fields that an article joining or leaving a term leaves as they
    /// were: all but `terms` (their counts).
    pub const FIXED: [&'static str; 4] = ["name", "title", "url", "permalink"];
}

/// A taxonomy that has terms, for links to its list of them: unlike a
/// [`TaxonomyView`], the same when an article joins or leaves a term, so
/// `serve` need not render again the pages that show only these.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyLink {
    pub name: &'static str,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BrandView {
    pub name: String,
    pub phone: Option<String>,
    /// For `tel:` links: `+16305550100`.
    pub phone_tel: Option<String>,
    pub booking_url: Option<String>,
    pub logo: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub title: String,
    pub url: String,
}

/// A `<link rel="alternate" hreflang>`: the same page in a language (or
/// `x-default`, the default language's, for readers of any other).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct AlternateLink {
    pub hreflang: String,
    pub href: String,
}

/// One language in the language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    pub code: String,
    /// The language's name in that language: `Español`.
    pub name: String,
    /// The same page in that language, else that language's home page.
    pub url: String,
    /// This page is in this language.
    pub current: bool,
    /// The page has a translation in this language (else `url` is the home).
    pub exists: bool,
}

/// Which version of a page the switcher and alternates are for.
#[derive(Debug, Clone, Copy)]
pub enum Version<'k> {
    /// A page made from a source file, by its key (the original's `rel`).
    Page(&'k str),
    /// A page every language has at the same path (lists, the home page
    /// without text): that path without the language's folder.
    List(&'k str),
    /// A page of this language only (a term's list, the 404 page).
    Own,
}

/// `site`, in every template.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    pub base_url: String,
    pub root: String,
    /// This language's home page: `site.root` for the default language,
    /// `/es/` for Spanish. Menus link from here.
    pub home: String,
    /// Every language of the site (none for a site in one language).
    pub languages: Vec<LanguageLink>,
    /// The scheme and host of `base_url`: `https://example.org`.
    pub origin: String,
    /// `language` as Open Graph writes it: `en_US` for `en-US`.
    pub og_locale: String,
    /// The feed's name in this language: `{title}: articles`, filled in.
    pub feed_title: String,
    pub brand: BrandView,
    pub disclaimer: String,
    pub share_image: Option<String>,
    pub feed_url: String,
    pub sitemap_url: String,
    // `articles`, `locations` and `authors` are added by render, from
    // summaries it serializes once and shares with every list page.
    pub pages: Vec<PageLink>,
    pub taxonomies: Vec<TaxonomyView>,
    /// The taxonomies that have terms, in the same order.
    pub browse: Vec<TaxonomyLink>,
    /// Where search is, when it is on (`search: false` in site.yaml: none).
    pub search: Option<SearchView>,
}

/// `site.search`: the search page and the index the script reads.
#[derive(Debug, Clone, Serialize)]
pub struct SearchView {
    /// The results page: `/search/`.
    pub url: String,
    /// The folder of the index in the site's language: `/search/en/`.
    pub index: String,
}

/// `page`, in single-page templates.
#[derive(Debug, Clone)]
pub struct PageView {
    pub kind: &'static str,
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    pub permalink: String,
    pub content: String,
    pub toc: Vec<Heading>,
    /// Names of the shortcodes the body uses, so the theme does not repeat
    /// what the writer already placed (`{{ cta }}`).
    pub shortcodes_used: Vec<String>,
    /// schema.org JSON-LD for the page, ready for a `<script>`, or none.
    pub jsonld: Option<String>,
    /// Other pages this one shows, by name (`related`, `clinics`...): render
    /// adds their shared summaries under these names (see [`PageValue`]).
    pub lists: Vec<(&'static str, Vec<usize>)>,
    /// The absolute URL of the picture to show when the page is shared:
    /// its own photo or first image, else `site.yaml`'s `share_image`.
    pub share_image: Option<String>,
    /// That picture with its size, type and alt text, for `og:image`.
    pub share: Option<ShareView>,
    /// The page's own picture (an article's lead `image`, a clinic's or
    /// clinician's `photo`) as `<picture>` HTML, when handout processed it.
    pub picture: Option<String>,
    /// The fields of its kind, among the others.
    pub extra: Option<PageExtra>,
}

/// Room for an article's fields and lists, so the map grows only once.
const PAGE_FIELDS: usize = 64;

impl Serialize for PageView {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        PageValue {
            view: self,
            lists: &[],
            shared: None,
        }
        .serialize(serializer)
    }
}

/// `page` as templates get it: the view's fields and, among them, the
/// lists of other pages it shows, each under its name. Made in one pass:
/// a map of the view made first and then given more keys would be hashed
/// again, key by key, to become a template value.
pub struct PageValue<'a> {
    pub view: &'a PageView,
    pub lists: &'a [(&'static str, tera::Value)],
    /// An article's fields that summaries share, made once for the build
    /// (see [`ArticleValues`]); without them the view's own are written.
    pub shared: Option<&'a ArticleValues>,
}

impl Serialize for PageValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let view = self.view;
        let mut page = serializer.serialize_struct("PageView", PAGE_FIELDS)?;
        page.serialize_field("kind", &view.kind)?;
        page.serialize_field("title", &view.title)?;
        page.serialize_field("description", &view.description)?;
        page.serialize_field("url", &view.url)?;
        page.serialize_field("permalink", &view.permalink)?;
        page.serialize_field("content", &view.content)?;
        page.serialize_field("toc", &view.toc)?;
        page.serialize_field("shortcodes_used", &view.shortcodes_used)?;
        page.serialize_field("jsonld", &view.jsonld)?;
        page.serialize_field("share_image", &view.share_image)?;
        page.serialize_field("share", &view.share)?;
        page.serialize_field("picture", &view.picture)?;
        match (&view.extra, self.shared) {
            (Some(PageExtra::Article(article)), Some(shared)) => {
                article.serialize_fields(&mut page, shared)?
            }
            (extra, _) => extra.serialize(fields::Inline(&mut page))?,
        }
        for (name, list) in self.lists {
            page.serialize_field(name, list)?;
        }
        page.end()
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum PageExtra {
    Article(Box<ArticleView>),
    Location(Box<LocationView>),
    Author(AuthorView),
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthorView {
    pub name: String,
    pub credentials: Vec<String>,
    pub credentials_text: String,
    pub role: Option<String>,
    pub photo: Option<String>,
}

/// The dates and the lists of terms (by taxonomy) that a set of pages
/// has and [`SharedValues`] has not yet.
type NewValues<'a> = (FxHashSet<Date>, [FxHashSet<&'a [String]>; 3]);

/// Values many summaries share, serialized once (see `summary_value`).
#[derive(Default)]
pub struct SharedValues {
    authors: FxHashMap<usize, tera::Value>,
    terms: FxHashMap<(TaxonomyKind, String), tera::Value>,
    /// Each date an article has, as `{iso, display}`: 50,000 articles
    /// have a few thousand.
    dates: FxHashMap<Date, tera::Value>,
    /// Each list of terms an article names, by taxonomy (in the order of
    /// `TaxonomyKind::ALL`): articles share them (50,000 generated ones
    /// name 225 lists of treatments; tags, 32,844).
    term_lists: [FxHashMap<Box<[String]>, tera::Value>; 3],
}

impl SharedValues {
    /// The list of `{name, url}` of the terms `names` of `kind`.
    fn term_list(&self, views: &Views, kind: TaxonomyKind, names: &[String]) -> tera::Value {
        let known = self
            .term_lists
            .get(kind as usize)
            .and_then(|lists| lists.get(names));
        match known {
            Some(list) => list.clone(),
            None => views.term_list(&self.terms, kind, names),
        }
    }
}

/// `date` as templates see it: `{iso, display}`.
fn date_value(locale: &Locale, date: Date) -> tera::Value {
    tera::Value::from_serializable(&locale.date_view(date))
}

/// Which article summaries of a site assembled again (`serve`) are those
/// of the site before, told without making them. An article's summary is
/// made of its front matter and path, the site's address and words, its
/// author's summary and its terms' links (see `Views::summary_value`).
pub struct SameSummaries<'a> {
    old: &'a Site,
    new: &'a Site,
    /// Authors (by page index in `new`) whose summary is as it was.
    same_authors: FxHashSet<usize>,
    /// Terms whose link changed, came or went.
    changed_terms: FxHashSet<(TaxonomyKind, String)>,
}

impl<'a> SameSummaries<'a> {
    /// `None` when what every summary shows of the site (its address, its
    /// language's prefix and words) changed.
    pub fn new(
        (old, old_shared): (&'a Site, &SharedValues),
        (new, new_shared): (&'a Site, &SharedValues),
    ) -> Option<Self> {
        let site_alike = old.config.base == new.config.base
            && old.config.prefix == new.config.prefix
            && (Arc::ptr_eq(&old.strings, &new.strings) || old.strings == new.strings);
        if !site_alike {
            return None;
        }
        let same_authors = new_shared
            .authors
            .iter()
            .filter(|&(&a, value)| {
                let was = new
                    .pages
                    .get(a)
                    .and_then(|page| old.by_rel.get(&page.source.rel));
                was.and_then(|j| old_shared.authors.get(j)) == Some(value)
            })
            .map(|(&a, _)| a)
            .collect();
        let changed = |a: &SharedValues, b: &SharedValues| -> Vec<(TaxonomyKind, String)> {
            a.terms
                .iter()
                .filter(|(key, value)| b.terms.get(*key) != Some(*value))
                .map(|(key, _)| key.clone())
                .collect()
        };
        let mut changed_terms: FxHashSet<_> = changed(old_shared, new_shared).into_iter().collect();
        changed_terms.extend(changed(new_shared, old_shared));
        Some(SameSummaries {
            old,
            new,
            same_authors,
            changed_terms,
        })
    }

    /// The page of the old site whose summary page `i` of the new one
    /// has, if `i` is an article whose summary is as it was.
    pub fn kept(&self, i: usize) -> Option<usize> {
        let page = self.new.pages.get(i)?;
        let meta = page.article()?;
        let j = *self.old.by_rel.get(&page.source.rel)?;
        let was = self.old.pages.get(j)?;
        if !page.source.same_front_matter(&was.source) || page.path != was.path {
            return None;
        }
        let same_author = match (page.refs.author, was.refs.author) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                self.same_authors.contains(&a)
                    && self.new.pages.get(a).map(|p| &p.source.rel)
                        == self.old.pages.get(b).map(|p| &p.source.rel)
            }
            _ => false,
        };
        if !same_author {
            return None;
        }
        if !self.changed_terms.is_empty() {
            for kind in TaxonomyKind::ALL {
                for name in kind.terms_of(meta) {
                    if self.changed_terms.contains(&(kind, slug::slugify(name))) {
                        return None;
                    }
                }
            }
        }
        Some(j)
    }
}

/// A taxonomy term as pages name it: its link, and where it is in
/// `site.taxonomies` (taxonomy, term).
struct TermEntry {
    link: LinkView,
    at: (usize, usize),
}

/// Builds views from the site model.
pub struct Views<'a> {
    pub site: &'a Site,
    /// Clinics and clinicians are few and named on many pages: their
    /// summaries are made once.
    locations: FxHashMap<usize, LocationSummary>,
    authors: FxHashMap<usize, AuthorSummary>,
    /// Each taxonomy term's link and place, by kind and slug: every
    /// article names its terms as written, and a scan of the taxonomy for
    /// each was 1% of a 10k build.
    terms: FxHashMap<(TaxonomyKind, String), TermEntry>,
    /// The same, by kind (as `TaxonomyKind::ALL` orders them) and the
    /// name the term's list shows: pages nearly always write a term that
    /// way, and it is found without making its slug (slugging names was
    /// 1% of a 10k build's instructions).
    named: [FxHashMap<String, (TaxonomyKind, String)>; 3],
    /// Each clinic with a summary, in the site's order, and the slugs of
    /// its services: every article looks for the clinics offering its
    /// treatments, which slugged every service of every clinic for each.
    services: Vec<(usize, Vec<String>)>,
    /// Dates and hours in the site's language.
    pub locale: Locale,
    /// The brand as every article's publisher, made on the first article.
    publisher: std::sync::OnceLock<jsonld::Publisher>,
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site) -> Self {
        let mut views = Views {
            site,
            locations: FxHashMap::default(),
            authors: FxHashMap::default(),
            terms: FxHashMap::default(),
            named: Default::default(),
            services: Vec::new(),
            locale: Locale::new(&site.strings),
            publisher: std::sync::OnceLock::new(),
        };
        let terms = site
            .taxonomies
            .iter()
            .enumerate()
            .flat_map(|(t, taxonomy)| {
                let kind = taxonomy.kind;
                taxonomy
                    .terms
                    .iter()
                    .enumerate()
                    .map(move |(k, term)| (kind, (t, k), term))
            })
            .map(|(kind, at, term)| {
                let link = LinkView {
                    name: term.name.clone(),
                    url: views.lang_url(&term.path(kind)),
                };
                ((kind, term.slug.clone()), TermEntry { link, at })
            })
            .collect();
        views.terms = terms;
        for taxonomy in &site.taxonomies {
            if let Some(named) = views.named.get_mut(taxonomy.kind as usize) {
                for term in &taxonomy.terms {
                    named.insert(term.name.clone(), (taxonomy.kind, term.slug.clone()));
                }
            }
        }
        views.locations = site
            .locations
            .iter()
            .filter_map(|&i| Some((i, views.make_location_summary(i)?)))
            .collect();
        views.services = site
            .locations
            .iter()
            .filter_map(|i| {
                let summary = views.locations.get(i)?;
                Some((*i, summary.services.iter().map(slug::slugify).collect()))
            })
            .collect();
        views.authors = site
            .authors
            .iter()
            .filter_map(|&i| Some((i, views.make_author_summary(i)?)))
            .collect();
        views
    }

    pub fn author_summary(&self, i: usize) -> Option<AuthorSummary> {
        self.authors.get(&i).cloned()
    }

    pub fn location_summary(&self, i: usize) -> Option<LocationSummary> {
        self.locations.get(&i).cloned()
    }

    pub fn page(&self, i: usize) -> Option<&'a Page> {
        self.site.pages.get(i)
    }

    pub fn url(&self, path: &str) -> String {
        self.site.config.base.path(path)
    }

    pub fn permalink(&self, path: &str) -> String {
        self.site.config.base.permalink(path)
    }

    /// The link to a path of this language (`tags/` is `/es/tags/`).
    pub fn lang_url(&self, path: &str) -> String {
        self.url(&self.site.lang_path(path))
    }

    /// The site path of `version` in language `l` (by index into the
    /// site's languages), where it has one.
    fn path_in(&self, version: Version, l: usize) -> Option<String> {
        let translations = &self.site.translations;
        let language = translations.languages.get(l)?;
        match version {
            Version::Page(key) => translations.pages.get(key)?.get(l)?.clone(),
            Version::List(path) => Some(format!("{}{path}", language.prefix)),
            Version::Own => None,
        }
    }

    /// The page in every language it exists in, and `x-default`; none for
    /// a site in one language.
    pub fn alternates(&self, version: Version) -> Vec<AlternateLink> {
        let translations = &self.site.translations;
        if !translations.is_multilingual() {
            return Vec::new();
        }
        let mut links: Vec<AlternateLink> = translations
            .languages
            .iter()
            .enumerate()
            .filter_map(|(l, language)| {
                Some(AlternateLink {
                    hreflang: language.code.clone(),
                    href: self.permalink(&self.path_in(version, l)?),
                })
            })
            .collect();
        if links.len() < 2 {
            return Vec::new();
        }
        if let Some(path) = self.path_in(version, 0) {
            links.push(AlternateLink {
                hreflang: "x-default".into(),
                href: self.permalink(&path),
            });
        }
        links
    }

    /// The language switcher: each language, linking to this page in it or
    /// else to its home page.
    pub fn languages(&self, version: Version) -> Vec<LanguageLink> {
        let translations = &self.site.translations;
        if !translations.is_multilingual() {
            return Vec::new();
        }
        translations
            .languages
            .iter()
            .enumerate()
            .map(|(l, language)| {
                let path = self.path_in(version, l);
                LanguageLink {
                    code: language.code.clone(),
                    name: language.name.clone(),
                    exists: path.is_some(),
                    url: self.url(&path.unwrap_or_else(|| language.prefix.clone())),
                    current: language.prefix == self.site.config.prefix,
                }
            })
            .collect()
    }

    /// Terms as links, named as their term page names them (the newest
    /// article's spelling), so every page shows a term the same way.
    pub fn terms(&self, kind: TaxonomyKind, names: &[String]) -> Vec<LinkView> {
        names
            .iter()
            .filter_map(|name| self.term_link(kind, name).cloned())
            .collect()
    }

    /// The link of the term a page names as `name`, if the site has it.
    pub(super) fn term_link(&self, kind: TaxonomyKind, name: &str) -> Option<&LinkView> {
        self.term_entry(kind, name).map(|entry| &entry.link)
    }

    /// Where the term a page names as `name` is in `site.taxonomies`
    /// (taxonomy, term), if the site has it.
    pub(super) fn term_at(&self, kind: TaxonomyKind, name: &str) -> Option<(usize, usize)> {
        self.term_entry(kind, name).map(|entry| entry.at)
    }

    fn term_entry(&self, kind: TaxonomyKind, name: &str) -> Option<&TermEntry> {
        self.terms.get(&*self.term_key(kind, name))
    }

    /// The kind and slug of the term a page names as `name`.
    fn term_key(&self, kind: TaxonomyKind, name: &str) -> Cow<'_, (TaxonomyKind, String)> {
        match self
            .named
            .get(kind as usize)
            .and_then(|named| named.get(name))
        {
            Some(key) => Cow::Borrowed(key),
            None => Cow::Owned((kind, slug::slugify(name))),
        }
    }

    /// The list of `{name, url}` of the terms `names` of `kind`, from each
    /// term's link in `terms`.
    fn term_list(
        &self,
        terms: &FxHashMap<(TaxonomyKind, String), tera::Value>,
        kind: TaxonomyKind,
        names: &[String],
    ) -> tera::Value {
        let links: Vec<tera::Value> = names
            .iter()
            .filter_map(|name| terms.get(&*self.term_key(kind, name)).cloned())
            .collect();
        tera::Value::from(links)
    }

    fn make_author_summary(&self, i: usize) -> Option<AuthorSummary> {
        let page = self.page(i)?;
        let Meta::Author(meta) = &*page.source.meta else {
            return None;
        };
        Some(AuthorSummary {
            name: meta.name.clone(),
            url: self.url(&page.path),
            permalink: self.permalink(&page.path),
            credentials: meta.credentials.clone(),
            credentials_text: meta.credentials.join(", "),
            role: meta.role.clone(),
        })
    }

    /// The summary of page `i` for templates, whatever its kind (none for
    /// kinds without one). An article's author and terms come from
    /// `shared`, so 10,000 articles hold one copy of each.
    pub fn summary_value(&self, i: usize, shared: &SharedValues) -> tera::Value {
        let value = match self.page(i).map(|p| &*p.source.meta) {
            Some(Meta::Article(meta)) => return self.article_value(i, meta, shared),
            Some(Meta::Location(_)) => {
                tera::Value::try_from_serializable(&self.location_summary(i))
            }
            Some(Meta::Author(_)) => tera::Value::try_from_serializable(&self.author_summary(i)),
            _ => Ok(tera::Value::none()),
        };
        value.unwrap_or_else(|_| tera::Value::none())
    }

    /// An article in lists: `title`, `description`, `url`, `permalink`,
    /// `date` and `updated` (each `{iso, display}`), `author` (its
    /// summary) and its terms (`tags`, `conditions`, `treatments`, each
    /// a list of `{name, url}`). Made as a map with room for just these,
    /// its dates, author and terms cloned from `shared` (a clone shares
    /// them): 50,000 of them were 105 MB, the largest part of the heap
    /// while pages render.
    fn article_value(&self, i: usize, meta: &ArticleMeta, shared: &SharedValues) -> tera::Value {
        let Some(page) = self.page(i) else {
            return tera::Value::none();
        };
        let date = |date: Date| {
            shared
                .dates
                .get(&date)
                .cloned()
                .unwrap_or_else(|| date_value(&self.locale, date))
        };
        let mut map =
            tera::Map::with_capacity_and_hasher(7 + TaxonomyKind::ALL.len(), Default::default());
        map.insert("title".into(), meta.title.as_str().into());
        map.insert("description".into(), meta.description.as_str().into());
        map.insert("url".into(), self.url(&page.path).into());
        map.insert("permalink".into(), self.permalink(&page.path).into());
        map.insert("date".into(), date(meta.date));
        map.insert(
            "updated".into(),
            meta.updated.map(date).unwrap_or_else(tera::Value::none),
        );
        let author = page.refs.author.and_then(|a| shared.authors.get(&a));
        map.insert(
            "author".into(),
            author.cloned().unwrap_or_else(tera::Value::none),
        );
        for kind in TaxonomyKind::ALL {
            map.insert(
                kind.name().into(),
                shared.term_list(self, kind, kind.terms_of(meta)),
            );
        }
        tera::Value::from(map)
    }

    /// The values article summaries share: authors' summaries, terms'
    /// links (`{name, url}`), and the dates and lists of terms of the
    /// pages `pages` (by index). A summary made with them of another
    /// article makes its own (`SharedValues::term_list`): `serve` makes
    /// a few summaries again after an edit, and visiting every article's
    /// lists was the largest part of a new article's reassembly at 10k.
    pub fn shared_values_of(&self, pages: impl IntoIterator<Item = usize>) -> SharedValues {
        let mut shared = self.shared_links();
        self.add_article_values(&mut shared, pages);
        shared
    }

    /// The values summaries share but the dates and lists of terms.
    fn shared_links(&self) -> SharedValues {
        let authors = self
            .site
            .authors
            .iter()
            .filter_map(|&a| {
                Some((
                    a,
                    tera::Value::try_from_serializable(&self.author_summary(a)?).ok()?,
                ))
            })
            .collect();
        let mut terms = FxHashMap::default();
        for taxonomy in &self.site.taxonomies {
            for term in &taxonomy.terms {
                let link = LinkView {
                    name: term.name.clone(),
                    url: self.lang_url(&term.path(taxonomy.kind)),
                };
                if let Ok(value) = tera::Value::try_from_serializable(&link) {
                    terms.insert((taxonomy.kind, term.slug.clone()), value);
                }
            }
        }
        SharedValues {
            authors,
            terms,
            dates: FxHashMap::default(),
            term_lists: Default::default(),
        }
    }

    /// Adds the dates and lists of terms of the pages `pages` (by index)
    /// to `shared`.
    pub fn add_article_values(
        &self,
        shared: &mut SharedValues,
        pages: impl IntoIterator<Item = usize>,
    ) {
        let SharedValues {
            terms,
            dates,
            term_lists,
            ..
        } = shared;
        // Which dates and lists are new is found on every core, each with
        // sets of its own, merged at the end (at 10k, 16 ms on one core);
        // their values are made on every core too.
        let pages: Vec<usize> = pages.into_iter().collect();
        let (known_dates, known_lists) = (&*dates, &*term_lists);
        let (new_dates, new_lists) = pages
            .par_iter()
            .filter_map(|&i| self.site.pages.get(i).and_then(Page::article))
            .fold(NewValues::default, |mut new, meta| {
                let (new_dates, new_lists) = &mut new;
                for date in std::iter::once(meta.date).chain(meta.updated) {
                    if !known_dates.contains_key(&date) {
                        new_dates.insert(date);
                    }
                }
                for kind in TaxonomyKind::ALL {
                    let names = kind.terms_of(meta);
                    let k = kind as usize;
                    let (Some(lists), Some(new)) = (known_lists.get(k), new_lists.get_mut(k))
                    else {
                        continue;
                    };
                    if !lists.contains_key(names) {
                        new.insert(names);
                    }
                }
                new
            })
            .reduce(
                NewValues::default,
                |(mut dates, mut lists), (more_dates, more_lists)| {
                    dates.extend(more_dates);
                    for (list, more) in lists.iter_mut().zip(more_lists) {
                        list.extend(more);
                    }
                    (dates, lists)
                },
            );
        let made: Vec<(Date, tera::Value)> = new_dates
            .into_par_iter()
            .map(|date| (date, date_value(&self.locale, date)))
            .collect();
        dates.extend(made);
        for (kind, new) in TaxonomyKind::ALL.into_iter().zip(new_lists) {
            let made: Vec<(Box<[String]>, tera::Value)> = new
                .into_par_iter()
                .map(|names| (names.into(), self.term_list(terms, kind, names)))
                .collect();
            if let Some(lists) = term_lists.get_mut(kind as usize) {
                lists.extend(made);
            }
        }
    }

    /// A word of the theme's strings in this site's language, else `english`.
    pub fn word(&self, key: &str, english: &'static str) -> String {
        self.site
            .strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| english.to_string())
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> Option<TaxonomyView> {
        let taxonomy = self.site.taxonomies.iter().find(|t| t.kind == kind)?;
        let path = self.site.lang_path(&format!("{}/", kind.name()));
        Some(TaxonomyView {
            name: kind.name(),
            title: self.word(kind.name(), kind.title()),
            url: self.url(&path),
            permalink: self.permalink(&path),
            terms: taxonomy
                .terms
                .iter()
                .map(|term| TermView {
                    name: term.name.clone(),
                    slug: term.slug.clone(),
                    url: self.lang_url(&term.path(kind)),
                    permalink: self.permalink(&self.site.lang_path(&term.path(kind))),
                    count: term.pages.len(),
                })
                .collect(),
        })
    }

    pub fn site(&self) -> SiteView {
        let config = &self.site.config;
        let taxonomies: Vec<TaxonomyView> = TaxonomyKind::ALL
            .iter()
            .filter_map(|&k| self.taxonomy(k))
            .collect();
        SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            base_url: config.base.absolute().to_string(),
            root: config.base.root().to_string(),
            home: self.url(&config.prefix),
            languages: self.languages(Version::List("")),
            origin: config.base.absolute_of(""),
            og_locale: config.language.replace('-', "_"),
            feed_title: self
                .word("feed_title", "{title}: articles")
                .replace("{title}", &config.title),
            brand: BrandView {
                name: config.brand_name().to_string(),
                phone: config.brand.phone.clone(),
                phone_tel: config
                    .brand
                    .phone
                    .as_deref()
                    .and_then(|p| crate::phone::e164(p).ok()),
                booking_url: config.brand.booking_url.clone(),
                logo: config.brand.logo.as_deref().map(|l| self.asset_url(l)),
            },
            disclaimer: config.disclaimer.clone(),
            share_image: config
                .share_image
                .as_deref()
                .map(|i| self.asset_permalink(i)),
            feed_url: self.permalink(&self.site.lang_path("feed.xml")),
            sitemap_url: self.permalink("sitemap.xml"),
            pages: self
                .site
                .plain
                .iter()
                .filter_map(|&i| self.page(i))
                .map(|p| PageLink {
                    title: p.title().to_string(),
                    url: self.url(&p.path),
                })
                .collect(),
            browse: taxonomies
                .iter()
                .filter(|t| !t.terms.is_empty())
                .map(|t| TaxonomyLink {
                    name: t.name,
                    title: t.title.clone(),
                    url: t.url.clone(),
                })
                .collect(),
            taxonomies,
            search: config.search.then(|| SearchView {
                url: self.url(&self.site.lang_path(crate::search::FOLDER)),
                index: self.url(&crate::search::index_folder(&crate::search::Language::new(
                    &config.language,
                ))),
            }),
        }
    }

    /// A file path from the site root (`/logo.svg`, `logo.svg`) or a full URL.
    pub(crate) fn asset_url(&self, path: &str) -> String {
        if path.contains("://") {
            path.to_string()
        } else {
            self.url(path)
        }
    }

    pub(crate) fn asset_permalink(&self, path: &str) -> String {
        if path.contains("://") {
            path.to_string()
        } else {
            self.permalink(path)
        }
    }

    /// The view of one single page.
    pub fn page_view(&self, i: usize) -> Option<PageView> {
        let page = self.page(i)?;
        let (kind, description, extra) = match &*page.source.meta {
            Meta::Home(meta) => ("home", meta.description.clone(), None),
            Meta::Plain(meta) => ("page", meta.description.clone(), None),
            Meta::Article(meta) => (
                "article",
                Some(meta.description.clone()),
                Some(PageExtra::Article(Box::new(self.article_view(page)))),
            ),
            Meta::Location(_) => (
                "location",
                None,
                self.location_view(page)
                    .map(|v| PageExtra::Location(Box::new(v))),
            ),
            Meta::Author(meta) => (
                "author",
                meta.role.clone(),
                Some(PageExtra::Author(AuthorView {
                    name: meta.name.clone(),
                    credentials: meta.credentials.clone(),
                    credentials_text: meta.credentials.join(", "),
                    role: meta.role.clone(),
                    photo: page.photo.as_deref().map(|p| self.asset_url(p)),
                })),
            ),
        };
        let title = match page.title() {
            "" => self.site.config.title.clone(),
            title => title.to_string(),
        };
        let permalink = self.permalink(&page.path);
        let share = self.share(page);
        let share_image = share.as_ref().map(|s| s.url.clone());
        // `page.share` is for `og:image`, and sharing sites show no SVG:
        // the theme then falls back to `site.share_image` as it is.
        let share = share.filter(|s| !crate::images::is_svg(&s.url));
        let jsonld = match &extra {
            Some(PageExtra::Location(view)) => {
                Some(jsonld::script(&jsonld::clinic(self, &permalink, view)))
            }
            Some(PageExtra::Article(view)) => {
                let ids = jsonld::ArticleIds::new(self, page);
                let publisher = self.publisher.get_or_init(|| jsonld::Publisher::new(self));
                Some(jsonld::article_script(
                    self,
                    &ids,
                    publisher,
                    page,
                    view,
                    share_image.as_deref(),
                ))
            }
            Some(PageExtra::Author(view)) => {
                Some(jsonld::script(&jsonld::author(self, page, view)))
            }
            _ if kind == "home" => Some(jsonld::script(&jsonld::home(self))),
            _ => None,
        };
        Some(PageView {
            kind,
            title,
            description,
            url: self.url(&page.path),
            permalink,
            content: page.html().into_owned(),
            toc: page.body.headings.clone(),
            jsonld,
            share_image,
            share,
            picture: self.own_picture_html(page),
            lists: self.lists(i, page),
            shortcodes_used: page
                .body
                .shortcodes
                .iter()
                .map(|c| c.name.clone())
                .collect(),
            extra,
        })
    }

    /// The lists of other pages page `i` shows, as its view has them,
    /// without making the rest of the view (`serve` remakes these for
    /// thousands of pages after a date or term edit).
    pub fn page_lists(&self, i: usize) -> Option<Vec<(&'static str, Vec<usize>)>> {
        let page = self.page(i)?;
        Some(self.lists(i, page))
    }

    /// The lists of other pages a page shows (see `PageView::lists`).
    fn lists(&self, i: usize, page: &Page) -> Vec<(&'static str, Vec<usize>)> {
        match &*page.source.meta {
            Meta::Article(_) => vec![
                ("locations", page.refs.locations.clone()),
                ("clinics", self.clinics(page)),
                ("related", self.related(page)),
            ],
            Meta::Author(_) => vec![
                ("articles", self.site.articles_by(i)),
                ("clinics", self.clinics_of(page)),
            ],
            Meta::Location(meta) => vec![
                ("clinicians", self.clinician_indices(meta)),
                ("articles", self.articles_about(&meta.services)),
            ],
            Meta::Home(_) | Meta::Plain(_) => Vec::new(),
        }
    }

    /// A printed link (`/clinic/a.png` or a full URL) as an absolute URL.
    fn absolute(&self, src: &str) -> String {
        if src.contains("://") {
            src.to_string()
        } else {
            self.site.config.base.absolute_of(src)
        }
    }

    /// The clinics that list an author among their clinicians.
    fn clinics_of(&self, page: &Page) -> Vec<usize> {
        let slug = &page.source.file_slug;
        self.site
            .locations
            .iter()
            .copied()
            .filter(|&l| {
                self.page(l).is_some_and(|p| match &*p.source.meta {
                    Meta::Location(meta) => meta.clinicians.contains(slug),
                    _ => false,
                })
            })
            .collect()
    }
}

/// `[Mo, Tu, We, Th, Fr]` -> `Mon–Fri`; `[Mo, We]` -> `Mon, Wed`.
pub fn days_label(days: &[crate::frontmatter::Day]) -> String {
    Locale::default().days_label(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::Day;

    #[test]
    fn day_labels() {
        assert_eq!(
            days_label(&[Day::Mo, Day::Tu, Day::We, Day::Th, Day::Fr]),
            "Mon–Fri"
        );
        assert_eq!(days_label(&[Day::Sa]), "Sat");
        assert_eq!(days_label(&[Day::Mo, Day::We]), "Mon, Wed");
        assert_eq!(days_label(&[Day::Sa, Day::Su]), "Sat, Sun");
    }
}
