//! Near copies: shingle-set Jaccard (or containment) at or above a threshold, across the
//! whole corpus, found exactly by a prefix-filtered set-similarity join ([`join`]).

use rayon::prelude::*;

use super::join::{self, Measure};
use super::{DedupConfig, Evidence, Kind, Pair, ParaRef, Paragraphs};

/// A verified pair, and which side is the part: a `contained` pair drops its later
/// paragraph only when that one is inside the earlier (a later, longer version is kept).
/// For `near` pairs both sides count as inside.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearPair {
    /// The pair.
    pub pair: Pair,
    /// Whether the earlier paragraph's shingles are (mostly) inside the later's.
    pub earlier_inside: bool,
    /// Whether the later paragraph's shingles are (mostly) inside the earlier's.
    pub later_inside: bool,
}

/// What the near search found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// The verified pairs.
    pub pairs: Vec<NearPair>,
    /// Paragraphs compared only with the leaders of a large group of similar ones (see
    /// [`join::Joined::limited`]), in input order.
    pub limited: Vec<ParaRef>,
}

/// Verified near-copy pairs among the `representatives` (first copies of each text).
///
/// With [`Measure::Jaccard`] every pair has kind `near`. With [`Measure::Containment`],
/// pairs whose Jaccard also reaches the threshold are `near`, the others `contained`
/// (scored by the containment of the smaller shingle set in the larger).
pub fn find(paragraphs: &Paragraphs, representatives: &[bool], config: &DedupConfig) -> Found {
    let members: Vec<u32> = (0..paragraphs.len())
        .filter(|&g| representatives[g])
        .map(|g| g as u32)
        .collect();
    let sets: Vec<&[u32]> = members
        .iter()
        .map(|&g| paragraphs.shingles(g as usize))
        .collect();
    let t = config.near_threshold;
    let joined = join::self_join(&sets, t, config.measure);
    let pairs = joined
        .pairs
        .into_par_iter()
        .map(|o| {
            let (len_a, len_b) = (sets[o.a as usize].len(), sets[o.b as usize].len());
            let jaccard = o.jaccard(len_a, len_b);
            let (kind, score, earlier_inside, later_inside) =
                if config.measure == Measure::Jaccard || jaccard >= t {
                    (Kind::Near, jaccard, true, true)
                } else {
                    let c = o.containment(len_a, len_b);
                    (Kind::Contained, c, len_a <= len_b, len_b <= len_a)
                };
            NearPair {
                pair: Pair {
                    earlier: paragraphs.at(members[o.a as usize] as usize),
                    later: paragraphs.at(members[o.b as usize] as usize),
                    kind,
                    score,
                    evidence: Evidence::None,
                },
                earlier_inside,
                later_inside,
            }
        })
        .collect();
    let limited = joined
        .limited
        .iter()
        .map(|&s| paragraphs.at(members[s as usize] as usize))
        .collect();
    Found { pairs, limited }
}
