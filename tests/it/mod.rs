mod acceptance;
mod bad_input;
mod bad_input_suite;
mod determinism;
mod eval;
mod fields;
mod flags;
mod furniture;
mod inputs;
mod library;
mod limits;
mod messages;
#[cfg(unix)]
mod outputs;
mod parquet;
#[cfg(target_os = "linux")]
mod progress;
mod properties;
mod restatements;
mod searches;
mod shards;
mod summaries;
mod util;
