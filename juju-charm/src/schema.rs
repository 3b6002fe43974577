//! A JSON Schema (draft 4, the draft Juju's `gojsonschema` implements)
//! validator for action parameters: a hand-written subset, kept small
//! because this crate is read in every hook.
//!
//! Checked: `type` (one name or a list; an `integer` is a number without a
//! fractional part), `enum`, `const`, `properties`, `required`,
//! `additionalProperties` (a boolean or a schema), `minProperties`,
//! `maxProperties`, `items` (one schema, or a list for tuples),
//! `minItems`, `maxItems`, `uniqueItems`, `minimum`, `maximum`,
//! `exclusiveMinimum`, `exclusiveMaximum` (draft 4 booleans or later
//! numbers), `multipleOf`, `minLength`, `maxLength` (in characters),
//! `allOf`, `anyOf`, `oneOf`, `not`.
//!
//! Not checked (accepted whatever the value): `pattern`,
//! `patternProperties`, `format`, `dependencies`, and any other keyword.

use serde_json::{Map, Value};

/// Values that break a schema, each with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("validation failed: {}", .violations.join("; "))]
pub struct SchemaError {
    /// One line per broken rule, worded as gojsonschema words it:
    /// `(root).count : Invalid type. Expected: integer, given: string`.
    pub violations: Vec<String>,
}

const TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

/// Checks that `value` satisfies `schema`.
pub fn validate(schema: &Value, value: &Value) -> Result<(), SchemaError> {
    let mut violations = Vec::new();
    check(schema, value, "(root)", &mut violations);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(SchemaError { violations })
    }
}

/// Checks the shape of a schema itself: the keywords this module checks
/// must have the types the draft gives them.
pub fn check_schema(schema: &Value) -> Result<(), String> {
    let Some(map) = schema.as_object() else {
        return Err(format!("a schema must be an object, got {schema}"));
    };
    if let Some(t) = map.get("type") {
        let names: Vec<&Value> = match t {
            Value::Array(list) => list.iter().collect(),
            other => vec![other],
        };
        for n in names {
            if !n.as_str().is_some_and(|s| TYPES.contains(&s)) {
                return Err(format!("type {n} is not one of {TYPES:?}"));
            }
        }
    }
    if let Some(props) = map.get("properties") {
        let props = props
            .as_object()
            .ok_or_else(|| format!("properties must be an object, got {props}"))?;
        for (name, p) in props {
            check_schema(p).map_err(|e| format!("property {name:?}: {e}"))?;
        }
    }
    if let Some(req) = map.get("required") {
        if !req
            .as_array()
            .is_some_and(|r| r.iter().all(Value::is_string))
        {
            return Err(format!("required must be a list of strings, got {req}"));
        }
    }
    if let Some(extra) = map.get("additionalProperties") {
        if !extra.is_boolean() {
            check_schema(extra).map_err(|e| format!("additionalProperties: {e}"))?;
        }
    }
    match map.get("items") {
        Some(Value::Array(list)) => list.iter().try_for_each(check_schema)?,
        Some(items) => check_schema(items).map_err(|e| format!("items: {e}"))?,
        None => {}
    }
    Ok(())
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if is_integer(n) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_integer(n: &serde_json::Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// `integer` or, for a list, `[integer,null]`.
fn expected_types(t: &Value) -> String {
    match t {
        Value::String(name) => name.clone(),
        Value::Array(names) => {
            let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
            format!("[{}]", names.join(","))
        }
        other => other.to_string(),
    }
}

fn has_type(v: &Value, name: &str) -> bool {
    let actual = type_name(v);
    actual == name || (name == "number" && actual == "integer")
}

fn num(schema: &Map<String, Value>, key: &str) -> Option<f64> {
    schema.get(key).and_then(Value::as_f64)
}

fn check(schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    let Some(s) = schema.as_object() else {
        // `true`/`false` schemas of later drafts.
        if schema == &Value::Bool(false) {
            out.push(format!("{at} : no value is allowed"));
        }
        return;
    };
    let mut fail = |msg: String| out.push(format!("{at} : {msg}"));
    if let Some(t) = s.get("type") {
        let ok = match t {
            Value::String(name) => has_type(value, name),
            Value::Array(names) => names
                .iter()
                .filter_map(Value::as_str)
                .any(|n| has_type(value, n)),
            _ => true,
        };
        if !ok {
            // gojsonschema's wording, which `juju run` prints.
            fail(format!(
                "Invalid type. Expected: {}, given: {}",
                expected_types(t),
                type_name(value)
            ));
            return;
        }
    }
    if let Some(allowed) = s.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            fail(format!(
                "{value} is not one of {}",
                Value::Array(allowed.clone())
            ));
        }
    }
    if let Some(c) = s.get("const") {
        if c != value {
            fail(format!("expected {c}, got {value}"));
        }
    }
    match value {
        Value::Number(n) => check_number(s, n.as_f64().unwrap_or(f64::NAN), &mut fail),
        Value::String(text) => {
            let len = text.chars().count() as f64;
            if num(s, "minLength").is_some_and(|m| len < m) {
                fail(format!("shorter than {} characters", s["minLength"]));
            }
            if num(s, "maxLength").is_some_and(|m| len > m) {
                fail(format!("longer than {} characters", s["maxLength"]));
            }
        }
        _ => {}
    }
    match value {
        Value::Object(obj) => check_object(s, obj, at, out),
        Value::Array(list) => check_array(s, list, at, out),
        _ => {}
    }
    check_combinators(s, value, at, out);
}

