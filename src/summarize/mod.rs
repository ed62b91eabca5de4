//! Extractive summaries: the most central sentences of each cleaned article.
//!
//! Sentences are TF-IDF vectors (IDF over the whole corpus, stopwords removed, stemmed);
//! centrality is LexRank's (PageRank over the cosine-similarity graph); a position prior
//! favours early sentences, since news puts the key facts first; selection takes the best
//! sentences in turn and skips one too similar to a sentence already chosen. The summary
//! keeps the article's order. Titles and dropped paragraphs are never used.

pub mod rank;

use std::cell::{OnceCell, RefCell};
use std::ops::Range;

use rayon::prelude::*;

use crate::corpus::Document;
use crate::dedup::boilerplate::is_label_line;
use crate::dedup::shingle::intersection_size;
use crate::dedup::Decision;
use crate::error::{Error, Result};
use crate::text::terms::TermAnalyzer;
use crate::text::{AnalyzedDoc, Lang, Paragraph};
use rank::Matrix;
pub use rank::{Method, PacsumParams};

/// How long a summary is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    /// This many sentences (fewer when the article has fewer).
    Sentences(usize),
    /// This share of the article's sentences, rounded up (at least one).
    Ratio(f64),
    /// As many of the best sentences as fit in this many words (at least one sentence).
    Words(usize),
}

/// Settings of the summariser.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryConfig {
    /// How sentences are ranked.
    pub method: Method,
    /// Summary length.
    pub length: Length,
    /// A sentence whose cosine similarity to a chosen one exceeds this is skipped.
    pub redundancy: f64,
    /// Weight of the position prior against centrality, in [0, 1] (pacsum only).
    pub position_weight: f64,
    /// Parameters of the directed centrality (pacsum only).
    pub pacsum: PacsumParams,
}

impl Default for SummaryConfig {
    fn default() -> Self {
        SummaryConfig {
            method: Method::Pacsum,
            length: Length::Sentences(3),
            redundancy: 0.7,
            position_weight: 0.7,
            pacsum: PacsumParams::default(),
        }
    }
}

impl SummaryConfig {
    /// Checks that every setting is in range.
    pub fn validate(&self) -> Result<()> {
        match self.length {
            Length::Sentences(0) | Length::Words(0) => {
                return Err(Error::Config(
                    "a summary needs at least 1 sentence or word".into(),
                ))
            }
            Length::Ratio(r) if !(r > 0.0 && r <= 1.0) => {
                return Err(Error::Config(format!(
                    "the summary ratio must be in (0, 1], got {r}"
                )))
            }
            _ => {}
        }
        if !(0.0..=1.0).contains(&self.redundancy) || !(0.0..=1.0).contains(&self.position_weight) {
            return Err(Error::Config(
                "the redundancy and position weights must be in [0, 1]".into(),
            ));
        }
        Ok(())
    }
}

/// The summary of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// 1-based numbers of the chosen sentences among all sentences of the cleaned
    /// article (its title included), in article order.
    pub sentence_ids: Vec<usize>,
    /// Byte spans of the chosen sentences in the article text, in article order.
    pub spans: Vec<Range<usize>>,
    /// Score of each chosen sentence under the method (higher is better), in article order.
    pub scores: Vec<f64>,
}

impl Summary {
    /// Moves the start of a chosen sentence that opens inside `dateline` (a byte range of
    /// the article) to its end, so that the summary never quotes the dateline.
    pub fn skip_dateline(&mut self, dateline: &Range<usize>) {
        for span in &mut self.spans {
            if dateline.contains(&span.start) {
                span.start = dateline.end.min(span.end);
            }
        }
    }

    /// The chosen sentences joined by single spaces.
    pub fn text(&self, article: &str) -> String {
        let mut out = String::with_capacity(self.spans.iter().map(|s| s.len()).sum());
        for (k, span) in self.spans.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            push_words(&mut out, &article[span.clone()]);
        }
        out
    }
}

/// Appends the words of `text` joined by single spaces.
fn push_words(out: &mut String, text: &str) {
    if !text.is_ascii() {
        for (w, word) in text.split_whitespace().enumerate() {
            if w > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
        return;
    }
    // ASCII: byte runs, no decoding. These are the ASCII characters `char::is_whitespace`
    // accepts (`u8::is_ascii_whitespace` lacks \x0b).
    let space = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
    let bytes = text.as_bytes();
    // Most sentences already have single spaces between words and none around them.
    let single_spaced = !bytes.first().is_some_and(space)
        && !bytes.last().is_some_and(space)
        && !bytes.iter().any(|b| matches!(b, b'\t'..=b'\r'))
        && memchr::memmem::find(bytes, b"  ").is_none();
    if single_spaced {
        out.push_str(text);
        return;
    }
    let mut first = true;
    for word in bytes.split(space).filter(|w| !w.is_empty()) {
        if !first {
            out.push(' ');
        }
        first = false;
        // Whole runs of ASCII bytes: always valid UTF-8.
        out.push_str(std::str::from_utf8(word).unwrap_or_default());
    }
}

/// An article is summarised from at most this many of its first candidate sentences: the
/// methods compare every pair of sentences, so this bounds time and memory on huge pages.
pub const MAX_CANDIDATES: usize = 2000;

/// A sentence that may go into a summary.
struct Candidate {
    id: usize,
    span: Range<usize>,
    /// Its bag of terms in [`Article::bags`].
    bag: Range<usize>,
    /// Number of content terms, repeats included.
    terms: usize,
    words: usize,
    /// Has a quotation mark, or stands inside a quotation opened by an earlier sentence of
    /// its paragraph: quoted speech, which summaries rarely repeat.
    quoted: bool,
}

/// Summarises every article; `decisions` says which paragraphs survive cleaning and `idf`
/// weighs the terms (see [`DocumentFrequencies`]).
pub fn summarize(
    docs: &[Document],
    analyzed: &[AnalyzedDoc],
    decisions: &[Vec<Decision>],
    idf: &Idf,
    config: &SummaryConfig,
) -> Vec<Summary> {
    docs.par_iter()
        .zip(analyzed)
        .zip(decisions)
        .map(|((doc, analyzed), decisions)| {
            summarize_one(&doc.text, analyzed, decisions, idf, config)
        })
        .collect()
}

/// The summary of one article, `text` split as `analyzed` (sentences and terms), whose
/// paragraphs survive cleaning as `decisions` say.
pub fn summarize_one(
    text: &str,
    analyzed: &AnalyzedDoc,
    decisions: &[Decision],
    idf: &Idf,
    config: &SummaryConfig,
) -> Summary {
    select(&Article::new(text, analyzed, decisions), idf, config)
}

/// The distinct terms of an article's body as read, sorted: the terms of its paragraphs
/// (split at `paragraphs`) less its title and label lines, in `lang`. What
/// [`DocumentFrequencies`] counts: known before cleaning decides, so that the corpus is
/// read once before the summaries are written.
pub fn vocabulary(text: &str, paragraphs: &[Paragraph], lang: Lang) -> Vec<u64> {
    let analyzer = TermAnalyzer::for_lang(lang);
    let mut terms = Vec::new();
    for p in paragraphs {
        let paragraph = &text[p.span.clone()];
        if !p.is_title && !is_label_line(paragraph) {
            analyzer.append_terms(paragraph, &mut terms);
        }
    }
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// How many documents of a corpus have each term in their [`vocabulary`], counted batch by
/// batch as the corpus is read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentFrequencies {
    /// Every term seen, sorted.
    terms: Vec<u64>,
    /// The documents that have each term.
    counts: Vec<u32>,
    documents: usize,
}

impl DocumentFrequencies {
    /// Counts a batch of documents, each given by its [`vocabulary`].
    pub fn add(&mut self, vocabularies: &[Vec<u64>]) {
        self.documents += vocabularies.len();
        // The batch's terms sorted together: each run is a term's count in the batch.
        let mut batch: Vec<u64> = vocabularies.concat();
        batch.par_sort_unstable();
        let runs = batch
            .chunk_by(|a, b| a == b)
            .map(|run| (run[0], run.len() as u32));
        self.merge_counts(runs);
    }

    /// Adds the counts of `other`, made over other documents.
    pub fn merge(&mut self, other: &DocumentFrequencies) {
        self.documents += other.documents;
        self.merge_counts(
            other
                .terms
                .iter()
                .copied()
                .zip(other.counts.iter().copied()),
        );
    }

    /// The counts `counts` of `terms` (each once) over `documents` documents, as
    /// [`DocumentFrequencies::parts`] gives them; `None` when a term repeats.
    pub fn from_parts(terms: Vec<u64>, counts: Vec<u32>, documents: usize) -> Option<Self> {
        let mut pairs: Vec<(u64, u32)> = terms.into_iter().zip(counts).collect();
        pairs.sort_unstable();
        if pairs.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }
        let (terms, counts) = pairs.into_iter().unzip();
        Some(DocumentFrequencies {
            terms,
            counts,
            documents,
        })
    }

    /// The terms (sorted), the documents that have each, and the documents counted.
    pub fn parts(&self) -> (&[u64], &[u32], usize) {
        (&self.terms, &self.counts, self.documents)
    }

    /// Merges `runs` (term and count, in term order) into the counts: a term in both gets
    /// the sum.
    fn merge_counts(&mut self, runs: impl Iterator<Item = (u64, u32)>) {
        let mut runs = runs.peekable();
        let mut old = std::mem::take(&mut self.terms)
            .into_iter()
            .zip(std::mem::take(&mut self.counts))
            .peekable();
        loop {
            let (term, count) = match (old.peek(), runs.peek()) {
                (None, None) => break,
                (Some(&(t, a)), Some(&(u, b))) if t == u => {
                    old.next();
                    runs.next();
                    (t, a + b)
                }
                (Some(&(t, a)), Some(&(u, _))) if t < u => {
                    old.next();
                    (t, a)
                }
                (Some(&(t, a)), None) => {
                    old.next();
                    (t, a)
                }
                (_, Some(&(u, b))) => {
                    runs.next();
                    (u, b)
                }
            };
            self.terms.push(term);
            self.counts.push(count);
        }
    }

    /// The smoothed IDF of every term: `ln((N + 1) / (df + 1)) + 1` over the N documents.
    pub fn idf(&self) -> Idf {
        let n = self.documents as f64;
        let idf = self
            .counts
            .iter()
            .map(|&df| ((n + 1.0) / (df as f64 + 1.0)).ln() + 1.0)
            .collect();
        Idf::new(self.terms.clone(), idf)
    }
}

