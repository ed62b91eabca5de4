//! Reading articles: plain text files (one article per file) and JSONL (one per line).
//!
//! Directories are walked recursively in sorted order, so the document order, and with it
//! which copy of a duplicate counts as the first, is the same on every run.

mod jsonl;

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
pub use jsonl::JsonFields;

/// One input article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Identifier: the file stem for text files, the id field for JSONL records.
    pub id: String,
    /// Title given by the input (JSONL), if any.
    pub title: Option<String>,
    /// The article text.
    pub text: String,
    /// Where the article came from.
    pub source: Source,
}

/// File (and line, for JSONL) an article was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The input file.
    pub path: PathBuf,
    /// 1-based line for JSONL records.
    pub line: Option<usize>,
}

/// Input formats, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Jsonl,
}

impl Format {
    fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "md" | "text" => Some(Format::Text),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// Reads every article under `inputs` (files or directories), in a stable order.
///
/// A file named directly with an unknown extension is read as plain text; inside
/// directories only `.txt`, `.md`, `.jsonl` and `.ndjson` files are read.
pub fn read_inputs(inputs: &[PathBuf], fields: &JsonFields) -> Result<Vec<Document>> {
    let mut files = Vec::new();
    for input in inputs {
        let meta = fs::metadata(input).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Missing {
                path: input.clone(),
            },
            _ => Error::io(input, e),
        })?;
        if meta.is_dir() {
            walk(input, &mut files)?;
        } else {
            files.push((input.clone(), Format::of(input).unwrap_or(Format::Text)));
        }
    }
    let mut docs = Vec::new();
    for (path, format) in files {
        let bytes = fs::read(&path).map_err(|e| Error::io(&path, e))?;
        match format {
            Format::Text => docs.push(read_text(&path, bytes)?),
            Format::Jsonl => jsonl::read(&path, &bytes, fields, &mut docs)?,
        }
    }
    if docs.is_empty() {
        return Err(Error::NoDocuments);
    }
    Ok(docs)
}

/// Appends the readable files under `dir` in sorted path order, skipping hidden entries.
fn walk(dir: &Path, files: &mut Vec<(PathBuf, Format)>) -> Result<()> {
    let mut entries = fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(|e| Error::io(dir, e))?;
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, files)?;
        } else if let Some(format) = Format::of(&path) {
            files.push((path, format));
        }
    }
    Ok(())
}

/// One plain-text file is one article; its id is the file stem.
fn read_text(path: &Path, bytes: Vec<u8>) -> Result<Document> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        Error::InvalidUtf8 {
            path: path.to_path_buf(),
            line,
            offset,
        }
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Document {
        id,
        title: None,
        text,
        source: Source {
            path: path.to_path_buf(),
            line: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_directories_in_sorted_order_and_names_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("b.txt"), "Dua.").unwrap();
        fs::write(dir.path().join("a.txt"), "\u{feff}Satu.").unwrap();
        fs::write(dir.path().join("skip.bin"), [0xff]).unwrap();
        let docs = read_inputs(&[dir.path().to_path_buf()], &JsonFields::default()).unwrap();
        let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(docs[0].text, "Satu.");

        fs::write(dir.path().join("c.txt"), b"ok\nbad \xff here").unwrap();
        let err = read_inputs(&[dir.path().to_path_buf()], &JsonFields::default()).unwrap_err();
        assert!(matches!(err, Error::InvalidUtf8 { line: 2, .. }), "{err}");
        assert!(err.to_string().contains("c.txt:2"), "{err}");
    }

    #[test]
    fn missing_input_is_named() {
        let err = read_inputs(&["no/such/dir".into()], &JsonFields::default()).unwrap_err();
        assert_eq!(err.to_string(), "no/such/dir: no such file or directory");
    }
}
