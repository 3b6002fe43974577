//! The write half of [`HookEnv`]: the buffer of the writes Juju applies
//! only when the hook succeeds (relation settings, leader settings, ports),
//! sent at the end of a successful hook, or dropped after a failed one.

use std::collections::BTreeMap;

use super::cache::HookEnv;
use super::error::HookError;
use super::tools::call;
use super::types::{apply_writes, Port, Settings};

/// The pending writes of a hook.
#[derive(Default)]
pub(super) struct Pending {
    /// `(relation id, is app)` to settings; an empty value deletes.
    pub(super) relation: BTreeMap<(String, bool), Settings>,
    /// Leader settings; an empty value deletes.
    pub(super) leader: Settings,
    /// Port to `true` (open) or `false` (close), the last call winning.
    pub(super) ports: BTreeMap<Port, bool>,
}

/// `base` with the `pending` writes applied (see [`apply_writes`]).
pub(super) fn merged(mut base: Settings, pending: Option<&Settings>) -> Settings {
    if let Some(writes) = pending {
        apply_writes(&mut base, writes);
    }
    base
}

/// Drops from `writes` what `current` already holds.
fn effective(writes: &Settings, current: Option<&Settings>) -> Settings {
    writes
        .iter()
        .filter(|(k, v)| match current {
            Some(cur) => cur.get(*k).map(String::as_str).unwrap_or("") != v.as_str(),
            None => true,
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

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
        let mut p = self.pending.borrow_mut();
        p.relation
            .entry((rid.to_string(), app))
            .or_default()
            .extend(settings);
        Ok(())
    }

    /// Buffers a write of the leader settings; fails at once on a unit that
    /// is not the leader.
    pub(crate) fn leader_set(&self, settings: Settings) -> Result<(), HookError> {
        if !self.is_leader()? {
            let keys = settings.keys().cloned().collect::<Vec<_>>().join(", ");
            return Err(HookError::NotLeader { keys });
        }
        self.pending.borrow_mut().leader.extend(settings);
        Ok(())
    }

    /// Buffers opening (`open`) or closing a port.
    pub(crate) fn set_port(&self, port: Port, open: bool) {
        self.pending.borrow_mut().ports.insert(port, open);
    }

    /// Sends every buffered write: one `relation-set` per relation id (and
    /// per `--app`), one `leader-set`, one call per port whose state
    /// changes.
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
    /// Ports are compared the same
    /// way with `opened-ports` (read once, if the hook has not); leader
    /// settings with what the hook has read, if anything.
    pub fn flush(&self) -> Result<(), HookError> {
        let pending = std::mem::take(&mut *self.pending.borrow_mut());
        for ((rid, app), writes) in &pending.relation {
            let who = if *app {
                self.ctx.application_name().to_string()
            } else {
                self.ctx.unit_name.clone()
            };
            // The pending writes are taken: this is Juju's view alone.
            let current = self.relation_get(rid, &who, *app)?;
            let send = effective(writes, Some(&current));
            if send.is_empty() {
                continue;
            }
            let mut recorded = call::relation_set(rid, *app);
            recorded.input = Some(call::settings_words(&send).into());
            self.run(recorded, |t| t.relation_set(rid, *app, &send))?;
            let key = (rid.clone(), who, *app);
            let mut cache = self.cache.borrow_mut();
            if let Some(cur) = cache.relation_data.get_mut(&key) {
                *cur = merged(std::mem::take(cur), Some(&send));
            }
        }
        let current = self.cache.borrow().leader.clone();
        let send = effective(&pending.leader, current.as_ref());
        if !send.is_empty() {
            self.run(call::leader_set(&send), |t| t.leader_set(&send))?;
            if let Some(cur) = self.cache.borrow_mut().leader.as_mut() {
                *cur = merged(std::mem::take(cur), Some(&send));
            }
        }
        // Juju's view, read once (`opened-ports`) if the hook has not: ports
        // converge as relation settings do.
        let opened = if pending.ports.is_empty() {
            Vec::new()
        } else {
            self.opened_ports()?
        };
        for (port, open) in pending.ports {
            if opened.contains(&port) == open {
                continue;
            }
            if open {
                self.run(call::open_port(port), |t| t.open_port(port))?;
            } else {
                self.run(call::close_port(port), |t| t.close_port(port))?;
            }
        }
        Ok(())
    }

    /// Drops every buffered write (a failed hook).
    pub fn discard(&self) {
        *self.pending.borrow_mut() = Pending::default();
    }

    /// Whether writes are waiting for [`HookEnv::flush`].
    pub fn has_pending_writes(&self) -> bool {
        let p = self.pending.borrow();
        !(p.relation.is_empty() && p.leader.is_empty() && p.ports.is_empty())
    }
}
