//! Invariants over generated corpora: nothing is lost, the outputs agree, and every
//! decision is the one the README's rules give.
//!
//! Every run tries the same cases: the seed is fixed unless `PROPTEST_RNG_SEED` gives
//! another, and `PROPTEST_CASES` asks for more cases than the few each property runs by
//! default (see "Development" in the README).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dedupsum::corpus::{read_inputs, Source};
use dedupsum::dedup::{Evidence, Measure, ParaRef};
use dedupsum::output::{OutputConfig, TableFormat};
use dedupsum::text::{Lang, LangChoice};
use dedupsum::{Config, Decision, DedupConfig, Document, Job, Kind, OnError, Pipeline, ReadConfig};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{RngSeed, TestCaseError};
use serde::Serialize;

use super::util::read_csv;

/// The seed of every property unless `PROPTEST_RNG_SEED` is set.
const SEED: u64 = 17;

/// Proptest settings: `cases` cases unless `PROPTEST_CASES` asks for another number, from
/// the fixed [`SEED`] unless `PROPTEST_RNG_SEED` gives another, so that `cargo test` (and
/// CI) tries the same cases on every run.
fn config(cases: u32) -> ProptestConfig {
    // The default reads the `PROPTEST_*` variables.
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(SEED);
    }
    config
}

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
    #![proptest_config(config(24))]

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

/// Checks that `clean.jsonl` is, byte for byte, the kept rows of `paragraphs.csv` (title
/// row as the title) joined by blank lines, and that cleaning it again drops nothing.
fn clean_twice(docs: Vec<Document>) -> Result<(), TestCaseError> {
    // The language is fixed: detected, it is read off the whole article, and removing
    // repeats can tip these word salads from one language to another (real articles
    // have far more evidence than a few copied lines).
    let config = Config {
        lang: LangChoice::Fixed(Lang::Indonesian),
        ..Config::new(Vec::new())
    };
    let pipeline = Pipeline::new(config).unwrap();
    let outcome = pipeline.run_documents(Job::Dedup, docs.clone()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    // Emptied documents kept, so that clean.jsonl has a line per document.
    let keep_empty = OutputConfig {
        keep_empty: true,
        ..OutputConfig::default()
    };
    outcome
        .write_dir(tmp.path(), Job::Dedup, &keep_empty)
        .unwrap();
    let rows = read_csv(&tmp.path().join("paragraphs.csv"));
    let mut rebuilt = Vec::new();
    for doc in &docs {
        let mine: Vec<_> = rows.iter().filter(|r| r["doc_id"] == doc.id).collect();
        let title = mine
            .first()
            .filter(|r| r["reason"] == "title")
            .map_or("", |r| r["text"].as_str());
        let kept: Vec<&str> = mine
            .iter()
            .filter(|r| r["action"] == "keep")
            .map(|r| r["text"].as_str())
            .collect();
        serde_json::to_writer(
            &mut rebuilt,
            &CleanLine {
                id: &doc.id,
                title,
                text: kept.join("\n\n"),
            },
        )
        .unwrap();
        rebuilt.push(b'\n');
    }
    let clean_path = tmp.path().join("clean.jsonl");
    prop_assert_eq!(
        String::from_utf8(rebuilt).unwrap(),
        fs::read_to_string(&clean_path).unwrap()
    );

    let again = read_clean(&clean_path);
    prop_assert_eq!(again.len(), docs.len());
    let second = pipeline.run_documents(Job::Dedup, again).unwrap();
    let dropped: Vec<_> = second
        .dedup
        .decisions
        .iter()
        .enumerate()
        .flat_map(|(d, ds)| {
            ds.iter()
                .enumerate()
                .filter(|(_, x)| !x.is_kept())
                .map(move |(p, x)| (d, p, *x))
        })
        .collect();
    prop_assert!(dropped.is_empty(), "second pass dropped {:?}", dropped);
    Ok(())
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
    #![proptest_config(config(16))]

    /// `clean.jsonl` is, byte for byte, the kept rows of `paragraphs.csv` (title row as the
    /// title) joined by blank lines; and cleaning `clean.jsonl` again drops nothing more
    /// (restatements included: their search repeats until it drops nothing).
    #[test]
    fn kept_rows_reproduce_clean_jsonl_and_cleaning_is_idempotent(docs in corpus_with_copies()) {
        clean_twice(docs)?;
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

// ---------------------------------------------------------------------------------------
// Corpora that reach the hard cases: chains and clusters of near copies across documents,
// copies inside one document, passages restated out of order, titles, and boilerplate
// repeated across many documents. Their decisions are checked against a model written
// here, independently of the library: exact copies by normalised text, near copies by a
// plain Jaccard over word 5-gram shingles (strings, not hashes).
// ---------------------------------------------------------------------------------------

/// Distinct words in [`vocabulary`].
const VOCABULARY: usize = 400;

/// Words of three syllables, all distinct: with this many, unrelated paragraphs share no
/// 5-word shingle and few terms, so every similarity in a corpus is one the generator made.
fn vocabulary() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        const CONSONANTS: &[u8] = b"bdgjklmnprstw";
        const VOWELS: &[u8] = b"aiueo";
        let syllables = CONSONANTS.len() * VOWELS.len();
        let syllable = |k: usize| {
            format!(
                "{}{}",
                CONSONANTS[k / VOWELS.len()] as char,
                VOWELS[k % VOWELS.len()] as char
            )
        };
        // 7919 is prime to 65³: the words are distinct, and spread over the syllables.
        (0..VOCABULARY)
            .map(|i| {
                let n = (i * 7919 + 13) % syllables.pow(3);
                format!(
                    "{}{}{}",
                    syllable(n / (syllables * syllables)),
                    syllable(n / syllables % syllables),
                    syllable(n % syllables)
                )
            })
            .collect()
    })
}

/// Lines of page furniture: built-in labels (always boilerplate) and footers of a site,
/// which are boilerplate when they are on pages of enough different stories.
const FURNITURE: &[&str] = &[
    "Baca juga: Harga beras naik lagi di pasar induk",
    "KOMENTAR",
    "Penulis | : | Adam Rizal |",
    "Ikuti berita terkini dan pilihan kami di kanal WhatsApp.",
    "Simak berita menarik lainnya di halaman utama kami.",
];

/// How many of the first lines of [`FURNITURE`] are labels, furniture on their own.
const LABELS: usize = 3;

/// One edit of a near copy.
#[derive(Debug, Clone)]
struct Edit {
    /// 0 replaces a word, 1 inserts one, 2 deletes one, 3 appends one to the paragraph.
    how: u8,
    at: prop::sample::Index,
    word: usize,
}

