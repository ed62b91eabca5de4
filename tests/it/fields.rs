//! Every field of a record survives into `clean.jsonl`; `documents.csv` accounts for every
//! input record; emptied documents and empty summaries are explained (issue 15, item 1).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

use super::util::{dedupsum, file_names, header, read_csv};

/// Paragraphs long enough to be prose.
const P1: &str =
    "Harga beras di pasar induk Jakarta naik lagi minggu ini karena pasokan dari daerah berkurang.";
const P2: &str = "Pemerintah berjanji menambah stok beras dari gudang Bulog agar harga kembali turun bulan depan.";
const P3: &str = "Para pedagang di Surabaya mengeluhkan sepinya pembeli sejak awal bulan karena harga terus naik.";

/// Runs `dedupsum <args…> --out <dir>/<name> -q` and returns the output directory; the
/// exit code must be `code`.
fn run(tmp: &TempDir, name: &str, args: &[&str], code: i32) -> PathBuf {
    let out = tmp.path().join(name);
    let output = dedupsum()
        .args(args)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

fn write(tmp: &TempDir, name: &str, content: &str) -> String {
    let path = tmp.path().join(name);
    fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_owned()
}

fn clean_lines(out: &Path) -> Vec<String> {
    fs::read_to_string(out.join("clean.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn clean_values(out: &Path) -> Vec<Value> {
    clean_lines(out)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn report(out: &Path) -> Value {
    serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap()
}

/// A JSON string literal.
fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn jsonl_records_keep_every_field_in_order_and_byte_for_byte() {
    let tmp = TempDir::new().unwrap();
    // Keys in no sorted order, a number too big for any integer type, a float written
    // oddly, nested values, odd spacing; the second record repeats P2, which cleaning
    // drops; the third repeats the first record's id.
    let first = format!(
        "{{\"url\": \"https://x.id/a\", \"id\":12345678901234567890123,\"meta\":{{\"tags\":[\"a\",{{\"b\":null}}],\"score\":1.50e-3}},\"text\":{},\"title\" : \"  Judul  \",\"z\":true}}",
        json(&format!("{P1}\n\n{P2}"))
    );
    let second = format!(
        "{{\"text\":{},\"id\":\"b\",\"n\":-0.0,\"list\":[1,2,3]}}",
        json(&format!("{P3}\n\n{P2}"))
    );
    let third = "{\"id\":12345678901234567890123,\"text\":\"Sebuah paragraf lain yang berbeda sama sekali dari yang lain.\",\"extra\":{}}";
    let input = write(&tmp, "news.jsonl", &format!("{first}\n{second}\n{third}\n"));
    let expected = [
        first.clone(),
        second.replace(&json(&format!("{P3}\n\n{P2}")), &json(P3)),
        third.replace(
            "\"id\":12345678901234567890123",
            "\"id\":\"12345678901234567890123#2\"",
        ),
    ];
    // In memory (run) and streamed, read again in a second pass (dedup).
    for command in ["run", "dedup"] {
        let out = run(&tmp, command, &[command, &input], 0);
        assert_eq!(clean_lines(&out), expected, "{command}");
    }
}

#[test]
fn csv_and_tsv_rows_keep_every_column_as_text_in_header_order() {
    let tmp = TempDir::new().unwrap();
    let csv = write(
        &tmp,
        "news.csv",
        &format!(
            "url,id,text,views,note\nhttps://x.id/a,007,\"{P1}\n\n{P2}\",12,\"a, \"\"b\"\"\"\nhttps://x.id/b,8,\"{P3}\n\n{P2}\",,\n"
        ),
    );
    let tsv = write(
        &tmp,
        "more.tsv",
        "key\tbody\tsite\nk1\tSebuah paragraf lain yang berbeda sama sekali.\tx.id\n",
    );
    let expected = [
        format!(
            "{{\"url\":\"https://x.id/a\",\"id\":\"007\",\"text\":{},\"views\":\"12\",\"note\":\"a, \\\"b\\\"\"}}",
            json(&format!("{P1}\n\n{P2}"))
        ),
        format!(
            "{{\"url\":\"https://x.id/b\",\"id\":\"8\",\"text\":{},\"views\":\"\",\"note\":\"\"}}",
            json(P3)
        ),
    ];
    for command in ["run", "dedup"] {
        let out = run(&tmp, command, &[command, &csv], 0);
        assert_eq!(clean_lines(&out), expected, "{command}");
        let out = run(
            &tmp,
            &format!("{command}-tsv"),
            &[command, &tsv, "--id-field", "key", "--text-field", "body"],
            0,
        );
        assert_eq!(
            clean_lines(&out),
            ["{\"key\":\"k1\",\"body\":\"Sebuah paragraf lain yang berbeda sama sekali.\",\"site\":\"x.id\"}"],
            "{command}"
        );
    }
}

/// The bytes of the texts in `clean.jsonl`.
fn clean_text_bytes(out: &Path) -> u64 {
    clean_values(out)
        .iter()
        .map(|d| d["text"].as_str().unwrap().len() as u64)
        .sum()
}

#[test]
fn emptied_documents_are_left_out_unless_kept() {
    let tmp = TempDir::new().unwrap();
    let input = write(
        &tmp,
        "news.jsonl",
        &format!(
            "{{\"id\":\"a\",\"text\":{}}}\n{{\"id\":\"copy\",\"text\":{}}}\n{{\"id\":\"c\",\"text\":{}}}\n",
            json(&format!("{P1}\n\n{P2}")),
            json(&format!("{P1}\n\n{P2}")),
            json(P3)
        ),
    );
    for command in ["run", "dedup"] {
        let out = run(&tmp, command, &[command, &input], 0);
        let ids: Vec<Value> = clean_values(&out).iter().map(|d| d["id"].clone()).collect();
        assert_eq!(ids, ["a", "c"], "{command}");
        assert_eq!(report(&out)["bytes_out"], clean_text_bytes(&out));

        let kept = format!("{command}-kept");
        let out = run(&tmp, &kept, &[command, &input, "--keep-empty"], 0);
        let docs = clean_values(&out);
        let ids: Vec<Value> = docs.iter().map(|d| d["id"].clone()).collect();
        assert_eq!(ids, ["a", "copy", "c"], "{command}");
        assert_eq!(docs[1]["text"], "");
        assert_eq!(report(&out)["bytes_out"], clean_text_bytes(&out));
    }
}

/// The rows of documents.csv summed up, and checked against report.json.
fn check_sums(out: &Path, rows: &[std::collections::HashMap<String, String>]) {
    let report = report(out);
    let sum =
        |column: &str| -> u64 { rows.iter().map(|r| r[column].parse::<u64>().unwrap()).sum() };
    let count = |outcome: &str| rows.iter().filter(|r| r["outcome"] == outcome).count() as u64;
    assert_eq!(
        (rows.len() as u64) - count("skipped"),
        report["documents"].as_u64().unwrap()
    );
    assert_eq!(
        count("skipped"),
        report["skipped_records"].as_u64().unwrap()
    );
    assert_eq!(sum("paragraphs_in"), report["paragraphs"].as_u64().unwrap());
    assert_eq!(sum("paragraphs_kept"), report["kept"].as_u64().unwrap());
    assert_eq!(sum("bytes_in"), report["bytes_in"].as_u64().unwrap());
    assert_eq!(sum("bytes_out"), report["bytes_out"].as_u64().unwrap());
}

#[test]
fn documents_table_has_a_row_per_input_record_adding_up_to_the_report() {
    let tmp = TempDir::new().unwrap();
    let input = write(
        &tmp,
        "news.jsonl",
        &format!(
            "{{oops\n{{\"id\":\"a\",\"text\":{}}}\n{{\"id\":\"copy\",\"text\":{}}}\n{{\"id\":\"x\"}}\n{{\"id\":\"blank\",\"text\":\"  \"}}\n{{\"id\":\"c\",\"text\":{}}}\n[1]\n",
            json(&format!("{P1}\n\n{P2}")),
            json(&format!("{P1}\n\n{P2}")),
            json(&format!("{P3}\n\n{P2}"))
        ),
    );
    for command in ["run", "dedup"] {
        let out = run(&tmp, command, &[command, &input], 3);
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
        let rows = read_csv(&out.join("documents.csv"));
        let shown: Vec<String> = rows
            .iter()
            .map(|r| {
                let line = format!(
                    "{} {} {}/{} {} {}",
                    r["doc_id"],
                    r["line"],
                    r["paragraphs_kept"],
                    r["paragraphs_in"],
                    r["outcome"],
                    r["copy_of"]
                );
                line.trim().to_owned()
            })
            .collect();
        assert_eq!(
            shown,
            [
                "1 0/0 skipped",
                "a 2 2/2 kept",
                "copy 3 0/2 emptied a",
                "x 4 0/0 skipped",
                "blank 5 0/0 empty",
                "c 6 1/2 kept",
                "7 0/0 skipped",
            ],
            "{command}"
        );
        let c = &rows[5];
        assert_eq!(c["bytes_in"], (P3.len() + 2 + P2.len()).to_string());
        assert_eq!(c["bytes_out"], P3.len().to_string());
        assert!(rows.iter().all(|r| r["source"].ends_with("news.jsonl")));
        check_sums(&out, &rows);
    }
    // As JSON Lines with --format jsonl; not written with --pairs-only.
    let out = run(&tmp, "jsonl", &["dedup", &input, "--format", "jsonl"], 3);
    let rows = fs::read_to_string(out.join("documents.jsonl")).unwrap();
    assert_eq!(rows.lines().count(), 7);
    let out = run(&tmp, "pairs", &["dedup", &input, "--pairs-only"], 3);
    assert!(!file_names(&out).iter().any(|n| n.starts_with("documents")));
}

#[test]
fn a_copy_of_paragraphs_of_several_documents_names_none() {
    let tmp = TempDir::new().unwrap();
    let input = write(
        &tmp,
        "news.jsonl",
        &format!(
            "{{\"id\":\"a\",\"text\":{}}}\n{{\"id\":\"b\",\"text\":{}}}\n{{\"id\":\"mix\",\"text\":{}}}\n",
            json(P1),
            json(P2),
            json(&format!("{P1}\n\n{P2}"))
        ),
    );
    let out = run(&tmp, "out", &["dedup", &input], 0);
    let rows = read_csv(&out.join("documents.csv"));
    assert_eq!(
        (rows[2]["outcome"].as_str(), rows[2]["copy_of"].as_str()),
        ("emptied", "")
    );
    check_sums(&out, &rows);
}

#[test]
fn summaries_say_why_a_summary_is_empty() {
    let tmp = TempDir::new().unwrap();
    let input = write(
        &tmp,
        "news.jsonl",
        &format!(
            "{{\"id\":\"a\",\"text\":{}}}\n{{\"id\":\"copy\",\"text\":{}}}\n{{\"id\":\"blank\",\"text\":\"\"}}\n{{\"id\":\"t\",\"title\":\"Harga beras naik lagi\",\"text\":\"Harga beras naik lagi\"}}\n",
            json(&format!("{P1}\n\n{P2}")),
            json(&format!("{P1}\n\n{P2}"))
        ),
    );
    let out = run(&tmp, "run", &["run", &input], 0);
    let rows = read_csv(&out.join("summaries.csv"));
    assert_eq!(header(&out.join("summaries.csv")).last().unwrap(), "status");
    let status: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["doc_id"].as_str(), r["status"].as_str()))
        .collect();
    assert_eq!(
        status,
        [
            ("a", "ok"),
            ("copy", "emptied"),
            ("blank", "empty"),
            ("t", "no sentences")
        ]
    );
    // summarize does not clean: the copy is summarised.
    let file = tmp.path().join("s.csv");
    dedupsum()
        .args(["summarize", "-q", &input, "--out"])
        .arg(&file)
        .assert()
        .success();
    let rows = read_csv(&file);
    let status: Vec<&str> = rows.iter().map(|r| r["status"].as_str()).collect();
    assert_eq!(status, ["ok", "ok", "empty", "no sentences"]);
}
