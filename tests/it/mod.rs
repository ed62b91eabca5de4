mod acceptance;
mod bad_input;
mod bad_input_suite;
mod determinism;
mod furniture;
mod library;
#[cfg(unix)]
mod outputs;
mod properties;
mod searches;
mod summaries;
mod util;
