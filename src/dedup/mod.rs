//! Finding repeated paragraphs and deciding, for each one, keep or drop.
//!
//! Four kinds of repeat are found, each by its own module:
//! [`boilerplate`] (site furniture: labels, bylines, lines on many pages),
//! [`exact`] (same text after normalisation), [`near`] (shingle Jaccard or containment
//! over a threshold, found exactly by a set-similarity [`join`]) and [`restated`] (an article saying a passage twice in other
//! words, or closing with a [`recap`] of itself). [`decide`] then keeps the first copy and drops the later ones, pointing at it.

pub mod boilerplate;
pub mod copied;
pub mod decide;
pub mod exact;
pub mod join;
pub mod near;
pub mod print;
pub mod recap;
pub mod restated;
pub mod shingle;
pub mod short;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::error::{Error, Result};
pub use decide::Decision;
pub use join::Measure;
pub use print::{DocPrint, ParaPrint};
pub use shingle::ShingleKind;

/// Settings of duplicate detection.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupConfig {
    /// Shingles for near-duplicate detection: word or character n-grams.
    pub shingle: ShingleKind,
    /// n of the shingle n-grams.
    pub shingle_size: usize,
    /// Jaccard similarity of shingle sets at or above which two paragraphs are near copies.
    pub near_threshold: f64,
    /// Normalised Levenshtein similarity at or above which two paragraphs too short for
    /// shingles (fewer words than the shingle size) are near copies (see [`short`]).
    pub short_threshold: f64,
    /// What the near threshold bounds: Jaccard, or containment of the smaller shingle set
    /// in the larger (which adds `contained` pairs).
    pub measure: Measure,
    /// Score at or above which a paragraph restates an earlier one of its article.
    pub restated_threshold: f64,
    /// A short line found in at least this many documents is boilerplate.
    pub boilerplate_min_docs: usize,
    /// The searches to run besides the one for exact copies, which always runs.
    pub searches: Searches,
    /// Leave each article's dateline ("Liputan6.com, Jakarta - ") out of its cleaned text
    /// (recorded in `paragraphs.csv`); summaries never quote it either way.
    pub cut_datelines: bool,
}

/// Which searches run besides the one for exact copies. A search that is off costs
/// nothing: its part of the fingerprints is not computed either (terms, and with them the
/// language, only for restated passages; shingles only for near copies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Searches {
    /// Near copies across the corpus.
    pub near: bool,
    /// Site boilerplate.
    pub boilerplate: bool,
    /// Passages an article restates.
    pub restated: bool,
}

impl Default for Searches {
    fn default() -> Self {
        Searches {
            near: true,
            boilerplate: true,
            restated: true,
        }
    }
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            shingle: ShingleKind::Word,
            shingle_size: 5,
            near_threshold: 0.8,
            short_threshold: short::DEFAULT_THRESHOLD,
            measure: Measure::Jaccard,
            restated_threshold: restated::DEFAULT_THRESHOLD,
            boilerplate_min_docs: 3,
            searches: Searches::default(),
            cut_datelines: false,
        }
    }
}

impl DedupConfig {
    /// Checks that every setting is in range.
    pub fn validate(&self) -> Result<()> {
        let unit = |name: &str, v: f64| {
            if (0.0..=1.0).contains(&v) && v > 0.0 {
                Ok(())
            } else {
                Err(Error::Config(format!("{name} must be in (0, 1], got {v}")))
            }
        };
        unit("the near-duplicate threshold", self.near_threshold)?;
        unit("the restated threshold", self.restated_threshold)?;
        unit("the short-paragraph threshold", self.short_threshold)?;
        if self.shingle_size == 0 {
            return Err(Error::Config("the shingle size must be at least 1".into()));
        }
        if self.boilerplate_min_docs < 2 {
            return Err(Error::Config(
                "boilerplate needs at least 2 documents to repeat across".into(),
            ));
        }
        Ok(())
    }
}

/// A paragraph, by 0-based document and paragraph index; ordered as in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParaRef {
    /// Document index in input order.
    pub doc: u32,
    /// Paragraph index within the document.
    pub para: u32,
}

