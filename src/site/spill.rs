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
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The file holding the bodies of one build.
pub struct Spill {
    file: File,
    /// Where the next body goes: each body's place is taken under this
    /// lock, then written and read at that place without it (positioned
    /// reads and writes, on Unix), so the two render threads neither wait
    /// on each other nor move a shared file position.
    end: Mutex<u64>,
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
            file,
            end: Mutex::new(0),
            failed: Mutex::new(None),
        }))
    }

    /// Writes `text` at the end of the file; gives it back if it cannot
    /// be written (the disk is full), so it stays in memory instead.
    pub fn put(self: &Arc<Self>, text: String) -> Result<Spilled, String> {
        let at = match self.end.lock() {
            Ok(mut end) => {
                let at = *end;
                *end += text.len() as u64;
                at
            }
            Err(_) => return Err(text),
        };
        // A body that fails leaves a hole no other body uses.
        if self.write_at(text.as_bytes(), at).is_err() {
            return Err(text);
        }
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
        self.read_at(&mut bytes, at)?;
        String::from_utf8(bytes).map_err(std::io::Error::other)
    }

    #[cfg(unix)]
    fn write_at(&self, bytes: &[u8], at: u64) -> std::io::Result<()> {
        std::os::unix::fs::FileExt::write_all_at(&self.file, bytes, at)
    }

    #[cfg(unix)]
    fn read_at(&self, bytes: &mut [u8], at: u64) -> std::io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(&self.file, bytes, at)
    }

    /// Elsewhere the file's one position is moved, one thread at a time.
    #[cfg(not(unix))]
    fn at_place(
        &self,
        at: u64,
        io: impl FnOnce(&mut &File) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        use std::io::{Seek, SeekFrom};
        let _one_at_a_time = self
            .end
            .lock()
            .map_err(|_| std::io::Error::other("another thread failed"))?;
        let mut file = &self.file;
        file.seek(SeekFrom::Start(at))?;
        io(&mut file)
    }

    #[cfg(not(unix))]
    fn write_at(&self, bytes: &[u8], at: u64) -> std::io::Result<()> {
        use std::io::Write;
        self.at_place(at, |file| file.write_all(bytes))
    }

    #[cfg(not(unix))]
    fn read_at(&self, bytes: &mut [u8], at: u64) -> std::io::Result<()> {
        use std::io::Read;
        self.at_place(at, |file| file.read_exact(bytes))
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
    fn bodies_put_and_read_on_many_threads_come_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(dir.path()).unwrap();
        std::thread::scope(|scope| {
            for t in 0..4 {
                let spill = spill.clone();
                scope.spawn(move || {
                    let bodies: Vec<(String, Spilled)> = (0..300)
                        .map(|i| {
                            let text = format!("<p>{t}-{i}</p>").repeat(i % 7 + 1);
                            let spilled = spill.put(text.clone()).unwrap();
                            (text, spilled)
                        })
                        .collect();
                    for (text, spilled) in bodies {
                        assert_eq!(spilled.read(), text);
                    }
                });
            }
        });
        assert_eq!(spill.failure(), None);
    }

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
