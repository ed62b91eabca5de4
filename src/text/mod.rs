//! Text analysis: normalisation, paragraphs, sentences, word terms and language.
//!
//! Everything here works on byte spans into the original article text, so every
//! later stage can quote the source exactly.

pub mod dateline;
pub mod lang;
pub mod normalize;
pub mod paragraph;
pub mod sentence;
pub mod slots;
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
    /// Where the content terms of each sentence are in [`AnalyzedDoc::terms`], in order.
    pub sentence_terms: Vec<Range<usize>>,
}

/// The segmentation of one article.
#[derive(Debug, Clone)]
pub struct AnalyzedDoc {
    /// Language used for sentence rules, stopwords and stemming.
    pub lang: Lang,
    /// Non-empty paragraphs in input order.
    pub paragraphs: Vec<Paragraph>,
    /// Content terms (stemmed, stopwords removed, hashed) of every sentence, one sentence
    /// after another: one vector per article rather than one per sentence.
    pub terms: Vec<u64>,
}

impl AnalyzedDoc {
    /// The content terms of each sentence of `paragraph` (one of this document's), in order.
    pub fn sentence_terms<'a>(
        &'a self,
        paragraph: &'a Paragraph,
    ) -> impl Iterator<Item = &'a [u64]> + 'a {
        paragraph
            .sentence_terms
            .iter()
            .map(|r| &self.terms[r.clone()])
    }

    /// All content terms of `paragraph`, in order, with repeats.
    pub fn paragraph_terms(&self, paragraph: &Paragraph) -> &[u64] {
        match (
            paragraph.sentence_terms.first(),
            paragraph.sentence_terms.last(),
        ) {
            (Some(first), Some(last)) => &self.terms[first.start..last.end],
            _ => &[],
        }
    }
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
    AnalyzedDoc {
        lang,
        paragraphs,
        terms: Vec::new(),
    }
}

/// Splits an article into paragraphs, sentences and terms.
pub fn analyze(doc: &Document, lang: LangChoice) -> AnalyzedDoc {
    analyze_paragraphs(doc, lang, |_| true)
}

/// [`analyze`], splitting into sentences and terms only the paragraphs for which
/// `wanted(index)` holds (the others get none): a summary reads only the kept paragraphs.
pub fn analyze_paragraphs(
    doc: &Document,
    lang: LangChoice,
    wanted: impl Fn(usize) -> bool,
) -> AnalyzedDoc {
    let lang = match lang {
        LangChoice::Fixed(lang) => lang,
        LangChoice::Auto => Lang::detect(&doc.text),
    };
    let analyzer = TermAnalyzer::for_lang(lang);
    let spans = paragraph::split_paragraphs(&doc.text);
    let mut paragraphs = Vec::with_capacity(spans.len());
    let mut terms = Vec::with_capacity(doc.text.len() / 8);
    for (index, span) in spans.into_iter().enumerate() {
        let text = &doc.text[span.clone()];
        let is_title = index == 0 && paragraph::looks_like_title(text);
        let sentences: Vec<Range<usize>> = if !wanted(index) {
            Vec::new()
        } else if is_title {
            vec![span.clone()]
        } else {
            sentence::split_sentences(text, lang)
                .into_iter()
                .map(|s| s.start + span.start..s.end + span.start)
                .collect()
        };
        let sentence_terms = sentences
            .iter()
            .map(|s| {
                let start = terms.len();
                analyzer.append_terms(&doc.text[s.clone()], &mut terms);
                start..terms.len()
            })
            .collect();
        paragraphs.push(Paragraph {
            span,
            is_title,
            sentences,
            sentence_terms,
        });
    }
    terms.shrink_to_fit();
    AnalyzedDoc {
        lang,
        paragraphs,
        terms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_wanted_paragraphs_are_split_into_sentences_and_terms() {
        let doc = crate::testing::document(
            "d",
            "Judul Berita\n\nPetani menanam padi. Hujan turun.\n\nHarga beras naik. Warga antre.\n\nPasar ramai sekali.",
        );
        let lang = LangChoice::Fixed(Lang::Indonesian);
        let all = analyze(&doc, lang);
        let some = analyze_paragraphs(&doc, lang, |p| p != 2);
        assert_eq!(all.paragraphs.len(), 4);
        assert_eq!(some.paragraphs.len(), 4);
        for (p, (a, s)) in all.paragraphs.iter().zip(&some.paragraphs).enumerate() {
            assert_eq!((&a.span, a.is_title), (&s.span, s.is_title));
            if p == 2 {
                assert!(s.sentences.is_empty() && s.sentence_terms.is_empty());
                assert_eq!(a.sentences.len(), 2);
            } else {
                assert_eq!(a.sentences, s.sentences);
                assert_eq!(all.paragraph_terms(a), some.paragraph_terms(s));
                assert!(!all.paragraph_terms(a).is_empty(), "{p}");
            }
        }
    }
}
