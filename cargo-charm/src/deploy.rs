//! `cargo charm deploy`: the packed charm in a juju-sim model, for a
//! quick try; the model is kept, so the simulator's command line
//! (`juju-sim --model DIR status`) can look at it afterwards.

use std::path::{Path, PathBuf};

use juju_sim::{Model, Options};

use crate::error::{Error, Result};
use crate::progress::Progress;

/// How to deploy.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// The model's folder; a model saved there is reused, else one is
    /// made.
    pub model: PathBuf,
    /// The application name (default: the charm's).
    pub app: Option<String>,
    /// How many units.
    pub units: u32,
    /// Config options set at deploy time.
    pub config: Vec<(String, String)>,
    /// juju-sim's hook-tool executable (default: found as juju-sim does).
    pub tool: Option<PathBuf>,
    /// Progress output.
    pub progress: Progress,
}

/// A deployed unit and the status its hooks left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitStatus {
    /// `app/0`.
    pub unit: String,
    /// `active`, `blocked`, ...
    pub status: String,
    /// The message beside it.
    pub message: String,
}

/// Deploys the charm folder `charm` into the model and settles it;
/// returns every unit's status, or the first unit left in error.
pub fn deploy(charm: &Path, name: &str, options: &DeployOptions) -> Result<Vec<UnitStatus>> {
    let sim_options = Options {
        tool: options.tool.clone(),
        ..Options::default()
    };
    let mut model = match Model::open(&options.model, sim_options.clone()) {
        Ok(m) => m,
        Err(juju_sim::Error::NoModel { .. }) => {
            Model::create(&options.model, "cargo-charm", sim_options)?
        }
        Err(e) => return Err(e.into()),
    };
    let app = options.app.as_deref().unwrap_or(name);
    let step = options.progress.step(format_args!(
        "deploying {app} ({} unit(s)) in {}",
        options.units,
        options.model.display()
    ));
    model.deploy_with_config(app, charm, options.units, &options.config)?;
    let settled = model.settle();
    model.save()?;
    let runs = settled?;
    let mut out = Vec::new();
    for unit in model.units(app) {
        if let Some(message) = model.unit_error(&unit)? {
            return Err(Error::UnitError { unit, message });
        }
        let status = model.unit_status(&unit)?;
        out.push(UnitStatus {
            unit,
            status: status.status.clone(),
            message: status.message.clone(),
        });
    }
    step.done(format_args!("{} hook(s) ran", runs.len()));
    Ok(out)
}
