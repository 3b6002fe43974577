use reactive_core::prelude::*;

#[when("{relation}.connected")]
fn flag_placeholder() {}

#[hook("{peer:cluster}-relation-joined")]
fn unknown_role() {}

#[hook("{relation_name}-relation-joined")]
fn flag_placeholder_in_hook() {}

#[hook("{requires:}-relation-joined")]
fn no_interface() {}

#[hook("db-relation-{joined,}")]
fn empty_alternative() {}

#[not_unless("{relation_name}.ready")]
fn guard_placeholder() {}

fn main() {}