/// How a body paragraph is made.
#[derive(Debug, Clone)]
enum Make {
    /// New sentences (word indexes into [`vocabulary`]).
    Fresh(Vec<Vec<usize>>),
    /// An exact copy of an earlier prose paragraph of any document; `loud` writes it in
    /// capitals with doubled spaces (the same after normalisation).
    Exact { of: prop::sample::Index, loud: bool },
    /// A copy of an earlier prose paragraph of any document with a few words edited.
    Near {
        of: prop::sample::Index,
        edits: Vec<Edit>,
    },
    /// A copy, with a few words edited, of the latest prose paragraph: repeated, this
    /// makes chains (a copy of a copy of a copy, each a little further from the first).
    Chain(Vec<Edit>),
    /// An earlier prose paragraph of the same document said again with its sentences in
    /// another order, perhaps with a word changed.
    Restate {
        of: prop::sample::Index,
        turn: usize,
        edit: Option<Edit>,
    },
    /// A part of an earlier prose paragraph of any document: some of its sentences, in a
    /// row (a truncated or excerpted copy).
    Part {
        of: prop::sample::Index,
        from: prop::sample::Index,
        len: prop::sample::Index,
    },
    /// An earlier prose paragraph of any document with new sentences after it (a later,
    /// longer version).
    Longer {
        of: prop::sample::Index,
        more: Vec<Vec<usize>>,
    },
    /// A line of [`FURNITURE`].
    Furniture(usize),
    /// A cluster: copies of a new paragraph, which is not written itself (it may be
    /// copied later), each with one word replaced inside (5 words or more from either
    /// end), as two sites edit one wire story. The copies are as far from the original,
    /// and may be too far from each other to be near copies: the original, when it comes
    /// after them (`original`), then has equally good matches kept apart.
    Cluster {
        base: Vec<Vec<usize>>,
        edits: Vec<(prop::sample::Index, usize)>,
        original: bool,
    },
}

/// The plan of one document: maybe a title (new words, or an earlier document's title),
/// its body paragraphs, maybe a footer.
#[derive(Debug, Clone)]
struct DocPlan {
    title: Option<(Vec<usize>, Option<prop::sample::Index>)>,
    body: Vec<Make>,
    footer: Option<usize>,
}

fn word() -> impl Strategy<Value = usize> {
    0..VOCABULARY
}

fn edit() -> impl Strategy<Value = Edit> {
    (0..4u8, any::<prop::sample::Index>(), word()).prop_map(|(how, at, word)| Edit {
        how,
        at,
        word,
    })
}

/// Sentences of 5 to 12 words, 2 to 4 of them: paragraphs of 10 to 48 words, long enough
/// for shingles, and of lengths where one edited word keeps a near copy over the default
/// threshold or takes it under, depending on the length and where the edit falls.
fn sentences() -> impl Strategy<Value = Vec<Vec<usize>>> {
    prop::collection::vec(prop::collection::vec(word(), 5..13), 2..5)
}

fn make() -> impl Strategy<Value = Make> {
    prop_oneof![
        3 => sentences().prop_map(Make::Fresh),
        2 => (any::<prop::sample::Index>(), any::<bool>()).prop_map(|(of, loud)| Make::Exact { of, loud }),
        3 => (any::<prop::sample::Index>(), prop::collection::vec(edit(), 1..4))
            .prop_map(|(of, edits)| Make::Near { of, edits }),
        3 => prop::collection::vec(edit(), 1..3).prop_map(Make::Chain),
        2 => (any::<prop::sample::Index>(), 1..4usize, prop::option::of(edit()))
            .prop_map(|(of, turn, edit)| Make::Restate { of, turn, edit }),
        1 => (0..FURNITURE.len()).prop_map(Make::Furniture),
        1 => any::<(prop::sample::Index, prop::sample::Index, prop::sample::Index)>()
            .prop_map(|(of, from, len)| Make::Part { of, from, len }),
        1 => (any::<prop::sample::Index>(), prop::collection::vec(prop::collection::vec(word(), 5..13), 1..3))
            .prop_map(|(of, more)| Make::Longer { of, more }),
        1 => (
            prop::collection::vec(prop::collection::vec(word(), 8..13), 3..8),
            prop::collection::vec((any::<prop::sample::Index>(), word()), 2..4),
            any::<bool>(),
        )
            .prop_map(|(base, edits, original)| Make::Cluster { base, edits, original }),
    ]
}

fn doc_plan() -> impl Strategy<Value = DocPlan> {
    (
        prop::option::of((
            prop::collection::vec(word(), 3..8),
            prop::option::weighted(0.2, any::<prop::sample::Index>()),
        )),
        prop::collection::vec(make(), 1..9),
        prop::option::weighted(0.6, LABELS..FURNITURE.len()),
    )
        .prop_map(|(title, body, footer)| DocPlan {
            title,
            body,
            footer,
        })
}

/// A generated corpus: its documents and, per document, its paragraphs and whether the
/// first is a title.
#[derive(Debug, Clone)]
struct Generated {
    docs: Vec<Document>,
    paragraphs: Vec<Vec<String>>,
    titled: Vec<bool>,
}

/// Up to 8 documents: a paragraph of more than 12 words repeated on all of them is still
/// short of the 12 stories (4 × 3) that would make it boilerplate.
fn hard_corpus() -> impl Strategy<Value = Generated> {
    prop::collection::vec(doc_plan(), 1..9).prop_map(build)
}

