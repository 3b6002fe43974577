//! Lines for `juju-log`: the level a hook logs at, the bound on one line,
//! and the sending of one line through this thread's hook environment (so
//! the call is recorded), else straight to the tool, else to stderr.
//!
//! Every level is sent by default, DEBUG included: Juju keeps or drops each
//! line by the model's `logging-config` (`unit.<name>.juju-log`), which a
//! hook cannot read. A charm that wants fewer `juju-log` processes sets
//! [`Options::log_level`](crate::Options::log_level) in its `main`.
//! [`LOG_LEVEL_VAR`] is read only when no level was set in code: Juju never
//! passes it to a hook, so it serves tests and the unit's command line.

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::OnceLock;

use log::{Level, LevelFilter};

use super::env::HookEnv;
use super::real::RealTools;
use super::tools::HookTools;
use super::types::LogLevel;

/// The environment variable that sets the log level when the charm's code
/// did not (tests, the unit CLI; Juju does not pass it to hooks).
pub(crate) const LOG_LEVEL_VAR: &str = "REACTIVE_LOG_LEVEL";

/// What marks a cut message: `... [cut: 1048576 bytes in all]`.
const CUT_MARKER: &str = "... [cut: ";

static LEVEL: OnceLock<LevelFilter> = OnceLock::new();

/// `message` cut so that it fits in one argument of a hook tool
/// ([`ARGUMENT_LIMIT`](super::tools::ARGUMENT_LIMIT)), with a marker saying
/// how long it was; shorter messages are returned as they are.
pub(crate) fn bounded(message: &str) -> Cow<'_, str> {
    let limit = super::tools::ARGUMENT_LIMIT;
    if message.len() <= limit {
        return Cow::Borrowed(message);
    }
    let tail = format!("{CUT_MARKER}{} bytes in all]", message.len());
    let (kept, _) = crate::quote::split(message, limit - tail.len());
    Cow::Owned(format!("{kept}{tail}"))
}

/// Sets the level for the rest of the process (what
/// [`Options::log_level`](crate::Options::log_level) does); the first call
/// wins. Returns false if a level was already in use.
pub(crate) fn set_level(level: LevelFilter) -> bool {
    LEVEL.set(level).is_ok()
}

thread_local! {
    /// Set while a line is being sent, so a log call made by the sending
    /// itself goes to stderr instead of recursing.
    static SENDING: Cell<bool> = const { Cell::new(false) };
}

/// The level set in code, else by `REACTIVE_LOG_LEVEL`, else `debug`
/// (everything: Juju filters); fixed at the first use.
pub(crate) fn configured_level() -> LevelFilter {
    *LEVEL.get_or_init(|| parse_level(std::env::var(LOG_LEVEL_VAR).ok().as_deref()))
}

/// Parses a level name; unset or unknown means `debug`.
pub(crate) fn parse_level(value: Option<&str>) -> LevelFilter {
    match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        Some("off") => LevelFilter::Off,
        Some("error") => LevelFilter::Error,
        Some("warn") | Some("warning") => LevelFilter::Warn,
        Some("info") => LevelFilter::Info,
        Some("trace") => LevelFilter::Trace,
        _ => LevelFilter::Debug,
    }
}

fn log_level_of(level: LogLevel) -> Level {
    match level {
        LogLevel::Error => Level::Error,
        LogLevel::Warning => Level::Warn,
        LogLevel::Info => Level::Info,
        LogLevel::Debug => Level::Debug,
    }
}

/// Sends one line to `juju-log` if `level` is enabled: through this thread's
/// hook environment (so the call is recorded in the trace), else straight
/// to the tool; to stderr if that fails.
pub(super) fn emit(level: LogLevel, message: &str) {
    if log_level_of(level) > configured_level() {
        return;
    }
    send_log(level, message);
}

/// Sends one line whatever the configured level (what the `log` logger
/// and the final error of a failed hook use).
pub(crate) fn send_log(level: LogLevel, message: &str) {
    if SENDING.with(|s| s.replace(true)) {
        eprintln!("{level}: {message}");
        return;
    }
    let sent = match HookEnv::current() {
        Some(env) => env.juju_log(level, message),
        None => RealTools::new().juju_log(level, message),
    };
    SENDING.with(|s| s.set(false));
    if sent.is_err() {
        eprintln!("{level}: {message}");
    }
}

/// Logs `message` at INFO through `juju-log`. Other levels go through the
/// `log` macros (`log::warn!`, `log::debug!`), which the runtime sends to
/// `juju-log` with their level (the runtime's `log` logger); every level is
/// sent by default (Juju filters by the model's `logging-config`; see
/// [`Options::log_level`](crate::Options::log_level)).
pub fn log(message: impl AsRef<str>) {
    emit(LogLevel::Info, message.as_ref());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hookenv::tools::ARGUMENT_LIMIT;

    #[test]
    fn a_long_message_is_cut_with_a_marker_and_fits_one_argument() {
        assert_eq!(bounded("short"), "short");
        let long = "é".repeat(ARGUMENT_LIMIT);
        let cut = bounded(&long);
        assert!(cut.len() <= ARGUMENT_LIMIT, "{}", cut.len());
        assert!(long.starts_with(cut.split(CUT_MARKER).next().unwrap_or("")));
        assert!(
            cut.ends_with(&format!("[cut: {} bytes in all]", long.len())),
            "{}",
            &cut[cut.len() - 40..]
        );
        let exact = "x".repeat(ARGUMENT_LIMIT);
        assert_eq!(bounded(&exact), exact, "a message at the limit is kept");
    }
}
