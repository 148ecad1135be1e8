//! Stage 2 of the build: walk `content/`, split each Markdown file into
//! front matter and body, and parse the front matter into the type its
//! folder calls for. Other files become assets to copy.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Errors, Links, NotRead, Place};
use crate::frontmatter::{ArticleMeta, AuthorMeta, HomeMeta, LocationMeta, PlainMeta};

pub mod translation;

/// The folder under the site root that holds the pages.
pub const CONTENT_DIR: &str = "content";

/// Search's synonyms file in `content/`: read by search, never published.
/// Another language's is `search-synonyms.<code>.yaml`.
pub const SYNONYMS_FILE: &str = "search-synonyms.yaml";

/// The language of a synonyms file at the top of `content/`: empty for
/// `search-synonyms.yaml`, `es` for `search-synonyms.es.yaml` (a code as
/// a translation's file name has it); none for any other name.
pub fn synonyms_language(rel: &str) -> Option<&str> {
    if rel == SYNONYMS_FILE {
        return Some("");
    }
    let code = rel
        .strip_prefix("search-synonyms.")?
        .strip_suffix(".yaml")?;
    crate::config::looks_like_code(&code.to_ascii_lowercase()).then_some(code)
}

/// What a page is, with its typed front matter.
#[derive(Debug, Clone)]
pub enum Meta {
    Home(HomeMeta),
    Article(Box<ArticleMeta>),
    Location(Box<LocationMeta>),
    Author(AuthorMeta),
    Plain(PlainMeta),
}

impl Meta {
    /// An article's front matter; `None` for any other page.
    pub fn article(&self) -> Option<&ArticleMeta> {
        match self {
            Meta::Article(meta) => Some(meta),
            _ => None,
        }
    }

    /// The page's old addresses, as written in `aliases:`.
    pub fn aliases(&self) -> &[String] {
        match self {
            Meta::Home(meta) => &meta.aliases,
            Meta::Article(meta) => &meta.aliases,
            Meta::Location(meta) => &meta.aliases,
            Meta::Author(meta) => &meta.aliases,
            Meta::Plain(meta) => &meta.aliases,
        }
    }
}

/// One Markdown file, parsed but not yet rendered.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// From the site root: `content/articles/a.md`, for messages.
    pub path: PathBuf,
    /// From `content/`, with `/`: `articles/a.md`; what links name.
    pub rel: String,
    /// The page's own name in its section (file or bundle folder name).
    pub file_slug: String,
    /// Shared, not copied, when `serve` assembles the site again.
    pub meta: Arc<Meta>,
    /// Shared, not copied, when `serve` assembles the site again from
    /// what it read (89 MB at 10k). Read it through
    /// [`SourcePage::front_matter`]: it may be left in the file.
    front_matter: Arc<str>,
    pub body: Arc<str>,
    /// Where the front matter and body are when they were left in their
    /// file ([`Bodies::InFiles`]); `front_matter` and `body` are then empty.
    left_in_file: Option<LeftInFile>,
    /// The file line on which `body` starts.
    pub body_line: usize,
    /// A translation's language, as its file name gives it (`es` in
    /// `about.es.md`); none for a page in the default language.
    pub lang: Option<String>,
    /// A translation's original, from `content/`: `about.md`.
    pub original: Option<String>,
}

