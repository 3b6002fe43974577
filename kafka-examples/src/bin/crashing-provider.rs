//! The example Kafka provider (the same handlers, compiled in from
//! `kafka-provider.rs`) that kills itself with SIGKILL right after a hook
//! has committed the unit's store, before it exits: the hook Juju sees
//! killed, whose relation writes it drops, while the store keeps what the
//! hook did. The end-to-end tests' crash after the commit.
//!
//! It crashes in the hook named by `CRASH_AFTER_COMMIT` (set through
//! juju-sim's hook environment), once per unit: a file in the charm
//! directory records the crash, so Juju's retry of the hook runs normally.

#[path = "kafka-provider.rs"]
#[allow(dead_code)] // its `main` is replaced by the one below
mod provider;

use std::path::Path;

use reactive_core::hookenv;
use reactive_core::Options;

fn main() {
    let code =
        reactive_core::__private::run_charm(std::env::args_os().collect(), &Options::default());
    let hook = hookenv::hook_name();
    let marker = hookenv::charm_dir().join(format!(".crashed-after-{hook}"));
    let aimed = std::env::var("CRASH_AFTER_COMMIT").is_ok_and(|h| h == hook);
    if code == 0 && aimed && !marker.exists() && record(&marker) {
        // SAFETY: kill(2) on this process; no memory is involved.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
    std::process::exit(code)
}

/// Creates the marker; false (no crash) if it cannot be.
fn record(marker: &Path) -> bool {
    std::fs::write(marker, b"").is_ok()
}
