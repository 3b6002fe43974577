//! Relation and unit lifetimes as Juju keeps them: a relation stays in
//! `relation-ids` for a unit until its `-relation-broken` hook has
//! committed (`worker/uniter/relation/resolver.go`: departed, then broken,
//! for a dying unit or relation; `worker/uniter/runner/context/relation.go`
//! keeps the relation in the context until then), and a removed unit runs
//! every teardown hook before it leaves the model.

mod common;

use common::*;

/// On every hook: every relation id the unit lists and, for each,
/// `relation-list -r` (which fails if the relation is unknown).
const LIST_ALL: &str = r#"
ids=""
for name in db backend ring; do
    for id in $(relation-ids "$name"); do
        relation-list -r "$id" > /dev/null
        ids="$ids $id"
    done
done
echo "$(basename "$JUJU_DISPATCH_PATH"):$ids" >> ids.log
"#;

fn ids_log(model: &juju_sim::Model, unit: &str) -> Vec<String> {
    unit_file(model, unit, "ids.log")
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn remove_unit_runs_every_teardown_hook_with_its_relations_still_listed() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[("any", LIST_ALL)]);
    model.deploy("webapp", &charm, 2).unwrap();
    model.deploy("proxy", &charm, 1).unwrap();
    model.relate("webapp:db", "proxy:backend").unwrap();
    model.settle().unwrap();
    let before = ids_log(&model, "webapp/1").len();
    model.remove_unit("webapp/1").unwrap();
    // The dying unit is still shown, and its teardown is queued.
    assert!(model.all_units("webapp").contains(&"webapp/1".to_string()));
    assert!(model.is_dying("webapp/1").unwrap());
    assert_eq!(model.units("webapp"), ["webapp/0"]);
    model.settle().unwrap();
    let log = model.workdir().join("units/unit-webapp-1/charm/ids.log");
    let teardown: Vec<String> = std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .skip(before)
        .map(String::from)
        .collect();
    assert_eq!(
        teardown,
        [
            // Peer relations last, as Juju's relation resolver visits them.
            "db-relation-departed: db:2 ring:0",
            "db-relation-broken: db:2 ring:0",
            "ring-relation-departed: ring:0",
            "ring-relation-broken: ring:0",
            "stop:",
            "remove:",
        ]
    );
    // Gone from the model and from its peers' and remotes' views.
    assert_eq!(model.all_units("webapp"), ["webapp/0"]);
    assert_eq!(model.relation_units(2, "proxy/0").unwrap(), ["webapp/0"]);
    assert!(model.unit_error("webapp/0").unwrap().is_none());
}

#[test]
fn a_removed_relation_is_listed_until_its_broken_hook_commits() {
    let broken_fails_once =
        format!("{LIST_ALL}\nif [ ! -f failed-once ]; then touch failed-once; exit 1; fi\n");
    let (dir, mut model) = model();
    let charm = probe(
        &dir,
        "probe",
        &[
            ("any", LIST_ALL),
            ("backend-relation-broken", &broken_fails_once),
        ],
    );
    model.deploy("a", &charm, 1).unwrap();
    model.deploy("b", &charm, 1).unwrap();
    let id = model.relate("a:db", "b:backend").unwrap();
    model.settle().unwrap();
    let (before_a, before_b) = (ids_log(&model, "a/0").len(), ids_log(&model, "b/0").len());
    model.remove_relation(id).unwrap();
    assert!(!model.relation_ids().contains(&id));
    model.settle().unwrap();
    model.update_status();
    model.settle().unwrap();
    assert_eq!(
        ids_log(&model, "a/0")[before_a..],
        [
            "db-relation-departed: db:2 ring:0",
            "db-relation-broken: db:2 ring:0",
            "update-status: ring:0"
        ]
    );
    assert_eq!(
        ids_log(&model, "b/0")[before_b..],
        [
            "backend-relation-departed: backend:2 ring:1",
            "backend-relation-broken: backend:2 ring:1",
            // The retry still sees it: the failed hook did not commit.
            "backend-relation-broken: backend:2 ring:1",
            "update-status: ring:1"
        ]
    );
}
