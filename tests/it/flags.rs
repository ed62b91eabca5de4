//! One test per promise of the README's flags, exit codes and report that no other test
//! guards: each fails if its flag were ignored or wired to another setting.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use tempfile::TempDir;

use super::util::{corpus, dedupsum, read_csv};

/// Word `i` of a made-up vocabulary: three syllables, distinct for distinct `i`, so that
/// texts made of different words share nothing by chance.
fn word(i: usize) -> String {
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
    // 7919 is prime to 65³: distinct words, spread over the syllables.
    let n = (i * 7919 + 13) % syllables.pow(3);
    format!(
        "{}{}{}",
        syllable(n / (syllables * syllables)),
        syllable(n / syllables % syllables),
        syllable(n % syllables)
    )
}

/// `n` distinct words from `first` on.
fn words(first: usize, n: usize) -> Vec<String> {
    (first..first + n).map(word).collect()
}

/// Words as prose: sentences of 10 words (the last may be shorter), each with a capital
/// and a full stop.
fn prose(words: &[String]) -> String {
    words
        .chunks(10)
        .map(|s| {
            let mut s = s.join(" ");
            s[..1].make_ascii_uppercase();
            s + "."
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A JSON Lines file of `(id, text)` records (and their extra fields) in `dir`.
fn jsonl(dir: &Path, name: &str, records: &[serde_json::Value]) -> PathBuf {
    let path = dir.join(name);
    let body: String = records.iter().map(|r| format!("{r}\n")).collect();
    fs::write(&path, body).unwrap();
    path
}

fn record(id: &str, paragraphs: &[String]) -> serde_json::Value {
    serde_json::json!({"id": id, "text": paragraphs.join("\n\n")})
}

/// Runs `dedupsum COMMAND INPUT --out DIR --quiet FLAGS…`, which must succeed, into a new
/// directory of `tmp`.
fn run(tmp: &TempDir, command: &str, input: &Path, flags: &[&str]) -> PathBuf {
    let out = tmp
        .path()
        .join(format!("out{}", fs::read_dir(tmp.path()).unwrap().count()));
    dedupsum()
        .arg(command)
        .arg(input)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .args(flags)
        .assert()
        .success();
    out
}

/// `(action, reason, duplicate_of_doc, duplicate_of_paragraph, score)` of a paragraph.
fn decision(out: &Path, doc: &str, paragraph: usize) -> [String; 5] {
    let rows = read_csv(&out.join("paragraphs.csv"));
    let row = rows
        .iter()
        .find(|r| r["doc_id"] == doc && r["paragraph"] == paragraph.to_string())
        .unwrap_or_else(|| panic!("no row for {doc} {paragraph}"));
    [
        "action",
        "reason",
        "duplicate_of_doc",
        "duplicate_of_paragraph",
        "score",
    ]
    .map(|c| row[c].clone())
}

fn kept() -> [String; 5] {
    ["keep", "", "", "", ""].map(str::to_owned)
}

fn dropped(reason: &str, doc: &str, paragraph: usize, score: &str) -> [String; 5] {
    [
        "drop".to_owned(),
        reason.to_owned(),
        doc.to_owned(),
        paragraph.to_string(),
        score.to_owned(),
    ]
}

/// `--measure containment`: a truncated copy (the first 24 words of a 40-word paragraph,
/// shingle Jaccard 20/36) is kept by the default Jaccard and dropped as `contained` with
/// it, scored by the containment (1); a later, longer version of a paragraph (its 24 words
/// and 20 more) is kept, and listed as containing it with `--all-pairs`.
#[test]
fn containment_measure_drops_a_truncated_copy_that_jaccard_keeps() {
    let tmp = TempDir::new().unwrap();
    let long = words(0, 40);
    let part = prose(&long[..24]);
    let longer = [&long[..24], &words(500, 20)[..]].concat();
    let input = jsonl(
        tmp.path(),
        "news.jsonl",
        &[
            record("a", &[prose(&long), prose(&words(100, 20))]),
            record("b", &[prose(&words(200, 20)), part]),
            record("c", &[prose(&words(300, 20)), prose(&longer)]),
        ],
    );
    let jaccard = run(&tmp, "dedup", &input, &["--all-pairs"]);
    assert_eq!(decision(&jaccard, "b", 2), kept());
    assert!(read_csv(&jaccard.join("duplicates.csv")).is_empty());
    let containment = run(
        &tmp,
        "dedup",
        &input,
        &["--measure", "containment", "--all-pairs"],
    );
    assert_eq!(
        decision(&containment, "b", 2),
        dropped("contained", "a", 1, "1.0000")
    );
    assert_eq!(decision(&containment, "c", 2), kept());
    let pairs: Vec<String> = read_csv(&containment.join("duplicates.csv"))
        .iter()
        .map(|p| {
            format!(
                "{} {} {} {} {} {}",
                p["doc_a"], p["para_a"], p["doc_b"], p["para_b"], p["kind"], p["score"]
            )
        })
        .collect();
    assert_eq!(
        pairs,
        ["a 1 b 2 contained 1.0000", "b 2 c 2 contained 1.0000"]
    );
}

/// `--shingle char`: a copy with a letter changed in three words (a typo every 13 words)
/// shares few word 5-grams but most character 5-grams.
#[test]
fn char_shingles_find_a_copy_with_typos_that_word_shingles_miss() {
    let tmp = TempDir::new().unwrap();
    let original = words(0, 40);
    let mut typos = original.clone();
    for k in [7, 20, 33] {
        // The second letter, a vowel, becomes another vowel.
        let w = &mut typos[k];
        let vowel = if &w[1..2] == "a" { "o" } else { "a" };
        w.replace_range(1..2, vowel);
    }
    let input = jsonl(
        tmp.path(),
        "news.jsonl",
        &[
            record("a", &[prose(&original), prose(&words(100, 20))]),
            record("b", &[prose(&words(200, 20)), prose(&typos)]),
        ],
    );
    let word = run(&tmp, "dedup", &input, &[]);
    assert_eq!(decision(&word, "b", 2), kept());
    let char = run(&tmp, "dedup", &input, &["--shingle", "char"]);
    let [action, reason, doc, paragraph, score] = decision(&char, "b", 2);
    assert_eq!(
        [action, reason, doc, paragraph],
        ["drop", "near", "a", "1"],
        "{char:?}"
    );
    let score: f64 = score.parse().unwrap();
    assert!((0.8..1.0).contains(&score), "{score}");
}

/// `--shingle-size N`: one word replaced in the middle of 30 changes N of the 31 - N word
/// N-grams, for a Jaccard of (31 - 2N) / 31: 21/31 (kept) with 5, 27/31 with 2 and 25/31
/// with 3 (near copies, with those scores).
#[test]
fn shingle_size_is_the_n_of_the_word_n_grams() {
    let tmp = TempDir::new().unwrap();
    let original = words(0, 30);
    let mut edited = original.clone();
    edited[15] = word(1000);
    let input = jsonl(
        tmp.path(),
        "news.jsonl",
        &[
            record("a", &[prose(&original), prose(&words(100, 20))]),
            record("b", &[prose(&words(200, 20)), prose(&edited)]),
        ],
    );
    let five = run(&tmp, "dedup", &input, &[]);
    assert_eq!(decision(&five, "b", 2), kept());
    let two = run(&tmp, "dedup", &input, &["--shingle-size", "2"]);
    assert_eq!(
        decision(&two, "b", 2),
        dropped("near", "a", 1, &format!("{:.4}", 27.0 / 31.0))
    );
    let three = run(&tmp, "dedup", &input, &["--shingle-size", "3"]);
    assert_eq!(
        decision(&three, "b", 2),
        dropped("near", "a", 1, &format!("{:.4}", 25.0 / 31.0))
    );
}

/// `--restated-threshold S`: the sample corpus's restated passage (best pair 0.4864) is
/// dropped at the default 0.35 and kept at 0.5; its recaps (scored by coverage, not by
/// this threshold) are dropped at both.
#[test]
fn restated_threshold_is_what_a_restated_passage_must_reach() {
    let tmp = TempDir::new().unwrap();
    let evidence = |out: &Path| -> Vec<String> {
        read_csv(&out.join("duplicates.csv"))
            .iter()
            .map(|r| format!("{} {} {}", &r["doc_b"][..3], r["para_b"], r["evidence"]))
            .collect()
    };
    let default = run(&tmp, "dedup", &corpus(), &[]);
    let passage = [
        "000 5 passage",
        "000 6 passage",
        "000 7 passage",
        "000 8 passage",
        "000 9 passage",
    ];
    let recaps = ["002 14 recap", "002 15 recap"];
    assert_eq!(evidence(&default), [&passage[..], &recaps[..]].concat());
    let same = run(&tmp, "dedup", &corpus(), &["--restated-threshold", "0.35"]);
    assert_eq!(evidence(&same), evidence(&default));
    let high = run(&tmp, "dedup", &corpus(), &["--restated-threshold", "0.5"]);
    assert_eq!(evidence(&high), recaps);
}

/// `--boilerplate-min-docs N`: a short line on the pages of 4 different stories is
/// boilerplate (dropped everywhere, the first copy included) with N = 3 or 4, and with
/// N = 5 it is content: kept once, its later copies dropped as exact copies.
#[test]
fn boilerplate_min_docs_is_how_many_stories_a_line_needs() {
    let tmp = TempDir::new().unwrap();
    let line = prose(&words(900, 7));
    let records: Vec<serde_json::Value> = (0..4)
        .map(|d| {
            record(
                &format!("s{d}"),
                &[
                    prose(&words(100 * d, 20)),
                    line.clone(),
                    prose(&words(100 * d + 50, 15)),
                ],
            )
        })
        .collect();
    let input = jsonl(tmp.path(), "news.jsonl", &records);
    let boilerplate = ["drop", "boilerplate", "", "", ""].map(str::to_owned);
    for n in [None, Some("3"), Some("4")] {
        let flags: Vec<&str> = n
            .map(|n| vec!["--boilerplate-min-docs", n])
            .unwrap_or_default();
        let out = run(&tmp, "dedup", &input, &flags);
        for d in 0..4 {
            assert_eq!(
                decision(&out, &format!("s{d}"), 2),
                boilerplate,
                "{n:?} s{d}"
            );
        }
    }
    let five = run(&tmp, "dedup", &input, &["--boilerplate-min-docs", "5"]);
    assert_eq!(decision(&five, "s0", 2), kept());
    for d in 1..4 {
        assert_eq!(
            decision(&five, &format!("s{d}"), 2),
            dropped("exact", "s0", 2, "1.0000")
        );
    }
}

/// Forced `--lang`: every article gets that language (summaries' `lang` column), whatever
/// it is written in; an ISO 639-3 code works too, and an unknown one is a bad setting
/// (exit code 1, nothing written).
#[test]
fn forced_lang_is_every_articles_language() {
    let tmp = TempDir::new().unwrap();
    let langs = |out: &Path| -> Vec<String> {
        read_csv(&out.join("summaries.csv"))
            .iter()
            .map(|r| r["lang"].clone())
            .collect()
    };
    let auto = run(&tmp, "run", &corpus(), &[]);
    assert_eq!(langs(&auto), ["id", "id"]);
    let en = run(&tmp, "run", &corpus(), &["--lang", "en"]);
    assert_eq!(langs(&en), ["en", "en"]);
    let fra = run(&tmp, "run", &corpus(), &["--lang", "fra"]);
    assert_eq!(langs(&fra), ["fra", "fra"]);
    let out = tmp.path().join("unknown");
    dedupsum()
        .args(["run", "--lang", "xx", "--out"])
        .arg(&out)
        .arg(corpus())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown language `xx`"));
    assert!(!out.exists());
}

/// Exit code 2 for a usage error (an unknown flag, a bad value, a missing or conflicting
/// argument), with clap's message and nothing written; a value that parses but is out of
/// range is a bad setting, code 1.
#[test]
fn usage_errors_exit_with_code_2_and_write_nothing() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let out_arg = out.to_str().unwrap();
    let input = corpus();
    let input = input.to_str().unwrap();
    let usage_errors: &[&[&str]] = &[
        &["run", input, "--out", out_arg, "--no-such-flag"],
        &["run", input, "--out", out_arg, "--measure", "cosine"],
        &["run", input, "--out", out_arg, "--shingle", "sentence"],
        &["run", input, "--out", out_arg, "--shingle-size", "five"],
        &["run", input, "--out", out_arg, "--threads", "-1"],
        &["run", input, "--out", out_arg, "--skip", "exact"],
        &["run", input, "--out", out_arg, "--format", "xml"],
        &["run", input, "--out", out_arg, "--on-error", "ignore"],
        &[
            "run",
            input,
            "--out",
            out_arg,
            "--sentences",
            "2",
            "--ratio",
            "0.5",
        ],
        &["dedup", input, "--out", out_arg, "--method", "lead"],
        &["summarize", input, "--out", out_arg, "--threshold", "0.5"],
        &["run", input],
        &["run", "--out", out_arg],
        &["clean", input, "--out", out_arg],
    ];
    for args in usage_errors {
        dedupsum()
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with("error: "));
        assert!(!out.exists(), "{args:?} wrote {out:?}");
    }
    dedupsum()
        .args(["run", input, "--out", out_arg, "--threshold", "1.5"])
        .assert()
        .code(1);
    assert!(!out.exists());
}

/// `report.json`'s counts are the rows of the tables: `documents` the rows of
/// summaries.csv (and of documents.csv not skipped), `paragraphs`, `kept`, `dropped`,
/// `titles` and `dropped_by_reason` those of paragraphs.csv, `pairs` those of
/// duplicates.csv with `--all-pairs`, `skipped_records` those of errors.csv, `renamed_ids`
/// the ids renamed `id#2`.
#[test]
fn report_counts_are_the_rows_of_the_tables() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir(&input).unwrap();
    for entry in fs::read_dir(corpus()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), input.join(entry.file_name())).unwrap();
    }
    // A near copy under a repeated id, an exact copy (three pairs, two pointers), a label
    // twice (a pair of boilerplate, which `pairs` counts as duplicates.csv lists it), an
    // unreadable line and an id the text files have.
    let label = "Baca juga: Harga beras naik lagi".to_owned();
    let mut near = words(0, 30);
    let near_text = prose(&near);
    near[29] = word(999);
    let jsonl_path = input.join("more.jsonl");
    fs::write(
        &jsonl_path,
        format!(
            "{}\n{{oops\n{}\n{}\n{}\n",
            record(
                "x",
                &[near_text.clone(), prose(&words(100, 12)), label.clone()]
            ),
            record("x", &[prose(&near), prose(&words(200, 12))]),
            record("y", &[prose(&words(300, 12)), near_text.clone(), label]),
            record(
                "000_e69f7352bfd7242f",
                &["Satu paragraf saja di sini.".to_owned()]
            ),
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    dedupsum()
        .args(["run", "--all-pairs", "--quiet", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(3);
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
    let count = |key: &str| report[key].as_u64().unwrap() as usize;
    let paragraphs = read_csv(&out.join("paragraphs.csv"));
    let documents = read_csv(&out.join("documents.csv"));
    let summaries = read_csv(&out.join("summaries.csv"));
    let pairs = read_csv(&out.join("duplicates.csv"));
    let errors = read_csv(&out.join("errors.csv"));
    let rows = |action: &str| paragraphs.iter().filter(|r| r["action"] == action).count();
    assert_eq!(count("documents"), summaries.len());
    assert_eq!(
        count("documents"),
        documents
            .iter()
            .filter(|r| r["outcome"] != "skipped")
            .count()
    );
    assert_eq!(count("paragraphs"), paragraphs.len());
    assert_eq!(count("kept"), rows("keep"));
    assert_eq!(count("dropped"), rows("drop"));
    assert_eq!(
        count("titles"),
        paragraphs.iter().filter(|r| r["reason"] == "title").count()
    );
    let mut by_reason: BTreeMap<String, u64> = BTreeMap::new();
    for r in paragraphs.iter().filter(|r| r["action"] == "drop") {
        *by_reason.entry(r["reason"].clone()).or_default() += 1;
    }
    assert_eq!(
        report["dropped_by_reason"],
        serde_json::to_value(&by_reason).unwrap()
    );
    assert_eq!(count("pairs"), pairs.len());
    assert_eq!(count("skipped_records"), errors.len());
    assert_eq!(
        count("renamed_ids"),
        summaries
            .iter()
            .filter(|r| r["doc_id"].contains('#'))
            .count()
    );
    // What the input holds, so that no count is trivially zero.
    assert_eq!(
        (
            count("skipped_records"),
            count("renamed_ids"),
            count("titles")
        ),
        (1, 2, 1)
    );
    assert_eq!(by_reason.get("near"), Some(&1));
    assert!(by_reason.len() >= 3, "{by_reason:?}");
    // Without --all-pairs the count is the same: the verified pairs found.
    let pointers = tmp.path().join("pointers");
    dedupsum()
        .args(["run", "--quiet", "--out"])
        .arg(&pointers)
        .arg(&input)
        .assert()
        .code(3);
    let again: serde_json::Value =
        serde_json::from_slice(&fs::read(pointers.join("report.json")).unwrap()).unwrap();
    assert_eq!(again["pairs"], report["pairs"]);
    let dropped_repeats = paragraphs
        .iter()
        .filter(|r| !r["duplicate_of_doc"].is_empty())
        .count();
    assert_eq!(
        read_csv(&pointers.join("duplicates.csv")).len(),
        dropped_repeats
    );
    assert!(count("pairs") > dropped_repeats);
    assert!(pairs.iter().any(|p| p["kind"] == "boilerplate"));
}

/// `text` with its last letter replaced.
fn typo(text: &str) -> String {
    let at = text.len() - 2;
    let letter = if &text[at..at + 1] == "a" { "o" } else { "a" };
    let mut typo = text.to_owned();
    typo.replace_range(at..at + 1, letter);
    typo
}

/// `--short-threshold L`: two 3-word lines a letter apart (normalised Levenshtein
/// similarity 20/21) are near copies at the default 0.9, scored by that similarity, and
/// not at 0.99.
#[test]
fn short_threshold_is_the_similarity_short_lines_need() {
    let tmp = TempDir::new().unwrap();
    let line = prose(&words(0, 3));
    let typo = typo(&line);
    let input = jsonl(
        tmp.path(),
        "news.jsonl",
        &[
            record("a", &[prose(&words(100, 20)), line]),
            record("b", &[prose(&words(200, 20)), typo]),
        ],
    );
    let default = run(&tmp, "dedup", &input, &[]);
    assert_eq!(
        decision(&default, "b", 2),
        dropped("near", "a", 2, &format!("{:.4}", 20.0 / 21.0))
    );
    let strict = run(&tmp, "dedup", &input, &["--short-threshold", "0.99"]);
    assert_eq!(decision(&strict, "b", 2), kept());
}

/// `--site-field NAME`: short lines are compared only within a site, named by that field;
/// the same two lines on two sites are kept, on one site (by another field) one is a near
/// copy of the other.
#[test]
fn site_field_names_the_site_short_lines_are_compared_within() {
    let tmp = TempDir::new().unwrap();
    let line = prose(&words(0, 4));
    let typo = typo(&line);
    let record = |id: &str, source: &str, paragraphs: &[String]| {
        serde_json::json!({
            "id": id,
            "source": source,
            "outlet": "one",
            "text": paragraphs.join("\n\n"),
        })
    };
    let input = jsonl(
        tmp.path(),
        "news.jsonl",
        &[
            record("a", "site-a", &[prose(&words(100, 20)), line]),
            record("b", "site-b", &[prose(&words(200, 20)), typo]),
        ],
    );
    let by_source = run(&tmp, "dedup", &input, &[]);
    assert_eq!(decision(&by_source, "b", 2), kept());
    let by_outlet = run(&tmp, "dedup", &input, &["--site-field", "outlet"]);
    let [action, reason, doc, paragraph, _] = decision(&by_outlet, "b", 2);
    assert_eq!([action, reason, doc, paragraph], ["drop", "near", "a", "2"]);
}

/// `--threshold J`: near copies are those at or above J. One word replaced in the middle
/// of 30 leaves a Jaccard of 21/31 = 0.6774: kept at the default 0.8 and at 0.68, dropped
/// at 0.6774 and at 0.6.
#[test]
fn threshold_is_the_similarity_near_copies_reach() {
    let tmp = TempDir::new().unwrap();
    let original = words(0, 30);
    let mut edited = original.clone();
    edited[15] = word(1000);
    let input = jsonl(
        tmp.path(),
        "news.jsonl",
        &[
            record("a", &[prose(&original), prose(&words(100, 20))]),
            record("b", &[prose(&words(200, 20)), prose(&edited)]),
        ],
    );
    let score = format!("{:.4}", 21.0 / 31.0);
    for (flags, expected) in [
        (&[][..], kept()),
        (&["--threshold", "0.68"][..], kept()),
        (
            &["--threshold", "0.6774"][..],
            dropped("near", "a", 1, &score),
        ),
        (&["--threshold", "0.6"][..], dropped("near", "a", 1, &score)),
    ] {
        let out = run(&tmp, "dedup", &input, flags);
        assert_eq!(decision(&out, "b", 2), expected, "{flags:?}");
    }
}

/// `eval --id-field NAME --ref-field NAME` name the fields of the references, and
/// `--max-record-bytes N` bounds their records (a longer one is an error, code 1).
#[test]
fn eval_reads_the_reference_fields_named_and_bounds_their_records() {
    let tmp = TempDir::new().unwrap();
    let refs = tmp.path().join("refs.jsonl");
    let sums = tmp.path().join("sums.csv");
    fs::write(
        &refs,
        "{\"doc\": \"a\", \"gold\": \"harga beras naik\", \"id\": \"z\", \"summary\": \"lain\"}\n",
    )
    .unwrap();
    fs::write(&sums, "doc_id,summary\na,harga beras naik\n").unwrap();
    let eval = |flags: &[&str]| {
        dedupsum()
            .args(["eval", "--json", "--refs"])
            .arg(&refs)
            .arg(&sums)
            .args(flags)
            .assert()
    };
    eval(&["--id-field", "doc", "--ref-field", "gold"])
        .success()
        .stdout(predicate::str::contains("\"rouge1\":100.0"));
    // By the id field alone the reference is another text, by the default one another id.
    eval(&["--id-field", "doc"])
        .success()
        .stdout(predicate::str::contains("\"rouge1\":0.0"));
    eval(&["--ref-field", "gold"]).code(1);
    eval(&[
        "--id-field",
        "doc",
        "--ref-field",
        "gold",
        "--max-record-bytes",
        "40",
    ])
    .code(1)
    .stdout("");
}
