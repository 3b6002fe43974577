//! The demo's lifecycle, end to end in juju-sim with the packed charms,
//! checked after every step: flags, statuses, relation data, ports and the
//! client's properties file.

mod common;

use common::{
    apply, bootstrap, broker, has_flag, holders, model, ports, properties, settle, status,
};
use kafka_examples::scenario::{relation_between, Step, BROKER, CLIENT, PROVIDER};
use kafka_examples::timeline::Timeline;

const P0: &str = "kafka-provider/0";

fn st(s: &str, m: &str) -> (String, String) {
    (s.to_string(), m.to_string())
}

#[test]
fn the_demo_lifecycle() {
    let (_dir, mut model) = model();
    let mut id = None;
    let mut broker_password: Option<String> = None;
    for step in Step::ALL {
        apply(&mut model, step);
        id = id.or_else(|| relation_between(&model, PROVIDER, CLIENT));
        let clients = model.units(CLIENT);
        match step {
            Step::Deploy => {
                assert_eq!(
                    status(&model, P0),
                    st("waiting", "Waiting for a client to connect")
                );
                assert!(has_flag(&mut model, P0, "kafka-provider.port-ok"));
                assert!(!has_flag(&mut model, P0, "kafka.connected"));
                assert_eq!(clients, ["kafka-client/0", "kafka-client/1"]);
                for c in &clients {
                    assert_eq!(
                        status(&model, c),
                        st("blocked", "Missing relation to Kafka")
                    );
                    assert_eq!(properties(&model, c), None);
                }
            }
            Step::Relate | Step::AddClient | Step::ChangePort | Step::RemoveClient => {
                let id = id.expect("the relation");
                let port = if matches!(step, Step::Relate | Step::AddClient) {
                    9092
                } else {
                    9093
                };
                let n = clients.len();
                assert_eq!(
                    status(&model, P0),
                    st("active", &format!("Ready: {n} clients"))
                );
                assert_eq!(holders(&mut model, P0, "kafka.available").len(), n);
                assert_eq!(holders(&mut model, P0, "kafka.connected").len(), n);
                assert_eq!(
                    model.relation_data(id, P0).unwrap()["port"],
                    port.to_string()
                );
                assert_eq!(ports(&model, P0), [format!("{port}/tcp")]);
                let expected = bootstrap(&[broker(&model, id, P0, port)]);
                for c in &clients {
                    assert_eq!(status(&model, c), st("active", "Ready"), "{c}");
                    assert!(has_flag(&mut model, c, "kafka.available"), "{c}");
                    assert!(has_flag(&mut model, c, "service.started"), "{c}");
                    assert_eq!(properties(&model, c).as_deref(), Some(&*expected), "{c}");
                }
                let expected_clients: &[&str] = match step {
                    Step::Relate => &["kafka-client/0", "kafka-client/1"],
                    Step::RemoveClient => &["kafka-client/1", "kafka-client/2"],
                    _ => &["kafka-client/0", "kafka-client/1", "kafka-client/2"],
                };
                assert_eq!(clients, expected_clients);
            }
            Step::RemoveRelation => {
                assert_eq!(relation_between(&model, PROVIDER, CLIENT), None);
                assert_eq!(
                    status(&model, P0),
                    st("waiting", "Waiting for a client to connect")
                );
                assert!(!has_flag(&mut model, P0, "kafka.connected"));
                assert!(!has_flag(&mut model, P0, "kafka.available"));
                for c in &clients {
                    assert_eq!(
                        status(&model, c),
                        st("blocked", "Missing relation to Kafka")
                    );
                    for f in ["kafka.connected", "kafka.available", "service.started"] {
                        assert!(!has_flag(&mut model, c, f), "{c} {f}");
                    }
                    assert_eq!(properties(&model, c), None, "{c}");
                }
            }
            Step::RelateBroker | Step::RotatePassword => {
                let id = relation_between(&model, BROKER, CLIENT).expect("broker relation");
                assert_eq!(
                    status(&model, "kafka-broker/0"),
                    st("active", "Ready: 1 topics granted")
                );
                let address =
                    model.relation_data(id, "kafka-broker/0").unwrap()["private-address"].clone();
                let mut passwords = Vec::new();
                for c in &clients {
                    assert_eq!(status(&model, c), st("active", "Ready"), "{c}");
                    let props = properties(&model, c).expect("properties");
                    assert!(
                        props.starts_with(&bootstrap(&[format!("{address}:9092")])),
                        "{props}"
                    );
                    assert!(
                        props.contains(&format!("username=\"relation-{id}\"")),
                        "{props}"
                    );
                    passwords.push(
                        props
                            .split("password=")
                            .nth(1)
                            .unwrap_or_default()
                            .to_string(),
                    );
                }
                // Every client unit has the one password of the relation's user.
                passwords.dedup();
                assert_eq!(passwords.len(), 1, "{passwords:?}");
                let user = model
                    .secrets()
                    .secrets
                    .values()
                    .find(|s| s.label.as_deref() == Some(&format!("kafka-client.{id}.user.secret")))
                    .expect("the user secret")
                    .latest;
                assert_eq!(user, if step == Step::RotatePassword { 2 } else { 1 });
                // The rotation reached the clients' files.
                assert_ne!(broker_password.as_ref(), passwords.first());
                broker_password = passwords.pop();
            }
        }
    }
    assert!(model.history().iter().all(|r| r.succeeded()));
}

