//! `cargo charm new NAME`: a charm crate that builds, passes its own unit
//! test and packs at once. Its `build.rs` links every dependency, named in
//! the code or not, so that interface crates always register their
//! handlers.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where the new charm's `reactive-core` comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReactiveCore {
    /// A version from the registry (`0.1`).
    Version(String),
    /// A local checkout of the crate (its folder).
    Path(PathBuf),
}

impl Default for ReactiveCore {
    fn default() -> ReactiveCore {
        ReactiveCore::Version(env!("CARGO_PKG_VERSION").to_string())
    }
}

impl ReactiveCore {
    /// The dependency as a TOML inline table, with `features`.
    fn toml(&self, features: &[&str]) -> String {
        let features = match features {
            [] => String::new(),
            f => format!(
                ", features = [{}]",
                f.iter()
                    .map(|f| format!("\"{f}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        match self {
            ReactiveCore::Version(v) => format!("{{ version = \"{v}\"{features} }}"),
            ReactiveCore::Path(p) => {
                format!("{{ path = {:?}{features} }}", p.display().to_string())
            }
        }
    }
}

/// How `cargo charm new` writes the charm.
#[derive(Debug, Clone, Default)]
pub struct NewOptions {
    /// `metadata.yaml`, `config.yaml` and `actions.yaml` beside
    /// `charmcraft.yaml` instead of in it.
    pub separate_yaml: bool,
    /// The `reactive-core` dependency.
    pub reactive_core: ReactiveCore,
}

/// How charmcraft builds the executable: the crate's folder (relative to
/// the charm's) and the cargo arguments naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateBuild {
    /// `source:` of the `charm` part.
    pub source: String,
    /// Extra `cargo build` arguments (`-p pkg --bin exe`), or empty.
    pub cargo_args: String,
    /// The executable's name under `target/release`.
    pub bin: String,
}

impl CrateBuild {
    /// The charm's own crate, in the charm folder.
    pub fn own(name: &str) -> CrateBuild {
        CrateBuild {
            source: ".".into(),
            cargo_args: String::new(),
            bin: name.into(),
        }
    }
}

/// Checks a charm name as Juju does: lowercase letters, digits and single
/// hyphens, starting with a letter, no part after a hyphen all digits.
pub fn check_name(name: &str) -> Result<()> {
    let bad = |reason| {
        Err(Error::Name {
            name: name.to_string(),
            reason,
        })
    };
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return bad("it must start with a lowercase letter");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return bad("only lowercase letters, digits and hyphens are allowed");
    }
    if name
        .split('-')
        .any(|p| p.is_empty() || p.chars().all(|c| c.is_ascii_digit()))
    {
        return bad("each part between hyphens needs a letter");
    }
    Ok(())
}

fn fill(template: &str, name: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = template.replace("{{name}}", name);
    for (key, value) in pairs {
        out = out.replace(&format!("{{{{{key}}}}}"), value);
    }
    out
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("  {l}\n")
            }
        })
        .collect()
}

