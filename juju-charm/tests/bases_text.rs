//! What packers and the simulator share about bases: `name@channel`
//! text, writing `manifest.yaml` as charmcraft does, reading every
//! `charmcraft.yaml` form from its text, and the deploy-time check that a
//! charm declares the model's base on the machine's architecture
//! (juju/charm `manifest.go`, `base.go`; `core/arch/arch.go`).

use juju_charm::{host_architecture, Base, Manifest};

fn base(id: &str, arches: &[&str]) -> Base {
    let mut b: Base = id.parse().unwrap();
    b.architectures = arches.iter().map(|a| a.to_string()).collect();
    b
}

#[test]
fn bases_are_written_and_read_as_os_at_channel() {
    let b: Base = "ubuntu@24.04".parse().unwrap();
    assert_eq!((b.name.as_str(), b.channel.as_str()), ("ubuntu", "24.04"));
    assert_eq!(b.to_string(), "ubuntu@24.04");
    for bad in [
        "ubuntu",
        "@22.04",
        "ubuntu@",
        "plan9@1",
        "ubuntu@22.04/nightly",
    ] {
        let err = bad.parse::<Base>().unwrap_err();
        assert!(err.to_string().contains(&format!("{bad:?}")), "{err}");
        assert_eq!(Base::parse(bad), None, "{bad}");
    }
}

#[test]
fn a_written_manifest_reads_back_with_quoted_channels() {
    let manifest = Manifest {
        bases: vec![
            base("ubuntu@22.04", &["amd64"]),
            base("ubuntu@24.04", &["arm64", "s390x"]),
        ],
    };
    let text = manifest.to_yaml();
    assert!(
        text.contains("- name: ubuntu\n  channel: '22.04'\n  architectures:\n  - amd64\n"),
        "{text}"
    );
    assert_eq!(Manifest::parse(&text, "manifest.yaml").unwrap(), manifest);
}

#[test]
fn every_charmcraft_form_is_read_from_text() {
    let old = "bases:\n- build-on: [{name: ubuntu, channel: '22.04'}]\n  \
               run-on: [{name: ubuntu, channel: '20.04', architectures: [x86_64]}]\n";
    let m = Manifest::from_charmcraft(old, "charmcraft.yaml").unwrap();
    assert_eq!(m.bases, [base("ubuntu@20.04", &["amd64"])]);
    let multi = "platforms:\n  ubuntu@20.04:amd64:\n  ubuntu@24.04:arm64:\n";
    let m = Manifest::from_charmcraft(multi, "charmcraft.yaml").unwrap();
    assert_eq!(
        m.bases,
        [
            base("ubuntu@20.04", &["amd64"]),
            base("ubuntu@24.04", &["arm64"])
        ]
    );
    let err = Manifest::from_charmcraft("base: ubuntu\n", "c/charmcraft.yaml").unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("c/charmcraft.yaml") && text.contains("base"),
        "{text}"
    );
}

/// Juju deploys a charm on a machine only if its manifest lists the base,
/// and the machine's architecture when it lists any.
#[test]
fn a_charm_declares_a_base_on_an_architecture_or_on_any() {
    let jammy: Base = "ubuntu@22.04".parse().unwrap();
    let m = Manifest {
        bases: vec![base("ubuntu@22.04", &["arm64"]), base("ubuntu@24.04", &[])],
    };
    assert!(m.declares(&jammy, "arm64"));
    assert!(m.declares(&jammy, "aarch64"), "aliases are normalised");
    assert!(!m.declares(&jammy, "amd64"));
    assert!(m.declares(&"ubuntu@24.04".parse().unwrap(), host_architecture()));
    assert!(!m.declares(&"ubuntu@20.04".parse().unwrap(), "arm64"));
    assert!(!Manifest::default().declares(&jammy, "arm64"));
}
