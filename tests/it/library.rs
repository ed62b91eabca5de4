//! The library API, without the binary.

use std::path::PathBuf;

use dedupsum::corpus::Source;
use dedupsum::{Config, Decision, Document, Job, Kind, Pipeline};

fn doc(id: &str, text: &str) -> Document {
    Document {
        id: id.into(),
        title: None,
        site: None,
        text: text.into(),
        source: Source {
            path: PathBuf::from(id),
            line: None,
        },
        raw: None,
    }
}

#[test]
fn summaries_quote_kept_body_sentences_of_the_corpus() {
    let docs = dedupsum::corpus::read_inputs(
        &[super::util::corpus()],
        &dedupsum::ReadConfig::default(),
        dedupsum::OnError::Fail,
    )
    .unwrap()
    .docs;
    let n = docs.len();
    let outcome = Pipeline::new(Config::new(Vec::new()))
        .unwrap()
        .run_documents(Job::Run, docs)
        .unwrap();
    assert_eq!(outcome.summaries.len(), n);
    for (d, summary) in outcome.summaries.iter().enumerate() {
        assert_eq!(summary.spans.len(), 3);
        let analyzed = &outcome.analyzed[d];
        for span in &summary.spans {
            let (p, _) = analyzed
                .paragraphs
                .iter()
                .enumerate()
                .find(|(_, p)| p.span.start <= span.start && span.end <= p.span.end)
                .expect("a summary sentence lies inside a paragraph");
            assert_eq!(
                outcome.dedup.decisions[d][p],
                Decision::Keep,
                "sentence from a dropped or title paragraph"
            );
        }
    }
}

#[test]
fn exact_and_near_copies_across_documents_point_at_the_first() {
    let body = "Harga beras di pasar tradisional naik tajam pekan ini karena pasokan dari daerah sentra produksi berkurang akibat banjir.";
    let edited = "Harga beras di pasar tradisional naik tajam pekan ini karena pasokan dari daerah sentra produksi berkurang akibat hujan deras.";
    let docs = vec![
        doc(
            "a",
            &format!("{body}\n\nParagraf lain yang berbeda sama sekali isinya."),
        ),
        doc(
            "b",
            &format!(
                "Pembuka berita kedua yang berdiri sendiri.\n\n{}",
                body.to_uppercase()
            ),
        ),
        doc(
            "c",
            &format!("Pembuka berita ketiga yang juga berbeda.\n\n{edited}"),
        ),
    ];
    let mut config = Config::new(Vec::new());
    config.dedup.near_threshold = 0.6;
    let outcome = Pipeline::new(config)
        .unwrap()
        .run_documents(Job::Dedup, docs)
        .unwrap();
    let first = dedupsum::dedup::ParaRef { doc: 0, para: 0 };
    match outcome.dedup.decisions[1][1] {
        Decision::Drop {
            reason,
            duplicate_of,
            score,
            ..
        } => {
            assert_eq!(
                (reason, duplicate_of, score),
                (Kind::Exact, Some(first), 1.0)
            );
        }
        other => panic!("exact copy kept: {other:?}"),
    }
    match outcome.dedup.decisions[2][1] {
        Decision::Drop {
            reason,
            duplicate_of,
            score,
            ..
        } => {
            assert_eq!((reason, duplicate_of), (Kind::Near, Some(first)));
            assert!((0.6..1.0).contains(&score), "score {score}");
        }
        other => panic!("near copy kept: {other:?}"),
    }
    assert!(outcome.dedup.decisions[0].iter().all(Decision::is_kept));
    assert!(
        outcome.summaries.is_empty() && outcome.summarizing.is_none(),
        "dedup alone makes no summaries"
    );
}

#[test]
fn repeated_short_lines_across_documents_are_boilerplate() {
    let footer = "Ikuti kami di media sosial";
    let docs: Vec<Document> = (0..3)
        .map(|i| {
            doc(
                &format!("d{i}"),
                &format!("Isi berita nomor {i} yang cukup panjang untuk dibaca.\n{footer}"),
            )
        })
        .collect();
    let outcome = Pipeline::new(Config::new(Vec::new()))
        .unwrap()
        .run_documents(Job::Dedup, docs)
        .unwrap();
    for decisions in &outcome.dedup.decisions {
        assert!(decisions[0].is_kept());
        assert!(matches!(
            decisions[1],
            Decision::Drop {
                reason: Kind::Boilerplate,
                ..
            }
        ));
    }
}

