//! `handout new <kind> --lang es --translation-of <slug>`: a translation
//! beside its original, with the original's words to translate and none
//! of the facts a translation may not repeat.

use std::path::{Path, PathBuf};

use super::{io, NewKind};
use crate::error::{Diagnostic, Place};
use crate::frontmatter::Date;

/// Writes the translation of the page `slug` of `kind` into `lang` (one of
/// the site's `languages:`); returns its path from `root`.
pub fn new_translation(
    root: &Path,
    kind: NewKind,
    slug: &str,
    lang: &str,
    today: Date,
) -> Result<PathBuf, Diagnostic> {
    let config = crate::config::Config::load(root, None)?;
    let lang = lang.to_ascii_lowercase();
    let Some(language) = config.languages.iter().find(|l| l.file_code() == lang) else {
        let codes: Vec<String> = config.languages.iter().map(|l| l.file_code()).collect();
        let hint = if codes.is_empty() {
            format!("add `languages:` to site.yaml with `{lang}:` and its title and disclaimer")
        } else {
            format!("the site's other languages are {}", codes.join(", "))
        };
        return Err(Diagnostic::new(
            Place::file(crate::config::CONFIG_FILE),
            format!("`{lang}` is not one of the site's languages (`languages:` in site.yaml)"),
        )
        .hint(hint));
    };
    let dir = Path::new(crate::content::CONTENT_DIR).join(kind_folder(kind));
    let (original, translation) = find_original(root, &dir, slug, &language.file_code())?;
    if root.join(&translation).exists() {
        return Err(Diagnostic::new(
            Place::file(&translation),
            format!("`{slug}` already has a `{lang}` translation"),
        )
        .hint("edit that file"));
    }
    let text = std::fs::read_to_string(root.join(&original))
        .map_err(|e| Diagnostic::io(Place::file(&original), "cannot read", e))?;
    let split = crate::content::split_front_matter(&text)
        .map_err(|(line, message)| Diagnostic::new(Place::at(&original, line, Some(1)), message))?;
    let front = match kind {
        NewKind::Article => {
            let kept = drop_keys(
                split.front_matter,
                &[
                    "reviewed_by",
                    "last_reviewed",
                    "updated",
                    "draft",
                    "aliases",
                ],
            );
            format!("{kept}updated: {}\ndraft: true\n", today.iso())
        }
        NewKind::Page => {
            let kept = drop_keys(split.front_matter, &["updated", "draft", "aliases"]);
            format!("{kept}updated: {}\ndraft: true\n", today.iso())
        }
        NewKind::Location => keep_keys(
            split.front_matter,
            &["name", "services", "parking", "transit", "photo_alt"],
        ),
        NewKind::Author => keep_keys(split.front_matter, &["name", "role"]),
    };
    let path = root.join(&translation);
    std::fs::write(&path, format!("---\n{front}---\n{}", split.body)).map_err(io(&path))?;
    Ok(translation)
}

fn kind_folder(kind: NewKind) -> &'static str {
    kind.folder()
}

/// The original's file (`articles/<slug>.md` or `<slug>/index.md`) and
/// the translation's beside it, both from `root`.
fn find_original(
    root: &Path,
    dir: &Path,
    slug: &str,
    lang: &str,
) -> Result<(PathBuf, PathBuf), Diagnostic> {
    let flat = dir.join(format!("{slug}.md"));
    if root.join(&flat).is_file() {
        return Ok((flat, dir.join(format!("{slug}.{lang}.md"))));
    }
    let bundle = dir.join(slug).join("index.md");
    if root.join(&bundle).is_file() {
        return Ok((bundle, dir.join(slug).join(format!("index.{lang}.md"))));
    }
    let mut known: Vec<String> = std::fs::read_dir(root.join(dir))
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if e.path().join("index.md").is_file() {
                        return Some(name);
                    }
                    let stem = name.strip_suffix(".md")?;
                    crate::content::translation::split_name(&name)
                        .is_none()
                        .then(|| stem.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    known.sort();
    let hint = crate::suggest::did_you_mean(slug, known.iter().map(String::as_str));
    Err(Diagnostic::new(
        Place::file(&flat),
        format!(
            "there is no `{slug}` to translate in {}{hint}",
            crate::error::display_path(dir)
        ),
    )
    .hint(format!(
        "name the original by its file name without .md: {}",
        known.join(", ")
    )))
}

/// The top-level entries of `front_matter` whose key is `keep`, with their
/// indented lines.
fn keep_keys(front_matter: &str, keep: &[&str]) -> String {
    entries(front_matter, |key| keep.contains(&key))
}

/// `front_matter` without the top-level entries whose key is in `drop`.
fn drop_keys(front_matter: &str, drop: &[&str]) -> String {
    entries(front_matter, |key| !drop.contains(&key))
}

fn entries(front_matter: &str, wanted: impl Fn(&str) -> bool) -> String {
    let mut out = String::new();
    let mut keeping = false;
    for line in front_matter.lines() {
        let top = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if top {
            let key = line.split(':').next().unwrap_or_default().trim();
            keeping = wanted(key);
        }
        if keeping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_keep_their_indented_lines() {
        let fm =
            "name: A\nhours:\n  - {days: [Mo]}\nservices:\n  - massage\n  - rest\nphone: \"1\"\n";
        assert_eq!(
            keep_keys(fm, &["name", "services"]),
            "name: A\nservices:\n  - massage\n  - rest\n"
        );
        assert_eq!(
            drop_keys(fm, &["hours", "phone"]),
            "name: A\nservices:\n  - massage\n  - rest\n"
        );
    }
}
