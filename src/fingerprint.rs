//! Skipping a build whose inputs have not changed: a fingerprint of
//! everything a build reads (the handout binary, the options, today's date,
//! `site.yaml`, `content/`, `themes/`, `i18n/`), kept in the output's `.handout`
//! file with the list of files the build wrote and their sizes. When the
//! fingerprint matches and every file is still there at its size, the
//! output is already what a build would write.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use crate::frontmatter::Date;

/// The fingerprint of a build's inputs: the site folder `root`, the
/// build's `settings` (every option that changes the output) and `today`;
/// `None` when something could not be read (then the build runs, and
/// reports what).
pub fn of(root: &Path, settings: impl Hash, today: Date) -> Option<u64> {
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
    for dir in [
        crate::content::CONTENT_DIR,
        crate::theme::THEMES_DIR,
        crate::theme::SITE_STRINGS_DIR,
    ] {
        for (rel, digest) in hash_tree(&root.join(dir))? {
            (rel, digest).hash(&mut hasher);
        }
    }
    Some(hasher.finish())
}

/// Every file under `dir` (sorted, editor swap files aside): its path and
/// a hash of its bytes, read and hashed on all cores.
fn hash_tree(dir: &Path) -> Option<Vec<(PathBuf, u64)>> {
    if !dir.exists() {
        return Some(Vec::new());
    }
    let (files, others, errors) = crate::content::walk_sorted_with_others(dir);
    // A link, FIFO or device is an error the build must report.
    if !errors.is_empty() || !others.is_empty() {
        return None;
    }
    files
        .into_par_iter()
        .map(|path| {
            let digest = xxh3_64(&std::fs::read(&path).ok()?);
            Some((path.strip_prefix(dir).ok()?.to_path_buf(), digest))
        })
        .collect()
}

/// What a finished build leaves in `.handout`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub fingerprint: u64,
    pub pages: usize,
    pub drafts: usize,
    pub future: usize,
    /// Every file of the output (but `.handout`) and its size.
    pub files: Vec<(u64, String)>,
}

const HEADER: &str = "This folder is written by `handout build`; the next build replaces it.";

impl Record {
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{HEADER}\nfingerprint {:016x}\npages {} {} {}\n",
            self.fingerprint, self.pages, self.drafts, self.future
        );
        for (size, rel) in &self.files {
            text.push_str(&format!("{size} {rel}\n"));
        }
        text
    }

    pub fn parse(text: &str) -> Option<Record> {
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
                Some((size.parse().ok()?, rel.to_string()))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Record {
            fingerprint,
            pages: *pages,
            drafts: *drafts,
            future: *future,
            files,
        })
    }

    /// Whether every recorded file is still in `out` at its size.
    pub fn intact(&self, out: &Path) -> bool {
        self.files.par_iter().all(|(size, rel)| {
            std::fs::metadata(out.join(rel)).is_ok_and(|m| m.is_file() && m.len() == *size)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_round_trips() {
        let record = Record {
            fingerprint: 0xdead_beef,
            pages: 3,
            drafts: 1,
            future: 0,
            files: vec![(10, "index.html".into()), (5, "a b/index.html".into())],
        };
        assert_eq!(Record::parse(&record.to_text()), Some(record));
        assert_eq!(Record::parse("something else"), None);
        assert_eq!(Record::parse(&format!("{HEADER}\nfingerprint zz\n")), None);
    }
}
