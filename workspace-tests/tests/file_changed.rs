//! `#[when_file_changed]` with macro-declared handlers.
//!
//! The attribute takes literal paths; these are relative, and the test runs
//! with the current directory set to a temporary one. The current directory
//! is global to the process, so this binary holds one test.

mod common;

use reactive_core::prelude::*;
use reactive_core::trace::Phase;

#[when_file_changed("app.conf")]
fn restart() {}

#[when("touch")]
#[when_not("touched")]
fn touch_config() -> reactive_core::Result {
    std::fs::write("app.conf", "port = 2")?;
    set_flag("touched");
    Ok(())
}

#[test]
fn runs_when_the_file_changed_and_is_retested_in_every_iteration() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::env::set_current_dir(dir.path()).expect("chdir");
    let store = reactive_core::__private::Store::open(dir.path().join("state")).expect("store");
    let reg = common::registry(module_path!());
    let run = |preset: &[&str]| common::run_commit(&store, &reg, "update-status", preset);

    // A file that never existed is no change (charmhelpers reads missing
    // and never checked alike).
    assert!(run(&[]).is_empty());
    std::fs::write("app.conf", "port = 1").expect("write");
    assert_eq!(run(&[]), ["restart"]);
    assert!(run(&[]).is_empty());

    // It watches no flag, so every iteration re-tests it (rule D3): a change
    // made by a flag handler is seen in the next iteration.
    let s = common::run(&store, &reg, "update-status", &["touch"]);
    assert_eq!(
        common::rounds(&s),
        [
            (Phase::Hooks, 0, vec![]),
            (Phase::Flags, 0, vec!["touch_config".to_string()]),
            (Phase::Flags, 1, vec!["restart".into()]),
        ]
    );
}
