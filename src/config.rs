//! Stage 1 of the build: `site.yaml`, read strictly into a typed [`Config`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Place};
use crate::yaml::lines::key_line;

mod languages;
mod readability;

pub use languages::{check_code, looks_like_code, Language};
pub use readability::{Readability, SpanishReadability};

/// The file every site has at its root.
pub const CONFIG_FILE: &str = "site.yaml";

/// `site.yaml` as written. Only `title` and `base_url` are required.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    title: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_theme")]
    theme: String,
    description: Option<String>,
    #[serde(default)]
    brand: Brand,
    #[serde(default)]
    readability: Readability,
    #[serde(default)]
    review: Review,
    #[serde(default)]
    feed: Feed,
    #[serde(default = "default_paginate")]
    paginate: usize,
    disclaimer: Option<String>,
    share_image: Option<String>,
    #[serde(default)]
    check: Check,
    #[serde(default = "default_search")]
    search: bool,
    #[serde(default)]
    languages: BTreeMap<String, languages::RawLanguage>,
    #[serde(default)]
    images: Images,
}

fn default_search() -> bool {
    true
}

fn default_language() -> String {
    "en".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

fn default_paginate() -> usize {
    20
}

/// The clinic group behind the site.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub booking_url: Option<String>,
    pub logo: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    #[serde(default = "default_interval_days")]
    pub interval_days: u32,
}

fn default_interval_days() -> u32 {
    365
}

