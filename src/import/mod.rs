//! `handout import wordpress`: a WordPress export (WXR) made into a
//! handout site. It stands beside the build, above its stages: it reads
//! the export (`wxr`), decides what becomes what (`plan`), converts each
//! body (`shortcodes`, `autop`, `html`, with `links` deciding where links
//! and files go), builds the result with the build's own stages to be
//! sure it works, and only then writes into the site (`write`), with a
//! report of everything a person should look at (`report`).

mod autop;
mod html;
mod links;
mod pages;
mod plan;
mod report;
mod shortcodes;
mod write;
mod wxr;

use std::path::{Path, PathBuf};

use crate::error::{display_path, Diagnostic, Errors, Place};
use crate::frontmatter::Date;

pub use plan::TermKind;
pub use report::{Report, REPORT_FILE};
pub use write::MANIFEST;

/// What `handout import wordpress` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The export file (`.xml`).
    pub export: PathBuf,
    /// The folder of uploaded files (`wp-content/uploads`, or a folder
    /// holding it).
    pub uploads: Option<PathBuf>,
    /// The site folder; made when missing.
    pub root: PathBuf,
    /// `term=kind` pairs from the command line.
    pub map: Vec<String>,
    /// A YAML file of `term: kind` lines.
    pub map_file: Option<PathBuf>,
    /// Replace files changed since the last import.
    pub force: bool,
    /// Posts dated after this are set for later.
    pub today: Date,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub report: Report,
    /// Files written (new or replaced), from the site folder.
    pub written: Vec<String>,
    /// Files that already held what the import would write.
    pub unchanged: usize,
}

/// Imports the export into the site. Nothing is written unless the whole
/// import succeeds and its pages build.
pub fn wordpress(options: &ImportOptions) -> Result<Outcome, Errors> {
    let terms = term_map(options)?;
    let uploads = uploads_dir(options.uploads.as_deref())?;
    let export = wxr::read(&options.export, &options.export)?;
    let plan = plan::plan(&export, &terms, options.today);
    let mut report = Report {
        export: display_path(&options.export),
        skipped: plan.skipped.clone(),
        other_types: plan.other_types.clone(),
        skipped_terms: plan.skipped_terms.clone(),
        ..Report::default()
    };
    if let Some(encoding) = &export.encoding {
        report.general.push(format!(
            "the export was in the {encoding} encoding; it was read as such and the site is in UTF-8: check letters with accents"
        ));
    }
    let site = pages::SiteFiles::new(&options.root, &export, &mut report)?;
    let files = pages::files(&export, &plan, uploads.as_deref(), &site, &mut report)?;
    if validate(&options.root, &files, options.today)? {
        report.general.push(
            "the site already had errors in files the import did not write: run `handout build` to see them".into(),
        );
    }
    let mut files = files;
    files.push(write::Planned::text(REPORT_FILE, report.text()));
    let written = write::write(&options.root, files, options.force)?;
    Ok(Outcome {
        report,
        written: written.written,
        unchanged: written.unchanged,
    })
}

/// Reads an export from its bytes and converts it into the site's files in
/// memory, as an import into an empty folder would, without building or
/// writing them (for the fuzz targets): the files' paths.
#[doc(hidden)]
pub fn convert_in_memory(bytes: &[u8], today: Date) -> Result<Vec<String>, Errors> {
    let shown = Path::new("export.xml");
    let (text, _) = wxr::decode(bytes, shown)?;
    let export = wxr::parse(&text, shown)?;
    let plan = plan::plan(&export, &plan::TermMap::new(), today);
    let mut report = Report::default();
    let root = Path::new("/nonexistent/handout-fuzz-site");
    let site = pages::SiteFiles::new(root, &export, &mut report)?;
    let files = pages::files(&export, &plan, None, &site, &mut report)?;
    let _ = report.text();
    Ok(files.into_iter().map(|f| f.rel).collect())
}

/// `--map` and `--map-file`, lower-cased term name or slug to kind.
fn term_map(options: &ImportOptions) -> Result<plan::TermMap, Errors> {
    let mut map = plan::TermMap::new();
    let mut errors = Errors::default();
    let kinds = "tags, conditions, treatments or skip";
    for pair in &options.map {
        let parsed = pair
            .rsplit_once('=')
            .and_then(|(term, kind)| Some((term.trim(), TermKind::parse(kind)?)));
        match parsed {
            Some((term, kind)) if !term.is_empty() => {
                map.insert(term.to_lowercase(), kind);
            }
            _ => errors.push(
                Diagnostic::new(
                    Place::file("--map"),
                    format!("`{pair}` is not a term and a kind, like \"Knee pain=conditions\""),
                )
                .hint(format!("the kind is one of {kinds}")),
            ),
        }
    }
    if let Some(file) = &options.map_file {
        let text = std::fs::read_to_string(file)
            .map_err(|err| Diagnostic::io(Place::file(file), "cannot read the map file", err))?;
        let pairs: std::collections::BTreeMap<String, String> = crate::yaml::parse(&text, 1)
            .map_err(|p| {
                Diagnostic::new(Place::at(file, p.line, Some(p.column)), p.message)
                    .hint("write one term a line: `Knee pain: conditions`")
            })?;
        for (term, kind) in pairs {
            match TermKind::parse(&kind) {
                Some(kind) => {
                    map.insert(term.trim().to_lowercase(), kind);
                }
                None => errors.push(Diagnostic::new(
                    Place::at(file, crate::yaml::lines::key_line(&text, &term), Some(1)),
                    format!("`{kind}` is not a kind of term: write {kinds}"),
                )),
            }
        }
    }
    errors.into_result(map)
}

