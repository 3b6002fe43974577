//! Juju's rule for the keys of a secret's content (`core/secrets`): what
//! a charm may write and what the controller accepts.

/// Whether `key` can name an item of a secret's content: a lower-case
/// letter, then at least two lower-case letters, digits or single dashes,
/// not ending with a dash.
///
/// ```
/// assert!(juju_charm::is_valid_secret_key("password"));
/// assert!(juju_charm::is_valid_secret_key("tls-ca"));
/// assert!(!juju_charm::is_valid_secret_key("ca"));
/// assert!(!juju_charm::is_valid_secret_key("Tls"));
/// assert!(!juju_charm::is_valid_secret_key("tls--ca"));
/// ```
#[must_use]
pub fn is_valid_secret_key(key: &str) -> bool {
    let b = key.as_bytes();
    b.len() >= 3
        && b[0].is_ascii_lowercase()
        && !key.ends_with('-')
        && !key.contains("--")
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}
