//! ROUGE evaluation of summaries against reference summaries (Lin 2004).
//!
//! Mirrors Google's `rouge-score` package, so figures agree with published ones: text is
//! lower-cased, every run of characters other than `a-z0-9` separates tokens, and English
//! tokens longer than three letters are Porter-stemmed. ROUGE-N counts clipped n-gram
//! matches; ROUGE-L uses the longest common subsequence of the whole texts. Each score is
//! the F1 of precision and recall, averaged over the reference articles (an article with
//! no summary scores 0).

use std::collections::HashMap;
use std::fs::File;
use std::io::BufRead;
use std::path::Path;

use frostem::{Algorithm, Stemmer};
use rayon::prelude::*;
use serde::Serialize;

use crate::corpus::{self, source::decode, Format, JsonFields, ReadConfig};
use crate::error::{Error, Result};

/// Mean F1 × 100 of each ROUGE variant, and what was scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// ROUGE-1 F1 × 100.
    pub rouge1: f64,
    /// ROUGE-2 F1 × 100.
    pub rouge2: f64,
    /// ROUGE-L F1 × 100.
    pub rouge_l: f64,
    /// Reference articles scored.
    pub articles: usize,
    /// Reference articles with no summary (scored 0).
    pub missing: usize,
    /// Summaries whose id is not among the references (ignored).
    pub extra: usize,
    /// Mean summary length in whitespace-separated words.
    pub mean_words: f64,
}

/// Tokenises like `rouge-score`, optionally with the Porter stemmer.
pub struct Tokenizer {
    stemmer: Option<Stemmer>,
}

impl Tokenizer {
    /// `stem`: apply the Porter stemmer (rouge-score does for English).
    pub fn new(stem: bool) -> Tokenizer {
        Tokenizer {
            stemmer: stem.then(|| Stemmer::new(Algorithm::Porter)),
        }
    }

    /// Lower-cased `[a-z0-9]+` runs, stemmed when longer than three characters.
    pub fn tokens(&self, text: &str) -> Vec<String> {
        text.to_lowercase()
            .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
            .filter(|t| !t.is_empty())
            .map(|t| match &self.stemmer {
                Some(stemmer) if t.len() > 3 => stemmer.stem(t).into_owned(),
                _ => t.to_owned(),
            })
            .collect()
    }
}

/// F1 from overlap counts.
fn f1(overlap: usize, candidate: usize, reference: usize) -> f64 {
    if overlap == 0 || candidate == 0 || reference == 0 {
        return 0.0;
    }
    let p = overlap as f64 / candidate as f64;
    let r = overlap as f64 / reference as f64;
    2.0 * p * r / (p + r)
}

/// ROUGE-N F1: clipped matches of the n-grams of the two token sequences.
pub fn rouge_n(reference: &[String], candidate: &[String], n: usize) -> f64 {
    let grams = |tokens: &[String]| -> HashMap<Vec<String>, usize> {
        let mut counts = HashMap::new();
        for w in tokens.windows(n) {
            *counts.entry(w.to_vec()).or_insert(0) += 1;
        }
        counts
    };
    let (r, c) = (grams(reference), grams(candidate));
    let overlap = c
        .iter()
        .map(|(g, &k)| k.min(r.get(g).copied().unwrap_or(0)))
        .sum();
    f1(
        overlap,
        candidate.len().saturating_sub(n - 1),
        reference.len().saturating_sub(n - 1),
    )
}

