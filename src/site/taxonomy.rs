//! Taxonomies: tags, conditions and treatments, each a list of terms with
//! the articles that name them.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::content::Meta;
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
pub(super) fn taxonomy(kind: TaxonomyKind, metas: &[Arc<Meta>], articles: &[usize]) -> Taxonomy {
    // A few hundred names, each on hundreds of articles: each is slugged
    // once (slugging was most of this), and names with one slug are one
    // term, named as first met.
    let mut of_name: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    let mut of_slug: FxHashMap<String, usize> = FxHashMap::default();
    let mut terms: Vec<Term> = Vec::new();
    for &i in articles {
        let Some(Meta::Article(meta)) = metas.get(i).map(|m| &**m) else {
            continue;
        };
        for name in kind.terms_of(meta) {
            let term = *of_name.entry(name.as_str()).or_insert_with(|| {
                let slug = slug::slugify(name);
                if slug.is_empty() {
                    return None;
                }
                let term = of_slug.entry(slug.clone()).or_insert_with(|| {
                    terms.push(Term {
                        name: name.clone(),
                        slug,
                        pages: Vec::new(),
                    });
                    terms.len() - 1
                });
                Some(*term)
            });
            if let Some(term) = term.and_then(|t| terms.get_mut(t)) {
                if term.pages.last() != Some(&i) {
                    term.pages.push(i);
                }
            }
        }
    }
    terms.sort_by_cached_key(|t| (t.name.to_lowercase(), t.slug.clone()));
    Taxonomy { kind, terms }
}
