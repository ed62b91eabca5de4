//! Opening one input as a stream of bytes: a file or standard input, decompressed when its
//! first bytes say gzip (`1f 8b`) or zstd (`28 b5 2f fd`), whatever its name, and capped at
//! a number of decompressed bytes so that a compression bomb ends as an error.

use std::io::{self, BufRead, BufReader, Read};

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

/// Buffer size of the readers (records are read line by line from it).
const BUFFER: usize = 64 * 1024;

/// Compression found in the first bytes of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip, possibly several concatenated members.
    Gzip,
    /// Zstandard.
    Zstd,
}

/// Wraps `raw` in the decoder its first bytes call for and in the byte limit.
pub(crate) fn decode<'a>(
    mut raw: Box<dyn Read + 'a>,
    max_bytes: u64,
) -> io::Result<Box<dyn BufRead + 'a>> {
    // A pipe may deliver fewer than four bytes at first: read until we have them or EOF,
    // then put them back in front of the stream.
    let mut head = Vec::with_capacity(ZSTD_MAGIC.len());
    let mut byte = [0u8; 1];
    while head.len() < ZSTD_MAGIC.len() {
        match raw.read(&mut byte) {
            Ok(0) => break,
            Ok(_) => head.push(byte[0]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    let compression = sniff(&head);
    let raw = BufReader::with_capacity(BUFFER, io::Cursor::new(head).chain(raw));
    // One buffer between the bytes and the records: the limit passes it on, uncopied.
    let decoded: Box<dyn BufRead + 'a> = match compression {
        Compression::None => Box::new(raw),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            BUFFER,
            flate2::bufread::MultiGzDecoder::new(raw),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            BUFFER,
            zstd::Decoder::with_buffer(raw)?,
        )),
    };
    Ok(Box::new(Limit {
        inner: decoded,
        left: max_bytes,
        max: max_bytes,
    }))
}

/// The compression of a stream that starts with `head`.
pub fn sniff(head: &[u8]) -> Compression {
    if head.starts_with(GZIP_MAGIC) {
        Compression::Gzip
    } else if head.starts_with(ZSTD_MAGIC) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// A reader that fails once more than `max` bytes came through it.
struct Limit<R> {
    inner: R,
    left: u64,
    max: u64,
}

impl<R: BufRead> BufRead for Limit<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let (left, max) = (self.left, self.max);
        let available = self.inner.fill_buf()?;
        if left == 0 && !available.is_empty() {
            // More bytes after `max` of them: the input is longer than allowed.
            return Err(io::Error::other(format!(
                "input longer than {max} bytes after decompression (--max-input-bytes)"
            )));
        }
        let n = available
            .len()
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        Ok(&available[..n])
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
        self.left = self.left.saturating_sub(amount as u64);
    }
}

impl<R: BufRead> Read for Limit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// What [`read_line`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    /// A line (without its `\n`) is in the buffer.
    Read,
    /// The line was longer than the cap; its bytes (this many) were skipped, the buffer is empty.
    TooLong(u64),
}

/// Position of the first `\n` (vectorised, as lines are long).
fn find_newline(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes)
}

