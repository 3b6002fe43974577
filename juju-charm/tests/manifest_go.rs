//! Bases: `manifest.yaml` as juju/charm `manifest.go` and `base.go` read it
//! (`baseSchema`, `Base.Validate`, `arch.NormaliseArch`), and the
//! charmcraft.yaml forms `bases:`, `base:` + `platforms:` that charmcraft
//! turns into it.

use juju_charm::{Base, Charm, Error, Manifest};

fn base(name: &str, channel: &str, arches: &[&str]) -> Base {
    Base {
        name: name.into(),
        channel: channel.into(),
        architectures: arches.iter().map(|a| a.to_string()).collect(),
    }
}

#[test]
fn manifest_bases_are_validated_and_normalised_manifest_go() {
    let m = Manifest::parse(
        "bases:\n  - name: ubuntu\n    channel: \"22.04\"\n    architectures: [x86_64, aarch64]\n  \
         - {name: ubuntu, channel: 24.04/stable}\n",
        "manifest.yaml",
    )
    .unwrap();
    assert_eq!(
        m.bases,
        [
            base("ubuntu", "22.04", &["amd64", "arm64"]),
            base("ubuntu", "24.04/stable", &[])
        ]
    );
    assert_eq!(m.bases[1].track(), "24.04");
    for (bad, item) in [
        ("bases:\n  - {name: plan9, channel: \"1\"}\n", "bases.0"),
        ("bases:\n  - {channel: \"22.04\"}\n", "bases.0"),
        ("bases:\n  - {name: ubuntu}\n", "bases.0"),
        (
            "bases:\n  - {name: ubuntu, channel: 22.04/unstable}\n",
            "bases.0",
        ),
        (
            "bases:\n  - {name: ubuntu, channel: \"22.04\", architectures: [sparc]}\n",
            "bases.0",
        ),
        ("bases: ubuntu\n", "bases"),
    ] {
        match Manifest::parse(bad, "manifest.yaml") {
            Err(Error::Invalid { item: got, .. }) => assert_eq!(got, item, "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
}

fn bases_of(charmcraft: &str) -> Vec<Base> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("charmcraft.yaml"),
        format!("name: c\ntype: charm\n{charmcraft}"),
    )
    .unwrap();
    Charm::load(dir.path())
        .unwrap_or_else(|e| panic!("{charmcraft}: {e}"))
        .bases
}

#[test]
fn charmcraft_bases_short_and_long_forms() {
    assert_eq!(
        bases_of("bases:\n  - name: ubuntu\n    channel: \"22.04\"\n"),
        [base("ubuntu", "22.04", &[])]
    );
    let long = "bases:\n  - build-on:\n      - {name: ubuntu, channel: \"20.04\"}\n    run-on:\n      \
                - {name: ubuntu, channel: \"22.04\", architectures: [amd64]}\n      - {name: ubuntu, channel: \"24.04\"}\n";
    assert_eq!(
        bases_of(long),
        [
            base("ubuntu", "22.04", &["amd64"]),
            base("ubuntu", "24.04", &[])
        ]
    );
    // run-on defaults to build-on.
    let build_only = "bases:\n  - build-on:\n      - {name: ubuntu, channel: \"22.04\"}\n";
    assert_eq!(bases_of(build_only), [base("ubuntu", "22.04", &[])]);
}

#[test]
fn charmcraft_base_and_platforms_forms() {
    assert_eq!(
        bases_of("base: ubuntu@22.04\nplatforms:\n  amd64:\n  arm64:\n"),
        [base("ubuntu", "22.04", &["amd64", "arm64"])]
    );
    assert_eq!(
        bases_of("platforms:\n  ubuntu@22.04:amd64:\n  ubuntu@24.04:amd64:\n"),
        [
            base("ubuntu", "22.04", &["amd64"]),
            base("ubuntu", "24.04", &["amd64"])
        ]
    );
    let build_for =
        "base: ubuntu@24.04\nplatforms:\n  mine:\n    build-on: [amd64]\n    build-for: [arm64]\n";
    assert_eq!(bases_of(build_for), [base("ubuntu", "24.04", &["arm64"])]);
    assert_eq!(
        bases_of("base: ubuntu@22.04\nplatforms:\n  all:\n"),
        [base("ubuntu", "22.04", &[])]
    );
    assert_eq!(
        bases_of("base: ubuntu@22.04\n"),
        [base("ubuntu", "22.04", &[])]
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("charmcraft.yaml"),
        "name: c\nplatforms:\n  amd64:\n",
    )
    .unwrap();
    match Charm::load(dir.path()) {
        Err(Error::Invalid { item, .. }) => assert_eq!(item, "platforms.amd64"),
        other => panic!("{other:?}"),
    }
}
