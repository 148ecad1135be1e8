//! Edits `serve` can apply to the live site without assembling it again:
//! a page's new front matter differs from its old only in what its own
//! page and the lists that show it display (an article's title,
//! description, date, `updated`, `last_reviewed`, its terms), with no
//! page, term or list page come or gone. A new title or date may move an
//! article in the lists that hold it; `Move` finds where, and which lists
//! that can reorder. New terms put it in other terms' lists; `Relist`
//! finds which.

use std::collections::HashSet;

use super::deps::Deps;
use crate::content::{Meta, SourcePage};
use crate::error::Errors;
use crate::frontmatter::{ArticleMeta, LocationMeta};
use crate::markdown::Rendered;
use crate::render::{Job, Section, Templates};
use crate::site::{Site, TaxonomyKind, Term};

/// How a page's front matter changed, when the change moves nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delta {
    /// What lists show of it (its summary in `site.articles`, list pages,
    /// other pages' `related`...) changed.
    pub summary: bool,
    /// Its title, which orders its list, changed.
    pub title: bool,
    /// Its date, which orders its list before the title, changed.
    pub date: bool,
    /// Its tags, conditions or treatments changed.
    pub terms: bool,
    /// Its `updated` date, which the sitemap shows.
    pub updated: bool,
    /// Its `author` or `reviewed_by`, which are other pages: the author's
    /// page lists the article.
    pub people: bool,
}

/// The change from `old` to `new` front matter, or `None` when it may
/// move the page or change which lists hold it (or it is of a kind this
/// does not handle: those go through a rebuild).
pub fn delta(old: &Meta, new: &Meta) -> Option<Delta> {
    match (old, new) {
        // The home page is in no list: its front matter shows on it only.
        // Its aliases are pages of their own: a change there is a rebuild.
        (Meta::Home(old), Meta::Home(new)) => (old.aliases == new.aliases).then(Delta::default),
        (Meta::Article(old), Meta::Article(new)) => (blank(old) == blank(new)).then(|| Delta {
            summary: old.title != new.title
                || old.description != new.description
                || old.date != new.date
                || old.updated != new.updated
                || old.author != new.author
                || terms_differ(old, new),
            title: old.title != new.title,
            date: old.date != new.date,
            terms: terms_differ(old, new),
            updated: old.updated != new.updated,
            people: old.author != new.author || old.reviewed_by != new.reviewed_by,
        }),
        // A clinic's details show on its page and wherever it is listed;
        // what orders or chooses lists (its name, city, services and
        // clinicians), its picture and old addresses are a rebuild.
        (Meta::Location(old), Meta::Location(new)) => {
            only_details_differ(old, new).then_some(Delta {
                summary: true,
                ..Delta::default()
            })
        }
        _ => None,
    }
}

/// Whether two clinics' front matter differ only in details: `new` with
/// the details of `old` is `old`.
fn only_details_differ(old: &LocationMeta, new: &LocationMeta) -> bool {
    let with_old_details = LocationMeta {
        address: old.address.clone(),
        phone: old.phone.clone(),
        fax: old.fax.clone(),
        email: old.email.clone(),
        geo: old.geo,
        hours: old.hours.clone(),
        holiday_hours: old.holiday_hours.clone(),
        booking_url: old.booking_url.clone(),
        parking: old.parking.clone(),
        transit: old.transit.clone(),
        accessibility: old.accessibility.clone(),
        insurance: old.insurance.clone(),
        accepting_new_patients: old.accepting_new_patients,
        area_served: old.area_served.clone(),
        ..new.clone()
    };
    with_old_details == *old
}

/// Whether an article names other terms, or spells them otherwise.
fn terms_differ(old: &ArticleMeta, new: &ArticleMeta) -> bool {
    old.tags != new.tags || old.conditions != new.conditions || old.treatments != new.treatments
}

/// An article's front matter without the fields `delta` allows to change.
fn blank(meta: &ArticleMeta) -> ArticleMeta {
    ArticleMeta {
        title: String::new(),
        description: String::new(),
        tags: Vec::new(),
        conditions: Vec::new(),
        treatments: Vec::new(),
        date: crate::frontmatter::Date(jiff::civil::Date::ZERO),
        updated: None,
        last_reviewed: None,
        author: None,
        reviewed_by: None,
        ..meta.clone()
    }
}