#[test]
fn the_port_change_costs_one_relation_set_and_the_clients_only_rewrite() {
    let (_dir, mut model) = model();
    apply(&mut model, Step::Deploy);
    apply(&mut model, Step::Relate);
    // A hook where nothing changed writes nothing.
    model.update_status();
    for run in settle(&mut model) {
        let writes: Vec<_> = run
            .calls
            .iter()
            .filter(|c| ["relation-set", "open-port", "close-port"].contains(&c.tool.as_str()))
            .collect();
        assert!(writes.is_empty(), "{} {}: {writes:?}", run.unit, run.hook);
    }
    let runs = apply(&mut model, Step::ChangePort);
    let provider_run = runs.iter().find(|r| r.unit == P0).expect("provider hook");
    let counts = provider_run.calls_by_tool();
    assert_eq!(counts.get("relation-set"), Some(&1));
    assert_eq!(counts.get("open-port"), Some(&1));
    assert_eq!(counts.get("close-port"), Some(&1));
}

#[test]
fn the_timeline_tells_handlers_flags_and_statuses() {
    let options = juju_sim::Options {
        record_flags: true,
        ..juju_sim::Options::default()
    };
    let (_dir, mut model) = common::model_with(options);
    let mut timeline = Timeline::new();
    let mut entries = Vec::new();
    for step in [Step::Deploy, Step::Relate] {
        entries.extend(apply(&mut model, step).iter().map(|r| timeline.record(r)));
    }
    let joined = entries
        .iter()
        .find(|e| e.unit == P0 && e.hook == "kafka-relation-joined")
        .expect("the provider's first join");
    assert_eq!(joined.remote.as_deref(), Some("kafka-client/0"));
    assert_eq!(joined.handlers, ["client_joined", "waiting_for_client"]);
    assert_eq!(joined.set, ["kafka.connected"]);
    assert!(joined.cleared.is_empty());
    assert_eq!(
        joined.status,
        Some(st("waiting", "Waiting for a client to become available"))
    );
    let text = joined.to_string();
    assert!(
        text.contains("kafka-relation-joined (kafka-client/0)"),
        "{text}"
    );
    assert!(
        text.contains("handlers: client_joined, waiting_for_client"),
        "{text}"
    );
    assert!(text.contains("flags:    +kafka.connected"), "{text}");
    // A unit's first hook reports every flag it set.
    let install = entries.iter().find(|e| e.unit == P0).unwrap();
    assert_eq!(install.hook, "install");
    assert!(install.set.contains(&"kafka-provider.port-ok".to_string()));
}
