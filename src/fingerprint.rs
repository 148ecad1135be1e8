//! Skipping a build whose inputs have not changed: a fingerprint of
//! everything a build reads (the handout binary, the options, today's date,
//! `site.yaml`, `content/`, `themes/`, `i18n/`), kept in the output's `.handout`
//! file with the list of files the build wrote and their sizes. When the
//! fingerprint matches and every file is still there at its size, the
//! output is already what a build would write.
//!
//! A file under the folders counts by its metadata once it has settled
//! (see [`crate::cache::Identity`]), not by its bytes: a site's pictures are most of its
//! bytes, and the build does not otherwise read them when their cache is
//! warm. At 10k articles with a photo for every tenth (2.7 GB), reading
//! them made every build read 2.7 GB, from the disk when they had left the
//! page cache.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use crate::frontmatter::Date;

/// The fingerprint of a build's inputs: the site folder `root`, the
/// build's `settings` (every option that changes the output) and `today`;
/// `None` when something could not be read (then the build runs, and
/// reports what).
/// `content` is `content/` as the build will load it (`content::list`).
pub fn of(
    root: &Path,
    content: &crate::content::Listing,
    settings: impl Hash,
    today: Date,
) -> Option<u64> {
    of_at(root, content, settings, today, SystemTime::now())
}

/// [`of`], taken at `now`.
fn of_at(
    root: &Path,
    content: &crate::content::Listing,
    settings: impl Hash,
    today: Date,
    now: SystemTime,
) -> Option<u64> {
    // xxh3: stable across Rust releases (the record outlives the binary
    // only to be found stale) and fast on the megabytes of a big site.
    let mut hasher = Xxh3::new();
    // The binary itself: another handout may write other bytes.
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    (meta.len(), meta.modified().ok()?).hash(&mut hasher);
    (settings, today.iso()).hash(&mut hasher);
    crate::error::read_regular(&root.join(crate::config::CONFIG_FILE))
        .ok()?
        .hash(&mut hasher);
    let content = keys_of_listed(&root.join(crate::content::CONTENT_DIR), content, now)?;
    let themes = keys_of_tree(&root.join(crate::theme::THEMES_DIR), now)?;
    let strings = keys_of_tree(&root.join(crate::theme::SITE_STRINGS_DIR), now)?;
    for (rel, key) in content.into_iter().chain(themes).chain(strings) {
        (rel, key).hash(&mut hasher);
    }
    Some(hasher.finish())
}

/// What a file counts by in the fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Settled(crate::cache::Identity),
    /// A hash of its bytes: it has not settled.
    Bytes(u64),
}

impl Key {
    fn of(path: &Path, now: SystemTime) -> Option<Key> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        match crate::cache::Identity::settled(&meta, now) {
            Some(identity) => Some(Key::Settled(identity)),
            None => Some(Key::Bytes(xxh3_64(&std::fs::read(path).ok()?))),
        }
    }
}

/// Every file under `dir` (sorted, editor swap files aside): its path and
/// its key, on all cores.
fn keys_of_tree(dir: &Path, now: SystemTime) -> Option<Vec<(PathBuf, Key)>> {
    keys_of_listed(dir, &crate::content::walk_sorted(dir), now)
}

/// [`keys_of_tree`] of the files `listing` found under `dir`.
fn keys_of_listed(
    dir: &Path,
    listing: &crate::content::Listing,
    now: SystemTime,
) -> Option<Vec<(PathBuf, Key)>> {
    // A folder that is not there has no files (its listing's one error
    // says only that).
    if !dir.exists() {
        return Some(Vec::new());
    }
    // A link, FIFO or device is an error the build must report.
    if !listing.errors.is_empty() || !listing.others.is_empty() {
        return None;
    }
    listing
        .files
        .par_iter()
        .map(|path| {
            let key = Key::of(path, now)?;
            Some((path.strip_prefix(dir).ok()?.to_path_buf(), key))
        })
        .collect()
}

/// What a finished build leaves in `.handout`. A build writes it from
/// the staging folder's own list of files, borrowed, straight to the
/// file: at 50k, a copy of the 133,000 names and the text made first were
/// the last stage's peak (about 13 MB and 16).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    pub fingerprint: u64,
    pub pages: usize,
    pub drafts: usize,
    pub future: usize,
    /// Every file of the output (but `.handout`) and its size.
    pub files: Cow<'a, [(String, u64)]>,
}

const HEADER: &str = "This folder is written by `handout build`; the next build replaces it.";

