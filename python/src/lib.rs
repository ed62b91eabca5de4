//! The native module of the Python package (`dedupsum._native`): it runs the command
//! line's own pipeline, flags and all, so a Python call makes the decisions and writes the
//! bytes the `dedupsum` command would; the Python side (`dedupsum/__init__.py`) turns
//! keyword arguments into flags and reads the outputs back as Arrow tables.

use std::path::PathBuf;

use clap::Parser;
use dedupsum::cli::{self, Cli};
use dedupsum::{Error, RecordError};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;

create_exception!(
    _native,
    DedupsumError,
    PyException,
    "A run that failed; nothing was written. `path`, `line` and `record_id` say where, when known."
);

/// Runs `dedupsum ARGS...` in this process with the GIL released; returns how many input
/// records were skipped (listed in the errors table). A bad flag raises `ValueError` with
/// the command's usage message, a failed run `DedupsumError`.
#[pyfunction]
fn run_command(py: Python<'_>, args: Vec<String>) -> PyResult<usize> {
    let argv = std::iter::once("dedupsum".to_owned()).chain(args);
    let cli = Cli::try_parse_from(argv).map_err(|e| PyValueError::new_err(e.to_string()))?;
    match py.detach(|| cli::run(cli)) {
        // The results in memory are dropped here: the process goes on.
        Ok(status) => Ok(status.skipped),
        Err(err) => {
            // Output directories the run created for outputs it did not write.
            dedupsum::output::atomic::remove_leftovers();
            Err(python_error(py, &err))
        }
    }
}

/// `err` as a `DedupsumError` with the message the command prints and, as attributes, the
/// file, line and record id it concerns (`None` when it has none).
fn python_error(py: Python<'_>, err: &anyhow::Error) -> PyErr {
    let (path, line, record_id) = whereabouts(err);
    let exception = DedupsumError::new_err(dedupsum::messages::error_text(err));
    let value = exception.value(py);
    let set = || -> PyResult<()> {
        value.setattr("path", path.map(|p| p.to_string_lossy().into_owned()))?;
        value.setattr("line", line)?;
        value.setattr("record_id", record_id)?;
        Ok(())
    };
    match set() {
        Ok(()) => exception,
        Err(failed) => failed,
    }
}

/// The file, line and record id that the first error of `err`'s chain that names one
/// names.
fn whereabouts(err: &anyhow::Error) -> (Option<PathBuf>, Option<usize>, Option<String>) {
    let of_record = |r: &RecordError| (Some(r.path.clone()), r.line, r.record_id.clone());
    for cause in err.chain() {
        if let Some(record) = cause.downcast_ref::<RecordError>() {
            return of_record(record);
        }
        match cause.downcast_ref::<Error>() {
            Some(Error::Record(record)) => return of_record(record),
            Some(
                Error::Missing { path } | Error::Io { path, .. } | Error::Refused { path, .. },
            ) => return (Some(path.clone()), None, None),
            _ => {}
        }
    }
    (None, None, None)
}

/// The groups in which a paragraph too short for shingles, with the normalised text
/// `text` (a fingerprint's `short_text`) on site `site`, is compared with others: each
/// group's key (a 64-bit hash, as a signed integer) and whether the paragraph is at home in
/// it (else it visits from the length band below). The distributed job groups by these
/// keys, so that its candidates are those of the command.
#[pyfunction]
#[pyo3(signature = (site, text, threshold))]
fn short_groups(site: Option<&str>, text: &str, threshold: f64) -> Vec<(i64, bool)> {
    let site = site.map_or(0, dedupsum::dedup::print::site_hash);
    let line = dedupsum::dedup::short::Line::new(text);
    dedupsum::dedup::short::groups(site, &line, threshold)
        .into_iter()
        .map(|(key, home)| (key as i64, home))
        .collect()
}

/// The similarity of two short paragraphs' normalised texts when it reaches `threshold`
/// (normalised Levenshtein, 0 when their numbers differ), else `None`: the command's own
/// test of a candidate pair.
#[pyfunction]
fn short_similarity(a: &str, b: &str, threshold: f64) -> Option<f64> {
    use dedupsum::dedup::short::{similar, Line};
    similar(&Line::new(a), &Line::new(b), threshold)
}

/// A document's `terms` column with its `slots` column.
type TermsAndSlots = (Vec<Vec<i32>>, Vec<Vec<i64>>);

