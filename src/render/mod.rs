//! Stage 5 of the build: the site model through the theme's Tera templates,
//! in parallel, into output files (pages, lists, taxonomies, sitemap, feed,
//! robots.txt, 404).

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

pub mod addresses;
mod escape;
mod hash;
mod jobs;
mod once;
pub mod tags;

use hash::{flatten, serialized_hash, value_hash, Flat};
pub use jobs::{generated_among, generated_paths, jobs, page_count, target, Job, Section};

use crate::error::{Diagnostic, Errors, Place};
use crate::site::Site;
use crate::theme::Theme;
use crate::view::{SameSummaries, SharedValues, Views};

/// A file to write, by its path under the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// With `/`: `articles/a/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Templates every theme must have (the built-in theme provides them all).
pub const REQUIRED: [&str; 14] = [
    "index.html",
    "article.html",
    "article_list.html",
    "location.html",
    "location_list.html",
    "author.html",
    "author_list.html",
    "page.html",
    "taxonomy.html",
    "term.html",
    "404.html",
    "sitemap.xml",
    "feed.xml",
    "robots.txt",
];

/// Built-in templates no theme replaces: redirect pages and `_redirects`.
const REDIRECT_TEMPLATE: &str = "handout/redirect.html";
const REDIRECTS_TEMPLATE: &str = "handout/_redirects";

/// The theme's templates, compiled once and shared by all render threads.
#[derive(Clone)]
pub struct Templates {
    /// Shared: a site assembled again (`serve`) takes these templates,
    /// and copying them took 3 ms at 10k. `site` and `tr` go in each
    /// render's context, not in Tera's global one.
    tera: std::sync::Arc<Tera>,
    theme: Theme,
    shortcodes: crate::shortcode::Specs,
    summaries: std::sync::Arc<Vec<tera::Value>>,
    /// A hash of each summary (by page index), of which `site_hash` makes
    /// the site's fingerprint; made when first asked for, as only `serve`
    /// compares fingerprints.
    summary_hashes: std::sync::OnceLock<std::sync::Arc<Vec<u64>>>,
    /// The values the summaries share, and the pages (by address) of the
    /// site they were made for: `set_site_after` keeps those that are
    /// the same.
    shared: std::sync::Arc<SharedValues>,
    summaries_of: usize,
    rest_hash: u64,
    /// The other languages' sitemap entries, in the default language's
    /// sitemap.
    more_sitemap: std::sync::Arc<Vec<crate::feeds::SitemapEntry>>,
    /// `site` as templates see it (also in the global context), for
    /// `site_field_hashes`.
    site: tera::Value,
    /// `tr`, likewise.
    tr: tera::Value,
    /// `site_field_hashes`, made on first use after `site` changed.
    field_hashes: std::sync::OnceLock<Vec<(String, u64)>>,
    /// The partials templates show through `once` (see `once`).
    once_names: std::sync::Arc<Vec<String>>,
    /// Those partials rendered for `site` and `tr` as they are now: the
    /// map every template sees as `once`, or why one could not be.
    once: Result<tera::Value, Diagnostic>,
}

