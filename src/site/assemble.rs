//! The passes of [`assemble`]: paths, references, bodies, anchors, tables,
//! clinics and photos, then shortcode calls; each pass adds to one list of
//! errors, so a build reports all it finds.

use rayon::prelude::*;

use super::{
    arrange, check_unique_paths, leave_out, order, page_path, resolve_refs, Page, Site,
    SiteOptions, SlugIndex, Spill, Spilled,
};
use crate::comparison::Table;
use crate::config::{BaseUrl, Config};
use crate::content::{Content, Meta, SourcePage};
use crate::error::{Diagnostic, Errors, Place};
use crate::links::{Differences, IdDifferences, LinkTargets, PageLinks, Target};
use crate::markdown::{self, Rendered};
use crate::words::{BodyWords, Lexicon};
use crate::yaml::lines::key_line;
use std::sync::Arc;

/// Builds the site model from loaded content; reports every problem found.
/// `previous`, the last good build of the same site, lets unchanged pages
/// keep their rendered bodies (what `serve` does on every save).
pub fn assemble(
    config: Config,
    content: Content,
    options: SiteOptions,
    shortcodes: &crate::shortcode::Specs,
    previous: Option<&Site>,
    images: crate::images::Images,
) -> Result<Site, Errors> {
    let images = Arc::new(images);
    assemble_with(config, content, options, shortcodes, previous, images, None)
}

/// `assemble`, for a language other than the default one: links to a page
/// with no translation in it go to `fallback`'s (the default language's).
pub fn assemble_with(
    config: Config,
    content: Content,
    options: SiteOptions,
    shortcodes: &crate::shortcode::Specs,
    previous: Option<&Site>,
    images: Arc<crate::images::Images>,
    fallback: Option<&LinkTargets>,
) -> Result<Site, Errors> {
    let (mut sources, left_out, left_out_rels) = leave_out(content.pages, &options);
    // Where each page goes in the lists, and the taxonomies, beside the
    // rest: they need the front matter alone, and the rest has stretches
    // on one core (6.9 ms of taxonomies at 10k, on every reassembly).
    let metas: Vec<Arc<Meta>> = sources.iter().map(|p| Arc::clone(&p.meta)).collect();
    let (arranged, made) = rayon::join(
        || arrange(&metas, previous),
        || -> Result<(Vec<Page>, LinkTargets, Arc<Lexicon>), Errors> {
            let mut errors = Errors::default();
            let last = last_pages(previous, &sources);
            let paths = page_paths(&sources, &config, &mut errors);
            let mut targets = LinkTargets {
                assets: content.assets.iter().map(|a| a.rel.clone()).collect(),
                left_out: left_out_rels,
                broken: content.broken.iter().cloned().collect(),
                images,
                ..LinkTargets::default()
            };
            if let Some(fallback) = fallback {
                for (rel, target) in &fallback.pages {
                    targets.pages.insert(rel.clone(), target.clone());
                    targets.fallback.insert(rel.clone());
                }
                targets.left_out.extend(fallback.left_out.iter().cloned());
                targets.broken.extend(fallback.broken.iter().cloned());
            }
            add_pages(&mut targets, &sources, &paths);
            let slugs = SlugIndex::new(&sources, &content.broken);
            let refs = each_page(&sources, &mut errors, |_, page, errors| {
                resolve_refs(page, &slugs, errors)
            });
            check_tables(&sources, &last, &mut errors);
            // Which links resolve differently than in the last site, told once
            // (heading ids are not known yet, and not part of it).
            let differences = previous.map(|p| p.targets.differences(&targets));
            let base = &config.base;
            let lexicon = previous.map_or_else(Arc::default, |p| p.lexicon.clone());
            let search = (config.search && options.count_words).then_some(&*lexicon);
            let spill = options.spill.as_ref();
            let (rendered, words, spilled, unread) = render_bodies(
                &mut sources,
                &mut targets,
                base,
                differences.as_ref().map(|d| (&last[..], d)),
                search,
                spill,
                options.edits,
            );
            errors.extend(unread);
            check_anchors(&sources, &rendered, &targets, base, &mut errors);
            // Which pages' heading ids changed, now that the bodies are in.
            let ids = previous.map(|p| p.targets.id_differences(&targets));
            let (tables, table_links) = render_tables(
                &sources,
                &last,
                &targets,
                base,
                differences.as_ref().zip(ids.as_ref()),
                options.edits,
                &mut errors,
            );
            let author_slugs: Vec<&str> = slugs.authors.keys().map(String::as_str).collect();
            let photos = each_page(&sources, &mut errors, |_, page, errors| {
                if let Meta::Location(meta) = &*page.meta {
                    crate::location::check(page, meta, &author_slugs, errors);
                }
                photo(page, &PageLinks::for_page(&targets, base, page), errors)
            });
            each_page(&sources, &mut errors, |i, page, errors| {
                if let Some(body) = rendered.get(i) {
                    errors.extend(check_body(page, body, shortcodes));
                }
            });
            if !errors.is_empty() {
                return Err(errors);
            }
            let pages: Vec<Page> = sources
                .into_iter()
                .zip(paths)
                .zip(rendered)
                .zip(refs)
                .zip(tables.into_iter().zip(table_links))
                .zip(photos)
                .zip(words)
                .zip(spilled)
                .map(
                    |(
                        ((((((source, path), body), refs), (tables, table_links)), photo), words),
                        spilled,
                    )| Page {
                        source,
                        path: path.unwrap_or_default(),
                        body,
                        refs,
                        tables,
                        table_links,
                        photo,
                        expanded: None,
                        spilled,
                        words,
                    },
                )
                .collect();
            Ok((pages, targets, lexicon))
        },
    );
    let (pages, targets, lexicon) = made?;
    let mut site = order(config, pages, arranged, content.assets, left_out);
    site.today = options.today;
    site.targets = targets;
    site.lexicon = lexicon;
    Ok(site)
}

