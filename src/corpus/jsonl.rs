//! JSON Lines: one article object per line, read line by line.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::io::BufRead;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::source::{append_line, read_line, Line};
use super::{Document, RawRecord, ReadConfig, Source};
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
    /// Optional field with the site the article comes from (templates of furniture are
    /// learned per site).
    pub site: String,
}

impl Default for JsonFields {
    fn default() -> Self {
        JsonFields {
            id: "id".into(),
            text: "text".into(),
            title: "title".into(),
            site: "source".into(),
        }
    }
}

/// Streams the records of one JSONL input; blank lines are skipped.
pub(super) struct Reader {
    path: PathBuf,
    reader: Box<dyn BufRead>,
    fields: JsonFields,
    /// Keep the record as read ([`Document::raw`]).
    keep: bool,
    cap: usize,
    /// Lines read so far.
    line: usize,
    /// Byte offset of the next line.
    offset: u64,
    buf: Vec<u8>,
    done: bool,
    /// Parse a batch of lines at a time, in parallel (see [`Reader::parallel`]).
    parallel: bool,
    /// Records of the current batch not yet returned, in order.
    ahead: VecDeque<Result<Document, RecordError>>,
    /// The lines read while the current batch was parsed.
    next_batch: Option<Batch>,
    /// The buffer of the batch parsed last, for the next one.
    spare: Vec<u8>,
}

/// A parallel batch ends after this many lines or bytes (and its last line): enough work
/// to share among threads, little memory.
const BATCH_LINES: usize = 1024;
const BATCH_BYTES: usize = 1 << 20;

/// Lines read, to be parsed.
#[derive(Default)]
struct Batch {
    /// The lines' bytes, one after another.
    bytes: Vec<u8>,
    lines: Vec<Pending>,
}

/// A line of a [`Batch`], as read: its number, byte offset and bytes in the batch, or the
/// error it already is.
enum Pending {
    Line(usize, u64, Range<usize>),
    Error(RecordError),
}

impl Batch {
    /// The records of the lines, in order (`None` for a blank line), parsed in parallel.
    fn parse(
        &mut self,
        path: &Path,
        fields: &JsonFields,
        keep: bool,
    ) -> Vec<Option<Result<Document, RecordError>>> {
        let bytes = &self.bytes;
        std::mem::take(&mut self.lines)
            .into_par_iter()
            .map(|line| match line {
                Pending::Line(line, offset, range) => {
                    parse(path, line, offset, &bytes[range], fields, keep).transpose()
                }
                Pending::Error(e) => Some(Err(e)),
            })
            .collect()
    }
}

impl Reader {
    pub(super) fn new(path: PathBuf, reader: Box<dyn BufRead>, config: &ReadConfig) -> Self {
        Reader {
            path,
            reader,
            fields: config.fields.clone(),
            keep: config.keep_records,
            cap: config.max_record_bytes,
            line: 0,
            offset: 0,
            buf: Vec::new(),
            done: false,
            parallel: false,
            ahead: VecDeque::new(),
            next_batch: None,
            spare: Vec::new(),
        }
    }

    /// Reads batches of lines and parses each batch's lines in parallel (on the current
    /// rayon pool) while reading the next; the records and errors come out as when reading
    /// line by line. Parsing is most of the reading time; memory grows by two batches.
    pub(super) fn parallel(mut self) -> Self {
        self.parallel = true;
        self
    }

    /// Parses the next batch into `ahead` while reading the one after it.
    fn read_batch(&mut self) {
        let mut batch = match self.next_batch.take() {
            Some(batch) => batch,
            None => self.read_lines(),
        };
        let (path, fields, keep) = (self.path.clone(), self.fields.clone(), self.keep);
        let mut parsed = Vec::new();
        // The current thread reads on while the pool parses (the reader need not be `Send`).
        rayon::in_place_scope(|scope| {
            scope.spawn(|_| parsed = batch.parse(&path, &fields, keep));
            if !self.done {
                self.next_batch = Some(self.read_lines());
            }
        });
        self.ahead.extend(parsed.into_iter().flatten());
        // Its memory is reused: fresh memory costs a page fault per page.
        batch.bytes.clear();
        self.spare = batch.bytes;
    }

