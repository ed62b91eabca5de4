//! The `dedupsum` command: parse flags, run the library, report errors once.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match cli::run(cli::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("dedupsum: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
