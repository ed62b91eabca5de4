//! Decision files: what `dedupsum decide` makes of fingerprint shards, and all that
//! `apply` needs besides the inputs to write what `dedup` writes.
//!
//! Three tables in one directory. [`DECISIONS`]: one row per dropped paragraph (its
//! reason, score, evidence and the kept paragraph it repeats) and per kept paragraph that
//! a dropped one repeats, each copy with its `cluster_id` (the corpus-wide number of the
//! kept paragraph: paragraphs numbered in input order from 0; none for boilerplate).
//! [`PAIRS`]: every verified pair, as `duplicates.csv --all-pairs` lists them.
//! [`DOCUMENTS`]: one row per document — its id (a repeated one renamed), the hash of its
//! text, its paragraphs, whether the first is a title, the bytes its cleaned text keeps,
//! its dateline and the size limits that applied.
//!
//! Decisions may also cover one slice of a corpus (as a distributed job applies them,
//! slice by slice): then the documents of earlier slices that its paragraphs repeat come
//! first, [`Decisions::earlier`] of them, as `--against` puts earlier batches first.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{Array, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use parquet::file::metadata::KeyValue;

use super::shard::{Settings, Shard};
use super::{bad, batch, column, index, signed, unsigned, write_table, Table};
use crate::dedup::{
    self, clean_len, Decision, DedupConfig, DedupResult, Evidence, Kind, Pair, ParaRef,
};
use crate::error::{Error, Result};
use crate::output::atomic::Staged;
use crate::output::OutputDir;
use crate::summarize::DocumentFrequencies;
use crate::text::dateline::{self, Dateline};

/// The decided paragraphs.
pub const DECISIONS: &str = "decisions.parquet";
/// Every verified pair.
pub const PAIRS: &str = "pairs.parquet";
/// The documents.
pub const DOCUMENTS: &str = "documents.parquet";
/// What the tables say they are (see [`super::Table::read`]).
const DECIDED_DOCUMENTS: &str = "decided documents";
const DECIDED_PARAGRAPHS: &str = "decided paragraphs";
const DECIDED_PAIRS: &str = "decided pairs";
const DECIDED_FREQUENCIES: &str = "decided frequencies";
/// The metadata key of the fingerprints' [`Settings`].
const SETTINGS_KEY: &str = "dedupsum.settings";
/// The metadata key of [`Decisions::earlier`] (absent: 0).
const EARLIER_KEY: &str = "dedupsum.earlier_documents";
/// The metadata key of [`Decisions::pairs_made`] (absent: true).
const PAIRS_MADE_KEY: &str = "dedupsum.pairs_made";

/// A document as decided.
#[derive(Debug, Clone, PartialEq)]
pub struct DecidedDoc {
    /// Its id, renamed `id#2`, … when an earlier document had it.
    pub id: String,
    /// The hash of its text when fingerprinted.
    pub text_hash: u64,
    /// Bytes of its cleaned text (its kept paragraphs joined by blank lines).
    pub clean_bytes: usize,
}

/// The decisions over a corpus.
#[derive(Debug, Clone)]
pub struct Decisions {
    /// What the fingerprints were made with.
    pub settings: Settings,
    /// The documents, in input order.
    pub docs: Vec<DecidedDoc>,
    /// A decision per paragraph and every verified pair, as [`dedup::find_duplicates`]
    /// makes them.
    pub dedup: DedupResult,
    /// The dateline of each document.
    pub datelines: Vec<Option<Dateline>>,
    /// How many documents come first only because paragraphs of the others repeat
    /// theirs: documents of an earlier slice of the corpus, not among the inputs the
    /// decisions are applied to (0 for the decisions of a whole corpus).
    pub earlier: usize,
    /// Whether the pairs are every verified pair; decisions made without them (a
    /// distributed job's) hold none, and cannot list them (`--all-pairs`) or count them.
    pub pairs_made: bool,
    /// The document frequencies of the summaries' terms over the corpus, when every shard
    /// counted them: the summaries of a slice weigh their terms by them.
    pub frequencies: Option<DocumentFrequencies>,
}

impl Decisions {
    /// Decides the paragraphs of the corpus the `shards` make up, in that order, with the
    /// thresholds of `config` (its shingles and searches are the shards').
    pub fn decide(shards: &[PathBuf], config: &DedupConfig) -> Result<Decisions> {
        let mut shards = shards.iter();
        let first = shards
            .next()
            .ok_or_else(|| Error::Config("no shard given".into()))?;
        let mut all = Shard::read(first)?;
        for path in shards {
            all.append(Shard::read(path)?, path)?;
        }
        let Shard {
            settings,
            docs,
            prints,
            frequencies,
        } = all;
        let mut config = config.clone();
        settings.apply_to(&mut config);
        config.validate()?;
        let openings: Vec<_> = docs.iter().map(|d| d.opening.clone()).collect();
        let datelines = dateline::find(&openings, config.boilerplate_min_docs);
        drop(openings);
        let mut ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
        crate::corpus::rename_repeated(&mut ids);
        let lens: Vec<Vec<u32>> = prints
            .iter()
            .map(|p| p.paragraphs.iter().map(|p| p.len).collect())
            .collect();
        let dedup = dedup::find_duplicates(prints, &config);
        let docs = (docs.into_iter().zip(ids).zip(lens).zip(&dedup.decisions))
            .map(|(((doc, id), lens), decisions)| DecidedDoc {
                id,
                text_hash: doc.text_hash,
                clean_bytes: kept_bytes(&lens, decisions),
            })
            .collect();
        Ok(Decisions {
            settings,
            docs,
            dedup,
            datelines,
            earlier: 0,
            pairs_made: true,
            frequencies,
        })
    }

