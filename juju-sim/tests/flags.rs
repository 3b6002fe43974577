//! Reading a charm's flags through its `flags` subcommand.

mod common;

use common::*;
use juju_sim::Error;
use serde_json::json;

#[test]
fn flags_come_from_dispatch_flags_run_with_the_unit_environment() {
    let (dir, mut model) = model();
    let charm = probe(
        &dir,
        "p",
        &[(
            "start",
            r#"echo '{"started": null, "db.ready": {"port": 1}}' > flags.json"#,
        )],
    );
    model.deploy("p", &charm, 1).unwrap();
    model.settle().unwrap();
    let flags = model.flags("p/0").unwrap();
    assert_eq!(flags.keys().collect::<Vec<_>>(), ["db.ready", "started"]);
    assert_eq!(flags["db.ready"], json!({"port": 1}));
    let env = unit_file(&model, "p/0", "env.flags");
    assert!(env.contains("JUJU_UNIT_NAME=p/0\n"), "{env}");
    assert!(!env.contains("JUJU_DISPATCH_PATH"), "{env}");
    assert!(!env.contains("JUJU_HOOK_NAME"), "{env}");
}

#[test]
fn flags_can_be_recorded_after_every_hook() {
    let (dir, mut model) = model();
    let charm = probe(
        &dir,
        "p",
        &[
            ("install", r#"echo '{"installed": null}' > flags.json"#),
            (
                "start",
                r#"echo '{"installed": null, "started": null}' > flags.json"#,
            ),
        ],
    );
    model.options_mut().record_flags = true;
    model.deploy("p", &charm, 1).unwrap();
    let runs = model.settle().unwrap();
    let timeline: Vec<(String, usize)> = runs
        .iter()
        .map(|r| (r.hook.clone(), r.flags.as_ref().map_or(0, |f| f.len())))
        .collect();
    assert_eq!(
        timeline,
        [
            ("install".into(), 1),
            ("ring-relation-created".into(), 1),
            ("leader-elected".into(), 1),
            ("config-changed".into(), 1),
            ("start".into(), 2)
        ]
    );
}

#[test]
fn charms_without_dispatch_or_with_bad_output_are_errors() {
    let (dir, mut model) = model();
    model.deploy("old", charms().join("legacy"), 1).unwrap();
    assert!(matches!(
        model.flags("old/0"),
        Err(Error::NoDispatch { .. })
    ));

    let charm = probe(&dir, "p", &[]);
    model.deploy("p", &charm, 1).unwrap();
    std::fs::write(
        model.unit_dir("p/0").unwrap().join("flags.json"),
        "not json",
    )
    .unwrap();
    let err = model.flags("p/0").unwrap_err();
    assert!(matches!(err, Error::Flags { .. }), "{err}");
    assert!(err.to_string().contains("not json"), "{err}");
    assert!(matches!(model.flags("p/9"), Err(Error::UnknownUnit(_))));
}
