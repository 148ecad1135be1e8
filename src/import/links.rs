//! Where one post's links and files go now: a link to another imported
//! post becomes a link to its source file (`/articles/knee-pain.md`), so
//! the build checks it; an uploaded file found in `--uploads` is copied
//! beside the post and linked by name; anything else keeps a full address
//! that works, and what needs a look is noted.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::html::{Resolve, Rewrite};
use super::plan::{old_path, Plan};
use crate::config::BaseUrl;

/// A link to a heading, decided once every post is converted: until then
/// `token` stands in the Markdown where the address goes.
#[derive(Debug, Clone)]
pub struct Fragment {
    pub token: String,
    /// The post the link is in, and the one it points at (entry indexes).
    pub from: usize,
    pub to: usize,
    /// The address without the `#`.
    pub dest: String,
    pub id: String,
}

/// Files to copy beside one post: name in its folder -> source.
pub type Bundle = Vec<(String, PathBuf)>;

/// The resolver for one post.
pub struct PostLinks<'a> {
    pub plan: &'a Plan,
    /// The post's entry index.
    pub entry: usize,
    /// `wp-content/uploads` on this machine, when given.
    pub uploads: Option<&'a Path>,
    /// The new site's address, for links inside HTML kept as it is.
    pub base: &'a BaseUrl,
    /// The post's old address, which relative links start from.
    pub permalink: &'a str,
    /// The new site has the old one's address: old addresses that no page
    /// answers will be gone.
    pub replaced: bool,
    pub bundle: Bundle,
    pub notes: Vec<String>,
    pub fragments: &'a mut Vec<Fragment>,
}

impl PostLinks<'_> {
    /// `/x` on the old site, as a full address.
    fn absolute(&self, url: &str) -> String {
        if url.starts_with('/') && !url.starts_with("//") {
            format!("{}{url}", self.plan.origin)
        } else {
            url.to_string()
        }
    }

    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// The imported post a link points at, by its old address or its id
    /// (`?p=12`, `?page_id=12`); `Err(None)` when the link is to the old
    /// site but no imported post; `Err(Some(why))` for one left out.
    fn target(&self, url: &str) -> Option<Result<usize, Option<String>>> {
        let id = query_id(url);
        if let Some(id) = id.filter(|_| is_on_site(self.plan, url)) {
            return Some(match self.plan.by_id.get(&id) {
                Some(&entry) => Ok(entry),
                None => Err(self.plan.skipped_ids.get(&id).cloned()),
            });
        }
        let path = old_path(self.plan, url)?;
        Some(match self.plan.by_path.get(&path) {
            Some(&entry) => Ok(entry),
            None => Err(self.plan.skipped_paths.get(&path).cloned()),
        })
    }

    fn fragment(&mut self, to: usize, dest: String, id: &str) -> String {
        let token = format!("handout-fragment-{}-end", self.fragments.len());
        self.fragments.push(Fragment {
            token: token.clone(),
            from: self.entry,
            to,
            dest,
            id: id.to_string(),
        });
        token
    }

    /// A link that leads nowhere on the new site yet. When the new site
    /// takes the old one's place, a link to the old address would break
    /// the build (it names no page): the link goes, its text stays.
    /// Elsewhere, the old address keeps working for now.
    fn nowhere(&mut self, href: &str, in_html: bool, what: &str) -> Rewrite {
        let whole = self.absolute(href);
        if self.replaced && !in_html {
            self.note(format!(
                "it linked to {what} ({whole}); the link was taken out and its text kept: link it again where it should go"
            ));
            Rewrite::Drop
        } else {
            self.note(format!(
                "it links to {what}: the link still goes to {whole}; check where it should go"
            ));
            Rewrite::To(whole)
        }
    }

    /// A link to imported entry `to`: its file; or, when it is not
    /// published yet, nowhere for now.
    fn link_entry(&mut self, to: usize, href: &str, id: &str, in_html: bool) -> Rewrite {
        let Some(entry) = self.plan.entries.get(to) else {
            return Rewrite::Keep;
        };
        if !entry.live {
            let why = if entry.draft {
                "a draft"
            } else {
                "dated in the future"
            };
            let what = format!(
                "\"{}\", which is {why} (link to /{} once it is published)",
                entry.title, entry.rel
            );
            return self.nowhere(href, in_html, &what);
        }
        if in_html {
            let hash = if id.is_empty() {
                String::new()
            } else {
                format!("#{id}")
            };
            return Rewrite::To(format!("{}{hash}", self.base.path(&entry.path)));
        }
        let dest = format!("/{}", entry.rel);
        if id.is_empty() {
            Rewrite::To(dest)
        } else {
            Rewrite::To(self.fragment(to, dest, id))
        }
    }

    /// A link to the old site that is no imported entry: the home page, a
    /// page left out (`why`), or one the export does not have.
    fn elsewhere(&mut self, url: &str, href: &str, why: Option<String>, in_html: bool) -> Rewrite {
        let path = old_path(self.plan, url).unwrap_or_default();
        if path.is_empty() && why.is_none() && query_id(url).is_none() {
            // The old home page: the new one.
            return Rewrite::To(if in_html {
                self.base.path("")
            } else {
                "/index.md".to_string()
            });
        }
        let what = match why {
            Some(why) => format!("a page that was not imported ({why})"),
            None => "a page of the old site that is not in the export".to_string(),
        };
        self.nowhere(href, in_html, &what)
    }
}

