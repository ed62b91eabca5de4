//! What the command says on stderr: inputs quoted safely, each cause once, the file the
//! user named, and what a failure means.

use std::fs;
use std::os::unix::ffi::OsStrExt;

use predicates::prelude::*;

use super::util::{corpus, dedupsum};

#[test]
fn control_characters_from_inputs_are_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    // A file name that would retitle the terminal, unreadable so that a message names it;
    // a CSV header that would clear the screen, named by the missing-column message.
    let name = std::ffi::OsStr::from_bytes(b"a\x1b]2;owned\x07.txt");
    fs::write(dir.join(name), b"Teks \xff rusak.\n").unwrap();
    fs::write(dir.join("b.csv"), "id,te\x1b[2Jxt\nx,y\n").unwrap();
    fs::write(dir.join("c.txt"), "Satu paragraf yang baik.\n").unwrap();
    let out = dedupsum()
        .arg("run")
        .arg(&dir)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(
        stderr.contains("a\\u{1b}]2;owned\\u{7}.txt:1: invalid UTF-8"),
        "{stderr}"
    );
    assert!(stderr.contains("(id, te\\u{1b}[2Jxt)"), "{stderr}");
}

#[test]
fn os_errors_are_said_once() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    fs::write(&file, "x").unwrap();
    let out = dedupsum()
        .arg("run")
        .arg(corpus())
        .arg("--out")
        .arg(file.join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let cause = std::io::Error::from_raw_os_error(libc::ENOTDIR).to_string();
    assert_eq!(stderr.matches(&cause).count(), 1, "{stderr}");
    assert_eq!(
        stderr,
        format!("dedupsum: error: {}: {cause}\n", file.join("out").display())
    );
}

#[test]
fn write_errors_name_the_target_not_the_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("missing-dir").join("s.csv");
    dedupsum()
        .args(["summarize", "--quiet", "--out"])
        .arg(&target)
        .arg(corpus())
        .assert()
        .code(1)
        .stderr(format!(
            "dedupsum: error: {}: {}\n",
            target.display(),
            std::io::Error::from_raw_os_error(libc::ENOENT)
        ));
}

#[test]
fn a_full_tmpdir_is_said_to_be_the_spool_of_standard_input() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // A file size limit fails the spool's writes as a full disk would (EFBIG, not ENOSPC),
    // with SIGXFSZ ignored so that the write returns the error.
    let bin = assert_cmd::cargo::cargo_bin("dedupsum");
    let text = "Satu paragraf yang cukup panjang untuk diuji.\n\n".repeat(4000);
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 20 && exec \"$0\" dedup - --out \"$1\"")
        .arg(&bin)
        .arg(&out)
        .env("TMPDIR", tmp.path())
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The run may stop reading early: a failed write to its stdin is fine.
    let _ = std::io::Write::write_all(&mut stdin, text.as_bytes());
    drop(stdin);
    let ran = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert_eq!(ran.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "dedupsum: error: cannot copy standard input to a temporary file in {} (the temporary directory, TMPDIR): ",
            tmp.path().display()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("<stdin>"), "{stderr}");
}

#[test]
fn an_unclosed_csv_quote_says_it_read_the_rest_as_one_field() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("news.csv");
    fs::write(
        &csv,
        "id,text\na,Satu paragraf.\nb,\"tidak ditutup\nc,Dua paragraf.\nd,Tiga paragraf.\n",
    )
    .unwrap();
    dedupsum()
        .arg("run")
        .arg(&csv)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{}:3: malformed CSV quoting: unclosed quote opened at line 3; the rest of the file was read as one field",
            csv.display()
        )));
}
