//! The charm of the `juju_rules` tests: each handler uses a hook tool in a
//! way Juju's rules make tricky (free text starting with `-`, values over
//! the argument limit, ports as ranges and ICMP, an action named like a
//! hook), and records what it saw in flags the tests read back.

use reactive_core::hookenv::{self, Port, Protocol, ARGUMENT_LIMIT};
use reactive_core::prelude::*;
use reactive_core::HandlerError;

#[hook("install")]
fn install() -> reactive_core::Result {
    hookenv::status_set(WorkloadState::Maintenance, "-installing, dash first")?;
    hookenv::application_version_set("-1.0")?;
    hookenv::log("-a line starting with a dash");
    log::debug!("a debug line");
    let range = Port::range(8000, 8100, Protocol::Tcp).map_err(HandlerError::msg)?;
    hookenv::open_port(range)?;
    hookenv::open_port(Port::icmp())?;
    hookenv::open_port(9092)?;
    if let Err(e) = hookenv::open_port(0) {
        set_flag_value("probe.port-zero", &e.to_string());
    }
    Ok(())
}

#[hook("db-relation-joined")]
fn publish_big() -> reactive_core::Result {
    hookenv::relation_set(None, [("big", "x".repeat(200 * 1024))])?;
    Ok(())
}

#[hook("leader-elected")]
fn lead() -> reactive_core::Result {
    let over = "y".repeat(ARGUMENT_LIMIT);
    if let Err(e) = hookenv::leader_set([("big", over)]) {
        set_flag_value("probe.leader-set-refused", &e.to_string());
    }
    hookenv::leader_set([("small", "1")])?;
    Ok(())
}

#[hook("config-changed")]
fn configure() -> reactive_core::Result {
    if config().get::<bool>("panic")?.unwrap_or(false) {
        panic!("asked to panic");
    }
    Ok(())
}

#[hook("update-status")]
fn look_around() -> reactive_core::Result {
    for rid in hookenv::relation_ids(Some("db"))? {
        if let Some(app) = hookenv::relation_remote_app(Some(&rid))? {
            set_flag_value("probe.remote-app", &app);
        }
    }
    if hookenv::is_leader()? {
        let s = hookenv::application_status_get()?;
        let units: Vec<&String> = s.units.keys().collect();
        set_flag_value("probe.app-units", &units);
    }
    let ports: Vec<String> = hookenv::opened_ports()?
        .iter()
        .map(Port::to_string)
        .collect();
    set_flag_value("probe.ports", &ports);
    Ok(())
}

#[hook("stop")]
fn stop_hook() {
    set_flag("probe.stop-hook-ran");
}

#[action("stop")]
fn stop_action() -> reactive_core::Result {
    set_flag("probe.stop-action-ran");
    hookenv::action_set([("stopped", "yes")])?;
    Ok(())
}

#[action("fail")]
fn fail() -> reactive_core::Result {
    set_flag("probe.fail-ran");
    Err(HandlerError::msg("-refused: the reason"))
}

#[derive(serde::Deserialize)]
struct Typed {
    delay: u32,
}

#[action("typed")]
fn typed() -> reactive_core::Result {
    let p: Typed = hookenv::action_params()?;
    hookenv::action_set([("delay", p.delay)])?;
    Ok(())
}

#[action("big")]
fn big() -> reactive_core::Result {
    hookenv::action_log("making a big result")?;
    hookenv::action_set([("out", "z".repeat(200 * 1024))])?;
    Ok(())
}

fn main() {
    reactive_core::main()
}
