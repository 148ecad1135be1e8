//! `handout init` and `handout new`: files a writer starts from.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Diagnostic, Place};
use crate::frontmatter::Date;

mod translation;

pub use translation::new_translation;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Diagnostic + '_ {
    move |source| Diagnostic::io(Place::file(path), "cannot write", source)
}

/// The starter site: one page of each kind, using the built-in theme.
const STARTER: &[(&str, &str)] = &[
    ("site.yaml", include_str!("scaffold/site.yaml")),
    ("content/index.md", include_str!("scaffold/index.md")),
    ("content/about.md", include_str!("scaffold/about.md")),
    (
        "content/articles/first-visit.md",
        include_str!("scaffold/first-visit.md"),
    ),
    (
        "content/locations/main-street.md",
        include_str!("scaffold/main-street.md"),
    ),
    (
        "content/authors/jane-doe.md",
        include_str!("scaffold/jane-doe.md"),
    ),
];

/// Creates a new site in `dir`, which must be missing or empty. The example
/// article is dated (and reviewed) `today`, so a new site passes `check`.
pub fn init(dir: &Path, today: Date) -> Result<(), Diagnostic> {
    if let Ok(mut entries) = std::fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(Diagnostic::new(
                Place::file(dir),
                "the folder is not empty: choose a new folder for the site",
            ));
        }
    }
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, text.replace("TODAY", &today.iso())).map_err(io(&path))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct NewArticle<'a> {
    title: &'a str,
    description: &'a str,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    tags: [&'a str; 0],
    draft: bool,
}

/// What `handout new` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Article,
    Location,
    Author,
    Page,
}

impl NewKind {
    /// The folder under `content/` that holds this kind.
    pub(crate) fn folder(self) -> &'static str {
        match self {
            NewKind::Article => "articles",
            NewKind::Location => "locations",
            NewKind::Author => "authors",
            NewKind::Page => "",
        }
    }

    fn name(self) -> &'static str {
        match self {
            NewKind::Article => "article",
            NewKind::Location => "clinic",
            NewKind::Author => "author",
            NewKind::Page => "page",
        }
    }

    /// Articles and pages start as drafts; clinics and authors cannot be
    /// drafts, so theirs start with placeholders marked `# replace`.
    pub fn is_draft(self) -> bool {
        matches!(self, NewKind::Article | NewKind::Page)
    }
}

/// Writes `content/<folder>/<slug>.md` for a new page of `kind` named
/// `title`; returns its path from `root`.
pub fn new_page(
    root: &Path,
    kind: NewKind,
    title: &str,
    today: Date,
) -> Result<PathBuf, Diagnostic> {
    let slug = slug::slugify(title);
    let dir = Path::new(crate::content::CONTENT_DIR).join(kind.folder());
    if slug.is_empty() {
        return Err(Diagnostic::new(
            Place::file(&dir),
            format!("the title `{title}` has no letters or digits to make a file name from"),
        ));
    }
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(Diagnostic::new(
            Place::file(root.join(crate::config::CONFIG_FILE)),
            "no site.yaml here",
        )
        .hint("run this inside the site folder, or name it with --root"));
    }
    let rel = dir.join(format!("{slug}.md"));
    if kind == NewKind::Page && crate::site::RESERVED.contains(&format!("{slug}/").as_str()) {
        return Err(Diagnostic::new(
            Place::file(&rel),
            format!("/{slug}/ is a page handout makes itself"),
        )
        .hint("choose another title"));
    }
    if root.join(&rel).exists() || root.join(&dir).join(&slug).exists() {
        return Err(Diagnostic::new(
            Place::file(&rel),
            format!("a {} named `{slug}` already exists", kind.name()),
        )
        .hint("choose another title, or edit that file"));
    }
    let text = match kind {
        NewKind::Article => article_text(root, title, today),
        NewKind::Location => location_text(root, title),
        NewKind::Author => fill(include_str!("scaffold/new/author.md"), title),
        NewKind::Page => fill(include_str!("scaffold/new/page.md"), title),
    };
    let path = root.join(&rel);
    let parent = root.join(&dir);
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    std::fs::write(&path, text).map_err(io(&path))?;
    Ok(rel)
}

/// `title` as a YAML value (quoted when it needs to be).
fn yaml_text(title: &str) -> String {
    serde_yaml::to_string(title)
        .map(|yaml| yaml.trim_end().to_string())
        .unwrap_or_else(|_| format!("{title:?}"))
}

/// A template with `NAME` (as YAML) and `NAME_TEXT` (as prose) filled in.
fn fill(template: &str, title: &str) -> String {
    template
        .replace("NAME_TEXT", title)
        .replace("NAME", &yaml_text(title))
}

fn article_text(root: &Path, title: &str, today: Date) -> String {
    let front = NewArticle {
        title,
        description: "One sentence that tells readers what they will learn.",
        date: today.iso(),
        author: first_author(root),
        tags: [],
        draft: true,
    };
    let yaml = serde_yaml::to_string(&front).unwrap_or_default();
    format!(
        "---\n{yaml}---\n\nWrite the article here, in short sentences and everyday words.\n\n## A first heading\n\nMore text.\n"
    )
}

/// A clinic in `title`'s town, in the region of the site's first clinic.
fn location_text(root: &Path, title: &str) -> String {
    let region = first_region(root).unwrap_or_else(|| "IL".to_string());
    fill(include_str!("scaffold/new/location.md"), title)
        .replace("CITY", &yaml_text(title))
        .replace("REGION", &yaml_text(&region))
}

/// The address region of the first clinic that loads (a broken clinic
/// file must not stop a new one being made).
fn first_region(root: &Path) -> Option<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("content/locations"))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files.iter().find_map(|file| {
        let text = std::fs::read_to_string(file).ok()?;
        let split = crate::content::split_front_matter(&text).ok()?;
        let meta: crate::frontmatter::LocationMeta =
            crate::yaml::parse(split.front_matter, 2).ok()?;
        Some(meta.address.region)
    })
}

/// The alphabetically first author slug, as a starting point.
fn first_author(root: &Path) -> Option<String> {
    let mut slugs: Vec<String> = std::fs::read_dir(root.join("content/authors"))
        .ok()?
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".md")
                .map(str::to_string)
        })
        .collect();
    slugs.sort();
    slugs.into_iter().next()
}
