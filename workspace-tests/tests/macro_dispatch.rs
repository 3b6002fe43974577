//! Handlers declared with the attribute macros go through the dispatch rules
//! D1 to D7 of the reactive semantics.
//!
//! Each module declares its own handlers and dispatches only them.

mod common;
mod d7_order;

/// D1: `collect-metrics` and `meter-status-changed` run only the handlers
/// registered for them, and nothing else happens.
mod d1_restricted {
    use crate::common::*;
    use reactive_core::prelude::*;
    use reactive_core::trace::Phase;

    #[collect_metrics]
    fn metrics() {
        set_flag("metrics.collected");
    }

    #[meter_status_changed]
    fn meter() {
        set_flag("meter.seen");
    }

    #[hook("collect-metrics", "meter-status-changed", "install")]
    fn hook_handler() {
        set_flag("hook.ran");
    }

    #[only_once]
    fn once() {}

    #[when_not("installed")]
    fn install() {
        set_flag("installed");
    }

    #[test]
    fn restricted_hooks_run_only_their_handlers() {
        let (_dir, store) = store();
        let reg = registry(module_path!());
        let s = run(&store, &reg, "collect-metrics", &[]);
        assert_eq!(invoked(&s), ["metrics"]);
        assert_eq!(flags(&s), ["metrics.collected"]);
        assert_eq!(rounds(&s), [(Phase::Restricted, 0, vec!["metrics".into()])]);

        let s = run(&store, &reg, "meter-status-changed", &[]);
        assert_eq!(invoked(&s), ["meter"]);
        assert_eq!(flags(&s), ["meter.seen"]);
    }

    #[test]
    fn restricted_handlers_do_not_run_in_other_hooks() {
        let (_dir, store) = store();
        let reg = registry(module_path!());
        let s = run(&store, &reg, "install", &[]);
        assert_eq!(invoked(&s), ["hook_handler", "once", "install"]);
        assert_eq!(flags(&s), ["hook.ran", "installed"]);
    }
}

/// D2: the hooks phase (hook handlers, and handlers with neither flag nor
/// hook predicates) runs before any flag handler.
mod d2_hooks_phase {
    use crate::common::*;
    use reactive_core::prelude::*;
    use reactive_core::trace::Phase;

    #[when("installed")]
    fn configure() {
        set_flag("configured");
    }

    #[only_once]
    fn first_boot() {}

    #[hook("install")]
    fn on_install() {
        set_flag("installed");
    }

    #[test]
    fn hook_handlers_run_first_and_flag_handlers_see_their_flags() {
        let (_dir, store) = store();
        let reg = registry(module_path!());
        let s = run(&store, &reg, "install", &[]);
        assert_eq!(
            rounds(&s),
            [
                (
                    Phase::Hooks,
                    0,
                    vec!["first_boot".into(), "on_install".into()]
                ),
                (Phase::Flags, 0, vec!["configure".into()]),
            ]
        );
    }

    #[test]
    fn hook_handlers_run_only_in_matching_hooks() {
        let (_dir, store) = store();
        let reg = registry(module_path!());
        let s = run(&store, &reg, "config-changed", &[]);
        assert_eq!(invoked(&s), ["first_boot"]);
        assert!(flags(&s).is_empty());
    }
}

/// D3 and D5: the other phase runs in iterations; after the first, only the
/// handlers watching a flag changed in the previous iteration are tested;
/// it ends when an iteration queues nothing.
mod d3_iterations {
    use crate::common::*;
    use reactive_core::prelude::*;
    use reactive_core::trace::Phase;

    #[when("start")]
    #[when_not("a")]
    fn step_a() {
        set_flag("a");
    }

    #[when("a")]
    #[when_not("b")]
    fn step_b() {
        set_flag("b");
    }

    #[when("b")]
    #[when_not("c")]
    fn step_c() {
        set_flag("c");
    }

    #[when("start")]
    fn watches_start() {}

