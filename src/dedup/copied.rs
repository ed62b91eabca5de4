//! Paragraphs pieced together from sentences the article said before, word for word: the
//! sentences of an extractive summary appended to the page, or a lead sentence repeated
//! beside another. Neither is a copy of one paragraph (no exact or near copy), and the
//! words are the same, so no weights are needed: this runs once, before the restated
//! search.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::{Evidence, Kind, Pair, Paragraphs};

/// The paragraphs among the `present` ones whose every sentence (of
/// [`super::print::SENTENCE_WORDS`] words or more; a paragraph needs one) is a sentence of
/// an earlier present paragraph of the same article, each paired with the earlier
/// paragraph that holds most of its sentences (the first on a tie), score 1. The title is
/// neither (it is never compared); only prose is dropped so (a row of a list or table
/// repeats by design).
pub fn find(paragraphs: &Paragraphs, present: &[bool]) -> Vec<Pair> {
    (0..paragraphs.doc_count())
        .into_par_iter()
        .flat_map_iter(|doc| in_doc(paragraphs, present, doc))
        .collect()
}

/// [`find`] in document `doc`.
fn in_doc(paragraphs: &Paragraphs, present: &[bool], doc: usize) -> Vec<Pair> {
    // Each sentence said so far: the first paragraph that said it.
    let mut said: HashMap<u64, usize> = HashMap::default();
    let mut pairs = Vec::new();
    for g in paragraphs.of_doc(doc) {
        if !present[g] || paragraphs.is_title(g) {
            continue;
        }
        let sentences = paragraphs.sentences(g);
        let print = paragraphs.print(g);
        let repeats = print.is_prose
            && !print.is_list_item
            && !sentences.is_empty()
            && sentences.iter().all(|s| said.contains_key(s));
        if repeats {
            let mut sources: Vec<usize> = sentences.iter().map(|s| said[s]).collect();
            sources.sort_unstable();
            let source = sources
                .chunk_by(|a, b| a == b)
                .max_by(|a, b| a.len().cmp(&b.len()).then(b[0].cmp(&a[0])))
                .map_or(sources[0], |run| run[0]);
            pairs.push(Pair {
                earlier: paragraphs.at(source),
                later: paragraphs.at(g),
                kind: Kind::Restated,
                score: 1.0,
                evidence: Evidence::Sentences,
            });
        } else {
            for &s in sentences {
                said.entry(s).or_insert(g);
            }
        }
    }
    pairs
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
