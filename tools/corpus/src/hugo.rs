//! The same site for Hugo, for the benchmark's side-by-side timing.
//!
//! What the Hugo site builds: the home page (10 latest articles),
//! `/articles/` (all, no pagination), a page per article (title,
//! description, author, dates, body, the comparison table with caption and
//! `scope`s, clinic links, a small JSON-LD block), `/locations/` and
//! `/authors/` with a page each, one page per taxonomy term and an index
//! per taxonomy, `404.html`, `sitemap.xml`, `robots.txt` and one feed (20
//! items). Off: feeds per section and term, `categories`, linkify and
//! definition lists; smart punctuation is on. Links to source files
//! (`[x](other.md)`) go through a link render hook that fails the build
//! when the page is missing, as handout's do. Front matter is copied as it
//! is, but clinics and clinicians get `title:` (their `name`) so that
//! lists can sort by it. The templates are in `tools/corpus/hugo/`.

use std::path::Path;

use crate::{io, Error};

/// How to convert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hugo {
    /// Taxonomies to build (`tags`, `conditions`, `treatments`).
    pub taxonomies: Vec<String>,
    /// Replace the Hugo site folder if it exists.
    pub force: bool,
}

impl Default for Hugo {
    fn default() -> Self {
        Hugo {
            taxonomies: vec!["tags".into()],
            force: false,
        }
    }
}

const CONFIG: &str = include_str!("../hugo/config.toml");
const TERMS: &str = include_str!("../hugo/terms.html");
const ARTICLE: &str = include_str!("../hugo/layouts/articles/single.html");
const AUTHOR: &str = include_str!("../hugo/layouts/authors/single.html");
const ARTICLES: &str = include_str!("../hugo/layouts/articles/list.html");

/// Layouts as they are, by their path under `layouts/`.
const LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        include_str!("../hugo/layouts/_default/baseof.html"),
    ),
    ("index.html", include_str!("../hugo/layouts/index.html")),
    ("articles/list.html", ARTICLES),
    (
        "locations/single.html",
        include_str!("../hugo/layouts/locations/single.html"),
    ),
    (
        "locations/list.html",
        include_str!("../hugo/layouts/locations/list.html"),
    ),
    ("authors/single.html", AUTHOR),
    (
        "authors/list.html",
        include_str!("../hugo/layouts/authors/list.html"),
    ),
    ("_default/single.html", AUTHOR),
    ("_default/list.html", ARTICLES),
    (
        "_default/taxonomy.html",
        include_str!("../hugo/layouts/_default/taxonomy.html"),
    ),
    // A term's page lists its articles as the article list does.
    ("_default/term.html", ARTICLES),
    ("404.html", include_str!("../hugo/layouts/404.html")),
    (
        "_default/_markup/render-link.html",
        include_str!("../hugo/layouts/_default/_markup/render-link.html"),
    ),
];