    #[test]
    fn a_chain_runs_one_link_per_iteration_until_quiescence() {
        let (_dir, store) = store();
        let reg = registry(module_path!());
        let s = run(&store, &reg, "update-status", &["start"]);
        let other: Vec<_> = rounds(&s)
            .into_iter()
            .filter(|r| r.0 == Phase::Flags)
            .map(|r| (r.1, r.2))
            .collect();
        assert_eq!(
            other,
            [
                (0, vec!["step_a".to_string(), "watches_start".into()]),
                (1, vec!["step_b".into()]),
                (2, vec!["step_c".into()]),
            ]
        );
        // Iteration 1 queued only the watchers of `a` that matched.
        let queued: Vec<Vec<String>> = s
            .trace()
            .rounds
            .iter()
            .filter(|r| r.phase == Phase::Flags)
            .map(|r| r.queued.iter().map(|id| name(id)).collect())
            .collect();
        assert_eq!(queued[1], ["step_b"]);
        assert_eq!(flags(&s), ["a", "b", "c", "start"]);
    }
}

/// D4: a flag set during an iteration takes effect in the next one; a flag
/// cleared makes the rest of the queue be re-tested at once.
mod d4_set_waits {
    use crate::common::*;
    use reactive_core::prelude::*;
    use reactive_core::trace::Phase;

    #[when("go")]
    fn setter() {
        set_flag("x");
    }

    #[when("x")]
    fn after_set() {}

    #[test]
    fn a_set_flag_waits_for_the_next_iteration() {
        let (_dir, store) = store();
        let reg = registry(module_path!());
        let s = run(&store, &reg, "update-status", &["go"]);
        assert_eq!(
            rounds(&s)[1..],
            [
                (Phase::Flags, 0, vec!["setter".to_string()]),
                (Phase::Flags, 1, vec!["after_set".into()]),
            ]
        );
    }
}

mod d4_clear_retests {
    use crate::common::*;
    use reactive_core::prelude::*;
    use reactive_core::trace::Step;

    #[when("go")]
    fn clearer() {
        clear_flag("y");
    }

    #[when("y")]
    fn needs_y() {}

    #[when("go")]
    fn still_runs() {}

    #[test]
    fn a_cleared_flag_drops_queued_handlers_at_once() {
        let (_dir, store) = store();
        let reg = registry(module_path!());
        let s = run(&store, &reg, "update-status", &["go", "y"]);
        assert_eq!(invoked(&s), ["clearer", "still_runs"]);
        let dropped: Vec<String> = s
            .trace()
            .rounds
            .iter()
            .flat_map(|r| &r.steps)
            .filter_map(|s| match s {
                Step::Dropped { handlers } => Some(handlers.iter().map(|h| name(h))),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(dropped, ["needs_y"]);
    }
}

/// D6: a handler is not run again in the same hook unless one of its
/// watched flags changed; in a later hook, every matching handler runs.
mod d6_no_rerun {
    use crate::common::*;
    use reactive_core::prelude::*;

    #[when("start")]
    fn steady() {}

    #[when("start")]
    #[when_not("flip")]
    fn flipper() {
        set_flag("flip");
    }

    #[when("flip")]
    #[when_not("ping.done")]
    fn toggler() {
        clear_flag("ping");
        set_flag("ping");
        set_flag("ping.done");
    }

    #[when("ping")]
    fn pinged() {}

    #[test]
    fn handlers_rerun_only_when_a_watched_flag_changed() {
        let (_dir, store) = store();
        let reg = registry(module_path!());
        let names = run_commit(&store, &reg, "install", &["start", "ping"]);
        assert_eq!(names, ["steady", "flipper", "pinged", "toggler", "pinged"]);
        // Predicates are states: the next hook runs every matching handler.
        let names = run_commit(&store, &reg, "update-status", &[]);
        assert_eq!(names, ["steady", "pinged"]);
    }
}
