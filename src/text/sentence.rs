//! Rule-based sentence splitting for Indonesian and English (and a generic fallback).
//!
//! A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or brackets after it)
//! when whitespace follows and the next word does not start in lower case. A full stop does
//! not end a sentence after a title or address abbreviation ("Prof.", "Jl.", "No.", "Mr."),
//! an initial ("A."), or a dotted abbreviation ("U.S.", "e.g."). Numbers such as "1,4" and
//! "378.000" never split because no whitespace follows their separators.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashSet;

use super::lang::Lang;
use super::paragraph::{trim_span, CLOSERS, SENTENCE_END};

/// Abbreviations after which a full stop never ends a sentence (lower case, no final dot).
const NEVER_FINAL: &[&str] = &[
    // shared
    "dr", "prof", "no", "nr", "st", "vs", "hal", "tel", "telp", "fig", "vol", "ed",
    "ph", // Indonesian titles, ranks, addresses
    "drs", "dra", "ir", "h", "hj", "kh", "jl", "jln", "gg", "kab", "kec", "kel", "prov", "pt",
    "tbk", "cv", "rp", "sdr", "sdri", "bpk", "yth", "tgl", "hlm", "kol", "jend", "brigjen",
    "mayjen", "letjen", "irjen", "komjen", "kombes", "akbp", "kompol", "ipda", "iptu", "aiptu",
    "bripka", "pol", "mr", "mrs", "ms", "sr", "jr", "gen", "col", "lt", "sgt", "capt", "rev",
    "gov", "sen", "rep", "inc", "ltd", "corp", "co", "dept", "approx", "mt", "ave", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "agu", "sep", "sept", "okt", "oct", "nov", "des", "dec",
];

/// Abbreviations that may also close a sentence: they split only before a capital.
const MAYBE_FINAL: &[&str] = &["dll", "dsb", "dst", "dkk", "tsb", "etc", "cs"];

/// Bytes of the longest abbreviation in [`NEVER_FINAL`] and [`MAYBE_FINAL`].
const LONGEST_ABBREVIATION: usize = 7;

/// Byte ranges of the sentences of `text`, trimmed, in order.
pub fn split_sentences(text: &str, lang: Lang) -> Vec<Range<usize>> {
    let mut sentences = Vec::new();
    for_each_sentence(text, lang, |span| sentences.push(span));
    sentences
}

/// Calls `f` with the byte range of each sentence of `text` (as [`split_sentences`]
/// returns them), collecting nothing: fingerprinting looks at every paragraph's sentences.
pub fn for_each_sentence(text: &str, lang: Lang, mut f: impl FnMut(Range<usize>)) {
    let _ = lang; // Indonesian and English share the rules; others use the same generic ones.
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Every terminator starts with one of these bytes, none of which continues a
        // UTF-8 sequence: other bytes are skipped without decoding.
        i = skip_to_possible_end(bytes, i);
        if !matches!(bytes.get(i), Some(b'.' | b'!' | b'?' | 0xe2 | 0xe3 | 0xef)) {
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if !SENTENCE_END.contains(&c) {
            i += c.len_utf8();
            continue;
        }
        // Extend over repeated terminators and closing quotes/brackets: `?!`, `."`, `.)`.
        let mut end = i + c.len_utf8();
        let mut last_terminator = c;
        while let Some(d) = text[end..].chars().next() {
            if SENTENCE_END.contains(&d) {
                last_terminator = d;
            } else if !CLOSERS.contains(&d) {
                break;
            }
            end += d.len_utf8();
        }
        let terminator_at = i;
        i = end;
        let rest = &text[end..];
        if !rest.starts_with(char::is_whitespace) && !rest.is_empty() {
            continue;
        }
        let next = rest.trim_start().chars().next();
        if next.is_some_and(char::is_lowercase) {
            continue;
        }
        if last_terminator == '.'
            && end == terminator_at + 1
            && !full_stop_ends(&text[start..terminator_at], next)
        {
            continue;
        }
        let span = trim_span(text, start..end);
        if !span.is_empty() {
            f(span);
        }
        start = end;
    }
    let tail = trim_span(text, start..text.len());
    if !tail.is_empty() {
        f(tail);
    }
}

