//! Integration tests, compiled into one binary: through the `dedupsum` binary and the library.

mod it;