/// Every page's URL path; `None` (with an error) where it cannot have one.
fn page_paths(sources: &[SourcePage], config: &Config, errors: &mut Errors) -> Vec<Option<String>> {
    let paths = each_page(sources, errors, |_, page, errors| {
        page_path(page, &config.prefix)
            .map_err(|err| errors.push(err))
            .ok()
    });
    check_unique_paths(sources, &paths, config.search, &config.prefix, errors);
    paths
}

/// Every page as a link target. Heading ids come from rendering the
/// bodies, so anchors are checked after `render_bodies`.
fn add_pages(targets: &mut LinkTargets, sources: &[SourcePage], paths: &[Option<String>]) {
    targets.ids_pending = true;
    targets.pages.reserve(sources.len());
    for (page, path) in sources.iter().zip(paths) {
        let target = Target {
            path: path.clone().unwrap_or_default(),
            body: None,
        };
        // A translation answers links to its original too.
        if page.lang.is_some() {
            if let Some(original) = &page.original {
                targets.fallback.remove(original);
                targets.pages.insert(original.clone(), target.clone());
            }
        }
        targets.fallback.remove(&page.rel);
        targets.pages.insert(page.rel.clone(), target);
    }
}

/// Each page's page in the last site (`serve`), if it had one. The two
/// lists are in the same order, so they are walked in step, and a page
/// is looked up by its file only where they part (a page came or went):
/// each step over the pages looking each up was 1 ms or more at 10k.
fn last_pages<'a>(previous: Option<&'a Site>, sources: &[SourcePage]) -> Vec<Option<&'a Page>> {
    let Some(previous) = previous else {
        return vec![None; sources.len()];
    };
    let mut next = 0;
    sources
        .iter()
        .map(|page| {
            let at = match previous.pages.get(next) {
                Some(last) if last.source.rel == page.rel => Some(next),
                _ => previous.by_rel.get(&page.rel).copied(),
            };
            if let Some(at) = at {
                next = at + 1;
            }
            previous.pages.get(at?)
        })
        .collect()
}

/// Page `i`'s page in the last site, from [`last_pages`].
fn last_page<'a>(last: &[Option<&'a Page>], i: usize) -> Option<&'a Page> {
    last.get(i).copied().flatten()
}

/// The page of the previous build with the same body, if any.
fn unchanged<'a>(last: Option<&'a Page>, page: &SourcePage) -> Option<&'a Page> {
    last.filter(|prev| crate::content::same_text(&prev.source.body, &page.body))
}

/// The shape of every comparison table, on all cores. A page with the
/// front matter it had in the previous site (`serve`) passed this check
/// then.
fn check_tables(sources: &[SourcePage], last: &[Option<&Page>], errors: &mut Errors) {
    each_page(sources, errors, |i, page, errors| {
        let checked = last_page(last, i).is_some_and(|was| was.source.same_front_matter(page));
        if let (false, Meta::Article(meta)) = (checked, &*page.meta) {
            crate::comparison::check(page, meta, errors);
        }
    });
}

