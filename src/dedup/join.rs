//! Exact set-similarity self-join with prefix filtering (AllPairs: Bayardo, Ma and
//! Srikant 2007; containment as in Chaudhuri, Ganti and Kaushik 2006).
//!
//! Order every token of the corpus the same way, rarest first. Two sets whose overlap
//! must be at least `α` share a token among the first `|x| - α + 1` of each (their
//! prefixes), so only sets sharing a prefix token are compared, and every candidate is
//! verified exactly: nothing above the threshold is missed and nothing below it is
//! reported, unlike MinHash LSH, which trades recall for speed. Rare tokens have short
//! posting lists, which is what keeps the candidates few; the ordering only needs to be
//! consistent, so the frequencies come from a fixed-size counting sketch.

use std::sync::atomic::{AtomicU16, Ordering};

use rayon::prelude::*;

/// What the threshold bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// `|x ∩ y| / |x ∪ y|`.
    Jaccard,
    /// `|x ∩ y| / min(|x|, |y|)`: the smaller set is (mostly) inside the larger one.
    Containment,
}

impl std::str::FromStr for Measure {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "jaccard" => Ok(Measure::Jaccard),
            "containment" => Ok(Measure::Containment),
            other => Err(format!(
                "unknown measure `{other}` (expected jaccard or containment)"
            )),
        }
    }
}

/// Two sets of the join, `a < b`, and how many tokens they share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap {
    /// Index of the first set.
    pub a: u32,
    /// Index of the second set.
    pub b: u32,
    /// Size of their intersection.
    pub shared: u32,
}

impl Overlap {
    /// Jaccard similarity, given the sets' sizes.
    pub fn jaccard(&self, len_a: usize, len_b: usize) -> f64 {
        self.shared as f64 / (len_a + len_b - self.shared as usize) as f64
    }

    /// Containment of the smaller set in the larger, given the sets' sizes.
    pub fn containment(&self, len_a: usize, len_b: usize) -> f64 {
        self.shared as f64 / len_a.min(len_b) as f64
    }
}

