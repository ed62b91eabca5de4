//! Paragraph splitting and title detection.
//!
//! Paragraphs are blocks separated by blank lines. Scraped articles often have no blank
//! lines at all and put one paragraph on each line; then every non-empty line is a paragraph.

use std::ops::Range;

/// Characters that end a sentence.
pub(crate) const SENTENCE_END: &[char] = &['.', '!', '?', '…', '。', '！', '？'];
/// Closing quotes and brackets that may follow a sentence end.
pub(crate) const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']', '}'];

/// Byte ranges of the non-empty paragraphs of `text`, trimmed, in order.
pub fn split_paragraphs(text: &str) -> Vec<Range<usize>> {
    let lines = line_spans(text);
    let is_blank = |r: &Range<usize>| text[r.clone()].trim().is_empty();
    let has_blank_separator = lines
        .iter()
        .skip_while(|r| is_blank(r))
        .skip_while(|r| !is_blank(r))
        .any(|r| !is_blank(r));

    let mut paragraphs = Vec::new();
    let mut block: Option<Range<usize>> = None;
    for line in lines {
        if is_blank(&line) {
            paragraphs.extend(block.take());
        } else if !has_blank_separator {
            paragraphs.push(line);
        } else {
            block = Some(match block {
                Some(b) => b.start..line.end,
                None => line,
            });
        }
    }
    paragraphs.extend(block);
    paragraphs.into_iter().map(|r| trim_span(text, r)).collect()
}

/// Lines of `text` without their line endings (`\n`, `\r\n` or a lone `\r`).
fn line_spans(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        // The `\n` of a `\r\n` ended its line already.
        if i < start {
            continue;
        }
        lines.push(start..i);
        start = i + 1;
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            start += 1;
        }
    }
    if start < bytes.len() {
        lines.push(start..bytes.len());
    }
    lines
}

/// Narrows `span` to exclude leading and trailing whitespace.
pub(crate) fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let s = &text[span.clone()];
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

/// Whether the last visible character (closing quotes and brackets aside) ends a sentence.
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(CLOSERS)
        .ends_with(SENTENCE_END)
}

/// A first paragraph that is short, has no sentence-final punctuation and is not a label
/// ("Gambar:", "Penulis | Adam", "SCROLL TO CONTINUE WITH CONTENT") is the article's title.
pub fn looks_like_title(paragraph: &str) -> bool {
    // The length first: most first paragraphs are long, and counting their words is not.
    paragraph.len() <= 250
        && (2..=25).contains(&paragraph.split_whitespace().count())
        && !paragraph.contains('\n')
        && !paragraph.contains('|')
        && !paragraph.trim_end().ends_with(':')
        && !ends_sentence(paragraph)
        && !crate::dedup::boilerplate::is_label_line(paragraph)
}

/// Whether `text` ends with one full stop (closing quotes and brackets aside), as prose
/// does; an ellipsis, a question or an exclamation mark may end a headline.
pub fn ends_with_full_stop(text: &str) -> bool {
    let text = text.trim_end().trim_end_matches(CLOSERS);
    text.ends_with('.') && !text.ends_with("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        split_paragraphs(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn one_paragraph_per_line_without_blank_lines() {
        assert_eq!(split("a b\n c \r\nd"), ["a b", "c", "d"]);
    }

    #[test]
    fn blank_lines_separate_blocks() {
        assert_eq!(
            split("\n\nline one\nline two\n\n  \nthree\r\n\r\nfour\n"),
            ["line one\nline two", "three", "four"]
        );
    }

    #[test]
    fn leading_blank_lines_alone_do_not_make_blocks() {
        assert_eq!(split("\n\n a\nb\n"), ["a", "b"]);
        assert!(split("").is_empty());
        assert!(split(" \n\t\n").is_empty());
    }

    /// Lines end at `\n`, `\r\n` or a lone `\r`, as a byte-by-byte scan finds them.
    #[test]
    fn line_ends_of_every_kind() {
        fn by_bytes(text: &str) -> Vec<Range<usize>> {
            let bytes = text.as_bytes();
            let (mut lines, mut start, mut i) = (Vec::new(), 0, 0);
            while i < bytes.len() {
                if bytes[i] == b'\n' || bytes[i] == b'\r' {
                    lines.push(start..i);
                    if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    start = i + 1;
                }
                i += 1;
            }
            if start < bytes.len() {
                lines.push(start..bytes.len());
            }
            lines
        }
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..5_000 {
            let len = next() % 16;
            let text: String = (0..len)
                .map(|_| ['a', ' ', '\n', '\r'][(next() % 4) as usize])
                .collect();
            assert_eq!(line_spans(&text), by_bytes(&text), "{text:?}");
        }
        assert_eq!(line_spans("a\r\r\nb\n"), [0..1, 2..2, 4..5]);
    }

    #[test]
    fn headlines_end_without_a_full_stop() {
        assert!(ends_with_full_stop("Harga beras naik."));
        assert!(ends_with_full_stop("\"Harga beras naik,\" kata dia.\""));
        assert!(!ends_with_full_stop(
            "Simak juga Video: Harga Emas Naik, Kapan Beli?"
        ));
        assert!(!ends_with_full_stop("Tonton juga: Begini Rinciannya..."));
        assert!(!ends_with_full_stop("Baca juga: Harga Emas Naik"));
    }

    #[test]
    fn titles_are_short_unpunctuated_non_labels() {
        assert!(looks_like_title(
            "China Telecom melatih model AI dengan chip buatan China"
        ));
        assert!(!looks_like_title("Gambar:"));
        assert!(!looks_like_title("Penulis | : | Adam Rizal |"));
        assert!(!looks_like_title("KOMENTAR"));
        // Regression: furniture opening a scraped page was taken for its title and kept.
        assert!(!looks_like_title("SCROLL TO CONTINUE WITH CONTENT"));
        assert!(!looks_like_title("Ini kalimat lengkap."));
        assert!(!looks_like_title("\"Ini kutipan lengkap.\""));
    }
}
