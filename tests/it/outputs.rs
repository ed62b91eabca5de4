//! The output policy (issue 14, items 6-11): special files and links as `--out`,
//! temporaries nobody can predict, a locked output directory, an all-or-nothing commit,
//! signals, a closed stderr and the outputs of an earlier run.

use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Stdio};

use super::util::{corpus, file_names};

/// The six outputs of `run`.
const RUN_OUTPUTS: [&str; 6] = [
    "clean.jsonl",
    "duplicates.csv",
    "errors.csv",
    "paragraphs.csv",
    "report.json",
    "summaries.csv",
];

fn bin() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("dedupsum"))
}

/// Runs dedupsum with `args`, its standard error a pipe nobody reads (closed before the
/// run starts), and returns the exit code.
fn code_with_closed_stderr(args: &[&std::ffi::OsStr]) -> Option<i32> {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors `pipe` writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: `pipe` just opened both descriptors and nothing else owns them.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(read);
    bin()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::from(write))
        .status()
        .unwrap()
        .code()
}

#[test]
fn a_closed_stderr_never_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nonexist");
    let out = tmp.path().join("out");
    let args = [
        "run".as_ref(),
        missing.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    assert_eq!(code_with_closed_stderr(&args), Some(1));
    let corpus = corpus();
    let args = [
        "run".as_ref(),
        corpus.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    assert_eq!(code_with_closed_stderr(&args), Some(0));
    assert_eq!(file_names(&out), RUN_OUTPUTS);
}