/// Every pair of `sets` (sorted, distinct tokens each) whose `measure` reaches
/// `threshold`, ordered by `(b, a)`. Empty sets match nothing.
pub fn self_join(sets: &[Vec<u32>], threshold: f64, measure: Measure) -> Vec<Overlap> {
    let rank = Rank::count(sets);
    // Each set's prefix: its rarest tokens, as many as can miss while still matching.
    let prefixes: Vec<Vec<u32>> = sets
        .par_iter()
        .map(|set| {
            let mut ordered = set.clone();
            ordered.sort_unstable_by_key(|&t| rank.of(t));
            ordered.truncate(prefix_len(set.len(), threshold));
            ordered
        })
        .collect();
    // Jaccard: both sides' prefixes must meet. Containment: the smaller set's prefix
    // must meet anything in the larger one, so every token is indexed.
    let index = Postings::new(match measure {
        Measure::Jaccard => &prefixes,
        Measure::Containment => sets,
    });

    let mut found: Vec<Overlap> = (0..sets.len())
        .into_par_iter()
        .flat_map_iter(|x| {
            let len = sets[x].len();
            let mut candidates: Vec<u32> = Vec::new();
            for &token in &prefixes[x] {
                let posting = index.of(token).copied();
                match measure {
                    // The later set asks about earlier ones; sizes must be compatible.
                    Measure::Jaccard => candidates.extend(posting.filter(|&y| {
                        let other = sets[y as usize].len() as f64;
                        (y as usize) < x
                            && other >= threshold * len as f64 - 1e-9
                            && other * threshold <= len as f64 + 1e-9
                    })),
                    // The smaller set asks (ties: the earlier one).
                    Measure::Containment => candidates.extend(
                        posting.filter(|&y| (sets[y as usize].len(), y as usize) > (len, x)),
                    ),
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            let need = min_overlap(len, threshold);
            candidates
                .into_iter()
                .filter_map(|y| {
                    let shared = super::shingle::intersection_size(&sets[x], &sets[y as usize]);
                    let (a, b) = (x.min(y as usize), x.max(y as usize));
                    let ok = match measure {
                        Measure::Jaccard => {
                            shared as f64 / (len + sets[y as usize].len() - shared) as f64
                                >= threshold
                        }
                        Measure::Containment => shared >= need,
                    };
                    ok.then_some(Overlap {
                        a: a as u32,
                        b: b as u32,
                        shared: shared as u32,
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    // Each pair is found once (by the later set, or by the smaller); order it by `(b, a)`.
    found.par_sort_unstable_by_key(|o| (o.b, o.a));
    found
}

/// Smallest overlap a set of `len` tokens needs with another set to reach `threshold`
/// (for either measure, `|x ∩ y| ≥ t |x|`). Rounded down a hair, so floating-point
/// error can only lengthen a prefix.
fn min_overlap(len: usize, threshold: f64) -> usize {
    ((threshold * len as f64) - 1e-9).ceil().max(1.0) as usize
}

/// Number of rarest tokens that must include a shared one.
fn prefix_len(len: usize, threshold: f64) -> usize {
    if len == 0 {
        0
    } else {
        (len + 1)
            .saturating_sub(min_overlap(len, threshold))
            .min(len)
    }
}

/// A global order of tokens, rarest first (ties by value): counts in a fixed-size sketch,
/// so a few rare tokens may look commoner than they are, which costs only speed.
struct Rank {
    counts: Vec<AtomicU16>,
    mask: u32,
}

impl Rank {
    /// Counts beyond this are all alike (and the counter cannot wrap).
    const CAP: u16 = u16::MAX - 1024;

    fn count(sets: &[Vec<u32>]) -> Rank {
        let total: usize = sets.iter().map(Vec::len).sum();
        let cells = total.next_power_of_two().clamp(1 << 12, 1 << 25);
        let counts: Vec<AtomicU16> = (0..cells).map(|_| AtomicU16::new(0)).collect();
        let rank = Rank {
            counts,
            mask: (cells - 1) as u32,
        };
        sets.par_iter().for_each(|set| {
            for &t in set {
                let cell = &rank.counts[rank.cell(t)];
                if cell.load(Ordering::Relaxed) < Self::CAP {
                    cell.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        rank
    }

    fn cell(&self, token: u32) -> usize {
        // Tokens are hashes already; spread them once more so the cell is not the low bits.
        (token.wrapping_mul(0x9E37_79B1).rotate_left(16) & self.mask) as usize
    }

    fn of(&self, token: u32) -> u64 {
        let n = self.counts[self.cell(token)]
            .load(Ordering::Relaxed)
            .min(Self::CAP);
        (u64::from(n) << 32) | u64::from(token)
    }
}

/// Which sets hold each token: `(token, set)` records sorted, found by binary search.
struct Postings {
    records: Vec<(u32, u32)>,
}

impl Postings {
    fn new(sets: &[Vec<u32>]) -> Postings {
        let mut records: Vec<(u32, u32)> = sets
            .par_iter()
            .enumerate()
            .flat_map_iter(|(s, set)| set.iter().map(move |&t| (t, s as u32)))
            .collect();
        records.par_sort_unstable();
        Postings { records }
    }

    /// The sets holding `token`, in index order.
    fn of(&self, token: u32) -> impl Iterator<Item = &u32> + '_ {
        let start = self.records.partition_point(|r| r.0 < token);
        self.records[start..]
            .iter()
            .take_while(move |r| r.0 == token)
            .map(|r| &r.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every pair, compared directly.
    fn brute_force(sets: &[Vec<u32>], threshold: f64, measure: Measure) -> Vec<Overlap> {
        let mut out = Vec::new();
        for b in 0..sets.len() {
            for a in 0..b {
                let shared = crate::dedup::shingle::intersection_size(&sets[a], &sets[b]);
                let o = Overlap {
                    a: a as u32,
                    b: b as u32,
                    shared: shared as u32,
                };
                let (la, lb) = (sets[a].len(), sets[b].len());
                let score = match measure {
                    Measure::Jaccard if la + lb > 0 => o.jaccard(la, lb),
                    Measure::Containment if la.min(lb) > 0 => o.containment(la, lb),
                    _ => 0.0,
                };
                if score >= threshold && shared > 0 {
                    out.push(o);
                }
            }
        }
        out
    }

    /// Sets over a small vocabulary (so they overlap a lot), sorted and distinct.
    fn sets() -> impl Strategy<Value = Vec<Vec<u32>>> {
        prop::collection::vec(prop::collection::btree_set(0u32..40, 0..25), 0..40)
            .prop_map(|sets| sets.into_iter().map(|s| s.into_iter().collect()).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// The prefix filter misses nothing and admits nothing: it equals brute force.
        #[test]
        fn join_equals_brute_force(sets in sets(), t in prop::sample::select(vec![0.3, 0.5, 0.8, 0.9, 1.0])) {
            for measure in [Measure::Jaccard, Measure::Containment] {
                prop_assert_eq!(self_join(&sets, t, measure), brute_force(&sets, t, measure));
            }
        }
    }

    #[test]
    fn containment_finds_a_truncated_copy_that_jaccard_does_not() {
        let long: Vec<u32> = (0..20).collect();
        let part: Vec<u32> = (0..9).collect();
        let sets = vec![long, part, vec![100, 101]];
        assert!(self_join(&sets, 0.8, Measure::Jaccard).is_empty());
        let found = self_join(&sets, 0.8, Measure::Containment);
        assert_eq!(
            found,
            vec![Overlap {
                a: 0,
                b: 1,
                shared: 9
            }]
        );
        assert_eq!(found[0].containment(20, 9), 1.0);
    }

    #[test]
    fn prefixes_leave_room_for_the_misses() {
        assert_eq!(prefix_len(10, 0.8), 3);
        assert_eq!(prefix_len(5, 0.8), 2);
        assert_eq!(prefix_len(1, 0.8), 1);
        assert_eq!(prefix_len(0, 0.8), 0);
        assert_eq!(prefix_len(7, 1.0), 1);
        assert_eq!(min_overlap(5, 0.8), 4);
    }
}
