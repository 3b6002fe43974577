//! [`Options`]: what a charm's `main` can set, and what the environment can
//! (`REACTIVE_MAX_ITERATIONS`).

use crate::dispatch::DispatchOptions;
use crate::error::Error;
use crate::handler::{HandlerDef, HandlerSpec};
use crate::metadata::Metadata;
use crate::registry::Registry;

/// The environment variable bounding the iterations of a dispatch.
pub const MAX_ITERATIONS_VAR: &str = "REACTIVE_MAX_ITERATIONS";

/// Options of [`main_with`](crate::main_with).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Fail a dispatch that has not settled after this many iterations
    /// (default: `REACTIVE_MAX_ITERATIONS` if set, else no bound; livelocks
    /// are detected either way).
    pub max_iterations: Option<usize>,
    /// Handlers to register besides those of the attribute macros.
    pub handlers: Vec<HandlerDef>,
}

impl Options {
    /// Sets [`Options::max_iterations`].
    #[must_use]
    pub fn max_iterations(mut self, n: usize) -> Options {
        self.max_iterations = Some(n);
        self
    }

    /// Adds handlers built by hand.
    #[must_use]
    pub fn handlers(mut self, defs: impl IntoIterator<Item = HandlerDef>) -> Options {
        self.handlers.extend(defs);
        self
    }

    /// The registry: the macros' handlers and [`Options::handlers`], bound
    /// to `metadata`'s relations.
    pub fn registry(&self, metadata: Option<&Metadata>) -> Result<Registry, Error> {
        let defs = inventory::iter::<HandlerSpec>
            .into_iter()
            .map(HandlerDef::from)
            .chain(self.handlers.iter().cloned())
            .collect();
        Registry::new(defs, metadata)
    }

    /// The dispatch options, reading `REACTIVE_MAX_ITERATIONS` when no
    /// bound was given.
    pub fn dispatch_options(&self) -> Result<DispatchOptions, BadSetting> {
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
pub struct BadSetting {
    /// The variable.
    pub name: &'static str,
    /// Its value.
    pub value: String,
    /// What it should be.
    pub expected: &'static str,
}
