//! Themes: `themes/<name>/` with `templates/`, `static/` and `share/` (the
//! share card's template and fonts), where a theme
//! that `extends` another takes every file it lacks from it. The default
//! theme is also compiled into the binary.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Place};

/// The folder under the site root that holds themes.
pub const THEMES_DIR: &str = "themes";
/// The theme compiled into handout.
pub const BUILTIN: &str = "default";

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_theme.rs"));
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeYaml {
    extends: Option<String>,
}

/// Where a theme file's bytes are.
#[derive(Debug, Clone)]
pub enum FileSource {
    Disk(PathBuf),
    Builtin(&'static [u8]),
}

/// One file of the merged theme.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// For messages: `themes/brand/templates/base.html`.
    pub shown: PathBuf,
    pub source: FileSource,
}

impl ThemeFile {
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match &self.source {
            FileSource::Disk(path) => std::fs::read(path),
            FileSource::Builtin(bytes) => Ok(bytes.to_vec()),
        }
    }
}

/// A theme with its `extends` chain merged: the nearest theme's file wins.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// The chain, the site's theme first.
    pub chain: Vec<String>,
    /// By path under `templates/`: `base.html`, `shortcodes/cta.html`.
    pub templates: BTreeMap<String, ThemeFile>,
    /// By path under `static/`.
    pub statics: BTreeMap<String, ThemeFile>,
    /// By shortcode name (`shortcodes/<name>.html`).
    pub shortcodes: BTreeMap<String, ThemeFile>,
    /// Strings files by language (`i18n/es.yaml` is `es`), the theme
    /// extended first and the nearest theme's last: a key of a later one
    /// replaces the same key of an earlier one.
    pub strings: BTreeMap<String, Vec<ThemeFile>>,
    /// By path under `share/`: the share card's template and fonts.
    pub share: BTreeMap<String, ThemeFile>,
    /// Theme folders on disk, for the watcher.
    pub dirs: Vec<PathBuf>,
}

/// A site's own strings, replacing the theme's key by key:
/// `<site>/i18n/<language>.yaml`.
pub const SITE_STRINGS_DIR: &str = "i18n";

/// Words by key, and the file that gave each (for messages).
#[derive(Debug, Clone, Default)]
pub struct LoadedStrings {
    pub words: crate::site::Strings,
    /// The file to name when a key is missing: the nearest one read.
    pub file: PathBuf,
}

impl Theme {
    /// The strings of language `code` (`es-US` reads `es-us.yaml`, else
    /// `es.yaml`), the site's own file over the theme's; none when there is
    /// no file for it at all.
    pub fn strings(&self, root: &Path, code: &str) -> Result<Option<LoadedStrings>, Diagnostic> {
        let lower = code.to_ascii_lowercase();
        let primary = lower.split('-').next().unwrap_or_default().to_string();
        let mut candidates = vec![lower];
        if candidates.first() != Some(&primary) {
            candidates.push(primary);
        }
        let mut loaded: Option<LoadedStrings> = None;
        for name in candidates.iter().rev() {
            let site_file = root.join(SITE_STRINGS_DIR).join(format!("{name}.yaml"));
            let own = site_file.is_file().then(|| ThemeFile {
                shown: PathBuf::from(SITE_STRINGS_DIR).join(format!("{name}.yaml")),
                source: FileSource::Disk(site_file),
            });
            let files = self.strings.get(name).into_iter().flatten().chain(&own);
            for file in files {
                let bytes = file
                    .read()
                    .map_err(|e| Diagnostic::io(Place::file(&file.shown), "cannot read", e))?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    Diagnostic::new(Place::file(&file.shown), "the file is not valid UTF-8 text")
                })?;
                let words: crate::site::Strings =
                    crate::yaml::parse(&text, 1).map_err(|p| p.at(&file.shown))?;
                let into = loaded.get_or_insert_with(LoadedStrings::default);
                into.words.extend(words);
                into.file = file.shown.clone();
            }
        }
        Ok(loaded)
    }
}

impl Theme {
    /// Every template and shortcode, by the name Tera knows it by
    /// (`base.html`, `shortcodes/cta.html`).
    pub fn template_files(&self) -> impl Iterator<Item = (String, &ThemeFile)> {
        self.templates
            .iter()
            .map(|(name, file)| (name.clone(), file))
            .chain(
                self.shortcodes
                    .iter()
                    .map(|(name, file)| (format!("shortcodes/{name}.html"), file)),
            )
    }
}

