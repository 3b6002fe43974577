//! Reading a charm's YAML files into JSON values, and typed access to their
//! items with the coercions of `juju/schema` (the checkers `meta.go` and
//! `config.go` use), each failure naming the item's dotted path.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{Error, Problem};

/// A problem with one item, before the file is known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ItemError {
    pub item: String,
    pub problem: Problem,
}

impl ItemError {
    pub(crate) fn new(item: impl Into<String>, problem: Problem) -> ItemError {
        ItemError {
            item: item.into(),
            problem,
        }
    }

    /// The error for this item of `path`.
    pub(crate) fn in_file(self, path: &Path) -> Error {
        Error::Invalid {
            path: path.to_path_buf(),
            item: self.item,
            problem: self.problem,
        }
    }
}

pub(crate) type Res<T> = Result<T, ItemError>;

/// Parses YAML text into JSON: map keys must be strings (as every map Juju
/// reads from a charm), tags are dropped, and an empty document is `null`.
pub(crate) fn parse(text: &str, path: &Path) -> Result<Value, Error> {
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|source| Error::Yaml {
        path: path.to_path_buf(),
        source,
    })?;
    to_json(yaml, ".").map_err(|e| e.in_file(path))
}

/// Reads and parses `path`; `Ok(None)` when it does not exist.
pub(crate) fn read(path: &Path) -> Result<Option<Value>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, path).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

fn to_json(v: serde_norway::Value, item: &str) -> Res<Value> {
    use serde_norway::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        ItemError::new(
                            item,
                            Problem::Invalid(format!("{n} is not a finite number")),
                        )
                    })?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(seq) => Value::Array(
            seq.into_iter()
                .enumerate()
                .map(|(i, v)| to_json(v, &join(item, &i.to_string())))
                .collect::<Res<_>>()?,
        ),
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    other => {
                        return Err(ItemError::new(
                            item,
                            Problem::WrongType {
                                expected: "string keys",
                                got: format!("{other:?}"),
                            },
                        ))
                    }
                };
                let value = to_json(v, &join(item, &key))?;
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => to_json(t.value, item)?,
    })
}

/// `parent.key`, or `key` at the top.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent == "." || parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// One item of a file and its dotted path.
#[derive(Debug, Clone)]
pub(crate) struct Item<'a> {
    pub value: &'a Value,
    pub path: String,
}

fn wrong(item: &str, expected: &'static str, got: &Value) -> ItemError {
    ItemError::new(
        item,
        Problem::WrongType {
            expected,
            got: got.to_string(),
        },
    )
}

impl<'a> Item<'a> {
    /// The whole document.
    pub(crate) fn root(value: &'a Value) -> Item<'a> {
        Item {
            value,
            path: ".".into(),
        }
    }

    /// An error about this item.
    pub(crate) fn error(&self, problem: Problem) -> ItemError {
        ItemError::new(self.path.clone(), problem)
    }

    /// The item as a map.
    pub(crate) fn map(&self) -> Res<&'a Map<String, Value>> {
        self.value
            .as_object()
            .ok_or_else(|| wrong(&self.path, "a map", self.value))
    }

