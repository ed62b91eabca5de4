//! Writing Parquet (`--format parquet`): the tables, with the columns and values of their
//! JSONL form (counts and numbers as 64-bit integers, everything else strings, empty cells
//! null), and `clean.parquet`, the cleaned records.
//!
//! `clean.parquet` keeps the input's schema when every record comes from Parquet files of
//! one schema: every column with its type, in order, only the text column's values
//! replaced (and a string id renamed `id#2` for a repeated id). Other inputs (JSON Lines,
//! CSV, text, or Parquet files of different schemas) get four string columns: `id`,
//! `title`, `text` and `record`, the record as read with every field, as one JSON object
//! whose text field is empty (null for a text file, which has no other fields).
//!
//! The bytes depend only on the rows written: rows are gathered into batches of a fixed
//! number of rows (or bytes) whatever the callers' batches, and nothing in the file says
//! when or on how many threads it was written.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::Compression;
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::WriterProperties;
use arrow_array::builder::Int64Builder;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::corpus::parquet::Row;
use crate::error::{Error, Result};

/// Rows gathered before they are handed to the writer as one batch.
const BATCH_ROWS: usize = 4096;
/// Bytes of text gathered before they are.
const BATCH_BYTES: usize = 8 << 20;
/// A row group is closed once its data in memory passes this size (or it has
/// [`GROUP_ROWS`] rows), so writing holds a bounded amount however long the table.
const GROUP_BYTES: usize = 64 << 20;
/// Most rows of one row group.
const GROUP_ROWS: usize = 128 * 1024;

/// Columns of the tables that hold numbers (JSON numbers in the JSONL tables).
const NUMBER_COLUMNS: &[&str] = &[
    "n_sentences",
    "paragraph",
    "duplicate_of_paragraph",
    "chars",
    "para_a",
    "para_b",
    "line",
    "paragraphs_in",
    "paragraphs_kept",
    "bytes_in",
    "bytes_out",
];

/// The writer's settings: Snappy pages (what most tools write and every reader reads).
fn properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(GROUP_ROWS))
        .build()
}

/// An error of the Parquet writer at `path`; an I/O error keeps its kind (a closed pipe).
pub(crate) fn error(path: &Path) -> impl Fn(ParquetError) -> Error + '_ {
    move |e| match e {
        ParquetError::External(inner) => match inner.downcast::<std::io::Error>() {
            Ok(io) => Error::io(path, *io),
            Err(inner) => Error::Output {
                path: path.to_path_buf(),
                message: inner.to_string(),
            },
        },
        e => Error::Output {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
    }
}

/// An Arrow error while building a batch for `path`.
fn arrow_error(path: &Path) -> impl Fn(arrow_schema::ArrowError) -> Error + '_ {
    move |e| Error::Output {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Writes batches to `w`, closing a row group when it grows past [`GROUP_BYTES`].
struct Batches<W: Write + Send> {
    writer: ArrowWriter<W>,
    path: PathBuf,
}

impl<W: Write + Send> Batches<W> {
    fn new(w: W, path: &Path, schema: SchemaRef) -> Result<Self> {
        let writer = ArrowWriter::try_new(w, schema, Some(properties())).map_err(error(path))?;
        Ok(Batches {
            writer,
            path: path.to_path_buf(),
        })
    }

    fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        self.writer.write(batch).map_err(error(&self.path))?;
        if self.writer.in_progress_size() >= GROUP_BYTES {
            self.writer.flush().map_err(error(&self.path))?;
        }
        Ok(())
    }

    /// Writes the footer and flushes, so that a failed write is an error here.
    fn close(self) -> Result<()> {
        let mut w = self.writer.into_inner().map_err(error(&self.path))?;
        w.flush().map_err(|e| Error::io(&self.path, e))
    }
}

