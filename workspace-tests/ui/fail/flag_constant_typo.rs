use reactive_core::prelude::*;

flags! {
    INSTALLED = "app.installed";
}

// A misspelt constant is a compile error, where a misspelt string compiles.
#[when(INSTALED)]
fn typo() {}

fn main() {
    set_flag(INSTALLED);
}