/// Why a paragraph is dropped (or, for pairs, how two paragraphs are related).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Same text after normalisation.
    Exact,
    /// Shingle Jaccard at or above the near threshold, or, for paragraphs too short for
    /// shingles, normalised Levenshtein similarity at or above the short threshold.
    Near,
    /// The smaller shingle set mostly inside the larger (containment at or above the near
    /// threshold, Jaccard below it); only with the containment measure.
    Contained,
    /// The same passage said again in other words, within one article.
    Restated,
    /// Site furniture: labels, bylines, lines on many pages.
    Boilerplate,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 5] = [
        Kind::Exact,
        Kind::Near,
        Kind::Contained,
        Kind::Restated,
        Kind::Boilerplate,
    ];

    /// The kind named `name` in the outputs.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Name used in the outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Exact => "exact",
            Kind::Near => "near",
            Kind::Contained => "contained",
            Kind::Restated => "restated",
            Kind::Boilerplate => "boilerplate",
        }
    }
}

/// What a restated pair rests on (see `duplicates.csv`'s `evidence` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Evidence {
    /// Not a restated pair.
    #[default]
    None,
    /// A pair strong enough on its own.
    Pair,
    /// A passage: neighbouring pairs that line up (a restated passage keeps its order).
    Passage,
    /// A recap: the paragraph restates the article as a whole; its score is the coverage.
    Recap,
    /// A block: the later part of the page restates the earlier part as a whole, in any
    /// order (a second write-up of the same event).
    Block,
    /// Every sentence of the paragraph was said before in the article, word for word.
    Sentences,
    /// The paragraph's terms are nearly all in one earlier paragraph: a sentence of it,
    /// shortened or respaced; its score is that share of its term weight.
    Excerpt,
}

impl Evidence {
    /// Every kind of evidence.
    pub const ALL: [Evidence; 7] = [
        Evidence::None,
        Evidence::Pair,
        Evidence::Passage,
        Evidence::Recap,
        Evidence::Block,
        Evidence::Sentences,
        Evidence::Excerpt,
    ];

    /// The evidence named `name` in the outputs.
    pub fn from_name(name: &str) -> Option<Evidence> {
        Evidence::ALL.into_iter().find(|e| e.as_str() == name)
    }

    /// Name used in the outputs (empty for pairs that are not restated).
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::None => "",
            Evidence::Pair => "pair",
            Evidence::Passage => "passage",
            Evidence::Recap => "recap",
            Evidence::Block => "block",
            Evidence::Sentences => "sentences",
            Evidence::Excerpt => "excerpt",
        }
    }
}

/// A verified pair: `later` repeats `earlier` (earlier in input order).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// The earlier paragraph.
    pub earlier: ParaRef,
    /// The later paragraph.
    pub later: ParaRef,
    /// How they are related.
    pub kind: Kind,
    /// Similarity in [0, 1] (1 for exact copies).
    pub score: f64,
    /// For restated pairs, what they rest on.
    pub evidence: Evidence,
}

/// What duplicate detection found: a decision per paragraph and every verified pair.
#[derive(Debug, Clone)]
pub struct DedupResult {
    /// Per document, per paragraph.
    pub decisions: Vec<Vec<Decision>>,
    /// Every verified pair, ordered by later paragraph, then kind, then earlier paragraph.
    pub pairs: Vec<Pair>,
    /// Documents (by index) so long that restated pairs were only scored among candidates
    /// (more than [`restated::ALL_PAIRS_LIMIT`] eligible paragraphs).
    pub candidate_docs: Vec<u32>,
    /// Documents (by index, ascending) with a paragraph in a group of more than
    /// [`join::MAX_GROUP`] similar ones, compared only with the group's leaders (at most
    /// [`join::MAX_LEADERS`]): near pairs between two other members were not verified.
    pub near_limited_docs: Vec<u32>,
    /// Bytes of the cleaned texts, as `clean.jsonl` holds them (see [`clean_len`]).
    pub clean_bytes: usize,
}

/// Bytes of a cleaned text whose kept paragraphs are `kept_lens` bytes long: they are
/// joined by blank lines.
pub fn clean_len(kept_lens: impl IntoIterator<Item = usize>) -> usize {
    let (bytes, kept) = kept_lens
        .into_iter()
        .fold((0, 0usize), |(bytes, kept), len| (bytes + len, kept + 1));
    bytes + "\n\n".len() * kept.saturating_sub(1)
}

