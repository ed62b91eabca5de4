//! MinHash signatures and LSH banding (Broder 1997; Leskovec et al., ch. 3).
//!
//! The permutations are fixed by a seed, so signatures and band keys are the same on
//! every run and machine and can be sorted, spilled or shared.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::text::normalize::HASH_SEED;

/// A family of `k` hash permutations `h_i(x) = (a_i * x + b_i) >> 32` over 64-bit shingles.
pub struct MinHasher {
    a: Vec<u64>,
    b: Vec<u64>,
}

impl MinHasher {
    /// `k` permutations drawn from a fixed seed.
    pub fn new(k: usize) -> MinHasher {
        let mut state = HASH_SEED;
        let mut next = || {
            // splitmix64: a tiny, well-mixed, reproducible generator.
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let (a, b) = (0..k).map(|_| (next() | 1, next())).unzip();
        MinHasher { a, b }
    }

    /// Number of permutations.
    pub fn len(&self) -> usize {
        self.a.len()
    }

    /// Whether there are no permutations.
    pub fn is_empty(&self) -> bool {
        self.a.is_empty()
    }

    /// The signature of a shingle set: the minimum of each permutation over the set.
    pub fn signature(&self, shingles: &[u64]) -> Vec<u32> {
        let mut sig = vec![u32::MAX; self.a.len()];
        for &x in shingles {
            for ((s, &a), &b) in sig.iter_mut().zip(&self.a).zip(&self.b) {
                let h = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                *s = (*s).min(h);
            }
        }
        sig
    }
}

/// LSH banding: `bands` bands of `rows` signature values each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Banding {
    /// Number of bands.
    pub bands: usize,
    /// Signature values per band.
    pub rows: usize,
}

impl Banding {
    /// The banding with the most rows per band (fewest false candidates) that still makes
    /// a pair at exactly `threshold` a candidate with probability at least 0.995.
    /// Every candidate is verified exactly afterwards, so extra candidates cost only time.
    pub fn for_threshold(num_perm: usize, threshold: f64) -> Banding {
        (1..=num_perm)
            .rev()
            .map(|rows| Banding {
                bands: num_perm / rows,
                rows,
            })
            .find(|b| b.candidate_probability(threshold) >= 0.995)
            .unwrap_or(Banding {
                bands: num_perm,
                rows: 1,
            })
    }

    /// Probability that a pair with Jaccard `s` shares at least one band.
    pub fn candidate_probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// Band keys of a signature: one stable 64-bit hash per band, salted with the band index.
    pub fn keys<'a>(&self, signature: &'a [u32]) -> impl Iterator<Item = u64> + 'a {
        signature
            .chunks_exact(self.rows)
            .take(self.bands)
            .enumerate()
            .map(|(band, rows)| {
                let mut bytes = Vec::with_capacity(rows.len() * 4);
                for r in rows {
                    bytes.extend_from_slice(&r.to_le_bytes());
                }
                xxh3_64_with_seed(&bytes, HASH_SEED ^ band as u64)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_agreement_estimates_jaccard() {
        let h = MinHasher::new(256);
        let a: Vec<u64> = (0..100).map(|i| i * 7919).collect();
        let b: Vec<u64> = (50..150).map(|i| i * 7919).collect(); // Jaccard 50/150
        let (sa, sb) = (h.signature(&a), h.signature(&b));
        let agree = sa.iter().zip(&sb).filter(|(x, y)| x == y).count() as f64 / 256.0;
        assert!((agree - 1.0 / 3.0).abs() < 0.1, "estimate {agree}");
        assert_eq!(h.signature(&a), MinHasher::new(256).signature(&a));
    }

    #[test]
    fn banding_reaches_high_recall_at_threshold() {
        for t in [0.5, 0.7, 0.8, 0.9] {
            let b = Banding::for_threshold(128, t);
            assert!(b.bands * b.rows <= 128);
            assert!(b.candidate_probability(t) >= 0.995, "{b:?} at {t}");
        }
        assert_eq!(
            Banding::for_threshold(128, 0.8),
            Banding { bands: 21, rows: 6 }
        );
    }
}
