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
//!
//! Rare tokens are not always rare enough: near-identical sets share their whole prefixes,
//! and all pairs of 10,000 of them are 50 million. A group of more than [`MAX_GROUP`]
//! sets that are mostly near copies of its first (`mostly_copies`) is therefore paired
//! only with its leaders (`leader_pairs`), and its sets are reported as
//! [`Joined::limited`]; other groups, of any size, are joined exactly.

use std::sync::atomic::{AtomicU8, Ordering};

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

/// A group of sets sharing a prefix token larger than this, mostly near copies of its first
/// set (`mostly_copies`), is not joined pair by pair: its sets are compared only with its
/// leaders (see `leader_pairs`). Near-identical paragraphs put all their sets in
/// the same groups, and all pairs of 10,000 of them took minutes and gigabytes; groups of
/// ordinary corpora stay far below it.
pub const MAX_GROUP: usize = 1024;

/// The most leaders of a group over [`MAX_GROUP`]: sets that match no earlier leader, to
/// which every later set of the group is compared.
pub const MAX_LEADERS: usize = 16;

/// What a join found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Joined {
    /// The pairs over the threshold, ordered by `(b, a)`; every pair when `limited` is
    /// empty.
    pub pairs: Vec<Overlap>,
    /// Sets (sorted) that were in a group over [`MAX_GROUP`] and were compared only with
    /// its leaders: pairs among them may be missing.
    pub limited: Vec<u32>,
}

/// Every pair of `sets` (sorted, distinct tokens each) whose `measure` reaches
/// `threshold`, ordered by `(b, a)`, except in groups over [`MAX_GROUP`] (see
/// [`Joined::limited`]). Empty sets match nothing.
pub fn self_join(sets: &[&[u32]], threshold: f64, measure: Measure) -> Joined {
    let rank = Rank::count(sets);
    let prefixes = Prefixes::new(sets, &rank, threshold);
    let (mut pairs, mut limited) = match measure {
        Measure::Jaccard => jaccard_pairs(sets, &prefixes, &rank, threshold),
        Measure::Containment => containment_pairs(sets, &prefixes, threshold),
    };
    pairs.par_sort_unstable_by_key(|o| (o.b, o.a));
    // A pair with a leader can be found in several groups (no-op without large groups).
    pairs.dedup_by_key(|o| (o.b, o.a));
    limited.par_sort_unstable();
    limited.dedup();
    Joined { pairs, limited }
}

/// Each set's prefix: its rarest tokens, as many as can miss while still matching, in
/// rank order; all of them end to end. Tokens, not rank keys: half the memory, and the
/// rank of a token is one lookup away.
struct Prefixes {
    tokens: Vec<u32>,
    starts: Vec<usize>,
}

impl Prefixes {
    fn new(sets: &[&[u32]], rank: &Rank, threshold: f64) -> Prefixes {
        let mut starts = Vec::with_capacity(sets.len() + 1);
        starts.push(0);
        for set in sets {
            starts.push(starts[starts.len() - 1] + prefix_len(set.len(), threshold));
        }
        let mut tokens = vec![0u32; starts[sets.len()]];
        fill_prefixes(sets, &starts, &mut tokens, rank);
        Prefixes { tokens, starts }
    }

    /// The prefix of set `s`.
    fn of(&self, s: usize) -> &[u32] {
        &self.tokens[self.starts[s]..self.starts[s + 1]]
    }
}

/// Writes the prefix of each of `sets` into `tokens` (`starts`: where each begins, one
/// more than `sets`, the first at `tokens`' start): halves filled in parallel, so no table
/// of a slice per set (16 bytes a set) is needed.
fn fill_prefixes(sets: &[&[u32]], starts: &[usize], tokens: &mut [u32], rank: &Rank) {
    const SERIAL: usize = 4096;
    if sets.len() > SERIAL {
        let mid = sets.len() / 2;
        let (low, high) = tokens.split_at_mut(starts[mid] - starts[0]);
        rayon::join(
            || fill_prefixes(&sets[..mid], &starts[..=mid], low, rank),
            || fill_prefixes(&sets[mid..], &starts[mid..], high, rank),
        );
        return;
    }
    let mut scratch: Vec<u64> = Vec::new();
    for (s, set) in sets.iter().enumerate() {
        let prefix = &mut tokens[starts[s] - starts[0]..starts[s + 1] - starts[0]];
        scratch.clear();
        scratch.extend(set.iter().map(|&t| rank.of(t)));
        if prefix.len() < scratch.len() {
            scratch.select_nth_unstable(prefix.len());
        }
        let chosen = &mut scratch[..prefix.len()];
        chosen.sort_unstable();
        for (token, &key) in prefix.iter_mut().zip(chosen.iter()) {
            *token = key as u32;
        }
    }
}

