//! Site furniture against content: lines repeated across different stories are furniture,
//! lines repeated because a story is copied are content kept once, and templates of
//! furniture are learned per site from the corpus.

use std::fs;
use std::path::Path;

use serde_json::json;

use super::util::{dedupsum, read_csv};

/// A paragraph of prose unique to `(story, part)`: 24 words drawn from a vocabulary by a
/// generator seeded with both, so that two paragraphs share few word sequences.
fn prose(story: usize, part: usize) -> String {
    const WORDS: &[&str] = &[
        "warga",
        "desa",
        "melaporkan",
        "kejadian",
        "kepada",
        "petugas",
        "kecamatan",
        "pagi",
        "hari",
        "segera",
        "datang",
        "memeriksa",
        "lokasi",
        "banjir",
        "jalan",
        "pasar",
        "harga",
        "beras",
        "naik",
        "turun",
        "pemerintah",
        "kota",
        "sekolah",
        "murid",
        "guru",
        "rumah",
        "sakit",
        "dokter",
        "pasien",
        "kereta",
        "stasiun",
        "penumpang",
        "musim",
        "hujan",
        "panen",
        "petani",
        "sawah",
        "nelayan",
        "laut",
        "kapal",
    ];
    // xorshift64
    let mut state = (story * 1000 + part) as u64 + 1;
    let words: Vec<&str> = (0..24)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            WORDS[(state % WORDS.len() as u64) as usize]
        })
        .collect();
    format!("{} nomor {story}{part}.", words.join(" "))
}

/// Writes `records` as JSON Lines into `dir/name` and runs `dedup` on it.
fn dedup(
    dir: &Path,
    records: &[serde_json::Value],
) -> Vec<std::collections::HashMap<String, String>> {
    let input = dir.join("in.jsonl");
    let lines: Vec<String> = records.iter().map(|r| r.to_string()).collect();
    fs::write(&input, lines.join("\n")).unwrap();
    let out = dir.join("out");
    dedupsum()
        .arg("dedup")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .success();
    read_csv(&out.join("paragraphs.csv"))
}

/// Regression: a story in four copies lost its short lines from every copy, dropped as
/// boilerplate because they were on three or more pages.
#[test]
fn syndicated_copies_keep_their_short_lines_once() {
    let furniture = "Klik di sini untuk lanjut membaca";
    let verdict = "\"Vonis dibacakan hari ini,\" ujar hakim.";
    let mut records = Vec::new();
    for story in 0..6 {
        let text = [prose(story, 1), furniture.into(), prose(story, 2)].join("\n\n");
        records.push(json!({"id": format!("s{story}"), "text": text}));
    }
    let copied = [
        prose(9, 1),
        verdict.into(),
        prose(9, 2),
        furniture.into(),
        prose(9, 3),
    ]
    .join("\n\n");
    for copy in 0..4 {
        records.push(json!({"id": format!("x{copy}"), "text": copied}));
    }
    let tmp = tempfile::tempdir().unwrap();
    let rows = dedup(tmp.path(), &records);
    let verdicts: Vec<_> = rows.iter().filter(|r| r["text"] == verdict).collect();
    assert_eq!(verdicts.len(), 4);
    assert_eq!(verdicts[0]["doc_id"], "x0");
    assert_eq!(verdicts[0]["action"], "keep");
    for row in &verdicts[1..] {
        assert_eq!(row["reason"], "exact", "{row:?}");
        assert_eq!(row["duplicate_of_doc"], "x0");
        assert_eq!(row["duplicate_of_paragraph"], "2");
    }
    // The furniture line sits among different stories: it goes everywhere.
    let lines: Vec<_> = rows.iter().filter(|r| r["text"] == furniture).collect();
    assert_eq!(lines.len(), 10);
    assert!(
        lines.iter().all(|r| r["reason"] == "boilerplate"),
        "{lines:?}"
    );
}

/// A story republished with small edits (a word changed in each long paragraph, at a
/// different place in each copy) is still one story: its short lines are copies.
#[test]
fn edited_copies_of_a_story_keep_their_short_lines_once() {
    let furniture = "Klik di sini untuk lanjut membaca";
    let verdict = "\"Vonis dibacakan hari ini,\" ujar hakim.";
    let long = |story: usize, part: usize| {
        format!(
            "{} {} {}",
            prose(story, part),
            prose(story, part + 10),
            prose(story, part + 20)
        )
    };
    let mut records = Vec::new();
    for story in 0..6 {
        let text = [long(story, 1), furniture.into(), long(story, 2)].join("\n\n");
        records.push(json!({"id": format!("s{story}"), "text": text}));
    }
    for copy in 0..4 {
        let edit = |text: String| {
            let mut words: Vec<String> = text.split(' ').map(str::to_owned).collect();
            let at = (copy * 13 + 5) % words.len();
            words[at] += "nya";
            words.join(" ")
        };
        let text = [
            edit(long(9, 1)),
            verdict.into(),
            edit(long(9, 2)),
            furniture.into(),
            edit(long(9, 3)),
        ]
        .join("\n\n");
        records.push(json!({"id": format!("x{copy}"), "text": text}));
    }
    let tmp = tempfile::tempdir().unwrap();
    let rows = dedup(tmp.path(), &records);
    let verdicts: Vec<_> = rows.iter().filter(|r| r["text"] == verdict).collect();
    assert_eq!(verdicts[0]["action"], "keep", "{:?}", verdicts[0]);
    for row in &verdicts[1..] {
        assert_eq!(row["reason"], "exact", "{row:?}");
        assert_eq!(row["duplicate_of_doc"], "x0");
    }
    let lines: Vec<_> = rows.iter().filter(|r| r["text"] == furniture).collect();
    assert!(
        lines.iter().all(|r| r["reason"] == "boilerplate"),
        "{lines:?}"
    );
}

