//! Inputs read as they are, or refused, never silently lost or changed (issue 14, items
//! 1–5 and 12): odd file names, formats on standard input, numeric ids, outputs that are
//! inputs, NUL characters, FIFOs.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use dedupsum::corpus::{read_stream, Format};
use dedupsum::ReadConfig;
use proptest::prelude::*;
use tempfile::TempDir;

use super::util::{dedupsum, file_names, read_csv};

/// What a run left behind.
struct Ran {
    code: i32,
    out: PathBuf,
    stderr: String,
}

impl Ran {
    fn report(&self) -> serde_json::Value {
        serde_json::from_slice(&fs::read(self.out.join("report.json")).unwrap()).unwrap()
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

    /// `error` of every errors.csv row.
    fn errors(&self) -> Vec<String> {
        read_csv(&self.out.join("errors.csv"))
            .into_iter()
            .map(|r| r["error"].clone())
            .collect()
    }
}

/// Runs `dedupsum <args>` (with `stdin`), at most 60 seconds: a hang is a failure, not a
/// stuck test.
fn run(args: &[&std::ffi::OsStr], out: &Path, stdin: Option<&[u8]>) -> Ran {
    let mut command = dedupsum();
    command.args(args).arg("--out").arg(out).arg("-q");
    command.timeout(Duration::from_secs(60));
    command.write_stdin(stdin.unwrap_or_default().to_vec());
    let output = command.output().unwrap();
    Ran {
        code: output.status.code().unwrap_or(-1),
        out: out.to_path_buf(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

const GOOD: &str = "Harga beras naik lagi di pasar Jakarta minggu ini.";

fn jsonl(n: usize) -> String {
    (0..n)
        .map(|i| format!("{{\"id\":\"d{i}\",\"text\":\"Artikel {i}. {GOOD}\"}}\n"))
        .collect()
}

// Item 1.
#[test]
fn a_file_name_that_is_not_utf8_is_read_by_its_exact_name() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("bn");
    fs::create_dir(&dir).unwrap();
    let bad = dir.join(std::ffi::OsStr::from_bytes(b"bad\xff.txt"));
    fs::write(&bad, "Bad.\n").unwrap();
    fs::write(dir.join("good.txt"), "Good.\n").unwrap();
    // Hidden, whatever the rest of the name.
    fs::write(
        dir.join(std::ffi::OsStr::from_bytes(b".hid\xff.txt")),
        "No.\n",
    )
    .unwrap();
    let ran = run(&[os("run"), dir.as_os_str()], &tmp.path().join("o"), None);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.report()["documents"], 2);
    assert_eq!(ran.clean_ids(), ["bad\u{fffd}", "good"]);
    assert_eq!(ran.clean()[0]["text"], "Bad.");
}

// Item 2.
#[test]
fn jsonl_on_standard_input_after_blank_lines_is_jsonl() {
    let tmp = TempDir::new().unwrap();
    let mut input = b"\r\n\r\n".to_vec();
    input.extend(jsonl(1000).as_bytes());
    let ran = run(&[os("run"), os("-")], &tmp.path().join("a"), Some(&input));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.report()["documents"], 1000);
    assert_eq!(ran.clean_ids()[999], "d999");

    // Blank space past every buffer on the way (stdin's, the decoder's, 64 KiB), with
    // byte-order marks and no-break spaces in it; compressed too.
    let mut input = "\u{feff} \t\r\n\u{a0}\n".repeat(40_000).into_bytes();
    input.extend(jsonl(3).as_bytes());
    assert!(input.len() > 300_000);
    let ran = run(&[os("dedup"), os("-")], &tmp.path().join("b"), Some(&input));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["d0", "d1", "d2"]);
    let gz = {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(&input).unwrap();
        e.finish().unwrap()
    };
    let ran = run(&[os("run"), os("-")], &tmp.path().join("c"), Some(&gz));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["d0", "d1", "d2"]);
}

