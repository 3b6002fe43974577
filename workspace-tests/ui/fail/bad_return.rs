use reactive_core::prelude::*;

#[when("db.ready")]
fn ready() -> bool {
    true
}

#[when("db.ready")]
fn string_error() -> Result<(), String> {
    Ok(())
}

fn main() {}
