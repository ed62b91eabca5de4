//! Writing the results: `summaries.csv`, `paragraphs.csv`, `documents.csv`,
//! `duplicates.csv`, `errors.csv` (or the same tables as `.jsonl` with
//! [`TableFormat::Jsonl`], as `.parquet` with [`TableFormat::Parquet`]), `clean.jsonl`
//! (`clean.parquet` with Parquet tables) and `report.json`. Every file is staged and renamed into place only when all of them were
//! written, so a failed or interrupted run leaves no half output; outputs of an earlier
//! run that this one does not write are removed in the same commit.

pub mod atomic;
mod dir;
pub(crate) mod parquet;

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::dedup::{Decision, Pair};
use crate::error::{Error, Result};
use crate::progress::Work;
use crate::text::{self, AnalyzedDoc, LangChoice, Paragraph};
use crate::{Document, Job, Limited, Outcome, Progress, Summary, Texts, Timings};
use atomic::{flush, io_at, Staged};
pub use dir::OutputDir;

/// Settings of the outputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputConfig {
    /// Write every verified pair to `duplicates.csv`, not only each dropped paragraph's
    /// pointer to the kept original.
    pub all_pairs: bool,
    /// Add a `scores` column to the summaries: each chosen sentence's score.
    pub scores: bool,
    /// Format of the tables (summaries, paragraphs, duplicates, errors).
    pub format: TableFormat,
    /// In CSV, prefix `'` to any cell a spreadsheet would run as a formula.
    pub excel_safe: bool,
    /// Cleaning writes only the pairs (`duplicates`), `errors` and `report.json`: no
    /// `paragraphs`, no `documents` and no `clean.jsonl`, so streaming input is not read a
    /// second time.
    pub pairs_only: bool,
    /// Write documents emptied by cleaning (every paragraph dropped) to `clean.jsonl` too,
    /// with an empty text; by default they are left out.
    pub keep_empty: bool,
}

/// Format of the output tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TableFormat {
    /// Comma-separated values with a header row.
    #[default]
    Csv,
    /// One JSON object per row, with the column names as keys.
    Jsonl,
    /// Apache Parquet, with the columns of the JSONL tables; the cleaned records go to
    /// `clean.parquet` instead of `clean.jsonl`.
    Parquet,
}

impl TableFormat {
    /// File extension of the tables.
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Csv => "csv",
            TableFormat::Jsonl => "jsonl",
            TableFormat::Parquet => "parquet",
        }
    }

    /// The name of the file of cleaned records.
    pub fn clean_name(self) -> &'static str {
        match self {
            TableFormat::Parquet => "clean.parquet",
            TableFormat::Csv | TableFormat::Jsonl => "clean.jsonl",
        }
    }
}

/// A row of `errors.csv`: one input record that could not be read and was skipped.
#[derive(Debug, Serialize)]
pub struct ErrorRow<'a> {
    /// The input file (`<stdin>` for standard input).
    pub source: String,
    /// 1-based line of the record, when the format has lines.
    pub line: Option<usize>,
    /// The record's id, when it could be read.
    pub record_id: &'a str,
    /// What is wrong with it.
    pub error: &'a str,
}

/// A row of `summaries.csv`.
#[derive(Debug, Serialize)]
pub struct SummaryRow<'a> {
    /// Document id.
    pub doc_id: &'a str,
    /// Title from the input, else the detected title paragraph, else empty.
    pub title: &'a str,
    /// The chosen sentences, in article order, joined by spaces.
    pub summary: String,
    /// 1-based sentence numbers within the cleaned article, `;`-separated.
    pub sentence_ids: String,
    /// Number of sentences chosen.
    pub n_sentences: usize,
    /// Language used for the article.
    pub lang: &'a str,
    /// Scores of the chosen sentences, `;`-separated (only with [`OutputConfig::scores`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scores: Option<String>,
    /// `ok`, or why the summary is empty (see [`Outcome::summary_status`]).
    pub status: &'static str,
}

/// A row of `paragraphs.csv`: the decision on one input paragraph.
#[derive(Debug, Serialize)]
pub struct ParagraphRow<'a> {
    /// Document id.
    pub doc_id: &'a str,
    /// 1-based paragraph number in the input article.
    pub paragraph: u32,
    /// `keep` or `drop`.
    pub action: &'static str,
    /// Empty, `title`, `exact`, `near`, `restated` or `boilerplate`.
    pub reason: &'static str,
    /// Document of the kept paragraph this one repeats.
    pub duplicate_of_doc: &'a str,
    /// 1-based number of the kept paragraph this one repeats.
    pub duplicate_of_paragraph: Option<u32>,
    /// Similarity of the deciding pair, 4 decimals.
    pub score: String,
    /// Length of the paragraph in characters.
    pub chars: usize,
    /// The paragraph as it stands in the input.
    pub text: &'a str,
    /// What `--cut-datelines` cut from the start of this kept paragraph in `clean.jsonl`
    /// (its dateline), else empty.
    pub cut: &'a str,
}

/// A row of `duplicates.csv`: paragraph b repeats the earlier paragraph a.
#[derive(Debug, Serialize)]
pub struct DuplicateRow<'a> {
    /// Document of the earlier (kept) paragraph.
    pub doc_a: &'a str,
    /// 1-based paragraph number of the earlier paragraph.
    pub para_a: u32,
    /// Document of the later paragraph.
    pub doc_b: &'a str,
    /// 1-based paragraph number of the later paragraph.
    pub para_b: u32,
    /// `exact`, `near`, `contained`, `restated` or `boilerplate`.
    pub kind: &'static str,
    /// Similarity, 4 decimals.
    pub score: String,
    /// For `restated` pairs, what they rest on: `pair`, `passage` or `recap`
    /// (whose score is the coverage); empty for the other kinds.
    pub evidence: &'static str,
}

