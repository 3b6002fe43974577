//! The dispatch rules D1 to D8 of the reactive semantics, one test each (or
//! more), with handlers registered by hand.

use super::*;
use crate::trace::{Phase, Step};
use crate::{Cond, DispatchOptions, Error};

#[test]
fn d1_restricted_hooks_run_only_their_own_handlers() {
    let (_d, store) = store();
    let defs = vec![
        h(
            1,
            "metrics",
            vec![Cond::Restricted("collect-metrics".into())],
            &["m"],
            &[],
        ),
        h(
            2,
            "meter",
            vec![Cond::Restricted("meter-status-changed".into())],
            &["s"],
            &[],
        ),
        h(
            3,
            "hook_handler",
            vec![hook(&["collect-metrics"])],
            &["h"],
            &[],
        ),
        h(4, "flag_handler", vec![when_not(&["x"])], &["f"], &[]),
        h(5, "once", vec![Cond::OnlyOnce], &["o"], &[]),
    ];
    let r = run(&store, "collect-metrics", &defs).unwrap();
    assert_eq!(r.invoked, ["metrics"]);
    assert_eq!(r.flags, ["m"]);
    assert_eq!(r.trace.rounds.len(), 1);
    assert_eq!(r.trace.rounds[0].phase, Phase::Restricted);

    let r = run(&store, "meter-status-changed", &defs).unwrap();
    assert_eq!(r.invoked, ["meter"]);

    // Outside restricted mode, restricted handlers never run.
    let r = run(&store, "update-status", &defs).unwrap();
    assert_eq!(r.invoked, ["once", "flag_handler"]);
}

#[test]
fn d2_hook_handlers_and_unflagged_handlers_run_before_flag_handlers() {
    let (d, store) = store();
    let file = d.path().join("conf");
    std::fs::write(&file, "a").unwrap();
    let path = file.to_string_lossy().into_owned();
    let defs = vec![
        h(1, "flagged", vec![when_not(&["nothing"])], &[], &[]),
        h(
            2,
            "on_install",
            vec![hook(&["install"])],
            &["installed"],
            &[],
        ),
        h(3, "on_other_hook", vec![hook(&["start"])], &[], &[]),
        h(4, "once", vec![Cond::OnlyOnce], &[], &[]),
        h(5, "file", vec![Cond::WhenFileChanged(vec![path])], &[], &[]),
        h(6, "after_install", vec![when(&["installed"])], &[], &[]),
    ];
    let r = run(&store, "install", &defs).unwrap();
    assert_eq!(
        r.invoked,
        ["on_install", "once", "file", "flagged", "after_install"]
    );
    let hooks = &r.trace.rounds[0];
    assert_eq!(hooks.phase, Phase::Hooks);
    assert_eq!(hooks.queued.len(), 3);
    // A flag set in the hooks phase is seen by iteration 0 of the other phase.
    assert_eq!(r.trace.rounds[1].queued.len(), 2);
}

#[test]
fn d3_later_iterations_test_only_watchers_of_changed_flags() {
    let (_d, store) = store();
    let defs = vec![
        // Runs in iteration 0 and watches only `a`: never re-tested.
        h(1, "watch_a", vec![when(&["a"])], &[], &[]),
        h(
            2,
            "set_b",
            vec![when(&["a"]), when_not(&["b"])],
            &["b"],
            &[],
        ),
        h(3, "watch_b", vec![when(&["b"])], &[], &[]),
    ];
    let r = run_with(&store, "start", &defs, &DispatchOptions::default(), |s| {
        super::super::enter(s, || crate::set_flag("a")).unwrap()
    })
    .unwrap();
    assert_eq!(r.invoked, ["watch_a", "set_b", "watch_b"]);
    let other: Vec<_> = r
        .trace
        .rounds
        .iter()
        .filter(|r| r.phase == Phase::Flags)
        .collect();
    // Iteration 2 re-tests set_b and watch_b (they watch b) and queues
    // nothing; empty iterations leave no round in the trace.
    assert_eq!(other.len(), 2);
    assert_eq!(other[1].queued, ["t.rs:3:watch_b"]);
}

