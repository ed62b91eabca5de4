//! Reading articles: plain text or Markdown (one article per file), JSON Lines and CSV/TSV
//! (one article per record), gzip- or zstd-compressed or not, and Parquet (one article per
//! row, read a row group at a time), from files, directory trees or standard input.
//!
//! [`Corpus::open`] finds the inputs (a missing path or an unreadable directory is an
//! error); [`Corpus::records`] streams them, one `Result<Document, RecordError>` per record,
//! reading line by line so a file of any size needs memory for one record only (at most
//! [`ReadConfig::max_record_bytes`]). A record that cannot be read is an error item naming
//! the file and line, and reading goes on with the next one. The corpus can be read again:
//! every call to [`Corpus::records`] opens the files anew (standard input only once).
//!
//! Directories are walked recursively in sorted order, so the document order, and with it
//! which copy of a duplicate counts as the first, is the same on every run.

pub(crate) mod arrow_values;
mod csv;
mod jsonl;
pub mod parquet;
pub mod sniff;
pub mod source;
mod text;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use globset::{GlobSet, GlobSetBuilder};

pub use crate::error::RecordError;
use crate::error::{Error, Result};
use crate::Progress;
pub use jsonl::JsonFields;

/// The path shown for standard input.
pub const STDIN_NAME: &str = "<stdin>";

/// One input article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Identifier: the file stem for text files, the id field for JSONL and CSV records.
    pub id: String,
    /// Title given by the input (JSONL, CSV), if any.
    pub title: Option<String>,
    /// Site the article comes from, given by the input (JSONL, CSV), if any.
    pub site: Option<String>,
    /// The article text.
    pub text: String,
    /// Where the article came from.
    pub source: Source,
    /// The record as read, for writing it back with every field (JSONL, CSV); `None` for
    /// text files and documents made in memory. The streaming pass drops it with the text.
    pub raw: Option<Box<RawRecord>>,
}

/// A JSONL or CSV record as read, less its text: what `clean.jsonl` writes back around
/// the cleaned text, so that every field survives unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawRecord {
    /// A JSON object: the line with the text field's value cut out, so keys keep their
    /// order and values their bytes (a number its digits, a nested object its shape).
    Json {
        /// The line (trimmed), less the text value.
        rest: Box<str>,
        /// Where the text value stood in `rest`.
        text_at: usize,
        /// The id value's bytes in `rest` (`None` when the id and text are one field).
        id: Option<std::ops::Range<usize>>,
    },
    /// A CSV or TSV row: every column, as text, in header order.
    Csv {
        /// The header's column names, shared by the rows of a file.
        columns: Arc<[String]>,
        /// The row's values (the text column left empty); invalid UTF-8 outside the id,
        /// text and title columns is replaced by U+FFFD.
        values: Vec<String>,
        /// The text column.
        text: usize,
        /// The id column.
        id: usize,
    },
    /// A Parquet row: every column, with its type.
    Parquet(self::parquet::Row),
}

impl RawRecord {
    /// Writes the record as one JSON object (no line end) with `text` as the text field's
    /// value and `id` as the id's: the input's id value is kept as written unless `id`
    /// differs from it (a repeated id renamed `id#2`), then it is the string `id`.
    pub fn write_json(&self, id: &str, text: &str, out: &mut Vec<u8>) -> serde_json::Result<()> {
        match self {
            RawRecord::Json {
                rest,
                text_at,
                id: id_at,
            } => {
                let id_at = id_at
                    .clone()
                    .filter(|r| jsonl::id_text_of(&rest[r.clone()]).as_deref() != Some(id));
                let mut at = 0;
                let mut text_done = false;
                if let Some(r) = id_at {
                    if *text_at <= r.start {
                        out.extend_from_slice(rest[..*text_at].as_bytes());
                        serde_json::to_writer(&mut *out, text)?;
                        text_done = true;
                        at = *text_at;
                    }
                    out.extend_from_slice(rest[at..r.start].as_bytes());
                    serde_json::to_writer(&mut *out, id)?;
                    at = r.end;
                }
                if !text_done {
                    out.extend_from_slice(rest[at..*text_at].as_bytes());
                    serde_json::to_writer(&mut *out, text)?;
                    at = *text_at;
                }
                out.extend_from_slice(rest[at..].as_bytes());
            }
            RawRecord::Csv {
                columns,
                values,
                text: text_col,
                id: id_col,
            } => {
                out.push(b'{');
                for (k, (name, value)) in columns.iter().zip(values).enumerate() {
                    if k > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut *out, name)?;
                    out.push(b':');
                    let value = if k == *text_col {
                        text
                    } else if k == *id_col {
                        id
                    } else {
                        value
                    };
                    serde_json::to_writer(&mut *out, value)?;
                }
                out.push(b'}');
            }
            RawRecord::Parquet(row) => row.write_json(id, text, out)?,
        }
        Ok(())
    }
}

