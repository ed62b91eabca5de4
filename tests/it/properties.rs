//! Invariants over generated corpora: nothing is lost, and the outputs agree.

use std::fs;
use std::path::PathBuf;

use dedupsum::corpus::{read_inputs, Source};
use dedupsum::output::{OutputConfig, TableFormat};
use dedupsum::text::{Lang, LangChoice};
use dedupsum::{Config, Decision, Document, Job, OnError, Pipeline, ReadConfig};
use proptest::prelude::*;
use serde::Serialize;

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
                generated(d, &text)
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
        // Emptied documents kept, so that clean.jsonl has a line per document.
        let keep_empty = OutputConfig { keep_empty: true, ..OutputConfig::default() };
        outcome.write_dir(tmp.path(), Job::Run, &keep_empty).unwrap();
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

/// A line of `clean.jsonl`, rebuilt from `paragraphs.csv`.
#[derive(Serialize)]
struct CleanLine<'a> {
    id: &'a str,
    title: &'a str,
    text: String,
}

/// Reads the documents of a `clean.jsonl` back (its title field as the title).
fn read_clean(path: &std::path::Path) -> Vec<Document> {
    read_inputs(&[path.to_path_buf()], &ReadConfig::default(), OnError::Fail)
        .map(|r| r.docs)
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// `clean.jsonl` is, byte for byte, the kept rows of `paragraphs.csv` (title row as the
    /// title) joined by blank lines; and cleaning `clean.jsonl` again drops nothing more
    /// (restatements included: their search repeats until it drops nothing).
    #[test]
    fn kept_rows_reproduce_clean_jsonl_and_cleaning_is_idempotent(docs in corpus_with_copies()) {
        // The language is fixed: detected, it is read off the whole article, and removing
        // repeats can tip these word salads from one language to another (real articles
        // have far more evidence than a few copied lines).
        let config = Config { lang: LangChoice::Fixed(Lang::Indonesian), ..Config::new(Vec::new()) };
        let pipeline = Pipeline::new(config).unwrap();
        let outcome = pipeline.run_documents(Job::Dedup, docs.clone()).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        // Emptied documents kept, so that clean.jsonl has a line per document.
        let keep_empty = OutputConfig { keep_empty: true, ..OutputConfig::default() };
        outcome.write_dir(tmp.path(), Job::Dedup, &keep_empty).unwrap();
        let rows = read_csv(&tmp.path().join("paragraphs.csv"));
        let mut rebuilt = Vec::new();
        for doc in &docs {
            let mine: Vec<_> = rows.iter().filter(|r| r["doc_id"] == doc.id).collect();
            let title = mine.first().filter(|r| r["reason"] == "title").map_or("", |r| r["text"].as_str());
            let kept: Vec<&str> = mine.iter().filter(|r| r["action"] == "keep").map(|r| r["text"].as_str()).collect();
            serde_json::to_writer(&mut rebuilt, &CleanLine { id: &doc.id, title, text: kept.join("\n\n") }).unwrap();
            rebuilt.push(b'\n');
        }
        let clean_path = tmp.path().join("clean.jsonl");
        prop_assert_eq!(String::from_utf8(rebuilt).unwrap(), fs::read_to_string(&clean_path).unwrap());

        let again = read_clean(&clean_path);
        prop_assert_eq!(again.len(), docs.len());
        let second = pipeline.run_documents(Job::Dedup, again).unwrap();
        let dropped: Vec<_> = second.dedup.decisions.iter().enumerate()
            .flat_map(|(d, ds)| ds.iter().enumerate().filter(|(_, x)| !x.is_kept()).map(move |(p, x)| (d, p, *x)))
            .collect();
        prop_assert!(dropped.is_empty(), "second pass dropped {:?}", dropped);
    }

    /// Documents written as JSONL or CSV read back as the same records, whatever their ids,
    /// titles and texts hold (commas, quotes, newlines, formula starts, non-ASCII). Ids
    /// are made distinct (a repeated id is renamed, which a bad-input test covers).
    #[test]
    fn inputs_parse_back_to_the_same_records(records in prop::collection::vec(record(), 1..6)) {
        let records: Vec<(String, String, String)> = records
            .into_iter()
            .enumerate()
            .map(|(i, (id, title, text))| (format!("{i}{id}"), title, text))
            .collect();
        let tmp = tempfile::tempdir().unwrap();
        let jsonl = tmp.path().join("in.jsonl");
        let mut body = String::new();
        for (id, title, text) in &records {
            body += &serde_json::json!({"id": id, "title": title, "text": text}).to_string();
            body.push('\n');
        }
        fs::write(&jsonl, body).unwrap();
        let csv_path = tmp.path().join("in.csv");
        let mut w = csv::Writer::from_path(&csv_path).unwrap();
        w.write_record(["id", "title", "text"]).unwrap();
        for (id, title, text) in &records {
            w.write_record([id, title, text]).unwrap();
        }
        w.flush().unwrap();
        drop(w);
        for path in [&jsonl, &csv_path] {
            let docs = read_inputs(std::slice::from_ref(path), &ReadConfig::default(), OnError::Fail).unwrap().docs;
            prop_assert_eq!(docs.len(), records.len());
            for (doc, (id, title, text)) in docs.iter().zip(&records) {
                prop_assert_eq!(&doc.id, id);
                prop_assert_eq!(doc.title.as_deref(), Some(title.trim()).filter(|t| !t.is_empty()));
                prop_assert_eq!(&doc.text, text);
            }
        }
    }

    /// The CSV and the JSONL tables of a run hold the same rows.
    #[test]
    fn csv_and_jsonl_tables_agree(records in prop::collection::vec(record(), 1..5)) {
        let docs: Vec<Document> = records.into_iter().enumerate().map(|(i, (id, title, text))| Document {
            id: format!("{i}{id}"),
            title: Some(title).filter(|t| !t.trim().is_empty()).map(|t| t.trim().to_owned()),
            site: None,
            text,
            source: Source { path: PathBuf::from("generated"), line: None },
            raw: None,
        }).collect();
        let outcome = Pipeline::new(Config::new(Vec::new())).unwrap().run_documents(Job::Run, docs).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        // Two directories: a run removes the other format's tables of an earlier run.
        let (csv_dir, json_dir) = (tmp.path().join("csv"), tmp.path().join("jsonl"));
        outcome.write_dir(&csv_dir, Job::Run, &OutputConfig::default()).unwrap();
        let json = OutputConfig { format: TableFormat::Jsonl, ..OutputConfig::default() };
        outcome.write_dir(&json_dir, Job::Run, &json).unwrap();
        for table in ["paragraphs", "summaries", "duplicates"] {
            let csv_rows = read_csv(&csv_dir.join(format!("{table}.csv")));
            let json_rows: Vec<serde_json::Map<String, serde_json::Value>> =
                fs::read_to_string(json_dir.join(format!("{table}.jsonl"))).unwrap()
                    .lines().map(|l| serde_json::from_str(l).unwrap()).collect();
            prop_assert_eq!(csv_rows.len(), json_rows.len());
            for (c, j) in csv_rows.iter().zip(&json_rows) {
                prop_assert_eq!(c.len(), j.len());
                for (key, value) in j {
                    let as_csv = match value {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    prop_assert_eq!(&c[key], &as_csv);
                }
            }
        }
        // The in-memory decisions are what the table says.
        let rows = read_csv(&csv_dir.join("paragraphs.csv"));
        let kept = outcome.dedup.decisions.iter().flatten().filter(|d| d.is_kept()).count();
        prop_assert_eq!(rows.iter().filter(|r| r["action"] == "keep").count(), kept);
        let titles = outcome.dedup.decisions.iter().flatten().filter(|d| matches!(d, Decision::Title)).count();
        prop_assert_eq!(rows.iter().filter(|r| r["reason"] == "title").count(), titles);
    }
}

/// A paragraph of many words (which may restate an earlier one of its article) or of at
/// most five distinct words (too few content terms to be compared as a restatement, and
/// so many exact and near copies).
fn mixed_paragraph() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => paragraph(),
        2 => prop::sample::subsequence(WORDS, 5)
            .prop_flat_map(|words| prop::collection::vec(prop::sample::select(words), 3..16))
            .prop_map(|words| format!("{}.", words.join(" "))),
    ]
}

