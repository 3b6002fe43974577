//! What a run records: per hook, the handler runs and flags; per step, the
//! state of every unit and application.

use std::collections::BTreeMap;

use juju_sim::context::Settings;
use juju_sim::report::HookRun;
use juju_sim::Model;
use serde::Serialize;
use serde_json::Value;

use crate::charms::Implementation;

/// Flags as `dispatch flags` prints them: name to value.
pub type Flags = BTreeMap<String, Value>;

/// The prefix of the line every probe handler logs when it runs.
pub const RUN_PREFIX: &str = "probe: ";

/// One hook run.
#[derive(Debug, Clone, Serialize)]
pub struct HookObs {
    /// The unit.
    pub unit: String,
    /// The charm it runs (the scenario's name for it).
    pub charm: String,
    /// The hook.
    pub hook: String,
    /// `JUJU_RELATION_ID`, for relation hooks.
    pub relation: Option<String>,
    /// `JUJU_REMOTE_UNIT`, for relation hooks.
    pub remote_unit: Option<String>,
    /// 1 for the first try, 2 for the first retry, ...
    pub attempt: u32,
    /// Whether it exited 0.
    pub ok: bool,
    /// The handlers that logged `probe: <name>`, in order.
    pub runs: Vec<String>,
    /// `not_unless` warnings, as `function: flag, flag`.
    pub not_unless: Vec<String>,
    /// The unit's flags after the hook (`dispatch flags`).
    pub flags: Flags,
    /// The end of its stderr, when it failed.
    pub error: String,
    /// Wall time of the hook process, µs.
    pub wall_micros: u64,
}

impl HookObs {
    /// `unit hook` with the relation and remote unit, for messages.
    pub fn describe(&self) -> String {
        let mut s = format!("{} {}", self.unit, self.hook);
        if let Some(remote) = &self.remote_unit {
            s.push_str(&format!(" ({remote})"));
        }
        if self.attempt > 1 {
            s.push_str(&format!(" attempt {}", self.attempt));
        }
        if !self.ok {
            s.push_str(" FAILED");
        }
        s
    }

    /// How many times `handler` ran.
    pub fn count(&self, handler: &str) -> usize {
        self.runs.iter().filter(|r| *r == handler).count()
    }

    pub(crate) fn from_run(run: &HookRun, charm: &str) -> HookObs {
        let mut runs = Vec::new();
        let mut not_unless = Vec::new();
        // Juju prefixes juju-log messages of a relation hook with the
        // relation id (`jujuc/juju-log.go`).
        let prefix = run.relation.as_ref().map(|r| format!("{}: ", r.id));
        for line in run.calls.iter().filter_map(|c| c.log.as_ref()) {
            let message = prefix
                .as_deref()
                .and_then(|p| line.message.strip_prefix(p))
                .unwrap_or(&line.message);
            if let Some(name) = message.strip_prefix(RUN_PREFIX) {
                if line.level == "INFO" {
                    runs.push(name.trim().to_string());
                }
            } else if let Some(w) = parse_not_unless(message) {
                not_unless.push(w);
            }
        }
        HookObs {
            unit: run.unit.clone(),
            charm: charm.to_string(),
            hook: run.hook.clone(),
            relation: run.relation.as_ref().map(|r| r.id.clone()),
            remote_unit: run.relation.as_ref().and_then(|r| r.remote_unit.clone()),
            attempt: run.attempt,
            ok: run.succeeded(),
            runs,
            not_unless,
            flags: run.flags.clone().unwrap_or_default(),
            error: if run.succeeded() {
                String::new()
            } else {
                crate::error::tail(&run.stderr_tail, 12)
            },
            wall_micros: run.wall_micros,
        }
    }
}

/// `function: flag, flag` from a `not_unless` warning: Python writes
/// `reactive/x.py:12:fn called before flag: a`, the Rust macro
/// `x.rs:12:fn called before flag(s): a, b`.
fn parse_not_unless(message: &str) -> Option<String> {
    let (head, rest) = message.split_once(" called before ")?;
    let function = head.rsplit(':').next()?.trim();
    let (_, flags) = rest.split_once(": ")?;
    let mut flags: Vec<&str> = flags.split(',').map(str::trim).collect();
    flags.sort_unstable();
    Some(format!("{function}: {}", flags.join(", ")))
}

/// A unit after a step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitObs {
    /// The charm it runs (the scenario's name for it).
    pub charm: String,
    /// Its flags.
    pub flags: Flags,
    /// Workload status and message.
    pub status: (String, String),
    /// Opened ports (`9092/tcp`).
    pub ports: Vec<String>,
    /// Its committed settings per relation (`kafka:0`).
    pub relation_data: BTreeMap<String, Settings>,
    /// The remote units it has in scope per relation (`kafka:0`).
    pub remote_units: BTreeMap<String, Vec<String>>,
    /// The files of [`CharmSpec::observed_files`](crate::charms::CharmSpec::observed_files)
    /// in its charm directory (`None`: absent).
    pub files: BTreeMap<String, Option<String>>,
    /// The hook it is in error on, if any.
    pub error: Option<String>,
}

