//! The message of a caught panic, for the errors that report one.

/// The message of a caught panic (`catch_unwind`'s or `join`'s error):
/// the `&str` or `String` it was raised with.
#[must_use]
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}