/// File (and line, for JSONL and CSV) an article was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The input file (`<stdin>` for standard input).
    pub path: PathBuf,
    /// 1-based line where the record starts, for JSONL and CSV records.
    pub line: Option<usize>,
}

/// Input formats, chosen by file extension (a `.gz`, `.zst` or `.zstd` suffix aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One article per file.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// Delimited records with a header row; the byte is the delimiter.
    Csv(u8),
    /// Apache Parquet: one article per row.
    Parquet,
}

impl Format {
    /// The format a file name calls for, if it is one we read.
    /// A name that is not valid UTF-8 is looked at with the bad bytes replaced (U+FFFD):
    /// `bad\xff.txt` is text.
    pub fn of(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let name = strip_compression(&name);
        let ext = Path::new(name).extension()?.to_str()?;
        match ext {
            "txt" | "md" | "markdown" | "text" => Some(Format::Text),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv(b',')),
            "tsv" => Some(Format::Csv(b'\t')),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }
}

/// `name` without a compression suffix.
fn strip_compression(name: &str) -> &str {
    for ext in [".gz", ".zst", ".zstd"] {
        if let Some(stem) = name.strip_suffix(ext) {
            return stem;
        }
    }
    name
}

/// What to do with a record that cannot be read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnError {
    /// Skip it, list it in `errors.csv`, count it in `report.json`, exit with code 3.
    #[default]
    Skip,
    /// Stop the run at the first one, writing nothing.
    Fail,
}

/// How inputs are found and read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadConfig {
    /// JSONL fields and CSV columns with the id, text and title.
    pub fields: JsonFields,
    /// Globs filtering the files found in directories; `!GLOB` excludes. A glob with a
    /// `/` matches the path below the directory given, one without matches the file name.
    pub globs: Vec<String>,
    /// Largest record (JSONL line, CSV record, text file) read; a longer one is skipped.
    pub max_record_bytes: usize,
    /// Largest input file after decompression; reading stops there with a record error.
    pub max_input_bytes: u64,
    /// The format of every input (`--input-format`); `None` (`auto`) picks it by file
    /// extension, and for standard input from the content (see [`sniff`]).
    pub format: Option<Format>,
    /// Where the run writes (`--out`: output files, the output directory): an input named
    /// that is one of them is refused, and directories are walked without them, so that a
    /// run reads neither what it is about to replace nor what an earlier run wrote.
    pub outputs: Vec<PathBuf>,
    /// Keep each JSONL or CSV record as read in [`Document::raw`], to write it back with
    /// every field (without it, `clean.jsonl` gets the id, title and text only, as for a
    /// text file); off for a pass that needs the texts only (see [`Corpus::texts_only`]).
    pub keep_records: bool,
}

impl Default for ReadConfig {
    fn default() -> Self {
        ReadConfig {
            fields: JsonFields::default(),
            globs: Vec::new(),
            max_record_bytes: 64 << 20,
            max_input_bytes: 64 << 30,
            format: None,
            outputs: Vec::new(),
            keep_records: true,
        }
    }
}

/// One input to read.
#[derive(Debug, Clone)]
struct Input {
    /// The file; `None` is standard input.
    path: Option<PathBuf>,
    /// The format; `None` is found from the content.
    format: Option<Format>,
    /// Why this entry of a directory is not read (not a regular file): it is a record
    /// error, listed in `errors.csv`, instead of records.
    refused: Option<String>,
    /// A stream that can be read only once: standard input, or a FIFO, `<(…)` or device
    /// named directly. [`Corpus::spool_streams`] copies it to read it again.
    stream: bool,
    /// The copy of the stream, read instead of it.
    spool: Option<Arc<Spool>>,
}

/// The inputs of a run, found and ready to be read (again and again).
#[derive(Debug, Clone)]
pub struct Corpus {
    inputs: Vec<Input>,
    config: Arc<ReadConfig>,
    /// The bytes of standard input read to tell its format, read again first (once).
    stdin_head: Arc<Mutex<Option<Vec<u8>>>>,
    /// Told of every byte read from the inputs (as stored) and every document read.
    progress: Progress,
}

/// A temporary copy of a stream, removed when the last [`Corpus`] using it goes.
#[derive(Debug)]
struct Spool {
    path: PathBuf,
}

impl Drop for Spool {
    fn drop(&mut self) {
        crate::output::atomic::remove_temp(&self.path);
    }
}

