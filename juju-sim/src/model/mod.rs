//! The model: applications, units, relations, their queues of events, and
//! what the hooks left behind.
//!
//! Operations ([`Model::deploy`], [`Model::relate`], ...) only queue events;
//! [`Model::settle`] runs them. Observation methods read committed state.

mod charmdir;
mod commit;
mod flags;
mod hookctx;
mod leadership;
mod observe;
mod ops;
mod refresh;
mod relate;
mod schedule;
mod secrets;
mod settle;
mod state;

pub(crate) mod events;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::Error;
use state::State;

/// Knobs of a model; none of them is persisted.
#[derive(Debug, Clone)]
pub struct Options {
    /// The hook-tool executable; found with [`crate::locate_tool`] if unset.
    pub tool: Option<PathBuf>,
    /// Attempts per failing hook in one settle before the unit is reported
    /// in error (default 3).
    pub max_attempts: u32,
    /// Hook runs one settle may make before giving up (default 10 000), so
    /// charms that keep changing relation data cannot loop forever.
    pub max_runs: usize,
    /// A hook running longer is killed and counts as failed (default 10 min).
    pub hook_timeout: Option<Duration>,
    /// Run `dispatch flags` after every hook and keep the result in
    /// [`HookRun::flags`](crate::report::HookRun::flags) (default off).
    pub record_flags: bool,
    /// Bytes of the end of a hook's stdout and stderr kept (default 4 KiB).
    pub output_tail: usize,
    /// `JUJU_VERSION` (default `3.4.5`).
    pub juju_version: String,
    /// Extra variables given to every hook. Not Juju: Juju passes only its
    /// own variables, so a charm cannot rely on these under a controller;
    /// tests use them for test-only knobs (`UNIT_STATE_DB`,
    /// `REACTIVE_LOG_LEVEL`, ...). They override Juju's.
    pub hook_env: Vec<(String, String)>,
    /// The seed of a new model's event order (default: drawn from the
    /// clock); see [`Model::seed`]. Ignored when a model is opened.
    pub seed: Option<u64>,
    /// The base of a new model's machines (default `ubuntu@22.04`); a
    /// charm's `manifest.yaml` must declare it. Ignored when a model is
    /// opened.
    pub base: crate::manifest::Base,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tool: None,
            max_attempts: 3,
            max_runs: 10_000,
            hook_timeout: Some(Duration::from_secs(600)),
            record_flags: false,
            output_tail: 4096,
            juju_version: "3.4.5".into(),
            hook_env: Vec::new(),
            seed: None,
            base: crate::manifest::default_base(),
        }
    }
}

/// An offline Juju model rooted in a working directory.
#[derive(Debug)]
pub struct Model {
    workdir: PathBuf,
    state: State,
    options: Options,
    /// Where the tool links live, once installed.
    tools_installed: Option<PathBuf>,
}

const STATE_FILE: &str = "model.json";

impl Model {
    /// A new, empty model named `sim` in `workdir` (created if missing).
    pub fn new(workdir: impl AsRef<Path>) -> Result<Model, Error> {
        Model::create(workdir, "sim", Options::default())
    }

    /// A new, empty model with a name (`JUJU_MODEL_NAME`) and options.
    /// Fails if `workdir` already holds a saved model.
    pub fn create(workdir: impl AsRef<Path>, name: &str, options: Options) -> Result<Model, Error> {
        let workdir = workdir.as_ref();
        std::fs::create_dir_all(workdir).map_err(|e| Error::io(workdir, e))?;
        let workdir = workdir.canonicalize().map_err(|e| Error::io(workdir, e))?;
        if workdir.join(STATE_FILE).exists() {
            return Err(Error::ModelExists { dir: workdir });
        }
        let seed = options.seed.unwrap_or_else(clock_seed);
        let state = State {
            name: name.to_string(),
            uuid: model_uuid(name),
            next_relation: 0,
            seed,
            rng: state::Rng::new(seed),
            base: options.base.to_string(),
            ..State::default()
        };
        Ok(Model {
            workdir,
            state,
            options,
            tools_installed: None,
        })
    }

    /// Opens a model saved with [`Model::save`].
    pub fn open(workdir: impl AsRef<Path>, options: Options) -> Result<Model, Error> {
        let workdir = workdir.as_ref();
        let path = workdir.join(STATE_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::NoModel {
                    dir: workdir.to_path_buf(),
                })
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        let state: State = serde_json::from_slice(&bytes).map_err(|source| Error::Json {
            path: path.clone(),
            source,
        })?;
        state
            .check()
            .map_err(|problem| Error::Inconsistent { path, problem })?;
        let workdir = workdir.canonicalize().map_err(|e| Error::io(workdir, e))?;
        Ok(Model {
            workdir,
            state,
            options,
            tools_installed: None,
        })
    }

    /// Writes the model to `<workdir>/model.json` (atomically).
    pub fn save(&self) -> Result<(), Error> {
        let path = self.workdir.join(STATE_FILE);
        let tmp = self.workdir.join(format!("{STATE_FILE}.tmp"));
        let bytes = serde_json::to_vec_pretty(&self.state).map_err(|source| Error::Json {
            path: path.clone(),
            source,
        })?;
        std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
    }

    /// The working directory.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The model name (`JUJU_MODEL_NAME`).
    pub fn name(&self) -> &str {
        &self.state.name
    }

    /// The seed of the model's event order: which relation a unit visits
    /// first when several have hooks due. Create a model with
    /// [`Options::seed`] set to it to replay a run.
    pub fn seed(&self) -> u64 {
        self.state.seed
    }

    /// The model's base (`ubuntu@22.04`).
    pub fn base(&self) -> crate::manifest::Base {
        self.state
            .base
            .parse()
            .unwrap_or_else(|_| crate::manifest::default_base())
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Changes the options.
    pub fn options_mut(&mut self) -> &mut Options {
        &mut self.options
    }

    // ---- lookups -----------------------------------------------------

    fn app(&self, app: &str) -> Result<&state::App, Error> {
        self.state
            .apps
            .get(app)
            .ok_or_else(|| Error::UnknownApp(app.into()))
    }

    fn unit(&self, unit: &str) -> Result<&state::Unit, Error> {
        self.state
            .units
            .get(unit)
            .ok_or_else(|| Error::UnknownUnit(unit.into()))
    }

    fn relation(&self, id: u32) -> Result<&state::Relation, Error> {
        self.state
            .relations
            .get(&id)
            .ok_or(Error::UnknownRelation(id))
    }

    /// The hook an event runs on a unit.
    fn hook_of(&self, unit: &str, event: &events::Event) -> String {
        if let events::Event::Action { id } = event {
            return self
                .state
                .actions
                .get(id)
                .map_or_else(|| "action".into(), |a| a.name.clone());
        }
        let endpoint = event
            .relation()
            .and_then(|id| self.state.relations.get(&id))
            .and_then(|r| r.local_end(state::app_of(unit)))
            .map_or("", |e| e.endpoint.as_str());
        event.hook_name(endpoint)
    }
}

/// A seed from the clock and the process id, for a model nobody seeded.
fn clock_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 32)
}

/// A UUID-shaped id derived from the model name, so runs are reproducible.
fn model_uuid(name: &str) -> String {
    // FNV-1a, twice with different seeds, for 128 bits.
    let hash = |seed: u64| {
        name.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x8422_2325_cbf2_9ce4));
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}
