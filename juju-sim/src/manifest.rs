//! `manifest.yaml` as charmcraft writes it, and the check Juju makes at
//! deploy time: the charm must declare the model's base (name and
//! channel) and, when it lists architectures, the machine's.
//!
//! ```yaml
//! bases:
//! - name: ubuntu
//!   channel: '22.04'
//!   architectures: [amd64]
//! ```

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::Deserialize;

/// A base: an OS name and channel (`ubuntu@22.04`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    /// `ubuntu`.
    pub name: String,
    /// `22.04`.
    pub channel: String,
}

impl Default for Base {
    fn default() -> Self {
        Base {
            name: "ubuntu".into(),
            channel: "22.04".into(),
        }
    }
}

impl fmt::Display for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.name, self.channel)
    }
}

/// A base not written `name@channel`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid base {0:?}: expected name@channel, such as ubuntu@22.04")]
pub struct BaseError(pub String);

impl FromStr for Base {
    type Err = BaseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once('@') {
            Some((name, channel)) if !name.is_empty() && !channel.is_empty() => Ok(Base {
                name: name.into(),
                channel: channel.into(),
            }),
            _ => Err(BaseError(s.into())),
        }
    }
}

#[derive(Deserialize)]
struct RawManifest {
    #[serde(default)]
    bases: Vec<RawBase>,
}

#[derive(Deserialize)]
struct RawBase {
    name: String,
    channel: String,
    #[serde(default)]
    architectures: Vec<String>,
}

/// The machine's architecture as Juju names it.
pub fn host_architecture() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "powerpc64" => "ppc64el",
        other => other,
    }
}

/// Why a charm cannot be deployed on the model's base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// `manifest.yaml` is missing.
    NoManifest,
    /// It does not parse.
    Malformed(String),
    /// It does not list the base (with this architecture).
    NotDeclared {
        /// What it lists, `name@channel/arch,...`.
        declared: Vec<String>,
    },
}

/// Checks `<charm>/manifest.yaml` against `base` on this machine.
pub fn check(charm_dir: &Path, base: &Base) -> Result<(), Mismatch> {
    let text = match std::fs::read_to_string(charm_dir.join("manifest.yaml")) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Mismatch::NoManifest),
        Err(e) => return Err(Mismatch::Malformed(e.to_string())),
    };
    let manifest: RawManifest =
        serde_norway::from_str(&text).map_err(|e| Mismatch::Malformed(e.to_string()))?;
    let arch = host_architecture();
    let fits = manifest.bases.iter().any(|b| {
        b.name == base.name
            && b.channel == base.channel
            && (b.architectures.is_empty() || b.architectures.iter().any(|a| a == arch))
    });
    if fits {
        return Ok(());
    }
    let declared = manifest
        .bases
        .iter()
        .map(|b| format!("{}@{}/{}", b.name, b.channel, b.architectures.join("+")))
        .collect();
    Err(Mismatch::NotDeclared { declared })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("manifest.yaml"), text).unwrap();
        dir
    }

    #[test]
    fn the_model_base_must_be_declared_for_this_architecture() {
        let base = Base::default();
        let arch = host_architecture();
        let ok = manifest(&format!(
            "bases:\n- name: ubuntu\n  channel: '22.04'\n  architectures: [{arch}]\n"
        ));
        assert_eq!(check(ok.path(), &base), Ok(()));
        let other = manifest("bases:\n- name: ubuntu\n  channel: '20.04'\n");
        assert!(matches!(
            check(other.path(), &base),
            Err(Mismatch::NotDeclared { .. })
        ));
        let wrong_arch =
            manifest("bases:\n- name: ubuntu\n  channel: '22.04'\n  architectures: [s390x-no]\n");
        assert!(check(wrong_arch.path(), &base).is_err());
        let none = tempfile::tempdir().unwrap();
        assert_eq!(check(none.path(), &base), Err(Mismatch::NoManifest));
        assert_eq!(
            "ubuntu@24.04".parse::<Base>().unwrap().to_string(),
            "ubuntu@24.04"
        );
        assert!("ubuntu".parse::<Base>().is_err());
    }
}
