//! The relation model: conversations per scope, flag holders, joins and
//! departures in any order, argument resolution, remote data.

use reactive_core::prelude::*;
use reactive_core::testing::{Hook, Outcome, Relation, State};
use reactive_core::{kv, relation_type};

const META: &str = "name: server
provides:
  clients: {interface: db}
requires:
  backend: {interface: store}
peers:
  cluster: {interface: ring}
";

relation_type! {
    /// Unit scope (the default): one conversation per client unit.
    pub struct DbProvides: provides "db";
}
relation_type! {
    /// Service scope: one conversation per remote application.
    pub struct StoreRequires: requires "store", scope = Service;
}
relation_type! {
    /// Global scope: one conversation for everyone.
    pub struct RingPeers: peers "ring", scope = Global;
}

mod handlers {
    use super::*;

    #[hook("{provides:db}-relation-joined")]
    fn db_joined(db: &DbProvides) -> reactive_core::Result {
        db.conversation()?.set_state("{relation_name}.connected")?;
        Ok(())
    }

    #[hook("{provides:db}-relation-changed")]
    fn db_changed(db: &DbProvides) -> reactive_core::Result {
        let c = db.conversation()?;
        if c.get_remote::<String>("ready")?.is_some() {
            c.set_state("{relation_name}.ready")?;
        } else {
            c.remove_state("{relation_name}.ready")?;
        }
        Ok(())
    }

    /// Resolved from the flag: sees every conversation holding it.
    #[when("clients.connected")]
    fn count_clients(db: &DbProvides) -> reactive_core::Result {
        kv().set("clients", &db.conversations.len())?;
        Ok(())
    }

    #[hook("{requires:store}-relation-{joined,changed}")]
    fn store_joined(store: &StoreRequires) -> reactive_core::Result {
        let c = store.conversation()?;
        c.set_state("{relation_name}.joined")?;
        if let Some(size) = c.get_remote::<u32>("size")? {
            kv().set("size", &size)?;
        }
        Ok(())
    }

    #[when("backend.joined")]
    fn store_units(store: &StoreRequires) -> reactive_core::Result {
        let units: Vec<usize> = store.conversations.iter().map(|c| c.units.len()).collect();
        kv().set("store_units", &units)?;
        Ok(())
    }

    #[hook("{peers:ring}-relation-joined")]
    fn ring_joined(ring: &RingPeers) -> reactive_core::Result {
        let c = ring.conversation()?;
        c.set_state("{relation_name}.peered")?;
        c.set_remote("hello", "world")?;
        Ok(())
    }

    #[when("cluster.peered")]
    fn ring_units(ring: &RingPeers) -> reactive_core::Result {
        let units: Vec<String> = ring.conversation()?.units.iter().cloned().collect();
        kv().set("ring_units", &units)?;
        Ok(())
    }
}

mod bad_argument {
    use super::*;

    #[when("plain.flag")]
    fn wants_relation(db: &DbProvides) {
        let _ = db;
    }
}

fn run(state: &State, hook: Hook) -> Outcome {
    let out = state.run_in("relations::handlers", hook);
    assert_eq!(out.error_message(), None);
    out
}

