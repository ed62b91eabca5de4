//! Fingerprints: everything duplicate detection needs to know of a paragraph, without its
//! text.
//!
//! Detection runs on these alone, so the text can be dropped as soon as a batch of
//! documents is fingerprinted and read again only to write the outputs: memory then
//! grows with the number of paragraphs, not with the size of the corpus.

use std::cell::RefCell;
use std::ops::Range;

use super::boilerplate::is_label_line;
use super::shingle::{append_shingles, sort_distinct_from};
use super::DedupConfig;
use crate::text::normalize::{exact_key, normalize};
use crate::text::paragraph::ends_with_full_stop;
use crate::text::terms::TermAnalyzer;
use crate::text::Lang;

/// A content term, folded to 32 bits: a million paragraphs' terms stay in memory, and
/// two terms of one article colliding is about as likely as one in a few thousand
/// articles having one such pair, which moves a weight slightly, nothing more.
pub type Term = u32;

/// A term id folded to a [`Term`], keeping its lowest bit (whether the word has a digit,
/// see [`crate::text::terms::is_number_term`]).
fn fold(id: u64) -> Term {
    (((id ^ (id >> 32)) as Term) & !1) | (id as Term & 1)
}

/// Whether a term is a word with a digit (a number, a date, an amount, a time).
pub fn is_number(t: Term) -> bool {
    crate::text::terms::is_number_term(u64::from(t))
}

/// Paragraphs of up to this many words count as short lines for boilerplate.
pub const SHORT_LINE_WORDS: usize = 12;

/// What detection knows of one paragraph; its shingles and terms are in its
/// [`DocPrint`] (one allocation per document, not two per paragraph).
#[derive(Debug, Clone, PartialEq)]
pub struct ParaPrint {
    /// Exact-copy key of the normalised text.
    pub key: u64,
    /// Length of the text in bytes (saturated at `u32::MAX`).
    pub len: u32,
    /// End of this paragraph's shingles in [`DocPrint`]'s (start: the previous end).
    shingles_end: u32,
    /// End of this paragraph's terms in [`DocPrint`]'s.
    terms_end: u32,
    /// End of this paragraph's number slots in [`DocPrint`]'s.
    slots_end: u32,
    /// The article's title paragraph (never dropped, never compared).
    pub is_title: bool,
    /// Looks like page furniture on its own ("Baca juga: …", "KOMENTAR"); only looked at
    /// when boilerplate is searched for.
    pub is_label: bool,
    /// At most [`SHORT_LINE_WORDS`] words; only counted when boilerplate is searched for.
    pub is_short: bool,
    /// Shaped like a line of page furniture rather than prose: at most [`LINE_WORDS`]
    /// words and no full stop at the end (`Simak juga Video: <a headline>?`).
    /// Only looked at when boilerplate is searched for.
    pub is_line: bool,
    /// At least [`ANCHOR_WORDS`] words: long enough to tell one story from another.
    pub is_anchor_size: bool,
    /// Hash of the paragraph's first two words, lower-cased (0 when it opens with a digit,
    /// as numbered rows of a list do, or when boilerplate is not searched for): lines of one
    /// template share it ("Baca juga: …").
    pub opener: u32,
    /// Ends as a sentence does (see [`ends_as_prose`]): rows of a list, table or schedule,
    /// labels and headings do not, and are never restated.
    pub is_prose: bool,
    /// Opens with a quotation mark: quoted speech, which a recap (the writer's summary of
    /// the article) is not.
    pub opens_quote: bool,
    /// Opens as an item of a list does ("3. Cek Fakta: …", "• 3 Unit Mobil", "a) …"):
    /// items of one list are parallel rows, never restatements of each other.
    pub is_list_item: bool,
}

impl ParaPrint {
    /// The flags as the bits fingerprint files store them (see [`ParaPrint::stored`]).
    pub(crate) fn flag_bits(&self) -> u16 {
        [
            self.is_title,
            self.is_label,
            self.is_short,
            self.is_line,
            self.is_anchor_size,
            self.is_prose,
            self.opens_quote,
            self.is_list_item,
        ]
        .iter()
        .enumerate()
        .fold(0, |bits, (k, &on)| bits | (u16::from(on) << k))
    }

