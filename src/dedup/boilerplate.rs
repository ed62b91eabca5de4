//! Boilerplate: site furniture that is not part of the article.
//!
//! Two kinds of evidence (after onion/jusText): local features of the line — short, no
//! sentence punctuation, shaped like a label ("Baca Juga: …", "Penulis | : | …",
//! "Editor: …", "KOMENTAR", "Gambar:") — and frequency across documents: the same short
//! line on many pages is furniture even when nothing about the line itself says so.

use std::sync::OnceLock;

use rayon::prelude::*;

use rustc_hash::FxHashMap;

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
///
/// Three rules, any of which makes a line furniture:
/// - it looks like furniture on its own ([`is_label_line`]);
/// - the same text is on pages of at least `min_docs` different stories (a longer
///   paragraph needs [`LONG_LINE_FACTOR`] times as many). Copies of one story (a page
///   scraped twice, a story republished by another site) count once: their repeats are
///   content, kept in the first copy and dropped from the others as copies of it. Two
///   pages tell the same story at a line when the nearest paragraph before or after the
///   line that is long enough to tell stories apart ([`ANCHOR_WORDS`](super::print::ANCHOR_WORDS) words, itself on
///   fewer pages than furniture is) is the same text on both;
/// - it is line-shaped and opens with the first two words of a template of its site
///   (see [`templates`]): "Simak juga Video: <a different title each time>".
pub fn detect(paragraphs: &Paragraphs, min_docs: usize) -> Vec<bool> {
    let docs_with_text = docs_per_text(paragraphs);
    let anchors = nearest_anchors(paragraphs, &docs_with_text, min_docs);
    let stories = stories_per_text(paragraphs, &docs_with_text, &anchors, min_docs);
    let templates = templates(paragraphs, min_docs);
    (0..paragraphs.len())
        .into_par_iter()
        .map(|g| {
            let print = paragraphs.print(g);
            if print.is_title {
                return false;
            }
            let needed = if print.is_short {
                min_docs
            } else {
                min_docs * LONG_LINE_FACTOR
            };
            let site = paragraphs.site(g);
            print.is_label
                || stories[g] as usize >= needed
                || (print.is_line && templates.binary_search(&(site, print.opener)).is_ok())
        })
        .collect()
}

/// Per global paragraph: the number of documents its text appears in. Sorted (key,
/// document, paragraph) records, one count per run of equal keys, handed to each
/// paragraph of the run.
fn docs_per_text(paragraphs: &Paragraphs) -> Vec<u32> {
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
    docs_with_text
}

/// Per global paragraph: the exact keys of the nearest anchors before and after it in its
/// document (0 for none). An anchor is a paragraph long enough to tell stories apart, and
/// on fewer pages than a long line of furniture must be.
fn nearest_anchors(
    paragraphs: &Paragraphs,
    docs_with_text: &[u32],
    min_docs: usize,
) -> Vec<(u64, u64)> {
    let is_anchor = |g: usize| {
        let print = paragraphs.print(g);
        print.is_anchor_size
            && !print.is_title
            && !print.is_label
            && (docs_with_text[g] as usize) < min_docs * LONG_LINE_FACTOR
    };
    (0..paragraphs.doc_count())
        .into_par_iter()
        .flat_map_iter(|doc| {
            let range = paragraphs.of_doc(doc);
            let mut around = vec![(0u64, 0u64); range.len()];
            let mut last = 0;
            for (k, g) in range.clone().enumerate() {
                around[k].0 = last;
                if is_anchor(g) {
                    last = paragraphs.print(g).key;
                }
            }
            last = 0;
            for (k, g) in range.enumerate().rev() {
                around[k].1 = last;
                if is_anchor(g) {
                    last = paragraphs.print(g).key;
                }
            }
            around
        })
        .collect()
}

