//! Stage 6 of the build: write everything into a staging folder beside the
//! output, then swap it into place, so a failed build never leaves a half
//! written site and never touches a folder handout did not create.

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::content::Asset;
use crate::error::{display_path, Errors, Place};
use crate::theme::Theme;

/// Written into every output folder; its presence is how handout knows a
/// folder is its own to replace.
pub const MARKER: &str = ".handout";
const MARKER_TEXT: &str =
    "This folder is written by `handout build`; the next build replaces it.\n";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{place}: {message}")]
    Refused { place: Place, message: String },
    #[error("{place}: cannot write: {source}")]
    Io {
        place: Place,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        place: Place::file(path),
        source,
    }
}

/// Checks that `out` is empty, missing, or an earlier handout output.
pub fn check_target(out: &Path) -> Result<(), OutputError> {
    let refuse = |message: String| OutputError::Refused {
        place: Place::file(out),
        message,
    };
    match std::fs::metadata(out) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(OutputError::Io {
            place: Place::file(out),
            source,
        }),
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
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    parent: PathBuf,
    name: String,
    finished: bool,
}

impl Staging {
    /// Checks the output folder may be replaced and makes the staging folder.
    pub fn begin(out: &Path) -> Result<Staging, OutputError> {
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
            out: out.to_path_buf(),
            dir,
            parent,
            name,
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
            .filter_map(|(rel, source)| write_one(&self.dir, rel, source).err())
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        errors.into_result(copies.len())
    }

    /// Writes one file; safe to call from many threads.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        write_one(&self.dir, rel, &Source::Bytes(bytes))
    }

    /// Marks the folder as handout's and swaps it in for the output.
    pub fn finish(mut self) -> Result<(), Errors> {
        let marker = self.dir.join(MARKER);
        std::fs::write(&marker, MARKER_TEXT).map_err(io(&marker))?;
        swap(&self.out, &self.dir, &self.parent, &self.name)?;
        self.finished = true;
        Ok(())
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

enum Source<'a> {
    Theme(&'a crate::theme::ThemeFile),
    Path(&'a Path),
    Bytes(&'a [u8]),
}

fn write_one(staging: &Path, rel: &str, source: &Source) -> Result<(), OutputError> {
    let relative = Path::new(rel);
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(OutputError::Refused {
            place: Place::file(rel),
            message: "this output path would leave the output folder".into(),
        });
    }
    let target = staging.join(relative);
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    match source {
        Source::Bytes(bytes) => std::fs::write(&target, bytes).map_err(io(&target)),
        Source::Path(path) => std::fs::copy(path, &target).map(|_| ()).map_err(io(path)),
        Source::Theme(file) => {
            let bytes = file.read().map_err(io(&file.shown))?;
            std::fs::write(&target, bytes).map_err(io(&target))
        }
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
        return Err(OutputError::Io {
            place: Place::file(display_path(out)),
            source,
        }
        .into());
    }
    std::fs::remove_dir_all(&old).map_err(io(&old))?;
    Ok(())
}
