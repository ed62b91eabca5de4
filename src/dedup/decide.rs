//! Decisions: the first copy is kept, later copies are dropped and point at it.

use super::{Evidence, Kind, Pair, ParaRef, Paragraphs};

/// What happens to one paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Kept in the cleaned article.
    Keep,
    /// Kept, and it is the article's title (never part of a summary).
    Title,
    /// Removed from the cleaned article.
    Drop {
        /// Why.
        reason: Kind,
        /// The kept paragraph it repeats (none for boilerplate).
        duplicate_of: Option<ParaRef>,
        /// Score of the pair that decided it (1 for exact; 0 for boilerplate).
        score: f64,
        /// What the deciding pair rests on, when it is restated.
        evidence: Evidence,
    },
}

impl Decision {
    /// Whether the paragraph stays in the cleaned article.
    pub fn is_kept(&self) -> bool {
        matches!(self, Decision::Keep | Decision::Title)
    }
}

/// Decides every paragraph in input order.
///
/// `pairs` must be sorted by their later paragraph. A paragraph repeating an earlier one
/// is dropped and points at that one's kept original, so chains of copies all point at
/// the first. Among several earlier matches the strongest kind wins (exact, then near,
/// then restated), then the highest score, then the earliest paragraph.
pub fn decide(paragraphs: &Paragraphs, boilerplate: &[bool], pairs: &[Pair]) -> Vec<Vec<Decision>> {
    let mut flat: Vec<Decision> = Vec::with_capacity(paragraphs.len());
    let mut next_pair = 0;
    for (g, &is_boilerplate) in boilerplate.iter().enumerate() {
        let me = paragraphs.at(g);
        let start = next_pair;
        while next_pair < pairs.len() && pairs[next_pair].later == me {
            next_pair += 1;
        }
        let decision = if paragraphs.is_title(g) {
            Decision::Title
        } else if is_boilerplate {
            Decision::Drop {
                reason: Kind::Boilerplate,
                duplicate_of: None,
                score: 0.0,
                evidence: Evidence::None,
            }
        } else {
            pairs[start..next_pair]
                .iter()
                .min_by(|a, b| {
                    (a.kind, b.score, a.earlier)
                        .partial_cmp(&(b.kind, a.score, b.earlier))
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
                .map(|pair| Decision::Drop {
                    reason: pair.kind,
                    duplicate_of: Some(original(&flat, paragraphs, pair.earlier)),
                    score: pair.score,
                    evidence: pair.evidence,
                })
                .unwrap_or(Decision::Keep)
        };
        flat.push(decision);
    }

    let mut decisions = Vec::with_capacity(paragraphs.doc_count());
    for doc in 0..paragraphs.doc_count() {
        decisions.push(flat[paragraphs.of_doc(doc)].to_vec());
    }
    decisions
}

/// The kept paragraph behind `earlier`: itself if kept, else the one it was dropped for.
fn original(flat: &[Decision], paragraphs: &Paragraphs, earlier: ParaRef) -> ParaRef {
    match flat[paragraphs.global(earlier)] {
        Decision::Drop {
            duplicate_of: Some(original),
            ..
        } => original,
        _ => earlier,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::tests::{at, pair};
    use crate::dedup::{DedupConfig, DocPrint};

    /// Fingerprints of documents with `sizes[d]` paragraphs each; the first paragraph of a
    /// document is its title when `titled`.
    fn prints(sizes: &[usize], titled: bool) -> Vec<DocPrint> {
        sizes
            .iter()
            .map(|&n| {
                let texts: Vec<String> =
                    (0..n).map(|p| format!("kata nomor {p} di sini.")).collect();
                let text = texts.join("\n\n");
                let mut spans = Vec::new();
                let mut start = 0;
                for (p, t) in texts.iter().enumerate() {
                    spans.push((start..start + t.len(), titled && p == 0));
                    start += t.len() + 2;
                }
                DocPrint::new(
                    &text,
                    spans,
                    crate::text::Lang::Indonesian,
                    &DedupConfig::default(),
                )
            })
            .collect()
    }

    /// The reason, pointer and score of a dropped paragraph.
    fn dropped(d: Decision) -> (Kind, Option<ParaRef>, f64) {
        match d {
            Decision::Drop {
                reason,
                duplicate_of,
                score,
                ..
            } => (reason, duplicate_of, score),
            other => panic!("kept: {other:?}"),
        }
    }

    #[test]
    fn the_strongest_kind_wins_over_a_higher_score() {
        let prints = prints(&[3, 1], false);
        let paragraphs = Paragraphs::new(&prints);
        let later = at(1, 0);
        // Listed weakest kind first, with the higher score: the exact copy still wins.
        let pairs = [
            pair(at(0, 2), later, Kind::Restated, 0.99),
            pair(at(0, 1), later, Kind::Near, 0.9459),
            pair(at(0, 0), later, Kind::Exact, 0.5),
        ];
        let decisions = decide(&paragraphs, &[false; 4], &pairs);
        assert_eq!(dropped(decisions[1][0]), (Kind::Exact, Some(at(0, 0)), 0.5));
    }

    #[test]
    fn the_highest_score_of_a_kind_wins_and_ties_go_to_the_earliest() {
        let prints = prints(&[3, 1, 1], false);
        let paragraphs = Paragraphs::new(&prints);
        let pairs = [
            pair(at(0, 0), at(1, 0), Kind::Near, 0.85),
            pair(at(0, 1), at(1, 0), Kind::Near, 0.95),
            pair(at(0, 2), at(1, 0), Kind::Near, 0.9),
            pair(at(0, 0), at(2, 0), Kind::Near, 0.9),
            pair(at(0, 1), at(2, 0), Kind::Near, 0.9),
        ];
        let decisions = decide(&paragraphs, &[false; 5], &pairs);
        assert_eq!(dropped(decisions[1][0]), (Kind::Near, Some(at(0, 1)), 0.95));
        assert_eq!(dropped(decisions[2][0]), (Kind::Near, Some(at(0, 0)), 0.9));
    }

    #[test]
    fn a_chain_of_copies_points_at_the_kept_original() {
        // (2,0) copies (1,0), which copies (0,0): both point at (0,0), which is kept.
        let prints = prints(&[1, 1, 1], false);
        let paragraphs = Paragraphs::new(&prints);
        let pairs = [
            pair(at(0, 0), at(1, 0), Kind::Near, 0.9),
            pair(at(1, 0), at(2, 0), Kind::Near, 0.85),
        ];
        let decisions = decide(&paragraphs, &[false; 3], &pairs);
        assert_eq!(decisions[0], [Decision::Keep]);
        assert_eq!(dropped(decisions[1][0]), (Kind::Near, Some(at(0, 0)), 0.9));
        assert_eq!(dropped(decisions[2][0]), (Kind::Near, Some(at(0, 0)), 0.85));
    }

    #[test]
    fn titles_stay_boilerplate_has_no_pointer_and_the_rest_is_kept() {
        let prints = prints(&[2, 3], true);
        let paragraphs = Paragraphs::new(&prints);
        // A title with a pair stays a title; boilerplate is dropped whatever its pairs.
        let pairs = [
            pair(at(0, 0), at(1, 0), Kind::Exact, 1.0),
            pair(at(0, 1), at(1, 1), Kind::Exact, 1.0),
        ];
        let boilerplate = [false, false, false, true, false];
        let decisions = decide(&paragraphs, &boilerplate, &pairs);
        assert_eq!(decisions[0], [Decision::Title, Decision::Keep]);
        assert_eq!(decisions[1][0], Decision::Title);
        assert_eq!(dropped(decisions[1][1]), (Kind::Boilerplate, None, 0.0));
        assert_eq!(decisions[1][2], Decision::Keep);
        assert!(decisions[1][2].is_kept() && decisions[1][0].is_kept());
        assert!(!decisions[1][1].is_kept());
    }
}
