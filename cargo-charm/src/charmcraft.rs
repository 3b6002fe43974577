//! What `cargo charm` reads of a charm's `charmcraft.yaml`: the bases
//! (read by [`juju_charm`], in every form charmcraft accepts), the
//! metadata, config and actions (in it, or in `metadata.yaml`,
//! `config.yaml` and `actions.yaml` beside it), and the files its `dump`
//! parts list.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_norway::{Mapping, Value};

use crate::error::{Error, Result};

/// The keys of a unified `charmcraft.yaml` that belong in `metadata.yaml`
/// (charmcraft's own list).
pub const METADATA_KEYS: [&str; 20] = [
    "assumes",
    "charm-user",
    "containers",
    "description",
    "devices",
    "docs",
    "extra-bindings",
    "issues",
    "maintainers",
    "name",
    "peers",
    "provides",
    "requires",
    "resources",
    "source",
    "storage",
    "subordinate",
    "summary",
    "terms",
    "website",
];

/// A base the charm runs on, as `ubuntu@22.04`.
pub use juju_charm::Base;

/// Files a `dump` part copies into the charm: from `source` (a folder of
/// the charm, relative), the paths it lists in `prime` (or `stage`), or
/// everything when it lists none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The part's name.
    pub part: String,
    /// The part's source folder, relative to the charm folder.
    pub source: PathBuf,
    /// The files and folders listed, relative to `source`; `None`: all.
    pub paths: Option<Vec<String>>,
}

/// A charm project: its folder and what its `charmcraft.yaml` declares.
#[derive(Debug, Clone)]
pub struct Project {
    /// The folder holding `charmcraft.yaml`.
    pub dir: PathBuf,
    /// The charm's name.
    pub name: String,
    /// Every base it runs on, sorted, without duplicates.
    pub bases: Vec<Base>,
    /// `metadata.yaml` as it goes into the charm (a separate file as it
    /// is, else written from `charmcraft.yaml`).
    pub metadata: Vec<u8>,
    /// `config.yaml`, if the charm has options.
    pub config: Option<Vec<u8>>,
    /// `actions.yaml`, if the charm has actions.
    pub actions: Option<Vec<u8>>,
    /// The `dump` parts.
    pub includes: Vec<Include>,
}

impl Project {
    /// Reads `dir/charmcraft.yaml` and the YAML files beside it.
    pub fn load(dir: impl AsRef<Path>) -> Result<Project> {
        let dir = dir.as_ref().to_path_buf();
        let path = dir.join("charmcraft.yaml");
        let text = fs::read_to_string(&path).map_err(Error::io(&path))?;
        Project::parse(&dir, &text)
    }

    /// Parses the text of `dir/charmcraft.yaml` (the YAML files beside it
    /// are read from `dir`).
    pub fn parse(dir: &Path, text: &str) -> Result<Project> {
        let path = dir.join("charmcraft.yaml");
        let root: Mapping = serde_norway::from_str(text).map_err(|source| Error::Yaml {
            path: path.clone(),
            source,
        })?;
        let get = |key: &str| root.get(key);
        let bases = parse_bases(&path, text)?;
        let meta_file = dir.join("metadata.yaml");
        let (meta_path, meta_bytes) = match read_yaml(&meta_file)? {
            Some((_, bytes)) => (meta_file, bytes),
            None => (path.clone(), to_yaml(unified_metadata(&root))),
        };
        // Juju's rules on metadata, met at pack time rather than at deploy.
        let meta = juju_charm::Meta::parse(&String::from_utf8_lossy(&meta_bytes), &meta_path)?;
        let section = |file: &str, key: &str| -> Result<Option<Vec<u8>>> {
            match read_yaml(&dir.join(file))? {
                Some((_, bytes)) => Ok(Some(bytes)),
                None => Ok(get(key).map(to_yaml)),
            }
        };
        Ok(Project {
            dir: dir.to_path_buf(),
            name: meta.name,
            bases,
            metadata: meta_bytes,
            config: section("config.yaml", "config")?,
            actions: section("actions.yaml", "actions")?,
            includes: includes(&path, get("parts"))?,
        })
    }
}

/// The bases declared in `text`, the text of `charmcraft.yaml` at `path`
/// (for messages), sorted, without duplicates and without architectures
/// (a charm is packed for the one it is built for).
pub fn parse_bases(path: &Path, text: &str) -> Result<Vec<Base>> {
    let manifest = juju_charm::Manifest::from_charmcraft(text, path)?;
    let mut out: Vec<Base> = manifest
        .bases
        .into_iter()
        .map(|b| Base {
            architectures: Vec::new(),
            ..b
        })
        .collect();
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err(Error::project(
            path,
            "bases",
            "declares no base (use `platforms:` or `bases:`)",
        ));
    }
    Ok(out)
}

/// `path` parsed as a YAML mapping, with its bytes as they are (packed
/// verbatim); `None` if there is no such file.
fn read_yaml(path: &Path) -> Result<Option<(Mapping, Vec<u8>)>> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path)(e)),
    };
    serde_norway::from_str(&text)
        .map(|m| Some((m, text.into_bytes())))
        .map_err(|source| Error::Yaml {
            path: path.to_path_buf(),
            source,
        })
}

