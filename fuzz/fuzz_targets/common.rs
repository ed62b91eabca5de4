//! Shared by the targets: reading bytes with small limits and checking what comes out.

use std::path::Path;

use dedupsum::corpus::{read_stream, Format};
use dedupsum::ReadConfig;

/// Reads `data` as `format` (`None`: sniffed) and checks every record and error.
pub fn read(data: &[u8], format: Option<Format>) {
    let config = ReadConfig {
        max_record_bytes: 4096,
        max_input_bytes: 1 << 20,
        ..ReadConfig::default()
    };
    let mut last_line = 0;
    for record in read_stream(
        Path::new("fuzz.in"),
        Box::new(std::io::Cursor::new(data.to_vec())),
        format,
        &config,
    ) {
        match record {
            Ok(doc) => {
                assert!(doc.text.len() <= config.max_record_bytes);
                if let Some(line) = doc.source.line {
                    assert!(
                        line > last_line,
                        "records go forward: {line} after {last_line}"
                    );
                    last_line = line;
                }
            }
            Err(e) => {
                assert_eq!(e.path, Path::new("fuzz.in"));
                assert!(!e.message.is_empty());
                if let Some(line) = e.line {
                    assert!(line >= 1);
                }
            }
        }
    }
}
