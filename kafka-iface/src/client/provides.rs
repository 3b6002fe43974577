//! The providing side of `kafka_client`: a broker charm answering topic
//! requests with endpoints and credentials.

use reactive_core::databag::{DataError, Databag};
use reactive_core::hookenv::{self, SecretContent, SecretOptions, SecretRead, SecretRef};
use reactive_core::prelude::*;
use reactive_core::Error;
use serde_json::{json, Map, Value};

use super::wire::{
    live_relation_ids, relation, requests, Credentials, Protocol, RequirerBag, TopicRequest,
};
use crate::error::KafkaError;

reactive_core::endpoint_type! {
    /// The providing side of the `kafka_client` interface, bound to every
    /// endpoint `metadata.yaml` declares under `provides:` with
    /// `interface: kafka_client`. Answers requests in the protocol they
    /// came in: v0 (flat fields, as Charmed Kafka's clients write them) or
    /// v1 (`dpcharmlibs-interfaces`' list of requests).
    ///
    /// Flags (`{endpoint_name}` is the endpoint's name):
    /// - `{endpoint_name}.connected`: a client application is related.
    /// - `{endpoint_name}.topic.requested`: a client asked for a topic that
    ///   has no answer yet; answer with [`KafkaClientProvides::answer`]
    ///   for each of [`KafkaClientProvides::requests`].
    /// - `{endpoint_name}.available`: every request has an answer.
    ///
    /// A malformed request (no topic, a topic the library refuses, an
    /// unknown version) is ignored with a warning naming the application
    /// and the relation.
    pub struct KafkaClientProvides: provides "kafka_client";
}

/// What a broker grants a client: where to connect, and as whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicGrant {
    /// The brokers, `host:port`.
    pub endpoints: Vec<String>,
    /// The user made for the client.
    pub credentials: Credentials,
    /// ZooKeeper's URIs, for clients that still want them.
    pub zookeeper_uris: Option<String>,
}

#[hook("{provides:kafka_client}-relation-{created,joined,changed}")]
fn kafka_client_request(kafka: &KafkaClientProvides) -> reactive_core::Result {
    kafka.update_flags()?;
    Ok(())
}

#[hook("{provides:kafka_client}-relation-broken")]
fn kafka_client_gone(kafka: &KafkaClientProvides) -> reactive_core::Result {
    if let Some(rid) = hookenv::relation_id() {
        kafka.remove_secrets(&rid)?;
    }
    kafka.update_flags()?;
    Ok(())
}

/// The number in a relation id (`3` in `kafka-client:3`).
fn rid_number(rid: &str) -> &str {
    rid.rsplit(':').next().unwrap_or(rid)
}

/// The data-platform library's owner label of a secret group.
fn label(endpoint: &str, r: &TopicRequest, group: &str) -> String {
    let n = rid_number(&r.relation_id);
    match &r.request_id {
        Some(id) => format!("{endpoint}.{n}.{id}.{group}.secret"),
        None => format!("{endpoint}.{n}.{group}.secret"),
    }
}

impl KafkaClientProvides {
    fn live_relation_ids(&self) -> Vec<String> {
        live_relation_ids(self)
    }

    /// Every valid request of every client, by relation id.
    pub fn requests(&self) -> Result<Vec<TopicRequest>, KafkaError> {
        let mut out = Vec::new();
        for rid in self.live_relation_ids() {
            let Some(app) = relation(self, &rid)
                .map(|r| r.application_name())
                .transpose()?
            else {
                continue;
            };
            let Some(app) = app else { continue };
            let bag: RequirerBag = match Databag::app(&rid, &app).load() {
                Ok(b) => b,
                Err(DataError::Hook(e)) => return Err(Error::from(e).into()),
                Err(e) => {
                    log::warn!("kafka_client: {e}; its request is ignored");
                    continue;
                }
            };
            let (ok, bad) = requests(&rid, &app, &bag);
            for r in bad {
                log::warn!(
                    "kafka_client: application {app} on relation {rid}: {}; ignored",
                    r.0
                );
            }
            out.extend(ok);
        }
        Ok(out)
    }

