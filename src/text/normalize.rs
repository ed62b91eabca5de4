//! Normalisation for comparing paragraphs: NFKC, lower case, collapsed whitespace.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Seed of every hash that is compared across documents or runs (stable by design).
pub const HASH_SEED: u64 = 0x6465_6475_7073_756d; // "dedupsum"

/// NFKC-normalised, lower-cased text with runs of whitespace collapsed to one space.
pub fn normalize(text: &str) -> String {
    // Most scraped text is already in NFKC (all ASCII text is): skip the normaliser then.
    if text.is_ascii() {
        collapse_ascii(text)
    } else if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        collapse(text.chars().flat_map(char::to_lowercase), text.len())
    } else {
        collapse(text.nfkc().flat_map(char::to_lowercase), text.len())
    }
}

/// [`collapse`] of ASCII text, lower-cased, byte by byte.
fn collapse_ascii(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut pending_space = false;
    for &b in text.as_bytes() {
        // The ASCII characters `char::is_whitespace` accepts (it includes \x0b).
        if matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(b' ');
                pending_space = false;
            }
            out.push(b.to_ascii_lowercase());
        }
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
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

/// Key under which two paragraphs count as exact copies.
pub fn exact_key(text: &str) -> u64 {
    stable_hash(&normalize(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_path_matches_the_general_one() {
        for text in [
            "",
            "  A\x0b b\x0c\x1f\tC\r\n",
            "x  Y z ",
            "\n\n",
            "MiXeD 12 ;:",
        ] {
            assert_eq!(
                collapse_ascii(text),
                collapse(text.chars().map(|c| c.to_ascii_lowercase()), text.len())
            );
        }
    }

    #[test]
    fn folds_case_width_and_whitespace() {
        assert_eq!(normalize("  Ｈｅｌｌｏ\t\n WORLD  "), "hello world");
        assert_eq!(normalize("ﬁnal"), "final");
        assert_eq!(normalize("Ünïcode  ÀB"), "ünïcode àb");
        assert_eq!(normalize("A\u{0308}"), "ä"); // composed by NFKC
        assert_eq!(exact_key("A  b"), exact_key("a b"));
        assert_ne!(exact_key("a b"), exact_key("a c"));
    }
}
