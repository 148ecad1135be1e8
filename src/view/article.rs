//! The view of an article page: dates, review, terms, tables, and which
//! clinics and related articles it shows.

use serde::ser::SerializeStruct;
use serde::Serialize;

use super::{AuthorSummary, DateView, LinkView, Views};
use crate::comparison::Table;
use crate::site::{Page, TaxonomyKind};

/// How many related articles an article shows.
const RELATED: usize = 3;
/// Related articles are chosen among this many of the newest articles of
/// each condition and treatment the article names.
pub const RELATED_SCAN: usize = 200;

/// The entries of a term's list (newest first) that related articles are
/// drawn from: the first `RELATED_SCAN`.
pub fn related_scan(term_pages: &[usize]) -> &[usize] {
    &term_pages[..term_pages.len().min(RELATED_SCAN)]
}

thread_local! {
    /// For each page, how many terms it shares with the article whose
    /// related articles are being chosen (all zero between articles), and
    /// room for the pages met.
    static SHARED: std::cell::RefCell<(Vec<u16>, Vec<usize>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// An article page's dates, people and terms as the values summaries
/// share ([`super::SharedValues`]), so that its page holds a clone of each
/// (which shares them) instead of values of its own: at 10k, making and
/// then dropping those was about 140 M instructions, 1.3% of a build
/// (docs/performance.md).
/// Each is `None` where no value is shared: the view's own is written.
#[derive(Default)]
pub struct ArticleValues {
    date: Option<tera::Value>,
    updated: Option<tera::Value>,
    author: Option<tera::Value>,
    reviewed_by: Option<tera::Value>,
    last_reviewed: Option<tera::Value>,
    tags: Option<tera::Value>,
    conditions: Option<tera::Value>,
    treatments: Option<tera::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub date: DateView,
    pub updated: Option<DateView>,
    pub author: Option<AuthorSummary>,
    pub reviewed_by: Option<AuthorSummary>,
    pub last_reviewed: Option<DateView>,
    pub tags: Vec<LinkView>,
    pub conditions: Vec<LinkView>,
    pub treatments: Vec<LinkView>,
    /// The single `comparison` table, if any.
    pub comparison: Option<Table>,
    /// The named `comparisons` tables, by name.
    pub comparisons: Vec<Table>,
    /// Tables no `{{ comparison }}` placed in the body: the theme shows
    /// them after it.
    pub tables_after_body: Vec<Table>,
    pub draft: bool,
    pub reading_minutes: usize,
}

impl ArticleValues {
    /// How many values it has.
    #[cfg(test)]
    pub fn count(&self) -> usize {
        [
            &self.date,
            &self.updated,
            &self.author,
            &self.reviewed_by,
            &self.last_reviewed,
            &self.tags,
            &self.conditions,
            &self.treatments,
        ]
        .into_iter()
        .filter(|v| v.is_some())
        .count()
    }
}

impl ArticleView {
    /// Writes the view's fields into `page`, as its derived `Serialize`
    /// would (the same names, in the same order), taking each value
    /// `shared` has instead of the view's own.
    pub(super) fn serialize_fields<S: SerializeStruct>(
        &self,
        page: &mut S,
        shared: &ArticleValues,
    ) -> Result<(), S::Error> {
        fn field<S: SerializeStruct, T: Serialize>(
            page: &mut S,
            name: &'static str,
            shared: &Option<tera::Value>,
            own: &T,
        ) -> Result<(), S::Error> {
            match shared {
                Some(value) => page.serialize_field(name, value),
                None => page.serialize_field(name, own),
            }
        }
        field(page, "date", &shared.date, &self.date)?;
        field(page, "updated", &shared.updated, &self.updated)?;
        field(page, "author", &shared.author, &self.author)?;
        field(page, "reviewed_by", &shared.reviewed_by, &self.reviewed_by)?;
        field(
            page,
            "last_reviewed",
            &shared.last_reviewed,
            &self.last_reviewed,
        )?;
        field(page, "tags", &shared.tags, &self.tags)?;
        field(page, "conditions", &shared.conditions, &self.conditions)?;
        field(page, "treatments", &shared.treatments, &self.treatments)?;
        // The single table is most often also the one shown after the
        // body: made a template value once, which both fields share.
        let comparison = self.comparison.as_ref().map(tera::Value::from_serializable);
        page.serialize_field("comparison", &comparison)?;
        page.serialize_field("comparisons", &self.comparisons)?;
        let after_body: Vec<tera::Value> = self
            .tables_after_body
            .iter()
            .map(|table| match (&comparison, &table.name) {
                (Some(value), None) => value.clone(),
                _ => tera::Value::from_serializable(table),
            })
            .collect();
        page.serialize_field("tables_after_body", &after_body)?;
        page.serialize_field("draft", &self.draft)?;
        page.serialize_field("reading_minutes", &self.reading_minutes)
    }
}

impl Views<'_> {
    /// The values of article `i`'s page that `shared` has (none for a
    /// page that is no article).
    pub fn article_values(&self, i: usize, shared: &super::SharedValues) -> ArticleValues {
        let Some((page, meta)) = self.page(i).and_then(|p| Some((p, p.article()?))) else {
            return ArticleValues::default();
        };
        let date = |date: Option<crate::frontmatter::Date>| shared.dates.get(&date?).cloned();
        let author = |a: Option<usize>| shared.authors.get(&a?).cloned();
        let terms = |kind: TaxonomyKind| {
            shared
                .term_lists
                .get(kind as usize)
                .and_then(|lists| lists.get(kind.terms_of(meta)))
                .cloned()
        };
        ArticleValues {
            date: date(Some(meta.date)),
            updated: date(meta.updated),
            author: author(page.refs.author),
            reviewed_by: author(page.refs.reviewer),
            last_reviewed: date(meta.last_reviewed),
            tags: terms(TaxonomyKind::Tags),
            conditions: terms(TaxonomyKind::Conditions),
            treatments: terms(TaxonomyKind::Treatments),
        }
    }

    pub(super) fn article_view(&self, page: &Page) -> ArticleView {
        let empty = Vec::new();
        let meta = page.article();
        let names = |kind: TaxonomyKind| {
            meta.map_or(&empty, |m| match kind {
                TaxonomyKind::Tags => &m.tags,
                TaxonomyKind::Conditions => &m.conditions,
                TaxonomyKind::Treatments => &m.treatments,
            })
        };
        ArticleView {
            date: meta
                .map(|m| self.locale.date_view(m.date))
                .unwrap_or_else(|| DateView {
                    iso: String::new(),
                    display: String::new(),
                }),
            updated: meta
                .and_then(|m| m.updated)
                .map(|d| self.locale.date_view(d)),
            author: page.refs.author.and_then(|a| self.author_summary(a)),
            reviewed_by: page.refs.reviewer.and_then(|a| self.author_summary(a)),
            last_reviewed: meta
                .and_then(|m| m.last_reviewed)
                .map(|d| self.locale.date_view(d)),
            tags: self.terms(TaxonomyKind::Tags, names(TaxonomyKind::Tags)),
            conditions: self.terms(TaxonomyKind::Conditions, names(TaxonomyKind::Conditions)),
            treatments: self.terms(TaxonomyKind::Treatments, names(TaxonomyKind::Treatments)),
            comparison: page.tables.iter().find(|t| t.name.is_none()).cloned(),
            comparisons: page
                .tables
                .iter()
                .filter(|t| t.name.is_some())
                .cloned()
                .collect(),
            tables_after_body: page
                .tables
                .iter()
                .filter(|t| !placed_in_body(page, t))
                .cloned()
                .collect(),
            draft: meta.is_some_and(|m| m.draft),
            reading_minutes: page.body.words.div_ceil(200).max(1),
        }
    }

    /// Other articles sharing the most conditions and treatments, best 3;
    /// ties go to the newest.
    pub(super) fn related(&self, page: &Page) -> Vec<usize> {
        let Some(meta) = page.article() else {
            return Vec::new();
        };
        let own = self.site.by_rel.get(&page.source.rel).copied();
        SHARED.with(|cell| {
            let mut guard = cell.borrow_mut();
            let (shared, met) = &mut *guard;
            if shared.len() < self.site.pages.len() {
                shared.resize(self.site.pages.len(), 0);
            }
            // Each term once, however many of its names the article gives,
            // in the site's order of taxonomies and terms.
            let mut terms: Vec<(usize, usize)> = [
                (TaxonomyKind::Conditions, &meta.conditions),
                (TaxonomyKind::Treatments, &meta.treatments),
            ]
            .into_iter()
            .flat_map(|(kind, names)| names.iter().filter_map(move |n| self.term_at(kind, n)))
            .collect();
            terms.sort_unstable();
            terms.dedup();
            // Every article sharing a term, counted once per shared term in
            // a table by page number (a sort of the candidates cost the
            // build more than the rest of choosing them).
            let lists: Vec<&[usize]> = terms
                .into_iter()
                .filter_map(|(t, k)| self.site.taxonomies.get(t)?.terms.get(k))
                .map(|term| related_scan(&term.pages))
                .collect();
            met.resize(lists.iter().map(|l| l.len()).sum(), 0);
            // The article itself counted from a number that is never
            // zero, so it is never met: one compare less per entry.
            if let Some(count) = own.and_then(|own| shared.get_mut(own)) {
                *count = u16::MAX / 2;
            }
            let mut found = 0;
            for list in lists {
                // Term lists are newest first; looking further back would
                // make every article cost as much as the whole site.
                for &other in list {
                    let (Some(count), Some(slot)) = (shared.get_mut(other), met.get_mut(found))
                    else {
                        continue;
                    };
                    // Whether a page was met already is as good as random:
                    // it is always written down, and kept only the first
                    // time (a branch here was mispredicted half the time).
                    *slot = other;
                    found += usize::from(*count == 0);
                    *count = count.saturating_add(1);
                }
            }
            // Ties go to the newest (the lowest rank in `site.articles`).
            let rank = |i: usize| self.site.article_rank.get(i).copied().unwrap_or(usize::MAX);
            // Only the best few are shown: kept in order as the counts are
            // read, and cleared for the next article. A page sharing fewer
            // terms than the last of a full list is passed over unranked.
            let mut best: Vec<((std::cmp::Reverse<u16>, usize), usize)> =
                Vec::with_capacity(RELATED + 1);
            for &i in met.get(..found).unwrap_or_default() {
                let count = shared.get_mut(i).map_or(0, std::mem::take);
                let full = best.len() == RELATED;
                if full && best.last().is_some_and(|((last, _), _)| last.0 > count) {
                    continue;
                }
                let key = (std::cmp::Reverse(count), rank(i));
                if !full || best.last().is_some_and(|(last, _)| key < *last) {
                    let at = best.partition_point(|(other, _)| *other <= key);
                    best.insert(at, (key, i));
                    best.truncate(RELATED);
                }
            }
            if let Some(own) = own.and_then(|own| shared.get_mut(own)) {
                *own = 0;
            }
            best.into_iter().map(|(_, i)| i).collect()
        })
    }

    /// The clinics an article names, or else those offering its treatments.
    pub(super) fn clinics(&self, page: &Page) -> Vec<usize> {
        if !page.refs.locations.is_empty() {
            return page.refs.locations.clone();
        }
        let Some(meta) = page.article() else {
            return Vec::new();
        };
        let wanted: Vec<String> = meta.treatments.iter().map(slug::slugify).collect();
        self.services
            .iter()
            .filter(|(_, services)| services.iter().any(|s| wanted.contains(s)))
            .map(|(l, _)| *l)
            .collect()
    }
}

/// Whether a `{{ comparison }}` in the body places this table.
fn placed_in_body(page: &Page, table: &Table) -> bool {
    page.body
        .shortcodes
        .iter()
        .any(|call| call.name == "comparison" && call.arg("name") == table.name.as_deref())
}
