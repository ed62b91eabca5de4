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

pub mod cli;
pub mod corpus;
pub mod dedup;
pub mod error;
pub mod eval;
mod first_pass;
pub mod index;
pub mod messages;
pub mod output;
mod progress;
pub mod summarize;
pub mod text;

#[cfg(test)]
mod testing;

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

pub use corpus::{Document, JsonFields, OnError, RawRecord, ReadConfig};
pub use dedup::{Decision, DedupConfig, DedupResult, DocPrint, Kind};
pub use error::{Error, RecordError, Result};
use first_pass::FirstPass;
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
    /// Documents are fingerprinted in batches of about this many bytes of text (see
    /// [`Pipeline::run`]); the texts of one batch are all a run holds at a time.
    pub batch_bytes: usize,
    /// Fingerprints of earlier batches to clean against (`--against`; each a shard or a
    /// directory of shards, see [`index::shard::read_index`]): their documents come
    /// first, so what they hold is kept there and its copies here are dropped.
    pub against: Vec<PathBuf>,
    /// A directory to write the fingerprints of the documents read into, as a shard
    /// (`--save-fingerprints`): the next batch's index grows by it.
    pub save_fingerprints: Option<PathBuf>,
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
            against: Vec::new(),
            save_fingerprints: None,
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
    /// One summary per article, parallel to `docs`, when the texts are in memory
    /// ([`Pipeline::run_documents`]); else empty, the summaries being made as the outputs
    /// read the texts again. Empty when not summarising.
    pub summaries: Vec<Summary>,
    /// What summaries are made with, when the job summarises.
    pub summarizing: Option<Summarizing>,
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
    /// How many documents of earlier batches (`--against`) come first in `docs`: decided
    /// with the others as one corpus (their texts were never read: placeholders with
    /// their ids), never written. 0 for a run against nothing.
    pub earlier: usize,
    /// Whether `dedup.pairs` are every verified pair: not when decisions made without them
    /// are applied (see [`index::decisions::Decisions::pairs_made`]).
    pub pairs_known: bool,
}

/// What summarising needs besides the texts: the settings and the weight of each term.
#[derive(Debug, Clone)]
pub struct Summarizing {
    /// The summariser's settings.
    pub config: SummaryConfig,
    /// The IDF of each term over the documents as read (see
    /// [`summarize::DocumentFrequencies`]).
    pub idf: summarize::Idf,
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
    /// Every job streams: documents are fingerprinted in batches and their texts dropped,
    /// keeping what the decisions need and the documents of each term (which the
    /// summaries weigh terms by), so memory follows the number of paragraphs, not the
    /// corpus size. The outputs read the inputs again, and summarise each article as they
    /// write it: the returned [`Outcome::summaries`] is empty. Standard input is first
    /// copied to a temporary file (in the system's temporary directory) so it can be read
    /// twice.
    pub fn run(&self, job: Job) -> Result<Outcome> {
        self.in_pool(|| {
            let config = &self.config;
            // Read first: a wrong index is refused before the inputs are.
            let index = match job {
                Job::Summarize => None,
                _ => self.index()?,
            };
            let (mut pass, corpus) =
                self.first_pass(job, true, config.save_fingerprints.is_some())?;
            if let Some(dir) = &config.save_fingerprints {
                self.save_fingerprints(&mut pass, dir)?;
            }
            let (earlier, earlier_lens) = match index {
                Some(index) => put_first(index, &mut pass),
                None => (0, Vec::new()),
            };
            let mut earlier_ids: Vec<String> =
                pass.docs[..earlier].iter().map(|d| d.id.clone()).collect();
            let renamed_ids =
                corpus::unique_ids(&mut pass.docs) - corpus::rename_repeated(&mut earlier_ids);
            let (bytes, hashes) = (pass.bytes, std::mem::take(&mut pass.hashes));
            let mut outcome = self.decide(job, pass);
            let kept_bytes: Vec<usize> = (earlier_lens.iter().zip(&outcome.dedup.decisions))
                .map(|(lens, decisions)| index::decisions::kept_bytes(lens, decisions))
                .collect();
            outcome.leave_out_earlier(&kept_bytes);
            Ok(outcome.read_again(renamed_ids, corpus, bytes, hashes))
        })
    }