/// Buffers of [`Article::build`], one per thread and reused from article to article, so
/// that building takes no fresh memory (page faults) for what it drops at the end.
#[derive(Default)]
struct BuildScratch {
    pairs: Vec<(u64, u32)>,
    vocabulary: Vec<u64>,
}

thread_local! {
    static BUILD_SCRATCH: RefCell<BuildScratch> = RefCell::default();
}

/// The candidates of one article, with their terms numbered within the article.
struct Article {
    candidates: Vec<Candidate>,
    /// The distinct terms of the candidates, sorted.
    vocabulary: Vec<u64>,
    /// The candidates' distinct terms as (index in `vocabulary`, count), each candidate's
    /// sorted, one candidate after another (one allocation per article, not per sentence).
    bags: Vec<(u32, u32)>,
}

impl Article {
    /// Body sentences of the kept paragraphs, numbered within the cleaned article. Sentences
    /// that are page furniture ("Baca juga: …") are numbered but never chosen.
    fn new(text: &str, doc: &AnalyzedDoc, decisions: &[Decision]) -> Article {
        // Room for every sentence of the kept paragraphs at once: growing the vector copies
        // it and takes fresh memory each time.
        let sentences: usize = (doc.paragraphs.iter().zip(decisions))
            .filter(|(_, decision)| **decision == Decision::Keep)
            .map(|(p, _)| p.sentences.len())
            .sum();
        let mut candidates = Vec::with_capacity(sentences.min(MAX_CANDIDATES));
        let mut id = 0;
        'paragraphs: for (paragraph, decision) in doc.paragraphs.iter().zip(decisions) {
            if !decision.is_kept() {
                continue;
            }
            // Whether a quotation is open where the sentence starts: quotes span sentences.
            let mut in_quote = false;
            for (span, terms) in paragraph.sentences.iter().zip(&paragraph.sentence_terms) {
                id += 1;
                if candidates.len() >= MAX_CANDIDATES {
                    break 'paragraphs;
                }
                let sentence = &text[span.clone()];
                let (words, marks) = words_and_quotes(sentence);
                let quoted = in_quote || marks > 0;
                // Opening and closing marks alternate, curly or straight.
                in_quote ^= marks % 2 == 1;
                if *decision == Decision::Keep && !is_label_line(sentence) {
                    candidates.push(Candidate {
                        id,
                        span: span.clone(),
                        bag: terms.clone(),
                        terms: terms.len(),
                        words,
                        quoted,
                    });
                }
            }
        }
        Article::build(candidates, &doc.terms)
    }

    /// The article of `candidates`, whose `bag`s are still ranges of `terms`.
    fn build(mut candidates: Vec<Candidate>, terms: &[u64]) -> Article {
        BUILD_SCRATCH.with(|scratch| {
            let BuildScratch { pairs, vocabulary } = &mut *scratch.borrow_mut();
            // Every (term, candidate) pair, sorted: the distinct terms come in order, which is
            // the vocabulary, and so do each candidate's, which is its bag: no search and no
            // sort per candidate.
            pairs.clear();
            for (k, c) in candidates.iter().enumerate() {
                pairs.extend(terms[c.bag.clone()].iter().map(|&t| (t, k as u32)));
            }
            pairs.sort_unstable();
            vocabulary.clear();
            // Each candidate's number of distinct terms, then where its bag starts.
            let mut starts = vec![0; candidates.len() + 1];
            for run in pairs.chunk_by(|a, b| a == b) {
                let (term, k) = run[0];
                if vocabulary.last() != Some(&term) {
                    vocabulary.push(term);
                }
                starts[k as usize + 1] += 1;
            }
            for k in 0..candidates.len() {
                starts[k + 1] += starts[k];
            }
            let mut bags = vec![(0, 0); starts[candidates.len()]];
            let mut next = starts.clone();
            let mut index = 0;
            for (r, run) in pairs.chunk_by(|a, b| a == b).enumerate() {
                let (term, k) = run[0];
                if r > 0 && vocabulary[index as usize] != term {
                    index += 1;
                }
                bags[next[k as usize]] = (index, run.len() as u32);
                next[k as usize] += 1;
            }
            for (c, bag) in candidates.iter_mut().zip(starts.windows(2)) {
                c.bag = bag[0]..bag[1];
            }
            Article {
                candidates,
                // Exactly its length: every article is kept until all are summarised.
                vocabulary: vocabulary.to_vec(),
                bags,
            }
        })
    }

    /// The bag of terms of candidate `i`.
    fn bag(&self, i: usize) -> &[(u32, u32)] {
        &self.bags[self.candidates[i].bag.clone()]
    }
}