impl Record<'_> {
    /// Writes the record's text, a line for each file.
    pub fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write!(
            out,
            "{HEADER}\nfingerprint {:016x}\npages {} {} {}\n",
            self.fingerprint, self.pages, self.drafts, self.future
        )?;
        for (rel, size) in self.files.iter() {
            writeln!(out, "{size} {rel}")?;
        }
        Ok(())
    }

    pub fn parse(text: &str) -> Option<Record<'static>> {
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let fingerprint =
            u64::from_str_radix(lines.next()?.strip_prefix("fingerprint ")?, 16).ok()?;
        let counts: Vec<usize> = lines
            .next()?
            .strip_prefix("pages ")?
            .split(' ')
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let [pages, drafts, future] = counts.as_slice() else {
            return None;
        };
        let files = lines
            .map(|line| {
                let (size, rel) = line.split_once(' ')?;
                Some((rel.to_string(), size.parse().ok()?))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Record {
            fingerprint,
            pages: *pages,
            drafts: *drafts,
            future: *future,
            files: files.into(),
        })
    }

    /// Whether every recorded file is still in `out` at its size.
    pub fn intact(&self, out: &Path) -> bool {
        self.files.par_iter().all(|(rel, size)| {
            std::fs::metadata(out.join(rel)).is_ok_and(|m| m.is_file() && m.len() == *size)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn record_round_trips() {
        let record = Record {
            fingerprint: 0xdead_beef,
            pages: 3,
            drafts: 1,
            future: 0,
            files: vec![("index.html".into(), 10), ("a b/index.html".into(), 5)].into(),
        };
        let mut text = Vec::new();
        record.write_to(&mut text).expect("written");
        let text = String::from_utf8(text).expect("UTF-8");
        assert_eq!(Record::parse(&text), Some(record));
        assert_eq!(Record::parse("something else"), None);
        assert_eq!(Record::parse(&format!("{HEADER}\nfingerprint zz\n")), None);
    }

    /// A site folder with one article, `content/articles/a.md`.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("site.yaml"), "title: T\n").expect("write");
        let articles = dir.path().join("content/articles");
        std::fs::create_dir_all(&articles).expect("mkdir");
        std::fs::write(articles.join("a.md"), "---\ntitle: A\n---\nOne.\n").expect("write");
        dir
    }

    fn today() -> Date {
        Date::parse("2026-12-02").expect("a date")
    }

    #[test]
    fn a_file_counts_by_its_bytes_until_it_has_settled() {
        let dir = site();
        let path = dir.path().join("content/articles/a.md");
        let now = SystemTime::now();
        let bytes = Key::Bytes(xxh3_64(&std::fs::read(&path).expect("read")));
        assert_eq!(Key::of(&path, now), Some(bytes));
        let later = now + crate::cache::SETTLED + Duration::from_secs(1);
        let meta = std::fs::metadata(&path).expect("stat");
        let settled = crate::cache::Identity::settled(&meta, later).expect("settled");
        assert_eq!(Key::of(&path, later), Some(Key::Settled(settled)));
        // A file changed "after" the fingerprint (a clock set back) too.
        let earlier = now - Duration::from_secs(3600);
        assert_eq!(Key::of(&path, earlier), Some(bytes));
    }

    #[test]
    fn a_settled_file_written_at_the_same_size_changes_the_fingerprint() {
        let dir = site();
        let path = dir.path().join("content/articles/a.md");
        let later = SystemTime::now() + Duration::from_secs(3600);
        let of = |root: &Path| of_at(root, &crate::content::list(root), (), today(), later);
        let first = of(dir.path()).expect("a fingerprint");
        assert_eq!(of(dir.path()), Some(first));
        // Past any tick of the file system's clock: then the write moves
        // the change time, though the size stays.
        std::thread::sleep(Duration::from_millis(50));
        std::fs::write(&path, "---\ntitle: B\n---\nOne.\n").expect("write");
        let second = of(dir.path()).expect("a fingerprint");
        assert_ne!(second, first);
        // A file put in its place by renaming, with its times set back.
        let other = dir.path().join("content/articles/b.tmp");
        std::fs::write(&other, "---\ntitle: B\n---\nOne.\n").expect("write");
        let times = std::fs::metadata(&path)
            .expect("stat")
            .modified()
            .expect("mtime");
        std::fs::File::options()
            .write(true)
            .open(&other)
            .and_then(|f| f.set_modified(times))
            .expect("set mtime");
        std::fs::rename(&other, &path).expect("rename");
        assert_ne!(of(dir.path()), Some(second));
    }
}
