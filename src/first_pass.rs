//! The first pass of every job: documents fingerprinted batch by batch, keeping what the
//! decisions and the summaries need and, when the corpus can be read again, not the texts.

use std::time::Instant;

use rayon::prelude::*;

use crate::dedup::{self, Decision, DocPrint};
use crate::summarize::{self, DocumentFrequencies};
use crate::text::{self, dateline::Opening, AnalyzedDoc, Paragraph};
use crate::{Config, Document, Job, RecordError, Timings};

/// What the first pass keeps of the documents read so far.
pub(crate) struct FirstPass<'c> {
    config: &'c Config,
    job: Job,
    /// Whether the texts and their analyses are kept (documents given in memory), or
    /// dropped once fingerprinted, to be read again when writing.
    pub keep_texts: bool,
    /// Whether the documents are fingerprinted when the job cleans: not when the
    /// decisions are already made (`apply`).
    pub fingerprints: bool,
    /// Documents waiting to be fingerprinted, and their bytes of text.
    batch: Vec<Document>,
    batch_bytes: usize,
    /// The documents in input order: without their texts unless `keep_texts`.
    pub docs: Vec<Document>,
    /// Their analyses; only the language unless `keep_texts`.
    pub analyzed: Vec<AnalyzedDoc>,
    /// Fingerprints for cleaning (none when only summarising).
    pub prints: Vec<DocPrint>,
    /// The decisions when only summarising: titles are titles, the rest is kept.
    pub kept_as_read: Vec<Vec<Decision>>,
    /// The bytes of the texts as [`dedup::clean_len`] counts them, when only summarising.
    pub clean_bytes: usize,
    /// The openings that datelines are learned from.
    pub openings: Vec<Option<Opening>>,
    /// A hash of each text, to notice inputs that change before they are read again.
    pub hashes: Vec<u64>,
    /// The documents of each term, when the summaries weigh terms by them.
    pub frequencies: Option<DocumentFrequencies>,
    /// Bytes of text read.
    pub bytes: usize,
    /// Records that could not be read, and how many documents came before each.
    pub skipped: Vec<RecordError>,
    pub skipped_before: Vec<usize>,
    pub timings: Timings,
}

