//! Every predicate, the flag API, triggers, memory helpers, and rollback.

use super::*;
use crate::{
    data_changed, get_flag_value, get_flags, get_unset_flags, is_flag_set, kv, register_trigger,
    set_flag, set_flag_value, toggle_flag, Error, Trigger,
};

#[test]
fn when_any_none_and_not_all() {
    let (_d, store) = store();
    let defs = vec![
        h(
            1,
            "any",
            vec![Predicate::WhenAny(names(&["a", "z"]))],
            &[],
            &[],
        ),
        h(
            2,
            "any_missing",
            vec![Predicate::WhenAny(names(&["y", "z"]))],
            &[],
            &[],
        ),
        h(
            3,
            "none",
            vec![Predicate::WhenNone(names(&["y", "z"]))],
            &[],
            &[],
        ),
        h(
            4,
            "none_fails",
            vec![Predicate::WhenNone(names(&["a", "z"]))],
            &[],
            &[],
        ),
        h(
            5,
            "not_all",
            vec![Predicate::WhenNotAll(names(&["a", "z"]))],
            &[],
            &[],
        ),
        h(
            6,
            "not_all_fails",
            vec![Predicate::WhenNotAll(names(&["a", "b"]))],
            &[],
            &[],
        ),
        h(
            7,
            "all",
            vec![Predicate::WhenAll(names(&["a", "b"]))],
            &[],
            &[],
        ),
    ];
    let r = run_with(&store, "start", &defs, &DispatchOptions::default(), |s| {
        crate::dispatch::enter(s, || {
            set_flag("a");
            set_flag("b");
        })
        .unwrap()
    })
    .unwrap();
    assert_eq!(r.invoked, ["any", "none", "not_all", "all"]);
}

#[test]
fn hook_patterns_match_alternatives() {
    let (_d, store) = store();
    let defs = vec![
        h(
            1,
            "joined_or_changed",
            vec![hook(&["db-relation-{joined,changed}"])],
            &[],
            &[],
        ),
        h(
            2,
            "install",
            vec![hook(&["install", "upgrade-charm"])],
            &[],
            &[],
        ),
    ];
    assert_eq!(
        run(&store, "db-relation-changed", &defs).unwrap().invoked,
        ["joined_or_changed"]
    );
    assert_eq!(
        run(&store, "upgrade-charm", &defs).unwrap().invoked,
        ["install"]
    );
    assert!(run(&store, "db-relation-departed", &defs)
        .unwrap()
        .invoked
        .is_empty());
}

#[test]
fn when_file_changed_across_hooks() {
    let (d, store) = store();
    let file = d.path().join("f.conf");
    let defs = vec![h(
        1,
        "changed",
        vec![Predicate::WhenFileChanged(vec![file
            .to_string_lossy()
            .into()])],
        &[],
        &[],
    )];
    // A file that never existed is no change (as in charmhelpers, missing
    // and never checked read the same).
    assert!(run(&store, "a", &defs).unwrap().invoked.is_empty());
    std::fs::write(&file, "x").unwrap();
    assert_eq!(run(&store, "c", &defs).unwrap().invoked, ["changed"]);
    assert!(run(&store, "d", &defs).unwrap().invoked.is_empty());
    std::fs::write(&file, "y").unwrap();
    assert_eq!(run(&store, "e", &defs).unwrap().invoked, ["changed"]);
    // Deleting it is a change; so is creating it again with the old content.
    std::fs::remove_file(&file).unwrap();
    assert_eq!(run(&store, "f", &defs).unwrap().invoked, ["changed"]);
    assert!(run(&store, "g", &defs).unwrap().invoked.is_empty());
    std::fs::write(&file, "y").unwrap();
    assert_eq!(run(&store, "h", &defs).unwrap().invoked, ["changed"]);
}

#[test]
fn when_file_changed_sees_a_file_that_exists_at_the_first_check() {
    let (d, store) = store();
    let file = d.path().join("present.conf");
    std::fs::write(&file, "x").unwrap();
    let defs = vec![h(
        1,
        "changed",
        vec![Predicate::WhenFileChanged(vec![file
            .to_string_lossy()
            .into()])],
        &[],
        &[],
    )];
    assert_eq!(run(&store, "a", &defs).unwrap().invoked, ["changed"]);
    assert!(run(&store, "b", &defs).unwrap().invoked.is_empty());
}