/// A row of `documents.csv`: what became of one input record.
#[derive(Debug, Serialize)]
pub struct DocumentRow<'a> {
    /// Document id (a skipped record's id when it could be read, else empty).
    pub doc_id: &'a str,
    /// The input file (`<stdin>` for standard input).
    pub source: String,
    /// 1-based line of the record, when the format has lines.
    pub line: Option<usize>,
    /// Non-empty paragraphs read.
    pub paragraphs_in: usize,
    /// Paragraphs kept (its title included).
    pub paragraphs_kept: usize,
    /// Bytes of article text read.
    pub bytes_in: usize,
    /// Bytes of cleaned text written to `clean.jsonl`.
    pub bytes_out: usize,
    /// `kept`, `emptied` (every paragraph dropped), `empty` (no paragraphs in the input)
    /// or `skipped` (unreadable, listed in `errors.csv`).
    pub outcome: &'static str,
    /// For an emptied document whose every paragraph was dropped as a copy of paragraphs
    /// of one other document: that document's id; else empty.
    pub copy_of: &'a str,
}

/// A line of `clean.jsonl` for a plain-text input (a JSONL or CSV record is written with
/// all its fields instead, see [`crate::RawRecord::write_json`]).
#[derive(Debug, Serialize)]
pub struct CleanDoc<'a> {
    /// Document id.
    pub id: &'a str,
    /// Title (as in `summaries.csv`).
    pub title: &'a str,
    /// Kept paragraphs joined by blank lines.
    pub text: String,
}

/// `report.json`: what the run did.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Articles read.
    pub documents: usize,
    /// Non-empty paragraphs read.
    pub paragraphs: usize,
    /// Paragraphs kept (titles included).
    pub kept: usize,
    /// Paragraphs dropped.
    pub dropped: usize,
    /// Titles found.
    pub titles: usize,
    /// Dropped paragraphs per reason.
    pub dropped_by_reason: BTreeMap<&'static str, usize>,
    /// Verified pairs found, of every kind: the rows of `duplicates.csv` with `--all-pairs`
    /// (`null` when the decisions applied were made without them, as a distributed job's).
    pub pairs: Option<usize>,
    /// Bytes of article text read.
    pub bytes_in: usize,
    /// Bytes of article text written to `clean.jsonl`.
    pub bytes_out: usize,
    /// Input records skipped because they could not be read (listed in `errors.csv`).
    pub skipped_records: usize,
    /// Documents whose id repeated an earlier one's, renamed `id#2`, `id#3`, ….
    pub renamed_ids: usize,
    /// Documents so large that a size limit changed how they were processed.
    pub limited: Vec<crate::Limited>,
    /// Worker threads.
    pub threads: usize,
    /// Seconds per stage.
    pub seconds: Seconds,
    /// Peak memory of the process so far, in bytes (`null` where the system does not
    /// tell: it is read from `/proc/self/status`).
    pub peak_memory_bytes: Option<u64>,
    /// Peak memory over the number of paragraphs: what a paragraph costs.
    pub peak_bytes_per_paragraph: Option<u64>,
}

/// Peak resident memory of this process (`VmHWM`), on Linux.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Seconds per stage, writing included.
#[derive(Debug, Serialize)]
pub struct Seconds {
    /// Reading, analysis, dedup and summaries.
    #[serde(flatten)]
    pub stages: Timings,
    /// Writing the outputs.
    pub write: f64,
}

impl Outcome {
    /// The title of document `d`: from the input, else its detected title paragraph.
    /// Needs the texts in memory (see [`Texts`]).
    pub fn title(&self, d: usize) -> &str {
        self.title_in(d, &self.docs[d].text, &self.analyzed[d].paragraphs)
    }

    /// The cleaned text of document `d`: its kept paragraphs joined by blank lines (less
    /// its dateline with `--cut-datelines`). Needs the texts in memory (see [`Texts`]).
    pub fn clean_text(&self, d: usize) -> String {
        self.clean_text_in(d, &self.docs[d].text, &self.analyzed[d].paragraphs)
    }

    /// How many bytes the cleaned text leaves out at the start of paragraph `p` of
    /// document `d`: its dateline with `--cut-datelines`, else none.
    fn cut_len(&self, d: usize, p: usize) -> usize {
        match self.datelines.get(d) {
            Some(Some(dateline)) if self.cut_datelines && dateline.paragraph as usize == p => {
                dateline.len as usize
            }
            _ => 0,
        }
    }

    /// [`Outcome::title`], given document `d`'s text and paragraphs.
    fn title_in<'t>(&'t self, d: usize, text: &'t str, paragraphs: &[Paragraph]) -> &'t str {
        if let Some(title) = &self.docs[d].title {
            return title;
        }
        match paragraphs.first() {
            Some(p) if p.is_title => &text[p.span.clone()],
            _ => "",
        }
    }

    /// [`Outcome::clean_text`], given document `d`'s text and paragraphs.
    fn clean_text_in(&self, d: usize, text: &str, paragraphs: &[Paragraph]) -> String {
        let kept: Vec<&str> = paragraphs
            .iter()
            .zip(&self.dedup.decisions[d])
            .enumerate()
            .filter(|(_, (_, decision))| decision.is_kept())
            .map(|(k, (p, _))| &text[p.span.start + self.cut_len(d, k)..p.span.end])
            .collect();
        kept.join("\n\n")
    }

    /// Whether document `d` is one of this batch, whose rows are written: not one of the
    /// earlier batches a run is cleaned against (see [`Outcome::earlier`]).
    fn is_written(&self, d: u32) -> bool {
        d as usize >= self.earlier
    }

    /// Whether document `d` was emptied by cleaning: it had paragraphs and every one was
    /// dropped.
    pub fn emptied(&self, d: usize) -> bool {
        let decisions = &self.dedup.decisions[d];
        !decisions.is_empty() && !decisions.iter().any(|decision| decision.is_kept())
    }

