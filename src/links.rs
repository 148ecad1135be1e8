//! Links between pages: authors write the source file (`other.md`,
//! `/locations/hinsdale.md#parking`); the build prints the page's URL and
//! refuses files and anchors that do not exist.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use std::sync::Arc;

use crate::config::BaseUrl;
use crate::images::Images;
use crate::markdown::{Heading, LinkKind, LinkResolver, Rendered};

/// A page a link can point at.
#[derive(Debug, Default, Clone)]
pub struct Target {
    /// Site path: `articles/a/`.
    pub path: String,
    /// The page's body, whose headings' ids `#anchor` links may name:
    /// none until the bodies are rendered, and after `drop_ids`. The
    /// page holds it too; a set of its ids, made for every page, was a
    /// third of telling which bodies a new article leaves alone at 10k.
    pub body: Option<Arc<Rendered>>,
}

impl Target {
    /// A target with headings of these ids, for tests and fuzzing.
    pub fn with_ids(path: &str, ids: &[&str]) -> Target {
        let headings = ids.iter().map(|id| Heading::new(2, id, id)).collect();
        Target {
            path: path.into(),
            body: Some(Arc::new(Rendered {
                headings,
                ..Rendered::default()
            })),
        }
    }

    /// Its headings' ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.body
            .iter()
            .flat_map(|body| body.headings.iter().map(Heading::id))
    }

    /// Whether a heading has the id `id`.
    pub fn has_id(&self, id: &str) -> bool {
        self.ids().any(|i| i == id)
    }
}

/// The same path and heading ids; the rest of the body does not count.
impl PartialEq for Target {
    fn eq(&self, other: &Target) -> bool {
        self.path == other.path && self.ids().eq(other.ids())
    }
}

impl Eq for Target {}

/// Everything links can point at, shared by all pages of a build.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LinkTargets {
    /// By source file from `content/`: `articles/a.md`.
    pub pages: FxHashMap<String, Target>,
    /// Non-Markdown files from `content/`.
    pub assets: FxHashSet<String>,
    /// Pages that exist but are left out of this build (drafts, future).
    pub left_out: FxHashSet<String>,
    /// Pages that failed to load; their errors are reported already.
    pub broken: FxHashSet<String>,
    /// Source files of another language's pages that links go to, since
    /// this language has no translation of them.
    pub fallback: FxHashSet<String>,
    /// Heading ids are not known yet (bodies are being rendered): anchors
    /// are recorded by `markdown::render` and checked afterwards.
    pub ids_pending: bool,
    /// The processed pictures, and those that cannot be published.
    pub images: Arc<Images>,
}

impl LinkTargets {
    /// Lets go of every page's body (its heading ids), for a build whose
    /// anchors are all checked.
    pub fn drop_ids(&mut self) {
        for target in self.pages.values_mut() {
            target.body = None;
        }
    }

    /// The files from `content/` that links resolve to differently in
    /// `other` than in these (see [`Differences`]).
    pub fn differences(&self, other: &LinkTargets) -> Differences {
        if self.images != other.images {
            return Differences { rels: None };
        }
        let mut rels = FxHashSet::default();
        let mut found = 0;
        for (rel, target) in &self.pages {
            match other.pages.get(rel) {
                Some(o) if o.path == target.path => found += 1,
                Some(_) => {
                    found += 1;
                    rels.insert(rel.clone());
                }
                None => {
                    rels.insert(rel.clone());
                }
            }
        }
        // Pages only `other` has, if any.
        if found < other.pages.len() {
            let only = other
                .pages
                .keys()
                .filter(|rel| !self.pages.contains_key(*rel));
            rels.extend(only.cloned());
        }
        for (a, b) in [
            (&self.assets, &other.assets),
            (&self.left_out, &other.left_out),
            (&self.broken, &other.broken),
        ] {
            rels.extend(a.symmetric_difference(b).cloned());
        }
        Differences { rels: Some(rels) }
    }

    /// The pages at the same path here and in `other` whose headings have
    /// other ids, once both have their bodies: a body kept from one to
    /// the other (the same `Arc`) has the same.
    pub fn id_differences(&self, other: &LinkTargets) -> IdDifferences {
        let same_body = |a: &Target, b: &Target| match (&a.body, &b.body) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        let pages: Vec<(&String, &Target)> = self.pages.iter().collect();
        let rels = pages
            .into_par_iter()
            .filter(|(rel, target)| {
                other.pages.get(*rel).is_some_and(|o| {
                    o.path == target.path && !same_body(o, target) && !o.ids().eq(target.ids())
                })
            })
            .map(|(rel, _)| rel.clone())
            .collect();
        IdDifferences { rels }
    }
}

