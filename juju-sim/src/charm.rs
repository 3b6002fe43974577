//! What the simulator reads from a charm directory: relation endpoints
//! (`metadata.yaml`), config options (`config.yaml`) and actions
//! (`actions.yaml`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::action_schema::{valid_action_name, ActionSpec};
use crate::error::Error;

/// The role of a relation endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Declared under `provides:`.
    Provides,
    /// Declared under `requires:`.
    Requires,
    /// Declared under `peers:`.
    Peers,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Provides => "provides",
            Role::Requires => "requires",
            Role::Peers => "peers",
        })
    }
}

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

/// The type of a config option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptionType {
    /// `string` (also `secret`, which Juju passes as a string).
    #[serde(alias = "secret")]
    String,
    /// `int`.
    Int,
    /// `float`.
    Float,
    /// `boolean`.
    Boolean,
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
    /// Actions by name (`actions.yaml`).
    pub actions: BTreeMap<String, ActionSpec>,
}

#[derive(Deserialize)]
struct RawMetadata {
    name: String,
    #[serde(default)]
    provides: BTreeMap<String, RawEndpoint>,
    #[serde(default)]
    requires: BTreeMap<String, RawEndpoint>,
    #[serde(default)]
    peers: BTreeMap<String, RawEndpoint>,
}

/// An endpoint in either form juju/charm `meta.go` accepts: the interface
/// name alone (`db: mysql`) or a map (`{interface: mysql, limit: 1}`).
#[derive(Deserialize)]
#[serde(untagged)]
enum RawEndpoint {
    Short(String),
    Long {
        interface: String,
        #[serde(default)]
        limit: Option<u32>,
    },
}

impl RawEndpoint {
    fn into_parts(self) -> (String, Option<u32>) {
        match self {
            RawEndpoint::Short(interface) => (interface, None),
            RawEndpoint::Long { interface, limit } => (interface, limit),
        }
    }
}

/// `charmcraft.yaml` of charmcraft 3+, which may hold the metadata, the
/// config and the actions itself.
#[derive(Deserialize)]
struct RawCharmcraft {
    #[serde(flatten)]
    meta: RawMetadata,
    #[serde(default)]
    config: Option<RawConfig>,
    #[serde(default)]
    actions: Option<BTreeMap<String, ActionSpec>>,
}

#[derive(Deserialize)]
struct RawConfig {
    #[serde(default)]
    options: BTreeMap<String, ConfigOption>,
}

impl Charm {
    /// Reads the charm at `dir`. The metadata comes from `metadata.yaml`,
    /// else from `charmcraft.yaml` (which then may hold the config and
    /// actions too); `config.yaml` and `actions.yaml` are optional.
    pub fn load(dir: impl AsRef<Path>) -> Result<Charm, Error> {
        let dir = dir.as_ref();
        let dir = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
        let (meta, inline_config, inline_actions) =
            match read_yaml::<RawMetadata>(&dir.join("metadata.yaml"))? {
                Some(meta) => (meta, None, None),
                None => {
                    let craft: RawCharmcraft = read_yaml(&dir.join("charmcraft.yaml"))?
                        .ok_or_else(|| Error::NotACharm { dir: dir.clone() })?;
                    (craft.meta, craft.config, craft.actions)
                }
            };
        let mut endpoints = BTreeMap::new();
        for (role, map) in [
            (Role::Provides, meta.provides),
            (Role::Requires, meta.requires),
            (Role::Peers, meta.peers),
        ] {
            for (name, raw) in map {
                let (interface, limit) = raw.into_parts();
                let endpoint = Endpoint {
                    role,
                    interface,
                    limit,
                };
                endpoints.insert(name, endpoint);
            }
        }
        let config_path = dir.join("config.yaml");
        let mut options = read_yaml::<RawConfig>(&config_path)?
            .or(inline_config)
            .map(|c| c.options)
            .unwrap_or_default();
        for (name, option) in &mut options {
            if let Some(default) = option.default.take() {
                let typed = typed_value(option.kind, default.clone()).ok_or_else(|| {
                    Error::BadConfigDefault {
                        path: config_path.clone(),
                        option: name.clone(),
                        kind: option.kind,
                        value: default.to_string(),
                    }
                })?;
                option.default = Some(typed).filter(|v| !v.is_null());
            }
        }
        let actions_path = dir.join("actions.yaml");
        let actions: BTreeMap<String, ActionSpec> = read_yaml(&actions_path)?
            .or(inline_actions)
            .unwrap_or_default();
        if let Some(bad) = actions.keys().find(|n| !valid_action_name(n)) {
            return Err(Error::BadActionName {
                path: actions_path,
                name: bad.clone(),
            });
        }
        Ok(Charm {
            dir,
            name: meta.name,
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
        let parsed = match option.kind {
            OptionType::String => Some(Value::String(text.into())),
            OptionType::Int => text.trim().parse::<i64>().ok().map(Value::from),
            OptionType::Float => text.trim().parse::<f64>().ok().map(Value::from),
            OptionType::Boolean => match text.trim().to_ascii_lowercase().as_str() {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
        };
        parsed.ok_or_else(|| Error::BadOptionValue {
            app: app.into(),
            option: key.into(),
            kind: option.kind,
            value: text.into(),
        })
    }
}

/// A YAML default converted to the option's type where that loses nothing
/// (an integer default of a float option); `None` when it does not fit.
fn typed_value(kind: OptionType, v: Value) -> Option<Value> {
    match (kind, v) {
        (_, Value::Null) => Some(Value::Null),
        (OptionType::String, v @ Value::String(_)) => Some(v),
        (OptionType::Int, Value::Number(n)) if n.is_i64() => Some(Value::Number(n)),
        (OptionType::Float, Value::Number(n)) => n.as_f64().map(Value::from),
        (OptionType::Boolean, v @ Value::Bool(_)) => Some(v),
        _ => None,
    }
}

/// Reads a YAML file; `Ok(None)` when it does not exist.
fn read_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    serde_norway::from_str(&text)
        .map(Some)
        .map_err(|source| Error::Yaml {
            path: path.to_path_buf(),
            source,
        })
}

impl fmt::Display for OptionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OptionType::String => "string",
            OptionType::Int => "int",
            OptionType::Float => "float",
            OptionType::Boolean => "boolean",
        })
    }
}