impl Templates {
    /// Compiles every template of the theme; reports syntax errors with
    /// their template file, line and column.
    pub fn load(theme: &Theme) -> Result<Templates, Errors> {
        let mut errors = Errors::default();
        let mut sources = Vec::new();
        let files = theme.template_files();
        for (name, file) in files {
            match file.read().map(String::from_utf8) {
                Ok(Ok(text)) => sources.push((name, text)),
                Ok(Err(_)) => errors.push(Diagnostic::new(
                    Place::file(&file.shown),
                    "the template is not valid UTF-8 text",
                )),
                Err(err) => errors.push(Diagnostic::new(
                    Place::file(&file.shown),
                    format!("cannot read: {err}"),
                )),
            }
        }
        for name in REQUIRED {
            if !theme.templates.contains_key(name) {
                errors.push(Diagnostic::new(Place::file(format!("themes/{}/templates/{name}", theme.chain.first().map_or("", String::as_str))), format!(
                        "the theme has no template `{name}`: add it, or say `extends: default` in theme.yaml"
                    )));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::new();
        tera.set_escape_fn(escape::html);
        let builtin = [
            (REDIRECT_TEMPLATE, crate::aliases::REDIRECT_TEMPLATE),
            (REDIRECTS_TEMPLATE, crate::aliases::REDIRECTS_TEMPLATE),
        ];
        tera.add_raw_templates(
            sources
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .chain(builtin),
        )
        .map_err(|err| template_error(theme, None, &err))?;
        let once_names = once::names(&sources, theme)?;
        let shortcodes = sources
            .iter()
            .filter_map(|(name, text)| {
                let short = name.strip_prefix("shortcodes/")?.strip_suffix(".html")?;
                Some((short.to_string(), crate::shortcode::parse_spec(text)))
            })
            .collect();
        Ok(Templates {
            tera: std::sync::Arc::new(tera),
            theme: theme.clone(),
            shortcodes,
            summaries: std::sync::Arc::default(),
            summary_hashes: std::sync::OnceLock::new(),
            shared: std::sync::Arc::default(),
            summaries_of: 0,
            rest_hash: 0,
            more_sitemap: std::sync::Arc::default(),
            site: tera::Value::none(),
            tr: tera::Value::none(),
            field_hashes: std::sync::OnceLock::new(),
            once_names: std::sync::Arc::new(once_names),
            once: Ok(tera::Value::none()),
        })
    }

    /// Compiles `theme`'s templates again after an edit of them (`serve`),
    /// keeping what `set_site` and `set_strings` gave these. On an error
    /// these stay as they were.
    pub fn reload(&mut self, theme: &Theme) -> Result<(), Errors> {
        let fresh = Templates::load(theme)?;
        self.tera = fresh.tera;
        self.theme = fresh.theme;
        self.shortcodes = fresh.shortcodes;
        self.once_names = fresh.once_names;
        self.render_once();
        Ok(())
    }

    /// The shortcodes the theme has, with their arguments.
    pub fn shortcodes(&self) -> &crate::shortcode::Specs {
        &self.shortcodes
    }

    /// Makes `site` available to every template; call again when the site
    /// changes.
    pub fn set_site(&mut self, site: &Site) {
        self.set_site_after(site, None);
    }

    /// `set_site` for a site assembled again from `previous` (`serve`),
    /// the site these templates were last given: an article whose summary
    /// is the same keeps it, and its hash, instead of making both again
    /// (a new article at 10k leaves 9,999 as they were).
    pub fn set_site_after(&mut self, site: &Site, previous: Option<&Site>) {
        let views = Views::new(site);
        // Without the dates and lists of terms: made below for the
        // summaries made again only.
        let mut shared = views.shared_values_of([]);
        let hashes = self.summary_hashes.get().cloned();
        let same = previous
            .filter(|old| self.summaries_of == old.pages.as_ptr() as usize)
            .and_then(|old| SameSummaries::new((old, &self.shared), (site, &shared)));
        match (same, hashes) {
            (Some(same), Some(hashes)) => {
                let kept: Vec<Option<(tera::Value, u64)>> = (0..site.pages.len())
                    .into_par_iter()
                    .map(|i| {
                        let j = same.kept(i)?;
                        Some((self.summaries.get(j)?.clone(), *hashes.get(j)?))
                    })
                    .collect();
                let again = kept.iter().enumerate().filter(|(_, k)| k.is_none());
                views.add_article_values(&mut shared, again.map(|(i, _)| i));
                let (summaries, hashes): (Vec<tera::Value>, Vec<u64>) = kept
                    .into_par_iter()
                    .enumerate()
                    .map(|(i, kept)| {
                        kept.unwrap_or_else(|| {
                            let value = views.summary_value(i, &shared);
                            let hash = serialized_hash(&value);
                            (value, hash)
                        })
                    })
                    .unzip();
                self.summaries = std::sync::Arc::new(summaries);
                self.summary_hashes = std::sync::OnceLock::from(std::sync::Arc::new(hashes));
            }
            _ => {
                views.add_article_values(&mut shared, 0..site.pages.len());
                let summaries: Vec<tera::Value> = (0..site.pages.len())
                    .into_par_iter()
                    .map(|i| views.summary_value(i, &shared))
                    .collect();
                self.summaries = std::sync::Arc::new(summaries);
                self.summary_hashes = std::sync::OnceLock::new();
            }
        }
        self.shared = std::sync::Arc::new(shared);
        self.summaries_of = site.pages.as_ptr() as usize;
        self.put_site(site, &views);
    }

    /// After an edit in place (`serve`) that changed what lists show of the
    /// pages `changed` (by index), the order of a list or which articles
    /// a term lists, with no page or term come or gone: their summaries,
    /// and `site` with them. A fingerprint `site_hash` gave before is out
    /// of date: ask it again.
    pub fn replace_summaries(&mut self, site: &Site, changed: &[usize]) {
        let views = Views::new(site);
        // What articles share (authors, terms, dates) comes from authors,
        // taxonomies and articles alone, and a clinic's summary reads none
        // of it: after clinics' edits the values made before still hold.
        // Making them again was 10 ms of a clinic's 25 at 10k.
        let clinics = !changed.is_empty()
            && changed.iter().all(|&i| {
                site.pages
                    .get(i)
                    .is_some_and(|p| matches!(*p.source.meta, crate::content::Meta::Location(_)))
            });
        let shared = match clinics {
            true => std::sync::Arc::clone(&self.shared),
            false => std::sync::Arc::new(views.shared_values_of(changed.iter().copied())),
        };
        let summaries = std::sync::Arc::make_mut(&mut self.summaries);
        // The hashes, if made yet, follow; else they are made from these.
        let mut hashes = self.summary_hashes.get_mut().map(std::sync::Arc::make_mut);
        for &i in changed {
            if let Some(slot) = summaries.get_mut(i) {
                *slot = views.summary_value(i, &shared);
                if let Some(hash) = hashes.as_mut().and_then(|h| h.get_mut(i)) {
                    *hash = serialized_hash(&*slot);
                }
            }
        }
        self.shared = shared;
        self.summaries_of = site.pages.as_ptr() as usize;
        self.put_site(site, &views);
    }

    /// `site` for every template, from the summaries made before: its
    /// lists of them and the rest of it (taxonomies, brand...).
    fn put_site(&mut self, site: &Site, views: &Views) {
        let site_view = views.site();
        let mut map = tera::Value::from_serializable(&site_view)
            .into_map()
            .unwrap_or_default();
        insert_lists(&mut map, site, &self.summaries);
        self.site = tera::Value::from(map);
        self.field_hashes = std::sync::OnceLock::new();
        self.rest_hash = serialized_hash(&site_view);
        self.render_once();
    }

    /// Whether the partials shown through `once` could be rendered: if
    /// not, no page can be.
    fn once_rendered(&self) -> Result<(), Diagnostic> {
        self.once.as_ref().map(|_| ()).map_err(Clone::clone)
    }

    /// Renders the partials shown through `once` again, for `site` and
    /// `tr` as they are now (none before the site is set).
    fn render_once(&mut self) {
        if self.site.is_none() {
            return;
        }
        self.once = once::render(
            &self.tera,
            &self.theme,
            &self.once_names,
            &self.site,
            &self.tr,
        );
    }

    /// A hash of each field of `site` as templates see it (`articles`,
    /// `taxonomies`...), and of `tr` under the name `tr`: what every
    /// template may read besides its own context. The lists of summaries
    /// (`articles`...), most of `site` at 10k, are hashed from their
    /// summaries' hashes, not walked again.
    pub fn site_field_hashes(&self, site: &Site) -> &[(String, u64)] {
        self.field_hashes.get_or_init(|| {
            let lists = site_lists(site);
            let summary_hashes = self.summary_hashes();
            let mut hashes: Vec<(String, u64)> = self
                .site
                .as_map()
                .map(|map| {
                    map.iter()
                        .map(|(key, value)| {
                            let key = key.to_string();
                            let hash = match lists.iter().find(|(name, _)| *name == key) {
                                Some((_, items)) => list_hash(summary_hashes, items),
                                None => value_hash(value),
                            };
                            (key, hash)
                        })
                        .collect()
                })
                .unwrap_or_default();
            hashes.push(("tr".to_string(), value_hash(&self.tr)));
            hashes
        })
    }

    /// A fingerprint of what templates see of the whole site now, so a
    /// rebuild can tell whether every page may have changed: the rest of
    /// `site`, then each list's summaries in their order.
    pub fn site_hash(&self, site: &Site) -> u64 {
        let summary_hashes = self.summary_hashes();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&self.rest_hash.to_le_bytes());
        for (name, items) in site_lists(site) {
            hasher.update(name.as_bytes());
            hasher.update(&list_hash(summary_hashes, items).to_le_bytes());
        }
        hasher.digest()
    }

    /// A hash of page `i`'s summary, as lists show it.
    pub fn summary_hash(&self, i: usize) -> Option<u64> {
        self.summary_hashes().get(i).copied()
    }

    /// A hash of each page's summary, by page index: made once for a
    /// site, on all cores.
    fn summary_hashes(&self) -> &[u64] {
        self.summary_hashes.get_or_init(|| {
            std::sync::Arc::new(self.summaries.par_iter().map(serialized_hash).collect())
        })
    }

    /// Makes a language's words available to every template as `tr`.
    pub fn set_strings(&mut self, strings: &crate::site::Strings) {
        self.tr = tera::Value::from_serializable(strings);
        self.field_hashes = std::sync::OnceLock::new();
        self.render_once();
    }

    /// The sitemap entries of the site's other languages, listed in this
    /// (the default language's) sitemap.
    pub fn set_more_sitemap(&mut self, entries: Vec<crate::feeds::SitemapEntry>) {
        self.more_sitemap = std::sync::Arc::new(entries);
    }

    /// Each page's summary as templates see it (by page index), shared by
    /// `site.articles` and every list page.
    pub fn summaries(&self) -> &[tera::Value] {
        &self.summaries
    }

    fn render(&self, name: &str, mut context: Context) -> Result<Vec<u8>, Diagnostic> {
        context.insert_value("site", self.site.clone());
        context.insert_value("tr", self.tr.clone());
        context.insert_value("once", self.once.clone()?);
        // Most pages are 15-30 KB: one allocation, rarely a copy.
        let mut out = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(name, &context, &mut out)
            .map_err(|err| template_error(&self.theme, Some(name), &err))?;
        Ok(out)
    }
}

/// The lists of summaries `site` holds, by name.
fn site_lists(site: &Site) -> [(&'static str, &[usize]); 3] {
    [
        ("articles", &site.articles),
        ("locations", &site.locations),
        ("authors", &site.authors),
    ]
}

/// A hash of a list of summaries, pages `items`, from each one's hash.
fn list_hash(summary_hashes: &[u64], items: &[usize]) -> u64 {
    let mut flat = Flat::default();
    flat.put(&(items.len() as u64).to_le_bytes());
    for &i in items {
        let hash = summary_hashes.get(i).copied().unwrap_or_default();
        flat.put(&hash.to_le_bytes());
    }
    flat.digest()
}

/// Puts `site.articles`, `site.locations` and `site.authors` into `map`,
/// made of the shared summaries.
fn insert_lists(map: &mut tera::Map, site: &Site, summaries: &[tera::Value]) {
    for (name, items) in site_lists(site) {
        let list: Vec<tera::Value> = items
            .iter()
            .filter_map(|&i| summaries.get(i).cloned())
            .collect();
        map.insert(name.into(), tera::Value::from(list));
    }
}

/// For each of `jobs`: its output path, template, and a hash of its own
/// context (a page's context holds its body with shortcodes expanded; a
/// list's, its summaries). Not the `site` and `tr` every template sees
/// (`Templates::site_field_hashes`), nor the templates. `serve` compares
/// these before and after a change to render only the files it reaches.
/// `narrowed` names, for templates that read only some fields of the
/// `taxonomy` or `paginator` they are given (a taxonomy's title, not every
/// term's count), those fields: only they are hashed. `known` gives the
/// hash of a job's context (by job, path and template) when the caller
/// knows it is unchanged.
pub fn context_hashes(
    templates: &Templates,
    site: &Site,
    jobs: &[Job],
    narrowed: &NarrowReads,
    known: impl Fn(Job, &str, &str) -> Option<u64> + Sync,
) -> Vec<Option<(String, &'static str, u64)>> {
    let views = Views::new(site);
    let cache = jobs::Cache::for_hashes(&views, templates.summaries(), templates.summary_hashes());
    let multilingual = site.translations.is_multilingual();
    jobs.par_iter()
        .map(|&job| {
            let (path, template) = jobs::target(site, job)?;
            if let Some(hash) = known(job, &path, template) {
                return Some((path, template, hash));
            }
            let mut flat = Flat::default();
            // Most jobs: a page, whose context (in one language) is its
            // view alone, hashed as it serializes with no Tera value made.
            if let (Job::Page(i), false) = (job, multilingual) {
                flat.put_text(b"page");
                cache.hash_page(i, &mut flat)?;
                return Some((path, template, flat.digest()));
            }
            let mut context = jobs::context(&cache, job)?;
            for key in jobs::CONTEXT_KEYS {
                let Some(value) = context.remove(key) else {
                    continue;
                };
                flat.put_text(key.as_bytes());
                match (narrowed_fields(narrowed, template, key), value.as_map()) {
                    (Some(fields), Some(map)) => {
                        flat.put(&[u8::from(map.is_empty())]);
                        for field in fields {
                            flat.put_text(field.as_bytes());
                            match map.get(&tera::value::Key::Str(field)) {
                                Some(item) => flatten(item, &mut flat),
                                None => flat.put(&[0]),
                            }
                        }
                    }
                    _ => flatten(&value, &mut flat),
                }
            }
            // A key not listed there: slow, but still told apart.
            if context != tera::Context::new() {
                flat.put(format!("{context:?}").as_bytes());
            }
            if job == Job::Sitemap {
                flat.put(&serialized_hash(&*templates.more_sitemap).to_le_bytes());
            }
            Some((path, template, flat.digest()))
        })
        .collect()
}

/// For each template (by name), the variables of its context of which it
/// reads only some fields, with those fields.
pub type NarrowReads = std::collections::HashMap<String, Vec<(&'static str, Vec<String>)>>;

/// The fields `template` reads of its context's `variable`, if only some.
pub fn narrowed_fields<'a>(
    narrowed: &'a NarrowReads,
    template: &str,
    variable: &str,
) -> Option<&'a [String]> {
    let variables = narrowed.get(template)?;
    let (_, fields) = variables.iter().find(|(v, _)| *v == variable)?;
    Some(fields)
}

/// A Tera error with the theme file it is in.
fn template_error(theme: &Theme, rendering: Option<&str>, err: &tera::Error) -> Diagnostic {
    let shown = |name: &str| {
        let file = match name
            .strip_prefix("shortcodes/")
            .and_then(|n| n.strip_suffix(".html"))
        {
            Some(short) => theme.shortcodes.get(short),
            None => theme.templates.get(name),
        };
        file.map_or_else(|| PathBuf::from(name), |f| f.shown.clone())
    };
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let file = if report.filename().is_empty() {
                rendering.unwrap_or("")
            } else {
                report.filename()
            };
            Diagnostic::new(
                Place::at(shown(file), span.start_line, Some(span.start_col + 1)),
                report.message().to_string(),
            )
        }
        _ => Diagnostic::new(
            rendering.map_or_else(|| Place::file("themes"), |n| Place::file(shown(n))),
            err.to_string(),
        ),
    }
}

