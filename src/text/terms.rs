//! Content terms: lower-cased words, stopwords removed, stemmed, hashed to stable ids.
//!
//! Words are Unicode (UAX #29) words. Text made only of ASCII and of the common Latin,
//! quote, dash and space characters of news takes a fast path that gives exactly the
//! words of the full algorithm (checked against it by the tests); other text uses the
//! full algorithm. Each thread caches the term id of every word it has seen,
//! so the stopword test, the stemmer and the hash run once per distinct word.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::OnceLock;

use frostem::{Algorithm, Stemmer};
use unicode_segmentation::{UnicodeSegmentation, UnicodeWords};
use xxhash_rust::xxh3::xxh3_64;

use super::lang::Lang;
use super::normalize::stable_hash;
use rustc_hash::FxHashMap;

/// Turns text into content-term ids for one language.
pub struct TermAnalyzer {
    lang: Lang,
    stopwords: Option<&'static HashSet<&'static str>>,
    stemmer: Option<Stemmer>,
}

/// Term id of a lower-cased word, or `NOT_A_TERM` (a stopword or too short). A real id
/// equal to this value (one chance in 2^64) would just be dropped like a stopword.
const NOT_A_TERM: u64 = u64::MAX;

/// The per-thread cache is emptied when it holds this many words (bounds memory).
const CACHE_LIMIT: usize = 1 << 17;

/// Slots of the small direct-mapped cache in front of the map: 256 KB, which stays in
/// the core's own cache, where the map's megabytes do not.
const RECENT_SLOTS: usize = 1 << 14;

thread_local! {
    /// Hash of a word as written -> term id, for Indonesian (0) and English (1).
    static CACHE: RefCell<[TermCache; 2]> = RefCell::default();
}

/// Term ids of the words a thread has seen. Most words of a text are a few thousand
/// frequent ones: a slot indexed by the word's hash answers them with one memory access;
/// the map behind it holds the rest.
struct TermCache {
    /// `(word hash, term id)`, a word hash of 0 marking an empty slot.
    recent: Box<[(u64, u64)]>,
    all: FxHashMap<u64, u64>,
    /// The words of the text being looked up: `(word hash, start, end)`.
    pending: Vec<(u64, usize, usize)>,
}

impl Default for TermCache {
    fn default() -> TermCache {
        TermCache {
            recent: vec![(0, 0); RECENT_SLOTS].into_boxed_slice(),
            all: FxHashMap::default(),
            pending: Vec::new(),
        }
    }
}

/// The term id of the word with hash `key` from the cache's `recent` slots or `all` of
/// its words, computed by `term` on a miss.
#[inline]
fn get_or_insert(
    recent: &mut [(u64, u64)],
    all: &mut FxHashMap<u64, u64>,
    key: u64,
    term: impl FnOnce() -> u64,
) -> u64 {
    let slot = &mut recent[key as usize & (RECENT_SLOTS - 1)];
    if slot.0 == key && key != 0 {
        return slot.1;
    }
    let id = match all.get(&key) {
        Some(&id) => id,
        None => {
            let id = term();
            if all.len() >= CACHE_LIMIT {
                all.clear();
            }
            all.insert(key, id);
            id
        }
    };
    *slot = (key, id);
    id
}

impl TermAnalyzer {
    /// The analyzer for `lang`: stopwords and a Snowball stemmer for Indonesian and English,
    /// plain lower-cased words otherwise.
    pub fn for_lang(lang: Lang) -> TermAnalyzer {
        match lang {
            Lang::Indonesian | Lang::English => TermAnalyzer {
                lang,
                stopwords: stopwords(lang),
                stemmer: Some(Stemmer::new(if lang == Lang::Indonesian {
                    Algorithm::Indonesian
                } else {
                    Algorithm::English
                })),
            },
            Lang::Other(_) => TermAnalyzer {
                lang,
                stopwords: None,
                stemmer: None,
            },
        }
    }