/// The first position from `i` holding `.`, `!`, `?` or a non-ASCII byte (where a
/// terminator may start), or the end; eight bytes at a time (SWAR), as most bytes are not.
fn skip_to_possible_end(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        // A byte of `x ^ c` is zero where `x` has `c`: for bytes below 0x80 that is the
        // high bit clear after adding 0x7f. Bytes from 0x80 are caught by `x & HIGH`; their
        // carry only disturbs later bytes, so the first position found is still right.
        let zero = |c: u8| !(x ^ (ONES * u64::from(c))).wrapping_add(ONES * 0x7f) & HIGH;
        let found = (x & HIGH) | ((zero(b'.') | zero(b'!') | zero(b'?')) & !(x & HIGH));
        if found != 0 {
            return i + found.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    i + bytes[i.min(bytes.len())..]
        .iter()
        .position(|&b| matches!(b, b'.' | b'!' | b'?') || !b.is_ascii())
        .unwrap_or(bytes.len() - i.min(bytes.len()))
}

/// Abbreviations after which a full stop never ends a sentence, for fast lookup.
fn never_final() -> &'static FxHashSet<&'static str> {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| NEVER_FINAL.iter().copied().collect())
}

/// Whether a full stop right after `before` ends the sentence, given the next character.
fn full_stop_ends(before: &str, next: Option<char>) -> bool {
    let word = before
        .rsplit(|c: char| {
            c.is_whitespace() || matches!(c, '(' | '[' | '{' | '"' | '\'' | '“' | '‘')
        })
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return true;
    }
    // A long ASCII word without dots is no initial, dotted or listed abbreviation.
    if word.len() > LONGEST_ABBREVIATION && word.is_ascii() && !word.contains('.') {
        return true;
    }
    last_word_ends(word, next)
}

