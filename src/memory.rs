//! When mimalloc, the allocator `main.rs` installs, gives freed memory
//! back to the system. A build wants it back soon (each stage's memory is
//! let go while the next grows); `serve` wants the memory one save freed
//! kept for the next.

/// `mi_option_purge_delay` in mimalloc v3's `mimalloc.h`, which the Rust
/// binding does not name (the test below checks it by its default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets how long freed memory is kept before it goes back to the system,
/// in milliseconds (-1: never).
pub fn set_purge_delay(ms: std::ffi::c_long) {
    // SAFETY: sets one of mimalloc's options, a number it reads whenever
    // it schedules a purge; any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, ms) };
}

/// Gives every freed page back to the system now, whatever the delay.
pub fn give_back_freed() {
    // SAFETY: a collection of mimalloc's own free lists, safe at any time
    // from any thread.
    unsafe { libmimalloc_sys::mi_collect(true) };
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