// Item 2.
#[test]
fn csv_on_standard_input_is_csv_and_unclear_input_is_refused() {
    let tmp = TempDir::new().unwrap();
    let csv = format!("\n\nid,title,text\na,Judul,\"{GOOD}\"\nb,,Satu.\n");
    let ran = run(
        &[os("dedup"), os("-")],
        &tmp.path().join("a"),
        Some(csv.as_bytes()),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["a", "b"]);
    let rows = read_csv(&ran.out.join("paragraphs.csv"));
    assert_eq!(rows[0]["doc_id"], "a");

    let tsv = format!("id\ttext\nt1\t{GOOD}\n");
    let ran = run(
        &[os("dedup"), os("-")],
        &tmp.path().join("b"),
        Some(tsv.as_bytes()),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["t1"]);

    // Columns other than id and text: refused, not read as one text article.
    let other = format!("doc_id,body\nx1,{GOOD}\n");
    let out = tmp.path().join("c");
    let ran = run(&[os("run"), os("-")], &out, Some(other.as_bytes()));
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("<stdin>: cannot tell its format"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("--input-format"), "{}", ran.stderr);
    assert!(!out.exists());
    // Told, it reads.
    let ran = run(
        &[os("run"), os("-"), os("--input-format"), os("csv")],
        &out,
        Some(other.as_bytes()),
    );
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    assert!(
        ran.errors()[0].contains("no column `id`"),
        "{:?}",
        ran.errors()
    );
    let ran = run(
        &[
            os("run"),
            os("-"),
            os("--id-field"),
            os("doc_id"),
            os("--text-field"),
            os("body"),
        ],
        &out,
        Some(other.as_bytes()),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean()[0]["doc_id"], "x1");

    // A JSON array is not JSON Lines.
    let ran = run(
        &[os("run"), os("-")],
        &tmp.path().join("d"),
        Some(b"\n[{\"id\":\"a\",\"text\":\"x\"}]\n"),
    );
    assert_eq!(ran.code, 1);
    assert!(ran.stderr.contains("JSON array"), "{}", ran.stderr);

    // Prose is still one text article; --input-format text reads anything as one.
    let ran = run(
        &[os("run"), os("-")],
        &tmp.path().join("e"),
        Some(GOOD.as_bytes()),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["stdin"]);
    let ran = run(
        &[os("run"), os("-"), os("--input-format"), os("text")],
        &tmp.path().join("f"),
        Some(other.as_bytes()),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["stdin"]);
}

// Item 2: --input-format applies to files too.
#[test]
fn input_format_overrides_file_extensions() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("a.txt"), jsonl(2)).unwrap();
    let data = tmp.path().join("data.json");
    fs::write(&data, jsonl(3)).unwrap();
    let ran = run(
        &[
            os("dedup"),
            dir.as_os_str(),
            data.as_os_str(),
            os("--input-format"),
            os("jsonl"),
            // d0#2 and d1#2 repeat d0 and d1: emptied, kept to show their ids.
            os("--keep-empty"),
        ],
        &tmp.path().join("o"),
        None,
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["d0", "d1", "d0#2", "d1#2", "d2"]);
}

// Item 3.
#[test]
fn large_numeric_ids_keep_their_digits() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("big.jsonl");
    fs::write(
        &input,
        format!(
            "{{\"id\":12345678901234567890123,\"text\":\"Satu. {GOOD}\"}}\n\
             {{\"id\":12345678901234567890124,\"text\":\"Dua.\"}}\n\
             {{\"id\":1e3,\"text\":\"Tiga.\"}}\n\
             {{\"id\":-7,\"text\":\"Empat.\"}}\n"
        ),
    )
    .unwrap();
    let ran = run(&[os("run"), input.as_os_str()], &tmp.path().join("o"), None);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    // clean.jsonl writes each id as the input did: the number, digit for digit.
    let clean = fs::read_to_string(ran.out.join("clean.jsonl")).unwrap();
    let ids: Vec<&str> = clean
        .lines()
        .map(|l| {
            l.strip_prefix("{\"id\":")
                .unwrap()
                .split(',')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        ids,
        [
            "12345678901234567890123",
            "12345678901234567890124",
            "1e3",
            "-7"
        ]
    );
    let rows = read_csv(&ran.out.join("summaries.csv"));
    assert_eq!(rows[0]["doc_id"], "12345678901234567890123");
    assert_eq!(ran.report()["renamed_ids"], 0);
}

