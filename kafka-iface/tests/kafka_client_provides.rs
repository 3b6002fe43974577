//! The providing side of `kafka_client` in unit tests: v0 and v1 requests
//! are answered in their own protocol, credentials in secrets granted to
//! the relation when the client asked for them, plain otherwise; a new
//! password is a new revision; a bad request is a warning.

use kafka_iface::{Credentials, KafkaClientProvides, TopicGrant};
use reactive_core::prelude::*;
use reactive_core::testing::{Hook, Outcome, Relation, State};
use serde_json::Value;

const METADATA: &str = "name: kafka\nprovides:\n  kafka-client:\n    interface: kafka_client\n";
const CONFIG: &str = "options:\n  password: {type: string, default: pw-1}\n";

#[when("kafka-client.topic.requested")]
fn answer(kafka: &KafkaClientProvides) -> reactive_core::Result {
    let password: String = hookenv::config().get("password")?.unwrap_or("pw-1".into());
    for request in kafka.requests()? {
        let grant = TopicGrant {
            endpoints: vec!["10.0.0.1:9092".into()],
            credentials: Credentials {
                username: format!("relation-{}", request.relation_id),
                password: password.clone(),
                tls: false,
                tls_ca: None,
            },
            zookeeper_uris: None,
        };
        kafka.answer(&request, &grant)?;
    }
    Ok(())
}

fn client(data: &[(&str, &str)]) -> Relation {
    Relation::new("kafka-client", 3, "app")
        .with_unit("app/0", [("private-address", "10.0.0.5")])
        .with_remote_app_data(data.iter().copied())
}

fn changed(relation: Relation) -> Outcome {
    State::default()
        .with_file("metadata.yaml", METADATA)
        .with_file("config.yaml", CONFIG)
        .with_leader(true)
        .with_relation(relation)
        .run(Hook::relation("changed", "kafka-client:3", Some("app/0")))
}

const V0: &[(&str, &str)] = &[
    ("topic", "orders"),
    ("extra-user-roles", "producer"),
    (
        "requested-secrets",
        r#"["username","password","tls","tls-ca","uris"]"#,
    ),
];

#[test]
fn a_v0_request_is_answered_with_secrets_granted_to_the_relation() {
    let out = changed(client(V0));
    assert_eq!(out.error_message(), None);
    assert!(out.state.is_flag_set("kafka-client.available"));
    assert!(!out.state.is_flag_set("kafka-client.topic.requested"));
    let bag = &out.state.relation("kafka-client:3").unwrap().local_app_data;
    assert_eq!(bag["endpoints"], "10.0.0.1:9092");
    assert_eq!(bag["topic"], "orders");
    assert!(!bag.contains_key("password"), "no password in the databag");
    let user = out.state.secret(&bag["secret-user"]).expect("secret-user");
    assert_eq!(user.content().unwrap()["password"], "pw-1");
    assert_eq!(user.label.as_deref(), Some("kafka-client.3.user.secret"));
    assert!(user.grants.contains_key("kafka-client:3"));
    let tls = out.state.secret(&bag["secret-tls"]).expect("secret-tls");
    assert_eq!(tls.content().unwrap()["tls"], "false");

    // A new password: a new revision of the same secret, nothing else.
    let mut next = out.state.clone().with_config("password", "pw-2");
    next.flags
        .insert("kafka-client.topic.requested".into(), Value::Null);
    let again = next.run(Hook::new("config-changed"));
    assert_eq!(again.error_message(), None);
    let user = again.state.secret(&bag["secret-user"]).unwrap();
    assert_eq!(user.revisions.keys().copied().collect::<Vec<_>>(), [1, 2]);
    assert_eq!(user.content().unwrap()["password"], "pw-2");
    assert_eq!(again.state.secrets.len(), 2);
}

#[test]
fn a_v0_request_without_secrets_gets_plain_fields() {
    let out = changed(client(&V0[..2]));
    assert_eq!(out.error_message(), None);
    let bag = &out.state.relation("kafka-client:3").unwrap().local_app_data;
    assert_eq!(bag["username"], "relation-kafka-client:3");
    assert_eq!(bag["password"], "pw-1");
    assert_eq!(bag["tls"], "disabled");
    assert!(out.state.secrets.is_empty());
}

#[test]
fn a_v1_request_is_answered_in_the_list_of_responses() {
    let requests =
        r#"[{"resource":"orders","request-id":"a1b2c3","salt":"s4lt","extra-user-roles":"admin"}]"#;
    let out = changed(client(&[("version", "v1"), ("requests", requests)]));
    assert_eq!(out.error_message(), None);
    let bag = &out.state.relation("kafka-client:3").unwrap().local_app_data;
    assert_eq!(bag["version"], "v1");
    let responses: Vec<Value> = serde_json::from_str(&bag["requests"]).unwrap();
    assert_eq!(responses.len(), 1);
    let r = &responses[0];
    assert_eq!(r["request-id"], "a1b2c3");
    assert_eq!(r["resource"], "orders");
    assert_eq!(r["salt"], "s4lt");
    assert_eq!(r["endpoints"], "10.0.0.1:9092");
    let user = out
        .state
        .secret(r["secret-user"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        user.label.as_deref(),
        Some("kafka-client.3.a1b2c3.user.secret")
    );
    let data: Value = serde_json::from_str(&bag["data"]).unwrap();
    assert_eq!(data["a1b2c3"]["resource"], "orders");
}

#[test]
fn a_bad_request_is_a_warning_and_gets_no_answer() {
    let out = changed(client(&[("topic", "*all")]));
    assert_eq!(out.error_message(), None);
    assert!(
        out.logs.iter().any(|(_, l)| l.contains(
            "application app on relation kafka-client:3: topic \"*all\" is not a topic name"
        )),
        "{:?}",
        out.logs
    );
    assert!(out
        .state
        .relation("kafka-client:3")
        .unwrap()
        .local_app_data
        .is_empty());
    assert!(!out.state.is_flag_set("kafka-client.available"));
}

#[test]
fn the_broken_relation_takes_its_secrets_away() {
    let out = changed(client(V0));
    let gone = out
        .state
        .run(Hook::relation("broken", "kafka-client:3", None));
    assert_eq!(gone.error_message(), None);
    assert!(gone.state.secrets.is_empty());
    assert!(!gone.state.is_flag_set("kafka-client.connected"));
}