    /// Reads a batch of lines.
    fn read_lines(&mut self) -> Batch {
        let mut batch = Batch {
            bytes: std::mem::take(&mut self.spare),
            lines: Vec::new(),
        };
        while batch.lines.len() < BATCH_LINES && batch.bytes.len() < BATCH_BYTES {
            let at = batch.bytes.len();
            let status = match append_line(&mut *self.reader, &mut batch.bytes, self.cap) {
                Ok(Some(status)) => status,
                Ok(None) => {
                    self.done = true;
                    break;
                }
                Err(e) => {
                    self.done = true;
                    batch.lines.push(Pending::Error(self.cannot_read(e)));
                    break;
                }
            };
            self.line += 1;
            let start = self.offset;
            self.offset += (batch.bytes.len() - at) as u64 + 1;
            if let Line::TooLong(n) = status {
                self.offset = start + n + 1;
                batch.lines.push(Pending::Error(self.too_long(n)));
                continue;
            }
            let line = Pending::Line(self.line, start, at..batch.bytes.len());
            batch.lines.push(line);
        }
        batch
    }

    /// The error for a failed read: nothing after it can be trusted (a truncated or
    /// corrupt compressed stream, a limit).
    fn cannot_read(&self, e: std::io::Error) -> RecordError {
        RecordError::new(
            &self.path,
            Some(self.line + 1),
            format!("cannot read: {e}; the rest of the file is skipped"),
        )
    }

    /// The error for a line of `n` bytes, over the record limit.
    fn too_long(&self, n: u64) -> RecordError {
        RecordError::new(
            &self.path,
            Some(self.line),
            format!(
                "line of {n} bytes is longer than the record limit of {} bytes (--max-record-bytes)",
                self.cap
            ),
        )
    }
}

impl Iterator for Reader {
    type Item = Result<Document, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.parallel {
            while self.ahead.is_empty() && (!self.done || self.next_batch.is_some()) {
                self.read_batch();
            }
            return self.ahead.pop_front();
        }
        while !self.done {
            let status = match read_line(&mut *self.reader, &mut self.buf, self.cap) {
                Ok(Some(status)) => status,
                Ok(None) => break,
                Err(e) => {
                    self.done = true;
                    return Some(Err(self.cannot_read(e)));
                }
            };
            self.line += 1;
            let start = self.offset;
            self.offset += self.buf.len() as u64 + 1;
            if let Line::TooLong(n) = status {
                self.offset = start + n + 1;
                return Some(Err(self.too_long(n)));
            }
            match parse(
                &self.path,
                self.line,
                start,
                &self.buf,
                &self.fields,
                self.keep,
            ) {
                Ok(Some(doc)) => return Some(Ok(doc)),
                Ok(None) => continue,
                Err(e) => return Some(Err(e)),
            }
        }
        self.done = true;
        None
    }
}

