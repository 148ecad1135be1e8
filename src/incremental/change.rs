//! What a changed path means to the site: the watcher's logic, pure so it
//! can be tested without a file system.

use std::path::Path;

/// What a changed path is to the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// `site.yaml`: everything may change.
    Config,
    /// A template, shortcode or `theme.yaml`: every page may change.
    Template,
    /// A file of a theme's `static/`, by its path there.
    ThemeStatic { rel: String, css: bool },
    /// A Markdown file under `content/`, from there.
    Page(String),
    /// Another file under `content/`, from there.
    Asset(String),
    /// A folder under `content/` came or went: reload the content.
    ContentTree,
    /// Editor swap and backup files, the output, anything else.
    Ignored,
}

/// Sorts a changed path; pure, so the watcher's logic is testable.
pub fn classify(root: &Path, path: &Path, is_dir: bool) -> ChangeKind {
    let Ok(rel) = path.strip_prefix(root) else {
        return ChangeKind::Ignored;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if crate::content::is_ignored(&name) {
        return ChangeKind::Ignored;
    }
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    match parts
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [crate::config::CONFIG_FILE] => ChangeKind::Config,
        [crate::content::CONTENT_DIR] => ChangeKind::ContentTree,
        // A synonyms file shapes a whole index, like site.yaml.
        [crate::content::CONTENT_DIR, file]
            if crate::content::synonyms_language(file).is_some() =>
        {
            ChangeKind::Config
        }
        [crate::content::CONTENT_DIR, rest @ ..] => {
            let rel = rest.join("/");
            if is_dir {
                ChangeKind::ContentTree
            } else if rel.ends_with(".md") {
                ChangeKind::Page(rel)
            } else if Path::new(&name).extension().is_none() && !path.is_file() {
                // A folder that is gone looks like a file with no extension.
                ChangeKind::ContentTree
            } else {
                ChangeKind::Asset(rel)
            }
        }
        [crate::theme::THEMES_DIR, _theme, "static", rest @ ..] if !rest.is_empty() => {
            let rel = rest.join("/");
            let css = rel.ends_with(".css");
            ChangeKind::ThemeStatic { rel, css }
        }
        [crate::theme::THEMES_DIR, ..] => ChangeKind::Template,
        // The site's own words for the theme: seen by every page.
        [crate::theme::SITE_STRINGS_DIR, ..] => ChangeKind::Template,
        _ => ChangeKind::Ignored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_changes() {
        let root = Path::new("/site");
        let kind = |p: &str| classify(root, Path::new(p), false);
        assert_eq!(kind("/site/site.yaml"), ChangeKind::Config);
        for synonyms in ["search-synonyms.yaml", "search-synonyms.es.yaml"] {
            assert_eq!(
                kind(&format!("/site/content/{synonyms}")),
                ChangeKind::Config
            );
        }
        assert_eq!(
            kind("/site/content/search-synonyms.old.yaml"),
            ChangeKind::Asset("search-synonyms.old.yaml".into())
        );
        assert_eq!(
            kind("/site/content/articles/a.md"),
            ChangeKind::Page("articles/a.md".into())
        );
        assert_eq!(
            kind("/site/content/articles/a/photo.jpg"),
            ChangeKind::Asset("articles/a/photo.jpg".into())
        );
        assert_eq!(
            kind("/site/themes/brand/templates/base.html"),
            ChangeKind::Template
        );
        assert_eq!(kind("/site/themes/brand/theme.yaml"), ChangeKind::Template);
        assert_eq!(kind("/site/i18n/es.yaml"), ChangeKind::Template);
        assert_eq!(
            kind("/site/themes/brand/static/css/style.css"),
            ChangeKind::ThemeStatic {
                rel: "css/style.css".into(),
                css: true
            }
        );
        assert_eq!(
            kind("/site/themes/brand/static/logo.svg"),
            ChangeKind::ThemeStatic {
                rel: "logo.svg".into(),
                css: false
            }
        );
        for ignored in [
            "/site/content/articles/.a.md.swp",
            "/site/content/articles/a.md~",
            "/site/content/articles/.#a.md",
            "/site/content/articles/4913",
            "/site/content/articles/a.md___jb_tmp___",
            "/site/public/index.html",
            "/elsewhere/site.yaml",
        ] {
            assert_eq!(kind(ignored), ChangeKind::Ignored, "{ignored}");
        }
        assert_eq!(
            classify(root, Path::new("/site/content/articles/new"), true),
            ChangeKind::ContentTree
        );
    }
}