/// Whether two texts read from files are the same: by pointer first, as
/// `serve` shares what it did not read again.
pub fn same_text(a: &Arc<str>, b: &Arc<str>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

impl SourcePage {
    /// The folder relative links in the body are resolved from, from `content/`.
    pub fn rel_dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// Whether `other`, the same file read at another time, has this
    /// page's front matter (so the same `meta`): by pointer first, as
    /// `serve` shares what it did not read again.
    pub fn same_front_matter(&self, other: &SourcePage) -> bool {
        same_text(&self.front_matter, &other.front_matter)
    }

    /// What a page and its translations share: the original's `rel`.
    pub fn key(&self) -> &str {
        self.original.as_deref().unwrap_or(&self.rel)
    }

    /// Drops the file's text, front matter and body. Only the checks read
    /// it (for the lines their messages name) and the body renders from
    /// it, so a build drops it once the checks passed and the body is
    /// rendered: at 10k the front matter alone is about 10 MB.
    pub fn drop_text(&mut self) {
        self.front_matter = Arc::from("");
        self.body = Arc::from("");
        self.left_in_file = None;
    }

    /// Drops an article's comparison tables as written. The page keeps
    /// them rendered (`site::Page::tables`); these are only checked and
    /// indexed, so a build drops them once the index is made: at 50k they
    /// were 26 MiB of the heap while the pages render.
    pub fn drop_written_tables(&mut self) {
        if let Some(Meta::Article(meta)) = Arc::get_mut(&mut self.meta) {
            meta.comparison = None;
            meta.comparisons = None;
        }
    }

    /// The front matter's YAML, for the lines messages name: read again
    /// from the file if it was left there. Empty (so a message names the
    /// file's first lines) if the file changed since, or after
    /// [`SourcePage::drop_text`].
    pub fn front_matter(&self) -> std::borrow::Cow<'_, str> {
        match &self.left_in_file {
            None => std::borrow::Cow::Borrowed(&self.front_matter),
            Some(left) => {
                std::borrow::Cow::Owned(left.front_matter(&self.path).unwrap_or_default())
            }
        }
    }

    /// The body's Markdown, read again from its file if it was left there.
    pub fn body_text(&self) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        match &self.left_in_file {
            None => Ok(std::borrow::Cow::Borrowed(&self.body)),
            Some(left) => left.body(&self.path).map(std::borrow::Cow::Owned),
        }
    }

    /// Drops the front matter and body, keeping where they are (the site
    /// folder `root` and the page's path from it) to read them again. The
    /// front matter's meta is kept.
    fn leave_text_in_file(&mut self, root: &Arc<Path>) {
        self.left_in_file = Some(LeftInFile {
            root: Arc::clone(root),
            len: self.body.len(),
            hash: xxhash_rust::xxh3::xxh3_64(self.body.as_bytes()),
            front_matter_hash: xxhash_rust::xxh3::xxh3_64(self.front_matter.as_bytes()),
        });
        self.front_matter = Arc::from("");
        self.body = Arc::from("");
    }
}

/// Whether [`load`] keeps each page's text or leaves it in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Every body and front matter kept (`serve` and `check`).
    Kept,
    /// The bodies of articles and plain pages left in their files and read
    /// again as each renders (`handout build`): held all at once, they
    /// were most of what reading `content/` holds (307 MB of 350 at 50k).
    /// Their front matter too, once parsed: its text is wanted only for
    /// the line a message names, and held while the bodies rendered it was
    /// 44 MB of the heap's 395 MB peak at 50k.
    InFiles,
}

/// A front matter and body left in their file: the body is the file's
/// last `len` bytes, which hashed to `hash` when first read, and the
/// front matter hashed to `front_matter_hash`.
#[derive(Debug, Clone)]
struct LeftInFile {
    /// The site folder the file's path (the page's `path`) is from:
    /// shared, where each file's own full path was 9 MB at 50k.
    root: Arc<Path>,
    len: usize,
    hash: u64,
    front_matter_hash: u64,
}

impl LeftInFile {
    /// Reads the front matter again; none if the file cannot be read or
    /// changed since it was first read.
    fn front_matter(&self, shown: &Path) -> Option<String> {
        let text = std::fs::read_to_string(self.root.join(shown)).ok()?;
        let split = split_front_matter(&text).ok()?;
        (xxhash_rust::xxh3::xxh3_64(split.front_matter.as_bytes()) == self.front_matter_hash)
            .then(|| split.front_matter.to_string())
    }

    /// Reads the body again; an error (at `shown`, the file's path from
    /// the site folder) if the file changed since it was first read.
    fn body(&self, shown: &Path) -> Result<String, Diagnostic> {
        let changed = || {
            Diagnostic::new(
                Place::file(shown),
                "this file changed while the build was reading it",
            )
            .hint("run the build again once the file is saved")
        };
        let mut bytes = match crate::error::read_file(&self.root.join(shown), Links::Refuse) {
            Ok(bytes) => bytes,
            Err(NotRead::Io(source)) => {
                return Err(Diagnostic::io(Place::file(shown), "cannot read", source))
            }
            // Replaced by a link or a FIFO since it was read.
            Err(NotRead::Kind(_)) => return Err(changed()),
        };
        let start = bytes.len().checked_sub(self.len).ok_or_else(changed)?;
        let same = bytes
            .get(start..)
            .is_some_and(|body| xxhash_rust::xxh3::xxh3_64(body) == self.hash);
        if !same {
            return Err(changed());
        }
        bytes.drain(..start);
        String::from_utf8(bytes).map_err(|_| changed())
    }
}

