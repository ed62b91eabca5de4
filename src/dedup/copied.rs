//! Paragraphs pieced together from sentences the article said before, word for word: the
//! sentences of an extractive summary appended to the page, or a lead sentence repeated
//! beside another. Neither is a copy of one paragraph (no exact or near copy), and the
//! words are the same, so no weights are needed: this runs once, before the restated
//! search.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::{Evidence, Kind, Pair, Paragraphs};
use crate::text::normalize::exact_key;
use crate::text::Lang;

/// A sentence needs this many words to count as one that can be copied: shorter ones
/// ("Baca juga.", a byline) repeat by chance.
pub const SENTENCE_WORDS: usize = 4;

/// The sentences one article has said so far, as its paragraphs are fingerprinted in
/// order: what a paragraph repeats is known then, so no sentence is kept for later.
#[derive(Default)]
pub struct Said {
    /// Each sentence's exact key: the first paragraph that said it.
    first: HashMap<u64, usize>,
    /// The sentences said by more than one paragraph: the later ones that said them, in
    /// order (few: most sentences are said once).
    more: HashMap<u64, Vec<usize>>,
    /// The current paragraph's sentence keys.
    keys: Vec<u64>,
}

/// For a paragraph every sentence of which was said before, per sentence the earlier
/// paragraphs that said it, in order: its source is chosen among those another stage
/// keeps (see [`source`]).
pub type Sayers = Box<[Box<[u32]>]>;

impl Said {
    /// Forgets the previous article.
    pub fn clear(&mut self) {
        self.first.clear();
        self.more.clear();
    }

    /// Paragraph `p` (not a title) of the article, with `text`: when it `can_repeat` (a
    /// prose paragraph, not an item of a list: a row repeats by design) and every one
    /// of its sentences of [`SENTENCE_WORDS`] words or more (it needs one) was said by an
    /// earlier paragraph, the paragraphs that said each; else none. Its sentences are
    /// said from now on either way: if those it repeats are dropped by another stage, it
    /// is the first paragraph left that said them.
    pub fn paragraph(
        &mut self,
        p: usize,
        text: &str,
        lang: Lang,
        can_repeat: bool,
    ) -> Option<Sayers> {
        self.keys.clear();
        let keys = &mut self.keys;
        crate::text::sentence::for_each_sentence(text, lang, |span| {
            let sentence = &text[span];
            let words = crate::text::terms::words(sentence)
                .take(SENTENCE_WORDS)
                .count();
            if words == SENTENCE_WORDS {
                keys.push(exact_key(sentence));
            }
        });
        let repeats = can_repeat
            && !self.keys.is_empty()
            && self.keys.iter().all(|k| self.first.contains_key(k));
        let sayers = repeats.then(|| {
            self.keys
                .iter()
                .map(|k| {
                    std::iter::once(self.first[k])
                        .chain(self.more.get(k).into_iter().flatten().copied())
                        .map(|q| q as u32)
                        .collect()
                })
                .collect()
        });
        for &k in &self.keys {
            let first = *self.first.entry(k).or_insert(p);
            if first != p {
                let more = self.more.entry(k).or_default();
                if more.last() != Some(&p) {
                    more.push(p);
                }
            }
        }
        sayers
    }
}

/// The source of a paragraph whose sentences were all said before by `sayers` (see
/// [`Said::paragraph`]): for each sentence the first paragraph that said it and is
/// `present`, and of those the one that said most of them (the first on a tie); none when
/// a sentence was said by no paragraph present. So cleaning the cleaned corpus again,
/// without the paragraphs not present, finds the same source.
pub fn source(sayers: &[Box<[u32]>], present: impl Fn(usize) -> bool) -> Option<usize> {
    let mut sources: Vec<usize> = sayers
        .iter()
        .map(|said| said.iter().map(|&q| q as usize).find(|&q| present(q)))
        .collect::<Option<_>>()?;
    sources.sort_unstable();
    sources
        .chunk_by(|a, b| a == b)
        .max_by(|a, b| a.len().cmp(&b.len()).then(b[0].cmp(&a[0])))
        .map(|run| run[0])
}

