use reactive_core::prelude::*;

struct Charm;

impl Charm {
    #[when("db.ready")]
    fn connect(&self) {}
}

fn main() {}
