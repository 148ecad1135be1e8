//! Which pages show what they did after one article came or went, so that
//! `serve` hashes only the other pages' contexts: hashing all 10,000 was
//! the largest step of saving a new article at 10k.
//!
//! An article's view is its own source, body and tables, the pages it
//! names (author, reviewer, clinics), its terms' names, and its related
//! articles, drawn from the first `RELATED_SCAN` articles of each condition
//! and treatment it has. Another article comes into those lists only
//! through a term it shares, and only when it is among that term's first
//! entries; every summary lists show is compared, not assumed.
//!
//! A term's list pages show its articles' summaries: those of a term that
//! lists the same articles are as they were, which spares hashing most of
//! the 3,200 term pages at 10k.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::site::{Page, Site, TaxonomyKind, Term};
use crate::Prepared;

/// What shows what it did after one article came or went, in the site
/// that has it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// By page index: whether the page's view is as it was.
    pub pages: Vec<bool>,
    /// By taxonomy and term index: whether the term lists the same
    /// articles, so its list pages show the same summaries.
    terms: Vec<Vec<bool>>,
}

impl Kept {
    /// Whether term `n` of taxonomy `t` lists what it did.
    pub fn term(&self, t: usize, n: usize) -> bool {
        self.terms.get(t).and_then(|terms| terms.get(n)) == Some(&true)
    }
}

/// For each page of `now` (by index), whether its view is what it was in
/// `before`, and for each term whether it lists the same articles. `None`
/// (hash them all) unless, in a site of one language, exactly one article
/// came or went and every other page is as it was: its source, body,
/// tables and the pages it names, and its summary as lists show it.
pub fn views_kept(before: &Prepared, now: &Prepared) -> Option<Kept> {
    if !before.languages.is_empty() || !now.languages.is_empty() {
        return None;
    }
    let (old, new) = (&before.site, &now.site);
    let come: Vec<usize> = absent_from(new, old);
    let gone: Vec<usize> = absent_from(old, new);
    // The article and the site that has it.
    let (article, came) = match (come.as_slice(), gone.as_slice()) {
        ([i], []) => (*i, true),
        ([], [i]) => (*i, false),
        _ => return None,
    };
    let holder = if came { new } else { old };
    // Only an article: a clinic or an author shows in articles' views.
    holder.pages.get(article).and_then(Page::article)?;
    // Each page: whether it is as it was (`None` if not) and, if so,
    // whether its view can be kept.
    let pages: Option<Vec<bool>> = new
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            if came && i == article {
                return Some(false);
            }
            let &was_at = old.by_rel.get(&page.source.rel)?;
            let was = old.pages.get(was_at)?;
            let same = same_page(old, was, new, page)
                && before.templates.summary_hash(was_at) == now.templates.summary_hash(i);
            // A shortcode may show anything of the site.
            same.then(|| {
                page.article().is_some()
                    && page.body.shortcodes.is_empty()
                    && page.expanded.is_none()
            })
        })
        .collect();
    let mut kept = pages?;
    // Related articles of every article in a condition or treatment where
    // the article is (or was) among the first entries.
    for taxonomy in holder.taxonomies.iter() {
        if taxonomy.kind == TaxonomyKind::Tags {
            continue;
        }
        let Some(now_taxonomy) = new.taxonomies.iter().find(|t| t.kind == taxonomy.kind) else {
            continue;
        };
        for term in &taxonomy.terms {
            if !crate::view::related_scan(&term.pages).contains(&article) {
                continue;
            }
            let now_term = now_taxonomy.terms.iter().find(|t| t.slug == term.slug);
            for &i in now_term.map_or(&[][..], |t| &t.pages) {
                if let Some(slot) = kept.get_mut(i) {
                    *slot = false;
                }
            }
        }
    }
    let terms = new
        .taxonomies
        .iter()
        .map(|taxonomy| {
            let was: HashMap<&str, &Term> = old
                .taxonomies
                .iter()
                .filter(|t| t.kind == taxonomy.kind)
                .flat_map(|t| &t.terms)
                .map(|term| (term.slug.as_str(), term))
                .collect();
            taxonomy
                .terms
                .par_iter()
                .map(|term| {
                    was.get(term.slug.as_str())
                        .is_some_and(|was| same_term(old, was, new, term))
                })
                .collect()
        })
        .collect();
    Some(Kept { pages: kept, terms })
}