impl Corpus {
    /// Finds the files under `inputs` (files, directories, or `-` for standard input).
    ///
    /// A file named directly with an unknown extension is read as plain text; inside
    /// directories only files with a known extension that pass the globs are read (and
    /// an entry that is not a regular file, such as a FIFO, is a record error instead).
    /// [`ReadConfig::format`] overrides the extensions. Standard input's format, unless
    /// given, is told from its first bytes, read here (see [`sniff`]); one it cannot tell
    /// is refused. An input that is one of [`ReadConfig::outputs`] is refused too.
    pub fn open(inputs: &[PathBuf], config: ReadConfig) -> Result<Corpus> {
        let filter = Filter::new(&config.globs)?;
        let outputs = Outputs::new(&config.outputs);
        let mut found = Vec::new();
        let mut stdin_head = None;
        for input in inputs {
            if input.as_os_str() == "-" {
                if stdin_head.is_some() {
                    return Err(Error::Config(
                        "`-` (standard input) is given more than once".into(),
                    ));
                }
                let (format, head) = match config.format {
                    Some(format) => (format, Vec::new()),
                    None => sniff_stdin(&config)?,
                };
                stdin_head = Some(head);
                found.push(Input {
                    path: None,
                    format: Some(format),
                    refused: None,
                    stream: true,
                    spool: None,
                });
                continue;
            }
            let meta = fs::metadata(input).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Error::Missing {
                    path: input.clone(),
                },
                _ => Error::io(input, e),
            })?;
            if outputs.contains(&meta) {
                let message = if meta.is_dir() {
                    "is also the output directory (--out): the next run would read this run's outputs back; write them elsewhere"
                } else {
                    "is also an output (--out): writing it would replace this input; write the outputs elsewhere"
                };
                return Err(Error::Refused {
                    path: input.clone(),
                    message: message.into(),
                });
            }
            if meta.is_dir() {
                walk(input, input, &filter, &outputs, config.format, &mut found)?;
            } else {
                found.push(Input {
                    path: Some(input.clone()),
                    format: Some(
                        config
                            .format
                            .or_else(|| Format::of(input))
                            .unwrap_or_else(|| by_magic(input, &meta)),
                    ),
                    refused: None,
                    stream: !meta.is_file(),
                    spool: None,
                });
            }
        }
        Ok(Corpus {
            inputs: found,
            config: Arc::new(config),
            stdin_head: Arc::new(Mutex::new(stdin_head)),
            progress: Progress::default(),
        })
    }

    /// The same inputs, telling `progress` of the bytes read from them (as stored:
    /// compressed, for a compressed file), the copies of streams included, and of the
    /// documents read.
    pub fn with_progress(self, progress: Progress) -> Corpus {
        Corpus { progress, ..self }
    }

    /// The bytes that reading every input reads (as stored), when known: `None` while a
    /// stream (standard input, a FIFO) is among them, not yet copied.
    pub fn size(&self) -> Option<u64> {
        let size = |path: &Path| fs::metadata(path).map_or(0, |m| m.len());
        self.inputs
            .iter()
            .filter(|i| i.refused.is_none())
            .map(|i| match (&i.spool, &i.path) {
                (Some(spool), _) => Some(size(&spool.path)),
                (None, Some(path)) if !i.stream => Some(size(path)),
                (None, _) => None,
            })
            .sum()
    }

    /// The schema of the Parquet inputs with the positions of their text and id columns,
    /// when every input is a Parquet file (or a stream's copy) and the readable ones all
    /// have the same columns: the schema `clean.parquet` keeps. Only footers are read.
    pub fn parquet_schema(&self) -> Option<(arrow_schema::SchemaRef, usize, usize)> {
        let mut found: Option<arrow_schema::SchemaRef> = None;
        for input in self.inputs.iter().filter(|i| i.refused.is_none()) {
            if input.format != Some(Format::Parquet) {
                return None;
            }
            let path = match (&input.spool, &input.path) {
                (Some(spool), _) => &spool.path,
                (None, Some(path)) if !input.stream => path,
                _ => return None,
            };
            let Ok(schema) = self::parquet::schema_of(path) else {
                continue;
            };
            match &found {
                Some(first) if first.fields() != schema.fields() => return None,
                Some(_) => {}
                None => found = Some(schema),
            }
        }
        let schema = found?;
        let find = |name: &str| schema.fields().iter().position(|f| f.name() == name);
        let text = find(&self.config.fields.text)?;
        let id = find(&self.config.fields.id)?;
        Some((schema, text, id))
    }

    /// Whether an input is a stream not yet copied (see [`Corpus::spool_streams`]).
    pub fn has_unspooled_streams(&self) -> bool {
        self.inputs.iter().any(|i| i.stream && i.spool.is_none())
    }

    /// The same inputs, read without keeping the records as read ([`Document::raw`] is
    /// `None`): for a pass that needs the texts only.
    pub fn texts_only(&self) -> Corpus {
        Corpus {
            config: Arc::new(ReadConfig {
                keep_records: false,
                ..(*self.config).clone()
            }),
            ..self.clone()
        }
    }

    /// Whether standard input is among the inputs.
    pub fn reads_stdin(&self) -> bool {
        self.inputs.iter().any(|i| i.path.is_none())
    }

    /// [`Corpus::spool_streams`] (standard input is one of the streams).
    pub fn spool_stdin(&mut self, dir: &Path) -> Result<()> {
        self.spool_streams(dir)
    }

    /// Copies every input that can be read only once (standard input, and a FIFO, `<(…)`
    /// or device named directly) to a temporary file in `dir` (removed when the corpus and
    /// its clones are dropped, or the run is interrupted), so that every later
    /// [`Corpus::records`] reads the same bytes again. Errors and ids still name the
    /// input (`<stdin>` for standard input).
    pub fn spool_streams(&mut self, dir: &Path) -> Result<()> {
        for n in 0..self.inputs.len() {
            let input = &self.inputs[n];
            if !input.stream || input.spool.is_some() {
                continue;
            }
            let spool = match &input.path {
                None => {
                    let head = self.take_stdin_head();
                    let stdin = std::io::Cursor::new(head).chain(std::io::stdin().lock());
                    let mut stdin = Counted::new(stdin, &self.progress);
                    spool(dir, "stdin", &mut stdin, Path::new(STDIN_NAME))?
                }
                Some(path) => {
                    let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
                    let mut file = Counted::new(file, &self.progress);
                    spool(dir, &format!("input{n}"), &mut file, path)?
                }
            };
            self.inputs[n].spool = Some(Arc::new(spool));
        }
        Ok(())
    }

    /// The bytes read from standard input to tell its format, to be read first; only the
    /// first time (standard input itself can be read only once).
    fn take_stdin_head(&self) -> Vec<u8> {
        let mut head = self.stdin_head.lock().unwrap_or_else(|e| e.into_inner());
        head.take().unwrap_or_default()
    }

    /// The files found (standard input as `-`), in reading order.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.inputs
            .iter()
            .map(|i| i.path.as_deref().unwrap_or(Path::new("-")))
    }

    /// Streams the records of every input, in order.
    pub fn records(&self) -> Records<'_> {
        Records {
            corpus: Some(self),
            next: 0,
            current: None,
            parallel: false,
        }
    }

    /// [`Corpus::records`], with JSONL parsed a batch of lines at a time in parallel (on the
    /// current rayon pool) while the next batch is read; the records come out in the same
    /// order, holding two batches of about a megabyte more in memory.
    pub fn records_parallel(&self) -> Records<'_> {
        Records {
            parallel: true,
            ..self.records()
        }
    }
}

