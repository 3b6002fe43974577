//! The sled fixes reach every charm: a charm crate in a workspace of its
//! own, depending on reactive-core by path or by git (as a charm outside
//! this repository does), builds the patched sled in `vendor/sled`, not
//! sled from crates.io. `[patch.crates-io]` would apply only inside this
//! repository's workspace.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repository root")
        .to_path_buf()
}

/// A charm crate with its own `[workspace]`, outside this repository,
/// depending on reactive-core as `dependency` says (`path = ...`), with
/// this repository's lock file so that it resolves the same versions
/// offline.
fn standalone_charm(dir: &Path, dependency: &str) -> PathBuf {
    let charm = dir.join("standalone-charm");
    std::fs::create_dir_all(charm.join("src")).expect("charm dir");
    std::fs::write(
        charm.join("Cargo.toml"),
        format!(
            "[package]\nname = \"standalone-charm\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nreactive-core = {{ {dependency} }}\n\n[workspace]\n"
        ),
    )
    .expect("manifest");
    std::fs::write(
        charm.join("src/main.rs"),
        "fn main() {\n    reactive_core::main()\n}\n",
    )
    .expect("main.rs");
    std::fs::copy(repo().join("Cargo.lock"), charm.join("Cargo.lock")).expect("lock file");
    charm
}

fn cargo(charm: &Path, args: &[&str]) -> Vec<u8> {
    cargo_with(charm, args, true)
}

/// Runs cargo in `charm`, offline unless it must fetch a git dependency.
fn cargo_with(charm: &Path, args: &[&str], offline: bool) -> Vec<u8> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // A target directory of its own (the running `cargo test` holds this
    // workspace's), kept between runs so that a rerun only checks.
    let target = repo().join("target").join("standalone-charm");
    let out = Command::new(&cargo)
        .args(args)
        .args(offline.then_some("--offline"))
        .current_dir(charm)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("running {cargo}: {e}"));
    assert!(
        out.status.success(),
        "cargo {args:?} in {} failed:\n{}",
        charm.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn a_charm_in_its_own_workspace_builds_the_patched_sled() {
    let dir = tempfile::tempdir().expect("temp dir");
    let core = repo().join("reactive-core");
    let charm = standalone_charm(
        dir.path(),
        &format!("path = {:?}", core.display().to_string()),
    );
    let vendored = repo().join("vendor/sled/Cargo.toml");

    let messages = cargo(&charm, &["check", "--message-format=json"]);
    let artifacts: Vec<Value> = messages
        .split(|b| *b == b'\n')
        .filter_map(|l| serde_json::from_slice::<Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .collect();
    let sleds: Vec<&Value> = artifacts
        .iter()
        .filter(|m| m["target"]["name"] == "sled")
        .collect();
    assert_eq!(sleds.len(), 1, "one sled in the charm's build: {sleds:?}");
    assert_eq!(
        sleds[0]["manifest_path"].as_str().map(PathBuf::from),
        Some(vendored),
        "the charm's sled is the patched copy: {}",
        sleds[0]
    );
    let id = sleds[0]["package_id"].as_str().unwrap_or_default();
    assert!(id.starts_with("path+file://"), "not from a registry: {id}");
    assert!(
        artifacts
            .iter()
            .any(|m| m["target"]["name"] == "standalone-charm"),
        "the charm itself is built"
    );
}

/// By git, the charm resolves sled inside the same checkout of this
/// repository (the committed `HEAD`), not from crates.io.
#[test]
fn a_charm_depending_on_reactive_core_by_git_gets_the_patched_sled() {
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(repo())
        .output()
        .expect("running git");
    assert!(
        head.status.success(),
        "the repository must be a git checkout"
    );
    let rev = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let url = format!("file://{}", repo().display());
    let dir = tempfile::tempdir().expect("temp dir");
    let charm = standalone_charm(dir.path(), &format!("git = {url:?}, rev = {rev:?}"));
    // Fetching from a local repository needs no network, but cargo refuses
    // any git fetch when offline.
    let tree = cargo_with(&charm, &["tree", "-i", "sled", "-e", "normal"], false);
    let tree = String::from_utf8_lossy(&tree);
    let first = tree.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!("sled v0.34.7 ({url}?rev={rev}#{})", &rev[..8]),
        "sled comes from the same checkout:\n{tree}"
    );
}
