//! Running out of memory ends the run like any other error, with exit code 1 and one
//! message, instead of Rust's abort (code 134, "memory allocation of N bytes failed").
//!
//! Under a memory cap (`ulimit -v`, a container's limit) any allocation can fail: a big
//! table, but as well the one byte of a string made right after it. No code path can turn
//! every one into an error it returns, so the allocator does it: it is the system's,
//! except that a request it cannot meet removes the staged outputs and ends the process.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator; a failed request ends the process (see the module docs).
pub struct ExitWhenOut;

// SAFETY: every call is passed to `System` unchanged; only a null result is acted on, and
// then the process ends instead of returning.
unsafe impl GlobalAlloc for ExitWhenOut {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        met(unsafe { System.alloc(layout) }, layout.size())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        met(unsafe { System.alloc_zeroed(layout) }, layout.size())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        met(unsafe { System.realloc(ptr, layout, new_size) }, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

fn met(ptr: *mut u8, size: usize) -> *mut u8 {
    if ptr.is_null() {
        out_of_memory(size);
    }
    ptr
}

/// The thread that ran out first (0: none yet).
static FIRST: AtomicUsize = AtomicUsize::new(0);

/// Says so, removes the staged outputs and exits with code 1. Only the first thread to
/// run out does; others wait for it to end the process, and should the clean-up itself
/// run out of memory, the process ends at once.
#[cold]
fn out_of_memory(size: usize) -> ! {
    // SAFETY: `pthread_self` has no preconditions.
    let me = unsafe { libc::pthread_self() } as usize;
    match FIRST.compare_exchange(0, me, Ordering::SeqCst, Ordering::SeqCst) {
        Ok(_) => {
            // Formatted into the stack: nothing is allocated.
            let mut line = [0u8; 200];
            let mut at = std::io::Cursor::new(&mut line[..]);
            let _ = writeln!(
                at,
                "dedupsum: error: out of memory (a request for {size} bytes failed); no outputs written"
            );
            let len = at.position() as usize;
            // SAFETY: writes `len` initialised bytes of `line` to stderr.
            unsafe { libc::write(2, line.as_ptr().cast(), len) };
            dedupsum::output::atomic::abandon();
        }
        Err(first) if first != me => loop {
            // SAFETY: `pause` only waits for a signal.
            unsafe { libc::pause() };
        },
        Err(_) => {}
    }
    // SAFETY: `_exit` ends the process without running anything that could allocate.
    unsafe { libc::_exit(1) }
}