/// Jaccard: two sets over the threshold share a token of both prefixes, so the
/// candidates are the pairs within each group of equal prefix tokens (all records sorted
/// by token: sequential memory access, no lookups). A pair is taken up only at the first
/// prefix token the two share, so it is verified once, and only when the tokens after that
/// one can still make the overlap it needs (PPJoin's positional filter: Xiao et al. 2008).
fn jaccard_pairs(
    sets: &[&[u32]],
    prefixes: &Prefixes,
    rank: &Rank,
    threshold: f64,
) -> (Vec<Overlap>, Vec<u32>) {
    // The records of a corpus's prefixes take four times the memory of the prefixes
    // (16 bytes a token, not 4): they are built and joined a slice of the token space at a
    // time (tokens are hashes, so the slices are even), which holds a thirty-second of them
    // at once: they are made at the run's peak of memory, and reading every prefix once a
    // slice costs little.
    const SLICES: u32 = 32;
    let mut found = Vec::new();
    // Pairs with the leaders of large groups: a pair of sets in several large groups is
    // found in each, so these are kept apart and rid of repeats after every slice.
    let mut starred: Vec<Overlap> = Vec::new();
    let mut limited = Vec::new();
    for slice in 0..SLICES {
        let records: Vec<Record> = sets
            .par_iter()
            .enumerate()
            .with_min_len(1024)
            .flat_map_iter(|(s, set)| {
                prefixes
                    .of(s)
                    .iter()
                    .enumerate()
                    .filter(move |(_, &token)| token % SLICES == slice)
                    .map(move |(pos, &token)| Record {
                        token,
                        set: s as u32,
                        len: set.len() as u32,
                        pos: pos as u32,
                    })
            })
            .collect();
        let (pairs, star) = jaccard_groups(sets, prefixes, rank, threshold, records, &mut limited);
        found.extend(pairs);
        if !star.is_empty() {
            starred.extend(star);
            starred.par_sort_unstable_by_key(|o| (o.b, o.a));
            starred.dedup_by_key(|o| (o.b, o.a));
            limited.par_sort_unstable();
            limited.dedup();
        }
    }
    found.extend(starred);
    (found, limited)
}

/// A prefix token of a set, with what the group of the token needs to know of the set:
/// its size and where the token is in its prefix (no lookups of scattered sets).
#[derive(Debug, Clone, Copy)]
struct Record {
    token: u32,
    set: u32,
    len: u32,
    pos: u32,
}