pub(crate) fn context_with<T: Serialize>(key: &'static str, value: &T) -> Context {
    let mut context = Context::new();
    context.insert(key, value);
    context
}

/// Renders every shortcode call in page bodies and puts the result where
/// the call stood. Needs `set_site` first: shortcodes see `site` too.
pub fn expand_shortcodes(templates: &Templates, site: &mut Site) -> Result<(), Errors> {
    let all: Vec<usize> = (0..site.pages.len()).collect();
    expand_shortcodes_in(templates, site, &all)
}

/// Page `i`'s template value made with the values summaries share and
/// without them, and how many shared values it took: for a test that the
/// two are the same. None for a page with no view.
#[cfg(test)]
pub(crate) fn page_value_both_ways(
    templates: &Templates,
    site: &Site,
    i: usize,
) -> Option<(tera::Value, tera::Value, usize)> {
    let views = Views::new(site);
    let view = views.page_view(i)?;
    let shared = &*templates.shared;
    let with = jobs::Cache::new(&views, templates.summaries(), Some(shared));
    let without = jobs::Cache::new(&views, templates.summaries(), None);
    Some((
        with.page_value(&view, Some(i)),
        without.page_value(&view, Some(i)),
        views.article_values(i, shared).count(),
    ))
}

/// `expand_shortcodes` for the pages `only` (indexes into `site.pages`).
pub fn expand_shortcodes_in(
    templates: &Templates,
    site: &mut Site,
    only: &[usize],
) -> Result<(), Errors> {
    // Told once, as itself, not as each shortcode's failure.
    templates.once_rendered()?;
    let views = Views::new(site);
    let cache = jobs::Cache::new(&views, templates.summaries(), Some(&templates.shared));
    let expanded: Vec<(usize, Result<String, Diagnostic>)> = only
        .par_iter()
        .filter_map(|&i| site.pages.get(i).map(|page| (i, page)))
        .filter(|(_, page)| !page.body.shortcodes.is_empty())
        .map(|(i, page)| (i, expand_page(templates, &cache, i, page)))
        .collect();
    let mut errors = Errors::default();
    for (i, result) in expanded {
        match (result, site.pages.get_mut(i)) {
            (Ok(html), Some(page)) => page.set_expanded(html),
            (Err(err), _) => errors.push(err),
            (Ok(_), None) => {}
        }
    }
    errors.into_result(())
}

