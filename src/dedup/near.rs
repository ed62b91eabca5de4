//! Near copies: shingle-set Jaccard at or above a threshold, across the whole corpus.
//!
//! Candidates come from MinHash LSH with sort-based bucketing (band records sorted, equal
//! keys adjacent), so the cost grows with the corpus, not with all pairs; every candidate
//! is then verified with the exact Jaccard of the shingle sets.

use rayon::prelude::*;

use super::minhash::{Banding, MinHasher};
use super::shingle::{jaccard, shingles};
use super::{DedupConfig, Kind, Pair, Paragraphs};

/// Buckets larger than this contribute a star and a chain of pairs instead of all pairs,
/// so one very common text cannot make the candidate list quadratic.
const MAX_BUCKET_ALL_PAIRS: usize = 64;

/// Verified near-copy pairs among the `representatives` (first copies of each text).
pub fn find(paragraphs: &Paragraphs, representatives: &[bool], config: &DedupConfig) -> Vec<Pair> {
    let members: Vec<usize> = (0..paragraphs.len())
        .filter(|&g| representatives[g])
        .collect();
    let sets: Vec<Vec<u64>> = members
        .par_iter()
        .map(|&g| shingles(paragraphs.text(g), config.shingle, config.shingle_size))
        .collect();

    let hasher = MinHasher::new(config.num_perm);
    let banding = Banding::for_threshold(config.num_perm, config.near_threshold);
    let mut records: Vec<(u64, u32)> = sets
        .par_iter()
        .enumerate()
        .filter(|(_, set)| !set.is_empty())
        .flat_map_iter(|(m, set)| {
            let signature = hasher.signature(set);
            banding
                .keys(&signature)
                .map(move |key| (key, m as u32))
                .collect::<Vec<_>>()
        })
        .collect();
    records.par_sort_unstable();

    let mut candidates: Vec<(u32, u32)> = Vec::new();
    for bucket in records.chunk_by(|a, b| a.0 == b.0) {
        let ids: Vec<u32> = bucket.iter().map(|r| r.1).collect();
        if ids.len() <= MAX_BUCKET_ALL_PAIRS {
            for (i, &a) in ids.iter().enumerate() {
                candidates.extend(ids[i + 1..].iter().map(|&b| (a, b)));
            }
        } else {
            candidates.extend(ids[1..].iter().map(|&b| (ids[0], b)));
            candidates.extend(ids.windows(2).skip(1).map(|w| (w[0], w[1])));
        }
    }
    candidates.par_sort_unstable();
    candidates.dedup();

    candidates
        .par_iter()
        .filter_map(|&(a, b)| {
            let score = jaccard(&sets[a as usize], &sets[b as usize]);
            (score >= config.near_threshold).then(|| Pair {
                earlier: paragraphs.at(members[a as usize]),
                later: paragraphs.at(members[b as usize]),
                kind: Kind::Near,
                score,
            })
        })
        .collect()
}
