//! The rules probe charm, the Rust twin of
//! `conformance/python/charms/probe/reactive/probe.py`.
//!
//! One handler per dispatch rule and predicate; every handler logs exactly
//! one line, `probe: <handler-name>`, through `juju-log` at INFO when it
//! runs, first thing. Same handler names, flags, bodies and order as the
//! Python file: our engine orders handlers by (file, line, name), so the
//! order of this file is the order of the Python file. The spec, hook by
//! hook, is `conformance/python/charms/probe/README.md`.

use reactive_core::prelude::*;
use reactive_core::trigger;

// Static triggers: active in every hook, as the Python module-level
// registrations (made again on every hook) are.
trigger!(when: "probe.trigger.source", set_flag: "probe.trigger.set");
trigger!(when: "probe.trigger.source", clear_flag: "probe.trigger.unset-seen");
trigger!(when_not: "probe.trigger.source", clear_flag: "probe.trigger.set");
trigger!(when_not: "probe.trigger.source", set_flag: "probe.trigger.unset-seen");
trigger!(when: "probe.trigger.set", set_flag: "probe.trigger.chained");

fn ran(name: &str) {
    hookenv::log(format!("probe: {name}"));
}

fn write(path: &str, text: &str) -> Result {
    let path = hookenv::charm_dir().join(path);
    std::fs::write(&path, text)
        .map_err(|e| HandlerError::msg(format!("writing {}: {e}", path.display())))
}

// D1: restricted mode.
#[collect_metrics]
fn collect_metrics_probe() {
    ran("collect_metrics_probe");
}

#[meter_status_changed]
fn meter_status_probe() {
    ran("meter_status_probe");
}

/// Never runs: restricted mode has no hooks phase.
#[hook("collect-metrics")]
fn hook_collect_metrics() {
    ran("hook_collect_metrics");
}

// D2: hooks phase.
#[hook("install")]
fn hook_install() {
    ran("hook_install");
    set_flag("probe.installed");
}

#[hook("{start,update-status}")]
fn hook_alternation() {
    ran("hook_alternation");
    set_flag("probe.gate");
}

#[hook("{peers:probe}-relation-{joined,departed}")]
fn hook_relation() {
    ran("hook_relation");
    toggle_flag("probe.related", hookenv::hook_name().ends_with("-joined"));
}

#[only_once]
fn only_once_alone() {
    ran("only_once_alone");
}

#[when_file_changed("probe-alone.txt")]
fn file_changed_alone() {
    ran("file_changed_alone");
}

// D3-D6: other phase. The engine tests file predicates after flag
// predicates, so the file's hash is recorded only once the flag holds.
#[when("probe.installed")]
#[when_file_changed("probe-flagged.txt")]
fn file_changed_flagged() {
    ran("file_changed_flagged");
}

#[only_once]
#[when("probe.installed")]
fn only_once_flagged() {
    ran("only_once_flagged");
}

#[when("probe.installed")]
fn when_installed() -> Result {
    ran("when_installed");
    let greeting = config().get::<serde_json::Value>("greeting")?;
    toggle_flag(
        "probe.greeting.changed",
        data_changed("probe.greeting", &greeting)?,
    );
    Ok(())
}

#[when("probe.installed")]
#[not_unless("probe.related")]
fn not_unless_probe() {
    ran("not_unless_probe");
}

#[when("probe.installed")]
#[when_not("probe.chain.1")]
fn chain_start() {
    ran("chain_start");
    set_flag("probe.chain.1");
}

#[when("probe.chain.1")]
#[when_not("probe.chain.2")]
fn chain_step() {
    ran("chain_step");
    set_flag("probe.chain.2");
}

#[when_any("probe.related", "probe.chain.2")]
fn when_any_probe() {
    ran("when_any_probe");
}

#[when_not_all("probe.related", "probe.installed")]
fn when_not_all_probe() {
    ran("when_not_all_probe");
}