/// Per global paragraph: the number of different stories its text appears in (counted
/// only for texts on at least `min_docs` pages; 0 for the others, which cannot be
/// furniture by frequency). Occurrences of a text are one story when they are in one
/// document or share an anchor before or after them (see [`nearest_anchors`]).
fn stories_per_text(
    paragraphs: &Paragraphs,
    docs_with_text: &[u32],
    anchors: &[(u64, u64)],
    min_docs: usize,
) -> Vec<u32> {
    let mut records: Vec<(u64, u32)> = (0..paragraphs.len())
        .filter(|&g| docs_with_text[g] as usize >= min_docs)
        .map(|g| (paragraphs.print(g).key, g as u32))
        .collect();
    records.par_sort_unstable();
    let runs: Vec<&[(u64, u32)]> = records.chunk_by(|a, b| a.0 == b.0).collect();
    let counted: Vec<(u32, &[(u64, u32)])> = runs
        .into_par_iter()
        .map(|run| {
            let members: Vec<usize> = run.iter().map(|r| r.1 as usize).collect();
            (count_stories(paragraphs, &members, anchors), run)
        })
        .collect();
    let mut stories = vec![0u32; paragraphs.len()];
    for (count, run) in counted {
        for r in run {
            stories[r.1 as usize] = count;
        }
    }
    stories
}

/// The number of stories among the occurrences `members` of one text: occurrences are
/// joined when they share a document, an anchor before or an anchor after.
fn count_stories(paragraphs: &Paragraphs, members: &[usize], anchors: &[(u64, u64)]) -> u32 {
    let mut parent: Vec<usize> = (0..members.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    // The first occurrence holding each document or anchor; later holders join it.
    let mut first: FxHashMap<(u8, u64), usize> = FxHashMap::default();
    for (i, &g) in members.iter().enumerate() {
        let (before, after) = anchors[g];
        let doc = u64::from(paragraphs.at(g).doc);
        for token in [(0, doc), (1, before), (2, after)] {
            if token.0 != 0 && token.1 == 0 {
                continue;
            }
            let j = *first.entry(token).or_insert(i);
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            parent[a.max(b)] = a.min(b);
        }
    }
    (0..members.len())
        .filter(|&i| root(&mut parent, i) == i)
        .count() as u32
}

/// Share of a site's documents a template must open a line in.
const TEMPLATE_MIN_SHARE: f64 = 0.02;
/// Share of the paragraphs opening with a template's words that must be line-shaped.
const TEMPLATE_MIN_LINES: f64 = 0.8;

/// Templates of furniture learned from the corpus, as sorted `(site, opener)`: the first
/// two words of lines that, on one site, open a line-shaped paragraph on at least
/// `min_docs` pages and 2% of the site's pages, with at least `min_docs` different texts
/// after them (a link to another article each time: "Baca juga: …", "Simak juga Video:
/// …", "[Gambas:Video …]"), and whose paragraphs are nearly all lines rather than prose
/// (so "Sementara itu, …", a frequent opening of sentences, is no template).
fn templates(paragraphs: &Paragraphs, min_docs: usize) -> Vec<(u64, u32)> {
    // (site, opener, is a line, key, document) of every paragraph with an opener.
    let mut records: Vec<(u64, u32, bool, u64, u32)> = (0..paragraphs.len())
        .filter_map(|g| {
            let print = paragraphs.print(g);
            (print.opener != 0 && !print.is_title).then(|| {
                (
                    paragraphs.site(g),
                    print.opener,
                    print.is_line,
                    print.key,
                    paragraphs.at(g).doc,
                )
            })
        })
        .collect();
    records.par_sort_unstable();
    let mut site_docs: FxHashMap<u64, usize> = FxHashMap::default();
    for doc in 0..paragraphs.doc_count() {
        *site_docs.entry(paragraphs.doc_site(doc)).or_default() += 1;
    }
    let mut found = Vec::new();
    for run in records.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let lines: Vec<&(u64, u32, bool, u64, u32)> = run.iter().filter(|r| r.2).collect();
        if (lines.len() as f64) < TEMPLATE_MIN_LINES * run.len() as f64 {
            continue;
        }
        let mut docs: Vec<u32> = lines.iter().map(|r| r.4).collect();
        docs.sort_unstable();
        docs.dedup();
        let mut texts: Vec<u64> = lines.iter().map(|r| r.3).collect();
        texts.sort_unstable();
        texts.dedup();
        let needed = (min_docs as f64).max(TEMPLATE_MIN_SHARE * site_docs[&run[0].0] as f64);
        if docs.len() as f64 >= needed && texts.len() >= min_docs {
            found.push((run[0].0, run[0].1));
        }
    }
    found
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