/// Copies the stream `from` (`shown` in errors) to a new temporary file in `dir`: a fresh
/// name no one can plant a link at, readable by the owner only. A failed read is the
/// input's error, a failed write the spool's (a full temporary directory).
fn spool(dir: &Path, what: &str, from: &mut dyn Read, shown: &Path) -> Result<Spool> {
    let spool_error = |source| Error::Spool {
        input: if shown == Path::new(STDIN_NAME) {
            "standard input".into()
        } else {
            shown.display().to_string()
        },
        dir: dir.to_path_buf(),
        source,
    };
    let (path, mut file) =
        crate::output::atomic::create_temp(dir, &format!(".dedupsum-{what}."), true)
            .map_err(spool_error)?;
    let spool = Spool { path };
    copy(from, &mut file).map_err(|e| match e {
        Side::Read(e) => Error::io(shown, e),
        Side::Write(e) => spool_error(e),
    })?;
    Ok(spool)
}

/// Which end of a copy failed.
enum Side {
    Read(std::io::Error),
    Write(std::io::Error),
}

/// Copies `from` to `to`, telling a failed read (the input's fault) from a failed write
/// (the spool's: a full temporary directory), which `std::io::copy` does not.
fn copy(from: &mut dyn Read, to: &mut impl std::io::Write) -> std::result::Result<(), Side> {
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Side::Read(e)),
        };
        to.write_all(&buf[..n]).map_err(Side::Write)?;
    }
}

/// Tells a [`Progress`] of the bytes read through it.
struct Counted<R> {
    inner: R,
    progress: Progress,
}

impl<R> Counted<R> {
    fn new(inner: R, progress: &Progress) -> Counted<R> {
        Counted {
            inner,
            progress: progress.clone(),
        }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.read_bytes(n as u64);
        Ok(n)
    }
}

