//! Content terms: lower-cased words, stopwords removed, stemmed, hashed to stable ids.

use std::collections::HashSet;
use std::sync::OnceLock;

use frostem::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use super::lang::Lang;
use super::normalize::stable_hash;

/// Turns text into content-term ids for one language.
pub struct TermAnalyzer {
    stopwords: Option<&'static HashSet<&'static str>>,
    stemmer: Option<Stemmer>,
}

impl TermAnalyzer {
    /// The analyzer for `lang`: stopwords and a Snowball stemmer for Indonesian and English,
    /// plain lower-cased words otherwise.
    pub fn for_lang(lang: Lang) -> TermAnalyzer {
        match lang {
            Lang::Indonesian | Lang::English => TermAnalyzer {
                stopwords: stopwords(lang),
                stemmer: Some(Stemmer::new(if lang == Lang::Indonesian {
                    Algorithm::Indonesian
                } else {
                    Algorithm::English
                })),
            },
            Lang::Other(_) => TermAnalyzer {
                stopwords: None,
                stemmer: None,
            },
        }
    }

    /// Stable ids of the content terms of `text`, in order, with repeats.
    pub fn terms(&self, text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        let mut lower = String::new();
        for word in words(text) {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            let too_short = lower.chars().count() < 2 && !lower.chars().all(|c| c.is_numeric());
            if too_short || self.stopwords.is_some_and(|s| s.contains(&*lower)) {
                continue;
            }
            let id = match &self.stemmer {
                Some(stemmer) if lower.chars().all(char::is_alphabetic) => {
                    stable_hash(&stemmer.stem(&lower))
                }
                _ => stable_hash(&lower),
            };
            out.push(id);
        }
        out
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
    text.unicode_words()
}

/// Number of words in `text`.
pub fn word_count(text: &str) -> usize {
    words(text).count()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
