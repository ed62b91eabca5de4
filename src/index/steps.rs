//! The parts of `decide` that look at one document, or at the occurrences of one text,
//! at a time: what a distributed job (`distributed/dedupsum_spark.py`) runs on its
//! executors, on fingerprints as a shard stores them, while it makes the corpus-wide
//! counts and joins itself. Each is the code `decide` runs, not a copy of it, so the job
//! decides as the command does.

use crate::dedup::boilerplate;
pub use crate::dedup::boilerplate::{anchor_tokens, count_stories, Occurrence, StorySketch};
use crate::dedup::print::{DocPrint, ParaPrint, Term};
use crate::dedup::{copied, restated, Pair, Paragraphs};
use crate::text::dateline::{self, Dateline, Opening};

/// One paragraph as a shard stores it (see [`super::shard`]); what a step does not look
/// at may be left empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredParagraph {
    /// Exact-copy key.
    pub key: u64,
    /// Length in bytes.
    pub len: u32,
    /// The flag bits (title, label, short, line, anchor size, prose, opens a quote, item
    /// of a list).
    pub flags: u16,
    /// Hash of the first two words.
    pub opener: u32,
    /// Content terms.
    pub terms: Vec<Term>,
    /// Number slots (see [`crate::text::slots`]).
    pub slots: Vec<u64>,
    /// For a paragraph whose sentences were all said before, per sentence the earlier
    /// paragraphs that said it.
    pub said: Option<Vec<Vec<u32>>>,
}

/// The fingerprints of one document from its paragraphs, in order.
pub fn document(paragraphs: impl IntoIterator<Item = StoredParagraph>) -> DocPrint {
    let mut print = DocPrint::default();
    for p in paragraphs {
        let sayers = p
            .said
            .map(|said| said.into_iter().map(Vec::into_boxed_slice).collect());
        print.push_stored(
            ParaPrint::stored(p.key, p.len, p.flags, p.opener),
            &[],
            &p.terms,
            &p.slots,
            None,
            sayers,
        );
    }
    print
}

/// The datelines of the articles whose `openings` are given: all the articles of a site,
/// or of several (each site's are learned apart), with the command's `min_docs`.
pub fn datelines(openings: &[Option<Opening>], min_docs: usize) -> Vec<Option<Dateline>> {
    dateline::find(openings, min_docs)
}

/// Whether the restated search of a document, among its `present` paragraphs, is limited
/// for its size (what `report.json` lists among the limits).
pub fn restated_limited(print: &DocPrint, present: &[bool]) -> bool {
    restated::is_limited(&Paragraphs::new(std::slice::from_ref(print)), present, 0)
}

/// The cells of the near search's rank sketch that the `tokens` of a shingle set count in,
/// in a corpus whose sets hold `total` tokens in all: a token's rank is its cell's count
/// (capped at [`RANK_CAP`]), then the token.
pub fn rank_cells(tokens: &[u32], total: usize) -> Vec<u32> {
    (tokens.iter())
        .map(|&t| crate::dedup::join::rank_cell(t, total).0 as u32)
        .collect()
}

/// Counts of a rank sketch's cell past this are all alike.
pub const RANK_CAP: u8 = crate::dedup::join::RANK_CAP;

/// The near pairs of a group of more than `dedup::join::MAX_GROUP` shingle sets sharing a
/// prefix token (`sets`, in corpus order), as `decide` makes them: `(a, b, score)` with
/// the group's leaders when it is mostly copies of its first set, else `None` (every pair
/// of it is then a candidate).
pub fn star(sets: &[Vec<u32>], threshold: f64) -> Option<Vec<(u32, u32, f64)>> {
    let slices: Vec<&[u32]> = sets.iter().map(Vec::as_slice).collect();
    let pairs = crate::dedup::join::star(&slices, threshold)?;
    Some(
        (pairs.iter())
            .map(|o| {
                (
                    o.a,
                    o.b,
                    o.jaccard(sets[o.a as usize].len(), sets[o.b as usize].len()),
                )
            })
            .collect(),
    )
}