    /// The decisions of the documents `docs` (a range of this corpus's, with no earlier
    /// documents of their own), to apply to the inputs of those documents alone: the
    /// earlier documents their drops and pairs point at come first, as placeholders whose
    /// paragraphs are all kept ([`Decisions::earlier`]), then the documents of `docs`,
    /// numbered from there on. What a distributed job hands each slice of a corpus.
    pub fn slice(&self, docs: std::ops::Range<usize>) -> Decisions {
        debug_assert_eq!(self.earlier, 0);
        let dedup = &self.dedup;
        let pairs: Vec<&Pair> = (dedup.pairs.iter())
            .filter(|p| docs.contains(&(p.later.doc as usize)))
            .collect();
        let pointers = dedup.decisions[docs.clone()].iter().flatten();
        let mut earlier: Vec<u32> = (pointers.filter_map(|d| match d {
            Decision::Drop { duplicate_of, .. } => duplicate_of.map(|o| o.doc),
            _ => None,
        }))
        .chain(pairs.iter().map(|p| p.earlier.doc))
        .filter(|&d| (d as usize) < docs.start)
        .collect();
        earlier.sort_unstable();
        earlier.dedup();
        let placeholders = earlier.len();
        let renumber = |d: u32| match earlier.binary_search(&d) {
            Ok(k) => k as u32,
            Err(_) => (d as usize - docs.start + placeholders) as u32,
        };
        let moved = |at: ParaRef| ParaRef {
            doc: renumber(at.doc),
            para: at.para,
        };
        let all_kept = |decisions: &[Decision]| -> Vec<Decision> {
            (decisions.iter())
                .map(|d| match d {
                    Decision::Title => Decision::Title,
                    _ => Decision::Keep,
                })
                .collect()
        };
        let order: Vec<usize> = (earlier.iter().map(|&d| d as usize))
            .chain(docs.clone())
            .collect();
        let decisions = (order.iter().enumerate())
            .map(|(k, &d)| match k < placeholders {
                true => all_kept(&dedup.decisions[d]),
                false => (dedup.decisions[d].iter())
                    .map(|decision| match *decision {
                        Decision::Drop {
                            reason,
                            duplicate_of,
                            score,
                            evidence,
                        } => Decision::Drop {
                            reason,
                            duplicate_of: duplicate_of.map(moved),
                            score,
                            evidence,
                        },
                        kept => kept,
                    })
                    .collect(),
            })
            .collect();
        let in_slice = |limited: &[u32]| -> Vec<u32> {
            (limited.iter())
                .filter(|&&d| docs.contains(&(d as usize)))
                .map(|&d| renumber(d))
                .collect()
        };
        let slice_docs: Vec<DecidedDoc> = order.iter().map(|&d| self.docs[d].clone()).collect();
        Decisions {
            settings: self.settings.clone(),
            dedup: DedupResult {
                decisions,
                pairs: (pairs.into_iter())
                    .map(|p| Pair {
                        earlier: moved(p.earlier),
                        later: moved(p.later),
                        ..*p
                    })
                    .collect(),
                candidate_docs: in_slice(&dedup.candidate_docs),
                near_limited_docs: in_slice(&dedup.near_limited_docs),
                clean_bytes: slice_docs.iter().map(|d| d.clean_bytes).sum(),
            },
            docs: slice_docs,
            datelines: order.iter().map(|&d| self.datelines[d]).collect(),
            earlier: placeholders,
            pairs_made: self.pairs_made,
            frequencies: self.frequencies.clone(),
        }
    }

    /// Writes the three tables into `dir`: all appear whole, or none.
    pub fn write(&self, dir: &OutputDir) -> Result<()> {
        let settings = serde_json::to_string(&self.settings).map_err(|e| Error::Output {
            path: dir.path().to_path_buf(),
            message: e.to_string(),
        })?;
        let metadata = || {
            vec![
                KeyValue::new(SETTINGS_KEY.into(), settings.clone()),
                KeyValue::new(EARLIER_KEY.into(), self.earlier.to_string()),
                KeyValue::new(PAIRS_MADE_KEY.into(), self.pairs_made.to_string()),
            ]
        };
        let mut staged = Staged::default();
        for (name, table, batch) in [
            (DOCUMENTS, DECIDED_DOCUMENTS, self.documents_batch()),
            (DECISIONS, DECIDED_PARAGRAPHS, self.decisions_batch()),
            (PAIRS, DECIDED_PAIRS, self.pairs_batch()),
        ] {
            let path = dir.path().join(name);
            staged.write(&path, |w| {
                write_table(w, &path, batch.schema(), table, metadata(), [Ok(batch)])
            })?;
        }
        if let Some(frequencies) = &self.frequencies {
            let table = DECIDED_FREQUENCIES;
            super::frequencies::write(&mut staged, dir.path(), table, metadata(), frequencies)?;
        }
        staged.commit()
    }