impl<'c> FirstPass<'c> {
    pub fn new(config: &'c Config, job: Job, keep_texts: bool) -> FirstPass<'c> {
        // LEAD never compares sentences, so it needs no term weights.
        let weighs_terms = job != Job::Dedup && config.summary.method != summarize::Method::Lead;
        FirstPass {
            config,
            job,
            keep_texts,
            fingerprints: true,
            batch: Vec::new(),
            batch_bytes: 0,
            docs: Vec::new(),
            analyzed: Vec::new(),
            prints: Vec::new(),
            kept_as_read: Vec::new(),
            clean_bytes: 0,
            openings: Vec::new(),
            hashes: Vec::new(),
            frequencies: weighs_terms.then(DocumentFrequencies::default),
            bytes: 0,
            skipped: Vec::new(),
            skipped_before: Vec::new(),
            timings: Timings::default(),
        }
    }

    /// Adds a document read; a full batch is fingerprinted.
    pub fn push(&mut self, doc: Document) {
        self.batch_bytes += doc.text.len();
        self.batch.push(doc);
        if self.batch_bytes >= self.config.batch_bytes {
            self.fingerprint();
        }
    }

    /// Records a record that could not be read, where it stands among the documents.
    pub fn skip(&mut self, error: RecordError) {
        self.skipped.push(error);
        self.skipped_before.push(self.docs.len() + self.batch.len());
    }

    /// Fingerprints what is left; every document read is then accounted for.
    pub fn finish(&mut self) {
        self.fingerprint();
    }

    /// Fingerprints the batch in parallel and keeps what the later stages need.
    fn fingerprint(&mut self) {
        let clock = Instant::now();
        let (config, job, keep_texts) = (self.config, self.job, self.keep_texts);
        let fingerprints = job != Job::Summarize && self.fingerprints;
        // Cleaning alone needs a language only for the terms of restated passages.
        let lang = match job {
            Job::Dedup => config.cleaning_lang(),
            Job::Run | Job::Summarize => config.lang,
        };
        let weighs_terms = self.frequencies.is_some();
        let done: Vec<Fingerprinted> = self
            .batch
            .par_iter()
            .map(|doc| {
                // Summaries of texts in memory are made from this analysis; streamed texts
                // are split into sentences again when they are read again.
                let analyzed = if keep_texts && job != Job::Dedup {
                    text::analyze(doc, lang)
                } else {
                    text::segment(doc, lang)
                };
                // Fingerprinting finds the body's terms when it looks for restated passages.
                let mut vocabulary = Vec::new();
                let print = fingerprints.then(|| {
                    let terms =
                        (weighs_terms && config.dedup.searches.restated).then_some(&mut vocabulary);
                    DocPrint::of(doc, &analyzed, &config.dedup, terms)
                });
                if weighs_terms && print.is_some() && config.dedup.searches.restated {
                    vocabulary.sort_unstable();
                    vocabulary.dedup();
                } else if weighs_terms {
                    vocabulary =
                        summarize::vocabulary(&doc.text, &analyzed.paragraphs, analyzed.lang);
                }
                let kept_as_read =
                    (job == Job::Summarize).then(|| keep_everything(&analyzed.paragraphs));
                let spans = analyzed
                    .paragraphs
                    .iter()
                    .map(|p| (p.span.clone(), p.is_title));
                let opening = Opening::of(doc.site.as_deref(), &doc.text, spans);
                let text_len = dedup::clean_len(analyzed.paragraphs.iter().map(|p| p.span.len()));
                let hash = (!keep_texts).then(|| text::normalize::stable_hash(&doc.text));
                Fingerprinted {
                    analyzed,
                    print,
                    kept_as_read,
                    vocabulary,
                    opening,
                    hash,
                    text_len,
                }
            })
            .collect();
        let mut vocabularies = Vec::with_capacity(done.len());
        for (doc, f) in self.batch.drain(..).zip(done) {
            self.bytes += doc.text.len();
            if keep_texts {
                self.docs.push(doc);
                self.analyzed.push(f.analyzed);
            } else {
                self.docs.push(Document {
                    text: String::new(),
                    raw: None,
                    ..doc
                });
                // The paragraphs are found again when the outputs read the text again.
                self.analyzed.push(AnalyzedDoc {
                    lang: f.analyzed.lang,
                    paragraphs: Vec::new(),
                    terms: Vec::new(),
                });
            }
            self.prints.extend(f.print);
            if let Some(kept) = f.kept_as_read {
                self.clean_bytes += f.text_len;
                self.kept_as_read.push(kept);
            }
            self.openings.push(f.opening);
            self.hashes.extend(f.hash);
            vocabularies.push(f.vocabulary);
        }
        if let Some(frequencies) = &mut self.frequencies {
            frequencies.add(&vocabularies);
        }
        self.batch_bytes = 0;
        // Documents read from files are counted as they are read.
        if keep_texts {
            self.config.progress.done(vocabularies.len());
        }
        self.timings.analyze += clock.elapsed().as_secs_f64();
    }
}

/// What the first pass learns of one document.
struct Fingerprinted {
    analyzed: AnalyzedDoc,
    print: Option<DocPrint>,
    kept_as_read: Option<Vec<Decision>>,
    vocabulary: Vec<u64>,
    opening: Option<Opening>,
    hash: Option<u64>,
    /// The bytes of its paragraphs joined by blank lines.
    text_len: usize,
}

/// The decisions of summarising without cleaning: titles are titles, the rest is kept.
pub(crate) fn keep_everything(paragraphs: &[Paragraph]) -> Vec<Decision> {
    paragraphs
        .iter()
        .map(|p| {
            if p.is_title {
                Decision::Title
            } else {
                Decision::Keep
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::DedupConfig;
    use crate::text::{Lang, LangChoice};

    /// The documents of each term are counted alike whatever finds the terms: the
    /// fingerprints (`run` with the restated search), or the summaries' own count (`run`
    /// without it, `summarize`); and the bytes of a `summarize` are its texts'.
    #[test]
    fn every_job_counts_the_same_document_frequencies() {
        let texts = [
            "Judul Berita Utama Hari Ini\n\nPetani menanam padi di sawah. Hujan turun deras.\n\nBaca juga: Harga beras naik lagi",
            "Pasar kota ramai pembeli pagi ini.\n\nHarga cabai merah naik tajam pekan ini.",
            "Warga antre minyak goreng di pasar kota sejak pagi.",
        ];
        let docs: Vec<Document> = texts
            .iter()
            .enumerate()
            .map(|(k, text)| crate::testing::document(&k.to_string(), text))
            .collect();
        let first_pass = |job: Job, restated: bool| {
            let mut config = Config::new(Vec::new());
            config.lang = LangChoice::Fixed(Lang::Indonesian);
            config.dedup.searches.restated = restated;
            config.batch_bytes = 1;
            let mut pass = FirstPass::new(&config, job, false);
            for doc in docs.clone() {
                pass.push(doc);
            }
            pass.finish();
            (pass.frequencies, pass.clean_bytes)
        };
        let (with_prints, _) = first_pass(Job::Run, true);
        let counted = with_prints.clone().expect("run weighs terms");
        assert_ne!(counted, DocumentFrequencies::default());
        assert_eq!(first_pass(Job::Run, false).0, with_prints);
        let (summarized, bytes) = first_pass(Job::Summarize, true);
        assert_eq!(summarized, with_prints);
        assert_eq!(bytes, texts.iter().map(|t| t.len()).sum::<usize>());
        assert_eq!(first_pass(Job::Dedup, true).0, None);
    }

    /// Fingerprinting finds the body's terms as the summaries' own count does: the
    /// document frequencies do not depend on whether the restated search is on.
    #[test]
    fn fingerprints_find_the_vocabulary_of_the_summaries() {
        let texts = [
            "Judul Berita Utama Hari Ini\n\nPetani menanam padi di sawah. Hujan turun deras.\n\nBaca juga: Harga beras naik lagi\n\nPetani memanen jagung, lalu menjualnya di pasar.",
            "Satu paragraf saja tanpa judul yang berdiri sendiri dan cukup panjang.",
            "",
            "Farmers plant rice in the fields.\n\nRead more: Rice prices rise\n\nThe harvest was late this year.",
        ];
        for text in texts {
            for lang in [Lang::Indonesian, Lang::English] {
                let doc = crate::testing::document("d", text);
                let analyzed = text::segment(&doc, LangChoice::Fixed(lang));
                let mut found = Vec::new();
                DocPrint::of(&doc, &analyzed, &DedupConfig::default(), Some(&mut found));
                found.sort_unstable();
                found.dedup();
                let expected = summarize::vocabulary(text, &analyzed.paragraphs, lang);
                assert_eq!(found, expected, "{text:?} in {lang:?}");
                assert_eq!(expected.is_empty(), text.is_empty(), "{text:?}");
            }
        }
    }
}
