//! `fingerprint`, `decide` and `apply` through the binary: the outputs of `dedup`, and
//! every mismatch between the files refused with a message that says what to do.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, RecordBatch};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use predicates::str::contains;

use super::util::{corpus, dedupsum, file_names};

/// The corpus's files, each a shard of its own.
fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// Fingerprints each of `inputs` into a shard of its own under `tmp`, with `flags`.
fn fingerprint(tmp: &Path, inputs: &[PathBuf], flags: &[&str]) -> Vec<PathBuf> {
    inputs
        .iter()
        .enumerate()
        .map(|(k, input)| {
            let shard = tmp.join(format!("shard{k}"));
            dedupsum()
                .arg("fingerprint")
                .arg(input)
                .args(flags)
                .arg("--out")
                .arg(&shard)
                .assert()
                .success();
            shard
        })
        .collect()
}

/// `decide SHARDS --out tmp/decisions`.
fn decide(tmp: &Path, shards: &[PathBuf]) -> PathBuf {
    let out = tmp.join("decisions");
    dedupsum()
        .arg("decide")
        .args(shards)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    out
}

/// The files of `dir`, the report without what varies from run to run.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    file_names(dir)
        .into_iter()
        .map(|name| {
            let mut bytes = fs::read(dir.join(&name)).unwrap();
            if name == "report.json" {
                let mut report: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                for varying in ["seconds", "peak_memory_bytes", "peak_bytes_per_paragraph"] {
                    report.as_object_mut().unwrap().remove(varying);
                }
                bytes = report.to_string().into_bytes();
            }
            (name, bytes)
        })
        .collect()
}

/// The rows of a Parquet file.
fn read_parquet(path: &Path) -> Vec<RecordBatch> {
    ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn fingerprint_decide_apply_on_the_corpus_writes_what_dedup_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let shards = fingerprint(tmp.path(), &corpus_files(), &[]);
    let decisions = decide(tmp.path(), &shards);
    for format in ["csv", "parquet"] {
        let flags = ["--all-pairs", "--cut-datelines", "--format", format];
        let dedup_out = tmp.path().join(format!("dedup-{format}"));
        dedupsum()
            .arg("dedup")
            .arg(corpus())
            .args(flags)
            .arg("--out")
            .arg(&dedup_out)
            .assert()
            .success();
        let apply_out = tmp.path().join(format!("apply-{format}"));
        dedupsum()
            .arg("apply")
            .arg(corpus())
            .arg("--decisions")
            .arg(&decisions)
            .args(flags)
            .arg("--out")
            .arg(&apply_out)
            .assert()
            .success()
            .stderr(contains("dropped 12 (5 boilerplate, 7 restated)"));
        assert_eq!(outputs(&apply_out), outputs(&dedup_out), "{format}");
    }
}

/// `apply --summarize` writes what `run` writes, summaries included; summary flags
/// without it are refused, since they would shape nothing.
#[test]
fn apply_with_summaries_writes_what_run_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let shards = fingerprint(tmp.path(), &corpus_files(), &[]);
    let decisions = decide(tmp.path(), &shards);
    let flags = ["--cut-datelines", "--sentences", "2", "--scores"];
    let run_out = tmp.path().join("run");
    dedupsum()
        .arg("run")
        .arg(corpus())
        .args(flags)
        .arg("--out")
        .arg(&run_out)
        .assert()
        .success();
    let apply_out = tmp.path().join("apply");
    dedupsum()
        .arg("apply")
        .arg(corpus())
        .arg("--decisions")
        .arg(&decisions)
        .arg("--summarize")
        .args(flags)
        .arg("--out")
        .arg(&apply_out)
        .assert()
        .success();
    assert!(file_names(&apply_out).contains(&"summaries.csv".to_string()));
    assert_eq!(outputs(&apply_out), outputs(&run_out));
    dedupsum()
        .arg("apply")
        .arg(corpus())
        .arg("--decisions")
        .arg(&decisions)
        .arg("--sentences")
        .arg("2")
        .arg("--out")
        .arg(tmp.path().join("refused"))
        .assert()
        .code(1)
        .stderr(contains("shape summaries: add --summarize"));
    assert!(!tmp.path().join("refused").exists());
}