    fn documents_batch(&self) -> RecordBatch {
        let (near_limited, restated_limited) = (
            flags(self.docs.len(), &self.dedup.near_limited_docs),
            flags(self.docs.len(), &self.dedup.candidate_docs),
        );
        let mut doc = Int64Builder::new();
        let mut id = StringBuilder::new();
        let mut text_hash = Int64Builder::new();
        let mut paragraphs = Int64Builder::new();
        let mut title = BooleanBuilder::new();
        let mut clean_bytes = Int64Builder::new();
        let mut dateline_paragraph = Int64Builder::new();
        let mut dateline_len = Int64Builder::new();
        let mut near = BooleanBuilder::new();
        let mut restated = BooleanBuilder::new();
        for (d, (decided, decisions)) in self.docs.iter().zip(&self.dedup.decisions).enumerate() {
            doc.append_value(d as i64);
            id.append_value(&decided.id);
            text_hash.append_value(signed(decided.text_hash));
            paragraphs.append_value(decisions.len() as i64);
            title.append_value(decisions.first() == Some(&Decision::Title));
            clean_bytes.append_value(decided.clean_bytes as i64);
            let dateline = self.datelines.get(d).copied().flatten();
            dateline_paragraph.append_option(dateline.map(|l| i64::from(l.paragraph)));
            dateline_len.append_option(dateline.map(|l| i64::from(l.len)));
            near.append_value(near_limited[d]);
            restated.append_value(restated_limited[d]);
        }
        batch(vec![
            ("doc", Arc::new(doc.finish())),
            ("doc_id", Arc::new(id.finish())),
            ("text_hash", Arc::new(text_hash.finish())),
            ("paragraphs", Arc::new(paragraphs.finish())),
            ("title", Arc::new(title.finish())),
            ("clean_bytes", Arc::new(clean_bytes.finish())),
            ("dateline_paragraph", Arc::new(dateline_paragraph.finish())),
            ("dateline_len", Arc::new(dateline_len.finish())),
            ("near_limited", Arc::new(near.finish())),
            ("restated_limited", Arc::new(restated.finish())),
        ])
    }

    fn decisions_batch(&self) -> RecordBatch {
        let decisions = &self.dedup.decisions;
        let mut offsets = Vec::with_capacity(decisions.len());
        let mut total = 0usize;
        for d in decisions {
            offsets.push(total);
            total += d.len();
        }
        let number = |at: ParaRef| (offsets[at.doc as usize] + at.para as usize) as i64;
        let mut originals: Vec<ParaRef> = decisions
            .iter()
            .flatten()
            .filter_map(|d| match d {
                Decision::Drop { duplicate_of, .. } => *duplicate_of,
                _ => None,
            })
            .collect();
        originals.sort_unstable();
        originals.dedup();
        let mut rows = DecisionRows::default();
        for (d, doc) in decisions.iter().enumerate() {
            for (p, decision) in doc.iter().enumerate() {
                let me = ParaRef {
                    doc: d as u32,
                    para: p as u32,
                };
                match *decision {
                    Decision::Drop {
                        reason,
                        duplicate_of,
                        score,
                        evidence,
                    } => {
                        rows.at(me, &self.docs[d].id);
                        rows.decision.append_value("drop");
                        rows.reason.append_value(reason.as_str());
                        rows.of_doc
                            .append_option(duplicate_of.map(|o| i64::from(o.doc)));
                        rows.of_doc_id
                            .append_option(duplicate_of.map(|o| &self.docs[o.doc as usize].id));
                        rows.of_paragraph
                            .append_option(duplicate_of.map(|o| i64::from(o.para)));
                        rows.score.append_value(score);
                        rows.evidence.append_option(evidence_name(evidence));
                        rows.cluster.append_option(duplicate_of.map(number));
                    }
                    _ if originals.binary_search(&me).is_ok() => {
                        rows.at(me, &self.docs[d].id);
                        rows.decision.append_value("keep");
                        rows.reason.append_null();
                        rows.of_doc.append_null();
                        rows.of_doc_id.append_null();
                        rows.of_paragraph.append_null();
                        rows.score.append_null();
                        rows.evidence.append_null();
                        rows.cluster.append_value(number(me));
                    }
                    _ => {}
                }
            }
        }
        rows.finish()
    }

    fn pairs_batch(&self) -> RecordBatch {
        let mut earlier_doc = Int64Builder::new();
        let mut earlier_paragraph = Int64Builder::new();
        let mut later_doc = Int64Builder::new();
        let mut later_paragraph = Int64Builder::new();
        let mut kind = StringBuilder::new();
        let mut score = Float64Builder::new();
        let mut evidence = StringBuilder::new();
        for pair in &self.dedup.pairs {
            earlier_doc.append_value(i64::from(pair.earlier.doc));
            earlier_paragraph.append_value(i64::from(pair.earlier.para));
            later_doc.append_value(i64::from(pair.later.doc));
            later_paragraph.append_value(i64::from(pair.later.para));
            kind.append_value(pair.kind.as_str());
            score.append_value(pair.score);
            evidence.append_option(evidence_name(pair.evidence));
        }
        batch(vec![
            ("earlier_doc", Arc::new(earlier_doc.finish())),
            ("earlier_paragraph", Arc::new(earlier_paragraph.finish())),
            ("later_doc", Arc::new(later_doc.finish())),
            ("later_paragraph", Arc::new(later_paragraph.finish())),
            ("kind", Arc::new(kind.finish())),
            ("score", Arc::new(score.finish())),
            ("evidence", Arc::new(evidence.finish())),
        ])
    }