    /// Stable ids of the content terms of `text`, in order, with repeats.
    pub fn terms(&self, text: &str) -> Vec<u64> {
        self.terms_and_words(text).0
    }

    /// The terms of `text` (as [`TermAnalyzer::terms`]) and its number of words (as
    /// [`word_count`]), in one pass.
    pub fn terms_and_words(&self, text: &str) -> (Vec<u64>, usize) {
        let mut out = Vec::with_capacity(text.len() / 8);
        let words = self.append_terms(text, &mut out);
        (out, words)
    }

    /// Appends the terms of `text` (as [`TermAnalyzer::terms`]) to `out`, so that many
    /// texts can share one vector; returns the number of words (as [`word_count`]).
    pub fn append_terms(&self, text: &str, out: &mut Vec<u64>) -> usize {
        self.append_terms_and_slots(text, out, None)
    }

    /// [`TermAnalyzer::append_terms`], appending the number slots of `text` (see
    /// [`super::slots`]) to `slots` too, from the same pass over its words.
    pub fn append_terms_and_slots(
        &self,
        text: &str,
        out: &mut Vec<u64>,
        slots: Option<&mut Vec<u64>>,
    ) -> usize {
        let mut words_seen = 0;
        let mut lower = String::new();
        let cache_slot = match self.lang {
            Lang::Indonesian => Some(0),
            Lang::English => Some(1),
            Lang::Other(_) => None,
        };
        let Some(slot) = cache_slot else {
            let mut in_order = Vec::new();
            words(text).for_each(|word| {
                if slots.is_some() {
                    in_order.push((xxh3_64(word.as_bytes()), word));
                }
                words_seen += 1;
                lower_case(word, &mut lower);
                let id = self.term_of(&lower);
                if id != NOT_A_TERM {
                    out.push(id);
                }
            });
            if let Some(slots) = slots {
                super::slots::append_slots(in_order, slots);
            }
            return words_seen;
        };
        CACHE.with(|cache| {
            let mut caches = cache.borrow_mut();
            let TermCache {
                recent,
                all,
                pending,
            } = &mut caches[slot];
            // First every word's key, then the lookups in a tight loop of their own: the
            // cache reads of many words are then in flight at once instead of one after
            // the other between word scans.
            pending.clear();
            pending.extend(words(text).map(|word| {
                // Keyed by a 64-bit hash of the word as written: a collision is as unlikely
                // as one between the term ids themselves.
                let start = word.as_ptr() as usize - text.as_ptr() as usize;
                (xxh3_64(word.as_bytes()), start, start + word.len())
            }));
            words_seen = pending.len();
            if let Some(slots) = slots {
                let in_order = pending
                    .iter()
                    .map(|&(key, start, end)| (key, &text[start..end]));
                super::slots::append_slots(in_order, slots);
            }
            let mut kept = out.len();
            out.resize(kept + pending.len(), 0);
            for &(key, start, end) in pending.iter() {
                let id = get_or_insert(recent, all, key, || {
                    lower_case(&text[start..end], &mut lower);
                    self.term_of(&lower)
                });
                // Stopwords are dropped without a branch on each word.
                out[kept] = id;
                kept += usize::from(id != NOT_A_TERM);
            }
            out.truncate(kept);
        });
        words_seen
    }

    /// The term id of one lower-cased word, or `NOT_A_TERM`.
    fn term_of(&self, lower: &str) -> u64 {
        let too_short = lower.chars().count() < 2 && !lower.chars().all(|c| c.is_numeric());
        if too_short || self.stopwords.is_some_and(|s| s.contains(lower)) {
            return NOT_A_TERM;
        }
        match &self.stemmer {
            Some(stemmer) if lower.chars().all(char::is_alphabetic) => {
                mark_digits(stable_hash(&stemmer.stem(lower)), false)
            }
            _ => mark_digits(
                stable_hash(lower),
                lower.bytes().any(|b| b.is_ascii_digit()),
            ),
        }
    }
}

