//! The endpoint model against Juju's relation rules: the remote
//! application known before any of its units joined (`relation-list
//! --app`), and the address to reach a unit at (`ingress-address` first).

use std::sync::{Arc, Mutex};

use reactive_core::endpoints::{Relation as Rel, RemoteData};
use reactive_core::hookenv;
use reactive_core::testing::{Hook, Relation, State};
use reactive_core::{HandlerDef, Predicate};

fn db1() -> Rel {
    Rel {
        relation_id: "db:1".into(),
    }
}

fn run(
    state: &State,
    hook: Hook,
    f: impl Fn() -> String + Send + Sync + 'static,
) -> (String, usize) {
    let got: Arc<Mutex<String>> = Arc::default();
    let g = got.clone();
    let h = HandlerDef::new(
        "addr.rs",
        1,
        "look",
        vec![Predicate::Hook(vec![hook.name.clone()])],
        move |_| {
            *g.lock().unwrap() = f();
            Ok(())
        },
    );
    let out = state.run_handlers(vec![h], hook);
    assert_eq!(out.error_message(), None);
    let apps = out
        .tool_calls
        .iter()
        .filter(|c| c.tool == "relation-list" && c.args.last().is_some_and(|a| a == "--app"))
        .count();
    let value = got.lock().unwrap().clone();
    (value, apps)
}

/// `worker/uniter/runner/jujuc/relation-list.go`: `--app` names the
/// remote application while no unit has joined, outside the relation's
/// own hooks too.
#[test]
fn the_remote_application_is_known_before_a_unit_joins_relation_list_go() {
    let s = State::default()
        .with_file(
            "metadata.yaml",
            "name: app\nrequires:\n  db: {interface: mysql}\n",
        )
        .with_relation(Relation::new("db", 1, "mysql"));
    let (app, calls) = run(&s, Hook::new("update-status"), || {
        format!("{:?}", db1().application_name().unwrap())
    });
    assert_eq!(app, "Some(\"mysql\")");
    assert_eq!(calls, 1);
    // In the relation's own hooks, JUJU_REMOTE_APP is enough.
    let (app, calls) = run(&s, Hook::relation("created", "db:1", None), || {
        format!("{:?}", db1().application_name().unwrap())
    });
    assert_eq!((app.as_str(), calls), ("Some(\"mysql\")", 0));
}

/// `worker/uniter/runner/context/relationunit.go`: Juju publishes both
/// `ingress-address` and `private-address`; the ingress address is the one
/// reachable across spaces and models.
#[test]
fn a_unit_is_reached_at_its_ingress_address() {
    let s = State::default()
        .with_file(
            "metadata.yaml",
            "name: app\nrequires:\n  db: {interface: mysql}\n",
        )
        .with_relation(
            Relation::new("db", 1, "mysql")
                .with_unit(
                    "mysql/0",
                    [
                        ("private-address", "10.0.0.1"),
                        ("ingress-address", "192.168.1.9"),
                    ],
                )
                .with_unit("mysql/1", [("private-address", "10.0.0.2")]),
        );
    let (addrs, _) = run(&s, Hook::new("update-status"), || {
        let units = db1().joined_units().unwrap();
        let a: Vec<Option<String>> = units
            .iter()
            .map(|u| {
                let data = u.received_raw().unwrap();
                hookenv::published_address(&data).map(|(_, a)| a.to_string())
            })
            .collect();
        format!("{a:?}")
    });
    assert_eq!(addrs, r#"[Some("192.168.1.9"), Some("10.0.0.2")]"#);
}
