//! The requiring side of `kafka_client`: a client asking for a topic and
//! reading the brokers and its credentials.

use reactive_core::databag::{DataError, Databag};
use reactive_core::endpoints::EndpointType;
use reactive_core::hookenv::{self, SecretContent, SecretRead, SecretRef};
use reactive_core::prelude::*;
use reactive_core::Error;
use reactive_core::Role;
use serde::{Deserialize, Serialize};

use super::wire::{
    check_topic, live_relation_ids, parse_endpoints, parse_tls, relation, Credentials, ProviderBag,
    RequirerBag, REQUESTED_SECRETS,
};
use crate::error::KafkaError;
use reactive_core::quote;

reactive_core::endpoint_type! {
    /// The requiring side of the `kafka_client` interface (Charmed Kafka's),
    /// bound to every endpoint `metadata.yaml` declares under `requires:`
    /// with `interface: kafka_client`.
    ///
    /// Flags (`{endpoint_name}` is the endpoint's name):
    /// - `{endpoint_name}.connected`: a relation to a Kafka application is
    ///   there; ask for a topic now with [`KafkaClientRequires::request_topic`].
    /// - `{endpoint_name}.available`: a Kafka application has published
    ///   valid endpoints and credentials (plain, or in Juju secrets); read
    ///   them with [`KafkaClientRequires::bootstrap_servers`],
    ///   [`KafkaClientRequires::credentials`], [`KafkaClientRequires::get_kafka_ip`]
    ///   and [`KafkaClientRequires::get_kafka_port`].
    /// - `{endpoint_name}.endpoints.changed`: the bootstrap list changed
    ///   (first published, or moved); the charm clears it once it has
    ///   reconfigured.
    ///
    /// What the Kafka side publishes is checked in its relation hooks and
    /// in `secret-changed` (a new password), and remembered, so reading it
    /// later costs no hook-tool call. A bad endpoint is left out and a
    /// secret that cannot be read is ignored, each with a warning naming
    /// the application and the relation; the hook does not fail.
    pub struct KafkaClientRequires: requires "kafka_client";
}

/// What one relation's Kafka application offers, as last checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KafkaOffer {
    /// The relation id.
    pub relation_id: String,
    /// The Kafka application.
    pub app: String,
    /// Its valid endpoints, `host:port`, in the order published.
    pub endpoints: Vec<String>,
    /// The credentials, once complete.
    pub credentials: Option<Credentials>,
    /// The topic it created.
    pub topic: Option<String>,
    /// The ZooKeeper URIs it published, if any.
    pub zookeeper_uris: Option<String>,
}

impl KafkaOffer {
    /// Whether a client can connect with it: endpoints and credentials.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        !self.endpoints.is_empty() && self.credentials.is_some()
    }
}

fn memory_key(endpoint: &str, what: &str) -> String {
    format!("kafka-iface.kafka_client.requires.{endpoint}.{what}")
}

#[hook("{requires:kafka_client}-relation-created")]
fn kafka_client_created(kafka: &KafkaClientRequires) -> reactive_core::Result {
    kafka.update_flags()?;
    Ok(())
}

#[hook("{requires:kafka_client}-relation-{joined,changed}")]
fn kafka_client_changed(kafka: &KafkaClientRequires) -> reactive_core::Result {
    if let Some(rid) = hookenv::relation_id() {
        kafka.check(&rid)?;
    }
    kafka.update_flags()?;
    Ok(())
}

#[hook("{requires:kafka_client}-relation-broken")]
fn kafka_client_broken(kafka: &KafkaClientRequires) -> reactive_core::Result {
    if let Some(rid) = hookenv::relation_id() {
        kv().unset(&memory_key(&kafka.endpoint_name, &rid))?;
    }
    kafka.update_flags()?;
    Ok(())
}

/// A new revision of a secret: the password may have been rotated.
#[hook("secret-changed")]
fn kafka_client_secret_changed() -> reactive_core::Result {
    for name in hookenv::role_and_interface_to_relations(Role::Requires, "kafka_client") {
        let Some(kafka) = KafkaClientRequires::from_name(&name)? else {
            continue;
        };
        for r in &kafka.relations {
            kafka.check(&r.relation_id)?;
        }
        kafka.update_flags()?;
    }
    Ok(())
}