/// A term id whose lowest bit says whether its word has a digit (a number, a date, an
/// amount, a time): restatement detection tells a different fact by its numbers from the
/// ids alone (see [`is_number_term`]).
fn mark_digits(id: u64, has_digit: bool) -> u64 {
    (id & !1) | u64::from(has_digit)
}

/// Whether a term id (or any fold of it that keeps the lowest bit) is that of a word with
/// a digit.
pub fn is_number_term(id: u64) -> bool {
    id & 1 == 1
}

/// Writes `word` in lower case into `out`.
fn lower_case(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// The stopword list of `lang`, if it has one.
pub fn stopwords(lang: Lang) -> Option<&'static HashSet<&'static str>> {
    static ID: OnceLock<HashSet<&'static str>> = OnceLock::new();
    static EN: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let load = |code| stop_words::get(code).iter().copied().collect();
    match lang {
        Lang::Indonesian => Some(ID.get_or_init(|| load("id"))),
        Lang::English => Some(EN.get_or_init(|| load("en"))),
        Lang::Other(_) => None,
    }
}

/// Words of `text` (Unicode word boundaries; at least one letter or digit).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    if text.is_ascii() {
        Words::Ascii(AsciiWords::new(text))
    } else if fast_path(text) {
        Words::Fast(FastWords { text, pos: 0 })
    } else {
        Words::Full(text.unicode_words())
    }
}

/// Number of words in `text`.
pub fn word_count(text: &str) -> usize {
    if text.is_ascii() {
        AsciiWords::new(text).count()
    } else {
        words(text).count()
    }
}

/// Word Break property values (UAX #29) of the characters the fast path knows. Single_Quote
/// acts as MidNumLet outside Hebrew; spaces, line breaks and other punctuation never join
/// words, so they are all `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wb {
    Letter,
    Numeric,
    ExtendNumLet,
    MidLetter,
    MidNum,
    MidNumLet,
    Other,
}

/// Word Break values of the ASCII characters.
const ASCII_WB: [Wb; 128] = {
    let mut table = [Wb::Other; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = match c {
            b'a'..=b'z' | b'A'..=b'Z' => Wb::Letter,
            b'0'..=b'9' => Wb::Numeric,
            b'_' => Wb::ExtendNumLet,
            b':' => Wb::MidLetter,
            b',' | b';' => Wb::MidNum,
            b'.' | b'\'' => Wb::MidNumLet,
            _ => Wb::Other,
        };
        b += 1;
    }
    table
};

/// The Word Break value of `c`, when the fast path knows it. Every `Letter` here is
/// alphabetic and no `Other` is alphanumeric.
#[inline]
fn word_break(c: char) -> Option<Wb> {
    if c.is_ascii() {
        return Some(ASCII_WB[c as usize]);
    }
    Some(match c {
        // Latin-1 and Latin Extended-A/B letters.
        '\u{aa}' | '\u{b5}' | '\u{ba}' | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' => Wb::Letter,
        '\u{f8}'..='\u{24f}' => Wb::Letter,
        '\u{b7}' => Wb::MidLetter,
        '\u{2018}' | '\u{2019}' | '\u{2024}' => Wb::MidNumLet,
        // No-break space, Latin-1 signs and punctuation, dashes, quotes, bullets, ellipsis,
        // currency.
        '\u{a0}'..='\u{a9}' | '\u{ab}' | '\u{ac}' | '\u{ae}'..='\u{b1}' | '\u{b4}' | '\u{b6}' => {
            Wb::Other
        }
        '\u{bb}' | '\u{bf}' | '\u{d7}' | '\u{f7}' => Wb::Other,
        '\u{2010}'..='\u{2017}' | '\u{201a}'..='\u{2023}' | '\u{2025}' | '\u{2026}' => Wb::Other,
        '\u{20ac}' | '\u{2122}' => Wb::Other,
        _ => return None,
    })
}

/// Whether every character of `text` is one the fast path knows.
fn fast_path(text: &str) -> bool {
    text.is_ascii() || text.chars().all(|c| word_break(c).is_some())
}