/// Copies what it reads: the bytes of standard input read to tell its format.
struct Tee<R> {
    inner: R,
    copy: Rc<RefCell<Vec<u8>>>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.copy.borrow_mut().extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// Tells the format of standard input from its first bytes (decompressed), and returns
/// the bytes read from it, to be read again first.
fn sniff_stdin(config: &ReadConfig) -> Result<(Format, Vec<u8>)> {
    let copy = Rc::new(RefCell::new(Vec::new()));
    let tee = Tee {
        inner: std::io::stdin().lock(),
        copy: Rc::clone(&copy),
    };
    let decided = match source::decode(Box::new(tee), config.max_input_bytes) {
        Ok(mut reader) => {
            let mut head = sniff::read_head(&mut *reader, sniff::LOOKAHEAD);
            sniff::decide(&mut head, &config.fields)
        }
        Err(e) => Err(sniff::Refusal::Io(e)),
    };
    let head = std::mem::take(&mut *copy.borrow_mut());
    let stdin = Path::new(STDIN_NAME);
    match decided {
        Ok(format) => Ok((format, head)),
        Err(sniff::Refusal::Io(e)) => Err(Error::io(stdin, e)),
        Err(refusal) => Err(Error::Refused {
            path: stdin.into(),
            message: refusal.to_string(),
        }),
    }
}

/// The format of a regular file named directly whose extension says none: Parquet when it
/// starts with Parquet's magic bytes, else text.
fn by_magic(path: &Path, meta: &fs::Metadata) -> Format {
    let mut head = [0u8; 4];
    let parquet = meta.is_file()
        && fs::File::open(path).is_ok_and(|mut f| f.read_exact(&mut head).is_ok())
        && &head == self::parquet::MAGIC;
    if parquet {
        Format::Parquet
    } else {
        Format::Text
    }
}

/// Identity of a file (device and inode): the same file under any name or link.
#[cfg(unix)]
fn file_id(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_meta: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The outputs of the run that exist already, by identity.
struct Outputs(Vec<(u64, u64)>);

impl Outputs {
    fn new(paths: &[PathBuf]) -> Outputs {
        Outputs(
            paths
                .iter()
                .filter(|p| p.as_os_str() != "-")
                .filter_map(|p| fs::metadata(p).ok())
                .filter_map(|m| file_id(&m))
                .collect(),
        )
    }

    fn contains(&self, meta: &fs::Metadata) -> bool {
        !self.0.is_empty() && file_id(meta).is_some_and(|id| self.0.contains(&id))
    }
}

/// What a file that is not a regular file is, for messages.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        } else if t.is_socket() {
            return "a socket";
        } else if t.is_char_device() {
            return "a character device";
        } else if t.is_block_device() {
            return "a block device";
        }
    }
    let _ = meta;
    "not a regular file"
}

/// Include and exclude globs.
struct Filter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Filter {
    fn new(globs: &[String]) -> Result<Filter> {
        let mut include = GlobSetBuilder::new();
        let mut exclude = GlobSetBuilder::new();
        let mut any_include = false;
        for pattern in globs {
            let (set, glob) = match pattern.strip_prefix('!') {
                Some(glob) => (&mut exclude, glob),
                None => {
                    any_include = true;
                    (&mut include, pattern.as_str())
                }
            };
            let glob = globset::GlobBuilder::new(glob)
                .literal_separator(glob.contains('/'))
                .build()
                .map_err(|e| Error::Config(format!("--glob `{pattern}`: {e}")))?;
            set.add(glob);
        }
        let build =
            |b: GlobSetBuilder| b.build().map_err(|e| Error::Config(format!("--glob: {e}")));
        Ok(Filter {
            include: if any_include {
                Some(build(include)?)
            } else {
                None
            },
            exclude: build(exclude)?,
        })
    }

    /// Whether the file at `relative` (below the directory given) is read.
    fn admits(&self, relative: &Path) -> bool {
        let name = relative.file_name().map(Path::new).unwrap_or(relative);
        let matches = |set: &GlobSet| set.is_match(relative) || set.is_match(name);
        self.include.as_ref().is_none_or(matches) && !matches(&self.exclude)
    }
}

/// Appends the readable files under `dir` in sorted path order, skipping hidden entries,
/// symbolic links to directories and the run's own outputs; an entry that is not a
/// regular file (a FIFO, a socket, a device) is listed as refused, never opened. Names
/// that are not UTF-8 are read by their exact bytes (and shown with U+FFFD).
fn walk(
    root: &Path,
    dir: &Path,
    filter: &Filter,
    outputs: &Outputs,
    forced: Option<Format>,
    files: &mut Vec<Input>,
) -> Result<()> {
    let mut entries = fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(|e| Error::io(dir, e))?;
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.as_encoded_bytes().starts_with(b"."));
        if hidden {
            continue;
        }
        let link = fs::symlink_metadata(&path).map_err(|e| Error::io(&path, e))?;
        let meta = fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
        if outputs.contains(&meta) {
            continue;
        }
        if meta.is_dir() {
            if !link.file_type().is_symlink() {
                walk(root, &path, filter, outputs, forced, files)?;
            }
            continue;
        }
        let Some(format) = Format::of(&path) else {
            continue;
        };
        let relative = path.strip_prefix(root).unwrap_or(&path);
        if filter.admits(relative) {
            let refused = (!meta.is_file())
                .then(|| format!("not a regular file ({}); skipped", kind_of(&meta)));
            files.push(Input {
                path: Some(path),
                format: Some(forced.unwrap_or(format)),
                refused,
                stream: false,
                spool: None,
            });
        }
    }
    Ok(())
}

/// The records of one input.
type RecordIter = Box<dyn Iterator<Item = std::result::Result<Document, RecordError>>>;

/// Streams the records of a [`Corpus`]: documents, and errors for the records that
/// could not be read.
pub struct Records<'a> {
    /// The inputs still to open (none for a single stream).
    corpus: Option<&'a Corpus>,
    next: usize,
    current: Option<RecordIter>,
    /// JSONL is parsed in parallel batches.
    parallel: bool,
}