    /// The index of earlier batches to clean against, if any; refused when made with
    /// other settings than this run's.
    fn index(&self) -> Result<Option<index::shard::Shard>> {
        let config = &self.config;
        let Some(index) = index::shard::read_index(&config.against)? else {
            return Ok(None);
        };
        let settings = index::shard::Settings::new(&config.dedup, config.lang);
        if index.settings != settings {
            return Err(Error::Refused {
                path: config.against[0].clone(),
                message: format!(
                    "fingerprinted with {}, and this run has {}: clean against fingerprints made with the same flags",
                    index::shard::describe(&index.settings),
                    index::shard::describe(&settings)
                ),
            });
        }
        Ok(Some(index))
    }

    /// Writes the fingerprints of the first pass into `dir` as a shard; they are put back
    /// for the decisions.
    fn save_fingerprints(&self, pass: &mut FirstPass<'_>, dir: &Path) -> Result<()> {
        let out = output::OutputDir::create(dir)?;
        if dir.join(index::shard::FINGERPRINTS).exists() {
            return Err(Error::Refused {
                path: dir.to_path_buf(),
                message: "holds a shard already; remove it or choose another directory".into(),
            });
        }
        let prints = std::mem::take(&mut pass.prints);
        let shard = self.shard(pass, prints);
        let written = shard.write(&out);
        pass.prints = shard.prints;
        written
    }

    /// The shard of the documents of the first pass, with their `prints`.
    fn shard(&self, pass: &FirstPass<'_>, prints: Vec<DocPrint>) -> index::shard::Shard {
        let docs = (pass.docs.iter().zip(&pass.hashes).zip(&pass.openings))
            .map(|((doc, &text_hash), opening)| index::shard::ShardDoc {
                id: doc.id.clone(),
                site: doc.site.clone(),
                text_hash,
                opening: opening.clone(),
            })
            .collect();
        index::shard::Shard {
            settings: index::shard::Settings::new(&self.config.dedup, self.config.lang),
            docs,
            prints,
            frequencies: pass.frequencies.clone(),
        }
    }

    /// Reads the inputs and fingerprints them as `dedup` does, for decisions made
    /// elsewhere (see [`index`]): the shard of these inputs, and the records that could
    /// not be read. The ids are as read: a repeated one is renamed when the shards are put
    /// together.
    pub fn fingerprint(&self) -> Result<(index::shard::Shard, Vec<RecordError>)> {
        self.in_pool(|| {
            let (mut pass, _) = self.first_pass(Job::Dedup, true, true)?;
            let prints = std::mem::take(&mut pass.prints);
            Ok((self.shard(&pass, prints), pass.skipped))
        })
    }

    /// Reads the inputs again and puts `decisions` (made by `decide` from their
    /// fingerprints, read from `from`) in place of the search: the outcome of `dedup`
    /// (or of `run` when `job` summarises), written alike. Decisions of one slice of a
    /// corpus apply to the inputs of that slice (see [`index::decisions`]). Refused when
    /// the inputs are not those fingerprinted (other documents, or texts that changed) or
    /// the language setting differs.
    pub fn apply(
        &self,
        job: Job,
        decisions: index::decisions::Decisions,
        from: &Path,
    ) -> Result<Outcome> {
        let refuse = |message: String| Error::Refused {
            path: from.to_path_buf(),
            message,
        };
        if job == Job::Summarize {
            return Err(Error::Config("decisions apply to a job that cleans".into()));
        }
        let settings = index::shard::Settings::new(&self.config.dedup, self.config.lang);
        if settings != decisions.settings {
            return Err(refuse(format!(
                "decided from fingerprints made with --lang {}; apply them with the same",
                decisions.settings.lang
            )));
        }
        self.in_pool(|| {
            let (mut pass, corpus) = self.first_pass(job, false, false)?;
            // Summaries weigh terms by the corpus the decisions were made over, not only by
            // these inputs (one slice of it, perhaps).
            if let (Some(counted), Some(corpus)) = (&mut pass.frequencies, decisions.frequencies) {
                *counted = corpus;
            }
            let (earlier, decided) = decisions.docs.split_at(decisions.earlier);
            if pass.docs.len() != decided.len() {
                return Err(refuse(format!(
                    "decides {} documents, and the inputs hold {}: apply the decisions to the inputs fingerprinted, in the same order",
                    decided.len(),
                    pass.docs.len()
                )));
            }
            // The ids are the decided ones: a repeated id was renamed across the whole
            // corpus, which these inputs may be one slice of.
            let mut renamed_ids = 0;
            for (d, ((doc, &hash), decided)) in
                (pass.docs.iter_mut().zip(&pass.hashes).zip(decided)).enumerate()
            {
                if hash != decided.text_hash || !corpus::names(&decided.id, &doc.id) {
                    return Err(refuse(format!(
                        "document {} of the inputs (`{}`) is not the one fingerprinted (`{}`) or its text changed since",
                        d + 1,
                        doc.id,
                        decided.id
                    )));
                }
                if doc.id != decided.id {
                    doc.id.clone_from(&decided.id);
                    renamed_ids += 1;
                }
            }
            let placeholders = (earlier.iter())
                .map(|doc| (doc.id.clone(), None, doc.text_hash, None))
                .collect();
            put_placeholders(&mut pass, placeholders, "<earlier slice>");
            let kept_bytes: Vec<usize> = earlier.iter().map(|doc| doc.clean_bytes).collect();
            let (bytes, hashes) = (pass.bytes, std::mem::take(&mut pass.hashes));
            let mut outcome = self.outcome(job, pass, decisions.dedup, decisions.datelines);
            outcome.leave_out_earlier(&kept_bytes);
            outcome.pairs_known = decisions.pairs_made;
            Ok(outcome.read_again(renamed_ids, corpus, bytes, hashes))
        })
    }