    /// A paragraph's fingerprint from what a fingerprint file stores; its sets are
    /// placed by [`DocPrint::push_stored`].
    pub(crate) fn stored(key: u64, len: u32, flag_bits: u16, opener: u32) -> ParaPrint {
        let on = |k: u16| flag_bits & (1 << k) != 0;
        ParaPrint {
            key,
            len,
            shingles_end: 0,
            terms_end: 0,
            slots_end: 0,
            is_title: on(0),
            is_label: on(1),
            is_short: on(2),
            is_line: on(3),
            is_anchor_size: on(4),
            is_prose: on(5),
            opens_quote: on(6),
            is_list_item: on(7),
            opener,
        }
    }
}

/// Whether `text` opens as an item of a numbered or bulleted list: a bullet or dash, or
/// one or two digits or one small letter followed by `.` or `)` and a space.
pub fn is_list_item(text: &str) -> bool {
    let text = text.trim_start();
    if text.starts_with(['•', '·', '▪', '►', '-', '–', '*']) {
        return true;
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let mark = if digits == 0 {
        usize::from(text.starts_with(|c: char| c.is_ascii_lowercase()))
    } else {
        digits
    };
    (1..=2).contains(&mark)
        && text[mark..].starts_with(['.', ')'])
        && text[mark + 1..].starts_with(char::is_whitespace)
}

/// Whether `text` ends as a sentence of prose does: with `.`, `!`, `?`, `…` or a closing
/// quotation mark or bracket. A row of a table or schedule ("13:35 WIB | Moto3 – Free
/// Practice 2", "1. Dewa United vs Port FC"), a heading or a label ("Lihat Video …:")
/// does not.
pub fn ends_as_prose(text: &str) -> bool {
    text.trim_end().chars().next_back().is_some_and(|c| {
        matches!(
            c,
            '.' | '!' | '?' | '…' | '"' | '\'' | '”' | '’' | '»' | ')' | ']'
        )
    })
}

/// Lines of furniture have at most this many words.
pub const LINE_WORDS: usize = 30;
/// Paragraphs of at least this many words anchor a line to its story (see
/// [`super::boilerplate`]).
pub const ANCHOR_WORDS: usize = 6;

/// Vectors each thread reuses while it fingerprints a document.
#[derive(Default)]
struct Scratch {
    shingles: Vec<u32>,
    terms: Vec<Term>,
    slots: Vec<u64>,
    said: super::copied::Said,
    /// One paragraph's term ids before they are folded to [`Term`]s.
    words: Vec<u64>,
    /// The normalised texts of the document's short paragraphs, end to end.
    short_text: String,
    /// Per short paragraph: its index and the end of its text in `short_text`.
    short_ends: Vec<(u32, u32)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// The fingerprints of one document's paragraphs, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocPrint {
    /// Hash of the document's site (its `--site-field`), 0 when it has none: templates of
    /// furniture are learned per site.
    pub site: u64,
    /// One per paragraph.
    pub paragraphs: Vec<ParaPrint>,
    /// The shingle sets of the paragraphs, end to end.
    shingles: Vec<u32>,
    /// The term sets of the paragraphs, end to end.
    terms: Vec<Term>,
    /// The number slots of the paragraphs (see [`crate::text::slots`]), end to end.
    slots: Vec<u64>,
    /// The normalised texts of the paragraphs too short for shingles (see
    /// [`super::short`]); none for most documents, so one pointer.
    short: Option<Box<ShortTexts>>,
    /// The paragraphs every sentence of which was said before in the article, in order,
    /// each with the paragraphs that said them (see [`super::copied`]); none for most.
    said: Box<[(u32, super::copied::Sayers)]>,
}

/// The normalised texts of a document's paragraphs too short for shingles; only these, so
/// that the text of the others is not kept.
#[derive(Debug, Clone, PartialEq)]
struct ShortTexts {
    /// The texts, end to end.
    text: Box<str>,
    /// Per short paragraph, in order: its index and the end of its text in `text`.
    ends: Box<[(u32, u32)]>,
}

impl DocPrint {
    /// Fingerprints the paragraphs of an analysed (or only segmented) document. With the
    /// restated search on, the terms it finds are also appended to `vocabulary`, if given,
    /// as [`crate::summarize::vocabulary`] would find them but unsorted: the terms of each
    /// paragraph that is neither the title nor a label line.
    pub fn of(
        doc: &crate::corpus::Document,
        analyzed: &crate::text::AnalyzedDoc,
        config: &DedupConfig,
        vocabulary: Option<&mut Vec<u64>>,
    ) -> DocPrint {
        let spans = analyzed
            .paragraphs
            .iter()
            .map(|p| (p.span.clone(), p.is_title));
        let mut print = DocPrint::build(&doc.text, spans, analyzed.lang, config, vocabulary);
        print.site = doc.site.as_deref().map_or(0, site_hash);
        print
    }

    /// Fingerprints the paragraphs of `text` at `spans` (`true` marks the title), with the
    /// terms of `lang`, for the searches `config` turns on.
    pub fn new(
        text: &str,
        spans: impl IntoIterator<Item = (Range<usize>, bool)>,
        lang: Lang,
        config: &DedupConfig,
    ) -> DocPrint {
        DocPrint::build(text, spans, lang, config, None)
    }

    /// [`DocPrint::new`], appending the body's terms to `vocabulary` as [`DocPrint::of`].
    fn build(
        text: &str,
        spans: impl IntoIterator<Item = (Range<usize>, bool)>,
        lang: Lang,
        config: &DedupConfig,
        mut vocabulary: Option<&mut Vec<u64>>,
    ) -> DocPrint {
        let searches = config.searches;
        let analyzer = searches.restated.then(|| TermAnalyzer::for_lang(lang));
        let spans = spans.into_iter();
        let mut paragraphs = Vec::with_capacity(spans.size_hint().0);
        let mut said_before = Vec::new();
        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch {
                shingles,
                terms,
                slots,
                said,
                words,
                short_text,
                short_ends,
            } = scratch;
            shingles.clear();
            terms.clear();
            slots.clear();
            said.clear();
            short_text.clear();
            short_ends.clear();
            for (p, (span, is_title)) in spans.enumerate() {
                let text = &text[span];
                let mut word_count = None;
                if let Some(analyzer) = &analyzer {
                    words.clear();
                    word_count = Some(analyzer.append_terms_and_slots(text, words, Some(slots)));
                    if let Some(vocabulary) = vocabulary.as_deref_mut() {
                        if !is_title && !is_label_line(text) {
                            vocabulary.extend_from_slice(words);
                        }
                    }
                    let start = terms.len();
                    terms.extend(words.iter().map(|&t| fold(t)));
                    sort_distinct_from(terms, start);
                    if !is_title {
                        let can_repeat = ends_as_prose(text) && !is_list_item(text);
                        if let Some(sayers) = said.paragraph(p, text, lang, can_repeat) {
                            said_before.push((as_u32(p), sayers));
                        }
                    }
                }
                if searches.near {
                    let n = append_shingles(text, config.shingle, config.shingle_size, shingles);
                    if !is_title && super::short::is_short(n, config) {
                        let normalized = normalize(text);
                        if super::short::is_compared(&normalized) {
                            short_text.push_str(&normalized);
                            short_ends.push((as_u32(p), as_u32(short_text.len())));
                        }
                    }
                }
                let furniture = searches.boilerplate && !is_title;
                let words = if furniture {
                    word_count.map_or_else(
                        || crate::text::terms::words(text).take(LINE_WORDS + 1).count(),
                        |n| n.min(LINE_WORDS + 1),
                    )
                } else {
                    0
                };
                paragraphs.push(ParaPrint {
                    key: exact_key(text),
                    len: as_u32(text.len()),
                    shingles_end: as_u32(shingles.len()),
                    terms_end: as_u32(terms.len()),
                    slots_end: as_u32(slots.len()),
                    is_title,
                    is_label: furniture && is_label_line(text),
                    is_prose: ends_as_prose(text),
                    opens_quote: text
                        .trim_start()
                        .starts_with(['"', '“', '”', '\'', '‘', '«']),
                    is_list_item: is_list_item(text),
                    is_short: furniture && words <= SHORT_LINE_WORDS,
                    is_line: furniture && words <= LINE_WORDS && !ends_with_full_stop(text),
                    is_anchor_size: furniture && words >= ANCHOR_WORDS,
                    opener: if furniture { opener(text) } else { 0 },
                });
            }
            // Kept for the whole run: copied out at their exact size, while the scratch
            // vectors keep their capacity for the thread's next document.
            DocPrint {
                site: 0,
                paragraphs,
                shingles: shingles.as_slice().into(),
                terms: terms.as_slice().into(),
                slots: slots.as_slice().into(),
                short: (!short_ends.is_empty()).then(|| {
                    Box::new(ShortTexts {
                        text: short_text.as_str().into(),
                        ends: short_ends.as_slice().into(),
                    })
                }),
                said: said_before.into(),
            }
        })
    }

    /// Sorted, distinct shingle hashes of paragraph `p` (near copies); empty once
    /// [`DocPrint::drop_shingles`] ran.
    pub fn shingles(&self, p: usize) -> &[u32] {
        self.part(&self.shingles, p, |para| para.shingles_end)
    }

    /// Sorted, distinct content terms of paragraph `p` (restated passages).
    pub fn terms(&self, p: usize) -> &[Term] {
        self.part(&self.terms, p, |para| para.terms_end)
    }

    /// The number slots of paragraph `p` (see [`crate::text::slots`]): none unless the
    /// restated search is on.
    pub fn slots(&self, p: usize) -> &[u64] {
        self.part(&self.slots, p, |para| para.slots_end)
    }

    /// Paragraph `p`'s part of `all`, values of the paragraphs end to end, each
    /// paragraph's `end` there (empty when `all` no longer holds it).
    fn part<'a, T>(&self, all: &'a [T], p: usize, end: fn(&ParaPrint) -> u32) -> &'a [T] {
        let start = p.checked_sub(1).map_or(0, |q| end(&self.paragraphs[q]));
        all.get(start as usize..end(&self.paragraphs[p]) as usize)
            .unwrap_or_default()
    }

    /// When every sentence of paragraph `p` was said before in the article by paragraphs
    /// `present` (by index), the earlier paragraph holding most of them (see
    /// [`super::copied::source`]); never unless the restated search is on.
    pub fn said_before(&self, p: usize, present: impl Fn(usize) -> bool) -> Option<usize> {
        let at = self
            .said
            .binary_search_by_key(&as_u32(p), |(q, _)| *q)
            .ok()?;
        super::copied::source(&self.said[at].1, present)
    }

    /// The paragraphs too short for shingles (see [`super::short`]), in order: each one's
    /// index and normalised text; none once [`DocPrint::drop_shingles`] ran.
    pub fn short_texts(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        let mut start = 0;
        let (text, ends) = self
            .short
            .as_deref()
            .map_or(("", &[][..]), |short| (&*short.text, &*short.ends));
        ends.iter().map(move |&(p, end)| {
            let line = text.get(start as usize..end as usize).unwrap_or_default();
            start = end;
            (p as usize, line)
        })
    }

    /// The paragraphs it saw every sentence of before, as paragraph `p`'s sayers (see
    /// [`DocPrint::said_before`]); what fingerprint files store.
    pub(crate) fn sayers(&self, p: usize) -> Option<&super::copied::Sayers> {
        let at = self
            .said
            .binary_search_by_key(&as_u32(p), |(q, _)| *q)
            .ok()?;
        Some(&self.said[at].1)
    }

    /// Appends a paragraph read back from a fingerprint file (see [`crate::index`]):
    /// `para`'s set ends are set here from the sets given.
    pub(crate) fn push_stored(
        &mut self,
        mut para: ParaPrint,
        shingles: &[u32],
        terms: &[Term],
        slots: &[u64],
        short: Option<&str>,
        sayers: Option<super::copied::Sayers>,
    ) {
        let p = as_u32(self.paragraphs.len());
        self.shingles.extend_from_slice(shingles);
        self.terms.extend_from_slice(terms);
        self.slots.extend_from_slice(slots);
        para.shingles_end = as_u32(self.shingles.len());
        para.terms_end = as_u32(self.terms.len());
        para.slots_end = as_u32(self.slots.len());
        self.paragraphs.push(para);
        if let Some(line) = short {
            let short = self.short.get_or_insert_with(|| {
                Box::new(ShortTexts {
                    text: "".into(),
                    ends: Box::new([]),
                })
            });
            let mut text = String::from(std::mem::take(&mut short.text));
            text.push_str(line);
            let mut ends = Vec::from(std::mem::take(&mut short.ends));
            ends.push((p, as_u32(text.len())));
            short.text = text.into();
            short.ends = ends.into();
        }
        if let Some(sayers) = sayers {
            let mut said = Vec::from(std::mem::take(&mut self.said));
            said.push((p, sayers));
            self.said = said.into();
        }
    }

    /// Frees the shingles and the short texts once the near-copy search is done with them.
    pub fn drop_shingles(&mut self) {
        self.shingles = Vec::new();
        self.short = None;
    }
}