impl Iterator for Records<'_> {
    type Item = std::result::Result<Document, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(current) = &mut self.current {
                match current.next() {
                    Some(item) => {
                        if let (Some(corpus), Ok(_)) = (self.corpus, &item) {
                            corpus.progress.read_doc();
                        }
                        return Some(item);
                    }
                    None => self.current = None,
                }
            }
            let corpus = self.corpus?;
            let input = corpus.inputs.get(self.next)?;
            self.next += 1;
            match open_input(corpus, input, self.parallel) {
                Ok(records) => self.current = Some(records),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// Opens one input of `corpus` and picks its reader; a stream is read from its spooled
/// copy when there is one.
fn open_input(
    corpus: &Corpus,
    input: &Input,
    parallel: bool,
) -> std::result::Result<RecordIter, RecordError> {
    let shown = input
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from(STDIN_NAME));
    if let Some(why) = &input.refused {
        return Err(RecordError::new(&shown, None, why.clone()));
    }
    // Parquet seeks: a file is read in place, a stream from its copy.
    let seekable = match (&input.spool, &input.path) {
        (Some(spool), _) => Some(spool.path.as_path()),
        (None, Some(path)) if !input.stream => Some(path.as_path()),
        _ => None,
    };
    if let (Some(Format::Parquet), Some(path)) = (input.format, seekable) {
        let file = fs::File::open(path)
            .map_err(|e| RecordError::new(&shown, None, format!("cannot read: {e}")))?;
        let reader = self::parquet::Reader::open(
            shown,
            file,
            &corpus.config,
            corpus.progress.clone(),
            None,
        )?;
        return Ok(Box::new(reader));
    }
    let open = |path: &Path| -> std::result::Result<Box<dyn std::io::Read>, RecordError> {
        let file = fs::File::open(path)
            .map_err(|e| RecordError::new(&shown, None, format!("cannot read: {e}")))?;
        Ok(Box::new(Counted::new(file, &corpus.progress)))
    };
    let raw: Box<dyn std::io::Read> = match (&input.spool, &input.path) {
        (Some(spool), _) => open(&spool.path)?,
        (None, Some(path)) => open(path)?,
        (None, None) => Box::new(Counted::new(
            std::io::Cursor::new(corpus.take_stdin_head()).chain(std::io::stdin()),
            &corpus.progress,
        )),
    };
    open_reader(&shown, raw, input.format, &corpus.config, parallel)
}

/// Streams the records of one input already open as `reader` (any `Read`: a network
/// stream, an archive member, bytes in memory), named `name` in errors. Compression is
/// found from the content; with `format` `None` the format is too (as for standard input).
pub fn read_stream(
    name: &Path,
    reader: Box<dyn std::io::Read>,
    format: Option<Format>,
    config: &ReadConfig,
) -> Records<'static> {
    let name = name.to_path_buf();
    let format = format.or(config.format);
    let records: RecordIter = match open_reader(&name, reader, format, config, false) {
        Ok(records) => records,
        Err(e) => Box::new(std::iter::once(Err(e))),
    };
    Records {
        corpus: None,
        next: 0,
        current: Some(records),
        parallel: false,
    }
}

/// Decodes `raw` and picks the reader for its format.
fn open_reader(
    shown: &Path,
    raw: Box<dyn std::io::Read>,
    format: Option<Format>,
    config: &ReadConfig,
    parallel: bool,
) -> std::result::Result<RecordIter, RecordError> {
    let cannot = |e: std::io::Error| RecordError::new(shown, None, format!("cannot read: {e}"));
    let mut reader = source::decode(raw, config.max_input_bytes).map_err(cannot)?;
    let format = match format {
        Some(format) => format,
        None => {
            let mut head = sniff::read_head(&mut *reader, sniff::LOOKAHEAD);
            let format = sniff::decide(&mut head, &config.fields)
                .map_err(|refusal| RecordError::new(shown, None, refusal.to_string()))?;
            reader = Box::new(source::Replay::new(head.bytes, reader));
            format
        }
    };
    let id = if shown.as_os_str() == STDIN_NAME {
        "stdin".to_owned()
    } else {
        text_id(shown)
    };
    let shown = shown.to_path_buf();
    Ok(match format {
        Format::Text => Box::new(text::Reader::new(shown, id, reader, config)),
        Format::Jsonl if parallel => Box::new(jsonl::Reader::new(shown, reader, config).parallel()),
        Format::Jsonl => Box::new(jsonl::Reader::new(shown, reader, config)),
        Format::Csv(delimiter) => Box::new(csv::Reader::new(shown, reader, delimiter, config)),
        Format::Parquet => read_parquet_stream(shown, reader, config)?,
    })
}

