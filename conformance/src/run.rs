//! Driving a scenario through `juju_sim::Model`, on one implementation or
//! on both at once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use juju_sim::{Model, Options};

use crate::binaries::Binaries;
use crate::charms::{build_charm, charm, Implementation};
use crate::error::Error;
use crate::observe::{observe_state, HookObs, RunObs, StepObs};
use crate::scenario::{config_text, Action, Scenario};

/// Knobs of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Attempts per failing hook in one settle (the simulator's
    /// `max_attempts`); 2 shows a retry at the cost of one more hook.
    pub max_attempts: u32,
    /// Run `dispatch flags` after every hook (needed for the comparison;
    /// a benchmark may turn it off).
    pub record_flags: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            max_attempts: 2,
            record_flags: true,
        }
    }
}

/// Runs `scenario` on `implementation` in `workdir` (created; charm
/// directories go to `workdir/charms`, the model to `workdir/model`).
pub fn run(
    scenario: &Scenario,
    implementation: Implementation,
    workdir: &Path,
    options: &RunOptions,
) -> Result<RunObs, Error> {
    let start = Instant::now();
    let sim_options = Options {
        tool: Some(Binaries::get()?.tool()),
        max_attempts: options.max_attempts,
        record_flags: options.record_flags,
        ..Options::default()
    };
    let mut driver = Driver {
        scenario,
        implementation,
        workdir,
        charms: BTreeMap::new(),
        apps: BTreeMap::new(),
        step: 0,
        label: String::new(),
    };
    let mut model = Model::create(workdir.join("model"), "conformance", sim_options)
        .map_err(|e| driver.sim(e))?;
    let mut steps: Vec<StepObs> = Vec::new();
    for (index, step) in scenario.steps.iter().enumerate() {
        driver.step = index;
        driver.label = step.action.label();
        let first = model.history().len();
        driver.apply(&mut model, &step.action)?;
        let report = model.settle_report().map_err(|e| driver.sim(e))?;
        let hooks: Vec<HookObs> = model.history()[first..]
            .iter()
            .map(|run| HookObs::from_run(run, driver.charm_of(&run.unit)))
            .collect();
        let (units, apps) =
            observe_state(&model, &driver.apps, &hooks, steps.last()).map_err(|e| driver.sim(e))?;
        steps.push(StepObs {
            index,
            label: driver.label.clone(),
            hooks,
            units,
            apps,
            errors: report.errors.iter().map(|e| e.unit.clone()).collect(),
        });
    }
    Ok(RunObs {
        implementation,
        scenario: scenario.name.clone(),
        steps,
        wall_micros: start.elapsed().as_micros() as u64,
    })
}

/// Both runs of a comparison: the reference and ours.
#[derive(Debug, Clone)]
pub struct Pair {
    /// The Python reference's run.
    pub python: RunObs,
    /// Our run.
    pub rust: RunObs,
}

/// Runs `scenario` on both implementations at once (each has its own
/// model under `workdir/<implementation>`; the Python hooks dominate the
/// time, so the Rust run costs nothing extra).
pub fn run_both(scenario: &Scenario, workdir: &Path, options: &RunOptions) -> Result<Pair, Error> {
    // Set up once before the threads, so a failure is reported once.
    Binaries::get()?;
    crate::venv::venv()?;
    let dir = |i: Implementation| -> PathBuf { workdir.join(i.to_string()) };
    let (python, rust) = std::thread::scope(|s| {
        let py = s.spawn(|| {
            run(
                scenario,
                Implementation::Python,
                &dir(Implementation::Python),
                options,
            )
        });
        let rs = run(
            scenario,
            Implementation::Rust,
            &dir(Implementation::Rust),
            options,
        );
        let py = py.join().unwrap_or_else(|panic| {
            Err(Error::Setup(format!(
                "the python run panicked: {}",
                reactive_core::__private::panic_message(&*panic)
            )))
        });
        (py, rs)
    });
    Ok(Pair {
        python: python?,
        rust: rust?,
    })
}

