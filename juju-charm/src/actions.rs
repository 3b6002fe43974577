//! `actions.yaml` (or `actions:` in `charmcraft.yaml`), as `actions.go`'s
//! `ReadActionsYaml` reads it: each action becomes a JSON schema of an
//! object whose properties are its `params`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::{Error, Problem};
use crate::meta::reserved;
use crate::schema::{check_schema, validate, SchemaError};
use crate::yaml::{Item, Res};

/// Keys Juju refuses anywhere in an action's schema.
const PROHIBITED: [&str; 2] = ["$ref", "$schema"];

/// Whether `name` follows Juju's action-name rule
/// `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`.
pub fn is_valid_action_name(name: &str) -> bool {
    let b = name.as_bytes();
    let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => ok(first) && ok(last) && b.iter().all(|c| ok(c) || *c == b'-'),
        _ => false,
    }
}

/// One action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionSpec {
    /// `description:` (`No description` unless given, as Juju says).
    pub description: String,
    /// `parallel:`.
    pub parallel: bool,
    /// `execution-group:`.
    pub execution_group: String,
    /// The parameters' JSON schema: an object with the action's `params` as
    /// its `properties`, plus `required`, `additionalProperties` and any
    /// other schema key given at the action's top level.
    pub params: Value,
}

impl ActionSpec {
    /// Checks parameters against the schema (types, `required`,
    /// `additionalProperties`, …; see [`crate::schema`] for the keywords
    /// checked), as Juju does before queueing the action.
    pub fn validate_params(&self, params: &Map<String, Value>) -> Result<(), SchemaError> {
        validate(&self.params, &Value::Object(params.clone()))
    }

    /// `params` with every missing top-level parameter that has a default
    /// filled in (`InsertDefaults`).
    pub fn with_defaults(&self, params: &Map<String, Value>) -> Map<String, Value> {
        let mut out = params.clone();
        for (name, default) in self.defaults() {
            out.entry(name).or_insert(default);
        }
        out
    }

    /// Each top-level parameter's `default`, by name.
    pub fn defaults(&self) -> Map<String, Value> {
        self.params
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .filter_map(|(k, p)| p.get("default").map(|d| (k.clone(), d.clone())))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A charm's actions by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Actions {
    /// The actions by name.
    pub specs: BTreeMap<String, ActionSpec>,
}

impl Actions {
    /// Reads `actions.yaml` at `path` for the charm named `charm`.
    pub fn load(path: impl AsRef<Path>, charm: &str) -> Result<Actions, Error> {
        crate::yaml::load_with(path.as_ref(), |doc| Actions::from_value(doc, charm))
    }

    /// Parses `actions.yaml` text; `path` names the file in errors.
    pub fn parse(text: &str, path: impl AsRef<Path>, charm: &str) -> Result<Actions, Error> {
        crate::yaml::parse_with(text, path.as_ref(), |doc| Actions::from_value(doc, charm))
    }

    pub(crate) fn from_value(doc: &Value, charm: &str) -> Res<Actions> {
        let mut specs = BTreeMap::new();
        if doc.is_null() {
            return Ok(Actions { specs });
        }
        for (name, entry) in Item::root(doc).entries()? {
            if !is_valid_action_name(name) {
                return Err(entry.error(Problem::BadActionName(name.into())));
            }
            if let Some(reason) = reserved(charm, name) {
                return Err(entry.error(Problem::Reserved {
                    name: name.into(),
                    reason,
                }));
            }
            specs.insert(name.to_string(), parse_action(name, &entry)?);
        }
        Ok(Actions { specs })
    }

    /// The action named `name`.
    pub fn get(&self, name: &str) -> Option<&ActionSpec> {
        self.specs.get(name)
    }
}

fn parse_action(name: &str, entry: &Item<'_>) -> Res<ActionSpec> {
    let mut schema = Map::new();
    schema.insert("description".into(), json!("No description"));
    schema.insert("type".into(), json!("object"));
    schema.insert("title".into(), json!(name));
    schema.insert("properties".into(), json!({}));
    // Juju's ReadActionsYaml closes every action's schema unless the
    // action itself says otherwise.
    schema.insert("additionalProperties".into(), json!(false));
    let mut spec = ActionSpec {
        description: "No description".into(),
        parallel: false,
        execution_group: String::new(),
        params: Value::Null,
    };
    let entries = if entry.value.is_null() {
        Vec::new()
    } else {
        entry.entries()?
    };
    for (key, item) in entries {
        match key {
            "description" => {
                spec.description = item.str()?.to_string();
                schema.insert(key.into(), json!(spec.description));
            }
            "title" => {
                schema.insert(key.into(), json!(item.str()?));
            }
            "required" => {
                schema.insert(
                    key.into(),
                    Value::Array(item.list()?.iter().map(|i| i.value.clone()).collect()),
                );
            }
            "parallel" => {
                spec.parallel = item.value.as_bool().ok_or_else(|| {
                    item.error(Problem::WrongType {
                        expected: "a boolean",
                        got: item.value.to_string(),
                    })
                })?;
            }
            "execution-group" => spec.execution_group = item.str()?.to_string(),
            "params" => {
                if !item.value.is_object() {
                    return Err(item.error(Problem::WrongType {
                        expected: "a map",
                        got: item.value.to_string(),
                    }));
                }
                cleanse(&item)?;
                schema.insert("properties".into(), item.value.clone());
            }
            _ => {
                cleanse(&item)?;
                schema.insert(key.into(), item.value.clone());
            }
        }
    }
    let schema = Value::Object(schema);
    check_schema(&schema)
        .map_err(|e| entry.error(Problem::Invalid(format!("invalid params schema: {e}"))))?;
    spec.params = schema;
    Ok(spec)
}

/// Refuses `$ref` and `$schema` at any depth (`cleanse`).
fn cleanse(item: &Item<'_>) -> Res<()> {
    if item.value.is_object() {
        for (key, child) in item.entries()? {
            if PROHIBITED.contains(&key) {
                return Err(child.error(Problem::ProhibitedSchemaKey(key.into())));
            }
            cleanse(&child)?;
        }
    } else if item.value.is_array() {
        for child in item.list()? {
            cleanse(&child)?;
        }
    }
    Ok(())
}
