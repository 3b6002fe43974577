use reactive_core::prelude::*;

#[only_once]
#[when("a")]
#[only_once]
fn twice_only_once() {}

#[hook("install")]
#[hook("upgrade-charm")]
fn twice_hook() {}

#[collect_metrics]
#[collect_metrics]
fn twice_metrics() {}

#[meter_status_changed]
#[collect_metrics]
fn two_restricted_hooks() {}

fn main() {}
