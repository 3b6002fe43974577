use reactive_core::prelude::*;

flags! {
    INSTALLED = "app.installed";
    BAD = "app installed";
    UNKNOWN = "{relation}.ready";
}

#[when(INSTALLED)]
fn installed() {}

fn main() {}
