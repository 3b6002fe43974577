//! Which hooks run, in which order, with which relation variables.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;
use juju_sim::Error;

#[test]
fn deploy_runs_the_start_up_sequence_and_peer_joins() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    model.deploy("p", &charm, 2).unwrap();
    let runs = model.settle().unwrap();
    assert_eq!(
        hooks(&model, "p/0"),
        [
            "install",
            "ring-relation-created",
            "leader-elected",
            "config-changed",
            "start",
            "ring-relation-joined",
            "ring-relation-changed"
        ]
    );
    assert_eq!(
        hooks(&model, "p/1"),
        [
            "install",
            "ring-relation-created",
            "leader-settings-changed",
            "config-changed",
            "start",
            "ring-relation-joined",
            "ring-relation-changed"
        ]
    );
    // Units take turns, by application then unit number.
    assert_eq!(
        run_list(&runs)[..4],
        [
            "p/0 install",
            "p/1 install",
            "p/0 ring-relation-created",
            "p/1 ring-relation-created"
        ]
    );
    assert_eq!(
        events(&model, "p/1")[5],
        "ring-relation-joined|ring|ring:0|p/0|p|"
    );
    assert_eq!(model.leader("p").unwrap(), Some("p/0"));
}

#[test]
fn the_same_operations_give_the_same_runs() {
    let order = || {
        let (dir, mut model) = model();
        let charm = probe(&dir, "probe", &[]);
        model.deploy("a", &charm, 2).unwrap();
        model.deploy("b", &charm, 2).unwrap();
        model.relate("a:db", "b:backend").unwrap();
        run_list(&model.settle().unwrap())
    };
    assert_eq!(order(), order());
}

/// `a` (1 unit, provides db) related to `b` (2 units, requires backend).
fn related() -> (tempfile::TempDir, juju_sim::Model, u32) {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    model.deploy("a", &charm, 1).unwrap();
    model.deploy("b", &charm, 2).unwrap();
    model.settle().unwrap();
    let id = model.relate("a:db", "b:backend").unwrap();
    model.settle().unwrap();
    (dir, model, id)
}

fn tail(model: &juju_sim::Model, unit: &str, from: usize) -> Vec<String> {
    events(model, unit)[from..].to_vec()
}

#[test]
fn relate_creates_then_joins_each_remote_unit() {
    let (_dir, model, id) = related();
    assert_eq!(id, 2, "peer relations of a and b took ids 0 and 1");
    assert_eq!(
        tail(&model, "a/0", 5),
        [
            "db-relation-created|db|db:2||b|",
            "db-relation-joined|db|db:2|b/0|b|",
            "db-relation-changed|db|db:2|b/0|b|",
            "db-relation-joined|db|db:2|b/1|b|",
            "db-relation-changed|db|db:2|b/1|b|",
        ]
    );
    let b1 = events(&model, "b/1");
    assert_eq!(
        b1[b1.len() - 3..],
        [
            "backend-relation-created|backend|backend:2||a|",
            "backend-relation-joined|backend|backend:2|a/0|a|",
            "backend-relation-changed|backend|backend:2|a/0|a|",
        ]
    );
    assert_eq!(model.relation_units(id, "a/0").unwrap(), ["b/0", "b/1"]);
    assert_eq!(model.relation_endpoints(id).unwrap(), ["a:db", "b:backend"]);
}

#[test]
fn add_unit_joins_existing_relations_after_start() {
    let (_dir, mut model, id) = related();
    let before_a = events(&model, "a/0").len();
    let before_b0 = events(&model, "b/0").len();
    assert_eq!(model.add_unit("b").unwrap(), "b/2");
    model.settle().unwrap();
    assert_eq!(
        hooks(&model, "b/2"),
        // Peer relations last (worker/uniter/relation/resolver.go).
        [
            "install",
            "backend-relation-created",
            "ring-relation-created",
            "leader-settings-changed",
            "config-changed",
            "start",
            "backend-relation-joined",
            "backend-relation-changed",
            "ring-relation-joined",
            "ring-relation-changed",
            "ring-relation-joined",
            "ring-relation-changed",
        ]
    );
    assert_eq!(
        tail(&model, "a/0", before_a),
        [
            "db-relation-joined|db|db:2|b/2|b|",
            "db-relation-changed|db|db:2|b/2|b|"
        ]
    );
    assert_eq!(
        tail(&model, "b/0", before_b0),
        [
            "ring-relation-joined|ring|ring:1|b/2|b|",
            "ring-relation-changed|ring|ring:1|b/2|b|"
        ]
    );
    assert_eq!(
        model.relation_units(id, "a/0").unwrap(),
        ["b/0", "b/1", "b/2"]
    );
}