/// The paragraphs of one document as a shard stores them: `keys`, `lens`, `flags` per
/// paragraph, and the `terms` (with their `slots`) and `said` columns when given (else
/// empty).
fn stored_document(
    keys: &[i64],
    lens: &[i64],
    flags: &[i32],
    terms: Option<TermsAndSlots>,
    said: Option<Vec<Option<Vec<Vec<i32>>>>>,
) -> PyResult<dedupsum::dedup::DocPrint> {
    use dedupsum::index::steps::{document, StoredParagraph};
    let n = keys.len();
    let same = |len: usize| len == n;
    if !same(lens.len())
        || !same(flags.len())
        || !terms
            .as_ref()
            .is_none_or(|(t, s)| same(t.len()) && same(s.len()))
        || !said.as_ref().is_none_or(|s| same(s.len()))
    {
        return Err(PyValueError::new_err(
            "the columns of a document differ in length",
        ));
    }
    let hashes = |values: Vec<i32>| values.into_iter().map(|v| v as u32).collect::<Vec<u32>>();
    let (mut terms, mut slots) = match terms {
        Some((t, s)) => (Some(t.into_iter()), Some(s.into_iter())),
        None => (None, None),
    };
    let mut said = said.map(|s| s.into_iter());
    let mut rows = Vec::with_capacity(n);
    for p in 0..n {
        let said = said.as_mut().and_then(Iterator::next).flatten();
        // Only earlier paragraphs of the document said a sentence before.
        if let Some(q) = said
            .iter()
            .flatten()
            .flatten()
            .find(|&&q| q < 0 || q as usize >= p)
        {
            return Err(PyValueError::new_err(format!(
                "paragraph {p} repeats paragraph {q}, which is not before it"
            )));
        }
        rows.push(StoredParagraph {
            key: keys[p] as u64,
            len: u32::try_from(lens[p])
                .map_err(|_| PyValueError::new_err("a length out of range"))?,
            flags: u16::try_from(flags[p])
                .map_err(|_| PyValueError::new_err("flags out of range"))?,
            opener: 0,
            terms: terms
                .as_mut()
                .and_then(Iterator::next)
                .map(hashes)
                .unwrap_or_default(),
            slots: slots
                .as_mut()
                .and_then(Iterator::next)
                .map(|s| s.into_iter().map(|v| v as u64).collect())
                .unwrap_or_default(),
            said: said.map(|sentences| sentences.into_iter().map(hashes).collect()),
        });
    }
    Ok(document(rows))
}

/// The story sketch of a document whose paragraphs have the exact keys `keys`, lengths
/// `lens` and flag bits `flags` (a shard's columns): four tokens, 0 for none; copies of
/// one page share one.
#[pyfunction]
fn story_sketch(keys: Vec<i64>, lens: Vec<i64>, flags: Vec<i32>) -> PyResult<Vec<i64>> {
    let print = stored_document(&keys, &lens, &flags, None, None)?;
    let sketch = dedupsum::index::steps::story_sketch(&print);
    Ok(sketch.iter().map(|&t| t as i64).collect())
}

/// The tokens of an anchor paragraph of exact key `key` and shingle hashes `shingles`:
/// its key and bands of min-hashes (0 for none).
#[pyfunction]
fn anchor_tokens(key: i64, shingles: Vec<i32>) -> Vec<i64> {
    let shingles: Vec<u32> = shingles.into_iter().map(|h| h as u32).collect();
    let tokens = dedupsum::index::steps::anchor_tokens(key as u64, &shingles);
    tokens.iter().map(|&t| t as i64).collect()
}

/// An occurrence of a text as the job hands it over: document, story sketch, and the
/// anchor tokens before and after it (`None` for no anchor).
type StoredOccurrence = (i64, Vec<i64>, Option<Vec<i64>>, Option<Vec<i64>>);

