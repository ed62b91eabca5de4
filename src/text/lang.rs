//! Language per document: chooses sentence rules, stopwords and stemmer.

use std::fmt;

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

    /// Detects the language from the first few thousand bytes of `text`.
    pub fn detect(text: &str) -> Lang {
        let mut end = text.len().min(4096);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        whatlang::detect_lang(&text[..end])
            .map(Lang::from_whatlang)
            .unwrap_or(Lang::Other("und"))
    }

    fn from_whatlang(lang: whatlang::Lang) -> Lang {
        match lang {
            whatlang::Lang::Ind => Lang::Indonesian,
            whatlang::Lang::Eng => Lang::English,
            other => Lang::Other(other.code()),
        }
    }
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
    fn parses_codes() {
        assert_eq!(Lang::from_code("ID"), Some(Lang::Indonesian));
        assert_eq!(Lang::from_code("eng"), Some(Lang::English));
        assert_eq!(Lang::from_code("deu"), Some(Lang::Other("deu")));
        assert_eq!(Lang::from_code("xx-nope"), None);
    }
}
