//! The `dedupsum` command: parse flags, run the library, report errors once.

mod cli;
mod exit_codes;
mod messages;
mod oom;

#[global_allocator]
static ALLOCATOR: oom::ExitWhenOut = oom::ExitWhenOut;

use std::io;

use clap::Parser;
use exit_codes::ExitCode;

fn main() -> std::process::ExitCode {
    // Ctrl-C: remove every staged output (a commit in progress finishes first) and stop.
    let handler = ctrlc::set_handler(|| {
        dedupsum::output::atomic::interrupt();
        messages::say("interrupted; no outputs written");
        std::process::exit(ExitCode::Interrupted.code().into());
    });
    if let Err(err) = handler {
        messages::say(&format!("warning: cannot handle Ctrl-C: {err}"));
    }
    let code = match cli::run(cli::Cli::parse()) {
        Ok(status) if status.skipped > 0 => ExitCode::Skipped,
        Ok(_) => ExitCode::Success,
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