/// Whether `term` of `new` has the name of `was` of `old` and lists the
/// same pages, each told by its source.
fn same_term(old: &Site, was: &Term, new: &Site, term: &Term) -> bool {
    was.name == term.name && same_pages(old, &was.pages, new, &term.pages)
}

/// Whether pages `a` of `old` and `b` of `new` are the same pages in the
/// same order, each told by its source.
fn same_pages(old: &Site, a: &[usize], new: &Site, b: &[usize]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&a, &b)| rel_of(old, a) == rel_of(new, b))
}

/// The pages of `site` (by index) whose source `other` has not.
fn absent_from(site: &Site, other: &Site) -> Vec<usize> {
    site.pages
        .iter()
        .enumerate()
        .filter(|(_, page)| !other.by_rel.contains_key(&page.source.rel))
        .map(|(i, _)| i)
        .collect()
}

/// Whether `page` of `new` is `was` of `old` unchanged: the same source,
/// the same body (shared, not rendered again), tables, picture, path and
/// the same pages named, each told by its source.
fn same_page(old: &Site, was: &Page, new: &Site, page: &Page) -> bool {
    let same_ref =
        |a: Option<usize>, b: Option<usize>| a.map(|i| rel_of(old, i)) == b.map(|i| rel_of(new, i));
    was.source.same_front_matter(&page.source)
        && Arc::ptr_eq(&was.body, &page.body)
        && was.spilled.is_none()
        && page.spilled.is_none()
        && was.path == page.path
        && was.tables == page.tables
        && was.photo == page.photo
        && same_ref(was.refs.author, page.refs.author)
        && same_ref(was.refs.reviewer, page.refs.reviewer)
        && same_pages(old, &was.refs.locations, new, &page.refs.locations)
}

