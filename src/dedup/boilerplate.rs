//! Boilerplate: site furniture that is not part of the article.
//!
//! Two kinds of evidence (after onion/jusText): local features of the line — short, no
//! sentence punctuation, shaped like a label ("Baca Juga: …", "Penulis | : | …",
//! "Editor: …", "KOMENTAR", "Gambar:") — and frequency across documents: the same short
//! line on many pages is furniture even when nothing about the line itself says so.

use std::sync::OnceLock;

use rayon::prelude::*;

use super::Paragraphs;
use crate::text::normalize::normalize;
use crate::text::paragraph::ends_sentence;
use crate::text::terms::words;

/// Lines longer than this many words are never boilerplate.
const MAX_WORDS: usize = 30;
/// Longer paragraphs are boilerplate only when repeated in this many times `min_docs`
/// documents (a site footer on every page); fewer repeats are syndicated copies, handled
/// as exact or near duplicates that keep their first copy.
const LONG_LINE_FACTOR: usize = 4;

/// Prefixes of link lines that point to another article ("Baca juga: <headline>").
const LINK_LABELS: &[&str] = &[
    "baca juga",
    "baca pula",
    "lihat juga",
    "simak juga",
    "simak video",
    "tonton juga",
    "artikel terkait",
    "berita terkait",
    "baca selengkapnya",
    "read more",
    "read also",
    "see also",
    "related",
    "also read",
];

/// Labels of metadata lines ("Penulis: Adam", "Editor | : | Adam |", "Foto: Antara").
const META_LABELS: &[&str] = &[
    "penulis",
    "editor",
    "reporter",
    "pewarta",
    "redaktur",
    "sumber",
    "foto",
    "gambar",
    "video",
    "ilustrasi",
    "tags",
    "tag",
    "topik",
    "kata kunci",
    "writer",
    "author",
    "photo",
    "image",
    "source",
    "credit",
    "copyright",
];

/// Whole lines that are page furniture on their own.
const FURNITURE: &[&str] = &[
    "komentar",
    "komentar anda",
    "advertisement",
    "iklan",
    "scroll to continue with content",
    "scroll untuk melanjutkan",
    "bagikan",
    "share",
    "share this article",
    "comments",
    "loading",
    "berita terkait",
    "artikel terkait",
    "baca juga",
    "baca selengkapnya",
    "read more",
    "related articles",
];

/// Per global paragraph: whether it is boilerplate.
pub fn detect(paragraphs: &Paragraphs, min_docs: usize) -> Vec<bool> {
    // The number of documents each text appears in: sorted (key, document, paragraph)
    // records, one count per run of equal keys, handed to each paragraph of the run.
    let mut records: Vec<(u64, u32, u32)> = (0..paragraphs.len())
        .map(|g| (paragraphs.print(g).key, paragraphs.at(g).doc, g as u32))
        .collect();
    records.par_sort_unstable();
    let mut docs_with_text = vec![0u32; paragraphs.len()];
    for run in records.chunk_by(|a, b| a.0 == b.0) {
        let docs = 1 + run.windows(2).filter(|w| w[0].1 != w[1].1).count() as u32;
        for r in run {
            docs_with_text[r.2 as usize] = docs;
        }
    }
    drop(records);
    (0..paragraphs.len())
        .into_par_iter()
        .map(|g| {
            let print = paragraphs.print(g);
            let needed = if print.is_short {
                min_docs
            } else {
                min_docs * LONG_LINE_FACTOR
            };
            print.is_label || (!print.is_title && docs_with_text[g] as usize >= needed)
        })
        .collect()
}