/// Parses one line (starting at byte `offset`); `None` for a blank line. With `keep`, the
/// document holds the record as read ([`Document::raw`]).
///
/// A numeric id is kept as written (`12345678901234567890123`, `1e3`), never through a
/// float. A NUL character (`\u0000`) in the id, text or title makes the record an error,
/// as a NUL byte does a text file.
pub(super) fn parse(
    path: &Path,
    line: usize,
    offset: u64,
    raw: &[u8],
    fields: &JsonFields,
    keep: bool,
) -> Result<Option<Document>, RecordError> {
    let error = |message: String| RecordError::new(path, Some(line), message);
    let text = std::str::from_utf8(raw).map_err(|e| {
        error(format!(
            "invalid UTF-8 (byte offset {} in the file)",
            offset + e.valid_up_to() as u64
        ))
    })?;
    let text = text.trim_matches(super::source::is_blank);
    if text.is_empty() {
        return Ok(None);
    }
    // Read only the three fields, borrowing their strings and skipping the rest without
    // building it. A line that is not an object, or not JSON, is parsed again as a
    // `Value`, only for the message.
    let record = match read_fields(text, fields) {
        Ok(record) => record,
        Err(e) => {
            let message = match serde_json::from_str::<Value>(text) {
                Err(e) => format!("malformed JSON: {e}"),
                Ok(Value::Object(_)) => format!("malformed JSON: {e}"),
                Ok(_) => "expected a JSON object".into(),
            };
            return Err(error(message));
        }
    };
    let id = match record.id.map(id_text) {
        Some(Some(id)) => id,
        Some(None) => {
            return Err(error(format!(
                "field `{}` is not a string or number",
                fields.id
            )))
        }
        None => return Err(error(format!("missing id field `{}`", fields.id))),
    };
    let nul = |field: &str| error(format!("binary data (NUL character in field `{field}`)"));
    // Only a string with escapes can hold a NUL (JSON forbids raw control characters).
    let has_nul =
        |s: &Cow<str>| matches!(s, Cow::Owned(_)) && memchr::memchr(0, s.as_bytes()).is_some();
    if has_nul(&id) {
        return Err(nul(&fields.id));
    }
    let (body, text_at) = match record.text.map(|raw| (string_text(raw), raw)) {
        Some((Some(s), raw)) => (s, span_in(text, raw)),
        Some((None, _)) => {
            // Read raw, the value was not held to the nesting limit of a `Value`: one
            // too deep is malformed JSON, as it is in any other field.
            if let Err(e) = serde_json::from_str::<Value>(text) {
                return Err(error(format!("malformed JSON: {e}")));
            }
            return Err(error(format!("field `{}` is not a string", fields.text)).with_id(id));
        }
        None => return Err(error(format!("missing text field `{}`", fields.text)).with_id(id)),
    };
    if has_nul(&body) {
        return Err(nul(&fields.text).with_id(id));
    }
    let title = match record.title {
        Some(FieldValue::Str(s)) if has_nul(&s) => return Err(nul(&fields.title).with_id(id)),
        Some(FieldValue::Str(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    };
    let site = match record.site {
        Some(FieldValue::Str(s)) => non_empty(&s),
        _ => None,
    };
    let raw = keep.then(|| {
        // The line less the text's value: the rest of the record, written back around the
        // cleaned text.
        let mut rest = String::with_capacity(text.len() - text_at.len());
        rest.push_str(&text[..text_at.start]);
        rest.push_str(&text[text_at.end..]);
        let id_at = record.id.map(|raw| span_in(text, raw)).and_then(|r| {
            if r.end <= text_at.start {
                Some(r)
            } else if r.start >= text_at.end {
                Some(r.start - text_at.len()..r.end - text_at.len())
            } else {
                None
            }
        });
        Box::new(RawRecord::Json {
            rest: rest.into_boxed_str(),
            text_at: text_at.start,
            id: id_at,
        })
    });
    Ok(Some(Document {
        id: id.into_owned(),
        title,
        site,
        text: body.into_owned(),
        source: Source {
            path: path.to_path_buf(),
            line: Some(line),
        },
        raw,
    }))
}

/// The byte range of `raw`, a value borrowed from `line`, in `line`.
fn span_in(line: &str, raw: &RawValue) -> Range<usize> {
    let start = (raw.get().as_ptr() as usize).saturating_sub(line.as_ptr() as usize);
    start..start + raw.get().len()
}

/// The text of a raw JSON string, borrowed when it has no escapes; `None` for any other
/// type.
fn string_text(raw: &RawValue) -> Option<Cow<'_, str>> {
    let json = raw.get();
    if !json.starts_with('"') {
        return None;
    }
    let inner = &json[1..json.len() - 1];
    if memchr::memchr(b'\\', inner.as_bytes()).is_none() {
        Some(Cow::Borrowed(inner))
    } else {
        serde_json::from_str::<String>(json).ok().map(Cow::Owned)
    }
}

/// The id a raw JSON value written as `json` gives (see [`id_text`]).
pub(super) fn id_text_of(json: &str) -> Option<Cow<'_, str>> {
    match json.as_bytes().first()? {
        b'"' => string_text(serde_json::from_str::<&RawValue>(json).ok()?),
        b'-' | b'0'..=b'9' => Some(Cow::Borrowed(json)),
        _ => None,
    }
}

/// The id a raw JSON value gives: a string's text, or a number as written; `None` for
/// any other type.
fn id_text(raw: &RawValue) -> Option<Cow<'_, str>> {
    let json = raw.get();
    match json.as_bytes().first()? {
        b'"' => string_text(raw),
        b'-' | b'0'..=b'9' => Some(Cow::Borrowed(json)),
        _ => None,
    }
}

/// The id, text and title fields of a record: the id as raw JSON (a number keeps its
/// digits), the others as strings or not.
#[derive(Default)]
struct Record<'a> {
    id: Option<&'a RawValue>,
    /// As raw JSON, to cut it out of the line.
    text: Option<&'a RawValue>,
    title: Option<FieldValue<'a>>,
    site: Option<FieldValue<'a>>,
}

/// A trimmed field, unless empty.
fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// A field's value: a string (borrowed from the line when it has no escapes), or another type.
enum FieldValue<'a> {
    Str(Cow<'a, str>),
    Other,
}

/// Reads the fields named in `fields` from one JSON object; errors when `line` is not an
/// object or not valid JSON (the same nesting limit applies as when reading a `Value`).
fn read_fields<'a>(line: &'a str, fields: &JsonFields) -> serde_json::Result<Record<'a>> {
    let mut de = serde_json::Deserializer::from_str(line);
    let record = RecordSeed(fields).deserialize(&mut de)?;
    de.end()?;
    Ok(record)
}

