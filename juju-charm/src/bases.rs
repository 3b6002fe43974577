//! Bases a charm runs on: `manifest.yaml` (`manifest.go`, `base.go`) and
//! the `bases:`, `base:` and `platforms:` forms of `charmcraft.yaml`.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

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
/// Architectures Juju supports, after normalising aliases.
const ARCHES: [&str; 6] = ["amd64", "arm64", "i386", "ppc64el", "riscv64", "s390x"];
const RISKS: [&str; 4] = ["stable", "candidate", "beta", "edge"];

/// One base: an OS, its channel and the architectures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Base {
    /// The OS (`ubuntu`).
    pub name: String,
    /// The channel as written (`22.04`, `22.04/stable`).
    pub channel: String,
    /// Architectures, normalised (`x86_64` is `amd64`); empty for any.
    pub architectures: Vec<String>,
}

impl Base {
    /// Parses `ubuntu@22.04` (charmcraft's `base:` form).
    pub fn parse(s: &str) -> Option<Base> {
        let (name, channel) = s.split_once('@')?;
        let base = Base {
            name: name.to_string(),
            channel: channel.to_string(),
            architectures: Vec::new(),
        };
        base.problem().is_none().then_some(base)
    }

    /// The track of the channel (`22.04`).
    pub fn track(&self) -> &str {
        self.channel.split('/').next().unwrap_or_default()
    }

    /// What `Base.Validate` refuses, if anything.
    fn problem(&self) -> Option<Problem> {
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

/// Juju's name for an architecture alias (`arch.NormaliseArch`).
pub fn normalise_arch(arch: &str) -> String {
    match arch {
        "x86_64" | "amd64" => "amd64",
        "i386" | "i486" | "i586" | "i686" => "i386",
        "aarch64" | "arm64" | "aarch64_be" => "arm64",
        "ppc64le" | "ppc64el" => "ppc64el",
        other => other,
    }
    .to_string()
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

    fn from_value(doc: &Value) -> Res<Manifest> {
        let bases = match Item::root(doc).get("bases")? {
            Some(list) => list.list()?.iter().map(base_entry).collect::<Res<_>>()?,
            None => Vec::new(),
        };
        Ok(Manifest { bases })
    }
}

/// `{name, channel, architectures}`.
fn base_entry(item: &Item<'_>) -> Res<Base> {
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

/// The bases a `charmcraft.yaml` document says the charm runs on, from
/// whichever of its forms it uses: `bases:` (each `{name, channel,
/// architectures}`, or `{build-on, run-on}` with `run-on` defaulting to
/// `build-on`), or `base:` with `platforms:` (platform names or
/// `build-for` entries `arch` or `os@channel:arch`; `all` means any
/// architecture), or `platforms:` alone with `os@channel:arch` names.
pub(crate) fn charmcraft_bases(doc: &Value) -> Res<Vec<Base>> {
    let root = Item::root(doc);
    if let Some(bases) = root.get("bases")? {
        let mut out = Vec::new();
        for entry in bases.list()? {
            if entry.get("build-on")?.is_some() || entry.get("run-on")?.is_some() {
                let run_on = match entry.get("run-on")? {
                    Some(r) => r,
                    None => entry
                        .get("build-on")?
                        .ok_or_else(|| entry.error(Problem::Missing))?,
                };
                for b in run_on.list()? {
                    out.push(base_entry(&b)?);
                }
            } else {
                out.push(base_entry(&entry)?);
            }
        }
        return Ok(out);
    }
    let default = match root.get("base")? {
        Some(b) => {
            let s = b.str()?;
            Some(
                Base::parse(s)
                    .ok_or_else(|| b.error(Problem::Invalid(format!("{s:?} is not os@channel"))))?,
            )
        }
        None => None,
    };
    let mut out: Vec<Base> = Vec::new();
    if let Some(platforms) = root.get("platforms")? {
        for (name, value) in platforms.entries()? {
            let targets = match value.get("build-for").ok().flatten() {
                Some(list) => list.str_list()?,
                None => vec![name.to_string()],
            };
            for target in targets {
                let (base, arch) = match target.rsplit_once(':') {
                    Some((b, arch)) => (
                        Base::parse(b).ok_or_else(|| {
                            value.error(Problem::Invalid(format!("{b:?} is not os@channel")))
                        })?,
                        arch,
                    ),
                    None => (
                        default.clone().ok_or_else(|| {
                            value.error(Problem::Invalid(format!(
                                "{target:?} names no base and there is no base:"
                            )))
                        })?,
                        target.as_str(),
                    ),
                };
                add_platform(&mut out, base, arch).map_err(|p| value.error(p))?;
            }
        }
    }
    if out.is_empty() {
        out.extend(default);
    }
    Ok(out)
}

fn add_platform(out: &mut Vec<Base>, base: Base, arch: &str) -> Result<(), Problem> {
    let idx = match out
        .iter()
        .position(|b| b.name == base.name && b.channel == base.channel)
    {
        Some(i) => i,
        None => {
            out.push(base);
            out.len() - 1
        }
    };
    if arch == "all" {
        return Ok(());
    }
    let arch = normalise_arch(arch);
    if !ARCHES.contains(&arch.as_str()) {
        return Err(Problem::NotOneOf {
            got: arch,
            allowed: &ARCHES,
        });
    }
    if !out[idx].architectures.contains(&arch) {
        out[idx].architectures.push(arch);
    }
    Ok(())
}
