//! Parquet: one article per row, the id, text, title and site columns named by the same
//! flags as the JSONL fields and CSV columns.
//!
//! A file is read a row group at a time, in batches of [`BATCH_ROWS`] rows, so memory
//! follows the largest row group's batch, not the file. Parquet needs to seek (its footer
//! says where every column is), so a stream (standard input, a FIFO) is first copied to a
//! temporary file. The record number in messages and `errors.csv` (`line`) is the 1-based
//! row number in the file.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ::parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use ::parquet::arrow::ProjectionMask;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, SchemaRef};

use super::arrow_values::{id_at, is_id, is_string, str_at, write_json};
use super::{Document, JsonFields, RawRecord, ReadConfig, Source};
use crate::error::RecordError;
use crate::Progress;

/// Rows decoded at a time: a few hundred articles, a few megabytes.
const BATCH_ROWS: usize = 256;

/// The magic bytes a Parquet file starts (and ends) with.
pub const MAGIC: &[u8; 4] = b"PAR1";

/// One row of a Parquet input, as read: what `clean.parquet` writes back with the cleaned
/// text (every other column unchanged, with its type) and `clean.jsonl` as one object.
#[derive(Debug, Clone)]
pub struct Row {
    /// The file's schema: every column, the text column included.
    pub schema: SchemaRef,
    /// The batch the row is in, without the text column (the text is the document's).
    pub batch: Arc<RecordBatch>,
    /// The row in `batch`.
    pub row: usize,
    /// The text column, in `schema`.
    pub text: usize,
    /// The id column, in `schema`.
    pub id: usize,
}

impl PartialEq for Row {
    fn eq(&self, other: &Self) -> bool {
        self.schema == other.schema
            && self.text == other.text
            && self.id == other.id
            && self.batch.slice(self.row, 1) == other.batch.slice(other.row, 1)
    }
}

impl Eq for Row {}

impl Row {
    /// The array of column `k` of the schema (not the text column) in [`Row::batch`].
    pub fn column(&self, k: usize) -> &ArrayRef {
        self.batch.column(if k < self.text { k } else { k - 1 })
    }

    /// Writes the row as one JSON object: every column in schema order under its name,
    /// `text` as the text column's value and `id` as the id's when it is not the value
    /// read (a repeated id renamed `id#2`); the values as [`write_json`] writes them.
    pub fn write_json(&self, id: &str, text: &str, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.push(b'{');
        for (k, field) in self.schema.fields().iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut *out, field.name())?;
            out.push(b':');
            if k == self.text {
                serde_json::to_writer(&mut *out, text)?;
                continue;
            }
            let array = self.column(k).as_ref();
            if k == self.id && id_at(array, self.row).as_deref() != Some(id) {
                serde_json::to_writer(&mut *out, id)?;
                continue;
            }
            write_json(array, self.row, out)?;
        }
        out.push(b'}');
        Ok(())
    }
}

/// Positions of the columns read, in the file's schema.
#[derive(Debug, Clone)]
struct Columns {
    id: usize,
    text: usize,
    title: Option<usize>,
    site: Option<usize>,
}

impl Columns {
    /// Finds the columns in `schema`; a missing id or text column, or one of a type that
    /// cannot be read, is the file's error. A title or site column that does not hold
    /// strings is not read, as a JSONL title that is not a string is not.
    fn find(schema: &SchemaRef, fields: &JsonFields) -> Result<Columns, String> {
        let names = || {
            let names: Vec<String> = schema
                .fields()
                .iter()
                .map(|f| f.name().to_string())
                .collect();
            names.join(", ")
        };
        let find = |name: &str| schema.fields().iter().position(|f| f.name() == name);
        let required = |name: &str, fits: fn(&DataType) -> bool, what: &str| {
            let k = find(name).ok_or_else(|| {
                format!(
                    "no column `{name}` in the schema ({}); the file is skipped",
                    names()
                )
            })?;
            let t = schema.field(k).data_type();
            if !fits(t) {
                return Err(format!(
                    "column `{name}` is of type {t}, not {what}; the file is skipped"
                ));
            }
            Ok(k)
        };
        let optional = |name: &str| find(name).filter(|&k| is_string(schema.field(k).data_type()));
        Ok(Columns {
            id: required(&fields.id, is_id, "a string or an integer")?,
            text: required(&fields.text, is_string, "a string")?,
            title: optional(&fields.title),
            site: optional(&fields.site),
        })
    }
}

