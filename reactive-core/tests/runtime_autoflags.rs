//! The automatic flags: config.*, leadership.*, upgrade.series.in-progress,
//! through the real dispatch with in-memory hook tools.

use std::sync::{Arc, Mutex};

use reactive_core::hookenv::{self, config};
use reactive_core::testing::{Hook, Outcome, State};
use reactive_core::{get_flags, set_flag};
use reactive_core::{HandlerDef, Predicate};

const CONFIG_YAML: &str = "options:
  port: {type: int, default: 9092}
  name: {type: string, default: ''}
  ratio: {type: float, default: 1.0}
  enabled: {type: boolean, default: false}
  nodefault: {type: string}
";

type Seen = Arc<Mutex<Vec<String>>>;

/// A handler that runs in every hook and records the flags it sees.
fn probe(seen: &Seen) -> HandlerDef {
    let seen = seen.clone();
    HandlerDef::new(
        "probe.rs",
        1,
        "probe",
        vec![Predicate::WhenNone(vec!["probe.never".into()])],
        move |_| {
            *seen.lock().unwrap() = get_flags();
            Ok(())
        },
    )
}

/// Fires `hook` with the probe (and `more`); returns the outcome and the
/// flags the probe saw with `prefix`.
fn fire(state: &State, hook: Hook, more: Vec<HandlerDef>, prefix: &str) -> (Outcome, Vec<String>) {
    let seen: Seen = Arc::default();
    let mut defs = vec![probe(&seen)];
    defs.extend(more);
    let out = state.run_handlers(defs, hook);
    assert_eq!(out.error_message(), None);
    let seen = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|f| f.starts_with(prefix))
        .cloned()
        .collect();
    (out, seen)
}

fn base() -> State {
    State::default()
        .with_file("config.yaml", CONFIG_YAML)
        .with_config("port", 9092)
        .with_config("name", "")
        .with_config("ratio", 1)
        .with_config("enabled", true)
}

#[test]
fn first_hook_sees_every_option_changed_with_set_and_default_flags() {
    let (out, seen) = fire(&base(), Hook::new("install"), vec![], "config.");
    assert_eq!(
        seen,
        [
            "config.changed",
            "config.changed.enabled",
            "config.changed.name",
            "config.changed.nodefault",
            "config.changed.port",
            "config.changed.ratio",
            // value equals the config.yaml default (1 == 1.0; no value == no default)
            "config.default.name",
            "config.default.nodefault",
            "config.default.port",
            "config.default.ratio",
            // truthy values only: not "" nor an option without value
            "config.set.enabled",
            "config.set.port",
            "config.set.ratio",
        ]
    );
    // Cleared at the end of the hook, as layer-basic does.
    assert!(
        out.state.flags.keys().all(|f| !f.starts_with("config.")),
        "{:?}",
        out.state.flags
    );
    assert_eq!(out.state.kv["reactive.config.previous"]["port"], 9092);
    assert_eq!(out.calls_to("config-get"), 1);
}

#[test]
fn config_changed_only_in_the_hook_that_sees_the_change() {
    let (first, _) = fire(&base(), Hook::new("install"), vec![], "config.");
    let (second, seen) = fire(
        &first.state,
        Hook::new("update-status"),
        vec![],
        "config.changed",
    );
    assert!(seen.is_empty(), "{seen:?}");
    let changed = second
        .state
        .with_config("port", 9093)
        .with_config("enabled", false);
    let (_, seen) = fire(&changed, Hook::new("config-changed"), vec![], "config.");
    assert_eq!(
        seen,
        [
            "config.changed",
            "config.changed.enabled",
            "config.changed.port",
            "config.default.enabled",
            "config.default.name",
            "config.default.nodefault",
            "config.default.ratio",
            "config.set.port",
            "config.set.ratio",
        ]
    );
}

#[test]
fn config_handle_knows_the_previous_values() {
    let (first, _) = fire(&base(), Hook::new("install"), vec![], "");
    let seen: Seen = Arc::default();
    let s2 = seen.clone();
    let h = HandlerDef::new(
        "c.rs",
        1,
        "check",
        vec![Predicate::WhenAll(vec!["config.changed.port".into()])],
        move |_| {
            let c = config();
            s2.lock().unwrap().push(format!(
                "port changed={} previous={:?} name changed={}",
                c.changed("port")?,
                c.previous("port")?,
                c.changed("name")?
            ));
            Ok(())
        },
    );
    let out = first
        .state
        .with_config("port", 1)
        .run_handlers(vec![h], Hook::new("config-changed"));
    assert_eq!(out.error_message(), None);
    assert_eq!(
        *seen.lock().unwrap(),
        ["port changed=true previous=Some(Number(9092)) name changed=false"]
    );
}

#[test]
fn a_failed_hook_leaves_the_change_for_the_retry() {
    let fail = HandlerDef::new(
        "f.rs",
        1,
        "fail",
        vec![Predicate::WhenAll(vec!["config.changed.port".into()])],
        |_| Err(reactive_core::Error::Other("boom".into())),
    );
    let out = base().run_handlers(vec![fail], Hook::new("install"));
    assert!(out.error.is_some());
    assert_eq!(out.state, base(), "a failed hook changes nothing");
    let (_, seen) = fire(
        &out.state,
        Hook::new("install"),
        vec![],
        "config.changed.port",
    );
    assert_eq!(seen, ["config.changed.port"]);
}

