//! Boilerplate: site furniture that is not part of the article.
//!
//! Two kinds of evidence (after onion/jusText): local features of the line — short, no
//! sentence punctuation, shaped like a label ("Baca Juga: …", "Penulis | : | …",
//! "Editor: …", "KOMENTAR", "Gambar:") — and frequency across documents: the same short
//! line on many pages is furniture even when nothing about the line itself says so.

use std::sync::OnceLock;

use rayon::prelude::*;

use rustc_hash::FxHashMap;

use super::print::ParaPrint;
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
///   paragraph needs `LONG_LINE_FACTOR` times as many). Copies of one story (a page
///   scraped twice, a story republished by another site) count once: their repeats are
///   content, kept in the first copy and dropped from the others as copies of it. Two
///   pages tell the same story at a line when the nearest paragraph before or after the
///   line that is long enough to tell stories apart ([`ANCHOR_WORDS`](super::print::ANCHOR_WORDS) words, itself on
///   fewer pages than furniture is) is the same text on both, or nearly (see
///   `count_stories`): a republished story is often edited a little. Pages whose
///   longest paragraphs are nearly all the same (see [`story_sketches`]) are copies of one
///   story too: that needs no anchor, so a story copied onto more pages than an anchor
///   may be on (a page scraped every day for weeks) still counts once;
/// - it is line-shaped and opens with the first two words of a template of its site
///   (see `templates`): `Simak juga Video: <a different title each time>`.
pub fn detect(paragraphs: &Paragraphs, min_docs: usize) -> Vec<bool> {
    let sketches = story_sketches(paragraphs);
    let pages = pages_of_stories(&sketches);
    let pages_with_text = pages_per_text(paragraphs, &pages);
    let anchors = nearest_anchors(paragraphs, &pages_with_text, min_docs);
    let stories = stories_per_text(paragraphs, &pages_with_text, &anchors, &sketches, min_docs);
    let templates = templates(paragraphs, &pages, min_docs);
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

/// Per document: the page it is, copies of a page (the same [`StorySketch`]) being one.
/// A copy adds no page to a line's count, to an anchor's or to a template's: a story
/// scraped every day for a month is one page.
fn pages_of_stories(sketches: &[StorySketch]) -> Vec<u64> {
    (sketches.iter().enumerate())
        .map(|(doc, sketch)| match sketch[0] {
            0 => doc as u64,
            // Never a document number: sketch tokens get their top bit set.
            token => token | 1 << 63,
        })
        .collect()
}

/// Per global paragraph: the number of pages (see [`pages_of_stories`]) its text appears
/// on. Sorted (key, page, paragraph) records, one count per run of equal keys, handed to
/// each paragraph of the run.
fn pages_per_text(paragraphs: &Paragraphs, pages: &[u64]) -> Vec<u32> {
    let mut records: Vec<(u64, u64, u32)> = (0..paragraphs.len())
        .map(|g| {
            let doc = paragraphs.at(g).doc as usize;
            (paragraphs.print(g).key, pages[doc], g as u32)
        })
        .collect();
    records.par_sort_unstable();
    let mut pages_with_text = vec![0u32; paragraphs.len()];
    for run in records.chunk_by(|a, b| a.0 == b.0) {
        let pages = 1 + run.windows(2).filter(|w| w[0].1 != w[1].1).count() as u32;
        for r in run {
            pages_with_text[r.2 as usize] = pages;
        }
    }
    pages_with_text
}

/// No anchor before or after a paragraph.
const NO_ANCHOR: u32 = u32::MAX;

/// Per global paragraph: the global indexes of the nearest anchors before and after it in
/// its document ([`NO_ANCHOR`] for none). An anchor is a paragraph long enough to tell
/// stories apart, and on fewer pages than a long line of furniture must be.
fn nearest_anchors(
    paragraphs: &Paragraphs,
    pages_with_text: &[u32],
    min_docs: usize,
) -> Vec<(u32, u32)> {
    let is_anchor = |g: usize| {
        let print = paragraphs.print(g);
        print.is_anchor_size
            && !print.is_title
            && !print.is_label
            && (pages_with_text[g] as usize) < min_docs * LONG_LINE_FACTOR
    };
    (0..paragraphs.doc_count())
        .into_par_iter()
        .flat_map_iter(|doc| {
            let range = paragraphs.of_doc(doc);
            let mut around = vec![(NO_ANCHOR, NO_ANCHOR); range.len()];
            let mut last = NO_ANCHOR;
            for (k, g) in range.clone().enumerate() {
                around[k].0 = last;
                if is_anchor(g) {
                    last = g as u32;
                }
            }
            last = NO_ANCHOR;
            for (k, g) in range.enumerate().rev() {
                around[k].1 = last;
                if is_anchor(g) {
                    last = g as u32;
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
    pages_with_text: &[u32],
    anchors: &[(u32, u32)],
    sketches: &[StorySketch],
    min_docs: usize,
) -> Vec<u32> {
    let mut records: Vec<(u64, u32)> = (0..paragraphs.len())
        .filter(|&g| pages_with_text[g] as usize >= min_docs)
        .map(|g| (paragraphs.print(g).key, g as u32))
        .collect();
    records.par_sort_unstable();
    let runs: Vec<&[(u64, u32)]> = records.chunk_by(|a, b| a.0 == b.0).collect();
    let counted: Vec<(u32, &[(u64, u32)])> = runs
        .into_par_iter()
        .map(|run| {
            let occurrences: Vec<Occurrence> = run
                .iter()
                .map(|r| occurrence(paragraphs, r.1 as usize, anchors, sketches))
                .collect();
            (count_stories(&occurrences), run)
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

/// Paragraph `g` as an [`Occurrence`] of its text.
fn occurrence(
    paragraphs: &Paragraphs,
    g: usize,
    anchors: &[(u32, u32)],
    sketches: &[StorySketch],
) -> Occurrence {
    let doc = paragraphs.at(g).doc;
    let tokens = |anchor: u32| {
        (anchor != NO_ANCHOR).then(|| {
            let a = anchor as usize;
            anchor_tokens(paragraphs.print(a).key, paragraphs.shingles(a))
        })
    };
    Occurrence {
        doc: u64::from(doc),
        sketch: sketches[doc as usize],
        anchors: [tokens(anchors[g].0), tokens(anchors[g].1)],
    }
}

/// Bands of min-hashes of an anchor's shingles, two min-hashes a band: near copies of one
/// paragraph with Jaccard similarity J share a band with probability 1 - (1 - J²)³ (0.94
/// at J = 0.76, a word edited in each of two copies of a 40-word paragraph), paragraphs
/// written to one template (J = 0.3) seldom (0.26), unrelated ones almost never.
const ANCHOR_BANDS: usize = 3;

/// What identifies an anchor of exact key `key` and shingle hashes `shingles`: the key,
/// and [`ANCHOR_BANDS`] bands of two minima of its shingle hashes under permutations
/// (none without shingles).
pub fn anchor_tokens(key: u64, shingles: &[u32]) -> AnchorTokens {
    let mut tokens = [0u64; 1 + ANCHOR_BANDS];
    tokens[0] = key;
    if shingles.is_empty() {
        return tokens;
    }
    let min_hash = |i: u32| {
        // XOR with a seed and multiplication by an odd number permute the 32-bit hashes.
        let seed = 0x9e37_79b9u32.wrapping_mul(2 * i + 1);
        shingles
            .iter()
            .map(|&h| (h ^ seed).wrapping_mul(0x85eb_ca6b))
            .min()
            .unwrap_or(0)
    };
    for (band, token) in tokens[1..].iter_mut().enumerate() {
        let band = band as u32;
        // Never 0, which stands for no token (the shingle hashes are 32 bits, so a key
        // of two can be any 64-bit value; a band that happens to be 0 is one token less).
        *token = u64::from(min_hash(2 * band)) << 32 | u64::from(min_hash(2 * band + 1));
    }
    tokens
}

/// An anchor's tokens (see [`anchor_tokens`]); 0 stands for no token.
pub type AnchorTokens = [u64; 1 + ANCHOR_BANDS];

/// One occurrence of a text, as [`count_stories`] joins occurrences: its document, the
/// [`StorySketch`] of that document, and the tokens of the nearest anchors before and
/// after it (none when it has none on that side).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// The document, by a number no other document of the corpus has.
    pub doc: u64,
    /// The document's story sketch.
    pub sketch: StorySketch,
    /// The nearest anchor before the occurrence, and after it.
    pub anchors: [Option<AnchorTokens>; 2],
}

/// The number of stories among the `occurrences` of one text: occurrences are joined
/// when they share a document, a story sketch token, or an anchor before or after them
/// (the same anchor text, or a band of min-hashes of it, on the same side). Their order
/// does not matter.
pub fn count_stories(occurrences: &[Occurrence]) -> u32 {
    let mut parent: Vec<usize> = (0..occurrences.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    // The first occurrence holding each token; later holders join it. A token is tagged
    // with what it is: the document (0), the sketch (`u8::MAX`), or the side and slot of
    // an anchor's token (1 to 2 + 2 × ANCHOR_BANDS).
    let mut first: FxHashMap<(u8, u64), usize> = FxHashMap::default();
    for (i, occurrence) in occurrences.iter().enumerate() {
        let mut tokens = vec![(0u8, occurrence.doc)];
        tokens.extend((occurrence.sketch.iter().filter(|&&t| t != 0)).map(|&t| (u8::MAX, t)));
        for (side, anchor) in occurrence.anchors.iter().enumerate() {
            let Some(anchor) = anchor else { continue };
            for (slot, &token) in anchor.iter().enumerate() {
                if token != 0 {
                    tokens.push((1 + (side * (1 + ANCHOR_BANDS) + slot) as u8, token));
                }
            }
        }
        for token in tokens {
            let j = *first.entry(token).or_insert(i);
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            parent[a.max(b)] = a.min(b);
        }
    }
    (0..occurrences.len())
        .filter(|&i| root(&mut parent, i) == i)
        .count() as u32
}

/// Paragraphs of at least this many bytes tell a page's story (about 30 words): longer
/// than nearly any furniture.
const STORY_BYTES: u32 = 200;
/// How many of a page's story paragraphs its sketch keeps (the smallest keys).
const SKETCH_SIZE: usize = 4;

/// A page's story as tokens that copies of it share. Its story paragraphs are those of
/// `STORY_BYTES` or more, or on a page with fewer than `SKETCH_SIZE` of them, its
/// `SKETCH_SIZE` longest paragraphs of anchor size (many pages are written in short
/// paragraphs). With `SKETCH_SIZE` or more, the tokens are the hash of their
/// `SKETCH_SIZE` smallest keys less one, for each one left out (pages that share all but
/// one of them share a token: one paragraph edited or added); with fewer, the hash of
/// all their keys (the same paragraphs); none without any (0 for no token).
pub type StorySketch = [u64; SKETCH_SIZE];

/// The [`StorySketch`] of every document.
fn story_sketches(paragraphs: &Paragraphs) -> Vec<StorySketch> {
    (0..paragraphs.doc_count())
        .into_par_iter()
        .map(|doc| story_sketch(paragraphs.of_doc(doc).map(|g| paragraphs.print(g))))
        .collect()
}

/// The [`StorySketch`] of a document whose paragraphs have the fingerprints `prints`.
pub fn story_sketch<'a>(prints: impl Iterator<Item = &'a ParaPrint>) -> StorySketch {
    // The body's paragraphs long enough to anchor, longest first.
    let mut body: Vec<(u32, u64)> = prints
        .filter(|p| p.is_anchor_size && !p.is_title && !p.is_label)
        .map(|p| (p.len, p.key))
        .collect();
    body.sort_unstable_by(|a, b| b.cmp(a));
    body.dedup_by_key(|p| p.1);
    // The story paragraphs, or on a page with fewer, the longest paragraphs.
    let story = body.iter().take_while(|p| p.0 >= STORY_BYTES).count();
    let mut keys: Vec<u64> = body[..story.max(SKETCH_SIZE.min(body.len()))]
        .iter()
        .map(|p| p.1)
        .collect();
    keys.sort_unstable();
    keys.truncate(SKETCH_SIZE);
    sketch_of(&keys)
}

/// The [`StorySketch`] of a page whose chosen story paragraphs have `keys` (sorted, at
/// most `SKETCH_SIZE`).
fn sketch_of(keys: &[u64]) -> StorySketch {
    let hash = |keys: &mut dyn Iterator<Item = u64>| {
        // Never 0, which stands for no token.
        keys.fold(0x9e37_79b9_7f4a_7c15u64, |h, k| {
            (h ^ k).wrapping_mul(0x0100_0000_01b3).rotate_left(29)
        }) | 1
    };
    let mut sketch = [0; SKETCH_SIZE];
    if keys.len() < SKETCH_SIZE {
        if !keys.is_empty() {
            sketch[0] = hash(&mut keys.iter().copied());
        }
        return sketch;
    }
    for (out, token) in sketch.iter_mut().enumerate() {
        let mut rest = keys.iter().enumerate().filter(|(k, _)| *k != out);
        *token = hash(&mut rest.by_ref().map(|(_, &key)| key));
    }
    sketch
}

/// Share of a site's stories a template must open a line in.
const TEMPLATE_MIN_SHARE: f64 = 0.02;
/// Share of the paragraphs opening with a template's words that must be line-shaped.
const TEMPLATE_MIN_LINES: f64 = 0.8;

/// Templates of furniture learned from the corpus, as sorted `(site, opener)`: the first
/// two words of lines that, on one site, open a line-shaped paragraph in at least
/// `min_docs` stories, with at least `min_docs` different texts after them and as many as
/// 2% of the site's stories (a link to another article each time: "Baca juga: …", "Simak
/// juga Video: …", "[Gambas:Video …]"), and whose paragraphs are nearly all lines rather
/// than prose (so "Sementara itu, …", a frequent opening of sentences, is no template).
/// Copies of a page (the same [`StorySketch`]) are one story.
fn templates(paragraphs: &Paragraphs, pages: &[u64], min_docs: usize) -> Vec<(u64, u32)> {
    let opens = |g: usize| {
        let print = paragraphs.print(g);
        print.opener != 0 && !print.is_title
    };
    // (site, opener, key, story) of the lines with an opener: a small share of the
    // paragraphs, so this costs little memory on a large corpus.
    let mut lines: Vec<(u64, u32, u64, u64)> = (0..paragraphs.len())
        .filter(|&g| opens(g) && paragraphs.print(g).is_line)
        .map(|g| {
            let print = paragraphs.print(g);
            let doc = paragraphs.at(g).doc as usize;
            (paragraphs.site(g), print.opener, print.key, pages[doc])
        })
        .collect();
    lines.par_sort_unstable();
    let mut stories: Vec<(u64, u64)> = (0..paragraphs.doc_count())
        .map(|doc| (paragraphs.doc_site(doc), pages[doc]))
        .collect();
    stories.sort_unstable();
    stories.dedup();
    let mut site_stories: FxHashMap<u64, usize> = FxHashMap::default();
    for (site, _) in stories {
        *site_stories.entry(site).or_default() += 1;
    }
    // Openers on enough stories with enough different texts, and how many lines they open.
    let mut candidates: FxHashMap<(u64, u32), (usize, usize)> = FxHashMap::default();
    for run in lines.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let mut in_stories: Vec<u64> = run.iter().map(|r| r.3).collect();
        in_stories.sort_unstable();
        in_stories.dedup();
        let mut texts: Vec<u64> = run.iter().map(|r| r.2).collect();
        texts.sort_unstable();
        texts.dedup();
        // Different texts, not pages: copies of a story (syndication) open no template.
        let needed = (min_docs as f64).max(TEMPLATE_MIN_SHARE * site_stories[&run[0].0] as f64);
        if in_stories.len() >= min_docs && texts.len() as f64 >= needed {
            candidates.insert((run[0].0, run[0].1), (run.len(), 0));
        }
    }
    drop(lines);
    if candidates.is_empty() {
        return Vec::new();
    }
    // Every paragraph a candidate opens, lines or prose.
    for g in (0..paragraphs.len()).filter(|&g| opens(g)) {
        if let Some(c) = candidates.get_mut(&(paragraphs.site(g), paragraphs.print(g).opener)) {
            c.1 += 1;
        }
    }
    let mut found: Vec<(u64, u32)> = candidates
        .into_iter()
        .filter(|(_, (lines, all))| *lines as f64 >= TEMPLATE_MIN_LINES * *all as f64)
        .map(|(template, _)| template)
        .collect();
    found.sort_unstable();
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
    use crate::dedup::print::{site_hash, DocPrint};
    use crate::dedup::DedupConfig;

    /// Fingerprints of documents given as `(site, paragraphs)`.
    fn prints(docs: &[(&str, Vec<String>)]) -> Vec<DocPrint> {
        docs.iter()
            .map(|(site, paragraphs)| {
                let text = paragraphs.join("\n\n");
                let mut spans = Vec::new();
                let mut start = 0;
                for p in paragraphs {
                    spans.push((start..start + p.len(), false));
                    start += p.len() + 2;
                }
                let config = DedupConfig::default();
                let mut print = DocPrint::new(&text, spans, crate::text::Lang::Indonesian, &config);
                print.site = site_hash(site);
                print
            })
            .collect()
    }

    /// A paragraph of prose of story `n`, part `part`: long enough to anchor.
    /// Three prose passages in one paragraph: long enough to tell a page's story.
    fn long_prose(n: usize, part: usize) -> String {
        format!(
            "{} {} {}",
            prose(n, part),
            prose(n, part + 40),
            prose(n, part + 80)
        )
    }

    fn prose(n: usize, part: usize) -> String {
        let words = [
            "harga", "beras", "pasar", "warga", "kota", "banjir", "sekolah", "jalan",
        ];
        let mut text: Vec<String> = (0..12)
            .map(|k| {
                format!(
                    "{}{}",
                    words[(n * 7 + part * 3 + k) % words.len()],
                    (n * 31 + part * 17 + k * 5) % 97
                )
            })
            .collect();
        text.push("selesai.".into());
        text.join(" ")
    }

    /// Which paragraphs of `docs` are boilerplate, per document.
    fn furniture(docs: &[(&str, Vec<String>)], min_docs: usize) -> Vec<Vec<bool>> {
        let prints = prints(docs);
        let paragraphs = Paragraphs::new(&prints);
        let found = detect(&paragraphs, min_docs);
        (0..docs.len())
            .map(|d| paragraphs.of_doc(d).map(|g| found[g]).collect())
            .collect()
    }

    /// Whether paragraph `p` of every document is boilerplate.
    fn everywhere(docs: &[(&str, Vec<String>)], p: usize) -> bool {
        furniture(docs, 3).iter().all(|d| d[p])
    }

    /// Whether paragraph `p` of no document is boilerplate.
    fn nowhere(docs: &[(&str, Vec<String>)], p: usize) -> bool {
        furniture(docs, 3).iter().all(|d| !d[p])
    }

    #[test]
    fn a_long_line_needs_four_times_the_stories_of_a_short_one() {
        let footer =
            "Ikuti terus kabar terbaru seputar kota dan warga lewat kanal resmi kami setiap hari";
        let docs = |stories: usize| -> Vec<(&str, Vec<String>)> {
            (0..stories)
                .map(|n| ("a", vec![prose(n, 1), footer.to_string(), prose(n, 2)]))
                .collect()
        };
        assert!(nowhere(&docs(11), 1));
        assert!(everywhere(&docs(12), 1));
    }

    #[test]
    fn a_paragraph_on_as_many_pages_as_furniture_is_no_anchor() {
        // A passage and the line after it on `pages` pages, each page its own story
        // before them: the passage ties the line's copies into one story while it can be
        // an anchor (on fewer pages than a long line of furniture needs).
        let line = "Vonis dibacakan hari ini".to_string();
        let docs = |pages: usize| -> Vec<(&str, Vec<String>)> {
            (0..pages)
                .map(|n| ("a", vec![prose(n, 1), prose(500, 1), line.clone()]))
                .collect()
        };
        assert!(nowhere(&docs(8), 2));
        assert!(nowhere(&docs(11), 2));
        assert!(everywhere(&docs(12), 2));
    }

    #[test]
    fn titles_and_short_lines_are_no_anchors() {
        let line = "Vonis dibacakan hari ini".to_string();
        // The same short line before it on three pages of three stories.
        let docs: Vec<(&str, Vec<String>)> = (0..3)
            .map(|n| {
                (
                    "a",
                    vec!["Kabar pagi ini".to_string(), line.clone(), prose(n, 1)],
                )
            })
            .collect();
        assert!(everywhere(&docs, 1));
        // The same title (long enough to anchor) before it.
        let docs: Vec<(&str, Vec<String>)> = (0..3)
            .map(|n| ("a", vec![prose(500, 1), line.clone(), prose(n, 1)]))
            .collect();
        let mut prints = prints(&docs);
        for print in &mut prints {
            print.paragraphs[0].is_title = true;
        }
        let paragraphs = Paragraphs::new(&prints);
        let found = detect(&paragraphs, 3);
        assert!((0..3).all(|d| found[paragraphs.global(crate::dedup::ParaRef { doc: d, para: 1 })]));
    }

    #[test]
    fn an_anchor_joins_stories_only_on_the_same_side() {
        // Story 1's paragraph before the line on one page and after it on another: three
        // stories, not two.
        let line = "Vonis dibacakan hari ini".to_string();
        let docs = vec![
            ("a", vec![prose(1, 1), line.clone(), prose(5, 5)]),
            ("a", vec![prose(6, 6), line.clone(), prose(1, 1)]),
            ("a", vec![prose(2, 1), line.clone(), prose(2, 2)]),
        ];
        assert!(everywhere(&docs, 1));
    }

    #[test]
    fn near_copies_of_an_anchor_are_one_story() {
        // Three copies of a story, its paragraph before the line ending in another word
        // each time: one story.
        let line = "Vonis dibacakan hari ini".to_string();
        let docs: Vec<(&str, Vec<String>)> = ["usai.", "tuntas.", "rampung."]
            .iter()
            .enumerate()
            .map(|(n, end)| {
                let edited = prose(1, 1).replace("selesai.", end);
                ("a", vec![edited, line.clone(), prose(10 + n, 2)])
            })
            .collect();
        assert!(nowhere(&docs, 1));
    }

    #[test]
    fn labels_have_at_most_30_words_and_meta_labels_12() {
        let headline = |n: usize| -> String {
            (0..n)
                .map(|k| format!("kata{k}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        // "Baca juga:" and 28 words of headline: 30 words.
        assert!(is_label_line(&format!("Baca juga: {}", headline(28))));
        assert!(!is_label_line(&format!("Baca juga: {}", headline(29))));
        // "Penulis:" and 11 names: 12 words.
        assert!(is_label_line(&format!("Penulis: {}", headline(11))));
        assert!(!is_label_line(&format!("Penulis: {}", headline(12))));
    }

    #[test]
    fn lines_opening_with_a_number_or_titles_make_no_template() {
        // A schedule row on 3 of 100 pages, a different time each: no template (the
        // opener of a line that starts with a number is never learned).
        let page = |n: usize| {
            let mut paragraphs = vec![prose(n, 1)];
            if n < 3 {
                paragraphs.push(format!("{}.00 WIB rapat warga di balai kota", 10 + n));
            }
            paragraphs.push(prose(n, 2));
            ("a", paragraphs)
        };
        let docs: Vec<(&str, Vec<String>)> = (0..100).map(page).collect();
        assert!((0..3).all(|n| !furniture(&docs, 3)[n][1]));
        // Titles opening alike on many pages teach no template for the lines.
        let docs: Vec<(&str, Vec<String>)> = (0..100)
            .map(|n| {
                let mut paragraphs = vec![format!("Tonton pula Klip nomor {n} hari ini")];
                if n == 50 {
                    paragraphs.push("Tonton pula Klip: Judul Ramai Dibicarakan".into());
                }
                paragraphs.push(prose(n, 1));
                ("a", paragraphs)
            })
            .collect();
        let mut prints = prints(&docs);
        for print in &mut prints {
            print.paragraphs[0].is_title = true;
        }
        let paragraphs = Paragraphs::new(&prints);
        let found = detect(&paragraphs, 3);
        assert!(!found[paragraphs.global(crate::dedup::ParaRef { doc: 50, para: 1 })]);
    }

    /// Issue 13: a page scraped 30 times lost every paragraph as boilerplate. Its
    /// paragraphs were on more pages than an anchor may be, so each page was a story.
    #[test]
    fn a_story_on_more_pages_than_an_anchor_may_be_counts_once() {
        assert!(long_prose(1, 1).len() >= STORY_BYTES as usize);
        let line = "Vonis dibacakan hari ini".to_string();
        let story: Vec<String> = vec![
            long_prose(1, 1),
            line.clone(),
            long_prose(1, 2),
            long_prose(1, 3),
            long_prose(1, 4),
            long_prose(1, 5),
        ];
        let nothing =
            |docs: &[(&str, Vec<String>)]| furniture(docs, 3).iter().all(|d| d.iter().all(|f| !f));
        let docs: Vec<(&str, Vec<String>)> = vec![("a", story.clone()); 30];
        assert!(nothing(&docs));
        // Four versions of the page, a different paragraph edited in each but the first,
        // eight copies each: without the sketches the line would be on four stories.
        let mut docs: Vec<(&str, Vec<String>)> = Vec::new();
        for edited in [None, Some(0), Some(3), Some(5)] {
            let mut page = story.clone();
            if let Some(p) = edited {
                page[p].push_str(" lagi");
            }
            docs.extend(std::iter::repeat_n(("a", page), 8));
        }
        let sketches = story_sketches(&Paragraphs::new(&prints(&docs)));
        assert!(sketches.iter().all(|s| s.iter().all(|&t| t != 0)));
        assert!(nothing(&docs));
        // The line on three other stories too: furniture, on every page.
        docs.extend((2..5).map(|n| ("a", vec![long_prose(n, 1), line.clone(), long_prose(n, 2)])));
        assert!(furniture(&docs, 3).iter().all(|d| d[1]));
    }

    /// The indonews scrape repeated 30 times lost a list that two fact checks quote after
    /// the same passage: the passage, on 60 pages, could no longer anchor them together.
    #[test]
    fn copies_of_a_page_do_not_take_its_anchors_away() {
        let line = "Vonis dibacakan hari ini".to_string();
        let page = |n: usize, passage: usize| -> Vec<String> {
            vec![
                long_prose(n, 1),
                long_prose(n, 2),
                prose(passage, 9),
                line.clone(),
                long_prose(n, 3),
                long_prose(n, 4),
            ]
        };
        // Stories 1 and 2 quote one passage before the line, story 3 another: two stories.
        let mut docs: Vec<(&str, Vec<String>)> =
            vec![("a", page(1, 50)), ("a", page(2, 50)), ("a", page(3, 60))];
        assert!(furniture(&docs, 3).iter().all(|d| !d[3]));
        // Story 1 copied onto 20 pages: still two stories.
        docs.extend(std::iter::repeat_n(("a", page(1, 50)), 20));
        assert!(furniture(&docs, 3).iter().all(|d| !d[3]));
    }

    /// Only the body's paragraphs of anchor size tell a page's story: pages with one such
    /// paragraph each and the same short lines (or title, or labels) are different stories.
    #[test]
    fn pages_alike_only_in_short_lines_titles_and_labels_are_different_stories() {
        let shared = [
            "Kabar pagi ini",
            "Salam redaksi kota",
            "Terima kasih pembaca",
            "Sampai jumpa besok",
            "Foto: dok",
        ];
        let line = "Vonis dibacakan hari ini".to_string();
        let docs: Vec<(&str, Vec<String>)> = (0..3)
            .map(|n| {
                let mut page = vec![shared[0].to_string(), prose(n, 1)];
                page.extend(shared[1..].iter().map(|s| s.to_string()));
                page.push(line.clone());
                ("a", page)
            })
            .collect();
        let mut prints = prints(&docs);
        for print in &mut prints {
            print.paragraphs[0].is_title = true;
        }
        let paragraphs = Paragraphs::new(&prints);
        let sketches = story_sketches(&paragraphs);
        assert!(sketches
            .iter()
            .all(|s| s[0] != 0 && s[1..] == [0; SKETCH_SIZE - 1]));
        assert_eq!(
            sketches
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            3
        );
        let found = detect(&paragraphs, 3);
        for p in 2..7 {
            let on = |d| found[paragraphs.global(crate::dedup::ParaRef { doc: d, para: p })];
            assert!((0..3).all(on), "paragraph {p}");
        }
    }

    /// The sketch keeps the smallest keys of all the story paragraphs (not, say, those of
    /// the longest ones), and on a page short of story paragraphs the longest others.
    #[test]
    fn a_sketch_is_the_smallest_keys_of_the_story_paragraphs() {
        // Six story paragraphs of growing length, then two shorter ones on a second page.
        let with_words = |n: usize, words: usize| {
            let mut text = prose(n, 1);
            for k in 0..words {
                text.push_str(&format!(" kata{k}"));
            }
            text
        };
        let page: Vec<String> = (0..6).map(|k| with_words(k, 20 + 3 * k)).collect();
        let short: Vec<String> = vec![
            prose(7, 1),
            with_words(8, 20),
            prose(9, 1),
            "Foto: dok".into(),
        ];
        let docs = vec![("a", page.clone()), ("a", short.clone())];
        let prints = prints(&docs);
        let paragraphs = Paragraphs::new(&prints);
        let keys = |doc: usize| -> Vec<(u32, u64)> {
            paragraphs
                .of_doc(doc)
                .map(|g| (paragraphs.print(g).len, paragraphs.print(g).key))
                .collect()
        };
        let sketches = story_sketches(&paragraphs);
        let story = keys(0);
        assert!(story.iter().all(|&(len, _)| len >= STORY_BYTES));
        let mut smallest: Vec<u64> = story.iter().map(|p| p.1).collect();
        smallest.sort_unstable();
        smallest.truncate(SKETCH_SIZE);
        assert_eq!(sketches[0], sketch_of(&smallest));
        // The four longest are other keys on this page: the test tells the two apart.
        let mut longest: Vec<u64> = story[2..].iter().map(|p| p.1).collect();
        longest.sort_unstable();
        assert_ne!(smallest, longest);
        // Under STORY_BYTES: the three longest of anchor size (not the label).
        let short_keys = keys(1);
        assert!(short_keys[1].0 >= STORY_BYTES && short_keys[0].0 < STORY_BYTES);
        let mut three: Vec<u64> = short_keys[..3].iter().map(|p| p.1).collect();
        three.sort_unstable();
        assert_eq!(sketches[1], sketch_of(&three));
        // No story paragraph, no token; one, a token.
        assert_eq!(sketch_of(&[]), [0; SKETCH_SIZE]);
        assert_ne!(sketch_of(&[7])[0], 0);
        // Leave-one-out tokens: two key sets sharing three of four share one token.
        let other = [smallest[0], smallest[1], smallest[2], u64::MAX];
        let shared = sketch_of(&smallest)
            .iter()
            .filter(|t| sketch_of(&other).contains(t))
            .count();
        assert_eq!(shared, 1);
    }

    /// A site's pages copied 30 times: its templates need as many texts as before (2% of
    /// its stories, not of its pages).
    #[test]
    fn copies_of_a_site_keep_its_templates() {
        let link = |n: usize| format!("Tonton pula Klip: Judul Nomor {n} Ramai Dibicarakan");
        let site: Vec<(&str, Vec<String>)> = (0..100)
            .map(|n| {
                let mut page = vec![prose(n, 1)];
                page.extend((n < 3).then(|| link(n)));
                page.push(prose(n, 2));
                ("a", page)
            })
            .collect();
        assert!((0..3).all(|n| furniture(&site, 3)[n][1]));
        let copies: Vec<(&str, Vec<String>)> =
            site.iter().cycle().take(30 * 100).cloned().collect();
        let found = furniture(&copies, 3);
        assert!((0..3).all(|n| found[n][1]));
    }

    #[test]
    fn a_line_counts_once_per_story_not_once_per_page() {
        let line = "Vonis dibacakan hari ini".to_string();
        // Three copies of story 1 (one edited before the line, one after), and one other
        // story: two stories, under the three needed.
        let mut docs = vec![
            ("a", vec![prose(1, 1), line.clone(), prose(1, 2)]),
            ("a", vec![prose(1, 1), line.clone(), prose(1, 2)]),
            ("a", vec![prose(9, 9), line.clone(), prose(1, 2)]),
            ("a", vec![prose(1, 1), line.clone(), prose(8, 8)]),
            ("a", vec![prose(2, 1), line.clone(), prose(2, 2)]),
        ];
        assert!(furniture(&docs, 3).iter().all(|d| !d[1]));
        // A third story makes it furniture, on every page.
        docs.push(("a", vec![prose(3, 1), line.clone(), prose(3, 2)]));
        assert!(furniture(&docs, 3).iter().all(|d| d[1]));
        // Anchors are paragraphs of six words or more: short lines between tell nothing.
        let short = "Foto: dok".to_string();
        let docs: Vec<(&str, Vec<String>)> = (0..3)
            .map(|n| ("a", vec![short.clone(), line.clone(), prose(n, 1)]))
            .collect();
        assert!(furniture(&docs, 3).iter().all(|d| d[1]));
    }

    #[test]
    fn a_template_needs_pages_texts_and_lines_on_one_site() {
        let link = |n: usize| format!("Tonton pula Klip: Judul Nomor {n} Ramai Dibicarakan");
        let page = |n: usize, extra: Option<String>| {
            let mut paragraphs = vec![prose(n, 1)];
            paragraphs.extend(extra);
            paragraphs.push(prose(n, 2));
            ("a", paragraphs)
        };
        // On 3 of 100 pages of a site (3 >= 2% of 100): a template.
        let mut docs: Vec<(&str, Vec<String>)> = (0..100)
            .map(|n| page(n, (n < 3).then(|| link(n))))
            .collect();
        assert!((0..3).all(|n| furniture(&docs, 3)[n][1]));
        // Not on a site of 200 pages, where 2% is 4 pages.
        docs.extend((100..200).map(|n| page(n, None)));
        assert!((0..3).all(|n| !furniture(&docs, 3)[n][1]));
        // Nor on another site: the other site's pages do not count.
        let mut docs: Vec<(&str, Vec<String>)> = (0..100)
            .map(|n| page(n, (n < 3).then(|| link(n))))
            .collect();
        docs[2].0 = "b";
        assert!((0..3).all(|n| !furniture(&docs, 3)[n][1]));
        // The same text three times is no template (it is a repeated line, or not).
        let docs: Vec<(&str, Vec<String>)> =
            (0..10).map(|n| page(n, (n < 3).then(|| link(0)))).collect();
        let repeated = furniture(&docs, 4);
        assert!((0..3).all(|n| !repeated[n][1]));
        // Copies of a story count once: on a site of 300 pages (2% is 6), three texts on
        // six pages are no template.
        let docs: Vec<(&str, Vec<String>)> = (0..300)
            .map(|n| page(n, (n < 6).then(|| link(n % 3))))
            .collect();
        assert!((0..6).all(|n| !furniture(&docs, 3)[n][1]));
        // Words that open prose more than a fifth of the time open no template.
        let mut docs: Vec<(&str, Vec<String>)> =
            (0..20).map(|n| page(n, (n < 4).then(|| link(n)))).collect();
        docs[10]
            .1
            .push("Tonton pula klip lama itu di rumah warga kemarin sore.".into());
        assert!((0..4).all(|n| furniture(&docs, 3)[n][1]));
        docs[11]
            .1
            .push("Tonton pula klip baru itu di rumah warga kemarin sore.".into());
        assert!((0..4).all(|n| !furniture(&docs, 3)[n][1]));
    }

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
