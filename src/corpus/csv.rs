//! CSV and TSV: a header row, then one article per record; the id, text and title columns
//! are named by the same flags as the JSONL fields.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, VecDeque};
use std::io::{self, BufRead, Read};
use std::path::PathBuf;
use std::rc::Rc;

use super::source::{skip_blank_lines, Replay};
use super::{Document, ReadConfig, Source};
use crate::error::RecordError;

/// Streams the records of one CSV input.
pub(super) struct Reader {
    path: PathBuf,
    csv: ::csv::Reader<Budget>,
    /// Bytes the current record has taken from the input.
    used: Rc<Cell<u64>>,
    columns: Option<Columns>,
    fields: super::JsonFields,
    /// Keep the record as read ([`Document::raw`]).
    keep: bool,
    record: ::csv::ByteRecord,
    /// Record starts and badly quoted records, found ahead of the parser.
    marks: Rc<RefCell<Marks>>,
    /// Bytes and lines of the blank lines skipped before the header: the parser counts
    /// from there.
    base: Rc<Cell<(u64, u64)>>,
    done: bool,
}

/// Positions of the id, text and title columns.
struct Columns {
    id: usize,
    text: usize,
    title: Option<usize>,
    site: Option<usize>,
    /// Every column's name, in header order.
    names: std::sync::Arc<[String]>,
}

/// Counts the bytes handed to the CSV parser since the last record and fails past the cap,
/// so that a record with an unclosed quote cannot swallow a whole file into memory; and
/// checks the quoting on the way (the parser itself accepts anything). Blank lines before
/// the header (white space and byte-order marks only) are skipped first, as they are
/// before the first JSON Lines record.
struct Budget {
    inner: Box<dyn BufRead>,
    used: Rc<Cell<u64>>,
    cap: u64,
    quotes: Quotes,
    /// The blank lines at the start are skipped (on the first read).
    started: bool,
    /// Where to note the bytes and lines they took.
    base: Rc<Cell<(u64, u64)>>,
}

/// Where records start, and RFC 4180 quoting, checked byte by byte on the way to the
/// parser: records where a quote stands inside an unquoted field, text follows a closing
/// quote, or a quote is never closed. It recovers the way the CSV parser does, so record
/// starts stay in step. Lines end at `\n`, `\r\n` or a lone `\r` (the parser itself
/// counts only `\n`).
struct Quotes {
    delimiter: u8,
    state: QuoteState,
    /// Bytes seen so far.
    offset: u64,
    /// Current line (1-based).
    line: u64,
    prev_cr: bool,
    /// Byte offset of the current record.
    record_start: u64,
    /// Line where the quoted field being read opened.
    quote_line: u64,
    /// Shared with the reader.
    marks: Rc<RefCell<Marks>>,
}

/// What the scanner found ahead of the parser.
#[derive(Default)]
struct Marks {
    /// `(byte offset, line)` of every record start not yet read by the parser.
    starts: VecDeque<(u64, u64)>,
    /// Byte offsets of records whose quoting is malformed.
    bad: BTreeSet<u64>,
    /// `(byte offset, line the quote opened at)` of a record whose quote is never closed:
    /// it ran to the end of the file.
    unclosed: Option<(u64, u64)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    /// Between records (after a line end).
    RecordStart,
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl Quotes {
    fn scan(&mut self, bytes: &[u8]) {
        use QuoteState::*;
        for &b in bytes {
            let end_of_line = b == b'\n' || b == b'\r';
            if self.state == RecordStart && !end_of_line {
                self.record_start = self.offset;
                self.marks
                    .borrow_mut()
                    .starts
                    .push_back((self.offset, self.line));
                self.state = FieldStart;
            }
            self.state = match (self.state, b) {
                (RecordStart, _) => RecordStart,
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (FieldStart, b'"') => {
                    self.quote_line = self.line;
                    Quoted
                }
                (QuoteInQuoted, b'"') => Quoted,
                (_, _) if b == self.delimiter => FieldStart,
                (_, _) if end_of_line => RecordStart,
                (Unquoted, b'"') | (QuoteInQuoted, _) => {
                    self.mark();
                    Unquoted
                }
                (_, _) => Unquoted,
            };
            if b == b'\r' || (b == b'\n' && !self.prev_cr) {
                self.line += 1;
            }
            self.prev_cr = b == b'\r';
            self.offset += 1;
        }
    }

    fn finish(&mut self) {
        if self.state == QuoteState::Quoted {
            self.mark();
            self.marks.borrow_mut().unclosed = Some((self.record_start, self.quote_line));
        }
        self.state = QuoteState::RecordStart;
    }

    fn mark(&self) {
        self.marks.borrow_mut().bad.insert(self.record_start);
    }
}

impl Read for Budget {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let first = !self.started;
        if first {
            self.started = true;
            let cap = usize::try_from(self.cap).unwrap_or(usize::MAX);
            let skipped = skip_blank_lines(&mut *self.inner, cap)?;
            self.quotes.line += skipped.lines;
            self.base.set((skipped.bytes, skipped.lines));
            let inner = std::mem::replace(&mut self.inner, Box::new(io::empty()));
            self.inner = Box::new(Replay::new(skipped.keep, inner));
        }
        if self.used.get() > self.cap {
            let open = if self.quotes.state == QuoteState::Quoted {
                format!(
                    " (a quote opened at line {} is still open)",
                    self.quotes.quote_line
                )
            } else {
                String::new()
            };
            return Err(io::Error::other(format!(
                "record longer than the record limit of {} bytes (--max-record-bytes){open}",
                self.cap
            )));
        }
        let mut n = self.inner.read(buf)?;
        // The parser strips a byte-order mark from its first bytes and takes no bytes left
        // for the end of the input: the first read gives it more than a mark.
        while first && n > 0 && n < buf.len().min(4) {
            match self.inner.read(&mut buf[n..])? {
                0 => break,
                more => n += more,
            }
        }
        self.used.set(self.used.get() + n as u64);
        if n == 0 {
            self.quotes.finish();
        } else {
            self.quotes.scan(&buf[..n]);
        }
        Ok(n)
    }
}

