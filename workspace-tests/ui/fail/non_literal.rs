use reactive_core::prelude::*;

const INSTALL: &str = "install";

#[when("a", concat!("db", ".ready"))]
fn macro_call() {}

#[when_not(1)]
fn number() {}

#[only_once("a")]
fn argument_to_only_once() {}

#[hook(INSTALL)]
fn hook_constant() {}

#[when("a")]
#[when_not = "b"]
fn name_value() {}

#[when("a" "b")]
fn missing_comma() {}

fn main() {}