    /// Entry `key` of this map: `None` when absent or null (Juju's schema
    /// omits both alike for optional keys).
    pub(crate) fn get(&self, key: &str) -> Res<Option<Item<'a>>> {
        Ok(match self.map()?.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => Some(Item {
                value,
                path: join(&self.path, key),
            }),
        })
    }

    /// Entry `key` of this map, which must be there and not null.
    pub(crate) fn require(&self, key: &str) -> Res<Item<'a>> {
        let path = join(&self.path, key);
        match self.map()?.get(key) {
            None => Err(ItemError::new(path, Problem::Missing)),
            Some(Value::Null) => Err(ItemError::new(path, Problem::Null)),
            Some(value) => Ok(Item { value, path }),
        }
    }

    /// Entry `key` of this map as a string, if there.
    pub(crate) fn get_str(&self, key: &str) -> Res<Option<String>> {
        self.get(key)?
            .map(|i| i.str().map(str::to_string))
            .transpose()
    }

    /// Entry `key` of this map as a boolean; `false` when absent.
    pub(crate) fn get_bool(&self, key: &str) -> Res<bool> {
        Ok(self
            .get(key)?
            .map(|i| i.bool())
            .transpose()?
            .unwrap_or(false))
    }

    /// Every entry of this map, null values included.
    pub(crate) fn entries(&self) -> Res<Vec<(&'a str, Item<'a>)>> {
        Ok(self
            .map()?
            .iter()
            .map(|(k, value)| {
                (
                    k.as_str(),
                    Item {
                        value,
                        path: join(&self.path, k),
                    },
                )
            })
            .collect())
    }

    /// The item as a string (`schema.String`: strings only).
    pub(crate) fn str(&self) -> Res<&'a str> {
        self.value
            .as_str()
            .ok_or_else(|| wrong(&self.path, "a string", self.value))
    }

    /// The item as a non-empty string.
    pub(crate) fn non_empty_str(&self) -> Res<&'a str> {
        let s = self.str()?;
        if s.trim().is_empty() {
            return Err(self.error(Problem::Empty));
        }
        Ok(s)
    }

    /// The item as a boolean (`schema.Bool`: a boolean, or a string Go's
    /// `strconv.ParseBool` accepts).
    pub(crate) fn bool(&self) -> Res<bool> {
        coerce_bool(self.value).ok_or_else(|| wrong(&self.path, "a boolean", self.value))
    }

    /// The item as an integer (`schema.Int`: an integer, or a string Go's
    /// `strconv.ParseInt(s, 0, 64)` accepts).
    pub(crate) fn int(&self) -> Res<i64> {
        coerce_int(self.value).ok_or_else(|| wrong(&self.path, "an integer", self.value))
    }

    /// The item as a list.
    pub(crate) fn list(&self) -> Res<Vec<Item<'a>>> {
        let list = self
            .value
            .as_array()
            .ok_or_else(|| wrong(&self.path, "a list", self.value))?;
        Ok(list
            .iter()
            .enumerate()
            .map(|(i, value)| Item {
                value,
                path: join(&self.path, &i.to_string()),
            })
            .collect())
    }

    /// The item as a list of strings.
    pub(crate) fn str_list(&self) -> Res<Vec<String>> {
        self.list()?
            .iter()
            .map(|i| i.str().map(str::to_string))
            .collect()
    }
}

/// Go's `strconv.ParseBool` over a JSON value, as `schema.Bool` applies it.
pub(crate) fn coerce_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => parse_go_bool(s),
        _ => None,
    }
}

/// Go's `strconv.ParseBool`.
pub(crate) fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `schema.Int` over a JSON value: integers, and strings in Go's base-0
/// integer syntax (`42`, `-7`, `0x1f`, `0o17`, `017`, `0b101`).
pub(crate) fn coerce_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => parse_go_int_base0(s),
        _ => None,
    }
}

fn parse_go_int_base0(s: &str) -> Option<i64> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(b) = lower.strip_prefix("0x") {
        (16, b)
    } else if let Some(b) = lower.strip_prefix("0o") {
        (8, b)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (2, b)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(body, radix).ok()?;
    i64::try_from(if neg { -magnitude } else { magnitude }).ok()
}

/// Reads the required file `path` and builds a `T` from its document.
pub(crate) fn load_with<T>(path: &Path, build: impl FnOnce(&Value) -> Res<T>) -> Result<T, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_with(&text, path, build)
}

/// Parses `text` (of the file `path`) and builds a `T` from its document.
pub(crate) fn parse_with<T>(
    text: &str,
    path: &Path,
    build: impl FnOnce(&Value) -> Res<T>,
) -> Result<T, Error> {
    let doc = parse(text, path)?;
    build(&doc).map_err(|e| e.in_file(path))
}
