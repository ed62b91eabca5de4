//! Recaps: paragraphs at the end of an article that restate the article as a whole, such
//! as a summary appended to the page.
//!
//! A recap draws its facts from all over the article, so no single earlier paragraph
//! matches it well enough to make a restated pair; what marks it is coverage: nearly all
//! of its content terms, weighted by their rarity in the corpus (names, numbers and key
//! words weigh most), occur in paragraphs before it. A paragraph of the article proper
//! brings something new (a quote, a name, a figure), so its coverage is lower; an
//! unrelated summary appended to the page shares only common words with it.
//!
//! The recap is looked for as a block at the end of the article: from the last paragraph
//! backwards, every paragraph whose coverage reaches [`LOW`] belongs to the block, up to the
//! first that does not (or [`MAX_BLOCK`] of them); the block then starts at its first
//! paragraph whose coverage reaches [`THRESHOLD`] (a recap opens with its strongest
//! restatement; what is weaker before that is the article's own ending). Paragraphs too
//! short to judge (fewer than [`MIN_TERMS`] terms) neither belong to the block nor end it;
//! inside a recap, one whose every term was said before is part of it.

use super::print::{is_number, Term};

/// A recap's opening paragraph must have at least this coverage.
pub const THRESHOLD: f64 = 0.77;
/// The other paragraphs of a recap block must have at least this coverage.
pub const LOW: f64 = 0.58;
/// A paragraph needs this many distinct content terms to be a recap.
pub const MIN_TERMS: usize = 6;
/// At most this many paragraphs at the end of an article are looked at...
pub const MAX_BLOCK: usize = 8;
/// ...and this many short ones (fewer than [`MIN_TERMS`] terms) among them.
pub const MAX_SHORT: usize = 8;
/// A recap draws on several paragraphs: no single earlier one holds more than this share
/// of its covered term weight.
pub const MAX_SOURCE_SHARE: f64 = 0.6;
/// A paragraph with this share of its weight (as the pairs weigh terms) in two earlier
/// paragraphs restates the article even when one of them holds most of it.
pub const EXCERPT: f64 = super::restated::EXCERPT;
/// ...unless a neighbour has this weighted Jaccard with it: a row of a template.
pub const ROW: f64 = 0.5;
/// A recap needs at least this many paragraphs before it to restate.
pub const MIN_BEFORE: usize = 3;
/// Articles of more paragraphs than this have no recap looked for: against a long page
/// nearly any paragraph's terms occur somewhere before it, so coverage says nothing.
pub const MAX_ARTICLE: usize = 200;

/// What [`find`] found in one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recaps {
    /// `(recap paragraph, its best source, coverage)`: the source is the earlier
    /// paragraph holding the most weight of the recap's terms (of those not dropped);
    /// by paragraph.
    pub found: Vec<(usize, usize, f64)>,
    /// The least distance of a coverage looked at from a threshold it was compared with
    /// (infinite when none was looked at).
    pub margin: f64,
    /// The least term weight of a paragraph looked at (infinite when none): a coverage
    /// moves by at most the growth of its terms' weights over this.
    pub min_mass: f64,
}

/// Finds the recap at the end of an article whose paragraphs have the term sets `sets`
/// (sorted, distinct), in order; `candidate[i]` says whether paragraph `i` may be part of
/// it (titles may not, but count as sources); `weight` gives a term's corpus weight (at
/// least 1).
pub fn find(sets: &[&[Term]], candidate: &[bool], weight: impl Fn(Term) -> f64) -> Recaps {
    find_among(sets, candidate, &vec![false; sets.len()], weight)
}