    /// Calls `f` with batches of documents, in order: from memory, or read again from the
    /// inputs (checked to be the same documents, and split into paragraphs again, and
    /// into sentences and terms when `sentences`), about 8 MB at a time. `stage` names
    /// the work in progress: it is shown as `rereading, {stage}` when reading again.
    fn for_each_batch(
        &self,
        progress: &Progress,
        stage: Stage,
        sentences: bool,
        mut f: impl FnMut(&[BatchDoc<'_>]) -> Result<()>,
    ) -> Result<()> {
        const BATCH_BYTES: usize = 8 << 20;
        let Texts::Reread { corpus, hashes, .. } = &self.texts else {
            progress.stage(stage.in_memory, Work::Docs(self.docs.len() as u64));
            let texts: Vec<BatchDoc<'_>> = self
                .docs
                .iter()
                .zip(&self.analyzed)
                .enumerate()
                .skip(self.earlier)
                .map(|(d, (doc, analyzed))| BatchDoc {
                    d,
                    text: doc.text.as_str(),
                    analyzed,
                    raw: doc.raw.as_deref(),
                })
                .collect();
            for batch in texts.chunks(1024) {
                f(batch)?;
                progress.done(batch.len());
            }
            return Ok(());
        };
        // The second pass: the corpus tells the bytes and documents read again.
        progress.stage(stage.reread, Work::Bytes(corpus.size()));
        let changed = |path: &Path| Error::Output {
            path: path.to_path_buf(),
            message: "the inputs changed while the run was reading them".into(),
        };
        let mut batch: Vec<(usize, Document)> = Vec::new();
        let mut batch_bytes = 0;
        let mut flush_batch = |batch: &mut Vec<(usize, Document)>| {
            // The same text splits into the same paragraphs as in the first pass.
            let analyzed: Vec<AnalyzedDoc> = batch
                .par_iter()
                .map(|(d, doc)| {
                    let lang = LangChoice::Fixed(self.analyzed[*d].lang);
                    if sentences {
                        // Summaries read only the kept paragraphs.
                        let decisions = &self.dedup.decisions[*d];
                        text::analyze_paragraphs(doc, lang, |p| {
                            decisions.get(p).is_some_and(Decision::is_kept)
                        })
                    } else {
                        text::segment(doc, lang)
                    }
                })
                .collect();
            let texts: Vec<BatchDoc<'_>> = batch
                .iter()
                .zip(&analyzed)
                .map(|((d, doc), analyzed)| BatchDoc {
                    d: *d,
                    text: doc.text.as_str(),
                    analyzed,
                    raw: doc.raw.as_deref(),
                })
                .collect();
            let result = f(&texts);
            batch.clear();
            result
        };
        // The documents of earlier batches (`--against`) are not read again.
        let mut d = self.earlier;
        for doc in corpus.records_parallel().filter_map(|r| r.ok()) {
            let expected = self.docs.get(d).ok_or_else(|| changed(&doc.source.path))?;
            // The same record with the same text: its paragraphs and their decisions still
            // fit it.
            if doc.source != expected.source
                || hashes.get(d) != Some(&crate::text::normalize::stable_hash(&doc.text))
            {
                return Err(changed(&doc.source.path));
            }
            batch_bytes += doc.text.len();
            batch.push((d, doc));
            if batch_bytes >= BATCH_BYTES {
                flush_batch(&mut batch)?;
                batch_bytes = 0;
            }
            d += 1;
        }
        flush_batch(&mut batch)?;
        match self.docs.get(d) {
            Some(missing) => Err(changed(&missing.source.path)),
            None => Ok(()),
        }
    }

    /// Writes the outputs of `job` into `dir` (created if needed, and locked while written)
    /// and returns the report.
    pub fn write_dir(&self, dir: &Path, job: Job, config: &OutputConfig) -> Result<Report> {
        self.write_into(&OutputDir::create(dir)?, job, config)
    }

    /// Writes the outputs of `job` into `dir` and returns the report. The known outputs
    /// (see [`OUTPUT_NAMES`]) that `job` does not write are removed with the commit, so the
    /// directory holds this run's outputs only; other files there are left alone.
    pub fn write_into(&self, dir: &OutputDir, job: Job, config: &OutputConfig) -> Result<Report> {
        let clock = Instant::now();
        let dir = dir.path();
        let mut staged = Staged::default();
        let ext = config.format.extension();
        let rest = || {
            self.progress
                .stage("writing", Work::Whole(self.docs.len() as u64))
        };
        // One pass over the texts writes the summaries, the paragraphs and the cleaned
        // records, each when the job asks for it.
        let summaries = dir.join(format!("summaries.{ext}"));
        let paragraphs = dir.join(format!("paragraphs.{ext}"));
        let clean = dir.join(config.format.clean_name());
        let summarizes = job != Job::Dedup;
        let cleans = job != Job::Summarize && !config.pairs_only;
        let mut targets: Vec<&Path> = Vec::new();
        if summarizes {
            targets.push(&summaries);
        }
        if cleans {
            targets.extend([paragraphs.as_path(), clean.as_path()]);
        }
        let mut written = Written::default();
        if !targets.is_empty() {
            staged.write_all(&targets, |files| {
                let (s, rest) = match files {
                    [s, rest @ ..] if summarizes => (Some((s, summaries.as_path())), rest),
                    rest => (None, rest),
                };
                let (p, c) = match rest {
                    [p, c] => (Some((p, paragraphs.as_path())), Some((c, clean.as_path()))),
                    _ => (None, None),
                };
                written = self.write_pass(s, p, c, config, &self.progress)?;
                Ok(())
            })?;
        }
        if cleans {
            let path = dir.join(format!("documents.{ext}"));
            rest();
            staged.write(&path, |w| {
                self.write_documents(w, &path, config, &written.sizes)
            })?;
        }
        if job == Job::Summarize || config.pairs_only {
            rest();
        }
        if job != Job::Summarize {
            let path = dir.join(format!("duplicates.{ext}"));
            staged.write(&path, |w| self.write_duplicates(w, &path, config))?;
        }
        let path = dir.join(format!("errors.{ext}"));
        staged.write(&path, |w| self.write_errors(w, &path, config))?;
        let mut report = self.report();
        report.limited.extend(written.limited);
        report.limited.sort_by_key(|l| l.doc);
        let path = dir.join("report.json");
        report.seconds.write = clock.elapsed().as_secs_f64();
        report.peak_memory_bytes = peak_memory_bytes();
        report.peak_bytes_per_paragraph = report
            .peak_memory_bytes
            .map(|peak| peak / report.paragraphs.max(1) as u64);
        staged.write(&path, |w| {
            serde_json::to_writer_pretty(&mut *w, &report).map_err(|e| Error::Output {
                path: path.clone(),
                message: e.to_string(),
            })?;
            w.write_all(b"\n").map_err(io_at(&path))
        })?;
        for name in OUTPUT_NAMES {
            let path = dir.join(name);
            if !staged.writes(&path) {
                staged.remove_with_commit(path);
            }
        }
        staged.commit()?;
        self.progress.finish();
        Ok(report)
    }

    /// Writes only `summaries.csv`-shaped output to `file`, or to standard output for `-`.
    pub fn write_summaries_file(&self, file: &Path, config: &OutputConfig) -> Result<()> {
        // Only summaries: no paragraphs or cleaned records, of whatever writer type.
        let none = || None::<(&mut std::io::Sink, &Path)>;
        if file.as_os_str() == "-" {
            let stdout = std::io::stdout();
            // Rows on a terminal would be drawn over by the bar on the same screen.
            let progress = if stdout.is_terminal() {
                self.progress.finish();
                Progress::default()
            } else {
                self.progress.clone()
            };
            // Not locked: the Parquet writer needs a writer it can send between threads.
            let mut w = std::io::BufWriter::new(stdout);
            self.write_pass(Some((&mut w, file)), none(), none(), config, &progress)?;
            flush(&mut w, file)?;
        } else {
            let mut staged = Staged::default();
            staged.write(file, |w| {
                self.write_pass(Some((w, file)), none(), none(), config, &self.progress)
                    .map(drop)
            })?;
            staged.commit()?;
        }
        self.progress.finish();
        Ok(())
    }

    /// The row of `summary`, document `doc`'s.
    fn summary_row<'t>(
        &'t self,
        doc: &BatchDoc<'t>,
        summary: &Summary,
        config: &OutputConfig,
    ) -> SummaryRow<'t> {
        let d = doc.d;
        let mut ids = String::new();
        for (k, id) in summary.sentence_ids.iter().enumerate() {
            use std::fmt::Write as _;
            let sep = if k > 0 { ";" } else { "" };
            let _ = write!(ids, "{sep}{id}"); // Writing to a String cannot fail.
        }
        SummaryRow {
            doc_id: &self.docs[d].id,
            title: self.title_in(d, doc.text, &doc.analyzed.paragraphs),
            summary: summary.text(doc.text),
            sentence_ids: ids,
            n_sentences: summary.sentence_ids.len(),
            lang: self.analyzed[d].lang.code(),
            scores: config.scores.then(|| {
                let scores: Vec<String> =
                    summary.scores.iter().map(|s| format!("{s:.4}")).collect();
                scores.join(";")
            }),
            status: self.summary_status(d, summary),
        }
    }

