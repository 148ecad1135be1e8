//! Watching the site's files: `site.yaml`, `content/` and `themes/`.
//! Events are gathered until every file in them is written (or, while one
//! is not, until the files are quiet), so an editor's save arrives as one
//! change; every batch is rebuilt on one thread, in order.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use rustc_hash::FxHashSet;

use super::{failed, report, report_later, Shared};
use crate::incremental::{classify, ChangeKind, Held, Live};

/// How long a batch waits for quiet while a file of the site in it is
/// still being written (no close after its last write) or was moved away
/// (editors move the old file aside, then write the new one). Short,
/// because every millisecond here is a millisecond before the page
/// reloads; an editor's save takes well under it.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// How long a batch waits for more once every file of the site in it is
/// written (closed after writing, moved into place or deleted): the rest
/// of a change to several files, whose events come microseconds apart.
/// A save no longer waits the whole [`DEBOUNCE`] for its reload.
const SETTLED: Duration = Duration::from_millis(2);

/// The longest a batch waits for quiet: files that keep changing (a tool
/// writing for seconds) do not hold back a save beside them.
const LONGEST_WAIT: Duration = Duration::from_millis(100);

/// How long [`batches`] waits, as above (tests use others).
#[derive(Debug, Clone, Copy)]
struct Waits {
    writing: Duration,
    settled: Duration,
    longest: Duration,
}

const WAITS: Waits = Waits {
    writing: DEBOUNCE,
    settled: SETTLED,
    longest: LONGEST_WAIT,
};

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
    std::thread::spawn(move || batches(&events_rx, &tx, WAITS));
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

/// Hands on the paths of each burst of events: once every file of the
/// site in it is written and [`Waits::settled`] passes with no more, or
/// once none has come for [`Waits::writing`] while some file is not (or
/// after [`Waits::longest`]). It waits on the channel, so a batch goes the
/// moment it can, and an idle watcher never wakes.
fn batches(events: &Receiver<notify::Result<Event>>, out: &Sender<Vec<PathBuf>>, waits: Waits) {
    while let Ok(first) = events.recv() {
        let began = Instant::now();
        let mut batch = Batch::default();
        batch.add(first);
        let open = loop {
            let quiet = if batch.writing.is_empty() {
                waits.settled
            } else {
                waits.writing
            };
            let wait = waits.longest.saturating_sub(began.elapsed()).min(quiet);
            match events.recv_timeout(wait) {
                Ok(event) => batch.add(event),
                Err(RecvTimeoutError::Timeout) => break true,
                Err(RecvTimeoutError::Disconnected) => break false,
            }
        };
        if !batch.paths.is_empty() && out.send(batch.paths).is_err() || !open {
            return;
        }
    }
}

/// What an event leaves its files as.
#[derive(Clone, Copy)]
enum Leaves {
    /// Closed after writing, moved into place, or deleted.
    Written,
    /// Written to and not closed yet, made, or moved away (an editor may
    /// write a new file in its place).
    Writing,
    AsTheyWere,
}

/// The paths of a burst of events, and which files of the site in it are
/// not written yet.
#[derive(Default)]
struct Batch {
    paths: Vec<PathBuf>,
    writing: FxHashSet<PathBuf>,
}

