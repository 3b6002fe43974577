//! Relations: relating endpoints, removing relations, and the joins and
//! departures they queue (the order is documented in `ops.rs`).

use std::collections::{BTreeMap, BTreeSet};

use super::events::Event;
use super::state::{app_of, sort_units, Relation, RelationEnd};
use super::Model;
use crate::charm::Role;
use crate::error::Error;

impl Model {
    /// Relates two endpoints, each `app:endpoint` or just `app` when only
    /// one endpoint fits. Provides relates to requires of the same
    /// interface. Peer relations exist from deploy on: naming one returns
    /// its id. Returns the relation id.
    pub fn relate(&mut self, a: &str, b: &str) -> Result<u32, Error> {
        let (ea, eb) = self.match_endpoints(a, b)?;
        if ea.role == Role::Peers {
            return self.peer_relation(&ea.app, &ea.endpoint).ok_or_else(|| {
                Error::UnknownEndpoint {
                    app: ea.app.clone(),
                    endpoint: ea.endpoint.clone(),
                }
            });
        }
        let fail = |reason: String| Error::CannotRelate {
            a: a.into(),
            b: b.into(),
            reason,
        };
        for (id, rel) in &self.state.relations {
            if !rel.removed && rel.ends.contains(&ea) && rel.ends.contains(&eb) {
                return Err(fail(format!("relation {id} already exists")));
            }
        }
        for end in [&ea, &eb] {
            let limit = self.state.apps[&end.app].charm.endpoints[&end.endpoint].limit;
            let used = self
                .state
                .relations
                .values()
                .filter(|r| !r.removed && r.ends.contains(end))
                .count();
            if limit.is_some_and(|l| used as u64 >= u64::from(l)) {
                return Err(fail(format!(
                    "endpoint {}:{} is limited to {} relation(s)",
                    end.app,
                    end.endpoint,
                    limit.unwrap_or(0)
                )));
            }
        }
        let units: Vec<String> = [&ea.app, &eb.app]
            .iter()
            .flat_map(|app| self.state.app_units(app))
            .collect();
        let id = self.new_relation(vec![ea, eb]);
        for unit in &units {
            self.enter_relation(id, unit);
        }
        for unit in &units {
            self.state
                .enqueue(unit, Event::RelationCreated { relation: id });
        }
        let mut members = units;
        sort_units(&mut members);
        for unit in &members {
            let app = app_of(unit).to_string();
            for remote in self.state.relations[&id].remote_members(unit, &app) {
                self.joined(unit, id, &remote);
            }
        }
        Ok(id)
    }

    /// Removes a relation: every unit departs each remote unit it saw,
    /// then runs `-relation-broken`.
    pub fn remove_relation(&mut self, id: u32) -> Result<(), Error> {
        let rel = self
            .state
            .relations
            .get_mut(&id)
            .filter(|r| !r.removed)
            .ok_or(Error::UnknownRelation(id))?;
        if rel.is_peer() {
            return Err(Error::PeerRelation(id));
        }
        rel.removed = true;
        // Members stay until their -broken hook commits; units already
        // leaving (being removed) have their departures queued.
        let mut members: Vec<String> = rel.members.difference(&rel.leaving).cloned().collect();
        rel.leaving.extend(members.iter().cloned());
        sort_units(&mut members);
        for unit in members {
            self.leave_relation(id, &unit, None);
        }
        Ok(())
    }

    pub(super) fn rel_mut(&mut self, id: u32) -> &mut Relation {
        self.state
            .relations
            .get_mut(&id)
            .expect("relation ids come from the state")
    }

    pub(super) fn new_relation(&mut self, ends: Vec<RelationEnd>) -> u32 {
        let id = self.state.next_relation;
        self.state.next_relation += 1;
        let rel = Relation {
            ends,
            members: BTreeSet::new(),
            leaving: BTreeSet::new(),
            scope: BTreeMap::new(),
            unit_data: BTreeMap::new(),
            app_data: BTreeMap::new(),
            removed: false,
        };
        self.state.relations.insert(id, rel);
        id
    }

    /// Makes `unit` a member, with its settings pre-filled as Juju does.
    pub(super) fn enter_relation(&mut self, id: u32, unit: &str) {
        let address = self.state.units[unit].private_address.clone();
        let rel = self.rel_mut(id);
        rel.members.insert(unit.into());
        rel.scope.entry(unit.into()).or_default();
        let data = rel.unit_data.entry(unit.into()).or_default();
        data.insert("private-address".into(), address.clone());
        data.insert("ingress-address".into(), address.clone());
        data.insert("egress-subnets".into(), format!("{address}/32"));
    }

    /// Queues the join of a new member with every remote member, both ways.
    pub(super) fn introduce(&mut self, id: u32, unit: &str) {
        let app = app_of(unit).to_string();
        for remote in self.state.relations[&id].remote_members(unit, &app) {
            self.joined(unit, id, &remote);
            self.joined(&remote, id, unit);
        }
    }

