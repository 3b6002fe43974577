//! The check made before every run, as Scenario's consistency checker does:
//! a [`State`] and [`Hook`] that Juju could never produce are refused
//! before the charm sees them, so a typo in a test fails the test instead
//! of testing something else.

use std::fmt;

use juju_charm::{Actions, Config, Meta, OptionType};
use serde_json::Value;

use super::{Hook, State};

/// Why a state and hook cannot happen under Juju: every problem found, each
/// naming the item and the file that should declare it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Inconsistency {
    /// One line per problem.
    pub problems: Vec<String>,
}

impl fmt::Display for Inconsistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "inconsistent state: {}", self.problems.join("; "))
    }
}

/// The charm's declarations as Juju reads them (`juju-charm`), each `None`
/// when the state gives none.
pub(crate) struct Declared {
    pub(crate) meta: Option<Meta>,
    pub(crate) config: Option<Config>,
    pub(crate) actions: Option<Actions>,
}

/// `Some` of a parsed file; a file Juju refuses is a problem.
fn parsed<T>(r: Result<T, juju_charm::Error>, problems: &mut Vec<String>) -> Option<T> {
    r.map_err(|e| problems.push(crate::error::error_chain(&e)))
        .ok()
}

/// Parses the declarations.
fn declared(state: &State, problems: &mut Vec<String>) -> Declared {
    let meta = state
        .charm_file("metadata.yaml")
        .and_then(|t| parsed(Meta::parse(t, "metadata.yaml"), problems));
    let config = state
        .charm_file("config.yaml")
        .and_then(|t| parsed(Config::parse(t, "config.yaml"), problems));
    let charm = meta.as_ref().map(|m| m.name.clone()).unwrap_or_default();
    let actions = state
        .charm_file("actions.yaml")
        .and_then(|t| parsed(Actions::parse(t, "actions.yaml", &charm), problems));
    Declared {
        meta,
        config,
        actions,
    }
}

/// Whether `value` is of `kind` as Juju stores it: no coercion, so `"8080"`
/// is not an `int`.
fn of_type(kind: OptionType, value: &Value) -> bool {
    match kind {
        OptionType::String => value.is_string(),
        OptionType::Int => value.is_i64() || value.is_u64(),
        OptionType::Float => value.is_number(),
        OptionType::Boolean => value.is_boolean(),
        OptionType::Secret => kind.coerce(value).is_some() && value.is_string(),
    }
}

/// Checks `state` and `hook` against the charm's declarations and Juju's
/// rules; the declarations parsed on success.
pub(crate) fn check(state: &State, hook: &Hook) -> Result<Declared, Inconsistency> {
    let mut problems = Vec::new();
    let declared = declared(state, &mut problems);
    config(state, &declared, &mut problems);
    relations(state, &declared, &mut problems);
    hook_exists(state, hook, &declared, &mut problems);
    if problems.is_empty() {
        Ok(declared)
    } else {
        Err(Inconsistency { problems })
    }
}

fn config(state: &State, declared: &Declared, problems: &mut Vec<String>) {
    let Some(config) = &declared.config else {
        if state.charm_file("config.yaml").is_none() {
            for option in state.config.keys() {
                problems.push(format!(
                    "config option {option:?} is set but the state has no config.yaml \
                     (State::with_file(\"config.yaml\", ..))"
                ));
            }
        }
        return;
    };
    for (option, value) in &state.config {
        match config.options.get(option) {
            None => {
                let known: Vec<&str> = config.options.keys().map(String::as_str).collect();
                problems.push(format!(
                    "config option {option:?} is not declared in config.yaml (options: {})",
                    known.join(", ")
                ));
            }
            Some(o) if !value.is_null() && !of_type(o.kind, value) => problems.push(format!(
                "config option {option:?} is declared `type: {}` in config.yaml, but the \
                 state sets {value}",
                o.kind
            )),
            Some(_) => {}
        }
    }
}

