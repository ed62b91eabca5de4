//! Extractive summaries: the most central sentences of each cleaned article.
//!
//! Sentences are TF-IDF vectors (IDF over the whole corpus, stopwords removed, stemmed);
//! centrality is LexRank's (PageRank over the cosine-similarity graph); a position prior
//! favours early sentences, since news puts the key facts first; selection takes the best
//! sentences in turn and skips one too similar to a sentence already chosen. The summary
//! keeps the article's order. Titles and dropped paragraphs are never used.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;

use crate::dedup::Decision;
use crate::error::{Error, Result};
use crate::text::AnalyzedDoc;

/// Settings of the summariser.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryConfig {
    /// Number of sentences per summary (fewer when the article has fewer).
    pub sentences: usize,
    /// A sentence whose cosine similarity to a chosen one exceeds this is skipped.
    pub redundancy: f64,
    /// Weight of the position prior against centrality, in [0, 1].
    pub position_weight: f64,
}

impl Default for SummaryConfig {
    fn default() -> Self {
        SummaryConfig {
            sentences: 3,
            redundancy: 0.5,
            position_weight: 0.4,
        }
    }
}

impl SummaryConfig {
    /// Checks that every setting is in range.
    pub fn validate(&self) -> Result<()> {
        if self.sentences == 0 {
            return Err(Error::Config("a summary needs at least 1 sentence".into()));
        }
        if !(0.0..=1.0).contains(&self.redundancy) || !(0.0..=1.0).contains(&self.position_weight) {
            return Err(Error::Config(
                "the redundancy and position weights must be in [0, 1]".into(),
            ));
        }
        Ok(())
    }
}

/// The summary of one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// 1-based numbers of the chosen sentences among all sentences of the cleaned
    /// article (its title included), in article order.
    pub sentence_ids: Vec<usize>,
    /// Byte spans of the chosen sentences in the article text, in article order.
    pub spans: Vec<Range<usize>>,
}