impl Resolve for PostLinks<'_> {
    fn link(&mut self, href: &str, in_html: bool) -> Rewrite {
        let href = href.trim();
        if href.is_empty() || has_scheme_other_than_http(href) {
            return Rewrite::Keep;
        }
        if upload_rel(href).is_some() {
            return self.file(href);
        }
        if let Some(id) = href.strip_prefix('#') {
            let Some(own) = self.plan.entries.get(self.entry).filter(|_| !in_html) else {
                return Rewrite::Keep;
            };
            let own = format!("/{}", own.rel);
            return Rewrite::To(self.fragment(self.entry, own, id));
        }
        let is_relative = !href.starts_with('/') && !href.contains("://");
        if is_relative {
            // Relative to the post's old address: made whole, then looked up.
            if !self.permalink.contains("://") {
                return Rewrite::Keep;
            }
            let whole = join_url(self.permalink, href);
            return match self.link(&whole, in_html) {
                Rewrite::Keep => Rewrite::To(whole),
                other => other,
            };
        }
        let (url, id) = match href.split_once('#') {
            Some((url, id)) => (url, id),
            None => (href, ""),
        };
        match self.target(url) {
            None => Rewrite::Keep,
            Some(Ok(to)) => self.link_entry(to, href, id, in_html),
            Some(Err(why)) => self.elsewhere(url, href, why, in_html),
        }
    }

    fn file(&mut self, src: &str) -> Rewrite {
        let Some(rel) = upload_rel(src) else {
            return Rewrite::Keep;
        };
        let found = self.uploads.and_then(|dir| {
            candidates(&rel)
                .into_iter()
                .filter_map(|candidate| safe_join(dir, &candidate))
                .find(|path| path.is_file())
        });
        if let Some(source) = found {
            if let Some((name, _)) = self.bundle.iter().find(|(_, s)| *s == source) {
                return Rewrite::To(name.clone());
            }
            let name = bundle_name(&source, &self.bundle);
            self.bundle.push((name.clone(), source));
            return Rewrite::To(name);
        }
        let why = if self.uploads.is_some() {
            "is not in the uploads folder"
        } else {
            "was not copied (no --uploads folder was given)"
        };
        let whole = self.absolute(src.trim());
        if self.replaced {
            self.note(format!(
                "the file wp-content/uploads/{rel} {why}: it was left out, as the old site will be gone (a comment marks where a picture was); put it beside the page and link it by name"
            ));
            Rewrite::Drop
        } else {
            self.note(format!(
                "the file wp-content/uploads/{rel} {why}: it still comes from the old site, {whole}"
            ));
            Rewrite::To(whole)
        }
    }
}

/// `mailto:`, `tel:`, `javascript:`...: left as written.
fn has_scheme_other_than_http(href: &str) -> bool {
    match href.find(':') {
        Some(at) => {
            let scheme = &href[..at];
            !scheme.contains(['/', '?', '#'])
                && !scheme.eq_ignore_ascii_case("http")
                && !scheme.eq_ignore_ascii_case("https")
        }
        None => false,
    }
}

/// The number in `?p=12`, `?page_id=12` or `?attachment_id=12`.
fn query_id(url: &str) -> Option<u64> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        matches!(key, "p" | "page_id")
            .then(|| value.parse().ok())
            .flatten()
    })
}

fn is_on_site(plan: &Plan, url: &str) -> bool {
    url.starts_with('/')
        || url.starts_with('?')
        || old_path(plan, url.split('?').next().unwrap_or(url)).is_some()
}

