//! A site in several languages: the translations sorted by language (each
//! language must be in `languages:`, and a page has one translation into
//! each at most), each language's site model, and the table of which page
//! exists in which language, for alternates, the language switcher and the
//! sitemap.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Site, SiteOptions};
use crate::config::{Config, Language};
use crate::content::{Content, Meta, SourcePage};
use crate::error::{Diagnostic, Errors, Place};

/// One language of the site, for templates and the switcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageInfo {
    /// `en-US`, `es`: `<html lang>` and `hreflang`.
    pub code: String,
    /// `` for the default language, `es/` for another.
    pub prefix: String,
    /// Its name in itself (`Español`), from the theme's strings.
    pub name: String,
}

/// Which page exists in which language, shared by every language's site.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Translations {
    /// The default language first; empty for a site in one language.
    pub languages: Vec<LanguageInfo>,
    /// By the original's source file (`articles/a.md`): the page's site
    /// path in each language (by index into `languages`), where it has one.
    pub pages: FxHashMap<String, Vec<Option<String>>>,
    /// Pages of the default language's lists each language may show
    /// (`locations/`): their site paths, the same in every language.
    pub lists: Vec<String>,
    /// The other languages' lines of `_redirects` (from, to), which the
    /// default language writes with its own (`aliases::redirect_lines`).
    pub redirects: Vec<(String, String)>,
}

impl Translations {
    /// Made from every language's site (the default language's first).
    pub fn new(sites: &[&Site]) -> Translations {
        let languages: Vec<LanguageInfo> = sites
            .iter()
            .map(|s| LanguageInfo {
                code: s.config.language.clone(),
                prefix: s.config.prefix.clone(),
                name: s.config.language.clone(),
            })
            .collect();
        let mut pages: FxHashMap<String, Vec<Option<String>>> = FxHashMap::default();
        for (l, site) in sites.iter().enumerate() {
            for page in &site.pages {
                if site.is_borrowed(page) {
                    continue;
                }
                let slots = pages
                    .entry(page.source.key().to_string())
                    .or_insert_with(|| vec![None; sites.len()]);
                if let Some(slot) = slots.get_mut(l) {
                    *slot = Some(page.path.clone());
                }
            }
        }
        Translations {
            languages,
            pages,
            lists: Vec::new(),
            redirects: Vec::new(),
        }
    }

    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }
}

/// The translations of `content`, by the language of `config.languages`
/// they are in; a language not there, or a second translation of one page
/// into one language, is an error.
pub fn sort(config: &Config, translations: Vec<SourcePage>) -> (Vec<Vec<SourcePage>>, Errors) {
    let mut errors = Errors::default();
    let mut by_language: Vec<Vec<SourcePage>> = vec![Vec::new(); config.languages.len()];
    let mut seen: FxHashMap<(usize, String), std::path::PathBuf> = FxHashMap::default();
    let codes: Vec<String> = config.languages.iter().map(Language::file_code).collect();
    for page in translations {
        let lang = page.lang.clone().unwrap_or_default();
        let Some(l) = codes.iter().position(|c| *c == lang) else {
            let message = if lang.eq_ignore_ascii_case(&config.language)
                || config
                    .language
                    .to_ascii_lowercase()
                    .starts_with(&format!("{lang}-"))
            {
                format!("`{lang}` is the site's default language: this page's text belongs in content/{} itself", page.key())
            } else {
                format!(
                    "this page is in `{lang}`, which is not one of the site's languages in site.yaml"
                )
            };
            let hint = if codes.is_empty() {
                format!("add `languages:` to site.yaml with `{lang}:` and its title, description, disclaimer and brand; or rename the file if `.{lang}` is not a language")
            } else {
                format!(
                    "the site's other languages are {}{}; add `{lang}:` under `languages:` in site.yaml",
                    codes.join(", "),
                    crate::suggest::did_you_mean(&lang, codes.iter().map(String::as_str))
                )
            };
            errors.push(Diagnostic::new(Place::at(&page.path, 1, Some(1)), message).hint(hint));
            continue;
        };
        if let Some(first) = seen.insert((l, page.key().to_string()), page.path.clone()) {
            errors.push(
                Diagnostic::new(
                    Place::at(&page.path, 1, Some(1)),
                    format!(
                        "content/{} has two translations into `{lang}`: this file and {}",
                        page.key(),
                        crate::error::display_path(&first)
                    ),
                )
                .hint("keep one of them"),
            );
            continue;
        }
        if let Some(list) = by_language.get_mut(l) {
            list.push(page);
        }
    }
    (by_language, errors)
}

/// The site of one other language: its translations, with the default
/// language's clinics and clinicians that have none (`borrowed`: listed
/// and named, but not written again in this language). Links to a page
/// with no translation go to the original.
pub fn assemble_language(
    config: Config,
    translations: Vec<SourcePage>,
    default: &Site,
    options: SiteOptions,
    shortcodes: &crate::shortcode::Specs,
) -> Result<Site, Errors> {
    let translated: FxHashSet<&str> = translations.iter().map(|p| p.key()).collect();
    let borrowed: Vec<SourcePage> = default
        .locations
        .iter()
        .chain(&default.authors)
        .filter_map(|&i| default.pages.get(i))
        .filter(|p| !translated.contains(p.source.rel.as_str()))
        .map(|p| p.source.clone())
        .collect();
    let borrowed_paths: FxHashSet<std::path::PathBuf> =
        borrowed.iter().map(|p| p.path.clone()).collect();
    let mut pages = translations;
    pages.extend(borrowed);
    let content = Content {
        pages,
        assets: default.assets.clone(),
        broken: Vec::new(),
        translations: Vec::new(),
    };
    super::assemble::assemble_with(
        config,
        content,
        options,
        shortcodes,
        None,
        default.targets.images.clone(),
        Some(&default.targets),
    )
    .map_err(|errors| {
        // The default language's build reports its own pages' problems.
        errors
            .into_iter()
            .filter(|e| !borrowed_paths.contains(&e.place.path))
            .collect()
    })
}

/// A default-language page whose address is under another language's
/// folder (`content/es.md` is `/es/`) would be hidden by it.
pub fn check_prefixes(site: &Site) -> Errors {
    let mut errors = Errors::default();
    for language in &site.config.languages {
        for page in &site.pages {
            if page.path.starts_with(&language.prefix)
                && !matches!(*page.source.meta, Meta::Home(_))
            {
                errors.push(Diagnostic::new(
                    Place::file(&page.source.path),
                    format!(
                        "the URL /{} is inside /{}, the folder of the site's `{}` pages: rename this page or give it another `slug`",
                        page.path, language.prefix, language.code
                    ),
                ));
            }
        }
    }
    errors
}
