//! Every line the command prints on stderr goes through [`say`]: one prefix, control
//! characters escaped, and no panic when stderr is gone.
//!
//! Messages quote the inputs (file names, CSV headers, record ids), which may hold terminal
//! control sequences: an escape sequence in a file name must not retitle the window or
//! clear the screen of whoever reads the message.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write as _;

/// Prints `dedupsum: {message}` on stderr, its control characters escaped. A failed write
/// (a closed stderr) is ignored: a diagnostic never ends the run.
pub fn say(message: &str) {
    let line = format!("dedupsum: {}\n", escape(message));
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// `text` with control characters (C0, DEL, C1) and the bidirectional overrides, which
/// reorder what a terminal shows, written as escapes: `\n`, `\t`, `\r`, else `\u{1b}`.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// An error and its causes, `: `-separated, each said once: a cause whose text the
/// message already ends with (an I/O error that the library error quotes) is not repeated.
pub fn error_text(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if text.ends_with(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("plain ü"), "plain ü");
        assert_eq!(
            escape("a\u{1b}]2;x\u{7}b\nc\u{202e}d"),
            "a\\u{1b}]2;x\\u{7}b\\nc\\u{202e}d"
        );
    }

    #[test]
    fn a_quoted_cause_is_said_once() {
        let io = std::io::Error::from_raw_os_error(13);
        let shown = io.to_string();
        let err = anyhow::Error::new(crate::Error::Io {
            path: "x.csv".into(),
            source: io,
        })
        .context("writing");
        assert_eq!(error_text(&err), format!("writing: x.csv: {shown}"));
    }
}