/// The verified pairs of the groups of equal tokens among `records`, prefix tokens (see
/// [`jaccard_pairs`]): those of groups up to [`MAX_GROUP`], and apart, those of larger
/// groups with their leaders, whose other sets are added to `limited`.
fn jaccard_groups(
    sets: &[&[u32]],
    prefixes: &Prefixes,
    rank: &Rank,
    threshold: f64,
    mut records: Vec<Record>,
    limited: &mut Vec<u32>,
) -> (Vec<Overlap>, Vec<Overlap>) {
    records.par_sort_unstable_by_key(|r| (u64::from(r.token) << 32) | u64::from(r.set));
    // Groups of near copies too large for all their pairs (by their first token).
    let large: Vec<&[Record]> = records
        .chunk_by(|a, b| a.token == b.token)
        .filter(|g| {
            g.len() > MAX_GROUP && {
                let members: Vec<u32> = g.iter().map(|r| r.set).collect();
                mostly_copies(&members, |x, y| jaccard_of(sets, x, y, threshold))
            }
        })
        .collect();
    let starred_tokens: Vec<u32> = large.iter().map(|g| g[0].token).collect();
    let starred: Vec<Overlap> = large
        .par_iter()
        .flat_map_iter(|group| {
            let members: Vec<u32> = group.iter().map(|r| r.set).collect();
            leader_pairs(&members, |x, y| jaccard_of(sets, x, y, threshold))
        })
        .collect();
    limited.extend(large.iter().flat_map(|g| g[1..].iter().map(|r| r.set)));
    let found = records
        .par_chunk_by(|a, b| a.token == b.token)
        .filter(|g| g.len() > 1 && starred_tokens.binary_search(&g[0].token).is_err())
        .flat_map_iter(|group| {
            let mut out = Vec::new();
            // J ≥ t needs |x ∩ y| ≥ t / (1 + t) × (|x| + |y|).
            let share = threshold / (1.0 + threshold);
            for (k, y) in group.iter().enumerate() {
                let (len_b, left_b) = (f64::from(y.len), f64::from(y.len - y.pos));
                for x in &group[..k] {
                    let (len_a, left_a) = (f64::from(x.len), f64::from(x.len - x.pos));
                    // Sizes too far apart, or too few tokens left from this one on in
                    // either set for the overlap needed: most candidates end here, so
                    // this is plain arithmetic, without rounding.
                    let least = share * (len_a + len_b) - 1e-9;
                    if len_a < threshold * len_b - 1e-9
                        || len_b < threshold * len_a - 1e-9
                        || left_a.min(left_b) < least
                    {
                        continue;
                    }
                    let need = least.ceil().max(1.0) as usize;
                    let (i, j) = (x.pos as usize, y.pos as usize);
                    if shares_token(
                        &prefixes.of(x.set as usize)[..i],
                        &prefixes.of(y.set as usize)[..j],
                        rank,
                    ) {
                        continue;
                    }
                    let Some(shared) =
                        overlap_reaching(sets[x.set as usize], sets[y.set as usize], need)
                    else {
                        continue;
                    };
                    let jaccard = shared as f64 / (x.len as usize + y.len as usize - shared) as f64;
                    if jaccard >= threshold {
                        out.push(Overlap {
                            a: x.set,
                            b: y.set,
                            shared: shared as u32,
                        });
                    }
                }
            }
            out
        })
        .collect();
    (found, starred)
}

/// The pairs of a group of more than [`MAX_GROUP`] sets sharing a prefix token (`sets`,
/// in set order), as the join makes them: with its leaders when the group is mostly near
/// copies of its first set (`a` and `b` index `sets`), or `None` when it is not, and every
/// pair of it is a candidate. What a distributed job calls on such a group.
pub(crate) fn star(sets: &[&[u32]], threshold: f64) -> Option<Vec<Overlap>> {
    let members: Vec<u32> = (0..sets.len() as u32).collect();
    let matches = |x, y| jaccard_of(sets, x, y, threshold);
    mostly_copies(&members, matches).then(|| leader_pairs(&members, matches))
}

/// Counts of a rank sketch's cell past this are all alike (see `Rank`).
pub(crate) const RANK_CAP: u8 = Rank::CAP;

/// The cell of the rank sketch of a corpus of `total` tokens (see `Rank`) that `token`
/// counts in, and how many cells there are.
pub(crate) fn rank_cell(token: u32, total: usize) -> (usize, usize) {
    let cells = rank_cells(total);
    (cell_of(token, (cells - 1) as u32), cells)
}

/// Cells of the rank sketch of `total` tokens: about four tokens a cell, small enough to
/// stay in cache while counting.
fn rank_cells(total: usize) -> usize {
    (total / 4).next_power_of_two().clamp(1 << 12, 1 << 22)
}

/// The cell of `token` among `mask + 1`.
fn cell_of(token: u32, mask: u32) -> usize {
    // Tokens are hashes already; spread them once more so the cell is not the low bits.
    (token.wrapping_mul(0x9E37_79B1).rotate_left(16) & mask) as usize
}

/// Sets of a large group compared with its first set to tell whether the group is a
/// cluster of near copies (see [`mostly_copies`]).
const SAMPLE: usize = 64;

