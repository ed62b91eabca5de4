//! Fingerprint files and decision files: the cross-document step of cleaning, taken apart
//! so that it can run where the corpus is not (`dedupsum fingerprint`, `decide`, `apply`).
//!
//! `fingerprint` writes what the first pass knows of every paragraph ([`shard`]): one
//! directory, a *shard*, per call, so that parts of a corpus can be fingerprinted apart.
//! `decide` reads the shards in the order given — the order of the documents in the
//! corpus they make up together — and makes the decisions of `dedup` from them alone
//! ([`decisions`]). `apply` reads the inputs again with those decisions and writes what
//! `dedup` writes, byte for byte.
//!
//! Every file is Parquet, with signed integer columns only (hashes bit-cast), which
//! every engine reads (Spark has no unsigned types), and a format version in its
//! metadata: a file of another version is refused, never misread.

pub mod decisions;
pub mod frequencies;
pub mod shard;
pub mod steps;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use ::parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::Compression;
use ::parquet::errors::ParquetError;
use ::parquet::file::metadata::KeyValue;
use ::parquet::file::properties::WriterProperties;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::SchemaRef;

use crate::error::{Error, Result};
use crate::output::parquet::error as write_error;

/// The version of the fingerprint and decision files this build writes and reads (2: the
/// fingerprints' `slots` column).
pub const FORMAT_VERSION: u32 = 2;

/// The metadata key of the format version.
const VERSION_KEY: &str = "dedupsum.format_version";
/// The metadata key of what the file is (`shard fingerprints`, `decided pairs`, …), so
/// that one is never read as another.
const TABLE_KEY: &str = "dedupsum.table";

/// Rows handed to the Parquet writer, or read from a file, at a time.
const BATCH_ROWS: usize = 16_384;
/// A row group is closed once its data in memory passes this size.
const GROUP_BYTES: usize = 16 << 20;

/// Writes `batches` as one Parquet table to `w` (the file `path`), marked as table `name`
/// of this format version, with `metadata` besides.
fn write_table(
    w: &mut BufWriter<File>,
    path: &Path,
    schema: SchemaRef,
    name: &str,
    metadata: Vec<KeyValue>,
    batches: impl IntoIterator<Item = Result<RecordBatch>>,
) -> Result<()> {
    let mut kv = vec![
        KeyValue::new(VERSION_KEY.into(), FORMAT_VERSION.to_string()),
        KeyValue::new(TABLE_KEY.into(), name.to_string()),
    ];
    kv.extend(metadata);
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(kv))
        .build();
    let mut writer =
        ArrowWriter::try_new(&mut *w, schema, Some(properties)).map_err(write_error(path))?;
    for batch in batches {
        writer.write(&batch?).map_err(write_error(path))?;
        // Row groups of bounded size: writing holds one at a time.
        if writer.in_progress_size() >= GROUP_BYTES {
            writer.flush().map_err(write_error(path))?;
        }
    }
    writer.close().map_err(write_error(path))?;
    w.flush().map_err(|e| Error::io(path, e))
}

/// A Parquet table being read: its metadata, and its batches as they are read.
struct Table {
    reader: ParquetRecordBatchReader,
    metadata: Vec<KeyValue>,
    path: PathBuf,
}

impl Table {
    /// Reads table `name` at `path`, refusing a file that is not one of this format
    /// version.
    fn read(path: &Path, name: &str) -> Result<Table> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let builder =
            ParquetRecordBatchReaderBuilder::try_new(file).map_err(parquet_error(path))?;
        let metadata = builder
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .cloned()
            .unwrap_or_default();
        let value = |key: &str| {
            metadata
                .iter()
                .find(|kv| kv.key == key)
                .and_then(|kv| kv.value.clone())
        };
        let table = value(TABLE_KEY);
        if table.as_deref() != Some(name) {
            return Err(bad(
                path,
                format!(
                    "not the {name} table of dedupsum (its metadata says {})",
                    table.as_deref().unwrap_or("nothing of dedupsum")
                ),
            ));
        }
        let version = value(VERSION_KEY);
        if version.as_deref() != Some(FORMAT_VERSION.to_string().as_str()) {
            return Err(bad(
                path,
                format!(
                    "written in format version {}, and this dedupsum reads version {FORMAT_VERSION}; \
                     make it again with this version",
                    version.as_deref().unwrap_or("unknown")
                ),
            ));
        }
        let reader = builder
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(parquet_error(path))?;
        Ok(Table {
            reader,
            metadata,
            path: path.to_path_buf(),
        })
    }

    /// The next batch of rows, read now; none at the end.
    fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        self.reader
            .next()
            .transpose()
            .map_err(|e| bad(&self.path, e.to_string()))
    }

    /// The value of metadata `key`.
    fn value(&self, key: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|kv| kv.key == key)
            .and_then(|kv| kv.value.as_deref())
    }
}

/// A record batch of `columns`, which the writers build of one length each and with
/// distinct names (an empty one has the same schema).
fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(columns).expect("columns of one length and distinct names")
}

