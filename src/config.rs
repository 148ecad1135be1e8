//! Stage 1 of the build: `site.yaml`, read strictly into a typed [`Config`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Place;

/// The file every site has at its root.
pub const CONFIG_FILE: &str = "site.yaml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{place}: cannot read the site configuration: {source}; is --root the site folder?")]
    Read {
        place: Place,
        source: std::io::Error,
    },
    #[error("{place}: {message}")]
    Invalid { place: Place, message: String },
}

/// `site.yaml` as written. Only `title` and `base_url` are required.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
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

/// `readability:` in site.yaml: the limit `handout check` holds each
/// language's pages to. English is written at the top, as it always was;
/// another language under its code:
///
/// ```yaml
/// readability:
///   max_grade: 8        # English: the highest Flesch-Kincaid grade
///   es:
///     min_inflesz: 55   # Spanish: the lowest INFLESZ score
/// ```
///
/// A language handout has no formulas for (`fr:`) is an error, as is any
/// other unknown key.
#[derive(Debug, Clone, PartialEq)]
pub struct Readability {
    /// English pages: the highest Flesch-Kincaid grade.
    pub max_grade: f64,
    /// Spanish pages.
    pub es: SpanishReadability,
}

fn default_max_grade() -> f64 {
    8.0
}

impl Default for Readability {
    fn default() -> Self {
        Readability {
            max_grade: default_max_grade(),
            es: SpanishReadability::default(),
        }
    }
}

/// `readability: {es: ...}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpanishReadability {
    /// The lowest INFLESZ score: 55 is where the scale's "normal" begins,
    /// the level Barrio-Cantalejo et al. (2008) ask of patient texts.
    #[serde(default = "default_min_inflesz")]
    pub min_inflesz: f64,
}

fn default_min_inflesz() -> f64 {
    55.0
}

impl Default for SpanishReadability {
    fn default() -> Self {
        SpanishReadability {
            min_inflesz: default_min_inflesz(),
        }
    }
}

/// The keys `readability:` takes; a language's key is its code.
const READABILITY_KEYS: &[&str] = &["max_grade", "es"];

impl<'de> Deserialize<'de> for Readability {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ReadabilityVisitor)
    }
}

struct ReadabilityVisitor;

impl<'de> serde::de::Visitor<'de> for ReadabilityVisitor {
    type Value = Readability;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("`key: value` fields")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Readability, A::Error> {
        use serde::de::Error;
        let mut out = Readability::default();
        let mut seen = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(A::Error::custom(format!("duplicate field `{key}`")));
            }
            match key.as_str() {
                "max_grade" => {
                    out.max_grade = map.next_value()?;
                    if !(0.0..=30.0).contains(&out.max_grade) {
                        return Err(A::Error::custom(format!(
                            "`max_grade` is {}: give a school grade from 0 to 30, like 8",
                            out.max_grade
                        )));
                    }
                }
                "es" => {
                    out.es = map.next_value()?;
                    if !(0.0..=100.0).contains(&out.es.min_inflesz) {
                        return Err(A::Error::custom(format!(
                            "`min_inflesz` is {}: give an INFLESZ score from 0 to 100, like 55",
                            out.es.min_inflesz
                        )));
                    }
                }
                "en" => {
                    return Err(A::Error::custom(
                        "`en` is not a key here: English limits are written directly under \
                         `readability:`, like `max_grade: 8`",
                    ))
                }
                other
                    if crate::suggest::nearest(other, READABILITY_KEYS.iter().copied())
                        .is_none()
                        && looks_like_language(other) =>
                {
                    return Err(A::Error::custom(format!(
                        "handout has no readability formulas for language `{other}`: \
                         it scores English (`max_grade`) and Spanish (`es: {{min_inflesz: 55}}`); \
                         remove `{other}:`"
                    )))
                }
                other => return Err(A::Error::unknown_field(other, READABILITY_KEYS)),
            }
            seen.push(key);
        }
        Ok(out)
    }
}

