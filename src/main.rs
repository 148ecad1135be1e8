//! The `handout` command: parse the command line, run, map to an exit code.

use std::process::ExitCode;

/// A build allocates and frees many small strings from two threads at once;
/// mimalloc does that in a fifth of the instructions the system allocator
/// takes (measured with callgrind, docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long mimalloc keeps freed memory before it gives it back to the
/// system, in milliseconds, for every command but `serve`. Its default,
/// a second, is most of a build: the memory of each stage (the sources,
/// each body's words, the search index) was still held while the next
/// stage grew. With 10 ms, at 10k, the peak is about 20 MiB lower for
/// the same time (docs/performance.md).
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// `mi_option_purge_delay` in mimalloc v3's `mimalloc.h`, which the Rust
/// binding does not name (the test below checks it by its default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // `serve` keeps the default: it assembles the site again on a save,
    // and memory kept from one save for the next took 10-15% off a new or
    // deleted article's rebuild at 10k.
    let serve = std::env::args_os()
        .nth(1)
        .is_some_and(|command| command == "serve");
    if !serve {
        // SAFETY: sets one of mimalloc's options, a number it reads
        // whenever it schedules a purge; any value is valid (-1 never
        // purges).
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
    handout::cli::main()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_with_a_default_of_a_second() {
        // SAFETY: reads an option; mimalloc initialises it on first read.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(
            delay, 1000,
            "option {MI_OPTION_PURGE_DELAY} is not mimalloc's purge delay"
        );
    }
}
