//! Same input and flags, same output bytes, whatever the thread count.

use std::fs;

use super::util::run_corpus;

#[test]
fn outputs_are_identical_with_one_and_two_threads() {
    let (_t1, one) = run_corpus(&["--threads", "1"]);
    let (_t2, two) = run_corpus(&["--threads", "2"]);
    for name in [
        "summaries.csv",
        "paragraphs.csv",
        "duplicates.csv",
        "clean.jsonl",
    ] {
        let a = fs::read(one.join(name)).unwrap();
        let b = fs::read(two.join(name)).unwrap();
        assert!(!a.is_empty(), "{name} is empty");
        assert!(a == b, "{name} differs between --threads 1 and --threads 2");
    }
}

/// Standard input is spooled to a temporary file and cleaned like a file: the same
/// outputs, and the spool is gone afterwards.
#[test]
fn cleaning_stdin_equals_cleaning_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let spool_dir = tmp.path().join("tmp");
    fs::create_dir(&spool_dir).unwrap();
    let mut jsonl = String::new();
    for (k, entry) in fs::read_dir(super::util::corpus()).unwrap().enumerate() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        for copy in 0..2 {
            jsonl += &serde_json::json!({"id": format!("a{k}-{copy}"), "text": text}).to_string();
            jsonl.push('\n');
        }
    }
    let input = tmp.path().join("in.jsonl");
    fs::write(&input, &jsonl).unwrap();
    let (from_file, from_stdin) = (tmp.path().join("file"), tmp.path().join("stdin"));
    super::util::dedupsum()
        .args(["dedup", "-q", "--all-pairs", "--out"])
        .arg(&from_file)
        .arg(&input)
        .assert()
        .success();
    super::util::dedupsum()
        .env("TMPDIR", &spool_dir)
        .args(["dedup", "-q", "--all-pairs", "--out"])
        .arg(&from_stdin)
        .arg("-")
        .write_stdin(jsonl)
        .assert()
        .success();
    for name in ["paragraphs.csv", "duplicates.csv", "clean.jsonl"] {
        let a = fs::read(from_file.join(name)).unwrap();
        assert!(a.len() > 100, "{name} is nearly empty");
        assert!(
            a == fs::read(from_stdin.join(name)).unwrap(),
            "{name} differs"
        );
    }
    assert_eq!(
        fs::read_dir(&spool_dir).unwrap().count(),
        0,
        "the spool was left behind"
    );
}
