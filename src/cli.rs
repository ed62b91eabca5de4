//! Command-line flags (clap derive) and their translation into a library [`Config`]: the
//! `dedupsum` command, and the Python package, which passes its options as these flags.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::corpus::Format;
use crate::dedup::{Measure, Searches, ShingleKind};
use crate::eval;
use crate::index::decisions::Decisions;
use crate::messages::say;
use crate::output::{OutputConfig, OutputDir, Report, TableFormat};
use crate::summarize::{Length, Method};
use crate::{
    Config, DedupConfig, Job, JsonFields, Lang, LangChoice, OnError, Outcome, Pipeline, ReadConfig,
    RecordError,
};
use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

/// Clean scraped article corpora and summarise them in batch.
///
/// Finds repeated paragraphs (exact copies, near copies, site boilerplate, passages an
/// article restates in other words), drops them with a record of why, and writes an
/// extractive summary of every cleaned article.
#[derive(Debug, Parser)]
#[command(name = "dedupsum", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Clean and summarise: writes summaries.csv, paragraphs.csv, documents.csv,
    /// duplicates.csv, errors.csv, clean.jsonl and report.json into --out.
    Run {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        dedup: DedupArgs,
        #[command(flatten)]
        summary: SummaryArgs,
        #[command(flatten)]
        output: OutputArgs,
        #[command(flatten)]
        index: IndexArgs,
        /// Output directory (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Clean only: writes paragraphs.csv, documents.csv, duplicates.csv, errors.csv,
    /// clean.jsonl and report.json into --out.
    Dedup {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        dedup: DedupArgs,
        #[command(flatten)]
        output: OutputArgs,
        /// Write only duplicates.csv, errors.csv and report.json: no paragraphs.csv, no
        /// documents.csv and no clean.jsonl, so the inputs are read once, not twice.
        #[arg(long)]
        pairs_only: bool,
        #[command(flatten)]
        index: IndexArgs,
        /// Output directory (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Summarise the articles as they are, without cleaning: writes one CSV file.
    Summarize {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        summary: SummaryArgs,
        #[command(flatten)]
        output: OutputArgs,
        /// Output file (the columns of summaries.csv); `-` writes to standard output.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Fingerprint a part of a corpus for `decide`: writes a shard (documents.parquet,
    /// fingerprints.parquet) into --out.
    Fingerprint {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        prints: PrintArgs,
        /// Shard directory (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Decide every paragraph from fingerprint shards, as `dedup` would: writes
    /// decisions.parquet, pairs.parquet and documents.parquet into --out.
    Decide {
        /// Shard directories written by `fingerprint`, in the order of their documents in
        /// the corpus.
        #[arg(required = true, value_name = "SHARD")]
        shards: Vec<PathBuf>,
        #[command(flatten)]
        decide: DecideArgs,
        /// Worker threads (default: one per core). Output is the same for any number.
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// Print nothing on success.
        #[arg(long, short)]
        quiet: bool,
        /// Decisions directory (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Clean the inputs with the decisions of `decide`: writes what `dedup` writes (with
    /// --summarize, what `run` writes), byte for byte.
    Apply {
        #[command(flatten)]
        input: InputArgs,
        /// Directory written by `decide` from the fingerprints of these inputs.
        #[arg(long, value_name = "DIR")]
        decisions: PathBuf,
        #[command(flatten)]
        apply: ApplyArgs,
        /// Also summarise the cleaned articles, as `run` does: writes summaries.csv.
        #[arg(long)]
        summarize: bool,
        #[command(flatten)]
        summary: SummaryArgs,
        #[command(flatten)]
        output: OutputArgs,
        /// Output directory (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Score summaries against reference summaries: ROUGE-1, ROUGE-2 and ROUGE-L F1 × 100.
    Eval {
        /// JSONL (or CSV) file with the reference summaries.
        #[arg(long, value_name = "FILE")]
        refs: PathBuf,
        /// What `summarize` wrote, CSV or JSONL (by extension, else content): columns
        /// (keys) doc_id (or id) and summary.
        #[arg(value_name = "SUMMARIES")]
        summaries: PathBuf,
        /// Reference field holding the id.
        #[arg(long, default_value = "id", value_name = "NAME")]
        id_field: String,
        /// Reference field holding the summary.
        #[arg(long, default_value = "summary", value_name = "NAME")]
        ref_field: String,
        /// Tokenisation: en (Porter stemmer, as rouge-score) or id (no stemmer); english and
        /// indonesian are the same.
        #[arg(long, default_value = "en", value_name = "LANG")]
        lang: EvalLang,
        /// Largest record read (a JSONL line, a CSV row), in bytes; a longer one is an error.
        #[arg(long, default_value_t = ReadConfig::default().max_record_bytes, value_name = "BYTES")]
        max_record_bytes: usize,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Tokenisation of the ROUGE evaluation, named by the codes `--lang` takes elsewhere.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum EvalLang {
    /// Porter stemmer.
    #[value(name = "en", alias = "english")]
    English,
    /// No stemmer.
    #[value(name = "id", alias = "indonesian")]
    Indonesian,
}

#[derive(Debug, Args)]
struct InputArgs {
    /// Files or directories (recursed) of .txt/.md articles (one per file), .jsonl/.ndjson
    /// files (one article object per line) and .csv/.tsv files (one article per row),
    /// gzip- or zstd-compressed or not, and .parquet files (one article per row); `-`
    /// reads standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Format of every input: auto (by file extension; standard input by its first
    /// line, refused when that is unclear), text, jsonl, csv, tsv or parquet.
    #[arg(long, default_value = "auto", value_name = "FORMAT",
          value_parser = ["auto", "text", "jsonl", "csv", "tsv", "parquet"])]
    input_format: String,
    /// Only read files in directories that match GLOB (repeatable); `!GLOB` excludes.
    /// A glob with a `/` matches the path below the directory given, else the file name.
    #[arg(long = "glob", value_name = "GLOB")]
    globs: Vec<String>,
    /// JSONL field / CSV column with the document id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    id_field: String,
    /// JSONL field / CSV column with the article text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    text_field: String,
    /// JSONL field / CSV column with the title (optional).
    #[arg(long, default_value = "title", value_name = "NAME")]
    title_field: String,
    /// JSONL field / CSV column with the site an article comes from (optional; templates
    /// of page furniture are learned per site).
    #[arg(long, default_value = "source", value_name = "NAME")]
    site_field: String,
    /// A record that cannot be read: skip it (listed in errors.csv, exit code 3), or fail
    /// the run (exit code 1, no outputs).
    #[arg(long, default_value = "skip", value_name = "POLICY", value_parser = ["skip", "fail"])]
    on_error: String,
    /// Largest record read (a JSONL line, a CSV row, a text file), in bytes; a longer one
    /// is skipped as an error without being held in memory.
    #[arg(long, default_value_t = ReadConfig::default().max_record_bytes, value_name = "BYTES")]
    max_record_bytes: usize,
    /// Largest input file after decompression, in bytes; reading a longer one stops there
    /// with an error (a compression bomb).
    #[arg(long, default_value_t = ReadConfig::default().max_input_bytes, value_name = "BYTES")]
    max_input_bytes: u64,
    /// Language of the articles: auto (detect per article), id, en, or an ISO 639-3 code.
    #[arg(long, default_value = "auto", value_name = "LANG")]
    lang: String,
    /// Worker threads (default: one per core). Output is the same for any number.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Print nothing on success, nor the warnings about skipped records (errors.csv lists
    /// them) and size limits (report.json lists them).
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct DedupArgs {
    #[command(flatten)]
    prints: PrintArgs,
    #[command(flatten)]
    decide: DecideArgs,
    #[command(flatten)]
    apply: ApplyArgs,
}

/// What shapes the fingerprints.
#[derive(Debug, Args)]
struct PrintArgs {
    /// Shingle kind for near copies: word or char n-grams.
    #[arg(long, default_value = "word", value_name = "KIND")]
    shingle: ShingleKind,
    /// n of the shingle n-grams.
    #[arg(long, default_value_t = DedupConfig::default().shingle_size, value_name = "N")]
    shingle_size: usize,
    /// Searches not to run (comma-separated): near, boilerplate, restated. Exact copies are
    /// always found. Without restated, no language is detected for cleaning.
    #[arg(long, value_delimiter = ',', value_name = "SEARCHES")]
    skip: Vec<Search>,
}

/// The thresholds of the decisions.
#[derive(Debug, Args)]
struct DecideArgs {
    /// Similarity of shingle sets (see --measure) at or above which paragraphs are near
    /// copies.
    #[arg(long, default_value_t = DedupConfig::default().near_threshold, value_name = "J")]
    threshold: f64,
    /// Normalised Levenshtein similarity of the texts at or above which two paragraphs
    /// too short for shingles (3 words to fewer than --shingle-size, same site) are near
    /// copies.
    #[arg(long, default_value_t = DedupConfig::default().short_threshold, value_name = "L")]
    short_threshold: f64,
    /// What --threshold bounds: `jaccard`, or `containment` of the smaller shingle set in
    /// the larger, which also finds truncated and excerpted copies (kind `contained`).
    #[arg(long, default_value = "jaccard", value_name = "MEASURE")]
    measure: Measure,
    /// Restated passages: the best paragraph pair of a passage must reach this weighted
    /// Jaccard score (a lone pair needs S + 0.25, the pairs of a block 0.6 S). Lower finds
    /// more, higher fewer.
    #[arg(long, default_value_t = DedupConfig::default().restated_threshold, value_name = "S")]
    restated_threshold: f64,
    /// A short line on pages of at least this many different stories is boilerplate, and a
    /// template of a site ("Simak juga Video: …") needs this many of its pages.
    #[arg(long, default_value_t = DedupConfig::default().boilerplate_min_docs, value_name = "N")]
    boilerplate_min_docs: usize,
}

/// How the decisions shape the cleaned output.
#[derive(Debug, Args)]
struct ApplyArgs {
    /// Leave each article's dateline ("Liputan6.com, Jakarta - ", learned per site) out of
    /// its cleaned text; `paragraphs.csv` records what was cut.
    #[arg(long)]
    cut_datelines: bool,
    /// Write every verified pair to duplicates.csv, not only one pointer per dropped paragraph.
    #[arg(long)]
    all_pairs: bool,
    /// Keep documents emptied by cleaning (every paragraph dropped) in clean.jsonl, with an
    /// empty text; by default they are left out (documents.csv still lists them).
    #[arg(long)]
    keep_empty: bool,
}

/// Incremental runs: the fingerprints of earlier batches.
#[derive(Debug, Args)]
struct IndexArgs {
    /// Clean against the fingerprints of earlier batches (repeatable): a shard written by
    /// `fingerprint` or --save-fingerprints, or a directory of shards (in the order of their
    /// names). What they hold comes first: its copies here are dropped, pointing at it.
    #[arg(long, value_name = "DIR")]
    against: Vec<PathBuf>,
    /// Also write the fingerprints of these inputs as a shard into DIR (a new directory,
    /// e.g. one more in the --against directory), for the next batch to clean against.
    #[arg(long, value_name = "DIR")]
    save_fingerprints: Option<PathBuf>,
}

impl IndexArgs {
    fn apply(&self, config: &mut Config) {
        config.against = self.against.clone();
        if let Some(dir) = &self.save_fingerprints {
            config.read.outputs.extend(shard_outputs(dir));
            config.save_fingerprints = Some(dir.clone());
        }
    }
}

/// A search that `--skip` turns off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Search {
    /// Near copies across the corpus.
    Near,
    /// Site boilerplate.
    Boilerplate,
    /// Passages an article restates.
    Restated,
}

#[derive(Debug, Args)]
struct OutputArgs {
    /// Format of the tables (summaries, paragraphs, documents, duplicates, errors): csv,
    /// jsonl or parquet (which also writes the cleaned records as clean.parquet).
    #[arg(long, default_value = "csv", value_name = "FORMAT", value_parser = ["csv", "jsonl", "parquet"])]
    format: String,
    /// Neutralise CSV cells a spreadsheet would run as formulas (starting with =, +, -, @,
    /// tab or carriage return) by prefixing a '.
    #[arg(long)]
    excel_safe: bool,
}

impl OutputArgs {
    fn config(&self) -> OutputConfig {
        OutputConfig {
            all_pairs: false,
            scores: false,
            format: match self.format.as_str() {
                "jsonl" => TableFormat::Jsonl,
                "parquet" => TableFormat::Parquet,
                _ => TableFormat::Csv,
            },
            excel_safe: self.excel_safe,
            pairs_only: false,
            keep_empty: false,
        }
    }
}

#[derive(Debug, Args)]
struct SummaryArgs {
    /// Ranking: pacsum (position-aware centrality), lead (first sentences), textrank, lexrank.
    #[arg(long, default_value = "pacsum", value_name = "METHOD")]
    method: Method,
    /// Sentences per summary (default 3 unless --ratio or --words is given).
    #[arg(long, value_name = "N", conflicts_with_all = ["ratio", "words"])]
    sentences: Option<usize>,
    /// Summary length as a share of the article's sentences, in (0, 1].
    #[arg(long, value_name = "R", conflicts_with = "words")]
    ratio: Option<f64>,
    /// Summary length as a word budget: the best sentences that fit.
    #[arg(long, value_name = "W")]
    words: Option<usize>,
    /// Add a scores column: the score of each chosen sentence.
    #[arg(long)]
    scores: bool,
}

impl InputArgs {
    fn config(&self) -> Result<Config> {
        let lang = match self.lang.as_str() {
            "auto" => LangChoice::Auto,
            code => LangChoice::Fixed(
                Lang::from_code(code).with_context(|| format!("unknown language `{code}`"))?,
            ),
        };
        if self.max_record_bytes == 0 || self.max_input_bytes == 0 {
            anyhow::bail!("--max-record-bytes and --max-input-bytes must be at least 1");
        }
        let mut config = Config::new(self.inputs.clone());
        config.read = ReadConfig {
            fields: JsonFields {
                id: self.id_field.clone(),
                text: self.text_field.clone(),
                title: self.title_field.clone(),
                site: self.site_field.clone(),
            },
            globs: self.globs.clone(),
            max_record_bytes: self.max_record_bytes,
            max_input_bytes: self.max_input_bytes,
            format: match self.input_format.as_str() {
                "text" => Some(Format::Text),
                "jsonl" => Some(Format::Jsonl),
                "csv" => Some(Format::Csv(b',')),
                "tsv" => Some(Format::Csv(b'\t')),
                "parquet" => Some(Format::Parquet),
                _ => None,
            },
            outputs: Vec::new(),
            keep_records: true,
        };
        config.on_error = if self.on_error == "fail" {
            OnError::Fail
        } else {
            OnError::Skip
        };
        config.lang = lang;
        config.threads = self.threads;
        let most = crate::max_threads();
        if let Some(n) = self.threads.filter(|&n| n > most) {
            if !self.quiet {
                say(&format!(
                    "warning: --threads {n} is more than {} per core: using {most}",
                    crate::MAX_THREADS_PER_CORE
                ));
            }
            config.threads = Some(most);
        }
        if !self.quiet {
            config.progress = crate::Progress::stderr();
        }
        Ok(config)
    }
}

impl DedupArgs {
    fn apply(&self, config: &mut Config, output: &OutputArgs) -> OutputConfig {
        self.decide.apply(config);
        self.prints.apply(config);
        self.apply.apply(config, output)
    }
}

impl PrintArgs {
    fn apply(&self, config: &mut Config) {
        config.dedup.shingle = self.shingle;
        config.dedup.shingle_size = self.shingle_size;
        config.dedup.searches = Searches {
            near: !self.skip.contains(&Search::Near),
            boilerplate: !self.skip.contains(&Search::Boilerplate),
            restated: !self.skip.contains(&Search::Restated),
        };
    }
}

impl DecideArgs {
    fn apply(&self, config: &mut Config) {
        config.dedup.near_threshold = self.threshold;
        config.dedup.short_threshold = self.short_threshold;
        config.dedup.measure = self.measure;
        config.dedup.restated_threshold = self.restated_threshold;
        config.dedup.boilerplate_min_docs = self.boilerplate_min_docs;
    }
}

impl ApplyArgs {
    fn apply(&self, config: &mut Config, output: &OutputArgs) -> OutputConfig {
        config.dedup.cut_datelines = self.cut_datelines;
        OutputConfig {
            all_pairs: self.all_pairs,
            keep_empty: self.keep_empty,
            ..output.config()
        }
    }
}

impl SummaryArgs {
    /// Whether any flag differs from its default.
    fn given(&self) -> bool {
        self.method != Method::Pacsum
            || self.sentences.is_some()
            || self.ratio.is_some()
            || self.words.is_some()
            || self.scores
    }

    fn apply(&self, config: &mut Config, output: &mut OutputConfig) {
        config.summary.method = self.method;
        config.summary.length = match (self.sentences, self.ratio, self.words) {
            (_, Some(r), _) => Length::Ratio(r),
            (_, _, Some(w)) => Length::Words(w),
            (n, _, _) => Length::Sentences(n.unwrap_or(3)),
        };
        output.scores = self.scores;
    }
}

impl Cli {
    /// Whether the command is `summarize`, which the binary tunes its allocator for.
    pub fn summarizes_only(&self) -> bool {
        matches!(self.command, Command::Summarize { .. })
    }
}

/// What a successful run left: the count for the exit code, and the results.
pub struct Status {
    /// Input records skipped.
    pub skipped: usize,
    /// The results in memory (none for `eval`); see [`Status::forget_quickly`].
    pub outcome: Option<Outcome>,
}

impl Status {
    /// Ends a run whose process ends next: freeing every text and analysis one by one
    /// would take a few percent of a run, on one thread, for memory the system takes back
    /// at once. The rest is dropped as usual (a spooled standard input is removed then).
    /// A process that goes on (the Python package) drops the status instead.
    pub fn forget_quickly(self) {
        if let Some(outcome) = self.outcome {
            std::mem::forget((
                outcome.docs,
                outcome.analyzed,
                outcome.dedup,
                outcome.summaries,
            ));
        }
    }
}

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> Result<Status> {
    let (outcome, quiet) = match cli.command {
        Command::Run {
            input,
            dedup,
            summary,
            output,
            index,
            out,
        } => {
            let mut config = input.config()?;
            config.read.outputs = dir_outputs(&out);
            index.apply(&mut config);
            let mut output = dedup.apply(&mut config, &output);
            summary.apply(&mut config, &mut output);
            let (outcome, report) = write_dir(config, Job::Run, &out, &output)?;
            say_done(input.quiet, &report, &out);
            (outcome, input.quiet)
        }
        Command::Dedup {
            input,
            dedup,
            output,
            pairs_only,
            index,
            out,
        } => {
            let mut config = input.config()?;
            config.read.outputs = dir_outputs(&out);
            index.apply(&mut config);
            let output = OutputConfig {
                pairs_only,
                ..dedup.apply(&mut config, &output)
            };
            let (outcome, report) = write_dir(config, Job::Dedup, &out, &output)?;
            say_done(input.quiet, &report, &out);
            (outcome, input.quiet)
        }
        Command::Summarize {
            input,
            summary,
            output,
            out,
        } => {
            let mut config = input.config()?;
            config.read.outputs = vec![out.clone()];
            let mut output = output.config();
            summary.apply(&mut config, &mut output);
            let outcome = Pipeline::new(config)?.run(Job::Summarize)?;
            outcome.write_summaries_file(&out, &output)?;
            if !input.quiet {
                say(&format!(
                    "summarised {} documents into {}",
                    outcome.docs.len(),
                    out.display()
                ));
            }
            (outcome, input.quiet)
        }
        Command::Fingerprint { input, prints, out } => {
            let mut config = input.config()?;
            config.read.outputs = shard_outputs(&out);
            prints.apply(&mut config);
            let dir = OutputDir::create(&out)?;
            let (shard, skipped) = Pipeline::new(config)?.fingerprint()?;
            shard.write(&dir)?;
            if !input.quiet {
                warn_records(&skipped, "`apply` lists them all in errors.csv");
                let paragraphs: usize = shard.prints.iter().map(|p| p.paragraphs.len()).sum();
                say(&format!(
                    "fingerprinted {} documents, {paragraphs} paragraphs into {}",
                    shard.docs.len(),
                    out.display()
                ));
            }
            return Ok(Status {
                skipped: skipped.len(),
                outcome: None,
            });
        }
        Command::Decide {
            shards,
            decide,
            threads,
            quiet,
            out,
        } => {
            refuse_overlap(&out, &shards, "a shard")?;
            let mut config = Config::new(Vec::new());
            decide.apply(&mut config);
            let dir = OutputDir::create(&out)?;
            let mut pool = rayon::ThreadPoolBuilder::new();
            if let Some(n) = threads {
                pool = pool.num_threads(n.clamp(1, crate::max_threads()));
            }
            let decisions = pool
                .build()?
                .install(|| Decisions::decide(&shards, &config.dedup))?;
            decisions.write(&dir)?;
            if !quiet {
                let dropped = decisions
                    .dedup
                    .decisions
                    .iter()
                    .flatten()
                    .filter(|d| !d.is_kept())
                    .count();
                say(&format!(
                    "decided {} documents from {} shards: dropped {dropped} paragraphs; wrote {}",
                    decisions.docs.len(),
                    shards.len(),
                    out.display()
                ));
            }
            return Ok(Status {
                skipped: 0,
                outcome: None,
            });
        }
        Command::Apply {
            input,
            decisions,
            apply,
            summarize,
            summary,
            output,
            out,
        } => {
            refuse_overlap(&out, std::slice::from_ref(&decisions), "the decisions")?;
            if !summarize && summary.given() {
                anyhow::bail!(
                    "--method, --sentences, --ratio, --words and --scores shape summaries: add --summarize"
                );
            }
            let job = if summarize { Job::Run } else { Job::Dedup };
            let mut config = input.config()?;
            config.read.outputs = dir_outputs(&out);
            config.read.outputs.push(decisions.clone());
            let mut output = apply.apply(&mut config, &output);
            summary.apply(&mut config, &mut output);
            let read = Decisions::read(&decisions)?;
            if output.all_pairs && !read.pairs_made {
                anyhow::bail!(
                    "{}: these decisions were made without their pairs (by a distributed job); --all-pairs needs those of `dedupsum decide`",
                    decisions.display()
                );
            }
            read.settings.apply_to(&mut config.dedup);
            let dir = OutputDir::create(&out)?;
            let outcome = Pipeline::new(config)?.apply(job, read, &decisions)?;
            let report = outcome.write_into(&dir, job, &output)?;
            say_done(input.quiet, &report, &out);
            (outcome, input.quiet)
        }
        Command::Eval {
            refs,
            summaries,
            id_field,
            ref_field,
            lang,
            max_record_bytes,
            json,
        } => {
            if max_record_bytes == 0 {
                anyhow::bail!("--max-record-bytes must be at least 1");
            }
            let references = eval::read_references(&refs, &id_field, &ref_field, max_record_bytes)?;
            let summaries = eval::read_summaries(&summaries, max_record_bytes)?;
            let result =
                eval::evaluate(&references, &summaries, matches!(lang, EvalLang::English))?;
            let text = if json {
                format!("{}\n", serde_json::to_string(&result)?)
            } else {
                format!(
                    "metric    F1\nrouge1    {:.2}\nrouge2    {:.2}\nrougeL    {:.2}\n\
                     articles {} scored, {} without a summary, {} summaries not in the references; mean summary length {:.1} words\n",
                    result.rouge1,
                    result.rouge2,
                    result.rouge_l,
                    result.articles,
                    result.missing,
                    result.extra,
                    result.mean_words
                )
            };
            // Not `println!`, which panics when stdout is closed (`| head -1`): the error
            // goes back to `main`, which ends quietly on a broken pipe.
            io::stdout()
                .lock()
                .write_all(text.as_bytes())
                .context("writing to standard output")?;
            return Ok(Status {
                skipped: 0,
                outcome: None,
            });
        }
    };
    if !quiet {
        warn_skipped(&outcome);
    }
    Ok(Status {
        skipped: outcome.skipped.len(),
        outcome: Some(outcome),
    })
}

/// The shard directory `out` and the files `fingerprint` writes in it: none of them is
/// read as an input.
fn shard_outputs(out: &Path) -> Vec<PathBuf> {
    [
        crate::index::shard::DOCUMENTS,
        crate::index::shard::FINGERPRINTS,
    ]
    .iter()
    .map(|name| out.join(name))
    .chain([out.to_path_buf()])
    .collect()
}

/// Refuses an output directory `out` that is one of `dirs` (`what`), whose files it would
/// replace.
fn refuse_overlap(out: &Path, dirs: &[PathBuf], what: &str) -> Result<()> {
    let Ok(out_dir) = out.canonicalize() else {
        // Not there yet: none of the inputs.
        return Ok(());
    };
    if dirs
        .iter()
        .any(|d| d.canonicalize().is_ok_and(|d| d == out_dir))
    {
        anyhow::bail!(
            "{}: is {what} this command reads; choose another --out",
            out.display()
        );
    }
    Ok(())
}

/// The output directory `out` and every file a run or an earlier run may write in it:
/// none of them is read as an input.
fn dir_outputs(out: &Path) -> Vec<PathBuf> {
    std::iter::once(out.to_path_buf())
        .chain(
            crate::output::OUTPUT_NAMES
                .iter()
                .map(|name| out.join(name)),
        )
        .collect()
}

fn write_dir(
    config: Config,
    job: Job,
    out: &Path,
    output: &OutputConfig,
) -> Result<(Outcome, Report)> {
    // Created and locked before the inputs are read: a second run into the same directory
    // fails at once, not after doing its work.
    let dir = OutputDir::create(out)?;
    let outcome = Pipeline::new(config)?.run(job)?;
    let report = outcome.write_into(&dir, job, output)?;
    Ok((outcome, report))
}

/// The first few documents a size limit applied to (all of them are in report.json) and
/// skipped records (all of them are in errors.csv) on stderr.
fn warn_skipped(outcome: &Outcome) {
    const SHOWN: usize = 5;
    for limited in outcome.limited.iter().take(SHOWN) {
        say(&format!("warning: {}: {}", limited.doc_id, limited.limit));
    }
    if outcome.limited.len() > SHOWN {
        say(&format!(
            "warning: a size limit applied to {} more documents (all are listed in report.json)",
            outcome.limited.len() - SHOWN
        ));
    }
    warn_records(&outcome.skipped, "all are listed in errors.csv");
}

/// The first few records that could not be read, on stderr, and where the rest are
/// (`listed`).
fn warn_records(skipped: &[RecordError], listed: &str) {
    const SHOWN: usize = 5;
    for err in skipped.iter().take(SHOWN) {
        say(&format!("skipped {err}"));
    }
    if skipped.len() > SHOWN {
        say(&format!(
            "skipped {} more records ({listed})",
            skipped.len() - SHOWN
        ));
    }
}

/// One line on stderr saying what the run did.
fn say_done(quiet: bool, report: &Report, out: &Path) {
    if quiet {
        return;
    }
    let reasons: Vec<String> = report
        .dropped_by_reason
        .iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect();
    let skipped = if report.skipped_records > 0 {
        format!("; skipped {} unreadable records", report.skipped_records)
    } else {
        String::new()
    };
    say(&format!(
        "{} documents, {} paragraphs, dropped {}{}{skipped}; wrote {}",
        report.documents,
        report.paragraphs,
        report.dropped,
        if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join(", "))
        },
        out.display()
    ));
}