fn relations(state: &State, declared: &Declared, problems: &mut Vec<String>) {
    let app = state.app_name(declared.meta.as_ref());
    let mut ids = std::collections::BTreeSet::new();
    for r in &state.relations {
        let rid = r.relation_id();
        if !ids.insert(r.id) {
            problems.push(format!(
                "relation id {} is used twice (ids are unique across relations)",
                r.id
            ));
        }
        let Some(meta) = &declared.meta else {
            problems.push(format!(
                "relation {rid} is in the state but the state has no metadata.yaml \
                 (State::with_file(\"metadata.yaml\", ..))"
            ));
            continue;
        };
        if meta.relation(&r.name).is_none() {
            let names: Vec<&str> = meta.relations().map(|x| x.name.as_str()).collect();
            problems.push(format!(
                "relation {rid}: {:?} is not declared in metadata.yaml (relations: {})",
                r.name,
                names.join(", ")
            ));
            continue;
        }
        let peer = meta.peers.contains_key(&r.name);
        if peer && r.remote_app != app {
            problems.push(format!(
                "relation {rid} is a peer relation in metadata.yaml: its remote application \
                 is {app:?}, not {:?}",
                r.remote_app
            ));
        }
        for unit in r.remote_units.keys() {
            let of_app = unit.split_once('/').map(|(a, _)| a);
            if of_app != Some(r.remote_app.as_str()) {
                problems.push(format!(
                    "relation {rid}: remote unit {unit:?} is not a unit of {:?}",
                    r.remote_app
                ));
            }
        }
    }
}

/// The hook: one Juju runs for this charm, with what it needs.
fn hook_exists(state: &State, hook: &Hook, declared: &Declared, problems: &mut Vec<String>) {
    if let Some(action) = &hook.action_name {
        return action_declared(action, hook, declared, problems);
    }
    let name = hook.name.as_str();
    if !reactive_grammar::is_known_hook(name) {
        if declared
            .actions
            .as_ref()
            .is_some_and(|a| a.get(name).is_some())
        {
            problems.push(format!(
                "{name:?} is an action of actions.yaml: fire it with Hook::action"
            ));
            return;
        }
        problems.push(
            reactive_grammar::check_hook_pattern(name)
                .err()
                .map_or_else(|| format!("unknown hook {name:?}"), |e| e.to_string()),
        );
        return;
    }
    if name == "leader-elected" && !state.leader {
        problems.push("leader-elected fires on the leader: set State::with_leader(true)".into());
    }
    for (infix, decl) in [("-storage-", "storage"), ("-pebble-", "containers")] {
        if let Some((prefix, _)) = name.split_once(infix) {
            let found = declared.meta.as_ref().is_some_and(|m| match decl {
                "storage" => m.storage.contains_key(prefix),
                _ => m.containers.contains_key(prefix),
            });
            if !found {
                problems.push(format!(
                    "hook {name}: {prefix:?} is not declared under `{decl}` in metadata.yaml"
                ));
            }
        }
    }
    let Some((relation, _)) = name.rsplit_once("-relation-") else {
        return;
    };
    let Some(rid) = &hook.relation_id else {
        problems.push(format!(
            "hook {name} is a relation hook but names no relation id (Hook::relation)"
        ));
        return;
    };
    let Some(r) = state.relation(rid) else {
        let have: Vec<String> = state.relations.iter().map(|r| r.relation_id()).collect();
        problems.push(format!(
            "hook {name} on relation {rid}, which is not in the state (relations: {})",
            have.join(", ")
        ));
        return;
    };
    if r.name != relation {
        problems.push(format!(
            "hook {name} is for relation {relation:?}, but {rid} is a {:?} relation",
            r.name
        ));
    }
    // A departing unit may already be gone from the state; the others
    // must be in scope.
    if let Some(unit) = hook
        .remote_unit
        .as_ref()
        .filter(|_| hook.departing_unit.is_none())
    {
        if !r.remote_units.contains_key(unit) {
            problems.push(format!(
                "hook {name}: remote unit {unit:?} is not in relation {rid} \
                 (Relation::with_unit)"
            ));
        }
    }
}

fn action_declared(action: &str, hook: &Hook, declared: &Declared, problems: &mut Vec<String>) {
    let Some(actions) = &declared.actions else {
        problems.push(format!(
            "action {action:?} is run but the state has no actions.yaml \
             (State::with_file(\"actions.yaml\", ..))"
        ));
        return;
    };
    let Some(spec) = actions.get(action) else {
        let known: Vec<&str> = actions.specs.keys().map(String::as_str).collect();
        problems.push(format!(
            "action {action:?} is not declared in actions.yaml (actions: {})",
            known.join(", ")
        ));
        return;
    };
    if let Err(e) = spec.validate_params(&hook.action_params) {
        problems.push(format!(
            "action {action:?}: its parameters do not match actions.yaml: {}",
            crate::error::error_chain(&e)
        ));
    }
}