/// [`find`], where `dropped[i]` says that paragraph `i` is dropped already, as a copy or a
/// repeat: what it says the article said, so it counts as a source, but it is no longer
/// on the page, so the block at the end is looked for without it (it neither belongs to
/// the block nor ends it).
pub fn find_among(
    sets: &[&[Term]],
    candidate: &[bool],
    dropped: &[bool],
    weight: impl Fn(Term) -> f64,
) -> Recaps {
    let n = sets.len();
    let mut recaps = Recaps {
        found: Vec::new(),
        margin: f64::INFINITY,
        min_mass: f64::INFINITY,
    };
    if n > MAX_ARTICLE {
        return recaps;
    }
    // The last paragraphs, latest first, up to the first that cannot be a recap; each
    // with whether it is short.
    let mut cands: Vec<usize> = Vec::new();
    let mut short: Vec<bool> = Vec::new();
    let mut walked = MIN_BEFORE;
    for j in (MIN_BEFORE..n).rev().filter(|&j| !dropped[j]) {
        walked = j + 1;
        let is_short = sets[j].len() < MIN_TERMS;
        let room = if is_short { MAX_SHORT } else { MAX_BLOCK };
        // A short paragraph bringing a term of its own ends the block as well.
        let said_before = |t: &Term| sets[..j].iter().any(|s| s.binary_search(t).is_ok());
        if !candidate[j]
            || short.iter().filter(|&&s| s == is_short).count() == room
            || (is_short && !sets[j].iter().all(said_before))
        {
            break;
        }
        cands.push(j);
        short.push(is_short);
        walked = j;
    }
    if !short.contains(&false) {
        // Short paragraphs said before, among paragraphs dropped already as copies or
        // repeats: the last sentences of a summary whose others were dropped, restating
        // what they did.
        if (walked..n).any(|j| dropped[j]) {
            recaps.found = cands
                .iter()
                .filter_map(|&j| best_kept_source(sets, dropped, j, &weight).map(|i| (j, i, 1.0)))
                .collect();
        }
        return recaps;
    }
    // The candidates' terms, each once, with a bit per candidate that has it.
    let mut union: Vec<(Term, u16)> = Vec::new();
    for (c, &j) in cands.iter().enumerate() {
        union.extend(sets[j].iter().map(|&t| (t, 1u16 << c)));
    }
    union.sort_unstable_by_key(|u| u.0);
    let mut merged: Vec<(Term, u16)> = Vec::with_capacity(union.len());
    for (t, bit) in union {
        match merged.last_mut() {
            Some(last) if last.0 == t => last.1 |= bit,
            _ => merged.push((t, bit)),
        }
    }
    let weights: Vec<f64> = merged.iter().map(|u| weight(u.0)).collect();
    // Which candidates have each term in a paragraph before them, and each candidate's
    // best single source so far.
    let mut covered = vec![0u16; merged.len()];
    let mut best: Vec<(usize, f64)> = vec![(0, -1.0); cands.len()];
    // The same among the paragraphs still on the page: the one a recap points at (a
    // dropped one's original may be another page's).
    let mut kept_best: Vec<(usize, f64)> = vec![(0, 0.0); cands.len()];
    for (i, set) in sets.iter().enumerate().take(cands[0]) {
        // Candidates after paragraph `i`.
        let after: u16 = cands
            .iter()
            .enumerate()
            .filter(|&(_, &j)| j > i)
            .fold(0, |m, (c, _)| m | 1 << c);
        let mut here = [0.0f64; MAX_BLOCK + MAX_SHORT];
        for t in *set {
            if let Ok(u) = merged.binary_search_by_key(t, |m| m.0) {
                let mask = merged[u].1 & after;
                covered[u] |= mask;
                let mut bits = mask;
                while bits != 0 {
                    here[bits.trailing_zeros() as usize] += weights[u];
                    bits &= bits - 1;
                }
            }
        }
        for (c, b) in best.iter_mut().enumerate() {
            if i < cands[c] && here[c] > b.1 {
                *b = (i, here[c]);
            }
            if i < cands[c] && !dropped[i] && here[c] > kept_best[c].1 {
                kept_best[c] = (i, here[c]);
            }
        }
    }
    let mut seen_weight = vec![0.0; cands.len()];
    let coverage: Vec<f64> = (0..cands.len())
        .map(|c| {
            let (mut all, mut seen) = (0.0, 0.0);
            for (u, m) in merged.iter().enumerate() {
                if m.1 >> c & 1 == 1 {
                    all += weights[u];
                    if covered[u] >> c & 1 == 1 {
                        seen += weights[u];
                    }
                }
            }
            seen_weight[c] = seen;
            if short[c] {
                // Judged by whether all its terms were said before, not by weight.
                return if all > 0.0 && seen == all { 1.0 } else { 0.0 };
            }
            recaps.min_mass = recaps.min_mass.min(all);
            seen / all
        })
        .collect();
    // The block: latest first, while coverage reaches LOW (short paragraphs aside).
    let mut block = cands.len();
    for c in (0..cands.len()).filter(|&c| !short[c]) {
        let cov = coverage[c];
        recaps.margin = recaps.margin.min((cov - LOW).abs());
        if cov < LOW {
            block = c;
            break;
        }
        recaps.margin = recaps.margin.min((cov - THRESHOLD).abs());
    }
    let long: Vec<usize> = (0..block).filter(|&c| !short[c]).collect();
    if long.is_empty() {
        return recaps;
    }
    // A paragraph whose covered weight mostly sits in one earlier paragraph restates that
    // paragraph, not the article: it is left to the pairs. Unless it is one of a block
    // that goes through the article in order: a summary written a sentence a paragraph,
    // each the gist of one paragraph (or of the same one as the sentence before), the
    // first from the article's opening third and the last from further on, restates the
    // article as a whole.
    // Such a sentence brings no figure of its own: a row of a list or a ranking ("Medan is
    // 15th, 32 minutes for 10 km") repeats the words of the rows before with new numbers.
    let new_number = |c: usize| {
        merged
            .iter()
            .zip(&covered)
            .any(|(m, &seen)| m.1 >> c & 1 == 1 && seen >> c & 1 == 0 && is_number(m.0))
    };
    let sources: Vec<usize> = long.iter().rev().map(|&c| best[c].0).collect();
    let sentences: Vec<usize> = long.iter().copied().filter(|&c| !new_number(c)).collect();
    let sentence_by_sentence = sources.len() >= 2
        && sources.windows(2).all(|w| w[0] <= w[1])
        && sources[0] < sources[sources.len() - 1]
        && 3 * sources[0] < cands[long[long.len() - 1]]
        && sentences
            .iter()
            .filter(|&&c| coverage[c] >= THRESHOLD)
            .count()
            >= 2;
    // Rows of a template (fixtures, a list of nominees) are each wholly in the paragraphs
    // introducing them too, but each shares most of its words with the row beside it.
    let row = |j: usize, recaps: &mut Recaps| {
        [j.wrapping_sub(1), j + 1]
            .into_iter()
            .filter(|&m| m < n)
            .map(|m| weighted_jaccard(sets[j], sets[m], &weight))
            .inspect(|&s| recaps.margin = recaps.margin.min((s - ROW).abs()))
            .any(|s| s >= ROW)
    };
    // The paragraphs the pairs compare a candidate with: those on the page that may be
    // recaps (prose, no title).
    let compared: Vec<bool> = (0..n).map(|i| candidate[i] && !dropped[i]).collect();
    // A summary of two sentences, each lifted from a paragraph, says nearly nothing
    // those two paragraphs did not: weighed as the pairs weigh terms (a word of its own,
    // in no other paragraph, weighs most), it restates the article although its weight
    // sits mostly in one paragraph. Drawn from the article before the paragraphs looked
    // at, not from another summary sentence.
    let first = cands[cands.len() - 1];
    let two_sources: Vec<bool> = (0..cands.len())
        .map(|c| {
            !short[c]
                && in_two_sources(sets, &compared, cands[c], first, &weight, &mut recaps) >= EXCERPT
                && !row(cands[c], &mut recaps)
        })
        .collect();
    let spread: Vec<bool> = (0..cands.len())
        .map(|c| {
            (sentence_by_sentence && sentences.contains(&c))
                || best[c].1 <= MAX_SOURCE_SHARE * seen_weight[c]
                || two_sources[c]
        })
        .collect();
    // Inside a recap, a paragraph wholly said by one earlier paragraph (every term of it
    // there: a sentence of it, shortened, as an extractive summary takes it) is one of
    // the summary's sentences: a paragraph of the article brings something new. It does
    // not open a recap (rows of a fixture list are each wholly in the paragraph naming
    // the teams).
    let contained = |c: usize| {
        let source = sets[best[c].0];
        sets[cands[c]]
            .iter()
            .all(|t| source.binary_search(t).is_ok())
    };
    // It opens at its earliest spread paragraph reaching THRESHOLD; after that, a short
    // paragraph (all its terms said before) is part of it too.
    let Some(&open) = long
        .iter()
        .rev()
        .find(|&&c| coverage[c] >= THRESHOLD && spread[c] || two_sources[c])
    else {
        return recaps;
    };
    recaps.found = (0..=open)
        .rev()
        .filter(|&c| short[c] && coverage[c] == 1.0 || spread[c] || contained(c))
        .filter(|&c| kept_best[c].1 > 0.0)
        .map(|c| (cands[c], kept_best[c].0, coverage[c]))
        .collect();
    recaps
}

