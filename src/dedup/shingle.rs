//! Shingles: the set of hashed word or character n-grams of a paragraph.

use std::str::FromStr;

use unicode_segmentation::UnicodeSegmentation;
use xxhash_rust::xxh3::Xxh3;

use crate::text::normalize::{normalize, HASH_SEED};

/// What a shingle is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShingleKind {
    /// n consecutive words (case-folded, punctuation ignored).
    Word,
    /// n consecutive characters of the normalised text.
    Char,
}

impl FromStr for ShingleKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "word" => Ok(ShingleKind::Word),
            "char" => Ok(ShingleKind::Char),
            other => Err(format!(
                "unknown shingle kind `{other}` (expected word or char)"
            )),
        }
    }
}

/// Sorted, distinct shingle hashes of `text`. A text shorter than `size` units is one shingle.
pub fn shingles(text: &str, kind: ShingleKind, size: usize) -> Vec<u64> {
    let normalized = normalize(text);
    let units: Vec<&str> = match kind {
        ShingleKind::Word => normalized.unicode_words().collect(),
        ShingleKind::Char => normalized
            .char_indices()
            .map(|(i, c)| &normalized[i..i + c.len_utf8()])
            .collect(),
    };
    if units.is_empty() {
        return Vec::new();
    }
    let size = size.min(units.len()).max(1);
    let mut out: Vec<u64> = units
        .windows(size)
        .map(|window| {
            let mut h = Xxh3::with_seed(HASH_SEED);
            for unit in window {
                h.update(unit.as_bytes());
                h.update(&[0x1f]);
            }
            h.digest()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Jaccard similarity of two sorted, distinct sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let common = intersection_size(a, b);
    common as f64 / (a.len() + b.len() - common) as f64
}

/// Size of the intersection of two sorted, distinct sets.
pub fn intersection_size(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_shingles_ignore_case_and_punctuation() {
        let a = shingles("Satu dua tiga empat.", ShingleKind::Word, 2);
        let b = shingles("satu, DUA tiga empat", ShingleKind::Word, 2);
        assert_eq!(a.len(), 3);
        assert_eq!(a, b);
    }

    #[test]
    fn short_texts_are_one_shingle() {
        assert_eq!(shingles("dua kata", ShingleKind::Word, 5).len(), 1);
        assert!(shingles("  ", ShingleKind::Word, 5).is_empty());
        assert_eq!(shingles("abcd", ShingleKind::Char, 3).len(), 2);
    }

    #[test]
    fn jaccard_of_sets() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 0.0);
        assert_eq!(jaccard(&[1], &[1]), 1.0);
    }
}
