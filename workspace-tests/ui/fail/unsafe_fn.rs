use reactive_core::prelude::*;

#[when("db.ready")]
unsafe fn connect() {}

fn main() {}