/// The paragraph before `j` not `dropped` holding the most weight of its terms (the
/// earliest of equal ones), if one has any.
fn best_kept_source(
    sets: &[&[Term]],
    dropped: &[bool],
    j: usize,
    weight: &impl Fn(Term) -> f64,
) -> Option<usize> {
    let held = |s: &[Term]| -> f64 {
        sets[j]
            .iter()
            .filter(|t| s.binary_search(t).is_ok())
            .map(|&t| weight(t))
            .sum()
    };
    (0..j)
        .filter(|&i| !dropped[i])
        .map(|i| (i, held(sets[i])))
        .filter(|b| b.1 > 0.0)
        .fold(None, |best: Option<(usize, f64)>, b| match best {
            Some(x) if x.1 >= b.1 => Some(x),
            _ => Some(b),
        })
        .map(|b| b.0)
}

/// The Jaccard of two sorted term sets, each term weighted by `weight`.
fn weighted_jaccard(a: &[Term], b: &[Term], weight: &impl Fn(Term) -> f64) -> f64 {
    let both: f64 = a
        .iter()
        .filter(|t| b.binary_search(t).is_ok())
        .map(|&t| weight(t))
        .sum();
    let all: f64 = a.iter().chain(b).map(|&t| weight(t)).sum::<f64>() - both;
    if all > 0.0 {
        both / all
    } else {
        0.0
    }
}