// Item 4.
#[test]
fn an_output_that_is_an_input_is_refused() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("x.jsonl");
    fs::write(&input, jsonl(3)).unwrap();
    let ran = run(&[os("summarize"), input.as_os_str()], &input, None);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(ran.stderr.contains("is also an output"), "{}", ran.stderr);
    assert_eq!(fs::read_to_string(&input).unwrap(), jsonl(3));
    // Under another name: a symbolic link, a hard link.
    let link = tmp.path().join("link.csv");
    std::os::unix::fs::symlink(&input, &link).unwrap();
    let ran = run(&[os("summarize"), input.as_os_str()], &link, None);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    let hard = tmp.path().join("hard.jsonl");
    fs::hard_link(&input, &hard).unwrap();
    let ran = run(&[os("summarize"), hard.as_os_str()], &input, None);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert_eq!(fs::read_to_string(&input).unwrap(), jsonl(3));
    // An output of the output directory named as an input.
    let out = tmp.path().join("o");
    let ran = run(&[os("run"), input.as_os_str()], &out, None);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let clean = out.join("clean.jsonl");
    let ran = run(&[os("run"), clean.as_os_str()], &out, None);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(ran.stderr.contains("is also an output"), "{}", ran.stderr);
}

// Item 4.
#[test]
fn the_output_directory_is_left_out_of_the_walk() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("dir");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("x.jsonl"), jsonl(3)).unwrap();
    let out = dir.join("out");
    for _ in 0..2 {
        let ran = run(&[os("run"), dir.as_os_str()], &out, None);
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        assert_eq!(ran.clean_ids(), ["d0", "d1", "d2"]);
        assert_eq!(ran.report()["renamed_ids"], 0);
    }
    // A summary file written into the directory is not read back either.
    let dir2 = tmp.path().join("dir2");
    fs::create_dir(&dir2).unwrap();
    fs::write(dir2.join("x.jsonl"), jsonl(3)).unwrap();
    let summary = dir2.join("s.csv");
    for _ in 0..2 {
        let ran = run(&[os("summarize"), dir2.as_os_str()], &summary, None);
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        assert_eq!(read_csv(&summary).len(), 3);
    }
    // The directory itself as the output: refused, nothing written.
    let before = file_names(&dir);
    let ran = run(&[os("run"), dir.as_os_str()], &dir, None);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("is also the output directory"),
        "{}",
        ran.stderr
    );
    assert_eq!(file_names(&dir), before);
}

// Item 5.
#[test]
fn a_nul_character_is_binary_data_in_every_format() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("a.jsonl"),
        format!(
            "{{\"id\":\"t\",\"text\":\"a\\u0000b\"}}\n\
             {{\"id\":\"i\\u0000\",\"text\":\"x\"}}\n\
             {{\"id\":\"h\",\"title\":\"T\\u0000\",\"text\":\"x\"}}\n\
             {{\"id\":\"ok\",\"text\":\"{GOOD}\"}}\n"
        ),
    )
    .unwrap();
    fs::write(dir.join("b.csv"), b"id,text\nc,a\0b\nd,fine\n").unwrap();
    fs::write(dir.join("c.tsv"), b"id\ttext\ne\0\tx\n").unwrap();
    fs::write(dir.join("d.txt"), b"a\0b").unwrap();
    let ran = run(&[os("run"), dir.as_os_str()], &tmp.path().join("o"), None);
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["ok", "d"]);
    let errors = ran.errors();
    assert_eq!(errors.len(), 6, "{errors:?}");
    for e in &errors {
        assert!(e.starts_with("binary data (NUL"), "{e}");
    }
    let rows = read_csv(&ran.out.join("errors.csv"));
    let ids: Vec<&str> = rows.iter().map(|r| r["record_id"].as_str()).collect();
    assert_eq!(ids, ["t", "", "h", "c", "", "d"]);
    for name in file_names(&ran.out) {
        let bytes = fs::read(ran.out.join(&name)).unwrap();
        assert!(!bytes.contains(&0), "a NUL in {name}");
    }
}

/// Makes a FIFO at `path`.
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

