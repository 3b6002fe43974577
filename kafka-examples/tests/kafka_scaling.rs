//! More than one broker, more than one relation: a second provider unit,
//! a client related to two providers, a client application relating late.

mod common;

use common::{bootstrap, broker, charms, has_flag, holders, model, properties, settle, status};
use kafka_examples::scenario::relation_between;

fn st(s: &str, m: &str) -> (String, String) {
    (s.to_string(), m.to_string())
}

#[test]
fn a_second_provider_unit_is_a_second_broker() {
    let c = &charms().examples;
    let (_dir, mut model) = model();
    model.deploy("kafka", &c.provider, 2).unwrap();
    model.deploy("app", &c.client, 1).unwrap();
    let id = model.relate("kafka", "app").unwrap();
    settle(&mut model);
    let both = [
        broker(&model, id, "kafka/0", 9092),
        broker(&model, id, "kafka/1", 9092),
    ];
    assert_ne!(both[0], both[1]);
    assert_eq!(properties(&model, "app/0"), Some(bootstrap(&both)));
    assert_eq!(holders(&mut model, "app/0", "kafka.available").len(), 2);
    for k in ["kafka/0", "kafka/1"] {
        assert_eq!(status(&model, k), st("active", "Ready: 1 clients"));
    }

    // One broker leaves: the file lists the other; still ready.
    model.remove_unit("kafka/0").unwrap();
    settle(&mut model);
    assert_eq!(properties(&model, "app/0"), Some(bootstrap(&both[1..])));
    assert_eq!(status(&model, "app/0"), st("active", "Ready"));

    // The last one leaves: the relation stays, without a broker.
    model.remove_unit("kafka/1").unwrap();
    settle(&mut model);
    assert_eq!(properties(&model, "app/0"), None);
    assert!(!has_flag(&mut model, "app/0", "kafka.connected"));
    assert!(!has_flag(&mut model, "app/0", "service.started"));
    assert_eq!(
        status(&model, "app/0"),
        st("waiting", "Waiting for a Kafka unit to join")
    );

    // A new broker joins the same relation: ready again.
    model.add_unit("kafka").unwrap();
    settle(&mut model);
    let third = broker(&model, id, "kafka/2", 9092);
    assert_eq!(properties(&model, "app/0"), Some(bootstrap(&[third])));
    assert_eq!(status(&model, "app/0"), st("active", "Ready"));
}

#[test]
fn a_client_related_to_two_providers_lists_both() {
    let c = &charms().examples;
    let (_dir, mut model) = model();
    model.deploy("kafka-a", &c.provider, 1).unwrap();
    model
        .deploy_with_config("kafka-b", &c.provider, 1, &[("source_port", "9093")])
        .unwrap();
    model.deploy("app", &c.client, 1).unwrap();
    let a = model.relate("kafka-a", "app").unwrap();
    let b = model.relate("kafka-b", "app").unwrap();
    assert!(a < b);
    settle(&mut model);
    let brokers = [
        broker(&model, a, "kafka-a/0", 9092),
        broker(&model, b, "kafka-b/0", 9093),
    ];
    assert_eq!(properties(&model, "app/0"), Some(bootstrap(&brokers)));
    // The conversations are held in the order the relations' hooks ran,
    // which Juju does not fix (juju-sim draws it from the model's seed).
    let mut held = holders(&mut model, "app/0", "kafka.available");
    held.sort();
    assert_eq!(
        held,
        [
            format!("reactive.conversations.kafka:{a}.kafka-a/0"),
            format!("reactive.conversations.kafka:{b}.kafka-b/0"),
        ]
    );

    // One relation goes: the other broker remains.
    model.remove_relation(a).unwrap();
    settle(&mut model);
    assert_eq!(properties(&model, "app/0"), Some(bootstrap(&brokers[1..])));
    assert_eq!(status(&model, "app/0"), st("active", "Ready"));
    assert_eq!(relation_between(&model, "kafka-a", "app"), None);
}

#[test]
fn a_client_application_relating_late_gets_the_port() {
    // The seed's handler is guarded by when_not(kafka.available), which the
    // first application has set: the interface publishes in -joined.
    let c = &charms().examples;
    let (_dir, mut model) = model();
    model.deploy("kafka", &c.provider, 1).unwrap();
    model.deploy("first", &c.client, 1).unwrap();
    model.relate("kafka", "first").unwrap();
    settle(&mut model);
    model.deploy("second", &c.client, 1).unwrap();
    let id = model.relate("kafka", "second").unwrap();
    settle(&mut model);
    assert_eq!(model.relation_data(id, "kafka/0").unwrap()["port"], "9092");
    assert_eq!(status(&model, "second/0"), st("active", "Ready"));
    assert_eq!(
        properties(&model, "second/0"),
        Some(bootstrap(&[broker(&model, id, "kafka/0", 9092)]))
    );
    assert_eq!(status(&model, "kafka/0"), st("active", "Ready: 2 clients"));
}
