//! Relation data converges after a crash: the example provider is killed
//! by a real SIGKILL right after its `kafka-relation-joined` committed the
//! store, before the process exited (`crashing-provider`). Juju (here
//! juju-sim, which does what `worker/uniter/operation/runhook.go` does with
//! a failed hook: its relation writes are dropped and the hook is retried)
//! never applied the port, while the store says `kafka.connected`. The
//! retry and the hooks after it must still give the client the port.

mod common;

use common::{bootstrap, broker, charms, model_with, properties, settle, status};
use juju_sim::report::RunStatus;
use juju_sim::Options;
use kafka_examples::pack::{pack_charm_dir, EXAMPLE_CHARMS};

const HOOK: &str = "kafka-relation-joined";
/// The signal's number on Linux.
const SIGKILL: i32 = 9;

#[test]
fn a_provider_killed_after_its_commit_still_gives_the_client_its_port() {
    let packed = charms();
    let provider = EXAMPLE_CHARMS[0];
    let crashing = pack_charm_dir(
        provider.name,
        &provider.charm_files(),
        env!("CARGO_BIN_EXE_crashing-provider").as_ref(),
        &std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("charms-convergence"),
    )
    .expect("packing the crashing provider");
    let (_dir, mut model) = model_with(Options {
        record_flags: true,
        hook_env: vec![("CRASH_AFTER_COMMIT".into(), HOOK.into())],
        ..Options::default()
    });
    model.deploy("kafka", &crashing, 1).unwrap();
    model.deploy("app", &packed.examples.client, 1).unwrap();
    settle(&mut model);
    let id = model.relate("kafka", "app").unwrap();
    let report = model.settle_report().unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);

    let provider_runs: Vec<_> = report.runs.iter().filter(|r| r.unit == "kafka/0").collect();
    let killed = provider_runs
        .iter()
        .find(|r| !r.succeeded())
        .expect("the provider was killed once");
    assert_eq!(killed.hook, HOOK);
    assert_eq!(
        killed.status,
        RunStatus::Failed {
            exit_code: None,
            signal: Some(SIGKILL)
        }
    );
    // Killed after its commit: the store kept the flag and the hook had
    // sent the port, which Juju dropped.
    let kept = killed.flags.as_ref().expect("flags recorded");
    assert!(kept.contains_key("kafka.connected"), "{kept:?}");
    // (The port travels on relation-set's standard input, `--file -`.)
    assert!(killed
        .calls
        .iter()
        .any(|c| c.tool == "relation-set" && c.args.iter().any(|a| a == "--file")));

    // The retry of the same hook sends the port again, and it sticks.
    let retry = provider_runs
        .iter()
        .find(|r| r.hook == HOOK && r.attempt == killed.attempt + 1)
        .expect("the hook was retried");
    assert!(retry.succeeded(), "{}", retry.stderr_tail);
    assert_eq!(model.relation_data(id, "kafka/0").unwrap()["port"], "9092");
    assert_eq!(status(&model, "app/0").0, "active");
    assert_eq!(
        properties(&model, "app/0"),
        Some(bootstrap(&[broker(&model, id, "kafka/0", 9092)]))
    );
    // Once Juju holds the port, later hooks send it no more.
    let after: usize = provider_runs
        .iter()
        .filter(|r| r.seq > retry.seq)
        .map(|r| r.calls.iter().filter(|c| c.tool == "relation-set").count())
        .sum();
    assert_eq!(after, 0);
    model.update_status();
    let runs = settle(&mut model);
    assert!(runs
        .iter()
        .all(|r| r.calls.iter().all(|c| c.tool != "relation-set")));
}