fn expand_page(
    templates: &Templates,
    cache: &jobs::Cache,
    i: usize,
    page: &crate::site::Page,
) -> Result<String, Diagnostic> {
    let view = cache
        .page_view(i)
        .map(|v| cache.page_value(&v, Some(i)))
        .unwrap_or_else(tera::Value::none);
    let mut html = page.unexpanded_html();
    for (n, call) in page.body.shortcodes.iter().enumerate() {
        let mut context = Context::new();
        context.insert_value("page", view.clone());
        let spec = templates.shortcodes.get(&call.name);
        for arg in spec.map(|s| s.args.as_slice()).unwrap_or_default() {
            match call.arg(&arg.name) {
                Some(value) => context.insert(arg.name.clone(), value),
                None => context.insert_value(arg.name.clone(), tera::Value::none()),
            }
        }
        let name = format!("shortcodes/{}.html", call.name);
        let bytes = templates.render(&name, context).map_err(|mut err| {
            err.message = format!(
                "{} (rendering `{{{{ {} }}}}` on {}:{})",
                err.message,
                call.name,
                crate::error::display_path(&page.source.path),
                page.source.body_line + call.line - 1
            );
            err
        })?;
        let rendered = String::from_utf8_lossy(&bytes);
        html = html.replacen(&crate::shortcode::marker(n), rendered.trim(), 1);
    }
    Ok(html)
}