impl Reader {
    pub(super) fn new(
        path: PathBuf,
        reader: Box<dyn BufRead>,
        delimiter: u8,
        config: &ReadConfig,
    ) -> Self {
        let used = Rc::new(Cell::new(0));
        let marks = Rc::default();
        let base = Rc::new(Cell::new((0, 0)));
        let budget = Budget {
            inner: reader,
            used: Rc::clone(&used),
            started: false,
            base: Rc::clone(&base),
            cap: config.max_record_bytes as u64,
            quotes: Quotes {
                delimiter,
                state: QuoteState::RecordStart,
                offset: 0,
                line: 1,
                prev_cr: false,
                record_start: 0,
                quote_line: 1,
                marks: Rc::clone(&marks),
            },
        };
        let csv = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(false)
            .buffer_capacity(64 * 1024)
            .from_reader(budget);
        Reader {
            path,
            csv,
            used,
            columns: None,
            fields: config.fields.clone(),
            keep: config.keep_records,
            record: ::csv::ByteRecord::new(),
            marks,
            base,
            done: false,
        }
    }

    /// `(byte offset, line)` of the record the parser placed at `pos`: the first record
    /// start the scanner saw at or after it (the parser's position may be before blank
    /// lines it skipped). Earlier starts are forgotten.
    fn start_of(&self, pos: &::csv::Position) -> (u64, u64) {
        let mut marks = self.marks.borrow_mut();
        while marks.starts.front().is_some_and(|s| s.0 < pos.byte()) {
            marks.starts.pop_front();
        }
        marks
            .starts
            .front()
            .copied()
            .unwrap_or((pos.byte(), pos.line() + self.base.get().1))
    }

    fn error(&self, line: u64, message: String) -> RecordError {
        RecordError::new(&self.path, Some(line as usize), message)
    }

    /// The error of the record at byte `start` when its quote is never closed: the parser
    /// read the rest of the file into it, and the message must say so (else the records it
    /// swallowed are lost without a word).
    fn unclosed(&self, start: u64, line: u64) -> Option<RecordError> {
        let (at, opened) = self.marks.borrow().unclosed?;
        (at == start).then(|| {
            self.error(
                line,
                format!(
                    "malformed CSV quoting: unclosed quote opened at line {opened}; the rest of the file was read as one field"
                ),
            )
        })
    }

    /// Reads the next record into `self.record`: `Ok(false)` at the end.
    fn read_record(&mut self) -> Result<bool, RecordError> {
        self.used.set(0);
        let before = self.csv.position().clone();
        match self.csv.read_byte_record(&mut self.record) {
            Ok(more) => Ok(more),
            Err(e) => {
                let (start, line) = self.start_of(e.position().unwrap_or(&before));
                if let Some(error) = self.unclosed(start, line) {
                    return Err(error);
                }
                let fatal = matches!(e.kind(), ::csv::ErrorKind::Io(_));
                if fatal {
                    self.done = true;
                }
                let message = match e.kind() {
                    ::csv::ErrorKind::Io(io) => {
                        format!("cannot read: {io}; the rest of the file is skipped")
                    }
                    ::csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!(
                        "malformed CSV: {len} fields where the header has {expected_len} (check the quoting)"
                    ),
                    _ => format!("malformed CSV: {e}"),
                };
                Err(self.error(line, message))
            }
        }
    }