    /// Why the summary of document `d` is empty, or `ok`: `empty` when the input had no
    /// paragraphs, `emptied` when cleaning dropped every one, `no sentences` when none was
    /// left to choose once titles and furniture were set aside.
    pub fn summary_status(&self, d: usize, summary: &Summary) -> &'static str {
        if !summary.sentence_ids.is_empty() {
            "ok"
        } else if self.dedup.decisions[d].is_empty() {
            "empty"
        } else if self.emptied(d) {
            "emptied"
        } else {
            "no sentences"
        }
    }

    fn write_errors(
        &self,
        w: &mut (impl Write + Send),
        path: &Path,
        config: &OutputConfig,
    ) -> Result<()> {
        let rows = self.skipped.iter().map(|e| ErrorRow {
            source: e.path.display().to_string(),
            line: e.line,
            record_id: e.record_id.as_deref().unwrap_or(""),
            error: &e.message,
        });
        write_table(w, path, config, ERROR_COLUMNS, rows)
    }

    /// Writes `documents`: one row per input record, documents and skipped records in
    /// input order. `sizes` holds each document's bytes of text in and out.
    fn write_documents(
        &self,
        w: &mut (impl Write + Send),
        path: &Path,
        config: &OutputConfig,
        sizes: &[(usize, usize)],
    ) -> Result<()> {
        let mut table = Table::new(w, path, config, DOCUMENT_COLUMNS)?;
        let mut skipped = self.skipped.iter().zip(
            self.skipped_before
                .iter()
                .copied()
                .chain(std::iter::repeat(usize::MAX)),
        );
        let mut next_skipped = skipped.next();
        for d in self.earlier..=self.docs.len() {
            while let Some((e, _)) = next_skipped.filter(|(_, before)| *before <= d) {
                table.row(&DocumentRow {
                    doc_id: e.record_id.as_deref().unwrap_or(""),
                    source: e.path.display().to_string(),
                    line: e.line,
                    paragraphs_in: 0,
                    paragraphs_kept: 0,
                    bytes_in: 0,
                    bytes_out: 0,
                    outcome: "skipped",
                    copy_of: "",
                })?;
                next_skipped = skipped.next();
            }
            if d < self.docs.len() {
                table.row(&self.document_row(d, sizes.get(d).copied().unwrap_or_default()))?;
            }
        }
        table.finish()
    }

    /// The row of `documents.csv` for document `d`, with `(bytes in, bytes out)`.
    fn document_row(&self, d: usize, (bytes_in, bytes_out): (usize, usize)) -> DocumentRow<'_> {
        let doc = &self.docs[d];
        let decisions = &self.dedup.decisions[d];
        let kept = decisions.iter().filter(|x| x.is_kept()).count();
        let (outcome, copy_of) = if decisions.is_empty() {
            ("empty", "")
        } else if kept > 0 {
            ("kept", "")
        } else {
            (
                "emptied",
                self.copy_of(d).map_or("", |c| self.docs[c].id.as_str()),
            )
        };
        DocumentRow {
            doc_id: &doc.id,
            source: doc.source.path.display().to_string(),
            line: doc.source.line,
            paragraphs_in: decisions.len(),
            paragraphs_kept: kept,
            bytes_in,
            bytes_out,
            outcome,
            copy_of,
        }
    }

    /// The one other document every dropped paragraph of document `d` repeats, if there
    /// is one (a paragraph dropped as boilerplate repeats none).
    fn copy_of(&self, d: usize) -> Option<usize> {
        let mut of = None;
        for decision in &self.dedup.decisions[d] {
            if let Decision::Drop { duplicate_of, .. } = decision {
                let other = (*duplicate_of)?.doc as usize;
                if other == d || of.is_some_and(|o| o != other) {
                    return None;
                }
                of = Some(other);
            }
        }
        of
    }

    /// Writes the summaries, `paragraphs` and `clean.jsonl` (each when given a writer and
    /// its path) in one pass over the texts. The summaries are those in memory, or made
    /// now from the texts read again.
    fn write_pass<W: Write + Send, S: Write + Send>(
        &self,
        summaries: Option<(&mut S, &Path)>,
        paragraphs: Option<(&mut W, &Path)>,
        clean: Option<(&mut W, &Path)>,
        config: &OutputConfig,
        progress: &Progress,
    ) -> Result<Written> {
        let summary_columns = if config.scores {
            SUMMARY_COLUMNS_WITH_SCORES
        } else {
            SUMMARY_COLUMNS
        };
        // The headers; the rows are formatted apart and added in order.
        let mut summary_table = match summaries {
            Some((w, path)) => Some(Table::appending(w, path, config, summary_columns)?),
            None => None,
        };
        let summaries_path = summary_table.as_ref().map(|t| t.path);
        let mut paragraph_table = match paragraphs {
            Some((w, path)) => Some(Table::appending(w, path, config, PARAGRAPH_COLUMNS)?),
            None => None,
        };
        let paragraphs_path = paragraph_table.as_ref().map(|t| t.path);
        let parquet = config.format == TableFormat::Parquet;
        let layout = parquet.then(|| self.clean_layout());
        let generic = matches!(layout, Some(parquet::CleanLayout::Generic));
        let clean_path = clean.as_ref().map(|(_, path)| *path);
        let mut clean: Option<CleanOut<'_, _>> = match (clean, layout) {
            (Some((w, path)), Some(layout)) => Some(CleanOut::Parquet(Box::new(
                parquet::Clean::new(w, path, layout)?,
            ))),
            (Some((w, _)), None) => Some(CleanOut::Jsonl(w)),
            (None, _) => None,
        };
        // Summaries not made yet are made from the sentences of the texts read again.
        let summarizing = summaries_path.is_some() && self.summaries.is_empty();
        let stage = match (summaries_path.is_some(), paragraphs_path.is_some()) {
            (true, true) => Stage::SUMMARIES_AND_PARAGRAPHS,
            (true, false) => Stage::SUMMARIES,
            (false, _) => Stage::PARAGRAPHS,
        };
        let mut written = Written {
            sizes: vec![(0, 0); self.docs.len()],
            limited: Vec::new(),
        };
        self.for_each_batch(progress, stage, summarizing, |batch| {
            // Each document's rows and line are formatted in parallel, then written in order.
            let formatted: Vec<Formatted> = batch
                .par_iter()
                .map(|doc| {
                    let mut out = Formatted::default();
                    if let Some(path) = summaries_path {
                        let made;
                        let summary = match self.summaries.get(doc.d) {
                            Some(summary) => summary,
                            None => {
                                let (summary, limit) =
                                    self.summarize(doc.d, doc.text, doc.analyzed);
                                out.limit = limit;
                                made = summary;
                                &made
                            }
                        };
                        let mut table =
                            Table::headless(&mut out.summary, path, config, summary_columns);
                        table.row(&self.summary_row(doc, summary, config))?;
                        table.finish()?;
                    }
                    if let Some(path) = paragraphs_path {
                        let mut table =
                            Table::headless(&mut out.paragraphs, path, config, PARAGRAPH_COLUMNS);
                        for row in self.paragraph_rows(doc.d, doc.text, &doc.analyzed.paragraphs) {
                            table.row(&row)?;
                        }
                        table.finish()?;
                    }
                    let Some(clean_path) = clean_path else {
                        return Ok(out);
                    };
                    if !config.keep_empty && self.emptied(doc.d) {
                        return Ok(out);
                    }
                    let paragraphs = &doc.analyzed.paragraphs;
                    (out.cleaned, out.bytes_out) = if parquet {
                        let row = self
                            .clean_row(doc.d, doc.text, paragraphs, doc.raw, generic)
                            .map_err(json_error(clean_path))?;
                        let bytes = row.text.len();
                        (Cleaned::Row(row), bytes)
                    } else {
                        let mut line = Vec::new();
                        let bytes = self
                            .clean_line(doc.d, doc.text, paragraphs, doc.raw, &mut line)
                            .map_err(json_error(clean_path))?;
                        (Cleaned::Line(line), bytes)
                    };
                    Ok(out)
                })
                .collect::<Result<_>>()?;
            for (doc, out) in batch.iter().zip(formatted) {
                written.sizes[doc.d] = (doc.text.len(), out.bytes_out);
                written.limited.extend(out.limit);
                if let Some(table) = &mut summary_table {
                    table.append(&out.summary)?;
                }
                if let Some(table) = &mut paragraph_table {
                    table.append(&out.paragraphs)?;
                }
                match (&mut clean, out.cleaned) {
                    (Some(CleanOut::Jsonl(w)), Cleaned::Line(line)) => w
                        .write_all(&line)
                        .map_err(io_at(clean_path.unwrap_or(Path::new(""))))?,
                    (Some(CleanOut::Parquet(w)), Cleaned::Row(row)) => w.push(row)?,
                    _ => {}
                }
            }
            Ok(())
        })?;
        if let Some(table) = summary_table {
            table.finish()?;
        }
        if let Some(table) = paragraph_table {
            table.finish()?;
        }
        match (clean, clean_path) {
            (Some(CleanOut::Parquet(w)), _) => w.finish()?,
            (Some(CleanOut::Jsonl(w)), Some(path)) => flush(w, path)?,
            _ => {}
        }
        Ok(written)
    }

    /// The schema of `clean.parquet`: the input's when every record is a row of Parquet
    /// files of one schema (told by the records in memory, or by the files to be read
    /// again), else the generic one.
    fn clean_layout(&self) -> parquet::CleanLayout {
        match &self.texts {
            Texts::InMemory => parquet::CleanLayout::of(
                self.docs[self.earlier..]
                    .iter()
                    .map(|doc| doc.raw.as_deref()),
            ),
            Texts::Reread { corpus, .. } => match corpus.parquet_schema() {
                Some((schema, text, id)) => parquet::CleanLayout::Same { schema, text, id },
                None => parquet::CleanLayout::Generic,
            },
        }
    }

    /// Document `d`'s row of `clean.parquet`: its cleaned text with the record as read
    /// (the Parquet row, or with `generic` the record as JSON less its text).
    fn clean_row(
        &self,
        d: usize,
        text: &str,
        paragraphs: &[Paragraph],
        raw: Option<&crate::RawRecord>,
        generic: bool,
    ) -> serde_json::Result<parquet::CleanRow> {
        let id = self.docs[d].id.clone();
        let record = match raw {
            Some(raw) if generic => {
                let mut json = Vec::new();
                raw.write_json(&id, "", &mut json)?;
                Some(String::from_utf8_lossy(&json).into_owned())
            }
            _ => None,
        };
        let row = match raw {
            Some(crate::RawRecord::Parquet(row)) if !generic => Some(row.clone()),
            _ => None,
        };
        Ok(parquet::CleanRow {
            title: self.title_in(d, text, paragraphs).to_owned(),
            text: self.clean_text_in(d, text, paragraphs),
            id,
            record,
            row,
        })
    }

    /// Appends document `d`'s line of `clean.jsonl`: the record as read with the cleaned
    /// text in place of its text (every other field as it was), or for a plain-text input
    /// its id, title and cleaned text.
    /// Returns the bytes of the cleaned text.
    fn clean_line(
        &self,
        d: usize,
        text: &str,
        paragraphs: &[Paragraph],
        raw: Option<&crate::RawRecord>,
        out: &mut Vec<u8>,
    ) -> serde_json::Result<usize> {
        let id = &self.docs[d].id;
        let clean = self.clean_text_in(d, text, paragraphs);
        let bytes = clean.len();
        match raw {
            Some(raw) => raw.write_json(id, &clean, out)?,
            None => serde_json::to_writer(
                &mut *out,
                &CleanDoc {
                    id,
                    title: self.title_in(d, text, paragraphs),
                    text: clean,
                },
            )?,
        }
        out.push(b'\n');
        Ok(bytes)
    }

    /// The rows of `paragraphs.csv` for document `d`, whose text is `text`.
    fn paragraph_rows<'t>(
        &'t self,
        d: usize,
        text: &'t str,
        paragraphs: &'t [Paragraph],
    ) -> impl Iterator<Item = ParagraphRow<'t>> + 't {
        let doc = &self.docs[d];
        paragraphs
            .iter()
            .zip(&self.dedup.decisions[d])
            .enumerate()
            .map(move |(p, (para, decision))| {
                let text = &text[para.span.clone()];
                let (action, reason, of, score) = match *decision {
                    Decision::Keep => ("keep", "", None, String::new()),
                    Decision::Title => ("keep", "title", None, String::new()),
                    Decision::Drop {
                        reason,
                        duplicate_of,
                        score,
                        ..
                    } => {
                        let score = duplicate_of.map_or(String::new(), |_| format!("{score:.4}"));
                        ("drop", reason.as_str(), duplicate_of, score)
                    }
                };
                let cut = if decision.is_kept() {
                    &text[..self.cut_len(d, p)]
                } else {
                    ""
                };
                ParagraphRow {
                    doc_id: &doc.id,
                    paragraph: p as u32 + 1,
                    action,
                    reason,
                    duplicate_of_doc: of.map_or("", |r| self.docs[r.doc as usize].id.as_str()),
                    duplicate_of_paragraph: of.map(|r| r.para + 1),
                    score,
                    chars: text.chars().count(),
                    text,
                    cut,
                }
            })
    }

    fn write_duplicates(
        &self,
        w: &mut (impl Write + Send),
        path: &Path,
        config: &OutputConfig,
    ) -> Result<()> {
        let pairs: Vec<Pair> = if config.all_pairs {
            self.dedup.pairs.clone()
        } else {
            self.dedup.drop_pointers()
        };
        // Pairs among the documents of earlier batches are theirs.
        let rows = pairs
            .iter()
            .filter(|pair| self.is_written(pair.later.doc))
            .map(|pair| DuplicateRow {
                doc_a: &self.docs[pair.earlier.doc as usize].id,
                para_a: pair.earlier.para + 1,
                doc_b: &self.docs[pair.later.doc as usize].id,
                para_b: pair.later.para + 1,
                kind: pair.kind.as_str(),
                score: format!("{:.4}", pair.score),
                evidence: pair.evidence.as_str(),
            });
        write_table(w, path, config, DUPLICATE_COLUMNS, rows)
    }

    /// Counts for `report.json` (write time and peak memory filled in by the writer).
    pub fn report(&self) -> Report {
        let mut dropped_by_reason = BTreeMap::new();
        let (mut paragraphs, mut kept, mut titles) = (0, 0, 0);
        for decisions in &self.dedup.decisions[self.earlier..] {
            for decision in decisions {
                paragraphs += 1;
                match decision {
                    Decision::Keep => kept += 1,
                    Decision::Title => {
                        kept += 1;
                        titles += 1;
                    }
                    Decision::Drop { reason, .. } => {
                        *dropped_by_reason.entry(reason.as_str()).or_insert(0) += 1;
                    }
                }
            }
        }
        Report {
            documents: self.docs.len() - self.earlier,
            paragraphs,
            kept,
            dropped: paragraphs - kept,
            titles,
            dropped_by_reason,
            pairs: self.pairs_known.then(|| {
                (self.dedup.pairs.iter())
                    .filter(|pair| self.is_written(pair.later.doc))
                    .count()
            }),
            skipped_records: self.skipped.len(),
            renamed_ids: self.renamed_ids,
            limited: self.limited.clone(),
            bytes_in: match &self.texts {
                Texts::InMemory => self.docs.iter().map(|d| d.text.len()).sum(),
                Texts::Reread { bytes, .. } => *bytes,
            },
            bytes_out: self.dedup.clean_bytes,
            threads: self.threads,
            seconds: Seconds {
                stages: self.timings.clone(),
                write: 0.0,
            },
            peak_memory_bytes: None,
            peak_bytes_per_paragraph: None,
        }
    }
}

