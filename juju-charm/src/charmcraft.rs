//! The bases of a `charmcraft.yaml`, in each of its three forms: what
//! charmcraft writes into `manifest.yaml` when it packs the charm.

use std::path::Path;

use serde_json::Value;

use crate::arch::{normalise_arch, ARCHES};
use crate::bases::{base_entry, Base, Manifest};
use crate::error::{Error, Problem};
use crate::yaml::{Item, Res};

impl Manifest {
    /// The manifest charmcraft writes for the `charmcraft.yaml` text
    /// `text` (of the file `path`, named in errors): the bases of its
    /// `bases:`, `base:` or `platforms:`, in order of appearance, each
    /// listing the architectures declared for it.
    pub fn from_charmcraft(text: &str, path: impl AsRef<Path>) -> Result<Manifest, Error> {
        crate::yaml::parse_with(text, path.as_ref(), |doc| {
            from_document(doc).map(|bases| Manifest { bases })
        })
    }
}

/// The bases a `charmcraft.yaml` document says the charm runs on, from
/// whichever of its forms it uses: `bases:` (each `{name, channel,
/// architectures}`, or `{build-on, run-on}` with `run-on` defaulting to
/// `build-on`), or `base:` with `platforms:` (platform names or
/// `build-for` entries `arch` or `os@channel:arch`; `all` means any
/// architecture), or `platforms:` alone with `os@channel:arch` names.
pub(crate) fn from_document(doc: &Value) -> Res<Vec<Base>> {
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
