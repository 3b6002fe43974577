//! The executables a run needs: the Rust charms and the simulator's hook
//! tool, built once per process with the running executable's cargo
//! profile (so `cargo test -p conformance` alone, which builds neither the
//! other packages' binaries nor this one's for `cargo run`, still runs
//! fresh ones).

use std::path::PathBuf;
use std::sync::OnceLock;

use workspace_bins::Build;

use crate::charms::{CHARMS, INTEROP_CHARMS};
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
    /// The binaries, built on first use: every Rust charm of [`CHARMS`]
    /// and [`INTEROP_CHARMS`], and `juju-sim-tool`.
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
    let mut build = Build::new(&workspace_root().join("Cargo.toml"), &dir)
        .quiet()
        .package("juju-sim")
        .bin(juju_sim::TOOL_BIN);
    for charm in CHARMS.iter().map(|c| &c.rust).chain(INTEROP_CHARMS) {
        build = build.package(charm.package).bin(charm.bin);
    }
    let command = build.command_line();
    let out = Error::output(build.command().current_dir(workspace_root()), &command)?;
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
