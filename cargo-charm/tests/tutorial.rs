//! The README's tutorial, as a charm author runs it: `cargo charm new`,
//! the charm's own unit test, `cargo charm pack` (built against glibc 2.31
//! with cargo-zigbuild, for Ubuntu 20.04 to 24.04), and `cargo charm
//! deploy` into juju-sim, where the unit goes active.

mod support;

use std::path::Path;
use std::process::Command;

use support::{charm_target_dir, path_with_tools, run_ok, workspace};

fn cargo_charm(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-charm"));
    cmd.arg("charm")
        .current_dir(dir)
        .env("PATH", path_with_tools())
        .env("CARGO_TARGET_DIR", charm_target_dir());
    cmd
}

/// A fresh charm named `name` in a new folder under cargo's test
/// directory, depending on this workspace's reactive-core, with the
/// workspace's lock file so that its dependencies are the workspace's
/// (built once in the shared target directory).
fn new_charm(name: &str, extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let parent = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    run_ok(
        cargo_charm(parent.path())
            .args(["new", name, "--reactive-core-path"])
            .arg(workspace().join("reactive-core"))
            .args(extra),
    );
    let dir = parent.path().join(name);
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    (parent, dir)
}

#[test]
fn new_test_pack_deploy_leaves_the_unit_active() {
    let (_keep, dir) = new_charm("hello-web", &[]);

    // The charm's own unit test passes as generated.
    let test = run_ok(
        Command::new(env!("CARGO"))
            .args(["test", "--quiet"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", charm_target_dir()),
    );
    let out = String::from_utf8_lossy(&test.stdout);
    assert!(out.contains("1 passed"), "{out}");

    // Packed for every declared base, against glibc 2.31.
    let packed = run_ok(cargo_charm(&dir).args(["pack", "--zig"]));
    let archive = dir.join("target/charm/hello-web.charm");
    assert_eq!(
        String::from_utf8_lossy(&packed.stdout).trim(),
        "./target/charm/hello-web.charm"
    );
    let first = std::fs::read(&archive).unwrap();
    let lints = support::charmcraft_analyse(&archive);
    assert!(
        lints.iter().any(|(n, r)| n == "metadata" && r == "ok"),
        "{lints:?}"
    );
    let manifest =
        std::fs::read_to_string(dir.join("target/charm/hello-web/manifest.yaml")).unwrap();
    for channel in ["'20.04'", "'22.04'", "'24.04'"] {
        assert!(manifest.contains(channel), "{manifest}");
    }

    // Deployed in juju-sim, the unit settles active with its greeting.
    let deployed = run_ok(cargo_charm(&dir).args(["deploy", "--zig", "--config", "greeting=hi"]));
    let out = String::from_utf8_lossy(&deployed.stdout);
    assert!(out.contains("hello-web/0: active: hi"), "{out}");

    // Packing again gives the same bytes.
    assert_eq!(
        std::fs::read(&archive).unwrap(),
        first,
        "the archive is reproducible"
    );

    // Real charmcraft accepts the project as `cargo charm new` wrote it.
    let expanded = support::charmcraft_expand(&dir);
    assert!(expanded.contains("ubuntu@20.04:amd64"), "{expanded}");
}

#[test]
fn separate_yaml_files_are_accepted_by_charmcraft() {
    let parent = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    run_ok(cargo_charm(parent.path()).args(["new", "split", "--separate-yaml"]));
    let dir = parent.path().join("split");
    for file in [
        "metadata.yaml",
        "config.yaml",
        "actions.yaml",
        "charmcraft.yaml",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    let expanded = support::charmcraft_expand(&dir);
    assert!(expanded.contains("name: split"), "{expanded}");
}

#[test]
fn an_interface_crate_the_charm_names_nowhere_still_registers_its_handlers() {
    let (_keep, dir) = new_charm("uses-kafka", &["--separate-yaml"]);
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let kafka = format!(
        "kafka-iface = {{ path = {:?} }}\n\n[dev-dependencies]",
        workspace().join("kafka-iface").display().to_string()
    );
    std::fs::write(
        dir.join("Cargo.toml"),
        manifest.replacen("\n[dev-dependencies]", &format!("\n{kafka}"), 1),
    )
    .unwrap();
    let metadata = std::fs::read_to_string(dir.join("metadata.yaml")).unwrap();
    std::fs::write(
        dir.join("metadata.yaml"),
        format!("{metadata}requires:\n  kafka:\n    interface: kafka\n"),
    )
    .unwrap();
    run_ok(
        Command::new(env!("CARGO"))
            .args(["build", "--quiet"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", charm_target_dir()),
    );
    let listing = run_ok(
        Command::new(charm_target_dir().join("debug/uses-kafka"))
            .arg("handlers")
            .current_dir(&dir),
    );
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(listing.contains("kafka-iface/src/requires.rs"), "{listing}");
    assert!(listing.contains("kafka_changed"), "{listing}");
}
