//! Which conversations a relation parameter receives.

use reactive_core::hookenv::{self, WorkloadState};
use reactive_core::prelude::*;
use reactive_core::testing::{Hook, Relation, State};

reactive_core::relation_type! {
    /// A relation type for these tests.
    pub struct Things: requires "things";
}

#[hook("{requires:things}-relation-joined")]
fn joined(things: &Things) -> reactive_core::Result {
    things.conversation()?.set_state("{relation_name}.ready")?;
    Ok(())
}

// Expanded per relation name; receives the conversations holding the flag.
#[when("{relation_name}.ready")]
fn count(things: &Things) -> reactive_core::Result {
    let n = things.conversations.len();
    hookenv::status_set(WorkloadState::Active, &format!("{n} conversations"))?;
    Ok(())
}

#[test]
fn a_flag_handler_receives_every_holder_also_in_a_hook_of_its_relation() {
    let meta = "name: app\nrequires:\n  stuff:\n    interface: things\n";
    let rel = Relation::new("stuff", 1, "other")
        .with_unit("other/0", [("k", "v")])
        .with_unit("other/1", [("k", "v")]);
    let state = State::default()
        .with_file("metadata.yaml", meta)
        .with_relation(rel);
    let out = state.run(Hook::relation("joined", "stuff:1", Some("other/0")));
    assert_eq!(out.error_message(), None);
    assert_eq!(out.state.status.message, "1 conversations");
    // In the second unit's hook, the relation by name is only the current
    // conversation; the flag is held by both.
    let out = out
        .state
        .run(Hook::relation("joined", "stuff:1", Some("other/1")));
    assert_eq!(out.error_message(), None);
    assert_eq!(out.state.status.message, "2 conversations");
}
