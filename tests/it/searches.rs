//! `--skip` (searches turned off) and `--pairs-only` (only the pairs written).

use std::fs;
use std::path::Path;

use super::util::{corpus, dedupsum, file_names, read_csv};

/// `dedupsum dedup INPUT --out DIR FLAGS…`, which must succeed.
fn dedup(input: &Path, out: &Path, flags: &[&str]) {
    dedupsum()
        .arg("dedup")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(flags)
        .assert()
        .success();
}

/// report.json without what changes from run to run (times, memory).
fn report(dir: &Path) -> serde_json::Value {
    let mut report: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("report.json")).unwrap()).unwrap();
    for varying in ["seconds", "peak_memory_bytes", "peak_bytes_per_paragraph"] {
        report.as_object_mut().unwrap().remove(varying);
    }
    report
}

/// Dropped paragraphs per reason, from report.json.
fn dropped(dir: &Path, reason: &str) -> u64 {
    report(dir)["dropped_by_reason"][reason]
        .as_u64()
        .unwrap_or(0)
}

#[test]
fn pairs_only_writes_the_pairs_and_report_of_a_full_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (full, pairs) = (tmp.path().join("full"), tmp.path().join("pairs"));
    dedup(&corpus(), &full, &["--all-pairs"]);
    dedup(&corpus(), &pairs, &["--all-pairs", "--pairs-only"]);
    assert_eq!(
        file_names(&pairs),
        ["duplicates.csv", "errors.csv", "report.json"]
    );
    assert_eq!(
        fs::read(full.join("duplicates.csv")).unwrap(),
        fs::read(pairs.join("duplicates.csv")).unwrap()
    );
    assert!(!read_csv(&pairs.join("duplicates.csv")).is_empty());
    assert_eq!(report(&full), report(&pairs));
}

/// The report's cleaned bytes, counted from the fingerprints, are the bytes of the texts in
/// clean.jsonl, whether the texts were read twice (`dedup`) or kept (`run`).
#[test]
fn report_bytes_out_are_the_cleaned_texts() {
    let tmp = tempfile::tempdir().unwrap();
    for command in ["dedup", "run"] {
        let out = tmp.path().join(command);
        dedupsum()
            .arg(command)
            .arg(corpus())
            .arg("--out")
            .arg(&out)
            .arg("--quiet")
            .assert()
            .success();
        let clean: usize = fs::read_to_string(out.join("clean.jsonl"))
            .unwrap()
            .lines()
            .map(|line| {
                let doc: serde_json::Value = serde_json::from_str(line).unwrap();
                doc["text"].as_str().unwrap().len()
            })
            .sum();
        assert!(clean > 0);
        assert_eq!(report(&out)["bytes_out"], clean, "{command}");
    }
}

#[test]
fn skipped_searches_drop_nothing_of_their_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let body = "Harga beras di pasar tradisional naik tajam pekan ini karena pasokan dari daerah sentra produksi berkurang akibat banjir.";
    let edited = body.replace("banjir", "hujan deras");
    let docs = [
        (
            "a",
            format!("{body}\n\nParagraf lain yang berbeda sama sekali isinya."),
        ),
        (
            "b",
            format!("Pembuka berita kedua yang berdiri sendiri.\n\n{body}"),
        ),
        (
            "c",
            format!("Pembuka berita ketiga yang juga berbeda.\n\n{edited}"),
        ),
    ];
    let input = tmp.path().join("copies.jsonl");
    let lines: Vec<String> = docs
        .iter()
        .map(|(id, text)| serde_json::json!({ "id": id, "text": text }).to_string())
        .collect();
    fs::write(&input, lines.join("\n")).unwrap();
    let out = |name: &str| tmp.path().join(name);
    dedup(&input, &out("all"), &["--threshold", "0.6"]);
    assert_eq!(
        (dropped(&out("all"), "exact"), dropped(&out("all"), "near")),
        (1, 1)
    );
    dedup(
        &input,
        &out("no-near"),
        &["--threshold", "0.6", "--skip", "near"],
    );
    assert_eq!(
        (
            dropped(&out("no-near"), "exact"),
            dropped(&out("no-near"), "near")
        ),
        (1, 0)
    );

    // The sample corpus has boilerplate and restated passages.
    dedup(&corpus(), &out("corpus"), &[]);
    assert!(dropped(&out("corpus"), "boilerplate") > 0 && dropped(&out("corpus"), "restated") > 0);
    dedup(&corpus(), &out("no-restated"), &["--skip", "restated"]);
    assert_eq!(dropped(&out("no-restated"), "restated"), 0);
    assert_eq!(
        dropped(&out("no-restated"), "boilerplate"),
        dropped(&out("corpus"), "boilerplate")
    );
    dedup(
        &corpus(),
        &out("neither"),
        &["--skip", "boilerplate,restated"],
    );
    assert_eq!(
        (
            dropped(&out("neither"), "boilerplate"),
            dropped(&out("neither"), "restated")
        ),
        (0, 0)
    );
    dedupsum()
        .args(["dedup", "--skip", "exact", "--out"])
        .arg(out("bad"))
        .arg(corpus())
        .assert()
        .failure();
}

/// The report's memory per paragraph is its peak memory over its paragraphs.
#[test]
fn report_peak_bytes_per_paragraph_is_the_peak_over_the_paragraphs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    dedup(&corpus(), &out, &[]);
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
    let peak = report["peak_memory_bytes"].as_u64().unwrap();
    let paragraphs = report["paragraphs"].as_u64().unwrap();
    assert!(paragraphs > 1 && peak > 1 << 20, "{report}");
    assert_eq!(report["peak_bytes_per_paragraph"], peak / paragraphs);
}