/// Whether a large group (`members` in set order) is mostly near copies of its first set:
/// at least half of the next [`SAMPLE`] sets match it. Only such a group is joined as a
/// star around its leaders ([`leader_pairs`]); a large group of sets that merely share a
/// frequent token (a corpus written from few sentences) is joined pair by pair, exactly.
fn mostly_copies(members: &[u32], matches: impl Fn(u32, u32) -> Option<u32>) -> bool {
    let sample = &members[1..members.len().min(SAMPLE + 1)];
    let copies = sample
        .iter()
        .filter(|&&y| matches(members[0], y).is_some())
        .count();
    2 * copies >= sample.len()
}

/// The pairs of a group too large for all of its pairs (`members` in set order), as a
/// star around each of its leaders: the first set leads, and each later one is compared
/// with every leader so far (`matches` verifies a pair); one that matches none leads too,
/// up to [`MAX_LEADERS`]. A cluster of near copies is one star around its first member,
/// which is what the decisions need: every copy is found a repeat of it. Pairs between
/// two followers, which would take time and memory quadratic in the group, are not
/// verified. In set order, so the same for any number of threads.
fn leader_pairs(members: &[u32], matches: impl Fn(u32, u32) -> Option<u32>) -> Vec<Overlap> {
    let mut leaders: Vec<u32> = Vec::new();
    let mut out = Vec::new();
    for &y in members {
        let before = out.len();
        for &x in &leaders {
            if let Some(shared) = matches(x, y) {
                out.push(Overlap { a: x, b: y, shared });
            }
        }
        if out.len() == before && leaders.len() < MAX_LEADERS {
            leaders.push(y);
        }
    }
    out
}

/// The overlap of sets `x` and `y` if their Jaccard reaches `threshold` (sizes checked
/// first: most non-matches end there).
fn jaccard_of(sets: &[&[u32]], x: u32, y: u32, threshold: f64) -> Option<u32> {
    let (a, b) = (sets[x as usize], sets[y as usize]);
    let (len_a, len_b) = (a.len() as f64, b.len() as f64);
    if len_a < threshold * len_b - 1e-9 || len_b < threshold * len_a - 1e-9 {
        return None;
    }
    let need = (threshold / (1.0 + threshold) * (len_a + len_b) - 1e-9)
        .ceil()
        .max(1.0) as usize;
    let shared = overlap_reaching(a, b, need)?;
    (shared as f64 / (a.len() + b.len() - shared) as f64 >= threshold).then_some(shared as u32)
}

/// Whether two token lists in rank order share a token. Short lists are compared token by
/// token, which needs no rank lookups (each a likely cache miss); long ones are merged in
/// rank order.
fn shares_token(a: &[u32], b: &[u32], rank: &Rank) -> bool {
    if a.len() * b.len() <= 256 {
        return a.iter().any(|t| b.contains(t));
    }
    shares_token_by_rank(a, b, rank)
}

/// [`shares_token`] by merging the two lists in rank order.
fn shares_token_by_rank(a: &[u32], b: &[u32], rank: &Rank) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match rank.of(a[i]).cmp(&rank.of(b[j])) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Containment: the smaller set's prefix meets any token of the larger, so every token is
/// indexed and each set looks up its prefix tokens, pairing with the larger sets found
/// (ties of size: with the later ones). A prefix token held by more than [`MAX_GROUP`]
/// sets brings no candidates: its sets are paired with its leaders instead (see
/// [`leader_pairs`]), and added to the limited sets.
fn containment_pairs(
    sets: &[&[u32]],
    prefixes: &Prefixes,
    threshold: f64,
) -> (Vec<Overlap>, Vec<u32>) {
    let index = Postings::new(sets);
    let mut large: Vec<u32> = (0..sets.len())
        .into_par_iter()
        .flat_map_iter(|x| {
            prefixes
                .of(x)
                .iter()
                .copied()
                .filter(|&t| index.of(t).len() > MAX_GROUP)
                .collect::<Vec<u32>>()
        })
        .collect();
    large.par_sort_unstable();
    large.dedup();
    // Only groups of near copies are starred; others are joined pair by pair.
    large.retain(|&token| {
        let members: Vec<u32> = index.of(token).iter().map(|r| r.1).collect();
        mostly_copies(&members, |x, y| containment_of(sets, x, y, threshold))
    });
    let mut found: Vec<Overlap> = large
        .par_iter()
        .flat_map_iter(|&token| {
            let members: Vec<u32> = index.of(token).iter().map(|r| r.1).collect();
            leader_pairs(&members, |x, y| containment_of(sets, x, y, threshold))
        })
        .collect();
    let limited = large
        .iter()
        .flat_map(|&token| index.of(token)[1..].iter().map(|r| r.1))
        .collect();
    found.par_extend((0..sets.len()).into_par_iter().flat_map_iter(|x| {
        let len = sets[x].len();
        let mut candidates: Vec<u32> = Vec::new();
        for &token in prefixes.of(x) {
            let holders = index.of(token);
            if large.binary_search(&token).is_ok() {
                continue;
            }
            candidates.extend(
                holders
                    .iter()
                    .map(|r| r.1)
                    .filter(|&y| (sets[y as usize].len(), y as usize) > (len, x)),
            );
        }
        candidates.sort_unstable();
        candidates.dedup();
        let need = min_overlap(len, threshold);
        candidates.into_iter().filter_map(move |y| {
            let shared = overlap_reaching(sets[x], sets[y as usize], need)?;
            Some(Overlap {
                a: x.min(y as usize) as u32,
                b: x.max(y as usize) as u32,
                shared: shared as u32,
            })
        })
    }));
    (found, limited)
}

