//! Watching the site's files: `site.yaml`, `content/` and `themes/`
//! through a debouncer, so an editor's write-temp-then-rename save arrives
//! as one change; every batch is rebuilt on one thread, in order.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::{failed, report, report_later, Shared};
use crate::incremental::{classify, ChangeKind, Held, Live};

/// Quiet time before a batch of events is handed on. Short, because every
/// millisecond here is a millisecond before the page reloads (20 ms was
/// half of a tag edit's reload at 10k); an editor's save (write, rename)
/// takes well under it, and its temporary files are not content.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// Keeps watching while alive.
pub struct Watcher {
    _debouncer: Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>,
}

pub fn start(root: &Path, mut live: Live, shared: Arc<Shared>) -> Result<Watcher, crate::Errors> {
    let (tx, rx) = std::sync::mpsc::channel::<Vec<PathBuf>>();
    let mut debouncer = new_debouncer(
        DEBOUNCE,
        Some(Duration::from_millis(5)),
        move |result: DebounceEventResult| {
            if let Ok(events) = result {
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                    .flat_map(|e| e.event.paths.clone())
                    .collect();
                if !paths.is_empty() {
                    let _ = tx.send(paths);
                }
            }
        },
    )
    .map_err(|e| failed(format!("cannot watch the site's files: {e}")))?;
    for (path, mode) in [
        (
            root.join(crate::config::CONFIG_FILE),
            RecursiveMode::NonRecursive,
        ),
        (
            root.join(crate::content::CONTENT_DIR),
            RecursiveMode::Recursive,
        ),
        (
            root.join(crate::theme::THEMES_DIR),
            RecursiveMode::Recursive,
        ),
        (
            root.join(crate::theme::SITE_STRINGS_DIR),
            RecursiveMode::Recursive,
        ),
    ] {
        if path.exists() {
            debouncer
                .watch(&path, mode)
                .map_err(|e| failed(format!("cannot watch {}: {e}", path.display())))?;
        }
    }
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        let mut waiting = None;
        while let Some(mut paths) = waiting.take().or_else(|| rx.recv().ok()) {
            // Take every batch already waiting: one rebuild for all of them.
            while let Ok(more) = rx.try_recv() {
                paths.extend(more);
            }
            paths.sort();
            paths.dedup();
            let changed: Vec<(PathBuf, bool)> =
                paths.iter().map(|p| (p.clone(), p.is_dir())).collect();
            let what = describe(&root, &paths);
            let saved = saved(&root, &changed);
            // The saved page and the pages open first; requests for the
            // rest wait from the reload until they are written.
            let result = live.apply_first(&changed, shared.open_pages());
            let held = live.held();
            let deferred = held != Held::Nothing;
            if deferred {
                shared.set_stale(held);
            }
            report(&shared, &what, &result, &saved);
            // After the reload signal: the panel may lag a save, never the page.
            if let Ok(Some(outcome)) = &result {
                shared.set_findings(&live, outcome);
            }
            if deferred {
                let result = live.finish_deferred();
                shared.clear_stale();
                report_later(&shared, &what, &result);
            }
            // Then, unless another change waits, the work that makes the
            // next edit fast.
            match rx.try_recv() {
                Ok(more) => waiting = Some(more),
                Err(_) => live.prepare_edits(),
            }
        }
    });
    Ok(Watcher {
        _debouncer: debouncer,
    })
}

/// The changed paths that mean something to the site (not editor swap
/// files and the like), from the site root: what reload events name.
fn saved(root: &Path, changed: &[(PathBuf, bool)]) -> Vec<String> {
    changed
        .iter()
        .filter(|(path, is_dir)| classify(root, path, *is_dir) != ChangeKind::Ignored)
        .map(|(path, _)| crate::error::display_path(path.strip_prefix(root).unwrap_or(path)))
        .collect()
}

/// `Changed content/articles/a.md` or `Changed 3 files`.
fn describe(root: &Path, paths: &[PathBuf]) -> String {
    match paths {
        [one] => format!(
            "Changed {}",
            crate::error::display_path(one.strip_prefix(root).unwrap_or(one))
        ),
        many => format!("Changed {} files", many.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_name_only_the_saves_that_matter() {
        let root = Path::new("/site");
        let changed: Vec<(PathBuf, bool)> = [
            "/site/content/articles/a.md",
            "/site/content/articles/.a.md.swp",
            "/site/content/articles/a.md~",
            "/site/themes/brand/static/style.css",
            "/site/public/index.html",
        ]
        .iter()
        .map(|p| (PathBuf::from(p), false))
        .collect();
        assert_eq!(
            saved(root, &changed),
            ["content/articles/a.md", "themes/brand/static/style.css"]
        );
    }
}
