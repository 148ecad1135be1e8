//! Watching the site's files: `site.yaml`, `content/` and `themes/`.
//! Events are gathered until the files are quiet, so an editor's
//! write-temp-then-rename save arrives as one change; every batch is
//! rebuilt on one thread, in order.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::{failed, report, report_later, Shared};
use crate::incremental::{classify, ChangeKind, Held, Live};

/// Quiet time before a batch of events is handed on. Short, because every
/// millisecond here is a millisecond before the page reloads (20 ms was
/// half of a tag edit's reload at 10k); an editor's save (write, rename)
/// takes well under it, and its temporary files are not content.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// The longest a batch waits for quiet: files that keep changing (a tool
/// writing for seconds) do not hold back a save beside them.
const LONGEST_WAIT: Duration = Duration::from_millis(100);

/// Keeps watching while alive.
pub struct Watcher {
    _watcher: RecommendedWatcher,
}

pub fn start(root: &Path, mut live: Live, shared: Arc<Shared>) -> Result<Watcher, crate::Errors> {
    let (events_tx, events_rx) = std::sync::mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = events_tx.send(event);
    })
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
            watcher
                .watch(&path, mode)
                .map_err(|e| failed(format!("cannot watch {}: {e}", path.display())))?;
        }
    }
    let (tx, rx) = std::sync::mpsc::channel::<Vec<PathBuf>>();
    std::thread::spawn(move || batches(&events_rx, &tx));
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
    Ok(Watcher { _watcher: watcher })
}

/// Hands on the paths of each burst of events once none has come for
/// [`DEBOUNCE`] (or after [`LONGEST_WAIT`]). It waits on the channel, so
/// a batch goes the moment the files are quiet, and an idle watcher
/// never wakes. The debouncer crate used before woke every 5 ms and handed
/// a batch on 10 to 15 ms after its last event.
fn batches(events: &Receiver<notify::Result<Event>>, out: &Sender<Vec<PathBuf>>) {
    while let Ok(first) = events.recv() {
        let began = Instant::now();
        let mut paths = Vec::new();
        add_paths(&mut paths, first);
        let open = loop {
            let wait = LONGEST_WAIT.saturating_sub(began.elapsed()).min(DEBOUNCE);
            match events.recv_timeout(wait) {
                Ok(event) => add_paths(&mut paths, event),
                Err(RecvTimeoutError::Timeout) => break true,
                Err(RecvTimeoutError::Disconnected) => break false,
            }
        };
        if !paths.is_empty() && out.send(paths).is_err() || !open {
            return;
        }
    }
}

/// The paths an event names, unless it only read them (the watcher's
/// errors and rescans name none).
fn add_paths(paths: &mut Vec<PathBuf>, event: notify::Result<Event>) {
    if let Ok(event) = event {
        if !matches!(event.kind, EventKind::Access(_)) {
            paths.extend(event.paths);
        }
    }
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

    fn event(kind: EventKind, path: &str) -> notify::Result<Event> {
        Ok(Event::new(kind).add_path(PathBuf::from(path)))
    }

    fn modified(path: &str) -> notify::Result<Event> {
        event(EventKind::Modify(notify::event::ModifyKind::Any), path)
    }

    /// The batches `send` makes of its events, once it returns.
    fn batches_of(send: impl FnOnce(&Sender<notify::Result<Event>>)) -> Vec<Vec<PathBuf>> {
        let (events_tx, events_rx) = std::sync::mpsc::channel();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || batches(&events_rx, &tx));
        send(&events_tx);
        drop(events_tx);
        thread.join().expect("the batching thread");
        rx.into_iter().collect()
    }

    #[test]
    fn a_burst_of_events_is_one_batch_and_a_later_one_another() {
        let batches = batches_of(|tx| {
            // A save: the temporary file written, then renamed.
            tx.send(modified("/site/content/a.md.tmp")).unwrap();
            tx.send(event(
                EventKind::Access(notify::event::AccessKind::Close(
                    notify::event::AccessMode::Write,
                )),
                "/site/content/read.md",
            ))
            .unwrap();
            tx.send(Err(notify::Error::generic("overflow"))).unwrap();
            tx.send(modified("/site/content/a.md")).unwrap();
            std::thread::sleep(DEBOUNCE * 5);
            // Sent as the watcher stops: still handed on.
            tx.send(modified("/site/content/b.md")).unwrap();
        });
        let expected: [&[&str]; 2] = [
            &["/site/content/a.md.tmp", "/site/content/a.md"],
            &["/site/content/b.md"],
        ];
        let expected: Vec<Vec<PathBuf>> = expected
            .iter()
            .map(|b| b.iter().map(PathBuf::from).collect())
            .collect();
        assert_eq!(batches, expected);
    }

    #[test]
    fn files_that_never_go_quiet_are_handed_on_all_the_same() {
        let batches = batches_of(|tx| {
            let began = Instant::now();
            while began.elapsed() < LONGEST_WAIT * 3 {
                tx.send(modified("/site/content/log.md")).unwrap();
                std::thread::sleep(DEBOUNCE / 5);
            }
        });
        assert!(batches.len() >= 2, "{} batches", batches.len());
    }

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
