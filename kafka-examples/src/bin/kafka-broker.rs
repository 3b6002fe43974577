//! The example Kafka broker charm of the `kafka_client` interface: the
//! leader grants every requested topic with this unit's address and
//! `port`, user `relation-<n>` and a random password kept in the leader
//! settings; credentials go in Juju secrets when the client asks for them
//! (v0 `requested-secrets`, or any v1 request), as plain fields otherwise.
//!
//! Handlers:
//! 1. `grant_topics` on `kafka-client.topic.requested`;
//! 2. `republish_endpoints` when `port` changes;
//! 3. `rotate_client_password` on `secret-rotate` of a user secret: a new
//!    password, published as a new revision of the secret;
//! 4. `waiting_for_client` while no client is related.

use kafka_iface::{Credentials, KafkaClientProvides, TopicGrant};
use reactive_core::endpoints::EndpointType;
use reactive_core::hookenv::SecretRef;
use reactive_core::prelude::*;

/// The endpoint the broker serves.
const ENDPOINT: &str = "kafka-client";

/// The leader setting holding the password of relation `rid`'s user.
fn password_key(rid: &str) -> String {
    format!("{ENDPOINT}-password.{}", rid.replace(':', "-"))
}

/// 24 random bytes, hex.
fn new_password() -> reactive_core::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 24];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| HandlerError::msg(format!("reading /dev/urandom: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Answers every request (the leader only), keeping each relation's
/// password unless `rotate` names that relation.
fn answer_all(kafka: &KafkaClientProvides, rotate: Option<&str>) -> reactive_core::Result {
    if !hookenv::is_leader()? {
        return Ok(());
    }
    let port: u16 = config().get("port")?.unwrap_or(9092);
    let address = hookenv::unit_get("private-address")?.unwrap_or_default();
    let endpoints = vec![format!("{address}:{port}")];
    let requests = kafka.requests()?;
    for r in &requests {
        let key = password_key(&r.relation_id);
        let password = match hookenv::leader_get(&key)? {
            Some(p) if rotate != Some(r.relation_id.as_str()) => p,
            _ => {
                let p = new_password()?;
                hookenv::leader_set([(key, &p)])?;
                p
            }
        };
        let n = r.relation_id.rsplit(':').next().unwrap_or_default();
        let grant = TopicGrant {
            endpoints: endpoints.clone(),
            credentials: Credentials {
                username: format!("relation-{n}"),
                password,
                tls: false,
                tls_ca: None,
            },
            zookeeper_uris: None,
        };
        kafka.answer(r, &grant)?;
    }
    let n = requests.len();
    hookenv::status_set(WorkloadState::Active, &format!("Ready: {n} topics granted"))?;
    Ok(())
}

#[when("kafka-client.topic.requested")]
fn grant_topics(kafka: &KafkaClientProvides) -> reactive_core::Result {
    answer_all(kafka, None)
}

#[when("kafka-client.connected", "config.changed.port")]
fn republish_endpoints(kafka: &KafkaClientProvides) -> reactive_core::Result {
    answer_all(kafka, None)
}

#[hook("secret-rotate")]
fn rotate_client_password() -> reactive_core::Result {
    let Some(event) = hookenv::secret_event() else {
        return Ok(());
    };
    if !hookenv::is_leader()? {
        return Ok(());
    }
    // The interface labels a user secret `kafka-client.<n>[.<id>].user.secret`.
    let label = hookenv::secret_info_get(SecretRef::Uri(&event.uri))?.label;
    let parts: Vec<&str> = label.split('.').collect();
    if parts.first() != Some(&ENDPOINT) || !label.ends_with(".user.secret") {
        return Ok(());
    }
    let rid = format!("{ENDPOINT}:{}", parts.get(1).copied().unwrap_or_default());
    let Some(kafka) = KafkaClientProvides::from_name(ENDPOINT)? else {
        return Ok(());
    };
    answer_all(&kafka, Some(&rid))
}

#[when_not("kafka-client.connected")]
fn waiting_for_client() -> reactive_core::Result {
    hookenv::status_set(WorkloadState::Waiting, "Waiting for a client to relate")?;
    Ok(())
}

fn main() {
    reactive_core::main()
}

#[cfg(test)]
mod tests {
    use reactive_core::testing::{Hook, Relation, State};

    const META: &str = include_str!("../../charms/kafka-broker/metadata.yaml");
    const CONFIG: &str = include_str!("../../charms/kafka-broker/config.yaml");

    #[test]
    fn a_request_is_granted_and_a_rotation_makes_a_new_revision() {
        let request = [
            ("topic", "orders"),
            ("extra-user-roles", "producer"),
            ("requested-secrets", r#"["username","password"]"#),
        ];
        let client = Relation::new("kafka-client", 4, "app")
            .with_unit("app/0", [("private-address", "10.0.0.5")])
            .with_remote_app_data(request);
        let state = State::default()
            .with_file("metadata.yaml", META)
            .with_file("config.yaml", CONFIG)
            .with_leader(true)
            .with_relation(client);
        let out = state.run(Hook::relation("changed", "kafka-client:4", Some("app/0")));
        assert_eq!(out.error_message(), None);
        assert_eq!(out.state.status.message, "Ready: 1 topics granted");
        let bag = &out.state.relation("kafka-client:4").unwrap().local_app_data;
        assert_eq!(bag["endpoints"], "192.0.2.10:9092");
        let uri = bag["secret-user"].clone();
        let first = out.state.secret(&uri).unwrap().content().unwrap()["password"].clone();
        assert_eq!(first.len(), 48);

        let rotated = out.state.run(Hook::secret("secret-rotate", &uri, None));
        assert_eq!(rotated.error_message(), None);
        let secret = rotated.state.secret(&uri).unwrap();
        assert_eq!(secret.revisions.keys().last(), Some(&2));
        assert_ne!(secret.content().unwrap()["password"], first);
    }
}