/// A non-Markdown file under `content/`, copied as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// From `content/`, with `/`.
    pub rel: String,
    /// `source` is a file of handout's cache (a processed picture), which
    /// is never changed in place: the output may link it instead of
    /// copying its bytes. A file of `content/` is always copied, so an
    /// edit to it never reaches the published site without a build.
    pub cached: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Content {
    pub pages: Vec<SourcePage>,
    pub assets: Vec<Asset>,
    /// Markdown files that failed to load (from `content/`), so checks
    /// across pages do not also report links and references to them.
    pub broken: Vec<String>,
    /// Translations (`about.es.md`), each paired with its original; a
    /// clinic's or clinician's carries the original's facts.
    pub translations: Vec<SourcePage>,
}

impl Content {
    /// A copy made on all cores: `serve` copies the whole content for each
    /// change that assembles the site again, and at 10,000 articles a copy
    /// on one core (every front matter's strings) took about 40 ms.
    pub fn par_clone(&self) -> Content {
        Content {
            pages: self.pages.par_iter().cloned().collect(),
            assets: self.assets.clone(),
            broken: self.broken.clone(),
            translations: self.translations.par_iter().cloned().collect(),
        }
    }
}

/// How many files read at once in a cold build (the files gone from the
/// page cache), where each read waits on the disk: with more reads in
/// flight than cores, the disk serves several at once. Cold, the 10k
/// corpus built in 1.47-1.48 s this way against 1.76-2.14 s on the cores'
/// threads; warm, eight threads cost 3%, so a warm build does not use
/// them.
const COLD_READERS: usize = 8;

/// Every this many Markdown files, one is checked for being in the page
/// cache (see `error::count_not_cached`): 157 files at 10k, under 1 ms.
const COLD_SAMPLE: usize = 64;

/// The files under `<root>/content`, as [`load_listed`] takes them.
pub fn list(root: &Path) -> Listing {
    walk_sorted(&root.join(CONTENT_DIR))
}

/// Reads every file under `<root>/content`, in parallel. Returns what
/// loaded and an error for each file that did not.
pub fn load(root: &Path, bodies: Bodies) -> (Content, Errors) {
    load_listed(root, list(root), bodies)
}

/// [`load`], of the files `listing` found under `<root>/content`.
pub fn load_listed(root: &Path, listing: Listing, bodies: Bodies) -> (Content, Errors) {
    let dir = root.join(CONTENT_DIR);
    let mut errors = Errors::default();
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    let Listing {
        files,
        others,
        errors: walk_errors,
    } = listing;
    for (path, kind) in others {
        errors.push(not_regular(root, &path, kind));
    }
    for err in walk_errors {
        let path = err.path().unwrap_or(&dir).to_path_buf();
        errors.push(Diagnostic::new(
            Place::file(relative(root, &path)),
            format!("cannot read: {err}"),
        ));
    }
    for path in files {
        if under(&dir, &path).is_none_or(|rel| rel.to_str().is_none()) {
            errors.push(
                Diagnostic::new(
                    Place::file(relative(root, &path)),
                    "this file name is not valid UTF-8, so it cannot make a web address",
                )
                .hint("rename the file (or its folder) with UTF-8 letters"),
            );
            continue;
        }
        let Some(rel) = content_rel(&dir, &path) else {
            continue;
        };
        if rel.ends_with(".md") {
            markdown.push((path, rel));
        } else if synonyms_language(&rel).is_some() {
            // Read by search, never published.
        } else {
            assets.push(Asset {
                source: path,
                rel,
                cached: false,
            });
        }
    }
    let shared_root: Arc<Path> = Arc::from(root);
    let sample = markdown
        .iter()
        .step_by(COLD_SAMPLE)
        .map(|(path, _)| path.as_path());
    let (not_cached, checked) = crate::error::count_not_cached(sample);
    // A few files leave the cache now and then on a busy machine: only a
    // build that finds an eighth of them gone reads with more threads.
    let readers = (not_cached * 8 >= checked.max(1))
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(COLD_READERS)
                .build()
                .ok()
        })
        .flatten();
    let read_all = || -> Vec<(String, Result<Read, Diagnostic>)> {
        markdown
            .into_par_iter()
            .map(|(path, rel)| {
                let mut read = read_file(root, &path, rel.clone());
                if let Ok(Read::Page(page)) = &mut read {
                    let leave = matches!(*page.meta, Meta::Article(_) | Meta::Plain(_));
                    if bodies == Bodies::InFiles && leave {
                        page.leave_text_in_file(&shared_root);
                    }
                }
                (rel, read)
            })
            .collect()
    };
    let results = match readers {
        Some(readers) => readers.install(read_all),
        None => read_all(),
    };
    let mut pages = Vec::with_capacity(results.len());
    let mut broken = Vec::new();
    let mut translations = Vec::new();
    for (rel, result) in results {
        match result {
            Ok(Read::Page(page)) if page.lang.is_none() => pages.push(page),
            Ok(read) => translations.push(read),
            Err(err) => {
                errors.push(err);
                broken.push(rel);
            }
        }
    }
    let translations = translation::pair(&pages, &broken, translations, &mut errors);
    (
        Content {
            pages,
            assets,
            broken,
            translations,
        },
        errors,
    )
}

