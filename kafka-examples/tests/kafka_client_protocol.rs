//! The client over `kafka_client`, end to end in juju-sim against the
//! example broker: the leader asks for a topic, the broker grants it with
//! credentials in a Juju secret, the client writes the brokers and its
//! SASL settings; a new port and a rotated password (a new secret
//! revision, `secret-changed` on the client) reach the file; removing the
//! relation removes it and the broker's secrets.

mod common;

use common::{charms, has_flag, model, properties, settle, status};

fn password(props: &str) -> String {
    let start = props.find("password=\"").expect("a password") + "password=\"".len();
    props[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_client_gets_a_topic_credentials_new_endpoints_and_a_new_password() {
    let c = charms();
    let (_dir, mut model) = model();
    model.deploy("broker", &c.broker, 1).unwrap();
    model.deploy("app", &c.examples.client, 1).unwrap();
    settle(&mut model);
    assert_eq!(status(&model, "app/0").1, "Missing relation to Kafka");
    let id = model
        .relate("broker:kafka-client", "app:kafka-client")
        .unwrap();
    settle(&mut model);

    let props = properties(&model, "app/0").expect("properties");
    let address = model.relation_data(id, "broker/0").unwrap()["private-address"].clone();
    assert!(
        props.starts_with(&format!("bootstrap.servers={address}:9092\n")),
        "{props}"
    );
    assert!(
        props.contains("security.protocol=SASL_PLAINTEXT\n"),
        "{props}"
    );
    assert!(
        props.contains(&format!("username=\"relation-{id}\"")),
        "{props}"
    );
    let first = password(&props);
    assert_eq!(first.len(), 48, "{props}");
    assert_eq!(status(&model, "app/0"), ("active".into(), "Ready".into()));
    assert!(has_flag(&mut model, "app/0", "kafka-client.available"));
    // The broker's answer names a secret, not the password.
    let answer = model.relation_app_data(id, "broker").unwrap();
    assert!(answer["secret-user"].starts_with("secret:"), "{answer:?}");
    assert!(!answer.values().any(|v| v.contains(&first)));
    let request = model.relation_app_data(id, "app").unwrap();
    assert_eq!(request["topic"], "app");

    model.set_config("broker", "port", "9093").unwrap();
    settle(&mut model);
    let props = properties(&model, "app/0").unwrap();
    assert!(
        props.starts_with(&format!("bootstrap.servers={address}:9093\n")),
        "{props}"
    );

    model
        .secret_rotate(&format!("kafka-client.{id}.user.secret"))
        .unwrap();
    settle(&mut model);
    let rotated = password(&properties(&model, "app/0").unwrap());
    assert_ne!(rotated, first);
    assert_eq!(rotated.len(), 48);

    model.remove_relation(id).unwrap();
    settle(&mut model);
    assert_eq!(properties(&model, "app/0"), None);
    assert_eq!(status(&model, "app/0").1, "Missing relation to Kafka");
    assert!(model.secrets().secrets.is_empty(), "{:?}", model.secrets());
}
