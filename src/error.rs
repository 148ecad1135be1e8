//! Where a problem is, and the list of every problem one build found.
//!
//! Each stage has its own error type carrying a [`Place`]; [`Errors`] gathers
//! them so a build reports all it found, not just the first.

use std::fmt;
use std::path::{Path, PathBuf};

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

/// The 1-based line holding byte `offset` of `bytes`.
pub fn line_of_byte(bytes: &[u8], offset: usize) -> usize {
    bytes.iter().take(offset).filter(|&&b| b == b'\n').count() + 1
}

/// Every error one run found, in the order the stages found them.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<crate::Error>);

impl Errors {
    pub fn push(&mut self, error: impl Into<crate::Error>) {
        self.0.push(error.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &crate::Error> {
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

impl<E: Into<crate::Error>> From<E> for Errors {
    fn from(error: E) -> Self {
        Errors(vec![error.into()])
    }
}

impl<E: Into<crate::Error>> FromIterator<E> for Errors {
    fn from_iter<I: IntoIterator<Item = E>>(iter: I) -> Self {
        Errors(iter.into_iter().map(Into::into).collect())
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
