//! `handlers --unreachable`: the flags handlers wait for that no handler
//! body, trigger or automatic flag sets, as the attribute macros read the
//! bodies (literals and `flags!` constants, functions and methods).

use super::unreachable;
use crate::prelude::*;
use crate::registry::Registry;
use crate::Metadata;

flags! {
    READY = "app.ready";
}

crate::trigger!(when: "app.ready", set_flag: "app.triggered");

/// A flag name in a `static` is read too.
static STOPPED: &str = "app.stopped";

#[when_not("app.installed")]
fn install() {
    set_flag("app.installed");
    set_flag(READY);
    if false {
        set_flag(STOPPED);
    }
}

#[when(READY, "app.triggered", "config.set.port")]
fn serve() {}

#[when("app.instaled")]
fn typo() {}

#[when_any("app.never", "app.installed")]
#[when_not("app.paused")]
fn any() {}

#[when("app.stopped")]
fn stopped() {}

#[hook("{requires:http}-relation-joined")]
fn joined() {
    toggle_flag("{relation_name}.seen", true);
}

#[when("web.seen", "db.seen")]
fn seen() {}

#[test]
fn only_flags_nothing_sets_are_listed() {
    let meta: Metadata = "name: app\nrequires:\n  web: {interface: http}\n"
        .parse()
        .unwrap();
    let reg = Registry::from_inventory_in(module_path!(), Some(&meta)).unwrap();
    let found = unreachable(&reg, Some(&meta));
    let flags: Vec<&str> = found.keys().map(String::as_str).collect();
    assert_eq!(flags, ["app.instaled", "app.never", "db.seen"]);
    assert!(found["app.instaled"][0].ends_with(":typo"), "{found:?}");
}