    /// Reads the inputs once, fingerprinting them if `fingerprints` (and the job cleans),
    /// for a `shard` of them if asked: the first pass, and the corpus to read again.
    fn first_pass(
        &self,
        job: Job,
        fingerprints: bool,
        shard: bool,
    ) -> Result<(FirstPass<'_>, corpus::Corpus)> {
        let config = &self.config;
        let progress = &config.progress;
        let read_config = corpus::ReadConfig {
            // Summaries alone write no records.
            keep_records: config.read.keep_records && job != Job::Summarize,
            ..config.read.clone()
        };
        let mut corpus =
            corpus::Corpus::open(&config.inputs, read_config)?.with_progress(progress.clone());
        if corpus.has_unspooled_streams() {
            let name = if corpus.reads_stdin() {
                "copying standard input"
            } else {
                "copying the streamed inputs"
            };
            progress.stage(name, Work::Copy);
        }
        corpus.spool_streams(&std::env::temp_dir())?;
        // The streams are copied by now: the size is known.
        progress.stage("reading", Work::Bytes(corpus.size()));
        let mut pass = FirstPass::new(config, job, false);
        pass.fingerprints = fingerprints;
        // A shard carries the document frequencies of the summaries' terms, for summaries
        // made apart from the rest of the corpus (see `index::decisions`); cleaning finds
        // those terms only in the language summaries have.
        if shard && pass.frequencies.is_none() && config.cleaning_lang() == config.lang {
            pass.frequencies = Some(summarize::DocumentFrequencies::default());
        }
        // The records as read are wanted only when writing, in the second pass.
        let texts = corpus.texts_only();
        let mut records = texts.records_parallel();
        loop {
            let clock = Instant::now();
            let record = records.next();
            pass.timings.read += clock.elapsed().as_secs_f64();
            match record {
                None => break,
                Some(Ok(doc)) => pass.push(doc),
                Some(Err(e)) if config.on_error == OnError::Fail => return Err(Error::Record(e)),
                Some(Err(e)) => pass.skip(e),
            }
        }
        pass.finish();
        if pass.docs.is_empty() && pass.skipped.is_empty() {
            return Err(Error::NoDocuments);
        }
        Ok((pass, corpus))
    }

