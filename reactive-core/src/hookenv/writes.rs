//! [`WriteBuffer`]: the writes Juju applies only when the hook succeeds
//! (relation settings, leader settings, ports), held until the end of the
//! hook, merged, and what of them still needs sending.

use std::collections::BTreeMap;

use super::types::{apply_writes, Port, Settings};

/// The pending writes of one hook: each relation's settings (and its
/// application settings), the leader settings, the ports. Owned by
/// [`HookEnv`](super::HookEnv), which flushes it (`flush.rs`).
#[derive(Debug, Default)]
pub(super) struct WriteBuffer {
    /// `(relation id, is app)` to settings; an empty value deletes.
    relation: BTreeMap<(String, bool), Settings>,
    /// Leader settings; an empty value deletes.
    leader: Settings,
    /// Port to `true` (open) or `false` (close), the last call winning.
    ports: BTreeMap<Port, bool>,
}

impl WriteBuffer {
    /// Adds writes of this unit's (with `app`, this application's)
    /// settings on `rid`.
    pub(super) fn relation_set(&mut self, rid: &str, app: bool, settings: Settings) {
        self.relation
            .entry((rid.to_string(), app))
            .or_default()
            .extend(settings);
    }

    /// Adds writes of the leader settings.
    pub(super) fn leader_set(&mut self, settings: Settings) {
        self.leader.extend(settings);
    }

    /// Opens (`open`) or closes `port`.
    pub(super) fn set_port(&mut self, port: Port, open: bool) {
        self.ports.insert(port, open);
    }

    /// `base` (this unit's or application's settings on `rid` as Juju holds
    /// them) with the pending writes applied.
    pub(super) fn relation_view(&self, rid: &str, app: bool, base: Settings) -> Settings {
        // Looked up without building an owned key (this runs on every read
        // of the unit's own settings).
        let pending = self
            .relation
            .iter()
            .find(|((r, a), _)| r == rid && *a == app)
            .map(|(_, s)| s);
        merged(base, pending)
    }

    /// `base` (the leader settings) with the pending writes applied.
    pub(super) fn leader_view(&self, base: Settings) -> Settings {
        merged(base, Some(&self.leader))
    }

    /// `base` (the opened ports) with the pending changes applied, sorted.
    pub(super) fn ports_view(&self, mut ports: Vec<Port>) -> Vec<Port> {
        for (p, open) in &self.ports {
            ports.retain(|q| q != p);
            if *open {
                ports.push(*p);
            }
        }
        ports.sort();
        ports
    }

    /// Whether nothing is pending.
    #[cfg(test)]
    pub(super) fn is_empty(&self) -> bool {
        self.relation.is_empty() && self.leader.is_empty() && self.ports.is_empty()
    }

    /// Takes the pending leader settings out, leaving the rest.
    pub(super) fn take_leader(&mut self) -> WriteBuffer {
        WriteBuffer {
            leader: std::mem::take(&mut self.leader),
            ..WriteBuffer::default()
        }
    }

    /// The relation writes, by `(relation id, is app)`.
    pub(super) fn relations(&self) -> impl Iterator<Item = (&str, bool, &Settings)> {
        self.relation.iter().map(|((r, a), s)| (r.as_str(), *a, s))
    }

    /// The leader writes.
    pub(super) fn leader(&self) -> &Settings {
        &self.leader
    }

    /// The port changes.
    pub(super) fn ports(&self) -> impl Iterator<Item = (Port, bool)> + '_ {
        self.ports.iter().map(|(p, o)| (*p, *o))
    }

    /// Whether any port changes.
    pub(super) fn has_ports(&self) -> bool {
        !self.ports.is_empty()
    }
}

/// `base` with the `pending` writes applied (see [`apply_writes`]).
pub(super) fn merged(mut base: Settings, pending: Option<&Settings>) -> Settings {
    if let Some(writes) = pending {
        apply_writes(&mut base, writes);
    }
    base
}

/// Of `writes`, what `current` does not hold already.
pub(super) fn effective(writes: &Settings, current: Option<&Settings>) -> Settings {
    writes
        .iter()
        .filter(|(k, v)| match current {
            Some(cur) => cur.get(*k).map(String::as_str).unwrap_or("") != v.as_str(),
            None => true,
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
