//! Old addresses of pages (`aliases:` in any page's front matter). Sits
//! between `site`, which gives every page its path, and `render`, which
//! writes a redirect page at each alias (a meta refresh with a canonical
//! link, so it works on any host) and one `_redirects` file, the list
//! Netlify and Cloudflare Pages read. An alias may not take the place of
//! anything else the build writes, in any language. In a site of several
//! languages each language writes its own pages' redirect pages, and the
//! default language's `_redirects` lists every language's aliases.

use std::collections::HashMap;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::error::{display_path, Diagnostic, Errors, Place};
use crate::site::Site;
use crate::theme::Theme;

/// The redirect list Netlify and Cloudflare Pages read, at the output root.
pub const REDIRECTS_FILE: &str = "_redirects";

/// Characters written as `%XX` in a path (besides all non-ASCII ones).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// An alias as written, made a site path: `2019/05/knee-pain/` (a folder,
/// served from its `index.html`) or `old/page.html` (a file). `%XX` is
/// decoded, as a host decodes a request before it looks for the file.
///
/// ```
/// use handout::aliases::site_path;
///
/// assert_eq!(site_path("/2019/05/knee-pain").unwrap(), "2019/05/knee-pain/");
/// assert_eq!(site_path("old/page.html").unwrap(), "old/page.html");
/// assert_eq!(site_path("/caf%C3%A9/").unwrap(), "café/");
/// assert!(site_path("https://example.org/a/").is_err());
/// ```
pub fn site_path(written: &str) -> Result<String, String> {
    let written = written.trim();
    if written.contains("://") || written.starts_with("//") {
        return Err(format!(
            "alias `{written}` has a host name: write the path only, like /2019/05/knee-pain/"
        ));
    }
    if written.contains(['?', '#']) {
        return Err(format!(
            "alias `{written}` has a `?` or `#` part, which a static host cannot redirect: write the path only"
        ));
    }
    let decoded = percent_decode_str(written)
        .decode_utf8()
        .map_err(|_| format!("alias `{written}` has %-codes that are not UTF-8 text"))?;
    let mut parts = Vec::new();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        if part.starts_with('.') || part.contains('\\') || part.chars().any(char::is_control) {
            return Err(format!(
                "alias `{written}` has a part `{part}` a web address cannot have (a leading dot, a backslash or a control character)"
            ));
        }
        parts.push(part);
    }
    let Some(last) = parts.last() else {
        return Err(format!(
            "alias `{written}` is the home page's address: remove it"
        ));
    };
    let lower = last.to_ascii_lowercase();
    let is_file = lower.ends_with(".html") || lower.ends_with(".htm");
    let mut path = parts.join("/");
    if !is_file {
        path.push('/');
    }
    Ok(path)
}

/// The output file of a site path: `a/` -> `a/index.html`.
pub fn output_file(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_string()
    }
}

/// A site path as a link from the host root, `%`-encoded, with the
/// base_url's own path in front (`/clinic/caf%C3%A9/`).
fn host_path(site: &Site, site_path: &str) -> String {
    let encoded: Vec<String> = site_path
        .split('/')
        .map(|part| utf8_percent_encode(part, PATH).to_string())
        .collect();
    site.config.base.path(&encoded.join("/"))
}

/// One alias of a page that the build can write: the page (an index into
/// `site.pages`), which of its aliases, and its site path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub page: usize,
    pub index: usize,
    pub path: String,
}

/// Whether any page of `site` (not borrowed from another language) names
/// an alias.
pub fn any(site: &Site) -> bool {
    site.pages
        .iter()
        .any(|page| !site.is_borrowed(page) && !page.source.meta.aliases().is_empty())
}

/// Every alias of every page that is a valid path, in page order; not
/// those of pages another language lends this one (it writes them).
pub fn list(site: &Site) -> Vec<Alias> {
    site.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !site.is_borrowed(p))
        .flat_map(|(page, p)| {
            p.source
                .meta
                .aliases()
                .iter()
                .enumerate()
                .filter_map(move |(index, written)| {
                    let path = site_path(written).ok()?;
                    Some(Alias { page, index, path })
                })
        })
        .collect()
}

/// What a redirect page shows: where the page is now.
#[derive(Debug, Clone, Serialize)]
pub struct Redirect {
    /// From the host root: `/articles/knee-pain/`.
    pub url: String,
    /// Absolute: `https://example.org/articles/knee-pain/`.
    pub permalink: String,
    pub language: String,
}

/// The redirect page of alias `n` of page `i`.
pub fn redirect(site: &Site, page: usize) -> Option<Redirect> {
    let page = site.pages.get(page)?;
    Some(Redirect {
        url: site.config.base.path(&page.path),
        permalink: site.config.base.permalink(&page.path),
        language: site.config.language.clone(),
    })
}

/// One line of `_redirects`: `from to 301`.
#[derive(Debug, Clone, Serialize)]
pub struct RedirectLine {
    pub from: String,
    pub to: String,
}