#[test]
fn remove_unit_departs_breaks_stops_and_removes() {
    let (_dir, mut model, id) = related();
    let before_a = events(&model, "a/0").len();
    let before_b0 = events(&model, "b/0").len();
    let before_b1 = events(&model, "b/1").len();
    model.remove_unit("b/1").unwrap();
    model.settle().unwrap();
    assert_eq!(
        tail(&model, "a/0", before_a),
        ["db-relation-departed|db|db:2|b/1|b|b/1"]
    );
    assert_eq!(
        tail(&model, "b/0", before_b0),
        ["ring-relation-departed|ring|ring:1|b/1|b|b/1"]
    );
    let b1_dir = model.workdir().join("units/unit-b-1/charm");
    let b1: Vec<String> = std::fs::read_to_string(b1_dir.join("events.log"))
        .unwrap()
        .lines()
        .skip(before_b1)
        .map(String::from)
        .collect();
    assert_eq!(
        b1,
        [
            "backend-relation-departed|backend|backend:2|a/0|a|b/1",
            "backend-relation-broken|backend|backend:2||a|",
            "ring-relation-departed|ring|ring:1|b/0|b|b/1",
            "ring-relation-broken|ring|ring:1||b|",
            "stop|||||",
            "remove|||||",
        ]
    );
    assert_eq!(model.units("b"), ["b/0"]);
    assert!(matches!(
        model.unit_status("b/1"),
        Err(Error::UnknownUnit(_))
    ));
    assert_eq!(model.relation_units(id, "a/0").unwrap(), ["b/0"]);
}

#[test]
fn removing_the_leader_elects_the_next_unit() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    model.deploy("p", &charm, 3).unwrap();
    model.settle().unwrap();
    model.remove_unit("p/0").unwrap();
    let runs = model.settle().unwrap();
    assert_eq!(model.leader("p").unwrap(), Some("p/1"));
    assert_eq!(
        runs_on(&runs, "p/1"),
        ["leader-elected", "ring-relation-departed"]
    );
    // p/2 is up to date with the leader settings: no hook for it.
    assert_eq!(runs_on(&runs, "p/2"), ["ring-relation-departed"]);
}

#[test]
fn remove_relation_departs_every_remote_unit_then_breaks() {
    let (_dir, mut model, id) = related();
    let before_a = events(&model, "a/0").len();
    let before_b0 = events(&model, "b/0").len();
    model.remove_relation(id).unwrap();
    model.settle().unwrap();
    assert_eq!(
        tail(&model, "a/0", before_a),
        [
            "db-relation-departed|db|db:2|b/0|b|b/0",
            "db-relation-departed|db|db:2|b/1|b|b/1",
            "db-relation-broken|db|db:2||b|",
        ]
    );
    assert_eq!(
        tail(&model, "b/0", before_b0),
        [
            "backend-relation-departed|backend|backend:2|a/0|a|a/0",
            "backend-relation-broken|backend|backend:2||a|",
        ]
    );
    assert!(!model.relation_ids().contains(&id));
    assert!(matches!(
        model.remove_relation(id),
        Err(Error::UnknownRelation(2))
    ));
}

#[test]
fn config_change_runs_config_changed_on_every_unit_once() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    model.deploy("p", &charm, 2).unwrap();
    model.settle().unwrap();
    model.set_config("p", "port", "9000").unwrap();
    model.set_config("p", "verbose", "true").unwrap();
    assert_eq!(
        run_list(&model.settle().unwrap()),
        ["p/0 config-changed", "p/1 config-changed"]
    );
    model.set_config("p", "port", "9000").unwrap();
    assert!(model.settle().unwrap().is_empty(), "no change, no hook");
    model.reset_config("p", "port").unwrap();
    assert_eq!(model.settle().unwrap().len(), 2);
}