// Item 12.
#[test]
fn a_fifo_in_a_directory_is_listed_not_opened() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("a.txt"), GOOD).unwrap();
    mkfifo(&dir.join("p.txt"));
    let ran = run(&[os("run"), dir.as_os_str()], &tmp.path().join("o"), None);
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    assert_eq!(ran.clean_ids(), ["a"]);
    assert_eq!(ran.errors(), ["not a regular file (a FIFO); skipped"]);
    let rows = read_csv(&ran.out.join("errors.csv"));
    assert_eq!(rows[0]["source"], dir.join("p.txt").display().to_string());
}

// Item 12.
#[test]
fn dedup_reads_a_named_fifo_or_process_substitution_once() {
    let tmp = TempDir::new().unwrap();
    let spool_dir = tmp.path().join("tmp");
    fs::create_dir(&spool_dir).unwrap();
    let fifo = tmp.path().join("news.jsonl");
    mkfifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(fifo, jsonl(3)))
    };
    let out = tmp.path().join("a");
    let output = dedupsum()
        .env("TMPDIR", &spool_dir)
        .args(["dedup", "-q", "--out"])
        .arg(&out)
        .arg(&fifo)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    writer.join().unwrap().unwrap();
    let ran = Ran {
        code: 0,
        out: out.clone(),
        stderr: String::new(),
    };
    assert_eq!(ran.clean_ids(), ["d0", "d1", "d2"]);
    assert_eq!(read_csv(&out.join("paragraphs.csv")).len(), 3);
    assert_eq!(fs::read_dir(&spool_dir).unwrap().count(), 0, "spool left");

    // `<(…)`: a pipe named /dev/fd/N.
    let source = tmp.path().join("src.jsonl");
    fs::write(&source, jsonl(4)).unwrap();
    let out = tmp.path().join("b");
    let script = format!(
        "exec \"$0\" dedup -q --input-format jsonl --out '{}' <(cat '{}')",
        out.display(),
        source.display()
    );
    let status = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(assert_cmd::cargo::cargo_bin("dedupsum"))
        .env("TMPDIR", &spool_dir)
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let ran = Ran {
        code: 0,
        out,
        stderr: String::new(),
    };
    assert_eq!(ran.clean_ids(), ["d0", "d1", "d2", "d3"]);
    assert_eq!(fs::read_dir(&spool_dir).unwrap().count(), 0, "spool left");
}

/// What a stream is, to check how it was read.
#[derive(Debug, Clone)]
enum Body {
    /// JSON Lines records with these ids.
    Jsonl(Vec<u32>),
    /// CSV or TSV (the delimiter) rows with these ids.
    Delimited(u8, Vec<u32>),
    /// Prose lines.
    Text(Vec<String>),
}

/// Blank pieces, each repeated up to a few thousand times: some prefixes run past the
/// 64 KiB buffers, a few past the look-ahead.
fn blank_prefix() -> impl Strategy<Value = (String, String)> {
    let piece = prop::sample::select(vec![
        " ", "\t", "\r", "\n", "\r\n", "\u{feff}", "\u{a0}", "\u{2028}", "\u{b}", "\u{c}",
        "\u{3000}",
    ]);
    let run = (
        piece,
        prop_oneof![8 => 1..4usize, 2 => 1..3000usize, 1 => 1..40_000usize],
    );
    let same_line = prop::sample::select(vec![" ", "\u{feff}", "\u{a0}", "\u{3000}"]);
    (
        prop::collection::vec(run, 0..12).prop_map(|runs| {
            runs.into_iter()
                .map(|(piece, n)| piece.repeat(n))
                .collect::<String>()
        }),
        prop::collection::vec(same_line, 0..3).prop_map(|p| p.concat()),
    )
}

fn body() -> impl Strategy<Value = Body> {
    let ids = prop::collection::vec(any::<u32>(), 1..6);
    let sentence = prop::collection::vec(
        prop::sample::select(vec!["harga", "beras", "naik", "pasar", "di"]),
        2..8,
    )
    .prop_map(|w| format!("{}, kata warga.", w.join(" ")));
    prop_oneof![
        ids.clone().prop_map(Body::Jsonl),
        ids.clone().prop_map(|ids| Body::Delimited(b',', ids)),
        ids.prop_map(|ids| Body::Delimited(b'\t', ids)),
        prop::collection::vec(sentence, 1..4).prop_map(Body::Text),
    ]
}

