//! The check Juju makes at deploy time: the charm's `manifest.yaml` must
//! declare the model's base (name and channel) and, when it lists
//! architectures, the machine's. The bases themselves are
//! [`juju_charm`]'s.
//!
//! ```yaml
//! bases:
//! - name: ubuntu
//!   channel: '22.04'
//!   architectures: [amd64]
//! ```

use std::error::Error as _;
use std::path::Path;

use juju_charm::Manifest;
pub use juju_charm::{host_architecture, Base, BaseError};

/// The base of a model created without `--base`.
pub fn default_base() -> Base {
    Base {
        name: "ubuntu".into(),
        channel: "22.04".into(),
        architectures: Vec::new(),
    }
}

/// Why a charm cannot be deployed on the model's base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// `manifest.yaml` is missing.
    NoManifest,
    /// It cannot be read or Juju refuses it (the error and its causes).
    Malformed(String),
    /// It does not list the base (with this architecture).
    NotDeclared {
        /// What it lists, `name@channel/arch,...`.
        declared: Vec<String>,
    },
}

/// Checks `<charm>/manifest.yaml` against `base` on this machine.
pub fn check(charm_dir: &Path, base: &Base) -> Result<(), Mismatch> {
    let path = charm_dir.join("manifest.yaml");
    if !path.exists() {
        return Err(Mismatch::NoManifest);
    }
    let manifest = Manifest::load(&path).map_err(|e| {
        let mut text = e.to_string();
        let mut cause = e.source();
        while let Some(c) = cause {
            text.push_str(&format!(": {c}"));
            cause = c.source();
        }
        Mismatch::Malformed(text)
    })?;
    if manifest.declares(base, host_architecture()) {
        return Ok(());
    }
    let declared = manifest
        .bases
        .iter()
        .map(|b| format!("{b}/{}", b.architectures.join("+")))
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
        let base = default_base();
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
        assert_eq!(default_base().to_string(), "ubuntu@22.04");
        assert!("ubuntu".parse::<Base>().is_err());
    }
}