impl Summary {
    /// The chosen sentences joined by single spaces.
    pub fn text(&self, article: &str) -> String {
        self.spans
            .iter()
            .map(|s| {
                article[s.clone()]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A sentence that may go into a summary.
struct Candidate {
    id: usize,
    span: Range<usize>,
    terms: Vec<u64>,
}

/// Summarises every article; `decisions` says which paragraphs survive cleaning.
pub fn summarize(
    analyzed: &[AnalyzedDoc],
    decisions: &[Vec<Decision>],
    config: &SummaryConfig,
) -> Vec<Summary> {
    let candidates: Vec<Vec<Candidate>> = analyzed
        .par_iter()
        .zip(decisions)
        .map(|(doc, decisions)| candidates(doc, decisions))
        .collect();
    let idf = inverse_document_frequencies(&candidates);
    candidates
        .par_iter()
        .map(|c| select(c, &idf, config))
        .collect()
}

/// Body sentences of the kept paragraphs, numbered within the cleaned article.
fn candidates(doc: &AnalyzedDoc, decisions: &[Decision]) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut id = 0;
    for (paragraph, decision) in doc.paragraphs.iter().zip(decisions) {
        if !decision.is_kept() {
            continue;
        }
        for (span, terms) in paragraph.sentences.iter().zip(&paragraph.sentence_terms) {
            id += 1;
            if *decision == Decision::Keep {
                out.push(Candidate {
                    id,
                    span: span.clone(),
                    terms: terms.clone(),
                });
            }
        }
    }
    out
}

/// Smoothed IDF of every term over the documents: `ln((N + 1) / (df + 1)) + 1`.
fn inverse_document_frequencies(docs: &[Vec<Candidate>]) -> HashMap<u64, f64> {
    let mut df: HashMap<u64, u32> = HashMap::new();
    for doc in docs {
        let mut terms: Vec<u64> = doc.iter().flat_map(|c| c.terms.iter().copied()).collect();
        terms.sort_unstable();
        terms.dedup();
        for t in terms {
            *df.entry(t).or_default() += 1;
        }
    }
    let n = docs.len() as f64;
    df.into_iter()
        .map(|(t, d)| (t, ((n + 1.0) / (d as f64 + 1.0)).ln() + 1.0))
        .collect()
}

/// Sparse unit-length TF-IDF vector of a sentence, sorted by term.
fn tfidf(terms: &[u64], idf: &HashMap<u64, f64>) -> Vec<(u64, f64)> {
    let mut sorted = terms.to_vec();
    sorted.sort_unstable();
    let mut v: Vec<(u64, f64)> = Vec::new();
    for chunk in sorted.chunk_by(|a, b| a == b) {
        let t = chunk[0];
        v.push((t, chunk.len() as f64 * idf.get(&t).copied().unwrap_or(1.0)));
    }
    let norm = v.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| x.1 /= norm);
    }
    v
}

fn cosine(a: &[(u64, f64)], b: &[(u64, f64)]) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// Picks the summary sentences of one article.
fn select(candidates: &[Candidate], idf: &HashMap<u64, f64>, config: &SummaryConfig) -> Summary {
    let n = candidates.len();
    let vectors: Vec<Vec<(u64, f64)>> = candidates.iter().map(|c| tfidf(&c.terms, idf)).collect();
    let mut sim = vec![0.0; n * n];
    for i in 0..n {
        for j in i + 1..n {
            let s = cosine(&vectors[i], &vectors[j]);
            sim[i * n + j] = s;
            sim[j * n + i] = s;
        }
    }
    let centrality = lexrank(&sim, n);
    let max_c = centrality.iter().copied().fold(0.0, f64::max);
    let w = config.position_weight;
    let score: Vec<f64> = (0..n)
        .map(|i| {
            let c = if max_c > 0.0 {
                centrality[i] / max_c
            } else {
                0.0
            };
            (1.0 - w) * c + w / ((i + 1) as f64).sqrt()
        })
        .collect();

    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
    // Very short sentences (datelines, fragments) are chosen only when nothing else is left.
    let informative = |i: &usize| candidates[*i].terms.len() >= 3;
    let mut chosen: Vec<usize> = Vec::new();
    for pass in [true, false] {
        for &i in &order {
            if chosen.len() >= config.sentences {
                break;
            }
            let redundant = chosen.iter().any(|&c| sim[i * n + c] > config.redundancy);
            if !chosen.contains(&i) && informative(&i) == pass && !redundant {
                chosen.push(i);
            }
        }
    }
    chosen.sort_unstable();
    Summary {
        sentence_ids: chosen.iter().map(|&i| candidates[i].id).collect(),
        spans: chosen.iter().map(|&i| candidates[i].span.clone()).collect(),
    }
}

/// LexRank centrality: stationary distribution of a damped random walk on the similarity graph.
fn lexrank(sim: &[f64], n: usize) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    const DAMPING: f64 = 0.85;
    let row_sum: Vec<f64> = (0..n)
        .map(|i| sim[i * n..(i + 1) * n].iter().sum())
        .collect();
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..100 {
        let mut next = vec![(1.0 - DAMPING) / n as f64; n];
        for i in 0..n {
            if row_sum[i] > 0.0 {
                let share = DAMPING * rank[i] / row_sum[i];
                for (j, x) in next.iter_mut().enumerate() {
                    *x += share * sim[i * n + j];
                }
            } else {
                let share = DAMPING * rank[i] / n as f64;
                next.iter_mut().for_each(|x| *x += share);
            }
        }
        let delta: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        rank = next;
        if delta < 1e-9 {
            break;
        }
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: usize, terms: &[u64]) -> Candidate {
        Candidate {
            id,
            span: id..id + 1,
            terms: terms.to_vec(),
        }
    }

    #[test]
    fn picks_central_sentences_in_order_without_repeats() {
        let cands = vec![
            candidate(2, &[1, 2, 3, 4]),
            candidate(3, &[1, 2, 3, 4]), // a repeat of sentence 2
            candidate(4, &[9, 10, 11]),
            candidate(5, &[1, 2, 5, 6]),
            candidate(6, &[20, 21, 22]),
        ];
        let idf = inverse_document_frequencies(std::slice::from_ref(&cands));
        let config = SummaryConfig {
            sentences: 2,
            ..SummaryConfig::default()
        };
        let summary = select(&cands, &idf, &config);
        assert_eq!(summary.sentence_ids.len(), 2);
        assert!(summary.sentence_ids.windows(2).all(|w| w[0] < w[1]));
        assert!(!(summary.sentence_ids.contains(&2) && summary.sentence_ids.contains(&3)));
    }

    #[test]
    fn lexrank_favours_the_hub() {
        // Sentence 0 is similar to both others; they are not similar to each other.
        let sim = [0.0, 0.5, 0.5, 0.5, 0.0, 0.0, 0.5, 0.0, 0.0];
        let r = lexrank(&sim, 3);
        assert!(r[0] > r[1] && r[0] > r[2]);
        assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-6);
    }
}