/// The schema of the Parquet file at `path` (its footer, read alone), or why it cannot
/// be read.
pub(crate) fn schema_of(path: &Path) -> Result<SchemaRef, String> {
    let file = File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let meta = ArrowReaderMetadata::load(&file, ArrowReaderOptions::new())
        .map_err(|e| format!("not a readable Parquet file: {e}"))?;
    Ok(Arc::clone(meta.schema()))
}

/// A batch being handed out row by row, its columns read as text.
struct Batch {
    /// Row number (1-based) of its first row in the file.
    first_row: usize,
    rows: usize,
    next: usize,
    id: ArrayRef,
    text: ArrayRef,
    title: Option<ArrayRef>,
    site: Option<ArrayRef>,
    /// The other columns, when the records are kept.
    rest: Option<Arc<RecordBatch>>,
}

/// Streams the rows of one Parquet file.
pub(super) struct Reader {
    /// The input as given, for messages.
    path: PathBuf,
    file: File,
    meta: ArrowReaderMetadata,
    columns: Columns,
    /// Where the batches put the columns read (all of them when the records are kept).
    at: Columns,
    mask: Option<ProjectionMask>,
    fields: JsonFields,
    keep: bool,
    max_record_bytes: usize,
    progress: Progress,
    /// Bytes of the file not yet told to `progress`.
    untold: u64,
    /// The next row group to open.
    group: usize,
    /// Rows of the row groups before the one being read.
    rows_before: usize,
    /// Rows of the current row group decoded so far.
    read_in_group: usize,
    current: Option<ParquetRecordBatchReader>,
    batch: Option<Batch>,
    /// Keeps the temporary copy of a stream until the reader is done with it.
    _spool: Option<super::Spool>,
}

impl Reader {
    /// Opens `file` (`path` in messages): its footer and schema. An unreadable footer (not
    /// Parquet, a truncated file) or a missing or mistyped id or text column is the file's
    /// one error.
    pub(super) fn open(
        path: PathBuf,
        file: File,
        config: &ReadConfig,
        progress: Progress,
        spool: Option<super::Spool>,
    ) -> Result<Reader, RecordError> {
        let error = |message: String| RecordError::new(&path, None, message);
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let meta = ArrowReaderMetadata::load(&file, ArrowReaderOptions::new()).map_err(|e| {
            progress.read_bytes(size);
            error(format!(
                "not a readable Parquet file ({e}); the file is skipped"
            ))
        })?;
        let columns = Columns::find(meta.schema(), &config.fields).map_err(|message| {
            progress.read_bytes(size);
            error(message)
        })?;
        // Without the records, only the columns read are decoded, in schema order.
        let (at, mask) = if config.keep_records {
            (columns.clone(), None)
        } else {
            let mut wanted: Vec<usize> = [Some(columns.id), Some(columns.text)]
                .into_iter()
                .chain([columns.title, columns.site])
                .flatten()
                .collect();
            wanted.sort_unstable();
            wanted.dedup();
            let place = |k: usize| wanted.iter().position(|&w| w == k).unwrap_or(0);
            let at = Columns {
                id: place(columns.id),
                text: place(columns.text),
                title: columns.title.map(place),
                site: columns.site.map(place),
            };
            let mask = ProjectionMask::roots(meta.parquet_schema(), wanted.iter().copied());
            (at, Some(mask))
        };
        Ok(Reader {
            path,
            file,
            meta,
            columns,
            at,
            mask,
            fields: config.fields.clone(),
            keep: config.keep_records,
            max_record_bytes: config.max_record_bytes,
            progress,
            untold: size,
            group: 0,
            rows_before: 0,
            read_in_group: 0,
            current: None,
            batch: None,
            _spool: spool,
        })
    }