    /// Reads the decisions in `dir`.
    pub fn read(dir: &Path) -> Result<Decisions> {
        if !dir.is_dir() {
            return Err(Error::Missing {
                path: dir.to_path_buf(),
            });
        }
        let path = dir.join(DOCUMENTS);
        let mut table = Table::read(&path, DECIDED_DOCUMENTS)?;
        let text = table
            .value(SETTINGS_KEY)
            .ok_or_else(|| bad(&path, "no fingerprint settings in its metadata"))?;
        let settings: Settings = serde_json::from_str(text)
            .map_err(|e| bad(&path, format!("unreadable settings: {e}")))?;
        let earlier = match table.value(EARLIER_KEY) {
            None => 0,
            Some(n) => n
                .parse()
                .map_err(|_| bad(&path, format!("`{n}` earlier documents")))?,
        };
        let pairs_made = match table.value(PAIRS_MADE_KEY) {
            None | Some("true") => true,
            Some("false") => false,
            Some(other) => return Err(bad(&path, format!("pairs made `{other}`"))),
        };
        let (docs, mut dedup, datelines) = read_documents(&mut table, &path)?;
        if earlier > docs.len() {
            return Err(bad(
                &path,
                format!("{earlier} earlier documents of {}", docs.len()),
            ));
        }
        let path = dir.join(DECISIONS);
        read_decisions(Table::read(&path, DECIDED_PARAGRAPHS)?, &path, &mut dedup)?;
        let path = dir.join(PAIRS);
        dedup.pairs = read_pairs(Table::read(&path, DECIDED_PAIRS)?, &path, &dedup.decisions)?;
        let frequencies = super::frequencies::read(dir, DECIDED_FREQUENCIES)?;
        Ok(Decisions {
            settings,
            docs,
            dedup,
            datelines,
            earlier,
            pairs_made,
            frequencies,
        })
    }
}

/// Bytes of a cleaned text whose paragraphs are `lens` bytes long.
pub(crate) fn kept_bytes(lens: &[u32], decisions: &[Decision]) -> usize {
    clean_len(
        lens.iter()
            .zip(decisions)
            .filter(|(_, d)| d.is_kept())
            .map(|(&len, _)| len as usize),
    )
}

/// Per document, whether it is in `docs` (ascending or not).
fn flags(n: usize, docs: &[u32]) -> Vec<bool> {
    let mut on = vec![false; n];
    for &d in docs {
        on[d as usize] = true;
    }
    on
}

/// The name of `evidence`; none for a pair that is not restated.
fn evidence_name(evidence: Evidence) -> Option<&'static str> {
    (evidence != Evidence::None).then(|| evidence.as_str())
}

/// The decisions table's columns being built.
struct DecisionRows {
    doc: Int64Builder,
    doc_id: StringBuilder,
    paragraph: Int64Builder,
    decision: StringBuilder,
    reason: StringBuilder,
    of_doc: Int64Builder,
    of_doc_id: StringBuilder,
    of_paragraph: Int64Builder,
    score: Float64Builder,
    evidence: StringBuilder,
    cluster: Int64Builder,
}

impl Default for DecisionRows {
    fn default() -> Self {
        DecisionRows {
            doc: Int64Builder::new(),
            doc_id: StringBuilder::new(),
            paragraph: Int64Builder::new(),
            decision: StringBuilder::new(),
            reason: StringBuilder::new(),
            of_doc: Int64Builder::new(),
            of_doc_id: StringBuilder::new(),
            of_paragraph: Int64Builder::new(),
            score: Float64Builder::new(),
            evidence: StringBuilder::new(),
            cluster: Int64Builder::new(),
        }
    }
}

impl DecisionRows {
    /// Starts the row of paragraph `at` of the document `id`.
    fn at(&mut self, at: ParaRef, id: &str) {
        self.doc.append_value(i64::from(at.doc));
        self.doc_id.append_value(id);
        self.paragraph.append_value(i64::from(at.para));
    }

    fn finish(mut self) -> RecordBatch {
        batch(vec![
            ("doc", Arc::new(self.doc.finish())),
            ("doc_id", Arc::new(self.doc_id.finish())),
            ("paragraph", Arc::new(self.paragraph.finish())),
            ("decision", Arc::new(self.decision.finish())),
            ("reason", Arc::new(self.reason.finish())),
            ("duplicate_of_doc", Arc::new(self.of_doc.finish())),
            ("duplicate_of_doc_id", Arc::new(self.of_doc_id.finish())),
            (
                "duplicate_of_paragraph",
                Arc::new(self.of_paragraph.finish()),
            ),
            ("score", Arc::new(self.score.finish())),
            ("evidence", Arc::new(self.evidence.finish())),
            ("cluster_id", Arc::new(self.cluster.finish())),
        ])
    }
}