/// The `present` paragraphs whose every sentence was said before in their article (see
/// [`Said::paragraph`]), each paired with the earlier paragraph that said most of them,
/// score 1, among the present ones (a paragraph another stage dropped is no source:
/// cleaning the cleaned corpus again finds the same; see [`source`]).
pub fn find(paragraphs: &Paragraphs, present: &[bool]) -> Vec<Pair> {
    (0..paragraphs.doc_count())
        .into_par_iter()
        .flat_map_iter(|doc| {
            let first = paragraphs.of_doc(doc).start;
            paragraphs.of_doc(doc).filter_map(move |g| {
                if !present[g] {
                    return None;
                }
                let source = first + paragraphs.said_before(g, |q| present[first + q])?;
                Some(Pair {
                    earlier: paragraphs.at(source),
                    later: paragraphs.at(g),
                    kind: Kind::Restated,
                    score: 1.0,
                    evidence: Evidence::Sentences,
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::print::DocPrint;
    use crate::dedup::DedupConfig;
    use crate::text::Lang;

    /// `(earlier, later)` paragraph numbers of the copied paragraphs of one article.
    fn copied(paragraphs: &[&str], present: Option<&[bool]>) -> Vec<(u32, u32)> {
        let text = paragraphs.join("\n\n");
        let mut spans = Vec::new();
        let mut start = 0;
        for p in paragraphs {
            spans.push((start..start + p.len(), false));
            start += p.len() + 2;
        }
        let print = DocPrint::new(&text, spans, Lang::Indonesian, &DedupConfig::default());
        let prints = [print];
        let paragraphs = Paragraphs::new(&prints);
        let all = vec![true; paragraphs.len()];
        find(&paragraphs, present.unwrap_or(&all))
            .into_iter()
            .map(|p| {
                assert_eq!(
                    (p.kind, p.evidence, p.score),
                    (Kind::Restated, Evidence::Sentences, 1.0)
                );
                (p.earlier.para, p.later.para)
            })
            .collect()
    }

    const ARTICLE: [&str; 3] = [
        "Hujan deras sejak Sabtu malam membuat Sungai Cikarang meluap. Ribuan rumah warga di tiga kecamatan terendam.",
        "Sebanyak 850 jiwa mengungsi ke masjid dan sekolah terdekat. Petugas membagikan makanan siap saji kepada mereka.",
        "Bupati meminta dinas pekerjaan umum segera memperbaiki tanggul yang jebol.",
    ];

    #[test]
    fn a_summary_of_sentences_said_before_is_copied() {
        // One sentence of each of the first two paragraphs, then the third again.
        let summary = "Ribuan rumah warga di tiga kecamatan terendam. Sebanyak 850 jiwa mengungsi ke masjid dan sekolah terdekat.";
        let mut page = ARTICLE.to_vec();
        page.extend([summary, ARTICLE[2]]);
        assert_eq!(copied(&page, None), [(0, 3), (2, 4)]);
    }

    #[test]
    fn the_source_holds_most_of_the_sentences_the_first_on_a_tie() {
        let most = "Sebanyak 850 jiwa mengungsi ke masjid dan sekolah terdekat. Ribuan rumah warga di tiga kecamatan terendam. Petugas membagikan makanan siap saji kepada mereka.";
        let mut page = ARTICLE.to_vec();
        page.push(most);
        assert_eq!(copied(&page, None), [(1, 3)]);
    }

    /// Regression (found by a property test): a sentence said first by a paragraph
    /// another stage drops (an exact copy of another article's) and then by a kept one;
    /// a later paragraph of that sentence alone was kept, as its source was the dropped
    /// one, and cleaning the cleaned corpus dropped it (its source then the kept one).
    /// The source is the first paragraph still present that said each sentence.
    #[test]
    fn a_sentence_first_said_by_a_dropped_paragraph_was_said_by_the_next_present_one() {
        let page = [
            ARTICLE[0],
            "Ribuan rumah warga di tiga kecamatan terendam. Sebanyak 850 jiwa mengungsi ke masjid dan sekolah terdekat.",
            "Ribuan rumah warga di tiga kecamatan terendam.",
        ];
        assert_eq!(copied(&page, Some(&[false, true, true])), [(1, 2)]);
        // The cleaned page, without the dropped paragraph: the same.
        assert_eq!(copied(&page[1..], None), [(0, 1)]);
        // With it, the first that said it.
        assert_eq!(copied(&page, None), [(0, 2)]);
    }

    #[test]
    fn one_new_sentence_keeps_a_paragraph() {
        let mut page = ARTICLE.to_vec();
        page.push("Ribuan rumah warga di tiga kecamatan terendam. Banjir ini yang terbesar dalam sepuluh tahun terakhir.");
        assert!(copied(&page, None).is_empty());
    }

    #[test]
    fn short_sentences_rows_and_absent_paragraphs_do_not_count() {
        // Sentences of fewer than four words are not counted: nothing left to compare.
        let short = [
            "Banjir besar. Warga mengungsi.",
            "Banjir besar. Warga mengungsi.",
        ];
        assert!(copied(&short, None).is_empty());
        // A row of a list (no sentence end) or an item repeats by design.
        let mut page = ARTICLE.to_vec();
        page.push("Bupati meminta dinas pekerjaan umum segera memperbaiki tanggul yang jebol");
        page.push("- Bupati meminta dinas pekerjaan umum segera memperbaiki tanggul yang jebol.");
        assert!(copied(&page, None).is_empty());
        // What another stage dropped says nothing, and is not judged.
        let mut page = ARTICLE.to_vec();
        page.push(ARTICLE[2]);
        page.push(ARTICLE[2]);
        assert_eq!(copied(&page, Some(&[true, true, false, false, true])), []);
        assert_eq!(
            copied(&page, Some(&[true, true, true, false, true])),
            [(2, 4)]
        );
    }
}
