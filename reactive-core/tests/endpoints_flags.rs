//! The flags the framework keeps for every endpoint: `joined`, `changed`,
//! `changed.<key>` and `departed`, through joins, changes and departures
//! on several relation ids, with the Python framework's rules.

use reactive_core::prelude::*;
use reactive_core::testing::{Hook, Outcome, Relation, State};
use reactive_core::{endpoint_type, kv, HandlerDef, Predicate};

/// The endpoint is named `db`, its interface `mysql`: flags use the name.
const META: &str = "name: app
requires:
  db: {interface: mysql}
provides:
  website: {interface: http}
";

endpoint_type! {
    /// The requiring side of `mysql`.
    pub struct MysqlRequires: requires "mysql";
}

endpoint_type! {
    /// An endpoint type with both start-of-hook functions.
    pub struct CacheRequires: requires "cache",
        register_triggers = CacheRequires::triggers,
        manage_flags = CacheRequires::manage;
}

impl CacheRequires {
    fn triggers(&self) {
        register_trigger(Trigger::when(self.expand_name("changed.size")).set_flag("cache.resize"));
    }

    fn manage(&self) -> reactive_core::Result {
        let calls: u32 = kv().get("manage.calls")?.unwrap_or(0);
        kv().set("manage.calls", &(calls + 1))?;
        toggle_flag(
            &self.expand_name("{endpoint_name}.ready"),
            is_flag_set(&self.expand_name("joined")),
        );
        Ok(())
    }
}

endpoint_type! {
    /// Two types claiming one role and interface.
    pub struct DupA: provides "dup";
}
endpoint_type! {
    /// See [`DupA`].
    pub struct DupB: provides "dup";
}

fn fire(state: &State, hook: Hook) -> Outcome {
    let out = state.run_handlers(vec![], hook);
    assert_eq!(out.error_message(), None);
    out
}

fn endpoint_flags(state: &State) -> Vec<&str> {
    state
        .flags
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .into_iter()
        .filter(|f| f.starts_with("endpoint."))
        .collect()
}

fn relation_mut<'a>(state: &'a mut State, rid: &str) -> &'a mut Relation {
    state
        .relations
        .iter_mut()
        .find(|r| r.relation_id() == rid)
        .unwrap_or_else(|| panic!("no relation {rid}"))
}

fn publish(state: &mut State, rid: &str, unit: &str, data: &[(&str, &str)]) {
    let settings = relation_mut(state, rid)
        .remote_units
        .entry(unit.to_string())
        .or_default();
    for (k, v) in data {
        settings.insert(k.to_string(), v.to_string());
    }
}

fn leave(state: &mut State, rid: &str, unit: &str) {
    relation_mut(state, rid).remote_units.remove(unit);
}

/// What a handler clearing the `changed` flags would do.
fn handled(mut state: State) -> State {
    state
        .flags
        .retain(|f, _| !f.starts_with("endpoint.db.changed"));
    state
}