#[test]
fn leader_change_and_update_status() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    model.deploy("p", &charm, 3).unwrap();
    model.settle().unwrap();
    model.set_leader("p/2").unwrap();
    // worker/uniter/leadership/resolver.go: the deposed leader p/0 never
    // ran leader-settings-changed, so it is behind and gets it; p/1 is up
    // to date and gets nothing.
    assert_eq!(
        run_list(&model.settle().unwrap()),
        ["p/0 leader-settings-changed", "p/2 leader-elected"]
    );
    model.update_status();
    assert_eq!(
        run_list(&model.settle().unwrap()),
        [
            "p/0 update-status",
            "p/1 update-status",
            "p/2 update-status"
        ]
    );
    // A leader-set by the new leader reaches both followers, once.
    let script = model.unit_dir("p/2").unwrap().join("on/update-status");
    std::fs::write(&script, "#!/bin/bash\nleader-set k=v\n").unwrap();
    std::fs::set_permissions(&script, PermissionsExt::from_mode(0o755)).unwrap();
    model.update_status();
    let runs = model.settle().unwrap();
    assert_eq!(
        runs_on(&runs, "p/0"),
        ["update-status", "leader-settings-changed"]
    );
    assert_eq!(
        runs_on(&runs, "p/1"),
        ["update-status", "leader-settings-changed"]
    );
    assert_eq!(runs_on(&runs, "p/2"), ["update-status"]);
}

#[test]
fn metrics_and_meter_status_hooks() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    model.deploy("p", &charm, 2).unwrap();
    model.settle().unwrap();
    model.collect_metrics("p").unwrap();
    assert_eq!(
        run_list(&model.settle().unwrap()),
        ["p/0 collect-metrics", "p/1 collect-metrics"]
    );
    model.set_meter_status("p", "AMBER", "over quota").unwrap();
    assert_eq!(
        run_list(&model.settle().unwrap()),
        ["p/0 meter-status-changed", "p/1 meter-status-changed"]
    );
    let env = unit_file(&model, "p/1", "env.meter-status-changed");
    assert!(env.contains("JUJU_METER_STATUS=AMBER\n"), "{env}");
    assert!(env.contains("JUJU_METER_INFO=over quota\n"), "{env}");
    // The same status again changes nothing.
    model.set_meter_status("p", "AMBER", "over quota").unwrap();
    assert!(model.settle().unwrap().is_empty());
    assert!(matches!(
        model.collect_metrics("nope"),
        Err(Error::UnknownApp(_))
    ));
}

#[test]
fn relate_checks_roles_interfaces_and_limits() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    model.deploy("a", &charm, 1).unwrap();
    model.deploy("b", &charm, 1).unwrap();
    model.deploy("c", &charm, 1).unwrap();
    let cannot = |r: Result<u32, Error>| matches!(r, Err(Error::CannotRelate { .. }));
    assert!(
        cannot(model.relate("a:single", "b:db")),
        "interfaces differ"
    );
    assert!(
        cannot(model.relate("a:backend", "b:backend")),
        "requires with requires"
    );
    assert!(cannot(model.relate("a", "b")), "two pairs fit: ambiguous");
    assert!(
        cannot(model.relate("a:db", "a:backend")),
        "an application with itself"
    );
    assert!(matches!(
        model.relate("a:nope", "b:db"),
        Err(Error::UnknownEndpoint { .. })
    ));
    assert!(matches!(
        model.relate("x:db", "b:db"),
        Err(Error::UnknownApp(_))
    ));
    let id = model.relate("b:backend", "a").unwrap();
    assert!(cannot(model.relate("a:db", "b:backend")), "already related");
    assert_eq!(model.relation_endpoints(id).unwrap(), ["b:backend", "a:db"]);
    // The peer relation exists from deploy on; naming it returns it.
    assert_eq!(model.relate("a:ring", "a:ring").unwrap(), 0);
    assert!(matches!(
        model.remove_relation(0),
        Err(Error::PeerRelation(0))
    ));
    // `single` (requires solo) has limit: 1.
    model.relate("a:single", "b:source").unwrap();
    assert!(
        cannot(model.relate("a:single", "c:source")),
        "limit reached"
    );
    assert!(model.relate("c:single", "a:source").is_ok());
}