/// Reads Parquet from a stream (standard input, a FIFO, any `Read`): Parquet is read from
/// its end first, so the stream is copied to a temporary file (in the system's temporary
/// directory, removed when the reader is done) and read from there. The bytes were told
/// to the progress as they were copied.
fn read_parquet_stream(
    shown: PathBuf,
    mut reader: Box<dyn std::io::BufRead>,
    config: &ReadConfig,
) -> std::result::Result<RecordIter, RecordError> {
    let copy = spool(&std::env::temp_dir(), "parquet", &mut reader, &shown)
        .map_err(|e| RecordError::new(&shown, None, e.to_string()))?;
    let file = fs::File::open(&copy.path)
        .map_err(|e| RecordError::new(&shown, None, format!("cannot read its copy: {e}")))?;
    let reader = self::parquet::Reader::open(shown, file, config, Progress::default(), Some(copy))?;
    Ok(Box::new(reader))
}

/// The id of a text file: its name without the extension (and compression suffix).
fn text_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let name = &name[..strip_compression(&lower).len()];
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Everything read from the inputs: the documents, and the records skipped.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    /// The documents, in input order; ids made unique (see [`unique_ids`]).
    pub docs: Vec<Document>,
    /// Records that could not be read, in input order.
    pub skipped: Vec<RecordError>,
    /// For each skipped record, how many documents were read before it.
    pub skipped_before: Vec<usize>,
    /// Documents whose id repeated an earlier one and was renamed.
    pub renamed_ids: usize,
}

/// Reads every article under `inputs` into memory, in a stable order.
///
/// Unreadable records are skipped and listed, or end the read with [`OnError::Fail`].
/// Fails with [`Error::NoDocuments`] when the inputs hold no records at all.
pub fn read_inputs(
    inputs: &[PathBuf],
    config: &ReadConfig,
    on_error: OnError,
) -> Result<ReadOutcome> {
    read_corpus(&Corpus::open(inputs, config.clone())?, on_error)
}

/// [`read_inputs`] of inputs already found.
pub fn read_corpus(corpus: &Corpus, on_error: OnError) -> Result<ReadOutcome> {
    let mut out = ReadOutcome::default();
    for record in corpus.records_parallel() {
        match record {
            Ok(doc) => out.docs.push(doc),
            Err(e) if on_error == OnError::Fail => return Err(Error::Record(e)),
            Err(e) => {
                out.skipped.push(e);
                out.skipped_before.push(out.docs.len());
            }
        }
    }
    if out.docs.is_empty() && out.skipped.is_empty() {
        return Err(Error::NoDocuments);
    }
    out.renamed_ids = unique_ids(&mut out.docs);
    Ok(out)
}

/// Makes document ids unique: the first document with an id keeps it, a later one gets
/// `#2`, `#3`, … appended (skipping ids already taken). Returns how many were renamed.
///
/// Every record is kept — its paragraphs are accounted for like any other — and every
/// output row names one document.
pub fn unique_ids(docs: &mut [Document]) -> usize {
    let mut ids: Vec<String> = docs.iter_mut().map(|d| std::mem::take(&mut d.id)).collect();
    let renamed = rename_repeated(&mut ids);
    for (doc, id) in docs.iter_mut().zip(ids) {
        doc.id = id;
    }
    renamed
}

/// Whether `id` is what [`unique_ids`] may make of a document read as `read`: that id, or
/// it renamed `read#N`.
pub fn names(id: &str, read: &str) -> bool {
    let number = |n: &str| {
        !n.starts_with('0')
            && n.bytes().all(|b| b.is_ascii_digit())
            && n.parse::<u64>().is_ok_and(|k| k >= 2)
    };
    id == read
        || (id
            .strip_prefix(read)
            .and_then(|rest| rest.strip_prefix('#')))
        .is_some_and(number)
}

