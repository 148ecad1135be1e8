//! The entry points of the fuzz targets (`fuzz/`) and of the replay of
//! their corpora (`tests/fuzz_corpora.rs`): each takes any bytes, runs one
//! input format through the functions the build uses on it, and returns
//! nothing. An input passes when the call returns: a panic, a hang or
//! unbounded memory is the bug. Not part of handout's interface.

use std::path::{Path, PathBuf};

use crate::content::{Meta, SourcePage};
use crate::error::Errors;
use crate::frontmatter::Date;

/// A target: any bytes in, nothing out.
pub type Target = fn(&[u8]);

/// Every target, by name, as `fuzz/` and the replay test call them.
pub const TARGETS: &[(&str, Target)] = &[
    ("page", page),
    ("site_yaml", site_yaml),
    ("shortcode", shortcode),
    ("markdown", markdown),
    ("comparison", comparison),
    ("hours", hours),
    ("readability", readability),
    ("request_path", request_path),
    ("synonyms", synonyms),
    ("wordpress", wordpress),
    ("image", image),
    ("yaml_subset", yaml_subset),
];

/// The page kinds, by where their file is.
const KINDS: [&str; 5] = [
    "index.md",
    "articles/a.md",
    "locations/a.md",
    "authors/a.md",
    "about.md",
];

fn today() -> Date {
    Date::parse("2026-06-01").unwrap_or_else(crate::today)
}

/// A page of the kind the first byte picks, from the rest.
fn parse(kind: usize, bytes: &[u8]) -> Option<SourcePage> {
    let rel = KINDS[kind % KINDS.len()].to_string();
    let shown = PathBuf::from("content").join(&rel);
    crate::content::parse_page(shown, rel, bytes.to_vec()).ok()
}

/// Front matter split from the body and parsed as the type of each page
/// kind; then what a build checks of it (clinics, comparison tables).
pub fn page(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    if let Some(page) = parse(first.into(), rest) {
        check_page(&page);
    }
}

fn check_page(page: &SourcePage) {
    let mut errors = Errors::default();
    match &*page.meta {
        Meta::Article(meta) => {
            crate::comparison::check(page, meta, &mut errors);
            let targets = targets();
            let base = base();
            let links = crate::links::PageLinks::for_page(&targets, &base, page);
            let _ = crate::comparison::render(page, meta, &links, &mut errors);
        }
        Meta::Location(meta) => {
            crate::location::check(page, meta, &["ann-lee"], &mut errors);
            let _ = crate::view::hours::week(meta);
            let _ = crate::view::hours::rows(meta, &crate::view::Locale::default());
            let _ = crate::view::hours::upcoming_holidays(
                meta,
                today(),
                &crate::view::Locale::default(),
            );
            let _ = crate::view::hours::directions_url(meta);
        }
        _ => {}
    }
    let _ = errors.to_string();
}

/// `site.yaml`, as written and with `--base-url`.
pub fn site_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let root = Path::new(".");
    let _ = crate::config::Config::parse(root, text, None);
    let _ = crate::config::Config::parse(root, text, Some("http://127.0.0.1:1111/"));
}

/// A shortcode call (`{{ name(arg="v") }}`) and a shortcode template's
/// argument list, checked one against the other.
pub fn shortcode(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (call, template) = text.split_once('\n').unwrap_or((text, text));
    let _ = crate::shortcode::looks_like_call(call);
    let spec = crate::shortcode::parse_spec(template);
    if let Ok(call) = crate::shortcode::parse_call(call, 1) {
        let mut specs = crate::shortcode::Specs::new();
        specs.insert(call.name.clone(), spec);
        specs.insert("cta".into(), crate::shortcode::parse_spec(""));
        let _ = crate::shortcode::check(&call, &specs);
        let _ = call.arg("text");
    }
}

/// The pages and files links can point at in the Markdown target.
fn targets() -> crate::links::LinkTargets {
    let mut targets = crate::links::LinkTargets::default();
    for (rel, path, ids) in [
        ("articles/a.md", "articles/a/", &["intro", "a-b"][..]),
        ("articles/b.md", "articles/b/", &[][..]),
        ("locations/a.md", "locations/a/", &["parking"][..]),
        ("index.md", "", &[][..]),
    ] {
        targets
            .pages
            .insert(rel.into(), crate::links::Target::with_ids(path, ids));
    }
    targets.assets.insert("articles/knee.svg".into());
    targets.left_out.insert("articles/draft.md".into());
    targets
}

fn base() -> crate::config::BaseUrl {
    crate::config::BaseUrl::parse("https://example.org/clinic/").unwrap_or_else(|_| {
        // Never: the address is valid. A fuzz run would say so.
        crate::config::BaseUrl::parse("https://example.org/").unwrap_or_else(|e| panic!("{e}"))
    })
}

/// A page body rendered to HTML, its links to source files rewritten and
/// checked, and as inline Markdown (comparison cells).
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let targets = targets();
    let base = base();
    let links = crate::links::PageLinks {
        targets: &targets,
        base: &base,
        rel: "articles/a.md",
        dir: "articles",
        lead: false,
        looked_up: Default::default(),
    };
    let rendered = crate::markdown::render(text, &links);
    let _ = rendered.html.len();
    let _ = crate::markdown::render_inline(text, &links);
    let _ = crate::markdown::heading_slug(text);
}