/// A Markdown file as read: a page, or a clinic's or clinician's
/// translation still to be put together with its original's facts.
pub(crate) enum Read {
    Page(SourcePage),
    Words(SourcePage, translation::Words),
}

/// Reads one file; a translation's words are put with its original's facts
/// by `translation::pair` once every page is read.
fn read_file(root: &Path, path: &Path, rel: String) -> Result<Read, Diagnostic> {
    let Some((lang, original)) = translation::split_name(&rel) else {
        return read_page(root, path, rel).map(Read::Page);
    };
    let (shown, bytes) = read_bytes(root, path)?;
    let kind =
        classify(&original).map_err(|message| Diagnostic::new(Place::file(&shown), message))?;
    let (split_page, fm) = split_page(shown.clone(), &rel, bytes)?;
    let words = match kind {
        Kind::Location => Some(translation::Words::Location(
            crate::yaml::parse(fm.as_str(), 2).map_err(|p| p.at(&shown))?,
        )),
        Kind::Author => Some(translation::Words::Author(
            crate::yaml::parse(fm.as_str(), 2).map_err(|p| p.at(&shown))?,
        )),
        _ => None,
    };
    let meta = match words {
        Some(_) => Meta::Home(HomeMeta::default()),
        None => parse_meta(kind, &fm, &shown)?,
    };
    let page = SourcePage {
        file_slug: file_slug(&original),
        meta: Arc::new(meta),
        lang: Some(lang),
        original: Some(original),
        ..split_page
    };
    Ok(match words {
        Some(words) => Read::Words(page, words),
        None => Read::Page(page),
    })
}

/// An entry under `content/` that is neither a folder nor a regular file,
/// as an error: links are not followed (they could lead out of the site or
/// round in a loop), and a FIFO or a device would block or never end.
fn not_regular(root: &Path, path: &Path, kind: std::fs::FileType) -> Diagnostic {
    let what = crate::error::file_kind(kind);
    let hint = if kind.is_symlink() {
        "handout does not follow links in content/: put the file or folder itself here"
    } else {
        "handout reads only regular files in content/: remove it, or move it out of content/"
    };
    Diagnostic::new(
        Place::file(relative(root, path)),
        format!("this is {what}, not a regular file"),
    )
    .hint(hint)
}

/// The files under a folder, as [`walk_sorted`] lists them. A build
/// lists `content/` once: for its fingerprint, then to load it.
#[derive(Debug, Default)]
pub struct Listing {
    /// Every regular file, in path order.
    pub files: Vec<PathBuf>,
    /// The entries that are neither folders nor regular files (symbolic
    /// links, FIFOs, sockets, devices), with their kind.
    pub others: Vec<(PathBuf, std::fs::FileType)>,
    /// What could not be read.
    pub errors: Vec<walkdir::Error>,
}

