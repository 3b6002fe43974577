use reactive_core::prelude::*;

#[when("db.ready")]
struct Handler;

fn main() {}
