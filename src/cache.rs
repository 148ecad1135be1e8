//! Where handout keeps what it can make again: serve's previews, processed
//! pictures and share cards, check's readability scores. Deleting it costs
//! only time.

use std::path::PathBuf;

/// `handout/` in the user's cache folder (`~/.cache/handout` on Linux), or
/// in the temporary folder where the system names no cache folder.
pub fn folder() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("handout")
}