/// The author pages an article's `author` and `reviewed_by` name, as a
/// build resolves them; `None` when one names no author page (a rebuild
/// reports it).
pub fn people(site: &Site, meta: &Meta) -> Option<(Option<usize>, Option<usize>)> {
    let Meta::Article(meta) = meta else {
        return Some((None, None));
    };
    let find = |slug: &Option<String>| -> Option<Option<usize>> {
        let Some(slug) = slug else {
            return Some(None);
        };
        site.authors
            .iter()
            .copied()
            .find(|&a| {
                site.pages
                    .get(a)
                    .is_some_and(|p| p.source.file_slug == *slug)
            })
            .map(Some)
    };
    Some((find(&meta.author)?, find(&meta.reviewed_by)?))
}

/// Article `i` moving in `site.articles` after its title or date changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// Its place before and after (ranks in `site.articles`).
    pub from: usize,
    pub to: usize,
    /// The articles it passes, whose ranks shift by one.
    pub passed: Vec<usize>,
}

/// Where article `i` goes in `site.articles` (newest first, then by title,
/// as `site::order` sorts) when dated and titled as `new` says. `None`
/// when it ties with another article (the order the files were read in
/// would decide), when its new date is after the site's day (a build
/// leaves it out, unless `drafts`), or when the name a term shows would
/// change (the newest article naming a term spells it).
pub fn plan_move(site: &Site, i: usize, new: &SourcePage, drafts: bool) -> Option<Move> {
    let (Some(&from), Meta::Article(meta)) = (site.article_rank.get(i), &*new.meta) else {
        return None;
    };
    if !drafts && meta.date > site.today {
        return None;
    }
    if site.articles.get(from) != Some(&i) {
        return None;
    }
    let key_of = |j: usize| {
        let article = site.pages.get(j)?.article()?;
        Some((
            std::cmp::Reverse(article.date),
            article.title.to_lowercase(),
        ))
    };
    let key = (std::cmp::Reverse(meta.date), meta.title.to_lowercase());
    // The list is sorted by these keys, its own old one included: the
    // articles before its new place are those whose keys sort before.
    let before = site
        .articles
        .partition_point(|&j| key_of(j).is_some_and(|other| other < key));
    let to = if from < before { before - 1 } else { before };
    // Another article of the same date and title would tie with it.
    let next = (before..site.articles.len()).find(|&r| r != from);
    if next.and_then(|r| key_of(*site.articles.get(r)?)) == Some(key) {
        return None;
    }
    let passed: Vec<usize> = match to.cmp(&from) {
        std::cmp::Ordering::Greater => site.articles.get(from + 1..=to)?.to_vec(),
        std::cmp::Ordering::Less => site.articles.get(to..from)?.to_vec(),
        std::cmp::Ordering::Equal => Vec::new(),
    };
    let moved = Move { from, to, passed };
    // Only the lists holding it change order.
    let keeps_names = site.taxonomies.iter().all(|taxonomy| {
        let mut terms = taxonomy.terms.iter().filter(|t| t.pages.contains(&i));
        terms.all(|term| {
            let newest = term
                .pages
                .iter()
                .copied()
                .min_by_key(|&j| moved.rank(site, i, j));
            match newest {
                Some(j) if term.pages.first() != Some(&j) => {
                    let article = site.pages.get(j).and_then(|p| p.article());
                    article.and_then(|a| taxonomy.kind.spelling(a, &term.slug)) == Some(&term.name)
                }
                _ => true,
            }
        })
    });
    keeps_names.then_some(moved)
}

impl Move {
    /// The rank of article `j` once article `i` has moved.
    fn rank(&self, site: &Site, i: usize, j: usize) -> usize {
        let rank = site.article_rank.get(j).copied().unwrap_or(usize::MAX);
        if j == i {
            self.to
        } else if self.from < rank && rank <= self.to {
            rank - 1
        } else if self.to <= rank && rank < self.from {
            rank + 1
        } else {
            rank
        }
    }

    /// Moves article `i` in `site.articles`, its rank and the term lists
    /// that hold it.
    pub fn apply(&self, site: &mut Site, i: usize) {
        if self.from == self.to || site.articles.get(self.from) != Some(&i) {
            return;
        }
        let article = site.articles.remove(self.from);
        site.articles
            .insert(self.to.min(site.articles.len()), article);
        for r in self.from.min(self.to)..=self.from.max(self.to) {
            if let Some(slot) = site
                .articles
                .get(r)
                .and_then(|&j| site.article_rank.get_mut(j))
            {
                *slot = r;
            }
        }
        let ranks = &site.article_rank;
        for taxonomy in &mut site.taxonomies {
            for term in taxonomy.terms.iter_mut().filter(|t| t.pages.contains(&i)) {
                term.pages
                    .sort_by_key(|&j| ranks.get(j).copied().unwrap_or(usize::MAX));
            }
        }
    }
}

