//! Scenarios: model operations driven through the simulator, the same for
//! both implementations (`conformance/scenarios/sim/<name>.json`).
//!
//! ```json
//! {
//!   "description": "what it shows",
//!   "order": "exact",
//!   "steps": [
//!     {"do": "deploy", "app": "probe", "charm": "probe", "units": 1, "config": {"greeting": "hi"}},
//!     {"do": "config", "app": "probe", "values": {"fail": true}, "errors": ["probe/0"]},
//!     {"do": "update-status", "deviations": ["d8-chain"], "note": "why this step"}
//!   ]
//! }
//! ```
//!
//! Every step runs one operation, then settles the model. `order` says how
//! handler runs are compared per hook: `exact` (same handlers in the same
//! order, for charms whose handlers live in one file in the same order on
//! both sides) or `counts` (how many times each handler ran). `errors`
//! lists the units both implementations must leave in error after the
//! step; `deviations` names deliberate differences
//! ([`crate::deviations::DEVIATIONS`]) that apply to the step.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::error::Error;
use crate::paths::scenarios_dir;

/// A scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Its name (the file name without `.json`).
    #[serde(skip)]
    pub name: String,
    /// What it shows.
    pub description: String,
    /// How handler runs are compared.
    #[serde(default)]
    pub order: Order,
    /// The steps.
    pub steps: Vec<Step>,
}

/// How handler runs are compared per hook.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// How many times each handler ran.
    #[default]
    Counts,
    /// The same handlers in the same order.
    Exact,
}

/// One step: an operation, then a settle.
#[derive(Debug, Clone, Deserialize)]
pub struct Step {
    /// The operation.
    #[serde(flatten)]
    pub action: Action,
    /// Why the step is there.
    #[serde(default)]
    pub note: Option<String>,
    /// Deliberate differences that apply to this step.
    #[serde(default)]
    pub deviations: Vec<String>,
    /// Units both implementations leave in error after the step.
    #[serde(default)]
    pub errors: Vec<String>,
}

/// A model operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Action {
    /// Deploy `units` units of a charm of [`crate::charms::CHARMS`].
    Deploy {
        /// The application name.
        app: String,
        /// The charm.
        charm: String,
        /// How many units (default 1).
        #[serde(default = "one")]
        units: u32,
        /// Config values.
        #[serde(default)]
        config: BTreeMap<String, Value>,
    },
    /// Add a unit.
    AddUnit {
        /// The application.
        app: String,
    },
    /// Remove a unit.
    RemoveUnit {
        /// The unit.
        unit: String,
    },
    /// Relate two endpoints (`app:endpoint`, or `app` when unambiguous).
    Relate {
        /// One end.
        a: String,
        /// The other end.
        b: String,
    },
    /// Remove the relation between two endpoints.
    RemoveRelation {
        /// One end.
        a: String,
        /// The other end.
        b: String,
    },
    /// Change config values (`juju config app k=v`).
    Config {
        /// The application.
        app: String,
        /// The values.
        values: BTreeMap<String, Value>,
    },
    /// Make a unit the leader.
    Leader {
        /// The unit.
        unit: String,
    },
    /// `update-status` on every unit.
    UpdateStatus,
    /// `collect-metrics` on every unit of an application.
    CollectMetrics {
        /// The application.
        app: String,
    },
    /// Change an application's meter status.
    MeterStatus {
        /// The application.
        app: String,
        /// `GREEN`, `AMBER`, `RED`.
        code: String,
        /// The message.
        info: String,
    },
}

fn one() -> u32 {
    1
}

/// A config value as `juju config` takes it on the command line.
pub fn config_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn values_text(values: &BTreeMap<String, Value>) -> String {
    let each: Vec<String> = values
        .iter()
        .map(|(k, v)| format!("{k}={}", config_text(v)))
        .collect();
    each.join(" ")
}

