//! The allocator `main.rs` installs (mimalloc), and when it gives freed
//! memory back to the system. A build wants it back soon (each stage's
//! memory is let go while the next grows); `serve` wants the memory one
//! save freed kept for the next.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// mimalloc, asked for a plain block wherever a plain block is aligned
/// enough, as Rust's own `System` allocator asks `malloc`. The `mimalloc`
/// crate asks for every block by `mi_malloc_aligned`, whose fast path
/// takes only blocks of up to 1 KiB; each larger one (a page's HTML, a
/// body, a list) went through a slower path that allocates more and moves
/// the pointer, even for an alignment of 1 or 8: at 10k, on one thread,
/// 551 k of 5.3 M allocations, 335 M instructions (docs/performance.md).
pub struct Allocator;

/// The alignment every block of more than 8 bytes from `mi_malloc` has
/// (`MI_MAX_ALIGN_SIZE`: mimalloc rounds those sizes to 16 bytes and
/// starts each page's blocks at 16), as `malloc` guarantees; a block of
/// 8 bytes or fewer is aligned to 8.
const PLAIN_ALIGN: usize = 16;

/// Whether a plain block of `size` bytes is aligned to `align`.
fn plain(size: usize, align: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

// SAFETY: every block comes from mimalloc and goes back to it (`mi_free`
// takes blocks from any of its functions); a plain block is asked for
// only where `plain` says its alignment is enough.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        // SAFETY: mimalloc's allocation functions take any size, and
        // `mi_malloc_aligned` any power of two, which `Layout` guarantees.
        unsafe {
            match plain(size, align) {
                true => libmimalloc_sys::mi_malloc(size),
                false => libmimalloc_sys::mi_malloc_aligned(size, align),
            }
        }
        .cast()
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        // SAFETY: as in `alloc`.
        unsafe {
            match plain(size, align) {
                true => libmimalloc_sys::mi_zalloc(size),
                false => libmimalloc_sys::mi_zalloc_aligned(size, align),
            }
        }
        .cast()
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { libmimalloc_sys::mi_free(ptr.cast::<c_void>()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        // SAFETY: `ptr` came from mimalloc; its realloc functions take a
        // block from any of its allocation functions.
        unsafe {
            match plain(new_size, align) {
                true => libmimalloc_sys::mi_realloc(ptr.cast(), new_size),
                false => libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, align),
            }
        }
        .cast()
    }
}

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

    /// Blocks of many sizes up to 64 KiB and each alignment up to 4 KiB,
    /// plain or not, come back aligned, zeroed where asked, and with their
    /// bytes kept when grown or shrunk.
    #[test]
    fn blocks_are_aligned_and_keep_their_bytes() {
        let sizes = (1..=64)
            .chain((65..=65536).step_by(997))
            .chain([1024, 1025, 4096]);
        for size in sizes {
            for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
                let layout = Layout::from_size_align(size, align).expect("a power of two");
                // SAFETY: a size above zero; the block is freed once.
                unsafe {
                    let zeroed = Allocator.alloc_zeroed(layout);
                    assert!(!zeroed.is_null());
                    assert_eq!(zeroed.align_offset(align), 0, "{size} by {align}, zeroed");
                    let bytes = std::slice::from_raw_parts(zeroed, size);
                    assert!(bytes.iter().all(|&b| b == 0), "{size} by {align}");
                    Allocator.dealloc(zeroed, layout);
                }
                for new_size in [size / 2 + 1, size * 3] {
                    // SAFETY: sizes above zero; each block is written
                    // within its size and freed once, with its layout.
                    unsafe {
                        let block = Allocator.alloc(layout);
                        assert!(!block.is_null());
                        assert_eq!(block.align_offset(align), 0, "{size} by {align}");
                        for i in 0..size {
                            block.add(i).write(i as u8);
                        }
                        let block = Allocator.realloc(block, layout, new_size);
                        assert!(!block.is_null());
                        assert_eq!(block.align_offset(align), 0, "{size} to {new_size}");
                        for i in 0..size.min(new_size) {
                            assert_eq!(block.add(i).read(), i as u8, "{size} to {new_size}");
                        }
                        let new_layout = Layout::from_size_align(new_size, align).expect("valid");
                        Allocator.dealloc(block, new_layout);
                    }
                }
            }
        }
    }

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