/// The number of whitespace-separated words of `sentence` (as `split_whitespace().count()`)
/// and of its quotation marks (`"“”«»`), in one pass over its bytes.
fn words_and_quotes(sentence: &str) -> (usize, usize) {
    let bytes = sentence.as_bytes();
    if bytes.is_ascii() {
        return ascii_words_and_quotes(bytes);
    }
    let (mut words, mut in_word, mut quotes) = (0, false, 0);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, len) = if b.is_ascii() {
            quotes += usize::from(b == b'"');
            // The ASCII characters `char::is_whitespace` accepts.
            (
                matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'),
                1,
            )
        } else {
            let c = sentence[i..].chars().next().unwrap_or_default();
            quotes += usize::from(matches!(c, '“' | '”' | '«' | '»'));
            (c.is_whitespace(), c.len_utf8())
        };
        words += usize::from(!space && !in_word);
        in_word = !space;
        i += len;
    }
    (words, quotes)
}

/// [`words_and_quotes`] of ASCII text, eight bytes at a time (SWAR: no byte carries into the
/// next, as every byte is below 0x80).
fn ascii_words_and_quotes(bytes: &[u8]) -> (usize, usize) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The ASCII characters `char::is_whitespace` accepts: tab to carriage return, space.
    let is_space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
    let (mut words, mut quotes) = (0, 0);
    // High bit of a byte set where a space is; the start counts as one.
    let mut space_before = 0x80;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let at_least = |lo: u8| x + ONES * u64::from(0x80 - lo);
        let equals = |c: u8| !((x ^ (ONES * u64::from(c))) + ONES * 0x7f) & HIGH;
        let space = (at_least(b'\t') & !at_least(b'\r' + 1) & HIGH) | equals(b' ');
        // A word starts at a byte that is not a space after one that is.
        let starts = !space & HIGH & (space << 8 | space_before);
        let count = |high: u64| ((high >> 7).wrapping_mul(ONES) >> 56) as usize;
        words += count(starts);
        quotes += count(equals(b'"'));
        space_before = space >> 56;
    }
    let mut after_space = space_before != 0;
    for &b in chunks.remainder() {
        words += usize::from(after_space && !is_space(b));
        after_space = is_space(b);
        quotes += usize::from(b == b'"');
    }
    (words, quotes)
}

/// The IDF of every term of a corpus: the terms sorted, found through the range of each
/// value of their top bits (the terms are hashes, so the ranges are short). Made by
/// [`DocumentFrequencies::idf`].
#[derive(Debug, Clone)]
pub struct Idf {
    terms: Vec<u64>,
    idf: Vec<f64>,
    /// `starts[b]..starts[b + 1]` are the terms whose top bits are `b`.
    starts: Vec<u32>,
    /// The top bits used: about one term per range.
    bits: u32,
}

impl Idf {
    /// `terms` sorted and distinct, with their IDFs.
    fn new(terms: Vec<u64>, idf: Vec<f64>) -> Idf {
        let bits = terms
            .len()
            .max(1)
            .next_power_of_two()
            .trailing_zeros()
            .max(1);
        let mut starts = vec![0u32; (1 << bits) + 1];
        for &t in &terms {
            starts[(t >> (64 - bits)) as usize + 1] += 1;
        }
        for b in 0..1 << bits {
            starts[b + 1] += starts[b];
        }
        Idf {
            terms,
            idf,
            starts,
            bits,
        }
    }

    /// No terms (LEAD needs none).
    pub fn empty() -> Idf {
        Idf::new(Vec::new(), Vec::new())
    }

    /// The IDF of term `t`, if a document has it.
    fn get(&self, t: u64) -> Option<f64> {
        let b = (t >> (64 - self.bits)) as usize;
        let range = self.starts[b] as usize..self.starts[b + 1] as usize;
        let k = self.terms[range.clone()].iter().position(|&u| u == t)?;
        Some(self.idf[range.start + k])
    }
}

/// Sparse unit-length TF-IDF vector of a sentence (its bag of terms), sorted by term;
/// `idf` gives the IDF of a vocabulary index.
fn tfidf(bag: &[(u32, u32)], idf: impl Fn(u32) -> f64) -> Vec<(u32, f64)> {
    let mut v: Vec<(u32, f64)> = bag
        .iter()
        .map(|&(k, count)| (k, count as f64 * idf(k)))
        .collect();
    let norm = v.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| x.1 /= norm);
    }
    v
}

/// Dot product of two sorted sparse vectors.
fn dot(a: &[(u32, f64)], b: &[(u32, f64)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Cosine similarities of an article's sentences: all of them as a matrix when the method
/// needs every pair, else each pair computed when asked for (selection asks for a few, so
/// only the TF-IDF vectors of the sentences it looks at are built).
struct Cosine<'a> {
    article: &'a Article,
    idf: &'a Idf,
    /// TF-IDF vector of each candidate, built when first needed.
    vectors: Vec<OnceCell<Vec<(u32, f64)>>>,
    matrix: Option<Matrix>,
}

impl<'a> Cosine<'a> {
    fn new(article: &'a Article, idf: &'a Idf, all_pairs: bool) -> Cosine<'a> {
        let mut cosine = Cosine {
            article,
            idf,
            vectors: (0..article.candidates.len())
                .map(|_| OnceCell::new())
                .collect(),
            matrix: None,
        };
        if all_pairs {
            cosine.matrix = Some(cosine.all_pairs());
        }
        cosine
    }

    /// The TF-IDF vector of candidate `i`.
    fn vector(&self, i: usize) -> &[(u32, f64)] {
        self.vectors[i].get_or_init(|| {
            let vocabulary = &self.article.vocabulary;
            tfidf(self.article.bag(i), |k| {
                self.idf.get(vocabulary[k as usize]).unwrap_or(1.0)
            })
        })
    }

    /// The matrix of every pair's similarity.
    fn all_pairs(&self) -> Matrix {
        // Every vector is needed: look each term's IDF up once for the whole article.
        let idf: Vec<f64> = self
            .article
            .vocabulary
            .iter()
            .map(|&t| self.idf.get(t).unwrap_or(1.0))
            .collect();
        for (i, cell) in self.vectors.iter().enumerate() {
            cell.get_or_init(|| tfidf(self.article.bag(i), |k| idf[k as usize]));
        }
        Matrix::symmetric(self.vectors.len(), |i, j| {
            dot(self.vector(i), self.vector(j))
        })
    }

    /// Similarity of `i` and `j` (0 on the diagonal), the same as the matrix's.
    fn get(&self, i: usize, j: usize) -> f64 {
        match &self.matrix {
            Some(m) => m.get(i, j),
            None if i == j => 0.0,
            None => dot(self.vector(i.min(j)), self.vector(i.max(j))),
        }
    }

    /// Runs `f` on the full matrix (computed on creation when `all_pairs`, else now).
    fn with_matrix<T>(&self, f: impl FnOnce(&Matrix) -> T) -> T {
        match &self.matrix {
            Some(m) => f(m),
            None => f(&self.all_pairs()),
        }
    }
}

/// Scores every candidate under `method` (higher is better).
fn score(article: &Article, cosine: &Cosine, config: &SummaryConfig) -> Vec<f64> {
    let candidates = &article.candidates;
    let n = candidates.len();
    match config.method {
        Method::Lead => (0..n).map(|i| 1.0 / (i + 1) as f64).collect(),
        Method::LexRank => cosine.with_matrix(rank::pagerank),
        Method::TextRank => rank::pagerank(&word_overlap(article)),
        Method::Pacsum => {
            let p = &config.pacsum;
            let centrality = if p.overlap {
                rank::pacsum(&word_overlap(article), p)
            } else {
                cosine.with_matrix(|m| rank::pacsum(m, p))
            };
            let centrality = normalise(centrality);
            let w = config.position_weight;
            (0..n)
                .map(|i| {
                    let c = &candidates[i];
                    (1.0 - w) * centrality[i] + w / ((i + 1) as f64).powf(p.decay)
                        - if c.quoted { p.quote_penalty } else { 0.0 }
                        - if c.words < 10 { p.short_penalty } else { 0.0 }
                        + p.length_weight * (c.words as f64 / 25.0).min(1.0)
                })
                .collect()
        }
    }
}

