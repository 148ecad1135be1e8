//! Stage 6 of the build: write everything into a staging folder beside the
//! output, then swap it into place, so a failed build never leaves a half
//! written site and never touches a folder handout did not create.

use rustc_hash::FxHashSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
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
/// that becomes the output on [`Staging::finish`], in one atomic step (see
/// [`swap`]). Dropped unfinished, it removes itself and the output is
/// untouched; killed, it leaves a folder the next build removes.
///
/// Over an earlier output, only files whose bytes differ are written; the
/// others are hard links to the earlier output's files, so they keep their
/// bytes and their modification time (a rebuild with no change writes
/// nothing new, and a host syncing the folder uploads only what changed).
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// The earlier output's files are compared with and linked.
    earlier: bool,
    /// Every file this build makes, staged or already in place, with its
    /// size: the build's record is made from it, without walking the output.
    made: Mutex<Vec<(String, u64)>>,
    /// How many files were written: changed or new. (Their names were
    /// kept for the count alone: 10 MB at 50k.)
    staged: AtomicUsize,
    /// Folders of the staging folder made so far, from it: a file put in
    /// one of them needs no `create_dir_all`, which costs a failed
    /// `mkdir` and a `stat` of the whole path (half the files at 10k go
    /// into a folder made before, 4,907 of them into `search/en/d/`).
    folders: Mutex<std::collections::HashSet<PathBuf>>,
    /// A cached file could not be linked here (the cache is on another
    /// file system): the others are copied without trying, by `copies`.
    no_links: std::sync::atomic::AtomicBool,
    /// The copies of cached files across file systems, made apart from
    /// the render threads (see [`Copies`]); started at the first (none
    /// if no thread could be started: then each is copied in place).
    copies: std::sync::OnceLock<Option<Copies>>,
    /// Held while this build runs: a staging folder whose lock is free
    /// belongs to a build that died, and is removed.
    lock: Option<(std::fs::File, PathBuf)>,
    finished: bool,
}

/// What finishing a build changed in the output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub written: usize,
    pub removed: usize,
}

/// The prefix of staging folders (and their lock files) beside `out`.
fn staging_prefix(name: &str) -> String {
    format!(".{name}.handout-staging-")
}

