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

    /// How `meta` spells the term of `slug`: the first of its names with
    /// that slug. A term shows the spelling of the newest article naming it.
    pub fn spelling<'a>(self, meta: &'a ArticleMeta, slug: &str) -> Option<&'a String> {
        self.terms_of(meta)
            .iter()
            .find(|name| slug::slugify(name) == slug)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    /// By name.
    pub terms: Vec<Term>,
}

#[derive(Debug, PartialEq, Eq)]
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

    /// Puts article `i` in the term's list at its place by `rank` (each
    /// page's place in `site.articles`), and returns that place.
    pub fn insert_by_rank(&mut self, i: usize, rank: &[usize]) -> usize {
        let rank_of = |j: usize| rank.get(j).copied().unwrap_or(usize::MAX);
        let at = self.pages.partition_point(|&j| rank_of(j) < rank_of(i));
        self.pages.insert(at, i);
        at
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
        let Some(meta) = metas.get(i).and_then(|m| m.article()) else {
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
    sort_terms(&mut terms);
    Taxonomy { kind, terms }
}

/// Terms by name, then by slug (slugs are one a term).
fn sort_terms(terms: &mut [Term]) {
    terms.sort_by_cached_key(|t| (t.name.to_lowercase(), t.slug.clone()));
}

impl Taxonomy {
    /// What [`taxonomy`] makes once the last site's pages moved as `moved`
    /// says (`None`: the one gone) and article `came` (if any) is among the
    /// articles, `rank` giving each article's place in the list now. `None`
    /// if the lists do not hold what `metas` names.
    pub(super) fn after(
        &self,
        metas: &[Arc<Meta>],
        moved: impl Fn(usize) -> Option<usize>,
        came: Option<usize>,
        rank: &[usize],
    ) -> Option<Taxonomy> {
        let article = |i: usize| metas.get(i).and_then(|m| m.article());
        let mut terms = Vec::with_capacity(self.terms.len() + 1);
        for term in &self.terms {
            let pages: Vec<usize> = term.pages.iter().filter_map(|&i| moved(i)).collect();
            let Some(&newest) = pages.first() else {
                continue;
            };
            // The newest article naming a term spells it: if that one is
            // gone, the next one does.
            let name = match term.pages.first().and_then(|&i| moved(i)) {
                Some(_) => term.name.clone(),
                None => self.kind.spelling(article(newest)?, &term.slug)?.clone(),
            };
            terms.push(Term {
                name,
                slug: term.slug.clone(),
                pages,
            });
        }
        if let Some(came) = came {
            for name in self.kind.terms_of(article(came)?) {
                let slug = slug::slugify(name);
                if slug.is_empty() {
                    continue;
                }
                let Some(term) = terms.iter_mut().find(|t| t.slug == slug) else {
                    terms.push(Term {
                        name: name.clone(),
                        slug,
                        pages: vec![came],
                    });
                    continue;
                };
                // Its first name of this slug is the one it spells.
                if term.pages.contains(&came) {
                    continue;
                }
                if term.insert_by_rank(came, rank) == 0 {
                    term.name = name.clone();
                }
            }
        }
        sort_terms(&mut terms);
        Some(Taxonomy {
            kind: self.kind,
            terms,
        })
    }
}
