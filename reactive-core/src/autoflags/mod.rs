//! The automatic flags of the Python base layers, maintained at the start
//! of every dispatch from what the last successful dispatch stored.
//!
//! Config (layer-basic's `init_config_states` / `clear_config_states`), for
//! every option declared in `config.yaml` or returned by `config-get`:
//! - `config.changed` and `config.changed.<option>`: the value differs from
//!   the one stored by the last successful dispatch (every option counts as
//!   changed in the first one, as charmhelpers' `config().changed()` does);
//! - `config.set.<option>`: the value is *truthy* in Python's sense: not
//!   null, not `false`, not `0`, not the empty string (layer-basic does
//!   `toggle_flag(..., config.get(opt))`);
//! - `config.default.<option>`: the value equals the `config.yaml` default
//!   (declared options only; numbers compare by value, `1 == 1.0`).
//!
//! layer-basic clears all of these at the end of every hook, so they are
//! visible only inside the hook that computed them, and `config.changed`
//! only in the hook where the change was seen. We do the same at the end
//! of a successful dispatch, in the same transaction: between hooks (and
//! in the `flags` listing) no `config.*` flag is set.
//!
//! Leadership (layer-leadership's `initialize_leadership_state`):
//! `leadership.is_leader` from `is-leader`; for every leader setting,
//! `leadership.set.<key>` while it has a value and `leadership.changed.<key>`
//! in the hooks where it differs from the stored value (recomputed each
//! hook), and `leadership.changed` when any did. [`crate::hookenv::leader_set`]
//! updates them at once on the leader, as `charms.leadership.leader_set`.
//!
//! Upgrade (charms.reactive's `_manage_upgrade_flags`):
//! `upgrade.series.in-progress` set in `pre-series-upgrade`, cleared in
//! `post-series-upgrade`.
//!
//! The hook tools behind these flags are called only where their answer
//! can differ from what the unit's last hook stored (`skips`);
//! elsewhere the stored values stand in, for the flags and for the
//! charm's own `config()`, `leader_get()` and `is_leader()`.
//!
//! None of this runs in the restricted hooks (`collect-metrics`,
//! `meter-status-changed`), as in Python, where `atstart` is skipped there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::check_flag;
use crate::error::Error;
use crate::flags::is_flag_set;
use crate::flags::{clear_flag, set_flag, toggle_flag};
use crate::hookenv::{HookEnv, HookError, Settings};
use crate::skips::{self, Plan};
use crate::unitdata::kv;

/// Key-value entry holding the config seen by the last successful dispatch.
pub(crate) const CONFIG_PREVIOUS_KEY: &str = "reactive.config.previous";
/// Key-value prefix of the leader settings seen by the last successful
/// dispatch (layer-leadership's key).
pub(crate) const LEADER_PREFIX: &str = "leadership.settings.";

/// Errors reading `config.yaml`.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub(crate) struct ConfigYamlError {
    /// The file.
    pub(crate) path: String,
    /// What is wrong.
    pub(crate) reason: String,
}

/// The options declared in `config.yaml`, with their defaults (`None`
/// where there is none).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ConfigDefaults(pub(crate) BTreeMap<String, Option<Value>>);

#[derive(Deserialize)]
struct RawConfig {
    #[serde(default)]
    options: Option<BTreeMap<String, Option<RawOption>>>,
}

#[derive(Deserialize)]
struct RawOption {
    #[serde(default)]
    default: Option<Value>,
}

