//! Parquet in and out (issue 15, item 3): a Parquet input is read a row group at a time
//! with the same decisions as its JSON Lines, and `--format parquet` writes the tables and
//! `clean.parquet` with the input's schema, only the text replaced.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::util::{dedupsum, file_names, read_csv};

/// Articles that share boilerplate and a copied paragraph, so cleaning changes some texts
/// and leaves others.
fn texts(n: usize) -> Vec<String> {
    (0..n)
        .map(|k| {
            let mut paragraphs = vec![
                format!(
                    "Berita nomor {k} tentang kota yang berbeda setiap hari, dengan kalimat panjang yang unik {}.",
                    k * 7919
                ),
                "Baca juga: Harga cabai naik lagi di pasar induk".to_owned(),
            ];
            if k % 3 == 0 {
                paragraphs.push(
                    "Pemerintah daerah menyatakan bahwa pembangunan jembatan akan selesai tahun depan sesuai rencana awal."
                        .to_owned(),
                );
            }
            if k % 4 == 0 {
                paragraphs.push(format!("Penutup artikel {k} yang hanya ada di sini, tanpa salinan."));
            }
            paragraphs.join("\n\n")
        })
        .collect()
}

/// A batch of `n` articles with columns of several types around the text: an int64 id, a
/// timestamp, a boolean, a nullable string and a title.
fn articles(n: usize) -> RecordBatch {
    let schema = Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new(
            "published",
            DataType::Timestamp(TimeUnit::Millisecond, Some("+07:00".into())),
            true,
        ),
        Field::new("title", DataType::Utf8, true),
        Field::new("text", DataType::Utf8, false),
        Field::new("paywalled", DataType::Boolean, true),
        Field::new("author", DataType::Utf8, true),
    ]);
    let ids: Vec<i64> = (0..n as i64).map(|k| 1_000_000_000_000 + k).collect();
    let times: Vec<Option<i64>> = (0..n as i64)
        .map(|k| (k % 5 != 0).then_some(1_735_689_600_000 + k * 60_000))
        .collect();
    let titles: Vec<Option<String>> = (0..n)
        .map(|k| (k % 2 == 0).then(|| format!("Judul {k}")))
        .collect();
    let flags: Vec<Option<bool>> = (0..n).map(|k| (k % 7 != 0).then_some(k % 2 == 1)).collect();
    let authors: Vec<Option<String>> = (0..n)
        .map(|k| (k % 3 != 1).then(|| format!("Penulis {}", k % 4)))
        .collect();
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(ids)),
        Arc::new(TimestampMillisecondArray::from(times).with_timezone("+07:00")),
        Arc::new(StringArray::from(titles)),
        Arc::new(StringArray::from(texts(n))),
        Arc::new(BooleanArray::from(flags)),
        Arc::new(StringArray::from(authors)),
    ];
    RecordBatch::try_new(Arc::new(schema), columns).unwrap()
}

/// Writes `batch` as Parquet in row groups of `group` rows, zstd-compressed.
fn write_parquet(path: &Path, batch: &RecordBatch, group: usize) {
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group))
        .set_compression(Compression::ZSTD(Default::default()))
        .build();
    let mut writer =
        ArrowWriter::try_new(File::create(path).unwrap(), batch.schema(), Some(props)).unwrap();
    writer.write(batch).unwrap();
    writer.close().unwrap();
}

/// Every row of a Parquet file, as one batch, and the number of row groups.
fn read_parquet(path: &Path) -> (RecordBatch, usize) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let groups = builder.metadata().num_row_groups();
    let schema = builder.schema().clone();
    let batches: Vec<RecordBatch> = builder.build().unwrap().map(|b| b.unwrap()).collect();
    (
        arrow_select::concat::concat_batches(&schema, &batches).unwrap(),
        groups,
    )
}

/// The same articles as JSON Lines (id, title, text).
fn write_jsonl(path: &Path, batch: &RecordBatch) {
    let ids = batch
        .column(0)
        .as_primitive::<arrow_array::types::Int64Type>();
    let titles = batch.column(2).as_string::<i32>();
    let texts = batch.column(3).as_string::<i32>();
    let mut out = String::new();
    for k in 0..batch.num_rows() {
        let title = (!titles.is_null(k)).then(|| titles.value(k));
        let line = serde_json::json!({"id": ids.value(k), "title": title, "text": texts.value(k)});
        out.push_str(&line.to_string());
        out.push('\n');
    }
    fs::write(path, out).unwrap();
}

