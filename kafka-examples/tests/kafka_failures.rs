//! Things going wrong: a hook that fails (retried by juju-sim, nothing of
//! it kept) and a remote unit publishing a bad port.

mod common;

use common::{bootstrap, broker, charms, flags, has_flag, model, properties, settle, status};
use juju_sim::report::RunStatus;

fn st(s: &str, m: &str) -> (String, String) {
    (s.to_string(), m.to_string())
}

#[test]
fn a_failed_hook_is_retried_and_keeps_nothing() {
    let packed = charms();
    let (_dir, mut model) = model();
    model.deploy("faulty", &packed.faulty, 1).unwrap();
    model.deploy("app", &packed.examples.client, 1).unwrap();
    let id = model.relate("faulty", "app").unwrap();
    let report = model.settle_report().unwrap();

    // kafka-relation-joined failed on every attempt of the settle.
    let failed: Vec<_> = report
        .runs
        .iter()
        .filter(|r| r.unit == "faulty/0" && !r.succeeded())
        .collect();
    assert_eq!(failed.len(), 3, "{:?}", report.runs);
    for (i, run) in failed.iter().enumerate() {
        assert_eq!(run.hook, "kafka-relation-joined");
        assert_eq!(run.attempt, i as u32 + 1);
        assert!(matches!(
            run.status,
            RunStatus::Failed {
                exit_code: Some(1),
                ..
            }
        ));
        assert!(
            run.stderr_tail.contains("failing on purpose"),
            "{}",
            run.stderr_tail
        );
    }
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].unit, "faulty/0");
    assert_eq!(
        model.unit_error("faulty/0").unwrap().as_deref(),
        Some("kafka-relation-joined")
    );
    // Nothing of the failed runs: no flag, no port, and the client waits.
    let f = flags(&mut model, "faulty/0");
    assert!(!f.contains_key("kafka.connected"), "{f:?}");
    assert!(!f.contains_key("faulty.published"), "{f:?}");
    assert!(!model
        .relation_data(id, "faulty/0")
        .unwrap()
        .contains_key("port"));
    assert_eq!(
        status(&model, "app/0"),
        st("waiting", "Waiting for availability of Kafka")
    );

    // The operator fixes the config; the failed hook is retried first and
    // now does everything, including the port the interface would have
    // remembered as published had the failed runs been kept.
    model.set_config("faulty", "fail", "false").unwrap();
    let runs = settle(&mut model);
    let retry = runs.iter().find(|r| r.unit == "faulty/0").unwrap();
    assert_eq!(
        (retry.hook.as_str(), retry.attempt),
        ("kafka-relation-joined", 4)
    );
    assert!(has_flag(&mut model, "faulty/0", "kafka.connected"));
    assert!(has_flag(&mut model, "faulty/0", "faulty.published"));
    assert_eq!(model.relation_data(id, "faulty/0").unwrap()["port"], "9092");
    assert_eq!(status(&model, "app/0"), st("active", "Ready"));
    assert_eq!(
        properties(&model, "app/0"),
        Some(bootstrap(&[broker(&model, id, "faulty/0", 9092)]))
    );
}

/// WARNING lines of a unit's log.
fn warnings(model: &juju_sim::Model, unit: &str) -> Vec<String> {
    model
        .logs(unit)
        .unwrap()
        .iter()
        .filter(|l| l.level == "WARNING")
        .map(|l| l.message.clone())
        .collect()
}

#[test]
fn a_remote_publishing_a_bad_port_leaves_the_client_waiting() {
    let packed = charms();
    let (_dir, mut model) = model();
    model.deploy("rogue", &packed.bad_port, 1).unwrap();
    model.deploy("app", &packed.examples.client, 1).unwrap();
    let id = model.relate("rogue", "app").unwrap();
    settle(&mut model);
    assert_eq!(model.relation_data(id, "rogue/0").unwrap()["port"], "abc");
    let mut seen = 0;
    for bad in ["abc", "0", "70000"] {
        if bad != "abc" {
            model.set_config("rogue", "port", bad).unwrap();
            settle(&mut model);
        }
        assert!(has_flag(&mut model, "app/0", "kafka.connected"));
        assert!(!has_flag(&mut model, "app/0", "kafka.available"));
        assert_eq!(
            status(&model, "app/0"),
            st("waiting", "Waiting for availability of Kafka")
        );
        assert_eq!(properties(&model, "app/0"), None);
        let w = warnings(&model, "app/0");
        assert!(w.len() > seen, "no new warning for port={bad}: {w:?}");
        let last = w.last().unwrap();
        assert!(
            last.contains("rogue/0") && last.contains(&format!("port={bad:?}")),
            "{last}"
        );
        seen = w.len();
    }
    assert_eq!(model.unit_error("app/0").unwrap(), None);
    assert!(model.runs_of("app/0").all(|r| r.succeeded()));

    model.set_config("rogue", "port", "9092").unwrap();
    settle(&mut model);
    assert_eq!(status(&model, "app/0"), st("active", "Ready"));
    assert_eq!(
        properties(&model, "app/0"),
        Some(bootstrap(&[broker(&model, id, "rogue/0", 9092)]))
    );
}