impl DedupResult {
    /// One pair per paragraph dropped as a repeat: the kept original and the dropped copy.
    pub fn drop_pointers(&self) -> Vec<Pair> {
        let mut out = Vec::new();
        for (doc, decisions) in self.decisions.iter().enumerate() {
            for (para, decision) in decisions.iter().enumerate() {
                if let Decision::Drop {
                    reason,
                    duplicate_of: Some(original),
                    score,
                    evidence,
                } = *decision
                {
                    out.push(Pair {
                        earlier: original,
                        later: ParaRef {
                            doc: doc as u32,
                            para: para as u32,
                        },
                        kind: reason,
                        score,
                        evidence,
                    });
                }
            }
        }
        out
    }
}

/// Finds every kind of repeat and decides keep or drop for every paragraph of the
/// fingerprinted documents (see [`DocPrint::new`]).
pub fn find_duplicates(mut prints: Vec<DocPrint>, config: &DedupConfig) -> DedupResult {
    let paragraphs = Paragraphs::new(&prints);
    let boilerplate = if config.searches.boilerplate {
        boilerplate::detect(&paragraphs, config.boilerplate_min_docs)
    } else {
        vec![false; paragraphs.len()]
    };
    let eligible: Vec<bool> = (0..paragraphs.len())
        .map(|g| !boilerplate[g] && !paragraphs.is_title(g))
        .collect();

    let exact = exact::find(&paragraphs, &eligible);
    let repeated_boilerplate = exact::find(&paragraphs, &boilerplate);
    // `pairs` decide drops; `reported` are only listed (with `--all-pairs`).
    let mut pairs = exact.pairs.clone();
    // Copies of the same boilerplate line are reported too (boilerplate is dropped
    // everywhere anyway), so `--all-pairs` lists every repeat.
    let mut reported: Vec<Pair> = repeated_boilerplate
        .pairs
        .iter()
        .map(|p| Pair {
            kind: Kind::Boilerplate,
            ..*p
        })
        .collect();
    // Boilerplate lines take part in the near search too, so that a variant of a footer
    // is listed beside it; a pair with boilerplate in it decides nothing.
    let representatives: Vec<bool> = (0..paragraphs.len())
        .map(|g| exact.representatives[g] || repeated_boilerplate.representatives[g])
        .collect();
    // Eligible and boilerplate paragraphs are apart: the two maps share no key.
    let mut copies = exact.copies;
    copies.extend(repeated_boilerplate.copies);
    let mut near = if config.searches.near {
        near::find(&paragraphs, &representatives, config)
    } else {
        near::Found::default()
    };
    if config.searches.near {
        // Paragraphs too short for shingles, compared by their texts; their pairs go the
        // same way as shingle pairs.
        near.pairs.extend(short::find(
            &paragraphs,
            &representatives,
            config.short_threshold,
        ));
    }
    let mut near_limited_docs: Vec<u32> = near.limited.iter().map(|p| p.doc).collect();
    near_limited_docs.dedup();
    for (pair, decides) in with_copies(&paragraphs, &near.pairs, &copies) {
        let touches_boilerplate = boilerplate[paragraphs.global(pair.earlier)]
            || boilerplate[paragraphs.global(pair.later)];
        if decides && !touches_boilerplate {
            pairs.push(pair);
        } else {
            reported.push(pair);
        }
    }
    // The shingles are done with: free them before the restated search.
    drop(paragraphs);
    for print in &mut prints {
        print.drop_shingles();
    }
    let paragraphs = Paragraphs::new(&prints);
    // Restatements are looked for among what the other stages keep, so that cleaning the
    // cleaned corpus again sees the same paragraphs and finds nothing more.
    let mut present: Vec<bool> = boilerplate.iter().map(|&b| !b).collect();
    for pair in &pairs {
        present[paragraphs.global(pair.later)] = false;
    }
    let (restated, candidate_docs) = if config.searches.restated {
        // Paragraphs pieced together from sentences said before (an extractive summary
        // appended to the page) first: they need no weights.
        let copied = copied::find(&paragraphs, &present);
        for pair in &copied {
            present[paragraphs.global(pair.later)] = false;
        }
        pairs.extend(copied);
        // What the article says: all but its furniture.
        let said: Vec<bool> = boilerplate.iter().map(|&b| !b).collect();
        restated::find(&paragraphs, &present, &said, config.restated_threshold)
    } else {
        (Vec::new(), Vec::new())
    };
    pairs.extend(restated);
    sort_pairs(&mut pairs);
    let decisions = decide::decide(&paragraphs, &boilerplate, &pairs);
    let clean_bytes = prints
        .iter()
        .zip(&decisions)
        .map(|(print, decisions)| {
            clean_len(
                print
                    .paragraphs
                    .iter()
                    .zip(decisions)
                    .filter(|(_, decision)| decision.is_kept())
                    .map(|(p, _)| p.len as usize),
            )
        })
        .sum();
    pairs.extend(reported);
    sort_pairs(&mut pairs);
    DedupResult {
        decisions,
        pairs,
        candidate_docs,
        near_limited_docs,
        clean_bytes,
    }
}