fn rel_of(site: &Site, i: usize) -> Option<&str> {
    site.pages.get(i).map(|p| p.source.rel.as_str())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{views_kept, Kept};
    use crate::incremental::deps::TemplateGraph;
    use crate::incremental::outputs::{Fingerprints, Reads};
    use crate::incremental::tests::{article, options};
    use crate::view::RELATED_SCAN;
    use crate::{Indexing, Prepared, Purpose};

    /// More `knee pain` articles than related articles are drawn from,
    /// one a day from 2025-01-01 (`knee-000` the oldest), and two about
    /// backs, tagged `stretching`, that share no condition or treatment
    /// with them.
    fn knee_site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut files = vec![
            (
                "site.yaml".to_string(),
                "title: T\nbase_url: https://example.org/\n".to_string(),
            ),
            (
                "content/authors/ann.md".to_string(),
                "---\nname: Ann Lee\n---\n\nAnn.\n".to_string(),
            ),
        ];
        for n in 0..RELATED_SCAN as i64 + 5 {
            let text = knee(&format!("Knee {n:03}"), &day(n));
            files.push((format!("content/articles/knee-{n:03}.md"), text));
        }
        for (slug, date) in [("back-a", "2025-03-01"), ("back-b", "2025-03-02")] {
            let terms = "conditions: [back pain]\ntags: [stretching]\n";
            let text = article(slug, date, "ann", terms, "Backs.");
            files.push((format!("content/articles/{slug}.md"), text));
        }
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    /// An article about `knee pain` alone.
    fn knee(title: &str, date: &str) -> String {
        article(title, date, "ann", "conditions: [knee pain]\n", "Knees.")
    }

    fn day(n: i64) -> String {
        jiff::civil::date(2025, 1, 1)
            .checked_add(jiff::Span::new().days(n))
            .expect("a date")
            .to_string()
    }

    /// The site at `root` assembled again from disk after `previous`, as
    /// `serve` does after a save.
    fn again(root: &Path, previous: &Prepared) -> Prepared {
        let options = options(root, None);
        let loaded = crate::load_for(&options, crate::Purpose::Serve).expect("loads");
        crate::assemble(
            &options,
            loaded,
            Some(&previous.site),
            Purpose::Serve,
            Indexing::Build,
        )
        .expect("assembles")
    }

    fn fingerprints(prepared: &Prepared) -> Fingerprints {
        let reads = Reads::new(&TemplateGraph::new(&prepared.theme));
        Fingerprints::new(&prepared.templates, &prepared.site, &reads)
    }

    /// After the change made on disk since `before`: which pages kept
    /// their view (by rel), having checked that the fingerprints carried
    /// from `before` for them equal those made from scratch.
    fn kept_after(root: &Path, before: &Prepared) -> (Prepared, Option<Vec<String>>) {
        let now = again(root, before);
        let Some(kept) = views_kept(before, &now) else {
            return (now, None);
        };
        assert_carried(before, &now, &kept);
        let rels = now
            .site
            .pages
            .iter()
            .zip(&kept.pages)
            .filter(|(_, kept)| **kept)
            .map(|(page, _)| page.source.rel.clone())
            .collect();
        (now, Some(rels))
    }

    /// Asserts that the fingerprints carried from `before` by `kept` equal
    /// those made from scratch for `now`.
    fn assert_carried(before: &Prepared, now: &Prepared, kept: &Kept) {
        let reads = Reads::new(&TemplateGraph::new(&now.theme));
        let carried = Fingerprints::carried(
            &now.templates,
            &now.site,
            &reads,
            &fingerprints(before),
            kept,
        );
        assert!(carried == fingerprints(now), "carried fingerprints differ");
    }

    fn write(root: &Path, rel: &str, text: &str) {
        std::fs::write(root.join("content").join(rel), text).expect("write");
    }

    fn knee_rels(from: usize, to: usize) -> Vec<String> {
        (from..to)
            .map(|n| format!("articles/knee-{n:03}.md"))
            .collect()
    }

    #[test]
    fn a_new_article_keeps_the_views_of_articles_it_cannot_be_related_to() {
        let dir = knee_site();
        let root = dir.path();
        let first = crate::prepare_for(&options(root, None), Purpose::Serve).expect("builds");
        let backs = vec![
            "articles/back-a.md".to_string(),
            "articles/back-b.md".to_string(),
        ];
        // The newest knee article: in every knee article's related list.
        write(
            root,
            "articles/knee-new.md",
            &knee("Knee New", "2026-01-01"),
        );
        let (second, kept) = kept_after(root, &first);
        assert_eq!(kept.as_ref(), Some(&backs));
        // The oldest, past the first entries related articles are drawn
        // from: no knee article can show it.
        write(
            root,
            "articles/knee-old.md",
            &knee("Knee Old", "2024-01-01"),
        );
        let (third, kept) = kept_after(root, &second);
        let kept = kept.expect("one article came");
        assert!(!kept.contains(&"articles/knee-old.md".to_string()));
        assert_eq!(kept.len(), RELATED_SCAN + 5 + 1 + 2, "{kept:?}");
        // Gone again, and one of the oldest: the same.
        std::fs::remove_file(root.join("content/articles/knee-old.md")).expect("delete");
        let (fourth, kept) = kept_after(root, &third);
        assert_eq!(kept.map(|k| k.len()), Some(RELATED_SCAN + 5 + 1 + 2));
        std::fs::remove_file(root.join("content/articles/knee-000.md")).expect("delete");
        let (fifth, kept) = kept_after(root, &fourth);
        let kept = kept.expect("one article went");
        let knees = knee_rels(1, RELATED_SCAN + 5);
        assert!(knees.iter().all(|rel| kept.contains(rel)), "{kept:?}");
        // One of the newest gone: every knee article may show another.
        std::fs::remove_file(root.join("content/articles/knee-new.md")).expect("delete");
        let (_, kept) = kept_after(root, &fifth);
        assert_eq!(kept, Some(backs));
    }

    #[test]
    fn anything_but_one_article_come_or_gone_is_hashed_again() {
        let dir = knee_site();
        let root = dir.path();
        let first = crate::prepare_for(&options(root, None), Purpose::Serve).expect("builds");
        // Two at once.
        for name in ["x", "y"] {
            let text = article(name, "2025-02-01", "ann", "conditions: [back pain]\n", "X.");
            write(root, &format!("articles/{name}.md"), &text);
        }
        assert_eq!(kept_after(root, &first).1, None);
        std::fs::remove_file(root.join("content/articles/y.md")).expect("delete");
        let (second, _) = kept_after(root, &first);
        // A new author: not an article.
        write(root, "authors/bo.md", "---\nname: Bo Day\n---\n\nBo.\n");
        assert_eq!(kept_after(root, &second).1, None);
        std::fs::remove_file(root.join("content/authors/bo.md")).expect("delete");
        // The newest article spells a tag otherwise: every article with
        // it shows the new spelling, related or not.
        let text = article("Stretch", "2026-02-01", "ann", "tags: [Stretching]\n", "S.");
        write(root, "articles/stretch.md", &text);
        assert_eq!(kept_after(root, &second).1, None);
        std::fs::remove_file(root.join("content/articles/stretch.md")).expect("delete");
        // One article come and another edited.
        write(
            root,
            "articles/z.md",
            &article("z", "2025-02-01", "ann", "", "Z."),
        );
        let back = root.join("content/articles/back-a.md");
        let text = std::fs::read_to_string(&back).expect("read");
        std::fs::write(&back, text.replace("Backs.", "Backs and more.")).expect("write");
        assert_eq!(kept_after(root, &second).1, None);
    }

    #[test]
    fn a_term_listing_the_same_articles_keeps_its_pages_unless_they_show_counts() {
        // The default theme's term pages, then pages that show how many
        // articles each term of the taxonomy has.
        let counts = "{% extends \"base.html\" %}{% block content %}{% for t in taxonomy.terms %}{{ t.name }} {{ t.count }}{% endfor %}{% endblock content %}\n";
        for theme in [None, Some(counts)] {
            let dir = knee_site();
            let root = dir.path();
            if let Some(term) = theme {
                let files = [
                    ("themes/own/theme.yaml", "extends: default\n"),
                    ("themes/own/templates/term.html", term),
                ];
                for (rel, text) in files {
                    let path = root.join(rel);
                    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                    std::fs::write(path, text).expect("write");
                }
                let config = root.join("site.yaml");
                let text = std::fs::read_to_string(&config).expect("read") + "theme: own\n";
                std::fs::write(&config, text).expect("write");
            }
            let first = crate::prepare_for(&options(root, None), Purpose::Serve).expect("builds");
            write(
                root,
                "articles/knee-new.md",
                &knee("Knee New", "2026-01-01"),
            );
            let now = again(root, &first);
            let kept = views_kept(&first, &now).expect("one article came");
            let mut terms = Vec::new();
            for (t, taxonomy) in now.site.taxonomies.iter().enumerate() {
                for (n, term) in taxonomy.terms.iter().enumerate() {
                    if kept.term(t, n) {
                        terms.push(term.slug.as_str());
                    }
                }
            }
            terms.sort_unstable();
            assert_eq!(terms, ["back-pain", "stretching"]);
            assert_carried(&first, &now, &kept);
        }
    }
}