impl Default for Review {
    fn default() -> Self {
        Review {
            interval_days: default_interval_days(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feed {
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
}

fn default_feed_limit() -> usize {
    20
}

impl Default for Feed {
    fn default() -> Self {
        Feed {
            limit: default_feed_limit(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Warning,
    Error,
}

/// Rule severities for `handout check`, by rule id.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    #[serde(default)]
    pub rules: BTreeMap<String, Severity>,
}

/// `images:`: the files written for each raster picture (see `images`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Images {
    /// Widths in pixels, each written unless the picture is narrower.
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
    /// JPEG and WebP quality, 1 to 100.
    #[serde(default = "default_quality")]
    pub quality: u8,
    /// `webp` and `original` (the picture's own format: JPEG or PNG).
    #[serde(default = "default_formats")]
    pub formats: Vec<ImageFormat>,
}

/// A format of `images: formats:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    Webp,
    Original,
}

/// The narrowest and widest width `images: widths:` accepts.
pub const IMAGE_WIDTHS: std::ops::RangeInclusive<u32> = 16..=4000;

fn default_widths() -> Vec<u32> {
    vec![480, 800, 1200, 1600]
}

fn default_quality() -> u8 {
    80
}

fn default_formats() -> Vec<ImageFormat> {
    vec![ImageFormat::Webp, ImageFormat::Original]
}

impl Default for Images {
    fn default() -> Self {
        Images {
            widths: default_widths(),
            quality: default_quality(),
            formats: default_formats(),
        }
    }
}

impl Images {
    /// What is wrong with the settings, as a message for `site.yaml`: the
    /// key and the message.
    fn problem(&self) -> Option<(&'static str, String)> {
        if self.widths.is_empty() {
            return Some(("widths", "`images: widths:` is empty: give at least one width in pixels, such as [480, 800, 1200, 1600]".into()));
        }
        if let Some(w) = self.widths.iter().find(|w| !IMAGE_WIDTHS.contains(w)) {
            return Some((
                "widths",
                format!(
                    "image width {w} is out of range: use widths from {} to {} pixels",
                    IMAGE_WIDTHS.start(),
                    IMAGE_WIDTHS.end()
                ),
            ));
        }
        if !(1..=100).contains(&self.quality) {
            return Some((
                "quality",
                format!(
                    "image quality {} is out of range: use 1 to 100 (80 is a good choice)",
                    self.quality
                ),
            ));
        }
        if self.formats.is_empty() {
            return Some((
                "formats",
                "`images: formats:` is empty: use [webp, original], or one of them".into(),
            ));
        }
        let formats = &self.formats;
        if (1..formats.len()).any(|i| formats[..i].contains(&formats[i])) {
            return Some((
                "formats",
                "`images: formats:` names a format twice: list each once".into(),
            ));
        }
        None
    }
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site folder, holding `site.yaml`.
    pub root: PathBuf,
    pub title: String,
    pub base: BaseUrl,
    pub language: String,
    pub theme: String,
    /// The line of `theme:` in site.yaml (1 when it is not written).
    pub theme_line: usize,
    pub description: Option<String>,
    pub brand: Brand,
    pub readability: Readability,
    pub review: Review,
    pub feed: Feed,
    pub paginate: usize,
    pub disclaimer: String,
    pub share_image: Option<String>,
    pub check: Check,
    /// Site search: the `/search/` page, its index and the header's box.
    pub search: bool,
    /// The site's other languages (`languages:`), by code.
    pub languages: Vec<Language>,
    /// The folder of this language's pages: empty for the default
    /// language, `es/` for another (see `for_language`).
    pub prefix: String,
    /// The default language's code, in every language's config.
    pub default_language: String,
    /// How raster pictures are resized and encoded.
    pub images: Images,
}

/// Said on every article when `site.yaml` has no `disclaimer`.
pub const DEFAULT_DISCLAIMER: &str =
    "This article is for education only. It is not medical advice. \
Talk with your doctor or physical therapist about your own care.";

impl Config {
    /// Reads `<root>/site.yaml`. `base_url_override` (from `--base-url`)
    /// replaces the configured `base_url`.
    pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let place = Place::file(CONFIG_FILE);
        let bytes = crate::error::read_regular(&path).map_err(|source| {
            Diagnostic::io(place.clone(), "cannot read the site configuration", source).hint(
                "run handout inside the site folder (the one holding site.yaml), or name it with --root",
            )
        })?;
        let text = String::from_utf8(bytes).map_err(|err| {
            Diagnostic::new(
                Place::at(
                    CONFIG_FILE,
                    crate::error::line_of_byte(err.as_bytes(), err.utf8_error().valid_up_to()),
                    None,
                ),
                "the file is not valid UTF-8 text: save it with UTF-8 encoding",
            )
        })?;
        Config::parse(root, &text, base_url_override)
    }

    /// Parses the text of `site.yaml`.
    pub fn parse(
        root: &Path,
        text: &str,
        base_url_override: Option<&str>,
    ) -> Result<Config, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawConfig = crate::yaml::parse(text, 1).map_err(|mut p| {
            readability::place_problem(text, &mut p);
            p.at(CONFIG_FILE)
        })?;
        let invalid = |key: &str, message: String| {
            Diagnostic::new(
                Place::at(CONFIG_FILE, key_line(text, key), Some(1)),
                message,
            )
        };
        let written = BaseUrl::parse(&raw.base_url);
        let base = match base_url_override {
            Some(url) => {
                let base = BaseUrl::parse(url)
                    .map_err(|m| Diagnostic::new(Place::file("--base-url"), m))?;
                // Links copied from the live site still name this site.
                match written {
                    Ok(written) => base.also_known_as(&written),
                    Err(_) => base,
                }
            }
            None => written.map_err(|m| invalid("base_url", m))?,
        };
        for id in raw.check.rules.keys() {
            if crate::rule::Rule::from_id(id).is_none() {
                let ids = crate::rule::Rule::ALL.map(|r| r.id());
                let hint = crate::suggest::did_you_mean(id, ids);
                return Err(invalid(
                    id,
                    format!(
                        "there is no check rule `{id}`{hint} (the rules are: {})",
                        ids.join(", ")
                    ),
                ));
            }
        }
        if let Some(Err(message)) = raw.brand.phone.as_deref().map(crate::phone::e164) {
            return Err(invalid("phone", format!("brand {message}")));
        }
        if raw.title.trim().is_empty() {
            return Err(invalid(
                "title",
                "`title` is empty: give the site a name".into(),
            ));
        }
        let languages =
            languages::read(text, &raw.language, raw.languages).map_err(|(line, message)| {
                Diagnostic::new(Place::at(CONFIG_FILE, line, Some(1)), message)
            })?;
        if let Err(message) = check_code(&raw.language) {
            return Err(invalid("language", message));
        }
        if !is_simple_name(&raw.theme) {
            return Err(invalid(
                "theme",
                format!(
                    "theme `{}` is not a folder name under themes/: use letters, digits, `-` and `_`",
                    raw.theme
                ),
            ));
        }
        let mut images = raw.images;
        if let Some((key, message)) = images.problem() {
            return Err(invalid(key, message));
        }
        images.widths.sort_unstable();
        images.widths.dedup();
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title,
            base,
            language: raw.language.clone(),
            theme: raw.theme,
            theme_line: key_line(text, "theme"),
            description: raw.description,
            brand: raw.brand,
            readability: raw.readability,
            review: raw.review,
            feed: raw.feed,
            paginate: raw.paginate,
            disclaimer: raw
                .disclaimer
                .unwrap_or_else(|| DEFAULT_DISCLAIMER.to_string()),
            share_image: raw.share_image,
            check: raw.check,
            search: raw.search,
            languages,
            prefix: String::new(),
            default_language: raw.language.clone(),
            images,
        })
    }

