use reactive_core::prelude::*;

// juju/charm `actions.go`: `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`.
#[action("Restart")]
fn capital() {}

#[action("back_up")]
fn underscore() {}

#[action("-restart")]
fn leading_dash() {}

#[action("restart", "stop")]
fn two_names() {}

#[action("restart")]
#[when("db.ready")]
fn with_a_flag() {}

fn main() {}
