//! A [`State`] from a live unit's snapshot (`./dispatch snapshot FILE`), to
//! reproduce a production unit in a unit test.

use std::path::{Path, PathBuf};

use super::{Relation, State};
use crate::snapshot::Snapshot;

/// Why a snapshot could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("reading {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a snapshot.
    #[error("{path} is not a unit snapshot")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// A relation id is not `name:number`.
    #[error("{path}: relation id {id:?} is not `name:number`")]
    RelationId {
        /// The file.
        path: PathBuf,
        /// The id.
        id: String,
    },
}

impl State {
    /// The state of the unit a snapshot was taken of: its flags, key-value
    /// data, charm files, and (when taken in a hook context) its config,
    /// leadership and relations with their data.
    ///
    /// # Errors
    /// If the file cannot be read or is not a snapshot.
    pub fn from_snapshot(path: impl AsRef<Path>) -> Result<State, LoadError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
            path: path.into(),
            source,
        })?;
        let snap: Snapshot = serde_json::from_str(&text).map_err(|source| LoadError::Parse {
            path: path.into(),
            source,
        })?;
        State::from_snapshot_value(snap, path)
    }

    fn from_snapshot_value(snap: Snapshot, path: &Path) -> Result<State, LoadError> {
        let mut state = State {
            unit_name: Some(snap.unit).filter(|u| !u.is_empty()),
            flags: snap.flags,
            kv: snap.kv,
            ..State::default()
        };
        for name in ["metadata.yaml", "config.yaml", "actions.yaml"] {
            if let Some(text) = snap.files.get(name) {
                state.files.insert(name.into(), text.clone().into_bytes());
            }
        }
        let Some(ctx) = snap.context else {
            return Ok(state);
        };
        let meta = state
            .charm_file("metadata.yaml")
            .and_then(|m| juju_charm::Meta::parse(m, "metadata.yaml").ok());
        let app = state.app_name(meta.as_ref());
        state.config = ctx.config;
        state.leader = ctx.leader;
        state.leader_settings = ctx.leader_settings;
        for r in ctx.relations {
            let parsed =
                r.id.rsplit_once(':')
                    .and_then(|(name, n)| Some((name.to_string(), n.parse::<u32>().ok()?)));
            let Some((name, id)) = parsed else {
                return Err(LoadError::RelationId {
                    path: path.into(),
                    id: r.id,
                });
            };
            let peer = meta.as_ref().is_some_and(|m| m.peers.contains_key(&name));
            let remote_app = if peer { app.clone() } else { r.remote_app };
            state.relations.push(Relation {
                remote_units: r.remote_units,
                remote_app_data: r.remote_app_data,
                local_unit_data: r.local_unit_data,
                local_app_data: r.local_app_data,
                ..Relation::new(name, id, remote_app)
            });
        }
        Ok(state)
    }
}