/// Receives rendered files as they are made; called from many threads.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), crate::error::Diagnostic>;

    /// Puts a file of handout's cache (never changed in place) at `path`;
    /// an output on disk links it instead of copying its bytes.
    fn put_cached(
        &self,
        path: &str,
        cached: &std::path::Path,
    ) -> Result<(), crate::error::Diagnostic> {
        self.put(path, &read_cached(cached)?)
    }
}

/// The bytes of a file of handout's cache put at an output path.
pub fn read_cached(cached: &std::path::Path) -> Result<Vec<u8>, crate::error::Diagnostic> {
    crate::error::read_regular(cached).map_err(|e| {
        crate::error::Diagnostic::io(crate::error::Place::file(cached), "cannot read", e)
    })
}

/// Collects rendered files in memory.
#[derive(Default)]
pub struct MemorySink {
    pub files: std::sync::Mutex<Vec<OutputFile>>,
    /// Files that are a cached file's bytes (share cards), by output path
    /// and the cached file, not read: its name says what it holds, so a
    /// file written from it before need not be read again.
    pub cached: std::sync::Mutex<Vec<(String, PathBuf)>>,
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), crate::error::Diagnostic> {
        if let Ok(mut files) = self.files.lock() {
            files.push(OutputFile {
                path: path.to_string(),
                bytes: bytes.to_vec(),
            });
        }
        Ok(())
    }

    fn put_cached(
        &self,
        path: &str,
        cached: &std::path::Path,
    ) -> Result<(), crate::error::Diagnostic> {
        if let Ok(mut files) = self.cached.lock() {
            files.push((path.to_string(), cached.to_path_buf()));
        }
        Ok(())
    }
}