/// Every file under `dir`, in path order (a folder's files before the
/// next folder's), skipping ignored files and folders; the entries that
/// are neither folders nor regular files; and what could not be read.
/// Sorted once at the end by byte keys: walkdir's per-folder sort parses
/// each name again on every comparison (40 ms of a 10k build).
pub fn walk_sorted(dir: &Path) -> Listing {
    let mut listing = Listing::default();
    let walk = WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    for entry in walk {
        match entry {
            Ok(entry) if entry.file_type().is_file() => listing.files.push(entry.into_path()),
            Ok(entry) if entry.file_type().is_dir() => {}
            Ok(entry) => listing
                .others
                .push((entry.path().to_path_buf(), entry.file_type())),
            Err(err) => listing.errors.push(err),
        }
    }
    listing
        .files
        .sort_by_cached_key(|path| path_order(path.as_os_str()));
    listing
}

/// The key files are read in: `Path` order (by component), compared as
/// bytes, a separator sorting before any other byte.
pub fn path_order(path: impl AsRef<std::ffi::OsStr>) -> Vec<u8> {
    path.as_ref()
        .as_encoded_bytes()
        .iter()
        .map(|&b| {
            if std::path::is_separator(b.into()) {
                0
            } else {
                b
            }
        })
        .collect()
}

/// Dot files, editor swap and backup files never become pages or assets.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.contains("___jb_")
}

/// `path`, under `content/` of `root`, as the `rel` pages and assets use.
pub fn rel_of(root: &Path, path: &Path) -> Option<String> {
    content_rel(&root.join(CONTENT_DIR), path)
}

fn content_rel(dir: &Path, path: &Path) -> Option<String> {
    let rel = under(dir, path)?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    Some(parts.join("/"))
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    under(root, path).unwrap_or(path).to_path_buf()
}

/// `path` from `dir`, if it is under it: `Path::strip_prefix`, but found
/// by the bytes where they show it at once (a path listed in `dir` is
/// `dir`, a slash, then the rest). `strip_prefix` compares component by
/// component, about 2,800 instructions a page, three times over: listing
/// and reading a 10k site took 64 M fewer this way (docs/performance.md).
fn under<'p>(dir: &Path, path: &'p Path) -> Option<&'p Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let rest = path
            .as_os_str()
            .as_bytes()
            .strip_prefix(dir.as_os_str().as_bytes())
            .and_then(|rest| rest.strip_prefix(b"/"))
            // Parts `strip_prefix` would tidy (`//`, `./`) go its way.
            .filter(|rest| {
                rest.split(|&b| b == b'/')
                    .all(|part| !part.is_empty() && part != b".")
            });
        if let Some(rest) = rest {
            return Some(Path::new(std::ffi::OsStr::from_bytes(rest)));
        }
    }
    path.strip_prefix(dir).ok()
}

/// Reads one Markdown file, `rel` from `content/` (`articles/a.md`).
/// Reads the translation `rel` (`about.es.md`) and puts it with its
/// original among `pages` as `load` does (a clinic's gets the original's
/// facts), for `serve`, which reads again only the files that changed.
pub fn load_translation(
    root: &Path,
    rel: &str,
    pages: &[SourcePage],
    broken: &[String],
) -> Result<SourcePage, Errors> {
    let path = root.join(CONTENT_DIR).join(rel);
    let read = read_file(root, &path, rel.to_string()).map_err(Errors::from)?;
    let mut errors = Errors::default();
    let paired = translation::pair(pages, broken, vec![read], &mut errors);
    match paired.into_iter().next() {
        Some(page) if errors.is_empty() => Ok(page),
        _ => Err(errors),
    }
}

pub fn load_page(root: &Path, rel: &str) -> Result<SourcePage, Diagnostic> {
    let path = root.join(CONTENT_DIR).join(rel);
    read_page(root, &path, rel.to_string())
}

fn read_page(root: &Path, path: &Path, rel: String) -> Result<SourcePage, Diagnostic> {
    let (shown, bytes) = read_bytes(root, path)?;
    parse_page(shown, rel, bytes)
}

