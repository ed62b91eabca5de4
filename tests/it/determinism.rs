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