/// What rendering wrote.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML pages.
    pub pages: usize,
    /// Every file, pages included.
    pub files: usize,
    /// Share cards not in the cache, left to draw ([`CardsNow::Cached`]).
    pub cards_left: Vec<CardLeft>,
}

/// Which share cards [`render_jobs_with`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardsNow {
    /// Every one, drawn if it is not in the cache.
    All,
    /// Those in the cache; the others are left ([`Rendered::cards_left`]).
    /// Drawing one takes a core 5 ms, the last of a new article's work
    /// before its reload in `serve`, and a browser never shows it.
    Cached,
}

/// A share card left to draw: its output path and the title it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardLeft {
    pub path: String,
    pub title: String,
}

/// Renders every output file of the site into `sink`, in parallel, without
/// holding the rendered pages in memory.
pub fn render_site(
    templates: &Templates,
    site: &Site,
    sink: &dyn Sink,
) -> Result<Rendered, Errors> {
    render_jobs(templates, site, &jobs(site), sink)
}

/// Renders the output files `jobs` of the site into `sink`.
pub fn render_jobs(
    templates: &Templates,
    site: &Site,
    jobs: &[Job],
    sink: &dyn Sink,
) -> Result<Rendered, Errors> {
    render_jobs_with(templates, site, jobs, sink, CardsNow::All)
}