/// A BCP 47 language tag: a language (`fr`, `fil`), maybe with a script
/// (`zh-Hant`) and a region (`pt-BR`, `es-419`).
fn looks_like_language(key: &str) -> bool {
    let mut parts = key.split('-');
    let language = parts.next().unwrap_or("");
    let letters = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
    };
    letters(language, 2..=3)
        && parts.all(|p| {
            letters(p, 2..=2)
                || letters(p, 4..=4)
                || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// serde places a problem inside `readability:` at the start of its map;
/// this moves it to the line of the key the message names (the second one,
/// for a key set twice).
fn place_readability_problem(text: &str, problem: &mut crate::yaml::YamlProblem) {
    if !problem.message.starts_with("readability") {
        return;
    }
    let Some(key) = problem.message.split('`').nth(1) else {
        return;
    };
    let key = key.trim_end_matches(':');
    let places = nested_key_places(text, "readability", key);
    let twice = problem.message.contains("duplicate field");
    if let Some(&(line, column)) = places.get(usize::from(twice)) {
        problem.line = line;
        problem.column = column;
        if let Some(at) = problem.message.find(" that starts at line ") {
            let end = problem.message[at..]
                .find(':')
                .map_or(problem.message.len(), |e| at + e);
            problem.message.replace_range(at..end, "");
        }
    }
}

/// Every place (line, column) where `key:` is written inside the top-level
/// map `parent:`, in block or flow style.
fn nested_key_places(text: &str, parent: &str, key: &str) -> Vec<(usize, usize)> {
    let mut places = Vec::new();
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let top_level = !line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if top_level {
            inside = line
                .strip_prefix(parent)
                .is_some_and(|rest| rest.trim_start().starts_with(':'));
        }
        if !inside {
            continue;
        }
        let body = if top_level {
            &line[parent.len()..]
        } else {
            line
        };
        let offset = line.len() - body.len();
        for (at, _) in body.match_indices(key) {
            let before = body[..at].chars().next_back();
            let after = body[at + key.len()..].trim_start();
            if matches!(before, None | Some(' ' | '{' | ',' | '\t')) && after.starts_with(':') {
                places.push((i + 1, offset + at + 1));
            }
        }
    }
    places
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
}

/// Said on every article when `site.yaml` has no `disclaimer`.
pub const DEFAULT_DISCLAIMER: &str =
    "This article is for education only. It is not medical advice. \
Talk with your doctor or physical therapist about your own care.";

impl Config {
    /// Reads `<root>/site.yaml`. `base_url_override` (from `--base-url`)
    /// replaces the configured `base_url`.
    pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config, ConfigError> {
        let path = root.join(CONFIG_FILE);
        let place = Place::file(CONFIG_FILE);
        let bytes = std::fs::read(&path).map_err(|source| ConfigError::Read {
            place: place.clone(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|err| ConfigError::Invalid {
            place: Place::at(
                CONFIG_FILE,
                crate::error::line_of_byte(err.as_bytes(), err.utf8_error().valid_up_to()),
                None,
            ),
            message: "the file is not valid UTF-8 text: save it with UTF-8 encoding".into(),
        })?;
        Config::parse(root, &text, base_url_override)
    }

    /// Parses the text of `site.yaml`.
    pub fn parse(
        root: &Path,
        text: &str,
        base_url_override: Option<&str>,
    ) -> Result<Config, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawConfig = crate::yaml::parse(text, 1).map_err(|mut p| {
            place_readability_problem(text, &mut p);
            ConfigError::Invalid {
                place: Place::at(CONFIG_FILE, p.line, Some(p.column)),
                message: p.message,
            }
        })?;
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            place: Place::at(CONFIG_FILE, key_line(text, key), Some(1)),
            message,
        };
        let base = match base_url_override {
            Some(url) => BaseUrl::parse(url).map_err(|m| ConfigError::Invalid {
                place: Place::file("--base-url"),
                message: m,
            })?,
            None => BaseUrl::parse(&raw.base_url).map_err(|m| invalid("base_url", m))?,
        };
        for id in raw.check.rules.keys() {
            if crate::check::Rule::from_id(id).is_none() {
                let ids = crate::check::Rule::ALL.map(|r| r.id());
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
        if let Some(Err(message)) = raw.brand.phone.as_deref().map(crate::location::e164) {
            return Err(invalid("phone", format!("brand {message}")));
        }
        if raw.title.trim().is_empty() {
            return Err(invalid(
                "title",
                "`title` is empty: give the site a name".into(),
            ));
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
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title,
            base,
            language: raw.language,
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
        })
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

/// The line on which a top-level `key:` is written, for errors about its value.
pub fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1)
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
        Ok(BaseUrl { absolute, root })
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
        format!("{}{}", self.root, site_path.trim_start_matches('/'))
    }

    /// A path from the host root (`/clinic/a.png`) as an absolute URL.
    pub fn absolute_of(&self, host_path: &str) -> String {
        let origin = self
            .absolute
            .strip_suffix(&self.root)
            .unwrap_or(&self.absolute);
        format!("{origin}{host_path}")
    }

    /// A site path as an absolute URL.
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}{}", self.absolute, site_path.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn readability(yaml: &str) -> Result<Readability, String> {
        let text = format!("title: A\nbase_url: https://a.org\nreadability:\n{yaml}");
        Config::parse(Path::new("."), &text, None)
            .map(|c| c.readability)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn readability_limits_per_language() {
        assert_eq!(
            readability("  max_grade: 6\n"),
            Ok(Readability {
                max_grade: 6.0,
                es: SpanishReadability { min_inflesz: 55.0 },
            })
        );
        assert_eq!(
            readability("  max_grade: 7.5\n  es:\n    min_inflesz: 60\n"),
            Ok(Readability {
                max_grade: 7.5,
                es: SpanishReadability { min_inflesz: 60.0 },
            })
        );
        assert_eq!(readability("  es: {}\n"), Ok(Readability::default()));
        let config =
            Config::parse(Path::new("."), "title: A\nbase_url: https://a.org\n", None).unwrap();
        assert_eq!(config.readability, Readability::default());
        assert_eq!(config.readability.max_grade, 8.0);
        assert_eq!(config.readability.es.min_inflesz, 55.0);
    }

    #[test]
    fn readability_refuses_unknown_languages_and_keys() {
        let cases = [
            (
                "  fr:\n    min_grade: 8\n",
                "site.yaml:4:3: readability: handout has no readability formulas for language \
                 `fr`: it scores English (`max_grade`) and Spanish (`es: {min_inflesz: 55}`); \
                 remove `fr:`",
            ),
            (
                "  max_grade: 8\n  pt-BR: {}\n",
                "site.yaml:5:3: readability: handout has no readability formulas for language \
                 `pt-BR`",
            ),
            (
                "  en: {max_grade: 8}\n",
                "site.yaml:4:3: readability: `en` is not a key here",
            ),
            (
                "  max_grad: 8\n",
                "site.yaml:4:3: readability: unknown field `max_grad`, did you mean `max_grade`?",
            ),
            (
                "  max: 8\n",
                "site.yaml:4:3: readability: unknown field `max`, did you mean `max_grade`?",
            ),
            (
                "  es:\n    max_grade: 8\n",
                "site.yaml:5:5: readability.es: unknown field `max_grade`; the known keys here \
                 are `min_inflesz`",
            ),
            (
                "  es:\n    min_inflesz: 120\n",
                "site.yaml:5:5: readability: `min_inflesz` is 120: give an INFLESZ score from 0 \
                 to 100, like 55",
            ),
            (
                "  max_grade: -1\n",
                "site.yaml:4:3: readability: `max_grade` is -1: give a school grade",
            ),
            (
                "  max_grade: 8\n  max_grade: 9\n",
                "site.yaml:5:3: readability: duplicate field `max_grade`: the key is set twice",
            ),
            (
                "  {max_grade: 8, de: {}}\n",
                "site.yaml:4:18: readability: handout has no readability formulas for language \
                 `de`",
            ),
        ];
        for (yaml, want) in cases {
            let err = readability(yaml).unwrap_err();
            assert!(err.starts_with(want), "{yaml:?}:\n{err}\nwant:\n{want}");
        }
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
