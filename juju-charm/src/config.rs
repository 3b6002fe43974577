//! `config.yaml` (or `config:` in `charmcraft.yaml`) and config values, as
//! `config.go` reads and checks them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Problem};
use crate::yaml::{coerce_bool, coerce_int, parse_go_bool, Item, ItemError, Res};

/// The type of a config option: exactly the five Juju knows (`integer`,
/// `bool` and the like are refused, as Juju refuses them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptionType {
    /// `string` (the default when `type:` is absent).
    String,
    /// `int`: a 64-bit integer.
    Int,
    /// `float`: a 64-bit float.
    Float,
    /// `boolean`.
    Boolean,
    /// `secret`: a secret URI (`secret:…`), handed to the charm as a string.
    Secret,
}

impl OptionType {
    /// Every type, with its name in `config.yaml`.
    pub const ALL: [(OptionType, &'static str); 5] = [
        (OptionType::String, "string"),
        (OptionType::Int, "int"),
        (OptionType::Float, "float"),
        (OptionType::Boolean, "boolean"),
        (OptionType::Secret, "secret"),
    ];

    /// The type's name in `config.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            OptionType::String => "string",
            OptionType::Int => "int",
            OptionType::Float => "float",
            OptionType::Boolean => "boolean",
            OptionType::Secret => "secret",
        }
    }

    /// Parses a type name; only Juju's five names.
    pub fn parse(s: &str) -> Option<OptionType> {
        OptionType::ALL
            .iter()
            .find(|(_, n)| *n == s)
            .map(|(t, _)| *t)
    }

    /// `value` as this type, with Juju's coercions (`schema.Int` takes
    /// `"42"`, `schema.Float` takes `1`, `schema.Bool` takes `"true"`);
    /// `None` when it does not fit. `null` is always accepted (unset).
    pub fn coerce(self, value: &Value) -> Option<Value> {
        if value.is_null() {
            return Some(Value::Null);
        }
        match self {
            OptionType::String => value.as_str().map(|_| value.clone()),
            OptionType::Int => coerce_int(value).map(Value::from),
            OptionType::Float => match value {
                Value::Number(n) => n.as_f64().map(Value::from),
                _ => None,
            },
            OptionType::Boolean => coerce_bool(value).map(Value::Bool),
            OptionType::Secret => {
                let s = value.as_str()?;
                // Empty, or a URI whose scheme is `secret` (`secretC`).
                let ok = s.is_empty()
                    || s.split_once(':')
                        .is_some_and(|(scheme, _)| scheme == "secret");
                ok.then(|| value.clone())
            }
        }
    }

    /// A value given as text (`juju config app key=value`), as
    /// `Option.parse` reads it: `int` in base 10, `float` with Go's
    /// `ParseFloat`, `boolean` with Go's `ParseBool`.
    pub fn parse_text(self, text: &str) -> Option<Value> {
        match self {
            OptionType::String | OptionType::Secret => Some(Value::String(text.into())),
            OptionType::Int => text.parse::<i64>().ok().map(Value::from),
            OptionType::Float => text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number),
            OptionType::Boolean => parse_go_bool(text).map(Value::Bool),
        }
    }
}

impl fmt::Display for OptionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A config value that Juju would refuse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// The charm declares no such option.
    #[error("unknown option {option:?}")]
    UnknownOption {
        /// The option.
        option: String,
    },
    /// The value does not have the option's type.
    #[error("option {option:?} expected {kind}, got {value}")]
    WrongType {
        /// The option.
        option: String,
        /// Its declared type.
        kind: OptionType,
        /// The value given, as JSON (or the text given).
        value: String,
    },
}

/// One config option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigOption {
    /// `type:`.
    pub kind: OptionType,
    /// `description:`.
    pub description: String,
    /// `default:`, already of the option's type; `None` when absent or null.
    pub default: Option<Value>,
}

impl ConfigOption {
    /// `value` checked and coerced to this option's type.
    pub fn validate(&self, name: &str, value: &Value) -> Result<Value, ValueError> {
        self.kind
            .coerce(value)
            .ok_or_else(|| ValueError::WrongType {
                option: name.into(),
                kind: self.kind,
                value: value.to_string(),
            })
    }
}

