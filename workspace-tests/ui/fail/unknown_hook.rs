// Hook names are Juju's hook kinds (juju/juju internal/charm/hooks/hooks.go):
// a near miss is refused with the nearest one.
use reactive_core::prelude::*;

#[hook("config-change")]
fn typo() {}

#[hook("{requires:kafka}-relation-join")]
fn relation_typo() {}

#[hook("install", "db-relation-{joined,chnged}")]
fn alternative_typo() {}

#[hook("{requires:kafka}-storage-attached")]
fn relation_group_on_storage() {}

#[hook("frobnicate")]
fn no_near_miss() {}

fn main() {}
