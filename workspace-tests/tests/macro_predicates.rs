//! Every predicate attribute, stacking, the handler id, and the module
//! filter of `Registry::from_inventory_in`, with macro-declared handlers.

mod common;

/// Runs `hook` with `preset` flags on a fresh unit and returns the names of
/// the handlers of `module` that ran.
fn ran(module: &str, hook: &str, preset: &[&str]) -> Vec<String> {
    let (_dir, store) = common::store();
    let reg = common::registry(module);
    common::invoked(&common::run(&store, &reg, hook, preset))
}

mod when_all {
    use reactive_core::prelude::*;

    #[when("a", "b")]
    fn when_both() {}

    #[when_all("a", "b")]
    fn when_all_both() {}

    #[test]
    fn runs_only_when_every_flag_is_set() {
        let m = module_path!();
        assert_eq!(
            super::ran(m, "h", &["a", "b"]),
            ["when_both", "when_all_both"]
        );
        assert!(super::ran(m, "h", &["a"]).is_empty());
        assert!(super::ran(m, "h", &[]).is_empty());
    }
}

mod when_any {
    use reactive_core::prelude::*;

    #[when_any("a", "b")]
    fn either() {}

    #[test]
    fn runs_when_one_flag_is_set() {
        let m = module_path!();
        assert_eq!(super::ran(m, "h", &["b"]), ["either"]);
        assert_eq!(super::ran(m, "h", &["a", "b"]), ["either"]);
        assert!(super::ran(m, "h", &["c"]).is_empty());
    }
}

mod when_none {
    use reactive_core::prelude::*;

    #[when_not("a", "b")]
    fn when_not_either() {}

    #[when_none("a", "b")]
    fn when_none_either() {}

    #[test]
    fn runs_only_when_no_flag_is_set() {
        let m = module_path!();
        assert_eq!(
            super::ran(m, "h", &["c"]),
            ["when_not_either", "when_none_either"]
        );
        assert!(super::ran(m, "h", &["b"]).is_empty());
    }
}

mod when_not_all {
    use reactive_core::prelude::*;

    #[when_not_all("a", "b")]
    fn not_both() {}

    #[test]
    fn runs_when_one_flag_is_not_set() {
        let m = module_path!();
        assert_eq!(super::ran(m, "h", &["a"]), ["not_both"]);
        assert_eq!(super::ran(m, "h", &[]), ["not_both"]);
        assert!(super::ran(m, "h", &["a", "b"]).is_empty());
    }
}

/// Stacked attributes make one handler: all its predicates must hold, two
/// `#[when]` conjoin, and paths to the macros work like bare names.
mod stacked {
    use reactive_core::prelude::*;

    #[when("a")]
    #[reactive_core::when("b")]
    #[when_not("c")]
    #[reactive_core::prelude::when_any("d", "e")]
    fn guarded() {}

    #[test]
    fn one_handler_with_every_predicate() {
        let m = module_path!();
        let reg = crate::common::registry(m);
        assert_eq!(reg.handlers().len(), 1);
        let h = &reg.handlers()[0];
        assert_eq!(
            h.predicates,
            [
                "when_all(a)",
                "when_all(b)",
                "when_none(c)",
                "when_any(d, e)"
            ]
        );
        assert_eq!(h.watches, ["a", "b", "c", "d", "e"]);
        assert_eq!(super::ran(m, "h", &["a", "b", "e"]), ["guarded"]);
        assert!(super::ran(m, "h", &["a", "e"]).is_empty());
        assert!(super::ran(m, "h", &["a", "b"]).is_empty());
        assert!(super::ran(m, "h", &["a", "b", "c", "d"]).is_empty());
    }
}

mod hooks {
    use reactive_core::prelude::*;

    const METADATA: &str = "name: app\n\
        requires:\n  queue: {interface: kafka}\n  audit: {interface: kafka}\n\
        provides:\n  web: {interface: http}\n";

