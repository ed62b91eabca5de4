//! Fingerprints: everything duplicate detection needs to know of a paragraph, without its
//! text.
//!
//! Detection runs on these alone, so the text can be dropped as soon as a batch of
//! documents is fingerprinted and read again only to write the outputs: memory then
//! grows with the number of paragraphs, not with the size of the corpus.

use std::ops::Range;

use super::boilerplate::is_label_line;
use super::shingle::shingles;
use super::DedupConfig;
use crate::text::normalize::exact_key;
use crate::text::terms::{words, TermAnalyzer};
use crate::text::Lang;

/// A content term, folded to 32 bits: a million paragraphs' terms stay in memory, and
/// two terms of one article colliding is about as likely as one in a few thousand
/// articles having one such pair, which moves a weight slightly, nothing more.
pub type Term = u32;

/// Paragraphs of up to this many words count as short lines for boilerplate.
pub const SHORT_LINE_WORDS: usize = 12;

/// What detection knows of one paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct ParaPrint {
    /// The article's title paragraph (never dropped, never compared).
    pub is_title: bool,
    /// Looks like page furniture on its own ("Baca juga: …", "KOMENTAR").
    pub is_label: bool,
    /// At most [`SHORT_LINE_WORDS`] words.
    pub is_short: bool,
    /// Exact-copy key of the normalised text.
    pub key: u64,
    /// Sorted, distinct shingle hashes (near copies).
    pub shingles: Vec<u32>,
    /// Sorted, distinct content terms (restated passages).
    pub terms: Vec<Term>,
}

/// The fingerprints of one document's paragraphs, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocPrint {
    /// One per paragraph.
    pub paragraphs: Vec<ParaPrint>,
}

impl DocPrint {
    /// Fingerprints the paragraphs of an analysed (or only segmented) document.
    pub fn of(
        doc: &crate::corpus::Document,
        analyzed: &crate::text::AnalyzedDoc,
        config: &DedupConfig,
    ) -> DocPrint {
        let spans = analyzed
            .paragraphs
            .iter()
            .map(|p| (p.span.clone(), p.is_title));
        DocPrint::new(&doc.text, spans, analyzed.lang, config)
    }

    /// Fingerprints the paragraphs of `text` at `spans` (`true` marks the title), with the
    /// terms of `lang`.
    pub fn new(
        text: &str,
        spans: impl IntoIterator<Item = (Range<usize>, bool)>,
        lang: Lang,
        config: &DedupConfig,
    ) -> DocPrint {
        let analyzer = TermAnalyzer::for_lang(lang);
        let paragraphs = spans
            .into_iter()
            .map(|(span, is_title)| {
                let text = &text[span];
                let mut terms: Vec<Term> = analyzer
                    .terms(text)
                    .into_iter()
                    .map(|t| (t ^ (t >> 32)) as Term)
                    .collect();
                terms.sort_unstable();
                terms.dedup();
                terms.shrink_to_fit();
                ParaPrint {
                    is_title,
                    is_label: !is_title && is_label_line(text),
                    is_short: words(text).take(SHORT_LINE_WORDS + 1).count() <= SHORT_LINE_WORDS,
                    key: exact_key(text),
                    shingles: shingles(text, config.shingle, config.shingle_size),
                    terms,
                }
            })
            .collect();
        DocPrint { paragraphs }
    }
}
