//! Shingles: the set of hashed word or character n-grams of a paragraph.

use std::cell::RefCell;
use std::str::FromStr;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::text::normalize::HASH_SEED;
use crate::text::terms::for_each_ascii_run;

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

/// Sorted, distinct 32-bit shingle hashes of `text`. A text shorter than `size` units is
/// one shingle; a text without words has none.
///
/// Words are runs of letters, digits and `_`, lower-cased after NFKC (everything else
/// separates words), the same units as the `\w+` of most dedup scripts; character
/// shingles run over the words joined by single spaces. 32 bits keep a million
/// paragraphs' sets in memory; two distinct shingles of a compared pair collide with
/// odds of about one in a million pairs, far below the Jaccard resolution.
pub fn shingles(text: &str, kind: ShingleKind, size: usize) -> Vec<u32> {
    let mut out = Vec::new();
    append_shingles(text, kind, size, &mut out);
    // Kept for the whole run, one per paragraph: no spare capacity.
    out.shrink_to_fit();
    out
}

/// Appends the [`shingles`] of `text` to `out` (sorted and distinct among themselves),
/// without a vector of their own; returns the number of words of `text`.
pub fn append_shingles(text: &str, kind: ShingleKind, size: usize, out: &mut Vec<u32>) -> usize {
    let size = size.max(1);
    let start = out.len();
    let word_count = match kind {
        ShingleKind::Word => {
            // The paragraph's word hashes, in a vector each thread keeps.
            thread_local! {
                static WORDS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
            }
            WORDS.with_borrow_mut(|words| {
                words.clear();
                for_each_word(text, |word| words.push(xxh3_64_with_seed(word, HASH_SEED)));
                if words.len() < size {
                    if !words.is_empty() {
                        out.extend(whole_text_hashes(mix(words)));
                    }
                } else {
                    out.extend(words.windows(size).map(window_hash));
                }
                words.len()
            })
        }
        ShingleKind::Char => {
            let mut bytes = Vec::with_capacity(text.len());
            let mut word_count = 0;
            for_each_word(text, |word| {
                word_count += 1;
                if !bytes.is_empty() {
                    bytes.push(b' ');
                }
                bytes.extend_from_slice(word);
            });
            // Whole words of valid UTF-8 joined by spaces: still valid.
            let joined = String::from_utf8(bytes).unwrap_or_default();
            let starts: Vec<usize> = joined.char_indices().map(|(i, _)| i).collect();
            if starts.len() <= size {
                if !joined.is_empty() {
                    out.extend(whole_text_hashes(xxh3_64_with_seed(
                        joined.as_bytes(),
                        HASH_SEED,
                    )));
                }
            } else {
                for (k, &start) in starts[..starts.len() - size + 1].iter().enumerate() {
                    let end = starts.get(k + size).copied().unwrap_or(joined.len());
                    out.push(fold(xxh3_64_with_seed(
                        &joined.as_bytes()[start..end],
                        HASH_SEED,
                    )));
                }
            }
            word_count
        }
    };
    sort_distinct_from(out, start);
    word_count
}

/// Sorts `values[start..]` and removes its repeats, in place.
pub(crate) fn sort_distinct_from(values: &mut Vec<u32>, start: usize) {
    let tail = &mut values[start..];
    tail.sort_unstable();
    let mut distinct = 0;
    for k in 0..tail.len() {
        if distinct == 0 || tail[k] != tail[distinct - 1] {
            tail[distinct] = tail[k];
            distinct += 1;
        }
    }
    values.truncate(start + distinct);
}

