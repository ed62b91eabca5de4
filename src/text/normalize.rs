//! Normalisation for comparing paragraphs: NFKC, lower case, collapsed whitespace.

use std::cell::RefCell;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Seed of every hash that is compared across documents or runs (stable by design).
pub const HASH_SEED: u64 = 0x6465_6475_7073_756d; // "dedupsum"

/// NFKC-normalised, lower-cased text with runs of whitespace collapsed to one space.
pub fn normalize(text: &str) -> String {
    // Most scraped text is already in NFKC (all ASCII text is): skip the normaliser then.
    if text.is_ascii() {
        collapse_ascii(text)
    } else if let Some(latin) = normalize_latin(text) {
        latin
    } else if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        collapse(text.chars().flat_map(char::to_lowercase), text.len())
    } else {
        collapse(text.nfkc().flat_map(char::to_lowercase), text.len())
    }
}

/// [`normalize`] of text made of ASCII, Latin-1 letters, the no-break space and common
/// punctuation (curly quotes, dashes, bullet, euro and pound signs): each of these is its
/// own NFKC form except the no-break space, which becomes a space, and none combines with
/// a neighbour. `None` when `text` has any other character.
fn normalize_latin(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        let c = match c {
            '\u{a0}' => ' ',
            c if c.is_ascii() => c.to_ascii_lowercase(),
            '\u{c0}'..='\u{ff}' => {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) => l,
                    _ => return None,
                }
            }
            '\u{a3}' | '\u{2013}' | '\u{2014}' | '\u{2018}' | '\u{2019}' | '\u{201c}'
            | '\u{201d}' | '\u{2022}' | '\u{20ac}' => c,
            _ => return None,
        };
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    Some(out)
}

/// [`collapse`] of ASCII text, lower-cased, byte by byte.
fn collapse_ascii(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    collapse_ascii_into(text, &mut out);
    // ASCII in, ASCII out: always valid.
    String::from_utf8(out).unwrap_or_default()
}

/// Writes [`collapse_ascii`] of `text` into `out` (emptied first). This runs over every
/// byte of the corpus, so the common case is made of loops the compiler vectorises: lower
/// case all of it, then check that its whitespace is already single spaces between words.
fn collapse_ascii_into(text: &str, out: &mut Vec<u8>) {
    out.clear();
    out.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
    if is_collapsed(out) {
        return;
    }
    // Else in place: every byte is written, and the write position moves on unless the
    // byte is whitespace after whitespace (at the start, as after whitespace).
    let mut n = 0;
    let mut after_space = true;
    for i in 0..out.len() {
        let b = out[i];
        let space = is_ascii_space(b);
        out[n] = if space { b' ' } else { b };
        n += usize::from(!(space && after_space));
        after_space = space;
    }
    // A run of trailing whitespace left one space.
    if after_space && n > 0 {
        n -= 1;
    }
    out.truncate(n);
}

/// The ASCII characters `char::is_whitespace` accepts (it includes \x0b).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Whether ASCII `bytes` have no whitespace but single spaces between other characters.
fn is_collapsed(bytes: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    // Folds without an early exit, so that they vectorise.
    let other_space = bytes
        .iter()
        .fold(0u8, |acc, &b| acc | u8::from(b.wrapping_sub(b'\t') < 5));
    let double_space = bytes.iter().zip(&bytes[1..]).fold(0u8, |acc, (&a, &b)| {
        acc | (u8::from(a == b' ') & u8::from(b == b' '))
    });
    first != b' ' && last != b' ' && other_space | double_space == 0
}

/// Collects `chars` with runs of whitespace collapsed to one space and trimmed.
fn collapse(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in chars {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Stable 64-bit hash of a string.
pub fn stable_hash(text: &str) -> u64 {
    xxh3_64_with_seed(text.as_bytes(), HASH_SEED)
}

/// Key under which two paragraphs count as exact copies: the [`stable_hash`] of the
/// [`normalize`]d text.
pub fn exact_key(text: &str) -> u64 {
    if !text.is_ascii() {
        return stable_hash(&normalize(text));
    }
    // The common case, once per paragraph: normalised into a buffer each thread reuses.
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        collapse_ascii_into(text, buffer);
        xxh3_64_with_seed(buffer, HASH_SEED)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_path_matches_the_general_one() {
        let general = |text: &str| collapse(text.chars().map(|c| c.to_ascii_lowercase()), 0);
        for text in [
            "",
            "  A\x0b b\x0c\x1f\tC\r\n",
            "x  Y z ",
            "\n\n",
            "MiXeD 12 ;:",
        ] {
            assert_eq!(collapse_ascii(text), general(text));
        }
        const ALPHABET: &[u8] = b"aZ \t\n\r\x0b\x0c\x1f.1";
        let mut next = crate::testing::xorshift(0x0dd5_eed5_0f5a_ce5au64);
        for _ in 0..20_000 {
            let state = next();
            let text: String = (0..state % 11)
                .map(|k| ALPHABET[((state >> (k * 5)) % ALPHABET.len() as u64) as usize] as char)
                .collect();
            assert_eq!(collapse_ascii(&text), general(&text), "{text:?}");
        }
    }

    /// The Latin fast path gives what NFKC, lower case and collapsing give.
    #[test]
    fn latin_path_matches_the_general_one() {
        const ALPHABET: &[char] = &[
            'a', 'Z', ' ', '\n', '1', '.', '\u{a0}', 'É', 'é', 'ß', 'Ø', '×', '÷', 'ÿ', '£', '–',
            '—', '‘', '’', '“', '”', '•', '€', '\u{301}', 'ﬁ', '…',
        ];
        let mut next = crate::testing::xorshift(0x1234_5678_9abc_def1u64);
        for _ in 0..20_000 {
            let state = next();
            let text: String = (0..state % 9)
                .map(|k| ALPHABET[((state >> (k * 5)) % ALPHABET.len() as u64) as usize])
                .collect();
            let general = collapse(text.nfkc().flat_map(char::to_lowercase), text.len());
            assert_eq!(normalize(&text), general, "{text:?}");
        }
    }

    #[test]
    fn folds_case_width_and_whitespace() {
        assert_eq!(normalize("  Ｈｅｌｌｏ\t\n WORLD  "), "hello world");
        assert_eq!(normalize("ﬁnal"), "final");
        assert_eq!(normalize("Ünïcode  ÀB"), "ünïcode àb");
        assert_eq!(normalize("A\u{0308}"), "ä"); // composed by NFKC
        assert_eq!(exact_key("A  b"), exact_key("a b"));
        for text in ["", "  A\x0b b\tC\r\n", "MiXeD 12 ;:", "Ünïcode  ÀB"] {
            assert_eq!(exact_key(text), stable_hash(&normalize(text)));
        }
        assert_ne!(exact_key("a b"), exact_key("a c"));
    }
}