impl Staging {
    /// Checks the output folder may be replaced, removes what builds that
    /// died left beside it, and makes the staging folder.
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
        remove_abandoned(&parent, &name);
        let stem = format!("{}{}", staging_prefix(&name), std::process::id());
        // The lock first: a folder without a held lock is abandoned.
        let lock_path = parent.join(format!("{stem}.lock"));
        let lock = std::fs::File::create(&lock_path).map_err(io(&lock_path))?;
        // Two builds of one process (serve and a test, say) cannot share it.
        if lock.try_lock().is_err() {
            return Err(Diagnostic::new(
                Place::file(display_path(out)),
                "another build is writing this output folder: wait for it to finish",
            ));
        }
        let dir = parent.join(stem);
        let staging = Staging {
            earlier: out.join(MARKER).is_file(),
            out: out.to_path_buf(),
            dir,
            made: Mutex::new(Vec::new()),
            staged: AtomicUsize::new(0),
            folders: Mutex::new(std::collections::HashSet::new()),
            no_links: std::sync::atomic::AtomicBool::new(false),
            copies: std::sync::OnceLock::new(),
            lock: Some((lock, lock_path)),
            finished: false,
        };
        if staging.dir.exists() {
            std::fs::remove_dir_all(&staging.dir).map_err(io(&staging.dir))?;
        }
        std::fs::create_dir_all(&staging.dir).map_err(io(&staging.dir))?;
        Ok(staging)
    }

    /// Copies the theme's static files and the content's assets.
    pub fn copy(&self, theme: &Theme, assets: &[Asset]) -> Result<usize, Errors> {
        let copies: Vec<(&str, Source)> = theme
            .statics
            .iter()
            .map(|(rel, file)| (rel.as_str(), Source::Theme(file)))
            .chain(assets.iter().map(|a| {
                let source = match a.cached {
                    true => Source::Cached(&a.source),
                    false => Source::Path(&a.source),
                };
                (a.rel.as_str(), source)
            }))
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
        let earlier = self.out.join(rel);
        let in_output = |error| named_in_output(error, &self.dir, &earlier);
        self.make_folder(rel).map_err(in_output)?;
        let size = match self.earlier.then(|| unchanged(&earlier, source)).flatten() {
            Some(size) => {
                link_or_copy(&earlier, &self.dir.join(rel))?;
                size
            }
            None => {
                let size = match source {
                    Source::Cached(path) if self.no_links.load(Ordering::Relaxed) => {
                        match self.copy_across(path, rel, &earlier).map_err(in_output)? {
                            Some(size) => size,
                            // Counted once the copying threads are done.
                            None => return Ok(()),
                        }
                    }
                    _ => write_one(&self.dir, rel, source, &self.no_links).map_err(in_output)?,
                };
                self.staged.fetch_add(1, Ordering::Relaxed);
                size
            }
        };
        if let Ok(mut made) = self.made.lock() {
            made.push((rel.to_string(), size));
        }
        Ok(())
    }

    /// Copies cached file `path` (its cache on another file system) to
    /// `rel`: here when its bytes are in the page cache, else by the
    /// copying threads (see [`Copies`]), so that no render thread waits on
    /// the disk. `None` when it went to them.
    fn copy_across(
        &self,
        path: &Path,
        rel: &str,
        earlier: &Path,
    ) -> Result<Option<u64>, Diagnostic> {
        let (source, size) = open_cached(path)?;
        let target = self.dir.join(rel);
        if crate::error::first_byte_cached(&source) {
            return send_file(&source, size, &target).map(Some);
        }
        match self.copies.get_or_init(Copies::start) {
            Some(copies) => {
                copies.copy(CopyJob {
                    source,
                    size,
                    dir: self.dir.clone(),
                    rel: rel.to_string(),
                    earlier: earlier.to_path_buf(),
                });
                Ok(None)
            }
            None => send_file(&source, size, &target).map(Some),
        }
    }

    /// Makes the folder file `rel` goes in, unless it was made before.
    fn make_folder(&self, rel: &str) -> Result<(), Diagnostic> {
        let Some(folder) = Path::new(rel).parent() else {
            return Ok(());
        };
        let made = self.folders.lock().is_ok_and(|made| made.contains(folder));
        if folder.as_os_str().is_empty() || made {
            return Ok(());
        }
        let dir = self.dir.join(folder);
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        if let Ok(mut folders) = self.folders.lock() {
            folders.insert(folder.to_path_buf());
        }
        Ok(())
    }

    /// Writes the marker (what `record` writes, given every file made,
    /// or a plain note if it writes nothing: it says whether it wrote)
    /// and makes the folder the output in one step; returns what changed.
    pub fn finish(
        mut self,
        record: impl FnOnce(&[(String, u64)], &mut dyn Write) -> std::io::Result<bool>,
    ) -> Result<Changes, Errors> {
        if let Some(copies) = self.copies.take().flatten() {
            let copied = copies.wait()?;
            self.staged.fetch_add(copied.len(), Ordering::Relaxed);
            self.made
                .lock()
                .map_err(|_| poisoned(&self.dir))?
                .extend(copied);
        }
        let mut files = std::mem::take(&mut *self.made.lock().map_err(|_| poisoned(&self.dir))?);
        files.sort_unstable();
        let removed = if self.earlier {
            stale_count(&self.out, &files)
        } else {
            0
        };
        let marker = self.dir.join(MARKER);
        write_synced(&marker, |out| {
            if !record(&files, out)? {
                out.write_all(MARKER_TEXT.as_bytes())?;
            }
            Ok(())
        })
        .map_err(io(&marker))?;
        swap(&self.out, &self.dir)?;
        // The staging folder's name now holds the earlier output; Drop
        // removes it.
        self.finished = true;
        Ok(Changes {
            written: self.staged.load(Ordering::Relaxed),
            removed,
        })
    }
}

/// Removes what builds of `out` that were killed left beside it (see
/// [`Staging`]). Best effort; a build that is skipped runs it too.
pub fn remove_abandoned_beside(out: &Path) {
    let (Some(name), Some(parent)) = (out.file_name(), out.parent()) else {
        return;
    };
    let parent = match parent.as_os_str().is_empty() {
        true => Path::new("."),
        false => parent,
    };
    remove_abandoned(parent, &name.to_string_lossy());
}

