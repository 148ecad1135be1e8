//! What a save leaves for after its reload ([`super::Live::apply_first`]):
//! the files it is known to change, or, when pages came, went or moved,
//! the finding of which files changed at all. At 10,000 articles that
//! finding (hashing what every output file shows) and the search index's
//! files took 65 of a new article's 150 ms before the reload.

use std::collections::HashSet;

use super::deps::Deps;
use super::outputs::{Fingerprints, Reads};
use super::{come_or_gone, Job};
use crate::Prepared;

/// What an edit left for after its reload, as [`super::Outcome`] tells it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Deferred {
    #[default]
    Nothing,
    /// This many output files, known to have changed.
    Files(usize),
    /// Pages came, went or moved: which files changed is found after the
    /// reload.
    Unknown,
}

/// The output files whose bytes may be old until what an edit left is
/// written ([`super::Live::held`]): requests for them wait.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Held {
    #[default]
    Nothing,
    /// These files (by output path).
    Files(HashSet<String>),
    /// Every file an edit of the content can change (pages, their share
    /// cards, lists, feeds, the sitemap, the search index's files) but
    /// these, written: which ones changed is not known yet. Listing them
    /// took about 6 ms at 10k.
    RenderedBut(HashSet<String>),
}

impl Held {
    pub fn holds(&self, path: &str) -> bool {
        match self {
            Held::Nothing => false,
            Held::Files(paths) => paths.contains(path),
            Held::RenderedBut(written) => is_rendered(path) && !written.contains(path),
        }
    }
}

/// Whether an output path is of a kind templates render (or the search
/// index writes, or a share card), not one copied from the theme or
/// beside the pages: by its name, as a theme's or writer's file of those
/// kinds is only held a moment longer.
fn is_rendered(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "_redirects"
        || name == crate::cards::FILE
        || [".html", ".xml", ".json", ".txt"]
            .iter()
            .any(|kind| name.ends_with(kind))
}

/// What an edit left for after its reload, kept by [`super::Live`].
#[derive(Default)]
pub(super) enum Later {
    #[default]
    Nothing,
    /// The files known to have changed, with their output paths (the
    /// index's files wait in `Live::search_files`).
    Files(Vec<(Job, String)>),
    /// Pages came, went or moved.
    Reshaped(Box<Reshaped>),
}

impl Later {
    pub fn told(&self) -> Deferred {
        match self {
            Later::Nothing => Deferred::Nothing,
            Later::Files(files) => Deferred::Files(files.len()),
            Later::Reshaped(_) => Deferred::Unknown,
        }
    }
}

/// What telling which files changed needs, when pages came, went or moved.
pub(super) struct Compared {
    /// What each output file of the last site was made from.
    pub earlier: Fingerprints,
    /// What each template reads of the site.
    pub reads: Reads,
    /// Which pages show which, for the last site.
    pub deps: Option<Deps>,
}

/// A reshaped site whose saved and open pages are written, the rest not.
pub(super) struct Reshaped {
    pub compared: Compared,
    /// The site before the edit.
    pub previous: Prepared,
    /// The files written before the reload.
    pub done: Vec<Job>,
    /// Their output paths.
    pub written: HashSet<String>,
}

/// Which files of `new` changed since `previous`, a site of one language
/// whose pages came, went or moved.
pub(super) struct Reshape {
    /// The files to render, in order.
    pub jobs: Vec<Job>,
    /// Files of `previous` that `new` does not make.
    pub gone: Vec<String>,
    pub made: Fingerprints,
    /// `compared.deps` brought up to date, while the pages are the same
    /// ones (moved, not come or gone).
    pub deps: Option<Deps>,
}

impl Compared {
    pub fn reshape(self, previous: &Prepared, new: &Prepared) -> Reshape {
        // An article come or gone: only the pages that may show it are
        // hashed again.
        let made = match come_or_gone::views_kept(previous, new) {
            Some(kept) => {
                Fingerprints::carried(&new.templates, &new.site, &self.reads, &self.earlier, &kept)
            }
            None => Fingerprints::new(&new.templates, &new.site, &self.reads),
        };
        let (jobs, gone) = made.changed_since(&self.earlier);
        let same_pages = new.site.pages.len() == previous.site.pages.len()
            && new
                .site
                .pages
                .iter()
                .zip(&previous.site.pages)
                .all(|(p, was)| p.source.rel == was.source.rel);
        let deps = self.deps.filter(|_| same_pages).map(|mut deps| {
            let shown: Vec<usize> = jobs
                .iter()
                .filter_map(|job| match *job {
                    Job::Page(i) => Some(i),
                    Job::Home => new.site.home,
                    _ => None,
                })
                .collect();
            deps.update(&new.site, &shown);
            deps
        });
        Reshape {
            jobs,
            gone,
            made,
            deps,
        }
    }
}