fn check_number(s: &Map<String, Value>, x: f64, fail: &mut impl FnMut(String)) {
    // Draft 4: `exclusiveMinimum: true` makes `minimum` strict; later
    // drafts give the bound as a number.
    let excl = |key: &str, bound: &str| match s.get(key) {
        Some(Value::Bool(true)) => num(s, bound).map(|b| (b, true)),
        Some(Value::Number(n)) => n.as_f64().map(|b| (b, true)),
        _ => num(s, bound).map(|b| (b, false)),
    };
    if let Some((min, strict)) = excl("exclusiveMinimum", "minimum") {
        if x < min || (strict && x == min) {
            fail(format!("{x} is below the minimum {min}"));
        }
    }
    if let Some((max, strict)) = excl("exclusiveMaximum", "maximum") {
        if x > max || (strict && x == max) {
            fail(format!("{x} is above the maximum {max}"));
        }
    }
    if let Some(m) = num(s, "multipleOf").filter(|m| *m > 0.0) {
        if ((x / m) - (x / m).round()).abs() > 1e-9 {
            fail(format!("{x} is not a multiple of {m}"));
        }
    }
}

fn check_object(s: &Map<String, Value>, obj: &Map<String, Value>, at: &str, out: &mut Vec<String>) {
    let props = s.get("properties").and_then(Value::as_object);
    for name in s
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !obj.contains_key(name) {
            out.push(format!("{at} : {name} is required"));
        }
    }
    for (key, v) in obj {
        let child = format!("{at}.{key}");
        match props.and_then(|p| p.get(key)) {
            Some(p) => check(p, v, &child, out),
            None => match s.get("additionalProperties") {
                Some(Value::Bool(false)) => {
                    out.push(format!("{at} : Additional property {key} is not allowed"))
                }
                Some(extra @ Value::Object(_)) => check(extra, v, &child, out),
                _ => {}
            },
        }
    }
    let n = obj.len() as f64;
    if num(s, "minProperties").is_some_and(|m| n < m) {
        out.push(format!(
            "{at}: fewer than {} properties",
            s["minProperties"]
        ));
    }
    if num(s, "maxProperties").is_some_and(|m| n > m) {
        out.push(format!(
            "{at} : more than {} properties",
            s["maxProperties"]
        ));
    }
}

fn check_array(s: &Map<String, Value>, list: &[Value], at: &str, out: &mut Vec<String>) {
    match s.get("items") {
        Some(Value::Array(tuple)) => {
            for (i, (item_schema, v)) in tuple.iter().zip(list).enumerate() {
                check(item_schema, v, &format!("{at}.{i}"), out);
            }
        }
        Some(items) => {
            for (i, v) in list.iter().enumerate() {
                check(items, v, &format!("{at}.{i}"), out);
            }
        }
        None => {}
    }
    let n = list.len() as f64;
    if num(s, "minItems").is_some_and(|m| n < m) {
        out.push(format!("{at} : fewer than {} items", s["minItems"]));
    }
    if num(s, "maxItems").is_some_and(|m| n > m) {
        out.push(format!("{at} : more than {} items", s["maxItems"]));
    }
    if s.get("uniqueItems") == Some(&Value::Bool(true))
        && list.iter().enumerate().any(|(i, v)| list[..i].contains(v))
    {
        out.push(format!("{at} : items must be unique"));
    }
}

fn check_combinators(s: &Map<String, Value>, value: &Value, at: &str, out: &mut Vec<String>) {
    let passes = |sub: &Value| validate(sub, value).is_ok();
    let list = |key: &str| s.get(key).and_then(Value::as_array);
    if let Some(all) = list("allOf") {
        for sub in all {
            check(sub, value, at, out);
        }
    }
    if let Some(any) = list("anyOf") {
        if !any.iter().any(passes) {
            out.push(format!("{at} : matches none of anyOf"));
        }
    }
    if let Some(one) = list("oneOf") {
        let n = one.iter().filter(|sub| passes(sub)).count();
        if n != 1 {
            out.push(format!("{at} : matches {n} of oneOf, not exactly one"));
        }
    }
    if let Some(not) = s.get("not") {
        if passes(not) {
            out.push(format!("{at} : matches the schema under not"));
        }
    }
}
