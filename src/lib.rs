//! handout: a static site generator for patient-education websites.
//!
//! The build is a pipeline of stages, one module each, data flowing one way:
//! [`config`] -> [`content`] -> [`markdown`] (called by [`site`]) -> [`site`]
//! -> [`render`] (with [`theme`], [`view`], [`feeds`]) -> [`output`]. This
//! file runs them in order ([`prepare`], [`build`]); the commands
//! ([`check`], [`incremental`], [`serve`], [`scaffold`], [`cli`]) are built
//! on it. A module uses only the modules below it in that order; the order
//! is written out in `tests/architecture.rs`, which enforces it.

pub mod aliases;
pub mod cache;
pub mod cards;
pub mod check;
pub mod cli;
pub mod comparison;
pub mod config;
pub mod content;
pub mod error;
pub mod feeds;
pub mod fingerprint;
pub mod frontmatter;
#[doc(hidden)]
pub mod fuzzing;
pub mod images;
pub mod import;
pub mod incremental;
pub mod json;
pub mod links;
pub mod location;
pub mod markdown;
pub mod memory;
pub mod output;
pub mod phone;
pub mod placeholders;
pub mod readability;
pub mod render;
pub mod rule;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod shortcode;
pub mod site;
pub mod suggest;
pub mod theme;
pub mod timings;
pub mod view;
pub mod words;
pub mod yaml;

use rayon::prelude::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use error::{Errors, Place};

pub use error::Diagnostic;

impl From<Diagnostic> for Errors {
    fn from(error: Diagnostic) -> Self {
        Errors(vec![error])
    }
}

/// What `handout build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding `site.yaml`).
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Articles dated after this day are future-dated; defaults to today.
    pub today: Option<frontmatter::Date>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            today: None,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a build did, for the summary line.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// HTML pages written.
    pub pages: usize,
    /// Every file written, pages included.
    pub files: usize,
    pub left_out: site::LeftOut,
    /// Files written and removed: over an earlier output, only what changed.
    pub changes: output::Changes,
    pub elapsed: Duration,
    /// Each stage's share of `elapsed` (`handout build --timings`).
    pub timings: Vec<timings::Stage>,
}

/// Today's date on this machine.
pub fn today() -> frontmatter::Date {
    frontmatter::Date(jiff::ZonedDateTime::now().date())
}

/// A site loaded and checked, with its theme compiled, ready to render.
pub struct Prepared {
    pub site: site::Site,
    pub templates: render::Templates,
    pub theme: theme::Theme,
    /// The search index of the site's language (none with `search: false`).
    pub search: Option<search::Index>,
    /// The site's other languages (`languages:` in site.yaml), each
    /// prepared like the default one, in their order there.
    pub languages: Vec<Prepared>,
}

impl Prepared {
    /// Fingerprint of what every template sees of the whole site (made
    /// when first asked for: only `serve` compares them).
    pub fn site_hash(&self) -> u64 {
        self.templates.site_hash(&self.site)
    }
}

/// What a run of the pipeline is for, which decides what it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `handout build`: each page's Markdown and words are dropped once
    /// used, to keep a big build's memory down.
    Build,
    /// `handout serve`: everything is kept, and the search index can take
    /// edits.
    Serve,
    /// `handout check`: the Markdown is kept for the checks; the search
    /// index is made only when there is a synonyms file to check against
    /// it (it was a fifth of check's work).
    Check,
}

impl Purpose {
    fn keeps_sources(self) -> bool {
        self != Purpose::Build
    }
}

/// Runs every stage before rendering: config, theme, content, site.
pub fn prepare(options: &BuildOptions) -> Result<Prepared, Errors> {
    prepare_for(options, Purpose::Serve)
}

/// `prepare`, keeping what `purpose` needs.
pub fn prepare_for(options: &BuildOptions, purpose: Purpose) -> Result<Prepared, Errors> {
    let loaded = load_for(options, purpose)?;
    assemble(options, loaded, None, purpose, Indexing::Build)
}

/// The stages before `site`, keeping the bodies `purpose` needs.
fn load_for(options: &BuildOptions, purpose: Purpose) -> Result<Loaded, Errors> {
    load_listed(options, content::list(&options.root), purpose)
}

/// A site assembled and checked, with its search index, but its templates
/// not yet given the site. `build` writes the index and lets it go in
/// between: held beside every article's summary, it made a 50k build's
/// peak.
struct Assembled(Prepared);

impl Assembled {
    /// Takes the default language's search index.
    fn take_search(&mut self) -> Option<search::Index> {
        self.0.search.take()
    }

    /// Gives the templates the site (the summaries of its pages) and
    /// renders the shortcodes in its bodies. `previous`, the last site of
    /// `serve`, lets unchanged summaries be kept.
    fn finish(self, previous: Option<&site::Site>) -> Result<Prepared, Errors> {
        let Assembled(mut prepared) = self;
        prepared.templates.set_site_after(&prepared.site, previous);
        render::expand_shortcodes(&prepared.templates, &mut prepared.site)?;
        Ok(prepared)
    }
}

/// The stages before `site`: config, theme, and the content files
/// `listing` found, keeping the bodies `purpose` needs.
fn load_listed(
    options: &BuildOptions,
    listing: content::Listing,
    purpose: Purpose,
) -> Result<Loaded, Errors> {
    let bodies = if purpose.keeps_sources() {
        content::Bodies::Kept
    } else {
        content::Bodies::InFiles
    };
    let config = config::Config::load(&options.root, options.base_url.as_deref())?;
    let theme = load_theme(options, &config);
    let (content, mut errors) = content::load_listed(&options.root, listing, bodies);
    let (templates, theme) = match theme {
        Ok(t) => t,
        Err(e) => {
            errors.extend(e);
            return Err(errors);
        }
    };
    Ok(Loaded {
        config,
        content,
        errors,
        templates,
        theme,
    })
}

/// The site's theme with its `extends` chain, and its templates compiled.
pub fn load_theme(
    options: &BuildOptions,
    config: &config::Config,
) -> Result<(render::Templates, theme::Theme), Errors> {
    let theme_place = Place::at(config::CONFIG_FILE, config.theme_line, Some(1));
    let theme = theme::load(&options.root, &config.theme, theme_place)?;
    let templates = render::Templates::load(&theme)?;
    Ok((templates, theme))
}