#[test]
fn d3_handlers_that_watch_no_flag_are_tested_every_iteration() {
    let (d, store) = store();
    let file = d.path().join("conf");
    let path = file.to_string_lossy().into_owned();
    let writer_path = file.clone();
    let defs = vec![
        h(
            1,
            "file_changed",
            vec![Cond::WhenFileChanged(vec![path])],
            &[],
            &[],
        ),
        hf(2, "write_file", vec![when_not(&["written"])], move |_| {
            std::fs::write(&writer_path, "new").map_err(|e| Error::Other(e.to_string()))?;
            crate::set_flag("written");
            Ok(())
        }),
    ];
    let r = run(&store, "start", &defs).unwrap();
    // Not in the hooks phase (a file that never existed is no change); the
    // file written in iteration 0 is noticed in iteration 1.
    assert_eq!(r.invoked, ["write_file", "file_changed"]);
}

#[test]
fn d4_a_set_flag_takes_effect_in_the_next_iteration() {
    let (_d, store) = store();
    let defs = vec![
        h(1, "first", vec![when_not(&["x"])], &["x"], &[]),
        h(2, "needs_x", vec![when(&["x"])], &[], &[]),
        h(3, "needs_not_x", vec![when_not(&["x"])], &[], &[]),
    ];
    let r = run(&store, "start", &defs).unwrap();
    // needs_not_x was queued before x was set and still runs (a set does not
    // re-test); needs_x waits for iteration 1.
    assert_eq!(r.invoked, ["first", "needs_not_x", "needs_x"]);
    let other: Vec<_> = r
        .trace
        .rounds
        .iter()
        .filter(|r| r.phase == Phase::Flags)
        .collect();
    assert_eq!(other[0].queued.len(), 2);
}

#[test]
fn d4_a_cleared_flag_retests_the_rest_of_the_queue_at_once() {
    let (_d, store) = store();
    let defs = vec![
        h(1, "clearer", vec![when(&["a"])], &[], &["b"]),
        h(2, "needs_b", vec![when(&["b"])], &[], &[]),
        h(3, "needs_a", vec![when(&["a"])], &[], &[]),
    ];
    let r = run_with(&store, "start", &defs, &DispatchOptions::default(), |s| {
        super::super::enter(s, || {
            crate::set_flag("a");
            crate::set_flag("b");
        })
        .unwrap()
    })
    .unwrap();
    assert_eq!(r.invoked, ["clearer", "needs_a"]);
    let it0 = r
        .trace
        .rounds
        .iter()
        .find(|r| r.phase == Phase::Flags)
        .unwrap();
    assert!(it0.steps.contains(&Step::Dropped {
        handlers: vec!["t.rs:2:needs_b".into()]
    }));
}

#[test]
fn d4_clearing_an_unset_flag_still_retests() {
    let (_d, store) = store();
    let defs = vec![
        // Sets c (no re-test by itself) and clears the unset d (re-test).
        h(1, "set_c_clear_d", vec![when_not(&["c"])], &["c"], &["d"]),
        h(2, "needs_not_c", vec![when_not(&["c"])], &[], &[]),
    ];
    let r = run(&store, "start", &defs).unwrap();
    assert_eq!(r.invoked, ["set_c_clear_d"]);

    // Without the clear, the queued handler runs although c is now set.
    let (_d2, store) = super::store();
    let defs = vec![
        h(1, "set_c", vec![when_not(&["c"])], &["c"], &[]),
        h(2, "needs_not_c", vec![when_not(&["c"])], &[], &[]),
    ];
    let r = run(&store, "start", &defs).unwrap();
    assert_eq!(r.invoked, ["set_c", "needs_not_c"]);
}

#[test]
fn d5_dispatch_ends_when_an_iteration_queues_nothing() {
    let (_d, store) = store();
    let defs = vec![
        h(1, "a", vec![when_not(&["a"])], &["a"], &[]),
        h(2, "b", vec![when(&["a"]), when_not(&["b"])], &["b"], &[]),
    ];
    let r = run(&store, "start", &defs).unwrap();
    assert_eq!(r.invoked, ["a", "b"]);
    let iterations: Vec<usize> = r.trace.rounds.iter().map(|r| r.iteration).collect();
    assert_eq!(
        iterations,
        [0, 0, 1],
        "hooks phase, then iterations 0 and 1"
    );
    // A second hook finds nothing to do: predicates are states.
    let r = run(&store, "update-status", &defs).unwrap();
    assert!(r.invoked.is_empty());
}

