//! Links and images written as the site's own addresses (`/articles/a/`,
//! `https://<the site>/images/x.jpg`), as staff copy them from the live
//! site: checked against every file the build writes (pages, lists, feeds,
//! copied files, the theme's files), which is known only once the site is
//! assembled.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::content::SourcePage;
use crate::error::{Diagnostic, Errors, Place};
use crate::markdown::{LinkKind, Rendered};
use crate::site::Site;
use crate::theme::Theme;

/// Every file of the output by its path (`articles/a/index.html`), and
/// every page by its site path (`articles/a/`).
pub struct Outputs {
    files: FxHashSet<String>,
    pages: FxHashMap<String, usize>,
}

impl Outputs {
    pub fn new(site: &Site, theme: &Theme) -> Outputs {
        let mut files: FxHashSet<String> = super::generated_paths(site).into_iter().collect();
        files.extend(site.assets.iter().map(|a| a.rel.clone()));
        files.extend(theme.statics.keys().cloned());
        let pages = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, page)| (page.path.clone(), i))
            .collect();
        Outputs { files, pages }
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    /// The output file a site path names: `articles/a/` and `articles/a`
    /// are `articles/a/index.html`.
    fn file_of(&self, site_path: &str) -> Option<String> {
        let index = format!("{}index.html", site_path);
        if site_path.is_empty() || site_path.ends_with('/') {
            return self.files.contains(&index).then_some(index);
        }
        if self.files.contains(site_path) {
            return Some(site_path.to_string());
        }
        let folder = format!("{site_path}/index.html");
        self.files.contains(&folder).then_some(folder)
    }
}

/// Every site address in the bodies of `pages` that names nothing the
/// build writes, or a heading the page does not have.
pub fn check<'a>(
    site: &Site,
    outputs: &Outputs,
    pages: impl IntoIterator<Item = (&'a SourcePage, &'a Rendered)>,
) -> Errors {
    let mut errors = Errors::default();
    for (source, body) in pages {
        for (line, dest, kind) in &body.addresses {
            let place = Place::at(&source.path, source.body_line + line - 1, None);
            if let Some(problem) = check_one(site, outputs, source, dest, *kind) {
                errors.push(problem.at(place));
            }
        }
    }
    errors
}

/// A problem before it has its place.
struct Problem {
    message: String,
    hint: String,
}

impl Problem {
    fn at(self, place: Place) -> Diagnostic {
        Diagnostic::new(place, self.message).hint(self.hint)
    }
}

fn check_one(
    site: &Site,
    outputs: &Outputs,
    page: &SourcePage,
    dest: &str,
    kind: LinkKind,
) -> Option<Problem> {
    let site_path = site.config.base.site_path_of(dest)?;
    let (path, anchor) = match site_path.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (site_path, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let Some(file) = outputs.file_of(&decoded) else {
        return Some(missing(site, page, dest, &decoded, kind));
    };
    let anchor = anchor.filter(|a| !a.is_empty())?;
    let folder = file.strip_suffix("index.html")?;
    let target = outputs.pages.get(folder).and_then(|&t| site.pages.get(t))?;
    let ids = site.targets.pages.get(&target.source.rel)?;
    if ids.has_id(anchor) {
        return None;
    }
    let near = crate::suggest::did_you_mean(anchor, ids.ids());
    Some(Problem {
        message: format!("there is no heading with id `{anchor}` on /{folder}{near}"),
        hint: format!(
            "link to the page by its file with the heading's id, like `{}#{anchor}`",
            crate::links::relative_to(page.rel_dir(), &target.source.rel)
        ),
    })
}

fn missing(site: &Site, page: &SourcePage, dest: &str, path: &str, kind: LinkKind) -> Problem {
    let dir = page.rel_dir();
    if kind == LinkKind::Image {
        let folder = match dir {
            "" => "content/".to_string(),
            dir => format!("content/{dir}/"),
        };
        let name = path.rsplit('/').next().unwrap_or(path);
        return Problem {
            message: format!("image `{dest}` is not a file on this site"),
            hint: format!(
                "put the picture in {folder} beside this file (or, for an article, make it a folder `<slug>/index.md` with its pictures beside it) and write just its name: `![what it shows]({name})`"
            ),
        };
    }
    let paths = site.pages.iter().map(|p| p.path.as_str());
    let nearest = crate::suggest::nearest(path.trim_end_matches('/'), paths)
        .and_then(|near| site.pages.iter().find(|p| p.path == near));
    let hint = match nearest {
        Some(near) => format!(
            "did you mean `{}`? Link to pages by their .md file, so the build can check them",
            crate::links::relative_to(dir, &near.source.rel)
        ),
        None => {
            "link to pages by their .md file (like `other-page.md`), so the build can check them"
                .to_string()
        }
    };
    Problem {
        message: format!("link `{dest}` is not a page or file of this site"),
        hint,
    }
}