/// Calls `f` with the UTF-8 bytes of every word of `text`, lower-cased (see
/// [`shingles`]).
fn for_each_word(text: &str, mut f: impl FnMut(&[u8])) {
    if text.is_ascii() {
        // The common case: lower-case the bytes once (into a buffer each thread keeps) and
        // split them, decoding nothing.
        thread_local! {
            static LOWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        }
        LOWER.with_borrow_mut(|lower| {
            lower.clear();
            lower.extend_from_slice(text.as_bytes());
            lower.make_ascii_lowercase();
            for_each_ascii_run(lower, f);
        });
        return;
    }
    let normalized: std::borrow::Cow<str> = if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        text.into()
    } else {
        text.nfkc().collect::<String>().into()
    };
    let mut word = String::new();
    for c in normalized.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            f(word.as_bytes());
            word.clear();
        }
    }
    if !word.is_empty() {
        f(word.as_bytes());
    }
}

/// Hash of a window of consecutive word hashes, in order.
fn window_hash(words: &[u64]) -> u32 {
    fold(mix(words))
}

/// A 64-bit hash of a sequence of word hashes, in order.
fn mix(words: &[u64]) -> u64 {
    let mut h = HASH_SEED ^ words.len() as u64;
    for &word in words {
        h = (h ^ word)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
    h
}

/// The one shingle of a text shorter than a shingle, as two 32-bit halves of its 64-bit
/// hash: two different short texts then share their whole set (Jaccard 1, a near copy)
/// only if all 64 bits collide, not 32 (with one 32-bit shingle, about one pair in 2^32
/// collided: 8 false near copies among 254,548 short lines of a generated corpus).
fn whole_text_hashes(h: u64) -> [u32; 2] {
    let h = finalize(h);
    [(h >> 32) as u32, h as u32]
}

/// The top 32 bits of a well-mixed 64-bit hash.
fn fold(h: u64) -> u32 {
    (finalize(h) >> 32) as u32
}

/// murmur3's 64-bit finaliser.
fn finalize(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Jaccard similarity of two sorted, distinct sets.
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let common = intersection_size(a, b);
    common as f64 / (a.len() + b.len() - common) as f64
}

/// Size of the intersection of two sorted, distinct sets.
pub fn intersection_size(a: &[u32], b: &[u32]) -> usize {
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
    use rustc_hash::FxHashMap as HashMap;

    #[test]
    fn word_shingles_ignore_case_and_punctuation() {
        let a = shingles("Satu dua tiga empat.", ShingleKind::Word, 2);
        let b = shingles("satu, DUA tiga empat", ShingleKind::Word, 2);
        assert_eq!(a.len(), 3);
        assert_eq!(a, b);
    }

    #[test]
    fn short_texts_are_one_shingle_in_two_halves() {
        assert_eq!(shingles("dua kata", ShingleKind::Word, 5).len(), 2);
        assert_eq!(
            shingles("Dua, KATA", ShingleKind::Word, 5),
            shingles("dua kata", ShingleKind::Word, 5)
        );
        assert!(shingles("  ", ShingleKind::Word, 5).is_empty());
        assert_eq!(shingles("abcd", ShingleKind::Char, 3).len(), 2);
        assert_eq!(shingles("a-b", ShingleKind::Char, 5).len(), 2);
    }

    /// Regression: a short paragraph was one 32-bit shingle, so two different short texts
    /// with colliding hashes were near copies of score 1 and the later was dropped (8
    /// among 254,548 short lines of a generated corpus). Two texts whose 32-bit hashes
    /// collide now share one shingle of two.
    #[test]
    fn short_texts_whose_32_bit_hashes_collide_are_not_copies() {
        let old_shingle = |text: &str| {
            let mut words = Vec::new();
            for_each_word(text, |w| words.push(xxh3_64_with_seed(w, HASH_SEED)));
            window_hash(&words)
        };
        let mut seen: HashMap<u32, String> = HashMap::default();
        let collision = (0..1_000_000u32)
            .map(|k| format!("baris {k} pendek"))
            .find_map(|text| {
                let old = old_shingle(&text);
                match seen.get(&old) {
                    Some(earlier) => Some((earlier.clone(), text)),
                    None => {
                        seen.insert(old, text);
                        None
                    }
                }
            })
            .expect("a 32-bit collision among a million texts");
        let a = shingles(&collision.0, ShingleKind::Word, 5);
        let b = shingles(&collision.1, ShingleKind::Word, 5);
        assert!(jaccard(&a, &b) < 0.5, "{collision:?}: {a:?} {b:?}");
    }

    #[test]
    fn words_are_runs_of_letters_digits_and_underscores() {
        let w = |t: &str| shingles(t, ShingleKind::Word, 1);
        assert_eq!(w("don't __init__ x2"), w("DON T __INIT__ X2"));
        assert_eq!(w("don't").len(), 2);
        // NFKC first: full-width letters are the ASCII ones.
        assert_eq!(w("Ｈｅｌｌｏ wörld"), w("hello WÖRLD"));
        assert_ne!(w("hello world"), w("hello_world"));
    }

    #[test]
    fn word_order_matters_inside_a_shingle() {
        let a = shingles("satu dua tiga", ShingleKind::Word, 3);
        let b = shingles("tiga dua satu", ShingleKind::Word, 3);
        assert_ne!(a, b);
        // Windows of five over seven words: three shingles, all distinct.
        assert_eq!(shingles("a b c d e f g", ShingleKind::Word, 5).len(), 3);
    }

    #[test]
    fn jaccard_of_sets() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(intersection_size(&[1, 5, 9], &[5, 9, 11]), 2);
        assert_eq!(jaccard(&[], &[]), 0.0);
        assert_eq!(jaccard(&[1], &[1]), 1.0);
    }

    #[test]
    fn a_text_of_exactly_a_shingle_of_words_is_that_window() {
        // Five words are the first window of the same five and a sixth.
        let five = shingles("satu dua tiga empat lima", ShingleKind::Word, 5);
        let six = shingles("satu dua tiga empat lima enam", ShingleKind::Word, 5);
        assert_eq!(five.len(), 1);
        assert_eq!(jaccard(&five, &six), 0.5);
    }

    #[test]
    fn character_shingles_are_the_windows_of_a_text_and_count_its_words() {
        // Eight characters: six windows of three, all different.
        assert_eq!(shingles("abcdefgh", ShingleKind::Char, 3).len(), 6);
        // The same three windows in another order.
        assert_eq!(
            shingles("abcabc", ShingleKind::Char, 3),
            shingles("bcabca", ShingleKind::Char, 3)
        );
        assert_eq!(shingles("abcabc", ShingleKind::Char, 3).len(), 3);
        let mut out = Vec::new();
        assert_eq!(
            append_shingles("Satu, dua tiga.", ShingleKind::Char, 5, &mut out),
            3
        );
        assert_eq!(
            append_shingles("Satu, dua tiga.", ShingleKind::Word, 5, &mut out),
            3
        );
    }

    #[test]
    fn a_text_that_is_not_ascii_splits_into_the_same_words() {
        let w = |t: &str| shingles(t, ShingleKind::Word, 1);
        // "é" takes the text off the ASCII path; its other words are those of the
        // ASCII text, the last one included.
        let ascii = w("__init__ x2");
        let other = w("é, __init__ x2");
        assert_eq!(other.len(), 3);
        assert!(
            ascii.iter().all(|s| other.contains(s)),
            "{ascii:?} {other:?}"
        );
    }

    #[test]
    fn different_short_texts_share_no_shingle() {
        let a = shingles("dua kata", ShingleKind::Word, 5);
        let b = shingles("tiga kata", ShingleKind::Word, 5);
        assert_eq!(intersection_size(&a, &b), 0, "{a:?} {b:?}");
        let c = shingles("abc", ShingleKind::Char, 5);
        assert_eq!(intersection_size(&a, &c), 0, "{a:?} {c:?}");
    }

    #[test]
    fn shingle_kinds_parse_by_name() {
        assert_eq!("word".parse(), Ok(ShingleKind::Word));
        assert_eq!("char".parse(), Ok(ShingleKind::Char));
        assert!("chars".parse::<ShingleKind>().is_err());
    }
}