fn leader(settings: &[(&str, &str)]) -> State {
    State {
        leader: true,
        leader_settings: settings
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..State::default()
    }
}

#[test]
fn leadership_flags_follow_is_leader_and_leader_settings() {
    let (out, seen) = fire(
        &leader(&[("a", "1")]),
        Hook::new("leader-elected"),
        vec![],
        "leadership.",
    );
    assert_eq!(
        seen,
        [
            "leadership.changed",
            "leadership.changed.a",
            "leadership.is_leader",
            "leadership.set.a"
        ]
    );
    // Leadership flags persist (layer-leadership recomputes them each hook).
    assert!(out.state.is_flag_set("leadership.is_leader"));
    let (out, seen) = fire(
        &out.state,
        Hook::new("update-status"),
        vec![],
        "leadership.",
    );
    assert_eq!(seen, ["leadership.is_leader", "leadership.set.a"]);

    // Another leader changed `a` and removed it later; this unit follows.
    let mut follower = State {
        leader: false,
        ..out.state.clone()
    };
    follower.leader_settings.insert("a".into(), "2".into());
    let (out, seen) = fire(
        &follower,
        Hook::new("leader-settings-changed"),
        vec![],
        "leadership.",
    );
    assert_eq!(
        seen,
        [
            "leadership.changed",
            "leadership.changed.a",
            "leadership.set.a"
        ]
    );
    let mut removed = out.state.clone();
    removed.leader_settings.clear();
    let (out, seen) = fire(
        &removed,
        Hook::new("leader-settings-changed"),
        vec![],
        "leadership.",
    );
    assert_eq!(seen, ["leadership.changed", "leadership.changed.a"]);
    let (_, seen) = fire(
        &out.state,
        Hook::new("update-status"),
        vec![],
        "leadership.",
    );
    assert!(seen.is_empty(), "{seen:?}");
}

#[test]
fn leader_set_updates_the_flags_at_once() {
    let set = HandlerDef::new(
        "l.rs",
        1,
        "share",
        vec![Predicate::WhenNone(vec!["shared".into()])],
        |_| {
            hookenv::leader_set([("token", "t1")])?;
            set_flag("shared");
            Ok(())
        },
    );
    let saw = HandlerDef::new(
        "l.rs",
        9,
        "react",
        vec![Predicate::WhenAll(vec!["leadership.changed.token".into()])],
        |_| {
            set_flag("reacted");
            Ok(())
        },
    );
    let (out, _) = fire(&leader(&[]), Hook::new("install"), vec![set, saw], "");
    assert!(out.state.is_flag_set("reacted"), "{:?}", out.state.flags);
    assert!(out.state.is_flag_set("leadership.set.token"));
    assert_eq!(out.state.leader_settings["token"], "t1");
    assert_eq!(out.calls_to("leader-set"), 1);
    // The next hook does not take its own write for a change.
    let (_, seen) = fire(
        &out.state,
        Hook::new("update-status"),
        vec![],
        "leadership.changed",
    );
    assert!(seen.is_empty(), "{seen:?}");
}

#[test]
fn upgrade_series_in_progress_between_pre_and_post() {
    let (out, seen) = fire(
        &State::default(),
        Hook::new("pre-series-upgrade"),
        vec![],
        "upgrade.",
    );
    assert_eq!(seen, ["upgrade.series.in-progress"]);
    let (out, seen) = fire(&out.state, Hook::new("update-status"), vec![], "upgrade.");
    assert_eq!(seen, ["upgrade.series.in-progress"]);
    let (out, seen) = fire(
        &out.state,
        Hook::new("post-series-upgrade"),
        vec![],
        "upgrade.",
    );
    assert!(seen.is_empty());
    assert!(!out.state.is_flag_set("upgrade.series.in-progress"));
}

#[test]
fn restricted_hooks_get_no_automatic_flags_and_call_no_tool() {
    let (first, _) = fire(&base().with_leader(true), Hook::new("install"), vec![], "");
    let seen: Seen = Arc::default();
    let s2 = seen.clone();
    let metrics = HandlerDef::new(
        "m.rs",
        1,
        "metrics",
        vec![Predicate::Restricted("collect-metrics".into())],
        move |_| {
            *s2.lock().unwrap() = get_flags();
            Ok(())
        },
    );
    let changed = first.state.clone().with_config("port", 1);
    let out = changed.run_handlers(vec![metrics], Hook::new("collect-metrics"));
    assert_eq!(out.error_message(), None);
    // Exactly the stored flags: no config.* computed, nothing recomputed.
    let stored: Vec<&str> = first.state.flags.keys().map(String::as_str).collect();
    assert_eq!(*seen.lock().unwrap(), stored);
    assert_eq!(stored, ["leadership.is_leader"]);
    assert!(
        out.tool_calls.iter().all(|c| c.tool == "juju-log"),
        "{:?}",
        out.tool_calls
    );
    assert_eq!(out.state.flags, first.state.flags);
    assert_eq!(
        out.state.kv.get("reactive.config.previous"),
        first.state.kv.get("reactive.config.previous")
    );
}