/// The largest share of paragraph `j`'s term weight found in two paragraphs before
/// `before`, 0 when one of those `compared` with it by the pairs alone holds
/// [`EXCERPT`] of it; each term weighted by `weight` times its rarity in the article,
/// `ln(1 + n / paragraphs having it)`; a pair missing a number of `j` counts for nothing.
/// A maximum over all pairs, so it moves no more than each pair's share does: lowers
/// `recaps.margin` to its distance from [`EXCERPT`] and `recaps.min_mass` to the mass
/// over `ln(1 + n)` (a corpus weight growth moves a term's weight by that factor at most).
fn in_two_sources(
    sets: &[&[Term]],
    compared: &[bool],
    j: usize,
    before: usize,
    weight: &impl Fn(Term) -> f64,
    recaps: &mut Recaps,
) -> f64 {
    let n = sets.len() as f64;
    let terms = sets[j];
    let weights: Vec<f64> = terms
        .iter()
        .map(|t| {
            let having = sets.iter().filter(|s| s.binary_search(t).is_ok()).count();
            weight(*t) * (1.0 + n / having as f64).ln()
        })
        .collect();
    let mass: f64 = weights.iter().sum();
    let words = terms.len().div_ceil(64);
    // Per earlier paragraph, which of `j`'s terms it has, as bits.
    let has: Vec<(usize, Vec<u64>)> = sets[..before]
        .iter()
        .map(|s| {
            let mut bits = vec![0u64; words];
            for (k, t) in terms.iter().enumerate() {
                if s.binary_search(t).is_ok() {
                    bits[k / 64] |= 1 << (k % 64);
                }
            }
            bits
        })
        .enumerate()
        .filter(|(_, bits)| bits.iter().any(|&w| w != 0))
        .collect();
    let mut numbers = vec![0u64; words];
    for (k, &t) in terms.iter().enumerate() {
        if is_number(t) {
            numbers[k / 64] |= 1 << (k % 64);
        }
    }
    let share_of = |a: &[u64], b: &[u64]| -> f64 {
        let union = |w: usize| a[w] | b[w];
        if (0..words).any(|w| numbers[w] & !union(w) != 0) {
            return 0.0;
        }
        let found: f64 = (0..terms.len())
            .filter(|&k| union(k / 64) >> (k % 64) & 1 == 1)
            .map(|k| weights[k])
            .sum();
        found / mass
    };
    // The best share of one paragraph the pairs compare it with, of any other one, of two.
    let (mut by_compared, mut one, mut two): (f64, f64, f64) = (0.0, 0.0, 0.0);
    for (x, (i, a)) in has.iter().enumerate() {
        let alone = share_of(a, a);
        if compared[*i] {
            by_compared = by_compared.max(alone);
        } else {
            one = one.max(alone);
        }
        for (_, b) in &has[x + 1..] {
            two = two.max(share_of(a, b));
        }
    }
    recaps.margin = recaps.margin.min((by_compared - EXCERPT).abs());
    // Wholly in one paragraph the pairs compare it with, it is that paragraph's excerpt
    // (or a row under it) for them to judge.
    let share = if by_compared >= EXCERPT {
        0.0
    } else {
        two.max(one).max(by_compared)
    };
    recaps.margin = recaps.margin.min((share - EXCERPT).abs());
    recaps.min_mass = recaps.min_mass.min(mass / (1.0 + n).ln());
    share
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find_in(article: &[Vec<Term>]) -> Vec<(usize, usize, f64)> {
        let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
        let candidate = vec![true; sets.len()];
        find(&sets, &candidate, |_| 1.0).found
    }

    #[test]
    fn a_paragraph_made_of_several_earlier_ones_is_a_recap() {
        let article = vec![
            vec![1, 2, 3, 4, 5],
            vec![6, 7, 8, 9, 10],
            vec![11, 12, 13, 14, 15],
            vec![16, 17, 18, 19, 20],
            vec![1, 2, 7, 8, 12, 13, 17, 18],
        ];
        let found = find_in(&article);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 4);
        assert!((found[0].2 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn new_content_at_the_end_is_not_a_recap() {
        let article = vec![
            vec![1, 2, 3, 4, 5],
            vec![6, 7, 8, 9, 10],
            vec![11, 12, 13, 14, 15],
            vec![1, 30, 31, 32, 33, 34],
        ];
        assert!(find_in(&article).is_empty());
    }

    #[test]
    fn the_block_opens_at_its_strongest_paragraph() {
        let article = vec![
            vec![1, 2, 3, 4, 5],
            vec![6, 7, 8, 9, 10],
            vec![11, 12, 13, 14, 15],
            // The article's own ending: partly new.
            vec![1, 6, 11, 12, 40, 41],
            // The recap: all from before, and a closing line that is mostly.
            vec![2, 3, 7, 8, 12, 13],
            vec![4, 5, 9, 10, 14, 50],
        ];
        let found: Vec<usize> = find_in(&article).iter().map(|f| f.0).collect();
        assert_eq!(found, vec![4, 5]);
    }

    #[test]
    fn rare_terms_weigh_more() {
        let article = [
            vec![1, 2, 3, 4, 5],
            vec![6, 7, 8, 9, 10],
            vec![11, 12, 13, 14, 15],
            vec![1, 2, 6, 11, 100, 101],
        ];
        let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
        let candidate = vec![true; 4];
        // Unseen terms 100 and 101 common: the rare names carry the paragraph.
        let found = find(&sets, &candidate, |t| if t >= 100 { 1.0 } else { 8.0 }).found;
        assert_eq!(found.len(), 1);
        assert!(find(&sets, &candidate, |_| 1.0).found.is_empty());
    }
    /// A paragraph of ten terms (1–10), four of five (11–30; odd terms are numbers), then
    /// `closing`.
    fn five_then(closing: Vec<Term>) -> Vec<Vec<Term>> {
        let mut article: Vec<Vec<Term>> = vec![(1..=10).collect()];
        article.extend((0..4).map(|p| (5 * p + 11..=5 * p + 15).collect()));
        article.push(closing);
        article
    }

    /// Eight terms of the first paragraph and two of the second, then `extra`.
    fn eight_and_two(extra: &[Term]) -> Vec<Term> {
        let mut closing: Vec<Term> = (1..=8)
            .chain([11, 12])
            .chain(extra.iter().copied())
            .collect();
        closing.sort_unstable();
        closing
    }

    #[test]
    fn a_closing_paragraph_made_of_two_earlier_ones_is_a_recap() {
        // Most of its weight sits in one paragraph (not spread), yet it says nothing the
        // two did not.
        let found = find_in(&five_then(eight_and_two(&[])));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (5, 0));
        // A word of its own, in no other paragraph, outweighs a tenth of it.
        assert!(find_in(&five_then(eight_and_two(&[40]))).is_empty());
        // One of another paragraph (in two, as the others) does not.
        assert_eq!(find_in(&five_then(eight_and_two(&[22]))).len(), 1);
    }

    #[test]
    fn two_paragraphs_missing_a_number_of_the_closing_one_do_not_make_it_a_recap() {
        // 23 is a number (odd), stated by the third paragraph only.
        assert!(find_in(&five_then(eight_and_two(&[23]))).is_empty());
    }

    #[test]
    fn a_closing_row_beside_a_row_like_it_is_no_recap() {
        // Two rows sharing most of their words, each drawn from the first two paragraphs.
        let mut article = five_then(vec![1, 2, 3, 4, 5, 6, 11, 12]);
        article.insert(5, vec![1, 2, 3, 4, 5, 7, 11, 13]);
        assert!(find_in(&article).is_empty());
        // Either alone is a recap.
        assert_eq!(find_in(&five_then(vec![1, 2, 3, 4, 5, 6, 11, 12])).len(), 1);
    }

    #[test]
    fn the_margin_counts_how_close_a_row_is_to_its_neighbour() {
        // Two rows of the first two paragraphs' terms sharing 7 of their 13: Jaccard 7/13,
        // the closest call (their shares in two paragraphs are 1, 0.1 from the bar).
        let mut article = five_then(vec![1, 2, 3, 4, 5, 6, 11, 13, 14, 15]);
        article.insert(5, (1..=8).chain([11, 12]).collect());
        let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
        let recaps = find(&sets, &vec![true; sets.len()], |_| 1.0);
        assert!(
            (recaps.margin - (7.0 / 13.0 - ROW)).abs() < 1e-12,
            "{}",
            recaps.margin
        );
    }

    #[test]
    fn weighted_jaccard_is_the_shared_weight_over_the_weight_of_either() {
        let w = |t: Term| f64::from(t);
        // Shared 2 + 3, either 1 + 2 + 3 + 4.
        assert!((weighted_jaccard(&[1, 2, 3], &[2, 3, 4], &w) - 0.5).abs() < 1e-12);
        assert!((weighted_jaccard(&[1, 2], &[1, 2], &w) - 1.0).abs() < 1e-12);
        assert_eq!(weighted_jaccard(&[1], &[2], &w), 0.0);
        assert_eq!(weighted_jaccard(&[], &[], &w), 0.0);
    }

    #[test]
    fn the_margin_counts_how_close_a_share_in_one_or_two_paragraphs_is_to_the_bar() {
        let margin = |closing: Vec<Term>| {
            let article = five_then(closing);
            let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
            find(&sets, &vec![true; sets.len()], |_| 1.0).margin
        };
        // Every term in two paragraphs, so all weigh the same: 10 of 11 in the first two.
        let close = 10.0 / 11.0 - EXCERPT;
        assert!((margin(eight_and_two(&[22])) - close).abs() < 1e-12);
        // 10 of 11 in the first paragraph alone, which the pairs compare it with.
        let mut wholly: Vec<Term> = (1..=10).collect();
        wholly.push(22);
        assert!((margin(wholly) - close).abs() < 1e-12);
    }

    #[test]
    fn a_closing_paragraph_wholly_in_one_the_pairs_compare_is_theirs() {
        // Wholly in the first paragraph: an excerpt, for the pairs to judge...
        let article = five_then((1..=6).collect());
        assert!(find_in(&article).is_empty());
        // ...unless the pairs do not compare it with that one (a title).
        let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
        let mut candidate = vec![true; sets.len()];
        candidate[0] = false;
        let found = find(&sets, &candidate, |_| 1.0).found;
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 5);
    }

    #[test]
    fn short_paragraphs_said_before_after_dropped_repeats_close_them() {
        // Four paragraphs, one of new content dropped already (as a copy), then a short
        // one every term of which was said before.
        let found = |closing: Vec<Term>, repeat_dropped: bool| {
            let mut article = sources(4);
            article.push(vec![60, 61, 62, 63, 64, 65]);
            article.push(closing);
            let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
            let mut dropped = vec![false; sets.len()];
            dropped[4] = repeat_dropped;
            find_among(&sets, &vec![true; sets.len()], &dropped, |_| 1.0).found
        };
        // It points at the paragraph on the page holding most of it (not the dropped one).
        assert_eq!(found(vec![11, 12, 20], true), [(5, 1, 1.0)]);
        // After a paragraph on the page that is no recap, a short closing line is the
        // article's own.
        assert!(found(vec![11, 12, 20], false).is_empty());
        // One bringing a term of its own is not said before.
        assert!(found(vec![11, 12, 50], true).is_empty());
        // One said only by the dropped paragraph has no source on the page.
        assert!(found(vec![60, 61, 62], true).is_empty());
        // A paragraph dropped before the one that ends the walk (no recap: a quote) is not
        // among those passed over.
        let mut article = sources(4);
        article.extend([
            vec![60, 61, 62, 63, 64, 65],
            vec![70, 71, 72, 73, 74, 75],
            vec![11, 20, 21],
        ]);
        let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
        let mut dropped = vec![false; sets.len()];
        dropped[4] = true;
        let mut candidate = vec![true; sets.len()];
        candidate[5] = false;
        assert!(find_among(&sets, &candidate, &dropped, |_| 1.0)
            .found
            .is_empty());
        dropped[5] = true;
        // Its source: the third paragraph holds two of its terms, the second one.
        assert_eq!(
            find_among(&sets, &candidate, &dropped, |_| 1.0).found,
            [(6, 2, 1.0)]
        );
    }

    /// `n` paragraphs of five terms each, none shared: sources for a recap.
    fn sources(n: u32) -> Vec<Vec<Term>> {
        (0..n)
            .map(|p| (0..5).map(|k| 10 * p + k).collect())
            .collect()
    }

    /// Short paragraphs said before, at the very end, are passed over up to
    /// [`MAX_SHORT`] of them: the recap before them is still found, and it is counted
    /// apart from the long paragraphs' room.
    #[test]
    fn short_paragraphs_said_before_at_the_end_leave_the_recap_before_them() {
        let with_short = |k: usize| {
            let mut article = sources(4);
            article.push(vec![0, 1, 10, 11, 20, 21, 30, 31]);
            article.extend(std::iter::repeat_n(vec![0, 1], k));
            find_in(&article)
        };
        let found = with_short(MAX_SHORT);
        assert!(found.iter().any(|f| f.0 == 4), "{found:?}");
        assert!(with_short(MAX_SHORT + 1).is_empty());
    }

    /// After a recap opens, a short paragraph whose terms were all said before is one of
    /// its sentences (coverage 1); one with no terms at all says nothing and is not.
    #[test]
    fn a_short_paragraph_said_before_is_part_of_a_recap_and_one_without_terms_is_not() {
        let mut article = sources(4);
        article.push(vec![0, 1, 10, 11, 20, 21, 30, 31]);
        // Mostly from one paragraph, and not wholly: only being short and said before
        // makes it part of the recap.
        article.push(vec![0, 1, 2, 12]);
        let found = find_in(&article);
        let paragraphs: Vec<usize> = found.iter().map(|f| f.0).collect();
        assert_eq!(paragraphs, [4, 5], "{found:?}");
        assert_eq!(found[1].2, 1.0);
        article.push(Vec::new());
        let paragraphs: Vec<usize> = find_in(&article).iter().map(|f| f.0).collect();
        assert_eq!(paragraphs, [4, 5]);
    }

    /// After a recap, a paragraph whose terms were all said before but mostly by one
    /// paragraph (not wholly, nor by two) restates that paragraph, not the article: not
    /// part of it.
    #[test]
    fn a_wholly_covered_paragraph_from_mostly_one_source_is_not_part_of_a_recap() {
        let mut article = sources(4);
        article.push(vec![0, 1, 10, 11, 20, 21, 30, 31]);
        article.push(vec![0, 1, 2, 3, 4, 10, 20]);
        let found = find_in(&article);
        let paragraphs: Vec<usize> = found.iter().map(|f| f.0).collect();
        assert_eq!(paragraphs, [4], "{found:?}");
    }

    #[test]
    fn articles_of_more_than_200_paragraphs_have_no_recap() {
        let with_recap = |n: u32| {
            let mut article = sources(n - 1);
            article.push(vec![0, 1, 10, 11, 20, 21, 30, 31]);
            find_in(&article)
        };
        assert_eq!(with_recap(200).len(), 1);
        assert!(with_recap(201).is_empty());
    }

    #[test]
    fn the_block_ends_the_article() {
        // A recap followed by a paragraph that cannot be one (too few terms and one of
        // them new, or not a candidate): no block at the end, no recap.
        let mut article = sources(4);
        article.push(vec![0, 1, 10, 11, 20, 21, 30, 31]);
        article.push(vec![2, 3, 12, 13, 99]);
        assert!(find_in(&article).is_empty());
        article.pop();
        article.push(vec![2, 3, 12, 13, 22, 23]);
        let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
        let mut candidate = vec![true; sets.len()];
        assert_eq!(find(&sets, &candidate, |_| 1.0).found.len(), 2);
        candidate[5] = false;
        assert!(find(&sets, &candidate, |_| 1.0).found.is_empty());
    }

    #[test]
    fn recap_paragraphs_sharing_terms_are_each_covered() {
        // Two recap paragraphs with terms in common, each wholly said before.
        let mut article = sources(4);
        article.push(vec![0, 1, 10, 11, 20, 21, 30]);
        article.push(vec![0, 1, 10, 11, 22, 23, 31]);
        let found = find_in(&article);
        // The second's best source is the first.
        assert_eq!(found, [(4, 0, 1.0), (5, 4, 1.0)]);
    }

    #[test]
    fn the_best_source_is_the_earliest_of_equal_ones() {
        // Two terms from each of paragraphs 1 and 2, and one from 0 and 3: 1 wins the tie.
        let mut article = sources(4);
        article.push(vec![0, 10, 11, 20, 21, 30]);
        assert_eq!(find_in(&article), [(4, 1, 1.0)]);
    }

    #[test]
    fn new_content_before_the_recap_ends_the_block() {
        // A paragraph of the article wholly said before (3), new content (4), the recap
        // (5): the block is the recap alone.
        let mut article = sources(3);
        article.push(vec![0, 1, 10, 11, 20, 21]);
        article.push(vec![0, 60, 61, 62, 63, 64]);
        article.push(vec![2, 3, 12, 13, 22, 23]);
        let found: Vec<usize> = find_in(&article).iter().map(|f| f.0).collect();
        assert_eq!(found, [5]);
    }

    #[test]
    fn the_margin_is_the_closest_coverage_to_a_threshold() {
        // The recap (coverage 1) and before it a paragraph of coverage 1/2.
        let mut article = sources(3);
        article.push(vec![0, 1, 10, 60, 61, 62]);
        article.push(vec![2, 3, 12, 13, 22, 23]);
        let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
        let recaps = find(&sets, &[true; 5], |_| 1.0);
        assert_eq!(recaps.found, [(4, 0, 1.0)]);
        let margin = [1.0 - LOW, 1.0 - THRESHOLD, LOW - 0.5]
            .into_iter()
            .fold(f64::INFINITY, f64::min);
        assert!((recaps.margin - margin).abs() < 1e-12, "{}", recaps.margin);
        // The recap's six terms, each in two of the five paragraphs, weighed as the pairs
        // weigh them, over the most that weight grows per unit of corpus weight.
        let in_article = 6.0 * (1.0 + 5.0f64 / 2.0).ln() / 6.0f64.ln();
        assert!(
            (recaps.min_mass - in_article).abs() < 1e-12,
            "{}",
            recaps.min_mass
        );
    }
    #[test]
    fn the_margin_counts_the_distance_from_the_opening_threshold() {
        // The recap has five of its six terms from before (coverage 5/6, near THRESHOLD),
        // after a paragraph of coverage 1/6.
        let mut article = sources(3);
        article.push(vec![0, 60, 61, 62, 63, 64]);
        article.push(vec![2, 3, 12, 13, 22, 70]);
        let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
        let recaps = find(&sets, &[true; 5], |_| 1.0);
        assert_eq!(recaps.found.len(), 1);
        let margin = 5.0 / 6.0 - THRESHOLD;
        assert!((recaps.margin - margin).abs() < 1e-12, "{}", recaps.margin);
    }

    #[test]
    fn a_paragraph_of_coverage_exactly_low_stays_in_the_block() {
        // Y (coverage 1), X (coverage exactly 29/50 = LOW by weight), the recap R: the
        // block reaches back to Y, which opens it.
        let mut article = sources(3);
        article.push(vec![1, 2, 11, 12, 21, 22]);
        article.push(vec![0, 10, 90, 91, 92, 93]);
        article.push(vec![3, 4, 13, 14, 23, 24]);
        let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
        let weight = |t: Term| match t {
            0 | 10 => 14.5,
            90..=93 => 5.25,
            _ => 1.0,
        };
        let found = find(&sets, &[true; 6], weight).found;
        let coverage: Vec<(usize, f64)> = found.iter().map(|f| (f.0, f.2)).collect();
        assert_eq!(coverage, [(3, 1.0), (4, LOW), (5, 1.0)]);
    }

    /// Six word terms (even: odd ids are numbers, see [`is_number`]) from `base` on.
    fn words(base: Term) -> Vec<Term> {
        (0..6).map(|k| base + 2 * k).collect()
    }

    /// Six paragraphs of their own words, then `appended`.
    fn article_then(appended: &[Vec<Term>]) -> Vec<(usize, usize, f64)> {
        let mut article: Vec<Vec<Term>> = (0..6).map(|i| words(100 * i)).collect();
        article.extend_from_slice(appended);
        find_in(&article)
    }

    #[test]
    fn a_summary_a_sentence_a_paragraph_in_the_article_s_order_is_a_recap() {
        // Each appended paragraph restates one paragraph alone (no spread), but together
        // they go through the article from its opening on.
        let found = article_then(&[words(0), words(200), words(400)]);
        let recap: Vec<(usize, usize)> = found.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(recap, [(6, 0), (7, 2), (8, 4)]);
    }

    #[test]
    fn sentences_restating_paragraphs_out_of_order_are_left_to_the_pairs() {
        assert!(article_then(&[words(400), words(200), words(0)]).is_empty());
        assert!(article_then(&[words(0), words(0)]).is_empty());
    }

    #[test]
    fn sentences_restating_only_the_article_s_end_are_not_a_recap() {
        // The first source must be in the article's opening third: paragraph 0 or 1 of 6.
        assert!(article_then(&[words(200), words(400)]).is_empty());
        let found = article_then(&[words(100), words(400)]);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [6, 7]);
    }

    #[test]
    fn a_sentence_with_a_new_figure_is_not_a_recap_sentence() {
        // The second row repeats the words of paragraph 2 with a number (odd id) of its
        // own: a row of a list, not a summary; the first alone is not a summary either.
        let mut row = words(200);
        row[5] = 901;
        assert!(article_then(&[words(0), row.clone()]).is_empty());
        // With a third sentence, the two without new figures make the summary.
        let found = article_then(&[words(0), row, words(400)]);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [6, 8]);
    }

    #[test]
    fn two_sentences_of_the_block_must_reach_the_threshold() {
        // The second restates paragraph 2 at coverage 4/6, above LOW, under THRESHOLD.
        let mut weak = words(200);
        weak[4] = 950;
        weak[5] = 952;
        assert!(article_then(&[words(0), weak.clone()]).is_empty());
        let found = article_then(&[words(0), weak, words(400)]);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [6, 7, 8]);
    }

    #[test]
    fn figures_the_article_gave_before_are_not_new() {
        // The first sentence repeats paragraph 0 with its number (odd id): a summary.
        let mut article: Vec<Vec<Term>> = (0..6).map(|i| words(100 * i)).collect();
        article[0][5] = 11;
        article.extend([article[0].clone(), words(200)]);
        let found = find_in(&article);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [6, 7]);
    }

    #[test]
    fn a_short_paragraph_said_before_neither_ends_the_block_nor_opens_it() {
        // The recap, then a short closing line all of whose terms were said: the recap
        // and the line inside it are found.
        let mut article = sources(4);
        article.push(vec![0, 1, 10, 11, 20, 21, 30, 31]);
        article.push(vec![2, 3, 12, 13, 22]);
        let found: Vec<usize> = find_in(&article).iter().map(|f| f.0).collect();
        assert_eq!(found, [4, 5]);
        // Alone, the short line is no recap.
        article.remove(4);
        assert!(find_in(&article).is_empty());
    }

    #[test]
    fn a_short_paragraph_before_the_recap_is_not_part_of_it() {
        // Short, said before, but before the paragraph that opens the recap.
        let mut article = sources(4);
        article.push(vec![2, 3, 12, 13, 22]);
        article.push(vec![0, 1, 10, 11, 20, 21, 30, 31]);
        let found: Vec<usize> = find_in(&article).iter().map(|f| f.0).collect();
        assert_eq!(found, [5]);
    }

    #[test]
    fn paragraphs_dropped_already_are_sources_but_not_part_of_the_block() {
        // Paragraph 5, after the recap, is dropped already (a copy of another page's,
        // say): it does not end the block.
        let mut article = sources(4);
        article.push(vec![0, 1, 10, 11, 20, 21, 30, 31]);
        article.push(vec![50, 51, 52, 53, 54, 55]);
        let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
        let candidate = vec![true; sets.len()];
        let dropped = [false, false, false, false, false, true];
        let found = find_among(&sets, &candidate, &dropped, |_| 1.0).found;
        assert_eq!(found, [(4, 0, 1.0)]);
        // Were the last one on the page, its new terms would end the block.
        assert!(find(&sets, &candidate, |_| 1.0).found.is_empty());
    }

    #[test]
    fn a_recap_points_at_a_paragraph_still_on_the_page() {
        // Paragraph 1 holds most of the recap's terms but is dropped already: the recap
        // points at paragraph 2, the best of those left; with none left sharing a term,
        // it is not reported.
        let mut article = sources(4);
        article.push(vec![10, 11, 12, 20, 21, 0, 30]);
        let sets: Vec<&[Term]> = article.iter().map(Vec::as_slice).collect();
        let candidate = vec![true; sets.len()];
        let found = |dropped: &[bool]| find_among(&sets, &candidate, dropped, |_| 1.0).found;
        assert_eq!(found(&[false; 5]), [(4, 1, 1.0)]);
        assert_eq!(found(&[false, true, false, false, false]), [(4, 2, 1.0)]);
        assert!(found(&[true, true, true, true, false]).is_empty());
    }

    #[test]
    fn summary_sentences_may_take_two_from_one_paragraph() {
        // Sentences from paragraphs 0, 0 and 2: in the article's order, going on.
        let found = article_then(&[words(0), words(0), words(200)]);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [6, 7, 8]);
        // All from one paragraph they do not go through the article.
        assert!(article_then(&[words(0), words(0)]).is_empty());
    }

    #[test]
    fn inside_a_recap_a_paragraph_wholly_in_one_earlier_one_is_part_of_it() {
        // Paragraph 7 is wholly in paragraph 0 (a sentence of it) and comes after the
        // recap's opening, 6, which draws on three paragraphs.
        let mut article: Vec<Vec<Term>> = (0..6).map(|i| words(100 * i)).collect();
        article[0].extend([1000, 1002, 1004, 1006]);
        article[0].sort_unstable();
        let opening = vec![100, 102, 104, 200, 202, 204, 300, 302, 304];
        let sentence = vec![0, 1000, 1002, 1004, 1006, 2];
        article.extend([opening.clone(), sentence.clone()]);
        let found: Vec<usize> = find_in(&article).iter().map(|f| f.0).collect();
        assert_eq!(found, [6, 7]);
        // Alone at the end, it opens nothing (it restates paragraph 0 only).
        article.remove(6);
        assert!(find_in(&article).is_empty());
    }
}
