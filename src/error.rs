//! The base of every stage: where a problem is ([`Place`]), the problem
//! itself ([`Diagnostic`]), and the list of every problem one run found
//! ([`Errors`]). This module knows nothing of the stages above it: each
//! stage returns diagnostics, and they are turned into text once, at the
//! command line's edge (and in serve's overlay).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file in the site (relative to the site root), with a line and column
/// when the input has them. Displays as `content/a.md:7:1`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Place {
    /// A whole file, with no line.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Place {
            path: path.into(),
            line: None,
            column: None,
        }
    }

    /// A line (and optional column) in a file.
    pub fn at(path: impl Into<PathBuf>, line: usize, column: Option<usize>) -> Self {
        Place {
            path: path.into(),
            line: Some(line),
            column,
        }
    }

    /// The same file at another line.
    pub fn with_line(&self, line: usize, column: Option<usize>) -> Self {
        Place::at(self.path.clone(), line, column)
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", display_path(&self.path))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// Forward slashes on every platform, so messages and tests read the same.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// What kind of thing a file system entry is, for messages: "a FIFO
/// (named pipe)", "a symbolic link"...
pub fn file_kind(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device file";
        }
    }
    if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_file() {
        "a file"
    } else {
        "not a regular file"
    }
}

/// Reads a whole file the user named, following symbolic links, but only
/// a regular file: a FIFO would block the build forever and a device
/// (`/dev/zero`) never end.
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    read_file(path, Links::Follow).map_err(std::io::Error::from)
}

/// Whether [`read_file`] follows a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    Follow,
    Refuse,
}

/// Why [`read_file`] read nothing.
#[derive(Debug)]
pub enum NotRead {
    Io(std::io::Error),
    /// What is there instead of a regular file.
    Kind(std::fs::FileType),
}

impl From<NotRead> for std::io::Error {
    fn from(err: NotRead) -> Self {
        match err {
            NotRead::Io(err) => err,
            NotRead::Kind(kind) => std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("it is {}, not a regular file", file_kind(kind)),
            ),
        }
    }
}

/// A regular file opened for reading, with its metadata from the open
/// file: never waiting on a FIFO (`O_NONBLOCK`), and a link refused
/// (`O_NOFOLLOW`) when `links` says so.
#[cfg(unix)]
pub fn open_regular(
    path: &Path,
    links: Links,
) -> Result<(std::fs::File, std::fs::Metadata), NotRead> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY;
    if links == Links::Refuse {
        flags |= libc::O_NOFOLLOW;
    }
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(path);
    let file = match opened {
        Ok(file) => file,
        // A symbolic link refused: say that it is one.
        Err(err) if links == Links::Refuse && err.raw_os_error() == Some(libc::ELOOP) => {
            return Err(match std::fs::symlink_metadata(path) {
                Ok(meta) => NotRead::Kind(meta.file_type()),
                Err(_) => NotRead::Io(err),
            });
        }
        Err(err) => return Err(NotRead::Io(err)),
    };
    let meta = file.metadata().map_err(NotRead::Io)?;
    if !meta.is_file() {
        return Err(NotRead::Kind(meta.file_type()));
    }
    Ok((file, meta))
}

/// A regular file's bytes. On Unix: one open (never waiting on a FIFO), a
/// `fstat` of the open file, and reads up to the size it gave, with no
/// read to find the end: against a `stat` by name, an open, a `fstat` and
/// two reads or more for a check and `fs::read` (10k articles are read
/// twice in a build).
pub fn read_file(path: &Path, links: Links) -> Result<Vec<u8>, NotRead> {
    #[cfg(unix)]
    {
        use std::io::Read;
        let (file, meta) = open_regular(path, links)?;
        // The size read then: a file growing meanwhile is read as it was.
        // `read_to_end` reads 8 KB at first, doubling: one read for most
        // articles, two for a share card. Zeroed room of the whole size,
        // to read in one call, was 40 M more instructions (callgrind, 1k
        // corpus) to save under half a read a file. The room asked for is
        // capped, the size being only a hint.
        let size = meta.len();
        let mut bytes = Vec::with_capacity(usize::try_from(size.min(1 << 26)).unwrap_or(0));
        file.take(size)
            .read_to_end(&mut bytes)
            .map_err(NotRead::Io)?;
        Ok(bytes)
    }
    #[cfg(not(unix))]
    {
        let meta = match links {
            Links::Follow => std::fs::metadata(path),
            Links::Refuse => std::fs::symlink_metadata(path),
        }
        .map_err(NotRead::Io)?;
        if !meta.is_file() {
            return Err(NotRead::Kind(meta.file_type()));
        }
        std::fs::read(path).map_err(NotRead::Io)
    }
}

