//! [`Options`]: what a charm's `main` sets, in code.
//!
//! A hook gets only Juju's environment (`worker/uniter/runner/context/`
//! `context.go`, `env.go`: the `JUJU_*` variables, `CHARM_DIR`, a proxy and
//! `PATH` allow-list), so an operator cannot set a framework option
//! through a variable. What a charm needs is set here, by its `main`:
//!
//! ```no_run
//! use reactive_core::Options;
//! fn main() {
//!     reactive_core::main_with(Options {
//!         log_level: Some(log::LevelFilter::Info),
//!         ..Options::default()
//!     })
//! }
//! ```
//!
//! Each option is a field, set in the struct expression (as above); the
//! fields left out keep their defaults.
//!
//! The environment variables the framework still reads
//! (`REACTIVE_MAX_ITERATIONS`, `REACTIVE_LOG_LEVEL`, `UNIT_STATE_DB`,
//! `UNIT_STATE_LOCK_TIMEOUT`) apply only when the code sets nothing: they
//! are for tests, juju-sim's `--hook-env`, and the unit's command line.

use crate::dispatch::DispatchOptions;
use crate::error::Error;
use crate::handler::{HandlerDef, HandlerSpec};
use crate::metadata::Metadata;
use crate::registry::Registry;
use crate::store::{OpenOptions, Store, StoreError};

/// The environment variable bounding the iterations of a dispatch when
/// [`Options::max_iterations`] is not set (tests and the unit CLI: Juju
/// does not pass it to hooks).
pub(crate) const MAX_ITERATIONS_VAR: &str = "REACTIVE_MAX_ITERATIONS";

/// Options of [`main_with`](crate::main_with).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Fail a dispatch that has not settled after this many iterations
    /// (default: `REACTIVE_MAX_ITERATIONS` if set, else no bound; livelocks
    /// are detected either way).
    pub max_iterations: Option<usize>,
    /// Handlers to register besides those of the attribute macros.
    pub handlers: Vec<HandlerDef>,
    /// The lowest level sent to `juju-log` (default: `REACTIVE_LOG_LEVEL`
    /// if set, else everything, DEBUG included: Juju filters by the model's
    /// `logging-config`). Each line is one `juju-log` process, so a charm
    /// that logs much at DEBUG may bound it here.
    pub log_level: Option<log::LevelFilter>,
    /// Where the unit's store lives (default: `UNIT_STATE_DB` if set, else
    /// `.unit-state.sled` in the charm directory).
    pub store_path: Option<std::path::PathBuf>,
    /// How long a hook waits for the store held by another process
    /// (default: `UNIT_STATE_LOCK_TIMEOUT` if set, else 30 seconds).
    pub lock_timeout: Option<std::time::Duration>,
}

impl Options {
    /// Opens the unit's store where these options say, the environment
    /// filling in what they leave unset.
    pub(crate) fn open_store(&self) -> Result<Store, StoreError> {
        let path = self.store_path.clone().unwrap_or_else(Store::default_path);
        let mut open = OpenOptions::from_env()?;
        if let Some(t) = self.lock_timeout {
            open.lock_timeout = t;
        }
        Store::open_with(path, open)
    }

    /// The registry: the macros' handlers and [`Options::handlers`], bound
    /// to `metadata`'s relations.
    pub(crate) fn registry(&self, metadata: Option<&Metadata>) -> Result<Registry, Error> {
        let defs = inventory::iter::<HandlerSpec>
            .into_iter()
            .map(HandlerDef::from)
            .chain(self.handlers.iter().cloned())
            .collect();
        Registry::new(defs, metadata)
    }

    /// The dispatch options, reading `REACTIVE_MAX_ITERATIONS` when no
    /// bound was given.
    pub(crate) fn dispatch_options(&self) -> Result<DispatchOptions, BadSetting> {
        let max_iterations = match self.max_iterations {
            Some(n) => Some(n),
            None => match std::env::var(MAX_ITERATIONS_VAR) {
                Ok(v) if !v.trim().is_empty() => {
                    Some(v.trim().parse().map_err(|_| BadSetting {
                        name: MAX_ITERATIONS_VAR,
                        value: v.clone(),
                        expected: "a number of iterations",
                    })?)
                }
                _ => None,
            },
        };
        Ok(DispatchOptions { max_iterations })
    }
}

/// An environment setting with a bad value.
#[derive(Debug, thiserror::Error)]
#[error("{name}={value:?}: expected {expected}")]
pub(crate) struct BadSetting {
    /// The variable.
    pub(crate) name: &'static str,
    /// Its value.
    pub(crate) value: String,
    /// What it should be.
    pub(crate) expected: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_opens_where_the_code_says() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sled");
        let store = Options {
            store_path: Some(path.clone()),
            lock_timeout: Some(std::time::Duration::from_secs(1)),
            ..Options::default()
        }
        .open_store()
        .unwrap();
        assert!(store.path().ends_with("state.sled"), "{:?}", store.path());
        assert!(path.exists());
    }

    #[test]
    fn a_bound_set_in_code_wins_over_the_environment() {
        let o = Options {
            max_iterations: Some(7),
            ..Options::default()
        };
        assert_eq!(o.dispatch_options().unwrap().max_iterations, Some(7));
    }
}
