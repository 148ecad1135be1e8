//! Writing an import into the site, last and all at once. A file the last
//! import wrote and nobody changed since may be replaced; a file someone
//! changed (or that the import never wrote) is not, unless `--force`: then
//! nothing at all is written. A list of what the import wrote, with a hash
//! of each file, is kept in the site folder to tell the two apart.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Errors, Place};

/// The list of files the last import wrote, in the site folder.
pub const MANIFEST: &str = ".handout-import";

/// What a file holds.
#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A file to copy (an upload).
    Copy(PathBuf),
}

/// A file the import makes, by its path from the site folder.
#[derive(Debug, Clone)]
pub struct Planned {
    pub rel: String,
    pub contents: Contents,
}

impl Planned {
    pub fn text(rel: impl Into<String>, text: String) -> Planned {
        Planned {
            rel: rel.into(),
            contents: Contents::Bytes(text.into_bytes()),
        }
    }
}

/// What writing did.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Files written (new or replaced), from the site folder.
    pub written: Vec<String>,
    /// Files that already held the same bytes.
    pub unchanged: usize,
}

fn hash(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// `rel` -> hash, from the manifest (empty when there is none).
pub fn manifest(root: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(root.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let (hash, rel) = line.split_once('\t')?;
            Some((rel.to_string(), hash.to_string()))
        })
        .collect()
}

/// The other file with the same address: `a/b.md` <-> `a/b/index.md`.
fn twin(rel: &str) -> Option<String> {
    if let Some(dir) = rel.strip_suffix("/index.md") {
        Some(format!("{dir}.md"))
    } else {
        rel.strip_suffix(".md")
            .map(|stem| format!("{stem}/index.md"))
    }
}

