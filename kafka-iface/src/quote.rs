//! Remote values quoted in log lines: escaped (a line break cannot start a
//! new line of the log) and bounded, since a remote unit can publish
//! megabytes.

/// The most bytes of a remote value a warning quotes.
pub const QUOTE_LIMIT: usize = 1024;

/// `value` as a Rust string literal (`"10.0.0.1\nssl..."`), cut after
/// [`QUOTE_LIMIT`] bytes with a marker saying how many were left out.
pub(crate) fn quote(value: &str) -> String {
    if value.len() <= QUOTE_LIMIT {
        return format!("{value:?}");
    }
    let mut end = QUOTE_LIMIT;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{:?}... ({} more bytes not shown)",
        &value[..end],
        value.len() - end
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_quoted_whole() {
        assert_eq!(quote("10.0.0.1\nx=y"), r#""10.0.0.1\nx=y""#);
        assert_eq!(quote(&"a".repeat(QUOTE_LIMIT)).len(), QUOTE_LIMIT + 2);
    }

    #[test]
    fn long_values_are_cut_with_a_marker() {
        let q = quote(&"9".repeat(10 * 1024 * 1024));
        assert!(q.len() < QUOTE_LIMIT + 100, "{}", q.len());
        assert!(q.ends_with("... (10484736 more bytes not shown)"), "{q}");
        // Not inside a character.
        let q = quote(&"é".repeat(QUOTE_LIMIT));
        assert!(q.ends_with("... (1024 more bytes not shown)"), "{q}");
    }
}
