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

#[test]
fn near_identical_paragraphs_make_a_star_not_all_pairs() {
    // More near-identical paragraphs than a group of the near search holds, each in its
    // own article: 40 words, the last one different (Jaccard 35/37 between any two).
    let n = 1100;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("near.jsonl");
    let base: Vec<String> = (0..39).map(|w| format!("kata{w}")).collect();
    let lines: String = (0..n)
        .map(|i| {
            format!(
                "{{\"id\":\"d{i}\",\"text\":\"{} akhir{i}.\"}}\n",
                base.join(" ")
            )
        })
        .collect();
    fs::write(&input, lines).unwrap();
    let out = tmp.path().join("out");
    dedupsum()
        .args(["dedup", "--all-pairs", "--skip", "restated", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "a size limit applied to {} more documents",
            n - 1 - 5
        )));
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    // A star around the first paragraph, not the n (n - 1) / 2 pairs of the cluster.
    let pairs = report["pairs"].as_u64().unwrap();
    assert!(pairs >= n - 1 && pairs < 2 * n, "{pairs} pairs");
    assert_eq!(report["dropped"], n - 1);
    let rows = super::util::read_csv(&out.join("paragraphs.csv"));
    for row in &rows[1..] {
        assert_eq!(
            (row["action"].as_str(), row["reason"].as_str()),
            ("drop", "near")
        );
        assert_eq!(
            (
                row["duplicate_of_doc"].as_str(),
                row["duplicate_of_paragraph"].as_str()
            ),
            ("d0", "1")
        );
    }
    // Every document whose near pairs were limited is named, with what the limit did.
    let limited = report["limited"].as_array().unwrap();
    assert_eq!(limited.len() as u64, n - 1);
    assert_eq!(limited[0]["doc_id"], "d1");
    assert!(limited[0]["limit"]
        .as_str()
        .unwrap()
        .contains("near copies checked only against the first of them"));
}