    /// Finds the columns in the header row.
    fn header(&mut self) -> Result<Option<Columns>, RecordError> {
        if !self.read_record()? {
            return Ok(None);
        }
        let names: Vec<String> = self.record.iter().map(super::sniff::column_name).collect();
        let find = |field: &str| names.iter().position(|n| n == field);
        let missing = |field: &str| {
            self.error(
                1,
                format!(
                    "no column `{field}` in the header ({}); the file is skipped",
                    names.join(", ")
                ),
            )
        };
        let id = find(&self.fields.id).ok_or_else(|| missing(&self.fields.id))?;
        let text = find(&self.fields.text).ok_or_else(|| missing(&self.fields.text))?;
        Ok(Some(Columns {
            id,
            text,
            title: find(&self.fields.title),
            site: find(&self.fields.site),
            names: names.into(),
        }))
    }

    fn document(&self, columns: &Columns) -> Result<Document, RecordError> {
        let (start, line) = self
            .record
            .position()
            .map_or((0, 0), |pos| self.start_of(pos));
        if self.marks.borrow_mut().bad.remove(&start) {
            let id = std::str::from_utf8(self.record.get(columns.id).unwrap_or_default())
                .unwrap_or_default();
            let error = self.unclosed(start, line).unwrap_or_else(|| {
                self.error(
                    line,
                    "malformed CSV quoting (a quote inside an unquoted field or text after a closing quote)".into(),
                )
            });
            return Err(if id.is_empty() {
                error
            } else {
                error.with_id(id)
            });
        }
        let field = |i: usize, name: &str| {
            let bytes = self.record.get(i).unwrap_or_default();
            let text = std::str::from_utf8(bytes).map_err(|e| {
                let offset = self.base.get().0 + self.record.position().map_or(0, |p| p.byte());
                self.error(
                    line,
                    format!(
                        "invalid UTF-8 in column `{name}` (record at byte offset {offset}, {} bytes into the field)",
                        e.valid_up_to()
                    ),
                )
            })?;
            if memchr::memchr(0, bytes).is_some() {
                return Err(self.error(line, format!("binary data (NUL byte in column `{name}`)")));
            }
            Ok(text)
        };
        let id = field(columns.id, &self.fields.id)?.to_owned();
        let text = field(columns.text, &self.fields.text)
            .map_err(|e| e.with_id(id.clone()))?
            .to_owned();
        let title = match columns.title {
            Some(i) => field(i, &self.fields.title).map_err(|e| e.with_id(id.clone()))?,
            None => "",
        };
        let title = title.trim();
        let site = match columns.site {
            Some(i) => field(i, &self.fields.site).map_err(|e| e.with_id(id.clone()))?,
            None => "",
        }
        .trim();
        let raw = self.keep.then(|| {
            let values = self
                .record
                .iter()
                .enumerate()
                .map(|(k, v)| match k == columns.text {
                    true => String::new(),
                    false => String::from_utf8_lossy(v).into_owned(),
                })
                .collect();
            Box::new(super::RawRecord::Csv {
                columns: std::sync::Arc::clone(&columns.names),
                values,
                text: columns.text,
                id: columns.id,
            })
        });
        Ok(Document {
            raw,
            id,
            title: (!title.is_empty()).then(|| title.to_owned()),
            site: (!site.is_empty()).then(|| site.to_owned()),
            text,
            source: Source {
                path: self.path.clone(),
                line: Some(line as usize),
            },
        })
    }
}

