//! Text analysis: normalisation, paragraphs, sentences, word terms and language.
//!
//! Everything here works on byte spans into the original article text, so every
//! later stage can quote the source exactly.

pub mod lang;
pub mod normalize;
pub mod paragraph;
pub mod sentence;
pub mod terms;

use std::ops::Range;

use crate::corpus::Document;
pub use lang::{Lang, LangChoice};
use terms::TermAnalyzer;

/// One paragraph of an article: where it is, whether it is the title, and its sentences.
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// Byte range of the paragraph in the article text (trimmed).
    pub span: Range<usize>,
    /// The article's first paragraph when it is short and has no sentence-final punctuation.
    pub is_title: bool,
    /// Sentences of this paragraph, as byte ranges in the article text.
    pub sentences: Vec<Range<usize>>,
    /// Content terms (stemmed, stopwords removed, hashed) of each sentence, in order.
    pub sentence_terms: Vec<Vec<u64>>,
}

impl Paragraph {
    /// All content terms of the paragraph, in order, with repeats.
    pub fn terms(&self) -> impl Iterator<Item = u64> + '_ {
        self.sentence_terms.iter().flatten().copied()
    }
}

/// The segmentation of one article.
#[derive(Debug, Clone)]
pub struct AnalyzedDoc {
    /// Language used for sentence rules, stopwords and stemming.
    pub lang: Lang,
    /// Non-empty paragraphs in input order.
    pub paragraphs: Vec<Paragraph>,
}

/// Splits an article into paragraphs only (no sentences or terms): what cleaning needs.
pub fn segment(doc: &Document, lang: LangChoice) -> AnalyzedDoc {
    let lang = match lang {
        LangChoice::Fixed(lang) => lang,
        LangChoice::Auto => Lang::detect(&doc.text),
    };
    let paragraphs = paragraph::split_paragraphs(&doc.text)
        .into_iter()
        .enumerate()
        .map(|(index, span)| Paragraph {
            is_title: index == 0 && paragraph::looks_like_title(&doc.text[span.clone()]),
            span,
            sentences: Vec::new(),
            sentence_terms: Vec::new(),
        })
        .collect();
    AnalyzedDoc { lang, paragraphs }
}

/// Splits an article into paragraphs, sentences and terms.
pub fn analyze(doc: &Document, lang: LangChoice) -> AnalyzedDoc {
    let lang = match lang {
        LangChoice::Fixed(lang) => lang,
        LangChoice::Auto => Lang::detect(&doc.text),
    };
    let analyzer = TermAnalyzer::for_lang(lang);
    let spans = paragraph::split_paragraphs(&doc.text);
    let mut paragraphs = Vec::with_capacity(spans.len());
    for (index, span) in spans.into_iter().enumerate() {
        let text = &doc.text[span.clone()];
        let is_title = index == 0 && paragraph::looks_like_title(text);
        let sentences: Vec<Range<usize>> = if is_title {
            vec![span.clone()]
        } else {
            sentence::split_sentences(text, lang)
                .into_iter()
                .map(|s| s.start + span.start..s.end + span.start)
                .collect()
        };
        let sentence_terms = sentences
            .iter()
            .map(|s| analyzer.terms(&doc.text[s.clone()]))
            .collect();
        paragraphs.push(Paragraph {
            span,
            is_title,
            sentences,
            sentence_terms,
        });
    }
    AnalyzedDoc { lang, paragraphs }
}
