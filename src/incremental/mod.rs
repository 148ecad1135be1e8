//! Rebuilding after a change, for `serve`: reload only the files that
//! changed, keep unchanged pages' rendered bodies, and render only the
//! output files a change can reach. The output always equals what a full
//! `handout build` of the same files writes (tests/serve.rs checks it).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::content::{Asset, Content, Meta};
use crate::error::{Errors, Place};
use crate::render::{Job, MemorySink, OutputFile, Section};
use crate::{BuildOptions, Prepared};

mod change;
mod come_or_gone;
mod deps;
mod in_place;
mod later;
mod outputs;

/// The edited source of `rel`, its page index and how its front matter
/// changed; `None` when the edit cannot be made in place.
fn edit_delta<'a>(
    site: &crate::site::Site,
    content: &'a crate::content::Content,
    rel: &str,
) -> Option<(&'a crate::content::SourcePage, usize, Delta)> {
    let source = content.pages.iter().find(|p| p.rel == rel)?;
    let &i = site.by_rel.get(rel)?;
    let page = site.pages.get(i)?;
    let delta =
        if page.source.same_front_matter(source) && page.source.body_line == source.body_line {
            Delta::default()
        } else {
            in_place::delta(&page.source.meta, &source.meta)?
        };
    Some((source, i, delta))
}

/// What an in-place edit of page `i` re-renders, and whose shortcodes are
/// expanded again: the page, the feed (an article), the sitemap (a new
/// date or `updated`), and, when the edit shows in lists (`deps`), the home page,
/// the list pages it moved in and the pages that list it.
/// `field` is the list of `site` the page is in (`articles`,
/// `locations`); `using` the pages whose shortcodes show that list.
#[allow(clippy::too_many_arguments)]
fn in_place_jobs(
    site: &crate::site::Site,
    i: usize,
    is_article: bool,
    delta: in_place::Delta,
    deps: Option<&Deps>,
    before: &[(in_place::ListId, usize)],
    relisted: &[usize],
    (field, using): (&str, &[usize]),
) -> (Vec<Job>, Vec<usize>) {
    let job_of = |j: usize| match site.home {
        Some(home) if home == j => Job::Home,
        _ => Job::Page(j),
    };
    let mut jobs = vec![job_of(i)];
    let mut expand = vec![i];
    if is_article {
        jobs.push(Job::Feed);
    }
    // An author page's date there is its newest article's, and so is a
    // list's.
    if delta.updated || delta.date || delta.people {
        jobs.push(Job::Sitemap);
    }
    if let Some(deps) = deps {
        jobs.push(Job::Home);
        jobs.extend(in_place::list_pages(
            site,
            before,
            &in_place::positions(site, i),
        ));
        // Their bodies too: a shortcode may show `page.related`.
        for &j in deps.listed_in(i).iter().chain(relisted).chain(using) {
            jobs.push(job_of(j));
            expand.push(j);
        }
        jobs.extend(deps.reading(field));
        // The feed shows articles' expanded bodies.
        if expand.len() > 1 {
            jobs.push(Job::Feed);
        }
        if field == "locations" {
            jobs.extend(
                crate::render::jobs(site)
                    .into_iter()
                    .filter(|job| matches!(job, Job::Section(Section::Locations, _))),
            );
        }
    }
    (jobs, expand)
}

#[cfg(test)]
mod language_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use change::{classify, ChangeKind};
use deps::Deps;
use in_place::Delta;
use later::{Compared, Later, Reshaped};
pub use later::{Deferred, Held};

/// What one rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Output files rendered or copied.
    pub rendered: usize,
    /// Files whose bytes changed on disk.
    pub written: usize,
    /// Every page was rendered.
    pub full: bool,
    /// The site was assembled again (not patched in place); with `full`
    /// false, only the output files whose inputs changed were rendered.
    pub assembled: bool,
    /// Only stylesheets changed: the browser can swap them without a reload.
    pub css_only: bool,
    /// Source files (from `content/`) whose pages were re-rendered; with
    /// `full`, every page was.
    pub changed: Vec<String>,
    pub elapsed: Duration,
    /// What is left to render after the reload ([`Live::apply_first`]).
    pub deferred: Deferred,
}

/// An edit that renders more output files than this renders the saved
/// page and the pages open in a browser first, and the rest after the
/// reload ([`Live::apply_first`]). Under it, rendering everything costs
/// about what telling the two kinds apart does.
const FIRST_ABOVE: usize = 32;

/// An edit's jobs split: those a reload shows, and the others with their
/// output paths.
type FirstAndLater = (Vec<Job>, Vec<(Job, String)>);

/// A site kept in memory between rebuilds, writing into `out`.
pub struct Live {
    options: BuildOptions,
    out: PathBuf,
    content: Option<Content>,
    state: Option<Prepared>,
    /// Files in the output by path, with a hash of the bytes written;
    /// `None` for a file an earlier run left, whose bytes are not known.
    written: HashMap<String, Option<u64>>,
    /// Share cards by output path: the cached file each was written from,
    /// and the hash `written` had for it then. While both hold, the card
    /// is not read again (a clinic's phone renders every page at 10k, and
    /// with them 9,800 cards of the same bytes).
    cards: HashMap<String, (PathBuf, u64)>,
    /// Which output files show which pages, for `state`; made by
    /// `prepare_edits`, or by the first edit that needs it.
    deps: Option<Deps>,
    /// Search index files to write with the next pages, and the paths of
    /// every index file on disk (to remove those a change left out).
    search_files: Vec<OutputFile>,
    search_paths: HashSet<String>,
    /// A template or `site.yaml` changed since the theme was compiled.
    theme_stale: bool,
    /// Which template of the theme in `state` names which, for template
    /// edits; made with each theme compiled.
    template_graph: Option<deps::TemplateGraph>,
    /// Pages and files beside them saved since the last rebuild that
    /// succeeded: a rebuild that failed wrote none of them, so the next
    /// one renders them all, whatever it was saved for.
    pending_pages: Vec<String>,
    pending_assets: Vec<String>,
    /// A build of everything failed: the next change builds everything
    /// again (what it was for, a template say, is not known any more).
    needs_full: bool,
    /// What each output file of `state` is made from (a site of one
    /// language), for a change that assembles the site again; dropped by
    /// every change of `state` that does not make it again.
    outputs: Option<outputs::Fingerprints>,
    /// Files edits in place rendered whose inputs `outputs` has not taken
    /// yet: hashing them (every summary, at 10,000 articles) waits until
    /// the reload is out, for `prepare_edits` or the next change.
    outputs_behind: Vec<Job>,
    /// Output paths open in a browser, while [`Live::apply_first`] runs.
    open: Option<HashSet<String>>,
    /// What an edit left for after the reload.
    deferred: Later,
    /// Share cards not in the cache when their pages were written before a
    /// reload: drawn with what the edit left, or the next files written.
    cards_left: Vec<crate::render::CardLeft>,
    /// How many files an edit renders before it renders those a reload
    /// shows first ([`FIRST_ABOVE`]; tests lower it).
    first_above: usize,
}

impl Live {
    pub fn new(options: BuildOptions, out: PathBuf) -> Live {
        Live {
            options,
            out,
            content: None,
            state: None,
            written: HashMap::new(),
            cards: HashMap::new(),
            deps: None,
            search_files: Vec::new(),
            search_paths: HashSet::new(),
            theme_stale: false,
            template_graph: None,
            pending_pages: Vec::new(),
            pending_assets: Vec::new(),
            needs_full: false,
            outputs: None,
            outputs_behind: Vec::new(),
            open: None,
            deferred: Later::Nothing,
            cards_left: Vec::new(),
            first_above: FIRST_ABOVE,
        }
    }