    fn error(&self, row: usize, message: String) -> RecordError {
        RecordError::new(&self.path, Some(row), message)
    }

    /// Tells the progress of `bytes` more read (no more than the file's size in all).
    fn tell(&mut self, bytes: u64) {
        let bytes = bytes.min(self.untold);
        self.untold -= bytes;
        self.progress.read_bytes(bytes);
    }

    /// Opens the next row group; `None` when there is none left.
    fn next_group(&mut self) -> Option<Result<(), RecordError>> {
        let groups = self.meta.metadata().num_row_groups();
        if self.group >= groups {
            let rest = self.untold;
            self.tell(rest);
            return None;
        }
        let g = self.group;
        self.group += 1;
        let first_row = self.rows_before + 1;
        let last = self.rows_before + self.group_rows(g);
        let built = self
            .file
            .try_clone()
            .map_err(|e| e.to_string())
            .and_then(|file| {
                let mut builder =
                    ParquetRecordBatchReaderBuilder::new_with_metadata(file, self.meta.clone())
                        .with_row_groups(vec![g])
                        .with_batch_size(BATCH_ROWS);
                if let Some(mask) = &self.mask {
                    builder = builder.with_projection(mask.clone());
                }
                builder.build().map_err(|e| e.to_string())
            });
        match built {
            Ok(reader) => {
                self.current = Some(reader);
                Some(Ok(()))
            }
            Err(e) => {
                self.end_group(g);
                Some(Err(self.group_error(g, first_row, last, &e)))
            }
        }
    }

    /// Done with row group `g`: its rows are counted, its bytes told.
    fn end_group(&mut self, g: usize) {
        self.rows_before += self.group_rows(g);
        let bytes = u64::try_from(self.meta.metadata().row_group(g).compressed_size()).unwrap_or(0);
        self.tell(bytes);
        self.current = None;
        self.batch = None;
        self.read_in_group = 0;
    }

    /// Rows in row group `g`.
    fn group_rows(&self, g: usize) -> usize {
        usize::try_from(self.meta.metadata().row_group(g).num_rows()).unwrap_or(0)
    }

    /// The error of row group `g` that cannot be read from row `from` on (to row `last`,
    /// its last): those rows are skipped, as one error.
    fn group_error(&self, g: usize, from: usize, last: usize, e: &str) -> RecordError {
        self.error(
            from,
            format!(
                "cannot read row group {} (rows {from} to {last}): {e}; those rows are skipped",
                g + 1
            ),
        )
    }

    /// Takes the id, text, title and site columns of `batch` (their types were checked
    /// when the file was opened), and the others when the records are kept.
    fn read_batch(&self, batch: RecordBatch, first_row: usize) -> Batch {
        let column = |k: usize| std::sync::Arc::clone(batch.column(k));
        let rest = self.keep.then(|| {
            let mut rest = batch.clone();
            rest.remove_column(self.at.text);
            Arc::new(rest)
        });
        Batch {
            first_row,
            rows: batch.num_rows(),
            next: 0,
            id: column(self.at.id),
            text: column(self.at.text),
            title: self.at.title.map(column),
            site: self.at.site.map(column),
            rest,
        }
    }

