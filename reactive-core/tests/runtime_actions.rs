//! Actions through the real dispatch with in-memory hook tools: their own
//! namespace (`actions/<name>`), no automatic flag, typed parameters, and
//! a failing handler failing the action with its message.

use std::sync::{Arc, Mutex};

use reactive_core::hookenv::{self, HookError};
use reactive_core::testing::{Hook, State};
use reactive_core::{get_flags, set_flag};
use reactive_core::{HandlerDef, Predicate};
use serde_json::{json, Map, Value};

type Seen = Arc<Mutex<Vec<String>>>;

/// The actions these tests run. `tls` is a loose object, so that a
/// parameter of the wrong type reaches the charm (Juju validates only what
/// the schema says).
const ACTIONS: &str = "stop: {}\nlook: {}\nfail: {}\ngo: {}\n\
    backup:\n  params:\n    dest: {type: string}\n    compress: {type: boolean}\n    tls: {type: object}\n";

/// A unit whose charm declares [`ACTIONS`].
fn unit() -> State {
    State::default().with_file("actions.yaml", ACTIONS)
}

fn def(name: &str, conds: Vec<Predicate>, seen: &Seen) -> HandlerDef {
    let seen = seen.clone();
    let me = name.to_string();
    HandlerDef::new("actions.rs", 1, name, conds, move |_| {
        seen.lock().unwrap().push(me.clone());
        Ok(())
    })
}