    /// Takes over the files an earlier run left in the output folder: the
    /// next full build leaves those it would write unchanged in place and
    /// deletes the rest.
    pub fn adopt_earlier_output(&mut self) {
        for entry in walkdir::WalkDir::new(&self.out).into_iter().flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            if let Ok(rel) = entry.path().strip_prefix(&self.out) {
                let rel = crate::error::display_path(rel);
                self.written.entry(rel).or_insert(None);
            }
        }
    }

    pub fn output(&self) -> &Path {
        &self.out
    }

    /// The last good build, if any.
    pub fn prepared(&self) -> Option<&Prepared> {
        self.state.as_ref()
    }

    /// `check`'s page findings for what an outcome re-rendered (every page
    /// after a full build), by page URL path (`/articles/a/`).
    pub fn findings(&self, outcome: &Outcome) -> Vec<(String, Vec<crate::check::Finding>)> {
        let Some(state) = self.state.as_ref() else {
            return Vec::new();
        };
        let site = &state.site;
        let pages: Vec<usize> = if outcome.full {
            (0..site.pages.len()).collect()
        } else {
            outcome
                .changed
                .iter()
                .filter_map(|rel| site.by_rel.get(rel).copied())
                .collect()
        };
        pages
            .into_iter()
            .filter_map(|i| {
                let page = site.pages.get(i)?;
                Some((
                    site.config.base.path(&page.path),
                    crate::check::page(site, i),
                ))
            })
            .collect()
    }

    /// Work that makes the next edit of a title or description fast: which
    /// pages show which (about 0.5 s for 10,000 articles). Every build
    /// that assembles the site again drops it; `serve` calls this once the
    /// new pages are out and no change waits.
    pub fn prepare_edits(&mut self) {
        self.catch_up_outputs();
        if let (None, Some(state)) = (&self.deps, &self.state) {
            self.deps = Some(Deps::new(&state.site, &state.theme));
        }
        if self.outputs.is_none() {
            self.outputs = self.fingerprints();
        }
    }

    /// What each output file of the live site is made from, when a change
    /// that assembles it again can be compared with it: a site of one
    /// language whose theme is as compiled.
    fn fingerprints(&self) -> Option<outputs::Fingerprints> {
        let state = self.state.as_ref()?;
        let graph = self.template_graph.as_ref()?;
        if !state.languages.is_empty() || self.theme_stale {
            return None;
        }
        Some(outputs::Fingerprints::new(
            &state.templates,
            &state.site,
            &outputs::Reads::new(graph),
        ))
    }

    /// Builds everything from disk, keeping unchanged bodies of the last
    /// good build.
    pub fn full(&mut self) -> Result<Outcome, Errors> {
        let started = Instant::now();
        // Everything is rendered again, what was left to do with it.
        self.deferred = Later::Nothing;
        let (content, errors) =
            crate::content::load(&self.options.root, crate::content::Bodies::Kept);
        self.content = Some(content);
        self.needs_full = true;
        let result = self.rebuild_all(errors, started);
        if result.is_ok() {
            self.needs_full = false;
        }
        result
    }

    /// Applies changed paths (from the watcher). `Ok(None)` when none of
    /// them matters to the site.
    pub fn apply(&mut self, paths: &[(PathBuf, bool)]) -> Result<Option<Outcome>, Errors> {
        // What the last edit left comes first. Should it fail, this change
        // builds everything (`needs_full`), which shows the error again.
        let _ = self.finish_deferred();
        self.catch_up_outputs();
        let result = self.apply_changes(paths);
        if let Ok(Some(_)) = result {
            self.pending_pages.clear();
            self.pending_assets.clear();
        }
        result
    }

    /// [`Live::apply`], but an edit that renders many files renders first
    /// only those a reload shows: the saved pages' own and those in `open`
    /// (output paths, `articles/a/index.html`). The rest wait for
    /// [`Live::finish_deferred`]; until then [`Live::held`] names
    /// them, and the server holds back requests for them. A clinic's phone
    /// is on every page: at 10,000 articles that is 13,500 files, most of
    /// a second, before the one page in view could reload. When pages
    /// came, went or moved, which files changed at all is found after the
    /// reload, and every file is held until then.
    pub fn apply_first(
        &mut self,
        paths: &[(PathBuf, bool)],
        open: HashSet<String>,
    ) -> Result<Option<Outcome>, Errors> {
        self.open = Some(open);
        let result = self.apply(paths);
        self.open = None;
        result
    }

    /// The output files whose bytes may be old until
    /// [`Live::finish_deferred`]: the pages and search index files the
    /// last edit left for it.
    pub fn held(&self) -> Held {
        let cards = self.cards_left.iter().map(|card| &card.path);
        match &self.deferred {
            Later::Nothing if self.cards_left.is_empty() => Held::Nothing,
            Later::Nothing => Held::Files(cards.cloned().collect()),
            Later::Files(files) => {
                let pages = files.iter().map(|(_, path)| path);
                let index = self.search_files.iter().map(|f| &f.path);
                Held::Files(pages.chain(index).chain(cards).cloned().collect())
            }
            Later::Reshaped(reshaped) => Held::RenderedBut(reshaped.written.clone()),
        }
    }

    /// Renders and writes what the last edit left for after its reload.
    /// `Ok(None)` when it left nothing. A failure leaves those files as
    /// they were, and the next change builds everything.
    pub fn finish_deferred(&mut self) -> Result<Option<Outcome>, Errors> {
        let started = Instant::now();
        let result = match std::mem::take(&mut self.deferred) {
            Later::Nothing if self.cards_left.is_empty() => return Ok(None),
            Later::Nothing => self.render_and_write_part(&[], &[], false, false, started),
            Later::Files(files) => {
                let jobs: Vec<Job> = files.into_iter().map(|(job, _)| job).collect();
                self.render_and_write_part(&jobs, &[], false, true, started)
            }
            Later::Reshaped(reshaped) => self.finish_reshaped(*reshaped, started),
        };
        match result {
            Ok(outcome) => Ok(Some(outcome)),
            Err(errors) => {
                self.needs_full = true;
                Err(errors)
            }
        }
    }

    /// Finds which files changed after pages came, went or moved, and
    /// renders and writes those not written before the reload.
    fn finish_reshaped(&mut self, reshaped: Reshaped, started: Instant) -> Result<Outcome, Errors> {
        let Reshaped {
            compared,
            previous,
            done,
            written: _,
        } = reshaped;
        let Some(state) = self.state.as_mut() else {
            return Ok(Outcome::default());
        };
        let reshape = compared.reshape(&previous, state);
        self.search_files = index_files(state);
        let_go(Some(previous));
        let jobs: Vec<Job> = reshape
            .jobs
            .into_iter()
            .filter(|job| !done.contains(job))
            .collect();
        let outcome = self.render_and_write_part(&jobs, &[], false, true, started)?;
        self.remove_outputs(&reshape.gone);
        self.deps = reshape.deps;
        self.outputs = Some(reshape.made);
        Ok(outcome)
    }

    /// With [`Live::apply_first`], the jobs of `jobs` a reload shows and
    /// the others with their output paths, when there are enough to tell
    /// apart.
    fn split_first(&self, jobs: &[Job], everything: bool) -> Option<FirstAndLater> {
        if everything || jobs.len() <= self.first_above {
            return None;
        }
        let (first, later) = self.in_view(jobs)?;
        // With nothing left for later, the index's files go now too.
        (!later.is_empty()).then_some((first, later))
    }

    /// With [`Live::apply_first`], the jobs of `jobs` a reload shows and
    /// the others with their output paths.
    fn in_view(&self, jobs: &[Job]) -> Option<FirstAndLater> {
        let site = &self.state.as_ref()?.site;
        let placed = self.placed(jobs)?;
        let first = first_placed(jobs, &placed);
        let later: Vec<(Job, String)> = jobs
            .par_iter()
            .zip(placed)
            .filter_map(|(&job, placed)| match placed {
                Placed::First => None,
                Placed::Later(Some(path)) => Some((job, path)),
                Placed::Later(None) => Some((job, crate::render::target(site, job)?.0)),
            })
            .collect();
        Some((first, later))
    }

    /// With [`Live::apply_first`], where each of `jobs` goes: before the
    /// reload if it renders a saved page or a file open in the browser (or
    /// has no output path). A page's job is told by its folder, so its
    /// path is not made: 10,000 of the 13,500 jobs at 10k.
    fn placed(&self, jobs: &[Job]) -> Option<Vec<Placed>> {
        let open = self.open.as_ref()?;
        let site = &self.state.as_ref()?.site;
        let saved: HashSet<usize> = self
            .pending_pages
            .iter()
            .filter_map(|rel| site.by_rel.get(rel).copied())
            .collect();
        let open_folders: HashSet<&str> = open
            .iter()
            .filter_map(|path| path.strip_suffix("index.html"))
            .collect();
        let placed = jobs
            .par_iter()
            .map(|&job| match job {
                Job::Page(i) => match site.pages.get(i) {
                    Some(page)
                        if !saved.contains(&i) && !open_folders.contains(page.path.as_str()) =>
                    {
                        Placed::Later(None)
                    }
                    _ => Placed::First,
                },
                _ => match crate::render::target(site, job) {
                    Some((path, _)) if !open.contains(&path) => Placed::Later(Some(path)),
                    _ => Placed::First,
                },
            })
            .collect();
        Some(placed)
    }

    fn apply_changes(&mut self, paths: &[(PathBuf, bool)]) -> Result<Option<Outcome>, Errors> {
        let started = Instant::now();
        let kinds: Vec<ChangeKind> = paths
            .iter()
            .map(|(p, is_dir)| classify(&self.options.root, p, *is_dir))
            .filter(|k| *k != ChangeKind::Ignored)
            .collect();
        if kinds.is_empty() {
            return Ok(None);
        }
        // A picture is processed with the others: its files and size
        // reach the pages that show it.
        let structural = kinds.iter().any(|k| match k {
            ChangeKind::Config | ChangeKind::Template | ChangeKind::ContentTree => true,
            ChangeKind::Asset(rel) => crate::images::is_raster(rel),
            _ => false,
        });
        let only_templates = kinds.iter().all(|k| *k == ChangeKind::Template);
        let fresh_theme = !self.theme_stale;
        // A template or site.yaml edit must reach the templates: the
        // compiled theme is kept only while neither changed.
        if kinds
            .iter()
            .any(|k| matches!(k, ChangeKind::Config | ChangeKind::Template))
        {
            self.theme_stale = true;
        }
        // A site in several languages is assembled again whole on every
        // change (an original's edit shows in its translations: facts,
        // links, the switcher), but renders only the pages of the edited
        // source in each language (`rebuild_changed`). A translation saved
        // in a site of one language makes it a site of two: all of it.
        let multilingual = self.state.as_ref().is_some_and(|s| !s.languages.is_empty());
        let first_translation = !multilingual
            && kinds.iter().any(|k| {
                matches!(k, ChangeKind::Page(rel)
                    if crate::content::translation::split_name(rel).is_some())
            });
        let pending = !self.pending_pages.is_empty() || !self.pending_assets.is_empty();
        if only_templates && fresh_theme && !multilingual && !pending && !self.needs_full {
            if let Some(outcome) = self.templates_in_place(paths, started)? {
                return Ok(Some(outcome));
            }
        }
        if structural
            || first_translation
            || self.needs_full
            || self.state.is_none()
            || self.content.is_none()
        {
            return self.full().map(Some);
        }
        let statics: Vec<&String> = kinds
            .iter()
            .filter_map(|k| match k {
                ChangeKind::ThemeStatic { rel, .. } => Some(rel),
                _ => None,
            })
            .collect();
        // Saves a failed rebuild left unwritten come first.
        if statics.len() == kinds.len() && !pending {
            return self.copy_statics(&statics, started).map(Some);
        }
        let mut errors = Errors::default();
        let mut pages = Vec::new();
        let mut assets = Vec::new();
        for kind in &kinds {
            match kind {
                ChangeKind::Page(rel) => {
                    self.reload_page(rel, &mut errors);
                    pages.push(rel.clone());
                }
                ChangeKind::Asset(rel) => {
                    self.reload_asset(rel);
                    assets.push(rel.clone());
                }
                _ => {}
            }
        }
        // Files still broken from an earlier save keep the site broken: a
        // good save elsewhere must not clear their error or drop their page.
        let still_broken: Vec<String> = self
            .content
            .as_ref()
            .map(|c| {
                c.broken
                    .iter()
                    .filter(|b| !pages.contains(b))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        for rel in &still_broken {
            self.reload_page(rel, &mut errors);
        }
        for rel in pages.drain(..) {
            if !self.pending_pages.contains(&rel) {
                self.pending_pages.push(rel);
            }
        }
        for rel in assets.drain(..) {
            if !self.pending_assets.contains(&rel) {
                self.pending_assets.push(rel);
            }
        }
        let pages = self.pending_pages.clone();
        let assets = self.pending_assets.clone();
        if !errors.is_empty() {
            return Err(errors);
        }
        if let [rel] = pages.as_slice() {
            // In place edits one language's site, which others borrow from.
            // A template that failed to compile keeps the site broken: the
            // rebuild compiles the theme again and says so.
            if statics.is_empty() && kinds.len() == 1 && !pending && !multilingual && fresh_theme {
                if let Some(outcome) = self.in_place(rel, started)? {
                    return Ok(Some(outcome));
                }
            }
        }
        let mut outcome = self.rebuild_changed(&pages, started)?;
        outcome.written += self.sync_assets(&assets)?;
        Ok(Some(outcome))
    }

    /// Copies changed files from beside the pages into the output, or
    /// removes them there when they are gone.
    fn sync_assets(&mut self, rels: &[String]) -> Result<usize, Errors> {
        let mut copies = Vec::new();
        let mut gone = Vec::new();
        for rel in rels {
            let source = self.content_path(rel);
            if source.is_file() {
                let bytes = std::fs::read(&source).map_err(|e| io_error(&source, e))?;
                copies.push((rel.clone(), bytes));
            } else {
                gone.push(rel);
            }
        }
        let written = self.write_all(&copies)?;
        for rel in gone {
            self.written.remove(rel);
            let _ = std::fs::remove_file(self.out.join(rel));
        }
        Ok(written)
    }

    /// A file under `content/` by its path from there.
    fn content_path(&self, rel: &str) -> PathBuf {
        self.options
            .root
            .join(crate::content::CONTENT_DIR)
            .join(rel)
    }

    fn reload_page(&mut self, rel: &str, errors: &mut Errors) {
        if crate::content::translation::split_name(rel).is_some() {
            self.reload_translation(rel, errors);
            return;
        }
        self.reload_original(rel, errors);
        // A translation holds its original's facts (a clinic's phone...):
        // read it again with them.
        let Some(state) = self.state.as_ref() else {
            return;
        };
        let stem = rel.strip_suffix(".md").unwrap_or(rel);
        let mut translations: Vec<String> = state
            .site
            .config
            .languages
            .iter()
            .map(|l| format!("{stem}.{}.md", l.file_code()))
            .filter(|t| std::fs::symlink_metadata(self.content_path(t)).is_ok())
            .collect();
        if let Some(content) = self.content.as_ref() {
            translations.extend(
                content
                    .translations
                    .iter()
                    .filter(|t| t.key() == rel)
                    .map(|t| t.rel.clone()),
            );
        }
        translations.sort();
        translations.dedup();
        for translation in translations {
            self.reload_translation(&translation, errors);
        }
    }

    /// A translation read again and put with its original, in the order
    /// a full build reads them.
    fn reload_translation(&mut self, rel: &str, errors: &mut Errors) {
        let exists = std::fs::symlink_metadata(self.content_path(rel)).is_ok();
        let root = self.options.root.clone();
        let Some(content) = self.content.as_mut() else {
            return;
        };
        content.translations.retain(|p| p.rel != rel);
        content.broken.retain(|b| b != rel);
        if !exists {
            return;
        }
        match crate::content::load_translation(&root, rel, &content.pages, &content.broken) {
            Ok(page) => {
                let key = crate::content::path_order(&page.rel);
                let at = content
                    .translations
                    .partition_point(|p| crate::content::path_order(&p.rel) < key);
                content.translations.insert(at, page);
            }
            Err(more) => {
                // Kept broken, so a later save elsewhere still says so.
                content.broken.push(rel.to_string());
                errors.extend(more);
            }
        }
    }

    fn reload_original(&mut self, rel: &str, errors: &mut Errors) {
        // There in any form: a FIFO or a link is an error, as in a build.
        let exists = std::fs::symlink_metadata(self.content_path(rel)).is_ok();
        let Some(content) = self.content.as_mut() else {
            return;
        };
        content.pages.retain(|p| p.rel != rel);
        content.broken.retain(|b| b != rel);
        if !exists {
            return;
        }
        match crate::content::load_page(&self.options.root, rel) {
            // In the order a full build reads them (`walk_sorted`), which
            // decides between pages that sort alike.
            Ok(page) => {
                let key = crate::content::path_order(&page.rel);
                let at = content
                    .pages
                    .partition_point(|p| crate::content::path_order(&p.rel) < key);
                content.pages.insert(at, page);
            }
            Err(err) => {
                content.broken.push(rel.to_string());
                errors.push(err);
            }
        }
    }

    fn reload_asset(&mut self, rel: &str) {
        let source = self.content_path(rel);
        let Some(content) = self.content.as_mut() else {
            return;
        };
        content.assets.retain(|a| a.rel != rel);
        if source.is_file() {
            content.assets.push(Asset {
                source,
                rel: rel.to_string(),
                cached: false,
            });
        }
    }

    /// An edit of one page that moves nothing, applied to the live site
    /// without assembling it again: a new body (the common case, a writer
    /// typing) with the same headings, and front matter that differs only
    /// in what its own page and the lists showing it display (see
    /// `in_place`), even if that moves an article among those of its date.
    /// Renders its page and the feed, and when its summary changed, every
    /// output file that shows it. `None` when the change is not that.
    fn in_place(&mut self, rel: &str, started: Instant) -> Result<Option<Outcome>, Errors> {
        let (Some(state), Some(content)) = (self.state.as_mut(), self.content.as_ref()) else {
            return Ok(None);
        };
        let Some((source, i, delta)) = edit_delta(&state.site, content, rel) else {
            return Ok(None);
        };
        let Some(page) = state.site.pages.get(i) else {
            return Ok(None);
        };
        let location = matches!(*source.meta, Meta::Location(_));
        let field = if location { "locations" } else { "articles" };
        // Shortcodes are rendered into every page's body: one showing
        // `site.articles` would make every page change. A clinic's
        // details re-render the pages that call a shortcode showing them.
        let mut using = Vec::new();
        let mut deps = match delta.summary {
            false => None,
            true => {
                let deps = self
                    .deps
                    .get_or_insert_with(|| Deps::new(&state.site, &state.theme));
                if location {
                    using = deps.pages_calling_shortcodes_reading(&state.site, field);
                } else if deps.shortcodes_read("articles")
                    || (delta.terms && deps.shortcodes_read("taxonomies"))
                {
                    return Ok(None);
                }
                Some(deps)
            }
        };
        let moved = match delta.title || delta.date {
            true => match in_place::plan_move(&state.site, i, source, self.options.drafts) {
                Some(moved) => Some(moved),
                None => return Ok(None),
            },
            false => None,
        };
        // New terms with a new place in the lists: not both at once.
        let relist = match delta.terms {
            false => None,
            true if moved.is_some() => return Ok(None),
            true => match in_place::plan_terms(&state.site, i, source) {
                Some(relist) => Some(relist),
                None => return Ok(None),
            },
        };
        let people = match delta.people {
            true => match in_place::people(&state.site, &source.meta) {
                Some(people) => Some(people),
                None => return Ok(None),
            },
            false => None,
        };
        let (body, errors) =
            in_place::render_body(&state.site, &state.templates, &state.theme, source);
        if body.headings != page.body.headings {
            return Ok(None);
        }
        let mut errors = errors;
        if let Meta::Location(meta) = &*source.meta {
            let site = &state.site;
            let authors: Vec<&str> = site
                .authors
                .iter()
                .filter_map(|&a| site.pages.get(a))
                .map(|p| p.source.file_slug.as_str())
                .collect();
            crate::location::check(source, meta, &authors, &mut errors);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let is_article = matches!(*source.meta, Meta::Article(_));
        let source = source.clone();
        let mut body = body;
        let words = state
            .search
            .is_some()
            .then(|| std::sync::Arc::new(crate::site::body_words(&state.site.lexicon, &mut body)));
        body.text = String::new();
        let mut authors = Vec::new();
        // Kept up to date for the files rendered here (the others' bytes
        // and inputs stay as they were), if all goes well.
        let outputs = self.outputs.take();
        if let Some(page) = state.site.pages.get_mut(i) {
            page.source = source;
            page.body = std::sync::Arc::new(body);
            page.expanded = None;
            page.words = words;
            if let Some((author, reviewer)) = people {
                authors.extend(page.refs.author.into_iter().chain(author));
                page.refs.author = author;
                page.refs.reviewer = reviewer;
            }
        }
        let before = in_place::positions(&state.site, i);
        let mut relisted = Vec::new();
        if let (Some(moved), Some(deps)) = (&moved, deps.as_deref_mut()) {
            if !moved.passed.is_empty() {
                moved.apply(&mut state.site, i);
                let candidates = in_place::list_candidates(&state.site, i, &moved.passed, deps);
                relisted = deps.refresh(&state.site, &candidates);
            }
        }
        // The list pages a term loses, by output path, found before it
        // loses them.
        let mut dropped = Vec::new();
        if let (Some(relist), Some(deps)) = (&relist, deps.as_deref_mut()) {
            dropped.extend(
                relist
                    .dropped
                    .iter()
                    .filter_map(|&job| crate::render::target(&state.site, job))
                    .map(|(path, _)| path),
            );
            relist.apply(&mut state.site, i);
            let candidates = relist.candidates(&state.site, i);
            relisted.extend(deps.refresh(&state.site, &candidates));
            if !dropped.is_empty() || relist.grows {
                deps.retarget(&state.site);
            }
        }
        // The author pages it leaves and joins list other articles.
        if let (false, Some(deps)) = (authors.is_empty(), deps.as_deref_mut()) {
            relisted.extend(deps.refresh(&state.site, &authors));
        }
        let site = &state.site;
        let (mut jobs, expand) = in_place_jobs(
            site,
            i,
            is_article,
            delta,
            deps.as_deref(),
            &before,
            &relisted,
            (field, &using),
        );
        if let (Some(relist), Some(deps)) = (&relist, deps.as_deref()) {
            jobs.extend(relist.jobs(site));
            jobs.extend(deps.reading("taxonomies"));
            // A term's date there is its newest article's.
            jobs.push(Job::Sitemap);
        }
        if deps.is_some() {
            state.templates.replace_summaries(site, &[i]);
        }
        let jobs = in_place::dedup(jobs);
        crate::render::expand_shortcodes_in(&state.templates, &mut state.site, &expand)?;
        if let Some(index) = state.search.as_mut() {
            let language = crate::search::Language::new(&state.site.config.language);
            match index.update(&state.site, &language, rel) {
                Some(files) => self.search_files = output(files),
                None => {
                    state.search = index_again(&self.options.root, &state.site)?;
                    self.search_files = state
                        .search
                        .as_mut()
                        .map(all_search_files)
                        .unwrap_or_default();
                }
            }
        }
        let outcome = self.render_and_write(&jobs, &[], false, started)?;
        self.remove_outputs(&dropped);
        let mut outputs = outputs;
        if let Some(outputs) = outputs.as_mut() {
            outputs.forget(&dropped);
        }
        self.outputs = outputs;
        self.outputs_behind.extend(jobs);
        Ok(Some(Outcome {
            changed: vec![rel.to_string()],
            ..outcome
        }))
    }

    /// Makes `outputs` take the files edits in place rendered since it
    /// last did, from the site as it is (no page come or gone since).
    fn catch_up_outputs(&mut self) {
        if self.outputs_behind.is_empty() {
            return;
        }
        let jobs = in_place::dedup(std::mem::take(&mut self.outputs_behind));
        let outputs = self.outputs.take();
        self.outputs = self.updated(outputs, &jobs);
    }

    /// `outputs` with the files of `jobs` (just rendered) made from what
    /// they show now.
    fn updated(
        &self,
        outputs: Option<outputs::Fingerprints>,
        jobs: &[Job],
    ) -> Option<outputs::Fingerprints> {
        let (mut outputs, state, graph) = (
            outputs?,
            self.state.as_ref()?,
            self.template_graph.as_ref()?,
        );
        if self.theme_stale {
            return None;
        }
        outputs.update(
            &state.templates,
            &state.site,
            &outputs::Reads::new(graph),
            jobs,
        );
        Some(outputs)
    }

    /// An edit of templates (not shortcodes, `theme.yaml`, strings or the
    /// share card) that adds or removes no file of the theme: compiles the
    /// templates again and renders only the output files of the templates
    /// that reach an edited one (through `extends` and `include`). `None`
    /// when that cannot be told, or the edit is another.
    fn templates_in_place(
        &mut self,
        paths: &[(PathBuf, bool)],
        started: Instant,
    ) -> Result<Option<Outcome>, Errors> {
        let (Some(state), Some(before)) = (self.state.as_ref(), self.template_graph.as_ref())
        else {
            return Ok(None);
        };
        let config = &state.site.config;
        let place = Place::at(crate::config::CONFIG_FILE, config.theme_line, Some(1));
        // An error is the full build's to report.
        let Ok(theme) = crate::theme::load(&self.options.root, &config.theme, place) else {
            return Ok(None);
        };
        if !same_files(&state.theme, &theme) {
            return Ok(None);
        }
        let mut changed = Vec::new();
        for (path, _) in paths {
            let name = theme
                .templates
                .iter()
                .find_map(|(name, file)| match &file.source {
                    crate::theme::FileSource::Disk(disk) if disk == path => Some(name.clone()),
                    _ => None,
                });
            match name {
                Some(name) => changed.push(name),
                None => return Ok(None),
            }
        }
        let after = deps::TemplateGraph::new(&theme);
        let Some(reached) = before.reached(&after, &changed) else {
            return Ok(None);
        };
        // Shortcodes are expanded into page bodies: those reaching an
        // edited template are expanded in a rebuild.
        if reached.iter().any(|name| name.starts_with("shortcodes/")) {
            return Ok(None);
        }
        let site = &state.site;
        let jobs: Vec<Job> = crate::render::jobs(site)
            .into_iter()
            .filter(|&job| {
                crate::render::target(site, job)
                    .is_some_and(|(_, template)| reached.contains(template))
            })
            .collect();
        let outputs = self.outputs.take();
        let Some(state) = self.state.as_mut() else {
            return Ok(None);
        };
        state.templates.reload(&theme)?;
        if let Some(deps) = self.deps.as_mut() {
            deps.set_theme(&theme);
        }
        state.theme = theme;
        self.template_graph = Some(after);
        self.theme_stale = false;
        // A page that fails to render leaves the output behind the
        // templates: the next change builds everything.
        self.needs_full = true;
        let outcome = self.render_and_write(&jobs, &[], false, started)?;
        self.needs_full = false;
        self.outputs = self.updated(outputs, &jobs);
        Ok(Some(outcome))
    }

    /// Re-assembles the site; renders only the changed pages (plus feed and
    /// sitemap) when what templates see of the whole site is unchanged and
    /// no page came, went or moved; else everything.
    fn rebuild_changed(&mut self, changed: &[String], started: Instant) -> Result<Outcome, Errors> {
        // What each output file was made from, to render only those a
        // change of pages' places, terms or lists reaches.
        let mut earlier = match self.outputs.take() {
            Some(outputs) => Some(outputs),
            None => self.fingerprints(),
        };
        let mut reads = self.template_graph.as_ref().map(outputs::Reads::new);
        let mut reshape = None;
        // Which pages show which stays good for the pages that did not
        // change, while every page keeps its index.
        let mut deps = self.deps.take();
        let after_reload = self.open.is_some();
        let Some(previous) = self.state.as_ref() else {
            return self.rebuild_all(Errors::default(), started);
        };
        // A translation's edit and its original's reach the same pages:
        // those of the original's key in every language.
        let keys: Vec<String> = changed
            .iter()
            .map(|rel| {
                let translation = self
                    .content
                    .as_ref()
                    .and_then(|c| c.translations.iter().find(|t| t.rel == *rel));
                match translation {
                    Some(t) => t.key().to_string(),
                    None => crate::content::translation::split_name(rel)
                        .map_or_else(|| rel.clone(), |(_, original)| original),
                }
            })
            .collect();
        // One article come or gone: the live index takes it, not built
        // again. Taken now (the last site's fingerprints are made), and
        // given back if the site does not assemble.
        let kept = match (changed, previous.languages.is_empty()) {
            ([rel], true) => self
                .state
                .as_mut()
                .and_then(|s| s.search.take())
                .map(|index| (index, rel.clone())),
            _ => None,
        };
        let outcome =
            self.rebuild_all_with(Errors::default(), started, kept, |new, previous| {
                if previous.is_none_or(|previous| reshaped(previous, new)) {
                    let (Some(earlier), Some(reads), Some(previous)) =
                        (earlier.take(), reads.take(), previous)
                    else {
                        return Chosen::Everything;
                    };
                    if !new.languages.is_empty() {
                        return Chosen::Everything;
                    }
                    let compared = Compared {
                        earlier,
                        reads,
                        deps: deps.take(),
                    };
                    if after_reload {
                        return Chosen::AfterReload(Box::new(compared));
                    }
                    let now = compared.reshape(previous, new);
                    let jobs = now.jobs.clone();
                    reshape = Some(now);
                    return Chosen::Jobs(vec![jobs]);
                }
                let jobs = std::iter::once(new)
                    .chain(&new.languages)
                    .map(|language| {
                        let site = &language.site;
                        let mut jobs: Vec<Job> = site
                            .pages
                            .iter()
                            .enumerate()
                            .filter(|(_, p)| {
                                !site.is_borrowed(p) && keys.iter().any(|k| k == p.source.key())
                            })
                            .map(|(i, p)| match *p.source.meta {
                                Meta::Home(_) => Job::Home,
                                _ => Job::Page(i),
                            })
                            .collect();
                        jobs.push(Job::Feed);
                        // One sitemap for every language: the default's.
                        if site.config.prefix.is_empty() {
                            jobs.push(Job::Sitemap);
                        }
                        jobs
                    })
                    .collect();
                Chosen::Jobs(jobs)
            })?;
        if let Some(reshape) = reshape {
            self.remove_outputs(&reshape.gone);
            self.deps = reshape.deps;
            self.outputs = Some(reshape.made);
        }
        Ok(Outcome {
            changed: changed.to_vec(),
            ..outcome
        })
    }

    fn rebuild_all(&mut self, errors: Errors, started: Instant) -> Result<Outcome, Errors> {
        self.rebuild_all_with(errors, started, None, |_, _| Chosen::Everything)
    }

    /// Assembles from `self.content`, then renders what `choose` picks.
    /// `kept`: the last site's search index and the one file that changed
    /// since, for the index to take that page if it came or went (given
    /// back to the last site on an error).
    fn rebuild_all_with(
        &mut self,
        errors: Errors,
        started: Instant,
        kept: Option<(crate::search::Index, String)>,
        choose: impl FnOnce(&Prepared, Option<&Prepared>) -> Chosen,
    ) -> Result<Outcome, Errors> {
        let indexing = match kept {
            Some(_) => crate::Indexing::Deferred,
            None => crate::Indexing::Build,
        };
        let mut prepared = match self.assemble_again(errors, indexing) {
            Ok(prepared) => prepared,
            Err(errors) => {
                self.give_back(kept.map(|(index, _)| index));
                return Err(errors);
            }
        };
        if let Some((mut index, rel)) = kept {
            let language = crate::search::Language::new(&prepared.site.config.language);
            if index
                .take_new_or_gone(&prepared.site, &language, &rel)
                .is_some()
            {
                prepared.search = Some(index);
            } else {
                match index_again(&self.options.root, &prepared.site) {
                    Ok(search) => prepared.search = search,
                    Err(errors) => {
                        self.give_back(Some(index));
                        return Err(errors);
                    }
                }
            }
        }
        self.finish_rebuild(prepared, started, choose)
    }

    /// The site assembled again from `self.content`, with the theme kept
    /// unless it changed.
    fn assemble_again(
        &self,
        errors: Errors,
        indexing: crate::Indexing,
    ) -> Result<Prepared, Errors> {
        let options = &self.options;
        let config = crate::config::Config::load(&options.root, options.base_url.as_deref())?;
        let reuse_theme = self
            .state
            .as_ref()
            .filter(|s| !self.theme_stale && s.site.config.theme == config.theme)
            .map(|s| (s.templates.clone(), s.theme.clone()));
        let (templates, theme) = match reuse_theme {
            Some(t) if errors.is_empty() => t,
            _ => match crate::load_theme(options, &config) {
                Ok(t) => t,
                Err(mut e) => {
                    e.extend(errors);
                    return Err(e);
                }
            },
        };
        let content = self
            .content
            .as_ref()
            .map(Content::par_clone)
            .unwrap_or_default();
        let previous = self.state.as_ref().map(|s| &s.site);
        let loaded = crate::Loaded {
            config,
            content,
            errors,
            templates,
            theme,
        };
        crate::assemble(options, loaded, previous, crate::Purpose::Serve, indexing)
    }

    /// Puts the last site's search index back, taken for a rebuild that
    /// failed.
    fn give_back(&mut self, index: Option<crate::search::Index>) {
        if let (Some(index), Some(state)) = (index, self.state.as_mut()) {
            state.search = Some(index);
        }
    }

    /// Takes the site assembled again: renders what `choose` picks (see
    /// `rebuild_all_with`) and keeps the site for the next change.
    fn finish_rebuild(
        &mut self,
        mut prepared: Prepared,
        started: Instant,
        choose: impl FnOnce(&Prepared, Option<&Prepared>) -> Chosen,
    ) -> Result<Outcome, Errors> {
        // Only now: a failed assembly keeps the old templates in `state`.
        self.template_graph = Some(deps::TemplateGraph::new(&prepared.theme));
        self.theme_stale = false;
        let chosen = choose(&prepared, self.state.as_ref());
        let full = matches!(chosen, Chosen::Everything);
        self.deps = None;
        self.outputs = None;
        // A new index: all its files, of which only the changed are
        // written. A reshaped site's, after the reload.
        self.search_files = match chosen {
            Chosen::AfterReload(_) => Vec::new(),
            _ => index_files(&mut prepared),
        };
        let previous = self.state.replace(prepared);
        match chosen {
            Chosen::AfterReload(compared) => match previous {
                Some(previous) => self.first_of_reshaped(*compared, previous, started),
                None => self.render_everything(started),
            },
            Chosen::Jobs(jobs) => {
                let_go(previous);
                let mut jobs = jobs.into_iter();
                let first = jobs.next().unwrap_or_default();
                let more: Vec<Vec<Job>> = jobs.collect();
                self.render_and_write(&first, &more, false, started)
            }
            Chosen::Everything => {
                let_go(previous);
                self.render_everything(started)
            }
        }
        .map(|outcome| Outcome {
            full,
            assembled: true,
            ..outcome
        })
    }

    /// Renders and writes every file of every language, and removes the
    /// files no build would write.
    fn render_everything(&mut self, started: Instant) -> Result<Outcome, Errors> {
        let jobs = self
            .state
            .as_ref()
            .map(|s| crate::render::jobs(&s.site))
            .unwrap_or_default();
        self.render_and_write(&jobs, &[], true, started)
    }

    /// Renders and writes the saved and open pages of a site whose pages
    /// came, went or moved; which other files changed is found after the
    /// reload ([`Live::finish_deferred`]). Until then every rendered file
    /// is held back, but for those written now.
    fn first_of_reshaped(
        &mut self,
        compared: Compared,
        previous: Prepared,
        started: Instant,
    ) -> Result<Outcome, Errors> {
        let Some(state) = self.state.as_ref() else {
            return Ok(Outcome::default());
        };
        let all = crate::render::jobs(&state.site);
        let first = self
            .placed(&all)
            .map(|placed| first_placed(&all, &placed))
            .unwrap_or_default();
        let written: HashSet<String> = first
            .iter()
            .filter_map(|&job| crate::render::target(&state.site, job))
            .map(|(path, _)| path)
            .collect();
        let outcome = match self.render_and_write_part(&first, &[], false, false, started) {
            Ok(outcome) => outcome,
            Err(errors) => {
                // What the last site's files were made from is gone with it.
                self.needs_full = true;
                return Err(errors);
            }
        };
        self.deferred = Later::Reshaped(Box::new(Reshaped {
            compared,
            previous,
            done: first,
            written,
        }));
        Ok(Outcome {
            deferred: self.deferred.told(),
            ..outcome
        })
    }

    /// Renders `jobs` of the default language and `more` of the others
    /// (in their order) into memory; only when all succeed are they
    /// written. `everything` renders every file of every language, copies
    /// statics and assets and removes stale files.
    fn render_and_write(
        &mut self,
        jobs: &[Job],
        more: &[Vec<Job>],
        everything: bool,
        started: Instant,
    ) -> Result<Outcome, Errors> {
        match self.split_first(jobs, everything) {
            Some((first, later)) => {
                let outcome = self.render_and_write_part(&first, more, false, false, started)?;
                self.deferred = Later::Files(later);
                Ok(Outcome {
                    deferred: self.deferred.told(),
                    ..outcome
                })
            }
            None => self.render_and_write_part(jobs, more, everything, true, started),
        }
    }

    /// [`Live::render_and_write`] of the jobs given; the search index's
    /// files only `with_search`.
    fn render_and_write_part(
        &mut self,
        jobs: &[Job],
        more: &[Vec<Job>],
        everything: bool,
        with_search: bool,
        started: Instant,
    ) -> Result<Outcome, Errors> {
        let Some(state) = self.state.as_ref() else {
            return Ok(Outcome::default());
        };
        let sink = MemorySink::default();
        // Before a reload, a card not drawn before waits (the browser shows
        // none); after it, every card left is drawn.
        let cards_now = match self.open {
            Some(_) => crate::render::CardsNow::Cached,
            None => crate::render::CardsNow::All,
        };
        if !jobs.is_empty() {
            let rendered = crate::render::render_jobs_with(
                &state.templates,
                &state.site,
                jobs,
                &sink,
                cards_now,
            )?;
            self.cards_left.extend(rendered.cards_left);
        }
        if cards_now == crate::render::CardsNow::All && !self.cards_left.is_empty() {
            crate::render::draw_cards(&state.templates, &state.site, &self.cards_left, &sink)?;
            self.cards_left.clear();
        }
        for (n, language) in state.languages.iter().enumerate() {
            let all;
            let jobs = if everything {
                all = crate::render::jobs(&language.site);
                &all
            } else {
                match more.get(n) {
                    Some(jobs) => jobs,
                    None => continue,
                }
            };
            crate::render::render_jobs(&language.templates, &language.site, jobs, &sink)?;
        }
        let MemorySink { files, cached } = sink;
        let mut files: Vec<OutputFile> = files.into_inner().unwrap_or_default();
        let mut cards = Vec::new();
        let mut unchanged_cards = Vec::new();
        for (rel, source) in cached.into_inner().unwrap_or_default() {
            let unchanged = self.cards.get(&rel).is_some_and(|(was, hash)| {
                *was == source && self.written.get(&rel) == Some(&Some(*hash))
            }) && self.out.join(&rel).is_file();
            if unchanged {
                unchanged_cards.push(rel);
                continue;
            }
            let bytes = crate::render::read_cached(&source)?;
            files.push(OutputFile {
                path: rel.clone(),
                bytes,
            });
            cards.push((rel, source));
        }
        if everything {
            for (rel, file) in &state.theme.statics {
                let bytes = file.read().map_err(|e| io_error(&file.shown, e))?;
                files.push(OutputFile {
                    path: rel.clone(),
                    bytes,
                });
            }
            for asset in &state.site.assets {
                let bytes = std::fs::read(&asset.source).map_err(|e| io_error(&asset.source, e))?;
                files.push(OutputFile {
                    path: asset.rel.clone(),
                    bytes,
                });
            }
        }
        let rendered = files.len() + unchanged_cards.len();
        // The index files a change made (only those whose bytes changed
        // are written); those it no longer has are removed.
        if with_search {
            files.append(&mut self.search_files);
        }
        let search_now: Option<HashSet<String>> = with_search.then(|| {
            std::iter::once(state)
                .chain(&state.languages)
                .filter_map(|s| s.search.as_ref())
                .flat_map(|i| i.paths())
                .collect()
        });
        let keep: HashSet<String> = files
            .iter()
            .map(|f| f.path.clone())
            .chain(unchanged_cards)
            .collect();
        let files: Vec<(String, Vec<u8>)> = files.into_iter().map(|f| (f.path, f.bytes)).collect();
        let written = self.write_all(&files)?;
        for (rel, source) in cards {
            if let Some(Some(hash)) = self.written.get(&rel) {
                self.cards.insert(rel, (source, *hash));
            }
        }
        if let Some(search_now) = search_now {
            if !everything {
                for gone in self.search_paths.difference(&search_now) {
                    self.written.remove(gone);
                    let _ = std::fs::remove_file(self.out.join(gone));
                }
            }
            self.search_paths = search_now;
        }
        if everything {
            self.remove_stale(&keep);
        }
        Ok(Outcome {
            rendered,
            written,
            full: everything,
            assembled: false,
            css_only: false,
            changed: Vec::new(),
            elapsed: started.elapsed(),
            deferred: Deferred::Nothing,
        })
    }

    fn copy_statics(&mut self, rels: &[&String], started: Instant) -> Result<Outcome, Errors> {
        let Some(state) = self.state.as_ref() else {
            return self.full();
        };
        // A new or deleted static file changes the theme: reload it all.
        let Some(files) = rels
            .iter()
            .map(|rel| state.theme.statics.get(*rel))
            .collect::<Option<Vec<_>>>()
        else {
            return self.full();
        };
        let mut copies = Vec::new();
        for (rel, file) in rels.iter().zip(files) {
            match file.read() {
                Ok(bytes) => copies.push(((*rel).clone(), bytes)),
                Err(_) => return self.full(),
            }
        }
        let written = self.write_all(&copies)?;
        Ok(Outcome {
            rendered: copies.len(),
            written,
            full: false,
            assembled: false,
            css_only: rels.iter().all(|r| r.ends_with(".css")),
            changed: Vec::new(),
            elapsed: started.elapsed(),
            deferred: Deferred::Nothing,
        })
    }

    /// Writes the files whose bytes are not there already; returns how
    /// many. All or nothing, so the preview keeps showing the last good
    /// site when the disk is full or read-only: each file is written
    /// beside its place first, and only when every one is written are they
    /// renamed into place. On a failure the files written so far are
    /// removed, and the next rebuild builds everything (the site in memory
    /// is then ahead of the disk).
    fn write_all(&mut self, files: &[(String, Vec<u8>)]) -> Result<usize, Errors> {
        use rayon::prelude::*;
        // Each file beside its place, in parallel: after an edit that
        // reaches most pages, thousands are written, and copying their
        // bytes was one core's work.
        let (out, written) = (&self.out, &self.written);
        let staged: Vec<(&str, u64, Staged)> = files
            .par_iter()
            .map(|(rel, bytes)| {
                let hash = xxhash_rust::xxh3::xxh3_64(bytes);
                let target = out.join(rel);
                let same = match written.get(rel) {
                    Some(Some(written)) => *written == hash && target.is_file(),
                    // Left by an earlier run: comparing costs less than writing.
                    Some(None) => std::fs::read(&target).is_ok_and(|old| old == *bytes),
                    None => false,
                };
                if same {
                    return (rel.as_str(), hash, Staged::Same);
                }
                let temporary = temporary_path(&target);
                let result = match target.parent() {
                    Some(dir) => std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e)),
                    None => Ok(()),
                }
                .and_then(|()| {
                    std::fs::write(&temporary, bytes).map_err(|e| io_error(&temporary, e))
                });
                let staged = match result {
                    Ok(()) => Staged::Written(temporary),
                    Err(e) => Staged::Failed(temporary, e),
                };
                (rel.as_str(), hash, staged)
            })
            .collect();
        let mut failure = None;
        for (rel, hash, staged) in &staged {
            match staged {
                Staged::Same => {
                    self.written.insert((*rel).to_string(), Some(*hash));
                }
                Staged::Failed(_, e) if failure.is_none() => failure = Some(e.clone()),
                _ => {}
            }
        }
        if let Some(error) = failure {
            for (_, _, staged) in &staged {
                if let Staged::Written(temporary) | Staged::Failed(temporary, _) = staged {
                    let _ = std::fs::remove_file(temporary);
                }
            }
            return Err(self.lost(error));
        }
        let renamed: Vec<Result<(&str, u64), Errors>> = staged
            .par_iter()
            .filter_map(|(rel, hash, staged)| match staged {
                Staged::Written(temporary) => Some((*rel, *hash, temporary)),
                _ => None,
            })
            .map(|(rel, hash, temporary)| {
                let target = out.join(rel);
                std::fs::rename(temporary, &target)
                    .map(|()| (rel, hash))
                    .map_err(|e| {
                        let _ = std::fs::remove_file(temporary);
                        io_error(&target, e)
                    })
            })
            .collect();
        let mut count = 0;
        for result in renamed {
            match result {
                Ok((rel, hash)) => {
                    self.written.insert(rel.to_string(), Some(hash));
                    count += 1;
                }
                Err(e) if failure.is_none() => failure = Some(e),
                Err(_) => {}
            }
        }
        match failure {
            None => Ok(count),
            Some(error) => Err(self.lost(error)),
        }
    }

    /// After a failed write: the site in memory is ahead of the disk, so
    /// the next change builds everything.
    fn lost(&mut self, error: Errors) -> Errors {
        self.state = None;
        self.deps = None;
        error
    }

    /// Deletes files of earlier builds that this one did not write, and
    /// folders left empty.
    fn remove_stale(&mut self, keep: &HashSet<String>) {
        let stale: Vec<String> = self
            .written
            .keys()
            .filter(|k| !keep.contains(*k))
            .cloned()
            .collect();
        self.remove_files(&stale);
    }

    /// Deletes the output files of pages and lists a change did away with
    /// (`outputs`), but any a file of the theme or content now has.
    fn remove_outputs(&mut self, gone: &[String]) {
        let Some(state) = self.state.as_ref() else {
            return;
        };
        if gone.is_empty() {
            return;
        }
        let assets: HashSet<&str> = state.site.assets.iter().map(|a| a.rel.as_str()).collect();
        let gone: Vec<String> = gone
            .iter()
            .filter(|rel| !assets.contains(rel.as_str()) && !state.theme.statics.contains_key(*rel))
            .cloned()
            .collect();
        self.remove_files(&gone);
    }

    /// Deletes output files, and folders left empty.
    fn remove_files(&mut self, stale: &[String]) {
        for rel in stale {
            self.written.remove(rel);
            let path = self.out.join(rel);
            let _ = std::fs::remove_file(&path);
            let mut dir = path.parent();
            while let Some(d) = dir {
                if d == self.out || std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
    }
}

/// The files a rebuild renders (see `Live::rebuild_all_with`).
enum Chosen {
    /// Every file of every language; stale files are removed.
    Everything,
    /// These in each language, the default one first.
    Jobs(Vec<Vec<Job>>),
    /// Pages came, went or moved, with [`Live::apply_first`]: the saved
    /// and open pages before the reload, which others changed after it.
    AfterReload(Box<Compared>),
}

/// Where [`Live::placed`] puts a job.
enum Placed {
    /// Before the reload.
    First,
    /// After it, with its output path if it was made.
    Later(Option<String>),
}

/// The jobs of `jobs` placed before the reload.
fn first_placed(jobs: &[Job], placed: &[Placed]) -> Vec<Job> {
    jobs.iter()
        .zip(placed)
        .filter(|(_, placed)| matches!(placed, Placed::First))
        .map(|(&job, _)| job)
        .collect()
}

/// Lets the last site go on another thread: freeing 10,000 pages took
/// about 50 ms a reload would wait for. If no thread can be made, it is
/// freed here.
fn let_go(site: Option<Prepared>) {
    if let Some(site) = site {
        let _ = std::thread::Builder::new().spawn(move || drop(site));
    }
}

/// Index files as output files.
fn output(files: Vec<(String, Vec<u8>)>) -> Vec<OutputFile> {
    files
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, bytes })
        .collect()
}

