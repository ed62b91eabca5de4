//! The acceptance criteria of the pipeline on `corpus/`, through the binary.

use std::collections::HashSet;
use std::fs;

use super::util::{header, read_csv, run_corpus};

const A: &str = "000_e69f7352bfd7242f";
const B: &str = "002_66fcc07342604e8e";

#[test]
fn restated_opening_is_found_and_stock_phrases_are_not() {
    let (_tmp, out) = run_corpus(&[]);
    let pairs: HashSet<(String, u32, String, u32, String)> = read_csv(&out.join("duplicates.csv"))
        .into_iter()
        .map(|r| {
            (
                r["doc_a"].clone(),
                r["para_a"].parse().unwrap(),
                r["doc_b"].clone(),
                r["para_b"].parse().unwrap(),
                r["kind"].clone(),
            )
        })
        .collect();
    for (a, b) in [(1, 5), (2, 6), (3, 7), (4, 8)] {
        assert!(
            pairs.contains(&(A.into(), a, A.into(), b, "restated".into())),
            "missing restated pair ({a},{b}) in {pairs:?}"
        );
    }
    for (a, b) in [(10, 13), (10, 18), (13, 18), (15, 17), (16, 17)] {
        assert!(
            !pairs
                .iter()
                .any(|p| p.0 == A && p.2 == A && ((p.1, p.3) == (a, b) || (p.1, p.3) == (b, a))),
            "stock-phrase pair ({a},{b}) reported"
        );
    }
}

#[test]
fn only_restatements_recaps_and_boilerplate_are_dropped() {
    let (_tmp, out) = run_corpus(&[]);
    let rows = read_csv(&out.join("paragraphs.csv"));
    let dropped: Vec<(String, u32, String)> = rows
        .iter()
        .filter(|r| r["action"] == "drop")
        .map(|r| {
            (
                r["doc_id"].clone(),
                r["paragraph"].parse().unwrap(),
                r["reason"].clone(),
            )
        })
        .collect();
    for p in 5..=8 {
        assert!(
            dropped.contains(&(A.into(), p, "restated".into())),
            "{A} {p} not dropped as restated"
        );
    }
    for p in 25..=28 {
        assert!(
            dropped.contains(&(A.into(), p, "boilerplate".into())),
            "{A} {p} not boilerplate"
        );
    }
    assert!(
        dropped.contains(&(B.into(), 13, "boilerplate".into())),
        "Gambar: not boilerplate"
    );
    // The auto-written recap closing B: 14 and 15 restate paragraphs of B (16 may go too).
    for p in [14, 15] {
        let row = rows
            .iter()
            .find(|r| r["doc_id"] == B && r["paragraph"] == p.to_string())
            .unwrap();
        assert_eq!(
            (row["reason"].as_str(), row["duplicate_of_doc"].as_str()),
            ("restated", B),
            "{B} {p} not dropped as a recap"
        );
    }
    let allowed: HashSet<(String, u32)> = [5, 6, 7, 8, 9, 25, 26, 27, 28]
        .into_iter()
        .map(|p| (A.to_owned(), p))
        .chain([13, 14, 15, 16].map(|p| (B.to_owned(), p)))
        .collect();
    for (doc, p, reason) in &dropped {
        assert!(
            allowed.contains(&(doc.clone(), *p)),
            "unexpected drop {doc} {p} ({reason})"
        );
    }
    let title = rows
        .iter()
        .find(|r| r["doc_id"] == B && r["paragraph"] == "1")
        .unwrap();
    assert_eq!(
        (title["action"].as_str(), title["reason"].as_str()),
        ("keep", "title")
    );
    assert_eq!(rows.iter().filter(|r| r["reason"] == "title").count(), 1);
}

#[test]
fn summaries_are_three_body_sentences() {
    let (_tmp, out) = run_corpus(&[]);
    let rows = read_csv(&out.join("summaries.csv"));
    assert_eq!(
        header(&out.join("summaries.csv")),
        [
            "doc_id",
            "title",
            "summary",
            "sentence_ids",
            "n_sentences",
            "lang",
            "status"
        ]
    );
    assert_eq!(rows.len(), 2);
    let b = rows.iter().find(|r| r["doc_id"] == B).unwrap();
    assert_eq!(
        b["title"],
        "China Telecom melatih model AI dengan chip buatan China"
    );
    assert_eq!(b["lang"], "id");
    for row in &rows {
        assert_eq!(row["n_sentences"], "3");
        let ids: Vec<usize> = row["sentence_ids"]
            .split(';')
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(ids.len(), 3);
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "not in article order: {ids:?}"
        );
    }
    assert!(!ids_of(b).contains(&1), "sentence 1 of {B} is its title");
}

fn ids_of(row: &std::collections::HashMap<String, String>) -> Vec<usize> {
    row["sentence_ids"]
        .split(';')
        .map(|s| s.parse().unwrap())
        .collect()
}

#[test]
fn output_files_have_the_documented_columns() {
    let (_tmp, out) = run_corpus(&[]);
    assert_eq!(
        header(&out.join("paragraphs.csv")),
        [
            "doc_id",
            "paragraph",
            "action",
            "reason",
            "duplicate_of_doc",
            "duplicate_of_paragraph",
            "score",
            "chars",
            "text",
            "cut"
        ]
    );
    assert_eq!(
        header(&out.join("duplicates.csv")),
        ["doc_a", "para_a", "doc_b", "para_b", "kind", "score", "evidence"]
    );
    assert_eq!(
        header(&out.join("documents.csv")),
        [
            "doc_id",
            "source",
            "line",
            "paragraphs_in",
            "paragraphs_kept",
            "bytes_in",
            "bytes_out",
            "outcome",
            "copy_of"
        ]
    );
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["documents"], 2);
    assert_eq!(report["paragraphs"], 44);
    assert_eq!(report["dropped_by_reason"]["boilerplate"], 5);
    assert!(report["bytes_out"].as_u64().unwrap() < report["bytes_in"].as_u64().unwrap());
    for stage in ["read", "analyze", "dedup", "summarize", "write"] {
        let seconds = report["seconds"][stage].as_f64();
        assert!(seconds.is_some_and(|s| s >= 0.0), "no time for {stage}");
    }
    // Reading and fingerprinting are timed as they go, batch by batch.
    for stage in ["read", "analyze"] {
        assert!(report["seconds"][stage].as_f64().unwrap() > 0.0, "{stage}");
    }
    let names = super::util::file_names(&out);
    assert_eq!(
        names,
        [
            "clean.jsonl",
            "documents.csv",
            "duplicates.csv",
            "errors.csv",
            "paragraphs.csv",
            "report.json",
            "summaries.csv"
        ]
    );
}

#[test]
fn paragraph_decisions_snapshot() {
    let (_tmp, out) = run_corpus(&[]);
    let lines: Vec<String> = read_csv(&out.join("paragraphs.csv"))
        .iter()
        .map(|r| {
            format!(
                "{} {:>2} {} {} {}",
                &r["doc_id"][..3],
                r["paragraph"],
                r["action"],
                r["reason"],
                r["duplicate_of_paragraph"]
            )
            .trim_end()
            .to_owned()
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}
