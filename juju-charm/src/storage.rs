//! `storage:` entries, as `meta.go`'s `storageSchema` reads them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::yaml::{Item, Res};

/// The kind of a storage entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageType {
    /// A block device.
    Block,
    /// A mounted filesystem.
    Filesystem,
}

/// One `storage:` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Storage {
    /// The storage name.
    pub name: String,
    /// `type:` (required).
    pub kind: StorageType,
    /// `description:`.
    pub description: String,
    /// `shared:`.
    pub shared: bool,
    /// `read-only:`.
    pub read_only: bool,
    /// The least number of instances (`multiple.range`; 1 unless given).
    pub count_min: u32,
    /// The most instances; `None` for no upper bound (`m+`, `m-`).
    pub count_max: Option<u32>,
    /// `minimum-size:` as written (`1G`).
    pub minimum_size: Option<String>,
    /// `location:` (filesystems only).
    pub location: Option<String>,
    /// `properties:` (only `transient` exists).
    pub properties: Vec<String>,
}

pub(crate) fn parse_storage(item: Option<Item<'_>>) -> Res<BTreeMap<String, Storage>> {
    let mut out = BTreeMap::new();
    let Some(item) = item else {
        return Ok(out);
    };
    for (name, entry) in item.entries()? {
        out.insert(name.to_string(), parse_entry(name, &entry)?);
    }
    Ok(out)
}

fn parse_entry(name: &str, entry: &Item<'_>) -> Res<Storage> {
    entry.map()?;
    let kind_item = entry.require("type")?;
    let kind = match kind_item.str()? {
        "block" => StorageType::Block,
        "filesystem" => StorageType::Filesystem,
        other => {
            return Err(kind_item.error(Problem::NotOneOf {
                got: other.into(),
                allowed: &["block", "filesystem"],
            }))
        }
    };
    let (count_min, count_max) = match entry.get("multiple")? {
        Some(multiple) => match multiple.get("range")? {
            Some(range) => parse_range(&range)?,
            None => (1, Some(1)),
        },
        None => (1, Some(1)),
    };
    let properties = entry
        .get("properties")?
        .map(|p| p.str_list())
        .transpose()?
        .unwrap_or_default();
    if let Some(p) = properties.iter().find(|p| *p != "transient") {
        return Err(entry.error(Problem::NotOneOf {
            got: p.clone(),
            allowed: &["transient"],
        }));
    }
    let location = entry.get_str("location")?;
    if location.is_some() && kind != StorageType::Filesystem {
        return Err(entry.error(Problem::Invalid(
            "location may only be given for type: filesystem".into(),
        )));
    }
    Ok(Storage {
        name: name.to_string(),
        kind,
        description: entry.get_str("description")?.unwrap_or_default(),
        shared: entry.get_bool("shared")?,
        read_only: entry.get_bool("read-only")?,
        count_min,
        count_max,
        minimum_size: entry.get_str("minimum-size")?,
        location,
        properties,
    })
}

/// `multiple.range`: `m`, `m-n`, `m+` or `m-` (Juju's `storageCountC`).
fn parse_range(range: &Item<'_>) -> Res<(u32, Option<u32>)> {
    let bad = || {
        range.error(Problem::Invalid(format!(
            "{} does not match 'm', 'm-n', or 'm+'",
            range.value
        )))
    };
    if let Some(n) = range.value.as_i64() {
        let n = u32::try_from(n).ok().filter(|n| *n > 0).ok_or_else(bad)?;
        return Ok((n, Some(n)));
    }
    let s = range.str()?;
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    let min: u32 = s[..digits].parse().map_err(|_| bad())?;
    match &s[digits..] {
        "+" | "-" => Ok((min, None)),
        rest => {
            let max = rest
                .strip_prefix('-')
                .filter(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_digit()))
                .and_then(|m| m.parse().ok())
                .ok_or_else(bad)?;
            Ok((min, Some(max)))
        }
    }
}