/// A secret URI as Juju prints them; anything else is not passed to a tool.
fn secret_uri(text: &str) -> Option<&str> {
    let id = text.strip_prefix("secret:")?;
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'));
    ok.then_some(text)
}

impl KafkaClientRequires {
    fn warn(&self, app: &str, rid: &str, what: &str) {
        log::warn!("kafka_client: application {app} on relation {rid}: {what}");
    }

    /// The content of secret field `field` (`secret-user`), its latest
    /// revision; `None` with a warning when it cannot be read.
    fn secret(&self, app: &str, rid: &str, field: &str, uri: &str) -> Option<SecretContent> {
        let Some(uri) = secret_uri(uri) else {
            self.warn(
                app,
                rid,
                &format!("{field}={} is not a secret URI", quote(uri)),
            );
            return None;
        };
        // The owner may build a secret over several revisions in one hook:
        // the latest is the one to read.
        match hookenv::secret_get(SecretRef::Uri(uri), SecretRead::Refresh) {
            Ok(content) => Some(content),
            Err(e) => {
                let reason = reactive_core::error_chain(&e);
                self.warn(
                    app,
                    rid,
                    &format!("{field} {uri} cannot be read ({reason})"),
                );
                None
            }
        }
    }

    /// Reads, checks and remembers what relation `rid`'s Kafka offers.
    fn check(&self, rid: &str) -> Result<(), Error> {
        let Some(relation) = relation(self, rid) else {
            return Ok(());
        };
        let Some(app) = relation.application_name()? else {
            return Ok(());
        };
        let bag: ProviderBag = match Databag::app(rid, &app).load() {
            Ok(bag) => bag,
            Err(DataError::Hook(e)) => return Err(e.into()),
            Err(e) => {
                self.warn(&app, rid, &e.to_string());
                ProviderBag::default()
            }
        };
        let (endpoints, rejected) = parse_endpoints(bag.endpoints.as_deref().unwrap_or(""));
        for r in rejected {
            self.warn(&app, rid, &format!("endpoint {} left out", r.0));
        }
        // Each group comes from its secret when the provider names one (v1),
        // else from plain fields of the databag (v0).
        let group =
            |field: &str, uri: &Option<String>, plain: [(&str, &Option<String>); 2]| match uri {
                Some(uri) => self.secret(&app, rid, field, uri).unwrap_or_default(),
                None => plain
                    .into_iter()
                    .filter_map(|(k, v)| Some((k.to_string(), v.clone()?)))
                    .collect::<SecretContent>(),
            };
        let mut user = group(
            "secret-user",
            &bag.secret_user,
            [("username", &bag.username), ("password", &bag.password)],
        );
        let mut tls = group(
            "secret-tls",
            &bag.secret_tls,
            [("tls", &bag.tls), ("tls-ca", &bag.tls_ca)],
        );
        let tls_on = parse_tls(tls.get("tls").map_or("", String::as_str)).unwrap_or_else(|r| {
            self.warn(&app, rid, &r.0);
            false
        });
        let usable = |v: &String| !v.is_empty() && !v.chars().any(char::is_control);
        let (username, password) = (user.remove("username"), user.remove("password"));
        if [&username, &password]
            .iter()
            .any(|v| v.as_ref().is_some_and(|v| !usable(v)))
        {
            self.warn(
                &app,
                rid,
                "credentials hold control characters or are empty; not used",
            );
        }
        let credentials = match (username, password) {
            (Some(username), Some(password)) if usable(&username) && usable(&password) => {
                Some(Credentials {
                    username,
                    password,
                    tls: tls_on,
                    tls_ca: tls.remove("tls-ca").filter(|c| !c.is_empty()),
                })
            }
            _ => None,
        };
        let offer = KafkaOffer {
            relation_id: rid.to_string(),
            app,
            endpoints,
            credentials,
            topic: bag.topic,
            zookeeper_uris: bag.zookeeper_uris,
        };
        kv().set(&memory_key(&self.endpoint_name, rid), &offer)?;
        Ok(())
    }

    fn live_relation_ids(&self) -> Vec<String> {
        live_relation_ids(self)
    }

