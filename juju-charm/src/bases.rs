//! Bases a charm runs on: `manifest.yaml` (`manifest.go`, `base.go`) and
//! the `bases:`, `base:` and `platforms:` forms of `charmcraft.yaml`.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::arch::{normalise_arch, ARCHES};
use crate::error::{Error, Problem};
use crate::yaml::{Item, Res};

/// Operating systems Juju accepts in a base (`base.go`'s `validOSForBase`).
const OSES: [&str; 6] = [
    "ubuntu",
    "centos",
    "windows",
    "osx",
    "opensuse",
    "genericlinux",
];
const RISKS: [&str; 4] = ["stable", "candidate", "beta", "edge"];

/// One base: an OS, its channel and the architectures.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Base {
    /// The OS (`ubuntu`).
    pub name: String,
    /// The channel as written (`22.04`, `22.04/stable`).
    pub channel: String,
    /// Architectures, normalised (`x86_64` is `amd64`); empty for any.
    pub architectures: Vec<String>,
}

impl Base {
    /// Parses `ubuntu@22.04` (charmcraft's `base:` form); `None` unless
    /// Juju accepts it. [`str::parse`] says why not.
    pub fn parse(s: &str) -> Option<Base> {
        s.parse().ok()
    }

    /// The track of the channel (`22.04`).
    pub fn track(&self) -> &str {
        self.channel.split('/').next().unwrap_or_default()
    }

    /// Whether this base, as a `manifest.yaml` entry, covers `other` on
    /// `arch`: same OS and channel, and `arch` among the architectures
    /// unless none are listed.
    pub fn covers(&self, other: &Base, arch: &str) -> bool {
        let arch = normalise_arch(arch);
        self.name == other.name
            && self.channel == other.channel
            && (self.architectures.is_empty() || self.architectures.contains(&arch))
    }

    /// What `Base.Validate` refuses, if anything.
    pub(crate) fn problem(&self) -> Option<Problem> {
        if self.name.is_empty() {
            return Some(Problem::Invalid("base without name".into()));
        }
        if !OSES.contains(&self.name.as_str()) {
            return Some(Problem::NotOneOf {
                got: self.name.clone(),
                allowed: &OSES,
            });
        }
        let parts: Vec<&str> = self.channel.split('/').collect();
        let bad_channel = self.channel.is_empty()
            || parts.len() > 3
            || parts.iter().any(|p| p.is_empty())
            || (parts.len() >= 2 && !RISKS.contains(&parts[1]));
        if bad_channel {
            return Some(Problem::Invalid(format!(
                "channel {:?} is not track[/risk[/branch]]",
                self.channel
            )));
        }
        self.architectures
            .iter()
            .find(|a| !ARCHES.contains(&a.as_str()))
            .map(|a| Problem::NotOneOf {
                got: a.clone(),
                allowed: &ARCHES,
            })
    }
}

/// `name@channel`, the form of charmcraft's `base:` and of `juju deploy
/// --base`.
impl fmt::Display for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.name, self.channel)
    }
}

/// A base that is not `os@channel` as Juju accepts it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid base {text:?} (expected os@channel, such as ubuntu@22.04)")]
pub struct BaseError {
    /// The text given.
    pub text: String,
    /// What is wrong with it.
    #[source]
    pub problem: Problem,
}

impl FromStr for Base {
    type Err = BaseError;

    fn from_str(s: &str) -> Result<Base, BaseError> {
        let error = |problem| BaseError {
            text: s.to_string(),
            problem,
        };
        let (name, channel) = s
            .split_once('@')
            .ok_or_else(|| error(Problem::Invalid("no @ between os and channel".into())))?;
        let base = Base {
            name: name.to_string(),
            channel: channel.to_string(),
            architectures: Vec::new(),
        };
        match base.problem() {
            Some(p) => Err(error(p)),
            None => Ok(base),
        }
    }
}

/// `manifest.yaml`, which charmcraft writes into a packed charm.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// `bases:`.
    pub bases: Vec<Base>,
}

impl Manifest {
    /// Reads `manifest.yaml` at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Manifest, Error> {
        crate::yaml::load_with(path.as_ref(), Manifest::from_value)
    }

    /// Parses `manifest.yaml` text; `path` names the file in errors.
    pub fn parse(text: &str, path: impl AsRef<Path>) -> Result<Manifest, Error> {
        crate::yaml::parse_with(text, path.as_ref(), Manifest::from_value)
    }

    /// Whether one of the bases covers `base` on `arch` (the check Juju
    /// makes when deploying the charm on a machine).
    pub fn declares(&self, base: &Base, arch: &str) -> bool {
        self.bases.iter().any(|b| b.covers(base, arch))
    }

    /// The `manifest.yaml` text, in the form charmcraft writes (every
    /// base with its `architectures`).
    pub fn to_yaml(&self) -> String {
        // Only strings and lists of them: YAML can write any of those.
        serde_norway::to_string(self).expect("a manifest of strings serialises")
    }

    fn from_value(doc: &Value) -> Res<Manifest> {
        let bases = match Item::root(doc).get("bases")? {
            Some(list) => list.list()?.iter().map(base_entry).collect::<Res<_>>()?,
            None => Vec::new(),
        };
        Ok(Manifest { bases })
    }
}

/// `{name, channel, architectures}`.
pub(crate) fn base_entry(item: &Item<'_>) -> Res<Base> {
    let text = |key: &str| -> Res<String> { Ok(item.get_str(key)?.unwrap_or_default()) };
    let architectures = match item.get("architectures")? {
        Some(a) => a.str_list()?.iter().map(|a| normalise_arch(a)).collect(),
        None => Vec::new(),
    };
    let base = Base {
        name: text("name")?,
        channel: text("channel")?,
        architectures,
    };
    match base.problem() {
        Some(p) => Err(item.error(p)),
        None => Ok(base),
    }
}
