//! Flag names and hook patterns the attributes accept.
use reactive_core::prelude::*;
use reactive_core::__private::Registry;

#[when("{relation_name}.connected", "endpoint.{endpoint_name}.joined", "plain.flag-with_punct:1/2")]
#[when_not("{relation_name}.{endpoint_name}")]
fn placeholders() {}

#[hook(
    "install",
    "db-relation-{joined,changed}",
    "{provides:http}-relation-{joined,changed,departed}",
    "{peers:cluster}-relation-joined",
    "{requires:kafka}-relation-broken",
    "{start,stop}",
    "{data,logs}-storage-{attached,detaching}",
    "workload-pebble-ready"
)]
fn patterns() {}

#[when_file_changed("relative/path with spaces.conf")]
fn paths() {}

fn main() {
    let reg = Registry::from_inventory_in(module_path!(), None);
    // `{relation_name}` needs a relation parameter to expand from: the
    // registry refuses the declaration at run time.
    let err = reg.unwrap_err().to_string();
    assert!(err.contains(":placeholders"), "{err}");
    assert!(err.contains("{relation_name}"), "{err}");
}