#[when("probe.gate")]
fn gate_clear() {
    ran("gate_clear");
    clear_flag("probe.gate");
}

/// Never runs: `gate_clear`, queued before it, clears `probe.gate` (D4).
#[when_all("probe.gate", "probe.installed")]
fn gate_user() {
    ran("gate_user");
}

#[when_none("probe.gate", "probe.related")]
fn when_none_probe() {
    ran("when_none_probe");
}

// Triggers.
#[when("config.changed.trigger")]
fn trigger_follow_config() -> Result {
    ran("trigger_follow_config");
    let on = config().get::<bool>("trigger")?.unwrap_or(false);
    toggle_flag("probe.trigger.source", on);
    Ok(())
}

/// Never runs: the trigger sets `probe.trigger.set` together with the source.
#[when("probe.trigger.source")]
#[when_not("probe.trigger.set")]
fn trigger_never() {
    ran("trigger_never");
}

#[when("probe.trigger.chained")]
fn trigger_seen() {
    ran("trigger_seen");
}

// Leadership flags from the runtime.
#[when("leadership.is_leader")]
#[when_not("leadership.set.probe-key")]
fn leader_publish() -> Result {
    ran("leader_publish");
    hookenv::leader_set([("probe-key", "1")])?;
    Ok(())
}

#[when("leadership.changed.probe-key")]
fn leader_changed_seen() {
    ran("leader_changed_seen");
}

// Rollback: nothing of a failed hook is kept.
#[when("config.set.fail")]
fn fail_on_demand() -> Result {
    ran("fail_on_demand");
    set_flag("probe.failed");
    Err(HandlerError::msg("failing on demand (config fail=true)"))
}

// D8: no cap on iterations; a chain of `chain_length` iterations runs to
// its end in one hook. One step per iteration: each clears its own flag
// and sets the other's.
#[when("config.set.chain_length")]
#[when_not("probe.long.started")]
fn long_chain_start() -> Result {
    ran("long_chain_start");
    kv().set("probe.long.count", &0u64)?;
    set_flag("probe.long.started");
    set_flag("probe.long.tick");
    Ok(())
}

fn long_chain_step(current: &str, following: &str) -> Result {
    clear_flag(current);
    let count = kv().get::<u64>("probe.long.count")?.unwrap_or(0) + 1;
    kv().set("probe.long.count", &count)?;
    let length = config().get::<i64>("chain_length")?.unwrap_or(0);
    if i64::try_from(count).unwrap_or(i64::MAX) < length {
        set_flag(following);
    } else {
        set_flag("probe.long.done");
    }
    Ok(())
}

#[when("probe.long.tick")]
fn long_chain_tick() -> Result {
    ran("long_chain_tick");
    long_chain_step("probe.long.tick", "probe.long.tock")
}

#[when("probe.long.tock")]
fn long_chain_tock() -> Result {
    ran("long_chain_tock");
    long_chain_step("probe.long.tock", "probe.long.tick")
}

// D8: a livelock while `livelock` is true; the engine detects it and fails
// the hook, naming these handlers and `probe.spin`.
#[when("config.set.livelock")]
#[when_not("probe.spin")]
fn livelock_set() {
    ran("livelock_set");
    set_flag("probe.spin");
}

#[when("probe.spin")]
fn livelock_clear() {
    ran("livelock_clear");
    clear_flag("probe.spin");
}

// Last, and it changes no flag, as in the Python file (where that keeps
// the framework's extra predicate tests from consuming the file change).
#[when("config.changed.greeting")]
fn write_files() -> Result {
    ran("write_files");
    let greeting = config().get::<String>("greeting")?.unwrap_or_default();
    write("probe-alone.txt", &format!("{greeting}\n"))?;
    write("probe-flagged.txt", &format!("{greeting}\n"))
}

fn main() {
    reactive_core::main()
}
