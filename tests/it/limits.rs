//! Limits that keep one input or one flag from taking the machine down (README, "Size
//! limits"): each is an error or a warning, never a hang or an abort.

use std::fs;

use predicates::prelude::*;

use super::util::{corpus, dedupsum};

#[test]
fn threads_over_the_cap_are_lowered_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most = 4 * cores;
    let asked = 1000.max(most + 1);
    dedupsum()
        .args(["dedup", "--threads", &asked.to_string(), "--out"])
        .arg(&out)
        .arg(corpus())
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "warning: --threads {asked} is more than 4 per core: using {most}"
        )));
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["threads"], most);
}

#[test]
fn running_out_of_memory_exits_1_not_134() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // One 60 MB record under a 100 MB address-space cap: the line buffer and the text made
    // from it do not both fit.
    let input = tmp.path().join("big.jsonl");
    let text = "kata ".repeat(12_000_000);
    fs::write(&input, format!("{{\"id\":\"a\",\"text\":\"{text}\"}}\n")).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("dedupsum");
    let ran = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 100000 && exec \"$0\" dedup --threads 1 \"$1\" --out \"$2\"")
        .arg(&bin)
        .arg(&input)
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert_eq!(ran.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("dedupsum: error: out of memory"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn eval_refs_with_an_endless_line_stop_at_the_record_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let refs = tmp.path().join("refs.jsonl");
    let sums = tmp.path().join("sums.csv");
    fs::write(
        &refs,
        format!("{{\"id\":\"a\",\"summary\":\"{}", "x".repeat(300_000)),
    )
    .unwrap();
    fs::write(&sums, "doc_id,summary\na,x\n").unwrap();
    dedupsum()
        .args(["eval", "--max-record-bytes", "100000", "--refs"])
        .arg(&refs)
        .arg(&sums)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{}:1: line of 300021 bytes is longer than the record limit of 100000 bytes",
            refs.display()
        )));
    // The summaries too: a quote never closed runs to the limit, not to the end of memory.
    fs::write(&refs, "{\"id\":\"a\",\"summary\":\"x\"}\n").unwrap();
    fs::write(
        &sums,
        format!("doc_id,summary\na,\"{}", "x".repeat(300_000)),
    )
    .unwrap();
    dedupsum()
        .args(["eval", "--max-record-bytes", "100000", "--refs"])
        .arg(&refs)
        .arg(&sums)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "longer than the record limit of 100000 bytes",
        ));
}
