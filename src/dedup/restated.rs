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

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rayon::prelude::*;

use super::print::{is_number, Term};
use super::recap;
use super::{Evidence, Kind, Pair, ParaRef, Paragraphs};
use crate::text::slots;

/// Default threshold: the strongest pair of a restated passage must reach it.
pub const DEFAULT_THRESHOLD: f64 = 0.35;

/// A paragraph needs this many distinct content terms to be compared at all; shorter
/// ones are handled as exact or near copies only.
pub const MIN_TERMS: usize = 6;
/// Two paragraphs must share this many content terms to be linked.
pub const MIN_SHARED: usize = 3;
/// Paragraphs further apart than this are not compared (bounds the cost on huge pages).
pub const MAX_DISTANCE: usize = 2000;
/// Up to this many eligible paragraphs in an article, every pair (within
/// [`MAX_DISTANCE`]) is scored. Above it, only pairs that share a term rare in the article
/// are (see `candidates`): a page of 100,000 paragraphs then takes seconds, not hours.
pub const ALL_PAIRS_LIMIT: usize = 3000;
/// In candidate generation, a term in more than this many paragraphs of the article is
/// too common to propose pairs (it still counts in their scores).
const RARE_TERM_MAX_PARAGRAPHS: usize = 64;
/// Rounds of the search (see [`find`]): the synthetic 100k and 1M corpora of the benchmark
/// take two (the second finds nothing), the indonews scrape five.
const MAX_ROUNDS: usize = 8;

/// The rule, for a threshold `t` (all scores are weighted Jaccard in [0, 1]):
/// pairs scoring at least `t / 3` are linked into passages when they lie on neighbouring
/// cells of the pair matrix (the next paragraph on both sides, or one skipped on one side,
/// or the same paragraph again); a passage of two or more later paragraphs, wholly after
/// the paragraphs it restates, is restated when its best pair reaches `t`, a second pair
/// reaches `0.85 t`, and its pairs average `0.7 t`. A pair on its own must reach `t + 0.25`.
/// A block (see [`PairScores::block`]) needs mutual best pairs of `0.6 t`, and then each
/// of its paragraphs only `t / 3` (the link).
struct Rule {
    link: f64,
    anchor: f64,
    second: f64,
    mean: f64,
    single: f64,
    block: f64,
}

impl Rule {
    fn new(t: f64) -> Rule {
        Rule {
            link: t / 3.0,
            anchor: t,
            second: 0.85 * t,
            mean: 0.7 * t,
            single: (t + 0.25).min(1.0),
            block: 0.6 * t,
        }
    }
}

/// A paragraph is a row of a list when a neighbour scores at least this share of its
/// pair with a paragraph elsewhere (see [`PairScores::template_rows`]).
const ROW_SHARE: f64 = 0.5;

/// A paragraph is an excerpt of an earlier one when at least this share of its term
/// weight is in that one paragraph (see [`PairScores::excerpts`]).
pub const EXCERPT: f64 = 0.9;
/// ...unless a neighbour scores at least this with it: parallel rows of one template
/// (fixtures naming the same teams) each repeat the paragraph that introduces them.
const EXCERPT_ROW: f64 = 0.5;

/// A restated paragraph's other earlier matches are listed (`--all-pairs`) when they score
/// at least this share of the threshold (see [`PairScores::other_sources`]).
const OTHER_SOURCE_SHARE: f64 = 0.5;

/// Steps between neighbouring cells `(earlier, later)` of one passage.
const STEPS: [(usize, usize); 5] = [(1, 1), (0, 1), (1, 0), (1, 2), (2, 1)];

/// A page whose later part restates its earlier part as a whole (see
/// [`PairScores::block`]) has at least this many mutual best pairs across the split...
const BLOCK_MIN_PAIRS: usize = 3;
/// ...pairing at least this share of the later part's prose paragraphs.
const BLOCK_SHARE: f64 = 0.6;
/// Pages with more strong pairs than this are lists or copies, not two write-ups: the
/// block search (quadratic in them) is skipped.
const BLOCK_MAX_PAIRS: usize = 2000;

/// Restated pairs inside each document, among the paragraphs still `present` (not
/// dropped by another stage; titles are present but never restated); and the documents
/// whose pairs came from candidate generation (too many paragraphs for all pairs).
///
/// Term weights depend on what else the article and the corpus hold, so dropping the
/// restatements can lift another pair over the threshold. The search is therefore
/// repeated without what it dropped until it drops nothing more: cleaning the cleaned
/// corpus again then finds nothing (the last round saw exactly that corpus). A later round
/// scores again only the documents that lost paragraphs and those whose scores may have
/// moved as far as their closest call to a threshold; any other comes out the same.
pub fn find(
    paragraphs: &Paragraphs,
    present: &[bool],
    said: &[bool],
    threshold: f64,
) -> (Vec<Pair>, Vec<u32>) {
    let mut present = present.to_vec();
    let n_docs = paragraphs.doc_count();
    let candidate_docs: Vec<u32> = (0..n_docs)
        .filter(|&doc| is_limited(paragraphs, &present, doc))
        .map(|doc| doc as u32)
        .collect();
    let mut all = Vec::new();
    let mut docs: Vec<usize> = (0..n_docs).collect();
    let mut doc_freq = document_frequencies(paragraphs, &present, n_docs);
    // Per document: how close the closest call of its last scoring was, and how far its
    // scores can have moved since.
    let mut slack: Vec<Slack> = vec![Slack::default(); n_docs];
    for _round in 0..MAX_ROUNDS {
        let scored: Vec<(usize, Vec<Pair>, Slack)> = docs
            .par_iter()
            .map(|&doc| {
                let (pairs, slack) = score_document(
                    paragraphs, doc, &present, said, &doc_freq, n_docs, threshold,
                );
                (doc, pairs, slack)
            })
            .collect();
        let mut found = Vec::new();
        for (doc, pairs, doc_slack) in scored {
            found.extend(pairs);
            slack[doc] = doc_slack;
        }
        if found.is_empty() {
            break;
        }
        let mut changed_docs: Vec<usize> = found.iter().map(|p| p.later.doc as usize).collect();
        changed_docs.sort_unstable();
        changed_docs.dedup();
        let terms_of_changed = |present: &[bool]| -> Vec<Vec<Term>> {
            changed_docs
                .par_iter()
                .map(|&doc| doc_terms(paragraphs, present, doc))
                .collect()
        };
        let before = terms_of_changed(&present);
        for pair in &found {
            present[paragraphs.global(pair.later)] = false;
        }
        all.extend(found);
        // Only the documents that lost paragraphs can lose terms: each term one of them no
        // longer has occurs in one document fewer.
        let after = terms_of_changed(&present);
        let growth = lose_terms(&mut doc_freq, &before, &after, n_docs);
        // Most terms did not grow: a bit per low 16 bits of a term rules them out
        // before any lookup.
        let mut maybe_grown = vec![0u64; 1 << 10];
        for &t in growth.keys() {
            maybe_grown[(t as usize & 0xffff) >> 6] |= 1 << (t & 63);
        }
        let may_have_grown =
            |t: &&Term| maybe_grown[(**t as usize & 0xffff) >> 6] >> (**t & 63) & 1 == 1;
        slack = slack
            .into_par_iter()
            .enumerate()
            .map(|(doc, s)| {
                // Each term as often as it occurs: more than its share, never less.
                let grown: f64 = paragraphs
                    .of_doc(doc)
                    .filter(|&g| present[g])
                    .flat_map(|g| paragraphs.terms(g))
                    .filter(may_have_grown)
                    .filter_map(|t| growth.get(t))
                    .sum();
                s.grown(grown)
            })
            .collect();
        docs = (0..n_docs)
            .filter(|&doc| changed_docs.binary_search(&doc).is_ok() || !slack[doc].holds())
            .collect();
    }
    (all, candidate_docs)
}

/// In how many documents each term occurs, and the corpus part of its weight (see
/// [`corpus_weight`]), computed once rather than in every article that has the term.
pub type DocFreq = HashMap<Term, (u32, f64)>;

/// The [`DocFreq`] of terms found in `counts` documents each, of `n_docs`.
pub fn doc_freq_of(counts: impl IntoIterator<Item = (Term, u32)>, n_docs: usize) -> DocFreq {
    counts
        .into_iter()
        .map(|(t, n)| (t, (n, corpus_weight(n, n_docs))))
        .collect()
}

/// Whether paragraph `g` may restate another or be restated: present, not a title, not
/// an item of a list (items of a list are parallel rows, never restatements of each
/// other; they still count among what a recap may restate).
/// Whether document `doc` has more than [`ALL_PAIRS_LIMIT`] paragraphs the search looks
/// at among the `present` ones: its pairs are then scored only among paragraphs sharing a
/// term rare in it.
pub(crate) fn is_limited(paragraphs: &Paragraphs, present: &[bool], doc: usize) -> bool {
    (paragraphs.of_doc(doc))
        .filter(|&g| eligible(paragraphs, present, g))
        .count()
        > ALL_PAIRS_LIMIT
}

fn eligible(paragraphs: &Paragraphs, present: &[bool], g: usize) -> bool {
    present[g] && !paragraphs.is_title(g) && !paragraphs.print(g).is_list_item
}

/// One round of the search (see [`find`]) on document `doc` alone, as a distributed job
/// runs it too: the restated pairs and recaps among its `present` paragraphs (a recap may
/// restate the `said` ones too), with the document frequencies `doc_freq` of the
/// `present` paragraphs of the corpus's `n_docs` documents; and how its closest call
/// stands (see [`Slack`]).
pub(crate) fn score_document(
    paragraphs: &Paragraphs,
    doc: usize,
    present: &[bool],
    said: &[bool],
    doc_freq: &DocFreq,
    n_docs: usize,
    threshold: f64,
) -> (Vec<Pair>, Slack) {
    let members: Vec<usize> = paragraphs
        .of_doc(doc)
        .filter(|&g| eligible(paragraphs, present, g))
        .collect();
    let sets: Vec<&[Term]> = members.iter().map(|&g| paragraphs.terms(g)).collect();
    let mut scores = PairScores::new(&sets, doc_freq, n_docs);
    scores.prose = members.iter().map(|&g| paragraphs.is_prose(g)).collect();
    scores.slots = members
        .iter()
        .map(|&g| paragraphs.slots(g).into())
        .collect();
    let (restated, margin) = scores.restated_with_margin(threshold);
    let pair = |earlier: usize, later: usize, score: f64, evidence: Evidence| Pair {
        earlier: paragraphs.at(earlier),
        later: paragraphs.at(later),
        kind: Kind::Restated,
        score,
        evidence,
    };
    let mut pairs: Vec<Pair> = restated
        .into_iter()
        .map(|(i, j, score, evidence)| pair(members[i], members[j], score, evidence))
        .collect();
    // A recap: the title counts among what it may restate, and so do the
    // paragraphs dropped as copies or repeats (the article said them too).
    let sources: Vec<usize> = paragraphs
        .of_doc(doc)
        .filter(|&g| present[g] || said[g])
        .collect();
    let source_sets: Vec<&[Term]> = sources.iter().map(|&g| paragraphs.terms(g)).collect();
    let candidate: Vec<bool> = sources
        .iter()
        .map(|&g| {
            let print = paragraphs.print(g);
            !print.is_title && print.is_prose && !print.opens_quote && !print.is_list_item
        })
        .collect();
    let dropped: Vec<bool> = sources.iter().map(|&g| !present[g]).collect();
    let recaps = recap::find_among(&source_sets, &candidate, &dropped, |t| {
        doc_freq
            .get(&t)
            .map_or_else(|| corpus_weight(1, n_docs), |e| e.1)
    });
    // A paragraph that restates one found by the pairs is theirs: the recap
    // names the article, a pair the paragraph said again.
    let paired: Vec<ParaRef> = if recaps.found.is_empty() {
        Vec::new()
    } else {
        pairs.iter().map(|p| p.later).collect()
    };
    pairs.extend(
        recaps
            .found
            .iter()
            .filter(|&&(j, _, _)| !paired.contains(&paragraphs.at(sources[j])))
            .map(|&(j, i, cov)| pair(sources[i], sources[j], cov, Evidence::Recap)),
    );
    let slack = Slack {
        margin: margin.min(recaps.margin),
        shift_per_growth: scores.score_shift(1.0).max(1.0 / recaps.min_mass),
        growth: 0.0,
    };
    (pairs, slack)
}

/// How a document's last scoring stands as corpus weights grow in later rounds.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Slack {
    /// The least distance of a score from a threshold it was compared with.
    margin: f64,
    /// How far a score can move per unit of corpus weight growth.
    shift_per_growth: f64,
    /// Corpus weight growth of the document's terms since it was scored.
    growth: f64,
}

impl Slack {
    fn grown(self, growth: f64) -> Slack {
        Slack {
            growth: self.growth + growth,
            ..self
        }
    }

    /// Whether every decision of the last scoring still stands: no score can have moved
    /// to a threshold (with room for rounding).
    fn holds(&self) -> bool {
        self.growth == 0.0 || self.shift_per_growth * self.growth + 1e-9 < self.margin
    }
}

/// The [`DocFreq`] of the `present` paragraphs.
fn document_frequencies(paragraphs: &Paragraphs, present: &[bool], n_docs: usize) -> DocFreq {
    let counts = (0..paragraphs.doc_count())
        .into_par_iter()
        .fold(HashMap::default, |mut df: HashMap<Term, u32>, doc| {
            for t in doc_terms(paragraphs, present, doc) {
                *df.entry(t).or_default() += 1;
            }
            df
        })
        .reduce(HashMap::default, |mut a, b| {
            for (t, n) in b {
                *a.entry(t).or_default() += n;
            }
            a
        });
    doc_freq_of(counts, n_docs)
}

