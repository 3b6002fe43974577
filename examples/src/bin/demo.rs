//! The project's main demo. Until the offline Juju lands it runs the engine
//! alone: a small handler chain dispatched over two hooks, with its trace.

use reactive_core::flags::{clear_flag, is_flag_set, set_flag};
use reactive_core::{Cond, DispatchOptions, HandlerDef, Registry, Session, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("reactive-demo-{}", std::process::id()));
    let store = Store::open(dir.join("state.sled"))?;
    let flags = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let registry = Registry::new(
        vec![
            HandlerDef::new(
                "demo.rs",
                1,
                "install",
                vec![Cond::WhenNone(flags(&["installed"]))],
                |_| {
                    set_flag("installed");
                    Ok(())
                },
            ),
            HandlerDef::new(
                "demo.rs",
                2,
                "configure",
                vec![
                    Cond::WhenAll(flags(&["installed"])),
                    Cond::WhenNone(flags(&["configured"])),
                ],
                |_| {
                    set_flag("configured");
                    Ok(())
                },
            ),
            HandlerDef::new(
                "demo.rs",
                3,
                "start",
                vec![Cond::WhenAll(flags(&["configured"]))],
                |_| {
                    if !is_flag_set("started") {
                        set_flag("started");
                    }
                    Ok(())
                },
            ),
            HandlerDef::new(
                "demo.rs",
                4,
                "reconfigure",
                vec![Cond::Hook(flags(&["config-changed"]))],
                |_| {
                    clear_flag("configured");
                    Ok(())
                },
            ),
        ],
        None,
    )?;
    for hook in ["install", "config-changed"] {
        let mut session = Session::begin(store.clone(), hook)?;
        session.dispatch(&registry, &DispatchOptions::default())?;
        print!("{}", session.trace());
        println!(
            "  flags after: {:?}\n",
            session.flags().keys().collect::<Vec<_>>()
        );
        session.commit()?;
    }
    drop(store);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