/// Where the cleaned records go.
enum CleanOut<'a, W: Write + Send> {
    Jsonl(&'a mut W),
    Parquet(Box<parquet::Clean<&'a mut W>>),
}

/// A document's cleaned record, formatted for its output.
#[derive(Default)]
enum Cleaned {
    /// Left out (emptied by cleaning), or not written.
    #[default]
    Nothing,
    /// A line of `clean.jsonl`.
    Line(Vec<u8>),
    /// A row of `clean.parquet`.
    Row(parquet::CleanRow),
}

/// A document handed to the writers.
struct BatchDoc<'a> {
    /// Its index in input order.
    d: usize,
    text: &'a str,
    /// Its paragraphs, with sentences and terms when summaries are made as it is written.
    analyzed: &'a AnalyzedDoc,
    /// The record as read.
    raw: Option<&'a crate::RawRecord>,
}

/// One document's share of the outputs of [`Outcome::write_pass`], formatted.
#[derive(Default)]
struct Formatted {
    summary: Vec<u8>,
    paragraphs: Vec<u8>,
    cleaned: Cleaned,
    bytes_out: usize,
    /// The limit that applied to its summary.
    limit: Option<Limited>,
}

/// What the pass over the texts tells the rest of the outputs.
#[derive(Default)]
struct Written {
    /// Each document's bytes of text in, and of cleaned text out.
    sizes: Vec<(usize, usize)>,
    /// Limits that applied to the summaries made while writing.
    limited: Vec<Limited>,
}

