//! The generated code does not clash with the user's names.
use reactive_core::prelude::*;
use reactive_core::__private::Registry;

#[allow(non_camel_case_types, dead_code)]
struct Option;
#[allow(non_camel_case_types, dead_code)]
struct Result;
#[allow(dead_code)]
mod core {}

/// A parameter the engine resolves from nothing.
#[derive(Clone, Copy)]
struct Ctx;

impl reactive_core::HandlerArg for Ctx {
    fn from_invocation(
        _: &reactive_core::Invocation<'_>,
        _: &'static str,
    ) -> ::core::result::Result<Self, reactive_core::Error> {
        Ok(Ctx)
    }
}

#[when("a")]
fn invocation(invocation: &Ctx, returned: &Ctx, error: Ctx, arg0: &mut Ctx) {
    let _ = (invocation, returned, error, arg0);
}

#[when("a")]
fn returned() {}

#[when("a")]
fn error() {}

#[when("a")]
fn arg1() {}

fn main() {
    let reg = Registry::from_inventory_in(module_path!(), None).unwrap();
    assert_eq!(reg.handlers().len(), 4);
}
