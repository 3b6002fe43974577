//! The scenarios, driven through juju-sim: the Kafka lifecycle, and one
//! provider with N clients.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use juju_sim::report::HookRun;
use juju_sim::{Model, Options};

use crate::charms::Implementation;
use crate::error::BenchError;
use crate::sample::{Role, Sample, Side};

/// The provider application.
pub const PROVIDER_APP: &str = "kafka";
/// The client application.
pub const CLIENT_APP: &str = "client";

/// The steps of the lifecycle, as the report lists them.
pub const LIFECYCLE_STEPS: [&str; 8] = [
    "deploy the provider (1 unit) and the client (2 units)",
    "relate them",
    "add a client unit",
    "add a provider unit",
    "change the port (`source_port=9093`)",
    "remove a client unit",
    "update-status on every unit",
    "remove the relation",
];

/// What one scenario run measured.
#[derive(Debug, Clone)]
pub struct ScenarioRun {
    /// Every hook, in order.
    pub samples: Vec<Sample>,
    /// Wall time of the settles (hooks plus the simulator's own work).
    pub total: Duration,
}

/// A juju-sim model in `dir` (removed first if a previous run left it)
/// whose hooks use the hook tool `tool`.
struct Run<'a> {
    model: Model,
    imp: &'a Implementation,
    scenario: &'static str,
    samples: Vec<Sample>,
    total: Duration,
}

impl<'a> Run<'a> {
    fn new(
        dir: &Path,
        tool: &Path,
        imp: &'a Implementation,
        scenario: &'static str,
    ) -> Result<Run<'a>, BenchError> {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| BenchError::io(dir, e))?;
        }
        let options = Options {
            tool: Some(tool.to_path_buf()),
            ..Options::default()
        };
        let model = Model::create(dir, "bench", options).map_err(|e| BenchError::Sim {
            implementation: imp.side.to_string(),
            scenario: scenario.into(),
            step: "create the model".into(),
            source: Box::new(e),
        })?;
        Ok(Run {
            model,
            imp,
            scenario,
            samples: Vec::new(),
            total: Duration::ZERO,
        })
    }

    /// Applies `op` to the model, then settles and records the hooks.
    fn step(
        &mut self,
        step: &str,
        op: impl FnOnce(&mut Model) -> Result<(), juju_sim::Error>,
    ) -> Result<(), BenchError> {
        let start = Instant::now();
        let runs = op(&mut self.model).and_then(|()| self.model.settle());
        self.total += start.elapsed();
        let runs = runs.map_err(|e| BenchError::Sim {
            implementation: self.imp.side.to_string(),
            scenario: self.scenario.into(),
            step: step.into(),
            source: Box::new(e),
        })?;
        let side = self.imp.side;
        self.samples
            .extend(runs.iter().filter_map(|r| sample(side, r)));
        Ok(())
    }

    /// Fails unless every unit of `app` has workload status `status`.
    fn expect_status(&self, step: &str, app: &str, status: &str) -> Result<(), BenchError> {
        for unit in self.model.units(app) {
            let got = self.model.unit_status(&unit).map(|s| s.status.clone());
            if got.as_deref().ok() != Some(status) {
                return Err(BenchError::Scenario {
                    implementation: self.imp.side.to_string(),
                    scenario: self.scenario.into(),
                    step: step.into(),
                    problem: format!("{unit} has status {got:?}, expected {status}"),
                });
            }
        }
        Ok(())
    }

    fn finish(self, dir: &Path) -> Result<ScenarioRun, BenchError> {
        drop(self.model);
        std::fs::remove_dir_all(dir).map_err(|e| BenchError::io(dir, e))?;
        Ok(ScenarioRun {
            samples: self.samples,
            total: self.total,
        })
    }
}

/// The sample of a run that executed (skipped hooks ran nothing).
fn sample(side: Side, run: &HookRun) -> Option<Sample> {
    if run.status == juju_sim::report::RunStatus::Skipped {
        return None;
    }
    let app = run.unit.split('/').next().unwrap_or_default();
    let role = if app == PROVIDER_APP {
        Role::Provider
    } else {
        Role::Client
    };
    Some(Sample::from_run(side, role, run))
}

