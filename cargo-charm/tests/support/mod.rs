//! What the packing tests of `cargo-charm` and `kafka-examples` share: the
//! tools `scripts/charm-tools.sh` installs on first use (charmcraft,
//! cargo-zigbuild and zig in a virtualenv under `target/`, debootstrap), a
//! Debian 11 root filesystem, and stand-in hook tools. A tool that cannot
//! be installed fails the test.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("a crate of the workspace")
        .to_path_buf()
}

/// The virtualenv of charmcraft, cargo-zigbuild and ziglang, installed by
/// `scripts/charm-tools.sh` on first use (with debootstrap).
pub fn tools_bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let out = run_ok(&mut Command::new(
            workspace().join("scripts/charm-tools.sh"),
        ));
        let bin = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        for tool in ["charmcraft", "cargo-zigbuild", "python-zig"] {
            assert!(
                bin.join(tool).is_file(),
                "{} is missing",
                bin.join(tool).display()
            );
        }
        bin
    })
    .clone()
}

/// `PATH` with the tools first.
pub fn path_with_tools() -> std::ffi::OsString {
    let mut dirs = vec![tools_bin()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).expect("PATH")
}

/// cargo's target directory for charms built by the tests, kept between
/// runs so that only the first one builds the dependencies.
pub fn charm_target_dir() -> PathBuf {
    workspace().join("target/charm-crates")
}

/// Runs `cmd`, failing the test with its output unless it succeeds.
pub fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({})\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `charmcraft analyse` of `archive`: fails the test on any lint of
/// result `error` or `fatal` (charmcraft's exit status 2 and 1; 3 is for
/// warnings). Returns the lints as (name, result).
pub fn charmcraft_analyse(archive: &Path) -> Vec<(String, String)> {
    let mut cmd = Command::new(tools_bin().join("charmcraft"));
    cmd.args(["analyse", "--format=json"])
        .arg(archive)
        .env("PATH", path_with_tools());
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{cmd:?}: {}\n{stdout}\n{stderr}",
        out.status
    );
    let lints: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("charmcraft analyse printed no JSON ({e}): {stdout}{stderr}"));
    let lints: Vec<(String, String)> = lints
        .as_array()
        .expect("a list of lints")
        .iter()
        .map(|l| {
            let field = |k: &str| l[k].as_str().unwrap_or_default().to_string();
            (field("name"), field("result"))
        })
        .collect();
    let bad: Vec<_> = lints
        .iter()
        .filter(|(_, r)| r == "error" || r == "fatal")
        .collect();
    assert!(
        bad.is_empty(),
        "charmcraft analyse {}: {bad:?}",
        archive.display()
    );
    lints
}

/// `charmcraft expand-extensions` in `project`: charmcraft validates its
/// `charmcraft.yaml`. Returns the expanded YAML.
pub fn charmcraft_expand(project: &Path) -> String {
    let out = run_ok(
        Command::new(tools_bin().join("charmcraft"))
            .arg("expand-extensions")
            .current_dir(project)
            .env("PATH", path_with_tools()),
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A Debian 11 root filesystem (glibc 2.31, as Ubuntu 20.04), made with
/// debootstrap on first use and kept under `target/`.
pub fn debian_11() -> PathBuf {
    let root = workspace().join("target/debian-11-rootfs");
    if root.join("usr/bin/env").is_file() {
        return root;
    }
    tools_bin(); // installs debootstrap
    let tmp = workspace().join("target/debian-11-rootfs.tmp");
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).expect("remove a partial root filesystem");
    }
    run_ok(
        Command::new("debootstrap")
            .args(["--variant=minbase", "bullseye"])
            .arg(&tmp),
    );
    std::fs::rename(&tmp, &root).expect("keep the root filesystem");
    root
}

/// The hook tools a hook may call, as one shell script under every name:
/// it appends `<tool> <args>` to `/tmp/calls.log` and answers config,
/// leadership and relation reads with `config` and empty values.
pub fn install_stub_tools(root: &Path, dir: &str, config: &str) {
    let stubs = root.join(dir.trim_start_matches('/'));
    if stubs.exists() {
        std::fs::remove_dir_all(&stubs).unwrap();
    }
    std::fs::create_dir_all(&stubs).unwrap();
    let script = format!(
        "#!/bin/sh\nname=$(basename \"$0\")\necho \"$name $*\" >> /tmp/calls.log\n\
         case \"$name\" in\n  config-get) echo '{config}' ;;\n  is-leader) echo true ;;\n  \
         leader-get|action-get) echo '{{}}' ;;\n  relation-ids|opened-ports) echo '[]' ;;\nesac\n"
    );
    let tool = stubs.join("tool");
    std::fs::write(&tool, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    for name in juju_sim::tool::TOOL_NAMES {
        std::os::unix::fs::symlink("tool", stubs.join(name)).unwrap();
    }
}