/// Orders pairs by later paragraph, kind and earlier paragraph, keeping the best score of
/// any pair listed twice.
fn sort_pairs(pairs: &mut Vec<Pair>) {
    pairs.par_sort_by(|a, b| {
        (a.later, a.kind, a.earlier)
            .cmp(&(b.later, b.kind, b.earlier))
            .then(b.score.total_cmp(&a.score))
    });
    pairs.dedup_by(|b, a| (a.later, a.kind, a.earlier) == (b.later, b.kind, b.earlier));
}

/// Near pairs between first copies, and the same pairs for the other copies of the two
/// texts (they have the same shingles, so the same score), as long as that stays
/// bounded; each with whether it drops its later paragraph.
fn with_copies(
    paragraphs: &Paragraphs,
    near: &[near::NearPair],
    copies: &FxHashMap<usize, Vec<usize>>,
) -> Vec<(Pair, bool)> {
    let copies_of = |g: usize| copies.get(&g).map_or(&[][..], Vec::as_slice);
    // As many as all pairs of a group of copies may list (see `exact::MAX_GROUP_ALL_PAIRS`).
    const MAX_EXPANSION: usize = exact::MAX_GROUP_ALL_PAIRS * exact::MAX_GROUP_ALL_PAIRS;
    let mut out = Vec::with_capacity(near.len());
    for found in near {
        let pair = found.pair;
        let (a, b) = (
            paragraphs.global(pair.earlier),
            paragraphs.global(pair.later),
        );
        out.push((pair, found.later_inside));
        if (copies_of(a).len() + 1) * (copies_of(b).len() + 1) > MAX_EXPANSION {
            continue;
        }
        for &x in std::iter::once(&a).chain(copies_of(a)) {
            for &y in std::iter::once(&b).chain(copies_of(b)) {
                if (x, y) != (a, b) {
                    let decides = if x < y {
                        found.later_inside
                    } else {
                        found.earlier_inside
                    };
                    let expanded = Pair {
                        earlier: paragraphs.at(x.min(y)),
                        later: paragraphs.at(x.max(y)),
                        ..pair
                    };
                    out.push((expanded, decides));
                }
            }
        }
    }
    out
}

/// All paragraphs of the corpus in input order, addressable by a global index.
pub struct Paragraphs<'a> {
    prints: &'a [DocPrint],
    refs: Vec<ParaRef>,
    /// Global index of each document's first paragraph.
    offsets: Vec<usize>,
}

impl<'a> Paragraphs<'a> {
    /// Indexes the paragraphs of `prints`.
    pub fn new(prints: &'a [DocPrint]) -> Self {
        let mut refs = Vec::new();
        let mut offsets = Vec::with_capacity(prints.len());
        for (doc, print) in prints.iter().enumerate() {
            offsets.push(refs.len());
            refs.extend((0..print.paragraphs.len()).map(|para| ParaRef {
                doc: doc as u32,
                para: para as u32,
            }));
        }
        Paragraphs {
            prints,
            refs,
            offsets,
        }
    }

    /// Number of paragraphs in the corpus.
    pub fn len(&self) -> usize {
        self.refs.len()
    }