struct Driver<'a> {
    scenario: &'a Scenario,
    implementation: Implementation,
    workdir: &'a Path,
    charms: BTreeMap<String, PathBuf>,
    /// Application to charm name.
    apps: BTreeMap<String, String>,
    step: usize,
    label: String,
}

impl Driver<'_> {
    fn sim(&self, e: juju_sim::Error) -> Error {
        Error::Sim {
            implementation: self.implementation.to_string(),
            scenario: self.scenario.name.clone(),
            step: self.step,
            label: self.label.clone(),
            source: Box::new(e),
        }
    }

    /// The charm `unit` runs.
    fn charm_of(&self, unit: &str) -> &str {
        let app = unit.rsplit_once('/').map_or(unit, |(app, _)| app);
        self.apps.get(app).map_or("", String::as_str)
    }

    fn bad(&self, reason: String) -> Error {
        Error::Scenario {
            scenario: self.scenario.name.clone(),
            reason: format!("step {} ({}): {reason}", self.step, self.label),
        }
    }

    /// The charm directory of `name`, built on first use.
    fn charm_dir(&mut self, name: &str) -> Result<PathBuf, Error> {
        if let Some(dir) = self.charms.get(name) {
            return Ok(dir.clone());
        }
        let spec = charm(name).ok_or_else(|| self.bad(format!("unknown charm {name:?}")))?;
        let out = self.workdir.join("charms").join(name);
        let dir = build_charm(spec, self.implementation, &out)?;
        self.charms.insert(name.to_string(), dir.clone());
        Ok(dir)
    }

    fn apply(&mut self, model: &mut Model, action: &Action) -> Result<(), Error> {
        match action {
            Action::Deploy {
                app,
                charm,
                units,
                config,
            } => {
                let dir = self.charm_dir(charm)?;
                self.apps.insert(app.clone(), charm.clone());
                let values: Vec<(String, String)> = config
                    .iter()
                    .map(|(k, v)| (k.clone(), config_text(v)))
                    .collect();
                model
                    .deploy_with_config(app, dir, *units, &values)
                    .map_err(|e| self.sim(e))?;
            }
            Action::AddUnit { app } => {
                model.add_unit(app).map_err(|e| self.sim(e))?;
            }
            Action::RemoveUnit { unit } => model.remove_unit(unit).map_err(|e| self.sim(e))?,
            Action::Relate { a, b } => {
                model.relate(a, b).map_err(|e| self.sim(e))?;
            }
            Action::RemoveRelation { a, b } => {
                let id = self.relation_between(model, a, b)?;
                model.remove_relation(id).map_err(|e| self.sim(e))?;
            }
            Action::Config { app, values } => {
                for (k, v) in values {
                    model
                        .set_config(app, k, &config_text(v))
                        .map_err(|e| self.sim(e))?;
                }
            }
            Action::Leader { unit } => model.set_leader(unit).map_err(|e| self.sim(e))?,
            Action::UpdateStatus => model.update_status(),
            Action::CollectMetrics { app } => {
                model.collect_metrics(app).map_err(|e| self.sim(e))?;
            }
            Action::MeterStatus { app, code, info } => model
                .set_meter_status(app, code, info)
                .map_err(|e| self.sim(e))?,
        }
        Ok(())
    }

    /// The live relation whose two ends match `a` and `b` (`app:endpoint`,
    /// or `app` for any endpoint of it).
    fn relation_between(&self, model: &Model, a: &str, b: &str) -> Result<u32, Error> {
        let matches = |spec: &str, end: &str| match spec.split_once(':') {
            Some(_) => spec == end,
            None => end.split_once(':').is_some_and(|(app, _)| app == spec),
        };
        for id in model.relation_ids() {
            let ends = model.relation_endpoints(id).map_err(|e| self.sim(e))?;
            if let [x, y] = ends.as_slice() {
                if (matches(a, x) && matches(b, y)) || (matches(a, y) && matches(b, x)) {
                    return Ok(id);
                }
            }
        }
        Err(self.bad(format!("no relation between {a} and {b}")))
    }
}
