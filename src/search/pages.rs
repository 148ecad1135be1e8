//! The pages the index holds, read from the site model: which pages, in
//! what order, the text of each field, and what each result shows.

use std::sync::Arc;

use rayon::prelude::*;

use super::index::{Doc, Field, Kind, FIELDS};
use crate::content::Meta;
use crate::site::{Page, Site};
use crate::words::{BodyWords, Counter, Counts};

/// The pages to index, in doc order: clinics, clinicians, plain pages,
/// then articles grouped by their first condition and treatment, so the
/// results of one query tend to sit in few metadata files.
pub(super) fn doc_order(site: &Site) -> Vec<(usize, Kind)> {
    // Keys are made once per page, in parallel, and sorted in parallel:
    // one after another, this was the index's longest stretch on one core.
    let mut keyed: Vec<_> = site
        .pages
        .par_iter()
        .enumerate()
        .filter_map(|(i, page)| Some((order_key(page)?, i)))
        .collect();
    // Each page's source file is its own: no two keys are equal.
    keyed.par_sort_unstable();
    keyed.into_iter().map(|((kind, ..), i)| (i, kind)).collect()
}

/// Where a page sorts in the doc order: its kind, an article's first
/// condition and treatment (lowercased), its source file. `None` for a
/// page the index leaves out (the home page).
pub(super) fn order_key(page: &Page) -> Option<(Kind, String, String, &str)> {
    let kind = match &*page.source.meta {
        Meta::Location(_) => Kind::Location,
        Meta::Author(_) => Kind::Author,
        Meta::Plain(_) => Kind::Page,
        Meta::Article(_) => Kind::Article,
        Meta::Home(_) => return None,
    };
    let first = |list: fn(&crate::frontmatter::ArticleMeta) -> &Vec<String>| {
        page.article()
            .and_then(|m| list(m).first())
            .map(|s| s.to_lowercase())
            .unwrap_or_default()
    };
    Some((
        kind,
        first(|m| &m.conditions),
        first(|m| &m.treatments),
        page.source.rel.as_str(),
    ))
}

/// A page's words by field, and what its result shows.
pub(super) struct Read {
    /// The words of the fields but the body's.
    pub(super) counts: Counts<FIELDS>,
    /// The body's prose and heading words, counted as it rendered.
    pub(super) body: Option<Arc<BodyWords>>,
    /// Its filter terms, by term number.
    pub(super) filters: Vec<u32>,
    pub(super) doc: Doc,
}

thread_local! {
    /// Which words the page being listed has (`stamps[word] == page`),
    /// so its field words are told from its body's without sorting.
    static SEEN: std::cell::RefCell<(u32, Vec<u32>)> =
        const { std::cell::RefCell::new((0, Vec::new())) };
}

thread_local! {
    /// Each field's texts of the page being read, joined (see [`read`]).
    static FIELD_TEXTS: std::cell::RefCell<[String; FIELDS]> =
        std::cell::RefCell::new(Default::default());
}

/// Reads one page's fields (the body's words were counted as it rendered).
impl Read {
    /// Every word the page uses (lexicon numbers), each once, in no
    /// particular order.
    pub(super) fn words(&self) -> Vec<u32> {
        let body = || self.body.iter().flat_map(|b| b.words()).map(|(w, _)| w);
        let body_len = self.body.as_deref().map_or(0, BodyWords::len);
        let mut words: Vec<u32> = Vec::with_capacity(body_len + self.counts.words.len());
        words.extend(body());
        if self.counts.words.is_empty() {
            return words;
        }
        SEEN.with(|seen| {
            let mut seen = seen.borrow_mut();
            let (page, stamps) = &mut *seen;
            if *page == u32::MAX {
                stamps.fill(0);
                *page = 0;
            }
            *page += 1;
            let mut mark = |w: u32| -> bool {
                let w = w as usize;
                if stamps.len() <= w {
                    stamps.resize((w + 1).max(stamps.len() * 2), 0);
                }
                match stamps.get_mut(w) {
                    Some(stamp) if *stamp != *page => {
                        *stamp = *page;
                        true
                    }
                    _ => false,
                }
            };
            for w in body() {
                mark(w);
            }
            for (w, _) in &self.counts.words {
                if mark(*w) {
                    words.push(*w);
                }
            }
        });
        words
    }
}

