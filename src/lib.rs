//! dedupsum cleans scraped article corpora and summarises them in batch.
//!
//! A [`Pipeline`] reads articles ([`corpus`]), splits them into paragraphs, sentences and
//! terms ([`text`]), finds repeated paragraphs — exact copies, near copies, site boilerplate
//! and passages an article restates in other words — and decides keep or drop for each
//! ([`dedup`]), then picks the most representative sentences of every cleaned article
//! ([`summarize`]). [`output`] writes the results as CSV, JSONL and a JSON report.
//!
//! ```no_run
//! use dedupsum::output::OutputConfig;
//! use dedupsum::{Config, Job, Pipeline};
//!
//! let config = Config::new(vec!["corpus".into()]);
//! let outcome = Pipeline::new(config)?.run(Job::Run)?;
//! let report = outcome.write_dir("out".as_ref(), Job::Run, &OutputConfig::default())?;
//! println!("dropped {} of {} paragraphs", report.dropped, report.paragraphs);
//! # Ok::<(), dedupsum::Error>(())
//! ```
#![deny(missing_docs)]

pub mod corpus;
pub mod dedup;
pub mod error;
pub mod eval;
pub mod output;
mod progress;
pub mod summarize;
pub mod text;

#[cfg(test)]
mod testing;

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

pub use corpus::{Document, JsonFields, OnError, RawRecord, ReadConfig};
pub use dedup::{Decision, DedupConfig, DedupResult, DocPrint, Kind};
pub use error::{Error, RecordError, Result};
pub use progress::Progress;
use progress::Work;
pub use summarize::{Summary, SummaryConfig};
pub use text::dateline::{Dateline, Opening};
pub use text::{AnalyzedDoc, Lang, LangChoice};

/// Everything a run needs to know.
#[derive(Debug, Clone)]
pub struct Config {
    /// Files or directories to read.
    pub inputs: Vec<PathBuf>,
    /// How inputs are found and read (field names, globs, limits).
    pub read: ReadConfig,
    /// What to do with a record that cannot be read.
    pub on_error: OnError,
    /// Language of the documents, or detection per document.
    pub lang: LangChoice,
    /// Worker threads; `None` uses one per core. At most [`max_threads`] are started.
    pub threads: Option<usize>,
    /// Duplicate detection settings.
    pub dedup: DedupConfig,
    /// Summariser settings.
    pub summary: SummaryConfig,
    /// Where progress is shown (nowhere by default).
    pub progress: Progress,
    /// Streaming cleaning fingerprints documents in batches of about this many bytes of
    /// text (see [`Pipeline::run`]); the texts of one batch are all it holds at a time.
    pub batch_bytes: usize,
}

impl Config {
    /// Default settings for `inputs`.
    pub fn new(inputs: Vec<PathBuf>) -> Config {
        Config {
            inputs,
            read: ReadConfig::default(),
            on_error: OnError::Skip,
            lang: LangChoice::Auto,
            threads: None,
            dedup: DedupConfig::default(),
            summary: SummaryConfig::default(),
            batch_bytes: 8 << 20,
            progress: Progress::default(),
        }
    }

    /// The language choice of cleaning alone. Cleaning needs a language only for the
    /// terms of restated passages: without that search none is detected.
    fn cleaning_lang(&self) -> LangChoice {
        match self.lang {
            LangChoice::Auto if !self.dedup.searches.restated => {
                LangChoice::Fixed(Lang::UNDETERMINED)
            }
            lang => lang,
        }
    }
}

/// Which stages run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Clean and summarise.
    Run,
    /// Clean only.
    Dedup,
    /// Summarise the articles as they are, without cleaning.
    Summarize,
}

/// Wall-clock seconds spent in each stage.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Timings {
    /// Reading the inputs.
    pub read: f64,
    /// Segmentation and term analysis.
    pub analyze: f64,
    /// Duplicate detection and decisions.
    pub dedup: f64,
    /// Summaries.
    pub summarize: f64,
}