/// Every line of `_redirects`: this language's aliases in page order,
/// then (in the default language) the other languages' ones.
pub fn redirect_lines(site: &Site) -> Vec<RedirectLine> {
    let others = site
        .config
        .prefix
        .is_empty()
        .then_some(&site.translations.redirects)
        .into_iter()
        .flatten()
        .map(|(from, to)| RedirectLine {
            from: from.clone(),
            to: to.clone(),
        });
    own_redirect_lines(site).into_iter().chain(others).collect()
}

/// The lines of `_redirects` of this language's own pages' aliases:
/// (from, to), what the default language lists for another one
/// (`site::Translations::redirects`).
pub fn language_redirects(site: &Site) -> Vec<(String, String)> {
    own_redirect_lines(site)
        .into_iter()
        .map(|line| (line.from, line.to))
        .collect()
}

fn own_redirect_lines(site: &Site) -> Vec<RedirectLine> {
    list(site)
        .into_iter()
        .filter_map(|alias| {
            let page = site.pages.get(alias.page)?;
            Some(RedirectLine {
                from: host_path(site, &alias.path),
                to: site.config.base.path(&page.path),
            })
        })
        .collect()
}

/// The redirect page, as a template (rendered with `redirect`), in the
/// page's language: the theme's strings `moved` and `moved_link` (English
/// when a theme has none).
pub const REDIRECT_TEMPLATE: &str = r#"<!DOCTYPE html>
<html lang="{{ redirect.language }}">
<head>
<meta charset="utf-8">
<title>{{ tr.moved | default(value="This page has moved") }}</title>
<link rel="canonical" href="{{ redirect.permalink }}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={{ redirect.url }}">
</head>
<body>
<p>{{ tr.moved | default(value="This page has moved") }}. <a href="{{ redirect.url }}">{{ tr.moved_link | default(value="Go to its new address") }}</a>.</p>
</body>
</html>
"#;

/// `_redirects`, as a template (rendered with `redirects`).
pub const REDIRECTS_TEMPLATE: &str = "# Old addresses and where they moved (from `aliases:` in front matter).\n{% for r in redirects %}{{ r.from }} {{ r.to }} 301\n{% endfor %}";

/// Who else writes an output file an alias wants: a page or an alias by
/// (language, page).
enum Owner {
    Page(usize, usize),
    Made,
    Alias(usize, usize),
    File(String),
}

/// Every alias must be a valid path and take no file the build writes
/// otherwise: a page, a list, an asset, a theme file or another alias.
/// Each problem names both files.
pub fn check(site: &Site, theme: &Theme, generated: &[String]) -> Errors {
    check_sites(&[(site, generated)], theme, 0)
}

/// `check` across the languages of a site (`sites` the default one
/// first, each with the paths it generates): an alias of one language may
/// not take a file of another either. Reports the aliases of the sites
/// from `report_from` on (the default language's were checked alone
/// before the others were made).
pub fn check_languages(sites: &[(&Site, &[String])], theme: &Theme, report_from: usize) -> Errors {
    let mut errors = check_sites(sites, theme, report_from);
    // `_redirects` is made for the other languages' aliases alone too,
    // which the default language's own check did not know.
    let has_aliases = |sites: &[(&Site, &[String])]| sites.iter().any(|(s, _)| !list(s).is_empty());
    let (first, rest) = sites.split_at(report_from.min(sites.len()));
    if has_aliases(rest) && !has_aliases(first) {
        let assets = first.iter().flat_map(|(site, _)| {
            site.assets.iter().map(|a| {
                (
                    &a.rel,
                    std::path::Path::new(crate::content::CONTENT_DIR).join(&a.rel),
                )
            })
        });
        let statics = theme
            .statics
            .iter()
            .map(|(rel, file)| (rel, file.shown.clone()));
        for (rel, shown) in assets.chain(statics) {
            if rel == REDIRECTS_FILE {
                errors.push(Diagnostic::new(
                    Place::file(shown),
                    format!(
                        "this file would replace /{rel}, which handout makes: rename or move it"
                    ),
                ));
            }
        }
    }
    errors
}

