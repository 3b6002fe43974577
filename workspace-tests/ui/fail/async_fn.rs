use reactive_core::prelude::*;

#[when("db.ready")]
async fn connect() {}

fn main() {}