/// The results of a run, in memory.
#[derive(Debug)]
pub struct Outcome {
    /// The articles read, in input order.
    pub docs: Vec<Document>,
    /// Their segmentation, parallel to `docs`. With [`Texts::Reread`], only the language:
    /// the paragraphs are split again from the text read again.
    pub analyzed: Vec<AnalyzedDoc>,
    /// Decisions per paragraph and the verified pairs (all kept, no pairs, when not cleaning).
    pub dedup: DedupResult,
    /// One summary per article, parallel to `docs` (empty when not summarising).
    pub summaries: Vec<Summary>,
    /// Seconds per stage.
    pub timings: Timings,
    /// Threads used.
    pub threads: usize,
    /// Input records that could not be read and were skipped, in input order.
    pub skipped: Vec<RecordError>,
    /// For each skipped record, how many documents were read before it: where it stands
    /// among them in input order (`documents.csv` lists both in that order).
    pub skipped_before: Vec<usize>,
    /// Documents whose id repeated an earlier document's and was renamed (`id#2`, …).
    pub renamed_ids: usize,
    /// Documents so large that a limit changed how they were processed, and how.
    pub limited: Vec<Limited>,
    /// The dateline of each document, parallel to `docs` (see [`text::dateline`]).
    pub datelines: Vec<Option<Dateline>>,
    /// Whether the cleaned texts leave the datelines out ([`DedupConfig::cut_datelines`]).
    pub cut_datelines: bool,
    /// Where the article texts are.
    pub texts: Texts,
    /// The run's progress, which writing the outputs goes on with and ends.
    pub progress: Progress,
}

/// Where the texts of an [`Outcome`]'s documents are.
#[derive(Debug, Clone)]
pub enum Texts {
    /// In [`Document::text`].
    InMemory,
    /// Dropped once fingerprinted ([`Document::text`] is empty): the outputs read them
    /// again from these inputs, which held `bytes` bytes of text.
    Reread {
        /// The inputs, read again in the same order.
        corpus: corpus::Corpus,
        /// Bytes of article text read the first time.
        bytes: usize,
        /// A hash of every document's text as first read, to notice inputs that changed.
        hashes: Vec<u64>,
    },
}

/// A document a size limit applied to: processed, but not in the usual way.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Limited {
    /// Document index in input order.
    #[serde(skip)]
    pub doc: usize,
    /// Document id.
    pub doc_id: String,
    /// What the limit did.
    pub limit: String,
}

/// Worker threads started per available core, at most. More only cost memory (a stack
/// each) and start-up time: `--threads 100000` took minutes to start on two cores.
pub const MAX_THREADS_PER_CORE: usize = 4;

/// The most worker threads a run starts: [`MAX_THREADS_PER_CORE`] per available core.
/// [`Config::threads`] above it is lowered to it (the outputs are the same for any number).
pub fn max_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()) * MAX_THREADS_PER_CORE
}

/// Runs the stages over a configured corpus.
pub struct Pipeline {
    config: Config,
}

impl Pipeline {
    /// Checks the configuration.
    pub fn new(config: Config) -> Result<Pipeline> {
        config.dedup.validate()?;
        config.summary.validate()?;
        if config.threads == Some(0) {
            return Err(Error::Config("--threads must be at least 1".into()));
        }
        Ok(Pipeline { config })
    }

