//! The message of a caught panic, with where it was raised, for the errors
//! that report one (the juju-log line of a failed hook among them).

use std::cell::RefCell;
use std::sync::Once;

thread_local! {
    /// Where the last panic on this thread was raised (`src/charm.rs:12:9`).
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Has every later panic record its location for [`panic_message`], the
/// default report on stderr kept. Installed once per process, by the hook
/// runtime.
pub(crate) fn record_locations() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(l) = info.location() {
                let at = format!("{}:{}:{}", l.file(), l.line(), l.column());
                LOCATION.with(|c| *c.borrow_mut() = Some(at));
            }
            previous(info);
        }));
    });
}

/// The message of a caught panic (`catch_unwind`'s or `join`'s error):
/// the `&str` or `String` it was raised with, followed by `(at
/// file:line:column)` when the hook runtime's panic hook saw it raised on
/// this thread.
#[must_use]
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    match LOCATION.with(|c| c.borrow_mut().take()) {
        Some(at) => format!("{message} (at {at})"),
        None => message,
    }
}