/// How many of `paths` have left the page cache, so that reading them
/// waits on the disk (a cold build), and how many were checked. On Linux
/// each file's first byte is read with `RWF_NOWAIT`, which fails rather
/// than wait; elsewhere, or a file that cannot be opened, counts as
/// cached.
pub fn count_not_cached<'a>(paths: impl IntoIterator<Item = &'a Path>) -> (usize, usize) {
    let mut not_cached = 0;
    let mut checked = 0;
    for path in paths {
        checked += 1;
        not_cached += usize::from(!cached(path));
    }
    (not_cached, checked)
}

/// Whether `path`'s first byte is in the page cache (see
/// [`count_not_cached`]).
fn cached(path: &Path) -> bool {
    #[cfg(unix)]
    {
        match open_regular(path, Links::Follow) {
            Ok((file, _)) => first_byte_cached(&file),
            Err(_) => true,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

/// Whether an open file's first byte is in the page cache: on Linux, read
/// with `RWF_NOWAIT`, which fails rather than wait on the disk; elsewhere
/// always.
pub fn first_byte_cached(file: &std::fs::File) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::io::{preadv2, Errno, ReadWriteFlags};
        let mut byte = [0u8; 1];
        let mut bufs = [std::io::IoSliceMut::new(&mut byte)];
        !matches!(
            preadv2(file, &mut bufs, 0, ReadWriteFlags::NOWAIT),
            Err(Errno::AGAIN)
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = file;
        true
    }
}

/// The 1-based line holding byte `offset` of `bytes`.
pub fn line_of_byte(bytes: &[u8], offset: usize) -> usize {
    let before = bytes.get(..offset).unwrap_or(bytes);
    memchr::memchr_iter(b'\n', before).count() + 1
}

/// One problem: where it is, what is wrong, and optionally what to do and
/// the system error behind it. Displays as
/// `content/a.md:7:1: unknown field titel, did you mean title?`, with the
/// source after a colon and the hint on a line of its own.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub place: Place,
    pub message: String,
    /// What to write or do instead, when the message alone does not say.
    pub hint: Option<String>,
    /// The error from below (the file system, a parser), when there is one.
    pub source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl Diagnostic {
    pub fn new(place: Place, message: impl Into<String>) -> Self {
        Diagnostic {
            place,
            message: message.into(),
            hint: None,
            source: None,
        }
    }

    /// `message` with the I/O error that caused it: `cannot read: <error>`.
    /// A failed read or write, with a hint when the system's error has a
    /// usual cause the user can fix (a full disk, a read-only mount, a
    /// file without permission).
    pub fn io(place: Place, message: impl Into<String>, source: std::io::Error) -> Self {
        use std::io::ErrorKind;
        let hint = match source.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
                Some("the disk is full: free some space, then build again")
            }
            ErrorKind::ReadOnlyFilesystem => Some(
                "this folder is on a read-only file system: make it writable, or choose another folder",
            ),
            ErrorKind::PermissionDenied => {
                Some("you may not read or write this file: check its permissions and owner")
            }
            _ => None,
        };
        Diagnostic {
            source: Some(Arc::new(source)),
            hint: hint.map(String::from),
            ..Diagnostic::new(place, message)
        }
    }

    /// The same diagnostic with a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The message with its source, without the place or the hint.
    pub fn text(&self) -> String {
        match &self.source {
            Some(source) => format!("{}: {source}", self.message),
            None => self.message.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.text())?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Every problem one run found, in the order the stages found them.
#[derive(Debug, Default, Clone)]
pub struct Errors(pub Vec<Diagnostic>);

impl Errors {
    pub fn push(&mut self, error: impl Into<Diagnostic>) {
        self.0.push(error.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    pub fn extend(&mut self, other: Errors) {
        self.0.extend(other.0);
    }

    /// `Ok(value)` when nothing was pushed, else every error.
    pub fn into_result<T>(self, value: T) -> Result<T, Errors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl FromIterator<Diagnostic> for Errors {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Errors(iter.into_iter().collect())
    }
}

impl IntoIterator for Errors {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the kernel holds `path`'s first page (`mincore`), asked
    /// apart from `count_not_cached`.
    #[cfg(target_os = "linux")]
    fn first_page_cached(path: &Path) -> bool {
        use std::os::fd::AsRawFd;
        let file = std::fs::File::open(path).expect("open");
        // SAFETY: a private read-only map of an open file's first page,
        // unmapped before the file is closed; only `mincore` reads it.
        unsafe {
            let map = libc::mmap(
                std::ptr::null_mut(),
                4096,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            );
            assert_ne!(map, libc::MAP_FAILED, "mmap");
            let mut resident = [0u8; 1];
            assert_eq!(
                libc::mincore(map, 4096, resident.as_mut_ptr()),
                0,
                "mincore"
            );
            libc::munmap(map, 4096);
            resident[0] & 1 == 1
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn files_the_kernel_let_go_of_are_told_from_cached_ones() {
        use std::os::fd::AsRawFd;
        // On the disk the project is on, not a tmpfs, whose pages cannot
        // be let go of.
        let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
        std::fs::create_dir_all(&target).expect("target folder");
        let dir = tempfile::tempdir_in(&target).expect("temp dir");
        let path = dir.path().join("a.md");
        std::fs::write(&path, vec![b'a'; 20_000]).expect("write");
        assert_eq!(
            count_not_cached([path.as_path()]),
            (0, 1),
            "a file just written is cached"
        );
        let file = std::fs::File::open(&path).expect("open");
        file.sync_all().expect("sync");
        // SAFETY: an advice on an open file's pages; nothing is read.
        let advised =
            unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
        assert_eq!(advised, 0, "fadvise");
        // The kernel may keep pages it was told it could drop: only when
        // `mincore` says they went can their absence be told.
        let gone = usize::from(!first_page_cached(&path));
        assert_eq!(
            count_not_cached([path.as_path()]),
            (gone, 1),
            "told apart as mincore tells them"
        );
        let missing = dir.path().join("missing.md");
        assert_eq!(
            count_not_cached([missing.as_path(), path.as_path()]),
            (gone, 2),
            "a file not there counts as cached"
        );
    }

    #[test]
    fn read_file_reads_a_regular_file_whole_and_refuses_the_rest() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.md");
        // Past the 8 KB a first read of `read_to_end` takes.
        let text: Vec<u8> = (0..20_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&path, &text).expect("write");
        for links in [Links::Follow, Links::Refuse] {
            assert_eq!(read_file(&path, links).expect("reads"), text);
        }
        let empty = dir.path().join("empty.md");
        std::fs::write(&empty, b"").expect("write");
        assert!(read_file(&empty, Links::Refuse).expect("reads").is_empty());
        let missing = read_file(&dir.path().join("missing.md"), Links::Refuse);
        assert!(
            matches!(&missing, Err(NotRead::Io(e)) if e.kind() == std::io::ErrorKind::NotFound),
            "{missing:?}"
        );
        assert!(
            matches!(read_file(dir.path(), Links::Follow), Err(NotRead::Kind(k)) if k.is_dir())
        );
        #[cfg(unix)]
        {
            let link = dir.path().join("link.md");
            std::os::unix::fs::symlink(&path, &link).expect("symlink");
            assert_eq!(read_file(&link, Links::Follow).expect("follows"), text);
            let refused = read_file(&link, Links::Refuse);
            assert!(
                matches!(&refused, Err(NotRead::Kind(k)) if k.is_symlink()),
                "{refused:?}"
            );
            // Opened without waiting for a writer, then refused.
            let fifo = dir.path().join("fifo.md");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo");
            for links in [Links::Follow, Links::Refuse] {
                let read = read_file(&fifo, links);
                assert!(
                    matches!(&read, Err(NotRead::Kind(k)) if !k.is_file()),
                    "{read:?}"
                );
            }
            let device = read_file(Path::new("/dev/zero"), Links::Follow);
            assert!(matches!(&device, Err(NotRead::Kind(_))), "{device:?}");
        }
    }

    #[test]
    fn a_diagnostic_shows_place_message_source_and_hint() {
        let plain = Diagnostic::new(Place::at("content/a.md", 7, Some(1)), "unknown field");
        assert_eq!(plain.to_string(), "content/a.md:7:1: unknown field");
        let io = Diagnostic::io(
            Place::file("site.yaml"),
            "cannot read",
            std::io::Error::new(std::io::ErrorKind::NotFound, "gone"),
        )
        .hint("run it inside the site folder");
        assert_eq!(
            io.to_string(),
            "site.yaml: cannot read: gone\n  hint: run it inside the site folder"
        );
    }
}
