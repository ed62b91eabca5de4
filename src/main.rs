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
    let result = cli::run(cli::Cli::parse());
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