/// A file's bytes, with its path from the site folder.
fn read_bytes(root: &Path, path: &Path) -> Result<(PathBuf, Vec<u8>), Diagnostic> {
    let shown = relative(root, path);
    // Never a link, a FIFO or a device (serve reads a saved file by its name).
    match crate::error::read_file(path, Links::Refuse) {
        Ok(bytes) => Ok((shown, bytes)),
        Err(NotRead::Kind(kind)) => Err(not_regular(root, path, kind)),
        Err(NotRead::Io(source)) => Err(Diagnostic::io(Place::file(&shown), "cannot read", source)),
    }
}

/// A page from its bytes: `shown` is its path from the site folder, `rel`
/// from `content/` (which decides its kind).
pub fn parse_page(shown: PathBuf, rel: String, bytes: Vec<u8>) -> Result<SourcePage, Diagnostic> {
    let (page, fm) = split_page(shown, &rel, bytes)?;
    let kind =
        classify(&rel).map_err(|message| Diagnostic::new(Place::file(&page.path), message))?;
    if kind != Kind::Home && page.file_slug.split('/').any(str::is_empty) {
        return Err(Diagnostic::new(
            Place::file(&page.path),
            "this name has no letters or digits to make the page's URL from: rename the file (or its folder)",
        ));
    }
    let meta = parse_meta(kind, &fm, &page.path)?;
    Ok(SourcePage {
        meta: Arc::new(meta),
        ..page
    })
}

/// A file's text split at its front matter; the page's `meta` is left to
/// the caller (an empty home page's until then).
fn split_page(
    shown: PathBuf,
    rel: &str,
    bytes: Vec<u8>,
) -> Result<(SourcePage, String), Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|err| {
        let line = crate::error::line_of_byte(err.as_bytes(), err.utf8_error().valid_up_to());
        Diagnostic::new(
            Place::at(&shown, line, None),
            "the file is not valid UTF-8 text: save it with UTF-8 encoding",
        )
    })?;
    let split = split_front_matter(&text)
        .map_err(|(line, message)| Diagnostic::new(Place::at(&shown, line, Some(1)), message))?;
    let fm = split.front_matter.to_string();
    Ok((
        SourcePage {
            path: shown,
            file_slug: file_slug(rel),
            rel: rel.to_string(),
            meta: Arc::new(Meta::Home(HomeMeta::default())),
            front_matter: Arc::from(fm.as_str()),
            body: Arc::from(split.body),
            left_in_file: None,
            body_line: split.body_line,
            lang: None,
            original: None,
        },
        fm,
    ))
}

/// Front matter parsed into the type its page kind calls for.
fn parse_meta(kind: Kind, fm: &str, shown: &Path) -> Result<Meta, Diagnostic> {
    let parse_error = |p: crate::yaml::YamlProblem| p.at(shown);
    Ok(match kind {
        Kind::Home => Meta::Home(crate::yaml::parse(fm, 2).map_err(parse_error)?),
        Kind::Article => Meta::Article(Box::new(crate::yaml::parse(fm, 2).map_err(parse_error)?)),
        Kind::Location => Meta::Location(Box::new(crate::yaml::parse(fm, 2).map_err(parse_error)?)),
        Kind::Author => Meta::Author(crate::yaml::parse(fm, 2).map_err(parse_error)?),
        Kind::Plain => Meta::Plain(crate::yaml::parse(fm, 2).map_err(parse_error)?),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Home,
    Article,
    Location,
    Author,
    Plain,
}

/// The page kind follows from the folder (docs/contract.md, Pages).
pub(crate) fn classify(rel: &str) -> Result<Kind, String> {
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        ["index.md"] => Ok(Kind::Home),
        ["articles", "index.md"] | ["locations", "index.md"] | ["authors", "index.md"] => Err(
            "section list pages are made by handout: remove this file (a list page has no text of its own yet)"
                .into(),
        ),
        ["articles", _] | ["articles", _, "index.md"] => Ok(Kind::Article),
        ["articles", ..] => Err(
            "an article is content/articles/<slug>.md or content/articles/<slug>/index.md; move this file"
                .into(),
        ),
        ["locations", _] | ["locations", _, "index.md"] => Ok(Kind::Location),
        ["authors", _] | ["authors", _, "index.md"] => Ok(Kind::Author),
        ["locations", ..] | ["authors", ..] => Err(format!(
            "a {} page is content/{}/<slug>.md or content/{}/<slug>/index.md; move this file",
            if parts.first() == Some(&"locations") { "location" } else { "author" },
            parts.first().copied().unwrap_or_default(),
            parts.first().copied().unwrap_or_default()
        )),
        _ => Ok(Kind::Plain),
    }
}

/// `articles/a.md` -> `a`; `articles/a/index.md` -> `a`; `help/faq.md` -> `help/faq`.
fn file_slug(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let stem = stem.strip_suffix("/index").unwrap_or(stem);
    let own = match stem.split_once('/') {
        Some(("articles" | "locations" | "authors", rest)) => rest,
        _ => stem,
    };
    own.split('/')
        .map(slug::slugify)
        .collect::<Vec<_>>()
        .join("/")
}

/// A Markdown file split at its front matter fences.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    pub body: &'a str,
    /// The 1-based line on which the body starts.
    pub body_line: usize,
}

