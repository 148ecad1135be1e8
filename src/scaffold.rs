//! `handout init` and `handout new`: files a writer starts from.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Diagnostic, Place};
use crate::frontmatter::Date;

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

/// Writes `content/articles/<slug>.md` for `title`; returns its path.
pub fn new_article(root: &Path, title: &str, today: Date) -> Result<PathBuf, Diagnostic> {
    let slug = slug::slugify(title);
    let refuse = |place: Place, message: String| Diagnostic::new(place, message);
    if slug.is_empty() {
        return Err(refuse(
            Place::file("content/articles"),
            format!("the title `{title}` has no letters or digits to make a file name from"),
        ));
    }
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(refuse(
            Place::file(root.join(crate::config::CONFIG_FILE)),
            "no site.yaml here: run this in a site folder, or pass --root".into(),
        ));
    }
    let dir = root.join(crate::content::CONTENT_DIR).join("articles");
    let path = dir.join(format!("{slug}.md"));
    if path.exists() || dir.join(&slug).exists() {
        return Err(refuse(
            Place::file(&path),
            "an article with this name already exists: choose another title or edit that file"
                .into(),
        ));
    }
    let front = NewArticle {
        title,
        description: "One sentence that tells readers what they will learn.",
        date: today.iso(),
        author: first_author(root),
        tags: [],
        draft: true,
    };
    let yaml =
        serde_yaml::to_string(&front).map_err(|err| refuse(Place::file(&path), err.to_string()))?;
    let text = format!(
        "---\n{yaml}---\n\nWrite the article here, in short sentences and everyday words.\n\n## A first heading\n\nMore text.\n"
    );
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    std::fs::write(&path, text).map_err(io(&path))?;
    Ok(path)
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