/// The pages whose headings' ids differ in two [`LinkTargets`] (see
/// [`LinkTargets::id_differences`]): what else a table, which checks its
/// links' anchors as it renders, needs to render the same.
#[derive(Debug, Default)]
pub struct IdDifferences {
    rels: FxHashSet<String>,
}

/// The files from `content/` that links resolve to differently in one
/// [`LinkTargets`] than in another: a page at another URL or at none, a
/// file, a page left out or broken on one side only. Made once for a
/// site assembled again (`serve`), so each body is told to render the
/// same or not by its own links alone: looking each link up in both
/// was most of keeping the bodies when an article came at 10k.
#[derive(Debug)]
pub struct Differences {
    /// `None` when the pictures differ: any link may render differently.
    rels: Option<FxHashSet<String>>,
}

impl Differences {
    /// No link resolves differently: every body renders the same.
    pub fn none(&self) -> bool {
        self.rels.as_ref().is_some_and(FxHashSet::is_empty)
    }

    /// Whether a body whose links looked up `looked_up` renders the same:
    /// each is the same page at the same URL, or the same file, or
    /// missing alike, and the pictures are the same.
    pub fn resolve_alike(&self, looked_up: &[String]) -> bool {
        self.rels.as_ref().is_some_and(|rels| {
            rels.is_empty() || looked_up.iter().all(|rel| !rels.contains(rel.as_str()))
        })
    }

    /// `resolve_alike`, and no page looked up has other heading ids
    /// (`ids`, of the same two targets): for text that checks its links'
    /// anchors as it renders (tables). Comparing each table's pages in
    /// both targets was 4 ms of a new article at 10k.
    pub fn check_alike(&self, ids: &IdDifferences, looked_up: &[String]) -> bool {
        self.resolve_alike(looked_up)
            && (ids.rels.is_empty() || looked_up.iter().all(|rel| !ids.rels.contains(rel.as_str())))
    }
}

/// The resolver for one page's body.
pub struct PageLinks<'a> {
    pub targets: &'a LinkTargets,
    pub base: &'a BaseUrl,
    /// The page's own source file, for `#anchor` links.
    pub rel: &'a str,
    /// The folder relative links start from.
    pub dir: &'a str,
    /// The page shows a lead picture above its body, so no body picture
    /// is the page's first.
    pub lead: bool,
    /// The files from `content/` looked up so far (see
    /// [`Differences::resolve_alike`]).
    pub looked_up: std::sync::Mutex<Vec<String>>,
}

impl<'a> PageLinks<'a> {
    pub fn for_page(
        targets: &'a LinkTargets,
        base: &'a BaseUrl,
        page: &'a crate::content::SourcePage,
    ) -> Self {
        PageLinks {
            targets,
            base,
            rel: &page.rel,
            dir: page.rel_dir(),
            lead: match &*page.meta {
                crate::content::Meta::Article(meta) => meta.image.is_some(),
                crate::content::Meta::Location(meta) => meta.photo.is_some(),
                crate::content::Meta::Author(meta) => meta.photo.is_some(),
                _ => false,
            },
            looked_up: Default::default(),
        }
    }

    fn look_up(&self, rel: &str) {
        if let Ok(mut looked_up) = self.looked_up.lock() {
            looked_up.push(rel.to_string());
        }
    }

    /// The file from `content/` an image written as `dest` names, if it
    /// is one of this site's files and not a full URL.
    fn image_rel(&self, dest: &str) -> Option<String> {
        if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
            return None;
        }
        normalize(self.dir, split_suffix(dest).0)
    }
}

