//! Every harness run has its own charm directory: relative paths written
//! with `hookenv::charm_path` and watched by `#[when_file_changed]` resolve
//! there, are kept in the output state, and tests running in parallel on
//! the same relative path never see each other's files.

use std::path::Path;

use reactive_core::testing::{Hook, Idempotence, State};

mod charm {
    use reactive_core::hookenv::charm_path;
    use reactive_core::prelude::*;

    #[when("config.set.port")]
    fn render() -> reactive_core::Result {
        let port: u16 = config().require("port")?;
        std::fs::write(charm_path("app.conf"), format!("port = {port}\n"))?;
        Ok(())
    }

    #[when_file_changed("app.conf")]
    fn restart() -> reactive_core::Result {
        let text = std::fs::read_to_string(charm_path("app.conf"))?;
        kv().set("restarted with", &text)?;
        Ok(())
    }
}

const CHARM: &str = concat!(module_path!(), "::charm");

fn cycle(port: u16) {
    let state = State::default()
        .with_file("config.yaml", "options:\n  port: {type: int}\n")
        .with_config("port", port);
    let out = state.run_in(CHARM, Hook::new("config-changed"));
    assert_eq!(out.error_message(), None);
    let expected = format!("port = {port}\n");
    assert_eq!(out.state.files[Path::new("app.conf")], expected.as_bytes());
    // The file was written in the flags phase, after the hooks phase: the
    // change is seen in the next iteration, in the same hook.
    assert_eq!(out.state.kv["restarted with"], expected);

    // The next hook starts from the output's files: nothing changed.
    let again = out.state.run_in(CHARM, Hook::new("update-status"));
    let report = Idempotence::of(&out.state, &again);
    assert!(
        report.changes.is_empty() && report.error.is_none(),
        "{report}"
    );
    assert!(
        !report.handlers.iter().any(|h| h.ends_with(":restart")),
        "{report}"
    );
}

#[test]
fn parallel_tests_see_only_their_own_files_a() {
    for _ in 0..20 {
        cycle(1001);
    }
}

#[test]
fn parallel_tests_see_only_their_own_files_b() {
    for _ in 0..20 {
        cycle(2002);
    }
}

#[test]
fn files_given_by_the_test_are_in_the_charm_directory() {
    let out = State::default()
        .with_file("app.conf", "port = 7\n")
        .run_in(CHARM, Hook::new("update-status"));
    assert_eq!(out.error_message(), None);
    assert_eq!(out.state.kv["restarted with"], "port = 7\n");
    assert!(!std::path::Path::new("app.conf").exists());
}