/// Reads one line (up to and without `\n`) into `buf`, holding at most `cap` bytes: a
/// longer line is consumed and dropped without being kept. `None` at end of input.
pub(crate) fn read_line(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<Line>> {
    buf.clear();
    append_line(reader, buf, cap)
}

/// [`read_line`], appending the line to what `buf` holds (which a line too long leaves as
/// it was): many lines can be read into one buffer without copying them again.
pub(crate) fn append_line(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<Line>> {
    let start = buf.len();
    let mut total: u64 = 0;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            if total == 0 {
                return Ok(None);
            }
            break;
        }
        let (chunk, done) = match find_newline(available) {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        if !too_long {
            if buf.len() - start + chunk.len() > cap {
                too_long = true;
                buf.truncate(start);
                buf.shrink_to(start.max(BUFFER));
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        total += chunk.len() as u64;
        let used = done.unwrap_or(chunk.len());
        reader.consume(used);
        if done.is_some() {
            break;
        }
    }
    Ok(Some(if too_long {
        Line::TooLong(total)
    } else {
        Line::Read
    }))
}

/// A blank character (whitespace, or a byte-order mark) at the start of some bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lead {
    /// A blank character of this many bytes.
    Blank(usize),
    /// Anything else (also bytes that are not UTF-8).
    Other,
    /// The bytes end inside a character that may be blank: more are needed to tell.
    Incomplete,
}

/// Whether `c` is blank: white space, or U+FEFF (the byte-order mark), which `str::trim`
/// keeps. A JSON Lines line or a CSV column name is trimmed of these.
pub(crate) fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// What starts `bytes`: a blank character (see [`is_blank`]), something else, or too few
/// bytes to tell.
pub(crate) fn lead(bytes: &[u8]) -> Lead {
    let Some(&first) = bytes.first() else {
        return Lead::Incomplete;
    };
    // Every blank character is at most three bytes long (U+3000, U+FEFF).
    let len = match first {
        0x00..=0x7f if (first as char).is_whitespace() => return Lead::Blank(1),
        0x00..=0x7f => return Lead::Other,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => return Lead::Other,
    };
    if bytes.len() < len {
        return Lead::Incomplete;
    }
    match std::str::from_utf8(&bytes[..len]) {
        Ok(s) if s.chars().next().is_some_and(is_blank) => Lead::Blank(len),
        _ => Lead::Other,
    }
}

/// Bytes read ahead of a reader, served again before the rest of it.
pub(crate) struct Replay<R> {
    head: Vec<u8>,
    at: usize,
    inner: R,
}

impl<R> Replay<R> {
    pub(crate) fn new(head: Vec<u8>, inner: R) -> Self {
        Replay { head, at: 0, inner }
    }
}

impl<R: BufRead> BufRead for Replay<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at < self.head.len() {
            return Ok(&self.head[self.at..]);
        }
        if !self.head.is_empty() {
            // Served: its memory goes back.
            self.head = Vec::new();
            self.at = 0;
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if self.at < self.head.len() {
            self.at += amount.min(self.head.len() - self.at);
        } else {
            self.inner.consume(amount);
        }
    }
}

impl<R: BufRead> Read for Replay<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// What [`skip_blank_lines`] passed over.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Skipped {
    /// Bytes of the blank lines skipped.
    pub bytes: u64,
    /// Lines skipped (`\n`, `\r\n` and a lone `\r` each end one).
    pub lines: u64,
    /// Bytes read past the blank lines, to be read again first: the blank start of the
    /// first line that is not blank (a TSV header may start with a tab), or a partial
    /// character.
    pub keep: Vec<u8>,
}

