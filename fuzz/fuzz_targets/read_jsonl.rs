#![no_main]
//! The JSONL reader on arbitrary bytes (compressed or not).

use dedupsum::corpus::Format;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::read(data, Some(Format::Jsonl)));
