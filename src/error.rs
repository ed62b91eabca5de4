//! The library's error type: every error names the input it came from.

use std::io;
use std::path::PathBuf;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, and where.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input path does not exist.
    #[error("{}: no such file or directory", path.display())]
    Missing {
        /// The path as given.
        path: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// An input that can be read only once (standard input, a FIFO) could not be copied to
    /// its temporary file (the spool `dedup` reads twice), in the system's temporary
    /// directory.
    #[error(
        "cannot copy {input} to a temporary file in {} (the temporary directory, TMPDIR): {source}",
        dir.display()
    )]
    Spool {
        /// The input: `standard input`, or its path.
        input: String,
        /// The directory of the spool.
        dir: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A record could not be read (only an error under `--on-error fail`; skipped otherwise).
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The run was interrupted (Ctrl-C) before the outputs were complete.
    #[error("interrupted")]
    Interrupted,
    /// The inputs hold no documents at all.
    #[error(
        "no documents found in the inputs (looked for .txt, .md, .jsonl, .ndjson, .csv, .tsv and .parquet files, the text ones also compressed)"
    )]
    NoDocuments,
    /// An input that cannot be read as asked: standard input whose format cannot be told,
    /// an input that is also an output.
    #[error("{}: {message}", path.display())]
    Refused {
        /// The input (`<stdin>` for standard input).
        path: PathBuf,
        /// Why, and what to do.
        message: String,
    },
    /// A configuration value is out of range.
    #[error("invalid setting: {0}")]
    Config(String),
    /// `eval`: no summary has the id of a reference.
    #[error(
        "no summary matches a reference: none of the {summaries} summaries has the id of one of the {references} references (check --id-field, or whether they are of the same articles)"
    )]
    NoMatchingIds {
        /// References read.
        references: usize,
        /// Summaries read (distinct ids).
        summaries: usize,
    },
    /// Serialising an output failed.
    #[error("{}: {message}", path.display())]
    Output {
        /// The output file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
}

/// One input record that could not be read: which file, which line, which id, and why.
///
/// Under the default error policy the record is skipped and listed in `errors.csv`; with
/// `--on-error fail` it ends the run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct RecordError {
    /// The input file (`<stdin>` for standard input).
    pub path: PathBuf,
    /// 1-based line where the record starts, when the format has lines for records.
    pub line: Option<usize>,
    /// The record's id, when it could be read.
    pub record_id: Option<String>,
    /// What is wrong with it.
    pub message: String,
}

impl RecordError {
    /// A record error at `path`, `line`.
    pub fn new(path: &std::path::Path, line: Option<usize>, message: impl Into<String>) -> Self {
        RecordError {
            path: path.to_path_buf(),
            line,
            record_id: None,
            message: message.into(),
        }
    }

    /// The same error, naming the record's id.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.record_id = Some(id.into());
        self
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