/// [`render_jobs`], writing the share cards `cards_now` says.
pub fn render_jobs_with(
    templates: &Templates,
    site: &Site,
    jobs: &[Job],
    sink: &dyn Sink,
    cards_now: CardsNow,
) -> Result<Rendered, Errors> {
    templates.once_rendered()?;
    let views = Views::new(site);
    let cache = jobs::Cache::new(&views, templates.summaries(), Some(&templates.shared));
    let cards = match site.share_cards {
        true => crate::cards::Cards::new(site, &templates.theme)?,
        false => None,
    };
    // The sitemap's parts past `sitemap.xml` (none unless it is split).
    let sitemap_parts = std::sync::atomic::AtomicUsize::new(0);
    let cards_left = std::sync::Mutex::new(Vec::new());
    let failures: Vec<crate::error::Diagnostic> = jobs
        .par_iter()
        .filter_map(|&job| {
            let (path, template) = jobs::target(site, job)?;
            if job == Job::Sitemap {
                return match write_sitemap(templates, &views, sink, SITEMAP_LIMIT) {
                    Ok(parts) => {
                        sitemap_parts.store(parts, std::sync::atomic::Ordering::Relaxed);
                        None
                    }
                    Err(err) => Some(err),
                };
            }
            let context = jobs::context(&cache, job)?;
            let bytes = match templates.render(template, context) {
                Ok(bytes) => bytes,
                Err(err) => return Some(err),
            };
            if let Err(err) = sink.put(&path, &bytes) {
                return Some(err);
            }
            let card = match (job, &cards) {
                (Job::Page(i), Some(_)) => site
                    .pages
                    .get(i)
                    .filter(|page| crate::cards::needs_card(site, page)),
                _ => None,
            };
            let (Some(page), Some(cards)) = (card, &cards) else {
                return None;
            };
            let path = crate::cards::card_path(page);
            if cards_now == CardsNow::Cached {
                let Some(file) = cards.cached(page.title()) else {
                    let left = CardLeft {
                        path,
                        title: page.title().to_string(),
                    };
                    cards_left
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(left);
                    return None;
                };
                return sink.put_cached(&path, &file).err();
            }
            put_card(cards, &path, page.title(), sink).err()
        })
        .collect();
    let mut errors = Errors::default();
    for err in failures {
        // The same template error would repeat for every page using it.
        let text = err.to_string();
        if !errors.iter().any(|e| e.to_string() == text) {
            errors.push(err);
        }
    }
    let pages = jobs.iter().filter(|j| j.is_page()).count();
    errors.into_result(Rendered {
        pages,
        files: jobs.len() + sitemap_parts.into_inner(),
        cards_left: cards_left.into_inner().unwrap_or_else(|e| e.into_inner()),
    })
}