fn run(args: &[&str], input: &Path, out: &Path) {
    dedupsum()
        .args(args)
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .assert()
        .success();
}

#[test]
fn clean_parquet_keeps_the_input_schema_and_changes_only_the_text() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("news.parquet");
    let batch = articles(24);
    write_parquet(&input, &batch, 5);
    let out = tmp.path().join("out");
    run(&["run", "--format", "parquet"], &input, &out);
    assert_eq!(
        file_names(&out),
        [
            "clean.parquet",
            "documents.parquet",
            "duplicates.parquet",
            "errors.parquet",
            "paragraphs.parquet",
            "report.json",
            "summaries.parquet",
        ]
    );
    let (clean, _) = read_parquet(&out.join("clean.parquet"));
    assert_eq!(clean.schema().fields(), batch.schema().fields());
    assert_eq!(clean.num_rows(), batch.num_rows(), "no article was emptied");
    for k in 0..batch.num_columns() {
        if batch.schema().field(k).name() == "text" {
            continue;
        }
        assert_eq!(
            clean.column(k).as_ref(),
            batch.column(k).as_ref(),
            "column {}",
            batch.schema().field(k).name()
        );
    }
    // The text is the cleaned text: what `clean.jsonl` holds for the same run in CSV.
    let csv_out = tmp.path().join("csv");
    run(&["run"], &input, &csv_out);
    let cleaned: Vec<String> = fs::read_to_string(csv_out.join("clean.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_owned()
        })
        .collect();
    let got: Vec<String> = clean
        .column_by_name("text")
        .unwrap()
        .as_string::<i32>()
        .iter()
        .map(|t| t.unwrap().to_owned())
        .collect();
    assert_eq!(got, cleaned);
    let input_texts = batch.column(3).as_string::<i32>();
    let changed = (0..batch.num_rows())
        .filter(|&k| input_texts.value(k) != got[k])
        .count();
    assert_eq!(
        changed,
        batch.num_rows(),
        "the boilerplate line left every text"
    );
    assert!(got.iter().all(|t| !t.contains("Baca juga")));
    // clean.jsonl of a Parquet input carries every column too, in schema order.
    let line = fs::read_to_string(csv_out.join("clean.jsonl")).unwrap();
    let line = line.lines().nth(1).unwrap();
    let text = serde_json::to_string(&got[1]).unwrap();
    assert_eq!(
        line,
        format!(
            "{{\"id\":1000000000001,\"published\":\"2025-01-01T07:01:00+07:00\",\"title\":null,\"text\":{text},\"paywalled\":true,\"author\":null}}"
        )
    );
    // The tables hold what the CSV tables do, numbers as integers.
    let (paragraphs, _) = read_parquet(&out.join("paragraphs.parquet"));
    let rows = read_csv(&csv_out.join("paragraphs.csv"));
    assert_eq!(paragraphs.num_rows(), rows.len());
    let numbers = paragraphs
        .column_by_name("paragraph")
        .unwrap()
        .as_primitive::<arrow_array::types::Int64Type>();
    let actions = paragraphs
        .column_by_name("action")
        .unwrap()
        .as_string::<i32>();
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(numbers.value(k).to_string(), row["paragraph"]);
        assert_eq!(actions.value(k), row["action"]);
    }
    let (documents, _) = read_parquet(&out.join("documents.parquet"));
    let lines = documents
        .column_by_name("line")
        .unwrap()
        .as_primitive::<arrow_array::types::Int64Type>();
    let lines: Vec<i64> = lines.iter().map(|l| l.unwrap()).collect();
    assert_eq!(lines, (1..=24).collect::<Vec<i64>>(), "row numbers");
}

