//! Flag constants declared with `flags!`, in predicates beside literals and
//! in the flag API.
use reactive_core::prelude::*;
use reactive_core::testing::{Hook, State};

mod names {
    reactive_core::flags! {
        /// The application is installed.
        pub INSTALLED = "app.installed";
        pub(crate) STARTED = "app.started";
        pub CONNECTED = "{relation_name}.connected";
    }
}

use names::{INSTALLED, STARTED};

#[when_not(INSTALLED)]
fn install() {
    set_flag(INSTALLED);
}

#[when(INSTALLED)]
#[when_not(names::STARTED, "app.paused")]
fn start() {
    set_flag(STARTED);
}

fn main() {
    assert_eq!(names::CONNECTED, "{relation_name}.connected");
    let out = State::default().run_in(module_path!(), Hook::new("install"));
    assert_eq!(out.error_message(), None);
    assert_eq!(out.state.flags.keys().map(String::as_str).collect::<Vec<_>>(), ["app.installed", "app.started"]);
}