#[test]
fn all_verified_pairs_include_every_copy_and_repeated_boilerplate() {
    let body = "Harga beras di pasar tradisional naik tajam pekan ini karena pasokan dari daerah sentra produksi berkurang akibat banjir.";
    let footer = "Ikuti kami di media sosial";
    let docs: Vec<Document> = (0..3)
        .map(|i| {
            doc(
                &format!("d{i}"),
                // The footer sits between paragraphs that differ from page to page: it is
                // furniture of different stories, while the body is a copied story.
                &format!(
                    "Pembuka nomor {i} yang berbeda isinya.\n{footer}\nPenutup nomor {i} yang juga berbeda isinya.\n{body}"
                ),
            )
        })
        .collect();
    let outcome = Pipeline::new(Config::new(Vec::new()))
        .unwrap()
        .run_documents(Job::Dedup, docs)
        .unwrap();
    let count = |kind: Kind| {
        outcome
            .dedup
            .pairs
            .iter()
            .filter(|p| p.kind == kind)
            .count()
    };
    // Three copies make three pairs, not only two pointers at the first.
    assert_eq!(count(Kind::Exact), 3);
    assert_eq!(count(Kind::Boilerplate), 3);
    assert_eq!(outcome.dedup.drop_pointers().len(), 2);
    for decisions in &outcome.dedup.decisions[1..] {
        assert!(matches!(
            decisions[3],
            Decision::Drop {
                reason: Kind::Exact,
                ..
            }
        ));
    }
}

/// Streaming cleaning (fingerprints in batches, texts read again for the outputs) writes
/// the same bytes as cleaning in memory and as the whole run, however small the batches.
#[test]
fn streamed_cleaning_equals_cleaning_in_memory() {
    use dedupsum::output::OutputConfig;
    use dedupsum::{OnError, ReadConfig, Texts};

    let tmp = tempfile::tempdir().unwrap();
    let mut lines = String::new();
    let footer = "Ikuti kami di media sosial untuk berita terbaru setiap hari.";
    let originals: Vec<String> = std::fs::read_dir(super::util::corpus())
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for copy in 0..6 {
        for (k, text) in originals.iter().enumerate() {
            // Copies with one word changed, a shared footer, and a repeated id.
            let text = text.replacen("China", &format!("Tiongkok{copy}"), 1);
            let record = serde_json::json!({"id": format!("d{}", (copy * 2 + k) % 9), "text": format!("{text}\n\n{footer}")});
            lines += &record.to_string();
            lines.push('\n');
        }
    }
    let input = tmp.path().join("in.jsonl");
    std::fs::write(&input, lines).unwrap();
    let output = OutputConfig {
        all_pairs: true,
        ..OutputConfig::default()
    };

    let config = Config {
        batch_bytes: 2_000,
        ..Config::new(vec![input.clone()])
    };
    let streamed = Pipeline::new(config).unwrap().run(Job::Dedup).unwrap();
    assert!(matches!(streamed.texts, Texts::Reread { .. }));
    assert!(streamed.docs.iter().all(|d| d.text.is_empty()));
    let a = tmp.path().join("streamed");
    let report_a = streamed.write_dir(&a, Job::Dedup, &output).unwrap();

    let docs = dedupsum::corpus::read_inputs(
        std::slice::from_ref(&input),
        &ReadConfig::default(),
        OnError::Fail,
    )
    .unwrap()
    .docs;
    let in_memory = Pipeline::new(Config::new(Vec::new()))
        .unwrap()
        .run_documents(Job::Dedup, docs)
        .unwrap();
    let b = tmp.path().join("in-memory");
    let report_b = in_memory.write_dir(&b, Job::Dedup, &output).unwrap();

    let whole = Pipeline::new(Config::new(vec![input]))
        .unwrap()
        .run(Job::Run)
        .unwrap();
    let c = tmp.path().join("run");
    whole.write_dir(&c, Job::Run, &output).unwrap();

    assert!(report_a.dropped > 0 && report_a.pairs > Some(0));
    assert_eq!(report_a.renamed_ids, 3);
    assert_eq!(
        (report_a.bytes_in, report_a.bytes_out),
        (report_b.bytes_in, report_b.bytes_out)
    );
    assert!(report_a.bytes_out < report_a.bytes_in);
    for name in ["paragraphs.csv", "duplicates.csv", "clean.jsonl"] {
        let streamed = std::fs::read(a.join(name)).unwrap();
        assert!(
            streamed == std::fs::read(b.join(name)).unwrap(),
            "{name}: streamed differs from in memory"
        );
        assert!(
            streamed == std::fs::read(c.join(name)).unwrap(),
            "{name}: dedup differs from run"
        );
    }
}

/// Streaming cleaning reads the inputs again to write its outputs: if they changed in
/// between, it says so and writes nothing.
#[test]
fn inputs_changed_between_the_passes_is_an_error() {
    use dedupsum::output::OutputConfig;

    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.jsonl");
    std::fs::write(&input, "{\"id\":\"a\",\"text\":\"Satu.\\n\\nDua.\"}\n").unwrap();
    let outcome = Pipeline::new(Config::new(vec![input.clone()]))
        .unwrap()
        .run(Job::Dedup)
        .unwrap();
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"text\":\"Satu.\\n\\nDua.\\n\\nTiga.\"}\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let err = outcome
        .write_dir(&out, Job::Dedup, &OutputConfig::default())
        .unwrap_err();
    assert!(err.to_string().contains("changed"), "{err}");
    assert!(err.to_string().contains("in.jsonl"), "{err}");
    let left = std::fs::read_dir(&out).map_or(0, |d| d.count());
    assert_eq!(left, 0, "outputs were left behind");
}

