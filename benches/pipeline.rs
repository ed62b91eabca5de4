//! Micro-benchmarks of the hot stages, each asserting what it computed.
//!
//! Run with `cargo bench --bench pipeline`. The input is the sample corpus, repeated to
//! a few hundred paragraphs, so the figures are per realistic paragraph.

use std::path::Path;

use dedupsum::dedup::join::{self, Measure};
use dedupsum::dedup::shingle::{jaccard, shingles, ShingleKind};
use dedupsum::{corpus, text, Config, Document, Job, LangChoice, OnError, Pipeline, ReadConfig};

fn main() {
    divan::main();
}

fn sample() -> Vec<Document> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    corpus::read_inputs(&[dir], &ReadConfig::default(), OnError::Fail)
        .expect("the sample corpus is readable")
        .docs
}

fn paragraphs() -> Vec<String> {
    let docs = sample();
    let mut out = Vec::new();
    for round in 0..10 {
        for doc in &docs {
            for line in doc.text.lines().filter(|l| !l.trim().is_empty()) {
                out.push(format!("{line} {round}"));
            }
        }
    }
    out
}

#[divan::bench]
fn analyze_corpus(bencher: divan::Bencher) {
    let docs = sample();
    bencher.bench(|| {
        let n: usize = docs
            .iter()
            .map(|d| text::analyze(d, LangChoice::Auto).paragraphs.len())
            .sum();
        assert_eq!(n, 44);
        n
    });
}

#[divan::bench]
fn sentence_terms_and_word_counts(bencher: divan::Bencher) {
    let paras = paragraphs();
    let analyzer = text::terms::TermAnalyzer::for_lang(dedupsum::Lang::Indonesian);
    bencher.bench(|| {
        let (mut terms, mut words) = (0, 0);
        for p in &paras {
            let (t, w) = analyzer.terms_and_words(p);
            assert_eq!(w, text::terms::word_count(p));
            terms += t.len();
            words += w;
        }
        assert!(terms > 0 && terms < words);
        words
    });
}

#[divan::bench]
fn word_shingles(bencher: divan::Bencher) {
    let paras = paragraphs();
    bencher.bench(|| {
        let n: usize = paras
            .iter()
            .map(|p| shingles(p, ShingleKind::Word, 5).len())
            .sum();
        assert!(n > 10 * paras.len());
        n
    });
}

/// Shingle sets of the benchmark paragraphs: ten rounds of each sample paragraph, each
/// with its own last word, so every long paragraph has nine near copies.
fn shingle_sets() -> Vec<Vec<u32>> {
    paragraphs()
        .iter()
        .map(|p| shingles(p, ShingleKind::Word, 5))
        .collect()
}

#[divan::bench(args = [Measure::Jaccard, Measure::Containment])]
fn similarity_join(bencher: divan::Bencher, measure: Measure) {
    let sets = shingle_sets();
    bencher.bench(|| {
        let slices: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
        let found = join::self_join(&slices, 0.8, measure).pairs;
        // Each paragraph of 20+ words meets its nine other rounds.
        let long = sets.iter().filter(|s| s.len() >= 20).count();
        assert!(found.len() >= long * 9 / 2);
        assert!(found.iter().all(|o| {
            let (a, b) = (&sets[o.a as usize], &sets[o.b as usize]);
            let score = match measure {
                Measure::Jaccard => jaccard(a, b),
                Measure::Containment => o.containment(a.len(), b.len()),
            };
            score >= 0.8 && o.a < o.b
        }));
        found.len()
    });
}

#[divan::bench]
fn jaccard_verification(bencher: divan::Bencher) {
    let sets = shingle_sets();
    bencher.bench(|| {
        let total: f64 = sets.windows(2).map(|w| jaccard(&w[0], &w[1])).sum();
        assert!(total >= 0.0 && total < sets.len() as f64);
        total
    });
}

#[divan::bench(sample_count = 20)]
fn whole_pipeline_on_corpus(bencher: divan::Bencher) {
    let docs = sample();
    let pipeline = Pipeline::new(Config::new(Vec::new())).expect("default settings are valid");
    bencher.bench(|| {
        let outcome = pipeline
            .run_documents(Job::Run, docs.clone())
            .expect("the corpus runs");
        assert_eq!(outcome.summaries.len(), 2);
        outcome.summaries.len()
    });
}
