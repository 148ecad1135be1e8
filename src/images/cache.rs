//! The picture cache: one folder per picture and settings, named by a hash
//! of the picture's bytes and the `images:` settings, holding its files
//! and an `info` file listing them. Build and serve share it; deleting it
//! only makes the next build encode again. A folder is made under a
//! temporary name and renamed into place, so a stopped build never leaves
//! half a picture. A second small file per source, under `stat/`, remembers
//! the hash of a file by its path and identity (`cache::Identity`:
//! place on disk, size, change times), so a warm build does not read the
//! pictures at all. A picture changed in the last seconds is always read.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use super::{engine, Format, Picture, Problem, Variant};
use crate::config::Images as Settings;
use crate::error::{Diagnostic, Place};

/// Changes whenever the engine writes other bytes for the same input, so
/// old entries are not reused.
const ENGINE: &str = "handout-images 1";

/// Where processed pictures are kept.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// A cached picture.
#[derive(Debug, Clone)]
pub struct Entry {
    dir: PathBuf,
    width: u32,
    height: u32,
    own: Format,
    files: Vec<(Format, u32, u32)>,
}

impl Entry {
    /// The picture, with file names beside `rel` (its file from `content/`).
    pub fn picture(&self, rel: &str) -> Picture {
        Picture {
            width: self.width,
            height: self.height,
            own: self.own,
            variants: self
                .files
                .iter()
                .map(|&(format, width, height)| Variant {
                    width,
                    height,
                    format,
                    rel: super::variant_rel(rel, width, format),
                })
                .collect(),
        }
    }

    /// The cached file of a variant.
    pub fn path_of(&self, variant: &Variant) -> PathBuf {
        self.dir.join(file_name(variant.format, variant.width))
    }
}

fn file_name(format: Format, width: u32) -> String {
    format!("{width}.{}", format.extension())
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The cache in its usual folder (see [`super::cache_dir`]).
    pub fn user() -> Cache {
        Cache::new(super::cache_dir())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cached entry of the picture at `source`, made first if needed.
    pub fn get_or_make(&self, source: &Path, settings: &Settings) -> Result<Entry, Problem> {
        let unreadable = |e: std::io::Error| Problem::Picture(format!("it cannot be read ({e})"));
        let meta = std::fs::metadata(source).map_err(unreadable)?;
        let now = std::time::SystemTime::now();
        let stat = stat_key(source, &meta, now)
            .map(|key| self.dir.join("stat").join(format!("{key:016x}")));
        let mut bytes = None;
        let known = stat
            .as_ref()
            .and_then(|stat| std::fs::read_to_string(stat).ok())
            .and_then(|t| u128::from_str_radix(t.trim(), 16).ok());
        let hash = match known {
            Some(hash) => hash,
            None => {
                let read = std::fs::read(source).map_err(unreadable)?;
                let hash = xxh3_128(&read);
                bytes = Some(read);
                // Best effort: without it the next build reads the file again.
                if let Some(stat) =
                    stat.filter(|_| std::fs::create_dir_all(self.dir.join("stat")).is_ok())
                {
                    let _ = write_atomic(&stat, format!("{hash:032x}\n").as_bytes());
                }
                hash
            }
        };
        let dir = self.dir.join(format!("{:032x}", entry_key(hash, settings)));
        if let Some(entry) = read_info(&dir) {
            return Ok(entry);
        }
        let bytes = match bytes {
            Some(b) => b,
            None => std::fs::read(source).map_err(unreadable)?,
        };
        let encoded = engine::encode(&bytes, settings).map_err(Problem::Picture)?;
        drop(bytes);
        self.store(&dir, &encoded).map_err(|e| {
            Problem::Cache(
                Diagnostic::io(Place::file(&self.dir), "cannot write the picture cache", e)
                    .hint("set HANDOUT_CACHE_DIR to a folder you can write to"),
            )
        })?;
        read_info(&dir).ok_or_else(|| {
            Problem::Cache(Diagnostic::new(
                Place::file(&dir),
                "the picture cache changed while it was written: build again",
            ))
        })
    }

    fn store(&self, dir: &Path, encoded: &engine::Encoded) -> std::io::Result<()> {
        if read_info(dir).is_some() {
            return Ok(());
        }
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("entry");
        let temp = self.dir.join(format!(
            ".{name}.{}.{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir_all(&temp)?;
        let mut info = format!(
            "{ENGINE}\n{} {} {}\n",
            encoded.width,
            encoded.height,
            encoded.own.extension()
        );
        for file in &encoded.files {
            std::fs::write(temp.join(file_name(file.format, file.width)), &file.bytes)?;
            info.push_str(&format!(
                "{} {} {}\n",
                file.format.extension(),
                file.width,
                file.height
            ));
        }
        std::fs::write(temp.join("info"), info)?;
        match std::fs::rename(&temp, dir) {
            Ok(()) => Ok(()),
            // Another build made it first: theirs is as good.
            Err(_) if read_info(dir).is_some() => {
                let _ = std::fs::remove_dir_all(&temp);
                Ok(())
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&temp);
                Err(e)
            }
        }
    }
}

/// A file's identity without reading it, with its path; none while it has
/// not settled (then a second save in the same tick of the clock could
/// leave its times as they were).
fn stat_key(path: &Path, meta: &std::fs::Metadata, now: std::time::SystemTime) -> Option<u64> {
    let identity = crate::cache::Identity::settled(meta, now)?;
    let mut hasher = Xxh3::new();
    hasher.write(path.as_os_str().as_encoded_bytes());
    identity.hash(&mut hasher);
    Some(hasher.finish())
}

fn entry_key(hash: u128, settings: &Settings) -> u128 {
    let text = format!(
        "{ENGINE} {hash:032x} {:?} {} {:?}",
        settings.widths, settings.quality, settings.formats
    );
    xxh3_128(text.as_bytes())
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = path.with_extension(format!(
        "{}.{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path)
}

/// The entry in `dir`, if it is complete.
fn read_info(dir: &Path) -> Option<Entry> {
    let text = std::fs::read_to_string(dir.join("info")).ok()?;
    let mut lines = text.lines();
    if lines.next()? != ENGINE {
        return None;
    }
    let mut head = lines.next()?.split(' ');
    let width = head.next()?.parse().ok()?;
    let height = head.next()?.parse().ok()?;
    let own = Format::from_extension(head.next()?)?;
    let mut files = Vec::new();
    for line in lines {
        let mut parts = line.split(' ');
        let format = Format::from_extension(parts.next()?)?;
        let w = parts.next()?.parse().ok()?;
        let h = parts.next()?.parse().ok()?;
        files.push((format, w, h));
    }
    Some(Entry {
        dir: dir.to_path_buf(),
        width,
        height,
        own,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_is_known_by_its_identity_only_once_it_has_settled() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b) = (dir.path().join("a.jpg"), dir.path().join("b.jpg"));
        for path in [&a, &b] {
            std::fs::write(path, b"not really a picture").expect("write");
        }
        let key = |path: &Path, now| stat_key(path, &std::fs::metadata(path).expect("stat"), now);
        let now = std::time::SystemTime::now();
        // Just saved: a second save in this tick could keep its times.
        assert_eq!(key(&a, now), None);
        let later = now + std::time::Duration::from_secs(3600);
        assert!(key(&a, later).is_some());
        assert_eq!(key(&a, later), key(&a, later));
        // The same bytes and times elsewhere are another file.
        assert_ne!(key(&a, later), key(&b, later));
    }
}