/// Words by one of the two segmenters.
enum Words<'a> {
    Ascii(AsciiWords<'a>),
    Fast(FastWords<'a>),
    Full(UnicodeWords<'a>),
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        match self {
            Words::Ascii(w) => w.next(),
            Words::Fast(w) => w.next(),
            Words::Full(w) => w.next(),
        }
    }

    /// Picks the segmenter once, not once per word (`count` and `for_each` come here).
    #[inline]
    fn fold<B, F: FnMut(B, &'a str) -> B>(self, init: B, f: F) -> B {
        match self {
            Words::Ascii(w) => w.fold(init, f),
            Words::Fast(w) => w.fold(init, f),
            Words::Full(w) => w.fold(init, f),
        }
    }
}

/// Character classes of ASCII bytes for [`AsciiWords`]: bit flags.
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const CONNECTOR: u8 = 4; // ExtendNumLet
const MID_LETTER: u8 = 8; // MidLetter or MidNumLetQ: joins letters
const MID_NUM: u8 = 16; // MidNum or MidNumLetQ: joins digits
const ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = match ASCII_WB[b] {
            Wb::Letter => LETTER,
            Wb::Numeric => DIGIT,
            Wb::ExtendNumLet => CONNECTOR,
            Wb::MidLetter => MID_LETTER,
            Wb::MidNum => MID_NUM,
            Wb::MidNumLet => MID_LETTER | MID_NUM,
            Wb::Other => 0,
        };
        b += 1;
    }
    table
};

/// [`FastWords`] for ASCII text. The word bytes of each 64-byte block are found at once as
/// a bit mask, so a word costs a few bit operations instead of a branch per byte.
struct AsciiWords<'a> {
    text: &'a str,
    /// Start of the current block.
    base: usize,
    /// The current block's word bytes not yet returned.
    mask: u64,
}

