//! Running queued events until none remain, and committing what hooks did.
//!
//! Order: rounds over the units (by application name, then unit number);
//! in each round every unit whose queue is not empty runs the event at its
//! head. A failed hook stays at the head and is retried in the next round,
//! up to [`Options::max_attempts`](super::Options::max_attempts) times per
//! settle; after that the unit is left in error and skipped. The settle
//! ends when no unit can run anything.
//!
//! Commit rules: `status-set`, `juju-log` and `leader-set` (Juju merges
//! leader settings at once, `context/leader.go`) take effect whatever the
//! exit status; a leader-settings change queues `leader-settings-changed`
//! on the followers behind it. Relation settings, ports and the workload
//! version are committed only when the hook exits 0; then every unit that
//! sees a changed setting gets `-relation-changed` (for application data:
//! every remote unit).

use super::events::Event;
use super::Model;
use crate::context::ContextDir;
use crate::error::Error;
use crate::report::{ActionStatus, HookRun, RunStatus, Settlement, UnitError};
use crate::runner::{self, Spawn};

impl Model {
    /// Runs queued events until none remain. Fails with
    /// [`Error::HookFailed`] (holding every run) when a unit is left in
    /// error; use [`Model::settle_report`] to get the report either way.
    pub fn settle(&mut self) -> Result<Vec<HookRun>, Error> {
        let report = self.settle_report()?;
        if report.errors.is_empty() {
            Ok(report.runs)
        } else {
            Err(Error::HookFailed(Box::new(report)))
        }
    }

    /// Runs queued events until none remain or only units in error have
    /// some; reports the runs and the units left in error.
    pub fn settle_report(&mut self) -> Result<Settlement, Error> {
        for unit in self.state.units.values_mut() {
            if let Some(head) = unit.queue.front_mut() {
                head.attempts = 0;
            }
        }
        let mut runs = Vec::new();
        loop {
            let mut progressed = false;
            for unit in self.state.unit_order() {
                self.schedule(&unit);
                let head = self.state.units.get(&unit).and_then(|u| u.queue.front());
                let Some(head) = head.filter(|q| q.attempts < self.options.max_attempts) else {
                    continue;
                };
                if runs.len() >= self.options.max_runs {
                    return Err(self.no_quiescence(runs.len()));
                }
                let (event, failures) = (head.event.clone(), head.failures);
                runs.push(self.run_head(&unit, event, failures)?);
                progressed = true;
            }
            if !progressed {
                break;
            }
        }
        self.forget_removed_relations();
        let errors = self.errors(&runs);
        Ok(Settlement {
            runs,
            errors,
            seed: self.state.seed,
        })
    }

    /// Drops the failed hook at the head of a unit's queue, as `juju
    /// resolved --no-retry` does (its writes stay discarded). Settling
    /// retries failed hooks by itself, so this is only for giving up.
    pub fn resolve(&mut self, unit: &str) -> Result<(), Error> {
        let u = self
            .state
            .units
            .get_mut(unit)
            .ok_or_else(|| Error::UnknownUnit(unit.into()))?;
        if u.queue.front().is_some_and(|q| q.failures > 0) {
            u.queue.pop_front();
        }
        Ok(())
    }

    /// Runs `event`, the head of `unit`'s queue, which failed `failures`
    /// times before.
    fn run_head(&mut self, unit: &str, event: Event, failures: u32) -> Result<HookRun, Error> {
        let tools = self.tools()?;
        match &event {
            Event::RelationJoined {
                relation,
                remote_unit,
            } => {
                if let Some(rel) = self.state.relations.get_mut(relation) {
                    let scope = rel.scope.entry(unit.into()).or_default();
                    scope.insert(remote_unit.clone());
                }
            }
            Event::RelationDeparted {
                relation,
                remote_unit,
                ..
            } => {
                if let Some(scope) = self
                    .state
                    .relations
                    .get_mut(relation)
                    .and_then(|r| r.scope.get_mut(unit))
                {
                    scope.remove(remote_unit);
                }
            }
            _ => {}
        }
        let hook = self.hook_of(unit, &event);
        let is_action = matches!(event, Event::Action { .. });
        let charm_dir = self.state.units[unit].charm_dir();
        let sub_path = format!("{}/{hook}", if is_action { "actions" } else { "hooks" });
        let dispatch = charm_dir.join("dispatch");
        let (program, dispatch_path) = if dispatch.is_file() {
            (Some(dispatch), Some(sub_path))
        } else {
            let direct = charm_dir.join(&sub_path);
            (direct.is_file().then_some(direct), None)
        };
        let mut run = HookRun {
            seq: self.state.history.len() as u64,
            unit: unit.into(),
            hook: hook.clone(),
            action: match &event {
                Event::Action { id } => Some(id.clone()),
                _ => None,
            },
            relation: self.relation_env(unit, &event),
            status: RunStatus::Skipped,
            attempt: failures + 1,
            wall_micros: 0,
            tool_micros: 0,
            peak_rss_kib: 0,
            calls: Vec::new(),
            stdout_tail: String::new(),
            stderr_tail: String::new(),
            flags: None,
        };
        if let Some(program) = program {
            let before = self.hook_context(unit, Some(&event));
            let ctx_dir = ContextDir::new(self.state.units[unit].run_dir());
            let io = |e| Error::io(ctx_dir.path(), e);
            ctx_dir.begin(&before).map_err(io)?;
            let env = self.unit_env(
                unit,
                Some((&hook, &event)),
                dispatch_path.as_deref(),
                ctx_dir.path(),
                &tools,
            );
            let spawn = Spawn {
                program: &program,
                args: &[],
                cwd: &charm_dir,
                env: &env,
                out_dir: ctx_dir.path(),
                timeout: self.options.hook_timeout,
                keep: self.options.output_tail,
            };
            let exit = runner::run(&spawn).map_err(io)?;
            let after = ctx_dir.read().map_err(io)?;
            run.calls = ctx_dir.read_calls().map_err(io)?;
            run.status = exit.status;
            run.wall_micros = exit.wall.as_micros() as u64;
            run.tool_micros = run.calls.iter().map(|c| c.micros).sum();
            run.peak_rss_kib = exit.peak_rss_kib;
            run.stdout_tail = exit.stdout;
            run.stderr_tail = exit.stderr;
            self.apply_immediate(unit, &before, &after, &run);
            if run.succeeded() {
                self.commit(unit, &before, &after);
            }
        }
        self.finish(unit, &event, &run);
        if self.options.record_flags && self.state.units.contains_key(unit) {
            run.flags = self.flags(unit).ok();
        }
        self.state.history.push(run.clone());
        Ok(run)
    }

