//! Event order as Juju's resolvers produce it (`worker/uniter/resolver.go`,
//! `worker/uniter/relation/resolver.go`): actions ahead of queued hooks,
//! relations visited in an order Juju does not fix (here: seeded, so a run
//! can be replayed), peer relations last, and a change of the remote
//! application's data as `-relation-changed` with an empty remote unit.

mod common;

use common::*;
use juju_sim::report::ActionStatus;
use juju_sim::{Error, Model};

#[test]
fn an_action_runs_ahead_of_queued_hooks_even_config_changed() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    model.deploy("p", &charm, 1).unwrap();
    model.settle().unwrap();
    model.set_config("p", "port", "9000").unwrap();
    model.update_status();
    let id = model
        .queue_action("p/0", "greet", &[] as &[(&str, &str)])
        .unwrap();
    let runs = model.settle().unwrap();
    assert_eq!(
        runs_on(&runs, "p/0"),
        ["greet", "config-changed", "update-status"]
    );
    assert_eq!(model.action(&id).unwrap().status, ActionStatus::Completed);
}

/// Relation hooks of one unit for two relations, in run order.
fn relation_order(seed: u64) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut options = options();
    options.seed = Some(seed);
    let mut model = Model::create(dir.path().join("m"), "m", options).unwrap();
    let charm = probe(&dir, "probe", &[]);
    model.deploy("a", &charm, 1).unwrap();
    model.deploy("b", &charm, 2).unwrap();
    model.deploy("c", &charm, 1).unwrap();
    model.settle().unwrap();
    assert_eq!(model.seed(), seed);
    model.relate("a:db", "b:backend").unwrap();
    model.relate("a:source", "c:single").unwrap();
    let runs = model.settle().unwrap();
    runs.iter()
        .filter(|r| r.unit == "a/0")
        .map(|r| {
            format!(
                "{} {}",
                r.hook,
                r.relation
                    .as_ref()
                    .and_then(|e| e.remote_unit.clone())
                    .unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn relations_are_visited_in_a_seeded_order_that_replays() {
    assert_eq!(relation_order(7), relation_order(7));
    let orders: std::collections::BTreeSet<Vec<String>> = (0..6).map(relation_order).collect();
    assert!(orders.len() > 1, "six seeds gave one order: {orders:?}");
    for order in &orders {
        // Each relation's own hooks keep Juju's order: created, then per
        // remote unit joined then changed.
        let db: Vec<&String> = order.iter().filter(|h| h.starts_with("db-")).collect();
        assert_eq!(
            db,
            [
                "db-relation-created ",
                "db-relation-joined b/0",
                "db-relation-changed b/0",
                "db-relation-joined b/1",
                "db-relation-changed b/1"
            ]
        );
    }
}

#[test]
fn a_failure_names_the_seed_to_replay_it() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[("install", "exit 1")]);
    model.deploy("p", &charm, 1).unwrap();
    let err = model.settle().unwrap_err();
    assert!(matches!(err, Error::HookFailed(_)));
    assert!(
        err.to_string()
            .contains(&format!("model seed {}", model.seed())),
        "{err}"
    );
}

#[test]
fn application_data_changes_reach_remote_units_with_no_remote_unit() {
    let set_app = r#"
id=$(relation-ids db)
if [ -n "$id" ] && [ "$(is-leader)" = True ]; then relation-set --app -r "$id" token=t; fi
"#;
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[("update-status", set_app)]);
    model.deploy("a", &charm, 1).unwrap();
    model.deploy("b", &charm, 1).unwrap();
    let id = model.relate("a:db", "b:backend").unwrap();
    model.settle().unwrap();
    let before = events(&model, "b/0").len();
    model.update_status();
    model.settle().unwrap();
    assert_eq!(model.relation_app_data(id, "a").unwrap()["token"], "t");
    let after = &events(&model, "b/0")[before..];
    assert!(
        after.contains(&"backend-relation-changed|backend|backend:2||a|".to_string()),
        "{after:?}"
    );
}
