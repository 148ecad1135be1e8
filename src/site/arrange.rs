//! Where each page goes in the site's lists, and the taxonomies: made
//! from the pages' front matter alone, so beside the rest of an assembly.
//! When one article came, went or changed since the last site (`serve`),
//! the last arrangement is patched instead: made anew, the taxonomies alone
//! took 19 ms of CPU at 10k on every new article's save, most of it
//! reading every article's names of terms.

use std::cmp::Reverse;
use std::sync::Arc;

use rayon::prelude::*;

use super::taxonomy::{taxonomy, Taxonomy, TaxonomyKind};
use super::{title_of, Site};
use crate::content::Meta;
use crate::frontmatter::Date;

/// The lists and taxonomies of a site's pages, by page index.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Arrangement {
    pub(super) home: Option<usize>,
    pub(super) articles: Vec<usize>,
    pub(super) locations: Vec<usize>,
    pub(super) authors: Vec<usize>,
    pub(super) plain: Vec<usize>,
    pub(super) article_rank: Vec<usize>,
    pub(super) taxonomies: Vec<Taxonomy>,
}

/// The [`Arrangement`] of the pages whose front matter is `metas`;
/// `previous`, the last site of the same pages, is patched when one
/// article alone came, went or changed.
pub(super) fn arrange(metas: &[Arc<Meta>], previous: Option<&Site>) -> Arrangement {
    match previous.and_then(|previous| arrange_after(metas, previous)) {
        Some(patched) => {
            debug_assert_eq!(patched, arrange_all(metas), "a patched arrangement");
            patched
        }
        None => arrange_all(metas),
    }
}

/// An article's place in `site.articles`: newest first, then by title,
/// then in page order.
type ArticleKey = ((Reverse<Option<Date>>, String), usize);

fn article_key(metas: &[Arc<Meta>], i: usize) -> ArticleKey {
    let date = metas.get(i).and_then(|m| m.article()).map(|meta| meta.date);
    ((Reverse(date), lowercase_title(metas, i)), i)
}

fn lowercase_title(metas: &[Arc<Meta>], i: usize) -> String {
    metas
        .get(i)
        .map(|m| title_of(m).to_lowercase())
        .unwrap_or_default()
}

/// Each page's rank in `articles` (`usize::MAX` for the other pages).
fn ranks(pages: usize, articles: &[usize]) -> Vec<usize> {
    let mut rank = vec![usize::MAX; pages];
    for (r, &i) in articles.iter().enumerate() {
        if let Some(slot) = rank.get_mut(i) {
            *slot = r;
        }
    }
    rank
}

/// The [`Arrangement`] made from every page's front matter.
fn arrange_all(metas: &[Arc<Meta>]) -> Arrangement {
    let mut home = None;
    let (mut articles, mut locations, mut authors, mut plain) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, meta) in metas.iter().enumerate() {
        match **meta {
            Meta::Home(_) => home = Some(i),
            Meta::Article(_) => articles.push(i),
            Meta::Location(_) => locations.push(i),
            Meta::Author(_) => authors.push(i),
            Meta::Plain(_) => plain.push(i),
        }
    }
    // Keys made and sorted on all cores (4 ms of one at 10k); the index
    // keeps equal keys in page order.
    let mut keyed: Vec<ArticleKey> = articles
        .par_iter()
        .map(|&i| article_key(metas, i))
        .collect();
    keyed.par_sort_unstable();
    articles = keyed.into_iter().map(|(_, i)| i).collect();
    let article_rank = ranks(metas.len(), &articles);
    for list in [&mut locations, &mut authors, &mut plain] {
        list.sort_by_key(|&i| lowercase_title(metas, i));
    }
    let taxonomies = TaxonomyKind::ALL
        .par_iter()
        .map(|&kind| taxonomy(kind, metas, &articles))
        .collect();
    Arrangement {
        home,
        articles,
        locations,
        authors,
        plain,
        article_rank,
        taxonomies,
    }
}

/// How the pages differ from the last site's: at most one article gone
/// (its index in the last site) and one come (its index now). Every other
/// page shares its front matter with the last site, in the same order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OneArticle {
    gone: Option<usize>,
    came: Option<usize>,
}