    /// Pops a finished event (a failed hook stays, a failed action does
    /// not) and applies what finishing it means.
    fn finish(&mut self, unit: &str, event: &Event, run: &HookRun) {
        let Some(u) = self.state.units.get_mut(unit) else {
            return;
        };
        if !run.succeeded() && run.action.is_none() {
            if let Some(head) = u.queue.front_mut() {
                head.attempts += 1;
                head.failures += 1;
            }
            return;
        }
        u.queue.pop_front();
        match event {
            Event::Action { id } if run.status == RunStatus::Skipped => {
                if let Some(record) = self.state.actions.get_mut(id) {
                    record.status = ActionStatus::Failed;
                    record.message = Some("the charm has no dispatch nor actions/<name>".into());
                }
            }
            Event::RelationBroken { relation } => {
                if let Some(rel) = self.state.relations.get_mut(relation) {
                    rel.scope.remove(unit);
                    rel.members.remove(unit);
                    rel.leaving.remove(unit);
                }
            }
            Event::Install => u.installed = true,
            Event::LeaderSettingsChanged => self.leader_settings_seen(unit),
            Event::Remove => {
                self.state.units.remove(unit);
                for rel in self.state.relations.values_mut() {
                    rel.scope.remove(unit);
                    rel.members.remove(unit);
                    rel.leaving.remove(unit);
                    for seen in rel.scope.values_mut() {
                        seen.remove(unit);
                    }
                }
            }
            _ => {}
        }
    }

    /// Units whose head hook failed on every attempt of this settle.
    fn errors(&self, runs: &[HookRun]) -> Vec<UnitError> {
        let mut errors = Vec::new();
        for unit in self.state.unit_order() {
            let Some(head) = self.state.units[&unit].queue.front() else {
                continue;
            };
            if head.attempts < self.options.max_attempts {
                continue;
            }
            let last = runs.iter().rev().find(|r| r.unit == unit);
            errors.push(UnitError {
                hook: self.hook_of(&unit, &head.event),
                attempts: head.attempts,
                exit_code: last.and_then(|r| match r.status {
                    RunStatus::Failed { exit_code, .. } => exit_code,
                    _ => None,
                }),
                stderr_tail: last.map(|r| r.stderr_tail.clone()).unwrap_or_default(),
                unit,
            });
        }
        errors
    }

    fn no_quiescence(&self, runs: usize) -> Error {
        let pending: Vec<String> = self
            .state
            .unit_order()
            .iter()
            .flat_map(|u| {
                let queue = &self.state.units[u].queue;
                queue
                    .iter()
                    .map(move |q| format!("{u}: {}", self.hook_of(u, &q.event)))
            })
            .take(20)
            .collect();
        Error::NoQuiescence {
            runs,
            pending: pending.join(", "),
        }
    }

    /// Forgets removed relations no queued event refers to any more, and
    /// the settings of units that left the model.
    fn forget_removed_relations(&mut self) {
        self.prune_secret_grants();
        let units = &self.state.units;
        for rel in self.state.relations.values_mut() {
            rel.unit_data.retain(|u, _| units.contains_key(u));
        }
        let referenced: Vec<u32> = self
            .state
            .units
            .values()
            .flat_map(|u| u.queue.iter().filter_map(|q| q.event.relation()))
            .collect();
        self.state
            .relations
            .retain(|id, r| !r.removed || !r.members.is_empty() || referenced.contains(id));
    }
}