/// Lines before the body, counted as each reader counts them.
fn lines_in(prefix: &str, csv: bool) -> usize {
    if !csv {
        return prefix.matches('\n').count();
    }
    let bytes = prefix.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'\r' || (bytes[i] == b'\n' && (i == 0 || bytes[i - 1] != b'\r')))
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    /// Standard-input sniffing: whatever blank space comes first, JSON Lines, CSV and TSV
    /// are read as such (every record, at its line) and text as one article, or the
    /// stream is refused with a message naming --input-format. Never misread.
    #[test]
    fn sniffing_looks_past_any_blank_prefix((lines, same_line) in blank_prefix(), body in body()) {
        // A tab before a TSV header is an empty first column: keep tabs off that line.
        let last_line = lines.rsplit(['\n', '\r']).next().unwrap_or("");
        let end = if matches!(body, Body::Delimited(b'\t', _)) && last_line.contains('\t') {
            "\n"
        } else {
            ""
        };
        let prefix = format!("{lines}{end}{same_line}");
        let text = match &body {
            Body::Jsonl(ids) => ids
                .iter()
                .map(|i| format!("{{\"id\":{i},\"text\":\"Isi {i}.\"}}\n"))
                .collect::<String>(),
            Body::Delimited(d, ids) => {
                let d = *d as char;
                let rows: String = ids.iter().map(|i| format!("{i}{d}Isi {i}.\n")).collect();
                format!("id{d}text\n{rows}")
            }
            Body::Text(lines) => lines.join("\n"),
        };
        let input = format!("{prefix}{text}");
        let records: Vec<_> = read_stream(
            Path::new("<stdin>"),
            Box::new(std::io::Cursor::new(input.clone().into_bytes())),
            None,
            &ReadConfig::default(),
        )
        .collect();
        let refused = records.len() == 1
            && records[0].as_ref().is_err_and(|e| e.message.contains("pass --input-format"));
        // The blank lines and the first line fit in the look-ahead (a character cut at its
        // end aside): the format must be told.
        let first_line = text.find('\n').unwrap_or(text.len()) + 1;
        let within = prefix.len() + first_line + 3 <= dedupsum::corpus::sniff::LOOKAHEAD;
        if refused {
            prop_assert!(!within, "refused within the look-ahead: {:?}", records[0]);
            return Ok(());
        }
        let docs: Vec<_> = records
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| TestCaseError::fail(format!("record error: {e}")))?;
        match &body {
            Body::Jsonl(ids) | Body::Delimited(_, ids) => {
                let csv = matches!(body, Body::Delimited(..));
                let first = lines_in(&prefix, csv) + 1 + usize::from(csv);
                let got: Vec<_> = docs.iter().map(|d| (d.id.clone(), d.text.clone(), d.source.line)).collect();
                let want: Vec<_> = ids
                    .iter()
                    .enumerate()
                    .map(|(k, i)| (i.to_string(), format!("Isi {i}."), Some(first + k)))
                    .collect();
                prop_assert_eq!(got, want);
            }
            Body::Text(_) => {
                prop_assert_eq!(docs.len(), 1);
                prop_assert_eq!(docs[0].source.line, None);
                let whole = input.strip_prefix('\u{feff}').unwrap_or(&input);
                prop_assert_eq!(&docs[0].text, whole);
            }
        }
    }
}

/// A forced format reads what auto refuses.
#[test]
fn a_forced_format_is_not_sniffed() {
    let read = |format| {
        read_stream(
            Path::new("<stdin>"),
            Box::new(std::io::Cursor::new(b"doc_id,body\n1,x\n".to_vec())),
            format,
            &ReadConfig::default(),
        )
        .map(|r| r.map(|d| d.text).map_err(|e| e.message))
        .collect::<Vec<_>>()
    };
    assert!(read(None)[0]
        .as_ref()
        .unwrap_err()
        .contains("--input-format"));
    assert_eq!(
        read(Some(Format::Text)),
        [Ok("doc_id,body\n1,x\n".to_owned())]
    );
}