fn unified_metadata(root: &Mapping) -> Mapping {
    root.iter()
        .filter(|(k, _)| k.as_str().is_some_and(|k| METADATA_KEYS.contains(&k)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// YAML text with keys in a fixed order, so that packing is reproducible.
fn to_yaml(value: impl serde::Serialize) -> Vec<u8> {
    let sorted: Value = serde_norway::to_value(value).unwrap_or(Value::Null);
    let text = serde_norway::to_string(&sort(sorted)).unwrap_or_default();
    text.into_bytes()
}

fn sort(value: Value) -> Value {
    match value {
        Value::Mapping(m) => {
            let mut entries: Vec<(Value, Value)> = m.into_iter().collect();
            entries.sort_by(|a, b| format!("{:?}", a.0).cmp(&format!("{:?}", b.0)));
            Value::Mapping(entries.into_iter().map(|(k, v)| (k, sort(v))).collect())
        }
        Value::Sequence(s) => Value::Sequence(s.into_iter().map(sort).collect()),
        other => other,
    }
}

/// The `dump` parts, with their listed files.
fn includes(path: &Path, parts: Option<&Value>) -> Result<Vec<Include>> {
    let mut out = Vec::new();
    let parts: BTreeMap<String, Value> = match parts {
        Some(p) => serde_norway::from_value(p.clone())
            .map_err(|_| Error::project(path, "parts", "is not a mapping of part names"))?,
        None => BTreeMap::new(),
    };
    for (part, spec) in parts {
        if spec.get("plugin").and_then(Value::as_str) != Some("dump") {
            continue;
        }
        let source = spec.get("source").and_then(Value::as_str).unwrap_or(".");
        let source = PathBuf::from(source);
        if source.is_absolute() || source.components().any(|c| c.as_os_str() == "..") {
            return Err(Error::project(
                path,
                format!("parts.{part}.source"),
                "must be a folder inside the charm",
            ));
        }
        let listed = spec.get("prime").or_else(|| spec.get("stage"));
        let paths = listed.and_then(Value::as_sequence).map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        });
        out.push(Include {
            part,
            source,
            paths,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Project> {
        Project::parse(Path::new("/nonexistent"), text)
    }

    #[test]
    fn every_form_of_bases_is_read() {
        let multi = "name: a\nplatforms:\n  ubuntu@20.04:amd64:\n  ubuntu@24.04:amd64:\n";
        let p = parse(multi).unwrap();
        assert_eq!(
            p.bases.iter().map(Base::to_string).collect::<Vec<_>>(),
            ["ubuntu@20.04", "ubuntu@24.04"]
        );
        let single = "name: a\nbase: ubuntu@22.04\nplatforms:\n  amd64:\n";
        assert_eq!(parse(single).unwrap().bases[0].to_string(), "ubuntu@22.04");
        let old = "name: a\nbases:\n- build-on: [{name: ubuntu, channel: '22.04'}]\n  \
                   run-on: [{name: ubuntu, channel: '20.04'}, {name: ubuntu, channel: '22.04'}]\n";
        assert_eq!(parse(old).unwrap().bases.len(), 2);
        let none = parse("name: a\n").unwrap_err().to_string();
        assert!(none.contains("`bases` declares no base"), "{none}");
    }

    #[test]
    fn unified_metadata_config_and_actions_are_split_out() {
        let text = "name: web\nsummary: s\ntype: charm\nbase: ubuntu@22.04\nplatforms: {amd64: }\n\
                    requires: {db: {interface: pg}}\nconfig: {options: {port: {type: int}}}\n\
                    parts: {files: {plugin: dump, source: ., prime: [templates]}}\n";
        let p = parse(text).unwrap();
        let meta = String::from_utf8(p.metadata).unwrap();
        assert_eq!(
            meta,
            "name: web\nrequires:\n  db:\n    interface: pg\nsummary: s\n"
        );
        let config = String::from_utf8(p.config.unwrap()).unwrap();
        assert!(config.starts_with("options:"), "{config}");
        assert!(p.actions.is_none());
        assert_eq!(
            p.includes[0].paths.as_deref(),
            Some(&["templates".to_string()][..])
        );
    }

    /// charmcraft's `bases:` entry without `run-on` runs where it builds.
    #[test]
    fn a_base_without_run_on_runs_where_it_builds() {
        let text = "name: a\nbases:\n- build-on: [{name: ubuntu, channel: '24.04'}]\n";
        let bases = parse(text).unwrap().bases;
        assert_eq!(
            bases.iter().map(Base::to_string).collect::<Vec<_>>(),
            ["ubuntu@24.04"]
        );
    }

    /// What Juju would refuse on deploy is refused when packing.
    #[test]
    fn metadata_juju_refuses_is_refused_naming_the_item() {
        let text = "name: a\nbase: ubuntu@22.04\nrequires: {juju-db: {interface: pg}}\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(
            err.contains("charmcraft.yaml") && err.contains("juju-db"),
            "{err}"
        );
        let bad_base = parse("name: a\nbase: ubuntu@22.04/nightly\n").unwrap_err();
        assert!(bad_base.to_string().contains("base"), "{bad_base}");
    }

    #[test]
    fn a_dump_part_outside_the_charm_is_refused() {
        let text = "name: a\nbase: ubuntu@22.04\nparts: {x: {plugin: dump, source: ../..}}\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains("parts.x.source"), "{err}");
    }
}