/// Loads the theme `name` and every theme it extends.
/// `named_at` is where the site names it (the `theme:` line of site.yaml).
pub fn load(root: &Path, name: &str, named_at: Place) -> Result<Theme, Diagnostic> {
    let mut theme = Theme::default();
    let mut layers = Vec::new();
    let mut seen = HashSet::new();
    let mut next = Some((name.to_string(), named_at));
    while let Some((current, named_at)) = next.take() {
        if !seen.insert(current.clone()) {
            let message = if theme.chain.last() == Some(&current) {
                format!("theme `{current}` extends itself: remove `extends` or name another theme")
            } else {
                format!(
                    "themes extend each other in a circle ({} -> {current}): one of them must not extend",
                    theme.chain.join(" -> ")
                )
            };
            return Err(Diagnostic::new(named_at, message));
        }
        let layer = Layer::find(root, &current).ok_or_else(|| missing(root, &current, named_at))?;
        next = layer.extends()?;
        theme.chain.push(current);
        if let Layer::Disk { dir, .. } = &layer {
            theme.dirs.push(dir.clone());
        }
        layers.push(layer);
    }
    for layer in layers.iter().rev() {
        layer.add_files(root, &mut theme)?;
    }
    Ok(theme)
}

fn missing(root: &Path, name: &str, place: Place) -> Diagnostic {
    let mut known: Vec<String> = std::fs::read_dir(root.join(THEMES_DIR))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    known.push(BUILTIN.to_string());
    known.sort();
    known.dedup();
    let hint = crate::suggest::did_you_mean(name, known.iter().map(String::as_str));
    Diagnostic::new(
        place,
        format!(
            "theme `{name}` not found: there is no folder themes/{name}/{hint} (themes here: {})",
            known.join(", ")
        ),
    )
}

enum Layer {
    Disk { name: String, dir: PathBuf },
    Builtin,
}

impl Layer {
    fn find(root: &Path, name: &str) -> Option<Layer> {
        let dir = root.join(THEMES_DIR).join(name);
        if crate::config::is_simple_name(name) && dir.is_dir() {
            Some(Layer::Disk {
                name: name.to_string(),
                dir,
            })
        } else if name == BUILTIN {
            Some(Layer::Builtin)
        } else {
            None
        }
    }

    fn yaml_place(&self) -> Place {
        match self {
            Layer::Disk { name, .. } => {
                Place::at(format!("{THEMES_DIR}/{name}/theme.yaml"), 1, Some(1))
            }
            Layer::Builtin => Place::file("(built-in default theme)/theme.yaml"),
        }
    }

    /// The theme this one extends, with the place that says so.
    fn extends(&self) -> Result<Option<(String, Place)>, Diagnostic> {
        let Layer::Disk { dir, .. } = self else {
            return Ok(None);
        };
        let path = dir.join("theme.yaml");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(Diagnostic::io(self.yaml_place(), "cannot read", source)),
        };
        let yaml: ThemeYaml =
            crate::yaml::parse(&text, 1).map_err(|p| p.at(self.yaml_place().path))?;
        let line = crate::yaml::lines::key_line(&text, "extends");
        Ok(yaml
            .extends
            .map(|parent| (parent, self.yaml_place().with_line(line, Some(1)))))
    }

    fn add_files(&self, root: &Path, theme: &mut Theme) -> Result<(), Diagnostic> {
        match self {
            Layer::Builtin => {
                for (rel, bytes) in builtin::FILES {
                    add(
                        theme,
                        rel,
                        ThemeFile {
                            shown: PathBuf::from(format!("(built-in default theme)/{rel}")),
                            source: FileSource::Builtin(bytes),
                        },
                    );
                }
            }
            Layer::Disk { dir, .. } => {
                for entry in WalkDir::new(dir).sort_by_file_name() {
                    let entry = entry.map_err(|err| {
                        Diagnostic::new(
                            Place::file(dir.strip_prefix(root).unwrap_or(dir)),
                            format!("cannot read the theme: {err}"),
                        )
                    })?;
                    if !entry.file_type().is_file()
                        || crate::content::is_ignored(&entry.file_name().to_string_lossy())
                    {
                        continue;
                    }
                    let Ok(rel) = entry.path().strip_prefix(dir) else {
                        continue;
                    };
                    let rel = crate::error::display_path(rel);
                    let shown = entry
                        .path()
                        .strip_prefix(root)
                        .unwrap_or(entry.path())
                        .to_path_buf();
                    add(
                        theme,
                        &rel,
                        ThemeFile {
                            shown,
                            source: FileSource::Disk(entry.into_path()),
                        },
                    );
                }
            }
        }
        Ok(())
    }
}

fn add(theme: &mut Theme, rel: &str, file: ThemeFile) {
    if let Some(name) = rel.strip_prefix("templates/") {
        theme.templates.insert(name.to_string(), file);
    } else if let Some(name) = rel
        .strip_prefix("i18n/")
        .and_then(|n| n.strip_suffix(".yaml"))
    {
        theme
            .strings
            .entry(name.to_ascii_lowercase())
            .or_default()
            .push(file);
    } else if let Some(name) = rel.strip_prefix("static/") {
        theme.statics.insert(name.to_string(), file);
    } else if let Some(name) = rel.strip_prefix("share/") {
        theme.share.insert(name.to_string(), file);
    } else if let Some(name) = rel
        .strip_prefix("shortcodes/")
        .and_then(|n| n.strip_suffix(".html"))
    {
        if !name.contains('/') {
            theme.shortcodes.insert(name.to_string(), file);
        }
    }
}