    /// Reads the inputs and runs the stages of `job`, on the configured number of threads.
    ///
    /// Cleaning alone (`Job::Dedup`) streams: documents are fingerprinted in batches and
    /// their texts dropped, so memory follows the number of paragraphs, not the corpus
    /// size; the outputs read the inputs again. Standard input is first copied to a
    /// temporary file (in the system's temporary directory) so it can be read twice.
    pub fn run(&self, job: Job) -> Result<Outcome> {
        self.in_pool(|| {
            let progress = &self.config.progress;
            if job == Job::Dedup {
                let mut corpus =
                    corpus::Corpus::open(&self.config.inputs, self.config.read.clone())?
                        .with_progress(progress.clone());
                if corpus.has_unspooled_streams() {
                    let name = if corpus.reads_stdin() {
                        "copying standard input"
                    } else {
                        "copying the streamed inputs"
                    };
                    progress.stage(name, Work::Copy);
                }
                corpus.spool_streams(&std::env::temp_dir())?;
                return self.dedup_streaming(corpus);
            }
            let clock = Instant::now();
            // Summaries need the texts only; the records as read are for `clean.jsonl`.
            let read_config = corpus::ReadConfig {
                keep_records: self.config.read.keep_records && job != Job::Summarize,
                ..self.config.read.clone()
            };
            let corpus = corpus::Corpus::open(&self.config.inputs, read_config)?
                .with_progress(progress.clone());
            progress.stage("reading", Work::Bytes(corpus.size()));
            let input = corpus::read_corpus(&corpus, self.config.on_error)?;
            let read = clock.elapsed().as_secs_f64();
            let mut outcome = self.process(job, input.docs);
            outcome.timings.read = read;
            outcome.skipped = input.skipped;
            outcome.skipped_before = input.skipped_before;
            outcome.renamed_ids = input.renamed_ids;
            Ok(outcome)
        })
    }

