//! Stage 6 of the build: write everything into a staging folder beside the
//! output, then swap it into place, so a failed build never leaves a half
//! written site and never touches a folder handout did not create.

use rustc_hash::FxHashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::content::Asset;
use crate::error::{display_path, Diagnostic, Errors, Place};
use crate::render::Sink;
use crate::theme::Theme;

/// Written into every output folder; its presence is how handout knows a
/// folder is its own to replace.
pub const MARKER: &str = ".handout";
const MARKER_TEXT: &str =
    "This folder is written by `handout build`; the next build replaces it.\n";

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Diagnostic + '_ {
    move |source| Diagnostic::io(Place::file(path), "cannot write", source)
}

/// Checks that `out` is empty, missing, or an earlier handout output.
pub fn check_target(out: &Path) -> Result<(), Diagnostic> {
    let refuse = |message: String| Diagnostic::new(Place::file(out), message);
    match std::fs::metadata(out) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(Diagnostic::io(Place::file(out), "cannot write", source)),
        Ok(meta) if !meta.is_dir() => Err(refuse(
            "the output path is a file, not a folder: choose another --output".into(),
        )),
        Ok(_) => {
            let empty = std::fs::read_dir(out).map_err(io(out))?.next().is_none();
            if empty || out.join(MARKER).is_file() {
                Ok(())
            } else {
                Err(refuse(format!(
                    "refusing to replace this folder: it is not empty and was not written by handout (it has no {MARKER} file). Choose an empty or new folder with --output"
                )))
            }
        }
    }
}

/// A build's output being written: a staging folder beside the output
/// that becomes the output on [`Staging::finish`]. Dropped unfinished, it
/// removes itself and the output is untouched.
///
/// Over an earlier output, only files whose bytes differ are staged; at
/// the end they are moved in, files no longer made are removed, and
/// everything else keeps its bytes and its modification time (so a
/// rebuild with no change writes nothing, and a host syncing the folder
/// uploads only what changed).
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    parent: PathBuf,
    name: String,
    /// The earlier output is updated in place rather than replaced.
    update: bool,
    /// Every file this build makes, staged or already in place, with its
    /// size: the build's record is made from it, without walking the output.
    made: Mutex<Vec<(String, u64)>>,
    /// The files staged: changed or new.
    staged: Mutex<Vec<String>>,
    finished: bool,
}

/// What finishing a build changed in the output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub written: usize,
    pub removed: usize,
}

/// A finished output: what changed, and every file in it (but the marker)
/// with its size, sorted by path.
#[derive(Debug, Clone, Default)]
pub struct Finished {
    pub changes: Changes,
    pub files: Vec<(String, u64)>,
}

impl Staging {
    /// Checks the output folder may be replaced and makes the staging folder.
    pub fn begin(out: &Path) -> Result<Staging, Diagnostic> {
        check_target(out)?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let dir = parent.join(format!(".{name}.handout-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        Ok(Staging {
            update: out.join(MARKER).is_file(),
            out: out.to_path_buf(),
            dir,
            parent,
            name,
            made: Mutex::new(Vec::new()),
            staged: Mutex::new(Vec::new()),
            finished: false,
        })
    }

    /// Copies the theme's static files and the content's assets.
    pub fn copy(&self, theme: &Theme, assets: &[Asset]) -> Result<usize, Errors> {
        let copies: Vec<(&str, Source)> = theme
            .statics
            .iter()
            .map(|(rel, file)| (rel.as_str(), Source::Theme(file)))
            .chain(
                assets
                    .iter()
                    .map(|a| (a.rel.as_str(), Source::Path(&a.source))),
            )
            // A content file replaces the theme's file of the same path.
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_iter()
            .collect();
        let errors: Errors = copies
            .par_iter()
            .filter_map(|(rel, source)| self.stage(rel, source).err())
            .collect::<Vec<crate::error::Diagnostic>>()
            .into_iter()
            .collect();
        errors.into_result(copies.len())
    }

    fn stage(&self, rel: &str, source: &Source) -> Result<(), Diagnostic> {
        check_relative(rel)?;
        let size = if let Some(size) = self
            .update
            .then(|| unchanged(&self.out.join(rel), source))
            .flatten()
        {
            size
        } else {
            let size = write_one(&self.dir, rel, source)?;
            if let Ok(mut staged) = self.staged.lock() {
                staged.push(rel.to_string());
            }
            size
        };
        if let Ok(mut made) = self.made.lock() {
            made.push((rel.to_string(), size));
        }
        Ok(())
    }

