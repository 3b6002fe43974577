//! Leadership as Juju's leadership resolver keeps it
//! (`worker/uniter/leadership/resolver.go`): `leader-elected` on a unit that
//! gains leadership; `leader-settings-changed` on a unit that is not the
//! leader whenever the leader-settings version it last processed differs
//! from the application's. A unit's version advances only when it runs
//! that hook, so an up-to-date follower gets nothing on an election and a
//! just-deposed leader (whose version lagged while it led) gets the hook.
//! There is no `leader-deposed` hook.

use super::events::Event;
use super::Model;
use crate::error::Error;

impl Model {
    /// Makes `unit` the leader of its application.
    pub fn set_leader(&mut self, unit: &str) -> Result<(), Error> {
        let u = self.unit(unit)?;
        if u.dying {
            return Err(Error::UnknownUnit(unit.into()));
        }
        let app = u.app.clone();
        if self.state.apps[&app].leader.as_deref() != Some(unit) {
            self.elect(&app, unit);
        }
        Ok(())
    }

    pub(super) fn elect(&mut self, app: &str, unit: &str) {
        if let Some(a) = self.state.apps.get_mut(app) {
            a.leader = Some(unit.into());
        }
        self.state.enqueue(unit, Event::LeaderElected);
        self.queue_leader_settings(app);
    }

    /// Queues `leader-settings-changed` on every living unit of `app` that
    /// is not the leader and has not processed the current version.
    pub(super) fn queue_leader_settings(&mut self, app: &str) {
        let Some(a) = self.state.apps.get(app) else {
            return;
        };
        let (version, leader) = (a.leader_settings_version, a.leader.clone());
        for unit in self.state.app_units(app) {
            let behind = self.state.units[&unit].leader_settings_seen != version;
            if behind && leader.as_deref() != Some(unit.as_str()) {
                self.state.enqueue(&unit, Event::LeaderSettingsChanged);
            }
        }
    }

    /// Whether `leader-settings-changed` is still due on `unit` (Juju
    /// decides when it would run it, not when the change happened).
    pub(super) fn leader_settings_due(&self, unit: &str) -> bool {
        let u = &self.state.units[unit];
        let a = &self.state.apps[&u.app];
        a.leader.as_deref() != Some(unit) && u.leader_settings_seen != a.leader_settings_version
    }

    /// `unit` ran `leader-settings-changed`: it is up to date.
    pub(super) fn leader_settings_seen(&mut self, unit: &str) {
        let Some(app) = self.state.units.get(unit).map(|u| u.app.clone()) else {
            return;
        };
        let version = self.state.apps[&app].leader_settings_version;
        if let Some(u) = self.state.units.get_mut(unit) {
            u.leader_settings_seen = version;
        }
    }
}
