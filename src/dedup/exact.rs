//! Exact copies: paragraphs whose normalised text hashes to the same key.

use rayon::prelude::*;

use super::{Kind, Pair, Paragraphs};
use crate::text::normalize::exact_key;

/// Exact-copy pairs and which paragraphs are the first of their text.
pub struct ExactResult {
    /// One pair per later copy, pointing at the first copy.
    pub pairs: Vec<Pair>,
    /// Per global paragraph: eligible and the first of its text. Only these go on to
    /// near-duplicate search, so a text repeated a thousand times is compared once.
    pub representatives: Vec<bool>,
}

/// Groups eligible paragraphs by normalised text.
pub fn find(paragraphs: &Paragraphs, eligible: &[bool]) -> ExactResult {
    let mut keyed: Vec<(u64, usize)> = (0..paragraphs.len())
        .into_par_iter()
        .filter(|&g| eligible[g])
        .map(|g| (exact_key(paragraphs.text(g)), g))
        .collect();
    keyed.par_sort_unstable();

    let mut pairs = Vec::new();
    let mut representatives = vec![false; paragraphs.len()];
    for group in keyed.chunk_by(|a, b| a.0 == b.0) {
        let first = group[0].1;
        representatives[first] = true;
        pairs.extend(group[1..].iter().map(|&(_, g)| Pair {
            earlier: paragraphs.at(first),
            later: paragraphs.at(g),
            kind: Kind::Exact,
            score: 1.0,
        }));
    }
    ExactResult {
        pairs,
        representatives,
    }
}