    /// The document of the next row of the current batch.
    fn document(&self, batch: &Batch, r: usize) -> Result<Document, RecordError> {
        let row = batch.first_row + r;
        let error = |message: String| self.error(row, message);
        let nul = |name: &str| format!("binary data (NUL character in column `{name}`)");
        let id = id_at(batch.id.as_ref(), r)
            .ok_or_else(|| error(format!("null in the id column `{}`", self.fields.id)))?;
        if id.contains('\0') {
            return Err(error(nul(&self.fields.id)));
        }
        let with_id = |e: RecordError| e.with_id(id.as_str());
        let text = str_at(batch.text.as_ref(), r).ok_or_else(|| {
            with_id(error(format!(
                "null in the text column `{}`",
                self.fields.text
            )))
        })?;
        if text.len() > self.max_record_bytes {
            return Err(with_id(error(format!(
                "text of {} bytes is longer than the record limit of {} bytes (--max-record-bytes)",
                text.len(),
                self.max_record_bytes
            ))));
        }
        if text.contains('\0') {
            return Err(with_id(error(nul(&self.fields.text))));
        }
        let optional = |array: &Option<ArrayRef>, name: &str| match array
            .as_ref()
            .and_then(|a| str_at(a.as_ref(), r))
            .map(str::trim)
        {
            Some(s) if s.contains('\0') => Err(with_id(error(nul(name)))),
            Some(s) if !s.is_empty() => Ok(Some(s.to_owned())),
            _ => Ok(None),
        };
        let title = optional(&batch.title, &self.fields.title)?;
        let site = optional(&batch.site, &self.fields.site)?;
        let raw = batch.rest.as_ref().map(|rest| {
            Box::new(RawRecord::Parquet(Row {
                schema: Arc::clone(self.meta.schema()),
                batch: Arc::clone(rest),
                row: r,
                text: self.columns.text,
                id: self.columns.id,
            }))
        });
        Ok(Document {
            id,
            title,
            site,
            text: text.to_owned(),
            source: Source {
                path: self.path.clone(),
                line: Some(row),
            },
            raw,
        })
    }
}

impl Iterator for Reader {
    type Item = Result<Document, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(batch) = &mut self.batch {
                if batch.next < batch.rows {
                    let r = batch.next;
                    batch.next += 1;
                    let batch = self.batch.as_ref()?;
                    return Some(self.document(batch, r));
                }
                self.batch = None;
            }
            let Some(current) = &mut self.current else {
                match self.next_group()? {
                    Ok(()) => continue,
                    Err(e) => return Some(Err(e)),
                }
            };
            let g = self.group - 1;
            let first_row = self.rows_before + self.read_in_group + 1;
            match current.next() {
                Some(Ok(batch)) => {
                    self.read_in_group += batch.num_rows();
                    self.batch = Some(self.read_batch(batch, first_row));
                }
                Some(Err(e)) => {
                    let last = self.rows_before + self.group_rows(g);
                    self.end_group(g);
                    return Some(Err(self.group_error(g, first_row, last, &e.to_string())));
                }
                None => self.end_group(g),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{read_inputs, Corpus, OnError};
    use ::parquet::arrow::ArrowWriter;
    use ::parquet::file::properties::WriterProperties;
    use arrow_array::{Array, BooleanArray, Date32Array, DictionaryArray, Int64Array, StringArray};
    use arrow_schema::{Field, Schema};
    use std::path::Path;

    /// Writes `batch` to `path` in row groups of `group` rows.
    fn write(path: &Path, batch: &RecordBatch, group: usize) {
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(group))
            .build();
        let file = File::create(path).unwrap();
        let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
        writer.write(batch).unwrap();
        writer.close().unwrap();
    }

    /// Five rows: an integer id, a dictionary-encoded text, a nullable title, a date and a
    /// flag.
    fn sample() -> RecordBatch {
        let texts: DictionaryArray<arrow_array::types::Int32Type> =
            ["Satu.", "Dua.", "Satu.", "Tiga.", "Empat."]
                .into_iter()
                .collect();
        let schema = Schema::new(vec![
            Field::new("id", DataType::Int64, false),
            Field::new("text", texts.data_type().clone(), false),
            Field::new("title", DataType::Utf8, true),
            Field::new("day", DataType::Date32, true),
            Field::new("ok", DataType::Boolean, true),
        ]);
        RecordBatch::try_new(
            Arc::new(schema),
            vec![
                Arc::new(Int64Array::from(vec![7, 8, 9, 10, 12345678901234])),
                Arc::new(texts),
                Arc::new(StringArray::from(vec![
                    Some(" Judul "),
                    None,
                    Some(""),
                    Some("T"),
                    None,
                ])),
                Arc::new(Date32Array::from(vec![
                    Some(20089),
                    None,
                    Some(0),
                    None,
                    None,
                ])),
                Arc::new(BooleanArray::from(vec![
                    Some(true),
                    None,
                    Some(false),
                    None,
                    None,
                ])),
            ],
        )
        .unwrap()
    }