#[test]
fn row_groups_give_the_decisions_of_the_same_jsonl() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = articles(40);
    let parquet = tmp.path().join("news.parquet");
    let jsonl = tmp.path().join("news.jsonl");
    write_parquet(&parquet, &batch, 3);
    write_jsonl(&jsonl, &batch);
    assert_eq!(read_parquet(&parquet).1, 14, "row groups of 3 rows");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run(&["dedup"], &parquet, &a);
    run(&["dedup"], &jsonl, &b);
    // 13 copies of one paragraph; 40 boilerplate lines among 40 + 14 + 10 + 40 paragraphs.
    for (table, rows) in [("duplicates.csv", 13), ("paragraphs.csv", 104)] {
        let (x, y) = (
            fs::read_to_string(a.join(table)).unwrap(),
            fs::read_to_string(b.join(table)).unwrap(),
        );
        assert_eq!(x.lines().count(), rows + 1, "{table}");
        assert_eq!(x, y, "{table}");
    }
    let drops = read_csv(&a.join("paragraphs.csv"))
        .iter()
        .filter(|r| r["action"] == "drop")
        .count();
    assert_eq!(drops, 53);
}

#[test]
fn parquet_outputs_are_the_same_bytes_on_any_number_of_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("news.parquet");
    write_parquet(&input, &articles(60), 7);
    for command in ["run", "dedup"] {
        let outs: Vec<PathBuf> = ["1", "2", "3"]
            .iter()
            .map(|threads| {
                let out = tmp.path().join(format!("{command}-{threads}"));
                run(
                    &[command, "--format", "parquet", "--threads", threads],
                    &input,
                    &out,
                );
                out
            })
            .collect();
        let names = file_names(&outs[0]);
        assert!(names.contains(&"clean.parquet".to_owned()));
        for name in names.iter().filter(|n| n.ends_with(".parquet")) {
            let first = fs::read(outs[0].join(name)).unwrap();
            for other in &outs[1..] {
                assert!(
                    first == fs::read(other.join(name)).unwrap(),
                    "{command} {name}"
                );
            }
        }
    }
}

#[test]
fn a_corrupt_parquet_file_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good.parquet");
    write_parquet(&good, &articles(6), 2);
    let bytes = fs::read(&good).unwrap();
    let bad = tmp.path().join("bad.parquet");
    fs::write(&bad, &bytes[..bytes.len() / 2]).unwrap();
    let out = tmp.path().join("out");
    // Skipped by default: listed in errors, exit code 3, the good file still read.
    let output = dedupsum()
        .args(["run"])
        .arg(&good)
        .arg(&bad)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "skipped {}: not a readable Parquet file",
            bad.display()
        )),
        "{stderr}"
    );
    let errors = read_csv(&out.join("errors.csv"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["source"], bad.display().to_string());
    assert_eq!(read_csv(&out.join("summaries.csv")).len(), 6);
    // With --on-error fail: exit code 1, the message names the file, nothing written.
    let out2 = tmp.path().join("out2");
    let output = dedupsum()
        .args(["dedup", "--on-error", "fail", "--format", "parquet"])
        .arg(&bad)
        .arg("--out")
        .arg(&out2)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&bad.display().to_string()), "{stderr}");
    assert!(stderr.contains("not a readable Parquet file"), "{stderr}");
    assert!(!out2.exists() || file_names(&out2).is_empty());
    // A text file that is not Parquet, read as Parquet.
    let text = tmp.path().join("notes.txt");
    fs::write(&text, "Just some prose.").unwrap();
    let output = dedupsum()
        .args(["summarize", "--input-format", "parquet"])
        .arg(&text)
        .args(["--out", "-"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}: not a readable Parquet file", text.display())),
        "{stderr}"
    );
}

#[test]
fn other_inputs_get_string_columns_with_the_record_as_json() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("news.jsonl");
    fs::write(
        &input,
        "{\"url\":\"https://a\",\"id\":1,\"text\":\"Satu.\\n\\nDua.\",\"n\":1.50}\n{\"id\":\"b\",\"text\":\"Tiga.\"}\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    run(&["dedup", "--format", "parquet"], &input, &out);
    let (clean, _) = read_parquet(&out.join("clean.parquet"));
    let names: Vec<&str> = clean
        .schema_ref()
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(names, ["id", "title", "text", "record"]);
    let column = |name: &str| -> Vec<Option<String>> {
        clean
            .column_by_name(name)
            .unwrap()
            .as_string::<i32>()
            .iter()
            .map(|v| v.map(str::to_owned))
            .collect()
    };
    assert_eq!(column("id"), [Some("1".into()), Some("b".into())]);
    assert_eq!(
        column("text"),
        [Some("Satu.\n\nDua.".into()), Some("Tiga.".into())]
    );
    assert_eq!(
        column("record")[0].as_deref(),
        Some("{\"url\":\"https://a\",\"id\":1,\"text\":\"\",\"n\":1.50}")
    );
}

