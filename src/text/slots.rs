//! Numbers and the word each follows: "selama 11 tahun" and "selama 14 tahun" put two
//! numbers in one slot, so two paragraphs saying them state different facts in the same
//! words (a verdict and a demand, two days of one template); "pada 16 Juni 2025" and
//! "Rabu (18/6/2025)" do not share a slot, as two write-ups of one event date it.

use xxhash_rust::xxh3::xxh3_64;

/// Appends to `out` the slots of the numbers among a text's words, given in order each
/// with the hash of the word as written; sorted and distinct: each number (a word with a
/// digit) with the last word before it that has none, as `(that word's hash) << 32 |
/// (hash of the number's value)`. The value is its digits without leading zeros, and
/// without the trailing zeros after its last separator, so "5,50" and "5.5", "00.44" and
/// "00:44", "20.00" and "20" are one value. A number with no word before it has no slot.
/// The word is taken as written: "Pada 9 Juni" and "pada 25 April" share no slot, which
/// only ever keeps a pair in a passage.
pub fn append_slots<'a>(words: impl IntoIterator<Item = (u64, &'a str)>, out: &mut Vec<u64>) {
    let start = out.len();
    let mut slot: Option<u64> = None;
    for (key, word) in words {
        if word.bytes().any(|b| b.is_ascii_digit()) {
            if let Some(slot) = slot {
                out.push(slot << 32 | value_hash(word));
            }
        } else {
            slot = Some(key & 0xffff_ffff);
        }
    }
    out[start..].sort_unstable();
    let mut kept = start;
    for k in start..out.len() {
        if k == start || out[k] != out[kept - 1] {
            out[kept] = out[k];
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// The low 32 bits of the hash of a number's value as [`append_slots`] compares it: its
/// digits, the trailing zeros after its last separator and then its leading zeros dropped
/// ("0" when none is left; past 64 digits, the first 64).
fn value_hash(word: &str) -> u64 {
    let word = match word.rfind([',', '.', ':']) {
        Some(at) if word[at + 1..].bytes().all(|b| b.is_ascii_digit()) => {
            word.trim_end_matches('0')
        }
        _ => word,
    };
    let mut digits = [0u8; 64];
    let mut n = 0;
    for b in word.bytes().filter(u8::is_ascii_digit) {
        if (n > 0 || b != b'0') && n < digits.len() {
            digits[n] = b;
            n += 1;
        }
    }
    if n == 0 {
        digits[0] = b'0';
        n = 1;
    }
    xxh3_64(&digits[..n]) & 0xffff_ffff
}

/// Whether two paragraphs with the slots `a` and `b` (each from [`append_slots`]) put
/// different numbers in one slot: a slot both have in which they share no number.
pub fn other_number_in_a_slot(a: &[u64], b: &[u64]) -> bool {
    let (mut x, mut y) = (0, 0);
    while x < a.len() && y < b.len() {
        let (sa, sb) = (a[x] >> 32, b[y] >> 32);
        if sa != sb {
            if sa < sb {
                x += 1;
            } else {
                y += 1;
            }
            continue;
        }
        let end_a = x + a[x..].iter().take_while(|&&v| v >> 32 == sa).count();
        let end_b = y + b[y..].iter().take_while(|&&v| v >> 32 == sb).count();
        if !a[x..end_a].iter().any(|v| b[y..end_b].contains(v)) {
            return true;
        }
        (x, y) = (end_a, end_b);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::terms::words;

    /// Appends to `out` the slots of the numbers of `text`, its words hashed as the term
    /// analyzer hashes them.
    fn number_slots(text: &str, out: &mut Vec<u64>) {
        append_slots(words(text).map(|w| (xxh3_64(w.as_bytes()), w)), out);
    }

    fn slots(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        number_slots(text, &mut out);
        out
    }

    fn differ(a: &str, b: &str) -> bool {
        other_number_in_a_slot(&slots(a), &slots(b))
    }

    #[test]
    fn another_number_after_the_same_word_is_another_fact() {
        assert!(differ(
            "\"Menjatuhkan pidana penjara selama 11 tahun,\" ujar hakim.",
            "\"Menjatuhkan pidana penjara selama 14 tahun,\" ujar jaksa."
        ));
        assert!(differ(
            "Akun itu mempostingnya pada 25 April 2025.",
            "Akun itu mempostingnya pada 9 Juni 2025."
        ));
    }

    #[test]
    fn numbers_after_different_words_or_shared_are_no_conflict() {
        // Two write-ups date one event differently: no slot in common.
        assert!(!differ(
            "ditetapkan pada RUPS Tanggal 16 Juni 2025.",
            "dikutip Rabu (18/6/2025)."
        ));
        // One number of a slot in common is enough: a range and one end of it.
        assert!(!differ(
            "rapat pada 17-18 Juni 2025",
            "rapat pada 17 dan 18 Juni 2025"
        ));
        assert!(!differ("no number here", "selama 11 tahun"));
        assert!(!differ("selama 11 tahun", "selama 11 tahun lagi"));
    }

    #[test]
    fn one_value_written_two_ways_is_one_number() {
        assert!(!differ("BI Rate di level 5,50%.", "BI Rate di level 5,5%."));
        assert!(!differ("pukul 00.44 WIB", "pukul 00:44 WIB"));
        assert!(!differ("level 5.5 persen", "level 5,50 persen"));
        assert!(!differ("pukul 20.00 WIB", "pukul 20 WIB"));
        assert!(!differ("pukul 17:00 WIB", "pukul 17.00 WIB"));
        // Zeros of a whole number are its value, and a decimal point's are not.
        assert!(differ("selama 2 tahun", "selama 20 tahun"));
        let value = |digits: &str| xxh3_64(digits.as_bytes()) & 0xffff_ffff;
        assert_eq!(value_hash("5,50"), value("55"));
        assert_eq!(value_hash("00:44"), value("44"));
        assert_eq!(value_hash("2025"), value("2025"));
        assert_eq!(value_hash("0,0"), value("0"));
        assert_eq!(value_hash("U19"), value("19"));
        // Only a separator followed by digits alone opens a decimal part.
        assert_eq!(value_hash("A.B10"), value("10"));
        let long = "1".repeat(70);
        assert_eq!(value_hash(&long), value(&long[..64]));
    }

    #[test]
    fn a_slot_of_one_side_alone_is_passed_over_on_either_side() {
        let slot = |word: u64, number: u64| word << 32 | number;
        let (a, b) = ([slot(1, 5), slot(2, 6)], [slot(2, 7)]);
        assert!(other_number_in_a_slot(&a, &b));
        assert!(other_number_in_a_slot(&b, &a));
        let shared = [slot(2, 6), slot(2, 7), slot(3, 1)];
        assert!(!other_number_in_a_slot(&a, &shared));
        assert!(!other_number_in_a_slot(&shared, &a));
    }

    #[test]
    fn slots_are_sorted_distinct_and_need_a_word_before() {
        let s = slots("2025 selama 11 tahun, selama 11 tahun, selama 3 tahun");
        assert_eq!(s.len(), 2);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        assert!(slots("2025").is_empty());
        // Appends: what was there stays.
        let mut out = vec![7];
        number_slots("selama 11 tahun", &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0], 7);
    }

    #[test]
    fn the_slot_is_the_word_as_written() {
        assert_ne!(slots("Selama 11 tahun"), slots("selama 11 tahun"));
        assert_ne!(slots("selama 11 tahun"), slots("sejak 11 tahun"));
        assert_eq!(slots("selama 11 tahun"), slots("selama 11 tahun lagi"));
    }

    #[test]
    fn the_analyzer_finds_the_slots_number_slots_finds() {
        use crate::text::terms::TermAnalyzer;
        use crate::text::Lang;
        let text = "Akun itu mempostingnya pada 25 April 2025, pukul 17.00 WIB.";
        for lang in [Lang::Indonesian, Lang::English, Lang::UNDETERMINED] {
            let (mut terms, mut slots) = (Vec::new(), Vec::new());
            let analyzer = TermAnalyzer::for_lang(lang);
            let words = analyzer.append_terms_and_slots(text, &mut terms, Some(&mut slots));
            assert_eq!(slots, self::slots(text), "{lang:?}");
            assert_eq!(words, self::words(text).count(), "{lang:?}");
            let mut alone = Vec::new();
            assert_eq!(analyzer.append_terms(text, &mut alone), words);
            assert_eq!(alone, terms);
        }
    }
}
