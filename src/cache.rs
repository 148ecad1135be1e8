//! Where handout keeps what it can make again: serve's previews, processed
//! pictures and share cards, check's readability scores. Deleting it costs
//! only time. And how a file is known without reading it, which the
//! picture cache and the build's fingerprint both need.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// `handout/` in the user's cache folder (`~/.cache/handout` on Linux), or
/// in the temporary folder where the system names no cache folder.
pub fn folder() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("handout")
}

/// How long ago a file must have changed for its metadata to stand for its
/// bytes. Any write moves a file's change time (`ctime`), which no tool can
/// set back; but the time is kept in ticks (a few milliseconds; two
/// seconds on FAT), so a write in the tick the fingerprint was taken in
/// could leave it as it was. A file that changed this recently is hashed by
/// its bytes instead, as git does with its "racily clean" files.
pub const SETTLED: Duration = Duration::from_secs(3);

/// What a file is without reading it: where it is on its disk, its size,
/// and when it and its metadata last changed (seconds and nanoseconds
/// each). A save that replaces the file changes the place; one that writes
/// into it, the change time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Identity {
    device: u64,
    inode: u64,
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Identity {
    /// The identity of the file `meta` describes, if it has settled: it
    /// last changed at least [`SETTLED`] before `now`. A time after `now`
    /// (a clock set back) has not settled either.
    #[cfg(unix)]
    pub fn settled(meta: &std::fs::Metadata, now: SystemTime) -> Option<Identity> {
        use std::os::unix::fs::MetadataExt;
        let nanos = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        let latest =
            nanos(meta.mtime(), meta.mtime_nsec()).max(nanos(meta.ctime(), meta.ctime_nsec()));
        let settled_before = now
            .checked_sub(SETTLED)?
            .duration_since(SystemTime::UNIX_EPOCH);
        (latest < settled_before.ok()?.as_nanos() as i128).then(|| Identity {
            device: meta.dev(),
            inode: meta.ino(),
            size: meta.size(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        })
    }

    /// Without change times, no file's metadata stands for its bytes.
    #[cfg(not(unix))]
    pub fn settled(_: &std::fs::Metadata, _: SystemTime) -> Option<Identity> {
        None
    }
}