/// What the stages before `site` produced.
pub struct Loaded {
    pub config: config::Config,
    pub content: content::Content,
    /// Errors found while loading, reported with the site's own.
    pub errors: Errors,
    pub templates: render::Templates,
    pub theme: theme::Theme,
}

/// Whether [`assemble`] builds the search index of the site's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indexing {
    Build,
    /// Left to the caller: `serve` has its live index take the one
    /// article that came or went instead (`search::Index::take_new_or_gone`).
    Deferred,
}

/// Assembles the site from loaded content and renders its shortcodes.
/// `previous` lets unchanged pages keep their rendered bodies; `purpose`
/// decides what is kept.
pub fn assemble(
    options: &BuildOptions,
    loaded: Loaded,
    previous: Option<&site::Site>,
    purpose: Purpose,
    indexing: Indexing,
) -> Result<Prepared, Errors> {
    let mut timings = timings::Timings::start();
    assemble_unfinished(options, loaded, previous, purpose, indexing, &mut timings)?
        .finish(previous)
}

/// `assemble`, up to the templates' being given the site.
fn assemble_unfinished(
    options: &BuildOptions,
    loaded: Loaded,
    previous: Option<&site::Site>,
    purpose: Purpose,
    indexing: Indexing,
    timings: &mut timings::Timings,
) -> Result<Assembled, Errors> {
    let keep_sources = purpose.keeps_sources();
    // Looked for once: the content folder is read to find the synonyms files.
    let index = purpose != Purpose::Check || search::synonyms::any(&options.root);
    let Loaded {
        config,
        mut content,
        mut errors,
        mut templates,
        theme,
    } = loaded;
    let (by_language, language_errors) =
        site::languages::sort(&config, std::mem::take(&mut content.translations));
    errors.extend(language_errors);
    let images = process_images(&config, &mut content, &mut errors);
    timings.end("pictures");
    let site_options = site::SiteOptions {
        drafts: options.drafts,
        today: options.today.unwrap_or_else(today),
        spill: if keep_sources { None } else { spill(options) },
        count_words: index,
        edits: purpose == Purpose::Serve,
    };
    let mut site = match site::assemble(
        config,
        content,
        site_options.clone(),
        templates.shortcodes(),
        previous,
        images,
    ) {
        Ok(site) => site,
        Err(more) => {
            errors.extend(more);
            return Err(errors);
        }
    };
    timings.end("bodies (Markdown)");
    site.share_cards = theme.share.contains_key(cards::TEMPLATE);
    check_collisions(&site, &theme, &mut errors);
    if site.config.search && !theme.templates.contains_key("search.html") {
        errors.push(
            Diagnostic::new(
                Place::at(config::CONFIG_FILE, site.config.theme_line, Some(1)),
                "the theme has no template `search.html` for the search page",
            )
            .hint("add it, say `extends: default` in theme.yaml, or turn search off with `search: false` in site.yaml"),
        );
    }
    if site.pages.iter().any(|p| !p.body.addresses.is_empty()) {
        let outputs = render::addresses::Outputs::new(&site, &theme);
        let bodies = site.pages.iter().map(|p| (&p.source, &*p.body));
        errors.extend(render::addresses::check(&site, &outputs, bodies));
    }
    // Another language shows the clinics and clinicians it has no
    // translation of from their sources: those wait until it is made.
    let lends = !site.config.languages.is_empty();
    if !keep_sources {
        for page in &mut site.pages {
            let lent = matches!(
                *page.source.meta,
                content::Meta::Location(_) | content::Meta::Author(_)
            );
            if !(lends && lent) {
                page.source.body = std::sync::Arc::from("");
            }
        }
    }
    errors.extend(site::languages::check_prefixes(&site));
    let strings = match load_strings(&options.root, &site.config, &theme) {
        Ok(strings) => strings,
        Err(more) => {
            errors.extend(more);
            Vec::new()
        }
    };
    let mut languages = Vec::new();
    if errors.is_empty() {
        for (language, translations) in site.config.languages.clone().iter().zip(by_language) {
            match site::languages::assemble_language(
                site.config.for_language(language),
                translations,
                &site,
                site_options.clone(),
                templates.shortcodes(),
            ) {
                Ok(other) => languages.push(other),
                Err(more) => errors.extend(more),
            }
        }
    }
    if !languages.is_empty() {
        // The other languages' aliases, against every language's files.
        let generated: Vec<Vec<String>> = std::iter::once(&site)
            .chain(&languages)
            .map(render::generated_paths)
            .collect();
        let sites: Vec<(&site::Site, &[String])> = std::iter::once(&site)
            .chain(&languages)
            .zip(&generated)
            .map(|(s, g)| (s, g.as_slice()))
            .collect();
        errors.extend(aliases::check_languages(&sites, &theme, 1));
    }
    if !keep_sources {
        // The other languages have their borrowed pages now, and every
        // check that names a line or an anchor has been made. Before the
        // index, whose end is one of a large build's two peaks of memory
        // (the other is as the bodies finish rendering).
        site.pages
            .par_iter_mut()
            .for_each(|page| page.source.drop_text());
        site.targets.drop_ids();
    }
    timings.end("other languages, checks");
    let search = match indexing {
        Indexing::Build => {
            let bodies = bodies_for_index(&mut site, purpose);
            build_search(&options.root, &site, bodies, purpose, index).unwrap_or_else(|more| {
                errors.extend(more);
                None
            })
        }
        Indexing::Deferred => None,
    };
    timings.end("search index");
    if !errors.is_empty() {
        return Err(errors);
    }
    if !keep_sources {
        // On every core: at 10k, 6 ms on one while the other waited.
        site.pages
            .par_iter_mut()
            .for_each(|page| page.source.drop_written_tables());
    }
    let mut strings = strings.into_iter().map(std::sync::Arc::new);
    site.strings = strings.next().unwrap_or_default();
    templates.set_strings(&site.strings);
    let mut others = Vec::with_capacity(languages.len());
    if !languages.is_empty() {
        let all: Vec<&site::Site> = std::iter::once(&site).chain(&languages).collect();
        let mut table = site::Translations::new(&all);
        table.redirects = languages
            .iter()
            .flat_map(aliases::language_redirects)
            .collect();
        let mut language_strings: Vec<std::sync::Arc<site::Strings>> = strings.collect();
        for (info, words) in table
            .languages
            .iter_mut()
            .zip(std::iter::once(&site.strings).chain(&language_strings))
        {
            if let Some(name) = words.get("language_name") {
                info.name = name.clone();
            }
        }
        let translations = std::sync::Arc::new(table);
        site.translations = translations.clone();
        language_strings.reverse();
        for mut other in languages {
            other.translations = translations.clone();
            other.share_cards = site.share_cards;
            other.strings = language_strings.pop().unwrap_or_default();
            let bodies = bodies_for_index(&mut other, purpose);
            let search = build_search(&options.root, &other, bodies, purpose, index)?;
            if !keep_sources {
                for page in &mut other.pages {
                    page.source.drop_text();
                    page.source.drop_written_tables();
                }
                other.targets.drop_ids();
            }
            let mut templates = templates.clone();
            templates.set_strings(&other.strings);
            templates.set_site(&other);
            render::expand_shortcodes(&templates, &mut other)?;
            others.push(Prepared {
                site: other,
                templates,
                theme: theme.clone(),
                search,
                languages: Vec::new(),
            });
        }
        let more: Vec<feeds::SitemapEntry> = others
            .iter()
            .flat_map(|p| feeds::sitemap_entries(&view::Views::new(&p.site)))
            .collect();
        templates.set_more_sitemap(more);
    }
    Ok(Assembled(Prepared {
        site,
        templates,
        theme,
        search,
        languages: others,
    }))
}