#[test]
fn join_change_and_depart_on_two_relations() {
    let s = State::default().with_file("metadata.yaml", META);
    let s = fire(&s, Hook::new("install")).state;
    assert!(endpoint_flags(&s).is_empty());

    // Created, nobody joined yet.
    let s = s.with_relation(Relation::new("db", 1, "mysql"));
    let s = fire(&s, Hook::relation("created", "db:1", None)).state;
    assert!(endpoint_flags(&s).is_empty());

    // The first unit joins with data.
    let mut s = s;
    publish(&mut s, "db:1", "mysql/0", &[("host", "10.0.0.1")]);
    let s = fire(&s, Hook::relation("joined", "db:1", Some("mysql/0"))).state;
    assert_eq!(
        endpoint_flags(&s),
        [
            "endpoint.db.changed",
            "endpoint.db.changed.host",
            "endpoint.db.joined"
        ]
    );

    // The same data again is no change; a new key is.
    let mut s = handled(s);
    let same = fire(&s, Hook::relation("changed", "db:1", Some("mysql/0"))).state;
    assert_eq!(endpoint_flags(&same), ["endpoint.db.joined"]);
    publish(&mut s, "db:1", "mysql/0", &[("port", "3306")]);
    let s = fire(&s, Hook::relation("changed", "db:1", Some("mysql/0"))).state;
    assert_eq!(
        endpoint_flags(&s),
        [
            "endpoint.db.changed",
            "endpoint.db.changed.port",
            "endpoint.db.joined"
        ]
    );
    // Never cleared by the framework.
    let s = fire(&s, Hook::new("update-status")).state;
    assert!(s.is_flag_set("endpoint.db.changed.port"));

    // A second relation id, another application.
    let mut s = handled(s).with_relation(Relation::new("db", 2, "backup"));
    publish(&mut s, "db:2", "backup/0", &[("host", "10.0.0.2")]);
    let s = fire(&s, Hook::relation("joined", "db:2", Some("backup/0"))).state;
    assert!(s.is_flag_set("endpoint.db.changed.host"));

    // mysql/0 departs: still joined through db:2, departed set.
    let s = handled(s);
    let out = fire(&s, Hook::relation("departed", "db:1", Some("mysql/0")));
    let mut s = out.state;
    assert_eq!(
        endpoint_flags(&s),
        ["endpoint.db.departed", "endpoint.db.joined"]
    );
    let departed = &s.kv["reactive.endpoints.departed.db"];
    assert_eq!(departed[0]["unit_name"], "mysql/0");
    assert_eq!(departed[0]["relation"], "db:1");
    assert_eq!(departed[0]["data"]["port"], "3306");

    // The next hook while a unit is still joined clears departed.
    leave(&mut s, "db:1", "mysql/0");
    let s = fire(&s, Hook::new("update-status")).state;
    assert_eq!(endpoint_flags(&s), ["endpoint.db.joined"]);

    // The last unit departs: joined cleared, departed set and kept.
    let out = fire(&s, Hook::relation("departed", "db:2", Some("backup/0")));
    let mut s = out.state;
    assert_eq!(endpoint_flags(&s), ["endpoint.db.departed"]);
    leave(&mut s, "db:2", "backup/0");
    let s = fire(&s, Hook::new("update-status")).state;
    assert_eq!(endpoint_flags(&s), ["endpoint.db.departed"]);
    let s = fire(&s, Hook::relation("broken", "db:2", None)).state;
    assert_eq!(endpoint_flags(&s), ["endpoint.db.departed"]);

    // Joined again: departed cleared.
    let mut s = s;
    s.relations.retain(|r| r.id != 2);
    publish(&mut s, "db:1", "mysql/1", &[("host", "10.0.0.3")]);
    let s = fire(&s, Hook::relation("joined", "db:1", Some("mysql/1"))).state;
    assert_eq!(
        endpoint_flags(&s),
        [
            "endpoint.db.changed",
            "endpoint.db.changed.host",
            "endpoint.db.joined"
        ]
    );
    // Both departures are remembered until the charm forgets them.
    let names: Vec<&str> = s.kv["reactive.endpoints.departed.db"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["mysql/0", "backup/0"]);
}

#[test]
fn other_hooks_do_not_read_remote_data_once_joined() {
    let mut s = State::default()
        .with_file("metadata.yaml", META)
        .with_relation(
            Relation::new("db", 1, "mysql").with_unit("mysql/0", [("host", "10.0.0.1")]),
        );
    s = handled(fire(&s, Hook::relation("joined", "db:1", Some("mysql/0"))).state);
    publish(&mut s, "db:1", "mysql/0", &[("host", "10.0.0.9")]);

    let out = fire(&s, Hook::new("update-status"));
    // One relation-ids for the endpoint, one relation-list for its relation.
    assert_eq!(out.calls_to("relation-get"), 0);
    assert_eq!(out.calls_to("relation-ids"), 1);
    assert_eq!(out.calls_to("relation-list"), 1);
    assert!(!out.state.is_flag_set("endpoint.db.changed"));

    // The endpoint's own relation hook sees the change.
    let out = fire(
        &out.state,
        Hook::relation("changed", "db:1", Some("mysql/0")),
    );
    assert!(out.state.is_flag_set("endpoint.db.changed.host"));
}