fn check_sites(sites: &[(&Site, &[String])], theme: &Theme, report_from: usize) -> Errors {
    // Only an alias can take another's file here. Most sites have none,
    // and the table of every output file (36,000 at 10k articles) was
    // made on one core before anything else could run.
    let any_alias = sites.iter().skip(report_from).any(|(site, _)| any(site));
    if !any_alias {
        return Errors::default();
    }
    // Each file an alias would take, and each folder on its way: only
    // these are looked up below, so only these need an owner. A table of
    // every output file took 4 ms of one core at 10k, on every save in
    // `serve` that adds or deletes a page.
    let wanted: FxHashSet<String> = sites
        .iter()
        .flat_map(|(site, _)| site.pages.iter().filter(|page| !site.is_borrowed(page)))
        .flat_map(|page| page.source.meta.aliases())
        .filter_map(|written| site_path(written).ok())
        .flat_map(|path| {
            let file = output_file(&path);
            let folders: Vec<String> = file
                .match_indices('/')
                .map(|(at, _)| file[..at].to_string())
                .collect();
            folders.into_iter().chain(std::iter::once(file))
        })
        .collect();
    let mut owners: HashMap<String, Owner> = HashMap::new();
    for (_, generated) in sites {
        let made = generated.par_iter().filter(|path| wanted.contains(*path));
        for path in made.collect::<Vec<_>>() {
            owners.insert(path.clone(), Owner::Made);
        }
    }
    for (s, (site, _)) in sites.iter().enumerate() {
        let pages = site.pages.par_iter().enumerate().filter_map(|(i, page)| {
            let file = output_file(&page.path);
            (!site.is_borrowed(page) && wanted.contains(&file)).then_some((file, i))
        });
        for (file, i) in pages.collect::<Vec<_>>() {
            owners.insert(file, Owner::Page(s, i));
        }
    }
    let Some((site, _)) = sites.first() else {
        return Errors::default();
    };
    for asset in &site.assets {
        let shown = format!("{}/{}", crate::content::CONTENT_DIR, asset.rel);
        owners.insert(asset.rel.clone(), Owner::File(shown));
    }
    for (rel, file) in &theme.statics {
        owners.insert(rel.clone(), Owner::File(display_path(&file.shown)));
    }
    let mut errors = Errors::default();
    let name = |s: usize, j: usize| {
        sites
            .get(s)
            .and_then(|(site, _)| site.pages.get(j))
            .map_or(String::new(), |p| display_path(&p.source.path))
    };
    let pages = sites.iter().enumerate().flat_map(|(s, (site, _))| {
        site.pages
            .iter()
            .enumerate()
            .filter(|(_, page)| !site.is_borrowed(page))
            .map(move |(i, page)| (s, i, page))
    });
    for (s, i, page) in pages {
        let source = &page.source;
        for written in source.meta.aliases() {
            // Made only for a message: the front matter may be in its file.
            let place = || {
                Place::at(
                    &source.path,
                    alias_line(&source.front_matter(), written),
                    Some(1),
                )
            };
            let path = match site_path(written) {
                Ok(path) => path,
                Err(message) => {
                    if s >= report_from {
                        errors.push(Diagnostic::new(place(), message));
                    }
                    continue;
                }
            };
            let file = output_file(&path);
            // The file itself, or a folder on its way that is a file.
            let taken = std::iter::once(file.as_str())
                .chain(file.match_indices('/').map(|(at, _)| &file[..at]))
                .find_map(|path| owners.get(path));
            let problem = match taken {
                None => None,
                Some(Owner::Page(t, j)) if (*t, *j) == (s, i) => {
                    Some("is this page's own address".to_string())
                }
                Some(Owner::Page(t, j)) => Some(format!("is the address of {}", name(*t, *j))),
                Some(Owner::Alias(t, j)) if (*t, *j) == (s, i) => {
                    Some("is listed twice".to_string())
                }
                Some(Owner::Alias(t, j)) => Some(format!("is an alias of {} too", name(*t, *j))),
                Some(Owner::Made) => Some("is a page handout makes itself".to_string()),
                Some(Owner::File(shown)) => Some(format!("is the file {shown}")),
            };
            match problem {
                Some(problem) if s >= report_from => errors.push(
                    Diagnostic::new(place(), format!("alias `{written}` {problem}"))
                        .hint("remove it from `aliases:`, or keep it on one page only"),
                ),
                Some(_) => {}
                None => {
                    owners.insert(file, Owner::Alias(s, i));
                }
            }
        }
    }
    errors
}

/// The file line of `alias` in front matter: the first line after
/// `aliases:` that holds it (front matter starts on line 2).
fn alias_line(front_matter: &str, alias: &str) -> usize {
    let key = crate::yaml::lines::key_line(front_matter, "aliases");
    front_matter
        .lines()
        .enumerate()
        .skip(key.saturating_sub(1))
        .find(|(_, line)| line.contains(alias))
        .map_or(key, |(i, _)| i + 1)
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths() {
        assert_eq!(site_path("/a/b/").unwrap(), "a/b/");
        assert_eq!(site_path("a//b").unwrap(), "a/b/");
        assert_eq!(site_path(" /Old.HTM ").unwrap(), "Old.HTM");
        assert_eq!(site_path("/x/old.htm").unwrap(), "x/old.htm");
        for bad in [
            "/",
            "",
            "/a/../b/",
            "/a/?p=1",
            "/a#x",
            "http://a.org/x/",
            "/%FF/",
            "/a\\b/",
        ] {
            assert!(site_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn output_files() {
        assert_eq!(output_file("a/b/"), "a/b/index.html");
        assert_eq!(output_file("a/b.html"), "a/b.html");
    }

    #[test]
    fn alias_lines() {
        let fm = "title: A\naliases:\n  - /old/\n  - /older/\n";
        assert_eq!(alias_line(fm, "/older/"), 5);
        assert_eq!(alias_line("aliases: [/x/]\n", "/x/"), 2);
    }
}