impl Iterator for Reader {
    type Item = Result<Document, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let columns = match self.columns.take() {
            Some(columns) => columns,
            None => match self.header() {
                Ok(Some(columns)) => columns,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            },
        };
        let item = loop {
            match self.read_record() {
                Ok(false) => {
                    self.done = true;
                    break None;
                }
                Ok(true) if self.record.iter().all(|f| f.is_empty()) => continue,
                Ok(true) => break Some(self.document(&columns)),
                Err(e) => break Some(Err(e)),
            }
        };
        self.columns = Some(columns);
        item
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str, cap: usize) -> Vec<String> {
        let config = ReadConfig {
            max_record_bytes: cap,
            ..ReadConfig::default()
        };
        let reader = Box::new(io::Cursor::new(input.as_bytes().to_vec()));
        Reader::new("in.csv".into(), reader, b',', &config)
            .map(|r| match r {
                Ok(doc) => format!(
                    "{} {:?} {:?} line {}",
                    doc.id,
                    doc.title,
                    doc.text,
                    doc.source.line.unwrap()
                ),
                Err(e) => e.to_string(),
            })
            .collect()
    }

    #[test]
    fn reads_columns_by_name_with_quoted_newlines() {
        let rows = read(
            "\u{feff}title,text,id\nJudul,\"Satu.\n\nDua, \"\"tiga\"\".\",\"a,1\"\n,x,b\n",
            1000,
        );
        assert_eq!(
            rows,
            [
                "a,1 Some(\"Judul\") \"Satu.\\n\\nDua, \\\"tiga\\\".\" line 2",
                "b None \"x\" line 5"
            ]
        );
    }

    #[test]
    fn malformed_rows_are_errors_and_reading_goes_on() {
        let rows = read("id,text\na,satu\nb,dua,extra\nc,tiga\n", 1000);
        assert_eq!(rows[0], "a None \"satu\" line 2");
        assert_eq!(
            rows[1],
            "in.csv:3: malformed CSV: 3 fields where the header has 2 (check the quoting)"
        );
        assert_eq!(rows[2], "c None \"tiga\" line 4");
        let rows = read("id,body\na,b\n", 1000);
        assert_eq!(
            rows,
            ["in.csv:1: no column `text` in the header (id, body); the file is skipped"]
        );
    }

    #[test]
    fn malformed_quoting_is_an_error_naming_the_record() {
        let rows = read(
            "id,text\na,\"bad \"quote\" inside\"\nb,\"ok \"\"quoted\"\"\"\nc,x\"y\nd,\"never closed\ne,f\n",
            1000,
        );
        let quoting = "malformed CSV quoting (a quote inside an unquoted field or text after a closing quote)";
        assert_eq!(
            rows,
            [
                format!("in.csv:2: {quoting}"),
                "b None \"ok \\\"quoted\\\"\" line 3".to_owned(),
                format!("in.csv:4: {quoting}"),
                "in.csv:5: malformed CSV quoting: unclosed quote opened at line 5; the rest of the file was read as one field".to_owned(),
            ]
        );
    }

    #[test]
    fn lines_end_at_lone_carriage_returns_too() {
        // Found by the read_csv fuzz target: the parser counts only `\n`, so records of
        // a file with `\r` line ends were all "line 1".
        let rows = read("id,text\ra,x\r\rb,\"y\ry\"\r\nc,z\n", 1000);
        assert_eq!(
            rows,
            [
                "a None \"x\" line 2",
                "b None \"y\\ry\" line 4",
                "c None \"z\" line 6"
            ]
        );
    }

    #[test]
    fn blank_lines_before_the_header_are_skipped_whatever_the_buffer_size() {
        // An invalid byte in the last record, to see its offset counted from the start.
        let bytes = [
            "\u{feff}\r\n \u{3000}\n\r\u{feff}id,text\na,x\nb,\"".as_bytes(),
            b"\xff\"\n",
        ]
        .concat();
        for capacity in 1..9 {
            let reader = io::BufReader::with_capacity(capacity, io::Cursor::new(bytes.clone()));
            let rows: Vec<String> = Reader::new(
                "in.csv".into(),
                Box::new(reader),
                b',',
                &ReadConfig::default(),
            )
            .map(|r| match r {
                Ok(doc) => format!("{} line {}", doc.id, doc.source.line.unwrap()),
                Err(e) => e.to_string(),
            })
            .collect();
            assert_eq!(
                rows,
                [
                    "a line 5",
                    "in.csv:6: invalid UTF-8 in column `text` (record at byte offset 26, 0 bytes into the field)"
                ],
                "buffer of {capacity}"
            );
        }
    }

    #[test]
    fn an_unclosed_quote_stops_at_the_record_limit() {
        let input = format!("id,text\na,\"{}\nb,c\n", "x".repeat(500_000));
        let rows = read(&input, 100_000);
        assert_eq!(rows.len(), 1);
        assert!(
            rows[0].starts_with("in.csv:2: cannot read: record longer"),
            "{}",
            rows[0]
        );
    }
}
