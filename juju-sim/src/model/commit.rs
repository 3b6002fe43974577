//! What a finished hook leaves behind: status and logs always, the rest
//! only on success (rules in `settle.rs`).

use super::events::Event;
use super::state::app_of;
use super::Model;
use crate::context::HookContext;
use crate::report::{ActionStatus, HookRun, RunStatus};

impl Model {
    /// `status-set`, `juju-log`, `leader-set` and action output count
    /// whatever the exit.
    pub(super) fn apply_immediate(
        &mut self,
        unit: &str,
        before: &HookContext,
        after: &HookContext,
        run: &HookRun,
    ) {
        if let Some(u) = self.state.units.get_mut(unit) {
            u.status = after.unit_status.clone();
            u.logs.extend(
                run.calls
                    .iter()
                    .flat_map(|c| c.warnings.iter().chain(&c.log).cloned()),
            );
        }
        if after.app_status != before.app_status && after.leader {
            if let Some(app) = self.state.apps.get_mut(app_of(unit)) {
                app.status = after.app_status.clone();
            }
        }
        // Juju merges leader settings at once (context/leader.go).
        if after.leader_settings != before.leader_settings && after.leader {
            if let Some(a) = self.state.apps.get_mut(app_of(unit)) {
                a.leader_settings = after.leader_settings.clone();
                a.leader_settings_version += 1;
            }
            self.queue_leader_settings(app_of(unit));
        }
        if let (Some(id), Some(out)) = (&run.action, &after.action) {
            if let Some(record) = self.state.actions.get_mut(id) {
                record.results = out.results.clone();
                record.logs = out.logs.clone();
                record.stdout = run.stdout_tail.clone();
                record.stderr = run.stderr_tail.clone();
                record.exit_code = match &run.status {
                    RunStatus::Failed { exit_code, .. } => *exit_code,
                    _ => Some(0),
                };
                record.message = out.failed.clone().or_else(|| match &run.status {
                    RunStatus::Failed { exit_code, .. } => {
                        Some(format!("exit status {}", exit_code.unwrap_or(-1)))
                    }
                    _ => None,
                });
                record.status = if run.succeeded() && out.failed.is_none() {
                    ActionStatus::Completed
                } else {
                    ActionStatus::Failed
                };
            }
        }
    }

    /// Commits a successful hook's writes and queues the change events.
    pub(super) fn commit(&mut self, unit: &str, before: &HookContext, after: &HookContext) {
        let app = app_of(unit).to_string();
        for (id, now) in &after.relations {
            let (Some(was), Some(rel)) =
                (before.relations.get(id), self.state.relations.get_mut(id))
            else {
                continue;
            };
            // A unit on its way out has left scope: nobody hears its writes.
            let member = rel.members.contains(unit) && !rel.leaving.contains(unit);
            let mut notify = Vec::new();
            if now.local_unit != was.local_unit {
                rel.unit_data.insert(unit.into(), now.local_unit.clone());
                notify.push(Some(unit.to_string()));
            }
            if now.local_app != was.local_app && after.leader {
                rel.app_data.insert(app.clone(), now.local_app.clone());
                notify.push(None);
            }
            if !member {
                continue;
            }
            let remotes = rel.remote_members(unit, &app);
            for remote_unit in notify {
                for m in &remotes {
                    let event = Event::RelationChanged {
                        relation: *id,
                        remote_unit: remote_unit.clone(),
                    };
                    self.state.enqueue(m, event);
                }
            }
        }
        self.commit_secrets(&after.secrets);
        if let Some(u) = self.state.units.get_mut(unit) {
            u.ports = after.ports.clone();
        }
        if after.workload_version != before.workload_version {
            if let Some(a) = self.state.apps.get_mut(&app) {
                a.workload_version = after.workload_version.clone();
            }
        }
    }
}