/// An application after a step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppObs {
    /// Its leader.
    pub leader: Option<String>,
    /// Its status and message.
    pub status: (String, String),
    /// Its leader settings.
    pub leader_settings: Settings,
}

/// One step of a run.
#[derive(Debug, Clone, Serialize)]
pub struct StepObs {
    /// The step's index in the scenario.
    pub index: usize,
    /// What it did.
    pub label: String,
    /// The hooks it ran, in order.
    pub hooks: Vec<HookObs>,
    /// Every unit afterwards.
    pub units: BTreeMap<String, UnitObs>,
    /// Every application afterwards.
    pub apps: BTreeMap<String, AppObs>,
    /// Units left in error by the settle.
    pub errors: Vec<String>,
}

/// A whole run of a scenario on one implementation.
#[derive(Debug, Clone, Serialize)]
pub struct RunObs {
    /// The implementation.
    pub implementation: Implementation,
    /// The scenario.
    pub scenario: String,
    /// The steps.
    pub steps: Vec<StepObs>,
    /// Wall time of the whole run, µs.
    pub wall_micros: u64,
}

impl RunObs {
    /// Every hook of the run.
    pub fn hooks(&self) -> impl Iterator<Item = &HookObs> {
        self.steps.iter().flat_map(|s| s.hooks.iter())
    }
}

/// Every unit and every application of a model, by name.
pub(crate) type ModelState = (BTreeMap<String, UnitObs>, BTreeMap<String, AppObs>);

/// The state of every unit and application of `model`; a unit's flags are
/// those its last hook left (`previous` holds them for units that ran no
/// hook in this step). `charms` maps applications to the charm they run.
pub(crate) fn observe_state(
    model: &Model,
    charms: &BTreeMap<String, String>,
    hooks: &[HookObs],
    previous: Option<&StepObs>,
) -> Result<ModelState, juju_sim::Error> {
    let mut units = BTreeMap::new();
    let mut apps = BTreeMap::new();
    for app in model.apps() {
        let status = model.app_status(&app)?;
        apps.insert(
            app.clone(),
            AppObs {
                leader: model.leader(&app)?.map(String::from),
                status: (status.status.clone(), status.message.clone()),
                leader_settings: model.leader_settings(&app)?.clone(),
            },
        );
        let charm = charms.get(&app).cloned().unwrap_or_default();
        let watched = crate::charms::charm(&charm).map_or(&[][..], |c| c.observed_files);
        for unit in model.units(&app) {
            let flags = match hooks.iter().rev().find(|h| h.unit == unit) {
                Some(h) => h.flags.clone(),
                None => previous
                    .and_then(|p| p.units.get(&unit))
                    .map(|u| u.flags.clone())
                    .unwrap_or_default(),
            };
            let status = model.unit_status(&unit)?;
            let dir = model.unit_dir(&unit)?;
            let (relation_data, remote_units) = relations(model, &app, &unit)?;
            units.insert(
                unit.clone(),
                UnitObs {
                    charm: charm.clone(),
                    flags,
                    status: (status.status.clone(), status.message.clone()),
                    ports: model
                        .opened_ports(&unit)?
                        .iter()
                        .map(ToString::to_string)
                        .collect(),
                    relation_data,
                    remote_units,
                    files: watched
                        .iter()
                        .map(|f| (f.to_string(), std::fs::read_to_string(dir.join(f)).ok()))
                        .collect(),
                    error: model.unit_error(&unit)?,
                },
            );
        }
    }
    Ok((units, apps))
}

/// Per relation the unit is on (keyed `endpoint:id`): its committed
/// settings (when it has any) and the remote units in its scope.
type Relations = (BTreeMap<String, Settings>, BTreeMap<String, Vec<String>>);

fn relations(model: &Model, app: &str, unit: &str) -> Result<Relations, juju_sim::Error> {
    let mut data = BTreeMap::new();
    let mut scope = BTreeMap::new();
    for id in model.relation_ids() {
        let endpoints = model.relation_endpoints(id)?;
        let Some(local) = endpoints
            .iter()
            .find_map(|e| e.strip_prefix(&format!("{app}:")))
        else {
            continue;
        };
        let key = format!("{local}:{id}");
        let settings = model.relation_data(id, unit)?;
        if !settings.is_empty() {
            data.insert(key.clone(), settings);
        }
        scope.insert(key, model.relation_units(id, unit)?);
    }
    Ok((data, scope))
}

#[cfg(test)]
mod tests {
    use super::parse_not_unless;

    #[test]
    fn not_unless_warnings_of_both_frameworks_read_alike() {
        let python = "reactive/probe.py:123:not_unless_probe called before flag: probe.related";
        let rust = "conformance/src/bin/probe.rs:105:not_unless_probe called before flag(s): b, a";
        assert_eq!(
            parse_not_unless(python).as_deref(),
            Some("not_unless_probe: probe.related")
        );
        assert_eq!(
            parse_not_unless(rust).as_deref(),
            Some("not_unless_probe: a, b")
        );
        assert_eq!(parse_not_unless("probe: when_installed"), None);
    }
}