/// The name of the pass over the texts in the progress bar, in memory and read again.
#[derive(Clone, Copy)]
struct Stage {
    in_memory: &'static str,
    reread: &'static str,
}

impl Stage {
    const SUMMARIES: Stage = Stage {
        in_memory: "writing summaries",
        reread: "rereading, summarising",
    };
    const PARAGRAPHS: Stage = Stage {
        in_memory: "writing paragraphs",
        reread: "rereading, writing paragraphs",
    };
    const SUMMARIES_AND_PARAGRAPHS: Stage = Stage {
        in_memory: "writing summaries and paragraphs",
        reread: "rereading, summarising, writing paragraphs",
    };
}

/// Every file an output directory can get, in either table format: what a run does not
/// write of these is removed (an earlier run's), nothing else.
pub const OUTPUT_NAMES: &[&str] = &[
    "summaries.csv",
    "paragraphs.csv",
    "duplicates.csv",
    "errors.csv",
    "documents.csv",
    "summaries.jsonl",
    "paragraphs.jsonl",
    "duplicates.jsonl",
    "errors.jsonl",
    "documents.jsonl",
    "summaries.parquet",
    "paragraphs.parquet",
    "duplicates.parquet",
    "errors.parquet",
    "documents.parquet",
    "clean.jsonl",
    "clean.parquet",
    "report.json",
];

