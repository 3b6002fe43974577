//! The requiring side of `kafka_client` in unit tests: the leader asks for
//! a topic; endpoints and credentials (plain or in secrets) make the
//! endpoint available; a new secret revision reaches the charm; bad remote
//! data is a warning, never a failed hook.

use kafka_iface::KafkaClientRequires;
use reactive_core::prelude::*;
use reactive_core::testing::{Hook, Outcome, Relation, Secret, State};

const METADATA: &str = "name: app\nrequires:\n  events:\n    interface: kafka_client\n";
const USER: &str = "secret:cqe5hs8pq8r4iaj2ntag";
const TLS: &str = "secret:cqe5hs8pq8r4iaj2ntb0";

#[when("events.connected")]
fn ask_for_topic(kafka: &KafkaClientRequires) -> reactive_core::Result {
    kafka.request_topic("orders", "producer,consumer", Some("app-"))?;
    Ok(())
}

#[when("events.available", "events.endpoints.changed")]
fn configure(kafka: &KafkaClientRequires) -> reactive_core::Result {
    let creds = kafka.credentials()?.expect("available has credentials");
    hookenv::log(format!(
        "servers {} user {} password {} tls {}",
        kafka.bootstrap_servers()?.join(","),
        creds.username,
        creds.password,
        creds.tls
    ));
    clear_flag(&kafka.expand_name("{endpoint_name}.endpoints.changed"));
    Ok(())
}

#[when("events.available")]
fn current_password(kafka: &KafkaClientRequires) -> reactive_core::Result {
    if let Some(c) = kafka.credentials()? {
        hookenv::log(format!("current password {}", c.password));
    }
    Ok(())
}

fn kafka(data: &[(&str, &str)]) -> Relation {
    Relation::new("events", 7, "kafka")
        .with_unit("kafka/0", [("private-address", "10.0.0.1")])
        .with_remote_app_data(data.iter().copied())
}

fn state() -> State {
    State::default()
        .with_file("metadata.yaml", METADATA)
        .with_leader(true)
}

fn changed(state: &State) -> Outcome {
    state.run(Hook::relation("changed", "events:7", Some("kafka/0")))
}

fn with_secrets(state: State) -> State {
    let granted = |s: Secret| Secret { owner: None, ..s };
    State {
        secrets: vec![
            granted(Secret::new(
                USER,
                [("username", "app-7"), ("password", "one")],
            )),
            granted(Secret::new(TLS, [("tls", "false")])),
        ],
        ..state
    }
}

const ANSWER: &[(&str, &str)] = &[
    ("endpoints", "10.0.0.1:9092,10.0.0.2:9092"),
    ("topic", "orders"),
    ("secret-user", USER),
    ("secret-tls", TLS),
];

#[test]
fn the_leader_asks_for_a_topic_with_secrets_when_the_relation_is_created() {
    let out = state()
        .with_relation(kafka(&[]))
        .run(Hook::relation("created", "events:7", None));
    assert_eq!(out.error_message(), None);
    assert!(out.state.is_flag_set("events.connected"));
    assert!(!out.state.is_flag_set("events.available"));
    let bag = &out.state.relation("events:7").unwrap().local_app_data;
    assert_eq!(bag["topic"], "orders");
    assert_eq!(bag["extra-user-roles"], "producer,consumer");
    assert_eq!(bag["consumer-group-prefix"], "app-");
    assert_eq!(
        bag["requested-secrets"],
        r#"["username","password","tls","tls-ca","uris"]"#
    );
}

#[test]
fn endpoints_and_secret_credentials_make_it_available() {
    let out = changed(&with_secrets(state()).with_relation(kafka(ANSWER)));
    assert_eq!(out.error_message(), None);
    assert!(out.state.is_flag_set("events.available"));
    assert!(
        out.logs.iter().any(|(_, l)| l
            .contains("servers 10.0.0.1:9092,10.0.0.2:9092 user app-7 password one tls false")),
        "{:?}",
        out.logs
    );
    assert!(!out.state.is_flag_set("events.endpoints.changed"));
    assert_eq!(out.state.secret(USER).unwrap().tracked, Some(1));
}

#[test]
fn plain_credentials_work_where_there_are_no_secrets() {
    let plain = [
        ("endpoints", "kafka-0.example:9093"),
        ("username", "app"),
        ("password", "pw"),
        ("tls", "enabled"),
    ];
    let out = changed(&state().with_relation(kafka(&plain)));
    assert_eq!(out.error_message(), None);
    assert!(out
        .logs
        .iter()
        .any(|(_, l)| l.contains("servers kafka-0.example:9093 user app password pw tls true")));
}

#[test]
fn a_new_revision_of_the_user_secret_reaches_the_charm() {
    let first = changed(&with_secrets(state()).with_relation(kafka(ANSWER)));
    assert_eq!(first.error_message(), None);
    let mut next = first.state.clone();
    let user = next.secrets.iter_mut().find(|s| s.uri == USER).unwrap();
    *user = user
        .clone()
        .with_revision([("username", "app-7"), ("password", "two")]);
    let out = next.run(Hook::secret("secret-changed", USER, None));
    assert_eq!(out.error_message(), None);
    let kafka: Vec<_> = out
        .state
        .flags
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>();
    assert!(kafka.contains(&"events.available"), "{kafka:?}");
    assert!(
        out.logs
            .iter()
            .any(|(_, l)| l.contains("current password two")),
        "{:?}",
        out.logs
    );
    assert_eq!(out.state.secret(USER).unwrap().tracked, Some(2));
}

#[test]
fn bad_endpoints_and_unreadable_secrets_are_warnings_naming_the_application() {
    let bad = [
        ("endpoints", "10.0.0.1:99999,evil\nhost:1"),
        ("secret-user", "secret:notgranted0000000000"),
        ("secret-tls", "--peek"),
    ];
    let out = changed(&state().with_relation(kafka(&bad)));
    assert_eq!(out.error_message(), None);
    assert!(!out.state.is_flag_set("events.available"));
    for text in [
        "application kafka on relation events:7: endpoint \"10.0.0.1:99999\"",
        "application kafka on relation events:7: secret-user secret:notgranted0000000000 cannot be read",
        "application kafka on relation events:7: secret-tls=\"--peek\" is not a secret URI",
    ] {
        assert!(out.logs.iter().any(|(_, l)| l.contains(text)), "{text}: {:?}", out.logs);
    }
    // Nothing that is not a secret URI reaches a tool.
    assert!(out
        .tool_calls
        .iter()
        .all(|c| !c.args.contains(&"--peek".to_string())));
}

#[test]
fn a_moved_broker_sets_endpoints_changed_and_the_broken_relation_clears_the_flags() {
    let first = changed(&with_secrets(state()).with_relation(kafka(ANSWER)));
    let mut moved = first.state.clone();
    moved.relations[0]
        .remote_app_data
        .insert("endpoints".into(), "10.0.0.9:9092".into());
    let out = changed(&moved);
    assert_eq!(out.error_message(), None);
    assert!(
        out.logs
            .iter()
            .any(|(_, l)| l.contains("servers 10.0.0.9:9092 user app-7")),
        "{:?}",
        out.logs
    );
    let gone = out.state.run(Hook::relation("broken", "events:7", None));
    assert_eq!(gone.error_message(), None);
    assert!(!gone.state.is_flag_set("events.connected"));
    assert!(!gone.state.is_flag_set("events.available"));
}