    fn joined(&mut self, unit: &str, id: u32, remote: &str) {
        let joined = Event::RelationJoined {
            relation: id,
            remote_unit: remote.into(),
        };
        let changed = Event::RelationChanged {
            relation: id,
            remote_unit: Some(remote.into()),
        };
        self.state.enqueue(unit, joined);
        self.state.enqueue(unit, changed);
    }

    /// Queues `unit`'s departure from every remote unit it saw, then
    /// `-relation-broken`. `departing` is `JUJU_DEPARTING_UNIT` (the unit
    /// itself when it is being removed; else each remote unit).
    pub(super) fn leave_relation(&mut self, id: u32, unit: &str, departing: Option<&str>) {
        let app = app_of(unit).to_string();
        let rel = &self.state.relations[&id];
        let seen = rel.scope_of(unit);
        let remote_app = rel.remote_app(&app).to_string();
        let unseen: Vec<String> = rel
            .unit_data
            .keys()
            .filter(|u| app_of(u) == remote_app && *u != unit && !seen.contains(u))
            .cloned()
            .collect();
        for remote in unseen {
            self.forget_pending(unit, id, &remote);
        }
        for remote in seen {
            let event = Event::RelationDeparted {
                relation: id,
                remote_unit: remote.clone(),
                departing_unit: departing.unwrap_or(&remote).into(),
            };
            self.state.enqueue(unit, event);
        }
        self.state
            .enqueue(unit, Event::RelationBroken { relation: id });
    }

    /// Drops queued joined/changed events of `unit` about `remote`, which
    /// leaves before `unit` ever saw it.
    pub(super) fn forget_pending(&mut self, unit: &str, id: u32, remote: &str) {
        if let Some(u) = self.state.units.get_mut(unit) {
            u.queue.retain(|q| {
                let about_remote = q.event.relation() == Some(id)
                    && q.event.remote_unit() == Some(remote)
                    && matches!(
                        q.event,
                        Event::RelationJoined { .. } | Event::RelationChanged { .. }
                    );
                !about_remote
            });
        }
    }

    /// Resolves `a` and `b` to one compatible endpoint pair.
    fn match_endpoints(&self, a: &str, b: &str) -> Result<(RelationEnd, RelationEnd), Error> {
        let side_a = self.candidates(a)?;
        let side_b = self.candidates(b)?;
        let mut pairs = Vec::new();
        for ea in &side_a {
            for eb in &side_b {
                let fits = match (ea.role, eb.role) {
                    (Role::Provides, Role::Requires) | (Role::Requires, Role::Provides) => {
                        ea.app != eb.app
                    }
                    (Role::Peers, Role::Peers) => ea == eb,
                    _ => false,
                };
                if fits && ea.interface == eb.interface {
                    pairs.push((ea.clone(), eb.clone()));
                }
            }
        }
        let describe = |side: &[RelationEnd]| {
            let each: Vec<String> = side
                .iter()
                .map(|e| format!("{}:{} ({} {})", e.app, e.endpoint, e.role, e.interface))
                .collect();
            each.join(", ")
        };
        match pairs.len() {
            1 => Ok(pairs.remove(0)),
            0 => Err(Error::CannotRelate {
                a: a.into(),
                b: b.into(),
                reason: format!(
                    "no provides/requires pair with one interface among [{}] and [{}]",
                    describe(&side_a),
                    describe(&side_b)
                ),
            }),
            _ => Err(Error::CannotRelate {
                a: a.into(),
                b: b.into(),
                reason: format!(
                    "ambiguous, name the endpoints: {}",
                    pairs
                        .iter()
                        .map(|(x, y)| format!("{}:{} {}:{}", x.app, x.endpoint, y.app, y.endpoint))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ),
            }),
        }
    }

    /// The endpoints `app:endpoint` (or every endpoint of `app`) names.
    fn candidates(&self, spec: &str) -> Result<Vec<RelationEnd>, Error> {
        let (app, endpoint) = match spec.split_once(':') {
            Some((app, ep)) => (app, Some(ep)),
            None => (spec, None),
        };
        let charm = &self.app(app)?.charm;
        if let Some(ep) = endpoint {
            if !charm.endpoints.contains_key(ep) {
                return Err(Error::UnknownEndpoint {
                    app: app.into(),
                    endpoint: ep.into(),
                });
            }
        }
        Ok(charm
            .endpoints
            .iter()
            .filter(|(name, _)| endpoint.is_none_or(|ep| ep == name.as_str()))
            .map(|(name, e)| RelationEnd {
                app: app.into(),
                endpoint: name.clone(),
                role: e.role,
                interface: e.interface.clone(),
            })
            .collect())
    }
}
