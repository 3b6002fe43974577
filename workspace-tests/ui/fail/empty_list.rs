use reactive_core::prelude::*;

#[when()]
fn no_flags() {}

#[when_not]
fn no_flags_no_parens() {}

#[when("a")]
#[when_any()]
fn sibling_without_flags() {}

#[hook()]
fn no_patterns() {}

#[when_file_changed]
fn no_paths() {}

#[not_unless()]
fn no_guard_flags() {}

fn main() {}
