//! The document frequencies of the summaries' terms ([`FREQUENCIES`]): how many documents
//! of a shard, or of the whole corpus in decisions, have each term, so that the summaries
//! of one slice of a corpus weigh their terms by the whole corpus, as one run does. One
//! row per term: `term` (its hash, bit-cast) and `documents`; the number of documents
//! counted is in the metadata.

use std::path::Path;
use std::sync::Arc;

use arrow_array::{Int64Array, RecordBatch};
use parquet::file::metadata::KeyValue;

use super::{bad, batch, column, signed, unsigned, write_table, Table, BATCH_ROWS};
use crate::error::Result;
use crate::output::atomic::Staged;
use crate::summarize::DocumentFrequencies;

/// The table's file.
pub const FREQUENCIES: &str = "frequencies.parquet";
/// The metadata key of the number of documents counted.
const DOCUMENTS_KEY: &str = "dedupsum.documents";

/// Stages `frequencies` as table `table` in `dir`, with `metadata` besides.
pub(super) fn write(
    staged: &mut Staged,
    dir: &Path,
    table: &str,
    mut metadata: Vec<KeyValue>,
    frequencies: &DocumentFrequencies,
) -> Result<()> {
    let (terms, counts, documents) = frequencies.parts();
    metadata.push(KeyValue::new(DOCUMENTS_KEY.into(), documents.to_string()));
    let rows = |start: usize| {
        let end = (start + BATCH_ROWS).min(terms.len());
        batch(vec![
            (
                "term",
                Arc::new(Int64Array::from_iter_values(
                    terms[start..end].iter().map(|&t| signed(t)),
                )),
            ),
            (
                "documents",
                Arc::new(Int64Array::from_iter_values(
                    counts[start..end].iter().map(|&n| i64::from(n)),
                )),
            ),
        ])
    };
    let first = rows(0);
    let rest = (BATCH_ROWS..terms.len()).step_by(BATCH_ROWS).map(rows);
    let path = dir.join(FREQUENCIES);
    staged.write(&path, |w| {
        write_table(
            w,
            &path,
            first.schema(),
            table,
            metadata,
            std::iter::once(first).chain(rest).map(Ok),
        )
    })
}

/// The frequencies of table `table` in `dir`; none when `dir` has no such file.
pub(super) fn read(dir: &Path, table: &str) -> Result<Option<DocumentFrequencies>> {
    let path = dir.join(FREQUENCIES);
    if !path.exists() {
        return Ok(None);
    }
    let mut read = Table::read(&path, table)?;
    let documents: usize = read
        .value(DOCUMENTS_KEY)
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| bad(&path, "no number of documents in its metadata"))?;
    let (mut terms, mut counts) = (Vec::new(), Vec::new());
    while let Some(batch) = read.next_batch()? {
        let batch: &RecordBatch = &batch;
        let term = column::<Int64Array>(batch, "term", &path)?;
        let count = column::<Int64Array>(batch, "documents", &path)?;
        for r in 0..batch.num_rows() {
            terms.push(unsigned(term.value(r)));
            let n = u32::try_from(count.value(r))
                .ok()
                .filter(|&n| n as usize <= documents)
                .ok_or_else(|| {
                    bad(
                        &path,
                        format!("{} documents of {documents}", count.value(r)),
                    )
                })?;
            counts.push(n);
        }
    }
    DocumentFrequencies::from_parts(terms, counts, documents)
        .map(Some)
        .ok_or_else(|| bad(&path, "a term listed twice"))
}
