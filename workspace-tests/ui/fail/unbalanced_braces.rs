use reactive_core::prelude::*;

#[when("{relation_name.connected")]
fn unclosed() {}

#[when("relation_name}.connected")]
fn unopened() {}

#[when_not("{}.connected")]
fn empty_braces() {}

#[when("{relation_{endpoint_name}}.x")]
fn nested() {}

#[hook("db-relation-{joined,changed")]
fn hook_unclosed() {}

#[hook("db-relation-{}")]
fn hook_empty() {}

fn main() {}