/// A file beside the output for the bodies of a build (see `site::Spill`);
/// none if no file can be made there or in the temporary folder, and the
/// bodies then stay in memory.
fn spill(options: &BuildOptions) -> Option<std::sync::Arc<site::Spill>> {
    let out = options.output_dir();
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty());
    site::Spill::new(dir.unwrap_or(std::path::Path::new("."))).ok()
}

/// Why a page of `prepared` could not be read back from its spill file, if
/// one could not: then what was rendered is wrong.
fn spill_failure(prepared: &Prepared) -> Option<String> {
    std::iter::once(prepared)
        .chain(&prepared.languages)
        .find_map(|p| p.site.pages.iter().find_map(|page| page.spilled.as_ref()))
        .and_then(|spilled| spilled.spill().failure())
}

/// The theme's words in each of the site's languages (the default one
/// first), with the site's own `i18n/` files over them. Every language has
/// every key any of them has: a missing one is an error naming the key and
/// the file. The default language with no file of its own speaks English.
fn load_strings(
    root: &std::path::Path,
    config: &config::Config,
    theme: &theme::Theme,
) -> Result<Vec<site::Strings>, Errors> {
    let mut errors = Errors::default();
    let codes: Vec<&str> = std::iter::once(config.language.as_str())
        .chain(config.languages.iter().map(|l| l.code.as_str()))
        .collect();
    let mut loaded = Vec::with_capacity(codes.len());
    for (n, code) in codes.iter().enumerate() {
        let found = match theme.strings(root, code) {
            Ok(Some(found)) => Some(found),
            Ok(None) if n == 0 => theme.strings(root, "en").map_err(Errors::from)?,
            Ok(None) => {
                errors.push(
                    Diagnostic::new(
                        Place::at(config::CONFIG_FILE, config.languages.get(n - 1).map_or(1, |l| l.line), Some(1)),
                        format!("the theme has no strings file for `{code}`: every word it prints needs one"),
                    )
                    .hint(format!(
                        "write {}/{}.yaml with the keys of the theme's en.yaml",
                        theme::SITE_STRINGS_DIR,
                        code.to_ascii_lowercase()
                    )),
                );
                None
            }
            Err(e) => return Err(e.into()),
        };
        loaded.push(found.unwrap_or_default());
    }
    let mut keys: Vec<&String> = loaded.iter().flat_map(|l| l.words.keys()).collect();
    keys.sort();
    keys.dedup();
    for (code, strings) in codes.iter().zip(&loaded) {
        if strings.file.as_os_str().is_empty() {
            continue;
        }
        for key in keys
            .iter()
            .filter(|k| !strings.words.contains_key(k.as_str()))
        {
            errors.push(
                Diagnostic::new(
                    Place::file(&strings.file),
                    format!("the string `{key}` is missing for `{code}`: the theme prints it, so add `{key}:` with its words in this language"),
                ),
            );
        }
    }
    errors.into_result(loaded.into_iter().map(|l| l.words).collect())
}

/// Turns the raster pictures among the content's assets into their
/// processed files (see `images`). A picture that cannot be published is
/// reported where a page uses it; one that no page names is reported at
/// its own file, since it is left out of the site.
fn process_images(
    config: &config::Config,
    content: &mut content::Content,
    errors: &mut Errors,
) -> images::Images {
    let cache = images::Cache::user();
    let assets = std::mem::take(&mut content.assets);
    let (assets, images, more) = images::process(assets, &config.images, &cache);
    content.assets = assets;
    errors.extend(more);
    let mut failed: Vec<(&String, &String)> = images.failed.iter().collect();
    failed.sort();
    let names: Vec<&str> = failed
        .iter()
        .map(|(rel, _)| rel.rsplit('/').next().unwrap_or(rel))
        .collect();
    // Each body and front matter read once (a build left most in their
    // files), not once for each picture.
    let mut named = vec![false; names.len()];
    if !names.is_empty() {
        for page in &content.pages {
            let body = page.body_text().unwrap_or_default();
            let front_matter = page.front_matter();
            for (name, named) in names.iter().zip(&mut named) {
                *named |= body.contains(name) || front_matter.contains(name);
            }
        }
    }
    for ((rel, why), named) in failed.into_iter().zip(named) {
        if !named {
            errors.push(
                Diagnostic::new(
                    Place::file(PathBuf::from(content::CONTENT_DIR).join(rel)),
                    format!("this picture cannot be published: {why}"),
                )
                .hint("fix it, or remove it from content/ if no page needs it"),
            );
        }
    }
    images
}

