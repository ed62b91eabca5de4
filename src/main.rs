//! The `dedupsum` command: parse flags, run the library, report errors once.

mod exit_codes;
mod oom;

#[global_allocator]
static ALLOCATOR: oom::ExitWhenOut = oom::ExitWhenOut;

use std::io;

use clap::Parser;
use dedupsum::{cli, messages};
use exit_codes::ExitCode;

fn main() -> std::process::ExitCode {
    return_large_blocks_at_once();
    // Ctrl-C, SIGTERM and SIGHUP: remove every staged output and the stdin spool (a commit
    // in progress finishes first) and stop.
    let handler = ctrlc::set_handler(|| {
        dedupsum::output::atomic::interrupt();
        messages::say("interrupted; no outputs written");
        std::process::exit(ExitCode::Interrupted.code().into());
    });
    if let Err(err) = handler {
        messages::say(&format!("warning: cannot handle Ctrl-C: {err}"));
    }
    let cli = cli::Cli::parse();
    if cli.summarizes_only() {
        grow_heaps_in_large_steps();
    }
    let result = cli::run(cli);
    if result.is_err() {
        // Output directories the run created for outputs it did not write.
        dedupsum::output::atomic::remove_leftovers();
    }
    let code = match result {
        Ok(status) => {
            let skipped = status.skipped;
            status.forget_quickly();
            if skipped > 0 {
                ExitCode::Skipped
            } else {
                ExitCode::Success
            }
        }
        // A closed pipe on stdout (`dedupsum summarize ... --out - | head`) is not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::Success,
        Err(err) => {
            messages::say(&format!("error: {}", messages::error_text(&err)));
            ExitCode::GeneralError
        }
    };
    code.into()
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The binary's tuning of glibc's allocator, process-wide, so set here and not in the
/// library, whose callers (the Python package) own their process.
///
/// Blocks of 128 KiB and more (a batch of texts, a table of the search) are taken from
/// the system and given back when freed. glibc raises that bound as large blocks are freed,
/// after which they come from the heap, where the fingerprints kept between them leave
/// them stranded: at 1M paragraphs, 20 MB more at the peak of memory.
fn return_large_blocks_at_once() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a parameter of the allocator; called before any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// glibc grows a thread's heap by the pages it lacks, one system call each time, and each
/// call locks the memory map against the other threads' page faults; growing by 16 MiB at a
/// time made a summarize run ~8% faster when it held every article to the end (about 2,700
/// calls on IndoSum), and leaves peak memory as it was (the pages are touched only when
/// used). Summarising streams now; whether it still helps `summarize` was not measured
/// again (the same padding on `run` over the 200k harness corpus, set with
/// `MALLOC_TOP_PAD_`, was within noise). Cleaning keeps glibc's default pad: its peak memory
/// is what it is tuned for.
fn grow_heaps_in_large_steps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a tuning parameter of glibc's allocator, under its lock;
    // the value is in range for `M_TOP_PAD`.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
}