/// Consumes the lines at the start of `reader` that hold only blank characters (see
/// [`is_blank`]), streaming, however many there are. A blank run longer than `cap` on one
/// line stops the skipping (the record it starts is too long anyway).
pub(crate) fn skip_blank_lines(reader: &mut dyn BufRead, cap: usize) -> io::Result<Skipped> {
    let mut skipped = Skipped::default();
    let mut line: Vec<u8> = Vec::new();
    let mut partial: Vec<u8> = Vec::new();
    let mut prev_cr = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            line.extend_from_slice(&partial);
            skipped.keep = line;
            return Ok(skipped);
        }
        if !partial.is_empty() {
            // A character split between two buffers: complete it, then tell.
            let len = if partial[0] >= 0xe0 { 3 } else { 2 };
            let take = (len - partial.len()).min(buf.len());
            partial.extend_from_slice(&buf[..take]);
            reader.consume(take);
            match lead(&partial) {
                Lead::Incomplete => continue,
                Lead::Blank(_) => {
                    line.append(&mut partial);
                    prev_cr = false;
                    continue;
                }
                Lead::Other => {
                    line.append(&mut partial);
                    skipped.keep = line;
                    return Ok(skipped);
                }
            }
        }
        let mut at = 0;
        let mut stop = false;
        while at < buf.len() && !stop {
            match lead(&buf[at..]) {
                Lead::Blank(1) if buf[at] == b'\n' || buf[at] == b'\r' => {
                    let b = buf[at];
                    if b == b'\r' || !prev_cr {
                        skipped.lines += 1;
                    }
                    prev_cr = b == b'\r';
                    skipped.bytes += line.len() as u64 + 1;
                    line.clear();
                    at += 1;
                }
                Lead::Blank(n) => {
                    line.extend_from_slice(&buf[at..at + n]);
                    prev_cr = false;
                    at += n;
                    stop = line.len() > cap;
                }
                Lead::Incomplete => {
                    partial.extend_from_slice(&buf[at..]);
                    at = buf.len();
                }
                Lead::Other => stop = true,
            }
        }
        reader.consume(at);
        if stop {
            skipped.keep = line;
            return Ok(skipped);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_newline() {
        for n in 0..40 {
            for at in 0..=n {
                let mut bytes = vec![b'a'; n];
                if at < n {
                    bytes[at] = b'\n';
                    if at + 3 < n {
                        bytes[at + 3] = b'\n';
                    }
                }
                let expected = bytes.iter().position(|&b| b == b'\n');
                assert_eq!(find_newline(&bytes), expected);
            }
        }
        assert_eq!(find_newline("é\n".as_bytes()), Some(2));
        assert_eq!(find_newline(&[0x8a, 0x0b, 0x09, b'\n']), Some(3));
    }
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read_all(bytes: Vec<u8>, max: u64) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        decode(Box::new(io::Cursor::new(bytes)), max)?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn decompresses_by_content_and_concatenated_members() {
        let mut two = gzip(b"satu\n");
        two.extend(gzip(b"dua\n"));
        assert_eq!(read_all(two, 100).unwrap(), b"satu\ndua\n");
        let z = zstd::encode_all(&b"tiga\n"[..], 1).unwrap();
        assert_eq!(read_all(z, 100).unwrap(), b"tiga\n");
        assert_eq!(read_all(b"ab".to_vec(), 100).unwrap(), b"ab");
        assert_eq!(read_all(Vec::new(), 100).unwrap(), b"");
    }

    #[test]
    fn truncated_gzip_and_bombs_are_errors() {
        let data = gzip(&[b'x'; 10_000]);
        let cut = data[..data.len() / 2].to_vec();
        assert!(read_all(cut, 1 << 20).is_err());
        let err = read_all(data.clone(), 1000).unwrap_err();
        assert!(err.to_string().contains("--max-input-bytes"), "{err}");
        assert_eq!(read_all(data, 10_000).unwrap().len(), 10_000);
    }

    #[test]
    fn lines_read_from_the_buffer_stop_at_the_limit() -> io::Result<()> {
        let lines = |max| -> io::Result<Vec<Vec<u8>>> {
            let mut r = decode(Box::new(io::Cursor::new(b"ab\ncd\n".to_vec())), max)?;
            let mut out = Vec::new();
            let mut buf = Vec::new();
            while read_line(&mut r, &mut buf, 100)?.is_some() {
                out.push(buf.clone());
            }
            Ok(out)
        };
        assert_eq!(lines(6)?, [b"ab", b"cd"]);
        let err = lines(4).expect_err("4 bytes of a 6-byte input");
        assert!(err.to_string().contains("longer than 4 bytes"), "{err}");
        Ok(())
    }

    #[test]
    fn long_lines_are_skipped_not_kept() {
        let input = format!("ab\n{}\ncd", "x".repeat(100));
        let mut r = io::Cursor::new(input.into_bytes());
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut r, &mut buf, 10).unwrap(), Some(Line::Read));
        assert_eq!(buf, b"ab");
        assert_eq!(
            read_line(&mut r, &mut buf, 10).unwrap(),
            Some(Line::TooLong(100))
        );
        assert!(buf.is_empty());
        assert_eq!(read_line(&mut r, &mut buf, 10).unwrap(), Some(Line::Read));
        assert_eq!(buf, b"cd");
        assert_eq!(read_line(&mut r, &mut buf, 10).unwrap(), None);
    }
}
