//! When the leader settings are sent.
//!
//! Juju writes `leader-set` to the controller at once, even if the hook
//! fails afterwards (`worker/uniter/runner/context/leader.go`:
//! `WriteLeaderSettings` merges into the controller's settings when called),
//! while relation settings and ports are applied only when the hook exits
//! 0 (`context/context.go`: `Flush`). So the framework buffers `leader_set`
//! like the other writes and sends it last, after every relation and port
//! write, just before the unit's store commits: a handler or a tool that
//! fails before sends nothing. If the commit itself fails after it, the
//! controller holds the new settings and the store the old snapshot; the
//! next hook's leadership flags compare the two (`autoflags`), so the change
//! is seen again (`leadership.changed.<key>`), not lost.

use super::cache::HookEnv;
use super::error::HookError;

impl HookEnv {
    /// Sends every buffered write, the leader settings last (see the module
    /// docs); what the runtime calls at the end of a successful hook.
    pub(crate) fn flush_leader_last(&self) -> Result<(), HookError> {
        let leader = std::mem::take(&mut self.pending.borrow_mut().leader);
        self.flush()?;
        self.pending.borrow_mut().leader = leader;
        self.flush()
    }
}
