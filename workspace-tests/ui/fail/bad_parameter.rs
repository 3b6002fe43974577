use reactive_core::prelude::*;

#[when("db.ready")]
fn connect(_url: String) {}

fn main() {}
