//! `eval` reads what `summarize` writes in either table format, says so when the ids do
//! not meet, and takes the language codes of the other commands.

use std::fs;

use predicates::prelude::*;

use super::util::{corpus, dedupsum};

/// References for the sample corpus: each article's own summary, so every score is 100.
fn references_of(summaries_jsonl: &std::path::Path) -> String {
    fs::read_to_string(summaries_jsonl)
        .unwrap()
        .lines()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            format!(
                "{}\n",
                serde_json::json!({"id": row["doc_id"], "summary": row["summary"]})
            )
        })
        .collect()
}

#[test]
fn eval_reads_jsonl_summaries() {
    let tmp = tempfile::tempdir().unwrap();
    let (jsonl, csv) = (tmp.path().join("s.jsonl"), tmp.path().join("s.csv"));
    for (out, format) in [(&jsonl, "jsonl"), (&csv, "csv")] {
        dedupsum()
            .args(["summarize", "--quiet", "--format", format, "--out"])
            .arg(out)
            .arg(corpus())
            .assert()
            .success();
    }
    let refs = tmp.path().join("refs.jsonl");
    fs::write(&refs, references_of(&jsonl)).unwrap();
    // The same summaries without an extension: the content says JSON Lines.
    let bare = tmp.path().join("summaries");
    fs::copy(&jsonl, &bare).unwrap();
    let scored = |summaries: &std::path::Path| {
        let out = dedupsum()
            .args(["eval", "--json", "--refs"])
            .arg(&refs)
            .arg(summaries)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let from_csv = scored(&csv);
    assert!(from_csv.contains("\"rouge1\":100.0"), "{from_csv}");
    assert!(from_csv.contains("\"articles\":2"), "{from_csv}");
    assert_eq!(scored(&jsonl), from_csv);
    assert_eq!(scored(&bare), from_csv);
}

#[test]
fn eval_with_no_matching_ids_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let refs = tmp.path().join("refs.jsonl");
    let sums = tmp.path().join("sums.csv");
    fs::write(
        &refs,
        "{\"id\": \"x1\", \"summary\": \"harga naik\"}\n{\"id\": \"x2\", \"summary\": \"harga turun\"}\n",
    )
    .unwrap();
    fs::write(&sums, "doc_id,summary\na,harga naik\nb,harga turun\nc,x\n").unwrap();
    dedupsum()
        .args(["eval", "--refs"])
        .arg(&refs)
        .arg(&sums)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "none of the 3 summaries has the id of one of the 2 references",
        ));
}

#[test]
fn eval_lang_takes_id_and_en() {
    let tmp = tempfile::tempdir().unwrap();
    let refs = tmp.path().join("refs.jsonl");
    let sums = tmp.path().join("sums.csv");
    fs::write(
        &refs,
        "{\"id\": \"a\", \"summary\": \"the cats running\"}\n",
    )
    .unwrap();
    fs::write(&sums, "doc_id,summary\na,the cat runs\n").unwrap();
    let scores = |lang: &str| {
        let out = dedupsum()
            .args(["eval", "--json", "--lang", lang, "--refs"])
            .arg(&refs)
            .arg(&sums)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "--lang {lang}");
        String::from_utf8(out.stdout).unwrap()
    };
    // Stemmed, "cats running" and "cat runs" meet; unstemmed only "the" does.
    assert!(scores("en").contains("\"rouge1\":100.0"));
    assert_eq!(scores("english"), scores("en"));
    assert!(scores("id").contains("\"rouge1\":33.3"));
    assert_eq!(scores("indonesian"), scores("id"));
    // The codes are the ones shown, as for every other command.
    dedupsum()
        .args(["eval", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[default: en]"));
    dedupsum()
        .args(["eval", "--lang", "xx", "--refs"])
        .arg(&refs)
        .arg(&sums)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("[possible values: en, id]"));
}