#[test]
fn data_is_compared_in_any_hook_until_joined_is_set() {
    // A unit upgraded from a charm that did not keep endpoint flags: the
    // first hook, whatever it is, sees the data.
    let s = State::default()
        .with_file("metadata.yaml", META)
        .with_relation(
            Relation::new("db", 1, "mysql").with_unit("mysql/0", [("host", "10.0.0.1")]),
        );
    let out = fire(&s, Hook::new("upgrade-charm"));
    assert!(out.state.is_flag_set("endpoint.db.joined"));
    assert!(out.state.is_flag_set("endpoint.db.changed.host"));
}

#[test]
fn a_value_equal_as_json_is_no_change_and_hashes_are_per_unit() {
    let mut s = State::default()
        .with_file("metadata.yaml", META)
        .with_relation(
            Relation::new("db", 1, "mysql")
                .with_unit("mysql/0", [("cfg", r#"{"a": 1, "b": 2}"#)])
                .with_unit("mysql/1", [("cfg", "1")]),
        );
    s = handled(fire(&s, Hook::relation("joined", "db:1", Some("mysql/0"))).state);
    publish(&mut s, "db:1", "mysql/0", &[("cfg", r#"{"b":2,"a":1}"#)]);
    let out = fire(&s, Hook::relation("changed", "db:1", Some("mysql/0")));
    assert!(!out.state.is_flag_set("endpoint.db.changed"));
    publish(&mut s, "db:1", "mysql/1", &[("cfg", "2")]);
    let out = fire(&s, Hook::relation("changed", "db:1", Some("mysql/1")));
    assert!(out.state.is_flag_set("endpoint.db.changed.cfg"));
}

#[test]
fn flags_are_kept_only_if_the_hook_succeeds() {
    let s = State::default()
        .with_file("metadata.yaml", META)
        .with_relation(
            Relation::new("db", 1, "mysql").with_unit("mysql/0", [("host", "10.0.0.1")]),
        );
    let fail = HandlerDef::new(
        "charm.rs",
        1,
        "fail",
        vec![Predicate::WhenAll(vec!["endpoint.db.joined".into()])],
        |_| Err(reactive_core::Error::Other("workload down".into())),
    );
    let out = s.run_handlers(
        vec![fail],
        Hook::relation("joined", "db:1", Some("mysql/0")),
    );
    assert!(out.error.is_some());
    assert_eq!(out.state, s);
    // The retry sees the change again: the data hashes were not kept.
    let out = fire(&s, Hook::relation("joined", "db:1", Some("mysql/0")));
    assert!(out.state.is_flag_set("endpoint.db.changed.host"));
}

#[test]
fn only_endpoint_types_get_flags_and_restricted_hooks_none() {
    let s = State::default()
        .with_file("metadata.yaml", META)
        .with_relation(Relation::new("website", 4, "proxy").with_unit("proxy/0", [("x", "1")]));
    let out = fire(&s, Hook::relation("joined", "website:4", Some("proxy/0")));
    assert!(endpoint_flags(&out.state).is_empty());

    let s = State::default()
        .with_file("metadata.yaml", META)
        .with_relation(
            Relation::new("db", 1, "mysql").with_unit("mysql/0", [("host", "10.0.0.1")]),
        );
    let out = fire(&s, Hook::new("collect-metrics"));
    assert!(endpoint_flags(&out.state).is_empty());
    assert!(out.tool_calls.is_empty());
}

#[test]
fn register_triggers_and_manage_flags_run_at_the_start_of_hooks() {
    let meta = "name: app\nrequires:\n  store: {interface: cache}\n";
    let mut s = State::default()
        .with_file("metadata.yaml", meta)
        .with_relation(Relation::new("store", 7, "redis").with_unit("redis/0", [("size", "1")]));
    s = fire(&s, Hook::relation("joined", "store:7", Some("redis/0"))).state;
    // The trigger fired on the automatic flag, in the same transaction.
    assert!(s.is_flag_set("cache.resize"));
    assert!(s.is_flag_set("store.ready"));
    assert_eq!(s.kv["manage.calls"], 1);

    // Outside the endpoint's hooks, once joined, manage_flags does not run.
    s = fire(&s, Hook::new("update-status")).state;
    assert_eq!(s.kv["manage.calls"], 1);
    // A trigger fires when its flag becomes set: as a handler would, clear
    // the changed flags once acted on.
    s.flags
        .retain(|f, _| f != "cache.resize" && !f.starts_with("endpoint.store.changed"));
    publish(&mut s, "store:7", "redis/0", &[("size", "2")]);
    s = fire(&s, Hook::relation("changed", "store:7", Some("redis/0"))).state;
    assert_eq!(s.kv["manage.calls"], 2);
    assert!(s.is_flag_set("cache.resize"));
}

#[test]
fn two_types_for_one_interface_fail_the_hook_naming_both() {
    let s = State::default().with_file(
        "metadata.yaml",
        "name: app\nprovides:\n  x: {interface: dup}\n",
    );
    let out = s.run_handlers(vec![], Hook::new("install"));
    let msg = out.error_message().unwrap();
    assert!(msg.contains("DupA") && msg.contains("DupB"), "{msg}");
    assert!(msg.contains("provides:dup"), "{msg}");
}

/// A remote unit publishing keys that cannot be part of a flag name (a
/// space, a control character, a line break, 10 KiB) must not put the unit
/// in error: those keys set no flag and are named in one warning each,
/// quoted and bounded; the good key beside them still sets its flag.
#[test]
fn keys_that_cannot_name_a_flag_are_skipped_with_a_warning() {
    let long = "k".repeat(10 * 1024);
    let bad = ["bad key", "bell\u{7}", "two\nlines", long.as_str()];
    let mut s = State::default().with_file("metadata.yaml", META);
    s = s.with_relation(Relation::new("db", 1, "mysql"));
    let mut data: Vec<(&str, &str)> = bad.iter().map(|k| (*k, "x")).collect();
    data.push(("host", "10.0.0.1"));
    publish(&mut s, "db:1", "mysql/0", &data);
    let out = fire(&s, Hook::relation("joined", "db:1", Some("mysql/0")));
    assert_eq!(
        endpoint_flags(&out.state),
        [
            "endpoint.db.changed",
            "endpoint.db.changed.host",
            "endpoint.db.joined"
        ]
    );
    let warnings: Vec<&str> = out
        .logs
        .iter()
        .map(|(_, l)| l.as_str())
        .filter(|l| l.contains("cannot name a flag"))
        .collect();
    assert_eq!(warnings.len(), bad.len(), "{warnings:?}");
    for w in &warnings {
        assert!(w.contains("unit mysql/0 on relation db:1"), "{w}");
        assert!(!w.contains('\n'), "one line: {w}");
        assert!(w.len() < 1024 + 300, "bounded: {} bytes", w.len());
    }
    assert!(out
        .logs
        .iter()
        .any(|(_, l)| l.contains(r#"key "two\nlines""#)));
    assert!(out
        .logs
        .iter()
        .any(|(_, l)| l.contains("(9216 more bytes not shown)")));
    assert!(out
        .logs
        .iter()
        .any(|(_, l)| l.contains("longer than 1024 bytes")));
}
