//! The action's own writes through [`HookEnv`]: sent at once, as Juju
//! applies them (`action-set`, `action-fail`, `action-log`).

use super::cache::HookEnv;
use super::error::HookError;
use super::tools::call;
use super::types::Settings;

impl HookEnv {
    /// Sets action results at once.
    pub(crate) fn action_set(&self, values: &Settings) -> Result<(), HookError> {
        self.run(call::action_set(values), |t| t.action_set(values))
    }

    /// Marks the running action failed at once.
    pub(crate) fn action_fail(&self, message: &str) -> Result<(), HookError> {
        self.run(call::action_fail(message), |t| t.action_fail(message))
    }

    /// Sends one progress line of the running action at once.
    pub(crate) fn action_log(&self, message: &str) -> Result<(), HookError> {
        self.run(call::action_log(message), |t| t.action_log(message))
    }
}
