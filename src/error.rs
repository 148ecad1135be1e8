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
    let kind = std::fs::metadata(path)?.file_type();
    if !kind.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it is {}, not a regular file", file_kind(kind)),
        ));
    }
    std::fs::read(path)
}

/// The 1-based line holding byte `offset` of `bytes`.
pub fn line_of_byte(bytes: &[u8], offset: usize) -> usize {
    bytes.iter().take(offset).filter(|&&b| b == b'\n').count() + 1
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