/// Writes the share card showing `title` at `path`: its file in the cache,
/// or drawn now.
fn put_card(
    cards: &crate::cards::Cards,
    path: &str,
    title: &str,
    sink: &dyn Sink,
) -> Result<(), Diagnostic> {
    match cards.png(title)? {
        crate::cards::Card::Cached(file) => sink.put_cached(path, &file),
        crate::cards::Card::Drawn(png) => sink.put(path, &png),
    }
}

/// Draws the share cards `left` by [`CardsNow::Cached`] into `sink`, each
/// path once, with the title it was last left with.
pub fn draw_cards(
    templates: &Templates,
    site: &Site,
    left: &[CardLeft],
    sink: &dyn Sink,
) -> Result<(), Errors> {
    let Some(cards) = crate::cards::Cards::new(site, &templates.theme)? else {
        return Ok(());
    };
    let last: std::collections::HashMap<&str, &str> = left
        .iter()
        .map(|card| (card.path.as_str(), card.title.as_str()))
        .collect();
    let failures: Vec<Diagnostic> = last
        .into_par_iter()
        .filter_map(|(path, title)| put_card(&cards, path, title, sink).err())
        .collect();
    failures.into_iter().collect::<Errors>().into_result(())
}

/// A sitemap file lists at most this many addresses. The protocol allows
/// 50,000 (and 50 MB); Zola splits at 30,000 too. Each part is made and
/// written in turn, so a big site's addresses are never all in one
/// template context (30 MB at 50k articles).
pub const SITEMAP_LIMIT: usize = 30_000;

/// The name of the sitemap's part `n` (from 1), when it is split.
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// Whether `rel` is a name a part of the sitemap may take.
pub fn is_sitemap_part(rel: &str) -> bool {
    rel.strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Writes `sitemap.xml` with the theme's template, every language's pages
/// in it. Past `limit` addresses ([`SITEMAP_LIMIT`]), each part is made
/// with that template (`sitemap-1.xml`...) and `sitemap.xml` is the index
/// of the parts. Returns how many parts.
pub(crate) fn write_sitemap(
    templates: &Templates,
    views: &Views,
    sink: &dyn Sink,
    limit: usize,
) -> Result<usize, Diagnostic> {
    let mut entries = crate::feeds::sitemap_entries(views);
    if !templates.more_sitemap.is_empty() {
        entries.extend(templates.more_sitemap.iter().cloned());
        entries.sort();
    }
    if entries.len() <= limit {
        let mut context = tera::Context::new();
        context.insert("entries", &entries);
        drop(entries);
        let bytes = templates.render("sitemap.xml", context)?;
        sink.put("sitemap.xml", &bytes)?;
        return Ok(0);
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut parts = 0;
    for (n, part) in (1..).zip(entries.chunks(limit.max(1))) {
        let mut context = tera::Context::new();
        context.insert("entries", part);
        let bytes = templates.render("sitemap.xml", context)?;
        let name = sitemap_part(n);
        sink.put(&name, &bytes)?;
        index.push_str("  <sitemap>\n    <loc>");
        push_escaped(&mut index, &views.permalink(&name));
        index.push_str("</loc>\n");
        if let Some(lastmod) = part.iter().filter_map(|e| e.lastmod.as_deref()).max() {
            index.push_str("    <lastmod>");
            push_escaped(&mut index, lastmod);
            index.push_str("</lastmod>\n");
        }
        index.push_str("  </sitemap>\n");
        parts = n;
    }
    index.push_str("</sitemapindex>\n");
    sink.put("sitemap.xml", index.as_bytes())?;
    Ok(parts)
}

/// Appends `text` escaped for XML.
fn push_escaped(out: &mut String, text: &str) {
    let mut bytes = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(text, &mut bytes);
    out.push_str(&String::from_utf8_lossy(&bytes));
}
