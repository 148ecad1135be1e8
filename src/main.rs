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

fn main() -> ExitCode {
    // `serve` keeps the default for its first build, then sets its own
    // (`serve::run`).
    let serve = std::env::args_os()
        .nth(1)
        .is_some_and(|command| command == "serve");
    if !serve {
        handout::memory::set_purge_delay(PURGE_DELAY_MS);
    }
    handout::cli::main()
}
