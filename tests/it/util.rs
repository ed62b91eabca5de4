//! Helpers: run the binary into a temp dir, read its CSV outputs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The sample corpus shipped with the project.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// A `dedupsum` command.
pub fn dedupsum() -> Command {
    Command::cargo_bin("dedupsum").expect("the dedupsum binary is built for tests")
}

/// Runs `dedupsum run <corpus> --out <tmp>/out <extra>` and returns the temp dir and out path.
pub fn run_corpus(extra: &[&str]) -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    dedupsum()
        .arg("run")
        .arg(corpus())
        .arg("--out")
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    (tmp, out)
}

/// The rows of a CSV file as maps from column to value.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// The header of a CSV file.
pub fn header(path: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect()
}

/// The names of the entries of `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
