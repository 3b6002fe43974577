//! A snapshot of a live unit, for the unit's `snapshot` command: its flags
//! and key-value data, its charm's declarations, and (when run in a hook
//! context, as `juju exec` gives one) what the hook tools report: config,
//! leadership, relations and their data. The testing harness loads it as
//! a `State` (`State::from_snapshot`), to reproduce a production unit in a
//! unit test.

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::hookenv::{self, HookContext, HookEnv, HookError, RealTools, Settings};
use crate::metadata::Metadata;
use crate::store::{Store, StoreError};
use crate::trace::TRACE_KEY;

/// One relation as the unit saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RelationSnapshot {
    /// The relation id, `name:id`.
    pub(crate) id: String,
    /// The remote application, when a remote unit names it.
    pub(crate) remote_app: String,
    /// Each remote unit's settings.
    pub(crate) remote_units: BTreeMap<String, Settings>,
    /// The remote application's settings.
    pub(crate) remote_app_data: Settings,
    /// The unit's own settings.
    pub(crate) local_unit_data: Settings,
    /// Its application's settings (read by the leader only).
    pub(crate) local_app_data: Settings,
}

/// What the hook tools reported when the snapshot was taken.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ContextSnapshot {
    /// `config-get --all`.
    pub(crate) config: Map<String, Value>,
    /// `is-leader`.
    pub(crate) leader: bool,
    /// `leader-get`.
    pub(crate) leader_settings: Settings,
    /// Every relation of every endpoint in the metadata.
    pub(crate) relations: Vec<RelationSnapshot>,
}

/// A unit's reactive state and context, as written by `./dispatch snapshot`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    /// The unit (`JUJU_UNIT_NAME`), empty when unknown.
    pub(crate) unit: String,
    /// Set flags and their values.
    pub(crate) flags: BTreeMap<String, Value>,
    /// The key-value data (the dispatch trace left out).
    pub(crate) kv: BTreeMap<String, Value>,
    /// The charm's `metadata.yaml`, `config.yaml` and `actions.yaml`.
    pub(crate) files: BTreeMap<String, String>,
    /// The hook context, when the command ran in one.
    pub(crate) context: Option<ContextSnapshot>,
}

/// Why a snapshot could not be taken.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SnapshotError {
    /// The store could not be read.
    #[error("reading the unit's store")]
    Store(#[from] StoreError),
    /// The snapshot could not be written.
    #[error("writing {path}")]
    Write {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

fn relations(
    metadata: &Metadata,
    unit: &str,
    leader: bool,
) -> Result<Vec<RelationSnapshot>, HookError> {
    let mut out = Vec::new();
    for endpoint in &metadata.endpoints {
        for rid in hookenv::relation_ids(Some(&endpoint.name))? {
            let mut r = RelationSnapshot {
                id: rid.clone(),
                ..RelationSnapshot::default()
            };
            for u in hookenv::related_units(Some(&rid))? {
                let data = hookenv::relation_get_all(Some(&u), Some(&rid))?;
                r.remote_units.insert(u, data);
            }
            if let Some(app) = r.remote_units.keys().next().and_then(|u| u.split_once('/')) {
                r.remote_app = app.0.to_string();
                r.remote_app_data = hookenv::relation_get_all(Some(app.0), Some(&rid))?;
            }
            r.local_unit_data = hookenv::relation_get_all(Some(unit), Some(&rid))?;
            if leader {
                let own = unit.split('/').next().unwrap_or_default();
                r.local_app_data = hookenv::relation_get_all(Some(own), Some(&rid))?;
            }
            out.push(r);
        }
    }
    Ok(out)
}

/// The context through the real hook tools; `None` outside a hook context
/// (a tool missing or failing).
fn context(ctx: HookContext, metadata: Option<&Metadata>) -> Option<ContextSnapshot> {
    let unit = ctx.unit_name.clone();
    let env = Rc::new(HookEnv::new(ctx, RealTools::new()));
    let _guard = HookEnv::install(&env);
    let read = || -> Result<ContextSnapshot, HookError> {
        let leader = hookenv::is_leader()?;
        Ok(ContextSnapshot {
            config: hookenv::config().all()?,
            leader,
            leader_settings: hookenv::leader_get_all()?,
            relations: match metadata {
                Some(m) => relations(m, &unit, leader)?,
                None => Vec::new(),
            },
        })
    };
    read().ok()
}

impl Snapshot {
    /// Takes the snapshot of the unit this process runs for.
    ///
    /// # Errors
    /// If the store cannot be read.
    pub(crate) fn take() -> Result<Snapshot, SnapshotError> {
        let store = Store::open_default()?;
        let ctx = HookContext::from_env();
        let mut files = BTreeMap::new();
        for name in ["metadata.yaml", "config.yaml", "actions.yaml"] {
            if let Ok(text) = std::fs::read_to_string(ctx.charm_dir.join(name)) {
                files.insert(name.to_string(), text);
            }
        }
        let metadata = Metadata::from_charm_dir(&ctx.charm_dir).ok().flatten();
        let in_hook = !ctx.unit_name.is_empty();
        Ok(Snapshot {
            unit: ctx.unit_name.clone(),
            flags: store.flags()?,
            kv: store
                .kv_prefix("")?
                .into_iter()
                .filter(|(k, _)| k != TRACE_KEY)
                .collect(),
            files,
            context: in_hook.then(|| context(ctx, metadata.as_ref())).flatten(),
        })
    }

    /// Writes the snapshot to `path` as pretty JSON, atomically (a
    /// temporary file renamed over it).
    ///
    /// # Errors
    /// If the file cannot be written.
    pub(crate) fn write(&self, path: &Path) -> Result<(), SnapshotError> {
        let err = |source| SnapshotError::Write {
            path: path.display().to_string(),
            source,
        };
        let mut text = serde_json::to_string_pretty(self).map_err(|e| err(e.into()))?;
        text.push('\n');
        let tmp = path.with_extension("snapshot-tmp");
        std::fs::write(&tmp, text).map_err(err)?;
        std::fs::rename(&tmp, path).map_err(err)
    }
}
