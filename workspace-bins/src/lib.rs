//! # workspace-bins
//!
//! The workspace's programs that run other executables of the workspace
//! (the demo runs the charms, the conformance suite and the benchmark run
//! the charms and juju-sim's hook tool) find and build them here, in the
//! cargo profile of the running executable: `cargo run --release` uses
//! `target/release`, a test binary in `target/debug/deps` uses
//! `target/debug`.
//!
//! - [`profile_dir`]: the profile directory of the running executable;
//! - [`Build`]: the `cargo build` that puts executables there;
//! - [`missing`]: which of some executables are not there;
//! - [`locate`]: one executable, named by an environment variable or next
//!   to the running one.
//!
//! ```
//! use std::path::Path;
//! use workspace_bins::Build;
//!
//! let build = Build::new(Path::new("/w/Cargo.toml"), Path::new("/w/target/release"))
//!     .package("kafka-examples")
//!     .bins();
//! assert_eq!(
//!     build.command_line(),
//!     "cargo build --manifest-path /w/Cargo.toml --release -p kafka-examples --bins \
//!      --target-dir /w/target"
//! );
//! ```

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The directory of the running executable's cargo profile (`target/debug`
/// for `target/debug/deps/probe-1234` or `target/debug/examples/x`).
pub fn profile_dir() -> std::io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let mut dir = exe
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| std::io::Error::other("the running executable has no directory"))?;
    if dir
        .file_name()
        .is_some_and(|n| n == "deps" || n == "examples")
    {
        if let Some(parent) = dir.parent() {
            dir = parent.to_path_buf();
        }
    }
    Ok(dir)
}

/// The cargo profile a profile directory belongs to: `dev` for `debug`,
/// else the directory's name.
#[must_use]
pub fn profile_of(profile_dir: &Path) -> String {
    match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev".to_string(),
        Some(other) => other.to_string(),
    }
}

/// A `cargo build` of some packages of the workspace into a profile
/// directory (its profile from the directory's name, its target directory
/// the parent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    manifest: PathBuf,
    profile_dir: PathBuf,
    args: Vec<String>,
}

impl Build {
    /// A build with the workspace manifest `manifest` into `profile_dir`.
    #[must_use]
    pub fn new(manifest: &Path, profile_dir: &Path) -> Build {
        Build {
            manifest: manifest.to_path_buf(),
            profile_dir: profile_dir.to_path_buf(),
            args: Vec::new(),
        }
    }

    /// Builds package `name` (its default targets unless narrowed).
    #[must_use]
    pub fn package(mut self, name: &str) -> Build {
        self.args.extend(["-p".to_string(), name.to_string()]);
        self
    }

    /// Builds executable `name` of the packages.
    #[must_use]
    pub fn bin(mut self, name: &str) -> Build {
        self.args.extend(["--bin".to_string(), name.to_string()]);
        self
    }

    /// Builds every executable of the packages.
    #[must_use]
    pub fn bins(mut self) -> Build {
        self.args.push("--bins".to_string());
        self
    }

    /// Quiets cargo's progress.
    #[must_use]
    pub fn quiet(mut self) -> Build {
        self.args.push("--quiet".to_string());
        self
    }

    fn arguments(&self) -> Vec<OsString> {
        let mut a: Vec<OsString> = vec!["build".into(), "--manifest-path".into()];
        a.push(self.manifest.clone().into_os_string());
        match profile_of(&self.profile_dir).as_str() {
            "dev" => {}
            "release" => a.push("--release".into()),
            other => a.extend(["--profile".into(), other.into()]),
        }
        a.extend(self.args.iter().map(OsString::from));
        if let Some(target) = self.profile_dir.parent() {
            a.push("--target-dir".into());
            a.push(target.as_os_str().to_os_string());
        }
        a
    }

    /// The command, with `$CARGO` (the cargo running this program) or
    /// `cargo`.
    #[must_use]
    pub fn command(&self) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args(self.arguments());
        cmd
    }

    /// The command line, for messages (`cargo build ...`).
    #[must_use]
    pub fn command_line(&self) -> String {
        let mut line = String::from("cargo");
        for a in self.arguments() {
            line.push(' ');
            line.push_str(&a.to_string_lossy());
        }
        line
    }
}

/// Those of `names` that are not files in `dir`.
#[must_use]
pub fn missing(dir: &Path, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .filter(|n| !dir.join(n).is_file())
        .map(|n| n.to_string())
        .collect()
}

/// Finds executable `name`: the path in environment variable `env` if
/// set, else next to the running executable or in one of its ancestor
/// directories (a test binary in `target/debug/deps` finds one in
/// `target/debug`). On failure, the paths searched.
pub fn locate(name: &str, env: &str) -> Result<PathBuf, Vec<PathBuf>> {
    let mut searched = Vec::new();
    if let Some(explicit) = std::env::var_os(env) {
        let path = PathBuf::from(explicit);
        if path.is_file() {
            return Ok(path);
        }
        searched.push(path);
    }
    if let Ok(exe) = std::env::current_exe() {
        for dir in exe.ancestors().skip(1).take(4) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
            searched.push(candidate);
        }
    }
    Err(searched)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(dir: &str) -> String {
        Build::new(Path::new("/w/Cargo.toml"), Path::new(dir))
            .package("p")
            .bin("b")
            .command_line()
    }

    #[test]
    fn the_build_follows_the_profile_directory() {
        assert_eq!(
            line("/t/debug"),
            "cargo build --manifest-path /w/Cargo.toml -p p --bin b --target-dir /t"
        );
        assert!(line("/t/release").contains(" --release -p p"));
        assert!(line("/t/bench-fast").contains(" --profile bench-fast -p p"));
    }

    #[test]
    fn missing_executables_are_listed() {
        let dir = std::env::temp_dir().join("workspace-bins-none-here");
        assert_eq!(missing(&dir, &["a", "b"]), ["a", "b"]);
    }

    #[test]
    fn an_unknown_executable_names_the_places_searched() {
        let searched = locate("no-such-executable-here", "WORKSPACE_BINS_UNSET_VAR").unwrap_err();
        assert!(!searched.is_empty());
        assert!(searched
            .iter()
            .all(|p| p.ends_with("no-such-executable-here")));
    }
}