    /// This site's settings for another of its languages: that language's
    /// code, words and page folder; the rest as it is.
    pub fn for_language(&self, language: &Language) -> Config {
        let mut config = self.clone();
        config.language = language.code.clone();
        config.title = language.title.clone();
        config.description = language.description.clone();
        config.disclaimer = language.disclaimer.clone();
        if let Some(name) = &language.brand_name {
            config.brand.name = Some(name.clone());
        }
        config.prefix = language.prefix.clone();
        config
    }

    /// Whether this site has more than one language.
    pub fn is_multilingual(&self) -> bool {
        !self.languages.is_empty()
    }

    /// The brand name, falling back to the site title.
    pub fn brand_name(&self) -> &str {
        self.brand.name.as_deref().unwrap_or(&self.title)
    }
}

/// A theme or slug-like name: it can never leave its folder.
pub fn is_simple_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The site's public address: `https://example.org/clinic/` gives the
/// absolute form for feeds and canonical links and the path `/clinic/` that
/// prefixes every link inside the site.
///
/// ```
/// use handout::config::BaseUrl;
///
/// let base = BaseUrl::parse("https://example.org/clinic").unwrap();
/// assert_eq!(base.path("articles/knee-pain/"), "/clinic/articles/knee-pain/");
/// assert_eq!(base.permalink("feed.xml"), "https://example.org/clinic/feed.xml");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Always ends in `/`.
    absolute: String,
    /// The path part, starting and ending with `/`.
    root: String,
    /// Other addresses of the same site, without the scheme
    /// (`//example.org/clinic/`): the live site's, while a preview or a
    /// `--base-url` build prints another.
    aliases: Vec<String>,
}

impl BaseUrl {
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
        let url = url.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| {
                format!("base_url `{url}` must start with https:// or http:// (for example https://example.org/)")
            })?;
        let (host, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, "/"),
        };
        if host.is_empty() || host.contains(['?', '#', ' ']) {
            return Err(format!("base_url `{url}` has no valid host name"));
        }
        if path.contains(['?', '#']) {
            return Err(format!(
                "base_url `{url}` may not have a query or fragment; use a plain folder path"
            ));
        }
        let mut root = path.to_string();
        if !root.ends_with('/') {
            root.push('/');
        }
        let scheme_len = url.len() - rest.len();
        let absolute = format!("{}{}{}", &url[..scheme_len], host, root);
        Ok(BaseUrl {
            absolute,
            root,
            aliases: Vec::new(),
        })
    }

    /// This base, knowing that `other` names the same site.
    pub fn also_known_as(mut self, other: &BaseUrl) -> BaseUrl {
        self.aliases
            .push(without_scheme(&other.absolute).to_string());
        self
    }

    /// The site path (`articles/a/`, with any `?query` or `#anchor`) that a
    /// link written as one of this site's own addresses names: a full URL
    /// of the site (`https://example.org/clinic/articles/a/`), a path from
    /// the host root with the base path (`/clinic/articles/a/`) or without
    /// it (`/articles/a/`). `None` for any other link.
    pub fn site_path_of<'a>(&self, dest: &'a str) -> Option<&'a str> {
        if let Some(rest) = dest.strip_prefix('/').filter(|r| !r.starts_with('/')) {
            let with_root = dest.strip_prefix(self.root.as_str());
            return Some(with_root.filter(|_| self.root != "/").unwrap_or(rest));
        }
        let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
        let scheme = ["https://", "http://", "//"]
            .into_iter()
            .find(|s| lower.starts_with(s))?;
        let rest = dest.get(scheme.len() - 2..)?;
        std::iter::once(without_scheme(&self.absolute))
            .chain(self.aliases.iter().map(String::as_str))
            .find_map(|known| strip_prefix_ignore_case(rest, known))
    }

    /// `https://example.org/clinic/`
    pub fn absolute(&self) -> &str {
        &self.absolute
    }

    /// `/clinic/`
    pub fn root(&self) -> &str {
        &self.root
    }

    /// A site path (`articles/x/`, no leading slash) as a link from the host root.
    pub fn path(&self, site_path: &str) -> String {
        [self.root.as_str(), site_path.trim_start_matches('/')].concat()
    }

    /// A path from the host root (`/clinic/a.png`) as an absolute URL.
    pub fn absolute_of(&self, host_path: &str) -> String {
        let origin = self
            .absolute
            .strip_suffix(&self.root)
            .unwrap_or(&self.absolute);
        [origin, host_path].concat()
    }

    /// A site path as an absolute URL.
    pub fn permalink(&self, site_path: &str) -> String {
        [self.absolute.as_str(), site_path.trim_start_matches('/')].concat()
    }
}