/// Every dropped paragraph names the kept one and its cluster; the kept one is listed with
/// the same cluster, the corpus-wide number of that paragraph.
#[test]
fn decisions_name_the_kept_paragraph_and_the_cluster_of_every_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let shards = fingerprint(tmp.path(), &corpus_files(), &[]);
    let decisions = decide(tmp.path(), &shards);
    assert_eq!(
        file_names(&decisions),
        [
            "decisions.parquet",
            "documents.parquet",
            "frequencies.parquet",
            "pairs.parquet"
        ]
    );
    let documents = read_parquet(&decisions.join("documents.parquet"));
    let paragraphs: Vec<i64> = documents
        .iter()
        .flat_map(|b| {
            b.column_by_name("paragraphs")
                .unwrap()
                .as_primitive::<Int64Type>()
                .values()
                .to_vec()
        })
        .collect();
    let offset = |doc: i64| paragraphs[..doc as usize].iter().sum::<i64>();
    let mut kept_clusters = BTreeMap::new();
    let mut drops = Vec::new();
    for batch in read_parquet(&decisions.join("decisions.parquet")) {
        let int = |name: &str| {
            batch
                .column_by_name(name)
                .unwrap()
                .as_primitive::<Int64Type>()
                .clone()
        };
        let text = |name: &str| {
            batch
                .column_by_name(name)
                .unwrap()
                .as_string::<i32>()
                .clone()
        };
        let (doc, paragraph, cluster) = (int("doc"), int("paragraph"), int("cluster_id"));
        let (of_doc, of_paragraph) = (int("duplicate_of_doc"), int("duplicate_of_paragraph"));
        let (decision, reason) = (text("decision"), text("reason"));
        for r in 0..batch.num_rows() {
            match decision.value(r) {
                "keep" => {
                    assert_eq!(cluster.value(r), offset(doc.value(r)) + paragraph.value(r));
                    kept_clusters.insert((doc.value(r), paragraph.value(r)), cluster.value(r));
                }
                "drop" if reason.value(r) == "boilerplate" => {
                    assert!(cluster.is_null(r) && of_doc.is_null(r));
                }
                "drop" => drops.push((
                    (of_doc.value(r), of_paragraph.value(r)),
                    cluster.value(r),
                    reason.value(r).to_string(),
                )),
                other => panic!("decision {other}"),
            }
        }
    }
    assert_eq!(drops.len(), 7, "{drops:?}");
    for (original, cluster, reason) in drops {
        assert_eq!(reason, "restated");
        assert_eq!(kept_clusters.get(&original), Some(&cluster), "{original:?}");
    }
}

#[test]
fn apply_refuses_inputs_that_changed_since_they_were_fingerprinted() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.jsonl");
    fs::write(
        &input,
        "{\"id\":\"a\",\"text\":\"Satu dua tiga empat lima enam.\"}\n",
    )
    .unwrap();
    let shards = fingerprint(tmp.path(), std::slice::from_ref(&input), &[]);
    let decisions = decide(tmp.path(), &shards);
    fs::write(
        &input,
        "{\"id\":\"a\",\"text\":\"Satu dua tiga empat lima tujuh.\"}\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    dedupsum()
        .arg("apply")
        .arg(&input)
        .arg("--decisions")
        .arg(&decisions)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("document 1 of the inputs (`a`) is not the one fingerprinted (`a`) or its text changed since"));
    assert!(!out.join("clean.jsonl").exists());
    // Another number of documents.
    fs::write(&input, "{\"id\":\"a\",\"text\":\"Satu dua tiga empat lima enam.\"}\n{\"id\":\"b\",\"text\":\"Lagi.\"}\n").unwrap();
    dedupsum()
        .arg("apply")
        .arg(&input)
        .arg("--decisions")
        .arg(&decisions)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("decides 1 documents, and the inputs hold 2"));
}