/// The overlap of sets `x` and `y` if the containment of the smaller in the larger reaches
/// `threshold`.
fn containment_of(sets: &[&[u32]], x: u32, y: u32, threshold: f64) -> Option<u32> {
    let (a, b) = (sets[x as usize], sets[y as usize]);
    let need = min_overlap(a.len().min(b.len()), threshold);
    overlap_reaching(a, b, need).map(|shared| shared as u32)
}

/// `(token, set)` for every token of every set.
fn token_records<S: AsRef<[u32]> + Sync>(sets: &[S]) -> Vec<(u32, u32)> {
    sets.par_iter()
        .enumerate()
        .flat_map_iter(|(s, set)| set.as_ref().iter().map(move |&t| (t, s as u32)))
        .collect()
}

/// Size of the intersection of two sorted, distinct sets if it reaches `need`; stops as
/// soon as what is left cannot.
fn overlap_reaching(a: &[u32], b: &[u32], need: usize) -> Option<usize> {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if n + (a.len() - i).min(b.len() - j) < need {
            return None;
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (n >= need).then_some(n)
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
    counts: Vec<AtomicU8>,
    mask: u32,
}

impl Rank {
    /// Counts beyond this are all alike. One byte a cell keeps the sketch small enough for
    /// the lookups of every token to hit the caches more often (15% faster at 1M paragraphs
    /// than two bytes); only threads racing on one cell can take it past the cap, by one
    /// each, and should a count ever wrap, the order changes, which costs speed, never a
    /// pair: the join is exact for any order.
    const CAP: u8 = u8::MAX - 16;

    fn count(sets: &[&[u32]]) -> Rank {
        let total: usize = sets.iter().map(|s| s.len()).sum();
        let cells = rank_cells(total);
        let counts: Vec<AtomicU8> = (0..cells).map(|_| AtomicU8::new(0)).collect();
        let rank = Rank {
            counts,
            mask: (cells - 1) as u32,
        };
        sets.par_iter().for_each(|set| {
            for &t in *set {
                let cell = &rank.counts[rank.cell(t)];
                if cell.load(Ordering::Relaxed) < Self::CAP {
                    cell.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        rank
    }

    fn cell(&self, token: u32) -> usize {
        cell_of(token, self.mask)
    }

    fn of(&self, token: u32) -> u64 {
        let n = self.counts[self.cell(token)]
            .load(Ordering::Relaxed)
            .min(Self::CAP);
        (u64::from(n) << 32) | u64::from(token)
    }
}

/// Which sets hold each token: `(token, set)` records sorted, with a directory of where
/// each range of leading token bits starts, so a lookup is one or two cache misses rather
/// than a binary search's twenty.
struct Postings {
    records: Vec<(u32, u32)>,
    starts: Vec<u32>,
    shift: u32,
}

impl Postings {
    fn new(sets: &[&[u32]]) -> Postings {
        let mut records = token_records(sets);
        records.par_sort_unstable();
        let bits = records
            .len()
            .next_power_of_two()
            .trailing_zeros()
            .clamp(1, 28);
        let shift = 32 - bits;
        let mut starts = vec![0u32; (1 << bits) + 1];
        for r in &records {
            starts[(r.0 >> shift) as usize + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        Postings {
            records,
            starts,
            shift,
        }
    }

    /// The records `(token, set)` of the sets holding `token`, in set order.
    fn of(&self, token: u32) -> &[(u32, u32)] {
        let bucket = (token >> self.shift) as usize;
        let range = &self.records[self.starts[bucket] as usize..self.starts[bucket + 1] as usize];
        let start = range.partition_point(|r| r.0 < token);
        let end = start + range[start..].partition_point(|r| r.0 == token);
        &range[start..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Merging by rank finds a shared token exactly when comparing every pair does.
    #[test]
    fn shared_tokens_by_rank_as_by_pairs() {
        let mut next = crate::testing::xorshift(0x005e_ed0f_70c3);
        let sets: Vec<Vec<u32>> = (0..200)
            .map(|_| {
                let mut set: Vec<u32> = (0..next() % 40).map(|_| (next() % 300) as u32).collect();
                set.sort_unstable();
                set.dedup();
                set
            })
            .collect();
        let slices: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
        let rank = Rank::count(&slices);
        let in_rank_order = |set: &[u32]| {
            let mut list = set.to_vec();
            list.sort_by_key(|&t| rank.of(t));
            list
        };
        let mut shared = 0;
        for pair in sets.windows(2) {
            let (a, b) = (in_rank_order(&pair[0]), in_rank_order(&pair[1]));
            let expected = a.iter().any(|t| b.contains(t));
            assert_eq!(shares_token_by_rank(&a, &b, &rank), expected, "{a:?} {b:?}");
            assert_eq!(shares_token(&a, &b, &rank), expected);
            shared += usize::from(expected);
        }
        assert!(
            shared > 20 && shared < 190,
            "{shared} of 199 pairs share a token"
        );
    }

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

    /// Fewer, larger sets: at low thresholds their prefixes run to dozens of tokens, so
    /// positions deep in a prefix and the positional filter on them are exercised.
    fn large_sets() -> impl Strategy<Value = Vec<Vec<u32>>> {
        prop::collection::vec(prop::collection::btree_set(0u32..150, 40..90), 0..12)
            .prop_map(|sets| sets.into_iter().map(|s| s.into_iter().collect()).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn join_of_large_sets_equals_brute_force(sets in large_sets(), t in prop::sample::select(vec![0.2, 0.3, 0.5])) {
            let slices: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
            prop_assert_eq!(self_join(&slices, t, Measure::Jaccard).pairs, brute_force(&sets, t, Measure::Jaccard));
        }

        /// The prefix filter misses nothing and admits nothing: it equals brute force.
        #[test]
        fn join_equals_brute_force(sets in sets(), t in prop::sample::select(vec![0.3, 0.5, 0.8, 0.9, 1.0])) {
            for measure in [Measure::Jaccard, Measure::Containment] {
                let slices: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
                prop_assert_eq!(self_join(&slices, t, measure), Joined { pairs: brute_force(&sets, t, measure), limited: Vec::new() });
            }
        }
    }

    #[test]
    fn containment_finds_a_truncated_copy_that_jaccard_does_not() {
        let long: Vec<u32> = (0..20).collect();
        let part: Vec<u32> = (0..9).collect();
        let extra = vec![100, 101];
        let sets = [&long[..], &part, &extra];
        assert!(self_join(&sets, 0.8, Measure::Jaccard).pairs.is_empty());
        let found = self_join(&sets, 0.8, Measure::Containment).pairs;
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

    /// Near-identical sets, more than a group holds: one star around the first, the
    /// others listed as limited; and unrelated sets beside them are joined as before.
    #[test]
    fn a_large_cluster_is_a_star_around_its_first_set() {
        let n = MAX_GROUP as u32 + 500;
        // Sets of 0..100 with one token of their own each: every pair has Jaccard 99/101.
        let mut sets: Vec<Vec<u32>> = (0..n)
            .map(|i| (0..99).chain([1000 + i]).collect())
            .collect();
        sets.push((50_000..50_010).collect());
        sets.push((50_000..50_011).collect());
        let slices: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
        for measure in [Measure::Jaccard, Measure::Containment] {
            let joined = self_join(&slices, 0.8, measure);
            let mut star: Vec<Overlap> = (1..n)
                .map(|b| Overlap {
                    a: 0,
                    b,
                    shared: 99,
                })
                .collect();
            star.push(Overlap {
                a: n,
                b: n + 1,
                shared: 10,
            });
            assert_eq!(joined.pairs, star, "{measure:?}");
            assert_eq!(joined.limited, (1..n).collect::<Vec<u32>>());
        }
    }

    /// Only a group of mostly near copies of its first set is starred: a large group of
    /// sets that merely share a token (a corpus written from few sentences) keeps every
    /// pair (regression: on such a corpus of 1M paragraphs, 14% of the near copies went
    /// missing).
    /// What a distributed job reproduces: the rank sketch's cell of every token, and a
    /// large group's star (or none, for a group not of copies).
    #[test]
    fn the_steps_of_a_distributed_join_are_the_join_s() {
        let sets: Vec<Vec<u32>> = (0..3000u32).map(|k| (k..k + 20).collect()).collect();
        let slices: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
        let total = slices.iter().map(|s| s.len()).sum();
        let rank = Rank::count(&slices);
        for t in [0, 1, 77, 2999, u32::MAX] {
            let (cell, cells) = rank_cell(t, total);
            assert_eq!(cell, rank.cell(t));
            assert_eq!(cells, rank.counts.len());
        }
        // The sketch's shape is a contract with the job's stored ranks: known answers.
        assert_eq!(rank_cell(1, 0), (3639, 1 << 12));
        assert_eq!(rank_cell(0x1234_5678, 20_000), (5846, 1 << 13));
        assert_eq!(rank_cell(7, 40_000).1, 1 << 14);
        assert_eq!(rank_cell(u32::MAX, 1_000_000_000), (1_008_072, 1 << 22));
        let copies: Vec<&[u32]> = vec![&sets[0]; 100];
        let star = star(&copies, 0.8).unwrap();
        assert_eq!(star.len(), 99);
        assert!(star.iter().all(|o| o.a == 0 && o.shared == 20));
        assert_eq!(super::star(&slices[..100], 0.8), None);
    }

    #[test]
    fn only_groups_of_copies_are_starred() {
        let members: Vec<u32> = (0..200).collect();
        let every = |k: u32| move |_: u32, y: u32| (y % k == 0).then_some(1);
        assert!(mostly_copies(&members, every(1)));
        assert!(mostly_copies(&members, every(2)));
        assert!(!mostly_copies(&members, every(3)));
        // Only the first SAMPLE sets after the first are looked at.
        let late = |_: u32, y: u32| (y > SAMPLE as u32).then_some(1);
        assert!(!mostly_copies(&members, late));
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

    /// Filled in halves in parallel, each set's prefix is its rarest tokens in rank order,
    /// as taken one set at a time, and each stands where `starts` says.
    #[test]
    fn prefixes_filled_in_parallel_are_those_of_each_set_alone() {
        let mut next = crate::testing::xorshift(0x00f1_11ed);
        let sets: Vec<Vec<u32>> = (0..20_000)
            .map(|_| {
                let mut set: Vec<u32> = (0..next() % 30).map(|_| (next() % 5000) as u32).collect();
                set.sort_unstable();
                set.dedup();
                set
            })
            .collect();
        let slices: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
        let rank = Rank::count(&slices);
        let prefixes = Prefixes::new(&slices, &rank, 0.7);
        assert_eq!(prefixes.starts.len(), sets.len() + 1);
        for (s, set) in sets.iter().enumerate() {
            let mut by_rank = set.clone();
            by_rank.sort_by_key(|&t| rank.of(t));
            by_rank.truncate(prefix_len(set.len(), 0.7));
            assert_eq!(prefixes.of(s), by_rank.as_slice(), "set {s}");
        }
    }

    #[test]
    fn identical_sets_are_a_pair_of_jaccard_1() {
        let a: Vec<u32> = (0..10).collect();
        let sets = [&a[..], &a[..], &[100, 101, 102][..]];
        let pair = Overlap {
            a: 0,
            b: 1,
            shared: 10,
        };
        assert_eq!(self_join(&sets, 0.8, Measure::Jaccard).pairs, [pair]);
    }

    #[test]
    fn a_set_inside_one_of_twice_its_size_reaches_a_threshold_of_a_half() {
        // Jaccard exactly 0.5: sizes 10 and 5, the smaller inside the larger.
        let large: Vec<u32> = (0..10).collect();
        let small: Vec<u32> = (0..5).collect();
        let sets = [&large[..], &small[..]];
        let pair = Overlap {
            a: 0,
            b: 1,
            shared: 5,
        };
        assert_eq!(self_join(&sets, 0.5, Measure::Jaccard).pairs, [pair]);
    }

    /// `MAX_GROUP` sets of 0..9 with one token of their own each (Jaccard 9/11 and
    /// containment 9/10 for every pair) are joined pair by pair under `measure`, not
    /// starred.
    fn assert_max_group_joined_pair_by_pair(measure: Measure) {
        let n = MAX_GROUP as u32;
        let sets: Vec<Vec<u32>> = (0..n).map(|i| (0..9).chain([1000 + i]).collect()).collect();
        let slices: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
        let joined = self_join(&slices, 0.8, measure);
        assert!(joined.limited.is_empty());
        assert_eq!(joined.pairs.len(), (n * (n - 1) / 2) as usize);
    }

    #[test]
    fn a_group_of_exactly_max_group_near_copies_is_joined_pair_by_pair() {
        assert_max_group_joined_pair_by_pair(Measure::Jaccard);
    }

    #[test]
    fn a_group_of_exactly_max_group_near_copies_is_joined_pair_by_pair_under_containment() {
        assert_max_group_joined_pair_by_pair(Measure::Containment);
    }

    /// The verification of the stars of large groups: a pair at the threshold is kept,
    /// whichever set is longer, and one just under it is not.
    #[test]
    fn jaccard_of_keeps_pairs_at_the_threshold_and_not_under_it() {
        let sets: Vec<Vec<u32>> = vec![
            (0..5).collect(),
            (0..10).collect(),
            (0..4).collect(),
            (0..9).chain([100]).collect(),
            (1..11).collect(),
        ];
        let slices: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
        // Inside a set of twice its size: 0.5.
        assert_eq!(jaccard_of(&slices, 0, 1, 0.5), Some(5));
        assert_eq!(jaccard_of(&slices, 1, 0, 0.5), Some(5));
        assert_eq!(jaccard_of(&slices, 0, 1, 0.51), None);
        // 4 of 10: 0.4.
        assert_eq!(jaccard_of(&slices, 2, 1, 0.4), Some(4));
        assert_eq!(jaccard_of(&slices, 1, 2, 0.4), Some(4));
        assert_eq!(jaccard_of(&slices, 2, 1, 0.41), None);
        // Sizes equal, 9 shared of 11: 9/11.
        assert_eq!(jaccard_of(&slices, 3, 1, 9.0 / 11.0), Some(9));
        assert_eq!(jaccard_of(&slices, 1, 3, 9.0 / 11.0), Some(9));
        assert_eq!(jaccard_of(&slices, 3, 1, 0.82), None);
        // 8 shared of 12: 2/3.
        assert_eq!(jaccard_of(&slices, 3, 4, 2.0 / 3.0), Some(8));
        assert_eq!(jaccard_of(&slices, 3, 4, 0.67), None);
        assert_eq!(jaccard_of(&slices, 1, 1, 1.0), Some(10));
    }

    #[test]
    fn mostly_copies_samples_the_64_sets_after_the_first() {
        let members: Vec<u32> = (0..200).collect();
        let from = |k: u32| move |_: u32, y: u32| (y >= k).then_some(1);
        // Sets 33 to 64: half of the sample.
        assert!(mostly_copies(&members, from(33)));
        assert!(!mostly_copies(&members, from(34)));
    }

    #[test]
    fn a_large_group_has_at_most_16_leaders() {
        // Sets 0 to 16 match nothing, so each would lead; set 100 + k matches set k.
        let members: Vec<u32> = (0..17).chain([115, 116]).collect();
        let pairs = leader_pairs(&members, |x, y| (y == x + 100).then_some(1));
        // 16 leads no more: set 116 has no leader to match.
        assert_eq!(
            pairs,
            [Overlap {
                a: 15,
                b: 115,
                shared: 1
            }]
        );
    }
}
