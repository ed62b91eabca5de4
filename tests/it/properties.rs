//! Invariants over generated corpora: nothing is lost, and the outputs agree.

use std::fs;
use std::path::PathBuf;

use dedupsum::corpus::Source;
use dedupsum::output::OutputConfig;
use dedupsum::{Config, Document, Job, Pipeline};
use proptest::prelude::*;

use super::util::read_csv;

const WORDS: &[&str] = &[
    "harga",
    "beras",
    "naik",
    "pasar",
    "pemerintah",
    "kata",
    "menteri",
    "China",
    "chip",
    "model",
    "data",
    "baru",
    "tahun",
    "2023",
    "persen",
    "Jakarta",
    "banjir",
    "warga",
    "listrik",
    "kota",
];

/// A paragraph: a few sentences of random words, sometimes a label line.
fn paragraph() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::collection::vec(prop::collection::vec(prop::sample::select(WORDS), 3..12), 1..4)
            .prop_map(|sentences| sentences
                .into_iter()
                .map(|words| format!("{}.", words.join(" ")))
                .collect::<Vec<_>>()
                .join(" ")),
        1 => Just("Baca juga: Harga beras naik".to_owned()),
        1 => Just("KOMENTAR".to_owned()),
    ]
}

/// Documents whose paragraphs are fresh or copies of earlier ones (to make duplicates).
fn corpus() -> impl Strategy<Value = Vec<Document>> {
    prop::collection::vec(
        prop::collection::vec(
            (paragraph(), any::<prop::sample::Index>(), any::<bool>()),
            1..8,
        ),
        1..5,
    )
    .prop_map(|docs| {
        let mut seen: Vec<String> = Vec::new();
        docs.into_iter()
            .enumerate()
            .map(|(d, paragraphs)| {
                let text: Vec<String> = paragraphs
                    .into_iter()
                    .map(|(fresh, pick, copy)| {
                        let p = if copy && !seen.is_empty() {
                            pick.get(&seen).clone()
                        } else {
                            fresh
                        };
                        seen.push(p.clone());
                        p
                    })
                    .collect();
                Document {
                    id: format!("doc{d}"),
                    title: None,
                    text: text.join("\n"),
                    source: Source {
                        path: PathBuf::from("generated"),
                        line: None,
                    },
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_paragraph_is_recorded_once_and_kept_rows_make_clean_jsonl(docs in corpus()) {
        let outcome = Pipeline::new(Config::new(Vec::new())).unwrap().run_documents(Job::Run, docs.clone()).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        outcome.write_dir(tmp.path(), Job::Run, &OutputConfig::default()).unwrap();
        let rows = read_csv(&tmp.path().join("paragraphs.csv"));
        let clean: Vec<serde_json::Value> = fs::read_to_string(tmp.path().join("clean.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        prop_assert_eq!(clean.len(), docs.len());
        for (doc, clean) in docs.iter().zip(&clean) {
            let input: Vec<&str> = doc.text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            let mine: Vec<_> = rows.iter().filter(|r| r["doc_id"] == doc.id).collect();
            // Every input paragraph exactly once, numbered in input order.
            prop_assert_eq!(mine.len(), input.len());
            for (i, (row, text)) in mine.iter().zip(&input).enumerate() {
                prop_assert_eq!(row["paragraph"].parse::<usize>().unwrap(), i + 1);
                prop_assert_eq!(&row["text"], text);
                prop_assert!(row["action"] == "keep" || row["action"] == "drop");
            }
            // The kept rows are exactly the paragraphs of the cleaned article.
            let kept: Vec<&str> = mine.iter().filter(|r| r["action"] == "keep").map(|r| r["text"].as_str()).collect();
            prop_assert_eq!(clean["id"].as_str().unwrap(), doc.id.as_str());
            prop_assert_eq!(clean["text"].as_str().unwrap(), kept.join("\n\n"));
        }
        // A dropped repeat points at a kept paragraph.
        for row in rows.iter().filter(|r| !r["duplicate_of_doc"].is_empty()) {
            let target = rows.iter().find(|r| r["doc_id"] == row["duplicate_of_doc"] && r["paragraph"] == row["duplicate_of_paragraph"]).unwrap();
            prop_assert_eq!(&target["action"], "keep");
        }
    }
}