/// Columns of `summaries.csv`, in the order of [`SummaryRow`]'s fields.
pub const SUMMARY_COLUMNS: &[&str] = &[
    "doc_id",
    "title",
    "summary",
    "sentence_ids",
    "n_sentences",
    "lang",
    "status",
];
/// Columns of `summaries.csv` with `--scores`, in the order of [`SummaryRow`]'s fields.
pub const SUMMARY_COLUMNS_WITH_SCORES: &[&str] = &[
    "doc_id",
    "title",
    "summary",
    "sentence_ids",
    "n_sentences",
    "lang",
    "scores",
    "status",
];
/// Columns of `paragraphs.csv`, in the order of [`ParagraphRow`]'s fields.
pub const PARAGRAPH_COLUMNS: &[&str] = &[
    "doc_id",
    "paragraph",
    "action",
    "reason",
    "duplicate_of_doc",
    "duplicate_of_paragraph",
    "score",
    "chars",
    "text",
    "cut",
];
/// Columns of `duplicates.csv`, in the order of [`DuplicateRow`]'s fields.
pub const DUPLICATE_COLUMNS: &[&str] = &[
    "doc_a", "para_a", "doc_b", "para_b", "kind", "score", "evidence",
];
/// Columns of `documents.csv`, in the order of [`DocumentRow`]'s fields.
pub const DOCUMENT_COLUMNS: &[&str] = &[
    "doc_id",
    "source",
    "line",
    "paragraphs_in",
    "paragraphs_kept",
    "bytes_in",
    "bytes_out",
    "outcome",
    "copy_of",
];
/// Columns of `errors.csv`, in the order of [`ErrorRow`]'s fields.
pub const ERROR_COLUMNS: &[&str] = &["source", "line", "record_id", "error"];

/// Writes a table in the configured format.
fn write_table<R: Serialize>(
    w: &mut (impl Write + Send),
    path: &Path,
    config: &OutputConfig,
    columns: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> Result<()> {
    let mut table = Table::new(w, path, config, columns)?;
    for row in rows {
        table.row(&row)?;
    }
    table.finish()
}

/// A table being written row by row: CSV with a header (also for an empty table, so
/// readers always see the columns), one JSON object per line, or Parquet.
struct Table<'a, W: Write + Send> {
    out: TableOut<'a, W>,
    path: &'a Path,
    columns: &'a [&'a str],
    excel_safe: bool,
}

