use reactive_core::prelude::*;

#[hook("install")]
#[when("db.ready")]
fn hook_then_flag() {}

#[when_not("installed")]
#[only_once]
#[hook("install")]
fn flag_then_hook() {}

fn main() {}