/// The search index of the site's language, when search is on and the run
/// makes one (`index`: `check` does only to check a synonyms file).
pub(crate) fn build_search(
    root: &std::path::Path,
    site: &site::Site,
    bodies: Vec<Option<std::sync::Arc<words::BodyWords>>>,
    purpose: Purpose,
    index: bool,
) -> Result<Option<search::Index>, Errors> {
    if !site.config.search || !index {
        return Ok(None);
    }
    let editable = purpose == Purpose::Serve;
    // Each language's index has its own synonyms file
    // (`search-synonyms.es.yaml`); the default language's checks that no
    // file is for a language the site does not have.
    let default = site.config.prefix.is_empty();
    if default {
        let codes: Vec<String> = site
            .config
            .languages
            .iter()
            .map(|l| l.code.clone())
            .collect();
        search::synonyms::check_languages(root, &codes).into_result(())?;
    }
    let file = search::synonyms::file_name(&site.config.language, default);
    let synonyms = search::synonyms::load(root, &file)?;
    let language = search::Language::new(&site.config.language);
    search::build(site, bodies, &language, &synonyms, editable).map(Some)
}

/// Each page's body words, for the index (by page number): taken off the
/// pages when the run keeps nothing (`build`), so the index lets each go
/// once it has the page's terms; shared with the pages otherwise.
fn bodies_for_index(
    site: &mut site::Site,
    purpose: Purpose,
) -> Vec<Option<std::sync::Arc<words::BodyWords>>> {
    let keep = purpose.keeps_sources();
    site.pages
        .iter_mut()
        .map(|p| {
            if keep {
                p.words.clone()
            } else {
                p.words.take()
            }
        })
        .collect()
}

/// A content file or theme static file may not take the path of a file
/// handout generates: one would silently replace the other.
fn check_collisions(site: &site::Site, theme: &theme::Theme, errors: &mut Errors) {
    // Only an alias looks at every generated path.
    if aliases::any(site) {
        let generated_list = render::generated_paths(site);
        errors.extend(aliases::check(site, theme, &generated_list));
    }
    let copies: Vec<(&String, PathBuf)> = theme
        .statics
        .iter()
        .map(|(rel, file)| (rel, file.shown.clone()))
        .chain(
            site.assets
                .iter()
                .map(|a| (&a.rel, PathBuf::from(content::CONTENT_DIR).join(&a.rel))),
        )
        .collect();
    // The few copied files looked up among the generated ones.
    let copied: Vec<&str> = copies.iter().map(|(rel, _)| rel.as_str()).collect();
    let generated = render::generated_among(site, &copied);
    for (rel, shown) in copies {
        if generated.contains(rel.as_str()) {
            errors.push(Diagnostic::new(
                Place::file(shown),
                format!("this file would replace /{rel}, which handout makes: rename or move it"),
            ));
        } else if render::is_sitemap_part(rel) {
            // Reserved whatever the site's size, so a growing site never
            // finds its file replaced.
            errors.push(Diagnostic::new(
                Place::file(shown),
                format!(
                    "/{rel} is the name of a part of the sitemap, which handout makes when a \
                     site has more than {} addresses: rename or move it",
                    render::SITEMAP_LIMIT
                ),
            ));
        }
    }
}

/// `handout build`: renders the site into a staging folder and swaps it in.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Errors> {
    let started = Instant::now();
    let mut timings = timings::Timings::start();
    let out = options.output_dir();
    // Refuse a foreign output folder before doing any work.
    output::check_target(&out)?;
    output::remove_abandoned_beside(&out);
    let today = options.today.unwrap_or_else(today);
    let settings = (options.drafts, &options.base_url);
    // Listed once, for the fingerprint and then to be read.
    let listing = content::list(&options.root);
    let fingerprint = fingerprint::of(&options.root, &listing, settings, today);
    let up_to_date = unchanged(&out, fingerprint, started);
    timings.end("inputs listed, fingerprint");
    if let Some(report) = up_to_date {
        return Ok(BuildReport {
            timings: timings.into_stages(),
            ..report
        });
    }
    let loaded = load_listed(options, listing, Purpose::Build)?;
    timings.end("config, theme, content read");
    let mut assembled = assemble_unfinished(
        options,
        loaded,
        None,
        Purpose::Build,
        Indexing::Build,
        &mut timings,
    )?;
    let staging = output::Staging::begin(&out)?;
    timings.end("staging folder made");
    // The index is written (and let go, freed on a thread of its own)
    // before the pages' summaries are made and the pages rendered.
    let mut indexed = write_search(assembled.take_search(), &staging)?;
    timings.end("search index written");
    let mut prepared = assembled.finish(None)?;
    timings.end("summaries, shortcodes");
    let copied = staging.copy(&prepared.theme, &prepared.site.assets)?;
    let mut rendered = render::render_site(&prepared.templates, &prepared.site, &staging)?;
    timings.end("pages rendered and written");
    for language in &mut prepared.languages {
        indexed += write_search(language.search.take(), &staging)?;
        timings.end("search index written");
        let more = render::render_site(&language.templates, &language.site, &staging)?;
        rendered.pages += more.pages;
        rendered.files += more.files;
        timings.end("pages rendered and written");
    }
    if let Some(why) = spill_failure(&prepared) {
        return Err(Diagnostic::new(Place::file(&out), why).into());
    }
    let left_out = prepared.site.left_out;
    // Without a fingerprint the record cannot say anything: leave it out
    // (the marker then says only whose folder this is).
    let record = |files: &[(String, u64)], out: &mut dyn std::io::Write| {
        let Some(fingerprint) = fingerprint else {
            return Ok(false);
        };
        let record = fingerprint::Record {
            fingerprint,
            pages: rendered.pages,
            drafts: left_out.drafts,
            future: left_out.future,
            files: files.into(),
        };
        record.write_to(out).map(|()| true)
    };
    let changes = staging.finish(record)?;
    timings.end("output swapped in");
    // Freeing a big site's model takes tens of milliseconds the caller
    // need not wait for (the CLI exits right after). If no thread can be
    // made, the failed spawn drops it here instead; it never panics.
    let _ = std::thread::Builder::new().spawn(move || drop(prepared));
    Ok(BuildReport {
        pages: rendered.pages,
        files: rendered.files + copied + indexed + 1,
        left_out,
        changes,
        elapsed: started.elapsed(),
        timings: timings.into_stages(),
    })
}