/// The strings `values` as an array of the string type `to` (a dictionary of strings
/// too). A `string` array holds at most 2 GiB; more, or a type that is not a string, is
/// an error.
fn string_array<'v>(
    values: impl Iterator<Item = Option<&'v str>> + Clone,
    to: &DataType,
    path: &Path,
) -> Result<ArrayRef> {
    use arrow_array::builder::{LargeStringDictionaryBuilder, StringDictionaryBuilder};
    use arrow_array::types::*;
    use arrow_array::{LargeStringArray, StringArray, StringViewArray};
    let fail = |message: String| Error::Output {
        path: path.to_path_buf(),
        message,
    };
    let fits_i32 = || {
        let bytes: usize = values.clone().map(|v| v.map_or(0, str::len)).sum();
        match i32::try_from(bytes) {
            Ok(_) => Ok(()),
            Err(_) => Err(fail(format!(
                "{bytes} bytes of text in one batch of a `{to}` column, more than it holds"
            ))),
        }
    };
    macro_rules! dictionary {
        ($key:expr, $builder:ident, $($variant:ident => $ty:ty),*) => {
            match $key {
                $(DataType::$variant => {
                    let mut b = $builder::<$ty>::new();
                    for v in values {
                        match v {
                            Some(v) => {
                                b.append(v).map_err(|e| fail(e.to_string()))?;
                            }
                            None => b.append_null(),
                        }
                    }
                    Ok(Arc::new(b.finish()) as ArrayRef)
                })*
                key => Err(fail(format!("cannot write a dictionary with {key} keys"))),
            }
        };
    }
    match to {
        DataType::Utf8 => {
            fits_i32()?;
            Ok(Arc::new(values.collect::<StringArray>()))
        }
        DataType::LargeUtf8 => Ok(Arc::new(values.collect::<LargeStringArray>())),
        DataType::Utf8View => Ok(Arc::new(values.collect::<StringViewArray>())),
        DataType::Dictionary(key, value) if **value == DataType::Utf8 => {
            fits_i32()?;
            dictionary!(key.as_ref(), StringDictionaryBuilder,
                Int8 => Int8Type, Int16 => Int16Type, Int32 => Int32Type, Int64 => Int64Type,
                UInt8 => UInt8Type, UInt16 => UInt16Type, UInt32 => UInt32Type, UInt64 => UInt64Type)
        }
        DataType::Dictionary(key, value) if **value == DataType::LargeUtf8 => {
            dictionary!(key.as_ref(), LargeStringDictionaryBuilder,
                Int8 => Int8Type, Int16 => Int16Type, Int32 => Int32Type, Int64 => Int64Type,
                UInt8 => UInt8Type, UInt16 => UInt16Type, UInt32 => UInt32Type, UInt64 => UInt64Type)
        }
        other => Err(fail(format!("cannot write strings as a `{other}` column"))),
    }
}

/// A column of a table being gathered.
enum Column {
    Text(Vec<Option<String>>),
    Number(Int64Builder),
}

/// A table written as Parquet, row by row (see the module documentation for its types).
pub(super) struct Table<W: Write + Send> {
    out: Batches<W>,
    schema: SchemaRef,
    names: Vec<String>,
    columns: Vec<Column>,
    rows: usize,
    bytes: usize,
}

impl<W: Write + Send> Table<W> {
    pub(super) fn new(w: W, path: &Path, names: &[&str]) -> Result<Self> {
        let number = |name: &str| NUMBER_COLUMNS.contains(&name);
        let fields: Vec<Field> = names
            .iter()
            .map(|&name| {
                let t = if number(name) {
                    DataType::Int64
                } else {
                    DataType::Utf8
                };
                Field::new(name, t, true)
            })
            .collect();
        let schema = Arc::new(Schema::new(fields));
        let columns = names
            .iter()
            .map(|&name| match number(name) {
                true => Column::Number(Int64Builder::new()),
                false => Column::Text(Vec::new()),
            })
            .collect();
        Ok(Table {
            out: Batches::new(w, path, Arc::clone(&schema))?,
            schema,
            names: names.iter().map(|n| n.to_string()).collect(),
            columns,
            rows: 0,
            bytes: 0,
        })
    }

