//! Plain text and Markdown: one article per file, its id the file name without extension.

use std::io::{BufRead, Read};
use std::path::PathBuf;

use super::{Document, ReadConfig, Source};
use crate::error::RecordError;

/// Reads the one article of a text input (when iterated).
pub(super) struct Reader {
    path: PathBuf,
    id: String,
    reader: Option<Box<dyn BufRead>>,
    cap: usize,
}

impl Reader {
    pub(super) fn new(
        path: PathBuf,
        id: String,
        reader: Box<dyn BufRead>,
        config: &ReadConfig,
    ) -> Self {
        Reader {
            path,
            id,
            reader: Some(reader),
            cap: config.max_record_bytes,
        }
    }
}

impl Iterator for Reader {
    type Item = Result<Document, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        let reader = self.reader.take()?;
        Some(read(&self.path, &self.id, reader, self.cap))
    }
}

/// Reads a whole text input of at most `cap` bytes as one document.
pub(super) fn read(
    path: &std::path::Path,
    id: &str,
    reader: impl Read,
    cap: usize,
) -> Result<Document, RecordError> {
    let error = |line, message: String| RecordError::new(path, line, message).with_id(id);
    let mut bytes = Vec::new();
    reader
        .take(cap as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(None, format!("cannot read: {e}")))?;
    if bytes.len() > cap {
        return Err(error(
            None,
            format!("file longer than the record limit of {cap} bytes (--max-record-bytes)"),
        ));
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(error(
            Some(line_of(&bytes, offset)),
            format!("binary data (NUL byte at byte offset {offset} in the file)"),
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        error(
            Some(line_of(e.as_bytes(), offset)),
            format!("invalid UTF-8 (byte offset {offset} in the file)"),
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(Document {
        id: id.to_owned(),
        title: None,
        site: None,
        text,
        source: Source {
            path: path.to_path_buf(),
            line: None,
        },
        raw: None,
    })
}

/// 1-based line of byte `offset`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(bytes: &[u8], cap: usize) -> Result<Document, RecordError> {
        read(Path::new("a.txt"), "a", bytes, cap)
    }

    #[test]
    fn text_bom_binary_and_limits() {
        assert_eq!(
            parse("\u{feff}Satu.".as_bytes(), 100).unwrap().text,
            "Satu."
        );
        let err = parse(b"ok\nx\0y", 100).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.txt:2: binary data (NUL byte at byte offset 4 in the file)"
        );
        let err = parse(b"ok\n\xff", 100).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.txt:2: invalid UTF-8 (byte offset 3 in the file)"
        );
        assert_eq!(err.record_id.as_deref(), Some("a"));
        assert!(parse(&[b'x'; 101], 100).is_err());
        assert!(parse(&[b'x'; 100], 100).is_ok());
    }
}
