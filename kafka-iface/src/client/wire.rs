//! The `kafka_client` databag fields, typed, and the checks remote values
//! go through (`../shared` protocol notes: `docs/kafka.md`).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::address::parse_address;
use crate::port::parse_port;
use reactive_core::quote;

/// The secret fields a requirer asks for (`requested-secrets`).
pub const REQUESTED_SECRETS: [&str; 5] = ["username", "password", "tls", "tls-ca", "uris"];

/// The fields a requirer's leader publishes in its application databag
/// (v0, and the `version` / `requests` of v1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct RequirerBag {
    pub(crate) version: Option<String>,
    pub(crate) topic: Option<String>,
    pub(crate) extra_user_roles: Option<String>,
    pub(crate) consumer_group_prefix: Option<String>,
    pub(crate) requested_secrets: Option<Vec<String>>,
    pub(crate) requests: Option<Vec<Value>>,
}

/// The fields a provider's leader publishes in its application databag
/// (v0: flat; v1 adds `version` and `requests`, a list of responses).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct ProviderBag {
    pub(crate) endpoints: Option<String>,
    pub(crate) topic: Option<String>,
    pub(crate) consumer_group_prefix: Option<String>,
    pub(crate) zookeeper_uris: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<String>,
    pub(crate) tls: Option<String>,
    pub(crate) tls_ca: Option<String>,
    pub(crate) secret_user: Option<String>,
    pub(crate) secret_tls: Option<String>,
}

/// Which revision of the protocol a request came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Protocol {
    /// Flat fields in the application databags.
    V0,
    /// `version: v1` and a list of `requests`, each with a `request-id`.
    V1,
}

/// A topic a client application asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicRequest {
    /// The relation id it came on.
    pub relation_id: String,
    /// The client application.
    pub app: String,
    /// The topic.
    pub topic: String,
    /// Comma-separated roles on top of the user's (`admin`, `consumer`,
    /// `producer`).
    pub extra_user_roles: Option<String>,
    /// The prefix of the consumer groups it may use.
    pub consumer_group_prefix: Option<String>,
    /// The protocol it was asked in.
    pub protocol: Protocol,
    /// v1: the request's id (answers carry it back).
    pub request_id: Option<String>,
    /// Whether the client reads credentials from Juju secrets.
    pub wants_secrets: bool,
    /// v1: the request object as sent (the answer echoes its salt).
    pub raw: Option<Value>,
}

/// What a client authenticates with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// The SASL user.
    pub username: String,
    /// Its password.
    pub password: String,
    /// Whether the brokers speak TLS.
    pub tls: bool,
    /// The CA the brokers' certificates chain to (PEM).
    pub tls_ca: Option<String>,
}

/// Why a remote value is not used; logged as a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejected(pub(crate) String);

/// `host:port` (an IPv6 host in brackets) checked as the seed interface
/// checks an address and a port; the broker as written back.
pub(crate) fn parse_endpoint(text: &str) -> Result<String, Rejected> {
    let text = text.trim();
    let (host, port) = match text.strip_prefix('[') {
        Some(rest) => rest
            .split_once("]:")
            .ok_or_else(|| Rejected(format!("{} has no ]:port", quote(text))))?,
        None => text
            .rsplit_once(':')
            .ok_or_else(|| Rejected(format!("{} has no :port", quote(text))))?,
    };
    let port = parse_port(port).map_err(|e| Rejected(format!("{}: {}", quote(text), e.reason)))?;
    parse_address(host).map_err(|e| Rejected(format!("{}: {}", quote(text), e.reason)))?;
    Ok(if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    })
}

/// Every valid endpoint of a comma-separated list, and what was rejected.
pub(crate) fn parse_endpoints(list: &str) -> (Vec<String>, Vec<Rejected>) {
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    for item in list.split(',').filter(|s| !s.trim().is_empty()) {
        match parse_endpoint(item) {
            Ok(e) => ok.push(e),
            Err(r) => bad.push(r),
        }
    }
    (ok, bad)
}

/// A topic name as the data-platform library accepts it: not empty, no
/// `*` in its first three characters, no control characters.
pub(crate) fn check_topic(topic: &str) -> Result<(), Rejected> {
    let bad = topic.is_empty()
        || topic.chars().take(3).any(|c| c == '*')
        || topic.chars().any(char::is_control)
        || topic.len() > 249;
    if bad {
        return Err(Rejected(format!(
            "topic {} is not a topic name",
            quote(topic)
        )));
    }
    Ok(())
}

/// `enabled` / `true` as on, `disabled` / `false` as off.
pub(crate) fn parse_tls(value: &str) -> Result<bool, Rejected> {
    match value.trim() {
        "enabled" | "true" | "True" => Ok(true),
        "disabled" | "false" | "False" | "" => Ok(false),
        other => Err(Rejected(format!(
            "tls={} is not enabled or disabled",
            quote(other)
        ))),
    }
}

