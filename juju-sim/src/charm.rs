//! What the simulator keeps of a charm directory: relation endpoints,
//! config options and actions, read by the `juju-charm` crate from
//! `metadata.yaml`, `config.yaml` and `actions.yaml` (or `charmcraft.yaml`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::Error;

pub use juju_charm::{ActionSpec, OptionType, Role};

/// A relation endpoint declared in `metadata.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// The role.
    pub role: Role,
    /// The interface name.
    pub interface: String,
    /// How many relations the endpoint accepts, if limited.
    pub limit: Option<u32>,
}

/// A config option declared in `config.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigOption {
    /// Its type.
    #[serde(rename = "type", default = "default_type")]
    pub kind: OptionType,
    /// Its default, already of the option's type.
    #[serde(default)]
    pub default: Option<Value>,
}

fn default_type() -> OptionType {
    OptionType::String
}

/// What the simulator knows about a charm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Charm {
    /// The source directory units copy their files from.
    pub dir: PathBuf,
    /// `name` in `metadata.yaml`.
    pub name: String,
    /// Relation endpoints by name.
    pub endpoints: BTreeMap<String, Endpoint>,
    /// Config options by name.
    pub options: BTreeMap<String, ConfigOption>,
    /// Actions by name, with their parameters' JSON schema.
    pub actions: BTreeMap<String, ActionSpec>,
}

impl Charm {
    /// Reads the charm at `dir` with Juju's rules (the `juju-charm`
    /// crate): `metadata.yaml`, `config.yaml` and `actions.yaml`, or their
    /// keys in a charmcraft 3 `charmcraft.yaml`.
    pub fn load(dir: impl AsRef<Path>) -> Result<Charm, Error> {
        let dir = dir.as_ref();
        let dir = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
        let charm = juju_charm::Charm::load(&dir).map_err(|e| match e {
            juju_charm::Error::NotACharm { dir } => Error::NotACharm { dir },
            other => Error::Charm(other),
        })?;
        let endpoints = charm
            .meta
            .relations()
            .map(|r| {
                let endpoint = Endpoint {
                    role: r.role,
                    interface: r.interface.clone(),
                    limit: r.limit,
                };
                (r.name.clone(), endpoint)
            })
            .collect();
        let options = charm
            .config
            .options
            .into_iter()
            .map(|(name, o)| {
                let option = ConfigOption {
                    kind: o.kind,
                    default: o.default,
                };
                (name, option)
            })
            .collect();
        let actions = charm
            .actions
            .specs
            .iter()
            .map(|(name, spec)| (name.clone(), spec.clone()))
            .collect();
        Ok(Charm {
            dir,
            name: charm.meta.name,
            endpoints,
            options,
            actions,
        })
    }

    /// Parses a value given on a command line (`juju config app key=value`)
    /// as the option's type.
    pub fn parse_option(&self, app: &str, key: &str, text: &str) -> Result<Value, Error> {
        let option = self.options.get(key).ok_or_else(|| Error::UnknownOption {
            app: app.into(),
            option: key.into(),
        })?;
        // As `juju config` parses it (`config.go`: `Option.parse`).
        let parsed = option.kind.parse_text(text);
        parsed.ok_or_else(|| Error::BadOptionValue {
            app: app.into(),
            option: key.into(),
            kind: option.kind,
            value: text.into(),
        })
    }
}