/// The uploads folder: the one given, or `wp-content/uploads` or
/// `uploads` inside it, whichever holds the files.
fn uploads_dir(given: Option<&Path>) -> Result<Option<PathBuf>, Errors> {
    let Some(dir) = given else {
        return Ok(None);
    };
    if !dir.is_dir() {
        return Err(Diagnostic::new(
            Place::file(dir),
            "the --uploads folder does not exist",
        )
        .hint("give the folder that holds the year folders (2019/, 2020/...) of wp-content/uploads")
        .into());
    }
    for inner in ["wp-content/uploads", "uploads"] {
        if dir.join(inner).is_dir() {
            return Ok(Some(dir.join(inner)));
        }
    }
    Ok(Some(dir.to_path_buf()))
}

/// Builds the site as it will be after the import, in a scratch folder,
/// as `build` would (with and without drafts): its own pages as they are
/// (raster pictures whole, since they are published processed; other
/// files as empty stand-ins: only that they are there matters),
/// then the import's. An error in a file the import writes, or naming one,
/// stops the import before anything is written. Returns whether the site
/// has errors of its own, in files the import does not touch.
fn validate(root: &Path, files: &[write::Planned], today: Date) -> Result<bool, Errors> {
    let scratch = tempfile::Builder::new()
        .prefix("handout-import-check")
        .tempdir()
        .map_err(|err| Diagnostic::io(Place::file(root), "cannot make a scratch folder", err))?;
    let dir = scratch.path();
    let mut own = vec![crate::config::CONFIG_FILE.to_string()];
    own.extend(files_under(&root.join(crate::theme::THEMES_DIR), root));
    own.extend(files_under(&root.join(crate::content::CONTENT_DIR), root));
    for rel in own {
        // Raster pictures are published processed, so they are checked
        // whole; other files need only be there.
        let stand_in =
            rel.starts_with("content/") && !rel.ends_with(".md") && !crate::images::is_raster(&rel);
        match std::fs::read(root.join(&rel)) {
            Ok(_) if stand_in => put(dir, &rel, b"")?,
            Ok(bytes) => put(dir, &rel, &bytes)?,
            Err(_) => {}
        }
    }
    for file in files {
        match &file.contents {
            write::Contents::Bytes(bytes) => put(dir, &file.rel, bytes)?,
            write::Contents::Copy(from) if crate::images::is_raster(&file.rel) => {
                let bytes = std::fs::read(from).map_err(|err| {
                    Errors::from(Diagnostic::io(Place::file(from), "cannot read", err))
                })?;
                put(dir, &file.rel, &bytes)?;
            }
            write::Contents::Copy(_) => put(dir, &file.rel, b"")?,
        }
    }
    let planned: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    let mut site_errors = false;
    for drafts in [false, true] {
        let options = crate::BuildOptions {
            drafts,
            today: Some(today),
            ..crate::BuildOptions::new(dir)
        };
        let Err(errors) = crate::prepare(&options) else {
            continue;
        };
        let ours: Errors = errors
            .into_iter()
            .filter(|e| {
                let text = e.to_string();
                let path = display_path(&e.place.path);
                let mine = planned.iter().any(|p| *p == path || text.contains(p));
                site_errors |= !mine;
                mine
            })
            .collect();
        if !ours.is_empty() {
            let mut all = Errors::default();
            all.push(
                Diagnostic::new(
                    Place::file(root),
                    "the imported pages would not build, so nothing was written",
                )
                .hint("if the errors below are not about the site's own pages, this is a fault in handout's importer: please report it with the export file"),
            );
            all.extend(ours);
            return Err(all);
        }
    }
    Ok(site_errors)
}

/// Every file under `dir`, from `root`, with `/`.
fn files_under(dir: &Path, root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| Some(display_path(e.path().strip_prefix(root).ok()?)))
        .collect()
}

fn put(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), Errors> {
    let path = dir.join(rel);
    let io = |err| Errors::from(Diagnostic::io(Place::file(rel), "cannot write", err));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(&path, bytes).map_err(io)
}

#[cfg(test)]
mod tests;
