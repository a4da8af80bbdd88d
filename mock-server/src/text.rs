//! Cutting text to a length in bytes without splitting a character.

/// The longest prefix of `text` of at most `max` bytes (`str::floor_char_boundary` is not
/// stable at the workspace's minimum Rust version).
pub(crate) fn truncated(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
