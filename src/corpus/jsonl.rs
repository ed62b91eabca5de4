//! JSON Lines: one article object per line.

use std::path::Path;

use serde_json::Value;

use super::{Document, Source};
use crate::error::{Error, Result};

/// Names of the JSON fields that hold an article's id, text and title.
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

/// Appends the articles of one JSONL file to `docs`; blank lines are skipped.
pub(super) fn read(
    path: &Path,
    bytes: &[u8],
    fields: &JsonFields,
    docs: &mut Vec<Document>,
) -> Result<()> {
    let mut offset = 0;
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = index + 1;
        let text = std::str::from_utf8(raw).map_err(|e| Error::InvalidUtf8 {
            path: path.to_path_buf(),
            line,
            offset: offset + e.valid_up_to(),
        })?;
        offset += raw.len() + 1;
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.is_empty() {
            continue;
        }
        let record = |message: String| Error::Record {
            path: path.to_path_buf(),
            line,
            message,
        };
        let value: Value =
            serde_json::from_str(text).map_err(|e| record(format!("malformed JSON: {e}")))?;
        let Value::Object(object) = value else {
            return Err(record("expected a JSON object".into()));
        };
        let id = match object.get(&fields.id) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(_) => {
                return Err(record(format!(
                    "field `{}` is not a string or number",
                    fields.id
                )))
            }
            None => return Err(record(format!("missing id field `{}`", fields.id))),
        };
        let text = match object.get(&fields.text) {
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(record(format!("field `{}` is not a string", fields.text))),
            None => return Err(record(format!("missing text field `{}`", fields.text))),
        };
        let title = match object.get(&fields.title) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            _ => None,
        };
        docs.push(Document {
            id,
            title,
            text,
            source: Source {
                path: path.to_path_buf(),
                line: Some(line),
            },
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(input: &str, fields: &JsonFields) -> Result<Vec<Document>> {
        let mut docs = Vec::new();
        read(Path::new("in.jsonl"), input.as_bytes(), fields, &mut docs)?;
        Ok(docs)
    }

    #[test]
    fn reads_records_with_custom_fields() {
        let fields = JsonFields {
            id: "key".into(),
            text: "body".into(),
            title: "headline".into(),
        };
        let docs = parse(
            "{\"key\": 7, \"body\": \"Isi.\", \"headline\": \"Judul\"}\n\n{\"key\":\"b\",\"body\":\"\"}\n",
            &fields,
        )
        .unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "7");
        assert_eq!(docs[0].title.as_deref(), Some("Judul"));
        assert_eq!(docs[1].source.line, Some(3));
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let fields = JsonFields::default();
        let err = parse("{\"id\":1,\"text\":\"a\"}\n{oops\n", &fields).unwrap_err();
        assert!(
            err.to_string().starts_with("in.jsonl:2: malformed JSON"),
            "{err}"
        );
        let err = parse("[1,2]\n", &fields).unwrap_err();
        assert_eq!(err.to_string(), "in.jsonl:1: expected a JSON object");
        let err = parse("{\"text\":\"a\"}\n", &fields).unwrap_err();
        assert_eq!(err.to_string(), "in.jsonl:1: missing id field `id`");
    }
}
