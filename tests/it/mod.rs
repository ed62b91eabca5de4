mod acceptance;
mod bad_input;
mod determinism;
mod library;
mod properties;
mod summaries;
mod util;