/// The text of a paragraph of sentences of words.
fn render(sentences: &[Vec<String>]) -> String {
    sentences
        .iter()
        .map(|words| {
            let mut s = words.join(" ");
            if let Some(first) = s.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            s.push('.');
            s
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sentence and word index of the word at `at` in the paragraph.
fn locate(sentences: &[Vec<String>], mut at: usize) -> (usize, usize) {
    sentences
        .iter()
        .enumerate()
        .find_map(|(s, words)| {
            if at < words.len() {
                Some((s, at))
            } else {
                at -= words.len();
                None
            }
        })
        .unwrap()
}

fn apply(edit: &Edit, sentences: &mut [Vec<String>]) {
    let new = vocabulary()[edit.word].clone();
    let total: usize = sentences.iter().map(Vec::len).sum();
    let (s, w) = locate(sentences, edit.at.index(total));
    match edit.how {
        0 => sentences[s][w] = new,
        1 => sentences[s].insert(w, new),
        2 if sentences[s].len() > 3 => {
            sentences[s].remove(w);
        }
        _ => sentences.last_mut().unwrap().push(new),
    }
}

fn build(plans: Vec<DocPlan>) -> Generated {
    let words = vocabulary();
    let to_words = |s: &[usize]| s.iter().map(|&w| words[w].clone()).collect::<Vec<_>>();
    // Every prose paragraph so far, with its document.
    let mut prose: Vec<(usize, Vec<Vec<String>>)> = Vec::new();
    let mut titles: Vec<String> = Vec::new();
    let mut title_uses: Vec<usize> = Vec::new();
    let mut out = Generated {
        docs: Vec::new(),
        paragraphs: Vec::new(),
        titled: Vec::new(),
    };
    for (d, plan) in plans.into_iter().enumerate() {
        let mut paragraphs = Vec::new();
        if let Some((title, reuse)) = &plan.title {
            // A title is used on at most two pages: on three different stories it would
            // be a line repeated across stories, boilerplate.
            let reused = reuse
                .map(|pick| pick.index(titles.len().max(1)))
                .filter(|&t| t < titles.len() && title_uses[t] < 2);
            let text = match reused {
                Some(t) => {
                    title_uses[t] += 1;
                    titles[t].clone()
                }
                None => {
                    let mut text = to_words(title).join(" ");
                    text[..1].make_ascii_uppercase();
                    titles.push(text.clone());
                    title_uses.push(1);
                    text
                }
            };
            paragraphs.push(text);
        }
        for make in plan.body {
            let mine: Vec<usize> = (0..prose.len()).filter(|&k| prose[k].0 == d).collect();
            let made: Option<Vec<Vec<String>>> = match make {
                Make::Fresh(s) => Some(s.iter().map(|s| to_words(s)).collect()),
                Make::Exact { of, loud } if !prose.is_empty() => {
                    let copy = prose[of.index(prose.len())].1.clone();
                    if loud {
                        paragraphs.push(render(&copy).to_uppercase().replace(' ', "  "));
                        prose.push((d, copy));
                        continue;
                    }
                    Some(copy)
                }
                Make::Near { of, edits } if !prose.is_empty() => {
                    let mut copy = prose[of.index(prose.len())].1.clone();
                    edits.iter().for_each(|e| apply(e, &mut copy));
                    Some(copy)
                }
                Make::Chain(edits) if !prose.is_empty() => {
                    let mut copy = prose.last().unwrap().1.clone();
                    edits.iter().for_each(|e| apply(e, &mut copy));
                    Some(copy)
                }
                Make::Restate { of, turn, edit } if !mine.is_empty() => {
                    let mut copy = prose[mine[of.index(mine.len())]].1.clone();
                    let n = copy.len();
                    copy.rotate_left(turn % n);
                    if turn % n == 0 {
                        copy.reverse();
                    }
                    if let Some(e) = edit {
                        apply(&e, &mut copy);
                    }
                    Some(copy)
                }
                Make::Furniture(k) => {
                    paragraphs.push(FURNITURE[k].to_owned());
                    None
                }
                Make::Part { of, from, len } if !prose.is_empty() => {
                    let whole = &prose[of.index(prose.len())].1;
                    let from = from.index(whole.len());
                    let len = 1 + len.index(whole.len() - from);
                    Some(whole[from..from + len].to_vec())
                }
                Make::Longer { of, more } if !prose.is_empty() => {
                    let mut longer = prose[of.index(prose.len())].1.clone();
                    longer.extend(more.iter().map(|s| to_words(s)));
                    Some(longer)
                }
                Make::Cluster {
                    base,
                    edits,
                    original,
                } => {
                    let base: Vec<Vec<String>> = base.iter().map(|s| to_words(s)).collect();
                    let total: usize = base.iter().map(Vec::len).sum();
                    for (at, word) in edits {
                        let mut copy = base.clone();
                        // A position 5 words or more from either end (there are 24 at least).
                        let (s, w) = locate(&copy, 5 + at.index(total - 10));
                        copy[s][w] = words[word].clone();
                        paragraphs.push(render(&copy));
                        prose.push((d, copy));
                    }
                    if original {
                        paragraphs.push(render(&base));
                    }
                    prose.push((d, base));
                    continue;
                }
                // A copy with nothing to copy yet: a fresh paragraph.
                _ => Some(vec![
                    to_words(&[d, d + 1, d + 2, d + 3, d + 4, d + 5]),
                    to_words(&[d + 7, d + 9, d + 11, d + 13, d + 15]),
                ]),
            };
            if let Some(sentences) = made {
                paragraphs.push(render(&sentences));
                prose.push((d, sentences));
            }
        }
        if let Some(k) = plan.footer {
            paragraphs.push(FURNITURE[k].to_owned());
        }
        out.titled.push(plan.title.is_some());
        out.docs.push(Document {
            id: format!("doc{d}"),
            title: None,
            site: None,
            text: paragraphs.join("\n\n"),
            source: Source {
                path: PathBuf::from("generated"),
                line: None,
            },
            raw: None,
        });
        out.paragraphs.push(paragraphs);
    }
    out
}

/// What the model makes of a paragraph: its normalised text and its word n-gram shingles,
/// as the README defines them (words are runs of letters, digits and `_`, lower-cased; a
/// text of fewer words is one shingle, the whole text).
struct Model {
    norm: String,
    shingles: BTreeSet<String>,
}

impl Model {
    fn of(text: &str, size: usize) -> Model {
        let norm = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let words: Vec<String> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let shingles = if words.len() < size {
            std::iter::once(words.join(" ")).collect()
        } else {
            words.windows(size).map(|w| w.join(" ")).collect()
        };
        Model { norm, shingles }
    }

    /// The share of this paragraph's shingles in `other`'s, when this one is the smaller
    /// (or as large): what makes it a part of `other` under `--measure containment`.
    fn containment_in(&self, other: &Model) -> f64 {
        if self.shingles.len() > other.shingles.len() {
            return 0.0;
        }
        self.shingles.intersection(&other.shingles).count() as f64 / self.shingles.len() as f64
    }

    fn jaccard(&self, other: &Model) -> f64 {
        let common = self.shingles.intersection(&other.shingles).count();
        common as f64 / (self.shingles.len() + other.shingles.len() - common) as f64
    }
}

/// What the checks met: how far a batch of generated corpora reaches.
#[derive(Debug, Default)]
struct Reach {
    /// Near drops.
    near: usize,
    /// Contained drops (with `--measure containment`).
    contained: usize,
    /// Near drops whose best match was itself dropped (the pointer goes past it).
    chains: usize,
    /// Paragraphs with both an exact and a near copy before them.
    exact_and_near: usize,
    /// Paragraphs with near copies of different scores before them.
    several_near: usize,
    /// Paragraphs whose best near copies before them, of equal scores, have different
    /// kept originals.
    near_ties: usize,
    /// Paragraphs with a near copy before them whose similarity is the threshold.
    at_threshold: usize,
    /// Pairs of paragraphs made as near copies that are under the threshold.
    near_misses: usize,
    /// Exact or near drops pointing into their own document.
    inside_one_document: usize,
    restated: usize,
    boilerplate: usize,
    titles: usize,
}

/// The distinct shingle Jaccards in [0.4, 1) of pairs of paragraphs of `generated`, in
/// ascending order.
fn similarities(generated: &Generated, size: usize) -> Vec<f64> {
    let models: Vec<Model> = generated
        .paragraphs
        .iter()
        .flatten()
        .map(|p| Model::of(p, size))
        .collect();
    let mut out: Vec<f64> = (0..models.len())
        .flat_map(|g| (0..g).map(move |h| (h, g)))
        .map(|(h, g)| models[h].jaccard(&models[g]))
        .filter(|j| (0.4..1.0).contains(j))
        .collect();
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

/// Checks every decision of `decisions` on `generated` against the model (word shingles of
/// `config`'s size, Jaccard at its threshold): every paragraph decided once; titles and furniture as made;
/// an exact drop for a paragraph with an earlier copy (the earliest copy's kept original),
/// else a near drop for one with an earlier near copy (the best score, then the earliest,
/// its kept original, the score the model's Jaccard); a restated drop pointing at a kept
/// earlier paragraph of its document; kept paragraphs with no earlier copy.
fn check_decisions(
    generated: &Generated,
    decisions: &[Vec<Decision>],
    config: &DedupConfig,
    reach: &mut Reach,
) -> Result<(), TestCaseError> {
    let threshold = config.near_threshold;
    let containment = config.measure == Measure::Containment;
    prop_assert_eq!(decisions.len(), generated.paragraphs.len());
    let mut refs = Vec::new();
    for (d, (paragraphs, decided)) in generated.paragraphs.iter().zip(decisions).enumerate() {
        prop_assert_eq!(decided.len(), paragraphs.len(), "paragraphs of doc{}", d);
        refs.extend((0..paragraphs.len()).map(|p| (d, p)));
    }
    let text = |g: usize| generated.paragraphs[refs[g].0][refs[g].1].as_str();
    let decision = |g: usize| decisions[refs[g].0][refs[g].1];
    let models: Vec<Model> = (0..refs.len())
        .map(|g| Model::of(text(g), config.shingle_size))
        .collect();
    let index = |r: ParaRef| -> usize {
        refs.iter()
            .position(|&(d, p)| (d, p) == (r.doc as usize, r.para as usize))
            .unwrap()
    };
    // The kept paragraph behind `h`: itself, or what it was dropped for (checked before).
    let root = |h: usize| match decision(h) {
        Decision::Drop {
            duplicate_of: Some(original),
            ..
        } => index(original),
        _ => h,
    };
    let compared = |h: usize| {
        !matches!(
            decision(h),
            Decision::Title
                | Decision::Drop {
                    reason: Kind::Boilerplate,
                    ..
                }
        )
    };
    for g in 0..refs.len() {
        let (d, p) = refs[g];
        let here = format!("doc{d} paragraph {} {:?}", p + 1, text(g));
        let is_title = p == 0 && generated.titled[d];
        match decision(g) {
            Decision::Title => {
                prop_assert!(is_title, "{} is no title", here);
                reach.titles += 1;
                continue;
            }
            Decision::Drop {
                reason: Kind::Boilerplate,
                duplicate_of,
                ..
            } => {
                // Furniture as made, or a line on pages of 3 documents at least (12 for a
                // paragraph of more than 12 words); prose is never a template's line.
                let pages = (0..refs.len())
                    .filter(|&h| models[h].norm == models[g].norm)
                    .map(|h| refs[h].0)
                    .collect::<BTreeSet<_>>()
                    .len();
                let words = text(g).split_whitespace().count();
                prop_assert!(
                    FURNITURE.contains(&text(g)) || pages >= if words <= 12 { 3 } else { 12 },
                    "{} is no boilerplate",
                    here
                );
                prop_assert_eq!(duplicate_of, None);
                reach.boilerplate += 1;
                continue;
            }
            _ => {}
        }
        prop_assert!(!is_title, "the title {} is not one", here);
        prop_assert!(
            !FURNITURE[..LABELS].contains(&text(g)),
            "the label {} is not boilerplate",
            here
        );
        if let Decision::Drop {
            duplicate_of: Some(target),
            ..
        } = decision(g)
        {
            prop_assert!(
                decision(index(target)).is_kept(),
                "{} points at the dropped {:?}",
                here,
                target
            );
            prop_assert!(
                index(target) < g,
                "{} points at the later {:?}",
                here,
                target
            );
        }
        let exact = (0..g).find(|&h| compared(h) && models[h].norm == models[g].norm);
        // Near copies, and with containment the earlier paragraphs this one is (mostly) a
        // part of: `contained` when their Jaccard is under the threshold.
        let near: Vec<(usize, Kind, f64)> = (0..g)
            .filter(|&h| compared(h) && models[h].norm != models[g].norm)
            .filter_map(|h| {
                let j = models[h].jaccard(&models[g]);
                let c = models[g].containment_in(&models[h]);
                if j >= threshold {
                    Some((h, Kind::Near, j))
                } else if containment && c >= threshold {
                    Some((h, Kind::Contained, c))
                } else {
                    None
                }
            })
            .collect();
        reach.near_misses += (0..g)
            .filter(|&h| compared(h) && models[h].norm != models[g].norm)
            .filter(|&h| (0.5..threshold).contains(&models[h].jaccard(&models[g])))
            .count();
        if exact.is_some() && !near.is_empty() {
            reach.exact_and_near += 1;
        }
        if near.iter().any(|&(_, _, j)| j != near[0].2) {
            reach.several_near += 1;
        }
        if near.iter().any(|&(_, _, j)| j == threshold) {
            reach.at_threshold += 1;
        }
        // The strongest kind, then the highest score, then the earliest.
        let best_near = near.iter().copied().fold(
            None,
            |best: Option<(usize, Kind, f64)>, (h, k, j)| match best {
                Some((_, bk, b)) if (bk, -b) <= (k, -j) => best,
                _ => Some((h, k, j)),
            },
        );
        match (exact, best_near, decision(g)) {
            (
                Some(h),
                _,
                Decision::Drop {
                    reason,
                    duplicate_of,
                    score,
                    ..
                },
            ) => {
                prop_assert_eq!(reason, Kind::Exact, "{} copies {:?}", here, text(h));
                prop_assert_eq!(score, 1.0);
                prop_assert_eq!(duplicate_of.map(index), Some(root(h)), "{}", here);
                if refs[root(h)].0 == d {
                    reach.inside_one_document += 1;
                }
            }
            (
                None,
                Some((h, kind, j)),
                Decision::Drop {
                    reason,
                    duplicate_of,
                    score,
                    ..
                },
            ) => {
                prop_assert_eq!(reason, kind, "{} is a near copy of {:?}", here, text(h));
                prop_assert!(
                    (score - j).abs() < 1e-9,
                    "{}: score {} of the best near copy is {}",
                    here,
                    score,
                    j
                );
                prop_assert_eq!(
                    duplicate_of.map(index),
                    Some(root(h)),
                    "{} (best match {:?})",
                    here,
                    text(h)
                );
                match kind {
                    Kind::Contained => reach.contained += 1,
                    _ => reach.near += 1,
                }
                if root(h) != h {
                    reach.chains += 1;
                }
                if near
                    .iter()
                    .any(|&(k, kk, x)| (kk, x) == (kind, j) && root(k) != root(h))
                {
                    reach.near_ties += 1;
                }
                if refs[root(h)].0 == d {
                    reach.inside_one_document += 1;
                }
            }
            (
                None,
                None,
                Decision::Drop {
                    reason,
                    duplicate_of,
                    score,
                    evidence,
                },
            ) => {
                prop_assert_eq!(reason, Kind::Restated, "{} has no earlier copy", here);
                let target = duplicate_of.unwrap();
                prop_assert_eq!(target.doc as usize, d, "{} restates another document", here);
                prop_assert!(
                    score > 0.0 && score <= 1.0 && evidence != Evidence::None,
                    "{}",
                    here
                );
                reach.restated += 1;
            }
            (None, None, _) => {}
            (_, _, kept) => prop_assert!(false, "{} has an earlier copy and is {:?}", here, kept),
        }
    }
    Ok(())
}

/// `paragraphs.csv` holds every input paragraph once, in input order, with its text and
/// its decision; `duplicates.csv` one row per dropped repeat, the same pointer and score.
fn check_rows(
    generated: &Generated,
    decisions: &[Vec<Decision>],
    dir: &Path,
) -> Result<(), TestCaseError> {
    let rows = read_csv(&dir.join("paragraphs.csv"));
    let mut rows = rows.iter();
    let mut pointers = Vec::new();
    for (d, doc) in generated.docs.iter().enumerate() {
        for (p, text) in generated.paragraphs[d].iter().enumerate() {
            let row = rows.next().unwrap();
            prop_assert_eq!(&row["doc_id"], &doc.id);
            prop_assert_eq!(row["paragraph"].parse::<usize>().unwrap(), p + 1);
            prop_assert_eq!(&row["text"], text);
            let shown = |target: Option<ParaRef>| {
                target.map_or((String::new(), String::new()), |t| {
                    (format!("doc{}", t.doc), (t.para + 1).to_string())
                })
            };
            let (action, reason, target, score) = match decisions[d][p] {
                Decision::Keep => ("keep", "", (String::new(), String::new()), String::new()),
                Decision::Title => (
                    "keep",
                    "title",
                    (String::new(), String::new()),
                    String::new(),
                ),
                Decision::Drop {
                    reason,
                    duplicate_of,
                    score,
                    evidence,
                } => {
                    if let Some(t) = duplicate_of {
                        pointers.push([
                            format!("doc{}", t.doc),
                            (t.para + 1).to_string(),
                            doc.id.clone(),
                            (p + 1).to_string(),
                            reason.as_str().to_owned(),
                            format!("{score:.4}"),
                            evidence.as_str().to_owned(),
                        ]);
                    }
                    let score = if duplicate_of.is_some() {
                        format!("{score:.4}")
                    } else {
                        String::new()
                    };
                    ("drop", reason.as_str(), shown(duplicate_of), score)
                }
            };
            prop_assert_eq!(
                [
                    &row["action"],
                    &row["reason"],
                    &row["duplicate_of_doc"],
                    &row["duplicate_of_paragraph"],
                    &row["score"]
                ],
                [
                    action,
                    reason,
                    target.0.as_str(),
                    target.1.as_str(),
                    score.as_str()
                ],
                "doc{} paragraph {}",
                d,
                p + 1
            );
        }
    }
    prop_assert!(rows.next().is_none());
    let columns = [
        "doc_a", "para_a", "doc_b", "para_b", "kind", "score", "evidence",
    ];
    let table: Vec<[String; 7]> = read_csv(&dir.join("duplicates.csv"))
        .iter()
        .map(|row| columns.map(|c| row[c].clone()))
        .collect();
    prop_assert_eq!(table, pointers);
    Ok(())
}

/// The output files of a run, by name, less what changes from run to run in `report.json`
/// (times, memory, threads).
fn output_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let mut bytes = fs::read(&path).unwrap();
            if name == "report.json" {
                let mut report: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                for varying in [
                    "seconds",
                    "peak_memory_bytes",
                    "peak_bytes_per_paragraph",
                    "threads",
                ] {
                    report.as_object_mut().unwrap().remove(varying);
                }
                bytes = report.to_string().into_bytes();
            }
            (name, bytes)
        })
        .collect()
}

/// The documents as a JSON Lines file.
fn write_jsonl(docs: &[Document], path: &Path) {
    let mut body = String::new();
    for doc in docs {
        body += &serde_json::json!({"id": doc.id, "text": doc.text}).to_string();
        body.push('\n');
    }
    fs::write(path, body).unwrap();
}

proptest! {
    #![proptest_config(config(32))]

    /// Every paragraph is decided once, and each decision is the model's: titles kept,
    /// labels dropped as boilerplate, an exact copy dropped as `exact` (never `near`), a
    /// near copy as `near` with the score of its best match, each pointing at the kept
    /// original behind that match (never at a dropped paragraph, however long the chain),
    /// a restatement at a kept paragraph of its own article.
    #[test]
    fn decisions_are_the_best_match_pointing_at_its_kept_original(
        generated in hard_corpus(),
        threshold in prop::sample::select(vec![0.8, 0.8, 0.5, 0.6, 0.7, 0.9]),
        shingle_size in prop::sample::select(vec![5, 5, 3, 4]),
        at_a_pair in prop::option::weighted(0.3, any::<prop::sample::Index>()),
        measure in prop::sample::select(vec![Measure::Jaccard, Measure::Jaccard, Measure::Containment]),
    ) {
        // Sometimes the threshold is the similarity of two of the paragraphs: "at or
        // above" is tested at the edge.
        let similarities = similarities(&generated, shingle_size);
        let threshold = match at_a_pair {
            Some(pick) if !similarities.is_empty() => similarities[pick.index(similarities.len())],
            _ => threshold,
        };
        let dedup = DedupConfig { near_threshold: threshold, shingle_size, measure, ..DedupConfig::default() };
        let config = Config { dedup: dedup.clone(), ..Config::new(Vec::new()) };
        let outcome = Pipeline::new(config).unwrap().run_documents(Job::Run, generated.docs.clone()).unwrap();
        check_decisions(&generated, &outcome.dedup.decisions, &dedup, &mut Reach::default())?;
        let tmp = tempfile::tempdir().unwrap();
        outcome.write_dir(tmp.path(), Job::Run, &OutputConfig::default()).unwrap();
        check_rows(&generated, &outcome.dedup.decisions, tmp.path())?;
    }

    /// Cleaning the cleaned corpus drops nothing more, chains, clusters, restatements and
    /// furniture included: every near copy was dropped, and restatements are searched
    /// until a round drops nothing.
    #[test]
    fn cleaning_a_cleaned_corpus_drops_nothing_more(generated in hard_corpus()) {
        clean_twice(generated.docs)?;
    }

    /// The output bytes are the same for 1, 2 and 4 threads, for batches of one document,
    /// of a few and of the whole corpus, and for the texts streamed from files or given in
    /// memory; the decisions of `dedup` are those of `run`, and `--pairs-only` writes the
    /// pairs and report of the full run.
    #[test]
    fn outputs_are_the_same_for_any_thread_count_and_batch_size(generated in hard_corpus()) {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("in.jsonl");
        write_jsonl(&generated.docs, &input);
        let all_pairs = OutputConfig { all_pairs: true, ..OutputConfig::default() };
        let mut first: BTreeMap<&str, BTreeMap<String, Vec<u8>>> = BTreeMap::new();
        for (threads, batch_bytes) in [(1, 1), (2, 700), (4, 8 << 20)] {
            for (name, job) in [("dedup", Job::Dedup), ("run", Job::Run), ("summarize", Job::Summarize)] {
                let config = Config {
                    threads: Some(threads),
                    batch_bytes,
                    ..Config::new(vec![input.clone()])
                };
                let outcome = Pipeline::new(config).unwrap().run(job).unwrap();
                let dir = tmp.path().join(format!("{name}-{threads}"));
                outcome.write_dir(&dir, job, &all_pairs).unwrap();
                let bytes = output_bytes(&dir);
                match first.get(name) {
                    None => { first.insert(name, bytes); }
                    Some(earlier) => {
                        for (file, content) in earlier {
                            prop_assert!(
                                bytes.get(file) == Some(content),
                                "{} differs between 1 and {} threads (batches of {} bytes)",
                                file, threads, batch_bytes
                            );
                        }
                        prop_assert_eq!(earlier.len(), bytes.len());
                    }
                }
            }
        }
        for file in ["paragraphs.csv", "duplicates.csv", "documents.csv", "clean.jsonl"] {
            prop_assert!(first["dedup"][file] == first["run"][file], "{} of dedup and run differ", file);
        }
        // The texts in memory give what the streamed runs wrote.
        let docs = read_inputs(std::slice::from_ref(&input), &ReadConfig::default(), OnError::Fail).unwrap().docs;
        for (name, job) in [("dedup", Job::Dedup), ("run", Job::Run), ("summarize", Job::Summarize)] {
            let outcome = Pipeline::new(Config::new(Vec::new())).unwrap().run_documents(job, docs.clone()).unwrap();
            let dir = tmp.path().join(format!("{name}-in-memory"));
            outcome.write_dir(&dir, job, &all_pairs).unwrap();
            let bytes = output_bytes(&dir);
            for (file, content) in &first[name] {
                prop_assert!(bytes.get(file) == Some(content), "{} of {} in memory differs from streamed", file, name);
            }
        }
        // `--pairs-only` writes the pairs and report of the full run.
        let outcome = Pipeline::new(Config::new(vec![input.clone()])).unwrap().run(Job::Dedup).unwrap();
        let pairs_only = OutputConfig { pairs_only: true, ..all_pairs };
        let dir = tmp.path().join("pairs-only");
        outcome.write_dir(&dir, Job::Dedup, &pairs_only).unwrap();
        let bytes = output_bytes(&dir);
        prop_assert_eq!(bytes.keys().collect::<Vec<_>>(), ["duplicates.csv", "errors.csv", "report.json"]);
        for (file, content) in &bytes {
            prop_assert!(content == &first["dedup"][file], "{} of --pairs-only differs", file);
        }
    }
}

/// The generated corpora reach the cases the properties are for: over a fixed sample, near
/// drops at the end of a chain, paragraphs with both an exact and a near copy before them
/// or several near copies of different scores, near copies made that fall under the
/// threshold, copies inside one document, restated passages, boilerplate and titles.
#[test]
fn generated_corpora_reach_chains_conflicts_restatements_and_furniture() {
    let mut runner = proptest::test_runner::TestRunner::new(config(32));
    let mut reach = Reach::default();
    for _ in 0..32 {
        let generated = hard_corpus().new_tree(&mut runner).unwrap().current();
        // The default settings, a threshold that is a pair's similarity, containment.
        let similarities = similarities(&generated, 5);
        let mut settings = vec![(0.8, Measure::Jaccard), (0.8, Measure::Containment)];
        settings.extend(
            similarities
                .get(similarities.len() / 2)
                .map(|&t| (t, Measure::Jaccard)),
        );
        for (near_threshold, measure) in settings {
            let dedup = DedupConfig {
                near_threshold,
                measure,
                ..DedupConfig::default()
            };
            let config = Config {
                dedup: dedup.clone(),
                ..Config::new(Vec::new())
            };
            let outcome = Pipeline::new(config)
                .unwrap()
                .run_documents(Job::Dedup, generated.docs.clone())
                .unwrap();
            check_decisions(&generated, &outcome.dedup.decisions, &dedup, &mut reach).unwrap();
        }
    }
    eprintln!("{reach:?}");
    for (what, n) in [
        ("near", reach.near),
        ("contained", reach.contained),
        ("chains", reach.chains),
        ("exact and near", reach.exact_and_near),
        ("several near", reach.several_near),
        ("near ties", reach.near_ties),
        ("at the threshold", reach.at_threshold),
        ("near misses", reach.near_misses),
        ("inside one document", reach.inside_one_document),
        ("restated", reach.restated),
        ("boilerplate", reach.boilerplate),
        ("titles", reach.titles),
    ] {
        assert!(n >= 3, "{what}: {n} in {reach:?}");
    }
}

/// Every document opening with a dateline (its first paragraph, title or not), so that
/// the datelines of a site are learned and cut.
fn with_datelines(docs: &mut [Document]) {
    for doc in docs {
        doc.text = format!("Kota.com, Jakarta - {}", doc.text);
    }
}

/// Documents `docs` as JSON Lines with a `source` (site) field, `site_of` each.
fn write_jsonl_with_sites(docs: &[Document], sites: &[Option<&str>], path: &Path) {
    let mut body = String::new();
    for (doc, site) in docs.iter().zip(sites) {
        body += &serde_json::json!({"id": doc.id, "text": doc.text, "source": site}).to_string();
        body.push('\n');
    }
    fs::write(path, body).unwrap();
}

proptest! {
    #![proptest_config(config(24))]

    /// Any split of a corpus into shards, fingerprinted apart, decided together and
    /// applied, writes the bytes `dedup` writes over the whole: decisions, pointers across
    /// shards, renamed ids, datelines, every pair, the cleaned records and the report.
    #[test]
    fn fingerprint_decide_apply_equals_dedup_for_any_split_into_shards(
        generated in hard_corpus(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
        sites in prop::collection::vec(prop::sample::select(vec![None, Some("a.example"), Some("b.example")]), 8),
        repeat_id in prop::option::of(any::<prop::sample::Index>()),
        threads in 1usize..4,
        cut_datelines: bool,
        datelined: bool,
    ) {
        use dedupsum::index::decisions::Decisions;
        use dedupsum::output::OutputDir;
        let mut docs = generated.docs.clone();
        if datelined {
            with_datelines(&mut docs);
        }
        // A repeated id across shards is renamed as in one run.
        if let (Some(pick), true) = (repeat_id, docs.len() > 1) {
            let d = 1 + pick.index(docs.len() - 1);
            docs[d].id = docs[0].id.clone();
        }
        let mut bounds: Vec<usize> = cuts.iter().map(|c| 1 + c.index(docs.len())).filter(|&c| c < docs.len()).collect();
        bounds.extend([0, docs.len()]);
        bounds.sort_unstable();
        bounds.dedup();
        let tmp = tempfile::tempdir().unwrap();
        let inputs: Vec<PathBuf> = bounds.windows(2).enumerate().map(|(k, w)| {
            let path = tmp.path().join(format!("part{k}.jsonl"));
            write_jsonl_with_sites(&docs[w[0]..w[1]], &sites[w[0]..w[1]], &path);
            path
        }).collect();
        let output = OutputConfig { all_pairs: true, ..OutputConfig::default() };
        let config = |inputs: Vec<PathBuf>| {
            let mut config = Config::new(inputs);
            config.threads = Some(threads);
            config.dedup.cut_datelines = cut_datelines;
            config
        };
        let whole = Pipeline::new(config(inputs.clone())).unwrap().run(Job::Dedup).unwrap();
        whole.write_dir(&tmp.path().join("dedup"), Job::Dedup, &output).unwrap();

        let mut shards = Vec::new();
        for (k, input) in inputs.iter().enumerate() {
            let (shard, skipped) = Pipeline::new(config(vec![input.clone()])).unwrap().fingerprint().unwrap();
            prop_assert!(skipped.is_empty());
            let dir = tmp.path().join(format!("shard{k}"));
            shard.write(&OutputDir::create(&dir).unwrap()).unwrap();
            shards.push(dir);
        }
        let decided = Decisions::decide(&shards, &DedupConfig::default()).unwrap();
        let dir = tmp.path().join("decisions");
        decided.write(&OutputDir::create(&dir).unwrap()).unwrap();
        let read = Decisions::read(&dir).unwrap();
        let applied = Pipeline::new(config(inputs.clone())).unwrap().apply(Job::Dedup, read.clone(), &dir).unwrap();
        applied.write_dir(&tmp.path().join("apply"), Job::Dedup, &output).unwrap();
        let (expected, got) = (output_bytes(&tmp.path().join("dedup")), output_bytes(&tmp.path().join("apply")));
        prop_assert_eq!(expected.keys().collect::<Vec<_>>(), got.keys().collect::<Vec<_>>());
        for (file, content) in &expected {
            prop_assert!(&got[file] == content, "{} differs with {} shards", file, shards.len());
        }

        // Each slice applied apart, with the decisions of its documents alone, writes its
        // part of the same outputs.
        let mut parts = Vec::new();
        for (k, (input, w)) in inputs.iter().zip(bounds.windows(2)).enumerate() {
            let dir = tmp.path().join(format!("decisions{k}"));
            read.slice(w[0]..w[1]).write(&OutputDir::create(&dir).unwrap()).unwrap();
            let slice = Decisions::read(&dir).unwrap();
            let part = tmp.path().join(format!("apply{k}"));
            let applied = Pipeline::new(config(vec![input.clone()])).unwrap().apply(Job::Dedup, slice, &dir).unwrap();
            applied.write_dir(&part, Job::Dedup, &output).unwrap();
            parts.push(part);
        }
        let joined = joined_outputs(&parts);
        prop_assert_eq!(expected.keys().collect::<Vec<_>>(), joined.keys().collect::<Vec<_>>());
        for (file, content) in &joined {
            let whole = if file == "report.json" { report_counts(&expected[file]) } else { expected[file].clone() };
            prop_assert!(&whole == content, "{} differs from its slices' ({} slices)", file, parts.len());
        }

        // Summarised too, each slice weighs its terms by the whole corpus: the summaries
        // of one run.
        let run = tmp.path().join("run");
        Pipeline::new(config(inputs.clone())).unwrap().run(Job::Run).unwrap().write_dir(&run, Job::Run, &output).unwrap();
        let mut parts = Vec::new();
        for (k, input) in inputs.iter().enumerate() {
            let dir = tmp.path().join(format!("decisions{k}"));
            let slice = Decisions::read(&dir).unwrap();
            prop_assert!(slice.frequencies.is_some());
            let part = tmp.path().join(format!("run{k}"));
            let applied = Pipeline::new(config(vec![input.clone()])).unwrap().apply(Job::Run, slice, &dir).unwrap();
            applied.write_dir(&part, Job::Run, &output).unwrap();
            parts.push(part);
        }
        let joined = joined_outputs(&parts);
        prop_assert!(joined["summaries.csv"] == output_bytes(&run)["summaries.csv"], "summaries differ ({} slices)", parts.len());
    }
}

/// The outputs of runs over the slices of a corpus, as one run over it writes them:
/// each table's rows in slice order under one header, the counts of the reports added
/// (see [`report_counts`]).
fn joined_outputs(parts: &[PathBuf]) -> BTreeMap<String, Vec<u8>> {
    let mut joined: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut counts: BTreeMap<String, f64> = BTreeMap::new();
    for (k, part) in parts.iter().enumerate() {
        for (name, bytes) in output_bytes(part) {
            if name == "report.json" {
                let report: BTreeMap<String, f64> =
                    serde_json::from_slice(&report_counts(&bytes)).unwrap();
                for (key, n) in report {
                    *counts.entry(key).or_default() += n;
                }
                continue;
            }
            let rows = match (name.ends_with(".csv"), k) {
                (true, 1..) => bytes
                    .splitn(2, |&b| b == b'\n')
                    .nth(1)
                    .unwrap_or_default()
                    .to_vec(),
                _ => bytes,
            };
            joined.entry(name).or_default().extend(rows);
        }
    }
    joined.insert("report.json".into(), serde_json::to_vec(&counts).unwrap());
    joined
}

/// The counts of a `report.json` (its numbers, those of `dropped_by_reason` as
/// `dropped_by_reason.REASON`), as JSON.
fn report_counts(report: &[u8]) -> Vec<u8> {
    let report: serde_json::Value = serde_json::from_slice(report).unwrap();
    let mut counts: BTreeMap<String, f64> = BTreeMap::new();
    for (key, value) in report.as_object().unwrap() {
        if let Some(n) = value.as_f64() {
            counts.insert(key.clone(), n);
        }
    }
    for (reason, n) in report["dropped_by_reason"].as_object().unwrap() {
        counts.insert(format!("dropped_by_reason.{reason}"), n.as_f64().unwrap());
    }
    serde_json::to_vec(&counts).unwrap()
}

/// The rows of CSV table `path` whose `column` is one of `ids`, each as a list of cells.
fn rows_of(path: &Path, column: &str, ids: &BTreeSet<String>) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let at = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == column)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .filter(|r| ids.contains(&r[at]))
        .collect()
}

