//! Broken input: every error names its place, nothing panics, and a failed
//! build leaves the previous output exactly as it was.

mod common;