/// Splits `---\nYAML\n---\nbody`. Errors carry the line to point at.
/// Handles CRLF, a byte-order mark, an empty front matter and a file that
/// ends right after the closing fence.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = memchr::memchr(b'\n', text.as_bytes()).map_or(text.len(), |n| n + 1);
    if text.get(..start).unwrap_or(text).trim_end() != "---" {
        return Err((
            1,
            "no front matter: start the file with a line `---`, then the YAML fields, then another `---`"
                .into(),
        ));
    }
    // The closing line is the first after the opening one that is `---`
    // and nothing but spaces after: each candidate found where a line
    // starts with `---` (memmem, many bytes at a time), not a line at a
    // time (which was 4,300 instructions a page at 10k).
    let after_opening = start.saturating_sub(1);
    let bytes = text.as_bytes();
    for found in memchr::memmem::find_iter(bytes.get(after_opening..).unwrap_or_default(), b"\n---")
    {
        let offset = after_opening + found + 1;
        let line_end = memchr::memchr(b'\n', bytes.get(offset..).unwrap_or_default())
            .map_or(text.len(), |n| offset + n + 1);
        let (Some(line), Some(body)) = (text.get(offset..line_end), text.get(line_end..)) else {
            continue;
        };
        if line.trim_end() == "---" {
            let line_no = crate::error::line_of_byte(bytes, offset);
            return Ok(Split {
                front_matter: text.get(start..offset).unwrap_or_default(),
                body,
                body_line: line_no + 1,
            });
        }
    }
    Err((
        1,
        "the front matter opened here with `---` is never closed: add a line `---` after the last field"
            .into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `under` finds what `Path::strip_prefix` finds, whether it reads the
    /// bytes or the components.
    #[test]
    fn under_is_strip_prefix() {
        let dirs = [
            "/site/content",
            "/site/content/",
            "site/content",
            "/",
            "/site/./content",
        ];
        let paths = [
            "/site/content/articles/a.md",
            "/site/content/a.md",
            "/site/content",
            "/site/content/",
            "/site/contents/a.md",
            "/site/content//a.md",
            "/site/content/./a.md",
            "/site/content/x/../a.md",
            "/site/content/a/.",
            "/site/content/a/",
            "/site/content/.",
            "site/content/a.md",
            "/site/a.md",
        ];
        for dir in dirs {
            for path in paths {
                let (dir, path) = (Path::new(dir), Path::new(path));
                assert_eq!(
                    under(dir, path),
                    path.strip_prefix(dir).ok(),
                    "{dir:?} {path:?}"
                );
            }
        }
    }

    #[test]
    fn walk_sorted_is_in_path_order_and_skips_ignored() {
        let dir = tempfile::tempdir().unwrap();
        for rel in [
            "a/b.md", "a.md", "a-b.md", "ab.md", "a/a/z.md", "b.md", ".git/x", "c.md~",
        ] {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let Listing { files, errors, .. } = walk_sorted(dir.path());
        assert!(errors.is_empty());
        let mut by_path = files.clone();
        by_path.sort();
        assert_eq!(files, by_path);
        let rels: Vec<String> = files
            .iter()
            .map(|p| crate::error::display_path(p.strip_prefix(dir.path()).unwrap()))
            .collect();
        assert_eq!(
            rels,
            ["a/a/z.md", "a/b.md", "a-b.md", "a.md", "ab.md", "b.md"]
        );
    }

    #[test]
    fn split_simple() {
        let s = split_front_matter("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(s.front_matter, "title: a\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn split_crlf() {
        let s = split_front_matter("---\r\ntitle: a\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(s.front_matter, "title: a\r\n");
        assert_eq!(s.body, "body\r\n");
    }

    #[test]
    fn split_empty_front_matter_and_no_trailing_newline() {
        let s = split_front_matter("---\n---").unwrap();
        assert_eq!(s.front_matter, "");
        assert_eq!(s.body, "");
    }

    #[test]
    fn split_rule_in_body_is_body() {
        let s = split_front_matter("---\na: 1\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(s.front_matter, "a: 1\n");
        assert_eq!(s.body, "text\n---\nmore\n");
    }

    /// The closing line is found by searching for `\n---`, not line by
    /// line: the same splits as the rule read a line at a time, on lines
    /// that are nearly a closing one.
    #[test]
    fn split_finds_what_reading_line_by_line_finds() {
        fn by_lines(text: &str) -> Option<(&str, &str, usize)> {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let mut lines = text.split_inclusive('\n');
            if lines.next()?.trim_end() != "---" {
                return None;
            }
            let start = text.find('\n')? + 1;
            let mut offset = start;
            for (i, line) in lines.enumerate() {
                if line.trim_end() == "---" {
                    return Some((&text[start..offset], &text[offset + line.len()..], i + 3));
                }
                offset += line.len();
            }
            None
        }
        let pieces = [
            "---",
            "----",
            " ---",
            "--- ",
            "---\u{a0}",
            "--- x",
            "-- -",
            "a: 1",
            "",
            "\r",
        ];
        let mut texts = vec![
            String::new(),
            "---".to_string(),
            "\u{feff}---\n---".to_string(),
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for end in ["", "\n", "\r\n"] {
                        texts.push(format!("---\n{a}\n{b}\r\n{c}{end}"));
                        texts.push(format!("{a}\n{b}\n{c}{end}"));
                    }
                }
            }
        }
        for text in &texts {
            let found = split_front_matter(text)
                .ok()
                .map(|s| (s.front_matter, s.body, s.body_line));
            assert_eq!(found, by_lines(text), "{text:?}");
        }
    }

    #[test]
    fn split_bom() {
        assert!(split_front_matter("\u{feff}---\na: 1\n---\n").is_ok());
    }

    #[test]
    fn split_unclosed() {
        let (line, message) = split_front_matter("---\ntitle: a\nbody\n").unwrap_err();
        assert_eq!(line, 1);
        assert!(message.contains("never closed"));
    }

    #[test]
    fn split_missing() {
        assert!(split_front_matter("# Title\n").is_err());
        assert!(split_front_matter("").is_err());
    }

    #[test]
    fn kinds() {
        assert_eq!(classify("index.md"), Ok(Kind::Home));
        assert_eq!(classify("articles/a.md"), Ok(Kind::Article));
        assert_eq!(classify("articles/a/index.md"), Ok(Kind::Article));
        assert!(classify("articles/a/b.md").is_err());
        assert_eq!(classify("locations/h.md"), Ok(Kind::Location));
        assert_eq!(classify("authors/t.md"), Ok(Kind::Author));
        assert_eq!(classify("about.md"), Ok(Kind::Plain));
        assert_eq!(classify("help/faq.md"), Ok(Kind::Plain));
    }

    #[test]
    fn slugs() {
        assert_eq!(file_slug("articles/a-b.md"), "a-b");
        assert_eq!(file_slug("articles/Dry Needling/index.md"), "dry-needling");
        assert_eq!(file_slug("about.md"), "about");
        assert_eq!(file_slug("help/faq.md"), "help/faq");
        assert_eq!(file_slug("help/index.md"), "help");
    }

    #[test]
    fn ignored_names() {
        for name in [
            ".a.md.swp",
            "a.md~",
            ".#a.md",
            "4913",
            "a.md___jb_tmp___",
            ".DS_Store",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("a.md"));
    }
}
