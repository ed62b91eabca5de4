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