/// Hash of a site name, never 0 (0 stands for no site).
pub fn site_hash(site: &str) -> u64 {
    crate::text::normalize::stable_hash(site).max(1)
}

/// Hash of the first two words of `text`, lower-cased; 0 when it opens with a digit or
/// has no word.
fn opener(text: &str) -> u32 {
    let mut words = crate::text::terms::words(text);
    let Some(first) = words.next() else {
        return 0;
    };
    if first.starts_with(|c: char| c.is_numeric()) {
        return 0;
    }
    let mut head = first.to_lowercase();
    if let Some(second) = words.next() {
        head.push(' ');
        head.push_str(&second.to_lowercase());
    }
    let h = crate::text::normalize::stable_hash(&head);
    ((h ^ (h >> 32)) as u32).max(1)
}

/// A set end as stored. Overflowing 32 bits takes over four billion words in one
/// document, gigabytes past the default 64 MB record limit; even then the sets past that
/// point come out cut short or empty (see [`DocPrint::shingles`]), never out of bounds.
fn as_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_mixes_the_high_half_into_the_low_and_keeps_the_number_bit() {
        assert_eq!(fold(1 << 33), 2);
        assert_eq!(fold((1 << 33) | 2), 0);
        assert_eq!(fold(0xFFFF_FFFF_0000_0000), 0xFFFF_FFFE);
        assert_eq!(fold(0xFFFF_FFFF_0000_0001), 0xFFFF_FFFF);
        for id in [4u64, 5, 1 << 40, (1 << 40) | 1, u64::MAX, u64::MAX - 1] {
            assert_eq!(is_number(fold(id)), crate::text::terms::is_number_term(id));
        }
    }

    #[test]
    fn items_of_lists_open_with_a_bullet_or_a_short_mark() {
        for item in [
            "3. Cek Fakta: Hoaks Tautan Pendaftaran",
            "12) Harga beras naik",
            "a. Kelurahan Rawa Buaya",
            "• 3 Unit Mobil Fortuner",
            "- Jumlah: 2 RT",
            "  1. Dewa United vs Port FC",
        ] {
            assert!(is_list_item(item), "{item}");
        }
        for prose in [
            "2025. Tahun yang sibuk bagi warga.",
            "3.000 warga mengungsi ke masjid.",
            "1.Tanpa spasi bukan butir daftar",
            "Harga beras naik.",
            "ab. Singkatan bukan butir.",
            "",
        ] {
            assert!(!is_list_item(prose), "{prose}");
        }
    }
    use crate::dedup::Searches;

    #[test]
    fn prose_ends_as_a_sentence_does() {
        for prose in [
            "Hujan turun sejak pagi.",
            "Benarkah? ",
            "\"Kami siap,\" kata dia.",
            "“Kami siap,” kata dia”",
            "Sidang ditunda (hingga Kamis)",
        ] {
            assert!(ends_as_prose(prose), "{prose}");
        }
        for row in [
            "13:35 WIB | Moto3 – Free Practice 2",
            "1. Dewa United vs Port FC",
            "Lihat Video 'Momen Ijab Kabul':",
            "Jadwal Lengkap",
            "",
        ] {
            assert!(!ends_as_prose(row), "{row}");
        }
    }

    /// A search that is off leaves its part of the fingerprints empty; the exact key and
    /// the length are always there.
    #[test]
    fn searches_turned_off_compute_nothing_for_themselves() {
        let text = "Baca juga: harga beras naik\n\nHarga beras di pasar naik tajam pekan ini.";
        let spans = [(0..27, false), (29..text.len(), false)];
        let print = |searches| {
            let config = DedupConfig {
                searches,
                ..DedupConfig::default()
            };
            DocPrint::new(text, spans.clone(), Lang::Indonesian, &config)
        };
        let all = print(Searches::default());
        assert!(!all.terms(1).is_empty() && !all.shingles(1).is_empty());

        assert!(all.paragraphs[0].is_label && all.paragraphs[0].is_short);
        let none = print(Searches {
            near: false,
            boilerplate: false,
            restated: false,
        });
        for (p, (span, _)) in spans.iter().enumerate() {
            assert!(none.terms(p).is_empty() && none.shingles(p).is_empty());
            assert!(!none.paragraphs[p].is_label && !none.paragraphs[p].is_short);
            assert_eq!(none.paragraphs[p].key, all.paragraphs[p].key);
            assert_eq!(none.paragraphs[p].len as usize, span.len());
        }
        // Boilerplate alone still counts words, without the terms.
        let furniture = print(Searches {
            near: false,
            boilerplate: true,
            restated: false,
        });
        assert_eq!(
            furniture.paragraphs,
            all.paragraphs
                .iter()
                .map(|p| ParaPrint {
                    shingles_end: 0,
                    terms_end: 0,
                    slots_end: 0,
                    ..p.clone()
                })
                .collect::<Vec<_>>()
        );
    }
}
