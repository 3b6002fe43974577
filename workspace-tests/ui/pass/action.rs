use reactive_core::prelude::*;

#[action("restart")]
fn restart() -> reactive_core::Result {
    hookenv::action_log("restarting")?;
    Ok(())
}

#[action("back-up-2")]
fn back_up() {}

fn main() {}