    #[hook("{requires:kafka}-relation-{joined,changed}")]
    fn kafka_relation() {}

    #[hook("install", "upgrade-charm")]
    fn setup() {}

    fn ran(hook: &str) -> Vec<String> {
        let (_dir, store) = crate::common::store();
        let reg = crate::common::registry_with(module_path!(), METADATA);
        crate::common::invoked(&crate::common::run(&store, &reg, hook, &[]))
    }

    #[test]
    fn patterns_match_by_alternation_and_role_interface() {
        assert_eq!(ran("queue-relation-joined"), ["kafka_relation"]);
        assert_eq!(ran("audit-relation-changed"), ["kafka_relation"]);
        assert!(ran("queue-relation-departed").is_empty());
        assert!(ran("web-relation-joined").is_empty());
        assert_eq!(ran("upgrade-charm"), ["setup"]);
        assert!(ran("config-changed").is_empty());
    }
}

mod only_once {
    use reactive_core::prelude::*;

    #[only_once]
    #[when("ready")]
    fn once_when_ready() {}

    #[only_once]
    fn once_alone() {}

    #[test]
    fn runs_once_in_the_units_life() {
        let (_dir, store) = crate::common::store();
        let reg = crate::common::registry(module_path!());
        let run = |preset: &[&str]| crate::common::run_commit(&store, &reg, "h", preset);
        assert_eq!(run(&[]), ["once_alone"]);
        assert_eq!(run(&["ready"]), ["once_when_ready"]);
        assert!(run(&["ready"]).is_empty());
    }

    #[test]
    fn a_failed_hook_does_not_count_as_a_run() {
        let (_dir, store) = crate::common::store();
        let reg = crate::common::registry(module_path!());
        // Dispatched but not committed: as if the hook failed.
        let s = crate::common::run(&store, &reg, "h", &[]);
        assert_eq!(crate::common::invoked(&s), ["once_alone"]);
        drop(s);
        assert_eq!(
            crate::common::run_commit(&store, &reg, "h", &[]),
            ["once_alone"]
        );
    }
}

/// The handler id is `file:line:name`, with the line of the function's
/// name, not of its first attribute.
mod handler_id {
    use reactive_core::prelude::*;

    const BEFORE: u32 = line!();
    #[when("a")]
    #[when_not("b")]
    fn located() {}

    #[test]
    fn id_has_the_line_of_the_function_name() {
        let reg = crate::common::registry(module_path!());
        assert_eq!(
            reg.handlers()[0].id,
            format!("{}:{}:located", file!(), BEFORE + 3)
        );
    }
}

/// `from_inventory_in` keeps a module and its submodules, not modules that
/// merely share a prefix.
mod filter {
    use reactive_core::prelude::*;

    #[when("a")]
    fn top() {}

    pub mod inner {
        use reactive_core::prelude::*;

        #[when("a")]
        fn nested() {}
    }

    #[test]
    fn keeps_the_module_and_its_submodules() {
        let reg = crate::common::registry(module_path!());
        let names = crate::common::handler_names(&reg);
        assert_eq!(names, ["top", "nested"]);
        let inner = crate::common::registry(&format!("{}::inner", module_path!()));
        assert_eq!(inner.handlers().len(), 1);
        // A prefix ending in `::` keeps only submodules.
        let below = crate::common::registry(&format!("{}::", module_path!()));
        assert_eq!(below.handlers().len(), 1);
    }
}

mod filter_sibling {
    use reactive_core::prelude::*;

    #[when("a")]
    fn sibling() {}

    #[test]
    fn a_shared_prefix_is_not_a_submodule() {
        // `filter` is a prefix of `filter_sibling`, but not its parent.
        let parent = module_path!().replace("filter_sibling", "filter");
        let names = crate::common::handler_names(&crate::common::registry(&parent));
        assert!(!names.contains(&"sibling".to_string()), "{names:?}");
    }
}