/// `Outcome::clean_text` and `Outcome::title` of the library say what `clean.jsonl` and
/// `summaries.csv` say: the kept paragraphs joined by blank lines, the title from the
/// input, else the detected title paragraph, else nothing.
#[test]
fn clean_text_and_title_of_the_library() {
    let body = "Harga beras di pasar tradisional naik tajam pekan ini karena pasokan berkurang.";
    let other = "Pemerintah kota berjanji menambah pasokan dari gudang dalam waktu dekat ini.";
    let mut titled = doc(
        "a",
        &format!("{body}\n\nParagraf kedua artikel pertama yang berbeda isinya sama sekali."),
    );
    titled.title = Some("Judul dari masukan".into());
    let docs = vec![
        titled,
        doc(
            "b",
            &format!("Harga beras naik tajam di pasar tradisional\n\n{body}\n\n{other}"),
        ),
        doc(
            "c",
            "Warga Medan antre minyak goreng sejak pagi hari di pasar kota.",
        ),
    ];
    let outcome = Pipeline::new(Config::new(Vec::new()))
        .unwrap()
        .run_documents(Job::Run, docs)
        .unwrap();
    assert_eq!(outcome.title(0), "Judul dari masukan");
    assert_eq!(
        outcome.title(1),
        "Harga beras naik tajam di pasar tradisional"
    );
    assert_eq!(outcome.title(2), "");
    assert_eq!(
        outcome.clean_text(0),
        format!("{body}\n\nParagraf kedua artikel pertama yang berbeda isinya sama sekali.")
    );
    // The copy of a's first paragraph is dropped; the title stays.
    assert_eq!(
        outcome.clean_text(1),
        format!("Harga beras naik tajam di pasar tradisional\n\n{other}")
    );
    assert_eq!(
        outcome.clean_text(2),
        "Warga Medan antre minyak goreng sejak pagi hari di pasar kota."
    );
    // The report counts the title as kept, and as a title.
    let report = outcome.report();
    assert_eq!(
        (
            report.paragraphs,
            report.kept,
            report.dropped,
            report.titles
        ),
        (6, 5, 1, 1)
    );
    assert_eq!(report.dropped_by_reason.values().sum::<usize>(), 1);
}

/// Streamed, the summaries are made as the outputs are written: the outcome holds none,
/// and what is written is what the texts in memory give.
#[test]
fn a_streamed_run_writes_the_summaries_of_the_texts_in_memory() {
    let corpus = super::util::corpus();
    let streamed = Pipeline::new(Config::new(vec![corpus.clone()]))
        .unwrap()
        .run(Job::Run)
        .unwrap();
    assert!(streamed.summaries.is_empty());
    assert!(streamed.summarizing.is_some());
    let docs = dedupsum::corpus::read_inputs(
        &[corpus],
        &dedupsum::ReadConfig::default(),
        dedupsum::OnError::Fail,
    )
    .unwrap()
    .docs;
    let in_memory = Pipeline::new(Config::new(Vec::new()))
        .unwrap()
        .run_documents(Job::Run, docs)
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let output = dedupsum::output::OutputConfig::default();
    let (a, b) = (tmp.path().join("streamed"), tmp.path().join("in-memory"));
    streamed.write_dir(&a, Job::Run, &output).unwrap();
    in_memory.write_dir(&b, Job::Run, &output).unwrap();
    let summaries = std::fs::read_to_string(a.join("summaries.csv")).unwrap();
    // The header and a row for each of the two articles.
    assert_eq!(summaries.lines().count(), 3, "{summaries}");
    assert_eq!(
        summaries,
        std::fs::read_to_string(b.join("summaries.csv")).unwrap()
    );
}

/// A summary is chosen from the first 2,000 kept sentences of an article: the limit is
/// reported for an article with more, not for one with exactly 2,000 (a title and a
/// dropped paragraph do not count).
#[test]
fn the_sentence_limit_is_reported_past_2000_kept_sentences() {
    let sentences = |n: usize, tag: &str| -> String {
        (0..n)
            .map(|k| format!("Kalimat {tag} nomor {k} bercerita tentang hal yang lain."))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let docs = vec![
        doc("exactly", &sentences(2000, "a")),
        doc("more", &sentences(2001, "b")),
        // A title, 2,000 kept sentences and a copy of another article's paragraph.
        doc(
            "titled",
            &format!(
                "Judul Artikel Ketiga\n\n{}\n\n{}",
                sentences(2000, "c"),
                sentences(2001, "b")
            ),
        ),
    ];
    let outcome = Pipeline::new(Config::new(Vec::new()))
        .unwrap()
        .run_documents(Job::Run, docs)
        .unwrap();
    assert_eq!(outcome.dedup.decisions[2][0], Decision::Title);
    assert!(!outcome.dedup.decisions[2][2].is_kept());
    let limited: Vec<&str> = outcome
        .limited
        .iter()
        .filter(|l| l.limit.contains("sentences"))
        .map(|l| l.doc_id.as_str())
        .collect();
    assert_eq!(limited, ["more"]);
    assert!(outcome.limited[0].limit.starts_with("2001 sentences"));
}