/// The documents, with every paragraph kept (and the first a title where it is one),
/// their datelines and limits.
fn read_documents(
    table: &mut Table,
    path: &Path,
) -> Result<(Vec<DecidedDoc>, DedupResult, Vec<Option<Dateline>>)> {
    let mut docs = Vec::new();
    let mut decisions = Vec::new();
    let mut datelines = Vec::new();
    let (mut candidate_docs, mut near_limited_docs) = (Vec::new(), Vec::new());
    while let Some(batch) = table.next_batch()? {
        let batch = &batch;
        let doc = column::<Int64Array>(batch, "doc", path)?;
        let id = column::<StringArray>(batch, "doc_id", path)?;
        let text_hash = column::<Int64Array>(batch, "text_hash", path)?;
        let paragraphs = column::<Int64Array>(batch, "paragraphs", path)?;
        let title = column::<BooleanArray>(batch, "title", path)?;
        let clean_bytes = column::<Int64Array>(batch, "clean_bytes", path)?;
        let dateline_paragraph = column::<Int64Array>(batch, "dateline_paragraph", path)?;
        let dateline_len = column::<Int64Array>(batch, "dateline_len", path)?;
        let near = column::<BooleanArray>(batch, "near_limited", path)?;
        let restated = column::<BooleanArray>(batch, "restated_limited", path)?;
        for r in 0..batch.num_rows() {
            let d = index(doc.value(r), path, "document")?;
            if d as usize != docs.len() {
                return Err(bad(path, format!("document {d} out of order")));
            }
            let n = index(paragraphs.value(r), path, "paragraph count")?;
            let mut kept = vec![Decision::Keep; n as usize];
            if title.value(r) {
                match kept.first_mut() {
                    Some(first) => *first = Decision::Title,
                    None => {
                        return Err(bad(path, format!("document {d}: a title and no paragraph")))
                    }
                }
            }
            decisions.push(kept);
            datelines.push(
                if dateline_paragraph.is_null(r) || dateline_len.is_null(r) {
                    None
                } else {
                    let paragraph = index(dateline_paragraph.value(r), path, "dateline paragraph")?;
                    if paragraph >= n {
                        return Err(bad(
                            path,
                            format!("document {d}: a dateline in paragraph {paragraph} of {n}"),
                        ));
                    }
                    Some(Dateline {
                        paragraph,
                        len: index(dateline_len.value(r), path, "dateline length")?,
                    })
                },
            );
            if near.value(r) {
                near_limited_docs.push(d);
            }
            if restated.value(r) {
                candidate_docs.push(d);
            }
            docs.push(DecidedDoc {
                id: id.value(r).to_string(),
                text_hash: unsigned(text_hash.value(r)),
                clean_bytes: usize::try_from(clean_bytes.value(r))
                    .map_err(|_| bad(path, "negative clean bytes"))?,
            });
        }
    }
    let clean_bytes = docs.iter().map(|d| d.clean_bytes).sum();
    let dedup = DedupResult {
        decisions,
        pairs: Vec::new(),
        candidate_docs,
        near_limited_docs,
        clean_bytes,
    };
    Ok((docs, dedup, datelines))
}

/// A paragraph of `decisions` at document `doc`, paragraph `para` as read, or an error.
fn para_at(decisions: &[Vec<Decision>], doc: i64, para: i64, path: &Path) -> Result<ParaRef> {
    let at = ParaRef {
        doc: index(doc, path, "document")?,
        para: index(para, path, "paragraph")?,
    };
    let exists = decisions
        .get(at.doc as usize)
        .is_some_and(|d| (at.para as usize) < d.len());
    if exists {
        Ok(at)
    } else {
        Err(bad(
            path,
            format!("no paragraph {} in document {}", at.para, at.doc),
        ))
    }
}

/// The drops of `table` put into `dedup`'s decisions.
fn read_decisions(mut table: Table, path: &Path, dedup: &mut DedupResult) -> Result<()> {
    while let Some(batch) = table.next_batch()? {
        let batch = &batch;
        let doc = column::<Int64Array>(batch, "doc", path)?;
        let paragraph = column::<Int64Array>(batch, "paragraph", path)?;
        let decision = column::<StringArray>(batch, "decision", path)?;
        let reason = column::<StringArray>(batch, "reason", path)?;
        let of_doc = column::<Int64Array>(batch, "duplicate_of_doc", path)?;
        let of_paragraph = column::<Int64Array>(batch, "duplicate_of_paragraph", path)?;
        let score = column::<Float64Array>(batch, "score", path)?;
        let evidence = column::<StringArray>(batch, "evidence", path)?;
        for r in 0..batch.num_rows() {
            if decision.value(r) != "drop" {
                continue;
            }
            let at = para_at(&dedup.decisions, doc.value(r), paragraph.value(r), path)?;
            let duplicate_of = if of_doc.is_null(r) || of_paragraph.is_null(r) {
                None
            } else {
                Some(para_at(
                    &dedup.decisions,
                    of_doc.value(r),
                    of_paragraph.value(r),
                    path,
                )?)
            };
            dedup.decisions[at.doc as usize][at.para as usize] = Decision::Drop {
                reason: kind(reason.value(r), path)?,
                duplicate_of,
                score: score.value(r),
                evidence: evidence_of(evidence, r, path)?,
            };
        }
    }
    Ok(())
}

/// The pairs of `table`.
fn read_pairs(mut table: Table, path: &Path, decisions: &[Vec<Decision>]) -> Result<Vec<Pair>> {
    let mut pairs = Vec::new();
    while let Some(batch) = table.next_batch()? {
        let batch = &batch;
        let earlier_doc = column::<Int64Array>(batch, "earlier_doc", path)?;
        let earlier_paragraph = column::<Int64Array>(batch, "earlier_paragraph", path)?;
        let later_doc = column::<Int64Array>(batch, "later_doc", path)?;
        let later_paragraph = column::<Int64Array>(batch, "later_paragraph", path)?;
        let kinds = column::<StringArray>(batch, "kind", path)?;
        let score = column::<Float64Array>(batch, "score", path)?;
        let evidence = column::<StringArray>(batch, "evidence", path)?;
        for r in 0..batch.num_rows() {
            pairs.push(Pair {
                earlier: para_at(
                    decisions,
                    earlier_doc.value(r),
                    earlier_paragraph.value(r),
                    path,
                )?,
                later: para_at(
                    decisions,
                    later_doc.value(r),
                    later_paragraph.value(r),
                    path,
                )?,
                kind: kind(kinds.value(r), path)?,
                score: score.value(r),
                evidence: evidence_of(evidence, r, path)?,
            });
        }
    }
    Ok(pairs)
}

