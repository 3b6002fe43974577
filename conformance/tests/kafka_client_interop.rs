//! `kafka_client` against the data-platform library itself
//! (`dpcharmlibs-interfaces` from PyPI, in the conformance virtualenv), in
//! juju-sim with `JUJU_VERSION` 3.6 (the library needs
//! `relation-model-get`, Juju's
//! `worker/uniter/runner/jujuc/relation-model-get.go`), both ways:
//! - its provider (`ResourceProviderEventHandler`, answering our v0
//!   request) against the Rust client charm;
//! - its requirer (`ResourceRequirerEventHandler`, v1 requests) against the
//!   Rust broker charm.
//!
//! Each: relate, get credentials, change endpoints, rotate the password (a
//! new secret revision, `secret-changed` on the client), remove the
//! relation.

use std::path::Path;

use conformance::binaries::Binaries;
use conformance::charms::{charm, pack_rust, Implementation, INTEROP_CHARMS};
use conformance::ops_charms::{ops_charm, recorded};
use conformance::venv::venv;
use juju_sim::{Model, Options};

fn model(dir: &Path) -> Model {
    let options = Options {
        tool: Some(Binaries::get().unwrap_or_else(|e| panic!("{e}")).tool()),
        juju_version: "3.6.4".into(),
        ..Options::default()
    };
    Model::create(dir.join("model"), "interop", options).expect("model")
}

fn settle(model: &mut Model) {
    let report = model.settle_report().expect("settle");
    let failed = report.failures();
    assert!(failed.is_empty(), "hooks failed:\n{}", failed.join("\n"));
}

fn properties(model: &Model, unit: &str) -> Option<String> {
    let dir = model.unit_dir(unit).expect("unit dir");
    std::fs::read_to_string(dir.join("kafka-client.properties")).ok()
}

fn log(model: &Model, unit: &str) -> Vec<String> {
    recorded(&model.unit_dir(unit).expect("unit dir"))
}

#[test]
fn the_library_s_provider_serves_the_rust_client() {
    let venv = venv().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("tempdir");
    let mut model = model(dir.path());
    let provider =
        ops_charm(dir.path(), "dp-kafka-provider", &venv).unwrap_or_else(|e| panic!("{e}"));
    let spec = charm("kafka-client").expect("kafka-client");
    let client =
        conformance::charms::build_charm(spec, Implementation::Rust, &dir.path().join("client"))
            .unwrap_or_else(|e| panic!("{e}"));
    model
        .deploy("kafka", &provider, 1)
        .expect("deploy provider");
    model.deploy("app", &client, 1).expect("deploy client");
    settle(&mut model);
    let id = model
        .relate("kafka:kafka-client", "app:kafka-client")
        .expect("relate");
    settle(&mut model);

    assert_eq!(
        log(&model, "kafka/0"),
        ["requested app roles producer,consumer"]
    );
    let props = properties(&model, "app/0").expect("the client wrote its properties");
    assert!(
        props.starts_with("bootstrap.servers=10.1.0.1:9092,10.1.0.2:9092\n"),
        "{props}"
    );
    assert!(
        props.contains(&format!("username=\"user-{id}\" password=\"pw-one\"")),
        "{props}"
    );
    let answer = model.relation_app_data(id, "kafka").expect("answer");
    assert!(answer["secret-user"].starts_with("secret:"), "{answer:?}");
    assert!(!answer.contains_key("password"), "{answer:?}");

    model
        .set_config("kafka", "endpoints", "10.1.0.9:9093")
        .expect("config");
    settle(&mut model);
    let props = properties(&model, "app/0").expect("properties");
    assert!(
        props.starts_with("bootstrap.servers=10.1.0.9:9093\n"),
        "{props}"
    );

    // A new password is a new revision of secret-user.
    let user = answer["secret-user"]["secret:".len()..].to_string();
    let before = model.secrets().secrets[&user].latest;
    model
        .set_config("kafka", "password", "pw-two")
        .expect("config");
    settle(&mut model);
    assert!(model.secrets().secrets[&user].latest > before);
    let props = properties(&model, "app/0").expect("properties");
    assert!(props.contains("password=\"pw-two\""), "{props}");

    model.remove_relation(id).expect("remove relation");
    settle(&mut model);
    assert_eq!(properties(&model, "app/0"), None);
    assert_eq!(
        model.unit_status("app/0").expect("app/0").message,
        "Missing relation to Kafka"
    );
}

#[test]
fn the_rust_broker_serves_the_library_s_requirer() {
    let venv = venv().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("tempdir");
    let mut model = model(dir.path());
    let requirer =
        ops_charm(dir.path(), "dp-kafka-requirer", &venv).unwrap_or_else(|e| panic!("{e}"));
    let broker = pack_rust(&INTEROP_CHARMS[0], &dir.path().join("kafka-broker"))
        .unwrap_or_else(|e| panic!("{e}"));
    model.deploy("kafka", &broker, 1).expect("deploy broker");
    model.deploy("app", &requirer, 1).expect("deploy requirer");
    settle(&mut model);
    let id = model
        .relate("kafka:kafka-client", "app:kafka-client")
        .expect("relate");
    settle(&mut model);

    let address = model.relation_data(id, "kafka/0").expect("data")["private-address"].clone();
    let seen = log(&model, "app/0");
    assert_eq!(seen.len(), 1, "{seen:?}");
    let created = &seen[0];
    let prefix = format!("created orders user relation-{id} password ");
    assert!(created.starts_with(&prefix), "{created}");
    assert!(
        created.ends_with(&format!(" endpoints {address}:9092 tls False")),
        "{created}"
    );
    let first = created[prefix.len()..]
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string();
    assert_eq!(first.len(), 48, "{created}");

    model.set_config("kafka", "port", "9093").expect("config");
    settle(&mut model);
    assert_eq!(
        log(&model, "app/0")[1..],
        [format!("endpoints {address}:9093")]
    );

    let label = model
        .secrets()
        .secrets
        .values()
        .find_map(|s| s.label.clone().filter(|l| l.ends_with(".user.secret")))
        .expect("a user secret");
    model.secret_rotate(&label).expect("rotate");
    settle(&mut model);
    let last = log(&model, "app/0").last().cloned().unwrap_or_default();
    let prefix = format!("auth user relation-{id} password ");
    assert!(last.starts_with(&prefix), "{last}");
    assert_ne!(&last[prefix.len()..], first);

    model.remove_relation(id).expect("remove relation");
    settle(&mut model);
    assert_eq!(
        log(&model, "app/0").last().map(String::as_str),
        Some("broken")
    );
    assert!(model.secrets().secrets.is_empty(), "{:?}", model.secrets());
}