/// The story sketch of a document: copies of one page share a token of it.
pub fn story_sketch(print: &DocPrint) -> StorySketch {
    boilerplate::story_sketch(print.paragraphs.iter())
}

/// The paragraphs of a document that only repeat sentences said before in it, among the
/// `present` ones, each with the earlier paragraph that said most of them (score 1,
/// evidence `sentences`).
pub fn copied(print: &DocPrint, present: &[bool]) -> Vec<Pair> {
    copied::find(&Paragraphs::new(std::slice::from_ref(print)), present)
}

/// One round of the restated search on a document: its restated pairs and recap among the
/// `present` paragraphs (a recap may restate the `said` ones too), given the number of
/// documents of the corpus each of its terms occurs in (`doc_freq`, counted over the
/// present paragraphs of the corpus's `n_docs` documents; a term missing occurs in none).
pub fn restated(
    print: &DocPrint,
    present: &[bool],
    said: &[bool],
    doc_freq: impl IntoIterator<Item = (Term, u32)>,
    n_docs: usize,
    threshold: f64,
) -> Vec<Pair> {
    let doc_freq = restated::doc_freq_of(doc_freq, n_docs);
    let paragraphs = Paragraphs::new(std::slice::from_ref(print));
    restated::score_document(&paragraphs, 0, present, said, &doc_freq, n_docs, threshold).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::print::DocPrint;
    use crate::dedup::{find_duplicates, Decision, DedupConfig, Evidence, Kind};
    use crate::text::Lang;

    /// Fingerprints of `texts`, one document each (paragraphs apart by blank lines; the
    /// first is the title).
    fn prints(texts: &[&str]) -> Vec<DocPrint> {
        texts
            .iter()
            .map(|text| {
                let mut spans = Vec::new();
                let mut start = 0;
                for (p, para) in text.split("\n\n").enumerate() {
                    spans.push((start..start + para.len(), p == 0));
                    start += para.len() + 2;
                }
                DocPrint::new(text, spans, Lang::Indonesian, &DedupConfig::default())
            })
            .collect()
    }

    /// A document's paragraphs as a shard stores them.
    fn stored(print: &DocPrint) -> Vec<StoredParagraph> {
        (0..print.paragraphs.len())
            .map(|p| {
                let para = &print.paragraphs[p];
                StoredParagraph {
                    key: para.key,
                    len: para.len,
                    flags: para.flag_bits(),
                    opener: para.opener,
                    terms: print.terms(p).to_vec(),
                    slots: print.slots(p).to_vec(),
                    said: print
                        .sayers(p)
                        .map(|s| s.iter().map(|sentence| sentence.to_vec()).collect()),
                }
            })
            .collect()
    }

    const REPEATING: &str = "Banjir di Kota Lama\n\n\
        Banjir merendam 300 rumah warga di Kecamatan Sukamaju, Kota Lama, pada Senin pagi setelah hujan deras turun semalaman.\n\n\
        Petugas BPBD mengevakuasi 120 warga ke Gedung Olahraga Sukamaju dengan perahu karet.\n\n\
        Wali Kota Budi Santoso meninjau lokasi dan menjanjikan bantuan logistik hari ini.\n\n\
        Petugas BPBD mengevakuasi 120 warga ke Gedung Olahraga Sukamaju dengan perahu karet. Wali Kota Budi Santoso meninjau lokasi dan menjanjikan bantuan logistik hari ini.";

    /// The cells of a set's tokens, each as the command's join counts it.
    #[test]
    fn rank_cells_are_the_join_s_cells() {
        assert_eq!(rank_cells(&[1, 0x1234_5678], 20_000), [7735, 5846]);
        assert_eq!(rank_cells(&[], 20_000), Vec::<u32>::new());
        assert_eq!(RANK_CAP, 239);
    }

    #[test]
    fn a_document_read_from_its_stored_rows_has_the_same_sketch_and_copies() {
        let prints = prints(&[REPEATING]);
        let read = document(stored(&prints[0]));
        assert_eq!(story_sketch(&read), story_sketch(&prints[0]));
        assert_ne!(
            story_sketch(&read),
            [0; 4],
            "a page of long paragraphs has a sketch"
        );
        let present = vec![true; read.paragraphs.len()];
        let found = copied(&read, &present);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].earlier.para, found[0].later.para), (2, 4));
        assert_eq!(found[0].evidence, Evidence::Sentences);
        // The source dropped by another stage: the next paragraph that said it.
        let without_source = [true, true, false, true, true];
        let found = copied(&read, &without_source);
        assert_eq!(found.len(), 0, "{found:?}");
    }

    #[test]
    fn the_restated_step_of_each_document_finds_what_the_whole_search_finds() {
        let texts = [
            "Harga Beras\n\n\
             Harga beras medium di Pasar Induk Cipinang naik menjadi Rp 14.500 per kilogram pada pekan ini.\n\n\
             Kenaikan dipicu pasokan dari Karawang dan Indramayu yang berkurang karena panen mundur.\n\n\
             Pedagang bernama Sutrisno mengatakan pembeli mulai mengurangi belanja sejak awal bulan.\n\n\
             Di Pasar Induk Cipinang, harga beras medium kini Rp 14.500 per kilogram, naik pekan ini.",
            REPEATING,
            "Pemilu\n\n\
             Komisi Pemilihan Umum menetapkan jadwal kampanye mulai 28 November hingga 10 Februari.\n\n\
             Peserta pemilu diminta mematuhi aturan alat peraga di ruang publik selama masa kampanye.",
        ];
        let prints = prints(&texts);
        let whole = find_duplicates(prints.clone(), &DedupConfig::default());
        let restated_in_whole: Vec<(u32, u32, u32)> = (whole.decisions.iter().enumerate())
            .flat_map(|(doc, decisions)| {
                decisions
                    .iter()
                    .enumerate()
                    .filter_map(move |(p, d)| match d {
                        Decision::Drop {
                            reason: Kind::Restated,
                            duplicate_of: Some(of),
                            ..
                        } => Some((doc as u32, of.para, p as u32)),
                        _ => None,
                    })
            })
            .collect();
        assert!(
            restated_in_whole.iter().any(|r| r.0 == 0),
            "{restated_in_whole:?}"
        );

        // The step, document by document: copies first, then one round of restated
        // pairs with the corpus's document frequencies of the paragraphs left.
        let docs: Vec<DocPrint> = prints.iter().map(|p| document(stored(p))).collect();
        let mut present: Vec<Vec<bool>> = docs
            .iter()
            .map(|d| vec![true; d.paragraphs.len()])
            .collect();
        let mut found = Vec::new();
        for (doc, print) in docs.iter().enumerate() {
            for pair in copied(print, &present[doc]) {
                present[doc][pair.later.para as usize] = false;
                found.push((doc as u32, pair.earlier.para, pair.later.para));
            }
        }
        let mut df: std::collections::BTreeMap<Term, u32> = Default::default();
        for (doc, print) in docs.iter().enumerate() {
            let mut terms: Vec<Term> = (0..print.paragraphs.len())
                .filter(|&p| present[doc][p])
                .flat_map(|p| print.terms(p).iter().copied())
                .collect();
            terms.sort_unstable();
            terms.dedup();
            for t in terms {
                *df.entry(t).or_default() += 1;
            }
        }
        for (doc, print) in docs.iter().enumerate() {
            let said = vec![true; print.paragraphs.len()];
            let pairs = restated(
                print,
                &present[doc],
                &said,
                df.clone(),
                docs.len(),
                restated::DEFAULT_THRESHOLD,
            );
            found.extend(
                pairs
                    .iter()
                    .map(|p| (doc as u32, p.earlier.para, p.later.para)),
            );
        }
        found.sort_unstable();
        assert_eq!(found, restated_in_whole);
    }
}
