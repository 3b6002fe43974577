//! The sled fixes reach every charm: a charm crate in a workspace of its
//! own, depending on reactive-core by path (as a charm outside this
//! repository does; a git dependency resolves the same manifest), builds
//! the patched sled in `vendor/sled`, not sled from crates.io.
//! `[patch.crates-io]` would apply only inside this repository's workspace.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repository root")
        .to_path_buf()
}

/// A charm crate with its own `[workspace]`, outside this repository, with
/// this repository's lock file so that it resolves the same versions
/// offline.
fn standalone_charm(dir: &Path) -> PathBuf {
    let charm = dir.join("standalone-charm");
    std::fs::create_dir_all(charm.join("src")).expect("charm dir");
    let core = repo().join("reactive-core");
    std::fs::write(
        charm.join("Cargo.toml"),
        format!(
            "[package]\nname = \"standalone-charm\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nreactive-core = {{ path = {:?} }}\n\n[workspace]\n",
            core.display().to_string()
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
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // A target directory of its own (the running `cargo test` holds this
    // workspace's), kept between runs so that a rerun only checks.
    let target = repo().join("target").join("standalone-charm");
    let out = Command::new(&cargo)
        .args(args)
        .arg("--offline")
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
    let charm = standalone_charm(dir.path());
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