/// Lowers the document frequencies of the terms that documents lost (their distinct terms
/// `before` and `after` losing paragraphs) and updates their weights, as counting the
/// corpus again would; returns how much each weight grew.
fn lose_terms(
    doc_freq: &mut DocFreq,
    before: &[Vec<Term>],
    after: &[Vec<Term>],
    n_docs: usize,
) -> HashMap<Term, f64> {
    let mut lost: Vec<Term> = before
        .iter()
        .zip(after)
        .flat_map(|(before, after)| {
            before
                .iter()
                .filter(|t| after.binary_search(t).is_err())
                .copied()
        })
        .collect();
    lost.sort_unstable();
    let mut growth = HashMap::default();
    for run in lost.chunk_by(|a, b| a == b) {
        let Some(entry) = doc_freq.get_mut(&run[0]) else {
            continue;
        };
        let old = entry.1;
        entry.0 = entry.0.saturating_sub(run.len() as u32);
        if entry.0 == 0 {
            doc_freq.remove(&run[0]);
            continue;
        }
        entry.1 = corpus_weight(entry.0, n_docs);
        if entry.1 != old {
            growth.insert(run[0], (entry.1 - old).abs());
        }
    }
    growth
}

/// The distinct terms of the `present` paragraphs of document `doc`, sorted.
fn doc_terms(paragraphs: &Paragraphs, present: &[bool], doc: usize) -> Vec<Term> {
    let mut terms: Vec<Term> = paragraphs
        .of_doc(doc)
        .filter(|&g| present[g])
        .flat_map(|g| paragraphs.terms(g).iter().copied())
        .collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// How rare a term found in `df` of the corpus's `n_docs` documents is.
fn corpus_weight(df: u32, n_docs: usize) -> f64 {
    1.0 + ((n_docs as f64 + 1.0) / f64::from(df)).ln()
}

/// Weighted overlap of the pairs of paragraphs of one article that could be linked
/// (both have [`MIN_TERMS`] terms and they share [`MIN_SHARED`]): a sparse matrix, so a
/// huge article does not need `n²` cells.
pub struct PairScores {
    n: usize,
    /// The smallest weight mass of a paragraph with [`MIN_TERMS`] terms (the union of any
    /// scored pair weighs at least this much); infinite when there is none.
    min_mass: f64,
    /// `(i, j, score, shared terms)` for `i < j`, sorted by `(i, j)`; the score is the
    /// weighted Jaccard.
    cells: Vec<(u32, u32, f64, u32)>,
    /// The weight of each paragraph's terms.
    mass: Vec<f64>,
    /// The numbers of each paragraph: its terms with a digit, sorted.
    numbers: Vec<Vec<Term>>,
    /// Whether each paragraph ends as prose does (all do unless set): a row of a list or
    /// table, a heading or a label is restated only inside a passage of mostly prose.
    pub prose: Vec<bool>,
    /// Whether each paragraph has [`MIN_TERMS`] terms (is compared at all).
    big: Vec<bool>,
    /// The number slots of each paragraph (see [`crate::text::slots`]), when known (none
    /// unless set): a passage keeps no pair that puts another number in one slot.
    pub slots: Vec<Box<[u64]>>,
}

impl PairScores {
    /// Scores the pairs of the term sets of one article's paragraphs: all of them (within
    /// [`MAX_DISTANCE`]) up to [`ALL_PAIRS_LIMIT`] paragraphs, candidates above.
    pub fn new(
        sets: &[&[Term]],
        doc_freq: &HashMap<Term, (u32, f64)>,
        n_docs: usize,
    ) -> PairScores {
        let n = sets.len();
        // The article part of a term's weight depends only on how many of the `n`
        // paragraphs have it: one logarithm per count, not per term.
        let in_doc: Vec<f64> = (0..=n)
            .map(|count| (1.0 + n as f64 / count as f64).ln())
            .collect();
        // Each distinct term of the article once: its paragraph count and its weight.
        let mut all: Vec<Term> = sets.iter().flat_map(|s| s.iter().copied()).collect();
        all.sort_unstable();
        let mut local_df: HashMap<Term, u32> = HashMap::default();
        let mut weights: Vec<(Term, f64)> = Vec::new();
        for run in all.chunk_by(|a, b| a == b) {
            let (t, count) = (run[0], run.len());
            let in_corpus = doc_freq
                .get(&t)
                .map_or_else(|| corpus_weight(1, n_docs), |e| e.1);
            weights.push((t, in_doc[count] * in_corpus));
            if n > ALL_PAIRS_LIMIT {
                local_df.insert(t, count as u32);
            }
        }
        // Terms by their index in the article's sorted vocabulary: small numbers, in the
        // same order, so sums over shared terms add up exactly as over the terms.
        let ids: Vec<Vec<u32>> = sets
            .iter()
            .map(|s| {
                s.iter()
                    .map(|&t| weights.partition_point(|w| w.0 < t) as u32)
                    .collect()
            })
            .collect();
        let weights: Vec<f64> = weights.into_iter().map(|w| w.1).collect();
        let mass: Vec<f64> = ids
            .iter()
            .map(|s| s.iter().map(|&k| weights[k as usize]).sum())
            .collect();
        let shared = SharedTerms::new(&ids, weights.len());
        let big = |i: usize| sets[i].len() >= MIN_TERMS;
        let numbers: Vec<Vec<Term>> = sets
            .iter()
            .map(|s| s.iter().copied().filter(|&t| is_number(t)).collect())
            .collect();
        let mut cells = Vec::new();
        let mut score_pair = |i: usize, j: usize| {
            let (common, shared) = shared.weight(i, j, &weights);
            if shared >= MIN_SHARED {
                let union = mass[i] + mass[j] - common;
                let score = if union > 0.0 { common / union } else { 0.0 };
                cells.push((i as u32, j as u32, score, shared as u32));
            }
        };
        if n <= ALL_PAIRS_LIMIT {
            for i in (0..n).filter(|&i| big(i)) {
                for j in (i + 1..n.min(i + MAX_DISTANCE + 1)).filter(|&j| big(j)) {
                    score_pair(i, j);
                }
            }
        } else {
            for (i, j) in candidates(sets, &local_df) {
                if big(i) && big(j) {
                    score_pair(i, j);
                }
            }
        }
        let min_mass = (0..n)
            .filter(|&i| big(i))
            .map(|i| mass[i])
            .fold(f64::INFINITY, f64::min);
        PairScores {
            n,
            min_mass,
            cells,
            mass,
            numbers,
            prose: vec![true; n],
            big: (0..n).map(big).collect(),
            slots: Vec::new(),
        }
    }

    /// The stored cell of pair `i < j`, if it could link.
    fn cell(&self, i: usize, j: usize) -> Option<&(u32, u32, f64, u32)> {
        let key = (i as u32, j as u32);
        self.cells
            .binary_search_by(|c| (c.0, c.1).cmp(&key))
            .ok()
            .map(|k| &self.cells[k])
    }

    /// Weighted Jaccard of paragraphs `i < j` (0 for a pair that shares fewer than
    /// [`MIN_SHARED`] terms or has a paragraph of fewer than [`MIN_TERMS`]).
    pub fn score(&self, i: usize, j: usize) -> f64 {
        self.cell(i, j).map_or(0.0, |c| c.2)
    }

    /// Whether pair `i < j` is strong enough to be part of a passage.
    fn links(&self, i: usize, j: usize, rule: &Rule) -> bool {
        i < j && self.cell(i, j).is_some_and(|c| c.2 >= rule.link)
    }

    /// Pairs `(earlier, later, score)` found restated at threshold `t`, one per later
    /// paragraph (its best match in the passage), ordered by later paragraph.
    pub fn restated(&self, t: f64) -> Vec<(usize, usize, f64)> {
        self.restated_with_margin(t)
            .0
            .into_iter()
            .map(|(i, j, s, _)| (i, j, s))
            .collect()
    }

    /// [`PairScores::restated`], and how close the closest call was: the least distance of
    /// any pair score, or passage mean, from a threshold of the rule it meets. Scores that
    /// all move by less than this decide the same.
    fn restated_with_margin(&self, t: f64) -> (Vec<(usize, usize, f64, Evidence)>, f64) {
        let rule = Rule::new(t);
        let mut margin = self
            .cells
            .iter()
            .flat_map(|c| {
                [rule.link, rule.anchor, rule.second, rule.single, rule.block]
                    .map(|x| (c.2 - x).abs())
            })
            .fold(f64::INFINITY, f64::min);
        let n = self.n;
        let mut seen: HashSet<(usize, usize)> = HashSet::default();
        let mut out = Vec::new();
        // Cells in row-major order, as the dense matrix was walked.
        for &(i, j, _, _) in &self.cells {
            let (i, j) = (i as usize, j as usize);
            if seen.contains(&(i, j)) || !self.links(i, j, &rule) {
                continue;
            }
            // Collect the passage: every linked cell reachable through neighbouring steps.
            seen.insert((i, j));
            let mut passage = vec![(i, j)];
            let mut next = 0;
            while next < passage.len() {
                let (i, j) = passage[next];
                next += 1;
                for (di, dj) in STEPS {
                    for (a, b) in [(i + di, j + dj), (i.wrapping_sub(di), j.wrapping_sub(dj))] {
                        if a < n && b < n && !seen.contains(&(a, b)) && self.links(a, b, &rule) {
                            seen.insert((a, b));
                            passage.push((a, b));
                        }
                    }
                }
            }
            // Rows of a list or table lined up against the rows of another (two days of
            // a schedule) are not a restated passage.
            passage.retain(|&(i, j)| !self.template_rows(i, j, &mut margin));
            // Nor is a pair that puts another number in the same words ("selama 11 tahun"
            // and "selama 14 tahun": a verdict and the demand before it).
            passage.retain(|&(i, j)| !self.other_number_in_a_slot(i, j));
            if passage.is_empty() {
                continue;
            }
            let (restated, mean) = self.judge(&passage, &rule);
            out.extend(restated);
            margin = margin.min((mean - rule.mean).abs());
        }
        let mut later: Vec<usize> = out.iter().map(|p| p.1).collect();
        later.sort_unstable();
        out.extend(
            self.block(&rule, &mut margin)
                .into_iter()
                .filter(|p| later.binary_search(&p.1).is_err()),
        );
        let mut later: Vec<usize> = out.iter().map(|p| p.1).collect();
        later.sort_unstable();
        out.extend(
            self.excerpts(&mut margin)
                .into_iter()
                .filter(|p| later.binary_search(&p.1).is_err()),
        );
        let also = self.other_sources(&out, t);
        out.extend(also);
        out.sort_by_key(|&(i, j, _, _)| (j, i));
        (out, margin)
    }

    /// For each later paragraph of `found`, its other earlier matches scoring at least
    /// [`OTHER_SOURCE_SHARE`] of the threshold `t` and stating no different facts (not
    /// themselves restating something): one paragraph of a second write-up often restates
    /// two of the first. Listed beside its best match, with the same evidence; only those
    /// that lose to the best one (a lower score, or a tie and later), so what decides the
    /// paragraph stays the same.
    fn other_sources(
        &self,
        found: &[(usize, usize, f64, Evidence)],
        t: f64,
    ) -> Vec<(usize, usize, f64, Evidence)> {
        // Per later paragraph: the match that decides it (the highest score, the earliest
        // on a tie), by later paragraph.
        let mut deciding: Vec<(usize, usize, f64, Evidence)> = Vec::new();
        for &(i, j, score, evidence) in found {
            match deciding.iter_mut().find(|d| d.1 == j) {
                Some(d) if score > d.2 || (score == d.2 && i < d.0) => *d = (i, j, score, evidence),
                Some(_) => {}
                None => deciding.push((i, j, score, evidence)),
            }
        }
        deciding.sort_unstable_by_key(|d| d.1);
        let restates = |i: usize| deciding.binary_search_by_key(&i, |d| d.1).is_ok();
        let mut also = Vec::new();
        // One pass over the cells: few paragraphs are found, a long page has many cells.
        for &(i, j, score, _) in &self.cells {
            let (i, j) = (i as usize, j as usize);
            let Ok(at) = deciding.binary_search_by_key(&j, |d| d.1) else {
                continue;
            };
            let (best, _, best_score, evidence) = deciding[at];
            let loses = score < best_score || (score == best_score && i > best);
            if loses
                && score >= OTHER_SOURCE_SHARE * t
                && !found.iter().any(|p| p.0 == i && p.1 == j)
                && !restates(i)
                && !different_facts(&self.numbers[i], &self.numbers[j])
            {
                also.push((i, j, score, evidence));
            }
        }
        also
    }

    /// Block evidence: the later part of a page restating its earlier part as a whole,
    /// in any order, as a second write-up of the same event stitched after the first
    /// does. Paraphrase from another writer shares few words, so no pair is strong and
    /// facts come in another order (no passage); what marks it is that the two parts
    /// pair off. The page splits where the most later paragraphs are the mutual best
    /// match of an earlier one (each the other's best across the split, scoring at least
    /// `0.6 t`); it is a block when at least [`BLOCK_MIN_PAIRS`] such pairs make at least
    /// [`BLOCK_SHARE`] of the prose paragraphs after the split. Then every prose paragraph
    /// from the first paired one on whose best match before the split reaches the link
    /// `t / 3` is restated.
    /// Pairs count only between paragraphs that state no different facts (see
    /// [`different_facts`]) and end in prose; one article's own paragraphs share its
    /// topic but seldom pair off like this (one page in 3,698 of the indonews scrape).
    /// Lowers `margin` to the closest call: a score near a threshold, or two scores of one
    /// paragraph near each other (which one is best could change).
    fn block(&self, rule: &Rule, margin: &mut f64) -> Vec<(usize, usize, f64, Evidence)> {
        let usable: Vec<(usize, usize, f64)> = self
            .cells
            .iter()
            .map(|c| (c.0 as usize, c.1 as usize, c.2))
            .filter(|&(i, j, s)| {
                s >= rule.link
                    && self.prose[j]
                    && !different_facts(&self.numbers[i], &self.numbers[j])
            })
            .collect();
        let strong: Vec<(usize, usize, f64)> = usable
            .iter()
            .copied()
            .filter(|c| c.2 >= rule.block)
            .collect();
        let mut with_strong: Vec<usize> = strong.iter().map(|c| c.1).collect();
        with_strong.sort_unstable();
        with_strong.dedup();
        if with_strong.len() < BLOCK_MIN_PAIRS || strong.len() > BLOCK_MAX_PAIRS {
            return Vec::new();
        }
        // Which paragraph is best may change when two of its scores are close.
        for by_later in [true, false] {
            let mut scores: Vec<(usize, f64)> = usable
                .iter()
                .map(|&(i, j, s)| (if by_later { j } else { i }, s))
                .collect();
            scores.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            for w in scores.windows(2).filter(|w| w[0].0 == w[1].0) {
                *margin = margin.min((w[1].1 - w[0].1) / 2.0);
            }
        }
        // Best of `cells` by score, the earliest paragraph on a tie.
        let better = |a: &(usize, usize, f64), b: &(usize, usize, f64)| {
            a.2 > b.2 || (a.2 == b.2 && (a.0, a.1) < (b.0, b.1))
        };
        let best_by = |cells: &[(usize, usize, f64)], key: fn(&(usize, usize, f64)) -> usize| {
            let mut best: HashMap<usize, (usize, usize, f64)> = HashMap::default();
            for c in cells {
                match best.get(&key(c)) {
                    Some(b) if !better(c, b) => {}
                    _ => {
                        best.insert(key(c), *c);
                    }
                }
            }
            best
        };
        // The later paragraphs of the mutual best pairs across a split `s` (earlier
        // paragraphs `< s`).
        let mutual = |s: usize| -> Vec<usize> {
            let across: Vec<(usize, usize, f64)> = strong
                .iter()
                .copied()
                .filter(|c| c.0 < s && s <= c.1)
                .collect();
            let of_later = best_by(&across, |c| c.1);
            let of_earlier = best_by(&across, |c| c.0);
            of_later
                .values()
                .filter(|c| of_earlier.get(&c.0).is_some_and(|e| e.1 == c.1))
                .map(|c| c.1)
                .collect()
        };
        // The mutual pairs change only where a split passes a paragraph of a strong pair:
        // the first split of each stretch stands for it.
        let mut splits: Vec<usize> = strong.iter().flat_map(|c| [c.0 + 1, c.1 + 1]).collect();
        splits.sort_unstable();
        splits.dedup();
        let Some((paired, split)) = splits
            .into_iter()
            .map(|s| (mutual(s), s))
            .max_by(|a, b| a.0.len().cmp(&b.0.len()).then(b.1.cmp(&a.1)))
        else {
            return Vec::new();
        };
        let prose_after = (split..self.n)
            .filter(|&j| self.prose[j] && self.big[j])
            .count();
        if paired.len() < BLOCK_MIN_PAIRS
            || (paired.len() as f64) < BLOCK_SHARE * prose_after as f64
        {
            return Vec::new();
        }
        // The block opens at its first paired paragraph: what comes between the split and
        // it is the end of the earlier part.
        let opens = paired.iter().copied().min().unwrap_or(split);
        let across: Vec<(usize, usize, f64)> = usable
            .into_iter()
            .filter(|c| c.0 < split && opens <= c.1)
            .collect();
        let mut restated: Vec<(usize, usize, f64, Evidence)> = best_by(&across, |c| c.1)
            .into_values()
            .map(|(i, j, s)| (i, j, s, Evidence::Block))
            .collect();
        restated.sort_by_key(|&(i, j, _, _)| (j, i));
        restated
    }

    /// Paragraphs taken from one earlier paragraph: prose whose terms are nearly all
    /// ([`EXCERPT`] of its weight) in it, with no number it lacks, as a sentence of it
    /// shortened or respaced (an extractive summary appended to the page, a lead sentence
    /// said again). Its Jaccard with the longer paragraph is low, so no pair rule finds
    /// it; a paragraph of the article brings a word of its own, and a word found in only
    /// one paragraph weighs most. Rows of a template are not excerpts: a neighbour
    /// scoring [`EXCERPT_ROW`] with it. Each points at its best source, the earliest on a
    /// tie, scored by the share. Lowers `margin` to the closest call (a share moves no
    /// more than a score does).
    fn excerpts(&self, margin: &mut f64) -> Vec<(usize, usize, f64, Evidence)> {
        let mut best: Vec<Option<(usize, f64)>> = vec![None; self.n];
        for &(i, j, score, _) in &self.cells {
            let (i, j) = (i as usize, j as usize);
            if !self.prose[j]
                || self.numbers[j]
                    .iter()
                    .any(|t| self.numbers[i].binary_search(t).is_err())
            {
                continue;
            }
            // The shared weight, from the Jaccard and the two masses (rounding can take
            // the share of a paragraph wholly in the other a hair past 1).
            let common = score * (self.mass[i] + self.mass[j]) / (1.0 + score);
            let share = (common / self.mass[j]).min(1.0);
            *margin = margin.min((share - EXCERPT).abs());
            if share >= EXCERPT && best[j].is_none_or(|b| share > b.1) {
                best[j] = Some((i, share));
            }
        }
        let mut out = Vec::new();
        for (j, found) in best.into_iter().enumerate() {
            let Some((i, share)) = found else { continue };
            let row = [j.wrapping_sub(1), j + 1]
                .into_iter()
                .filter(|&m| m < self.n && m != i)
                .map(|m| self.score(j.min(m), j.max(m)))
                .inspect(|&s| *margin = margin.min((s - EXCERPT_ROW).abs()))
                .any(|s| s >= EXCERPT_ROW);
            if !row {
                out.push((i, j, share, Evidence::Excerpt));
            }
        }
        out
    }

    /// Whether paragraphs `i` and `j` put different numbers after one word (see
    /// [`slots::other_number_in_a_slot`]); never when their slots are not known.
    fn other_number_in_a_slot(&self, i: usize, j: usize) -> bool {
        match (self.slots.get(i), self.slots.get(j)) {
            (Some(a), Some(b)) => slots::other_number_in_a_slot(a, b),
            _ => false,
        }
    }

    /// Whether pair `i < j` joins two rows of one template: each of the two paragraphs
    /// is about as close to a neighbour on its own side (the row before or after it) as
    /// to the other (at least [`ROW_SHARE`] of the pair's score), so both sit in runs of
    /// parallel lines, and the pair states a different fact (see [`different_facts`]).
    /// Prose that restates does not run in parallel lines. Lowers `margin` to the
    /// closest of the comparisons (a score moving by `d` moves their difference by at
    /// most `2d`).
    fn template_rows(&self, i: usize, j: usize, margin: &mut f64) -> bool {
        if !different_facts(&self.numbers[i], &self.numbers[j]) {
            return false;
        }
        let bar = ROW_SHARE * self.score(i, j);
        let neighbour = |k: usize, other: usize, margin: &mut f64| {
            [k.wrapping_sub(1), k + 1]
                .into_iter()
                .filter(|&m| m < self.n && m != other)
                .map(|m| self.score(k.min(m), k.max(m)))
                .inspect(|&s| *margin = margin.min((s - bar).abs() / 2.0))
                .any(|s| s >= bar && s > 0.0)
        };
        let row_i = neighbour(i, j, margin);
        let row_j = neighbour(j, i, margin);
        row_i && row_j
    }

    /// At most how far any score moves when the corpus weights of the article's terms
    /// grow by `growth` in all (the sum of the increases, each term once or more): the
    /// union of a pair gains at most `ln(1 + n)` times that, its shared part no more, and
    /// a union weighs at least `min_mass`.
    fn score_shift(&self, growth: f64) -> f64 {
        if growth == 0.0 {
            0.0
        } else {
            (1.0 + self.n as f64).ln() * growth / self.min_mass
        }
    }

    /// The restated pairs of one passage, if it is restated, and the mean of its best
    /// scores.
    fn judge(
        &self,
        passage: &[(usize, usize)],
        rule: &Rule,
    ) -> (Vec<(usize, usize, f64, Evidence)>, f64) {
        // Best earlier match of each later paragraph of the passage.
        let mut best: Vec<(usize, usize, f64)> = Vec::new();
        for &(i, j) in passage {
            let s = self.score(i, j);
            match best.iter_mut().find(|b| b.1 == j) {
                Some(b) if s > b.2 || (s == b.2 && i < b.0) => *b = (i, j, s),
                Some(_) => {}
                None => best.push((i, j, s)),
            }
        }
        let mut scores: Vec<f64> = best.iter().map(|b| b.2).collect();
        scores.sort_by(|a, b| b.total_cmp(a));
        let last_earlier = passage.iter().map(|p| p.0).max().unwrap_or(0);
        let first_later = passage.iter().map(|p| p.1).min().unwrap_or(0);
        let mean = scores.iter().sum::<f64>() / scores.len() as f64;
        let prose_later = best.iter().filter(|b| self.prose[b.1]).count();
        let is_passage = scores.len() >= 2
            && 2 * prose_later > best.len()
            && scores[0] >= rule.anchor
            && scores[1] >= rule.second
            && mean >= rule.mean
            && last_earlier < first_later;
        let restated = if is_passage {
            best.into_iter()
                .map(|(i, j, s)| (i, j, s, Evidence::Passage))
                .collect()
        } else if last_earlier >= first_later || passage.iter().all(|&(i, j)| j == i + 1) {
            // Rows of a list, table or schedule: parallel paragraphs of one template
            // follow each other, so their pairs are neighbours or run through each other
            // (a row is both the later side of one pair and the earlier side of the next).
            Vec::new()
        } else {
            passage
                .iter()
                .map(|&(i, j)| (i, j, self.score(i, j), Evidence::Pair))
                .filter(|&(i, j, s, _)| {
                    s >= rule.single
                        && self.prose[j]
                        && self.cell(i, j).is_some_and(|c| c.3 >= 5)
                        && !different_facts(&self.numbers[i], &self.numbers[j])
                })
                .collect()
        };
        (restated, mean)
    }
}

/// Whether two paragraphs with the numbers (sorted terms with a digit: amounts, dates,
/// times, scores) `a` and `b` state different facts: each has a number the other lacks,
/// as parallel rows of a table or schedule do ("pada 1 Juni 2025" and "pada 25 April
/// 2025"; two prices; two kick-off times), and as "divonis 5 tahun" and "divonis 3 tahun"
/// do. Only a lone pair is judged so: two write-ups of one event often write the same
/// number differently ("00.44" and "00:44") or add a date, and a passage of several
/// pairs lining up is evidence enough.
fn different_facts(a: &[Term], b: &[Term]) -> bool {
    let lacks = |x: &[Term], y: &[Term]| x.iter().any(|t| y.binary_search(t).is_err());
    lacks(a, b) && lacks(b, a)
}

/// Candidate pairs `(i, j)`, `i < j` within [`MAX_DISTANCE`], of a huge article: pairs
/// that share a term found in at most [`RARE_TERM_MAX_PARAGRAPHS`] of its paragraphs.
/// The facts a restatement repeats (names, numbers) are such terms; a pair linked only by
/// common words is missed, which is the price of not scoring `n²` pairs.
fn candidates(sets: &[&[Term]], local_df: &HashMap<Term, u32>) -> Vec<(usize, usize)> {
    let mut postings: HashMap<Term, Vec<u32>> = HashMap::default();
    for (i, set) in sets.iter().enumerate() {
        for &t in *set {
            if local_df[&t] as usize <= RARE_TERM_MAX_PARAGRAPHS {
                postings.entry(t).or_default().push(i as u32);
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for list in postings.values() {
        for (k, &i) in list.iter().enumerate() {
            for &j in &list[k + 1..] {
                if (j - i) as usize <= MAX_DISTANCE {
                    pairs.push((i as usize, j as usize));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// The terms two paragraphs of an article share. A small vocabulary (most articles) is
/// held as bit sets, so a pair costs a few AND and the shared terms' bits; otherwise the
/// sorted term ids are merged.
enum SharedTerms<'a> {
    Bits { words: usize, rows: Vec<u64> },
    Lists(&'a [Vec<u32>]),
}

impl<'a> SharedTerms<'a> {
    /// Vocabularies up to this many 64-bit words take bit sets.
    const MAX_WORDS: usize = 16;

    fn new(ids: &'a [Vec<u32>], vocabulary: usize) -> SharedTerms<'a> {
        let words = vocabulary.div_ceil(64);
        if words > Self::MAX_WORDS {
            return SharedTerms::Lists(ids);
        }
        let mut rows = vec![0u64; ids.len() * words];
        for (set, row) in ids.iter().zip(rows.chunks_exact_mut(words.max(1))) {
            for &k in set {
                row[k as usize / 64] |= 1 << (k % 64);
            }
        }
        SharedTerms::Bits { words, rows }
    }

    /// Sum of the weights of the terms paragraphs `i` and `j` share (in term order), and
    /// how many they share.
    fn weight(&self, i: usize, j: usize, weights: &[f64]) -> (f64, usize) {
        let (mut sum, mut count) = (0.0, 0);
        match self {
            SharedTerms::Bits { words, rows } => {
                let (a, b) = (&rows[i * words..][..*words], &rows[j * words..][..*words]);
                for (w, (x, y)) in a.iter().zip(b).enumerate() {
                    let mut both = x & y;
                    while both != 0 {
                        sum += weights[w * 64 + both.trailing_zeros() as usize];
                        count += 1;
                        both &= both - 1;
                    }
                }
            }
            SharedTerms::Lists(ids) => {
                let (a, b) = (&ids[i], &ids[j]);
                let (mut x, mut y) = (0, 0);
                while x < a.len() && y < b.len() {
                    match a[x].cmp(&b[y]) {
                        std::cmp::Ordering::Less => x += 1,
                        std::cmp::Ordering::Greater => y += 1,
                        std::cmp::Ordering::Equal => {
                            sum += weights[a[x] as usize];
                            count += 1;
                            x += 1;
                            y += 1;
                        }
                    }
                }
            }
        }
        (sum, count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::print::DocPrint;
    use proptest::prelude::*;

    /// Document frequencies of terms `0..60` in a corpus of 100 documents, lowered by
    /// `drops[t]` (as dropping restated paragraphs does), with their corpus weights.
    fn frequencies(drops: &[u32]) -> HashMap<Term, (u32, f64)> {
        (0..60u32)
            .map(|t| {
                let df = 10 + t % 50 - drops[t as usize];
                (t, (df, corpus_weight(df, 100)))
            })
            .collect()
    }

    /// An article that restates its opening: a few paragraphs, then each again with a few
    /// terms swapped, then unrelated ones.
    fn restating_article() -> impl Strategy<Value = Vec<Vec<Term>>> {
        let paragraph = || prop::collection::btree_set(0u32..60, 8..16);
        (
            prop::collection::vec((paragraph(), prop::collection::vec(0u32..60, 0..5)), 2..5),
            prop::collection::vec(paragraph(), 0..3),
        )
            .prop_map(|(opening, others)| {
                let mut article: Vec<Vec<Term>> = opening
                    .iter()
                    .map(|(p, _)| p.iter().copied().collect())
                    .collect();
                for (p, swaps) in &opening {
                    let mut again = p.clone();
                    for (k, &t) in swaps.iter().enumerate() {
                        if let Some(&old) = p.iter().nth(k * 2) {
                            again.remove(&old);
                        }
                        again.insert(t);
                    }
                    article.push(again.into_iter().collect());
                }
                article.extend(others.into_iter().map(|p| p.into_iter().collect()));
                article
            })
    }

    /// Paragraphs of term sets: one document a `Vec` of paragraphs, each a list of words
    /// (`w0`, `w1`, …) whose terms are those words.
    fn prints(docs: &[Vec<Vec<u8>>]) -> Vec<DocPrint> {
        let config = crate::dedup::DedupConfig::default();
        docs.iter()
            .map(|paragraphs| {
                let texts: Vec<String> = paragraphs
                    .iter()
                    .map(|words| words.iter().map(|w| format!("w{w} ")).collect())
                    .collect();
                let text = texts.join("\n\n");
                let mut spans = Vec::new();
                let mut start = 0;
                for t in &texts {
                    spans.push((start..start + t.len(), false));
                    start += t.len() + 2;
                }
                DocPrint::new(&text, spans, crate::text::Lang::UNDETERMINED, &config)
            })
            .collect()
    }

    #[test]
    fn a_passage_of_rows_that_are_not_prose_is_not_restated() {
        // Three paragraphs, then each again with one term swapped: a restated passage.
        let opening: Vec<Vec<Term>> = (0..3)
            .map(|p| (0..8).map(|k| 2 * (10 * p + k)).collect())
            .collect();
        let mut sets = opening.clone();
        for p in &opening {
            let mut again = p.clone();
            again[0] = 2 * (100 + p[0]);
            again.sort_unstable();
            sets.push(again);
        }
        let slices: Vec<&[Term]> = sets.iter().map(Vec::as_slice).collect();
        let doc_freq = frequencies(&[0; 60]);
        let mut scores = PairScores::new(&slices, &doc_freq, 100);
        let later = |found: Vec<(usize, usize, f64)>| -> Vec<usize> {
            found.into_iter().map(|f| f.1).collect()
        };
        assert_eq!(later(scores.restated(DEFAULT_THRESHOLD)), [3, 4, 5]);
        // The same paragraphs as rows of a table (no sentence end): kept.
        scores.prose = vec![true, true, true, false, false, false];
        assert!(scores.restated(DEFAULT_THRESHOLD).is_empty());
        // One row among prose does not stop a passage.
        scores.prose = vec![true, true, true, true, false, true];
        assert_eq!(later(scores.restated(DEFAULT_THRESHOLD)), [3, 4, 5]);
    }

    /// A page of two write-ups of one event: five paragraphs, then five that each share
    /// five of the ten terms of one of them, in another order (`order[k]` is the earlier
    /// paragraph the `k`-th later one restates), each pair too weak alone and out of
    /// order, so no passage; `between` comes between the two parts.
    fn two_write_ups(order: [usize; 5], between: Option<Vec<Term>>) -> Vec<Vec<Term>> {
        let first: Vec<Vec<Term>> = (0..5)
            .map(|p| (0..10).map(|k| 2 * (1000 + 20 * p + k)).collect())
            .collect();
        let mut page = first.clone();
        page.extend(between);
        for (k, &p) in order.iter().enumerate() {
            let mut again: Vec<Term> = first[p][..5].to_vec();
            again.extend((0..5).map(|m| 2 * (3000 + 20 * k as u32 + m)));
            again.sort_unstable();
            page.push(again);
        }
        page
    }

    /// The restated pairs `(earlier, later)` of a page of term sets.
    fn restated_pairs(page: &[Vec<Term>]) -> Vec<(usize, usize)> {
        let slices: Vec<&[Term]> = page.iter().map(Vec::as_slice).collect();
        let scores = PairScores::new(&slices, &frequencies(&[0; 60]), 100);
        let found = scores.restated(DEFAULT_THRESHOLD);
        found.into_iter().map(|(i, j, _)| (i, j)).collect()
    }

    #[test]
    fn a_second_write_up_out_of_order_is_a_block() {
        let page = two_write_ups([2, 0, 4, 1, 3], None);
        let slices: Vec<&[Term]> = page.iter().map(Vec::as_slice).collect();
        let scores = PairScores::new(&slices, &frequencies(&[0; 60]), 100);
        let rule = Rule::new(DEFAULT_THRESHOLD);
        // Each pair alone is between the block's bar and a passage's anchor.
        let s = scores.score(2, 5);
        assert!(rule.block <= s && s < rule.anchor, "{s}");
        assert_eq!(
            restated_pairs(&page),
            [(2, 5), (0, 6), (4, 7), (1, 8), (3, 9)]
        );
        let (found, margin) = scores.restated_with_margin(DEFAULT_THRESHOLD);
        assert!(found.iter().all(|p| p.3 == Evidence::Block));
        // A score that moves to the block's bar must be scored again.
        assert!(margin <= (s - rule.block).abs());
    }

    #[test]
    fn a_block_needs_three_mutual_pairs_of_most_of_the_later_part() {
        // Two restated paragraphs among five: each the other's best, but too few.
        let mut page = two_write_ups([2, 0, 4, 1, 3], None);
        for (k, p) in page[7..].iter_mut().enumerate() {
            *p = (0..10).map(|m| 2 * (5000 + 20 * k as u32 + m)).collect();
        }
        assert!(restated_pairs(&page).is_empty());
        // Three of six: too small a share of the later part (0.6).
        let mut page = two_write_ups([2, 0, 4, 1, 3], None);
        for (k, p) in page[8..].iter_mut().enumerate() {
            *p = (0..10).map(|m| 2 * (5000 + 20 * k as u32 + m)).collect();
        }
        page.push((0..10).map(|m| 2 * (6000 + m)).collect());
        assert!(restated_pairs(&page).is_empty());
        // Three of five: a block.
        page.truncate(10);
        assert_eq!(restated_pairs(&page), [(2, 5), (0, 6), (4, 7)]);
    }

    #[test]
    fn a_block_opens_at_its_first_paired_paragraph() {
        // The earlier part ends with a paragraph that shares three terms with its first
        // paragraph: weakly linked, not paired, not part of the block.
        let mut between: Vec<Term> = (0..3).map(|k| 2 * (1000 + k)).collect();
        between.extend((0..6).map(|m| 2 * (7000 + m)));
        let page = two_write_ups([2, 0, 4, 1, 3], Some(between));
        let slices: Vec<&[Term]> = page.iter().map(Vec::as_slice).collect();
        let scores = PairScores::new(&slices, &frequencies(&[0; 60]), 100);
        assert!(scores.score(0, 5) >= Rule::new(DEFAULT_THRESHOLD).link);
        assert_eq!(
            restated_pairs(&page),
            [(2, 6), (0, 7), (4, 8), (1, 9), (3, 10)]
        );
    }

    /// Terms `2 * (base + m)` for `m` in `0..n`: words no other helper uses.
    fn words(base: u32, n: u32) -> Vec<Term> {
        (0..n).map(|m| 2 * (base + m)).collect()
    }

    #[test]
    fn a_block_points_at_the_best_of_several_earlier_matches() {
        // The first later paragraph restates paragraph 2 (five terms) and shares three
        // terms with paragraph 1 too, which comes first: it points at 2.
        let mut page = two_write_ups([2, 0, 4, 1, 3], None);
        page[5].truncate(5);
        let of_1: Vec<Term> = page[1][7..10].to_vec();
        page[5].extend(of_1);
        page[5].extend(words(8000, 2));
        page[5].sort_unstable();
        let slices: Vec<&[Term]> = page.iter().map(Vec::as_slice).collect();
        let scores = PairScores::new(&slices, &frequencies(&[0; 60]), 100);
        let (s2, s1) = (scores.score(2, 5), scores.score(1, 5));
        assert!(
            s2 > s1 && s1 >= Rule::new(DEFAULT_THRESHOLD).link,
            "{s2} {s1}"
        );
        assert_eq!(
            restated_pairs(&page),
            [(2, 5), (0, 6), (4, 7), (1, 8), (3, 9)]
        );
    }

    #[test]
    fn the_share_of_a_block_counts_prose_paragraphs_that_are_compared() {
        // Five paired paragraphs, then four of five terms (too short to compare) and four
        // rows that are not prose: the share is five of five.
        let mut page = two_write_ups([2, 0, 4, 1, 3], None);
        for k in 0..4 {
            page.push(words(8200 + 10 * k, 5));
        }
        for k in 0..4 {
            page.push(words(8300 + 10 * k, 8));
        }
        let slices: Vec<&[Term]> = page.iter().map(Vec::as_slice).collect();
        let mut scores = PairScores::new(&slices, &frequencies(&[0; 60]), 100);
        scores.prose = (0..page.len()).map(|k| k < 14).collect();
        let found: Vec<usize> = scores
            .restated(DEFAULT_THRESHOLD)
            .into_iter()
            .map(|f| f.1)
            .collect();
        assert_eq!(found, [5, 6, 7, 8, 9]);
    }

    #[test]
    fn a_block_paragraph_points_before_the_split_not_inside_the_block() {
        // The last later paragraph shares more with the first later one than with the
        // paragraph it restates: it still points at that one.
        let mut page = two_write_ups([2, 0, 4, 1, 3], None);
        let first_later: Vec<Term> = page[5][5..10].to_vec();
        page[9].extend(first_later.iter().copied());
        page[9].sort_unstable();
        let slices: Vec<&[Term]> = page.iter().map(Vec::as_slice).collect();
        let scores = PairScores::new(&slices, &frequencies(&[0; 60]), 100);
        assert!(scores.score(5, 9) > scores.score(3, 9));
        assert_eq!(
            restated_pairs(&page),
            [(2, 5), (0, 6), (4, 7), (1, 8), (3, 9)]
        );
    }

    #[test]
    fn a_block_paragraph_tied_between_two_earlier_matches_points_at_the_first() {
        // A paragraph first (0), then the five of the first write-up (1 to 5); the second
        // later paragraph (7) restates paragraph 1 and shares as much with paragraph 0:
        // five terms each, of the same weights, so the scores are exactly alike.
        let mut page = two_write_ups([2, 0, 4, 1, 3], None);
        let first = words(17_000, 10);
        page.insert(0, first.clone());
        page[7].truncate(5);
        page[7].extend_from_slice(&first[..5]);
        page[7].sort_unstable();
        let scores = scores_of(&page);
        assert_eq!(scores.score(0, 7), scores.score(1, 7));
        assert!(scores.score(0, 7) >= Rule::new(DEFAULT_THRESHOLD).block);
        // Both are listed (it restates both); the first decides.
        assert_eq!(
            restated_pairs(&page),
            [(3, 6), (0, 7), (1, 7), (5, 8), (2, 9), (4, 10)]
        );
    }

    #[test]
    fn a_block_splits_after_a_paragraph_pairing_only_with_earlier_ones() {
        // The first write-up (0 to 4), then a paragraph (5) holding the second halves of
        // paragraphs 0 and 1, a closer match of both than their restatements; then two
        // others (6, 7), the second write-up (8 to 12) and a paragraph (13) sharing three
        // terms with paragraph 6.
        let mut page = two_write_ups([2, 0, 4, 1, 3], None);
        let mut halves: Vec<Term> = page[0][5..].to_vec();
        halves.extend_from_slice(&page[1][5..]);
        let others = [words(18_000, 10), words(18_100, 10)];
        let mut last = others[0][..3].to_vec();
        last.extend(words(18_200, 7));
        let later = page.split_off(5);
        page.push(halves);
        page.extend(others);
        page.extend(later);
        page.push(last);
        let scores = scores_of(&page);
        let rule = Rule::new(DEFAULT_THRESHOLD);
        assert!(scores.score(0, 5) > scores.score(0, 9) && scores.score(0, 9) >= rule.block);
        let s = scores.score(6, 13);
        assert!(rule.link <= s && s < rule.block, "{s}");
        // With paragraph 5 before the split, paragraphs 0 and 1 pair with it (one of the
        // two mutual) and not with their restatements: the most mutual pairs are across a
        // split right after it, and paragraph 6 is not before that split.
        assert_eq!(
            restated_pairs(&page),
            [(2, 8), (0, 9), (4, 10), (1, 11), (3, 12)]
        );
    }

    /// Term sets of `clusters` runs of alike paragraphs (each of `sizes[k]` copies of one
    /// paragraph of eight words: every pair of a run scores 1), then the two write-ups of
    /// [`two_write_ups`]: `sizes[k]` choose 2 strong pairs each, and the block's five.
    fn runs_then_two_write_ups(sizes: &[usize]) -> Vec<Vec<Term>> {
        let mut page: Vec<Vec<Term>> = Vec::new();
        for (k, &size) in sizes.iter().enumerate() {
            page.extend(std::iter::repeat_n(words(19_000 + 100 * k as u32, 8), size));
        }
        page.extend(two_write_ups([2, 0, 4, 1, 3], None));
        page
    }

    #[test]
    fn a_page_of_more_than_2000_strong_pairs_is_no_block() {
        let rule = Rule::new(DEFAULT_THRESHOLD);
        let block_of = |sizes: &[usize]| {
            let page = runs_then_two_write_ups(sizes);
            let scores = scores_of(&page);
            let strong = scores.cells.iter().filter(|c| c.2 >= rule.block).count();
            let first = page.len() - 10;
            let mut margin = f64::INFINITY;
            let found: Vec<(usize, usize)> = scores
                .block(&rule, &mut margin)
                .into_iter()
                .map(|(i, j, _, _)| (i - first, j - first))
                .collect();
            (strong, found)
        };
        // 1,953 + 36 + 6 + 5 pairs: a block.
        let (strong, found) = block_of(&[63, 9, 4]);
        assert_eq!(strong, 2000);
        assert_eq!(found, [(2, 5), (0, 6), (4, 7), (1, 8), (3, 9)]);
        // One more: no block.
        let (strong, found) = block_of(&[63, 9, 4, 2]);
        assert_eq!(strong, 2001);
        assert!(found.is_empty());
    }

    #[test]
    fn the_margin_of_a_block_is_half_the_least_gap_between_two_scores_of_one_paragraph() {
        // The page of the best of several earlier matches, and an earlier paragraph with
        // two later matches.
        let mut page = two_write_ups([2, 0, 4, 1, 3], None);
        page[5].truncate(5);
        let of_1: Vec<Term> = page[1][7..10].to_vec();
        page[5].extend(of_1);
        page[5].extend(words(8000, 2));
        page[5].sort_unstable();
        page[7].truncate(5);
        let of_3: Vec<Term> = page[3][6..10].to_vec();
        page[7].extend(of_3);
        page[7].sort_unstable();
        let scores = scores_of(&page);
        let rule = Rule::new(DEFAULT_THRESHOLD);
        let usable: Vec<(u32, u32, f64, u32)> = scores
            .cells
            .iter()
            .copied()
            .filter(|c| c.2 >= rule.link)
            .collect();
        // Every two usable scores of one paragraph, earlier or later, however far apart
        // in the order of the cells.
        let mut expected = f64::INFINITY;
        let mut shared_paragraphs = 0;
        for (k, a) in usable.iter().enumerate() {
            for b in &usable[k + 1..] {
                if a.0 == b.0 || a.1 == b.1 {
                    shared_paragraphs += 1;
                    expected = expected.min((a.2 - b.2).abs() / 2.0);
                }
            }
        }
        assert!(shared_paragraphs >= 2, "{shared_paragraphs}");
        let mut margin = f64::INFINITY;
        assert_eq!(scores.block(&rule, &mut margin).len(), 5);
        assert_eq!(margin, expected);
        // It only lowers the margin it is given.
        let mut margin = expected / 2.0;
        scores.block(&rule, &mut margin);
        assert_eq!(margin, expected / 2.0);
    }

    #[test]
    fn rows_stating_other_facts_are_no_block() {
        // The same page, but each later paragraph carries numbers its match lacks and
        // the other way round (odd terms): parallel rows of two tables.
        let mut page = two_write_ups([2, 0, 4, 1, 3], None);
        for (k, p) in page.iter_mut().enumerate() {
            p.push(2 * (9000 + k as u32) + 1);
            p.sort_unstable();
        }
        assert!(restated_pairs(&page).is_empty());
    }

    #[test]
    fn numbers_changed_on_both_sides_are_different_facts() {
        assert!(different_facts(&[1, 3], &[1, 5]));
        // One side leaving a number out, or adding one, is not.
        assert!(!different_facts(&[1, 3], &[1]));
        assert!(!different_facts(&[1], &[1, 5]));
        assert!(!different_facts(&[], &[]));
    }

    #[test]
    fn a_lone_pair_with_other_numbers_is_not_restated() {
        // Two long paragraphs alike but for their numbers (odd terms), far apart, with
        // unrelated paragraphs between: a lone pair, over the single-pair threshold.
        let same: Vec<Term> = (0..10).map(|k| 2 * k).collect();
        let with = |numbers: &[Term]| -> Vec<Term> {
            let mut p = same.clone();
            p.extend(numbers);
            p.sort_unstable();
            p
        };
        let article = |second: &[Term]| -> Vec<Vec<Term>> {
            vec![
                with(&[101, 103]),
                (100..110).map(|k| 2 * k).collect(),
                (200..210).map(|k| 2 * k).collect(),
                with(second),
            ]
        };
        let doc_freq = frequencies(&[0; 60]);
        let restated = |second: &[Term]| {
            let sets = article(second);
            let slices: Vec<&[Term]> = sets.iter().map(Vec::as_slice).collect();
            PairScores::new(&slices, &doc_freq, 100).restated(DEFAULT_THRESHOLD)
        };
        assert_eq!(restated(&[101, 103]).len(), 1, "the same facts again");
        assert_eq!(restated(&[101]).len(), 1, "one number left out");
        assert!(
            restated(&[105, 107]).is_empty(),
            "other numbers: another fact"
        );
    }

    /// The restated pairs `(earlier, later, score)` of a page of term sets, and the score
    /// of pair `(i, j)`.
    fn restated_and_score(page: &[Vec<Term>], i: usize, j: usize) -> (Vec<(usize, usize)>, f64) {
        let slices: Vec<&[Term]> = page.iter().map(Vec::as_slice).collect();
        let scores = PairScores::new(&slices, &frequencies(&[0; 60]), 100);
        let found = scores.restated(DEFAULT_THRESHOLD);
        (
            found.into_iter().map(|(i, j, _)| (i, j)).collect(),
            scores.score(i, j),
        )
    }

    /// Ten word terms from `from` on, of which the first `shared` are those of `base`.
    fn sharing(base: &[Term], shared: usize, from: u32) -> Vec<Term> {
        let mut p: Vec<Term> = base[..shared].to_vec();
        p.extend((0..(base.len() - shared) as u32).map(|k| 2 * (from + k)));
        p.sort_unstable();
        p
    }

    #[test]
    fn a_lone_pair_must_reach_the_threshold_plus_a_quarter() {
        let rule = Rule::new(DEFAULT_THRESHOLD);
        let first: Vec<Term> = (0..10).map(|k| 2 * (500 + k)).collect();
        let page = |shared: usize| {
            vec![
                first.clone(),
                (0..10).map(|k| 2 * (600 + k)).collect(),
                (0..10).map(|k| 2 * (700 + k)).collect(),
                sharing(&first, shared, 800),
            ]
        };
        // Between t + 0.10 and t + 0.25: not enough alone.
        let (found, s) = restated_and_score(&page(8), 0, 3);
        assert!(rule.anchor + 0.10 <= s && s < rule.single, "{s}");
        assert!(found.is_empty(), "{found:?}");
        // Over t + 0.25: restated on its own.
        let (found, s) = restated_and_score(&page(9), 0, 3);
        assert!(s >= rule.single, "{s}");
        assert_eq!(found, [(0, 3)]);
    }

    #[test]
    fn a_passage_needs_a_second_pair_of_most_of_the_threshold() {
        let rule = Rule::new(DEFAULT_THRESHOLD);
        let a: Vec<Term> = (0..10).map(|k| 2 * (500 + k)).collect();
        let b: Vec<Term> = (0..10).map(|k| 2 * (520 + k)).collect();
        let page = |second_shared: usize| {
            vec![
                a.clone(),
                b.clone(),
                (0..10).map(|k| 2 * (600 + k)).collect(),
                (0..10).map(|k| 2 * (700 + k)).collect(),
                sharing(&a, 7, 800),
                sharing(&b, second_shared, 900),
            ]
        };
        // The first pair over t (but alone too weak), the second under 0.85 t though the
        // mean is over 0.7 t: no passage.
        let (found, first) = restated_and_score(&page(5), 0, 4);
        let (_, second) = restated_and_score(&page(5), 1, 5);
        assert!(rule.anchor <= first && first < rule.single, "{first}");
        assert!(second < rule.second && (first + second) / 2.0 >= rule.mean);
        assert!(second >= rule.link, "{second}");
        assert!(found.is_empty(), "{found:?}");
        // A second pair over 0.85 t: a passage.
        let (found, second) = restated_and_score(&page(6), 1, 5);
        assert!(second >= rule.second, "{second}");
        assert_eq!(found, [(0, 4), (1, 5)]);
    }

    #[test]
    fn a_passage_overlapping_what_it_restates_is_not_restated() {
        // Each paragraph says half of the one before: pairs (0, 1) and (1, 2) line up, but
        // paragraph 1 is on both sides (a run of parallel lines, not a passage said again).
        let rule = Rule::new(DEFAULT_THRESHOLD);
        let p0: Vec<Term> = (0..10).map(|k| 2 * (500 + k)).collect();
        let p1 = sharing(&p0, 7, 600);
        let p2 = sharing(&p1, 7, 700);
        let page = vec![p0, p1, p2];
        let (found, s01) = restated_and_score(&page, 0, 1);
        let (_, s12) = restated_and_score(&page, 1, 2);
        assert!(s01 >= rule.anchor && s12 >= rule.second && s01 < rule.single);
        assert!(found.is_empty(), "{found:?}");
    }

    use crate::dedup::tests::{at, word};

    /// The restated pairs `(earlier, later)` of one document of `paragraphs`.
    fn found_in(paragraphs: &[String]) -> Vec<(u32, u32)> {
        let text = paragraphs.join("\n\n");
        let mut spans = Vec::new();
        let mut start = 0;
        for p in paragraphs {
            spans.push((start..start + p.len(), false));
            start += p.len() + 2;
        }
        let config = crate::dedup::DedupConfig::default();
        let prints = [DocPrint::new(
            &text,
            spans,
            crate::text::Lang::Indonesian,
            &config,
        )];
        let paragraphs = Paragraphs::new(&prints);
        let present = vec![true; paragraphs.len()];
        let (pairs, _) = find(&paragraphs, &present, &present, DEFAULT_THRESHOLD);
        pairs
            .iter()
            .map(|p| (p.earlier.para, p.later.para))
            .collect()
    }

    #[test]
    fn a_pair_putting_another_number_after_the_same_word_leaves_the_passage() {
        // Paragraphs, something else, then the same again with four words of ten changed
        // (each pair too weak alone); each ends "selama 11 tahun" but the last match,
        // "selama N tahun".
        let page = |n: u32, pairs: usize| -> Vec<String> {
            let paragraph = |from: usize, changed: bool, years: u32| {
                let mut words: Vec<String> = (from..from + 10).map(word).collect();
                if changed {
                    for (k, changed) in words.iter_mut().enumerate().skip(6) {
                        *changed = word(from + 500 + k);
                    }
                }
                format!("{} selama {years} tahun.", words.join(" "))
            };
            let firsts = [0, 20, 40];
            let mut page: Vec<String> = firsts[..pairs]
                .iter()
                .map(|&p| paragraph(p, false, 11))
                .collect();
            page.push(paragraph(300, false, 7));
            page.extend(
                firsts[..pairs]
                    .iter()
                    .enumerate()
                    .map(|(k, &p)| paragraph(p, true, if k + 1 == pairs { n } else { 11 })),
            );
            page
        };
        assert_eq!(found_in(&page(11, 3)), [(0, 4), (1, 5), (2, 6)]);
        // The verdict, then the demand in the same words: the last pair is two facts.
        assert_eq!(found_in(&page(14, 3)), [(0, 4), (1, 5)]);
        // A passage of two pairs, one of them that: one pair left, too weak alone.
        assert_eq!(found_in(&page(11, 2)), [(0, 3), (1, 4)]);
        assert!(found_in(&page(14, 2)).is_empty());
    }

    #[test]
    fn an_item_of_a_list_closing_the_page_is_no_recap() {
        // Four paragraphs of ten words, then one of three words of each of the first two
        // and two of the third: the article said again, a recap; as an item of a list, a
        // row.
        let page = |prefix: &str| -> Vec<String> {
            let mut page: Vec<String> = (0..4)
                .map(|p| {
                    format!(
                        "{}.",
                        (20 * p..20 * p + 10)
                            .map(word)
                            .collect::<Vec<_>>()
                            .join(" ")
                    )
                })
                .collect();
            let closing: Vec<String> = [0, 1, 2, 20, 21, 22, 40, 41]
                .into_iter()
                .map(word)
                .collect();
            page.push(format!("{prefix}{}.", closing.join(" ")));
            page
        };
        assert_eq!(found_in(&page("")).len(), 1, "{:?}", found_in(&page("")));
        assert!(found_in(&page("- ")).is_empty());
    }

    #[test]
    fn a_passage_said_again_is_restated_only_when_it_is_prose() {
        // Three paragraphs, something else, then the three again with a word changed.
        let page = |end: &str| -> Vec<String> {
            let paragraph = |from: usize, changed: bool| {
                let mut words: Vec<String> = (from..from + 10).map(word).collect();
                if changed {
                    words[9] = word(from + 500);
                }
                format!("{}{end}", words.join(" "))
            };
            let mut page: Vec<String> = (0..3).map(|p| paragraph(20 * p, false)).collect();
            page.push(paragraph(300, false));
            page.extend((0..3).map(|p| paragraph(20 * p, true)));
            page
        };
        assert_eq!(found_in(&page(".")), [(0, 4), (1, 5), (2, 6)]);
        // Rows of a table (no sentence ends) in the same pattern are parallel rows.
        assert!(found_in(&page("")).is_empty());
    }

    /// [`find`] as if every round scored every document again (as the distributed job
    /// does, with [`score_document`]), with the document frequencies counted again: the
    /// pairs of each round that found any, in order.
    fn rounds_scoring_everything(paragraphs: &Paragraphs, threshold: f64) -> Vec<Vec<Pair>> {
        let n_docs = paragraphs.doc_count();
        let mut present = vec![true; paragraphs.len()];
        // Every paragraph is said: those dropped in earlier rounds are sources.
        let said = vec![true; paragraphs.len()];
        let mut rounds: Vec<Vec<Pair>> = Vec::new();
        while rounds.len() < MAX_ROUNDS {
            let doc_freq = document_frequencies(paragraphs, &present, n_docs);
            let found: Vec<Pair> = (0..n_docs)
                .flat_map(|doc| {
                    score_document(
                        paragraphs, doc, &present, &said, &doc_freq, n_docs, threshold,
                    )
                    .0
                })
                .collect();
            if found.is_empty() {
                break;
            }
            for p in &found {
                present[paragraphs.global(p.later)] = false;
            }
            rounds.push(found);
        }
        rounds
    }

    /// A corpus for the rounds of [`find`], the same for a `seed` on every run: three to
    /// five documents over one vocabulary of 40 words, so that most words are in several
    /// of them; each document a few paragraphs, then some of them again with words
    /// swapped, then others. A restated paragraph dropped from one document takes its
    /// swapped-in words out of it, which lifts their weight in the others.
    fn shared_vocabulary_corpus(seed: u64) -> Vec<DocPrint> {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let mut below = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let paragraph = |below: &mut dyn FnMut(usize) -> usize| -> Vec<usize> {
            let len = 8 + below(4);
            let mut words: Vec<usize> = Vec::new();
            while words.len() < len {
                let w = below(40);
                if !words.contains(&w) {
                    words.push(w);
                }
            }
            words
        };
        let n_docs = 3 + below(3);
        let docs: Vec<Vec<String>> = (0..n_docs)
            .map(|_| {
                let opening: Vec<Vec<usize>> =
                    (0..2 + below(2)).map(|_| paragraph(&mut below)).collect();
                let mut page = opening.clone();
                if below(2) == 0 {
                    page.push(paragraph(&mut below));
                }
                for p in &opening {
                    if below(4) == 0 {
                        continue;
                    }
                    let mut again = p.clone();
                    for _ in 0..below(6) {
                        let k = below(again.len());
                        again[k] = below(40);
                    }
                    page.push(again);
                }
                for _ in 0..below(3) {
                    page.push(paragraph(&mut below));
                }
                page.iter()
                    .map(|words| {
                        let words: Vec<String> = words.iter().map(|&w| word(w)).collect();
                        format!("{}.", words.join(" "))
                    })
                    .collect()
            })
            .collect();
        docs.iter().map(|page| print_of(page)).collect()
    }

    /// The fingerprint of an Indonesian document of `paragraphs`, none a title.
    fn print_of(paragraphs: &[String]) -> DocPrint {
        let text = paragraphs.join("\n\n");
        let mut spans = Vec::new();
        let mut start = 0;
        for p in paragraphs {
            spans.push((start..start + p.len(), false));
            start += p.len() + 2;
        }
        let config = crate::dedup::DedupConfig::default();
        DocPrint::new(&text, spans, crate::text::Lang::Indonesian, &config)
    }

    #[test]
    fn paragraphs_dropped_before_count_among_what_a_recap_restates() {
        // Made-up words, one set per paragraph; the last paragraph takes two of each of
        // the four before it.
        let word = |k: usize| {
            let letters: String = (0..3)
                .map(|d| (b'a' + (k / 26usize.pow(d) % 26) as u8) as char)
                .collect();
            format!("zu{letters}k")
        };
        let sentence = |ks: &[usize]| {
            let words: Vec<String> = ks.iter().map(|&k| word(k)).collect();
            format!("{}.", words.join(" "))
        };
        let mut page: Vec<String> = (0..4)
            .map(|p| sentence(&(10 * p..10 * p + 6).collect::<Vec<_>>()))
            .collect();
        page.push(sentence(&[0, 1, 10, 11, 20, 21, 30, 31]));
        let prints = [print_of(&page)];
        let paragraphs = Paragraphs::new(&prints);
        // Paragraphs 1 and 2 dropped before (copies of another page's, say).
        let present = vec![true, false, false, true, true];
        let said = vec![true; 5];
        let recap_of_4 = |said: &[bool]| {
            find(&paragraphs, &present, said, DEFAULT_THRESHOLD)
                .0
                .iter()
                .any(|p| p.later.para == 4 && p.evidence == Evidence::Recap)
        };
        assert!(recap_of_4(&said));
        // Counting only what is left, half of it is new.
        assert!(!recap_of_4(&present));
    }

    #[test]
    fn later_rounds_find_what_scoring_every_document_again_finds() {
        let (mut multi_round, mut weights_only) = (0, 0);
        for seed in 0..600 {
            let prints = shared_vocabulary_corpus(seed);
            let paragraphs = Paragraphs::new(&prints);
            let t = [0.2, 0.35, 0.5][seed as usize % 3];
            let rounds = rounds_scoring_everything(&paragraphs, t);
            let all = vec![true; paragraphs.len()];
            let (found, _) = find(&paragraphs, &all, &all, t);
            assert_eq!(found, rounds.concat(), "seed {seed}");
            multi_round += usize::from(rounds.len() > 1);
            // A round found pairs in a document that lost nothing in the round before:
            // only the weights of its terms moved.
            weights_only += rounds
                .windows(2)
                .filter(|w| {
                    w[1].iter()
                        .any(|p| w[0].iter().all(|q| q.later.doc != p.later.doc))
                })
                .count();
        }
        // The corpora reach the case: 92 of the 600 take more than one round, and 28
        // rounds find pairs only because weights moved.
        assert!(multi_round >= 50, "{multi_round}");
        assert!(weights_only >= 10, "{weights_only}");
    }

    /// Two rows of one table and the same two rows of another, with unrelated paragraphs
    /// between: rows `0, 1` and `4, 5`, row `k` of each sharing `content` words, the rows
    /// of a table sharing `template` words, each row with a number of its own (odd terms)
    /// unless `same_numbers`.
    fn two_tables(template: u32, content: u32, same_numbers: bool) -> Vec<Vec<Term>> {
        let row = |table: u32, k: u32| {
            let mut p = words(10_000 + 100 * table, template);
            p.extend(words(11_000 + 100 * k, content));
            let number = if same_numbers { k } else { 10 * table + k };
            p.push(2 * (12_000 + number) + 1);
            p.sort_unstable();
            p
        };
        vec![
            row(0, 0),
            row(0, 1),
            words(13_000, 8),
            words(13_100, 8),
            row(1, 0),
            row(1, 1),
        ]
    }

    #[test]
    fn rows_of_two_tables_lined_up_are_template_rows_not_a_passage() {
        let page = two_tables(6, 9, false);
        let slices: Vec<&[Term]> = page.iter().map(Vec::as_slice).collect();
        let scores = PairScores::new(&slices, &frequencies(&[0; 60]), 100);
        // Each row scores with its neighbour in its table at least half its score with
        // its match in the other table.
        let (s, s_01, s_45) = (scores.score(0, 4), scores.score(0, 1), scores.score(4, 5));
        assert!(s_01 >= 0.5 * s && s_45 >= 0.5 * s, "{s} {s_01} {s_45}");
        assert!(s >= Rule::new(DEFAULT_THRESHOLD).anchor, "{s}");
        let mut margin = f64::INFINITY;
        assert!(scores.template_rows(0, 4, &mut margin));
        assert!(scores.template_rows(1, 5, &mut margin));
        assert!(restated_pairs(&page).is_empty());
        // The same rows stating the same facts: a passage said again.
        assert!(!scores_of(&two_tables(6, 9, true)).template_rows(0, 4, &mut margin));
        assert_eq!(restated_pairs(&two_tables(6, 9, true)), [(0, 4), (1, 5)]);
    }

    /// The pair scores of a page of term sets.
    fn scores_of(page: &[Vec<Term>]) -> PairScores {
        let slices: Vec<&[Term]> = page.iter().map(Vec::as_slice).collect();
        PairScores::new(&slices, &frequencies(&[0; 60]), 100)
    }

    /// The excerpts `scores_of(page)` finds, as `(earlier, later)`, and the margin.
    fn excerpts_of(page: &[Vec<Term>]) -> (Vec<(usize, usize)>, f64) {
        let mut margin = f64::INFINITY;
        let found = scores_of(page).excerpts(&mut margin);
        assert!(found
            .iter()
            .all(|e| e.3 == Evidence::Excerpt && e.2 >= EXCERPT));
        (found.iter().map(|e| (e.0, e.1)).collect(), margin)
    }

    /// A long opening, unrelated paragraphs, then a sentence of the opening again.
    fn page_quoting_its_opening(sentence: Vec<Term>) -> Vec<Vec<Term>> {
        vec![
            (0..16).collect(),
            (20..28).collect(),
            (30..38).collect(),
            sentence,
        ]
    }

    #[test]
    fn a_sentence_of_an_earlier_paragraph_said_again_is_an_excerpt() {
        let (found, margin) = excerpts_of(&page_quoting_its_opening(vec![2, 3, 5, 7, 11, 13]));
        assert_eq!(found, [(0, 3)]);
        // Its share is 1: the closest call is that distance from the bar.
        assert!((margin - (1.0 - EXCERPT)).abs() < 1e-9, "{margin}");
        // The Jaccard with the long opening is far below any pair rule.
        assert!(scores_of(&page_quoting_its_opening(vec![2, 3, 5, 7, 11, 13])).score(0, 3) < 0.4);
    }

    #[test]
    fn an_excerpt_points_at_the_paragraph_holding_most_of_it_the_earliest_on_a_tie() {
        // Twenty terms, all in the opening and nineteen in the next paragraph.
        let sentence: Vec<Term> = (0..20).collect();
        let mut most: Vec<Term> = (1..20).chain(40..44).collect();
        most.sort_unstable();
        let page = |first: Vec<Term>, second: Vec<Term>| {
            vec![first, second, (50..58).collect(), sentence.clone()]
        };
        let all: Vec<Term> = (0..36).collect();
        assert_eq!(excerpts_of(&page(all.clone(), most.clone())).0, [(0, 3)]);
        assert_eq!(excerpts_of(&page(most, all.clone())).0, [(1, 3)]);
        // Both hold all of it: the first.
        let mut also: Vec<Term> = (0..20).chain(40..44).collect();
        also.sort_unstable();
        assert_eq!(excerpts_of(&page(all, also)).0, [(0, 3)]);
    }

    #[test]
    fn an_excerpt_right_after_the_paragraph_it_comes_from_is_no_row() {
        // The source is its neighbour and scores over the row bar with it: that is the
        // pair, not a row beside it.
        let page = vec![
            (20..28).collect(),
            (30..38).collect(),
            (0..10).collect(),
            (0..8).collect(),
        ];
        assert!(scores_of(&page).score(2, 3) >= EXCERPT_ROW);
        assert_eq!(excerpts_of(&page).0, [(2, 3)]);
    }

    #[test]
    fn the_margin_of_an_excerpt_counts_how_close_its_neighbour_is_to_the_row_bar() {
        // An excerpt of the opening (share 1, 0.1 from the bar), then a paragraph sharing
        // five of its terms and three of its own: near the row bar with it.
        let page = vec![
            (0..16).collect(),
            (20..28).collect(),
            (30..38).collect(),
            vec![2, 3, 5, 7, 11, 13],
            vec![2, 3, 5, 7, 11, 40, 42, 44],
        ];
        let row = scores_of(&page).score(3, 4);
        assert!((row - EXCERPT_ROW).abs() < 1.0 - EXCERPT, "{row}");
        let (_, margin) = excerpts_of(&page);
        assert!(
            (margin - (row - EXCERPT_ROW).abs()).abs() < 1e-12,
            "{margin} {row}"
        );
    }

    #[test]
    fn a_paragraph_bringing_a_word_of_its_own_is_no_excerpt() {
        // Term 50 is in no other paragraph: it weighs most.
        let (found, _) = excerpts_of(&page_quoting_its_opening(vec![2, 3, 5, 7, 11, 13, 50]));
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_paragraph_stating_a_number_the_earlier_one_lacks_is_no_excerpt() {
        // Terms with the lowest bit set are numbers. Nineteen terms of the opening and
        // one of the next paragraph: nearly all its weight is in the opening.
        let page = |extra: Term| {
            let mut sentence: Vec<Term> = (0..19).collect();
            sentence.push(extra);
            vec![
                (0..40).collect(),
                (41..49).collect(),
                (50..58).collect(),
                sentence,
            ]
        };
        assert_eq!(excerpts_of(&page(42)).0, [(0, 3)]);
        let (found, _) = excerpts_of(&page(41));
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn rows_of_a_template_under_the_paragraph_naming_them_are_no_excerpts() {
        // Fixtures: each row names the same teams as the row beside it.
        let page = vec![
            (0..16).collect(),
            vec![0, 2, 4, 6, 8, 10],
            vec![0, 2, 4, 6, 8, 12],
            vec![0, 2, 4, 6, 10, 12],
        ];
        let (found, _) = excerpts_of(&page);
        assert!(found.is_empty(), "{found:?}");
        // One row alone is an excerpt.
        assert_eq!(excerpts_of(&page[..2]).0, [(0, 1)]);
    }

    #[test]
    fn an_excerpt_that_is_not_prose_is_not_restated() {
        let page = page_quoting_its_opening(vec![2, 4, 5, 7, 11, 13]);
        let slices: Vec<&[Term]> = page.iter().map(Vec::as_slice).collect();
        let mut scores = PairScores::new(&slices, &frequencies(&[0; 60]), 100);
        let mut margin = f64::INFINITY;
        assert_eq!(scores.excerpts(&mut margin).len(), 1);
        scores.prose[3] = false;
        assert!(scores.excerpts(&mut margin).is_empty());
    }

    #[test]
    fn a_template_row_needs_a_neighbour_of_half_the_pair_score_on_both_sides() {
        // Fewer template words: the neighbours score under half the pair (but not 0).
        let page = two_tables(3, 9, false);
        let scores = scores_of(&page);
        let (s, s_01, s_45) = (scores.score(0, 4), scores.score(0, 1), scores.score(4, 5));
        assert!(
            0.0 < s_01 && s_01 < 0.5 * s && s_45 < 0.5 * s,
            "{s} {s_01} {s_45}"
        );
        let mut margin = f64::INFINITY;
        assert!(!scores.template_rows(0, 4, &mut margin));
        // The closest comparison with half the score, halved: the first neighbour of row
        // 0 (row 1), then those of row 4 (row 3, scoring 0, and row 5).
        let bar = 0.5 * s;
        let closest = [s_01, 0.0, s_45]
            .map(|n| (n - bar).abs() / 2.0)
            .into_iter()
            .fold(f64::INFINITY, f64::min);
        assert_eq!(margin, closest);
        assert_eq!(restated_pairs(&page), [(0, 4), (1, 5)]);
        // Rows of a table restated by paragraphs that are no rows (their template words
        // replaced by words of their own): one side is not enough.
        let mut one_sided = two_tables(6, 9, false);
        for (k, p) in one_sided[4..].iter_mut().enumerate() {
            let content: Vec<Term> = p.iter().copied().filter(|&t| t >= 2 * 11_000).collect();
            *p = words(18_000 + 100 * k as u32, 6);
            p.extend(content);
            p.sort_unstable();
        }
        let scores = scores_of(&one_sided);
        assert!(scores.score(0, 1) >= 0.5 * scores.score(0, 4));
        assert_eq!(scores.score(4, 5), 0.0);
        let mut margin = f64::INFINITY;
        assert!(!scores.template_rows(0, 4, &mut margin));
        // A row whose only row-neighbour is its match is no template row: the match is
        // not a neighbour on its own side.
        let adjacent = vec![page[0].clone(), page[4].clone(), words(13_200, 8)];
        let scores = scores_of(&adjacent);
        let mut margin = f64::INFINITY;
        assert!(!scores.template_rows(0, 1, &mut margin));
        // Only row 2 (scoring 0) was compared.
        assert_eq!(margin, 0.5 * scores.score(0, 1) / 2.0);
    }

    #[test]
    fn the_margin_of_template_rows_is_half_the_distance_to_half_the_pair_score() {
        let scores = scores_of(&two_tables(6, 9, false));
        let bar = 0.5 * scores.score(0, 4);
        let mut margin = f64::INFINITY;
        assert!(scores.template_rows(0, 4, &mut margin));
        // Each side stops at its first neighbour over the bar: row 1, then row 3
        // (scoring 0) and row 5.
        let closest = [scores.score(0, 1), 0.0, scores.score(4, 5)]
            .map(|n| (n - bar).abs() / 2.0)
            .into_iter()
            .fold(f64::INFINITY, f64::min);
        assert_eq!(margin, closest);
        assert!(margin < bar / 2.0, "{margin} {bar}");
    }

    #[test]
    fn score_shift_is_the_log_of_the_article_size_times_growth_over_the_least_mass() {
        // Three paragraphs of distinct rare words: every weight is ln(1 + 3) times the
        // corpus weight of a word in one document of 100; the least mass of a compared
        // paragraph is that of the six words (the five are not compared).
        let page = vec![words(14_000, 6), words(14_100, 8), words(14_200, 5)];
        let scores = scores_of(&page);
        let weight = 4f64.ln() * corpus_weight(1, 100);
        let expected = 4f64.ln() * 2.0 / (6.0 * weight);
        assert!((scores.score_shift(2.0) - expected).abs() < 1e-12);
        assert_eq!(scores.score_shift(0.0), 0.0);
    }

    #[test]
    fn the_margin_counts_a_passage_mean_near_the_mean_of_the_rule() {
        // Two paragraphs, unrelated ones, then the two again with half their words
        // changed: a passage of two pairs of one score `s`, its mean `s`.
        let (p0, p1) = (words(15_000, 10), words(15_100, 10));
        let page = vec![
            p0.clone(),
            p1.clone(),
            words(15_200, 8),
            words(15_300, 8),
            sharing(&p0, 6, 15_400),
            sharing(&p1, 6, 15_500),
        ];
        let scores = scores_of(&page);
        let s = scores.score(0, 4);
        assert_eq!(s, scores.score(1, 5));
        // A threshold whose mean (0.7 t) is just under `s`; every score is further from
        // the thresholds of a pair.
        let t = (s - 0.001) / 0.7;
        let rule = Rule::new(t);
        for x in [rule.link, rule.anchor, rule.second, rule.single, rule.block] {
            assert!((s - x).abs() > 0.01, "{s} {x}");
        }
        let (found, margin) = scores.restated_with_margin(t);
        assert!(found.is_empty());
        assert!((margin - (s - rule.mean)).abs() < 1e-12, "{margin}");
    }

    /// Paragraphs `0` and `1` both matching later paragraph 5 (`1` is `0` again, or with
    /// one of the words 5 shares changed unless `tie`), and paragraph 2 restated by 6.
    fn two_matches(tie: bool) -> PairScores {
        let a = words(16_000, 10);
        // Paragraph 1 says 0's first eight words (those 5 says) and words of its own
        // (not an excerpt of 0): as many as 0's other two, or three, which weigh it down.
        let mut again = sharing(&a, 8, 16_100);
        if !tie {
            again.push(2 * 16_110);
        }
        let b = words(16_200, 10);
        scores_of(&[
            a.clone(),
            again,
            b.clone(),
            words(16_300, 8),
            words(16_400, 8),
            sharing(&a, 8, 16_500),
            sharing(&b, 8, 16_600),
        ])
    }

    /// The pairs `(earlier, later)` of a passage that [`PairScores::judge`] finds restated.
    fn judged(scores: &PairScores, passage: &[(usize, usize)]) -> Vec<(usize, usize, Evidence)> {
        let rule = Rule::new(DEFAULT_THRESHOLD);
        let (found, _) = scores.judge(passage, &rule);
        found.into_iter().map(|(i, j, _, e)| (i, j, e)).collect()
    }

    #[test]
    fn a_paragraph_restating_two_earlier_ones_lists_both_and_the_best_decides() {
        let p = Evidence::Passage;
        let listed = |scores: &PairScores| -> Vec<(usize, usize, Evidence)> {
            let (found, _) = scores.restated_with_margin(DEFAULT_THRESHOLD);
            found.into_iter().map(|(i, j, _, e)| (i, j, e)).collect()
        };
        // 5 restates 0 best, and 1 too; both are listed, and 0 scores higher.
        let scores = two_matches(false);
        assert!(scores.score(0, 5) > scores.score(1, 5));
        assert_eq!(listed(&scores), [(0, 5, p), (1, 5, p), (2, 6, p)]);
        // On a tie both are listed; the earlier decides (see `decide`).
        assert_eq!(
            listed(&two_matches(true)),
            [(0, 5, p), (1, 5, p), (2, 6, p)]
        );

        let other = scores.score(1, 5);
        let best = |t: f64| scores.other_sources(&[(0, 5, scores.score(0, 5), p)], t);
        // At least OTHER_SOURCE_SHARE of the threshold, not below.
        assert_eq!(best(other / OTHER_SOURCE_SHARE), [(1, 5, other, p)]);
        assert_eq!(best(other / OTHER_SOURCE_SHARE * 1.001), []);
        // Only a match that loses to the one that decides: not one that beats it, nor an
        // earlier one that ties with it (the earliest of a tie decides).
        let weaker = scores.other_sources(&[(1, 5, other, p)], DEFAULT_THRESHOLD);
        assert_eq!(weaker, []);
        let tied = two_matches(true);
        let later_of_a_tie = tied.other_sources(&[(1, 5, tied.score(1, 5), p)], DEFAULT_THRESHOLD);
        assert_eq!(later_of_a_tie, []);
        let first_of_a_tie = tied.other_sources(&[(0, 5, tied.score(0, 5), p)], DEFAULT_THRESHOLD);
        assert_eq!(first_of_a_tie, [(1, 5, tied.score(1, 5), p)]);
        // Not a paragraph that itself restates something.
        let restating = [(0, 5, scores.score(0, 5), p), (0, 1, 0.9, p)];
        let others: Vec<(usize, usize)> = scores
            .other_sources(&restating, DEFAULT_THRESHOLD)
            .iter()
            .map(|o| (o.0, o.1))
            .collect();
        assert!(!others.contains(&(1, 5)), "{others:?}");
    }

    #[test]
    fn other_sources_lose_to_the_best_of_several_found_for_one_paragraph() {
        let p = Evidence::Pair;
        // Paragraph 5 shares 8 words with 0, and with 2 and 1 fewer of them (their first
        // words changed): 0 scores highest, then 2, then 1.
        let a = words(16_000, 10);
        let changed = |n: usize| {
            let mut p = a.clone();
            for (k, w) in p.iter_mut().take(n).enumerate() {
                *w = 2 * (16_100 + k as u32);
            }
            p.sort_unstable();
            p
        };
        let page = [
            a.clone(),
            changed(2),
            changed(1),
            words(16_300, 8),
            words(16_400, 8),
            sharing(&a, 8, 16_500),
        ];
        let scores = scores_of(&page);
        let (s0, s1, s2) = (scores.score(0, 5), scores.score(1, 5), scores.score(2, 5));
        assert!(s0 > s2 && s2 > s1, "{s0} {s2} {s1}");
        let t = s1.min(s2) / OTHER_SOURCE_SHARE;
        // 0 and 1 both found, in either order: 0 decides, and 2, which loses to it, is
        // listed (had 1 decided, 2 would beat it).
        for found in [
            [(0, 5, s0, p), (1, 5, s1, p)],
            [(1, 5, s1, p), (0, 5, s0, p)],
        ] {
            assert_eq!(scores.other_sources(&found, t), [(2, 5, s2, p)]);
        }
        // A tie: the earliest found decides, and a paragraph between them tied too loses.
        let tied = scores_of(&[a.clone(), a.clone(), a.clone(), sharing(&a, 8, 16_500)]);
        let s = tied.score(0, 3);
        assert_eq!((tied.score(1, 3), tied.score(2, 3)), (s, s));
        for found in [[(0, 3, s, p), (2, 3, s, p)], [(2, 3, s, p), (0, 3, s, p)]] {
            assert_eq!(
                tied.other_sources(&found, DEFAULT_THRESHOLD),
                [(1, 3, s, p)]
            );
        }
    }

    #[test]
    fn a_later_paragraph_of_a_passage_points_at_its_best_match_the_earliest_on_a_tie() {
        let p = Evidence::Passage;
        let scores = two_matches(false);
        assert!(scores.score(0, 5) > scores.score(1, 5));
        assert!(scores.score(1, 5) >= Rule::new(DEFAULT_THRESHOLD).link);
        // In either order of the passage's cells.
        for passage in [[(0, 5), (1, 5), (2, 6)], [(1, 5), (0, 5), (2, 6)]] {
            assert_eq!(judged(&scores, &passage), [(0, 5, p), (2, 6, p)]);
        }
        let scores = two_matches(true);
        assert_eq!(scores.score(0, 5), scores.score(1, 5));
        for passage in [[(0, 5), (1, 5), (2, 6)], [(1, 5), (0, 5), (2, 6)]] {
            assert_eq!(judged(&scores, &passage), [(0, 5, p), (2, 6, p)]);
        }
    }

    #[test]
    fn the_mean_of_a_passage_is_that_of_its_best_pairs() {
        let scores = two_matches(false);
        let rule = Rule::new(DEFAULT_THRESHOLD);
        let (_, mean) = scores.judge(&[(1, 5), (0, 5), (2, 6)], &rule);
        assert_eq!(mean, (scores.score(0, 5) + scores.score(2, 6)) / 2.0);
    }

    #[test]
    fn a_passage_needs_more_than_half_of_its_later_paragraphs_prose() {
        let mut scores = two_matches(false);
        let passage = [(0, 5), (2, 6)];
        let p = Evidence::Passage;
        assert_eq!(judged(&scores, &passage), [(0, 5, p), (2, 6, p)]);
        // One of two: no passage (a lone pair would need the score of one on its own).
        scores.prose[6] = false;
        assert!(judged(&scores, &passage).iter().all(|f| f.2 != p));
    }

    #[test]
    fn neighbouring_paragraphs_alike_or_a_chain_of_them_are_rows_not_restated() {
        let rule = Rule::new(DEFAULT_THRESHOLD);
        let p0 = words(17_000, 10);
        let p1 = sharing(&p0, 9, 17_100);
        // Two neighbours, each pair alone over the lone pair's threshold.
        let page = vec![p0.clone(), p1.clone(), words(17_200, 8), words(17_300, 8)];
        let (found, s) = restated_and_score(&page, 0, 1);
        assert!(s >= rule.single, "{s}");
        assert!(found.is_empty(), "{found:?}");
        // Far apart, the same pair is restated.
        let apart = vec![p0.clone(), words(17_200, 8), words(17_300, 8), p1.clone()];
        assert_eq!(restated_and_score(&apart, 0, 3).0, [(0, 3)]);
        // A chain: each paragraph the one before with a word changed; the first and the
        // third pair too, not as neighbours, but the passage runs through itself.
        let chain = vec![
            p0.clone(),
            p1.clone(),
            sharing(&p1, 9, 17_400),
            words(17_200, 8),
        ];
        let (found, s) = restated_and_score(&chain, 0, 2);
        assert!(s >= rule.single, "{s}");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn candidates_share_a_term_of_at_most_64_paragraphs_within_2000_of_each_other() {
        // 2,100 paragraphs with a word of their own each; word 1 in paragraphs 0, 5 and
        // 2005 (0 and 2005 too far apart), word 2 in the 64 from 100 on, word 3 in the
        // 65 from 300 on (too common to propose pairs).
        let mut sets: Vec<Vec<Term>> = (0..2100).map(|k| vec![10_000 + k]).collect();
        for k in [0, 5, 2005] {
            sets[k].push(1);
        }
        for set in &mut sets[100..164] {
            set.push(2);
        }
        for set in &mut sets[300..365] {
            set.push(3);
        }
        for set in &mut sets {
            set.sort_unstable();
        }
        let mut local_df: HashMap<Term, u32> = HashMap::default();
        for t in sets.iter().flatten() {
            *local_df.entry(*t).or_default() += 1;
        }
        let slices: Vec<&[Term]> = sets.iter().map(Vec::as_slice).collect();
        let mut expected = vec![(0, 5), (5, 2005)];
        for i in 100..164 {
            expected.extend((i + 1..164).map(|j| (i, j)));
        }
        expected.sort_unstable();
        assert_eq!(candidates(&slices, &local_df), expected);
    }

    #[test]
    fn a_slack_holds_while_the_shift_stays_short_of_the_margin_by_the_rounding_room() {
        let slack = |shift_per_growth: f64, growth: f64, margin: f64| Slack {
            margin,
            shift_per_growth,
            growth,
        };
        // Nothing grew: every decision stands, however close a call was.
        assert!(slack(0.5, 0.0, 0.0).holds());
        // Scores move by at most the shift per growth times the growth: 0.2, then 0.4.
        assert!(slack(0.1, 2.0, 0.3).holds());
        assert!(!slack(0.1, 4.0, 0.3).holds());
        // A shift within 1e-9 of the margin (rounding) may have reached it.
        assert!(!slack(0.25, 1.0, 0.25 + 0.5e-9).holds());
        assert!(!slack(0.25, 1.0, 0.25 + 1e-9).holds());
        assert!(slack(0.25, 1.0, 0.25 + 2e-9).holds());
    }

    #[test]
    fn a_grown_term_sharing_its_word_of_the_filter_with_a_higher_one_still_counts() {
        // Words, each with its term, by the term's word of the filter of grown terms
        // (`find` marks a bit per low 16 bits of a grown term).
        let mut by_filter_word: HashMap<u32, Vec<(Term, usize)>> = HashMap::default();
        for w in 10_000..11_000 {
            let prints = [print_of(&[format!("{}.", word(w))])];
            if let [t] = Paragraphs::new(&prints).terms(0) {
                by_filter_word
                    .entry((t & 0xffff) >> 6)
                    .or_default()
                    .push((*t, w));
            }
        }
        // Six words whose filter word holds the bit of a higher term among them.
        let mut shared: Vec<usize> = by_filter_word
            .values()
            .flat_map(|ts| {
                let top = ts.iter().map(|t| t.0 & 63).max().unwrap_or(0);
                ts.iter().filter(move |t| t.0 & 63 < top).map(|t| t.1)
            })
            .collect();
        shared.sort_unstable();
        shared.truncate(6);
        assert_eq!(shared.len(), 6);
        let text = |words: &mut dyn Iterator<Item = usize>| {
            let words: Vec<String> = words.map(word).collect();
            format!("{}.", words.join(" "))
        };
        let docs = [
            // A page saying its first paragraph again with the 1,000 words added: a lone
            // pair; dropping the second takes the 1,000 out of the page.
            vec![
                text(&mut (20_000..23_000)),
                text(&mut (30_000..30_008)),
                text(&mut (20_000..23_000).chain(10_000..11_000)),
            ],
            // Two paragraphs sharing the six words and two more: under the lone pair's
            // 0.65 (threshold 0.4) while the six are in three documents, over it in two.
            vec![
                text(&mut shared.iter().copied().chain(40_000..40_004)),
                text(&mut (30_100..30_108)),
                text(&mut shared.iter().copied().chain([40_000, 40_001, 40_004])),
            ],
            // The 1,000 words again.
            vec![text(&mut (10_000..11_000))],
        ];
        let prints: Vec<DocPrint> = docs.iter().map(|d| print_of(d)).collect();
        let paragraphs = Paragraphs::new(&prints);
        let t = 0.4;
        let rounds = rounds_scoring_everything(&paragraphs, t);
        // The page's pair in the first round, the two paragraphs' in the second: only
        // the weights of the six moved.
        let by_round: Vec<Vec<_>> = rounds
            .iter()
            .map(|r| r.iter().map(|p| (p.earlier, p.later)).collect())
            .collect();
        assert_eq!(by_round, [[(at(0, 0), at(0, 2))], [(at(1, 0), at(1, 2))]]);
        let all = vec![true; paragraphs.len()];
        let (pairs, _) = find(&paragraphs, &all, &all, t);
        assert_eq!(pairs, rounds.concat());
    }

    #[test]
    fn corpus_weight_is_one_plus_the_log_of_documents_and_one_over_the_frequency() {
        assert_eq!(corpus_weight(1, 1), 1.0 + 2f64.ln());
        assert_eq!(corpus_weight(4, 99), 1.0 + 25f64.ln());
        assert_eq!(corpus_weight(100, 99), 1.0);
    }

    #[test]
    fn only_articles_of_more_than_3000_eligible_paragraphs_take_candidate_pairs() {
        // 3,001 paragraphs of two words (eligible, too short to be compared: cheap) and a
        // list item, which is not eligible.
        let mut page: Vec<String> = (0..ALL_PAIRS_LIMIT + 1)
            .map(|k| format!("{} {}.", word(2 * k), word(2 * k + 1)))
            .collect();
        page.push(format!("- {} {}.", word(7000), word(7001)));
        let prints = [print_of(&page)];
        let paragraphs = Paragraphs::new(&prints);
        let mut present = vec![true; paragraphs.len()];
        assert_eq!(
            find(&paragraphs, &present, &present, DEFAULT_THRESHOLD).1,
            [0]
        );
        // One of them dropped before: 3,000 eligible, every pair is scored.
        present[0] = false;
        assert!(find(&paragraphs, &present, &present, DEFAULT_THRESHOLD)
            .1
            .is_empty());
    }

    proptest! {
        /// Lowering the frequencies of what some documents lost gives what counting the
        /// corpus again gives, and the growth of every weight that changed.
        #[test]
        fn frequencies_lowered_equal_counted_again(
            docs in prop::collection::vec(
                prop::collection::vec(prop::collection::vec(0u8..40, 0..8), 1..5), 1..12),
            drops in prop::collection::vec(any::<bool>(), 60),
        ) {
            let prints = prints(&docs);
            let paragraphs = Paragraphs::new(&prints);
            let n_docs = docs.len();
            let present = vec![true; paragraphs.len()];
            let mut doc_freq = document_frequencies(&paragraphs, &present, n_docs);
            let old = doc_freq.clone();
            let mut now = present.clone();
            for (g, &drop) in drops.iter().enumerate().take(paragraphs.len()) {
                now[g] = !drop;
            }
            let changed: Vec<usize> = (0..n_docs)
                .filter(|&d| paragraphs.of_doc(d).any(|g| !now[g]))
                .collect();
            let terms = |present: &[bool]| -> Vec<Vec<Term>> {
                changed.iter().map(|&d| doc_terms(&paragraphs, present, d)).collect()
            };
            let growth = lose_terms(&mut doc_freq, &terms(&present), &terms(&now), n_docs);
            let counted = document_frequencies(&paragraphs, &now, n_docs);
            prop_assert_eq!(&doc_freq, &counted);
            let expected: HashMap<Term, f64> = old
                .iter()
                .filter_map(|(t, &(_, w))| {
                    let new = counted.get(t)?.1;
                    (new != w).then_some((*t, (new - w).abs()))
                })
                .collect();
            prop_assert_eq!(growth, expected);
        }

        /// When corpus weights grow, no score moves further than `score_shift` allows, and
        /// an article whose growth stays inside its margin decides exactly the same: what
        /// lets later rounds skip it.
        #[test]
        fn weight_growth_within_the_margin_changes_no_decision(
            sets in restating_article(),
            drops in prop::collection::vec(prop::sample::select(vec![0u32, 0, 0, 0, 0, 0, 1, 3]), 60),
            t in prop::sample::select(vec![0.2, 0.35, 0.5]),
        ) {
            let slices: Vec<&[Term]> = sets.iter().map(Vec::as_slice).collect();
            let (before, after) = (frequencies(&[0; 60]), frequencies(&drops));
            let growth: f64 = sets.iter().flatten().map(|t| after[t].1 - before[t].1).sum();
            let old = PairScores::new(&slices, &before, 100);
            let new = PairScores::new(&slices, &after, 100);
            let shift = old.score_shift(growth);
            for i in 0..sets.len() {
                for j in i + 1..sets.len() {
                    prop_assert!((new.score(i, j) - old.score(i, j)).abs() <= shift + 1e-12);
                }
            }
            let (decided, margin) = old.restated_with_margin(t);
            if shift + 1e-9 < margin {
                let again: Vec<(usize, usize)> =
                    new.restated(t).into_iter().map(|(i, j, _)| (i, j)).collect();
                let decided: Vec<(usize, usize)> =
                    decided.into_iter().map(|(i, j, _, _)| (i, j)).collect();
                prop_assert_eq!(again, decided);
            }
        }

        /// Bit sets and merged lists find the same shared terms, summed in the same order.
        #[test]
        fn shared_terms_by_bits_equal_by_lists(
            sets in prop::collection::vec(prop::collection::btree_set(0u32..300, 0..40), 2..8),
        ) {
            let ids: Vec<Vec<u32>> = sets.into_iter().map(|s| s.into_iter().collect()).collect();
            let weights: Vec<f64> = (0..300).map(|k| 1.0 + f64::from(k).sqrt()).collect();
            let bits = SharedTerms::new(&ids, weights.len());
            let is_bits = matches!(bits, SharedTerms::Bits { .. });
            prop_assert!(is_bits, "a 300-term vocabulary takes bit sets");
            let lists = SharedTerms::Lists(&ids);
            for i in 0..ids.len() {
                for j in 0..ids.len() {
                    prop_assert_eq!(bits.weight(i, j, &weights), lists.weight(i, j, &weights));
                }
            }
        }
    }
}
