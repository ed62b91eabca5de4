//! Language per document: chooses sentence rules, stopwords and stemmer.

use std::fmt;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::terms::stopwords;

/// A document language. Indonesian and English have full rules; other languages
/// get generic sentence splitting and no stopwords or stemming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Bahasa Indonesia (`id`).
    Indonesian,
    /// English (`en`).
    English,
    /// Any other language, by its ISO 639-3 code (`und` when undetermined).
    Other(&'static str),
}

/// How the language of each document is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangChoice {
    /// Detect per document.
    Auto,
    /// Use this language for every document.
    Fixed(Lang),
}

impl Lang {
    /// An undetermined language (ISO 639-3 `und`).
    pub const UNDETERMINED: Lang = Lang::Other("und");

    /// Short code written to the outputs: `id`, `en`, or the ISO 639-3 code of another language.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Indonesian => "id",
            Lang::English => "en",
            Lang::Other(code) => code,
        }
    }

    /// Parses `id`/`ind`, `en`/`eng`, or any ISO 639-3 code known to the detector.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.to_ascii_lowercase().as_str() {
            "id" | "ind" | "indonesian" => Some(Lang::Indonesian),
            "en" | "eng" | "english" => Some(Lang::English),
            other => whatlang::Lang::from_code(other).map(Lang::from_whatlang),
        }
    }

    /// Detects the language from the first kilobyte of `text`. Indonesian and English are
    /// recognised first by their stopwords, which is fast and sure when one list clearly
    /// dominates; otherwise whatlang's trigram model decides among its 69 languages.
    pub fn detect(text: &str) -> Lang {
        let mut end = text.len().min(1024);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let sample = &text[..end];
        Lang::by_stopwords(sample).unwrap_or_else(|| {
            whatlang::detect_lang(sample)
                .map(Lang::from_whatlang)
                .unwrap_or(Lang::UNDETERMINED)
        })
    }

    /// Indonesian or English when at least 20 words, a fifth of them stopwords of one
    /// language, and four times as many as of the other.
    fn by_stopwords(sample: &str) -> Option<Lang> {
        let lists = stopword_langs()?;
        let (mut words, mut id_hits, mut en_hits) = (0usize, 0usize, 0usize);
        let mut lower = String::new();
        for word in super::terms::words(sample) {
            words += 1;
            // Words are slices of `sample`: where this one starts.
            let start = word.as_ptr() as usize - sample.as_ptr() as usize;
            let found = match pack_in(sample.as_bytes(), start, word.len()) {
                Some(key) => lists.short.get(&key),
                None => {
                    lower.clear();
                    lower.push_str(&word.to_lowercase());
                    lists.all.get(lower.as_str())
                }
            };
            let (i, e) = found.copied().unwrap_or((false, false));
            id_hits += usize::from(i && !e);
            en_hits += usize::from(e && !i);
        }
        let sure =
            |hits: usize, other: usize| words >= 20 && hits * 5 >= words && hits >= 4 * other;
        if sure(id_hits, en_hits) {
            Some(Lang::Indonesian)
        } else if sure(en_hits, id_hits) {
            Some(Lang::English)
        } else {
            None
        }
    }

    fn from_whatlang(lang: whatlang::Lang) -> Lang {
        match lang {
            whatlang::Lang::Ind => Lang::Indonesian,
            whatlang::Lang::Eng => Lang::English,
            other => Lang::Other(other.code()),
        }
    }
}

/// Every Indonesian or English stopword: whether it is on the Indonesian and on the English list.
struct StopwordLangs {
    /// Every stopword.
    all: FxHashMap<&'static str, (bool, bool)>,
    /// The lower-case ASCII stopwords of at most 16 bytes, by [`pack`]: most words are looked
    /// up here, without building a lower-case string.
    short: FxHashMap<u128, (bool, bool)>,
}