impl OneArticle {
    /// Tells the change from `metas` against the last site's, `old`, if it
    /// is one article's.
    fn between(metas: &[Arc<Meta>], old: &[&Arc<Meta>]) -> Option<OneArticle> {
        let same = |new: usize, was: usize| match (metas.get(new), old.get(was)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        let common = metas.len().min(old.len());
        let at = (0..common).find(|&i| !same(i, i)).unwrap_or(common);
        let change = if metas.len() == old.len() + 1 {
            OneArticle {
                gone: None,
                came: Some(at),
            }
        } else if metas.len() + 1 == old.len() {
            OneArticle {
                gone: Some(at),
                came: None,
            }
        } else if metas.len() == old.len() && at < common {
            OneArticle {
                gone: Some(at),
                came: Some(at),
            }
        } else if metas.len() == old.len() {
            OneArticle {
                gone: None,
                came: None,
            }
        } else {
            return None;
        };
        let after_new = at + usize::from(change.came.is_some());
        let after_old = at + usize::from(change.gone.is_some());
        if !(after_new..metas.len()).all(|i| same(i, i - after_new + after_old)) {
            return None;
        }
        let gone_article = change
            .gone
            .is_none_or(|g| old.get(g).is_some_and(|m| matches!(***m, Meta::Article(_))));
        let came_article = change
            .came
            .is_none_or(|c| matches!(metas.get(c).map(|m| &**m), Some(Meta::Article(_))));
        (gone_article && came_article).then_some(change)
    }

    /// Where the last site's page `i` is now; `None` for the one gone.
    fn moved(self, i: usize) -> Option<usize> {
        match (self.gone, self.came) {
            (Some(g), _) if i == g => None,
            (Some(g), None) if i > g => Some(i - 1),
            (None, Some(c)) if i >= c => Some(i + 1),
            _ => Some(i),
        }
    }
}

/// The last site's arrangement, and each of its pages' front matter.
struct Last<'a> {
    metas: Vec<&'a Arc<Meta>>,
    home: Option<usize>,
    articles: &'a [usize],
    locations: &'a [usize],
    authors: &'a [usize],
    plain: &'a [usize],
    taxonomies: &'a [Taxonomy],
}

