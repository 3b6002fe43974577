//! A hook run in a wrong charm directory fails, naming it, and creates
//! nothing: not the directory, not a store.

#[path = "support/unit.rs"]
mod unit;

use std::path::Path;

use unit::{ok, text, Unit};

fn hook_in(u: &Unit, dir: &Path) -> std::process::Output {
    u.dispatch()
        .env("JUJU_DISPATCH_PATH", "hooks/install")
        .env("JUJU_CHARM_DIR", dir)
        .current_dir(&u.charm)
        .output()
        .unwrap()
}

fn assert_fails_naming(out: &std::process::Output, dir: &Path, what: &str) {
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("the charm directory {} {what}", dir.display())),
        "{err}"
    );
}

#[test]
fn a_charm_directory_that_does_not_exist_fails_the_hook() {
    let u = Unit::new();
    let nowhere = u.charm.parent().unwrap().join("no/such/charm");
    let out = hook_in(&u, &nowhere);
    assert_fails_naming(&out, &nowhere, "does not exist");
    assert!(!nowhere.exists(), "nothing created there");
    assert!(
        !u.charm.join(".unit-state.sled").exists(),
        "nor a store elsewhere"
    );
    assert_eq!(u.count("relation-get"), 0, "no handler ran");

    let file = u.charm.join("metadata.yaml");
    assert_fails_naming(&hook_in(&u, &file), &file, "is not a directory");
}

#[test]
fn a_charm_directory_without_metadata_fails_the_hook() {
    let u = Unit::new();
    let metadata = std::fs::read_to_string(u.charm.join("metadata.yaml")).unwrap();
    std::fs::remove_file(u.charm.join("metadata.yaml")).unwrap();
    let out = hook_in(&u, &u.charm);
    assert_fails_naming(&out, &u.charm, "holds no metadata.yaml");
    assert!(
        !u.charm.join(".unit-state.sled").exists(),
        "no store created"
    );

    // A charmcraft.yaml without the metadata is no better...
    std::fs::write(u.charm.join("charmcraft.yaml"), "type: charm\n").unwrap();
    assert_fails_naming(&hook_in(&u, &u.charm), &u.charm, "holds no metadata.yaml");
    // ...one holding it (charmcraft 3) is what Juju reads.
    std::fs::write(
        u.charm.join("charmcraft.yaml"),
        format!("type: charm\nsummary: s\ndescription: d\n{metadata}"),
    )
    .unwrap();
    ok(&hook_in(&u, &u.charm));
    assert_eq!(u.flags()["charm.installed"], serde_json::Value::Null);
}