/// The live site's search index built again whole, from the words its
/// pages kept, ready to take edits.
fn index_again(
    root: &Path,
    site: &crate::site::Site,
) -> Result<Option<crate::search::Index>, Errors> {
    let bodies = site.pages.iter().map(|p| p.words.clone()).collect();
    crate::build_search(root, site, bodies, crate::Purpose::Serve, true)
}

fn all_search_files(index: &mut crate::search::Index) -> Vec<OutputFile> {
    output(crate::search::output_files(index))
}

/// Every file of the search index of each language of `prepared`.
fn index_files(prepared: &mut Prepared) -> Vec<OutputFile> {
    std::iter::once(&mut prepared.search)
        .chain(prepared.languages.iter_mut().map(|p| &mut p.search))
        .flatten()
        .flat_map(all_search_files)
        .collect()
}

/// A page's source, URL and old URLs (aliases).
type PagePath = (String, String, Vec<String>);

/// Whether two loads of a theme have the same files (by name), from the
/// same themes.
fn same_files(a: &crate::theme::Theme, b: &crate::theme::Theme) -> bool {
    fn names<T>(map: &std::collections::BTreeMap<String, T>) -> Vec<&String> {
        map.keys().collect()
    }
    a.chain == b.chain
        && names(&a.templates) == names(&b.templates)
        && names(&a.statics) == names(&b.statics)
        && names(&a.shortcodes) == names(&b.shortcodes)
        && names(&a.strings) == names(&b.strings)
        && names(&a.share) == names(&b.share)
}