    /// Marks the folder as handout's and makes it the output.
    pub fn finish(mut self) -> Result<Finished, Errors> {
        let staged = std::mem::take(&mut *self.staged.lock().map_err(|_| poisoned(&self.dir))?);
        let mut files = std::mem::take(&mut *self.made.lock().map_err(|_| poisoned(&self.dir))?);
        files.sort_unstable();
        let changes = if self.update {
            self.update_in_place(&staged, &files)?
        } else {
            let marker = self.dir.join(MARKER);
            std::fs::write(&marker, MARKER_TEXT).map_err(io(&marker))?;
            swap(&self.out, &self.dir, &self.parent, &self.name)?;
            Changes {
                written: staged.len(),
                removed: 0,
            }
        };
        self.finished = true;
        Ok(Finished { changes, files })
    }

    /// Moves the staged files into the earlier output and removes the
    /// files this build no longer makes.
    fn update_in_place(
        &self,
        staged: &[String],
        files: &[(String, u64)],
    ) -> Result<Changes, Errors> {
        for rel in staged {
            let target = self.out.join(rel);
            if target.is_dir() {
                std::fs::remove_dir_all(&target).map_err(io(&target))?;
            }
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(io(dir))?;
            }
            std::fs::rename(self.dir.join(rel), &target).map_err(io(&target))?;
        }
        let made: FxHashSet<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
        let mut removed = 0;
        let stale: Vec<PathBuf> = walkdir::WalkDir::new(&self.out)
            .contents_first(true)
            .into_iter()
            .flatten()
            .filter(|e| !e.file_type().is_dir())
            .filter_map(|e| {
                let rel = e.path().strip_prefix(&self.out).ok()?;
                let rel = display_path(rel);
                (rel != MARKER && !made.contains(rel.as_str())).then(|| e.into_path())
            })
            .collect();
        for path in stale {
            std::fs::remove_file(&path).map_err(io(&path))?;
            removed += 1;
        }
        remove_empty_dirs(&self.out);
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(Changes {
            written: staged.len(),
            removed,
        })
    }
}

/// Rendering writes straight into the staging folder.
impl Sink for Staging {
    /// Writes one file; safe to call from many threads.
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.stage(rel, &Source::Bytes(bytes))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            // Best effort: the staging folder is ours and never the output.
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn poisoned(dir: &Path) -> Diagnostic {
    Diagnostic::new(
        Place::file(dir),
        "a writer thread failed; the output was left as it was",
    )
}

/// The size of the file at `path` when it already holds exactly what
/// `source` would write.
fn unchanged(path: &Path, source: &Source) -> Option<u64> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let same = |bytes: &[u8]| {
        (meta.len() == bytes.len() as u64 && std::fs::read(path).is_ok_and(|old| old == bytes))
            .then_some(meta.len())
    };
    match source {
        Source::Bytes(bytes) => same(bytes),
        Source::Path(from) => same(&std::fs::read(from).ok()?),
        Source::Theme(file) => same(&file.read().ok()?),
    }
}

/// Removes folders left empty under `root` (not `root` itself).
fn remove_empty_dirs(root: &Path) {
    for entry in walkdir::WalkDir::new(root)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_dir() {
            // Fails, harmlessly, for folders that still hold files.
            let _ = std::fs::remove_dir(entry.path());
        }
    }
}

enum Source<'a> {
    Theme(&'a crate::theme::ThemeFile),
    Path(&'a Path),
    Bytes(&'a [u8]),
}

/// Refuses a path that could leave the output folder.
fn check_relative(rel: &str) -> Result<(), Diagnostic> {
    if Path::new(rel)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        Ok(())
    } else {
        Err(Diagnostic::new(
            Place::file(rel),
            "this output path would leave the output folder",
        ))
    }
}

/// Writes one file into the staging folder; returns its size.
fn write_one(staging: &Path, rel: &str, source: &Source) -> Result<u64, Diagnostic> {
    let target = staging.join(rel);
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let write = |bytes: &[u8]| {
        std::fs::write(&target, bytes)
            .map(|()| bytes.len() as u64)
            .map_err(io(&target))
    };
    match source {
        Source::Bytes(bytes) => write(bytes),
        Source::Path(path) => std::fs::copy(path, &target).map_err(io(path)),
        Source::Theme(file) => write(&file.read().map_err(io(&file.shown))?),
    }
}

/// Moves the old output aside, the staging folder in, then deletes the old.
fn swap(out: &Path, staging: &Path, parent: &Path, name: &str) -> Result<(), Errors> {
    if !out.exists() {
        std::fs::rename(staging, out).map_err(io(out))?;
        return Ok(());
    }
    let old = parent.join(format!(".{name}.handout-old-{}", std::process::id()));
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    std::fs::rename(out, &old).map_err(io(out))?;
    if let Err(source) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(Diagnostic::io(Place::file(display_path(out)), "cannot write", source).into());
    }
    std::fs::remove_dir_all(&old).map_err(io(&old))?;
    Ok(())
}
