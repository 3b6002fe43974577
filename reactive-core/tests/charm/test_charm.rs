//! A small charm for the process-level runtime tests
//! (`tests/runtime_process.rs`): its `main` is `reactive_core::main_with`.
//! Handlers are built by hand (the attribute macros live in another crate),
//! one of them registered through `inventory` as the macros do.

use reactive_core::flags::{set_flag, set_flag_value};
use reactive_core::hookenv::{self, config, WorkloadState};
use reactive_core::{Cond, Error, HandlerDef, HandlerSpec, Invocation, Options, Predicate};

fn installed(_: &Invocation<'_>) -> Result<(), Error> {
    set_flag("charm.installed");
    hookenv::status_set(WorkloadState::Maintenance, "installed")?;
    Ok(())
}

reactive_core::__private::inventory::submit! {
    HandlerSpec {
        file: file!(),
        line: line!(),
        name: "installed",
        predicates: &[Predicate::Hook(&["install"])],
        invoke: installed,
        binding: || None,
    }
}

fn when(flags: &[&str]) -> Vec<Cond> {
    vec![Cond::WhenAll(flags.iter().map(|f| f.to_string()).collect())]
}

fn handlers() -> Vec<HandlerDef> {
    vec![
        // Runs in every hook: records which one.
        HandlerDef::new(
            file!(),
            line!(),
            "record_hook",
            vec![Cond::WhenNone(vec!["charm.never".into()])],
            |_| {
                set_flag_value("charm.last-hook", &hookenv::hook_name());
                log::debug!("debug line from the charm");
                Ok(())
            },
        ),
        // Reads the config twice: one config-get.
        HandlerDef::new(
            file!(),
            line!(),
            "configure",
            when(&["config.changed"]),
            |_| {
                let port: u16 = config().get("port")?.unwrap_or(80);
                let again: Option<u16> = config().get("port")?;
                set_flag_value("charm.port", &again.unwrap_or(port));
                Ok(())
            },
        ),
        // Reads every unit of every website relation twice and writes two
        // keys per relation: one relation-get per unit, one relation-set per
        // relation.
        HandlerDef::new(
            file!(),
            line!(),
            "publish",
            when(&["charm.installed"]),
            |_| {
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
            },
        ),
        // Fail or panic on request, after `publish` has written.
        HandlerDef::new(
            file!(),
            line!(),
            "fail",
            when(&["config.set.fail", "charm.installed"]),
            |_| Err(Error::Other("configured to fail".into())),
        ),
        HandlerDef::new(
            file!(),
            line!(),
            "explode",
            when(&["config.set.panic"]),
            |_| panic!("configured to panic"),
        ),
        HandlerDef::new(
            file!(),
            line!(),
            "metrics",
            vec![Cond::Restricted("collect-metrics".into())],
            |_| {
                set_flag("charm.metrics");
                Ok(())
            },
        ),
    ]
}

fn main() {
    reactive_core::main_with(Options::default().handlers(handlers()))
}