/// Documents of mixed paragraphs, some fresh, some exact copies of earlier ones, some
/// near copies (an earlier paragraph with one of its words added at the end).
fn corpus_with_copies() -> impl Strategy<Value = Vec<Document>> {
    prop::collection::vec(
        prop::collection::vec(
            (mixed_paragraph(), any::<prop::sample::Index>(), 0..3u8),
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
                    .map(|(fresh, pick, how)| {
                        let p = match how {
                            1 if !seen.is_empty() => pick.get(&seen).clone(),
                            2 if !seen.is_empty() => {
                                let p = pick.get(&seen);
                                let word = p.split(' ').next().unwrap_or("harga");
                                format!("{} {word}.", p.trim_end_matches('.'))
                            }
                            _ => fresh,
                        };
                        seen.push(p.clone());
                        p
                    })
                    .collect();
                generated(d, &text)
            })
            .collect()
    })
}

/// An `(id, title, text)` record with awkward characters.
fn record() -> impl Strategy<Value = (String, String, String)> {
    let awkward = prop::sample::select(vec![
        ",",
        "\"",
        "\n",
        "\r\n",
        "=",
        "+",
        "-",
        "@",
        "é",
        "中文",
        " ",
        "'",
        "\t",
        "a",
        "Harga beras naik.",
    ]);
    let string = prop::collection::vec(awkward, 0..8).prop_map(|parts| parts.concat());
    (
        string
            .clone()
            .prop_filter("ids are not empty", |s| !s.is_empty()),
        string.clone(),
        string,
    )
}

/// A generated document `doc{d}` with one paragraph per line.
fn generated(d: usize, paragraphs: &[String]) -> Document {
    Document {
        id: format!("doc{d}"),
        title: None,
        site: None,
        text: paragraphs.join("\n"),
        source: Source {
            path: PathBuf::from("generated"),
            line: None,
        },
        raw: None,
    }
}