    /// Whether the corpus has no paragraphs.
    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }

    /// Number of documents.
    pub fn doc_count(&self) -> usize {
        self.prints.len()
    }

    /// Document and paragraph of global index `g`.
    pub fn at(&self, g: usize) -> ParaRef {
        self.refs[g]
    }

    /// Global index of a paragraph.
    pub fn global(&self, r: ParaRef) -> usize {
        self.offsets[r.doc as usize] + r.para as usize
    }

    /// Global indexes of the paragraphs of document `doc`.
    pub fn of_doc(&self, doc: usize) -> std::ops::Range<usize> {
        let start = self.offsets[doc];
        start..start + self.prints[doc].paragraphs.len()
    }

    /// Fingerprint of paragraph `g`.
    pub fn print(&self, g: usize) -> &'a ParaPrint {
        let r = self.refs[g];
        &self.prints[r.doc as usize].paragraphs[r.para as usize]
    }

    /// Shingles of paragraph `g` (see [`DocPrint::shingles`]).
    pub fn shingles(&self, g: usize) -> &'a [u32] {
        let r = self.refs[g];
        self.prints[r.doc as usize].shingles(r.para as usize)
    }

    /// Content terms of paragraph `g` (see [`DocPrint::terms`]).
    pub fn terms(&self, g: usize) -> &'a [print::Term] {
        let r = self.refs[g];
        self.prints[r.doc as usize].terms(r.para as usize)
    }

    /// Number slots of paragraph `g` (see [`DocPrint::slots`]).
    pub fn slots(&self, g: usize) -> &'a [u64] {
        let r = self.refs[g];
        self.prints[r.doc as usize].slots(r.para as usize)
    }

    /// The paragraph of the same document (its index there) that said most of paragraph
    /// `g`'s sentences among those `present` (by index in the document), when it says
    /// nothing new (see [`DocPrint::said_before`]).
    pub fn said_before(&self, g: usize, present: impl Fn(usize) -> bool) -> Option<usize> {
        let r = self.refs[g];
        self.prints[r.doc as usize].said_before(r.para as usize, present)
    }

    /// Site of the document of paragraph `g` (see [`DocPrint::site`]).
    pub fn site(&self, g: usize) -> u64 {
        self.prints[self.refs[g].doc as usize].site
    }

    /// Site of document `doc`.
    pub fn doc_site(&self, doc: usize) -> u64 {
        self.prints[doc].site
    }

    /// Whether paragraph `g` is its article's title.
    pub fn is_title(&self, g: usize) -> bool {
        self.print(g).is_title
    }

    /// Whether paragraph `g` ends as prose does (see [`print::ends_as_prose`]).
    pub fn is_prose(&self, g: usize) -> bool {
        self.print(g).is_prose
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_accepts_the_ranges_and_refuses_the_rest() {
        assert!(DedupConfig::default().validate().is_ok());
        let with = |f: &dyn Fn(&mut DedupConfig)| {
            let mut c = DedupConfig::default();
            f(&mut c);
            c.validate()
        };
        for v in [1.0, 0.01] {
            assert!(with(&|c| c.near_threshold = v).is_ok());
            assert!(with(&|c| c.restated_threshold = v).is_ok());
            assert!(with(&|c| c.short_threshold = v).is_ok());
        }
        for v in [0.0, -0.1, 1.01, f64::NAN] {
            assert!(with(&|c| c.near_threshold = v).is_err(), "{v}");
            assert!(with(&|c| c.restated_threshold = v).is_err(), "{v}");
            assert!(with(&|c| c.short_threshold = v).is_err(), "{v}");
        }
        assert!(with(&|c| c.shingle_size = 0).is_err());
        assert!(with(&|c| c.shingle_size = 1).is_ok());
        assert!(with(&|c| c.boilerplate_min_docs = 1).is_err());
        assert!(with(&|c| c.boilerplate_min_docs = 0).is_err());
        assert!(with(&|c| c.boilerplate_min_docs = 2).is_ok());
        assert!(with(&|c| c.boilerplate_min_docs = 3).is_ok());
    }

    #[test]
    fn clean_len_joins_the_kept_paragraphs_by_blank_lines() {
        assert_eq!(clean_len([]), 0);
        assert_eq!(clean_len([5]), 5);
        assert_eq!(clean_len([5, 3]), 10);
        assert_eq!(clean_len([5, 3, 1]), 13);
    }

    #[test]
    fn kind_and_evidence_names_are_read_back() {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            ["exact", "near", "contained", "restated", "boilerplate"]
        );
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.as_str()), Some(kind));
        }
        let names: Vec<&str> = Evidence::ALL.iter().map(|e| e.as_str()).collect();
        assert_eq!(
            names,
            [
                "",
                "pair",
                "passage",
                "recap",
                "block",
                "sentences",
                "excerpt"
            ]
        );
        for evidence in Evidence::ALL {
            assert_eq!(Evidence::from_name(evidence.as_str()), Some(evidence));
        }
        assert_eq!(Kind::from_name("recap"), None);
        assert_eq!(Evidence::from_name("exact"), None);
    }

    /// Paragraph `para` of document `doc`.
    pub(super) fn at(doc: u32, para: u32) -> ParaRef {
        ParaRef { doc, para }
    }

    /// A pair without evidence.
    pub(super) fn pair(earlier: ParaRef, later: ParaRef, kind: Kind, score: f64) -> Pair {
        Pair {
            earlier,
            later,
            kind,
            score,
            evidence: Evidence::None,
        }
    }

    #[test]
    fn sort_pairs_orders_by_later_kind_earlier_and_keeps_the_best_score() {
        let mut pairs = vec![
            pair(at(0, 1), at(2, 0), Kind::Near, 0.8),
            pair(at(0, 0), at(2, 0), Kind::Near, 0.9),
            pair(at(0, 0), at(2, 0), Kind::Exact, 1.0),
            pair(at(0, 0), at(1, 0), Kind::Restated, 0.5),
            pair(at(0, 1), at(2, 0), Kind::Near, 0.95),
        ];
        sort_pairs(&mut pairs);
        let got: Vec<(ParaRef, ParaRef, Kind, f64)> = pairs
            .iter()
            .map(|p| (p.later, p.earlier, p.kind, p.score))
            .collect();
        assert_eq!(
            got,
            [
                (at(1, 0), at(0, 0), Kind::Restated, 0.5),
                (at(2, 0), at(0, 0), Kind::Exact, 1.0),
                (at(2, 0), at(0, 0), Kind::Near, 0.9),
                (at(2, 0), at(0, 1), Kind::Near, 0.95),
            ]
        );
    }

    #[test]
    fn drop_pointers_lists_each_dropped_repeat_with_its_original() {
        let drop = |reason, duplicate_of, score| Decision::Drop {
            reason,
            duplicate_of,
            score,
            evidence: Evidence::None,
        };
        let result = DedupResult {
            decisions: vec![
                vec![Decision::Title, Decision::Keep],
                vec![
                    drop(Kind::Boilerplate, None, 0.0),
                    drop(Kind::Near, Some(at(0, 1)), 0.85),
                    Decision::Keep,
                    drop(Kind::Exact, Some(at(0, 1)), 1.0),
                ],
            ],
            pairs: Vec::new(),
            candidate_docs: Vec::new(),
            near_limited_docs: Vec::new(),
            clean_bytes: 0,
        };
        assert_eq!(
            result.drop_pointers(),
            [
                pair(at(0, 1), at(1, 1), Kind::Near, 0.85),
                pair(at(0, 1), at(1, 3), Kind::Exact, 1.0),
            ]
        );
    }
    /// Fingerprints of documents given as their paragraphs.
    fn prints(docs: &[Vec<String>]) -> Vec<DocPrint> {
        docs.iter()
            .map(|paragraphs| {
                let text = paragraphs.join("\n\n");
                let mut spans = Vec::new();
                let mut start = 0;
                for p in paragraphs {
                    spans.push((start..start + p.len(), false));
                    start += p.len() + 2;
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

    /// A made-up word, different for each `n`.
    pub(super) fn word(n: usize) -> String {
        const SYLLABLES: [&str; 12] = [
            "ka", "ri", "mo", "tu", "se", "la", "pe", "di", "na", "go", "bu", "je",
        ];
        let mut w = String::new();
        let mut n = n + 12 * 12;
        while n > 0 {
            w.push_str(SYLLABLES[n % 12]);
            n /= 12;
        }
        w
    }

    /// A sentence of `len` made-up words from word `from` on.
    fn sentence(from: usize, len: usize) -> String {
        let words: Vec<String> = (from..from + len).map(word).collect();
        format!("{}.", words.join(" "))
    }

    /// `text` with its last word replaced.
    fn last_word_changed(text: &str) -> String {
        let (head, _) = text.trim_end_matches('.').rsplit_once(' ').unwrap();
        format!("{head} gantinya.")
    }

    fn decisions_and_pairs(docs: &[Vec<String>], config: &DedupConfig) -> DedupResult {
        find_duplicates(prints(docs), config)
    }

    #[test]
    fn near_pairs_are_listed_for_every_copy_of_either_text() {
        // Doc 0 has text A, doc 1 a near copy B, doc 2 A again, doc 3 B again.
        let a = sentence(0, 20);
        let b = last_word_changed(&a);
        let docs: Vec<Vec<String>> = [&a, &b, &a, &b]
            .iter()
            .map(|t| vec![t.to_string()])
            .collect();
        let result = decisions_and_pairs(&docs, &DedupConfig::default());
        let near: Vec<(u32, u32, f64)> = result
            .pairs
            .iter()
            .filter(|p| p.kind == Kind::Near)
            .map(|p| (p.earlier.doc, p.later.doc, p.score))
            .collect();
        let score = near[0].2;
        assert!((0.8..1.0).contains(&score), "{score}");
        assert_eq!(
            near,
            [(0, 1, score), (1, 2, score), (0, 3, score), (2, 3, score)]
        );
        let pointers: Vec<(u32, Kind)> = result
            .drop_pointers()
            .iter()
            .map(|p| (p.earlier.doc, p.kind))
            .collect();
        assert_eq!(
            pointers,
            [(0, Kind::Near), (0, Kind::Exact), (0, Kind::Exact)]
        );
    }

    #[test]
    fn pairs_of_copies_are_listed_up_to_a_bound_of_256() {
        let a = sentence(0, 20);
        let b = last_word_changed(&a);
        let config = DedupConfig {
            searches: Searches {
                boilerplate: false,
                ..Searches::default()
            },
            ..DedupConfig::default()
        };
        let near_pairs = |copies_of_a: usize, copies_of_b: usize| {
            let docs: Vec<Vec<String>> = std::iter::repeat_n(&a, copies_of_a)
                .chain(std::iter::repeat_n(&b, copies_of_b))
                .map(|t| vec![t.clone()])
                .collect();
            let result = decisions_and_pairs(&docs, &config);
            result.pairs.iter().filter(|p| p.kind == Kind::Near).count()
        };
        // 16 × 16 pairs of copies: on the bound, all listed.
        assert_eq!(near_pairs(16, 16), 256);
        // 16 × 17: over it, the pair of first copies only.
        assert_eq!(near_pairs(16, 17), 1);
    }

    #[test]
    fn a_copy_of_the_part_does_not_drop_a_longer_later_version() {
        // With containment: A, a copy of A, then B, which holds A and says more. B is
        // kept (a later, longer version), also through the pair with A's copy.
        let a = sentence(0, 12);
        let b = format!("{} {}", a, sentence(100, 12));
        let docs = vec![vec![a.clone()], vec![a.clone()], vec![b]];
        let config = DedupConfig {
            measure: Measure::Containment,
            ..DedupConfig::default()
        };
        let result = decisions_and_pairs(&docs, &config);
        assert!(
            result.decisions[2][0].is_kept(),
            "{:?}",
            result.decisions[2]
        );
        let contained: Vec<(u32, u32)> = result
            .pairs
            .iter()
            .filter(|p| p.kind == Kind::Contained)
            .map(|p| (p.earlier.doc, p.later.doc))
            .collect();
        assert_eq!(contained, [(0, 2), (1, 2)]);
    }

    #[test]
    fn a_near_variant_of_boilerplate_is_listed_but_kept() {
        // A long footer under twelve different stories is boilerplate; a variant of it
        // under a thirteenth story is near the footer, listed, and kept.
        let footer = sentence(1000, 20);
        let mut docs: Vec<Vec<String>> = (0..12)
            .map(|k| vec![sentence(30 * k, 15), footer.clone()])
            .collect();
        docs.push(vec![sentence(500, 15), last_word_changed(&footer)]);
        let result = decisions_and_pairs(&docs, &DedupConfig::default());
        assert!(matches!(
            result.decisions[0][1],
            Decision::Drop {
                reason: Kind::Boilerplate,
                ..
            }
        ));
        assert_eq!(result.decisions[12], [Decision::Keep, Decision::Keep]);
        assert!(result
            .pairs
            .iter()
            .any(|p| p.kind == Kind::Near && p.later == at(12, 1)));
    }
    #[test]
    fn paragraphs_index_documents_end_to_end() {
        let docs = vec![
            vec![sentence(0, 6), sentence(10, 6)],
            vec![],
            vec![sentence(20, 6)],
        ];
        let prints = prints(&docs);
        let paragraphs = Paragraphs::new(&prints);
        assert_eq!((paragraphs.len(), paragraphs.doc_count()), (3, 3));
        assert!(!paragraphs.is_empty());
        assert_eq!(paragraphs.at(2), at(2, 0));
        assert_eq!(paragraphs.global(at(2, 0)), 2);
        assert_eq!(paragraphs.of_doc(1), 2..2);
        assert_eq!(paragraphs.of_doc(2), 2..3);
        assert!(Paragraphs::new(&[]).is_empty());
    }
    /// The `(earlier doc, later doc, kind, score)` of the pairs of one-paragraph documents.
    fn pairs_of(docs: &[String], config: &DedupConfig) -> Vec<(u32, u32, Kind, f64)> {
        let docs: Vec<Vec<String>> = docs.iter().map(|t| vec![t.clone()]).collect();
        let result = decisions_and_pairs(&docs, config);
        result
            .pairs
            .iter()
            .map(|p| (p.earlier.doc, p.later.doc, p.kind, p.score))
            .collect()
    }

    #[test]
    fn containment_adds_contained_pairs_and_keeps_near_ones_near() {
        // 12 words (8 shingles); the same and 2 more (10, all 8 shared: Jaccard 0.8);
        // the same and 12 more (20: Jaccard 0.4, containment 1).
        let a = sentence(0, 12).trim_end_matches('.').to_owned();
        let b = format!("{a} {}", sentence(100, 2));
        let c = format!("{a} {}", sentence(200, 12));
        let docs = [format!("{a}."), b, c];
        assert_eq!(
            pairs_of(&docs, &DedupConfig::default()),
            [(0, 1, Kind::Near, 0.8)]
        );
        let containment = DedupConfig {
            measure: Measure::Containment,
            ..DedupConfig::default()
        };
        assert_eq!(
            pairs_of(&docs, &containment),
            [
                (0, 1, Kind::Near, 0.8),
                (0, 2, Kind::Contained, 1.0),
                (1, 2, Kind::Contained, 0.8)
            ]
        );
    }

    #[test]
    fn exact_copies_are_all_pairs_up_to_16_and_a_star_and_a_chain_past_it() {
        let a = sentence(0, 12);
        // The same paragraph on many pages would be boilerplate.
        let config = DedupConfig {
            searches: Searches {
                boilerplate: false,
                ..Searches::default()
            },
            ..DedupConfig::default()
        };
        let exact_pairs = |n: usize| {
            let docs = vec![a.clone(); n];
            let mut pairs: Vec<(u32, u32)> = pairs_of(&docs, &config)
                .into_iter()
                .filter(|p| p.2 == Kind::Exact)
                .map(|p| (p.0, p.1))
                .collect();
            pairs.sort_unstable();
            pairs
        };
        assert_eq!(exact_pairs(3), [(0, 1), (0, 2), (1, 2)]);
        assert_eq!(exact_pairs(16).len(), 16 * 15 / 2);
        // 17 copies: each later one with the first (16), and each with the next (15).
        let pairs = exact_pairs(17);
        assert_eq!(pairs.len(), 16 + 15);
        assert!((1..17).all(|k| pairs.binary_search(&(0, k)).is_ok()));
        assert!((2..17).all(|k| pairs.binary_search(&(k - 1, k)).is_ok()));
    }
}