enum TableOut<'a, W: Write + Send> {
    Csv(Box<csv::Writer<&'a mut W>>),
    Jsonl(&'a mut W),
    Parquet(Box<parquet::Table<&'a mut W>>),
    /// CSV whose header is written, its rows added as formatted by [`Table::headless`].
    CsvRows(&'a mut W),
}

impl<'a, W: Write + Send> Table<'a, W> {
    fn new(
        w: &'a mut W,
        path: &'a Path,
        config: &OutputConfig,
        columns: &'a [&'a str],
    ) -> Result<Self> {
        let out = match config.format {
            TableFormat::Csv => {
                let mut csv = csv::WriterBuilder::new().has_headers(false).from_writer(w);
                csv.write_record(columns).map_err(csv_error(path))?;
                TableOut::Csv(Box::new(csv))
            }
            TableFormat::Jsonl => TableOut::Jsonl(w),
            TableFormat::Parquet => {
                TableOut::Parquet(Box::new(parquet::Table::new(w, path, columns)?))
            }
        };
        Ok(Table {
            out,
            path,
            columns,
            excel_safe: config.excel_safe,
        })
    }

    /// A table whose rows are formatted elsewhere by [`Table::headless`] and added with
    /// [`Table::append`].
    fn appending(
        w: &'a mut W,
        path: &'a Path,
        config: &OutputConfig,
        columns: &'a [&'a str],
    ) -> Result<Self> {
        if config.format != TableFormat::Csv {
            return Table::new(w, path, config, columns);
        }
        Table::new(&mut *w, path, config, columns)?.finish()?;
        Ok(Table {
            out: TableOut::CsvRows(w),
            path,
            columns,
            excel_safe: config.excel_safe,
        })
    }

    /// A table without its header: rows to be added to one made by [`Table::appending`]
    /// with [`Table::append`]. A Parquet table's rows are formatted as JSON Lines for that.
    fn headless(
        w: &'a mut W,
        path: &'a Path,
        config: &OutputConfig,
        columns: &'a [&'a str],
    ) -> Self {
        let out = match config.format {
            TableFormat::Csv => TableOut::Csv(Box::new(
                csv::WriterBuilder::new().has_headers(false).from_writer(w),
            )),
            TableFormat::Jsonl | TableFormat::Parquet => TableOut::Jsonl(w),
        };
        Table {
            out,
            path,
            columns,
            excel_safe: config.excel_safe,
        }
    }

    fn row<R: Serialize>(&mut self, row: &R) -> Result<()> {
        let path = self.path;
        match &mut self.out {
            TableOut::Csv(csv) if self.excel_safe => {
                let cells = cells(row, self.columns).map_err(|message| Error::Output {
                    path: path.to_path_buf(),
                    message,
                })?;
                csv.write_record(cells.iter().map(|c| excel_safe_cell(c).into_owned()))
                    .map_err(csv_error(path))
            }
            TableOut::Csv(csv) => csv.serialize(row).map_err(csv_error(path)),
            TableOut::Jsonl(w) => {
                serde_json::to_writer(&mut **w, row).map_err(json_error(path))?;
                w.write_all(b"\n").map_err(io_at(path))
            }
            TableOut::Parquet(table) => {
                table.row(&serde_json::to_value(row).map_err(json_error(path))?)
            }
            TableOut::CsvRows(_) => Err(Error::Output {
                path: path.to_path_buf(),
                message: "a row formatted by a table that adds rows formatted elsewhere".into(),
            }),
        }
    }

    /// Adds the rows a [`Table::headless`] of the same format wrote.
    fn append(&mut self, rows: &[u8]) -> Result<()> {
        let path = self.path;
        match &mut self.out {
            TableOut::Csv(_) => Err(Error::Output {
                path: path.to_path_buf(),
                message: "rows added to a table that formats its own".into(),
            }),
            TableOut::Jsonl(w) | TableOut::CsvRows(w) => w.write_all(rows).map_err(io_at(path)),
            TableOut::Parquet(table) => table.rows_from_jsonl(rows),
        }
    }

    fn finish(self) -> Result<()> {
        match self.out {
            TableOut::Csv(mut csv) => {
                csv.flush().map_err(io_at(self.path))?;
                let w = csv
                    .into_inner()
                    .map_err(|e| Error::io(self.path, e.into_error()))?;
                flush(w, self.path)
            }
            TableOut::Jsonl(w) | TableOut::CsvRows(w) => flush(w, self.path),
            TableOut::Parquet(table) => table.finish(),
        }
    }
}

/// The cells of a row as the CSV writer would write them, in column order.
fn cells<R: Serialize>(row: &R, columns: &[&str]) -> std::result::Result<Vec<String>, String> {
    let serde_json::Value::Object(mut object) =
        serde_json::to_value(row).map_err(|e| e.to_string())?
    else {
        return Err("a row is not a record".into());
    };
    Ok(columns
        .iter()
        .map(|c| match object.remove(*c) {
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        })
        .collect())
}

/// A cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return; OWASP's CSV injection advice) gets a `'` in front. Numbers in
/// our tables are never negative, so only text cells are ever changed.
pub fn excel_safe_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn csv_error(path: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |e| {
        if e.is_io_error() {
            if let csv::ErrorKind::Io(io) = e.into_kind() {
                return Error::io(path, io);
            }
            return Error::Output {
                path: path.to_path_buf(),
                message: "I/O error".into(),
            };
        }
        Error::Output {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }
}

/// Maps a JSON serialisation error, keeping an I/O error's kind (a closed pipe).
fn json_error(path: &Path) -> impl Fn(serde_json::Error) -> Error + '_ {
    move |e| match e.io_error_kind() {
        Some(kind) => Error::io(path, std::io::Error::new(kind, e)),
        None => Error::Output {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `VmHWM` of this process, in KiB, read apart from [`peak_memory_bytes`].
    #[cfg(target_os = "linux")]
    fn vm_hwm_kib() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// The peak memory is `VmHWM` (KiB) in bytes.
    #[cfg(target_os = "linux")]
    #[test]
    fn peak_memory_is_vm_hwm_in_bytes() {
        let before = vm_hwm_kib();
        let peak = peak_memory_bytes().unwrap();
        let after = vm_hwm_kib();
        assert!(
            before * 1024 <= peak && peak <= after * 1024,
            "{before} {peak} {after}"
        );
        assert_eq!(peak % 1024, 0);
        assert!(peak > 1 << 20, "{peak}");
    }

    /// The stages a library caller sees writing `job`'s outputs with [`Outcome::write_dir`],
    /// from running it on two documents.
    fn stages_writing(job: Job) -> Vec<String> {
        let frames = crate::progress::Frames::default();
        let config = crate::Config {
            progress: frames.progress(),
            ..crate::Config::new(Vec::new())
        };
        let text =
            "Satu dua tiga empat lima enam tujuh delapan. Sembilan sepuluh sebelas dua belas.";
        let docs = vec![
            crate::testing::document("a", text),
            crate::testing::document("b", text),
        ];
        let outcome = crate::Pipeline::new(config)
            .unwrap()
            .run_documents(job, docs)
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        outcome
            .write_dir(dir.path(), job, &OutputConfig::default())
            .unwrap();
        frames.stages()
    }

    /// Writing only summaries into a directory (`Job::Summarize`, which the binary writes
    /// with `write_summaries_file` instead) goes on to a "writing" stage for the errors and
    /// the report after the summaries.
    #[test]
    fn summaries_written_into_a_directory_are_followed_by_the_writing_stage() {
        assert_eq!(
            stages_writing(Job::Summarize),
            ["analysing", "summarising", "writing summaries", "writing"]
        );
    }

    /// Planted bug (issue 17): `--excel-safe` no longer guarding cells that open with a
    /// tab or a carriage return. Every opening OWASP lists gets a `'`; nothing else does.
    #[test]
    fn excel_safe_cell_guards_every_formula_opening_and_nothing_else() {
        for cell in ["=1+1", "+62", "-5", "@SUM(A1)", "\tx", "\r=1", "\t", "\r"] {
            assert_eq!(excel_safe_cell(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in ["", "x", " =1", "\n=1", "1-2", "'=1", "é", "5"] {
            assert_eq!(excel_safe_cell(cell), cell, "{cell:?}");
        }
    }
}