impl<'a> AsciiWords<'a> {
    fn new(text: &'a str) -> AsciiWords<'a> {
        AsciiWords {
            text,
            base: 0,
            mask: word_bytes(text.as_bytes(), 0),
        }
    }
}

/// Bit `k` set when byte `base + k` is in a word: a letter, digit or connector, or a mid
/// character joining two letters or two digits (WB6/WB7, WB11/WB12).
#[inline]
fn word_bytes(bytes: &[u8], base: usize) -> u64 {
    const WORD: u8 = LETTER | DIGIT | CONNECTOR;
    let class = |b: u8| ASCII_CLASS[usize::from(b)];
    let block = bytes.get(base..).unwrap_or_default();
    let block = &block[..block.len().min(64)];
    let (mut word, mut mid) = (0u64, 0u64);
    let mut chunks = block.chunks_exact(8);
    for (k, chunk) in (&mut chunks).enumerate() {
        let (w, m) = ascii_classes(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        word |= w << (8 * k);
        mid |= m << (8 * k);
    }
    let done = block.len() - chunks.remainder().len();
    for (k, &b) in chunks.remainder().iter().enumerate() {
        let c = class(b);
        word |= u64::from(c & WORD != 0) << (done + k);
        mid |= u64::from(c & (MID_LETTER | MID_NUM) != 0) << (done + k);
    }
    // Mid characters are few: check each one's neighbours.
    while mid != 0 {
        let k = mid.trailing_zeros();
        mid &= mid - 1;
        let i = base + k as usize;
        let (Some(&before), Some(&after)) = (bytes.get(i.wrapping_sub(1)), bytes.get(i + 1)) else {
            continue;
        };
        let (before, c, after) = (class(before), class(bytes[i]), class(after));
        if (before == LETTER && c & MID_LETTER != 0 && after == LETTER)
            || (before == DIGIT && c & MID_NUM != 0 && after == DIGIT)
        {
            word |= 1 << k;
        }
    }
    word
}

/// Calls `f` with every run of ASCII letters, digits and `_` in `bytes` (the `\w+` of
/// ASCII text), found 64 bytes at a time like [`AsciiWords`].
pub(crate) fn for_each_ascii_run(bytes: &[u8], mut f: impl FnMut(&[u8])) {
    let mut run_start = None;
    for (block, chunk) in bytes.chunks(64).enumerate() {
        let base = block * 64;
        let mut chunks = chunk.chunks_exact(8);
        let mut mask = 0u64;
        for (k, eight) in (&mut chunks).enumerate() {
            let x = u64::from_le_bytes(eight.try_into().unwrap_or_default());
            mask |= ascii_classes(x).0 << (8 * k);
        }
        let done = chunk.len() - chunks.remainder().len();
        for (k, &b) in chunks.remainder().iter().enumerate() {
            let word = ASCII_CLASS[usize::from(b)] & (LETTER | DIGIT | CONNECTOR) != 0;
            mask |= u64::from(word) << (done + k);
        }
        // Bits past the chunk's end are clear, so a run reaching the end of a short last
        // chunk ends there.
        let mut from = 0u32;
        while from < 64 {
            match run_start {
                Some(start) => {
                    let ends = bits_from(!mask, from);
                    if ends == 0 {
                        break;
                    }
                    from = ends.trailing_zeros();
                    f(&bytes[start..base + from as usize]);
                    run_start = None;
                }
                None => {
                    let starts = bits_from(mask, from);
                    if starts == 0 {
                        break;
                    }
                    from = starts.trailing_zeros();
                    run_start = Some(base + from as usize);
                }
            }
        }
    }
    if let Some(start) = run_start {
        f(&bytes[start..]);
    }
}

/// For eight ASCII bytes (little-endian in `x`): one bit per byte for the word characters
/// (letters, digits, `_`) and one for the mid characters (`:` `,` `;` `.` `'`), eight
/// bytes at a time (SWAR: no byte carries into the next, as every byte is below 0x80).
#[inline]
fn ascii_classes(x: u64) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit of each byte set when the byte is at least `lo` (for bytes below 0x80).
    let at_least = |x: u64, lo: u8| x + ONES * u64::from(0x80 - lo);
    let in_range = |x: u64, lo: u8, hi: u8| at_least(x, lo) & !at_least(x, hi + 1) & HIGH;
    let equals = |c: u8| !at_least(x ^ (ONES * u64::from(c)), 1) & HIGH;
    let letters = in_range(x | (ONES * 0x20), b'a', b'z');
    let digits = in_range(x, b'0', b'9');
    let word = letters | digits | equals(b'_');
    let mid = equals(b':') | equals(b',') | equals(b';') | equals(b'.') | equals(b'\'');
    // Gather the high bits into the low byte.
    let gather = |m: u64| (m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    (gather(word), gather(mid))
}

/// `mask` without its bits below bit `k`.
#[inline]
fn bits_from(mask: u64, k: u32) -> u64 {
    mask & u64::MAX.checked_shl(k).unwrap_or(0)
}

impl<'a> Iterator for AsciiWords<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        loop {
            while self.mask == 0 {
                self.base += 64;
                if self.base >= bytes.len() {
                    return None;
                }
                self.mask = word_bytes(bytes, self.base);
            }
            let first = self.mask.trailing_zeros();
            let start = self.base + first as usize;
            // The word runs to the first byte not in a word, maybe in a later block.
            let mut run = (self.mask >> first).trailing_ones() + first;
            while run == 64 {
                self.base += 64;
                self.mask = word_bytes(bytes, self.base);
                run = self.mask.trailing_ones();
            }
            self.mask = bits_from(self.mask, run);
            let end = (self.base + run as usize).min(bytes.len());
            // A run of connectors alone (`__`) has no letter or digit: not a word.
            if bytes[start] != b'_' || bytes[start..end].iter().any(|&b| b != b'_') {
                return Some(&self.text[start..end]);
            }
        }
    }
}

/// UAX #29 words of text whose characters all have a known [`Wb`] value: the rules WB5 to
/// WB13b that join letters, digits and connectors (the others only concern characters the
/// fast path does not take, or segments without letters or digits, which are not words).
struct FastWords<'a> {
    text: &'a str,
    pos: usize,
}