fn holders(state: &State, flag: &str) -> Vec<String> {
    let v = &state.flags[flag];
    assert_eq!(v["relation"], flag.split('.').next().unwrap());
    let mut h: Vec<String> = v["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    h.sort();
    h
}

fn kv_of(state: &State, key: &str) -> serde_json::Value {
    state.kv.get(key).cloned().unwrap_or_default()
}

/// Adds `unit` to relation `id` of `state`, then fires joined and changed.
fn join(
    mut state: State,
    name: &str,
    id: u32,
    app: &str,
    unit: &str,
    data: &[(&str, &str)],
) -> State {
    let rid = format!("{name}:{id}");
    match state.relations.iter_mut().find(|r| r.relation_id() == rid) {
        Some(r) => {
            r.remote_units.insert(
                unit.into(),
                data.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            );
        }
        None => {
            state = state.with_relation(Relation::new(name, id, app).with_unit(unit, data.to_vec()))
        }
    }
    let state = run(&state, Hook::relation("joined", &rid, Some(unit))).state;
    run(&state, Hook::relation("changed", &rid, Some(unit))).state
}

/// Removes `unit` from relation `rid`, then fires departed.
fn depart(mut state: State, rid: &str, unit: &str) -> State {
    let r = state
        .relations
        .iter_mut()
        .find(|r| r.relation_id() == rid)
        .unwrap();
    r.remote_units.remove(unit);
    run(&state, Hook::relation("departed", rid, Some(unit))).state
}

fn base() -> State {
    State::default().with_file("metadata.yaml", META)
}

#[test]
fn unit_scope_one_conversation_per_unit_and_flags_survive_partial_departure() {
    let s = join(base(), "clients", 1, "app", "app/0", &[]);
    assert_eq!(
        holders(&s, "clients.connected"),
        ["reactive.conversations.clients:1.app/0"]
    );
    let s = join(s, "clients", 1, "app", "app/1", &[("ready", "yes")]);
    let s = join(s, "clients", 2, "other", "other/0", &[]);
    assert_eq!(
        holders(&s, "clients.connected"),
        [
            "reactive.conversations.clients:1.app/0",
            "reactive.conversations.clients:1.app/1",
            "reactive.conversations.clients:2.other/0"
        ]
    );
    assert_eq!(
        holders(&s, "clients.ready"),
        ["reactive.conversations.clients:1.app/1"]
    );
    assert_eq!(
        kv_of(&s, "clients"),
        3,
        "the flag's relation argument holds every conversation"
    );

    // The unit holding `ready` leaves: its conversation is dropped and
    // released from every flag; `connected` stays while others hold it.
    let s = depart(s, "clients:1", "app/1");
    assert!(!s.is_flag_set("clients.ready"));
    assert_eq!(holders(&s, "clients.connected").len(), 2);
    assert!(!s.kv.contains_key("reactive.conversations.clients:1.app/1"));
    let s = depart(s, "clients:2", "other/0");
    let s = depart(s, "clients:1", "app/0");
    assert!(!s.is_flag_set("clients.connected"));
    assert!(s
        .kv
        .keys()
        .all(|k| !k.starts_with("reactive.conversations.")));
}

#[test]
fn departures_in_every_order_leave_exactly_the_remaining_holders() {
    let units = ["a/0", "a/1", "b/0"];
    let orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    for order in orders {
        let mut s = base();
        for u in units {
            let app = &u[..1];
            let id = if app == "a" { 1 } else { 2 };
            s = join(s, "clients", id, app, u, &[]);
        }
        let mut left: Vec<&str> = units.to_vec();
        for i in order {
            let u = units[i];
            let rid = if u.starts_with('a') {
                "clients:1"
            } else {
                "clients:2"
            };
            s = depart(s, rid, u);
            left.retain(|x| *x != u);
            if left.is_empty() {
                assert!(!s.is_flag_set("clients.connected"), "{order:?}");
            } else {
                let expect: Vec<String> = left
                    .iter()
                    .map(|u| {
                        let rid = if u.starts_with('a') {
                            "clients:1"
                        } else {
                            "clients:2"
                        };
                        format!("reactive.conversations.{rid}.{u}")
                    })
                    .collect();
                assert_eq!(holders(&s, "clients.connected"), expect, "{order:?}");
            }
        }
    }
}

#[test]
fn service_scope_groups_the_units_of_one_application() {
    let s = join(base(), "backend", 5, "store", "store/0", &[("size", "10")]);
    let s = join(s, "backend", 5, "store", "store/1", &[]);
    assert_eq!(
        holders(&s, "backend.joined"),
        ["reactive.conversations.backend:5.store"]
    );
    assert_eq!(kv_of(&s, "size"), 10);
    assert_eq!(kv_of(&s, "store_units"), serde_json::json!([2]));
    let s = depart(s, "backend:5", "store/0");
    assert!(
        s.is_flag_set("backend.joined"),
        "one unit of the application remains"
    );
    let s = depart(s, "backend:5", "store/1");
    assert!(!s.is_flag_set("backend.joined"));
}

#[test]
fn global_scope_is_one_conversation_across_relation_ids() {
    let s = join(base(), "cluster", 7, "server", "server/1", &[]);
    let s = join(s, "cluster", 7, "server", "server/2", &[]);
    assert_eq!(
        holders(&s, "cluster.peered"),
        ["reactive.conversations.cluster.global"]
    );
    assert_eq!(
        kv_of(&s, "ring_units"),
        serde_json::json!(["server/1", "server/2"])
    );
    assert_eq!(
        s.relation("cluster:7").unwrap().local_unit_data["hello"],
        "world"
    );
}

#[test]
fn a_remote_value_of_the_wrong_shape_names_relation_unit_and_key() {
    let s = base().with_relation(
        Relation::new("backend", 5, "store").with_unit("store/0", [("size", "big")]),
    );
    let out = s.run_in(
        "relations::handlers",
        Hook::relation("joined", "backend:5", Some("store/0")),
    );
    let msg = out.error_message().expect("error");
    for part in ["backend:5", "store/0", "size", "\"big\"", "u32"] {
        assert!(msg.contains(part), "{part} missing in {msg}");
    }
    assert_eq!(
        out.state.flags, s.flags,
        "nothing of the failed hook is kept"
    );
}

#[test]
fn a_missing_remote_key_is_none() {
    let s = join(base(), "backend", 5, "store", "store/0", &[]);
    assert!(s.is_flag_set("backend.joined"));
    assert!(!s.kv.contains_key("size"));
}

#[test]
fn a_relation_argument_from_a_plain_flag_fails_naming_handler_and_flag() {
    let s = base().with_flag("plain.flag");
    let out = s.run_in("relations::bad_argument", Hook::new("update-status"));
    let msg = out.error_message().expect("error");
    for part in ["wants_relation", "`db`", "plain.flag", "provides:db"] {
        assert!(msg.contains(part), "{part} missing in {msg}");
    }
}
