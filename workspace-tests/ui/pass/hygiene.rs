//! The generated code does not clash with the user's names.
use reactive_core::prelude::*;
use reactive_core::Registry;

#[allow(non_camel_case_types, dead_code)]
struct Option;
#[allow(non_camel_case_types, dead_code)]
struct Result;
#[allow(dead_code)]
mod core {}

#[when("a")]
fn invocation(invocation: &Context, returned: &Context, error: Context, arg0: &mut Context) {
    let _ = (invocation, returned, error, arg0);
}

#[when("a")]
fn returned() {}

#[when("a")]
fn error() {}

#[when("a")]
fn arg1() {}

fn main() {
    let reg = Registry::from_inventory(None).unwrap();
    assert_eq!(reg.len(), 4);
}