    /// Runs the stages of `job` over documents already in memory (the inputs are ignored),
    /// as [`Pipeline::run`] does but keeping the texts: the summaries are made at once, in
    /// [`Outcome::summaries`]. Repeated ids are renamed as when reading (see
    /// [`corpus::unique_ids`]).
    pub fn run_documents(&self, job: Job, mut docs: Vec<Document>) -> Result<Outcome> {
        let renamed_ids = corpus::unique_ids(&mut docs);
        self.in_pool(|| {
            self.config
                .progress
                .stage("analysing", Work::Docs(docs.len() as u64));
            let mut pass = FirstPass::new(&self.config, job, true);
            for doc in docs {
                pass.push(doc);
            }
            pass.finish();
            let mut outcome = self.decide(job, pass);
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

    /// Decides every paragraph from the fingerprints of the first pass (none when only
    /// summarising) and, with the texts in memory, summarises them when `job` asks for it.
    fn decide(&self, job: Job, mut pass: FirstPass<'_>) -> Outcome {
        let config = &self.config;
        // Learned first: the openings are freed before the search's peak of memory.
        let datelines = text::dateline::find(&pass.openings, config.dedup.boilerplate_min_docs);
        pass.openings = Vec::new();
        let clock = Instant::now();
        let dedup = if job == Job::Summarize {
            DedupResult {
                decisions: std::mem::take(&mut pass.kept_as_read),
                pairs: Vec::new(),
                candidate_docs: Vec::new(),
                near_limited_docs: Vec::new(),
                clean_bytes: pass.clean_bytes,
            }
        } else {
            config
                .progress
                .stage("finding duplicates", Work::Whole(pass.docs.len() as u64));
            dedup::find_duplicates(std::mem::take(&mut pass.prints), &config.dedup)
        };
        pass.timings.dedup = clock.elapsed().as_secs_f64();
        self.outcome(job, pass, dedup, datelines)
    }

    /// The outcome of `job` over the documents of the first pass with the decisions
    /// `dedup` and `datelines`; with the texts in memory, summarised when `job` asks for it.
    fn outcome(
        &self,
        job: Job,
        pass: FirstPass<'_>,
        mut dedup: DedupResult,
        datelines: Vec<Option<Dateline>>,
    ) -> Outcome {
        let config = &self.config;
        let in_memory = pass.keep_texts;
        let FirstPass {
            docs,
            analyzed,
            frequencies,
            skipped,
            skipped_before,
            timings,
            ..
        } = pass;
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

        if config.dedup.cut_datelines && job != Job::Summarize {
            for (dateline, decisions) in datelines.iter().zip(&dedup.decisions) {
                if let Some(d) = dateline {
                    if decisions[d.paragraph as usize].is_kept() {
                        dedup.clean_bytes -= d.len as usize;
                    }
                }
            }
        }
        let summarizing = (job != Job::Dedup).then(|| Summarizing {
            config: config.summary.clone(),
            idf: frequencies.map_or_else(summarize::Idf::empty, |f| f.idf()),
        });
        let mut outcome = Outcome {
            docs,
            analyzed,
            dedup,
            summaries: Vec::new(),
            summarizing,
            timings,
            threads: rayon::current_num_threads(),
            skipped,
            skipped_before,
            renamed_ids: 0,
            limited,
            datelines,
            cut_datelines: config.dedup.cut_datelines && job != Job::Summarize,
            texts: Texts::InMemory,
            progress: config.progress.clone(),
            earlier: 0,
            pairs_known: true,
        };
        // Texts in memory were analysed into sentences and terms: summarised now.
        if outcome.summarizing.is_some() && in_memory {
            let clock = Instant::now();
            config
                .progress
                .stage("summarising", Work::Whole(outcome.docs.len() as u64));
            let (summaries, limits): (Vec<Summary>, Vec<Option<Limited>>) = (0..outcome.docs.len())
                .into_par_iter()
                .map(|d| outcome.summarize(d, &outcome.docs[d].text, &outcome.analyzed[d]))
                .unzip();
            outcome.summaries = summaries;
            outcome.limited.extend(limits.into_iter().flatten());
            outcome.timings.summarize = clock.elapsed().as_secs_f64();
        }
        outcome.limited.sort_by_key(|l| l.doc);
        outcome
    }
}

/// Puts the documents of `index` before those of the first pass, as placeholders with
/// their fingerprints: how many, and the lengths of their paragraphs.
fn put_first(index: index::shard::Shard, pass: &mut FirstPass<'_>) -> (usize, Vec<Vec<u32>>) {
    let lens: Vec<Vec<u32>> = (index.prints.iter())
        .map(|p| p.paragraphs.iter().map(|p| p.len).collect())
        .collect();
    let earlier = (index.docs.into_iter())
        .map(|doc| (doc.id, doc.site, doc.text_hash, doc.opening))
        .collect();
    put_placeholders(pass, earlier, "<against>");
    let mut prints = index.prints;
    prints.append(&mut pass.prints);
    pass.prints = prints;
    (lens.len(), lens)
}

/// Puts `earlier` documents (id, site, text hash and opening each) before those of the
/// first pass, as placeholders with no text, read from `source`.
fn put_placeholders(
    pass: &mut FirstPass<'_>,
    earlier: Vec<(String, Option<String>, u64, Option<Opening>)>,
    source: &str,
) {
    let n = earlier.len();
    let mut docs = Vec::with_capacity(n + pass.docs.len());
    let mut hashes = Vec::with_capacity(docs.capacity());
    let mut openings = Vec::with_capacity(docs.capacity());
    for (id, site, text_hash, opening) in earlier {
        docs.push(Document {
            id,
            title: None,
            site,
            text: String::new(),
            source: corpus::Source {
                path: PathBuf::from(source),
                line: None,
            },
            raw: None,
        });
        hashes.push(text_hash);
        openings.push(opening);
    }
    docs.append(&mut pass.docs);
    pass.docs = docs;
    hashes.append(&mut pass.hashes);
    pass.hashes = hashes;
    openings.append(&mut pass.openings);
    pass.openings = openings;
    let placeholder = || AnalyzedDoc {
        lang: Lang::UNDETERMINED,
        paragraphs: Vec::new(),
        terms: Vec::new(),
    };
    let mut analyzed: Vec<AnalyzedDoc> = (0..n).map(|_| placeholder()).collect();
    analyzed.append(&mut pass.analyzed);
    pass.analyzed = analyzed;
    for before in &mut pass.skipped_before {
        *before += n;
    }
}

impl Outcome {
    /// The outcome of documents streamed from `corpus` (their texts, `bytes` of them
    /// hashed as `hashes`, are read again when writing), `renamed_ids` of them renamed.
    fn read_again(
        mut self,
        renamed_ids: usize,
        corpus: corpus::Corpus,
        bytes: usize,
        hashes: Vec<u64>,
    ) -> Outcome {
        self.renamed_ids = renamed_ids;
        self.texts = Texts::Reread {
            corpus,
            bytes,
            hashes,
        };
        self
    }

    /// Leaves the first documents, of earlier batches or slices whose cleaned texts keep
    /// `kept_bytes` each (datelines not cut), out of what is written and counted: their
    /// bytes, their limits.
    fn leave_out_earlier(&mut self, kept_bytes: &[usize]) {
        let earlier = kept_bytes.len();
        self.earlier = earlier;
        for (d, &kept) in kept_bytes.iter().enumerate() {
            let mut bytes = kept;
            if let Some(Some(dateline)) = self.datelines.get(d).filter(|_| self.cut_datelines) {
                if self.dedup.decisions[d][dateline.paragraph as usize].is_kept() {
                    bytes -= dateline.len as usize;
                }
            }
            self.dedup.clean_bytes -= bytes;
        }
        self.limited.retain(|l| l.doc >= earlier);
    }

    /// The summary of document `d` (needs [`Outcome::summarizing`]), whose text `text` is
    /// split into sentences and terms as `analyzed`, without its dateline; and the limit
    /// that applied, if any.
    fn summarize(
        &self,
        d: usize,
        text: &str,
        analyzed: &AnalyzedDoc,
    ) -> (Summary, Option<Limited>) {
        let Some(summarizing) = &self.summarizing else {
            return (Summary::default(), None);
        };
        let decisions = &self.dedup.decisions[d];
        let mut summary = summarize::summarize_one(
            text,
            analyzed,
            decisions,
            &summarizing.idf,
            &summarizing.config,
        );
        if let Some(Some(dateline)) = self.datelines.get(d) {
            let start = analyzed.paragraphs[dateline.paragraph as usize].span.start;
            summary.skip_dateline(&(start..start + dateline.len as usize));
        }
        let sentences: usize = (analyzed.paragraphs.iter().zip(decisions))
            .filter(|(_, decision)| **decision == Decision::Keep)
            .map(|(p, _)| p.sentences.len())
            .sum();
        let limit = (sentences > summarize::MAX_CANDIDATES).then(|| Limited {
            doc: d,
            doc_id: self.docs[d].id.clone(),
            limit: format!(
                "{sentences} sentences: summary chosen from the first {}",
                summarize::MAX_CANDIDATES
            ),
        });
        (summary, limit)
    }
}