proptest! {
    #![proptest_config(config(24))]

    /// A corpus split in two, the second part cleaned against the fingerprints of the
    /// first, gives the second part's rows of cleaning the whole: earlier copies kept,
    /// later ones dropped pointing at them, in every table and count; and the
    /// fingerprints it saves are those `fingerprint` makes.
    #[test]
    fn against_the_first_part_the_second_is_cleaned_as_in_the_whole(
        generated in hard_corpus(),
        cut in any::<prop::sample::Index>(),
        repeat_id: bool,
        cut_datelines: bool,
        datelined: bool,
    ) {
        use dedupsum::index::shard::Shard;
        use dedupsum::output::OutputDir;
        let mut docs = generated.docs.clone();
        prop_assume!(docs.len() > 1);
        if datelined {
            with_datelines(&mut docs);
        }
        let k = 1 + cut.index(docs.len() - 1);
        if repeat_id {
            docs[k].id = docs[0].id.clone();
        }
        let sites = vec![None; docs.len()];
        let tmp = tempfile::tempdir().unwrap();
        let (first, second) = (tmp.path().join("first.jsonl"), tmp.path().join("second.jsonl"));
        write_jsonl_with_sites(&docs[..k], &sites[..k], &first);
        write_jsonl_with_sites(&docs[k..], &sites[k..], &second);
        let output = OutputConfig { all_pairs: true, ..OutputConfig::default() };
        let config = |inputs: Vec<PathBuf>| {
            let mut config = Config::new(inputs);
            config.dedup.cut_datelines = cut_datelines;
            config
        };
        let whole_dir = tmp.path().join("whole");
        Pipeline::new(config(vec![first.clone(), second.clone()])).unwrap().run(Job::Dedup).unwrap()
            .write_dir(&whole_dir, Job::Dedup, &output).unwrap();
        let (shard, _) = Pipeline::new(config(vec![first.clone()])).unwrap().fingerprint().unwrap();
        let index = tmp.path().join("index");
        shard.write(&OutputDir::create(&index.join("1")).unwrap()).unwrap();
        let mut against = config(vec![second.clone()]);
        against.against = vec![index.clone()];
        against.save_fingerprints = Some(index.join("2"));
        let inc_dir = tmp.path().join("inc");
        let report = Pipeline::new(against).unwrap().run(Job::Dedup).unwrap()
            .write_dir(&inc_dir, Job::Dedup, &output).unwrap();

        let ids: BTreeSet<String> = read_csv(&inc_dir.join("documents.csv")).into_iter().map(|r| r["doc_id"].clone()).collect();
        prop_assert_eq!(ids.len(), docs.len() - k);
        for (table, column) in [("paragraphs.csv", "doc_id"), ("documents.csv", "doc_id"), ("duplicates.csv", "doc_b")] {
            let all = BTreeSet::from_iter(read_csv(&inc_dir.join(table)).into_iter().map(|r| r[column].clone()));
            prop_assert!(all.is_subset(&ids), "{} names other documents", table);
            prop_assert_eq!(rows_of(&inc_dir.join(table), column, &ids), rows_of(&whole_dir.join(table), column, &ids), "{}", table);
        }
        let lines_of = |dir: &Path| -> Vec<String> {
            fs::read_to_string(dir.join("clean.jsonl")).unwrap().lines()
                .filter(|l| ids.contains(serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap()))
                .map(str::to_owned).collect()
        };
        prop_assert_eq!(lines_of(&inc_dir), lines_of(&whole_dir));
        // The counts are those of these rows.
        let paragraphs = read_csv(&inc_dir.join("paragraphs.csv"));
        let documents = read_csv(&inc_dir.join("documents.csv"));
        prop_assert_eq!(report.documents, docs.len() - k);
        prop_assert_eq!(report.paragraphs, paragraphs.len());
        prop_assert_eq!(report.dropped, paragraphs.iter().filter(|r| r["action"] == "drop").count());
        prop_assert_eq!(report.pairs, Some(read_csv(&inc_dir.join("duplicates.csv")).len()));
        prop_assert_eq!(report.bytes_out, documents.iter().map(|r| r["bytes_out"].parse::<usize>().unwrap()).sum::<usize>());
        let renamed = documents.iter().filter(|r| r["doc_id"].contains('#')).count();
        prop_assert_eq!(report.renamed_ids, renamed);
        // The saved fingerprints are the second part's.
        let (saved, _) = Pipeline::new(config(vec![second.clone()])).unwrap().fingerprint().unwrap();
        prop_assert_eq!(Shard::read(&index.join("2")).unwrap(), saved);
    }
}