/// `each` of every page (its index, the page, where its errors go), on
/// all cores; the errors are added to `errors` in page order. Each step
/// over the pages took 1 to 5 ms of one core at 10k, every time `serve`
/// assembled the site again.
fn each_page<T: Send>(
    sources: &[SourcePage],
    errors: &mut Errors,
    each: impl Fn(usize, &SourcePage, &mut Errors) -> T + Sync,
) -> Vec<T> {
    let (made, found): (Vec<T>, Vec<Errors>) = sources
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let mut errors = Errors::default();
            (each(i, page, &mut errors), errors)
        })
        .unzip();
    for more in found {
        errors.extend(more);
    }
    made
}

/// Every body as HTML, on all cores, reusing the previous build's where
/// nothing it depends on changed; then every page's heading ids are known.
/// With search on (`lexicon`), each body's words are counted as it renders.
/// With a `spill`, each body's HTML is written there as it renders and its
/// Markdown dropped, so neither is held for every page at once. A body
/// left in its file is read again here (an error if the file changed).
#[allow(clippy::type_complexity)]
fn render_bodies(
    sources: &mut [SourcePage],
    targets: &mut LinkTargets,
    base: &BaseUrl,
    previous: Option<(&[Option<&Page>], &Differences)>,
    lexicon: Option<&Lexicon>,
    spill: Option<&Arc<Spill>>,
    edits: bool,
) -> (
    Vec<Arc<Rendered>>,
    Vec<Option<Arc<BodyWords>>>,
    Vec<Option<Spilled>>,
    Errors,
) {
    let (last, differences) = previous.unzip();
    let targets_now = &*targets;
    // Bodies whose links resolve to the same URLs render the same. When
    // pages came or went, a body still renders the same if no file its
    // links looked up resolves differently (and it had no broken link,
    // whose message may name the nearest page).
    let links_alike = |prev: &Page| {
        differences.is_some_and(|d| {
            d.none()
                || prev.body.problems.is_empty()
                    && prev
                        .body
                        .looked_up
                        .as_deref()
                        .is_some_and(|rels| d.resolve_alike(rels))
        })
    };
    let (rendered, (rest, unread)): (
        Vec<Arc<Rendered>>,
        (
            Vec<(Option<Arc<BodyWords>>, Option<Spilled>)>,
            Vec<Option<Diagnostic>>,
        ),
    ) = sources
        .par_iter_mut()
        .enumerate()
        .map(|(i, page)| {
            let last = last.and_then(|last| last_page(last, i));
            let reusable = unchanged(last, page)
                .filter(|prev| prev.words.is_some() == lexicon.is_some() && links_alike(prev));
            if let Some(prev) = reusable {
                return (Arc::clone(&prev.body), ((prev.words.clone(), None), None));
            }
            let links = PageLinks::for_page(targets_now, base, page);
            let text = match page.body_text() {
                Ok(text) => text,
                Err(err) => return (Arc::default(), ((None, None), Some(err))),
            };
            let mut body = markdown::render(&text, &links);
            drop(text);
            if !edits {
                body.looked_up = None;
            }
            let words = lexicon.map(|lexicon| Arc::new(super::body_words(lexicon, &mut body)));
            // Not kept for the whole build when search is off.
            body.text = String::new();
            let Some(spill) = spill else {
                return (Arc::new(body), ((words, None), None));
            };
            // Other languages show the clinics and clinicians they have no
            // translation of from their sources (few pages): `lib` drops
            // those once the other languages are made.
            if !matches!(*page.meta, Meta::Location(_) | Meta::Author(_)) {
                page.body = Arc::from("");
            }
            let spilled = match spill.put(std::mem::take(&mut body.html)) {
                Ok(spilled) => Some(spilled),
                Err(html) => {
                    body.html = html;
                    None
                }
            };
            (Arc::new(body), ((words, spilled), None))
        })
        .unzip();
    let (words, spilled) = rest.into_iter().unzip();
    let unread: Errors = unread.into_iter().flatten().collect();
    for (page, body) in sources.iter().zip(&rendered) {
        if let Some(original) = page.original.as_ref().filter(|_| page.lang.is_some()) {
            if let Some(target) = targets.pages.get_mut(original) {
                target.body = Some(Arc::clone(body));
            }
        }
        if let Some(target) = targets.pages.get_mut(&page.rel) {
            target.body = Some(Arc::clone(body));
        }
    }
    targets.ids_pending = false;
    (rendered, words, spilled, unread)
}

/// Links with a `#heading-id` name a heading that exists.
fn check_anchors(
    sources: &[SourcePage],
    rendered: &[Arc<Rendered>],
    targets: &LinkTargets,
    base: &BaseUrl,
    errors: &mut Errors,
) {
    // Most bodies have no `#anchor` link to check.
    let anchored = sources
        .iter()
        .zip(rendered)
        .filter(|(_, body)| !body.anchors.is_empty());
    for (page, body) in anchored {
        let links = PageLinks::for_page(targets, base, page);
        for (line, rel, anchor) in &body.anchors {
            if let Err(message) = links.check_anchor(rel, anchor) {
                errors.push(Diagnostic::new(
                    Place::at(&page.path, page.body_line + line - 1, None),
                    message,
                ));
            }
        }
    }
}

