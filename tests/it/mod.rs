mod acceptance;
mod bad_input;
mod bad_input_suite;
mod determinism;
mod library;
mod properties;
mod summaries;
mod util;