#[test]
fn only_once_runs_once_in_the_units_life_and_only_if_it_succeeded() {
    let (_d, store) = store();
    let fail = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let f2 = fail.clone();
    let defs = vec![hf(
        1,
        "once",
        vec![Predicate::OnlyOnce, when_not(&["never"])],
        move |_| {
            if f2.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(Error::Other("boom".into()));
            }
            Ok(())
        },
    )];
    assert!(run(&store, "install", &defs).is_err());
    fail.store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(run(&store, "install", &defs).unwrap().invoked, ["once"]);
    assert!(run(&store, "config-changed", &defs)
        .unwrap()
        .invoked
        .is_empty());
}

#[test]
fn flag_api_queries_and_values() {
    let (_d, store) = store();
    let defs = vec![hf(1, "api", vec![when_not(&["done"])], |_| {
        set_flag_value("v", &serde_json::json!({"port": 9092}));
        set_flag("b");
        toggle_flag("c", true);
        toggle_flag("b", false);
        assert!(is_flag_set("v") && is_flag_set("c") && !is_flag_set("b"));
        assert!(crate::all_flags_set(&["v", "c"]));
        assert!(crate::any_flags_set(&["zz", "c"]));
        assert_eq!(get_flags(), ["c", "v"]);
        assert_eq!(get_unset_flags(&["z", "c", "a"]), ["a", "z"]);
        assert_eq!(get_flag_value("v").unwrap()["port"], 9092);
        assert_eq!(get_flag_value("c"), Some(serde_json::Value::Null));
        assert_eq!(get_flag_value("b"), None);
        set_flag("done");
        Ok(())
    })];
    run(&store, "start", &defs).unwrap();
    assert_eq!(store.flags().unwrap()["v"]["port"], 9092);
}

#[test]
fn replacing_a_value_is_not_a_change() {
    let (_d, store) = store();
    let defs = vec![
        hf(1, "bump", vec![when(&["v"]), when_not(&["bumped"])], |_| {
            set_flag_value("v", &2);
            set_flag("bumped");
            Ok(())
        }),
        h(2, "watch_v", vec![when(&["v"])], &[], &[]),
    ];
    let r = run_with(&store, "start", &defs, &DispatchOptions::default(), |s| {
        crate::dispatch::enter(s, || set_flag_value("v", &1)).unwrap()
    })
    .unwrap();
    // watch_v runs once: the value change of v does not re-queue it.
    assert_eq!(r.invoked, ["bump", "watch_v"]);
    assert_eq!(store.flags().unwrap()["v"], 2);
}

#[test]
fn invalid_flag_names_fail_the_handler_naming_the_flag() {
    for bad in ["", "has space", "tab\there", "ctl\u{7}"] {
        let (_d, store) = store();
        let name = bad.to_string();
        let defs = vec![hf(1, "bad", vec![when_not(&["x"])], move |_| {
            set_flag(&name);
            Ok(())
        })];
        let err = run(&store, "start", &defs).err().expect("error");
        let msg = crate::error_chain(&err);
        assert!(msg.contains("t.rs:1:bad"), "{msg}");
        assert!(msg.contains(&format!("{bad:?}")), "{msg}");
    }
}