fn params(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// `worker/uniter/runner/runner.go`: Juju runs an action as
/// `actions/<name>`; an action named like a hook runs its `#[action]`
/// handlers only, and a hook runs no action handler.
#[test]
fn actions_and_hooks_do_not_share_names_runner_go() {
    let seen = Seen::default();
    let handlers = || {
        vec![
            def(
                "stop_hook",
                vec![Predicate::Hook(vec!["stop".into()])],
                &seen,
            ),
            def("stop_action", vec![Predicate::Action("stop".into())], &seen),
        ]
    };
    let out = unit().run_handlers(handlers(), Hook::action("stop"));
    assert_eq!(out.error_message(), None);
    assert_eq!(out.trace.hook, "actions/stop");
    assert_eq!(*seen.lock().unwrap(), ["stop_action"]);
    seen.lock().unwrap().clear();
    let out = State::default().run_handlers(handlers(), Hook::new("stop"));
    assert_eq!(out.error_message(), None);
    assert_eq!(*seen.lock().unwrap(), ["stop_hook"]);
}

/// The Python base layer sets the `config.*` flags in hooks only: an
/// action between a config change and `config-changed` neither sees nor
/// clears `config.changed.*`, which `config-changed` then sees.
#[test]
fn an_action_leaves_config_changed_for_config_changed() {
    let yaml = "options:\n  port: {type: int, default: 9092}\n";
    let installed = unit()
        .with_file("config.yaml", yaml)
        .run_handlers(vec![], Hook::new("install"))
        .state
        .with_config("port", 9093);
    let seen = Seen::default();
    let on_change = || {
        def(
            "reconfigure",
            vec![Predicate::WhenAll(vec!["config.changed.port".into()])],
            &seen,
        )
    };
    let flags_in_action: Seen = Seen::default();
    let record = {
        let f = flags_in_action.clone();
        HandlerDef::new(
            "actions.rs",
            2,
            "look",
            vec![Predicate::Action("look".into())],
            move |_| {
                *f.lock().unwrap() = get_flags();
                Ok(())
            },
        )
    };
    let out = installed.run_handlers(vec![on_change(), record], Hook::action("look"));
    assert_eq!(out.error_message(), None);
    assert!(
        seen.lock().unwrap().is_empty(),
        "the action saw config.changed"
    );
    assert!(
        flags_in_action
            .lock()
            .unwrap()
            .iter()
            .all(|f| !f.starts_with("config.")),
        "{:?}",
        flags_in_action.lock().unwrap()
    );
    assert_eq!(
        out.calls_to("config-get"),
        0,
        "no automatic flag is computed"
    );
    let out = out
        .state
        .run_handlers(vec![on_change()], Hook::new("config-changed"));
    assert_eq!(out.error_message(), None);
    assert_eq!(*seen.lock().unwrap(), ["reconfigure"]);
}

/// `context/context.go` (`finalizeAction`): the error of a failing action
/// handler is the action's failure message (`action-fail`); nothing it
/// did to the unit's state is committed.
#[test]
fn a_failing_action_handler_fails_the_action_with_its_message() {
    let failing = HandlerDef::new(
        "actions.rs",
        3,
        "fail",
        vec![Predicate::Action("fail".into())],
        |_| {
            set_flag("fail.ran");
            Err(reactive_core::Error::Other("-disk full".into()))
        },
    );
    let out = unit().run_handlers(vec![failing], Hook::action("fail"));
    assert!(out.error.is_some());
    let message = out.action_failed.clone().unwrap_or_default();
    assert!(message.contains("-disk full"), "{message}");
    assert!(!out.state.is_flag_set("fail.ran"));
    let fail_calls: Vec<_> = out
        .tool_calls
        .iter()
        .filter(|c| c.tool == "action-fail")
        .collect();
    assert_eq!(fail_calls.len(), 1);
    assert_eq!(
        fail_calls[0].args[0], "--",
        "the message may start with a dash"
    );
}

#[derive(Debug, Clone, serde::Deserialize, PartialEq)]
struct Backup {
    dest: String,
    #[serde(default)]
    compress: bool,
    tls: Tls,
}

#[derive(Debug, Clone, serde::Deserialize, PartialEq)]
struct Tls {
    port: u16,
}

/// Typed parameters: the whole of `action-get` as a serde type; a missing
/// or mistyped parameter is an error naming it.
#[test]
fn typed_parameters_name_the_parameter_they_fail_on() {
    let got: Arc<Mutex<Vec<Result<Backup, String>>>> = Arc::default();
    let read = {
        let got = got.clone();
        HandlerDef::new(
            "actions.rs",
            4,
            "read",
            vec![Predicate::Action("backup".into())],
            move |_| {
                let r: Result<Backup, HookError> = hookenv::action_params();
                got.lock().unwrap().push(r.map_err(|e| e.to_string()));
                Ok(())
            },
        )
    };
    for p in [
        json!({"dest": "/srv", "tls": {"port": 443}}),
        json!({"dest": "/srv", "tls": {"port": "443"}}),
        json!({"tls": {"port": 443}}),
    ] {
        let hook = params(p)
            .into_iter()
            .fold(Hook::action("backup"), |h, (k, v)| h.with_param(k, v));
        let out = unit().run_handlers(vec![read.clone()], hook);
        assert_eq!(out.error_message(), None);
    }
    let got = got.lock().unwrap();
    assert_eq!(
        got[0],
        Ok(Backup {
            dest: "/srv".into(),
            compress: false,
            tls: Tls { port: 443 }
        })
    );
    let e = got[1].clone().unwrap_err();
    assert!(
        e.starts_with("action parameters: tls.port: invalid type: string \"443\""),
        "{e}"
    );
    assert_eq!(
        got[2].clone().unwrap_err(),
        "action parameters: missing field `dest`"
    );
}

/// `jujuc/action-set.go`: each dotted part of a key matches
/// `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`, and Juju keeps `stdout`, `stderr`
/// and their encodings; a bad key is refused before the call, naming it.
#[test]
fn action_set_keys_are_checked_before_the_call_action_set_go() {
    let set = HandlerDef::new(
        "actions.rs",
        5,
        "set",
        vec![Predicate::Action("go".into())],
        |_| {
            hookenv::action_set([("Out.Size", "1")])?;
            Ok(())
        },
    );
    let out = unit().run_handlers(vec![set], Hook::action("go"));
    assert_eq!(out.calls_to("action-set"), 0);
    let message = out.action_failed.clone().unwrap_or_default();
    assert!(
        message.contains("action_set: invalid key \"Out.Size\""),
        "{message}"
    );
}

/// `jujuc/action-log.go`: progress lines of the running action.
#[test]
fn action_log_lines_reach_the_action() {
    let log = HandlerDef::new(
        "actions.rs",
        6,
        "log",
        vec![Predicate::Action("go".into())],
        |_| {
            hookenv::action_log("-step 1")?;
            Ok(())
        },
    );
    let out = unit().run_handlers(vec![log], Hook::action("go"));
    assert_eq!(out.error_message(), None);
    let call = out
        .tool_calls
        .iter()
        .find(|c| c.tool == "action-log")
        .cloned();
    assert_eq!(
        call.map(|c| c.args),
        Some(vec!["--".into(), "-step 1".into()])
    );
}
