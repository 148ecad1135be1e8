//! Rendered bodies kept in a file instead of in memory, for `handout
//! build`: each body's HTML is written out as soon as it is rendered and
//! read back when its page is, so a build's memory does not grow with the
//! text of every page (`serve` keeps its bodies in memory to reload fast).
//!
//! The file has no name (it is gone when the build ends, even if it is
//! killed) and sits beside the output, on the disk the build writes to
//! anyway. A body that cannot be written stays in memory; one that cannot
//! be read back fails the build (see [`Spill::failure`]).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The file holding the bodies of one build.
pub struct Spill {
    /// The file and its length.
    file: Mutex<(File, u64)>,
    /// Why a body could not be read back, if one could not.
    failed: Mutex<Option<String>>,
}

impl std::fmt::Debug for Spill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Spill")
    }
}

/// A body in the file: where it starts and how long it is.
#[derive(Debug, Clone)]
pub struct Spilled {
    spill: Arc<Spill>,
    at: u64,
    len: usize,
}

impl Spill {
    /// A new file in `dir`, or else in the system's temporary folder.
    pub fn new(dir: &Path) -> std::io::Result<Arc<Spill>> {
        let file = tempfile::tempfile_in(dir).or_else(|_| tempfile::tempfile())?;
        Ok(Arc::new(Spill {
            file: Mutex::new((file, 0)),
            failed: Mutex::new(None),
        }))
    }

    /// Writes `text` at the end of the file; gives it back if it cannot
    /// be written (the disk is full), so it stays in memory instead.
    pub fn put(self: &Arc<Self>, text: String) -> Result<Spilled, String> {
        let Ok(mut guard) = self.file.lock() else {
            return Err(text);
        };
        let (file, end) = &mut *guard;
        let at = *end;
        let written = file
            .seek(SeekFrom::Start(at))
            .and_then(|_| file.write_all(text.as_bytes()));
        if written.is_err() {
            return Err(text);
        }
        *end += text.len() as u64;
        Ok(Spilled {
            spill: self.clone(),
            at,
            len: text.len(),
        })
    }

    /// Why a body could not be read back, once any could not: the pages
    /// rendered since then are wrong, so the build must fail.
    pub fn failure(&self) -> Option<String> {
        self.failed.lock().ok().and_then(|f| f.clone())
    }

    fn read(&self, at: u64, len: usize) -> std::io::Result<String> {
        let mut bytes = vec![0; len];
        {
            let mut guard = self
                .file
                .lock()
                .map_err(|_| std::io::Error::other("another thread failed"))?;
            let file = &mut guard.0;
            file.seek(SeekFrom::Start(at))?;
            file.read_exact(&mut bytes)?;
        }
        String::from_utf8(bytes).map_err(std::io::Error::other)
    }
}

impl Spilled {
    /// The body as it was written; empty if it cannot be read back, which
    /// `Spill::failure` then reports.
    pub fn read(&self) -> String {
        match self.spill.read(self.at, self.len) {
            Ok(text) => text,
            Err(err) => {
                if let Ok(mut failed) = self.spill.failed.lock() {
                    failed.get_or_insert_with(|| {
                        format!("cannot read back a rendered page from its temporary file: {err}")
                    });
                }
                String::new()
            }
        }
    }

    /// The file this body is in.
    pub fn spill(&self) -> &Arc<Spill> {
        &self.spill
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_come_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(dir.path()).unwrap();
        let a = spill.put("<p>one</p>".to_string()).unwrap();
        let b = spill.put(String::new()).unwrap();
        let c = spill.put("<p>ünïcode</p>".to_string()).unwrap();
        assert_eq!(c.read(), "<p>ünïcode</p>");
        assert_eq!(a.read(), "<p>one</p>");
        assert_eq!(b.read(), "");
        assert_eq!(spill.failure(), None);
        // The file has no name: nothing is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