/// ROUGE-L F1: the longest common subsequence of the two token sequences.
pub fn rouge_l(reference: &[String], candidate: &[String]) -> f64 {
    let mut row = vec![0usize; candidate.len() + 1];
    for r in reference {
        let mut diagonal = 0;
        for (j, c) in candidate.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if r == c {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    f1(row[candidate.len()], candidate.len(), reference.len())
}

/// Scores `summaries` (id → text) against `references` (id, text), in parallel.
///
/// Fails when no summary has the id of a reference: every score would be 0, which looks
/// like bad summaries when it is mismatched ids (another id field, another corpus).
pub fn evaluate(
    references: &[(String, String)],
    summaries: &HashMap<String, String>,
    stem: bool,
) -> Result<Evaluation> {
    if !references.iter().any(|(id, _)| summaries.contains_key(id)) {
        return Err(Error::NoMatchingIds {
            references: references.len(),
            summaries: summaries.len(),
        });
    }
    let tokenizer = Tokenizer::new(stem);
    let scores: Vec<[f64; 3]> = references
        .par_iter()
        .map(|(id, reference)| match summaries.get(id) {
            Some(summary) if !summary.trim().is_empty() => {
                let (r, c) = (tokenizer.tokens(reference), tokenizer.tokens(summary));
                [rouge_n(&r, &c, 1), rouge_n(&r, &c, 2), rouge_l(&r, &c)]
            }
            _ => [0.0; 3],
        })
        .collect();
    let n = references.len().max(1) as f64;
    let mean = |k: usize| 100.0 * scores.iter().map(|s| s[k]).sum::<f64>() / n;
    let ids: std::collections::HashSet<&str> = references.iter().map(|r| r.0.as_str()).collect();
    Ok(Evaluation {
        rouge1: mean(0),
        rouge2: mean(1),
        rouge_l: mean(2),
        articles: references.len(),
        missing: references
            .iter()
            .filter(|(id, _)| !summaries.contains_key(id))
            .count(),
        extra: summaries
            .keys()
            .filter(|id| !ids.contains(id.as_str()))
            .count(),
        mean_words: summaries
            .iter()
            .filter(|(id, _)| ids.contains(id.as_str()))
            .map(|(_, s)| s.split_whitespace().count() as f64)
            .sum::<f64>()
            / summaries.len().max(1) as f64,
    })
}

/// Reads `(id, reference)` pairs from a JSON Lines or CSV file (see [`read_table`]) with
/// fields (columns) `id_field` and `ref_field`.
pub fn read_references(
    path: &Path,
    id_field: &str,
    ref_field: &str,
    max_record_bytes: usize,
) -> Result<Vec<(String, String)>> {
    read_table(path, id_field, ref_field, max_record_bytes)
}

/// Reads id → summary from what `summarize` writes, as CSV or JSON Lines (see
/// [`read_table`]): fields (columns) `doc_id`, or `id` when there is no `doc_id`, and
/// `summary`. A repeated id keeps its last summary.
pub fn read_summaries(path: &Path, max_record_bytes: usize) -> Result<HashMap<String, String>> {
    let rows = match read_table(path, "doc_id", "summary", max_record_bytes) {
        Err(Error::Record(e)) if e.line <= Some(1) && e.message.contains("`doc_id`") => {
            read_table(path, "id", "summary", max_record_bytes)?
        }
        rows => rows?,
    };
    Ok(rows.into_iter().collect())
}

/// The `(id, text)` of every record of a table, read by the corpus readers (so compressed
/// or not, and a record over `max_record_bytes` is an error rather than held in memory).
/// The format is the file's extension (`.jsonl`, `.ndjson`, `.csv`, `.tsv`, `.parquet`),
/// else its content: Parquet when it opens with `PAR1`, JSON Lines with `{`, CSV otherwise. The first bad record fails
/// the read: a score over part of the file would look like a score over all of it.
pub fn read_table(
    path: &Path,
    id_field: &str,
    text_field: &str,
    max_record_bytes: usize,
) -> Result<Vec<(String, String)>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let config = ReadConfig {
        fields: JsonFields {
            id: id_field.to_owned(),
            text: text_field.to_owned(),
            title: String::new(),
            site: String::new(),
        },
        max_record_bytes,
        ..ReadConfig::default()
    };
    let mut reader =
        decode(Box::new(file), config.max_input_bytes).map_err(|e| Error::io(path, e))?;
    let format = match Format::of(path) {
        Some(format @ (Format::Jsonl | Format::Csv(_) | Format::Parquet)) => format,
        _ => {
            let head = reader.fill_buf().map_err(|e| Error::io(path, e))?;
            if head.starts_with(corpus::parquet::MAGIC) {
                return read_file_as(path, reader, Format::Parquet, &config);
            }
            let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
            match head.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => Format::Jsonl,
                _ => Format::Csv(b','),
            }
        }
    };
    read_file_as(path, reader, format, &config)
}

/// The `(id, text)` records of `reader` (the file at `path`) in `format`.
fn read_file_as(
    path: &Path,
    reader: Box<dyn std::io::BufRead>,
    format: Format,
    config: &ReadConfig,
) -> Result<Vec<(String, String)>> {
    corpus::read_stream(path, Box::new(reader), Some(format), config)
        .map(|record| record.map(|doc| (doc.id, doc.text)).map_err(Error::from))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<String> {
        Tokenizer::new(false).tokens(text)
    }

    #[test]
    fn tokenizes_like_rouge_score() {
        assert_eq!(
            toks("Harga BBM naik 1,4% di Jakarta!"),
            ["harga", "bbm", "naik", "1", "4", "di", "jakarta"]
        );
        assert_eq!(
            Tokenizer::new(true).tokens("The cats running"),
            ["the", "cat", "run"]
        );
    }

    #[test]
    fn rouge_matches_hand_counts() {
        let r = toks("the cat sat on the mat");
        let c = toks("the cat lay on the mat today");
        // unigrams: overlap 5 of 7 candidate, 6 reference.
        assert!(
            (rouge_n(&r, &c, 1) - 2.0 * (5.0 / 7.0) * (5.0 / 6.0) / (5.0 / 7.0 + 5.0 / 6.0)).abs()
                < 1e-12
        );
        // bigrams: "the cat", "on the", "the mat" = 3 of 6 and 5.
        assert!((rouge_n(&r, &c, 2) - 2.0 * 0.5 * 0.6 / 1.1).abs() < 1e-12);
        // LCS "the cat on the mat" = 5.
        assert!((rouge_l(&r, &c) - rouge_n(&r, &c, 1)).abs() < 1e-12);
        assert_eq!(rouge_l(&r, &[]), 0.0);
    }

    #[test]
    fn missing_summaries_score_zero() {
        let refs = vec![
            ("a".to_owned(), "satu dua".to_owned()),
            ("b".to_owned(), "tiga".to_owned()),
        ];
        let sums: HashMap<String, String> = [
            ("a".to_owned(), "satu dua".to_owned()),
            ("z".to_owned(), "x".to_owned()),
        ]
        .into();
        let e = evaluate(&refs, &sums, false).unwrap();
        assert_eq!((e.articles, e.missing, e.extra), (2, 1, 1));
        assert!((e.rouge1 - 50.0).abs() < 1e-9);
    }
}