/// Renames each id that an earlier one repeats as [`unique_ids`] does; returns how many.
pub fn rename_repeated(ids: &mut [String]) -> usize {
    let mut taken: HashSet<String> = ids.iter().cloned().collect();
    let mut seen: HashSet<String> = HashSet::with_capacity(ids.len());
    let mut next: HashMap<String, usize> = HashMap::new();
    let mut renamed = 0;
    for id in ids.iter_mut() {
        if seen.insert(id.clone()) {
            continue;
        }
        let n = next.entry(id.clone()).or_insert(2);
        let new = loop {
            let candidate = format!("{id}#{n}");
            *n += 1;
            if !taken.contains(&candidate) {
                break candidate;
            }
        };
        taken.insert(new.clone());
        *id = new;
        renamed += 1;
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(inputs: &[PathBuf]) -> Result<ReadOutcome> {
        read_inputs(inputs, &ReadConfig::default(), OnError::Skip)
    }

    #[test]
    fn reads_directories_in_sorted_order_and_names_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("b.txt"), "Dua.").unwrap();
        fs::write(dir.path().join("a.txt"), "\u{feff}Satu.").unwrap();
        fs::write(dir.path().join("skip.bin"), [0xff]).unwrap();
        let read1 = read(&[dir.path().to_path_buf()]).unwrap();
        let ids: Vec<_> = read1.docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(read1.docs[0].text, "Satu.");

        fs::write(dir.path().join("c.txt"), b"ok\nbad \xff here").unwrap();
        let read2 = read(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(read2.docs.len(), 2);
        let err = &read2.skipped[0];
        assert_eq!(err.line, Some(2));
        assert!(err.to_string().contains("c.txt:2: invalid UTF-8"), "{err}");
        let err = read_inputs(
            &[dir.path().to_path_buf()],
            &ReadConfig::default(),
            OnError::Fail,
        )
        .unwrap_err();
        assert!(err.to_string().contains("c.txt:2"), "{err}");
    }

    #[test]
    fn a_corpus_can_be_read_again() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "Satu.").unwrap();
        fs::write(
            dir.path().join("b.jsonl"),
            "{\"id\":\"b\",\"text\":\"Dua.\"}\n[]\n",
        )
        .unwrap();
        let corpus = Corpus::open(&[dir.path().to_path_buf()], ReadConfig::default()).unwrap();
        let first: Vec<_> = corpus.records().collect();
        let second: Vec<_> = corpus.records().collect();
        assert_eq!(first.len(), 3);
        assert_eq!(first, second);
        let streamed: Vec<_> = read_stream(
            Path::new("b.jsonl"),
            Box::new(std::io::Cursor::new(
                b"{\"id\":\"b\",\"text\":\"Dua.\"}\n".to_vec(),
            )),
            None,
            &ReadConfig::default(),
        )
        .collect();
        assert_eq!(streamed.len(), 1);
        assert_eq!(streamed[0].as_ref().unwrap().text, "Dua.");
    }

    #[test]
    fn records_keep_what_was_read_unless_texts_only() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("a.jsonl"),
            "{\"n\": 1.50, \"text\":\"Satu.\",\"id\":7}\n",
        )
        .unwrap();
        fs::write(dir.path().join("b.csv"), "id,text,x\nb,Dua.,\"p, q\"\n").unwrap();
        fs::write(dir.path().join("c.txt"), "Tiga.").unwrap();
        let corpus = Corpus::open(&[dir.path().to_path_buf()], ReadConfig::default()).unwrap();
        let lines: Vec<String> = corpus
            .records()
            .map(|r| {
                let doc = r.unwrap();
                let mut out = Vec::new();
                match doc.raw {
                    Some(raw) => raw.write_json("id2", "T", &mut out).unwrap(),
                    None => out.extend_from_slice(b"none"),
                }
                String::from_utf8(out).unwrap()
            })
            .collect();
        assert_eq!(
            lines,
            [
                "{\"n\": 1.50, \"text\":\"T\",\"id\":\"id2\"}",
                "{\"id\":\"id2\",\"text\":\"T\",\"x\":\"p, q\"}",
                "none"
            ]
        );
        let texts_only = corpus.texts_only();
        let docs: Vec<Document> = texts_only.records_parallel().map(|r| r.unwrap()).collect();
        assert!(docs.iter().all(|d| d.raw.is_none()));
        assert_eq!(docs[1].text, "Dua.");
    }

    #[test]
    fn missing_input_is_named() {
        let err = read(&["no/such/dir".into()]).unwrap_err();
        assert_eq!(err.to_string(), "no/such/dir: no such file or directory");
    }

    #[test]
    fn globs_filter_walked_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("drafts")).unwrap();
        fs::write(dir.path().join("a.txt"), "A.").unwrap();
        fs::write(dir.path().join("b.md"), "B.").unwrap();
        fs::write(dir.path().join("drafts/c.txt"), "C.").unwrap();
        let ids = |globs: &[&str]| {
            let config = ReadConfig {
                globs: globs.iter().map(|g| g.to_string()).collect(),
                ..ReadConfig::default()
            };
            let out = read_inputs(&[dir.path().to_path_buf()], &config, OnError::Skip).unwrap();
            out.docs.into_iter().map(|d| d.id).collect::<Vec<_>>()
        };
        assert_eq!(ids(&[]), ["a", "b", "c"]);
        assert_eq!(ids(&["*.txt"]), ["a", "c"]);
        assert_eq!(ids(&["!drafts/**"]), ["a", "b"]);
        assert_eq!(ids(&["*.txt", "!drafts/*"]), ["a"]);
    }

    #[test]
    fn format_by_name_and_compressed_ids() {
        assert_eq!(Format::of(Path::new("a.JSONL.gz")), Some(Format::Jsonl));
        assert_eq!(Format::of(Path::new("a.tsv.zst")), Some(Format::Csv(b'\t')));
        assert_eq!(Format::of(Path::new("a.gz")), None);
        assert_eq!(text_id(Path::new("dir/news.txt.gz")), "news");
        assert_eq!(text_id(Path::new("dir/news.md")), "news");
    }

    #[test]
    fn repeated_ids_are_renamed_in_order() {
        let doc = |id: &str| Document {
            id: id.into(),
            title: None,
            site: None,
            text: String::new(),
            source: Source {
                path: PathBuf::new(),
                line: None,
            },
            raw: None,
        };
        let mut docs = vec![doc("a"), doc("a"), doc("a#2"), doc("a"), doc("b")];
        assert_eq!(unique_ids(&mut docs), 2);
        let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "a#3", "a#2", "a#4", "b"]);
    }
}
