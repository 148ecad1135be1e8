//! Stage 6 of the build: write everything into a staging folder beside the
//! output, then swap it into place, so a failed build never leaves a half
//! written site and never touches a folder handout did not create.

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::content::Asset;
use crate::error::{display_path, Errors, Place};
use crate::render::OutputFile;
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

/// Where the files of a build come from.
pub struct Files<'a> {
    pub rendered: &'a [OutputFile],
    pub theme: &'a Theme,
    pub assets: &'a [Asset],
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

/// Writes all files into a staging folder, then swaps it in for `out`.
pub fn write(out: &Path, files: &Files) -> Result<(), Errors> {
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
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.handout-staging-{pid}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    let result = fill(&staging, files).and_then(|()| swap(out, &staging, &parent, &name, pid));
    if result.is_err() {
        // Best effort: the staging folder is ours and never the output.
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn fill(staging: &Path, files: &Files) -> Result<(), Errors> {
    std::fs::create_dir_all(staging).map_err(io(staging))?;
    let mut errors = Errors::default();
    let copies: Vec<(String, Source)> = files
        .theme
        .statics
        .iter()
        .map(|(rel, file)| (rel.clone(), Source::Theme(file)))
        .chain(
            files
                .assets
                .iter()
                .map(|a| (a.rel.clone(), Source::Path(&a.source))),
        )
        .chain(
            files
                .rendered
                .iter()
                .map(|f| (f.path.clone(), Source::Bytes(&f.bytes))),
        )
        .collect();
    let results: Vec<Result<(), OutputError>> = copies
        .par_iter()
        .map(|(rel, source)| write_one(staging, rel, source))
        .collect();
    for result in results {
        if let Err(err) = result {
            errors.push(err);
        }
    }
    let marker = staging.join(MARKER);
    if let Err(err) = std::fs::write(&marker, MARKER_TEXT).map_err(io(&marker)) {
        errors.push(err);
    }
    errors.into_result(())
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
fn swap(out: &Path, staging: &Path, parent: &Path, name: &str, pid: u32) -> Result<(), Errors> {
    if !out.exists() {
        std::fs::rename(staging, out).map_err(io(out))?;
        return Ok(());
    }
    let old = parent.join(format!(".{name}.handout-old-{pid}"));
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
