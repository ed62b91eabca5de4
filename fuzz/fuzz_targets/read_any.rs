#![no_main]
//! Standard-input style reading: compression and format sniffed, text or JSONL.

use dedupsum::corpus::Format;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::read(data, None);
    common::read(data, Some(Format::Text));
});
