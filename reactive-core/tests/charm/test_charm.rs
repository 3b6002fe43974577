//! A small charm for the process-level runtime tests
//! (`tests/runtime_process.rs`, `tests/runtime_cli.rs`): handlers declared
//! with the attribute macros, and `fn main() { reactive_core::main() }`.

use reactive_core::prelude::*;

#[hook("install")]
fn installed() -> Result {
    set_flag("charm.installed");
    hookenv::status_set(WorkloadState::Maintenance, "installed")?;
    Ok(())
}

/// Runs in every hook: records which one.
#[when_not("charm.never")]
fn record_hook() {
    set_flag_value("charm.last-hook", &hookenv::hook_name());
    log::debug!("debug line from the charm");
}

/// Reads the config twice: one config-get.
#[when("config.changed")]
fn configure() -> Result {
    let port: u16 = config().get("port")?.unwrap_or(80);
    let again: Option<u16> = config().get("port")?;
    set_flag_value("charm.port", &again.unwrap_or(port));
    Ok(())
}

/// Reads every unit of every website relation twice and writes two keys per
/// relation: one relation-get per unit, one relation-set per relation.
#[when("charm.installed")]
fn publish() -> Result {
    let port: u16 = config().get("port")?.unwrap_or(80);
    let leader = hookenv::is_leader()? && hookenv::is_leader()?;
    let _ = hookenv::leader_get("token")?;
    for rid in hookenv::relation_ids(Some("website"))? {
        for unit in hookenv::related_units(Some(&rid))? {
            let _ = hookenv::relation_get("hostname", Some(&unit), Some(&rid))?;
            let _ = hookenv::relation_get_all(Some(&unit), Some(&rid))?;
        }
        let _ = hookenv::related_units(Some(&rid))?;
        hookenv::relation_set(Some(&rid), [("port", port.to_string())])?;
        hookenv::relation_set(Some(&rid), [("leader", leader.to_string())])?;
    }
    hookenv::open_port(port)?;
    Ok(())
}

/// Fails on request, after `publish` has written.
#[when("config.set.fail", "charm.installed")]
fn fail() -> Result {
    Err(HandlerError::msg("configured to fail"))
}

/// Panics on request.
#[when("config.set.panic")]
fn explode() {
    panic!("configured to panic")
}

/// Waits for a flag nothing sets (`handlers --unreachable` lists it).
#[when("charm.orphan")]
fn orphan() {}

#[collect_metrics]
fn metrics() {
    set_flag("charm.metrics");
}

fn main() {
    reactive_core::main()
}