/// Column `name` of `batch` as an array of type `A`, or an error naming the file.
fn column<'b, A: Array + 'static>(
    batch: &'b RecordBatch,
    name: &str,
    path: &Path,
) -> Result<&'b A> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<A>())
        .ok_or_else(|| bad(path, format!("no column `{name}` of the expected type")))
}

/// A file that is not what it should be.
fn bad(path: &Path, message: impl Into<String>) -> Error {
    Error::Refused {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// An error of the Parquet reader at `path`.
fn parquet_error(path: &Path) -> impl Fn(ParquetError) -> Error + '_ {
    move |e| match e {
        ParquetError::External(inner) => match inner.downcast::<std::io::Error>() {
            Ok(io) => Error::io(path, *io),
            Err(inner) => bad(path, inner.to_string()),
        },
        e => bad(path, e.to_string()),
    }
}

/// A value stored in a signed column: the same 64 bits.
fn signed(v: u64) -> i64 {
    v as i64
}

/// A value read from a signed column.
fn unsigned(v: i64) -> u64 {
    v as u64
}

/// A 32-bit value stored in a signed column: the same 32 bits.
fn signed32(v: u32) -> i32 {
    v as i32
}

/// A count or an index read from a column, refused when negative or too large.
fn index(v: i64, path: &Path, what: &str) -> Result<u32> {
    u32::try_from(v).map_err(|_| bad(path, format!("{what} {v} out of range")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Int64Array, StringArray};
    use std::sync::Arc;

    /// Writes a one-column table at `path` with `metadata` alone.
    fn write_with(path: &Path, metadata: Vec<KeyValue>) {
        let batch = RecordBatch::try_from_iter([("doc", Arc::new(Int64Array::from(vec![1])) as _)])
            .unwrap();
        let properties = WriterProperties::builder()
            .set_key_value_metadata(Some(metadata))
            .build();
        let mut writer = ArrowWriter::try_new(
            File::create(path).unwrap(),
            batch.schema(),
            Some(properties),
        )
        .unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
    }

    #[test]
    fn a_table_of_another_version_or_kind_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("t.parquet");
        let kv = |k: &str, v: &str| KeyValue::new(k.into(), v.to_string());
        write_with(&path, vec![kv(TABLE_KEY, "pairs"), kv(VERSION_KEY, "1")]);
        let error = Table::read(&path, "pairs").err().unwrap().to_string();
        assert!(
            error.ends_with("t.parquet: written in format version 1, and this dedupsum reads version 2; make it again with this version"),
            "{error}"
        );
        write_with(&path, vec![kv(TABLE_KEY, "pairs")]);
        let error = Table::read(&path, "pairs").err().unwrap().to_string();
        assert!(error.contains("format version unknown"), "{error}");
        write_with(&path, vec![]);
        let error = Table::read(&path, "pairs").err().unwrap().to_string();
        assert!(
            error.ends_with(
                "not the pairs table of dedupsum (its metadata says nothing of dedupsum)"
            ),
            "{error}"
        );
        let version = FORMAT_VERSION.to_string();
        write_with(
            &path,
            vec![
                kv(TABLE_KEY, "pairs"),
                kv(VERSION_KEY, &version),
                kv("x", "y"),
            ],
        );
        let mut table = Table::read(&path, "pairs").unwrap();
        assert_eq!(table.value("x"), Some("y"));
        let batch = table.next_batch().unwrap().unwrap();
        assert_eq!(batch.num_rows(), 1);
        assert!(table.next_batch().unwrap().is_none());
        let error = column::<StringArray>(&batch, "doc", &path).unwrap_err();
        assert!(error
            .to_string()
            .ends_with("no column `doc` of the expected type"));
    }

    #[test]
    fn values_keep_their_bits_in_signed_columns() {
        for v in [0, 1, u64::MAX, 1 << 63] {
            assert_eq!(unsigned(signed(v)), v);
        }
        assert_eq!(signed32(u32::MAX) as u32, u32::MAX);
        let path = Path::new("x");
        assert_eq!(index(7, path, "n").unwrap(), 7);
        assert!(index(-1, path, "n").is_err());
        assert!(index(1 << 40, path, "n").is_err());
    }

    /// Batches go into one row group until it passes [`GROUP_BYTES`]: small tables are one.
    #[test]
    fn small_batches_make_one_row_group() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("t.parquet");
        let batch = |n: i64| {
            RecordBatch::try_from_iter([("doc", Arc::new(Int64Array::from(vec![n; 10])) as _)])
                .unwrap()
        };
        let mut w = std::io::BufWriter::new(File::create(&path).unwrap());
        let batches = (0..3).map(|n| Ok(batch(n)));
        write_table(&mut w, &path, batch(0).schema(), "t", Vec::new(), batches).unwrap();
        drop(w);
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).unwrap()).unwrap();
        assert_eq!(reader.metadata().num_row_groups(), 1);
        assert_eq!(reader.metadata().file_metadata().num_rows(), 30);
    }
}