/// `https://a/x/y/` + `../z` -> `https://a/x/z`.
fn join_url(base: &str, relative: &str) -> String {
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let (origin, path) = base.split_at(path_start);
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    if !path.ends_with('/') {
        parts.pop();
    }
    let (relative, suffix) = match relative.find(['?', '#']) {
        Some(at) => relative.split_at(at),
        None => (relative, ""),
    };
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let trailing = if relative.ends_with('/') || relative.is_empty() {
        "/"
    } else {
        ""
    };
    format!("{origin}/{}{trailing}{suffix}", parts.join("/")).replace("//?", "/?")
}

/// The part of an address after `wp-content/uploads/`, decoded, without
/// query or fragment.
pub fn upload_rel(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("wp-content/uploads/")?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()?;
    (!decoded.is_empty()).then(|| decoded.into_owned())
}

/// The file as linked, then the full-size original of a resized copy
/// (`knee-300x200.jpg`, `knee-scaled.jpg` -> `knee.jpg`).
fn candidates(rel: &str) -> Vec<String> {
    let mut list = vec![rel.to_string()];
    let (stem, ext) = match rel.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') => (stem, format!(".{ext}")),
        _ => (rel, String::new()),
    };
    if let Some((original, size)) = stem.rsplit_once('-') {
        let is_size = size.split_once('x').is_some_and(|(w, h)| {
            !w.is_empty() && !h.is_empty() && w.chars().chain(h.chars()).all(|c| c.is_ascii_digit())
        });
        if is_size || size == "scaled" {
            list.push(format!("{original}{ext}"));
        }
    }
    list
}

/// `dir/rel`, unless `rel` would climb out of `dir`.
fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    rel.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| dir.join(rel))
}

/// A file name for `source` beside the post: a slug of its name, made
/// unique among the bundle's.
fn bundle_name(source: &Path, bundle: &Bundle) -> String {
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut ext = source
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy().to_ascii_lowercase()))
        .unwrap_or_default();
    // A Markdown file beside a page would be a page of its own.
    if ext == ".md" {
        ext.push_str(".txt");
    }
    let stem = match slug::slugify(&stem) {
        s if s.is_empty() || s == "index" => "file".to_string(),
        s => s,
    };
    let taken: HashMap<&str, ()> = bundle.iter().map(|(n, _)| (n.as_str(), ())).collect();
    let mut name = format!("{stem}{ext}");
    let mut n = 2;
    while taken.contains_key(name.as_str()) {
        name = format!("{stem}-{n}{ext}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_paths_and_their_originals() {
        assert_eq!(
            upload_rel("https://c.example/wp-content/uploads/2019/05/caf%C3%A9-300x200.jpg?x=1")
                .as_deref(),
            Some("2019/05/café-300x200.jpg")
        );
        assert_eq!(upload_rel("https://c.example/about/"), None);
        assert_eq!(
            candidates("2019/05/knee-300x200.jpg"),
            ["2019/05/knee-300x200.jpg", "2019/05/knee.jpg"]
        );
        assert_eq!(candidates("2019/05/knee-scaled.jpg")[1], "2019/05/knee.jpg");
        assert_eq!(candidates("2019/05/knee-pain.jpg").len(), 1);
        assert!(safe_join(Path::new("/u"), "../etc/passwd").is_none());
        assert!(safe_join(Path::new("/u"), "/etc/passwd").is_none());
    }

    #[test]
    fn relative_links_are_made_whole() {
        assert_eq!(
            join_url("https://a.org/2019/05/x/", "../y/"),
            "https://a.org/2019/05/y/"
        );
        assert_eq!(
            join_url("https://a.org/x/", "y.pdf#p"),
            "https://a.org/x/y.pdf#p"
        );
    }

    #[test]
    fn ids_in_queries() {
        assert_eq!(query_id("https://a.org/?p=12"), Some(12));
        assert_eq!(query_id("/?page_id=3&x=1"), Some(3));
        assert_eq!(query_id("/?s=knee"), None);
    }

    #[test]
    fn bundle_names_are_unique_slugs() {
        let mut bundle = Bundle::new();
        let first = bundle_name(Path::new("/u/2019/Knee Photo.JPG"), &bundle);
        assert_eq!(first, "knee-photo.jpg");
        bundle.push((first, PathBuf::from("/u/2019/Knee Photo.JPG")));
        assert_eq!(
            bundle_name(Path::new("/u/2020/knee-photo.jpg"), &bundle),
            "knee-photo-2.jpg"
        );
        assert_eq!(
            bundle_name(Path::new("/u/notes.md"), &bundle),
            "notes.md.txt"
        );
    }
}