/// What each section's list page is called.
fn section_title(section: &str) -> String {
    match section {
        "articles" => "Articles".into(),
        "locations" => "Locations".into(),
        "authors" => "Our team".into(),
        other => crate::text::cap(other),
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The top-level `key: value` lines of `site.yaml`, quotes taken off.
fn site_value(yaml: &str, key: &str) -> Option<String> {
    yaml.lines().find_map(|line| {
        let value = line.strip_prefix(key)?.strip_prefix(':')?.trim();
        let unquoted = ['"', '\'']
            .iter()
            .find_map(|q| value.strip_prefix(*q)?.strip_suffix(*q))
            .unwrap_or(value);
        Some(unquoted.to_string())
    })
}

fn config(site_yaml: &str, taxonomies: &[String]) -> String {
    let base_url = site_value(site_yaml, "base_url").unwrap_or("https://example.com".into());
    let base_url = format!("{}/", base_url.trim_end_matches('/'));
    let entries: Vec<String> = taxonomies
        .iter()
        .map(|t| {
            let singular = t.strip_suffix('s').unwrap_or(t);
            format!("  {singular} = {}", toml_string(t))
        })
        .collect();
    CONFIG
        .replace("@BASE_URL@", &toml_string(&base_url))
        .replace(
            "@LANGUAGE@",
            &toml_string(&site_value(site_yaml, "language").unwrap_or("en".into())),
        )
        .replace(
            "@TITLE@",
            &toml_string(&site_value(site_yaml, "title").unwrap_or("Site".into())),
        )
        .replace("@TAXONOMIES@", &entries.join("\n"))
}

/// A content file for Hugo: `title:` added from `name:` where there is
/// none. `None` when the file has no front matter.
fn content_file(text: &str) -> Option<String> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    let (front, body) = (&rest[..=end], &rest[end + 5..]);
    let has_title = front.lines().any(|l| l.starts_with("title:"));
    let name = front.lines().find_map(|l| l.strip_prefix("name:"));
    let front = match (has_title, name) {
        (false, Some(name)) => format!("title: {}\n{front}", name.trim()),
        _ => front.to_string(),
    };
    Some(format!("---\n{front}---\n{body}"))
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(path, text).map_err(io(path))
}

fn sorted_entries(dir: &Path) -> Result<Vec<std::path::PathBuf>, Error> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

/// Converts the generated site `corpus` into a Hugo site at `site`;
/// returns how many content files it wrote.
pub fn to_hugo(corpus: &Path, site: &Path, options: &Hugo) -> Result<usize, Error> {
    if site.exists() {
        if !options.force {
            return Err(Error::Exists(site.to_path_buf()));
        }
        std::fs::remove_dir_all(site).map_err(io(site))?;
    }
    let yaml_path = corpus.join("site.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).map_err(io(&yaml_path))?;
    write(
        &site.join("config.toml"),
        &config(&yaml, &options.taxonomies),
    )?;
    let terms: Vec<String> = options
        .taxonomies
        .iter()
        .map(|t| TERMS.replace("@NAME@", t))
        .collect();
    let layouts = site.join("layouts");
    write(
        &layouts.join("articles/single.html"),
        &ARTICLE.replace("@TERMS@", &terms.join("\n")),
    )?;
    for (rel, text) in LAYOUTS {
        write(&layouts.join(rel), text)?;
    }
    let mut count = 0;
    for section in sorted_entries(&corpus.join("content"))? {
        if !section.is_dir() {
            continue;
        }
        let name = section
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = site.join("content").join(&name);
        write(
            &target.join("_index.md"),
            &format!("---\ntitle: {}\n---\n", section_title(&name)),
        )?;
        for file in sorted_entries(&section)? {
            let file_name = file.file_name().unwrap_or_default();
            if file.extension().is_none_or(|e| e != "md") || file_name == "_index.md" {
                continue;
            }
            let text = std::fs::read_to_string(&file).map_err(io(&file))?;
            let converted = content_file(&text)
                .ok_or_else(|| Error::Invalid(format!("{}: no front matter", file.display())))?;
            write(&target.join(file_name), &converted)?;
            count += 1;
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clinics_and_clinicians_get_a_title() {
        let text = "---\nname: \"Ann Lee\"\nrole: x\n---\n\nBody.\n";
        assert_eq!(
            content_file(text).as_deref(),
            Some("---\ntitle: \"Ann Lee\"\nname: \"Ann Lee\"\nrole: x\n---\n\nBody.\n")
        );
        let article = "---\ntitle: A\nname: B\n---\nBody.\n";
        assert_eq!(content_file(article).as_deref(), Some(article));
        assert_eq!(content_file("no front matter"), None);
    }

    #[test]
    fn the_config_takes_site_yaml_values_and_taxonomies() {
        let yaml = "title: \"My \\\"Clinic\\\"\"\nbase_url: https://example.org/sub\n";
        let taxonomies = ["tags".to_string(), "conditions".to_string()];
        let toml = config(yaml, &taxonomies);
        assert!(
            toml.contains("baseURL = \"https://example.org/sub/\""),
            "{toml}"
        );
        assert!(toml.contains("languageCode = \"en\""), "{toml}");
        assert!(toml.contains("  tag = \"tags\"\n  condition = \"conditions\""));
    }
}
