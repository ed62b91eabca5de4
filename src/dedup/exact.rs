//! Exact copies: paragraphs whose normalised text hashes to the same key.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{Evidence, Kind, Pair, Paragraphs};

/// Groups larger than this report a star (every copy with the first) and a chain
/// (each copy with the next) instead of all pairs, so that the pairs stay linear in the
/// paragraphs: at most 7.5 a paragraph. (It was 1,024: a scrape repeated 120 times listed
/// 7,140 pairs for each of its texts, and a 1 GB corpus ran out of 24 GB of memory.)
pub const MAX_GROUP_ALL_PAIRS: usize = 16;

/// Exact-copy pairs and which paragraphs are the first of their text.
pub struct ExactResult {
    /// Every pair of copies of the same text (star and chain for very large groups).
    pub pairs: Vec<Pair>,
    /// The later copies of each text, by the global index of its first copy (texts with
    /// copies only: most paragraphs have none).
    pub copies: FxHashMap<usize, Vec<usize>>,
    /// Per global paragraph: eligible and the first of its text. Only these go on to
    /// near-duplicate search, so a text repeated a thousand times is compared once.
    pub representatives: Vec<bool>,
}

/// Groups eligible paragraphs by their exact keys.
pub fn find(paragraphs: &Paragraphs, eligible: &[bool]) -> ExactResult {
    let mut keyed: Vec<(u64, usize)> = (0..paragraphs.len())
        .filter(|&g| eligible[g])
        .map(|g| (paragraphs.print(g).key, g))
        .collect();
    keyed.par_sort_unstable();

    let mut pairs = Vec::new();
    let mut representatives = vec![false; paragraphs.len()];
    let mut copies = FxHashMap::default();
    let pair = |a: usize, b: usize| Pair {
        earlier: paragraphs.at(a),
        later: paragraphs.at(b),
        kind: Kind::Exact,
        score: 1.0,
        evidence: Evidence::None,
    };
    for group in keyed.chunk_by(|a, b| a.0 == b.0) {
        let members: Vec<usize> = group.iter().map(|&(_, g)| g).collect();
        let first = members[0];
        representatives[first] = true;
        if members.len() > 1 {
            copies.insert(first, members[1..].to_vec());
        }
        if members.len() <= MAX_GROUP_ALL_PAIRS {
            for (i, &a) in members.iter().enumerate() {
                pairs.extend(members[i + 1..].iter().map(|&b| pair(a, b)));
            }
        } else {
            pairs.extend(members[1..].iter().map(|&b| pair(first, b)));
            pairs.extend(members[1..].windows(2).map(|w| pair(w[0], w[1])));
        }
    }
    ExactResult {
        pairs,
        copies,
        representatives,
    }
}
