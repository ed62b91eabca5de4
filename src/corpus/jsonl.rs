//! JSON Lines: one article object per line, read line by line.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::source::{read_line, Line};
use super::{Document, ReadConfig, Source};
use crate::error::RecordError;

/// Names of the fields (JSONL) or columns (CSV) that hold an article's id, text and title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonFields {
    /// Field with the document id (a string or a number).
    pub id: String,
    /// Field with the article text.
    pub text: String,
    /// Optional field with the title.
    pub title: String,
}

impl Default for JsonFields {
    fn default() -> Self {
        JsonFields {
            id: "id".into(),
            text: "text".into(),
            title: "title".into(),
        }
    }
}

/// Streams the records of one JSONL input; blank lines are skipped.
pub(super) struct Reader {
    path: PathBuf,
    reader: Box<dyn BufRead>,
    fields: JsonFields,
    cap: usize,
    /// Lines read so far.
    line: usize,
    /// Byte offset of the next line.
    offset: u64,
    buf: Vec<u8>,
    done: bool,
}

impl Reader {
    pub(super) fn new(path: PathBuf, reader: Box<dyn BufRead>, config: &ReadConfig) -> Self {
        Reader {
            path,
            reader,
            fields: config.fields.clone(),
            cap: config.max_record_bytes,
            line: 0,
            offset: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl Iterator for Reader {
    type Item = Result<Document, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let status = match read_line(&mut *self.reader, &mut self.buf, self.cap) {
                Ok(Some(status)) => status,
                Ok(None) => break,
                Err(e) => {
                    // A read error (a truncated or corrupt compressed stream, a limit):
                    // nothing after it can be trusted.
                    self.done = true;
                    return Some(Err(RecordError::new(
                        &self.path,
                        Some(self.line + 1),
                        format!("cannot read: {e}; the rest of the file is skipped"),
                    )));
                }
            };
            self.line += 1;
            let start = self.offset;
            self.offset += self.buf.len() as u64 + 1;
            if let Line::TooLong(n) = status {
                self.offset = start + n + 1;
                return Some(Err(RecordError::new(
                    &self.path,
                    Some(self.line),
                    format!(
                        "line of {n} bytes is longer than the record limit of {} bytes (--max-record-bytes)",
                        self.cap
                    ),
                )));
            }
            match parse(&self.path, self.line, start, &self.buf, &self.fields) {
                Ok(Some(doc)) => return Some(Ok(doc)),
                Ok(None) => continue,
                Err(e) => return Some(Err(e)),
            }
        }
        self.done = true;
        None
    }
}

/// Parses one line (starting at byte `offset`); `None` for a blank line.
pub(super) fn parse(
    path: &Path,
    line: usize,
    offset: u64,
    raw: &[u8],
    fields: &JsonFields,
) -> Result<Option<Document>, RecordError> {
    let error = |message: String| RecordError::new(path, Some(line), message);
    let text = std::str::from_utf8(raw).map_err(|e| {
        error(format!(
            "invalid UTF-8 (byte offset {} in the file)",
            offset + e.valid_up_to() as u64
        ))
    })?;
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Ok(None);
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| error(format!("malformed JSON: {e}")))?;
    let Value::Object(object) = value else {
        return Err(error("expected a JSON object".into()));
    };
    let id = match object.get(&fields.id) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => {
            return Err(error(format!(
                "field `{}` is not a string or number",
                fields.id
            )))
        }
        None => return Err(error(format!("missing id field `{}`", fields.id))),
    };
    let text = match object.get(&fields.text) {
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(error(format!("field `{}` is not a string", fields.text)).with_id(id))
        }
        None => return Err(error(format!("missing text field `{}`", fields.text)).with_id(id)),
    };
    let title = match object.get(&fields.title) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    };
    Ok(Some(Document {
        id,
        title,
        text,
        source: Source {
            path: path.to_path_buf(),
            line: Some(line),
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(input: &str, fields: &JsonFields) -> Vec<Result<Document, RecordError>> {
        let config = ReadConfig {
            fields: fields.clone(),
            max_record_bytes: 1000,
            ..ReadConfig::default()
        };
        let reader = Box::new(std::io::Cursor::new(input.as_bytes().to_vec()));
        Reader::new("in.jsonl".into(), reader, &config).collect()
    }

    #[test]
    fn reads_records_with_custom_fields() {
        let fields = JsonFields {
            id: "key".into(),
            text: "body".into(),
            title: "headline".into(),
        };
        let docs: Vec<Document> = parse_all(
            "{\"key\": 7, \"body\": \"Isi.\", \"headline\": \"Judul\"}\n\n{\"key\":\"b\",\"body\":\"\"}\n",
            &fields,
        )
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "7");
        assert_eq!(docs[0].title.as_deref(), Some("Judul"));
        assert_eq!(docs[1].source.line, Some(3));
    }

    #[test]
    fn bad_lines_are_errors_naming_file_and_line_and_reading_goes_on() {
        let fields = JsonFields::default();
        let nest = format!("{}{}", "[".repeat(500), "]".repeat(500));
        let long = format!("{{\"id\":9,\"text\":\"{}\"}}", "x".repeat(2000));
        let input = format!(
            "{{\"id\":1,\"text\":\"a\"}}\n{{oops\n[1,2]\n{{\"text\":\"a\"}}\n{{\"id\":\"z\"}}\n{nest}\n{long}\n{{\"id\":2,\"text\":\"b\"}}\n"
        );
        let items = parse_all(&input, &fields);
        let shown: Vec<String> = items
            .iter()
            .map(|r| match r {
                Ok(doc) => format!("ok {}", doc.id),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(shown[0], "ok 1");
        assert!(
            shown[1].starts_with("in.jsonl:2: malformed JSON"),
            "{}",
            shown[1]
        );
        assert_eq!(shown[2], "in.jsonl:3: expected a JSON object");
        assert_eq!(shown[3], "in.jsonl:4: missing id field `id`");
        assert_eq!(shown[4], "in.jsonl:5: missing text field `text`");
        assert_eq!(
            items[4].as_ref().unwrap_err().record_id.as_deref(),
            Some("z")
        );
        assert!(
            shown[5].contains("recursion limit exceeded"),
            "{}",
            shown[5]
        );
        assert!(
            shown[6].starts_with(
                "in.jsonl:7: line of 2018 bytes is longer than the record limit of 1000"
            ),
            "{}",
            shown[6]
        );
        assert_eq!(shown[7], "ok 2");
        assert_eq!(items.len(), 8);
    }

    #[test]
    fn invalid_utf8_offset_counts_from_the_file_start() {
        let config = ReadConfig::default();
        let bytes = b"{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"\xff\"}\n".to_vec();
        let items: Vec<_> = Reader::new(
            "in.jsonl".into(),
            Box::new(std::io::Cursor::new(bytes)),
            &config,
        )
        .collect();
        assert_eq!(
            items[1].as_ref().unwrap_err().to_string(),
            "in.jsonl:2: invalid UTF-8 (byte offset 36 in the file)"
        );
    }
}