impl LinkResolver for PageLinks<'_> {
    fn looked_up(&self) -> Option<Vec<String>> {
        let mut looked_up = self.looked_up.lock().ok()?;
        Some(std::mem::take(&mut *looked_up))
    }

    fn picture(&self, dest: &str, alt: &str, title: &str, eager: bool) -> Option<String> {
        let rel = self.image_rel(dest)?;
        let picture = self.targets.images.pictures.get(&rel)?;
        let url = |rel: &str| self.base.path(rel);
        let attrs = crate::images::Attributes {
            alt,
            title: Some(title),
            sizes: crate::images::SIZES,
            eager: eager && !self.lead,
            priority: false,
        };
        Some(crate::images::picture_html(picture, &url, &attrs))
    }

    fn anchor_of(&self, dest: &str) -> Option<(String, String)> {
        if let Some(anchor) = dest.strip_prefix('#') {
            return Some((self.rel.to_string(), anchor.to_string()));
        }
        if has_scheme(dest) || dest.starts_with("//") {
            return None;
        }
        let (path, suffix) = split_suffix(dest);
        let anchor = suffix.strip_prefix('#')?;
        let rel = normalize(self.dir, path)?;
        self.look_up(&rel);
        self.targets
            .pages
            .contains_key(&rel)
            .then(|| (rel, anchor.to_string()))
    }

    fn is_site_address(&self, dest: &str) -> bool {
        if has_scheme(dest) || dest.starts_with("//") {
            return self.base.site_path_of(dest).is_some();
        }
        let path = split_suffix(dest).0;
        path.strip_prefix('/').is_some_and(|from_content| {
            self.look_up(from_content);
            !path.ends_with(".md")
                && !self.targets.assets.contains(from_content)
                && !self.targets.images.failed.contains_key(from_content)
        })
    }

    fn resolve(&self, dest: &str, kind: LinkKind) -> Result<Option<String>, String> {
        if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
            return Ok(None);
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            return self.check_anchor(self.rel, anchor).map(|()| None);
        }
        let (path, suffix) = split_suffix(dest);
        if self.is_site_address(dest) {
            // Checked once every output file is known (render::addresses).
            let site_path = self.base.site_path_of(dest).unwrap_or(dest);
            return Ok(Some(self.base.path(site_path)));
        }
        let rel = normalize(self.dir, path).ok_or_else(|| {
            format!("link `{dest}` climbs out of content/: link to a file inside content/")
        })?;
        self.look_up(&rel);
        if rel.ends_with(".md") {
            return self.page_link(&rel, dest, suffix).map(Some);
        }
        if let Some(problem) = self.targets.images.problem(&rel, dest) {
            return Err(problem);
        }
        if self.targets.assets.contains(&rel) {
            return Ok(Some(self.base.path(&rel) + suffix));
        }
        if kind == LinkKind::Image {
            let folder = match self.dir {
                "" => "content/".to_string(),
                dir => format!("content/{dir}/"),
            };
            return Err(format!(
                "image `{dest}` names content/{rel}, which does not exist: put the picture in {folder} beside this file (or, for an article, make it a folder `<slug>/index.md` with its pictures beside it), or check the file name"
            ));
        }
        Err(format!(
            "link `{dest}` names content/{rel}, which does not exist: link to pages by their .md file, to files beside the page, or use a full URL"
        ))
    }
}

impl PageLinks<'_> {
    fn page_link(&self, rel: &str, dest: &str, suffix: &str) -> Result<String, String> {
        let Some(target) = self.targets.pages.get(rel) else {
            if self.targets.broken.contains(rel) {
                return Ok(dest.to_string());
            }
            if self.targets.left_out.contains(rel) {
                return Err(format!(
                    "link `{dest}` points at content/{rel}, a draft or future-dated page left out of this build: remove the link or build with --drafts"
                ));
            }
            let hint = self.suggest(dest);
            return Err(format!(
                "link `{dest}` points at content/{rel}, which does not exist{hint}"
            ));
        };
        if let Some(anchor) = suffix.strip_prefix('#') {
            self.check_anchor(rel, anchor)?;
        }
        Ok(self.base.path(&target.path) + suffix)
    }

    /// The nearest page, written the way the link was (relative to this
    /// page's folder, or from `content/` with a leading `/`), so the
    /// suggestion can be pasted in as it is.
    fn suggest(&self, dest: &str) -> String {
        let (path, _) = split_suffix(dest);
        let written: Vec<String> = self
            .targets
            .pages
            .keys()
            .filter(|key| key.as_str() != self.rel)
            .map(|key| {
                if path.starts_with('/') {
                    format!("/{key}")
                } else {
                    relative_to(self.dir, key)
                }
            })
            .collect();
        crate::suggest::did_you_mean(path, written.iter().map(String::as_str))
    }

    /// Checks `#anchor` against the headings of `rel` (deferred while
    /// `ids_pending`).
    pub fn check_anchor(&self, rel: &str, anchor: &str) -> Result<(), String> {
        if self.targets.ids_pending {
            return Ok(());
        }
        let target = self.targets.pages.get(rel);
        if anchor.is_empty() || target.is_some_and(|t| t.has_id(anchor)) {
            return Ok(());
        }
        let hint = target
            .map(|t| crate::suggest::did_you_mean(anchor, t.ids()))
            .unwrap_or_default();
        let on = if rel == self.rel {
            "this page".to_string()
        } else {
            format!("content/{rel}")
        };
        Err(format!(
            "there is no heading with id `{anchor}` on {on}{hint}"
        ))
    }
}

