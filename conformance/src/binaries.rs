//! The executables a run needs: the Rust charms and the simulator's hook
//! tool, built once per process with the running executable's cargo
//! profile (so `cargo test -p conformance` alone, which builds neither the
//! other packages' binaries nor this one's for `cargo run`, still runs
//! fresh ones).

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use crate::charms::CHARMS;
use crate::error::{tail, Error};
use crate::paths::{profile_dir, target_dir, workspace_root};

/// The environment variable that skips the build: the binaries are taken
/// as they are in the profile directory.
pub const NO_BUILD_ENV: &str = "CONFORMANCE_NO_BUILD";

/// Where the built binaries are.
#[derive(Debug, Clone)]
pub struct Binaries {
    dir: PathBuf,
}

impl Binaries {
    /// The binaries, built on first use: every Rust charm of
    /// [`CHARMS`] and `juju-sim-tool`.
    pub fn get() -> Result<&'static Binaries, Error> {
        static BUILT: OnceLock<Result<Binaries, String>> = OnceLock::new();
        BUILT
            .get_or_init(|| build().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::Setup(e.clone()))
    }

    /// The path of binary `name`.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The simulator's hook tool.
    pub fn tool(&self) -> PathBuf {
        self.path(juju_sim::TOOL_BIN)
    }
}

fn build() -> Result<Binaries, Error> {
    let dir = profile_dir().unwrap_or_else(|| target_dir().join("debug"));
    if std::env::var_os(NO_BUILD_ENV).is_some_and(|v| !v.is_empty()) {
        return Ok(Binaries { dir });
    }
    let profile = match dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev".to_string(),
        Some(other) => other.to_string(),
    };
    let target = dir
        .parent()
        .map_or_else(target_dir, std::path::Path::to_path_buf);
    let mut args: Vec<String> = vec![
        "build".into(),
        "--quiet".into(),
        "--profile".into(),
        profile,
        "--target-dir".into(),
        target.display().to_string(),
        "-p".into(),
        "juju-sim".into(),
        "--bin".into(),
        juju_sim::TOOL_BIN.into(),
    ];
    for charm in CHARMS {
        args.extend(["-p".into(), charm.rust.package.into()]);
        args.extend(["--bin".into(), charm.rust.bin.into()]);
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let command = format!("{} {}", cargo.to_string_lossy(), args.join(" "));
    let out = Error::output(
        Command::new(&cargo)
            .args(&args)
            .current_dir(workspace_root()),
        &command,
    )?;
    if !out.status.success() {
        return Err(Error::Build {
            what: "the charm binaries and juju-sim-tool".into(),
            command,
            status: out.status.to_string(),
            stderr: tail(&String::from_utf8_lossy(&out.stderr), 40),
        });
    }
    Ok(Binaries { dir })
}