/// Whether what templates see of the whole site changed in any language,
/// or pages came, went or moved: the fingerprints first, as the pages
/// (10,000 paths at 10k) differ only when they are alike.
fn reshaped(before: &Prepared, now: &Prepared) -> bool {
    fn sites(p: &Prepared) -> impl Iterator<Item = &Prepared> {
        std::iter::once(p).chain(&p.languages)
    }
    before.languages.len() != now.languages.len()
        || sites(before)
            .zip(sites(now))
            .any(|(a, b)| a.site_hash() != b.site_hash())
        || sites(before)
            .zip(sites(now))
            .any(|(a, b)| page_paths(&a.site) != page_paths(&b.site))
}

/// Every page's source, URL and old URLs (aliases), to tell whether pages
/// came, went or moved.
fn page_paths(site: &crate::site::Site) -> Vec<PagePath> {
    let mut paths: Vec<PagePath> = site
        .pages
        .iter()
        .map(|p| {
            let aliases = p.source.meta.aliases().to_vec();
            (p.source.rel.clone(), p.path.clone(), aliases)
        })
        .collect();
    paths.sort();
    paths
}

/// A file of a write: its bytes already there, written beside its place,
/// or not written.
enum Staged {
    Same,
    Written(PathBuf),
    Failed(PathBuf, Errors),
}

/// Where a file of the preview is written before it is renamed into place:
/// beside it, hidden, so the rename is atomic.
fn temporary_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.handout-new"))
}

fn io_error(path: &Path, source: std::io::Error) -> Errors {
    crate::Diagnostic::io(Place::file(path), "cannot write", source).into()
}
