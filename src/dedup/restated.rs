//! Restated passages: an article saying the same thing twice in other words.
//!
//! Paraphrase has low word overlap, and unrelated paragraphs that share a stock phrase
//! overlap about as much, so one pair score cannot separate them; context can. Every pair
//! of paragraphs inside an article is scored by the overlap of their content terms
//! (stemmed, stopwords removed), each term weighted by how rare it is — in the article
//! (a word in two paragraphs links them; a word in every paragraph is the topic) and in
//! the corpus (stock phrases are common everywhere). A pair is then strengthened by its
//! neighbours on the diagonal, since a restated passage keeps its order, and by block
//! evidence: when a run of paragraphs as a whole restates an earlier run, each member
//! pair needs less on its own.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Kind, Pair, Paragraphs};

/// Default score at or above which a pair counts as restated.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// Restated pairs inside each document, among the `eligible` paragraphs.
pub fn find(paragraphs: &Paragraphs, eligible: &[bool], threshold: f64) -> Vec<Pair> {
    let doc_freq = document_frequencies(paragraphs);
    let n_docs = paragraphs.doc_count();
    (0..n_docs)
        .into_par_iter()
        .flat_map_iter(|doc| {
            let members: Vec<usize> = paragraphs.of_doc(doc).filter(|&g| eligible[g]).collect();
            let sets: Vec<Vec<u64>> = members.iter().map(|&g| term_set(paragraphs, g)).collect();
            let scores = PairScores::new(&sets, &doc_freq, n_docs);
            scores
                .restated(threshold)
                .into_iter()
                .map(|(i, j, score)| Pair {
                    earlier: paragraphs.at(members[i]),
                    later: paragraphs.at(members[j]),
                    kind: Kind::Restated,
                    score,
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Sorted, distinct content terms of paragraph `g`.
fn term_set(paragraphs: &Paragraphs, g: usize) -> Vec<u64> {
    let mut terms: Vec<u64> = paragraphs.paragraph(g).terms().collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// In how many documents each term occurs.
fn document_frequencies(paragraphs: &Paragraphs) -> HashMap<u64, u32> {
    (0..paragraphs.doc_count())
        .into_par_iter()
        .fold(HashMap::new, |mut df: HashMap<u64, u32>, doc| {
            let mut terms: Vec<u64> = paragraphs
                .of_doc(doc)
                .flat_map(|g| paragraphs.paragraph(g).terms())
                .collect();
            terms.sort_unstable();
            terms.dedup();
            for t in terms {
                *df.entry(t).or_default() += 1;
            }
            df
        })
        .reduce(HashMap::new, |mut a, b| {
            for (t, n) in b {
                *a.entry(t).or_default() += n;
            }
            a
        })
}

/// Weighted overlap of every pair of paragraphs of one article.
pub struct PairScores {
    n: usize,
    /// `sim[i * n + j]`: weighted term overlap of paragraphs i and j, in [0, 1].
    sim: Vec<f64>,
}

impl PairScores {
    /// Scores all pairs of the term sets of one article's paragraphs.
    pub fn new(sets: &[Vec<u64>], doc_freq: &HashMap<u64, u32>, n_docs: usize) -> PairScores {
        let n = sets.len();
        let mut local_df: HashMap<u64, u32> = HashMap::new();
        for set in sets {
            for &t in set {
                *local_df.entry(t).or_default() += 1;
            }
        }
        let weight = |t: u64| -> f64 {
            let in_doc = (1.0 + n as f64 / local_df[&t] as f64).ln();
            let df = doc_freq.get(&t).copied().unwrap_or(1) as f64;
            let in_corpus = 1.0 + ((n_docs as f64 + 1.0) / df).ln();
            in_doc * in_corpus
        };
        let weighted: Vec<Vec<(u64, f64)>> = sets
            .iter()
            .map(|s| s.iter().map(|&t| (t, weight(t))).collect())
            .collect();
        let mass: Vec<f64> = weighted
            .iter()
            .map(|s| s.iter().map(|x| x.1).sum())
            .collect();
        let mut sim = vec![0.0; n * n];
        for i in 0..n {
            for j in i + 1..n {
                let common = shared_weight(&weighted[i], &weighted[j]);
                let denom = (mass[i] * mass[j]).sqrt();
                let s = if denom > 0.0 { common / denom } else { 0.0 };
                sim[i * n + j] = s;
                sim[j * n + i] = s;
            }
        }
        PairScores { n, sim }
    }

    /// Similarity of paragraphs i and j (0 outside the article).
    pub fn sim(&self, i: usize, j: usize) -> f64 {
        if i < self.n && j < self.n && i != j {
            self.sim[i * self.n + j]
        } else {
            0.0
        }
    }

    /// Pairs `(earlier, later, score)` whose combined score reaches `threshold`.
    pub fn restated(&self, threshold: f64) -> Vec<(usize, usize, f64)> {
        let mut out = Vec::new();
        for j in 1..self.n {
            for i in 0..j {
                let score = self.combined(i, j);
                if score >= threshold {
                    out.push((i, j, score));
                }
            }
        }
        out
    }

    /// The pair's own similarity plus the support of its diagonal neighbours.
    pub fn combined(&self, i: usize, j: usize) -> f64 {
        let own = self.sim(i, j);
        let before = if i > 0 { self.sim(i - 1, j - 1) } else { 0.0 };
        let after = self.sim(i + 1, j + 1);
        (own + 0.5 * before.max(after)).min(1.0)
    }
}

/// Sum of the weights of the terms two sorted weighted sets share.
fn shared_weight(a: &[(u64, f64)], b: &[(u64, f64)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}
