//! What a committed hook's secret changes set off (Juju's secrets
//! watchers, `worker/uniter/secrets/`): `secret-changed` on consumers
//! tracking an older revision once a new one is published, `secret-remove`
//! on the owner for each revision no consumer tracks any more; grants go
//! with their relation. `secret-rotate` and `secret-expired` run when asked.

use std::collections::BTreeSet;

use super::events::Event;
use super::Model;
use crate::error::Error;
use crate::secret::{parse_uri, uri, Secret, SecretStore};

impl Model {
    /// The model's secrets, as the last committed hook left them.
    pub fn secrets(&self) -> &SecretStore {
        &self.state.secrets
    }

    /// Queues `secret-rotate` on the owner of a secret, named by URI, id
    /// or owner label (Juju runs it when the rotation policy says so).
    pub fn secret_rotate(&mut self, secret: &str) -> Result<(), Error> {
        let id = self.secret_id(secret)?;
        self.queue_on_owner(&id, Event::SecretRotate { id: id.clone() });
        Ok(())
    }

    /// Queues `secret-expired` on the owner for `revision` (default: the
    /// latest), as Juju does when a revision's `--expire` time passes.
    pub fn secret_expire(&mut self, secret: &str, revision: Option<u32>) -> Result<(), Error> {
        let id = self.secret_id(secret)?;
        let latest = self.state.secrets.secrets[&id].latest;
        let event = Event::SecretExpired {
            id: id.clone(),
            revision: revision.unwrap_or(latest),
        };
        self.queue_on_owner(&id, event);
        Ok(())
    }

    /// The id of a secret named by URI, id or owner label.
    pub fn secret_id(&self, given: &str) -> Result<String, Error> {
        let store = &self.state.secrets.secrets;
        parse_uri(given)
            .filter(|id| store.contains_key(id))
            .or_else(|| {
                store
                    .iter()
                    .find(|(_, s)| s.label.as_deref() == Some(given))
                    .map(|(id, _)| id.clone())
            })
            .ok_or_else(|| Error::UnknownSecret(given.into()))
    }

    /// The unit that handles an owner's hooks: the unit itself, or the
    /// leader of the owning application.
    fn owner_unit(&self, secret: &Secret) -> Option<String> {
        if secret.unit_owned {
            return Some(secret.owner.clone());
        }
        self.state.apps.get(&secret.owner)?.leader.clone()
    }

    fn queue_on_owner(&mut self, id: &str, event: Event) {
        let owner = self
            .state
            .secrets
            .secrets
            .get(id)
            .and_then(|s| self.owner_unit(s));
        if let Some(unit) = owner {
            self.state.enqueue(&unit, event);
        }
    }

    /// Keeps the secrets a successful hook left and queues what follows.
    pub(super) fn commit_secrets(&mut self, after: &SecretStore) {
        let before = std::mem::replace(&mut self.state.secrets, after.clone());
        let mut queued: Vec<(String, Event)> = Vec::new();
        for (id, secret) in &mut self.state.secrets.secrets {
            let published = before
                .secrets
                .get(id)
                .is_some_and(|was| was.latest < secret.latest);
            if published {
                for (unit, consumer) in &secret.consumers {
                    if consumer.revision < secret.latest {
                        queued.push((unit.clone(), Event::SecretChanged { id: id.clone() }));
                    }
                }
            }
            for revision in secret.obsolete() {
                if secret.obsolete_notified.insert(revision) {
                    let event = Event::SecretRemove {
                        id: id.clone(),
                        revision,
                    };
                    queued.push((String::new(), event));
                }
            }
        }
        for (unit, event) in queued {
            match &event {
                Event::SecretRemove { id, .. } if unit.is_empty() => {
                    let id = id.clone();
                    self.queue_on_owner(&id, event);
                }
                _ => self.state.enqueue(&unit, event),
            }
        }
        self.prune_secret_grants();
    }

    /// Grants over relations that are gone or being removed are revoked.
    pub(super) fn prune_secret_grants(&mut self) {
        let live: BTreeSet<u32> = self
            .state
            .relations
            .iter()
            .filter(|(_, r)| !r.removed)
            .map(|(id, _)| *id)
            .collect();
        self.state.secrets.prune_grants(&live);
    }

    /// `JUJU_SECRET_ID`, `JUJU_SECRET_LABEL` and `JUJU_SECRET_REVISION` of
    /// a secret hook (`worker/uniter/runner/context/context.go`): the
    /// label is the consumer's for `secret-changed`, the owner's otherwise.
    pub(super) fn secret_env(&self, unit: &str, event: &Event) -> Vec<(&'static str, String)> {
        let (id, revision) = match event {
            Event::SecretChanged { id } | Event::SecretRotate { id } => (id, None),
            Event::SecretRemove { id, revision } | Event::SecretExpired { id, revision } => {
                (id, Some(*revision))
            }
            _ => return Vec::new(),
        };
        let secret = self.state.secrets.secrets.get(id);
        let label = match event {
            Event::SecretChanged { .. } => secret
                .and_then(|s| s.consumers.get(unit))
                .and_then(|c| c.label.clone()),
            _ => secret.and_then(|s| s.label.clone()),
        };
        let mut env = vec![
            ("JUJU_SECRET_ID", uri(id)),
            ("JUJU_SECRET_LABEL", label.unwrap_or_default()),
        ];
        if let Some(revision) = revision {
            env.push(("JUJU_SECRET_REVISION", revision.to_string()));
        }
        env
    }
}
