//! juju-sim hosts Python `ops` charms (ops from PyPI, in the conformance
//! virtualenv): their `dispatch`, `JUJU_VERSION` 3.x, application databags
//! and secrets. The owner shares a secret over a relation, the reader reads
//! it; a new revision reaches the reader as `secret-changed`, which sees it
//! with `--refresh` (Juju's `worker/uniter/runner/jujuc/secret-get.go`), and
//! the revision nobody tracks any more goes back to the owner as
//! `secret-remove`.

use std::path::{Path, PathBuf};

use conformance::binaries::Binaries;
use conformance::ops_charms;
use conformance::venv::venv;
use juju_sim::{Model, Options};

fn ops_charm(dir: &Path, name: &str, venv: &Path) -> PathBuf {
    ops_charms::ops_charm(dir, name, venv).unwrap_or_else(|e| panic!("{e}"))
}

fn log(model: &Model, unit: &str) -> Vec<String> {
    ops_charms::recorded(&model.unit_dir(unit).expect("unit dir"))
}

#[test]
fn an_ops_charm_shares_a_secret_and_its_new_revision_with_another() {
    let venv = venv().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("tempdir");
    let options = Options {
        tool: Some(Binaries::get().unwrap_or_else(|e| panic!("{e}")).tool()),
        juju_version: "3.6.4".into(),
        ..Options::default()
    };
    let mut model = Model::create(dir.path().join("model"), "ops", options).expect("model");
    let owner = ops_charm(dir.path(), "secret-owner", &venv);
    let reader = ops_charm(dir.path(), "secret-reader", &venv);
    model.deploy("owner", &owner, 1).expect("deploy owner");
    model.deploy("reader", &reader, 2).expect("deploy reader");
    model.settle().unwrap_or_else(|e| panic!("{e}"));
    model.relate("owner:creds", "reader:creds").expect("relate");
    model.settle().unwrap_or_else(|e| panic!("{e}"));

    let added = log(&model, "owner/0");
    assert_eq!(added.len(), 1, "{added:?}");
    assert!(added[0].starts_with("added secret:"), "{added:?}");
    for unit in ["reader/0", "reader/1"] {
        assert_eq!(log(&model, unit), ["read one"], "{unit}");
        assert_eq!(model.unit_status(unit).unwrap().message, "password one");
    }

    model.secret_rotate("creds").expect("rotate");
    model.settle().unwrap_or_else(|e| panic!("{e}"));
    for unit in ["reader/0", "reader/1"] {
        let seen = log(&model, unit);
        assert_eq!(
            seen,
            ["read one", "changed owner-password tracked one latest two"],
            "{unit}"
        );
        assert_eq!(model.unit_status(unit).unwrap().message, "password two");
    }
    let owner_log = log(&model, "owner/0");
    assert_eq!(
        owner_log[1..],
        ["rotate creds revision 1", "remove creds revision 1"],
        "{owner_log:?}"
    );
    let secrets = &model.secrets().secrets;
    assert_eq!(secrets.len(), 1);
    let secret = secrets.values().next().expect("one secret");
    assert_eq!(secret.revisions.keys().copied().collect::<Vec<_>>(), [2]);
}
