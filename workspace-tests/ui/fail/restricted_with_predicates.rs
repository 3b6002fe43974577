use reactive_core::prelude::*;

#[collect_metrics]
#[when("db.ready")]
fn metrics_on_flag() {}

#[hook("install")]
#[meter_status_changed]
fn meter_on_hook() {}

fn main() {}