impl ConfigDefaults {
    /// Reads `config.yaml` at `path`; a missing file declares nothing.
    pub(crate) fn load(path: &Path) -> Result<ConfigDefaults, ConfigYamlError> {
        match std::fs::read_to_string(path) {
            Ok(text) => ConfigDefaults::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigDefaults::default()),
            Err(e) => Err(ConfigYamlError {
                path: path.display().to_string(),
                reason: e.to_string(),
            }),
        }
    }

    /// Parses `config.yaml` text; `path` names it in errors.
    pub(crate) fn parse(text: &str, path: &Path) -> Result<ConfigDefaults, ConfigYamlError> {
        if text.trim().is_empty() {
            return Ok(ConfigDefaults::default());
        }
        let raw: RawConfig = serde_norway::from_str(text).map_err(|e| ConfigYamlError {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Ok(ConfigDefaults(
            raw.options
                .unwrap_or_default()
                .into_iter()
                .map(|(k, o)| (k, o.and_then(|o| o.default).filter(|v| !v.is_null())))
                .collect(),
        ))
    }
}

/// Python's truthiness of a config value.
#[must_use]
pub(crate) fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// Python's `==` on config values: numbers by value.
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

/// A flag name built from an option or key, if it is a valid flag name.
fn flag(prefix: &str, name: &str) -> Option<String> {
    let f = format!("{prefix}{name}");
    match check_flag(&f) {
        Ok(()) => Some(f),
        Err(e) => {
            log::warn!("not setting automatic flag: {e}");
            None
        }
    }
}

/// What [`apply`] did, for [`AutoFlags::finish`].
#[derive(Debug, Default)]
pub(crate) struct AutoFlags {
    options: BTreeSet<String>,
    /// What the hook skipped; `None` in the restricted hooks.
    plan: Option<Plan>,
}

/// Failures of the automatic flags.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum AutoFlagsError {
    /// A hook tool (`config-get`, `is-leader`, `leader-get`) failed.
    #[error("setting the automatic flags")]
    Tool(#[from] HookError),
    /// The unit's state could not be read or written.
    #[error("setting the automatic flags")]
    State(#[from] Error),
    /// The file that records which hook started could not be written.
    #[error("writing {path}")]
    Marker {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl From<skips::BeginError> for AutoFlagsError {
    fn from(e: skips::BeginError) -> AutoFlagsError {
        match e {
            skips::BeginError::State(e) => AutoFlagsError::State(e),
            skips::BeginError::Marker(path, source) => AutoFlagsError::Marker {
                path: path.display().to_string(),
                source,
            },
        }
    }
}

/// Sets the automatic flags. Runs inside `dispatch::enter`, with `env`
/// installed. `marker` is the file beside the store that records which
/// hook started (see `skips`); without one every tool is asked.
pub(crate) fn apply(
    env: &HookEnv,
    defaults: &ConfigDefaults,
    marker: Option<&Path>,
) -> Result<AutoFlags, AutoFlagsError> {
    let plan = Plan::begin(env.context(), marker)?;
    env.assume_status(skips::known_status(&plan)?);
    match env.context().hook_name.as_str() {
        "pre-series-upgrade" => set_flag("upgrade.series.in-progress"),
        "post-series-upgrade" => clear_flag("upgrade.series.in-progress"),
        _ => {}
    }
    let options = config_flags(env, defaults, &plan)?;
    leadership_flags(env, &plan)?;
    Ok(AutoFlags {
        options,
        plan: Some(plan),
    })
}

fn config_flags(
    env: &HookEnv,
    defaults: &ConfigDefaults,
    plan: &Plan,
) -> Result<BTreeSet<String>, AutoFlagsError> {
    let previous: Option<Map<String, Value>> = kv().get(CONFIG_PREVIOUS_KEY)?;
    let current = match &previous {
        Some(stored) if !plan.config_get => {
            env.assume_config(stored.clone());
            stored.clone()
        }
        _ => env.config()?,
    };
    env.set_previous_config(previous.clone());
    let options: BTreeSet<String> = defaults.0.keys().chain(current.keys()).cloned().collect();
    for opt in &options {
        let now = present(current.get(opt));
        let changed = match &previous {
            None => true,
            Some(p) => !same(present(p.get(opt)), now),
        };
        if changed {
            if let Some(f) = flag("config.changed.", opt) {
                set_flag("config.changed");
                set_flag(&f);
            }
        }
        if let Some(f) = flag("config.set.", opt) {
            toggle_flag(&f, truthy(now));
        }
        if let (Some(default), Some(f)) = (defaults.0.get(opt), flag("config.default.", opt)) {
            toggle_flag(&f, same(now, default.as_ref()));
        }
    }
    kv().set(CONFIG_PREVIOUS_KEY, &current)?;
    Ok(options)
}

fn leadership_flags(env: &HookEnv, plan: &Plan) -> Result<(), AutoFlagsError> {
    // As the last hook left it: the plan trusts it only if that hook
    // committed.
    if !plan.is_leader && !is_flag_set("leadership.is_leader") {
        env.assume_is_leader(false);
    }
    toggle_flag("leadership.is_leader", env.is_leader()?);
    let previous: BTreeMap<String, Option<String>> = kv()
        .get_prefix(LEADER_PREFIX)?
        .into_iter()
        .map(|(k, v)| {
            (
                k[LEADER_PREFIX.len()..].to_string(),
                v.as_str().map(str::to_string),
            )
        })
        .collect();
    let current = if plan.leader_get {
        env.leader_get()?
    } else {
        let stored: Settings = previous
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.clone()?)))
            .collect();
        env.assume_leader_settings(stored);
        env.leader_get()?
    };
    let keys: BTreeSet<&String> = previous.keys().chain(current.keys()).collect();
    let mut any_changed = false;
    for key in keys {
        let now = current.get(key);
        let before = previous.get(key).and_then(Option::as_ref);
        let changed = now != before;
        any_changed |= changed;
        if let Some(f) = flag("leadership.changed.", key) {
            toggle_flag(&f, changed);
        }
        if let Some(f) = flag("leadership.set.", key) {
            toggle_flag(&f, now.is_some());
        }
        kv().set(&format!("{LEADER_PREFIX}{key}"), &now)?;
    }
    toggle_flag("leadership.changed", any_changed);
    Ok(())
}

impl AutoFlags {
    /// Records, in the hook's transaction, that this hook committed and
    /// the workload status Juju holds after it (see `skips`).
    /// Runs inside `dispatch::enter`, in every hook.
    pub(crate) fn settle(&self, env: &HookEnv) -> Result<(), Error> {
        match &self.plan {
            Some(plan) => {
                plan.commit()?;
                skips::store_status(env.known_status().as_ref())
            }
            // A restricted hook keeps what it cannot have changed.
            None => match env.known_status() {
                Some(status) => skips::store_status(Some(&status)),
                None => Ok(()),
            },
        }
    }

    /// Clears the config flags at the end of a successful dispatch (see the
    /// module docs). Runs inside `dispatch::enter`.
    pub(crate) fn finish(&self) {
        clear_flag("config.changed");
        for opt in &self.options {
            for prefix in ["config.changed.", "config.set.", "config.default."] {
                if let Some(f) = flag(prefix, opt) {
                    clear_flag(&f);
                }
            }
        }
    }
}

/// Keeps the leadership flags and stored settings in step with a
/// `leader_set` made during a dispatch (installed with
/// [`HookEnv::on_leader_set`]).
pub(crate) fn leader_settings_written(
    values: &Settings,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    if !crate::dispatch::is_running() {
        return Ok(());
    }
    leader_written_flags(values).map_err(Into::into)
}

fn leader_written_flags(values: &Settings) -> Result<(), Error> {
    for (key, value) in values {
        let stored = format!("{LEADER_PREFIX}{key}");
        let before: Option<Option<String>> = kv().get(&stored)?;
        let now = (!value.is_empty()).then_some(value);
        if before.flatten().as_ref() != now {
            if let Some(f) = flag("leadership.changed.", key) {
                set_flag(&f);
                set_flag("leadership.changed");
            }
        }
        if let Some(f) = flag("leadership.set.", key) {
            toggle_flag(&f, now.is_some());
        }
        kv().set(&stored, &now)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