/// Lines that open with the same words on many pages of one site, followed by a different
/// headline each time, are that site's furniture, though no built-in label names them;
/// prose that opens alike, numbered rows and the same words on another site stay.
#[test]
fn templated_furniture_of_an_unknown_site_is_dropped() {
    let mut records = Vec::new();
    for story in 0..10 {
        let text = [
            prose(story, 1),
            format!("Tonton pula Klip: Pasar Malam Nomor {story} Ramai Dikunjungi Warga!"),
            format!("Sementara itu, warga nomor {story} menunggu kabar dari kantor desa."),
            format!("1. Beras kualitas nomor {story}: Rp 12.000"),
            prose(story, 2),
        ]
        .join("\n\n");
        records.push(json!({"id": format!("a{story}"), "source": "kabar-contoh.id", "text": text}));
    }
    let other = [
        prose(20, 1),
        "Tonton pula Klip: Festival Layang-layang Digelar".into(),
        prose(20, 2),
    ]
    .join("\n\n");
    records.push(json!({"id": "b0", "source": "lain.id", "text": other}));
    let tmp = tempfile::tempdir().unwrap();
    let rows = dedup(tmp.path(), &records);
    let opening =
        |r: &&std::collections::HashMap<String, String>, words: &str| r["text"].starts_with(words);
    let links: Vec<_> = rows
        .iter()
        .filter(|r| opening(r, "Tonton pula Klip"))
        .collect();
    assert_eq!(links.len(), 11);
    for row in &links {
        let expected = if row["doc_id"] == "b0" {
            ""
        } else {
            "boilerplate"
        };
        assert_eq!(row["reason"], expected, "{row:?}");
    }
    for words in ["Sementara itu", "1. Beras"] {
        let kept: Vec<_> = rows.iter().filter(|r| opening(r, words)).collect();
        assert_eq!(kept.len(), 10);
        assert!(kept.iter().all(|r| r["action"] == "keep"), "{kept:?}");
    }
}

/// `--cut-datelines` leaves a site's datelines out of the cleaned texts and records each
/// cut in `paragraphs.csv`; without it the cleaned texts keep them.
#[test]
fn cut_datelines_are_left_out_of_the_cleaned_text_and_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.jsonl");
    let lines: Vec<String> = (0..4)
        .map(|i| {
            let text = format!("Kabarku.id, Jakarta - {}\n\n{}", prose(i, 1), prose(i, 2));
            json!({"id": format!("d{i}"), "source": "kabarku.id", "text": text}).to_string()
        })
        .collect();
    fs::write(&input, lines.join("\n")).unwrap();
    let clean = |flags: &[&str]| {
        let out = tmp.path().join(format!("out{}", flags.len()));
        dedupsum()
            .arg("dedup")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .arg("--quiet")
            .args(flags)
            .assert()
            .success();
        let texts: Vec<String> = fs::read_to_string(out.join("clean.jsonl"))
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let report: serde_json::Value =
            serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
        let bytes: usize = texts.iter().map(String::len).sum();
        assert_eq!(report["bytes_out"].as_u64(), Some(bytes as u64));
        (texts, read_csv(&out.join("paragraphs.csv")))
    };
    let (kept, rows) = clean(&[]);
    for (i, text) in kept.iter().enumerate() {
        assert!(text.starts_with(&format!("Kabarku.id, Jakarta - {}", prose(i, 1))));
    }
    assert!(rows.iter().all(|r| r["cut"].is_empty()));
    let (cut, rows) = clean(&["--cut-datelines"]);
    for (i, text) in cut.iter().enumerate() {
        assert_eq!(*text, format!("{}\n\n{}", prose(i, 1), prose(i, 2)));
    }
    for row in &rows {
        let expected = if row["paragraph"] == "1" {
            "Kabarku.id, Jakarta - "
        } else {
            ""
        };
        assert_eq!(row["cut"], expected, "{row:?}");
        assert!(row["text"].starts_with(&row["cut"]));
    }
}

/// A headline too short for shingles, repeated with a typo in another article, is a near
/// copy scored below 1; a schedule row differing only by its time is another fact, kept.
#[test]
fn short_lines_with_a_typo_are_near_copies_but_not_other_times() {
    let records = [
        ("a", "Ledakan Guncang Pasar Senen", "Ambarawa pukul 07.00"),
        ("b", "Ledakan Guncang Pasar Seneen", "Ambarawa pukul 08.00"),
    ]
    .iter()
    .enumerate()
    .map(|(k, (id, headline, row))| {
        let text = [prose(k, 1), (*headline).into(), (*row).into(), prose(k, 2)].join("\n\n");
        json!({"id": id, "source": "kabar-contoh.id", "text": text})
    })
    .collect::<Vec<_>>();
    let tmp = tempfile::tempdir().unwrap();
    let rows = dedup(tmp.path(), &records);
    let row = |text: &str| rows.iter().find(|r| r["text"] == text).unwrap();
    assert_eq!(row("Ledakan Guncang Pasar Senen")["action"], "keep");
    let typo = row("Ledakan Guncang Pasar Seneen");
    assert_eq!(typo["action"], "drop", "{typo:?}");
    assert_eq!(typo["reason"], "near");
    assert_eq!(typo["duplicate_of_doc"], "a");
    assert_eq!(typo["duplicate_of_paragraph"], "2");
    let score: f64 = typo["score"].parse().unwrap();
    assert!(score > 0.9 && score < 1.0, "{typo:?}");
    for time in ["Ambarawa pukul 07.00", "Ambarawa pukul 08.00"] {
        assert_eq!(row(time)["action"], "keep", "{:?}", row(time));
    }
}