/// Whether a line, on its own, looks like page furniture rather than article text.
pub fn is_label_line(text: &str) -> bool {
    // Labels are decided by their first characters; normalising only those keeps this
    // cheap enough to run on every sentence.
    const HEAD_CHARS: usize = 64;
    let is_piped = || text.matches('|').count() >= 2;
    if !may_start_a_label(text) {
        // Only the pipe shape is left to look at: short, unfinished, with pipes. A finished
        // sentence (most) is rejected before any word is counted.
        return !ends_sentence(text) && words(text).take(13).count() <= 12 && is_piped();
    }
    // Counting stops past the limit: long paragraphs are rejected without a full scan.
    let words = words(text).take(MAX_WORDS + 1).count();
    if words > MAX_WORDS {
        return false;
    }
    let cut = text
        .char_indices()
        .nth(HEAD_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let norm = normalize(&text[..cut]);
    let whole = cut == text.len();
    let bare = norm.trim_end_matches(|c: char| !c.is_alphanumeric());
    if whole && FURNITURE.contains(&bare) {
        return true;
    }
    // "Baca Juga: <headline>": a link label followed by another article's headline.
    let is_link = LINK_LABELS.iter().any(|label| {
        norm.strip_prefix(label)
            .is_some_and(|rest| rest.starts_with([':', '|', '-', '–', '»']) || rest.is_empty())
    });
    if is_link {
        return true;
    }
    if ends_sentence(text) || words > 12 {
        return false;
    }
    // "Penulis | : | Adam Rizal |", "Editor: Adam", "Gambar:".
    let is_meta = META_LABELS.iter().any(|label| {
        norm.strip_prefix(label)
            .is_some_and(|rest| rest.trim_start().starts_with([':', '|']))
    });
    is_meta || is_piped()
}

/// Whether the normalised `text` could start with a label: false when it starts with an
/// ASCII word that begins no label (most sentences), or with an opening quotation mark or
/// a dash (quoted speech), which normalising keeps and no label starts with; so these skip
/// normalisation. A first word running on into other characters is left to the full test
/// (normalising could turn them into letters).
fn may_start_a_label(text: &str) -> bool {
    let text = text.trim_start();
    if text.starts_with(['“', '‘', '«', '–', '—']) {
        return false;
    }
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    match text.as_bytes().get(letters) {
        Some(b) if !b.is_ascii() => return true,
        _ if letters == 0 => return false,
        _ => {}
    }
    // Some label's first word is `first`, in any case.
    let mut lower = [0u8; FIRST_WORD_BYTES];
    let Some(lower) = lower.get_mut(..letters) else {
        return false;
    };
    lower.copy_from_slice(&text.as_bytes()[..letters]);
    lower.make_ascii_lowercase();
    first_words().binary_search(&&*lower).is_ok()
}

/// No label's first word is longer.
const FIRST_WORD_BYTES: usize = 16;

/// The first words of every label, sorted.
fn first_words() -> &'static [&'static [u8]] {
    static WORDS: OnceLock<Vec<&'static [u8]>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: Vec<&[u8]> = [LINK_LABELS, META_LABELS, FURNITURE]
            .iter()
            .flat_map(|labels| labels.iter())
            .map(|label| label.split(' ').next().unwrap_or(label).as_bytes())
            .collect();
        words.sort_unstable();
        words.dedup();
        words
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_from_the_sample_corpus() {
        for line in [
            "Baca Juga: vivo X200 Series Segera Meluncur, Pakai RAM dan Kamera Canggih",
            "Penulis | : | Adam Rizal |",
            "Editor | : | Adam Rizal |",
            "KOMENTAR",
            "Gambar:",
            "ADVERTISEMENT",
            "SCROLL TO CONTINUE WITH CONTENT",
            "Read more: Markets rally as rates fall",
        ] {
            assert!(is_label_line(line), "{line}");
        }
    }

    /// Lines made of label words, other words, punctuation and characters that normalise
    /// into letters: a line the first-word filter turns away starts with no whole label
    /// once normalised, so the full test would have found none either.
    #[test]
    fn first_word_filter_turns_away_no_label() {
        const PIECES: &[&str] = &[
            "Baca", "baca", "BACA", "juga", "Juga", "Penulis", "tag", "Tags", "kata", "kunci",
            "Share", "this", "article", "KOMENTAR", "foto1", "Read", "more", "Menurut", "dia",
            "Bac", "a", " ", "  ", ":", "|", "-", "–", "»", ".", "!", "\u{a0}", "Ｂaca", "ａ",
            "ｊuga", "ﬁ", "é", "\u{301}", "2", "\n", "“", "‘", "«", "—", "\"",
        ];
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let (mut turned_away, mut let_through) = (0, 0);
        for _ in 0..100_000 {
            let n = 1 + next() % 6;
            let line: String = (0..n)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            if may_start_a_label(&line) {
                let_through += 1;
                continue;
            }
            turned_away += 1;
            let norm = normalize(&line);
            let label = [LINK_LABELS, META_LABELS, FURNITURE]
                .iter()
                .flat_map(|labels| labels.iter())
                .find(|label| {
                    // Every label test needs the label to end where a word ends.
                    norm.strip_prefix(*label)
                        .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
                });
            assert!(
                label.is_none(),
                "{line:?} -> {norm:?} starts with {label:?}"
            );
        }
        assert!(
            turned_away > 20_000 && let_through > 20_000,
            "{turned_away} {let_through}"
        );
    }

    #[test]
    fn label_first_words_are_short_lower_case_letters() {
        for word in first_words() {
            assert!(word.len() <= FIRST_WORD_BYTES, "{word:?}");
            assert!(word.iter().all(u8::is_ascii_lowercase), "{word:?}");
        }
    }

    #[test]
    fn only_label_letters_need_a_closer_look() {
        assert!(may_start_a_label("  baca juga"));
        assert!(may_start_a_label("Ｂaca")); // full width: decided after NFKC
        assert!(!may_start_a_label("Menurut dia, harga naik."));
        assert!(!may_start_a_label("Pemerintah menaikkan harga."));
        assert!(!may_start_a_label("Bagaimana tidak?"));
        assert!(may_start_a_label("Foto: Dok"));
        assert!(!may_start_a_label("“Kami siap,” kata dia."));
        assert!(!may_start_a_label("   "));
        assert!(is_label_line("Menurut | dia | naik")); // the pipe shape still counts
    }

    #[test]
    fn article_text_is_not_a_label() {
        for line in [
            "China Telecom melatih model AI dengan chip buatan China",
            "\"Kami terus mendorong pengembangan industri,\" katanya.",
            "Editor senior itu mengatakan: harga akan naik tahun depan.",
            "Sumber daya alam Indonesia melimpah.",
            "Fakta Menarik",
            "Berikut daftarnya:",
        ] {
            assert!(!is_label_line(line), "{line}");
        }
    }
}