fn kind(name: &str, path: &Path) -> Result<Kind> {
    Kind::from_name(name).ok_or_else(|| bad(path, format!("unknown kind `{name}`")))
}

fn evidence_of(column: &StringArray, r: usize, path: &Path) -> Result<Evidence> {
    if column.is_null(r) {
        return Ok(Evidence::None);
    }
    let name = column.value(r);
    Evidence::from_name(name).ok_or_else(|| bad(path, format!("unknown evidence `{name}`")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::shard::ShardDoc;
    use crate::text::dateline::Opening;
    use crate::text::Lang;
    use crate::LangChoice;

    /// Paragraph spans of `text` split at blank lines, none a title.
    fn spans(text: &str) -> Vec<(std::ops::Range<usize>, bool)> {
        let mut start = 0;
        let mut out = Vec::new();
        for part in text.split("\n\n") {
            out.push((start..start + part.len(), false));
            start += part.len() + 2;
        }
        out
    }

    /// Decisions made from a shard are those of the search over its fingerprints, and
    /// read back as written: every drop with its pointer, score and evidence, every pair,
    /// the datelines, the renamed ids and the bytes kept.
    #[test]
    fn decisions_are_the_search_s_and_read_back_as_written() {
        let story = "Harga beras di pasar induk naik tajam pekan ini menurut pedagang.";
        let texts = [
            format!("Kota, Jakarta - Pemerintah menyiapkan operasi pasar.\n\n{story}\n\nBaca juga: harga cabai naik\n\nPemerintah menyiapkan operasi pasar untuk menekan harga beras di pasar induk."),
            format!("Kota, Jakarta - Warga antre minyak goreng sejak pagi.\n\n{story}\n\nBaca juga: harga cabai naik\n\nHarga beras di pasar induk naik tajam pekan ini menurut pedagang kecil."),
            "Kota, Jakarta - Banjir merendam ratusan rumah warga di tepi sungai.\n\nBaca juga: harga cabai naik\n\nAir mulai surut pada sore hari.".to_string(),
        ];
        let config = DedupConfig::default();
        let prints: Vec<_> = texts
            .iter()
            .map(|t| crate::DocPrint::new(t, spans(t), Lang::Indonesian, &config))
            .collect();
        let docs: Vec<ShardDoc> = texts
            .iter()
            .enumerate()
            .map(|(d, t)| ShardDoc {
                id: if d == 2 {
                    "a".into()
                } else {
                    ["a", "b"][d].into()
                },
                site: None,
                text_hash: d as u64,
                opening: Some(Opening {
                    site: None,
                    paragraph: 0,
                    head: t[..40].to_string(),
                }),
            })
            .collect();
        let expected = dedup::find_duplicates(prints.clone(), &config);
        let tmp = tempfile::tempdir().unwrap();
        let shard = tmp.path().join("shard");
        Shard {
            settings: Settings::new(&config, LangChoice::Fixed(Lang::Indonesian)),
            docs,
            prints,
            frequencies: None,
        }
        .write(&OutputDir::create(&shard).unwrap())
        .unwrap();
        let decided = Decisions::decide(&[shard], &config).unwrap();
        assert_eq!(decided.dedup.decisions, expected.decisions);
        assert_eq!(decided.dedup.pairs, expected.pairs);
        assert_eq!(decided.dedup.clean_bytes, expected.clean_bytes);
        let copies = |d: usize| {
            expected.decisions[d]
                .iter()
                .filter(|d| {
                    matches!(
                        d,
                        Decision::Drop {
                            duplicate_of: Some(_),
                            ..
                        }
                    )
                })
                .count()
        };
        assert_eq!(copies(1), 2, "{:?}", expected.decisions);
        let ids: Vec<&str> = decided.docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "a#2"]);
        assert_eq!(
            decided.datelines,
            vec![
                Some(Dateline {
                    paragraph: 0,
                    len: 16
                });
                3
            ]
        );
        let clean: usize = decided.docs.iter().map(|d| d.clean_bytes).sum();
        assert_eq!(clean, expected.clean_bytes);

        let dir = tmp.path().join("decisions");
        decided.write(&OutputDir::create(&dir).unwrap()).unwrap();
        let read = Decisions::read(&dir).unwrap();
        assert_eq!(read.settings, decided.settings);
        assert_eq!(read.docs, decided.docs);
        assert_eq!(read.datelines, decided.datelines);
        assert_eq!(read.dedup.decisions, decided.dedup.decisions);
        assert_eq!(read.dedup.pairs, decided.dedup.pairs);
        assert_eq!(read.dedup.clean_bytes, decided.dedup.clean_bytes);
        assert_eq!(read.dedup.candidate_docs, decided.dedup.candidate_docs);
        assert_eq!(
            read.dedup.near_limited_docs,
            decided.dedup.near_limited_docs
        );
    }

    /// A slice holds its documents after the earlier ones its drops and pairs point at
    /// (those only, all kept), every pointer and pair renumbered, its limits and bytes;
    /// and reads back as written, with how many came first and that it has no pairs when
    /// made without them.
    #[test]
    fn a_slice_puts_the_earlier_documents_it_points_at_first() {
        let drop = |doc, para| Decision::Drop {
            reason: Kind::Exact,
            duplicate_of: Some(ParaRef { doc, para }),
            score: 1.0,
            evidence: Evidence::None,
        };
        let pair = |earlier: (u32, u32), later: (u32, u32)| Pair {
            earlier: ParaRef {
                doc: earlier.0,
                para: earlier.1,
            },
            later: ParaRef {
                doc: later.0,
                para: later.1,
            },
            kind: Kind::Near,
            score: 0.9,
            evidence: Evidence::None,
        };
        let mut whole = decided_over(
            &["a", "b", "c", "d", "e", "f"],
            vec![
                vec![Decision::Title, Decision::Keep],
                vec![Decision::Keep, drop(0, 1)],
                vec![Decision::Keep],
                vec![drop(1, 0), Decision::Keep],
                vec![drop(3, 1), Decision::Keep, drop(0, 1)],
                vec![Decision::Keep],
            ],
        );
        for (d, doc) in whole.docs.iter_mut().enumerate() {
            doc.clean_bytes = 10 * d;
        }
        whole.dedup.pairs = vec![
            pair((0, 1), (1, 1)),
            pair((2, 0), (4, 1)),
            pair((1, 0), (3, 0)),
        ];
        whole.dedup.candidate_docs = vec![1, 4];
        whole.datelines[4] = Some(Dateline {
            paragraph: 1,
            len: 5,
        });
        let slice = whole.slice(3..5);
        // b (pointed at by d), a (by e) and c (by a pair of e) come first, in corpus order.
        let ids: Vec<&str> = slice.docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d", "e"]);
        assert_eq!(slice.earlier, 3);
        assert_eq!(
            slice.dedup.decisions,
            vec![
                vec![Decision::Title, Decision::Keep],
                vec![Decision::Keep, Decision::Keep],
                vec![Decision::Keep],
                vec![drop(1, 0), Decision::Keep],
                vec![drop(3, 1), Decision::Keep, drop(0, 1)],
            ]
        );
        assert_eq!(
            slice.dedup.pairs,
            vec![pair((2, 0), (4, 1)), pair((1, 0), (3, 0))]
        );
        assert_eq!(slice.dedup.candidate_docs, vec![4]);
        assert_eq!(slice.dedup.clean_bytes, 10 + 20 + 30 + 40);
        assert_eq!(slice.datelines[4], whole.datelines[4]);
        // A slice that points at nothing before it has no placeholders.
        assert_eq!(whole.slice(5..6).earlier, 0);
        // Placeholders not all of the earlier documents: every pointer and pair numbered
        // anew (a→0, c→1, d→2, e→3).
        let e = whole.slice(4..5);
        assert_eq!(e.earlier, 3);
        assert_eq!(
            e.dedup.decisions[3],
            vec![drop(2, 1), Decision::Keep, drop(0, 1)]
        );
        assert_eq!(e.dedup.pairs, vec![pair((1, 0), (3, 1))]);
        assert_eq!(e.dedup.candidate_docs, vec![3]);

        let tmp = tempfile::tempdir().unwrap();
        let mut made_without_pairs = slice.clone();
        made_without_pairs.pairs_made = false;
        for (k, slice) in [slice, made_without_pairs].into_iter().enumerate() {
            let dir = tmp.path().join(k.to_string());
            slice.write(&OutputDir::create(&dir).unwrap()).unwrap();
            let read = Decisions::read(&dir).unwrap();
            assert_eq!(read.earlier, 3);
            assert_eq!(read.pairs_made, slice.pairs_made);
            assert_eq!(read.dedup.decisions, slice.dedup.decisions);
            assert_eq!(read.docs, slice.docs);
        }
    }

    /// A dateline past the paragraphs of its document: refused when read, not followed.
    #[test]
    fn a_dateline_past_the_paragraphs_is_refused() {
        let mut decided = decided_over(&["a"], vec![vec![Decision::Keep]]);
        decided.datelines[0] = Some(Dateline {
            paragraph: 1,
            len: 4,
        });
        let tmp = tempfile::tempdir().unwrap();
        decided
            .write(&OutputDir::create(tmp.path()).unwrap())
            .unwrap();
        let err = Decisions::read(tmp.path()).unwrap_err().to_string();
        assert!(
            err.contains("document 0: a dateline in paragraph 1 of 1"),
            "{err}"
        );
    }

    #[test]
    fn more_earlier_documents_than_documents_are_refused() {
        let mut decided = decided_over(&["a", "b"], vec![vec![Decision::Keep], vec![]]);
        decided.earlier = 3;
        let tmp = tempfile::tempdir().unwrap();
        decided
            .write(&OutputDir::create(tmp.path()).unwrap())
            .unwrap();
        let err = Decisions::read(tmp.path()).unwrap_err().to_string();
        assert!(err.contains("3 earlier documents of 2"), "{err}");
    }

    /// Decisions over documents named `ids`, with `decisions` per document and nothing else
    /// (no pairs, limits or datelines).
    fn decided_over(ids: &[&str], decisions: Vec<Vec<Decision>>) -> Decisions {
        Decisions {
            settings: Settings::new(&DedupConfig::default(), LangChoice::Auto),
            docs: ids
                .iter()
                .map(|id| DecidedDoc {
                    id: id.to_string(),
                    text_hash: 0,
                    clean_bytes: 0,
                })
                .collect(),
            dedup: DedupResult {
                decisions,
                pairs: Vec::new(),
                candidate_docs: Vec::new(),
                near_limited_docs: Vec::new(),
                clean_bytes: 0,
            },
            datelines: vec![None; ids.len()],
            earlier: 0,
            pairs_made: true,
            frequencies: None,
        }
    }

    /// The limits read back, on the documents they applied to.
    #[test]
    fn limited_documents_read_back() {
        let mut decided = decided_over(
            &["0", "1", "2"],
            vec![vec![Decision::Title], vec![], vec![Decision::Keep]],
        );
        decided.dedup.candidate_docs = vec![2];
        decided.dedup.near_limited_docs = vec![0, 2];
        let tmp = tempfile::tempdir().unwrap();
        decided
            .write(&OutputDir::create(tmp.path()).unwrap())
            .unwrap();
        let read = Decisions::read(tmp.path()).unwrap();
        assert_eq!(read.dedup.candidate_docs, [2]);
        assert_eq!(read.dedup.near_limited_docs, [0, 2]);
        assert_eq!(read.dedup.decisions, decided.dedup.decisions);
    }

    /// The decisions table: one row per dropped paragraph and per kept one a dropped one
    /// repeats, each copy with the corpus-wide number of its kept paragraph; boilerplate
    /// with none.
    #[test]
    fn the_decisions_table_lists_each_copy_with_the_cluster_of_its_kept_paragraph() {
        let drop = |of: Option<(u32, u32)>, reason| Decision::Drop {
            reason,
            duplicate_of: of.map(|(doc, para)| ParaRef { doc, para }),
            score: 1.0,
            evidence: Evidence::None,
        };
        let decisions = vec![
            vec![Decision::Title, Decision::Keep],
            vec![
                Decision::Keep,
                drop(Some((0, 1)), Kind::Exact),
                drop(None, Kind::Boilerplate),
            ],
            vec![drop(Some((1, 0)), Kind::Near), Decision::Keep],
        ];
        let decided = decided_over(&["a", "b", "c"], decisions);
        let tmp = tempfile::tempdir().unwrap();
        decided
            .write(&OutputDir::create(tmp.path()).unwrap())
            .unwrap();
        let path = tmp.path().join(DECISIONS);
        let mut table = Table::read(&path, DECIDED_PARAGRAPHS).unwrap();
        let batch = table.next_batch().unwrap().unwrap();
        let int = |name: &str| {
            let c = column::<Int64Array>(&batch, name, &path).unwrap();
            (0..c.len())
                .map(|r| (!c.is_null(r)).then(|| c.value(r)))
                .collect::<Vec<_>>()
        };
        let text = |name: &str| {
            let c = column::<StringArray>(&batch, name, &path).unwrap();
            (0..c.len())
                .map(|r| (!c.is_null(r)).then(|| c.value(r).to_string()))
                .collect::<Vec<_>>()
        };
        let some = |v: &[i64]| v.iter().map(|&x| Some(x)).collect::<Vec<_>>();
        assert_eq!(int("doc"), some(&[0, 1, 1, 1, 2]));
        assert_eq!(int("paragraph"), some(&[1, 0, 1, 2, 0]));
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            text("decision"),
            [s("keep"), s("keep"), s("drop"), s("drop"), s("drop")]
        );
        assert_eq!(
            text("reason"),
            [None, None, s("exact"), s("boilerplate"), s("near")]
        );
        // Paragraphs numbered from 0 in input order: (0, 1) is 1, (1, 0) is 2.
        assert_eq!(
            int("cluster_id"),
            [Some(1), Some(2), Some(1), None, Some(2)]
        );
        assert_eq!(
            text("duplicate_of_doc_id"),
            [None, None, s("a"), None, s("b")]
        );
        assert_eq!(
            int("duplicate_of_paragraph"),
            [None, None, Some(1), None, Some(0)]
        );
        assert!(table.next_batch().unwrap().is_none());
    }

    /// A pointer to a paragraph past the end of its document (a decisions file that is
    /// not of these documents) is refused, not followed.
    #[test]
    fn a_pointer_past_the_paragraphs_of_a_document_is_refused() {
        let decided = |para: u32| {
            decided_over(
                &["a", "b"],
                vec![
                    vec![Decision::Keep, Decision::Keep],
                    vec![Decision::Drop {
                        reason: Kind::Exact,
                        duplicate_of: Some(ParaRef { doc: 0, para }),
                        score: 1.0,
                        evidence: Evidence::None,
                    }],
                ],
            )
        };
        let tmp = tempfile::tempdir().unwrap();
        decided(1)
            .write(&OutputDir::create(&tmp.path().join("ok")).unwrap())
            .unwrap();
        assert!(Decisions::read(&tmp.path().join("ok")).is_ok());
        decided(2)
            .write(&OutputDir::create(&tmp.path().join("bad")).unwrap())
            .unwrap();
        let error = Decisions::read(&tmp.path().join("bad"))
            .unwrap_err()
            .to_string();
        assert!(
            error.ends_with("decisions.parquet: no paragraph 2 in document 0"),
            "{error}"
        );
    }
}