/// Removes the staging folders (and lock files) of builds of `name` that
/// are no longer running: their lock is free. Best effort.
fn remove_abandoned(parent: &Path, name: &str) {
    let prefix = staging_prefix(name);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(stem) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        if stem.ends_with(".lock") {
            continue;
        }
        let dir = entry.path();
        // `<pid>`, or `<pid>.old` (see `swap`): the lock is the pid's.
        let pid: String = stem.chars().take_while(char::is_ascii_digit).collect();
        let lock_path = parent.join(format!("{prefix}{pid}.lock"));
        let abandoned = match std::fs::File::open(&lock_path) {
            // Free, so its build is gone; held until the folder is removed.
            Ok(lock) => lock.try_lock().is_ok(),
            Err(err) => err.kind() == std::io::ErrorKind::NotFound,
        };
        if abandoned {
            let _ = std::fs::remove_dir_all(&dir);
            let _ = std::fs::remove_file(&lock_path);
        }
    }
    // Lock files whose folder is gone (a build killed between the two).
    if let Ok(entries) = std::fs::read_dir(parent) {
        for entry in entries.flatten() {
            let path = entry.path();
            let is_lock = entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".lock"));
            if is_lock && !path.with_extension("").exists() {
                if let Ok(lock) = std::fs::File::open(&path) {
                    if lock.try_lock().is_ok() {
                        let _ = std::fs::remove_file(&path);
                    }
                }
            }
        }
    }
}

/// How many files of the earlier output `out` (but the marker) the new
/// one, `files`, no longer has.
fn stale_count(out: &Path, files: &[(String, u64)]) -> usize {
    let made: FxHashSet<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .filter(|e| {
            e.path().strip_prefix(out).is_ok_and(|rel| {
                let rel = display_path(rel);
                rel != MARKER && !made.contains(rel.as_str())
            })
        })
        .count()
}

/// Puts the earlier output's file `from` at `to` in the staging folder: a
/// hard link (same bytes, same modification time, no copy), or where the
/// file system has none, a copy with the same modification time. Its
/// folder is made already.
fn link_or_copy(from: &Path, to: &Path) -> Result<(), Diagnostic> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to).map_err(io(to))?;
    if let Ok(modified) = std::fs::metadata(from).and_then(|m| m.modified()) {
        let _ = std::fs::File::options()
            .write(true)
            .open(to)
            .and_then(|f| f.set_modified(modified));
    }
    Ok(())
}

/// Writes `bytes` to `path` and waits for them to reach the disk.
fn write_synced(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    write(&mut out)?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()
}

/// Rendering writes straight into the staging folder.
impl Sink for Staging {
    /// Writes one file; safe to call from many threads.
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.stage(rel, &Source::Bytes(bytes))
    }

    fn put_cached(&self, rel: &str, cached: &Path) -> Result<(), Diagnostic> {
        self.stage(rel, &Source::Cached(cached))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Copies still being made would write into the folder removed.
        if let Some(copies) = self.copies.take().flatten() {
            let _ = copies.wait();
        }
        // Unfinished, the staging folder; finished, the earlier output,
        // swapped out. Never the output. Best effort: a folder left here is
        // removed by the next build, once the lock is free.
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((lock, path)) = self.lock.take() {
            let _ = std::fs::remove_file(&path);
            drop(lock);
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
        Source::Cached(from) => {
            // Linked from the cache by the last build: the same file.
            if same_file(&meta, &std::fs::metadata(from).ok()?) {
                return Some(meta.len());
            }
            same(&std::fs::read(from).ok()?)
        }
        Source::Theme(file) => same(&file.read().ok()?),
    }
}