impl<'a> Last<'a> {
    fn of(site: &'a Site) -> Last<'a> {
        Last {
            metas: site.pages.iter().map(|p| &p.source.meta).collect(),
            home: site.home,
            articles: &site.articles,
            locations: &site.locations,
            authors: &site.authors,
            plain: &site.plain,
            taxonomies: &site.taxonomies,
        }
    }
}

/// [`arrange_all`]'s arrangement, made from the last site's when one
/// article alone came, went or changed: the pages' places shift by one,
/// and the article comes out of its lists and goes into those it is in now.
fn arrange_after(metas: &[Arc<Meta>], previous: &Site) -> Option<Arrangement> {
    patch(metas, &Last::of(previous))
}

fn patch(metas: &[Arc<Meta>], last: &Last) -> Option<Arrangement> {
    let change = OneArticle::between(metas, &last.metas)?;
    let moved =
        |list: &[usize]| -> Vec<usize> { list.iter().filter_map(|&i| change.moved(i)).collect() };
    let mut articles = moved(last.articles);
    if let Some(came) = change.came {
        let key = article_key(metas, came);
        let at = articles.partition_point(|&i| article_key(metas, i) < key);
        articles.insert(at, came);
    }
    let article_rank = ranks(metas.len(), &articles);
    let taxonomies = last
        .taxonomies
        .iter()
        .map(|t| t.after(metas, |i| change.moved(i), change.came, &article_rank))
        .collect::<Option<Vec<Taxonomy>>>()?;
    Some(Arrangement {
        home: last.home.and_then(|i| change.moved(i)),
        articles,
        locations: moved(last.locations),
        authors: moved(last.authors),
        plain: moved(last.plain),
        article_rank,
        taxonomies,
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::{arrange_all, patch, Arrangement, Last};
    use crate::content::Meta;

    /// Names that share slugs (`Knee pain`, `knee-pain`), differ only in
    /// case, or have none (`!!`).
    const NAMES: [&str; 6] = ["Knee pain", "knee-pain", "KNEE PAIN", "Back", "Neck", "!!"];

    /// An article (`Some`: its title, date and names of terms by index
    /// into [`NAMES`]) or a plain page (`None`); few titles and dates, so
    /// that keys tie.
    type Spec = Option<(u8, u8, Vec<u8>, Vec<u8>, Vec<u8>)>;

    fn meta(n: usize, spec: &Spec) -> Arc<Meta> {
        let names = |list: &[u8]| -> String {
            let named: Vec<String> = list
                .iter()
                .map(|&k| format!("\"{}\"", NAMES[usize::from(k) % NAMES.len()]))
                .collect();
            format!("[{}]", named.join(", "))
        };
        let (rel, text) = match spec {
            Some((title, day, tags, conditions, treatments)) => (
                format!("articles/a{n}.md"),
                format!(
                    "---\ntitle: \"{}\"\ndescription: d\ndate: 2025-01-0{}\nauthor: x\n\
                     tags: {}\nconditions: {}\ntreatments: {}\n---\nBody.\n",
                    ["Rest", "rest", "Ice"][usize::from(*title) % 3],
                    1 + day % 3,
                    names(tags),
                    names(conditions),
                    names(treatments),
                ),
            ),
            None => (format!("p{n}.md"), format!("---\ntitle: P{}\n---\n", n % 2)),
        };
        let page = crate::content::parse_page(PathBuf::from(&rel), rel, text.into_bytes())
            .expect("a page that parses");
        page.meta
    }

    fn last<'a>(arranged: &'a Arrangement, metas: &'a [Arc<Meta>]) -> Last<'a> {
        Last {
            metas: metas.iter().collect(),
            home: arranged.home,
            articles: &arranged.articles,
            locations: &arranged.locations,
            authors: &arranged.authors,
            plain: &arranged.plain,
            taxonomies: &arranged.taxonomies,
        }
    }

    fn spec() -> impl Strategy<Value = Spec> {
        let terms = || proptest::collection::vec(0u8..6, 0..4);
        proptest::option::weighted(0.85, (0u8..3, 0u8..3, terms(), terms(), terms()))
    }

    proptest! {
        // Failures print their case; no file of seeds is kept.
        #![proptest_config(ProptestConfig {
            cases: 512,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// An article added, removed or changed anywhere: the patched
        /// arrangement is the one made from every page.
        #[test]
        fn one_article_patched_is_arranged_anew(
            specs in proptest::collection::vec(spec(), 0..14),
            changed in spec(),
            at in 0usize..16,
            how in 0u8..3,
        ) {
            let old: Vec<Arc<Meta>> = specs.iter().enumerate().map(|(n, s)| meta(n, s)).collect();
            let mut new = old.clone();
            let at = at % (old.len() + 1);
            let fresh = meta(100, &changed);
            let article = |m: &Arc<Meta>| matches!(**m, Meta::Article(_));
            let expect_patch = match how {
                0 => {
                    new.insert(at, fresh.clone());
                    article(&fresh)
                }
                1 if at < old.len() => {
                    let gone = new.remove(at);
                    article(&gone)
                }
                _ if at < old.len() => {
                    let was = std::mem::replace(&mut new[at], fresh.clone());
                    article(&was) && article(&fresh)
                }
                _ => true,
            };
            let arranged = arrange_all(&old);
            let patched = patch(&new, &last(&arranged, &old));
            prop_assert_eq!(patched.is_some(), expect_patch);
            if let Some(patched) = patched {
                prop_assert_eq!(patched, arrange_all(&new));
            }
        }
    }

    /// Two pages changed at once are arranged anew.
    #[test]
    fn two_changes_are_not_patched() {
        let spec: Spec = Some((0, 0, vec![0], vec![], vec![]));
        let old: Vec<Arc<Meta>> = (0..4).map(|n| meta(n, &spec)).collect();
        let mut new = old.clone();
        new[1] = meta(10, &spec);
        new[3] = meta(11, &spec);
        let arranged = arrange_all(&old);
        assert!(patch(&new, &last(&arranged, &old)).is_none());
        new[3] = old[3].clone();
        assert_eq!(patch(&new, &last(&arranged, &old)), Some(arrange_all(&new)));
    }
}