#[test]
fn parquet_outputs_replace_an_earlier_runs_csv_outputs_and_back() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("news.parquet");
    write_parquet(&input, &articles(5), 2);
    let out = tmp.path().join("out");
    run(&["run"], &input, &out);
    assert!(out.join("clean.jsonl").exists());
    fs::write(out.join("notes.md"), "mine").unwrap();
    run(&["dedup", "--format", "parquet"], &input, &out);
    assert_eq!(
        file_names(&out),
        [
            "clean.parquet",
            "documents.parquet",
            "duplicates.parquet",
            "errors.parquet",
            "notes.md",
            "paragraphs.parquet",
            "report.json",
        ]
    );
    run(&["run", "--format", "jsonl"], &input, &out);
    assert!(file_names(&out).iter().all(|n| !n.ends_with(".parquet")));
    assert!(out.join("clean.jsonl").exists());
}

#[test]
fn parquet_is_told_by_its_magic_on_standard_input_and_under_another_name() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("news.parquet");
    write_parquet(&input, &articles(9), 4);
    let bytes = fs::read(&input).unwrap();
    for command in ["run", "dedup"] {
        let out = tmp.path().join(command);
        dedupsum()
            .args([command, "-", "--out"])
            .arg(&out)
            .args(["-q", "--format", "parquet"])
            .write_stdin(bytes.clone())
            .assert()
            .success();
        let (clean, _) = read_parquet(&out.join("clean.parquet"));
        assert_eq!(clean.num_rows(), 9, "{command}");
        assert_eq!(clean.schema().fields(), articles(1).schema().fields());
    }
    // Named directly with an extension that says nothing: its first bytes say Parquet.
    let renamed = tmp.path().join("news.data");
    fs::copy(&input, &renamed).unwrap();
    let out = tmp.path().join("renamed");
    run(&["dedup"], &renamed, &out);
    assert_eq!(read_csv(&out.join("documents.csv")).len(), 9);
}

#[test]
fn a_directory_walk_reads_parquet_files_beside_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    write_parquet(&dir.join("a.parquet"), &articles(4), 2);
    fs::write(dir.join("b.jsonl"), "{\"id\":\"j\",\"text\":\"Satu.\"}\n").unwrap();
    let out = tmp.path().join("out");
    run(&["dedup"], &dir, &out);
    let documents = read_csv(&out.join("documents.csv"));
    let ids: Vec<&str> = documents.iter().map(|r| r["doc_id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "1000000000000",
            "1000000000001",
            "1000000000002",
            "1000000000003",
            "j"
        ]
    );
    // A mix of formats: clean.parquet falls back to the string columns.
    run(&["dedup", "--format", "parquet"], &dir, &out);
    let (clean, _) = read_parquet(&out.join("clean.parquet"));
    assert_eq!(clean.num_columns(), 4);
    assert_eq!(clean.num_rows(), 5);
}

#[test]
fn eval_reads_parquet_summaries_as_it_reads_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("news.parquet");
    write_parquet(&input, &articles(8), 3);
    let refs = tmp.path().join("refs.jsonl");
    let lines: Vec<String> = (0..8)
        .map(|k| {
            serde_json::json!({"id": (1_000_000_000_000i64 + k).to_string(), "summary": format!("Berita nomor {k} tentang kota")})
                .to_string()
        })
        .collect();
    fs::write(&refs, lines.join("\n") + "\n").unwrap();
    let mut scores = Vec::new();
    // The Parquet summaries also under a name that does not say Parquet: told by PAR1.
    for (format, name) in [
        ("csv", "s.csv"),
        ("parquet", "s.parquet"),
        ("parquet", "s.out"),
    ] {
        let summaries = tmp.path().join(name);
        dedupsum()
            .args(["summarize", "-q", "--format", format])
            .arg(&input)
            .arg("--out")
            .arg(&summaries)
            .assert()
            .success();
        let output = dedupsum()
            .args(["eval", "--json", "--refs"])
            .arg(&refs)
            .arg(&summaries)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        scores.push(String::from_utf8(output.stdout).unwrap());
    }
    assert!(scores[0].contains("\"articles\":8"), "{}", scores[0]);
    assert_eq!(scores[1], scores[0]);
    assert_eq!(scores[2], scores[0]);
}
