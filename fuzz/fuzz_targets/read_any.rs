#![no_main]
//! Standard-input style reading: compression and format sniffed (text, JSONL, CSV, TSV, or
//! a refusal naming --input-format), then the same bytes read as text.

use dedupsum::corpus::Format;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::read(data, None);
    common::read(data, Some(Format::Text));
});
