//! `cargo charm build`: a release build of the charm's executable that
//! runs on every base it declares.
//!
//! With `cargo-zigbuild` on `PATH` (and zig, or Python's `ziglang`
//! package), the executable is linked against the oldest glibc among the
//! bases (`--target x86_64-unknown-linux-gnu.2.31` for Ubuntu 20.04);
//! without it, cargo links against the build machine's glibc. Either way
//! the executable's required `GLIBC_*` versions are then read and checked
//! against every base ([`crate::glibc::check`]).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::charmcraft::Project;
use crate::elf::{self, Executable, GlibcVersion};
use crate::error::{Error, Result};
use crate::glibc;
use crate::progress::Progress;

/// Whether to link against an older glibc with cargo-zigbuild.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Zig {
    /// When `cargo-zigbuild` is on `PATH`.
    #[default]
    Auto,
    /// Always (fails without cargo-zigbuild).
    Always,
    /// Never: plain `cargo build`.
    Never,
}

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The crate's `Cargo.toml` (default: the one in the charm folder).
    pub manifest_path: Option<PathBuf>,
    /// The executable to build, when the crate has several.
    pub bin: Option<String>,
    /// cargo-zigbuild or not.
    pub zig: Zig,
    /// cargo's target directory (default: cargo's own choice).
    pub target_dir: Option<PathBuf>,
    /// Progress output.
    pub progress: Progress,
}

/// A built charm executable.
#[derive(Debug, Clone)]
pub struct Built {
    /// Where it is.
    pub path: PathBuf,
    /// What it needs (architecture, glibc versions).
    pub executable: Executable,
    /// The glibc it was linked against, when built with cargo-zigbuild.
    pub glibc_target: Option<GlibcVersion>,
}

/// Builds `project`'s executable in release mode and checks it against
/// every declared base.
pub fn build(project: &Project, options: &BuildOptions) -> Result<Built> {
    let charmcraft = project.dir.join("charmcraft.yaml");
    let oldest = glibc::oldest(&project.bases, &charmcraft)?;
    let zigbuild = match options.zig {
        Zig::Never => None,
        Zig::Auto => find_on_path("cargo-zigbuild"),
        Zig::Always => Some(find_on_path("cargo-zigbuild").ok_or_else(|| Error::Spawn {
            command: "cargo-zigbuild".into(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not on PATH (pip install cargo-zigbuild ziglang)",
            ),
        })?),
    };
    let manifest =
        (options.manifest_path.clone()).unwrap_or_else(|| project.dir.join("Cargo.toml"));
    let mut cmd;
    let glibc_target = match zigbuild {
        Some(zigbuild) => {
            cmd = Command::new(zigbuild);
            cmd.arg("zigbuild");
            let host = host_triple()?;
            cmd.arg("--target")
                .arg(format!("{host}.{}.{}", oldest.0, oldest.1));
            Some(oldest)
        }
        None => {
            cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
            cmd.arg("build");
            None
        }
    };
    cmd.args(["--release", "--message-format=json-render-diagnostics"])
        .arg("--manifest-path")
        .arg(&manifest);
    if let Some(bin) = &options.bin {
        cmd.args(["--bin", bin]);
    }
    if let Some(dir) = &options.target_dir {
        cmd.arg("--target-dir").arg(dir);
    }
    let against = match glibc_target {
        Some((a, b)) => format!("against glibc {a}.{b} with cargo-zigbuild"),
        None => "with cargo, against this machine's glibc".to_string(),
    };
    let step = options
        .progress
        .step(format_args!("building {} {against}", project.name));
    let stdout = run_captured(cmd)?;
    let path = pick_executable(&stdout, &manifest, options.bin.as_deref(), &project.name)?;
    let executable = elf::read(&path)?;
    glibc::check(&path, &executable, &project.bases)?;
    step.done(format_args!("{}", path.display()));
    Ok(Built {
        path,
        executable,
        glibc_target,
    })
}

/// Runs `cmd` with stderr shown, returning its stdout.
pub(crate) fn run_captured(mut cmd: Command) -> Result<String> {
    let command = format!("{cmd:?}").replace('"', "");
    let output = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|source| Error::Spawn {
            command: command.clone(),
            source,
        })?;
    if !output.status.success() {
        return Err(Error::Command {
            command,
            status: output.status,
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `rustc`'s host triple (`x86_64-unknown-linux-gnu`).
fn host_triple() -> Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
    let mut cmd = Command::new(rustc);
    cmd.arg("-vV");
    let out = run_captured(cmd)?;
    out.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_string)
        .ok_or_else(|| Error::NoExecutable {
            reason: "`rustc -vV` printed no host triple".into(),
        })
}

/// The executable a build of `manifest`'s package produced, from cargo's
/// JSON messages: `bin` if given, else the only one, else the one named
/// after the charm.
pub fn pick_executable(
    messages: &str,
    manifest: &Path,
    bin: Option<&str>,
    charm: &str,
) -> Result<PathBuf> {
    let manifest = manifest.canonicalize().unwrap_or_else(|_| manifest.into());
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for line in messages.lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-artifact" {
            continue;
        }
        let from = msg["manifest_path"].as_str().map(PathBuf::from);
        let ours = from.is_some_and(|m| m.canonicalize().unwrap_or(m) == manifest);
        if let (true, Some(exe), Some(name)) = (
            ours,
            msg["executable"].as_str(),
            msg["target"]["name"].as_str(),
        ) {
            found.push((name.to_string(), PathBuf::from(exe)));
        }
    }
    let wanted = bin.unwrap_or(charm);
    if let Some((_, path)) = found.iter().find(|(n, _)| n == wanted) {
        return Ok(path.clone());
    }
    match (bin, found.as_slice()) {
        (None, [(_, only)]) => Ok(only.clone()),
        _ => Err(Error::NoExecutable {
            reason: format!(
                "{} built {} executable(s) [{}]; name the charm's with --bin",
                manifest.display(),
                found.len(),
                found
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_charms_executable_is_picked_from_cargos_messages() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join("Cargo.toml");
        std::fs::write(&manifest, "").unwrap();
        let m = manifest.display();
        let line = |name: &str, exe: &str| {
            format!(
                r#"{{"reason":"compiler-artifact","manifest_path":"{m}","target":{{"name":"{name}"}},"executable":"{exe}"}}"#
            )
        };
        let lib = r#"{{"reason":"compiler-artifact","manifest_path":"/x/Cargo.toml","target":{{"name":"dep"}},"executable":"/x/dep"}}"#.to_string();
        let one = [lib.clone(), line("web", "/t/web")].join("\n");
        assert_eq!(
            pick_executable(&one, &manifest, None, "other").unwrap(),
            Path::new("/t/web")
        );
        let two = [line("web", "/t/web"), line("tool", "/t/tool")].join("\n");
        assert_eq!(
            pick_executable(&two, &manifest, None, "web").unwrap(),
            Path::new("/t/web")
        );
        let err = pick_executable(&two, &manifest, None, "x")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("2 executable(s) [web, tool]") && err.contains("--bin"),
            "{err}"
        );
    }
}