#[test]
fn dynamic_triggers_fire_atomically_and_chain() {
    let (_d, store) = store();
    let defs = vec![
        hf(1, "register", vec![hook(&["start"])], |_| {
            register_trigger(Trigger::when("a").set_flag("b").clear_flag("old"));
            register_trigger(Trigger::when("b").set_flag("c"));
            register_trigger(Trigger::when_not("c").set_flag("c_gone"));
            Ok(())
        }),
        hf(2, "set_a", vec![when_not(&["a"])], |_| {
            set_flag("a");
            // The trigger already ran: nothing can observe a without b.
            assert!(is_flag_set("b") && is_flag_set("c") && !is_flag_set("old"));
            Ok(())
        }),
        hf(3, "clear_c", vec![when(&["c"])], |_| {
            crate::clear_flag("c");
            assert!(is_flag_set("c_gone"));
            Ok(())
        }),
    ];
    let r = run_with(&store, "start", &defs, &DispatchOptions::default(), |s| {
        crate::dispatch::enter(s, || set_flag("old")).unwrap()
    })
    .unwrap();
    assert_eq!(r.flags, ["a", "b", "c_gone"]);
    // Dynamic triggers hold for that dispatch only.
    let defs2 = vec![h(1, "set_x", vec![when_not(&["x"])], &["x"], &["a"])];
    let r = run(&store, "update-status", &defs2).unwrap();
    assert_eq!(r.flags, ["b", "c_gone", "x"]);
}

#[test]
fn data_changed_and_kv_persist_with_the_flags() {
    let (_d, store) = store();
    let data = std::sync::Arc::new(std::sync::Mutex::new(vec![1, 2]));
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (d2, s2) = (data.clone(), seen.clone());
    let defs = vec![hf(1, "check", vec![when_not(&["never"])], move |_| {
        let v = d2.lock().unwrap().clone();
        s2.lock().unwrap().push(data_changed("brokers", &v)?);
        let n: u32 = kv().get("count")?.unwrap_or(0);
        kv().set("count", &(n + 1))?;
        Ok(())
    })];
    run(&store, "a", &defs).unwrap();
    run(&store, "b", &defs).unwrap();
    *data.lock().unwrap() = vec![3];
    run(&store, "c", &defs).unwrap();
    assert_eq!(*seen.lock().unwrap(), [true, false, true]);
    assert_eq!(store.kv_get("count").unwrap(), Some(serde_json::json!(3)));
}

#[test]
fn a_failing_handler_rolls_back_everything_and_names_itself() {
    let (d, store) = store();
    let defs_ok = vec![h(1, "first", vec![when_not(&["base"])], &["base"], &[])];
    run(&store, "install", &defs_ok).unwrap();
    let before_flags = store.flags().unwrap();
    let before_kv = store.kv_prefix("").unwrap();
    let path = d.path().join("state.sled");

    let failing = |panic: bool| {
        vec![
            hf(1, "writer", vec![when(&["base"]), when_not(&["w"])], |_| {
                set_flag("w");
                crate::clear_flag("base");
                kv().set("k", "v")?;
                data_changed("d", &1)?;
                Ok(())
            }),
            hf(2, "failer", vec![when(&["w"])], move |_| {
                if panic {
                    panic!("kaboom");
                }
                Err(Error::Other("it broke".into()))
            }),
        ]
    };
    for panic in [false, true] {
        let err = run(&store, "config-changed", &failing(panic))
            .err()
            .expect("failure");
        let msg = crate::error_chain(&err);
        assert!(msg.contains("t.rs:2:failer"), "{msg}");
        assert!(
            msg.contains(if panic { "kaboom" } else { "it broke" }),
            "{msg}"
        );
        assert_eq!(store.flags().unwrap(), before_flags);
        assert_eq!(store.kv_prefix("").unwrap(), before_kv);
    }
    // Reopen from disk: exactly as before.
    drop(store);
    let store = crate::store::Store::open(&path).unwrap();
    assert_eq!(store.flags().unwrap(), before_flags);
    assert_eq!(store.kv_prefix("").unwrap(), before_kv);
}

#[test]
fn declarations_are_checked() {
    let (_d, store) = store();
    let err = run(
        &store,
        "start",
        &[h(1, "bad", vec![when(&["a b"])], &[], &[])],
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("t.rs:1:bad"), "{err}");
    let err = run(&store, "start", &[h(1, "none", vec![], &[], &[])])
        .err()
        .unwrap();
    assert!(err.to_string().contains("at least one predicate"), "{err}");
    let err = run(
        &store,
        "start",
        &[h(
            1,
            "rel",
            vec![when(&["{relation_name}.joined"])],
            &[],
            &[],
        )],
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("relation parameter"), "{err}");
}
