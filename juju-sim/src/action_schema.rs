//! Actions as `actions.yaml` declares them, and their parameters checked
//! the way Juju checks them before the charm runs: each action's `params`
//! are the `properties` of a JSON-schema object, with its `required` list
//! and `additionalProperties` (false unless the action says otherwise), as
//! juju/charm's `actions.go` builds it. Juju rejects a bad task at
//! `juju run` time with `validation failed: (root).<param> : <reason>`.
//!
//! The schema keywords checked are the ones charms use: `type` (one name or
//! a list), `enum`, `minimum`/`maximum`, `minLength`/`maxLength`, `items`,
//! and nested `properties`/`required`/`additionalProperties`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One action of `actions.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionSpec {
    /// Parameter schemas by name (`properties`).
    #[serde(default)]
    pub params: BTreeMap<String, Value>,
    /// Parameters that must be given.
    #[serde(default)]
    pub required: Vec<String>,
    /// Whether parameters not declared are accepted (Juju: no by default).
    #[serde(default, rename = "additionalProperties")]
    pub additional_properties: bool,
}

/// Juju's action-name rule (juju/charm `actions.go`, `actionNameRule`).
pub fn valid_action_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let ends_ok = |b: Option<&u8>| b.is_some_and(|c| c.is_ascii_lowercase());
    ends_ok(bytes.first())
        && ends_ok(bytes.last())
        && bytes.iter().all(|c| c.is_ascii_lowercase() || *c == b'-')
}

impl ActionSpec {
    /// The declared defaults, by parameter.
    pub fn defaults(&self) -> Map<String, Value> {
        self.params
            .iter()
            .filter_map(|(name, schema)| Some((name.clone(), schema.get("default")?.clone())))
            .collect()
    }

    /// Checks the parameters of a task (defaults filled in). Every problem
    /// is reported, as `(root).<param> : <reason>`.
    pub fn validate(&self, params: &Map<String, Value>) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        check_object(
            "(root)",
            params,
            &self.params,
            &self.required,
            self.additional_properties,
            &mut problems,
        );
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

fn check_object(
    path: &str,
    object: &Map<String, Value>,
    properties: &BTreeMap<String, Value>,
    required: &[String],
    additional: bool,
    problems: &mut Vec<String>,
) {
    for name in required {
        if !object.contains_key(name) {
            problems.push(format!("{path} : {name} is required"));
        }
    }
    for (name, value) in object {
        let here = format!("{path}.{name}");
        match properties.get(name) {
            Some(schema) => check(&here, value, schema, problems),
            None if additional => {}
            None => problems.push(format!(
                "{path} : Additional property {name} is not allowed"
            )),
        }
    }
}

fn check(path: &str, value: &Value, schema: &Value, problems: &mut Vec<String>) {
    let mut fail = |reason: String| problems.push(format!("{path} : {reason}"));
    if let Some(expected) = schema.get("type") {
        let names: Vec<&str> = match expected {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !names.is_empty() && !names.iter().any(|t| has_type(value, t)) {
            fail(format!(
                "Invalid type. Expected: {}, given: {}",
                names.join(", "),
                type_name(value)
            ));
            return;
        }
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.contains(value) {
            let shown: Vec<String> = allowed.iter().map(Value::to_string).collect();
            fail(format!(
                "must be one of the following: {}",
                shown.join(", ")
            ));
        }
    }
    if let Some(n) = value.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
            if n < min {
                fail(format!("Must be greater than or equal to {min}"));
            }
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
            if n > max {
                fail(format!("Must be less than or equal to {max}"));
            }
        }
    }
    if let Some(s) = value.as_str() {
        let len = s.chars().count() as u64;
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
            if len < min {
                fail(format!(
                    "String length must be greater than or equal to {min}"
                ));
            }
        }
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
            if len > max {
                fail(format!("String length must be less than or equal to {max}"));
            }
        }
    }
    match value {
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(&format!("{path}.{i}"), item, item_schema, problems);
                }
            }
        }
        Value::Object(object) => {
            let properties: BTreeMap<String, Value> = schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            let required: Vec<String> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            // Nested objects follow JSON schema: extra keys allowed unless
            // the schema says otherwise.
            let additional = schema
                .get("additionalProperties")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            check_object(path, object, &properties, &required, additional, problems);
        }
        _ => {}
    }
}

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(yaml: &str) -> ActionSpec {
        serde_norway::from_str(yaml).unwrap()
    }

    fn params(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn types_required_and_additional_properties_as_juju_checks_them() {
        let s = spec(
            "params:\n  reason: {type: integer}\n  mode: {type: string, enum: [fast, slow]}\nrequired: [mode]\n",
        );
        assert!(s
            .validate(&params(json!({"mode": "fast", "reason": 5})))
            .is_ok());
        let problems = s
            .validate(&params(json!({"reason": "five", "extra": 1})))
            .unwrap_err();
        assert_eq!(
            problems,
            [
                "(root) : mode is required",
                "(root) : Additional property extra is not allowed",
                "(root).reason : Invalid type. Expected: integer, given: string",
            ]
        );
        let open = spec("params: {}\nadditionalProperties: true\n");
        assert!(open.validate(&params(json!({"anything": 1}))).is_ok());
    }

    #[test]
    fn action_names_follow_jujus_rule() {
        for good in ["restart", "pre-upgrade-check", "a"] {
            assert!(valid_action_name(good), "{good}");
        }
        for bad in ["Restart", "-x", "x-", "snap_shot", "", "v2"] {
            assert!(!valid_action_name(bad), "{bad}");
        }
    }
}
