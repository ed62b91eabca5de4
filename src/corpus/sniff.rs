//! Telling the format of a stream that has no file name (standard input) from its first
//! bytes, under `--input-format auto`. A stream that starts with `PAR1`, Parquet's magic
//! bytes, is Parquet. Otherwise the rule, in order, after any number of blank lines
//! (lines of white space and byte-order marks, `\n`, `\r\n` or `\r` ended):
//!
//! 1. nothing else at all: text (an empty article);
//! 2. the first non-blank character is `{`: JSON Lines;
//! 3. it is `[`: refused (a JSON array is not JSON Lines);
//! 4. the first non-blank line, read as a CSV row split at tabs, names the id and text
//!    columns: TSV; split at commas: CSV;
//! 5. that line looks like a header of other columns (two or more tab- or comma-separated
//!    names, at least two of them not empty, each at most 64 letters, digits, `_`, `-` or
//!    `.`): refused;
//! 6. anything else: one text article.
//!
//! The blank lines and that first line must come within [`LOOKAHEAD`] bytes; more blank
//! space than that is refused. A refusal is an error naming `--input-format`, never a guess.

use std::io::{self, BufRead};

use super::source::{is_blank, lead, Lead};
use super::{Format, JsonFields};

/// How many bytes of a stream `auto` may look at: its blank lines and first line.
pub const LOOKAHEAD: usize = 1 << 20;

/// Longest column name recognised as one in a header line.
const MAX_NAME: usize = 64;

/// Where the first non-blank character of `head` is, and where its line starts; `None`
/// when `head` is blank through (or ends inside a character that may be blank).
fn first_non_blank(head: &[u8]) -> Option<(usize, usize)> {
    let (mut at, mut line_start) = (0, 0);
    while at < head.len() {
        match lead(&head[at..]) {
            Lead::Blank(n) => {
                if head[at] == b'\n' || head[at] == b'\r' {
                    line_start = at + 1;
                }
                at += n;
            }
            Lead::Incomplete => return None,
            Lead::Other => return Some((at, line_start)),
        }
    }
    None
}

/// Whether `head` holds enough to tell the format: a first non-blank character that says
/// JSON, or a whole first non-blank line.
fn enough(head: &[u8]) -> bool {
    if head.starts_with(super::parquet::MAGIC) {
        return true;
    }
    match first_non_blank(head) {
        Some((at, _)) if matches!(head[at], b'{' | b'[') => true,
        Some((at, _)) => memchr::memchr2(b'\n', b'\r', &head[at..]).is_some(),
        None => false,
    }
}

/// The first bytes of `reader`, consumed: up to the end of its first non-blank line, at
/// most `limit` bytes. `complete` when that is the whole stream. A read error after some
/// bytes is kept for [`decide`], which needs it only if those bytes are not enough.
pub(crate) struct Head {
    pub bytes: Vec<u8>,
    pub complete: bool,
    pub error: Option<io::Error>,
}

/// Reads the [`Head`] of `reader`.
pub(crate) fn read_head(reader: &mut dyn BufRead, limit: usize) -> Head {
    let mut bytes = Vec::new();
    loop {
        if bytes.len() >= limit || enough(&bytes) {
            return Head {
                bytes,
                complete: false,
                error: None,
            };
        }
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Head {
                    bytes,
                    complete: false,
                    error: Some(e),
                }
            }
        };
        if available.is_empty() {
            return Head {
                bytes,
                complete: true,
                error: None,
            };
        }
        let n = available.len().min(limit - bytes.len());
        bytes.extend_from_slice(&available[..n]);
        reader.consume(n);
    }
}

/// Why a stream's format was not told.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The bytes could not be read.
    Io(io::Error),
    /// The content is ambiguous; the message says why.
    Unclear(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Io(e) => write!(f, "cannot read: {e}"),
            Refusal::Unclear(why) => write!(
                f,
                "cannot tell its format: {why}; pass --input-format text, jsonl, csv or tsv"
            ),
        }
    }
}

/// The format of a stream that starts with `head` (see the module documentation).
pub(crate) fn decide(head: &mut Head, fields: &JsonFields) -> Result<Format, Refusal> {
    if let Some(e) = head.error.take() {
        if !enough(&head.bytes) {
            return Err(Refusal::Io(e));
        }
    }
    sniff(&head.bytes, head.complete, fields).map_err(Refusal::Unclear)
}

/// The format of a stream that starts with `head` (the whole of it when `complete`), or
/// why it cannot be told.
pub fn sniff(head: &[u8], complete: bool, fields: &JsonFields) -> Result<Format, String> {
    if head.starts_with(super::parquet::MAGIC) {
        return Ok(Format::Parquet);
    }
    let Some((at, line_start)) = first_non_blank(head) else {
        return if complete {
            Ok(Format::Text)
        } else {
            Err(format!(
                "more than {} KiB of blank lines before the first line with text",
                LOOKAHEAD >> 10
            ))
        };
    };
    match head[at] {
        b'{' => return Ok(Format::Jsonl),
        b'[' => {
            return Err(
                "it starts with `[`, a JSON array, which is not JSON Lines (one object per line; `jq -c '.[]'` converts it)"
                    .into(),
            )
        }
        _ => {}
    }
    let rest = &head[line_start..];
    let line = match memchr::memchr2(b'\n', b'\r', &head[at..]) {
        Some(end) => &rest[..at - line_start + end],
        // A first line longer than the look-ahead is no header.
        None if !complete => return Ok(Format::Text),
        None => rest,
    };
    for (delimiter, format) in [(b'\t', Format::Csv(b'\t')), (b',', Format::Csv(b','))] {
        let names = column_names(line, delimiter);
        let has = |field: &str| names.iter().any(|n| n == field);
        if has(&fields.id) && has(&fields.text) {
            return Ok(format);
        }
    }
    let delimiter = if line.contains(&b'\t') { b'\t' } else { b',' };
    let names = column_names(line, delimiter);
    let named = names.iter().filter(|n| !n.is_empty()).count();
    let header_like = names.len() >= 2
        && named >= 2
        && names.iter().all(|n| {
            n.len() <= MAX_NAME
                && n.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        });
    if header_like {
        return Err(format!(
            "its first line looks like a {} header ({}) without the columns `{}` and `{}`: name them with --id-field and --text-field",
            if delimiter == b'\t' { "TSV" } else { "CSV" },
            names.join(", "),
            fields.id,
            fields.text
        ));
    }
    Ok(Format::Text)
}