/// Every article's comparison tables, on all cores, with the files their
/// links looked up when `edits` (`serve`). Tables check their anchors as
/// they render: the previous build's are kept only when every page their
/// links looked up, and the page itself, has the same URL and heading ids.
#[allow(clippy::type_complexity)]
fn render_tables(
    sources: &[SourcePage],
    last: &[Option<&Page>],
    targets: &LinkTargets,
    base: &BaseUrl,
    differences: Option<(&Differences, &IdDifferences)>,
    edits: bool,
    errors: &mut Errors,
) -> (Vec<Arc<[Table]>>, Vec<Option<Arc<[String]>>>) {
    // Tables whose links find the same pages, with the same heading ids,
    // render the same (when pages came or went: all of them at 10k).
    let links_alike = |prev: &Page| {
        differences.is_some_and(|(d, ids)| {
            prev.table_links
                .as_deref()
                .is_some_and(|rels| d.check_alike(ids, rels))
        })
    };
    let made = each_page(sources, errors, |i, page, errors| {
        let reusable = unchanged(last_page(last, i), page)
            .filter(|prev| prev.source.same_front_matter(page) && links_alike(prev));
        match (&*page.meta, reusable) {
            (Meta::Article(_), Some(prev)) => (prev.tables.clone(), prev.table_links.clone()),
            (Meta::Article(meta), None) => {
                let links = PageLinks::for_page(targets, base, page);
                let tables = crate::comparison::render(page, meta, &links, errors);
                // `#anchor` alone checks the page's own headings.
                let looked_up = edits.then(|| {
                    let mut rels = links.looked_up.into_inner().unwrap_or_default();
                    rels.push(page.rel.clone());
                    rels
                });
                (Arc::from(tables), looked_up.map(Arc::from))
            }
            _ => (Arc::from([]), None),
        }
    });
    made.into_iter().unzip()
}

/// Problems the Markdown pass found in one body, and its shortcode calls
/// checked against the theme's shortcodes and the page's tables: for
/// every body as the site is assembled, and by `serve` when it renders
/// one body again.
pub fn check_body(
    page: &SourcePage,
    body: &Rendered,
    shortcodes: &crate::shortcode::Specs,
) -> Errors {
    let mut errors = Errors::default();
    let at = |line: usize| Place::at(&page.path, page.body_line + line - 1, None);
    for (line, message) in &body.problems {
        errors.push(Diagnostic::new(at(*line), message.clone()));
    }
    for call in &body.shortcodes {
        if let Err(message) = crate::shortcode::check(call, shortcodes) {
            errors.push(Diagnostic::new(at(call.line), message));
        }
    }
    if let Meta::Article(meta) = &*page.meta {
        for (line, message) in crate::comparison::check_calls(meta, &body.shortcodes) {
            errors.push(Diagnostic::new(at(line), message));
        }
    }
    errors
}

/// A clinic's or author's `photo`, or an article's `image`, checked like an image link: a file
/// beside the page or from `content/` (returned from `content/`), or a
/// full URL (returned as it is).
fn photo(page: &SourcePage, links: &PageLinks, errors: &mut Errors) -> Option<String> {
    let (key, written) = match &*page.meta {
        Meta::Location(meta) => ("photo", meta.photo.as_deref()),
        Meta::Author(meta) => ("photo", meta.photo.as_deref()),
        Meta::Article(meta) => ("image", meta.image.as_deref()),
        _ => ("photo", None),
    };
    let written = written?;
    if written.contains("://") {
        return Some(written.to_string());
    }
    let rel = crate::links::normalize(links.dir, written);
    let place = || {
        Place::at(
            &page.path,
            key_line(&page.front_matter(), "photo") + 1,
            Some(1),
        )
    };
    if let Some(problem) = rel
        .as_deref()
        .and_then(|rel| links.targets.images.problem(rel, written))
    {
        errors.push(Diagnostic::new(place(), problem));
        return None;
    }
    let rel = rel.filter(|rel| links.targets.assets.contains(rel));
    if rel.is_none() {
        errors.push(Diagnostic::new(place(), format!(
                "{key} `{written}` is not a file under content/: put the picture beside this file (a folder <slug>/index.md holds both) or give a full URL"
            )));
    }
    rel
}
