//! What each output file is made from, hashed: its template, its own
//! context (a page with its lists and expanded body, a list page's window
//! of summaries and paginator, a term's counts...) and the fields of
//! `site` its template reads (`deps::SiteReads`). A change that assembles
//! the site again (a term, a date, a new or deleted page) renders only the
//! files whose hash changed, and removes those no job makes any more:
//! what a full build would write, without rendering the rest.

use std::collections::{HashMap, HashSet};

use super::come_or_gone::Kept;
use super::deps::SiteReads;
use crate::render::{narrowed_fields, Job, NarrowReads, Templates};
use crate::site::Site;
use crate::view::TaxonomyView;

/// One output file: the job that makes it, the hash of its inputs, and
/// the share card made with it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Output {
    /// Its place in `render::jobs`, to render in that order.
    order: usize,
    job: Job,
    /// The hash of its own context alone, for a later site to take when
    /// it shows the same (`Fingerprints::carried`).
    context: u64,
    hash: u64,
    card: Option<String>,
}

/// What each template of a theme reads of `site`, and which fields of the
/// `taxonomy` and `paginator` it is given, when not all.
pub struct Reads {
    site: HashMap<String, SiteReads>,
    narrowed: NarrowReads,
}

impl Reads {
    pub fn new(graph: &super::deps::TemplateGraph) -> Reads {
        Reads {
            site: graph.reads(),
            narrowed: graph.narrowed_reads(),
        }
    }
}

/// Every output file of a site, by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprints {
    by_path: HashMap<String, Output>,
}

impl Fingerprints {
    /// Every output file `site` renders, with templates as they are now
    /// (`set_site` done, shortcodes expanded); `reads`, what each template
    /// of the theme reads of `site` (`TemplateGraph::reads`).
    pub fn new(templates: &Templates, site: &Site, reads: &Reads) -> Fingerprints {
        let mut fingerprints = Fingerprints::default();
        fingerprints.update(templates, site, reads, &crate::render::jobs(site));
        fingerprints
    }

    /// Makes the files of `jobs` again, from `site` as it is now: after
    /// they were rendered from it, with no page come or gone.
    pub fn update(&mut self, templates: &Templates, site: &Site, reads: &Reads, jobs: &[Job]) {
        self.hash(templates, site, reads, jobs, |_, _, _| None);
    }

    /// Every output file `site` renders, as `new` makes them, but with the
    /// context of each page and term list page `kept` says shows what it
    /// did in `earlier` taken from there, not hashed again.
    pub fn carried(
        templates: &Templates,
        site: &Site,
        reads: &Reads,
        earlier: &Fingerprints,
        kept: &Kept,
    ) -> Fingerprints {
        let mut fingerprints = Fingerprints::default();
        // A term's page shows its taxonomy too: kept if it reads none of
        // what a term's new or lost article changes (every term's count).
        let fixed_taxonomy = |template: &str| {
            narrowed_fields(&reads.narrowed, template, "taxonomy").is_some_and(|fields| {
                fields
                    .iter()
                    .all(|field| TaxonomyView::FIXED.contains(&field.as_str()))
            })
        };
        let known = |job: Job, path: &str, template: &str| {
            let same = match job {
                Job::Page(i) => kept.pages.get(i) == Some(&true),
                Job::Term(t, n, _) => kept.term(t, n) && fixed_taxonomy(template),
                _ => false,
            };
            if !same {
                return None;
            }
            earlier.by_path.get(path).map(|output| output.context)
        };
        fingerprints.hash(templates, site, reads, &crate::render::jobs(site), known);
        fingerprints
    }

    /// Makes the files of `jobs` from `site`, with the contexts `known`
    /// gives (by job and path) taken as they are.
    fn hash(
        &mut self,
        templates: &Templates,
        site: &Site,
        reads: &Reads,
        jobs: &[Job],
        known: impl Fn(Job, &str, &str) -> Option<u64> + Sync,
    ) {
        let contexts = crate::render::context_hashes(templates, site, jobs, &reads.narrowed, known);
        let reads = &reads.site;
        let fields = templates.site_field_hashes(site);
        // What of `site` each template sees, hashed once per template.
        let mut seen: HashMap<&'static str, u64> = HashMap::new();
        let mut site_part = |template: &'static str| {
            *seen.entry(template).or_insert_with(|| {
                let read = reads.get(template);
                let mut hasher = xxhash_rust::xxh3::Xxh3::new();
                for (field, hash) in fields {
                    // A template the scan does not know (built-in) reads all.
                    if field == "tr" || read.is_none_or(|r| r.reads(field)) {
                        hasher.update(field.as_bytes());
                        hasher.update(&hash.to_le_bytes());
                    }
                }
                hasher.digest()
            })
        };
        let by_path = &mut self.by_path;
        by_path.reserve(jobs.len());
        let first = by_path.len();
        for (order, (&job, context)) in jobs.iter().zip(contexts).enumerate() {
            let Some((path, template, hash)) = context else {
                continue;
            };
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            hasher.update(&hash.to_le_bytes());
            hasher.update(template.as_bytes());
            hasher.update(&site_part(template).to_le_bytes());
            let card = match job {
                Job::Page(i) if site.share_cards => site
                    .pages
                    .get(i)
                    .filter(|page| crate::cards::needs_card(site, page))
                    .map(crate::cards::card_path),
                _ => None,
            };
            let order = by_path.get(&path).map_or(first + order, |o| o.order);
            by_path.insert(
                path,
                Output {
                    order,
                    job,
                    context: hash,
                    hash: hasher.digest(),
                    card,
                },
            );
        }
    }

    /// Forgets the files at `paths` (under the output), removed with no
    /// job to make them any more.
    pub fn forget(&mut self, paths: &[String]) {
        for path in paths {
            self.by_path.remove(path);
        }
    }

    /// The jobs of `self` whose file is new or changed since `before`, and
    /// the files of `before` (pages and share cards) that `self` does not
    /// make.
    pub fn changed_since(&self, before: &Fingerprints) -> (Vec<Job>, Vec<String>) {
        let mut changed: Vec<&Output> = self
            .by_path
            .iter()
            .filter(|(path, now)| {
                before
                    .by_path
                    .get(*path)
                    .is_none_or(|then| then.hash != now.hash || then.card != now.card)
            })
            .map(|(_, now)| now)
            .collect();
        changed.sort_by_key(|output| output.order);
        let jobs = changed.into_iter().map(|output| output.job).collect();
        // Every share card made now, by path: only asked for a file that
        // is no job's any more and not the same job's card.
        let mut cards: Option<HashSet<&String>> = None;
        let mut is_card = |path: &String| {
            cards
                .get_or_insert_with(|| self.by_path.values().flat_map(|o| &o.card).collect())
                .contains(path)
        };
        let mut gone = Vec::new();
        for (path, then) in &before.by_path {
            let now = self.by_path.get(path);
            if now.is_none() && !is_card(path) {
                gone.push(path.clone());
            }
            if let Some(card) = &then.card {
                let same_card = now.is_some_and(|o| o.card.as_ref() == Some(card));
                if !same_card && !self.by_path.contains_key(card) && !is_card(card) {
                    gone.push(card.clone());
                }
            }
        }
        gone.sort();
        (jobs, gone)
    }
}
