//! The store's operations: add, read (tracking revisions), publish,
//! remove, look up by label, revoke with the relation.

use std::collections::BTreeSet;

use super::{Caller, Consumer, Content, Secret, SecretError, SecretStore};

impl SecretStore {
    /// A new id: 20 characters of base32hex derived from the model's uuid
    /// and a counter, so runs are reproducible.
    fn next_id(&mut self, model_uuid: &str) -> String {
        self.created += 1;
        let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
        for b in model_uuid.bytes().chain(self.created.to_le_bytes()) {
            h = (h ^ u128::from(b)).wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
        }
        const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuv";
        (0..20)
            .map(|i| DIGITS[((h >> (i * 5)) & 31) as usize] as char)
            .collect()
    }

    /// Adds a secret with its first revision; returns its id.
    pub fn add(
        &mut self,
        model_uuid: &str,
        mut secret: Secret,
        content: Content,
    ) -> Result<String, SecretError> {
        if let Some(label) = &secret.label {
            self.check_label(&secret, label, None)?;
        }
        let id = self.next_id(model_uuid);
        secret.latest = 1;
        secret.revisions.insert(1, content);
        self.secrets.insert(id.clone(), secret);
        Ok(id)
    }

    fn check_label(
        &self,
        owner: &Secret,
        label: &str,
        except: Option<&str>,
    ) -> Result<(), SecretError> {
        let taken = self.secrets.iter().any(|(id, s)| {
            Some(id.as_str()) != except
                && s.owner == owner.owner
                && s.unit_owned == owner.unit_owned
                && s.label.as_deref() == Some(label)
        });
        if taken {
            return Err(SecretError::LabelTaken(label.into()));
        }
        Ok(())
    }

    /// Sets the owner label of `id` (checked unique for the owner).
    pub fn set_owner_label(&mut self, id: &str, label: &str) -> Result<(), SecretError> {
        let secret = self
            .secrets
            .get(id)
            .ok_or_else(|| SecretError::NotFound(id.into()))?;
        self.check_label(secret, label, Some(id))?;
        if let Some(s) = self.secrets.get_mut(id) {
            s.label = Some(label.into());
        }
        Ok(())
    }

    /// The secret `caller` means by `label`: one it owns with that owner
    /// label, else one it consumes under that label.
    pub fn by_label(&self, caller: &Caller, label: &str) -> Option<String> {
        let owned = self
            .secrets
            .iter()
            .find(|(_, s)| s.owned_by(caller) && s.label.as_deref() == Some(label));
        let consumed = || {
            self.secrets.iter().find(|(_, s)| {
                s.consumers
                    .get(&caller.unit)
                    .is_some_and(|c| c.label.as_deref() == Some(label))
            })
        };
        owned.or_else(consumed).map(|(id, _)| id.clone())
    }

    /// The secret `caller` manages, or why not.
    pub fn managed(&mut self, caller: &Caller, id: &str) -> Result<&mut Secret, SecretError> {
        let secret = self
            .secrets
            .get_mut(id)
            .ok_or_else(|| SecretError::NotFound(id.into()))?;
        if !secret.manageable_by(caller) {
            return Err(SecretError::PermissionDenied);
        }
        Ok(secret)
    }

    /// Publishes a new revision of `id`'s content.
    pub fn new_revision(
        &mut self,
        caller: &Caller,
        id: &str,
        content: Content,
    ) -> Result<u32, SecretError> {
        let secret = self.managed(caller, id)?;
        secret.latest += 1;
        secret.revisions.insert(secret.latest, content);
        Ok(secret.latest)
    }

    /// Reads `id` as `secret-get` does: the owner always sees the latest
    /// revision; a consumer with a grant sees the revision it tracks (the
    /// latest on its first read), the latest with `peek`, and moves to the
    /// latest with `refresh`. `label` becomes the caller's label for it.
    pub fn get(
        &mut self,
        caller: &Caller,
        live: &BTreeSet<u32>,
        id: &str,
        label: Option<&str>,
        refresh: bool,
        peek: bool,
    ) -> Result<Content, SecretError> {
        let secret = self
            .secrets
            .get(id)
            .ok_or_else(|| SecretError::NotFound(id.into()))?;
        if secret.owned_by(caller) {
            if let Some(label) = label {
                self.set_owner_label(id, label)?;
            }
            let secret = &self.secrets[id];
            return Ok(secret
                .revisions
                .get(&secret.latest)
                .cloned()
                .unwrap_or_default());
        }
        if !secret.granted_to(&caller.unit, live) {
            return Err(SecretError::PermissionDenied);
        }
        let Some(secret) = self.secrets.get_mut(id) else {
            return Err(SecretError::NotFound(id.into()));
        };
        let latest = secret.latest;
        let consumer = secret
            .consumers
            .entry(caller.unit.clone())
            .or_insert(Consumer {
                revision: latest,
                label: None,
            });
        if let Some(label) = label {
            consumer.label = Some(label.into());
        }
        if refresh {
            consumer.revision = latest;
        }
        let revision = if peek { latest } else { consumer.revision };
        secret
            .revisions
            .get(&revision)
            .cloned()
            .ok_or_else(|| SecretError::NoRevision(id.into(), revision))
    }

    /// Removes revision `revision` of `id`, or the whole secret.
    pub fn remove(
        &mut self,
        caller: &Caller,
        id: &str,
        revision: Option<u32>,
    ) -> Result<(), SecretError> {
        let secret = self.managed(caller, id)?;
        match revision {
            None => {
                self.secrets.remove(id);
            }
            Some(r) => {
                if secret.revisions.remove(&r).is_none() {
                    return Err(SecretError::NoRevision(id.into(), r));
                }
                if secret.revisions.is_empty() {
                    self.secrets.remove(id);
                }
            }
        }
        Ok(())
    }

    /// Ids of the secrets `caller`'s application (or the unit itself) owns.
    pub fn owned_ids(&self, caller: &Caller) -> Vec<String> {
        self.secrets
            .iter()
            .filter(|(_, s)| s.owned_by(caller))
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// Drops grants over relations not in `live`, as Juju revokes them
    /// when the relation goes.
    pub fn prune_grants(&mut self, live: &BTreeSet<u32>) {
        for secret in self.secrets.values_mut() {
            secret.grants.retain(|id, _| live.contains(id));
        }
    }
}
