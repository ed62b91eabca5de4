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

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_command, m)?)?;
    m.add_function(wrap_pyfunction!(short_groups, m)?)?;
    m.add_function(wrap_pyfunction!(short_similarity, m)?)?;
    m.add("DedupsumError", m.py().get_type::<DedupsumError>())?;
    Ok(())
}
