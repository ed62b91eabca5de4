//! Fatal input errors: a clear message naming the file (and line), exit code 1, no outputs.
//! (Per-record problems, skipped by default, are in `bad_input_suite.rs`.)

use std::fs;
use std::path::Path;

use predicates::prelude::*;

use super::util::dedupsum;

/// Runs `dedupsum run <input> --out <dir>/out`, expects failure with `message` on stderr,
/// and checks that no output directory or file was left behind.
pub fn fails_cleanly(input: &Path, message: &str) {
    fails_cleanly_with(input, &[], message);
}

/// As [`fails_cleanly`], with extra flags.
pub fn fails_cleanly_with(input: &Path, flags: &[&str], message: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    dedupsum()
        .arg("run")
        .arg(input)
        .arg("--out")
        .arg(&out)
        .args(flags)
        .assert()
        .failure()
        .code(1)
        .stderr(predicate::str::contains(message));
    assert!(!out.exists(), "output left behind for {}", input.display());
}

#[test]
fn missing_path() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope");
    fails_cleanly(
        &missing,
        &format!("{}: no such file or directory", missing.display()),
    );
}

#[test]
fn unreadable_file() {
    // A dangling link cannot be read, whoever runs the test (root reads any mode bits).
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("a.txt"), "Satu paragraf.").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("gone.txt"), dir.join("b.txt")).unwrap();
    fails_cleanly(&dir, &format!("{}:", dir.join("b.txt").display()));
}

#[test]
fn invalid_utf8_with_on_error_fail_names_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad.txt");
    fs::write(&file, b"Baris satu.\nBaris \xff dua.\n").unwrap();
    fails_cleanly_with(
        &file,
        &["--on-error", "fail"],
        &format!("{}:2: invalid UTF-8", file.display()),
    );
}

#[test]
fn malformed_jsonl_with_on_error_fail_names_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad.jsonl");
    fs::write(
        &file,
        "{\"id\": \"a\", \"text\": \"Satu.\"}\n{\"id\": \"b\", \"text\": \n",
    )
    .unwrap();
    let fail = ["--on-error", "fail"];
    fails_cleanly_with(
        &file,
        &fail,
        &format!("{}:2: malformed JSON", file.display()),
    );
    fs::write(
        &file,
        "{\"id\": \"a\", \"text\": \"Satu.\"}\n\"just a string\"\n",
    )
    .unwrap();
    fails_cleanly_with(
        &file,
        &fail,
        &format!("{}:2: expected a JSON object", file.display()),
    );
}

#[test]
fn empty_directory_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    fails_cleanly(tmp.path(), "no documents found");
}

#[test]
fn bad_settings_are_rejected_before_reading() {
    let tmp = tempfile::tempdir().unwrap();
    dedupsum()
        .args(["run", "corpus", "--threshold", "1.5", "--out"])
        .arg(tmp.path().join("out"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("threshold must be in (0, 1]"));
    assert!(!tmp.path().join("out").exists());
}