/// The `metadata.yaml`, `config.yaml` and `actions.yaml` of a new charm.
pub fn yaml_files(name: &str) -> [(&'static str, String); 3] {
    [
        (
            "metadata.yaml",
            fill(include_str!("templates/metadata.yaml.txt"), name, &[]),
        ),
        (
            "config.yaml",
            fill(include_str!("templates/config.yaml.txt"), name, &[]),
        ),
        (
            "actions.yaml",
            fill(include_str!("templates/actions.yaml.txt"), name, &[]),
        ),
    ]
}

/// The `charmcraft.yaml` `cargo charm new` writes: bases Ubuntu 20.04,
/// 22.04 and 24.04, a part that builds the executable with cargo, and,
/// with `embedded`, the metadata, config and actions (`metadata` is the
/// text of `metadata.yaml`, and so on).
pub fn charmcraft_yaml(build: &CrateBuild, embedded: Option<[&str; 3]>) -> String {
    let args = if build.cargo_args.is_empty() {
        String::new()
    } else {
        format!(" {}", build.cargo_args)
    };
    let parts = fill(
        include_str!("templates/parts.yaml.txt"),
        "",
        &[
            ("source", &build.source),
            ("cargo_args", &args),
            ("bin", &build.bin),
        ],
    );
    let mut out = String::from(
        "# `cargo charm pack` packs this charm; so does `charmcraft pack`, whose\n\
         # `charm` part below builds the executable with cargo.\n",
    );
    match embedded {
        None => out.push_str(&parts),
        Some([metadata, config, actions]) => {
            out.push_str(metadata);
            out.push_str(&parts);
            out.push_str("config:\n");
            out.push_str(&indent(config));
            if !actions.trim().is_empty() {
                out.push_str("actions:\n");
                out.push_str(&indent(actions));
            }
        }
    }
    out
}

/// Creates the charm `name` in `parent/name`, returning its folder.
pub fn new_charm(parent: &Path, name: &str, options: &NewOptions) -> Result<PathBuf> {
    check_name(name)?;
    let dir = parent.join(name);
    if dir.exists() {
        return Err(Error::Exists { path: dir });
    }
    let yaml = yaml_files(name);
    let build = CrateBuild::own(name);
    let mut files: Vec<(String, String)> = Vec::new();
    let yaml_note = if options.separate_yaml {
        files.extend(yaml.iter().map(|(f, t)| (f.to_string(), t.clone())));
        files.push(("charmcraft.yaml".into(), charmcraft_yaml(&build, None)));
        "`metadata.yaml`, `config.yaml` and `actions.yaml`"
    } else {
        let texts = [yaml[0].1.as_str(), yaml[1].1.as_str(), yaml[2].1.as_str()];
        files.push((
            "charmcraft.yaml".into(),
            charmcraft_yaml(&build, Some(texts)),
        ));
        "`charmcraft.yaml`"
    };
    let flag = name.replace('-', "_");
    let core = options.reactive_core.toml(&[]);
    let core_testing = options.reactive_core.toml(&["testing"]);
    let pairs = [
        ("flag", flag.as_str()),
        ("reactive_core", core.as_str()),
        ("reactive_core_testing", core_testing.as_str()),
        ("yaml_files", yaml_note),
    ];
    for (file, template) in [
        ("Cargo.toml", include_str!("templates/Cargo.toml.txt")),
        ("src/main.rs", include_str!("templates/main.rs.txt")),
        ("build.rs", include_str!("templates/build.rs.txt")),
        ("README.md", include_str!("templates/README.md.txt")),
        (".gitignore", "/target\n*.charm\n"),
    ] {
        files.push((file.into(), fill(template, name, &pairs)));
    }
    let tmp = parent.join(format!(".{name}.new"));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(Error::io(&tmp))?;
    }
    for (file, text) in files {
        let path = tmp.join(file);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(Error::io(dir))?;
        }
        fs::write(&path, text).map_err(Error::io(&path))?;
    }
    fs::rename(&tmp, &dir).map_err(Error::io(&dir))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_as_juju_does() {
        for ok in ["web", "my-app2", "a-b-c"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in ["Web", "2web", "web--x", "web-", "web-2", "we_b"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_unified_charmcraft_yaml_holds_the_metadata_config_and_actions() {
        let dir = tempfile::tempdir().unwrap();
        let charm = new_charm(dir.path(), "web", &NewOptions::default()).unwrap();
        let project = crate::charmcraft::Project::load(&charm).unwrap();
        assert_eq!(project.name, "web");
        assert_eq!(project.bases.len(), 3);
        let config = String::from_utf8(project.config.unwrap()).unwrap();
        assert!(config.contains("greeting"), "{config}");
        assert!(project.actions.is_some());
        assert!(!charm.join("metadata.yaml").exists());
        let err = new_charm(dir.path(), "web", &NewOptions::default()).unwrap_err();
        assert!(err.to_string().ends_with("web already exists"), "{err}");
    }
}