/// The terms article `i` joins and leaves, by (taxonomy, term) index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relist {
    pub joined: Vec<(usize, usize)>,
    pub left: Vec<(usize, usize)>,
    /// The list pages of terms it leaves that are no more (their last).
    pub dropped: Vec<Job>,
    /// A term it joins gains a list page.
    pub grows: bool,
}

/// Which terms article `i` joins and leaves when its front matter becomes
/// `new`'s. `None` when that makes a term come or go, or spells a term's
/// name otherwise (the newest article naming a term spells it): each is
/// a rebuild.
pub fn plan_terms(site: &Site, i: usize, new: &SourcePage) -> Option<Relist> {
    let Meta::Article(meta) = &*new.meta else {
        return None;
    };
    let rank = |j: usize| site.article_rank.get(j).copied().unwrap_or(usize::MAX);
    let pages_of = |count: usize| crate::render::page_count(count, site.config.paginate);
    let mut relist = Relist::default();
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        let names = taxonomy.kind.terms_of(meta);
        let slugs: Vec<String> = names.iter().map(slug::slugify).collect();
        let known =
            |slug: &String| slug.is_empty() || taxonomy.terms.iter().any(|t| t.slug == *slug);
        if !slugs.iter().all(known) {
            return None;
        }
        for (n, term) in taxonomy.terms.iter().enumerate() {
            let was = term.pages.contains(&i);
            let is = slugs.contains(&term.slug);
            if !was && !is {
                continue;
            }
            let count = term.pages.len() - usize::from(was) + usize::from(is);
            if count == 0 {
                return None;
            }
            let before = pages_of(term.pages.len());
            if pages_of(count) < before {
                relist.dropped.push(Job::Term(t, n, before));
            }
            relist.grows |= pages_of(count) > before;
            let newest = term
                .pages
                .iter()
                .copied()
                .filter(|&j| j != i)
                .chain(is.then_some(i))
                .min_by_key(|&j| rank(j))?;
            let newest = match newest == i {
                true => meta,
                false => site.pages.get(newest)?.article()?,
            };
            if taxonomy.kind.spelling(newest, &term.slug) != Some(&term.name) {
                return None;
            }
            match (was, is) {
                (false, true) => relist.joined.push((t, n)),
                (true, false) => relist.left.push((t, n)),
                _ => {}
            }
        }
    }
    Some(relist)
}

impl Relist {
    /// Puts article `i` in the lists of the terms it joins, by rank, and
    /// takes it out of those it leaves.
    pub fn apply(&self, site: &mut Site, i: usize) {
        for &(t, n) in &self.left {
            if let Some(term) = site.taxonomies.get_mut(t).and_then(|x| x.terms.get_mut(n)) {
                term.pages.retain(|&j| j != i);
            }
        }
        for &(t, n) in &self.joined {
            if let Some(term) = site.taxonomies.get_mut(t).and_then(|x| x.terms.get_mut(n)) {
                term.insert_by_rank(i, &site.article_rank);
            }
        }
    }

    fn terms<'a>(&'a self, site: &'a Site) -> impl Iterator<Item = (usize, usize, &'a Term)> + 'a {
        self.joined.iter().chain(&self.left).filter_map(|&(t, n)| {
            let term = site.taxonomies.get(t)?.terms.get(n)?;
            Some((t, n, term))
        })
    }

    /// The pages whose lists may change: related articles are drawn from
    /// the conditions and treatments an article shares, and a clinic lists
    /// the articles about its services.
    pub fn candidates(&self, site: &Site, i: usize) -> Vec<usize> {
        let mut pages: HashSet<usize> = HashSet::from([i]);
        for (t, _, term) in self.terms(site) {
            let kind = site.taxonomies.get(t).map(|x| x.kind);
            if kind != Some(TaxonomyKind::Tags) {
                pages.extend(term.pages.iter().copied());
            }
        }
        pages.extend(site.locations.iter().copied());
        pages.into_iter().collect()
    }

    /// Every list page of the terms it joins and leaves (each shows its
    /// count), and their taxonomies' lists of terms.
    pub fn jobs(&self, site: &Site) -> Vec<Job> {
        let mut jobs = Vec::new();
        for (t, n, term) in self.terms(site) {
            let pages = crate::render::page_count(term.pages.len(), site.config.paginate);
            jobs.push(Job::Taxonomy(t));
            jobs.extend((1..=pages).map(|page| Job::Term(t, n, page)));
        }
        jobs
    }
}

