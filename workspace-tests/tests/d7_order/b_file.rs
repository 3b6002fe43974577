use reactive_core::prelude::*;
#[when("go")]
pub fn early_in_b() {}