/// A charm's config options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// The options by name.
    pub options: BTreeMap<String, ConfigOption>,
}

impl Config {
    /// Reads `config.yaml` at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Config, Error> {
        crate::yaml::load_with(path.as_ref(), Config::from_value)
    }

    /// Parses `config.yaml` text; `path` names the file in errors.
    pub fn parse(text: &str, path: impl AsRef<Path>) -> Result<Config, Error> {
        crate::yaml::parse_with(text, path.as_ref(), Config::from_value)
    }

    /// The options in a parsed `config.yaml` document. Juju refuses an
    /// empty file and a file without `options:` (`ReadConfig`).
    pub(crate) fn from_value(doc: &Value) -> Res<Config> {
        let root = Item::root(doc);
        if doc.is_null() || !root.map()?.contains_key("options") {
            return Err(ItemError::new("options", Problem::Missing));
        }
        let mut options = BTreeMap::new();
        if let Some(all) = root.get("options")? {
            for (name, entry) in all.entries()? {
                options.insert(name.to_string(), parse_option(name, &entry)?);
            }
        }
        Ok(Config { options })
    }

    /// Checks and coerces `settings` as `Config.ValidateSettings` does: each
    /// key must be an option and each value of its type (`null` unsets).
    pub fn validate(
        &self,
        settings: &Map<String, Value>,
    ) -> Result<Map<String, Value>, ValueError> {
        settings
            .iter()
            .map(|(name, value)| {
                let option = self.option(name)?;
                Ok((name.clone(), option.validate(name, value)?))
            })
            .collect()
    }

    /// Parses `key=value` texts as `Config.ParseSettingsStrings` does.
    pub fn parse_text(&self, name: &str, text: &str) -> Result<Value, ValueError> {
        let option = self.option(name)?;
        option
            .kind
            .parse_text(text)
            .ok_or_else(|| ValueError::WrongType {
                option: name.into(),
                kind: option.kind,
                value: format!("{text:?}"),
            })
    }

    /// Every option's default (`null` when it has none), as
    /// `Config.DefaultSettings`.
    pub fn defaults(&self) -> Map<String, Value> {
        self.options
            .iter()
            .map(|(k, o)| (k.clone(), o.default.clone().unwrap_or(Value::Null)))
            .collect()
    }

    fn option(&self, name: &str) -> Result<&ConfigOption, ValueError> {
        self.options
            .get(name)
            .ok_or_else(|| ValueError::UnknownOption {
                option: name.into(),
            })
    }
}

fn parse_option(name: &str, entry: &Item<'_>) -> Res<ConfigOption> {
    if entry.value.is_null() {
        return Ok(ConfigOption {
            kind: OptionType::String,
            description: String::new(),
            default: None,
        });
    }
    entry.map()?;
    let kind = match entry.get("type")? {
        None => OptionType::String,
        Some(t) => match t.str()? {
            "" => OptionType::String,
            s => {
                OptionType::parse(s).ok_or_else(|| t.error(Problem::UnknownOptionType(s.into())))?
            }
        },
    };
    // `Option` is decoded by yaml.v2, which takes any scalar as a string
    // field's text (`description: 5`); only maps and lists are refused.
    let description = match entry.get("description")? {
        None => String::new(),
        Some(d) => match d.value {
            Value::String(s) => s.clone(),
            Value::Number(_) | Value::Bool(_) => d.value.to_string(),
            _ => d.str()?.to_string(),
        },
    };
    let mut option = ConfigOption {
        kind,
        description,
        default: None,
    };
    if let Some(default) = entry.get("default")? {
        // An empty string is a valid default of a string or secret option
        // without further checks, as in `ReadConfig`.
        let value = option
            .validate(name, default.value)
            .map_err(|e| default.error(Problem::BadValue(e)))?;
        option.default = Some(value).filter(|v| !v.is_null());
    }
    Ok(option)
}