    /// Adds a row given as a JSON object (a row of the JSONL table).
    pub(super) fn row(&mut self, row: &serde_json::Value) -> Result<()> {
        use serde_json::Value;
        for (name, column) in self.names.iter().zip(&mut self.columns) {
            let value = row.get(name).unwrap_or(&Value::Null);
            match (column, value) {
                (Column::Number(b), Value::Number(n)) => match n.as_i64() {
                    Some(n) => b.append_value(n),
                    None => b.append_null(),
                },
                (Column::Number(b), _) => b.append_null(),
                (Column::Text(b), Value::Null) => b.push(None),
                (Column::Text(b), Value::String(s)) => {
                    self.bytes += s.len();
                    b.push(Some(s.clone()));
                }
                (Column::Text(b), other) => b.push(Some(other.to_string())),
            }
        }
        self.rows += 1;
        if self.rows >= BATCH_ROWS || self.bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    /// Adds the rows of JSON Lines formatted elsewhere (in parallel) for this table.
    pub(super) fn rows_from_jsonl(&mut self, lines: &[u8]) -> Result<()> {
        for line in lines.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let row: serde_json::Value =
                serde_json::from_slice(line).map_err(|e| Error::Output {
                    path: self.out.path.clone(),
                    message: e.to_string(),
                })?;
            self.row(&row)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let path = self.out.path.clone();
        let arrays = self
            .columns
            .iter_mut()
            .map(|column| match column {
                Column::Text(b) => {
                    let array =
                        string_array(b.iter().map(Option::as_deref), &DataType::Utf8, &path);
                    b.clear();
                    array
                }
                Column::Number(b) => Ok(Arc::new(b.finish()) as ArrayRef),
            })
            .collect::<Result<Vec<_>>>()?;
        let batch =
            RecordBatch::try_new(Arc::clone(&self.schema), arrays).map_err(arrow_error(&path))?;
        self.rows = 0;
        self.bytes = 0;
        self.out.write(&batch)
    }

    pub(super) fn finish(mut self) -> Result<()> {
        self.flush()?;
        self.out.close()
    }
}

/// The schema of `clean.parquet`.
#[derive(Debug, Clone)]
pub(super) enum CleanLayout {
    /// The input's: every record is a row of Parquet files of this schema.
    Same {
        schema: SchemaRef,
        /// The text column.
        text: usize,
        /// The id column.
        id: usize,
    },
    /// `id`, `title`, `text` and `record`, strings.
    Generic,
}

impl CleanLayout {
    /// The layout for records as read: the input's schema when every one is a Parquet row
    /// and all have the same columns (`None` for a record not kept: then generic).
    pub(super) fn of<'a>(
        mut records: impl Iterator<Item = Option<&'a crate::RawRecord>>,
    ) -> CleanLayout {
        let row = |r: Option<&'a crate::RawRecord>| match r {
            Some(crate::RawRecord::Parquet(row)) => Some(row),
            _ => None,
        };
        let Some(Some(first)) = records.next().map(row) else {
            return CleanLayout::Generic;
        };
        let same = records.all(|r| {
            row(r).is_some_and(|r| {
                r.text == first.text
                    && r.id == first.id
                    && r.schema.fields() == first.schema.fields()
            })
        });
        match same {
            true => CleanLayout::Same {
                schema: Arc::clone(&first.schema),
                text: first.text,
                id: first.id,
            },
            false => CleanLayout::Generic,
        }
    }

    fn schema(&self) -> SchemaRef {
        match self {
            CleanLayout::Same { schema, .. } => Arc::clone(schema),
            CleanLayout::Generic => Arc::new(Schema::new(vec![
                Field::new("id", DataType::Utf8, false),
                Field::new("title", DataType::Utf8, false),
                Field::new("text", DataType::Utf8, false),
                Field::new("record", DataType::Utf8, true),
            ])),
        }
    }
}

/// One row of `clean.parquet`, made ready (in parallel) for [`Clean::push`].
#[derive(Debug)]
pub(super) struct CleanRow {
    /// The document id (renamed for a repeated id).
    pub id: String,
    /// Its title (as in `summaries`).
    pub title: String,
    /// The cleaned text.
    pub text: String,
    /// The record as read, less its text, as JSON (generic layout); `None` for a text file.
    pub record: Option<String>,
    /// The Parquet row it was read from, when it was.
    pub row: Option<Row>,
}

/// `clean.parquet` being written.
pub(super) struct Clean<W: Write + Send> {
    out: Batches<W>,
    layout: CleanLayout,
    schema: SchemaRef,
    rows: Vec<CleanRow>,
    bytes: usize,
}