/// `mailto:`, `https:`, `tel:`... (a colon before any `/`, `?` or `#`).
/// (Byte searches here and below: each link is looked at several times,
/// and `str::find` with a set of characters decodes and compares each.)
fn has_scheme(dest: &str) -> bool {
    let first = dest
        .bytes()
        .position(|b| matches!(b, b':' | b'/' | b'?' | b'#'));
    match first {
        Some(i) => dest.as_bytes().get(i) == Some(&b':') && i > 0,
        None => false,
    }
}

/// `a.md#x` -> (`a.md`, `#x`); the suffix keeps its `?` or `#`.
fn split_suffix(dest: &str) -> (&str, &str) {
    match memchr::memchr2(b'?', b'#', dest.as_bytes()) {
        Some(i) => dest.split_at(i),
        None => (dest, ""),
    }
}

/// Resolves `path` against `dir` (both from `content/`), or from `content/`
/// when it starts with `/`. `None` when `..` climbs above `content/`.
pub fn normalize(dir: &str, path: &str) -> Option<String> {
    // Nearly every link names a file beside its page (`other.md`): no
    // part to drop or climb, so the two join as they are.
    let plain = |p: &str| p.split('/').all(|part| !matches!(part, "" | "." | ".."));
    if !path.starts_with('/') && plain(path) && (dir.is_empty() || plain(dir)) {
        return Some(match dir {
            "" => path.to_string(),
            dir => format!("{dir}/{path}"),
        });
    }
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// `target` (from `content/`) as a relative link from the folder `dir`.
pub fn relative_to(dir: &str, target: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(to.iter().skip(common));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> LinkTargets {
        let mut t = LinkTargets::default();
        t.pages.insert(
            "articles/a.md".into(),
            Target::with_ids("articles/a/", &["intro"]),
        );
        t.pages.insert(
            "locations/hinsdale.md".into(),
            Target::with_ids("locations/hinsdale/", &[]),
        );
        t.assets.insert("articles/b/photo.jpg".into());
        t.left_out.insert("articles/draft.md".into());
        t
    }

    fn resolve(dest: &str, from: &str, dir: &str) -> Result<Option<String>, String> {
        let t = targets();
        let base = BaseUrl::parse("https://x.org/clinic/").unwrap();
        PageLinks {
            targets: &t,
            base: &base,
            rel: from,
            dir,
            lead: false,
            looked_up: Default::default(),
        }
        .resolve(dest, LinkKind::Link)
    }

    #[test]
    fn normalize_joins_plain_paths_and_resolves_the_rest() {
        for (dir, path, expected) in [
            ("articles", "a.md", Some("articles/a.md")),
            ("articles/b", "c/d.md", Some("articles/b/c/d.md")),
            ("", "a.md", Some("a.md")),
            ("articles/b", "../a.md", Some("articles/a.md")),
            ("articles", "./a.md", Some("articles/a.md")),
            ("articles", "a//b.md", Some("articles/a/b.md")),
            ("articles", "a/", Some("articles/a")),
            ("articles", "/locations/x.md", Some("locations/x.md")),
            ("articles/", "a.md", Some("articles/a.md")),
            ("articles", "../..", None),
            ("", "..", None),
        ] {
            assert_eq!(
                normalize(dir, path).as_deref(),
                expected,
                "{dir:?} {path:?}"
            );
        }
    }

    #[test]
    fn rewrites_source_links() {
        assert_eq!(
            resolve("a.md", "articles/c.md", "articles"),
            Ok(Some("/clinic/articles/a/".into()))
        );
        assert_eq!(
            resolve("../a.md#intro", "articles/b/index.md", "articles/b"),
            Ok(Some("/clinic/articles/a/#intro".into()))
        );
        assert_eq!(
            resolve("/locations/hinsdale.md", "about.md", ""),
            Ok(Some("/clinic/locations/hinsdale/".into()))
        );
        assert_eq!(
            resolve("photo.jpg", "articles/b/index.md", "articles/b"),
            Ok(Some("/clinic/articles/b/photo.jpg".into()))
        );
        assert_eq!(
            resolve("/articles/", "about.md", ""),
            Ok(Some("/clinic/articles/".into()))
        );
    }

    #[test]
    fn leaves_external_links() {
        for dest in [
            "https://a.org/x.md",
            "mailto:a@b.org",
            "tel:+16305550101",
            "//cdn.org/a",
        ] {
            assert_eq!(resolve(dest, "about.md", ""), Ok(None), "{dest}");
        }
    }

    #[test]
    fn broken_links_say_why() {
        let err = resolve("b.md", "articles/c.md", "articles").unwrap_err();
        assert!(
            err.contains("content/articles/b.md, which does not exist"),
            "{err}"
        );
        let err = resolve("a.md#intr", "articles/c.md", "articles").unwrap_err();
        assert!(err.contains("no heading with id `intr`"), "{err}");
        assert!(err.contains("did you mean `intro`"), "{err}");
        let err = resolve("draft.md", "articles/c.md", "articles").unwrap_err();
        assert!(err.contains("--drafts"), "{err}");
        let err = resolve("../../x.md", "articles/c.md", "articles").unwrap_err();
        assert!(err.contains("climbs out"), "{err}");
        let err = resolve("missing.png", "about.md", "").unwrap_err();
        assert!(err.contains("does not exist"), "{err}");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_to("articles", "articles/a.md"), "a.md");
        assert_eq!(relative_to("articles/b", "articles/a.md"), "../a.md");
        assert_eq!(relative_to("", "locations/h.md"), "locations/h.md");
        assert_eq!(relative_to("articles", "about.md"), "../about.md");
    }

    #[test]
    fn suggestions_are_written_like_the_link() {
        let err = resolve("../locations/hinsdal.md", "articles/c.md", "articles").unwrap_err();
        assert!(
            err.contains("did you mean `../locations/hinsdale.md`?"),
            "{err}"
        );
        let err = resolve("/locations/hinsdal.md", "articles/c.md", "articles").unwrap_err();
        assert!(
            err.contains("did you mean `/locations/hinsdale.md`?"),
            "{err}"
        );
    }

    #[test]
    fn differences_name_each_file_that_resolves_otherwise_on_either_side() {
        let before = targets();
        let resolves_alike = |now: &LinkTargets, rel: &str| {
            before.differences(now).resolve_alike(&[rel.to_string()])
        };
        let mut now = before.clone();
        assert!(before.differences(&now).none());
        now.pages.insert(
            "articles/new.md".into(),
            Target::with_ids("articles/new/", &[]),
        );
        now.pages.remove("locations/hinsdale.md");
        now.assets.insert("articles/b/map.png".into());
        now.left_out.remove("articles/draft.md");
        now.broken.insert("articles/bad.md".into());
        if let Some(a) = now.pages.get_mut("articles/a.md") {
            a.path = "articles/renamed/".into();
        }
        let differences = before.differences(&now);
        assert!(!differences.none());
        for rel in [
            "articles/new.md",
            "locations/hinsdale.md",
            "articles/b/map.png",
            "articles/draft.md",
            "articles/bad.md",
            "articles/a.md",
        ] {
            assert!(!resolves_alike(&now, rel), "{rel}");
            // Whichever side is the earlier.
            assert!(
                !now.differences(&before).resolve_alike(&[rel.to_string()]),
                "{rel}"
            );
        }
        assert!(resolves_alike(&now, "articles/b/photo.jpg"));
        assert!(differences.resolve_alike(&[]));
        // Only the heading ids changed: links resolve alike, and tables,
        // which check anchors as they render, do not.
        let mut ids = before.clone();
        ids.pages.insert(
            "articles/a.md".into(),
            Target::with_ids("articles/a/", &["outro"]),
        );
        let differences = before.differences(&ids);
        let rels = ["articles/a.md".to_string()];
        assert!(differences.none() && differences.resolve_alike(&rels));
        assert!(!differences.check_alike(&before.id_differences(&ids), &rels));
        assert!(!differences.check_alike(&ids.id_differences(&before), &rels));
        assert!(differences.check_alike(&before.id_differences(&before.clone()), &rels));
        // Other pictures: any link may render otherwise.
        let mut pictures = before.clone();
        let mut images = Images::default();
        images
            .failed
            .insert("articles/b/photo.jpg".into(), "it is broken".into());
        pictures.images = Arc::new(images);
        let differences = before.differences(&pictures);
        assert!(!differences.none() && !differences.resolve_alike(&[]));
    }

    #[test]
    fn own_anchor_checked() {
        assert_eq!(resolve("#intro", "articles/a.md", "articles"), Ok(None));
        assert!(resolve("#nope", "articles/a.md", "articles").is_err());
    }
}