/// `https://example.org/` -> `//example.org/`.
fn without_scheme(url: &str) -> &str {
    url.find("//").and_then(|i| url.get(i..)).unwrap_or(url)
}

/// `text` without `prefix`, compared ignoring ASCII case (host names).
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_addresses_name_site_paths() {
        let base = BaseUrl::parse("https://example.org/clinic/").unwrap();
        for (dest, path) in [
            ("/articles/a/", Some("articles/a/")),
            ("/clinic/articles/a/#x", Some("articles/a/#x")),
            (
                "https://example.org/clinic/articles/a/",
                Some("articles/a/"),
            ),
            (
                "HTTP://Example.org/clinic/images/a.jpg",
                Some("images/a.jpg"),
            ),
            ("//example.org/clinic/", Some("")),
            ("https://example.org/other/", None),
            ("https://elsewhere.org/clinic/a/", None),
            ("mailto:a@example.org", None),
            ("a.md", None),
        ] {
            assert_eq!(base.site_path_of(dest), path, "{dest}");
        }
        let preview = BaseUrl::parse("http://127.0.0.1:1111/")
            .unwrap()
            .also_known_as(&base);
        assert_eq!(
            preview.site_path_of("https://example.org/clinic/articles/a/"),
            Some("articles/a/")
        );
        assert_eq!(preview.site_path_of("http://127.0.0.1:1111/a/"), Some("a/"));
    }

    #[test]
    fn base_url_with_prefix() {
        let base = BaseUrl::parse("https://example.org/clinic").unwrap();
        assert_eq!(base.absolute(), "https://example.org/clinic/");
        assert_eq!(base.root(), "/clinic/");
        assert_eq!(base.path("articles/a/"), "/clinic/articles/a/");
        assert_eq!(
            base.permalink("/feed.xml"),
            "https://example.org/clinic/feed.xml"
        );
    }

    #[test]
    fn base_url_bare_host() {
        let base = BaseUrl::parse("http://localhost:8000").unwrap();
        assert_eq!(base.absolute(), "http://localhost:8000/");
        assert_eq!(base.root(), "/");
    }

    #[test]
    fn base_url_rejects_relative() {
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
    }

    #[test]
    fn minimal_config() {
        let config =
            Config::parse(Path::new("."), "title: A\nbase_url: https://a.org\n", None).unwrap();
        assert_eq!(config.theme, "default");
        assert_eq!(config.paginate, 20);
        assert_eq!(config.feed.limit, 20);
        assert_eq!(config.disclaimer, DEFAULT_DISCLAIMER);
    }

    #[test]
    fn images_settings() {
        let parse = |images: &str| {
            Config::parse(
                Path::new("."),
                &format!("title: A\nbase_url: https://a.org\nimages:\n{images}"),
                None,
            )
            .map_err(|e| e.to_string())
        };
        let config = parse("  widths: [1200, 480, 480]\n  quality: 70\n").unwrap();
        assert_eq!(config.images.widths, [480, 1200]);
        assert_eq!(config.images.quality, 70);
        assert_eq!(
            config.images.formats,
            [ImageFormat::Webp, ImageFormat::Original]
        );
        for (images, error) in [
            (
                "  widths: []\n",
                "site.yaml:4:1: `images: widths:` is empty",
            ),
            (
                "  widths: [480, 9000]\n",
                "site.yaml:4:1: image width 9000 is out of range",
            ),
            (
                "  quality: 0\n",
                "site.yaml:4:1: image quality 0 is out of range",
            ),
            (
                "  formats: [webp, webp]\n",
                "site.yaml:4:1: `images: formats:` names a format twice",
            ),
            ("  formats: [avif]\n", "site.yaml:4:"),
            ("  widht: [480]\n", "did you mean `widths`?"),
        ] {
            let got = parse(images).unwrap_err();
            assert!(got.contains(error), "{images}: {got}");
        }
    }

    #[test]
    fn unknown_key_is_located() {
        let err = Config::parse(
            Path::new("."),
            "title: A\nbase_url: https://a.org\ntheem: x\n",
            None,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "site.yaml:3:1: unknown field `theem`, did you mean `theme`?"
        );
    }

    #[test]
    fn theme_cannot_escape() {
        let err = Config::parse(
            Path::new("."),
            "title: A\nbase_url: https://a.org\ntheme: ../x\n",
            None,
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with("site.yaml:3:1: theme `../x`"),
            "{err}"
        );
    }
}
