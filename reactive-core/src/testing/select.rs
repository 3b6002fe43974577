//! The entry points of a run, and the handlers each selects. A run that
//! selects no handler, or a state Juju could not produce, is refused with
//! the reason: a test never passes by testing nothing.

use std::collections::BTreeSet;

use super::consistency::{self, Inconsistency};
use super::run::setup;
use super::{Hook, Outcome, State};
use crate::dispatch::DispatchOptions;
use crate::handler::{HandlerDef, HandlerSpec};
use crate::registry::Registry;

/// Every module that registers a handler with the attribute macros.
fn modules_with_handlers() -> BTreeSet<&'static str> {
    inventory::iter::<HandlerSpec>
        .into_iter()
        .map(|s| s.declared_in)
        .collect()
}

fn no_handler(selection: &str) -> ! {
    let modules: Vec<&str> = modules_with_handlers().into_iter().collect();
    let found = if modules.is_empty() {
        "no module of this executable registers one".to_string()
    } else {
        format!("modules with handlers: {}", modules.join(", "))
    };
    panic!(
        "testing: {selection} selects no handler ({found}); in a `mod tests`, \
         `module_path!()` names the test module: pass the module of the handlers"
    )
}

impl State {
    /// Checks this state and `hook` as the harness does before every run:
    /// config options declared in `config.yaml` and of their declared type
    /// (`string`, `int`, `float`, `boolean`, `secret`, as Juju has them),
    /// relations declared in `metadata.yaml` (peer relations with the
    /// unit's own application), relation hooks on a relation of the state
    /// and a remote unit in it, storage and workload hooks on declared
    /// storage and containers, actions and their parameters declared in
    /// `actions.yaml`.
    ///
    /// # Errors
    /// Every problem found, each naming the item and the file.
    pub fn check(&self, hook: &Hook) -> Result<(), Inconsistency> {
        consistency::check(self, hook).map(drop)
    }

    fn checked(&self, hook: &Hook) {
        if let Err(e) = consistency::check(self, hook) {
            panic!("testing: {e}");
        }
    }

    /// Fires `hook` with every handler registered by the attribute macros
    /// in this executable.
    ///
    /// # Panics
    /// If the state is inconsistent ([`State::check`]), no handler is
    /// registered, or the scratch directory cannot be made: bugs in the
    /// test, not in the charm.
    #[must_use]
    #[allow(clippy::needless_pass_by_value)] // `run(Hook::new("install"))` reads best
    pub fn run(&self, hook: Hook) -> Outcome {
        self.checked(&hook);
        let metadata = self.metadata_parsed();
        let registry = setup(
            "registering handlers",
            Registry::from_inventory_in("", metadata.as_ref()),
        );
        if registry.handlers.is_empty() {
            no_handler("the executable");
        }
        self.fire(&registry, metadata, &hook, &DispatchOptions::default())
    }

    /// Fires `hook` with the macro-registered handlers of module
    /// `module_prefix` and its submodules (`run_in("my_charm::db", ..)`,
    /// or `run_in(module_path!(), ..)` in the module of the handlers).
    ///
    /// # Panics
    /// As [`State::run`], and when no handler is registered in
    /// `module_prefix`, naming the modules that have some.
    #[must_use]
    #[allow(clippy::needless_pass_by_value)] // `run(Hook::new("install"))` reads best
    pub fn run_in(&self, module_prefix: &str, hook: Hook) -> Outcome {
        self.checked(&hook);
        let metadata = self.metadata_parsed();
        let registry = Registry::from_inventory_in(module_prefix, metadata.as_ref());
        let registry = setup("registering handlers", registry);
        if registry.handlers.is_empty() {
            no_handler(&format!("module filter {module_prefix:?}"));
        }
        self.fire(&registry, metadata, &hook, &DispatchOptions::default())
    }

    /// Fires `hook` with `handlers` only (no macro-registered handler; an
    /// empty list tests what the engine does alone: automatic flags,
    /// endpoint flags).
    ///
    /// # Panics
    /// As [`State::run`].
    #[must_use]
    #[allow(clippy::needless_pass_by_value)] // `run(Hook::new("install"))` reads best
    pub fn run_handlers(&self, handlers: Vec<HandlerDef>, hook: Hook) -> Outcome {
        self.checked(&hook);
        let metadata = self.metadata_parsed();
        let registry = setup(
            "registering handlers",
            Registry::new(handlers, metadata.as_ref()),
        );
        self.fire(&registry, metadata, &hook, &DispatchOptions::default())
    }
}
