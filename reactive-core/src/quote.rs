//! Values from outside the unit, quoted in log lines and errors: escaped (a
//! line break cannot start a new line of the log) and bounded, since a
//! remote application can publish megabytes.
//!
//! Every warning or error that quotes something a remote application
//! published goes through [`quote`]; the stored trace bounds the text it
//! keeps unescaped with the same marker.
//!
//! ```
//! use reactive_core::{quote, QUOTE_LIMIT};
//!
//! assert_eq!(quote("10.0.0.1\nx=y"), r#""10.0.0.1\nx=y""#);
//! let huge = "9".repeat(QUOTE_LIMIT + 10);
//! assert!(quote(&huge).ends_with("... (10 more bytes not shown)"));
//! ```

use std::borrow::Cow;

/// The most bytes of a value a warning quotes (1 KiB).
pub const QUOTE_LIMIT: usize = 1024;

/// `value` as a Rust string literal (`"10.0.0.1\nssl..."`), cut after
/// [`QUOTE_LIMIT`] bytes with a marker saying how many were left out.
#[must_use]
pub fn quote(value: &str) -> String {
    let (kept, cut) = split(value, QUOTE_LIMIT);
    format!("{kept:?}{}", marker(cut))
}

/// `value` unchanged when it holds at most `limit` bytes; otherwise its
/// first `limit` bytes (fewer, not to split a character) followed by the
/// marker [`quote`] uses.
#[must_use]
pub(crate) fn truncate(value: &str, limit: usize) -> Cow<'_, str> {
    match split(value, limit) {
        (_, 0) => Cow::Borrowed(value),
        (kept, cut) => Cow::Owned(format!("{kept}{}", marker(cut))),
    }
}

/// The marker after a value cut by `cut` bytes (empty when nothing was).
fn marker(cut: usize) -> String {
    if cut == 0 {
        String::new()
    } else {
        format!("... ({cut} more bytes not shown)")
    }
}

/// The first at most `limit` bytes of `value` that end on a character
/// boundary, and how many bytes follow them.
pub(crate) fn split(value: &str, limit: usize) -> (&str, usize) {
    if value.len() <= limit {
        return (value, 0);
    }
    let mut end = limit;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    (&value[..end], value.len() - end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_quoted_whole() {
        assert_eq!(quote("10.0.0.1\nx=y"), r#""10.0.0.1\nx=y""#);
        assert_eq!(quote(&"a".repeat(QUOTE_LIMIT)).len(), QUOTE_LIMIT + 2);
        assert!(matches!(truncate("abc", 3), Cow::Borrowed("abc")));
    }

    #[test]
    fn long_values_are_cut_with_a_marker() {
        let q = quote(&"9".repeat(10 * 1024 * 1024));
        assert!(q.len() < QUOTE_LIMIT + 100, "{}", q.len());
        assert!(q.ends_with("... (10484736 more bytes not shown)"), "{q}");
        assert_eq!(truncate("abcdef", 2), "ab... (4 more bytes not shown)");
    }

    #[test]
    fn a_cut_never_splits_a_character() {
        let q = quote(&"é".repeat(QUOTE_LIMIT));
        assert!(q.ends_with("... (1024 more bytes not shown)"), "{q}");
        assert_eq!(truncate("éé", 3), "é... (2 more bytes not shown)");
    }
}