/// Writes `files` into `root`, or nothing when one of them would replace
/// a file someone changed (unless `force`).
pub fn write(root: &Path, files: Vec<Planned>, force: bool) -> Result<Written, Errors> {
    let known = manifest(root);
    let mut errors = Errors::default();
    let mut to_write: Vec<(String, Vec<u8>)> = Vec::new();
    let mut superseded: Vec<PathBuf> = Vec::new();
    let mut record = known.clone();
    let mut unchanged = 0;
    let ours = |rel: &str, bytes: &[u8]| known.get(rel).is_some_and(|h| *h == hash(bytes));
    for file in files {
        let bytes = match file.contents {
            Contents::Bytes(bytes) => bytes,
            Contents::Copy(source) => std::fs::read(&source).map_err(|err| {
                Errors::from(Diagnostic::io(
                    Place::file(&source),
                    "cannot read this uploaded file",
                    err,
                ))
            })?,
        };
        record.insert(file.rel.clone(), hash(&bytes));
        let target = root.join(&file.rel);
        if let Ok(current) = std::fs::read(&target) {
            if current == bytes {
                unchanged += 1;
                continue;
            }
            if !force && !ours(&file.rel, &current) {
                errors.push(changed(&file.rel));
                continue;
            }
        }
        // The same page as a single file and as a folder would be one
        // address twice: the import's own old form goes.
        if let Some(twin) = twin(&file.rel).filter(|_| file.rel.starts_with("content/")) {
            let path = root.join(&twin);
            if let Ok(current) = std::fs::read(&path) {
                if force || ours(&twin, &current) {
                    superseded.push(path);
                    record.remove(&twin);
                } else {
                    errors.push(changed(&twin));
                }
            }
        }
        to_write.push((file.rel, bytes));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    put_all(root, &to_write)?;
    for path in superseded {
        let _ = std::fs::remove_file(path);
    }
    let manifest: String = record
        .iter()
        .map(|(rel, hash)| format!("{hash}\t{rel}\n"))
        .collect();
    std::fs::write(root.join(MANIFEST), manifest).map_err(|err| {
        Errors::from(Diagnostic::io(
            Place::file(MANIFEST),
            "cannot write the import's list of files",
            err,
        ))
    })?;
    Ok(Written {
        written: to_write.into_iter().map(|(rel, _)| rel).collect(),
        unchanged,
    })
}

fn changed(rel: &str) -> Diagnostic {
    Diagnostic::new(
        Place::file(rel),
        "this file was changed since the last import (or was not written by it), so the import will not replace it",
    )
    .hint("to keep it, move it out of the site first and merge by hand; to replace it, run the import again with --force")
}

/// Every file beside its target first, then each renamed into place, so a
/// full disk leaves the site as it was.
fn put_all(root: &Path, files: &[(String, Vec<u8>)]) -> Result<(), Errors> {
    let suffix = format!(".handout-import-{}", std::process::id());
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let fail = |staged: &[(PathBuf, PathBuf)], rel: &Path, err: std::io::Error| {
        for (temp, _) in staged {
            let _ = std::fs::remove_file(temp);
        }
        Errors::from(Diagnostic::io(Place::file(rel), "cannot write", err))
    };
    for (rel, bytes) in files {
        let target = root.join(rel);
        let mut name = target.file_name().unwrap_or_default().to_os_string();
        name.push(&suffix);
        let temp = target.with_file_name(name);
        if let Some(dir) = target.parent() {
            if let Err(err) = std::fs::create_dir_all(dir) {
                return Err(fail(&staged, Path::new(rel), err));
            }
        }
        if let Err(err) = std::fs::write(&temp, bytes) {
            let _ = std::fs::remove_file(&temp);
            return Err(fail(&staged, Path::new(rel), err));
        }
        staged.push((temp, target));
    }
    for (i, (temp, target)) in staged.iter().enumerate() {
        if let Err(err) = std::fs::rename(temp, target) {
            let rel = target.strip_prefix(root).unwrap_or(target).to_path_buf();
            return Err(fail(staged.get(i..).unwrap_or_default(), &rel, err));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel: &str, text: &str) -> Planned {
        Planned::text(rel, text.to_string())
    }

    #[test]
    fn replaces_its_own_files_but_not_changed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let first = write(
            root,
            vec![page("content/a.md", "one"), page("content/b.md", "one")],
            false,
        )
        .unwrap();
        assert_eq!(first.written.len(), 2);
        // Unchanged since: replaced. Changed by a person: refused, and
        // nothing is written, not even the other file.
        std::fs::write(root.join("content/b.md"), "edited").unwrap();
        let err = write(
            root,
            vec![page("content/a.md", "two"), page("content/b.md", "two")],
            false,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("content/b.md: this file was changed"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("content/a.md")).unwrap(),
            "one"
        );
        let forced = write(
            root,
            vec![page("content/a.md", "two"), page("content/b.md", "two")],
            true,
        )
        .unwrap();
        assert_eq!(forced.written.len(), 2);
        assert_eq!(
            std::fs::read_to_string(root.join("content/b.md")).unwrap(),
            "two"
        );
        let again = write(root, vec![page("content/a.md", "two")], false).unwrap();
        assert_eq!((again.written.len(), again.unchanged), (0, 1));
    }

    #[test]
    fn a_page_that_became_a_folder_leaves_its_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, vec![page("content/articles/a.md", "x")], false).unwrap();
        write(root, vec![page("content/articles/a/index.md", "x")], false).unwrap();
        assert!(!root.join("content/articles/a.md").exists());
        assert!(!manifest(root).contains_key("content/articles/a.md"));
        // Someone else's file of the same address is not removed.
        std::fs::write(root.join("content/articles/b.md"), "mine").unwrap();
        assert!(write(root, vec![page("content/articles/b/index.md", "x")], false).is_err());
    }

    #[test]
    fn a_file_not_written_by_an_import_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), "mine").unwrap();
        assert!(write(dir.path(), vec![page("content/a.md", "import")], false).is_err());
    }
}
