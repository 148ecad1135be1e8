//! Taxonomies: tags, conditions and treatments, each a list of terms with
//! the articles that name them.

use std::collections::BTreeMap;

use super::Page;
use crate::frontmatter::ArticleMeta;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaxonomyKind {
    Tags,
    Conditions,
    Treatments,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 3] = [
        TaxonomyKind::Tags,
        TaxonomyKind::Conditions,
        TaxonomyKind::Treatments,
    ];

    /// `tags`: the URL folder and the front matter key.
    pub fn name(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "tags",
            TaxonomyKind::Conditions => "conditions",
            TaxonomyKind::Treatments => "treatments",
        }
    }

    /// `tags/`: the site path of the list of its terms.
    pub fn list_path(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "tags/",
            TaxonomyKind::Conditions => "conditions/",
            TaxonomyKind::Treatments => "treatments/",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "Tags",
            TaxonomyKind::Conditions => "Conditions",
            TaxonomyKind::Treatments => "Treatments",
        }
    }

    pub fn terms_of(self, meta: &ArticleMeta) -> &[String] {
        match self {
            TaxonomyKind::Tags => &meta.tags,
            TaxonomyKind::Conditions => &meta.conditions,
            TaxonomyKind::Treatments => &meta.treatments,
        }
    }
}

#[derive(Debug)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    /// By name.
    pub terms: Vec<Term>,
}

#[derive(Debug)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// Articles, newest first.
    pub pages: Vec<usize>,
}

impl Term {
    pub fn path(&self, kind: TaxonomyKind) -> String {
        format!("{}/{}/", kind.name(), self.slug)
    }
}

/// Terms are grouped by slug ("Dry needling" and "dry needling" are one);
/// the name shown is the one the newest article wrote.
pub(super) fn taxonomy(kind: TaxonomyKind, pages: &[Page], articles: &[usize]) -> Taxonomy {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    for &i in articles {
        let Some(meta) = pages.get(i).and_then(Page::article) else {
            continue;
        };
        for name in kind.terms_of(meta) {
            let slug = slug::slugify(name);
            if slug.is_empty() {
                continue;
            }
            let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                name: name.clone(),
                slug,
                pages: Vec::new(),
            });
            if term.pages.last() != Some(&i) {
                term.pages.push(i);
            }
        }
    }
    let mut terms: Vec<Term> = terms.into_values().collect();
    terms.sort_by_key(|t| t.name.to_lowercase());
    Taxonomy { kind, terms }
}