    /// First pass of streaming cleaning: fingerprints of every document, read in batches
    /// of about [`Config::batch_bytes`] of text, each fingerprinted in parallel.
    fn dedup_streaming(&self, corpus: corpus::Corpus) -> Result<Outcome> {
        let config = &self.config;
        let mut timings = Timings::default();
        let mut skipped_before = Vec::new();
        let (mut docs, mut analyzed, mut prints, mut skipped, mut hashes, mut openings) = (
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        let mut bytes = 0;
        let mut batch: Vec<Document> = Vec::new();
        let mut batch_bytes = 0;
        let mut fingerprint = |batch: &mut Vec<Document>, timings: &mut Timings| {
            let clock = Instant::now();
            let done: Vec<(AnalyzedDoc, DocPrint, u64, Option<Opening>)> = batch
                .par_iter()
                .map(|doc| {
                    let a = text::segment(doc, config.cleaning_lang());
                    let print = DocPrint::of(doc, &a, &config.dedup);
                    let opening = opening(doc, &a);
                    (a, print, text::normalize::stable_hash(&doc.text), opening)
                })
                .collect();
            for (doc, (a, print, hash, opening)) in batch.drain(..).zip(done) {
                bytes += doc.text.len();
                hashes.push(hash);
                openings.push(opening);
                docs.push(Document {
                    text: String::new(),
                    raw: None,
                    ..doc
                });
                // The paragraphs are found again when the outputs read the text again.
                analyzed.push(AnalyzedDoc {
                    lang: a.lang,
                    paragraphs: Vec::new(),
                    terms: Vec::new(),
                });
                prints.push(print);
            }
            timings.analyze += clock.elapsed().as_secs_f64();
        };
        // The streams are copied by now: the size is known.
        config.progress.stage("reading", Work::Bytes(corpus.size()));
        let mut docs_read = 0;
        // The records as read are wanted only when writing, in the second pass.
        let first_pass = corpus.texts_only();
        let mut records = first_pass.records_parallel();
        loop {
            let clock = Instant::now();
            let record = records.next();
            timings.read += clock.elapsed().as_secs_f64();
            match record {
                None => break,
                Some(Ok(doc)) => {
                    batch_bytes += doc.text.len();
                    docs_read += 1;
                    batch.push(doc);
                    if batch_bytes >= config.batch_bytes {
                        fingerprint(&mut batch, &mut timings);
                        batch_bytes = 0;
                    }
                }
                Some(Err(e)) if config.on_error == OnError::Fail => return Err(Error::Record(e)),
                Some(Err(e)) => {
                    skipped.push(e);
                    skipped_before.push(docs_read);
                }
            }
        }
        fingerprint(&mut batch, &mut timings);
        if docs.is_empty() && skipped.is_empty() {
            return Err(Error::NoDocuments);
        }
        let renamed_ids = corpus::unique_ids(&mut docs);
        let mut outcome = self.decide(Job::Dedup, docs, analyzed, prints, openings, timings);
        outcome.skipped = skipped;
        outcome.skipped_before = skipped_before;
        outcome.renamed_ids = renamed_ids;
        outcome.texts = Texts::Reread {
            corpus,
            bytes,
            hashes,
        };
        Ok(outcome)
    }

    /// Runs the stages of `job` over documents already in memory (the inputs are ignored).
    /// Repeated ids are renamed as when reading (see [`corpus::unique_ids`]).
    pub fn run_documents(&self, job: Job, mut docs: Vec<Document>) -> Result<Outcome> {
        let renamed_ids = corpus::unique_ids(&mut docs);
        self.in_pool(|| {
            let mut outcome = self.process(job, docs);
            outcome.renamed_ids = renamed_ids;
            Ok(outcome)
        })
    }

    /// Runs `work` on a thread pool of the configured size.
    fn in_pool<T: Send>(&self, work: impl FnOnce() -> Result<T> + Send) -> Result<T> {
        let mut builder = rayon::ThreadPoolBuilder::new();
        if let Some(n) = self.config.threads {
            builder = builder.num_threads(n.min(max_threads()));
        }
        let pool = builder
            .build()
            .map_err(|e| Error::Config(format!("cannot start worker threads: {e}")))?;
        pool.install(work)
    }

    fn process(&self, job: Job, docs: Vec<Document>) -> Outcome {
        let config = &self.config;
        let mut timings = Timings::default();
        let clock = Instant::now();
        config
            .progress
            .stage("analysing", Work::Docs(docs.len() as u64));
        // Each document at once, so that the count of documents done is the stage's.
        let (analyzed, (prints, openings)): (Vec<AnalyzedDoc>, (Vec<Option<DocPrint>>, _)) = docs
            .par_iter()
            .map(|doc| {
                // Cleaning alone needs paragraphs, not sentences.
                let a = match job {
                    Job::Dedup => text::segment(doc, config.cleaning_lang()),
                    Job::Run | Job::Summarize => text::analyze(doc, config.lang),
                };
                let print = (job != Job::Summarize).then(|| DocPrint::of(doc, &a, &config.dedup));
                let opening = opening(doc, &a);
                config.progress.done(1);
                (a, (print, opening))
            })
            .unzip();
        let prints = prints.into_iter().flatten().collect();
        timings.analyze = clock.elapsed().as_secs_f64();
        self.decide(job, docs, analyzed, prints, openings, timings)
    }

    /// Decides every paragraph from the fingerprints (none when only summarising) and
    /// summarises the kept text when `job` asks for it.
    fn decide(
        &self,
        job: Job,
        docs: Vec<Document>,
        analyzed: Vec<AnalyzedDoc>,
        prints: Vec<DocPrint>,
        openings: Vec<Option<Opening>>,
        mut timings: Timings,
    ) -> Outcome {
        let config = &self.config;
        let clock = Instant::now();
        let dedup = if job == Job::Summarize {
            keep_everything(&analyzed)
        } else {
            config
                .progress
                .stage("finding duplicates", Work::Whole(docs.len() as u64));
            dedup::find_duplicates(prints, &config.dedup)
        };
        timings.dedup = clock.elapsed().as_secs_f64();

        let mut limited: Vec<Limited> = dedup
            .candidate_docs
            .iter()
            .map(|&d| Limited {
                doc: d as usize,
                doc_id: docs[d as usize].id.clone(),
                limit: format!(
                    "more than {} paragraphs: restated pairs scored only among paragraphs sharing a term rare in the article",
                    dedup::restated::ALL_PAIRS_LIMIT
                ),
            })
            .collect();
        limited.extend(dedup.near_limited_docs.iter().map(|&d| Limited {
            doc: d as usize,
            doc_id: docs[d as usize].id.clone(),
            limit: format!(
                "a paragraph among more than {} similar ones: near copies checked only against the first of them that match no earlier one (at most {}), not each against each",
                dedup::join::MAX_GROUP,
                dedup::join::MAX_LEADERS
            ),
        }));

        let datelines = text::dateline::find(&openings, config.dedup.boilerplate_min_docs);
        drop(openings);
        let mut dedup = dedup;
        if config.dedup.cut_datelines && job != Job::Summarize {
            for (dateline, decisions) in datelines.iter().zip(&dedup.decisions) {
                if let Some(d) = dateline {
                    if decisions[d.paragraph as usize].is_kept() {
                        dedup.clean_bytes -= d.len as usize;
                    }
                }
            }
        }
        let clock = Instant::now();
        let summaries = if job == Job::Dedup {
            Vec::new()
        } else {
            for (d, (doc, decisions)) in analyzed.iter().zip(&dedup.decisions).enumerate() {
                let sentences: usize = doc
                    .paragraphs
                    .iter()
                    .zip(decisions)
                    .filter(|(_, decision)| **decision == Decision::Keep)
                    .map(|(p, _)| p.sentences.len())
                    .sum();
                if sentences > summarize::MAX_CANDIDATES {
                    limited.push(Limited {
                        doc: d,
                        doc_id: docs[d].id.clone(),
                        limit: format!(
                            "{sentences} sentences: summary chosen from the first {}",
                            summarize::MAX_CANDIDATES
                        ),
                    });
                }
            }
            config
                .progress
                .stage("summarising", Work::Whole(docs.len() as u64));
            let mut summaries =
                summarize::summarize(&docs, &analyzed, &dedup.decisions, &config.summary);
            for ((summary, dateline), a) in summaries.iter_mut().zip(&datelines).zip(&analyzed) {
                if let Some(d) = dateline {
                    let start = a.paragraphs[d.paragraph as usize].span.start;
                    summary.skip_dateline(&(start..start + d.len as usize));
                }
            }
            summaries
        };
        timings.summarize = clock.elapsed().as_secs_f64();
        limited.sort_by_key(|l| l.doc);

        Outcome {
            docs,
            analyzed,
            dedup,
            summaries,
            timings,
            threads: rayon::current_num_threads(),
            skipped: Vec::new(),
            skipped_before: Vec::new(),
            renamed_ids: 0,
            limited,
            datelines,
            cut_datelines: config.dedup.cut_datelines && job != Job::Summarize,
            texts: Texts::InMemory,
            progress: config.progress.clone(),
        }
    }
}

/// The opening of `doc` that datelines are learned from.
fn opening(doc: &Document, analyzed: &AnalyzedDoc) -> Option<Opening> {
    let spans = analyzed
        .paragraphs
        .iter()
        .map(|p| (p.span.clone(), p.is_title));
    Opening::of(doc.site.as_deref(), &doc.text, spans)
}

/// Decisions for summarising without cleaning: titles are titles, everything else is kept.
fn keep_everything(analyzed: &[AnalyzedDoc]) -> DedupResult {
    let decisions = analyzed
        .iter()
        .map(|doc| {
            doc.paragraphs
                .iter()
                .map(|p| {
                    if p.is_title {
                        Decision::Title
                    } else {
                        Decision::Keep
                    }
                })
                .collect()
        })
        .collect();
    DedupResult {
        decisions,
        pairs: Vec::new(),
        candidate_docs: Vec::new(),
        near_limited_docs: Vec::new(),
        clean_bytes: analyzed
            .iter()
            .map(|doc| dedup::clean_len(doc.paragraphs.iter().map(|p| p.span.len())))
            .sum(),
    }
}
