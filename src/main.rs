//! The `handout` command: parse the command line, run, map to an exit code.

use std::process::ExitCode;

/// A build allocates and frees many small strings from two threads at once;
/// mimalloc does that in a fifth of the instructions the system allocator
/// takes (measured with callgrind, docs/performance.md).
#[global_allocator]
static ALLOCATOR: handout::memory::Allocator = handout::memory::Allocator;

/// How long mimalloc keeps freed memory before it gives it back to the
/// system, in milliseconds, for every command but `serve`. Its default,
/// a second, is most of a build: the memory of each stage (the sources,
/// each body's words, the search index) was still held while the next
/// stage grew. With 10 ms, at 10k, the peak is about 20 MiB lower for
/// the same time (docs/performance.md).
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// `check` never gives freed memory back: it holds every page's source
/// and body to its end, and what it frees on the way is soon needed
/// again. Given back, each page of it was faulted in again: at 10k, 3%
/// of the check's time, for a peak 17 MiB lower (docs/performance.md).
const CHECK_PURGE_DELAY_MS: std::ffi::c_long = -1;

fn main() -> ExitCode {
    // `serve` keeps the default for its first build, then sets its own
    // (`serve::run`).
    match std::env::args_os().nth(1) {
        Some(command) if command == "serve" => {}
        Some(command) if command == "check" => {
            handout::memory::set_purge_delay(CHECK_PURGE_DELAY_MS);
        }
        _ => handout::memory::set_purge_delay(PURGE_DELAY_MS),
    }
    handout::cli::main()
}