/// The pages whose lists may change when article `i` passes the articles
/// `passed`: lists are chosen and ordered by rank among the articles
/// sharing a term, so only the order of `i` against those it passed
/// changed. A list holding neither keeps its order. Related articles are
/// drawn from the first entries of each condition and treatment; in a
/// term's list, `i` and the articles it passed sit together and only trade
/// places, so what those first entries hold changes only when the trade
/// crosses their end: then every article of that term.
pub fn list_candidates(site: &Site, i: usize, passed: &[usize], deps: &Deps) -> Vec<usize> {
    let mut pages: HashSet<usize> = HashSet::from([i]);
    for &j in std::iter::once(&i).chain(passed) {
        pages.extend(deps.listed_in(j));
    }
    let passed: HashSet<usize> = passed.iter().copied().collect();
    let moved = |j: &usize| *j == i || passed.contains(j);
    for taxonomy in &site.taxonomies {
        // Tags choose no related articles.
        if taxonomy.kind == TaxonomyKind::Tags {
            continue;
        }
        for term in taxonomy.terms.iter().filter(|t| t.pages.contains(&i)) {
            let first = crate::view::related_scan(&term.pages);
            let rest = &term.pages[first.len()..];
            if first.iter().any(moved) && rest.iter().any(moved) {
                pages.extend(term.pages.iter().copied());
            }
        }
    }
    pages.into_iter().collect()
}

/// A page's body rendered again, with every problem a full build would
/// find in it.
pub fn render_body(
    site: &Site,
    templates: &Templates,
    theme: &crate::theme::Theme,
    source: &SourcePage,
) -> (Rendered, Errors) {
    let links = crate::links::PageLinks::for_page(&site.targets, &site.config.base, source);
    let body = crate::markdown::render(&source.body, &links);
    let mut errors = crate::site::check_body(source, &body, templates.shortcodes());
    if !body.addresses.is_empty() {
        let outputs = crate::render::addresses::Outputs::new(site, theme);
        errors.extend(crate::render::addresses::check(
            site,
            &outputs,
            [(source, &body)],
        ));
    }
    (body, errors)
}

/// A list that shows articles: `/articles/` (`None`) or a term
/// (taxonomy, term), by index.
pub type ListId = Option<(usize, usize)>;

/// Where article `i` is in each list that holds it.
pub fn positions(site: &Site, i: usize) -> Vec<(ListId, usize)> {
    let mut positions = Vec::new();
    if let Some(position) = site.articles.iter().position(|&a| a == i) {
        positions.push((None, position));
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        for (n, term) in taxonomy.terms.iter().enumerate() {
            if let Some(position) = term.pages.iter().position(|&a| a == i) {
                positions.push((Some((t, n)), position));
            }
        }
    }
    positions
}

/// The list pages that show the entries between an article's places
/// `before` and `after` (from `positions`) in each list: all of them
/// changed when it moved, and its own entry when it did not.
/// Pagination as in `render::jobs`.
pub fn list_pages(site: &Site, before: &[(ListId, usize)], after: &[(ListId, usize)]) -> Vec<Job> {
    let per_page = site.config.paginate;
    let number = |position: usize| match per_page {
        0 => 1,
        n => position / n + 1,
    };
    let mut jobs = Vec::new();
    for &(list, old) in before {
        let Some(&(_, new)) = after.iter().find(|(l, _)| *l == list) else {
            continue;
        };
        for page in number(old.min(new))..=number(old.max(new)) {
            jobs.push(match list {
                None => Job::Section(Section::Articles, page),
                Some((t, n)) => Job::Term(t, n, page),
            });
        }
    }
    jobs
}

/// `jobs` without repeats, in their first order.
pub fn dedup(jobs: Vec<Job>) -> Vec<Job> {
    let mut seen = std::collections::HashSet::new();
    jobs.into_iter()
        .filter(|job| seen.insert(key(*job)))
        .collect()
}

/// A job as a hashable value (`Job` has no `Hash`).
fn key(job: Job) -> (u8, usize, usize, usize) {
    let section = |s: Section| match s {
        Section::Articles => 0,
        Section::Locations => 1,
        Section::Authors => 2,
    };
    match job {
        Job::Home => (0, 0, 0, 0),
        Job::Page(i) => (1, i, 0, 0),
        Job::Section(s, n) => (2, section(s), n, 0),
        Job::Taxonomy(t) => (3, t, 0, 0),
        Job::Term(t, n, p) => (4, t, n, p),
        Job::NotFound => (5, 0, 0, 0),
        Job::Sitemap => (6, 0, 0, 0),
        Job::Feed => (7, 0, 0, 0),
        Job::Robots => (8, 0, 0, 0),
        Job::Alias(i, n) => (9, i, n, 0),
        Job::Redirects => (10, 0, 0, 0),
        Job::Search => (11, 0, 0, 0),
    }
}
