//! Helpers shared by the unit tests.

/// A small deterministic random number generator (xorshift64) for generated test inputs:
/// each call returns the next state.
pub(crate) fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// A document of `text` as a text file named `d` gives it: no title, site or record.
pub(crate) fn document(id: &str, text: &str) -> crate::corpus::Document {
    crate::corpus::Document {
        id: id.into(),
        title: None,
        site: None,
        text: text.into(),
        source: crate::corpus::Source {
            path: "d".into(),
            line: None,
        },
        raw: None,
    }
}
