//! The write half of [`HookEnv`]: writes go to its [`WriteBuffer`] and are
//! sent at the end of a successful hook, or dropped after a failed one.
//!
//! Juju writes `leader-set` to the controller at once, even if the hook
//! fails afterwards (`worker/uniter/runner/context/leader.go`:
//! `WriteLeaderSettings` merges into the controller's settings when called),
//! while relation settings and ports are applied only when the hook exits
//! 0 (`context/context.go`: `Flush`). So the leader settings are buffered
//! like the other writes and sent last, after every relation and port
//! write, just before the unit's store commits: a handler or a tool that
//! fails before sends nothing. If the commit itself fails after it, the
//! controller holds the new settings and the store the old snapshot; the
//! next hook's leadership flags compare the two (`autoflags`), so the change
//! is seen again (`leadership.changed.<key>`), not lost.

use super::env::HookEnv;
use super::error::HookError;
use super::types::{Port, Settings};
use super::writes::{effective, WriteBuffer};

impl HookEnv {
    /// Buffers a write of this unit's (or with `app`, this application's)
    /// settings on `rid`; an empty value deletes the key.
    pub(crate) fn relation_set(
        &self,
        rid: &str,
        app: bool,
        settings: Settings,
    ) -> Result<(), HookError> {
        if app && !self.is_leader()? {
            return Err(HookError::InvalidArgument {
                api: "relation_set_app",
                reason: format!(
                    "this unit is not the leader; only the leader may write the application \
                     settings of relation {rid}"
                ),
            });
        }
        self.writes.borrow_mut().relation_set(rid, app, settings);
        Ok(())
    }

    /// Buffers a write of the leader settings; fails at once on a unit that
    /// is not the leader.
    pub(crate) fn leader_set(&self, settings: Settings) -> Result<(), HookError> {
        if !self.is_leader()? {
            let keys = settings.keys().cloned().collect::<Vec<_>>().join(", ");
            return Err(HookError::NotLeader { keys });
        }
        self.writes.borrow_mut().leader_set(settings);
        Ok(())
    }

    /// Buffers opening (`open`) or closing a port.
    pub(crate) fn set_port(&self, port: Port, open: bool) {
        self.writes.borrow_mut().set_port(port, open);
    }

    /// Sends every buffered write, the leader settings last (see the module
    /// docs); what the runtime calls at the end of a successful hook.
    pub(crate) fn flush_leader_last(&self) -> Result<(), HookError> {
        let (rest, leader) = {
            let mut all = std::mem::take(&mut *self.writes.borrow_mut());
            let leader = all.take_leader();
            (all, leader)
        };
        self.send(&rest)?;
        self.send(&leader)
    }

    /// Sends every buffered write (see [`HookEnv::flush_leader_last`] for
    /// the order the runtime uses).
    #[cfg(test)]
    pub(crate) fn flush(&self) -> Result<(), HookError> {
        let all = std::mem::take(&mut *self.writes.borrow_mut());
        self.send(&all)
    }

    /// Sends `writes`: one `relation-set` per relation id (and per `--app`),
    /// one `leader-set`, one call per port whose state changes.
    ///
    /// Relation writes are compared with this unit's (or application's)
    /// settings as Juju holds them, read with `relation-get - <own unit>`
    /// once per relation id unless the hook has read them already, and
    /// only the keys that differ are sent. So what the charm intends
    /// converges whatever happened to the hooks before: one killed after
    /// the store's commit but before it exited had its writes dropped by
    /// Juju while the store kept the flags saying they were made, and its
    /// next write of the same values is sent again; and a charm writing
    /// the same settings in every hook sends nothing. The read costs Juju
    /// no extra controller call: its `relation-set` reads the same
    /// settings first, and both go through the hook context's copy of
    /// them, fetched once per hook (`worker/uniter/runner/jujuc/`
    /// `relation-set.go`, `relation-get.go`, `runner/context/relation.go`).
    /// Ports are compared the same way with `opened-ports` (read once, if
    /// the hook has not); leader settings with what the hook has read, if
    /// anything.
    fn send(&self, writes: &WriteBuffer) -> Result<(), HookError> {
        for (rid, app, settings) in writes.relations() {
            let who = if app {
                self.ctx.application_name().to_string()
            } else {
                self.ctx.unit_name.clone()
            };
            // The buffer was taken: this is Juju's view alone.
            let current = self.relation_get(rid, &who, app)?;
            let send = effective(settings, Some(&current));
            if send.is_empty() {
                continue;
            }
            self.tools.relation_set(rid, app, &send)?;
            self.relation_sent(rid, who, app, &send);
        }
        let send = effective(writes.leader(), self.leader_seen().as_ref());
        if !send.is_empty() {
            self.tools.leader_set(&send)?;
            self.leader_sent(&send);
        }
        // Juju's view, read once (`opened-ports`) if the hook has not: ports
        // converge as relation settings do.
        let opened = if writes.has_ports() {
            self.opened_ports()?
        } else {
            Vec::new()
        };
        for (port, open) in writes.ports() {
            if opened.contains(&port) == open {
                continue;
            }
            if open {
                self.tools.open_port(port)?;
            } else {
                self.tools.close_port(port)?;
            }
        }
        Ok(())
    }

    /// Drops every buffered write (a failed hook).
    pub(crate) fn discard(&self) {
        *self.writes.borrow_mut() = WriteBuffer::default();
    }

    /// Whether writes are waiting to be sent.
    #[cfg(test)]
    pub(crate) fn has_pending_writes(&self) -> bool {
        !self.writes.borrow().is_empty()
    }
}
