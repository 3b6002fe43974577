//! The example charms as `pack-charms` packs them run on every base they
//! declare: their `dispatch` (linked against glibc 2.31 with
//! cargo-zigbuild) runs its command line and a hook inside a Debian 11
//! root filesystem (glibc 2.31, as Ubuntu 20.04); real charmcraft accepts
//! their `charmcraft.yaml` and finds no error in the packed archives.

#[path = "../../cargo-charm/tests/support/mod.rs"]
mod support;

use std::process::Command;

use cargo_charm::build::Zig;
use cargo_charm::progress::Progress;
use kafka_examples::pack::{pack_portable, EXAMPLE_CHARMS};

#[test]
fn packed_examples_run_on_glibc_2_31_and_pass_charmcraft() {
    std::env::set_var("PATH", support::path_with_tools());
    let out = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let target = support::charm_target_dir();
    let packed =
        pack_portable(out.path(), Zig::Always, Some(&target), Progress::default()).unwrap();
    let root = support::debian_11();
    support::install_stub_tools(&root, "/stubs", r#"{"source_port": 9092}"#);
    for (charm, p) in EXAMPLE_CHARMS.iter().zip(&packed) {
        // The packed folder inside the Debian 11 tree.
        let inside = format!("/charm-{}", charm.name);
        let copy = root.join(&inside[1..]);
        if copy.exists() {
            std::fs::remove_dir_all(&copy).unwrap();
        }
        support::run_ok(Command::new("cp").arg("-a").arg(&p.dir).arg(&copy));

        // The unit's command line.
        let listing = support::run_ok(Command::new("chroot").arg(&root).args([
            "/bin/sh",
            "-c",
            &format!("cd {inside} && ./dispatch handlers"),
        ]));
        let listing = String::from_utf8_lossy(&listing.stdout);
        assert!(
            listing.contains("kafka_changed"),
            "{}: {listing}",
            charm.name
        );

        // A hook, with stand-in hook tools.
        let _ = std::fs::remove_file(root.join("tmp/calls.log"));
        let unit = format!("{}/0", charm.name);
        support::run_ok(
            Command::new("chroot")
                .arg(&root)
                .args(["/usr/bin/env", "-i", "PATH=/stubs:/usr/bin:/bin"])
                .args(["JUJU_DISPATCH_PATH=hooks/install", "JUJU_MODEL_NAME=m"])
                .arg(format!("JUJU_UNIT_NAME={unit}"))
                .arg(format!("JUJU_CHARM_DIR={inside}"))
                .args(["/bin/sh", "-c", &format!("cd {inside} && ./dispatch")]),
        );
        let calls = std::fs::read_to_string(root.join("tmp/calls.log")).unwrap();
        assert!(
            calls.contains("status-set ") && calls.contains("Invoking reactive handler"),
            "{}: {calls}",
            charm.name
        );

        // charmcraft finds no error in the archive and accepts the project.
        support::charmcraft_analyse(&p.archive);
        let expanded = support::charmcraft_expand(&charm.dir());
        assert!(expanded.contains("ubuntu@20.04:amd64"), "{expanded}");

        // The project file is what `cargo charm new --separate-yaml` writes.
        let on_disk = std::fs::read_to_string(charm.dir().join("charmcraft.yaml")).unwrap();
        assert_eq!(on_disk, charm.charmcraft_yaml(), "{}", charm.name);
    }
}
