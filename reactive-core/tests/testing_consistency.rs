//! The harness refuses states Juju could not produce and runs that select
//! nothing, before the charm runs (as Scenario's consistency checker,
//! `ops-scenario` `_consistency_checker.py`): each mistake below once passed
//! silently.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use reactive_core::testing::{Hook, Relation, State};

const CONFIG: &str = "options:\n  port: {type: int, default: 8080}\n  name: {type: string}\n  \
                      ratio: {type: float}\n  debug: {type: boolean}\n  token: {type: secret}\n";
const META: &str = "name: web\nprovides:\n  website: {interface: http}\npeers:\n  cluster: {interface: web-peers}\n";

fn problems(state: &State, hook: &Hook) -> String {
    match state.check(hook) {
        Ok(()) => panic!("accepted: {state:?} {hook:?}"),
        Err(e) => e.to_string(),
    }
}

fn panic_message(f: impl FnOnce()) -> String {
    let err = catch_unwind(AssertUnwindSafe(f)).expect_err("should panic");
    err.downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn config_keys_must_be_declared_and_of_their_juju_type() {
    let state = State::default().with_file("config.yaml", CONFIG);
    let install = Hook::new("install");
    let ok = state
        .clone()
        .with_config("port", 9000)
        .with_config("name", "x")
        .with_config("ratio", 1)
        .with_config("debug", true)
        .with_config("token", "secret:abc");
    assert_eq!(ok.check(&install), Ok(()));

    let e = problems(&state.clone().with_config("prot", 9000), &install);
    assert!(e.contains("\"prot\" is not declared in config.yaml"), "{e}");
    assert!(
        e.contains("options: debug, name, port, ratio, token"),
        "{e}"
    );
    for (option, bad, kind) in [
        ("port", serde_json::json!("8080"), "int"),
        ("port", serde_json::json!(1.5), "int"),
        ("ratio", serde_json::json!("1"), "float"),
        ("debug", serde_json::json!("true"), "boolean"),
        ("name", serde_json::json!(3), "string"),
        ("token", serde_json::json!("plain"), "secret"),
    ] {
        let e = problems(&state.clone().with_config(option, bad.clone()), &install);
        assert!(
            e.contains(&format!("{option:?} is declared `type: {kind}`")),
            "{e}"
        );
    }
}

#[test]
fn config_yaml_is_read_as_juju_reads_it() {
    let state = State::default().with_file("config.yaml", "options:\n  port: {type: integer}\n");
    let e = problems(&state, &Hook::new("install"));
    assert!(e.contains("config.yaml"), "{e}");
    assert!(e.contains("options.port.type"), "{e}");
    let e = problems(
        &State::default().with_config("port", 1),
        &Hook::new("install"),
    );
    assert!(e.contains("has no config.yaml"), "{e}");
}

#[test]
fn relations_and_relation_hooks_must_exist() {
    let cluster = Relation::new("cluster", 1, "web").with_unit("web/1", [("a", "b")]);
    let hook = Hook::relation("changed", "cluster:1", Some("web/1"));
    // No metadata: the relation hook would run no relation handler.
    let e = problems(&State::default().with_relation(cluster.clone()), &hook);
    assert!(
        e.contains("relation cluster:1 is in the state but the state has no metadata.yaml"),
        "{e}"
    );

    let state = State::default()
        .with_file("metadata.yaml", META)
        .with_relation(cluster);
    assert_eq!(state.check(&hook), Ok(()));
    let e = problems(
        &state,
        &Hook::relation("changed", "cluster:2", Some("web/1")),
    );
    assert!(
        e.contains("relation cluster:2, which is not in the state (relations: cluster:1)"),
        "{e}"
    );
    let e = problems(
        &state,
        &Hook::relation("changed", "cluster:1", Some("web/7")),
    );
    assert!(
        e.contains("remote unit \"web/7\" is not in relation cluster:1"),
        "{e}"
    );
    let e = problems(
        &state.clone().with_relation(Relation::new("db", 2, "pg")),
        &Hook::new("install"),
    );
    assert!(
        e.contains("\"db\" is not declared in metadata.yaml (relations: cluster, website)"),
        "{e}"
    );
    let e = problems(
        &state
            .clone()
            .with_relation(Relation::new("cluster", 3, "other")),
        &Hook::new("install"),
    );
    assert!(e.contains("peer relation"), "{e}");
    let e = problems(
        &state
            .with_relation(Relation::new("website", 1, "proxy").with_unit("nginx/0", [("a", "b")])),
        &Hook::new("install"),
    );
    assert!(e.contains("relation id 1 is used twice"), "{e}");
    assert!(e.contains("\"nginx/0\" is not a unit of \"proxy\""), "{e}");
}

#[test]
fn hooks_must_be_juju_hooks_and_actions_declared() {
    let e = problems(&State::default(), &Hook::new("config-change"));
    assert!(e.contains("did you mean `config-changed`?"), "{e}");
    let e = problems(&State::default(), &Hook::new("leader-elected"));
    assert!(e.contains("with_leader(true)"), "{e}");
    let e = problems(
        &State::default().with_file("metadata.yaml", META),
        &Hook::new("data-storage-attached"),
    );
    assert!(
        e.contains("\"data\" is not declared under `storage`"),
        "{e}"
    );

    let e = problems(&State::default(), &Hook::action("backup"));
    assert!(e.contains("has no actions.yaml"), "{e}");
    let state = State::default().with_file(
        "actions.yaml",
        "backup:\n  params:\n    dest: {type: string}\n  additionalProperties: false\n",
    );
    assert_eq!(
        state.check(&Hook::action("backup").with_param("dest", "/srv")),
        Ok(())
    );
    let e = problems(&state, &Hook::new("backup"));
    assert!(e.contains("fire it with Hook::action"), "{e}");
    let e = problems(&state, &Hook::action("restore"));
    assert!(
        e.contains("\"restore\" is not declared in actions.yaml (actions: backup)"),
        "{e}"
    );
    let e = problems(&state, &Hook::action("backup").with_param("dest", 3));
    assert!(e.contains("do not match actions.yaml"), "{e}");
}

#[test]
fn a_run_checks_the_state_first() {
    let msg = panic_message(|| {
        let _ = State::default()
            .with_file("config.yaml", CONFIG)
            .with_config("prot", 1)
            .run_handlers(Vec::new(), Hook::new("install"));
    });
    assert!(msg.starts_with("testing: inconsistent state:"), "{msg}");
}

mod charm {
    use reactive_core::prelude::*;

    #[when_not("app.installed")]
    fn install() {
        set_flag("app.installed");
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn module_path_of_a_test_module_selects_no_handler() {
            let msg = super::super::panic_message(|| {
                let _ = super::super::State::default()
                    .run_in(module_path!(), super::super::Hook::new("install"));
            });
            assert!(
                msg.contains(
                    "module filter \"testing_consistency::charm::tests\" selects no handler"
                ),
                "{msg}"
            );
            assert!(
                msg.contains("modules with handlers: testing_consistency::charm"),
                "{msg}"
            );
        }
    }
}

#[test]
fn a_charm_directory_declares_the_state() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("charmcraft.yaml"),
        "name: web\ntype: charm\nsummary: s\ndescription: d\n\
         peers:\n  cluster: {interface: web-peers}\n\
         config:\n  options:\n    port: {type: int, default: 80}\n\
         actions:\n  snapshot: {}\n",
    )
    .unwrap();
    let state = State::for_charm(dir.path());
    assert_eq!(state.check(&Hook::action("snapshot")), Ok(()));
    let e = problems(
        &state.clone().with_config("port", "80"),
        &Hook::new("install"),
    );
    assert!(e.contains("declared `type: int`"), "{e}");
    let peers = state.with_relation(Relation::new("cluster", 1, "web"));
    assert_eq!(peers.relations[0].remote_app, "web");
    assert_eq!(
        peers.check(&Hook::relation("created", "cluster:1", None)),
        Ok(())
    );

    // Separate files win, as for Juju.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("metadata.yaml"), "name: db\n").unwrap();
    std::fs::write(dir.path().join("config.yaml"), CONFIG).unwrap();
    let state = State::for_charm(dir.path());
    assert_eq!(state.files[Path::new("metadata.yaml")], b"name: db\n");
    assert_eq!(
        state.with_config("debug", true).check(&Hook::new("start")),
        Ok(())
    );
}
