//! Secret content and metadata from `secret-add` / `secret-set`
//! arguments, as `cmd/juju/secrets` `SecretUpsertContentCommand` reads
//! them.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::args::Args;
use super::ToolError;
use crate::secret::{Content, Secret};
use juju_charm::is_valid_secret_key as valid_key;

const ROTATE_POLICIES: &[&str] = &[
    "never",
    "hourly",
    "daily",
    "weekly",
    "monthly",
    "quarterly",
    "yearly",
];

/// Content from `key=value`, `key#base64=value`, `key#file=path` and
/// `--file` (a YAML map), values base64-encoded.
pub(super) fn content(args: &[String], file: Option<&str>) -> Result<Content, ToolError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ToolError::Failed(format!("cannot read {path}: {e}")))?;
        let map: BTreeMap<String, String> =
            serde_norway::from_str(&text).map_err(|e| ToolError::Failed(format!("{path}: {e}")))?;
        pairs.extend(map);
    }
    for arg in args {
        let Some((k, v)) = arg.split_once('=') else {
            return Err(ToolError::Usage(format!(
                "expected \"key=value\", got {arg:?}"
            )));
        };
        pairs.push((k.to_string(), v.to_string()));
    }
    let mut out = Content::new();
    for (key, value) in pairs {
        let (name, encoded) = if let Some(name) = key.strip_suffix("#base64") {
            if STANDARD.decode(&value).is_err() {
                return Err(ToolError::Usage(format!(
                    "base64 value for key {name:?} not valid"
                )));
            }
            (name.to_string(), value)
        } else if let Some(name) = key.strip_suffix("#file") {
            let bytes = std::fs::read(&value)
                .map_err(|e| ToolError::Failed(format!("cannot read {value}: {e}")))?;
            (name.to_string(), STANDARD.encode(bytes))
        } else {
            (key.clone(), STANDARD.encode(value))
        };
        if !valid_key(&name) {
            return Err(ToolError::Usage(format!("key {name:?} not valid")));
        }
        out.insert(name, encoded);
    }
    Ok(out)
}

/// The metadata flags shared by `secret-add` and `secret-set`.
pub(super) fn apply_metadata(secret: &mut Secret, args: &Args) -> Result<(), ToolError> {
    if let Some(rotate) = args.value("rotate") {
        if !ROTATE_POLICIES.contains(&rotate) {
            return Err(ToolError::Usage(format!(
                "rotate policy {rotate:?} not valid"
            )));
        }
        secret.rotate = Some(rotate.into());
    }
    if let Some(expire) = args.value("expire") {
        secret.expire = Some(expire.into());
    }
    if let Some(description) = args.value("description") {
        secret.description = description.into();
    }
    Ok(())
}
