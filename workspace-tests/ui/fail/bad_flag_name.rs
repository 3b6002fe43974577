use reactive_core::prelude::*;

#[when("")]
fn empty() {}

#[when("db ready")]
fn space() {}

#[when_not("db.ready", "cache\tready")]
fn tab() {}

#[when_any("a", "bell\u{7}")]
fn control() {}

#[hook("install ")]
fn hook_with_space() {}

#[when_file_changed("")]
fn empty_path() {}

fn main() {}