#[test]
fn decide_refuses_shards_fingerprinted_with_other_settings() {
    let tmp = tempfile::tempdir().unwrap();
    let files = corpus_files();
    let mut shards = fingerprint(&tmp.path().join("a"), &files[..1], &[]);
    shards.extend(fingerprint(
        &tmp.path().join("b"),
        &files[1..],
        &["--shingle-size", "4"],
    ));
    dedupsum()
        .arg("decide")
        .args(&shards)
        .arg("--out")
        .arg(tmp.path().join("decisions"))
        .assert()
        .code(1)
        .stderr(contains("fingerprinted with other settings (--shingle word --shingle-size 4 --lang auto) than the shards before it (--shingle word --shingle-size 5 --lang auto)"));
    assert!(!tmp
        .path()
        .join("decisions")
        .join("decisions.parquet")
        .exists());
}

#[test]
fn apply_refuses_another_language_setting_than_the_fingerprints() {
    let tmp = tempfile::tempdir().unwrap();
    let shards = fingerprint(tmp.path(), &corpus_files(), &["--lang", "id"]);
    let decisions = decide(tmp.path(), &shards);
    dedupsum()
        .arg("apply")
        .arg(corpus())
        .arg("--decisions")
        .arg(&decisions)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .code(1)
        .stderr(contains(
            "decided from fingerprints made with --lang id; apply them with the same",
        ));
}

/// A directory of one kind read as another, or an output into what the command reads:
/// refused, nothing replaced.
#[test]
fn files_of_one_step_are_not_read_or_overwritten_as_another() {
    let tmp = tempfile::tempdir().unwrap();
    let shards = fingerprint(tmp.path(), &corpus_files(), &[]);
    let decisions = decide(tmp.path(), &shards);
    dedupsum()
        .arg("decide")
        .arg(&decisions)
        .arg("--out")
        .arg(tmp.path().join("again"))
        .assert()
        .code(1)
        .stderr(contains("documents.parquet: not the shard documents table of dedupsum (its metadata says decided documents)"));
    let before = fs::read(shards[0].join("documents.parquet")).unwrap();
    dedupsum()
        .arg("decide")
        .args(&shards)
        .arg("--out")
        .arg(&shards[0])
        .assert()
        .code(1)
        .stderr(contains(
            "is a shard this command reads; choose another --out",
        ));
    assert_eq!(
        fs::read(shards[0].join("documents.parquet")).unwrap(),
        before
    );
    dedupsum()
        .arg("apply")
        .arg(corpus())
        .arg("--decisions")
        .arg(&shards[0])
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .code(1)
        .stderr(contains("documents.parquet: not the decided documents table of dedupsum (its metadata says shard documents)"));
    dedupsum()
        .arg("apply")
        .arg(corpus())
        .arg("--decisions")
        .arg(&decisions)
        .arg("--format")
        .arg("parquet")
        .arg("--out")
        .arg(&decisions)
        .assert()
        .code(1)
        .stderr(contains(
            "is the decisions this command reads; choose another --out",
        ));
}