/// Whether `method` needs the cosine similarity of every pair of sentences.
fn needs_all_cosines(config: &SummaryConfig) -> bool {
    match config.method {
        Method::LexRank => true,
        Method::Pacsum => !config.pacsum.overlap,
        Method::Lead | Method::TextRank => false,
    }
}

/// TextRank similarity: shared content words over the sum of the log sentence lengths.
fn word_overlap(article: &Article) -> Matrix {
    let n = article.candidates.len();
    let logs: Vec<f64> = (0..n).map(|i| (article.bag(i).len() as f64).ln()).collect();
    let similarity = |i: usize, j: usize, common: u32| {
        let norm = logs[i] + logs[j];
        if common == 0 || norm <= 0.0 {
            0.0
        } else {
            f64::from(common) / norm
        }
    };
    // Small vocabularies (most articles): each sentence as a bit set over the article's
    // words, so a pair costs a few AND + popcount; otherwise merge the sorted bags.
    let words = article.vocabulary.len().div_ceil(64);
    if words > 16 {
        let keys: Vec<u32> = article.bags.iter().map(|&(k, _)| k).collect();
        let set = |i: usize| &keys[article.candidates[i].bag.clone()];
        return Matrix::symmetric(n, |i, j| {
            similarity(i, j, intersection_size(set(i), set(j)) as u32)
        });
    }
    let mut bits = vec![0u64; n * words];
    for (i, row) in bits.chunks_exact_mut(words.max(1)).enumerate().take(n) {
        for &(k, _) in article.bag(i) {
            row[k as usize / 64] |= 1 << (k % 64);
        }
    }
    Matrix::symmetric(n, |i, j| {
        let (a, b) = (&bits[i * words..][..words], &bits[j * words..][..words]);
        similarity(i, j, common_bits(a, b))
    })
}

/// The number of bits set in both `a` and `b` (at most 16 words): per-byte counts of each
/// word are added up and summed once, as the target may lack a popcount instruction.
fn common_bits(a: &[u64], b: &[u64]) -> u32 {
    const M1: u64 = 0x5555_5555_5555_5555;
    const M2: u64 = 0x3333_3333_3333_3333;
    const M4: u64 = 0x0f0f_0f0f_0f0f_0f0f;
    // Each byte of `bytes` counts up to 8 bits per word: 16 words stay below 256.
    let mut bytes = 0u64;
    for (x, y) in a.iter().zip(b) {
        let x = x & y;
        let x = x - ((x >> 1) & M1);
        let x = (x & M2) + ((x >> 2) & M2);
        bytes += (x + (x >> 4)) & M4;
    }
    // Pairs of bytes into 16-bit lanes (up to 1,024 in all), then the lanes added up.
    let lanes = (bytes & 0x00ff_00ff_00ff_00ff) + ((bytes >> 8) & 0x00ff_00ff_00ff_00ff);
    (lanes.wrapping_mul(0x0001_0001_0001_0001) >> 48) as u32
}

/// Rescales to [0, 1] (all zeros when the values are all equal).
fn normalise(values: Vec<f64>) -> Vec<f64> {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if hi > lo {
        values.into_iter().map(|v| (v - lo) / (hi - lo)).collect()
    } else {
        vec![0.0; values.len()]
    }
}