/// [`full_stop_ends`] given the last word before the full stop (not empty).
fn last_word_ends(word: &str, next: Option<char>) -> bool {
    // Most words are short and ASCII: lower-cased on the stack.
    let mut buf = [0u8; 32];
    let lower: Cow<str> = match buf.get_mut(..word.len()) {
        Some(buf) if word.is_ascii() => {
            buf.copy_from_slice(word.as_bytes());
            buf.make_ascii_lowercase();
            Cow::Borrowed(std::str::from_utf8(buf).unwrap_or_default())
        }
        _ => Cow::Owned(word.to_lowercase()),
    };
    let letters = lower.chars().filter(|c| c.is_alphabetic()).count();
    let is_initial = letters == 1 && word.chars().all(|c| c.is_alphabetic() || c == '.');
    let is_dotted = lower.contains('.') && lower.chars().all(|c| c.is_alphabetic() || c == '.');
    if never_final().contains(&*lower) || is_initial || is_dotted {
        return false;
    }
    if MAYBE_FINAL.contains(&&*lower) {
        return next.is_none_or(char::is_uppercase);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text, Lang::Indonesian)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn splits_on_terminators_before_capitals() {
        assert_eq!(
            split("Satu dua. Tiga empat! Lima? Enam"),
            ["Satu dua.", "Tiga empat!", "Lima?", "Enam"]
        );
    }

    #[test]
    fn keeps_abbreviations_and_numbers_together() {
        assert_eq!(
            split("Prof. Budi tinggal di Jl. Merdeka No. 5. Ia lahir 1,4 juta tahun lalu."),
            [
                "Prof. Budi tinggal di Jl. Merdeka No. 5.",
                "Ia lahir 1,4 juta tahun lalu."
            ]
        );
        assert_eq!(
            split("Jumlah paten mencapai 378.000 hingga akhir 2023. Itu banyak."),
            [
                "Jumlah paten mencapai 378.000 hingga akhir 2023.",
                "Itu banyak."
            ]
        );
        assert_eq!(
            split("Mr. Smith went to the U.S. Army base, e.g. Fort Bragg. Then home."),
            [
                "Mr. Smith went to the U.S. Army base, e.g. Fort Bragg.",
                "Then home."
            ]
        );
        assert_eq!(
            split("Ada buku, pena, dll. yang dibawa. Dia dr. hewan."),
            ["Ada buku, pena, dll. yang dibawa.", "Dia dr. hewan."]
        );
        assert_eq!(
            split("Ada buku, dll. Lalu pulang."),
            ["Ada buku, dll.", "Lalu pulang."]
        );
    }

    #[test]
    fn quotes_close_sentences_and_commas_do_not() {
        assert_eq!(
            split("\"Kami siap,\" katanya. \"Ini penting.\" Dia pergi."),
            ["\"Kami siap,\" katanya.", "\"Ini penting.\"", "Dia pergi."]
        );
        assert_eq!(
            split("Ia bertanya \"Kapan?\" lalu diam. Selesai."),
            ["Ia bertanya \"Kapan?\" lalu diam.", "Selesai."]
        );
    }

    #[test]
    fn long_words_skip_the_abbreviation_tests_rightly() {
        for word in NEVER_FINAL.iter().chain(MAYBE_FINAL) {
            assert!(word.len() <= LONGEST_ABBREVIATION, "{word}");
        }
        for word in [
            "Jakarta",
            "pemerintah",
            "BRIGJENXX",
            "a_b_c_d_e",
            "12345678",
            "Rp1,5juta",
        ] {
            for next in [None, Some('A'), Some('a')] {
                assert_eq!(
                    full_stop_ends(word, next),
                    last_word_ends(word, next),
                    "{word}"
                );
            }
        }
    }

    #[test]
    fn initials_do_not_split() {
        assert_eq!(
            split("Menurut A. Rahman, harga naik. Baik."),
            ["Menurut A. Rahman, harga naik.", "Baik."]
        );
    }

    #[test]
    fn spans_cover_only_non_space_text() {
        let text = "  Satu.   Dua.  ";
        for r in split_sentences(text, Lang::English) {
            assert_eq!(text[r.clone()].trim(), &text[r]);
        }
    }

    #[test]
    fn skips_to_the_first_possible_terminator() {
        const BYTES: &[u8] = &[
            b'a', b' ', b'.', b'!', b'?', b'-', 0x7f, 0x80, 0xc3, 0xe2, 0xff,
        ];
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1du64);
        for _ in 0..20_000 {
            let state = next();
            let len = (state % 40) as usize;
            // Mostly plain bytes, so the interesting ones fall anywhere in a chunk.
            let bytes: Vec<u8> = (0..len)
                .map(|k| {
                    let r = state.rotate_left(k as u32 * 7);
                    if r % 5 == 0 {
                        BYTES[(r >> 8) as usize % BYTES.len()]
                    } else {
                        b'x'
                    }
                })
                .collect();
            for from in 0..=len {
                let expected = from
                    + bytes[from..]
                        .iter()
                        .position(|&b| matches!(b, b'.' | b'!' | b'?') || b >= 0x80)
                        .unwrap_or(len - from);
                assert_eq!(
                    skip_to_possible_end(&bytes, from),
                    expected,
                    "{bytes:?} {from}"
                );
            }
        }
    }

    /// The byte-scanning splitter gives what the plain char-by-char one gave.
    #[test]
    fn matches_the_char_by_char_splitter() {
        fn reference_split(text: &str, lang: Lang) -> Vec<Range<usize>> {
            let _ = lang; // Indonesian and English share the rules; others use the same generic ones.
            let mut sentences = Vec::new();
            let mut start = 0;
            let mut chars = text.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if !SENTENCE_END.contains(&c) {
                    continue;
                }
                // Extend over repeated terminators and closing quotes/brackets: `?!`, `."`, `.)`.
                let mut end = i + c.len_utf8();
                let mut last_terminator = c;
                while let Some(&(j, d)) = chars.peek() {
                    if SENTENCE_END.contains(&d) {
                        last_terminator = d;
                    } else if !CLOSERS.contains(&d) {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                }
                let rest = &text[end..];
                if !rest.starts_with(char::is_whitespace) && !rest.is_empty() {
                    continue;
                }
                let next = rest.trim_start().chars().next();
                if next.is_some_and(char::is_lowercase) {
                    continue;
                }
                if last_terminator == '.' && end == i + 1 && !full_stop_ends(&text[start..i], next)
                {
                    continue;
                }
                let span = trim_span(text, start..end);
                if !span.is_empty() {
                    sentences.push(span);
                }
                start = end;
            }
            let tail = trim_span(text, start..text.len());
            if !tail.is_empty() {
                sentences.push(tail);
            }
            sentences
        }

        const PIECES: &[&str] = &[
            "a", "B", " ", ".", "!", "?", "…", "。", "！", "？", "\"", "”", ")", "Dr", "dll",
            "U.S", "é", "\n", "  ", "1,5", "x",
        ];
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 16) {
                state = next();
                text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            state = state.wrapping_add(1);
            assert_eq!(
                split_sentences(&text, Lang::English),
                reference_split(&text, Lang::English),
                "{text:?}"
            );
        }
    }
}
