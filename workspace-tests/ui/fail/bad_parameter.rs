use reactive_core::prelude::*;

#[when("db.ready")]
fn connect(_url: String, _ctx: &Context) {}

fn main() {}