fn stopword_langs() -> Option<&'static StopwordLangs> {
    static LISTS: OnceLock<Option<StopwordLangs>> = OnceLock::new();
    LISTS
        .get_or_init(|| {
            let (id, en) = (stopwords(Lang::Indonesian)?, stopwords(Lang::English)?);
            let mut all = FxHashMap::default();
            for &w in id.iter().chain(en.iter()) {
                all.insert(w, (id.contains(w), en.contains(w)));
            }
            let short = all
                .iter()
                .filter(|(w, _)| !w.bytes().any(|b| b.is_ascii_uppercase()))
                .filter_map(|(w, &langs)| Some((pack(w)?, langs)))
                .collect();
            Some(StopwordLangs { all, short })
        })
        .as_ref()
}

/// `word` lower-cased and packed into one integer (zero-padded), when it is ASCII and at
/// most 16 bytes long. Words never contain NUL, so different words get different keys.
fn pack(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > 16 || !bytes.is_ascii() {
        return None;
    }
    // Built in registers: bytes stored one by one and read back as a whole stall the CPU.
    let half = |part: &[u8]| {
        part.iter()
            .rev()
            .fold(0u64, |v, &b| v << 8 | u64::from(b.to_ascii_lowercase()))
    };
    let (lo, hi) = bytes.split_at(bytes.len().min(8));
    Some(u128::from(half(hi)) << 64 | u128::from(half(lo)))
}

/// [`pack`] of the `len` bytes of `text` from `start`, read as two 8-byte words when 16
/// bytes follow `start` (most words) and lower-cased eight bytes at a time.
fn pack_in(text: &[u8], start: usize, len: usize) -> Option<u128> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let word = text.get(start..start + len)?;
    let (Some(lo), Some(hi)) = (text.get(start..start + 8), text.get(start + 8..start + 16)) else {
        return pack(std::str::from_utf8(word).ok()?);
    };
    if len > 16 {
        return None;
    }
    let lo = u64::from_le_bytes(lo.try_into().ok()?) & low_bytes(len);
    let hi = u64::from_le_bytes(hi.try_into().ok()?) & low_bytes(len.saturating_sub(8));
    if (lo | hi) & HIGH != 0 {
        return None;
    }
    Some(u128::from(ascii_lowercase(hi)) << 64 | u128::from(ascii_lowercase(lo)))
}

/// A mask of the lowest `n` bytes of a `u64` (all of them from 8).
fn low_bytes(n: usize) -> u64 {
    u64::MAX.checked_shr(64 - 8 * n.min(8) as u32).unwrap_or(0)
}

/// Eight ASCII bytes lower-cased at once: `A`..=`Z` get bit 0x20 (no byte carries into the
/// next, as every byte is below 0x80).
fn ascii_lowercase(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit of each byte set when the byte is at least `lo`.
    let at_least = |lo: u8| x + ONES * u64::from(0x80 - lo);
    let upper = at_least(b'A') & !at_least(b'Z' + 1) & HIGH;
    x | upper >> 2
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_indonesian_and_english() {
        let id = "Pemerintah Indonesia akan meningkatkan anggaran pendidikan tahun depan, kata menteri keuangan dalam konferensi pers di Jakarta.";
        let en = "The government said on Monday that it will raise the education budget next year, the finance minister told reporters.";
        assert_eq!(Lang::detect(id), Lang::Indonesian);
        assert_eq!(Lang::detect(en), Lang::English);
        assert_eq!(Lang::detect(""), Lang::Other("und"));
    }

    #[test]
    fn packs_in_place_as_alone() {
        let text = "Ini  TEKS-nya ZaZ@[`{ ekonomi_2024 é àb Ünterschiede x aaaaaaaabbbbbbbbc AAAAAAAABBBBBBBB AAAAAAAABBBBBBB";
        for start in 0..text.len() {
            for end in start..=text.len() {
                if let Some(word) = text.get(start..end) {
                    assert_eq!(
                        pack_in(text.as_bytes(), start, word.len()),
                        pack(word),
                        "{word:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn parses_codes() {
        assert_eq!(Lang::from_code("ID"), Some(Lang::Indonesian));
        assert_eq!(Lang::from_code("eng"), Some(Lang::English));
        assert_eq!(Lang::from_code("deu"), Some(Lang::Other("deu")));
        assert_eq!(Lang::from_code("xx-nope"), None);
    }
}
