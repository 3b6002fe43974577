//! D7: handlers queued in one iteration run by source file path, then line,
//! then function name.
//!
//! `a_file.rs` and `b_file.rs` sort before this file (`mod.rs`), whatever
//! their lines.

mod a_file;
mod b_file;

use crate::common::*;
use reactive_core::prelude::*;

#[when("go")]
fn zeta_early() {}

#[rustfmt::skip]
mod same_line {
    use reactive_core::prelude::*;

    #[when("go")] fn b_same() {} #[when("go")] fn a_same() {}
}

#[when("go")]
fn alpha_late() {}

#[test]
fn handlers_run_by_file_then_line_then_name() {
    let (_dir, store) = store();
    let reg = registry(module_path!());
    let s = run(&store, &reg, "update-status", &["go"]);
    assert_eq!(
        invoked(&s),
        [
            "late_in_a",
            "early_in_b",
            "zeta_early",
            "a_same",
            "b_same",
            "alpha_late"
        ]
    );
    let ids: Vec<String> = s.trace().invoked().map(String::from).collect();
    assert!(
        ids[0].starts_with("workspace-tests/tests/d7_order/a_file.rs:"),
        "{ids:?}"
    );
    assert!(
        ids[1].starts_with("workspace-tests/tests/d7_order/b_file.rs:"),
        "{ids:?}"
    );
}
