//! Lines for `juju-log`: the level a hook logs at, and the sending of one
//! line through this thread's hook environment (so the call is recorded),
//! else straight to the tool, else to stderr.

use std::cell::Cell;
use std::sync::OnceLock;

use log::{Level, LevelFilter};

use super::cache::HookEnv;
use super::real::RealTools;
use super::tools::HookTools;
use super::types::LogLevel;

/// The environment variable that sets the log level.
pub const LOG_LEVEL_VAR: &str = "REACTIVE_LOG_LEVEL";

thread_local! {
    /// Set while a line is being sent, so a log call made by the sending
    /// itself goes to stderr instead of recursing.
    static SENDING: Cell<bool> = const { Cell::new(false) };
}

/// The level set by `REACTIVE_LOG_LEVEL` (default `info`), read once.
pub(crate) fn configured_level() -> LevelFilter {
    static LEVEL: OnceLock<LevelFilter> = OnceLock::new();
    *LEVEL.get_or_init(|| parse_level(std::env::var(LOG_LEVEL_VAR).ok().as_deref()))
}

/// Parses a level name; unset or unknown means `info`.
pub(crate) fn parse_level(value: Option<&str>) -> LevelFilter {
    match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        Some("off") => LevelFilter::Off,
        Some("error") => LevelFilter::Error,
        Some("warn") | Some("warning") => LevelFilter::Warn,
        Some("debug") => LevelFilter::Debug,
        Some("trace") => LevelFilter::Trace,
        _ => LevelFilter::Info,
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
pub fn send_log(level: LogLevel, message: &str) {
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