    #[test]
    fn rows_of_every_row_group_are_read_in_order_with_their_row_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.parquet");
        write(&path, &sample(), 2);
        let read = read_inputs(
            std::slice::from_ref(&path),
            &ReadConfig::default(),
            OnError::Skip,
        )
        .unwrap();
        assert!(read.skipped.is_empty(), "{:?}", read.skipped);
        let got: Vec<(String, String, Option<String>, Option<usize>)> = read
            .docs
            .iter()
            .map(|d| (d.id.clone(), d.text.clone(), d.title.clone(), d.source.line))
            .collect();
        let want = [
            ("7", "Satu.", Some("Judul"), 1),
            ("8", "Dua.", None, 2),
            ("9", "Satu.", None, 3),
            ("10", "Tiga.", Some("T"), 4),
            ("12345678901234", "Empat.", None, 5),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(i, t, h, l)| (i.to_string(), t.to_string(), h.map(String::from), Some(*l)))
            .collect();
        assert_eq!(got, want);
        // The record as read: every column with its value, the text and a renamed id
        // replaced.
        let mut json = Vec::new();
        read.docs[0]
            .raw
            .as_ref()
            .unwrap()
            .write_json("7", "T", &mut json)
            .unwrap();
        assert_eq!(
            String::from_utf8(json).unwrap(),
            r#"{"id":7,"text":"T","title":" Judul ","day":"2025-01-01","ok":true}"#
        );
        let mut json = Vec::new();
        read.docs[1]
            .raw
            .as_ref()
            .unwrap()
            .write_json("8#2", "", &mut json)
            .unwrap();
        assert_eq!(
            String::from_utf8(json).unwrap(),
            r#"{"id":"8#2","text":"","title":null,"day":null,"ok":null}"#
        );
    }

    #[test]
    fn compressed_pages_are_read() {
        use ::parquet::basic::{Compression, GzipLevel, ZstdLevel};
        let dir = tempfile::tempdir().unwrap();
        for (name, compression) in [
            ("snappy", Compression::SNAPPY),
            ("gzip", Compression::GZIP(GzipLevel::default())),
            ("zstd", Compression::ZSTD(ZstdLevel::default())),
            ("lz4", Compression::LZ4_RAW),
        ] {
            let path = dir.path().join(format!("{name}.parquet"));
            let props = WriterProperties::builder()
                .set_compression(compression)
                .build();
            let batch = sample();
            let file = File::create(&path).unwrap();
            let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
            writer.write(&batch).unwrap();
            writer.close().unwrap();
            let read = read_inputs(
                std::slice::from_ref(&path),
                &ReadConfig::default(),
                OnError::Skip,
            )
            .unwrap();
            assert!(read.skipped.is_empty(), "{name}: {:?}", read.skipped);
            let texts: Vec<&str> = read.docs.iter().map(|d| d.text.as_str()).collect();
            assert_eq!(
                texts,
                ["Satu.", "Dua.", "Satu.", "Tiga.", "Empat."],
                "{name}"
            );
        }
    }

    #[test]
    fn texts_only_reads_the_same_documents_without_the_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.parquet");
        write(&path, &sample(), 3);
        let corpus = Corpus::open(&[path], ReadConfig::default()).unwrap();
        let full: Vec<Document> = corpus.records().map(|r| r.unwrap()).collect();
        let texts: Vec<Document> = corpus.texts_only().records().map(|r| r.unwrap()).collect();
        assert!(full.iter().all(|d| d.raw.is_some()));
        assert!(texts.iter().all(|d| d.raw.is_none()));
        let strip = |docs: Vec<Document>| -> Vec<Document> {
            docs.into_iter()
                .map(|d| Document { raw: None, ..d })
                .collect()
        };
        assert_eq!(strip(full), texts);
        let (schema, text, id) = corpus.parquet_schema().unwrap();
        assert_eq!((schema.fields().len(), text, id), (5, 1, 0));
    }

    fn errors(path: &Path, config: &ReadConfig) -> Vec<String> {
        let corpus = Corpus::open(&[path.to_path_buf()], config.clone()).unwrap();
        corpus
            .records()
            .filter_map(|r| r.err())
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn bad_files_and_rows_are_errors_naming_the_file_and_row() {
        let dir = tempfile::tempdir().unwrap();
        let config = ReadConfig::default();
        let path = dir.path().join("bad.parquet");
        std::fs::write(&path, b"PAR1 not really").unwrap();
        let shown = path.display();
        let e = errors(&path, &config);
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with(&format!("{shown}: not a readable Parquet file")),
            "{e:?}"
        );
        // A truncated file: its footer is gone.
        let good = dir.path().join("good.parquet");
        write(&good, &sample(), 2);
        let bytes = std::fs::read(&good).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 10]).unwrap();
        assert!(errors(&path, &config)[0].contains("not a readable Parquet file"));
        // No text column; a text column of numbers.
        let fields = |text: &str| ReadConfig {
            fields: JsonFields {
                text: text.into(),
                ..JsonFields::default()
            },
            ..ReadConfig::default()
        };
        assert_eq!(
            errors(&good, &fields("body")),
            [format!(
                "{}: no column `body` in the schema (id, text, title, day, ok); the file is skipped",
                good.display()
            )]
        );
        assert_eq!(
            errors(&good, &fields("day")),
            [format!(
                "{}: column `day` is of type Date32, not a string; the file is skipped",
                good.display()
            )]
        );
        // A null text and a NUL in one: those rows are errors with their ids, the others read.
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, true),
            Field::new("text", DataType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from(vec![
                    Some("a"),
                    Some("b"),
                    Some("c"),
                    None,
                ])),
                Arc::new(StringArray::from(vec![
                    Some("ok"),
                    None,
                    Some("x\0y"),
                    Some("z"),
                ])),
            ],
        )
        .unwrap();
        let nulls = dir.path().join("nulls.parquet");
        write(&nulls, &batch, 3);
        let read = read_inputs(std::slice::from_ref(&nulls), &config, OnError::Skip).unwrap();
        assert_eq!(read.docs.len(), 1);
        let shown: Vec<(String, Option<String>)> = read
            .skipped
            .iter()
            .map(|e| (e.to_string(), e.record_id.clone()))
            .collect();
        let at = nulls.display();
        assert_eq!(
            shown,
            [
                (
                    format!("{at}:2: null in the text column `text`"),
                    Some("b".into())
                ),
                (
                    format!("{at}:3: binary data (NUL character in column `text`)"),
                    Some("c".into())
                ),
                (format!("{at}:4: null in the id column `id`"), None),
            ]
        );
        // The record limit applies to the text.
        let small = ReadConfig {
            max_record_bytes: 5,
            ..ReadConfig::default()
        };
        let e = errors(&good, &small);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains(":5: text of 6 bytes is longer than the record limit of 5 bytes"),
            "{e:?}"
        );
    }

    #[test]
    fn a_parquet_stream_is_read_through_a_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.parquet");
        write(&path, &sample(), 2);
        let bytes = std::fs::read(&path).unwrap();
        let docs: Vec<Document> = crate::corpus::read_stream(
            Path::new("<stdin>"),
            Box::new(std::io::Cursor::new(bytes)),
            None,
            &ReadConfig::default(),
        )
        .map(|r| r.unwrap())
        .collect();
        assert_eq!(docs.len(), 5);
        assert_eq!(docs[4].id, "12345678901234");
    }
}
