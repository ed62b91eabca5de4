//! The exit codes of `dedupsum`, in one place.

use std::process::ExitCode as StdExitCode;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Success: every input record was read.
    Success,
    /// An error: nothing was written.
    GeneralError,
    /// Success, but some input records could not be read and were skipped (listed in
    /// `errors.csv`). Usage errors (2) come from clap.
    Skipped,
    /// Interrupted by Ctrl-C (SIGINT): nothing was written.
    Interrupted,
}

impl ExitCode {
    /// The number the process exits with.
    pub fn code(self) -> u8 {
        match self {
            ExitCode::Success => 0,
            ExitCode::GeneralError => 1,
            ExitCode::Skipped => 3,
            ExitCode::Interrupted => 130,
        }
    }
}

impl From<ExitCode> for StdExitCode {
    fn from(code: ExitCode) -> Self {
        StdExitCode::from(code.code())
    }
}
