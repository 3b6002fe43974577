//! Packing: runnable charm directories and `.charm` zips with the same
//! files, reproducible, and nothing half-written on failure.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use kafka_examples::pack::{pack, pack_charm, PackError, EXAMPLE_CHARMS};

/// Every file of a `.charm`: name to (mode, contents).
fn archive(path: &Path) -> BTreeMap<String, (u32, Vec<u8>)> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let mode = entry.unix_mode().unwrap_or(0) & 0o777;
        out.insert(entry.name().to_string(), (mode, bytes));
    }
    out
}

#[test]
fn pack_writes_runnable_charms_and_archives_of_the_same_files() {
    let out = tempfile::tempdir().unwrap();
    let profile = Path::new(env!("CARGO_BIN_EXE_kafka-provider"))
        .parent()
        .unwrap();
    let packed = pack(profile, out.path()).unwrap();
    assert_eq!(packed.len(), 2);
    for (charm, p) in EXAMPLE_CHARMS.iter().zip(&packed) {
        assert_eq!(p.name, charm.name);
        assert_eq!(p.dir, out.path().join(charm.name));
        assert_eq!(p.archive, out.path().join(format!("{}.charm", charm.name)));
        let zipped = archive(&p.archive);
        let names: Vec<&str> = zipped.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "charmcraft.yaml",
                "config.yaml",
                "dispatch",
                "manifest.yaml",
                "metadata.yaml"
            ]
        );
        for (name, (mode, bytes)) in &zipped {
            let on_disk = p.dir.join(name);
            assert_eq!(&std::fs::read(&on_disk).unwrap(), bytes, "{name}");
            let disk_mode = std::fs::metadata(&on_disk).unwrap().permissions().mode() & 0o777;
            let expected = if name == "dispatch" { 0o755 } else { 0o644 };
            assert_eq!((*mode, disk_mode), (expected, expected), "{name}");
        }
        let binary = std::fs::read(profile.join(charm.name)).unwrap();
        assert!(
            zipped["dispatch"].1 == binary,
            "dispatch is the charm executable"
        );
        for (name, text) in charm.files {
            assert_eq!(zipped[*name].1, text.as_bytes(), "{name}");
        }
        let manifest = String::from_utf8(zipped["manifest.yaml"].1.clone()).unwrap();
        assert!(manifest.contains("bases:") && manifest.contains("name: ubuntu"));

        // The packed dispatch runs and knows its handlers and the interface's.
        let listing = Command::new(p.dir.join("dispatch"))
            .arg("handlers")
            .current_dir(&p.dir)
            .output()
            .unwrap();
        assert!(listing.status.success());
        let listing = String::from_utf8_lossy(&listing.stdout);
        let own = if charm.name == "kafka-provider" {
            "report_ready"
        } else {
            "configure_kafka"
        };
        assert!(
            listing.contains(own) && listing.contains("kafka_changed"),
            "{listing}"
        );
    }
}

#[test]
fn the_same_files_give_the_same_archive() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("bin");
    std::fs::write(&binary, b"#!/bin/sh\nexit 0\n").unwrap();
    let files = vec![("metadata.yaml".to_string(), b"name: x\n".to_vec())];
    let first = pack_charm("x", &files, &binary, &dir.path().join("a")).unwrap();
    let second = pack_charm("x", &files, &binary, &dir.path().join("b")).unwrap();
    let bytes = |p: &Path| std::fs::read(p).unwrap();
    assert_eq!(bytes(&first.archive), bytes(&second.archive));
}

#[test]
fn a_missing_executable_is_named_and_the_previous_charm_stays() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("bin");
    std::fs::write(&binary, b"v1").unwrap();
    let files = vec![("metadata.yaml".to_string(), b"name: x\n".to_vec())];
    let out = dir.path().join("out");
    let packed = pack_charm("x", &files, &binary, &out).unwrap();

    let gone = dir.path().join("not-built");
    let err = pack_charm("x", &files, &gone, &out).unwrap_err();
    assert!(matches!(err, PackError::MissingBinary { ref path } if *path == gone));
    let message = err.to_string();
    assert!(
        message.contains("not-built") && message.contains("cargo build"),
        "{message}"
    );
    assert_eq!(std::fs::read(packed.dir.join("dispatch")).unwrap(), b"v1");
    assert!(packed.archive.is_file());
}