enum Source<'a> {
    Theme(&'a crate::theme::ThemeFile),
    Path(&'a Path),
    /// A file of handout's cache, never changed in place: linked, not
    /// copied, where the file system allows.
    Cached(&'a Path),
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

/// Cached files (share cards, pictures) not in the page cache, copied
/// into the staging folder from the cache's file system by threads of
/// their own. Each such copy waits on the disk, and a render thread
/// waiting on it left a core idle: at 10k, with the cards' cache out of
/// the page cache, a build took 2.2 s against 1.3 s warm. With the
/// copies in flight on eight threads while the pages render, the disk
/// serves several at once and no render thread waits: 1.7 s. The threads
/// block on their queue (a thread pool's idle threads spin, which cost a
/// warm build 11% of its CPU), and a cached file goes to them only when
/// it is not in the page cache.
struct Copies {
    jobs: std::sync::mpsc::Sender<CopyJob>,
    workers: Vec<std::thread::JoinHandle<()>>,
    /// In a mutex only to be shared: `wait` alone reads it.
    done: Mutex<std::sync::mpsc::Receiver<Result<(String, u64), Diagnostic>>>,
    started: AtomicUsize,
}

/// One copy for [`Copies`]: the cached file, open, to file `rel` of the
/// staging folder `dir`; an error names its place in the output,
/// `earlier`.
struct CopyJob {
    source: std::fs::File,
    size: u64,
    dir: PathBuf,
    rel: String,
    earlier: PathBuf,
}

/// How many cached files are copied at once.
const COPIERS: usize = 8;

impl Copies {
    /// The copying threads, or none if none could be started.
    fn start() -> Option<Copies> {
        let (jobs, queue) = std::sync::mpsc::channel::<CopyJob>();
        let queue = std::sync::Arc::new(Mutex::new(queue));
        let (sent, done) = std::sync::mpsc::channel();
        let mut workers = Vec::new();
        for _ in 0..COPIERS {
            let (queue, sent) = (queue.clone(), sent.clone());
            let worker = std::thread::Builder::new()
                .name("handout-copy".into())
                .spawn(move || loop {
                    let job = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = job else { return };
                    let copied = send_file(&job.source, job.size, &job.dir.join(&job.rel))
                        .map(|size| (job.rel, size))
                        .map_err(|error| named_in_output(error, &job.dir, &job.earlier));
                    if sent.send(copied).is_err() {
                        return;
                    }
                });
            match worker {
                Ok(worker) => workers.push(worker),
                Err(_) => break,
            }
        }
        (!workers.is_empty()).then(|| Copies {
            jobs,
            workers,
            done: Mutex::new(done),
            started: AtomicUsize::new(0),
        })
    }

    fn copy(&self, job: CopyJob) {
        self.started.fetch_add(1, Ordering::Relaxed);
        // The workers outlive the queue's sender (`wait` drops it first).
        let _ = self.jobs.send(job);
    }

    /// Waits for every copy: the files copied, with their sizes, or what
    /// went wrong.
    fn wait(self) -> Result<Vec<(String, u64)>, Errors> {
        let Copies {
            jobs,
            workers,
            done,
            started,
        } = self;
        // The queue closed: each worker ends once it is empty.
        drop(jobs);
        let whole = workers.into_iter().all(|worker| worker.join().is_ok());
        let done = done.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut copied = Vec::new();
        let mut errors = Errors::default();
        for result in done.try_iter() {
            match result {
                Ok(file) => copied.push(file),
                Err(error) => errors.push(error),
            }
        }
        if !whole || copied.len() + errors.len() < started.into_inner() {
            errors.push(Diagnostic::new(
                Place::file(Path::new("")),
                "a thread copying cached files failed; the output was left as it was",
            ));
        }
        errors.into_result(copied)
    }
}

/// `error`, about a file of the staging folder `dir`, named by its place in
/// the output, `earlier`.
fn named_in_output(mut error: Diagnostic, dir: &Path, earlier: &Path) -> Diagnostic {
    if error.place.path.starts_with(dir) {
        error.place = Place::file(display_path(earlier));
    }
    error
}

/// Writes one file into the staging folder; returns its size.
fn write_one(
    staging: &Path,
    rel: &str,
    source: &Source,
    no_links: &std::sync::atomic::AtomicBool,
) -> Result<u64, Diagnostic> {
    // Its folder was made by `Staging::make_folder`.
    let target = staging.join(rel);
    let write = |bytes: &[u8]| {
        std::fs::write(&target, bytes)
            .map(|()| bytes.len() as u64)
            .map_err(io(&target))
    };
    match source {
        Source::Bytes(bytes) => write(bytes),
        Source::Path(path) => std::fs::copy(path, &target).map_err(io(path)),
        Source::Cached(path) => {
            use std::sync::atomic::Ordering::Relaxed;
            if !no_links.load(Relaxed) {
                if std::fs::hard_link(path, &target).is_ok() {
                    return std::fs::metadata(&target)
                        .map(|m| m.len())
                        .map_err(io(&target));
                }
                // Another file system (the cache on disk, the output on a
                // tmpfs) cannot link: then a copy, of every cached file.
                no_links.store(true, Relaxed);
            }
            copy_cached(path, &target)
        }
        Source::Theme(file) => write(&file.read().map_err(io(&file.shown))?),
    }
}

/// Copies a cached file (a share card, about 16 KB) from the cache's file
/// system to the output's. On Linux the kernel moves the bytes
/// (`sendfile`), never through handout's memory: six system calls and one
/// copy, against `fs::copy`'s ten (it tries `copy_file_range` first, which
/// fails across file systems, and sets the permissions) or a read and a
/// write's seven and two copies.
fn copy_cached(path: &Path, target: &Path) -> Result<u64, Diagnostic> {
    let (source, size) = open_cached(path)?;
    send_file(&source, size, target)
}

/// A cached file, open, and its size. Never waiting on a FIFO someone
/// left in the cache: it is refused.
fn open_cached(path: &Path) -> Result<(std::fs::File, u64), Diagnostic> {
    #[cfg(unix)]
    let (source, meta) = crate::error::open_regular(path, crate::error::Links::Follow)
        .map_err(|err| io(path)(err.into()))?;
    #[cfg(not(unix))]
    let (source, meta) = {
        let source = std::fs::File::open(path).map_err(io(path))?;
        let meta = source.metadata().map_err(io(path))?;
        if !meta.is_file() {
            let kind = crate::error::NotRead::Kind(meta.file_type());
            return Err(io(path)(kind.into()));
        }
        (source, meta)
    };
    Ok((source, meta.len()))
}

/// Copies the open file `source` (`size` bytes) to a new file `target`:
/// on Linux, by `sendfile`.
#[cfg(target_os = "linux")]
fn send_file(source: &std::fs::File, size: u64, target: &Path) -> Result<u64, Diagnostic> {
    let out = std::fs::File::create(target).map_err(io(target))?;
    let mut sent = 0;
    while sent < size {
        let left = usize::try_from(size - sent).unwrap_or(usize::MAX);
        match rustix::fs::sendfile(&out, source, None, left) {
            // The file shrank meanwhile: what it held is copied.
            Ok(0) => break,
            Ok(n) => sent += n as u64,
            Err(rustix::io::Errno::INTR) => {}
            Err(errno) => return Err(io(target)(errno.into())),
        }
    }
    Ok(sent)
}

/// Elsewhere: read and written whole.
#[cfg(not(target_os = "linux"))]
fn send_file(source: &std::fs::File, size: u64, target: &Path) -> Result<u64, Diagnostic> {
    use std::io::Read;
    let mut bytes = Vec::new();
    source
        .take(size)
        .read_to_end(&mut bytes)
        .map_err(io(target))?;
    std::fs::write(target, &bytes).map_err(io(target))?;
    Ok(bytes.len() as u64)
}

/// Whether two files' metadata are of one file (hard links).
#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// Makes `staging` the output `out`; the earlier output, if any, ends up
/// at `staging`'s path. On Linux one `renameat2(RENAME_EXCHANGE)` swaps the
/// two folders atomically: a reader sees the whole earlier output or the
/// whole new one, never neither. Where that is missing (another system, or
/// a file system without it), two renames: the earlier output is moved
/// aside and the new one in, so for the moment between them there is no
/// output folder (a reader then gets "not found", never a partial file).
fn swap(out: &Path, staging: &Path) -> Result<(), Errors> {
    if std::fs::symlink_metadata(out).is_err() {
        std::fs::rename(staging, out).map_err(io(out))?;
        return Ok(());
    }
    if exchange(staging, out).map_err(io(out))? {
        return Ok(());
    }
    let mut aside = staging.as_os_str().to_owned();
    aside.push(".old");
    let aside = PathBuf::from(aside);
    if aside.exists() {
        std::fs::remove_dir_all(&aside).map_err(io(&aside))?;
    }
    std::fs::rename(out, &aside).map_err(io(out))?;
    if let Err(source) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(Diagnostic::io(Place::file(display_path(out)), "cannot write", source).into());
    }
    // Where Drop looks for it.
    std::fs::rename(&aside, staging).map_err(io(staging))?;
    Ok(())
}

/// Swaps two paths atomically: `Ok(false)` when the system or the file
/// system cannot (then nothing changed).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // An old kernel, or a file system without exchange.
        Err(Errno::NOSYS | Errno::INVAL | Errno::OPNOTSUPP) => Ok(false),
        Err(errno) => Err(errno.into()),
    }
}

/// Elsewhere: two renames (see `swap`).
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}
