//! Which queued event a unit runs next, as Juju's resolvers would pick it
//! (`worker/uniter/resolver.go`, `worker/uniter/relation/resolver.go`):
//!
//! - a `leader-settings-changed` no longer due (the unit became leader or
//!   is already up to date) is dropped;
//! - once the unit is installed, a pending action runs ahead of every
//!   queued hook, a failed one awaiting retry included;
//! - a failed hook is retried before anything else;
//! - among relation hooks at the head of the queue, the relation is
//!   picked in a seeded random order, peer relations last (Juju visits
//!   relations in map order); each relation's own hooks keep their order.
//!
//! The seed is the model's ([`Model::seed`]): the same seed and the same
//! operations give the same runs.

use super::events::{Event, Queued};
use super::state::Rng;
use super::Model;

impl Model {
    /// Puts the event `unit` runs next at the head of its queue.
    pub(super) fn schedule(&mut self, unit: &str) {
        while self.stale_head(unit) {
            if let Some(u) = self.state.units.get_mut(unit) {
                u.queue.pop_front();
            }
        }
        let peers: Vec<u32> = self
            .state
            .relations
            .iter()
            .filter(|(_, r)| r.is_peer())
            .map(|(id, _)| *id)
            .collect();
        let (units, rng) = (&mut self.state.units, &mut self.state.rng);
        let Some(u) = units.get_mut(unit) else {
            return;
        };
        if u.installed {
            let action = u
                .queue
                .iter()
                .position(|q| matches!(q.event, Event::Action { .. }) && q.attempts == 0);
            if let Some(i) = action.filter(|i| *i > 0) {
                move_to_front(&mut u.queue, i);
                return;
            }
        }
        let Some(head) = u.queue.front() else {
            return;
        };
        if head.failures > 0 || head.event.relation().is_none() {
            return;
        }
        if let Some(i) = pick_relation_event(&u.queue, &peers, rng) {
            move_to_front(&mut u.queue, i);
        }
    }

    fn stale_head(&self, unit: &str) -> bool {
        let head = self.state.units.get(unit).and_then(|u| u.queue.front());
        matches!(head, Some(q) if q.event == Event::LeaderSettingsChanged && q.failures == 0)
            && !self.leader_settings_due(unit)
    }
}

/// The index of the event to run among the relation events heading the
/// queue: the first event of a relation drawn at random, peers last.
fn pick_relation_event(
    queue: &std::collections::VecDeque<Queued>,
    peers: &[u32],
    rng: &mut Rng,
) -> Option<usize> {
    let block: Vec<(usize, u32)> = queue
        .iter()
        .enumerate()
        .map_while(|(i, q)| q.event.relation().map(|id| (i, id)))
        .collect();
    let mut firsts: Vec<(usize, u32)> = Vec::new();
    for (i, id) in block {
        if !firsts.iter().any(|(_, seen)| *seen == id) {
            firsts.push((i, id));
        }
    }
    let others: Vec<usize> = firsts
        .iter()
        .filter(|(_, id)| !peers.contains(id))
        .map(|(i, _)| *i)
        .collect();
    let pool: Vec<usize> = if others.is_empty() {
        firsts.iter().map(|(i, _)| *i).collect()
    } else {
        others
    };
    match pool.len() {
        0 => None,
        n => Some(pool[rng.below(n)]),
    }
}

fn move_to_front(queue: &mut std::collections::VecDeque<Queued>, i: usize) {
    if let Some(q) = queue.remove(i) {
        queue.push_front(q);
    }
}