impl<W: Write + Send> Clean<W> {
    pub(super) fn new(w: W, path: &Path, layout: CleanLayout) -> Result<Self> {
        let schema = layout.schema();
        Ok(Clean {
            out: Batches::new(w, path, Arc::clone(&schema))?,
            layout,
            schema,
            rows: Vec::new(),
            bytes: 0,
        })
    }

    pub(super) fn push(&mut self, row: CleanRow) -> Result<()> {
        self.bytes += row.text.len() + row.record.as_ref().map_or(0, String::len);
        self.rows.push(row);
        if self.rows.len() >= BATCH_ROWS || self.bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let path = self.out.path.clone();
        let rows = std::mem::take(&mut self.rows);
        self.bytes = 0;
        let utf8 = &DataType::Utf8;
        let arrays: Vec<ArrayRef> = match &self.layout {
            CleanLayout::Generic => vec![
                string_array(rows.iter().map(|r| Some(r.id.as_str())), utf8, &path)?,
                string_array(rows.iter().map(|r| Some(r.title.as_str())), utf8, &path)?,
                string_array(rows.iter().map(|r| Some(r.text.as_str())), utf8, &path)?,
                string_array(rows.iter().map(|r| r.record.as_deref()), utf8, &path)?,
            ],
            CleanLayout::Same { schema, text, id } => {
                // Every row's batch, each once (rows of one batch come together), and
                // where each row is in them.
                let mut batches: Vec<&Row> = Vec::new();
                let mut at = Vec::with_capacity(rows.len());
                for r in &rows {
                    let row = r.row.as_ref().ok_or_else(|| Error::Output {
                        path: path.clone(),
                        message: format!(
                            "record `{}` is not a row of the Parquet input, whose schema this file keeps",
                            r.id
                        ),
                    })?;
                    if row.schema.fields() != schema.fields() {
                        return Err(Error::Output {
                            path: path.clone(),
                            message: format!(
                                "record `{}` has other columns than the Parquet inputs had when first read (did they change?)",
                                r.id
                            ),
                        });
                    }
                    let same = batches
                        .last()
                        .is_some_and(|b| Arc::ptr_eq(&b.batch, &row.batch));
                    if !same {
                        batches.push(row);
                    }
                    at.push((batches.len() - 1, row.row));
                }
                let mut arrays = Vec::with_capacity(schema.fields().len());
                for (k, field) in schema.fields().iter().enumerate() {
                    let t = field.data_type();
                    let array = if k == *text {
                        string_array(rows.iter().map(|r| Some(r.text.as_str())), t, &path)?
                    } else if k == *id && crate::corpus::arrow_values::is_string(t) {
                        string_array(rows.iter().map(|r| Some(r.id.as_str())), t, &path)?
                    } else {
                        let sources: Vec<&dyn Array> =
                            batches.iter().map(|b| b.column(k).as_ref()).collect();
                        arrow_select::interleave::interleave(&sources, &at)
                            .map_err(arrow_error(&path))?
                    };
                    arrays.push(array);
                }
                arrays
            }
        };
        let batch =
            RecordBatch::try_new(Arc::clone(&self.schema), arrays).map_err(arrow_error(&path))?;
        self.out.write(&batch)
    }

    pub(super) fn finish(mut self) -> Result<()> {
        self.flush()?;
        self.out.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::Int32Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    /// Reads back every row of a Parquet file held in `bytes`.
    fn read(bytes: Vec<u8>) -> RecordBatch {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&bytes).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
        let schema = batches[0].schema();
        arrow_select::concat::concat_batches(&schema, &batches).unwrap()
    }

    /// A schema whose text and id columns are of the given types, and rows `0..n` of it
    /// (the text column left out, as the reader keeps them).
    fn rows(text: DataType, id: DataType, n: usize) -> Vec<Row> {
        let schema = Arc::new(Schema::new(vec![
            Field::new("n", DataType::Int32, false),
            Field::new("text", text, false),
            Field::new("id", id.clone(), true),
        ]));
        let ids: Vec<String> = (0..n).map(|k| format!("d{k}")).collect();
        let rest = RecordBatch::try_new(
            Arc::new(Schema::new(vec![
                Field::new("n", DataType::Int32, false),
                Field::new("id", id.clone(), true),
            ])),
            vec![
                Arc::new(Int32Array::from_iter_values(0..n as i32)),
                match id {
                    DataType::Int64 => {
                        Arc::new(arrow_array::Int64Array::from_iter_values(0..n as i64))
                    }
                    _ => string_array(ids.iter().map(|s| Some(s.as_str())), &id, Path::new("t"))
                        .unwrap(),
                },
            ],
        )
        .unwrap();
        let batch = Arc::new(rest);
        (0..n)
            .map(|row| Row {
                schema: Arc::clone(&schema),
                batch: Arc::clone(&batch),
                row,
                text: 1,
                id: 2,
            })
            .collect()
    }