/// The fields of `line` read as one CSV row, each as a column name (see [`column_name`]).
fn column_names(line: &[u8], delimiter: u8) -> Vec<String> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(line);
    let mut record = ::csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => record.iter().map(column_name).collect(),
        _ => Vec::new(),
    }
}

/// A header field as a column name: blank characters (byte-order marks too) trimmed.
pub(crate) fn column_name(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw)
        .trim_matches(is_blank)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniffed(input: &str) -> Result<Format, String> {
        sniff(input.as_bytes(), true, &JsonFields::default())
    }

    #[test]
    fn the_rule_in_order() {
        assert_eq!(sniffed(""), Ok(Format::Text));
        assert_eq!(sniffed("PAR1\x15\x04"), Ok(Format::Parquet));
        assert_eq!(sniffed(" PAR1"), Ok(Format::Text));
        assert_eq!(sniffed(" \r\n\u{feff}\t\n"), Ok(Format::Text));
        assert_eq!(sniffed("\r\n\r\n{\"id\":1}"), Ok(Format::Jsonl));
        assert_eq!(sniffed("\u{feff}\u{a0}\n  {"), Ok(Format::Jsonl));
        assert!(sniffed("\n [{\"id\":1}]")
            .unwrap_err()
            .contains("JSON array"));
        assert_eq!(sniffed("\nid,text\na,b\n"), Ok(Format::Csv(b',')));
        assert_eq!(
            sniffed("\"title\",\"text\",\"id\"\r\n"),
            Ok(Format::Csv(b','))
        );
        assert_eq!(sniffed("\u{feff}id\ttext"), Ok(Format::Csv(b'\t')));
        assert_eq!(sniffed("\tid\ttext\n"), Ok(Format::Csv(b'\t')));
        let err = sniffed("doc_id,body\n1,x\n").unwrap_err();
        assert!(err.contains("CSV header (doc_id, body)"), "{err}");
        let refusal = Refusal::Unclear(err).to_string();
        assert!(
            refusal.contains("pass --input-format text, jsonl, csv or tsv"),
            "{refusal}"
        );
        assert!(sniffed(",doc_id,content\n").is_err());
        assert!(sniffed("url\tbody\n").unwrap_err().contains("TSV header"));
        assert_eq!(sniffed("Hello, world. Harga naik.\n"), Ok(Format::Text));
        assert_eq!(
            sniffed("JAKARTA, KOMPAS.com - Harga beras"),
            Ok(Format::Text)
        );
        assert_eq!(sniffed("Harga,\n"), Ok(Format::Text));
        assert_eq!(sniffed("Satu paragraf."), Ok(Format::Text));
    }

    #[test]
    fn custom_field_names_make_the_header() {
        let fields = JsonFields {
            id: "doc_id".into(),
            text: "body".into(),
            title: "t".into(),
            site: "s".into(),
        };
        assert_eq!(
            sniff(b"doc_id,body\n", true, &fields),
            Ok(Format::Csv(b','))
        );
    }

    #[test]
    fn too_much_blank_space_or_a_cut_line() {
        let blank = vec![b' '; 100];
        assert!(sniff(&blank, false, &JsonFields::default())
            .unwrap_err()
            .contains("blank lines"));
        // A first line cut by the look-ahead is not a header.
        assert_eq!(
            sniff(b"id,text", false, &JsonFields::default()),
            Ok(Format::Text)
        );
        // A partial byte-order mark at the end of a cut head: blank so far.
        assert!(sniff(b"\n\xef\xbb", false, &JsonFields::default()).is_err());
    }

    #[test]
    fn reads_the_head_past_many_buffer_fills() {
        let mut input = vec![b'\n'; 300_000];
        input.extend_from_slice(b"{\"id\":1}\n{\"id\":2}\n");
        let mut reader = io::BufReader::with_capacity(1000, io::Cursor::new(input.clone()));
        let mut head = read_head(&mut reader, LOOKAHEAD);
        assert!(!head.complete);
        assert!(head.bytes.len() > 300_000);
        assert_eq!(
            decide(&mut head, &JsonFields::default()).unwrap(),
            Format::Jsonl
        );
        for capacity in 1..8 {
            let input = "\u{feff}\u{3000}\r\n\u{a0} \u{feff}id,text\n".as_bytes();
            let mut reader = io::BufReader::with_capacity(capacity, input);
            let mut head = read_head(&mut reader, LOOKAHEAD);
            assert_eq!(head.bytes, input, "buffer of {capacity}");
            assert_eq!(
                decide(&mut head, &JsonFields::default()).unwrap(),
                Format::Csv(b',')
            );
        }
        let mut reader = io::Cursor::new(vec![b' '; 2 * LOOKAHEAD]);
        let mut head = read_head(&mut reader, LOOKAHEAD);
        assert_eq!(head.bytes.len(), LOOKAHEAD);
        assert!(decide(&mut head, &JsonFields::default()).is_err());
    }
}