/// A daily scrape: the second day cleaned against the first day's fingerprints keeps only
/// what is new, and adds its own fingerprints for the third; a copy of the first day's
/// story points at it by id.
#[test]
fn against_an_index_a_new_batch_keeps_only_what_is_new() {
    let tmp = tempfile::tempdir().unwrap();
    let story = "Harga beras di pasar induk naik tajam pekan ini menurut para pedagang setempat.";
    let day = |name: &str, body: &str| {
        let path = tmp.path().join(name);
        fs::write(&path, body).unwrap();
        path
    };
    let day1 = day(
        "day1.jsonl",
        &format!("{{\"id\":\"a\",\"text\":\"{story}\\n\\nPedagang mengeluhkan pasokan dari daerah yang berkurang sejak pekan lalu.\"}}\n"),
    );
    let day2 = day(
        "day2.jsonl",
        &format!("{{\"id\":\"b\",\"text\":\"{story}\\n\\nWarga antre membeli minyak goreng murah di kantor kelurahan sejak pagi.\"}}\n"),
    );
    let index = tmp.path().join("index");
    dedupsum()
        .arg("fingerprint")
        .arg(&day1)
        .arg("--out")
        .arg(index.join("day1"))
        .assert()
        .success();
    let out = tmp.path().join("out2");
    dedupsum()
        .arg("dedup")
        .arg(&day2)
        .arg("--against")
        .arg(&index)
        .arg("--save-fingerprints")
        .arg(index.join("day2"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("1 documents, 2 paragraphs, dropped 1 (1 exact)"));
    let paragraphs = super::util::read_csv(&out.join("paragraphs.csv"));
    assert_eq!(paragraphs.len(), 2);
    assert_eq!(
        (
            paragraphs[0]["doc_id"].as_str(),
            paragraphs[0]["action"].as_str(),
            paragraphs[0]["duplicate_of_doc"].as_str()
        ),
        ("b", "drop", "a")
    );
    assert_eq!(paragraphs[1]["action"], "keep");
    assert_eq!(file_names(&index), ["day1", "day2"]);
    // Day 3 repeats day 2's new paragraph: dropped against the grown index. Its record
    // that cannot be read is listed where it stands, after `c`, not among the index's.
    let day3 = day(
        "day3.jsonl",
        "{\"id\":\"c\",\"text\":\"Warga antre membeli minyak goreng murah di kantor kelurahan sejak pagi.\"}\nnot json\n",
    );
    let out3 = tmp.path().join("out3");
    dedupsum()
        .arg("dedup")
        .arg(&day3)
        .arg("--against")
        .arg(&index)
        .arg("--out")
        .arg(&out3)
        .assert()
        .code(3)
        .stderr(contains("1 documents, 1 paragraphs, dropped 1 (1 exact)"));
    let documents = super::util::read_csv(&out3.join("documents.csv"));
    let outcomes: Vec<(&str, &str)> = (documents.iter())
        .map(|r| (r["doc_id"].as_str(), r["outcome"].as_str()))
        .collect();
    assert_eq!(outcomes, [("c", "emptied"), ("", "skipped")]);
    // Saving day 2 again into its shard is refused: its copies would all drop.
    dedupsum()
        .arg("dedup")
        .arg(&day2)
        .arg("--against")
        .arg(&index)
        .arg("--save-fingerprints")
        .arg(index.join("day2"))
        .arg("--out")
        .arg(tmp.path().join("again"))
        .assert()
        .code(1)
        .stderr(contains(
            "day2: holds a shard already; remove it or choose another directory",
        ));
    // An index of other settings, or none at all, is refused before the inputs are read.
    dedupsum()
        .arg("dedup")
        .arg(&day3)
        .arg("--against")
        .arg(&index)
        .arg("--skip")
        .arg("restated")
        .arg("--out")
        .arg(tmp.path().join("other"))
        .assert()
        .code(1)
        .stderr(contains("fingerprinted with --shingle word --shingle-size 5 --lang auto, and this run has --shingle word --shingle-size 5 --lang auto --skip restated"));
    dedupsum()
        .arg("dedup")
        .arg(&day3)
        .arg("--against")
        .arg(tmp.path())
        .arg("--out")
        .arg(tmp.path().join("none"))
        .assert()
        .code(1)
        .stderr(contains(
            "neither a shard of fingerprints nor a directory of shards",
        ));
}
