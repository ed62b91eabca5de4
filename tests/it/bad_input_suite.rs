//! The bad-input suite: each kind of broken or odd input, and exactly what it gets.
//!
//! Per-record problems are skipped by default: the run goes on, writes all outputs, lists
//! every skipped record in `errors.csv` (`source,line,record_id,error`), counts them in
//! `report.json` (`skipped_records`) and exits with code 3.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use predicates::prelude::*;
use tempfile::TempDir;

use super::util::{dedupsum, read_csv};

/// A temp dir with input files and an `out` directory to run into.
struct Case {
    tmp: TempDir,
}

/// What a run left behind.
struct Ran {
    code: i32,
    out: PathBuf,
    stderr: String,
}

impl Ran {
    fn errors(&self) -> Vec<HashMap<String, String>> {
        read_csv(&self.out.join("errors.csv"))
    }

    /// `(line, record_id, error)` of every errors.csv row.
    fn error_rows(&self) -> Vec<(String, String, String)> {
        self.errors()
            .into_iter()
            .map(|r| {
                (
                    r["line"].clone(),
                    r["record_id"].clone(),
                    r["error"].clone(),
                )
            })
            .collect()
    }

    fn clean(&self) -> Vec<serde_json::Value> {
        fs::read_to_string(self.out.join("clean.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn clean_ids(&self) -> Vec<String> {
        self.clean()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect()
    }

    fn report(&self) -> serde_json::Value {
        serde_json::from_slice(&fs::read(self.out.join("report.json")).unwrap()).unwrap()
    }

    fn paragraphs(&self) -> Vec<HashMap<String, String>> {
        read_csv(&self.out.join("paragraphs.csv"))
    }
}

impl Case {
    fn new() -> Case {
        Case {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    fn file(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.tmp.path().join(name);
        fs::write(&path, content).unwrap();
        path
    }

    /// Runs `dedupsum dedup <inputs> --out <tmp>/out <flags>`.
    fn dedup(&self, inputs: &[&Path], flags: &[&str]) -> Ran {
        self.command("dedup", inputs, flags, None)
    }

    fn command(&self, cmd: &str, inputs: &[&Path], flags: &[&str], stdin: Option<&[u8]>) -> Ran {
        let out = self.tmp.path().join("out");
        let mut command = dedupsum();
        command
            .arg(cmd)
            .args(inputs)
            .arg("--out")
            .arg(&out)
            .args(flags);
        if let Some(stdin) = stdin {
            command.write_stdin(stdin.to_vec());
        }
        let output = command.output().unwrap();
        Ran {
            code: output.status.code().unwrap_or(-1),
            out,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

const GOOD: &str = "Harga beras naik lagi di pasar Jakarta minggu ini.";

#[test]
fn empty_text_file_is_an_article_without_paragraphs() {
    let case = Case::new();
    let empty = case.file("empty.txt", "");
    let ran = case.dedup(&[&empty], &[]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["empty"]);
    assert_eq!(ran.clean()[0]["text"], "");
    assert!(ran.paragraphs().is_empty());
    assert!(ran.errors().is_empty());
}

#[test]
fn empty_jsonl_and_csv_hold_no_documents() {
    let case = Case::new();
    let jsonl = case.file("empty.jsonl", "");
    let csv = case.file("empty.csv", "");
    let ran = case.dedup(&[&jsonl, &csv], &[]);
    assert_eq!(ran.code, 1);
    assert!(ran.stderr.contains("no documents found"), "{}", ran.stderr);
    assert!(!ran.out.exists());
    // Beside another input they simply add nothing.
    let good = case.file("good.txt", GOOD);
    let ran = case.dedup(&[&jsonl, &good, &csv], &[]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["good"]);
}

#[test]
fn binary_file_is_skipped_with_its_nul_byte() {
    let case = Case::new();
    let blob = case.file("blob.bin", b"PK\x03\x04\x00\x00binary\xff\xfe");
    let good = case.file("good.txt", GOOD);
    let ran = case.dedup(&[&blob, &good], &[]);
    assert_eq!(ran.code, 3);
    assert_eq!(ran.clean_ids(), ["good"]);
    assert_eq!(
        ran.error_rows(),
        [(
            "1".into(),
            "blob".into(),
            "binary data (NUL byte at byte offset 4 in the file)".into()
        )]
    );
    assert_eq!(ran.errors()[0]["source"], blob.display().to_string());
    assert_eq!(ran.report()["skipped_records"], 1);
    assert!(
        ran.stderr
            .contains(&format!("skipped {}:1: binary data", blob.display())),
        "{}",
        ran.stderr
    );
}

#[test]
fn invalid_utf8_skips_the_file_or_the_line() {
    let case = Case::new();
    let text = case.file("bad.txt", b"Baris satu.\nBaris \xff dua.\n");
    let jsonl = case.file(
        "news.jsonl",
        b"{\"id\":\"a\",\"text\":\"Satu.\"}\n{\"id\":\"b\",\"text\":\"\xc3\x28\"}\n{\"id\":\"c\",\"text\":\"Tiga.\"}\n",
    );
    let ran = case.dedup(&[&text, &jsonl], &[]);
    assert_eq!(ran.code, 3);
    assert_eq!(ran.clean_ids(), ["a", "c"]);
    assert_eq!(
        ran.error_rows(),
        [
            (
                "2".into(),
                "bad".into(),
                "invalid UTF-8 (byte offset 18 in the file)".into()
            ),
            (
                "2".into(),
                String::new(),
                "invalid UTF-8 (byte offset 44 in the file)".into()
            ),
        ]
    );
}

#[test]
fn byte_order_marks_are_dropped_in_every_format() {
    let case = Case::new();
    let text = case.file("bom.txt", format!("\u{feff}{GOOD}"));
    let jsonl = case.file(
        "bom.jsonl",
        format!("\u{feff}{{\"id\":\"j\",\"text\":\"{GOOD}\"}}\n"),
    );
    let csv = case.file("bom.csv", format!("\u{feff}id,text\nc,{GOOD}\n"));
    // The three are one paragraph repeated, all dropped: kept to be looked at.
    let ran = case.dedup(&[&text, &jsonl, &csv], &["--keep-empty"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["bom", "j", "c"]);
    for doc in ran.clean() {
        assert!(!doc["text"].as_str().unwrap().contains('\u{feff}'));
    }
}

#[test]
fn crlf_and_mixed_line_endings_split_like_lf() {
    let case = Case::new();
    let lf = "Judul berita\n\nParagraf satu ada di sini.\nMasih paragraf satu.\n\nParagraf dua.\n";
    let crlf = case.file("crlf.txt", lf.replace('\n', "\r\n"));
    let mixed = case.file(
        "mixed.txt",
        "Judul berita\r\n\nParagraf satu ada di sini.\rMasih paragraf satu.\r\n\r\nParagraf dua.\n",
    );
    let lf = case.file("lf.txt", lf);
    let jsonl = case.file(
        "crlf.jsonl",
        "{\"id\":\"j1\",\"text\":\"Satu.\"}\r\n\r\n{\"id\":\"j2\",\"text\":\"Dua.\"}\r\n",
    );
    let ran = case.dedup(&[&lf, &crlf, &mixed, &jsonl], &["--all-pairs"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let rows = ran.paragraphs();
    let of = |id: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r["doc_id"] == id)
            .map(|r| r["text"].replace("\r\n", "\n").replace('\r', "\n"))
            .collect()
    };
    assert_eq!(of("lf").len(), 3);
    assert_eq!(of("crlf"), of("lf"));
    assert_eq!(of("mixed"), of("lf"));
    assert_eq!(of("j1"), ["Satu."]);
    assert_eq!(of("j2"), ["Dua."]);
}

#[test]
fn truncated_gzip_keeps_the_records_before_the_cut() {
    let case = Case::new();
    let mut jsonl = String::new();
    for i in 0..2000 {
        jsonl.push_str(&format!(
            "{{\"id\":\"d{i}\",\"text\":\"Artikel nomor {i} tentang harga {} di pasar.\"}}\n",
            i * 7919 % 10007
        ));
    }
    let gz = gzip(jsonl.as_bytes());
    let cut = case.file("news.jsonl.gz", &gz[..gz.len() * 2 / 3]);
    let ran = case.dedup(&[&cut], &[]);
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    let kept = ran.clean_ids().len();
    assert!(kept > 100 && kept < 2000, "kept {kept}");
    let errors = ran.error_rows();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, (kept + 1).to_string());
    assert!(
        errors[0].2.starts_with("cannot read: ")
            && errors[0].2.ends_with("the rest of the file is skipped"),
        "{}",
        errors[0].2
    );
}

#[test]
fn compressed_inputs_are_found_by_content() {
    let case = Case::new();
    let record = format!("{{\"id\":\"g\",\"text\":\"{GOOD}\"}}\n");
    // A gzip file with a misleading name, concatenated gzip members, and zstd.
    let gz = case.file("plain.jsonl", gzip(record.as_bytes()));
    let mut two = gzip(b"{\"id\":\"m1\",\"text\":\"Satu.\"}\n");
    two.extend(gzip(b"{\"id\":\"m2\",\"text\":\"Dua.\"}\n"));
    let members = case.file("members.jsonl.gz", two);
    let zst = case.file(
        "z.txt.zst",
        zstd::encode_all(GOOD.replace("beras", "gula").as_bytes(), 3).unwrap(),
    );
    let ran = case.dedup(&[&gz, &members, &zst], &[]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["g", "m1", "m2", "z"]);
}

#[test]
fn malformed_csv_quoting_skips_the_record() {
    let case = Case::new();
    let csv = case.file(
        "news.csv",
        "id,title,text\na,Judul,\"Teks \"rusak\" di sini.\"\nb,,\"Teks \"\"benar\"\".\"\nc,,x,y\nd,,\"tidak ditutup\ne,,f\n",
    );
    let ran = case.dedup(&[&csv], &[]);
    assert_eq!(ran.code, 3);
    assert_eq!(ran.clean_ids(), ["b"]);
    assert_eq!(ran.clean()[0]["text"], "Teks \"benar\".");
    let quoting =
        "malformed CSV quoting (a quote inside an unquoted field or text after a closing quote)";
    let unclosed = "malformed CSV quoting: unclosed quote opened at line 5; the rest of the file was read as one field";
    assert_eq!(
        ran.error_rows(),
        [
            ("2".into(), "a".into(), quoting.into()),
            (
                "4".into(),
                String::new(),
                "malformed CSV: 4 fields where the header has 3 (check the quoting)".into()
            ),
            ("5".into(), "d".into(), unclosed.into()),
        ]
    );
}

#[test]
fn csv_columns_are_chosen_by_flags() {
    let case = Case::new();
    let tsv = case.file(
        "news.tsv",
        format!("key\theadline\tbody\nk1\tJudul satu\t{GOOD}\n"),
    );
    let ran = case.command(
        "run",
        &[&tsv],
        &[
            "--id-field",
            "key",
            "--text-field",
            "body",
            "--title-field",
            "headline",
        ],
        None,
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    // clean.jsonl keeps the input's columns, under their names.
    assert_eq!(ran.clean()[0]["headline"], "Judul satu");
    assert_eq!(ran.clean()[0]["key"], "k1");
    let ran = case.dedup(&[&tsv], &[]);
    assert_eq!(ran.code, 3);
    assert_eq!(
        ran.error_rows()[0].2,
        "no column `id` in the header (key, headline, body); the file is skipped"
    );
}

#[test]
fn jsonl_line_that_is_not_an_object_or_lacks_fields() {
    let case = Case::new();
    let jsonl = case.file(
        "news.jsonl",
        "{\"id\":1,\"text\":\"Satu.\"}\n[1,2]\n\"teks\"\nnull\n{\"id\":\"x\"}\n{\"text\":\"t\"}\n{\"id\":[1],\"text\":\"t\"}\n{\"id\":2,\"text\":\"Dua.\"}\n",
    );
    let ran = case.dedup(&[&jsonl], &[]);
    assert_eq!(ran.code, 3);
    // The numeric ids stay numbers in clean.jsonl.
    let ids: Vec<serde_json::Value> = ran.clean().iter().map(|d| d["id"].clone()).collect();
    assert_eq!(ids, [serde_json::json!(1), serde_json::json!(2)]);
    let rows: Vec<(String, String, String)> = ran.error_rows();
    assert_eq!(
        rows,
        [
            ("2".into(), String::new(), "expected a JSON object".into()),
            ("3".into(), String::new(), "expected a JSON object".into()),
            ("4".into(), String::new(), "expected a JSON object".into()),
            ("5".into(), "x".into(), "missing text field `text`".into()),
            ("6".into(), String::new(), "missing id field `id`".into()),
            (
                "7".into(),
                String::new(),
                "field `id` is not a string or number".into()
            ),
        ]
    );
    assert_eq!(ran.report()["skipped_records"], 6);
}

#[test]
fn json_nesting_bomb_is_a_record_error() {
    let case = Case::new();
    let bomb = format!(
        "{{\"id\":\"bomb\",\"text\":{}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let jsonl = case.file(
        "news.jsonl",
        format!("{bomb}\n{{\"id\":\"ok\",\"text\":\"{GOOD}\"}}\n"),
    );
    let ran = case.dedup(&[&jsonl], &[]);
    assert_eq!(ran.code, 3);
    assert_eq!(ran.clean_ids(), ["ok"]);
    let rows = ran.error_rows();
    assert_eq!(rows[0].0, "1");
    assert!(
        rows[0]
            .2
            .starts_with("malformed JSON: recursion limit exceeded"),
        "{}",
        rows[0].2
    );
}

#[test]
fn oversize_records_and_compression_bombs_are_skipped() {
    let case = Case::new();
    let long = format!("{{\"id\":\"long\",\"text\":\"{}\"}}", "x".repeat(5000));
    let jsonl = case.file(
        "news.jsonl",
        format!("{long}\n{{\"id\":\"ok\",\"text\":\"{GOOD}\"}}\n"),
    );
    // 10 MB of one line, 10 KB compressed.
    let bomb = case.file("bomb.txt.gz", gzip(&vec![b'a'; 10 << 20]));
    let ran = case.dedup(
        &[&jsonl, &bomb],
        &["--max-record-bytes", "4096", "--max-input-bytes", "1000000"],
    );
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["ok"]);
    assert_eq!(
        ran.error_rows(),
        [
            (
                "1".into(),
                String::new(),
                "line of 5023 bytes is longer than the record limit of 4096 bytes (--max-record-bytes)".into()
            ),
            (
                String::new(),
                "bomb".into(),
                "file longer than the record limit of 4096 bytes (--max-record-bytes)".into()
            ),
        ]
    );
    let ran = case.dedup(&[&jsonl, &bomb], &["--max-input-bytes", "1000000"]);
    assert_eq!(ran.code, 3);
    assert_eq!(
        ran.error_rows()[0].2,
        "cannot read: input longer than 1000000 bytes after decompression (--max-input-bytes)"
    );
}

#[test]
fn duplicate_ids_are_kept_and_renamed() {
    let case = Case::new();
    let jsonl = case.file(
        "news.jsonl",
        "{\"id\":\"a\",\"text\":\"Pertama tentang harga beras.\"}\n{\"id\":\"a\",\"text\":\"Kedua tentang banjir Jakarta.\"}\n{\"id\":\"a#2\",\"text\":\"Ketiga tentang listrik kota.\"}\n",
    );
    let ran = case.dedup(&[&jsonl], &[]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["a", "a#3", "a#2"]);
    assert_eq!(ran.report()["renamed_ids"], 1);
    let rows = ran.paragraphs();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["doc_id"], "a#3");
    assert_eq!(rows[1]["text"], "Kedua tentang banjir Jakarta.");
}

#[test]
fn ids_with_commas_quotes_and_newlines_round_trip() {
    let case = Case::new();
    let ids = ["a,b", "say \"hi\"", "line\nbreak", "=cmd()"];
    let jsonl: String = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            serde_json::json!({"id": id, "text": format!("Artikel {i} tentang harga beras naik di pasar.")})
                .to_string()
                + "\n"
        })
        .collect();
    let jsonl = case.file("news.jsonl", jsonl + "{\"id\":\"x,\\\"y\\\"\\nz\"}\n");
    let ran = case.command("run", &[&jsonl], &[], None);
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ids);
    let summary_ids: Vec<String> = read_csv(&ran.out.join("summaries.csv"))
        .into_iter()
        .map(|r| r["doc_id"].clone())
        .collect();
    assert_eq!(summary_ids, ids);
    let para_ids: Vec<String> = ran
        .paragraphs()
        .into_iter()
        .map(|r| r["doc_id"].clone())
        .collect();
    assert_eq!(para_ids, ids);
    assert_eq!(ran.error_rows()[0].1, "x,\"y\"\nz");
}

#[test]
fn excel_safe_neutralises_formula_cells_only_with_the_flag() {
    let case = Case::new();
    let jsonl = case.file(
        "news.jsonl",
        "{\"id\":\"=1+1\",\"text\":\"@SUM(A1) adalah rumus.\\n\\n-5 derajat di Jakarta hari ini.\\n\\n+62 kode telepon.\\n\\nBiasa saja.\"}\n",
    );
    let ran = case.command("run", &[&jsonl], &["--excel-safe"], None);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let texts: Vec<String> = ran
        .paragraphs()
        .into_iter()
        .map(|r| r["text"].clone())
        .collect();
    assert_eq!(
        texts,
        [
            "'@SUM(A1) adalah rumus.",
            "'-5 derajat di Jakarta hari ini.",
            "'+62 kode telepon.",
            "Biasa saja."
        ]
    );
    assert!(ran.paragraphs().iter().all(|r| r["doc_id"] == "'=1+1"));
    assert_eq!(
        read_csv(&ran.out.join("summaries.csv"))[0]["doc_id"],
        "'=1+1"
    );
    // clean.jsonl is data, not a spreadsheet: never changed.
    assert_eq!(ran.clean_ids(), ["=1+1"]);
    let ran = case.command("run", &[&jsonl], &[], None);
    assert_eq!(ran.paragraphs()[0]["text"], "@SUM(A1) adalah rumus.");
}

/// Planted bug (issue 17): `--excel-safe` no longer guarding cells that open with a tab or a
/// carriage return, which OWASP lists with `=`, `+`, `-` and `@`. Ids are not trimmed, so
/// they reach the tables as they were given.
#[test]
fn excel_safe_guards_cells_opening_with_a_tab_or_a_carriage_return() {
    let case = Case::new();
    let jsonl = case.file(
        "news.jsonl",
        "{\"id\":\"\\t=1+1\",\"text\":\"Harga beras naik lagi di pasar Jakarta minggu ini.\"}\n\
         {\"id\":\"\\r=2+2\",\"text\":\"Pedagang sayur di Bandung menunggu kabar dari pemerintah kota.\"}\n\
         {\"id\":\" =3+3\",\"text\":\"Warga Medan antre minyak goreng sejak pagi hari di pasar.\"}\n",
    );
    let ran = case.command("run", &[&jsonl], &["--excel-safe"], None);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let expected = ["'\t=1+1", "'\r=2+2", " =3+3"];
    for table in ["summaries.csv", "paragraphs.csv", "documents.csv"] {
        let ids: Vec<String> = read_csv(&ran.out.join(table))
            .into_iter()
            .map(|r| r["doc_id"].clone())
            .collect();
        assert_eq!(ids, expected, "{table}");
    }
    // Without the flag the ids are written as they are.
    let ran = case.command("run", &[&jsonl], &[], None);
    let ids: Vec<String> = read_csv(&ran.out.join("summaries.csv"))
        .into_iter()
        .map(|r| r["doc_id"].clone())
        .collect();
    assert_eq!(ids, ["\t=1+1", "\r=2+2", " =3+3"]);
}

#[test]
fn format_jsonl_writes_the_tables_as_json_lines() {
    let case = Case::new();
    let bad = case.file(
        "bad.jsonl",
        "{oops\n{\"id\":\"a\",\"text\":\"Satu. Dua.\"}\n",
    );
    let ran = case.command("run", &[&bad], &["--format", "jsonl"], None);
    assert_eq!(ran.code, 3);
    let names = super::util::file_names(&ran.out);
    assert_eq!(
        names,
        [
            "clean.jsonl",
            "documents.jsonl",
            "duplicates.jsonl",
            "errors.jsonl",
            "paragraphs.jsonl",
            "report.json",
            "summaries.jsonl"
        ]
    );
    let error: serde_json::Value = serde_json::from_str(
        fs::read_to_string(ran.out.join("errors.jsonl"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    assert_eq!(error["line"], 1);
    assert_eq!(error["source"], bad.display().to_string());
    let para: serde_json::Value = serde_json::from_str(
        fs::read_to_string(ran.out.join("paragraphs.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(para["doc_id"], "a");
    assert_eq!(para["paragraph"], 1);
    assert_eq!(para["text"], "Satu. Dua.");
}

#[test]
fn standard_input_is_sniffed() {
    let case = Case::new();
    let jsonl = format!("{{\"id\":\"s1\",\"text\":\"{GOOD}\"}}\n");
    let ran = case.command("dedup", &[Path::new("-")], &[], Some(jsonl.as_bytes()));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["s1"]);
    let ran = case.command(
        "dedup",
        &[Path::new("-")],
        &[],
        Some(&gzip(jsonl.as_bytes())),
    );
    assert_eq!(ran.clean_ids(), ["s1"]);
    let ran = case.command("dedup", &[Path::new("-")], &[], Some(GOOD.as_bytes()));
    assert_eq!(ran.clean_ids(), ["stdin"]);
    assert_eq!(ran.clean()[0]["text"], GOOD);
    let ran = case.command("dedup", &[Path::new("-")], &[], Some(b"{oops\n"));
    assert_eq!(ran.code, 3);
    assert_eq!(ran.errors()[0]["source"], "<stdin>");
}

#[test]
fn globs_include_and_exclude_files_in_directories() {
    let case = Case::new();
    let dir = case.tmp.path().join("in");
    fs::create_dir_all(dir.join("drafts")).unwrap();
    fs::write(dir.join("a.txt"), GOOD).unwrap();
    fs::write(
        dir.join("b.jsonl"),
        format!("{{\"id\":\"b\",\"text\":\"{GOOD}\"}}\n"),
    )
    .unwrap();
    fs::write(dir.join("drafts/c.txt"), GOOD).unwrap();
    let ran = case.dedup(&[&dir], &["--glob", "*.txt", "--glob", "!drafts/**"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["a"]);
    let ran = case.dedup(&[&dir], &["--glob", "[oops"]);
    assert_eq!(ran.code, 1);
    assert!(ran.stderr.contains("--glob `[oops`"), "{}", ran.stderr);
}

#[test]
fn on_error_fail_writes_nothing() {
    let case = Case::new();
    let jsonl = case.file("news.jsonl", "{\"id\":1,\"text\":\"Satu.\"}\n[1]\n");
    let ran = case.dedup(&[&jsonl], &["--on-error", "fail"]);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr
            .contains(&format!("{}:2: expected a JSON object", jsonl.display())),
        "{}",
        ran.stderr
    );
    assert!(!ran.out.exists());
}

#[test]
fn summarize_to_stdout_and_a_closed_pipe_exits_quietly() {
    let case = Case::new();
    let jsonl: String = (0..3000)
        .map(|i| {
            format!(
                "{{\"id\":\"d{i}\",\"text\":\"Artikel {i}. Harga beras naik di pasar {i}.\"}}\n"
            )
        })
        .collect();
    let file = case.file("news.jsonl", jsonl);
    dedupsum()
        .args(["summarize", "--quiet", "--out", "-"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "doc_id,title,summary,sentence_ids,n_sentences,lang,status\nd0,",
        ));
    let file = file.to_str().unwrap();
    exits_quietly_into_a_closed_pipe(&["summarize", "--quiet", "--out", "-", file]);
}

#[test]
fn eval_into_a_closed_pipe_exits_quietly() {
    let case = Case::new();
    let refs = case.file("refs.jsonl", "{\"id\":\"a\",\"summary\":\"Harga naik.\"}\n");
    let summaries = case.file("s.csv", "doc_id,summary\na,Harga naik.\n");
    // The reader is gone before eval has read its two files, so its one write fails.
    let (refs, summaries) = (refs.to_str().unwrap(), summaries.to_str().unwrap());
    exits_quietly_into_a_closed_pipe(&["eval", "--refs", refs, summaries]);
}

/// Runs dedupsum with `args`, its standard output closed at once: it must end with code 0
/// and print nothing (a closed pipe is how `| head` ends a run, not an error).
fn exits_quietly_into_a_closed_pipe(args: &[&str]) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("dedupsum"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{args:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
}

#[test]
fn ctrl_c_exits_130_and_leaves_no_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // Standard input never closes: the run is still reading when the signal comes.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("dedupsum"))
        .args(["run", "-", "--out"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"{\"id\":\"a\",\"text\":\"Satu.\"}\n")
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
    assert!(!out.exists());
    drop(stdin);
}

#[test]
fn huge_article_finishes_with_its_limits_reported() {
    // 3,500 paragraphs (over the all-pairs limit of 3,000) of made-up words; paragraph
    // 1,500 says paragraph 10 again in another order.
    let word = |i: usize| {
        // SplitMix64: made-up words with no period, each in a handful of paragraphs.
        let mut z = (i as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        format!("kata{}", (z ^ (z >> 31)) % 20_000)
    };
    let mut paragraphs: Vec<String> = (0..3500)
        .map(|p| {
            let words: Vec<String> = (0..12).map(|k| word(p * 12 + k)).collect();
            format!("{}.", words.join(" "))
        })
        .collect();
    let mut restated: Vec<&str> = paragraphs[9].trim_end_matches('.').split(' ').collect();
    restated.reverse();
    paragraphs[1499] = format!("{} juga.", restated.join(" "));
    let case = Case::new();
    let file = case.file("huge.txt", paragraphs.join("\n\n"));
    let ran = case.command("run", &[&file], &[], None);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let rows = ran.paragraphs();
    assert_eq!(rows.len(), 3500);
    let dropped: Vec<(&str, &str, &str)> = rows
        .iter()
        .filter(|r| r["action"] == "drop")
        .map(|r| {
            (
                r["paragraph"].as_str(),
                r["reason"].as_str(),
                r["duplicate_of_paragraph"].as_str(),
            )
        })
        .collect();
    assert!(dropped.len() < 5, "{} dropped", dropped.len());
    assert_eq!(dropped, [("1500", "restated", "10")]);
    let limited = ran.report()["limited"].clone();
    assert_eq!(limited.as_array().unwrap().len(), 2, "{limited}");
    assert!(limited[0]["limit"]
        .as_str()
        .unwrap()
        .starts_with("more than 3000 paragraphs"));
    assert!(limited[1]["limit"]
        .as_str()
        .unwrap()
        .ends_with("summary chosen from the first 2000"));
    assert!(
        ran.stderr
            .contains("warning: huge: more than 3000 paragraphs"),
        "{}",
        ran.stderr
    );
}