    #[test]
    fn clean_rows_keep_the_types_of_the_text_and_id_columns() {
        let dictionary = DataType::Dictionary(Box::new(DataType::Int16), Box::new(DataType::Utf8));
        for t in [
            DataType::Utf8,
            DataType::LargeUtf8,
            DataType::Utf8View,
            dictionary.clone(),
        ] {
            let rows = rows(t.clone(), t.clone(), 3);
            let layout = CleanLayout::of(
                rows.iter()
                    .map(|r| crate::RawRecord::Parquet(r.clone()))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(Some),
            );
            assert!(matches!(layout, CleanLayout::Same { text: 1, id: 2, .. }));
            let mut out = Vec::new();
            let mut clean = Clean::new(&mut out, Path::new("clean.parquet"), layout).unwrap();
            // Rows 2 and 0, the first renamed: the ids are the documents', the rest the
            // rows'.
            for (k, id) in [(2, "d2#2"), (0, "d0")] {
                clean
                    .push(CleanRow {
                        id: id.into(),
                        title: String::new(),
                        text: format!("clean {k}"),
                        record: None,
                        row: Some(rows[k].clone()),
                    })
                    .unwrap();
            }
            clean.finish().unwrap();
            let back = read(out);
            assert_eq!(back.schema().fields(), rows[0].schema.fields(), "{t}");
            let strings = |k: usize| -> Vec<String> {
                let column = back.column(k).as_ref();
                (0..column.len())
                    .map(|r| crate::corpus::arrow_values::id_at(column, r).unwrap_or_default())
                    .collect()
            };
            assert_eq!(strings(1), ["clean 2", "clean 0"], "{t}");
            assert_eq!(strings(2), ["d2#2", "d0"], "{t}");
            assert_eq!(strings(0), ["2", "0"], "{t}");
        }
    }

    #[test]
    fn layouts_differ_for_mixed_or_other_records() {
        let a = rows(DataType::Utf8, DataType::Int64, 2);
        let b = rows(DataType::LargeUtf8, DataType::Int64, 1);
        let parquet = |r: &Row| crate::RawRecord::Parquet(r.clone());
        let same = [parquet(&a[0]), parquet(&a[1])];
        assert!(matches!(
            CleanLayout::of(same.iter().map(Some)),
            CleanLayout::Same { .. }
        ));
        let mixed = [parquet(&a[0]), parquet(&b[0])];
        assert!(matches!(
            CleanLayout::of(mixed.iter().map(Some)),
            CleanLayout::Generic
        ));
        assert!(matches!(
            CleanLayout::of([Some(&same[0]), None].into_iter()),
            CleanLayout::Generic
        ));
        assert!(matches!(
            CleanLayout::of(std::iter::empty()),
            CleanLayout::Generic
        ));
    }

    #[test]
    fn table_rows_from_json_lines_keep_numbers_and_nulls() {
        let mut out = Vec::new();
        let mut table = Table::new(&mut out, Path::new("t.parquet"), &["line", "error"]).unwrap();
        table
            .rows_from_jsonl(b"{\"line\":3,\"error\":\"bad\"}\n{\"line\":null,\"error\":\"\"}\n")
            .unwrap();
        table.finish().unwrap();
        let back = read(out);
        let lines: Vec<Option<i64>> = back
            .column(0)
            .as_primitive::<arrow_array::types::Int64Type>()
            .iter()
            .collect();
        assert_eq!(lines, [Some(3), None]);
        let errors: Vec<Option<&str>> = back.column(1).as_string::<i32>().iter().collect();
        assert_eq!(errors, [Some("bad"), Some("")]);
    }
}