/// Writes the search index's files; returns how many.
fn write_search(index: Option<search::Index>, sink: &dyn render::Sink) -> Result<usize, Errors> {
    let Some(mut index) = index else {
        return Ok(0);
    };
    let written = index.write(&|path, bytes| sink.put(path, bytes))?;
    // Freed beside the next stage, not before it: its docs' strings took
    // 3 ms on one core at 10k while the other waited.
    let _ = std::thread::Builder::new().spawn(move || drop(index));
    Ok(written)
}

/// The report of a build skipped because its output is already what it
/// would write (see `fingerprint`).
fn unchanged(
    out: &std::path::Path,
    fingerprint: Option<u64>,
    started: Instant,
) -> Option<BuildReport> {
    let text = std::fs::read_to_string(out.join(output::MARKER)).ok()?;
    let record = fingerprint::Record::parse(&text)?;
    (Some(record.fingerprint) == fingerprint && record.intact(out)).then(|| BuildReport {
        pages: record.pages,
        files: record.files.len() + 1,
        left_out: site::LeftOut {
            drafts: record.drafts,
            future: record.future,
        },
        changes: output::Changes::default(),
        elapsed: started.elapsed(),
        timings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of a map value, in order.
    fn keys(value: &tera::Value) -> Vec<String> {
        let map = value.as_map().expect("a map");
        map.keys().map(|k| k.to_string()).collect()
    }

    /// A share card's cache key, hashed on from where the template's start
    /// was hashed once, is the key of the whole card: the same file names
    /// as before that was done.
    #[test]
    fn a_cards_cache_key_is_the_hash_of_the_whole_card() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/basic");
        let prepared = prepare(&BuildOptions::new(&root)).expect("prepares");
        let cards = cards::Cards::new(&prepared.site, &prepared.theme)
            .expect("the card template")
            .expect("cards");
        let long = "What to expect at your first physical therapy visit";
        for title in ["Knee pain", long, ""] {
            let (made, whole) = cards.cache_file_both_ways(title);
            assert_eq!(made, whole, "{title}");
        }
    }

    /// A page's value made with the values summaries share is the one its
    /// view makes alone: equal, with the same fields in the same order;
    /// and articles do take the shared ones.
    #[test]
    fn pages_made_with_shared_values_are_the_pages_made_without() {
        // Tables after the body: a `comparison`, and the second of two
        // `comparisons` when the first is placed in the body.
        let tables = tempfile::tempdir().expect("temp dir");
        let table = |indent: &str, caption: &str| {
            format!(
                "{indent}caption: {caption}\n{indent}columns: [A, B]\n{indent}rows:\n{indent}  - label: Cost\n{indent}    values: [Low, High]\n"
            )
        };
        let article = |title: &str, tables: String, body: &str| {
            format!("---\ntitle: {title}\ndescription: {title}.\ndate: 2026-01-02\n{tables}---\n\n{body}\n")
        };
        let files = [
            (
                "site.yaml",
                "title: Tables\nbase_url: https://example.org/\n".to_string(),
            ),
            (
                "content/index.md",
                "---\ntitle: Home\n---\n\nHi.\n".to_string(),
            ),
            (
                "content/articles/one.md",
                article(
                    "One",
                    format!("comparison:\n{}", table("  ", "Only")),
                    "Text.",
                ),
            ),
            (
                "content/articles/two.md",
                article(
                    "Two",
                    format!(
                        "comparisons:\n  cost:\n{}  feel:\n{}",
                        table("    ", "Cost"),
                        table("    ", "Feel")
                    ),
                    "Text.\n\n{{ comparison name=\"cost\" }}",
                ),
            ),
        ];
        for (name, text) in files {
            let path = tables.path().join(name);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        let mut shared_fields = 0;
        let sites = ["basic", "bilingual", "comparison"].map(|site| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/sites")
                .join(site)
        });
        for root in sites.iter().map(|r| r.as_path()).chain([tables.path()]) {
            let site = root.display();
            let prepared = prepare(&BuildOptions::new(root)).expect("prepares");
            for p in std::iter::once(&prepared).chain(&prepared.languages) {
                for i in 0..p.site.pages.len() {
                    let Some((a, b, shared)) =
                        render::page_value_both_ways(&p.templates, &p.site, i)
                    else {
                        continue;
                    };
                    assert_eq!(a, b, "{site}: page {i}");
                    assert_eq!(keys(&a), keys(&b), "{site}: page {i}");
                    shared_fields += shared;
                }
            }
        }
        // Dates, authors and terms of each article of the four sites.
        assert!(shared_fields > 20, "{shared_fields}");
    }

    /// Each term with its pages (by path) and impacts.
    type Postings = Vec<(String, Vec<(String, u8)>)>;

    /// Each term's postings by its text, and the word list's words: what
    /// the index says, whatever order its terms were numbered in.
    fn by_text(index: &search::Index) -> (Postings, Vec<String>) {
        let path = |d: u32| index.docs[d as usize].path.clone();
        let mut terms: Postings = index
            .terms
            .iter()
            .filter(|t| !t.postings.is_empty())
            .map(|t| {
                let mut postings: Vec<(String, u8)> = t
                    .postings
                    .iter()
                    .map(|(doc, impact)| (path(doc), impact))
                    .collect();
                postings.sort();
                (t.text.clone(), postings)
            })
            .collect();
        terms.sort();
        let words = index.words.iter().map(|(w, _)| w.clone()).collect();
        (terms, words)
    }

    #[test]
    fn the_generated_files_among_some_are_those_of_every_generated_path() {
        let dir = knee_site();
        let prepared = prepare(&BuildOptions::new(dir.path())).expect("prepared");
        let site = &prepared.site;
        let every = render::generated_paths(site);
        // Pages, their cards, lists and the site's own files.
        for path in [
            "articles/a3/index.html",
            "articles/a3/share-card.png",
            "conditions/knee-pain/index.html",
            "articles/index.html",
            "index.html",
            "feed.xml",
        ] {
            assert!(every.iter().any(|p| p == path), "{path}: {every:?}");
        }
        let mut rels: Vec<&str> = every.iter().map(String::as_str).collect();
        rels.extend([
            "articles/a3/photo.jpg",
            "articles/a9/index.html",
            "articles/a9/share-card.png",
            "authors/ann/index.htm",
            "style.css",
        ]);
        let expected: rustc_hash::FxHashSet<&str> = every.iter().map(String::as_str).collect();
        assert_eq!(render::generated_among(site, &rels), expected);
        assert!(render::generated_among(site, &[]).is_empty());
    }

    #[test]
    fn a_copied_file_in_the_place_of_a_page_is_an_error() {
        let dir = knee_site();
        let rel = "articles/a3/index.html";
        let path = dir.path().join("content").join(rel);
        std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
        std::fs::write(&path, "mine").expect("written");
        let errors = prepare(&BuildOptions::new(dir.path()))
            .err()
            .expect("refused")
            .to_string();
        let message = format!(
            "content/{rel}: this file would replace /{rel}, which handout makes: rename or move it"
        );
        assert!(errors.contains(&message), "{errors}");
    }

    #[test]
    fn a_sitemap_past_its_limit_is_split_into_parts_under_an_index() {
        let dir = knee_site();
        let prepared = prepare(&BuildOptions::new(dir.path())).expect("prepared");
        let views = view::Views::new(&prepared.site);
        let write = |limit| {
            let sink = render::MemorySink::default();
            let parts =
                render::write_sitemap(&prepared.templates, &views, &sink, limit).expect("written");
            let files = sink.files.into_inner().expect("files");
            let files: std::collections::BTreeMap<String, String> = files
                .into_iter()
                .map(|f| (f.path, String::from_utf8(f.bytes).expect("UTF-8")))
                .collect();
            (parts, files)
        };
        // Each tag's text, as the XML has it.
        fn texts(xml: &str, tag: &str) -> Vec<String> {
            let doc = roxmltree::Document::parse(xml).expect("XML");
            doc.descendants()
                .filter(|n| n.has_tag_name(tag))
                .filter_map(|n| n.text().map(str::to_string))
                .collect()
        }
        let (parts, whole) = write(usize::MAX);
        assert_eq!(parts, 0);
        assert_eq!(whole.keys().collect::<Vec<_>>(), ["sitemap.xml"]);
        let every = texts(&whole["sitemap.xml"], "loc");
        assert!(every.len() > 8, "{every:?}");
        let (parts, split) = write(4);
        assert_eq!(parts, every.len().div_ceil(4));
        let index = roxmltree::Document::parse(&split["sitemap.xml"]).expect("XML");
        assert_eq!(index.root_element().tag_name().name(), "sitemapindex");
        let names: Vec<String> = (1..=parts).map(render::sitemap_part).collect();
        let listed: Vec<String> = names
            .iter()
            .map(|n| format!("https://example.org/{n}"))
            .collect();
        assert_eq!(texts(&split["sitemap.xml"], "loc"), listed);
        let mut again = Vec::new();
        let mut newest = Vec::new();
        for name in &names {
            let part = &split[name];
            let locs = texts(part, "loc");
            assert!(locs.len() <= 4);
            again.extend(locs);
            newest.extend(texts(part, "lastmod").into_iter().max());
        }
        assert_eq!(again, every, "the parts list every address once, in order");
        assert_eq!(texts(&split["sitemap.xml"], "lastmod"), newest);
        assert_eq!(split.len(), parts + 1);
        assert!(render::is_sitemap_part("sitemap-12.xml"));
        for other in [
            "sitemap-.xml",
            "sitemap-1a.xml",
            "a/sitemap-1.xml",
            "sitemap.xml",
        ] {
            assert!(!render::is_sitemap_part(other), "{other}");
        }
    }

    /// A site of seven articles on knees, by one author.
    fn knee_site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = [
            (
                "site.yaml",
                "title: T\nbase_url: https://example.org/\n".to_string(),
            ),
            (
                "content/index.md",
                "---\ntitle: Home\n---\n\nHello.\n".to_string(),
            ),
            (
                "content/authors/ann.md",
                "---\nname: Ann Quillfeather\n---\n\nAnn.\n".to_string(),
            ),
        ];
        let articles = (0..7).map(|n| {
            // Each description has a word no body has, met in a later
            // block than the words before it.
            let text = format!(
                "---\ntitle: Knee {n}\ndescription: Zebrafish{n} and knees.\ndate: 2026-01-0{}\nauthor: ann\nconditions: [knee pain]\n---\n\nBend the knee {n} times.\n",
                n + 1
            );
            (format!("content/articles/a{n}.md"), text)
        });
        for (rel, text) in files
            .map(|(r, t)| (r.to_string(), t))
            .into_iter()
            .chain(articles)
        {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    #[test]
    fn a_build_reads_each_text_again_and_refuses_a_file_changed_since() {
        let dir = knee_site();
        let options = BuildOptions::new(dir.path());
        let (content, errors) = content::load(dir.path(), content::Bodies::InFiles);
        assert!(errors.is_empty(), "{errors}");
        let page = |rel: &str| {
            let found = content.pages.iter().find(|p| p.rel == rel);
            found.expect("loaded")
        };
        let article = page("articles/a3.md");
        assert_eq!(&*article.body, "", "left in its file");
        let text = article.body_text().expect("read again");
        assert_eq!(text, "\nBend the knee 3 times.\n");
        assert!(article.front_matter().starts_with("title: Knee 3\n"));
        assert_eq!(&*page("authors/ann.md").body, "\nAnn.\n", "kept");

        // The same length, other words: the build names the file.
        let file = dir.path().join("content/articles/a3.md");
        let was = std::fs::read_to_string(&file).expect("read");
        std::fs::write(&file, was.replace("knee 3", "knee 9")).expect("write");
        let err = article.body_text().expect_err("changed");
        assert!(err.to_string().contains("articles/a3.md"), "{err}");
        assert!(
            article.front_matter().starts_with("title: Knee 3\n"),
            "as it was"
        );
        std::fs::write(&file, was.replace("Knee 3", "Knee 8")).expect("write");
        assert_eq!(article.front_matter(), "", "changed: no lines to name");
        std::fs::write(&file, &was).expect("write back");
        let loaded = load_for(&options, Purpose::Build).expect("loads");
        std::fs::write(&file, was.replace("Bend", "Bend and stretch")).expect("write");
        let built = assemble(&options, loaded, None, Purpose::Build, Indexing::Build);
        let errors = built.err().expect("refused").to_string();
        assert!(
            errors.contains("content/articles/a3.md: this file changed while the build"),
            "{errors}"
        );
    }

    #[test]
    fn a_build_lets_go_of_heading_ids_once_its_anchors_are_checked() {
        let dir = knee_site();
        let file = dir.path().join("content/articles/a0.md");
        let text = std::fs::read_to_string(&file).expect("read");
        std::fs::write(&file, format!("{text}\n## Warm up\n\nWalk.\n")).expect("write");
        let options = BuildOptions::new(dir.path());
        let ids = |purpose| {
            let prepared = prepare_for(&options, purpose).expect("builds");
            let targets = &prepared.site.targets.pages;
            targets.values().map(|t| t.ids().count()).sum::<usize>()
        };
        assert_eq!(ids(Purpose::Build), 0);
        assert!(
            ids(Purpose::Serve) > 0,
            "serve checks anchors on every save"
        );
    }

    #[test]
    fn pages_read_a_few_at_a_time_make_the_same_index() {
        let dir = knee_site();
        let options = BuildOptions::new(dir.path());
        let index_of = |block: Option<usize>| {
            search::TEST_BLOCK.with(|b| b.set(block));
            let prepared = prepare_for(&options, Purpose::Build).expect("builds");
            search::TEST_BLOCK.with(|b| b.set(None));
            prepared.search.expect("an index")
        };
        let whole = index_of(None);
        let (terms, words) = by_text(&whole);
        for n in 0..7 {
            let word = format!("zebrafish{n}");
            let term = terms.iter().find(|(t, _)| *t == word);
            assert_eq!(term.map(|(_, p)| p.len()), Some(1), "{word}");
            assert!(words.contains(&word), "{word}");
        }
        assert!(words.contains(&"quillfeather".to_string()));
        for block in [1, 2, 3] {
            let blocks = index_of(Some(block));
            assert_eq!(by_text(&blocks), (terms.clone(), words.clone()), "{block}");
            assert_eq!(blocks.docs, whole.docs, "{block}");
        }
    }

    #[test]
    fn words_of_one_term_count_as_one_wherever_they_are() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        write("site.yaml", "title: T\nbase_url: https://example.org/\n");
        write("content/index.md", "---\ntitle: Home\n---\n\nHello.\n");
        // Three knee words in each body, of one word or of two that stem
        // alike, first met in either order; the word in a title or a
        // heading too. `ankle` is the only word of its term.
        let pages = [
            ("same", "Rest", "", "knee knee knee"),
            ("plural-first", "Rest", "", "knees knee knee"),
            ("plural-last", "Rest", "", "knee knee knees"),
            ("titled", "Knees", "", "knee knee knee"),
            ("heading-knee", "Rest", "Knee", "knees"),
            ("heading-knees", "Rest", "Knees", "knee"),
            ("ankle", "Rest", "", "ankle ankle ankle"),
            ("ankle-titled", "Ankle", "", "ankle ankle ankle"),
            ("ankle-heading", "Rest", "Ankle", "ankle ankle ankle"),
        ];
        for (slug, title, heading, body) in pages {
            let heading = match heading {
                "" => String::new(),
                h => format!("## {h}\n\n"),
            };
            write(
                &format!("content/articles/{slug}.md"),
                &format!("---\ntitle: {title}\ndescription: Daily.\ndate: 2026-01-01\n---\n\n{heading}Walk the {body} and then daily.\n"),
            );
        }
        let options = BuildOptions::new(dir.path());
        let prepared = prepare_for(&options, Purpose::Build).expect("builds");
        let index = prepared.search.expect("an index");
        let (terms, _) = by_text(&index);
        // The page's impacts under `term`: one, if the words were summed.
        let impact = |term: &str, slug: &str| -> Vec<u8> {
            let path = format!("articles/{slug}/");
            let postings = terms.iter().find(|(t, _)| t == term).expect(term);
            postings
                .1
                .iter()
                .filter(|(p, _)| *p == path)
                .map(|&(_, i)| i)
                .collect()
        };
        let same = impact("knee", "same");
        assert_eq!(same.len(), 1, "{terms:?}");
        // Stop words among them, in no term.
        assert!(terms.iter().all(|(t, _)| t != "the" && t != "and"));
        assert_eq!(impact("knee", "plural-first"), same);
        assert_eq!(impact("knee", "plural-last"), same);
        let titled = impact("knee", "titled");
        assert_eq!(titled.len(), 1);
        assert!(titled[0] > same[0], "{titled:?} {same:?}");
        let headed = impact("knee", "heading-knee");
        assert_eq!(headed.len(), 1);
        assert_eq!(impact("knee", "heading-knees"), headed);
        let ankle = impact("ankl", "ankle");
        assert_eq!(ankle, same, "one word or two, the same count");
        for slug in ["ankle-titled", "ankle-heading"] {
            let more = impact("ankl", slug);
            assert_eq!(more.len(), 1, "{slug}");
            assert!(more[0] > ankle[0], "{slug}: {more:?} {ankle:?}");
        }
    }

    #[test]
    fn the_index_written_as_it_is_made_is_the_index_made_whole() {
        let dir = knee_site();
        let prepared = prepare_for(&BuildOptions::new(dir.path()), Purpose::Build).expect("builds");
        let mut index = prepared.search.expect("an index");
        let whole = search::output_files(&mut index.clone());
        let put = std::sync::Mutex::new(Vec::new());
        let count = index
            .write(&|path, bytes| {
                put.lock()
                    .expect("lock")
                    .push((path.to_string(), bytes.to_vec()));
                Ok::<(), ()>(())
            })
            .expect("writes");
        let mut written = put.into_inner().expect("lock");
        assert_eq!(count, written.len());
        // The manifest's stamp is made from every other file: it comes last.
        assert_eq!(
            written.last().map(|(p, _)| p.as_str()),
            Some("search/en/index.json")
        );
        assert_eq!(written.last(), whole.last());
        let mut whole = whole;
        whole.sort();
        written.sort();
        assert_eq!(written, whole);
        // A file that cannot be written stops it, with that error.
        let tries = std::sync::atomic::AtomicUsize::new(0);
        let failed = index.write(&|path, _| {
            if tries.fetch_add(1, std::sync::atomic::Ordering::Relaxed) == 2 {
                return Err(path.to_string());
            }
            Ok(())
        });
        assert!(failed.is_err_and(|path| path.starts_with("search/en/")));
    }

    /// The site at `options` assembled again after `previous`, as `serve`
    /// does (the lexicon and kept bodies shared).
    fn reassemble(options: &BuildOptions, previous: &Prepared, indexing: Indexing) -> Prepared {
        let loaded = load_for(options, Purpose::Serve).expect("loads");
        assemble(
            options,
            loaded,
            Some(&previous.site),
            Purpose::Serve,
            indexing,
        )
        .expect("assembles")
    }

    /// `take` applied to the live index of `previous` against the site
    /// as it is now: whether it could, and whether the index is then
    /// the one a build makes, file for file.
    fn taken_like_a_build(options: &BuildOptions, previous: &Prepared, rel: &str) -> Prepared {
        let mut now = reassemble(options, previous, Indexing::Deferred);
        let mut index = previous.search.clone().expect("an index");
        let language = search::Language::new(&now.site.config.language);
        assert_eq!(
            index.take_new_or_gone(&now.site, &language, rel),
            Some(()),
            "{rel}"
        );
        let built = reassemble(options, previous, Indexing::Build);
        let built = built.search.expect("an index");
        assert_eq!(by_text(&index), by_text(&built), "{rel}");
        assert_eq!(index.docs, built.docs, "{rel}");
        let mut files = search::output_files(&mut index.clone());
        let mut expected = search::output_files(&mut built.clone());
        files.sort();
        expected.sort();
        assert_eq!(files, expected, "{rel}");
        now.search = Some(index);
        now
    }

    #[test]
    fn a_live_index_takes_an_article_come_or_gone_as_a_build_makes_it() {
        let dir = knee_site();
        let options = BuildOptions::new(dir.path());
        let first = prepare_for(&options, Purpose::Serve).expect("builds");
        // Between a3 and a4 in the doc order: the pages after it move.
        let new = dir.path().join("content/articles/a35.md");
        std::fs::write(
            &new,
            "---\ntitle: Knee Extra\ndescription: Newtword here.\ndate: 2026-01-09\nauthor: ann\nconditions: [knee pain]\n---\n\nBend the knee. Wobbleboard.\n",
        )
        .expect("write");
        let added = taken_like_a_build(&options, &first, "articles/a35.md");
        let (terms, words) = by_text(added.search.as_ref().expect("an index"));
        assert!(words.contains(&"wobbleboard".to_string()));
        assert!(terms.iter().any(|(t, p)| t == "newtword" && p.len() == 1));
        // One of the first: every page after it moves up; its own word
        // leaves the word list.
        std::fs::remove_file(dir.path().join("content/articles/a1.md")).expect("delete");
        let removed = taken_like_a_build(&options, &added, "articles/a1.md");
        let (_, words) = by_text(removed.search.as_ref().expect("an index"));
        assert!(!words.contains(&"zebrafish1".to_string()));
        // The new one gone again.
        std::fs::remove_file(&new).expect("delete");
        taken_like_a_build(&options, &removed, "articles/a35.md");
    }

    #[test]
    fn a_live_index_leaves_a_new_filter_or_two_changes_to_a_build() {
        let dir = knee_site();
        let options = BuildOptions::new(dir.path());
        let first = prepare_for(&options, Purpose::Serve).expect("builds");
        let language = search::Language::new("en");
        let take = |previous: &Prepared, rel: &str| {
            let now = reassemble(&options, previous, Indexing::Deferred);
            let mut index = previous.search.clone().expect("an index");
            let before = index.docs.clone();
            let taken = index.take_new_or_gone(&now.site, &language, rel);
            // Left as it was.
            if taken.is_none() {
                assert_eq!(index.docs, before);
            }
            taken
        };
        // A condition no page had: its filter is new.
        let hip = dir.path().join("content/articles/b.md");
        std::fs::write(
            &hip,
            "---\ntitle: Hip\ndescription: Hips.\ndate: 2026-01-09\nauthor: ann\nconditions: [hip pain]\n---\n\nHips.\n",
        )
        .expect("write");
        assert_eq!(take(&first, "articles/b.md"), None);
        std::fs::remove_file(&hip).expect("delete");
        // Two pages come: not one.
        for name in ["c", "d"] {
            std::fs::write(
                dir.path().join(format!("content/articles/{name}.md")),
                "---\ntitle: Knee More\ndescription: Knees.\ndate: 2026-01-09\nauthor: ann\nconditions: [knee pain]\n---\n\nKnees.\n",
            )
            .expect("write");
        }
        assert_eq!(take(&first, "articles/c.md"), None);
        // Not an article: a new clinician.
        std::fs::remove_file(dir.path().join("content/articles/d.md")).expect("delete");
        let with_c = reassemble(&options, &first, Indexing::Build);
        std::fs::write(
            dir.path().join("content/authors/bo.md"),
            "---\nname: Bo Gale\n---\n\nBo.\n",
        )
        .expect("write");
        assert_eq!(take(&with_c, "authors/bo.md"), None);
        // Another lexicon: an index from another run.
        let other = prepare_for(&options, Purpose::Serve).expect("builds");
        std::fs::remove_file(dir.path().join("content/authors/bo.md")).expect("delete");
        std::fs::remove_file(dir.path().join("content/articles/c.md")).expect("delete");
        let mut index = other.search.clone().expect("an index");
        let now = reassemble(&options, &with_c, Indexing::Deferred);
        assert_eq!(
            index.take_new_or_gone(&now.site, &language, "articles/c.md"),
            None
        );
    }
}