/// The request id the data-platform library derives from a resource and
/// a salt when a request has none: the first 16 hex digits of
/// SHA-256(`resource:salt`).
pub(crate) fn request_hash(resource: &str, salt: &str) -> String {
    let digest = Sha256::digest(format!("{resource}:{salt}").as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The requests a requirer's databag holds, and what was rejected.
pub(crate) fn requests(
    rid: &str,
    app: &str,
    bag: &RequirerBag,
) -> (Vec<TopicRequest>, Vec<Rejected>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    let base = |topic: String| TopicRequest {
        relation_id: rid.to_string(),
        app: app.to_string(),
        topic,
        extra_user_roles: None,
        consumer_group_prefix: None,
        protocol: Protocol::V0,
        request_id: None,
        wants_secrets: false,
        raw: None,
    };
    match bag.version.as_deref().unwrap_or("v0") {
        "v0" => {
            if let Some(topic) = &bag.topic {
                match check_topic(topic) {
                    Ok(()) => out.push(TopicRequest {
                        extra_user_roles: bag.extra_user_roles.clone(),
                        consumer_group_prefix: bag.consumer_group_prefix.clone(),
                        wants_secrets: bag.requested_secrets.is_some(),
                        ..base(topic.clone())
                    }),
                    Err(r) => bad.push(r),
                }
            }
        }
        "v1" => {
            for raw in bag.requests.iter().flatten() {
                let text = |k: &str| raw.get(k).and_then(Value::as_str).map(str::to_string);
                let Some(topic) = text("resource")
                    .filter(|t| !t.is_empty())
                    .or_else(|| text("topic"))
                else {
                    bad.push(Rejected(format!(
                        "a request names no resource: {}",
                        quote(&raw.to_string())
                    )));
                    continue;
                };
                if let Err(r) = check_topic(&topic) {
                    bad.push(r);
                    continue;
                }
                let id = text("request-id")
                    .unwrap_or_else(|| request_hash(&topic, &text("salt").unwrap_or_default()));
                out.push(TopicRequest {
                    extra_user_roles: text("extra-user-roles"),
                    consumer_group_prefix: text("consumer-group-prefix"),
                    protocol: Protocol::V1,
                    request_id: Some(id),
                    wants_secrets: true,
                    raw: Some(raw.clone()),
                    ..base(topic)
                });
            }
        }
        other => bad.push(Rejected(format!(
            "version {} is not v0 or v1",
            quote(other)
        ))),
    }
    (out, bad)
}

/// The relations of `endpoint` that still count: all but the one a
/// `-relation-broken` hook is about.
pub(crate) fn live_relation_ids(endpoint: &reactive_core::Endpoint) -> Vec<String> {
    let broken = reactive_core::hookenv::hook_name()
        .ends_with("-relation-broken")
        .then(reactive_core::hookenv::relation_id)
        .flatten();
    endpoint
        .relations
        .iter()
        .map(|r| r.relation_id.clone())
        .filter(|rid| Some(rid) != broken.as_ref())
        .collect()
}

/// The relation of `endpoint` with id `relation_id`.
pub(crate) fn relation<'a>(
    endpoint: &'a reactive_core::Endpoint,
    relation_id: &str,
) -> Option<&'a reactive_core::endpoints::Relation> {
    endpoint
        .relations
        .iter()
        .find(|r| r.relation_id == relation_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_checked_one_by_one() {
        let (ok, bad) = parse_endpoints(
            "10.0.0.1:9092, kafka-1.example:9093,[2001:db8::1]:9094,x:0,evil\nhost:1",
        );
        assert_eq!(
            ok,
            [
                "10.0.0.1:9092",
                "kafka-1.example:9093",
                "[2001:db8::1]:9094"
            ]
        );
        assert_eq!(bad.len(), 2, "{bad:?}");
    }

    #[test]
    fn the_library_s_request_hash() {
        // hashlib.sha256(b"events:abc").hexdigest()[:16]
        assert_eq!(request_hash("events", "abc"), "70802757319b32a4");
    }

    #[test]
    fn v1_requests_keep_their_id_and_v0_asks_for_secrets_with_requested_secrets() {
        let bag: RequirerBag = serde_json::from_value(serde_json::json!({
            "version": "v1",
            "requests": [{"resource": "events", "request-id": "r1", "salt": "s"}, {"resource": "*bad"}]
        }))
        .unwrap();
        let (ok, bad) = requests("k:1", "app", &bag);
        assert_eq!(
            (ok[0].request_id.as_deref(), ok[0].topic.as_str()),
            (Some("r1"), "events")
        );
        assert_eq!(bad.len(), 1);
        let v0 = RequirerBag {
            topic: Some("t".into()),
            requested_secrets: Some(vec!["username".into()]),
            ..RequirerBag::default()
        };
        let (ok, _) = requests("k:1", "app", &v0);
        assert!(ok[0].wants_secrets && ok[0].protocol == Protocol::V0);
    }
}
