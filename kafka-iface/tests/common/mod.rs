//! Driving one unit through relation hooks with the testing harness, the
//! way Juju would: a unit enters the relation, then `-joined`, `-changed`;
//! it leaves with `-departed`.
#![allow(dead_code)]

use reactive_core::hookenv::LogLevel;
use reactive_core::testing::{Hook, Outcome, Relation, State};

/// Fires `hook`, which must succeed.
pub fn fire(state: &State, hook: Hook) -> Outcome {
    let name = hook.name.clone();
    let out = state.run(hook);
    assert!(
        out.error.is_none(),
        "{name} failed: {:?}",
        out.error_message()
    );
    out
}

fn split(rid: &str) -> (&str, u32) {
    let (name, n) = rid.rsplit_once(':').expect("relation id name:n");
    (name, n.parse().expect("relation id number"))
}

/// `state` with `unit` in relation `rid` (created, with the unit's
/// application as remote application, if missing) holding `data`.
pub fn enter(mut state: State, rid: &str, unit: &str, data: &[(&str, &str)]) -> State {
    if state.relation(rid).is_none() {
        let (name, id) = split(rid);
        let app = unit.split('/').next().unwrap_or(unit);
        state = state.with_relation(Relation::new(name, id, app));
    }
    let rel = state
        .relations
        .iter_mut()
        .find(|r| r.relation_id() == rid)
        .expect("relation");
    rel.remote_units.insert(
        unit.to_string(),
        data.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    state
}

/// `unit` enters `rid` with `data`; `-joined` then `-changed` are fired.
pub fn join(state: State, rid: &str, unit: &str, data: &[(&str, &str)]) -> State {
    let state = enter(state, rid, unit, data);
    let state = fire(&state, Hook::relation("joined", rid, Some(unit))).state;
    fire(&state, Hook::relation("changed", rid, Some(unit))).state
}

/// `unit`'s settings on `rid` become `data`; `-changed` is fired.
pub fn change(state: State, rid: &str, unit: &str, data: &[(&str, &str)]) -> Outcome {
    let state = enter(state, rid, unit, data);
    fire(&state, Hook::relation("changed", rid, Some(unit)))
}

/// `unit` leaves `rid`: `-departed` is fired, then the unit is gone.
pub fn depart(state: State, rid: &str, unit: &str) -> State {
    let mut state = fire(&state, Hook::relation("departed", rid, Some(unit))).state;
    if let Some(rel) = state.relations.iter_mut().find(|r| r.relation_id() == rid) {
        rel.remote_units.remove(unit);
    }
    state
}

/// The conversations holding `flag` (its value's `conversations`), or
/// `None` when the flag is not set.
pub fn holders(state: &State, flag: &str) -> Option<Vec<String>> {
    let v = state.flags.get(flag)?;
    let list = v["conversations"].as_array().expect("a relation flag");
    Some(
        list.iter()
            .map(|k| k.as_str().expect("a key").to_string())
            .collect(),
    )
}

/// The key of the conversation of `unit` on `rid` (scope Unit).
pub fn conv(rid: &str, unit: &str) -> String {
    format!("reactive.conversations.{rid}.{unit}")
}

/// Lines logged at WARNING.
pub fn warnings(out: &Outcome) -> Vec<&str> {
    out.logs
        .iter()
        .filter(|(l, _)| *l == LogLevel::Warning)
        .map(|(_, m)| m.as_str())
        .collect()
}