/// An article's front matter alone, as the comparison tables read it.
pub fn comparison(data: &[u8]) {
    let mut text = b"---\ntitle: T\ndescription: D\ndate: 2026-01-01\n".to_vec();
    text.extend_from_slice(data);
    text.extend_from_slice(b"\n---\n\n{{ comparison() }}\n");
    if let Some(page) = parse(1, &text) {
        check_page(&page);
    }
}

/// A clinic's front matter alone, as its checks and opening hours read it.
pub fn hours(data: &[u8]) {
    let mut text = b"---\nname: N\ncity: C\n".to_vec();
    text.extend_from_slice(data);
    text.extend_from_slice(b"\n---\n\nText.\n");
    if let Some(page) = parse(2, &text) {
        check_page(&page);
    }
}

/// Text scored in English and in Spanish, as paragraphs.
pub fn readability(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let blocks: Vec<crate::readability::Block> = text
        .split("\n\n")
        .enumerate()
        .map(|(line, text)| crate::readability::Block { text, line })
        .collect();
    for language in [
        crate::readability::Language::English,
        crate::readability::Language::Spanish,
    ] {
        let scores = crate::readability::score(&blocks, language);
        let _ = scores.is_judged();
        for word in text.split_whitespace().take(64) {
            let _ = language.syllables(word);
        }
    }
}

/// A request path as `serve` receives it: whatever it says, a path judged
/// safe stays inside the folder served.
pub fn request_path(data: &[u8]) {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let root = Path::new("/nonexistent/handout-fuzz-root");
    if crate::serve::request_path_is_safe(root, raw) {
        let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
        let mut depth: i64 = 0;
        for part in decoded.split('/') {
            match part {
                "" | "." => {}
                ".." => depth -= 1,
                _ => depth += 1,
            }
            assert!(depth >= 0, "{raw:?} was judged safe but leaves the folder");
        }
    }
}

/// Search's synonyms file.
pub fn synonyms(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = crate::search::synonyms::parse(text);
}

/// A WordPress export converted to a site's files in memory.
pub fn wordpress(data: &[u8]) {
    let _ = crate::import::convert_in_memory(data, today());
}

/// A raster picture (JPEG, PNG, GIF, WebP) decoded within the engine's
/// limits, resized and encoded again, at two small widths.
pub fn image(data: &[u8]) {
    let settings = crate::config::Images {
        widths: vec![16, 40],
        quality: 50,
        ..crate::config::Images::default()
    };
    // Within 2,000 px and 16 MB, not a build's 12,000 px and 400 MB: a
    // 40-byte GIF may name a canvas of 95 megapixels, which takes seconds
    // to fill and resize (and a minute in a debug build's replay). The
    // same code checks the bounds either way.
    let bounds = crate::images::engine::Bounds {
        side: 2_000,
        alloc: 16 * 1024 * 1024,
    };
    if let Ok(encoded) = crate::images::engine::encode_within(data, &settings, bounds) {
        for file in &encoded.files {
            assert!(!file.bytes.is_empty(), "an empty output file");
        }
    }
}

/// YAML read by the subset reader and by the full parser, as each front
/// matter type, `site.yaml`'s, a type of every scalar kind and an untyped
/// value: whenever the subset gives a value, the full parser must give
/// the same one. A difference panics, naming both.
pub fn yaml_subset(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    same_as_full_parser::<crate::frontmatter::ArticleMeta>(text);
    same_as_full_parser::<crate::frontmatter::LocationMeta>(text);
    same_as_full_parser::<crate::frontmatter::AuthorMeta>(text);
    same_as_full_parser::<crate::frontmatter::PlainMeta>(text);
    same_as_full_parser::<crate::frontmatter::HomeMeta>(text);
    same_as_full_parser::<crate::config::RawConfig>(text);
    same_as_full_parser::<Scalars>(text);
    same_as_full_parser::<serde_yaml::Value>(text);
}

/// Every kind of value a field can be read as, under keys the tests
/// write (any other key is ignored).
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // Compared through `Debug`.
pub struct Scalars {
    text: Option<String>,
    list: Option<Vec<String>>,
    int: Option<i64>,
    small: Option<u8>,
    float: Option<f64>,
    flag: Option<bool>,
    day: Option<crate::frontmatter::Day>,
    days: Option<Vec<crate::frontmatter::Day>>,
    date: Option<Date>,
    nested: Option<std::collections::BTreeMap<String, Scalars>>,
    items: Option<Vec<Scalars>>,
}

/// Panics if the subset reads `text` as `T` and the full parser does not
/// read the same value.
pub fn same_as_full_parser<T>(text: &str) -> Option<T>
where
    T: serde::de::DeserializeOwned + std::fmt::Debug,
{
    let fast = crate::yaml::subset::from_str::<T>(text)?;
    match serde_yaml::from_str::<T>(text) {
        Ok(full) => {
            let (fast, full) = (format!("{fast:?}"), format!("{full:?}"));
            assert_eq!(
                fast, full,
                "the subset and the full parser differ on {text:?}"
            );
        }
        Err(err) => panic!("the subset read {text:?} as {fast:?}; the full parser says: {err}"),
    }
    Some(fast)
}