    fn update_flags(&self) -> Result<(), KafkaError> {
        let live = self.live_relation_ids();
        toggle_flag(
            &self.expand_name("{endpoint_name}.connected"),
            !live.is_empty(),
        );
        let servers = self.bootstrap_servers()?;
        toggle_flag(
            &self.expand_name("{endpoint_name}.available"),
            self.first_complete()?.is_some(),
        );
        let key = memory_key(&self.endpoint_name, "bootstrap");
        let before: Vec<String> = kv().get(&key)?.unwrap_or_default();
        if before != servers {
            kv().set(&key, &servers)?;
            if !servers.is_empty() {
                set_flag(&self.expand_name("{endpoint_name}.endpoints.changed"));
            }
        }
        Ok(())
    }

    /// Asks every Kafka application of this endpoint for `topic` (leader
    /// only; `Ok(false)` on another unit), with `extra_user_roles`
    /// (comma-separated `admin`, `consumer`, `producer`) and an optional
    /// consumer group prefix, credentials as Juju secrets. Writes only
    /// what changed, so a handler may call it in every hook.
    pub fn request_topic(
        &self,
        topic: &str,
        extra_user_roles: &str,
        consumer_group_prefix: Option<&str>,
    ) -> Result<bool, KafkaError> {
        check_topic(topic).map_err(|r| KafkaError::InvalidTopic { reason: r.0 })?;
        if !hookenv::is_leader().map_err(Error::from)? {
            return Ok(false);
        }
        let request = RequirerBag {
            topic: Some(topic.to_string()),
            extra_user_roles: Some(extra_user_roles.to_string()),
            consumer_group_prefix: consumer_group_prefix.map(str::to_string),
            requested_secrets: Some(REQUESTED_SECRETS.iter().map(|s| s.to_string()).collect()),
            ..RequirerBag::default()
        };
        // The flush sends only what differs from the databag Juju holds.
        for rid in self.live_relation_ids() {
            Databag::app(&rid, hookenv::application_name())
                .save(&request)
                .map_err(Error::from)?;
        }
        Ok(true)
    }

    /// What each relation's Kafka application offers, by relation id.
    pub fn offers(&self) -> Result<Vec<KafkaOffer>, KafkaError> {
        let mut out = Vec::new();
        for rid in self.live_relation_ids() {
            let key = memory_key(&self.endpoint_name, &rid);
            if let Some(offer) = kv().get::<KafkaOffer>(&key)? {
                out.push(offer);
            }
        }
        Ok(out)
    }

    fn first_complete(&self) -> Result<Option<KafkaOffer>, KafkaError> {
        Ok(self.offers()?.into_iter().find(KafkaOffer::is_complete))
    }

    /// The brokers to bootstrap from (`host:port`), of the first relation
    /// with endpoints and credentials; empty before.
    pub fn bootstrap_servers(&self) -> Result<Vec<String>, KafkaError> {
        Ok(self
            .first_complete()?
            .map(|o| o.endpoints)
            .unwrap_or_default())
    }

    /// The credentials of the first complete relation.
    pub fn credentials(&self) -> Result<Option<Credentials>, KafkaError> {
        Ok(self.first_complete()?.and_then(|o| o.credentials))
    }

    /// The topic the first complete relation's Kafka created.
    pub fn topic(&self) -> Result<Option<String>, KafkaError> {
        Ok(self.first_complete()?.and_then(|o| o.topic))
    }

    /// The CA of the first complete relation's brokers, when TLS is on.
    pub fn tls_ca(&self) -> Result<Option<String>, KafkaError> {
        Ok(self.credentials()?.and_then(|c| c.tls_ca))
    }

    fn first_endpoint(&self) -> Result<(String, u16), KafkaError> {
        let not_ready = || KafkaError::NoOffer {
            endpoint: self.endpoint_name.clone(),
        };
        let first = self
            .bootstrap_servers()?
            .into_iter()
            .next()
            .ok_or_else(not_ready)?;
        let (host, port) = first.rsplit_once(':').ok_or_else(not_ready)?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        Ok((host.to_string(), port.parse().map_err(|_| not_ready())?))
    }

    /// The host of the first endpoint; an error before one is available.
    pub fn get_kafka_ip(&self) -> Result<String, KafkaError> {
        Ok(self.first_endpoint()?.0)
    }

    /// The port of the first endpoint; an error before one is available.
    pub fn get_kafka_port(&self) -> Result<u16, KafkaError> {
        Ok(self.first_endpoint()?.1)
    }
}