impl FastWords<'_> {
    /// The character at byte `i` and its Word Break value.
    #[inline]
    fn at(&self, i: usize) -> Option<(Wb, usize)> {
        let bytes = self.text.as_bytes();
        let b = *bytes.get(i)?;
        if b < 128 {
            return Some((ASCII_WB[b as usize], 1));
        }
        let c = self.text[i..].chars().next()?;
        Some((word_break(c).unwrap_or(Wb::Other), c.len_utf8()))
    }
}

impl<'a> Iterator for FastWords<'a> {
    type Item = &'a str;

    // Out of line, so that the ASCII segmenter inlines into the callers of `Words::next`.
    #[inline(never)]
    fn next(&mut self) -> Option<&'a str> {
        loop {
            // Skip to the next letter, digit or connector.
            let (start, mut last) = loop {
                let (wb, len) = self.at(self.pos)?;
                if matches!(wb, Wb::Letter | Wb::Numeric | Wb::ExtendNumLet) {
                    break (self.pos, wb);
                }
                self.pos += len;
            };
            let mut alnum = last != Wb::ExtendNumLet;
            let mut end = start + self.at(start).map_or(0, |(_, len)| len);
            while let Some((wb, len)) = self.at(end) {
                match wb {
                    // WB5, WB8, WB9, WB10, WB13a, WB13b.
                    Wb::Letter | Wb::Numeric | Wb::ExtendNumLet => {
                        alnum |= wb != Wb::ExtendNumLet;
                        last = wb;
                        end += len;
                        continue;
                    }
                    // WB6/WB7: letter (MidLetter | MidNumLetQ) letter;
                    // WB11/WB12: digit (MidNum | MidNumLetQ) digit.
                    Wb::MidLetter | Wb::MidNum | Wb::MidNumLet => {
                        let joins = match (last, wb) {
                            (Wb::Letter, Wb::MidLetter | Wb::MidNumLet) => Wb::Letter,
                            (Wb::Numeric, Wb::MidNum | Wb::MidNumLet) => Wb::Numeric,
                            _ => break,
                        };
                        match self.at(end + len) {
                            Some((next, next_len)) if next == joins => {
                                end += len + next_len;
                                continue;
                            }
                            _ => break,
                        }
                    }
                    Wb::Other => break,
                }
            }
            self.pos = end;
            if alnum {
                return Some(&self.text[start..end]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::xorshift;

    #[test]
    fn indonesian_stems_affixes_and_drops_stopwords() {
        let a = TermAnalyzer::for_lang(Lang::Indonesian);
        assert_eq!(a.terms("mengembangkan"), a.terms("pengembangan"));
        assert_eq!(a.terms("yang dan di"), Vec::<u64>::new());
        assert_eq!(a.terms("Chip 378.000").len(), 2);
    }

    #[test]
    fn english_stems_and_drops_stopwords() {
        let a = TermAnalyzer::for_lang(Lang::English);
        assert_eq!(a.terms("connections"), a.terms("connected"));
        assert!(a.terms("the of and").is_empty());
    }

    #[test]
    fn other_languages_keep_every_word() {
        let a = TermAnalyzer::for_lang(Lang::Other("deu"));
        assert_eq!(a.terms("Der Hund und die Katze").len(), 5);
    }

    /// The fast path gives the words of the full UAX #29 algorithm, on strings mixing every
    /// kind of character it handles (and some it does not, which take the full algorithm).
    #[test]
    fn fast_words_match_unicode_words() {
        const ALPHABET: &[char] = &[
            'a', 'Z', '0', '9', '_', ':', ',', ';', '.', '\'', '"', ' ', '\n', '\r', '\t', '-',
            '(', '/', 'é', 'ß', 'ǅ', '\u{a0}', '\u{b7}', '£', '€', '“', '”', '‘', '’', '\u{2024}',
            '–', '—', '…', '•', '×', '¸', '²', '\u{200e}', '\u{202f}', '\u{300}', 'ا', '中', '🇮',
        ];
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        let mut fast = 0;
        for round in 0..60_000 {
            let len = (next() % 12) as usize;
            // Mostly the common characters, so the fast path is taken often.
            let pool = [18, 35, ALPHABET.len()][round % 3];
            let text: String = (0..len)
                .map(|_| ALPHABET[(next() % pool as u64) as usize])
                .collect();
            fast += usize::from(fast_path(&text));
            let ours: Vec<&str> = words(&text).collect();
            let full: Vec<&str> = text.unicode_words().collect();
            assert_eq!(ours, full, "{text:?}");
        }
        assert!(fast > 35_000, "{fast}");
    }

    /// Up to 200 bytes of letters, digits, connectors, mid characters and separators, so
    /// words and joins cross the 8- and 64-byte block boundaries; some rounds mostly
    /// letters and digits, for long words.
    fn ascii_text(next: &mut impl FnMut() -> u64, round: usize) -> Vec<u8> {
        const ALPHABET: &[u8] = b"aZ09_:,;.'\" \n-(/";
        let len = (next() % 200) as usize;
        let pool = [6, 10, ALPHABET.len()][round % 3];
        (0..len)
            .map(|_| ALPHABET[(next() % pool as u64) as usize])
            .collect()
    }

    /// The block-wise ASCII segmenter gives the words of the full algorithm on long ASCII
    /// text, where words and joins cross the 8- and 64-byte block boundaries.
    #[test]
    fn ascii_words_match_unicode_words_across_blocks() {
        let mut next = xorshift(0x0123_4567_89ab_cdef);
        for round in 0..20_000 {
            let text: String = ascii_text(&mut next, round)
                .into_iter()
                .map(char::from)
                .collect();
            let ours: Vec<&str> = words(&text).collect();
            let full: Vec<&str> = text.unicode_words().collect();
            assert_eq!(ours, full, "{text:?}");
            assert_eq!(word_count(&text), full.len());
        }
    }

    /// The block-wise runs are the `\w+` runs of a byte-by-byte split, across block ends.
    #[test]
    fn ascii_runs_match_a_plain_split() {
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
        for round in 0..20_000 {
            let text = ascii_text(&mut next, round);
            let mut ours = Vec::new();
            for_each_ascii_run(&text, |run| ours.push(run.to_vec()));
            let plain: Vec<Vec<u8>> = text
                .split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                .filter(|w| !w.is_empty())
                .map(<[u8]>::to_vec)
                .collect();
            assert_eq!(ours, plain, "{:?}", String::from_utf8_lossy(&text));
        }
    }

    /// Many more distinct words than the front cache has slots: words evicted from it come
    /// back from the map with their ids.
    #[test]
    fn terms_survive_front_cache_evictions() {
        let text: String = (0..3 * RECENT_SLOTS).map(|k| format!("kata{k} ")).collect();
        let a = TermAnalyzer::for_lang(Lang::Indonesian);
        let first = a.terms(&text);
        assert_eq!(first.len(), 3 * RECENT_SLOTS);
        assert_eq!(a.terms(&text), first);
        let fresh: Vec<u64> = words(&text).map(|w| a.term_of(w)).collect();
        assert_eq!(first, fresh);
    }

    #[test]
    fn cached_terms_equal_fresh_ones() {
        let text =
            "Pemerintah mengembangkan pengembangan 378.000 yang dan Jakarta’s “Kota” rp5,5 a";
        for lang in [Lang::Indonesian, Lang::English] {
            let a = TermAnalyzer::for_lang(lang);
            let fresh: Vec<u64> = words(text)
                .map(|w| {
                    let mut lower = String::new();
                    lower_case(w, &mut lower);
                    a.term_of(&lower)
                })
                .filter(|&id| id != NOT_A_TERM)
                .collect();
            assert_eq!(a.terms(text), fresh);
            assert_eq!(a.terms(text), fresh); // from the cache
        }
    }
}
