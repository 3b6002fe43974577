//! The charm forms Juju and charmcraft accept, read through `juju-charm`:
//! the short relation form (juju/charm `meta.go`), a charmcraft 3 charm
//! whose metadata, config and actions are all in `charmcraft.yaml`, and
//! Juju's refusals (`config.go`: a default of the wrong type).

mod common;

use common::*;
use juju_sim::Error;

const CRAFT: &str = "name: probe
type: charm
summary: Probe in one file.
description: charmcraft 3 form.
base: ubuntu@22.04
platforms:
  amd64:
requires:
  backend: testdb
peers:
  ring: probe-ring
config:
  options:
    port: {type: int, default: 8080}
actions:
  greet:
    params:
      who: {type: string, default: world}
";

#[test]
fn short_form_relations_relate_and_run_their_hooks() {
    let (dir, mut model) = model();
    let db = probe(&dir, "db", &[]);
    std::fs::write(
        db.join("metadata.yaml"),
        "name: db\nprovides:\n  db: testdb\n",
    )
    .unwrap();
    let client = probe(&dir, "client", &[]);
    std::fs::write(
        client.join("metadata.yaml"),
        "name: client\nrequires:\n  backend: testdb\n",
    )
    .unwrap();
    model.deploy("db", &db, 1).unwrap();
    model.deploy("client", &client, 1).unwrap();
    model.relate("db:db", "client:backend").unwrap();
    model.settle().unwrap();
    assert!(hooks(&model, "client/0").contains(&"backend-relation-joined".to_string()));
    assert!(hooks(&model, "db/0").contains(&"db-relation-changed".to_string()));
}

#[test]
fn a_charmcraft_only_charm_deploys_with_its_config_and_actions() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    for f in ["metadata.yaml", "config.yaml", "actions.yaml"] {
        std::fs::remove_file(charm.join(f)).unwrap();
    }
    std::fs::write(charm.join("charmcraft.yaml"), CRAFT).unwrap();
    model.deploy("p", &charm, 2).unwrap();
    model.settle().unwrap();
    assert!(hooks(&model, "p/1").contains(&"ring-relation-joined".to_string()));
    assert!(matches!(
        model.set_config("p", "port", "eighty"),
        Err(Error::BadOptionValue { .. })
    ));
    model.set_config("p", "port", "9000").unwrap();
    let id = model
        .queue_action("p/0", "greet", &[] as &[(&str, &str)])
        .unwrap();
    model.settle().unwrap();
    assert_eq!(model.action(&id).unwrap().params["who"], "world");
}

#[test]
fn a_charm_juju_would_refuse_is_refused_naming_file_and_item() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    std::fs::write(
        charm.join("config.yaml"),
        "options:\n  port: {type: integer}\n",
    )
    .unwrap();
    let err = model.deploy("p", &charm, 1).unwrap_err();
    assert!(matches!(err, Error::Charm(_)), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("config.yaml: options.port.type: unknown type \"integer\""),
        "{msg}"
    );
}