impl Batch {
    /// Takes an event: its paths, unless it only read or closed them (the
    /// watcher's errors and rescans name none).
    fn add(&mut self, event: notify::Result<Event>) {
        let Ok(event) = event else {
            return;
        };
        let leaves = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                for path in &event.paths {
                    self.writing.remove(path);
                }
                return;
            }
            EventKind::Access(_) => return,
            EventKind::Modify(ModifyKind::Name(RenameMode::To)) | EventKind::Remove(_) => {
                Leaves::Written
            }
            // The same files as the rename's own `From` and `To`; a mode
            // or time set, not the text.
            EventKind::Modify(ModifyKind::Name(RenameMode::Both) | ModifyKind::Metadata(_)) => {
                Leaves::AsTheyWere
            }
            _ => Leaves::Writing,
        };
        for path in event.paths {
            // Swap and temporary files never hold a save back.
            let of_site = path
                .file_name()
                .is_some_and(|name| !crate::content::is_ignored(&name.to_string_lossy()));
            match leaves {
                Leaves::Written if of_site => {
                    self.writing.remove(&path);
                }
                Leaves::Writing if of_site => {
                    self.writing.insert(path.clone());
                }
                _ => {}
            }
            self.paths.push(path);
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

    fn closed(path: &str) -> notify::Result<Event> {
        event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            path,
        )
    }

    fn renamed(mode: RenameMode, path: &str) -> notify::Result<Event> {
        event(EventKind::Modify(ModifyKind::Name(mode)), path)
    }

    fn paths(batches: &[&[&str]]) -> Vec<Vec<PathBuf>> {
        batches
            .iter()
            .map(|b| b.iter().map(PathBuf::from).collect())
            .collect()
    }

    /// The batches `send` makes of its events, once it returns.
    fn batches_of(
        waits: Waits,
        send: impl FnOnce(&Sender<notify::Result<Event>>),
    ) -> Vec<Vec<PathBuf>> {
        let (events_tx, events_rx) = std::sync::mpsc::channel();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || batches(&events_rx, &tx, waits));
        send(&events_tx);
        drop(events_tx);
        thread.join().expect("the batching thread");
        rx.into_iter().collect()
    }

    #[test]
    fn a_burst_of_events_is_one_batch_and_a_later_one_another() {
        let batches = batches_of(WAITS, |tx| {
            // A save still being written, beside a file read and closed.
            tx.send(modified("/site/content/a.md")).unwrap();
            tx.send(event(
                EventKind::Access(AccessKind::Close(AccessMode::Read)),
                "/site/content/read.md",
            ))
            .unwrap();
            tx.send(Err(notify::Error::generic("overflow"))).unwrap();
            tx.send(modified("/site/content/a.md.tmp")).unwrap();
            std::thread::sleep(DEBOUNCE * 5);
            // Sent as the watcher stops: still handed on.
            tx.send(modified("/site/content/b.md")).unwrap();
        });
        assert_eq!(
            batches,
            paths(&[
                &["/site/content/a.md", "/site/content/a.md.tmp"],
                &["/site/content/b.md"],
            ])
        );
    }

    #[test]
    fn files_that_never_go_quiet_are_handed_on_all_the_same() {
        let batches = batches_of(WAITS, |tx| {
            let began = Instant::now();
            while began.elapsed() < LONGEST_WAIT * 3 {
                tx.send(modified("/site/content/log.md")).unwrap();
                std::thread::sleep(DEBOUNCE / 5);
            }
        });
        assert!(batches.len() >= 2, "{} batches", batches.len());
    }

    /// Waits that tell "handed on once written" from "handed on once
    /// quiet" whatever the machine's speed: quiet takes a minute.
    const ONLY_WRITTEN: Waits = Waits {
        writing: Duration::from_secs(60),
        settled: Duration::from_millis(1),
        longest: Duration::from_secs(60),
    };

    #[test]
    fn a_save_is_handed_on_once_written_without_waiting_for_quiet() {
        let (events_tx, events_rx) = std::sync::mpsc::channel();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || batches(&events_rx, &tx, ONLY_WRITTEN));
        let saves = [
            // Written in place.
            vec![modified("/site/content/a.md"), closed("/site/content/a.md")],
            // Written beside it, then moved over it.
            vec![
                modified("/site/content/.a.md.tmp"),
                closed("/site/content/.a.md.tmp"),
                renamed(RenameMode::From, "/site/content/.a.md.tmp"),
                renamed(RenameMode::To, "/site/content/a.md"),
            ],
            // Deleted.
            vec![event(
                EventKind::Remove(notify::event::RemoveKind::File),
                "/site/content/a.md",
            )],
            // An editor's swap file changed beside the save.
            vec![
                modified("/site/content/.a.md.swp"),
                modified("/site/content/a.md"),
                closed("/site/content/a.md"),
            ],
        ];
        for save in saves {
            for e in save {
                events_tx.send(e).unwrap();
            }
            // A temporary file may go in a batch of its own before it.
            let saved = PathBuf::from("/site/content/a.md");
            while !rx
                .recv_timeout(Duration::from_secs(10))
                .expect("handed on long before the files are quiet")
                .contains(&saved)
            {}
        }
    }

    #[test]
    fn a_file_being_written_or_moved_away_holds_its_batch_until_quiet() {
        let batches = batches_of(ONLY_WRITTEN, |tx| {
            // Still open (no close after the write), beside a saved file.
            tx.send(modified("/site/content/log.md")).unwrap();
            std::thread::sleep(Duration::from_millis(20));
            tx.send(modified("/site/content/b.md")).unwrap();
            tx.send(closed("/site/content/b.md")).unwrap();
        });
        assert_eq!(batches.len(), 1, "{batches:?}");
        // An editor's save that moves the old file aside first: one
        // batch, once the new file is written.
        let batches = batches_of(ONLY_WRITTEN, |tx| {
            tx.send(renamed(RenameMode::From, "/site/content/a.md"))
                .unwrap();
            tx.send(renamed(RenameMode::To, "/site/content/a.md~"))
                .unwrap();
            std::thread::sleep(Duration::from_millis(20));
            tx.send(event(
                EventKind::Create(notify::event::CreateKind::File),
                "/site/content/a.md",
            ))
            .unwrap();
            tx.send(closed("/site/content/a.md")).unwrap();
        });
        assert_eq!(
            batches,
            paths(&[&[
                "/site/content/a.md",
                "/site/content/a.md~",
                "/site/content/a.md"
            ]])
        );
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
