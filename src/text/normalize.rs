//! Normalisation for comparing paragraphs: NFKC, lower case, collapsed whitespace.

use unicode_normalization::UnicodeNormalization;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Seed of every hash that is compared across documents or runs (stable by design).
pub const HASH_SEED: u64 = 0x6465_6475_7073_756d; // "dedupsum"

/// NFKC-normalised, lower-cased text with runs of whitespace collapsed to one space.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkc().flat_map(char::to_lowercase) {
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
    fn folds_case_width_and_whitespace() {
        assert_eq!(normalize("  Ｈｅｌｌｏ\t\n WORLD  "), "hello world");
        assert_eq!(normalize("ﬁnal"), "final");
        assert_eq!(exact_key("A  b"), exact_key("a b"));
        assert_ne!(exact_key("a b"), exact_key("a c"));
    }
}