/// Picks the summary sentences of one article.
fn select(article: &Article, idf: &Idf, config: &SummaryConfig) -> Summary {
    let candidates = &article.candidates;
    let n = candidates.len();
    let cosine = Cosine::new(article, idf, needs_all_cosines(config));
    let score = score(article, &cosine, config);

    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
    let (max_sentences, max_words) = match config.length {
        Length::Sentences(k) => (k, usize::MAX),
        Length::Ratio(r) => (((n as f64) * r).ceil().max(1.0) as usize, usize::MAX),
        Length::Words(w) => (usize::MAX, w),
    };
    let dedupe = config.method != Method::Lead;
    // Fragments (datelines, captions) are chosen only when nothing else is left.
    let informative = |i: usize| candidates[i].terms >= 3;
    let mut chosen: Vec<usize> = Vec::new();
    let mut words = 0;
    for pass in [true, false] {
        for &i in &order {
            if chosen.len() >= max_sentences {
                break;
            }
            let redundant = dedupe && chosen.iter().any(|&c| cosine.get(i, c) > config.redundancy);
            let fits = words + candidates[i].words <= max_words || chosen.is_empty();
            if !chosen.contains(&i) && informative(i) == pass && !redundant && fits {
                words += candidates[i].words;
                chosen.push(i);
            }
        }
    }
    chosen.sort_unstable();
    Summary {
        sentence_ids: chosen.iter().map(|&i| candidates[i].id).collect(),
        spans: chosen.iter().map(|&i| candidates[i].span.clone()).collect(),
        scores: chosen.iter().map(|&i| score[i]).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The IDF over `articles`, each counted by the terms of its candidates.
    fn inverse_document_frequencies(articles: &[Article]) -> Idf {
        let mut frequencies = DocumentFrequencies::default();
        let vocabularies: Vec<Vec<u64>> = articles.iter().map(|a| a.vocabulary.clone()).collect();
        frequencies.add(&vocabularies);
        frequencies.idf()
    }

    #[test]
    fn document_frequencies_count_each_document_once_in_any_batches() {
        let vocabularies: Vec<Vec<u64>> = vec![
            vec![1, 5, 9],
            vec![5],
            vec![],
            vec![2, 5, 9, 11],
            vec![u64::MAX],
            vec![1, 11],
        ];
        let mut whole = DocumentFrequencies::default();
        whole.add(&vocabularies);
        assert_eq!(whole.terms, [1, 2, 5, 9, 11, u64::MAX]);
        assert_eq!(whole.counts, [2, 1, 3, 2, 2, 1]);
        assert_eq!(whole.documents, 6);
        for split in 0..=vocabularies.len() {
            let mut batches = DocumentFrequencies::default();
            batches.add(&vocabularies[..split]);
            batches.add(&vocabularies[split..]);
            assert_eq!(
                (&batches.terms, &batches.counts, batches.documents),
                (&whole.terms, &whole.counts, whole.documents),
                "split at {split}"
            );
        }
        // ln((N + 1) / (df + 1)) + 1 with N = 6.
        let idf = whole.idf();
        assert_eq!(idf.get(5), Some((7.0f64 / 4.0).ln() + 1.0));
        assert_eq!(idf.get(u64::MAX), Some((7.0f64 / 2.0).ln() + 1.0));
        assert_eq!(idf.get(3), None);
    }

    #[test]
    fn the_vocabulary_leaves_out_titles_and_label_lines() {
        let text = "Judul Berita Utama\n\nPetani menanam padi di sawah.\n\nBaca juga: Harga beras naik\n\nPetani memanen jagung.";
        let doc = crate::testing::document("d", text);
        let analyzed = crate::text::analyze(&doc, crate::text::LangChoice::Fixed(Lang::Indonesian));
        assert!(analyzed.paragraphs[0].is_title);
        let terms = TermAnalyzer::for_lang(Lang::Indonesian);
        let of = |words: &str| {
            let mut t = Vec::new();
            terms.append_terms(words, &mut t);
            t
        };
        let mut expected = of("Petani menanam padi di sawah. Petani memanen jagung.");
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(
            vocabulary(text, &analyzed.paragraphs, Lang::Indonesian),
            expected
        );
        assert!(!expected.contains(&of("Harga")[0]));
        assert!(!expected.contains(&of("Utama")[0]));
    }

    /// An article of candidates `(id, terms)`.
    fn article(sentences: &[(usize, &[u64])]) -> Article {
        let mut terms = Vec::new();
        let mut candidates = Vec::new();
        for &(id, t) in sentences {
            candidates.push(Candidate {
                id,
                span: id..id + 1,
                bag: terms.len()..terms.len() + t.len(),
                terms: t.len(),
                words: t.len() * 2,
                quoted: false,
            });
            terms.extend_from_slice(t);
        }
        Article::build(candidates, &terms)
    }

    fn sample() -> Article {
        article(&[
            (2, &[1, 2, 3, 4]),
            (3, &[1, 2, 3, 4]), // a repeat of sentence 2
            (4, &[9, 10, 11]),
            (5, &[1, 2, 5, 6]),
            (6, &[20, 21, 22]),
        ])
    }

    #[test]
    fn every_method_picks_sentences_in_order_without_repeats() {
        let cands = sample();
        let idf = inverse_document_frequencies(std::slice::from_ref(&cands));
        for method in [Method::Pacsum, Method::LexRank, Method::TextRank] {
            let config = SummaryConfig {
                method,
                length: Length::Sentences(2),
                ..SummaryConfig::default()
            };
            let summary = select(&cands, &idf, &config);
            assert_eq!(summary.sentence_ids.len(), 2, "{method:?}");
            assert!(summary.sentence_ids.windows(2).all(|w| w[0] < w[1]));
            assert!(
                !(summary.sentence_ids.contains(&2) && summary.sentence_ids.contains(&3)),
                "{method:?} chose a repeat"
            );
            assert_eq!(summary.scores.len(), 2);
        }
    }

    /// The sort of (term, candidate) pairs gives the vocabulary and bags that searching and
    /// sorting each candidate's terms gave.
    #[test]
    fn articles_build_like_searching_each_term() {
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1du64);
        for _ in 0..2000 {
            let sentences: Vec<Vec<u64>> = (0..next() % 12)
                .map(|_| (0..next() % 9).map(|_| next() % 20).collect())
                .collect();
            let sentences: Vec<(usize, &[u64])> = sentences
                .iter()
                .enumerate()
                .map(|(id, t)| (id, t.as_slice()))
                .collect();
            let built = article(&sentences);
            let mut vocabulary: Vec<u64> = sentences.iter().flat_map(|s| s.1).copied().collect();
            vocabulary.sort_unstable();
            vocabulary.dedup();
            assert_eq!(built.vocabulary, vocabulary);
            for (i, (_, terms)) in sentences.iter().enumerate() {
                let mut indices: Vec<u32> = terms
                    .iter()
                    .map(|t| vocabulary.partition_point(|v| v < t) as u32)
                    .collect();
                indices.sort_unstable();
                let bag: Vec<(u32, u32)> = indices
                    .chunk_by(|a, b| a == b)
                    .map(|run| (run[0], run.len() as u32))
                    .collect();
                assert_eq!(built.bag(i), bag, "{sentences:?}");
            }
        }
    }

    #[test]
    fn words_and_quotes_match_the_char_methods() {
        for text in [
            "",
            "  Satu\tdua\u{a0}tiga\u{2003}empat\u{3000} ",
            "\"Kami siap,\" katanya.",
            "Ia bilang “ya” dan «non» lalu pergi",
            "tanpa kutipan\x0b\x0cdi sini\u{85}",
            " a  b\tc\r\n\"d\" ",
            "x",
            " ",
            "é ß 中文 🇮🇩",
            // Straight quotes in text that is not all ASCII.
            "“Kami” bilang \"siap\"\u{a0}lagi, kata Budi \"é\"",
        ] {
            let expected = (
                text.split_whitespace().count(),
                text.matches(['"', '“', '”', '«', '»']).count(),
            );
            assert_eq!(words_and_quotes(text), expected, "{text:?}");
        }
    }

    #[test]
    fn ascii_words_and_quotes_match_the_char_methods() {
        const ALPHABET: &[u8] = b"ab\" \t\n\x0b\x0c\r\x08\x0e!~\x1f\x7f";
        let mut next = crate::testing::xorshift(0x0123_4567_89ab_cdefu64);
        for round in 0..20_000 {
            let state = next();
            let text: String = (0..(state % 40) as u32)
                .map(|k| {
                    char::from(ALPHABET[(state.rotate_left(k * 5) % (3 + round % 12)) as usize])
                })
                .collect();
            let expected = (text.split_whitespace().count(), text.matches('"').count());
            assert_eq!(words_and_quotes(&text), expected, "{text:?}");
        }
    }

    #[test]
    fn quotations_spanning_sentences_are_quoted_to_their_end() {
        // The middle sentence of each quotation has no mark of its own.
        let text = "Harga beras naik lagi minggu ini. \"Kami kecewa sekali. Harga terlalu tinggi. \
                    Kami butuh bantuan,\" kata warga. Pemerintah berjanji turun tangan.\n\n\
                    “Pasar harus diawasi. Stok beras cukup. Jangan panik.” Pedagang menunggu kabar.";
        let (_, analyzed, keep) = analysed(text);
        let article = Article::new(text, &analyzed, &keep);
        let quoted: Vec<bool> = article.candidates.iter().map(|c| c.quoted).collect();
        assert_eq!(
            quoted,
            [false, true, true, true, false, true, true, true, false]
        );
    }

    /// Counts made over two parts of a corpus and merged are those over the whole; and
    /// they come back whole from their parts, a repeated term refused.
    #[test]
    fn frequencies_merged_from_parts_are_those_of_the_whole() {
        let docs: Vec<Vec<u64>> = vec![
            vec![1, 5, 9],
            vec![5],
            vec![2, 9],
            vec![9, u64::MAX],
            vec![],
        ];
        for cut in 0..=docs.len() {
            let mut whole = DocumentFrequencies::default();
            whole.add(&docs);
            let (mut first, mut second) = Default::default();
            DocumentFrequencies::add(&mut first, &docs[..cut]);
            DocumentFrequencies::add(&mut second, &docs[cut..]);
            first.merge(&second);
            assert_eq!(first, whole, "cut at {cut}");
            let (terms, counts, documents) = whole.parts();
            assert_eq!(documents, 5);
            let mut shuffled: Vec<(u64, u32)> =
                terms.iter().copied().zip(counts.iter().copied()).collect();
            shuffled.reverse();
            let (terms, counts) = shuffled.into_iter().unzip();
            assert_eq!(
                DocumentFrequencies::from_parts(terms, counts, 5),
                Some(whole)
            );
        }
        assert_eq!(
            DocumentFrequencies::from_parts(vec![3, 1, 3], vec![1, 1, 2], 4),
            None
        );
    }

    #[test]
    fn idf_finds_every_term_and_no_other() {
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1du64);
        for size in [0, 1, 2, 3, 100, 5000] {
            let mut terms: Vec<u64> = (0..size).map(|_| next()).collect();
            terms.extend([0, u64::MAX].iter().take(size.min(2)));
            terms.sort_unstable();
            terms.dedup();
            let values: Vec<f64> = (0..terms.len()).map(|k| k as f64).collect();
            let idf = Idf::new(terms.clone(), values);
            for (k, &t) in terms.iter().enumerate() {
                assert_eq!(idf.get(t), Some(k as f64));
            }
            for _ in 0..100 {
                let t = next();
                assert_eq!(idf.get(t), terms.binary_search(&t).ok().map(|k| k as f64));
            }
        }
    }

    #[test]
    fn common_bits_count_like_count_ones() {
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15u64);
        for _ in 0..5000 {
            let words = (next() % 17) as usize;
            let a: Vec<u64> = (0..words).map(|_| next() | next()).collect();
            let b: Vec<u64> = (0..words).map(|_| next() | next()).collect();
            let expected: u32 = a.iter().zip(&b).map(|(x, y)| (x & y).count_ones()).sum();
            assert_eq!(common_bits(&a, &b), expected);
        }
        assert_eq!(common_bits(&[u64::MAX; 16], &[u64::MAX; 16]), 1024);
    }

    #[test]
    fn summary_text_joins_words_with_single_spaces() {
        for text in [
            "",
            " a  b\tc\x0bd\x0c\r\n e ",
            "Satu dua.  Tiga\u{a0}empat “lima”\u{2003}enam",
            "Satu dua tiga.",
            "Satu dua tiga. ",
            " Satu",
            "Satu  dua",
            "Satu\x0bdua",
            "Satu\rdua",
            "a",
        ] {
            let summary = Summary {
                sentence_ids: vec![1, 2],
                spans: vec![0..text.len(), 0..text.len()],
                scores: vec![0.0, 0.0],
            };
            let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(summary.text(text), format!("{words} {words}"), "{text:?}");
        }
    }

    /// A plain-text document of `text`, analysed, every paragraph kept.
    fn analysed(text: &str) -> (crate::corpus::Document, AnalyzedDoc, Vec<Decision>) {
        let doc = crate::testing::document("d", text);
        let analyzed = crate::text::analyze(&doc, crate::text::LangChoice::Auto);
        let keep = vec![Decision::Keep; analyzed.paragraphs.len()];
        (doc, analyzed, keep)
    }

    /// Planted bug (issue 17): the cap of [`MAX_CANDIDATES`] sentences removed. An article
    /// of more sentences has exactly the first 2000 as candidates, numbered 1 to 2000.
    #[test]
    fn the_2000_sentence_cap_keeps_the_first_2000_candidates() {
        let sentence = |i: usize| format!("Kata{i} benda{i} warna{i} rumah{i} jalan{i}.");
        for total in [MAX_CANDIDATES - 1, MAX_CANDIDATES, MAX_CANDIDATES + 1, 2100] {
            let paragraphs: Vec<String> = (0..total)
                .collect::<Vec<_>>()
                .chunks(7)
                .map(|c| c.iter().map(|&i| sentence(i)).collect::<Vec<_>>().join(" "))
                .collect();
            let text = paragraphs.join("\n\n");
            let (_, analyzed, keep) = analysed(&text);
            let article = Article::new(&text, &analyzed, &keep);
            let ids: Vec<usize> = article.candidates.iter().map(|c| c.id).collect();
            let expected: Vec<usize> = (1..=total.min(MAX_CANDIDATES)).collect();
            assert_eq!(ids, expected, "{total} sentences");
        }
    }

    /// The scores of `article` under `config`.
    fn scores(article: &Article, config: &SummaryConfig) -> Vec<f64> {
        let idf = inverse_document_frequencies(std::slice::from_ref(article));
        let cosine = Cosine::new(article, &idf, needs_all_cosines(config));
        score(article, &cosine, config)
    }

    /// Planted bug (issue 17): the quote penalty switched off. A quoted sentence scores
    /// exactly `quote_penalty` less than the same sentence unquoted, the others the same.
    #[test]
    fn pacsum_takes_the_quote_penalty_off_quoted_sentences_only() {
        let config = SummaryConfig::default();
        let plain = scores(&sample(), &config);
        let mut quoted = sample();
        quoted.candidates[2].quoted = true;
        let with_quote = scores(&quoted, &config);
        for (i, (a, b)) in plain.iter().zip(&with_quote).enumerate() {
            let penalty = if i == 2 {
                config.pacsum.quote_penalty
            } else {
                0.0
            };
            assert!(
                (a - penalty - b).abs() < 1e-12,
                "{i}: {plain:?} {with_quote:?}"
            );
        }
        assert!(config.pacsum.quote_penalty > 0.0);
    }

    /// Planted bug (issue 17): TextRank ranking on LexRank's matrix (TF-IDF cosine) instead
    /// of its own word overlap `common / (ln |a| + ln |b|)` (distinct terms, no IDF).
    #[test]
    fn textrank_ranks_by_word_overlap_not_by_cosine() {
        // Sentences of 2, 8, 3 and 3 distinct terms; the first has a term twice.
        let article = article(&[
            (1, &[1, 1, 2]),
            (2, &[1, 2, 3, 4, 5, 6, 7, 8]),
            (3, &[1, 9, 10]),
            (4, &[3, 9, 11]),
        ]);
        let overlap = |common: f64, a: f64, b: f64| common / (a.ln() + b.ln());
        let expected = [
            [0.0, overlap(2.0, 2.0, 8.0), overlap(1.0, 2.0, 3.0), 0.0],
            [0.0, 0.0, overlap(1.0, 8.0, 3.0), overlap(1.0, 8.0, 3.0)],
            [0.0, 0.0, 0.0, overlap(1.0, 3.0, 3.0)],
        ];
        let expected = rank::pagerank(&Matrix::symmetric(4, |i, j| expected[i][j]));
        let config = |method| SummaryConfig {
            method,
            ..SummaryConfig::default()
        };
        let textrank = scores(&article, &config(Method::TextRank));
        let lexrank = scores(&article, &config(Method::LexRank));
        for (t, e) in textrank.iter().zip(&expected) {
            assert!((t - e).abs() < 1e-9, "{textrank:?} != {expected:?}");
        }
        // The two matrices rank these sentences apart, so the check above tells them apart.
        assert!(
            textrank
                .iter()
                .zip(&lexrank)
                .any(|(t, l)| (t - l).abs() > 1e-3),
            "{textrank:?} {lexrank:?}"
        );
    }

    #[test]
    fn validate_accepts_the_ranges_and_refuses_the_rest() {
        let with = |length, redundancy, position_weight| SummaryConfig {
            length,
            redundancy,
            position_weight,
            ..SummaryConfig::default()
        };
        for good in [
            SummaryConfig::default(),
            with(Length::Sentences(1), 0.0, 0.0),
            with(Length::Words(1), 1.0, 1.0),
            with(Length::Ratio(1.0), 0.5, 0.5),
            with(Length::Ratio(0.01), 0.5, 0.5),
        ] {
            assert!(good.validate().is_ok(), "{good:?}");
        }
        for bad in [
            with(Length::Sentences(0), 0.5, 0.5),
            with(Length::Words(0), 0.5, 0.5),
            with(Length::Ratio(0.0), 0.5, 0.5),
            with(Length::Ratio(1.01), 0.5, 0.5),
            with(Length::Ratio(f64::NAN), 0.5, 0.5),
            with(Length::Sentences(3), -0.1, 0.5),
            with(Length::Sentences(3), 1.1, 0.5),
            with(Length::Sentences(3), 0.5, -0.1),
            with(Length::Sentences(3), 0.5, 1.1),
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }

    /// Smoothed IDF by hand: `ln((N + 1) / (df + 1)) + 1` over three articles.
    #[test]
    fn idf_by_hand() {
        let articles = [
            article(&[(1, &[7, 8]), (2, &[8, 8])]),
            article(&[(1, &[8, 9])]),
            article(&[(1, &[8])]),
        ];
        let idf = inverse_document_frequencies(&articles);
        let by_hand = |df: f64| (4.0 / (df + 1.0)).ln() + 1.0;
        assert_eq!(idf.get(7), Some(by_hand(1.0)));
        assert_eq!(idf.get(8), Some(by_hand(3.0)));
        assert_eq!(idf.get(9), Some(by_hand(1.0)));
        assert_eq!(idf.get(10), None);
    }

    /// TF-IDF cosine by hand: counts times IDF, each vector of unit length.
    #[test]
    fn cosine_by_hand() {
        let articles = [
            article(&[(1, &[1, 1, 2]), (2, &[1, 3]), (3, &[4]), (4, &[])]),
            article(&[(1, &[2, 3])]),
        ];
        let idf = inverse_document_frequencies(&articles);
        let w = |df: f64| (3.0 / (df + 1.0)).ln() + 1.0;
        let (w1, w2, w3) = (w(1.0), w(2.0), w(2.0));
        let expected =
            2.0 * w1 * w1 / ((4.0 * w1 * w1 + w2 * w2).sqrt() * (w1 * w1 + w3 * w3).sqrt());
        for all_pairs in [false, true] {
            let cosine = Cosine::new(&articles[0], &idf, all_pairs);
            for (i, j, e) in [
                (0, 1, expected),
                (1, 0, expected),
                (0, 2, 0.0),
                (1, 1, 0.0),
                (3, 0, 0.0),
            ] {
                assert!((cosine.get(i, j) - e).abs() < 1e-12, "{i} {j} {all_pairs}");
            }
            assert!((cosine.with_matrix(|m| m.get(0, 1)) - expected).abs() < 1e-12);
        }
        assert_eq!(
            dot(
                &[(0, 0.5), (2, 0.5), (5, 1.0)],
                &[(1, 3.0), (2, 0.25), (5, 2.0)]
            ),
            2.125
        );
        assert_eq!(dot(&[(1, 3.0)], &[(0, 0.5), (1, 0.5)]), 1.5);
    }

    /// LEAD scores `1 / position`.
    #[test]
    fn lead_scores_by_position() {
        let config = SummaryConfig {
            method: Method::Lead,
            ..SummaryConfig::default()
        };
        let lead = scores(&sample(), &config);
        assert_eq!(lead, [1.0, 1.0 / 2.0, 1.0 / 3.0, 1.0 / 4.0, 1.0 / 5.0]);
        let summary = select(&sample(), &Idf::empty(), &config);
        assert_eq!(summary.scores, [1.0, 1.0 / 2.0, 1.0 / 3.0]);
    }

    /// The PACSUM score by hand: `(1 - w) centrality + w / (i + 1) ^ decay`, less the quote
    /// and short-sentence penalties, plus the length bonus; centrality rescaled to [0, 1].
    #[test]
    fn pacsum_score_by_hand() {
        let mut article = article(&[
            (1, &[1, 1, 2]),
            (2, &[1, 2, 3, 4, 5, 6, 7, 8]),
            (3, &[1, 9, 10]),
            (4, &[3, 9, 11]),
        ]);
        for (c, (words, quoted)) in
            article
                .candidates
                .iter_mut()
                .zip([(9, false), (10, true), (30, false), (20, false)])
        {
            (c.words, c.quoted) = (words, quoted);
        }
        let overlap = |common: f64, a: f64, b: f64| common / (a.ln() + b.ln());
        let by_overlap = [
            [0.0, overlap(2.0, 2.0, 8.0), overlap(1.0, 2.0, 3.0), 0.0],
            [0.0, 0.0, overlap(1.0, 8.0, 3.0), overlap(1.0, 8.0, 3.0)],
            [0.0, 0.0, 0.0, overlap(1.0, 3.0, 3.0)],
        ];
        // One article: every IDF is 1.
        let (a, b, c) = (5.0f64.sqrt(), 8.0f64.sqrt(), 3.0f64.sqrt());
        let by_cosine = [
            [0.0, 3.0 / (a * b), 2.0 / (a * c), 0.0],
            [0.0, 0.0, 1.0 / (b * c), 1.0 / (b * c)],
            [0.0, 0.0, 0.0, 1.0 / 3.0],
        ];
        for (overlap, m) in [(true, by_overlap), (false, by_cosine)] {
            let p = PacsumParams {
                beta: 0.1,
                backward: -0.4,
                forward: 1.5,
                quote_penalty: 0.25,
                short_penalty: 0.125,
                length_weight: 0.5,
                decay: 0.75,
                overlap,
            };
            let config = SummaryConfig {
                pacsum: p,
                position_weight: 0.6,
                ..SummaryConfig::default()
            };
            let centrality = rank::pacsum(&Matrix::symmetric(4, |i, j| m[i][j]), &p);
            let (lo, hi) = (
                centrality.iter().copied().fold(f64::INFINITY, f64::min),
                centrality.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            );
            let expected: Vec<f64> = (0..4)
                .map(|i| {
                    let words = article.candidates[i].words as f64;
                    0.4 * (centrality[i] - lo) / (hi - lo) + 0.6 / ((i + 1) as f64).powf(0.75)
                        - if i == 1 { 0.25 } else { 0.0 }
                        - if words < 10.0 { 0.125 } else { 0.0 }
                        + 0.5 * (words / 25.0).min(1.0)
                })
                .collect();
            let got = scores(&article, &config);
            for (g, e) in got.iter().zip(&expected) {
                assert!(
                    (g - e).abs() < 1e-12,
                    "overlap {overlap}: {got:?} != {expected:?}"
                );
            }
        }
    }

    /// Equal centralities rescale to zeros, not to NaN.
    #[test]
    fn normalise_rescales_to_the_unit_range() {
        assert_eq!(normalise(vec![2.0, 4.0, 3.0]), [0.0, 1.0, 0.5]);
        assert_eq!(normalise(vec![-1.0, -3.0]), [1.0, 0.0]);
        assert_eq!(normalise(vec![5.0, 5.0]), [0.0, 0.0]);
        assert!(normalise(Vec::new()).is_empty());
    }

    /// A sentence exactly as similar to a chosen one as the redundancy setting is kept; one
    /// more similar is skipped.
    #[test]
    fn redundancy_skips_only_sentences_more_similar_than_the_setting() {
        // One article: IDF 1, so the cosine of 2 shared terms out of 4 is exactly 0.5.
        let cands = article(&[(1, &[1, 2, 3, 4]), (2, &[1, 2, 5, 6]), (3, &[7, 8, 9, 10])]);
        let idf = inverse_document_frequencies(std::slice::from_ref(&cands));
        let ids = |redundancy| {
            let config = SummaryConfig {
                method: Method::LexRank,
                length: Length::Sentences(2),
                redundancy,
                ..SummaryConfig::default()
            };
            select(&cands, &idf, &config).sentence_ids
        };
        assert_eq!(ids(0.5), [1, 2]);
        assert_eq!(ids(0.49), [1, 3]);
    }

    /// Word overlap counts shared distinct terms exactly, vocabularies past the bit sets'
    /// 16 words (1,024 terms) included, and is 0 between one-term sentences (no length).
    #[test]
    fn word_overlap_counts_shared_terms_in_any_vocabulary() {
        for shared in [3u64, 100, 1100, 2100] {
            let a: Vec<u64> = (0..shared).chain([100_000]).collect();
            let b: Vec<u64> = (0..shared).chain([100_001, 100_002]).collect();
            let article = article(&[(1, &a), (2, &b), (3, &[2]), (4, &[2])]);
            let m = word_overlap(&article);
            let (la, lb) = (((shared + 1) as f64).ln(), ((shared + 2) as f64).ln());
            let expected = shared as f64 / (la + lb);
            assert!(
                (m.get(0, 1) - expected).abs() < 1e-12,
                "{shared}: {}",
                m.get(0, 1)
            );
            assert!((m.get(1, 0) - expected).abs() < 1e-12, "{shared}");
            // One term each, shared: ln 1 + ln 1 = 0.
            assert_eq!(m.get(2, 3), 0.0, "{shared}");
            let to_one = 1.0 / (la + 0.0);
            assert!((m.get(0, 2) - to_one).abs() < 1e-12, "{shared}");
        }
    }

    /// With 65 to 1,024 terms a sentence's bit set spans several words: every pair is
    /// counted from its own two rows.
    #[test]
    fn word_overlap_over_bit_sets_of_several_words_counts_each_pair_by_hand() {
        let s: [Vec<u64>; 4] = [
            (0..40).collect(),
            (30..100).collect(),
            (90..200).collect(),
            (0..5).chain(150..160).collect(),
        ];
        let sentences: Vec<(usize, &[u64])> = s
            .iter()
            .enumerate()
            .map(|(i, t)| (i + 1, t.as_slice()))
            .collect();
        let cands = article(&sentences);
        assert_eq!(cands.vocabulary.len(), 200);
        let m = word_overlap(&cands);
        for i in 0..4 {
            for j in (0..4).filter(|&j| j != i) {
                let common = s[i].iter().filter(|t| s[j].contains(t)).count() as f64;
                let norm = (s[i].len() as f64).ln() + (s[j].len() as f64).ln();
                let expected = common / norm;
                assert!(
                    (m.get(i, j) - expected).abs() < 1e-12,
                    "{i} {j}: {}",
                    m.get(i, j)
                );
            }
        }
    }

    /// Fragments (fewer than 3 terms: datelines, captions) come after every informative
    /// sentence whatever their score, and are chosen only when nothing else is left.
    #[test]
    fn fragments_are_chosen_only_after_every_informative_sentence() {
        let cands = article(&[
            (1, &[7, 8]),
            (2, &[1, 2, 3, 4]),
            (3, &[9, 10, 11]),
            (4, &[12]),
        ]);
        let idf = inverse_document_frequencies(std::slice::from_ref(&cands));
        let first = |k| {
            let config = SummaryConfig {
                method: Method::Lead,
                length: Length::Sentences(k),
                ..SummaryConfig::default()
            };
            select(&cands, &idf, &config).sentence_ids
        };
        assert_eq!(first(2), [2, 3]);
        assert_eq!(first(3), [1, 2, 3]);
        assert_eq!(first(4), [1, 2, 3, 4]);
    }

    /// Sentences are numbered over the kept paragraphs (the title's included, a dropped
    /// paragraph's not); only body sentences that are not page furniture are candidates.
    #[test]
    fn candidates_are_numbered_over_the_kept_paragraphs() {
        let text = "Judul berita hari ini\n\n\
                    Harga beras naik lagi minggu ini. Pedagang mengeluh soal harga.\n\n\
                    Paragraf ini sudah dibuang dari artikel. Kalimat keduanya juga.\n\n\
                    Pemerintah berjanji turun tangan segera. Stok beras masih cukup banyak.";
        let (_, analyzed, _) = analysed(text);
        assert_eq!(analyzed.paragraphs.len(), 4);
        let drop = Decision::Drop {
            reason: crate::dedup::Kind::Exact,
            duplicate_of: None,
            score: 1.0,
            evidence: Default::default(),
        };
        let decisions = [Decision::Title, Decision::Keep, drop, Decision::Keep];
        let article = Article::new(text, &analyzed, &decisions);
        let ids: Vec<usize> = article.candidates.iter().map(|c| c.id).collect();
        assert_eq!(ids, [2, 3, 4, 5]);
        let first: Vec<&str> = article
            .candidates
            .iter()
            .map(|c| &text[c.span.clone()])
            .collect();
        assert_eq!(first[0], "Harga beras naik lagi minggu ini.");
        assert_eq!(first[2], "Pemerintah berjanji turun tangan segera.");
        let words: Vec<usize> = article.candidates.iter().map(|c| c.words).collect();
        assert_eq!(words, [6, 4, 5, 5]);
        // Page furniture is numbered, never a candidate.
        let text = "Harga beras naik lagi minggu ini di pasar.\n\nBaca juga: Harga cabai turun\n\n\
                    Pemerintah berjanji turun tangan segera.";
        let (_, analyzed, keep) = analysed(text);
        let article = Article::new(text, &analyzed, &keep);
        let ids: Vec<usize> = article.candidates.iter().map(|c| c.id).collect();
        assert_eq!(ids, [1, 3]);
    }

    /// A chosen sentence that opens inside the dateline starts at its end (never past the
    /// sentence's own end); other sentences are left alone.
    #[test]
    fn skip_dateline_moves_only_sentences_opening_inside_it() {
        let mut summary = Summary {
            sentence_ids: vec![1, 2, 3],
            spans: vec![0..30, 5..8, 12..40],
            scores: vec![0.0; 3],
        };
        summary.skip_dateline(&(0..10));
        assert_eq!(summary.spans, [10..30, 8..8, 12..40]);
        let mut summary = Summary {
            sentence_ids: vec![1, 2],
            spans: vec![10..30, 40..50],
            scores: vec![0.0; 2],
        };
        summary.skip_dateline(&(0..10));
        assert_eq!(summary.spans, [10..30, 40..50]);
    }

    /// Every method but LEAD weighs terms by their IDF over the whole corpus: a term that
    /// every article has counts for little.
    #[test]
    fn summarize_weighs_terms_by_the_corpus_idf() {
        let texts = [
            "Pasar kota ramai pembeli pagi ini. Harga cabai merah naik tajam pekan ini. \
             Pasar kota ramai pedagang sayur. Harga bawang merah juga naik tajam.",
            "Pasar kota ramai sekali. Warga antre minyak goreng.",
            "Pasar kota ramai pengunjung. Jalan raya macet total.",
            "Pasar kota ramai kendaraan. Hujan deras turun sore hari.",
        ];
        let (docs, analyzed): (Vec<_>, Vec<_>) = texts
            .iter()
            .map(|t| {
                let (doc, analyzed, _) = analysed(t);
                (doc, analyzed)
            })
            .unzip();
        let decisions: Vec<Vec<Decision>> = analyzed
            .iter()
            .map(|a| vec![Decision::Keep; a.paragraphs.len()])
            .collect();
        for method in [Method::LexRank, Method::Pacsum, Method::TextRank] {
            let config = SummaryConfig {
                method,
                length: Length::Sentences(2),
                redundancy: 0.3,
                pacsum: PacsumParams {
                    overlap: false,
                    ..PacsumParams::default()
                },
                ..SummaryConfig::default()
            };
            // Counted over the bodies as read, which are the articles here: all is kept.
            let mut frequencies = DocumentFrequencies::default();
            let vocabularies: Vec<Vec<u64>> = (docs.iter().zip(&analyzed))
                .map(|(doc, a)| vocabulary(&doc.text, &a.paragraphs, a.lang))
                .collect();
            frequencies.add(&vocabularies);
            let summaries = summarize(&docs, &analyzed, &decisions, &frequencies.idf(), &config);
            let articles: Vec<Article> = (0..docs.len())
                .map(|d| Article::new(&docs[d].text, &analyzed[d], &decisions[d]))
                .collect();
            let idf = inverse_document_frequencies(&articles);
            for (d, summary) in summaries.iter().enumerate() {
                assert_eq!(*summary, select(&articles[d], &idf, &config), "{method:?}");
            }
            if method == Method::LexRank {
                let flat = select(&articles[0], &Idf::empty(), &config);
                assert_ne!(
                    summaries[0].scores, flat.scores,
                    "the test needs IDF to count"
                );
            }
        }
    }

    #[test]
    fn lead_takes_the_first_sentences() {
        let cands = sample();
        let idf = inverse_document_frequencies(std::slice::from_ref(&cands));
        let config = SummaryConfig {
            method: Method::Lead,
            ..SummaryConfig::default()
        };
        assert_eq!(select(&cands, &idf, &config).sentence_ids, [2, 3, 4]);
    }

    #[test]
    fn length_by_ratio_and_words() {
        let cands = sample();
        let idf = inverse_document_frequencies(std::slice::from_ref(&cands));
        let by = |length| {
            let config = SummaryConfig {
                method: Method::Lead,
                length,
                ..SummaryConfig::default()
            };
            select(&cands, &idf, &config).sentence_ids
        };
        assert_eq!(by(Length::Ratio(0.4)), [2, 3]);
        assert_eq!(by(Length::Words(13)), [2]); // 8 words; no other sentence fits in 5 more.
        assert_eq!(by(Length::Words(14)), [2, 4]); // the best sentences that fit
        assert_eq!(by(Length::Words(16)), [2, 3]);
        assert_eq!(by(Length::Words(1)), [2]); // at least one sentence
    }
}