/// Calls `f` with each piece of text of a page's fields but the body
/// (whose words were counted as it rendered).
fn field_texts(site: &Site, page: &Page, f: &mut dyn FnMut(Field, &str)) {
    let name_of = |j: Option<usize>| j.and_then(|j| site.pages.get(j)).map(|p| p.title());
    f(Field::Title, page.title());
    match &*page.source.meta {
        Meta::Article(meta) => {
            for also in &meta.also_known_as {
                f(Field::Title, also);
            }
            for kind in crate::site::TaxonomyKind::ALL {
                for term in kind.terms_of(meta) {
                    f(Field::Terms, term);
                }
            }
            f(Field::Description, &meta.description);
            let tables = meta
                .comparison
                .iter()
                .chain(meta.comparisons.iter().flat_map(|m| m.values()));
            for table in tables {
                f(Field::Tables, &table.caption);
                let texts = table.columns.iter().chain(&table.intro).chain(&table.note);
                for text in texts {
                    f(Field::Tables, text);
                }
                for row in &table.rows {
                    f(Field::Tables, &row.label);
                    for value in &row.values {
                        f(Field::Tables, value);
                    }
                }
            }
            for name in [name_of(page.refs.author), name_of(page.refs.reviewer)]
                .into_iter()
                .flatten()
            {
                f(Field::People, name);
            }
        }
        Meta::Location(meta) => {
            let a = &meta.address;
            let places = [
                &meta.city,
                &a.street,
                &a.locality,
                &a.region,
                &a.postal_code,
            ];
            for place in places.into_iter().chain(&meta.area_served) {
                f(Field::Place, place);
            }
            for service in &meta.services {
                f(Field::Terms, service);
            }
            for text in meta.parking.iter().chain(&meta.transit) {
                f(Field::Body, text);
            }
            for slug in &meta.clinicians {
                let mut people = site.authors.iter().filter_map(|&j| site.pages.get(j));
                if let Some(person) = people.find(|p| p.source.file_slug == *slug) {
                    f(Field::People, person.title());
                }
            }
        }
        Meta::Author(meta) => {
            for text in meta.credentials.iter().chain(&meta.role) {
                f(Field::Description, text);
            }
        }
        Meta::Plain(meta) => {
            if let Some(text) = &meta.description {
                f(Field::Description, text);
            }
        }
        Meta::Home(_) => {}
    }
}

/// What a page's result shows (`body`: its body's words, with the opening).
fn doc_of(page: &Page, kind: Kind, body: Option<&BodyWords>) -> Doc {
    let mut description = String::new();
    let mut excerpt = body.map(|w| w.excerpt.to_string()).unwrap_or_default();
    match &*page.source.meta {
        Meta::Article(meta) => description.clone_from(&meta.description),
        Meta::Location(meta) => {
            let a = &meta.address;
            description = format!(
                "{}, {}, {} {} · {}",
                a.street, a.locality, a.region, a.postal_code, meta.phone
            );
            if !meta.services.is_empty() {
                excerpt = format!("Services: {}", meta.services.join(", "));
            }
        }
        Meta::Author(meta) => {
            let about: Vec<&str> = meta
                .credentials
                .iter()
                .chain(&meta.role)
                .map(String::as_str)
                .collect();
            description = about.join(", ");
        }
        Meta::Plain(meta) => description = meta.description.clone().unwrap_or_default(),
        Meta::Home(_) => {}
    }
    Doc {
        kind,
        rel: page.source.rel.clone(),
        path: page.path.clone(),
        title: page.title().to_string(),
        description,
        excerpt,
    }
}

/// Each page's filter terms (conditions and treatments) by page index, as
/// `intern` numbers them: once per taxonomy term (its slug is made
/// already), not once per page.
pub(super) fn filters(site: &Site, mut intern: impl FnMut(String) -> u32) -> Vec<Vec<u32>> {
    let mut out = vec![Vec::new(); site.pages.len()];
    for taxonomy in &site.taxonomies {
        for term in &taxonomy.terms {
            let Some(text) = filter_term(taxonomy.kind, &term.slug) else {
                break;
            };
            let id = intern(text);
            for &p in &term.pages {
                if let Some(list) = out.get_mut(p) {
                    list.push(id);
                }
            }
        }
    }
    out
}

/// One page's filter terms (see [`filters`]).
pub(super) fn filters_of(site: &Site, i: usize) -> Vec<String> {
    let mut out = Vec::new();
    for taxonomy in &site.taxonomies {
        for term in taxonomy.terms.iter().filter(|t| t.pages.contains(&i)) {
            let Some(text) = filter_term(taxonomy.kind, &term.slug) else {
                break;
            };
            out.push(text);
        }
    }
    out
}

/// The filter term of a taxonomy term: `#c:sciatica`, `#t:dry-needling`;
/// none for a tag (the search page filters by condition and treatment).
fn filter_term(kind: crate::site::TaxonomyKind, slug: &str) -> Option<String> {
    let letter = match kind {
        crate::site::TaxonomyKind::Conditions => 'c',
        crate::site::TaxonomyKind::Treatments => 't',
        crate::site::TaxonomyKind::Tags => return None,
    };
    Some(format!("#{letter}:{slug}"))
}

/// Reads one page: its fields' words and what its result shows. `body`
/// is its body's words, counted as it rendered.
pub(super) fn read(
    site: &Site,
    i: usize,
    kind: Kind,
    filters: Vec<u32>,
    body: Option<Arc<BodyWords>>,
) -> Option<Read> {
    let page = site.pages.get(i)?;
    let mut c = Counter::<FIELDS>::new(&site.lexicon);
    // A field's texts joined by line breaks (no word spans one) and
    // counted at once: most are short (a title, a table's cell), and the
    // counter reads a whole block of 64 bytes faster than a short one.
    FIELD_TEXTS.with(|cell| {
        let mut joined = cell.borrow_mut();
        joined.iter_mut().for_each(String::clear);
        field_texts(site, page, &mut |field, text| {
            if let Some(joined) = joined.get_mut(field as usize) {
                joined.push_str(text);
                joined.push('\n');
            }
        });
        for (field, text) in joined.iter().enumerate() {
            if !text.is_empty() {
                c.add(field, text);
            }
        }
    });
    Some(Read {
        counts: c.finish(),
        doc: doc_of(page, kind, body.as_deref()),
        body,
        filters,
    })
}
