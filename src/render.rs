//! Stage 5 of the build: the site model through the theme's Tera templates,
//! in parallel, into output files (pages, lists, taxonomies, sitemap, feed,
//! robots.txt, 404).

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::error::{Errors, Place};
use crate::site::{Site, TaxonomyKind};
use crate::theme::Theme;
use crate::view::{SectionView, Views};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{place}: {message}")]
    Template { place: Place, message: String },
}

/// A file to write, by its path under the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// With `/`: `articles/a/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn is_page(&self) -> bool {
        self.path.ends_with(".html")
    }
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

/// The theme's templates, compiled once and shared by all render threads.
pub struct Templates {
    tera: Tera,
    theme: Theme,
}

impl Templates {
    /// Compiles every template of the theme; reports syntax errors with
    /// their template file, line and column.
    pub fn load(theme: &Theme) -> Result<Templates, Errors> {
        let mut errors = Errors::default();
        let mut sources = Vec::new();
        for (name, file) in &theme.templates {
            match file.read().map(String::from_utf8) {
                Ok(Ok(text)) => sources.push((name.clone(), text)),
                Ok(Err(_)) => errors.push(RenderError::Template {
                    place: Place::file(&file.shown),
                    message: "the template is not valid UTF-8 text".into(),
                }),
                Err(err) => errors.push(RenderError::Template {
                    place: Place::file(&file.shown),
                    message: format!("cannot read: {err}"),
                }),
            }
        }
        for name in REQUIRED {
            if !theme.templates.contains_key(name) {
                errors.push(RenderError::Template {
                    place: Place::file(format!("themes/{}/templates/{name}", theme.chain.first().map_or("", String::as_str))),
                    message: format!(
                        "the theme has no template `{name}`: add it, or say `extends: default` in theme.yaml"
                    ),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::new();
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|err| template_error(theme, None, &err))?;
        Ok(Templates {
            tera,
            theme: theme.clone(),
        })
    }

    fn render(&self, name: &str, context: &Context) -> Result<Vec<u8>, RenderError> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|err| template_error(&self.theme, Some(name), &err))?;
        Ok(out)
    }
}

/// A Tera error with the theme file it is in.
fn template_error(theme: &Theme, rendering: Option<&str>, err: &tera::Error) -> RenderError {
    let shown = |name: &str| {
        theme
            .templates
            .get(name)
            .map_or_else(|| PathBuf::from(name), |f| f.shown.clone())
    };
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let file = if report.filename().is_empty() {
                rendering.unwrap_or("")
            } else {
                report.filename()
            };
            RenderError::Template {
                place: Place::at(shown(file), span.start_line, Some(span.start_col + 1)),
                message: report.message().to_string(),
            }
        }
        _ => RenderError::Template {
            place: rendering.map_or_else(|| Place::file("themes"), |n| Place::file(shown(n))),
            message: err.to_string(),
        },
    }
}

/// One page to render: its output path, template and extra context.
struct Job {
    path: String,
    template: &'static str,
    context: Context,
}

fn context_with<T: Serialize>(key: &'static str, value: &T) -> Context {
    let mut context = Context::new();
    context.insert(key, value);
    context
}

/// Renders every output file of the site.
pub fn render_site(templates: &mut Templates, site: &Site) -> Result<Vec<OutputFile>, Errors> {
    let views = Views { site };
    templates
        .tera
        .global_context()
        .insert("site", &views.site());
    let jobs = jobs(&views);
    let results: Vec<Result<OutputFile, RenderError>> = jobs
        .par_iter()
        .map(|job| {
            templates
                .render(job.template, &job.context)
                .map(|bytes| OutputFile {
                    path: job.path.clone(),
                    bytes,
                })
        })
        .collect();
    let mut errors = Errors::default();
    let mut files = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(err) => {
                // The same template error would repeat for every page using it.
                let text = err.to_string();
                if !errors.iter().any(|e| e.to_string() == text) {
                    errors.push(err);
                }
            }
        }
    }
    errors.into_result(files)
}

fn jobs(views: &Views) -> Vec<Job> {
    let site = views.site;
    let mut jobs = Vec::new();
    let home_view = site.home.and_then(|i| views.page_view(i));
    let home = home_view.unwrap_or_else(|| crate::view::PageView {
        kind: "home",
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        url: views.url(""),
        permalink: views.permalink(""),
        content: String::new(),
        toc: Vec::new(),
        extra: None,
    });
    jobs.push(Job {
        path: "index.html".into(),
        template: "index.html",
        context: context_with("page", &home),
    });
    for (i, page) in site.pages.iter().enumerate() {
        let template = match page.source.meta {
            crate::content::Meta::Home(_) => continue,
            crate::content::Meta::Article(_) => "article.html",
            crate::content::Meta::Location(_) => "location.html",
            crate::content::Meta::Author(_) => "author.html",
            crate::content::Meta::Plain(_) => "page.html",
        };
        if let Some(view) = views.page_view(i) {
            jobs.push(Job {
                path: format!("{}index.html", page.path),
                template,
                context: context_with("page", &view),
            });
        }
    }
    jobs.push(section(
        views,
        "articles/",
        "Articles",
        "article_list.html",
        views.articles(&site.articles),
    ));
    let locations: Vec<_> = site
        .locations
        .iter()
        .filter_map(|&i| views.location_summary(i))
        .collect();
    jobs.push(section(
        views,
        "locations/",
        "Locations",
        "location_list.html",
        locations,
    ));
    let authors: Vec<_> = site
        .authors
        .iter()
        .filter_map(|&i| views.author_summary(i))
        .collect();
    jobs.push(section(
        views,
        "authors/",
        "Authors",
        "author_list.html",
        authors,
    ));
    for taxonomy in &site.taxonomies {
        let kind: TaxonomyKind = taxonomy.kind;
        if let Some(view) = views.taxonomy(kind) {
            jobs.push(Job {
                path: format!("{}/index.html", kind.name()),
                template: "taxonomy.html",
                context: context_with("taxonomy", &view),
            });
            for term in &taxonomy.terms {
                let mut context = context_with("taxonomy", &view);
                context.insert("term", &views.term(kind, term));
                jobs.push(Job {
                    path: format!("{}index.html", term.path(kind)),
                    template: "term.html",
                    context,
                });
            }
        }
    }
    jobs.push(Job {
        path: "404.html".into(),
        template: "404.html",
        context: Context::new(),
    });
    jobs.push(Job {
        path: "sitemap.xml".into(),
        template: "sitemap.xml",
        context: context_with("entries", &crate::feeds::sitemap_entries(views)),
    });
    jobs.push(Job {
        path: "feed.xml".into(),
        template: "feed.xml",
        context: context_with("feed", &crate::feeds::feed(views)),
    });
    jobs.push(Job {
        path: "robots.txt".into(),
        template: "robots.txt",
        context: Context::new(),
    });
    jobs
}

fn section<T: Serialize>(
    views: &Views,
    path: &str,
    title: &'static str,
    template: &'static str,
    pages: Vec<T>,
) -> Job {
    let view = SectionView {
        title,
        url: views.url(path),
        permalink: views.permalink(path),
        pages,
    };
    Job {
        path: format!("{path}index.html"),
        template,
        context: context_with("section", &view),
    }
}