    /// The requests that have no answer yet.
    pub fn pending(&self) -> Result<Vec<TopicRequest>, KafkaError> {
        let mut out = Vec::new();
        for r in self.requests()? {
            if !self.is_answered(&r)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    fn own_bag(&self, rid: &str) -> Result<hookenv::Settings, KafkaError> {
        Ok(Databag::app(rid, hookenv::application_name())
            .load::<hookenv::Settings>()
            .map_err(Error::from)?)
    }

    fn responses(&self, rid: &str) -> Result<Vec<Value>, KafkaError> {
        let bag = self.own_bag(rid)?;
        Ok(bag
            .get("requests")
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default())
    }

    fn is_answered(&self, r: &TopicRequest) -> Result<bool, KafkaError> {
        Ok(match &r.request_id {
            Some(id) => self
                .responses(&r.relation_id)?
                .iter()
                .any(|x| x.get("request-id").and_then(Value::as_str) == Some(id)),
            None => {
                let bag = self.own_bag(&r.relation_id)?;
                bag.get("topic") == Some(&r.topic)
                    && (bag.contains_key("secret-user") || bag.contains_key("username"))
            }
        })
    }

    fn update_flags(&self) -> Result<(), KafkaError> {
        let requests = self.requests()?;
        let pending = self.pending()?;
        toggle_flag(
            &self.expand_name("{endpoint_name}.connected"),
            !self.live_relation_ids().is_empty(),
        );
        toggle_flag(
            &self.expand_name("{endpoint_name}.topic.requested"),
            !pending.is_empty(),
        );
        toggle_flag(
            &self.expand_name("{endpoint_name}.available"),
            !requests.is_empty() && pending.is_empty(),
        );
        Ok(())
    }

    /// Publishes (or, for a new password or endpoints, updates) `grant` as
    /// the answer to `request`, on the leader only (`Ok(false)` on another
    /// unit). A client that asked for secrets gets its credentials in Juju
    /// secrets granted to the relation (`secret-user`, `secret-tls`; a new
    /// password is a new revision), others as plain fields. Nothing is
    /// written when the answer is already there.
    pub fn answer(&self, request: &TopicRequest, grant: &TopicGrant) -> Result<bool, KafkaError> {
        if !hookenv::is_leader().map_err(Error::from)? {
            return Ok(false);
        }
        let c = &grant.credentials;
        let user = SecretContent::from([
            ("username".to_string(), c.username.clone()),
            ("password".to_string(), c.password.clone()),
        ]);
        let mut tls = SecretContent::from([("tls".to_string(), c.tls.to_string())]);
        tls.extend(c.tls_ca.clone().map(|ca| ("tls-ca".to_string(), ca)));
        let mut fields = Map::new();
        fields.insert("endpoints".into(), json!(grant.endpoints.join(",")));
        if request.wants_secrets {
            let user_uri = self.publish_secret(request, "user", &user)?;
            let tls_uri = self.publish_secret(request, "tls", &tls)?;
            fields.insert("secret-user".into(), json!(user_uri));
            fields.insert("secret-tls".into(), json!(tls_uri));
        } else {
            fields.insert("username".into(), json!(c.username));
            fields.insert("password".into(), json!(c.password));
            fields.insert(
                "tls".into(),
                json!(if c.tls { "enabled" } else { "disabled" }),
            );
            fields.insert("tls-ca".into(), json!(c.tls_ca));
        }
        let rid = &request.relation_id;
        let bag = Databag::app(rid, hookenv::application_name());
        let out = match request.protocol {
            Protocol::V0 => {
                fields.insert("topic".into(), json!(request.topic));
                fields.insert(
                    "consumer-group-prefix".into(),
                    json!(request.consumer_group_prefix),
                );
                fields.insert("zookeeper-uris".into(), json!(grant.zookeeper_uris));
                Value::Object(fields)
            }
            Protocol::V1 => self.v1_answer(request, fields)?,
        };
        // The flush sends only what differs from the databag Juju holds.
        bag.save(&out).map_err(Error::from)?;
        self.update_flags()?;
        Ok(true)
    }

    /// v1: this request's response replaces the one with its id in the
    /// list, and `data` records every request answered, by id (the
    /// library's requirer matches responses against it).
    fn v1_answer(
        &self,
        request: &TopicRequest,
        mut fields: Map<String, Value>,
    ) -> Result<Value, KafkaError> {
        let id = request.request_id.clone().unwrap_or_default();
        let raw = request.raw.clone().unwrap_or(Value::Null);
        fields.insert("request-id".into(), json!(id));
        fields.insert("resource".into(), json!(request.topic));
        if let Some(salt) = raw.get("salt") {
            fields.insert("salt".into(), salt.clone());
        }
        let mut responses = self.responses(&request.relation_id)?;
        responses.retain(|x| x.get("request-id").and_then(Value::as_str) != Some(&id));
        responses.push(Value::Object(fields));
        let bag = self.own_bag(&request.relation_id)?;
        let mut data: Map<String, Value> = bag
            .get("data")
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default();
        data.insert(id, raw);
        Ok(json!({
            "version": "v1",
            "requests": Value::Array(responses).to_string(),
            "data": Value::Object(data).to_string(),
        }))
    }

    /// The URI of this request's secret of `group`, holding `content`: a
    /// new revision when it changed, a new secret granted to the relation
    /// when there is none.
    fn publish_secret(
        &self,
        r: &TopicRequest,
        group: &str,
        content: &SecretContent,
    ) -> Result<String, KafkaError> {
        let label = label(&self.endpoint_name, r, group);
        let existing = hookenv::secret_info_get(SecretRef::Label(&label))
            .ok()
            .map(|info| format!("secret:{}", info.id));
        let uri = match existing {
            Some(uri) => {
                let now = hookenv::secret_get(SecretRef::Uri(&uri), SecretRead::Tracked)
                    .map_err(Error::from)?;
                if &now != content {
                    hookenv::secret_set(&uri, content.clone(), &SecretOptions::default())
                        .map_err(Error::from)?;
                }
                uri
            }
            None => hookenv::secret_add(
                content.clone(),
                &SecretOptions {
                    label: Some(label.to_string()),
                    ..SecretOptions::default()
                },
            )
            .map_err(Error::from)?,
        };
        hookenv::secret_grant(&uri, Some(&r.relation_id), None).map_err(Error::from)?;
        Ok(uri)
    }

    /// Removes the secrets published on relation `rid` (leader only; Juju
    /// revokes their grants with the relation).
    fn remove_secrets(&self, rid: &str) -> Result<(), KafkaError> {
        if !hookenv::is_leader().map_err(Error::from)? {
            return Ok(());
        }
        let prefix = format!("{}.{}.", &self.endpoint_name, rid_number(rid));
        for uri in hookenv::secret_ids().map_err(Error::from)? {
            let Ok(info) = hookenv::secret_info_get(SecretRef::Uri(&uri)) else {
                continue;
            };
            if info.label.starts_with(&prefix) {
                hookenv::secret_remove(&uri, None).map_err(Error::from)?;
            }
        }
        Ok(())
    }
}