impl Action {
    /// A short description, as a command line.
    pub fn label(&self) -> String {
        match self {
            Action::Deploy {
                app,
                charm,
                units,
                config,
            } => {
                let mut s = format!("deploy {charm} {app} -n {units}");
                if !config.is_empty() {
                    s.push_str(&format!(" --config {}", values_text(config)));
                }
                s
            }
            Action::AddUnit { app } => format!("add-unit {app}"),
            Action::RemoveUnit { unit } => format!("remove-unit {unit}"),
            Action::Relate { a, b } => format!("relate {a} {b}"),
            Action::RemoveRelation { a, b } => format!("remove-relation {a} {b}"),
            Action::Config { app, values } => format!("config {app} {}", values_text(values)),
            Action::Leader { unit } => format!("set-leader {unit}"),
            Action::UpdateStatus => "update-status".into(),
            Action::CollectMetrics { app } => format!("collect-metrics {app}"),
            Action::MeterStatus { app, code, .. } => format!("meter-status {app} {code}"),
        }
    }
}

impl Scenario {
    /// Loads `conformance/scenarios/sim/<name>.json`.
    pub fn load(name: &str) -> Result<Scenario, Error> {
        Scenario::load_path(&scenarios_dir().join(format!("{name}.json")))
    }

    /// Loads a scenario file and checks the charms and deviations it names.
    pub fn load_path(path: &Path) -> Result<Scenario, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut scenario: Scenario =
            serde_json::from_str(&text).map_err(|source| Error::ScenarioJson {
                path: path.to_path_buf(),
                source,
            })?;
        scenario.name = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        scenario.check()?;
        Ok(scenario)
    }

    /// Every scenario in `conformance/scenarios/sim`, by name.
    pub fn all() -> Result<Vec<Scenario>, Error> {
        let dir = scenarios_dir();
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| Error::io(&dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        // By name: `probe` before `probe-d8`.
        paths.sort_by_key(|p| p.file_stem().map(|s| s.to_os_string()));
        paths.iter().map(|p| Scenario::load_path(p)).collect()
    }

    fn check(&self) -> Result<(), Error> {
        let bad = |reason: String| Error::Scenario {
            scenario: self.name.clone(),
            reason,
        };
        for (i, step) in self.steps.iter().enumerate() {
            if let Action::Deploy { charm, .. } = &step.action {
                if crate::charms::charm(charm).is_none() {
                    return Err(bad(format!("step {i}: unknown charm {charm:?}")));
                }
            }
            for id in &step.deviations {
                match crate::deviations::deviation(id) {
                    Some(d) if !d.everywhere => {}
                    Some(_) => {
                        return Err(bad(format!(
                            "step {i}: deviation {id:?} applies everywhere; do not list it"
                        )))
                    }
                    None => return Err(bad(format!("step {i}: unknown deviation {id:?}"))),
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_file_loads() {
        let all = Scenario::all().unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        assert!(names.contains(&"probe"), "{names:?}");
        assert!(all.iter().all(|s| !s.steps.is_empty()));
    }

    #[test]
    fn unknown_charms_and_deviations_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let write = |body: &str| {
            let path = dir.path().join("bad.json");
            std::fs::write(&path, body).unwrap();
            Scenario::load_path(&path).unwrap_err().to_string()
        };
        let e = write(
            r#"{"description": "", "steps": [{"do": "deploy", "app": "a", "charm": "nope"}]}"#,
        );
        assert!(e.contains("step 0: unknown charm \"nope\""), "{e}");
        let e = write(
            r#"{"description": "", "steps": [{"do": "update-status", "deviations": ["x"]}]}"#,
        );
        assert!(e.contains("unknown deviation \"x\""), "{e}");
        let e = write(r#"{"description": "", "steps": [{"do": "jump"}]}"#);
        assert!(e.contains("bad.json"), "{e}");
    }

    #[test]
    fn labels_read_as_command_lines() {
        let s: Step = serde_json::from_str(
            r#"{"do": "config", "app": "probe", "values": {"fail": true, "greeting": "boom"}}"#,
        )
        .unwrap();
        assert_eq!(s.action.label(), "config probe fail=true greeting=boom");
    }
}