/// Runs the Kafka lifecycle ([`LIFECYCLE_STEPS`]) in a fresh model in `dir`.
pub fn lifecycle(imp: &Implementation, tool: &Path, dir: &Path) -> Result<ScenarioRun, BenchError> {
    let mut run = Run::new(dir, tool, imp, "lifecycle")?;
    let (provider, client) = (imp.provider.clone(), imp.client.clone());
    run.step(LIFECYCLE_STEPS[0], |m| {
        m.deploy(PROVIDER_APP, &provider, 1)?;
        m.deploy(CLIENT_APP, &client, 2).map(drop)
    })?;
    let mut relation = 0;
    run.step(LIFECYCLE_STEPS[1], |m| {
        relation = m.relate(PROVIDER_APP, CLIENT_APP)?;
        Ok(())
    })?;
    run.expect_status(LIFECYCLE_STEPS[1], CLIENT_APP, "active")?;
    run.expect_status(LIFECYCLE_STEPS[1], PROVIDER_APP, "active")?;
    run.step(LIFECYCLE_STEPS[2], |m| m.add_unit(CLIENT_APP).map(drop))?;
    run.step(LIFECYCLE_STEPS[3], |m| m.add_unit(PROVIDER_APP).map(drop))?;
    run.step(LIFECYCLE_STEPS[4], |m| {
        m.set_config(PROVIDER_APP, "source_port", "9093")
    })?;
    run.step(LIFECYCLE_STEPS[5], |m| {
        let first = m.units(CLIENT_APP).into_iter().next();
        first.map_or(Ok(()), |unit| m.remove_unit(&unit))
    })?;
    run.step(LIFECYCLE_STEPS[6], |m| {
        m.update_status();
        Ok(())
    })?;
    run.step(LIFECYCLE_STEPS[7], |m| m.remove_relation(relation))?;
    run.finish(dir)
}

/// One provider unit and `n` client units, deployed, then related, in a
/// fresh model in `dir`.
pub fn scaling(
    imp: &Implementation,
    tool: &Path,
    dir: &Path,
    n: u32,
) -> Result<ScenarioRun, BenchError> {
    let mut run = Run::new(dir, tool, imp, "scaling")?;
    let (provider, client) = (imp.provider.clone(), imp.client.clone());
    let deploy = format!("deploy 1 provider and {n} clients");
    run.step(&deploy, |m| {
        m.deploy(PROVIDER_APP, &provider, 1)?;
        m.deploy(CLIENT_APP, &client, n).map(drop)
    })?;
    run.step("relate them", |m| {
        m.relate(PROVIDER_APP, CLIENT_APP).map(drop)
    })?;
    run.expect_status("relate them", CLIENT_APP, "active")?;
    run.finish(dir)
}

/// Deploys a floor charm and runs `update-status` `repeats` times: the
/// samples of those hooks. Then `after` gets the unit's charm directory.
pub fn floor_hooks<T>(
    charm: &Path,
    tool: &Path,
    dir: &Path,
    repeats: usize,
    after: impl FnOnce(&Path) -> Result<T, BenchError>,
) -> Result<(Vec<Sample>, T), BenchError> {
    let imp = Implementation {
        side: Side::Ours,
        description: "floor charm".into(),
        provider: charm.to_path_buf(),
        client: PathBuf::new(),
    };
    let mut run = Run::new(dir, tool, &imp, "floor charm")?;
    run.step("deploy", |m| m.deploy(PROVIDER_APP, charm, 1).map(drop))?;
    run.samples.clear();
    for _ in 0..repeats {
        run.step("update-status", |m| {
            m.update_status();
            Ok(())
        })?;
    }
    let unit = format!("{PROVIDER_APP}/0");
    let unit_dir = run.model.unit_dir(&unit).map_err(|e| BenchError::Sim {
        implementation: imp.side.to_string(),
        scenario: "floor charm".into(),
        step: "find the unit".into(),
        source: Box::new(e),
    })?;
    let extra = after(&unit_dir)?;
    Ok((run.finish(dir)?.samples, extra))
}
