//! Synthetic patient-education sites for handout's tests and benchmarks.
//!
//! [`generate`] writes a handout site (`site.yaml`, `content/articles`,
//! `content/locations`, `content/authors`) made of random but plausible
//! text: the same [`Corpus`] always gives the same bytes. [`to_hugo`]
//! turns such a site into an equivalent Hugo site, so the benchmark can
//! time both on the same pages.
//!
//! This crate is a development tool beside handout; it does not depend on
//! handout, and handout does not depend on it (only its tests and
//! benchmarks do).

mod article;
mod hugo;
mod people;
mod rng;
mod text;
mod vocabulary;
mod words;

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

pub use hugo::{to_hugo, Hugo};
use vocabulary::Vocabulary;

/// What to generate. [`Corpus::new`] gives the benchmark's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corpus {
    pub articles: usize,
    /// At least 1.
    pub locations: usize,
    /// At least 1.
    pub authors: usize,
    pub seed: u64,
    /// `paginate:` in `site.yaml` (`Some(0)` turns pagination off);
    /// `None` leaves handout's default.
    pub paginate: Option<usize>,
    /// Percent of articles (0 to 100) that also get a Spanish translation
    /// beside them (`<slug>.es.md`), with `languages: {es: ...}` in
    /// `site.yaml`; 0 makes a site in one language.
    pub translated: usize,
    /// Made-up words (see `vocabulary.rs`) that about a third of the
    /// nouns of articles are drawn from instead of the built-in lists, so
    /// the site has a real site's tens of thousands of distinct words,
    /// most of them rare; 0 keeps the built-in lists alone.
    pub vocabulary: usize,
}

impl Corpus {
    /// `articles` articles, 8 clinics, 12 clinicians, seed 1.
    pub fn new(articles: usize) -> Corpus {
        Corpus {
            articles,
            locations: 8,
            authors: 12,
            seed: 1,
            paginate: None,
            translated: 0,
            vocabulary: 0,
        }
    }
}

/// One file of a generated site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Relative to the site folder, `/`-separated.
    pub path: String,
    pub text: String,
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub articles: usize,
    pub drafts: usize,
    /// Words in article bodies.
    pub words: usize,
    pub locations: usize,
    pub authors: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} articles ({} drafts, {} body words), {} locations, {} authors",
            self.articles, self.drafts, self.words, self.locations, self.authors
        )
    }
}

#[derive(Debug)]
pub enum Error {
    /// The options cannot make a site.
    Invalid(String),
    /// The site folder already has content and `force` was not given.
    Exists(PathBuf),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(message) => f.write_str(message),
            Error::Exists(path) => write!(
                f,
                "{} already has a site in it; use --force to replace it",
                path.display()
            ),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn site_yaml(corpus: &Corpus) -> String {
    let mut yaml = String::from(
        "title: Example Physical Therapy\nbase_url: https://example.com\nlanguage: en\ntheme: default\n",
    );
    if let Some(n) = corpus.paginate {
        yaml.push_str(&format!("paginate: {n}\n"));
    }
    if corpus.translated > 0 {
        yaml.push_str(
            "languages:\n  es:\n    title: Ejemplo de Terapia Física\n    disclaimer: Este sitio es para aprender. No es un consejo médico.\n",
        );
    }
    yaml
}

/// Whether article `i` gets a translation: `percent` of every hundred.
fn is_translated(i: usize, percent: usize) -> bool {
    i % 100 < percent
}

/// A Spanish stand-in for an article: its front matter with the title
/// marked and the text as it is (the build's work is the same).
fn translation(text: &str) -> String {
    if text.contains("\ntitle: \"") {
        text.replacen("\ntitle: \"", "\ntitle: \"(es) ", 1)
    } else {
        text.replacen("\ntitle: ", "\ntitle: (es) ", 1)
    }
}

/// Every file of the site, in memory, and what they hold.
pub fn files(corpus: &Corpus) -> Result<(Vec<File>, Summary), Error> {
    if corpus.locations == 0 || corpus.authors == 0 {
        return Err(Error::Invalid(
            "a corpus needs at least one location and one author".into(),
        ));
    }
    if corpus.translated > 100 {
        return Err(Error::Invalid(
            "--translated is a percent of the articles: 0 to 100".into(),
        ));
    }
    let seed = corpus.seed;
    let mut files = vec![File {
        path: "site.yaml".into(),
        text: site_yaml(corpus),
    }];
    let authors = people::authors(seed, corpus.authors);
    for author in &authors {
        files.push(File {
            path: format!("content/authors/{}.md", author.slug),
            text: people::author_file(author),
        });
    }
    let locations = people::locations(seed, corpus.locations);
    for location in &locations {
        files.push(File {
            path: format!("content/locations/{}.md", location.slug),
            text: people::location_file(location),
        });
    }
    let mut seen = HashSet::new();
    let articles: Vec<article::Article> = (0..corpus.articles)
        .map(|i| article::article(seed, i, &authors, &locations, &mut seen))
        .collect();
    let vocabulary = (corpus.vocabulary > 0).then(|| Vocabulary::new(seed, corpus.vocabulary));
    // Links go only to published articles, so every link resolves
    // without --drafts, in handout and in Hugo alike.
    let published: Vec<&article::Article> = articles.iter().filter(|a| !a.draft).collect();
    let mut words = 0;
    for (i, article) in articles.iter().enumerate() {
        let mut rng = rng::Rng::new(seed, rng::Stream::Links, i as u64);
        let targets: Vec<&article::Article> = rng
            .sample(&published, 6)
            .into_iter()
            .filter(|t| !std::ptr::eq(*t, article))
            .collect();
        let text = article::file(article, &targets, vocabulary.as_ref()).ok_or_else(|| {
            Error::Invalid(format!(
                "article {} came out outside {:?} words",
                article.slug,
                article::WORDS
            ))
        })?;
        words += text
            .split_once("\n---\n")
            .map_or(0, |(_, b)| text::count_words(b));
        if is_translated(i, corpus.translated) {
            files.push(File {
                path: format!("content/articles/{}.es.md", article.slug),
                text: translation(&text),
            });
        }
        files.push(File {
            path: format!("content/articles/{}.md", article.slug),
            text,
        });
    }
    let summary = Summary {
        articles: articles.len(),
        drafts: articles.len() - published.len(),
        words,
        locations: locations.len(),
        authors: authors.len(),
    };
    Ok((files, summary))
}

/// Writes the site into `out` (made if missing). A folder that already
/// has `content/` or `site.yaml` is refused unless `force`, which
/// replaces them.
pub fn generate(corpus: &Corpus, out: &Path, force: bool) -> Result<Summary, Error> {
    let (files, summary) = files(corpus)?;
    let content = out.join("content");
    let config = out.join("site.yaml");
    if content.exists() || config.exists() {
        if !force {
            return Err(Error::Exists(out.to_path_buf()));
        }
        if content.exists() {
            std::fs::remove_dir_all(&content).map_err(io(&content))?;
        }
    }
    for file in &files {
        let path = out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, &file.text).map_err(io(&path))?;
    }
    Ok(summary)
}
