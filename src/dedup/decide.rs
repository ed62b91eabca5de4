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