struct RecordSeed<'f>(&'f JsonFields);

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Record<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Record<'de>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = Record<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record<'de>, A::Error> {
        let mut record = Record::default();
        // As in a `Value`, a repeated key keeps its last value.
        while let Some(key) = map.next_key::<StrValue<'de>>()? {
            let slot = if key.0 == self.0.id {
                record.id = Some(map.next_value::<&'de RawValue>()?);
                continue;
            } else if key.0 == self.0.text {
                record.text = Some(map.next_value::<&'de RawValue>()?);
                continue;
            } else if key.0 == self.0.title {
                &mut record.title
            } else if key.0 == self.0.site {
                &mut record.site
            } else {
                map.next_value::<Skip>()?;
                continue;
            };
            *slot = Some(map.next_value::<FieldValue<'de>>()?);
        }
        Ok(record)
    }
}

/// A string, borrowed when possible.
struct StrValue<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for StrValue<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match FieldValue::deserialize(deserializer)? {
            FieldValue::Str(s) => Ok(StrValue(s)),
            FieldValue::Other => Err(de::Error::custom("expected a string")),
        }
    }
}

impl<'de> Deserialize<'de> for FieldValue<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FieldValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(FieldValue::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FieldValue::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(FieldValue::Str(Cow::Owned(v)))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(FieldValue::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(FieldValue::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(FieldValue::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(FieldValue::Other)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(FieldValue::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<Skip>()?.is_some() {}
                Ok(FieldValue::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<Skip, Skip>()?.is_some() {}
                Ok(FieldValue::Other)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Any JSON value, parsed and dropped (through `deserialize_any`, so nesting is limited as
/// for a `Value`), without keeping any of it: no string is copied out.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Skip;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_unit<E>(self) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
                while seq.next_element::<Skip>()?.is_some() {}
                Ok(Skip)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
                while map.next_entry::<Skip, Skip>()?.is_some() {}
                Ok(Skip)
            }
        }
        deserializer.deserialize_any(V)
    }
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
            site: "site".into(),
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
    fn parallel_batches_read_like_lines_one_by_one() {
        let config = ReadConfig {
            max_record_bytes: 1000,
            ..ReadConfig::default()
        };
        // Enough lines for several batches, with every kind of line among them.
        let mut bytes = Vec::new();
        for k in 0..700 {
            let line: Vec<u8> = match k % 7 {
                0 => format!("{{\"id\":{k},\"text\":\"Isi {k}.\"}}").into(),
                1 => b"   ".to_vec(),
                2 => b"{oops".to_vec(),
                3 => format!("{{\"id\":\"{k}\",\"text\":\"{}\"}}", "x".repeat(k * 2)).into(),
                4 => b"{\"id\":1,\"text\":\"\xff\"}".to_vec(),
                5 => format!("{{\"id\":\"{k}\"}}").into(),
                _ => format!("{{\"id\":\"{k}\",\"text\":\"a\\nb\",\"title\":\" T \"}}").into(),
            };
            bytes.extend(line);
            bytes.push(b'\n');
        }
        let read = |parallel: bool| {
            let reader = Reader::new(
                "in.jsonl".into(),
                Box::new(std::io::Cursor::new(bytes.clone())),
                &config,
            );
            let reader = if parallel { reader.parallel() } else { reader };
            format!("{:?}", reader.collect::<Vec<_>>())
        };
        assert_eq!(read(true), read(false));
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

    #[test]
    fn fast_path_reads_like_a_value() {
        let fields = JsonFields::default();
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let input = format!(
            "{{\"id\":\"a\",\"id\":\"b\",\"x\":{{\"y\":[1,2.5,null,true]}},\"text\":\"l1\\n\\u00e9\",\"title\":\"  T \"}}\n\
             {{\"id\":\"c\",\"text\":\"t\",\"title\":[1]}}\n\
             {{\"id\":\"d\",\"text\":\"t\",\"skip\":{deep}}}\n"
        );
        let items = parse_all(&input, &fields);
        let doc = items[0].as_ref().unwrap();
        assert_eq!((doc.id.as_str(), doc.text.as_str()), ("b", "l1\né"));
        assert_eq!(doc.title.as_deref(), Some("T"));
        assert_eq!(items[1].as_ref().unwrap().title, None);
        // Too deep for a `Value`, so too deep for the fast path too.
        assert!(items[2]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("recursion limit"));
    }
}
