//! The `log` → `juju-log` bridge.
//!
//! [`crate::main`] installs [`JujuLogger`] as the `log` logger, so
//! `log::info!` from the charm, from the engine (`Invoking reactive handler:
//! ...`) and from any library the charm uses ends up in the unit's log with
//! its level: `ERROR`, `WARNING`, `INFO`, `DEBUG` (`trace!` is sent as
//! `DEBUG`).
//!
//! Why the `log` facade and not `tracing`: a hook is a short, single-threaded
//! process whose only log sink is `juju-log`, which takes flat lines: spans,
//! structured fields and subscribers would add compile time and per-event
//! cost without anything Juju can show. `log` is what most of the ecosystem
//! logs through (and `tracing` events reach it through tracing's `log`
//! feature), so one small logger catches everything.
//!
//! Each line is one `juju-log` process, as Juju needs it: a hook that logs a
//! lot is slower. Every level is sent by default, `DEBUG` included, since
//! Juju keeps or drops a line by the model's `logging-config`; a charm sets
//! a lower bound in code with [`Options::log_level`](crate::Options::log_level).
//! The environment variable `REACTIVE_LOG_LEVEL` (`error`, `warn`, `info`,
//! `debug` (the default), `trace`, or `off`) applies only when the code set
//! none: Juju does not pass it to hooks, it is for tests and the unit CLI.
//! When `juju-log` cannot be run (the charm run by hand outside Juju),
//! lines go to stderr instead.

use std::sync::OnceLock;

use log::{Level, LevelFilter, Log, Metadata, Record};

use crate::hookenv::{configured_level, LogLevel};

/// Where the logger sends a line: [`crate::hookenv::send_log`] in a hook.
pub(crate) type Sink = fn(LogLevel, &str);

/// The `juju-log` level of a `log` level.
pub(crate) fn juju_level(level: Level) -> LogLevel {
    match level {
        Level::Error => LogLevel::Error,
        Level::Warn => LogLevel::Warning,
        Level::Info => LogLevel::Info,
        Level::Debug | Level::Trace => LogLevel::Debug,
    }
}

/// The `log` logger that sends records to `juju-log`. See the module docs.
#[derive(Debug)]
pub(crate) struct JujuLogger {
    level: LevelFilter,
    sink: Sink,
}

/// Crates whose DEBUG and TRACE lines are their own bookkeeping, not the
/// charm's: sent from INFO up only, so that a hook does not run a
/// `juju-log` process per internal step of its store.
const QUIET_BELOW_INFO: [&str; 1] = ["sled"];

impl Log for JujuLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        let quiet = QUIET_BELOW_INFO
            .iter()
            .any(|c| metadata.target().split("::").next() == Some(c));
        metadata.level() <= self.level && !(quiet && metadata.level() > Level::Info)
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            (self.sink)(juju_level(record.level()), &record.args().to_string());
        }
    }

    fn flush(&self) {}
}

/// Installs [`JujuLogger`] at the configured level, sending every line to
/// `sink`. Returns false when another logger was installed first (then that
/// one receives the records).
pub(crate) fn init(sink: Sink) -> bool {
    static LOGGER: OnceLock<JujuLogger> = OnceLock::new();
    let logger = LOGGER.get_or_init(|| JujuLogger {
        level: configured_level(),
        sink,
    });
    match log::set_logger(logger) {
        Ok(()) => {
            log::set_max_level(logger.level);
            true
        }
        // Installed by an earlier call: ours; by someone else: theirs.
        Err(_) => std::ptr::eq(
            log::logger() as *const dyn Log as *const (),
            logger as *const JujuLogger as *const (),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hookenv::parse_level;

    #[test]
    fn levels_parse_with_debug_as_default() {
        assert_eq!(parse_level(None), LevelFilter::Debug);
        assert_eq!(parse_level(Some("INFO")), LevelFilter::Info);
        assert_eq!(parse_level(Some("warning")), LevelFilter::Warn);
        assert_eq!(parse_level(Some("nonsense")), LevelFilter::Debug);
        assert_eq!(parse_level(Some("off")), LevelFilter::Off);
    }

    #[test]
    fn the_stores_own_debug_lines_are_not_sent() {
        fn sink(_: LogLevel, _: &str) {}
        let logger = JujuLogger {
            level: LevelFilter::Debug,
            sink,
        };
        let at = |target: &str, level| {
            logger.enabled(&Metadata::builder().target(target).level(level).build())
        };
        assert!(at("my_charm", Level::Debug));
        assert!(!at("sled::pagecache", Level::Debug));
        assert!(at("sled::pagecache", Level::Warn));
        assert!(at("sledgehammer", Level::Debug));
    }

    #[test]
    fn log_levels_map_to_juju_levels() {
        assert_eq!(juju_level(Level::Error), LogLevel::Error);
        assert_eq!(juju_level(Level::Warn), LogLevel::Warning);
        assert_eq!(juju_level(Level::Info), LogLevel::Info);
        assert_eq!(juju_level(Level::Trace), LogLevel::Debug);
    }
}