#[test]
fn d6_a_handler_reruns_only_when_a_watched_flag_changes() {
    let (_d, store) = store();
    let defs = vec![
        // Watches a and b; runs in iteration 0, and again in iteration 1
        // because b (which it watches) changed.
        h(
            1,
            "watch_a_not_c",
            vec![when(&["a"]), when_not(&["c"])],
            &[],
            &[],
        ),
        h(
            2,
            "watch_a_b",
            vec![Cond::WhenAny(names(&["a", "b"]))],
            &[],
            &[],
        ),
        h(
            3,
            "set_b",
            vec![when(&["a"]), when_not(&["b"])],
            &["b"],
            &[],
        ),
    ];
    let r = run_with(&store, "start", &defs, &DispatchOptions::default(), |s| {
        super::super::enter(s, || crate::set_flag("a")).unwrap()
    })
    .unwrap();
    assert_eq!(
        r.invoked,
        ["watch_a_not_c", "watch_a_b", "set_b", "watch_a_b"]
    );
    // In every later hook, matching handlers run again.
    let r = run(&store, "update-status", &defs).unwrap();
    assert_eq!(r.invoked, ["watch_a_not_c", "watch_a_b"]);
}

#[test]
fn d7_order_is_file_then_line_then_name() {
    let (_d, store) = store();
    let mk = |file: &str, line: u32, name: &str| {
        crate::HandlerDef::new(file, line, name, vec![when_not(&["x"])], |_| Ok(()))
    };
    let defs = vec![
        mk("b.rs", 1, "b1"),
        mk("a.rs", 20, "a20"),
        mk("a.rs", 3, "a3z"),
        mk("a.rs", 3, "a3a"),
        mk("c.rs", 0, "c0"),
    ];
    let r = run(&store, "start", &defs).unwrap();
    assert_eq!(r.invoked, ["a3a", "a3z", "a20", "b1", "c0"]);
}

#[test]
fn d8_long_chains_run_to_quiescence() {
    let (_d, store) = store();
    let n = 1000;
    let defs: Vec<_> = (0..n)
        .map(|i| {
            let cur = format!("f{i}");
            let next = format!("f{}", i + 1);
            hf(
                i as u32,
                &format!("step{i}"),
                vec![Cond::WhenAll(vec![cur])],
                move |_| {
                    crate::set_flag(&next);
                    Ok(())
                },
            )
        })
        .collect();
    let r = run_with(&store, "start", &defs, &DispatchOptions::default(), |s| {
        super::super::enter(s, || crate::set_flag("f0")).unwrap()
    })
    .unwrap();
    assert_eq!(r.invoked.len(), n);
    assert!(r.flags.contains(&format!("f{n}")));
}

#[test]
fn d8_livelock_fails_naming_handlers_and_flags() {
    let (_d, store) = store();
    let defs = vec![
        h(1, "setter", vec![when_not(&["a"])], &["a"], &[]),
        h(2, "clearer", vec![when(&["a"])], &[], &["a"]),
        h(3, "bystander", vec![when_not(&["z"])], &[], &[]),
    ];
    let err = run(&store, "start", &defs).err().expect("livelock");
    match &err {
        Error::Livelock {
            handlers, flags, ..
        } => {
            assert_eq!(handlers, &["t.rs:1:setter", "t.rs:2:clearer"]);
            assert_eq!(flags, &["a"]);
        }
        other => panic!("expected a livelock, got {other}"),
    }
    assert!(err.to_string().contains("t.rs:2:clearer"));
    assert!(
        stored_flags(&store).is_empty(),
        "nothing of the failed dispatch is kept"
    );
}

#[test]
fn d8_iteration_bound_is_configurable() {
    let (_d, store) = store();
    let defs = vec![
        h(1, "a", vec![when_not(&["a"])], &["a"], &[]),
        h(2, "b", vec![when(&["a"])], &["b"], &[]),
        h(3, "c", vec![when(&["b"])], &["c"], &[]),
    ];
    let opts = DispatchOptions {
        max_iterations: Some(2),
    };
    let err = run_with(&store, "start", &defs, &opts, |_| {})
        .err()
        .expect("bound");
    match err {
        Error::IterationLimit { limit, queued } => {
            assert_eq!(limit, 2);
            assert_eq!(queued, ["t.rs:3:c"]);
        }
        other => panic!("expected the bound, got {other}"),
    }
    let opts = DispatchOptions {
        max_iterations: Some(3),
    };
    assert!(run_with(&store, "start", &defs, &opts, |_| {}).is_ok());
}