/// The number of different stories among the occurrences of one text, each given as
/// `(document, its story sketch, anchor tokens before or None, anchor tokens after or
/// None)`.
#[pyfunction]
fn count_stories(occurrences: Vec<StoredOccurrence>) -> PyResult<u32> {
    use dedupsum::index::steps::Occurrence;
    fn tokens<const N: usize>(values: Vec<i64>) -> PyResult<[u64; N]> {
        let values: Vec<u64> = values.into_iter().map(|v| v as u64).collect();
        values
            .try_into()
            .map_err(|_| PyValueError::new_err(format!("expected {N} tokens")))
    }
    let occurrences = occurrences
        .into_iter()
        .map(|(doc, sketch, before, after)| {
            Ok(Occurrence {
                doc: doc as u64,
                sketch: tokens(sketch)?,
                anchors: [
                    before.map(tokens).transpose()?,
                    after.map(tokens).transpose()?,
                ],
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(dedupsum::index::steps::count_stories(&occurrences))
}

/// The paragraphs of one document (its `said` column) that repeat sentences said before,
/// among the `present` ones: `(source, paragraph)` pairs.
#[pyfunction]
fn copied(said: Vec<Option<Vec<Vec<i32>>>>, present: Vec<bool>) -> PyResult<Vec<(u32, u32)>> {
    let n = said.len();
    if present.len() != n {
        return Err(PyValueError::new_err(
            "the columns of a document differ in length",
        ));
    }
    let zeros = vec![0i64; n];
    let print = stored_document(&zeros, &zeros, &vec![0; n], None, Some(said))?;
    let pairs = dedupsum::index::steps::copied(&print, &present);
    Ok(pairs
        .iter()
        .map(|p| (p.earlier.para, p.later.para))
        .collect())
}

/// One round of the restated search on one document (its `terms`, `slots` and `flags`
/// columns):
/// `(earlier, later, score, evidence)` among the `present` paragraphs (a recap may restate
/// the `said` ones too), given `doc_freq`, the number of documents each of its terms
/// occurs in among the present paragraphs of the corpus's `n_docs`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn restated(
    terms: Vec<Vec<i32>>,
    slots: Vec<Vec<i64>>,
    flags: Vec<i32>,
    present: Vec<bool>,
    said: Vec<bool>,
    doc_freq: Vec<(i32, u32)>,
    n_docs: usize,
    threshold: f64,
) -> PyResult<Vec<(u32, u32, f64, &'static str)>> {
    let n = flags.len();
    if present.len() != n || said.len() != n {
        return Err(PyValueError::new_err(
            "the columns of a document differ in length",
        ));
    }
    let zeros = vec![0i64; n];
    let print = stored_document(&zeros, &zeros, &flags, Some((terms, slots)), None)?;
    let doc_freq = doc_freq.into_iter().map(|(t, n)| (t as u32, n));
    let pairs =
        dedupsum::index::steps::restated(&print, &present, &said, doc_freq, n_docs, threshold);
    Ok(pairs
        .iter()
        .map(|p| (p.earlier.para, p.later.para, p.score, p.evidence.as_str()))
        .collect())
}

/// The datelines of articles given by their openings `(site, paragraph, head)` (`None`
/// for an article with no body paragraph): `(paragraph, length)` or `None` each. The
/// articles of one site are learned together: give all of a site's at once.
#[pyfunction]
fn datelines(
    openings: Vec<Option<(Option<String>, u32, String)>>,
    min_docs: usize,
) -> Vec<Option<(u32, u32)>> {
    let openings: Vec<Option<dedupsum::Opening>> = (openings.into_iter())
        .map(|o| {
            o.map(|(site, paragraph, head)| dedupsum::Opening {
                site,
                paragraph,
                head,
            })
        })
        .collect();
    (dedupsum::index::steps::datelines(&openings, min_docs).into_iter())
        .map(|d| d.map(|d| (d.paragraph, d.len)))
        .collect()
}

/// Whether the restated search of one document (its `flags` column), among its `present`
/// paragraphs, is limited for its size.
#[pyfunction]
fn restated_limited(flags: Vec<i32>, present: Vec<bool>) -> PyResult<bool> {
    let n = flags.len();
    if present.len() != n {
        return Err(PyValueError::new_err(
            "the columns of a document differ in length",
        ));
    }
    let zeros = vec![0i64; n];
    let print = stored_document(&zeros, &zeros, &flags, None, None)?;
    Ok(dedupsum::index::steps::restated_limited(&print, &present))
}

/// The cells of the near search's rank sketch that the tokens of a shingle set (its
/// `shingles` column) count in, in a corpus whose sets hold `total` tokens in all.
#[pyfunction]
fn rank_cells(shingles: Vec<i32>, total: usize) -> Vec<i64> {
    let tokens: Vec<u32> = shingles.into_iter().map(|h| h as u32).collect();
    (dedupsum::index::steps::rank_cells(&tokens, total).into_iter())
        .map(i64::from)
        .collect()
}

/// The near pairs of a group of more than 1,024 shingle sets sharing a prefix token (in
/// corpus order): `(a, b, score)` with its leaders when it is mostly copies of its first
/// set, else `None`.
#[pyfunction]
fn star(sets: Vec<Vec<i32>>, threshold: f64) -> Option<Vec<(u32, u32, f64)>> {
    let sets: Vec<Vec<u32>> = (sets.into_iter())
        .map(|s| s.into_iter().map(|h| h as u32).collect())
        .collect();
    dedupsum::index::steps::star(&sets, threshold)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_command, m)?)?;
    m.add_function(wrap_pyfunction!(short_groups, m)?)?;
    m.add_function(wrap_pyfunction!(short_similarity, m)?)?;
    m.add_function(wrap_pyfunction!(story_sketch, m)?)?;
    m.add_function(wrap_pyfunction!(anchor_tokens, m)?)?;
    m.add_function(wrap_pyfunction!(count_stories, m)?)?;
    m.add_function(wrap_pyfunction!(copied, m)?)?;
    m.add_function(wrap_pyfunction!(restated, m)?)?;
    m.add_function(wrap_pyfunction!(datelines, m)?)?;
    m.add_function(wrap_pyfunction!(restated_limited, m)?)?;
    m.add_function(wrap_pyfunction!(rank_cells, m)?)?;
    m.add_function(wrap_pyfunction!(star, m)?)?;
    m.add("RANK_CAP", dedupsum::index::steps::RANK_CAP)?;
    m.add("DedupsumError", m.py().get_type::<DedupsumError>())?;
    Ok(())
}
